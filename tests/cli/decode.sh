#!/usr/bin/env bash
# tlsgauntlet decode on the RFC 8448 §3 ClientHello, as is, with one field broken, and with
# GREASE values and registered extensions the engine does not implement (named, not numbers);
# usage errors exit 2 and leak nothing (the ASan build runs this too).
#   decode.sh TLSGAUNTLET SOURCE_DIR
set -u
bin=$1 src=$2
v=$src/vectors/rfc8448/sec3-simple-1rtt
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # DESCRIPTION CONDITION...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
contains() { grep -qF -- "$2" <<<"$1"; }

ch=$(cat "$v/client_hello.hex")
out=$("$bin" decode --as handshake --hex "$ch"); rc=$?
check "well-formed ClientHello exits 0" test $rc -eq 0
check "shows TLS_AES_128_GCM_SHA256" contains "$out" "TLS_AES_128_GCM_SHA256 (0x1301)"
check "shows TLS_CHACHA20_POLY1305_SHA256" contains "$out" "TLS_CHACHA20_POLY1305_SHA256 (0x1303)"
check "shows TLS_AES_256_GCM_SHA384" contains "$out" "TLS_AES_256_GCM_SHA384 (0x1302)"
check "shows server_name \"server\"" contains "$out" '"server"'
check "shows the x25519 key share" contains "$out" "x25519 (0x001d)"
check "shows the key share bytes" contains "$out" "$(cat "$v/client_x25519_public.hex")"

# The record form of the same message decodes to the same fields.
out=$("$bin" decode --hex "$(cat "$v/client_hello_record.hex")"); rc=$?
check "the ClientHello record decodes" test $rc -eq 0
check "record shows the handshake inside" contains "$out" "client_hello"

# cipher_suites length 6 -> 5: offset 78 in hex (header 8, version 4, random 64, session id 2).
odd=${ch:0:78}0005${ch:82}
out=$("$bin" decode --as handshake --hex "$odd"); rc=$?
check "odd cipher_suites length exits 2" test $rc -eq 2
check "odd cipher_suites length is decode_error" contains "$out" "decode_error: ClientHello.cipher_suites has odd length 5 (tls/src/handshake/client_hello.c:"

# A second server_name extension (15 bytes) right after the first: the extensions length at hex
# offset 98 grows from 0x91 to 0xa0 and the handshake length from 0xc0 to 0xcf.
sn=${ch:102:30}
dup=010000cf${ch:8:90}00a0${sn}${sn}${ch:132}
out=$("$bin" decode --as handshake --hex "$dup"); rc=$?
check "duplicated server_name exits 2" test $rc -eq 2
check "duplicated server_name is illegal_parameter" contains "$out" "illegal_parameter: "
check "the error names server_name" contains "$out" "server_name"

out=$("$bin" decode --as handshake --hex "$odd" --json); rc=$?
check "--json error exits 2" test $rc -eq 2
check "--json names the alert" contains "$out" '"alert": "decode_error"'
out=$("$bin" decode --as handshake --hex "$ch" --json)
check "--json shows the suite name" contains "$out" '"name": "TLS_AES_128_GCM_SHA256"'
if command -v python3 >/dev/null 2>&1; then
  check "--json output parses" python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$out"
fi

"$bin" decode --hex "0g" >/dev/null 2>&1; rc=$?
check "bad hex exits 2" test $rc -eq 2
"$bin" decode --as nonsense --hex 00 >/dev/null 2>&1; rc=$?
check "bad --as exits 2" test $rc -eq 2
# Registered code points and GREASE (RFC 8701) are named, not bare numbers. The ClientHello with
# TLS_AES_256_GCM_SHA384 replaced by the GREASE suite 0x2a2a, ffdhe8192 in supported_groups by
# the GREASE group 0x3a3a, and seven extensions appended (39 bytes: the extensions length grows
# from 0x91 to 0xb8, the handshake length from 0xc0 to 0xe7): GREASE 0x0a0a, compress_certificate
# (27), ALPS under both code points (17513, 17613), encrypted_client_hello (0xfe0d), and 0x1a2a,
# which is no GREASE value (the nibbles differ) and has no name.
g=${ch:8:82}2a2a${ch:94:4}00b8${ch:102}
g=010000e7${g/01030104/01033a3a}
g+=0a0a0000 # GREASE, empty
g+=001b0003020002 # compress_certificate: brotli
g+=446900050003026832 # application_settings_old: h2
g+=44cd00050003026832 # application_settings: h2
g+=fe0d0002abcd # encrypted_client_hello
g+=1a2a0000 # no name
out=$("$bin" decode --as handshake --hex "$g"); rc=$?
check "GREASE and registered code points: exit 0" test $rc -eq 0
check "a GREASE cipher suite is named" contains "$out" "- GREASE_2a2a (0x2a2a)"
check "a GREASE group is named" contains "$out" "- GREASE_3a3a (0x3a3a)"
check "a GREASE extension is named" contains "$out" "extension_type: GREASE_0a0a (0x0a0a)"
check "compress_certificate is named" contains "$out" "extension_type: compress_certificate (0x001b)"
check "ALPS (17513) is named" contains "$out" "extension_type: application_settings_old (0x4469)"
check "ALPS (17613) is named" contains "$out" "extension_type: application_settings (0x44cd)"
check "encrypted_client_hello is named" contains "$out" "extension_type: encrypted_client_hello (0xfe0d)"
check "0x1a2a is not taken for GREASE" contains "$out" "extension_type: 6698"$'\n'
# The names read back as the same values in a scenario file.
printf 'id: names/grease\nrfc: RFC 8701 2\ntarget: server\nscript:\n  - send: client_hello\n    extensions: {add: [{type: GREASE_7a7a, hex: ""}, {type: compress_certificate, hex: "020002"}, {type: application_settings, hex: "00"}]}\n    set: {cipher_suites: [GREASE_5a5a, TLS_AES_128_GCM_SHA256]}\n  - expect: established\n' >"$tmp/names.yaml"
out=$("$bin" list "$tmp/names.yaml" 2>&1); rc=$?
check "a scenario naming GREASE values and new extensions loads" test $rc -eq 0
check "... and lists" contains "$out" "names/grease"

# A usage error after the input was read frees it (LeakSanitizer, in the ASan build, reported the
# buffer and changed the exit status) and exits 2.
for args in "--hex 00 --as foo" "--hex 00 --file $v/client_hello.hex" "--file $v/client_hello.hex --hex 00" \
  "--hex 00 --bogus" "--hex 00 --version 1.4" "--hex 00 extra"; do
  # shellcheck disable=SC2086 # the words of args are the arguments
  err=$("$bin" decode $args 2>&1 >/dev/null); rc=$?
  check "decode ${args/$v\//}: exit 2" test $rc -eq 2
  check "decode ${args/$v\//}: no leak reported" bash -c '[[ $1 != *LeakSanitizer* ]]' _ "$err"
done
# An input that never ends is cut off with a message, not read until memory runs out.
err=$("$bin" decode --file /dev/zero 2>&1 >/dev/null); rc=$?
check "decode --file /dev/zero: exit 2" test $rc -eq 2
check "decode --file /dev/zero: larger than 16 MiB" contains "$err" "/dev/zero: larger than 16 MiB"
out=$("$bin" decode --hex 00 --help); rc=$?
check "decode --hex 00 --help: exit 0" test $rc -eq 0
check "decode --hex 00 --help: the usage" contains "$out" "usage: tlsgauntlet decode"

out=$("$bin" decode --as handshake --hex "${ch:0:100}"); rc=$?
check "truncated message exits 2" test $rc -eq 2
check "truncated message is decode_error" contains "$out" "decode_error: "

# Certificates: DER from a file, and a PEM chain.
out=$("$bin" decode --as certificate --file "$src/vectors/x509/leaf_p256.der"); rc=$?
check "a DER certificate decodes" test $rc -eq 0
check "it shows the subject CN" contains "$out" '"www.example.com"'
check "it shows the validity" contains "$out" '"2035-01-01T00:00:00Z"'
out=$("$bin" decode --file "$src/vectors/x509/leaf_p256.der"); rc=$?
check "a certificate is recognised without --as" contains "$out" "certificates:"
out=$("$bin" decode --as certificate --hex 3003020100); rc=$?
check "a non-certificate exits 2" test $rc -eq 2
check "a non-certificate is bad_certificate" contains "$out" "bad_certificate: Certificate.tbsCertificate"

echo "$fails failed"
[ $fails -eq 0 ]
