#!/bin/sh
# Generates the certificate chains of vectors/x509/chains.yaml (PEM, NAME.pem) with the openssl
# command line, in the style of ../gen.sh: a frozen clock (faketime), the committed RSA, P-256
# and P-384 keys of vectors/keys/, and Ed25519 keys derived from fixed seeds (the SHA-256 of a
# label), so that every certificate signed with RSA PKCS#1 v1.5 or Ed25519 is reproduced byte
# for byte by a rerun. The certificates signed by an ECDSA or RSA-PSS key (int_p256 and
# int_p384 signing leaves, the rsa-pss leaf) carry randomized signatures: a rerun changes their
# bytes, never their verdicts (OpenSSL 3.0 has no deterministic ECDSA).
#
# Dates: the manifest verifies at 2026-06-01T00:00:00Z. Most certificates are made at
# 2025-01-01 for 10 years; the expired ones at 2020-01-01 for 1 year, the not-yet-valid ones at
# 2030-01-01. The hierarchy (subject CNs):
#   root            RSA-2048, self-signed trust anchor ("TG Chains Root")
#   int_ed          Ed25519 intermediate by root; most negative cases hang below it
#   int_p256/p384   ECDSA intermediates by root (3-level valid chains)
#   leaf_*          Ed25519 leaves, SAN dNSName www.example.com unless said otherwise
# and three single-algorithm families with 0, 1 and 2 intermediates (leaf_F0, leaf_F1, leaf_F2):
#   rsa   root, int_rsa1, int_rsa2: RSA-2048 keys, sha256WithRSAEncryption throughout
#   ec    root_ec (P-384, ecdsa-with-SHA384), int_ec1, int_ec2 (P-256): ECDSA throughout
#   ed    root_ed, int_ed1, int_ed2: Ed25519 throughout
# The two extra RSA keys cannot be derived from a seed, so they are made once and committed
# (keys/); P-256 and P-384 keys are derived from seeds like the Ed25519 ones.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
keys="$here/../../keys"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Ed25519 key NAME from the seed SHA-256("tlsgauntlet chains NAME"): PKCS#8 (RFC 8410 §7).
edkey() {
  { printf '\060\056\002\001\000\060\005\006\003\053\145\160\004\042\004\040'
    printf 'tlsgauntlet chains %s' "$1" | openssl dgst -sha256 -binary; } > "$1.key.der"
  openssl pkey -inform DER -in "$1.key.der" -out "$1.key"
}
for k in int_ed leaf decoy loop_x loop_y chain ss other_root int_misc root_ed int_ed1 int_ed2; do
  edkey "$k"
done
# EC key NAME on CURVE from the seed SHA-256 or SHA-384 ("tlsgauntlet chains NAME"): an SEC1
# ECPrivateKey (RFC 5915 §3) without the optional publicKey, which openssl computes. The digest
# is below the group order with overwhelming probability (and openssl would refuse it if not).
eckey() { # NAME p256|p384
  if [ "$2" = p256 ]; then
    hdr='\060\061\002\001\001\004\040' dgst=-sha256
    curve='\240\012\006\010\052\206\110\316\075\003\001\007'
  else
    hdr='\060\076\002\001\001\004\060' dgst=-sha384 curve='\240\007\006\005\053\201\004\000\042'
  fi
  { printf "$hdr"; printf 'tlsgauntlet chains %s' "$1" | openssl dgst "$dgst" -binary; printf "$curve"; } \
    > "$1.key.der"
  openssl pkey -inform DER -in "$1.key.der" -out "$1.key"
}
eckey root_ec p384
for k in int_ec1 int_ec2 leaf_ec; do eckey "$k" p256; done
# RSA keys: made once, then reused from keys/ (committed) so that reruns reproduce the bytes.
mkdir -p "$here/keys"
for k in int_rsa1 int_rsa2 leaf_rsa; do
  [ -f "$here/keys/$k.key" ] ||
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$here/keys/$k.key" 2>/dev/null
  cp "$here/keys/$k.key" "$k.key"
done
cp "$keys/rsa2048.pkcs8.pem" root.key
cp "$keys/p256.pkcs8.pem" int_p256.key
cp "$keys/p384.pkcs8.pem" int_p384.key

cat > ext.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_noski]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = none
authorityKeyIdentifier = keyid
[ca_pathlen0]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_false]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_nobc]
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_noku]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_nc]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:example.com, permitted;IP:192.0.2.0/255.255.255.0, excluded;DNS:bad.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_nc_dn]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;dirName:nc_dir
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_dir]
O = tlsgauntlet
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
[leaf_noaki]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:www.example.com
[leaf_wild]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.example.com
authorityKeyIdentifier = keyid
[leaf_wild_tld]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:*.com
authorityKeyIdentifier = keyid
[leaf_wild_partial]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:a*.example.com
authorityKeyIdentifier = keyid
[leaf_ip]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = IP:192.0.2.10, IP:2001:db8::10, DNS:192.0.2.11
authorityKeyIdentifier = keyid
[leaf_cn]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
authorityKeyIdentifier = keyid
[leaf_ku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
[leaf_client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
[leaf_nc_bad]
basicConstraints = critical, CA:FALSE
subjectAltName = DNS:www.example.net
authorityKeyIdentifier = keyid
[leaf_nc_excl]
basicConstraints = critical, CA:FALSE
subjectAltName = DNS:bad.example.com
authorityKeyIdentifier = keyid
[leaf_nc_ip]
basicConstraints = critical, CA:FALSE
subjectAltName = DNS:www.example.com, IP:198.51.100.1
authorityKeyIdentifier = keyid
[leaf_crit]
basicConstraints = critical, CA:FALSE
subjectAltName = DNS:www.example.com
1.3.6.1.4.1.55555.2 = critical, DER:05:00
authorityKeyIdentifier = keyid
[leaf_dup]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
# Patched into a second basicConstraints (2.5.29.19) below: openssl will not emit a duplicate.
2.5.29.99 = DER:30:00
[self_signed]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:self.example.com
subjectKeyIdentifier = hash
CNF

# cert NAME KEY SUBJECT ISSUER_CERT ISSUER_KEY SERIAL SECTION [DATE DAYS [EXTRA...]]
# ISSUER "self" makes a self-signed certificate.
cert() {
  name=$1 key=$2 subj=$3 ca=$4 cakey=$5 serial=$6 sect=$7 date=${8:-2025-01-01} days=${9:-3652}
  shift 7; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
  if [ "$ca" = self ]; then
    faketime -f "$date 00:00:00" openssl req -x509 -new -key "$key" -subj "$subj" \
      -config ext.cnf -extensions "$sect" -set_serial "$serial" -days "$days" "$@" -out "$name.pem"
  else
    faketime -f "$date 00:00:00" openssl req -new -key "$key" -subj "$subj" -config ext.cnf \
      -out "$name.csr"
    if [ "$sect" = v1 ]; then ext=""; else ext="-extfile ext.cnf -extensions $sect"; fi
    # shellcheck disable=SC2086 # $ext is two options or none
    faketime -f "$date 00:00:00" openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$cakey" \
      -set_serial "$serial" -days "$days" $ext "$@" -out "$name.pem"
  fi
}
R="/O=tlsgauntlet chains"
# Trust anchors.
cert root root.key "$R/CN=TG Chains Root" self x 1 root 2025-01-01 3652 -sha256
cert root_expired root.key "$R/CN=TG Chains Root" self x 2 root 2020-01-01 365 -sha256
cert other_root other_root.key "$R/CN=Other Root" self x 3 root
# Intermediates below root.
cert int_ed int_ed.key "$R/CN=Ed25519 CA" root root.key 10 ca 2025-01-01 3652 -sha256
cert int_ed_expired int_ed.key "$R/CN=Ed25519 CA" root root.key 11 ca 2020-01-01 365 -sha256
cert int_p256 int_p256.key "$R/CN=P-256 CA" root root.key 12 ca 2025-01-01 3652 -sha256
cert int_p384 int_p384.key "$R/CN=P-384 CA" root root.key 13 ca 2025-01-01 3652 -sha256
cert int_noca int_misc.key "$R/CN=Not A CA" root root.key 14 ca_false 2025-01-01 3652 -sha256
cert int_nobc int_misc.key "$R/CN=No Basic Constraints" root root.key 15 ca_nobc 2025-01-01 3652 -sha256
cert int_pl0 int_misc.key "$R/CN=PathLen 0 CA" root root.key 16 ca_pathlen0 2025-01-01 3652 -sha256
cert int_noku int_misc.key "$R/CN=No keyCertSign CA" root root.key 17 ca_noku 2025-01-01 3652 -sha256
cert int_nc int_misc.key "$R/CN=Constrained CA" root root.key 18 ca_nc 2025-01-01 3652 -sha256
cert int_nc_dn int_misc.key "$R/CN=DirName Constrained CA" root root.key 19 ca_nc_dn 2025-01-01 3652 -sha256
cert int_v1 int_misc.key "$R/CN=V1 CA" root root.key 20 v1 2025-01-01 3652 -sha256
# A decoy: the same subject as int_ed, another key, no subjectKeyIdentifier (so the leaf's
# authorityKeyIdentifier cannot rule it out: only its signature can).
cert int_ed_decoy decoy.key "$R/CN=Ed25519 CA" root root.key 21 ca_noski 2025-01-01 3652 -sha256
# Below the pathLen 0 CA, another CA (the one pathLenConstraint 0 forbids).
cert int_under_pl0 int_ed.key "$R/CN=Under PathLen 0" int_pl0 int_misc.key 22 ca

# Leaves below int_ed.
L=/CN=leaf
cert leaf_ok leaf.key "$R$L ok" int_ed int_ed.key 100 leaf
cert leaf_expired leaf.key "$R$L expired" int_ed int_ed.key 101 leaf 2020-01-01 365
cert leaf_future leaf.key "$R$L future" int_ed int_ed.key 102 leaf 2030-01-01 365
cert leaf_wild leaf.key "$R$L wildcard" int_ed int_ed.key 103 leaf_wild
cert leaf_wild_tld leaf.key "$R$L wildcard tld" int_ed int_ed.key 104 leaf_wild_tld
cert leaf_wild_partial leaf.key "$R$L partial wildcard" int_ed int_ed.key 105 leaf_wild_partial
cert leaf_ip leaf.key "$R$L ip" int_ed int_ed.key 106 leaf_ip
cert leaf_cn leaf.key "$R/CN=www.example.com" int_ed int_ed.key 107 leaf_cn
cert leaf_ku leaf.key "$R$L keyEncipherment" int_ed int_ed.key 108 leaf_ku
cert leaf_client leaf.key "$R$L client" int_ed int_ed.key 109 leaf_client
cert leaf_crit leaf.key "$R$L critical" int_ed int_ed.key 110 leaf_crit
cert leaf_dup leaf.key "$R$L duplicate extension" int_ed int_ed.key 111 leaf_dup
# Leaves below the other intermediates and the root.
cert leaf_root leaf.key "$R$L by root" root root.key 120 leaf 2025-01-01 3652 -sha256
cert leaf_p256 leaf.key "$R$L by P-256" int_p256 int_p256.key 121 leaf 2025-01-01 3652 -sha256
cert leaf_p384 leaf.key "$R$L by P-384" int_p384 int_p384.key 122 leaf 2025-01-01 3652 -sha384
cert leaf_noca leaf.key "$R$L by not-a-CA" int_noca int_misc.key 123 leaf
cert leaf_nobc leaf.key "$R$L by no-bc" int_nobc int_misc.key 124 leaf
cert leaf_pl0 leaf.key "$R$L below pathlen 0" int_under_pl0 int_ed.key 125 leaf
cert leaf_noku leaf.key "$R$L by no-keyCertSign" int_noku int_misc.key 126 leaf
cert leaf_nc_ok leaf.key "$R$L nc ok" int_nc int_misc.key 127 leaf
cert leaf_nc_bad leaf.key "$R$L nc dns" int_nc int_misc.key 128 leaf_nc_bad
cert leaf_nc_excl leaf.key "$R$L nc excluded" int_nc int_misc.key 129 leaf_nc_excl
cert leaf_nc_ip leaf.key "$R$L nc ip" int_nc int_misc.key 130 leaf_nc_ip
cert leaf_nc_dn_ok leaf.key "/O=tlsgauntlet/CN=leaf dirname ok" int_nc_dn int_misc.key 131 leaf
cert leaf_nc_dn_bad leaf.key "/O=elsewhere/CN=leaf dirname bad" int_nc_dn int_misc.key 132 leaf
cert leaf_v1ca leaf.key "$R$L by v1" int_v1 int_misc.key 133 leaf_noaki
cert leaf_sha1 leaf.key "$R$L sha1" root root.key 134 leaf 2025-01-01 3652 -sha1
cert leaf_pss leaf.key "$R$L rsa-pss" root root.key 135 leaf 2025-01-01 3652 -sha256 \
  -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
# Self-signed leaf.
cert self_signed ss.key "$R/CN=self.example.com" self x 140 self_signed

# The single-algorithm families: leaf_F0 by the root, leaf_F1 by int_F1, leaf_F2 by int_F2.
cert int_rsa1 int_rsa1.key "$R/CN=RSA CA 1" root root.key 30 ca 2025-01-01 3652 -sha256
cert int_rsa2 int_rsa2.key "$R/CN=RSA CA 2" int_rsa1 int_rsa1.key 31 ca 2025-01-01 3652 -sha256
cert leaf_rsa0 leaf_rsa.key "$R$L rsa 0" root root.key 180 leaf 2025-01-01 3652 -sha256
cert leaf_rsa1 leaf_rsa.key "$R$L rsa 1" int_rsa1 int_rsa1.key 181 leaf 2025-01-01 3652 -sha256
cert leaf_rsa2 leaf_rsa.key "$R$L rsa 2" int_rsa2 int_rsa2.key 182 leaf 2025-01-01 3652 -sha256
cert root_ec root_ec.key "$R/CN=TG Chains ECDSA Root" self x 32 root 2025-01-01 3652 -sha384
cert int_ec1 int_ec1.key "$R/CN=ECDSA CA 1" root_ec root_ec.key 33 ca 2025-01-01 3652 -sha384
cert int_ec2 int_ec2.key "$R/CN=ECDSA CA 2" int_ec1 int_ec1.key 34 ca 2025-01-01 3652 -sha256
cert leaf_ec0 leaf_ec.key "$R$L ecdsa 0" root_ec root_ec.key 183 leaf 2025-01-01 3652 -sha384
cert leaf_ec1 leaf_ec.key "$R$L ecdsa 1" int_ec1 int_ec1.key 184 leaf 2025-01-01 3652 -sha256
cert leaf_ec2 leaf_ec.key "$R$L ecdsa 2" int_ec2 int_ec2.key 185 leaf 2025-01-01 3652 -sha256
cert root_ed root_ed.key "$R/CN=TG Chains Ed25519 Root" self x 35 root
cert int_ed1 int_ed1.key "$R/CN=Ed25519 CA 1" root_ed root_ed.key 36 ca
cert int_ed2 int_ed2.key "$R/CN=Ed25519 CA 2" int_ed1 int_ed1.key 37 ca
cert leaf_ed0 leaf.key "$R$L ed25519 0" root_ed root_ed.key 186 leaf
cert leaf_ed1 leaf.key "$R$L ed25519 1" int_ed1 int_ed1.key 187 leaf
cert leaf_ed2 leaf.key "$R$L ed25519 2" int_ed2 int_ed2.key 188 leaf
# Weak signature algorithms, refused by policy: MD5 by the RSA root, ECDSA with SHA-1.
cert leaf_md5 leaf.key "$R$L md5" root root.key 136 leaf 2025-01-01 3652 -md5
cert leaf_ecdsa_sha1 leaf.key "$R$L ecdsa sha1" int_p256 int_p256.key 137 leaf 2025-01-01 3652 -sha1

# A cross-signed loop: X is issued by Y and Y by X (each made with a throwaway self-signed
# certificate of the other's name), and X_root is X again, issued by the root.
cert y_tmp loop_y.key "$R/CN=Loop Y" self x 150 root
cert loop_x loop_x.key "$R/CN=Loop X" y_tmp loop_y.key 151 ca
cert loop_y loop_y.key "$R/CN=Loop Y" loop_x loop_x.key 152 ca
cert loop_x_root loop_x.key "$R/CN=Loop X" root root.key 153 ca 2025-01-01 3652 -sha256
cert leaf_loop leaf.key "$R$L below loop" loop_x loop_x.key 154 leaf

# A chain longer than the maximum path (8 certificates, leaf and anchor included): nine CAs.
prev=root prevkey=root.key extra=-sha256
for i in 1 2 3 4 5 6 7 8 9; do
  cert "long_$i" chain.key "$R/CN=Long $i" "$prev" "$prevkey" "$((160 + i))" ca 2025-01-01 3652 $extra
  prev="long_$i" prevkey=chain.key extra=""
done
cert leaf_long leaf.key "$R$L long" long_9 chain.key 170 leaf
cat long_1.pem long_2.pem long_3.pem long_4.pem long_5.pem long_6.pem long_7.pem long_8.pem \
  long_9.pem > long_chain.pem
# The same length minus three: within the limit.
cert leaf_long_ok leaf.key "$R$L long ok" long_6 chain.key 171 leaf
cat long_1.pem long_2.pem long_3.pem long_4.pem long_5.pem long_6.pem > long_chain_ok.pem

# A bad signature: the last octet of leaf_ok's signatureValue flipped (DER in, DER out).
openssl x509 -in leaf_ok.pem -outform DER -out leaf_badsig.der
size=$(wc -c < leaf_badsig.der)
last=$(od -An -tu1 -j $((size - 1)) -N1 leaf_badsig.der | tr -d ' ')
printf "\\$(printf '%03o' $((last ^ 1)))" | dd of=leaf_badsig.der bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
openssl x509 -inform DER -in leaf_badsig.der -out leaf_badsig.pem

# A duplicated extension (RFC 5280 §4.2: "MUST NOT include more than one instance"): leaf_dup's
# extension 2.5.29.99 becomes a second basicConstraints, and the TBSCertificate is signed again
# with int_ed's key (Ed25519 is deterministic), so only the duplicate is wrong with it.
openssl x509 -in leaf_dup.pem -outform DER -out leaf_dup.der
hex=$(od -An -v -tx1 leaf_dup.der | tr -s ' \n' '  ')
at=$(printf '%s' "$hex" | awk '{ i = index($0, " 06 03 55 1d 63 "); print i ? (i - 1) / 3 + 4 : -1 }')
[ "$at" -gt 0 ] || { echo "leaf_dup: extension 2.5.29.99 not found" >&2; exit 1; }
printf '\023' | dd of=leaf_dup.der bs=1 seek="$at" conv=notrunc 2>/dev/null
# Certificate = 30 82 LL LL, then tbsCertificate = 30 82 LL LL ...; the signature is the last
# 64 octets (an Ed25519 signatureValue).
set -- $(od -An -tu1 -j4 -N4 leaf_dup.der)
[ "$1" -eq 48 ] && [ "$2" -eq 130 ] || { echo "leaf_dup: unexpected TBS header" >&2; exit 1; }
dd if=leaf_dup.der of=leaf_dup.tbs bs=1 skip=4 count=$((4 + $3 * 256 + $4)) 2>/dev/null
openssl pkeyutl -sign -rawin -inkey int_ed.key -in leaf_dup.tbs -out leaf_dup.sig
size=$(wc -c < leaf_dup.der)
dd if=leaf_dup.sig of=leaf_dup.der bs=1 seek=$((size - 64)) conv=notrunc 2>/dev/null
openssl base64 -in leaf_dup.der |
  { echo '-----BEGIN CERTIFICATE-----'; cat; echo '-----END CERTIFICATE-----'; } > leaf_dup.pem

# Checks that the generator did what the manifest says.
openssl x509 -in int_v1.pem -noout -text | grep -q 'Version: 1 (0x0)'
openssl x509 -in leaf_sha1.pem -noout -text | grep -q 'sha1WithRSAEncryption'
openssl x509 -in leaf_pss.pem -noout -text | grep -q 'rsassaPss'
openssl x509 -in leaf_md5.pem -noout -text | grep -q 'md5WithRSAEncryption'
openssl x509 -in leaf_ecdsa_sha1.pem -noout -text | grep -q 'ecdsa-with-SHA1'
[ "$(openssl asn1parse -in leaf_dup.pem | grep -c 'X509v3 Basic Constraints')" -eq 2 ]
openssl pkeyutl -verify -rawin -inkey int_ed.key -in leaf_dup.tbs -sigfile leaf_dup.sig >/dev/null
cmp -s leaf_ok.pem leaf_badsig.pem && { echo "leaf_badsig is unchanged" >&2; exit 1; }

rm -f "$here"/*.pem
for f in *.pem; do
  case $f in *.key|y_tmp.pem) continue ;; esac
  cp "$f" "$here/"
done

# ---- Malformed chain members (issue 15): a certificate the parser rejects is a verdict,
# invalid and malformed, wherever it is in the chain (RFC 8446 §6.2: bad_certificate); only
# input that is no certificate at all (no PEM block, bad base64) is bad input. Each is int_ed,
# root or leaf_ok with one thing broken, in DER: TBSCertificate edits are signed again with
# the issuer's key (the RSA root: PKCS#1 v1.5 is deterministic), edits outside it are not.

# at FILE HEX first|last: the offset of the first or last occurrence of the octets HEX ("02 01
# 0a"), -1 when absent.
at() {
  od -An -v -tx1 "$1" | tr -s ' \n' '  ' | awk -v p=" $2 " -v w="$3" '{
    s = $0; off = 0; r = -1
    while ((i = index(s, p)) > 0) { r = off + i - 1; if (w == "first") break; off += i; s = substr(s, i + 1) }
    print r < 0 ? -1 : r / 3 }'
}
# poke FILE OFFSET HEXOCTET: overwrites one octet.
poke() {
  printf "\\$(printf '%03o' "0x$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# patch FILE HEX first|last SKIP HEXOCTET: pokes the octet SKIP after the start of HEX.
patch() {
  o=$(at "$1" "$2" "$3")
  [ "$o" -ge 0 ] || { echo "$1: '$2' not found" >&2; exit 1; }
  poke "$1" $((o + $4)) "$5"
}
# resign_rsa FILE KEY: the TBSCertificate of FILE signed again with KEY (sha256WithRSAEncryption,
# 2048 bits: the last 256 octets are the signature).
resign_rsa() {
  set -- "$1" "$2" $(od -An -tu1 -j4 -N4 "$1")
  [ "$3" -eq 48 ] && [ "$4" -eq 130 ] || { echo "$1: unexpected TBS header" >&2; exit 1; }
  dd if="$1" of="$1.tbs" bs=1 skip=4 count=$((4 + $5 * 256 + $6)) 2>/dev/null
  openssl dgst -sha256 -sign "$2" -out "$1.sig" "$1.tbs"
  dd if="$1.sig" of="$1" bs=1 seek=$(($(wc -c < "$1") - 256)) conv=notrunc 2>/dev/null
}
# pem DER NAME: NAME.pem from DER bytes that openssl x509 may refuse.
pem() {
  openssl base64 -in "$1" | { echo '-----BEGIN CERTIFICATE-----'; cat; echo '-----END CERTIFICATE-----'; } \
    > "$2.pem"
}
openssl x509 -in int_ed.pem -outform DER -out mal.der
openssl x509 -in root.pem -outform DER -out root.der
size=$(wc -c < mal.der)
# Truncated: the last 20 octets of the signature cut off.
dd if=mal.der of=m.der bs=1 count=$((size - 20)) 2>/dev/null && pem m.der mal_int_truncated
# The TBSCertificate's length one short: its last extension runs past it.
# less1 FILE: the low octet of the TBSCertificate's length, minus one, in hex.
less1() { printf '%02x' $(($(od -An -tu1 -j7 -N1 "$1") - 1)); }
cp mal.der m.der && patch m.der "30 82" first 7 "$(less1 mal.der)" && pem m.der mal_int_bad_length
# An indefinite length (BER, X.690 §8.1.3.6) on the outer SEQUENCE: DER forbids it.
cp mal.der m.der && poke m.der 1 80 && pem m.der mal_int_indefinite_length
# signatureAlgorithm sha384WithRSAEncryption beside a TBSCertificate.signature of
# sha256WithRSAEncryption (RFC 5280 §4.1.1.2: the same).
cp mal.der m.der && patch m.der "2a 86 48 86 f7 0d 01 01 0b" last 8 0c && pem m.der mal_int_sigalg_mismatch
# The signatureAlgorithm's OID with a subidentifier padded by 0x80 (X.690 §8.19.2: minimal).
cp mal.der m.der && patch m.der "2a 86 48 86 f7 0d 01 01 0b" last 1 80 && pem m.der mal_int_bad_oid
# Two octets after the Certificate inside the PEM block.
cp mal.der m.der && printf '\005\000' >> m.der && pem m.der mal_int_trailing_data
# TBSCertificate edits, signed again by the root: a negative serialNumber (-10: RFC 5280
# §4.1.2.2 wants a positive one), version 4 (3: v1..v3 are 0..2), notBefore in month 13.
cp mal.der m.der && patch m.der "02 01 0a" first 2 f6 && resign_rsa m.der root.key && pem m.der mal_int_negative_serial
cp mal.der m.der && patch m.der "a0 03 02 01 02" first 4 03 && resign_rsa m.der root.key && pem m.der mal_int_version4
cp mal.der m.der && patch m.der "17 0d 32 35 30 31" first 4 31 && patch m.der "17 0d 32 35 31 31" first 5 33 &&
  resign_rsa m.der root.key && pem m.der mal_int_bad_time
# Trust anchors that do not parse: the root truncated, and with its TBSCertificate one short.
size=$(wc -c < root.der)
dd if=root.der of=m.der bs=1 count=$((size - 20)) 2>/dev/null && pem m.der mal_root_truncated
cp root.der m.der && patch m.der "30 82" first 7 "$(less1 root.der)" && pem m.der mal_root_bad_length
# A name constraint whose dNSName (an IA5String) holds the octet 0xe4 ("b\xe4d.example.com",
# excluded): not ASCII, so not an IA5String; the leaf's name is outside it.
cat >> ext.cnf <<'CNF'
[ca_nc_nonascii]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, DER:30:15:a1:13:30:11:82:0f:62:e4:64:2e:65:78:61:6d:70:6c:65:2e:63:6f:6d
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
cert mal_int_nonascii_constraint int_misc.key "$R/CN=Non-ASCII Constrained CA" root root.key 23 ca_nc_nonascii 2025-01-01 3652 -sha256
cert leaf_nonascii_nc leaf.key "$R$L below non-ascii constraint" mal_int_nonascii_constraint int_misc.key 138 leaf
# Text around and between the PEM blocks of a chain file: RFC 7468 §2 lets parsers ignore it.
{ echo 'leaf_ok, then its issuer'; cat leaf_ok.pem; echo 'garbage: -----not a block-----'
  cat int_ed.pem; echo 'the end'; } > chain_with_text.pem

openssl asn1parse -in mal_int_negative_serial.pem | grep -q 'INTEGER *:-0A'
openssl asn1parse -in mal_int_version4.pem -strparse 4 | grep -q 'INTEGER *:03'
openssl asn1parse -in mal_int_sigalg_mismatch.pem | grep -q sha384WithRSAEncryption
for f in mal_int_truncated mal_int_bad_length mal_int_indefinite_length mal_int_sigalg_mismatch \
  mal_int_bad_oid mal_int_trailing_data mal_int_negative_serial mal_int_version4 mal_int_bad_time \
  mal_root_truncated mal_root_bad_length mal_int_nonascii_constraint leaf_nonascii_nc chain_with_text; do
  cp "$f.pem" "$here/"
done
