//! `rhetor eval` on small labelled files written for these tests.

use assert_cmd::Command;
use std::io::Write;

fn csv_file(content: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    f.write_all(content.as_bytes()).unwrap();
    f
}

/// `rhetor eval ARGS --format json`, which must succeed; its parsed report.
fn eval_json(args: &[&str]) -> serde_json::Value {
    let out = Command::cargo_bin("rhetor")
        .unwrap()
        .arg("eval")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
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
    let v = eval_json(&["uncertainty", f.path().to_str().unwrap(), "--no-model"]);
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

/// `rhetor eval uncertainty FILE --no-model` on `content`, which must fail with exit 2; its
/// stderr.
fn uncertainty_error(content: &str) -> String {
    let f = csv_file(content);
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
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_label_names_the_row() {
    let err = uncertainty_error("text,label\nfine,certain\nodd,maybe\n");
    assert!(err.contains("row 3") && err.contains("maybe"), "{err}");
}

#[test]
fn an_empty_text_is_refused_with_its_row() {
    let err = uncertainty_error("text,label\nfine,certain\n\"  \",uncertain\n");
    assert!(err.contains("row 3: empty text"), "{err}");
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

/// `eval technique` needs the committed classifier (CI installs its runtime); without one the
/// test says so and checks nothing else.
fn classifier_present() -> bool {
    let dir = std::env::var("RHETOR_MODEL_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/classifier")
        });
    let ok = dir.join("config.json").is_file();
    if !ok {
        eprintln!("SKIP: no classifier in {}", dir.display());
    }
    ok
}

#[test]
fn technique_eval_scores_every_technique_of_the_model() {
    if !classifier_present() {
        return;
    }
    let f = csv_file(
        "text,label\n\
         \"These traitors and thugs are destroying our glorious nation.\",\"Loaded_Language|Name_Calling,Labeling\"\n\
         \"The library opens at nine on weekdays.\",\n\
         \"Only a true patriot would stand with our flag today.\",Flag-Waving\n\
         \"The committee meets again on Thursday.\",\n",
    );
    let v = eval_json(&["technique", f.path().to_str().unwrap()]);
    assert_eq!(v["task"], "technique");
    assert_eq!(v["n"], 4);
    let per = v["per_class"].as_object().unwrap();
    assert!(
        per.len() >= 8,
        "one row per technique of the model: {per:?}"
    );
    assert_eq!(per["Loaded_Language"]["support"], 1);
    assert_eq!(per["Name_Calling,Labeling"]["support"], 1);
    // Two sentences carry techniques and two do not: the any-technique confusion adds up.
    let c = &v["confusion"];
    let row = |g: &str| c[g]["none"].as_u64().unwrap() + c[g]["technique"].as_u64().unwrap();
    assert_eq!((row("none"), row("technique")), (2, 2));
    for key in ["micro_f1", "any_technique_accuracy", "threshold"] {
        assert!(v["extra"].get(key).is_some(), "missing extra.{key}");
    }
}

#[test]
fn technique_eval_names_an_unknown_technique_and_its_row() {
    if !classifier_present() {
        return;
    }
    let f = csv_file("text,label\n\"Fine.\",\n\"Odd.\",Loaded_Language|Sarcasm\n");
    let out = Command::cargo_bin("rhetor")
        .unwrap()
        .args(["eval", "technique", f.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 3") && err.contains("Sarcasm"), "{err}");
}
