//! The learned sentence classifier's seat in the pipeline.
//!
//! A [`SentenceModel`] scores sentences; the pipeline works without one (rules-only analysis).

pub mod onnx;
pub mod runtime;
pub mod stance;

use serde::Serialize;

/// What the model says about one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceScores {
    /// Probabilities for negative, neutral, positive.
    pub sentiment: [f32; 3],
    /// Probability that the sentence is uncertain (hedged or speculative).
    pub uncertainty: f32,
    /// Probability that the sentence is biased.
    pub bias: f32,
    /// Propaganda technique probabilities, in the model's technique order.
    pub techniques: Vec<f32>,
}

pub const SENTIMENT_LABELS: [&str; 3] = ["negative", "neutral", "positive"];

impl SentenceScores {
    /// The most probable sentiment label.
    pub fn sentiment_label(&self) -> &'static str {
        let best = (0..3)
            .max_by(|&a, &b| self.sentiment[a].total_cmp(&self.sentiment[b]))
            .unwrap_or(1);
        SENTIMENT_LABELS[best]
    }
}

/// A model that scores sentences in batches.
pub trait SentenceModel: Send + Sync {
    /// Scores each sentence; the result has one entry per input, in order.
    fn score(&self, sentences: &[&str]) -> anyhow::Result<Vec<SentenceScores>>;
    /// Names of the technique outputs, in order.
    fn technique_names(&self) -> &[String];
    /// Identifies the model for manifests and reports (name and content hash).
    fn id(&self) -> String;
}

/// Loads the installed classifier from [`runtime::model_dir`]. A missing model or runtime is an
/// error that names the fix; `--no-model` skips this entirely.
pub fn load_default() -> anyhow::Result<std::sync::Arc<dyn SentenceModel>> {
    Ok(std::sync::Arc::new(load_onnx()?))
}

/// The installed classifier as its concrete type (stance and parity need more than scores).
pub fn load_onnx() -> anyhow::Result<onnx::OnnxModel> {
    let dir = runtime::model_dir();
    if !dir.join("config.json").is_file() {
        anyhow::bail!(
            "no classifier model in {} (set RHETOR_MODEL_DIR to a model directory); pass --no-model for rules-only analysis",
            dir.display()
        );
    }
    onnx::OnnxModel::load(&dir)
}

/// rhetor's sentence-level judgement of uncertainty in the sense of the CoNLL-2010 Wikipedia
/// task: a sentence is uncertain when it hedges *or* attributes vaguely.
///
/// - Weasel findings and vague or anonymous attributions make a sentence uncertain (the
///   uncertainty head, trained on speculation cues, does not know weasels).
/// - With the model: the head's probability ≥ `HEAD_THRESHOLD`, or a hedge cue with probability
///   ≥ `HEDGE_SUPPORT` (the cue alone misfires too often: "could" in a plain conditional).
/// - Without the model: any hedge cue.
pub fn is_uncertain(scores: Option<&SentenceScores>, findings: &[crate::tag::Finding]) -> bool {
    use crate::tag::{Category, SourceKind};
    const HEAD_THRESHOLD: f32 = 0.5;
    const HEDGE_SUPPORT: f32 = 0.25;
    let weasel = findings.iter().any(|f| {
        f.category == Category::Weasel
            || f.attribution
                .as_ref()
                // "he said" with nobody named before it is unresolved, not a weasel
                .is_some_and(|a| {
                    !a.pronoun && matches!(a.source_kind, SourceKind::Vague | SourceKind::Anonymous)
                })
    });
    let hedge = findings.iter().any(|f| f.category == Category::Hedge);
    weasel
        || match scores {
            Some(s) => s.uncertainty >= HEAD_THRESHOLD || (hedge && s.uncertainty >= HEDGE_SUPPORT),
            None => hedge,
        }
}
