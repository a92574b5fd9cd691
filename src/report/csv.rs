//! CSV: one row per sentence, with its section, tone, model scores and per-category counts and
//! rates per 100 words.

use super::{Printer, Report, SentenceReport};
use crate::aggregate::{Keyed, PerCategory, Tone, Totals, rate_per_100, round};
use crate::document::{Document, Sentence};
use crate::pipeline::{Chunks, SentenceAnalysis};
use crate::tag::Category;
use std::io;

pub struct CsvPrinter {
    /// Write text cells as they are, formula-like starts included ([`neutralise`]).
    pub raw: bool,
}

/// The text a [`neutralise`]d cell stood for (rhetor reading its own CSVs back: `compare`,
/// `--resume`): a leading `'` before a formula character is dropped.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A text cell made safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return would be read as a formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`),
/// so it gets a leading `'`, as OWASP's CSV-injection advice says. Numbers are written by
/// [`RowWriter::num`] and never pass through here. JSON and the other formats keep raw text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Column names, shared with the batch runner's sentences.csv.
pub fn sentence_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "sentence",
        "section",
        "heading",
        "start",
        "end",
        "words",
        "tone",
        "tone_reason",
        "sentiment",
        "uncertainty",
        "bias",
    ]
    .map(String::from)
    .to_vec();
    h.extend(Category::ALL.iter().map(|c| format!("{c}_count")));
    h.extend(Category::ALL.iter().map(|c| format!("{c}_rate")));
    h.push("text".into());
    h
}

/// A CSV writer that takes a record field by field, straight into a byte buffer. It writes
/// exactly what `csv::Writer` writes by default (fields quoted only when they hold a comma, a
/// quote or a line break, quotes doubled, records ended by `\n`; tested equal), without its
/// per-byte state machine and per-field bookkeeping: a sentence row is some thirty short
/// fields, and `csv::Writer` was a tenth of a rules-only CSV run. Numbers never need quotes and
/// are written as digits.
pub struct RowWriter<W: io::Write> {
    out: W,
    buf: Vec<u8>,
    /// Where the current record starts in `buf`.
    record_start: usize,
    /// No field written yet in the current record.
    at_record_start: bool,
    /// Text cells as they are, not [`neutralise`]d.
    raw: bool,
}

/// Bytes buffered before they are handed to the output.
const FLUSH_AT: usize = 1 << 16;

impl<W: io::Write> RowWriter<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            record_start: 0,
            at_record_start: true,
            raw: false,
        }
    }

    /// Writes text cells as they are (`--csv-raw`), formula-like starts included.
    pub fn raw(mut self, raw: bool) -> Self {
        self.raw = raw;
        self
    }

    /// The comma before every field but the first.
    fn separate(&mut self) {
        if !self.at_record_start {
            self.buf.push(b',');
        }
        self.at_record_start = false;
    }

    pub fn text(&mut self, s: &str) -> csv::Result<()> {
        self.separate();
        let safe;
        let s = if self.raw || !s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            s
        } else {
            safe = neutralise(s);
            &safe
        };
        let bytes = s.as_bytes();
        let needs_quotes = if bytes.len() < 32 {
            // Short cells (most of a row) are checked byte by byte: a SIMD search costs more
            // to set up than it saves on them.
            bytes
                .iter()
                .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        } else {
            memchr::memchr3(b',', b'"', b'\n', bytes).is_some()
                || memchr::memchr(b'\r', bytes).is_some()
        };
        if needs_quotes {
            self.buf.push(b'"');
            for part in bytes.split_inclusive(|&b| b == b'"') {
                self.buf.extend_from_slice(part);
                if part.ends_with(b"\"") {
                    self.buf.push(b'"');
                }
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(bytes);
        }
        Ok(())
    }

    /// A number as `Display` writes it (`2`, `0.3333`).
    pub fn num(&mut self, x: impl Number) -> csv::Result<()> {
        self.separate();
        x.write_to(&mut self.buf);
        Ok(())
    }

    /// A number, or an empty cell.
    pub fn opt(&mut self, x: Option<impl Number>) -> csv::Result<()> {
        match x {
            Some(x) => self.num(x),
            None => self.text(""),
        }
    }

    /// Ends the record.
    pub fn end(&mut self) -> csv::Result<()> {
        if self.buf.len() == self.record_start {
            // A record of one empty field is written `""`, as csv does, so that it reads back
            // as a field rather than as a blank line.
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        self.at_record_start = true;
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.record_start = self.buf.len();
        Ok(())
    }

    /// A writer whose first record is [`sentence_header`].
    pub fn with_header(out: W, raw: bool) -> csv::Result<Self> {
        let mut w = Self::new(out).raw(raw);
        for name in sentence_header() {
            w.text(&name)?;
        }
        w.end()?;
        Ok(w)
    }

    /// Hands the rest of the buffer to the output and returns it.
    pub fn into_inner(mut self) -> csv::Result<W> {
        self.out.write_all(&self.buf)?;
        Ok(self.out)
    }
}

/// A number a CSV cell holds, written exactly as `Display` writes it but without the
/// formatting machinery: most cells of a sentence row are counts and rates of 0, and formatting
/// them through `write!` was a tenth of a rules-only CSV run.
pub trait Number: Copy {
    fn write_to(self, out: &mut Vec<u8>);
}

impl Number for usize {
    fn write_to(self, out: &mut Vec<u8>) {
        out.extend_from_slice(itoa::Buffer::new().format(self).as_bytes());
    }
}

impl Number for u64 {
    fn write_to(self, out: &mut Vec<u8>) {
        out.extend_from_slice(itoa::Buffer::new().format(self).as_bytes());
    }
}

impl<T: Number> Number for &T {
    fn write_to(self, out: &mut Vec<u8>) {
        (*self).write_to(out);
    }
}

impl Number for f64 {
    fn write_to(self, out: &mut Vec<u8>) {
        // Whole numbers (0 above all) print as integers, as `Display` prints them.
        if self.fract() == 0.0 && self.abs() < 1e15 {
            if self.is_sign_negative() {
                out.push(b'-');
            }
            (self.abs() as u64).write_to(out);
        } else {
            use std::io::Write as _;
            let _ = write!(out, "{self}");
        }
    }
}

/// What a sentence row shows, borrowed from a built [`Report`] or from a streamed analysis:
/// one row layout for both.
pub struct SentenceRow<'a> {
    pub id: usize,
    pub section: usize,
    pub heading: &'a str,
    pub start: usize,
    pub end: usize,
    pub words: usize,
    pub tone: Tone,
    pub tone_reason: &'a str,
    /// Empty when the model is off.
    pub sentiment: &'static str,
    pub uncertainty: Option<f64>,
    pub bias: Option<f64>,
    pub counts: PerCategory<usize>,
    pub text: &'a str,
}

impl<'a> SentenceRow<'a> {
    /// The row of a sentence in a built report.
    pub fn of_report(report: &'a Report, s: &'a SentenceReport) -> Self {
        Self {
            id: s.id,
            section: s.section,
            heading: report
                .sections
                .get(s.section)
                .and_then(|sec| sec.heading.as_deref())
                .unwrap_or_default(),
            start: s.start,
            end: s.end,
            words: s.words,
            tone: s.tone,
            tone_reason: &s.tone_reason,
            sentiment: s.sentiment.as_ref().map_or("", |x| x.label),
            uncertainty: s.uncertainty,
            bias: s.bias,
            counts: Keyed::from_fn(|c| s.findings.iter().filter(|f| f.category == c).count()),
            text: &s.text,
        }
    }

    /// The row of an analysed sentence, straight from the pipeline (numbers rounded as the
    /// report rounds them).
    pub fn of_analysis(doc: &'a Document, s: &'a Sentence, a: &'a SentenceAnalysis) -> Self {
        let scores = a.scores.as_ref();
        Self {
            id: s.id,
            section: s.section,
            heading: doc.sections[s.section]
                .heading
                .as_deref()
                .unwrap_or_default(),
            start: s.start,
            end: s.end,
            words: a.words,
            tone: a.tone,
            tone_reason: &a.tone_reason,
            sentiment: scores.map_or("", |sc| sc.sentiment_label()),
            uncertainty: scores.map(|sc| round(sc.uncertainty as f64)),
            bias: scores.map(|sc| round(sc.bias as f64)),
            counts: Keyed::from_fn(|c| a.findings.iter().filter(|f| f.category == c).count()),
            text: doc.sentence_text(s),
        }
    }
}

/// One sentence's row, matching [`sentence_header`], after the `lead` cells (batch puts the
/// document id first).
pub fn write_sentence_row<W: io::Write>(
    w: &mut RowWriter<W>,
    lead: &[&str],
    row: &SentenceRow<'_>,
) -> csv::Result<()> {
    for cell in lead {
        w.text(cell)?;
    }
    w.num(row.id)?;
    w.num(row.section)?;
    w.text(row.heading)?;
    w.num(row.start)?;
    w.num(row.end)?;
    w.num(row.words)?;
    w.text(row.tone.as_str())?;
    w.text(row.tone_reason)?;
    w.text(row.sentiment)?;
    w.opt(row.uncertainty)?;
    w.opt(row.bias)?;
    for k in row.counts.values() {
        w.num(k)?;
    }
    for k in row.counts.values() {
        w.num(rate_per_100(*k, row.words))?;
    }
    w.text(row.text)?;
    w.end()
}

impl Printer for CsvPrinter {
    fn print(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let mut w = RowWriter::with_header(out, self.raw)?;
        for s in &report.sentences {
            write_sentence_row(&mut w, &[], &SentenceRow::of_report(report, s))?;
        }
        w.into_inner()?.flush()
    }
}

/// Prints the rows of `doc` as `chunks` analyse it, each chunk dropped once printed, so memory
/// stays at the document plus one chunk however long the input (the whole-report path held
/// about 19 bytes per input byte). Returns the document's totals, for `--fail-on`.
pub fn print_streamed(
    doc: &Document,
    chunks: Chunks<'_>,
    out: &mut dyn io::Write,
    raw: bool,
) -> io::Result<Totals> {
    let mut w = RowWriter::with_header(out, raw)?;
    let mut totals = Totals::default();
    for chunk in chunks {
        let sentences = &doc.sentences[chunk.first..chunk.first + chunk.sentences.len()];
        for (s, a) in sentences.iter().zip(&chunk.sentences) {
            let row = SentenceRow::of_analysis(doc, s, a);
            totals.add(row.words, &row.counts);
            write_sentence_row(&mut w, &[], &row)?;
        }
    }
    w.into_inner()?.flush()?;
    Ok(totals)
}

#[cfg(test)]
mod formula_tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_restored() {
        for cell in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let safe = neutralise(cell);
            assert_eq!(safe, format!("'{cell}"));
            assert_eq!(restore(&safe), cell);
        }
        assert_eq!(neutralise("Plain text"), "Plain text");
        assert_eq!(restore("'quoted on purpose"), "'quoted on purpose");
        let mut w = RowWriter::new(Vec::new());
        w.text("=1+1").unwrap();
        w.num(-2.5).unwrap();
        w.end().unwrap();
        assert_eq!(w.into_inner().unwrap(), b"'=1+1,-2.5\n");
        let mut raw = RowWriter::new(Vec::new()).raw(true);
        raw.text("=1+1").unwrap();
        raw.end().unwrap();
        assert_eq!(raw.into_inner().unwrap(), b"=1+1\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SourceFormat;
    use crate::pipeline::Analyzer;
    use crate::report::{BuildInfo, build_without_targets};
    use crate::rules::RuleSet;
    use proptest::strategy::Strategy as _;

    /// Paragraphs of cue-bearing sentences, long enough to span several analysis chunks.
    fn long_column() -> String {
        let sentences = [
            "Officials say the landmark plan may well work.",
            "It is clearly the best, most vital reform in decades.",
            "“We will win,” said Gen. Ayesha Rahman of the U.S. Army.",
            "Some critics believe it could perhaps fail by May.",
            "According to one senior diplomat, the talks were a disaster.",
        ];
        let mut text = String::from("# A Long Column\n\n## First part\n\n");
        for i in 0..1500 {
            text.push_str(sentences[i % sentences.len()]);
            text.push_str(if i % 7 == 6 { "\n\n" } else { " " });
            if i == 800 {
                text.push_str("\n\n## Second part\n\n");
            }
        }
        text
    }

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        let floats = [
            0.0,
            -0.0,
            1.0,
            2.0,
            -3.0,
            0.3333,
            0.0001,
            12.5,
            1e14,
            1e15,
            1e300,
            -0.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in floats {
            let mut s = Vec::new();
            x.write_to(&mut s);
            assert_eq!(s, format!("{x}").into_bytes(), "{x:?}");
        }
        for x in [0usize, 7, 10, 123_456_789, usize::MAX] {
            let mut s = Vec::new();
            x.write_to(&mut s);
            assert_eq!(s, x.to_string().into_bytes());
        }
    }

    /// A cell of a test record: text, or a number written as `Display` writes it.
    #[derive(Debug, Clone)]
    enum Cell {
        Text(String),
        Count(usize),
        Rate(f64),
    }

    /// The records written by [`RowWriter`] and by `csv::Writer` with its defaults.
    fn both_ways(records: &[Vec<Cell>]) -> (String, String) {
        // raw: the csv crate writes text cells as they are
        let mut ours = RowWriter::new(Vec::new()).raw(true);
        let mut theirs = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for record in records {
            let mut fields = Vec::new();
            for cell in record {
                match cell {
                    Cell::Text(t) => {
                        ours.text(t).unwrap();
                        fields.push(t.clone());
                    }
                    Cell::Count(n) => {
                        ours.num(*n).unwrap();
                        fields.push(n.to_string());
                    }
                    Cell::Rate(x) => {
                        ours.num(*x).unwrap();
                        fields.push(x.to_string());
                    }
                }
            }
            ours.end().unwrap();
            theirs.write_record(&fields).unwrap();
        }
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        (
            text(ours.into_inner().unwrap()),
            text(theirs.into_inner().unwrap()),
        )
    }

    #[test]
    fn rows_are_written_as_the_csv_crate_writes_them() {
        let t = |s: &str| Cell::Text(s.into());
        let records = vec![
            vec![t("plain"), Cell::Count(3), Cell::Rate(0.25), t("")],
            vec![
                t("a, comma"),
                t("say \"no\""),
                t("two\nlines"),
                t("cr\rhere"),
            ],
            vec![t("")],
            vec![t(""), t("")],
            vec![t("“curly” — ‘quotes’"), Cell::Rate(-0.0), Cell::Rate(1e300)],
            vec![t("\"")],
        ];
        let (ours, theirs) = both_ways(&records);
        assert_eq!(ours, theirs);
        // Many records: the buffer is handed on in pieces.
        let many: Vec<Vec<Cell>> = (0..20_000)
            .map(|i| {
                vec![
                    Cell::Count(i),
                    t("a \"quoted\", long field"),
                    Cell::Rate(i as f64 / 7.0),
                ]
            })
            .collect();
        let (ours, theirs) = both_ways(&many);
        assert!(ours.len() > 2 * FLUSH_AT);
        assert_eq!(ours, theirs);
    }

    proptest::proptest! {
        #[test]
        fn any_records_are_written_as_the_csv_crate_writes_them(
            records in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        r#"[a-z ,"\r\n“’é]{0,60}"#.prop_map(Cell::Text),
                        proptest::num::usize::ANY.prop_map(Cell::Count),
                        proptest::num::f64::ANY.prop_map(Cell::Rate),
                    ],
                    1..6,
                ),
                0..8,
            )
        ) {
            let (ours, theirs) = both_ways(&records);
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn streamed_rows_equal_the_rows_of_a_built_report() {
        let source = long_column();
        let analyzer = Analyzer::new(RuleSet::builtin().unwrap(), None);
        let analysis = analyzer.analyse(&source, SourceFormat::Markdown).unwrap();
        assert!(analysis.sentences.len() > 1500, "several chunks");
        let info = BuildInfo {
            path: None,
            format: SourceFormat::Markdown,
            rules_hash: String::new(),
            targets: &[],
        };
        let report = build_without_targets(&analysis, &source, info);
        let mut built = Vec::new();
        CsvPrinter { raw: false }
            .print(&report, &mut built)
            .unwrap();

        let doc = Document::parse(&source, SourceFormat::Markdown);
        let mut streamed = Vec::new();
        let totals =
            print_streamed(&doc, analyzer.chunks(&doc).unwrap(), &mut streamed, false).unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(built).unwrap()
        );
        // The totals give `--fail-on` the document's own rates.
        assert_eq!(totals.rates(), report.summary.rates_per_100_words);
        assert_eq!(totals.words, report.summary.words);
        assert!(totals.counts.values().sum::<usize>() > 1000);
    }
}
