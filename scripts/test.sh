#!/usr/bin/env bash
# The test suite, as CI runs it, on a fresh machine: installs what the tests need, then checks
# formatting and lints and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh >/dev/null               # ONNX Runtime for the model tests
scripts/install-browser.sh                # Debian chromium for the browser tests
if command -v chromium >/dev/null 2>&1; then
  export RHETOR_REQUIRE_BROWSER=1         # installed: browser tests must run, not skip
fi
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
