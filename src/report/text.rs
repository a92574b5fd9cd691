//! Terminal text: each section's sentences with their marks, then a compact summary per section
//! and for the whole column. Colour only when asked for (the CLI decides from TTY and NO_COLOR).

use super::{FindingReport, Printer, Report, SectionReport};
use crate::aggregate::{Summary, Tone};
use crate::tag::Category;
use std::io::{self, Write};

pub struct TextPrinter {
    pub color: bool,
}

const RESET: &str = "\x1b[0m";

fn color_of(c: Category) -> &'static str {
    match c {
        Category::Promotional => "\x1b[1;35m",
        Category::Booster => "\x1b[1;31m",
        Category::Intensifier => "\x1b[33m",
        Category::Hedge => "\x1b[36m",
        Category::Weasel => "\x1b[1;36m",
        Category::Attribution => "\x1b[32m",
        Category::Loaded => "\x1b[1;91m",
    }
}

/// Short tags used in plain output: `[clearly]{booster}` reads well without colour.
fn short(c: Category) -> &'static str {
    match c {
        Category::Promotional => "promo",
        Category::Booster => "boost",
        Category::Intensifier => "intens",
        Category::Hedge => "hedge",
        Category::Weasel => "weasel",
        Category::Attribution => "source",
        Category::Loaded => "loaded",
    }
}

/// `s` with control characters shown as escapes (`\u{1b}`), so text from the input (a
/// column, an author name) cannot move the cursor, recolour or retitle the terminal; rhetor's
/// own colour codes are added around the cleaned text.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\t' && c != '\n') {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' && c != '\n' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

impl Printer for TextPrinter {
    fn print(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let mut out = io::BufWriter::new(out);
        if let Some(t) = &report.title {
            writeln!(out, "{}", self.bold(&safe(t)))?;
        }
        writeln!(
            out,
            "{}",
            self.dim(&format!(
                "rhetor {} · {}",
                report.tool.version, report.model.note
            ))
        )?;
        writeln!(out)?;
        for sec in &report.sections {
            self.section(report, sec, &mut out)?;
        }
        writeln!(out, "{}", self.bold("Column"))?;
        self.summary(&report.summary, &mut out)?;
        if !report.summary.top_cues.is_empty() {
            let cues: Vec<String> = report
                .summary
                .top_cues
                .iter()
                .map(|c| format!("{} ×{} ({})", safe(&c.text), c.count, c.category))
                .collect();
            writeln!(out, "  top cues: {}", cues.join(", "))?;
        }
        self.targets(report, &mut out)?;
        out.flush()
    }
}

impl TextPrinter {
    fn section(
        &self,
        report: &Report,
        sec: &SectionReport,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let heading = sec
            .heading
            .clone()
            .unwrap_or_else(|| format!("Section {}", sec.index + 1));
        writeln!(
            out,
            "{}",
            self.bold(&format!("§{} {}", sec.index + 1, safe(&heading)))
        )?;
        for id in &sec.sentence_ids {
            let s = &report.sentences[*id];
            let sentiment = s
                .sentiment
                .as_ref()
                .map(|x| format!(" {}", x.label))
                .unwrap_or_default();
            let tone = match s.tone {
                Tone::Neutral => String::new(),
                t => format!(" {}", t.as_str()),
            };
            let tag = self.dim(&format!("[{}{}{}]", s.id, tone, sentiment));
            writeln!(out, "  {tag} {}", self.marked(&s.text, &s.findings))?;
            for f in s
                .findings
                .iter()
                .filter(|f| f.category == Category::Attribution)
            {
                let who = f
                    .source
                    .clone()
                    .flatten()
                    .unwrap_or_else(|| "unnamed".into());
                let kind = match f.source_kind {
                    Some(crate::tag::SourceKind::Named) => "named",
                    Some(crate::tag::SourceKind::Anonymous) => "anonymous",
                    Some(crate::tag::SourceKind::Vague) => "vague",
                    None => "unknown",
                };
                let authority = f
                    .authority
                    .clone()
                    .flatten()
                    .map(|a| format!("; appeal to authority: {a}"))
                    .unwrap_or_default();
                let verb = f.verb.clone().unwrap_or_default();
                writeln!(
                    out,
                    "      {}",
                    self.dim(&safe(&format!(
                        "↳ source: {who} ({kind}, “{verb}”{authority})"
                    )))
                )?;
            }
        }
        self.summary(&sec.summary, out)?;
        writeln!(out)
    }

    /// The sentence with each finding marked. Findings may nest (an attribution around a
    /// weasel cue); at equal positions closing marks come before opening ones.
    fn marked(&self, text: &str, findings: &[FindingReport]) -> String {
        let mut events: Vec<(usize, bool, usize)> = Vec::new();
        for (i, f) in findings.iter().enumerate() {
            events.push((f.local.0, true, i));
            events.push((f.local.1, false, i));
        }
        // Closings first at a point; outer (earlier, longer) findings open first, close last.
        events.sort_by_key(|&(pos, open, i)| (pos, open, if open { i } else { usize::MAX - i }));
        let mut out = String::with_capacity(text.len() + events.len() * 8);
        let mut pos = 0;
        for (at, open, i) in events {
            out.push_str(&safe(&text[pos..at]));
            pos = at;
            let c = findings[i].category;
            match (open, self.color) {
                (true, true) => out.push_str(color_of(c)),
                (true, false) => out.push('['),
                (false, true) => out.push_str(RESET),
                (false, false) => {
                    let f = &findings[i];
                    let context = match (f.negated, f.quoted) {
                        (true, _) => ":negated",
                        (false, true) => ":quoted",
                        _ => "",
                    };
                    out.push_str(&format!("]{{{}{context}}}", short(c)));
                }
            }
        }
        out.push_str(&safe(&text[pos..]));
        out
    }

    fn summary(&self, s: &Summary, out: &mut impl Write) -> io::Result<()> {
        let rates: Vec<String> = Category::ALL
            .iter()
            .filter(|c| s.counts[*c] > 0)
            .map(|c| format!("{c} {:.1}", s.rates_per_100_words[c]))
            .collect();
        let rates = if rates.is_empty() {
            "no cues".to_string()
        } else {
            format!("per 100 words: {}", rates.join(" · "))
        };
        writeln!(
            out,
            "  {} words, {} sentences · {rates}",
            s.words, s.sentences
        )?;
        let tones: Vec<String> = s
            .tones
            .iter()
            .filter(|(t, k)| **k > 0 && **t != Tone::Neutral)
            .map(|(t, k)| format!("{k} {}", t.as_str()))
            .collect();
        let mut line = vec![];
        if !tones.is_empty() {
            line.push(format!("tone: {}", tones.join(", ")));
        }
        let src = &s.sources;
        if src.named + src.anonymous + src.vague > 0 {
            line.push(format!(
                "sources: {} named, {} anonymous, {} vague, {} by authority",
                src.named, src.anonymous, src.vague, src.appeals_to_authority
            ));
        }
        if let Some(b) = s.certainty_balance {
            line.push(format!("certainty balance {b:+.2}"));
        }
        if let Some(m) = &s.model {
            line.push(format!(
                "sentiment −{:.2}/+{:.2} · uncertainty {:.2} · bias {:.2}",
                m.sentiment_mean["negative"],
                m.sentiment_mean["positive"],
                m.uncertainty_mean,
                m.bias_mean
            ));
        }
        if !line.is_empty() {
            writeln!(out, "  {}", line.join(" · "))?;
        }
        Ok(())
    }

    /// The target table: name, aliases seen, mentions, judgements per label, stance, evidence.
    fn targets(&self, report: &Report, out: &mut impl Write) -> io::Result<()> {
        if report.targets.is_empty() {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(out, "{}", self.bold("Targets"))?;
        writeln!(out, "  {}", self.dim(&report.stance.note))?;
        let clip = |s: &str, n: usize| -> String {
            if s.chars().count() <= n {
                s.to_string()
            } else {
                format!("{}…", s.chars().take(n - 1).collect::<String>())
            }
        };
        let rows: Vec<[String; 8]> = report
            .targets
            .iter()
            .map(|t| {
                let name = if t.user {
                    format!("{}*", t.name)
                } else {
                    t.name.clone()
                };
                let mut ids: Vec<String> =
                    t.evidence.iter().take(8).map(usize::to_string).collect();
                if t.evidence.len() > 8 {
                    ids.push("…".into());
                }
                [
                    clip(&safe(&name), 28),
                    clip(&safe(&t.aliases.join(", ")), 30),
                    t.mention_count.to_string(),
                    t.counts["favor"].to_string(),
                    t.counts["against"].to_string(),
                    t.counts["none"].to_string(),
                    t.stance.to_string(),
                    ids.join(" "),
                ]
            })
            .collect();
        let header = [
            "target",
            "aliases seen",
            "mentions",
            "favor",
            "against",
            "none",
            "stance",
            "evidence",
        ];
        let width = |i: usize| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        };
        let w: Vec<usize> = (0..8).map(width).collect();
        let line = |r: [&str; 8]| {
            format!(
                "  {:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}  {:>w4$}  {:>w5$}  {:<w6$}  {}",
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                w0 = w[0],
                w1 = w[1],
                w2 = w[2],
                w3 = w[3],
                w4 = w[4],
                w5 = w[5],
                w6 = w[6],
            )
        };
        writeln!(out, "{}", self.dim(line(header).trim_end()))?;
        for r in &rows {
            let cells: [&str; 8] = std::array::from_fn(|i| r[i].as_str());
            writeln!(out, "{}", line(cells).trim_end())?;
        }
        let one = &report.stance.one_sidedness;
        if let Some(share) = one.share {
            let mut parts = Vec::new();
            if !one.favoured_only.is_empty() {
                parts.push(format!("only favoured: {}", one.favoured_only.join(", ")));
            }
            if !one.opposed_only.is_empty() {
                parts.push(format!("only opposed: {}", one.opposed_only.join(", ")));
            }
            let detail = if parts.is_empty() {
                String::new()
            } else {
                format!(" · {}", parts.join(" · "))
            };
            writeln!(
                out,
                "  one-sidedness {share:.2}: {} of {} targets judged in ≥{} sentences are only favoured or only opposed{detail}",
                one.one_sided, one.eligible, one.min_evaluated
            )?;
        }
        if report.targets.iter().any(|t| t.user) {
            writeln!(out, "  {}", self.dim("* given with --target"))?;
        }
        self.strongest_evidence(report, out)
    }

    /// Each favor or against verdict with its reason and strongest sentences, and where a target
    /// is named inside quotations (the speakers' view, not counted for the writer).
    fn strongest_evidence(&self, report: &Report, out: &mut impl Write) -> io::Result<()> {
        let quote = |id: &usize| -> String {
            let text = report.sentences.get(*id).map_or("", |s| s.text.as_str());
            let short: String = text.chars().take(90).collect();
            let more = if short.len() < text.len() { "…" } else { "" };
            format!("[{id}] {}{more}", safe(short.trim()))
        };
        for t in &report.targets {
            if t.stance != "none" {
                writeln!(
                    out,
                    "  {} {} ({})",
                    safe(&t.name),
                    t.stance,
                    safe(&t.stance_reason)
                )?;
                for id in &t.strongest_evidence {
                    writeln!(out, "      {}", quote(id))?;
                }
            }
            if !t.quoted_evidence.is_empty() {
                let ids: Vec<String> = t.quoted_evidence.iter().map(usize::to_string).collect();
                writeln!(
                    out,
                    "  {} is named inside quotations in {} (the speakers' view, not counted)",
                    t.name,
                    ids.join(" ")
                )?;
            }
        }
        Ok(())
    }

    fn bold(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[1m{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    fn dim(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[2m{s}{RESET}")
        } else {
            s.to_string()
        }
    }
}
