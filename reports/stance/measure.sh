#!/usr/bin/env bash
# Stance measurements for issue 4, reproducible: the per-target majority baseline and the
# model's F_avg on the recipe's SemEval-2016 dev split, the official test sets of Dong et al.
# (2014) and SemEval-2014 aspects (target sentiment as stance), the hand-written column-style
# probes (reports/stance/probe.csv; probe-roles.csv, where stance follows who acts, who is caught
# and where it happens), and the sample column's targets.
# Writes reports/stance/*.json.
#
#   reports/stance/measure.sh                 # uses models/classifier (or $RHETOR_MODEL_DIR)
#
# The held-out-target check trains (CPU, ~15-25 min each on 2 busy cores) and is run separately:
#   nice -n 19 .cache/venv/bin/python models/train/stance_heldout.py heldout --epochs 3 --skip-control
#   nice -n 19 .cache/venv/bin/python models/train/stance_heldout.py heldout --epochs 2 --skip-control --extra dong,absa
#
# Needs ../shared/data, python3, and the recipe's data.py (models/train/). The dev CSVs go to
# .cache/dev/ (git-ignored: corpus text is not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=reports/stance
cargo build --release --quiet
bin=target/release/rhetor
python3 models/train/make_dev.py >/dev/null
python3 models/train/stance_heldout.py baseline > "$out/baseline.json"
"$bin" eval stance .cache/dev/stance_semeval2016.csv --format json > "$out/eval_semeval2016_dev.json"
"$bin" eval stance .cache/dev/stance_dong2014.csv --format json > "$out/eval_dong2014_test.json"
"$bin" eval stance .cache/dev/stance_absa2014.csv --format json > "$out/eval_absa2014_test.json"
"$bin" eval stance "$out/probe.csv" --format json > "$out/eval_probe.json"
"$bin" eval stance "$out/probe-roles.csv" --format json > "$out/eval_probe_roles.json"
sample=../shared/examples/us-pakistan-ct.txt
if [ -f "$sample" ]; then
  "$bin" analyse "$sample" --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)
keep = ("name", "kind", "aliases", "stance", "stance_reason", "counts", "evidence", "mention_count")
print(json.dumps({"model": r["model"]["id"], "stance": r["stance"], "targets": [{k: t[k] for k in keep} for t in r["targets"]]}, indent=1, ensure_ascii=False))
' > "$out/sample_us_pakistan_ct.json"
fi
for f in "$out"/eval_*.json; do
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); x=r["extra"]; print(sys.argv[1], "n", r["n"], "F_avg", x["f_avg"], "majority F_avg", x["majority_baseline_f_avg"], "macro-F1", r["macro_f1"])' "$f"
done
