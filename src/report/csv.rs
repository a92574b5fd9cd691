//! CSV: one row per sentence, with its section, tone, model scores and per-category counts and
//! rates per 100 words.

use super::{Printer, Report};
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
    pub fn num(&mut self, x: impl std::fmt::Display) -> csv::Result<()> {
        use std::fmt::Write as _;
        self.scratch.clear();
        let _ = write!(self.scratch, "{x}");
        self.csv.write_field(&self.scratch)
    }

    /// A number, or an empty cell.
    pub fn opt(&mut self, x: Option<impl std::fmt::Display>) -> csv::Result<()> {
        match x {
            Some(x) => self.num(x),
            None => self.text(""),
        }
    }

    /// Ends the record.
    pub fn end(&mut self) -> csv::Result<()> {
        self.csv.write_record(None::<&[u8]>)
    }

    pub fn into_inner(self) -> csv::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error().into())
    }
}

/// One sentence's row, matching [`sentence_header`], after the `lead` cells (batch puts the
/// document id first).
pub fn write_sentence_row<W: io::Write>(
    w: &mut RowWriter<W>,
    lead: &[&str],
    report: &Report,
    s: &super::SentenceReport,
) -> csv::Result<()> {
    for cell in lead {
        w.text(cell)?;
    }
    let heading = report
        .sections
        .get(s.section)
        .and_then(|sec| sec.heading.as_deref())
        .unwrap_or_default();
    w.num(s.id)?;
    w.num(s.section)?;
    w.text(heading)?;
    w.num(s.start)?;
    w.num(s.end)?;
    w.num(s.words)?;
    w.text(s.tone.as_str())?;
    w.text(&s.tone_reason)?;
    w.text(s.sentiment.as_ref().map_or("", |x| x.label))?;
    w.opt(s.uncertainty)?;
    w.opt(s.bias)?;
    let counts: crate::aggregate::PerCategory<usize> =
        crate::aggregate::Keyed::from_fn(|c| s.findings.iter().filter(|f| f.category == c).count());
    for k in counts.values() {
        w.num(k)?;
    }
    for k in counts.values() {
        let rate = if s.words == 0 {
            0.0
        } else {
            crate::aggregate::round(*k as f64 * 100.0 / s.words as f64)
        };
        w.num(rate)?;
    }
    w.text(&s.text)?;
    w.end()
}

impl Printer for CsvPrinter {
    fn print(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(sentence_header())?;
        let mut w = RowWriter::new(csv);
        for s in &report.sentences {
            write_sentence_row(&mut w, &[], report, s)?;
        }
        w.into_inner()?.flush()
    }
}
