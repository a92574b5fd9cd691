//! Sentence splitting for news prose.
//!
//! Works on normalised block text (single spaces, see `text.rs`), though any string is accepted.
//! A boundary is a terminator (`.`, `!`, `?`, `…`) plus any further terminators, closing quotes
//! and brackets, followed by white space and something that can start a sentence (a capital, a
//! digit, an opening quote or bracket before one). Abbreviations, titles, initials, item numbers
//! and mid-sentence ellipses are not boundaries. Full-width CJK terminators end a sentence even
//! without a following space. Hand-written rather than taken from a crate: unicode-segmentation's
//! UAX #29 sentence rules split after "Gen." and "U.S.", which news prose is full of.

use super::text::is_space;

/// Titles and abbreviations after which a capitalised word continues the same sentence
/// ("Gen. Kurilla", "Lt. Gen.", "e.g. Lahore"). Lower case, without the final dot.
const NEVER_ENDS: [&str; 58] = [
    "adm", "amb", "approx", "atty", "brig", "capt", "cdr", "cf", "cmdr", "cmdt", "col", "cpl",
    "cpt", "det", "dr", "drs", "e.g", "esp", "fr", "gen", "gens", "gov", "govs", "hon", "i.e",
    "incl", "insp", "lieut", "lt", "maj", "messrs", "mlle", "mme", "mmes", "mr", "mrs", "ms",
    "msgr", "mx", "pfc", "pres", "prof", "profs", "pvt", "rep", "reps", "rev", "revd", "rt", "sec",
    "secy", "sen", "sens", "sgt", "supt", "v", "viz", "vs",
];
const NEVER_ENDS_KEYS: [u128; 58] = keys(NEVER_ENDS);

/// Abbreviations that stand before a number ("No. 5", "p. 12", "Sept. 11"); before anything
/// else they are ordinary words ("The answer was no. Then …").
const BEFORE_NUMBERS: [&str; 33] = [
    "apr", "art", "arts", "aug", "ca", "ch", "chap", "dec", "ext", "feb", "fig", "figs", "jan",
    "jul", "jun", "mar", "no", "nos", "nov", "nr", "oct", "op", "p", "para", "paras", "pp", "pt",
    "pts", "sep", "sept", "tel", "vol", "vols",
];
const BEFORE_NUMBERS_KEYS: [u128; 33] = keys(BEFORE_NUMBERS);

/// Abbreviations that may also end a sentence ("… in the U.S. The next day …"): a boundary only
/// when the next word is a typical sentence opener. Words made of short dotted letter groups
/// ("N.A.T.O", "Ph.D") are treated the same way.
const MAY_END: [&str; 34] = [
    "a.m", "assn", "ave", "blvd", "bros", "co", "corp", "d.c", "dept", "e.u", "esq", "est", "etc",
    "ft", "govt", "inc", "intl", "jr", "llc", "ltd", "mt", "n.y", "natl", "p.m", "ph.d", "plc",
    "rd", "sr", "st", "u.k", "u.n", "u.s", "u.s.a", "univ",
];
const MAY_END_KEYS: [u128; 34] = keys(MAY_END);

/// Words that typically open a sentence.
const OPENERS: [&str; 87] = [
    "a",
    "after",
    "all",
    "also",
    "although",
    "an",
    "and",
    "as",
    "at",
    "before",
    "both",
    "but",
    "by",
    "critics",
    "despite",
    "during",
    "each",
    "every",
    "experts",
    "few",
    "for",
    "from",
    "he",
    "her",
    "here",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "indeed",
    "instead",
    "it",
    "its",
    "last",
    "many",
    "meanwhile",
    "moreover",
    "most",
    "my",
    "next",
    "no",
    "nor",
    "not",
    "now",
    "officials",
    "on",
    "one",
    "or",
    "our",
    "several",
    "she",
    "since",
    "so",
    "some",
    "still",
    "such",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "thus",
    "to",
    "today",
    "two",
    "under",
    "we",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "with",
    "without",
    "yes",
    "yesterday",
    "yet",
    "you",
];
const OPENERS_KEYS: [u128; 87] = keys(OPENERS);

/// After a single capital ("John F. Kennedy"), only these words show that a sentence ended
/// ("… Plan B. The vote …").
const AFTER_INITIAL: [&str; 16] = [
    "and", "but", "he", "her", "his", "in", "it", "its", "she", "that", "the", "then", "there",
    "they", "this", "we",
];
const AFTER_INITIAL_KEYS: [u128; 16] = keys(AFTER_INITIAL);

/// Verbs of saying: `“Why?” Smith asked.` is one sentence.
const REPORTING_VERBS: [&str; 35] = [
    "added",
    "admitted",
    "answered",
    "argued",
    "asked",
    "asks",
    "conceded",
    "continued",
    "countered",
    "cried",
    "declared",
    "demanded",
    "exclaimed",
    "explained",
    "insisted",
    "joked",
    "muttered",
    "noted",
    "observed",
    "quipped",
    "recalled",
    "remarked",
    "replied",
    "responded",
    "said",
    "says",
    "shouted",
    "stated",
    "told",
    "tweeted",
    "warned",
    "whispered",
    "wondered",
    "wrote",
    "yelled",
];
const REPORTING_VERBS_KEYS: [u128; 35] = keys(REPORTING_VERBS);

/// Closing quotes and brackets that belong to the sentence before them.
const CLOSERS: &[char] = &[
    '"', '\'', '”', '’', ')', ']', '}', '»', '›', '」', '』', '）',
];

/// Opening quotes and brackets that may precede the first word of a sentence.
const OPENING: &[char] = &[
    '"', '\'', '“', '‘', '„', '‚', '«', '‹', '(', '[', '{', '¿', '¡', '「', '『', '（',
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Term {
    /// `.`
    Dot,
    /// `!` `?` and their variants.
    Strong,
    /// `…`
    Ellipsis,
    /// `。` `！` `？`: ends a sentence with or without a following space.
    Cjk,
}

fn terminator(c: char) -> Option<Term> {
    match c {
        '.' => Some(Term::Dot),
        '!' | '?' | '‼' | '⁇' | '⁈' | '⁉' => Some(Term::Strong),
        '…' => Some(Term::Ellipsis),
        '。' | '！' | '？' | '｡' => Some(Term::Cjk),
        _ => None,
    }
}

/// Invisible characters that may sit between a terminator and what follows.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{00ad}')
}

/// Splits `text` into sentence byte ranges. Ranges are trimmed of white space, non-empty, in
/// order, and together cover every non-space character of `text`.
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
    let lead = slice.len() - slice.trim_start_matches(is_space).len();
    let trail = slice.len() - slice.trim_end_matches(is_space).len();
    if start + lead < end - trail {
        out.push((start + lead, end - trail));
    }
}

/// What a run of terminators and closers looked like.
struct Run {
    /// Byte position of the first terminator.
    at: usize,
    /// Byte position just after the run.
    end: usize,
    kind: Term,
    /// More than one terminator ("...", "?!").
    repeated: bool,
    /// A closing quote or bracket was part of the run.
    closed: bool,
}

/// Positions, in order, of the bytes a terminator can start with: '.', '!', '?' and the lead
/// bytes E2, E3, EF of the others. Two SIMD searches, merged: much faster than decoding every
/// character, or than testing every byte.
fn terminator_candidates(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut ascii = memchr::memchr3_iter(b'.', b'!', b'?', bytes).peekable();
    let mut lead = memchr::memchr3_iter(0xE2, 0xE3, 0xEF, bytes).peekable();
    std::iter::from_fn(move || match (ascii.peek(), lead.peek()) {
        (Some(a), Some(l)) if a < l => ascii.next(),
        (Some(_), None) => ascii.next(),
        _ => lead.next(),
    })
}

/// Byte positions just after each sentence end (terminator plus closers).
fn boundaries(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut result = Vec::new();
    let mut sentence_start = 0;
    let mut pos = 0;
    let mut candidates = terminator_candidates(bytes);
    while let Some(i) = candidates.find(|&i| i >= pos) {
        let c = text[i..].chars().next().unwrap_or(' ');
        pos = i + c.len_utf8();
        let Some(first) = terminator(c) else {
            continue;
        };
        // Absorb runs of terminators ("?!", "...") and closing quotes/brackets.
        let mut run = Run {
            at: i,
            end: pos,
            kind: first,
            repeated: false,
            closed: false,
        };
        for d in text[run.end..].chars() {
            if let Some(t) = terminator(d) {
                run.repeated = true;
                run.kind = match (run.kind, t) {
                    (Term::Cjk, _) | (_, Term::Cjk) => Term::Cjk,
                    (Term::Strong, _) | (_, Term::Strong) => Term::Strong,
                    _ => Term::Ellipsis,
                };
            } else if CLOSERS.contains(&d) {
                run.closed = true;
            } else if !is_invisible(d) {
                break;
            }
            run.end += d.len_utf8();
        }
        // French spacing inside guillemets: "« Non. » Puis".
        let rest = &text[run.end..];
        let after = rest.trim_start_matches(is_space);
        if after.len() < rest.len() {
            let token = words(after).next().unwrap_or("");
            if !token.is_empty() && token.chars().all(|ch| CLOSERS.contains(&ch)) {
                run.end += rest.len() - after.len() + token.len();
                run.closed = true;
            }
        }
        pos = run.end;
        let rest = &text[run.end..];
        let after = rest.trim_start_matches(is_space);
        if after.is_empty() {
            continue;
        }
        if run.kind == Term::Cjk {
            result.push(run.end);
            sentence_start = run.end;
            continue;
        }
        // A boundary needs white space after it (decimals, "U.S.-led", URLs have none).
        if after.len() == rest.len() {
            continue;
        }
        if is_boundary(text, sentence_start, &run, after) {
            result.push(run.end);
            sentence_start = run.end;
        }
    }
    result
}

/// The space-separated words of `s`.
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_space).filter(|w| !w.is_empty())
}

/// A word of up to 16 ASCII bytes, lower-cased and packed big-endian into an integer, so that
/// integer order is the words' lexicographic order (0 for anything else: never listed).
const fn key(word: &str) -> u128 {
    let b = word.as_bytes();
    if b.is_empty() || b.len() > 16 {
        return 0;
    }
    let mut k = 0u128;
    let mut i = 0;
    while i < 16 {
        let byte = if i < b.len() { b[i] } else { 0 };
        if byte >= 0x80 {
            return 0;
        }
        k = (k << 8) | byte.to_ascii_lowercase() as u128;
        i += 1;
    }
    k
}

/// The keys of a word list, in the list's (sorted) order.
const fn keys<const N: usize>(list: [&str; N]) -> [u128; N] {
    let mut out = [0u128; N];
    let mut i = 0;
    while i < N {
        out[i] = key(list[i]);
        i += 1;
    }
    out
}

/// Whether `word` (any case) is in a list of keys.
fn listed(keys: &[u128], word: &str) -> bool {
    let k = key(word);
    k != 0 && keys.binary_search(&k).is_ok()
}

/// `word` without surrounding punctuation.
fn bare(word: &str) -> &str {
    word.trim_matches(|ch: char| !ch.is_alphanumeric())
}

fn is_boundary(text: &str, sentence_start: usize, run: &Run, after: &str) -> bool {
    let mut following = words(after);
    let next_word = following.next().unwrap_or("");
    let opened = next_word.trim_start_matches(OPENING);
    let mut chars = opened.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let capital = first.is_alphabetic() && !first.is_lowercase();
    let digit = first.is_numeric()
        || (matches!(first, '$' | '£' | '€' | '¥') && chars.next().is_some_and(char::is_numeric));
    if !(capital || digit) {
        return false;
    }
    if run.kind == Term::Strong || (run.kind == Term::Ellipsis && !run.repeated) {
        if run.kind == Term::Ellipsis {
            return capital;
        }
        // `“Why?” Smith asked.` and `“Now!” Prime Minister Khan shouted.`
        if run.closed && capital {
            for w in following.take(3) {
                if listed(&REPORTING_VERBS_KEYS, bare(w)) {
                    return false;
                }
                if !w.starts_with(|ch: char| ch.is_uppercase()) {
                    break;
                }
            }
        }
        return true;
    }
    if run.repeated {
        // "..." and ". . .": a boundary only before a capitalised word.
        return capital;
    }
    // A single dot.
    let word = preceding_word(&text[..run.at]);
    let word_start = run.at - word.len();
    // An item number or letter at the start of a sentence ("1. Cut taxes.", "iv. Build").
    if is_item_marker(word)
        && text[sentence_start..word_start]
            .chars()
            .all(|ch| is_space(ch) || OPENING.contains(&ch))
    {
        return false;
    }
    if listed(&BEFORE_NUMBERS_KEYS, word) {
        return !digit;
    }
    if listed(&NEVER_ENDS_KEYS, word) {
        return false;
    }
    // "et al."
    if word.eq_ignore_ascii_case("al") && text[..word_start].trim_end().ends_with("et") {
        return false;
    }
    let next = bare(next_word);
    // A single capital is an initial ("John F. Kennedy", "J. K. Rowling"), unless it ends a
    // hyphenated name ("ISIS-K.", "Plan-B.").
    let mut wchars = word.chars();
    if let (Some(w), None) = (wchars.next(), wchars.next())
        && w.is_uppercase()
        && !text[..word_start].ends_with(['-', '‑', '–'])
    {
        return !opened.contains('.') && listed(&AFTER_INITIAL_KEYS, next);
    }
    if listed(&MAY_END_KEYS, word) || is_dotted_abbreviation(word) {
        return listed(&OPENERS_KEYS, next);
    }
    true
}

/// "1", "12", "iv", "b": what numbers an item in a list.
fn is_item_marker(word: &str) -> bool {
    let n = word.chars().count();
    (1..=3).contains(&n) && word.chars().all(|c| c.is_ascii_digit())
        || (1..=4).contains(&n) && word.chars().all(|c| "ivxlIVXL".contains(c))
        || n == 1 && word.chars().all(|c| c.is_ascii_alphabetic())
}

/// "U.S", "N.A.T.O", "Ph.D", "a.m": groups of one to three letters joined by dots.
fn is_dotted_abbreviation(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| {
            let n = part.chars().count();
            (1..=3).contains(&n) && part.chars().all(char::is_alphabetic)
        })
}

/// The word before a terminator, including inner dots ("U.S" in "U.S.").
fn preceding_word(before: &str) -> &str {
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | '\'' | '’' | '&')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    // Leading dots belong to an ellipsis or a decimal before the word, not to it.
    let trimmed = word.trim_start_matches('.');
    &word[word.len() - trimmed.len()..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminator_candidates_are_every_byte_that_may_start_a_terminator() {
        for text in [
            "",
            "Plain. Words! And? More…",
            "“Quoted.” — dash。 Full！ width？ ｡ end.",
            "no terminators at all",
            "...!!??",
        ] {
            let bytes = text.as_bytes();
            let by_bytes: Vec<usize> = (0..bytes.len())
                .filter(|&i| matches!(bytes[i], b'.' | b'!' | b'?' | 0xE2 | 0xE3 | 0xEF))
                .collect();
            assert_eq!(
                terminator_candidates(bytes).collect::<Vec<_>>(),
                by_bytes,
                "{text}"
            );
        }
    }

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
        assert_eq!(split(""), Vec::<&str>::new());
        assert_eq!(split("   "), Vec::<&str>::new());
        assert_eq!(split("No terminator at all"), vec!["No terminator at all"]);
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
        assert_eq!(
            split("Lt. Gen. Ayesha Rahman and Sgt. Cole arrived. Prof. Lin and Mrs. Ode left."),
            vec![
                "Lt. Gen. Ayesha Rahman and Sgt. Cole arrived.",
                "Prof. Lin and Mrs. Ode left."
            ]
        );
        assert_eq!(
            split("Sen. Tom Hale and Rep. Ana Ruiz (D-Texas) voted no. Gov. Bell did not."),
            vec![
                "Sen. Tom Hale and Rep. Ana Ruiz (D-Texas) voted no.",
                "Gov. Bell did not."
            ]
        );
    }

    #[test]
    fn initials() {
        assert_eq!(
            split("J. K. Rowling wrote it. George W. Bush read it. E. B. White did not."),
            vec![
                "J. K. Rowling wrote it.",
                "George W. Bush read it.",
                "E. B. White did not."
            ]
        );
        // A single capital can still end a sentence before a clear opener.
        assert_eq!(
            split("They fell back on Plan B. The vote failed."),
            vec!["They fell back on Plan B.", "The vote failed."]
        );
        assert_eq!(
            split("A. A. Milne wrote it."),
            vec!["A. A. Milne wrote it."]
        );
        // The capital ending a hyphenated name is no initial.
        assert_eq!(
            split("They fought ISIS-K. Allies helped."),
            vec!["They fought ISIS-K.", "Allies helped."]
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
        assert_eq!(
            split("The U.K. Treasury and the U.N. Security Council met in the U.K. It rained."),
            vec![
                "The U.K. Treasury and the U.N. Security Council met in the U.K.",
                "It rained."
            ]
        );
        // Unlisted dotted abbreviations behave the same way.
        assert_eq!(
            split("N.A.T.O. Allies met in Washington, D.C. On Monday they left."),
            vec![
                "N.A.T.O. Allies met in Washington, D.C.",
                "On Monday they left."
            ]
        );
    }

    #[test]
    fn latin_and_company_abbreviations() {
        assert_eq!(
            split("Growth was 2.5 per cent, e.g. in Lahore. Fine."),
            vec!["Growth was 2.5 per cent, e.g. in Lahore.", "Fine."]
        );
        assert_eq!(
            split("Some cities, i.e. Karachi and Quetta, grew. Others, e.g. Multan, did not."),
            vec![
                "Some cities, i.e. Karachi and Quetta, grew.",
                "Others, e.g. Multan, did not."
            ]
        );
        assert_eq!(
            split("Tea, rice, etc. were scarce. They bought pens, paper, etc. The shop closed."),
            vec![
                "Tea, rice, etc. were scarce.",
                "They bought pens, paper, etc.",
                "The shop closed."
            ]
        );
        assert_eq!(
            split("Acme Inc. Chief Executive Jo Park quit. She joined Acme Inc. In May she left."),
            vec![
                "Acme Inc. Chief Executive Jo Park quit.",
                "She joined Acme Inc.",
                "In May she left."
            ]
        );
        assert_eq!(
            split("The study by Ruiz et al. Found nothing new, critics say. They were wrong."),
            vec![
                "The study by Ruiz et al. Found nothing new, critics say.",
                "They were wrong."
            ]
        );
    }

    #[test]
    fn numbers_and_number_abbreviations() {
        assert_eq!(
            split("He ranked No. 5 in the poll. The answer was no. Then he left."),
            vec![
                "He ranked No. 5 in the poll.",
                "The answer was no.",
                "Then he left."
            ]
        );
        assert_eq!(
            split("See p. 12 and Fig. 3 for details. It cost $1.2bn, up 3.14 per cent since 9/11."),
            vec![
                "See p. 12 and Fig. 3 for details.",
                "It cost $1.2bn, up 3.14 per cent since 9/11."
            ]
        );
        assert_eq!(
            split("The vote is on Sept. 11 at 9 a.m. Monday. Polls close at 8 p.m. Then we count."),
            vec![
                "The vote is on Sept. 11 at 9 a.m. Monday.",
                "Polls close at 8 p.m.",
                "Then we count."
            ]
        );
        assert_eq!(
            split("Sales rose in 2019. 2020 was worse. Prices fell. $5 buys less now."),
            vec![
                "Sales rose in 2019.",
                "2020 was worse.",
                "Prices fell.",
                "$5 buys less now."
            ]
        );
    }

    #[test]
    fn numbered_items() {
        assert_eq!(
            split("1. Cut taxes. 2. Build homes. 10. Fix roads."),
            vec!["1. Cut taxes.", "2. Build homes.", "10. Fix roads."]
        );
        assert_eq!(
            split("IV. Hire teachers. V. Pay them. B. Train them."),
            vec!["IV. Hire teachers.", "V. Pay them.", "B. Train them."]
        );
        // A number that ends a sentence is not an item marker.
        assert_eq!(
            split("The final score was 2. Nobody cheered."),
            vec!["The final score was 2.", "Nobody cheered."]
        );
    }

    #[test]
    fn quotes() {
        assert_eq!(
            split(
                "He said, “We will win.” Then he left. Later, “Why?” she asked. “Who knows?” Nobody did."
            ),
            vec![
                "He said, “We will win.”",
                "Then he left.",
                "Later, “Why?” she asked.",
                "“Who knows?”",
                "Nobody did."
            ]
        );
        assert_eq!(
            split("\"Stop!\" he cried. \"Never,\" she said. 'Fine.' Then quiet."),
            vec![
                "\"Stop!\" he cried.",
                "\"Never,\" she said.",
                "'Fine.'",
                "Then quiet."
            ]
        );
        assert_eq!(
            split("“Why now?” Smith asked. “Enough!” Prime Minister Khan shouted. It ended."),
            vec![
                "“Why now?” Smith asked.",
                "“Enough!” Prime Minister Khan shouted.",
                "It ended."
            ]
        );
        // An opening quote before a lower-case word does not start a sentence.
        assert_eq!(
            split("It was over. “and yet” it went on."),
            vec!["It was over. “and yet” it went on."]
        );
        // British punctuation outside the quote.
        assert_eq!(
            split("He called it “historic”. Others did not."),
            vec!["He called it “historic”.", "Others did not."]
        );
    }

    #[test]
    fn regnal_numbers_vitamins_and_quoted_words() {
        assert_eq!(
            split("King Charles III. He spoke. Troops fought in World War I. In 1918 it ended."),
            vec![
                "King Charles III.",
                "He spoke.",
                "Troops fought in World War I.",
                "In 1918 it ended."
            ]
        );
        assert_eq!(
            split("Take vitamin C. It helps. He called it 'crazy'. She disagreed."),
            vec![
                "Take vitamin C.",
                "It helps.",
                "He called it 'crazy'.",
                "She disagreed."
            ]
        );
        assert_eq!(
            split("“Stop!” The guard shouted. “Stop!” shouted the guard. Mr. O’Brien agreed."),
            vec![
                "“Stop!”",
                "The guard shouted.",
                "“Stop!” shouted the guard.",
                "Mr. O’Brien agreed."
            ]
        );
    }

    #[test]
    fn ellipses() {
        assert_eq!(
            split("Then he left... and came back… Later, he slept... Nobody woke him… He woke."),
            vec![
                "Then he left... and came back…",
                "Later, he slept...",
                "Nobody woke him…",
                "He woke."
            ]
        );
        assert_eq!(
            split("He paused . . . and went on. Then . . . Silence."),
            vec!["He paused . . . and went on.", "Then . . .", "Silence."]
        );
        assert_eq!(
            split("Prices rose by... 2020 they doubled."),
            vec!["Prices rose by... 2020 they doubled."]
        );
        assert_eq!(split("...."), vec!["...."]);
        assert_eq!(split("?!?!"), vec!["?!?!"]);
        assert_eq!(
            split("What?! Really?!? Yes."),
            vec!["What?!", "Really?!?", "Yes."]
        );
    }

    #[test]
    fn parentheses_and_brackets() {
        assert_eq!(
            split("It worked (see below.) The end."),
            vec!["It worked (see below.)", "The end."]
        );
        assert_eq!(
            split("(It worked.) (So did the next one.) [Editor's note: it did not.] Fine."),
            vec![
                "(It worked.)",
                "(So did the next one.)",
                "[Editor's note: it did not.]",
                "Fine."
            ]
        );
        assert_eq!(
            split("He left. (and came back later) Then slept."),
            vec!["He left. (and came back later) Then slept."]
        );
    }

    #[test]
    fn dashes_and_colons_do_not_split() {
        assert_eq!(
            split("The plan—bold, costly—failed. Critics cheered: it was over. Done."),
            vec![
                "The plan—bold, costly—failed.",
                "Critics cheered: it was over.",
                "Done."
            ]
        );
        assert_eq!(
            split("The verdict: Guilty. The crowd — Silent. Fine."),
            vec!["The verdict: Guilty.", "The crowd — Silent.", "Fine."]
        );
    }

    #[test]
    fn urls_and_emails() {
        assert_eq!(
            split("Visit www.example.com/news.html today. Write to ed.desk@example.org. Thanks."),
            vec![
                "Visit www.example.com/news.html today.",
                "Write to ed.desk@example.org.",
                "Thanks."
            ]
        );
        assert_eq!(
            split("See https://example.com/a.b?c=1. It helps."),
            vec!["See https://example.com/a.b?c=1.", "It helps."]
        );
    }

    #[test]
    fn other_white_space_and_scripts() {
        assert_eq!(split("One.\tTwo.\nThree."), vec!["One.", "Two.", "Three."]);
        assert_eq!(split("Один. Два."), vec!["Один.", "Два."]);
        assert_eq!(split("你好。我很好。"), vec!["你好。", "我很好。"]);
        assert_eq!(
            split("Il a dit : « Non. » Puis rien."),
            vec!["Il a dit : « Non. »", "Puis rien."]
        );
    }

    #[test]
    fn word_lists_are_sorted_lower_case_and_short() {
        for list in [
            &NEVER_ENDS[..],
            &BEFORE_NUMBERS,
            &MAY_END,
            &OPENERS,
            &AFTER_INITIAL,
            &REPORTING_VERBS,
        ] {
            for w in list.windows(2) {
                assert!(w[0] < w[1], "{} before {}", w[0], w[1]);
            }
            for w in list {
                assert!(
                    w.len() <= 16 && w.is_ascii() && w.to_lowercase() == *w,
                    "{w}"
                );
            }
        }
        for keys in [
            &NEVER_ENDS_KEYS[..],
            &BEFORE_NUMBERS_KEYS,
            &MAY_END_KEYS,
            &OPENERS_KEYS,
            &AFTER_INITIAL_KEYS,
            &REPORTING_VERBS_KEYS,
        ] {
            assert!(keys.windows(2).all(|w| w[0] < w[1]));
        }
        assert!(listed(&NEVER_ENDS_KEYS, "Gen") && listed(&MAY_END_KEYS, "U.S"));
        assert!(!listed(&OPENERS_KEYS, "") && !listed(&OPENERS_KEYS, "Thé"));
        assert!(listed(&OPENERS_KEYS, "THE") && !listed(&OPENERS_KEYS, "thee"));
    }

    #[test]
    fn preceding_word_handles_dots_and_unicode() {
        assert_eq!(preceding_word("the U.S"), "U.S");
        assert_eq!(preceding_word("(Dr"), "Dr");
        assert_eq!(preceding_word("...Mr"), "Mr");
        assert_eq!(preceding_word("“Ünal"), "Ünal");
        assert_eq!(preceding_word(""), "");
        assert_eq!(preceding_word("AT&T"), "AT&T");
    }
}
