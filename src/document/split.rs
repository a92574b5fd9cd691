//! Sentence splitting for news prose.
//!
//! Works on normalised block text (single spaces, see `text.rs`). A boundary is a terminator
//! (`.`, `!`, `?`, `…`) plus any closing quotes or brackets, followed by a space and something
//! that can start a sentence. Abbreviations, titles, initials and mid-sentence ellipses are not
//! boundaries. Hand-written rather than taken from a crate: unicode-segmentation's UAX #29
//! sentence rules split after "Gen." and "U.S.", which news prose is full of.

/// Titles and abbreviations after which a capitalised word continues the same sentence.
const NEVER_ENDS: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm",
    "cmdr", "gov", "sen", "rep", "rev", "fr", "st", "hon", "pres", "supt", "insp", "amb", "sec",
    "messrs", "mme", "mlle", "no", "nos", "vs", "v", "cf", "e.g", "i.e", "viz", "approx", "dept",
    "est", "fig", "figs", "vol", "pp", "p", "art", "ch", "para", "sec", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "ave", "blvd", "rd", "op",
    "ed", "eds", "al",
];

/// Abbreviations that may also end a sentence ("… in the U.S. The next day …"): a boundary only
/// when the next word is a typical sentence opener.
const MAY_END: &[&str] = &[
    "u.s", "u.k", "u.n", "e.u", "u.s.a", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "a.m",
    "p.m", "bros", "llc", "plc", "d.c", "n.y",
];

/// Words that typically open a sentence.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "there",
    "their",
    "his",
    "her",
    "our",
    "my",
    "what",
    "when",
    "where",
    "why",
    "how",
    "who",
    "which",
    "if",
    "as",
    "after",
    "before",
    "while",
    "since",
    "for",
    "with",
    "without",
    "however",
    "meanwhile",
    "still",
    "yes",
    "no",
    "not",
    "now",
    "then",
    "today",
    "yesterday",
    "moreover",
    "also",
    "many",
    "some",
    "most",
    "all",
    "one",
    "two",
    "both",
    "each",
    "such",
    "by",
    "from",
    "to",
    "under",
    "over",
    "despite",
    "although",
    "though",
    "officials",
    "critics",
    "experts",
];

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»', '›'];

/// Splits normalised `text` into sentence byte ranges. Ranges are trimmed, non-empty, in order,
/// and together cover every non-space character of `text`.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for boundary in boundaries(text) {
        push_trimmed(&mut out, text, start, boundary);
        start = boundary;
    }
    push_trimmed(&mut out, text, start, text.len());
    out
}

fn push_trimmed(out: &mut Vec<(usize, usize)>, text: &str, start: usize, end: usize) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if start + lead < end - trail {
        out.push((start + lead, end - trail));
    }
}

/// Byte positions just after each sentence end (terminator plus closers).
fn boundaries(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut result = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // Absorb runs of terminators ("?!", "...") and closing quotes/brackets.
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if matches!(d, '.' | '!' | '?' | '…') || CLOSERS.contains(&d) {
                end = j + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        // A boundary needs whitespace after it (decimals, "U.S.-led", URLs have none).
        if end >= bytes.len() || bytes[end] != b' ' {
            continue;
        }
        let next_word = text[end + 1..].split(' ').next().unwrap_or("");
        if is_boundary(text, i, end, c, next_word) {
            result.push(end);
        }
    }
    result
}

fn is_boundary(text: &str, term_at: usize, end: usize, term: char, next_word: &str) -> bool {
    let Some(first) = next_word
        .chars()
        .find(|ch| !matches!(ch, '"' | '\'' | '“' | '‘' | '(' | '[' | '«'))
    else {
        return false;
    };
    let starts_sentence = first.is_uppercase()
        || first.is_ascii_digit()
        || next_word.starts_with(['"', '“', '‘', '(', '[', '«', '\'']);
    if !starts_sentence {
        return false;
    }
    if term != '.' || text[term_at..end].starts_with("..") {
        // "!" "?" "…" and "...": a boundary when the next word starts a sentence.
        return true;
    }
    let word = preceding_word(&text[..term_at]);
    let lower = word.to_lowercase();
    if NEVER_ENDS.contains(&lower.as_str()) {
        return false;
    }
    // A single letter after a space is an initial ("John F. Kennedy", "J. K. Rowling"); after a
    // hyphen it ends a name ("ISIS-K.").
    let standalone = !text[..term_at - word.len()].ends_with('-');
    if standalone && word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return false;
    }
    if MAY_END.contains(&lower.as_str()) {
        let next = next_word
            .trim_matches(|ch: char| !ch.is_alphanumeric())
            .to_lowercase();
        return OPENERS.contains(&next.as_str());
    }
    true
}

/// The word before a terminator, including inner dots ("U.S" in "U.S.").
fn preceding_word(before: &str) -> &str {
    let start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\''))
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    before[start..].trim_start_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn plain_sentences() {
        assert_eq!(
            split("One two. Three four! Five?"),
            vec!["One two.", "Three four!", "Five?"]
        );
    }

    #[test]
    fn titles_and_initials() {
        assert_eq!(
            split("Gen. Michael Kurilla met Mr. Sharif. John F. Kennedy spoke. Then Dr. No left."),
            vec![
                "Gen. Michael Kurilla met Mr. Sharif.",
                "John F. Kennedy spoke.",
                "Then Dr. No left."
            ]
        );
    }

    #[test]
    fn us_abbreviation_mid_and_end() {
        assert_eq!(
            split("The U.S. Army helped. Aid came from the U.S. The next day it rained."),
            vec![
                "The U.S. Army helped.",
                "Aid came from the U.S.",
                "The next day it rained."
            ]
        );
    }

    #[test]
    fn decimals_and_eg() {
        assert_eq!(
            split("Growth was 2.5 per cent, e.g. in Lahore. Fine."),
            vec!["Growth was 2.5 per cent, e.g. in Lahore.", "Fine."]
        );
    }

    #[test]
    fn quotes_and_ellipses() {
        assert_eq!(
            split(
                "He said, “We will win.” Then he left... and came back… Later, “Why?” she asked. Done."
            ),
            vec![
                "He said, “We will win.”",
                "Then he left... and came back…",
                "Later, “Why?” she asked.",
                "Done."
            ]
        );
    }

    #[test]
    fn hyphenated_letter_ends_sentence() {
        assert_eq!(
            split("They fought ISIS-K. As a result, talks began."),
            vec!["They fought ISIS-K.", "As a result, talks began."]
        );
    }

    #[test]
    fn parentheses() {
        assert_eq!(
            split("It worked (see below.) The end."),
            vec!["It worked (see below.)", "The end."]
        );
    }
}
