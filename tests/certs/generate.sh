#!/bin/sh
# Regenerates the test certificates in this directory. TEST USE ONLY: the keys are
# public, nothing here may ever be trusted outside the test suite.
#
# OpenSSL 3.0 (Debian 12) has no -not_before/-not_after for "x509 -req", so every
# certificate goes through "openssl ca", whose -startdate/-enddate can place the
# validity in the past or the far future. The valid ones run from 2020 to 2120, so
# a machine whose clock is behind the day of generation still accepts them.
#
# Files (all PEM):
#   ca.pem / ca.key                   the CA the tests trust (--ca-file)
#   good.pem / good.key               localhost + 127.0.0.1, valid 2020-2120
#   expired.pem / expired.key         valid 2000-2001 only
#   not-yet-valid.pem / .key          valid from 2099
#   wrong-name.pem / .key             DNS:other.test only
#   provider-name.pem / .key          DNS:mail01.netzprisma.de only (the provider's server)
#   self-signed.pem / .key            localhost, signs itself
#   unknown-ca.pem / .key             localhost, from a CA the tests do not trust
#   unknown-ca-root.pem               that CA (not trusted; kept for reference)
#   intermediate.pem / .key           CA -> intermediate
#   incomplete-chain.pem / .key       leaf from the intermediate, file holds the leaf only
#   full-chain.pem / .key             the same leaf followed by the intermediate
#   sha1.pem / sha1.key               localhost, signed with SHA-1
#   cn-only.pem / cn-only.key         CN=localhost, no subjectAltName
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"

valid_from=20200101000000Z
valid_until=21200101000000Z

cat > openssl.cnf <<'EOF'
[ ca ]
default_ca = test_ca

[ test_ca ]
database        = ./index.txt
new_certs_dir   = ./newcerts
serial          = ./serial
default_md      = sha256
policy          = policy_any
unique_subject  = no
copy_extensions = none
email_in_dn     = no

[ policy_any ]
commonName = supplied

[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = placeholder

[ v3_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_intermediate ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ leaf_localhost ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ leaf_other ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:other.test
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ leaf_provider ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:mail01.netzprisma.de
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ leaf_cn_only ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOF

new_ca_db () {
  rm -rf index.txt index.txt.* serial serial.* newcerts
  mkdir newcerts
  : > index.txt
  openssl rand -hex 8 > serial
}

key () {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null
}

# self_signed NAME "CN" EXTENSIONS
self_signed () {
  name=$1 cn=$2 ext=$3
  key "$name.key"
  openssl req -config openssl.cnf -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr"
  new_ca_db
  openssl ca -config openssl.cnf -batch -notext -selfsign -keyfile "$name.key" \
    -extfile openssl.cnf -extensions "$ext" -in "$name.csr" -out "$name.pem" \
    -startdate "$valid_from" -enddate "$valid_until" 2>/dev/null
}

# sign ISSUER NAME "CN" EXTENSIONS [extra openssl ca options…]
sign () {
  issuer=$1 name=$2 cn=$3 ext=$4
  shift 4
  key "$name.key"
  openssl req -config openssl.cnf -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr"
  new_ca_db
  openssl ca -config openssl.cnf -batch -notext -cert "$issuer.pem" -keyfile "$issuer.key" \
    -extfile openssl.cnf -extensions "$ext" -in "$name.csr" -out "$name.pem" "$@" 2>/dev/null
}

valid="-startdate $valid_from -enddate $valid_until"

self_signed ca "Mail Check Test CA" v3_ca
self_signed unknown-ca-root "Mail Check Untrusted Test CA" v3_ca
self_signed self-signed localhost leaf_localhost

sign ca good localhost leaf_localhost $valid
sign ca expired localhost leaf_localhost -startdate 20000101000000Z -enddate 20010101000000Z
sign ca not-yet-valid localhost leaf_localhost -startdate 20990101000000Z -enddate 21000101000000Z
sign ca wrong-name other.test leaf_other $valid
sign ca provider-name mail01.netzprisma.de leaf_provider $valid
sign ca sha1 localhost leaf_localhost $valid -md sha1
sign ca cn-only localhost leaf_cn_only $valid
sign unknown-ca-root unknown-ca localhost leaf_localhost $valid
sign ca intermediate "Mail Check Test Intermediate" v3_intermediate $valid
sign intermediate incomplete-chain localhost leaf_localhost $valid
cat incomplete-chain.pem intermediate.pem > full-chain.pem
cp incomplete-chain.key full-chain.key

for name in ca unknown-ca-root good expired not-yet-valid wrong-name provider-name sha1 cn-only unknown-ca \
            intermediate incomplete-chain self-signed; do
  cp "$name.pem" "$name.key" "$here/"
done
cp full-chain.pem full-chain.key "$here/"
rm -f "$here/unknown-ca-root.key"

echo "Test certificates written to $here"
