//! The document model: source text → blocks → sections → sentences, with byte spans into the
//! original input. Free of I/O: callers hand in bytes (see [`decode`]) or a string.

mod offsets;
mod read;
mod split;
mod text;

pub use offsets::OffsetMap;
pub use split::split_sentences;

use serde::Serialize;
use std::path::Path;

/// The formats rhetor reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Text,
    Markdown,
    Html,
}

impl SourceFormat {
    /// Guesses the format from a file extension, then from the content.
    pub fn detect(path: Option<&Path>, source: &str) -> Self {
        let ext = path
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "markdown" | "mdown") => Self::Markdown,
            Some("html" | "htm" | "xhtml") => Self::Html,
            Some("txt" | "text") => Self::Text,
            _ => {
                let trimmed = source.trim_start_matches(text::is_space);
                let mut cut = trimmed.len().min(512);
                while !trimmed.is_char_boundary(cut) {
                    cut -= 1;
                }
                let head = trimmed[..cut].to_ascii_lowercase();
                if head.starts_with("<!doctype html")
                    || head.starts_with("<html")
                    || head.starts_with("<head")
                    || head.starts_with("<article")
                    || head.contains("<body")
                {
                    Self::Html
                } else {
                    Self::Text
                }
            }
        }
    }
}

/// What a block of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Title,
    Heading,
    Paragraph,
}

/// A run of normalised text (single spaces) from one heading or paragraph of the source.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    pub map: OffsetMap,
}

/// A section: the title, a heading and what follows it, or (in text without headings) a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub index: usize,
    pub heading: Option<String>,
    /// Byte span into the source.
    pub start: usize,
    pub end: usize,
    /// Indices into [`Document::sentences`].
    pub sentences: std::ops::Range<usize>,
}

/// One sentence, located both in its block's text and in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub id: usize,
    pub section: usize,
    pub block: usize,
    /// Byte span within the block's text.
    pub text_start: usize,
    pub text_end: usize,
    /// Byte span into the source.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub format: SourceFormat,
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    pub sections: Vec<Section>,
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// Parses a source string. Never fails: an empty source is an empty document.
    pub fn parse(source: &str, format: SourceFormat) -> Self {
        let blocks = read::read_blocks(source, format);
        let title = blocks
            .first()
            .filter(|b| b.kind == BlockKind::Title)
            .map(|b| b.text.clone());
        let (sections, sentences) = sectionize(&blocks);
        Self {
            format,
            title,
            blocks,
            sections,
            sentences,
        }
    }

    /// The sentence's text (normalised whitespace).
    pub fn sentence_text(&self, s: &Sentence) -> &str {
        &self.blocks[s.block].text[s.text_start..s.text_end]
    }

    /// Maps a span inside a sentence's text to source byte offsets.
    pub fn source_span(
        &self,
        s: &Sentence,
        local_start: usize,
        local_end: usize,
    ) -> (usize, usize) {
        self.blocks[s.block]
            .map
            .span(s.text_start + local_start, s.text_start + local_end)
    }
}

/// Groups blocks into sections: by headings when the text has any besides the title, otherwise
/// one section per paragraph. The title is always a section of its own.
fn sectionize(blocks: &[Block]) -> (Vec<Section>, Vec<Sentence>) {
    let by_headings = blocks.iter().any(|b| b.kind == BlockKind::Heading);
    let mut sections: Vec<Section> = Vec::new();
    let mut sentences: Vec<Sentence> = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        let starts_section = match block.kind {
            BlockKind::Title | BlockKind::Heading => true,
            BlockKind::Paragraph => !by_headings || sections.is_empty(),
        };
        let (b_start, b_end) = block.map.span(0, block.text.len());
        if starts_section {
            let heading = matches!(block.kind, BlockKind::Title | BlockKind::Heading)
                .then(|| block.text.clone());
            sections.push(Section {
                index: sections.len(),
                heading,
                start: b_start,
                end: b_end,
                sentences: sentences.len()..sentences.len(),
            });
        }
        let section = sections
            .last_mut()
            .expect("a section was just pushed or exists");
        section.end = section.end.max(b_end);
        let first_in_block = sentences.len();
        // Text start of a sentence whose span came out empty, to be joined to the next one.
        let mut carry: Option<usize> = None;
        for (ts, te) in split_sentences(&block.text) {
            let ts = carry.take().unwrap_or(ts);
            let (start, end) = block.map.span(ts, te);
            // A boundary can only fall inside an opaque run of the offset map (a decoded code
            // span holding ". A") in odd input. Then the span would be empty or reach back into
            // the previous sentence: join the two instead, so spans stay non-empty and disjoint.
            if let Some(prev) = sentences[first_in_block..].last_mut()
                && (start < prev.end || end <= start)
            {
                prev.text_end = te;
                prev.end = prev.end.max(end);
                continue;
            }
            if end <= start {
                carry = Some(ts);
                continue;
            }
            sentences.push(Sentence {
                id: sentences.len(),
                section: section.index,
                block: bi,
                text_start: ts,
                text_end: te,
                start,
                end,
            });
        }
        section.sentences.end = sentences.len();
    }
    (sections, sentences)
}

/// Why an input could not be read as text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("input is empty")]
    Empty,
    #[error(
        "input looks binary (NUL byte at offset {offset}); rhetor reads UTF-8 text, Markdown or HTML"
    )]
    Binary { offset: usize },
    #[error(
        "input looks like UTF-16 (byte-order mark or NUL bytes between ASCII letters); convert it to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`"
    )]
    Utf16,
    #[error(
        "invalid UTF-8 at byte offset {offset}; convert the file to UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"
    )]
    InvalidUtf8 { offset: usize },
    #[error("input has no text (only whitespace)")]
    Blank,
}

/// Checks that `bytes` are UTF-8 text and returns them as a string, keeping byte offsets intact.
///
/// Invalid UTF-8 is rejected rather than replaced: replacement characters would shift every byte
/// offset after them, and all of rhetor's spans point into the original bytes. The error gives the
/// offset of the first bad byte. A UTF-8 byte-order mark is kept in the string (offsets stay file
/// offsets) and read as white space by every reader. Any NUL byte marks the input as binary (or as
/// UTF-16 without a byte-order mark, when the NULs alternate with ASCII), so parsed text never
/// holds NUL.
pub fn decode(bytes: &[u8]) -> Result<&str, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::Utf16);
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(if looks_like_utf16(bytes) {
            DecodeError::Utf16
        } else {
            DecodeError::Binary { offset }
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::InvalidUtf8 {
        offset: e.valid_up_to(),
    })?;
    if text.chars().all(text::is_space) {
        return Err(DecodeError::Blank);
    }
    Ok(text)
}

/// UTF-16 without a byte-order mark: in its first bytes, every other byte is NUL and the rest
/// are printable ASCII or white space.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(256) & !1];
    if head.len() < 4 {
        return false;
    }
    let ascii = |b: u8| b.is_ascii_graphic() || b.is_ascii_whitespace();
    let pairs = head.chunks_exact(2);
    let le = pairs.clone().all(|p| ascii(p[0]) && p[1] == 0);
    let be = pairs.clone().all(|p| p[0] == 0 && ascii(p[1]));
    le || be
}

/// Counts words the way rates are computed: runs of letters or digits (with inner apostrophes
/// and hyphens) — "U.S.-led" is one word, "don't" is one.
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII bytes are judged by one table lookup: decoding every character was most of
        // the cost. A joiner continues a word and never starts one, so it leaves `in_word`.
        let (class, len) = match WORD_CLASS[usize::from(bytes[i])] {
            Class::Other => {
                let c = text[i..].chars().next().unwrap_or(' ');
                let class = if c.is_alphanumeric() {
                    Class::Alnum
                } else if c == '’' {
                    Class::Joiner
                } else {
                    Class::Space
                };
                (class, c.len_utf8())
            }
            class => (class, 1),
        };
        i += len;
        match class {
            Class::Alnum => {
                count += usize::from(!in_word);
                in_word = true;
                // The rest of an ASCII run of letters and digits, in a tight loop.
                while i < bytes.len() && WORD_CLASS[usize::from(bytes[i])] == Class::Alnum {
                    i += 1;
                }
            }
            Class::Joiner => {}
            _ => in_word = false,
        }
    }
    count
}

/// How [`count_words`] sees a byte.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    /// ASCII letter or digit.
    Alnum,
    /// `'`, `-` or `.`: part of a word when inside one ("don't", "U.S.-led").
    Joiner,
    /// Any other ASCII byte.
    Space,
    /// The first byte of a non-ASCII character, decoded to decide (continuation bytes are
    /// skipped with it).
    Other,
}

static WORD_CLASS: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = match b as u8 {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => Class::Alnum,
            b'\'' | b'-' | b'.' => Class::Joiner,
            _ => Class::Space,
        };
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_counts_match_a_count_by_characters() {
        let by_chars = |text: &str| {
            let mut count = 0;
            let mut in_word = false;
            for c in text.chars() {
                let w = c.is_alphanumeric() || (in_word && matches!(c, '\'' | '’' | '-' | '.'));
                count += usize::from(w && !in_word);
                in_word = w;
            }
            count
        };
        for text in [
            "",
            "It's a world-class U.S. plan, e.g. 2.5 per cent.",
            "“Naïve” Zoë’s café — 42nd… ½ ² x'y -z .q",
            "  many   spaces\tand\nlines  ",
            "日本語 テキスト und Ärger",
            "--ab--cd 'x a'''b .5 ’tis rock’n’roll é-",
        ] {
            assert_eq!(count_words(text), by_chars(text), "{text}");
        }
    }

    #[test]
    fn paragraphs_become_sections_with_title() {
        let src = "A Headline\nFirst para one. First para two.\nSecond para.\n";
        let doc = Document::parse(src, SourceFormat::Text);
        assert_eq!(doc.title.as_deref(), Some("A Headline"));
        assert_eq!(doc.sections.len(), 3);
        assert_eq!(doc.sections[0].heading.as_deref(), Some("A Headline"));
        assert_eq!(doc.sections[1].sentences, 1..3);
        assert_eq!(
            &src[doc.sections[1].start..doc.sections[1].end],
            "First para one. First para two."
        );
        let s = &doc.sentences[2];
        assert_eq!(&src[s.start..s.end], "First para two.");
        assert_eq!(s.section, 1);
    }

    #[test]
    fn markdown_headings_group_paragraphs() {
        let src = "# Title\n\nIntro.\n\n## One\n\nAa. Bb.\n\nCc.\n\n## Two\n\nD.\n";
        let doc = Document::parse(src, SourceFormat::Markdown);
        let headings: Vec<_> = doc.sections.iter().map(|s| s.heading.as_deref()).collect();
        assert_eq!(headings, vec![Some("Title"), Some("One"), Some("Two")]);
        // Title section holds the title and the intro; "One" holds its heading and A, B, C.
        assert_eq!(doc.sections[1].sentences.len(), 4);
    }

    #[test]
    fn decode_rejects_bad_input_with_offsets() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"  \n "), Err(DecodeError::Blank));
        assert_eq!(decode(b"\xef\xbb\xbf \r\n\t"), Err(DecodeError::Blank));
        assert_eq!(decode(b"ab\0cd"), Err(DecodeError::Binary { offset: 2 }));
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary { offset: 8 })
        );
        assert_eq!(
            decode(b"caf\xe9 ok"),
            Err(DecodeError::InvalidUtf8 { offset: 3 })
        );
        // A sequence cut short at the end of the input.
        assert_eq!(
            decode(b"ok \xe2\x80"),
            Err(DecodeError::InvalidUtf8 { offset: 3 })
        );
        assert_eq!(decode(b"\xff\xfeh\0i\0"), Err(DecodeError::Utf16));
        assert_eq!(decode(b"\xfe\xff\0h\0i"), Err(DecodeError::Utf16));
        assert_eq!(decode(b"H\0e\0l\0l\0o\0"), Err(DecodeError::Utf16));
        assert_eq!(decode("fine".as_bytes()), Ok("fine"));
        // A NUL far beyond the first megabyte is still found.
        let mut big = vec![b'a'; 3 << 20];
        big[(3 << 20) - 2] = 0;
        assert_eq!(
            decode(&big),
            Err(DecodeError::Binary {
                offset: (3 << 20) - 2
            })
        );
    }

    #[test]
    fn decode_keeps_a_utf8_bom_and_offsets() {
        let bytes = b"\xef\xbb\xbfTitle Line\nBody text here.\n";
        let text = decode(bytes).unwrap();
        assert_eq!(text.len(), bytes.len());
        let doc = Document::parse(text, SourceFormat::Text);
        assert_eq!(doc.title.as_deref(), Some("Title Line"));
        assert_eq!(doc.sections[0].start, 3);
        let s = &doc.sentences[1];
        assert_eq!(&text[s.start..s.end], "Body text here.");
    }

    #[test]
    fn detect_formats() {
        let p = |s: &str| Some(Path::new(s).to_path_buf());
        assert_eq!(
            SourceFormat::detect(p("a.MD").as_deref(), "x"),
            SourceFormat::Markdown
        );
        assert_eq!(
            SourceFormat::detect(p("a.htm").as_deref(), "x"),
            SourceFormat::Html
        );
        assert_eq!(
            SourceFormat::detect(None, "\u{feff}  <!DOCTYPE html><p>x"),
            SourceFormat::Html
        );
        assert_eq!(
            SourceFormat::detect(None, "Plain words."),
            SourceFormat::Text
        );
        // A multi-byte character straddling the sniffing window must not hide the markup.
        let src = format!("<html>{}", "é".repeat(400));
        assert_eq!(SourceFormat::detect(None, &src), SourceFormat::Html);
    }

    #[test]
    fn boundary_inside_an_opaque_run_joins_sentences() {
        // The code span's content differs from its source (a newline inside), so it maps as one
        // opaque run; the split after "a." falls inside it.
        let src = "Look at `x a.\nB y` now. Done here.";
        let doc = Document::parse(src, SourceFormat::Markdown);
        assert_eq!(split_sentences(&doc.blocks[0].text).len(), 3);
        let texts: Vec<_> = doc.sentences.iter().map(|s| doc.sentence_text(s)).collect();
        assert_eq!(texts, vec!["Look at x a. B y now.", "Done here."]);
        assert_eq!(
            &src[doc.sentences[0].start..doc.sentences[0].end],
            "Look at `x a.\nB y` now."
        );
    }

    #[test]
    fn word_count() {
        assert_eq!(count_words("The U.S.-led talks didn't fail, 2.5 times."), 7);
    }
}
