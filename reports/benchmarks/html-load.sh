#!/usr/bin/env bash
# How fast a 10,000-word column's HTML report opens in headless Chromium.
#
# 1. Builds a ~10,000-word column by repeating reports/examples/sample-column.md (our own text)
#    under numbered part headings, and renders its report with rhetor (--no-model unless the
#    classifier is installed).
# 2. Loads the report in an iframe of a small harness page and reads, from the harness:
#    `load_ms`   navigation start → the report's load event (fetch, parse, style, SVG);
#    `layout_ms` → a forced synchronous layout of the whole report (scrollHeight) after that.
#    The report itself runs no script (its CSP forbids it); the harness is a separate page
#    opened with --allow-file-access-from-files so it may measure the frame.
# 3. Also times whole `chromium --headless --screenshot` runs of the report against the same
#    run on an empty page, as a cross-check that includes paint and browser start-up.
# Prints a Markdown table; record it in reports/benchmarks/html-load.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${RUNS:-5}"
# Extra `rhetor analyse` arguments, e.g. RHETOR_ARGS="--rules path/to/more/rules".
read -r -a EXTRA <<< "${RHETOR_ARGS:-}"
CHROME="${RHETOR_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
[ -n "$CHROME" ] || { echo "html-load: no Chromium found (run scripts/install-browser.sh)" >&2; exit 1; }

cargo build --quiet --locked   # the browser timing does not depend on the build profile
BIN=target/debug/rhetor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/column.md" <<'PY'
import sys, re
src = open("reports/examples/sample-column.md", encoding="utf-8").read()
title, body = src.split("\n", 1)
parts, words, n = [title, ""], 0, 0
while words < 10_000:
    n += 1
    chunk = re.sub(r"^## ", f"## Part {n}: ", body.strip(), flags=re.M)
    parts += [f"## Part {n}", "", chunk, ""]
    words += len(chunk.split()) + 2
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(parts))
PY
MODEL=(--no-model)
"$BIN" analyse "$work/column.md" --format json >/dev/null 2>&1 && MODEL=()
"$BIN" analyse "$work/column.md" "${MODEL[@]}" "${EXTRA[@]}" --format html --output "$work/report.html" \
  --target "Eastgate Bridge=bridge,crossing" --target "council"
"$BIN" analyse "$work/column.md" "${MODEL[@]}" "${EXTRA[@]}" --format json --output "$work/report.json" \
  --target "Eastgate Bridge=bridge,crossing" --target "council"
read -r WORDS SENTS MARKS < <(python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
print(r["summary"]["words"], len(r["sentences"]), sum(len(s["findings"]) for s in r["sentences"]))' "$work/report.json")
BYTES=$(wc -c < "$work/report.html")

cat > "$work/harness.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title></head><body>
<pre id="out">pending</pre>
<script>
const f = document.createElement("iframe");
f.style.cssText = "width:1280px;height:2400px;border:0";
const t0 = performance.now();
f.onload = () => {
  const load = performance.now() - t0;
  const h = f.contentDocument.documentElement.scrollHeight;
  const layout = performance.now() - t0;
  document.getElementById("out").textContent =
    JSON.stringify({load_ms: +load.toFixed(1), layout_ms: +layout.toFixed(1), height: h});
};
f.src = "report.html";
document.body.appendChild(f);
</script></body></html>
HTML
echo '<!DOCTYPE html><title>empty</title>' > "$work/empty.html"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms() { python3 -c 'import time; print(int(time.monotonic()*1000))'; }

loads=(); layouts=(); shots=(); empties=()
for i in $(seq "$RUNS"); do
  p=$(mktemp -d -p "$work")
  r=$("$CHROME" "${flags[@]}" --user-data-dir="$p" --allow-file-access-from-files --dump-dom \
      "file://$work/harness.html" 2>/dev/null | sed -n 's/.*<pre id="out">\(.*\)<\/pre>.*/\1/p')
  loads+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["load_ms"])' "$r")")
  layouts+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["layout_ms"])' "$r")")
  for page in report empty; do
    p=$(mktemp -d -p "$work"); t=$(ms)
    "$CHROME" "${flags[@]}" --user-data-dir="$p" --screenshot="$work/$page.png" \
      --window-size=1280,2400 "file://$work/$page.html" >/dev/null 2>&1
    d=$(( $(ms) - t ))
    if [ "$page" = report ]; then shots+=("$d"); else empties+=("$d"); fi
  done
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "| column | report | load event (median of $RUNS) | + full layout | screenshot run, report | screenshot run, empty page |"
echo "|---|---|---|---|---|---|"
printf '| %s words, %s sentences, %s marks | %s bytes | %s ms | %s ms | %s ms | %s ms |\n' \
  "$WORDS" "$SENTS" "$MARKS" "$BYTES" \
  "$(printf '%s\n' "${loads[@]}" | median)" "$(printf '%s\n' "${layouts[@]}" | median)" \
  "$(printf '%s\n' "${shots[@]}" | median)" "$(printf '%s\n' "${empties[@]}" | median)"
echo
echo "load runs: ${loads[*]} ms; layout runs: ${layouts[*]} ms"
echo "$("$CHROME" --version 2>/dev/null | head -n1) · $cpu · $(nproc) cores · model: ${MODEL[*]:-on}"
