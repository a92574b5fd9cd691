//! Finds rule matches in text: one Aho-Corasick automaton over every phrase of every rule,
//! plus the pattern rules' regexes, then word-boundary, case and exception checks.

use super::boundary::{Bounded, ascii_safe, is_ascii_word_byte};
use super::{CaseMode, Forms, Rule, RuleKind};
use aho_corasick::automaton::Automaton;
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
    /// Every phrase of every phrase rule *and* every prefix literal of every anchored pattern,
    /// in two automata: those that can only match where a word starts, and the rest.
    literals: Literals,
    /// Pattern rules' regexes, each run anchored where one of its prefix literals occurs.
    /// Scanning the text once per regex (two hundred-odd of them) was the matcher's main cost.
    anchored: Vec<AnchoredPattern>,
    /// Patterns without a short, finite prefix set (rare): scanned the ordinary way.
    scanned: Vec<ScannedPattern>,
    /// Per rule, its exception patterns as one alternation (one search per hit, not one per
    /// exception); empty for rules without exceptions.
    exceptions: Vec<Exceptions>,
}

#[derive(Debug, Clone)]
enum Entry {
    /// A phrase of rule `rule`; `exact` holds the spelling when case must match; `inflect`:
    /// its inflected and possessive forms match too ([`inflected_end`]).
    Phrase {
        rule: usize,
        exact: Option<String>,
        inflect: bool,
    },
    /// A prefix literal of `anchored[.0]`.
    Start(usize),
}

/// A pattern scanned over the whole text, but only text holding one of the literals every
/// match ends with (`gate`, when there is such a set): "20-odd" needs "odd", and text without
/// it is not scanned at all.
#[derive(Debug, Clone)]
struct ScannedPattern {
    rule: usize,
    regex: Bounded<regex::Regex>,
    gate: Option<regex::Regex>,
}

/// A pattern run only where one of its prefix literals occurs.
#[derive(Debug, Clone)]
struct AnchoredPattern {
    rule: usize,
    regex: Bounded<regex_automata::meta::Regex>,
}

impl Matcher {
    pub(super) fn new(rules: &[Rule]) -> Self {
        let mut literals = LiteralsBuilder::default();
        let mut anchored = Vec::new();
        let mut scanned = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            match rule.kind {
                RuleKind::Phrases => {
                    for p in &rule.phrases {
                        for variant in apostrophe_variants(p) {
                            let bytes = variant.as_bytes().to_vec();
                            let exact = (rule.case == CaseMode::Sensitive).then_some(variant);
                            // The word-boundary check rejects a phrase that starts with a word
                            // character anywhere but at a word start.
                            let inflect = rule.forms == Forms::Inflected;
                            let entry = Entry::Phrase {
                                rule: ri,
                                exact,
                                inflect,
                            };
                            literals.push(bytes, entry, true);
                        }
                    }
                }
                RuleKind::Pattern => {
                    for re in &rule.patterns {
                        match anchor(re.as_str(), rule.case == CaseMode::Insensitive) {
                            Some((regex, starts)) => {
                                let bounded = begins_at_word_boundary(re.as_str());
                                for lit in starts {
                                    literals.push(lit, Entry::Start(anchored.len()), bounded);
                                }
                                anchored.push(AnchoredPattern { rule: ri, regex });
                            }
                            None => scanned.push(ScannedPattern {
                                rule: ri,
                                regex: re.clone(),
                                gate: suffix_gate(re.as_str()),
                            }),
                        }
                    }
                }
            }
        }
        let exceptions = rules.iter().map(Exceptions::of).collect();
        Self {
            literals: literals.build(),
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
        self.literals
            .each_match(text, |entry, start, end| match entry {
                Entry::Start(ai) => candidates.push((*ai, start)),
                Entry::Phrase {
                    rule,
                    exact,
                    inflect,
                } => {
                    let case_ok = exact.as_ref().is_none_or(|e| text[start..end] == **e);
                    let end = if !case_ok {
                        None
                    } else if at_word_boundaries(text, start, end) {
                        Some(end)
                    } else if *inflect {
                        inflected_end(text, start, end)
                    } else {
                        None
                    };
                    if let Some(end) = end {
                        out.push(RawMatch {
                            rule: *rule,
                            start,
                            end,
                        });
                    }
                }
            });
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
        for p in &self.scanned {
            if p.gate.as_ref().is_some_and(|g| !g.is_match(text)) {
                continue;
            }
            let Some(regex) = p.regex.get(safe) else {
                continue;
            };
            let hits = regex.find_iter(text).filter(|m| !m.is_empty());
            out.extend(hits.map(|m| RawMatch {
                rule: p.rule,
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

/// The rules' literals, split by where they can matter. Most phrases and pattern prefixes
/// start with a word character and must start a word, so they are looked for only at word
/// starts, one anchored walk of a contiguous NFA from each (a few bytes until it dies); an unanchored
/// overlapping scan fed every byte of the text through the automaton and was the matcher's
/// largest cost. Literals without that guarantee keep the unanchored scan.
#[derive(Debug, Clone)]
struct Literals {
    at_word_starts: Option<(aho_corasick::nfa::contiguous::NFA, Vec<Entry>)>,
    /// First bytes (both cases) of the word-start literals: other positions are skipped.
    first_bytes: [bool; 256],
    anywhere: Option<(AhoCorasick, Vec<Entry>)>,
}

#[derive(Default)]
struct LiteralsBuilder {
    at_word_starts: (Vec<Vec<u8>>, Vec<Entry>),
    anywhere: (Vec<Vec<u8>>, Vec<Entry>),
}

impl LiteralsBuilder {
    /// Adds a literal; `word_start`: a match matters only where it starts a word, provided the
    /// literal begins with a word character.
    fn push(&mut self, literal: Vec<u8>, entry: Entry, word_start: bool) {
        let word_first = literal.first().is_some_and(|&b| is_ascii_word_byte(b));
        let set = if word_start && word_first {
            &mut self.at_word_starts
        } else {
            &mut self.anywhere
        };
        set.0.push(literal);
        set.1.push(entry);
    }

    fn build(self) -> Literals {
        let (words, word_entries) = self.at_word_starts;
        let mut first_bytes = [false; 256];
        for b in words.iter().filter_map(|l| l.first()) {
            first_bytes[usize::from(b.to_ascii_lowercase())] = true;
            first_bytes[usize::from(b.to_ascii_uppercase())] = true;
        }
        let at_word_starts = (!words.is_empty()).then(|| {
            // Lower-case literals, walked with lower-cased bytes: the same matches as an
            // ASCII-case-insensitive automaton, with half the transitions per state to search.
            let lowered: Vec<Vec<u8>> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
            let nfa = aho_corasick::nfa::contiguous::Builder::new()
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(&lowered)
                .expect("an automaton builds for any set of non-empty strings");
            (nfa, word_entries)
        });
        let (any, any_entries) = self.anywhere;
        let anywhere = (!any.is_empty()).then(|| {
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(&any)
                .expect("an automaton builds for any set of non-empty strings");
            (ac, any_entries)
        });
        Literals {
            at_word_starts,
            first_bytes,
            anywhere,
        }
    }
}

impl Literals {
    /// Calls `found(entry, start, end)` for every occurrence (ASCII case ignored) of every
    /// literal that can matter: all of them, in no particular order.
    fn each_match(&self, text: &str, mut found: impl FnMut(&Entry, usize, usize)) {
        if let Some((nfa, entries)) = &self.at_word_starts {
            let bytes = text.as_bytes();
            let start = nfa
                .start_state(aho_corasick::Anchored::Yes)
                .expect("anchored searches are supported");
            // A word start here is any position not preceded by an ASCII word byte: a superset
            // of both the phrases' boundary check and a pattern's `\b` (a non-ASCII letter
            // before it is left to those checks).
            let mut prev_word = false;
            for (i, &b) in bytes.iter().enumerate() {
                let candidate = !prev_word && self.first_bytes[usize::from(b)];
                prev_word = is_ascii_word_byte(b);
                if !candidate {
                    continue;
                }
                let mut sid = start;
                for (end, &c) in bytes.iter().enumerate().skip(i) {
                    sid = nfa.next_state(aho_corasick::Anchored::Yes, sid, c.to_ascii_lowercase());
                    if nfa.is_dead(sid) {
                        break;
                    }
                    for k in 0..if nfa.is_match(sid) {
                        nfa.match_len(sid)
                    } else {
                        0
                    } {
                        let pid = nfa.match_pattern(sid, k);
                        // Match states also list literals ending here that start later
                        // (suffixes): those belong to a later word start.
                        if end + 1 - nfa.pattern_len(pid) == i {
                            found(&entries[pid.as_usize()], i, end + 1);
                        }
                    }
                }
            }
        }
        if let Some((ac, entries)) = &self.anywhere {
            for m in ac.find_overlapping_iter(text) {
                found(&entries[m.pattern().as_usize()], m.start(), m.end());
            }
        }
    }
}

/// Whether every match of `pattern` begins at a word boundary (`\b` or `\b{start}` comes
/// first): with a literal that begins with a word character, the match then starts a word.
fn begins_at_word_boundary(pattern: &str) -> bool {
    use regex_syntax::hir::{Hir, HirKind, Look};
    fn begins(hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Look(look) => matches!(
                look,
                Look::WordAscii
                    | Look::WordUnicode
                    | Look::WordStartAscii
                    | Look::WordStartUnicode
                    | Look::WordStartHalfAscii
                    | Look::WordStartHalfUnicode
            ),
            HirKind::Concat(parts) => parts.first().is_some_and(begins),
            HirKind::Capture(cap) => begins(&cap.sub),
            HirKind::Alternation(branches) => branches.iter().all(begins),
            _ => false,
        }
    }
    regex_syntax::Parser::new()
        .parse(pattern)
        .is_ok_and(|hir| begins(&hir))
}

/// `None` when `text` already has only single ASCII spaces between words; otherwise a copy with
/// every whitespace run as one space, and for each byte of the copy its offset in `text`.
fn normalise_spaces(text: &str) -> Option<(String, Vec<usize>)> {
    if single_spaced_text(text) {
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

/// Whether the only white space in `text` is single ASCII spaces. Searched with SIMD for the
/// ASCII cases and by decoding only non-ASCII characters: decoding every character was a
/// twentieth of the run.
fn single_spaced_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"  ").is_none()
        && memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_none()
        && memchr::memchr2(0x0B, 0x0C, bytes).is_none()
        && !super::boundary::non_ascii_chars(text).any(char::is_whitespace)
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
            // Searches are anchored where a literal starts, so a prefilter would never run: no
            // literal extraction, which was most of the cost of compiling these.
            .configure(
                regex_automata::meta::Config::new()
                    .hybrid_cache_capacity(DFA_CACHE)
                    .auto_prefilter(false),
            )
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
    // Literals are taken case-sensitively: the automaton that finds them ignores ASCII case, so
    // one spelling per literal suffices and the set stays small.
    literals(
        pattern,
        regex_syntax::hir::literal::ExtractKind::Prefix,
        4000,
    )
}

/// A search for the finite set of literals every match of `pattern` ends with, ignoring case
/// (Unicode folding: a superset of what the pattern can match); `None` when there is no usable
/// set. A regex rather than an Aho-Corasick automaton: it expands the case variants of short
/// literals into one SIMD search, where the automaton's prefilter stopped at every "o" of the
/// text for "odd".
fn suffix_gate(pattern: &str) -> Option<regex::Regex> {
    let literals = literals(
        pattern,
        regex_syntax::hir::literal::ExtractKind::Suffix,
        256,
    )?;
    let alternation: Vec<String> = literals
        .iter()
        .map(|l| std::str::from_utf8(l).map(regex::escape))
        .collect::<Result<_, _>>()
        .ok()?;
    regex::Regex::new(&format!("(?i:{})", alternation.join("|"))).ok()
}

/// The finite set (at most `limit`) of literals of `kind` (prefixes or suffixes) of every match
/// of `pattern`, read case-sensitively; `None` when there is no usable set (infinite, too large,
/// or containing the empty string).
fn literals(
    pattern: &str,
    kind: regex_syntax::hir::literal::ExtractKind,
    limit: usize,
) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let mut extractor = regex_syntax::hir::literal::Extractor::new();
    extractor.kind(kind).limit_total(limit);
    let seq = extractor.extract(&hir);
    let literals: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    if literals.is_empty() || literals.len() > limit || literals.iter().any(|l| l.is_empty()) {
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

/// Where a phrase found at `start..end` ends when it carries a possessive or a regular ending
/// that completes the word: "lackey's" (the span stays "lackey"), "tyrants", "boasted",
/// "bragging" is not ("brag" would need a doubled consonant). Checked only after the plain
/// boundary check failed, so text without such forms costs nothing. `None`: no such form.
fn inflected_end(text: &str, start: usize, end: usize) -> Option<usize> {
    let last = text[..end].chars().next_back()?;
    if !last.is_ascii_alphabetic() {
        return None;
    }
    let rest = &text.as_bytes()[end..];
    let starts = |ending: &str| {
        rest.len() >= ending.len() && rest[..ending.len()].eq_ignore_ascii_case(ending.as_bytes())
    };
    // Possessives: the span is the phrase itself.
    for apostrophe_s in ["'s", "\u{2019}s"] {
        if starts(apostrophe_s) && at_word_boundaries(text, start, end + apostrophe_s.len()) {
            return Some(end);
        }
    }
    let lower = last.to_ascii_lowercase();
    let sibilant = matches!(lower, 's' | 'x' | 'z' | 'h');
    // Verb endings only on stems of five letters or more: "sham" + "ing" is not "shaming".
    let long = text[start..end].len() >= 5;
    let endings: &[&str] = match (lower, sibilant, long) {
        ('e', _, _) => &["s", "d"],
        (_, true, true) => &["es", "ed", "ing"],
        (_, true, false) => &["es"],
        (_, false, true) => &["s", "ed", "ing"],
        (_, false, false) => &["s"],
    };
    endings
        .iter()
        .find(|e| starts(e) && at_word_boundaries(text, start, end + e.len()))
        .map(|e| end + e.len())
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
        let each = rule.exceptions.clone();
        let joined = (each.len() > 1).then(|| {
            let parts: Vec<String> = each.iter().map(|b| format!("(?:{})", b.as_str())).collect();
            Bounded::new(&parts.join("|"), super::pattern_builder(rule.case))
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
    fn single_spacing_is_judged_like_a_check_of_every_character() {
        let by_chars = |text: &str| {
            !text.as_bytes().windows(2).any(|w| w == b"  ")
                && !text.chars().any(|c| c.is_whitespace() && c != ' ')
        };
        for text in [
            "",
            "one two three",
            "one  two",
            "tab\there",
            "line\nbreak",
            "cr\rx",
            "vt\u{0B}ff\u{0C}",
            "“curly” quotes — dashes… only",
            "no\u{A0}break",
            "ideographic\u{3000}space",
            "thin\u{2009}space and “quotes”",
            " lead and trail ",
            "ends with two  ",
        ] {
            assert_eq!(single_spaced_text(text), by_chars(text), "{text:?}");
        }
    }

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
    fn word_start_walk_finds_every_occurrence_a_full_scan_finds_at_word_starts() {
        // (literal, must start a word): the second set covers suffix matches ("vital" inside
        // "the vital"), nested literals, case, and literals kept for the unanchored scan.
        let literals: &[(&str, bool)] = &[
            ("only", true),
            ("on", true),
            ("not only", true),
            ("the vital", true),
            ("vital", true),
            ("may", true),
            ("-based", true),
            ("ly", false),
            ("é", true),
        ];
        let mut builder = LiteralsBuilder::default();
        for (i, (lit, word)) in literals.iter().enumerate() {
            builder.push(lit.as_bytes().to_vec(), Entry::Start(i), *word);
        }
        let built = builder.build();
        let text = "Not only the Vital one: commonly ONLY, on_ly 2only é-only naïonly \
                    the vital-ly, dismay May faith-based only";
        let mut found = Vec::new();
        built.each_match(text, |e, s, end| {
            let Entry::Start(i) = e else { unreachable!() };
            found.push((*i, s, end));
        });
        found.sort_unstable();
        // Reference: every occurrence, kept when its literal may start anywhere or it starts
        // where no ASCII word byte precedes it.
        let all = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(literals.iter().map(|(l, _)| l))
            .unwrap();
        let mut expected: Vec<(usize, usize, usize)> = all
            .find_overlapping_iter(text)
            .filter(|m| {
                let (lit, word) = literals[m.pattern().as_usize()];
                let word_first = is_ascii_word_byte(lit.as_bytes()[0]);
                !(word && word_first)
                    || m.start() == 0
                    || !is_ascii_word_byte(text.as_bytes()[m.start() - 1])
            })
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        expected.sort_unstable();
        assert_eq!(found, expected);
        // Sanity: mid-word occurrences are gone, word starts and suffix literals stay.
        let at = |lit: &str| text.find(lit).unwrap();
        assert!(found.contains(&(4, at("Vital"), at("Vital") + 5)));
        assert!(
            !found
                .iter()
                .any(|&(i, s, _)| i == 0 && s == at("commonly") + 4)
        );
        assert!(
            found
                .iter()
                .any(|&(i, s, _)| i == 0 && s == at("naïonly") + 4)
        );
    }

    #[test]
    fn scanned_patterns_skip_text_without_their_closing_literals() {
        let gate = suffix_gate(r"\b\d[\d,.]*(?:\s+(?:\w+\s+)?|-)odd\b").expect("ends in odd");
        assert!(gate.is_match("some 20-ODD people"));
        assert!(!gate.is_match("some 20 people"));
        let gate = suffix_gate(r"(?-i)\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s+regimes?\b");
        assert!(gate.is_some_and(|g| g.is_match("the Assad regime")));
        // No finite suffix set: no gate, the pattern is always scanned.
        assert!(suffix_gate(r"\bodd\w*").is_none());
        // The gated pattern still matches through the rule set.
        let rules = crate::rules::RuleSet::builtin().expect("built-in rules load");
        let text = "Some 20-odd officials came.";
        assert!(
            rules
                .find(text)
                .iter()
                .any(|m| &text[m.start..m.end] == "20-odd")
        );
    }

    #[test]
    fn patterns_that_begin_at_a_word_boundary() {
        assert!(begins_at_word_boundary(r"\bvital\b"));
        assert!(begins_at_word_boundary(r"(?i)\b(?:some|many)\s+critics"));
        assert!(begins_at_word_boundary(r"(?:\bfoo|\bbar)baz"));
        assert!(!begins_at_word_boundary(r"(?:\bfoo|bar)baz"));
        assert!(!begins_at_word_boundary(r"\w+ly\b"));
        assert!(!begins_at_word_boundary(r"(unclosed"));
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
