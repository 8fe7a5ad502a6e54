#!/usr/bin/env python3
"""Counts meson's test results and prints 'N passed, N failed, N skipped' as the
last line. meson's testlog.json has one JSON object per test program; for TAP
programs each subtest counts, so a suite of 40 cases is 40 results, not one."""
import json
import re
import sys

TAP_LINE = re.compile(r"^(not ok|ok)\b(.*)$")

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        line = line.strip()
        if not line:
            continue
        entry = json.loads(line)
        result = entry.get("result", "")
        sub_passed = sub_failed = sub_skipped = 0
        for out in (entry.get("stdout") or "").splitlines():
            match = TAP_LINE.match(out.strip())
            if not match:
                continue
            status, rest = match.groups()
            directive = rest.upper()
            if "# SKIP" in directive or "# TODO" in directive:
                sub_skipped += 1
            elif status == "ok":
                sub_passed += 1
            else:
                sub_failed += 1
        if sub_passed + sub_failed + sub_skipped == 0:
            if result in ("OK", "EXPECTEDFAIL"):
                sub_passed = 1
            elif result == "SKIP":
                sub_skipped = 1
            else:
                sub_failed = 1
        elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and sub_failed == 0:
            # The program crashed or timed out after its last reported subtest.
            sub_failed = 1
        passed += sub_passed
        failed += sub_failed
        skipped += sub_skipped
print(f"{passed} passed, {failed} failed, {skipped} skipped")
