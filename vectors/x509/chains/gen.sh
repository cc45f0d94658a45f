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

# ---- The WEBPKI profile (tls/src/x509/webpki.c) ---------------------------------------------------
# A hierarchy that meets the CA/Browser Forum profile as webpki.c checks it (wp_root, wp_int,
# wp_leaf: serial numbers of 8 octets, RSA-2048 and P-256 keys, key identifiers, extKeyUsage, a
# commonName that is one of the subjectAltNames), then one certificate per check that breaks that
# rule alone: valid under the rfc5280 profile, invalid under webpki. Leaves carry the seeded P-256
# key leaf_ec unless the key is the point; every signature is RSA PKCS#1 v1.5 (or Ed25519 for
# wp_leaf_sig_ed), so reruns reproduce the bytes. The DSA, RSA-1024 and RSA-2050 keys are made
# once and committed (keys/); the P-192 key is derived from a seed like the other EC keys.
for k in leaf_dsa leaf_rsa1024 leaf_rsa2050; do
  if [ ! -f "$here/keys/$k.key" ]; then
    case $k in
    leaf_dsa)
      openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.param
      openssl genpkey -paramfile dsa.param -out "$here/keys/$k.key" ;;
    *) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${k#leaf_rsa}" \
         -out "$here/keys/$k.key" 2>/dev/null ;;
    esac
  fi
  cp "$here/keys/$k.key" "$k.key"
done
# P-192 (prime192v1): an ECPrivateKey with 24 octets of SHA-256("tlsgauntlet chains leaf_p192").
{ printf '\060\051\002\001\001\004\030'
  printf 'tlsgauntlet chains leaf_p192' | openssl dgst -sha256 -binary | head -c 24
  printf '\240\012\006\010\052\206\110\316\075\003\001\001'; } > leaf_p192.key.der
openssl pkey -inform DER -in leaf_p192.key.der -out leaf_p192.key

cat >> ext.cnf <<'CNF'
[wp_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[wp_root_noski]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = none
authorityKeyIdentifier = none
[wp_root_bcnc]
basicConstraints = CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[wp_root_noku]
basicConstraints = critical, CA:TRUE
subjectKeyIdentifier = hash
[wp_root_eku]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
[wp_root_akimis]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = 0102030405060708
authorityKeyIdentifier = keyid:always
[wp_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = caIssuers;URI:http://ca.example.com/wp_root.crt
[wp_ca_noski]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = none
authorityKeyIdentifier = keyid
[wp_ca_bcnc]
basicConstraints = CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[wp_ca_kunc]
basicConstraints = critical, CA:TRUE
keyUsage = keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[wp_ca_pc]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth
policyConstraints = requireExplicitPolicy:0
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[wp_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
authorityInfoAccess = caIssuers;URI:http://ca.example.com/wp_int.crt
[wp_leaf_wild]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.example.com, DNS:example.com
authorityKeyIdentifier = keyid
[wp_leaf_ip]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:192.0.2.10
authorityKeyIdentifier = keyid
[wp_leaf_client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
[wp_leaf_noaki]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = none
[wp_leaf_aki_issuer]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid, issuer:always
[wp_leaf_aki_crit]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = critical, keyid
[wp_leaf_ski_crit]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
subjectKeyIdentifier = critical, hash
authorityKeyIdentifier = keyid
# An empty AuthorityInfoAccessSyntax (SIZE (1..MAX)); openssl writes the DER as given.
[wp_leaf_aia_bad]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
1.3.6.1.5.5.7.1.1 = DER:30:00
[wp_leaf_aia_ldap]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
authorityInfoAccess = caIssuers;URI:ldap://ca.example.com/cn=wp_int
[wp_leaf_noeku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
[wp_leaf_anyeku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, anyExtendedKeyUsage
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
[wp_leaf_codesign]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, codeSigning
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
[wp_leaf_eku_crit]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, serverAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
[wp_leaf_nc]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
nameConstraints = critical, permitted;DNS:example.com
authorityKeyIdentifier = keyid
[wp_leaf_nosan]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
[wp_leaf_san_crit]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = critical, DNS:www.example.com
authorityKeyIdentifier = keyid
[wp_leaf_underscore]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, DNS:under_score.example.com
authorityKeyIdentifier = keyid
[wp_leaf_partial]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, DNS:a*.example.com
authorityKeyIdentifier = keyid
[wp_leaf_psl]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.co.uk
authorityKeyIdentifier = keyid
[wp_leaf_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
[wp_leaf_pathlen]
basicConstraints = critical, CA:FALSE, pathlen:0
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
authorityKeyIdentifier = keyid
CNF

S=0x51e5d0c0ffee00 # serial numbers: S and two hex digits, 8 octets
W="/O=tlsgauntlet chains/CN=TG WebPKI"
WWW="/O=tlsgauntlet chains/CN=www.example.com"
NOCN="/O=tlsgauntlet chains"
cert wp_root root.key "$W Root" self x ${S}01 wp_root 2025-01-01 3652 -sha256
cert wp_int int_rsa1.key "$W CA" wp_root root.key ${S}02 wp_ca
# The issuers of wp_leaf_by_noski and wp_leaf_by_int_noski have no subjectKeyIdentifier for
# openssl to copy into the leaf's authorityKeyIdentifier; their keys are wp_root's and wp_int's,
# so the leaves carry those certificates' key identifiers (RFC 5280 4.2.1.2 method 1, the SHA-1
# of the key, which a validator may compute when the issuer has none), written as DER.
for ca in wp_root wp_int; do
  ski=$(openssl x509 -in "$ca.pem" -noout -ext subjectKeyIdentifier | sed -n 2p | tr -d ' ')
  [ "${#ski}" -eq 59 ] || { echo "$ca: no 20-octet subjectKeyIdentifier" >&2; exit 1; }
  cat >> ext.cnf <<CNF
[wp_leaf_aki_of_$ca]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
2.5.29.35 = DER:30:16:80:14:$ski
CNF
done
cert wp_leaf leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}10 wp_leaf
cert wp_leaf_wild leaf_ec.key "$NOCN" wp_int int_rsa1.key ${S}11 wp_leaf_wild
cert wp_leaf_ip leaf_ec.key "/O=tlsgauntlet chains/CN=192.0.2.10" wp_int int_rsa1.key ${S}12 wp_leaf_ip
cert wp_leaf_client leaf_ec.key "$NOCN" wp_int int_rsa1.key ${S}13 wp_leaf_client
cert wp_leaf_rsa leaf_rsa.key "$WWW" wp_int int_rsa1.key ${S}14 wp_leaf
# One rule broken each.
cert wp_leaf_v1 leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}20 v1
cert wp_leaf_serial0 leaf_ec.key "$WWW" wp_int int_rsa1.key 0 wp_leaf
cert wp_leaf_serial21 leaf_ec.key "$WWW" wp_int int_rsa1.key 0x8000000000000000000000000000000000000021 wp_leaf
cert wp_leaf_serial2 leaf_ec.key "$WWW" wp_int int_rsa1.key 0x1222 wp_leaf
cert wp_leaf_ed leaf.key "$WWW" wp_int int_rsa1.key ${S}23 wp_leaf
cert wp_leaf_dsa leaf_dsa.key "$WWW" wp_int int_rsa1.key ${S}24 wp_leaf
cert wp_leaf_p192 leaf_p192.key "$WWW" wp_int int_rsa1.key ${S}25 wp_leaf
cert wp_leaf_rsa1024 leaf_rsa1024.key "$WWW" wp_int int_rsa1.key ${S}26 wp_leaf
cert wp_leaf_rsa2050 leaf_rsa2050.key "$WWW" wp_int int_rsa1.key ${S}27 wp_leaf
cert wp_int_ed int_ed.key "$W Ed25519 CA" wp_root root.key ${S}03 wp_ca
cert wp_leaf_sig_ed leaf_ec.key "$WWW" wp_int_ed int_ed.key ${S}28 wp_leaf
cert wp_leaf_noaki leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}29 wp_leaf_noaki
cert wp_leaf_aki_issuer leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}2a wp_leaf_aki_issuer
cert wp_leaf_aki_crit leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}2b wp_leaf_aki_crit
cert wp_leaf_ski_crit leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}2c wp_leaf_ski_crit
cert wp_leaf_aia_bad leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}2d wp_leaf_aia_bad
cert wp_leaf_aia_ldap leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}2e wp_leaf_aia_ldap
cert wp_leaf_noeku leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}30 wp_leaf_noeku
cert wp_leaf_anyeku leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}31 wp_leaf_anyeku
cert wp_leaf_codesign leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}32 wp_leaf_codesign
cert wp_leaf_eku_crit leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}33 wp_leaf_eku_crit
cert wp_leaf_nc leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}34 wp_leaf_nc
cert wp_leaf_nosan leaf_ec.key "$NOCN" wp_int int_rsa1.key ${S}35 wp_leaf_nosan
cert wp_leaf_san_crit leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}36 wp_leaf_san_crit
cert wp_leaf_empty_subject leaf_ec.key "/" wp_int int_rsa1.key ${S}37 wp_leaf
cert wp_leaf_cn_other leaf_ec.key "/O=tlsgauntlet chains/CN=other.example.com" wp_int int_rsa1.key ${S}38 wp_leaf
cert wp_leaf_cn_case leaf_ec.key "/O=tlsgauntlet chains/CN=WWW.Example.com" wp_int int_rsa1.key ${S}39 wp_leaf
cert wp_leaf_underscore leaf_ec.key "$NOCN" wp_int int_rsa1.key ${S}3a wp_leaf_underscore
cert wp_leaf_partial leaf_ec.key "$NOCN" wp_int int_rsa1.key ${S}3b wp_leaf_partial
cert wp_leaf_psl leaf_ec.key "$NOCN" wp_int int_rsa1.key ${S}3c wp_leaf_psl
cert wp_leaf_ca leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}3d wp_leaf_ca
cert wp_leaf_pathlen leaf_ec.key "$WWW" wp_int int_rsa1.key ${S}3e wp_leaf_pathlen
# Roots that break a rule, each with a leaf of its own. wp_root_akimis is issued by a throwaway
# self-signed certificate of the same name and key, so that openssl writes the throwaway's key
# identifier (SHA-1 of the key) as the authorityKeyIdentifier beside a subjectKeyIdentifier of
# its own: openssl req -x509 would copy one into the other.
cert wp_root_noski root.key "$W Root No SKI" self x ${S}04 wp_root_noski 2025-01-01 3652 -sha256
cert wp_root_bcnc root.key "$W Root BC Not Critical" self x ${S}05 wp_root_bcnc 2025-01-01 3652 -sha256
cert wp_root_noku root.key "$W Root No KU" self x ${S}06 wp_root_noku 2025-01-01 3652 -sha256
cert wp_root_eku root.key "$W Root EKU" self x ${S}07 wp_root_eku 2025-01-01 3652 -sha256
cert tmp_wp_root root.key "$W Root AKI" self x ${S}08 wp_root 2025-01-01 3652 -sha256
cert wp_root_akimis root.key "$W Root AKI" tmp_wp_root root.key ${S}09 wp_root_akimis 2025-01-01 3652 -sha256
cert wp_leaf_by_noski leaf_ec.key "$WWW" wp_root_noski root.key ${S}40 wp_leaf_aki_of_wp_root 2025-01-01 3652 -sha256
cert wp_leaf_by_bcnc leaf_ec.key "$WWW" wp_root_bcnc root.key ${S}41 wp_leaf 2025-01-01 3652 -sha256
cert wp_leaf_by_noku leaf_ec.key "$WWW" wp_root_noku root.key ${S}42 wp_leaf 2025-01-01 3652 -sha256
cert wp_leaf_by_eku leaf_ec.key "$WWW" wp_root_eku root.key ${S}43 wp_leaf 2025-01-01 3652 -sha256
cert wp_leaf_by_akimis leaf_ec.key "$WWW" wp_root_akimis root.key ${S}44 wp_leaf 2025-01-01 3652 -sha256
# Intermediates that break a rule, below wp_root, each with a leaf of its own.
cert wp_int_noski int_rsa1.key "$W CA No SKI" wp_root root.key ${S}0a wp_ca_noski
cert wp_int_bcnc int_rsa1.key "$W CA BC Not Critical" wp_root root.key ${S}0b wp_ca_bcnc
cert wp_int_kunc int_rsa1.key "$W CA KU Not Critical" wp_root root.key ${S}0c wp_ca_kunc
cert wp_int_pc int_rsa1.key "$W CA Policy Constraints" wp_root root.key ${S}0d wp_ca_pc
cert wp_leaf_by_int_noski leaf_ec.key "$WWW" wp_int_noski int_rsa1.key ${S}50 wp_leaf_aki_of_wp_int
cert wp_leaf_by_int_bcnc leaf_ec.key "$WWW" wp_int_bcnc int_rsa1.key ${S}51 wp_leaf
cert wp_leaf_by_int_kunc leaf_ec.key "$WWW" wp_int_kunc int_rsa1.key ${S}52 wp_leaf
cert wp_leaf_by_int_pc leaf_ec.key "$WWW" wp_int_pc int_rsa1.key ${S}53 wp_leaf

# Checks that the generator did what the manifest says.
openssl x509 -in wp_leaf_v1.pem -noout -text | grep -q 'Version: 1 (0x0)'
openssl x509 -in wp_leaf_p192.pem -noout -text | grep -q 'NIST CURVE: P-192'
openssl x509 -in wp_leaf_dsa.pem -noout -text | grep -q 'dsaEncryption'
openssl x509 -in wp_leaf_rsa1024.pem -noout -text | grep -q 'Public-Key: (1024 bit)'
openssl x509 -in wp_leaf_rsa2050.pem -noout -text | grep -q 'Public-Key: (2050 bit)'
openssl x509 -in wp_leaf_empty_subject.pem -noout -subject | grep -qx 'subject='
openssl x509 -in wp_root_akimis.pem -noout -text | grep -A1 'Authority Key Identifier' |
  grep -vq '01:02:03:04:05:06:07:08'
openssl x509 -in wp_leaf_pathlen.pem -noout -text | grep -q 'CA:FALSE, pathlen:0'
for f in wp_*.pem; do cp "$f" "$here/"; done

# ---- Name constraints (RFC 5280 §4.2.1.10) ------------------------------------------------------
# CAs by the root with one more committed RSA key (keys/nc_ca.key), P-256 leaves (leaf_ec.key):
# sha256WithRSAEncryption throughout, so reruns reproduce the bytes and wolfSSL, NSS and Mbed TLS
# (no Ed25519) verify them too. Sections appended to ext.cnf; the files nc_*.pem are copied last.
[ -f "$here/keys/nc_ca.key" ] ||
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$here/keys/nc_ca.key" 2>/dev/null
cp "$here/keys/nc_ca.key" nc_ca.key
cat >> ext.cnf <<'CNF'
[nc_ca_wild]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:example.com, excluded;DNS:bar.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_ca_email]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;email:example.com, permitted;email:.example.org, permitted;email:root@example.net, excluded;email:bad@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_ca_ip6]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;IP:2001:db8::/ffff:ffff::, excluded;IP:2001:db8:bad::/ffff:ffff:ffff::
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_ca_dns]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:example.com, excluded;DNS:bad.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_ca_dot]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_ca_case]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:EXAMPLE.COM
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_ca_trail]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, excluded;DNS:bad.example.com.
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_ca_uri]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;URI:.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
# iPAddress constraints openssl will not write: 5 octets (c0 00 02 00 ff), 192.0.2.0 with the
# mask 255.0.255.0, and 16 octets (2001:db8::1 without a mask), each a permitted subtree.
[nc_ca_ip_len]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
2.5.29.30 = critical, DER:30:0b:a0:09:30:07:87:05:c0:00:02:00:ff
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_ca_ip_mask]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
2.5.29.30 = critical, DER:30:0e:a0:0c:30:0a:87:08:c0:00:02:00:ff:00:ff:00
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_ca_ip_16]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
2.5.29.30 = critical, DER:30:16:a0:14:30:12:87:10:20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:01
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_leaf_wild]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.example.com
authorityKeyIdentifier = keyid
[nc_leaf_email_host]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, email:alice@example.com
authorityKeyIdentifier = keyid
[nc_leaf_email_subhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, email:alice@mail.example.com
authorityKeyIdentifier = keyid
[nc_leaf_email_domain]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, email:bob@mail.example.org
authorityKeyIdentifier = keyid
[nc_leaf_email_apex]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, email:bob@example.org
authorityKeyIdentifier = keyid
[nc_leaf_email_mailbox]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, email:root@EXAMPLE.NET
authorityKeyIdentifier = keyid
[nc_leaf_email_mailbox_other]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, email:admin@example.net
authorityKeyIdentifier = keyid
[nc_leaf_email_mailbox_case]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, email:Root@example.net
authorityKeyIdentifier = keyid
[nc_leaf_email_excluded]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, email:bad@example.com
authorityKeyIdentifier = keyid
[nc_leaf_ip]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, IP:192.0.2.10
authorityKeyIdentifier = keyid
[nc_leaf_ip6]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:2001:db8::10
authorityKeyIdentifier = keyid
[nc_leaf_ip6_excl]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:2001:db8:bad::1
authorityKeyIdentifier = keyid
[nc_leaf_apex]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:example.com
authorityKeyIdentifier = keyid
[nc_leaf_boundary]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wwwexample.com
authorityKeyIdentifier = keyid
[nc_leaf_trail]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, DNS:bad.example.com.
authorityKeyIdentifier = keyid
[nc_leaf_bad]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:bad.example.com
authorityKeyIdentifier = keyid
[nc_leaf_bar]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:bar.example.com
authorityKeyIdentifier = keyid
[nc_leaf_uri_out]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, URI:https://www.example.net/
authorityKeyIdentifier = keyid
[nc_leaf_uri_ip]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, URI:https://192.0.2.1/
authorityKeyIdentifier = keyid
[nc_leaf_uri_urn]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, URI:urn:example:www
authorityKeyIdentifier = keyid
[nc_leaf_nosan]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
[nc_leaf_uri]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, URI:https://user@www.example.com:8443/path
authorityKeyIdentifier = keyid
CNF
# The budget chain: 220 excluded dNSNames and a permitted one over a leaf with 300, 66,742
# name-subtree comparisons with the subject and the reference name (the built-in allows 2^16).
{
  echo '[nc_ca_many]'
  echo 'basicConstraints = critical, CA:TRUE'
  echo 'keyUsage = critical, keyCertSign, cRLSign'
  printf 'nameConstraints = critical, permitted;DNS:example.com'
  i=0; while [ $i -lt 220 ]; do printf ', excluded;DNS:x%d.example.com' $i; i=$((i + 1)); done
  echo
  echo 'subjectKeyIdentifier = hash'
  echo 'authorityKeyIdentifier = keyid'
  echo '[nc_leaf_many]'
  echo 'basicConstraints = critical, CA:FALSE'
  echo 'keyUsage = critical, digitalSignature'
  echo 'extendedKeyUsage = serverAuth'
  printf 'subjectAltName = DNS:www.example.com'
  i=1; while [ $i -lt 300 ]; do printf ', DNS:h%d.example.com' $i; i=$((i + 1)); done
  echo
  echo 'authorityKeyIdentifier = keyid'
} >> ext.cnf
N="$R/CN=NC" NL="$R/CN=nc leaf"
# ncca NAME CN SERIAL: a CA by the root with section NAME; ncleaf NAME CN CA SERIAL SECTION.
ncca() { cert "$1" nc_ca.key "$N $2" root root.key "$3" "$1" 2025-01-01 3652 -sha256; }
ncleaf() { cert "$1" leaf_ec.key "$NL $2" "$3" nc_ca.key "$4" "$5" 2025-01-01 3652 -sha256; }
ncca nc_ca_wild "wildcard CA" 400
ncca nc_ca_email "email CA" 401
ncca nc_ca_ip6 "IPv6 CA" 402
ncca nc_ca_dns "DNS CA" 411
ncca nc_ca_dot "leading dot CA" 403
ncca nc_ca_case "upper case CA" 404
ncca nc_ca_trail "trailing dot CA" 405
ncca nc_ca_uri "URI CA" 406
ncca nc_ca_ip_len "IP length CA" 407
ncca nc_ca_ip_mask "IP mask CA" 408
ncca nc_ca_ip_16 "IP 16 CA" 409
ncca nc_ca_many "many CA" 410
ncleaf nc_leaf_wild "wildcard" nc_ca_wild 420 nc_leaf_wild
ncleaf nc_leaf_wild_bar "bar" nc_ca_wild 421 nc_leaf_bar
ncleaf nc_leaf_email_host "email host" nc_ca_email 422 nc_leaf_email_host
ncleaf nc_leaf_email_subhost "email subhost" nc_ca_email 423 nc_leaf_email_subhost
ncleaf nc_leaf_email_domain "email domain" nc_ca_email 424 nc_leaf_email_domain
ncleaf nc_leaf_email_apex "email apex" nc_ca_email 425 nc_leaf_email_apex
ncleaf nc_leaf_email_mailbox "email mailbox" nc_ca_email 426 nc_leaf_email_mailbox
ncleaf nc_leaf_email_mailbox_other "email other mailbox" nc_ca_email 427 nc_leaf_email_mailbox_other
ncleaf nc_leaf_email_mailbox_case "email mailbox case" nc_ca_email 428 nc_leaf_email_mailbox_case
ncleaf nc_leaf_email_excluded "email excluded" nc_ca_email 429 nc_leaf_email_excluded
ncleaf nc_leaf_email_subject "email subject/emailAddress=carol@example.com" nc_ca_email 430 nc_leaf_nosan
ncleaf nc_leaf_email_subject_bad "email subject bad/emailAddress=carol@example.edu" nc_ca_email 431 nc_leaf_nosan
ncleaf nc_leaf_ip6 "ipv6" nc_ca_ip6 432 nc_leaf_ip6
ncleaf nc_leaf_ip6_excl "ipv6 excluded" nc_ca_ip6 433 nc_leaf_ip6_excl
ncleaf nc_leaf_ip6_v4 "ipv4 under ipv6" nc_ca_ip6 434 nc_leaf_ip
ncleaf nc_leaf_dot_sub "dot sub" nc_ca_dot 435 leaf
ncleaf nc_leaf_dot_apex "dot apex" nc_ca_dot 436 nc_leaf_apex
ncleaf nc_leaf_case "case" nc_ca_case 437 leaf
ncleaf nc_leaf_boundary "boundary" nc_ca_dns 438 nc_leaf_boundary
ncleaf nc_leaf_trail "trailing dot san" nc_ca_dns 439 nc_leaf_trail
ncleaf nc_leaf_trail_base "trailing dot base" nc_ca_trail 440 nc_leaf_bad
ncleaf nc_leaf_uri "uri" nc_ca_uri 441 nc_leaf_uri
ncleaf nc_leaf_uri_none "no uri" nc_ca_uri 442 leaf
ncleaf nc_leaf_ip_len "ip length" nc_ca_ip_len 443 nc_leaf_ip
ncleaf nc_leaf_ip_mask "ip mask" nc_ca_ip_mask 444 nc_leaf_ip
ncleaf nc_leaf_ip_16 "ip 16" nc_ca_ip_16 445 nc_leaf_ip
ncleaf nc_leaf_many "many" nc_ca_many 446 nc_leaf_many
ncleaf nc_leaf_uri_out "uri outside" nc_ca_uri 447 nc_leaf_uri_out
ncleaf nc_leaf_uri_ip "uri ip host" nc_ca_uri 448 nc_leaf_uri_ip
ncleaf nc_leaf_uri_urn "uri no host" nc_ca_uri 449 nc_leaf_uri_urn
openssl x509 -in nc_ca_email.pem -noout -text | grep -q 'email:.example.org'
openssl x509 -in nc_leaf_email_subject.pem -noout -subject | grep -q 'carol@example.com'
[ "$(openssl x509 -in nc_leaf_many.pem -noout -ext subjectAltName | grep -o 'DNS:' | wc -l)" -eq 300 ]
cp nc_*.pem "$here/"

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
