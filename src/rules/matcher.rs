//! Finds rule matches in text: one Aho-Corasick automaton over every phrase of every rule,
//! plus the pattern rules' regexes, then word-boundary, case and exception checks.

use super::{CaseMode, Rule, RuleKind};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{RegexSet, RegexSetBuilder};

/// Lazy-DFA cache per regex: large enough that the rule patterns do not thrash it.
pub(super) const DFA_CACHE: usize = 32 << 20;

/// A match of rule `rule` (index into the rule set) at byte range `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMatch {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
pub(super) struct Matcher {
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern: owning rule index and whether case must match exactly.
    owners: Vec<(usize, bool)>,
    phrase_texts: Vec<String>,
    /// Every pattern of every pattern rule, as (rule index, pattern index within the rule).
    patterns: Vec<(usize, usize)>,
    /// One pass over a text says which patterns can match at all, so only those run for
    /// positions: a hundred-odd regexes scanning every paragraph was the matcher's main cost.
    gate: Option<RegexSet>,
}

impl Matcher {
    pub(super) fn new(rules: &[Rule]) -> Self {
        let mut phrase_texts = Vec::new();
        let mut owners = Vec::new();
        let mut patterns = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            match rule.kind {
                RuleKind::Phrases => {
                    for p in &rule.phrases {
                        for variant in apostrophe_variants(p) {
                            phrase_texts.push(variant);
                            owners.push((ri, rule.case == CaseMode::Sensitive));
                        }
                    }
                }
                RuleKind::Pattern => patterns.extend((0..rule.patterns.len()).map(|pi| (ri, pi))),
            }
        }
        let automaton = (!phrase_texts.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&phrase_texts)
                .expect("phrase automaton builds for any set of non-empty strings")
        });
        let sources: Vec<String> = patterns
            .iter()
            .map(|&(ri, pi)| {
                let flag = if rules[ri].case == CaseMode::Insensitive {
                    "i"
                } else {
                    "-i"
                };
                format!("(?{flag}:{})", rules[ri].patterns[pi].as_str())
            })
            .collect();
        let gate = (!sources.is_empty()).then(|| {
            RegexSetBuilder::new(&sources)
                .dfa_size_limit(DFA_CACHE)
                .size_limit(64 << 20)
                .build()
                .expect("patterns that compiled one by one compile as a set")
        });
        Self {
            automaton,
            owners,
            phrase_texts,
            patterns,
            gate,
        }
    }

    pub(super) fn find(&self, rules: &[Rule], text: &str) -> Vec<RawMatch> {
        let mut out = Vec::new();
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(text) {
                let (rule, sensitive) = self.owners[m.pattern().as_usize()];
                let (start, end) = (m.start(), m.end());
                if sensitive && text[start..end] != self.phrase_texts[m.pattern().as_usize()] {
                    continue;
                }
                if at_word_boundaries(text, start, end) {
                    out.push(RawMatch { rule, start, end });
                }
            }
        }
        if let Some(gate) = &self.gate {
            for i in gate.matches(text).iter() {
                let (ri, pi) = self.patterns[i];
                let hits = rules[ri].patterns[pi]
                    .find_iter(text)
                    .filter(|m| !m.is_empty());
                out.extend(hits.map(|m| RawMatch {
                    rule: ri,
                    start: m.start(),
                    end: m.end(),
                }));
            }
        }
        drop_exceptions(rules, text, &mut out);
        out.sort_by_key(|m| (m.start, m.end, m.rule));
        out.dedup();
        out
    }
}

/// Phrases written with a straight apostrophe also match the typographic one.
fn apostrophe_variants(p: &str) -> Vec<String> {
    if p.contains('\'') {
        vec![p.to_string(), p.replace('\'', "\u{2019}")]
    } else {
        vec![p.to_string()]
    }
}

/// Characters that continue a word: letters, digits, and hyphens or apostrophes between letters
/// ("world-class", "it's").
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let phrase = &text[start..end];
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let joins = |c: char, neighbour: Option<char>| {
        is_word_char(c) || (matches!(c, '-' | '\'' | '’') && neighbour.is_some_and(is_word_char))
    };
    let left_ok = !phrase.starts_with(is_word_char)
        || before.is_none_or(|c| !joins(c, text[..start].chars().rev().nth(1)));
    let right_ok = !phrase.ends_with(is_word_char)
        || after.is_none_or(|c| !joins(c, text[end..].chars().nth(1)));
    left_ok && right_ok
}

/// Drops matches lying inside a match of one of their rule's exception patterns.
fn drop_exceptions(rules: &[Rule], text: &str, matches: &mut Vec<RawMatch>) {
    let mut cache: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
    matches.retain(|m| {
        let rule = &rules[m.rule];
        if rule.exceptions.is_empty() {
            return true;
        }
        let spans = match cache.iter().position(|(r, _)| *r == m.rule) {
            Some(i) => &cache[i].1,
            None => {
                let spans = rule
                    .exceptions
                    .iter()
                    .flat_map(|re| re.find_iter(text).map(|e| (e.start(), e.end())))
                    .collect();
                cache.push((m.rule, spans));
                &cache.last().expect("just pushed").1
            }
        };
        !spans.iter().any(|&(s, e)| s <= m.start && m.end <= e)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries() {
        assert!(at_word_boundaries("it may rain", 3, 6));
        assert!(!at_word_boundaries("dismay", 3, 6));
        assert!(!at_word_boundaries("mayor", 0, 3));
        // "class" inside "world-class" is not a word of its own.
        assert!(!at_word_boundaries("world-class team", 6, 11));
        // A hyphen before a space is punctuation.
        assert!(at_word_boundaries("may - indeed", 0, 3));
        assert!(at_word_boundaries("“may”", 3, 6));
    }
}
