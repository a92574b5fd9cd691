//! Source readers: plain text, Markdown and HTML become a flat list of [`Block`]s.

use super::text::TextBuilder;
use super::{Block, BlockKind, SourceFormat};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use scraper::{ElementRef, Html, Node};

/// Reads `source` in the given format into blocks of normalised text.
pub fn read_blocks(source: &str, format: SourceFormat) -> Vec<Block> {
    let mut blocks = match format {
        SourceFormat::Text => read_text(source),
        SourceFormat::Markdown => read_markdown(source),
        SourceFormat::Html => read_html(source),
    };
    blocks.retain(|b| !b.text.is_empty());
    mark_title(&mut blocks, format);
    blocks
}

/// Plain text: paragraphs are separated by blank lines when the text has any, otherwise each
/// line is a paragraph (as newspaper feeds often deliver columns).
fn read_text(source: &str) -> Vec<Block> {
    let has_blank_lines = has_internal_blank_line(source);
    let mut blocks = Vec::new();
    let mut current = TextBuilder::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank || !has_blank_lines {
            flush(&mut blocks, &mut current, BlockKind::Paragraph);
        }
        if !blank {
            current.push_source(line, offset);
        }
        offset += line.len();
    }
    flush(&mut blocks, &mut current, BlockKind::Paragraph);
    blocks
}

/// A blank line between two non-blank lines.
fn has_internal_blank_line(source: &str) -> bool {
    let lines: Vec<bool> = source.lines().map(|l| l.trim().is_empty()).collect();
    let first = lines.iter().position(|b| !b);
    let last = lines.iter().rposition(|b| !b);
    match (first, last) {
        (Some(f), Some(l)) => lines[f..l].iter().any(|b| *b),
        _ => false,
    }
}

fn flush(blocks: &mut Vec<Block>, current: &mut TextBuilder, kind: BlockKind) {
    if !current.is_empty() {
        let (text, map) = std::mem::take(current).finish();
        blocks.push(Block { kind, text, map });
    }
}

/// Markdown through pulldown-cmark: headings and paragraphs (list items and block quotes
/// included) become blocks; code blocks, raw HTML and images are skipped.
fn read_markdown(source: &str) -> Vec<Block> {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES;
    let mut blocks = Vec::new();
    let mut current = TextBuilder::new();
    let mut kind = BlockKind::Paragraph;
    let mut skip_depth = 0usize;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(
                Tag::CodeBlock(_) | Tag::Image { .. } | Tag::MetadataBlock(_) | Tag::HtmlBlock,
            ) => skip_depth += 1,
            Event::End(
                TagEnd::CodeBlock | TagEnd::Image | TagEnd::MetadataBlock(_) | TagEnd::HtmlBlock,
            ) => skip_depth = skip_depth.saturating_sub(1),
            _ if skip_depth > 0 => {}
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut blocks, &mut current, kind);
                kind = BlockKind::Heading;
            }
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell) => {
                flush(&mut blocks, &mut current, kind);
                kind = BlockKind::Paragraph;
            }
            Event::End(
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell,
            ) => {
                flush(&mut blocks, &mut current, kind);
                kind = BlockKind::Paragraph;
            }
            Event::Text(t) | Event::Code(t) => {
                let raw = &source[range.clone()];
                if raw == t.as_ref() {
                    current.push_source(raw, range.start);
                } else {
                    current.push_decoded(&t, range.start, range.len());
                }
            }
            Event::SoftBreak | Event::HardBreak => current.push_break(range.start, range.len()),
            _ => {}
        }
    }
    flush(&mut blocks, &mut current, kind);
    blocks
}

/// Elements whose text is never article prose.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "noscript", "template", "svg", "form", "button", "select", "iframe",
    "header", "footer", "aside", "figure", "head", "title", "object", "canvas", "video", "audio",
];

/// Elements that start a new block.
const BLOCK_LEVEL: &[&str] = &[
    "p",
    "div",
    "li",
    "blockquote",
    "section",
    "article",
    "main",
    "pre",
    "td",
    "th",
    "dd",
    "dt",
    "figcaption",
    "br",
    "hr",
    "tr",
    "ul",
    "ol",
    "table",
    "body",
];

/// HTML through html5ever (scraper): the text of `<article>` (or `<main>`, or `<body>`), with
/// navigation, scripts and styles dropped. html5ever reports no source positions, so each text
/// node is aligned back onto the source by [`Aligner`].
fn read_html(source: &str) -> Vec<Block> {
    let doc = Html::parse_document(source);
    let root = ["article", "main", "body"]
        .iter()
        .filter_map(|sel| scraper::Selector::parse(sel).ok())
        .find_map(|sel| doc.select(&sel).next())
        .unwrap_or_else(|| doc.root_element());
    let mut walker = HtmlWalker {
        aligner: Aligner::new(source),
        blocks: Vec::new(),
        current: TextBuilder::new(),
        kind: BlockKind::Paragraph,
    };
    walker.element(root);
    let HtmlWalker {
        mut blocks,
        mut current,
        kind,
        ..
    } = walker;
    flush(&mut blocks, &mut current, kind);
    blocks
}

struct HtmlWalker<'a> {
    aligner: Aligner<'a>,
    blocks: Vec<Block>,
    current: TextBuilder,
    kind: BlockKind,
}

impl HtmlWalker<'_> {
    fn element(&mut self, el: ElementRef<'_>) {
        let name = el.value().name();
        if SKIPPED.contains(&name)
            || el.value().attr("hidden").is_some()
            || el.value().attr("aria-hidden") == Some("true")
        {
            return;
        }
        let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        let block = heading || BLOCK_LEVEL.contains(&name);
        if block {
            flush(&mut self.blocks, &mut self.current, self.kind);
            self.kind = if heading {
                BlockKind::Heading
            } else {
                BlockKind::Paragraph
            };
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.text(t),
                Node::Element(_) => {
                    if let Some(child_el) = ElementRef::wrap(child) {
                        self.element(child_el);
                    }
                }
                _ => {}
            }
        }
        if block {
            flush(&mut self.blocks, &mut self.current, self.kind);
            self.kind = BlockKind::Paragraph;
        }
    }

    fn text(&mut self, text: &str) {
        match self.aligner.align(text) {
            Some(pieces) => {
                for piece in pieces {
                    match piece {
                        Piece::Exact { src_start, len } => {
                            let s = &self.aligner.source[src_start..src_start + len];
                            self.current.push_source(s, src_start);
                        }
                        Piece::Decoded {
                            text,
                            src_start,
                            src_len,
                        } => self.current.push_decoded(&text, src_start, src_len),
                    }
                }
            }
            // Could not find the node in the source (the parser repaired something): keep the
            // text, pinned to the last known position.
            None => {
                let at = self.aligner.cursor;
                self.current.push_decoded(text, at, 0);
            }
        }
    }
}

enum Piece {
    Exact {
        src_start: usize,
        len: usize,
    },
    Decoded {
        text: String,
        src_start: usize,
        src_len: usize,
    },
}

/// Finds decoded HTML text nodes in the raw source, in document order.
///
/// A text node always begins right after a `>` (or at the start of the file), and its characters
/// appear in the source either literally or as character references (`&amp;`, `&#8217;`).
struct Aligner<'a> {
    source: &'a str,
    cursor: usize,
}

impl<'a> Aligner<'a> {
    fn new(source: &'a str) -> Self {
        Self { source, cursor: 0 }
    }

    fn align(&mut self, text: &str) -> Option<Vec<Piece>> {
        if text.trim().is_empty() {
            return Some(Vec::new());
        }
        let bytes = self.source.as_bytes();
        let mut candidate = self.cursor;
        // Try the current position, then every position just after a '>'.
        loop {
            if let Some((pieces, end)) = self.match_at(candidate, text) {
                self.cursor = end;
                return Some(pieces);
            }
            let next = bytes[candidate.min(bytes.len())..]
                .iter()
                .position(|&b| b == b'>')?;
            candidate += next + 1;
            if candidate > bytes.len() {
                return None;
            }
        }
    }

    fn match_at(&self, start: usize, text: &str) -> Option<(Vec<Piece>, usize)> {
        let src = self.source;
        let mut pos = start;
        let mut pieces = Vec::new();
        let mut exact_start = pos;
        let mut chars = text.chars().peekable();
        while let Some(&c) = chars.peek() {
            let rest = &src[pos..];
            if rest.starts_with(c) && !(c != '&' && rest.starts_with('&')) {
                pos += c.len_utf8();
                chars.next();
                continue;
            }
            // CR LF in the source is a single LF in the parsed text.
            if c == '\n' && rest.starts_with("\r\n") {
                pos += 2;
                chars.next();
                continue;
            }
            if rest.starts_with('&') {
                let len = rest[..rest.len().min(40)]
                    .find(';')
                    .map(|i| i + 1)
                    .filter(|&l| l > 2)?;
                if pos > exact_start {
                    pieces.push(Piece::Exact {
                        src_start: exact_start,
                        len: pos - exact_start,
                    });
                }
                // A reference decodes to one character (a few named ones to two; take one).
                let decoded = chars.next()?;
                pieces.push(Piece::Decoded {
                    text: decoded.to_string(),
                    src_start: pos,
                    src_len: len,
                });
                pos += len;
                exact_start = pos;
                continue;
            }
            return None;
        }
        if pos > exact_start {
            pieces.push(Piece::Exact {
                src_start: exact_start,
                len: pos - exact_start,
            });
        }
        Some((pieces, pos))
    }
}

/// The first block is the title when it is a heading at the top, or (plain text) a short
/// line without closing punctuation followed by more text.
fn mark_title(blocks: &mut [Block], format: SourceFormat) {
    if blocks.len() < 2 {
        return;
    }
    let first = &blocks[0];
    let is_title = match format {
        SourceFormat::Markdown | SourceFormat::Html => first.kind == BlockKind::Heading,
        SourceFormat::Text => {
            let words = first.text.split_whitespace().count();
            let last = first.text.chars().last().unwrap_or('.');
            words <= 20 && !matches!(last, '.' | '!' | ',' | ';' | ':' | '"' | '”' | '…')
        }
    };
    if is_title {
        blocks[0].kind = BlockKind::Title;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<(BlockKind, &str)> {
        blocks.iter().map(|b| (b.kind, b.text.as_str())).collect()
    }

    #[test]
    fn text_lines_are_paragraphs_without_blank_lines() {
        let src = "A Title Here\nFirst para. More.\nSecond para.\n";
        let b = read_blocks(src, SourceFormat::Text);
        assert_eq!(
            texts(&b),
            vec![
                (BlockKind::Title, "A Title Here"),
                (BlockKind::Paragraph, "First para. More."),
                (BlockKind::Paragraph, "Second para.")
            ]
        );
    }

    #[test]
    fn text_blank_lines_join_wrapped_lines() {
        let src = "One line\nwraps here.\n\nSecond para.\n";
        let b = read_blocks(src, SourceFormat::Text);
        assert_eq!(
            texts(&b),
            vec![
                (BlockKind::Paragraph, "One line wraps here."),
                (BlockKind::Paragraph, "Second para.")
            ]
        );
    }

    #[test]
    fn markdown_strips_markup_and_keeps_offsets() {
        let src = "# Big Title\n\nThis is **very** good &amp; fine.\n\n```\ncode here\n```\n\n## Part two\n\n- item one\n";
        let b = read_blocks(src, SourceFormat::Markdown);
        assert_eq!(
            texts(&b),
            vec![
                (BlockKind::Title, "Big Title"),
                (BlockKind::Paragraph, "This is very good & fine."),
                (BlockKind::Heading, "Part two"),
                (BlockKind::Paragraph, "item one")
            ]
        );
        let p = &b[1];
        let i = p.text.find("very").unwrap();
        let (s, e) = p.map.span(i, i + 4);
        assert_eq!(&src[s..e], "very");
        let (s, e) = p.map.span(0, p.text.len());
        assert_eq!(&src[s..e], "This is **very** good &amp; fine.");
    }

    #[test]
    fn html_keeps_article_text_and_drops_scripts() {
        let src = "<html><head><title>T</title><style>p{}</style></head><body><nav>Home | About</nav>\
            <article><h1>Headline</h1><p>It&rsquo;s <b>clearly</b> the best.</p><script>alert(1)</script>\
            <p>Second &amp; last.</p></article><footer>(c)</footer></body></html>";
        let b = read_blocks(src, SourceFormat::Html);
        assert_eq!(
            texts(&b),
            vec![
                (BlockKind::Title, "Headline"),
                (BlockKind::Paragraph, "It\u{2019}s clearly the best."),
                (BlockKind::Paragraph, "Second & last.")
            ]
        );
        let p = &b[1];
        let i = p.text.find("clearly").unwrap();
        let (s, e) = p.map.span(i, i + "clearly".len());
        assert_eq!(&src[s..e], "clearly");
        let (s, e) = p.map.span(0, p.text.len());
        assert_eq!(&src[s..e], "It&rsquo;s <b>clearly</b> the best.");
    }
}
