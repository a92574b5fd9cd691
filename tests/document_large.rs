//! Large inputs: a ~5 MB document of each shape parses to completion with sound spans (not
//! timed; run `cargo test --release --test document_large -- --ignored --nocapture` for a
//! throughput printout).

use rhetor::document::{Document, SourceFormat};
use std::time::Instant;

const SENTENCES: &[&str] = &[
    "The minister said on Monday that the plan would clearly succeed.",
    "Critics, however, argue it may fail (and some say it already has).",
    "Gen. Ayesha Rahman met U.S. officials at 9 a.m. in Washington, D.C.",
    "“We will win,” she said.",
    "Growth rose 2.5 per cent, to $1.2bn, e.g. in the ports.",
    "Was it worth it?",
    "Nobody knows… The next day, J. K. Rowling wrote about it.",
    "Sources told reporters the deal was “a landmark” for No. 5 Port.",
];

/// About `bytes` of prose: `per_paragraph` sentences a paragraph, paragraphs joined by `sep`.
fn prose(bytes: usize, per_paragraph: usize, sep: &str) -> String {
    let mut out = String::with_capacity(bytes + 200);
    let mut i = 0usize;
    while out.len() < bytes {
        out.push_str(SENTENCES[i % SENTENCES.len()]);
        i += 1;
        out.push_str(if i.is_multiple_of(per_paragraph) {
            sep
        } else {
            " "
        });
    }
    out
}

/// Spans are ordered and disjoint; returns the number of sentences.
fn check(src: &str, doc: &Document) -> usize {
    let mut prev = 0;
    for s in &doc.sentences {
        assert!(s.start >= prev && s.start < s.end && s.end <= src.len());
        assert!(src.is_char_boundary(s.start) && src.is_char_boundary(s.end));
        prev = s.end;
    }
    doc.sentences.len()
}

const FIVE_MB: usize = 5 << 20;

#[test]
fn plain_text_many_paragraphs() {
    let src = format!("A Long Column\n\n{}", prose(FIVE_MB, 5, "\n\n"));
    let doc = Document::parse(&src, SourceFormat::Text);
    assert_eq!(doc.title.as_deref(), Some("A Long Column"));
    let n = check(&src, &doc);
    assert!(n > 60_000, "{n} sentences");
    assert!(doc.sections.len() > 12_000);
}

#[test]
fn plain_text_one_huge_line() {
    let src = prose(FIVE_MB, usize::MAX, "");
    let doc = Document::parse(&src, SourceFormat::Text);
    assert_eq!(doc.blocks.len(), 1);
    assert!(check(&src, &doc) > 60_000);
}

#[test]
fn plain_text_hard_wrapped() {
    let para = prose(2_000, usize::MAX, "");
    let mut src = String::new();
    while src.len() < FIVE_MB {
        let mut width = 0;
        for w in para.split(' ') {
            if width + w.len() > 72 {
                src.push('\n');
                width = 0;
            } else if width > 0 {
                src.push(' ');
            }
            src.push_str(w);
            width += w.len() + 1;
        }
        src.push_str("\n\n");
    }
    let doc = Document::parse(&src, SourceFormat::Text);
    assert!(check(&src, &doc) > 60_000);
    assert!(doc.blocks.len() > 2_000);
}

#[test]
fn markdown_large() {
    let body = prose(
        FIVE_MB,
        4,
        "\n\n## A heading\n\nSome **bold** and *em* text. ",
    );
    let src = format!("# Title\n\n{body}");
    let doc = Document::parse(&src, SourceFormat::Markdown);
    assert!(check(&src, &doc) > 60_000);
}

#[test]
fn html_large() {
    let paras = prose(
        FIVE_MB,
        4,
        "</p>\n<p>It&rsquo;s <b>bold</b> &amp; <a href=\"x?a=1&amp;b=2\">linked</a>. ",
    );
    let src = format!(
        "<html><head><title>T</title></head><body><nav>Home</nav><article><h1>Title</h1><p>{paras}</p></article></body></html>"
    );
    let doc = Document::parse(&src, SourceFormat::Html);
    assert!(check(&src, &doc) > 60_000);
}

#[test]
#[ignore = "prints throughput; run in release mode"]
fn throughput_report() {
    let mb = 20usize << 20;
    let inputs = [
        ("text, paragraphs", prose(mb, 5, "\n\n"), SourceFormat::Text),
        (
            "text, one line",
            prose(mb, usize::MAX, ""),
            SourceFormat::Text,
        ),
        (
            "markdown",
            prose(mb, 4, "\n\n## Heading\n\nSome **bold** text. "),
            SourceFormat::Markdown,
        ),
        (
            "html",
            format!(
                "<html><body><article><p>{}</p></article></body></html>",
                prose(mb, 4, "</p>\n<p>It&rsquo;s <b>bold</b> &amp; <i>fine</i>. ")
            ),
            SourceFormat::Html,
        ),
    ];
    for (name, src, format) in inputs {
        let t = Instant::now();
        let doc = Document::parse(&src, format);
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "{name:>18}: {:6.1} MB in {secs:6.3} s = {:7.1} MB/s, {} sentences",
            src.len() as f64 / 1e6,
            src.len() as f64 / 1e6 / secs,
            doc.sentences.len()
        );
    }
}

/// By hand: `RHETOR_DOC=path [RHETOR_DOC_FORMAT=text|markdown|html] [RHETOR_DOC_PRINT=1] cargo
/// test --release --test document_large -- --ignored --nocapture parse_file` parses one file and
/// reports its size, time and counts (run under `/usr/bin/time -v` for peak memory), printing
/// every sentence with its span when asked.
#[test]
#[ignore = "manual tool; needs RHETOR_DOC"]
fn parse_file() {
    let Ok(path) = std::env::var("RHETOR_DOC") else {
        return;
    };
    let bytes = std::fs::read(&path).expect("readable file");
    let src = rhetor::document::decode(&bytes).expect("decodable file");
    let format = match std::env::var("RHETOR_DOC_FORMAT").as_deref() {
        Ok("markdown") => SourceFormat::Markdown,
        Ok("html") => SourceFormat::Html,
        Ok("text") => SourceFormat::Text,
        _ => SourceFormat::detect(Some(std::path::Path::new(&path)), src),
    };
    let t = Instant::now();
    let doc = Document::parse(src, format);
    let secs = t.elapsed().as_secs_f64();
    check(src, &doc);
    if std::env::var("RHETOR_DOC_PRINT").is_ok() {
        for s in &doc.sentences {
            let heading = doc.sections[s.section].heading.as_deref().unwrap_or("");
            eprintln!(
                "[{}:{}] {}..{} {:?}",
                s.section,
                heading.chars().take(20).collect::<String>(),
                s.start,
                s.end,
                doc.sentence_text(s)
            );
        }
    }
    eprintln!(
        "{path}: {:?}, {:.1} MB in {secs:.3} s, {} blocks, {} sections, {} sentences",
        format,
        src.len() as f64 / 1e6,
        doc.blocks.len(),
        doc.sections.len(),
        doc.sentences.len()
    );
}
