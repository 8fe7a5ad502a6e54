#!/usr/bin/env bash
# Sets everything up on Debian 12 and runs every test, the way CI does:
#   1. the normal build: all suites (core, diagnosis, po, fuzz replay, data, integration
#      with real Dovecot/Postfix, ui under Xvfb)
#   2. the same suites built with AddressSanitizer + UndefinedBehaviorSanitizer
#   3. the libFuzzer targets (clang) for FUZZ_SECONDS each (default 20)
#   4. the Flatpak bundle, built and run on a stand-in runtime (tests/flatpak), when flatpak
#      is installed
# The last line is "N passed, N failed, N skipped", counted from meson's results.
# Set MC_QUICK=1 to run only the normal build.
set -uo pipefail

cd "$(dirname "$0")/.."

bash tests/setup-debian.sh || exit 1

logs=()
status=0

run_suites () {
  local build=$1; shift
  local setup_args=("$@")

  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "${setup_args[@]}" || return 1
  fi
  meson compile -C "$build" || return 1
  logs+=("$build/meson-logs/testlog.json")
}

# 1. Normal build. Widget tests need a display; Xvfb gives them one.
if run_suites _build; then
  xvfb-run -a -s "-screen 0 1280x1024x24" \
    meson test -C _build --print-errorlogs --num-processes 2 || status=1
else
  status=1
fi

if [ "${MC_QUICK:-0}" != 1 ]; then
  # 2. Sanitizers. Leak checking is valgrind's job (integration suite): LeakSanitizer
  #    reports GLib's one-time type registrations as leaks.
  if run_suites _build-asan -Db_sanitize=address,undefined -Db_lundef=false; then
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    xvfb-run -a -s "-screen 0 1280x1024x24" \
      meson test -C _build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3 || status=1
  else
    status=1
  fi

  # 3. Fuzzing for a CI-sized time; longer runs: FUZZ_SECONDS=3600 tests/run-all.sh
  if CC=clang run_suites _build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false; then
    meson test -C _build-fuzz --suite fuzzing --print-errorlogs || status=1
  else
    status=1
  fi

  # 4. The Flatpak bundle (its own test setup; a plain `meson test` leaves it out). Last, so
  #    that the checkout it copies holds every build directory of this script.
  if ! command -v flatpak >/dev/null 2>&1; then
    echo "run-all.sh: flatpak suite skipped: flatpak is not installed (Debian package flatpak)"
  elif [ -f _build/build.ninja ]; then
    logs+=(_build/meson-logs/testlog-flatpak.json)
    meson test -C _build --setup flatpak --suite flatpak --print-errorlogs || status=1
  else
    echo "run-all.sh: flatpak suite skipped: the normal build in _build failed (counted above)"
  fi
fi

python3 tests/summarize-results.py "${logs[@]}"
exit $status
