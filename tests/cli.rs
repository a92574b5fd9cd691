//! The `rhetor` command end to end: formats, exit codes, bad input, determinism.

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::Write;

fn rhetor() -> Command {
    let mut cmd = Command::cargo_bin("rhetor").expect("binary builds");
    cmd.env_remove("NO_COLOR");
    cmd
}

const COLUMN_MD: &str = "tests/fixtures/column.md";
const COLUMN_TXT: &str = "tests/fixtures/column.txt";

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = rhetor().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn json_report_follows_the_contract() {
    let v = json_of(&["analyse", COLUMN_MD, "--format", "json", "--no-model"]);
    assert_eq!(v["schema_version"], 1);
    for key in ["summary", "sections", "sentences", "targets"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let source = std::fs::read_to_string(COLUMN_MD).unwrap();
    for sec in v["sections"].as_array().unwrap() {
        for key in ["index", "heading", "start", "end", "summary"] {
            assert!(sec.get(key).is_some(), "section missing {key}");
        }
    }
    for s in v["sentences"].as_array().unwrap() {
        for key in [
            "id",
            "section",
            "text",
            "start",
            "end",
            "sentiment",
            "tone",
            "tone_reason",
            "findings",
        ] {
            assert!(s.get(key).is_some(), "sentence missing {key}");
        }
        assert!(s["sentiment"].is_null(), "--no-model leaves sentiment null");
        assert!(
            ["promotional", "hedged", "critical", "neutral"].contains(&s["tone"].as_str().unwrap())
        );
        for f in s["findings"].as_array().unwrap() {
            let (start, end) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            // Spans are byte offsets into the original file: the slice, with markup and
            // whitespace normalised, is the finding's text.
            let slice: String = source[start..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(slice.replace("**", ""), f["text"].as_str().unwrap());
            if f["category"] == "attribution" {
                assert!(
                    f.get("source").is_some(),
                    "attribution findings carry source"
                );
            }
        }
    }
    let summary = &v["summary"];
    assert!(summary["words"].as_u64().unwrap() > 100);
    for cat in [
        "promotional",
        "booster",
        "intensifier",
        "hedge",
        "weasel",
        "attribution",
        "loaded",
    ] {
        assert!(
            summary["rates_per_100_words"].get(cat).is_some(),
            "rate for {cat}"
        );
    }
}

#[test]
fn json_snapshot_of_a_small_column() {
    let v = json_of(&["analyse", COLUMN_MD, "--format", "json", "--no-model"]);
    insta::assert_json_snapshot!("column_md_report", v);
}

#[test]
fn attribution_sources_named_and_anonymous() {
    let v = json_of(&["analyse", COLUMN_MD, "--format", "json", "--no-model"]);
    let findings: Vec<&serde_json::Value> = v["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["findings"].as_array().unwrap())
        .collect();
    let sources: Vec<(&str, Option<&str>)> = findings
        .iter()
        .filter(|f| f["category"] == "attribution")
        .map(|f| (f["rule"].as_str().unwrap(), f["source"].as_str()))
        .collect();
    assert!(
        sources.contains(&("attribution.authority", Some("Ingrid Holm"))),
        "{sources:?}"
    );
    assert!(
        sources.contains(&("attribution.anonymous", None)),
        "{sources:?}"
    );
    assert!(
        sources.contains(&("attribution.named", Some("Norland Ministry of Trade"))),
        "{sources:?}"
    );
    assert_eq!(v["summary"]["sources"]["anonymous"], 1);
}

#[test]
fn output_is_deterministic() {
    let run = || {
        rhetor()
            .args(["analyse", COLUMN_MD, "--format", "json", "--no-model"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
    let csv = || {
        rhetor()
            .args(["analyse", COLUMN_TXT, "--format", "csv", "--no-model"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(csv(), csv());
}

#[test]
fn text_and_markdown_give_the_same_sentences() {
    let md = json_of(&["analyse", COLUMN_MD, "--format", "json", "--no-model"]);
    let txt = json_of(&["analyse", COLUMN_TXT, "--format", "json", "--no-model"]);
    let texts = |v: &serde_json::Value| -> Vec<String> {
        v["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap().to_string())
            .collect()
    };
    // The text twin has no sub-headings; every other sentence matches.
    let md_texts: Vec<String> = texts(&md)
        .into_iter()
        .filter(|t| t != "What the deal does" && t != "Why sceptics are wrong")
        .collect();
    assert_eq!(md_texts, texts(&txt));
    assert_eq!(
        txt["sections"].as_array().unwrap().len(),
        5,
        "title + four paragraphs"
    );
}

#[test]
fn csv_has_one_row_per_sentence() {
    let out = rhetor()
        .args(["analyse", COLUMN_TXT, "--format", "csv", "--no-model"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "sentence");
    assert!(headers.iter().any(|h| h == "hedge_rate"));
    assert_eq!(r.records().count(), 11);
}

#[test]
fn text_output_is_plain_when_not_a_tty() {
    rhetor()
        .args(["analyse", COLUMN_MD, "--no-model"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{1b}[").not())
        .stdout(predicate::str::contains("source: Ingrid Holm"));
    rhetor()
        .args(["analyse", COLUMN_MD, "--no-model", "--color", "always"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{1b}["));
}

#[test]
fn stdin_is_read_with_a_dash() {
    rhetor()
        .args(["analyse", "-", "--format", "json", "--no-model"])
        .write_stdin("Officials say the plan may work. It is clearly the best plan.")
        .assert()
        .success()
        .stdout(predicate::str::contains("\"schema_version\": 1"));
}

#[test]
fn fail_on_threshold_sets_exit_code_1() {
    rhetor()
        .args([
            "analyse",
            COLUMN_MD,
            "--no-model",
            "--fail-on",
            "attribution>0.5",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("attribution rate"));
    rhetor()
        .args([
            "analyse",
            COLUMN_MD,
            "--no-model",
            "--fail-on",
            "attribution>90",
        ])
        .assert()
        .code(0);
    rhetor()
        .args([
            "analyse",
            COLUMN_MD,
            "--no-model",
            "--fail-on",
            "nonsense>1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown category"));
}

#[test]
fn csv_output_streams_and_still_applies_fail_on() {
    // CSV rows are printed as they are analysed; the document's rates still decide the exit.
    rhetor()
        .args(["analyse", COLUMN_MD, "--no-model", "--format", "csv"])
        .args(["--fail-on", "attribution>0.5"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("sentence,section,heading"))
        .stderr(predicate::str::contains("attribution rate"));
    rhetor()
        .args(["analyse", COLUMN_MD, "--no-model", "--format", "csv"])
        .args(["--fail-on", "attribution>90"])
        .assert()
        .code(0);
    // Its rows have no place for a baseline: say so rather than drop it silently.
    rhetor()
        .args(["analyse", COLUMN_MD, "--no-model", "--format", "csv"])
        .args(["--baseline", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--baseline adds to json and text output",
        ));
}

#[test]
fn missing_model_is_an_error_naming_the_fix() {
    let out = rhetor()
        .args(["analyse", COLUMN_MD])
        .env("RHETOR_MODEL_DIR", "/nonexistent/rhetor-model")
        .output()
        .unwrap();
    if out.status.success() {
        return; // a model was found some other way (ORT and model installed); nothing to check
    }
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-model"));
}

fn temp_file(bytes: &[u8], ext: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(ext).tempfile().unwrap();
    f.write_all(bytes).unwrap();
    f
}

fn assert_one_line_error(args: &[&str], needle: &str) {
    let out = rhetor().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "expected {needle:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_inputs_get_one_line_errors() {
    assert_one_line_error(
        &["analyse", "no/such/file.txt", "--no-model"],
        "no/such/file.txt",
    );
    assert_one_line_error(&["analyse", "tests", "--no-model"], "is a directory");
    let binary = temp_file(b"\x7fELF\x02\x01\x01\0\0\0\0binary", ".txt");
    assert_one_line_error(
        &["analyse", binary.path().to_str().unwrap(), "--no-model"],
        "binary",
    );
    let latin1 = temp_file(b"Caf\xe9 society is clearly the best.", ".txt");
    assert_one_line_error(
        &["analyse", latin1.path().to_str().unwrap(), "--no-model"],
        "invalid UTF-8 at byte offset 3",
    );
    let empty = temp_file(b"", ".txt");
    assert_one_line_error(
        &["analyse", empty.path().to_str().unwrap(), "--no-model"],
        "empty",
    );
    let blank = temp_file(b" \n\n\t ", ".txt");
    assert_one_line_error(
        &["analyse", blank.path().to_str().unwrap(), "--no-model"],
        "only whitespace",
    );
    let big = temp_file(&vec![b'a'; 5000], ".txt");
    assert_one_line_error(
        &[
            "analyse",
            big.path().to_str().unwrap(),
            "--no-model",
            "--max-bytes",
            "4096",
        ],
        "larger than 4096 bytes",
    );
}

#[test]
fn rules_commands() {
    rhetor()
        .args(["rules", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("cues"));
    rhetor()
        .args(["rules", "test"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 failed"));
    rhetor()
        .args(["rules", "explain", "no.such.rule"])
        .assert()
        .code(2);
}

#[test]
fn user_rules_are_added_and_broken_files_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("house.yaml"),
        "category: loaded\nrules:\n  - id: house.banned\n    message: House style bans this word.\n    kind: phrases\n    phrases: [harbour]\n    examples:\n      match: [The harbour.]\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let v = json_of(&[
        "analyse",
        COLUMN_MD,
        "--format",
        "json",
        "--no-model",
        "--rules",
        d,
    ]);
    let hits = v["summary"]["finding_ids"]["loaded"]
        .as_array()
        .unwrap()
        .len();
    assert!(hits >= 3, "user rule fires: {hits}");
    rhetor()
        .args(["rules", "explain", "house.banned", "--rules", d])
        .assert()
        .success();

    std::fs::write(
        dir.path().join("zbroken.yaml"),
        "category: loaded\nrules:\n  - id: x\n    message: [oops\n",
    )
    .unwrap();
    let out = rhetor()
        .args(["analyse", COLUMN_MD, "--no-model", "--rules", d])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zbroken.yaml:"), "{err}");
}

#[test]
fn only_and_ignore_select_rules() {
    let all = json_of(&["analyse", COLUMN_MD, "--format", "json", "--no-model"]);
    assert!(all["summary"]["counts"]["attribution"].as_u64().unwrap() > 0);
    let v = json_of(&[
        "analyse",
        COLUMN_MD,
        "--format",
        "json",
        "--no-model",
        "--ignore",
        "attribution",
    ]);
    assert_eq!(v["summary"]["counts"]["attribution"], 0);
    let only = json_of(&[
        "analyse",
        COLUMN_MD,
        "--format",
        "json",
        "--no-model",
        "--only",
        "attribution.*",
    ]);
    assert_eq!(
        only["summary"]["counts"]["attribution"],
        all["summary"]["counts"]["attribution"]
    );
    assert_eq!(only["summary"]["counts"]["hedge"], 0);
    rhetor()
        .args([
            "analyse",
            COLUMN_MD,
            "--no-model",
            "--only",
            "nonsense.rule",
        ])
        .assert()
        .code(2);
}

#[test]
fn targets_list_mentions_as_evidence() {
    let v = json_of(&[
        "analyse",
        COLUMN_MD,
        "--format",
        "json",
        "--no-model",
        "--target",
        "Vestmark=Vestmarkian",
    ]);
    let t = &v["targets"][0];
    assert_eq!(t["name"], "Vestmark");
    assert_eq!(t["evidence"].as_array().unwrap().len(), 3);
}

/// Control characters from the input (an escape sequence that would recolour or retitle the
/// terminal) are shown escaped in text output, never written raw, with or without colour.
#[test]
fn escape_sequences_in_the_input_reach_the_terminal_escaped() {
    let input = "Title \u{1b}]0;pwned\u{7} here\n\nThe \u{1b}[31mred\u{1b}[0m plan is clearly a landmark.\n";
    for color in ["never", "always"] {
        let out = rhetor()
            .args(["analyse", "-", "--no-model", "--color", color])
            .write_stdin(input)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("\\u{1b}]0;pwned\\u{7}"), "{text}");
        assert!(!text.contains("\u{7}"), "a raw BEL reached the terminal");
        if color == "never" {
            assert!(
                !text.contains('\u{1b}'),
                "a raw ESC reached the terminal: {text:?}"
            );
        }
    }
}
