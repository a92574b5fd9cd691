//! The batch output directory: five CSV files and manifest.json.
//!
//! Crash safety: each chunk's rows are written whole and flushed, child files (sections,
//! sentences, findings) before errors.csv and documents.csv. A kill can therefore leave (a) a
//! partial last record in any file and (b) child rows of documents that never reached
//! documents.csv — always at the end of a child file. [`Outputs::resume`] removes both, then
//! reports which rows are done.

use crate::aggregate::{Summary, Tone, round};
use crate::report::csv::RowWriter;
use crate::report::{FindingReport, Report, SectionReport};
use crate::tag::{Category, SourceKind};
use anyhow::{Context, bail};
use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub const DOCUMENTS: &str = "documents.csv";
pub const SECTIONS: &str = "sections.csv";
pub const SENTENCES: &str = "sentences.csv";
pub const FINDINGS: &str = "findings.csv";
pub const ERRORS: &str = "errors.csv";
pub const MANIFEST: &str = "manifest.json";

/// Model score columns of documents.csv (empty with `--no-model`).
pub const SCORE_COLUMNS: [&str; 6] = [
    "sentiment_negative_mean",
    "sentiment_neutral_mean",
    "sentiment_positive_mean",
    "uncertainty_mean",
    "bias_mean",
    "biased_share",
];

/// The metric columns of documents.csv, after `id`, `row` and the carried columns.
pub fn metric_columns() -> Vec<String> {
    let mut h: Vec<String> = vec!["words".into(), "sentences".into(), "bytes".into()];
    h.extend(Category::ALL.iter().map(|c| format!("{c}_count")));
    h.extend(Category::ALL.iter().map(|c| format!("{c}_rate")));
    h.extend(Category::ALL.iter().map(|c| format!("{c}_share")));
    h.push("certainty_balance".into());
    h.extend(
        [
            "sources_named",
            "sources_anonymous",
            "sources_vague",
            "sources_authority",
            "named_share",
        ]
        .map(String::from),
    );
    h.extend(
        Tone::ALL
            .iter()
            .map(|t| format!("tone_{}_share", t.as_str())),
    );
    h.extend(SCORE_COLUMNS.map(String::from));
    h
}

/// Names a carried input column may not take (they are renamed `input_NAME`).
pub fn is_reserved(name: &str) -> bool {
    name == "id" || name == "row" || metric_columns().iter().any(|c| c == name)
}

pub fn documents_header(carried: &[String]) -> Vec<String> {
    let mut h = vec!["id".to_string(), "row".to_string()];
    h.extend(carried.iter().cloned());
    h.extend(metric_columns());
    h
}

pub fn sections_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "id",
        "section",
        "heading",
        "start",
        "end",
        "sentences",
        "words",
    ]
    .map(String::from)
    .to_vec();
    h.extend(Category::ALL.iter().map(|c| format!("{c}_count")));
    h.extend(Category::ALL.iter().map(|c| format!("{c}_rate")));
    h.push("certainty_balance".into());
    h.extend(
        Tone::ALL
            .iter()
            .map(|t| format!("tone_{}_share", t.as_str())),
    );
    h
}

pub fn sentences_header() -> Vec<String> {
    let mut h = vec!["id".to_string()];
    h.extend(crate::report::csv::sentence_header());
    h
}

pub fn findings_header() -> Vec<String> {
    [
        "id",
        "sentence",
        "finding",
        "rule",
        "category",
        "start",
        "end",
        "text",
        "source",
        "source_kind",
        "authority",
        "verb",
        "message",
    ]
    .map(String::from)
    .to_vec()
}

pub fn errors_header() -> Vec<String> {
    ["id", "row", "error", "line"].map(String::from).to_vec()
}

/// The per-category counts and rates of a summary.
fn summary_cells(w: &mut RowWriter<Vec<u8>>, s: &Summary) -> csv::Result<()> {
    for k in s.counts.values() {
        w.num(k)?;
    }
    for rate in s.rates_per_100_words.values() {
        w.num(rate)?;
    }
    Ok(())
}

/// One documents.csv row.
pub fn write_document_row(
    w: &mut RowWriter<Vec<u8>>,
    id: &str,
    row: u64,
    carried: &[String],
    report: &Report,
) -> csv::Result<()> {
    let s = &report.summary;
    w.text(id)?;
    w.num(row)?;
    for cell in carried {
        w.text(cell)?;
    }
    w.num(s.words)?;
    w.num(s.sentences)?;
    w.num(report.input.bytes)?;
    summary_cells(w, s)?;
    for share in s.sentence_shares.values() {
        w.num(share)?;
    }
    w.opt(s.certainty_balance.map(round))?;
    w.num(s.sources.named)?;
    w.num(s.sources.anonymous)?;
    w.num(s.sources.vague)?;
    w.num(s.sources.appeals_to_authority)?;
    w.opt(
        s.sources
            .named_share
            .map(|(n, d)| round(n as f64 / d as f64)),
    )?;
    for share in s.tone_shares.values() {
        w.num(share)?;
    }
    match &s.model {
        Some(m) => {
            for label in crate::classify::SENTIMENT_LABELS {
                w.num(m.sentiment_mean[label])?;
            }
            w.num(m.uncertainty_mean)?;
            w.num(m.bias_mean)?;
            w.num(m.biased_share)?;
        }
        None => {
            for _ in SCORE_COLUMNS {
                w.text("")?;
            }
        }
    }
    w.end()
}

/// One sections.csv row.
pub fn write_section_row(
    w: &mut RowWriter<Vec<u8>>,
    id: &str,
    sec: &SectionReport,
) -> csv::Result<()> {
    let s = &sec.summary;
    w.text(id)?;
    w.num(sec.index)?;
    w.text(sec.heading.as_deref().unwrap_or_default())?;
    w.num(sec.start)?;
    w.num(sec.end)?;
    w.num(s.sentences)?;
    w.num(s.words)?;
    summary_cells(w, s)?;
    w.opt(s.certainty_balance.map(round))?;
    for share in s.tone_shares.values() {
        w.num(share)?;
    }
    w.end()
}

fn kind_str(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Named => "named",
        SourceKind::Anonymous => "anonymous",
        SourceKind::Vague => "vague",
    }
}

/// One findings.csv row.
pub fn write_finding_row(
    w: &mut RowWriter<Vec<u8>>,
    id: &str,
    sentence: usize,
    f: &FindingReport,
) -> csv::Result<()> {
    w.text(id)?;
    w.num(sentence)?;
    w.num(f.id)?;
    w.text(&f.rule)?;
    w.text(f.category.as_str())?;
    w.num(f.start)?;
    w.num(f.end)?;
    w.text(&f.text)?;
    w.text(
        f.source
            .as_ref()
            .and_then(|s| s.as_deref())
            .unwrap_or_default(),
    )?;
    w.text(f.source_kind.map(kind_str).unwrap_or_default())?;
    w.text(
        f.authority
            .as_ref()
            .and_then(|a| a.as_deref())
            .unwrap_or_default(),
    )?;
    w.text(f.verb.as_deref().unwrap_or_default())?;
    w.text(&f.message)?;
    w.end()
}

/// Rows written by `write` into CSV bytes (writing to memory cannot fail).
pub fn rows_csv(
    raw: bool,
    write: impl FnOnce(&mut RowWriter<Vec<u8>>) -> csv::Result<()>,
) -> Vec<u8> {
    let mut w = RowWriter::new(Vec::new()).raw(raw);
    let _ = write(&mut w);
    w.into_inner().unwrap_or_default()
}

/// A CSV writer into memory, `\n`-terminated, for rows built on worker threads.
pub fn row_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

/// Serialises records to CSV bytes, each cell [`neutralise`]d unless `raw`.
///
/// [`neutralise`]: crate::report::csv::neutralise
pub fn to_csv<I: IntoIterator<Item = Vec<String>>>(raw: bool, rows: I) -> Vec<u8> {
    let mut w = row_writer();
    for r in rows {
        // Writing to a Vec cannot fail.
        if raw {
            let _ = w.write_record(&r);
        } else {
            let _ = w.write_record(
                r.iter()
                    .map(|c| crate::report::csv::neutralise(c).into_owned()),
            );
        }
    }
    w.into_inner().unwrap_or_default()
}

/// The rows one input produced, serialised, ready to append.
#[derive(Debug, Default)]
pub struct Rows {
    pub documents: Vec<u8>,
    pub sections: Vec<u8>,
    pub sentences: Vec<u8>,
    pub findings: Vec<u8>,
    pub errors: Vec<u8>,
}

/// What a previous run already wrote (for `--resume`).
#[derive(Debug, Default)]
pub struct Done {
    pub rows: HashSet<u64>,
    /// Ids already used, with the first row that used each.
    pub ids: HashMap<String, u64>,
    pub documents: u64,
    pub errors: u64,
    /// Bytes removed from the files' ends (partial rows, orphaned child rows).
    pub truncated: u64,
}

/// The open output files.
pub struct Outputs {
    documents: File,
    sections: File,
    sentences: File,
    findings: File,
    errors: File,
}

fn open_append(path: &Path) -> anyhow::Result<File> {
    OpenOptions::new()
        .append(true)
        .open(path)
        .with_context(|| format!("{}: cannot open for writing", path.display()))
}

fn create_with_header(path: &Path, header: &[String]) -> anyhow::Result<File> {
    let mut f = File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    f.write_all(&to_csv(true, [header.to_vec()]))
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(f)
}

impl Outputs {
    /// Starts a fresh output directory; refuses one that already holds batch output.
    pub fn create(dir: &Path, carried: &[String]) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the output directory", dir.display()))?;
        if dir.join(DOCUMENTS).exists() || dir.join(MANIFEST).exists() {
            bail!(
                "{}: already holds batch output; pass --resume to finish that run, or choose another --out",
                dir.display()
            );
        }
        Ok(Self {
            sections: create_with_header(&dir.join(SECTIONS), &sections_header())?,
            sentences: create_with_header(&dir.join(SENTENCES), &sentences_header())?,
            findings: create_with_header(&dir.join(FINDINGS), &findings_header())?,
            errors: create_with_header(&dir.join(ERRORS), &errors_header())?,
            documents: create_with_header(&dir.join(DOCUMENTS), &documents_header(carried))?,
        })
    }

    /// Reopens an interrupted run's directory: cuts partial rows and orphaned child rows,
    /// and returns what is done.
    pub fn resume(dir: &Path, carried: &[String]) -> anyhow::Result<(Self, Done)> {
        let mut done = Done::default();
        let files: [(&str, Vec<String>); 5] = [
            (DOCUMENTS, documents_header(carried)),
            (ERRORS, errors_header()),
            (SECTIONS, sections_header()),
            (SENTENCES, sentences_header()),
            (FINDINGS, findings_header()),
        ];
        for (name, header) in &files {
            let path = dir.join(name);
            done.truncated += prepare(&path, header)?;
        }
        // Rows and ids already accounted for.
        let mut doc_ids = HashSet::new();
        for (name, is_doc) in [(DOCUMENTS, true), (ERRORS, false)] {
            let path = dir.join(name);
            let mut rdr = csv::ReaderBuilder::new()
                .flexible(true)
                .from_path(&path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            let mut rec = csv::ByteRecord::new();
            while rdr
                .read_byte_record(&mut rec)
                .with_context(|| format!("{}: cannot read", path.display()))?
            {
                let id = String::from_utf8_lossy(rec.get(0).unwrap_or_default());
                let id = crate::report::csv::restore(&id).to_string();
                let row = std::str::from_utf8(rec.get(1).unwrap_or_default())
                    .ok()
                    .and_then(|r| r.parse::<u64>().ok())
                    .with_context(|| {
                        format!(
                            "{}: a row without a row number (id `{id}`); is this a rhetor batch directory?",
                            path.display()
                        )
                    })?;
                done.rows.insert(row);
                if is_doc {
                    done.documents += 1;
                    doc_ids.insert(id.clone());
                } else {
                    done.errors += 1;
                }
                if !id.is_empty() {
                    let first = done.ids.entry(id).or_insert(row);
                    *first = (*first).min(row);
                }
            }
        }
        for name in [SECTIONS, SENTENCES, FINDINGS] {
            done.truncated += drop_orphans(&dir.join(name), &doc_ids)?;
        }
        Ok((
            Self {
                documents: open_append(&dir.join(DOCUMENTS))?,
                sections: open_append(&dir.join(SECTIONS))?,
                sentences: open_append(&dir.join(SENTENCES))?,
                findings: open_append(&dir.join(FINDINGS))?,
                errors: open_append(&dir.join(ERRORS))?,
            },
            done,
        ))
    }

    /// Appends one chunk's rows, in order: child files first, then errors and documents, each
    /// flushed, so that a document present in documents.csv has all its child rows on disk.
    pub fn write_chunk(&mut self, chunk: &[Rows]) -> anyhow::Result<()> {
        fn put(f: &mut File, bufs: Vec<&[u8]>, name: &str) -> anyhow::Result<()> {
            let buf: Vec<u8> = bufs.concat();
            if !buf.is_empty() {
                f.write_all(&buf)
                    .and_then(|()| f.flush())
                    .with_context(|| format!("{name}: cannot write"))?;
            }
            Ok(())
        }
        let part = |pick: fn(&Rows) -> &[u8]| chunk.iter().map(pick).collect::<Vec<_>>();
        put(&mut self.sections, part(|r| &r.sections), SECTIONS)?;
        put(&mut self.sentences, part(|r| &r.sentences), SENTENCES)?;
        put(&mut self.findings, part(|r| &r.findings), FINDINGS)?;
        put(&mut self.errors, part(|r| &r.errors), ERRORS)?;
        put(&mut self.documents, part(|r| &r.documents), DOCUMENTS)?;
        Ok(())
    }

    /// Forces the files to disk at the end of a run.
    pub fn sync(&self) -> anyhow::Result<()> {
        for f in [
            &self.sections,
            &self.sentences,
            &self.findings,
            &self.errors,
            &self.documents,
        ] {
            f.sync_all().context("syncing output files")?;
        }
        Ok(())
    }
}

/// Makes `path` a clean CSV file with `header`: cuts a partial last record; creates the file
/// (or rewrites a partial header) when needed; refuses a file with another header. Returns
/// the number of bytes cut.
fn prepare(path: &Path, header: &[String]) -> anyhow::Result<u64> {
    if !path.exists() {
        create_with_header(path, header)?;
        return Ok(0);
    }
    let len = std::fs::metadata(path)?.len();
    let keep = complete_prefix(path)?;
    let want = to_csv(true, [header.to_vec()]);
    if keep < want.len() as u64 {
        // Not even the header is complete.
        create_with_header(path, header)?;
        return Ok(len);
    }
    let mut head = vec![0u8; want.len()];
    File::open(path)?.read_exact(&mut head)?;
    if head != want {
        bail!(
            "{}: its columns differ from what this run writes (the input's columns or the rhetor version changed); use a new --out",
            path.display()
        );
    }
    if keep < len {
        let f = OpenOptions::new().write(true).open(path)?;
        f.set_len(keep)
            .with_context(|| format!("{}: cannot truncate", path.display()))?;
    }
    Ok(len - keep)
}

/// Length of the longest prefix of a CSV file that ends at a record boundary: after a `\n`
/// that is outside quotes. rhetor writes `\n`-terminated RFC 4180 CSV, where a `"` inside a
/// quoted field is doubled, so toggling on every quote tracks the state exactly.
pub fn complete_prefix(path: &Path) -> anyhow::Result<u64> {
    let f = File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut r = BufReader::with_capacity(1 << 16, f);
    let (mut pos, mut last, mut quoted) = (0u64, 0u64, false);
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        for &b in buf {
            pos += 1;
            match b {
                b'"' => quoted = !quoted,
                b'\n' if !quoted => last = pos,
                _ => {}
            }
        }
        let n = buf.len();
        r.consume(n);
    }
    Ok(last)
}

/// Removes child rows whose document is not in documents.csv. By the write order these form a
/// tail, which is cut; should any kept row follow an orphan, the file is rewritten instead.
fn drop_orphans(path: &Path, doc_ids: &HashSet<String>) -> anyhow::Result<u64> {
    let len = std::fs::metadata(path)?.len();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut rec = csv::ByteRecord::new();
    let mut first_orphan: Option<u64> = None;
    let mut interleaved = false;
    loop {
        let at = rdr.position().byte();
        if !rdr.read_byte_record(&mut rec)? {
            break;
        }
        let id = String::from_utf8_lossy(rec.get(0).unwrap_or_default());
        let orphan = !doc_ids.contains(crate::report::csv::restore(&id));
        match (orphan, first_orphan) {
            (true, None) => first_orphan = Some(at),
            (false, Some(_)) => {
                interleaved = true;
                break;
            }
            _ => {}
        }
    }
    let Some(cut) = first_orphan else {
        return Ok(0);
    };
    if !interleaved {
        OpenOptions::new().write(true).open(path)?.set_len(cut)?;
        return Ok(len - cut);
    }
    // Rewrite, keeping only rows of known documents.
    let tmp = path.with_extension("csv.tmp");
    {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_path(path)?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_path(&tmp)?;
        w.write_byte_record(rdr.byte_headers()?)?;
        while rdr.read_byte_record(&mut rec)? {
            let id = String::from_utf8_lossy(rec.get(0).unwrap_or_default());
            if doc_ids.contains(crate::report::csv::restore(&id)) {
                w.write_byte_record(&rec)?;
            }
        }
        w.flush()?;
    }
    std::fs::rename(&tmp, path)?;
    Ok(len.saturating_sub(std::fs::metadata(path)?.len()))
}

/// Writes a file atomically (temporary file, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp: PathBuf = path.with_extension("tmp");
    {
        let mut f =
            File::create(&tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("{}: cannot write", path.display()))
}

/// Reads the header of a CSV file (for readers of batch directories).
pub fn read_header(path: &Path) -> anyhow::Result<Vec<String>> {
    let mut f = File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    f.seek(SeekFrom::Start(0))?;
    let mut rdr = csv::Reader::from_reader(f);
    Ok(rdr
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .iter()
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_prefix_ends_at_a_record_boundary_outside_quotes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.csv");
        let whole = "id,text\n1,\"a \"\"quoted\"\"\nline\"\n";
        // Cut inside a quoted field, right after a newline that is part of the field.
        std::fs::write(&p, format!("{whole}2,\"par\n")).unwrap();
        assert_eq!(complete_prefix(&p).unwrap(), whole.len() as u64);
        std::fs::write(&p, format!("{whole}2,plain")).unwrap();
        assert_eq!(complete_prefix(&p).unwrap(), whole.len() as u64);
        std::fs::write(&p, whole).unwrap();
        assert_eq!(complete_prefix(&p).unwrap(), whole.len() as u64);
    }

    #[test]
    fn documents_header_has_id_row_carried_then_metrics() {
        let h = documents_header(&["author".into(), "outlet".into()]);
        assert_eq!(&h[..5], ["id", "row", "author", "outlet", "words"]);
        assert!(is_reserved("hedge_rate") && is_reserved("row") && !is_reserved("outlet"));
    }
}
