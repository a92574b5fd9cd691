//! Shared by tests/batch.rs and tests/compare.rs (included with `#[path]`): a small rule
//! directory of our own, so corpus tests do not depend on the built-in rule files, and the
//! command under test.
#![allow(dead_code)]

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

/// Three rules: a booster, a hedge and a promotional cue.
pub const RULES: &str = r#"
rules:
  - id: t.clearly
    category: booster
    message: Booster.
    kind: phrases
    phrases: [clearly, undoubtedly]
  - id: t.may
    category: hedge
    message: Hedge.
    kind: phrases
    phrases: [may, perhaps]
  - id: t.landmark
    category: promotional
    message: Promotional.
    kind: phrases
    phrases: [landmark, world-class]
"#;

/// Writes [`RULES`] to `root/rules/t.yaml` and returns the directory.
pub fn rules_dir(root: &Path) -> PathBuf {
    let dir = root.join("rules");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("t.yaml"), RULES).unwrap();
    dir
}

pub fn rhetor() -> Command {
    Command::cargo_bin("rhetor").unwrap()
}
