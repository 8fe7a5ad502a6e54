#!/usr/bin/env bash
# The Flatpak bundle support hands out, built and run end to end on this machine.
#
#   tests/flatpak/build-and-run.sh [--log-dir DIR]
#
# The GNOME runtime cannot be downloaded here, so make-stand-in-runtime.sh builds a stand-in
# platform and SDK from Debian 12 packages (de.netzprisma.TestPlatform / TestSdk, branch
# test). Then this script
#   - builds flatpak/de.netzprisma.MailCheck.json with flatpak-builder from a copy that
#     differs only in runtime, sdk and runtime-version (checked key by key),
#   - exports a single-file bundle and installs it into a private installation
#     (FLATPAK_USER_DIR and FLATPAK_SYSTEM_DIR under the work directory; the machine's own
#     flatpak installations and ~/.var are never touched),
#   - runs it with the manifest's permissions only: the command line against the real
#     Dovecot of tests/servers/mailservers.sh in English and German (and, as controls,
#     without --ca-file and without network, where it must fail), and the window under
#     Xvfb through the X11 fallback,
#   - checks the exported desktop file, icons and metainfo, and what of the host the
#     sandbox can see.
# The harness's CA reaches the sandbox through ~/.var/app/de.netzprisma.MailCheck/, the one
# host folder a sandbox without filesystem permissions sees (HOME is private here).
#
# Output is TAP, one line per stage; a failed stage ends the run ("Bail out!") with the end
# of its log. The last line sums up: bundle size, the sandboxed check's verdict in English
# and German, and the window's time to map. Logs, the flatpak-builder output and the
# window's screenshot go to DIR (default: WORK/logs).
#
# Root only, like the real-server tests (Postfix, bwrap without user namespaces). Without
# root or a needed program the run is skipped with the reason; with CI=true it fails.
#
# Environment:
#   MC_FLATPAK_CACHE        the stand-in runtime's OSTree repository and packages, kept
#                           between runs (default ~/.cache/netzprisma-mailcheck/flatpak)
#   MC_FLATPAK_WORK         builds, the private installation and HOME of this run, emptied
#                           at the start (default /var/tmp/netzprisma-mailcheck-flatpak);
#                           must be outside the checkout
#   MC_FLATPAK_MAP_TIMEOUT  seconds the window may take to map (default 30)
#   MC_FLATPAK_BREAK=network
#                           builds from a copy without --share=network: the sandboxed
#                           check must then fail with the app's network advice, which shows
#                           that the checks run inside the sandbox (the run exits 1)
#   MC_PORT_BASE            the harness's port base (default 33000, apart from the 31000 of
#                           the integration suite, so both can run at the same time)
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

APP_ID=de.netzprisma.MailCheck
PLATFORM_ID=de.netzprisma.TestPlatform
SDK_ID=de.netzprisma.TestSdk
BRANCH="test"
# The one window title of the app (ui/mc-window.ui), English: the sandbox runs with C.UTF-8.
WINDOW_TITLE="Mail Check"

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
manifest=$src/flatpak/$APP_ID.json
# The copy must sit one level below the checkout, as the original does: the manifest's sources
# are paths like ../app, which flatpak-builder resolves against the manifest's own folder.
# _build-* is ignored by git.
copy_dir=$src/_build-flatpak
copy=$copy_dir/$APP_ID.json

cache=${MC_FLATPAK_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/netzprisma-mailcheck/flatpak}
work=${MC_FLATPAK_WORK:-/var/tmp/netzprisma-mailcheck-flatpak}
map_timeout=${MC_FLATPAK_MAP_TIMEOUT:-30}
break_what=${MC_FLATPAK_BREAK:-}
log_dir=

while [ $# -gt 0 ]; do
  case $1 in
    --log-dir) log_dir=$2; shift 2 ;;
    *) echo "usage: $0 [--log-dir DIR]" >&2; exit 2 ;;
  esac
done

# ---------------------------------------------------------------------------------------------
# Can it run here?

cannot_run () {
  if [ "${CI:-}" = true ]; then
    echo "1..1"
    echo "not ok 1 - the Flatpak suite cannot run: $1 (CI=true, so this is a failure)"
    exit 1
  fi
  echo "1..0 # SKIP $1"
  exit 0
}

[ "$(id -u)" -eq 0 ] ||
  cannot_run "needs root (the real Postfix of tests/servers/mailservers.sh, bwrap as root, apt-get download)"
missing=()
for program in flatpak flatpak-builder bwrap ostree apt-get dpkg eu-strip Xvfb xwininfo import \
               identify appstreamcli desktop-file-validate dbus-daemon gdbus msgfmt gettext \
               python3; do
  command -v "$program" >/dev/null 2>&1 || missing+=("$program")
done
[ "${#missing[@]}" -eq 0 ] ||
  cannot_run "missing programs: ${missing[*]} (bash tests/setup-debian.sh installs them)"
case $break_what in
  ''|network) ;;
  *) echo "MC_FLATPAK_BREAK must be empty or 'network'" >&2; exit 2 ;;
esac

mkdir -p "$work" "$cache"
work=$(cd "$work" && pwd)
cache=$(cd "$cache" && pwd)
# flatpak-builder's state and the build must not land in the tree it copies.
for dir in "$work" "$cache"; do
  case "$dir/" in
    "$src/"*) echo "$dir is inside the checkout $src; choose a directory outside it" >&2; exit 2 ;;
  esac
done
[ -n "$log_dir" ] || log_dir=$work/logs
mkdir -p "$log_dir"
log_dir=$(cd "$log_dir" && pwd)
# flatpak-builder makes .flatpak-builder/ in the current directory, even for --show-manifest;
# it must not be the checkout. Every path from here on is absolute.
cd "$work"

arch=$(flatpak --default-arch)
values=$work/values
bundle=$work/$APP_ID.flatpak

# Everything of the previous run goes, except the cache.
rm -rf "$values" "${work:?}/installation" "$work/system" "$work/config" "${work:?}/home" \
       "$work/runtime-dir" "$work/state" "$work/app" "$work/repo" "$work/locale" "$bundle" \
       "$work/outside-home" "$log_dir/steps" "$log_dir/flatpak-builder.log" "$log_dir/window.png" \
       "$log_dir/mailservers-log"
mkdir -p "$values" "$work/installation" "$work/system" "$work/config" "$work/home" \
         "$work/runtime-dir" "$log_dir/steps"
chmod 700 "$work/runtime-dir"

# Values one stage leaves for later ones (stages run in subshells).
put () { printf '%s\n' "$2" >"$values/$1"; }
get () { cat "$values/$1"; }

# flatpak with nothing of the caller's environment: a private installation, HOME and
# runtime directory, the C.UTF-8 locale, no Wayland (so the X11 fallback is what runs).
# An array as well as a function: started in the background through the array, the
# program's PID is what $! says (env execs it), which a function would hide in a subshell.
FENV=(env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin HOME="$work/home"
      XDG_RUNTIME_DIR="$work/runtime-dir" FLATPAK_USER_DIR="$work/installation"
      FLATPAK_SYSTEM_DIR="$work/system" FLATPAK_CONFIG_DIR="$work/config" LANG=C.UTF-8)
fenv () {
  "${FENV[@]}" "$@"
}

# ---------------------------------------------------------------------------------------------
# The real mail servers, for every stage from the checks on

harness=$src/tests/servers/mailservers.sh
harness_dir=$(mktemp -d /tmp/mailcheck-flatpak-XXXXXX)

cleanup () {
  local status=$?
  set +e
  # A second signal (meson's kill reaches every process of the group) must not cut this short.
  trap '' TERM INT
  if [ -e "$harness_dir/.mailservers" ]; then
    bash "$harness" stop "$harness_dir" >/dev/null 2>&1
    if [ "$status" -ne 0 ] && [ -d "$harness_dir/log" ]; then
      cp -r "$harness_dir/log" "$log_dir/mailservers-log"
    fi
  fi
  [ ! -s "$values/guard_pid" ] || kill "$(get guard_pid)" 2>/dev/null
  rm -rf "$harness_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# ---------------------------------------------------------------------------------------------
# Stages

stage_runtime () {
  bash "$here/make-stand-in-runtime.sh" "$cache" 2>&1 | tee "$values/runtime.out"
  put note "$(tail -n 1 "$values/runtime.out")"
}

stage_install_runtime () {
  fenv flatpak remote-add --user --no-gpg-verify stand-in "file://$cache/repo"
  fenv flatpak install --user -y --noninteractive stand-in \
    "$PLATFORM_ID//$BRANCH" "$SDK_ID//$BRANCH"
  fenv flatpak list --user --runtime --columns=ref,active
  put note "$(fenv flatpak list --user --runtime --columns=ref | tr '\n' ' ' | sed 's/ $//')"
}

stage_manifest () {
  local extra=() expected differs
  mkdir -p "$copy_dir"
  expected="runtime runtime-version sdk"
  if [ "$break_what" = network ]; then
    extra=(--without-finish-arg=--share=network)
    expected="finish-args $expected"
  fi
  python3 "$here/manifest-copy.py" write "$manifest" "$copy" \
    --runtime "$PLATFORM_ID" --sdk "$SDK_ID" --runtime-version "$BRANCH" "${extra[@]}"
  differs=$(python3 "$here/manifest-copy.py" diff "$manifest" "$copy" | tr '\n' ' ' | sed 's/ $//')
  echo "keys that differ: $differs"
  if [ "$differs" != "$expected" ]; then
    echo "the copy must differ in exactly: $expected"
    exit 1
  fi
  # flatpak-builder reads the copy as it reads the original (tests/data checks the original).
  fenv flatpak-builder --show-manifest "$copy" >/dev/null 2>"$values/show-manifest.err"
  if grep -i 'unknown property' "$values/show-manifest.err"; then
    exit 1
  fi
  put note "$copy differs in: $differs"
}

stage_build () {
  local started=$SECONDS
  # rofiles-fuse needs /dev/fuse, which containers and CI machines often lack; it only keeps
  # build steps from changing files hard-linked into flatpak-builder's cache.
  # --keep-build-dirs leaves the copied sources for stage_sources to inspect.
  if ! fenv flatpak-builder --disable-rofiles-fuse --force-clean --keep-build-dirs \
         --state-dir="$work/state" --repo="$work/repo" "$work/app" "$copy" \
         >"$log_dir/flatpak-builder.log" 2>&1; then
    tail -n 40 "$log_dir/flatpak-builder.log"
    echo "flatpak-builder failed; the whole output is in $log_dir/flatpak-builder.log"
    exit 1
  fi
  tail -n 15 "$log_dir/flatpak-builder.log"
  put note "in $((SECONDS - started)) s"
}

stage_sources () {
  local copied=$work/state/build/netzprisma-mailcheck entry path leaked=() nested=() ignored=()
  [ -d "$copied" ] || { echo "flatpak-builder kept no build directory at $copied"; exit 1; }
  ls -A "$copied"
  # The manifest names the folders and files the build needs, so no build directory of the
  # checkout (run-all.sh's, this script's, a developer's own _build-something) and no other
  # top-level folder reaches the flatpak build, whatever its name.
  for entry in "$copied"/.git "$copied"/.flatpak-builder "$copied"/_build* "$copied"/build; do
    [ ! -e "$entry" ] || leaked+=("${entry##*/}")
  done
  if command -v git >/dev/null 2>&1 && git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    while IFS= read -r path; do
      path=${path%/}
      case $path in
        */*) [ ! -e "$copied/$path" ] || nested+=("$path") ;;
        *) ignored+=("$path")
           [ ! -e "$copied/$path" ] || leaked+=("$path") ;;
      esac
    done < <(git -C "$src" ls-files --others --ignored --exclude-standard --directory)
  fi
  if [ "${#leaked[@]}" -gt 0 ]; then
    echo "copied into the flatpak build although git ignores them: ${leaked[*]}"
    exit 1
  fi
  # Ignored folders inside the copied ones (a fuzzer's corpus-*): named, not fatal.
  [ "${#nested[@]}" -eq 0 ] || put diag "copied, though git ignores them: ${nested[*]}"
  put note "none of .git ${ignored[*]}"
}

stage_bundle () {
  local size
  # No --runtime-repo: the stand-in is published nowhere. The bundle for customers names
  # Flathub's repository (README, "Build a bundle for support").
  fenv flatpak build-bundle "$work/repo" "$bundle" "$APP_ID"
  size=$(stat -c %s "$bundle")
  put bundle_size "$(awk -v b="$size" 'BEGIN { if (b >= 1e6) printf "%.1f MB", b / 1e6; else printf "%.0f kB", b / 1e3 }')"
  put note "$(get bundle_size) ($size bytes)"
}

# The permissions flatpak records for the installed app, as one sorted line per kind.
normalised_context () {
  awk -F= '
    /^\[/ { section = $0; next }
    NF == 0 { next }
    { print section " " $1 "=" $2 }
  ' | while read -r section pair; do
    local key=${pair%%=*} list=${pair#*=}
    printf '%s %s=%s\n' "$section" "$key" "$(tr ';' '\n' <<<"$list" | sed '/^$/d' | sort | tr '\n' ';')"
  done | sort
}

stage_install_bundle () {
  local runtime arg shared=() sockets=() devices=() expected installed
  fenv flatpak install --user -y --noninteractive --bundle "$bundle"
  fenv flatpak info --user "$APP_ID"
  runtime=$(fenv flatpak info --user --show-runtime "$APP_ID")
  if [ "$runtime" != "$PLATFORM_ID/$arch/$BRANCH" ]; then
    echo "the installed app runs on $runtime, not on the stand-in"
    exit 1
  fi

  # Exactly the permissions the manifest asks for, and nothing this test would not know how
  # to check: a filesystem or bus permission needs a reason, and a probe in stage_sandbox.
  while IFS= read -r arg; do
    case $arg in
      --share=*) shared+=("${arg#--share=}") ;;
      --socket=*) sockets+=("${arg#--socket=}")
                  # flatpak records fallback-x11 with x11, which it grants only without Wayland.
                  [ "$arg" != --socket=fallback-x11 ] || sockets+=(x11) ;;
      --device=*) devices+=("${arg#--device=}") ;;
      *) echo "finish-arg $arg: this test only knows --share, --socket and --device"; exit 1 ;;
    esac
  done < <(python3 "$here/manifest-copy.py" get "$copy" finish-args)
  expected=$( {
      echo "[Context]"
      [ "${#shared[@]}" -eq 0 ] || echo "shared=$(IFS=';'; echo "${shared[*]}")"
      [ "${#sockets[@]}" -eq 0 ] || echo "sockets=$(IFS=';'; echo "${sockets[*]}")"
      [ "${#devices[@]}" -eq 0 ] || echo "devices=$(IFS=';'; echo "${devices[*]}")"
    } | normalised_context)
  installed=$(fenv flatpak info --user --show-permissions "$APP_ID" | normalised_context)
  echo "permissions of the installed app:"
  echo "$installed"
  if [ "$installed" != "$expected" ]; then
    echo "expected, from the manifest's finish-args:"
    echo "$expected"
    exit 1
  fi
  put note "on $runtime; permissions: $(tr '\n' ' ' <<<"${installed//\[Context\] /}" | sed 's/ $//')"
}

stage_exports () {
  local exports=$work/installation/exports/share desktop metainfo exec icon dbus_activatable
  desktop=$exports/applications/$APP_ID.desktop
  [ -f "$desktop" ] || { echo "no exported desktop file $desktop"; exit 1; }
  desktop-file-validate "$desktop"
  exec=$(sed -n 's/^Exec=//p' "$desktop" | head -n 1)
  echo "Exec=$exec"
  # flatpak rewrites Exec to start the app through flatpak with the manifest's command.
  case $exec in
    */flatpak\ run\ *--command=netzprisma-mailcheck*\ $APP_ID*) ;;
    *) echo "Exec does not start $APP_ID with its command through flatpak run"; exit 1 ;;
  esac
  # The German of po/de.po reached the installed files (msgfmt ran in the SDK).
  grep -q '^Comment\[de\]=' "$desktop" || { echo "the desktop file has no German Comment"; exit 1; }
  icon=$(sed -n 's/^Icon=//p' "$desktop" | head -n 1)
  [ "$icon" = "$APP_ID" ] || { echo "Icon=$icon, expected $APP_ID"; exit 1; }
  cmp "$exports/icons/hicolor/scalable/apps/$APP_ID.svg" \
      "$src/data/icons/hicolor/scalable/apps/$APP_ID.svg"
  cmp "$exports/icons/hicolor/symbolic/apps/$APP_ID-symbolic.svg" \
      "$src/data/icons/hicolor/symbolic/apps/$APP_ID-symbolic.svg"

  # flatpak exports the metainfo under either of AppStream's two names.
  metainfo=$(compgen -G "$exports/metainfo/$APP_ID.*.xml" | head -n 1 || true)
  [ -n "$metainfo" ] || { echo "no metainfo exported in $exports/metainfo"; exit 1; }
  # The project's validator: appstreamcli, every finding fatal but the one Debian 12's
  # appstream cannot know (tests/data/validate-metainfo.py).
  python3 "$src/tests/data/validate-metainfo.py" "$metainfo"
  grep -q 'xml:lang="de"' "$metainfo" || { echo "the metainfo has no German"; exit 1; }
  # What software centres read: appstream-compose's catalogue and its rendered icons.
  local app_info=$work/installation/app/$APP_ID/current/active/files/share/app-info
  [ -s "$app_info/xmls/$APP_ID.xml.gz" ] ||
    { echo "flatpak-builder wrote no AppStream catalogue for the app"; exit 1; }
  [ -s "$app_info/icons/flatpak/128x128/$APP_ID.png" ] ||
    { echo "appstream-compose rendered no 128 px icon (an SVG loader missing in the SDK?)"; exit 1; }

  # D-Bus: a service file is exported only for a DBusActivatable app; the two go together.
  dbus_activatable=$(sed -n 's/^DBusActivatable=//p' "$desktop" | head -n 1)
  if [ "$dbus_activatable" = true ]; then
    [ -f "$exports/dbus-1/services/$APP_ID.service" ] ||
      { echo "DBusActivatable=true, but no D-Bus service file is exported"; exit 1; }
  elif compgen -G "$exports/dbus-1/services/*" >/dev/null; then
    echo "D-Bus service files exported for an app that is not DBusActivatable:"
    ls "$exports/dbus-1/services"
    exit 1
  fi
  find "$exports" -type f -o -type l | sed "s|^$exports/||" | sort
  put note "$(basename "$desktop") and $(basename "$metainfo") valid, with German; scalable and symbolic icon; no D-Bus service (not DBusActivatable)"
}

stage_harness () {
  MC_PORT_BASE=${MC_PORT_BASE:-33000} bash "$harness" start "$harness_dir"
  # Should this script be killed before its cleanup can run, the guard stops the servers
  # once it is gone; its own session keeps it out of a kill of our process group.
  setsid bash "$harness" guard "$$" "$harness_dir" >/dev/null 2>&1 &
  put guard_pid "$!"
  # The CA, where the sandbox can read it: the app's own folder under the (private) HOME.
  local app_folder=$work/home/.var/app/$APP_ID
  mkdir -p "$app_folder"
  # shellcheck disable=SC1091
  . "$harness_dir/env"
  cp "$MC_CA_FILE" "$app_folder/test-ca.pem"
  put note "Dovecot IMAPS on $MC_HOST:$MC_IMAP_TLS_PORT; CA copied to ~/.var/app/$APP_ID/test-ca.pem"
}

# Runs the command line in the sandbox: flatpak run [FLATPAK_OPTIONS...] -- [APP_ARGS...]
# against the harness's IMAPS port with its user and password; output in $values/out, status
# in $values/status.
sandboxed_check () {
  local flatpak_options=()
  while [ "$1" != -- ]; do flatpak_options+=("$1"); shift; done
  shift
  # shellcheck disable=SC1091
  . "$harness_dir/env"
  set +e
  printf '%s\n' "$MC_PASSWORD" |
    fenv flatpak run "${flatpak_options[@]}" "$APP_ID" --check imap --host "$MC_HOST" \
      --port "$MC_IMAP_TLS_PORT" --security tls --user "$MC_USER" --password-stdin \
      --timeout 20 "$@" >"$values/out" 2>"$values/err"
  echo $? >"$values/status"
  set -e
  cat "$values/out" "$values/err"
}

# Prints FIELD of the JSON report in $values/out (a Python expression on `r`).
report () {
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
    "$values/out" "$1"
}

# The verdict line of a text report: the last line of its first paragraph.
verdict_line () {
  awk 'NF == 0 { print previous; exit } { previous = $0 }' "$values/out"
}

ca_in_sandbox () {
  echo "$work/home/.var/app/$APP_ID/test-ca.pem"
}

stage_sandbox () {
  local probes=() visible in_sandbox
  # shellcheck disable=SC1091
  . "$harness_dir/env"
  # Host files a sandbox without filesystem permissions must not see: the checkout, the
  # harness's CA at its own path, the cache, and files beside the app's folder in HOME.
  echo canary >"$work/home/outside-the-app-folder"
  echo canary >"$work/outside-home"
  probes=("$src/flatpak/$APP_ID.json" "$MC_CA_FILE" "$cache/key" \
          "$work/home/outside-the-app-folder" "$work/outside-home" /root /home /media /mnt /srv)
  for in_sandbox in "${probes[@]}"; do
    # A probe only means something for what exists on the host.
    [ -e "$in_sandbox" ] || continue
    # shellcheck disable=SC2016  # $1 is the sandbox's shell's
    visible+=$(fenv flatpak run --command=sh "$APP_ID" -c '[ ! -e "$1" ] || echo "$1"' sh "$in_sandbox")
  done
  if [ -n "${visible:-}" ]; then
    echo "visible inside the sandbox: $visible"
    exit 1
  fi
  fenv flatpak run --command=cat "$APP_ID" /.flatpak-info
  if fenv flatpak run --command=cat "$APP_ID" /.flatpak-info | grep -E '^(filesystems|persistent)='; then
    echo "the sandbox has filesystem permissions"
    exit 1
  fi
  # The app's own folder is there and writable, so the CA copied into it is readable.
  # shellcheck disable=SC2016  # $1 is the sandbox's shell's
  fenv flatpak run --command=sh "$APP_ID" -c \
    'test -r "$1" && touch "${1%/*}/written-in-the-sandbox"' sh "$(ca_in_sandbox)"
  # The command line, given the CA at its host path, does not find it.
  sandboxed_check -- --ca-file "$MC_CA_FILE"
  if [ "$(get status)" != 2 ] || ! grep -qF "$MC_CA_FILE" "$values/err"; then
    echo "expected exit status 2 and a message naming $MC_CA_FILE"
    exit 1
  fi
  put note "the checkout, the harness's CA path, the cache and the rest of HOME are not visible; ~/.var/app/$APP_ID is"
}

stage_check_en () {
  sandboxed_check -- --ca-file "$(ca_in_sandbox)" --format json
  if [ "$(get status)" != 0 ] || [ "$(report 'r["verdict"]')" != ok ] ||
     [ "$(report 'r["auth"]["result"]')" != ok ]; then
    echo "exit status $(get status); the app's advice:"
    report '"\n".join(a["code"] + ": " + a["text"] for a in r["advice"])' || true
    exit 1
  fi
  sandboxed_check -- --ca-file "$(ca_in_sandbox)"
  [ "$(get status)" = 0 ] || exit 1
  put verdict_en "$(verdict_line)"
  put note "verdict ok, login accepted: \"$(get verdict_en)\""
}

stage_check_de () {
  local expected
  sandboxed_check --env=LANGUAGE=de -- --ca-file "$(ca_in_sandbox)"
  [ "$(get status)" = 0 ] || exit 1
  put verdict_de "$(verdict_line)"
  # What the project's catalogue says for the English verdict.
  mkdir -p "$work/locale/de/LC_MESSAGES"
  msgfmt -o "$work/locale/de/LC_MESSAGES/netzprisma-mailcheck.mo" "$src/po/de.po"
  expected=$(env -i LANG=C.UTF-8 LANGUAGE=de TEXTDOMAINDIR="$work/locale" \
               gettext -d netzprisma-mailcheck "$(get verdict_en)")
  echo "German verdict: $(get verdict_de); po/de.po: $expected"
  if [ "$(get verdict_de)" != "$expected" ] || [ "$expected" = "$(get verdict_en)" ]; then
    echo "the sandboxed check did not answer in German"
    exit 1
  fi
  put note "\"$(get verdict_de)\""
}

stage_trust_store () {
  local certificates
  # The runtime's store, as GnuTLS reads it inside the sandbox.
  certificates=$(fenv flatpak run --command=sh "$APP_ID" -c \
                   'grep -c "BEGIN CERTIFICATE" /etc/ssl/certs/ca-certificates.crt')
  echo "$certificates certificates in the sandbox's /etc/ssl/certs/ca-certificates.crt"
  [ "$certificates" -gt 100 ] || exit 1
  # Without --ca-file the system's store decides, and it does not know the test CA.
  sandboxed_check -- --format json
  if [ "$(get status)" != 1 ] ||
     [ "$(report '",".join(a["code"] for a in r["advice"])')" != certificate-untrusted ]; then
    echo "expected the check to refuse the test CA (advice certificate-untrusted)"
    exit 1
  fi
  put note "$certificates certificates; the test CA is refused (certificate-untrusted)"
}

stage_no_network () {
  # The same bundle with the network permission taken away at run time: the check must
  # fail, or the checks above would not be running inside the sandbox.
  sandboxed_check --unshare=network -- --ca-file "$(ca_in_sandbox)" --format json
  if [ "$(get status)" != 1 ] || [ "$(report 'r["verdict"]')" != failed ]; then
    echo "the check did not fail without network access"
    exit 1
  fi
  put note "the app says: $(report '" ".join(a["code"] + ": " + a["text"] for a in r["advice"])')"
}

# The window stage's processes, ended by its EXIT trap (which runs after the function has
# returned, so these are not local).
xvfb_pid=''
dbus_pid=''
app_pid=''

# Ends a child of this shell: TERM, and KILL if it is still there after 5 s.
# shellcheck disable=SC2317  # called by the trap in stage_window
end_child () {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# shellcheck disable=SC2317  # called by the trap in stage_window
stop_window () {
  set +e
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    fenv flatpak kill "$APP_ID"
    end_child "$app_pid"
  fi
  end_child "$dbus_pid"
  end_child "$xvfb_pid"
  return 0
}

stage_window () {
  local display='' address='' started now map_ms='' window='' colours=0 i
  trap stop_window EXIT

  # Xvfb picks a free display and writes its number once it accepts clients. The files exist
  # before the programs start, so reading them never races their creation.
  : >"$values/display"
  : >"$values/bus"
  Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$values/display" \
    >"$log_dir/steps/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for ((i = 0; i < 100; i++)); do
    display=$(head -n 1 "$values/display")
    [ -z "$display" ] || break
    sleep 0.1
  done
  [ -n "$display" ] || { echo "Xvfb did not start"; exit 1; }
  display=:$display
  # A session bus, as on a desktop: GtkApplication registers its ID through flatpak's proxy.
  # Under fenv, so that services it starts on the app's behalf (the accessibility bus) keep
  # their files in the private HOME; they end with the bus.
  "${FENV[@]}" dbus-daemon --session --nofork --print-address=3 3>"$values/bus" &
  dbus_pid=$!
  for ((i = 0; i < 100; i++)); do
    address=$(head -n 1 "$values/bus")
    [ -z "$address" ] || break
    sleep 0.1
  done
  [ -n "$address" ] || { echo "dbus-daemon did not start"; exit 1; }

  started=$(date +%s%N)
  "${FENV[@]}" DISPLAY="$display" DBUS_SESSION_BUS_ADDRESS="$address" flatpak run "$APP_ID" \
    >"$log_dir/steps/window.out" 2>"$log_dir/steps/window.err" &
  app_pid=$!
  # Mapped: a top-level window with the app's title is viewable (Xvfb has no window manager,
  # so mapping is the app's doing alone).
  while :; do
    window=$(DISPLAY=$display xwininfo -root -children 2>/dev/null |
               awk -v title="\"$WINDOW_TITLE\":" '$2 " " $3 == title { print $1; exit }')
    if [ -n "$window" ] && DISPLAY=$display xwininfo -id "$window" 2>/dev/null | grep -q IsViewable; then
      now=$(date +%s%N)
      map_ms=$(((now - started) / 1000000))
      break
    fi
    if ! kill -0 "$app_pid" 2>/dev/null; then
      echo "the app ended before its window mapped:"
      cat "$log_dir/steps/window.err"
      exit 1
    fi
    if [ $(($(date +%s%N) - started)) -gt $((map_timeout * 1000000000)) ]; then
      echo "no window \"$WINDOW_TITLE\" mapped within $map_timeout s"
      cat "$log_dir/steps/window.err"
      exit 1
    fi
    sleep 0.02
  done
  echo "window $window mapped after $map_ms ms"
  put map_time "$(awk -v ms="$map_ms" 'BEGIN { printf "%.2f s", ms / 1000 }')"

  # The screenshot once the window has drawn its content (more than a blank frame's colours).
  for ((i = 0; i < 100; i++)); do
    DISPLAY=$display import -window root "$log_dir/window.png"
    colours=$(identify -format '%k' "$log_dir/window.png")
    [ "$colours" -lt 50 ] || break
    sleep 0.1
  done
  [ "$colours" -ge 50 ] || { echo "the window drew nothing within 10 s ($colours colours)"; exit 1; }

  if [ "$(gdbus call --address "$address" --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
           --method org.freedesktop.DBus.NameHasOwner "$APP_ID")" != "(true,)" ]; then
    echo "the app does not own $APP_ID on the session bus"
    exit 1
  fi
  # Quit the way the app's menu does, through its exported actions.
  gdbus call --address "$address" --dest "$APP_ID" --object-path "/${APP_ID//./\/}" \
    --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null
  for ((i = 0; i < 100; i++)); do
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$app_pid" 2>/dev/null; then
    echo "the app did not quit within 10 s of app.quit"
    exit 1
  fi
  wait "$app_pid" || { echo "the app exited with status $?"; exit 1; }
  app_pid=

  cat "$log_dir/steps/window.err"
  if grep -E -e '-(WARNING|CRITICAL) \*\*' "$log_dir/steps/window.err"; then
    echo "the window warned (above)"
    exit 1
  fi
  put note "mapped in $(get map_time) (bound $map_timeout s), screenshot $log_dir/window.png ($colours colours), owned $APP_ID on the session bus, quit on app.quit"
}

# ---------------------------------------------------------------------------------------------
# Runner

stages=(
  "stand-in runtime and SDK from Debian 12 packages in the OSTree repository|stage_runtime"
  "stand-in runtime and SDK installed in the private installation|stage_install_runtime"
  "manifest copy differs from flatpak/$APP_ID.json only where it must|stage_manifest"
  "flatpak-builder builds the app on the stand-in SDK|stage_build"
  "no build directory of the checkout was copied into the flatpak build|stage_sources"
  "single-file bundle exported|stage_bundle"
  "bundle installed, on the stand-in platform, with the manifest's permissions only|stage_install_bundle"
  "exported desktop file, icons and metainfo|stage_exports"
  "real Dovecot/Postfix harness started on loopback|stage_harness"
  "the sandbox sees no host files but the app's own folder|stage_sandbox"
  "sandboxed IMAP check with a login passes (English)|stage_check_en"
  "sandboxed IMAP check in German (--env=LANGUAGE=de)|stage_check_de"
  "without --ca-file the sandbox's system trust store decides|stage_trust_store"
  "without network access (--unshare=network) the check fails with the app's advice|stage_no_network"
  "window maps under Xvfb through the X11 fallback|stage_window"
)

echo "1..${#stages[@]}"
if [ "$break_what" = network ]; then
  echo "# MC_FLATPAK_BREAK=network: the manifest copy lacks --share=network; the checks must fail"
fi
number=0
for entry in "${stages[@]}"; do
  description=${entry%|*}
  function=${entry#*|}
  number=$((number + 1))
  log=$log_dir/steps/$(printf '%02d' "$number")-${function#stage_}.log
  rm -f "$values/note" "$values/diag"
  # errexit must hold inside the stage, so the subshell is not part of a condition.
  set +e
  (set -euo pipefail; "$function") >"$log" 2>&1
  status=$?
  set -e
  if [ "$status" -eq 0 ]; then
    note=
    [ ! -s "$values/note" ] || note=" ($(get note))"
    echo "ok $number - $description$note"
    [ ! -s "$values/diag" ] || echo "# $(get diag)"
  else
    echo "not ok $number - $description"
    tail -n 30 "$log" | sed 's/^/# /'
    echo "Bail out! $description failed; its log: $log"
    exit 1
  fi
done

echo "# bundle $(get bundle_size); sandboxed check: \"$(get verdict_en)\" (en), \"$(get verdict_de)\" (de); window mapped in $(get map_time)"
