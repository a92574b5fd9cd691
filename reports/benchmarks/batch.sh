#!/usr/bin/env bash
# Benchmark of `rhetor batch` on the Reuters C50 training set (2,500 articles by 50 writers,
# <Author>/<id>newsML.txt) plus deliberately broken inputs, as a directory and as a CSV file.
# Records documents per second and peak RSS (/usr/bin/time -v) in reports/benchmarks/batch.md,
# checks that every input row is accounted for, and writes the 50-writer comparison to
# reports/benchmarks/c50-compare.txt.
#
#   reports/benchmarks/batch.sh            # data from ../shared/data (RHETOR_DATA overrides)
set -euo pipefail
cd "$(dirname "$0")/../.."

DATA=${RHETOR_DATA:-../shared/data}
C50="$DATA/reuters-c50-authorship/C50train"
[ -d "$C50" ] || { echo "batch.sh: $C50 not found (set RHETOR_DATA)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "batch.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }

cargo build --release --locked --quiet
BIN=$PWD/target/release/rhetor
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- inputs ----------------------------------------------------------------------------------
# The directory, with five broken files in a sixth-and-fiftieth "writer".
cp -r "$C50" "$WORK/c50"
mkdir "$WORK/c50/Broken"
: >"$WORK/c50/Broken/empty.txt"                              # empty text
printf 'Caf\xe9 cr\xe8me: Latin-1, not UTF-8.\n' >"$WORK/c50/Broken/latin1.txt"
printf 'A NUL\0byte: binary.\n' >"$WORK/c50/Broken/binary.txt"
ln -s missing.txt "$WORK/c50/Broken/dangling.txt"              # unreadable file
truncate -s 70M "$WORK/c50/Broken/huge.txt"                    # over the 64 MiB --max-bytes
dir_rows=$(( $(find "$C50" -name '*.txt' | wc -l) + 5 ))

# The same corpus as one CSV (id,author,text), plus broken rows.
{
  echo 'id,author,text'
  for f in "$C50"/*/*.txt; do
    author=$(basename "$(dirname "$f")")
    printf '%s,%s,"' "$author/$(basename "$f")" "$author"
    sed 's/"/""/g' "$f"
    printf '"\n'
  done
  echo 'broken-1,Broken'                                       # malformed: 2 fields of 3
  echo 'broken-2,Broken,'                                      # empty text
  printf 'broken-3,Broken,"Caf\xe9 in Latin-1."\n'             # invalid UTF-8
  echo 'AaronPressman/106247newsML.txt,Broken,"A duplicate id."'  # duplicate id
  echo ',Broken,"No id."'                                      # empty id
} >"$WORK/c50.csv"
csv_rows=$(( $(find "$C50" -name '*.txt' | wc -l) + 5 ))

# --- runs ------------------------------------------------------------------------------------
# run NAME OUT ARGS…: times one batch run, checks the accounting, appends a table row.
rows=()
run() {
  local name=$1 out=$2 expect=$3; shift 3
  local rc=0
  /usr/bin/time -v "$BIN" batch "$@" --out "$out" --quiet 2>"$WORK/$name.time" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
    cat "$WORK/$name.time" >&2; exit 1
  fi
  local docs errors wall rss
  docs=$(( $(wc -l <"$out/documents.csv") - 1 ))
  errors=$(grep -c '^' "$out/errors.csv"); errors=$((errors - 1))
  if [ $((docs + errors)) -ne "$expect" ]; then
    echo "batch.sh: $name: $docs documents + $errors errors != $expect input rows" >&2; exit 1
  fi
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$WORK/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/$name.time")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$WORK/$name.time")
  rows+=("| $name | $expect | $docs | $errors | $wall | $(awk -v d="$docs" -v w="$wall" 'BEGIN{printf "%.0f", d/w}') | $cpu | $(awk -v d="$docs" -v c="$cpu" 'BEGIN{printf "%.0f", d/c}') | $rss |")
  echo "$name: $docs documents, $errors errors, ${wall}s, peak RSS ${rss} MB" >&2
}

run "directory, --no-model" "$WORK/out-dir" "$dir_rows" "$WORK/c50" --author-from dir --no-model
run "CSV, --no-model" "$WORK/out-csv" "$csv_rows" "$WORK/c50.csv" --no-model
run "CSV, --no-model, --jobs 1" "$WORK/out-csv1" "$csv_rows" "$WORK/c50.csv" --no-model --jobs 1
if "$BIN" analyse - <<<"Model check." >/dev/null 2>&1; then
  run "directory, with model" "$WORK/out-model" "$dir_rows" "$WORK/c50" --author-from dir
  model_note="The model run used $(jq -r .model "$WORK/out-model/manifest.json" 2>/dev/null || echo 'the installed model')."
else
  model_note="With the model: **pending** — no classifier is installed yet (\`rhetor analyse\` without \`--no-model\` fails); rerun this script once \`models/classifier\` holds one."
fi

# Three shards merged must compare exactly like the single run.
for i in 0 1 2; do
  "$BIN" batch "$WORK/c50" --author-from dir --no-model --quiet --shard "$i/3" --out "$WORK/shard$i" 2>/dev/null || true
done
"$BIN" compare "$WORK/out-dir" --format json | jq -S '.groups, .corpus' >"$WORK/one.json"
"$BIN" compare "$WORK/shard0" "$WORK/shard1" "$WORK/shard2" --format json | jq -S '.groups, .corpus' >"$WORK/merged.json"
if cmp -s "$WORK/one.json" "$WORK/merged.json"; then shards="identical"; else shards="DIFFERENT"; fi

start=$(date +%s.%N)
"$BIN" compare "$WORK/out-dir" --by author >reports/benchmarks/c50-compare.txt
compare_s=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.2f", e-s}')

# --- report ----------------------------------------------------------------------------------
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
  echo "# rhetor batch benchmark"
  echo
  echo "Generated by \`reports/benchmarks/batch.sh\` on $(date -u +%Y-%m-%d) — rhetor $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock models 2>/dev/null || echo ' (modified)'),"
  echo "rules $(jq -r .rules_hash "$WORK/out-dir/manifest.json" | cut -c1-12) ($(jq -r .rules "$WORK/out-dir/manifest.json") rules), $(nproc) cores ($cpu), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "Input: Reuters C50 training set, $(find "$C50" -name '*.txt' | wc -l) articles by 50 writers, plus five broken"
  echo "inputs (directory: empty, Latin-1, binary, dangling symlink, 70 MB file; CSV: a row with too few"
  echo "fields, empty text, Latin-1 text, a duplicate id, an empty id). Every row is checked to be in"
  echo "exactly one of documents.csv and errors.csv. Wall time, CPU time (user + system) and peak RSS"
  echo "from \`/usr/bin/time -v\`. The machine is shared: when the load average exceeds the core count,"
  echo "wall-clock docs/s understates what the runner does alone; docs per CPU second does not."
  echo
  echo "| run | input rows | documents | errors | wall s | docs/s | CPU s | docs per CPU s | peak RSS MB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "$model_note"
  echo
  echo "Three shards (\`--shard 0/3\`, \`1/3\`, \`2/3\`) given together to \`rhetor compare\`: groups and corpus"
  echo "summary **$shards** to the single run. \`rhetor compare --by author\` over the 2,500 documents"
  echo "(1,000 bootstrap resamples per writer) took ${compare_s} s; its output is in \`c50-compare.txt\`."
  echo
  echo "errors.csv of the directory run:"
  echo
  echo '```'
  cat "$WORK/out-dir/errors.csv"
  echo '```'
  echo
  echo "errors.csv of the CSV run:"
  echo
  echo '```'
  cat "$WORK/out-csv/errors.csv"
  echo '```'
} >reports/benchmarks/batch.md
echo "wrote reports/benchmarks/batch.md and reports/benchmarks/c50-compare.txt" >&2
