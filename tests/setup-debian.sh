#!/usr/bin/env bash
# Installs everything Netzprisma Mail Check needs to build, run and test on Debian 12.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive

# Postfix asks a question on install; answer it before apt sees the package.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections

$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
  build-essential meson ninja-build pkg-config gettext \
  libglib2.0-dev libglib2.0-bin glib-networking libgtk-4-dev libadwaita-1-dev libjson-glib-dev libgnutls28-dev \
  desktop-file-utils appstream xvfb xauth dbus dbus-x11 \
  dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix \
  openssl ca-certificates iproute2 python3 curl libx11-dev libxdamage-dev \
  clang libclang-rt-14-dev valgrind strace \
  fonts-cantarell adwaita-icon-theme imagemagick \
  flatpak-builder flatpak ostree elfutils x11-utils at-spi2-core
