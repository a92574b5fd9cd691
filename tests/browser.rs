//! HTML reports in a real browser: headless Chromium (Debian's `chromium`, installed by
//! `scripts/install-browser.sh`) loads each page from disk, and we read back the DOM it built
//! (`--dump-dom`), its console (`--enable-logging=stderr`) and a screenshot.
//!
//! Where no Chromium is installed these tests print a clear message and pass (skip), unless
//! `RHETOR_REQUIRE_BROWSER=1` is set, which makes a missing browser a failure (CI sets it after
//! installing). `RHETOR_CHROMIUM=/path/to/chrome` picks a specific binary.

#[path = "html_support.rs"]
mod support;

use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use support::*;

/// One browser at a time: the machines these run on are small.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const TIMEOUT: Duration = Duration::from_secs(120);

struct Browser {
    bin: PathBuf,
}

/// The browser, or `None` after printing why the test is skipped.
fn browser(test: &str) -> Option<Browser> {
    let found = std::env::var_os("RHETOR_CHROMIUM")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| {
            let path = std::env::var_os("PATH")?;
            [
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ]
            .iter()
            .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
            .find(|p| p.is_file())
        });
    match found {
        Some(bin) => Some(Browser { bin }),
        None => {
            let msg = format!(
                "SKIPPED browser test `{test}`: no Chromium found (run scripts/install-browser.sh, \
                 or set RHETOR_CHROMIUM=/path/to/chromium)\n"
            );
            assert!(
                std::env::var_os("RHETOR_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
                "{msg}RHETOR_REQUIRE_BROWSER=1 is set"
            );
            // Straight to the process's stderr, past the test harness's capture, so the skip
            // is visible in a normal `cargo test` run.
            let _ = std::io::stderr().write_all(msg.as_bytes());
            None
        }
    }
}

/// What one browser run gave back.
struct Run {
    stdout: String,
    stderr: String,
}

impl Run {
    /// Console output from the page (errors, CSP violations, uncaught exceptions). Chromium
    /// logs every console message as `INFO:CONSOLE…`; the rest of its stderr is its own noise
    /// (D-Bus, GPU) and is not about the page.
    fn console(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| {
                l.contains(":CONSOLE")
                    || l.contains("Uncaught")
                    || l.contains("Refused to")
                    || l.contains("Content Security Policy")
            })
            .collect()
    }
}

impl Browser {
    fn run(&self, page: &Path, extra: &[OsString]) -> Run {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut args: Vec<OsString> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let mut dir = OsString::from("--user-data-dir=");
        dir.push(profile.path());
        args.push(dir);
        args.extend(extra.iter().cloned());
        let url = format!(
            "file://{}",
            page.canonicalize().expect("page path").display()
        );
        args.push(url.into());
        let mut child = Command::new(&self.bin)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.bin.display()));
        let drain = |mut r: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut v = Vec::new();
                let _ = r.read_to_end(&mut v);
                String::from_utf8_lossy(&v).into_owned()
            })
        };
        let out = drain(Box::new(child.stdout.take().unwrap()));
        let err = drain(Box::new(child.stderr.take().unwrap()));
        let started = Instant::now();
        loop {
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            if started.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within {TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Run {
            stdout: out.join().unwrap(),
            stderr: err.join().unwrap(),
        }
    }

    fn dump_dom(&self, page: &Path) -> Run {
        let run = self.run(page, &["--dump-dom".into()]);
        assert!(
            run.stdout.contains("</html>"),
            "no DOM came back; stderr:\n{}",
            run.stderr
        );
        run
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn title_of(doc: &Html) -> String {
    doc.select(&sel("title"))
        .next()
        .map(|t| t.text().collect())
        .unwrap_or_default()
}

#[test]
fn report_loads_cleanly_and_marks_sit_where_the_spans_say() {
    let Some(b) = browser("report_loads_cleanly_and_marks_sit_where_the_spans_say") else {
        return;
    };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_dir();
    let input = write(dir.path(), "tramway.md", COLUMN);
    let args = ["--target", "Kessel"];
    let html = analyse(&input, rules.path(), "html", &args);
    let page = dir.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&analyse(&input, rules.path(), "json", &args)).unwrap();

    let run = b.dump_dom(&page);
    assert!(run.console().is_empty(), "console: {:#?}", run.console());
    let dom = Html::parse_document(&run.stdout);
    assert_eq!(
        title_of(&dom),
        "The Tramway Plan Is a Triumph for Aldbury · rhetor report"
    );

    // Every finding of the JSON report is marked in the live DOM, at its source offsets, and
    // the marked text is the source slice (entities decoded, whitespace as in the sentence).
    let mut marks: BTreeMap<u64, (u64, u64, String)> = BTreeMap::new();
    for m in dom.select(&sel("mark[data-finding-id]")) {
        let v = m.value();
        let num = |k: &str| v.attr(k).unwrap().parse::<u64>().unwrap();
        let e = marks.entry(num("data-finding-id")).or_insert((
            num("data-start"),
            num("data-end"),
            String::new(),
        ));
        e.2.push_str(&m.text().collect::<String>());
    }
    let mut n = 0;
    for s in json["sentences"].as_array().unwrap() {
        for f in s["findings"].as_array().unwrap() {
            n += 1;
            let id = f["id"].as_u64().unwrap();
            let (start, end, text) = &marks[&id];
            assert_eq!(
                (*start, *end),
                (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap())
            );
            assert_eq!(
                squash(text),
                squash(&COLUMN[*start as usize..*end as usize]),
                "finding {id}"
            );
        }
        let id = s["id"].as_u64().unwrap();
        let el = dom
            .select(&sel(&format!("#s-{id}")))
            .next()
            .unwrap_or_else(|| panic!("sentence {id} missing from the DOM"));
        let (a, z) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
        assert_eq!(el.value().attr("data-start"), Some(a.to_string().as_str()));
        assert_eq!(
            squash(&el.text().collect::<String>()),
            squash(&COLUMN[a as usize..z as usize]),
            "sentence {id}"
        );
    }
    assert_eq!(marks.len(), n);
    assert!(
        n >= 15,
        "expected the test rules to mark the column, got {n}"
    );
}

#[test]
fn hostile_column_runs_no_script() {
    let Some(b) = browser("hostile_column_runs_no_script") else {
        return;
    };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();

    // Control: the same text pasted raw into a page does run in this browser, so a PWNED
    // title below would have been seen.
    let raw = dir.path().join("raw.html");
    std::fs::write(
        &raw,
        format!(
            "<!DOCTYPE html><html><head><title>safe</title></head><body>{HOSTILE}</body></html>"
        ),
    )
    .unwrap();
    let control = b.dump_dom(&raw);
    assert_eq!(
        title_of(&Html::parse_document(&control.stdout)),
        "PWNED",
        "control page should have been hijacked"
    );

    // The report: hostile column, file name, target and rule message.
    let rules = rules_dir();
    let input = write(dir.path(), "<img src=x onerror=alert(1)>.txt", HOSTILE);
    let html = analyse(
        &input,
        rules.path(),
        "html",
        &["--target", "<script>alert('PWNED')</script>=\"><b>"],
    );
    let page = dir.path().join("hostile.html");
    std::fs::write(&page, &html).unwrap();
    let expected_title = title_of(&Html::parse_document(&String::from_utf8(html).unwrap()));
    assert_ne!(expected_title, "PWNED");

    let run = b.dump_dom(&page);
    let dom = Html::parse_document(&run.stdout);
    assert_eq!(title_of(&dom), expected_title, "the page title changed");
    assert_eq!(
        dom.select(&sel(
            "script, img, iframe, embed, object, a[href^=javascript]"
        ))
        .count(),
        0
    );
    for el in dom.select(&sel("*")) {
        for (name, _) in el.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "event handler {name} on <{}>",
                el.value().name()
            );
        }
    }
    // Nothing even tried: no CSP violation, no error, no console output at all.
    assert!(run.console().is_empty(), "console: {:#?}", run.console());
    // The attack is visible as text.
    let body: String = dom.select(&sel("main")).next().unwrap().text().collect();
    assert!(body.contains("<img src=x onerror=\"document.title='PWNED'\">"));
    assert!(body.contains("🎉"));
}

#[test]
fn screenshot_of_a_seed_style_report() {
    let Some(b) = browser("screenshot_of_a_seed_style_report") else {
        return;
    };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_dir();
    let input = write(dir.path(), "tramway.md", COLUMN);
    let html = analyse(
        &input,
        rules.path(),
        "html",
        &["--target", "Kessel", "--target", "Aldbury"],
    );
    let page = dir.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let png = shots.join("tramway.png");
    let _ = std::fs::remove_file(&png);
    let mut arg = OsString::from("--screenshot=");
    arg.push(&png);
    let run = b.run(&page, &[arg, "--window-size=1280,2400".into()]);
    assert!(run.console().is_empty(), "console: {:#?}", run.console());
    let bytes = std::fs::read(&png)
        .unwrap_or_else(|e| panic!("no screenshot at {}: {e}\n{}", png.display(), run.stderr));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let dim = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!((dim(16), dim(20)), (1280, 2400), "IHDR size");
    assert!(
        bytes.len() > 50_000,
        "suspiciously small: {} bytes",
        bytes.len()
    );
    let _ = writeln!(
        std::io::stderr(),
        "browser test: screenshot written to {}",
        png.display()
    );
}
