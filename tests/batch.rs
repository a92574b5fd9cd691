//! `rhetor batch`: every row accounted for, error rows, directory input, shards, resume.
//! The corpora are written here, for these tests.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

#[path = "corpus_support.rs"]
mod corpus_support;
use corpus_support::{rhetor, rules_dir};

/// `rhetor batch INPUT --out OUT --no-model --rules R --only t.*` plus `extra`.
fn batch(root: &Path, input: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let rules = rules_dir(root);
    let mut cmd = rhetor();
    cmd.arg("batch")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--no-model", "--only", "t.*", "--rules"])
        .arg(&rules)
        .args(extra);
    cmd.assert()
}

/// Reads a CSV file as header + string rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// Row numbers in documents.csv and errors.csv; asserts that none repeats.
fn accounted_rows(out: &Path) -> (BTreeSet<u64>, BTreeSet<u64>) {
    let mut sets = Vec::new();
    for name in ["documents.csv", "errors.csv"] {
        let (h, rows) = read_csv(&out.join(name));
        let c = col(&h, "row");
        let mut set = BTreeSet::new();
        for r in &rows {
            assert!(
                set.insert(r[c].parse::<u64>().unwrap()),
                "row {} twice in {name}",
                r[c]
            );
        }
        sets.push(set);
    }
    let errors = sets.pop().unwrap();
    let docs = sets.pop().unwrap();
    assert!(docs.is_disjoint(&errors), "a row is in both files");
    (docs, errors)
}

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// A deterministic corpus: `n` columns by three writers, each with its own habits.
fn corpus_csv(n: usize) -> String {
    let mut s = String::from("id,author,outlet,date,title,text,extra\n");
    let writers = ["Alice", "Bob", "Chen"];
    for i in 0..n {
        let w = writers[i % 3];
        let mut text = String::new();
        for k in 0..(3 + i % 5) {
            let sentence = match (w, (i + k) % 4) {
                ("Alice", 0 | 1) => "This is clearly a landmark decision for the town.",
                ("Alice", _) => "The council clearly met on Tuesday to vote.",
                ("Bob", 0) => "The plan may work, perhaps, if funds arrive.",
                ("Bob", _) => "Officials said the budget may change next year.",
                (_, 0) => "A world-class museum opened, and it may draw crowds.",
                _ => "The road was repaved in the spring and reopened.",
            };
            text.push_str(sentence);
            text.push(' ');
        }
        s.push_str(&format!(
            "c{i:04},{w},Gazette,2024-01-{:02},Column {i},\"{}\",x{i}\n",
            i % 28 + 1,
            text.trim()
        ));
    }
    s
}

#[test]
fn bad_rows_go_to_errors_and_every_row_is_accounted_for() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.csv");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"id,author,outlet,text,extra\n");
    bytes.extend_from_slice(
        b"a1,Alice,Gazette,\"Clearly, this is a landmark day.\nA second line, perhaps.\",e1\n",
    ); // row 1, two lines
    bytes.extend_from_slice(b"a2,Bob,Gazette,,e2\n"); // 2: empty text
    bytes.extend_from_slice(b"a3,Bob,Gazette,\"   \",e3\n"); // 3: blank text
    bytes.extend_from_slice(b"a1,Chen,Gazette,Duplicate of the first id.,e4\n"); // 4: duplicate
    bytes.extend_from_slice(b"a5,Chen,Gazette\n"); // 5: too few fields
    bytes.extend_from_slice(b"a6,Chen,Gazette,Caf\xe9 au lait.,e6\n"); // 6: Latin-1 text
    bytes.extend_from_slice(b"a7,Ch\xe9n,Gazette,Fine text here.,e7\n"); // 7: Latin-1 author
    bytes.extend_from_slice(b",Dee,Gazette,No id on this row.,e8\n"); // 8: empty id
    bytes.extend_from_slice(b"a9,Dee,Gazette,Nul\x00byte in the text.,e9\n"); // 9: binary
    bytes.extend_from_slice(b"a10,Dee,Gazette,");
    bytes.extend_from_slice("Long text. ".repeat(40).as_bytes()); // 10: oversized
    bytes.extend_from_slice(b",e10\n");
    bytes.extend_from_slice(b"a11,Eve,Gazette,He said \"hi\" and it may rain.,e11,surplus\n"); // 11: too many fields
    bytes.extend_from_slice(b"a12,Eve,Gazette,\"She wrote \"\"undoubtedly\"\" twice.\",e12\n"); // 12: fine
    fs::write(&input, &bytes).unwrap();
    let out = tmp.path().join("out");

    batch(tmp.path(), &input, &out, &["--max-bytes", "300"])
        .code(2)
        .stderr(predicates::str::contains("2 documents, 10 errors"));

    let (docs, errors) = accounted_rows(&out);
    assert_eq!(docs, BTreeSet::from([1, 12]));
    assert_eq!(errors, (2..=11).collect());

    let (h, rows) = read_csv(&out.join("errors.csv"));
    assert_eq!(h, ["id", "row", "error", "line"]);
    let reason: BTreeMap<u64, (String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[1].parse().unwrap(),
                (r[0].clone(), r[2].clone(), r[3].clone()),
            )
        })
        .collect();
    let expect = [
        (2, "empty text"),
        (3, "empty text"),
        (4, "duplicate id (first used by row 1)"),
        (5, "malformed CSV row: expected 5 fields, found 3"),
        (6, "invalid UTF-8 at byte offset 3"),
        (7, "column `author` is not valid UTF-8"),
        (8, "empty id"),
        (9, "binary"),
        (10, "oversized text"),
        (11, "expected 5 fields, found 6"),
    ];
    for (row, needle) in expect {
        let (_, why, _) = &reason[&row];
        assert!(why.contains(needle), "row {row}: {why:?} lacks {needle:?}");
    }
    // Ids where the row has one; physical lines (row 1 spans lines 2–3, so row 2 is on line 4).
    assert_eq!(reason[&4].0, "a1");
    assert_eq!(reason[&5].0, "");
    assert_eq!(reason[&2].2, "4");

    let (h, rows) = read_csv(&out.join("documents.csv"));
    assert_eq!(&h[..5], ["id", "row", "author", "outlet", "extra"]);
    assert_eq!(rows[0][..5], ["a1", "1", "Alice", "Gazette", "e1"]);
    assert_eq!(rows[0][col(&h, "booster_count")], "1");
    assert_eq!(rows[0][col(&h, "promotional_count")], "1");
    assert_eq!(rows[0][col(&h, "hedge_count")], "1");
    assert_eq!(rows[1][col(&h, "booster_count")], "1");
    // No model: the score columns are there, and empty.
    assert_eq!(rows[0][col(&h, "uncertainty_mean")], "");

    let (h, rows) = read_csv(&out.join("findings.csv"));
    let rows: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[col(&h, "category")] != "attribution")
        .collect();
    let texts: Vec<&str> = rows.iter().map(|r| r[col(&h, "text")].as_str()).collect();
    assert_eq!(texts, ["Clearly", "landmark", "perhaps", "undoubtedly"]);
    // Offsets point into the document's text.
    let (s, e) = (col(&h, "start"), col(&h, "end"));
    assert_eq!((rows[1][s].as_str(), rows[1][e].as_str()), ("19", "27"));

    let m = manifest(&out);
    assert_eq!(m["status"], "complete");
    assert_eq!(m["counts"]["rows_read"], 12);
    assert_eq!(m["counts"]["documents"], 2);
    assert_eq!(m["counts"]["errors"], 10);
    assert_eq!(m["model"], serde_json::Value::Null);
    assert_eq!(m["input"]["kind"], "csv");
    assert_eq!(m["rules"], 3);
}

#[test]
fn unbalanced_quote_is_reported_with_its_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.csv");
    // The text column is in the middle: an unclosed quote swallows the rest of the file into
    // one field, and the row's field count gives it away.
    fs::write(
        &input,
        "id,text,author\nb1,Fine text.,Ann\nb2,\"Unclosed quote here.,Ann\nb3,More text.,Bob\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    batch(tmp.path(), &input, &out, &[]).code(2);
    let (_, rows) = read_csv(&out.join("errors.csv"));
    assert_eq!(rows.len(), 1);
    assert!(rows[0][2].contains("unbalanced quote"), "{:?}", rows[0]);
    let (docs, errors) = accounted_rows(&out);
    assert_eq!((docs.len(), errors.len()), (1, 1));
}

#[test]
fn directory_input_takes_authors_from_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("columns");
    fs::create_dir_all(root.join("Alice/2024")).unwrap();
    fs::create_dir_all(root.join("Bob")).unwrap();
    fs::write(root.join("Alice/a.txt"), "It is clearly a landmark.\n").unwrap();
    fs::write(root.join("Alice/2024/b.md"), "# Title\n\nIt may rain.\n").unwrap();
    fs::write(
        root.join("Bob/c.html"),
        "<html><body><p>Perhaps not.</p></body></html>",
    )
    .unwrap();
    fs::write(root.join("Bob/empty.txt"), "").unwrap();
    fs::write(root.join("Bob/scan.pdf"), b"%PDF").unwrap();
    fs::write(root.join(".hidden.txt"), "x").unwrap();
    fs::write(root.join("top.txt"), "No author here, undoubtedly.").unwrap();
    let out = tmp.path().join("out");
    batch(tmp.path(), &root, &out, &["--author-from", "dir"]).code(2);

    let (h, rows) = read_csv(&out.join("documents.csv"));
    assert_eq!(&h[..3], ["id", "row", "author"]);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str()))
        .collect();
    // Sorted depth-first order; the author is the file's directory.
    assert_eq!(
        got,
        [
            ("Alice/2024/b.md", "1", "2024"),
            ("Alice/a.txt", "2", "Alice"),
            ("Bob/c.html", "3", "Bob"),
            ("top.txt", "5", ""),
        ]
    );
    let (_, errors) = read_csv(&out.join("errors.csv"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0][..3], ["Bob/empty.txt", "4", "empty text"]);
    let m = manifest(&out);
    assert_eq!(m["counts"]["ignored_files"], 2);
    assert_eq!(m["input"]["kind"], "directory");
}

#[test]
fn shards_together_are_exactly_the_single_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.csv");
    let mut text = corpus_csv(90);
    text.push_str("bad,Alice,Gazette\nc0003,Bob,Gazette,2024-01-01,Dup,Duplicate id.,x\n");
    fs::write(&input, text).unwrap();
    let single = tmp.path().join("single");
    batch(tmp.path(), &input, &single, &[]).code(2);
    let shards: Vec<PathBuf> = (0..3).map(|i| tmp.path().join(format!("s{i}"))).collect();
    for (i, dir) in shards.iter().enumerate() {
        batch(
            tmp.path(),
            &input,
            dir,
            &["--shard", &format!("{i}/3"), "-j", "1"],
        );
    }

    // Every row in exactly one shard, and the same rows, documents and errors as one run.
    for name in [
        "documents.csv",
        "errors.csv",
        "sentences.csv",
        "findings.csv",
        "sections.csv",
    ] {
        let (h1, mut want) = read_csv(&single.join(name));
        let mut got = Vec::new();
        for dir in &shards {
            let (h, rows) = read_csv(&dir.join(name));
            assert_eq!(h, h1);
            got.extend(rows);
        }
        want.sort();
        got.sort();
        assert_eq!(got, want, "{name}");
    }
    let counts: Vec<u64> = shards
        .iter()
        .map(|d| manifest(d)["counts"]["rows_in_shard"].as_u64().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<u64>(), 92);
    assert!(
        counts.iter().all(|&c| c > 10),
        "unbalanced shards {counts:?}"
    );

    // compare over the three shard directories gives the single run's groups exactly.
    let json = |dirs: &[&Path]| -> serde_json::Value {
        let out = rhetor()
            .arg("compare")
            .args(dirs)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let one = json(&[&single]);
    let merged = json(&[&shards[2], &shards[0], &shards[1]]);
    assert_eq!(one["groups"], merged["groups"]);
    assert_eq!(one["corpus"], merged["corpus"]);
    assert_eq!(one["groups"].as_array().unwrap().len(), 3);
}

#[test]
fn compare_refuses_a_shard_given_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.csv");
    fs::write(&input, corpus_csv(9)).unwrap();
    let out = tmp.path().join("s0");
    batch(tmp.path(), &input, &out, &["--shard", "0/2"]).success();
    rhetor()
        .arg("compare")
        .arg(&out)
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("given twice"));
    // A missing shard is pointed out.
    rhetor()
        .arg("compare")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("shard 1 of 2 not given"));
}

/// Cuts a file to `keep` bytes plus half of the next line: a crash mid-write.
fn cut_mid_row(path: &Path, keep_rows: usize) {
    let text = fs::read(path).unwrap();
    let mut lines = 0;
    let mut cut = text.len();
    for (i, b) in text.iter().enumerate() {
        if *b == b'\n' {
            lines += 1;
            if lines == keep_rows + 1 {
                cut = i + 1 + 7; // the header, `keep_rows` rows, and 7 bytes of the next
                break;
            }
        }
    }
    fs::write(path, &text[..cut.min(text.len())]).unwrap();
}

fn sorted_rows(path: &Path) -> Vec<Vec<String>> {
    let (_, mut rows) = read_csv(path);
    rows.sort();
    rows
}

#[test]
fn resume_after_a_crash_mid_write_neither_loses_nor_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.csv");
    let mut text = corpus_csv(60);
    text.push_str(",Alice,Gazette,2024-01-01,No id,Some text.,x\n");
    fs::write(&input, text).unwrap();
    let full = tmp.path().join("full");
    batch(tmp.path(), &input, &full, &[]).code(2);

    // Simulate a kill: documents.csv cut in the middle of its 25th row, the error row not yet
    // written, while the child files already hold rows of every document (orphans).
    let crashed = tmp.path().join("crashed");
    fs::create_dir_all(&crashed).unwrap();
    for e in fs::read_dir(&full).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), crashed.join(e.file_name())).unwrap();
    }
    cut_mid_row(&crashed.join("documents.csv"), 24);
    cut_mid_row(&crashed.join("errors.csv"), 0);
    cut_mid_row(&crashed.join("sentences.csv"), 200);
    let m = fs::read_to_string(crashed.join("manifest.json"))
        .unwrap()
        .replace("\"complete\"", "\"running\"");
    fs::write(crashed.join("manifest.json"), m).unwrap();

    // Without --resume the directory is refused.
    batch(tmp.path(), &input, &crashed, &[])
        .code(2)
        .stderr(predicates::str::contains("--resume"));
    batch(
        tmp.path(),
        &input,
        &crashed,
        &["--resume", "--chunk-size", "7"],
    )
    .code(2)
    .stderr(predicates::str::contains("24 already done"));

    let (docs, errors) = accounted_rows(&crashed);
    assert_eq!(docs.len() + errors.len(), 61);
    for name in [
        "documents.csv",
        "errors.csv",
        "sentences.csv",
        "findings.csv",
        "sections.csv",
    ] {
        assert_eq!(
            sorted_rows(&crashed.join(name)),
            sorted_rows(&full.join(name)),
            "{name}"
        );
    }
    assert_eq!(manifest(&crashed)["status"], "complete");
    assert_eq!(manifest(&crashed)["counts"], manifest(&full)["counts"]);

    // Resuming a complete run does nothing.
    batch(tmp.path(), &input, &crashed, &["--resume"]).code(2);
    assert_eq!(
        sorted_rows(&crashed.join("documents.csv")),
        sorted_rows(&full.join("documents.csv"))
    );
    // Nor may a resume change the settings.
    batch(
        tmp.path(),
        &input,
        &crashed,
        &["--resume", "--shard", "0/2"],
    )
    .code(2)
    .stderr(predicates::str::contains("cannot resume"));
}

#[test]
fn killed_process_resumes_without_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.csv");
    fs::write(&input, corpus_csv(3000)).unwrap();
    let out = tmp.path().join("out");
    let rules = rules_dir(tmp.path());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rhetor"))
        .arg("batch")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args([
            "--no-model",
            "--only",
            "t.*",
            "-j",
            "1",
            "--chunk-size",
            "4",
            "--rules",
        ])
        .arg(&rules)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some rows are on disk (or let it finish, on a very fast machine).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let n = fs::read(out.join("documents.csv"))
            .map(|b| b.iter().filter(|c| **c == b'\n').count())
            .unwrap_or(0);
        if n > 200 || std::time::Instant::now() > deadline {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    child.wait().unwrap();
    batch(tmp.path(), &input, &out, &["--resume"]).success();
    let (docs, errors) = accounted_rows(&out);
    assert!(errors.is_empty());
    assert_eq!(docs, (1..=3000).collect());
    // Child rows: each document's sentences exactly once.
    let (h, rows) = read_csv(&out.join("sentences.csv"));
    let (id, s) = (col(&h, "id"), col(&h, "sentence"));
    let keys: BTreeSet<(String, String)> =
        rows.iter().map(|r| (r[id].clone(), r[s].clone())).collect();
    assert_eq!(keys.len(), rows.len(), "duplicate sentence rows");
    let docs_with_sentences: BTreeSet<&String> = rows.iter().map(|r| &r[id]).collect();
    assert_eq!(docs_with_sentences.len(), 3000);
}

#[test]
fn missing_columns_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.csv");
    fs::write(&input, "number,writer,body\n1,Ann,Some text.\n").unwrap();
    let out = tmp.path().join("out");
    batch(tmp.path(), &input, &out, &[])
        .code(2)
        .stderr(predicates::str::contains(
            "no `text` column (columns: number, writer, body)",
        ));
    // Named columns; the author column is written as `author`.
    batch(
        tmp.path(),
        &input,
        &out,
        &[
            "--id-column",
            "number",
            "--text-column",
            "body",
            "--author-column",
            "writer",
        ],
    )
    .success();
    let (h, rows) = read_csv(&out.join("documents.csv"));
    assert_eq!(&h[..3], ["id", "row", "author"]);
    assert_eq!(rows[0][..3], ["1", "1", "Ann"]);
}

/// Cells that a spreadsheet would run as formulas (from ids, authors, text) are written with a
/// leading `'`; `--resume` and `compare` read them back as the original text; `--csv-raw`
/// writes them as they are.
#[test]
fn formula_like_cells_are_neutralised_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let input = root.join("in.csv");
    fs::write(
        &input,
        "id,author,text\n\
         =1+1,@mallory,\"=HYPERLINK(\"\"http://example.invalid\"\") opens the column. It is short.\"\n\
         plain,-dash,A plain second column with nothing odd.\n",
    )
    .unwrap();
    let out = root.join("out");
    batch(root, &input, &out, &[]).success();
    let (h, rows) = read_csv(&out.join("documents.csv"));
    let (id, author) = (col(&h, "id"), col(&h, "author"));
    assert_eq!(rows[0][id], "'=1+1");
    assert_eq!(rows[0][author], "'@mallory");
    assert_eq!(rows[1][author], "'-dash");
    let (h, rows) = read_csv(&out.join("sentences.csv"));
    assert!(rows[0][col(&h, "text")].starts_with("'=HYPERLINK"));
    // resume sees both rows as done: nothing is redone or duplicated
    batch(root, &input, &out, &["--resume"]).success();
    assert_eq!(read_csv(&out.join("documents.csv")).1.len(), 2);
    let compared = rhetor()
        .args(["compare", "--by", "author", "--format", "json"])
        .arg(&out)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&compared.stdout).unwrap();
    let names: BTreeSet<String> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, BTreeSet::from(["@mallory".into(), "-dash".into()]));
    let raw = root.join("raw");
    batch(root, &input, &raw, &["--csv-raw"]).success();
    let (h, rows) = read_csv(&raw.join("documents.csv"));
    assert_eq!(rows[0][col(&h, "id")], "=1+1");
}

/// A second writer into an --out that a live run holds is refused, and nothing is written;
/// the lock goes when the run ends.
#[test]
fn a_second_writer_into_a_held_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let input = root.join("in.csv");
    fs::write(&input, corpus_csv(5)).unwrap();
    let out = root.join("out");
    fs::create_dir_all(&out).unwrap();
    // Held by this (live) test process, as a running batch would hold it.
    let host = fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown-host".into());
    let lock = out.join(".rhetor-batch.lock");
    fs::write(&lock, format!("pid {}\nhost {host}\n", std::process::id())).unwrap();
    let refused = batch(root, &input, &out, &[]).failure().code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.contains("another rhetor batch"), "{stderr}");
    assert!(!out.join("documents.csv").exists(), "nothing written");
    assert!(lock.exists(), "someone else's lock is left alone");
    fs::remove_file(&lock).unwrap();
    batch(root, &input, &out, &[]).success();
    assert!(!lock.exists(), "released when the run ends");
    assert_eq!(read_csv(&out.join("documents.csv")).1.len(), 5);
}

/// A FIFO in an input directory becomes an error row without being opened (opening it would
/// block the run until a writer came), and the other files still come out; `--resume` too.
#[test]
fn a_fifo_in_the_input_directory_is_an_error_row_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let input = root.join("texts");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a.txt"), "A plain column about the harbour.\n").unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(input.join("b.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    fs::write(input.join("c.txt"), "Another plain column.\n").unwrap();
    let out = root.join("out");
    batch(root, &input, &out, &[]).code(2);
    let (h, rows) = read_csv(&out.join("errors.csv"));
    assert_eq!(rows.len(), 1);
    assert!(rows[0][col(&h, "error")].contains("FIFO"), "{rows:?}");
    assert_eq!(read_csv(&out.join("documents.csv")).1.len(), 2);
    // the error row stays an error row (exit 2 says rows went to errors.csv); nothing hangs
    let resumed = batch(root, &input, &out, &["--resume"]).code(2);
    let stderr = String::from_utf8_lossy(&resumed.get_output().stderr).to_string();
    assert!(stderr.contains("3 already done"), "{stderr}");
}
