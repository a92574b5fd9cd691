//! Escaping. Every piece of report text reaches the page through [`esc`] — element content,
//! attribute values, SVG `<title>`s — so a column containing `<script>`, `onerror=`, `</style>`
//! or `javascript:` is shown as text and can never become markup.
//!
//! On top of that, text content goes through [`push_text`], which makes invisible characters
//! that could disguise text (bidirectional overrides, zero-width spaces, control characters)
//! visible as small badges instead of letting them reorder or hide what the reader sees.

use std::fmt::Write as _;

/// The one escaping function: `&`, `<`, `>`, `"` and `'` become character references. Safe in
/// element content and in double- or single-quoted attribute values.
pub fn esc(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// [`esc`] into a new string.
pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    esc(&mut out, s);
    out
}

/// What a hidden character is called on its badge, and its full name.
pub fn hidden(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        '\u{061C}' => ("ALM", "ARABIC LETTER MARK"),
        '\u{200B}' => ("ZWSP", "ZERO WIDTH SPACE"),
        '\u{200E}' => ("LRM", "LEFT-TO-RIGHT MARK"),
        '\u{200F}' => ("RLM", "RIGHT-TO-LEFT MARK"),
        '\u{202A}' => ("LRE", "LEFT-TO-RIGHT EMBEDDING"),
        '\u{202B}' => ("RLE", "RIGHT-TO-LEFT EMBEDDING"),
        '\u{202C}' => ("PDF", "POP DIRECTIONAL FORMATTING"),
        '\u{202D}' => ("LRO", "LEFT-TO-RIGHT OVERRIDE"),
        '\u{202E}' => ("RLO", "RIGHT-TO-LEFT OVERRIDE"),
        '\u{2060}' => ("WJ", "WORD JOINER"),
        '\u{2066}' => ("LRI", "LEFT-TO-RIGHT ISOLATE"),
        '\u{2067}' => ("RLI", "RIGHT-TO-LEFT ISOLATE"),
        '\u{2068}' => ("FSI", "FIRST STRONG ISOLATE"),
        '\u{2069}' => ("PDI", "POP DIRECTIONAL ISOLATE"),
        '\u{FEFF}' => ("BOM", "ZERO WIDTH NO-BREAK SPACE"),
        c if c.is_control() && c != '\n' && c != '\t' => ("CTRL", "CONTROL CHARACTER"),
        _ => return None,
    })
}

/// Whether the character may stay in the DOM inside its badge. Format characters do (so the
/// page's text equals the source); control characters do not (HTML forbids most of them).
fn keep_in_dom(c: char) -> bool {
    !c.is_control()
}

/// Element content: escaped, with hidden characters shown as badges. A kept format character
/// sits alone inside an isolating span, so an override cannot reach the text around it.
pub fn push_text(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, c) in s.char_indices() {
        let Some((badge, name)) = hidden(c) else {
            continue;
        };
        esc(out, &s[last..i]);
        let _ = write!(
            out,
            "<span class=\"cp\" data-cp=\"{badge}\" title=\"U+{:04X} {name} (shown, not applied)\">",
            c as u32
        );
        if keep_in_dom(c) {
            out.push(c);
        }
        out.push_str("</span>");
        last = i + c.len_utf8();
    }
    esc(out, &s[last..]);
}

/// Text that cannot hold a badge — attribute values shown to the reader (tooltips), SVG
/// `<title>` and `<text>` — escaped, with hidden characters written out as `[U+202E]` so they
/// cannot reorder what is shown.
pub fn push_attr(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, c) in s.char_indices() {
        if hidden(c).is_none() {
            continue;
        }
        esc(out, &s[last..i]);
        let _ = write!(out, "[U+{:04X}]", c as u32);
        last = i + c.len_utf8();
    }
    esc(out, &s[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            escaped(r#"<a href="x" onclick='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(escaped("plain — text ✓"), "plain — text ✓");
        assert_eq!(escaped(""), "");
    }

    #[test]
    fn text_shows_overrides_as_badges_and_keeps_them_isolated() {
        let mut out = String::new();
        push_text(&mut out, "abc\u{202E}def<b>");
        assert_eq!(
            out,
            "abc<span class=\"cp\" data-cp=\"RLO\" title=\"U+202E RIGHT-TO-LEFT OVERRIDE (shown, \
             not applied)\">\u{202E}</span>def&lt;b&gt;"
        );
    }

    #[test]
    fn text_drops_control_characters_but_shows_a_badge() {
        let mut out = String::new();
        push_text(&mut out, "a\u{0007}b\nc");
        assert!(out.starts_with("a<span class=\"cp\" data-cp=\"CTRL\""));
        assert!(!out.contains('\u{0007}'));
        assert!(out.ends_with("</span>b\nc"));
    }

    #[test]
    fn emoji_and_joiners_are_left_alone() {
        let family = "👨\u{200D}👩\u{200D}👧 café";
        let mut out = String::new();
        push_text(&mut out, family);
        assert_eq!(out, family);
    }

    #[test]
    fn attributes_spell_out_hidden_characters() {
        let mut out = String::new();
        push_attr(&mut out, "x\u{202E}\"y\u{200B}");
        assert_eq!(out, "x[U+202E]&quot;y[U+200B]");
    }
}
