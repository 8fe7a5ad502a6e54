#!/usr/bin/env bash
# Runs one libFuzzer target for a while (FUZZ_SECONDS, default 20) on a copy of
# its seed corpus. A crash is copied to tests/fuzz/regressions/NAME/, where every
# normal build replays it from then on, and the test fails.
set -uo pipefail

exe=$1 name=$2 seeds=$3 regressions=$4 work=$5
seconds=${FUZZ_SECONDS:-20}

mkdir -p "$work/corpus" "$work/artifacts"
cp -n "$seeds"/* "$work/corpus/" 2>/dev/null || true

"$exe" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" 2>"$work/fuzz.log"
status=$?
tail -n 15 "$work/fuzz.log"

if [ $status -ne 0 ]; then
  mkdir -p "$regressions"
  for crash in "$work"/artifacts/*; do
    [ -f "$crash" ] || continue
    cp "$crash" "$regressions/"
    echo "crash saved as $regressions/$(basename "$crash")"
  done
  exit 1
fi
