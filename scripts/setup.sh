#!/usr/bin/env bash
# Installs what rhetor needs at run time besides its own binary: the ONNX Runtime shared library,
# taken from the PyPI `onnxruntime` wheel (pinned version and sha256) into a cache directory.
# rhetor finds it there, or wherever ORT_DYLIB_PATH points. Idempotent; prints the library path.
set -euo pipefail

ORT_VERSION=1.32.0
WHEEL="onnxruntime-${ORT_VERSION}-cp311-cp311-manylinux_2_28_x86_64.whl"
WHEEL_SHA256=5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d
CACHE="${RHETOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rhetor}"
DEST="$CACHE/onnxruntime-$ORT_VERSION"
LIB="$DEST/libonnxruntime.so.$ORT_VERSION"

if [ -f "$LIB" ]; then
  echo "$LIB"
  exit 0
fi
mkdir -p "$DEST"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "rhetor setup: fetching onnxruntime==$ORT_VERSION from PyPI" >&2
# Pinned to the exact wheel, whatever Python runs pip: the shared library inside needs only
# system libraries, not Python.
python3 -m pip download --quiet --no-deps --only-binary=:all: \
  --python-version 3.11 --implementation cp --platform manylinux_2_28_x86_64 \
  "onnxruntime==$ORT_VERSION" -d "$tmp" >&2
echo "$WHEEL_SHA256  $tmp/$WHEEL" | sha256sum --check --quiet >&2
python3 - "$tmp/$WHEEL" "$LIB.part" "onnxruntime/capi/libonnxruntime.so.$ORT_VERSION" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read(sys.argv[3]))
PY
mv "$LIB.part" "$LIB"
echo "$LIB"
