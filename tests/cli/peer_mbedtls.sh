#!/usr/bin/env bash
# tg-peer-mbedtls (Mbed TLS 2.28, TLS 1.2 only): the adapter as server against tg-peer-builtin as
# client and the other way round, on loopback with ports the kernel picks (port 0). Each TLS 1.2
# suite x {x25519, secp256r1} x {ECDSA, RSA} certificates made here, --trust + --verify-name,
# a leaf with the name in its CN only (refused: RFC 9525), echo, ALPN, client authentication
# both ways, --trust-key, resumption both ways, the transports, a client that trusts another
# root (the alerts of both sides), flag errors (exit 2), unsupported options (exit 3), --info
# and --verify. Every process started here is killed on exit, and every wait is bounded.
#   peer_mbedtls.sh TLSGAUNTLET SOURCE_DIR   (the peers sit next to TLSGAUNTLET)
set -u
dir=$(dirname "$1")
src=$2
peer=$dir/tg-peer-mbedtls
builtin=$dir/tg-peer-builtin
[ -x "$peer" ] || { echo "SKIP tg-peer-mbedtls was not built (no libmbedtls-dev)"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "SKIP the openssl command is not installed"; exit 77; }
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh" # nap, contains: no process per wait or match
. "$(dirname "$0")/peer_lib.sh"
b12=(--max-version 1.2) # the builtin peer speaks TLS 1.3 only unless told

not_contains() { ! contains "$1" "$2"; }
check "tg-peer-builtin exists" test -x "$builtin"

# ---- flags and exit codes ------------------------------------------------------------------------
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
flag_error "a client without trust" "give --trust PEM, --trust-key PEM or --no-verify" --role client --fd 0
flag_error "--require-client-cert without trust" "give --trust PEM, --trust-key PEM or --no-verify" \
  --role server --fd 0 --cert "$src/vectors/scenarios/certs/server.pem" \
  --key "$src/vectors/scenarios/certs/server.key" --require-client-cert
flag_error "a server without a certificate" "a server needs --cert and --key" --role server --fd 0
flag_error "a missing certificate file" "$tmp/none.pem" \
  --role server --fd 0 --cert "$tmp/none.pem" --key "$tmp/none.pem"
flag_error "a missing --trust file" "$tmp/none.pem" --role client --fd 0 --trust "$tmp/none.pem"
printf 'not a session' >"$tmp/bad.sess"
flag_error "a --sess-in file that does not parse" "--sess-in $tmp/bad.sess" \
  --role client --fd 0 --no-verify --sess-in "$tmp/bad.sess"

unsupported() { # DESCRIPTION EXPECTED-REASON ARGS...
  local what=$1 why=$2; shift 2
  local err
  out=$("$peer" "$@" 2>"$tmp/unsupported.err" </dev/null); rc=$?
  err=$(cat "$tmp/unsupported.err")
  check "$what exits 3" test $rc -eq 3
  check "$what: error_class unsupported" json_is "$out" error_class unsupported
  check "$what: implementation mbedtls" json_is "$out" implementation mbedtls
  check "$what: the reason says '$why'" contains "$err" "$why"
}
unsupported "--max-version 1.3" "no TLS 1.3" --role client --fd 0 --no-verify --max-version 1.3
unsupported "--min-version 1.3" "no TLS 1.3" --role client --fd 0 --no-verify --min-version 1.3
unsupported "a TLS 1.3 suite" "TLS_AES_128_GCM_SHA256 is not implemented" \
  --role client --fd 0 --no-verify --ciphers TLS_AES_128_GCM_SHA256
unsupported "an RC4 suite (off by the library's default)" "RC4" \
  --role client --fd 0 --no-verify --ciphers TLS_RSA_WITH_RC4_128_SHA
unsupported "--groups ffdhe2048" "ffdhe2048 is not implemented" --role client --fd 0 --no-verify --groups ffdhe2048
unsupported "--sigalgs rsa_pss_rsae_sha256" "rsa_pss_rsae_sha256 is not implemented" \
  --role client --fd 0 --no-verify --sigalgs rsa_pss_rsae_sha256
unsupported "--sigalgs with one scheme of a hash" "goes with rsa_pkcs1_sha256" \
  --role client --fd 0 --no-verify --sigalgs ecdsa_secp256r1_sha256
unsupported "--ticket-key" "--ticket-key" --role server --fd 0 --ticket-key 000102030405060708090a0b0c0d0e0f
unsupported "--require-ems" "--require-ems" --role client --fd 0 --no-verify --require-ems
unsupported "--key-update" "--key-update" --role client --fd 0 --no-verify --key-update
unsupported "--verify-name with an IP address" "no iPAddress" \
  --role client --fd 0 --trust "$src/vectors/scenarios/certs/root.pem" --verify-name 127.0.0.1
unsupported "--sni other than --verify-name" "one name" \
  --role client --fd 0 --trust "$src/vectors/scenarios/certs/root.pem" --sni a.test --verify-name b.test

# ---- --info: probed lists ----------------------------------------------------------------------
info=$("$peer" --info); rc=$?
check "--info exits 0" test $rc -eq 0
check "--info: implementation mbedtls" json_is "$info" implementation mbedtls
check "--info: TLSv1.2 listed" contains "$info" '"TLSv1.2"'
check "--info: no TLSv1.3" not_contains "$info" '"TLSv1.3"'
check "--info: ECDHE_ECDSA AES-128-GCM listed" contains "$info" '"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"'
check "--info: no TLS 1.3 suite" not_contains "$info" '"TLS_AES_128_GCM_SHA256"'
check "--info: no RC4 suite" not_contains "$info" 'RC4'
check "--info: x25519 listed" contains "$info" '"x25519"'
check "--info: no ffdhe group" not_contains "$info" 'ffdhe'
check "--info: no rsa_pss scheme" not_contains "$info" 'rsa_pss'
check "--info: key_update false" contains "$info" '"key_update":false'
check "--info: ticket_key false" contains "$info" '"ticket_key":false'
check "--info: resumption true" contains "$info" '"resumption":true'

# ---- certificates: throwaway, made here --------------------------------------------------------
mkcert() { # NAME SUBJECT-ALT-NAME-OR-EMPTY KEY-ARGS...
  local name=$1 san=$2; shift 2
  openssl req -x509 -nodes "$@" -keyout "$tmp/$name.key" -out "$tmp/$name.crt" -days 2 \
    -subj /CN=localhost ${san:+-addext "subjectAltName=$san"} >/dev/null 2>&1
}
mkcert ec DNS:localhost -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert rsa DNS:localhost -newkey rsa:2048
mkcert other DNS:localhost -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert client DNS:localhost -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert cnonly "" -newkey ec -pkeyopt ec_paramgen_curve:P-256
for c in ec rsa other client cnonly; do check "certificate $c was made" test -s "$tmp/$c.crt"; done
trust=(--verify-name localhost)

# ---- the matrix: each suite x group x certificate, both directions --------------------------------
declare -A suites=(
  [ec]="TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
  [rsa]="TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 TLS_RSA_WITH_AES_128_GCM_SHA256 TLS_RSA_WITH_AES_256_GCM_SHA384"
)
# The group a handshake reports: none for the static RSA key exchange.
group_of() { case $1 in TLS_RSA_*) echo null ;; *) echo "$2" ;; esac; }
for kind in ec rsa; do
  cert=(--cert "$tmp/$kind.crt" --key "$tmp/$kind.key")
  # Mbed TLS holds an ECDSA leaf's curve to the peer's supported_groups too (RFC 8422 5.1, 5.3),
  # so with the P-256 leaf secp256r1 is always listed; its server takes its own order.
  serve "s_$kind" "$peer" "${cert[@]}" --echo --groups x25519,secp256r1
  n=0
  for suite in ${suites[$kind]}; do
    for group in x25519 secp256r1; do
      what="mbedtls server, $kind, $suite, $group"
      offer=$group
      [ "$kind" = ec ] && offer=$group,secp256r1
      connect "$builtin" "${b12[@]}" --trust "$tmp/$kind.crt" "${trust[@]}" --ciphers "$suite" \
        --groups "${offer/secp256r1,secp256r1/secp256r1}" --send "to mbedtls $suite $group"
      n=$((n + 1))
      check "$what: established" json_is "$out" result established
      check "$what: echoed" json_is "$out" received "to mbedtls $suite $group"
      line=$(server_line $n)
      check "$what: server established" json_is "$line" result established
      check "$what: server cipher" json_is "$line" cipher "$suite"
      check "$what: server group" json_is "$line" group "$(group_of "$suite" "$group")"
      check "$what: server protocol" json_is "$line" protocol TLSv1.2
      check "$what: server received" json_is "$line" received "to mbedtls $suite $group"
    done
  done
  stop_last
  serve "b_$kind" "$builtin" "${b12[@]}" "${cert[@]}" --echo --rsa-kx
  n=0
  for suite in ${suites[$kind]}; do
    for group in x25519 secp256r1; do
      what="mbedtls client, $kind, $suite, $group"
      offer=$group
      [ "$kind" = ec ] && offer=$group,secp256r1
      connect "$peer" --trust "$tmp/$kind.crt" "${trust[@]}" --ciphers "$suite" \
        --groups "${offer/secp256r1,secp256r1/secp256r1}" --send "from mbedtls"
      n=$((n + 1))
      check "$what: exits 0" test "$rc" -eq 0
      check "$what: cipher" json_is "$out" cipher "$suite"
      check "$what: group" json_is "$out" group "$(group_of "$suite" "$group")"
      check "$what: echoed" json_is "$out" received "from mbedtls"
      check "$what: the builtin server agrees on the cipher" json_is "$(server_line $n)" cipher "$suite"
    done
  done
  stop_last
done

# ---- names, ALPN, --trust-key, --fd, --role client --listen -------------------------------------
serve alpn "$builtin" "${b12[@]}" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --alpn h2,http/1.1
connect "$peer" --trust "$tmp/ec.crt" --sni localhost --alpn http/1.1 --send a
check "mbedtls client: ALPN http/1.1 selected" json_is "$out" alpn http/1.1
check "mbedtls client: --sni localhost is the name verified" json_is "$out" received a
connect "$peer" --trust "$tmp/ec.crt" --sni example.com --send a
check "mbedtls client: --sni example.com fails the name check" json_is "$out" error_class certificate
connect "$peer" --trust "$tmp/ec.crt" --verify-name example.com --send a
check "mbedtls client: --verify-name example.com fails" json_is "$out" error_class certificate
connect "$peer" --trust-key "$tmp/ec.crt" --send k
check "mbedtls client: --trust-key with the server's key" json_is "$out" received k
connect "$peer" --trust-key "$tmp/other.crt" --send k
check "mbedtls client: --trust-key with another key fails" json_is "$out" error_class certificate
check "... with an alert sent" test "$(json_get "$out" alert_sent)" != null
connect "$peer" --no-verify --send nv
check "mbedtls client: --no-verify" json_is "$out" received nv
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  out=$(timeout 20 "$peer" --role client --fd 3 --trust "$tmp/ec.crt" --send fd3 --timeout-ms 10000 \
    2>>"$tmp/client.err")
  exec 3>&-
  check "mbedtls client: --fd" json_is "$out" received fd3
fi
stop_last
# RFC 9525 6.3: the subject CN is never a name; Mbed TLS itself would fall back to it.
serve cn "$builtin" "${b12[@]}" --cert "$tmp/cnonly.crt" --key "$tmp/cnonly.key" --echo
connect "$peer" --trust "$tmp/cnonly.crt" --verify-name localhost --send cn
check "mbedtls client: a leaf named in its CN only is refused" json_is "$out" error_class certificate
check "... the verify result says the name" contains "$out" "CN"
connect "$peer" --trust "$tmp/cnonly.crt" --send cn
check "mbedtls client: the same leaf without a name to verify is accepted" json_is "$out" received cn
stop_last
serve alpn2 "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --alpn h2,http/1.1
connect "$builtin" "${b12[@]}" --trust "$tmp/ec.crt" --alpn http/1.1,h2 --send a
check "mbedtls server: ALPN in the server's order (h2)" json_is "$out" alpn h2
connect "$builtin" "${b12[@]}" --trust "$tmp/ec.crt" --alpn spdy/1 --send a
check "mbedtls server: no common ALPN protocol: no_application_protocol" \
  json_is "$out" alert_received no_application_protocol
check "... which the mbedtls server reports as sent" \
  json_is "$(server_line 2)" alert_sent no_application_protocol
stop_last
"$peer" --role client --listen 127.0.0.1:0 --trust "$tmp/ec.crt" --send turned --timeout-ms 10000 \
  >"$tmp/lclient.out" 2>"$tmp/lclient.err" &
pids+=($!)
if wait_for "$tmp/lclient.err" "^listening on "; then
  lport=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/lclient.err")
  out=$(timeout 20 "$builtin" "${b12[@]}" --role server --connect "127.0.0.1:$lport" \
    --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --timeout-ms 10000 2>>"$tmp/client.err")
  check "builtin server --connect to a mbedtls --role client --listen" json_is "$out" received turned
fi
stop_last

# ---- client authentication, both ways ------------------------------------------------------------
serve auth "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --require-client-cert \
  --trust "$tmp/client.crt"
connect "$builtin" "${b12[@]}" --trust "$tmp/ec.crt" --cert "$tmp/client.crt" --key "$tmp/client.key" --send hi
check "mbedtls server requires, builtin presents: echoed" json_is "$out" received hi
connect "$builtin" "${b12[@]}" --trust "$tmp/ec.crt" --send hi
check "mbedtls server requires, builtin has none: fails" json_is "$out" result failed
echo "note mbedtls server, no client certificate: mbedtls: $(json_get "$(server_line 2)" error_class), alert $(json_get "$(server_line 2)" alert_sent)"
connect "$builtin" "${b12[@]}" --trust "$tmp/ec.crt" --cert "$tmp/other.crt" --key "$tmp/other.key" --send hi
check "mbedtls server, an untrusted client certificate: the client fails" json_is "$out" result failed
check "... the mbedtls server says certificate" json_is "$(server_line 3)" error_class certificate
check "... the alert it sent is the one the client received" \
  json_is "$out" alert_received "$(json_get "$(server_line 3)" alert_sent)"
stop_last
serve authnv "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --require-client-cert --no-verify
connect "$builtin" "${b12[@]}" --trust "$tmp/ec.crt" --cert "$tmp/other.crt" --key "$tmp/other.key" --send nv
check "mbedtls server --require-client-cert --no-verify takes any certificate" json_is "$out" received nv
stop_last
serve bauth "$builtin" "${b12[@]}" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo \
  --require-client-cert --trust "$tmp/client.crt"
connect "$peer" --trust "$tmp/ec.crt" --cert "$tmp/client.crt" --key "$tmp/client.key" --send hi
check "builtin server requires, mbedtls presents: echoed" json_is "$out" received hi
connect "$peer" --trust "$tmp/ec.crt" --send hi
check "builtin server requires, mbedtls has none: fails" json_is "$out" result failed
stop_last
# The alert checks that follow need a peer that lets its alert be read before it closes: Mbed TLS
# writes each handshake message with its own send, and a peer that refuses an early one and
# closes at once, with the rest unread, resets the connection under the alert (tg-peer-builtin
# does); the adapters on peer_driver.c half-close and drain first.
if [ -x "$dir/tg-peer-openssl" ]; then
  serve oauth "$dir/tg-peer-openssl" --max-version 1.2 --cert "$tmp/ec.crt" --key "$tmp/ec.key" \
    --echo --require-client-cert --trust "$tmp/client.crt"
  connect "$peer" --trust "$tmp/ec.crt" --send hi
  check "openssl server requires, mbedtls has none: fails" json_is "$out" result failed
  check "... the mbedtls client received the alert openssl sent" \
    json_is "$out" alert_received "$(json_get "$(server_line 1)" alert_sent)"
  check "... its error_class is alert_received" json_is "$out" error_class alert_received
  stop_last
fi

# ---- negative: the client trusts another root -----------------------------------------------------
serve neg "$builtin" "${b12[@]}" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$peer" --trust "$tmp/other.crt" "${trust[@]}" --send x
check "mbedtls client trusting another root: exits 1" test "$rc" -eq 1
check "... error_class certificate" json_is "$out" error_class certificate
sent=$(json_get "$out" alert_sent)
check "... the builtin server received the alert mbedtls sent ($sent)" \
  json_is "$(server_line 1)" alert_received "$sent"
stop_last
serve neg2 "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
if [ -x "$dir/tg-peer-openssl" ]; then
  connect "$dir/tg-peer-openssl" --max-version 1.2 --trust "$tmp/other.crt" "${trust[@]}" --send x
  check "openssl client trusting another root: exits 1" test "$rc" -eq 1
  sent=$(json_get "$out" alert_sent)
  line=$(server_line 1)
  check "... the mbedtls server reports alert_received $sent" json_is "$line" alert_received "$sent"
  check "... the mbedtls server's error_class is alert_received" json_is "$line" error_class alert_received
fi
stop_last

# ---- interoperation with the other library adapters over TLS 1.2 ----------------------------------
for other in openssl gnutls; do
  [ -x "$dir/tg-peer-$other" ] || continue
  serve "i_$other" "$peer" --cert "$tmp/rsa.crt" --key "$tmp/rsa.key" --echo
  connect "$dir/tg-peer-$other" --max-version 1.2 --trust "$tmp/rsa.crt" "${trust[@]}" --send "$other"
  check "$other client, mbedtls server: echoed" json_is "$out" received "$other"
  check "... TLSv1.2" json_is "$out" protocol TLSv1.2
  stop_last
  serve "j_$other" "$dir/tg-peer-$other" --max-version 1.2 --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
  connect "$peer" --trust "$tmp/ec.crt" "${trust[@]}" --send "$other"
  check "mbedtls client, $other server: echoed" json_is "$out" received "$other"
  check "... the $other server names the same suite" \
    json_is "$(server_line 1)" cipher "$(json_get "$out" cipher)"
  stop_last
done

# ---- resumption, both ways ----------------------------------------------------------------------
serve resume "$builtin" "${b12[@]}" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$peer" --trust "$tmp/ec.crt" --send full --sess-out "$tmp/s.sess"
check "mbedtls --sess-out: a full handshake" contains "$out" '"resumed":false'
check "mbedtls --sess-out wrote a private file" test "$(stat -c %a "$tmp/s.sess" 2>/dev/null)" = 600
connect "$peer" --trust "$tmp/ec.crt" --send again --sess-in "$tmp/s.sess"
check "mbedtls --sess-in: resumed" contains "$out" '"resumed":true'
check "mbedtls --sess-in: echoed" json_is "$out" received again
check "... the builtin server resumed too" contains "$(server_line 2)" '"resumed":true'
stop_last
serve mresume "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$builtin" "${b12[@]}" --trust "$tmp/ec.crt" --send full --sess-out "$tmp/b.sess"
connect "$builtin" "${b12[@]}" --trust "$tmp/ec.crt" --send again --sess-in "$tmp/b.sess"
check "builtin --sess-in against the mbedtls server: resumed" contains "$out" '"resumed":true'
check "... the mbedtls server says resumed" contains "$(server_line 2)" '"resumed":true'
check "... and its first connection did not" contains "$(server_line 1)" '"resumed":false'
stop_last

# ---- timeouts, a vanished peer, a large transfer ------------------------------------------------
server_timeout=300 serve quiet "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key"
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  check "a silent client times the mbedtls server out" json_is "$(server_line 1)" error_class timeout
  exec 3>&-
fi
exec 3<>"/dev/tcp/127.0.0.1/$port" && exec 3>&-
check "a client that hangs up mid-handshake: transport" json_is "$(server_line 2)" error_class transport
stop_last
head -c 1048576 /dev/urandom | base64 -w0 >"$tmp/mib"
serve big "$builtin" "${b12[@]}" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$peer" --trust "$tmp/ec.crt" --send-file "$tmp/mib"
size=$(stat -c %s "$tmp/mib")
check "mbedtls --send-file: $size bytes sent" contains "$out" "\"bytes_sent\":$size,"
check "mbedtls --send-file: $size bytes echoed" contains "$out" "\"bytes_received\":$size,"
stop_last

# ---- --verify: the library's path validation -------------------------------------------------------
certs=$src/vectors/scenarios/certs
verify() { # EXPECTED-EXIT VERDICT REASON ARGS...
  local code=$1 verdict=$2 reason=$3; shift 3
  out=$("$peer" --verify "$@" 2>>"$tmp/verify.err"); rc=$?
  check "--verify $*: exit $code" test "$rc" -eq "$code"
  check "--verify ...: $verdict" json_is "$out" verdict "$verdict"
  check "--verify ...: reason $reason" json_is "$out" reason "$reason"
}
verify 0 valid null "$certs/server.pem" --trust "$certs/root.pem" --verify-name server.test
verify 1 invalid name_mismatch "$certs/server.pem" --trust "$certs/root.pem" --verify-name other.test
verify 1 invalid unknown_issuer "$certs/server.pem" --trust "$tmp/other.crt"
verify 1 invalid expired "$certs/expired.pem" --trust "$certs/root.pem"
verify 1 invalid not_yet_valid "$certs/not-yet-valid.pem" --trust "$certs/root.pem"
# --time moves the clock: the valid leaf expired by 2100, and the expired one was valid once.
verify 1 invalid expired "$certs/server.pem" --trust "$certs/root.pem" --time 4102444800
verify 1 invalid bad_ext_key_usage "$certs/server.pem" --trust "$certs/root.pem" --purpose client
check "--verify: flags, the profile and the extKeyUsage" \
  json_is "$out" flags "mbedtls_x509_crt_profile_default extKeyUsage=MBEDTLS_OID_CLIENT_AUTH"
printf -- '-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n' >"$tmp/bad.pem"
verify 1 invalid malformed "$tmp/bad.pem" --trust "$certs/root.pem"
"$peer" --verify "$certs/server.pem" --trust "$tmp/none.pem" >/dev/null 2>&1
check "--verify with a missing --trust file exits 2" test $? -eq 2
verify 0 valid null "$certs/server.pem" --trust "$certs/root.pem" --profile webpki
check "--profile webpki: mbedtls_x509_crt_profile_next" \
  json_is "$out" flags "mbedtls_x509_crt_profile_next extKeyUsage=MBEDTLS_OID_SERVER_AUTH"
# A P-224 leaf: the default profile takes any curve, _next those of 256 bits and more.
mk_leaf "$certs" p224 -newkey ec -pkeyopt ec_paramgen_curve:P-224
verify 0 valid null "$tmp/p224.pem" --trust "$certs/root.pem"
verify 1 invalid weak_algorithm "$tmp/p224.pem" --trust "$certs/root.pem" --profile webpki

# ---- the baseline: each entry says how to reproduce it without the adapter, and each replay:
# command (mbedtls_minimal) shows the same behaviour as the adapter (xfail) ---------------------
base=$src/vectors/baselines/mbedtls
missing=$(awk '/^  - id:/ { if (id != "" && !ev) print id; id = $3; ev = 0 }
               /^    evidence:/ { ev = 1 }
               END { if (id != "" && !ev) print id }' "$base"/*.yaml)
check "every mbedtls baseline entry has evidence${missing:+ (not: $missing)}" test -z "$missing"
if [ -x "$dir/test-peers/mbedtls_minimal" ]; then
  replays=$(cat "$base"/*.yaml | grep -c '^    replay:')
  # The scenarios of the entries with a replay command, whatever their suite (ids unquoted; "["
  # and "]" of a matrix id are "?" in a --filter GLOB).
  filters=()
  for id in $(awk '/^  - id:/ { id = $3 } /^    replay:/ { print id }' "$base"/*.yaml | tr -d '"' | sed 's/[][]/?/g'); do
    filters+=(--filter "$id")
  done
  "$1" run --peer mbedtls --replay --jobs 1 --quiet --scenarios "$src/vectors/scenarios" \
    "${filters[@]}" --json "$tmp/replay.json" >"$tmp/replay.out" 2>&1
  check "replay: every entry with a replay command shows without the adapter (exit 0)" test $? -eq 0
  grep -A20 '^Unexpected results' "$tmp/replay.out" | head -20
  # Every result is an xfail, and each replay command gave at least one (an entry whose id
  # ends in [*] covers each run of its matrix).
  xfails=$(grep -o '"verdict": "xfail"' "$tmp/replay.json" | wc -l)
  results=$(grep -o '"verdict": "' "$tmp/replay.json" | wc -l)
  check "replay: $xfails xfail results of $results for $replays replay commands" \
    test "$xfails" -eq "$results" -a "$xfails" -ge "$replays" -a "$replays" -gt 0
fi

check "no sanitizer report from any peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"
echo "$fails failed"
[ "$fails" -eq 0 ]
