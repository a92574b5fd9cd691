//! Runs the stages in order: document → taggers → classifier → per-sentence tone.
//! Aggregation and printing happen in [`crate::report`], from the [`Analysis`] built here.

use crate::aggregate::tone::{self, Tone};
use crate::classify::{SentenceModel, SentenceScores};
use crate::document::{Document, Sentence, SourceFormat, count_words};
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
        let mut sentences = Vec::with_capacity(doc.sentences.len());
        for chunk in self.chunks(&doc)? {
            sentences.extend(chunk.sentences);
        }
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

    /// Analyses `doc` a run of whole blocks at a time, in order, so that a caller can print
    /// and drop each run before the next: findings of a 50 MB input then never sit in memory
    /// at once. Model scores come first for the whole document, in one batched call, so they
    /// are the same whichever way the sentences are consumed.
    pub fn chunks<'a>(&'a self, doc: &'a Document) -> anyhow::Result<Chunks<'a>> {
        let scores = match &self.model {
            Some(model) => {
                let texts: Vec<&str> = doc.sentences.iter().map(|s| doc.sentence_text(s)).collect();
                Some(model.score(&texts)?.into_iter())
            }
            None => None,
        };
        Ok(Chunks {
            analyzer: self,
            doc,
            scores,
            next_sentence: 0,
        })
    }

    /// One sentence's findings (already tagged), words, scores and tone.
    fn sentence(
        doc: &Document,
        s: &Sentence,
        findings: Vec<Finding>,
        scores: Option<SentenceScores>,
    ) -> SentenceAnalysis {
        let text = doc.sentence_text(s);
        let (tone, tone_reason) = tone::decide(text, &findings, scores.as_ref());
        SentenceAnalysis {
            words: count_words(text),
            findings,
            scores,
            tone,
            tone_reason,
        }
    }

    /// Rule findings (matched once per block, then assigned to the block's sentences) and
    /// attributions, for `sentences`: whole blocks' sentences, in order.
    fn tag(&self, doc: &Document, sentences: &[Sentence]) -> Vec<Vec<Finding>> {
        let mut per_sentence: Vec<Vec<Finding>> = vec![Vec::new(); sentences.len()];
        let rules = self.rules.rules();
        let mut offset = 0;
        for in_block in sentences.chunk_by(|a, b| a.block == b.block) {
            for m in self.rules.find(&doc.blocks[in_block[0].block].text) {
                // A match across a sentence boundary belongs to neither sentence.
                // Binary search: one block may hold many sentences (a huge one-line file).
                let idx = in_block.partition_point(|s| s.text_end <= m.start);
                let Some(s) = in_block
                    .get(idx)
                    .filter(|s| s.text_start <= m.start && m.end <= s.text_end)
                else {
                    continue;
                };
                per_sentence[offset + idx].push(rule_finding(
                    &rules[m.rule],
                    m.start - s.text_start,
                    m.end - s.text_start,
                ));
            }
            offset += in_block.len();
        }
        for (s, findings) in sentences.iter().zip(per_sentence.iter_mut()) {
            if self.taggers.attribution {
                findings.extend(tag::attribution::tag(doc.sentence_text(s)));
            }
            *findings = tag::resolve_overlaps(std::mem::take(findings));
            tag::scope::mark(doc.sentence_text(s), findings);
        }
        let texts = sentences.iter().map(|s| doc.sentence_text(s));
        tag::attribution::resolve_pronouns(texts.zip(per_sentence.iter_mut()));
        per_sentence
    }
}

/// Sentences analysed per chunk, at least (a chunk ends with a block): enough that per-chunk
/// costs vanish, few enough that a chunk's findings stay in cache-sized memory.
const CHUNK_SENTENCES: usize = 512;

/// A run of consecutive sentences, analysed; `first` is the id of the first.
pub struct Chunk {
    pub first: usize,
    pub sentences: Vec<SentenceAnalysis>,
}

/// The iterator [`Analyzer::chunks`] returns.
pub struct Chunks<'a> {
    analyzer: &'a Analyzer,
    doc: &'a Document,
    scores: Option<std::vec::IntoIter<SentenceScores>>,
    next_sentence: usize,
}

impl Iterator for Chunks<'_> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        let doc = self.doc;
        let all = &doc.sentences;
        let first = self.next_sentence;
        if first >= all.len() {
            return None;
        }
        // Enough sentences, then on to the end of the last one's block.
        let mut end = (first + CHUNK_SENTENCES).min(all.len());
        let last_block = all[end - 1].block;
        end += all[end..]
            .iter()
            .take_while(|s| s.block == last_block)
            .count();
        let sentences = &all[first..end];
        let findings = self.analyzer.tag(doc, sentences);
        self.next_sentence = end;
        let analysed = sentences
            .iter()
            .zip(findings)
            .map(|(s, findings)| {
                let scores = self.scores.as_mut().and_then(Iterator::next);
                Analyzer::sentence(doc, s, findings, scores)
            })
            .collect();
        Some(Chunk {
            first,
            sentences: analysed,
        })
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
        let mut findings = tag::resolve_overlaps(findings);
        tag::scope::mark(text, &mut findings);
        tag::attribution::resolve_pronouns(std::iter::once((text, &mut findings)));
        findings
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
        context: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_sentence_once_in_order_and_end_with_blocks() {
        // Paragraphs of 1 to 9 sentences, so chunk ends fall at varied places.
        let mut text = String::new();
        for p in 0..400 {
            for s in 0..(p % 9 + 1) {
                text.push_str(&format!("Sentence {s} of paragraph {p} may matter. "));
            }
            text.push_str("\n\n");
        }
        let doc = Document::parse(&text, SourceFormat::Text);
        let analyzer = Analyzer::new(RuleSet::builtin().unwrap(), None);
        let mut next = 0;
        let mut chunks = 0;
        for chunk in analyzer.chunks(&doc).unwrap() {
            assert_eq!(chunk.first, next);
            next += chunk.sentences.len();
            chunks += 1;
            // A chunk never splits a block between itself and the next.
            if let Some(after) = doc.sentences.get(next) {
                assert_ne!(after.block, doc.sentences[next - 1].block);
            }
        }
        assert_eq!(next, doc.sentences.len());
        assert!(chunks > 2, "{chunks} chunks");
        // Each chunk's findings land on the right sentences: the same as tagging each
        // sentence alone (no cue here crosses a sentence boundary).
        let mut hedges = 0;
        for chunk in analyzer.chunks(&doc).unwrap() {
            for (i, a) in chunk.sentences.iter().enumerate() {
                let text = doc.sentence_text(&doc.sentences[chunk.first + i]);
                let alone = analyzer.tag_text(text);
                let spans = |f: &[Finding]| -> Vec<(usize, usize)> {
                    f.iter().map(|f| (f.start, f.end)).collect()
                };
                assert_eq!(spans(&a.findings), spans(&alone), "{text}");
                hedges += a.findings.len();
            }
        }
        assert!(
            hedges >= doc.sentences.len(),
            "every sentence has its `may`"
        );
    }
}
