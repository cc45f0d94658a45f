#!/usr/bin/env bash
# tg-peer-openssl (and, through peer_boringssl.sh, tg-peer-boringssl): the adapter as server
# against tg-peer-builtin as client and the other way round, on loopback with ports the kernel
# picks (port 0). TLS 1.3, each suite x {x25519, secp256r1} x {ECDSA, RSA} certificates made
# here, --trust + --verify-name localhost, echo, ALPN, client authentication both ways, the
# transports, a client that trusts another root (the alerts of both sides are printed), flag
# errors (exit 2) and unsupported options (exit 3). Every process started here is killed on
# exit, and every wait is bounded.
#   peer_openssl.sh TLSGAUNTLET SOURCE_DIR   (the peers sit next to TLSGAUNTLET)
# TG_SSLAPI_IMPL=boringssl tests tg-peer-boringssl instead.
set -u
impl=${TG_SSLAPI_IMPL:-openssl}
dir=$(dirname "$1")
peer=$dir/tg-peer-$impl
builtin=$dir/tg-peer-builtin
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh" # nap, contains: no process per wait or match
. "$(dirname "$0")/peer_lib.sh"

command -v openssl >/dev/null 2>&1 || { echo "SKIP the openssl command is not installed"; exit 77; }
check "tg-peer-$impl exists" test -x "$peer"
check "tg-peer-builtin exists" test -x "$builtin"

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
printf 'not a session' >"$tmp/bad.sess"
flag_error "a --sess-in file that does not parse" "--sess-in $tmp/bad.sess" \
  --role client --fd 0 --no-verify --sess-in "$tmp/bad.sess"

unsupported() { # DESCRIPTION ARGS...
  local what=$1; shift
  out=$("$peer" "$@" 2>/dev/null </dev/null); rc=$?
  check "$what exits 3" test $rc -eq 3
  check "$what: error_class unsupported" json_is "$out" error_class unsupported
  check "$what: implementation $impl" json_is "$out" implementation "$impl"
}
unsupported "--ticket-key" --role server --fd 0 --ticket-key 000102030405060708090a0b0c0d0e0f
# In a connection only the builtin adapter validates under webpki (peer_library.webpki).
unsupported "--profile webpki in a connection" --role client --fd 0 --trust "$2/vectors/scenarios/certs/root.pem" \
  --profile webpki
if [ "$impl" = boringssl ]; then
  unsupported "a TLS 1.3 suite BoringSSL lacks" --role client --fd 0 --no-verify --ciphers TLS_AES_128_CCM_SHA256
  unsupported "--groups x448" --role client --fd 0 --no-verify --groups x448
  unsupported "--sigalgs ed448" --role client --fd 0 --no-verify --sigalgs ed448
fi

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

# ---- the matrix: each suite x group x certificate, both directions --------------------------------
suites=(TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256)
# BoringSSL cannot choose a TLS 1.3 suite: the builtin side alone names it.
adapter_ciphers() { [ "$impl" = boringssl ] || echo "--ciphers $1"; }
for kind in ec rsa; do
  cert=(--cert "$tmp/$kind.crt" --key "$tmp/$kind.key")
  # The adapter as server, the builtin peer as client.
  serve "s_$kind" "$peer" "${cert[@]}" --echo
  n=0
  for suite in "${suites[@]}"; do
    for group in x25519 secp256r1; do
      what="$impl server, $kind, $suite, $group"
      connect "$builtin" --trust "$tmp/$kind.crt" "${trust[@]}" --ciphers "$suite" \
        --groups "$group" --send "to $impl $suite $group"
      n=$((n + 1))
      check "$what: established" json_is "$out" result established
      check "$what: echoed" json_is "$out" received "to $impl $suite $group"
      line=$(server_line $n)
      check "$what: server established" json_is "$line" result established
      check "$what: server cipher" json_is "$line" cipher "$suite"
      check "$what: server group" json_is "$line" group "$group"
      check "$what: server protocol" json_is "$line" protocol TLSv1.3
      check "$what: server received" json_is "$line" received "to $impl $suite $group"
    done
  done
  stop_last
  # The builtin peer as server, the adapter as client.
  serve "b_$kind" "$builtin" "${cert[@]}" --echo
  n=0
  for suite in "${suites[@]}"; do
    for group in x25519 secp256r1; do
      what="$impl client, $kind, $suite, $group"
      # shellcheck disable=SC2046
      connect "$peer" --trust "$tmp/$kind.crt" "${trust[@]}" $(adapter_ciphers "$suite") \
        --groups "$group" --send "from $impl"
      n=$((n + 1))
      line=$(server_line $n)
      if [ "$impl" = boringssl ]; then # the builtin server picks from BoringSSL's three
        connect "$peer" --trust "$tmp/$kind.crt" "${trust[@]}" --groups "$group" --send "from $impl"
        n=$((n + 1))
        line=$(server_line $n)
      fi
      check "$what: exits 0" test "$rc" -eq 0
      check "$what: established" json_is "$out" result established
      check "$what: group" json_is "$out" group "$group"
      check "$what: echoed" json_is "$out" received "from $impl"
      check "$what: the cipher both report" json_is "$line" cipher "$(json_get "$out" cipher)"
      [ "$impl" = boringssl ] || check "$what: cipher" json_is "$out" cipher "$suite"
    done
  done
  stop_last
done
# BoringSSL: the server's suite choice from a builtin client that offers only one suite.
if [ "$impl" = boringssl ]; then
  serve bsuite "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
  for suite in "${suites[@]}"; do
    connect "$builtin" --trust "$tmp/ec.crt" "${trust[@]}" --ciphers "$suite" --send x
    check "builtin client offering only $suite: the $impl server takes it" json_is "$out" cipher "$suite"
  done
  stop_last
fi

# ---- ALPN, SNI, --fd, --role client --listen, --key-update, --trust-key ------------------------
serve alpn "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --alpn h2,http/1.1
connect "$peer" --trust "$tmp/ec.crt" --sni localhost --alpn http/1.1 --send a
check "$impl client: ALPN http/1.1 selected" json_is "$out" alpn http/1.1
check "$impl client: --sni localhost is the name verified" json_is "$out" received a
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

# ---- client authentication, both ways ------------------------------------------------------------
client_auth_both_ways

# ---- negative: the client trusts another root -----------------------------------------------------
untrusted_root_both_ways

# ---- resumption and timeouts -------------------------------------------------------------------
serve resume "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$peer" --trust "$tmp/ec.crt" --send full --sess-out "$tmp/s.sess"
check "$impl --sess-out wrote a private file" test "$(stat -c %a "$tmp/s.sess" 2>/dev/null)" = 600
connect "$peer" --trust "$tmp/ec.crt" --send again --sess-in "$tmp/s.sess"
check "$impl --sess-in: resumed" contains "$out" '"resumed":true'
check "$impl --sess-in: echoed" json_is "$out" received again
stop_last
server_timeout=300 serve quiet "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key"
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  check "a silent client times the $impl server out" json_is "$(server_line 1)" error_class timeout
  exec 3>&-
fi
exec 3<>"/dev/tcp/127.0.0.1/$port" && exec 3>&-
check "a client that hangs up mid-handshake: transport" json_is "$(server_line 2)" error_class transport
stop_last

# After the handshake a transport closed without close_notify ends the connection, not as a
# failure (peers/README.md): s_client killed with SIGKILL sends no close_notify. The SIGKILL goes
# to s_client itself, once its line has come back (it used to go to a timeout wrapper, which left
# s_client to close normally when its input ended 5 s later), and its input is a FIFO this
# script holds, so nothing outlives the test.
serve drop "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
mkfifo "$tmp/drop.in"
exec {drop_fd}<>"$tmp/drop.in"
openssl s_client -quiet -connect "127.0.0.1:$port" <"$tmp/drop.in" >"$tmp/drop.client" 2>/dev/null &
pids+=($!)
printf 'hi\n' >&"$drop_fd"
wait_for "$tmp/drop.client" '^hi$' # the handshake and the echo (up to 5 s)
kill -9 "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'
exec {drop_fd}>&-
line=$(server_line 1)
check "a client that vanishes after the handshake: established" json_is "$line" result established
check "... and its data was received" contains "$line" '"bytes_received":3'
stop_last

# 1 MiB through an echoing builtin server: writes and reads interleave without a deadlock.
head -c 1048576 /dev/urandom | base64 -w0 >"$tmp/mib"
serve big "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
connect "$peer" --trust "$tmp/ec.crt" --send-file "$tmp/mib"
size=$(stat -c %s "$tmp/mib")
check "$impl --send-file: $size bytes sent" contains "$out" "\"bytes_sent\":$size,"
check "$impl --send-file: $size bytes echoed" contains "$out" "\"bytes_received\":$size,"
stop_last

# ---- --verify: X509_verify_cert as the library means it -------------------------------------------
certs=$2/vectors/scenarios/certs
split_chain "$certs"
# A trusted intermediate ends the path, as `openssl verify -partial_chain` does.
verify_run "$tmp/leaf.pem" --trust "$tmp/inter.pem" --verify-name server.test
check "--verify against a trusted intermediate: valid, exit 0" \
  test "$rc" -eq 0 -a "$(json_get "$out" verdict)" = valid
check "... with X509_V_FLAG_PARTIAL_CHAIN" \
  json_is "$out" flags "X509_V_FLAG_PARTIAL_CHAIN purpose=X509_PURPOSE_SSL_SERVER"
verify_run "$certs/server.pem" --trust "$certs/root.pem" --purpose client
check "--purpose client on a serverAuth-only leaf: bad_ext_key_usage" \
  json_is "$out" reason bad_ext_key_usage
check "... flags: the purpose only" json_is "$out" flags "purpose=X509_PURPOSE_SSL_CLIENT"
# --profile webpki: strict mode, auth level 2 (OpenSSL only), no partial wildcards, no CN.
level=" auth_level=2"
[ "$impl" = boringssl ] && level=
strict="X509_V_FLAG_X509_STRICT purpose=X509_PURPOSE_SSL_SERVER$level"
strict+=" hostflags=X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS|X509_CHECK_FLAG_NEVER_CHECK_SUBJECT"
verify_run "$certs/server.pem" --trust "$certs/root.pem" --verify-name server.test --profile webpki
check "--profile webpki: server.pem valid" json_is "$out" verdict valid
check "--profile webpki: the strict flags" json_is "$out" flags "$strict"
verify_run "$certs/cn-only.pem" --trust "$certs/root.pem" --verify-name server.test
check "a CN-only leaf matches by its CN by default" json_is "$out" verdict valid
verify_run "$certs/cn-only.pem" --trust "$certs/root.pem" --verify-name server.test --profile webpki
check "... and not under --profile webpki" json_is "$out" reason name_mismatch
# BoringSSL has no authentication levels (peers/README.md): an RSA-1024 leaf stays valid there.
if [ "$impl" = openssl ]; then
  mk_leaf "$certs" rsa1024 -newkey rsa:1024
  verify_run "$tmp/rsa1024.pem" --trust "$certs/root.pem" --profile webpki
  check "an RSA-1024 leaf under --profile webpki: refused at auth level 2 (EE_KEY_TOO_SMALL)" \
    json_is "$out" reason profile_violation
  # The flag's parser is every adapter's (peer_common.c): checked once.
  flag_error "an unknown --profile" "--profile: expected rfc5280 or webpki, got 'strict'" \
    --verify "$certs/server.pem" --trust "$certs/root.pem" --profile strict
  flag_error "--profile without --trust" "give --trust" \
    --role client --fd 0 --no-verify --profile webpki
fi

check "no sanitizer report from any peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"
echo "$fails failed"
[ "$fails" -eq 0 ]
