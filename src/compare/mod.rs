//! Comparing writers (or outlets, years — any documents.csv column) across `rhetor batch`
//! output: per-group mean rates with bootstrap confidence intervals, effect sizes against the
//! rest of the corpus, and the cue phrases that set each group apart.
//!
//! [`CompareReport`] is the one result model; the text, JSON and CSV printers (and an HTML
//! printer, when there is one) only render it.

pub mod baseline;
pub mod load;
pub mod print;
pub mod stats;

use crate::aggregate::round;
use crate::batch::output::SCORE_COLUMNS;
use crate::tag::Category;
use load::Corpus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Version of the compare JSON; bump on breaking changes.
pub const COMPARE_SCHEMA_VERSION: u32 = 1;

/// Fixed seed of the bootstrap; each group's stream is this mixed with its name.
pub const SEED: u64 = 0x7268_6574_6f72; // "rhetor"

#[derive(Debug, Clone)]
pub struct CompareOptions {
    pub dirs: Vec<PathBuf>,
    pub by: String,
    pub sort: Category,
    pub resamples: usize,
    /// Distinctive phrases kept per group.
    pub top: usize,
}

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            dirs: Vec::new(),
            by: "author".into(),
            sort: Category::Promotional,
            resamples: 1000,
            top: 10,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// A phrase that distinguishes a group from the rest of the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distinctive {
    pub phrase: String,
    pub category: Category,
    /// z-score of the weighted log-odds ratio (group vs rest; > 1.96 ≈ p < .05 one at a time).
    pub z: f64,
    /// Uses in the group.
    pub count: u64,
    /// Uses in the whole corpus.
    pub corpus_count: u64,
    /// The log-odds ratio itself (δ).
    pub log_odds: f64,
}

/// One group's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupReport {
    pub name: String,
    /// 1 = highest mean rate of the sort category.
    pub rank: usize,
    pub documents: usize,
    pub words: u64,
    /// Mean over the group's documents of each document's findings per 100 words.
    pub rates_per_100_words: BTreeMap<Category, f64>,
    pub ci95: BTreeMap<Category, Interval>,
    /// Hedges' g of the group's document rates against all other documents; null when
    /// undefined (no other documents, or no variation).
    pub effect_size: BTreeMap<Category, Option<f64>>,
    /// Means of the model's per-document scores; null when the model was off.
    pub scores: Option<BTreeMap<String, f64>>,
    pub scores_ci95: Option<BTreeMap<String, Interval>>,
    pub scores_effect_size: Option<BTreeMap<String, Option<f64>>>,
    pub distinctive: Vec<Distinctive>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusSummary {
    pub documents: usize,
    pub words: u64,
    pub groups: usize,
    pub rates_per_100_words: BTreeMap<Category, f64>,
    pub scores: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    pub rate: String,
    pub ci: String,
    pub effect_size: String,
    pub distinctive: String,
}

/// The result of `rhetor compare`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareReport {
    pub schema_version: u32,
    pub tool: String,
    pub version: String,
    /// The documents.csv column the groups come from.
    pub by: String,
    /// The category groups are ranked by.
    pub sort: Category,
    pub inputs: Vec<load::DirInfo>,
    pub method: Method,
    pub corpus: CorpusSummary,
    /// Ranked by the sort category's mean rate, highest first (ties by name).
    pub groups: Vec<GroupReport>,
    pub notes: Vec<String>,
}

/// Loads the directories and compares the groups.
pub fn compare(opts: &CompareOptions) -> anyhow::Result<CompareReport> {
    let corpus = load::load(&opts.dirs, Some(&opts.by), true)?;
    Ok(build(&corpus, opts))
}

fn score_names() -> Vec<String> {
    SCORE_COLUMNS.iter().map(|s| s.to_string()).collect()
}

/// Mixes the seed with a group name (FNV-1a), so a group's interval depends only on its own
/// documents, never on which other groups are present.
fn group_seed(name: &str) -> u64 {
    crate::batch::fnv1a64(name.as_bytes()) ^ SEED
}

/// Metric rows per document: 7 rates, then the 6 model scores (NaN when absent). Documents
/// without words have no rates (NaN).
fn metric_row(d: &load::Doc) -> Vec<f64> {
    let mut row: Vec<f64> = if d.words > 0 {
        d.rates().to_vec()
    } else {
        vec![f64::NAN; 7]
    };
    row.extend(d.scores);
    row
}

fn nan_mean(rows: &[&Vec<f64>], m: usize) -> Option<f64> {
    let vals: Vec<f64> = rows.iter().map(|r| r[m]).filter(|v| !v.is_nan()).collect();
    (!vals.is_empty()).then(|| stats::mean(&vals))
}

fn column_of(rows: &[&Vec<f64>], m: usize) -> Vec<f64> {
    rows.iter().map(|r| r[m]).filter(|v| !v.is_nan()).collect()
}

/// Computes the report from a loaded corpus.
pub fn build(corpus: &Corpus, opts: &CompareOptions) -> CompareReport {
    let names = score_names();
    let rows: Vec<Vec<f64>> = corpus.docs.iter().map(metric_row).collect();
    let all: Vec<&Vec<f64>> = rows.iter().collect();
    let has_scores = corpus.docs.iter().any(load::Doc::has_scores);
    let cat_map = |f: &dyn Fn(usize) -> f64| -> BTreeMap<Category, f64> {
        Category::ALL
            .iter()
            .enumerate()
            .map(|(k, c)| (*c, round(f(k))))
            .collect()
    };
    let corpus_summary = CorpusSummary {
        documents: corpus.docs.len(),
        words: corpus.docs.iter().map(|d| d.words).sum(),
        groups: corpus.groups.len(),
        rates_per_100_words: cat_map(&|k| nan_mean(&all, k).unwrap_or(0.0)),
        scores: has_scores.then(|| {
            names
                .iter()
                .enumerate()
                .filter_map(|(k, n)| Some((n.clone(), round(nan_mean(&all, 7 + k)?))))
                .collect()
        }),
    };

    // Phrase totals over the corpus: the informative prior.
    let mut corpus_phrases: BTreeMap<(String, Category), u64> = BTreeMap::new();
    for g in &corpus.phrases {
        for (k, v) in g {
            *corpus_phrases.entry(k.clone()).or_default() += v;
        }
    }
    let total_phrases: u64 = corpus_phrases.values().sum();

    let mut groups: Vec<GroupReport> = Vec::with_capacity(corpus.groups.len());
    for (gi, name) in corpus.groups.iter().enumerate() {
        let (inside, outside): (Vec<usize>, Vec<usize>) =
            (0..corpus.docs.len()).partition(|&i| corpus.docs[i].group == gi);
        let g_rows: Vec<&Vec<f64>> = inside.iter().map(|&i| &rows[i]).collect();
        let o_rows: Vec<&Vec<f64>> = outside.iter().map(|&i| &rows[i]).collect();
        let owned: Vec<Vec<f64>> = g_rows.iter().map(|r| (*r).clone()).collect();
        let ci = stats::bootstrap_means(
            &owned,
            7 + names.len(),
            opts.resamples,
            0.95,
            group_seed(name),
        );
        let interval = |m: usize| Interval {
            low: round(ci[m].0),
            high: round(ci[m].1),
        };
        let g =
            |m: usize| stats::hedges_g(&column_of(&g_rows, m), &column_of(&o_rows, m)).map(round);
        let group_has_scores = inside.iter().any(|&i| corpus.docs[i].has_scores());
        let rates = cat_map(&|k| nan_mean(&g_rows, k).unwrap_or(0.0));
        let ci95 = Category::ALL
            .iter()
            .enumerate()
            .filter(|(k, _)| !ci[*k].0.is_nan())
            .map(|(k, c)| (*c, interval(k)))
            .collect();
        let effect_size = Category::ALL
            .iter()
            .enumerate()
            .map(|(k, c)| (*c, g(k)))
            .collect();
        let score_idx = || {
            names
                .iter()
                .enumerate()
                .filter(|(k, _)| nan_mean(&g_rows, 7 + k).is_some())
        };
        let scores = group_has_scores.then(|| {
            score_idx()
                .map(|(k, n)| (n.clone(), round(nan_mean(&g_rows, 7 + k).unwrap_or(0.0))))
                .collect()
        });
        let scores_ci95 = group_has_scores.then(|| {
            score_idx()
                .map(|(k, n)| (n.clone(), interval(7 + k)))
                .collect()
        });
        let scores_effect_size =
            group_has_scores.then(|| score_idx().map(|(k, n)| (n.clone(), g(7 + k))).collect());
        let distinctive = distinctive(
            corpus.phrases.get(gi),
            &corpus_phrases,
            total_phrases,
            opts.top,
        );
        groups.push(GroupReport {
            name: name.clone(),
            rank: 0,
            documents: inside.len(),
            words: inside.iter().map(|&i| corpus.docs[i].words).sum(),
            rates_per_100_words: rates,
            ci95,
            effect_size,
            scores,
            scores_ci95,
            scores_effect_size,
            distinctive,
        });
    }
    let key = |g: &GroupReport| g.rates_per_100_words[&opts.sort];
    groups.sort_by(|a, b| key(b).total_cmp(&key(a)).then_with(|| a.name.cmp(&b.name)));
    for (i, g) in groups.iter_mut().enumerate() {
        g.rank = i + 1;
    }
    CompareReport {
        schema_version: COMPARE_SCHEMA_VERSION,
        tool: "rhetor".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        by: opts.by.clone(),
        sort: opts.sort,
        inputs: corpus.dirs.clone(),
        method: Method {
            rate: "mean over the group's documents of each document's findings per 100 words"
                .into(),
            ci: format!(
                "95% percentile bootstrap over documents ({} resamples, SplitMix64 seeded from the group name)",
                opts.resamples
            ),
            effect_size:
                "Hedges' g of the group's document rates against all other documents (pooled SD, small-sample corrected)"
                    .into(),
            distinctive:
                "weighted log-odds ratio of each cue phrase, group vs the rest of the corpus, with an informative Dirichlet prior from the whole corpus's cue counts (Monroe, Colaresi & Quinn 2008); z > 1.96 is notable; attributions excluded"
                    .into(),
        },
        corpus: corpus_summary,
        groups,
        notes: corpus.notes.clone(),
    }
}

/// The `top` phrases with the highest positive z for a group.
fn distinctive(
    group: Option<&std::collections::HashMap<(String, Category), u64>>,
    corpus: &BTreeMap<(String, Category), u64>,
    total: u64,
    top: usize,
) -> Vec<Distinctive> {
    let Some(group) = group else {
        return Vec::new();
    };
    let ni: u64 = group.values().sum();
    let nj = total - ni;
    let alpha0 = total as f64;
    let mut out: Vec<Distinctive> = group
        .iter()
        .filter_map(|((phrase, category), &yi)| {
            let c = corpus[&(phrase.clone(), *category)];
            let yj = c - yi;
            let (delta, z) =
                stats::log_odds_z(yi as f64, ni as f64, yj as f64, nj as f64, c as f64, alpha0);
            (z > 0.0).then(|| Distinctive {
                phrase: phrase.clone(),
                category: *category,
                z: round(z),
                count: yi,
                corpus_count: c,
                log_odds: round(delta),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.z.total_cmp(&a.z)
            .then_with(|| a.phrase.cmp(&b.phrase))
            .then(a.category.cmp(&b.category))
    });
    out.truncate(top);
    out
}
