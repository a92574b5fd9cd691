//! The corpus runner behind `rhetor batch`: streams a CSV file or a directory of columns
//! through the [`Analyzer`] in parallel, chunk by chunk, and writes spreadsheet-ready CSV.
//!
//! Guarantees (tested in tests/batch.rs):
//! - every input row of the shard ends in exactly one of documents.csv and errors.csv;
//! - rows are written in input order, whole, flushed per chunk; a killed run leaves only
//!   complete rows (plus, at worst, a partial last line that `--resume` cuts);
//! - `--resume` finishes an interrupted run without redoing or duplicating a row;
//! - `--shard I/N` assigns rows by a fixed hash of the id ([`shard_of`]), so N shard runs
//!   together hold exactly the rows of one unsharded run;
//! - memory is bounded by the chunk size, not the corpus (only the set of ids seen, for
//!   duplicate detection, grows with it).

pub mod input;
pub mod lock;
pub mod output;

use crate::document::{self, SourceFormat};
use crate::pipeline::Analyzer;
use crate::report::{self, BuildInfo};
use anyhow::{Context, bail};
use input::{CsvColumns, Item, Source, Work};
use output::{Outputs, Rows};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Version of the batch directory layout (files, columns, manifest).
pub const BATCH_FORMAT: u32 = 1;

/// Rows analysed together before their output is written. Bounds memory; a kill loses at
/// most one chunk of work.
pub const DEFAULT_CHUNK: usize = 256;

/// `--shard I/N`: this run takes the rows whose id hashes to I modulo N.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}`: expected I/N with 0 ≤ I < N, e.g. 0/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = i.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Self { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// 64-bit FNV-1a: fixed, platform-independent, unlike std's randomised hasher.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The shard a row belongs to: `fnv1a64(key) mod count`, the key being the row's id (or
/// `#row<N>` for a row too broken to have one).
pub fn shard_of(key: &str, count: u64) -> u64 {
    fnv1a64(key.as_bytes()) % count
}

/// How the run was configured; recorded in the manifest and checked on `--resume`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub id_column: Option<String>,
    pub text_column: String,
    pub author_column: String,
    pub author_from: Option<String>,
    pub input_format: Option<String>,
    pub max_bytes: u64,
    pub no_model: bool,
    /// CSV text cells written as they are (`--csv-raw`), not neutralised against formulas.
    #[serde(default)]
    pub csv_raw: bool,
    pub rules: Vec<String>,
    pub only: Vec<String>,
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Input rows read, all shards (CSV records after the header, or files).
    pub rows_read: u64,
    /// Rows that belong to this shard (all of them when unsharded) = documents + errors.
    pub rows_in_shard: u64,
    /// Rows left to the other shards.
    pub other_shards: u64,
    pub documents: u64,
    pub errors: u64,
    /// Directory input: files skipped (hidden, or not .txt/.md/.html).
    pub ignored_files: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestInput {
    pub path: String,
    pub kind: String,
}

/// manifest.json.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub rhetor_version: String,
    /// The report schema the rows follow.
    pub schema_version: u32,
    pub batch_format: u32,
    /// `running` while rows are being written, `complete` when every row is accounted for.
    pub status: String,
    pub input: ManifestInput,
    pub settings: Settings,
    pub rules_hash: String,
    pub rules: usize,
    /// Model id (name and content hash); null when rules-only.
    pub model: Option<String>,
    pub shard: Option<Shard>,
    pub shard_assignment: String,
    pub row_numbering: String,
    /// Columns carried from the input into documents.csv (after `id` and `row`).
    pub carried_columns: Vec<String>,
    pub counts: Counts,
}

impl Manifest {
    pub fn read(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(output::MANIFEST);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{}: cannot read (is this a `rhetor batch` output directory?)",
                path.display()
            )
        })?;
        serde_json::from_str(&text)
            .with_context(|| format!("{}: not a batch manifest", path.display()))
    }

    fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        output::write_atomic(&dir.join(output::MANIFEST), text.as_bytes())
    }
}

/// Everything `rhetor batch` needs besides the analyser.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub input: PathBuf,
    pub out: PathBuf,
    pub columns: CsvColumns,
    pub author_from_dir: bool,
    /// Worker threads; 0 = one per core.
    pub jobs: usize,
    pub shard: Option<Shard>,
    pub resume: bool,
    pub max_bytes: u64,
    pub input_format: Option<SourceFormat>,
    pub progress: bool,
    pub chunk_size: usize,
    pub settings: Settings,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct BatchOutcome {
    pub counts: Counts,
    /// Rows found already done by an earlier run (`--resume`).
    pub resumed_rows: u64,
    pub new_documents: u64,
    pub new_errors: u64,
    pub seconds: f64,
}

/// Runs a batch. Per-row problems become errors.csv rows; only problems with the input as a
/// whole, the output directory or the configuration are errors here.
pub fn run(analyzer: &Analyzer, opts: &BatchOptions) -> anyhow::Result<BatchOutcome> {
    let started = Instant::now();
    let mut source = Source::open(
        &opts.input,
        &opts.columns,
        opts.author_from_dir,
        opts.max_bytes,
    )?;
    let carried = source.carried().to_vec();
    let mut manifest = Manifest {
        tool: "rhetor".into(),
        rhetor_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: report::SCHEMA_VERSION,
        batch_format: BATCH_FORMAT,
        status: "running".into(),
        input: ManifestInput {
            path: opts.input.display().to_string(),
            kind: source.kind().into(),
        },
        settings: opts.settings.clone(),
        rules_hash: analyzer.rules().fingerprint(),
        rules: analyzer.rules().rules().len(),
        model: analyzer.model().map(|m| m.id()),
        shard: opts.shard,
        shard_assignment:
            "fnv1a64(id) mod count (FNV-1a, 64-bit, over the id's UTF-8 bytes); a row without an id uses `#row<N>`"
                .into(),
        row_numbering: match source.kind() {
            "csv" => "row: 1-based data row (the header is not counted); line: physical line where the record starts (the header is line 1)".into(),
            _ => "row: 1-based position of the file in the sorted depth-first walk; id: path relative to INPUT".into(),
        },
        carried_columns: carried.clone(),
        counts: Counts::default(),
    };

    // Held until the run returns: a second writer into --out is refused, not interleaved.
    let lock = lock::DirLock::acquire(&opts.out)?;
    if let Some(old) = &lock.took_over {
        eprintln!(
            "rhetor: batch: took over a stale lock in {} ({old})",
            opts.out.display()
        );
    }
    let (mut outputs, done) = if opts.resume && opts.out.join(output::MANIFEST).exists() {
        let old = Manifest::read(&opts.out)?;
        check_compatible(&old, &manifest)?;
        Outputs::resume(&opts.out, &carried)?
    } else {
        (Outputs::create(&opts.out, &carried)?, Default::default())
    };
    manifest.write(&opts.out)?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .context("starting worker threads")?;
    let bar = progress_bar(opts, &source);
    let mut counts = Counts {
        documents: done.documents,
        errors: done.errors,
        ..Counts::default()
    };
    let resumed_rows = done.rows.len() as u64;
    let mut seen: HashMap<String, u64> = done.ids;
    let done_rows = done.rows;
    let (mut new_docs, mut new_errors) = (0u64, 0u64);
    let chunk_size = opts.chunk_size.max(1);
    let mut chunk: Vec<Item> = Vec::with_capacity(chunk_size);
    let mut finished = false;
    while !finished {
        // Fill a chunk with this shard's rows still to do.
        while chunk.len() < chunk_size {
            let Some(mut item) = source.next_item()? else {
                finished = true;
                break;
            };
            counts.rows_read += 1;
            if let Some(s) = opts.shard
                && shard_of(&item.shard_key(), s.count) != s.index
            {
                counts.other_shards += 1;
                continue;
            }
            counts.rows_in_shard += 1;
            if done_rows.contains(&item.row) {
                continue;
            }
            if let Some(id) = &item.id {
                if let Some(first) = seen.get(id) {
                    if !matches!(item.work, Work::Fail(_)) {
                        item.work = Work::Fail(format!("duplicate id (first used by row {first})"));
                    }
                } else {
                    seen.insert(id.clone(), item.row);
                }
            }
            chunk.push(item);
        }
        if chunk.is_empty() {
            continue;
        }
        let rows: Vec<Rows> = pool.install(|| {
            std::mem::take(&mut chunk)
                .into_par_iter()
                .map(|item| process(analyzer, opts, item, &manifest.rules_hash))
                .collect()
        });
        outputs.write_chunk(&rows)?;
        for r in &rows {
            if r.errors.is_empty() {
                new_docs += 1;
            } else {
                new_errors += 1;
            }
        }
        bar.set_position(source.progress());
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        bar.set_message(format!(
            "{} docs · {:.0} docs/s · {} errors",
            new_docs,
            new_docs as f64 / secs,
            counts.errors + new_errors
        ));
    }
    bar.finish_and_clear();
    outputs.sync()?;
    counts.documents += new_docs;
    counts.errors += new_errors;
    counts.ignored_files = source.ignored();
    if counts.documents + counts.errors != counts.rows_in_shard {
        bail!(
            "internal error: {} rows in the shard but {} documents + {} errors; the output directory {} is inconsistent",
            counts.rows_in_shard,
            counts.documents,
            counts.errors,
            opts.out.display()
        );
    }
    manifest.counts = counts.clone();
    manifest.status = "complete".into();
    manifest.write(&opts.out)?;
    Ok(BatchOutcome {
        counts,
        resumed_rows,
        new_documents: new_docs,
        new_errors,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// A resumed run must use the settings of the run it finishes.
fn check_compatible(old: &Manifest, new: &Manifest) -> anyhow::Result<()> {
    let mut diffs = Vec::new();
    if old.input.path != new.input.path {
        diffs.push(format!("input {} (now {})", old.input.path, new.input.path));
    }
    if old.settings != new.settings {
        diffs.push(format!(
            "settings {} (now {})",
            serde_json::to_string(&old.settings)?,
            serde_json::to_string(&new.settings)?
        ));
    }
    if old.shard != new.shard {
        let s = |s: &Option<Shard>| s.map_or("none".to_string(), |s| s.to_string());
        diffs.push(format!("shard {} (now {})", s(&old.shard), s(&new.shard)));
    }
    if old.rules_hash != new.rules_hash {
        diffs.push("rules (the rule set changed)".into());
    }
    if old.model != new.model {
        diffs.push(format!("model {:?} (now {:?})", old.model, new.model));
    }
    if old.batch_format != new.batch_format || old.schema_version != new.schema_version {
        diffs.push("output format (another rhetor version wrote it)".into());
    }
    if !diffs.is_empty() {
        bail!(
            "cannot resume: the earlier run used different {}; rerun with its settings or use a new --out",
            diffs.join("; ")
        );
    }
    Ok(())
}

fn progress_bar(opts: &BatchOptions, source: &Source) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    if !opts.progress || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (len, unit) = match source {
        Source::Csv(c) => (c.bytes, "{binary_bytes}/{binary_total_bytes}"),
        Source::Dir(_) => (input::DirSource::count(&opts.input), "{pos}/{len} files"),
    };
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let template = format!("{{elapsed_precise}} [{{wide_bar}}] {unit} · {{msg}} · ETA {{eta}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Analyses one item into its output rows. Never fails: every problem is an error row.
fn process(analyzer: &Analyzer, opts: &BatchOptions, item: Item, rules_hash: &str) -> Rows {
    let error_row = |why: String| Rows {
        errors: output::to_csv(
            opts.settings.csv_raw,
            [vec![
                item.id.clone().unwrap_or_default(),
                item.row.to_string(),
                why,
                item.line.map(|l| l.to_string()).unwrap_or_default(),
            ]],
        ),
        ..Rows::default()
    };
    let (bytes, path) = match &item.work {
        Work::Fail(why) => return error_row(why.clone()),
        Work::Text(bytes) => (std::borrow::Cow::Borrowed(bytes.as_slice()), None),
        Work::File(path) => match input::read_file(path, opts.max_bytes) {
            Ok(b) => (std::borrow::Cow::Owned(b), Some(path.as_path())),
            Err(why) => return error_row(why),
        },
    };
    let id = item.id.clone().unwrap_or_default();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        analyse_one(
            analyzer,
            opts,
            &id,
            item.row,
            &item.carried,
            &bytes,
            path,
            rules_hash,
        )
    }));
    match result {
        Ok(Ok(rows)) => rows,
        Ok(Err(why)) => error_row(why),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            error_row(format!(
                "internal error while analysing (please report): {msg}"
            ))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn analyse_one(
    analyzer: &Analyzer,
    opts: &BatchOptions,
    id: &str,
    row: u64,
    carried: &[String],
    bytes: &[u8],
    path: Option<&Path>,
    rules_hash: &str,
) -> Result<Rows, String> {
    let text = match document::decode(bytes) {
        Ok(t) => t,
        Err(document::DecodeError::Empty) => return Err("empty text".into()),
        Err(document::DecodeError::Blank) => return Err("empty text (only whitespace)".into()),
        Err(e) => return Err(e.to_string()),
    };
    let format = opts
        .input_format
        .unwrap_or_else(|| SourceFormat::detect(path, text));
    let analysis = analyzer
        .analyse(text, format)
        .map_err(|e| format!("analysis failed: {e:#}"))?;
    // The batch files carry no targets: skip detecting them.
    let report = report::build_without_targets(
        &analysis,
        text,
        BuildInfo {
            path: Some(id.to_string()),
            format,
            rules_hash: rules_hash.to_string(),
            targets: &[],
        },
    );
    let sentences = output::rows_csv(opts.settings.csv_raw, |w| {
        report.sentences.iter().try_for_each(|s| {
            let row = report::csv::SentenceRow::of_report(&report, s);
            report::csv::write_sentence_row(w, &[id], &row)
        })
    });
    let findings = output::rows_csv(opts.settings.csv_raw, |w| {
        report.sentences.iter().try_for_each(|s| {
            s.findings
                .iter()
                .try_for_each(|f| output::write_finding_row(w, id, s.id, f))
        })
    });
    Ok(Rows {
        documents: output::rows_csv(opts.settings.csv_raw, |w| {
            output::write_document_row(w, id, row, carried, &report)
        }),
        sections: output::rows_csv(opts.settings.csv_raw, |w| {
            report
                .sections
                .iter()
                .try_for_each(|sec| output::write_section_row(w, id, sec))
        }),
        sentences,
        findings,
        errors: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parsing_and_assignment_are_fixed() {
        assert_eq!("1/3".parse::<Shard>(), Ok(Shard { index: 1, count: 3 }));
        assert!("3/3".parse::<Shard>().is_err());
        assert!("0/0".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        // Published FNV-1a test vectors: the assignment must never change between versions.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(shard_of("foobar", 1), 0);
    }
}
