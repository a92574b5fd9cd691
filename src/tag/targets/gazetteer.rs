//! The built-in gazetteer of states and blocs (models/targets/places.tsv): names, other names,
//! demonyms and capitals, matched case-sensitively as whole words.

use super::words::{Sep, Word, words};
use std::collections::HashMap;
use std::sync::LazyLock;

const PLACES_TSV: &str = include_str!("../../../models/targets/places.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    State,
    Bloc,
}

/// How a place is named: its name and other names and demonyms always mean it; a capital means
/// it only where the text also names the place ("Islamabad" → Pakistan in a column about
/// Pakistan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Name,
    Demonym,
    Capital,
}

#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub kind: PlaceKind,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    pub capitals: Vec<String>,
}

pub struct Gazetteer {
    pub places: Vec<Place>,
    /// First token → phrases starting with it (longest first).
    index: HashMap<String, Vec<Phrase>>,
}

struct Phrase {
    tokens: Vec<String>,
    place: usize,
    form: Form,
}

/// One match of a gazetteer phrase in a sentence's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceMatch {
    pub place: usize,
    pub form: Form,
    /// Number of words the phrase covers.
    pub len: usize,
}

static GAZETTEER: LazyLock<Gazetteer> =
    LazyLock::new(|| Gazetteer::parse(PLACES_TSV).expect("models/targets/places.tsv is valid"));

/// The built-in gazetteer.
pub fn gazetteer() -> &'static Gazetteer {
    &GAZETTEER
}

impl Gazetteer {
    /// Parses the TSV format of models/targets/places.tsv.
    pub fn parse(tsv: &str) -> Result<Self, String> {
        let mut places = Vec::new();
        let mut header = false;
        for (n, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !header {
                header = true;
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 5 {
                return Err(format!(
                    "line {}: expected 5 columns, found {}",
                    n + 1,
                    cols.len()
                ));
            }
            let list = |s: &str| -> Vec<String> {
                s.split(',')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(String::from)
                    .collect()
            };
            let kind = match cols[1] {
                "state" => PlaceKind::State,
                "bloc" => PlaceKind::Bloc,
                k => return Err(format!("line {}: unknown kind `{k}`", n + 1)),
            };
            places.push(Place {
                name: cols[0].trim().to_string(),
                kind,
                aliases: list(cols[2]),
                demonyms: list(cols[3]),
                capitals: list(cols[4]),
            });
        }
        let mut index: HashMap<String, Vec<Phrase>> = HashMap::new();
        for (i, p) in places.iter().enumerate() {
            let forms = std::iter::once((&p.name, Form::Name))
                .chain(p.aliases.iter().map(|a| (a, Form::Name)))
                .chain(p.demonyms.iter().map(|a| (a, Form::Demonym)))
                .chain(p.capitals.iter().map(|a| (a, Form::Capital)));
            for (form_text, form) in forms {
                let tokens: Vec<String> = words(form_text, |_| false)
                    .iter()
                    .map(|w| w.text.to_string())
                    .collect();
                let Some(first) = tokens.first().cloned() else {
                    return Err(format!("{}: empty name", p.name));
                };
                index.entry(first).or_default().push(Phrase {
                    tokens,
                    place: i,
                    form,
                });
            }
        }
        for phrases in index.values_mut() {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.tokens.len()));
        }
        Ok(Self { places, index })
    }

    /// The longest phrase starting at word `i`, if any.
    pub fn match_at(&self, ws: &[Word<'_>], i: usize) -> Option<PlaceMatch> {
        let phrases = self.index.get(ws[i].text)?;
        phrases.iter().find_map(|p| {
            let fits = p.tokens.len() <= ws.len() - i
                && p.tokens.iter().enumerate().all(|(k, t)| {
                    let w = &ws[i + k];
                    w.text == t && (k == 0 || w.sep == Sep::Space)
                });
            fits.then_some(PlaceMatch {
                place: p.place,
                form: p.form,
                len: p.tokens.len(),
            })
        })
    }

    /// Whether a single word names a place (splits compounds such as "US-Pakistan").
    pub fn is_place_word(&self, w: &str) -> bool {
        self.index
            .get(w)
            .is_some_and(|ps| ps.iter().any(|p| p.tokens.len() == 1))
    }

    /// The place a name, other name, demonym or capital refers to (exact spelling).
    pub fn lookup(&self, name: &str) -> Option<(usize, Form)> {
        let ws = words(name, |_| false);
        if ws.is_empty() {
            return None;
        }
        self.match_at(&ws, 0)
            .filter(|m| m.len == ws.len())
            .map(|m| (m.place, m.form))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_gazetteer_parses_and_covers_sixty_states() {
        let g = gazetteer();
        let states = g
            .places
            .iter()
            .filter(|p| p.kind == PlaceKind::State)
            .count();
        assert!(states >= 60, "{states} states");
        let us = g.lookup("U.S.").unwrap();
        assert_eq!(g.places[us.0].name, "United States");
        assert_eq!(g.lookup("Islamabad").unwrap().1, Form::Capital);
        assert_eq!(g.lookup("Pakistani").unwrap().1, Form::Demonym);
        assert!(g.lookup("Norland").is_none());
    }

    #[test]
    fn longest_phrase_wins() {
        let g = gazetteer();
        let ws = words("the United States of America and New Zealand", |_| false);
        let m = g.match_at(&ws, 1).unwrap();
        assert_eq!(
            (g.places[m.place].name.as_str(), m.len),
            ("United States", 4)
        );
        let m = g.match_at(&ws, 6).unwrap();
        assert_eq!(g.places[m.place].name, "New Zealand");
    }
}
