#!/usr/bin/env bash
# 0-RTT interop of the built-in engine (RFC 8446 2.3, 4.2.10, 8.1) on loopback:
#   builtin client --sess-in --early-data -> openssl s_server -early_data (accepted, delivered)
#   openssl s_client -sess_in -early_data -> builtin server --max-early-data (accepted and
#     delivered; the same session again is rejected: single-use tickets; a server with the
#     same --ticket-key but without --max-early-data rejects it, skips it, and completes)
#   gnutls-cli --resume --earlydata -> builtin server --max-early-data (accepted, delivered)
#   tg-peer-openssl <-> tg-peer-builtin with --max-early-data / --early-data, both ways
# (gnutls-serv --earlydata accepts early data neither from gnutls-cli nor from the builtin
# client here, so that direction is not tested.) Ports are the kernel's (port 0); every process
# started here is killed on exit and every wait is bounded.
#   interop_early_data.sh TLSGAUNTLET SOURCE_DIR
set -u
bin=$(dirname "$1")
peer=$bin/tg-peer-builtin
certs=$2/vectors/scenarios/certs
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh" # nap, contains: no process per wait or match
. "$(dirname "$0")/interop_lib.sh"
has() { grep -qF -- "$2" "$1" 2>/dev/null; } # FILE STRING
# A builtin --listen server (--echo) on 127.0.0.1:0; sets $port. Its JSON lines go to NAME.out.
builtin_server() {
  local name=$1; shift
  "$peer" --role server --listen 127.0.0.1:0 --timeout-ms 5000 --cert "$certs/server.pem" \
    --key "$certs/server.key" --echo "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err")
  [ -n "$port" ] || { echo "FAIL $name did not start"; fails=$((fails + 1)); port=1; }
}
# s_client ARGS...: one openssl s_client connection sending "data"; its stdin closes (and it
# sends close_notify) once its handshake is done; its output in $tmp/sc.out.
s_client() {
  rm -f "$tmp/sc.out"
  { printf 'data'
    for ((i = 0; i < 60; i++)); do has "$tmp/sc.out" "Verify return code" && break; nap 0.05; done
  } | timeout 10 openssl s_client -connect "127.0.0.1:$port" -tls1_3 -CAfile "$certs/root.pem" \
    -servername server.test "$@" >"$tmp/sc.out" 2>&1
}
# builtin_client ARGS...: one builtin client connection to $port; JSON in $out, stderr in
# $tmp/client.err.
builtin_client() {
  out=$(timeout 20 "$peer" --role client --connect "127.0.0.1:$port" --timeout-ms 10000 \
    --trust "$certs/root.pem" --verify-name server.test "$@" 2>"$tmp/client.err")
}

for tool in openssl gnutls-cli; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP $tool is not installed"; exit 77; }
done
check "the builtin peer exists" test -x "$peer"
printf 'EARLY-FROM-FILE' >"$tmp/early.txt"

# ---- builtin client -> openssl s_server -early_data -----------------------------------------
mkfifo "$tmp/ossl.in"
openssl s_server -accept 127.0.0.1:0 -tls1_3 -early_data -cert "$certs/server.pem" \
  -cert_chain "$certs/server.pem" -key "$certs/server.key" <"$tmp/ossl.in" >"$tmp/ossl.out" 2>&1 &
pids+=($!)
exec {ossl_fd}<>"$tmp/ossl.in"
port=
wait_for "$tmp/ossl.out" '^ACCEPT 127.0.0.1:' &&
  port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/ossl.out")
[ -n "$port" ] || { echo "FAIL s_server did not start"; fails=$((fails + 1)); port=1; }
builtin_client --send first --sess-out "$tmp/ossl.sess"
check "builtin -> s_server: the first connection saved a ticket" test -s "$tmp/ossl.sess"
builtin_client --send " then 1-RTT" --sess-in "$tmp/ossl.sess" --early-data "EARLY-TO-OPENSSL"
check "builtin -> s_server: resumed" contains "$out" '"resumed":true'
check "builtin -> s_server: the client says its early data was accepted" \
  has "$tmp/client.err" "early data accepted"
check "builtin -> s_server: s_server received the early data" \
  wait_for "$tmp/ossl.out" "EARLY-TO-OPENSSL"
check "builtin -> s_server: s_server saw it as early data" has "$tmp/ossl.out" "Early data received"
kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'

# ---- openssl s_client -> builtin server --max-early-data ------------------------------------
builtin_server srv --max-early-data 1024
s_client -sess_out "$tmp/sc.sess"
check "s_client -> builtin: the first connection saved a session" test -s "$tmp/sc.sess"
s_client -sess_in "$tmp/sc.sess" -early_data "$tmp/early.txt"
check "s_client -> builtin: resumed" has "$tmp/sc.out" "Reused, TLSv1.3"
check "s_client -> builtin: s_client says the early data was accepted" \
  has "$tmp/sc.out" "Early data was accepted"
check "s_client -> builtin: the builtin server echoed the early data before the 1-RTT data" \
  wait_for "$tmp/srv.out" '"received":"EARLY-FROM-FILEdata"'
s_client -sess_in "$tmp/sc.sess" -early_data "$tmp/early.txt"
check "s_client -> builtin: the same ticket again resumes" has "$tmp/sc.out" "Reused, TLSv1.3"
check "s_client -> builtin: but its early data is rejected (single-use tickets, RFC 8446 8.1)" \
  has "$tmp/sc.out" "Early data was rejected"
check "s_client -> builtin: the builtin server says it rejected it" \
  wait_for "$tmp/srv.err" "early data rejected"

# ---- gnutls-cli --resume --earlydata -> builtin server --max-early-data ---------------------
: >"$tmp/srv.out"
{ for ((i = 0; i < 60; i++)); do has "$tmp/gc.out" "Resume Handshake was completed" && break; nap 0.05; done; } |
  timeout 10 gnutls-cli -p "$port" 127.0.0.1 --x509cafile "$certs/root.pem" \
    --sni-hostname server.test --verify-hostname server.test --resume \
    --earlydata "$tmp/early.txt" >"$tmp/gc.out" 2>&1
check "gnutls-cli -> builtin: resumed" has "$tmp/gc.out" "This is a resumed session"
check "gnutls-cli -> builtin: the builtin server read the early data" \
  wait_for "$tmp/srv.out" '"received":"EARLY-FROM-FILE"'
kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'

# ---- a server that issued 0-RTT tickets, restarted without --max-early-data: it resumes the
# ticket (the same --ticket-key), rejects the early data and skips it (RFC 8446 4.2.10) --------
key=000102030405060708090a0b0c0d0e0f
builtin_server on --max-early-data 1024 --ticket-key "$key"
s_client -sess_out "$tmp/off.sess"
kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'
builtin_server off --ticket-key "$key"
s_client -sess_in "$tmp/off.sess" -early_data "$tmp/early.txt"
check "no 0-RTT: resumed all the same" has "$tmp/sc.out" "Reused, TLSv1.3"
check "no 0-RTT: s_client says the early data was rejected" has "$tmp/sc.out" \
  "Early data was rejected"
check "no 0-RTT: the server skipped it and read the 1-RTT data" \
  wait_for "$tmp/off.out" '"received":"data","resumed":true'

# ---- tg-peer-openssl <-> tg-peer-builtin ------------------------------------------------------
ossl_peer=$bin/tg-peer-openssl
if [ -x "$ossl_peer" ]; then
  "$ossl_peer" --role server --listen 127.0.0.1:0 --timeout-ms 5000 --cert "$certs/server.pem" \
    --key "$certs/server.key" --echo --max-early-data 1024 >"$tmp/os.out" 2>"$tmp/os.err" &
  pids+=($!)
  port=
  wait_for "$tmp/os.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/os.err")
  builtin_client --send first --sess-out "$tmp/os.sess"
  builtin_client --send " 1-RTT" --sess-in "$tmp/os.sess" --early-data "EARLY"
  check "builtin -> tg-peer-openssl: accepted, and echoed before the 1-RTT data" \
    contains "$out" '"received":"EARLY 1-RTT","resumed":true'
  check "builtin -> tg-peer-openssl: the client says so" has "$tmp/client.err" "early data accepted"
  kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'
  builtin_server srv2 --max-early-data 1024
  out=$(timeout 20 "$ossl_peer" --role client --connect "127.0.0.1:$port" --timeout-ms 10000 \
    --trust "$certs/root.pem" --verify-name server.test --send first --sess-out "$tmp/oc.sess" 2>&1)
  out=$(timeout 20 "$ossl_peer" --role client --connect "127.0.0.1:$port" --timeout-ms 10000 \
    --trust "$certs/root.pem" --verify-name server.test --send " 1-RTT" --sess-in "$tmp/oc.sess" \
    --early-data "EARLY" 2>&1)
  check "tg-peer-openssl -> builtin: accepted, and echoed before the 1-RTT data" \
    contains "$out" '"received":"EARLY 1-RTT","resumed":true'
  check "tg-peer-openssl -> builtin: the openssl client says so" contains "$out" \
    "early data accepted"
  kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'
else
  echo "skip tg-peer-openssl is not built"
fi

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
