//! Source readers: plain text, Markdown and HTML become a flat list of [`Block`]s.
//!
//! Every reader keeps blocks in source order and every block's [`OffsetMap`] points into the
//! original source, so sentence spans computed from block text are source spans.

use super::text::{TextBuilder, is_space};
use super::{Block, BlockKind, SourceFormat};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;

/// Reads `source` in the given format into blocks of normalised text. The first block is
/// [`BlockKind::Title`] when it looks like one (see each reader).
pub fn read_blocks(source: &str, format: SourceFormat) -> Vec<Block> {
    let mut blocks = match format {
        SourceFormat::Text => read_text(source),
        SourceFormat::Markdown => read_markdown(source),
        SourceFormat::Html => read_html(source),
    };
    blocks.retain(|b| !b.text.is_empty());
    blocks
}

fn flush(blocks: &mut Vec<Block>, current: &mut TextBuilder, kind: BlockKind) {
    if !current.is_empty() {
        let (text, map) = std::mem::take(current).finish();
        blocks.push(Block { kind, text, map });
    }
}

// ---------------------------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------------------------

/// Lines longer than this (in characters) are not hard-wrapped prose.
const WRAP_WIDTH: usize = 100;

/// Characters that end a line which ends a sentence (or a list lead-in).
fn ends_closed(line: &str) -> bool {
    line.trim_end_matches(is_space)
        .chars()
        .last()
        .is_some_and(|c| ".!?…:;\"”’')]»".contains(c))
}

/// A short line without closing punctuation: a headline.
fn looks_like_title(line: &str) -> bool {
    let line = line.trim_matches(is_space);
    let last = line.chars().last().unwrap_or('.');
    line.len() <= 600
        && line.chars().count() <= 150
        && line.split(is_space).filter(|w| !w.is_empty()).count() <= 20
        && line.chars().any(char::is_alphabetic)
        && !".!,;:\"”…".contains(last)
}

fn starts_capitalised(line: &str) -> bool {
    line.trim_start_matches(is_space)
        .trim_start_matches(['"', '“', '‘', '\'', '('])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

fn starts_lowercase(line: &str) -> bool {
    line.trim_start_matches(is_space)
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(is_space).len()
}

fn is_blank(line: &str) -> bool {
    line.chars().all(is_space)
}

/// Lines of `source`: the byte offset of each, the line without its ending (`\n` or `\r\n`),
/// and the line with it.
fn lines(source: &str) -> impl Iterator<Item = (usize, &str, &str)> {
    // Line ends found by memchr's SIMD search: `split_inclusive('\n')` went a word at a time
    // and was a twentieth of a rules-only run.
    let mut ends = memchr::memchr_iter(b'\n', source.as_bytes());
    let mut offset = 0;
    std::iter::from_fn(move || {
        if offset >= source.len() {
            return None;
        }
        let start = offset;
        offset = ends.next().map_or(source.len(), |i| i + 1);
        let raw = &source[start..offset];
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        Some((start, line.strip_suffix('\r').unwrap_or(line), raw))
    })
}

/// How one run of non-blank lines (a chunk, between blank lines) is read.
#[derive(Debug, Default, Clone, Copy)]
struct ChunkPlan {
    /// Hard-wrapped prose: lines join into paragraphs. Otherwise every line is a paragraph.
    wrapped: bool,
    /// In wrapped chunks, a line indented deeper than this after a closed line starts a new
    /// paragraph (typewriter-style paragraphs).
    min_indent: usize,
    /// The chunk's first line is a headline standing above wrapped text without a blank line.
    title_line: bool,
}

/// What the first pass learns about a chunk.
#[derive(Debug, Default)]
struct ChunkStats<'a> {
    lines: usize,
    max_chars: usize,
    max_chars_after_first: usize,
    /// Non-last lines that do not end a sentence.
    open_ends: usize,
    /// Lines that do not end a sentence followed by one starting in lower case.
    lowercase_continuations: usize,
    min_indent: usize,
    first_line: &'a str,
    first_chars: usize,
    second_capitalised: bool,
    prev_open: bool,
}

impl<'a> ChunkStats<'a> {
    fn add(&mut self, line: &'a str) {
        // Only whether a line is longer than the wrap width matters: count no further.
        let chars = line
            .trim_matches(is_space)
            .chars()
            .take(WRAP_WIDTH + 1)
            .count();
        if self.lines == 0 {
            self.first_line = line;
            self.first_chars = chars;
            self.min_indent = indent(line);
        } else {
            if self.prev_open {
                self.open_ends += 1;
                if starts_lowercase(line) {
                    self.lowercase_continuations += 1;
                }
            }
            if self.lines == 1 {
                self.second_capitalised = starts_capitalised(line);
            }
            self.max_chars_after_first = self.max_chars_after_first.max(chars);
            self.min_indent = self.min_indent.min(indent(line));
        }
        self.max_chars = self.max_chars.max(chars);
        self.prev_open = !ends_closed(line);
        self.lines += 1;
    }

    fn plan(&self, first_chunk: bool) -> ChunkPlan {
        let inner = self.lines.saturating_sub(1);
        let lc = self.lowercase_continuations;
        // Short lines breaking mid-sentence; or, at any width, lines that often continue a
        // sentence in lower case (a new paragraph never does).
        let wrapped = self.lines >= 2
            && ((self.max_chars <= WRAP_WIDTH
                && (lc > 0 || (inner >= 2 && self.open_ends * 2 > inner)))
                || (lc >= 2 && lc * 4 >= inner));
        let title_line = first_chunk
            && wrapped
            && self.second_capitalised
            && looks_like_title(self.first_line)
            && self.first_chars * 10 < self.max_chars_after_first * 7;
        ChunkPlan {
            wrapped,
            min_indent: self.min_indent,
            title_line,
        }
    }
}

/// Plain text. Paragraphs are separated by blank lines; within a run of non-blank lines,
/// hard-wrapped prose (short lines that break mid-sentence) is joined, and anything else is read
/// one paragraph per line (as newspaper feeds often deliver columns). A short first line without
/// closing punctuation is the title.
fn read_text(source: &str) -> Vec<Block> {
    // First pass: plan each chunk. Two passes keep memory proportional to the number of chunks,
    // not lines.
    let mut plans = Vec::new();
    let mut stats: Option<ChunkStats> = None;
    for (_, line, _) in lines(source) {
        if is_blank(line) {
            if let Some(s) = stats.take() {
                plans.push(s.plan(plans.is_empty()));
            }
        } else {
            stats.get_or_insert_with(ChunkStats::default).add(line);
        }
    }
    if let Some(s) = stats.take() {
        plans.push(s.plan(plans.is_empty()));
    }

    let mut blocks = Vec::new();
    let mut current = TextBuilder::new();
    let mut first_block_lines = 0usize;
    let mut chunk = 0usize;
    let mut line_in_chunk = 0usize;
    let mut prev_closed = true;
    for (start, line, raw) in lines(source) {
        if is_blank(line) {
            if line_in_chunk > 0 {
                flush(&mut blocks, &mut current, BlockKind::Paragraph);
                chunk += 1;
                line_in_chunk = 0;
            }
            continue;
        }
        let plan = plans.get(chunk).copied().unwrap_or_default();
        let new_paragraph = !plan.wrapped
            || (plan.title_line && line_in_chunk == 1)
            || (line_in_chunk > 0 && prev_closed && indent(line) > plan.min_indent);
        if new_paragraph {
            flush(&mut blocks, &mut current, BlockKind::Paragraph);
        }
        if blocks.is_empty() {
            first_block_lines += 1;
        }
        // The line ending is pushed too: it is the space between joined lines.
        current.push_source(raw, start);
        prev_closed = ends_closed(line);
        line_in_chunk += 1;
    }
    flush(&mut blocks, &mut current, BlockKind::Paragraph);
    if blocks.len() >= 2 && first_block_lines == 1 && looks_like_title(&blocks[0].text) {
        blocks[0].kind = BlockKind::Title;
    }
    blocks
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

/// Markdown through pulldown-cmark: headings, paragraphs, list items, block quotes and table
/// cells (and footnote texts) become blocks; code blocks, raw HTML blocks, images and YAML or
/// TOML front matter are skipped; inline markup and footnote markers are removed with offsets
/// mapped back. A heading that opens the document is the title.
fn read_markdown(source: &str) -> Vec<Block> {
    // pulldown-cmark does not skip a byte-order mark: parse after it, offsets kept.
    let base = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &source[base..];
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES;
    let mut blocks = Vec::new();
    let mut current = TextBuilder::new();
    let mut kind = BlockKind::Paragraph;
    let mut skip_depth = 0usize;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + base..range.end + base;
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
                let raw = source.get(range.clone()).unwrap_or("");
                if raw == t.as_ref() {
                    current.push_source(raw, range.start);
                } else if let Some(i) = raw.find(t.as_ref()).filter(|_| raw.starts_with('`')) {
                    // A code span: its content sits verbatim between the backticks.
                    current.push_source(&t, range.start + i);
                } else if !range.is_empty() {
                    current.push_decoded(&t, range.start, range.len());
                }
            }
            Event::SoftBreak | Event::HardBreak => current.push_break(range.start, range.len()),
            // `<br>` reads as a line break; other inline tags (`<span>`, comments) as nothing.
            Event::InlineHtml(h) if is_br_tag(&h) => current.push_break(range.start, range.len()),
            _ => {}
        }
    }
    flush(&mut blocks, &mut current, kind);
    if blocks.len() >= 2 && blocks[0].kind == BlockKind::Heading {
        blocks[0].kind = BlockKind::Title;
    }
    blocks
}

fn is_br_tag(html: &str) -> bool {
    let lower = html.trim().to_ascii_lowercase();
    lower.starts_with("<br") && !lower[3..].starts_with(|c: char| c.is_ascii_alphanumeric())
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

/// Elements whose text is never article prose.
const SKIPPED: &[&str] = &[
    "aside", "audio", "button", "canvas", "datalist", "dialog", "figure", "footer", "form", "head",
    "header", "map", "menu", "nav", "object", "option", "picture", "select", "template", "video",
];

/// Foreign content: neither read nor aligned.
const FOREIGN: &[&str] = &["svg", "math"];

/// Raw-text and RCDATA elements: the tokenizer reads their content as text up to the matching
/// end tag. Never article prose; the aligner skips them whole.
const RAW_TEXT: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
];

/// Elements that start a new block.
const BLOCK_LEVEL: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "hgroup",
    "hr",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// Roles whose content is page furniture.
const SKIPPED_ROLES: &[&str] = &[
    "banner",
    "complementary",
    "contentinfo",
    "navigation",
    "search",
];

/// Whether (and what) a subtree contributes to the article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Emit {
    No,
    /// Inside an article's own `<header>`: its headings, not its bylines and share buttons.
    HeadingsOnly,
    Yes,
}

/// HTML through html5ever (scraper): the text of `<article>` (the largest, if several; else
/// `<main>`, else `<body>`), with navigation, page headers and footers, asides, forms, scripts
/// and styles dropped. Headings become [`BlockKind::Heading`]; an `<h1>` opening the article is
/// the title. html5ever reports no source positions, so each text node is aligned back onto the
/// source by [`Aligner`]; text the parser moved out of source order (rare repairs of broken
/// tables) and that cannot be found where the order says is left out rather than mislocated.
fn read_html(source: &str) -> Vec<Block> {
    let doc = Html::parse_document(source);
    let root = article_root(&doc);
    let root_id = root.id();
    let root_is_body = root.value().name() == "body";
    let mut w = HtmlWalker {
        aligner: Aligner::new(source),
        blocks: Vec::new(),
        current: TextBuilder::new(),
        heading_depth: 0,
        h1_depth: 0,
        first_block_h1: None,
    };

    // Iterative depth-first walk (deeply nested input must not overflow the stack). Each open
    // element has a frame; `emit` says whether its content is article text.
    struct Frame {
        emit: Emit,
        block: bool,
        heading: bool,
        h1: bool,
    }
    let mut frames: Vec<Frame> = Vec::new();
    let mut emit = Emit::No;
    let mut next = doc.tree.root().first_child();
    while let Some(node) = next {
        let mut descend = false;
        match node.value() {
            Node::Text(t) => w.text(t, emit == Emit::Yes),
            Node::Element(e) => {
                let name = e.name();
                let role = e.attr("role").unwrap_or("");
                if !RAW_TEXT.contains(&name) && !FOREIGN.contains(&name) {
                    let hidden =
                        e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true");
                    let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                    let child_emit = if node.id() == root_id {
                        Emit::Yes
                    } else if hidden {
                        Emit::No
                    } else if name == "header" && emit == Emit::Yes && !root_is_body {
                        Emit::HeadingsOnly
                    } else if SKIPPED.contains(&name) || SKIPPED_ROLES.contains(&role) {
                        Emit::No
                    } else if emit == Emit::HeadingsOnly && heading {
                        Emit::Yes
                    } else {
                        emit
                    };
                    let frame = Frame {
                        emit,
                        block: child_emit == Emit::Yes && (heading || BLOCK_LEVEL.contains(&name)),
                        heading: child_emit == Emit::Yes && heading,
                        h1: child_emit == Emit::Yes && name == "h1",
                    };
                    w.open(frame.block, frame.heading, frame.h1);
                    frames.push(frame);
                    emit = child_emit;
                    descend = true;
                }
            }
            _ => {}
        }
        if descend && let Some(child) = node.first_child() {
            next = Some(child);
            continue;
        }
        if descend && let Some(f) = frames.pop() {
            w.close(f.block, f.heading, f.h1);
            emit = f.emit;
        }
        // Climb until a sibling is found, closing the elements left behind.
        let mut at = node;
        next = loop {
            if let Some(sibling) = at.next_sibling() {
                break Some(sibling);
            }
            match at.parent() {
                Some(parent) if parent.value().is_element() => {
                    if let Some(f) = frames.pop() {
                        w.close(f.block, f.heading, f.h1);
                        emit = f.emit;
                    }
                    at = parent;
                }
                _ => break None,
            }
        };
    }
    let HtmlWalker {
        mut blocks,
        mut current,
        heading_depth,
        first_block_h1,
        ..
    } = w;
    let kind = if heading_depth > 0 {
        BlockKind::Heading
    } else {
        BlockKind::Paragraph
    };
    flush(&mut blocks, &mut current, kind);
    if blocks.len() >= 2 && first_block_h1 == Some(true) {
        blocks[0].kind = BlockKind::Title;
    }
    blocks
}

/// The element holding the article: the `<article>` with the most text, else `<main>`, else
/// `<body>`, else the document element.
fn article_root(doc: &Html) -> ElementRef<'_> {
    let select = |s: &str| Selector::parse(s).ok();
    if let Some(sel) = select("article") {
        let best = doc
            .select(&sel)
            .take(64)
            .map(|a| (a.text().map(str::len).sum::<usize>(), a))
            .fold(
                None,
                |best: Option<(usize, ElementRef<'_>)>, (n, a)| match best {
                    Some((m, _)) if m >= n => best,
                    _ => Some((n, a)),
                },
            );
        if let Some((_, a)) = best {
            return a;
        }
    }
    ["main", "body"]
        .iter()
        .filter_map(|s| select(s))
        .find_map(|sel| doc.select(&sel).next())
        .unwrap_or_else(|| doc.root_element())
}

struct HtmlWalker<'a> {
    aligner: Aligner<'a>,
    blocks: Vec<Block>,
    current: TextBuilder,
    heading_depth: usize,
    h1_depth: usize,
    /// Whether the first block came from an `<h1>` (decided when it is flushed).
    first_block_h1: Option<bool>,
}

impl HtmlWalker<'_> {
    fn flush(&mut self) {
        let kind = if self.heading_depth > 0 {
            BlockKind::Heading
        } else {
            BlockKind::Paragraph
        };
        let before = self.blocks.len();
        flush(&mut self.blocks, &mut self.current, kind);
        if before == 0 && self.blocks.len() == 1 {
            self.first_block_h1 = Some(self.h1_depth > 0);
        }
    }

    fn open(&mut self, block: bool, heading: bool, h1: bool) {
        if block {
            self.flush();
        }
        self.heading_depth += usize::from(heading);
        self.h1_depth += usize::from(h1);
    }

    fn close(&mut self, block: bool, heading: bool, h1: bool) {
        if block {
            self.flush();
        }
        self.heading_depth -= usize::from(heading);
        self.h1_depth -= usize::from(h1);
    }

    /// A text node: aligned onto the source (so the cursor moves past it even when it is not
    /// article text), and appended to the current block when `emit`.
    fn text(&mut self, text: &str, emit: bool) {
        if !text.chars().any(|c| !is_space(c)) {
            if emit {
                self.current.push_break(self.aligner.cursor, 0);
            }
            return;
        }
        let Some(pieces) = self.aligner.align(text, emit) else {
            return;
        };
        if !emit {
            return;
        }
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
}

#[derive(Debug, PartialEq, Eq)]
enum Piece {
    /// Source bytes copied verbatim into the text.
    Exact { src_start: usize, len: usize },
    /// Text decoded from a source run: a character reference, a CR LF.
    Decoded {
        text: String,
        src_start: usize,
        src_len: usize,
    },
}

/// Whitespace as the HTML tokenizer counts it.
const HTML_SPACE: [char; 5] = [' ', '\t', '\n', '\r', '\u{c}'];

/// How many markup items a search for a text node that is not article text may skip.
const QUIET_SEARCH_STEPS: usize = 64;
/// How many markup items any search may skip once the work budget is spent.
const LIMITED_SEARCH_STEPS: usize = 4096;

/// Finds decoded HTML text nodes in the raw source, in document order.
///
/// A text node begins where markup ends (or at the start of the file), and its characters appear
/// in the source either literally or as character references (`&amp;`, `&#8217;`), possibly with
/// tags the parser ignored in between. The aligner scans forward from a cursor with a small
/// tokenizer (tags with quoted attributes, comments, raw-text elements such as `<script>`), so the
/// whole document is aligned in one pass. Searches that fail (text the parser moved) are charged
/// to a work budget; once it is spent, searches are bounded, which keeps the worst case linear.
///
/// Known limit: inside `<svg>`/`<math>` the tokenizer reads `<title>`, `<style>` and the like as
/// ordinary elements, while the scanner skips them as raw text. Markup that breaks out of such a
/// foreign element from inside one (rare) can leave its text unaligned: it is then left out, and
/// spans stay sound.
struct Aligner<'a> {
    source: &'a str,
    cursor: usize,
    /// Decoded character references, keyed by their source spelling.
    refs: HashMap<&'a str, String>,
    spent: usize,
    budget: usize,
}

impl<'a> Aligner<'a> {
    fn new(source: &'a str) -> Self {
        Self {
            source,
            // html5ever drops a leading byte-order mark.
            cursor: if source.starts_with('\u{feff}') { 3 } else { 0 },
            refs: decode_references(source),
            spent: 0,
            budget: source.len().saturating_mul(8).saturating_add(1 << 20),
        }
    }

    /// Aligns `text`, the next text node in document order. A search for text that is not
    /// article text (`!emitting`) gives up early; a failed search leaves the cursor where it was.
    fn align(&mut self, text: &str, emitting: bool) -> Option<Vec<Piece>> {
        let max_steps = if !emitting {
            QUIET_SEARCH_STEPS
        } else if self.spent > self.budget {
            LIMITED_SEARCH_STEPS
        } else {
            usize::MAX
        };
        let mut candidate = self.cursor;
        let mut steps = 0;
        loop {
            match self.match_at(candidate, text) {
                Ok((pieces, end)) => {
                    self.spent += candidate - self.cursor;
                    self.cursor = end;
                    return Some(pieces);
                }
                Err(progress) => self.spent += progress,
            }
            steps += 1;
            match next_candidate(self.source.as_bytes(), candidate) {
                Some(next) if steps < max_steps => candidate = next,
                other => {
                    self.spent += other.unwrap_or(self.source.len()) - candidate;
                    return None;
                }
            }
        }
    }

    /// The source run at `pos` (a `&`) that the tokenizer would read as a character reference,
    /// with its decoded text; `None` when the `&` is literal.
    fn reference(&self, pos: usize) -> Option<(usize, &str)> {
        let run = reference_run(self.source, pos)?;
        self.refs.get(run).map(|d| (run.len(), d.as_str()))
    }

    /// Matches `text` against the source from `start`; on failure, how many bytes were examined.
    fn match_at(&self, start: usize, text: &str) -> Result<(Vec<Piece>, usize), usize> {
        let src = self.source;
        let bytes = src.as_bytes();
        let mut pos = start;
        let mut rest = text;
        // The parser drops a newline straight after <pre>, <listing> and <textarea>, and all
        // whitespace before <html>, <head> and <body> open ("  text" there becomes "text").
        if !rest.starts_with(HTML_SPACE) {
            pos += src[pos..].len() - src[pos..].trim_start_matches(HTML_SPACE).len();
        } else if !rest.starts_with('\n') {
            if src[pos..].starts_with("\r\n") {
                pos += 2;
            } else if src[pos..].starts_with(['\n', '\r']) {
                pos += 1;
            }
        }
        let mut pieces = Vec::new();
        let mut exact_start = pos;
        let flush_exact = |pieces: &mut Vec<Piece>, from: usize, to: usize| {
            if to > from {
                pieces.push(Piece::Exact {
                    src_start: from,
                    len: to - from,
                });
            }
        };
        while !rest.is_empty() {
            // Fast path: the longest common run of ordinary bytes.
            let tb = rest.as_bytes();
            let mut k = 0;
            while k < tb.len()
                && pos + k < bytes.len()
                && tb[k] == bytes[pos + k]
                && !matches!(tb[k], b'<' | b'&' | b'\r' | b'\0')
            {
                k += 1;
            }
            while !rest.is_char_boundary(k) {
                k -= 1;
            }
            pos += k;
            rest = &rest[k..];
            let Some(c) = rest.chars().next() else { break };
            let Some(&b) = bytes.get(pos) else {
                return Err(pos - start);
            };
            match b {
                b'<' => {
                    if let Some(end) = markup_end(bytes, pos) {
                        // Text merged across a tag the parser ignored (a stray end tag).
                        flush_exact(&mut pieces, exact_start, pos);
                        pos = end;
                        exact_start = pos;
                        continue;
                    }
                }
                b'&' => {
                    if let Some((len, decoded)) = self.reference(pos) {
                        if !rest.starts_with(decoded) || decoded.is_empty() {
                            return Err(pos - start);
                        }
                        flush_exact(&mut pieces, exact_start, pos);
                        pieces.push(Piece::Decoded {
                            text: decoded.to_string(),
                            src_start: pos,
                            src_len: len,
                        });
                        rest = &rest[decoded.len()..];
                        pos += len;
                        exact_start = pos;
                        continue;
                    }
                }
                b'\r' => {
                    // CR LF and lone CR are a single LF in the parsed text.
                    if c != '\n' {
                        return Err(pos - start);
                    }
                    flush_exact(&mut pieces, exact_start, pos);
                    let len = if bytes.get(pos + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    pieces.push(Piece::Decoded {
                        text: "\n".to_string(),
                        src_start: pos,
                        src_len: len,
                    });
                    rest = &rest[1..];
                    pos += len;
                    exact_start = pos;
                    continue;
                }
                b'\0' => {
                    // The parser drops NUL in body text, or replaces it with U+FFFD.
                    flush_exact(&mut pieces, exact_start, pos);
                    if c == '\u{fffd}' {
                        pieces.push(Piece::Decoded {
                            text: c.to_string(),
                            src_start: pos,
                            src_len: 1,
                        });
                        rest = &rest[c.len_utf8()..];
                    }
                    pos += 1;
                    exact_start = pos;
                    continue;
                }
                _ => {}
            }
            // A literal character the fast path stopped at ('<' or '&' read as text).
            if src[pos..].starts_with(c) {
                pos += c.len_utf8();
                rest = &rest[c.len_utf8()..];
            } else {
                return Err(pos - start);
            }
        }
        flush_exact(&mut pieces, exact_start, pos);
        Ok((pieces, pos))
    }
}

/// The position just after the first markup item at or after `from`.
fn next_candidate(bytes: &[u8], from: usize) -> Option<usize> {
    let mut p = from;
    loop {
        p += bytes.get(p..)?.iter().position(|&b| b == b'<')?;
        if let Some(end) = markup_end(bytes, p) {
            return Some(end);
        }
        p += 1;
    }
}

fn is_html_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// The position after `needle` searched from `from`, or the end of input.
fn after_byte(bytes: &[u8], from: usize, needle: u8) -> usize {
    bytes
        .get(from..)
        .and_then(|r| r.iter().position(|&b| b == needle))
        .map_or(bytes.len(), |i| from + i + 1)
}

/// If markup (a tag, comment, doctype, processing instruction) starts at `pos`, the position just
/// after it, following the HTML tokenizer: `<` starts markup only before a letter, `/`, `!` or
/// `?`; attribute values may hold `>` in quotes; raw-text elements (`<script>`, `<style>`, …) are
/// skipped together with their content and end tag.
fn markup_end(bytes: &[u8], pos: usize) -> Option<usize> {
    if bytes.get(pos) != Some(&b'<') {
        return None;
    }
    let next = *bytes.get(pos + 1)?;
    match next {
        b'a'..=b'z' | b'A'..=b'Z' => {
            let (end, name) = scan_tag(bytes, pos + 1);
            let name = &bytes[name.0..name.1];
            match RAW_TEXT
                .iter()
                .find(|r| r.as_bytes().eq_ignore_ascii_case(name))
            {
                Some(&"plaintext") => Some(bytes.len()),
                Some(raw) => Some(raw_end(bytes, end, raw.as_bytes())),
                None => Some(end),
            }
        }
        b'/' => match bytes.get(pos + 2) {
            Some(c) if c.is_ascii_alphabetic() => Some(scan_tag(bytes, pos + 2).0),
            Some(b'>') => Some(pos + 3),
            Some(_) => Some(after_byte(bytes, pos + 2, b'>')),
            None => None,
        },
        b'!' => {
            if bytes.get(pos + 2..pos + 4) == Some(&b"--"[..]) {
                Some(comment_end(bytes, pos + 4))
            } else {
                Some(after_byte(bytes, pos + 2, b'>'))
            }
        }
        b'?' => Some(after_byte(bytes, pos + 1, b'>')),
        _ => None,
    }
}

/// The end of a comment whose body starts at `from` (after `<!--`).
fn comment_end(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from.min(bytes.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut i = 0;
    while let Some(d) = rest
        .get(i..)
        .and_then(|r| r.windows(2).position(|w| w == b"--"))
    {
        let at = i + d;
        match rest.get(at + 2) {
            Some(b'>') => return from + at + 3,
            Some(b'!') if rest.get(at + 3) == Some(&b'>') => return from + at + 4,
            _ => i = at + 1,
        }
    }
    bytes.len()
}

/// Scans a start or end tag whose name starts at `name_start`; returns the position after its
/// `>` (or the end of input) and the span of the name.
fn scan_tag(bytes: &[u8], name_start: usize) -> (usize, (usize, usize)) {
    let n = bytes.len();
    let mut i = name_start;
    while i < n && !is_html_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = (name_start, i);
    loop {
        while i < n && (is_html_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= n {
            return (n, name);
        }
        if bytes[i] == b'>' {
            return (i + 1, name);
        }
        // Attribute name (its first character may be anything, even '=').
        i += 1;
        while i < n && !is_html_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < n && is_html_space(bytes[i]) {
            i += 1;
        }
        if i < n && bytes[i] == b'=' {
            i += 1;
            while i < n && is_html_space(bytes[i]) {
                i += 1;
            }
            if i < n && (bytes[i] == b'"' || bytes[i] == b'\'') {
                i = after_byte(bytes, i + 1, bytes[i]);
            } else {
                while i < n && !is_html_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

/// The position after the end tag `</name` that closes a raw-text element whose content starts
/// at `from`, or the end of input.
fn raw_end(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(d) = bytes
        .get(i..)
        .and_then(|r| r.windows(2).position(|w| w == b"</"))
    {
        let at = i + d;
        let name_end = at + 2 + name.len();
        if bytes
            .get(at + 2..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(name_end)
                .is_none_or(|&b| is_html_space(b) || b == b'/' || b == b'>')
        {
            return scan_tag(bytes, at + 2).0;
        }
        i = at + 2;
    }
    bytes.len()
}

/// The source run at `pos` that may be a character reference: `&` and a name (up to 48
/// letters and digits) or `#` and digits, plus a `;` right after. `None` for a lone `&`.
fn reference_run(source: &str, pos: usize) -> Option<&str> {
    let bytes = source.as_bytes();
    let mut i = pos + 1;
    match bytes.get(i) {
        Some(b'#') => {
            i += 1;
            let hex = matches!(bytes.get(i), Some(b'x' | b'X'));
            if hex {
                i += 1;
            }
            while bytes.get(i).is_some_and(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            }) {
                i += 1;
            }
        }
        Some(b) if b.is_ascii_alphanumeric() => {
            while i < pos + 49 && bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
                i += 1;
            }
        }
        _ => return None,
    }
    if bytes.get(i) == Some(&b';') {
        i += 1;
    }
    Some(&source[pos..i])
}

/// Decodes every distinct reference-like run of `source` with html5ever itself, in one parse of
/// a fragment holding each run in its own paragraph, so the aligner agrees with the parser on
/// all 2,231 named references, legacy ones without `;` and numeric edge cases.
fn decode_references(source: &str) -> HashMap<&str, String> {
    let mut runs: Vec<&str> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let bytes = source.as_bytes();
    let mut p = 0;
    while let Some(d) = bytes
        .get(p..)
        .and_then(|r| r.iter().position(|&b| b == b'&'))
    {
        let at = p + d;
        match reference_run(source, at) {
            Some(run) => {
                if seen.insert(run) {
                    runs.push(run);
                }
                p = at + run.len();
            }
            None => p = at + 1,
        }
    }
    let mut map = HashMap::with_capacity(runs.len());
    if runs.is_empty() {
        return map;
    }
    let mut fragment = String::with_capacity(runs.iter().map(|r| r.len() + 7).sum());
    for run in &runs {
        fragment.push_str("<p>");
        fragment.push_str(run);
        fragment.push_str("</p>");
    }
    let parsed = Html::parse_fragment(&fragment);
    let Ok(p_sel) = Selector::parse("p") else {
        return map;
    };
    let decoded: Vec<String> = parsed
        .select(&p_sel)
        .map(|p| p.text().collect::<String>())
        .collect();
    if decoded.len() == runs.len() {
        map.extend(runs.into_iter().zip(decoded));
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<(BlockKind, &str)> {
        blocks.iter().map(|b| (b.kind, b.text.as_str())).collect()
    }

    /// Every block's whole span, and every word's span, in the source.
    fn check_words_map(src: &str, blocks: &[Block]) {
        for b in blocks {
            let mut at = 0;
            for w in b.text.split(' ') {
                let (s, e) = b.map.span(at, at + w.len());
                assert!(src.is_char_boundary(s) && src.is_char_boundary(e) && s < e);
                at += w.len() + 1;
            }
        }
    }

    #[test]
    fn lines_split_as_split_inclusive_does() {
        for source in [
            "",
            "a",
            "a\n",
            "a\nb",
            "\n\n",
            "a\r\nb\r\n",
            "x\n\ny\n",
            "“é”\nz",
        ] {
            let mut offset = 0;
            let expected: Vec<(usize, &str, &str)> = source
                .split_inclusive('\n')
                .map(|raw| {
                    let start = offset;
                    offset += raw.len();
                    let line = raw.strip_suffix('\n').unwrap_or(raw);
                    (start, line.strip_suffix('\r').unwrap_or(line), raw)
                })
                .collect();
            assert_eq!(lines(source).collect::<Vec<_>>(), expected, "{source:?}");
        }
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
    fn text_title_blank_line_then_one_paragraph_per_line() {
        let long = "This paragraph is long enough that nobody would hard-wrap it at this width, \
                    and it ends with a full stop.";
        let src = format!("Headline Over Body\n\n{long}\nA second paragraph follows. {long}\n");
        let b = read_blocks(&src, SourceFormat::Text);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].kind, BlockKind::Title);
        assert_eq!(b[1].text, long);
    }

    #[test]
    fn text_hard_wrapped_without_blank_lines_is_joined() {
        let src = "Budget Vote Delayed\n\
                   The finance minister said on Monday that the\n\
                   vote would be delayed until after the recess,\n\
                   angering the opposition.\n\
                   \x20   Critics said the delay was a ploy. They\n\
                   promised to fight it.\n";
        let b = read_blocks(src, SourceFormat::Text);
        assert_eq!(
            texts(&b),
            vec![
                (BlockKind::Title, "Budget Vote Delayed"),
                (
                    BlockKind::Paragraph,
                    "The finance minister said on Monday that the vote would be delayed until \
                     after the recess, angering the opposition."
                ),
                (
                    BlockKind::Paragraph,
                    "Critics said the delay was a ploy. They promised to fight it."
                ),
            ]
        );
    }

    #[test]
    fn text_crlf_bom_and_indented_lines() {
        let src = "\u{feff}Short Headline\r\n  First line, indented.\r\n\tSecond line.\r\n";
        let b = read_blocks(src, SourceFormat::Text);
        assert_eq!(
            texts(&b),
            vec![
                (BlockKind::Title, "Short Headline"),
                (BlockKind::Paragraph, "First line, indented."),
                (BlockKind::Paragraph, "Second line.")
            ]
        );
        let (s, e) = b[0].map.span(0, b[0].text.len());
        assert_eq!(&src[s..e], "Short Headline");
        check_words_map(src, &b);
    }

    #[test]
    fn text_wrapped_wider_than_usual_is_still_joined() {
        let line = "word ".repeat(22);
        let src = format!(
            "{line}and it goes\non and on without stopping {line}until\nthe line ends {line}here.\n\nNext.\n"
        );
        let b = read_blocks(&src, SourceFormat::Text);
        assert_eq!(b.len(), 2);
        assert!(b[0].text.ends_with("here."));
    }

    #[test]
    fn text_single_line_is_not_a_title() {
        let b = read_blocks("Just a line", SourceFormat::Text);
        assert_eq!(texts(&b), vec![(BlockKind::Paragraph, "Just a line")]);
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
        let i = p.text.find('&').unwrap();
        assert_eq!(p.map.span(i, i + 1), (s + 22, s + 27));
    }

    #[test]
    fn markdown_skips_front_matter_html_images_and_code() {
        let src = "\u{feff}---\ntitle: Not Prose\n---\n\n# Real Title\r\n\r\nText with ![an image](i.png) \
                   and `code` and a<br>break.\r\n\r\n<div>\nraw html\n</div>\n\n    indented code\n\n\
                   > Quoted *words* here.\n> Still quoted.\n\n1. First item\n2. Second [link](u) item\n";
        let b = read_blocks(src, SourceFormat::Markdown);
        assert_eq!(
            texts(&b),
            vec![
                (BlockKind::Title, "Real Title"),
                (BlockKind::Paragraph, "Text with and code and a break."),
                (BlockKind::Paragraph, "Quoted words here. Still quoted."),
                (BlockKind::Paragraph, "First item"),
                (BlockKind::Paragraph, "Second link item"),
            ]
        );
        check_words_map(src, &b);
        let (s, e) = b[0].map.span(0, b[0].text.len());
        assert_eq!(&src[s..e], "Real Title");
    }

    #[test]
    fn markdown_footnotes_toml_front_matter_and_strikethrough() {
        let src =
            "+++\ntitle = \"x\"\n+++\n\nA claim.[^1] Another ~~wrong~~ claim.\n\n[^1]: A source.\n";
        let b = read_blocks(src, SourceFormat::Markdown);
        assert_eq!(
            texts(&b),
            vec![
                (BlockKind::Paragraph, "A claim. Another wrong claim."),
                (BlockKind::Paragraph, "A source."),
            ]
        );
        let split = super::super::split_sentences(&b[0].text);
        assert_eq!(split.len(), 2);
        check_words_map(src, &b);
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
        let (s, e) = b[2].map.span(0, b[2].text.len());
        assert_eq!(&src[s..e], "Second &amp; last.");
        let i = b[2].text.find('&').unwrap();
        let (s, e) = b[2].map.span(i, i + 1);
        assert_eq!(&src[s..e], "&amp;");
    }

    #[test]
    fn text_before_the_body_aligns_without_the_whitespace_the_parser_dropped() {
        // "<![CDATA[ x >" is a comment in HTML; the parser drops the space after it (no <body>
        // is open yet), so the first text node is "y ]]>" and must not take the second's place.
        let src = "<![CDATA[ x > y ]]><![CDATA[ x > y ]]><!-- c -->the";
        let blocks = read_html(src);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].text, "y ]]> y ]]>the");
    }

    #[test]
    fn markup_scanner_follows_the_tokenizer() {
        let end = |s: &str| markup_end(s.as_bytes(), 0);
        assert_eq!(end("<a title=\"a > b\">x"), Some(17));
        assert_eq!(end("<a title='>'>x"), Some(13));
        assert_eq!(end("<A HREF=x>y"), Some(10));
        assert_eq!(end("</p >x"), Some(5));
        assert_eq!(end("<!-- a > b -->x"), Some(14));
        assert_eq!(end("<!-->x"), Some(5));
        assert_eq!(end("<!--->x"), Some(6));
        assert_eq!(end("<!-- a --!>x"), Some(11));
        assert_eq!(end("<![CDATA[ a > b ]]>y"), Some(13));
        assert_eq!(end("<!DOCTYPE html>x"), Some(15));
        assert_eq!(end("<?xml v?>x"), Some(9));
        assert_eq!(end("</>x"), Some(3));
        assert_eq!(end("< p>"), None);
        assert_eq!(end("<3"), None);
        assert_eq!(end("<"), None);
        assert_eq!(end("</"), None);
        assert_eq!(end("<script>a</b> '</scripts' </SCRIPT >x"), Some(36));
        assert_eq!(end("<style>unclosed"), Some(15));
        assert_eq!(end("<p unclosed"), Some(11));
    }

    #[test]
    fn reference_runs() {
        assert_eq!(reference_run("&amp; x", 0), Some("&amp;"));
        assert_eq!(reference_run("&amp x", 0), Some("&amp"));
        assert_eq!(reference_run("&#8217;s", 0), Some("&#8217;"));
        assert_eq!(reference_run("&#x2019;s", 0), Some("&#x2019;"));
        assert_eq!(reference_run("&#123abc", 0), Some("&#123"));
        assert_eq!(reference_run("& x", 0), None);
        assert_eq!(reference_run("&", 0), None);
        let refs = decode_references("a &amp; b &rsquo; &#8217; &#x2019; &copy2024 &bogus; &#150;");
        assert_eq!(refs["&amp;"], "&");
        assert_eq!(refs["&rsquo;"], "\u{2019}");
        assert_eq!(refs["&#8217;"], "\u{2019}");
        assert_eq!(refs["&#x2019;"], "\u{2019}");
        assert_eq!(refs["&copy2024"], "\u{a9}2024");
        assert_eq!(refs["&bogus;"], "&bogus;");
        assert_eq!(refs["&#150;"], "\u{2013}");
    }
}
