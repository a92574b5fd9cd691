//! `rhetor compare` and `rhetor analyse --baseline`, on corpora written for these tests.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "corpus_support.rs"]
mod corpus_support;
use corpus_support::{rhetor, rules_dir};

/// Alice says "clearly" in most sentences; Bob hedges with "may"; Chen writes plainly with an
/// occasional "landmark". Everyone says "undoubtedly" and "perhaps" now and then.
fn corpus(root: &Path) -> PathBuf {
    let mut s = String::from("id,author,outlet,text\n");
    for i in 0..36 {
        let author = ["Alice", "Bob", "Chen"][i % 3];
        let mut text = String::new();
        for k in 0..(4 + i % 4) {
            let sentence = match (author, (i + k) % 3) {
                ("Alice", 0 | 1) => "The result is clearly good for the town.",
                ("Bob", 0 | 1) => "The result may be good for the town.",
                ("Chen", 0) if i % 2 == 0 => "The new bridge is a landmark for the town.",
                (_, 2) if k % 2 == 0 => "It is undoubtedly late, perhaps too late.",
                _ => "The council met on Tuesday and voted on the budget.",
            };
            text.push_str(sentence);
            text.push(' ');
        }
        s.push_str(&format!(
            "d{i:02},{author},{},\"{}\"\n",
            if i % 2 == 0 { "Gazette" } else { "Herald" },
            text.trim()
        ));
    }
    let input = root.join("in.csv");
    fs::write(&input, s).unwrap();
    let out = root.join("out");
    rhetor()
        .arg("batch")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--no-model", "--only", "t.*", "--rules"])
        .arg(rules_dir(root))
        .assert()
        .success();
    out
}

fn compare_json(dirs: &[&Path], extra: &[&str]) -> Value {
    let out = rhetor()
        .arg("compare")
        .args(dirs)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn group<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("no group {name}"))
}

const CATEGORIES: [&str; 7] = [
    "promotional",
    "booster",
    "intensifier",
    "hedge",
    "weasel",
    "attribution",
    "loaded",
];

#[test]
fn json_has_the_contract_shape_and_intervals_hold_their_means() {
    let tmp = tempfile::tempdir().unwrap();
    let out = corpus(tmp.path());
    let report = compare_json(&[&out], &[]);
    assert_eq!(report["by"], "author");
    assert_eq!(report["corpus"]["documents"], 36);
    let groups = report["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    for g in groups {
        assert_eq!(g["documents"], 12);
        for c in CATEGORIES {
            let mean = g["rates_per_100_words"][c].as_f64().unwrap();
            let ci = &g["ci95"][c];
            let (lo, hi) = (ci["low"].as_f64().unwrap(), ci["high"].as_f64().unwrap());
            assert!(
                lo <= mean && mean <= hi,
                "{} {c}: {mean} not in [{lo}, {hi}]",
                g["name"]
            );
            assert!(g["effect_size"].get(c).is_some(), "no effect size for {c}");
        }
        for d in g["distinctive"].as_array().unwrap() {
            assert!(d["phrase"].is_string() && d["category"].is_string());
            assert!(d["z"].as_f64().unwrap() > 0.0 && d["count"].as_u64().unwrap() > 0);
        }
        assert!(g["scores"].is_null(), "no model, no scores");
    }
    // Alice's booster rate is real and its interval excludes the others' means.
    let alice = group(&report, "Alice");
    let bob = group(&report, "Bob");
    let a_low = alice["ci95"]["booster"]["low"].as_f64().unwrap();
    assert!(a_low > bob["rates_per_100_words"]["booster"].as_f64().unwrap());
    assert!(alice["effect_size"]["booster"].as_f64().unwrap() > 1.0);
    assert!(bob["effect_size"]["booster"].as_f64().unwrap() < 0.0);
    // Ranked by the sort category, highest first.
    let by_hedge = compare_json(&[&out], &["--sort", "hedge"]);
    assert_eq!(by_hedge["groups"][0]["name"], "Bob");
    assert_eq!(by_hedge["groups"][0]["rank"], 1);
    // Deterministic: same input, same bytes.
    assert_eq!(report, compare_json(&[&out], &[]));
}

#[test]
fn log_odds_puts_each_writers_habit_first() {
    let tmp = tempfile::tempdir().unwrap();
    let out = corpus(tmp.path());
    let report = compare_json(&[&out], &[]);
    let top = |name: &str| group(&report, name)["distinctive"][0]["phrase"].clone();
    assert_eq!(top("Alice"), "clearly");
    assert_eq!(top("Bob"), "may");
    assert_eq!(top("Chen"), "landmark");
    let clearly = &group(&report, "Alice")["distinctive"][0];
    assert_eq!(clearly["category"], "booster");
    assert!(clearly["z"].as_f64().unwrap() > 3.0, "{clearly}");
    // A phrase everyone uses alike is not distinctive of Alice.
    let alice_phrases: Vec<&Value> = group(&report, "Alice")["distinctive"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["phrase"])
        .collect();
    assert!(!alice_phrases.contains(&&Value::from("may")));
}

#[test]
fn text_and_csv_rank_every_group() {
    let tmp = tempfile::tempdir().unwrap();
    let out = corpus(tmp.path());
    let text = rhetor()
        .arg("compare")
        .arg(&out)
        .args(["--sort", "booster"])
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    let ranked: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(ranked[0], "Alice");
    assert_eq!(ranked.len(), 3);
    assert!(text.contains("“clearly”"), "{text}");

    let csv_out = tmp.path().join("groups.csv");
    rhetor()
        .arg("compare")
        .arg(&out)
        .args(["--by", "outlet", "--format", "csv", "--output"])
        .arg(&csv_out)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(&csv_out).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&h[..4], ["rank", "outlet", "documents", "words"]);
    assert!(h.contains(&"booster_ci_low".to_string()) && h.contains(&"hedge_g".to_string()));
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][2], "18");
}

#[test]
fn unknown_column_and_missing_dirs_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = corpus(tmp.path());
    rhetor()
        .arg("compare")
        .arg(&out)
        .args(["--by", "year"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no `year` column to group by"))
        .stderr(predicates::str::contains("author, outlet"));
    rhetor()
        .arg("compare")
        .arg(tmp.path().join("nowhere"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("manifest.json"));
}

#[test]
fn html_page_charts_every_group_with_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    let out = corpus(tmp.path());
    let report = compare_json(&[&out], &[]);
    let html = rhetor()
        .arg("compare")
        .arg(&out)
        .args(["--format", "html"])
        .output()
        .unwrap();
    assert!(
        html.status.success(),
        "{}",
        String::from_utf8_lossy(&html.stderr)
    );
    let page = String::from_utf8(html.stdout).unwrap();
    assert!(
        page.starts_with("<!DOCTYPE html>"),
        "{}",
        &page[..80.min(page.len())]
    );
    assert!(page.contains("<svg"), "charts are inline SVG");
    for g in report["groups"].as_array().unwrap() {
        assert!(
            page.contains(g["name"].as_str().unwrap()),
            "group {} on the page",
            g["name"]
        );
    }
    assert!(!page.contains("<script"), "no script in the page");
}

#[test]
fn baseline_places_a_column_within_the_corpus_and_its_writer() {
    let tmp = tempfile::tempdir().unwrap();
    let out = corpus(tmp.path());
    let column = tmp.path().join("Bob").join("new.txt");
    fs::create_dir_all(column.parent().unwrap()).unwrap();
    // Clearly more boosting than anything in the corpus, and hedged like Bob.
    fs::write(
        &column,
        "It is clearly right. It is clearly fair. It may rain. The town clearly agrees.",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let o = rhetor()
            .arg("analyse")
            .arg(&column)
            .args(["--no-model", "--only", "t.*", "--rules"])
            .arg(rules_dir(tmp.path()))
            .arg("--baseline")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let json: Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    // The report is unchanged, with `baseline` added.
    assert_eq!(json["schema_version"], 1);
    assert!(json["sentences"].is_array());
    let b = &json["baseline"];
    assert_eq!(b["documents"], 36);
    // The writer comes from the file's directory, which names a writer in the corpus.
    assert_eq!(b["author"], "Bob");
    assert_eq!(b["author_documents"], 12);
    let booster = &b["rates"]["booster"];
    assert_eq!(booster["corpus_percentile"], 100.0);
    assert_eq!(booster["author_percentile"], 100.0);
    assert_eq!(b["rates"]["loaded"]["corpus_percentile"], 0.0);
    // --author picks another writer.
    let json: Value =
        serde_json::from_str(&run(&["--format", "json", "--author", "Alice"])).unwrap();
    assert_eq!(json["baseline"]["author"], "Alice");
    let text = run(&[]);
    assert!(
        text.contains("Against the baseline (36 columns; 12 by Bob)"),
        "{text}"
    );
    assert!(text.contains("higher than 100% of the corpus"), "{text}");
}
