//! Stance toward targets. The aggregation is tested deterministically through a fake scorer;
//! the trained stance head is checked on a sentence naming two targets with opposite stances
//! where a model with a stance head is installed (skipped with a message otherwise).

use rhetor::classify::stance::{self, Scorer, Stance, StanceAnalysis, StanceScorer, Tally};
use rhetor::classify::{self, runtime};
use rhetor::document::{Document, SourceFormat};
use rhetor::pipeline::Analyzer;
use rhetor::report::{self, BuildInfo, Printer};
use rhetor::rules::RuleSet;
use rhetor::tag::targets::TargetSpec;
use std::sync::Mutex;

/// Judges "T deserves praise" favour and "T deserves blame" against, anything else none; records
/// the size of every call.
#[derive(Default)]
struct Fake {
    calls: Mutex<Vec<usize>>,
}

impl StanceScorer for Fake {
    fn stance(&self, pairs: &[(&str, &str)]) -> anyhow::Result<Vec<[f32; 3]>> {
        self.calls.lock().unwrap().push(pairs.len());
        Ok(pairs
            .iter()
            .map(|(s, t)| {
                if s.contains(&format!("{t} deserves praise")) {
                    [0.8, 0.1, 0.1]
                } else if s.contains(&format!("{t} deserves blame")) {
                    [0.1, 0.8, 0.1]
                } else {
                    [0.1, 0.2, 0.7]
                }
            })
            .collect())
    }
}

// Sentence ids: 0 title; 1–5 first section; 6 heading, 7–9 second section.
const HARBOUR: &str = "\
# Harbour Politics

Norway deserves praise for its patience, and Vestmark deserves blame for the delays. Norway
deserves praise again. Vestmark deserves blame as well. Sweden watched. Sweden said nothing.

## Later

Norway deserves blame for one slip. Officials in Vestmark met Anna Berg. Anna Berg deserves praise.
";

fn judge(scorer: Scorer<'_>, user: &[&str]) -> StanceAnalysis {
    let doc = Document::parse(HARBOUR, SourceFormat::Markdown);
    let specs: Vec<TargetSpec> = user.iter().map(|s| s.parse().unwrap()).collect();
    stance::analyse(&doc, &specs, scorer).unwrap()
}

fn tally(favor: usize, against: usize, none: usize) -> Tally {
    Tally {
        favor,
        against,
        none,
    }
}

#[test]
fn one_batched_call_for_every_sentence_target_pair() {
    let fake = Fake::default();
    let a = judge(Scorer::Model(&fake), &["Atlantis"]);
    assert!(a.evaluated);
    // Norway 3 sentences, Vestmark 3, Sweden 2, Anna Berg 2; Atlantis is never mentioned.
    assert_eq!(*fake.calls.lock().unwrap(), [10]);
}

#[test]
fn a_sentence_naming_two_targets_gets_a_judgement_for_each() {
    let fake = Fake::default();
    let a = judge(Scorer::Model(&fake), &[]);
    let get = |name: &str| a.targets.iter().find(|t| t.target.name == name).unwrap();
    let norway = get("Norway");
    let vestmark = get("Vestmark");
    assert_eq!(norway.judgements[0].sentence, 1);
    assert_eq!(vestmark.judgements[0].sentence, 1);
    assert_eq!(norway.judgements[0].stance, Stance::Favor);
    assert_eq!(vestmark.judgements[0].stance, Stance::Against);
}

#[test]
fn tallies_verdicts_evidence_and_sections() {
    let fake = Fake::default();
    let a = judge(Scorer::Model(&fake), &[]);
    let get = |name: &str| a.targets.iter().find(|t| t.target.name == name).unwrap();

    // Two favour, one against: two thirds take one side.
    let norway = get("Norway");
    assert_eq!(norway.counts, tally(2, 1, 0));
    assert_eq!(norway.stance, Stance::Favor);
    assert_eq!(norway.evidence(), [1, 2]);
    assert_eq!(norway.evidence_for(Stance::Against), [7]);
    // A section's lone sentence is thin evidence: none (too few).
    assert_eq!(
        norway.sections,
        [
            (0, tally(2, 0, 0), Stance::Favor),
            (1, tally(0, 1, 0), Stance::None)
        ]
    );

    let vestmark = get("Vestmark");
    assert_eq!(vestmark.counts, tally(0, 2, 1));
    assert_eq!(vestmark.stance, Stance::Against);
    assert_eq!(vestmark.evidence(), [1, 3]);

    // One favourable sentence beside a neutral one: too few for a verdict.
    let berg = get("Anna Berg");
    assert_eq!(berg.stance, Stance::None);
    assert!(berg.reason.starts_with("none (too few)"), "{}", berg.reason);
    assert_eq!(berg.evidence_for(Stance::Favor), [9]);

    // Mentioned and evaluated, but never a side: none, with every mention as evidence.
    let sweden = get("Sweden");
    assert_eq!(sweden.counts, tally(0, 0, 2));
    assert_eq!(sweden.stance, Stance::None);
    assert!(sweden.reason.starts_with("none: no sentence takes a side"));
    assert_eq!(sweden.evidence(), [4, 5]);

    // Vestmark only opposed, Anna Berg only favoured; Norway mixed, Sweden sideless.
    let one = &a.one_sidedness;
    assert_eq!((one.eligible, one.one_sided), (4, 2));
    assert_eq!(one.share, Some(0.5));
    assert_eq!(one.favoured_only, ["Anna Berg"]);
    assert_eq!(one.opposed_only, ["Vestmark"]);
}

#[test]
fn mixed_record_is_none_and_says_so() {
    let t = tally(3, 2, 1);
    let (s, reason) = t.verdict();
    assert_eq!(s, Stance::None);
    assert_eq!(reason, "none (mixed): 3 favor, 2 against, 1 none");
}

#[test]
fn without_a_stance_head_targets_come_out_unevaluated() {
    let a = judge(Scorer::of(None), &["Atlantis"]);
    assert!(!a.evaluated);
    assert!(a.note.contains("model off"), "{}", a.note);
    let atlantis = &a.targets[0];
    assert_eq!(atlantis.target.name, "Atlantis");
    assert!(atlantis.judgements.is_empty());
    assert_eq!(atlantis.stance, Stance::None);
    let norway = a
        .targets
        .iter()
        .find(|t| t.target.name == "Norway")
        .unwrap();
    assert_eq!(norway.counts, tally(0, 0, 3));
    assert!(norway.judgements.iter().all(|j| j.scores.is_none()));
    assert_eq!(norway.evidence(), [1, 2, 7]);
    assert_eq!(a.one_sidedness.eligible, 0);
    assert_eq!(a.one_sidedness.share, None);
}

#[test]
fn the_report_carries_stance_per_target_and_section() {
    let analyzer = Analyzer::new(RuleSet::builtin().unwrap(), None);
    let analysis = analyzer.analyse(HARBOUR, SourceFormat::Markdown).unwrap();
    let fake = Fake::default();
    let judged = stance::analyse(&analysis.doc, &[], Scorer::Model(&fake)).unwrap();
    let info = BuildInfo {
        path: None,
        format: SourceFormat::Markdown,
        rules_hash: String::new(),
        targets: &[],
    };
    let r = report::build_with_stance(&analysis, HARBOUR, info, judged);
    assert!(r.stance.enabled);
    let v = serde_json::to_value(&r).unwrap();
    let norway = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Norway")
        .unwrap();
    assert_eq!(norway["stance"], "favor");
    assert_eq!(norway["counts"]["against"], 1);
    assert_eq!(norway["evidence"], serde_json::json!([1, 2]));
    assert_eq!(
        norway["evidence_by_stance"]["against"],
        serde_json::json!([7])
    );
    assert_eq!(norway["sections"][1]["stance"], "none");
    assert_eq!(norway["strongest_evidence"], serde_json::json!([1, 2]));
    assert_eq!(norway["judgements"][0]["scores"]["favor"], 0.8);
    assert_eq!(v["stance"]["one_sidedness"]["share"], 0.5);

    let mut out = Vec::new();
    report::text::TextPrinter { color: false }
        .print(&r, &mut out)
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("Norway "))
        .expect("a Norway row");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells, ["Norway", "3", "2", "1", "0", "favor", "1", "2"]);
    assert!(text.contains("one-sidedness 0.50"), "{text}");
}

/// The installed classifier, if it has a stance head (a message says why not otherwise).
fn stance_model() -> Option<classify::onnx::OnnxModel> {
    if !runtime::model_dir().join("config.json").is_file() {
        eprintln!(
            "SKIP: no classifier in {} (models/classifier not committed yet)",
            runtime::model_dir().display()
        );
        return None;
    }
    let model = classify::load_onnx().expect("model loads (run scripts/setup.sh)");
    if !model.has_stance() {
        eprintln!("SKIP: the classifier has no stance head");
        return None;
    }
    Some(model)
}

/// With the model, every mention of every target is judged, in one pass per pair.
#[test]
fn model_judges_every_sentence_target_pair() {
    let Some(model) = stance_model() else { return };
    let doc = Document::parse(HARBOUR, SourceFormat::Markdown);
    let a = stance::analyse(&doc, &[], Scorer::of(Some(&model))).unwrap();
    assert!(a.evaluated);
    for t in &a.targets {
        assert!(!t.judgements.is_empty());
        for j in &t.judgements {
            let p = j.scores.expect("evaluated");
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-3, "{p:?}");
            assert_eq!(j.stance, Stance::judged(&p));
        }
    }
}

/// The stance graph's judgement of `target` in a one-sentence text.
fn judged_in(model: &classify::onnx::OnnxModel, text: &str, target: &str) -> (Stance, [f32; 3]) {
    let doc = Document::parse(text, SourceFormat::Text);
    let specs: Vec<TargetSpec> = vec![target.parse().unwrap()];
    let a = stance::analyse(&doc, &specs, Scorer::of(Some(model))).unwrap();
    let t = a
        .targets
        .iter()
        .find(|t| t.target.name == target)
        .expect("the target");
    let j = &t.judgements[0];
    (j.stance, j.scores.expect("evaluated"))
}

/// The trained stance head on one sentence that praises one state and condemns another: each
/// target is judged with its own mentions marked.
#[test]
fn model_gives_opposite_stances_in_one_sentence() {
    let Some(model) = stance_model() else { return };
    let text = "Norway has been a generous, honest and reliable partner, while Vestmark has \
                lied, broken every promise and sabotaged the talks.";
    let (norway, p) = judged_in(&model, text, "Norway");
    assert_eq!(norway, Stance::Favor, "Norway: {p:?}");
    let (vestmark, p) = judged_in(&model, text, "Vestmark");
    assert_eq!(vestmark, Stance::Against, "Vestmark: {p:?}");
}

/// A victim described amid bad news is not opposed: the sentence is grim, the writer is not
/// against the person or place it befalls.
#[test]
fn model_does_not_read_a_victim_amid_bad_news_as_against() {
    let Some(model) = stance_model() else { return };
    for (text, target) in [
        (
            "Maria Okafor lost her home and her savings when the floods swept through the valley last week.",
            "Maria Okafor",
        ),
        (
            "Thousands of families in Norland have been left without food or shelter after the earthquake.",
            "Norland",
        ),
    ] {
        let (s, p) = judged_in(&model, text, target);
        assert_ne!(s, Stance::Against, "{target}: {p:?}");
    }
}

/// An ally under attack, defended by the writer, is favoured.
#[test]
fn model_favours_an_ally_under_attack() {
    let Some(model) = stance_model() else { return };
    let text = "Vestmark's missiles struck Norland's cities overnight, but Norland's defenders \
                held the line with remarkable courage.";
    let (s, p) = judged_in(&model, text, "Norland");
    assert_eq!(s, Stance::Favor, "Norland: {p:?}");
}

/// A quoted attack is the speaker's stance: judged and shown as quoted, not counted for the
/// writer, whose own sentences decide the verdict.
#[test]
fn a_quoted_attack_is_the_speakers_stance_not_the_writers() {
    let fake = Fake::default();
    let text = "\"Vestmark deserves blame for everything,\" the opposition leader said.\n\n\
                Vestmark deserves praise for the new harbour. Vestmark deserves praise again.";
    let doc = Document::parse(text, SourceFormat::Text);
    let specs: Vec<TargetSpec> = vec!["Vestmark".parse().unwrap()];
    let a = stance::analyse(&doc, &specs, Scorer::Model(&fake)).unwrap();
    let v = a
        .targets
        .iter()
        .find(|t| t.target.name == "Vestmark")
        .expect("Vestmark");
    assert_eq!(v.counts, tally(2, 0, 0), "the quoted attack is not counted");
    assert_eq!(v.stance, Stance::Favor);
    assert_eq!(v.quoted(), [0]);
    assert!(v.judgements[0].quoted);
    assert_eq!(
        v.judgements[0].stance,
        Stance::Against,
        "still judged and shown"
    );
    assert!(!v.evidence().contains(&0));
}

#[test]
fn csv_rows_do_not_depend_on_targets_so_csv_skips_them() {
    let analyzer = Analyzer::new(RuleSet::builtin().unwrap(), None);
    let analysis = analyzer.analyse(HARBOUR, SourceFormat::Markdown).unwrap();
    let info = || BuildInfo {
        path: None,
        format: SourceFormat::Markdown,
        rules_hash: String::new(),
        targets: &[],
    };
    let fake = Fake::default();
    let judged = stance::analyse(&analysis.doc, &[], Scorer::Model(&fake)).unwrap();
    let full = report::build_with_stance(&analysis, HARBOUR, info(), judged);
    let lean = report::build_without_targets(&analysis, HARBOUR, info());
    assert!(!full.targets.is_empty() && lean.targets.is_empty());
    assert!(lean.stance.note.contains("not detected"));
    let csv = |r: &report::Report| {
        let mut out = Vec::new();
        report::csv::CsvPrinter { raw: false }
            .print(r, &mut out)
            .unwrap();
        out
    };
    assert_eq!(csv(&full), csv(&lean));
    assert_eq!(full.summary, lean.summary);
}
