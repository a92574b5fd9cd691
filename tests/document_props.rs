//! Property tests for the document layer: for any input, sentence spans are in bounds, on
//! character boundaries, ordered, disjoint, non-empty and inside their section; the splitter
//! covers every non-space character; and each sentence's source slice holds its text.
//!
//! Generators produce news-like prose (abbreviations, initials, numbers, quotes, ellipses,
//! brackets), wrapped in plain text, Markdown or HTML markup, as well as arbitrary strings.

use proptest::prelude::*;
use rhetor::document::{Document, SourceFormat, decode, split_sentences};
use scraper::{Html, Node};

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/// White space as the document layer reads it.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

fn collapse(s: &str) -> String {
    s.split(is_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The structural invariants every parsed document must satisfy, whatever the input.
fn check_structure(src: &str, doc: &Document) -> Result<(), TestCaseError> {
    for b in &doc.blocks {
        prop_assert!(!b.text.is_empty());
        prop_assert_eq!(
            collapse(&b.text),
            b.text.clone(),
            "block text is normalised"
        );
        let (s, e) = b.map.span(0, b.text.len());
        prop_assert!(s < e && e <= src.len(), "block span {s}..{e}");
        prop_assert!(src.is_char_boundary(s) && src.is_char_boundary(e));
    }
    let mut prev_section_end = 0;
    for (i, sec) in doc.sections.iter().enumerate() {
        prop_assert_eq!(sec.index, i);
        prop_assert!(sec.start <= sec.end && sec.end <= src.len());
        prop_assert!(sec.start >= prev_section_end, "sections overlap");
        prop_assert!(src.is_char_boundary(sec.start) && src.is_char_boundary(sec.end));
        prev_section_end = sec.end;
    }
    let mut prev_end = 0;
    for (i, s) in doc.sentences.iter().enumerate() {
        prop_assert_eq!(s.id, i);
        prop_assert!(s.start < s.end, "empty span {}..{}", s.start, s.end);
        prop_assert!(s.end <= src.len());
        prop_assert!(src.is_char_boundary(s.start) && src.is_char_boundary(s.end));
        prop_assert!(s.start >= prev_end, "sentence {i} overlaps the one before");
        prev_end = s.end;
        let sec = &doc.sections[s.section];
        prop_assert!(sec.sentences.contains(&i));
        prop_assert!(
            sec.start <= s.start && s.end <= sec.end,
            "sentence {}..{} outside section {}..{}",
            s.start,
            s.end,
            sec.start,
            sec.end
        );
        let text = &doc.blocks[s.block].text;
        prop_assert!(s.text_start < s.text_end && s.text_end <= text.len());
        let t = doc.sentence_text(s);
        prop_assert!(!t.starts_with(is_space) && !t.ends_with(is_space));
    }
    // Every non-space character of every block is in exactly one sentence.
    for (bi, b) in doc.blocks.iter().enumerate() {
        let ranges: Vec<_> = doc
            .sentences
            .iter()
            .filter(|s| s.block == bi)
            .map(|s| (s.text_start, s.text_end))
            .collect();
        check_cover(&b.text, &ranges)?;
    }
    Ok(())
}

/// `ranges` are ordered, disjoint, trimmed and cover every non-space character of `text`.
fn check_cover(text: &str, ranges: &[(usize, usize)]) -> Result<(), TestCaseError> {
    let mut r = ranges.iter().peekable();
    let mut prev_end = 0;
    for &(s, e) in ranges {
        prop_assert!(s < e && e <= text.len() && s >= prev_end);
        prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        prev_end = e;
    }
    for (i, c) in text.char_indices() {
        while r.peek().is_some_and(|&&(_, e)| e <= i) {
            r.next();
        }
        let inside = r.peek().is_some_and(|&&(s, _)| s <= i);
        if !is_space(c) {
            prop_assert!(
                inside,
                "character {c:?} at {i} is in no sentence of {text:?}"
            );
        }
    }
    Ok(())
}

fn check_text_slices(src: &str, doc: &Document) -> Result<(), TestCaseError> {
    for s in &doc.sentences {
        prop_assert_eq!(
            collapse(&src[s.start..s.end]),
            doc.sentence_text(s),
            "plain-text slice {}..{}",
            s.start,
            s.end
        );
    }
    Ok(())
}

fn ascii_alnum(s: &str) -> Vec<u8> {
    s.bytes().filter(u8::is_ascii_alphanumeric).collect()
}

fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|n| it.any(|h| h == n))
}

fn check_markdown_slices(src: &str, doc: &Document) -> Result<(), TestCaseError> {
    for s in &doc.sentences {
        let slice = &src[s.start..s.end];
        let text = doc.sentence_text(s);
        prop_assert!(
            is_subsequence(&ascii_alnum(text), &ascii_alnum(slice)),
            "markdown slice {:?} does not hold the words of {:?}",
            slice,
            text
        );
    }
    Ok(())
}

/// Elements whose content the HTML reader leaves out (raw text, foreign content, page
/// furniture, forms).
const LEFT_OUT: &[&str] = &[
    "aside",
    "audio",
    "button",
    "canvas",
    "datalist",
    "dialog",
    "figure",
    "footer",
    "form",
    "head",
    "header",
    "iframe",
    "map",
    "math",
    "menu",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "option",
    "picture",
    "plaintext",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
    "video",
    "xmp",
];

/// The text a reader sees in an HTML fragment: tags removed, references decoded, scripts,
/// styles, furniture and hidden elements left out.
fn html_text(fragment: &str) -> String {
    let html = Html::parse_fragment(fragment);
    let mut out = String::new();
    let mut stack = vec![html.tree.root()];
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e)
                if LEFT_OUT.contains(&e.name())
                    || e.attr("hidden").is_some()
                    || e.attr("aria-hidden") == Some("true") => {}
            _ => {
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev());
            }
        }
    }
    out
}

fn check_html_slices(src: &str, doc: &Document) -> Result<(), TestCaseError> {
    let lower = src.to_ascii_lowercase();
    for s in &doc.sentences {
        // Inside an open <table> HTML5 moves stray text out of the table ("foster parenting"),
        // and inside an open <select> a second <select> closes the first: the document's text
        // there depends on context a slice parsed on its own (in body context) does not have.
        // Both found by this property.
        let context_dependent = ["table", "select"].iter().any(|tag| {
            let (open, close) = (format!("<{tag}"), format!("</{tag}"));
            let open_at = |at: usize| lower[..at].rfind(&open) > lower[..at].rfind(&close);
            open_at(s.start) || open_at(s.end) || lower[s.start..s.end].contains(&open)
        });
        if context_dependent {
            continue;
        }
        let slice = &src[s.start..s.end];
        prop_assert_eq!(
            collapse(&html_text(slice)),
            doc.sentence_text(s),
            "HTML slice {:?}",
            slice
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "plan",
    "would",
    "fail",
    "and",
    "critics",
    "argue",
    "that",
    "it",
    "was",
    "clearly",
    "a",
    "landmark",
    "deal",
    "for",
    "voters",
    "in",
    "city",
    "may",
    "perhaps",
    "some",
    "say",
    "officials",
    "believe",
    "growth",
    "rose",
    "by",
    "per",
    "cent",
    "after",
    "talks",
    "with",
    "army",
    "on",
    "monday",
    "but",
    "not",
    "everyone",
    "agreed",
    "sources",
    "told",
    "us",
    "we",
    "will",
    "win",
    "why",
    "now",
    "asked",
    "she",
    "he",
    "they",
    "don't",
    "U.S.-led",
    "well-known",
    "naïve",
    "café",
    "Ünal",
];

const NAMES: &[&str] = &[
    "Smith",
    "Khan",
    "Ruiz",
    "Okafor",
    "Lahore",
    "Washington",
    "Parliament",
    "Congress",
    "Monday",
    "The",
    "It",
    "He",
    "She",
    "They",
    "But",
    "In",
    "This",
    "Acme",
    "Beijing",
    "Ödegaard",
];

const ABBREVIATIONS: &[&str] = &[
    "Gen.", "Lt. Gen.", "Mr.", "Mrs.", "Dr.", "Prof.", "Sen.", "U.S.", "U.K.", "U.N.", "e.g.",
    "i.e.", "etc.", "Inc.", "Corp.", "No. 5", "a.m.", "p.m.", "Jan. 6", "St.", "vs.", "et al.",
    "Ph.D.", "D.C.",
];

const NUMBERS: &[&str] = &[
    "2.5", "3.14", "$1.2bn", "9/11", "2020", "10,000", "40%", "£3.5m", "1.", "2.", "0.5",
];

const TERMINATORS: &[&str] = &[
    ".", ".", ".", "!", "?", "...", "…", ".”", "?”", "!’", ".\"", ".)", "?!", "", ". . .",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(WORDS).prop_map(String::from),
        4 => prop::sample::select(NAMES).prop_map(String::from),
        2 => prop::sample::select(ABBREVIATIONS).prop_map(String::from),
        1 => prop::sample::select(NUMBERS).prop_map(String::from),
        1 => "[A-Z]".prop_map(|c| format!("{c}.")),
        1 => "[a-z]{1,8}",
        1 => prop::sample::select(&["“", "”", "‘", "’", "\"", "'", "(", ")", "—", ",", ";", ":", "...", "…", "-"][..])
            .prop_map(String::from),
        1 => "[a-z]{1,6}[.,;:!?]".prop_map(String::from),
        1 => prop::sample::select(&["www.example.com", "ed@example.org", "https://x.io/a.b?c=1"][..])
            .prop_map(String::from),
    ]
}

/// One sentence of news-like prose, sometimes quoted or bracketed.
fn sentence() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(word(), 1..12),
        prop::sample::select(TERMINATORS),
        0..4u8,
        prop::sample::select(&[" ", " ", " ", " ", "  ", "\u{a0}", "\t"][..]),
    )
        .prop_map(|(words, term, wrap, sep)| {
            let body = format!("{}{term}", words.join(sep));
            match wrap {
                1 => format!("“{body}”"),
                2 => format!("({body})"),
                _ => body,
            }
        })
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(sentence(), 1..5).prop_map(|s| s.join(" "))
}

/// Breaks `text` into lines of at most `width` characters at spaces.
fn hard_wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for (i, w) in text.split(' ').enumerate() {
        if i > 0 {
            if line + w.chars().count() >= width {
                out.push('\n');
                line = 0;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(w);
        line += w.chars().count();
    }
    out
}

fn plain_text_doc() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::option::of(prop::collection::vec(prop::sample::select(NAMES), 1..6)),
        prop::collection::vec(paragraph(), 1..6),
        0..3u8,
        any::<bool>(),
        prop::sample::select(&["", "  ", "\t", "    "][..]),
        30..90usize,
    )
        .prop_map(|(bom, title, paras, layout, crlf, indent, width)| {
            let mut out = String::new();
            if bom {
                out.push('\u{feff}');
            }
            if let Some(t) = title {
                out.push_str(&t.join(" "));
                out.push('\n');
                if layout != 1 {
                    out.push('\n');
                }
            }
            for p in &paras {
                out.push_str(indent);
                match layout {
                    // Hard-wrapped paragraphs, blank lines between.
                    0 => {
                        out.push_str(&hard_wrap(p, width));
                        out.push_str("\n\n");
                    }
                    // One paragraph per line.
                    1 => {
                        out.push_str(p);
                        out.push('\n');
                    }
                    _ => {
                        out.push_str(p);
                        out.push_str("\n\n");
                    }
                }
            }
            if crlf {
                out = out.replace('\n', "\r\n");
            }
            out
        })
}

/// Inline Markdown markup around some words.
fn md_inline() -> impl Strategy<Value = String> {
    (paragraph(), prop::collection::vec(0..9u8, 1..20)).prop_map(|(p, marks)| {
        p.split(' ')
            .zip(marks.iter().cycle())
            .map(|(w, m)| match m {
                0 => format!("**{w}**"),
                1 => format!("*{w}*"),
                2 => format!("`{w}`"),
                3 => format!("[{w}](https://example.com/{w})"),
                4 => format!("{w} &amp;"),
                5 => format!("![pic of {w}](p.png) {w}"),
                6 => format!("{w} <span>x</span>"),
                _ => w.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn md_block() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => md_inline(),
        2 => (1..4usize, prop::collection::vec(prop::sample::select(NAMES), 1..5))
            .prop_map(|(l, w)| format!("{} {}", "#".repeat(l), w.join(" "))),
        1 => prop::collection::vec(sentence(), 1..4)
            .prop_map(|s| s.iter().map(|x| format!("- {x}")).collect::<Vec<_>>().join("\n")),
        1 => prop::collection::vec(sentence(), 1..4).prop_map(|s| s
            .iter()
            .enumerate()
            .map(|(i, x)| format!("{}. {x}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")),
        1 => paragraph().prop_map(|p| format!("> {}", hard_wrap(&p, 40).replace('\n', "\n> "))),
        1 => paragraph().prop_map(|p| format!("```\n{p}\n```")),
        1 => paragraph().prop_map(|p| format!("<div>\n{p}\n</div>")),
        1 => paragraph().prop_map(|p| hard_wrap(&p, 50)),
    ]
}

fn markdown_doc() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(md_block(), 1..8),
        any::<bool>(),
    )
        .prop_map(|(bom, front, blocks, crlf)| {
            let mut out = String::new();
            if bom {
                out.push('\u{feff}');
            }
            if front {
                out.push_str("---\ntitle: Not prose\ntags: [a, b]\n---\n\n");
            }
            out.push_str(&blocks.join("\n\n"));
            out.push('\n');
            if crlf {
                out = out.replace('\n', "\r\n");
            }
            out
        })
}

fn html_escape(s: &str, style: u8) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' if style.is_multiple_of(2) => out.push_str("&gt;"),
            '’' => out.push_str(["&rsquo;", "&#8217;", "&#x2019;", "’"][style as usize % 4]),
            '“' if style == 1 => out.push_str("&ldquo;"),
            '"' if style == 2 => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
    out
}

/// Inline HTML: escaped prose with tags, comments and entities between words.
fn html_inline() -> impl Strategy<Value = String> {
    (paragraph(), prop::collection::vec(0..14u8, 1..20), 0..4u8).prop_map(|(p, marks, style)| {
        p.split(' ')
            .zip(marks.iter().cycle())
            .map(|(w, m)| {
                let w = html_escape(w, style);
                match m {
                    0 => format!("<b>{w}</b>"),
                    1 => format!("<I>{w}</I>"),
                    2 => format!("<a href=\"/x?a=1&amp;b=2\" title=\"a > b\">{w}</a>"),
                    3 => format!("<span class='x>y'><em>{w}</em></span>"),
                    4 => format!("{w}<!-- note > here -->"),
                    5 => format!("{w} <![CDATA[x]]>"),
                    6 => format!("{w}<script>if (a<b) {{ x = '</p>'; }}</script>"),
                    7 => format!("{w}&nbsp;&amp;"),
                    8 => format!("{w}</span>"),
                    9 => format!("<strong>{w}"),
                    _ => w,
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn html_block() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => html_inline().prop_map(|p| format!("<p>{p}</p>")),
        1 => html_inline().prop_map(|p| format!("<P>{p}")),
        1 => html_inline().prop_map(|p| format!("<div>{p}<br>{p}</div>")),
        1 => (1..4u8, html_inline()).prop_map(|(l, p)| format!("<h{l}>{p}</h{l}>")),
        1 => html_inline().prop_map(|p| format!("<blockquote>\n<p>{p}</p>\n</blockquote>")),
        1 => prop::collection::vec(html_inline(), 1..4).prop_map(|items| format!(
            "<ul>{}</ul>",
            items.iter().map(|i| format!("<li>{i}</li>")).collect::<String>()
        )),
        1 => html_inline().prop_map(|p| format!("<aside>{p}</aside>")),
        1 => html_inline().prop_map(|p| format!("<pre>\n{p}</pre>")),
    ]
}

fn html_doc() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        0..3u8,
        prop::option::of(prop::collection::vec(prop::sample::select(NAMES), 1..5)),
        prop::collection::vec(html_block(), 0..7),
        html_inline(),
        any::<bool>(),
    )
        .prop_map(|(bom, shell, title, blocks, lead, crlf)| {
            let mut article = String::new();
            if let Some(t) = title {
                article.push_str(&format!("<h1>{}</h1>\n", t.join(" ")));
            }
            article.push_str(&format!("<p>{lead}</p>\n"));
            article.push_str(&blocks.join("\n"));
            let mut out = String::new();
            if bom {
                out.push('\u{feff}');
            }
            match shell {
                0 => out.push_str(&format!(
                    "<!DOCTYPE html>\n<html><head><title>Site &amp; title</title>\
                     <style>p > a {{ color: red }}</style></head>\n<body>\
                     <nav><a href=/>Home</a> | <a href=/news>News</a></nav>\n\
                     <header><h1>Site Name</h1></header>\n<article>{article}</article>\n\
                     <footer>Copyright. All rights reserved.</footer></body></html>\n"
                )),
                1 => out.push_str(&format!("<html><body><main>{article}</main></body></html>")),
                _ => out.push_str(&article),
            }
            if crlf {
                out = out.replace('\n', "\r\n");
            }
            out
        })
}

/// Tag soup: well- and ill-formed markup, references of every kind, raw-text elements, tables
/// (whose stray text the parser moves) and forms, in any order.
fn html_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => word(),
        2 => prop::sample::select(&[
            "<p>", "</p>", "<P class=\"a>b\">", "<b>", "</b>", "<i>", "</I>", "<br>", "<BR/>",
            "<div>", "</div>", "<h1>", "</h1>", "<h2 id=x>", "</h2>", "<li>", "<ul>", "</ul>",
            "<article>", "</article>", "<main>", "<nav>", "</nav>", "<header>", "</header>",
            "<span title='x > y'>", "</span>", "</em>", "<a href=x>", "</a>", "<pre>\n", "</pre>",
            "<table>", "<tr>", "<td>", "</td>", "</table>", "<select><option>", "</select>",
            "<svg><title>t</title>", "</svg>", "<math>", "<template>", "</template>",
            "<p hidden>", "<div aria-hidden=true>", "<aside>", "</aside>", "<html>", "<body>",
            "</body>", "<head>",
        ][..]).prop_map(String::from),
        2 => prop::sample::select(&[
            "&amp;", "&rsquo;", "&#8217;", "&#x2019;", "&nbsp;", "&lt;", "&gt;", "&copy", "&notit;",
            "&amp", "&#0;", "&#150;", "&#x110000;", "&#xD800;", "&bogus;", "& ", "&", "&#", "&#x;",
            "&#65", "&AMP;", "&ampx",
        ][..]).prop_map(String::from),
        1 => prop::sample::select(&[
            "<!-- c -->", "<!-->", "<!--->", "<!-- a --!>", "<![CDATA[ x > y ]]>", "<!DOCTYPE html>",
            "<?php x ?>", "</ x>", "</>", "<", "< p>", "<3", "\r\n", "\r", "\n\n", "\t",
            "<script>var a = '<p>x</p>';</script>", "<style>p>a{}</style>", "<textarea>T</textarea>",
            "<title>T &amp; U</title>", "<noscript><p>N</p></noscript>", "<iframe>I</iframe>",
            "<xmp><b>x</b></xmp>", "<script>unclosed", "<!-- unclosed",
        ][..]).prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
}

/// Strings rich in the characters the splitter and readers care about.
fn tricky_string() -> impl Strategy<Value = String> {
    "[ a-zA-Z0-9.!?…\"'“”‘’()\\[\\]&;#<>/*_`=\\-—:,\u{a0}\u{200b}\u{feff}\t\r\n]{0,120}"
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn splitter_covers_arbitrary_text(text in any::<String>()) {
        let ranges = split_sentences(&text);
        check_cover(&text, &ranges)?;
        for &(s, e) in &ranges {
            prop_assert!(!text[s..e].starts_with(is_space) && !text[s..e].ends_with(is_space));
        }
    }

    #[test]
    fn splitter_covers_news_prose(text in paragraph()) {
        let ranges = split_sentences(&text);
        check_cover(&text, &ranges)?;
    }

    #[test]
    fn plain_text_documents(src in plain_text_doc()) {
        let doc = Document::parse(&src, SourceFormat::Text);
        check_structure(&src, &doc)?;
        check_text_slices(&src, &doc)?;
        prop_assert!(!doc.sentences.is_empty());
    }

    #[test]
    fn plain_text_arbitrary(src in prop_oneof![any::<String>(), tricky_string()]) {
        let doc = Document::parse(&src, SourceFormat::Text);
        check_structure(&src, &doc)?;
        check_text_slices(&src, &doc)?;
    }

    #[test]
    fn markdown_documents(src in markdown_doc()) {
        let doc = Document::parse(&src, SourceFormat::Markdown);
        check_structure(&src, &doc)?;
        check_markdown_slices(&src, &doc)?;
    }

    #[test]
    fn markdown_arbitrary(src in prop_oneof![any::<String>(), tricky_string()]) {
        let doc = Document::parse(&src, SourceFormat::Markdown);
        check_structure(&src, &doc)?;
        check_markdown_slices(&src, &doc)?;
    }

    #[test]
    fn html_documents(src in html_doc()) {
        let doc = Document::parse(&src, SourceFormat::Html);
        check_structure(&src, &doc)?;
        check_html_slices(&src, &doc)?;
        prop_assert!(!doc.sentences.is_empty());
        // Page furniture never reaches the text.
        for b in &doc.blocks {
            prop_assert!(!b.text.contains("Site Name") && !b.text.contains("rights reserved"));
            prop_assert!(!b.text.contains("color: red") && !b.text.contains("if (a"));
        }
    }

    #[test]
    fn html_tag_soup(src in html_soup()) {
        let doc = Document::parse(&src, SourceFormat::Html);
        check_structure(&src, &doc)?;
        // Inside <svg>/<math> the tokenizer reads <title>, <style> etc. as ordinary elements,
        // which the aligner's scanner does not model; spans there stay sound but may cover text
        // that markup broke out of the foreign element.
        if !src.to_ascii_lowercase().contains("<svg") && !src.to_ascii_lowercase().contains("<math") {
            check_html_slices(&src, &doc)?;
        }
    }

    #[test]
    fn html_arbitrary(src in prop_oneof![any::<String>(), tricky_string()]) {
        let doc = Document::parse(&src, SourceFormat::Html);
        check_structure(&src, &doc)?;
    }

    #[test]
    fn decode_never_panics_and_keeps_offsets(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(text) = decode(&bytes) {
            prop_assert_eq!(text.as_bytes(), &bytes[..]);
            prop_assert!(!text.contains('\0'));
            let doc = Document::parse(text, SourceFormat::Text);
            check_structure(text, &doc)?;
        }
    }
}

/// The input that `html_tag_soup` found (text inside an open table, moved out by the parser).
#[test]
fn text_moved_out_of_a_table_keeps_sentences_sound() {
    let src = "<table><the<![CDATA[ x > y ]]><td>Smith<tr>the";
    let doc = Document::parse(src, SourceFormat::Html);
    check_structure(src, &doc).expect("structure");
    check_html_slices(src, &doc).expect("slices outside tables");
}
