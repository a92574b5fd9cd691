//! The writer-comparison page (`rhetor compare … --format html`): per metric, a forest plot of
//! every group's mean rate with its 95% interval against the corpus mean; a table of the same
//! numbers; and the phrases that set each group apart. Same rules as the column page: one
//! self-contained file, no script, every string escaped, deterministic.
//!
//! `rhetor compare` is being built separately (src/aggregate/profile*.rs); this page renders a
//! small, explicit input, [`CompareView`], shaped like the Contract's compare JSON (`groups[]`
//! with `name`, `documents`, `rates_per_100_words`, `ci95` per rate, `distinctive` phrases), so
//! the command only has to map its profiles into it (or deserialise its own JSON output).

use super::escape::{esc, push_text};
use super::{head, svg};
use crate::tag::Category;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

/// Everything the comparison page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareView {
    /// The grouping column: `author`, `outlet`, `year`, …
    pub by: String,
    /// Documents in the whole corpus.
    pub documents: usize,
    /// Corpus-wide mean per metric (the reference line in each chart); may be empty.
    #[serde(default)]
    pub corpus_rates: BTreeMap<String, f64>,
    pub groups: Vec<GroupView>,
    /// Free text shown under the title (e.g. the input directories, the bootstrap settings).
    #[serde(default)]
    pub note: Option<String>,
}

/// One group (a writer, an outlet, a year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub name: String,
    pub documents: usize,
    /// Mean per metric: the rule categories per 100 words, and any model score means.
    pub rates_per_100_words: BTreeMap<String, f64>,
    /// 95% interval per metric.
    #[serde(default)]
    pub ci95: BTreeMap<String, Interval>,
    /// Effect size against the rest of the corpus, per metric (e.g. Cohen's d).
    #[serde(default)]
    pub effect_size: BTreeMap<String, f64>,
    /// The phrases that most set the group apart, most distinctive first.
    #[serde(default)]
    pub distinctive: Vec<Phrase>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phrase {
    pub text: String,
    /// The category the phrase was tagged with, when it is a cue.
    #[serde(default)]
    pub category: Option<String>,
    /// How distinctive: e.g. the z-score of the log-odds ratio with an informative prior.
    pub score: f64,
    /// Uses in the group.
    pub count: usize,
}

/// The metrics in display order: the rule categories first (in their usual order), then any
/// other metric the groups carry, alphabetically.
fn metrics(view: &CompareView) -> Vec<String> {
    let mut out: Vec<String> = Category::ALL.iter().map(|c| c.to_string()).collect();
    let mut extra: Vec<String> = view
        .groups
        .iter()
        .flat_map(|g| g.rates_per_100_words.keys().cloned())
        .filter(|k| k.parse::<Category>().is_err())
        .collect();
    extra.sort();
    extra.dedup();
    out.retain(|m| {
        view.groups
            .iter()
            .any(|g| g.rates_per_100_words.contains_key(m))
    });
    out.extend(extra);
    out
}

/// The colour class of a metric: its category's, or a neutral one.
fn class_of(metric: &str) -> String {
    match metric.parse::<Category>() {
        Ok(c) => format!("c-{c}"),
        Err(_) => "c-other".into(),
    }
}

/// An id for a group's section, safe in `id` and `href` (index-based: names can be anything).
fn group_id(i: usize) -> String {
    format!("g-{i}")
}

/// Renders the comparison page.
pub fn render(view: &CompareView, version: &str) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let title = format!("Comparing by {}", view.by);
    head(&mut out, &title, " · rhetor compare", version);
    let docs: usize = view.groups.iter().map(|g| g.documents).sum();
    out.push_str("<header class=\"masthead\">\n<p class=\"kicker\">Comparison report</p>\n<h1>");
    push_text(&mut out, &title);
    let _ = write!(
        out,
        "</h1>\n<p class=\"meta\">{} groups · {docs} of {} documents</p>\n",
        view.groups.len(),
        view.documents
    );
    if let Some(note) = &view.note {
        out.push_str("<p class=\"model\">");
        push_text(&mut out, note);
        out.push_str("</p>\n");
    }
    out.push_str("</header>\n");

    let metrics = metrics(view);
    out.push_str(
        "<section class=\"forests\" aria-label=\"Rates by group\">\n<h2>Rates per 100 words, \
         with 95% intervals</h2>\n<p class=\"note\">Dots are group means, lines their 95% \
         intervals, the dashed line the corpus mean. Groups sorted by rate.</p>\n\
         <div class=\"forest-grid\">\n",
    );
    for m in &metrics {
        let mut order: Vec<usize> = (0..view.groups.len()).collect();
        let rate = |i: usize| {
            view.groups[i]
                .rates_per_100_words
                .get(m)
                .copied()
                .unwrap_or(0.0)
        };
        // Highest first; ties by name so the order is stable.
        order.sort_by(|&a, &b| {
            rate(b)
                .total_cmp(&rate(a))
                .then_with(|| view.groups[a].name.cmp(&view.groups[b].name))
        });
        let ids: Vec<String> = order.iter().map(|&i| group_id(i)).collect();
        let rows: Vec<svg::ForestRow<'_>> = order
            .iter()
            .zip(&ids)
            .map(|(&i, id)| {
                let g = &view.groups[i];
                let ci = g.ci95.get(m);
                svg::ForestRow {
                    label: &g.name,
                    value: rate(i),
                    low: ci.map(|c| c.low),
                    high: ci.map(|c| c.high),
                    href: Some(id),
                }
            })
            .collect();
        out.push_str("<figure class=\"forest-fig\"><figcaption>");
        let class = class_of(m);
        let _ = write!(out, "<span class=\"sw {class}\">");
        push_text(&mut out, m);
        out.push_str("</span></figcaption>");
        svg::forest(
            &mut out,
            &rows,
            view.corpus_rates.get(m).copied(),
            &class,
            &format!("{m} per 100 words by {}", view.by),
        );
        out.push_str("</figure>\n");
    }
    out.push_str("</div>\n</section>\n");

    // The numbers as a table.
    out.push_str(
        "<section class=\"tables\" aria-label=\"Table\">\n<h2>The numbers</h2>\n\
         <div class=\"scroll\"><table class=\"data compare\">\n<thead><tr><th>",
    );
    push_text(&mut out, &view.by);
    out.push_str("</th><th class=\"n\">Docs</th>");
    for m in &metrics {
        out.push_str("<th class=\"n\">");
        push_text(&mut out, m);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, g) in view.groups.iter().enumerate() {
        let _ = write!(out, "<tr><td><a href=\"#{}\">", group_id(i));
        push_text(&mut out, &g.name);
        let _ = write!(out, "</a></td><td class=\"n\">{}</td>", g.documents);
        for m in &metrics {
            match g.rates_per_100_words.get(m) {
                Some(v) => {
                    let _ = write!(out, "<td class=\"n\">{v:.2}");
                    if let Some(ci) = g.ci95.get(m) {
                        let _ = write!(out, "<small>{:.2}–{:.2}</small>", ci.low, ci.high);
                    }
                    out.push_str("</td>");
                }
                None => out.push_str("<td class=\"n quiet\">—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");

    // What sets each group apart.
    out.push_str(
        "<section class=\"tables\" aria-label=\"Distinctive phrases\">\n<h2>What sets each \
         group apart</h2>\n<div class=\"groups\">\n",
    );
    for (i, g) in view.groups.iter().enumerate() {
        let _ = write!(out, "<article class=\"group\" id=\"{}\"><h3>", group_id(i));
        push_text(&mut out, &g.name);
        let _ = writeln!(
            out,
            " <small>{} document{}</small></h3>",
            g.documents,
            if g.documents == 1 { "" } else { "s" }
        );
        let effects: Vec<(&String, &f64)> = metrics
            .iter()
            .filter_map(|m| g.effect_size.get_key_value(m))
            .filter(|(_, d)| d.abs() >= 0.2)
            .collect();
        if !effects.is_empty() {
            out.push_str("<p class=\"effects\">");
            for (m, d) in effects {
                let _ = write!(out, "<span class=\"k {}\">", class_of(m));
                push_text(&mut out, m);
                let _ = write!(
                    out,
                    " {}</span> ",
                    format!("{d:+.2}").replace('-', "\u{2212}")
                );
            }
            out.push_str("<small>effect size vs the rest</small></p>\n");
        }
        if g.distinctive.is_empty() {
            out.push_str("<p class=\"quiet\">No distinctive phrases.</p>\n");
        } else {
            out.push_str("<p class=\"chips\">");
            for p in &g.distinctive {
                let class = p
                    .category
                    .as_deref()
                    .map(class_of)
                    .unwrap_or("c-other".into());
                let _ = write!(out, "<span class=\"chip {class}\" title=\"score ");
                let _ = write!(out, "{:.2}, {} uses\">", p.score, p.count);
                push_text(&mut out, &p.text);
                let _ = write!(out, " <b>{:.1}</b></span> ", p.score);
            }
            out.push_str("</p>\n");
        }
        out.push_str("</article>\n");
    }
    out.push_str("</div>\n</section>\n<footer>\n<p>Generated by rhetor ");
    esc(&mut out, version);
    out.push_str(
        ". This page is self-contained: it loads nothing from the network and runs no script. \
         Charts are SVG drawn by rhetor.</p>\n</footer>\n</body>\n</html>\n",
    );
    out
}

/// Writes the comparison page.
pub fn write(view: &CompareView, version: &str, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(render(view, version).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> CompareView {
        serde_json::from_value(serde_json::json!({
            "by": "author",
            "documents": 12,
            "corpus_rates": {"hedge": 1.5, "promotional": 0.8},
            "groups": [
                {
                    "name": "Ada <script>alert(1)</script>",
                    "documents": 5,
                    "rates_per_100_words": {"hedge": 2.1, "promotional": 0.4, "sentiment_positive": 0.31},
                    "ci95": {"hedge": {"low": 1.7, "high": 2.6}, "promotional": {"low": 0.1, "high": 0.7}},
                    "effect_size": {"hedge": 0.9, "promotional": -0.5},
                    "distinctive": [
                        {"text": "it appears", "category": "hedge", "score": 3.2, "count": 14},
                        {"text": "\"quoted\" & <b>", "score": 2.0, "count": 3}
                    ]
                },
                {
                    "name": "Bo",
                    "documents": 7,
                    "rates_per_100_words": {"hedge": 1.1, "promotional": 1.2},
                    "ci95": {"hedge": {"low": 0.8, "high": 1.4}},
                    "distinctive": []
                }
            ]
        }))
        .unwrap()
    }

    /// Eight writers with made-up but plausible numbers.
    fn many() -> CompareView {
        let names = [
            "Hamilton", "Madison", "Jay", "Okafor", "Reyes", "Carver", "Pelt", "Oduya",
        ];
        let cats = [
            "promotional",
            "booster",
            "intensifier",
            "hedge",
            "weasel",
            "attribution",
            "loaded",
        ];
        let groups = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let v = |k: usize| ((i * 7 + k * 13) % 17) as f64 / 6.0 + 0.2;
                GroupView {
                    name: n.to_string(),
                    documents: 10 + i * 3,
                    rates_per_100_words: cats
                        .iter()
                        .enumerate()
                        .map(|(k, c)| (c.to_string(), v(k)))
                        .collect(),
                    ci95: cats
                        .iter()
                        .enumerate()
                        .map(|(k, c)| {
                            (
                                c.to_string(),
                                Interval {
                                    low: v(k) * 0.7,
                                    high: v(k) * 1.35,
                                },
                            )
                        })
                        .collect(),
                    effect_size: cats
                        .iter()
                        .enumerate()
                        .map(|(k, c)| (c.to_string(), v(k) - 1.5))
                        .collect(),
                    distinctive: (0..5)
                        .map(|k| Phrase {
                            text: ["it appears", "clearly", "some say", "landmark", "reckless"]
                                [(i + k) % 5]
                                .into(),
                            category: Some(
                                ["hedge", "booster", "weasel", "promotional", "loaded"]
                                    [(i + k) % 5]
                                    .into(),
                            ),
                            score: 4.0 - k as f64 * 0.6,
                            count: 20 - k,
                        })
                        .collect(),
                }
            })
            .collect();
        CompareView {
            by: "author".into(),
            documents: 140,
            corpus_rates: cats.iter().map(|c| (c.to_string(), 1.5)).collect(),
            groups,
            note: Some("2 input directories · 1,000 bootstrap resamples".into()),
        }
    }

    #[test]
    fn many_groups_sort_by_rate_in_each_chart() {
        let v = many();
        let html = render(&v, "0.1.0");
        if let Some(p) = std::env::var_os("RHETOR_COMPARE_PREVIEW") {
            std::fs::write(p, &html).unwrap();
        }
        assert_eq!(html.matches("<svg class=\"forest").count(), 7);
        // In the hedge chart, labels appear in descending order of the hedge rate.
        let start = html.find("forest c-hedge").unwrap();
        let chart = &html[start..start + html[start..].find("</svg>").unwrap()];
        let mut by_rate: Vec<&GroupView> = v.groups.iter().collect();
        by_rate.sort_by(|a, b| {
            b.rates_per_100_words["hedge"]
                .total_cmp(&a.rates_per_100_words["hedge"])
                .then(a.name.cmp(&b.name))
        });
        let positions: Vec<usize> = by_rate
            .iter()
            .map(|g| chart.find(&format!(">{}</text>", g.name)).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    }

    #[test]
    fn renders_forests_table_and_phrases() {
        let html = render(&view(), "0.1.0");
        // One forest per metric: two categories plus the model metric.
        assert_eq!(html.matches("<svg class=\"forest").count(), 3);
        // Hedge first (category order), and groups sorted by rate within it: Ada (2.1) first.
        let hedge = html.find("forest c-hedge").unwrap();
        let ada = html[hedge..].find("Ada").unwrap();
        let bo = html[hedge..].find(">Bo<").unwrap();
        assert!(ada < bo);
        // Interval lines where the group has one; the corpus mean as a reference.
        assert!(html.contains("class=\"ci\""));
        assert!(html.contains("<title>corpus mean 1.50</title>"));
        assert!(html.contains("1.70–2.60"));
        // Distinctive phrases with their category colour; effect sizes with a real minus.
        assert!(
            html.contains("<span class=\"chip c-hedge\" title=\"score 3.20, 14 uses\">it appears")
        );
        assert!(html.contains("promotional −0.50"));
        assert!(html.contains("No distinctive phrases."));
    }

    #[test]
    fn group_names_and_phrases_are_escaped() {
        let html = render(&view(), "0.1.0");
        assert!(!html.contains("<script>"));
        assert!(html.contains("Ada &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;quoted&quot; &amp; &lt;b&gt;"));
        let doc = scraper::Html::parse_document(&html);
        let scripts = scraper::Selector::parse("script, b.x").unwrap();
        assert_eq!(doc.select(&scripts).count(), 0);
        // Every in-page link resolves.
        let links = scraper::Selector::parse("a[href]").unwrap();
        for a in doc.select(&links) {
            let href = a.value().attr("href").unwrap();
            let target = scraper::Selector::parse(href).unwrap();
            assert!(doc.select(&target).next().is_some(), "{href}");
        }
    }

    #[test]
    fn deterministic_and_self_contained() {
        let a = render(&view(), "0.1.0");
        assert_eq!(a, render(&view(), "0.1.0"));
        assert!(a.contains("default-src 'none'"));
        assert!(!a.contains("<script") && !a.contains("src=") && !a.contains("http://"));
    }
}
