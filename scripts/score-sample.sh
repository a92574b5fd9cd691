#!/usr/bin/env bash
# The main job: build rhetor and score the sample column. Extra arguments go to `rhetor analyse`
# (e.g. --format json, --format html --output report.html).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh >/dev/null
cargo build --release --locked --quiet
sample="${RHETOR_SAMPLE:-../shared/examples/us-pakistan-ct.txt}"
# Until a classifier is installed the column is scored by the rules alone (rhetor says so).
if [ ! -f models/classifier/model.int8.onnx ]; then
  set -- --no-model "$@"
fi
exec target/release/rhetor analyse "$sample" "$@"
