//! Taggers turn sentences into [`Finding`]s: spans with a rule id, a category and a message.

pub mod attribution;
pub mod scope;
pub mod targets;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// The closed set of categories rhetor tags (the Contract's list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Promotional,
    Booster,
    Intensifier,
    Hedge,
    Weasel,
    Attribution,
    Loaded,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Promotional,
        Category::Booster,
        Category::Intensifier,
        Category::Hedge,
        Category::Weasel,
        Category::Attribution,
        Category::Loaded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Promotional => "promotional",
            Category::Booster => "booster",
            Category::Intensifier => "intensifier",
            Category::Hedge => "hedge",
            Category::Weasel => "weasel",
            Category::Attribution => "attribution",
            Category::Loaded => "loaded",
        }
    }

    /// One line on what the category means, for legends and `rules list`.
    pub fn describe(self) -> &'static str {
        match self {
            Category::Promotional => "peacock terms, superlatives and positive loaded evaluation",
            Category::Booster => "certainty and emphasis: the writer closes off doubt",
            Category::Intensifier => "degree words that amplify",
            Category::Hedge => "epistemic hedges, approximators and evidentials",
            Category::Weasel => "vague attribution: unnamed crowds of experts and officials",
            Category::Attribution => "who is cited: named, anonymous, and appeals to authority",
            Category::Loaded => "negative loaded language",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown category `{s}` (expected one of: {})",
                    Category::ALL.map(|c| c.as_str()).join(", ")
                )
            })
    }
}

/// How a source is named in an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A named person or body ("John Ratcliffe", "the Pentagon").
    Named,
    /// An unnamed individual ("one US official", "a senior diplomat").
    Anonymous,
    /// A vague crowd ("officials", "experts", "sources").
    Vague,
}

/// Extra facts an attribution carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributionInfo {
    /// The named person or body; `None` when anonymous or vague.
    pub source: Option<String>,
    pub source_kind: SourceKind,
    /// The reporting verb or construction ("said", "according to").
    pub verb: String,
    /// The rank or credential the source is introduced with, when the citation leans on it
    /// ("the CIA director", "experts"): an appeal to authority.
    pub authority: Option<String>,
    /// Cited by a singular pronoun ("…," he said): the source is the person cited or named just
    /// before it ([`attribution::resolve_pronouns`]); the finding is dropped when none was.
    #[serde(skip)]
    pub pronoun: bool,
}

/// One tagged span in a sentence. Offsets are byte offsets into the sentence's text; the report
/// maps them to the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Shared with the rule (see [`crate::rules::Rule::id`]).
    pub rule: Arc<str>,
    pub category: Category,
    pub start: usize,
    pub end: usize,
    pub message: Arc<str>,
    pub attribution: Option<AttributionInfo>,
    /// Whether the cue is negated or quoted ([`scope`]); default for attributions.
    pub context: scope::CueContext,
}

/// Resolves overlaps: a finding wholly inside a longer one is dropped ("some" inside "some say"),
/// then findings are sorted by position. Findings of the attribution tagger never displace
/// rule findings, and the other way round, because they answer different questions.
pub fn resolve_overlaps(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.rule.cmp(&b.rule))
    });
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        let is_attr = f.category == Category::Attribution;
        // Per-sentence lists are short, so a linear scan is cheaper than an interval structure.
        let covered = kept.iter().any(|k| {
            (k.category == Category::Attribution) == is_attr && k.start <= f.start && f.end <= k.end
        });
        if !covered {
            kept.push(f);
        }
    }
    kept
}
