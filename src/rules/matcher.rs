//! Finds rule matches in text: one Aho-Corasick automaton over every phrase of every rule,
//! plus the pattern rules' regexes, then word-boundary, case and exception checks.

use super::{CaseMode, Rule, RuleKind};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::{Anchored, Input};

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
    /// Pattern rules' regexes, each run anchored where one of its prefix literals occurs.
    anchored: Vec<AnchoredPattern>,
    /// One Aho-Corasick pass over every anchored pattern's prefix literals finds where each can
    /// start: scanning the text once per regex (two hundred-odd of them) was the matcher's main
    /// cost. Automaton pattern → index into `anchored`.
    starts: Option<AhoCorasick>,
    start_owner: Vec<usize>,
    /// Patterns without a short, finite prefix set (rare): scanned the ordinary way.
    scanned: Vec<(usize, usize)>,
}

/// A pattern run only where one of its prefix literals occurs.
#[derive(Debug, Clone)]
struct AnchoredPattern {
    rule: usize,
    regex: regex_automata::meta::Regex,
}

impl Matcher {
    pub(super) fn new(rules: &[Rule]) -> Self {
        let mut phrase_texts = Vec::new();
        let mut owners = Vec::new();
        let mut anchored = Vec::new();
        let mut start_literals: Vec<Vec<u8>> = Vec::new();
        let mut start_owner = Vec::new();
        let mut scanned = Vec::new();
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
                RuleKind::Pattern => {
                    for (pi, re) in rule.patterns.iter().enumerate() {
                        match anchor(re.as_str(), rule.case == CaseMode::Insensitive) {
                            Some((regex, literals)) => {
                                for lit in literals {
                                    start_literals.push(lit);
                                    start_owner.push(anchored.len());
                                }
                                anchored.push(AnchoredPattern { rule: ri, regex });
                            }
                            None => scanned.push((ri, pi)),
                        }
                    }
                }
            }
        }
        let build = |patterns: &[Vec<u8>]| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(patterns)
                .expect("an automaton builds for any set of non-empty strings")
        };
        let phrase_bytes: Vec<Vec<u8>> =
            phrase_texts.iter().map(|p| p.as_bytes().to_vec()).collect();
        let automaton = (!phrase_bytes.is_empty()).then(|| build(&phrase_bytes));
        let starts = (!start_literals.is_empty()).then(|| build(&start_literals));
        Self {
            automaton,
            owners,
            phrase_texts,
            anchored,
            starts,
            start_owner,
            scanned,
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
        if let Some(ac) = &self.starts {
            let mut candidates: Vec<(usize, usize)> = ac
                .find_overlapping_iter(text)
                .map(|m| (self.start_owner[m.pattern().as_usize()], m.start()))
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            for (ai, start) in candidates {
                let p = &self.anchored[ai];
                let input = Input::new(text).range(start..).anchored(Anchored::Yes);
                if let Some(m) = p.regex.search(&input).filter(|m| !m.is_empty()) {
                    out.push(RawMatch {
                        rule: p.rule,
                        start: m.start(),
                        end: m.end(),
                    });
                }
            }
        }
        for &(ri, pi) in &self.scanned {
            let hits = rules[ri].patterns[pi]
                .find_iter(text)
                .filter(|m| !m.is_empty());
            out.extend(hits.map(|m| RawMatch {
                rule: ri,
                start: m.start(),
                end: m.end(),
            }));
        }
        drop_exceptions(rules, text, &mut out);
        out.sort_by_key(|m| (m.start, m.end, m.rule));
        out.dedup();
        out
    }
}

/// Compiles `pattern` for anchored search and extracts the finite set of literals every match
/// starts with. `None` when the pattern has no short, finite prefix set (it is then scanned in
/// full).
fn anchor(pattern: &str, insensitive: bool) -> Option<(regex_automata::meta::Regex, Vec<Vec<u8>>)> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // Literals are taken case-sensitively: the automaton that finds them ignores ASCII case, so
    // one spelling per literal suffices and the set stays small.
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    if literals.is_empty() || literals.len() > 2000 || literals.iter().any(|l| l.is_empty()) {
        return None;
    }
    let regex = regex_automata::meta::Regex::builder()
        .syntax(regex_automata::util::syntax::Config::new().case_insensitive(insensitive))
        .configure(regex_automata::meta::Config::new().hybrid_cache_capacity(DFA_CACHE))
        .build(pattern)
        .ok()?;
    Some((regex, literals))
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
    fn anchored_patterns_match_like_a_scan() {
        let (re, lits) = anchor(r"\b(?:some|many)\s+critics\b", true).expect("finite prefix");
        assert!(lits.contains(&b"some".to_vec()) && lits.contains(&b"many".to_vec()));
        let text = "And Many critics agree; handsome critics do not.";
        let hit = re
            .search(&Input::new(text).range(4..).anchored(Anchored::Yes))
            .unwrap();
        assert_eq!(&text[hit.start()..hit.end()], "Many critics");
        // "some" inside "handsome": the word boundary is checked against the real text.
        let inside = text.find("some critics").unwrap();
        assert!(
            re.search(&Input::new(text).range(inside..).anchored(Anchored::Yes))
                .is_none()
        );
        // A leading word class has no finite prefix: such a pattern is scanned instead.
        assert!(anchor(r"\w+ly\b", true).is_none());
    }

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
