//! Summaries over any run of sentences (a section, a document): counts, rates per 100 words,
//! shares, sourcing, tones and the most frequent cues — each traceable to finding ids.

pub mod keyed;
pub mod tone;

use crate::tag::{Category, SourceKind};
pub use keyed::Keyed;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
pub use tone::Tone;

/// One value per category.
pub type PerCategory<V> = Keyed<Category, V, { Category::ALL.len() }>;
/// One value per tone.
pub type PerTone<V> = Keyed<Tone, V, { Tone::ALL.len() }>;

/// The facts about one analysed sentence that summaries need.
pub struct SentenceFacts<'a> {
    pub words: usize,
    pub tone: Tone,
    /// (finding id, category, cue text lower-cased, attribution kind and authority flag).
    pub findings: Vec<FindingFacts<'a>>,
    pub sentiment: Option<[f32; 3]>,
    pub uncertainty: Option<f32>,
    pub bias: Option<f32>,
}

pub struct FindingFacts<'a> {
    pub id: usize,
    pub category: Category,
    pub text: &'a str,
    pub source_kind: Option<SourceKind>,
    pub authority: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub words: usize,
    pub sentences: usize,
    /// Findings per category.
    pub counts: PerCategory<usize>,
    /// Findings per 100 words, per category.
    pub rates_per_100_words: PerCategory<f64>,
    /// Share of sentences with at least one finding of the category.
    pub sentence_shares: PerCategory<f64>,
    /// (boosters − hedges) / (boosters + hedges): +1 all certainty, −1 all hedging; null when
    /// the text has neither.
    pub certainty_balance: Option<f64>,
    pub sources: Sources,
    pub tones: PerTone<usize>,
    pub tone_shares: PerTone<f64>,
    /// The most frequent cues (rule findings, not attributions), most frequent first.
    pub top_cues: Vec<Cue>,
    /// Finding ids per category: every count above is the length of one of these lists.
    pub finding_ids: PerCategory<Vec<usize>>,
    /// Means of the model's scores; null when the model is off.
    pub model: Option<ModelSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Sources {
    pub named: usize,
    pub anonymous: usize,
    pub vague: usize,
    /// Citations that lean on rank or credential.
    pub appeals_to_authority: usize,
    /// Share of attributions that name their source; null without attributions.
    #[serde(serialize_with = "ser_opt_ratio")]
    pub named_share: Option<(usize, usize)>,
}

fn ser_opt_ratio<S: serde::Serializer>(
    v: &Option<(usize, usize)>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some((n, d)) => s.serialize_some(&round(*n as f64 / *d as f64)),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cue {
    pub text: String,
    pub category: Category,
    pub count: usize,
    pub finding_ids: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSummary {
    /// Mean probability per sentiment label.
    pub sentiment_mean: BTreeMap<&'static str, f64>,
    /// Sentences per most-probable sentiment label.
    pub sentiment_counts: BTreeMap<&'static str, usize>,
    pub uncertainty_mean: f64,
    pub bias_mean: f64,
    /// Share of sentences the bias head calls biased (p ≥ 0.5).
    pub biased_share: f64,
}

/// Rounds to 4 decimals so that reports stay readable and byte-stable.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Findings per 100 words, rounded; 0 for a text without words.
pub fn rate_per_100(count: usize, words: usize) -> f64 {
    if words == 0 {
        0.0
    } else {
        round(count as f64 * 100.0 / words as f64)
    }
}

/// Words and findings per category, added up sentence by sentence: the document's rates when
/// its sentences stream past without a [`Summary`] being built.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub words: usize,
    pub counts: PerCategory<usize>,
}

impl Totals {
    pub fn add(&mut self, words: usize, counts: &PerCategory<usize>) {
        self.words += words;
        for (c, k) in counts {
            self.counts[*c] += k;
        }
    }

    /// The same numbers as [`Summary::rates_per_100_words`] over the sentences added.
    pub fn rates(&self) -> PerCategory<f64> {
        self.counts.map(|_, k| rate_per_100(*k, self.words))
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        round(n as f64 / d as f64)
    }
}

/// Summarises a run of sentences.
///
/// Counting runs over fixed per-category arrays ([`Keyed`]) and one sorted list of cues: a
/// summary is made for every section, so its allocations show in a long document's profile.
pub fn summarize(sentences: &[SentenceFacts<'_>]) -> Summary {
    let words: usize = sentences.iter().map(|s| s.words).sum();
    let n = sentences.len();
    let mut finding_ids: PerCategory<Vec<usize>> = Keyed::default();
    let mut with_cat: PerCategory<usize> = Keyed::default();
    let mut tones: PerTone<usize> = Keyed::default();
    let mut sources = Sources::default();
    // (cue lower-cased, category, finding id); grouped after sorting.
    let mut cue_hits: Vec<(Cow<'_, str>, Category, usize)> = Vec::new();
    for s in sentences {
        tones[s.tone] += 1;
        let mut seen: PerCategory<bool> = Keyed::default();
        for f in &s.findings {
            seen[f.category] = true;
            finding_ids[f.category].push(f.id);
            match f.source_kind {
                Some(SourceKind::Named) => sources.named += 1,
                Some(SourceKind::Anonymous) => sources.anonymous += 1,
                Some(SourceKind::Vague) => sources.vague += 1,
                None => cue_hits.push((lowercase(f.text), f.category, f.id)),
            }
            sources.appeals_to_authority += usize::from(f.authority);
        }
        for (c, hit) in &seen {
            with_cat[*c] += usize::from(*hit);
        }
    }
    let cited = sources.named + sources.anonymous + sources.vague;
    sources.named_share = (cited > 0).then_some((sources.named, cited));
    let counts = finding_ids.map(|_, ids| ids.len());
    let rates = counts.map(|_, k| rate_per_100(*k, words));
    let (boosters, hedges) = (counts[Category::Booster], counts[Category::Hedge]);
    let certainty_balance = (boosters + hedges > 0)
        .then(|| round((boosters as f64 - hedges as f64) / (boosters + hedges) as f64));
    Summary {
        words,
        sentences: n,
        counts,
        rates_per_100_words: rates,
        sentence_shares: with_cat.map(|_, k| ratio(*k, n)),
        certainty_balance,
        sources,
        tone_shares: tones.map(|_, k| ratio(*k, n)),
        tones,
        top_cues: top_cues(cue_hits),
        finding_ids,
        model: model_summary(sentences),
    }
}

/// Lower-cases a cue, borrowing when it is ASCII and already lower case (most cues are).
fn lowercase(text: &str) -> Cow<'_, str> {
    if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// The ten most frequent cues: most frequent first, ties in a stable alphabetical order so that
/// output is deterministic. Hits are in finding order, so each cue's ids come out ascending.
fn top_cues(mut hits: Vec<(Cow<'_, str>, Category, usize)>) -> Vec<Cue> {
    hits.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    let mut cues: Vec<Cue> = Vec::new();
    for (text, category, id) in hits {
        match cues.last_mut() {
            Some(c) if c.category == category && c.text == text => c.finding_ids.push(id),
            _ => cues.push(Cue {
                text: text.into_owned(),
                category,
                count: 0,
                finding_ids: vec![id],
            }),
        }
    }
    for c in &mut cues {
        c.count = c.finding_ids.len();
    }
    cues.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.text.cmp(&b.text))
            .then(a.category.cmp(&b.category))
    });
    cues.truncate(10);
    cues
}

fn model_summary(sentences: &[SentenceFacts<'_>]) -> Option<ModelSummary> {
    let scored: Vec<_> = sentences
        .iter()
        .filter_map(|s| Some((s.sentiment?, s.uncertainty?, s.bias?)))
        .collect();
    if scored.is_empty() {
        return None;
    }
    let n = scored.len() as f64;
    let labels = crate::classify::SENTIMENT_LABELS;
    let mut counts: BTreeMap<&'static str, usize> = labels.iter().map(|l| (*l, 0)).collect();
    for (sent, _, _) in &scored {
        let best = (0..3)
            .max_by(|&a, &b| sent[a].total_cmp(&sent[b]))
            .unwrap_or(1);
        *counts.entry(labels[best]).or_default() += 1;
    }
    Some(ModelSummary {
        sentiment_mean: (0..3)
            .map(|i| {
                (
                    labels[i],
                    round(scored.iter().map(|s| s.0[i] as f64).sum::<f64>() / n),
                )
            })
            .collect(),
        sentiment_counts: counts,
        uncertainty_mean: round(scored.iter().map(|s| s.1 as f64).sum::<f64>() / n),
        bias_mean: round(scored.iter().map(|s| s.2 as f64).sum::<f64>() / n),
        biased_share: round(scored.iter().filter(|s| s.2 >= 0.5).count() as f64 / n),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(
        words: usize,
        tone: Tone,
        findings: Vec<FindingFacts<'static>>,
    ) -> SentenceFacts<'static> {
        SentenceFacts {
            words,
            tone,
            findings,
            sentiment: None,
            uncertainty: None,
            bias: None,
        }
    }

    fn ff(id: usize, category: Category, text: &'static str) -> FindingFacts<'static> {
        FindingFacts {
            id,
            category,
            text,
            source_kind: None,
            authority: false,
        }
    }

    #[test]
    fn arithmetic_of_rates_shares_and_balance() {
        let s = vec![
            facts(
                20,
                Tone::Promotional,
                vec![
                    ff(0, Category::Promotional, "Landmark"),
                    ff(1, Category::Booster, "clearly"),
                ],
            ),
            facts(
                30,
                Tone::Hedged,
                vec![ff(2, Category::Hedge, "may"), ff(3, Category::Hedge, "may")],
            ),
            facts(
                50,
                Tone::Neutral,
                vec![FindingFacts {
                    id: 4,
                    category: Category::Attribution,
                    text: "X said",
                    source_kind: Some(SourceKind::Named),
                    authority: true,
                }],
            ),
        ];
        let sum = summarize(&s);
        assert_eq!((sum.words, sum.sentences), (100, 3));
        assert_eq!(sum.counts[&Category::Hedge], 2);
        assert_eq!(sum.rates_per_100_words[&Category::Hedge], 2.0);
        assert_eq!(sum.rates_per_100_words[&Category::Promotional], 1.0);
        assert_eq!(sum.sentence_shares[&Category::Hedge], 0.3333);
        // one booster, two hedges
        assert_eq!(sum.certainty_balance, Some(-0.3333));
        assert_eq!(sum.sources.named, 1);
        assert_eq!(sum.sources.appeals_to_authority, 1);
        assert_eq!(sum.tones[&Tone::Neutral], 1);
        assert_eq!(sum.top_cues[0].text, "may");
        assert_eq!(sum.top_cues[0].finding_ids, vec![2, 3]);
        assert_eq!(sum.top_cues[1].text, "clearly");
        assert_eq!(sum.finding_ids[&Category::Attribution], vec![4]);
        // Every count is the length of its id list.
        for (c, k) in &sum.counts {
            assert_eq!(*k, sum.finding_ids[c].len());
        }
    }

    #[test]
    fn cues_group_across_case_and_rank_by_count_then_text() {
        let s = vec![
            facts(
                10,
                Tone::Neutral,
                vec![
                    ff(0, Category::Booster, "Clearly"),
                    ff(1, Category::Hedge, "perhaps"),
                ],
            ),
            facts(
                10,
                Tone::Neutral,
                vec![
                    ff(2, Category::Booster, "clearly"),
                    ff(3, Category::Hedge, "Ünclear"),
                    ff(4, Category::Hedge, "ünclear"),
                    ff(5, Category::Hedge, "may"),
                ],
            ),
        ];
        let cues: Vec<(String, Vec<usize>)> = summarize(&s)
            .top_cues
            .into_iter()
            .map(|c| (c.text, c.finding_ids))
            .collect();
        assert_eq!(
            cues,
            vec![
                ("clearly".to_string(), vec![0, 2]),
                ("ünclear".to_string(), vec![3, 4]),
                ("may".to_string(), vec![5]),
                ("perhaps".to_string(), vec![1]),
            ]
        );
    }

    #[test]
    fn empty_input_has_no_division_by_zero() {
        let sum = summarize(&[]);
        assert_eq!(sum.rates_per_100_words[&Category::Hedge], 0.0);
        assert_eq!(sum.certainty_balance, None);
        assert!(sum.model.is_none());
    }
}
