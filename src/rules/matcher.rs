//! Finds rule matches in text: one Aho-Corasick automaton over every phrase of every rule,
//! plus the pattern rules' regexes, then word-boundary, case and exception checks.

use super::boundary::{Bounded, ascii_safe};
use super::{CaseMode, Rule, RuleKind};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::{Anchored, Input};

/// Lazy-DFA cache per regex: large enough that the rule patterns do not thrash it.
pub(super) const DFA_CACHE: usize = 4 << 20;

/// A match of rule `rule` (index into the rule set) at byte range `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMatch {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
pub(super) struct Matcher {
    /// One Aho-Corasick automaton over every phrase of every phrase rule *and* every prefix
    /// literal of every anchored pattern: a single overlapping pass over the text finds both.
    automaton: Option<AhoCorasick>,
    /// What each automaton pattern stands for.
    entries: Vec<Entry>,
    /// Pattern rules' regexes, each run anchored where one of its prefix literals occurs.
    /// Scanning the text once per regex (two hundred-odd of them) was the matcher's main cost.
    anchored: Vec<AnchoredPattern>,
    /// Patterns without a short, finite prefix set (rare): scanned the ordinary way, with
    /// their rule's index.
    scanned: Vec<(usize, Bounded<regex::Regex>)>,
    /// Per rule, its exception patterns as one alternation (one search per hit, not one per
    /// exception); empty for rules without exceptions.
    exceptions: Vec<Exceptions>,
}

#[derive(Debug, Clone)]
enum Entry {
    /// A phrase of rule `rule`; `exact` holds the spelling when case must match.
    Phrase { rule: usize, exact: Option<String> },
    /// A prefix literal of `anchored[.0]`.
    Start(usize),
}

/// A pattern run only where one of its prefix literals occurs.
#[derive(Debug, Clone)]
struct AnchoredPattern {
    rule: usize,
    regex: Bounded<regex_automata::meta::Regex>,
}

impl Matcher {
    pub(super) fn new(rules: &[Rule]) -> Self {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut entries = Vec::new();
        let mut anchored = Vec::new();
        let mut scanned = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            match rule.kind {
                RuleKind::Phrases => {
                    for p in &rule.phrases {
                        for variant in apostrophe_variants(p) {
                            literals.push(variant.as_bytes().to_vec());
                            let exact = (rule.case == CaseMode::Sensitive).then_some(variant);
                            entries.push(Entry::Phrase { rule: ri, exact });
                        }
                    }
                }
                RuleKind::Pattern => {
                    for (pi, re) in rule.patterns.iter().enumerate() {
                        match anchor(re.as_str(), rule.case == CaseMode::Insensitive) {
                            Some((regex, starts)) => {
                                for lit in starts {
                                    literals.push(lit);
                                    entries.push(Entry::Start(anchored.len()));
                                }
                                anchored.push(AnchoredPattern { rule: ri, regex });
                            }
                            None => scanned.push((ri, scan_regex(rule, pi))),
                        }
                    }
                }
            }
        }
        let automaton = (!literals.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(&literals)
                .expect("an automaton builds for any set of non-empty strings")
        });
        let exceptions = rules.iter().map(Exceptions::of).collect();
        Self {
            automaton,
            entries,
            anchored,
            scanned,
            exceptions,
        }
    }

    /// Matches in `text`. The fast path needs the whitespace [`TextBuilder`] leaves (single
    /// spaces), because prefix literals run across word gaps as one space; other text (an
    /// `eval` row, a rule example) is matched on a normalised copy and mapped back.
    ///
    /// [`TextBuilder`]: crate::document::text::TextBuilder
    pub(super) fn find(&self, text: &str) -> Vec<RawMatch> {
        match normalise_spaces(text) {
            None => self.find_normalised(text),
            Some((norm, map)) => {
                let mut out = self.find_normalised(&norm);
                for m in &mut out {
                    m.start = map[m.start];
                    m.end = map[m.end - 1] + 1;
                }
                out
            }
        }
    }

    fn find_normalised(&self, text: &str) -> Vec<RawMatch> {
        let safe = ascii_safe(text);
        let mut out = Vec::new();
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(text) {
                let (start, end) = (m.start(), m.end());
                match &self.entries[m.pattern().as_usize()] {
                    Entry::Start(ai) => candidates.push((*ai, start)),
                    Entry::Phrase { rule, exact } => {
                        let case_ok = exact.as_ref().is_none_or(|e| text[start..end] == **e);
                        if case_ok && at_word_boundaries(text, start, end) {
                            out.push(RawMatch {
                                rule: *rule,
                                start,
                                end,
                            });
                        }
                    }
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for (ai, start) in candidates {
            let p = &self.anchored[ai];
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            let Some(regex) = p.regex.get(safe) else {
                continue;
            };
            if let Some(m) = regex.search(&input).filter(|m| !m.is_empty()) {
                out.push(RawMatch {
                    rule: p.rule,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
        for &(ri, ref regex) in &self.scanned {
            let Some(regex) = regex.get(safe) else {
                continue;
            };
            let hits = regex.find_iter(text).filter(|m| !m.is_empty());
            out.extend(hits.map(|m| RawMatch {
                rule: ri,
                start: m.start(),
                end: m.end(),
            }));
        }
        drop_exceptions(&self.exceptions, text, safe, &mut out);
        out.sort_by_key(|m| (m.start, m.end, m.rule));
        out.dedup();
        out
    }
}

/// `None` when `text` already has only single ASCII spaces between words; otherwise a copy with
/// every whitespace run as one space, and for each byte of the copy its offset in `text`.
fn normalise_spaces(text: &str) -> Option<(String, Vec<usize>)> {
    let irregular = text.as_bytes().windows(2).any(|w| w == b"  ")
        || text.chars().any(|c| c.is_whitespace() && c != ' ');
    if !irregular {
        return None;
    }
    let mut norm = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !in_space {
                norm.push(' ');
                map.push(i);
            }
            in_space = true;
        } else {
            in_space = false;
            norm.push(c);
            map.extend((0..c.len_utf8()).map(|k| i + k));
        }
    }
    Some((norm, map))
}

/// Pattern `pi` of `rule` for a scan over the whole text: as the rule compiled it, plus its
/// ASCII-boundary form.
fn scan_regex(rule: &Rule, pi: usize) -> Bounded<regex::Regex> {
    let compiled = &rule.patterns[pi];
    Bounded::with_compiled(compiled.as_str(), compiled.clone(), rule_regex(rule.case))
}

/// How rule patterns and exceptions compile (as when their rule loaded), for [`Bounded`].
fn rule_regex(case: CaseMode) -> impl Fn(&str) -> Option<regex::Regex> + Send + Sync + 'static {
    move |p| super::compile_regex(p, case).ok()
}

/// Prepares `pattern` for anchored search (compiled on first use) and extracts the finite set
/// of literals every match starts with. `None` when the pattern has no short, finite prefix set
/// (it is then scanned in full).
fn anchor(
    pattern: &str,
    insensitive: bool,
) -> Option<(Bounded<regex_automata::meta::Regex>, Vec<Vec<u8>>)> {
    let literals = prefix_literals(&single_spaced(pattern)).or_else(|| prefix_literals(pattern))?;
    let regex = Bounded::new(pattern, move |p| {
        regex_automata::meta::Regex::builder()
            .syntax(regex_automata::util::syntax::Config::new().case_insensitive(insensitive))
            .configure(regex_automata::meta::Config::new().hybrid_cache_capacity(DFA_CACHE))
            .build(p)
            .ok()
    });
    Some((regex, literals))
}

/// The pattern as it reads on text whose word gaps are single spaces: `\s+`, `\s` → a space,
/// `\s*` → an optional space. Used only to extract longer prefix literals ("the vital" rather
/// than "the"): a common first word alone made most of the text a candidate.
fn single_spaced(pattern: &str) -> String {
    pattern
        .replace(r"\s+", " ")
        .replace(r"\s*", " ?")
        .replace(r"\s", " ")
}

/// The finite set of literals every match of `pattern` starts with, or `None` when there is no
/// usable set (infinite, too large, or containing the empty string).
fn prefix_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // Literals are taken case-sensitively: the automaton that finds them ignores ASCII case, so
    // one spelling per literal suffices and the set stays small.
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix).limit_total(4000);
    let seq = extractor.extract(&hir);
    let literals: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    if literals.is_empty() || literals.len() > 4000 || literals.iter().any(|l| l.is_empty()) {
        return None;
    }
    Some(literals)
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

/// How far an exception match may reach before or after the match it excuses. Exceptions are
/// short local phrases ("military might", "as the case may be"); searching a window around
/// each hit, instead of the whole text once per rule, keeps the cost proportional to the hits.
const EXCEPTION_REACH: usize = 120;

/// A rule's exception patterns: joined into one alternation (one search per hit, not one per
/// exception), each keeping its inline flags inside its group; the separate patterns stand in
/// should the alternation not compile (the regex size limit).
#[derive(Debug, Clone, Default)]
struct Exceptions {
    joined: Option<Bounded<regex::Regex>>,
    each: Vec<Bounded<regex::Regex>>,
}

impl Exceptions {
    fn of(rule: &Rule) -> Self {
        let each: Vec<_> = rule
            .exceptions
            .iter()
            .map(|re| Bounded::with_compiled(re.as_str(), re.clone(), rule_regex(rule.case)))
            .collect();
        let joined = (each.len() > 1).then(|| {
            let parts: Vec<String> = each.iter().map(|b| format!("(?:{})", b.as_str())).collect();
            Bounded::new(&parts.join("|"), rule_regex(rule.case))
        });
        Self { joined, each }
    }

    fn is_empty(&self) -> bool {
        self.each.is_empty()
    }

    /// The regexes to try on text whose [`ascii_safe`] is `safe`.
    fn regexes(&self, safe: bool) -> impl Iterator<Item = &regex::Regex> {
        let joined = self.joined.as_ref().and_then(|j| j.get(safe));
        let each = joined
            .is_none()
            .then(|| self.each.iter().filter_map(move |b| b.get(safe)));
        joined.into_iter().chain(each.into_iter().flatten())
    }
}

/// Drops matches lying inside a match of one of their rule's exception patterns.
fn drop_exceptions(exceptions: &[Exceptions], text: &str, safe: bool, matches: &mut Vec<RawMatch>) {
    matches.retain(|m| {
        let res = &exceptions[m.rule];
        if res.is_empty() {
            return true;
        }
        let lo = floor_char_boundary(text, m.start.saturating_sub(EXCEPTION_REACH));
        let hi = ceil_char_boundary(text, m.end + EXCEPTION_REACH);
        !res.regexes(safe)
            .any(|re| excuses(re, &text[..hi], lo, m.start, m.end))
    });
}

/// Whether a match of `re` starting in `from..=start` of `window` covers `start..end`.
fn excuses(re: &regex::Regex, window: &str, from: usize, start: usize, end: usize) -> bool {
    let mut at = from;
    while let Some(e) = re.find_at(window, at) {
        if e.start() > start {
            return false;
        }
        if end <= e.end() {
            return true;
        }
        // Next match: step past this one's start (matches may overlap the hit differently).
        at = ceil_char_boundary(window, e.start() + 1);
    }
    false
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_patterns_match_like_a_scan() {
        let (re, lits) = anchor(r"\b(?:some|many)\s+critics\b", true).expect("finite prefix");
        // Word gaps read as single spaces, so the literals run across them.
        assert!(
            lits.contains(&b"some critics".to_vec()) && lits.contains(&b"many critics".to_vec())
        );
        let text = "And Many critics agree; handsome critics do not.";
        // Both forms (Unicode and ASCII word boundaries) answer alike on this text.
        for re in [re.get(false), re.get(true)].map(Option::unwrap) {
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
        }
        // A leading word class has no finite prefix: such a pattern is scanned instead.
        assert!(anchor(r"\w+ly\b", true).is_none());
    }

    #[test]
    fn irregular_whitespace_matches_as_single_spaces_with_original_offsets() {
        use crate::rules::RuleSet;
        let rules = RuleSet::builtin().expect("built-in rules load");
        let plain = "Some critics say the plan is a vital step.";
        let messy = "Some\n critics  say the plan\tis a\u{a0}vital step.";
        let spans = |text: &str| -> Vec<(String, String)> {
            rules
                .find(text)
                .iter()
                .map(|m| {
                    (
                        rules.rules()[m.rule].id.to_string(),
                        text[m.start..m.end]
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                })
                .collect()
        };
        let expected = spans(plain);
        assert!(!expected.is_empty());
        assert_eq!(spans(messy), expected);
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
