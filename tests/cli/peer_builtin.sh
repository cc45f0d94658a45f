#!/usr/bin/env bash
# tg-peer-builtin: the peer protocol's flags, exit codes and JSON line, then handshakes between
# two builtin peers and with openssl s_client / s_server, all on loopback with ports the kernel
# picks (port 0): never a fixed port. Every process started here is killed on exit, and every
# wait is bounded.
#   peer_builtin.sh TLSGAUNTLET SOURCE_DIR   (the peer binary sits next to TLSGAUNTLET)
set -u
peer=$(dirname "$1")/tg-peer-builtin
src=$2
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
# start_server NAME ARGS...: a builtin --listen server on 127.0.0.1:0 in the background; sets
# $port, its stdout is $tmp/NAME.out and stderr $tmp/NAME.err.
start_server() {
  local name=$1; shift
  "$peer" --role server --listen 127.0.0.1:0 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err" | head -n1)
  [ -n "$port" ] || { echo "FAIL server $name did not start: $(cat "$tmp/$name.err")"; return 1; }
}
# talk LINE COMMAND...: COMMAND (a TLS client tool) with LINE and a newline on its stdin, which
# stays open until LINE comes back in COMMAND's output (at most 5 s; a fixed sleep of 1 s used to
# guess the echo's time), then closes; $o is the output (stdout and stderr).
talk() {
  local line=$1 f=$tmp/talk.out i; shift
  rm -f "$f"
  { printf '%s\n' "$line"
    for ((i = 0; i < 100; i++)); do grep -qF -- "$line" "$f" 2>/dev/null && break; nap 0.05; done
  } | "$@" >"$f" 2>&1
  o=$(<"$f")
}
stop_last() { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'; }
# client ARGS...: one builtin client connection to $port; sets $out (stdout) and $rc.
client() {
  out=$(timeout 20 "$peer" --role client --connect "127.0.0.1:$port" --timeout-ms 10000 "$@" \
    2>>"$tmp/client.err")
  rc=$?
}

# ---- flags, exit codes (no handshake needed) -----------------------------------------------------
check "the peer binary exists" test -x "$peer"
out=$("$peer" --help); rc=$?
check "--help exits 0" test $rc -eq 0
check "--help lists --listen" contains "$out" "--listen"

flag_error() { # DESCRIPTION EXPECTED-STDERR ARGS...
  local what=$1 msg=$2; shift 2
  local err
  err=$("$peer" "$@" 2>&1 >/dev/null); local code=$?
  check "$what exits 2" test $code -eq 2
  check "$what says '$msg'" contains "$err" "$msg"
}
flag_error "no arguments" "--role client|server is required"
flag_error "bad --role" "--role: expected client or server" --role middle --fd 0
flag_error "unknown option" "unknown option '--frobnicate'" --role client --fd 0 --frobnicate
flag_error "no transport" "exactly one of --fd, --connect, --listen" --role client
flag_error "two transports" "exactly one of" --role client --fd 0 --connect 127.0.0.1:1
flag_error "--connect without port" "--connect: expected HOST:PORT" --role client --connect host
flag_error "--fd not a number" "--fd: expected a number" --role client --fd x
flag_error "unknown cipher name" "--ciphers: unknown name 'TLS_FOO_SHA256'" \
  --role client --fd 0 --ciphers TLS_AES_128_GCM_SHA256,TLS_FOO_SHA256
flag_error "unknown group name" "--groups: unknown name 'x25520'" --role client --fd 0 --groups x25520
flag_error "unknown sigalg name" "--sigalgs: unknown name 'rsa_sha1024'" \
  --role client --fd 0 --sigalgs rsa_sha1024
flag_error "unknown version" "--min-version: unknown version '1.4'" --role client --fd 0 --min-version 1.4
flag_error "--cert without --key" "--cert and --key go together" --role server --fd 0 --cert x.pem
flag_error "--echo with --send" "--echo and --send exclude each other" \
  --role client --fd 0 --echo --send x --no-verify
flag_error "--timeout-ms 0" "--timeout-ms: expected a number" --role client --fd 0 --timeout-ms 0
flag_error "a flag given twice" "--sni given twice" --role client --fd 0 --sni a --sni b
flag_error "a server without a certificate" "a server needs --cert and --key" --role server --fd 0
flag_error "a client without trust" "give --trust PEM, --trust-key PEM or --no-verify" \
  --role client --fd 0
flag_error "--trust with --trust-key" "--trust and --trust-key exclude each other" \
  --role client --fd 0 --trust a.pem --trust-key a.pem
flag_error "--no-verify with --trust-key" "--no-verify excludes" \
  --role client --fd 0 --no-verify --trust-key a.pem
flag_error "an unknown --profile" "expected rfc5280 or webpki" \
  --role client --fd 0 --profile strict --trust a.pem
flag_error "--profile without --trust" "give --trust" \
  --role client --fd 0 --no-verify --profile webpki
flag_error "--sess-in on a server" "--sess-in and --sess-out are for a client" \
  --role server --fd 0 --sess-in x
flag_error "--ticket-key on a client" "--ticket-key is for a server" \
  --role client --fd 0 --no-verify --ticket-key 000102030405060708090a0b0c0d0e0f
flag_error "a short --ticket-key" "--ticket-key: expected 32 hex digits" \
  --role server --fd 0 --ticket-key 0001
flag_error "a --ticket-key that is not hex" "--ticket-key: expected 32 hex digits" \
  --role server --fd 0 --ticket-key 000102030405060708090a0b0c0d0eXY
flag_error "a missing --sess-in file" "$tmp/none.sess: No such file" \
  --role client --fd 0 --no-verify --sess-in "$tmp/none.sess"
printf '\003\023\001' >"$tmp/v3.sess"
flag_error "a session file of another format_version" "SessionFile.format_version is 3" \
  --role client --fd 0 --no-verify --sess-in "$tmp/v3.sess"
printf '\001\023\001\040abc' >"$tmp/short.sess"
flag_error "a truncated session file" "SessionFile.psk" \
  --role client --fd 0 --no-verify --sess-in "$tmp/short.sess"
flag_error "a missing certificate file" "$tmp/none.pem: No such file" \
  --role server --fd 0 --cert "$tmp/none.pem" --key "$tmp/none.pem"

out=$("$peer" --role client --fd 0 --no-verify --max-version 1.1 2>/dev/null); rc=$?
check "--max-version 1.1 exits 3 (unsupported)" test $rc -eq 3
check "--max-version 1.1 says error_class unsupported" json_is "$out" error_class unsupported
out=$("$peer" --role client --fd 0 --no-verify --ciphers TLS_RSA_WITH_RC4_128_SHA 2>/dev/null); rc=$?
check "a suite the engine lacks exits 3" test $rc -eq 3
check "... and is named in the error" contains "$out" "TLS_RSA_WITH_RC4_128_SHA"
out=$("$peer" --verify "$src/vectors/x509/chains/leaf_ok.pem" --trust "$src/vectors/x509/chains/root.pem" 2>/dev/null); rc=$?
check "--verify exits 3 (the built-in validator runs in tlsgauntlet verify)" test $rc -eq 3
check "--verify says error_class unsupported" json_is "$out" error_class unsupported

# ---- certificates: throwaway, made here by the openssl command line ------------------------------
mkcert() { # NAME KEYTYPE-ARGS...
  local name=$1; shift
  openssl req -x509 -nodes "$@" -keyout "$tmp/$name.key" -out "$tmp/$name.crt" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1
}
mkcert ec -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert other -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert rsa -newkey rsa:2048
mkcert ed -newkey ed25519
# No subjectAltName: --trust can validate it, but it matches no name; --trust-key pins its key.
openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$tmp/noname.key" \
  -out "$tmp/noname.crt" -days 2 -subj /CN=localhost >/dev/null 2>&1
check "test certificates were made" test -s "$tmp/ec.crt" -a -s "$tmp/other.crt" -a -s "$tmp/noname.crt"
srv_ec=(--cert "$tmp/ec.crt" --key "$tmp/ec.key")

# ---- transport failures --------------------------------------------------------------------------
start_server dead "${srv_ec[@]}"
dead_port=$port
stop_last
port=$dead_port
client --no-verify
check "connection refused exits 1" test $rc -eq 1
check "connection refused is error_class transport" json_is "$out" error_class transport

# A client that connects and says nothing: the server gives up after --timeout-ms.
start_server quiet "${srv_ec[@]}" --timeout-ms 300
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  wait_lines "$tmp/quiet.out" 1
  line=$(head -n1 "$tmp/quiet.out")
  check "a silent client times the server out" json_is "$line" error_class timeout
  check "... with result failed" json_is "$line" result failed
  exec 3>&-
fi
# The server goes on to the next connection after one that failed.
exec 3<>"/dev/tcp/127.0.0.1/$port" && exec 3>&-
check "--listen serves one connection after another" wait_lines "$tmp/quiet.out" 2
check "a peer that hangs up mid-handshake is error_class transport" \
  json_is "$(sed -n 2p "$tmp/quiet.out")" error_class transport
stop_last

# ---- builtin client <-> builtin server -----------------------------------------------------------
start_server echo "${srv_ec[@]}" --echo --alpn h2,http/1.1
client --trust "$tmp/ec.crt" --send hello --alpn h2
check "builtin client <-> builtin server exits 0" test $rc -eq 0
check "the JSON line has its keys in order" keys_in_order "$out"
check "result established" json_is "$out" result established
check "protocol TLSv1.3" json_is "$out" protocol TLSv1.3
check "the echo server returned the data" json_is "$out" received hello
check "ALPN h2 was selected" json_is "$out" alpn h2
check "no alert sent" json_is "$out" alert_sent null
check "error_class null" json_is "$out" error_class null
wait_lines "$tmp/echo.out" 1
check "the server printed its own line" json_is "$(head -n1 "$tmp/echo.out")" role server
check "the server saw it established" json_is "$(head -n1 "$tmp/echo.out")" result established

for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
  for group in x25519 secp256r1 secp384r1; do
    client --trust "$tmp/ec.crt" --send "$suite/$group" --ciphers "$suite" --groups "$group"
    check "$suite $group: established" json_is "$out" result established
    check "$suite $group: cipher" json_is "$out" cipher "$suite"
    check "$suite $group: group" json_is "$out" group "$group"
    check "$suite $group: echoed" json_is "$out" received "$suite/$group"
  done
done

# --fd: the client speaks over a socket it inherits (bash opens it on fd 3).
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  out=$(timeout 20 "$peer" --role client --fd 3 --trust "$tmp/ec.crt" --send fd3 \
    --timeout-ms 10000 2>>"$tmp/client.err")
  rc=$?
  exec 3>&-
  check "--fd: established and echoed" json_is "$out" received fd3
fi

# A client that trusts another key fails, names the alert it sent, and the server records it.
before=$(grep -c '"result"' "$tmp/echo.out")
client --trust "$tmp/other.crt" --send hello
check "a client trusting another key exits 1" test $rc -eq 1
check "... result failed" json_is "$out" result failed
check "... error_class certificate" json_is "$out" error_class certificate
check "... an alert was sent" lacks "$out" '"alert_sent":null'
wait_lines "$tmp/echo.out" $((before + 1))
srv=$(tail -n1 "$tmp/echo.out")
check "... the server recorded the alert it received" json_is "$srv" error_class alert_received
sent=$(sed -n 's/.*"alert_sent":"\([a-z_]*\)".*/\1/p' <<<"$out")
check "... the server's alert_received is the client's alert_sent ($sent)" \
  json_is "$srv" alert_received "${sent:-none}"
stop_last

# ---- --trust (X.509 path validation with a name) and --trust-key (a pinned key) -----------------
start_server names --cert "$tmp/noname.crt" --key "$tmp/noname.key" --echo
client --trust "$tmp/noname.crt" --send x
check "--trust without a name: the chain alone is validated" json_is "$out" received x
# The same chain under --profile webpki: the leaf breaks the CA/Browser Forum profile
# (openssl req -x509 makes no extKeyUsage, no subjectAltName) whatever the name.
client --trust "$tmp/noname.crt" --profile rfc5280 --send x
check "--profile rfc5280 is the default: echoed" json_is "$out" received x
client --trust "$tmp/noname.crt" --profile webpki --send x
check "--profile webpki: exits 1" test $rc -eq 1
check "... naming the profile check" contains "$out" '[webpki-leaf-eku-missing, BR 7.1.2.7.10]'
client --trust "$tmp/noname.crt" --verify-name localhost --send x
check "--trust, a leaf without subjectAltName: exits 1" test $rc -eq 1
check "... error_class certificate" json_is "$out" error_class certificate
# RFC 6125 §6.4.4 / RFC 9525 §6.3: the subject's commonName is not a fallback for the name.
check "... the error says the name does not match" contains "$out" 'does not match'
client --trust-key "$tmp/noname.crt" --verify-name localhost --send x
check "--trust-key pins the key, no name check: echoed" json_is "$out" received x
client --trust-key "$tmp/other.crt" --send x
check "--trust-key with another key: error_class certificate" json_is "$out" error_class certificate
stop_last
start_server named "${srv_ec[@]}" --echo
client --trust "$tmp/ec.crt" --verify-name localhost --send x
check "--trust --verify-name localhost: the subjectAltName matches" json_is "$out" received x
client --trust "$tmp/ec.crt" --sni localhost --send x
check "--trust --sni localhost: the name checked defaults to the SNI" json_is "$out" received x
client --trust "$tmp/ec.crt" --verify-name example.com --send x
check "--trust --verify-name example.com: refused" json_is "$out" error_class certificate
check "... with bad_certificate" json_is "$out" alert_sent bad_certificate
client --trust "$tmp/ec.crt" --sni example.com --send x
check "--trust --sni example.com: refused as well" json_is "$out" error_class certificate
stop_last

# ---- resumption: tickets between builtin peers (RFC 8446 §2.2) -----------------------------------
key1=000102030405060708090a0b0c0d0e0f
start_server resume "${srv_ec[@]}" --echo --ticket-key $key1
client --trust "$tmp/ec.crt" --send full --sess-out "$tmp/b.sess"
check "full handshake: resumed false" contains "$out" '"resumed":false'
check "--sess-out wrote the ticket" test -s "$tmp/b.sess"
check "--sess-out's file is private (mode 600)" test "$(stat -c %a "$tmp/b.sess")" = 600
client --trust "$tmp/ec.crt" --send short --sess-in "$tmp/b.sess"
check "--sess-in: resumed true" contains "$out" '"resumed":true'
check "--sess-in: echoed" json_is "$out" received short
client --trust "$tmp/ec.crt" --send again --sess-in "$tmp/b.sess" --ciphers TLS_AES_256_GCM_SHA384
check "a ticket of another hash's suite is not offered: full handshake" contains "$out" '"resumed":false'
check "... still established" json_is "$out" received again
wait_lines "$tmp/resume.out" 3
check "the server reports the resumption" contains "$(sed -n 2p "$tmp/resume.out")" '"resumed":true'
check "... and only that one" test "$(grep -c '"resumed":true' "$tmp/resume.out")" -eq 1
stop_last
# The same --ticket-key in another process opens the ticket; a random key does not.
start_server resume2 "${srv_ec[@]}" --echo --ticket-key $key1
client --trust "$tmp/ec.crt" --send k --sess-in "$tmp/b.sess"
check "the same --ticket-key in a new server process: resumed" contains "$out" '"resumed":true'
stop_last
start_server resume3 "${srv_ec[@]}" --echo
client --trust "$tmp/ec.crt" --send r --sess-in "$tmp/b.sess"
check "another server's ticket: a full handshake" contains "$out" '"resumed":false'
check "... still established" json_is "$out" received r
stop_last

# Roles and transports are independent: a listening client, a connecting server.
"$peer" --role client --listen 127.0.0.1:0 --trust "$tmp/ec.crt" --send turned \
  --timeout-ms 10000 >"$tmp/lclient.out" 2>"$tmp/lclient.err" &
pids+=($!)
if wait_for "$tmp/lclient.err" "^listening on "; then
  lport=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/lclient.err")
  out=$(timeout 20 "$peer" --role server --connect "127.0.0.1:$lport" "${srv_ec[@]}" --echo \
    --timeout-ms 10000 2>>"$tmp/client.err")
  check "--role server --connect: established" json_is "$out" result established
  wait_lines "$tmp/lclient.out" 1
  check "--role client --listen: echoed" json_is "$(head -n1 "$tmp/lclient.out")" received turned
fi
stop_last

# RSA (rsa_pss_rsae_*) and Ed25519 server certificates.
for kind in rsa ed; do
  start_server "echo_$kind" --cert "$tmp/$kind.crt" --key "$tmp/$kind.key" --echo
  client --trust "$tmp/$kind.crt" --send "hi $kind"
  check "$kind certificate: established and echoed" json_is "$out" received "hi $kind"
  stop_last
done

# Client authentication: required and presented; required and missing.
start_server auth "${srv_ec[@]}" --echo --require-client-cert --trust "$tmp/rsa.crt"
client --trust "$tmp/ec.crt" --cert "$tmp/rsa.crt" --key "$tmp/rsa.key" --send hi
check "client certificate presented: established" json_is "$out" received hi
client --trust "$tmp/ec.crt" --send hi
check "client certificate missing: exits 1" test $rc -eq 1
check "client certificate missing: the client received an alert" \
  json_is "$out" error_class alert_received
# RFC 8446 §4.4.2.4: a server that requires one aborts with certificate_required.
check "client certificate missing: the alert is certificate_required" \
  json_is "$out" alert_received certificate_required
client --trust "$tmp/ec.crt" --cert "$tmp/other.crt" --key "$tmp/other.key" --send hi
check "an untrusted client certificate: exits 1" test $rc -eq 1
wait_lines "$tmp/auth.out" 3
check "an untrusted client certificate: the server says error_class certificate" \
  json_is "$(sed -n 3p "$tmp/auth.out")" error_class certificate
stop_last

# ---- flags a real server needs: --request-client-cert, --http, --key-update, --ems-optional ----
flag_error "--http with --echo" "--http excludes --echo, --send and --send-file" \
  --role server --fd 0 "${srv_ec[@]}" --http --echo
flag_error "--request-client-cert with --require-client-cert" "exclude each other" \
  --role server --fd 0 "${srv_ec[@]}" --request-client-cert --require-client-cert
flag_error "--request-client-cert without trust" "--request-client-cert: give --trust PEM" \
  --role server --fd 0 "${srv_ec[@]}" --request-client-cert

# A CertificateRequest that does not insist; a certificate that is sent is still verified.
start_server request "${srv_ec[@]}" --echo --request-client-cert --trust "$tmp/rsa.crt" \
  --min-version 1.2
client --trust "$tmp/ec.crt" --send none
check "--request-client-cert, no client certificate: echoed" json_is "$out" received none
client --trust "$tmp/ec.crt" --cert "$tmp/rsa.crt" --key "$tmp/rsa.key" --send some
check "--request-client-cert, a trusted one: echoed" json_is "$out" received some
client --trust "$tmp/ec.crt" --cert "$tmp/other.crt" --key "$tmp/other.key" --send bad
check "--request-client-cert, an untrusted one: refused, not ignored" test $rc -eq 1
check "... the client received unknown_ca" json_is "$out" alert_received unknown_ca
if command -v openssl >/dev/null 2>&1; then # (both versions, with a certificate: interop_auth.sh)
  talk "no cert" timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$tmp/ec.crt" \
    -servername localhost
  check "openssl s_client: a CertificateRequest came" contains "$o" "Requested Signature Algorithms"
  check "openssl s_client without a certificate: echoed" contains "$o" "no cert"
  wait_lines "$tmp/request.out" 4
  check "... the server saw it established" json_is "$(sed -n 4p "$tmp/request.out")" result established
fi
stop_last

# --http: one response per request (its header section ends with an empty line), not per record.
start_server http "${srv_ec[@]}" --http
client --trust "$tmp/ec.crt" --send $'GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: b\r\n\r\n'
check "--http: two requests in one record, two responses" \
  test "$(grep -o 'HTTP/1.1 200 OK' <<<"$out" | wc -l)" -eq 2
check "--http: the body names the peer" contains "$out" 'tg-peer-builtin\n'
{ printf 'GET /big HTTP/1.1\r\nX-Pad: '; head -c 40000 /dev/zero | tr '\0' a; printf '\r\n\r\n'; } \
  >"$tmp/big.req"
client --trust "$tmp/ec.crt" --send-file "$tmp/big.req"
check "--http: a request over three records, one response" \
  test "$(grep -o 'HTTP/1.1 200 OK' <<<"$out" | wc -l)" -eq 1
if command -v openssl >/dev/null 2>&1; then
  f=$tmp/http.s_client
  { printf 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'
    for ((i = 0; i < 100; i++)); do grep -q 'tg-peer-builtin' "$f" 2>/dev/null && break; nap 0.05; done
  } | timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$tmp/ec.crt" \
    -servername localhost >"$f" 2>&1
  check "openssl s_client -> --http: a 200 response" contains "$(<"$f")" "HTTP/1.1 200 OK"
fi
stop_last

# --key-update: after the first application data, not straight after the handshake.
start_server ku "${srv_ec[@]}" --echo --key-update
client --trust "$tmp/ec.crt" --send ku1
check "--key-update server, builtin client: echoed" json_is "$out" received ku1
client --trust "$tmp/ec.crt" --key-update --send ku2
check "--key-update on both sides: echoed" json_is "$out" received ku2
if command -v openssl >/dev/null 2>&1; then
  o=$(timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$tmp/ec.crt" \
    -servername localhost -msg </dev/null 2>&1)
  check "openssl s_client -msg, no data: no KeyUpdate from the server" lacks "$o" "KeyUpdate"
  talk "data then update" timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$tmp/ec.crt" \
    -servername localhost -msg
  check "openssl s_client -msg, with data: a KeyUpdate came" contains "$o" "Handshake [length 0005], KeyUpdate"
  check "... after the echo" test "$(grep -n "^data then update" <<<"$o" | head -n1 | cut -d: -f1)" \
    -lt "$(grep -n 'KeyUpdate' <<<"$o" | head -n1 | cut -d: -f1)"
fi
stop_last

# --ems-optional (TLS 1.2): a client without extended_master_secret is served, not refused.
# gnutls-cli's %NO_SESSION_HASH leaves the extension out (openssl s_client 3.0 cannot).
if command -v gnutls-cli >/dev/null 2>&1; then
  nohash='NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_SESSION_HASH'
  start_server noems "${srv_ec[@]}" --echo --max-version 1.2
  talk "no ems" timeout 10 gnutls-cli --priority "$nohash" --x509cafile "$tmp/ec.crt" \
    --verify-hostname localhost -p "$port" 127.0.0.1
  check "without --ems-optional: a client without EMS is refused" lacks "$o" "Handshake was completed"
  wait_lines "$tmp/noems.out" 1
  check "... with handshake_failure" json_is "$(head -n1 "$tmp/noems.out")" alert_sent handshake_failure
  stop_last
  start_server emsopt "${srv_ec[@]}" --echo --max-version 1.2 --ems-optional
  talk "ems optional" timeout 10 gnutls-cli --priority "$nohash" --x509cafile "$tmp/ec.crt" \
    --verify-hostname localhost -p "$port" 127.0.0.1
  check "--ems-optional: a client without EMS is served" contains "$o" "Handshake was completed"
  check "--ems-optional: echoed" contains "$o" "ems optional"
  stop_last
fi

# ---- openssl s_client against the builtin server -------------------------------------------------
if command -v openssl >/dev/null 2>&1; then
  start_server ossl "${srv_ec[@]}" --echo
  for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
    talk "ping $suite" \
      timeout 10 openssl s_client -tls1_3 -ciphersuites "$suite" -connect "127.0.0.1:$port" \
        -servername localhost -CAfile "$tmp/ec.crt" -verify_return_error
    check "openssl s_client $suite: handshake" contains "$o" "Cipher is $suite"
    check "openssl s_client $suite: verified" contains "$o" "Verify return code: 0 (ok)"
    check "openssl s_client $suite: echoed" contains "$o" "ping $suite"
  done
  o=$(echo | timeout 10 openssl s_client -tls1_2 -connect "127.0.0.1:$port" 2>&1)
  check "a TLS 1.2-only s_client is refused" lacks "$o" "Cipher is TLS"
  wait_lines "$tmp/ossl.out" 4
  check "... with protocol_version" json_is "$(tail -n1 "$tmp/ossl.out")" alert_sent protocol_version
  stop_last

  # ---- the builtin client against openssl s_server ------------------------------------------------
  # s_server cannot print a port it picked on every version, but 3.0 prints "ACCEPT HOST:PORT"
  # for -accept 127.0.0.1:0, which is what this test reads. -rev echoes each line reversed.
  openssl s_server -tls1_3 -accept 127.0.0.1:0 -cert "$tmp/ec.crt" -key "$tmp/ec.key" -rev \
    -naccept 1 >"$tmp/s_server.out" 2>&1 </dev/null &
  pids+=($!)
  if wait_for "$tmp/s_server.out" '^ACCEPT 127.0.0.1:'; then
    port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/s_server.out")
    # The client sends close_notify right after its line; s_server -rev answers the line first.
    out=$(timeout 20 "$peer" --role client --connect "127.0.0.1:$port" --timeout-ms 2000 \
      --trust "$tmp/ec.crt" --sni localhost --send $'hello\n' 2>>"$tmp/client.err")
    rc=$?
    check "builtin client -> openssl s_server: exits 0" test $rc -eq 0
    check "builtin client -> openssl s_server: established" json_is "$out" result established
    check "builtin client -> openssl s_server: -rev answered" contains "$out" '"received":"olleh'
  else
    echo "FAIL openssl s_server did not print its port: $(cat "$tmp/s_server.out")"
    fails=$((fails + 1))
  fi
  stop_last
fi

# ---- gnutls-cli against the builtin server -------------------------------------------------------
if command -v gnutls-cli >/dev/null 2>&1; then
  start_server gnutls "${srv_ec[@]}" --echo
  talk "ping gnutls" \
    timeout 10 gnutls-cli --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' --x509cafile "$tmp/ec.crt" \
      --verify-hostname localhost -p "$port" 127.0.0.1
  check "gnutls-cli: handshake completed" contains "$o" "Handshake was completed"
  check "gnutls-cli: echoed" contains "$o" "ping gnutls"
  wait_lines "$tmp/gnutls.out" 1
  check "gnutls-cli: the server saw it established" \
    json_is "$(head -n1 "$tmp/gnutls.out")" result established
  stop_last
fi

# In a sanitizer build a report in any peer fails the test even if its outcome looked right.
check "no sanitizer report from any peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"

echo "$fails failed"
[ $fails -eq 0 ]
