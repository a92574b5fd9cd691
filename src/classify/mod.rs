//! The learned sentence classifier's seat in the pipeline.
//!
//! A [`SentenceModel`] scores sentences; the pipeline works without one (rules-only analysis).

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

/// Loads the installed classifier. Until one is installed this is an error that names the fix.
pub fn load_default() -> anyhow::Result<std::sync::Arc<dyn SentenceModel>> {
    anyhow::bail!(
        "no classifier model is installed (models/classifier/model.int8.onnx); pass --no-model for rules-only analysis"
    )
}
