#!/usr/bin/env python3
# Loads the Flatpak manifest with flatpak-builder itself (which reports misspelt keys only as a
# warning) and checks the sandbox permissions the app is meant to have, no more.
import json
import os
import shutil
import subprocess
import sys

FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
]


def main():
    path = sys.argv[1]
    tool = shutil.which('flatpak-builder')
    if tool is None:
        print('SKIP: flatpak-builder is not installed (Debian package "flatpak-builder")')
        return 77

    proc = subprocess.run([tool, '--show-manifest', path], capture_output=True, text=True)
    if proc.stderr:
        print(proc.stderr, end='')
    if proc.returncode != 0:
        print(f'FAIL: flatpak-builder --show-manifest exited with {proc.returncode}')
        return 1
    if 'Unknown property' in proc.stderr:
        print('FAIL: the manifest has a property flatpak-builder does not know (see above)')
        return 1

    manifest = json.loads(proc.stdout)
    app_id = os.path.basename(path)[:-len('.json')]
    failures = []
    if manifest.get('id', manifest.get('app-id')) != app_id:
        failures.append(f'the id does not match the file name {app_id}.json')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        failures.append('runtime and sdk must be org.gnome.Platform and org.gnome.Sdk')
    if manifest.get('command') != 'netzprisma-mailcheck':
        failures.append('command must be netzprisma-mailcheck')
    if sorted(manifest.get('finish-args', [])) != sorted(FINISH_ARGS):
        failures.append(f'finish-args are {manifest.get("finish-args")}, expected exactly {FINISH_ARGS}')
    # Single-file bundles leave out the .Locale extension; only this keeps German in them.
    if manifest.get('separate-locales') is not False:
        failures.append('separate-locales must be false, or bundles ship without translations')

    for failure in failures:
        print('FAIL: ' + failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
