//! Readers on hand-written inputs: what becomes a block, what is dropped, and where every
//! sentence points in the source.

use rhetor::document::{BlockKind, DecodeError, Document, SourceFormat, decode};
use scraper::{Html, Node};

fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
    doc.blocks
        .iter()
        .map(|b| (b.kind, b.text.as_str()))
        .collect()
}

fn sentences(doc: &Document) -> Vec<&str> {
    doc.sentences.iter().map(|s| doc.sentence_text(s)).collect()
}

fn slices<'a>(src: &'a str, doc: &Document) -> Vec<&'a str> {
    doc.sentences.iter().map(|s| &src[s.start..s.end]).collect()
}

fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{feff}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of an HTML fragment with tags removed and references decoded (by html5ever).
fn html_text(fragment: &str) -> String {
    let html = Html::parse_fragment(fragment);
    let mut out = String::new();
    let mut stack = vec![html.tree.root()];
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if matches!(e.name(), "script" | "style") => {}
            _ => {
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev());
            }
        }
    }
    out
}

/// Every sentence's source slice, with tags removed and references decoded, is its text.
fn assert_html_offsets(src: &str, doc: &Document) {
    for s in &doc.sentences {
        let slice = &src[s.start..s.end];
        assert_eq!(
            collapse(&html_text(slice)),
            doc.sentence_text(s),
            "{slice:?}"
        );
    }
}

fn html(src: &str) -> Document {
    let doc = Document::parse(src, SourceFormat::Html);
    assert_html_offsets(src, &doc);
    doc
}

// ---------------------------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------------------------

#[test]
fn text_title_and_paragraph_per_line() {
    let src = "Why the Port Deal Matters\n\
               The agreement, signed on Monday, is clearly a landmark. Critics disagree.\n\
               Officials said the terms would be published. They were not.\n";
    let doc = Document::parse(src, SourceFormat::Text);
    assert_eq!(doc.title.as_deref(), Some("Why the Port Deal Matters"));
    assert_eq!(doc.sections.len(), 3);
    assert_eq!(
        sentences(&doc),
        vec![
            "Why the Port Deal Matters",
            "The agreement, signed on Monday, is clearly a landmark.",
            "Critics disagree.",
            "Officials said the terms would be published.",
            "They were not."
        ]
    );
    assert_eq!(slices(src, &doc), sentences(&doc));
}

#[test]
fn text_question_headline_is_a_title() {
    let src = "Is the Budget Fair?\nIt is not. Here is why.\n";
    let doc = Document::parse(src, SourceFormat::Text);
    assert_eq!(doc.title.as_deref(), Some("Is the Budget Fair?"));
}

#[test]
fn text_first_line_with_closing_punctuation_is_not_a_title() {
    let src = "The vote failed.\nNobody was surprised.\n";
    let doc = Document::parse(src, SourceFormat::Text);
    assert_eq!(doc.title, None);
    assert_eq!(doc.blocks[0].kind, BlockKind::Paragraph);
}

#[test]
fn text_hard_wrapped_paragraphs_with_crlf_and_tabs() {
    let src = "Rates Rise Again\r\n\r\n\tThe central bank raised rates by 0.5\r\n\
               points on Tuesday, its third rise this year.\r\n\
               Analysts had expected less.\r\n\r\n\
               \x20 Markets fell. The U.S. dollar rose\r\nagainst the yen.\r\n";
    let doc = Document::parse(src, SourceFormat::Text);
    assert_eq!(
        blocks(&doc),
        vec![
            (BlockKind::Title, "Rates Rise Again"),
            (
                BlockKind::Paragraph,
                "The central bank raised rates by 0.5 points on Tuesday, its third rise this \
                 year. Analysts had expected less."
            ),
            (
                BlockKind::Paragraph,
                "Markets fell. The U.S. dollar rose against the yen."
            ),
        ]
    );
    for (slice, text) in slices(src, &doc).iter().zip(sentences(&doc)) {
        assert_eq!(collapse(slice), text);
    }
    assert_eq!(
        slices(src, &doc)[1],
        "The central bank raised rates by 0.5\r\npoints on Tuesday, its third rise this year."
    );
}

#[test]
fn text_odd_characters_do_not_break_offsets() {
    let src = "\u{feff}Caf\u{e9} Society\n\u{a0}It\u{2019}s\u{a0}a\u{200b}deal. \u{201c}Why?\u{201d} \
               she asked\u{2026} Nobody knew.\n";
    let doc = Document::parse(src, SourceFormat::Text);
    assert_eq!(doc.title.as_deref(), Some("Caf\u{e9} Society"));
    assert_eq!(
        sentences(&doc)[1..],
        [
            "It\u{2019}s a deal.",
            "\u{201c}Why?\u{201d} she asked\u{2026}",
            "Nobody knew."
        ]
    );
    assert_eq!(slices(src, &doc)[1], "It\u{2019}s\u{a0}a\u{200b}deal.");
}

#[test]
fn text_lone_punctuation_and_long_lines() {
    for src in [
        "....", "?!?!", "\u{2026}", "(", "\u{201d}", ". . .", "-- --",
    ] {
        let doc = Document::parse(src, SourceFormat::Text);
        assert_eq!(doc.sentences.len(), 1, "{src:?}");
        let s = &doc.sentences[0];
        assert_eq!(&src[s.start..s.end], src.trim());
    }
    let line = "Word after word goes on. ".repeat(20_000);
    let doc = Document::parse(&line, SourceFormat::Text);
    assert_eq!(doc.sentences.len(), 20_000);
    assert_eq!(doc.sections.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

#[test]
fn markdown_structure_and_offsets() {
    let src = "---\nauthor: Someone\n---\n\n# The Case for Ports\n\n\
               Ports are *clearly* the **best** investment. Some say otherwise.\n\n\
               ## What critics say\n\n\
               > Experts believe the deal is risky.\n> It may fail.\n\n\
               - First, costs rose by 2.5%.\n- Second, `delays` grew.\n\n\
               ```rust\nlet x = 1; // not prose.\n```\n\n\
               <div class=\"ad\">Buy now.</div>\n\n\
               ![A chart of costs](chart.png)\n\n\
               See [the report](https://example.com/r.pdf) for more &amp; better data.\n";
    let doc = Document::parse(src, SourceFormat::Markdown);
    assert_eq!(doc.title.as_deref(), Some("The Case for Ports"));
    let headings: Vec<_> = doc.sections.iter().map(|s| s.heading.as_deref()).collect();
    assert_eq!(
        headings,
        vec![Some("The Case for Ports"), Some("What critics say")]
    );
    assert_eq!(
        sentences(&doc),
        vec![
            "The Case for Ports",
            "Ports are clearly the best investment.",
            "Some say otherwise.",
            "What critics say",
            "Experts believe the deal is risky.",
            "It may fail.",
            "First, costs rose by 2.5%.",
            "Second, delays grew.",
            "See the report for more & better data.",
        ]
    );
    let sl = slices(src, &doc);
    assert_eq!(sl[1], "Ports are *clearly* the **best** investment.");
    assert_eq!(sl[7], "Second, `delays` grew.");
    assert_eq!(
        sl[8],
        "See [the report](https://example.com/r.pdf) for more &amp; better data."
    );
}

#[test]
fn markdown_without_headings_sections_by_paragraph() {
    let src = "First paragraph here.\n\nSecond one,\nwrapped.\n\nThird.\n";
    let doc = Document::parse(src, SourceFormat::Markdown);
    assert_eq!(doc.title, None);
    assert_eq!(doc.sections.len(), 3);
    assert_eq!(slices(src, &doc)[1], "Second one,\nwrapped.");
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

#[test]
fn html_article_is_chosen_and_furniture_dropped() {
    let src = "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Site</title>\
               <script>var x = '<p>not text</p>';</script><style>p > a {}</style></head>\
               <body><header><a href=/>Logo</a><h1>Site Name</h1></header>\
               <nav><ul><li>Home</li><li>World</li></ul></nav>\
               <article><header><h1>Port Deal Is a Triumph</h1><p class=byline>By A. Writer</p>\
               </header><p>The deal is clearly historic.</p><aside>Related: other news.</aside>\
               <form><button>Share</button></form><p>Critics disagree.</p>\
               <footer>Tags: ports</footer></article>\
               <article><p>A teaser.</p></article><footer>About us</footer></body></html>";
    let doc = html(src);
    assert_eq!(
        blocks(&doc),
        vec![
            (BlockKind::Title, "Port Deal Is a Triumph"),
            (BlockKind::Paragraph, "The deal is clearly historic."),
            (BlockKind::Paragraph, "Critics disagree."),
        ]
    );
    // The title points at the article's <h1>, not the site header's.
    let (s, e) = (doc.sentences[0].start, doc.sentences[0].end);
    assert_eq!(&src[s..e], "Port Deal Is a Triumph");
    assert!(s > src.find("<article>").unwrap());
}

#[test]
fn html_without_article_uses_main_then_body() {
    let doc =
        html("<body><nav>Menu</nav><main><h2>Sub</h2><p>Text here.</p></main><p>Out.</p></body>");
    assert_eq!(
        blocks(&doc),
        vec![
            (BlockKind::Heading, "Sub"),
            (BlockKind::Paragraph, "Text here.")
        ]
    );
    assert_eq!(
        doc.title, None,
        "only an <h1> opening the article is a title"
    );
    let doc = html("<p>Just a body.</p><p>Two paragraphs.</p>");
    assert_eq!(sentences(&doc), vec!["Just a body.", "Two paragraphs."]);
}

#[test]
fn html_entities_map_to_whole_references() {
    let src = "<p>It&rsquo;s R&amp;D &#8212; a &#x2019;win&#8217; &copy2024 &notit; AT&T &lt;b&gt; x&nbsp;y &#0; &amp;amp;.</p>";
    let doc = html(src);
    assert_eq!(
        doc.blocks[0].text,
        "It\u{2019}s R&D \u{2014} a \u{2019}win\u{2019} \u{a9}2024 \u{ac}it; AT&T <b> x y \u{fffd} &amp;."
    );
    let b = &doc.blocks[0];
    let at = |needle: &str| {
        let i = b.text.find(needle).unwrap();
        let (s, e) = b.map.span(i, i + needle.len());
        &src[s..e]
    };
    assert_eq!(at("\u{2019}s"), "&rsquo;s");
    assert_eq!(at("&D"), "&amp;D");
    assert_eq!(at("\u{2014}"), "&#8212;");
    assert_eq!(at("\u{2019}win\u{2019}"), "&#x2019;win&#8217;");
    assert_eq!(at("<b>"), "&lt;b&gt;");
    assert_eq!(at("AT&T"), "AT&T");
}

#[test]
fn html_crlf_comments_cdata_br_and_attributes() {
    let src = "<HTML><BODY>\r\n<P CLASS=\"lead\">First line\r\nsame sentence. <!-- a > b --> \
               After the comment.<BR>New block <![CDATA[ gone ]]> stays.</P>\r\n\
               <p>Read <a title=\"a > b\" href='x>y'>the <b>really <i>deeply <u>nested</u></i></b> \
               report</a> now.</p></BODY></HTML>";
    let doc = html(src);
    assert_eq!(
        sentences(&doc),
        vec![
            "First line same sentence.",
            "After the comment.",
            "New block stays.",
            "Read the really deeply nested report now."
        ]
    );
    let sl = slices(src, &doc);
    assert_eq!(sl[0], "First line\r\nsame sentence.");
    assert_eq!(
        sl[3],
        "Read <a title=\"a > b\" href='x>y'>the <b>really <i>deeply <u>nested</u></i></b> report</a> now."
    );
}

#[test]
fn html_malformed_markup() {
    // Unclosed paragraphs, a stray end tag (its text is merged by the parser), an unclosed
    // inline tag, a misnested one.
    let src = "<body><p>First para.<p>Second</span> para here.<p><b>Bold <i>both</b> italic.</i>\
               <p>Trailing <em>unclosed";
    let doc = html(src);
    assert_eq!(
        sentences(&doc),
        vec![
            "First para.",
            "Second para here.",
            "Bold both italic.",
            "Trailing unclosed"
        ]
    );
    assert_eq!(slices(src, &doc)[1], "Second</span> para here.");
}

#[test]
fn html_text_the_parser_moves_is_left_out_not_mislocated() {
    // Text inside a table but outside any cell is moved before the table by the parser.
    let src = "<article><p>Intro.</p><table><tr><td>Cell one.</td></tr>Stray.<tr><td>Cell two.</td>\
               </tr></table><p>Outro.</p></article>";
    let doc = html(src);
    let got = sentences(&doc);
    assert!(got.contains(&"Intro.") && got.contains(&"Outro."));
    assert!(got.contains(&"Stray."));
}

#[test]
fn html_pre_scripts_and_raw_text() {
    let src = "<body><pre>\nPreformatted line.</pre><script>document.write('<p>Fake.</p>')</script>\
               <textarea>Not prose.</textarea><noscript><p>Enable JS.</p></noscript>\
               <p>Real &amp; last.</p><plaintext><p>all text now";
    let doc = html(src);
    assert_eq!(sentences(&doc), vec!["Preformatted line.", "Real & last."]);
}

#[test]
fn html_nul_and_bom_in_a_string() {
    let src = "\u{feff}<p>Zero\0width.</p><p>Next one.</p>";
    let doc = Document::parse(src, SourceFormat::Html);
    assert_eq!(sentences(&doc), vec!["Zerowidth.", "Next one."]);
    assert_eq!(slices(src, &doc), vec!["Zero\0width.", "Next one."]);
}

#[test]
fn html_deep_nesting_does_not_overflow() {
    let depth = 5_000;
    let src = format!(
        "{}<p>Deep text.</p>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let doc = Document::parse(&src, SourceFormat::Html);
    assert_eq!(sentences(&doc), vec!["Deep text."]);
}

// ---------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------

#[test]
fn decode_errors_are_clear() {
    let msg = |b: &[u8]| decode(b).unwrap_err().to_string();
    assert_eq!(decode(b""), Err(DecodeError::Empty));
    assert!(msg(b"").contains("empty"));
    assert!(msg(b" \n\t ").contains("only whitespace"));
    assert!(msg(b"GIF89a\0\0").contains("binary (NUL byte at offset 6)"));
    assert!(msg(b"ok\n\xc3\x28").contains("invalid UTF-8 at byte offset 3"));
    assert!(msg(b"\xff\xfeA\0").contains("UTF-16"));
    assert_eq!(decode("\u{feff}Fine.".as_bytes()), Ok("\u{feff}Fine."));
}

#[test]
fn empty_documents_are_empty() {
    for format in [
        SourceFormat::Text,
        SourceFormat::Markdown,
        SourceFormat::Html,
    ] {
        for src in ["", "   \n\t", "\u{feff}", "<!-- -->", "```\ncode\n```"] {
            let doc = Document::parse(src, format);
            if doc.sentences.is_empty() {
                assert!(doc.title.is_none());
            }
        }
    }
}
