//! Builds normalised block text (single spaces, trimmed) together with its [`OffsetMap`].
//!
//! Every reader funnels extracted text through a [`TextBuilder`], so whitespace handling and
//! offset bookkeeping live in one place: a run of whitespace in the source becomes one space in the
//! text, mapped back to the whole run.

use super::offsets::OffsetMap;

/// What separates words: Unicode white space, plus the zero-width no-break space (a byte-order
/// mark, kept in the string so that offsets stay file offsets) and the zero-width space.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}')
}

/// Whether the character at byte `i` of `s` (a char boundary) is a space, and its length.
#[inline(always)]
fn space_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        (matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C), 1)
    } else {
        let c = s[i..].chars().next().unwrap_or(' ');
        (is_space(c), c.len_utf8())
    }
}

#[derive(Debug, Default)]
pub struct TextBuilder {
    text: String,
    map: OffsetMap,
    /// Source span of whitespace seen since the last word, emitted lazily so that leading and
    /// trailing whitespace never reach the text.
    pending_space: Option<(usize, usize)>,
}

impl TextBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `piece`, a verbatim copy of the source starting at byte `src_start`.
    pub fn push_source(&mut self, piece: &str, src_start: usize) {
        let bytes = piece.as_bytes();
        let n = bytes.len();
        // One large piece (a 50 MB line) should not be copied through repeated doublings.
        self.text.reserve(n);
        // Start of a run of words joined by single ASCII spaces: such a run is already
        // normalised, so it is copied and mapped in one go.
        let mut run_start: Option<usize> = None;
        let mut i = 0;
        while i < n {
            // Fast path: printable ASCII.
            if bytes[i] > b' ' && bytes[i] < 0x80 {
                if run_start.is_none() {
                    run_start = Some(i);
                }
                i += 1;
                // Printable ASCII, and single spaces between such words: the usual prose,
                // skipped without decoding or classifying each space.
                let printable = |b: u8| b > b' ' && b < 0x80;
                while i < n {
                    if printable(bytes[i]) {
                        i += 1;
                    } else if bytes[i] == b' ' && i + 1 < n && printable(bytes[i + 1]) {
                        i += 2;
                    } else {
                        break;
                    }
                }
                continue;
            }
            let (space, len) = space_at(piece, i);
            if space {
                let single = bytes[i] == b' ' && run_start.is_some() && i + 1 < n;
                if single && !space_at(piece, i + 1).0 {
                    i += 1;
                    continue;
                }
                if let Some(rs) = run_start.take() {
                    self.push_word(&piece[rs..i], src_start + rs, None);
                }
                self.note_space(src_start + i, len);
            } else if run_start.is_none() {
                run_start = Some(i);
            }
            i += len;
        }
        if let Some(rs) = run_start {
            self.push_word(&piece[rs..], src_start + rs, None);
        }
    }

    /// Appends text that does not match the source byte for byte (a decoded entity, an escape):
    /// the whole of it maps to the source span `src_start..src_start+src_len`.
    pub fn push_decoded(&mut self, piece: &str, src_start: usize, src_len: usize) {
        if piece.starts_with(is_space) {
            self.note_space(src_start, 0);
        }
        let mut words = piece.split(is_space).filter(|w| !w.is_empty());
        if let Some(first) = words.next() {
            let mut collapsed = first.to_string();
            for w in words {
                collapsed.push(' ');
                collapsed.push_str(w);
            }
            self.push_word(&collapsed, src_start, Some(src_len));
        } else if !piece.is_empty() {
            // Only whitespace (a decoded `&nbsp;`, a CR LF): one space over the whole run.
            self.note_space(src_start, src_len);
            return;
        }
        if piece.ends_with(is_space) {
            self.note_space(src_start + src_len, 0);
        }
    }

    /// Marks a break (line break, inline boundary) at `src_pos` that reads as whitespace.
    pub fn push_break(&mut self, src_pos: usize, src_len: usize) {
        self.note_space(src_pos, src_len);
    }

    fn note_space(&mut self, src: usize, len: usize) {
        self.pending_space = Some(match self.pending_space {
            Some((s, l)) if s + l <= src => (s, src + len - s),
            Some(p) => p,
            None => (src, len),
        });
    }

    /// Appends a word: verbatim when `src_len` is `None`, else opaque over `src_len` bytes.
    fn push_word(&mut self, word: &str, src_start: usize, src_len: Option<usize>) {
        if let Some((s, l)) = self.pending_space.take()
            && !self.text.is_empty()
        {
            if l == 1 {
                // One byte of whitespace for one space: a position inside cannot exist.
                self.map.push_verbatim(self.text.len(), s, 1);
            } else {
                self.map.push_opaque(self.text.len(), 1, s, l);
            }
            self.text.push(' ');
        }
        match src_len {
            None => self
                .map
                .push_verbatim(self.text.len(), src_start, word.len()),
            Some(l) => self
                .map
                .push_opaque(self.text.len(), word.len(), src_start, l),
        }
        self.text.push_str(word);
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn finish(self) -> (String, OffsetMap) {
        (self.text, self.map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_and_trims_whitespace() {
        let src = "  Hello \n  world.  ";
        let mut b = TextBuilder::new();
        b.push_source(src, 0);
        let (text, map) = b.finish();
        assert_eq!(text, "Hello world.");
        assert_eq!(map.span(0, 5), (2, 7));
        assert_eq!(map.span(6, 12), (11, 17));
        assert_eq!(map.span(0, 12), (2, 17));
    }

    #[test]
    fn bom_nbsp_and_zero_width_space_separate_words() {
        let src = "\u{feff}One\u{a0}two\u{200b}three\r\nfour";
        let mut b = TextBuilder::new();
        b.push_source(src, 0);
        let (text, map) = b.finish();
        assert_eq!(text, "One two three four");
        let (s, e) = map.span(0, text.len());
        assert_eq!(&src[s..e], "One\u{a0}two\u{200b}three\r\nfour");
        let i = text.find("two").unwrap();
        let (s, e) = map.span(i, i + 3);
        assert_eq!(&src[s..e], "two");
        // A position inside a collapsed multi-byte space maps to the whole run.
        assert_eq!(map.span(3, 4), (6, 8));
    }

    #[test]
    fn space_at_agrees_with_is_space() {
        for c in (0..0x3100u32)
            .filter_map(char::from_u32)
            .chain(['\u{feff}', '\u{200b}'])
        {
            let s = c.to_string();
            assert_eq!(space_at(&s, 0), (is_space(c), c.len_utf8()), "{c:?}");
        }
    }

    #[test]
    fn runs_of_single_spaces_map_exactly() {
        let src = "ab cd  ef\tgh \u{a0}ij kl ";
        let mut b = TextBuilder::new();
        b.push_source(src, 10);
        let (text, map) = b.finish();
        assert_eq!(text, "ab cd ef gh ij kl");
        for (word, at) in [
            ("ab", 0),
            ("cd", 3),
            ("ef", 7),
            ("gh", 10),
            ("ij", 15),
            ("kl", 18),
        ] {
            let i = text.find(word).unwrap();
            assert_eq!(map.span(i, i + 2), (10 + at, 12 + at), "{word}");
        }
        assert_eq!(map.span(2, 3), (12, 13));
        assert_eq!(map.span(5, 6), (15, 17));
    }

    #[test]
    fn pieces_join_with_offsets() {
        let src = "a **bold** move";
        let mut b = TextBuilder::new();
        b.push_source("a ", 0);
        b.push_source("bold", 4);
        b.push_source(" move", 10);
        let (text, map) = b.finish();
        assert_eq!(text, "a bold move");
        let (s, e) = map.span(2, 6);
        assert_eq!(&src[s..e], "bold");
    }

    #[test]
    fn decoded_pieces_are_opaque() {
        // source: "R&amp;D&nbsp;now"
        let mut b = TextBuilder::new();
        b.push_source("R", 0);
        b.push_decoded("&", 1, 5);
        b.push_source("D", 6);
        b.push_decoded("\u{a0}", 7, 6);
        b.push_source("now", 13);
        let (text, map) = b.finish();
        assert_eq!(text, "R&D now");
        assert_eq!(map.span(0, 3), (0, 7));
        assert_eq!(map.span(1, 2), (1, 6));
        assert_eq!(map.span(4, 7), (13, 16));
        assert_eq!(map.span(3, 4), (7, 13));
    }
}
