#!/usr/bin/env bash
# Screenshots of the example reports (reports/examples/) in headless Chromium, for review:
#   sample-column.png   the top 2400 px at 1280 px wide (masthead, glance, arc, first sections)
#   sample-column-full.png  the whole page
#   hostile-column.png  the hostile column rendered as text
# Regenerate the reports first (reports/examples/generate.sh). Needs `chromium`
# (scripts/install-browser.sh); exits 0 with a message where it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

CHROME="${RHETOR_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [ -z "$CHROME" ]; then
  echo "screenshots: no Chromium found; skipping (run scripts/install-browser.sh)" >&2
  exit 0
fi
OUT=reports/screenshots
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shot() { # shot PAGE PNG HEIGHT
  "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" --screenshot="$2" --window-size="1280,$3" \
    "file://$PWD/$1" >/dev/null 2>&1
  echo "screenshots: wrote $2" >&2
}

shot reports/examples/report.html "$OUT/sample-column.png" 2400
# The whole page: tall enough for the tables at the end.
shot reports/examples/report.html "$OUT/sample-column-full.png" 4400
shot reports/examples/hostile-report.html "$OUT/hostile-column.png" 1800
