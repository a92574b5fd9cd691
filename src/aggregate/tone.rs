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

/// Decides a sentence's tone and says what drove it.
pub fn decide(
    sentence: &str,
    findings: &[Finding],
    scores: Option<&SentenceScores>,
) -> (Tone, String) {
    let cues = |cats: &[Category]| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| cats.contains(&f.category))
            .map(|f| &sentence[f.start..f.end])
            .collect()
    };
    let sell = cues(&[Category::Promotional, Category::Booster]);
    let hedge = cues(&[Category::Hedge, Category::Weasel]);
    let loaded = cues(&[Category::Loaded]);
    let list = |v: &[&str]| {
        v.iter()
            .map(|c| format!("“{c}”"))
            .collect::<Vec<_>>()
            .join(", ")
    };

    if let Some(s) = scores {
        let [neg, _, pos] = s.sentiment;
        if pos >= 0.5 && !sell.is_empty() {
            return (
                Tone::Promotional,
                format!("positive sentiment ({pos:.2}) with {}", list(&sell)),
            );
        }
        if neg >= 0.5 && !loaded.is_empty() {
            return (
                Tone::Critical,
                format!("negative sentiment ({neg:.2}) with {}", list(&loaded)),
            );
        }
        if neg >= 0.8 && s.bias >= 0.5 {
            return (
                Tone::Critical,
                format!("strongly negative ({neg:.2}) and biased ({:.2})", s.bias),
            );
        }
        if s.uncertainty >= 0.5 && !hedge.is_empty() {
            return (
                Tone::Hedged,
                format!("uncertain ({:.2}) with {}", s.uncertainty, list(&hedge)),
            );
        }
        if s.uncertainty >= 0.8 {
            return (
                Tone::Hedged,
                format!("model finds it uncertain ({:.2})", s.uncertainty),
            );
        }
    }
    let counts = [
        (Tone::Promotional, &sell),
        (Tone::Hedged, &hedge),
        (Tone::Critical, &loaded),
    ];
    let max = counts.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    let winners: Vec<_> = counts.iter().filter(|(_, v)| v.len() == max).collect();
    match (max, winners.as_slice()) {
        (0, _) => (
            Tone::Neutral,
            "no promotional, hedging or loaded cues".into(),
        ),
        (_, [(tone, v)]) => {
            let what = match tone {
                Tone::Promotional => "promotional/booster cues",
                Tone::Hedged => "hedge/weasel cues",
                _ => "loaded cues",
            };
            (*tone, format!("{what}: {}", list(v)))
        }
        _ => (
            Tone::Neutral,
            format!("balanced cues: {}", list(&[sell, hedge, loaded].concat())),
        ),
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
