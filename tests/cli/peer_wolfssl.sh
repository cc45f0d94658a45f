#!/usr/bin/env bash
# tg-peer-wolfssl against tg-peer-builtin both ways, on loopback with ports the kernel picks
# (port 0): TLS 1.3 each suite x {x25519, secp256r1, secp384r1} x {ECDSA, RSA, Ed25519}
# certificates made here, TLS 1.2 ECDHE suites, --trust + --verify-name, a CN-only certificate,
# --trust-key, ALPN (the server's order, no overlap), client authentication both ways, an
# untrusted root both ways, --key-update, resumption (--sess-out/--sess-in, --ticket-key shared by
# two servers), flag errors (exit 2), unsupported options (exit 3), --info, and --verify on the
# scenario certificates. Every process started here is killed on exit, and every wait is bounded.
#   peer_wolfssl.sh TLSGAUNTLET SOURCE_DIR   (the peers sit next to TLSGAUNTLET)
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh"
dir=$(dirname "$1")
src=$2
peer=$dir/tg-peer-wolfssl
builtin=$dir/tg-peer-builtin
[ -x "$peer" ] || { echo "SKIP tg-peer-wolfssl is not built (wolfSSL not found)"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "SKIP the openssl command is not installed"; exit 77; }
check "tg-peer-builtin exists" test -x "$builtin"

. "$(dirname "$0")/peer_lib.sh"

# ---- flags, exit codes, --info -----------------------------------------------------------------
"$peer" --help >/dev/null
check "--help exits 0" test $? -eq 0
flag_error() { # DESCRIPTION EXPECTED-STDERR ARGS...
  local what=$1 msg=$2 err code
  shift 2
  err=$("$peer" "$@" 2>&1 >/dev/null)
  code=$?
  check "$what exits 2" test $code -eq 2
  check "$what says '$msg'" contains "$err" "$msg"
}
flag_error "unknown option" "unknown option '--frobnicate'" --role client --fd 0 --frobnicate
flag_error "a client without trust" "give --trust PEM, --trust-key PEM or --no-verify" \
  --role client --fd 0
flag_error "a server without a certificate" "a server needs --cert and --key" --role server --fd 0
flag_error "a missing certificate file" "$tmp/none.pem" \
  --role server --fd 0 --cert "$tmp/none.pem" --key "$tmp/none.pem"
flag_error "a missing --trust file" "$tmp/none.pem" --role client --fd 0 --trust "$tmp/none.pem"
printf 'not a certificate' >"$tmp/junk.pem"
flag_error "a --trust-key file without certificates" "$tmp/junk.pem" \
  --role client --fd 0 --trust-key "$tmp/junk.pem"
printf 'not a session' >"$tmp/bad.sess"
flag_error "a --sess-in file that does not parse" "--sess-in $tmp/bad.sess" \
  --role client --fd 0 --no-verify --sess-in "$tmp/bad.sess"
unsupported() { # DESCRIPTION ARGS...
  local what=$1
  shift
  out=$("$peer" "$@" 2>/dev/null </dev/null)
  rc=$?
  check "$what exits 3" test $rc -eq 3
  check "$what: error_class unsupported" json_is "$out" error_class unsupported
}
unsupported "--require-ems" --role client --fd 0 --no-verify --require-ems
unsupported "a static RSA suite" --role client --fd 0 --no-verify --ciphers TLS_RSA_WITH_AES_128_GCM_SHA256
unsupported "--sigalgs rsa_pss_pss_sha256" --role client --fd 0 --no-verify --sigalgs rsa_pss_pss_sha256
unsupported "--groups ffdhe4096" --role client --fd 0 --no-verify --groups ffdhe4096

info=$("$peer" --info)
check "--info exits 0" test $? -eq 0
check "--info: implementation wolfssl" json_is "$info" implementation wolfssl
if command -v python3 >/dev/null 2>&1; then
  check "--info: the lists and features" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["roles"] == ["client", "server"] and "TLSv1.3" in d["versions"] and "TLSv1.2" in d["versions"]
assert {"TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"} <= set(d["cipher_suites"])
assert not [s for s in d["cipher_suites"] if s.startswith("TLS_RSA_WITH")]  # --ciphers refuses them
assert {"x25519", "secp256r1"} <= set(d["groups"]) and "ffdhe4096" not in d["groups"]
assert "ed25519" in d["signature_schemes"] and "rsa_pss_pss_sha256" not in d["signature_schemes"]
f = d["features"]
assert f["ticket_key"] and f["key_update"] and f["resumption"] and not f["require_ems"]' "$info"
fi

# ---- certificates: throwaway, made here --------------------------------------------------------
mkcert() { # NAME SUBJECT-ALT-NAME|"" KEY-ARGS...
  local name=$1 san=$2
  shift 2
  openssl req -x509 -nodes "$@" -keyout "$tmp/$name.key" -out "$tmp/$name.crt" -days 2 \
    -subj /CN=localhost ${san:+-addext subjectAltName=$san} >/dev/null 2>&1
}
mkcert ec DNS:localhost -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert rsa DNS:localhost -newkey rsa:2048
mkcert ed DNS:localhost -newkey ed25519
mkcert other DNS:localhost -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert client DNS:client -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert cn "" -newkey ec -pkeyopt ec_paramgen_curve:P-256
for c in ec rsa ed other client cn; do check "certificate $c was made" test -s "$tmp/$c.crt"; done
name=(--verify-name localhost)

# ---- TLS 1.3: each suite x group x certificate, both directions ---------------------------------
suites=(TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256)
groups=(x25519 secp256r1 secp384r1)
for kind in ec rsa ed; do
  cert=(--cert "$tmp/$kind.crt" --key "$tmp/$kind.key")
  serve "w_$kind" "$peer" "${cert[@]}" --echo
  n=0
  for suite in "${suites[@]}"; do
    for group in "${groups[@]}"; do
      what="wolfssl server, $kind, $suite, $group"
      connect "$builtin" --trust "$tmp/$kind.crt" "${name[@]}" --ciphers "$suite" --groups "$group" \
        --send "to $suite $group"
      n=$((n + 1))
      check "$what: echoed" json_is "$out" received "to $suite $group"
      line=$(server_line $n)
      check "$what: server cipher" json_is "$line" cipher "$suite"
      check "$what: server group" json_is "$line" group "$group"
      check "$what: server protocol" json_is "$line" protocol TLSv1.3
    done
  done
  stop_last
  serve "b_$kind" "$builtin" "${cert[@]}" --echo
  for suite in "${suites[@]}"; do
    for group in "${groups[@]}"; do
      what="wolfssl client, $kind, $suite, $group"
      connect "$peer" --trust "$tmp/$kind.crt" "${name[@]}" --ciphers "$suite" --groups "$group" \
        --send "from $suite"
      check "$what: exits 0" test "$rc" -eq 0
      check "$what: cipher" json_is "$out" cipher "$suite"
      check "$what: group" json_is "$out" group "$group"
      check "$what: echoed" json_is "$out" received "from $suite"
    done
  done
  stop_last
done

# ---- TLS 1.2 -------------------------------------------------------------------------------------
tls12=(--min-version 1.2 --max-version 1.2)
for pair in ec:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 ec:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 \
  ec:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 rsa:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \
  rsa:TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256; do
  kind=${pair%%:*} suite=${pair#*:}
  cert=(--cert "$tmp/$kind.crt" --key "$tmp/$kind.key")
  serve w12 "$peer" "${cert[@]}" --echo "${tls12[@]}" --ciphers "$suite"
  connect "$builtin" --trust "$tmp/$kind.crt" "${name[@]}" "${tls12[@]}" --ciphers "$suite" --send t12
  check "wolfssl server, TLS 1.2 $suite: echoed" json_is "$out" received t12
  check "wolfssl server, TLS 1.2 $suite: protocol" json_is "$(server_line 1)" protocol TLSv1.2
  check "wolfssl server, TLS 1.2 $suite: cipher" json_is "$(server_line 1)" cipher "$suite"
  stop_last
  serve b12 "$builtin" "${cert[@]}" --echo "${tls12[@]}"
  connect "$peer" --trust "$tmp/$kind.crt" "${name[@]}" --ciphers "$suite" --send t12
  check "wolfssl client, TLS 1.2 $suite: cipher" json_is "$out" cipher "$suite"
  check "wolfssl client, TLS 1.2 $suite: echoed" json_is "$out" received t12
  stop_last
done

# ---- names, pins, ALPN, --key-update, --fd -------------------------------------------------------
serve names "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --alpn h2,http/1.1
connect "$peer" --trust "$tmp/ec.crt" --sni localhost --alpn http/1.1 --send a
check "wolfssl client: ALPN http/1.1 selected" json_is "$out" alpn http/1.1
check "wolfssl client: --sni localhost is the name verified" json_is "$out" received a
connect "$peer" --trust "$tmp/ec.crt" --verify-name example.com --send a
check "wolfssl client: another name fails" json_is "$out" error_class certificate
check "... with the alert wolfSSL sends (bad_certificate)" json_is "$out" alert_sent bad_certificate
check "... which the builtin server received" json_is "$(server_line 2)" alert_received bad_certificate
connect "$peer" --trust-key "$tmp/ec.crt" --send k
check "wolfssl client: --trust-key with the server's key" json_is "$out" received k
connect "$peer" --trust-key "$tmp/other.crt" --send k
check "wolfssl client: --trust-key with another key fails" json_is "$out" error_class certificate
connect "$peer" --trust "$tmp/ec.crt" --key-update --send ku
check "wolfssl client: --key-update then echo" json_is "$out" received ku
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  out=$(timeout 20 "$peer" --role client --fd 3 --trust "$tmp/ec.crt" --send fd3 --timeout-ms 10000 \
    2>>"$tmp/client.err")
  exec 3>&-
  check "wolfssl client: --fd" json_is "$out" received fd3
fi
stop_last
# RFC 9525 6.3: no CN fallback, although wolfSSL_check_domain_name would take the CN.
serve cn "$builtin" --cert "$tmp/cn.crt" --key "$tmp/cn.key" --echo
connect "$peer" --trust "$tmp/cn.crt" "${name[@]}" --send cn
check "wolfssl client: a CN-only certificate does not match the name" json_is "$out" error_class certificate
connect "$peer" --trust "$tmp/cn.crt" --send cn
check "wolfssl client: a CN-only certificate without a name to verify" json_is "$out" received cn
stop_last
serve ed "$builtin" --cert "$tmp/ed.crt" --key "$tmp/ed.key" --echo
connect "$peer" --trust-key "$tmp/ed.crt" --send e
check "wolfssl client: --trust-key with an Ed25519 key" json_is "$out" received e
stop_last
serve alpn "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --alpn h2,http/1.1
connect "$builtin" --trust "$tmp/ec.crt" --alpn http/1.1,h2 --send a
check "wolfssl server: ALPN in the server's order (h2)" json_is "$out" alpn h2
check "wolfssl server: reports h2" json_is "$(server_line 1)" alpn h2
connect "$builtin" --trust "$tmp/ec.crt" --alpn spdy/1 --send a
check "wolfssl server: no common protocol: no_application_protocol" \
  json_is "$out" alert_received no_application_protocol
connect "$builtin" --trust "$tmp/ec.crt" --key-update --send ku
check "wolfssl server: a KeyUpdate from the client, then echo" json_is "$out" received ku
stop_last

# ---- client authentication and untrusted roots ---------------------------------------------------
serve auth "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --require-client-cert \
  --trust "$tmp/client.crt"
connect "$builtin" --trust "$tmp/ec.crt" --cert "$tmp/client.crt" --key "$tmp/client.key" --send hi
check "wolfssl server requires, builtin presents: echoed" json_is "$out" received hi
connect "$builtin" --trust "$tmp/ec.crt" --send hi
# RFC 8446 4.4.2.4: certificate_required.
check "wolfssl server requires, builtin has none: certificate_required" \
  json_is "$out" alert_received certificate_required
check "... the wolfssl server says certificate" json_is "$(server_line 2)" error_class certificate
connect "$builtin" --trust "$tmp/ec.crt" --cert "$tmp/other.crt" --key "$tmp/other.key" --send hi
check "wolfssl server, an untrusted client certificate: the client fails" json_is "$out" result failed
check "... the wolfssl server says certificate" json_is "$(server_line 3)" error_class certificate
stop_last
serve bauth "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --require-client-cert \
  --trust "$tmp/client.crt"
connect "$peer" --trust "$tmp/ec.crt" --cert "$tmp/client.crt" --key "$tmp/client.key" --send hi
check "builtin server requires, wolfssl presents: echoed" json_is "$out" received hi
connect "$peer" --trust "$tmp/ec.crt" --send hi
check "builtin server requires, wolfssl has none: certificate_required" \
  json_is "$out" alert_received certificate_required
stop_last
serve neg "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$builtin" --trust "$tmp/other.crt" "${name[@]}" --send x
sent=$(json_get "$out" alert_sent)
check "builtin client trusting another root: exits 1" test "$rc" -eq 1
check "... the wolfssl server reports alert_received $sent" json_is "$(server_line 1)" alert_received "$sent"
stop_last

# ---- resumption ----------------------------------------------------------------------------------
key=000102030405060708090a0b0c0d0e0f
serve t1 "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --ticket-key $key
p1=$port
serve t2 "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --ticket-key $key
p2=$port
serve t3 "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --ticket-key ff${key#00}
p3=$port
for v in 1.3 1.2; do
  port=$p1 connect "$peer" --trust "$tmp/ec.crt" --max-version $v --send full --sess-out "$tmp/s$v"
  check "TLS $v --sess-out wrote a private file" test "$(stat -c %a "$tmp/s$v" 2>/dev/null)" = 600
  port=$p1 connect "$peer" --trust "$tmp/ec.crt" --max-version $v --send again --sess-in "$tmp/s$v"
  check "TLS $v --sess-in: resumed by the same server" contains "$out" '"resumed":true'
  port=$p2 connect "$peer" --trust "$tmp/ec.crt" --max-version $v --send again --sess-in "$tmp/s$v"
  check "TLS $v --sess-in: resumed by another server with the same --ticket-key" contains "$out" '"resumed":true'
  # TLS 1.2: a wolfSSL client whose ticket the server refuses takes the full handshake for a
  # resumption and fails (unexpected_message), against any server (peers/README.md).
  [ $v = 1.2 ] && continue
  port=$p3 connect "$peer" --trust "$tmp/ec.crt" --max-version $v --send again --sess-in "$tmp/s$v"
  check "TLS $v --sess-in: a server with another key makes a full handshake" contains "$out" '"resumed":false'
  check "... and echoes" json_is "$out" received again
done
stop_last
stop_last
stop_last
serve bres "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$peer" --trust "$tmp/ec.crt" --send full --sess-out "$tmp/b.sess"
connect "$peer" --trust "$tmp/ec.crt" --send again --sess-in "$tmp/b.sess"
check "wolfssl client resumes with the builtin server" contains "$out" '"resumed":true'
stop_last

# ---- --verify ------------------------------------------------------------------------------------
certs=$src/vectors/scenarios/certs
verify() { # EXPECTED-VERDICT EXPECTED-REASON ARGS...
  local verdict=$1 reason=$2
  shift 2
  out=$("$peer" --verify "$@" 2>>"$tmp/verify.err")
  check "--verify $*: $verdict" json_is "$out" verdict "$verdict"
  [ "$reason" = - ] || check "--verify $*: $reason" json_is "$out" reason "$reason"
}
verify valid - "$certs/server.pem" --trust "$certs/root.pem" --verify-name server.test
check "--verify: flags, the extKeyUsage bits and the name check" \
  json_is "$out" flags "extKeyUsage=EXTKEYUSE_SERVER_AUTH|EXTKEYUSE_ANY name=wolfSSL_X509_check_host"
verify invalid name_mismatch "$certs/server.pem" --trust "$certs/root.pem" --verify-name other.test
verify invalid name_mismatch "$certs/cn-only.pem" --trust "$certs/root.pem" --verify-name server.test
verify invalid expired "$certs/expired.pem" --trust "$certs/root.pem"
verify invalid unknown_issuer "$certs/server.pem" --trust "$certs/root2.pem"
verify invalid not_a_ca "$certs/noca-inter.pem" --trust "$certs/root.pem"
verify invalid bad_ext_key_usage "$certs/client-wrong-eku.pem" --trust "$certs/root.pem" --purpose client
check "... flags EXTKEYUSE_CLIENT_AUTH" json_is "$out" flags "extKeyUsage=EXTKEYUSE_CLIENT_AUTH|EXTKEYUSE_ANY"
# The verification time: the server certificate is not yet valid in 2001.
verify invalid not_yet_valid "$certs/server.pem" --trust "$certs/root.pem" --time 1000000000
"$peer" --verify "$certs/server.pem" --trust "$tmp/none.pem" >/dev/null 2>&1
check "--verify with a missing trust file exits 2" test $? -eq 2
err=$("$peer" --verify "$certs/server.pem" --trust "$certs/root.pem" --profile webpki 2>&1 >/dev/null)
check "--profile webpki exits 3 (wolfSSL has no strict setting)" test $? -eq 3
check "... and says why" contains "$err" "certificate manager has no strict or profile setting"

check "no sanitizer report from any peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"
finish peer_wolfssl
