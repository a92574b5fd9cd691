//! Summaries over any run of sentences (a section, a document): counts, rates per 100 words,
//! shares, sourcing, tones and the most frequent cues — each traceable to finding ids.

pub mod tone;

use crate::tag::{Category, SourceKind};
use serde::Serialize;
use std::collections::BTreeMap;
pub use tone::Tone;

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
    pub counts: BTreeMap<Category, usize>,
    /// Findings per 100 words, per category.
    pub rates_per_100_words: BTreeMap<Category, f64>,
    /// Share of sentences with at least one finding of the category.
    pub sentence_shares: BTreeMap<Category, f64>,
    /// (boosters − hedges) / (boosters + hedges): +1 all certainty, −1 all hedging; null when
    /// the text has neither.
    pub certainty_balance: Option<f64>,
    pub sources: Sources,
    pub tones: BTreeMap<Tone, usize>,
    pub tone_shares: BTreeMap<Tone, f64>,
    /// The most frequent cues (rule findings, not attributions), most frequent first.
    pub top_cues: Vec<Cue>,
    /// Finding ids per category: every count above is the length of one of these lists.
    pub finding_ids: BTreeMap<Category, Vec<usize>>,
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

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        round(n as f64 / d as f64)
    }
}

/// Summarises a run of sentences.
pub fn summarize(sentences: &[SentenceFacts<'_>]) -> Summary {
    let words: usize = sentences.iter().map(|s| s.words).sum();
    let n = sentences.len();
    let mut finding_ids: BTreeMap<Category, Vec<usize>> =
        Category::ALL.iter().map(|c| (*c, Vec::new())).collect();
    let mut with_cat: BTreeMap<Category, usize> = Category::ALL.iter().map(|c| (*c, 0)).collect();
    let mut tones: BTreeMap<Tone, usize> = Tone::ALL.iter().map(|t| (*t, 0)).collect();
    let mut sources = Sources::default();
    let mut cues: BTreeMap<(String, Category), Vec<usize>> = BTreeMap::new();
    for s in sentences {
        *tones.entry(s.tone).or_default() += 1;
        for cat in Category::ALL {
            if s.findings.iter().any(|f| f.category == cat) {
                *with_cat.entry(cat).or_default() += 1;
            }
        }
        for f in &s.findings {
            finding_ids.entry(f.category).or_default().push(f.id);
            match f.source_kind {
                Some(SourceKind::Named) => sources.named += 1,
                Some(SourceKind::Anonymous) => sources.anonymous += 1,
                Some(SourceKind::Vague) => sources.vague += 1,
                None => {
                    cues.entry((f.text.to_lowercase(), f.category))
                        .or_default()
                        .push(f.id);
                }
            }
            sources.appeals_to_authority += usize::from(f.authority);
        }
    }
    let cited = sources.named + sources.anonymous + sources.vague;
    sources.named_share = (cited > 0).then_some((sources.named, cited));
    let counts: BTreeMap<Category, usize> =
        finding_ids.iter().map(|(c, ids)| (*c, ids.len())).collect();
    let rates = counts
        .iter()
        .map(|(c, k)| {
            (
                *c,
                if words == 0 {
                    0.0
                } else {
                    round(*k as f64 * 100.0 / words as f64)
                },
            )
        })
        .collect();
    let boosters = counts[&Category::Booster];
    let hedges = counts[&Category::Hedge];
    let certainty_balance = (boosters + hedges > 0)
        .then(|| round((boosters as f64 - hedges as f64) / (boosters + hedges) as f64));
    let mut top_cues: Vec<Cue> = cues
        .into_iter()
        .map(|((text, category), ids)| Cue {
            text,
            category,
            count: ids.len(),
            finding_ids: ids,
        })
        .collect();
    // Most frequent first; ties in a stable alphabetical order so output is deterministic.
    top_cues.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.text.cmp(&b.text))
            .then(a.category.cmp(&b.category))
    });
    top_cues.truncate(10);
    Summary {
        words,
        sentences: n,
        counts,
        rates_per_100_words: rates,
        sentence_shares: with_cat
            .into_iter()
            .map(|(c, k)| (c, ratio(k, n)))
            .collect(),
        certainty_balance,
        sources,
        tone_shares: tones.iter().map(|(t, k)| (*t, ratio(*k, n))).collect(),
        tones,
        top_cues,
        finding_ids,
        model: model_summary(sentences),
    }
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
    fn empty_input_has_no_division_by_zero() {
        let sum = summarize(&[]);
        assert_eq!(sum.rates_per_100_words[&Category::Hedge], 0.0);
        assert_eq!(sum.certainty_balance, None);
        assert!(sum.model.is_none());
    }
}
