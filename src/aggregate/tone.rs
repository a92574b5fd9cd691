//! One tone tag per sentence — promotional, hedged, critical or neutral — from a small,
//! documented rule over the rule findings and (when present) the model's heads.
//!
//! The rule, in order:
//! 1. Count cues: `sell` = promotional + booster findings, `hedge` = hedge + weasel findings,
//!    `loaded` = loaded findings. Intensifiers and attributions do not decide tone.
//! 2. With a model: positive sentiment (p ≥ 0.5) with any `sell` cue → promotional; negative
//!    sentiment (p ≥ 0.5) with a loaded cue, or p ≥ 0.8 negative with bias ≥ 0.5 → critical;
//!    uncertainty ≥ 0.5 with a hedge cue, or ≥ 0.8 alone → hedged.
//! 3. Otherwise by cues: the largest of `sell`, `hedge`, `loaded` wins when it is unique and
//!    non-zero (sell → promotional, hedge → hedged, loaded → critical); ties and no cues → neutral.

use crate::classify::SentenceScores;
use crate::tag::{Category, Finding};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Promotional,
    Hedged,
    Critical,
    Neutral,
}

impl Tone {
    pub const ALL: [Tone; 4] = [
        Tone::Promotional,
        Tone::Hedged,
        Tone::Critical,
        Tone::Neutral,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Promotional => "promotional",
            Tone::Hedged => "hedged",
            Tone::Critical => "critical",
            Tone::Neutral => "neutral",
        }
    }
}

/// The cue groups that decide tone.
#[derive(Clone, Copy)]
enum Group {
    Sell,
    Hedge,
    Loaded,
}

impl Group {
    /// The group a finding counts in for the writer's tone: a negated or quoted promotional,
    /// booster or loaded cue is not the writer's own claim ("not the best", a quoted insult),
    /// so it counts in none; hedges count wherever they stand.
    fn counted(f: &Finding) -> Option<Group> {
        Group::of(f.category).filter(|g| matches!(g, Group::Hedge) || f.context.is_plain())
    }

    fn of(category: Category) -> Option<Group> {
        match category {
            Category::Promotional | Category::Booster => Some(Group::Sell),
            Category::Hedge | Category::Weasel => Some(Group::Hedge),
            Category::Loaded => Some(Group::Loaded),
            _ => None,
        }
    }
}

/// Decides a sentence's tone and says what drove it.
pub fn decide(
    sentence: &str,
    findings: &[Finding],
    scores: Option<&SentenceScores>,
) -> (Tone, String) {
    // Counted without collecting: most sentences have no cues, and their tone should cost
    // next to nothing.
    let mut counts = [0usize; 3];
    for g in findings.iter().filter_map(Group::counted) {
        counts[g as usize] += 1;
    }
    let [sell, hedge, loaded] = counts;
    // The cues of `groups`, group by group, each quoted: “a”, “b”.
    let list = |groups: &[Group]| {
        let mut out = String::new();
        for &g in groups {
            for f in findings
                .iter()
                .filter(|f| Group::counted(f).is_some_and(|h| h as usize == g as usize))
            {
                if !out.is_empty() {
                    out.push_str(", ");
                }
                out.push('“');
                out.push_str(&sentence[f.start..f.end]);
                out.push('”');
            }
        }
        out
    };

    if let Some(s) = scores {
        let [neg, _, pos] = s.sentiment;
        if pos >= 0.5 && sell > 0 {
            return (
                Tone::Promotional,
                format!(
                    "positive sentiment ({pos:.2}) with {}",
                    list(&[Group::Sell])
                ),
            );
        }
        if neg >= 0.5 && loaded > 0 {
            return (
                Tone::Critical,
                format!(
                    "negative sentiment ({neg:.2}) with {}",
                    list(&[Group::Loaded])
                ),
            );
        }
        if neg >= 0.8 && s.bias >= 0.5 {
            return (
                Tone::Critical,
                format!("strongly negative ({neg:.2}) and biased ({:.2})", s.bias),
            );
        }
        if s.uncertainty >= 0.5 && hedge > 0 {
            return (
                Tone::Hedged,
                format!(
                    "uncertain ({:.2}) with {}",
                    s.uncertainty,
                    list(&[Group::Hedge])
                ),
            );
        }
        if s.uncertainty >= 0.8 {
            return (
                Tone::Hedged,
                format!("model finds it uncertain ({:.2})", s.uncertainty),
            );
        }
    }
    let max = sell.max(hedge).max(loaded);
    let winners = [
        (Tone::Promotional, Group::Sell, sell),
        (Tone::Hedged, Group::Hedge, hedge),
        (Tone::Critical, Group::Loaded, loaded),
    ];
    let mut top = winners.iter().filter(|(_, _, n)| *n == max);
    match (max, top.next(), top.next()) {
        (0, _, _) => (Tone::Neutral, neutral_reason(sentence, findings)),
        (_, Some(&(tone, group, _)), None) => {
            let what = match group {
                Group::Sell => "promotional/booster cues",
                Group::Hedge => "hedge/weasel cues",
                Group::Loaded => "loaded cues",
            };
            (tone, format!("{what}: {}", list(&[group])))
        }
        _ => (
            Tone::Neutral,
            format!(
                "balanced cues: {}",
                list(&[Group::Sell, Group::Hedge, Group::Loaded])
            ),
        ),
    }
}

/// Why a sentence without counted cues is neutral: none at all, or only negated or quoted ones.
fn neutral_reason(sentence: &str, findings: &[Finding]) -> String {
    let set_aside: Vec<String> = findings
        .iter()
        .filter(|f| Group::of(f.category).is_some() && Group::counted(f).is_none())
        .map(|f| {
            let how = if f.context.negated {
                "negated"
            } else {
                "quoted"
            };
            format!("“{}” ({how})", &sentence[f.start..f.end])
        })
        .collect();
    if set_aside.is_empty() {
        "no promotional, hedging or loaded cues".into()
    } else {
        format!(
            "no promotional, hedging or loaded cues of the writer's own: {}",
            set_aside.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(cat: Category, start: usize, end: usize) -> Finding {
        Finding {
            rule: "t".into(),
            category: cat,
            start,
            end,
            message: "".into(),
            attribution: None,
            context: Default::default(),
        }
    }

    #[test]
    fn cue_majority_decides_without_model() {
        let s = "A truly landmark deal, clearly.";
        let (t, why) = decide(
            s,
            &[
                f(Category::Promotional, 8, 16),
                f(Category::Booster, 23, 30),
            ],
            None,
        );
        assert_eq!(t, Tone::Promotional);
        assert!(
            why.contains("“landmark”") && why.contains("“clearly”"),
            "{why}"
        );
        assert_eq!(decide("Plain.", &[], None).0, Tone::Neutral);
        let tie = decide(
            "may best",
            &[f(Category::Hedge, 0, 3), f(Category::Promotional, 4, 8)],
            None,
        );
        assert_eq!(tie.0, Tone::Neutral);
    }

    #[test]
    fn model_sentiment_with_cues() {
        let scores = SentenceScores {
            sentiment: [0.1, 0.2, 0.7],
            uncertainty: 0.1,
            bias: 0.2,
            techniques: vec![],
        };
        let (t, why) = decide(
            "a fine deal",
            &[f(Category::Promotional, 2, 6)],
            Some(&scores),
        );
        assert_eq!(t, Tone::Promotional);
        assert!(why.starts_with("positive sentiment (0.70)"), "{why}");
    }
}
