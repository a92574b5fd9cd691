//! Shared by tests/html.rs and tests/browser.rs (included with `#[path]`): columns written for
//! these tests, a small rule directory so marks do not depend on the built-in rule files, and
//! helpers to run `rhetor analyse`.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// A seed-style column: title, headings, promotional, hedged and loaded phrasing, named,
/// anonymous and vague sources, quotes, a line break inside a sentence.
pub const COLUMN: &str = "# The Tramway Plan Is a Triumph for Aldbury

The new tramway between Aldbury and Kessel is clearly the most important project the two
councils have undertaken in a generation. It has proven that patient planning works.

## What the plan does

Under the plan, Kessel will pay roughly a third of the cost of the new depot. According to the
Aldbury Transport Office, journeys could fall by about ten minutes. Some critics argue that the
budget may be too optimistic.

Dr. Mira Okafor, the council's chief engineer, said the first line would open in spring. One
senior official said the timetable was \"tight, perhaps very tight.\"

## Why the doubters are wrong

The opposition's reckless campaign of fear has been a shameful sideshow. Experts believe the
tramway will undoubtedly transform the valley, and it is widely believed that Kessel is a
world-class partner. Mr. Tomas Reyes, who chairs the budget committee, told reporters it was
\"a very good day for Aldbury.\"
";

/// A column that tries everything: markup, event handlers, a closing style tag, a javascript:
/// link, a closing title tag, bidi overrides, zero-width characters and emoji. If any of it
/// ran, the page title would become PWNED.
pub const HOSTILE: &str = "</title><script>document.title='PWNED'</script> Clearly a Title

Some critics say <img src=x onerror=\"document.title='PWNED'\"> is clearly harmless. \
</style><script>document.title='PWNED'</script><style> Officials may disagree. \
A <a href=\"javascript:document.title='PWNED'\">link</a> is arguably safe.

The RTL override \u{202E}siht daer is a landmark trick, and zero\u{200B}width\u{2060}joiners \
may hide words. Emoji 🎉👨\u{200D}👩\u{200D}👧 are clearly fine. \"Quotes\" & 'apostrophes' \
&amp; entities &lt;b&gt; stay text. <svg onload=\"document.title='PWNED'\"></svg> \
<iframe srcdoc=\"<script>parent.document.title='PWNED'</script>\"></iframe> is very shameful.
";

/// Test rules: one per category, so every category shows up in the test columns.
pub const RULES: &str = r#"rules:
  - id: htmltest.booster
    category: booster
    message: Certainty marker; closes off doubt.
    kind: phrases
    phrases: [clearly, undoubtedly, has proven]
    examples: { match: ["It is clearly true."] }
  - id: htmltest.promotional
    category: promotional
    message: Peacock term or positive evaluation.
    kind: phrases
    phrases: [triumph, the most important, world-class, landmark]
    examples: { match: ["A landmark deal."] }
  - id: htmltest.superlative
    category: promotional
    message: Superlative.
    kind: phrases
    phrases: [most important project]
    examples: { match: ["The most important project."] }
  - id: htmltest.hedge
    category: hedge
    message: Epistemic hedge; softens the claim.
    kind: phrases
    phrases: [may, could, perhaps, about, roughly, arguably]
    examples: { match: ["It may rain."] }
  - id: htmltest.weasel
    category: weasel
    message: Vague attribution.
    kind: phrases
    phrases: [some critics, experts believe, it is widely believed, officials]
    examples: { match: ["Experts believe it."] }
  - id: htmltest.intensifier
    category: intensifier
    message: Degree word that amplifies.
    kind: phrases
    phrases: [very, too]
    examples: { match: ["Very good."] }
  - id: htmltest.loaded
    category: loaded
    message: "Loaded </style><script>document.title='PWNED'</script> language."
    kind: phrases
    phrases: [reckless, shameful, campaign of fear]
    examples: { match: ["A reckless plan."] }
"#;

/// A temporary directory holding [`RULES`].
pub fn rules_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("htmltest.yaml"), RULES).expect("write rules");
    dir
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write column");
    p
}

/// `rhetor analyse INPUT --no-model --rules RULES --format FORMAT ARGS…`, returning stdout.
pub fn analyse(input: &Path, rules: &Path, format: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("rhetor")
        .expect("binary")
        .arg("analyse")
        .arg(input)
        .args(["--no-model", "--format", format, "--rules"])
        .arg(rules)
        .args(args)
        .output()
        .expect("run rhetor");
    assert!(
        out.status.success(),
        "rhetor failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Collapses runs of whitespace, as the sentence text does.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
