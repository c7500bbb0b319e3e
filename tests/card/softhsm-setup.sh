#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the PKCS#11 test fixture: a throwaway CA and a SoftHSM2 token
# holding e-signature-like keys and certificates issued by that CA.
#
# Usage: softhsm-setup.sh DIR
#        EIMZA_SOFTHSM_SECOND_PERSON=1 softhsm-setup.sh DIR
#
# DIR receives:
#   softhsm2.conf        point SOFTHSM2_CONF here
#   tokens/              the token (label "EIMZA TEST", user PIN 123456,
#                        SO PIN 12345678)
#   tokens.tar           pristine copy of tokens/; restore it before each
#                        test (a process killed mid-login can empty a token)
#   testca.pem           the test CA certificate (trust anchor)
#   cert-01.pem ...      the certificates written to the token
#   soft-cert.pem        a signer with a key in a file (soft-key.pem)
#   content.txt          some content to sign
#
# Objects on the token (CKA_ID / label, all subjects "AHMET YILMAZ" with
# serialNumber 10000000146, a T.C. Kimlik No with a valid checksum):
#   01  10000000146NES0  RSA-2048, nonRepudiation, QC statement + NES policy
#   02  10000000146NES1  ECDSA P-256, nonRepudiation, NES policy
#   03  10000000146NES2  ECDSA P-256, nonRepudiation, expires in 10 days
#   04  10000000146AUTH  ECDSA P-256, digitalSignature only (not a
#                        signing certificate)
#
# Only with EIMZA_SOFTHSM_SECOND_PERSON=1 (the e-onay tests: a signature by
# someone else than the person logged in), one more object, subject
# "MEHMET CAGRI OZTURK" with serialNumber 10000000214 (in the portal
# simulator's fixtures, without e-onay), and its cert-05.pem:
#   05  10000000214NES0  ECDSA P-256, nonRepudiation, NES policy
# Without it the token and the files are exactly as listed above.
#
# Requires softhsm2, gnutls-bin (certtool, p11tool).

set -eu

dir=${1:?usage: softhsm-setup.sh DIR}
module=${SOFTHSM2_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
label="EIMZA TEST"
token_uri="pkcs11:token=EIMZA%20TEST"
tckn=10000000146

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cd "$dir"

rm -rf tokens tokens.tar
mkdir tokens
cat > softhsm2.conf <<EOF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
library.reset_on_fork = false
EOF

SOFTHSM2_CONF=$dir/softhsm2.conf
GNUTLS_PIN=123456
GNUTLS_SO_PIN=12345678
export SOFTHSM2_CONF GNUTLS_PIN GNUTLS_SO_PIN

softhsm2-util --init-token --free --label "$label" \
    --so-pin "$GNUTLS_SO_PIN" --pin "$GNUTLS_PIN" > /dev/null

# The CA.
certtool --generate-privkey --key-type ecdsa --curve secp256r1 \
    --outfile testca-key.pem 2> /dev/null
cat > testca.tmpl <<EOF
cn = "EIMZA Test CA"
organization = "EIMZA Tests"
country = TR
ca
cert_signing_key
crl_signing_key
expiration_days = 3650
EOF
certtool --generate-self-signed --load-privkey testca-key.pem \
    --template testca.tmpl --outfile testca.pem 2> /dev/null

# make_object ID LABEL KEYTYPE DAYS EXTRA-TEMPLATE-LINES [CN SERIALNUMBER]
make_object () {
    id=$1 obj_label=$2 keytype=$3 days=$4 extra=$5
    subject_cn=${6:-AHMET YILMAZ} subject_serial=${7:-$tckn}

    if [ "$keytype" = rsa ]; then
        keyargs="--generate-privkey=rsa --bits=2048"
    else
        keyargs="--generate-privkey=ecdsa --curve=secp256r1"
    fi
    # shellcheck disable=SC2086
    p11tool --provider "$module" --login $keyargs --label "$obj_label" \
        --id "$id" --outfile "pub-$id.pem" "$token_uri" 2> /dev/null

    cat > "cert-$id.tmpl" <<EOF
cn = "$subject_cn"
country = TR
dn_oid = "2.5.4.5 $subject_serial"
expiration_days = $days
signing_key
$extra
EOF
    certtool --generate-certificate --load-pubkey "pub-$id.pem" \
        --load-ca-certificate testca.pem --load-ca-privkey testca-key.pem \
        --template "cert-$id.tmpl" --outfile "cert-$id.pem" 2> /dev/null

    p11tool --provider "$module" --login --write --no-mark-private \
        --load-certificate "cert-$id.pem" --label "$obj_label" --id "$id" \
        "$token_uri" > /dev/null 2>&1
}

nes_policy="policy1 = 2.16.792.1.2.1.1.5.7.1.1"
# QCStatements with esi4-qcStatement-1 (QcCompliance, 0.4.0.1862.1.1).
qc_statement='add_extension = "1.3.6.1.5.5.7.1.3 0x300a3008060604008e460101"'

make_object 01 "${tckn}NES0" rsa 1095 "non_repudiation
email_protection_key
$nes_policy
$qc_statement"
make_object 02 "${tckn}NES1" ecdsa 1095 "non_repudiation
email_protection_key
$nes_policy"
make_object 03 "${tckn}NES2" ecdsa 10 "non_repudiation
email_protection_key
$nes_policy"
make_object 04 "${tckn}AUTH" ecdsa 1095 "tls_www_client"

if [ "${EIMZA_SOFTHSM_SECOND_PERSON:-}" = 1 ]; then
    make_object 05 "10000000214NES0" ecdsa 1095 "non_repudiation
email_protection_key
$nes_policy" "MEHMET CAGRI OZTURK" 10000000214
fi

# A signer whose key is a file, not on the token (for signing without a
# card, as the portal simulator does).
certtool --generate-privkey --key-type ecdsa --curve secp256r1 \
    --outfile soft-key.pem 2> /dev/null
cat > soft-cert.tmpl <<EOF
cn = "AYSE KAYA"
country = TR
dn_oid = "2.5.4.5 10000000078"
expiration_days = 365
signing_key
non_repudiation
email_protection_key
$nes_policy
EOF
certtool --generate-certificate --load-privkey soft-key.pem \
    --load-ca-certificate testca.pem --load-ca-privkey testca-key.pem \
    --template soft-cert.tmpl --outfile soft-cert.pem 2> /dev/null

printf 'E-İmza Asistanı test içeriği\n' > content.txt

tar -cf tokens.tar tokens
