#!/usr/bin/env python3
# Validates the merged AppStream metainfo. Every finding appstreamcli prints fails the test,
# with one documented exception.
import re
import shutil
import subprocess
import sys

# appstream 0.16 (Debian 12) predates the <developer> element of AppStream 1.0 and prints
# "I: <id>:<line>: unknown-tag developer" for it. Flathub requires exactly that element, so on
# this old validator that one finding is expected. Nothing else is excused.
OLD_VALIDATOR_DEVELOPER = re.compile(r'^I: [^:\s]+:\d+: unknown-tag developer$')
FINDING = re.compile(r'^[EWI]: ')


def main():
    metainfo = sys.argv[1]
    tool = shutil.which('appstreamcli')
    if tool is None:
        print('SKIP: appstreamcli is not installed (Debian package "appstream")')
        return 77

    proc = subprocess.run([tool, 'validate', '--no-net', '--no-color', '--explain', metainfo],
                          capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    print(output, end='')

    findings = [line for line in output.splitlines() if FINDING.match(line)]
    unexpected = [line for line in findings if not OLD_VALIDATOR_DEVELOPER.match(line)]
    if unexpected:
        print('FAIL: unexpected findings:\n  ' + '\n  '.join(unexpected))
        return 1
    if proc.returncode != 0:
        print(f'FAIL: appstreamcli exited with {proc.returncode}')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
