//! `rhetor rules list|test|explain`.

use super::RuleOptions;
use anyhow::bail;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: RulesAction,
    #[command(flatten)]
    pub rules: RuleOptions,
}

#[derive(Debug, clap::Subcommand)]
pub enum RulesAction {
    /// One line per rule: id, category, number of cues, origin.
    List,
    /// Run every rule's inline examples; exit 1 on any failure.
    Test,
    /// Everything about one rule: message, cues, exceptions, examples.
    Explain { id: String },
}

pub fn run(args: RulesArgs) -> anyhow::Result<ExitCode> {
    let (set, _) = args.rules.load()?;
    match args.action {
        RulesAction::List => {
            for r in set.rules() {
                println!(
                    "{:<34} {:<12} {:>4} cues  {}:{}",
                    r.id,
                    r.category.as_str(),
                    r.cue_count(),
                    r.origin,
                    r.line
                );
            }
            println!("{} rules, {} cues", set.rules().len(), set.cue_count());
            Ok(ExitCode::SUCCESS)
        }
        RulesAction::Test => {
            let failures: Vec<String> = set.rules().iter().flat_map(|r| set.test_rule(r)).collect();
            let examples: usize = set
                .rules()
                .iter()
                .map(|r| r.examples.must_match.len() + r.examples.no_match.len())
                .sum();
            for f in &failures {
                println!("FAIL {f}");
            }
            println!(
                "{} rules, {examples} examples: {} failed",
                set.rules().len(),
                failures.len()
            );
            Ok(if failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        RulesAction::Explain { id } => {
            let Some(r) = set.get(&id) else {
                bail!("no rule `{id}` (see `rhetor rules list`)");
            };
            println!(
                "{} ({})\n  {}\n  from {}:{}",
                r.id, r.category, r.message, r.origin, r.line
            );
            println!("  category: {}", r.category.describe());
            println!("  kind: {:?}, case: {:?}", r.kind, r.case);
            if !r.phrases.is_empty() {
                println!("  phrases ({}): {}", r.phrases.len(), r.phrases.join(", "));
            }
            for p in &r.patterns {
                println!("  pattern: {}", p.as_str());
            }
            for e in &r.exceptions {
                println!("  exception: {}", e.as_str());
            }
            for e in &r.examples.must_match {
                println!("  matches:        {e}");
            }
            for e in &r.examples.no_match {
                println!("  does not match: {e}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
