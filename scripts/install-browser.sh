#!/bin/sh
# scripts/test.sh calls this; the installer itself lives in .ci/install-browser.sh.
exec "$(dirname "$0")/../.ci/install-browser.sh" "$@"
