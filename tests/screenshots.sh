#!/bin/sh
# Renders the window in its main states (empty, hints, search table, running,
# success, report buttons, certificate details, failure, advice with fixes,
# help) in English and German, at 720 px and at 360 px wide, against the fake
# IMAP server on 127.0.0.1.
#
#   tests/screenshots.sh [OUTDIR]        default: data/screenshots/
#
# Environment: BUILDDIR (default _build-ui). Needs xvfb-run.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$here/_build-ui}
outdir=${1:-$here/data/screenshots}

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$here"
fi
# Only what the pictures need: the tool and the German catalogue.
ninja -C "$builddir" tests/ui/mc-screenshot netzprisma-mailcheck-gmo >/dev/null

mkdir -p "$outdir"

shoot() {
  # $1: suffix for the file names; the rest: environment for the language
  suffix=$1
  shift
  env "$@" \
    GSETTINGS_BACKEND=memory \
    GSETTINGS_SCHEMA_DIR="$builddir/data" \
    MC_LOCALEDIR="$builddir/po" \
    GTK_A11Y=none \
    xvfb-run -a -s "-screen 0 1280x1024x24" \
    "$builddir/tests/ui/mc-screenshot" "$outdir" "$suffix" 2>&1 \
    | grep -v -e "session bus" -e "shader cache" || true
}

shoot "" LANGUAGE=en LANG=C.UTF-8 LC_ALL=C.UTF-8
# LANGUAGE is ignored in the C locale; C.UTF-8 makes it count.
shoot "-de" LANGUAGE=de LANG=C.UTF-8 LC_ALL=C.UTF-8

ls "$outdir"/*.png
