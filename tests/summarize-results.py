#!/usr/bin/env python3
"""Counts meson's test results (testlog.json, one JSON object per line) and prints
'N passed, N failed, N skipped' as the last line. TAP tests count each subtest."""
import json
import sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        line = line.strip()
        if not line:
            continue
        entry = json.loads(line)
        result = entry.get("result", "")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
