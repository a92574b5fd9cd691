//! Charts as SVG, written by hand here (no charting library): bar charts of rates, the tone
//! strip, the sentiment arc, a stacked tone bar and the certainty gauge. Every label and
//! tooltip goes through the one escaping function; colours come from CSS classes, so the
//! palette lives in one place. Coordinates are formatted with fixed precision so that the
//! same report always gives the same bytes.

use super::escape::{esc, push_attr};
use crate::aggregate::{PerCategory, PerTone, Tone};
use crate::tag::Category;
use std::fmt::Write as _;

/// A coordinate, to one decimal place; non-finite values draw at 0.
pub fn c(x: f64) -> String {
    if x.is_finite() {
        let s = format!("{x:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    } else {
        "0".into()
    }
}

/// A rounded-up axis maximum: 1, 2, 2.5, 5 × a power of ten.
pub fn nice_max(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v >= x - 1e-9)
        .unwrap_or(10.0 * p)
}

/// One bar per category: rate per 100 words, on a scale shared by the caller.
pub struct RateBars<'a> {
    pub rates: &'a PerCategory<f64>,
    pub counts: &'a PerCategory<usize>,
    /// The value at the right end of the bars.
    pub scale: f64,
    /// Label for screen readers: what the chart is of.
    pub label: &'a str,
}

impl RateBars<'_> {
    pub fn render(&self, out: &mut String) {
        const W: f64 = 300.0;
        const LABEL: f64 = 84.0;
        const BAR: f64 = 160.0;
        const ROW: f64 = 19.0;
        let h = ROW * Category::ALL.len() as f64 + 16.0;
        let _ = write!(
            out,
            "<svg class=\"bars\" viewBox=\"0 0 {W} {h}\" width=\"{W}\" height=\"{h}\" role=\"img\" aria-label=\""
        );
        push_attr(out, self.label);
        out.push_str("\">");
        // Scale: quarter gridlines and the end value.
        for q in 0..=4 {
            let x = LABEL + BAR * q as f64 / 4.0;
            let _ = write!(
                out,
                "<line class=\"grid\" x1=\"{x}\" y1=\"2\" x2=\"{x}\" y2=\"{}\"/>",
                c(h - 14.0),
                x = c(x)
            );
        }
        let _ = write!(
            out,
            "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">0</text>\
             <text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{} per 100 words</text>",
            c(LABEL),
            c(h - 2.0),
            c(LABEL + BAR),
            c(h - 2.0),
            c(self.scale)
        );
        for (i, cat) in Category::ALL.iter().enumerate() {
            let rate = self.rates.get(cat).copied().unwrap_or(0.0);
            let count = self.counts.get(cat).copied().unwrap_or(0);
            let y = 2.0 + ROW * i as f64;
            let w = (rate / self.scale).clamp(0.0, 1.0) * BAR;
            let zero = if count == 0 { " zero" } else { "" };
            let _ = write!(
                out,
                "<g class=\"row{zero}\"><title>{cat}: {rate:.2} per 100 words ({count} cue{s})</title>\
                 <text class=\"lab\" x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{cat}</text>\
                 <rect class=\"track\" x=\"{bx}\" y=\"{by}\" width=\"{BAR}\" height=\"11\" rx=\"2\"/>",
                s = if count == 1 { "" } else { "s" },
                lx = c(LABEL - 6.0),
                ty = c(y + 10.5),
                bx = c(LABEL),
                by = c(y + 1.5),
            );
            if w > 0.0 {
                let _ = write!(
                    out,
                    "<rect class=\"fill c-{cat}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"11\" rx=\"2\"/>",
                    c(LABEL),
                    c(y + 1.5),
                    c(w.max(1.5))
                );
            }
            let _ = write!(
                out,
                "<text class=\"val\" x=\"{}\" y=\"{}\">{}</text></g>",
                c(LABEL + BAR + 6.0),
                c(y + 10.5),
                if count == 0 {
                    "–".to_string()
                } else {
                    format!("{rate:.1} · {count}")
                }
            );
        }
        out.push_str("</svg>");
    }
}

/// One sentence for the strip and the arc.
pub struct Point<'a> {
    pub id: usize,
    pub words: usize,
    pub section: usize,
    pub tone: Tone,
    /// p(positive) − p(negative), when the model is on.
    pub sentiment: Option<f64>,
    /// Tooltip text.
    pub tip: &'a str,
}

/// Cumulative word positions: each sentence's (start, end) on a 0..total axis. Empty
/// sentences still get a sliver so they stay clickable.
fn spans(points: &[Point<'_>]) -> (Vec<(f64, f64)>, f64) {
    let mut at = 0.0;
    let spans = points
        .iter()
        .map(|p| {
            let w = (p.words as f64).max(0.5);
            let s = (at, at + w);
            at += w;
            s
        })
        .collect();
    (spans, at.max(1.0))
}

/// Section boundaries: (x position in 0..1, section index) where a new section begins.
fn section_starts(points: &[Point<'_>], spans: &[(f64, f64)], total: f64) -> Vec<(f64, usize)> {
    let mut out = Vec::new();
    let mut prev = None;
    for (p, s) in points.iter().zip(spans) {
        if prev != Some(p.section) {
            out.push((s.0 / total, p.section));
            prev = Some(p.section);
        }
    }
    out
}

/// The rule-based tone of each sentence as a strip of cells, widths by word count.
pub fn tone_strip(out: &mut String, points: &[Point<'_>]) {
    const W: f64 = 1000.0;
    const H: f64 = 30.0;
    let (spans, total) = spans(points);
    let _ = write!(
        out,
        "<svg class=\"strip\" viewBox=\"0 0 {W} {h}\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"Tone of each sentence, in column order, widths by word count\">",
        h = H + 8.0
    );
    for (p, (a, b)) in points.iter().zip(&spans) {
        let x = a / total * W;
        let w = ((b - a) / total * W - 0.6).max(0.8);
        let _ = write!(
            out,
            "<a href=\"#s-{id}\"><rect class=\"fill k-{tone}\" x=\"{x}\" y=\"0\" width=\"{w}\" height=\"{H}\"><title>",
            id = p.id,
            tone = p.tone.as_str(),
            x = c(x),
            w = c(w)
        );
        push_attr(out, p.tip);
        out.push_str("</title></rect></a>");
    }
    for (x, _) in section_starts(points, &spans, total).into_iter().skip(1) {
        let _ = write!(
            out,
            "<rect class=\"sec-tick\" x=\"{}\" y=\"{H}\" width=\"2\" height=\"8\"/>",
            c(x * W - 1.0)
        );
    }
    out.push_str("</svg>");
}

/// The sentiment arc: p(positive) − p(negative) per sentence across the column, as a line
/// over a two-coloured area, with section boundaries marked.
pub fn sentiment_arc(out: &mut String, points: &[Point<'_>]) {
    const W: f64 = 1000.0;
    const H: f64 = 220.0;
    const L: f64 = 70.0; // left margin for the axis labels
    const R: f64 = 10.0;
    const T: f64 = 22.0; // top margin for section labels
    const B: f64 = 10.0;
    let (spans, total) = spans(points);
    let x_of = |v: f64| L + v / total * (W - L - R);
    let y_of = |s: f64| T + (1.0 - s.clamp(-1.0, 1.0)) / 2.0 * (H - T - B);
    let zero = y_of(0.0);
    let pts: Vec<(f64, f64, &Point<'_>)> = points
        .iter()
        .zip(&spans)
        .filter_map(|(p, (a, b))| Some((x_of((a + b) / 2.0), y_of(p.sentiment?), p)))
        .collect();
    let _ = write!(
        out,
        "<svg class=\"arc\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"Sentiment arc: \
         positive minus negative probability for each sentence, in column order\">\
         <defs><clipPath id=\"arc-above\"><rect x=\"0\" y=\"0\" width=\"{W}\" height=\"{z}\"/></clipPath>\
         <clipPath id=\"arc-below\"><rect x=\"0\" y=\"{z}\" width=\"{W}\" height=\"{zb}\"/></clipPath></defs>",
        z = c(zero),
        zb = c(H - zero)
    );
    for (v, label) in [(1.0, "positive"), (0.0, "neutral"), (-1.0, "negative")] {
        let y = y_of(v);
        let _ = write!(
            out,
            "<line class=\"{cls}\" x1=\"{L}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\"/>\
             <text class=\"axis\" x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>",
            cls = if v == 0.0 { "zero" } else { "grid" },
            y = c(y),
            x2 = c(W - R),
            lx = c(L - 8.0),
            ty = c(y + 4.0)
        );
    }
    for (x, sec) in section_starts(points, &spans, total) {
        let x = x_of(x * total);
        let _ = write!(
            out,
            "<line class=\"sec-line\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>\
             <text class=\"axis\" x=\"{}\" y=\"14\">§{}</text>",
            c(T - 4.0),
            c(H - B),
            c(x + 3.0),
            sec + 1,
            x = c(x)
        );
    }
    if let (Some(first), Some(last)) = (pts.first(), pts.last()) {
        let mut line = String::new();
        for (x, y, _) in &pts {
            let _ = write!(line, "{},{} ", c(*x), c(*y));
        }
        let area = format!(
            "{},{} {}{},{}",
            c(first.0),
            c(zero),
            line,
            c(last.0),
            c(zero)
        );
        let _ = write!(
            out,
            "<polygon class=\"area-pos\" clip-path=\"url(#arc-above)\" points=\"{area}\"/>\
             <polygon class=\"area-neg\" clip-path=\"url(#arc-below)\" points=\"{area}\"/>\
             <polyline class=\"line\" points=\"{}\"/>",
            line.trim_end()
        );
        for (x, y, p) in &pts {
            let _ = write!(
                out,
                "<a href=\"#s-{}\"><circle class=\"dot k-{}\" cx=\"{}\" cy=\"{}\" r=\"3.2\"><title>",
                p.id,
                p.tone.as_str(),
                c(*x),
                c(*y)
            );
            push_attr(out, p.tip);
            out.push_str("</title></circle></a>");
        }
    }
    out.push_str("</svg>");
}

/// Sentences per tone as one stacked bar.
pub fn tone_mix(out: &mut String, tones: &PerTone<usize>) {
    const W: f64 = 1000.0;
    let total: usize = tones.values().sum();
    let _ = write!(
        out,
        "<svg class=\"mix\" viewBox=\"0 0 {W} 14\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"Sentences by tone\">"
    );
    let mut x = 0.0;
    for t in Tone::ALL {
        let k = tones.get(&t).copied().unwrap_or(0);
        if k == 0 || total == 0 {
            continue;
        }
        let w = k as f64 / total as f64 * W;
        let _ = write!(
            out,
            "<rect class=\"fill k-{t}\" x=\"{}\" y=\"0\" width=\"{}\" height=\"14\"><title>{k} {t} \
             sentence{s}</title></rect>",
            c(x),
            c(w),
            t = t.as_str(),
            s = if k == 1 { "" } else { "s" }
        );
        x += w;
    }
    out.push_str("</svg>");
}

/// Certainty balance on a −1 (all hedging) … +1 (all certainty) gauge.
pub fn balance_gauge(out: &mut String, balance: Option<f64>) {
    const W: f64 = 220.0;
    let _ = write!(
        out,
        "<svg class=\"gauge\" viewBox=\"0 0 {W} 30\" width=\"{W}\" height=\"30\" role=\"img\" \
         aria-label=\"Certainty balance from hedging (left) to certainty (right)\">\
         <rect class=\"gauge-left\" x=\"0\" y=\"8\" width=\"{h}\" height=\"6\" rx=\"3\"/>\
         <rect class=\"gauge-right\" x=\"{h}\" y=\"8\" width=\"{h}\" height=\"6\" rx=\"3\"/>\
         <line class=\"zero\" x1=\"{h}\" y1=\"4\" x2=\"{h}\" y2=\"18\"/>\
         <text class=\"axis\" x=\"0\" y=\"29\">hedging</text>\
         <text class=\"axis\" x=\"{W}\" y=\"29\" text-anchor=\"end\">certainty</text>",
        h = c(W / 2.0)
    );
    if let Some(b) = balance.filter(|b| b.is_finite()) {
        let x = (b.clamp(-1.0, 1.0) + 1.0) / 2.0 * (W - 10.0) + 5.0;
        let _ = write!(
            out,
            "<circle class=\"marker\" cx=\"{}\" cy=\"11\" r=\"5\"><title>certainty balance {b:+.2}</title></circle>",
            c(x)
        );
    }
    out.push_str("</svg>");
}

/// One row of a forest plot: a group's mean with its 95% interval.
pub struct ForestRow<'a> {
    pub label: &'a str,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Link target (an id on the page) for the label.
    pub href: Option<&'a str>,
}

/// A dot-and-whisker chart: one row per group, the mean as a dot, the 95% interval as a line,
/// and the corpus mean as a dashed reference, on a 0-based scale shared by the rows. `class`
/// names the colour (`c-hedge`, …).
pub fn forest(
    out: &mut String,
    rows: &[ForestRow<'_>],
    reference: Option<f64>,
    class: &str,
    label: &str,
) {
    const W: f64 = 460.0;
    const LABEL: f64 = 150.0;
    const PLOT: f64 = 240.0;
    const ROW: f64 = 18.0;
    let max = rows
        .iter()
        .flat_map(|r| [Some(r.value), r.high])
        .flatten()
        .chain(reference)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let scale = nice_max(max);
    let x_of = |v: f64| LABEL + (v / scale).clamp(0.0, 1.0) * PLOT;
    let h = ROW * rows.len() as f64 + 22.0;
    let _ = write!(
        out,
        "<svg class=\"forest {class}\" viewBox=\"0 0 {W} {h}\" width=\"{W}\" height=\"{h}\" role=\"img\" aria-label=\"",
        h = c(h)
    );
    push_attr(out, label);
    out.push_str("\">");
    for q in 0..=4 {
        let x = LABEL + PLOT * q as f64 / 4.0;
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"{}\"/>",
            c(h - 16.0),
            x = c(x)
        );
    }
    let _ = write!(
        out,
        "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">0</text>\
         <text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        c(LABEL),
        c(h - 3.0),
        c(LABEL + PLOT),
        c(h - 3.0),
        c(scale)
    );
    if let Some(r) = reference.filter(|v| v.is_finite()) {
        let x = x_of(r);
        let _ = write!(
            out,
            "<line class=\"ref\" x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"{}\"><title>corpus mean {r:.2}</title></line>",
            c(h - 16.0),
            x = c(x)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = ROW * i as f64 + ROW / 2.0;
        out.push_str("<g class=\"row\"><title>");
        push_attr(out, r.label);
        let _ = write!(out, ": {:.2}", r.value);
        if let (Some(lo), Some(hi)) = (r.low, r.high) {
            let _ = write!(out, " (95% CI {lo:.2}–{hi:.2})");
        }
        out.push_str("</title>");
        if let Some(href) = r.href {
            out.push_str("<a href=\"#");
            esc(out, href);
            out.push_str("\">");
        }
        let _ = write!(
            out,
            "<text class=\"lab\" x=\"{}\" y=\"{}\" text-anchor=\"end\">",
            c(LABEL - 8.0),
            c(y + 4.0)
        );
        let short: String = r.label.chars().take(22).collect();
        push_attr(out, &short);
        if short.len() < r.label.len() {
            out.push('…');
        }
        out.push_str("</text>");
        if r.href.is_some() {
            out.push_str("</a>");
        }
        if let (Some(lo), Some(hi)) = (r.low, r.high) {
            let _ = write!(
                out,
                "<line class=\"ci\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
                c(x_of(lo)),
                c(x_of(hi)),
                y = c(y)
            );
        }
        let _ = write!(
            out,
            "<circle class=\"fill\" cx=\"{}\" cy=\"{}\" r=\"4\"/>\
             <text class=\"val\" x=\"{}\" y=\"{}\">{:.2}</text></g>",
            c(x_of(r.value)),
            c(y),
            c(LABEL + PLOT + 8.0),
            c(y + 4.0),
            r.value
        );
    }
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_fixed_precision() {
        assert_eq!(c(1.0), "1");
        assert_eq!(c(1.26), "1.3");
        assert_eq!(c(f64::NAN), "0");
    }

    #[test]
    fn nice_max_rounds_up() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(0.7), 1.0);
        assert_eq!(nice_max(1.3), 2.0);
        assert_eq!(nice_max(2.2), 2.5);
        assert_eq!(nice_max(3.1), 5.0);
        assert_eq!(nice_max(12.0), 20.0);
    }

    #[test]
    fn bars_escape_labels_and_clamp() {
        let rates: PerCategory<f64> = PerCategory::from_fn(|_| 9.0);
        let counts: PerCategory<usize> = PerCategory::from_fn(|_| 3);
        let mut out = String::new();
        RateBars {
            rates: &rates,
            counts: &counts,
            scale: 2.0,
            label: "<b>\"x\"",
        }
        .render(&mut out);
        assert!(out.contains("aria-label=\"&lt;b&gt;&quot;x&quot;\""));
        // Clamped to the bar width.
        assert!(out.contains("width=\"160\" height=\"11\" rx=\"2\"/><text"));
        assert!(!out.contains("NaN"));
    }

    #[test]
    fn arc_without_scores_draws_axes_only() {
        let p = Point {
            id: 0,
            words: 3,
            section: 0,
            tone: Tone::Neutral,
            sentiment: None,
            tip: "t",
        };
        let mut out = String::new();
        sentiment_arc(&mut out, &[p]);
        assert!(!out.contains("<polyline"));
        assert!(out.ends_with("</svg>"));
    }
}
