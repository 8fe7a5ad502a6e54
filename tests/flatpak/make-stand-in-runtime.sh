#!/usr/bin/env bash
# Builds a stand-in for the GNOME runtime and SDK from Debian 12 packages and commits both to
# an OSTree repository, for tests/flatpak/build-and-run.sh. The real org.gnome.Platform cannot
# be downloaded on the machines that run the tests; only Debian's archive is reachable.
#
#   make-stand-in-runtime.sh CACHE_DIR
#
# Result: CACHE_DIR/repo holds
#   runtime/de.netzprisma.TestPlatform/ARCH/test   what the app runs on
#   runtime/de.netzprisma.TestSdk/ARCH/test        the platform plus compiler, meson and headers
# The IDs are our own so that neither can be mistaken for a real GNOME runtime.
#
# The package lists (platform.packages, sdk.packages) are resolved with apt against an empty
# package database, so the trees get the full dependency closure, not what this machine has.
# The resolved names and versions, this script and the lists make a key; when CACHE_DIR/key
# matches, the repository is reused and nothing is downloaded. Root only (apt, bwrap).
#
# What the package scripts of Debian would do at installation (merging /bin and /lib into
# /usr, trust store, loader and schema caches) is done here, inside the new tree with bwrap.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
PLATFORM_ID=de.netzprisma.TestPlatform
SDK_ID=de.netzprisma.TestSdk
BRANCH="test"

die () {
  echo "make-stand-in-runtime.sh: $*" >&2
  exit 1
}

[ $# -eq 1 ] || die "usage: $0 CACHE_DIR"
[ "$(id -u)" -eq 0 ] || die "needs root (apt-get download into a private directory, bwrap)"
for program in apt-get dpkg bwrap flatpak ostree flock sha256sum; do
  command -v "$program" >/dev/null || die "missing program: $program"
done

cache=$1
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
arch=$(flatpak --default-arch)

# Two runs sharing a cache would otherwise build into the same directories.
exec 9>"$cache/lock"
flock -w 3600 9 || die "could not lock $cache/lock"

stage=$cache/stage
rm -rf "$stage"
mkdir -p "$stage"
trap 'rm -rf "$stage"' EXIT

# Lists without comments and blank lines.
read_list () {
  sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1"
}

# Prints "name version" for every package apt would install on a system that has nothing
# installed, recommends left out (as in tests/setup-debian.sh).
resolve () {
  local status=$stage/empty-status out
  : >"$status"
  if ! out=$(apt-get -s -q -o Dir::State::status="$status" -o Debug::NoLocking=1 \
               -o APT::Install-Recommends=false -o APT::Install-Suggests=false \
               install "$@" 2>&1); then
    echo "$out" >&2
    die "apt could not resolve the package set"
  fi
  # "Inst libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [amd64])": only Debian's archive may
  # supply the trees; other sources configured on this machine are not part of Debian 12.
  awk '$1 == "Inst" {
         version = $3; sub(/^\(/, "", version)
         origin = $4
         if (origin !~ /^Debian/) { print "not from Debian: " $2 " " origin > "/dev/stderr"; exit 1 }
         print $2, version
       }' <<<"$out" | sort
}

mapfile -t platform_wanted < <(read_list "$here/platform.packages")
mapfile -t sdk_wanted < <(read_list "$here/sdk.packages")
resolve "${platform_wanted[@]}" >"$stage/platform.resolved"
resolve "${platform_wanted[@]}" "${sdk_wanted[@]}" >"$stage/sdk.resolved"

key=$( { echo "arch $arch"; cat "$0" "$here/platform.packages" "$here/sdk.packages" \
         "$stage/platform.resolved" "$stage/sdk.resolved"; } | sha256sum | cut -d' ' -f1)

has_refs () {
  [ -d "$cache/repo" ] &&
    ostree --repo="$cache/repo" rev-parse "runtime/$PLATFORM_ID/$arch/$BRANCH" >/dev/null 2>&1 &&
    ostree --repo="$cache/repo" rev-parse "runtime/$SDK_ID/$arch/$BRANCH" >/dev/null 2>&1
}

if [ -f "$cache/key" ] && [ "$(cat "$cache/key")" = "$key" ] && has_refs; then
  echo "stand-in runtime: cached in $cache/repo (key ${key:0:12})"
  exit 0
fi

started=$SECONDS
rm -f "$cache/key"
rm -rf "$cache/repo"

# ---------------------------------------------------------------------------------------------
# Download. The packages stay in CACHE_DIR/debs, so a change of this script or of one
# package does not fetch all of them again; a package this machine installed is usually
# still in apt's archive cache as well. Only what neither has is fetched.

debs=$cache/debs
mkdir -p "$debs"
to_fetch=()
declare -A wanted_files=()
while read -r name version; do
  # apt escapes the epoch's colon in file names.
  wanted_files["${name}_${version//:/%3a}"]=1
  pattern="${name}_${version//:/%3a}_*.deb"
  found=$(compgen -G "$debs/$pattern" | head -n 1 || true)
  if [ -z "$found" ]; then
    found=$(compgen -G "/var/cache/apt/archives/$pattern" | head -n 1 || true)
    if [ -n "$found" ]; then
      ln "$found" "$debs/" 2>/dev/null || cp "$found" "$debs/"
    else
      to_fetch+=("$name=$version")
    fi
  fi
done <"$stage/sdk.resolved"
echo "stand-in runtime: $(wc -l <"$stage/sdk.resolved") packages, ${#to_fetch[@]} to download"
if [ "${#to_fetch[@]}" -gt 0 ]; then
  # As root, apt drops to _apt for downloads, which cannot write here; the files are
  # checked against the archive's signed index either way.
  (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "${to_fetch[@]}" >"$stage/download.log" 2>&1) ||
    { tail -n 20 "$stage/download.log" >&2; die "apt-get download failed"; }
  echo "stand-in runtime: downloaded in $((SECONDS - started)) s"
fi
# Versions no longer wanted go, so the directory does not grow with every Debian update.
# NAME_VERSION_ARCH.deb: what precedes the architecture says which package and version.
for file in "$debs"/*.deb; do
  base=${file##*/}
  [ -n "${wanted_files[${base%_*}]:-}" ] || rm -f "$file"
done

deb_file () {
  local name=$1 version=$2 file
  file=$(compgen -G "$debs/${name}_${version//:/%3a}_*.deb" | head -n 1 || true)
  [ -n "$file" ] || die "no downloaded file for $name $version"
  echo "$file"
}

# ---------------------------------------------------------------------------------------------
# Trees

# Runs a command with TREE as the whole file system: TREE/files as /usr, TREE/files/etc as
# /etc, as flatpak will mount them, so what runs here writes where the runtime keeps it.
in_tree () {
  local files=$1/files
  shift
  local links=()
  local dir
  for dir in bin sbin lib lib64; do
    [ -e "$files/$dir" ] && links+=(--symlink "usr/$dir" "/$dir")
  done
  env -i PATH=/usr/bin:/usr/sbin LANG=C.UTF-8 HOME=/tmp \
    bwrap --bind "$files" /usr --bind "$files/etc" /etc "${links[@]}" \
      --proc /proc --dev /dev --tmpfs /tmp --tmpfs /var --unshare-all --die-with-parent \
      --chdir / "$@"
}

# Unpacks the packages of RESOLVED into TREE/files the way a merged-/usr Debian 12 system
# has them: /bin, /sbin and /lib of the packages go into /usr, /etc into /usr/etc (flatpak
# shows the runtime's usr/etc as /etc), everything else outside /usr is dropped (flatpak
# gives the sandbox its own /var, /tmp and /run).
unpack_tree () {
  local tree=$1 resolved=$2
  local root=$tree/root dir name version

  mkdir -p "$root"
  while read -r name version; do
    deb_file "$name" "$version"
  done <"$resolved" | xargs -P "$(nproc)" -I{} dpkg -x {} "$root"

  for dir in bin sbin lib lib32 lib64 libx32; do
    if [ -d "$root/$dir" ] && [ ! -L "$root/$dir" ]; then
      mkdir -p "$root/usr/$dir"
      cp -a "$root/$dir/." "$root/usr/$dir/"
      rm -rf "${root:?}/$dir"
    fi
  done
  mkdir -p "$root/usr/etc"
  if [ -d "$root/etc" ]; then
    cp -a "$root/etc/." "$root/usr/etc/"
  fi
  mv "$root/usr" "$tree/files"
  rm -rf "$root"
  # Documentation is not needed to run or build (the real runtimes ship it separately).
  rm -rf "$tree/files/share/doc" "$tree/files/share/man" "$tree/files/share/info" \
         "$tree/files/share/lintian" "$tree/files/share/bug"
}

# What the packages' maintainer scripts and triggers would have done on installation.
configure_tree () {
  local tree=$1
  local files=$tree/files

  # /bin/sh is set up by a maintainer script, and flatpak looks for ldconfig in /usr/bin
  # (Debian keeps it in /sbin) to build the sandbox's ld.so.cache.
  [ -e "$files/bin/sh" ] || ln -s dash "$files/bin/sh"
  [ -e "$files/bin/ldconfig" ] || ln -s ../sbin/ldconfig "$files/bin/ldconfig"
  [ -e "$files/bin/awk" ] || ln -s mawk "$files/bin/awk"

  # The library search path of the sandbox: the app's libraries first (what flatpak writes
  # when a runtime has none), then Debian's multiarch directories.
  cat >"$files/etc/ld.so.conf" <<'EOF'
# Written by tests/flatpak/make-stand-in-runtime.sh
include /run/flatpak/ld.so.conf.d/app-*.conf
include /app/etc/ld.so.conf
/app/lib
include /run/flatpak/ld.so.conf.d/runtime-*.conf
include /etc/ld.so.conf.d/*.conf
EOF

  # The trust store: every certificate of the ca-certificates package enabled, as its
  # installation does by default, then its own tool writes the bundle GnuTLS reads.
  if [ -d "$files/share/ca-certificates" ]; then
    (cd "$files/share/ca-certificates" && find . -name '*.crt' | sed 's|^\./||' | sort) \
      >"$files/etc/ca-certificates.conf"
    in_tree "$tree" update-ca-certificates --fresh >/dev/null
    [ -s "$files/etc/ssl/certs/ca-certificates.crt" ] || die "no trust store in $tree"
  fi

  # Caches that triggers of libglib2.0-0, libgdk-pixbuf-2.0-0, the icon themes and
  # shared-mime-info write; without the pixbuf loader cache GTK cannot load any icon.
  # shellcheck disable=SC2016  # expanded by the tree's shell
  in_tree "$tree" sh -euc '
    for tool in /usr/lib/*/gdk-pixbuf-2.0/gdk-pixbuf-query-loaders; do
      if [ -x "$tool" ]; then "$tool" --update-cache; fi
    done
    for tool in /usr/lib/*/glib-2.0/gio-querymodules; do
      for modules in /usr/lib/*/gio/modules; do
        if [ -x "$tool" ] && [ -d "$modules" ]; then "$tool" "$modules"; fi
      done
    done
    for tool in /usr/lib/*/glib-2.0/glib-compile-schemas; do
      if [ -x "$tool" ]; then "$tool" /usr/share/glib-2.0/schemas; fi
    done
    for theme in /usr/share/icons/*/; do
      if [ -f "$theme/index.theme" ]; then gtk-update-icon-cache -q -f "$theme"; fi
    done
    if [ -x /usr/bin/update-mime-database ]; then update-mime-database /usr/share/mime; fi
  '
}

write_metadata () {
  local tree=$1 id=$2
  # What flatpak reads from a runtime: its own name, and which platform and SDK belong
  # together (flatpak-builder builds with the SDK and the app then runs on the platform).
  cat >"$tree/metadata" <<EOF
[Runtime]
name=$id
runtime=$PLATFORM_ID/$arch/$BRANCH
sdk=$SDK_ID/$arch/$BRANCH
EOF
}

export_tree () {
  local tree=$1 id=$2 subject=$3
  flatpak build-export --runtime --files=files --disable-sandbox --no-update-summary \
    --subject="$subject" "$cache/repo" "$tree" "$BRANCH" >"$tree.export.log" 2>&1 ||
    { tail -n 20 "$tree.export.log" >&2; die "flatpak build-export of $id failed"; }
}

build_tree () {
  local name=$1 id=$2
  local tree=$stage/$name t0=$SECONDS t1 t2
  unpack_tree "$tree" "$stage/$name.resolved"
  t1=$SECONDS
  configure_tree "$tree"
  write_metadata "$tree" "$id"
  t2=$SECONDS
  export_tree "$tree" "$id" "Stand-in from $(wc -l <"$stage/$name.resolved") Debian 12 packages (key ${key:0:12})"
  echo "stand-in runtime: $id/$arch/$BRANCH committed ($(du -sh "$tree/files" | cut -f1);" \
       "unpacked in $((t1 - t0)) s, configured in $((t2 - t1)) s, committed in $((SECONDS - t2)) s)"
  rm -rf "$tree"
}

ostree --repo="$cache/repo" init --mode=bare-user-only
build_tree platform "$PLATFORM_ID"
build_tree sdk "$SDK_ID"
flatpak build-update-repo "$cache/repo" >/dev/null

echo "$key" >"$cache/key"
echo "stand-in runtime: built in $((SECONDS - started)) s into $cache/repo (key ${key:0:12})"
