//! CSV: one row per sentence, with its section, tone, model scores and per-category counts and
//! rates per 100 words.

use super::{Printer, Report, SentenceReport};
use crate::aggregate::{Keyed, PerCategory, Tone, Totals, rate_per_100, round};
use crate::document::{Document, Sentence};
use crate::pipeline::{Chunks, SentenceAnalysis};
use crate::tag::Category;
use std::io;

pub struct CsvPrinter;

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

/// A CSV writer that takes a record field by field: text as it is, numbers formatted into one
/// reused buffer. A row then costs no allocation; building each row as a `Vec<String>` was a
/// tenth of a rules-only batch run.
pub struct RowWriter<W: io::Write> {
    csv: csv::Writer<W>,
    scratch: String,
}

impl<W: io::Write> RowWriter<W> {
    pub fn new(csv: csv::Writer<W>) -> Self {
        Self {
            csv,
            scratch: String::new(),
        }
    }

    pub fn text(&mut self, s: &str) -> csv::Result<()> {
        self.csv.write_field(s)
    }

    /// A number as `Display` writes it (`2`, `0.3333`).
    pub fn num(&mut self, x: impl Number) -> csv::Result<()> {
        self.scratch.clear();
        x.write_to(&mut self.scratch);
        self.csv.write_field(&self.scratch)
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
        self.csv.write_record(None::<&[u8]>)
    }

    /// A writer whose first record is [`sentence_header`].
    pub fn with_header(out: W) -> csv::Result<Self> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(sentence_header())?;
        Ok(Self::new(csv))
    }

    pub fn into_inner(self) -> csv::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error().into())
    }
}

/// A number a CSV cell holds, written exactly as `Display` writes it but without the
/// formatting machinery: most cells of a sentence row are counts and rates of 0, and formatting
/// them through `write!` was a tenth of a rules-only CSV run.
pub trait Number: Copy {
    fn write_to(self, out: &mut String);
}

impl Number for usize {
    fn write_to(self, out: &mut String) {
        out.push_str(itoa::Buffer::new().format(self));
    }
}

impl Number for u64 {
    fn write_to(self, out: &mut String) {
        out.push_str(itoa::Buffer::new().format(self));
    }
}

impl<T: Number> Number for &T {
    fn write_to(self, out: &mut String) {
        (*self).write_to(out);
    }
}

impl Number for f64 {
    fn write_to(self, out: &mut String) {
        // Whole numbers (0 above all) print as integers, as `Display` prints them.
        if self.fract() == 0.0 && self.abs() < 1e15 {
            if self.is_sign_negative() {
                out.push('-');
            }
            out.push_str(itoa::Buffer::new().format(self.abs() as u64));
        } else {
            use std::fmt::Write as _;
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
        let mut w = RowWriter::with_header(out)?;
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
) -> io::Result<Totals> {
    let mut w = RowWriter::with_header(out)?;
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
mod tests {
    use super::*;
    use crate::document::SourceFormat;
    use crate::pipeline::Analyzer;
    use crate::report::{BuildInfo, build_without_targets};
    use crate::rules::RuleSet;

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
            let mut s = String::new();
            x.write_to(&mut s);
            assert_eq!(s, format!("{x}"), "{x:?}");
        }
        for x in [0usize, 7, 10, 123_456_789, usize::MAX] {
            let mut s = String::new();
            x.write_to(&mut s);
            assert_eq!(s, x.to_string());
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
        CsvPrinter.print(&report, &mut built).unwrap();

        let doc = Document::parse(&source, SourceFormat::Markdown);
        let mut streamed = Vec::new();
        let totals = print_streamed(&doc, analyzer.chunks(&doc).unwrap(), &mut streamed).unwrap();
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
