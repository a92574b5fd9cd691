#!/bin/sh
# Installs Debian's `chromium` for the browser tests (tests/browser.rs). Idempotent: does
# nothing when a Chromium is already on PATH. Never fails the build: where it cannot install
# (no root, no apt-get, no network), it says so and the browser tests skip with a message.
set -u

for b in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$b" >/dev/null 2>&1; then
        echo "install-browser: $b already installed: $("$b" --version 2>/dev/null | head -n 1)"
        exit 0
    fi
done

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here; skipping (browser tests will be skipped)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-browser: not root and no passwordless sudo; skipping (browser tests will be skipped)"
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium; then
    echo "install-browser: installed $(chromium --version 2>/dev/null | head -n 1)"
else
    echo "install-browser: apt-get could not install chromium; skipping (browser tests will be skipped)"
fi
exit 0
