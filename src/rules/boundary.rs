//! ASCII forms of patterns that keep regex searches in a small lazy DFA on typeset prose.
//!
//! A Unicode `\b` (the default) is something the lazy DFA cannot decide on non-ASCII text, so a
//! search gives up at the first non-ASCII byte (a curly quote, a dash) and falls back to a
//! backtracker. On C50 news with its quotes made typographic that fallback was a quarter of the
//! whole run. A Unicode `\w` or `\d` is hundreds of byte ranges, which the lazy DFA pays for
//! in states. ASCII forms of all three agree with the Unicode ones on any text whose non-ASCII
//! characters are not word characters, which is most opinion prose (quotes, dashes, ellipses):
//! such text is searched with the ASCII form of the pattern, anything else with the pattern as
//! written.

use std::sync::{Arc, OnceLock};

/// Compiles one form of a pattern; `None` when it does not compile.
type Build<R> = Arc<dyn Fn(&str) -> Option<R> + Send + Sync>;

/// A pattern compiled as written and, when it has word boundaries or classes, in ASCII form. Each form
/// is compiled on first use: text that never needs one never pays for it, and a short column
/// compiles only the few patterns whose prefixes it contains. Clones share what was compiled.
#[derive(Clone)]
pub struct Bounded<R> {
    pattern: Arc<str>,
    ascii_pattern: Option<Arc<str>>,
    build: Build<R>,
    unicode: Arc<OnceLock<Option<R>>>,
    ascii: Arc<OnceLock<Option<R>>>,
}

impl<R> Bounded<R> {
    /// `pattern`, compiled by `build` when first needed. The pattern must be one that `build`
    /// accepts (callers pass patterns already checked when their rules loaded); should a form
    /// still fail to compile, searches use the other form, and without any, find nothing.
    pub fn new(pattern: &str, build: impl Fn(&str) -> Option<R> + Send + Sync + 'static) -> Self {
        Self {
            pattern: pattern.into(),
            ascii_pattern: ascii_form(pattern).map(Into::into),
            build: Arc::new(build),
            unicode: Arc::default(),
            ascii: Arc::default(),
        }
    }

    /// Like [`Bounded::new`], with the pattern as written already compiled (`unicode`, e.g. by
    /// the rule loader), so that form is never compiled twice.
    pub fn with_compiled(
        pattern: &str,
        unicode: R,
        build: impl Fn(&str) -> Option<R> + Send + Sync + 'static,
    ) -> Self {
        let b = Self::new(pattern, build);
        let _ = b.unicode.set(Some(unicode));
        b
    }

    /// The compiled pattern to search `text` with, given [`ascii_safe`]`(text)`.
    pub fn get(&self, ascii_safe: bool) -> Option<&R> {
        if ascii_safe && let Some(p) = &self.ascii_pattern {
            let ascii = self.ascii.get_or_init(|| (self.build)(p));
            if ascii.is_some() {
                return ascii.as_ref();
            }
        }
        self.unicode
            .get_or_init(|| (self.build)(&self.pattern))
            .as_ref()
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

impl<R> std::fmt::Debug for Bounded<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Bounded").field(&self.pattern).finish()
    }
}

/// Whether every non-ASCII character of `text` is a non-word character, so that ASCII and
/// Unicode word boundaries fall at the same places.
pub fn ascii_safe(text: &str) -> bool {
    !non_ascii_chars(text).any(regex_syntax::is_word_character)
}

/// Whether `b` is an ASCII word character, `[0-9A-Za-z_]`: what an ASCII `\w` matches. One
/// table lookup: the matcher and attribution ask it of nearly every byte, and range tests in
/// both took a tenth of a rules-only run's instructions.
pub fn is_ascii_word_byte(b: u8) -> bool {
    ASCII_WORD[usize::from(b)]
}

static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// The non-ASCII characters of `text`, found by skipping ASCII eight bytes at a time.
pub(crate) fn non_ascii_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        i += first_non_ascii(&text.as_bytes()[i..])?;
        let c = text[i..].chars().next()?;
        i += c.len_utf8();
        Some(c)
    })
}

/// Index of the first byte of `bytes` that is not ASCII. Eight bytes at a time: most text is
/// all ASCII, and a byte-by-byte search was a tenth of the rule stage.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    for (n, word) in words.by_ref().enumerate() {
        let high = u64::from_le_bytes(word.try_into().expect("8 bytes")) & HIGH;
        if high != 0 {
            return Some(n * 8 + high.trailing_zeros() as usize / 8);
        }
    }
    let rest = words.remainder();
    rest.iter()
        .position(|b| !b.is_ascii())
        .map(|p| bytes.len() - rest.len() + p)
}

/// `pattern` with its word boundaries (`\b`, `\B`) and Perl classes `\w`, `\d` made
/// ASCII-only, or `None` when it has none of them. On [`ascii_safe`] text both forms match
/// alike: the only characters the Unicode forms add are non-ASCII word characters (digits are
/// word characters too), and such text has none. The ASCII classes also keep the lazy DFA small:
/// a Unicode `\w` is hundreds of UTF-8 byte ranges, and a pattern with several of them built new
/// DFA states on almost every search.
fn ascii_form(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut changed = false;
    // Nesting depth of `[...]` classes, and where the current class started (a `]` right after
    // `[` or `[^` is a literal).
    let mut depth = 0usize;
    let mut class_start = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            match c {
                '[' => {
                    depth += 1;
                    out.push(c);
                    if chars.peek() == Some(&'^') {
                        out.push('^');
                        chars.next();
                    }
                    class_start = out.len();
                    continue;
                }
                ']' if depth > 0 && out.len() != class_start => depth -= 1,
                _ => {}
            }
            out.push(c);
            continue;
        }
        let in_class = depth > 0;
        match chars.next() {
            Some(b @ ('b' | 'B')) if !in_class => {
                out.push_str("(?-u:\\");
                out.push(b);
                out.push(')');
                changed = true;
            }
            Some('w') => {
                out.push_str(if in_class {
                    "0-9A-Za-z_"
                } else {
                    "[0-9A-Za-z_]"
                });
                changed = true;
            }
            Some('d') => {
                out.push_str(if in_class { "0-9" } else { "[0-9]" });
                changed = true;
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_boundaries_but_not_escaped_backslashes() {
        assert_eq!(
            ascii_form(r"\bsaid\B x\\b").as_deref(),
            Some(r"(?-u:\b)said(?-u:\B) x\\b")
        );
        assert_eq!(ascii_form(r"no\s+boundary"), None);
    }

    #[test]
    fn rewrites_word_and_digit_classes_inside_and_outside_brackets() {
        assert_eq!(
            ascii_form(r"\w+[\w.'’\-]*[^\d,]\d").as_deref(),
            Some(r"[0-9A-Za-z_]+[0-9A-Za-z_.'’\-]*[^0-9,][0-9]")
        );
        // A `]` first in a class is a literal; POSIX classes nest; `\s` and `\W` stay.
        assert_eq!(
            ascii_form(r"[]\w][^]x][[:alpha:]\d]\s\W\\w").as_deref(),
            Some(r"[]0-9A-Za-z_][^]x][[:alpha:]0-9]\s\W\\w")
        );
        // Every rewritten form compiles, and agrees with the original on safe text.
        let p = r"(?i)\b(?:\w+\s+){0,2}[A-Z][\w.'’\-]*\s+\d+\b";
        let ascii = regex::Regex::new(&ascii_form(p).unwrap()).unwrap();
        let unicode = regex::Regex::new(p).unwrap();
        for text in [
            "“Yes,” the Bank of Ana’s 12 said",
            "Ex-Gen. O’Neil 4 — x",
            "naïve Zoë 7",
        ] {
            if ascii_safe(text) {
                let all = |re: &regex::Regex| -> Vec<_> {
                    re.find_iter(text).map(|m| m.range()).collect()
                };
                assert_eq!(all(&ascii), all(&unicode), "{text}");
            }
        }
    }

    #[test]
    fn typographic_punctuation_is_safe_accented_letters_are_not() {
        assert!(ascii_safe("“Quoted,” she said — twice…"));
        assert!(!ascii_safe("José said"));
        assert!(!ascii_safe("naïve"));
    }

    #[test]
    fn both_forms_agree_on_safe_text_and_the_unicode_form_is_kept_otherwise() {
        let compile = |p: &str| regex::Regex::new(p).ok();
        let b = Bounded::new(r"\bsaid\b", compile);
        let text = "“Yes,” Ana said’";
        assert!(ascii_safe(text));
        let find = |safe| b.get(safe).unwrap().find(text).map(|m| m.range());
        assert_eq!(find(true), find(false));
        // "éa" is a word to Unicode \b but not to ASCII \b: unsafe text keeps the Unicode form.
        let b = Bounded::new(r"\ba\b", compile);
        assert!(!ascii_safe("éa"));
        // The eight-byte scan finds non-ASCII characters at every position of a word.
        for at in 0..20 {
            let mut text = "a".repeat(at);
            text.push('é');
            text.push_str("bcdefghij");
            assert_eq!(first_non_ascii(text.as_bytes()), Some(at), "{text}");
            assert!(!ascii_safe(&text));
            assert!(ascii_safe(&text.replace('é', "—")));
            assert_eq!(first_non_ascii(&text.as_bytes()[..at]), None);
        }
        assert_eq!(b.get(false).unwrap().find("éa"), None);
        assert!(b.get(true).unwrap().find("éa").is_some());
    }
}
