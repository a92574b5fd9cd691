//! Builds normalised block text (single spaces, trimmed) together with its [`OffsetMap`].
//!
//! Every reader funnels extracted text through a [`TextBuilder`], so whitespace handling and
//! offset bookkeeping live in one place: a run of whitespace in the source becomes one space in the
//! text, mapped back to the whole run.

use super::offsets::OffsetMap;

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
        let mut run_start: Option<usize> = None;
        for (i, c) in piece.char_indices() {
            if c.is_whitespace() {
                if let Some(rs) = run_start.take() {
                    self.push_word(&piece[rs..i], src_start + rs, i - rs);
                }
                self.note_space(src_start + i, c.len_utf8());
            } else if run_start.is_none() {
                run_start = Some(i);
            }
        }
        if let Some(rs) = run_start {
            self.push_word(&piece[rs..], src_start + rs, piece.len() - rs);
        }
    }

    /// Appends text that does not match the source byte for byte (a decoded entity, an escape):
    /// the whole of it maps to the source span `src_start..src_start+src_len`.
    pub fn push_decoded(&mut self, piece: &str, src_start: usize, src_len: usize) {
        if piece.trim().is_empty() {
            if !piece.is_empty() {
                self.note_space(src_start, src_len);
            }
            return;
        }
        if piece.starts_with(char::is_whitespace) {
            self.note_space(src_start, 0);
        }
        let trimmed = piece.trim();
        // Interior whitespace is collapsed; the span stays coarse.
        let collapsed = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
        self.push_word(&collapsed, src_start, src_len);
        if piece.ends_with(char::is_whitespace) {
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

    fn push_word(&mut self, word: &str, src_start: usize, src_len: usize) {
        if let Some((s, l)) = self.pending_space.take()
            && !self.text.is_empty()
        {
            self.map.push(self.text.len(), 1, s, l);
            self.text.push(' ');
        }
        self.map
            .push(self.text.len(), word.len(), src_start, src_len);
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
}
