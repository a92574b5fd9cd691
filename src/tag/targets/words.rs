//! Words of a sentence as target detection sees them: capitalisation, acronyms, possessives,
//! hyphenated compounds split or kept whole, and the small closed word lists the detector uses.

use regex::Regex;
use std::sync::LazyLock;

/// How a word is joined to the word before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sep {
    /// A single space (or ". " after a title abbreviation or an initial): names may run on.
    Space,
    /// The two halves of a split compound ("US-Pakistan"): never one name.
    Hyphen,
    /// Punctuation, a line start or anything else: a name cannot run across it.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word without a possessive ending ("Pakistan" for "Pakistan's").
    pub text: &'a str,
    /// Byte span of `text` in the sentence.
    pub start: usize,
    pub end: usize,
    /// Starts with a capital letter (or is a compound such as "al-Qaeda" with a capitalised part).
    pub cap: bool,
    /// Two or more capitals and no lower-case letter ("TTP", "ISIS-K", "U.S.").
    pub acronym: bool,
    /// First word of the sentence, or first after an opening quote or bracket.
    pub initial: bool,
    pub sep: Sep,
    /// Had a possessive ending: a name ends here.
    pub possessive: bool,
}

/// A word: letters and digits (with combining marks), joined by inner `.`, `'`, `’` or `-`,
/// with an optional final period ("U.S.", "al-Qaeda", "Pakistan's").
const TOKEN_PATTERN: &str = r"[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:[.'’\-][\p{L}\p{N}\p{M}]+)*\.?";

static TOKEN: LazyLock<regex_automata::meta::Regex> = LazyLock::new(|| {
    regex_automata::meta::Regex::new(TOKEN_PATTERN).expect("token pattern compiles")
});

/// The tokens of `text` as `TOKEN_PATTERN` finds them left to right, without a regex search per
/// token where a word is plain ASCII (most of them). Elsewhere the regex runs anchored at a
/// letter or digit: an unanchored search also scans backwards for each match's start, which
/// made tokenising a tenth of the whole pipeline.
fn tokens(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let c = text[at..].chars().next()?;
            if !c.is_alphanumeric() {
                at += c.len_utf8();
                continue;
            }
            let start = at;
            let mut end = start;
            while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
                end += 1;
            }
            // The word ends at an ASCII byte that cannot continue it: no regex needed.
            let plain = end > start
                && bytes
                    .get(end)
                    .is_none_or(|b| b.is_ascii() && !b".'-".contains(b));
            if plain {
                at = end;
                return Some((start, end));
            }
            let input = regex_automata::Input::new(text)
                .range(start..)
                .anchored(regex_automata::Anchored::Yes);
            match TOKEN.search(&input) {
                Some(m) => {
                    at = m.end();
                    return Some((start, m.end()));
                }
                None => at = start + c.len_utf8(),
            }
        }
        None
    })
}

static INITIALISM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\p{Lu}\.){2,}$").expect("initialism pattern compiles"));

/// Lower-case parts that may sit inside a hyphenated name ("Tehrik-i-Taliban", "al-Qaeda").
static COMPOUND_CONNECTORS: WordSet = WordSet::new(&[
    "i", "e", "a", "al", "ul", "ud", "ur", "el", "ad", "as", "an", "bin", "ibn", "de", "y", "o",
]);

/// Splits a sentence into words. Offsets are byte offsets into `text`.
pub fn words(text: &str, is_place: impl Fn(&str) -> bool) -> Vec<Word<'_>> {
    let mut out: Vec<Word<'_>> = Vec::new();
    for (start, end) in tokens(text) {
        let mut tok = &text[start..end];
        if tok.ends_with('.') && !INITIALISM.is_match(tok) {
            tok = &tok[..tok.len() - 1];
        }
        let lead = text[..start].trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '“' | '‘' | '"' | '\'' | '(' | '[' | '—' | '–')
        });
        let initial = lead.is_empty();
        let sep = match out.last() {
            None => Sep::Other,
            Some(p) if p.possessive => Sep::Other,
            Some(p) => match &text[p.end..start] {
                " " => Sep::Space,
                ". " if is_abbreviation(p.text) => Sep::Space,
                _ => Sep::Other,
            },
        };
        let (tok, possessive) = strip_possessive(tok);
        push_compound(&mut out, tok, start, sep, initial, possessive, &is_place);
    }
    out
}

fn strip_possessive(tok: &str) -> (&str, bool) {
    for suffix in ["'s", "’s"] {
        if let Some(stem) = tok.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            return (stem, true);
        }
    }
    (tok, false)
}

fn push_compound<'a>(
    out: &mut Vec<Word<'a>>,
    tok: &'a str,
    start: usize,
    sep: Sep,
    initial: bool,
    possessive: bool,
    is_place: &impl Fn(&str) -> bool,
) {
    let word = |text: &'a str, at: usize, sep: Sep, initial: bool, cap: bool| Word {
        text,
        start: at,
        end: at + text.len(),
        cap,
        acronym: cap && is_acronym(text),
        initial,
        sep,
        possessive: false,
    };
    if !tok.contains('-') {
        let mut w = word(tok, start, sep, initial, starts_upper(tok));
        w.possessive = possessive;
        out.push(w);
        return;
    }
    let parts: Vec<(usize, &str)> = tok
        .split('-')
        .scan(0usize, |off, p| {
            let at = *off;
            *off += p.len() + 1;
            Some((at, p))
        })
        .collect();
    let capish = |p: &str| starts_upper(p) || p.chars().all(|c| c.is_ascii_digit());
    let connector = |p: &str| COMPOUND_CONNECTORS.contains(p);
    let all_name = parts.iter().all(|(_, p)| capish(p) || connector(p))
        && parts.iter().any(|(_, p)| starts_upper(p));
    if all_name {
        let split = parts.len() >= 2 && parts.iter().all(|(_, p)| starts_upper(p) && is_place(p));
        if split {
            for (i, (off, p)) in parts.iter().enumerate() {
                let s = if i == 0 { sep } else { Sep::Hyphen };
                out.push(word(p, start + off, s, initial && i == 0, true));
            }
        } else {
            out.push(word(tok, start, sep, initial, true));
        }
        if let Some(w) = out.last_mut() {
            w.possessive = possessive;
        }
        return;
    }
    // Mixed: a capitalised head ("Taliban-affiliated") or tail ("anti-American") is a word of its
    // own; the lower-case rest is kept as a word so that names do not run across it.
    let lead = parts.iter().take_while(|(_, p)| capish(p)).count();
    let tail = parts.iter().rev().take_while(|(_, p)| capish(p)).count();
    if lead > 0 && parts.iter().take(lead).any(|(_, p)| starts_upper(p)) {
        let (off, p) = parts[lead - 1];
        let end = off + p.len();
        out.push(word(&tok[..end], start, sep, initial, true));
        out.push(word(
            &tok[end + 1..],
            start + end + 1,
            Sep::Other,
            false,
            false,
        ));
    } else if tail > 0 && parts.iter().rev().take(tail).any(|(_, p)| starts_upper(p)) {
        let (off, _) = parts[parts.len() - tail];
        out.push(word(&tok[..off - 1], start, sep, initial, false));
        let mut w = word(&tok[off..], start + off, Sep::Other, false, true);
        w.possessive = possessive;
        out.push(w);
    } else {
        out.push(word(tok, start, sep, initial, false));
    }
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// "TTP", "ISIS-K", "U.S.", "G7": at least two capitals, or a capital and digits; no lower case.
pub fn is_acronym(s: &str) -> bool {
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    !s.chars().any(char::is_lowercase) && (upper >= 2 || (upper == 1 && digits >= 1))
}

fn is_abbreviation(w: &str) -> bool {
    (w.chars().count() == 1 && starts_upper(w)) || TITLE_ABBREVIATIONS.contains(w)
}

/// Titles written with a full stop ("Gen. Kurilla", "Dr. Holm").
static TITLE_ABBREVIATIONS: WordSet = WordSet::new(&[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Adm", "Sgt", "Sen",
    "Rep", "Gov", "Amb", "Pres", "Gens", "Brig", "Cdr", "Cmdr", "Fr", "Rev", "St", "Jr", "Sr",
]);

/// Capitalised words that open sentences and clauses but never start a name.
pub static FUNCTION_WORDS: WordSet = WordSet::new(&[
    "A",
    "About",
    "Above",
    "According",
    "Across",
    "After",
    "Against",
    "Again",
    "All",
    "Along",
    "Also",
    "Although",
    "Among",
    "An",
    "And",
    "Another",
    "Any",
    "Are",
    "Around",
    "As",
    "At",
    "Be",
    "Because",
    "Been",
    "Before",
    "Behind",
    "Below",
    "Beyond",
    "Both",
    "But",
    "By",
    "Can",
    "Could",
    "Despite",
    "Did",
    "Do",
    "Does",
    "During",
    "Each",
    "Either",
    "Even",
    "Every",
    "Few",
    "Finally",
    "First",
    "For",
    "From",
    "Further",
    "Furthermore",
    "Had",
    "Has",
    "Have",
    "He",
    "Hence",
    "Her",
    "Here",
    "Hers",
    "Him",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Indeed",
    "Instead",
    "Into",
    "Is",
    "It",
    "Its",
    "Just",
    "Last",
    "Less",
    "Let",
    "Like",
    "Many",
    "May",
    "Maybe",
    "Meanwhile",
    "Might",
    "More",
    "Moreover",
    "Most",
    "Much",
    "Must",
    "My",
    "Near",
    "Neither",
    "Never",
    "Next",
    "No",
    "Nor",
    "Not",
    "Now",
    "Of",
    "Often",
    "On",
    "Once",
    "One",
    "Only",
    "Or",
    "Other",
    "Others",
    "Our",
    "Out",
    "Over",
    "Perhaps",
    "Per",
    "Rather",
    "Second",
    "Several",
    "Shall",
    "She",
    "Should",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "Than",
    "That",
    "The",
    "Their",
    "Them",
    "Then",
    "There",
    "Therefore",
    "These",
    "They",
    "Third",
    "This",
    "Those",
    "Though",
    "Through",
    "Thus",
    "To",
    "Today",
    "Tomorrow",
    "Too",
    "Toward",
    "Towards",
    "Two",
    "Three",
    "Under",
    "Unless",
    "Unlike",
    "Until",
    "Up",
    "Upon",
    "Very",
    "Via",
    "Was",
    "We",
    "Were",
    "What",
    "Whatever",
    "When",
    "Where",
    "Whereas",
    "Whether",
    "Which",
    "While",
    "Who",
    "Whom",
    "Whose",
    "Why",
    "Will",
    "With",
    "Within",
    "Without",
    "Would",
    "Yes",
    "Yet",
    "Yesterday",
    "You",
    "Your",
]);

/// Months and days: dates are not targets ("In August 2021").
pub static CALENDAR: WordSet = WordSet::new(&[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]);

/// Titles and ranks: they introduce a person's name and are not part of it.
pub static TITLES: WordSet = WordSet::new(&[
    "Acting",
    "Adm",
    "Admiral",
    "Amb",
    "Ambassador",
    "Attorney",
    "Ayatollah",
    "Bishop",
    "Brig",
    "Brigadier",
    "Capt",
    "Captain",
    "Cardinal",
    "Chair",
    "Chairman",
    "Chairwoman",
    "Chancellor",
    "Chief",
    "Col",
    "Colonel",
    "Commander",
    "Congressman",
    "Congresswoman",
    "Crown",
    "Dame",
    "Deputy",
    "Director",
    "Doctor",
    "Dr",
    "Emir",
    "Envoy",
    "Field",
    "Foreign",
    "Former",
    "Gen",
    "General",
    "Gov",
    "Governor",
    "Imam",
    "Judge",
    "Justice",
    "King",
    "Lady",
    "Leader",
    "Lieutenant",
    "Lord",
    "Lt",
    "Maj",
    "Major",
    "Marshal",
    "Mayor",
    "Minister",
    "Mr",
    "Mrs",
    "Ms",
    "Mullah",
    "Pope",
    "Premier",
    "Pres",
    "President",
    "Prime",
    "Prince",
    "Princess",
    "Prof",
    "Professor",
    "Queen",
    "Rep",
    "Representative",
    "Secretary",
    "Sen",
    "Senator",
    "Sergeant",
    "Sgt",
    "Sheikh",
    "Sir",
    "Speaker",
    "Spokesman",
    "Spokeswoman",
    "Supreme",
    "Vice",
]);

/// Words that end the name of an institution ("US Central Command", "Ministry of Trade"): such a
/// run names an organisation, not a person.
pub static INSTITUTION_WORDS: WordSet = WordSet::new(&[
    "Administration",
    "Agency",
    "Army",
    "Assembly",
    "Authority",
    "Bank",
    "Board",
    "Bureau",
    "Cabinet",
    "Centre",
    "Center",
    "Command",
    "Commission",
    "Committee",
    "Company",
    "Congress",
    "Corporation",
    "Council",
    "Court",
    "Department",
    "Embassy",
    "Forces",
    "Foundation",
    "Front",
    "Fund",
    "Government",
    "Group",
    "Guard",
    "Institute",
    "League",
    "Ministry",
    "Movement",
    "Navy",
    "Office",
    "Organisation",
    "Organization",
    "Parliament",
    "Party",
    "Police",
    "Senate",
    "Service",
    "Services",
    "State",
    "Union",
    "University",
]);

/// Geographic nouns after a demonym or country: "Indian Ocean" is not India.
pub static GEOGRAPHIC: WordSet = WordSet::new(&[
    "Ocean",
    "Sea",
    "Gulf",
    "River",
    "Mountains",
    "Peninsula",
    "Desert",
    "Basin",
    "Strait",
    "Straits",
    "Channel",
    "Subcontinent",
    "Plateau",
    "Bay",
]);

/// Lower-case words allowed inside a multi-word name when a capitalised word follows ("Bank of
/// England", "Organization of the Petroleum Exporting Countries").
pub static NAME_CONNECTORS: WordSet = WordSet::new(&[
    "of", "the", "for", "de", "du", "da", "di", "del", "der", "van", "von", "al", "bin", "ibn",
    "el", "la", "le",
]);

/// A fixed word list with constant-time membership: the lists are consulted for every
/// capitalised word, and scanning them linearly was a visible share of target detection.
pub struct WordSet {
    words: &'static [&'static str],
    set: std::sync::OnceLock<std::collections::HashSet<&'static str>>,
}

impl WordSet {
    pub const fn new(words: &'static [&'static str]) -> Self {
        Self {
            words,
            set: std::sync::OnceLock::new(),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<(&str, bool, Sep)> {
        words(s, |p| matches!(p, "US" | "Pakistan"))
            .into_iter()
            .map(|w| (w.text, w.cap, w.sep))
            .collect()
    }

    #[test]
    fn compounds_possessives_and_initialisms() {
        let w = texts("US-Pakistan talks and Pakistan's army met the U.S. envoy.");
        assert_eq!(w[0], ("US", true, Sep::Other));
        assert_eq!(w[1], ("Pakistan", true, Sep::Hyphen));
        assert_eq!(w[4], ("Pakistan", true, Sep::Space));
        assert_eq!(w[5].2, Sep::Other, "a possessive ends a name");
        assert_eq!(w[8].0, "U.S.");
        let w =
            texts("the Taliban-affiliated TTP and al-Qaeda, Tehrik-i-Taliban and anti-American");
        assert_eq!(w[1], ("Taliban", true, Sep::Space));
        assert_eq!(w[2], ("affiliated", false, Sep::Other));
        assert_eq!(w[3], ("TTP", true, Sep::Space));
        assert_eq!(w[5], ("al-Qaeda", true, Sep::Space));
        assert_eq!(w[6], ("Tehrik-i-Taliban", true, Sep::Other));
        assert_eq!(w[8], ("anti", false, Sep::Space));
        assert_eq!(w[9], ("American", true, Sep::Other));
    }

    #[test]
    fn title_abbreviations_join_names() {
        let w = words("He met Gen. Kurilla in May.", |_| false);
        let k = w.iter().find(|w| w.text == "Kurilla").unwrap();
        assert_eq!(k.sep, Sep::Space);
        assert!(w[0].initial && !w[1].initial);
        assert!(is_acronym("ISIS-K") && is_acronym("G7") && !is_acronym("Iran"));
    }
}
