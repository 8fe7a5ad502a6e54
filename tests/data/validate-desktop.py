#!/usr/bin/env python3
# Validates the merged desktop file. desktop-file-validate exits 0 on warnings; here warnings fail
# the test too, so problems cannot pile up unnoticed. Hints are advice, printed but not fatal:
# "Network;Utility;" names two main categories on purpose, which 0.26 hints about.
import shutil
import subprocess
import sys


def main():
    desktop = sys.argv[1]
    tool = shutil.which('desktop-file-validate')
    if tool is None:
        print('SKIP: desktop-file-validate is not installed (Debian package "desktop-file-utils")')
        return 77

    proc = subprocess.run([tool, desktop], capture_output=True, text=True)
    lines = (proc.stdout + proc.stderr).splitlines()
    for line in lines:
        print(line)
    problems = [line for line in lines if ': hint: ' not in line]
    if proc.returncode != 0 or problems:
        print(f'FAIL: desktop-file-validate exited with {proc.returncode} and reported problems')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
