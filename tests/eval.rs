//! `rhetor eval` on small labelled files written for these tests.

use assert_cmd::Command;
use std::io::Write;

fn csv_file(content: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    f.write_all(content.as_bytes()).unwrap();
    f
}

#[test]
fn uncertainty_rules_only_reports_contract_fields() {
    let f = csv_file(
        "text,label\n\
         \"Some critics argue the bridge is unsafe.\",uncertain\n\
         \"The bridge may be unsafe.\",uncertain\n\
         \"The bridge opened in 2019.\",certain\n\
         \"The council approved the budget on Tuesday.\",certain\n",
    );
    let out = Command::cargo_bin("rhetor")
        .unwrap()
        .args([
            "eval",
            "uncertainty",
            f.path().to_str().unwrap(),
            "--format",
            "json",
            "--no-model",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "task",
        "n",
        "accuracy",
        "macro_f1",
        "per_class",
        "confusion",
        "sentences_per_second",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["task"], "uncertainty");
    assert_eq!(v["n"], 4);
    // The weasel sentence is caught by the attribution tagger even before rule files fire.
    assert!(v["confusion"]["uncertain"]["uncertain"].as_u64().unwrap() >= 1);
    assert_eq!(v["per_class"]["certain"]["support"], 2);
}

#[test]
fn bad_label_names_the_row() {
    let f = csv_file("text,label\nfine,certain\nodd,maybe\n");
    let out = Command::cargo_bin("rhetor")
        .unwrap()
        .args([
            "eval",
            "uncertainty",
            f.path().to_str().unwrap(),
            "--no-model",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 3") && err.contains("maybe"), "{err}");
}

#[test]
fn missing_columns_are_named() {
    let f = csv_file("sentence,gold\nx,y\n");
    let out = Command::cargo_bin("rhetor")
        .unwrap()
        .args(["eval", "bias", f.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`text` and `label`"));
}
