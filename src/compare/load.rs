//! Reads one or more `rhetor batch` output directories (for instance the N shard directories
//! of one run) into one table of documents, with the cue phrases of each group.

use crate::batch::{Manifest, output};
use crate::tag::Category;
use anyhow::{Context, bail};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One analysed document, as `compare` needs it.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Index into [`Corpus::inputs`].
    pub input: usize,
    pub id: String,
    /// Index into [`Corpus::groups`]; 0 when no grouping column was asked for.
    pub group: usize,
    pub words: u64,
    pub counts: [u64; 7],
    /// Model score means ([`output::SCORE_COLUMNS`] order); NaN where empty.
    pub scores: [f64; 6],
}

impl Doc {
    /// Findings per 100 words for each category (exact, from counts and words).
    pub fn rates(&self) -> [f64; 7] {
        let w = self.words as f64;
        self.counts
            .map(|k| if w > 0.0 { k as f64 * 100.0 / w } else { 0.0 })
    }

    pub fn has_scores(&self) -> bool {
        self.scores.iter().any(|s| !s.is_nan())
    }
}

/// What one input directory was.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DirInfo {
    pub dir: String,
    pub input: String,
    pub shard: Option<String>,
    pub status: String,
    pub documents: u64,
    pub errors: u64,
    pub rules_hash: String,
    pub model: Option<String>,
}

#[derive(Debug, Default)]
pub struct Corpus {
    pub dirs: Vec<DirInfo>,
    /// Distinct input paths (shards of one input share one).
    pub inputs: Vec<String>,
    pub groups: Vec<String>,
    pub docs: Vec<Doc>,
    /// Cue phrase counts per group: (phrase, category) → count, attributions excluded.
    pub phrases: Vec<HashMap<(String, Category), u64>>,
    /// Problems worth telling the user about (incomplete shards, mixed rule sets).
    pub notes: Vec<String>,
}

/// The value used for a document whose grouping column is empty.
pub const NO_GROUP: &str = "(none)";

/// Lower-cases a cue, collapses its whitespace and folds every word holding a digit to `#`, so
/// that "Clearly" and "clearly" count together, and so do "about $93" and "about 7.5".
pub fn normalize_phrase(text: &str) -> String {
    text.split_whitespace()
        .map(|w| {
            if w.chars().any(|c| c.is_ascii_digit()) {
                "#".to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn column(header: &[String], name: &str, path: &Path) -> anyhow::Result<usize> {
    header.iter().position(|h| h == name).with_context(|| {
        format!(
            "{}: no `{name}` column (columns: {})",
            path.display(),
            header.join(", ")
        )
    })
}

/// Loads batch directories. `by`: the documents.csv column to group by (`None`: one group).
/// `findings`: whether to read findings.csv for distinctive phrases.
pub fn load(dirs: &[PathBuf], by: Option<&str>, findings: bool) -> anyhow::Result<Corpus> {
    if dirs.is_empty() {
        bail!("no batch directories given");
    }
    let mut corpus = Corpus::default();
    let mut group_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut raw_groups: Vec<String> = Vec::new();
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    let mut shards: BTreeMap<String, (u64, Vec<u64>)> = BTreeMap::new();
    for dir in dirs {
        let manifest = Manifest::read(dir)?;
        if manifest.status != "complete" {
            corpus.notes.push(format!(
                "{} is incomplete (status `{}`): finish it with `rhetor batch … --resume`",
                dir.display(),
                manifest.status
            ));
        }
        if let Some(s) = manifest.shard {
            let e = shards
                .entry(manifest.input.path.clone())
                .or_insert((s.count, Vec::new()));
            e.1.push(s.index);
            if e.0 != s.count {
                corpus.notes.push(format!(
                    "{}: shards of {} were cut into different numbers of shards",
                    dir.display(),
                    manifest.input.path
                ));
            }
        }
        let input = match corpus.inputs.iter().position(|p| *p == manifest.input.path) {
            Some(i) => i,
            None => {
                corpus.inputs.push(manifest.input.path.clone());
                corpus.inputs.len() - 1
            }
        };
        corpus.dirs.push(DirInfo {
            dir: dir.display().to_string(),
            input: manifest.input.path.clone(),
            shard: manifest.shard.map(|s| s.to_string()),
            status: manifest.status.clone(),
            documents: manifest.counts.documents,
            errors: manifest.counts.errors,
            rules_hash: manifest.rules_hash.clone(),
            model: manifest.model.clone(),
        });

        let path = dir.join(output::DOCUMENTS);
        let header = output::read_header(&path)?;
        let id_col = column(&header, "id", &path)?;
        let words_col = column(&header, "words", &path)?;
        let count_cols = Category::ALL
            .iter()
            .map(|c| column(&header, &format!("{c}_count"), &path))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let score_cols: Vec<Option<usize>> = output::SCORE_COLUMNS
            .iter()
            .map(|c| header.iter().position(|h| h == c))
            .collect();
        let by_col = match by {
            Some(b) => Some(header.iter().position(|h| h == b).with_context(|| {
                format!(
                    "{}: no `{b}` column to group by (columns: {})",
                    path.display(),
                    header
                        .iter()
                        .take_while(|h| *h != "words")
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?),
            None => None,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(&path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        let mut ids: HashMap<String, usize> = HashMap::new();
        for (n, rec) in rdr.records().enumerate() {
            let rec = rec.with_context(|| format!("{}: cannot read", path.display()))?;
            if rec.len() != header.len() {
                // A partial last row of an interrupted run.
                corpus.notes.push(format!(
                    "{}: data row {} is incomplete and was skipped",
                    path.display(),
                    n + 1
                ));
                continue;
            }
            let id = crate::report::csv::restore(&rec[id_col]).to_string();
            if !seen.insert((input, id.clone())) {
                bail!(
                    "{}: document `{id}` of {} was already read from another directory; was a shard given twice?",
                    path.display(),
                    manifest.input.path
                );
            }
            let num = |i: usize| -> anyhow::Result<u64> {
                rec[i].parse::<u64>().with_context(|| {
                    format!(
                        "{}: document `{id}`: `{}` is not a count in column {}",
                        path.display(),
                        &rec[i],
                        header[i]
                    )
                })
            };
            let mut counts = [0u64; 7];
            for (k, &c) in count_cols.iter().enumerate() {
                counts[k] = num(c)?;
            }
            let mut scores = [f64::NAN; 6];
            for (k, c) in score_cols.iter().enumerate() {
                if let Some(v) = c.and_then(|c| rec[c].parse::<f64>().ok()) {
                    scores[k] = v;
                }
            }
            let name = match by_col {
                Some(c) if !rec[c].trim().is_empty() => {
                    crate::report::csv::restore(rec[c].trim()).to_string()
                }
                Some(_) => NO_GROUP.to_string(),
                None => "all".to_string(),
            };
            let g = *group_index.entry(name.clone()).or_insert_with(|| {
                raw_groups.push(name);
                raw_groups.len() - 1
            });
            let words = num(words_col)?;
            ids.insert(id.clone(), g);
            corpus.docs.push(Doc {
                input,
                id,
                group: g,
                words,
                counts,
                scores,
            });
        }
        if findings {
            while corpus.phrases.len() < raw_groups.len() {
                corpus.phrases.push(HashMap::new());
            }
            read_findings(&dir.join(output::FINDINGS), &ids, &mut corpus.phrases)?;
        }
    }
    // Groups in name order, so that output does not depend on the order of directories.
    let order: Vec<usize> = group_index.values().copied().collect();
    let mut remap = vec![0; raw_groups.len()];
    for (new, old) in order.iter().enumerate() {
        remap[*old] = new;
    }
    corpus.groups = group_index.into_keys().collect();
    for d in &mut corpus.docs {
        d.group = remap[d.group];
    }
    if findings {
        let mut phrases = vec![HashMap::new(); raw_groups.len()];
        for (old, p) in std::mem::take(&mut corpus.phrases).into_iter().enumerate() {
            phrases[remap[old]] = p;
        }
        corpus.phrases = phrases;
    }
    // Documents in a canonical order (group, id, input): results do not depend on how the
    // corpus was sharded, in which order the directories were given, or where each shard saw
    // its input file.
    let inputs = &corpus.inputs;
    corpus.docs.sort_by(|a, b| {
        (a.group, &a.id, &inputs[a.input]).cmp(&(b.group, &b.id, &inputs[b.input]))
    });
    for (input, (count, mut have)) in shards {
        have.sort_unstable();
        have.dedup();
        let missing: Vec<String> = (0..count)
            .filter(|i| have.binary_search(i).is_err())
            .map(|i| i.to_string())
            .collect();
        if !missing.is_empty() {
            corpus.notes.push(format!(
                "{input}: shard{} {} of {count} not given; results cover part of the corpus",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", ")
            ));
        }
    }
    let hashes: HashSet<&str> = corpus.dirs.iter().map(|d| d.rules_hash.as_str()).collect();
    if hashes.len() > 1 {
        corpus.notes.push(
            "the directories were analysed with different rule sets; their rates are not directly comparable"
                .into(),
        );
    }
    Ok(corpus)
}

/// Adds the cue phrases of findings.csv to the groups' counts.
fn read_findings(
    path: &Path,
    ids: &HashMap<String, usize>,
    phrases: &mut [HashMap<(String, Category), u64>],
) -> anyhow::Result<()> {
    let header = output::read_header(path)?;
    let id_col = column(&header, "id", path)?;
    let cat_col = column(&header, "category", path)?;
    let text_col = column(&header, "text", path)?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut rec = csv::StringRecord::new();
    while rdr
        .read_record(&mut rec)
        .with_context(|| format!("{}: cannot read", path.display()))?
    {
        if rec.len() != header.len() {
            continue;
        }
        // Rows of documents that never reached documents.csv (an interrupted run) are skipped.
        let Some(&g) = ids.get(&rec[id_col]) else {
            continue;
        };
        let Ok(cat) = rec[cat_col].parse::<Category>() else {
            continue;
        };
        if cat == Category::Attribution {
            continue;
        }
        *phrases[g]
            .entry((normalize_phrase(&rec[text_col]), cat))
            .or_default() += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn phrases_fold_case_space_and_numbers() {
        assert_eq!(super::normalize_phrase("Clearly"), "clearly");
        assert_eq!(
            super::normalize_phrase("about  $93 million"),
            "about # million"
        );
        assert_eq!(super::normalize_phrase("some 7.5%"), "some #");
    }
}
