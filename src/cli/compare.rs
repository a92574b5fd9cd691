//! `rhetor compare`: writer (or outlet, year…) profiles from one or more batch directories.

use crate::compare::{self, CompareOptions, print};
use crate::tag::Category;
use anyhow::{Context, bail};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    Text,
    Json,
    Csv,
    Html,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// `rhetor batch` output directories; the shard directories of one run merge exactly.
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,
    /// The documents.csv column to group by (author, outlet, a date column, …).
    #[arg(long, value_name = "COLUMN", default_value = "author")]
    pub by: String,
    #[arg(long, short, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
    /// Write the comparison here instead of stdout.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Rank groups by this category's mean rate.
    #[arg(long, value_name = "CATEGORY", default_value = "promotional")]
    pub sort: Category,
    /// Bootstrap resamples for the confidence intervals.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub resamples: usize,
    /// Distinctive phrases kept per group.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

pub fn run(args: CompareArgs) -> anyhow::Result<ExitCode> {
    if args.resamples == 0 {
        bail!("--resamples must be at least 1");
    }
    let opts = CompareOptions {
        dirs: args.dirs.clone(),
        by: args.by.clone(),
        sort: args.sort,
        resamples: args.resamples,
        top: args.top,
    };
    let report = compare::compare(&opts)?;
    for note in report
        .notes
        .iter()
        .filter(|_| args.format != CompareFormat::Text)
    {
        eprintln!("rhetor: compare: note: {note}");
    }
    let mut buf: Vec<u8> = Vec::new();
    match args.format {
        CompareFormat::Text => print::text(&report, &mut buf)?,
        CompareFormat::Json => print::json(&report, &mut buf)?,
        CompareFormat::Csv => print::csv(&report, &mut buf)?,
        CompareFormat::Html => print::html(&report, &mut buf)?,
    }
    match &args.output {
        Some(path) => std::fs::write(path, &buf)
            .with_context(|| format!("{}: cannot write", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(&buf).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                r => r.context("writing to stdout")?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
