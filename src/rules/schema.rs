//! The rule file format (YAML), read with serde.
//!
//! ```yaml
//! # header: sources and licences of the entries
//! category: hedge                 # default for the rules below
//! rules:
//!   - id: hedge.modal             # unique, `category.name`
//!     message: Epistemic modal; softens the claim.
//!     kind: phrases               # phrases | pattern
//!     case: insensitive           # or sensitive
//!     forms: inflected            # or exact: phrases also match "-s", "-es", "-ed", "-ing"
//!                                 # and possessive endings ("lackey's", "tyrants")
//!     phrases: [may, might, could well]
//!     exceptions: ['\bMay\s+\d']  # regexes; a match inside one is dropped
//!     examples:
//!       match: ["Sanctions may hurt."]
//!       no_match: ["The vote is in May."]
//! ```

use crate::tag::Category;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Default category for rules that do not set one.
    pub category: Option<Category>,
    pub rules: Vec<RuleSpec>,
}

/// The kinds of rule (a small closed set, as in Vale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// A list of literal phrases matched on word boundaries.
    Phrases,
    /// Regular expressions (Rust `regex` syntax).
    Pattern,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    #[default]
    Insensitive,
    Sensitive,
}

/// Which word forms a phrase matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Forms {
    /// The phrase as written, and with a possessive ("'s", "’s") or a regular ending ("-s",
    /// "-es", "-d", "-ed", "-ing") on its last word.
    #[default]
    Inflected,
    /// Only the phrase as written.
    Exact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub category: Option<Category>,
    pub message: String,
    pub kind: RuleKind,
    #[serde(default)]
    pub case: CaseMode,
    #[serde(default)]
    pub forms: Forms,
    #[serde(default)]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub exceptions: Vec<String>,
    #[serde(default)]
    pub examples: Examples,
}

#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default, rename = "match")]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
}
