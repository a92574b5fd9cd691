//! Target detection on texts written for these tests: alias folding, short forms, acronym
//! definitions, user targets, and what must not become a target. No model needed.

use assert_cmd::Command;
use rhetor::document::{Document, SourceFormat};
use rhetor::tag::targets::{self, Options, Target, TargetKind, TargetSpec};

fn detect(text: &str, user: &[&str]) -> Vec<Target> {
    let doc = Document::parse(text, SourceFormat::Markdown);
    let specs: Vec<TargetSpec> = user.iter().map(|s| s.parse().unwrap()).collect();
    targets::detect(&targets::lines(&doc), &specs, &Options::default())
}

fn find<'a>(ts: &'a [Target], name: &str) -> &'a Target {
    ts.iter().find(|t| t.name == name).unwrap_or_else(|| {
        panic!(
            "no target {name:?} in {:?}",
            ts.iter().map(|t| &t.name).collect::<Vec<_>>()
        )
    })
}

fn names(ts: &[Target]) -> Vec<&str> {
    ts.iter().map(|t| t.name.as_str()).collect()
}

const FISHERIES: &str = "\
# A Quiet Win for Norway

Norway has been a patient broker in the fisheries talks. Norwegian negotiators spent months with
the coastal states, and Oslo hosted the final round in March 2024. On Monday, the Coastal
Fisheries Authority (CFA) published the quotas. The CFA said the numbers were final.

## Why the Deal Matters

Defence Minister Harlan Voss called the outcome fair. Voss has pressed for a deal since 2019, and
Minister Voss said on Tuesday that Norway had kept its word. Nevertheless, sceptics in Vestmark
complained. Vestmark's fleet will have to shrink.
";

#[test]
fn demonyms_and_capitals_fold_into_their_state() {
    let ts = detect(FISHERIES, &[]);
    let norway = find(&ts, "Norway");
    assert_eq!(norway.kind, TargetKind::State);
    assert_eq!(norway.aliases, ["Norwegian", "Oslo"]);
    // The title, three body sentences with "Norway"/"Norwegian"/"Oslo", and Voss's sentence.
    assert_eq!(norway.mentions.len(), 5);
    assert_eq!(ts[0].name, "Norway", "ranked first by mentions");
}

#[test]
fn a_capital_stays_its_own_target_when_its_state_is_not_named() {
    let text = "Critics in Washington doubt the plan. Washington has said little. The Herald \
                agrees with Washington.";
    let ts = detect(text, &[]);
    assert_eq!(names(&ts), ["Washington"]);
    let text = "The United States backs the plan. Washington has said so twice, and American \
                diplomats agree.";
    let us = &detect(text, &[])[0];
    assert_eq!(us.name, "United States");
    assert_eq!(us.aliases, ["Washington", "American"]);
}

#[test]
fn short_forms_and_titles_fold_into_the_full_name() {
    let ts = detect(FISHERIES, &[]);
    let voss = find(&ts, "Harlan Voss");
    assert_eq!(voss.kind, TargetKind::Person);
    assert_eq!(voss.aliases, ["Voss"]);
    assert_eq!(voss.mentions.len(), 3);
    assert!(voss.mentions.iter().all(|m| !m.text.contains("Minister")));
}

#[test]
fn a_short_form_shared_by_two_full_names_is_left_alone() {
    let text = "Anna Berg and Lars Berg disagree. Berg said so. Anna Berg said it again, and Lars \
                Berg replied.";
    let ts = detect(text, &[]);
    assert!(
        ts.iter()
            .any(|t| t.name == "Anna Berg" && t.aliases.is_empty())
    );
    assert!(
        ts.iter()
            .any(|t| t.name == "Lars Berg" && t.aliases.is_empty())
    );
}

#[test]
fn acronym_definitions_join_the_expansion() {
    let ts = detect(FISHERIES, &[]);
    let cfa = find(&ts, "CFA");
    assert_eq!(cfa.kind, TargetKind::Organisation);
    assert_eq!(cfa.aliases, ["Coastal Fisheries Authority"]);
    assert_eq!(cfa.mentions.len(), 2);
    // Reverse order, and a hyphenated short form that abbreviates the last word only.
    let text = "The NRF (Northern Relief Front) grew. The NRF-K (NRF-Kestrel) split off. The \
                NRF-Kestrel fights the NRF.";
    let ts = detect(text, &[]);
    assert_eq!(find(&ts, "NRF").aliases, ["Northern Relief Front"]);
    // Equally used forms: the shorter names the target.
    assert_eq!(find(&ts, "NRF-K").aliases, ["NRF-Kestrel"]);
}

#[test]
fn dates_headings_and_sentence_openers_are_not_targets() {
    let ts = detect(FISHERIES, &[]);
    for not in [
        "March",
        "Monday",
        "Tuesday",
        "On",
        "Nevertheless",
        "Why",
        "Deal",
        "Matters",
        "Quiet",
        "Win",
        "Defence",
        "Minister",
    ] {
        assert!(
            ts.iter()
                .all(|t| t.name != not && !t.aliases.iter().any(|a| a == not)),
            "{not} became a target: {:?}",
            names(&ts)
        );
    }
}

#[test]
fn once_in_a_heading_is_enough_twice_in_the_body_otherwise() {
    let text = "# Vestmark Pays\n\nToday Vestmark pays. Ingrid Holm agrees. Tor Lind agrees. Tor Lind \
                repeats it.\n";
    let ts = detect(text, &[]);
    assert!(ts.iter().any(|t| t.name == "Vestmark"));
    assert!(ts.iter().any(|t| t.name == "Tor Lind"));
    assert!(
        ts.iter().all(|t| t.name != "Ingrid Holm"),
        "{:?}",
        names(&ts)
    );
}

#[test]
fn compounds_name_both_states() {
    let text = "The Norway-Sweden accord holds. Norway and Sweden both gain. Swedish firms agree.";
    let ts = detect(text, &[]);
    assert_eq!(find(&ts, "Norway").mentions.len(), 2);
    assert_eq!(find(&ts, "Sweden").mentions.len(), 3);
}

#[test]
fn user_targets_add_and_override() {
    // A bare name joins the detected target and leads the list.
    let ts = detect(FISHERIES, &["Voss"]);
    assert_eq!(ts[0].name, "Voss");
    assert!(ts[0].user);
    assert_eq!(ts[0].mentions.len(), 3);
    assert!(ts[0].aliases.iter().any(|a| a == "Harlan Voss"));
    assert!(
        ts.iter().all(|t| t.name != "Harlan Voss"),
        "merged, not duplicated"
    );
    // Aliases override: only the words given mean the target ("Norwegian" no longer does).
    let ts = detect(FISHERIES, &["Kingdom of Norway=Norway,Oslo"]);
    let norway = &ts[0];
    assert_eq!(norway.name, "Kingdom of Norway");
    assert_eq!(norway.aliases, ["Norway", "Oslo"]);
    assert_eq!(norway.mentions.len(), 4);
    assert!(norway.mentions.iter().all(|m| m.text != "Norwegian"));
    assert!(ts.iter().all(|t| t.name != "Norway"));
    // A user target the text never names is still reported, with no mentions.
    let ts = detect(FISHERIES, &["Atlantis"]);
    assert_eq!(ts[0].name, "Atlantis");
    assert!(ts[0].mentions.is_empty());
}

#[test]
fn cli_reports_targets_without_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fisheries.md");
    std::fs::write(&path, FISHERIES).unwrap();
    let out = Command::cargo_bin("rhetor")
        .unwrap()
        .args([
            "analyse",
            "--no-model",
            "--format",
            "json",
            "--target",
            "Atlantis",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stance"]["enabled"], false);
    let ts = v["targets"].as_array().unwrap();
    assert_eq!(ts[0]["name"], "Atlantis");
    assert_eq!(ts[0]["user"], true);
    let norway = ts.iter().find(|t| t["name"] == "Norway").unwrap();
    assert_eq!(norway["stance"], "none");
    // Five mentions in four sentences: one judgement per sentence.
    assert_eq!(norway["mention_count"], 5);
    assert_eq!(norway["counts"]["none"], 4);
    assert_eq!(norway["evidence"].as_array().unwrap().len(), 4);
    // Mention spans point at the source bytes.
    for m in norway["mentions"].as_array().unwrap() {
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&FISHERIES[s..e], m["text"].as_str().unwrap());
    }
    let text = Command::cargo_bin("rhetor")
        .unwrap()
        .args(["analyse", "--no-model", "--color", "never"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let table = &text[text.find("\nTargets\n").expect("a target table")..];
    assert!(table.contains("aliases seen"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.trim_start().starts_with("Norway ") && l.contains("Norwegian, Oslo"))
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Any text: no panic, and every mention's span is the text it reports.
    #[test]
    fn mentions_are_valid_spans_of_any_text(
        text in "(([A-Z][a-zé]{0,6}|[A-Z]{2,4}|U\\.S\\.|of|the|al-|-|’s|'s|\\(|\\)|alias:|,|\\. |\n|[a-z]{1,5}|Oslo|Norwegian|Gen\\.|Minister|May|Ñ|日本) ?){0,40}"
    ) {
        let doc = Document::parse(&text, SourceFormat::Text);
        let lines = targets::lines(&doc);
        for t in targets::detect(&lines, &["Oslo=Norway".parse().unwrap()], &Options::default()) {
            for m in &t.mentions {
                let line = lines.iter().find(|l| l.sentence == m.sentence).unwrap();
                proptest::prop_assert_eq!(&line.text[m.start..m.end], m.text.as_str());
            }
        }
    }
}
