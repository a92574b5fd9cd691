//! The `rhetor` command. Exit codes: 0 success, 1 a `--fail-on` threshold exceeded, 2 error.

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: analysis allocates many small, short-lived strings
/// and vectors per sentence, and glibc malloc/free were a sixth of rules-only run time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = rhetor::cli::Cli::parse();
    match rhetor::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // One line: the error and its causes, outermost first.
            let chain: Vec<String> = err.chain().map(|e| e.to_string()).collect();
            eprintln!("rhetor: error: {}", chain.join(": "));
            ExitCode::from(2)
        }
    }
}
