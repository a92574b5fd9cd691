//! Printers for [`CompareReport`]: text (a ranked table), JSON, CSV (one row per group).

use super::{CompareReport, GroupReport};
use crate::report::text::safe;
use crate::tag::Category;
use std::io::{self, Write};

pub fn json(report: &CompareReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

fn short(c: Category) -> &'static str {
    match c {
        Category::Promotional => "promo",
        Category::Booster => "boost",
        Category::Intensifier => "intens",
        Category::Hedge => "hedge",
        Category::Weasel => "weasel",
        Category::Attribution => "source",
        Category::Loaded => "loaded",
    }
}

fn fmt_g(g: Option<f64>) -> String {
    g.map_or("–".to_string(), |g| format!("{g:+.2}"))
}

/// A ranked table: the sort category with its interval and effect size, the other categories'
/// means, then each group's most distinctive phrases.
pub fn text(report: &CompareReport, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    let sort = report.sort;
    writeln!(
        out,
        "rhetor compare · {} documents, {} groups by `{}` · ranked by {sort} findings per 100 words",
        report.corpus.documents, report.corpus.groups, report.by
    )?;
    writeln!(
        out,
        "mean of per-document rates; [95% bootstrap CI]; g = Hedges' g against the rest of the corpus"
    )?;
    writeln!(out)?;
    let width = report
        .groups
        .iter()
        .map(|g| safe(&g.name).chars().count())
        .max()
        .unwrap_or(5)
        .clamp(6, 32);
    let others: Vec<Category> = Category::ALL.into_iter().filter(|c| *c != sort).collect();
    write!(
        out,
        "{:>4}  {:<width$} {:>5}  {:>7} {:>17} {:>6}",
        "rank",
        report.by,
        "docs",
        short(sort),
        "95% CI",
        "g"
    )?;
    for c in &others {
        write!(out, " {:>7}", short(*c))?;
    }
    writeln!(out)?;
    for g in &report.groups {
        let name: String = safe(&g.name).chars().take(width).collect();
        let ci = g.ci95.get(&sort).map_or("–".to_string(), |i| {
            format!("[{:.2}, {:.2}]", i.low, i.high)
        });
        write!(
            out,
            "{:>4}  {:<width$} {:>5}  {:>7.2} {:>17} {:>6}",
            g.rank,
            name,
            g.documents,
            g.rates_per_100_words[&sort],
            ci,
            fmt_g(g.effect_size[&sort]),
        )?;
        for c in &others {
            write!(out, " {:>7.2}", g.rates_per_100_words[c])?;
        }
        writeln!(out)?;
    }
    write!(
        out,
        "{:>4}  {:<width$} {:>5}  {:>7.2} {:>17} {:>6}",
        "", "(corpus)", report.corpus.documents, report.corpus.rates_per_100_words[&sort], "", ""
    )?;
    for c in &others {
        write!(out, " {:>7.2}", report.corpus.rates_per_100_words[c])?;
    }
    writeln!(out)?;
    if let Some(scores) = &report.corpus.scores {
        writeln!(out)?;
        writeln!(out, "Model score means (corpus): {}", fmt_scores(scores))?;
        for g in &report.groups {
            if let Some(s) = &g.scores {
                writeln!(out, "  {:<width$} {}", safe(&g.name), fmt_scores(s))?;
            }
        }
    }
    if report.groups.iter().any(|g| !g.distinctive.is_empty()) {
        writeln!(out)?;
        writeln!(
            out,
            "Distinctive phrases (weighted log-odds vs the rest, informative Dirichlet prior; z):"
        )?;
        for g in &report.groups {
            distinctive_line(g, width, &mut out)?;
        }
    }
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    out.flush()
}

fn fmt_scores(s: &std::collections::BTreeMap<String, f64>) -> String {
    s.iter()
        .map(|(k, v)| format!("{} {v:.3}", k.trim_end_matches("_mean")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn distinctive_line(g: &GroupReport, width: usize, out: &mut dyn Write) -> io::Result<()> {
    if g.distinctive.is_empty() {
        return Ok(());
    }
    let items: Vec<String> = g
        .distinctive
        .iter()
        .take(6)
        .map(|d| {
            format!(
                "“{}” {} {:.1} ({}×)",
                d.phrase,
                short(d.category),
                d.z,
                d.count
            )
        })
        .collect();
    writeln!(out, "  {:<width$} {}", safe(&g.name), items.join(" · "))
}

/// One row per group: rank, name, documents, words, then per category the mean rate, CI bounds
/// and effect size, then model score means, then the distinctive phrases.
pub fn csv(report: &CompareReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let score_names: Vec<String> = crate::batch::output::SCORE_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let has_scores = report.corpus.scores.is_some();
    let mut header: Vec<String> = vec![
        "rank".into(),
        report.by.clone(),
        "documents".into(),
        "words".into(),
    ];
    for c in Category::ALL {
        for suffix in ["rate", "ci_low", "ci_high", "g"] {
            header.push(format!("{c}_{suffix}"));
        }
    }
    if has_scores {
        for s in &score_names {
            for suffix in ["", "_ci_low", "_ci_high", "_g"] {
                header.push(format!("{s}{suffix}"));
            }
        }
    }
    header.push("distinctive".into());
    w.write_record(&header)?;
    let num = |x: f64| x.to_string();
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for g in &report.groups {
        let mut row = vec![
            g.rank.to_string(),
            // a writer's name could start a spreadsheet formula; numbers are left as they are
            crate::report::csv::neutralise(&g.name).into_owned(),
            g.documents.to_string(),
            g.words.to_string(),
        ];
        for c in Category::ALL {
            row.push(num(g.rates_per_100_words[&c]));
            let ci = g.ci95.get(&c);
            row.push(opt(ci.map(|i| i.low)));
            row.push(opt(ci.map(|i| i.high)));
            row.push(opt(g.effect_size[&c]));
        }
        if has_scores {
            for s in &score_names {
                row.push(opt(g.scores.as_ref().and_then(|m| m.get(s).copied())));
                let ci = g.scores_ci95.as_ref().and_then(|m| m.get(s));
                row.push(opt(ci.map(|i| i.low)));
                row.push(opt(ci.map(|i| i.high)));
                row.push(opt(g
                    .scores_effect_size
                    .as_ref()
                    .and_then(|m| m.get(s).copied().flatten())));
            }
        }
        let distinctive = g
            .distinctive
            .iter()
            .map(|d| format!("{} ({}, z={})", d.phrase, d.category, d.z))
            .collect::<Vec<_>>()
            .join("; ");
        row.push(crate::report::csv::neutralise(&distinctive).into_owned());
        w.write_record(&row)?;
    }
    w.flush()
}

/// The self-contained HTML page (charts with intervals, distinctive phrases), rendered by the
/// report module from a [`CompareView`](crate::report::html::compare::CompareView).
pub fn html(report: &CompareReport, out: &mut dyn Write) -> io::Result<()> {
    crate::report::html::compare::write(&view_of(report), &report.version, out)
}

/// Maps the comparison onto the HTML page's view: rule rates and model score means side by side.
fn view_of(report: &CompareReport) -> crate::report::html::compare::CompareView {
    use crate::report::html::compare::{CompareView, GroupView, Interval, Phrase};
    let interval = |i: &super::Interval| Interval {
        low: i.low,
        high: i.high,
    };
    let groups = report
        .groups
        .iter()
        .map(|g: &GroupReport| {
            let mut rates: std::collections::BTreeMap<String, f64> = g
                .rates_per_100_words
                .iter()
                .map(|(c, r)| (c.to_string(), *r))
                .collect();
            let mut ci95: std::collections::BTreeMap<String, Interval> = g
                .ci95
                .iter()
                .map(|(c, i)| (c.to_string(), interval(i)))
                .collect();
            let mut effect: std::collections::BTreeMap<String, f64> = g
                .effect_size
                .iter()
                .filter_map(|(c, e)| Some((c.to_string(), (*e)?)))
                .collect();
            rates.extend(g.scores.iter().flatten().map(|(k, v)| (k.clone(), *v)));
            ci95.extend(
                g.scores_ci95
                    .iter()
                    .flatten()
                    .map(|(k, i)| (k.clone(), interval(i))),
            );
            effect.extend(
                g.scores_effect_size
                    .iter()
                    .flatten()
                    .filter_map(|(k, e)| Some((k.clone(), (*e)?))),
            );
            GroupView {
                name: g.name.clone(),
                documents: g.documents,
                rates_per_100_words: rates,
                ci95,
                effect_size: effect,
                distinctive: g
                    .distinctive
                    .iter()
                    .map(|d| Phrase {
                        text: d.phrase.clone(),
                        category: Some(d.category.to_string()),
                        score: d.z,
                        count: d.count as usize,
                    })
                    .collect(),
            }
        })
        .collect();
    let mut corpus_rates: std::collections::BTreeMap<String, f64> = report
        .corpus
        .rates_per_100_words
        .iter()
        .map(|(c, r)| (c.to_string(), *r))
        .collect();
    corpus_rates.extend(
        report
            .corpus
            .scores
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), *v)),
    );
    CompareView {
        by: report.by.clone(),
        documents: report.corpus.documents,
        corpus_rates,
        groups,
        note: Some(format!(
            "{} · {}",
            report.method.ci, report.method.distinctive
        )),
    }
}
