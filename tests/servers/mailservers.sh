#!/usr/bin/env bash
# Real mail servers as test peers: Dovecot (IMAP, POP3) and a second Postfix instance
# (SMTP on the 25/465/587 roles) on loopback high ports, with a CA made at run time.
#
#   mailservers.sh start DIR        set up everything in DIR (absolute), start, wait, write DIR/env
#   mailservers.sh stop DIR         stop both servers; safe to repeat
#   mailservers.sh guard PID DIR    wait until process PID is gone, then stop (a safety net for
#                                   test programs that abort before they can stop the servers)
#
# Exit status 77 means "cannot run here" (not root, programs missing); the reason is on stderr.
# Sending: Postfix checks which login may use which sender address (smtpd_sender_login_maps:
# alice@example.test as alice@example.test, bob as bob@example.test), and base + 588 is a
# submission port on which a logged-in client may not relay (the envelope check's relay-denied).
# None of these ports takes a message (DATA is refused).
# Delivery: base + 26 (the port 25 role, plain) and base + 589 (submission, STARTTLS and
# login) take mail for example.test and Postfix hands it to Dovecot over LMTP, which stores it
# in MC_MAILDIR; Postfix records TLS in its Received lines, under the names the provider
# profile knows as its own (mx01/mail01.netzprisma.de), for tests of the delivery path parser.
# Without Dovecot's LMTP server (Debian: dovecot-lmtpd) those two ports are left out, the rest
# runs as before, and MC_DELIVERY_UNAVAILABLE in DIR/env says why.
# Environment: MC_PORT_BASE (default 31000; port = base + standard port, e.g. 31993),
# MC_TEST_PASSWORD (default: a fresh random canary), MC_START_TIMEOUT (seconds, default 30).
#
# Standard ports, for tests of --detect and of advice that names the usual ports:
#   MC_STANDARD_PORTS_HOST=127.0.0.4   Dovecot and Postfix also listen on 110, 995, 143, 993,
#                                      25, 587 and 465 of this loopback address.
#   MC_STANDARD_PORTS_GAPS="127.0.0.5:465 127.0.0.6:587"
#                                      further addresses with the standard ports except the
#                                      one named, which stays free for a test's own silent or
#                                      SYN-dropping listener.
# The server certificate names every one of these addresses. `stop` fails if any listener
# of the run is still open afterwards.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

HOST=127.0.0.2
# A second listening address whose certificate names someone else: tests for name mismatch.
MISMATCH_HOST=127.0.0.3
SERVER_NAME=localhost
MISMATCH_NAME=other.example.test
# Debian's order within each protocol: implicit TLS, STARTTLS (and SMTP's relay port).
STANDARD_PORTS=(110 995 143 993 25 587 465)
TEST_USER=alice@example.test
TEST_USER_SHORT=bob
# The names the delivering listeners and Dovecot's LMTP write into Received lines: mail
# servers of data/providers/netzprisma.ini (MailHosts=). The command line judges a header
# against that built-in profile only, so with any other name every hop would read
# "claimed by the previous server" and the plain hop "unknown" instead of "not encrypted".
# Only those listeners and LMTP use them; everything else still greets as mail.example.test.
INBOUND_MAIL_HOST=mx01.netzprisma.de
CUSTOMER_MAIL_HOST=mail01.netzprisma.de
MAIN_CF=/etc/postfix/main.cf
LMTP_PROGRAM=/usr/lib/dovecot/lmtp

die () {
  echo "mailservers.sh: $*" >&2
  exit 1
}

unavailable () {
  echo "mailservers.sh: unavailable: $*" >&2
  exit 77
}

usage () {
  echo "usage: $0 start DIR | stop DIR | guard PID DIR   (DIR must be an absolute path)" >&2
  exit 2
}

check_dir_argument () {
  local dir=$1

  case "$dir" in
    /*) ;;
    *) echo "mailservers.sh: DIR must be absolute: $dir" >&2; exit 2 ;;
  esac
  # Dovecot and Postfix both split some settings on white space.
  if [[ "$dir" =~ [[:space:],] ]]; then
    echo "mailservers.sh: DIR must not contain spaces or commas: $dir" >&2
    exit 2
  fi
}

compute_ports () {
  local base=${MC_PORT_BASE:-31000}

  if ! [[ "$base" =~ ^[0-9]+$ ]] || [ "$base" -lt 1024 ] || [ "$base" -gt 64000 ]; then
    echo "mailservers.sh: MC_PORT_BASE must be a number from 1024 to 64000" >&2
    exit 2
  fi
  IMAP_PORT=$((base + 143))
  IMAPS_PORT=$((base + 993))
  POP3_PORT=$((base + 110))
  POP3S_PORT=$((base + 995))
  SMTP_PORT=$((base + 25))
  SUBMISSION_PORT=$((base + 587))
  SUBMISSIONS_PORT=$((base + 465))
  # Next to submission: the same role, but logged-in clients may not relay.
  NORELAY_PORT=$((base + 588))
  # Next to 25 and 588: the same roles, but what they accept is delivered into Dovecot (the
  # delivery path test, tests/integration/test-received-real.c).
  DELIVERY_SMTP_PORT=$((base + 26))
  DELIVERY_SUBMISSION_PORT=$((base + 589))
}

# A loopback address of our own: never 127.0.0.1 (Dovecot would trust a client on its own
# address, see write_dovecot_config), nor the two the high ports use.
check_extra_address () {
  local address=$1 what=$2

  if ! [[ "$address" =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]]; then
    echo "mailservers.sh: $what must be a loopback IPv4 address (127.x.y.z): $address" >&2
    exit 2
  fi
  case "$address" in
    127.0.0.1|127.0.0.0|127.255.255.255|"$HOST"|"$MISMATCH_HOST")
      echo "mailservers.sh: $what cannot be $address (reserved or already used by the harness)" >&2
      exit 2 ;;
  esac
}

is_standard_port () {
  local port

  for port in "${STANDARD_PORTS[@]}"; do
    [ "$port" = "$1" ] && return 0
  done
  return 1
}

# Sets STANDARD_HOSTS (every address with standard ports), GAP_ENTRIES (address:port left
# free) and, per standard port, the addresses that serve it: STANDARD_ADDRESSES_<port>.
compute_standard_listeners () {
  local standard=${MC_STANDARD_PORTS_HOST:-}
  local gaps=${MC_STANDARD_PORTS_GAPS:-}
  local entry address port seen=" "

  STANDARD_HOSTS=()
  GAP_ENTRIES=()
  if [ -n "$standard" ]; then
    check_extra_address "$standard" MC_STANDARD_PORTS_HOST
    STANDARD_HOSTS+=("$standard")
    seen+="$standard "
  fi
  for entry in $gaps; do
    address=${entry%:*}
    port=${entry##*:}
    check_extra_address "$address" MC_STANDARD_PORTS_GAPS
    if [ "$entry" = "$address" ] || ! is_standard_port "$port"; then
      echo "mailservers.sh: MC_STANDARD_PORTS_GAPS entries are ADDRESS:PORT with one of the" \
           "standard ports ${STANDARD_PORTS[*]}: $entry" >&2
      exit 2
    fi
    if [[ "$seen" == *" $address "* ]]; then
      echo "mailservers.sh: $address appears twice in MC_STANDARD_PORTS_HOST/_GAPS" >&2
      exit 2
    fi
    seen+="$address "
    STANDARD_HOSTS+=("$address")
    GAP_ENTRIES+=("$address:$port")
  done

  for port in "${STANDARD_PORTS[@]}"; do
    local serving=()

    for address in "${STANDARD_HOSTS[@]}"; do
      is_gap "$address" "$port" || serving+=("$address")
    done
    printf -v "STANDARD_ADDRESSES_$port" '%s' "${serving[*]}"
  done
}

is_gap () {
  local entry

  for entry in "${GAP_ENTRIES[@]}"; do
    [ "$entry" = "$1:$2" ] && return 0
  done
  return 1
}

# Addresses serving a standard port, separated by $2 (default: space).
standard_addresses () {
  local name=STANDARD_ADDRESSES_$1
  local separator=${2:- }
  local list=${!name}

  echo "${list// /$separator}"
}

# Every address:port:name this run listens on, one a line.
all_listeners () {
  local port address

  echo "$HOST:$IMAP_PORT:Dovecot IMAP"
  echo "$HOST:$IMAPS_PORT:Dovecot IMAPS"
  echo "$HOST:$POP3_PORT:Dovecot POP3"
  echo "$HOST:$POP3S_PORT:Dovecot POP3S"
  echo "$MISMATCH_HOST:$IMAPS_PORT:Dovecot IMAPS (mismatch address)"
  echo "$HOST:$SMTP_PORT:Postfix SMTP"
  echo "$HOST:$SUBMISSION_PORT:Postfix submission"
  echo "$HOST:$SUBMISSIONS_PORT:Postfix submissions"
  echo "$HOST:$NORELAY_PORT:Postfix submission without relaying"
  if [ -z "$DELIVERY_UNAVAILABLE" ]; then
    echo "$HOST:$DELIVERY_SMTP_PORT:Postfix SMTP delivering into Dovecot"
    echo "$HOST:$DELIVERY_SUBMISSION_PORT:Postfix submission delivering into Dovecot"
  fi
  for port in "${STANDARD_PORTS[@]}"; do
    for address in $(standard_addresses "$port"); do
      echo "$address:$port:standard port $port"
    done
  done
}

check_requirements () {
  local missing=()
  local program

  for program in openssl /usr/sbin/dovecot /usr/sbin/postfix /usr/sbin/postconf flock; do
    command -v "$program" >/dev/null 2>&1 || missing+=("$program")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    unavailable "missing programs: ${missing[*]} (Debian: apt-get install dovecot-imapd dovecot-pop3d postfix openssl util-linux)"
  fi
  if [ "$(id -u)" -ne 0 ]; then
    unavailable "Postfix needs root: its master daemon must start as root and the second instance must be registered in $MAIN_CF (CI runs as root)"
  fi
  getent passwd postfix >/dev/null || unavailable "user 'postfix' does not exist (is the postfix package installed?)"
}

# Delivery into Dovecot needs its LMTP server, a package of its own; only the delivery path
# test depends on it, so the other tests still run without it.
check_delivery () {
  DELIVERY_UNAVAILABLE=""
  if [ ! -x "$LMTP_PROGRAM" ]; then
    DELIVERY_UNAVAILABLE="the Dovecot LMTP server $LMTP_PROGRAM is missing (Debian: apt-get install dovecot-lmtpd)"
    echo "mailservers.sh: no delivery into Dovecot: $DELIVERY_UNAVAILABLE" >&2
  fi
}

# Account names the servers drop privileges to; Debian's packages create dovecot/dovenull.
pick_users () {
  if getent passwd dovecot >/dev/null && getent passwd dovenull >/dev/null; then
    DOVECOT_INTERNAL_USER=dovecot
    DOVECOT_LOGIN_USER=dovenull
  else
    DOVECOT_INTERNAL_USER=nobody
    DOVECOT_LOGIN_USER=nobody
  fi
  MAIL_USER=nobody
  MAIL_GROUP=$(id -gn nobody)
}

port_open () {
  timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# main.cf registration of the second Postfix instance

# Parallel runs edit the same line; the lock is on the directory because postconf -e
# replaces main.cf with a new file.
with_main_cf_lock () {
  (
    flock -w 30 9 || die "could not lock /etc/postfix"
    "$@"
  ) 9</etc/postfix
}

# The registered directories without $1, space-separated; sets WAS_REGISTERED.
alternate_dirs_without () {
  local remove=$1
  local current item
  local items=() kept=()

  WAS_REGISTERED=no
  current=$(postconf -c /etc/postfix -h alternate_config_directories 2>/dev/null || true)
  read -r -a items <<<"${current//,/ }"
  for item in "${items[@]}"; do
    if [ "$item" = "$remove" ]; then
      WAS_REGISTERED=yes
    else
      kept+=("$item")
    fi
  done
  KEPT_DIRS="${kept[*]}"
}

register_instance () {
  local conf=$1

  [ -e "$MAIN_CF" ] || : >"$MAIN_CF"
  alternate_dirs_without "$conf"
  postconf -c /etc/postfix -e "alternate_config_directories = ${KEPT_DIRS:+$KEPT_DIRS }$conf"
}

unregister_instance () {
  local conf=$1

  [ -e "$MAIN_CF" ] || return 0
  alternate_dirs_without "$conf"
  [ "$WAS_REGISTERED" = yes ] || return 0
  if [ -n "$KEPT_DIRS" ]; then
    postconf -c /etc/postfix -e "alternate_config_directories = $KEPT_DIRS"
  else
    postconf -c /etc/postfix -X alternate_config_directories
  fi
}

# ---------------------------------------------------------------------------------------------
# Certificates

make_certificates () {
  local dir=$1
  local ca=$dir/ca certs=$dir/certs

  mkdir -p "$ca" "$certs"

  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$ca/ca.key" -out "$ca/ca.pem" -days 3 \
    -subj "/O=Mail Check tests/CN=Mail Check Test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>>"$dir/log/openssl.log" || return 1
  chmod 600 "$ca/ca.key"
  chmod 644 "$ca/ca.pem"

  local san="IP:$HOST,DNS:$SERVER_NAME" address

  for address in "${STANDARD_HOSTS[@]}"; do
    san+=",IP:$address"
  done
  make_server_certificate "$dir" server "$SERVER_NAME" "$san" || return 1
  make_server_certificate "$dir" other "$MISMATCH_NAME" "DNS:$MISMATCH_NAME" || return 1
}

make_server_certificate () {
  local dir=$1 name=$2 common_name=$3 san=$4
  local certs=$dir/certs

  cat >"$certs/$name.ext" <<EOF
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $san
EOF
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$certs/$name.key" -out "$certs/$name.csr" \
    -subj "/O=Mail Check tests/CN=$common_name" 2>>"$dir/log/openssl.log" || return 1
  openssl x509 -req -in "$certs/$name.csr" -CA "$dir/ca/ca.pem" -CAkey "$dir/ca/ca.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 2 -extfile "$certs/$name.ext" \
    -out "$certs/$name.pem" 2>>"$dir/log/openssl.log" || return 1
  chmod 600 "$certs/$name.key"
  chmod 644 "$certs/$name.pem"
}

# ---------------------------------------------------------------------------------------------
# Dovecot

write_dovecot_config () {
  local dir=$1 password=$2
  local d=$dir/dovecot

  mkdir -p "$d" "$dir/mail"
  chown "$MAIL_USER:$MAIL_GROUP" "$dir/mail"

  # A password file of our own; never the system's accounts.
  (
    umask 077
    printf '%s:{PLAIN}%s::::::\n' "$TEST_USER" "$password" >"$d/passwd"
    printf '%s:{PLAIN}%s::::::\n' "$TEST_USER_SHORT" "$password" >>"$d/passwd"
  )
  # Dovecot's auth worker reads it after dropping root.
  chown "$DOVECOT_INTERNAL_USER" "$d/passwd"

  # The login processes are not chrooted, so the same file works with and without root.
  cat >"$d/dovecot.conf" <<EOF
# Written by tests/servers/mailservers.sh; removed with the test directory.
protocols = imap pop3
# 127.0.0.2, not 127.0.0.1: Dovecot trusts a client on its own address and would then
# allow plaintext login, which is exactly what the tests must see refused.
listen = $HOST, $MISMATCH_HOST
base_dir = $d/run
state_dir = $d/state
log_path = $dir/log/dovecot.log
info_log_path = $dir/log/dovecot.log
default_internal_user = $DOVECOT_INTERNAL_USER
default_login_user = $DOVECOT_LOGIN_USER
shutdown_clients = yes

ssl = yes
ssl_cert = <$dir/certs/server.pem
ssl_key = <$dir/certs/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
auth_verbose = yes

mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/passwd
}
userdb {
  driver = static
  args = uid=$MAIL_USER gid=$MAIL_GROUP home=$dir/mail/%u
}

local $MISMATCH_HOST {
  ssl_cert = <$dir/certs/other.pem
  ssl_key = <$dir/certs/other.key
}

service auth {
  # Postfix asks Dovecot whether a SASL login is right (smtpd_sasl_type = dovecot).
  unix_listener auth-postfix {
    mode = 0666
  }
}
service anvil {
  chroot =
  # Without this socket the auth process skips its growing delay after failed logins, which
  # would otherwise slow every wrong-password test after the first by seconds.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    port = $POP3_PORT
  }
  inet_listener pop3s {
    port = $POP3S_PORT
    ssl = yes
  }
}
EOF
  write_dovecot_standard_listeners >>"$d/dovecot.conf"
  [ -n "$DELIVERY_UNAVAILABLE" ] || write_dovecot_lmtp >>"$d/dovecot.conf"
}

# LMTP only on a socket in base_dir, where Postfix's delivering listeners hand mail over.
write_dovecot_lmtp () {
  cat <<EOF
protocols = \$protocols lmtp
protocol lmtp {
  # "by" of the Received line LMTP adds: the provider's mailbox server.
  hostname = $CUSTOMER_MAIL_HOST
}
service lmtp {
  # Only Postfix's lmtp client may deliver (it runs as Postfix's mail_owner).
  unix_listener lmtp {
    user = postfix
    mode = 0600
  }
}
EOF
}

# One more listener per standard port, on the addresses that serve it; the service
# sections merge with the ones above.
write_dovecot_standard_listeners () {
  local service name port ssl addresses

  for service in "imap-login imap_standard 143 no" "imap-login imaps_standard 993 yes" \
                 "pop3-login pop3_standard 110 no" "pop3-login pop3s_standard 995 yes"; do
    read -r service name port ssl <<<"$service"
    addresses=$(standard_addresses "$port" ", ")
    [ -n "$addresses" ] || continue
    cat <<EOF
service $service {
  inet_listener $name {
    address = $addresses
    port = $port
    ssl = $ssl
  }
}
EOF
  done
}

dovecot_pid () {
  local pidfile=$1/dovecot/run/master.pid

  [ -s "$pidfile" ] || return 1
  local pid
  pid=$(head -n 1 "$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  # Only our master: its command line names our configuration file.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -F -e "$1/dovecot/dovecot.conf" || return 1
  echo "$pid"
}

# ---------------------------------------------------------------------------------------------
# Postfix

write_postfix_config () {
  local dir=$1
  local p=$dir/postfix

  mkdir -p "$p" "$dir/postfix-queue" "$dir/postfix-data"
  chown root:root "$dir/postfix-queue"
  chown postfix: "$dir/postfix-data"
  chmod 700 "$dir/postfix-data"

  cat >"$p/main.cf" <<EOF
# Written by tests/servers/mailservers.sh; registered in $MAIN_CF while running.
compatibility_level = 3.6
queue_directory = $dir/postfix-queue
data_directory = $dir/postfix-data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-mailcheck

# Without syslog, every Postfix message goes to this file.
maillog_file = $dir/log/postfix.log
maillog_file_prefixes = /var, /dev/stdout, $dir/log

myhostname = mail.example.test
mydomain = example.test
myorigin = \$myhostname
mydestination =
relay_domains =
mynetworks = 127.0.0.2/32
# Postfix accepts only addresses of an interface here, and 127.0.0.2 is not one; master.cf
# names 127.0.0.2 for each listener instead.
inet_interfaces = loopback-only
inet_protocols = ipv4
# The tests only log in; nothing may ever leave this machine.
default_transport = error:outbound delivery is disabled in tests
local_transport = error:local delivery is disabled in tests
alias_maps =
alias_database =
local_recipient_maps =
biff = no
append_dot_mydomain = no
smtpd_banner = \$myhostname ESMTP
smtpd_error_sleep_time = 0s
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
# Which login may send as which address (the envelope check): alice only as herself, the
# login "bob" as bob@example.test. Postfix says so at RCPT TO (smtpd_delay_reject = yes).
smtpd_sender_login_maps = inline:{ alice@example.test=alice@example.test, bob@example.test=bob }
smtpd_sender_restrictions = reject_sender_login_mismatch
# The envelope check's own address as recipient: accepted (the error transport above would
# refuse it at RCPT TO), and any message that still came would be dropped here. None may:
# DATA is refused outright.
transport_maps = inline:{ example.test=discard: }
smtpd_data_restrictions = reject
# Except on the two delivering listeners of master.cf (the delivery path test): there DATA is
# allowed, and content_filter sends what they accept past transport_maps to Dovecot's LMTP
# socket. The inbound one takes mail for example.test from anyone, as an MX does for its
# domain; Dovecot refuses users it does not know.
mailcheck_delivery_filter = lmtp:unix:$dir/dovecot/run/lmtp
mailcheck_inbound_relay_restrictions = check_recipient_access inline:{ example.test=OK }, reject

smtpd_tls_cert_file = $dir/certs/server.pem
smtpd_tls_key_file = $dir/certs/server.key
smtpd_tls_security_level = may
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_auth_only = yes
smtpd_tls_loglevel = 1
# "(using TLSv1.3 with cipher ...)" in Received lines, as the provider's servers write them;
# only the delivering listeners ever write one (the others refuse DATA).
smtpd_tls_received_header = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $dir/dovecot/run/auth-postfix
smtpd_sasl_authenticated_header = no
EOF

  # chroot "n" everywhere: smtpd must reach Dovecot's socket and our certificates by absolute path.
  cat >"$p/master.cf" <<EOF
# service                 type  private unpriv  chroot  wakeup  maxproc command + args
$HOST:$SMTP_PORT      inet  n       -       n       -       -       smtpd
$HOST:$SUBMISSION_PORT inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mailcheck/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
$HOST:$SUBMISSIONS_PORT inet n      -       n       -       -       smtpd
  -o syslog_name=postfix-mailcheck/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
$HOST:$NORELAY_PORT inet n          -       n       -       -       smtpd
  -o syslog_name=postfix-mailcheck/norelay
  -o smtpd_tls_security_level=encrypt
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=reject_unauth_destination
EOF
  [ -n "$DELIVERY_UNAVAILABLE" ] || write_postfix_delivery_listeners >>"$p/master.cf"
  write_postfix_standard_listeners >>"$p/master.cf"
  cat >>"$p/master.cf" <<EOF
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

# The delivery path test's listeners: port 25's role without TLS as the provider's inbound
# server, submission with STARTTLS and login as its customer server. Both take DATA and
# deliver into Dovecot. The client is not looked up: 127.0.0.1 would be "localhost", which
# makes any hop internal, and another address would ask DNS, off this machine.
write_postfix_delivery_listeners () {
  cat <<EOF
$HOST:$DELIVERY_SMTP_PORT inet n     -       n       -       -       smtpd
  -o syslog_name=postfix-mailcheck/inbound
  -o myhostname=$INBOUND_MAIL_HOST
  -o smtpd_peername_lookup=no
  -o smtpd_relay_restrictions=\$mailcheck_inbound_relay_restrictions
  -o smtpd_data_restrictions=
  -o content_filter=\$mailcheck_delivery_filter
$HOST:$DELIVERY_SUBMISSION_PORT inet n -     n       -       -       smtpd
  -o syslog_name=postfix-mailcheck/delivery
  -o myhostname=$CUSTOMER_MAIL_HOST
  -o smtpd_peername_lookup=no
  -o smtpd_tls_security_level=encrypt
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_data_restrictions=
  -o content_filter=\$mailcheck_delivery_filter
EOF
}

# The same three roles on the standard ports of the extra addresses.
write_postfix_standard_listeners () {
  local address

  for address in $(standard_addresses 25); do
    echo "$address:25 inet  n       -       n       -       -       smtpd"
  done
  for address in $(standard_addresses 587); do
    cat <<EOF
$address:587 inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mailcheck/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
EOF
  done
  for address in $(standard_addresses 465); do
    cat <<EOF
$address:465 inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mailcheck/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
EOF
  done
}

# The postfix command reports errors only to syslog, or to stderr when that is a terminal;
# without syslog, a failure is repeated under script(1) to get the reason into our log.
postfix_command () {
  local dir=$1 action=$2

  postfix -c "$dir/postfix" "$action" >>"$dir/log/postfix-start.log" 2>&1 && return 0
  if command -v script >/dev/null 2>&1 && [ "$action" = check ]; then
    script -qec "postfix -c '$dir/postfix' check" /dev/null >>"$dir/log/postfix-start.log" 2>&1 || true
  fi
  return 1
}

postfix_pid () {
  local pidfile=$1/postfix-queue/pid/master.pid

  [ -s "$pidfile" ] || return 1
  local pid
  pid=$(tr -d ' ' <"$pidfile" | head -n 1)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  # Only a Postfix master; a recycled pid of something else is left alone.
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = master ] || return 1
  echo "$pid"
}

# ---------------------------------------------------------------------------------------------
# Stopping

# A daemon that exited stays a zombie until whoever adopted it reaps it; that counts as gone.
alive () {
  local state

  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# From /proc, since procps (pgrep) is not always installed.
children_of () {
  local parent=$1
  local stat line fields

  for stat in /proc/[0-9]*/stat; do
    line=$(cat "$stat" 2>/dev/null) || continue
    # Fields after the command name, which is in parentheses and may contain spaces.
    read -r -a fields <<<"${line##*) }"
    if [ "${fields[1]:-}" = "$parent" ]; then
      stat=${stat#/proc/}
      echo "${stat%/stat}"
    fi
  done
}

# Waits until the process and the children it had are gone; kills what is left after $2 s.
wait_gone () {
  local pid=$1 seconds=$2
  local children child i

  children=$(children_of "$pid" | tr '\n' ' ')
  for ((i = 0; i < seconds * 10; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    echo "mailservers.sh: process $pid did not stop within $seconds s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  for child in $children; do
    for ((i = 0; i < 30; i++)); do
      alive "$child" || break
      sleep 0.1
    done
    alive "$child" && kill -KILL "$child" 2>/dev/null || true
  done
}

# After a stop: every listener of the run must be gone (a daemon child that kept a
# listening socket would otherwise answer the next run's tests).
check_listeners_closed () {
  local dir=$1
  local entry open=() i

  [ -s "$dir/listeners" ] || return 0
  for ((i = 0; i < 50; i++)); do
    open=()
    while IFS= read -r entry; do
      entry=${entry%:*}
      port_open "${entry%:*}" "${entry#*:}" && open+=("$entry")
    done <"$dir/listeners"
    [ "${#open[@]}" -eq 0 ] && break
    sleep 0.1
  done
  if [ "${#open[@]}" -gt 0 ]; then
    echo "mailservers.sh: still listening after stop: ${open[*]}" >&2
    ss -ltnp 2>/dev/null >&2 || true
    return 1
  fi
  rm -f "$dir/listeners"
}

stop_servers () {
  local dir=$1
  local pid

  [ -d "$dir" ] || return 0

  if pid=$(postfix_pid "$dir"); then
    mkdir -p "$dir/log"
    postfix -c "$dir/postfix" stop >>"$dir/log/postfix-control.log" 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" 10
  fi
  if command -v postconf >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    with_main_cf_lock unregister_instance "$dir/postfix"
  fi

  if pid=$(dovecot_pid "$dir"); then
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" 10
  fi
  return 0
}

# ---------------------------------------------------------------------------------------------
# Starting

show_logs () {
  local dir=$1 log

  for log in openssl.log dovecot-start.log dovecot.log postfix-start.log postfix.log; do
    if [ -s "$dir/log/$log" ]; then
      echo "---- last lines of $dir/log/$log" >&2
      tail -n 25 "$dir/log/$log" >&2
    fi
  done
}

start_failed () {
  local dir=$1
  shift
  echo "mailservers.sh: $*" >&2
  show_logs "$dir"
  stop_servers "$dir"
  exit 1
}

wait_for_ports () {
  local dir=$1
  local limit=${MC_START_TIMEOUT:-30}
  local deadline=$((SECONDS + limit))
  local entry address port name

  while IFS= read -r entry; do
    address=${entry%%:*}
    port=${entry#*:}
    name=${port#*:}
    port=${port%%:*}
    until port_open "$address" "$port"; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        start_failed "$dir" "$name did not accept connections on $address:$port within $limit s"
      fi
      sleep 0.2
    done
  done < <(all_listeners)

  # The gaps stay free for the tests' own listeners.
  for entry in "${GAP_ENTRIES[@]}"; do
    if port_open "${entry%:*}" "${entry##*:}"; then
      start_failed "$dir" "$entry should be left free, but something listens there"
    fi
  done
}

start_servers () {
  local dir=$1
  local password=${MC_TEST_PASSWORD:-}
  local entry

  check_requirements
  compute_ports
  compute_standard_listeners
  pick_users
  check_delivery

  if [ -z "$password" ]; then
    password="Canary-$(openssl rand -hex 12)"
  fi
  # It goes into a passwd-file line and into DIR/env in single quotes.
  if ! [[ "$password" =~ ^[A-Za-z0-9._+-]+$ ]]; then
    echo "mailservers.sh: MC_TEST_PASSWORD may only contain letters, digits and . _ + -" >&2
    exit 2
  fi

  # Files are removed and replaced below: only in an empty directory or one of ours.
  if [ ! -e "$dir/.mailservers" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "mailservers.sh: $dir is not empty and was not made by this script; use a new directory" >&2
    exit 2
  fi
  : >"$dir/.mailservers"

  # Leftovers of an earlier run in the same directory go first.
  stop_servers "$dir"

  while IFS= read -r entry; do
    entry=${entry%:*}
    if port_open "${entry%:*}" "${entry#*:}"; then
      echo "mailservers.sh: $entry is already in use (stale servers from another run? try" \
           "'$0 stop OLD_DIR', or set MC_PORT_BASE)" >&2
      ss -ltnp 2>/dev/null | grep -F -e "${entry} " >&2 || true
      exit 1
    fi
  done < <(all_listeners; for entry in "${GAP_ENTRIES[@]}"; do echo "$entry:gap"; done)

  rm -rf "$dir/ca" "$dir/certs" "$dir/dovecot" "$dir/postfix" "$dir/postfix-queue" \
         "$dir/postfix-data" "$dir/mail" "$dir/log" "$dir/env"
  mkdir -p "$dir/log"
  # The servers' unprivileged processes must reach sockets, certificates and logs in here.
  chmod 755 "$dir"
  local parent=$dir
  while command -v setpriv >/dev/null && parent=$(dirname "$parent") && [ "$parent" != / ]; do
    if ! setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups test -x "$parent" 2>/dev/null; then
      echo "mailservers.sh: $parent is not searchable by other users; the servers' unprivileged" \
           "processes could not reach $dir. Use a directory under /tmp." >&2
      exit 1
    fi
  done

  make_certificates "$dir" || start_failed "$dir" "openssl could not make the test certificates"
  write_dovecot_config "$dir" "$password"
  write_postfix_config "$dir"

  /usr/sbin/dovecot -c "$dir/dovecot/dovecot.conf" >"$dir/log/dovecot-start.log" 2>&1 ||
    start_failed "$dir" "Dovecot did not start"

  with_main_cf_lock register_instance "$dir/postfix"
  postfix_command "$dir" check || start_failed "$dir" "postfix check failed for $dir/postfix"
  postfix_command "$dir" start || start_failed "$dir" "Postfix did not start"

  wait_for_ports "$dir"
  # For `stop`, which checks that all of them are closed again.
  all_listeners >"$dir/listeners"

  (
    umask 077
    cat >"$dir/env" <<EOF
MC_SERVER_DIR='$dir'
MC_HOST='$HOST'
MC_SERVER_NAME='$SERVER_NAME'
MC_MISMATCH_HOST='$MISMATCH_HOST'
MC_MISMATCH_NAME='$MISMATCH_NAME'
MC_CA_FILE='$dir/ca/ca.pem'
MC_USER='$TEST_USER'
MC_USER_SHORT='$TEST_USER_SHORT'
MC_PASSWORD='$password'
MC_IMAP_STARTTLS_PORT=$IMAP_PORT
MC_IMAP_TLS_PORT=$IMAPS_PORT
MC_POP3_STARTTLS_PORT=$POP3_PORT
MC_POP3_TLS_PORT=$POP3S_PORT
MC_SMTP_PORT=$SMTP_PORT
MC_SMTP_STARTTLS_PORT=$SUBMISSION_PORT
MC_SMTP_TLS_PORT=$SUBMISSIONS_PORT
MC_SMTP_NORELAY_PORT=$NORELAY_PORT
MC_SMTP_DELIVERY_PORT=$DELIVERY_SMTP_PORT
MC_SMTP_DELIVERY_STARTTLS_PORT=$DELIVERY_SUBMISSION_PORT
MC_INBOUND_MAIL_HOST='$INBOUND_MAIL_HOST'
MC_CUSTOMER_MAIL_HOST='$CUSTOMER_MAIL_HOST'
MC_MAILDIR='$dir/mail/$TEST_USER/Maildir'
MC_DELIVERY_UNAVAILABLE='$DELIVERY_UNAVAILABLE'
MC_DOVECOT_LOG='$dir/log/dovecot.log'
MC_POSTFIX_LOG='$dir/log/postfix.log'
MC_STANDARD_PORTS_HOST='${MC_STANDARD_PORTS_HOST:-}'
MC_STANDARD_PORTS_GAPS='${GAP_ENTRIES[*]}'
EOF
  )
  cat "$dir/env"
}

guard () {
  local pid=$1 dir=$2

  [[ "$pid" =~ ^[0-9]+$ ]] || usage
  while alive "$pid"; do
    sleep 1
  done
  stop_servers "$dir"
}

case "${1:-}" in
  start)
    [ $# -eq 2 ] || usage
    check_dir_argument "$2"
    mkdir -p "$2"
    start_servers "$2"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    check_dir_argument "$2"
    stop_servers "$2"
    check_listeners_closed "$2"
    ;;
  guard)
    [ $# -eq 3 ] || usage
    check_dir_argument "$3"
    guard "$2" "$3"
    ;;
  *)
    usage
    ;;
esac
