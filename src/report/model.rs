//! The versioned report model: the only thing printers see.
//!
//! Field names follow the Contract in DESIGN.md. Bump [`SCHEMA_VERSION`] on any breaking change.

use crate::aggregate::{Summary, Tone};
use crate::document::SourceFormat;
use crate::tag::{Category, SourceKind};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub input: Input,
    pub title: Option<String>,
    pub model: ModelInfo,
    pub summary: Summary,
    pub sections: Vec<SectionReport>,
    pub sentences: Vec<SentenceReport>,
    pub targets: Vec<TargetReport>,
    /// How stance was judged, and the column's one-sidedness.
    pub stance: StanceReport,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
    /// sha256 of the rule set in force (ids, cues, exceptions).
    pub rules_hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// The path as given, or null for stdin.
    pub path: Option<String>,
    pub format: SourceFormat,
    pub bytes: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelInfo {
    pub enabled: bool,
    pub id: Option<String>,
    /// Technique names, in the order of each sentence's `techniques`.
    pub techniques: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionReport {
    pub index: usize,
    pub heading: Option<String>,
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
    /// Ids of the section's sentences (a contiguous run).
    pub sentence_ids: Vec<usize>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize)]
pub struct SentenceReport {
    pub id: usize,
    pub section: usize,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub words: usize,
    /// Null when the model is off.
    pub sentiment: Option<Sentiment>,
    pub uncertainty: Option<f64>,
    pub bias: Option<f64>,
    /// Technique name → probability; null when the model is off.
    pub techniques: Option<BTreeMap<String, f64>>,
    pub tone: Tone,
    pub tone_reason: String,
    pub findings: Vec<FindingReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sentiment {
    pub label: &'static str,
    pub scores: BTreeMap<&'static str, f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingReport {
    /// Document-wide id; summaries list these.
    pub id: usize,
    pub rule: Arc<str>,
    pub category: Category,
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub text: String,
    pub message: Arc<str>,
    /// Byte span within the sentence's `text` (for printers that mark sentence text).
    #[serde(skip)]
    pub local: (usize, usize),
    /// Attribution findings only: the named person or body, or null when anonymous or vague.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_kind: Option<SourceKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
    /// Attribution findings only: the rank or credential leaned on, when any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<Option<String>>,
    /// The cue stands in a negation's scope ("not the best"); present only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub negated: bool,
    /// The cue stands inside a quotation: the speaker's words; present only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub quoted: bool,
}

/// A person, state, institution or group the column names, and the writer's stance toward it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetReport {
    pub name: String,
    /// state | bloc | person | organisation | name
    pub kind: &'static str,
    /// Given with `--target`.
    pub user: bool,
    /// Other forms seen in the text ("Pakistani", "Islamabad"), and a user target's aliases.
    pub aliases: Vec<String>,
    /// favor | against | none
    pub stance: &'static str,
    /// The tally behind the stance, in words.
    pub stance_reason: String,
    /// Sentences judged favor, against, none.
    pub counts: BTreeMap<&'static str, usize>,
    /// Ids of the sentences behind the stance: those judged so, or every mentioning sentence
    /// when the stance is none.
    pub evidence: Vec<usize>,
    /// Sentence ids per judged label.
    pub evidence_by_stance: BTreeMap<&'static str, Vec<usize>>,
    /// Up to three evidence sentences, the most probable judgement first.
    pub strongest_evidence: Vec<usize>,
    /// Sentences that name the target inside a quotation: the quoted speaker's view, judged but
    /// not counted for the writer.
    pub quoted_evidence: Vec<usize>,
    /// Occurrences of the target's name and aliases.
    pub mention_count: usize,
    /// Ids of the sentences that mention the target.
    pub sentences: Vec<usize>,
    pub mentions: Vec<MentionReport>,
    /// One per mentioning sentence: the stance head's judgement (scores null when not evaluated).
    pub judgements: Vec<JudgementReport>,
    /// Per section that mentions the target.
    pub sections: Vec<TargetSectionReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MentionReport {
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JudgementReport {
    pub sentence: usize,
    pub stance: &'static str,
    /// The mention is inside a quotation (present only when true).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub quoted: bool,
    /// favor, against, none probabilities; null when not evaluated.
    pub scores: Option<BTreeMap<&'static str, f64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetSectionReport {
    pub section: usize,
    pub stance: &'static str,
    pub counts: BTreeMap<&'static str, usize>,
}

/// How stance was judged in this report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StanceReport {
    /// Whether a stance head judged the mentions.
    pub enabled: bool,
    pub note: String,
    /// The aggregation rule, in words.
    pub rule: &'static str,
    pub one_sidedness: OneSidednessReport,
}

/// Among targets with at least `min_evaluated` evaluated sentences, how many are only ever
/// favoured or only ever opposed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OneSidednessReport {
    pub min_evaluated: usize,
    pub eligible: usize,
    pub one_sided: usize,
    /// `one_sided / eligible`; null when no target is eligible.
    pub share: Option<f64>,
    pub favoured_only: Vec<String>,
    pub opposed_only: Vec<String>,
}
