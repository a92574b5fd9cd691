//! The trained classifier served through ONNX Runtime (`ort`, loaded dynamically).
//!
//! One graph, one encoder pass per sentence, all heads' logits out. Sentences are tokenised
//! with HF `tokenizers` from the model's own tokenizer.json, sorted by length and batched so that
//! padding stays small; results are put back in input order.

use super::{SentenceModel, SentenceScores, runtime};
use anyhow::{Context, anyhow, bail};
use ort::session::Session;
use ort::value::Tensor;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tokenizers::{Encoding, Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

/// models/classifier/config.json, written by the training recipe's export step.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelConfig {
    pub format: u32,
    pub model: String,
    pub tokenizer: String,
    pub max_length: usize,
    pub heads: BTreeMap<String, HeadConfig>,
    pub technique_names: Vec<String>,
    pub technique_threshold: f32,
    /// A stance graph of its own (news-trained, target mentions marked), used for every
    /// (sentence, target) pair in place of the main graph's stance output.
    #[serde(default)]
    pub stance_model: Option<StanceModelConfig>,
}

/// config.json's `stance_model`: the graph's file, its truncation length and its input style.
#[derive(Debug, Clone, Deserialize)]
pub struct StanceModelConfig {
    pub model: String,
    pub max_length: usize,
    /// `marked`: the sentence with every mention of the target between « and », paired with
    /// the mention's words (see `classify::stance::mark`).
    pub input: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct HeadConfig {
    pub labels: Vec<String>,
    pub activation: String,
}

/// Raw logits per head for a batch: head name → one row per input.
pub type Logits = BTreeMap<String, Vec<Vec<f32>>>;

pub struct OnnxModel {
    // `Session::run` needs `&mut`; one session per process, shared by all threads.
    session: Mutex<Session>,
    tokenizer: Tokenizer,
    pair_tokenizer: Tokenizer,
    config: ModelConfig,
    outputs: Vec<String>,
    /// The separate stance graph, when config.json names one.
    stance_graph: Option<StanceGraph>,
    id: String,
    dir: PathBuf,
}

/// A second graph with one `stance` output, read on (marked sentence, mention) pairs.
struct StanceGraph {
    session: Mutex<Session>,
    pair_tokenizer: Tokenizer,
}

/// Sentences per encoder call. Larger batches amortise call overhead; length sorting keeps
/// padding small even so.
const BATCH: usize = 32;

impl OnnxModel {
    /// The probability above which a technique counts as present (chosen on the recipe's dev
    /// split for the best micro-F1; `config.json`).
    pub fn technique_threshold(&self) -> f32 {
        self.config.technique_threshold
    }

    /// Loads the model in `dir` (config.json, the ONNX graph and tokenizer.json).
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let config_path = dir.join("config.json");
        let config: ModelConfig = serde_json::from_slice(
            &std::fs::read(&config_path)
                .with_context(|| format!("{}: cannot read", config_path.display()))?,
        )
        .with_context(|| format!("{}: not a rhetor model config", config_path.display()))?;
        if config.format != 1 {
            bail!(
                "{}: model config format {} is not supported (expected 1)",
                config_path.display(),
                config.format
            );
        }
        let model_path = dir.join(&config.model);
        let session = open_session(&model_path)?;
        let outputs = session
            .outputs()
            .iter()
            .map(|o| o.name().to_string())
            .collect::<Vec<_>>();
        for head in ["sentiment", "uncertainty", "bias", "technique"] {
            if !outputs.iter().any(|o| o == head) {
                bail!(
                    "{}: graph has no `{head}` output (outputs: {})",
                    model_path.display(),
                    outputs.join(", ")
                );
            }
        }
        let tok_path = dir.join(&config.tokenizer);
        let base = Tokenizer::from_file(&tok_path)
            .map_err(|e| anyhow!("{}: cannot load tokenizer: {e}", tok_path.display()))?;
        let tokenizer = with_truncation(
            base.clone(),
            config.max_length,
            TruncationStrategy::LongestFirst,
        )?;
        let pair_tokenizer = with_truncation(
            base.clone(),
            config.max_length,
            TruncationStrategy::OnlyFirst,
        )?;
        let mut id = format!("rhetor-classifier@{}", &file_sha256(&model_path)?[..12]);
        let stance_graph = match &config.stance_model {
            None => None,
            Some(sc) => {
                if sc.input != "marked" {
                    bail!(
                        "{}: stance_model input `{}` is not supported (expected `marked`)",
                        config_path.display(),
                        sc.input
                    );
                }
                let path = dir.join(&sc.model);
                let session = open_session(&path)?;
                if !session.outputs().iter().any(|o| o.name() == "stance") {
                    bail!("{}: stance graph has no `stance` output", path.display());
                }
                id.push_str(&format!("+stance@{}", &file_sha256(&path)?[..12]));
                Some(StanceGraph {
                    session: Mutex::new(session),
                    pair_tokenizer: with_truncation(
                        base,
                        sc.max_length,
                        TruncationStrategy::OnlyFirst,
                    )?,
                })
            }
        };
        Ok(Self {
            session: Mutex::new(session),
            tokenizer,
            pair_tokenizer,
            config,
            outputs,
            stance_graph,
            id,
            dir: dir.to_path_buf(),
        })
    }

    /// Whether stance pairs should be given with the target's mentions marked (the separate
    /// news-trained stance graph) rather than as (clause, target) (the main graph's head).
    pub fn stance_marks_mentions(&self) -> bool {
        self.stance_graph.is_some()
    }

    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the model has a stance head (pairs of sentence and target).
    pub fn has_stance(&self) -> bool {
        self.stance_graph.is_some() || self.outputs.iter().any(|o| o == "stance")
    }

    /// Token ids for a sentence, as the encoder sees them.
    pub fn encode(&self, text: &str) -> anyhow::Result<Encoding> {
        self.tokenizer
            .encode(text, true)
            .map_err(|e| anyhow!("tokenizing: {e}"))
    }

    /// Token ids for a (sentence, target) pair; only the sentence is truncated.
    pub fn encode_pair(&self, text: &str, target: &str) -> anyhow::Result<Encoding> {
        self.pair_tokenizer
            .encode((text, target), true)
            .map_err(|e| anyhow!("tokenizing: {e}"))
    }

    /// Logits of every head for pre-tokenised inputs, batched by length, in input order.
    pub fn logits(&self, encodings: &[Encoding]) -> anyhow::Result<Logits> {
        logits(&self.session, &self.outputs, encodings)
    }

    /// Stance probabilities (favor, against, none) for (sentence, target) pairs. With a
    /// separate stance graph the sentences are expected marked (`stance_marks_mentions`).
    pub fn stance(&self, pairs: &[(&str, &str)]) -> anyhow::Result<Vec<[f32; 3]>> {
        if !self.has_stance() {
            bail!("this model has no stance head");
        }
        let (session, tokenizer, outputs) = match &self.stance_graph {
            Some(g) => (&g.session, &g.pair_tokenizer, vec!["stance".to_string()]),
            None => (&self.session, &self.pair_tokenizer, self.outputs.clone()),
        };
        let encodings = pairs
            .iter()
            .map(|(s, t)| {
                tokenizer
                    .encode((*s, *t), true)
                    .map_err(|e| anyhow!("tokenizing: {e}"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let logits = logits(session, &outputs, &encodings)?;
        Ok(logits["stance"]
            .iter()
            .map(|row| to3(&softmax(row)))
            .collect())
    }
}

/// Opens one graph with rhetor's session settings.
fn open_session(path: &Path) -> anyhow::Result<Session> {
    let env = runtime::environment()?;
    (|| -> ort::Result<Session> {
        Session::builder(&env)?
            .with_intra_threads(runtime::threads())?
            // No spin-waiting: rhetor shares cores with rayon workers (batch) and other
            // jobs, where spinning threads burn the CPU the work needs.
            .with_intra_op_spinning(false)?
            .commit_from_file(path)
    })()
    .map_err(|e| anyhow!("{}: cannot load model: {e}", path.display()))
}

/// Logits of the named outputs of `session` for pre-tokenised inputs, batched by length, in
/// input order.
fn logits(
    session: &Mutex<Session>,
    outputs: &[String],
    encodings: &[Encoding],
) -> anyhow::Result<Logits> {
    let mut order: Vec<usize> = (0..encodings.len()).collect();
    order.sort_by_key(|&i| encodings[i].get_ids().len());
    let mut out: Logits = outputs
        .iter()
        .map(|o| (o.clone(), vec![Vec::new(); encodings.len()]))
        .collect();
    for chunk in order.chunks(BATCH) {
        let batch: Vec<&Encoding> = chunk.iter().map(|&i| &encodings[i]).collect();
        let result = run_batch(session, outputs, &batch)?;
        for (head, rows) in result {
            let slot = out.get_mut(&head).expect("outputs listed at load");
            for (row, &i) in rows.into_iter().zip(chunk) {
                slot[i] = row;
            }
        }
    }
    Ok(out)
}

/// One encoder call on a padded batch.
fn run_batch(
    session: &Mutex<Session>,
    names: &[String],
    batch: &[&Encoding],
) -> anyhow::Result<Vec<(String, Vec<Vec<f32>>)>> {
    let len = batch
        .iter()
        .map(|e| e.get_ids().len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut ids = vec![0i64; batch.len() * len];
    let mut mask = vec![0i64; batch.len() * len];
    for (r, e) in batch.iter().enumerate() {
        for (c, &id) in e.get_ids().iter().enumerate() {
            ids[r * len + c] = i64::from(id);
            mask[r * len + c] = 1;
        }
    }
    let shape = [batch.len(), len];
    let input_ids = Tensor::from_array((shape, ids))?;
    let attention_mask = Tensor::from_array((shape, mask))?;
    let mut session = session
        .lock()
        .map_err(|_| anyhow!("model session poisoned by an earlier panic"))?;
    let outputs =
        session.run(ort::inputs!["input_ids" => input_ids, "attention_mask" => attention_mask])?;
    let mut result = Vec::with_capacity(names.len());
    for name in names {
        let (shape, data) = outputs[name.as_str()].try_extract_tensor::<f32>()?;
        let width = shape.get(1).copied().unwrap_or(1).max(1) as usize;
        result.push((
            name.clone(),
            data.chunks(width).map(<[f32]>::to_vec).collect(),
        ));
    }
    Ok(result)
}

impl SentenceModel for OnnxModel {
    fn score(&self, sentences: &[&str]) -> anyhow::Result<Vec<SentenceScores>> {
        let encodings = sentences
            .iter()
            .map(|s| self.encode(s))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let logits = self.logits(&encodings)?;
        Ok((0..sentences.len())
            .map(|i| SentenceScores {
                sentiment: to3(&softmax(&logits["sentiment"][i])),
                uncertainty: softmax(&logits["uncertainty"][i])
                    .get(1)
                    .copied()
                    .unwrap_or(0.0),
                bias: softmax(&logits["bias"][i]).get(1).copied().unwrap_or(0.0),
                techniques: logits["technique"][i].iter().map(|&x| sigmoid(x)).collect(),
            })
            .collect())
    }

    fn technique_names(&self) -> &[String] {
        &self.config.technique_names
    }

    fn id(&self) -> String {
        self.id.clone()
    }
}

fn with_truncation(
    mut tok: Tokenizer,
    max_length: usize,
    strategy: TruncationStrategy,
) -> anyhow::Result<Tokenizer> {
    tok.with_truncation(Some(TruncationParams {
        max_length,
        strategy,
        stride: 0,
        direction: TruncationDirection::Right,
    }))
    .map_err(|e| anyhow!("tokenizer truncation: {e}"))?;
    tok.with_padding(None);
    Ok(tok)
}

pub fn softmax(xs: &[f32]) -> Vec<f32> {
    let max = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = xs.iter().map(|x| (x - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn to3(v: &[f32]) -> [f32; 3] {
    [
        v.first().copied().unwrap_or(0.0),
        v.get(1).copied().unwrap_or(0.0),
        v.get(2).copied().unwrap_or(0.0),
    ]
}

fn file_sha256(path: &Path) -> anyhow::Result<String> {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
