//! Targets: the people, states and institutions a column names.

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
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
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
