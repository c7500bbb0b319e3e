#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Two SoftHSM2 tokens for the reminders' GUI test, like
# tests/card/softhsm-setup.sh's but with chosen dates: one CA, and the same
# holder ("AHMET YILMAZ", serialNumber 10000000146) on both cards:
#   DIR/old/  the current card: a signing certificate ending OLD_END
#   DIR/new/  the renewed card: a newer one ending NEW_END
# each with softhsm2.conf (token "EIMZA TEST", PIN 123456) and cert.pem.
#
# Usage: make-reminder-tokens.sh DIR OLD_END NEW_END
#        (dates as certtool takes them: "2027-06-15 07:00:00 UTC")
set -eu

dir=${1:?usage: make-reminder-tokens.sh DIR OLD_END NEW_END}
old_end=${2:?}
new_end=${3:?}
module=${SOFTHSM2_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
GNUTLS_PIN=123456
GNUTLS_SO_PIN=12345678
export GNUTLS_PIN GNUTLS_SO_PIN

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cd "$dir"

certtool --generate-privkey --key-type ecdsa --curve secp256r1 --outfile ca-key.pem 2> /dev/null
cat > ca.tmpl <<TMPL
cn = "EIMZA Test CA"
organization = "EIMZA Tests"
country = TR
ca
cert_signing_key
crl_signing_key
activation_date = "2020-01-01 00:00:00 UTC"
expiration_date = "2040-01-01 00:00:00 UTC"
TMPL
certtool --generate-self-signed --load-privkey ca-key.pem --template ca.tmpl \
    --outfile testca.pem 2> /dev/null

# make_card NAME START END
make_card () {
    mkdir -p "$1/tokens"
    cat > "$1/softhsm2.conf" <<CONF
directories.tokendir = $dir/$1/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
library.reset_on_fork = false
CONF
    SOFTHSM2_CONF=$dir/$1/softhsm2.conf
    export SOFTHSM2_CONF
    softhsm2-util --init-token --free --label "EIMZA TEST" \
        --so-pin "$GNUTLS_SO_PIN" --pin "$GNUTLS_PIN" > /dev/null
    p11tool --provider "$module" --login --generate-privkey=ecdsa --curve=secp256r1 \
        --label NES --id 01 --outfile "$1/pub.pem" "pkcs11:token=EIMZA%20TEST" 2> /dev/null
    cat > "$1/cert.tmpl" <<TMPL
cn = "AHMET YILMAZ"
country = TR
dn_oid = "2.5.4.5 10000000146"
activation_date = "$2"
expiration_date = "$3"
signing_key
non_repudiation
policy1 = 2.16.792.1.2.1.1.5.7.1.1
TMPL
    certtool --generate-certificate --load-pubkey "$1/pub.pem" \
        --load-ca-certificate testca.pem --load-ca-privkey ca-key.pem \
        --template "$1/cert.tmpl" --outfile "$1/cert.pem" 2> /dev/null
    p11tool --provider "$module" --login --write --no-mark-private \
        --load-certificate "$1/cert.pem" --label NES --id 01 \
        "pkcs11:token=EIMZA%20TEST" > /dev/null 2>&1
}

make_card old "2024-06-15 07:00:00 UTC" "$old_end"
make_card new "2027-06-01 07:00:00 UTC" "$new_end"
