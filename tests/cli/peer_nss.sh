#!/usr/bin/env bash
# tg-peer-nss: the adapter as server against tg-peer-builtin as client and the other way round, on
# loopback with ports the kernel picks (port 0). TLS 1.3, each suite x {x25519, secp256r1,
# secp384r1} x {ECDSA, RSA} certificates made here, TLS 1.2 suites, --trust + --verify-name, a
# chain from vectors/scenarios/certs, ALPN, client authentication both ways, resumption, the
# transports, flag errors (exit 2), unsupported options (exit 3), --info and --verify. Every
# process started here is killed on exit, and every wait is bounded.
#   peer_nss.sh TLSGAUNTLET SOURCE_DIR   (the peers sit next to TLSGAUNTLET)
set -u
impl=nss
dir=$(dirname "$1")
peer=$dir/tg-peer-$impl
builtin=$dir/tg-peer-builtin
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh" # nap, contains: no process per wait or match
. "$(dirname "$0")/peer_lib.sh"


command -v openssl >/dev/null 2>&1 || { echo "SKIP the openssl command is not installed"; exit 77; }
[ -x "$peer" ] || { echo "SKIP tg-peer-nss was not built (NSS missing)"; exit 77; }
check "tg-peer-builtin exists" test -x "$builtin"
certs=$2/vectors/scenarios/certs

# ---- flags and exit codes --------------------------------------------------------------------------
"$peer" --help >/dev/null; check "--help exits 0" test $? -eq 0
flag_error() { # DESCRIPTION EXPECTED-STDERR ARGS...
  local what=$1 msg=$2; shift 2
  local err
  err=$("$peer" "$@" 2>&1 >/dev/null); local code=$?
  check "$what exits 2" test $code -eq 2
  check "$what says '$msg'" contains "$err" "$msg"
}
flag_error "unknown option" "unknown option '--frobnicate'" --role client --fd 0 --frobnicate
flag_error "unknown cipher name" "--ciphers: unknown name 'TLS_FOO'" --role client --fd 0 --ciphers TLS_FOO
flag_error "a client without trust" "give --trust PEM, --trust-key PEM or --no-verify" \
  --role client --fd 0
flag_error "a server without a certificate" "a server needs --cert and --key" --role server --fd 0
flag_error "a missing certificate file" "$tmp/none.pem" \
  --role server --fd 0 --cert "$tmp/none.pem" --key "$tmp/none.pem"
flag_error "a missing --trust file" "$tmp/none.pem" --role client --fd 0 --trust "$tmp/none.pem"
printf 'not a certificate\n' >"$tmp/junk.pem"
flag_error "a --trust file without certificates" "not a certificate" \
  --role client --fd 0 --trust "$tmp/junk.pem"
printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' >"$tmp/broken.pem"
flag_error "a --trust file with a broken certificate" "certificate does not parse" \
  --role client --fd 0 --trust "$tmp/broken.pem"
flag_error "a key that is not PKCS #8" "PKCS #8" \
  --role server --fd 0 --cert "$certs/server.pem" --key "$2/vectors/keys/p256.sec1.pem"

unsupported() { # DESCRIPTION ARGS...
  local what=$1; shift
  out=$("$peer" "$@" 2>/dev/null </dev/null); rc=$?
  check "$what exits 3" test $rc -eq 3
  check "$what: error_class unsupported" json_is "$out" error_class unsupported
  check "$what: implementation $impl" json_is "$out" implementation "$impl"
}
unsupported "--ticket-key" --role server --fd 0 --ticket-key 000102030405060708090a0b0c0d0e0f
unsupported "--require-ems" --role client --fd 0 --no-verify --require-ems
unsupported "--sess-out (NSS's tokens resume in their own process only)" \
  --role client --fd 0 --no-verify --sess-out "$tmp/s.sess"
unsupported "--sess-in" --role client --fd 0 --no-verify --sess-in "$tmp/s.sess"
unsupported "--groups x448" --role client --fd 0 --no-verify --groups x448
unsupported "--sigalgs ed25519" --role client --fd 0 --no-verify --sigalgs ed25519
unsupported "--ciphers TLS_AES_128_CCM_SHA256" --role client --fd 0 --no-verify \
  --ciphers TLS_AES_128_CCM_SHA256

# ---- --info ----------------------------------------------------------------------------------------
info=$("$peer" --info); rc=$?
check "--info exits 0" test $rc -eq 0
check "--info is one JSON object" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d["implementation"]=="nss" and d["roles"]==["client","server"]))' "$info"
check "--info: TLS 1.2 and 1.3, the three TLS 1.3 suites, x25519, rsa_pss_rsae_sha256, no x448" \
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); ok = {"TLSv1.2","TLSv1.3"} <= set(d["versions"]) and {"TLS_AES_128_GCM_SHA256","TLS_AES_256_GCM_SHA384","TLS_CHACHA20_POLY1305_SHA256"} <= set(d["cipher_suites"]) and "x25519" in d["groups"] and "x448" not in d["groups"] and "rsa_pss_rsae_sha256" in d["signature_schemes"] and "ed25519" not in d["signature_schemes"]; f=d["features"]; ok = ok and f["key_update"] and not f["resumption"] and not f["ticket_key"] and not f["require_ems"]; sys.exit(not ok)' "$info"

# ---- certificates: throwaway, made here --------------------------------------------------------
mkcert() { # NAME KEY-ARGS...
  local name=$1; shift
  openssl req -x509 -nodes "$@" -keyout "$tmp/$name.key" -out "$tmp/$name.crt" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1
}
mkcert ec -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert rsa -newkey rsa:2048
mkcert other -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert client -newkey ec -pkeyopt ec_paramgen_curve:P-256
for c in ec rsa other client; do check "certificate $c was made" test -s "$tmp/$c.crt"; done
trust=(--verify-name localhost)

# ---- the matrix: each TLS 1.3 suite x group x certificate, both directions; TLS 1.2 suites -------
suites=(TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256)
groups=(x25519 secp256r1 secp384r1)
for kind in ec rsa; do
  cert=(--cert "$tmp/$kind.crt" --key "$tmp/$kind.key")
  serve "s_$kind" "$peer" "${cert[@]}" --echo
  n=0
  for suite in "${suites[@]}"; do
    for group in "${groups[@]}"; do
      what="$impl server, $kind, $suite, $group"
      connect "$builtin" --trust "$tmp/$kind.crt" "${trust[@]}" --ciphers "$suite" \
        --groups "$group" --send "to $impl $suite $group"
      n=$((n + 1))
      check "$what: echoed" json_is "$out" received "to $impl $suite $group"
      line=$(server_line $n)
      check "$what: server established" json_is "$line" result established
      check "$what: server cipher" json_is "$line" cipher "$suite"
      check "$what: server group" json_is "$line" group "$group"
      check "$what: server protocol" json_is "$line" protocol TLSv1.3
    done
  done
  stop_last
  serve "b_$kind" "$builtin" "${cert[@]}" --echo --min-version 1.2
  for suite in "${suites[@]}"; do
    for group in "${groups[@]}"; do
      what="$impl client, $kind, $suite, $group"
      connect "$peer" --trust "$tmp/$kind.crt" "${trust[@]}" --ciphers "$suite" --groups "$group" \
        --send "from $impl"
      check "$what: exits 0" test "$rc" -eq 0
      check "$what: cipher" json_is "$out" cipher "$suite"
      check "$what: group" json_is "$out" group "$group"
      check "$what: echoed" json_is "$out" received "from $impl"
    done
  done
  # TLS 1.2, the ECDHE suites of the certificate's kind (the builtin engine's TLS 1.2 suites).
  [ "$kind" = ec ] && auth=ECDSA || auth=RSA
  for suite in "TLS_ECDHE_${auth}_WITH_AES_128_GCM_SHA256" "TLS_ECDHE_${auth}_WITH_AES_256_GCM_SHA384" \
    "TLS_ECDHE_${auth}_WITH_CHACHA20_POLY1305_SHA256"; do
    connect "$peer" --trust "$tmp/$kind.crt" "${trust[@]}" --ciphers "$suite" --send "tls12"
    check "$impl client, TLS 1.2 $suite: protocol" json_is "$out" protocol TLSv1.2
    check "$impl client, TLS 1.2 $suite: cipher" json_is "$out" cipher "$suite"
    check "$impl client, TLS 1.2 $suite: echoed" json_is "$out" received tls12
  done
  stop_last
  serve "s12_$kind" "$peer" "${cert[@]}" --echo --max-version 1.2
  connect "$builtin" --trust "$tmp/$kind.crt" "${trust[@]}" --max-version 1.2 --send tls12
  check "$impl server --max-version 1.2, $kind: TLS 1.2 with the builtin client" \
    json_is "$out" protocol TLSv1.2
  check "$impl server --max-version 1.2, $kind: echoed" json_is "$out" received tls12
  stop_last
done
# The order of --ciphers is the order of preference of an NSS server.
serve order "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo \
  --ciphers TLS_CHACHA20_POLY1305_SHA256,TLS_AES_128_GCM_SHA256
connect "$builtin" --trust "$tmp/ec.crt" --ciphers TLS_AES_128_GCM_SHA256,TLS_CHACHA20_POLY1305_SHA256 --send o
check "$impl server: --ciphers order is the server's preference" json_is "$out" cipher TLS_CHACHA20_POLY1305_SHA256
connect "$builtin" --trust "$tmp/ec.crt" --ciphers TLS_AES_256_GCM_SHA384 --send o
check "$impl server: a suite outside --ciphers is refused" json_is "$out" result failed
stop_last

# ---- ALPN, SNI, --fd, --role client --listen, --key-update, --trust-key ------------------------
serve alpn "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --alpn h2,http/1.1
connect "$peer" --trust "$tmp/ec.crt" --sni localhost --alpn http/1.1 --send a
check "$impl client: ALPN http/1.1 selected" json_is "$out" alpn http/1.1
check "$impl client: --sni localhost is the name verified" json_is "$out" received a
stop_last
# A builtin server that takes the client's first protocol shows the order the client sent.
serve alpnc "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --alpn http/1.1,h2
connect "$peer" --trust "$tmp/ec.crt" --sni localhost --alpn h2,http/1.1 --send a
connect "$peer" --trust "$tmp/ec.crt" --sni localhost --alpn http/1.1,h2 --send a
check "$impl client: an ALPN list is sent in the flag's order" json_is "$out" alpn http/1.1
stop_last
serve alpn1 "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --alpn h2,http/1.1
connect "$peer" --trust "$tmp/ec.crt" --sni example.com --send a
check "$impl client: --sni example.com fails the name check" json_is "$out" error_class certificate
connect "$peer" --trust-key "$tmp/ec.crt" --send k
check "$impl client: --trust-key with the server's key" json_is "$out" received k
connect "$peer" --trust-key "$tmp/other.crt" --send k
check "$impl client: --trust-key with another key fails" json_is "$out" error_class certificate
connect "$peer" --trust "$tmp/ec.crt" --key-update --send ku
check "$impl client: --key-update then echo" json_is "$out" received ku
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  out=$(timeout 20 "$peer" --role client --fd 3 --trust "$tmp/ec.crt" --send fd3 --timeout-ms 10000 \
    2>>"$tmp/client.err")
  exec 3>&-
  check "$impl client: --fd" json_is "$out" received fd3
fi
stop_last
serve alpn2 "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --alpn h2,http/1.1
connect "$builtin" --trust "$tmp/ec.crt" --alpn http/1.1,h2 --send a
check "$impl server: ALPN in the server's order (h2)" json_is "$out" alpn h2
connect "$builtin" --trust "$tmp/ec.crt" --alpn spdy/1 --send a
check "$impl server: no common ALPN protocol: no_application_protocol" \
  json_is "$out" alert_received no_application_protocol
stop_last
"$peer" --role client --listen 127.0.0.1:0 --trust "$tmp/ec.crt" --send turned --timeout-ms 10000 \
  >"$tmp/lclient.out" 2>"$tmp/lclient.err" &
pids+=($!)
if wait_for "$tmp/lclient.err" "^listening on "; then
  lport=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/lclient.err")
  out=$(timeout 20 "$builtin" --role server --connect "127.0.0.1:$lport" --cert "$tmp/ec.crt" \
    --key "$tmp/ec.key" --echo --timeout-ms 10000 2>>"$tmp/client.err")
  check "builtin server --connect to a $impl --role client --listen" json_is "$out" received turned
fi
stop_last

# ---- the scenario certificates: a chain with an intermediate, names, dates ----------------------
serve chain "$builtin" --cert "$certs/server.pem" --key "$certs/server.key" --echo
connect "$peer" --trust "$certs/root.pem" --verify-name server.test --send c
check "$impl client: a chain through an intermediate to --trust" json_is "$out" received c
connect "$peer" --trust "$certs/root.pem" --verify-name other.test --send c
check "$impl client: the wrong name fails" json_is "$out" error_class certificate
check "... with bad_cert_domain's alert" json_is "$out" alert_sent bad_certificate
connect "$peer" --trust "$certs/root2.pem" --verify-name server.test --send c
check "$impl client: another root fails" json_is "$out" alert_sent unknown_ca
stop_last
serve cn "$builtin" --cert "$certs/cn-only.pem" --key "$certs/cn-only.key" --echo
cn=$(openssl x509 -in "$certs/cn-only.pem" -noout -subject -nameopt multiline | sed -n 's/ *commonName *= //p')
connect "$peer" --trust "$certs/root.pem" --verify-name "$cn" --send c
check "$impl client: a CN-only certificate does not match its CN ($cn; RFC 9525)" \
  json_is "$out" error_class certificate
stop_last

# ---- client authentication, both ways ------------------------------------------------------------
client_auth_both_ways

# ---- negative: the client trusts another root -----------------------------------------------------
untrusted_root_both_ways

# ---- resumption and timeouts -------------------------------------------------------------------
serve resume2 "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$builtin" --trust "$tmp/ec.crt" --send full --sess-out "$tmp/b.sess"
connect "$builtin" --trust "$tmp/ec.crt" --send again --sess-in "$tmp/b.sess"
check "$impl server resumes its own ticket" contains "$out" '"resumed":true'
check "... and says so" contains "$(server_line 2)" '"resumed":true'
stop_last
server_timeout=300 serve quiet "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key"
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  check "a silent client times the $impl server out" json_is "$(server_line 1)" error_class timeout
  exec 3>&-
fi
exec 3<>"/dev/tcp/127.0.0.1/$port" && exec 3>&-
check "a client that hangs up mid-handshake: transport" json_is "$(server_line 2)" error_class transport
stop_last

# 1 MiB through an echoing builtin server: writes and reads interleave without a deadlock.
head -c 1048576 /dev/urandom | base64 -w0 >"$tmp/mib"
serve big "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$peer" --trust "$tmp/ec.crt" --send-file "$tmp/mib"
size=$(stat -c %s "$tmp/mib")
check "$impl --send-file: $size bytes sent" contains "$out" "\"bytes_sent\":$size,"
check "$impl --send-file: $size bytes echoed" contains "$out" "\"bytes_received\":$size,"
stop_last

# ---- --verify: NSS's path validation on the scenario chains --------------------------------------
verify() { # REASON|valid LEAF [ARGS...]
  local want=$1 leaf=$2; shift 2
  out=$("$peer" --verify "$certs/$leaf.pem" --trust "$certs/root.pem" --time 1800000000 "$@" 2>&1); rc=$?
  if [ "$want" = valid ]; then
    check "--verify $leaf $*: valid" json_is "$out" verdict valid
    check "--verify $leaf: exit 0" test $rc -eq 0
  else
    check "--verify $leaf $*: $want" json_is "$out" reason "$want"
    check "--verify $leaf: exit 1" test $rc -eq 1
  fi
}
verify valid server --verify-name server.test
check "--verify: flags, the usage and the name check" \
  json_is "$out" flags "usage=certificateUsageSSLServer name=CERT_VerifyCertName"
verify name_mismatch server --verify-name other.test
verify unknown_issuer untrusted
verify bad_signature bad-sig
verify expired expired
verify bad_ext_key_usage wrong-eku
verify valid client --purpose client
check "--verify --purpose client: flags certificateUsageSSLClient" \
  json_is "$out" flags "usage=certificateUsageSSLClient"
verify bad_ext_key_usage server --purpose client
err=$("$peer" --verify "$certs/server.pem" --trust "$certs/root.pem" --profile webpki 2>&1 >/dev/null)
check "--profile webpki exits 3 (NSS has no strict setting)" test $? -eq 3
check "... and says why" contains "$err" "CERT_VerifyCertificate has no strict or profile setting"
out=$("$peer" --verify "$tmp/none.pem" --trust "$certs/root.pem" 2>&1); rc=$?
check "--verify a missing file exits 2" test $rc -eq 2
out=$("$peer" --verify "$tmp/broken.pem" --trust "$certs/root.pem" 2>/dev/null); rc=$?
check "--verify a certificate that does not parse: malformed" json_is "$out" reason malformed

check "no sanitizer report from any peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"
echo "$fails failed"
[ "$fails" -eq 0 ]
