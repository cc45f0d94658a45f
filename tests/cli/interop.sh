#!/usr/bin/env bash
# Interop of the built-in engine with real TLS 1.3 libraries, on loopback:
#   builtin client -> openssl s_server, gnutls-serv
#   openssl s_client, gnutls-cli -> builtin server
# every cipher suite x group (x25519, secp256r1, secp384r1); ECDSA P-256, RSA-PSS and Ed25519
# server certificates; a forced HelloRetryRequest; client authentication; KeyUpdate both ways;
# 1 MiB of application data intact; resumption with session tickets both ways. Ports are picked
# by the kernel (port 0); gnutls-serv, which cannot print one, gets a port the builtin peer found
# free, with a retry for the race. Every process started here is killed on exit and every wait
# is bounded.
#   interop.sh TLSGAUNTLET SOURCE_DIR   (tg-peer-builtin sits next to TLSGAUNTLET)
set -u
peer=$(dirname "$1")/tg-peer-builtin
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh" # nap, contains: no process per wait or match
. "$(dirname "$0")/interop_lib.sh"
# wait_size FILE BYTES: up to 10 s for FILE to reach BYTES.
wait_size() {
  local i
  for ((i = 0; i < 200; i++)); do
    [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
    nap 0.05
  done
  return 1
}
# wait_text FILE TEXT [GREP-OPTION]: up to 20 s for the fixed string TEXT in FILE.
wait_text() {
  local i
  for ((i = 0; i < 400; i++)); do
    grep -qF ${3:-} -- "$2" "$1" 2>/dev/null && return 0
    nap 0.05
  done
  return 1
}
# builtin_server NAME ARGS...: a --listen builtin server on 127.0.0.1:0; sets $port.
builtin_server() {
  local name=$1; shift
  "$peer" --role server --listen 127.0.0.1:0 --timeout-ms "${server_timeout:-5000}" "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err")
  [ -n "$port" ] || { echo "FAIL builtin server $name did not start"; fails=$((fails + 1)); }
}
# builtin_client PORT ARGS...: one builtin client connection; sets $out and $rc.
builtin_client() {
  local p=$1; shift
  out=$(timeout 20 "$peer" --role client --connect "127.0.0.1:$p" --timeout-ms 5000 "$@" \
    2>>"$tmp/client.err")
  rc=$?
}
# ossl_server NAME ARGS...: openssl s_server on 127.0.0.1:0 (3.0 prints "ACCEPT HOST:PORT").
# Its stdin is a FIFO this script keeps open, so s_server never sees EOF there (which would end
# its connections early). Sets $port.
ossl_server() {
  local name=$1; shift
  mkfifo "$tmp/$name.in"
  openssl s_server -accept 127.0.0.1:0 -tls1_3 "$@" <"$tmp/$name.in" >"$tmp/$name.out" 2>&1 &
  pids+=($!)
  exec {ossl_fd}<>"$tmp/$name.in" # read-write: the open never blocks, whatever s_server does
  port=
  wait_for "$tmp/$name.out" '^ACCEPT 127.0.0.1:' &&
    port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.out")
  [ -n "$port" ] || { echo "FAIL s_server $name did not start"; fails=$((fails + 1)); }
}


suites=(TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256)
groups=(x25519 secp256r1 secp384r1)
declare -A ossl_group=([x25519]=X25519 [secp256r1]=P-256 [secp384r1]=P-384)
# How s_client names them on its "Server Temp Key" line.
declare -A ossl_temp_key=([x25519]="X25519" [secp256r1]="ECDH, prime256v1" [secp384r1]="ECDH, secp384r1")
declare -A gnutls_group=([x25519]=GROUP-X25519 [secp256r1]=GROUP-SECP256R1 [secp384r1]=GROUP-SECP384R1)
declare -A gnutls_cipher=([TLS_AES_128_GCM_SHA256]=AES-128-GCM [TLS_AES_256_GCM_SHA384]=AES-256-GCM
  [TLS_CHACHA20_POLY1305_SHA256]=CHACHA20-POLY1305)
gnutls_prio() { # SUITE GROUP
  echo "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+${gnutls_cipher[$1]}:-GROUP-ALL:+${gnutls_group[$2]}"
}

for tool in openssl gnutls-cli gnutls-serv; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP $tool is not installed"; exit 77; }
done
check "the peer binary exists" test -x "$peer"

# ---- certificates: throwaway, self-signed, made here ----------------------------------------------
mkcert() { # NAME KEY-ARGS...
  local name=$1; shift
  openssl req -x509 -nodes "$@" -keyout "$tmp/$name.key" -out "$tmp/$name.crt" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1
}
mkcert ec -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert pss -newkey rsa-pss -pkeyopt rsa_keygen_bits:2048
mkcert ed -newkey ed25519
mkcert client -newkey ec -pkeyopt ec_paramgen_curve:P-256
for c in ec pss ed client; do check "certificate $c was made" test -s "$tmp/$c.crt"; done
head -c 1048576 /dev/urandom >"$tmp/mib"

# ---- builtin client -> openssl s_server: every suite x group --------------------------------------
ossl_server matrix -cert "$tmp/ec.crt" -key "$tmp/ec.key" -rev
for suite in "${suites[@]}"; do
  for group in "${groups[@]}"; do
    builtin_client "$port" --trust "$tmp/ec.crt" --sni localhost --ciphers "$suite" \
      --groups "$group" --send $'abc\n'
    check "builtin -> s_server $suite $group" json_is "$out" cipher "$suite"
    check "builtin -> s_server $suite $group: group" json_is "$out" group "$group"
    check "builtin -> s_server $suite $group: -rev answered" contains "$out" '"received":"cba'
  done
done
stop_last

# ---- openssl s_client and gnutls-cli -> builtin server: every suite x group -------------------------
builtin_server matrix --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
for suite in "${suites[@]}"; do
  for group in "${groups[@]}"; do
    talk "ping $suite"$'\n' "ping $suite" timeout 10 openssl s_client -tls1_3 \
      -ciphersuites "$suite" -groups "${ossl_group[$group]}" -connect "127.0.0.1:$port" \
      -servername localhost -CAfile "$tmp/ec.crt" -verify_return_error
    check "s_client -> builtin $suite $group" contains "$o" "Cipher is $suite"
    check "s_client -> builtin $suite $group: group" contains "$o" "Server Temp Key: ${ossl_temp_key[$group]},"
    check "s_client -> builtin $suite $group: echoed" contains "$o" "ping $suite"
    talk $'ping gnutls\n' "ping gnutls" timeout 10 gnutls-cli --priority \
      "$(gnutls_prio "$suite" "$group")" --x509cafile "$tmp/ec.crt" --verify-hostname localhost \
      -p "$port" 127.0.0.1
    check "gnutls-cli -> builtin $suite $group" contains "$o" "(${gnutls_cipher[$suite]})"
    check "gnutls-cli -> builtin $suite $group: group" contains "$o" "(ECDHE-${gnutls_group[$group]#GROUP-})"
    check "gnutls-cli -> builtin $suite $group: echoed" contains "$o" "ping gnutls"
  done
done
stop_last

# ---- server certificates: ECDSA P-256 (above), RSA-PSS, Ed25519 -----------------------------------
for kind in pss ed; do
  builtin_server "cert_$kind" --cert "$tmp/$kind.crt" --key "$tmp/$kind.key" --echo
  talk "hi $kind"$'\n' "hi $kind" timeout 10 openssl s_client -tls1_3 \
    -connect "127.0.0.1:$port" -servername localhost -CAfile "$tmp/$kind.crt" \
    -verify_return_error
  check "s_client -> builtin, $kind certificate: verified" contains "$o" "Verify return code: 0 (ok)"
  check "s_client -> builtin, $kind certificate: echoed" contains "$o" "hi $kind"
  talk "hi $kind"$'\n' "hi $kind" timeout 10 gnutls-cli \
    --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' --x509cafile "$tmp/$kind.crt" \
    --verify-hostname localhost -p "$port" 127.0.0.1
  check "gnutls-cli -> builtin, $kind certificate: echoed" contains "$o" "hi $kind"
  stop_last
  ossl_server "cert_$kind" -cert "$tmp/$kind.crt" -key "$tmp/$kind.key" -rev
  builtin_client "$port" --trust "$tmp/$kind.crt" --sni localhost --send $'hey\n'
  check "builtin -> s_server, $kind certificate" contains "$out" '"received":"yeh'
  stop_last
done
expect_scheme() { # KIND SCHEME: the s_client transcript names the peer's signature type
  talk "" "Peer signature type: $2" timeout 10 openssl s_client -tls1_3 \
    -connect "127.0.0.1:$port" -CAfile "$tmp/$1.crt"
  check "the $1 certificate signs with $2" contains "$o" "Peer signature type: $2"
}
builtin_server sig_pss --cert "$tmp/pss.crt" --key "$tmp/pss.key"
expect_scheme pss RSA-PSS
stop_last
builtin_server sig_ed --cert "$tmp/ed.crt" --key "$tmp/ed.key"
expect_scheme ed ed25519
stop_last

# ---- forced HelloRetryRequest: the client's share is x25519, the server takes only P-256 ---------
ossl_server hrr -cert "$tmp/ec.crt" -key "$tmp/ec.key" -rev -groups P-256
builtin_client "$port" --trust "$tmp/ec.crt" --sni localhost --groups x25519,secp256r1 \
  --send $'retry\n'
check "builtin -> s_server after HelloRetryRequest: secp256r1" json_is "$out" group secp256r1
check "builtin -> s_server after HelloRetryRequest: data" contains "$out" '"received":"yrter'
stop_last
builtin_server hrr --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --groups secp256r1
talk $'retry\n' retry timeout 10 openssl s_client -tls1_3 -groups X25519:P-256 \
  -connect "127.0.0.1:$port" -CAfile "$tmp/ec.crt" -msg
# s_client -msg shows a HelloRetryRequest as a ServerHello: two ClientHellos tell it.
check "s_client -> builtin: a HelloRetryRequest was sent" \
  test "$(grep -c '>>> TLS 1.3, Handshake .*ClientHello' <<<"$o")" -eq 2
check "s_client -> builtin after HelloRetryRequest: P-256" \
  contains "$o" "Server Temp Key: ECDH, prime256v1,"
check "s_client -> builtin after HelloRetryRequest: echoed" contains "$o" "retry"
talk $'retry\n' retry timeout 10 gnutls-cli --priority \
  'NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1' \
  --x509cafile "$tmp/ec.crt" --verify-hostname localhost -p "$port" 127.0.0.1
check "gnutls-cli -> builtin after HelloRetryRequest: SECP256R1" contains "$o" "(ECDHE-SECP256R1)"
check "gnutls-cli -> builtin after HelloRetryRequest: echoed" contains "$o" "retry"
stop_last

# ---- client authentication ------------------------------------------------------------------------
builtin_server auth --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --require-client-cert \
  --trust "$tmp/client.crt"
talk $'mtls\n' mtls timeout 10 openssl s_client -tls1_3 \
  -connect "127.0.0.1:$port" -CAfile "$tmp/ec.crt" -cert "$tmp/client.crt" \
  -key "$tmp/client.key"
check "s_client with a certificate -> builtin requiring one: echoed" contains "$o" "mtls"
talk $'mtls\n' mtls timeout 10 gnutls-cli --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' \
  --x509cafile "$tmp/ec.crt" --verify-hostname localhost --x509certfile "$tmp/client.crt" \
  --x509keyfile "$tmp/client.key" -p "$port" 127.0.0.1
check "gnutls-cli with a certificate -> builtin requiring one: echoed" contains "$o" "mtls"
talk $'none\n' "certificate required" timeout 10 openssl s_client -tls1_3 \
  -connect "127.0.0.1:$port" -CAfile "$tmp/ec.crt"
check "s_client without a certificate: certificate_required" contains "$o" "certificate required"
stop_last
ossl_server auth -cert "$tmp/ec.crt" -key "$tmp/ec.key" -rev -Verify 1 -CAfile "$tmp/client.crt"
builtin_client "$port" --trust "$tmp/ec.crt" --sni localhost --cert "$tmp/client.crt" \
  --key "$tmp/client.key" --send $'mtls\n'
check "builtin with a certificate -> s_server -Verify: answered" contains "$out" '"received":"sltm'
stop_last

# ---- KeyUpdate both ways --------------------------------------------------------------------------
# The builtin client asks for an update (update_requested); s_server answers with its own, and
# its reply to the line after comes under the new keys.
ossl_server ku -cert "$tmp/ec.crt" -key "$tmp/ec.key" -rev -msg
builtin_client "$port" --trust "$tmp/ec.crt" --sni localhost --key-update --send $'after\n'
check "builtin KeyUpdate -> s_server: data after it answered" contains "$out" '"received":"retfa'
check "builtin KeyUpdate -> s_server: s_server saw the KeyUpdate" wait_for "$tmp/ku.out" "KeyUpdate" 20
stop_last
# s_client's "K" command sends a KeyUpdate with update_requested; the builtin server answers
# with its own and echoes the lines before and after.
builtin_server ku --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
# Each line goes once the one before has had its effect: the echo, then the server's KeyUpdate.
rm -f "$tmp/ku_c.out"
{ printf 'before\n'; wait_text "$tmp/ku_c.out" before -x
  printf 'K\n'; wait_text "$tmp/ku_c.out" '<<< TLS 1.3, Handshake [length 0005], KeyUpdate'
  printf 'after\n'; wait_text "$tmp/ku_c.out" after -x
} | timeout 10 openssl s_client -tls1_3 -connect "127.0.0.1:$port" -CAfile "$tmp/ec.crt" -msg \
  >"$tmp/ku_c.out" 2>&1
o=$(<"$tmp/ku_c.out")
check "s_client KeyUpdate -> builtin: s_client sent it" contains "$o" "KEYUPDATE"
check "s_client KeyUpdate -> builtin: the builtin server answered with its own" \
  test "$(grep -c '<<< TLS 1.3, Handshake \[length 0005\], KeyUpdate' <<<"$o")" -ge 1
check "s_client KeyUpdate -> builtin: data after it echoed" contains "$o" "after"
stop_last

# ---- 1 MiB of application data --------------------------------------------------------------------
# Through openssl: s_client sends the file to the builtin echo server and writes what comes back.
server_timeout=15000 builtin_server mib --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
timeout 20 openssl s_client -tls1_3 -quiet -nocommands -connect "127.0.0.1:$port" \
  -CAfile "$tmp/ec.crt" <"$tmp/mib" >"$tmp/mib.back" 2>"$tmp/mib.err" &
pids+=($!)
wait_size "$tmp/mib.back" 1048576
check "1 MiB via s_client -> builtin echo: intact" cmp -s "$tmp/mib" "$tmp/mib.back"
stop_last
stop_last
# The builtin client sends the file to s_server, which writes what it receives. -quiet keeps
# everything else off its stdout, its ACCEPT line included: so a free port, as for gnutls-serv.
mkfifo "$tmp/mib_srv.in"
exec {mib_fd}<>"$tmp/mib_srv.in" # open both ways: neither side of the FIFO blocks
port=
for attempt in 1 2 3; do
  p=$(free_port "$tmp/ec.crt" "$tmp/ec.key")
  [ -n "$p" ] || continue
  openssl s_server -accept "127.0.0.1:$p" -tls1_3 -quiet -naccept 1 -cert "$tmp/ec.crt" \
    -key "$tmp/ec.key" <"$tmp/mib_srv.in" >"$tmp/mib_srv.out" 2>"$tmp/mib_srv.err" &
  pids+=($!)
  if wait_listening "$p"; then port=$p; break; fi
  stop_last
done
builtin_client "${port:-1}" --trust "$tmp/ec.crt" --sni localhost --send-file "$tmp/mib"
check "1 MiB builtin -> s_server: sent" contains "$out" '"bytes_sent":1048576'
wait_size "$tmp/mib_srv.out" 1048576
head -c 1048576 "$tmp/mib_srv.out" >"$tmp/mib.got"
check "1 MiB builtin -> s_server: intact" cmp -s "$tmp/mib" "$tmp/mib.got"
stop_last

# ---- builtin client -> gnutls-serv (it cannot bind port 0: a free port, and a retry) --------------
gnutls_up=
for attempt in 1 2 3; do
  gport=$(free_port "$tmp/ec.crt" "$tmp/ec.key")
  [ -n "$gport" ] || continue
  gnutls-serv --echo -p "$gport" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' \
    --x509certfile "$tmp/ec.crt" --x509keyfile "$tmp/ec.key" >"$tmp/gserv.out" 2>&1 &
  pids+=($!)
  if wait_listening "$gport"; then gnutls_up=1; break; fi
  stop_last # the port was taken in between: try another
done
check "gnutls-serv started" test -n "$gnutls_up"
if [ -n "$gnutls_up" ]; then
  for suite in "${suites[@]}"; do
    for group in "${groups[@]}"; do
      builtin_client "$gport" --trust "$tmp/ec.crt" --sni localhost --ciphers "$suite" \
        --groups "$group" --send $'gnutls '"$suite"$'\n' # gnutls-serv --echo answers lines
      check "builtin -> gnutls-serv $suite $group" json_is "$out" group "$group"
      check "builtin -> gnutls-serv $suite $group: echoed" \
        contains "$out" "\"received\":\"gnutls $suite\\n\""
    done
  done
  stop_last
fi

# ---- resumption (RFC 8446 §2.2): session tickets both ways ----------------------------------------
# s_client saves the builtin server's ticket, then offers it: s_client says "Reused" and the
# builtin server reports "resumed":true (its ticket key is drawn once per process).
builtin_server resume --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
# The builtin server sends its tickets before it echoes: "first" back means they were read.
talk $'first\n' first timeout 10 openssl s_client -tls1_3 -connect "127.0.0.1:$port" \
  -CAfile "$tmp/ec.crt" -verify_return_error -sess_out "$tmp/ossl.sess"
check "s_client -> builtin, full handshake: New" contains "$o" "New, TLSv1.3"
check "s_client -> builtin: a ticket was saved" test -s "$tmp/ossl.sess"
talk $'again\n' again timeout 10 openssl s_client -tls1_3 -connect "127.0.0.1:$port" \
  -CAfile "$tmp/ec.crt" -verify_return_error -sess_in "$tmp/ossl.sess"
check "s_client -sess_in -> builtin: Reused" contains "$o" "Reused, TLSv1.3"
check "s_client -sess_in -> builtin: echoed" contains "$o" "again"
talk $'gnutls\n' "This is a resumed session" timeout 10 gnutls-cli --resume \
  --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' --x509cafile "$tmp/ec.crt" \
  --verify-hostname localhost -p "$port" 127.0.0.1
check "gnutls-cli --resume -> builtin: resumed" contains "$o" "This is a resumed session"
for ((i = 0; i < 400; i++)); do # up to 20 s for the four connections' lines
  [ "$(grep -c '"result"' "$tmp/resume.out")" -ge 4 ] && break
  nap 0.05
done
check "the builtin server reports the full handshakes as not resumed" \
  test "$(grep -c '"result":"established".*"resumed":false' "$tmp/resume.out")" -eq 2
check "the builtin server reports both resumptions" \
  test "$(grep -c '"result":"established".*"resumed":true' "$tmp/resume.out")" -eq 2
stop_last
# The builtin client saves s_server's ticket (--sess-out), then offers it (--sess-in).
ossl_server resume -cert "$tmp/ec.crt" -key "$tmp/ec.key" -rev
builtin_client "$port" --trust "$tmp/ec.crt" --sni localhost --send $'full\n' \
  --sess-out "$tmp/builtin.sess"
check "builtin -> s_server, full handshake: not resumed" contains "$out" '"resumed":false'
check "builtin -> s_server: a ticket was saved" test -s "$tmp/builtin.sess"
builtin_client "$port" --trust "$tmp/ec.crt" --sni localhost --send $'short\n' \
  --sess-in "$tmp/builtin.sess"
check "builtin --sess-in -> s_server: resumed" contains "$out" '"resumed":true'
check "builtin --sess-in -> s_server: -rev answered" contains "$out" '"received":"trohs'
stop_last

# In a sanitizer build a report from the builtin peer fails the test whatever its outcome.
check "no sanitizer report from the builtin peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"

echo "$fails failed"
[ $fails -eq 0 ]
