#!/usr/bin/env python3
"""Counts meson's test results over one or more testlog.json files and prints
'N passed, N failed, N skipped' as the last line. meson writes one JSON object
per test program; for TAP programs each subtest counts, so a program with 40
cases is 40 results, not one. A missing log (a build that failed) is a failure."""
import json
import re
import sys

TAP_LINE = re.compile(r"^(not ok|ok)\b(.*)$")


def count_entry(entry):
    result = entry.get("result", "")
    passed = failed = skipped = 0
    for out in (entry.get("stdout") or "").splitlines():
        match = TAP_LINE.match(out.strip())
        if not match:
            continue
        status, rest = match.groups()
        directive = rest.upper()
        if "# SKIP" in directive or "# TODO" in directive:
            skipped += 1
        elif status == "ok":
            passed += 1
        else:
            failed += 1
    if passed + failed + skipped == 0:
        if result in ("OK", "EXPECTEDFAIL"):
            passed = 1
        elif result == "SKIP":
            skipped = 1
        else:
            failed = 1
    elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and failed == 0:
        # The program crashed or timed out after its last reported subtest.
        failed = 1
    return passed, failed, skipped


totals = [0, 0, 0]
for path in sys.argv[1:]:
    try:
        log = open(path, encoding="utf-8")
    except OSError:
        totals[1] += 1
        continue
    with log:
        for line in log:
            line = line.strip()
            if line:
                for i, n in enumerate(count_entry(json.loads(line))):
                    totals[i] += n

print(f"{totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")
