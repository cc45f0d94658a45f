#!/usr/bin/env bash
# Interop of this part of issue 14 with the libraries' own tools, on loopback, each direction:
#   record_size_limit (RFC 8449, TLS 1.3): gnutls-cli --recordsize 512 -> builtin server, and
#     builtin client -> gnutls-serv --recordsize 512: the limit is negotiated (GnuTLS logs it)
#     and the builtin side's records keep to it (GnuTLS's own log of the decrypted lengths):
#     the server's handshake flight, the client's application data. OpenSSL 3.0 has no RFC 8449, so no s_client/s_server check.
#   a CertificateRequest that does not insist, TLS 1.3 and 1.2: builtin client with and without
#     a certificate -> openssl s_server -verify (requests, goes on without), and
#     openssl s_client with and without one -> builtin server --request-client-cert.
# Ports are picked by the kernel (port 0), or probed free for gnutls-serv; every process started
# here is killed on exit and every wait is bounded.
#   interop_auth.sh TLSGAUNTLET SOURCE_DIR   (tg-peer-builtin sits next to TLSGAUNTLET)
set -u
bin=$(dirname "$1")
peer=$bin/tg-peer-builtin
certs=$2/vectors/scenarios/certs
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh" # nap, contains: no process per wait or match
. "$(dirname "$0")/interop_lib.sh"
builtin_server() { # NAME ARGS...: a builtin --listen server on 127.0.0.1:0; sets $port
  local name=$1; shift
  "$peer" --role server --listen 127.0.0.1:0 --timeout-ms 5000 "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err")
  [ -n "$port" ] || { echo "FAIL $name did not start"; fails=$((fails + 1)); port=1; }
}
client() { # PORT ARGS...: one builtin client connection; sets $out
  local p=$1; shift
  out=$(timeout 20 "$peer" --role client --connect "127.0.0.1:$p" --timeout-ms 5000 "$@" \
    2>>"$tmp/client.err")
}
# The largest "Decrypted Packet[...] Application Data(23) with length: N" of a GnuTLS -d 9 log.
largest_decrypted() {
  sed -n 's/.*Decrypted Packet.*Application Data(23) with length: \([0-9]*\).*/\1/p' "$1" |
    sort -n | tail -n1
}

for tool in openssl gnutls-cli gnutls-serv; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP $tool is not installed"; exit 77; }
done
check "the builtin peer exists" test -x "$peer"
# 4000 bytes of text in one line: more than seven records of 512.
head -c 3000 /dev/zero | tr '\0' x | fold -w 100 | tr -d '\n' >"$tmp/big.txt"
printf 'END\n' >>"$tmp/big.txt"
srv=(--cert "$certs/server.pem" --key "$certs/server.key")

# ---- record_size_limit: gnutls-cli -> builtin server ------------------------------------------
# gnutls-cli writes at most one record of its own limit per line it reads, so the builtin
# server's records over 512 bytes to look for are its encrypted flight (the Certificate with its
# intermediate is over 1 KB), then its echo.
printf 'hello-rsl\n' >"$tmp/hello.txt"
builtin_server rsl "${srv[@]}" --echo
talk "@$tmp/hello.txt" "- Peer has closed" timeout 10 gnutls-cli -d 9 --recordsize 512 \
  --x509cafile "$certs/root.pem" --verify-hostname server.test --sni-hostname server.test \
  -p "$port" 127.0.0.1
printf '%s\n' "$o" >"$tmp/gcli.log"
check "gnutls-cli --recordsize 512 -> builtin: the builtin server answered the extension" \
  contains "$o" "record_size_limit 16385 negotiated"
check "... echoed" test -n "$(grep -x hello-rsl <<<"$o")"
n512=$(grep -c 'Decrypted Packet.*Handshake(22) with length: 512$' "$tmp/gcli.log")
check "... the server's flight came in full records of 512 ($n512)" test "$n512" -ge 2
largest=$(sed -n 's/.*Decrypted Packet.* with length: \([0-9]*\).*/\1/p' "$tmp/gcli.log" | sort -n | tail -n1)
check "... and no record over 512 (largest: ${largest:-none})" \
  test -n "$largest" -a "${largest:-99999}" -le 512
stop_last

# ---- record_size_limit: builtin client -> gnutls-serv -----------------------------------------
up=
for attempt in 1 2 3; do
  gport=$(free_port)
  [ -n "$gport" ] || continue
  gnutls-serv -d 9 --echo --recordsize 512 -p "$gport" --x509certfile "$certs/server.pem" \
    --x509keyfile "$certs/server.key" >"$tmp/gserv.log" 2>&1 &
  pids+=($!)
  if wait_listening "$gport"; then up=1; break; fi
  stop_last
done
check "gnutls-serv --recordsize 512 started" test -n "$up"
if [ -n "$up" ]; then
  client "$gport" --trust "$certs/root.pem" --sni server.test --send-file "$tmp/big.txt"
  check "builtin -> gnutls-serv --recordsize 512: established" json_is "$out" protocol TLSv1.3
  check "... echoed" contains "$out" 'xxxxEND'
  stop_last
  check "... gnutls-serv negotiated the builtin client's limit" \
    contains "$(<"$tmp/gserv.log")" "record_size_limit 16385 negotiated"
  largest=$(largest_decrypted "$tmp/gserv.log")
  check "... the builtin client's records kept to 512 (largest: ${largest:-none})" \
    test -n "$largest" -a "${largest:-99999}" -le 512
fi

# ---- CertificateRequest without insisting: builtin client -> openssl s_server -verify --------
for v in 1_3 1_2; do
  mkfifo "$tmp/in$v"
  openssl s_server -accept 127.0.0.1:0 "-tls$v" -cert "$certs/server.pem" -key "$certs/server.key" \
    -cert_chain "$certs/server.pem" -verify 1 -CAfile "$certs/root.pem" -rev <"$tmp/in$v" >"$tmp/sserv$v.out" 2>&1 &
  pids+=($!)
  exec {fd}<>"$tmp/in$v"
  port=
  wait_for "$tmp/sserv$v.out" '^ACCEPT 127.0.0.1:' &&
    port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/sserv$v.out")
  check "openssl s_server -tls$v -verify 1 started" test -n "$port"
  [ -n "$port" ] || { stop_last; continue; }
  mv=$([ $v = 1_3 ] && echo 1.3 || echo 1.2)
  client "$port" --min-version "$mv" --max-version "$mv" --trust "$certs/root.pem" \
    --sni server.test --send $'abc\n'
  check "builtin client without a certificate -> s_server -tls$v -verify: answered" \
    contains "$out" '"received":"cba'
  client "$port" --min-version "$mv" --max-version "$mv" --trust "$certs/root.pem" \
    --sni server.test --cert "$certs/client.pem" --key "$certs/client.key" --send $'xyz\n'
  check "builtin client with a certificate -> s_server -tls$v -verify: answered" \
    contains "$out" '"received":"zyx'
  check "... s_server verified the client's chain" contains "$(<"$tmp/sserv$v.out")" "verify return:1"
  exec {fd}>&-
  stop_last
done

# ---- openssl s_client -> builtin server --request-client-cert -------------------------------------
builtin_server req "${srv[@]}" --echo --request-client-cert --trust "$certs/root.pem" --min-version 1.2
printf 'nocert\n' >"$tmp/nocert.txt"
printf 'withcert\n' >"$tmp/withcert.txt"
for v in 1_3 1_2; do
  talk "@$tmp/nocert.txt" nocert timeout 10 openssl s_client "-tls$v" -connect "127.0.0.1:$port" \
    -CAfile "$certs/root.pem" -servername server.test
  check "s_client -tls$v without a certificate -> builtin --request-client-cert: asked, echoed" \
    test -n "$(grep -F 'Requested Signature Algorithms' <<<"$o")" -a -n "$(grep -x nocert <<<"$o")"
  talk "@$tmp/withcert.txt" withcert timeout 10 openssl s_client "-tls$v" -connect "127.0.0.1:$port" \
    -CAfile "$certs/root.pem" -servername server.test -cert "$certs/client.pem" -key "$certs/client.key" \
    -cert_chain "$certs/client.pem"
  check "s_client -tls$v with a certificate -> builtin --request-client-cert: echoed" \
    test -n "$(grep -x withcert <<<"$o")"
done
stop_last

check "no sanitizer report from any peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"
echo "$fails failed"
[ $fails -eq 0 ]
