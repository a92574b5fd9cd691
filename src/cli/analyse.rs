//! `rhetor analyse`: one column in, one report out.

use super::RuleOptions;
use crate::aggregate::PerCategory;
use crate::classify::stance::{self, Scorer};
use crate::document::{self, SourceFormat};
use crate::pipeline::Analyzer;
use crate::report::{self, BuildInfo, Printer, Report};
use crate::tag::Category;
use crate::tag::targets::TargetSpec;
use anyhow::{Context, bail};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Inputs larger than this are refused rather than read: memory stays bounded.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Csv,
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct AnalyseArgs {
    /// The column: a .txt, .md or .html file, or `-` (the default) for stdin.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: String,
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the report here instead of stdout.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// How to read the input (default: from the extension, else sniffed).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<SourceFormat>,
    /// A person, state or institution to track: NAME or NAME=ALIAS,ALIAS; repeatable.
    #[arg(long = "target", value_name = "NAME[=ALIAS,…]")]
    pub targets: Vec<TargetSpec>,
    /// Rules only: skip the classifier (sentiment, uncertainty, bias are null).
    #[arg(long)]
    pub no_model: bool,
    /// CSV: write text cells as they are. By default a cell starting with =, +, -, @, a tab or a
    /// carriage return gets a leading ' so a spreadsheet does not run it as a formula.
    #[arg(long)]
    pub csv_raw: bool,
    #[command(flatten)]
    pub rules: RuleOptions,
    /// Exit with 1 when a category's rate per 100 words exceeds a limit, e.g. `promotional>2.5`;
    /// repeatable or comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CATEGORY>RATE")]
    pub fail_on: Vec<Threshold>,
    /// Colour in text output (auto: only on a terminal, and never when NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Refuse inputs larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES, value_name = "BYTES")]
    pub max_bytes: u64,
    /// Place the column within a `rhetor batch` corpus: its percentile on each rate (repeat
    /// for the shard directories of one run).
    #[arg(long, value_name = "DIR")]
    pub baseline: Vec<PathBuf>,
    /// With --baseline: the writer to compare against [default: the file's directory name,
    /// when a writer in the corpus has it].
    #[arg(long, value_name = "NAME", requires = "baseline")]
    pub author: Option<String>,
}

/// A `--fail-on` limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub category: Category,
    pub rate: f64,
}

impl std::str::FromStr for Threshold {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (cat, rate) = s
            .split_once('>')
            .ok_or_else(|| format!("`{s}`: expected CATEGORY>RATE, e.g. promotional>2.5"))?;
        let category = cat.parse::<Category>()?;
        let rate = rate
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|r| r.is_finite() && *r >= 0.0)
            .ok_or_else(|| format!("`{s}`: rate must be a non-negative number"))?;
        Ok(Self { category, rate })
    }
}

pub fn run(args: AnalyseArgs) -> anyhow::Result<ExitCode> {
    let (bytes, path) = read_input(&args.file, args.max_bytes)?;
    let label = path
        .as_deref()
        .map_or("<stdin>".to_string(), |p| p.display().to_string());
    let source = document::decode(&bytes).with_context(|| label.clone())?;
    let format = args
        .input_format
        .unwrap_or_else(|| SourceFormat::detect(path.as_deref(), source));
    let (rules, taggers) = args.rules.load()?;
    let model = if args.no_model {
        None
    } else {
        Some(std::sync::Arc::new(crate::classify::load_onnx()?))
    };
    let sentence_model = model
        .clone()
        .map(|m| m as std::sync::Arc<dyn crate::classify::SentenceModel>);
    let analyzer = Analyzer::new(rules, sentence_model).with_taggers(taggers);
    if args.format == OutputFormat::Csv {
        return stream_csv(&analyzer, source, format, &args, &label);
    }
    let analysis = analyzer
        .analyse(source, format)
        .with_context(|| label.clone())?;
    let info = BuildInfo {
        path: path.map(|p| p.display().to_string()),
        format,
        rules_hash: analyzer.rules().fingerprint(),
        targets: &args.targets,
    };
    // Targets (detected, and the user's) and the stance toward each, one batched model call.
    let stance = stance::analyse(&analysis.doc, &args.targets, Scorer::of(model.as_deref()))
        .with_context(|| label.clone())?;
    let report = report::build_with_stance(&analysis, source, info, stance);
    let baseline = crate::compare::baseline::for_file(
        &args.baseline,
        &report,
        &args.file,
        args.author.as_deref(),
    )?;
    write_report(&report, &args, baseline)?;
    Ok(verdict(&report.summary.rates_per_100_words, &args.fail_on))
}

/// CSV rows are printed as the pipeline produces them, never built into a whole report: the
/// rows carry no targets or summaries, and memory stays bounded on a 50 MB input.
fn stream_csv(
    analyzer: &Analyzer,
    source: &str,
    format: SourceFormat,
    args: &AnalyseArgs,
    label: &str,
) -> anyhow::Result<ExitCode> {
    if !args.baseline.is_empty() {
        bail!("--baseline adds to json and text output; csv rows have no place for it");
    }
    let doc = document::Document::parse(source, format);
    let chunks = analyzer.chunks(&doc).context(label.to_string())?;
    let mut totals = None;
    with_output(args, |out| {
        totals = Some(report::csv::print_streamed(
            &doc,
            chunks,
            out,
            args.csv_raw,
        )?);
        Ok(())
    })?;
    let rates = totals.unwrap_or_default().rates();
    Ok(verdict(&rates, &args.fail_on))
}

/// Exit code 1, with a message per limit, when the document's rates exceed `--fail-on`.
fn verdict(rates: &PerCategory<f64>, limits: &[Threshold]) -> ExitCode {
    let exceeded = exceeded(rates, limits);
    for line in &exceeded {
        eprintln!("rhetor: {line}");
    }
    if exceeded.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Reads the input, refusing directories and inputs over `max_bytes` without reading them whole.
fn read_input(file: &str, max_bytes: u64) -> anyhow::Result<(Vec<u8>, Option<PathBuf>)> {
    let mut bytes = Vec::new();
    if file == "-" {
        std::io::stdin()
            .lock()
            .take(max_bytes + 1)
            .read_to_end(&mut bytes)
            .context("reading stdin")?;
        check_size(bytes.len() as u64, max_bytes, "<stdin>")?;
        return Ok((bytes, None));
    }
    let path = Path::new(file);
    let meta = std::fs::metadata(path).with_context(|| format!("{file}: cannot read"))?;
    if meta.is_dir() {
        bail!(
            "{file}: is a directory (analyse takes one file; use `rhetor batch` for a directory)"
        );
    }
    check_size(meta.len(), max_bytes, file)?;
    // Sized up front: growing by doublings copied a 50 MB input several times over.
    bytes.reserve_exact(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    std::fs::File::open(path)
        .and_then(|f| f.take(max_bytes + 1).read_to_end(&mut bytes))
        .with_context(|| format!("{file}: cannot read"))?;
    check_size(bytes.len() as u64, max_bytes, file)?;
    Ok((bytes, Some(path.to_path_buf())))
}

fn check_size(len: u64, max: u64, label: &str) -> anyhow::Result<()> {
    if len > max {
        bail!(
            "{label}: input is larger than {max} bytes; raise --max-bytes or split it (e.g. with `rhetor batch`)"
        );
    }
    Ok(())
}

fn write_report(
    report: &Report,
    args: &AnalyseArgs,
    baseline: Option<crate::compare::baseline::Baseline>,
) -> anyhow::Result<()> {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let printer: Box<dyn Printer> = match args.format {
        OutputFormat::Text => Box::new(report::text::TextPrinter { color }),
        OutputFormat::Json => Box::new(report::json::JsonPrinter),
        OutputFormat::Csv => Box::new(report::csv::CsvPrinter { raw: args.csv_raw }),
        OutputFormat::Html => Box::new(report::html::HtmlPrinter),
    };
    let (json, text) = (
        args.format == OutputFormat::Json,
        args.format == OutputFormat::Text,
    );
    let printer = crate::compare::baseline::wrap(printer, baseline, json, text);
    with_output(args, |out| printer.print(report, out))
}

/// Runs `print` on the output `args` name (a file, else stdout), with errors that say which.
fn with_output(
    args: &AnalyseArgs,
    print: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("{}: cannot create", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            print(&mut w)
                .and_then(|_| std::io::Write::flush(&mut w))
                .with_context(|| format!("{}: cannot write", path.display()))
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match print(&mut lock) {
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("writing to stdout"),
            }
        }
    }
}

/// The `--fail-on` limits the document's rates exceed, as messages.
fn exceeded(rates: &PerCategory<f64>, limits: &[Threshold]) -> Vec<String> {
    limits
        .iter()
        .filter_map(|t| {
            let rate = rates[&t.category];
            (rate > t.rate).then(|| {
                format!(
                    "{} rate {rate:.2} per 100 words exceeds --fail-on {}>{}",
                    t.category, t.category, t.rate
                )
            })
        })
        .collect()
}
