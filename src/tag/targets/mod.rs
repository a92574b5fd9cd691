//! Targets: the people, states, institutions and groups a column names.
//!
//! Detection needs no model. Per sentence ([`detect`]): gazetteer places (names, demonyms,
//! capitals; models/targets/places.tsv), runs of capitalised words with "of"/"the"/"al" inside
//! (titles split off, sentence-opening function words, months and days left out), acronyms, and
//! the definitions that tie an acronym to its expansion. Across the column ([`aliases`]):
//! capitals fold into a state the text names, short forms into the one full name they end
//! ("Gen Kurilla" → "Michael Kurilla"), headings are matched by the forms the body uses, and
//! `--target` specs add or override. Targets are ranked by mentions; those mentioned at least
//! [`Options::min_mentions`] times or in a heading are kept, at most [`Options::max_targets`],
//! plus every user target.

pub mod aliases;
pub mod detect;
pub mod gazetteer;
pub mod words;

use crate::document::{BlockKind, Document};
use serde::Serialize;

/// A target given by the user (`--target "Pakistan=Pakistani,Islamabad"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetSpec {
    pub name: String,
    pub aliases: Vec<String>,
}

impl std::str::FromStr for TargetSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, aliases) = s.split_once('=').unwrap_or((s, ""));
        let name = name.trim();
        if name.is_empty() {
            return Err(format!(
                "target `{s}` has no name (expected NAME or NAME=ALIAS,ALIAS)"
            ));
        }
        let aliases = aliases
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect();
        Ok(Self {
            name: name.to_string(),
            aliases,
        })
    }
}

impl TargetSpec {
    /// Whether the text names the target or one of its aliases as a whole word.
    pub fn is_mentioned(&self, text: &str) -> bool {
        std::iter::once(&self.name)
            .chain(&self.aliases)
            .any(|n| contains_word(text, n))
    }
}

/// Case-sensitive whole-word search (names are proper nouns: "Turkey" is not "turkey").
fn contains_word(text: &str, word: &str) -> bool {
    !find_word(text, word).is_empty()
}

/// Byte spans of whole-word, case-sensitive occurrences of `word` in `text`.
pub fn find_word(text: &str, word: &str) -> Vec<(usize, usize)> {
    if word.is_empty() {
        return Vec::new();
    }
    text.match_indices(word)
        .filter(|(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + word.len()..].chars().next();
            before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|(i, _)| (i, i + word.len()))
        .collect()
}

/// One sentence as target detection reads it.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// The sentence id.
    pub sentence: usize,
    pub section: usize,
    pub text: &'a str,
    /// A title or heading: title case, so only known forms count there.
    pub heading: bool,
}

/// The document's sentences as [`Line`]s.
pub fn lines(doc: &Document) -> Vec<Line<'_>> {
    doc.sentences
        .iter()
        .map(|s| Line {
            sentence: s.id,
            section: s.section,
            text: doc.sentence_text(s),
            heading: matches!(
                doc.blocks[s.block].kind,
                BlockKind::Title | BlockKind::Heading
            ),
        })
        .collect()
}

/// What kind of thing a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    /// A state from the gazetteer.
    State,
    /// A bloc or international organisation from the gazetteer (EU, NATO, UN).
    Bloc,
    /// A person: introduced by a title, or named in full and by a short form.
    Person,
    /// An organisation or group: an acronym, an expansion, a name ending in an institution word.
    Organisation,
    /// Any other proper name.
    Name,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::State => "state",
            TargetKind::Bloc => "bloc",
            TargetKind::Person => "person",
            TargetKind::Organisation => "organisation",
            TargetKind::Name => "name",
        }
    }
}

/// One occurrence of a target in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub sentence: usize,
    /// Byte span in the sentence's text.
    pub start: usize,
    pub end: usize,
    /// The words as written ("Islamabad", "Gen Kurilla" → "Kurilla").
    pub text: String,
}

/// A person, state, institution or group the column names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub kind: TargetKind,
    /// Other forms seen in the text (and, for user targets, the aliases given).
    pub aliases: Vec<String>,
    /// Given with `--target`.
    pub user: bool,
    /// Sorted by sentence and position.
    pub mentions: Vec<Mention>,
}

impl Target {
    /// Ids of the sentences that mention the target, in order.
    pub fn sentences(&self) -> Vec<usize> {
        let mut ids: Vec<usize> = self.mentions.iter().map(|m| m.sentence).collect();
        ids.dedup();
        ids
    }
}

/// How many targets detection keeps.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Detected targets need this many mentions, unless a heading or the title names them.
    pub min_mentions: usize,
    /// At most this many detected targets (user targets come on top).
    pub max_targets: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            min_mentions: 2,
            max_targets: 12,
        }
    }
}

/// The column's targets: user targets first, in the order given, then detected ones by mentions.
pub fn detect(lines: &[Line<'_>], user: &[TargetSpec], opts: &Options) -> Vec<Target> {
    aliases::group(lines, gazetteer::gazetteer(), user, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches_aliases() {
        let t: TargetSpec = "Norway=Norwegian, Oslo".parse().unwrap();
        assert_eq!(t.aliases, vec!["Norwegian", "Oslo"]);
        assert!(t.is_mentioned("Talks in Oslo resumed."));
        assert!(!t.is_mentioned("Oslovia is fictional."));
        assert!("=x".parse::<TargetSpec>().is_err());
    }
}
