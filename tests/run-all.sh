#!/usr/bin/env bash
# Sets everything up on Debian 12 and runs every test suite, the way CI does.
# The last line is "N passed, N failed, N skipped", counted from meson's results.
set -uo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-_build}

bash tests/setup-debian.sh || exit 1

if [ ! -d "$BUILD" ]; then
  meson setup "$BUILD" || exit 1
fi
meson compile -C "$BUILD" || exit 1

# Widget tests need a display; Xvfb gives them one on a headless machine.
xvfb-run -a -s "-screen 0 1280x1024x24" \
  meson test -C "$BUILD" --print-errorlogs --num-processes 2 "$@"
status=$?

python3 tests/summarize-results.py "$BUILD/meson-logs/testlog.json"
exit $status
