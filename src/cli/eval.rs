//! `rhetor eval TASK FILE`: accuracy, macro-F1, per-class metrics, confusion and throughput of
//! rhetor's judgement on a labelled CSV (`text`, `label`, and `target` for stance).

use super::RuleOptions;
use crate::classify::{self, SentenceScores};
use crate::eval::{Metrics, metrics};
use crate::pipeline::Analyzer;
use anyhow::{Context, bail};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    Sentiment,
    Uncertainty,
    Bias,
    Stance,
    Technique,
}

impl Task {
    fn labels(self) -> &'static [&'static str] {
        match self {
            Task::Sentiment => &["negative", "neutral", "positive"],
            Task::Uncertainty => &["certain", "uncertain"],
            Task::Bias => &["neutral", "biased"],
            Task::Stance => &["favor", "against", "none"],
            Task::Technique => &[],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    #[arg(value_enum)]
    pub task: Task,
    /// CSV with header columns `text`, `label` (and `target` for stance).
    pub file: PathBuf,
    #[arg(long, short, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    /// Rules only (uncertainty can be judged from hedge and weasel cues alone).
    #[arg(long)]
    pub no_model: bool,
    #[command(flatten)]
    pub rules: RuleOptions,
}

#[derive(Debug, Serialize)]
struct EvalReport {
    task: Task,
    file: String,
    model: Option<String>,
    labels: Vec<String>,
    #[serde(flatten)]
    metrics: Metrics,
    sentences_per_second: f64,
    /// Extra task-specific figures (e.g. the uncertainty head alone, SemEval's F_avg).
    extra: serde_json::Map<String, serde_json::Value>,
}

struct Row {
    text: String,
    label: String,
    /// The `target` column (stance only).
    target: String,
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let rows = read_rows(&args)?;
    match args.task {
        Task::Stance => return run_stance(&args, &rows),
        Task::Technique => return run_technique(&args, &rows),
        _ => {}
    }
    let file_labels: Vec<&'static str> = args
        .task
        .labels()
        .iter()
        .copied()
        .filter(|l| rows.iter().any(|r| r.label == *l))
        .collect();
    let (rules, taggers) = args.rules.load()?;
    let model = if args.no_model {
        if args.task != Task::Uncertainty {
            bail!(
                "eval {:?} needs the classifier; only uncertainty can be judged with --no-model",
                args.task
            );
        }
        None
    } else {
        Some(classify::load_default()?)
    };
    let analyzer = Analyzer::new(rules, model.clone()).with_taggers(taggers);
    let texts: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();

    let started = Instant::now();
    let scores: Option<Vec<SentenceScores>> =
        model.as_ref().map(|m| m.score(&texts)).transpose()?;
    let mut extra = serde_json::Map::new();
    let pred: Vec<&str> = match args.task {
        Task::Sentiment => {
            let scores = scores.as_ref().expect("model loaded for sentiment");
            scores.iter().map(|s| best_of(&file_labels, s)).collect()
        }
        Task::Bias => {
            let scores = scores.as_ref().expect("model loaded for bias");
            scores
                .iter()
                .map(|s| if s.bias >= 0.5 { "biased" } else { "neutral" })
                .collect()
        }
        Task::Uncertainty => {
            let judged: Vec<&str> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let findings = analyzer.tag_text(t);
                    let s = scores.as_ref().map(|v| &v[i]);
                    if classify::is_uncertain(s, &findings) {
                        "uncertain"
                    } else {
                        "certain"
                    }
                })
                .collect();
            if let Some(scores) = &scores {
                // The head alone, for comparison with the combined judgement.
                let head: Vec<&str> = scores
                    .iter()
                    .map(|s| {
                        if s.uncertainty >= 0.5 {
                            "uncertain"
                        } else {
                            "certain"
                        }
                    })
                    .collect();
                let gold: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
                let m = metrics(&file_labels, &gold, &head);
                extra.insert("head_only_accuracy".into(), m.accuracy.into());
                extra.insert("head_only_macro_f1".into(), m.macro_f1.into());
            }
            judged
        }
        Task::Stance | Task::Technique => unreachable!("handled above"),
    };
    let elapsed = started.elapsed().as_secs_f64();
    let gold: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
    let report = EvalReport {
        task: args.task,
        file: args.file.display().to_string(),
        model: model.as_ref().map(|m| m.id()),
        labels: file_labels.iter().map(|l| l.to_string()).collect(),
        metrics: metrics(&file_labels, &gold, &pred),
        sentences_per_second: (rows.len() as f64 / elapsed.max(1e-9)).round(),
        extra,
    };
    print(&report, args.format)?;
    Ok(ExitCode::SUCCESS)
}

/// `eval stance`: the stance head on each (text, target) row, in one batched call. Extra figures:
/// SemEval's F_avg (mean F1 of favor and against, pooled over targets), the per-target
/// majority-class baseline computed from the file's own labels (an optimistic baseline: on the
/// SemEval test it is computed from training labels), and both per target.
fn run_stance(args: &EvalArgs, rows: &[Row]) -> anyhow::Result<ExitCode> {
    use crate::classify::stance::{self, Stance};
    if args.no_model {
        bail!("eval stance needs the classifier's stance head; it cannot run with --no-model");
    }
    let model = classify::load_onnx()?;
    if !model.has_stance() {
        bail!(
            "eval stance: the classifier in {} has no stance head",
            model.dir().display()
        );
    }
    let labels: Vec<&'static str> = Task::Stance
        .labels()
        .iter()
        .copied()
        .filter(|l| rows.iter().any(|r| r.label == *l))
        .collect();
    // As in `analyse`: where the target is named in the text, the head reads its mentions
    // marked (or, for the main graph's head, the words around the first one); otherwise
    // (SemEval topics) the whole text.
    let owned: Vec<_> = rows
        .iter()
        .map(|r| stance::row_pair(&model, &r.text, &r.target))
        .collect();
    let pairs: Vec<(&str, &str)> = owned.iter().map(|(s, t)| (s.as_ref(), *t)).collect();
    let started = Instant::now();
    let probs = stance::StanceScorer::stance(&model, &pairs)?;
    let elapsed = started.elapsed().as_secs_f64();
    let pred: Vec<&str> = probs
        .iter()
        .map(|p| Stance::of_scores(p).as_str())
        .collect();
    let gold: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
    let targets: Vec<&str> = rows.iter().map(|r| r.target.as_str()).collect();
    let m = metrics(&labels, &gold, &pred);
    let majority = stance::majority_per_target(&targets, &gold, &targets);
    let base = metrics(&labels, &gold, &majority);
    let mut extra = serde_json::Map::new();
    extra.insert("f_avg".into(), stance::f_avg(&m).into());
    extra.insert(
        "majority_baseline".into(),
        "each row gets its target's most frequent label in this file".into(),
    );
    extra.insert(
        "majority_baseline_f_avg".into(),
        stance::f_avg(&base).into(),
    );
    extra.insert("majority_baseline_macro_f1".into(), base.macro_f1.into());
    let mut per_target = serde_json::Map::new();
    let mut names: Vec<&str> = targets.clone();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let idx: Vec<usize> = (0..rows.len()).filter(|&i| targets[i] == name).collect();
        let (g, p, b) = (pick(&idx, &gold), pick(&idx, &pred), pick(&idx, &majority));
        let tm = metrics(&labels, &g, &p);
        let bm = metrics(&labels, &g, &b);
        per_target.insert(
            name.to_string(),
            serde_json::json!({
                "n": idx.len(),
                "accuracy": tm.accuracy,
                "macro_f1": tm.macro_f1,
                "f_avg": stance::f_avg(&tm),
                "majority_label": b.first().copied().unwrap_or("none"),
                "majority_f_avg": stance::f_avg(&bm),
            }),
        );
    }
    extra.insert("per_target".into(), per_target.into());
    let report = EvalReport {
        task: Task::Stance,
        file: args.file.display().to_string(),
        model: Some(classify::SentenceModel::id(&model)),
        labels: labels.iter().map(|l| l.to_string()).collect(),
        metrics: m,
        sentences_per_second: (rows.len() as f64 / elapsed.max(1e-9)).round(),
        extra,
    };
    print(&report, args.format)?;
    Ok(ExitCode::SUCCESS)
}

/// `eval technique`: multi-label. A row's `label` holds technique names joined by `|` (empty:
/// none); a technique is predicted when its probability reaches the model's threshold. Per
/// technique precision/recall/F1 (`per_class`); `accuracy` is exact-set accuracy; the confusion
/// matrix is the sentence-level "any technique" judgement; extra: micro-F1 over all
/// (sentence, technique) decisions, macro-F1 over the techniques the file uses, any-technique
/// accuracy and the threshold.
fn run_technique(args: &EvalArgs, rows: &[Row]) -> anyhow::Result<ExitCode> {
    if args.no_model {
        bail!("eval technique needs the classifier; it cannot run with --no-model");
    }
    let model = classify::load_onnx()?;
    let names = classify::SentenceModel::technique_names(&model).to_vec();
    let gold: Vec<Vec<bool>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            technique_set(&names, &r.label)
                .map_err(|e| anyhow::anyhow!("{}: row {}: {e}", args.file.display(), i + 2))
        })
        .collect::<anyhow::Result<_>>()?;
    let texts: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
    let started = Instant::now();
    let scores = classify::SentenceModel::score(&model, &texts)?;
    let elapsed = started.elapsed().as_secs_f64();
    let threshold = model.technique_threshold();
    let pred: Vec<Vec<bool>> = scores
        .iter()
        .map(|s| s.techniques.iter().map(|p| *p >= threshold).collect())
        .collect();

    let mut per_class = std::collections::BTreeMap::new();
    let (mut tp_all, mut fp_all, mut fn_all) = (0usize, 0usize, 0usize);
    let mut f1s = Vec::new();
    for (k, name) in names.iter().enumerate() {
        let count = |g: bool, p: bool| {
            gold.iter()
                .zip(&pred)
                .filter(|(gs, ps)| gs[k] == g && ps[k] == p)
                .count()
        };
        let (tp, fp, fnn) = (count(true, true), count(false, true), count(true, false));
        tp_all += tp;
        fp_all += fp;
        fn_all += fnn;
        let m = crate::eval::binary_metrics(tp, fp, fnn);
        if m.support > 0 {
            f1s.push(m.f1);
        }
        per_class.insert(name.clone(), m);
    }
    let micro = crate::eval::binary_metrics(tp_all, fp_all, fn_all);
    let any_gold: Vec<&str> = gold.iter().map(|g| any_label(g)).collect();
    let any_pred: Vec<&str> = pred.iter().map(|p| any_label(p)).collect();
    let any = metrics(&["none", "technique"], &any_gold, &any_pred);
    let exact = gold.iter().zip(&pred).filter(|(g, p)| g == p).count();
    let mut extra = serde_json::Map::new();
    extra.insert("threshold".into(), f64::from(threshold).into());
    extra.insert("micro_f1".into(), micro.f1.into());
    extra.insert("any_technique_accuracy".into(), any.accuracy.into());
    let metrics = crate::eval::Metrics {
        n: rows.len(),
        accuracy: crate::aggregate::round(exact as f64 / rows.len() as f64),
        macro_f1: crate::aggregate::round(f1s.iter().sum::<f64>() / f1s.len().max(1) as f64),
        per_class,
        confusion: any.confusion,
    };
    let report = EvalReport {
        task: Task::Technique,
        file: args.file.display().to_string(),
        model: Some(classify::SentenceModel::id(&model)),
        labels: vec!["none".into(), "technique".into()],
        metrics,
        sentences_per_second: (rows.len() as f64 / elapsed.max(1e-9)).round(),
        extra,
    };
    print(&report, args.format)?;
    Ok(ExitCode::SUCCESS)
}

/// A `|`-joined technique list as one flag per technique of the model.
fn technique_set(names: &[String], label: &str) -> Result<Vec<bool>, String> {
    let mut set = vec![false; names.len()];
    for part in label.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let k = names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(part))
            .ok_or_else(|| {
                format!(
                    "unknown technique `{part}` (the model has: {})",
                    names.join(", ")
                )
            })?;
        set[k] = true;
    }
    Ok(set)
}

fn any_label(flags: &[bool]) -> &'static str {
    if flags.iter().any(|&f| f) {
        "technique"
    } else {
        "none"
    }
}

fn pick<'a>(idx: &[usize], v: &[&'a str]) -> Vec<&'a str> {
    idx.iter().map(|&i| v[i]).collect()
}

/// The most probable sentiment among the labels the file uses (a two-label file is scored on
/// those two).
fn best_of(labels: &[&'static str], s: &SentenceScores) -> &'static str {
    let p = |l: &str| match l {
        "negative" => s.sentiment[0],
        "neutral" => s.sentiment[1],
        _ => s.sentiment[2],
    };
    labels
        .iter()
        .copied()
        .max_by(|a, b| p(a).total_cmp(&p(b)))
        .unwrap_or("neutral")
}

fn read_rows(args: &EvalArgs) -> anyhow::Result<Vec<Row>> {
    let path = &args.file;
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(text_col), Some(label_col)) = (col("text"), col("label")) else {
        bail!(
            "{}: needs header columns `text` and `label` (found: {})",
            path.display(),
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    };
    let target_col = col("target");
    if args.task == Task::Stance && target_col.is_none() {
        bail!(
            "{}: eval stance needs a `target` header column (found: {})",
            path.display(),
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    }
    let known = args.task.labels();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        // Row numbers count the header as line 1, as a spreadsheet shows them.
        let line = i + 2;
        let record = record.with_context(|| format!("{}: row {line}", path.display()))?;
        let raw = record.get(label_col).unwrap_or("").trim();
        // Technique labels are names joined by `|`, checked against the model's names later.
        let label = if args.task == Task::Technique {
            raw.to_string()
        } else {
            raw.to_lowercase()
        };
        if args.task != Task::Technique && !known.contains(&label.as_str()) {
            bail!(
                "{}: row {line}: label `{label}` is not one of {}",
                path.display(),
                known.join(", ")
            );
        }
        let target = target_col
            .and_then(|c| record.get(c))
            .unwrap_or("")
            .trim()
            .to_string();
        if args.task == Task::Stance && target.is_empty() {
            bail!("{}: row {line}: empty target", path.display());
        }
        let text = record.get(text_col).unwrap_or("");
        if text.trim().is_empty() {
            // A blank text has no judgement to score; counting it would score the model on
            // whatever it says about nothing.
            bail!("{}: row {line}: empty text", path.display());
        }
        rows.push(Row {
            text: text.to_string(),
            label,
            target,
        });
    }
    if rows.is_empty() {
        bail!("{}: no rows", path.display());
    }
    Ok(rows)
}

/// Targets shown in `eval stance`'s text table, most rows first (JSON has every target).
const PER_TARGET_ROWS: usize = 20;

/// `eval stance`'s per-target figures as a table: the targets with the most rows first.
fn per_target_table(targets: &serde_json::Map<String, serde_json::Value>) {
    let num = |v: &serde_json::Value, k: &str| v.get(k).and_then(serde_json::Value::as_f64);
    let mut rows: Vec<(&String, &serde_json::Value)> = targets.iter().collect();
    rows.sort_by(|a, b| {
        let n = |v: &serde_json::Value| num(v, "n").unwrap_or(0.0);
        n(b.1).total_cmp(&n(a.1)).then(a.0.cmp(b.0))
    });
    let shown: Vec<_> = rows.iter().take(PER_TARGET_ROWS).collect();
    let name = |t: &str| -> String {
        let t = t.trim();
        if t.chars().count() > 32 {
            format!("{}…", t.chars().take(31).collect::<String>())
        } else {
            t.to_string()
        }
    };
    let w = shown
        .iter()
        .map(|(t, _)| name(t).chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    println!(
        "  per target ({} targets; {} with the most rows):",
        rows.len(),
        shown.len()
    );
    println!(
        "    {:<w$} {:>5} {:>9} {:>9} {:>7}  majority",
        "target", "n", "accuracy", "macro-F1", "F_avg"
    );
    for (t, v) in shown {
        let f = |k: &str| num(v, k).map_or("-".to_string(), |x| format!("{x:.4}"));
        println!(
            "    {:<w$} {:>5} {:>9} {:>9} {:>7}  {}",
            name(t),
            num(v, "n").unwrap_or(0.0),
            f("accuracy"),
            f("macro_f1"),
            f("f_avg"),
            v.get("majority_label")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("-")
        );
    }
    if rows.len() > PER_TARGET_ROWS {
        println!(
            "    … {} more targets (all of them with --format json)",
            rows.len() - PER_TARGET_ROWS
        );
    }
}

fn print(report: &EvalReport, format: EvalFormat) -> anyhow::Result<()> {
    match format {
        EvalFormat::Json => println!("{}", serde_json::to_string_pretty(report)?),
        EvalFormat::Text => {
            let m = &report.metrics;
            println!("{:?} on {} ({} rows)", report.task, report.file, m.n);
            println!(
                "  model: {}",
                report.model.as_deref().unwrap_or("off (rules only)")
            );
            println!(
                "  accuracy {:.4} · macro-F1 {:.4} · {} sentences/s",
                m.accuracy, m.macro_f1, report.sentences_per_second
            );
            for (k, v) in &report.extra {
                match v {
                    serde_json::Value::Object(inner) if k == "per_target" => {
                        per_target_table(inner)
                    }
                    serde_json::Value::Object(inner) => {
                        println!("  {k}:");
                        for (k2, v2) in inner {
                            println!("    {k2}: {v2}");
                        }
                    }
                    _ => println!("  {k}: {v}"),
                }
            }
            // Technique names are long: the label column fits the longest.
            let w = m
                .per_class
                .keys()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(5)
                .max(12);
            println!(
                "  {:<w$} {:>9} {:>9} {:>9} {:>8}",
                "label", "precision", "recall", "f1", "support"
            );
            for (l, c) in &m.per_class {
                println!(
                    "  {l:<w$} {:>9.4} {:>9.4} {:>9.4} {:>8}",
                    c.precision, c.recall, c.f1, c.support
                );
            }
            println!(
                "  confusion (rows gold, columns predicted): {}",
                report.labels.join(" ")
            );
            for l in &report.labels {
                let row: Vec<String> = report
                    .labels
                    .iter()
                    .map(|p| m.confusion[l][p].to_string())
                    .collect();
                println!("  {l:<12} {}", row.join(" "));
            }
        }
    }
    Ok(())
}
