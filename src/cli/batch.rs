//! `rhetor batch`: a corpus in, spreadsheet-ready CSV out (see [`crate::batch`]).

use super::RuleOptions;
use crate::batch::{self, BatchOptions, Settings, Shard, input::CsvColumns};
use crate::document::SourceFormat;
use crate::pipeline::Analyzer;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthorFrom {
    /// The name of the directory holding the file (`Alice/col1.txt` → `Alice`).
    Dir,
}

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// A CSV file (a header row, one column per row) or a directory of .txt/.md/.html files.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// Output directory (created): documents.csv, sections.csv, sentences.csv, findings.csv,
    /// errors.csv, manifest.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// CSV column with the document id [default: `id` when present, else the row number].
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// CSV column with the text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_column: String,
    /// CSV column with the writer; written to documents.csv as `author`.
    #[arg(long, value_name = "NAME", default_value = "author")]
    pub author_column: String,
    /// Directory input: where the author comes from.
    #[arg(long, value_enum, value_name = "FROM")]
    pub author_from: Option<AuthorFrom>,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// Take only the rows whose id hashes to I modulo N (I = 0..N-1), for array jobs.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Finish an interrupted run in --out: skip rows already in documents.csv or errors.csv.
    #[arg(long)]
    pub resume: bool,
    /// Rules only: skip the classifier (sentiment, uncertainty, bias are empty).
    #[arg(long)]
    pub no_model: bool,
    /// Write CSV text cells as they are. By default a cell starting with =, +, -, @, a tab or a
    /// carriage return gets a leading ' so a spreadsheet does not run it as a formula.
    #[arg(long)]
    pub csv_raw: bool,
    #[command(flatten)]
    pub rules: RuleOptions,
    /// How to read each text (default: from the file extension, else sniffed).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<SourceFormat>,
    /// Refuse (as an error row) any document larger than this many bytes.
    #[arg(long, default_value_t = super::analyse::DEFAULT_MAX_BYTES, value_name = "BYTES")]
    pub max_bytes: u64,
    /// Hide the progress bar (it is hidden anyway when stderr is not a terminal).
    #[arg(long)]
    pub quiet: bool,
    /// Rows analysed together between writes.
    #[arg(long, default_value_t = batch::DEFAULT_CHUNK, value_name = "ROWS", hide = true)]
    pub chunk_size: usize,
}

pub fn run(args: BatchArgs) -> anyhow::Result<ExitCode> {
    let (rules, taggers) = args.rules.load()?;
    // One model, loaded once and shared by every worker thread, exactly as `analyse` loads it.
    let model = if args.no_model {
        None
    } else {
        Some(crate::classify::load_default()?)
    };
    let analyzer = Analyzer::new(rules, model).with_taggers(taggers);
    let settings = Settings {
        id_column: args.id_column.clone(),
        text_column: args.text_column.clone(),
        author_column: args.author_column.clone(),
        author_from: args.author_from.map(|_| "dir".to_string()),
        input_format: args.input_format.map(|f| format!("{f:?}").to_lowercase()),
        max_bytes: args.max_bytes,
        no_model: args.no_model,
        csv_raw: args.csv_raw,
        rules: args
            .rules
            .rules
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        only: args.rules.only.clone(),
        ignore: args.rules.ignore.clone(),
    };
    let opts = BatchOptions {
        input: args.input.clone(),
        out: args.out.clone(),
        columns: CsvColumns {
            id: args.id_column,
            text: args.text_column,
            author: args.author_column,
        },
        author_from_dir: args.author_from == Some(AuthorFrom::Dir),
        jobs: args.jobs,
        shard: args.shard,
        resume: args.resume,
        max_bytes: args.max_bytes,
        input_format: args.input_format,
        progress: !args.quiet,
        chunk_size: args.chunk_size,
        settings,
    };
    let outcome = batch::run(&analyzer, &opts)?;
    let c = &outcome.counts;
    let shard = opts
        .shard
        .map(|s| format!(" (shard {s}: {} of {} rows)", c.rows_in_shard, c.rows_read))
        .unwrap_or_default();
    let resumed = if outcome.resumed_rows > 0 {
        format!(", {} already done", outcome.resumed_rows)
    } else {
        String::new()
    };
    eprintln!(
        "rhetor: batch: {} rows{shard}{resumed}: {} documents, {} errors; {} new in {:.1} s ({:.0} docs/s) → {}",
        c.rows_in_shard,
        c.documents,
        c.errors,
        outcome.new_documents + outcome.new_errors,
        outcome.seconds,
        outcome.new_documents as f64 / outcome.seconds.max(1e-9),
        opts.out.display()
    );
    if c.errors > 0 {
        eprintln!(
            "rhetor: batch: {} rows could not be analysed; see {}",
            c.errors,
            opts.out.join(batch::output::ERRORS).display()
        );
        // Per-row errors are counted, never fatal, and change the exit code (as ripgrep does).
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
