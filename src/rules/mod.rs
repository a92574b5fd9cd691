//! Rules as data: YAML files of phrase lists and patterns, each rule with inline examples.
//!
//! Built-in files (models/rules/*.yaml) are embedded in the binary; `--rules DIR` adds user
//! files. All rules live in one registry sorted by id, so listing, `--only`/`--ignore` and
//! reports use the same names.

mod boundary;
mod matcher;
mod schema;

pub use boundary::{Bounded, ascii_safe, is_ascii_word_byte};
pub use matcher::RawMatch;
pub use schema::{CaseMode, Examples, Forms, RuleKind};

use crate::tag::Category;
use regex::{Regex, RegexBuilder};
use schema::{RuleFile, RuleSpec};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The built-in rule files, embedded at compile time.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "promotional.yaml",
        include_str!("../../models/rules/promotional.yaml"),
    ),
    (
        "booster.yaml",
        include_str!("../../models/rules/booster.yaml"),
    ),
    (
        "intensifier.yaml",
        include_str!("../../models/rules/intensifier.yaml"),
    ),
    ("hedge.yaml", include_str!("../../models/rules/hedge.yaml")),
    (
        "weasel.yaml",
        include_str!("../../models/rules/weasel.yaml"),
    ),
    (
        "loaded.yaml",
        include_str!("../../models/rules/loaded.yaml"),
    ),
];

/// A rule file that could not be used, with where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{file}:{line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// How a rule's patterns and exceptions compile (the matcher builds their ASCII-boundary forms
/// the same way).
fn compile_regex(pattern: &str, case: CaseMode) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(case == CaseMode::Insensitive)
        .dfa_size_limit(matcher::DFA_CACHE)
        .build()
}

/// A rule's pattern or exception: compiled when a search first needs it, in the form the text
/// needs ([`Bounded`]).
pub type RulePattern = Bounded<Regex>;

/// How far a pattern is checked when its file loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Syntax only. For the built-in rules: the test suite compiles every one of them, and
    /// compiling two hundred regexes up front was most of a short run's start-up time.
    Syntax,
    /// Compiled in full, so that a user's pattern that parses but is too large to compile is
    /// reported with its file and line instead of silently matching nothing.
    Compile,
}

/// How the forms of a rule's pattern compile when first needed ([`Bounded`]): as
/// [`compile_regex`] compiles the pattern itself.
fn pattern_builder(case: CaseMode) -> impl Fn(&str) -> Option<Regex> + Send + Sync + 'static {
    move |p| compile_regex(p, case).ok()
}

/// Checks `pattern` as far as `check` asks and keeps it for compiling on first use.
fn rule_pattern(pattern: &str, case: CaseMode, check: Check) -> Result<RulePattern, String> {
    let build = pattern_builder(case);
    match check {
        Check::Syntax => {
            regex_syntax::ParserBuilder::new()
                .case_insensitive(case == CaseMode::Insensitive)
                .build()
                .parse(pattern)
                .map_err(|e| e.to_string())?;
            Ok(Bounded::new(pattern, build))
        }
        Check::Compile => {
            let compiled = compile_regex(pattern, case).map_err(|e| e.to_string())?;
            Ok(Bounded::with_compiled(pattern, compiled, build))
        }
    }
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Shared with every finding the rule makes (a clone is a reference count, not a copy).
    pub id: Arc<str>,
    pub category: Category,
    pub message: Arc<str>,
    pub kind: RuleKind,
    pub case: CaseMode,
    /// Whether phrases also match their inflected and possessive forms.
    pub forms: Forms,
    pub phrases: Vec<String>,
    pub patterns: Vec<RulePattern>,
    pub exceptions: Vec<RulePattern>,
    pub examples: Examples,
    /// File the rule came from (`builtin:hedge.yaml` or a path) and its line.
    pub origin: String,
    pub line: usize,
}

impl Rule {
    /// Number of cues (phrases or patterns) the rule carries.
    pub fn cue_count(&self) -> usize {
        self.phrases.len() + self.patterns.len()
    }
}

/// The registry of rules, sorted by id, with the compiled matcher.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    matcher: matcher::Matcher,
}

impl RuleSet {
    /// The built-in rules.
    pub fn builtin() -> Result<Self, RuleError> {
        Self::load(true, &[])
    }

    /// Built-in rules (when `builtin`) plus every `*.yaml`/`*.yml` file in `dirs`.
    /// A user rule with the id of a built-in one replaces it.
    pub fn load(builtin: bool, dirs: &[PathBuf]) -> Result<Self, RuleError> {
        let mut rules = Vec::new();
        if builtin {
            for (name, text) in BUILTIN {
                rules.extend(parse(&format!("builtin:{name}"), text, Check::Syntax)?);
            }
        }
        for dir in dirs {
            for path in rule_files(dir)? {
                let text = std::fs::read_to_string(&path).map_err(|source| RuleError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                let user = parse_file(&path.display().to_string(), &text)?;
                for rule in user {
                    rules.retain(|r: &Rule| r.id != rule.id || r.origin == rule.origin);
                    rules.push(rule);
                }
            }
        }
        Self::from_rules(rules)
    }

    fn from_rules(mut rules: Vec<Rule>) -> Result<Self, RuleError> {
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(w) = rules.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(RuleError::Invalid {
                file: w[1].origin.clone(),
                line: w[1].line,
                message: format!(
                    "duplicate rule id `{}` (also in {}:{})",
                    w[1].id, w[0].origin, w[0].line
                ),
            });
        }
        let matcher = matcher::Matcher::new(&rules);
        Ok(Self { rules, matcher })
    }

    /// Keeps the rules selected by `only` (empty: all) minus `ignore`. Entries are rule ids,
    /// id prefixes ending in `.` or `*`, or category names.
    pub fn select(&self, only: &[String], ignore: &[String]) -> Result<Self, String> {
        for sel in only.iter().chain(ignore) {
            if !self.rules.iter().any(|r| selector_matches(sel, r)) {
                return Err(format!(
                    "no rule or category matches `{sel}` (see `rhetor rules list`)"
                ));
            }
        }
        let rules = self
            .rules
            .iter()
            .filter(|r| only.is_empty() || only.iter().any(|s| selector_matches(s, r)))
            .filter(|r| !ignore.iter().any(|s| selector_matches(s, r)))
            .cloned()
            .collect();
        Self::from_rules(rules).map_err(|e| e.to_string())
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules
            .binary_search_by(|r| (*r.id).cmp(id))
            .ok()
            .map(|i| &self.rules[i])
    }

    /// Total number of cues (phrases and patterns) across rules.
    pub fn cue_count(&self) -> usize {
        self.rules.iter().map(Rule::cue_count).sum()
    }

    /// All matches of all rules in `text`, unresolved (overlaps kept), in no particular order.
    pub fn find(&self, text: &str) -> Vec<RawMatch> {
        self.matcher.find(text)
    }

    /// A stable fingerprint of the rule set (ids, cues, exceptions), for manifests.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for r in &self.rules {
            h.update(r.id.as_bytes());
            h.update([0]);
            h.update(r.category.as_str().as_bytes());
            for p in &r.phrases {
                h.update(p.as_bytes());
                h.update([1]);
            }
            for p in r.patterns.iter().chain(&r.exceptions) {
                h.update(p.as_str().as_bytes());
                h.update([2]);
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Runs a rule's inline examples in isolation; returns one line per failure.
    pub fn test_rule(&self, rule: &Rule) -> Vec<String> {
        let single = matcher::Matcher::new(std::slice::from_ref(rule));
        let mut failures = Vec::new();
        for ex in &rule.examples.must_match {
            if single.find(ex).is_empty() {
                failures.push(format!("{}: should match but does not: {ex:?}", rule.id));
            }
        }
        for ex in &rule.examples.no_match {
            let hits = single.find(ex);
            if let Some(m) = hits.first() {
                failures.push(format!(
                    "{}: should not match but matches {:?} in: {ex:?}",
                    rule.id,
                    &ex[m.start..m.end]
                ));
            }
        }
        if rule.examples.must_match.is_empty() {
            failures.push(format!("{}: has no `match` examples", rule.id));
        }
        failures
    }
}

fn selector_matches(sel: &str, rule: &Rule) -> bool {
    let sel = sel.trim();
    if let Some(prefix) = sel.strip_suffix('*') {
        return rule.id.starts_with(prefix);
    }
    *rule.id == *sel
        || rule.category.as_str() == sel
        || (sel.ends_with('.') && rule.id.starts_with(sel))
}

fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let entries = std::fs::read_dir(dir).map_err(|source| RuleError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    Ok(files)
}

/// Parses and compiles one rule file; every error names the file and line.
pub fn parse_file(origin: &str, text: &str) -> Result<Vec<Rule>, RuleError> {
    parse(origin, text, Check::Compile)
}

fn parse(origin: &str, text: &str, check: Check) -> Result<Vec<Rule>, RuleError> {
    let file: RuleFile = serde_yaml::from_str(text).map_err(|e| RuleError::Invalid {
        file: origin.to_string(),
        line: e.location().map_or(1, |l| l.line()),
        message: e.to_string(),
    })?;
    file.rules
        .into_iter()
        .map(|spec| compile(origin, text, file.category, spec, check))
        .collect()
}

fn compile(
    origin: &str,
    text: &str,
    default: Option<Category>,
    spec: RuleSpec,
    check: Check,
) -> Result<Rule, RuleError> {
    let line = line_of_id(text, &spec.id);
    let err = |message: String| RuleError::Invalid {
        file: origin.to_string(),
        line,
        message,
    };
    let category = spec
        .category
        .or(default)
        .ok_or_else(|| err(format!("rule `{}` has no category", spec.id)))?;
    if spec.id.trim().is_empty() || spec.id.contains(char::is_whitespace) {
        return Err(err(format!(
            "rule id `{}` must be non-empty and without spaces",
            spec.id
        )));
    }
    let regex = |p: &String| {
        rule_pattern(p, spec.case, check)
            .map_err(|e| err(format!("rule `{}`: bad pattern {p:?}: {e}", spec.id)))
    };
    let patterns = spec
        .patterns
        .iter()
        .map(regex)
        .collect::<Result<Vec<_>, _>>()?;
    let exceptions = spec
        .exceptions
        .iter()
        .map(regex)
        .collect::<Result<Vec<_>, _>>()?;
    match spec.kind {
        RuleKind::Phrases if spec.phrases.is_empty() => {
            return Err(err(format!(
                "rule `{}` is of kind phrases but lists none",
                spec.id
            )));
        }
        RuleKind::Pattern if patterns.is_empty() => {
            return Err(err(format!(
                "rule `{}` is of kind pattern but has no patterns",
                spec.id
            )));
        }
        RuleKind::Phrases if !spec.patterns.is_empty() => {
            return Err(err(format!(
                "rule `{}`: `patterns` belong to kind pattern",
                spec.id
            )));
        }
        RuleKind::Pattern if !spec.phrases.is_empty() => {
            return Err(err(format!(
                "rule `{}`: `phrases` belong to kind phrases",
                spec.id
            )));
        }
        _ => {}
    }
    if let Some(p) = spec
        .phrases
        .iter()
        .find(|p| p.trim().is_empty() || p.trim() != p.as_str())
    {
        return Err(err(format!(
            "rule `{}`: phrase {p:?} is empty or has surrounding spaces",
            spec.id
        )));
    }
    Ok(Rule {
        id: spec.id.into(),
        category,
        message: spec.message.into(),
        kind: spec.kind,
        case: spec.case,
        forms: spec.forms,
        phrases: spec.phrases,
        patterns,
        exceptions,
        examples: spec.examples,
        origin: origin.to_string(),
        line,
    })
}

/// The 1-based line where `id: <id>` appears, for error messages.
fn line_of_id(text: &str, id: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            l.strip_prefix("id:")
                .is_some_and(|rest| rest.trim().trim_matches(['"', '\'']) == id)
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "category: hedge\nrules:\n  - id: hedge.test\n    message: m\n    kind: phrases\n    phrases: [may, it is believed]\n    exceptions: ['(?-i)\\bMay\\b']\n    examples:\n      match: [It may rain.]\n      no_match: [See you in May.]\n";

    #[test]
    fn parses_and_runs_examples() {
        let rules = parse_file("t.yaml", FILE).unwrap();
        let set = RuleSet::from_rules(rules).unwrap();
        let rule = set.get("hedge.test").unwrap();
        assert_eq!(rule.line, 3);
        assert!(set.test_rule(rule).is_empty(), "{:?}", set.test_rule(rule));
    }

    #[test]
    fn broken_yaml_names_file_and_line() {
        let broken = "category: hedge\nrules:\n  - id: x\n    message: [unclosed\n";
        let err = parse_file("bad.yaml", broken).unwrap_err().to_string();
        assert!(err.starts_with("bad.yaml:"), "{err}");
        let bad_regex = "category: hedge\nrules:\n  - id: a.b\n    message: m\n    kind: pattern\n    patterns: ['(unclosed']\n";
        let err = parse_file("r.yaml", bad_regex).unwrap_err().to_string();
        assert!(err.starts_with("r.yaml:3:"), "{err}");
        let unknown = "category: nonsense\nrules: []\n";
        assert!(
            parse_file("u.yaml", unknown)
                .unwrap_err()
                .to_string()
                .starts_with("u.yaml:1:")
        );
    }

    #[test]
    fn every_builtin_pattern_compiles_in_both_forms() {
        // Built-in patterns are only syntax-checked when they load; this is their full check.
        let set = RuleSet::builtin().unwrap();
        let mut n = 0;
        for r in set.rules() {
            for p in r.patterns.iter().chain(&r.exceptions) {
                for ascii in [false, true] {
                    assert!(p.get(ascii).is_some(), "{}: {}", r.id, p.as_str());
                }
                n += 1;
            }
        }
        assert!(n > 200, "{n} patterns");
    }

    #[test]
    fn user_pattern_too_large_to_compile_names_file_and_line() {
        let huge = "category: hedge\nrules:\n  - id: a.b\n    message: m\n    kind: pattern\n    patterns: ['\\w{5000}']\n";
        let err = parse_file("big.yaml", huge).unwrap_err().to_string();
        assert!(err.starts_with("big.yaml:3:"), "{err}");
        // It is valid syntax: only compiling it finds the problem.
        assert!(parse("big.yaml", huge, Check::Syntax).is_ok());
    }

    #[test]
    fn selection_by_id_and_category() {
        let set = RuleSet::from_rules(parse_file("t.yaml", FILE).unwrap()).unwrap();
        assert_eq!(set.select(&["hedge".into()], &[]).unwrap().rules().len(), 1);
        assert_eq!(
            set.select(&[], &["hedge.test".into()])
                .unwrap()
                .rules()
                .len(),
            0
        );
        assert!(set.select(&["nope".into()], &[]).is_err());
    }
}
