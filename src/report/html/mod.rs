//! HTML: one self-contained page per report — no network, no fonts or scripts from anywhere,
//! inline CSS only, charts as SVG written here. A Content-Security-Policy forbids every load
//! and every script, so even a mistake in escaping could not run code.
//!
//! The page: a masthead (title, source, model status); "at a glance" (key figures, the legend
//! with counts and rates, the tone mix, top cues); the tone strip and sentiment arc across the
//! column; the column itself with every finding marked (`<mark data-finding-id data-category
//! data-start data-end>` — source byte offsets — and a CSS tooltip with rule, message and, for
//! attributions, who is cited and on what authority) beside a margin note per section (rates
//! per category as a bar chart on a scale shared by all sections); then the sourcing and
//! targets tables. The same report always gives the same bytes.
//!
//! All text goes through [`escape::esc`]; nothing from the report is ever written inside
//! `<style>`, and the page has no `<script>`.

pub mod compare;
pub mod escape;
pub mod svg;

use super::{FindingReport, Printer, Report, SectionReport, SentenceReport};
use crate::aggregate::{Summary, Tone};
use crate::tag::{Category, SourceKind};
use escape::{esc, push_attr, push_text};
use std::fmt::Write as _;
use std::io;

/// The Content-Security-Policy of every page: nothing may load, no script may run; inline
/// styles only.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

/// Renders a [`Report`] as a self-contained HTML page.
pub struct HtmlPrinter;

impl Printer for HtmlPrinter {
    fn print(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(render(report).as_bytes())
    }
}

/// The page as a string.
pub fn render(report: &Report) -> String {
    let mut page = Page::new(report);
    page.document();
    page.out
}

/// Category colours: (strong, tint). Chosen to stay distinct for common colour-vision
/// deficiencies when paired with the mark styles (attributions are underlined, not filled).
pub fn palette(c: Category) -> (&'static str, &'static str) {
    match c {
        Category::Promotional => ("#a3218f", "#f7dcf1"),
        Category::Booster => ("#c2410c", "#fde2cf"),
        Category::Intensifier => ("#a16207", "#fbefc4"),
        Category::Hedge => ("#0e7490", "#d2eef4"),
        Category::Weasel => ("#4f46e5", "#e2e1fb"),
        Category::Attribution => ("#15803d", "#e3f3e7"),
        Category::Loaded => ("#b91c1c", "#f9d6d3"),
    }
}

fn tone_colour(t: Tone) -> &'static str {
    match t {
        Tone::Promotional => "#a3218f",
        Tone::Hedged => "#0e7490",
        Tone::Critical => "#b91c1c",
        Tone::Neutral => "#d9d5cc",
    }
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn kind_str(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Named => "named",
        SourceKind::Anonymous => "anonymous",
        SourceKind::Vague => "vague",
    }
}

/// A signed number with a typographic minus: `+0.50`, `−0.25`.
fn signed(x: f64) -> String {
    format!("{x:+.2}").replace('-', "\u{2212}")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The CSS: the palette (generated from [`palette`], so Rust and CSS never disagree) and the
/// static style sheet. No report text is ever written here.
fn style() -> String {
    let mut css = String::new();
    for c in Category::ALL {
        let (strong, tint) = palette(c);
        let _ = write!(css, ".c-{c}{{--c:{strong};--t:{tint}}}");
    }
    for t in Tone::ALL {
        let _ = write!(css, ".k-{}{{--c:{}}}", t.as_str(), tone_colour(t));
    }
    css.push('\n');
    css.push_str(include_str!("style.css"));
    css
}

/// Everything up to and including `<body>`: the CSP, the title (escaped) and the style sheet.
pub(crate) fn head(out: &mut String, title: &str, suffix: &str, version: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"generator\" content=\"rhetor ");
    esc(out, version);
    out.push_str("\">\n<title>");
    push_attr(out, title);
    esc(out, suffix);
    out.push_str("</title>\n<style>\n");
    out.push_str(&style());
    out.push_str("</style>\n</head>\n<body>\n");
}

struct Page<'a> {
    r: &'a Report,
    out: String,
    /// Right end of every section's rate bars, so sections compare at a glance.
    scale: f64,
}

impl<'a> Page<'a> {
    fn new(r: &'a Report) -> Self {
        let max = r
            .sections
            .iter()
            .map(|s| &s.summary)
            .chain(std::iter::once(&r.summary))
            .flat_map(|s| s.rates_per_100_words.values().copied())
            .fold(0.0, f64::max);
        Self {
            r,
            out: String::with_capacity(64 * 1024 + r.input.bytes * 4),
            scale: svg::nice_max(max),
        }
    }

    fn w(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn text(&mut self, s: &str) {
        push_text(&mut self.out, s);
    }

    fn document(&mut self) {
        let title = self.title_text();
        head(
            &mut self.out,
            &title,
            " · rhetor report",
            self.r.tool.version,
        );
        self.masthead(&title);
        self.glance();
        self.across();
        self.column();
        self.sourcing();
        self.targets();
        self.footer();
        self.w("</body>\n</html>\n");
    }

    /// The column's title, or its file name, or a placeholder.
    fn title_text(&self) -> String {
        if let Some(t) = self.r.title.as_deref().filter(|t| !t.trim().is_empty()) {
            return t.to_string();
        }
        match &self.r.input.path {
            Some(p) => p.rsplit(['/', '\\']).next().unwrap_or(p).to_string(),
            None => "Untitled column".into(),
        }
    }

    /// The sentence that is the section's heading, when the section starts with one.
    fn heading_sentence(&self, sec: &SectionReport) -> Option<&'a SentenceReport> {
        let heading = sec.heading.as_deref()?;
        let first = self.r.sentences.get(*sec.sentence_ids.first()?)?;
        (first.text.trim() == heading.trim()).then_some(first)
    }

    /// The title sentence, when the first section is headed by the report's title.
    fn title_sentence(&self) -> Option<&'a SentenceReport> {
        let title = self.r.title.as_deref()?;
        let sec = self.r.sections.first()?;
        self.heading_sentence(sec)
            .filter(|s| s.text.trim() == title.trim())
    }

    fn masthead(&mut self, title: &str) {
        let r = self.r;
        self.w("<header class=\"masthead\">\n<p class=\"kicker\">Rhetoric report</p>\n<h1>");
        match self.title_sentence() {
            Some(s) => self.sentence(s),
            None => self.text(title),
        }
        self.w("</h1>\n<p class=\"meta\">");
        match &r.input.path {
            Some(p) => {
                self.w("<span class=\"path\">");
                self.text(p);
                self.w("</span>");
            }
            None => self.w("standard input"),
        }
        let fmt = serde_json::to_value(r.input.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            self.out,
            " · {} · {} · {} · {}</p>",
            escape::escaped(&fmt),
            plural(r.summary.words, "word", "words"),
            plural(r.summary.sentences, "sentence", "sentences"),
            plural(r.sections.len(), "section", "sections"),
        );
        if r.model.enabled {
            self.w("<p class=\"model model-on\"><span class=\"badge b-named\">model on</span> ");
            if let Some(id) = &r.model.id {
                self.w("<code>");
                self.text(id);
                self.w("</code> · ");
            }
        } else {
            self.w(
                "<p class=\"model model-off\"><span class=\"badge b-anonymous\">model off</span> ",
            );
        }
        self.text(&title_case(&r.model.note));
        self.w(". Marks come from rules: hover one to see which rule and why.</p>\n</header>\n");
    }

    fn glance(&mut self) {
        let s = &self.r.summary;
        self.w("<section class=\"glance\" aria-label=\"At a glance\">\n<div class=\"figures\">\n");
        let cues: usize = Category::ALL
            .iter()
            .filter(|c| **c != Category::Attribution)
            .map(|c| s.counts.get(c).copied().unwrap_or(0))
            .sum();
        let per100 = if s.words == 0 {
            0.0
        } else {
            cues as f64 * 100.0 / s.words as f64
        };
        let src = &s.sources;
        let cited = src.named + src.anonymous + src.vague;
        let _ = write!(
            self.out,
            "<div class=\"fig\"><span class=\"num\">{cues}</span><span class=\"lbl\">marked \
             cues · {per100:.1} per 100 words</span></div>\n\
             <div class=\"fig\"><span class=\"num\">{named}<small>/{cited}</small></span>\
             <span class=\"lbl\">sources named ({anon} anonymous, {vague} vague)</span></div>\n",
            named = src.named,
            anon = src.anonymous,
            vague = src.vague,
        );
        self.w("<div class=\"fig\">");
        svg::balance_gauge(&mut self.out, s.certainty_balance);
        let _ = writeln!(
            self.out,
            "<span class=\"lbl\">certainty balance {}</span></div>",
            s.certainty_balance
                .map(signed)
                .unwrap_or_else(|| "— (no boosters or hedges)".into())
        );
        self.w("</div>\n<div class=\"glance-grid\">\n<div>\n<h2>Legend</h2>\n");
        self.legend(s);
        self.w("</div>\n<div>\n<h2>Whole column</h2>\n");
        svg::RateBars {
            rates: &s.rates_per_100_words,
            counts: &s.counts,
            scale: self.scale,
            label: "Rates per 100 words for the whole column",
        }
        .render(&mut self.out);
        self.w("<h3>Sentences by tone</h3>\n");
        svg::tone_mix(&mut self.out, &s.tones);
        self.tone_key(&s.tones);
        if !s.top_cues.is_empty() {
            self.w("<h3>Most frequent cues</h3>\n<p class=\"chips\">");
            for cue in &s.top_cues {
                let first = cue.finding_ids.first().copied().unwrap_or(0);
                let _ = write!(
                    self.out,
                    "<a class=\"chip c-{}\" href=\"#f-{first}\">",
                    cue.category
                );
                self.text(&cue.text);
                if cue.count > 1 {
                    let _ = write!(self.out, " <b>×{}</b>", cue.count);
                }
                self.w("</a> ");
            }
            self.w("</p>\n");
        }
        self.w("</div>\n</div>\n</section>\n");
    }

    fn legend(&mut self, s: &Summary) {
        self.w(
            "<table class=\"legend\">\n<thead><tr><th>Category</th><th class=\"n\">Found</th>\
                <th class=\"n\">Per 100 words</th><th>What it marks</th></tr></thead>\n<tbody>\n",
        );
        for c in Category::ALL {
            let count = s.counts.get(&c).copied().unwrap_or(0);
            let rate = s.rates_per_100_words.get(&c).copied().unwrap_or(0.0);
            let _ = writeln!(
                self.out,
                "<tr{}><td><span class=\"sw c-{c}{}\">{}</span></td><td class=\"n\">{count}</td>\
                 <td class=\"n\">{rate:.2}</td><td class=\"desc\">{}</td></tr>",
                if count == 0 { " class=\"none\"" } else { "" },
                if c == Category::Attribution {
                    " attr"
                } else {
                    ""
                },
                title_case(c.as_str()),
                escape::escaped(c.describe()),
            );
        }
        self.w("</tbody>\n</table>\n");
    }

    fn tone_key(&mut self, tones: &crate::aggregate::PerTone<usize>) {
        self.w("<p class=\"key\">");
        for t in Tone::ALL {
            let _ = write!(
                self.out,
                "<span class=\"k k-{t}\">{k} {t}</span> ",
                t = t.as_str(),
                k = tones.get(&t).copied().unwrap_or(0)
            );
        }
        self.w("</p>\n");
    }

    /// Sentence tooltip for the strip and the arc.
    fn sentence_tip(s: &SentenceReport) -> String {
        let mut tip = format!("Sentence {} · {}", s.id, s.tone.as_str());
        if !s.tone_reason.is_empty() {
            tip.push_str(" — ");
            tip.push_str(&s.tone_reason);
        }
        if let Some(sent) = &s.sentiment {
            let v = sent.scores.get("positive").unwrap_or(&0.0)
                - sent.scores.get("negative").unwrap_or(&0.0);
            let _ = write!(tip, "\nsentiment {} ({v:+.2})", sent.label);
        }
        tip.push('\n');
        let excerpt: String = s.text.chars().take(140).collect();
        tip.push_str(&excerpt);
        if excerpt.len() < s.text.len() {
            tip.push('…');
        }
        tip
    }

    fn across(&mut self) {
        let r = self.r;
        let tips: Vec<String> = r.sentences.iter().map(Self::sentence_tip).collect();
        let points: Vec<svg::Point<'_>> = r
            .sentences
            .iter()
            .zip(&tips)
            .map(|(s, tip)| svg::Point {
                id: s.id,
                words: s.words,
                section: s.section,
                tone: s.tone,
                sentiment: s.sentiment.as_ref().map(|x| {
                    x.scores.get("positive").unwrap_or(&0.0)
                        - x.scores.get("negative").unwrap_or(&0.0)
                }),
                tip,
            })
            .collect();
        self.w("<section class=\"across\" aria-label=\"Across the column\">\n<h2>Across the column</h2>\n");
        self.w(
            "<h3>Tone of each sentence <small>(rules; width = words; click to jump)</small></h3>\n",
        );
        svg::tone_strip(&mut self.out, &points);
        self.tone_key(&r.summary.tones);
        self.w(
            "<h3>Sentiment arc <small>(model: positive − negative, per sentence)</small></h3>\n",
        );
        if points.iter().any(|p| p.sentiment.is_some()) {
            svg::sentiment_arc(&mut self.out, &points);
        } else {
            self.w("<div class=\"off\">");
            self.text(&title_case(&r.model.note));
            self.w(
                ". The sentiment arc needs the classifier: install the model and run without \
                 <code>--no-model</code>.</div>\n",
            );
        }
        self.w("</section>\n");
    }

    fn column(&mut self) {
        let r = self.r;
        let title_id = self.title_sentence().map(|s| s.id);
        self.w("<main class=\"column\">\n");
        for sec in &r.sections {
            let heading = self.heading_sentence(sec);
            let body: Vec<&SentenceReport> = sec
                .sentence_ids
                .iter()
                .filter_map(|id| r.sentences.get(*id))
                .filter(|s| Some(s.id) != heading.map(|h| h.id))
                .collect();
            if body.is_empty() && heading.map(|h| h.id) == title_id {
                continue; // the title alone: it is the page's heading
            }
            let _ = write!(
                self.out,
                "<section class=\"sec\" id=\"sec-{i}\" data-section=\"{i}\" data-start=\"{}\" \
                 data-end=\"{}\">\n<div class=\"text\">\n",
                sec.start,
                sec.end,
                i = sec.index
            );
            if let Some(h) = heading.filter(|h| Some(h.id) != title_id) {
                self.w("<h2>");
                self.sentence(h);
                self.w("</h2>\n");
            }
            let mut prev_end: Option<usize> = None;
            let para_gap = match r.input.format {
                crate::document::SourceFormat::Html => 7,
                _ => 2,
            };
            self.w("<p>");
            for s in body {
                if let Some(e) = prev_end {
                    // The report has no paragraph ids; a gap of a blank line (or a closing
                    // and opening tag) in the source between sentences starts a new paragraph.
                    if s.start.saturating_sub(e) >= para_gap {
                        self.w("</p>\n<p>");
                    } else {
                        self.w(" ");
                    }
                }
                self.sentence(s);
                prev_end = Some(s.end);
            }
            self.w("</p>\n</div>\n");
            self.section_notes(sec);
            self.w("</section>\n");
        }
        self.w("</main>\n");
    }

    fn section_notes(&mut self, sec: &SectionReport) {
        let s = &sec.summary;
        let _ = write!(
            self.out,
            "<aside class=\"notes\">\n<p class=\"sec-label\"><b>§{}</b> · {} · {}</p>\n",
            sec.index + 1,
            plural(s.words, "word", "words"),
            plural(s.sentences, "sentence", "sentences")
        );
        let any = s.counts.values().any(|k| *k > 0);
        if any {
            let label = format!("Rates per 100 words in section {}", sec.index + 1);
            svg::RateBars {
                rates: &s.rates_per_100_words,
                counts: &s.counts,
                scale: self.scale,
                label: &label,
            }
            .render(&mut self.out);
        } else {
            self.w("<p class=\"quiet\">No cues marked in this section.</p>\n");
        }
        self.w("<ul class=\"facts\">\n");
        let tones: Vec<String> = Tone::ALL
            .iter()
            .filter(|t| **t != Tone::Neutral)
            .filter_map(|t| {
                let k = s.tones.get(t).copied().unwrap_or(0);
                (k > 0).then(|| format!("<span class=\"k k-{0}\">{k} {0}</span>", t.as_str()))
            })
            .collect();
        if !tones.is_empty() {
            let _ = writeln!(self.out, "<li>Tone: {}</li>", tones.join(" "));
        }
        if let Some(b) = s.certainty_balance {
            let _ = writeln!(
                self.out,
                "<li>Certainty balance <b>{}</b> <small>(−1 all hedging, +1 all certainty)</small></li>",
                signed(b)
            );
        }
        let src = &s.sources;
        if src.named + src.anonymous + src.vague > 0 {
            let _ = writeln!(
                self.out,
                "<li>Sources: {} named, {} anonymous, {} vague{}</li>",
                src.named,
                src.anonymous,
                src.vague,
                if src.appeals_to_authority > 0 {
                    format!("; {} by authority", src.appeals_to_authority)
                } else {
                    String::new()
                }
            );
        }
        if let Some(m) = &s.model {
            let _ = writeln!(
                self.out,
                "<li>Model: sentiment +{:.2} / −{:.2} · uncertainty {:.2} · bias {:.2}</li>",
                m.sentiment_mean.get("positive").unwrap_or(&0.0),
                m.sentiment_mean.get("negative").unwrap_or(&0.0),
                m.uncertainty_mean,
                m.bias_mean
            );
        }
        if !s.top_cues.is_empty() {
            self.w("<li class=\"chips\">");
            for cue in s.top_cues.iter().take(5) {
                let first = cue.finding_ids.first().copied().unwrap_or(0);
                let _ = write!(
                    self.out,
                    "<a class=\"chip c-{}\" href=\"#f-{first}\">",
                    cue.category
                );
                self.text(&cue.text);
                if cue.count > 1 {
                    let _ = write!(self.out, " <b>×{}</b>", cue.count);
                }
                self.w("</a> ");
            }
            self.w("</li>\n");
        }
        self.w("</ul>\n</aside>\n");
    }

    /// One sentence with its marks.
    fn sentence(&mut self, s: &SentenceReport) {
        let _ = write!(
            self.out,
            "<span class=\"s t-{tone}\" id=\"s-{id}\" data-sentence=\"{id}\" data-n=\"{id}\" \
             data-start=\"{}\" data-end=\"{}\" data-tone=\"{tone}\">",
            s.start,
            s.end,
            id = s.id,
            tone = s.tone.as_str()
        );
        self.marked(&s.text, &s.findings);
        self.w("</span>");
    }

    /// The sentence text with every finding marked. Findings may nest (an attribution around a
    /// weasel cue) or overlap; an overlapped mark is closed and reopened as a continuation
    /// (same `data-finding-id`, `data-part` 2, 3, …) so the HTML stays well-formed. At one
    /// position, closings come before openings, and the longer of two findings opens first.
    fn marked(&mut self, text: &str, findings: &[FindingReport]) {
        let valid: Vec<usize> = (0..findings.len())
            .filter(|&i| {
                let (a, b) = findings[i].local;
                a < b && text.get(a..b).is_some()
            })
            .collect();
        let mut points: Vec<usize> = valid
            .iter()
            .flat_map(|&i| [findings[i].local.0, findings[i].local.1])
            .collect();
        points.sort_unstable();
        points.dedup();
        let mut stack: Vec<usize> = Vec::new();
        let mut parts = vec![0usize; findings.len()];
        let mut pos = 0;
        for at in points {
            self.text(&text[pos..at]);
            pos = at;
            // Close what ends here, reopening anything opened inside it that goes on.
            if stack.iter().any(|&i| findings[i].local.1 == at) {
                let mut reopen = Vec::new();
                while stack.iter().any(|&i| findings[i].local.1 == at) {
                    let Some(i) = stack.pop() else { break };
                    self.w("</mark>");
                    if findings[i].local.1 != at {
                        reopen.push(i);
                    }
                }
                for i in reopen.into_iter().rev() {
                    self.open_mark(&findings[i], &mut parts[i]);
                    stack.push(i);
                }
            }
            let mut opening: Vec<usize> = valid
                .iter()
                .copied()
                .filter(|&i| findings[i].local.0 == at)
                .collect();
            opening.sort_by_key(|&i| (std::cmp::Reverse(findings[i].local.1), i));
            for i in opening {
                self.open_mark(&findings[i], &mut parts[i]);
                stack.push(i);
            }
        }
        self.text(&text[pos..]);
        for _ in stack {
            self.w("</mark>");
        }
    }

    fn open_mark(&mut self, f: &FindingReport, part: &mut usize) {
        *part += 1;
        let cat = f.category;
        let _ = write!(
            self.out,
            "<mark class=\"m c-{cat}{}\"",
            if cat == Category::Attribution {
                " attr"
            } else {
                ""
            }
        );
        if *part == 1 {
            let _ = write!(self.out, " id=\"f-{}\"", f.id);
        }
        let _ = write!(
            self.out,
            " data-finding-id=\"{}\" data-category=\"{cat}\" data-rule=\"",
            f.id
        );
        esc(&mut self.out, &f.rule);
        let _ = write!(
            self.out,
            "\" data-start=\"{}\" data-end=\"{}\"",
            f.start, f.end
        );
        if *part > 1 {
            let _ = write!(self.out, " data-part=\"{part}\"");
        }
        self.w(" data-tip=\"");
        push_attr(&mut self.out, &Self::tip(f));
        self.w("\">");
    }

    /// The tooltip: category and rule, message, and for attributions who is cited and how.
    fn tip(f: &FindingReport) -> String {
        let mut tip = format!(
            "{} · {}\n{}",
            title_case(f.category.as_str()),
            f.rule,
            f.message
        );
        if let Some(kind) = f.source_kind {
            let who = f.source.clone().flatten();
            let _ = write!(
                tip,
                "\nSource: {} ({})",
                who.as_deref().unwrap_or("unnamed"),
                kind_str(kind)
            );
            if let Some(v) = &f.verb {
                let _ = write!(tip, " · “{v}”");
            }
            if let Some(Some(a)) = &f.authority {
                let _ = write!(tip, "\nAppeal to authority: {a}");
            }
        }
        if f.negated {
            tip.push_str("\nNegated: not counted in the writer's tone");
        }
        if f.quoted {
            tip.push_str("\nQuoted: the speaker's words, not counted in the writer's tone");
        }
        tip
    }

    fn sourcing(&mut self) {
        let r = self.r;
        let src = &r.summary.sources;
        self.w("<section class=\"tables\" id=\"sourcing\" aria-label=\"Sourcing\">\n<h2>Who is cited</h2>\n");
        let _ = writeln!(
            self.out,
            "<p class=\"tally\"><span class=\"big\">{}</span> named \
             <span class=\"big\">{}</span> anonymous <span class=\"big\">{}</span> vague \
             <span class=\"big\">{}</span> by authority</p>",
            src.named, src.anonymous, src.vague, src.appeals_to_authority
        );
        let rows: Vec<(&SentenceReport, &FindingReport)> = r
            .sentences
            .iter()
            .flat_map(|s| s.findings.iter().map(move |f| (s, f)))
            .filter(|(_, f)| f.source_kind.is_some())
            .collect();
        if rows.is_empty() {
            self.w("<p class=\"quiet\">No attributions found: the column cites no one.</p>\n</section>\n");
            return;
        }
        self.w(
            "<table class=\"data\">\n<thead><tr><th class=\"n\">Sentence</th><th>Source</th>\
             <th>Kind</th><th>Authority</th><th>Attribution</th></tr></thead>\n<tbody>\n",
        );
        for (s, f) in rows {
            let kind = f.source_kind.map(kind_str).unwrap_or("");
            let _ = write!(
                self.out,
                "<tr><td class=\"n\"><a href=\"#s-{0}\">{0}</a></td><td>",
                s.id
            );
            match f.source.clone().flatten() {
                Some(who) => self.text(&who),
                None => self.w("<span class=\"quiet\">unnamed</span>"),
            }
            let _ = write!(
                self.out,
                "</td><td><span class=\"badge b-{kind}\">{kind}</span></td><td>"
            );
            match f.authority.clone().flatten() {
                Some(a) => self.text(&a),
                None => self.w("<span class=\"quiet\">—</span>"),
            }
            let _ = write!(
                self.out,
                "</td><td class=\"quote\"><a href=\"#f-{}\">",
                f.id
            );
            self.text(&f.text);
            self.w("</a></td></tr>\n");
        }
        self.w("</tbody>\n</table>\n</section>\n");
    }

    fn targets(&mut self) {
        let r = self.r;
        self.w(
            "<section class=\"tables\" id=\"targets\" aria-label=\"Targets\">\n<h2>Targets</h2>\n",
        );
        if r.targets.is_empty() {
            self.w(
                "<p class=\"quiet\">No targets tracked. Pass <code>--target NAME[=ALIAS,…]</code> \
                 to follow a person, state or institution through the column.</p>\n</section>\n",
            );
            return;
        }
        self.w(
            "<table class=\"data\">\n<thead><tr><th>Target</th><th>Aliases</th><th>Stance</th>\
             <th class=\"n\">Favor</th><th class=\"n\">Against</th><th class=\"n\">None</th>\
             <th>Evidence (sentences)</th></tr></thead>\n<tbody>\n",
        );
        for t in &r.targets {
            self.w("<tr><td><b>");
            self.text(&t.name);
            self.w("</b></td><td>");
            if t.aliases.is_empty() {
                self.w("<span class=\"quiet\">—</span>");
            }
            for (i, a) in t.aliases.iter().enumerate() {
                if i > 0 {
                    self.w(", ");
                }
                self.text(a);
            }
            let n = |k: &str| t.counts.get(k).copied().unwrap_or(0);
            let _ = write!(
                self.out,
                "</td><td><span class=\"badge st-{s}\">{s}</span></td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"ev\">",
                n("favor"),
                n("against"),
                n("none"),
                s = escape::escaped(t.stance)
            );
            if t.evidence.is_empty() {
                self.w("<span class=\"quiet\">not mentioned</span>");
            }
            // The strongest evidence first, in bold, then the rest.
            let rest = t
                .evidence
                .iter()
                .filter(|id| !t.strongest_evidence.contains(id));
            for (strong, id) in t
                .strongest_evidence
                .iter()
                .map(|id| (true, id))
                .chain(rest.map(|id| (false, id)))
            {
                let class = if strong { " class=\"strong\"" } else { "" };
                let _ = write!(self.out, "<a href=\"#s-{id}\"{class} title=\"");
                if let Some(s) = r.sentences.get(*id) {
                    push_attr(&mut self.out, &s.text);
                }
                let _ = write!(self.out, "\">{id}</a> ");
            }
            if !t.quoted_evidence.is_empty() {
                self.w("<span class=\"quiet\">quoted:");
                for id in &t.quoted_evidence {
                    let _ = write!(self.out, " <a href=\"#s-{id}\">{id}</a>");
                }
                self.w("</span>");
            }
            self.w("</td></tr>\n");
        }
        self.w("</tbody>\n</table>\n");
        if !r.model.enabled {
            self.w(
                "<p class=\"note\">Stance comes from the model; with model scores off every \
                 mention counts as <i>none</i>.</p>\n",
            );
        }
        self.w("</section>\n");
    }

    fn footer(&mut self) {
        let r = self.r;
        let hash: String = r.tool.rules_hash.chars().take(12).collect();
        let _ = write!(
            self.out,
            "<footer>\n<p>Generated by {} {} · report schema {} · rule set <code>{}</code> · {} \
             input bytes.</p>\n<p>This page is self-contained: it loads nothing from the network \
             and runs no script. Charts are SVG drawn by rhetor. Marks are rule matches, not \
             verdicts: read them as places to look.</p>\n</footer>\n",
            escape::escaped(r.tool.name),
            escape::escaped(r.tool.version),
            r.schema_version,
            escape::escaped(&hash),
            r.input.bytes
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: usize, cat: Category, a: usize, b: usize, text: &str) -> FindingReport {
        FindingReport {
            id,
            rule: format!("{cat}.test").into(),
            category: cat,
            start: 100 + a,
            end: 100 + b,
            char_start: 100 + a,
            char_end: 100 + b,
            text: text[a..b].to_string(),
            message: "m".into(),
            local: (a, b),
            source: None,
            source_kind: None,
            verb: None,
            authority: None,
            negated: false,
            quoted: false,
        }
    }

    fn empty_report() -> Report {
        crate::report::Report {
            schema_version: 1,
            tool: crate::report::Tool {
                name: "rhetor",
                version: "0",
                rules_hash: String::new(),
            },
            input: crate::report::Input {
                path: None,
                format: crate::document::SourceFormat::Text,
                bytes: 0,
            },
            title: None,
            model: crate::report::ModelInfo {
                enabled: false,
                id: None,
                techniques: vec![],
                note: "off".into(),
            },
            summary: crate::aggregate::summarize(&[]),
            sections: vec![],
            sentences: vec![],
            targets: vec![],
            stance: Default::default(),
        }
    }

    fn marked(text: &str, findings: &[FindingReport]) -> String {
        let r = empty_report();
        let mut p = Page::new(&r);
        p.marked(text, findings);
        // Strip the tooltips for readability.
        let re = regex::Regex::new(r#" data-[a-z-]+="[^"]*""#).unwrap();
        let s = re.replace_all(&p.out, "").to_string();
        regex::Regex::new(r#"<mark class="m c-([a-z]+)(?: attr)?"(?: id="f-\d+")?>"#)
            .unwrap()
            .replace_all(&s, "[$1:")
            .replace("</mark>", "]")
    }

    #[test]
    fn nested_marks_open_outer_first() {
        let t = "Experts say it is clearly true";
        let f = [
            finding(0, Category::Attribution, 0, 11, t),
            finding(1, Category::Weasel, 0, 7, t),
            finding(2, Category::Booster, 18, 25, t),
        ];
        assert_eq!(
            marked(t, &f),
            "[attribution:[weasel:Experts] say] it is [booster:clearly] true"
        );
    }

    #[test]
    fn overlapping_marks_are_split_not_misnested() {
        let t = "clearly the most important step";
        let f = [
            finding(0, Category::Booster, 0, 16, t),
            finding(1, Category::Promotional, 8, 26, t),
        ];
        let out = marked(t, &f);
        assert_eq!(
            out,
            "[booster:clearly [promotional:the most]][promotional: important] step"
        );
    }

    #[test]
    fn broken_spans_are_skipped_not_panicked_on() {
        let t = "café";
        let mut f = finding(0, Category::Hedge, 0, 2, "ab");
        f.local = (0, 4); // inside the é
        let g = finding(1, Category::Hedge, 0, 0, "ab");
        assert_eq!(marked(t, &[f, g]), "café");
    }

    #[test]
    fn marks_carry_offsets_and_escaped_tooltips() {
        let t = "a <b> c";
        let mut f = finding(7, Category::Loaded, 2, 5, t);
        f.message = "say \"no\" & <go>".into();
        let r = empty_report();
        let mut p = Page::new(&r);
        p.marked(t, &[f]);
        assert_eq!(
            p.out,
            "a <mark class=\"m c-loaded\" id=\"f-7\" data-finding-id=\"7\" data-category=\"loaded\" \
             data-rule=\"loaded.test\" data-start=\"102\" data-end=\"105\" data-tip=\"Loaded · \
             loaded.test\nsay &quot;no&quot; &amp; &lt;go&gt;\">&lt;b&gt;</mark> c"
        );
    }

    /// A stand-in classifier: sentiment from a few cue words, so the model panels can be
    /// rendered and checked without the ONNX model.
    struct FakeModel(Vec<String>);

    impl crate::classify::SentenceModel for FakeModel {
        fn score(
            &self,
            sentences: &[&str],
        ) -> anyhow::Result<Vec<crate::classify::SentenceScores>> {
            Ok(sentences
                .iter()
                .map(|s| {
                    let l = s.to_lowercase();
                    let pos = ["triumph", "clearly", "works", "world-class", "good"]
                        .iter()
                        .filter(|w| l.contains(*w))
                        .count() as f32;
                    let neg = ["reckless", "shameful", "critics", "optimistic", "tight"]
                        .iter()
                        .filter(|w| l.contains(*w))
                        .count() as f32;
                    let (p, n) = ((0.15 + 0.3 * pos).min(0.9), (0.1 + 0.3 * neg).min(0.9));
                    let total = p + n + 0.3;
                    crate::classify::SentenceScores {
                        sentiment: [n / total, 0.3 / total, p / total],
                        uncertainty: 0.2,
                        bias: 0.4,
                        techniques: vec![0.1],
                    }
                })
                .collect())
        }
        fn technique_names(&self) -> &[String] {
            &self.0
        }
        fn id(&self) -> String {
            "fake-model".into()
        }
    }

    const COLUMN: &str = "# A Triumph\n\nThe plan clearly works. Some critics call it reckless.\n\n\
                          ## Costs\n\nThe budget may be optimistic. It is a world-class, good plan.\n";

    fn model_report() -> Report {
        let rules = crate::rules::RuleSet::load(true, &[]).unwrap();
        let model = std::sync::Arc::new(FakeModel(vec!["loaded_language".into()]));
        let analyzer = crate::pipeline::Analyzer::new(rules, Some(model));
        let analysis = analyzer
            .analyse(COLUMN, crate::document::SourceFormat::Markdown)
            .unwrap();
        let targets: Vec<crate::tag::targets::TargetSpec> = vec!["plan".parse().unwrap()];
        crate::report::build(
            &analysis,
            COLUMN,
            crate::report::BuildInfo {
                path: Some("column.md".into()),
                format: crate::document::SourceFormat::Markdown,
                rules_hash: analyzer.rules().fingerprint(),
                targets: &targets,
            },
        )
    }

    #[test]
    fn with_a_model_the_arc_has_one_point_per_sentence() {
        let r = model_report();
        let html = render(&r);
        if let Some(p) = std::env::var_os("RHETOR_HTML_PREVIEW") {
            std::fs::write(p, &html).unwrap();
        }
        assert!(html.contains("model on"));
        assert!(html.contains("<code>fake-model</code>"));
        assert!(html.contains("<svg class=\"arc\""));
        assert!(!html.contains("class=\"off\""));
        assert_eq!(
            html.matches("<circle class=\"dot").count(),
            r.sentences.len()
        );
        assert!(html.contains("<li>Model: sentiment +"));
    }

    #[test]
    fn empty_report_renders_a_page() {
        let html = render(&empty_report());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("Untitled column"));
        assert!(html.contains("model off"));
        assert!(!html.contains("<script"));
        assert!(html.ends_with("</html>\n"));
    }
}
