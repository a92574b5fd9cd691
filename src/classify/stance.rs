//! Stance toward targets: one encoder pass per (sentence, target) pair that the sentence
//! mentions, all pairs in one batched call, then tallies per target, per section and per column.
//!
//! The rules, all in this file:
//! - **Per sentence**: the stance head's most probable label for (sentence, target name); a side
//!   only when its probability reaches [`SIDE_MIN`], else `none`.
//! - **Quoted**: a mention inside a quotation is the quoted speaker's view, not the writer's: it
//!   is judged and shown (`quoted`), but not counted in the writer's tally.
//! - **Per target** (and per section): with `f` favour, `a` against and `n` none judgements, the
//!   stance is `favor` when `f ≥` [`MIN_SIDED`], `f ≥ 2a` and `(f − a) / (f + a + n) ≥`
//!   [`MARGIN`] (neutral mentions count in the denominator), `against` likewise, else `none`,
//!   with the reason: no side taken, too few (thin evidence), or mixed.
//! - **Evidence**: the sentences whose judgement is the target's stance; for `none`, every
//!   sentence that mentions the target. The **strongest** evidence: up to three of them, most
//!   probable first.
//! - **One-sidedness** of a column: among targets with at least [`ONE_SIDED_MIN_EVALUATED`]
//!   evaluated sentences, the share that are only ever favoured (some favour, no against) or
//!   only ever opposed.
//!
//! Without a stance head (or with `--no-model`) targets and mentions still come out, every
//! sentence counts as `none`, nothing is evaluated, and a note says why.

use super::onnx::OnnxModel;
use crate::document::Document;
use crate::tag::targets::{self, Line, Target, TargetSpec};
use serde::Serialize;

/// The stance head's labels, in its output order.
pub const STANCE_LABELS: [&str; 3] = ["favor", "against", "none"];

/// Targets need this many evaluated sentences to count towards one-sidedness.
pub const ONE_SIDED_MIN_EVALUATED: usize = 2;

/// The probability a side needs for a sentence to take it.
pub const SIDE_MIN: f32 = 0.6;
/// Sentences a side needs before a column-level verdict takes it.
pub const MIN_SIDED: usize = 2;
/// The lead of the winning side over the other, as a share of every judged mention.
pub const MARGIN: f64 = 0.15;
/// Strongest evidence sentences named per verdict.
pub const STRONGEST: usize = 3;

/// The documented aggregation rule, as the report states it.
pub const RULE: &str = "per sentence: the stance head's most probable label for (the sentence with the target's mentions marked, the words naming it there), a side only at p ≥ 0.6; \
mentions inside a quotation are the speaker's view and are not counted; \
per target and section: favor if favor ≥ 2, favor ≥ 2 × against and (favor − against) ≥ 0.15 × all judged mentions, against likewise, else none (no side, too few, or mixed); \
evidence: the sentences with the target's stance (all mentioning sentences for none), strongest first";

/// Scores (sentence, target) pairs: probabilities of favor, against, none.
pub trait StanceScorer: Send + Sync {
    fn stance(&self, pairs: &[(&str, &str)]) -> anyhow::Result<Vec<[f32; 3]>>;
    /// Whether the scorer reads whole sentences with the target's mentions marked ([`mark`])
    /// rather than the clause of the mention ([`context`]).
    fn marks_mentions(&self) -> bool {
        false
    }
}

impl StanceScorer for OnnxModel {
    fn stance(&self, pairs: &[(&str, &str)]) -> anyhow::Result<Vec<[f32; 3]>> {
        OnnxModel::stance(self, pairs)
    }
    fn marks_mentions(&self) -> bool {
        self.stance_marks_mentions()
    }
}

/// The marks around a target's mention for a scorer that [`StanceScorer::marks_mentions`].
pub const MARK_OPEN: &str = "«";
pub const MARK_CLOSE: &str = "»";

/// `sentence` with each byte span in `spans` wrapped in « and » (overlapping or out-of-range
/// spans are skipped; « and » already in the text become plain quotes, so the marks are the
/// only ones). The training recipe marks its rows the same way (models/train/stance_news.py).
pub fn mark(sentence: &str, spans: &[(usize, usize)]) -> String {
    let clean = |out: &mut String, part: &str| {
        for c in part.chars() {
            out.push(if c == '«' || c == '»' { '"' } else { c });
        }
    };
    let mut spans = spans.to_vec();
    spans.sort_unstable();
    spans.dedup();
    let mut out = String::with_capacity(sentence.len() + 6 * spans.len());
    let mut at = 0;
    for (s, e) in spans {
        let valid = s >= at
            && s < e
            && e <= sentence.len()
            && sentence.is_char_boundary(s)
            && sentence.is_char_boundary(e);
        if !valid {
            continue;
        }
        clean(&mut out, &sentence[at..s]);
        out.push_str(MARK_OPEN);
        out.push(' ');
        clean(&mut out, &sentence[s..e]);
        out.push(' ');
        out.push_str(MARK_CLOSE);
        at = e;
    }
    clean(&mut out, &sentence[at..]);
    out
}

/// `text` with every whole-word, case-insensitive occurrence of `target` marked (`eval stance`
/// rows); unmarked when the target is not named in it (SemEval topics).
pub fn mark_word(text: &str, target: &str) -> String {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return mark(text, &[]);
    }
    mark(
        text,
        &crate::tag::targets::find_word(&lower, &target.to_lowercase()),
    )
}

/// The (sentence, target) pair `scorer` reads for a labelled row (`eval stance`).
pub fn row_pair<'a>(
    scorer: &dyn StanceScorer,
    text: &'a str,
    target: &'a str,
) -> (std::borrow::Cow<'a, str>, &'a str) {
    if scorer.marks_mentions() {
        (mark_word(text, target).into(), target)
    } else {
        (context_of(text, target).into(), target)
    }
}

/// Where stance judgements come from.
pub enum Scorer<'a> {
    Model(&'a dyn StanceScorer),
    /// No judgements; the note says why.
    Off(String),
}

impl<'a> Scorer<'a> {
    /// The loaded model's stance head, or why there is none (`None`: `--no-model`).
    pub fn of(model: Option<&'a OnnxModel>) -> Self {
        match model {
            Some(m) if m.has_stance() => Scorer::Model(m),
            Some(_) => Scorer::Off(
                "the classifier has no stance head: every mention counts as none".into(),
            ),
            None => Scorer::Off(
                "model off: targets and mentions come from the text; every mention counts as none"
                    .into(),
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Favor,
    Against,
    None,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Favor, Stance::Against, Stance::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Favor => "favor",
            Stance::Against => "against",
            Stance::None => "none",
        }
    }

    /// The most probable label (ties go to the later label, i.e. towards none).
    pub fn of_scores(p: &[f32; 3]) -> Self {
        let best = (0..3)
            .max_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)))
            .unwrap_or(2);
        Stance::ALL[best]
    }

    /// A sentence's judgement in a column: the most probable label, but a side only when its
    /// probability reaches [`SIDE_MIN`] (a 0.45 "against" beside 0.40 "none" takes no side).
    pub fn judged(p: &[f32; 3]) -> Self {
        match Stance::of_scores(p) {
            Stance::Favor if p[0] < SIDE_MIN => Stance::None,
            Stance::Against if p[1] < SIDE_MIN => Stance::None,
            s => s,
        }
    }

    fn index(self) -> usize {
        match self {
            Stance::Favor => 0,
            Stance::Against => 1,
            Stance::None => 2,
        }
    }
}

/// The judgement of one sentence about one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub sentence: usize,
    pub section: usize,
    pub stance: Stance,
    /// favor, against, none; `None` when not evaluated.
    pub scores: Option<[f32; 3]>,
    /// The mention stands inside a quotation: the speaker's view, not counted for the writer.
    pub quoted: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub favor: usize,
    pub against: usize,
    pub none: usize,
}

impl Tally {
    fn add(&mut self, s: Stance) {
        match s {
            Stance::Favor => self.favor += 1,
            Stance::Against => self.against += 1,
            Stance::None => self.none += 1,
        }
    }

    pub fn get(&self, s: Stance) -> usize {
        match s {
            Stance::Favor => self.favor,
            Stance::Against => self.against,
            Stance::None => self.none,
        }
    }

    /// The stance these judgements add up to (the module's rule), and why.
    pub fn verdict(&self) -> (Stance, String) {
        let (f, a) = (self.favor, self.against);
        let total = (f + a + self.none) as f64;
        let counts = format!("{f} favor, {a} against, {} none", self.none);
        let leads = |x: usize, y: usize| x > y && x >= 2 * y;
        let clear = |x: usize, y: usize| x >= MIN_SIDED && (x - y) as f64 >= MARGIN * total;
        if f + a == 0 {
            (
                Stance::None,
                format!("none: no sentence takes a side ({counts})"),
            )
        } else if leads(f, a) && clear(f, a) {
            (Stance::Favor, counts)
        } else if leads(a, f) && clear(a, f) {
            (Stance::Against, counts)
        } else if leads(f, a) || leads(a, f) {
            (Stance::None, format!("none (too few): {counts}"))
        } else {
            (Stance::None, format!("none (mixed): {counts}"))
        }
    }
}

/// A target with its judgements and what they add up to.
#[derive(Debug, Clone)]
pub struct TargetStance {
    pub target: Target,
    /// One per sentence that mentions the target, in order.
    pub judgements: Vec<Judgement>,
    pub counts: Tally,
    pub stance: Stance,
    pub reason: String,
    /// Per section that mentions the target: (section index, tally, stance).
    pub sections: Vec<(usize, Tally, Stance)>,
}

impl TargetStance {
    /// Up to [`STRONGEST`] sentences behind the stance, the most probable judgement first
    /// (for `none`, the most clearly neutral mentions).
    pub fn strongest(&self) -> Vec<usize> {
        let i = self.stance.index();
        let mut backing: Vec<(f32, usize)> = self
            .judgements
            .iter()
            .filter(|j| !j.quoted && j.stance == self.stance)
            .filter_map(|j| j.scores.map(|p| (p[i], j.sentence)))
            .collect();
        backing.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        backing
            .into_iter()
            .take(STRONGEST)
            .map(|(_, s)| s)
            .collect()
    }

    /// Sentences where the target is named inside a quotation (the speaker's view).
    pub fn quoted(&self) -> Vec<usize> {
        self.judgements
            .iter()
            .filter(|j| j.quoted)
            .map(|j| j.sentence)
            .collect()
    }
}

impl TargetStance {
    /// The sentences behind the stance: those judged so, or all mentioning ones for `none`
    /// (quoted mentions are the speakers' and stand apart: [`TargetStance::quoted`]).
    pub fn evidence(&self) -> Vec<usize> {
        self.judgements
            .iter()
            .filter(|j| !j.quoted && (self.stance == Stance::None || j.stance == self.stance))
            .map(|j| j.sentence)
            .collect()
    }

    /// Sentence ids per judged label (the writer's: quoted mentions left out).
    pub fn evidence_for(&self, s: Stance) -> Vec<usize> {
        self.judgements
            .iter()
            .filter(|j| !j.quoted && j.stance == s)
            .map(|j| j.sentence)
            .collect()
    }

    /// Sentences the model judged.
    pub fn evaluated(&self) -> usize {
        self.judgements
            .iter()
            .filter(|j| j.scores.is_some())
            .count()
    }
}

/// How one-sided a column is towards the targets it judges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OneSidedness {
    /// Evaluated sentences a target needs to count.
    pub min_evaluated: usize,
    /// Targets with that many evaluated sentences.
    pub eligible: usize,
    /// Of those, targets only ever favoured or only ever opposed.
    pub one_sided: usize,
    /// `one_sided / eligible`; null when no target is eligible.
    pub share: Option<f64>,
    pub favoured_only: Vec<String>,
    pub opposed_only: Vec<String>,
}

/// Stance toward every target of a column.
#[derive(Debug, Clone)]
pub struct StanceAnalysis {
    pub targets: Vec<TargetStance>,
    /// Whether a stance head judged the mentions.
    pub evaluated: bool,
    pub note: String,
    pub one_sidedness: OneSidedness,
}

impl StanceAnalysis {
    /// No targets at all, for outputs that carry none (CSV sentence rows, batch rows): target
    /// detection tokenises every word of every sentence, a third of a rules-only run.
    pub fn skipped(note: impl Into<String>) -> Self {
        Self {
            targets: Vec::new(),
            evaluated: false,
            note: note.into(),
            one_sidedness: one_sidedness(&[]),
        }
    }
}

/// Detects the document's targets (with the user's on top) and judges them.
pub fn analyse(
    doc: &Document,
    user: &[TargetSpec],
    scorer: Scorer<'_>,
) -> anyhow::Result<StanceAnalysis> {
    let lines = targets::lines(doc);
    let found = targets::detect(&lines, user, &targets::Options::default());
    assess(&lines, found, scorer)
}

/// Judges each (sentence, target) pair the targets' mentions make, in one batched call.
pub fn assess(
    lines: &[Line<'_>],
    found: Vec<Target>,
    scorer: Scorer<'_>,
) -> anyhow::Result<StanceAnalysis> {
    let by_id: std::collections::HashMap<usize, &Line<'_>> =
        lines.iter().map(|l| (l.sentence, l)).collect();
    let line_of = |sentence: usize| by_id.get(&sentence).copied();
    let per_target: Vec<Vec<usize>> = found.iter().map(Target::sentences).collect();
    let (scores, evaluated, note) = match scorer {
        Scorer::Model(m) => {
            let marked = m.marks_mentions();
            let owned: Vec<(std::borrow::Cow<'_, str>, &str)> = found
                .iter()
                .zip(&per_target)
                .flat_map(|(t, ids)| {
                    ids.iter().filter_map(move |id| {
                        line_of(*id).map(|l| pair_for(t, *id, l.text, marked))
                    })
                })
                .collect();
            let pairs: Vec<(&str, &str)> = owned.iter().map(|(s, t)| (s.as_ref(), *t)).collect();
            let scores = if pairs.is_empty() {
                Vec::new()
            } else {
                m.stance(&pairs)?
            };
            anyhow::ensure!(
                scores.len() == pairs.len(),
                "stance scorer returned {} results for {} pairs",
                scores.len(),
                pairs.len()
            );
            let source = if marked {
                "the news stance graph"
            } else {
                "the classifier's stance head"
            };
            let note = format!(
                "stance from {source}: {} (sentence, target) pairs",
                pairs.len()
            );
            (Some(scores), true, note)
        }
        Scorer::Off(note) => (None, false, note),
    };
    let mut scores = scores.map(Vec::into_iter);
    let mut out = Vec::with_capacity(found.len());
    for (target, ids) in found.into_iter().zip(per_target) {
        let judgements: Vec<Judgement> = ids
            .iter()
            .filter_map(|id| line_of(*id))
            .map(|l| {
                let p = scores.as_mut().and_then(Iterator::next);
                Judgement {
                    sentence: l.sentence,
                    section: l.section,
                    stance: p.as_ref().map_or(Stance::None, Stance::judged),
                    scores: p,
                    quoted: mentioned_in_quote(&target, l),
                }
            })
            .collect();
        out.push(tally(target, judgements));
    }
    let one_sidedness = one_sidedness(&out);
    Ok(StanceAnalysis {
        targets: out,
        evaluated,
        note,
        one_sidedness,
    })
}

/// Whether every mention of `target` in the line stands inside a quotation ("…," said X).
fn mentioned_in_quote(target: &Target, line: &Line<'_>) -> bool {
    let mut here = target
        .mentions
        .iter()
        .filter(|m| m.sentence == line.sentence)
        .peekable();
    if here.peek().is_none() || !line.text.contains(['"', '“']) {
        return false;
    }
    let quotes = crate::tag::scope::quoted_spans(line.text);
    here.all(|m| quotes.iter().any(|&(a, b)| a <= m.start && m.end <= b))
}

/// What the stance head reads for `target` in sentence `id`, with the words that name it there
/// ("Islamabad", "Pakistani"), so the pair reads like the training data, where the target is a
/// span of the text. `marked` (the news-trained stance graph): the whole sentence with every
/// mention of the target in it marked ([`mark`]); otherwise the clause of its first mention (see
/// [`context`]). A sentence without a recorded mention (a user target named only by an alias the
/// text lacks) is read whole, with the name.
fn pair_for<'a>(
    target: &'a Target,
    id: usize,
    sentence: &'a str,
    marked: bool,
) -> (std::borrow::Cow<'a, str>, &'a str) {
    let mut here = target
        .mentions
        .iter()
        .filter(|m| m.sentence == id)
        .peekable();
    match here.peek() {
        Some(first) if marked => {
            let name = first.text.as_str();
            let spans: Vec<(usize, usize)> = here.map(|m| (m.start, m.end)).collect();
            (mark(sentence, &spans).into(), name)
        }
        Some(m) => (context(sentence, m.start, m.end).into(), m.text.as_str()),
        None if marked => (mark(sentence, &[]).into(), target.name.as_str()),
        None => (sentence.into(), target.name.as_str()),
    }
}

/// [`context`] around the first whole-word, case-insensitive mention of `target` in `text`, or
/// all of `text` when the target is not named in it (`eval stance` rows).
pub fn context_of<'a>(text: &'a str, target: &str) -> &'a str {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return text;
    }
    match crate::tag::targets::find_word(&lower, &target.to_lowercase()).first() {
        Some(&(s, e)) => clause(text, &lower, s, e),
        None => text,
    }
}

/// Words that end a clause for stance purposes: what follows is usually said of someone else
/// ("Norland kept its word, while Vestmark lied").
const CLAUSE_BREAKS: &[&str] = &[
    "; ",
    " while ",
    " whereas ",
    " but ",
    " although ",
    " though ",
    " unlike ",
];

/// The clause of `sentence` that holds the mention at `start..end` (split at
/// [`CLAUSE_BREAKS`]). The head was trained on short texts about one target; a column sentence
/// that praises one party and condemns another was read as one tone for both. Measured on
/// reports/stance/probe.csv: F_avg 0.634 on whole sentences, 0.664 on clauses; a window of 12
/// or 8 words around the mention did worse on every set (0.625, 0.637), as did 6 (0.564).
pub fn context(sentence: &str, start: usize, end: usize) -> &str {
    let lower = sentence.to_lowercase();
    if lower.len() != sentence.len() {
        return sentence; // lower-casing changed byte offsets (rare scripts): read it whole
    }
    clause(sentence, &lower, start, end)
}

/// [`context`] given the sentence already lower-cased (same byte offsets).
fn clause<'a>(sentence: &'a str, lower: &str, start: usize, end: usize) -> &'a str {
    let clause_start = CLAUSE_BREAKS
        .iter()
        .filter_map(|b| lower[..start].rfind(b).map(|i| i + b.len()))
        .max()
        .unwrap_or(0);
    let clause_end = CLAUSE_BREAKS
        .iter()
        .filter_map(|b| lower[end..].find(b).map(|i| end + i))
        .min()
        .unwrap_or(sentence.len());
    sentence[clause_start..clause_end].trim_matches(|c: char| c.is_whitespace() || c == ',')
}

fn tally(target: Target, judgements: Vec<Judgement>) -> TargetStance {
    let mut counts = Tally::default();
    let mut sections: Vec<(usize, Tally, Stance)> = Vec::new();
    for j in judgements.iter().filter(|j| !j.quoted) {
        counts.add(j.stance);
        match sections.iter_mut().find(|(s, _, _)| *s == j.section) {
            Some((_, t, _)) => t.add(j.stance),
            None => {
                let mut t = Tally::default();
                t.add(j.stance);
                sections.push((j.section, t, Stance::None));
            }
        }
    }
    for (_, t, s) in &mut sections {
        *s = t.verdict().0;
    }
    let (stance, reason) = counts.verdict();
    TargetStance {
        target,
        judgements,
        counts,
        stance,
        reason,
        sections,
    }
}

fn one_sidedness(targets: &[TargetStance]) -> OneSidedness {
    let eligible: Vec<&TargetStance> = targets
        .iter()
        .filter(|t| t.evaluated() >= ONE_SIDED_MIN_EVALUATED)
        .collect();
    let names = |pred: fn(&Tally) -> bool| -> Vec<String> {
        eligible
            .iter()
            .filter(|t| pred(&t.counts))
            .map(|t| t.target.name.clone())
            .collect()
    };
    let favoured_only = names(|c| c.favor > 0 && c.against == 0);
    let opposed_only = names(|c| c.against > 0 && c.favor == 0);
    let one_sided = favoured_only.len() + opposed_only.len();
    OneSidedness {
        min_evaluated: ONE_SIDED_MIN_EVALUATED,
        eligible: eligible.len(),
        one_sided,
        share: (!eligible.is_empty())
            .then(|| (one_sided as f64 / eligible.len() as f64 * 10_000.0).round() / 10_000.0),
        favoured_only,
        opposed_only,
    }
}

/// SemEval-2016 Task 6's F_avg: the mean of the FAVOR and AGAINST F1 scores (pooled over
/// targets when the metrics are).
pub fn f_avg(m: &crate::eval::Metrics) -> f64 {
    let f1 = |l: &str| m.per_class.get(l).map_or(0.0, |c| c.f1);
    ((f1("favor") + f1("against")) / 2.0 * 10_000.0).round() / 10_000.0
}

/// The per-target majority-class baseline: every row gets its target's most frequent label in
/// `train_targets`/`train_labels` (ties go to the earlier of favor, against, none; a target never
/// seen gets the overall majority).
pub fn majority_per_target<'a>(
    train_targets: &[&str],
    train_labels: &[&'a str],
    targets: &[&str],
) -> Vec<&'a str> {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<&str, BTreeMap<&'a str, usize>> = BTreeMap::new();
    let mut overall: BTreeMap<&'a str, usize> = BTreeMap::new();
    for (t, l) in train_targets.iter().zip(train_labels) {
        *counts.entry(t).or_default().entry(l).or_default() += 1;
        *overall.entry(l).or_default() += 1;
    }
    let best = |c: &BTreeMap<&'a str, usize>| -> &'a str {
        let rank = |l: &str| STANCE_LABELS.iter().position(|x| *x == l).unwrap_or(3);
        c.iter()
            .max_by(|a, b| a.1.cmp(b.1).then(rank(b.0).cmp(&rank(a.0))))
            .map_or("none", |(l, _)| *l)
    };
    let fallback = best(&overall);
    targets
        .iter()
        .map(|t| counts.get(t).map_or(fallback, best))
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn mark_wraps_each_mention_and_only_those() {
        let s = "Norland said «no», and Norland's envoy left.";
        let at: Vec<(usize, usize)> = crate::tag::targets::find_word(&s.to_lowercase(), "norland");
        assert_eq!(at.len(), 2);
        assert_eq!(
            mark(s, &at),
            "« Norland » said \"no\", and « Norland »'s envoy left."
        );
        assert_eq!(mark_word(s, "NORLAND"), mark(s, &at));
        // overlapping, empty, reversed and out-of-range spans are skipped, not a panic
        assert_eq!(
            mark("ab", &[(0, 2), (1, 2), (1, 1), (2, 1), (0, 9)]),
            "« ab »"
        );
        assert_eq!(mark("é", &[(1, 2)]), "é", "not a char boundary");
        assert_eq!(
            mark_word("Atheism is a topic.", "Vestmark"),
            "Atheism is a topic."
        );
    }

    #[test]
    fn context_is_the_clause_that_names_the_target() {
        let s = "Norland kept every promise, while Vestmark lied; the talks failed.";
        let at = |w: &str| {
            let i = s.find(w).unwrap();
            context(s, i, i + w.len())
        };
        assert_eq!(at("Norland"), "Norland kept every promise");
        assert_eq!(at("Vestmark"), "Vestmark lied");
        let plain = "Norland kept every promise.";
        assert_eq!(context(plain, 0, 7), plain);
        assert_eq!(context_of(s, "vestmark"), "Vestmark lied");
        assert_eq!(
            context_of(s, "Atheism"),
            s,
            "a topic the text does not name: all of it"
        );
    }

    use super::*;

    #[test]
    fn verdict_needs_two_sided_sentences_a_two_to_one_lead_and_a_margin_over_all_mentions() {
        let t = |favor, against, none| Tally {
            favor,
            against,
            none,
        };
        assert_eq!(t(2, 0, 3).verdict().0, Stance::Favor);
        assert_eq!(t(4, 2, 3).verdict().0, Stance::Favor);
        assert_eq!(t(0, 2, 0).verdict().0, Stance::Against);
        // one sentence is thin evidence, however quiet the rest
        let (s, why) = t(1, 0, 3).verdict();
        assert_eq!(s, Stance::None);
        assert!(why.starts_with("none (too few)"), "{why}");
        // neutral mentions count: 2 of 14 is no clear lead
        assert!(t(2, 0, 12).verdict().1.starts_with("none (too few)"));
        let (s, why) = t(3, 2, 3).verdict();
        assert_eq!(s, Stance::None);
        assert!(why.starts_with("none (mixed)"), "{why}");
        assert!(t(0, 0, 4).verdict().1.contains("no sentence takes a side"));
        assert_eq!(Stance::of_scores(&[0.2, 0.5, 0.3]), Stance::Against);
        // a side needs p >= SIDE_MIN in a column
        assert_eq!(Stance::judged(&[0.2, 0.5, 0.3]), Stance::None);
        assert_eq!(Stance::judged(&[0.7, 0.1, 0.2]), Stance::Favor);
    }

    #[test]
    fn f_avg_and_majority_baseline() {
        let labels = ["favor", "against", "none"];
        let gold = ["favor", "favor", "against", "against", "none"];
        let pred = ["favor", "against", "against", "against", "none"];
        let m = crate::eval::metrics(&labels, &gold, &pred);
        // favor F1 = 2/3, against F1 = 0.8
        assert_eq!(f_avg(&m), 0.7333);
        let maj = majority_per_target(
            &["A", "A", "A", "A", "B", "B", "B"],
            &[
                "against", "against", "favor", "against", "favor", "favor", "against",
            ],
            &["A", "B", "C"],
        );
        assert_eq!(maj, ["against", "favor", "against"]);
    }
}
