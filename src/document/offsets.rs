//! Mapping from positions in extracted text back to byte offsets in the original source.
//!
//! Readers for Markdown and HTML extract clean text (no `**`, no tags, entities decoded) but every
//! span rhetor reports must point into the original file. An [`OffsetMap`] records, per run of
//! extracted text, where it came from.
//!
//! A run is either *verbatim* (the text is a byte-for-byte copy of the source, so positions inside
//! it map one to one) or *opaque* (a decoded entity, an escape, a collapsed whitespace run: a
//! position strictly inside it maps to the whole source run). Mapped offsets therefore always fall
//! on source character boundaries when the text positions fall on text character boundaries.

use smallvec::SmallVec;

/// One run of extracted text and the source bytes it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    text_start: usize,
    text_len: usize,
    src_start: usize,
    src_len: usize,
    /// The text is a byte-for-byte copy of the source run.
    verbatim: bool,
}

impl Segment {
    fn text_end(&self) -> usize {
        self.text_start + self.text_len
    }

    fn src_end(&self) -> usize {
        self.src_start + self.src_len
    }
}

/// Maps byte positions in an extracted text to byte positions in the source.
///
/// Segments are pushed in text order and are expected to tile the text; their source runs are
/// expected to be in increasing order (every reader in this module guarantees both).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// Inline when there is one segment, as for most plain-text paragraphs: a heap vector per
    /// block was a 160-byte allocation each, 40 MB of fresh pages on a 46 MB input.
    segments: SmallVec<[Segment; 1]>,
}

impl OffsetMap {
    /// The identity map for text copied verbatim from `src_start`.
    pub fn identity(src_start: usize, len: usize) -> Self {
        let mut map = Self::default();
        map.push_verbatim(0, src_start, len);
        map
    }

    /// Records that text bytes `text_start..text_start+text_len` came from source bytes
    /// `src_start..src_start+src_len`. Runs of equal length are taken to be verbatim copies;
    /// use [`OffsetMap::push_opaque`] when they are not. Segments must be pushed in text order.
    pub fn push(&mut self, text_start: usize, text_len: usize, src_start: usize, src_len: usize) {
        if text_len == src_len {
            self.push_verbatim(text_start, src_start, text_len);
        } else {
            self.push_opaque(text_start, text_len, src_start, src_len);
        }
    }

    /// Records that text bytes `text_start..text_start+len` are a copy of source bytes
    /// `src_start..src_start+len`.
    pub fn push_verbatim(&mut self, text_start: usize, src_start: usize, len: usize) {
        if len == 0 {
            return;
        }
        // Merge with the previous segment when both are verbatim and contiguous, to keep maps
        // small (a plain-text paragraph is usually a single segment).
        if let Some(last) = self.segments.last_mut()
            && last.verbatim
            && last.text_end() == text_start
            && last.src_end() == src_start
        {
            last.text_len += len;
            last.src_len += len;
            return;
        }
        self.segments.push(Segment {
            text_start,
            text_len: len,
            src_start,
            src_len: len,
            verbatim: true,
        });
    }

    /// Records that text bytes `text_start..text_start+text_len` stand for source bytes
    /// `src_start..src_start+src_len` as a whole (a decoded entity, a collapsed run of
    /// whitespace): a position strictly inside maps to the whole source run.
    pub fn push_opaque(
        &mut self,
        text_start: usize,
        text_len: usize,
        src_start: usize,
        src_len: usize,
    ) {
        if text_len == 0 {
            return;
        }
        self.segments.push(Segment {
            text_start,
            text_len,
            src_start,
            src_len,
            verbatim: false,
        });
    }

    /// The segment holding text position `pos`, preferring the one that starts at `pos`
    /// (`for_start`) or the one that ends at `pos` (`!for_start`).
    fn segment(&self, pos: usize, for_start: bool) -> Option<&Segment> {
        let idx = self.segments.partition_point(|s| {
            if for_start {
                s.text_end() <= pos
            } else {
                s.text_end() < pos
            }
        });
        self.segments.get(idx).or(self.segments.last())
    }

    /// Source offset where text starting at `pos` begins.
    pub fn start(&self, pos: usize) -> usize {
        match self.segment(pos, true) {
            None => 0,
            Some(s) if pos <= s.text_start => s.src_start,
            Some(s) if pos >= s.text_end() => s.src_end(),
            Some(s) if s.verbatim => s.src_start + (pos - s.text_start),
            // Inside a decoded entity or similar: the whole source run is the best we can say.
            Some(s) => s.src_start,
        }
    }

    /// Source offset where text ending at `pos` (exclusive) ends.
    pub fn end(&self, pos: usize) -> usize {
        match self.segment(pos, false) {
            None => 0,
            Some(s) if pos >= s.text_end() => s.src_end(),
            Some(s) if pos <= s.text_start => s.src_start,
            Some(s) if s.verbatim => s.src_start + (pos - s.text_start),
            Some(s) => s.src_end(),
        }
    }

    /// Source span for the text range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.start(start);
        (s, self.end(end).max(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_maps_with_offset() {
        let m = OffsetMap::identity(10, 5);
        assert_eq!(m.span(0, 5), (10, 15));
        assert_eq!(m.span(2, 3), (12, 13));
    }

    #[test]
    fn empty_map_is_harmless() {
        let m = OffsetMap::default();
        assert_eq!(m.span(0, 0), (0, 0));
        assert_eq!(m.span(3, 7), (0, 0));
    }

    #[test]
    fn skips_markup_between_segments() {
        // source: "a **bold** word"  text: "a bold word"
        let mut m = OffsetMap::default();
        m.push(0, 2, 0, 2); // "a "
        m.push(2, 4, 4, 4); // "bold"
        m.push(6, 5, 10, 5); // " word"
        assert_eq!(m.span(2, 6), (4, 8));
        assert_eq!(m.span(0, 11), (0, 15));
        assert_eq!(m.span(7, 11), (11, 15));
    }

    #[test]
    fn decoded_entity_maps_to_whole_source_run() {
        // source: "A &amp; B"  text: "A & B"
        let mut m = OffsetMap::default();
        m.push(0, 2, 0, 2);
        m.push(2, 1, 2, 5);
        m.push(3, 2, 7, 2);
        assert_eq!(m.span(2, 3), (2, 7));
        assert_eq!(m.span(0, 5), (0, 9));
    }

    #[test]
    fn opaque_runs_of_equal_length_are_not_interpolated() {
        // source: "x\r\ny"  text "x y" where the space came from a 2-byte CRLF, and a 2-byte
        // decoded piece standing for a 2-byte source run that differs from it.
        let mut m = OffsetMap::default();
        m.push_verbatim(0, 0, 1);
        m.push_opaque(1, 2, 1, 2);
        m.push_verbatim(3, 3, 1);
        assert_eq!(m.start(2), 1);
        assert_eq!(m.end(2), 3);
        assert_eq!(m.span(0, 4), (0, 4));
    }

    #[test]
    fn verbatim_runs_merge() {
        let mut m = OffsetMap::default();
        m.push_verbatim(0, 5, 3);
        m.push_verbatim(3, 8, 4);
        assert_eq!(m.segments.len(), 1);
        m.push_verbatim(7, 20, 1);
        assert_eq!(m.segments.len(), 2);
        assert_eq!(m.span(6, 8), (11, 21));
    }
}
