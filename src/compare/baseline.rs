//! Places one column against a batch corpus (`rhetor analyse FILE --baseline DIR`): its
//! percentile on each rate within the corpus, and within its own writer's columns — "this
//! column is more promotional than 92% of hers".

use super::load;
use super::stats;
use crate::aggregate::{Summary, round};
use crate::report::{Printer, Report};
use crate::tag::Category;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    /// The column's findings per 100 words.
    pub rate: f64,
    /// Percentage of the corpus's documents with a lower rate.
    pub corpus_percentile: f64,
    pub corpus_median: f64,
    /// Percentage of the writer's documents with a lower rate; null without a writer.
    pub author_percentile: Option<f64>,
    pub author_median: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    pub dirs: Vec<String>,
    pub documents: usize,
    /// The writer compared against, when known (`--author`, or the file's directory name when
    /// it names a writer in the corpus).
    pub author: Option<String>,
    pub author_documents: usize,
    pub rates: BTreeMap<Category, Placement>,
    pub notes: Vec<String>,
}

/// Loads the baseline corpus and places a column's summary in it. `author`: the writer given
/// with `--author`; `guess`: a name to try when it is not given (the file's directory name).
pub fn place(
    dirs: &[PathBuf],
    summary: &Summary,
    rules_hash: &str,
    author: Option<&str>,
    guess: Option<&str>,
) -> anyhow::Result<Baseline> {
    let by_author = {
        // Group by author when the corpus has the column; otherwise one group.
        let header =
            crate::batch::output::read_header(&dirs[0].join(crate::batch::output::DOCUMENTS))?;
        header.iter().any(|h| h == "author")
    };
    let corpus = load::load(dirs, by_author.then_some("author"), false)?;
    let mut notes = corpus.notes.clone();
    if corpus.dirs.iter().any(|d| d.rules_hash != rules_hash) {
        notes.push(
            "the baseline was analysed with a different rule set; percentiles compare unlike rates"
                .into(),
        );
    }
    if author.is_some() && !by_author {
        notes.push(
            "the baseline has no `author` column; writer percentiles are not available".into(),
        );
    }
    let author_group = if by_author {
        match author {
            Some(a) => {
                let g = corpus.groups.iter().position(|g| g == a);
                if g.is_none() {
                    notes.push(format!("no documents by `{a}` in the baseline"));
                }
                g
            }
            None => guess.and_then(|a| corpus.groups.iter().position(|g| g == a)),
        }
    } else {
        None
    };
    let docs: Vec<&load::Doc> = corpus.docs.iter().filter(|d| d.words > 0).collect();
    let own: Vec<&load::Doc> = docs
        .iter()
        .copied()
        .filter(|d| Some(d.group) == author_group)
        .collect();
    let words = summary.words as f64;
    let mut rates = BTreeMap::new();
    for (k, c) in Category::ALL.into_iter().enumerate() {
        let rate = if words > 0.0 {
            summary.counts[&c] as f64 * 100.0 / words
        } else {
            0.0
        };
        let sorted = |ds: &[&load::Doc]| {
            let mut v: Vec<f64> = ds.iter().map(|d| d.rates()[k]).collect();
            v.sort_by(f64::total_cmp);
            v
        };
        let all = sorted(&docs);
        let mine = sorted(&own);
        rates.insert(
            c,
            Placement {
                rate: round(rate),
                corpus_percentile: round(stats::percent_below(&all, rate)),
                corpus_median: round(stats::quantile(&all, 0.5)),
                author_percentile: (!mine.is_empty())
                    .then(|| round(stats::percent_below(&mine, rate))),
                author_median: (!mine.is_empty()).then(|| round(stats::quantile(&mine, 0.5))),
            },
        );
    }
    Ok(Baseline {
        dirs: dirs.iter().map(|d| d.display().to_string()).collect(),
        documents: docs.len(),
        author: author_group.map(|g| corpus.groups[g].clone()),
        author_documents: own.len(),
        rates,
        notes,
    })
}

/// The baseline block of the text report.
pub fn text(b: &Baseline, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    match &b.author {
        Some(a) => writeln!(
            out,
            "Against the baseline ({} columns; {} by {a}):",
            b.documents, b.author_documents
        )?,
        None => writeln!(out, "Against the baseline ({} columns):", b.documents)?,
    }
    for (c, p) in &b.rates {
        let mut line = format!(
            "  {:<12} {:>6.2} per 100 words — higher than {:.0}% of the corpus (median {:.2})",
            c.as_str(),
            p.rate,
            p.corpus_percentile.floor(),
            p.corpus_median
        );
        if let (Some(a), Some(pct), Some(med)) = (&b.author, p.author_percentile, p.author_median) {
            let pct = pct.floor();
            line.push_str(&format!(", {pct:.0}% of {a}'s (median {med:.2})"));
        }
        writeln!(out, "{line}")?;
    }
    for n in &b.notes {
        writeln!(out, "  note: {n}")?;
    }
    Ok(())
}

/// `analyse --baseline`: places a report within the corpus in `dirs` (none: no baseline).
/// The writer is `author`, or else the name of the file's directory when the corpus has a
/// writer of that name.
pub fn for_file(
    dirs: &[PathBuf],
    report: &Report,
    file: &str,
    author: Option<&str>,
) -> anyhow::Result<Option<Baseline>> {
    if dirs.is_empty() {
        return Ok(None);
    }
    let guess = std::path::Path::new(file)
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    place(
        dirs,
        &report.summary,
        &report.tool.rules_hash,
        author,
        guess,
    )
    .map(Some)
}

/// A printer that adds the baseline to another: a `baseline` field in JSON, a closing block
/// in text.
pub struct WithBaseline {
    inner: Box<dyn Printer>,
    baseline: Baseline,
    json: bool,
}

/// Wraps `inner` when there is a baseline and the output is JSON or text; other formats
/// (CSV rows per sentence) print unchanged.
pub fn wrap(
    inner: Box<dyn Printer>,
    baseline: Option<Baseline>,
    json: bool,
    text: bool,
) -> Box<dyn Printer> {
    match baseline {
        Some(baseline) if json || text => Box::new(WithBaseline {
            inner,
            baseline,
            json,
        }),
        _ => inner,
    }
}

#[derive(Serialize)]
struct JsonWithBaseline<'a> {
    #[serde(flatten)]
    report: &'a Report,
    baseline: &'a Baseline,
}

impl Printer for WithBaseline {
    fn print(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        if self.json {
            let doc = JsonWithBaseline {
                report,
                baseline: &self.baseline,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            return writeln!(out);
        }
        self.inner.print(report, out)?;
        text(&self.baseline, out)
    }
}
