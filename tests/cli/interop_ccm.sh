#!/usr/bin/env bash
# AES-CCM interop of the built-in engine on loopback, each direction, the negotiated suite checked:
#   TLS 1.3 TLS_AES_128_CCM_SHA256 and TLS_AES_128_CCM_8_SHA256 (RFC 8446 B.4),
#   TLS 1.2 TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 7251: the explicit nonce with the short tag;
#   every TLS 1.2 CCM suite meets the libraries through the adapters in vectors/scenarios/ccm),
#   builtin client -> openssl s_server -ciphersuites/-cipher, gnutls-serv --priority +AES-128-CCM(-8)
#   openssl s_client, gnutls-cli -> builtin server (--ciphers SUITE)
# then a builtin server that lists no CCM suite refuses a client offering only CCM_8. The
# libraries leave CCM_8 out of their defaults, so each tool is given the suite explicitly.
# Ports: port 0 for the builtin server and s_server, a probed free port for gnutls-serv (with
# a retry); every process started here is killed on exit and every wait is bounded.
#   interop_ccm.sh TLSGAUNTLET SOURCE_DIR   (tg-peer-builtin sits next to TLSGAUNTLET)
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh"
. "$(dirname "$0")/interop_lib.sh"
bin=$(dirname "$1")
peer=$bin/tg-peer-builtin
certs=$2/vectors/scenarios/certs
builtin_server() { # NAME ARGS...: tg-peer-builtin --listen 127.0.0.1:0; sets $port
  local name=$1
  shift
  "$peer" --role server --listen 127.0.0.1:0 --timeout-ms 5000 --cert "$certs/server.pem" \
    --key "$certs/server.key" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err")
  [ -n "$port" ] || { echo "FAIL $name did not start"; fails=$((fails + 1)); port=1; }
}
client() { # PORT ARGS...: one tg-peer-builtin client connection; sets $out
  local p=$1
  shift
  out=$(timeout 20 "$peer" --role client --connect "127.0.0.1:$p" --timeout-ms 5000 \
    --trust "$certs/root.pem" --sni server.test "$@" 2>>"$tmp/client.err")
}
ossl_server() { # NAME ARGS...: openssl s_server on port 0; sets $port
  local name=$1
  shift
  mkfifo "$tmp/$name.in"
  openssl s_server -accept 127.0.0.1:0 -cert "$certs/server.pem" -cert_chain "$certs/server.pem" \
    -key "$certs/server.key" -rev \
    "$@" <"$tmp/$name.in" >"$tmp/$name.out" 2>&1 &
  pids+=($!)
  exec {ossl_fd}<>"$tmp/$name.in"
  port=
  wait_for "$tmp/$name.out" '^ACCEPT 127.0.0.1:' &&
    port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.out")
  [ -n "$port" ] || { echo "FAIL s_server $name did not start"; fails=$((fails + 1)); port=1; }
}
gnutls_server() { # NAME PRIORITY: gnutls-serv --echo on a free port; sets $port ("" if down)
  local name=$1 prio=$2 attempt
  port=
  for attempt in 1 2 3; do
    local p
    p=$(free_port)
    [ -n "$p" ] || continue
    gnutls-serv --echo -p "$p" --priority "$prio" --x509certfile "$certs/server.pem" \
      --x509keyfile "$certs/server.key" >"$tmp/$name.out" 2>&1 &
    pids+=($!)
    if wait_listening "$p"; then port=$p; return 0; fi
    stop_last
  done
  echo "FAIL gnutls-serv $name did not start"
  fails=$((fails + 1))
}

for tool in openssl gnutls-cli gnutls-serv; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP $tool is not installed"; exit 77; }
done
check "the builtin peer exists" test -x "$peer"

# IANA name, OpenSSL's name, GnuTLS's cipher and version, the builtin's version flags.
suites=(TLS_AES_128_CCM_SHA256 TLS_AES_128_CCM_8_SHA256 TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)
declare -A ossl=([TLS_AES_128_CCM_SHA256]=TLS_AES_128_CCM_SHA256
  [TLS_AES_128_CCM_8_SHA256]=TLS_AES_128_CCM_8_SHA256
  [TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8]=ECDHE-ECDSA-AES128-CCM8)
cipher_of() { case $1 in *CCM_8*) echo AES-128-CCM-8 ;; *) echo AES-128-CCM ;; esac; }
tls13() { [[ $1 == TLS_AES_* ]]; }
ossl_flags() { # s_server / s_client options that allow only this suite
  if tls13 "$1"; then echo "-tls1_3 -ciphersuites ${ossl[$1]}"; else echo "-tls1_2 -cipher ${ossl[$1]}"; fi
}
prio_of() { # a GnuTLS priority string that allows only this suite
  local v=TLS1.3 kx=""
  tls13 "$1" || { v=TLS1.2; kx=":-KX-ALL:+ECDHE-ECDSA"; }
  echo "NORMAL:-VERS-ALL:+VERS-$v:-CIPHER-ALL:+$(cipher_of "$1"):-MAC-ALL:+AEAD$kx"
}
versions_of() { tls13 "$1" && echo "--max-version 1.3" || echo "--min-version 1.2 --max-version 1.2"; }

for suite in "${suites[@]}"; do
  # ---- builtin client -> openssl s_server -------------------------------------------------------
  # shellcheck disable=SC2046 # the flags are words
  ossl_server "s_$suite" $(ossl_flags "$suite")
  client "$port" $(versions_of "$suite") --ciphers "$suite" --send $'abc\n'
  check "builtin -> s_server $suite" json_is "$out" cipher "$suite"
  check "builtin -> s_server $suite: -rev answered" contains "$out" '"received":"cba'
  stop_last

  # ---- openssl s_client -> builtin server ------------------------------------------------------
  builtin_server "b_$suite" --echo $(versions_of "$suite") --ciphers "$suite"
  talk "ping $suite"$'\n' "ping $suite" timeout 10 openssl s_client $(ossl_flags "$suite") \
    -connect "127.0.0.1:$port" -servername server.test -CAfile "$certs/root.pem" -verify_return_error
  check "s_client -> builtin $suite" contains "$o" "Cipher is ${ossl[$suite]}"
  check "s_client -> builtin $suite: echoed" contains "$o" "ping $suite"

  # ---- gnutls-cli -> builtin server (the same one) ---------------------------------------------
  talk $'ping gnutls\n' "ping gnutls" timeout 10 gnutls-cli --priority "$(prio_of "$suite")" \
    --x509cafile "$certs/root.pem" --verify-hostname server.test -p "$port" 127.0.0.1
  check "gnutls-cli -> builtin $suite" contains "$o" "-($(cipher_of "$suite"))"
  check "gnutls-cli -> builtin $suite: echoed" contains "$o" "ping gnutls"
  stop_last
  check "builtin server $suite: negotiated it" grep -q "\"cipher\":\"$suite\"" "$tmp/b_$suite.out"

  # ---- builtin client -> gnutls-serv -----------------------------------------------------------
  gnutls_server "g_$suite" "$(prio_of "$suite")"
  if [ -n "$port" ]; then
    client "$port" $(versions_of "$suite") --ciphers "$suite" --send $'gnutls\n'
    check "builtin -> gnutls-serv $suite" json_is "$out" cipher "$suite"
    check "builtin -> gnutls-serv $suite: echoed" contains "$out" '"received":"gnutls\n"'
    stop_last
  fi
done

# ---- CCM_8 is not enabled by default -------------------------------------------------------------
builtin_server default --echo
talk "" "alert" timeout 10 openssl s_client -tls1_3 -ciphersuites TLS_AES_128_CCM_8_SHA256 \
  -connect "127.0.0.1:$port" -servername server.test -CAfile "$certs/root.pem"
check "s_client offering only CCM_8 -> default builtin: handshake failure" \
  contains "$o" "handshake failure"
stop_last
check "... the builtin server sent handshake_failure" \
  grep -q '"alert_sent":"handshake_failure"' "$tmp/default.out"

check "no sanitizer report from a peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"
finish interop_ccm
