//! Per-stage cost of rules-only analysis on Reuters C50 news text from ../shared/data (the
//! end-to-end MB/s figure is reports/benchmarks/rules-throughput.sh; this shows where it goes).
//! `cargo bench --bench stages`; set RHETOR_BENCH_MB to change the corpus size (default 4).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rhetor::classify::stance::{self, Scorer};
use rhetor::document::{Document, SourceFormat};
use rhetor::pipeline::Analyzer;
use rhetor::report::{self, BuildInfo, Printer, csv::CsvPrinter, json::JsonPrinter};
use rhetor::rules::RuleSet;
use std::hint::black_box;
use std::path::Path;

// The allocator the binary uses (src/main.rs), so that allocation costs are the real ones.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// C50 training articles, blank-line separated, up to the size asked for.
fn corpus() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/reuters-c50-authorship/C50train");
    let mb: usize = std::env::var("RHETOR_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let mut text = String::new();
    for f in files {
        if text.len() >= mb * 1_000_000 {
            break;
        }
        text.push_str(&std::fs::read_to_string(f).ok()?.replace('\r', ""));
        text.push_str("\n\n");
    }
    (!text.is_empty()).then_some(text)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                vec![e.path()]
            }
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let Some(text) = corpus() else {
        eprintln!("stages: ../shared/data/reuters-c50-authorship not found; nothing to measure");
        return;
    };
    let analyzer = Analyzer::new(RuleSet::builtin().expect("built-in rules load"), None);
    let mut g = c.benchmark_group("stages");
    g.sample_size(10)
        .throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| black_box(Document::parse(&text, SourceFormat::Text)))
    });
    g.bench_function("rules", |b| {
        b.iter(|| black_box(analyzer.rules().find(&text)))
    });
    g.bench_function("analyse", |b| {
        b.iter(|| black_box(analyzer.analyse(&text, SourceFormat::Text).unwrap()))
    });
    let analysis = analyzer.analyse(&text, SourceFormat::Text).unwrap();
    let targets = || stance::analyse(&analysis.doc, &[], Scorer::Off(String::new())).unwrap();
    g.bench_function("targets", |b| b.iter(|| black_box(targets())));
    let info = || BuildInfo {
        path: None,
        format: SourceFormat::Text,
        rules_hash: String::new(),
        targets: &[],
    };
    g.bench_function("build", |b| {
        b.iter(|| {
            black_box(report::build_with_stance(
                &analysis,
                &text,
                info(),
                targets(),
            ))
        })
    });
    let report = report::build_with_stance(&analysis, &text, info(), targets());
    g.bench_function("print_json", |b| {
        b.iter(|| JsonPrinter.print(&report, &mut std::io::sink()))
    });
    g.bench_function("print_csv", |b| {
        b.iter(|| CsvPrinter { raw: false }.print(&report, &mut std::io::sink()))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
