#!/bin/sh
# Generates the X.509 parser test certificates in this directory (DER, NAME.der) with the openssl
# command line. The keys are the committed ones in vectors/keys/ and the clock is fixed with
# faketime, and every certificate is signed with RSA PKCS#1 v1.5 or Ed25519 (deterministic), so
# rerunning this script reproduces the same bytes.
#
#   ca_rsa.der           RSA-2048 CA, self-signed: basicConstraints critical cA pathLen 1,
#                        keyUsage keyCertSign+cRLSign, subject key identifier, UTCTime validity
#                        2025-01-01 00:00:00 .. 2035-01-01 00:00:00
#   leaf_p256.der        P-256 leaf by ca_rsa: SAN dNSName www.example.com and *.example.com,
#                        iPAddress 192.0.2.1 and 2001:db8::1, rfc822Name, URI, directoryName;
#                        EKU serverAuth+clientAuth, keyUsage digitalSignature, certificatePolicies,
#                        authority key identifier; subject with UTF8String, PrintableString and
#                        IA5String (emailAddress) values
#   ca_p384_nc.der       P-384 intermediate by ca_rsa: basicConstraints cA pathLen 0 and
#                        nameConstraints permitted dNSName example.com and iPAddress
#                        192.0.2.0/24, excluded dNSName bad.example.com
#   ed25519_crit.der     Ed25519 self-signed, with an unknown critical extension
#                        (1.3.6.1.4.1.55555.1) and EKU clientAuth only
#   rsa_gentime.der      RSA leaf by ca_rsa valid 2025-01-01 .. 2080-01-01: notAfter is a
#                        GeneralizedTime (RFC 5280 4.1.2.5: years from 2050 on)
#   v1_rsa.der           a version 1 certificate (no extensions) by ca_rsa
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
keys="$here/../keys"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
ft() { faketime -f '2025-01-01 00:00:00' "$@"; } # -f: a frozen clock, not a running one

cat > ext.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = @san
authorityKeyIdentifier = keyid
certificatePolicies = 2.23.140.1.2.1
subjectKeyIdentifier = none
[san]
DNS.1 = www.example.com
DNS.2 = *.example.com
IP.1 = 192.0.2.1
IP.2 = 2001:db8::1
email.1 = admin@example.com
URI.1 = https://example.com/
dirName.1 = dir_sect
[dir_sect]
C = GB
O = Example Dir
[inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:example.com, permitted;IP:192.0.2.0/255.255.255.0, excluded;DNS:bad.example.com
subjectKeyIdentifier = none
authorityKeyIdentifier = none
[crit]
extendedKeyUsage = clientAuth
1.3.6.1.4.1.55555.1 = critical, DER:05:00
subjectKeyIdentifier = none
authorityKeyIdentifier = none
[plain]
keyUsage = critical, digitalSignature, keyEncipherment
subjectKeyIdentifier = none
authorityKeyIdentifier = none
CNF

# A self-signed CA, and a leaf signer: req -new then x509 -req with explicit serials.
ft openssl req -x509 -new -key "$keys/rsa2048.pkcs8.pem" -config ext.cnf -extensions ca \
  -subj '/C=US/O=tlsgauntlet/CN=Test Root CA' -set_serial 1 -days 3652 -sha256 \
  -outform DER -out ca_rsa.der
openssl x509 -inform DER -in ca_rsa.der -out ca_rsa.pem

sign() { # name key subject serial days extensions-section
  ft openssl req -new -key "$2" -subj "$3" -utf8 -config ext.cnf -out "$1.csr"
  ft openssl x509 -req -in "$1.csr" -CA ca_rsa.pem -CAkey "$keys/rsa2048.pkcs8.pem" \
    -set_serial "$4" -days "$5" -sha256 -extfile ext.cnf -extensions "$6" -outform DER -out "$1.der"
}
sign leaf_p256 "$keys/p256.pkcs8.pem" '/C=FR/O=Société Exemple/CN=www.example.com/emailAddress=admin@example.com' \
  0x0102030405060708090a0b0c0d0e0f1011121314 3652 leaf
sign ca_p384_nc "$keys/p384.pkcs8.pem" '/O=tlsgauntlet/CN=Constrained CA' 3 3652 inter
sign rsa_gentime "$keys/rsa2048.pkcs8.pem" '/CN=far future' 4 20088 plain

ft openssl req -x509 -new -key "$keys/ed25519.pkcs8.pem" -config ext.cnf -extensions crit \
  -subj '/CN=ed25519 critical' -set_serial 5 -days 3652 -outform DER -out ed25519_crit.der

# Version 1: x509 -req without -extfile, then a check that it really is v1.
ft openssl req -new -key "$keys/rsa2048.pkcs8.pem" -subj '/CN=v1 cert' -config ext.cnf -out v1.csr
ft openssl x509 -req -in v1.csr -CA ca_rsa.pem -CAkey "$keys/rsa2048.pkcs8.pem" -set_serial 6 \
  -days 3652 -sha256 -outform DER -out v1_rsa.der
openssl x509 -inform DER -in v1_rsa.der -noout -text | grep -q 'Version: 1 (0x0)'

cp ca_rsa.der leaf_p256.der ca_p384_nc.der ed25519_crit.der rsa_gentime.der v1_rsa.der "$here/"
