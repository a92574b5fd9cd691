#!/usr/bin/env bash
# Regenerates the example HTML reports in this directory from the columns beside them:
#   sample-column.md   → report.html          (an invented opinion column written for rhetor)
#   hostile-column.txt → hostile-report.html  (markup, event handlers and bidi tricks as text)
# With the rules built into rhetor at this commit. The classifier is used when it is installed
# (the sentiment arc and model panels fill in); otherwise the reports are rules-only and say so.
# Deterministic: the same rules, model and column give byte-identical files.
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build --quiet --locked
BIN=target/debug/rhetor
OUT=reports/examples

MODEL=()
if ! "$BIN" analyse "$OUT/sample-column.md" --format json >/dev/null 2>&1; then
  echo "generate.sh: no classifier installed; writing rules-only reports (--no-model)" >&2
  MODEL=(--no-model)
fi

"$BIN" analyse "$OUT/sample-column.md" "${MODEL[@]}" --format html --output "$OUT/report.html" \
  --target "Eastgate Bridge=bridge,crossing" --target "council=Brennford council"
"$BIN" analyse "$OUT/hostile-column.txt" "${MODEL[@]}" --format html \
  --output "$OUT/hostile-report.html"
echo "generate.sh: wrote $OUT/report.html and $OUT/hostile-report.html" >&2
