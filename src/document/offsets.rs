//! Mapping from positions in extracted text back to byte offsets in the original source.
//!
//! Readers for Markdown and HTML extract clean text (no `**`, no tags, entities decoded) but every
//! span rhetor reports must point into the original file. An [`OffsetMap`] records, per run of
//! extracted text, where it came from.

/// One run of extracted text and the source bytes it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    text_start: usize,
    text_len: usize,
    src_start: usize,
    src_len: usize,
}

impl Segment {
    /// A segment is exact when the extracted text is a byte-for-byte copy of the source.
    fn exact(&self) -> bool {
        self.text_len == self.src_len
    }
}

/// Maps byte positions in an extracted text to byte positions in the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

impl OffsetMap {
    /// The identity map for text copied verbatim from `src_start`.
    pub fn identity(src_start: usize, len: usize) -> Self {
        let mut map = Self::default();
        map.push(0, len, src_start, len);
        map
    }

    /// Records that text bytes `text_start..text_start+text_len` came from
    /// source bytes `src_start..src_start+src_len`. Segments must be pushed in text order.
    pub fn push(&mut self, text_start: usize, text_len: usize, src_start: usize, src_len: usize) {
        if text_len == 0 {
            return;
        }
        // Merge with the previous segment when both are exact and contiguous, to keep maps small.
        if let Some(last) = self.segments.last_mut()
            && last.exact()
            && text_len == src_len
            && last.text_start + last.text_len == text_start
            && last.src_start + last.src_len == src_start
        {
            last.text_len += text_len;
            last.src_len += src_len;
            return;
        }
        self.segments.push(Segment {
            text_start,
            text_len,
            src_start,
            src_len,
        });
    }

    /// The segment holding text position `pos`, preferring the one that starts at `pos`
    /// (`for_start`) or the one that ends at `pos` (`!for_start`).
    fn segment(&self, pos: usize, for_start: bool) -> Option<&Segment> {
        let idx = self.segments.partition_point(|s| {
            if for_start {
                s.text_start + s.text_len <= pos
            } else {
                s.text_start + s.text_len < pos
            }
        });
        self.segments.get(idx).or(self.segments.last())
    }

    /// Source offset where text starting at `pos` begins.
    pub fn start(&self, pos: usize) -> usize {
        match self.segment(pos, true) {
            None => 0,
            Some(s) if pos <= s.text_start => s.src_start,
            Some(s) if s.exact() => s.src_start + (pos - s.text_start).min(s.src_len),
            // Inside a decoded entity or similar: the whole source run is the best we can say.
            Some(s) => s.src_start,
        }
    }

    /// Source offset where text ending at `pos` (exclusive) ends.
    pub fn end(&self, pos: usize) -> usize {
        match self.segment(pos, false) {
            None => 0,
            Some(s) if pos >= s.text_start + s.text_len => s.src_start + s.src_len,
            Some(s) if s.exact() => s.src_start + (pos - s.text_start),
            Some(s) if pos <= s.text_start => s.src_start,
            Some(s) => s.src_start + s.src_len,
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
}
