#!/usr/bin/env bash
# The test suite, as CI runs it, on a fresh machine: installs what the tests need, then checks
# formatting and lints and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh >/dev/null               # ONNX Runtime for the model tests
if [ -x scripts/install-browser.sh ]; then
  scripts/install-browser.sh || echo "scripts/test.sh: Chromium unavailable; browser tests will skip" >&2
fi
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
