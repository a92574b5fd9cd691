//! Every built-in rule's inline examples, and the shape of the built-in rule set.

use rhetor::rules::RuleSet;
use rhetor::tag::Category;

#[test]
fn every_builtin_example_behaves() {
    let set = RuleSet::builtin().expect("built-in rules load");
    let failures: Vec<String> = set.rules().iter().flat_map(|r| set.test_rule(r)).collect();
    assert!(
        failures.is_empty(),
        "{} example failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn builtin_rules_cover_every_rule_category_with_enough_cues() {
    let set = RuleSet::builtin().expect("built-in rules load");
    for cat in Category::ALL
        .into_iter()
        .filter(|c| *c != Category::Attribution)
    {
        assert!(
            set.rules().iter().any(|r| r.category == cat),
            "no built-in rule for {cat}"
        );
    }
    assert!(set.cue_count() >= 400, "only {} cues", set.cue_count());
    let multi_word = set
        .rules()
        .iter()
        .flat_map(|r| &r.phrases)
        .filter(|p| p.contains(' '))
        .count();
    assert!(multi_word >= 100, "only {multi_word} multi-word phrases");
}
