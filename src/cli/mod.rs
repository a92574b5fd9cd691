//! Command-line interface: flags are defined once here (clap derive), one file per subcommand.

mod analyse;
mod batch;
mod compare;
mod eval;
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
    /// Score rhetor's judgement on a labelled CSV (text,label[,target]).
    Eval(eval::EvalArgs),
}

/// Options shared by every command that loads rules.
#[derive(Debug, clap::Args, Clone, Default)]
pub struct RuleOptions {
    /// Extra rule directory (*.yaml); repeatable. A rule with a built-in id replaces it.
    #[arg(long = "rules", value_name = "DIR", global = true)]
    pub rules: Vec<PathBuf>,
    /// Use only these rules (ids, `prefix.*`, or categories); repeatable or comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULE", global = true)]
    pub only: Vec<String>,
    /// Skip these rules (ids, `prefix.*`, or categories); repeatable or comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULE", global = true)]
    pub ignore: Vec<String>,
}

impl RuleOptions {
    /// The selected rules, and the tagger selection that `--only`/`--ignore` imply.
    pub fn load(&self) -> anyhow::Result<(RuleSet, Taggers)> {
        let set = RuleSet::load(true, &self.rules)?;
        // Selectors naming the attribution tagger ("attribution", "attribution.*") select the
        // context tagger, not rule files.
        let is_attr = |s: &&String| s.as_str() == "attribution" || s.starts_with("attribution.");
        let (attr_only, only): (Vec<&String>, Vec<&String>) = self.only.iter().partition(is_attr);
        let (attr_ignore, ignore): (Vec<&String>, Vec<&String>) =
            self.ignore.iter().partition(is_attr);
        let taggers = Taggers {
            attribution: attr_ignore.is_empty() && (self.only.is_empty() || !attr_only.is_empty()),
        };
        let only: Vec<String> = only.into_iter().cloned().collect();
        let mut ignore: Vec<String> = ignore.into_iter().cloned().collect();
        if only.is_empty() && !attr_only.is_empty() {
            // `--only attribution` alone: no rule file at all.
            ignore = set.rules().iter().map(|r| r.id.to_string()).collect();
        }
        if only.is_empty() && ignore.is_empty() {
            return Ok((set, taggers));
        }
        let set = set.select(&only, &ignore).map_err(anyhow::Error::msg)?;
        Ok((set, taggers))
    }
}

use crate::pipeline::Taggers;
use crate::rules::RuleSet;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyse(args) => analyse::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Eval(args) => eval::run(args),
    }
}
