//! Builds the [`Report`] from an [`Analysis`], and the printers that render it.

pub mod csv;
pub mod html;
pub mod json;
pub mod model;
pub mod text;

pub use model::*;

use crate::aggregate::{self, FindingFacts, SentenceFacts};
use crate::classify::SENTIMENT_LABELS;
use crate::document::SourceFormat;
use crate::pipeline::Analysis;
use crate::tag::targets::TargetSpec;
use std::collections::BTreeMap;
use std::io;

/// A printer renders a report to any writer.
pub trait Printer {
    fn print(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()>;
}

/// What the report says about its input and configuration.
pub struct BuildInfo<'a> {
    pub path: Option<String>,
    pub format: SourceFormat,
    pub rules_hash: String,
    pub targets: &'a [TargetSpec],
}

/// Assembles the report: maps spans to source offsets, numbers findings, aggregates sections
/// and the document.
pub fn build(analysis: &Analysis, source: &str, info: BuildInfo<'_>) -> Report {
    let doc = &analysis.doc;
    let chars = CharOffsets::new(source, analysis);
    let mut next_finding = 0;
    let sentences: Vec<SentenceReport> = doc
        .sentences
        .iter()
        .zip(&analysis.sentences)
        .map(|(s, a)| {
            let text = doc.sentence_text(s);
            let findings = a
                .findings
                .iter()
                .map(|f| {
                    let (start, end) = doc.source_span(s, f.start, f.end);
                    let id = next_finding;
                    next_finding += 1;
                    let attr = f.attribution.as_ref();
                    FindingReport {
                        id,
                        rule: f.rule.clone(),
                        category: f.category,
                        start,
                        end,
                        char_start: chars.get(start),
                        char_end: chars.get(end),
                        text: text[f.start..f.end].to_string(),
                        message: f.message.clone(),
                        local: (f.start, f.end),
                        source: attr.map(|a| a.source.clone()),
                        source_kind: attr.map(|a| a.source_kind),
                        verb: attr.map(|a| a.verb.clone()),
                        authority: attr.map(|a| a.authority.clone()),
                    }
                })
                .collect();
            let scores = a.scores.as_ref();
            SentenceReport {
                id: s.id,
                section: s.section,
                text: text.to_string(),
                start: s.start,
                end: s.end,
                char_start: chars.get(s.start),
                char_end: chars.get(s.end),
                words: a.words,
                sentiment: scores.map(|sc| Sentiment {
                    label: sc.sentiment_label(),
                    scores: SENTIMENT_LABELS
                        .iter()
                        .zip(sc.sentiment)
                        .map(|(l, p)| (*l, aggregate::round(p as f64)))
                        .collect(),
                }),
                uncertainty: scores.map(|sc| aggregate::round(sc.uncertainty as f64)),
                bias: scores.map(|sc| aggregate::round(sc.bias as f64)),
                techniques: scores.map(|sc| {
                    analysis
                        .technique_names
                        .iter()
                        .cloned()
                        .zip(sc.techniques.iter().map(|p| aggregate::round(*p as f64)))
                        .collect()
                }),
                tone: a.tone,
                tone_reason: a.tone_reason.clone(),
                findings,
            }
        })
        .collect();
    let facts: Vec<SentenceFacts<'_>> = sentences
        .iter()
        .zip(&analysis.sentences)
        .map(|(r, a)| facts_of(r, a))
        .collect();
    let sections = doc
        .sections
        .iter()
        .map(|sec| SectionReport {
            index: sec.index,
            heading: sec.heading.clone(),
            start: sec.start,
            end: sec.end,
            char_start: chars.get(sec.start),
            char_end: chars.get(sec.end),
            sentence_ids: sec.sentences.clone().collect(),
            summary: aggregate::summarize(&facts[sec.sentences.clone()]),
        })
        .collect();
    let summary = aggregate::summarize(&facts);
    let targets = info
        .targets
        .iter()
        .map(|t| target_report(t, &sentences))
        .collect();
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "rhetor",
            version: env!("CARGO_PKG_VERSION"),
            rules_hash: info.rules_hash,
        },
        input: Input {
            path: info.path,
            format: info.format,
            bytes: source.len(),
        },
        title: doc.title.clone(),
        model: ModelInfo {
            enabled: analysis.model.is_some(),
            id: analysis.model.clone(),
            techniques: analysis.technique_names.clone(),
            note: if analysis.model.is_some() {
                "sentiment, uncertainty, bias and techniques come from the classifier".into()
            } else {
                "model scores are off (rules-only analysis): sentiment, uncertainty and bias are null".into()
            },
        },
        summary,
        sections,
        sentences,
        targets,
    }
}

fn facts_of<'a>(r: &'a SentenceReport, a: &crate::pipeline::SentenceAnalysis) -> SentenceFacts<'a> {
    SentenceFacts {
        words: r.words,
        tone: r.tone,
        findings: r
            .findings
            .iter()
            .map(|f| FindingFacts {
                id: f.id,
                category: f.category,
                text: &f.text,
                source_kind: f.source_kind,
                authority: matches!(f.authority, Some(Some(_))),
            })
            .collect(),
        sentiment: a.scores.as_ref().map(|s| s.sentiment),
        uncertainty: a.scores.as_ref().map(|s| s.uncertainty),
        bias: a.scores.as_ref().map(|s| s.bias),
    }
}

/// Mentions of a user-given target. Stance needs the stance model; without it every mention
/// counts as `none`.
fn target_report(t: &TargetSpec, sentences: &[SentenceReport]) -> TargetReport {
    let evidence: Vec<usize> = sentences
        .iter()
        .filter(|s| t.is_mentioned(&s.text))
        .map(|s| s.id)
        .collect();
    let counts: BTreeMap<&'static str, usize> =
        [("favor", 0), ("against", 0), ("none", evidence.len())]
            .into_iter()
            .collect();
    TargetReport {
        name: t.name.clone(),
        aliases: t.aliases.clone(),
        stance: "none",
        counts,
        evidence,
    }
}

/// Byte offset → char offset for the offsets a report uses, computed in one pass.
struct CharOffsets {
    table: Vec<(usize, usize)>,
}

impl CharOffsets {
    fn new(source: &str, analysis: &Analysis) -> Self {
        let doc = &analysis.doc;
        let mut bytes: Vec<usize> = Vec::new();
        for sec in &doc.sections {
            bytes.extend([sec.start, sec.end]);
        }
        for (s, a) in doc.sentences.iter().zip(&analysis.sentences) {
            bytes.extend([s.start, s.end]);
            for f in &a.findings {
                let (fs, fe) = doc.source_span(s, f.start, f.end);
                bytes.extend([fs, fe]);
            }
        }
        bytes.sort_unstable();
        bytes.dedup();
        let mut table = Vec::with_capacity(bytes.len());
        let (mut chars, mut pos) = (0usize, 0usize);
        for b in bytes {
            let b = b.min(source.len());
            chars += source[pos..b].chars().count();
            pos = b;
            table.push((b, chars));
        }
        Self { table }
    }

    fn get(&self, byte: usize) -> usize {
        match self.table.binary_search_by_key(&byte, |(b, _)| *b) {
            Ok(i) => self.table[i].1,
            Err(_) => 0,
        }
    }
}
