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

/// One sentence's row, matching [`sentence_header`].
pub fn sentence_row(report: &Report, s: &super::SentenceReport) -> Vec<String> {
    let heading = report
        .sections
        .get(s.section)
        .and_then(|sec| sec.heading.clone())
        .unwrap_or_default();
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let mut row = vec![
        s.id.to_string(),
        s.section.to_string(),
        heading,
        s.start.to_string(),
        s.end.to_string(),
        s.words.to_string(),
        s.tone.as_str().to_string(),
        s.tone_reason.clone(),
        s.sentiment
            .as_ref()
            .map(|x| x.label.to_string())
            .unwrap_or_default(),
        opt(s.uncertainty),
        opt(s.bias),
    ];
    let counts: Vec<usize> = Category::ALL
        .iter()
        .map(|c| s.findings.iter().filter(|f| f.category == *c).count())
        .collect();
    row.extend(counts.iter().map(usize::to_string));
    row.extend(counts.iter().map(|k| {
        let rate = if s.words == 0 {
            0.0
        } else {
            crate::aggregate::round(*k as f64 * 100.0 / s.words as f64)
        };
        rate.to_string()
    }));
    row.push(s.text.clone());
    row
}

impl Printer for CsvPrinter {
    fn print(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(sentence_header())?;
        for s in &report.sentences {
            w.write_record(sentence_row(report, s))?;
        }
        w.flush()
    }
}
