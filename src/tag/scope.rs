//! The context a cue stands in: inside a negation's scope ("not the best", "without
//! outstanding charisma") or inside a quotation (the speaker's words, not the writer's).
//!
//! The rules, both within one sentence:
//! - **Negated**: a negator ([`NEGATORS`], or a word ending in "n't") comes at most
//!   [`NEGATION_REACH`] words before the cue, with no clause break between them (`,` `;` `:`
//!   `—` `(`, or [`SCOPE_BREAKS`] such as "but", "although", "which"). A that-clause stays in
//!   scope ("the problem isn't that soldiers are cowardly"). The scope runs forward only: "The
//!   best, not the cheapest" negates "cheapest" alone.
//! - **Quoted**: the cue lies between a pair of double quotes (straight `"…"` or typographic
//!   `“…”`) that open and close in the sentence. Single quotes are not read: they double as
//!   apostrophes.
//!
//! - A **booster** also counts as negated when a negator follows it within the same reach
//!   ("certainly does not benefit"): it boosts a denial and promotes nothing.
//!
//! Attribution findings are left alone: "did not say" is still a citation.

use super::{Category, Finding};
use smallvec::SmallVec;

/// Words that open a negation's scope.
pub const NEGATORS: &[&str] = &[
    "not", "no", "never", "without", "hardly", "barely", "scarcely", "neither", "nor", "nothing",
    "nobody", "none", "cannot", "lack", "lacks", "lacked", "lacking", "far from", "rarely",
    "seldom",
];

/// Words between a negator and the cue it still reaches ("is not [clearly the] best").
pub const NEGATION_REACH: usize = 3;

/// Words that end a negation's scope as a clause break would.
const SCOPE_BREAKS: &[&str] = &[
    "but", "although", "though", "while", "because", "which", "who", "whose", "and", "yet",
    "whereas", "instead", "rather",
];

/// The context flags of one cue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CueContext {
    pub negated: bool,
    pub quoted: bool,
}

impl CueContext {
    /// Whether the cue is the writer's own, affirmed claim.
    pub fn is_plain(self) -> bool {
        !self.negated && !self.quoted
    }
}

/// Sets each rule finding's [`CueContext`] from the sentence it was found in.
pub fn mark(sentence: &str, findings: &mut [Finding]) {
    if findings.iter().all(|f| f.category == Category::Attribution) {
        return;
    }
    let quotes = if sentence.contains(['"', '“']) {
        quoted_spans(sentence)
    } else {
        Vec::new()
    };
    for f in findings
        .iter_mut()
        .filter(|f| f.category != Category::Attribution)
    {
        // A booster before a negation boosts a denial ("certainly does not benefit"): it
        // promotes nothing, so it counts as negated too.
        let denial = f.category == Category::Booster && negates_after(sentence, f.end);
        f.context = CueContext {
            negated: denial || negated(sentence, f.start),
            quoted: quotes.iter().any(|&(a, b)| a <= f.start && f.end <= b),
        };
    }
}

/// Byte spans (inside the marks) of the double-quoted passages that open and close in `text`.
pub fn quoted_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '"' | '“') => open = Some((i + c.len_utf8(), c)),
            (Some((start, '"')), '"') | (Some((start, '“')), '”') => {
                out.push((start, i));
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// Whether a negator reaches the word starting at byte `start` (the module's rule).
pub fn negated(sentence: &str, start: usize) -> bool {
    let Some(before) = sentence.get(..start) else {
        return false;
    };
    // Only the last few words can reach the cue: the words before it, nearest first.
    let near: SmallVec<[&str; 6]> = before
        .split_whitespace()
        .rev()
        .take(NEGATION_REACH + 2)
        .collect();
    for (between, tok) in near.iter().enumerate() {
        // Punctuation after this word stands between it and the cue: a clause break.
        if tok.ends_with(CLAUSE_PUNCTUATION) {
            return false;
        }
        let word = trim_word(tok);
        let closer = between.checked_sub(1).map(|i| near[i]);
        let far_from = word.eq_ignore_ascii_case("from")
            && near
                .get(between + 1)
                .is_some_and(|w| w.eq_ignore_ascii_case("far"));
        if far_from || is_negator(word, closer) {
            return true;
        }
        if one_of(word, SCOPE_BREAKS)
            || between >= NEGATION_REACH
            || tok.starts_with(CLAUSE_PUNCTUATION)
        {
            return false;
        }
    }
    false
}

/// Whether a negator follows byte `end` within [`NEGATION_REACH`] words, in the same clause.
pub fn negates_after(sentence: &str, end: usize) -> bool {
    let Some(after) = sentence.get(end..) else {
        return false;
    };
    let tokens: Vec<&str> = after.split_whitespace().take(NEGATION_REACH + 2).collect();
    for (k, tok) in tokens.iter().enumerate().take(NEGATION_REACH + 1) {
        if tok.starts_with(CLAUSE_PUNCTUATION) {
            return false;
        }
        let word = trim_word(tok);
        if is_negator(word, tokens.get(k + 1).copied()) {
            return true;
        }
        if one_of(word, SCOPE_BREAKS) || tok.ends_with(CLAUSE_PUNCTUATION) {
            return false;
        }
    }
    false
}

/// A token without the punctuation around it (apostrophes kept: "isn't").
fn trim_word(tok: &str) -> &str {
    tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
}

/// Whether `word` is one of `list`, ignoring ASCII case (no allocation: most words are not).
fn one_of(word: &str, list: &[&str]) -> bool {
    word.len() <= 12 && list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

const CLAUSE_PUNCTUATION: [char; 10] = [',', ';', ':', '—', '–', '(', ')', '.', '!', '?'];

/// Whether `word` opens a negation, given the word after it ("no doubt", "not only", "never
/// before" affirm rather than negate).
fn is_negator(word: &str, next: Option<&str>) -> bool {
    let contracted = word.ends_with("n't") || word.ends_with("n’t");
    if !(contracted || one_of(word, NEGATORS)) {
        return false;
    }
    let next = next.map(trim_word).unwrap_or("");
    let is = |w: &str| word.eq_ignore_ascii_case(w);
    let then = |ws: &[&str]| one_of(next, ws);
    !((is("no") && then(&["doubt", "question", "less", "longer", "end", "one"]))
        || (is("not") && then(&["only", "just", "least", "merely"]))
        || (is("never") && then(&["before"]))
        || (is("without") && then(&["doubt", "question", "exaggeration"])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(s: &str, cue: &str) -> bool {
        negated(s, s.find(cue).expect("cue in sentence"))
    }

    #[test]
    fn negators_reach_a_few_words_forward_within_a_clause() {
        let negated_cases = [
            ("It certainly does not benefit the people.", "benefit"),
            ("Without outstanding charisma, he won.", "outstanding"),
            ("The problem isn't that soldiers are cowardly.", "cowardly"),
            ("She is hardly a great leader.", "great"),
            ("This is far from the best plan.", "best"),
            ("The best plan, not the cheapest, won.", "cheapest"),
            ("It is not a shameful deal.", "shameful"),
            ("It wasn’t brilliant.", "brilliant"),
        ];
        for (s, cue) in negated_cases {
            assert!(neg(s, cue), "{s} / {cue}");
        }
        let plain_cases = [
            ("The best plan, not the cheapest, won.", "best"),
            ("It was, no doubt, a brilliant speech.", "brilliant"),
            ("Not only brilliant but kind.", "brilliant"),
            ("It is not a secret, but the best plan.", "best"),
            ("No one on the council is as gifted as she.", "gifted"),
            ("Nothing happened. The plan is excellent.", "excellent"),
            (
                "He did not know the plan, which was excellent.",
                "excellent",
            ),
            ("Nobody expected a deal this good for the port.", "good"),
        ];
        for (s, cue) in plain_cases {
            assert!(!neg(s, cue), "{s} / {cue}");
        }
    }

    #[test]
    fn a_booster_before_a_negation_boosts_a_denial() {
        let s = "It certainly does not benefit the people.";
        assert!(negates_after(s, s.find("certainly").unwrap() + 9));
        let t = "It certainly benefits the people, not the elite.";
        assert!(!negates_after(t, t.find("certainly").unwrap() + 9));
    }

    #[test]
    fn quotations_open_and_close_in_the_sentence() {
        let s = "He called it “a shameful deal” and \"reckless\", but it was fine.";
        let q = quoted_spans(s);
        assert_eq!(q.len(), 2);
        assert_eq!(&s[q[0].0..q[0].1], "a shameful deal");
        assert_eq!(&s[q[1].0..q[1].1], "reckless");
        assert!(quoted_spans("An “unclosed quote").is_empty());
    }
}
