//! `rhetor analyse --format html`: the page is self-contained, deterministic, marks sit on the
//! spans the JSON report gives, and hostile text stays text. Parsed with an HTML5 parser
//! (scraper/html5ever); tests/browser.rs repeats the key checks in a real browser.

#[path = "html_support.rs"]
mod support;

use scraper::{Html, Selector};
use std::collections::BTreeMap;
use support::*;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn column_html() -> (tempfile::TempDir, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_dir();
    let html = render_column(dir.path(), rules.path());
    (dir, rules, html)
}

fn render_column(dir: &std::path::Path, rules: &std::path::Path) -> String {
    let input = write(dir, "tramway.md", COLUMN);
    let html = analyse(
        &input,
        rules,
        "html",
        &[
            "--target",
            "Kessel",
            "--target",
            "Aldbury=Aldbury Transport Office",
        ],
    );
    String::from_utf8(html).expect("utf-8")
}

#[test]
fn page_is_self_contained_with_a_strict_csp() {
    let (_d, _r, html) = column_html();
    let doc = Html::parse_document(&html);
    let csp = doc
        .select(&sel("meta[http-equiv=Content-Security-Policy]"))
        .next()
        .expect("CSP meta")
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script-src"), "no script is allowed: {csp}");
    assert_eq!(doc.select(&sel("script")).count(), 0);
    assert_eq!(
        doc.select(&sel("link, img, iframe, object, embed")).count(),
        0
    );
    assert_eq!(doc.select(&sel("style")).count(), 1);
    // No attribute anywhere points off the page.
    for el in doc.select(&sel("*")) {
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name}");
            if name == "href" {
                assert!(value.starts_with('#'), "external link {value}");
            }
            assert!(name != "src" && name != "srcset", "{name}={value}");
        }
    }
    let style = doc.select(&sel("style")).next().unwrap().inner_html();
    assert!(
        !style.contains("@import") && !style.contains("url("),
        "style loads nothing"
    );
}

#[test]
fn same_input_gives_byte_identical_html() {
    let (dir, rules, a) = column_html();
    let b = render_column(dir.path(), rules.path());
    assert!(a == b, "two runs differ");
}

#[test]
fn marks_sit_on_the_spans_of_the_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_dir();
    let input = write(dir.path(), "tramway.md", COLUMN);
    let html = String::from_utf8(analyse(&input, rules.path(), "html", &[])).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&analyse(&input, rules.path(), "json", &[])).unwrap();
    let doc = Html::parse_document(&html);
    // Mark text by finding id (an overlapped mark comes in parts; join them).
    let mut marks: BTreeMap<u64, (String, u64, u64, String)> = BTreeMap::new();
    for m in doc.select(&sel("mark[data-finding-id]")) {
        let v = m.value();
        let id: u64 = v.attr("data-finding-id").unwrap().parse().unwrap();
        let start: u64 = v.attr("data-start").unwrap().parse().unwrap();
        let end: u64 = v.attr("data-end").unwrap().parse().unwrap();
        let e = marks.entry(id).or_insert((
            String::new(),
            start,
            end,
            v.attr("data-category").unwrap().into(),
        ));
        e.0.push_str(&m.text().collect::<String>());
    }
    let mut expected = 0;
    for s in json["sentences"].as_array().unwrap() {
        for f in s["findings"].as_array().unwrap() {
            expected += 1;
            let id = f["id"].as_u64().unwrap();
            let (text, start, end, cat) = marks.get(&id).unwrap_or_else(|| panic!("mark {id}"));
            assert_eq!(*start, f["start"].as_u64().unwrap());
            assert_eq!(*end, f["end"].as_u64().unwrap());
            assert_eq!(cat, f["category"].as_str().unwrap());
            let slice = &COLUMN[*start as usize..*end as usize];
            assert_eq!(squash(text), squash(slice), "finding {id}");
        }
    }
    assert_eq!(marks.len(), expected);
    assert!(
        expected >= 15,
        "the test rules should mark the column: {expected}"
    );
    // Every category shows up, and every mark has a tooltip naming its rule.
    for cat in [
        "promotional",
        "booster",
        "intensifier",
        "hedge",
        "weasel",
        "attribution",
        "loaded",
    ] {
        assert!(marks.values().any(|m| m.3 == cat), "no {cat} mark");
    }
    for m in doc.select(&sel("mark[data-finding-id]")) {
        let tip = m.value().attr("data-tip").unwrap();
        assert!(tip.contains(m.value().attr("data-rule").unwrap()), "{tip}");
    }
    // Sentences carry their own spans and anchors.
    for s in json["sentences"].as_array().unwrap() {
        let id = s["id"].as_u64().unwrap();
        let el = doc
            .select(&sel(&format!("#s-{id}")))
            .next()
            .unwrap_or_else(|| panic!("sentence {id}"));
        assert_eq!(
            el.value().attr("data-start").unwrap(),
            s["start"].to_string()
        );
        assert_eq!(
            squash(&el.text().collect::<String>()),
            squash(s["text"].as_str().unwrap())
        );
    }
}

#[test]
fn attribution_tooltips_name_the_source_and_authority() {
    let (_d, _r, html) = column_html();
    let doc = Html::parse_document(&html);
    let tips: Vec<String> = doc
        .select(&sel("mark[data-category=attribution]"))
        .map(|m| m.value().attr("data-tip").unwrap().to_string())
        .collect();
    assert!(
        tips.iter().any(|t| t.contains("Mira Okafor (named)")),
        "{tips:#?}"
    );
    assert!(
        tips.iter().any(|t| t.contains("unnamed (anonymous)")),
        "{tips:#?}"
    );
    assert!(
        tips.iter().any(|t| t.contains("Appeal to authority")),
        "{tips:#?}"
    );
    // The sourcing table lists them, linked to the marks.
    let rows = doc.select(&sel("#sourcing tbody tr")).count();
    assert_eq!(rows, tips.len());
}

#[test]
fn panels_targets_and_charts_are_present() {
    let (_d, _r, html) = column_html();
    let doc = Html::parse_document(&html);
    // One rate chart per section with cues, plus the whole column.
    assert!(doc.select(&sel("svg.bars")).count() >= 3);
    assert_eq!(doc.select(&sel("svg.strip")).count(), 1);
    // --no-model: the arc panel says the model is off.
    assert_eq!(doc.select(&sel("svg.arc")).count(), 0);
    let off = doc.select(&sel(".across .off")).next().expect("off notice");
    assert!(off.text().collect::<String>().contains("--no-model"));
    // Targets: evidence links point at sentences that exist.
    let targets: Vec<String> = doc
        .select(&sel("#targets tbody tr td:first-child"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(targets, ["Kessel", "Aldbury"]);
    for a in doc.select(&sel("#targets a[href]")) {
        let href = a.value().attr("href").unwrap();
        assert!(doc.select(&sel(href)).next().is_some(), "{href} dangles");
    }
    // Every in-page link resolves.
    for a in doc.select(&sel("a[href]")) {
        let href = a.value().attr("href").unwrap();
        assert!(doc.select(&sel(href)).next().is_some(), "{href} dangles");
    }
}

#[test]
fn html_goes_to_stdout_without_output() {
    let (_d, _r, html) = column_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn hostile_text_is_text() {
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_dir();
    // Even the file name and a target name try to inject markup.
    let input = write(dir.path(), "<img src=x onerror=alert(1)>.txt", HOSTILE);
    let html = String::from_utf8(analyse(
        &input,
        rules.path(),
        "html",
        &["--target", "<script>alert('PWNED')</script>=\"><b>"],
    ))
    .unwrap();
    let doc = Html::parse_document(&html);
    assert_eq!(
        doc.select(&sel("script, img, iframe, a[href^=javascript]"))
            .count(),
        0
    );
    let target = doc
        .select(&sel("#targets tbody td"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert_eq!(target, "<script>alert('PWNED')</script>");
    assert_eq!(doc.select(&sel("style")).count(), 1);
    assert_eq!(
        doc.select(&sel("svg"))
            .filter(|s| s.value().attr("onload").is_some())
            .count(),
        0
    );
    for el in doc.select(&sel("*")) {
        for (name, _) in el.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "event handler {name} on <{}>",
                el.value().name()
            );
        }
    }
    let style = doc.select(&sel("style")).next().unwrap().inner_html();
    assert!(!style.contains("PWNED"));
    let title = doc
        .select(&sel("title"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert!(
        title.contains("</title><script>"),
        "the title shows its text: {title}"
    );
    // The hostile words are on the page as visible text.
    let body = doc
        .select(&sel("main"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert!(
        body.contains("<img src=x onerror=\"document.title='PWNED'\">"),
        "{body}"
    );
    assert!(body.contains("</style><script>document.title='PWNED'</script><style>"));
    assert!(body.contains("<a href=\"javascript:document.title='PWNED'\">link</a>"));
    assert!(body.contains("🎉👨\u{200D}👩\u{200D}👧"));
    // The override is kept, but alone in an isolating badge; so is every other hidden
    // character that reaches the page (the document layer may turn some, like the zero-width
    // space, into plain spaces first).
    let badges: Vec<String> = doc
        .select(&sel("main .cp"))
        .map(|b| b.value().attr("data-cp").unwrap().to_string())
        .collect();
    assert!(badges.contains(&"RLO".to_string()), "{badges:?}");
    for b in doc.select(&sel("main .cp")) {
        assert_eq!(b.text().collect::<String>().chars().count(), 1);
    }
    for (c, name) in [
        ('\u{202E}', "RLO"),
        ('\u{200B}', "ZWSP"),
        ('\u{2060}', "WJ"),
    ] {
        assert_eq!(
            html.matches(c).count(),
            html.matches(&format!("data-cp=\"{name}\"")).count(),
            "{name} outside a badge"
        );
    }
    // Tooltips spell the override out instead of applying it.
    assert!(
        !html.split("data-tip=\"").skip(1).any(|t| t
            .split('"')
            .next()
            .unwrap()
            .contains('\u{202E}'))
    );
}
