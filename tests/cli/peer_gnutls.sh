#!/usr/bin/env bash
# tg-peer-gnutls: its flag errors and exit codes, then handshakes with tg-peer-builtin in both
# roles (every TLS 1.3 suite, x25519 and secp256r1, ECDSA and RSA certificates, echo, client
# authentication, ALPN, SNI, the three transports, KeyUpdate, resumption) and the failures: a
# client that trusts another root, a missing client certificate, a silent peer. Certificates are
# made here by the openssl command line. Ports are always 0 (the kernel picks), every process
# started here is killed on exit, and every wait is bounded.
#   peer_gnutls.sh TLSGAUNTLET SOURCE_DIR   (the peer binaries sit next to TLSGAUNTLET)
set -u
dir=$(dirname "$1")
gnutls=$dir/tg-peer-gnutls
builtin=$dir/tg-peer-builtin
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  [ -z "${jq_pid:-}" ] || { kill "$jq_pid" 2>/dev/null; wait "$jq_pid" 2>/dev/null; }
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fails=0
check() { # DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
. "$(dirname "$0")/nap.sh" # nap, contains: no process per wait or match
lacks() { ! contains "$1" "$2"; }
. "$(dirname "$0")/json.sh" # jq_pid, json_ask: one python3 for every JSON check
# json_is LINE KEY VALUE: the JSON line parses and LINE[KEY] == VALUE (VALUE "null" for null).
json_is() {
  if [ -n "$jq_pid" ]; then json_ask is "$1" "$2" "$3" && [ "$REPLY" = 0 ]
  elif [ "$3" = null ]; then contains "$1" "\"$2\":null"
  else contains "$1" "\"$2\":\"$3\""
  fi
}
# The keys of the JSON line, in the order peers/README.md gives.
keys_in_order() {
  local want='implementation version role result protocol cipher group alpn alert_sent'
  want+=' alert_received error_class error bytes_sent bytes_received received resumed'
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; print(" ".join(json.loads(sys.argv[1])))' "$1" | grep -qx "$want"
  else
    local k re=''
    for k in $want; do re+="\"$k\":.*"; done
    grep -q "$re" <<<"$1"
  fi
}
# wait_for FILE PATTERN: up to 20 s for PATTERN to appear in FILE.
wait_for() {
  local i
  for ((i = 0; i < 400; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    nap 0.05
  done
  return 1
}
stop_last() { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'; }
# start_server PEER NAME ARGS...: a --listen server on 127.0.0.1:0 in the background; sets $port;
# its stdout is $tmp/NAME.out and its stderr $tmp/NAME.err.
start_server() {
  local peer=$1 name=$2; shift 2
  "$peer" --role server --listen 127.0.0.1:0 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err" | head -n1)
  [ -n "$port" ] || { echo "FAIL server $name did not start: $(cat "$tmp/$name.err")"; return 1; }
}
# client PEER ARGS...: one client connection to $port; sets $out (its JSON line) and $rc.
client() {
  local peer=$1; shift
  out=$(timeout 20 "$peer" --role client --connect "127.0.0.1:$port" --timeout-ms 10000 "$@" \
    2>>"$tmp/$(basename "$peer").err")
  rc=$?
}
# server_line NAME N: the server's Nth JSON line, once it is there (bounded wait).
server_line() { wait_lines "$tmp/$1.out" "$2"; sed -n "${2}p" "$tmp/$1.out"; }
# field LINE KEY: print(LINE[KEY]) (the JSON helper's "get").
field() {
  if [ -n "$jq_pid" ]; then json_ask get "$1" "$2" && printf '%s\n' "$REPLY"
  else python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print(v)' "$1" "$2"
  fi
}

# ---- flags and exit codes ----------------------------------------------------------------------
check "the gnutls peer binary exists" test -x "$gnutls"
check "the builtin peer binary exists" test -x "$builtin"
out=$("$gnutls" --help); rc=$?
check "--help exits 0" test $rc -eq 0
check "--help names the implementation" contains "$out" "tg-peer-gnutls"

flag_error() { # DESCRIPTION EXPECTED-STDERR ARGS...
  local what=$1 msg=$2; shift 2
  local err
  err=$("$gnutls" "$@" 2>&1 >/dev/null); local code=$?
  check "$what exits 2" test $code -eq 2
  check "$what says '$msg'" contains "$err" "$msg"
}
flag_error "no arguments" "--role client|server is required"
flag_error "unknown option" "unknown option '--frobnicate'" --role client --fd 0 --frobnicate
flag_error "unknown cipher name" "--ciphers: unknown name 'TLS_FOO_SHA256'" \
  --role client --fd 0 --ciphers TLS_FOO_SHA256
flag_error "a client without trust" "give --trust PEM, --trust-key PEM or --no-verify" \
  --role client --fd 0
flag_error "a server without a certificate" "a server needs --cert and --key" --role server --fd 0
flag_error "a missing certificate file" "$tmp/none.pem" \
  --role server --fd 0 --cert "$tmp/none.pem" --key "$tmp/none.pem"
printf 'not a session' >"$tmp/bad.sess"
flag_error "a --sess-in file GnuTLS cannot load" "--sess-in" \
  --role client --fd 0 --no-verify --sess-in "$tmp/bad.sess"
flag_error "a missing trust file" "$tmp/none.pem" --role client --fd 0 --trust "$tmp/none.pem"

# Exit 3: what GnuTLS cannot express, with a JSON line of error_class unsupported.
unsupported() { # DESCRIPTION EXPECTED-ERROR ARGS...
  local what=$1 msg=$2; shift 2
  out=$("$gnutls" --role client --fd 0 --no-verify "$@" 2>/dev/null); rc=$?
  check "$what exits 3" test $rc -eq 3
  check "$what: error_class unsupported" json_is "$out" error_class unsupported
  check "$what: the error says '$msg'" contains "$out" "$msg"
}
# kx x cipher x MAC: these two suites would enable ECDHE_ECDSA with AES-256-GCM as well.
unsupported "two TLS 1.2 suites whose product holds a third" \
  "would also enable TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" \
  --ciphers TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
unsupported "a suite GnuTLS lacks" "TLS_RSA_EXPORT_WITH_RC4_40_MD5 is not implemented" \
  --ciphers TLS_RSA_EXPORT_WITH_RC4_40_MD5
unsupported "a group GnuTLS 3.7 lacks" "X25519MLKEM768 is not implemented" --groups X25519MLKEM768
unsupported "a signature scheme GnuTLS lacks" "dsa_sha1_RESERVED is not implemented" \
  --sigalgs dsa_sha1_RESERVED

# ---- certificates: throwaway, made here ----------------------------------------------------------
mkcert() { # NAME KEYTYPE-ARGS...
  local name=$1; shift
  openssl req -x509 -nodes "$@" -keyout "$tmp/$name.key" -out "$tmp/$name.crt" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1
}
mkcert ec -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert other -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert rsa -newkey rsa:2048
check "test certificates were made" test -s "$tmp/ec.crt" -a -s "$tmp/other.crt" -a -s "$tmp/rsa.crt"
verify=(--verify-name localhost)

# ---- the matrix: both roles x each suite x x25519, secp256r1 x ECDSA, RSA ----------------------
suites="TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256"
for kind in ec rsa; do
  for pair in "gnutls builtin" "builtin gnutls"; do
    read -r srv cli <<<"$pair"
    speer=$gnutls; [ "$srv" = builtin ] && speer=$builtin
    cpeer=$gnutls; [ "$cli" = builtin ] && cpeer=$builtin
    name="m_${srv}_$kind"
    start_server "$speer" "$name" --cert "$tmp/$kind.crt" --key "$tmp/$kind.key" --echo || continue
    n=0
    for suite in $suites; do
      for group in x25519 secp256r1; do
        what="$cli client -> $srv server, $kind, $suite, $group"
        client "$cpeer" --trust "$tmp/$kind.crt" "${verify[@]}" --ciphers "$suite" \
          --groups "$group" --send "$suite/$group"
        n=$((n + 1))
        check "$what: exits 0" test $rc -eq 0
        check "$what: protocol TLSv1.3" json_is "$out" protocol TLSv1.3
        check "$what: cipher" json_is "$out" cipher "$suite"
        check "$what: group" json_is "$out" group "$group"
        check "$what: echoed" json_is "$out" received "$suite/$group"
        line=$(server_line "$name" $n)
        check "$what: the server saw $suite" json_is "$line" cipher "$suite"
        check "$what: the server saw $group" json_is "$line" group "$group"
      done
    done
    stop_last
  done
done
check "the gnutls JSON line has its keys in order" keys_in_order "$(head -n1 "$tmp/m_gnutls_ec.out")"
check "the gnutls JSON line names the implementation" \
  json_is "$(head -n1 "$tmp/m_gnutls_ec.out")" implementation gnutls

# ---- a client that trusts another root: it fails, and each side names the alert ----------------
ec=(--cert "$tmp/ec.crt" --key "$tmp/ec.key")
start_server "$builtin" neg_b "${ec[@]}" --echo
client "$gnutls" --trust "$tmp/other.crt" "${verify[@]}" --send x
check "gnutls client trusting another root: exits 1" test $rc -eq 1
check "... result failed" json_is "$out" result failed
check "... error_class certificate" json_is "$out" error_class certificate
check "... an alert was sent" lacks "$out" '"alert_sent":null'
check "... GnuTLS's own error text is kept" lacks "$out" '"error":null'
line=$(server_line neg_b 1)
sent=$(field "$out" alert_sent)
check "... the builtin server received the alert the gnutls client sent ($sent)" \
  json_is "$line" alert_received "$sent"
echo "note: gnutls client, untrusted root: sends $sent"
client "$gnutls" --trust "$tmp/ec.crt" --verify-name example.com --send x
check "gnutls client, a name the certificate lacks: error_class certificate" \
  json_is "$out" error_class certificate
stop_last
start_server "$gnutls" neg_g "${ec[@]}" --echo
client "$builtin" --trust "$tmp/other.crt" "${verify[@]}" --send x
check "builtin client trusting another root: exits 1" test $rc -eq 1
line=$(server_line neg_g 1)
sent=$(field "$out" alert_sent)
check "... the gnutls server: error_class alert_received" json_is "$line" error_class alert_received
check "... the gnutls server received the builtin client's alert ($sent)" \
  json_is "$line" alert_received "$sent"
stop_last

# ---- client authentication, both ways ------------------------------------------------------------
rsa=(--cert "$tmp/rsa.crt" --key "$tmp/rsa.key")
other=(--cert "$tmp/other.crt" --key "$tmp/other.key")
start_server "$gnutls" auth_g "${ec[@]}" --echo --require-client-cert --trust "$tmp/rsa.crt"
client "$builtin" --trust "$tmp/ec.crt" "${rsa[@]}" --send hi
check "gnutls server requires, builtin client presents: echoed" json_is "$out" received hi
check "... the gnutls server saw it established" json_is "$(server_line auth_g 1)" result established
client "$builtin" --trust "$tmp/ec.crt" --send hi
check "gnutls server requires, builtin client has none: exits 1" test $rc -eq 1
check "... the builtin client received an alert" json_is "$out" error_class alert_received
line=$(server_line auth_g 2)
check "... the gnutls server failed" json_is "$line" result failed
check "... the alert the gnutls server sent is the one the client received" \
  json_is "$line" alert_sent "$(field "$out" alert_received)"
echo "note: gnutls server, missing client certificate: sends $(field "$line" alert_sent)"
client "$builtin" --trust "$tmp/ec.crt" "${other[@]}" --send hi
check "gnutls server, an untrusted client certificate: the client fails" test $rc -eq 1
check "... the gnutls server says error_class certificate" \
  json_is "$(server_line auth_g 3)" error_class certificate
stop_last
start_server "$builtin" auth_b "${ec[@]}" --echo --require-client-cert --trust "$tmp/rsa.crt"
client "$gnutls" --trust "$tmp/ec.crt" "${rsa[@]}" --send hi
check "builtin server requires, gnutls client presents: echoed" json_is "$out" received hi
client "$gnutls" --trust "$tmp/ec.crt" --send hi
check "builtin server requires, gnutls client has none: exits 1" test $rc -eq 1
# RFC 8446 §4.4.2.4: a server that requires one aborts with certificate_required.
check "... the gnutls client received certificate_required" \
  json_is "$out" alert_received certificate_required
client "$gnutls" --trust "$tmp/ec.crt" "${other[@]}" --send hi
check "builtin server, an untrusted gnutls client certificate: exits 1" test $rc -eq 1
check "... the gnutls client: error_class alert_received" json_is "$out" error_class alert_received
check "... the builtin server: error_class certificate" \
  json_is "$(server_line auth_b 3)" error_class certificate
stop_last

# ---- ALPN and SNI --------------------------------------------------------------------------------
start_server "$gnutls" alpn_g "${ec[@]}" --echo --alpn h2,http/1.1
client "$builtin" --trust "$tmp/ec.crt" --sni localhost --alpn http/1.1 --send a
check "gnutls server, ALPN: the builtin client got http/1.1" json_is "$out" alpn http/1.1
check "... and the gnutls server too" json_is "$(server_line alpn_g 1)" alpn http/1.1
stop_last
start_server "$builtin" alpn_b "${ec[@]}" --echo --alpn h2,http/1.1
client "$gnutls" --trust "$tmp/ec.crt" --sni localhost --alpn h2 --send a
check "gnutls client, ALPN and SNI: h2 selected" json_is "$out" alpn h2
check "... echoed (the SNI name was verified)" json_is "$out" received a
client "$gnutls" --trust "$tmp/ec.crt" --sni example.com --send a
check "gnutls client, --sni example.com: the name checked is the SNI" \
  json_is "$out" error_class certificate
stop_last

# ---- --trust-key, KeyUpdate, TLS 1.2, resumption (builtin server) --------------------------------
start_server "$builtin" misc_b "${ec[@]}" --echo --ticket-key 000102030405060708090a0b0c0d0e0f
client "$gnutls" --trust-key "$tmp/ec.crt" --send pinned
check "gnutls client --trust-key with the server's key: echoed" json_is "$out" received pinned
client "$gnutls" --trust-key "$tmp/other.crt" --send pinned
check "gnutls client --trust-key with another key: error_class certificate" \
  json_is "$out" error_class certificate
client "$gnutls" --trust "$tmp/ec.crt" --key-update --send after-ku
check "gnutls client --key-update: echoed under the new keys" json_is "$out" received after-ku
client "$gnutls" --trust "$tmp/ec.crt" --max-version 1.2 --send x
check "gnutls client --max-version 1.2 against a TLS 1.3-only server: exits 1" test $rc -eq 1
check "... it received protocol_version" json_is "$out" alert_received protocol_version
client "$gnutls" --trust "$tmp/ec.crt" --send full --sess-out "$tmp/g.sess"
check "gnutls client --sess-out: full handshake" contains "$out" '"resumed":false'
check "... the session file was written, mode 600" test "$(stat -c %a "$tmp/g.sess" 2>&1)" = 600
client "$gnutls" --trust "$tmp/ec.crt" --send again --sess-in "$tmp/g.sess"
check "gnutls client --sess-in: resumed" contains "$out" '"resumed":true'
check "... echoed" json_is "$out" received again
stop_last

# ---- the builtin client against a gnutls server: KeyUpdate, resumption, TLS 1.2 between gnutls ---
start_server "$gnutls" misc_g "${ec[@]}" --echo --ticket-key 000102030405060708090a0b0c0d0e0f
client "$builtin" --trust "$tmp/ec.crt" --key-update --send ku
check "builtin client --key-update, gnutls server: echoed" json_is "$out" received ku
client "$builtin" --trust "$tmp/ec.crt" --send full --sess-out "$tmp/b.sess"
client "$builtin" --trust "$tmp/ec.crt" --send again --sess-in "$tmp/b.sess"
check "builtin client resumes with a gnutls server's ticket" contains "$out" '"resumed":true'
check "... the gnutls server says resumed" contains "$(server_line misc_g 3)" '"resumed":true'
client "$gnutls" --trust "$tmp/ec.crt" --max-version 1.2 --send v12
check "gnutls client and server, --max-version 1.2: TLSv1.2" json_is "$out" protocol TLSv1.2
check "... echoed" json_is "$out" received v12
stop_last
start_server "$gnutls" misc_g2 "${ec[@]}" --echo --ticket-key 000102030405060708090a0b0c0d0e0f
client "$builtin" --trust "$tmp/ec.crt" --send k --sess-in "$tmp/b.sess"
check "another gnutls server with the same --ticket-key resumes it" contains "$out" '"resumed":true'
stop_last

# ---- --sess-out against a TLS 1.3 server that sends no ticket (openssl s_server -num_tickets 0) --
# The client reads a while for a ticket inside a blocking GnuTLS read, then goes on. Its stdin
# is a FIFO kept open here: s_server ends its connection at EOF on stdin.
mkfifo "$tmp/nt.in"
openssl s_server -accept 127.0.0.1:0 -tls1_3 -num_tickets 0 -naccept 1 -cert "$tmp/ec.crt" \
  -key "$tmp/ec.key" <"$tmp/nt.in" >"$tmp/nt.out" 2>&1 &
pids+=($!)
exec {nt_fd}<>"$tmp/nt.in"
port=
wait_for "$tmp/nt.out" '^ACCEPT 127.0.0.1:' &&
  port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/nt.out")
client "$gnutls" --trust "$tmp/ec.crt" --sess-out "$tmp/none.sess"
check "gnutls client --sess-out, no ticket sent: still established (exit 0)" test $rc -eq 0
check "... result established" json_is "$out" result established
check "... a note on stderr" contains "$(cat "$tmp/tg-peer-gnutls.err")" "none.sess: no ticket"
check "... no session file" test ! -e "$tmp/none.sess"
exec {nt_fd}>&-
stop_last

# ---- transports: --fd, a listening client, a connecting server -----------------------------------
start_server "$builtin" fd_b "${ec[@]}" --echo
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  out=$(timeout 20 "$gnutls" --role client --fd 3 --trust "$tmp/ec.crt" --send fd3 \
    --timeout-ms 10000 2>>"$tmp/gnutls.err")
  exec 3>&-
  check "gnutls client --fd: established and echoed" json_is "$out" received fd3
fi
stop_last
"$gnutls" --role client --listen 127.0.0.1:0 --trust "$tmp/ec.crt" --send turned \
  --timeout-ms 10000 >"$tmp/lclient.out" 2>"$tmp/lclient.err" &
pids+=($!)
if wait_for "$tmp/lclient.err" "^listening on "; then
  lport=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/lclient.err")
  out=$(timeout 20 "$builtin" --role server --connect "127.0.0.1:$lport" "${ec[@]}" --echo \
    --timeout-ms 10000 2>>"$tmp/builtin.err")
  check "gnutls --role client --listen: the builtin server connected" json_is "$out" result established
  check "gnutls --role client --listen: echoed" json_is "$(server_line lclient 1)" received turned
fi
stop_last
"$builtin" --role client --listen 127.0.0.1:0 --trust "$tmp/ec.crt" --send turned2 \
  --timeout-ms 10000 >"$tmp/lclient2.out" 2>"$tmp/lclient2.err" &
pids+=($!)
if wait_for "$tmp/lclient2.err" "^listening on "; then
  lport=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/lclient2.err")
  out=$(timeout 20 "$gnutls" --role server --connect "127.0.0.1:$lport" "${ec[@]}" --echo \
    --timeout-ms 10000 2>>"$tmp/gnutls.err")
  check "gnutls --role server --connect: established" json_is "$out" result established
  check "gnutls --role server --connect: echoed" json_is "$out" received turned2
fi
stop_last

# ---- --send-file: 1 MiB echoed both ways (the adapters read while they write) --------------------
head -c 786432 /dev/urandom | base64 -w0 >"$tmp/big.txt"
for pair in "gnutls builtin" "builtin gnutls"; do
  read -r srv cli <<<"$pair"
  speer=$gnutls; [ "$srv" = builtin ] && speer=$builtin
  cpeer=$gnutls; [ "$cli" = builtin ] && cpeer=$builtin
  start_server "$speer" "big_$srv" "${ec[@]}" --echo || continue
  client "$cpeer" --trust "$tmp/ec.crt" --send-file "$tmp/big.txt"
  check "$cli client -> $srv server, 1 MiB: sent" test "$(field "$out" bytes_sent)" = 1048576
  check "$cli client -> $srv server, 1 MiB: echoed" test "$(field "$out" bytes_received)" = 1048576
  stop_last
done

# ---- transport failures and the timeout ----------------------------------------------------------
start_server "$gnutls" dead "${ec[@]}"
dead_port=$port
stop_last
port=$dead_port
client "$gnutls" --no-verify
check "connection refused exits 1" test $rc -eq 1
check "connection refused is error_class transport" json_is "$out" error_class transport
start_server "$gnutls" quiet "${ec[@]}" --timeout-ms 300
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  line=$(server_line quiet 1)
  check "a silent client times the gnutls server out" json_is "$line" error_class timeout
  check "... with result failed" json_is "$line" result failed
  exec 3>&-
fi
exec 3<>"/dev/tcp/127.0.0.1/$port" && exec 3>&-
check "a client that hangs up mid-handshake is error_class transport" \
  json_is "$(server_line quiet 2)" error_class transport
stop_last

# ---- --verify: gnutls_x509_trust_list_verify_crt2 as the library means it ---------------------
# peer_lib.sh for its --verify helpers; its json_is (plain text matching, enough for these ASCII
# values) replaces the one above from here on.
. "$(dirname "$0")/peer_lib.sh"
peer=$gnutls
certs=$2/vectors/scenarios/certs
split_chain "$certs"
purpose="GNUTLS_DT_KEY_PURPOSE_OID=GNUTLS_KP_TLS_WWW"
verify_run "$certs/server.pem" --trust "$certs/root.pem" --purpose client
check "--purpose client on a serverAuth-only leaf: bad_ext_key_usage, exit 1" \
  test "$rc" -eq 1 -a "$(json_get "$out" reason)" = bad_ext_key_usage
check "... flags: the purpose only" json_is "$out" flags "${purpose}_CLIENT"
# A leaf that is itself the anchor is still checked for its purpose, without
# GNUTLS_VERIFY_DO_NOT_ALLOW_SAME (which would refuse it: verify_gnutls.c).
verify_run "$tmp/leaf.pem" --trust "$tmp/leaf.pem" --verify-name server.test
check "a leaf that is its own anchor: valid" json_is "$out" verdict valid
check "... flags: no GNUTLS_VERIFY_DO_NOT_ALLOW_SAME" json_is "$out" flags "${purpose}_SERVER"
verify_run "$tmp/leaf.pem" --trust "$tmp/leaf.pem" --purpose client
check "... but not for --purpose client" json_is "$out" reason bad_ext_key_usage
verify_run "$certs/server.pem" --trust "$certs/root.pem" --profile webpki
check "--profile webpki: server.pem valid" json_is "$out" verdict valid
check "--profile webpki: GNUTLS_PROFILE_MEDIUM" \
  json_is "$out" flags "GNUTLS_PROFILE_TO_VFLAGS(GNUTLS_PROFILE_MEDIUM) ${purpose}_SERVER"
mk_leaf "$certs" rsa1024 -newkey rsa:1024
verify_run "$tmp/rsa1024.pem" --trust "$certs/root.pem" --profile webpki
check "an RSA-1024 leaf under --profile webpki: insecure algorithm (the medium profile)" \
  json_is "$out" reason weak_algorithm

# In a sanitizer build a report in any peer fails the test even if its outcome looked right.
check "no sanitizer report from any peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"

echo "$fails failed"
[ $fails -eq 0 ]
