//! Command-line interface: flags are defined once here (clap derive), one file per subcommand.

mod analyse;
mod batch;
mod compare;
mod rules;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "rhetor",
    version,
    about = "How opinion columns persuade: promotional, hedged and loaded phrasing, sourcing, sentiment and stance — per sentence, section, column and writer."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse one column (a file, or `-` for stdin).
    #[command(alias = "analyze")]
    Analyse(analyse::AnalyseArgs),
    /// Analyse a corpus (a CSV file or a directory) into CSV tables, in parallel.
    Batch(batch::BatchArgs),
    /// Compare writers (or any documents.csv column) across batch output directories.
    Compare(compare::CompareArgs),
    /// List, test and explain the rules.
    Rules(rules::RulesArgs),
}

/// Options shared by every command that loads rules.
#[derive(Debug, clap::Args, Clone, Default)]
pub struct RuleOptions {
    /// Extra rule directory (*.yaml); repeatable. A rule with a built-in id replaces it.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Use only these rules (ids, `prefix.*`, or categories); repeatable or comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub only: Vec<String>,
    /// Skip these rules (ids, `prefix.*`, or categories); repeatable or comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
}

impl RuleOptions {
    pub fn load(&self) -> anyhow::Result<rhetor_rules::RuleSet> {
        let set = rhetor_rules::RuleSet::load(true, &self.rules)?;
        if self.only.is_empty() && self.ignore.is_empty() {
            return Ok(set);
        }
        set.select(&self.only, &self.ignore)
            .map_err(anyhow::Error::msg)
    }
}

use crate::rules as rhetor_rules;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyse(args) => analyse::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Rules(args) => rules::run(args),
    }
}
