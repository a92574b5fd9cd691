//! Builds the [`Report`] from an [`Analysis`], and the printers that render it.

pub mod csv;
pub mod html;
pub mod json;
pub mod model;
pub mod text;

pub use model::*;

use crate::aggregate::{self, FindingFacts, SentenceFacts};
use crate::classify::SENTIMENT_LABELS;
use crate::classify::stance::{self, Scorer, Stance, StanceAnalysis, TargetStance};
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

/// Assembles the report with targets detected but not judged (stance `none` throughout): for
/// callers without a stance scorer. [`build_with_stance`] takes judged targets.
pub fn build(analysis: &Analysis, source: &str, info: BuildInfo<'_>) -> Report {
    let note = if analysis.model.is_some() {
        "stance not judged in this run: every mention counts as none"
    } else {
        "model off: targets and mentions come from the text; every mention counts as none"
    };
    let stance = stance::analyse(&analysis.doc, info.targets, Scorer::Off(note.into()))
        .expect("stance without a scorer cannot fail");
    build_with_stance(analysis, source, info, stance)
}

/// Assembles the report without targets (`targets` empty, the stance note says why): for
/// outputs that carry no targets, where detecting them would be wasted work.
pub fn build_without_targets(analysis: &Analysis, source: &str, info: BuildInfo<'_>) -> Report {
    let stance =
        StanceAnalysis::skipped("targets are not part of this output and were not detected");
    build_with_stance(analysis, source, info, stance)
}

/// Assembles the report: maps spans to source offsets, numbers findings, aggregates sections
/// and the document, and reports the targets with their stance.
pub fn build_with_stance(
    analysis: &Analysis,
    source: &str,
    info: BuildInfo<'_>,
    stance: StanceAnalysis,
) -> Report {
    let doc = &analysis.doc;
    let mention_bytes: Vec<usize> = stance
        .targets
        .iter()
        .flat_map(|t| &t.target.mentions)
        .flat_map(|m| {
            let (s, e) = doc.source_span(&doc.sentences[m.sentence], m.start, m.end);
            [s, e]
        })
        .collect();
    let chars = CharOffsets::new(source, analysis, &mention_bytes);
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
                        negated: f.context.negated,
                        quoted: f.context.quoted,
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
    let targets = stance
        .targets
        .iter()
        .map(|t| target_report(t, analysis, &chars))
        .collect();
    let one = &stance.one_sidedness;
    let stance_report = StanceReport {
        enabled: stance.evaluated,
        note: stance.note.clone(),
        rule: stance::RULE,
        one_sidedness: OneSidednessReport {
            min_evaluated: one.min_evaluated,
            eligible: one.eligible,
            one_sided: one.one_sided,
            share: one.share,
            favoured_only: one.favoured_only.clone(),
            opposed_only: one.opposed_only.clone(),
        },
    };
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
        stance: stance_report,
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

fn counts_of(t: &stance::Tally) -> BTreeMap<&'static str, usize> {
    Stance::ALL
        .iter()
        .map(|s| (s.as_str(), t.get(*s)))
        .collect()
}

/// A target, its mentions and the stance judgements about it.
fn target_report(t: &TargetStance, analysis: &Analysis, chars: &CharOffsets) -> TargetReport {
    let doc = &analysis.doc;
    let mentions = t
        .target
        .mentions
        .iter()
        .map(|m| {
            let (start, end) = doc.source_span(&doc.sentences[m.sentence], m.start, m.end);
            MentionReport {
                sentence: m.sentence,
                start,
                end,
                char_start: chars.get(start),
                char_end: chars.get(end),
                text: m.text.clone(),
            }
        })
        .collect();
    TargetReport {
        name: t.target.name.clone(),
        kind: t.target.kind.as_str(),
        user: t.target.user,
        aliases: t.target.aliases.clone(),
        stance: t.stance.as_str(),
        stance_reason: t.reason.clone(),
        counts: counts_of(&t.counts),
        evidence: t.evidence(),
        evidence_by_stance: Stance::ALL
            .iter()
            .map(|s| (s.as_str(), t.evidence_for(*s)))
            .collect(),
        strongest_evidence: t.strongest(),
        quoted_evidence: t.quoted(),
        mention_count: t.target.mentions.len(),
        sentences: t.target.sentences(),
        mentions,
        judgements: t
            .judgements
            .iter()
            .map(|j| JudgementReport {
                sentence: j.sentence,
                stance: j.stance.as_str(),
                quoted: j.quoted,
                scores: j.scores.map(|p| {
                    stance::STANCE_LABELS
                        .iter()
                        .zip(p)
                        .map(|(l, x)| (*l, aggregate::round(x as f64)))
                        .collect()
                }),
            })
            .collect(),
        sections: t
            .sections
            .iter()
            .map(|(section, tally, stance)| TargetSectionReport {
                section: *section,
                stance: stance.as_str(),
                counts: counts_of(tally),
            })
            .collect(),
    }
}

/// Byte offset → char offset for the offsets a report uses, computed in one pass.
struct CharOffsets {
    table: Vec<(usize, usize)>,
}

impl CharOffsets {
    fn new(source: &str, analysis: &Analysis, extra: &[usize]) -> Self {
        let doc = &analysis.doc;
        let mut bytes: Vec<usize> = extra.to_vec();
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
