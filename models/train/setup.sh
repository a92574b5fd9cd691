#!/usr/bin/env bash
# Create the training venv at .cache/venv (repo root) and install the pinned requirements.
# Only PyPI is needed. The torch wheel resolves ~2.7 GB of CUDA wheels; it runs on CPU fine.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="${VENV:-$ROOT/.cache/venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --upgrade pip >/dev/null
"$VENV/bin/pip" install -r "$ROOT/models/train/requirements.txt"
"$VENV/bin/pip" freeze > "$ROOT/.cache/pip-freeze.txt"
echo "venv ready: $VENV"
