//! The `rhetor` command. Exit codes: 0 success, 1 a `--fail-on` threshold exceeded, 2 error.

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: analysis allocates many small, short-lived strings
/// and vectors per sentence, and glibc malloc/free were a sixth of rules-only run time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay`: its position in mimalloc.h's `mi_option_e` (the sys crate names
/// only some options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Never hand freed memory back to the OS. By default mimalloc purges it after 10 ms, and the
    // next chunk of a batch (or the next stage of a long column) faults it back in, which the
    // kernel zeroes again: that was a sixth of a rules-only batch run. A CLI process that exits
    // when done can keep its peak.
    // SAFETY: sets a plain integer option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    // A closed stdout (`rhetor … | head`) ends the process quietly, as it does for other Unix
    // filters, instead of a panic in the middle of a print.
    // SAFETY: restores the default disposition of one signal before any thread is started.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
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
