#!/usr/bin/env bash
# Interop of the built-in engine's groups beyond x25519/secp256r1/secp384r1, on loopback: x448,
# secp521r1 and ffdhe2048 in TLS 1.3 key_share (RFC 8446 4.2.8), x448 and secp521r1 as TLS 1.2
# ECDHE curves (RFC 8422), each direction:
#   builtin client -> openssl s_server -groups G, gnutls-serv with only G
#   openssl s_client -groups G, gnutls-cli with only G -> builtin server --groups G
# and checks the group both sides report. Ports are picked by the kernel (port 0), or probed free
# for gnutls-serv; every process started here is killed on exit and every wait is bounded.
#   interop_groups.sh TLSGAUNTLET SOURCE_DIR   (tg-peer-builtin sits next to TLSGAUNTLET)
set -u
bin=$(dirname "$1")
peer=$bin/tg-peer-builtin
certs=$2/vectors/scenarios/certs
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh" # nap, contains: no process per wait or match
. "$(dirname "$0")/interop_lib.sh"
# The TLS 1.3 runs use server.pem (P-256); TLS 1.2 uses server-rsa.pem, since there
# supported_groups also limits the curve of an ECDSA certificate (RFC 8422 5.1.1, 5.3) and the
# client offers x448 or secp521r1 alone.
# A builtin server prints its outcome line when the connection ends: the checks wait for it
# (wait_for) before the server is stopped.
builtin_server() { # NAME CERT ARGS...: tg-peer-builtin --listen on 127.0.0.1:0; sets $port
  local name=$1 cert=$2; shift 2
  "$peer" --role server --listen 127.0.0.1:0 --timeout-ms 5000 --cert "$certs/$cert.pem" \
    --key "$certs/$cert.key" --echo "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err")
  [ -n "$port" ] || { echo "FAIL $name did not start"; fails=$((fails + 1)); port=1; }
}
client() { # PORT ARGS...: one tg-peer-builtin client connection; sets $out
  local p=$1; shift
  out=$(timeout 20 "$peer" --role client --connect "127.0.0.1:$p" --timeout-ms 5000 \
    --trust "$certs/root.pem" --sni server.test "$@" 2>>"$tmp/client.err")
}
ossl_server() { # NAME CERT ARGS...: openssl s_server on port 0; sets $port
  local name=$1 cert=$2; shift 2
  mkfifo "$tmp/$name.in"
  openssl s_server -accept 127.0.0.1:0 -cert "$certs/$cert.pem" -cert_chain "$certs/$cert.pem" \
    -key "$certs/$cert.key" -rev "$@" <"$tmp/$name.in" >"$tmp/$name.out" 2>&1 &
  pids+=($!)
  exec {ossl_fd}<>"$tmp/$name.in"
  port=
  wait_for "$tmp/$name.out" '^ACCEPT 127.0.0.1:' &&
    port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.out")
  [ -n "$port" ] || { echo "FAIL s_server $name did not start"; fails=$((fails + 1)); port=1; }
}
gnutls_serv() { # PRIORITY: gnutls-serv --echo on a free port (three tries); sets $gport, $up
  up=
  for attempt in 1 2 3; do
    gport=$(free_port)
    [ -n "$gport" ] || continue
    gnutls-serv --echo -p "$gport" --priority "$1" --x509certfile "$certs/server.pem" \
      --x509keyfile "$certs/server.key" >"$tmp/gserv.out" 2>&1 &
    pids+=($!)
    if wait_listening "$gport"; then up=1; return; fi
    stop_last
  done
}

for tool in openssl gnutls-cli gnutls-serv; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP $tool is not installed"; exit 77; }
done
check "the builtin peer exists" test -x "$peer"

# Each group: the IANA name (the adapters'), GnuTLS's priority name, and what s_client prints
# as "Server Temp Key" for it (OpenSSL 3.0).
declare -A gnutls_name=([x448]=X448 [secp521r1]=SECP521R1 [ffdhe2048]=FFDHE2048)
declare -A ossl_temp_key=([x448]="X448, 448 bits" [secp521r1]="ECDH, secp521r1, 521 bits"
  [ffdhe2048]="DH, 2048 bits")
declare -A gnutls_kx=([x448]="(ECDHE-X448)" [secp521r1]="(ECDHE-SECP521R1)"
  [ffdhe2048]="(DHE-FFDHE2048)")

# ---- TLS 1.3 ---------------------------------------------------------------------------------------
for g in x448 secp521r1 ffdhe2048; do
  # builtin client (x25519 listed first, so a share for G needs a HelloRetryRequest) -> s_server
  ossl_server "s13_$g" server -tls1_3 -groups "$g"
  client "$port" --groups "x25519,$g" --send $'abc\n'
  check "builtin -> s_server -groups $g: TLS 1.3" json_is "$out" protocol TLSv1.3
  check "builtin -> s_server -groups $g: group" json_is "$out" group "$g"
  check "builtin -> s_server -groups $g: -rev answered" contains "$out" '"received":"cba'
  stop_last

  # s_client -> builtin server
  builtin_server "b13_$g" server --groups "$g"
  talk "ping $g"$'\n' "ping $g" timeout 10 openssl s_client -tls1_3 -groups "$g" \
    -connect "127.0.0.1:$port" -servername server.test -CAfile "$certs/root.pem" \
    -verify_return_error
  check "s_client -groups $g -> builtin: Server Temp Key" contains "$o" \
    "Server Temp Key: ${ossl_temp_key[$g]}"
  check "s_client -groups $g -> builtin: echoed" contains "$o" "ping $g"
  check "s_client -groups $g -> builtin: the builtin server's group" \
    wait_for "$tmp/b13_$g.out" "\"group\":\"$g\""
  stop_last

  # gnutls-cli -> builtin server
  builtin_server "bg13_$g" server --groups "$g"
  talk "ping gnutls"$'\n' "ping gnutls" timeout 10 gnutls-cli \
    --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-${gnutls_name[$g]}" \
    --x509cafile "$certs/root.pem" --verify-hostname server.test -p "$port" 127.0.0.1
  check "gnutls-cli +GROUP-${gnutls_name[$g]} -> builtin" contains "$o" \
    "(TLS1.3-X.509)-${gnutls_kx[$g]}"
  check "gnutls-cli +GROUP-${gnutls_name[$g]} -> builtin: echoed" contains "$o" "ping gnutls"
  check "gnutls-cli -> builtin --groups $g: the builtin server's group" \
    wait_for "$tmp/bg13_$g.out" "\"group\":\"$g\""
  stop_last

  # builtin client -> gnutls-serv with only G
  gnutls_serv "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-${gnutls_name[$g]}"
  check "gnutls-serv +GROUP-${gnutls_name[$g]} started" test -n "$up"
  if [ -n "$up" ]; then
    client "$gport" --groups "x25519,$g" --send $'gnutls\n'
    check "builtin -> gnutls-serv +GROUP-${gnutls_name[$g]}: group" json_is "$out" group "$g"
    check "builtin -> gnutls-serv +GROUP-${gnutls_name[$g]}: echoed" contains "$out" \
      '"received":"gnutls\n"'
    stop_last
  fi
done

# ---- TLS 1.2 ECDHE: x448 and secp521r1 as the curve ------------------------------------------------
for g in x448 secp521r1; do
  ossl_server "s12_$g" server-rsa -tls1_2 -groups "$g"
  client "$port" --max-version 1.2 --groups "$g" --send $'abc\n'
  check "builtin -> s_server -tls1_2 -groups $g: TLS 1.2" json_is "$out" protocol TLSv1.2
  check "builtin -> s_server -tls1_2 -groups $g: group" json_is "$out" group "$g"
  stop_last

  builtin_server "b12_$g" server-rsa --max-version 1.2 --groups "$g"
  talk "ping $g"$'\n' "ping $g" timeout 10 openssl s_client -tls1_2 -groups "$g" \
    -connect "127.0.0.1:$port" -servername server.test -CAfile "$certs/root.pem" \
    -verify_return_error
  check "s_client -tls1_2 -groups $g -> builtin: Server Temp Key" contains "$o" \
    "Server Temp Key: ${ossl_temp_key[$g]}"
  check "s_client -tls1_2 -groups $g -> builtin: echoed" contains "$o" "ping $g"
  stop_last

  builtin_server "bg12_$g" server-rsa --max-version 1.2 --groups "$g"
  talk "ping gnutls"$'\n' "ping gnutls" timeout 10 gnutls-cli \
    --priority "NORMAL:-VERS-ALL:+VERS-TLS1.2:-GROUP-ALL:+GROUP-${gnutls_name[$g]}" \
    --x509cafile "$certs/root.pem" --verify-hostname server.test -p "$port" 127.0.0.1
  check "gnutls-cli TLS 1.2 +GROUP-${gnutls_name[$g]} -> builtin" contains "$o" \
    "(TLS1.2-X.509)-${gnutls_kx[$g]}"
  stop_last
done

[ "$fails" -eq 0 ] && echo "all interop_groups checks passed" || echo "$fails failed"
exit $((fails > 0))
