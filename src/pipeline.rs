//! Runs the stages in order: document → taggers → classifier → per-sentence tone.
//! Aggregation and printing happen in [`crate::report`], from the [`Analysis`] built here.

use crate::aggregate::tone::{self, Tone};
use crate::classify::{SentenceModel, SentenceScores};
use crate::document::{Document, SourceFormat, count_words};
use crate::rules::RuleSet;
use crate::tag::{self, Finding};
use std::sync::Arc;

/// Everything rhetor concluded about one input, before aggregation.
pub struct Analysis {
    pub doc: Document,
    pub sentences: Vec<SentenceAnalysis>,
    /// Identifies the model that produced scores; `None` when rules-only.
    pub model: Option<String>,
    pub technique_names: Vec<String>,
}

pub struct SentenceAnalysis {
    pub words: usize,
    /// Sorted by position; offsets are into the sentence's text.
    pub findings: Vec<Finding>,
    pub scores: Option<SentenceScores>,
    pub tone: Tone,
    pub tone_reason: String,
}

/// Which context taggers run (rule files are selected in the [`RuleSet`] itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taggers {
    pub attribution: bool,
}

impl Default for Taggers {
    fn default() -> Self {
        Self { attribution: true }
    }
}

/// The configured pipeline: rules, and optionally a model. Cheap to share across threads.
#[derive(Clone)]
pub struct Analyzer {
    rules: RuleSet,
    taggers: Taggers,
    model: Option<Arc<dyn SentenceModel>>,
}

impl Analyzer {
    pub fn new(rules: RuleSet, model: Option<Arc<dyn SentenceModel>>) -> Self {
        Self {
            rules,
            taggers: Taggers::default(),
            model,
        }
    }

    pub fn with_taggers(mut self, taggers: Taggers) -> Self {
        self.taggers = taggers;
        self
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn model(&self) -> Option<&Arc<dyn SentenceModel>> {
        self.model.as_ref()
    }

    /// Analyses one source text.
    pub fn analyse(&self, source: &str, format: SourceFormat) -> anyhow::Result<Analysis> {
        let doc = Document::parse(source, format);
        let findings = self.tag(&doc);
        let scores = match &self.model {
            Some(model) => {
                let texts: Vec<&str> = doc.sentences.iter().map(|s| doc.sentence_text(s)).collect();
                Some(model.score(&texts)?)
            }
            None => None,
        };
        let mut scores = scores.map(Vec::into_iter);
        let sentences = doc
            .sentences
            .iter()
            .zip(findings)
            .map(|(s, findings)| {
                let text = doc.sentence_text(s);
                let scores = scores.as_mut().and_then(Iterator::next);
                let (tone, tone_reason) = tone::decide(text, &findings, scores.as_ref());
                SentenceAnalysis {
                    words: count_words(text),
                    findings,
                    scores,
                    tone,
                    tone_reason,
                }
            })
            .collect();
        Ok(Analysis {
            doc,
            sentences,
            model: self.model.as_ref().map(|m| m.id()),
            technique_names: self
                .model
                .as_ref()
                .map(|m| m.technique_names().to_vec())
                .unwrap_or_default(),
        })
    }

    /// Rule findings (matched once per block, then assigned to sentences) and attributions.
    fn tag(&self, doc: &Document) -> Vec<Vec<Finding>> {
        let mut per_sentence: Vec<Vec<Finding>> = vec![Vec::new(); doc.sentences.len()];
        let rules = self.rules.rules();
        let mut first = 0;
        for (bi, block) in doc.blocks.iter().enumerate() {
            let count = doc.sentences[first..]
                .iter()
                .take_while(|s| s.block == bi)
                .count();
            let sentences = &doc.sentences[first..first + count];
            if sentences.is_empty() {
                continue;
            }
            for m in self.rules.find(&block.text) {
                // A match across a sentence boundary belongs to neither sentence.
                // Binary search: one block may hold many sentences (a huge one-line file).
                let idx = sentences.partition_point(|s| s.text_end <= m.start);
                let Some(s) = sentences
                    .get(idx)
                    .filter(|s| s.text_start <= m.start && m.end <= s.text_end)
                else {
                    continue;
                };
                per_sentence[s.id].push(rule_finding(
                    &rules[m.rule],
                    m.start - s.text_start,
                    m.end - s.text_start,
                ));
            }
            first += count;
        }
        for (s, findings) in doc.sentences.iter().zip(per_sentence.iter_mut()) {
            if self.taggers.attribution {
                findings.extend(tag::attribution::tag(doc.sentence_text(s)));
            }
            *findings = tag::resolve_overlaps(std::mem::take(findings));
        }
        per_sentence
    }
}

impl Analyzer {
    /// Findings for one piece of text treated as a single sentence (used by `rhetor eval`, whose
    /// rows are sentences already).
    pub fn tag_text(&self, text: &str) -> Vec<Finding> {
        let rules = self.rules.rules();
        let mut findings: Vec<Finding> = self
            .rules
            .find(text)
            .into_iter()
            .map(|m| rule_finding(&rules[m.rule], m.start, m.end))
            .collect();
        if self.taggers.attribution {
            findings.extend(tag::attribution::tag(text));
        }
        tag::resolve_overlaps(findings)
    }
}

fn rule_finding(rule: &crate::rules::Rule, start: usize, end: usize) -> Finding {
    Finding {
        rule: rule.id.clone(),
        category: rule.category,
        start,
        end,
        message: rule.message.clone(),
        attribution: None,
    }
}
