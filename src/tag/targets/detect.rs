//! Finds the names in one sentence: places from the gazetteer, multi-word proper names, acronyms
//! and the definitions that tie an acronym to its expansion ("Tehrik-i-Taliban Pakistan (TTP)")
//! or a name to an alias ("Mohammad Sharifullah (alias: Jafar)").

use super::gazetteer::{Form, Gazetteer};
use super::words::{
    CALENDAR, FUNCTION_WORDS, GEOGRAPHIC, INSTITUTION_WORDS, NAME_CONNECTORS, Sep, TITLES, Word,
    words,
};
use regex::Regex;
use std::sync::LazyLock;

/// What a mention names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A gazetteer place, by index, and how it was named.
    Place { place: usize, form: Form },
    /// Any other name, grouped by its normalised key.
    Name(NameInfo),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameInfo {
    pub key: String,
    /// Words in the name, connectors not counted.
    pub tokens: usize,
    /// A title or rank stood before it ("Gen Kurilla", "Prime Minister Shehbaz Sharif").
    pub titled: bool,
    /// A single acronym ("TTP", "CIA").
    pub acronym: bool,
    /// Ends in an institution word, or is the expansion of an acronym.
    pub organisation: bool,
    /// A single capitalised word that opens the sentence: on its own no evidence of a name.
    pub initial_only: bool,
}

/// One name found in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMention {
    /// Byte span in the sentence's text.
    pub start: usize,
    pub end: usize,
    pub what: What,
}

/// Two surface forms that the text says are the same entity ("TTP" and its expansion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub a: String,
    pub b: String,
}

impl Link {
    fn new(a: &str, b: &str) -> Self {
        Self {
            a: a.trim().to_string(),
            b: b.trim().to_string(),
        }
    }
}

/// Normalised grouping key: case, hyphens, curly apostrophes and a leading "the" do not matter.
pub fn key_of(surface: &str) -> String {
    // One pass (it runs for every candidate name): hyphens are spaces, curly apostrophes
    // straight, whitespace runs one space, all lower case.
    let mut key = String::with_capacity(surface.len());
    let mut gap = false;
    for c in surface.chars() {
        let c = match c {
            '-' | '‐' => ' ',
            '’' => '\'',
            c => c,
        };
        if c.is_whitespace() {
            gap = !key.is_empty();
            continue;
        }
        if gap {
            key.push(' ');
            gap = false;
        }
        key.extend(c.to_lowercase());
    }
    match key.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => key,
    }
}

static PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\s*([^()]{1,80}?)\s*\)").expect("paren pattern compiles"));
static ALIAS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:alias|aka|a\.k\.a\.|also known as|known as)[:\s]\s*(?P<name>.+)$")
        .expect("alias pattern compiles")
});

/// Names in a body sentence, and the links its definitions make.
pub fn body(text: &str, gaz: &Gazetteer) -> (Vec<RawMention>, Vec<Link>) {
    let ws = words(text, |p| gaz.is_place_word(p));
    let mut consumed = vec![false; ws.len()];
    let mut out = Vec::new();
    let mut links = Vec::new();
    // Definitions and aliases live in brackets; most sentences have none.
    let bracketed = text.contains('(');
    if bracketed {
        definitions(text, &ws, &mut consumed, &mut out, &mut links);
    }
    let mut i = 0;
    while i < ws.len() {
        if consumed[i] || !ws[i].cap {
            i += 1;
            continue;
        }
        let end = run_end(&ws, &consumed, i);
        run(text, &ws[i..end], gaz, &mut out);
        i = end;
    }
    if bracketed {
        alias_links(text, &out, &mut links);
    }
    out.sort_by_key(|m| (m.start, m.end));
    (out, links)
}

/// Places named in a heading or title. Other names in headings are found later by their surface
/// forms from the body: in title case every word is capitalised, so capitals say nothing.
pub fn heading(text: &str, gaz: &Gazetteer) -> Vec<RawMention> {
    let ws = words(text, |p| gaz.is_place_word(p));
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        match gaz.match_at(&ws, i) {
            Some(m) => {
                out.push(RawMention {
                    start: ws[i].start,
                    end: ws[i + m.len - 1].end,
                    what: What::Place {
                        place: m.place,
                        form: m.form,
                    },
                });
                i += m.len;
            }
            None => i += 1,
        }
    }
    out
}

/// Where a run of capitalised words starting at `i` ends: capitalised words joined by single
/// spaces, with connectors ("of", "the", "al") inside when a capitalised word follows.
fn run_end(ws: &[Word<'_>], consumed: &[bool], i: usize) -> usize {
    let mut end = i + 1;
    let mut j = i + 1;
    while j < ws.len() && ws[j].sep == Sep::Space && !consumed[j] {
        if ws[j].cap {
            j += 1;
            end = j;
        } else if NAME_CONNECTORS.contains(ws[j].text) && j - end < 2 {
            j += 1;
        } else {
            break;
        }
    }
    end
}

fn is_title(w: &Word<'_>) -> bool {
    TITLES.contains(w.text) || matches!(w.text, "Staff" | "Defence" | "Defense" | "Affairs")
}

fn is_connector(w: &Word<'_>) -> bool {
    !w.cap && NAME_CONNECTORS.contains(w.text)
}

/// Turns one run of capitalised words into mentions.
fn run(text: &str, run: &[Word<'_>], gaz: &Gazetteer, out: &mut Vec<RawMention>) {
    let mut a = 0;
    let mut b = run.len();
    // Function words that open a sentence or clause ("The", "In", "According") start no name.
    while a < b && (FUNCTION_WORDS.contains(run[a].text) || is_connector(&run[a])) {
        a += 1;
    }
    while b > a && is_connector(&run[b - 1]) {
        b -= 1;
    }
    if a < b && b - a == 1 && CALENDAR.contains(run[a].text) {
        return;
    }
    // "August 2021": a month before a number is a date.
    let next_is_number = |k: usize| {
        run.get(k)
            .is_none_or(|w| w.text.starts_with(|c: char| c.is_ascii_digit()))
    };
    if b > a && CALENDAR.contains(run[b - 1].text) && next_is_number(b) && b == run.len() {
        b -= 1;
    }
    if a >= b {
        return;
    }
    let run = &run[a..b];

    // A title block followed by a name: "Prime Minister Shehbaz Sharif", "Gen Kurilla".
    if let Some((t_start, t_end)) = title_split(run) {
        // "Ana Duarte of Norland": the name stops at a connector; what follows is a run of its own.
        let stop = run[t_end..]
            .iter()
            .position(is_connector)
            .map_or(run.len(), |k| t_end + k);
        out.push(name_mention(text, &run[t_end..stop], true, false, false));
        prefix(text, &run[..t_start], gaz, out);
        if stop < run.len() {
            self::run(text, &run[stop..], gaz, out);
        }
        return;
    }
    if run.iter().all(|w| is_title(w) || is_connector(w)) {
        return;
    }
    let whole_place = gaz.match_at(run, 0).filter(|m| m.len == run.len());
    if let Some(m) = whole_place {
        out.push(place_mention(run, 0, m.len, m.place, m.form));
        return;
    }
    // A place that modifies the rest of the run ("US Army", "Pakistani Taliban") is a mention of
    // the place; a capital that starts a longer name ("Washington Post", "Kabul Abbey Gate") is
    // not. Places later in a run are part of a name ("Tehrik-i-Taliban Pakistan") unless "of"
    // introduces them ("Government of Pakistan").
    let mut i = 0;
    while i < run.len() {
        if let Some(m) = gaz.match_at(run, i) {
            let modifier = i == 0
                && m.form != Form::Capital
                && !run.get(m.len).is_some_and(|w| GEOGRAPHIC.contains(w.text));
            let after_of = i > 0 && is_connector(&run[i - 1]);
            if modifier || after_of {
                out.push(place_mention(run, i, m.len, m.place, m.form));
            }
            i += m.len;
        } else {
            i += 1;
        }
    }
    out.push(name_mention(text, run, false, false, false));
}

/// The title block of a run and where the name after it starts: the last block of title words
/// followed by at least one non-title word, where the run does not end in an institution word.
fn title_split(run: &[Word<'_>]) -> Option<(usize, usize)> {
    let last = run.last()?;
    if INSTITUTION_WORDS.contains(last.text) || is_title(last) {
        return None;
    }
    let t_end = run.iter().rposition(is_title)? + 1;
    let name = &run[t_end..];
    if name.is_empty() || !name[0].cap || name.iter().any(|w| w.acronym) {
        return None;
    }
    let mut t_start = t_end - 1;
    while t_start > 0 && (is_title(&run[t_start - 1]) || is_connector(&run[t_start - 1])) {
        t_start -= 1;
    }
    Some((t_start, t_end))
}

/// What stands before a title: "US Army" in "US Army General Michael Kurilla", "Pakistani" in
/// "Pakistani Prime Minister Shehbaz Sharif".
fn prefix(text: &str, words: &[Word<'_>], gaz: &Gazetteer, out: &mut Vec<RawMention>) {
    if words.is_empty() {
        return;
    }
    if let Some(m) = gaz.match_at(words, 0) {
        out.push(place_mention(words, 0, m.len, m.place, m.form));
        if m.len == words.len() {
            return;
        }
    }
    if words.len() == 1 && INSTITUTION_WORDS.contains(words[0].text) {
        return;
    }
    out.push(name_mention(text, words, false, false, false));
}

fn place_mention(ws: &[Word<'_>], i: usize, len: usize, place: usize, form: Form) -> RawMention {
    RawMention {
        start: ws[i].start,
        end: ws[i + len - 1].end,
        what: What::Place { place, form },
    }
}

fn name_mention(
    text: &str,
    ws: &[Word<'_>],
    titled: bool,
    organisation: bool,
    defined: bool,
) -> RawMention {
    let (start, end) = (ws[0].start, ws[ws.len() - 1].end);
    let tokens = ws.iter().filter(|w| w.cap).count();
    let acronym = ws.len() == 1 && ws[0].acronym;
    let last = ws[ws.len() - 1].text;
    RawMention {
        start,
        end,
        what: What::Name(NameInfo {
            key: key_of(&text[start..end]),
            tokens,
            titled,
            acronym,
            organisation: organisation || acronym || INSTITUTION_WORDS.contains(last),
            initial_only: ws.len() == 1 && ws[0].initial && !acronym && !titled && !defined,
        }),
    }
}

/// Acronym definitions in both orders, marking the words they cover as used.
fn definitions(
    text: &str,
    ws: &[Word<'_>],
    consumed: &mut [bool],
    out: &mut Vec<RawMention>,
    links: &mut Vec<Link>,
) {
    for c in PAREN.captures_iter(text) {
        let whole = c.get(0).expect("group 0");
        let inner = c.get(1).expect("group 1");
        let inside: Vec<usize> = (0..ws.len())
            .filter(|&k| ws[k].start >= inner.start() && ws[k].end <= inner.end())
            .collect();
        let before: Vec<usize> = (0..ws.len())
            .filter(|&k| ws[k].end <= whole.start())
            .collect();
        // "Long Form (LF)"
        if inside.len() == 1 && ws[inside[0]].acronym && ws[inside[0]].text == inner.as_str() {
            let short = inner.as_str();
            let window = (short.len() + 5).min(short.len() * 2);
            let from = before.len().saturating_sub(window);
            let Some(&first) = before.get(from) else {
                continue;
            };
            let region = &text[ws[first].start..whole.start()];
            let Some(offset) = long_form(short, region.trim_end()) else {
                continue;
            };
            let start = ws[first].start + offset;
            let span: Vec<usize> = before
                .iter()
                .copied()
                .filter(|&k| ws[k].start >= start)
                .collect();
            let (Some(&s), Some(&e)) = (span.first(), span.last()) else {
                continue;
            };
            if !ws[s].cap
                || span.iter().any(|&k| consumed[k])
                || span.len() < 2 && !ws[s].text.contains('-')
            {
                continue;
            }
            let mut m = name_mention(text, &ws[s..=e], false, true, true);
            if let What::Name(info) = &mut m.what {
                info.tokens = info.tokens.max(2);
            }
            links.push(Link::new(&text[ws[s].start..ws[e].end], short));
            out.push(m);
            for k in span.iter().chain(&inside) {
                consumed[*k] = true;
            }
            continue;
        }
        // "LF (Long Form)"
        let acronym_inside = inside.len() == 1 && ws[inside[0]].acronym;
        if !inside.is_empty()
            && !acronym_inside
            && let Some(&prev) = before.last()
            && ws[prev].acronym
            && text[ws[prev].end..whole.start()].trim().is_empty()
            && ws[inside[0]].cap
            && long_form(ws[prev].text, inner.as_str()) == Some(0)
        {
            links.push(Link::new(inner.as_str(), ws[prev].text));
            for k in &inside {
                consumed[*k] = true;
            }
        }
    }
}

/// "Mohammad Sharifullah (alias: Jafar)": the alias is another name of the name before it.
fn alias_links(text: &str, found: &[RawMention], links: &mut Vec<Link>) {
    for c in PAREN.captures_iter(text) {
        let whole = c.get(0).expect("group 0");
        let Some(alias) = ALIAS.captures(c.get(1).expect("group 1").as_str()) else {
            continue;
        };
        let alias = alias["name"].trim();
        if !alias.starts_with(char::is_uppercase) {
            continue;
        }
        let before = found
            .iter()
            .rev()
            .find(|m| m.end <= whole.start() && text[m.end..whole.start()].trim().is_empty());
        if let Some(
            m @ RawMention {
                what: What::Name(_),
                ..
            },
        ) = before
        {
            links.push(Link::new(&text[m.start..m.end], alias));
        }
    }
}

/// Schwartz & Hearst (2003): the shortest tail of `region` whose characters spell the short
/// form in order, the first at the start of a word. Returns its byte offset in `region`.
pub fn long_form(short: &str, region: &str) -> Option<usize> {
    let s: Vec<char> = short
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let l: Vec<(usize, char)> = region.char_indices().collect();
    if s.is_empty() || l.is_empty() {
        return None;
    }
    let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
    let mut li = l.len() as isize - 1;
    for si in (0..s.len()).rev() {
        loop {
            if li < 0 {
                return None;
            }
            let c = l[li as usize].1;
            let word_start = li == 0 || !l[li as usize - 1].1.is_alphanumeric();
            if lower(c) == s[si] && (si > 0 || word_start) {
                break;
            }
            li -= 1;
        }
        li -= 1;
    }
    let start = l[(li + 1) as usize].0;
    let long = &region[start..];
    (long.len() > short.len() && super::find_word(long, short).is_empty()).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::super::gazetteer::gazetteer;
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let g = gazetteer();
        body(text, g)
            .0
            .into_iter()
            .map(|m| match m.what {
                What::Place { place, .. } => format!("@{}", g.places[place].name),
                What::Name(n) => {
                    let t = if n.titled { "+" } else { "" };
                    format!("{t}{}", &text[m.start..m.end])
                }
            })
            .collect()
    }

    #[test]
    fn runs_titles_and_places() {
        assert_eq!(
            names("Yesterday Foreign Minister Ana Duarte of Norland met US Army General Piet Vos."),
            [
                "+Ana Duarte",
                "Norland",
                "@United States",
                "US Army",
                "+Piet Vos"
            ]
        );
        assert_eq!(
            names("The Pakistani army and Islamabad back the Washington Post in August 2021."),
            ["@Pakistan", "@Pakistan", "Washington Post"]
        );
        assert_eq!(
            names("Concisely, the Indian Ocean matters."),
            ["Concisely", "Indian Ocean"]
        );
    }

    #[test]
    fn acronym_definitions() {
        let text = "Both fight the Tehrik-i-Taliban Pakistan (TTP) and the ISIS-Khorasan (ISIS-K).";
        let (found, links) = body(text, gazetteer());
        let spans: Vec<&str> = found.iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(spans, ["Tehrik-i-Taliban Pakistan", "ISIS-Khorasan"]);
        assert_eq!(links[0], Link::new("Tehrik-i-Taliban Pakistan", "TTP"));
        assert_eq!(links[1].b, "ISIS-K");
        assert_eq!(
            long_form("NFC", "the new Northern Fisheries Council"),
            Some(8)
        );
        assert_eq!(long_form("XYZ", "nothing here"), None);
    }

    #[test]
    fn alias_definitions() {
        let (_, links) = body(
            "Police held Omar Tull (alias: Hawk) on Monday.",
            gazetteer(),
        );
        assert_eq!(links, [Link::new("Omar Tull", "Hawk")]);
    }
}
