#!/usr/bin/env bash
# Generates the certificates the scenarios name (`cert: NAME`, `trust: NAME`) into this directory,
# then checks every one with `openssl verify` against the verdict README.md lists.
#
#   NAME.pem      the chain an endpoint sends: leaf first, then intermediates, never the root
#                 (root.pem and root2.pem are the exception: just the self-signed root, an anchor)
#   NAME.key      PKCS#8 PEM private key of NAME.pem's first certificate (server-otherkey.key is
#                 deliberately a different key)
#   NAME.ca-key   the key of a root, for signing ad-hoc certificates; never loaded as `cert:`
#
# Keys are fresh on every run, so the bytes change but the structure (names, dates, extensions,
# serials) does not. Dates are explicit (not "now + N days") so the valid certificates stay valid
# whatever the clock says: openssl 3.0's `x509 -req` has no -not_before/-not_after, so every
# certificate is issued with `openssl ca -startdate/-enddate`.
#
# Usage: bash gen.sh            (regenerate and check)
#        bash gen.sh --check    (only check the committed files)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
VALID_FROM=20200101000000Z
VALID_TO=20991231235959Z

# --- issuing ---------------------------------------------------------------------------------

write_config() {
	cat >ca.cnf <<'CNF'
# Only what `openssl ca` insists on; everything a certificate carries comes from ext.cnf.
[ca]
default_ca = tg
[tg]
database = index.txt
new_certs_dir = issued
serial = serial
policy = any
unique_subject = no
email_in_dn = no
copy_extensions = none
default_md = sha256
[any]
organizationName = optional
commonName = supplied
CNF
	cat >ext.cnf <<'CNF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# inter-b sits under inter-a (pathlen:0): the constraint it violates is its issuer's.
[inter_nolen]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# Identical to [inter] except cA FALSE (RFC 5280 4.2.1.9), so that is the only fault.
[inter_noca]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:server.test, DNS:*.wild.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# An RSA server key may also transport TLS 1.2 premaster secrets (RFC 5246 7.4.2, RFC 5280
# 4.2.1.3 keyEncipherment), so the static RSA key exchange works with it.
[server_rsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:server.test, DNS:*.wild.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[server_only]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:server.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[other_name]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[wildcard]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.wild.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[cn_only]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# A self-signed end entity: no authorityKeyIdentifier, cA FALSE, no keyCertSign.
[self_signed]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:server.test
subjectKeyIdentifier = hash
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# wrong-eku and client-wrong-eku: [server_only] and [client] with the other EKU.
[server_clienteku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:server.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[client_servereku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# RFC 9525 6.3: a wildcard that is not the whole left-most label makes the identifier invalid;
# A-labels compare case-insensitively.
[wild_partial]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:w*.wild.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[wild_inner]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:a.*.wild.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[idn]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:xn--bcher-kva.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# RFC 9525 6.4: an IP reference identity matches an iPAddress SAN, octet for octet.
[ip_san]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
# RFC 8446 4.4.2.2: a server certificate's keyUsage must allow signing; this one only allows
# key agreement.
[no_digsig]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyAgreement
extendedKeyUsage = serverAuth
subjectAltName = DNS:server.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
	mkdir -p issued
	: >index.txt
	echo 1000 >serial # one counter for all issuers: serials are unique and in a fixed order
}

newkey() { # newkey FILE ec|p384|rsa|rsa-pss: a PKCS#8 PEM private key
	case "$2" in
	ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-pkeyopt ec_param_enc:named_curve -out "$1" ;;
	p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
		-pkeyopt ec_param_enc:named_curve -out "$1" ;;
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" ;;
	# id-RSASSA-PSS with no parameters (RFC 4055 3.1: any PSS signature): rsa_pss_pss_* only.
	rsa-pss) openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$1" ;;
	esac 2>/dev/null
}

# issue OUT KEY SUBJECT SECTION ISSUER FROM TO: certificate OUT.crt for KEY, signed by
# ISSUER.crt/ISSUER.key, or self-signed when ISSUER is "self". The digest is $MD (sha256).
issue() {
	local out=$1 key=$2 subj=$3 sect=$4 issuer=$5 from=$6 to=$7
	openssl req -new -key "$key" -subj "$subj" -out "$out.csr"
	local signer=(-cert "$issuer.crt" -keyfile "$issuer.key")
	[ "$issuer" = self ] && signer=(-selfsign -keyfile "$key")
	openssl ca -batch -config ca.cnf -notext -md "${MD:-sha256}" -in "$out.csr" -out "$out.crt" \
		"${signer[@]}" -startdate "$from" -enddate "$to" \
		-extfile ext.cnf -extensions "$sect" 2>ca.log || {
		cat ca.log >&2
		exit 1
	}
}

# ca NAME SUBJECT SECTION ISSUER [FROM TO]: a CA key NAME.key ($CAKEY, default ec) and
# certificate NAME.crt.
ca() {
	newkey "$1.key" "${CAKEY:-ec}"
	issue "$1" "$1.key" "/O=tlsgauntlet/CN=$2" "$3" "$4" "${5:-$VALID_FROM}" "${6:-$VALID_TO}"
}

# leaf NAME KEYTYPE SUBJECT SECTION ISSUER CHAIN [FROM TO]: NAME.pem = the leaf then the
# certificates CHAIN names (space separated, may be empty), NAME.key = the leaf's key.
leaf() {
	local name=$1 ktype=$2 subj=$3 sect=$4 issuer=$5 chain=$6 c
	newkey "$name.key" "$ktype"
	issue "$name" "$name.key" "$subj" "$sect" "$issuer" "${7:-$VALID_FROM}" "${8:-$VALID_TO}"
	cp "$name.crt" "$name.pem"
	for c in $chain; do cat "$c.crt" >>"$name.pem"; done
}

# flip_last_byte IN OUT: the last byte of a certificate's DER is inside its signature BIT STRING
# (Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }); for ECDSA it
# is the low byte of s, so the DER still parses and only the signature is wrong.
flip_last_byte() {
	openssl x509 -in "$1" -outform DER -out flip.der
	local n last
	n=$(stat -c %s flip.der)
	last=$(tail -c 1 flip.der | od -An -tu1 | tr -d ' ')
	head -c $((n - 1)) flip.der >flipped.der
	printf '%b' "\\x$(printf %02x $((last ^ 0x01)))" >>flipped.der
	openssl x509 -inform DER -in flipped.der -out "$2"
}

generate() {
	write_config
	ca root "tlsgauntlet root" root self
	ca root2 "tlsgauntlet root2" root self
	ca inter "tlsgauntlet inter" inter root
	ca inter2 "tlsgauntlet inter2" inter root2
	ca inter-old "tlsgauntlet inter-old" inter root "$VALID_FROM" 20210101000000Z
	ca inter-noca "tlsgauntlet inter-noca" inter_noca root
	ca inter-a "tlsgauntlet inter-a" inter root
	ca inter-b "tlsgauntlet inter-b" inter_nolen inter-a

	local s=/CN=server.test
	leaf server ec "$s" server inter inter
	leaf server-rsa rsa "$s" server_rsa inter inter
	leaf server-direct ec "$s" server_only root ""
	leaf expired ec "$s" server_only inter inter "$VALID_FROM" 20210101000000Z
	leaf not-yet-valid ec "$s" server_only inter inter 20900101000000Z "$VALID_TO"
	leaf inter-expired ec "$s" server_only inter-old inter-old
	leaf wrong-name ec /CN=other.test other_name inter inter
	leaf cn-only ec "$s" cn_only inter inter
	leaf wildcard ec "/CN=*.wild.test" wildcard inter inter
	leaf self-signed ec "$s" self_signed self ""
	leaf untrusted ec "$s" server_only inter2 inter2
	leaf incomplete ec "$s" server_only inter ""
	leaf noca-inter ec "$s" server_only inter-noca inter-noca
	leaf pathlen ec "$s" server_only inter-b "inter-b inter-a"
	leaf wrong-eku ec "$s" server_clienteku inter inter
	leaf bad-sig ec "$s" server_only inter inter
	flip_last_byte bad-sig.crt bad-sig.pem
	cat inter.crt >>bad-sig.pem

	local c=/CN=client.test
	leaf client ec "$c" client inter inter
	leaf client-expired ec "$c" client inter inter "$VALID_FROM" 20210101000000Z
	leaf client-untrusted ec "$c" client inter2 inter2
	leaf client-wrong-eku ec "$c" client_servereku inter inter
	leaf client-rsa rsa "$c" client inter inter

	# RFC 9525 names, issued by the root (no intermediate to send), last so the serials above
	# stay as they were.
	leaf wild-partial ec /CN=wild-partial wild_partial root ""
	leaf wild-inner ec /CN=wild-inner wild_inner root ""
	leaf idn ec /CN=idn idn root ""

	generate_added

	# TLS 1.3 (RFC 8446 4.4.2) puts the sender's certificate first; this chain does not. The key
	# is the first certificate's (inter's), so libraries that check key against first cert load it.
	cat inter.crt server.crt >out-of-order.pem
	cp inter.key out-of-order.key
	cp server.pem server-otherkey.pem
	newkey server-otherkey.key ec
}

# The certificates added after the set above, issued last (serials from 1020) and only under
# root, whose key is committed: `gen.sh --add` issues just these, so the others stay as they are.
ADDED=(server-p384 client-p384 server-rsa-pss client-rsa-pss server-rsa-chain client-rsa-chain
	md5-sig client-md5-sig ip-san no-digsig sha1-sig client-sha1-sig)
generate_added() {
	local s=/CN=server.test c=/CN=client.test
	# Keys and signatures other than P-256 with ecdsa-with-SHA256 (RFC 8446 4.2.3, 4.4.2.2, 9.1;
	# RFC 8422). inter-rsa: an RSA-2048 CA, so its leaves carry PKCS#1 v1.5 signatures.
	leaf server-p384 p384 "$s" server_only root ""
	leaf client-p384 p384 "$c" client root ""
	leaf server-rsa-pss rsa-pss "$s" server_only root ""
	leaf client-rsa-pss rsa-pss "$c" client root ""
	CAKEY=rsa ca inter-rsa "tlsgauntlet inter-rsa" inter root
	leaf server-rsa-chain ec "$s" server_only inter-rsa inter-rsa
	leaf client-rsa-chain ec "$c" client inter-rsa inter-rsa
	MD=md5 leaf md5-sig ec "$s" server_only inter-rsa inter-rsa
	MD=md5 leaf client-md5-sig ec "$c" client inter-rsa inter-rsa
	leaf ip-san ec /CN=ip-san ip_san root ""
	leaf no-digsig ec "$s" no_digsig root ""
	MD=sha1 leaf sha1-sig ec "$s" server_only inter-rsa inter-rsa
	MD=sha1 leaf client-sha1-sig ec "$c" client inter-rsa inter-rsa
}

add() { # --add: issue ADDED under the committed root, after its last serial, and install them
	write_config
	echo 1020 >serial
	cp "$here/root.pem" root.crt
	cp "$here/root.ca-key" root.key
	generate_added
	local n
	for n in "${ADDED[@]}"; do cp "$n.pem" "$n.key" "$here/"; done
}

install() { # replace the outputs in $here with those of the scratch directory
	rm -f "$here"/*.pem "$here"/*.key "$here"/*.ca-key
	cp root.crt "$here/root.pem"
	cp root2.crt "$here/root2.pem"
	cp root.key "$here/root.ca-key"
	cp root2.key "$here/root2.ca-key"
	local n
	for n in "${!EXPECT[@]}"; do
		cp "$n.pem" "$n.key" "$here/"
	done
}

# --- checking --------------------------------------------------------------------------------

# The verdict of `openssl verify -CAfile root.pem` for each chain: OK or the X509_V_ERR number.
# Server chains use -purpose sslserver -verify_hostname server.test, client chains -purpose
# sslclient and no name. cn-only passes here only because openssl falls back to the subject CN
# when there is no dNSName; the peers (peers/README.md) and RFC 9525 do not: see README.md.
declare -A EXPECT=(
	[server]=OK [server-rsa]=OK [server-direct]=OK [server-otherkey]=OK
	[expired]=10 [not-yet-valid]=9 [inter-expired]=10 [wrong-name]=62 [cn-only]=OK
	[wildcard]=62 [self-signed]=18 [untrusted]=20 [incomplete]=20 [out-of-order]=26
	[noca-inter]=79 [pathlen]=25 [wrong-eku]=26 [bad-sig]=7
	[client]=OK [client-expired]=10 [client-untrusted]=20 [client-wrong-eku]=26 [client-rsa]=OK
	[wild-partial]=62 [wild-inner]=62 [idn]=62
	[server-p384]=OK [client-p384]=OK [server-rsa-pss]=OK [client-rsa-pss]=OK
	[server-rsa-chain]=OK [client-rsa-chain]=OK [md5-sig]=OK [client-md5-sig]=OK
	[ip-san]=62 [no-digsig]=OK [sha1-sig]=OK [client-sha1-sig]=OK
)
# Extra name checks: CHAIN:NAME=VERDICT.
EXTRA=(wildcard:a.wild.test=OK wildcard:a.b.wild.test=62 wildcard:wild.test=62
	server:a.wild.test=OK server:other.test=62
	wild-partial:www.wild.test=OK wild-inner:a.b.wild.test=62 idn:XN--BCHER-KVA.TEST=OK
	ip-san:127.0.0.1=OK ip-san:1.0.0.127=64)

verdict() { # verdict CHAIN NAME|- : prints OK or the error number
	local chain=$1 name=$2 args=(-purpose sslserver)
	awk 'n==0{print} /END CERT/{n++}' "$chain" >leaf.crt
	awk 'n>=1{print} /END CERT/{n++}' "$chain" >rest.crt
	if [ "$name" = - ]; then
		args=(-purpose sslclient)
	elif [[ $name =~ ^[0-9.]+$ ]]; then
		args+=(-verify_ip "$name")
	else
		args+=(-verify_hostname "$name")
	fi
	[ -s rest.crt ] && args+=(-untrusted rest.crt)
	local out
	out=$(openssl verify -CAfile "$CERTS/root.pem" "${args[@]}" leaf.crt \
		2>&1) || true
	if grep -q '^leaf.crt: OK$' <<<"$out"; then
		echo OK
	else
		sed -n 's/^error \([0-9]*\) at.*/\1/p' <<<"$out" | head -1
	fi
}

check_one() { # check_one NAME NAME-TO-VERIFY EXPECTED
	local got
	got=$(verdict "$CERTS/$1.pem" "$2")
	if [ "$got" = "$3" ]; then
		printf '  ok   %-18s %-14s %s\n' "$1" "$2" "$got"
	else
		printf '  FAIL %-18s %-14s got %s, want %s\n' "$1" "$2" "${got:-?}" "$3"
		FAILS=$((FAILS + 1))
	fi
}

check_key() { # the key must be that of the chain's first certificate, except server-otherkey
	local a b
	a=$(openssl x509 -in "$CERTS/$1.pem" -pubkey -noout)
	b=$(openssl pkey -in "$CERTS/$1.key" -pubout)
	head -1 "$CERTS/$1.key" | grep -q '^-----BEGIN PRIVATE KEY-----$' || {
		echo "  FAIL $1.key is not PKCS#8"
		FAILS=$((FAILS + 1))
	}
	local want=same got=same
	[ "$1" = server-otherkey ] && want=different
	[ "$a" = "$b" ] || got=different
	if [ "$got" != "$want" ]; then
		echo "  FAIL $1.key: key and first certificate are $got, want $want"
		FAILS=$((FAILS + 1))
	fi
}

check() {
	FAILS=0
	local n name
	for n in $(printf '%s\n' "${!EXPECT[@]}" | sort); do
		name=server.test
		case $n in client*) name=- ;; esac
		check_one "$n" "$name" "${EXPECT[$n]}"
		check_key "$n"
	done
	for e in "${EXTRA[@]}"; do
		n=${e%%:*}
		name=${e#*:}
		check_one "$n" "${name%=*}" "${e##*=}"
	done
	[ "$FAILS" = 0 ] || {
		echo "gen.sh: $FAILS check(s) failed" >&2
		exit 1
	}
	echo "gen.sh: all checks passed"
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
CERTS=$here
case "${1:-}" in
--check) ;;
--add) add ;;
*)
	generate
	install
	;;
esac
check
