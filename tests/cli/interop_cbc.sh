#!/usr/bin/env bash
# TLS 1.2 CBC interop of the built-in engine (RFC 5246 6.2.3.2), with and without
# encrypt_then_mac (RFC 7366), on loopback:
#   builtin client -> openssl s_server (-no_etm for without), gnutls-serv (%NO_ETM)
#   openssl s_client (-no_etm), gnutls-cli (%NO_ETM) -> builtin server
# with TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 (server.pem, P-256) and
# TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA (server-rsa.pem, HMAC-SHA1), checking the suite and whether
# EtM was used: s_client -tlsextdebug prints the server's encrypt-then-mac extension, s_server
# -trace the ServerHello it sends, gnutls-cli "EtM" among its session options.
# Ports are picked by the kernel (port 0), or probed free for gnutls-serv; every process started
# here is killed on exit and every wait is bounded.
#   interop_cbc.sh TLSGAUNTLET SOURCE_DIR   (the tg-peer-* adapters sit next to TLSGAUNTLET)
set -u
bin=$(dirname "$1")
peer=$bin/tg-peer-builtin
certs=$2/vectors/scenarios/certs
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh" # nap, contains: no process per wait or match
. "$(dirname "$0")/interop_lib.sh"
builtin_server() { local name=$1; shift; listen_peer "$name" "$peer" "$@"; }

for tool in openssl gnutls-cli gnutls-serv; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP $tool is not installed"; exit 77; }
done
check "the builtin peer exists" test -x "$peer"
not() { ! "$@"; }

suites=(TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA)
declare -A ossl_name=([TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256]=ECDHE-ECDSA-AES128-SHA256
  [TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA]=ECDHE-RSA-AES256-SHA)
declare -A gnutls_parts=([TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256]="+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA256"
  [TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA]="+ECDHE-RSA:-CIPHER-ALL:+AES-256-CBC:-MAC-ALL:+SHA1")
declare -A gnutls_desc=([TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256]="(AES-128-CBC)-(SHA256)"
  [TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA]="(AES-256-CBC)-(SHA1)")
cert_of() { case $1 in TLS_ECDHE_ECDSA_*) echo server ;; *) echo server-rsa ;; esac; }
gnutls_prio() { # SUITE ETM(yes|no)
  local p="NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:${gnutls_parts[$1]}"
  [ "$2" = yes ] && echo "$p" || echo "$p:%NO_ETM"
}

for suite in "${suites[@]}"; do
  kind=$(cert_of "$suite")
  for etm in yes no; do
    ossl_flag=; [ $etm = no ] && ossl_flag=-no_etm
    # ---- builtin client -> openssl s_server ---------------------------------------------------
    ossl_server12 "s_${kind}_$etm" -cert "$certs/$kind.pem" -cert_chain "$certs/$kind.pem" \
      -key "$certs/$kind.key" -rev -trace -cipher "${ossl_name[$suite]}" $ossl_flag
    peer_client "$peer" "$port" --max-version 1.2 --trust "$certs/root.pem" --sni server.test \
      --ciphers "$suite" --send $'abc\n'
    check "builtin -> s_server $suite (EtM $etm)" json_is "$out" cipher "$suite"
    check "builtin -> s_server $suite (EtM $etm): -rev answered" contains "$out" '"received":"cba'
    # s_server -trace shows both hellos: the builtin client always asks for EtM (it offers CBC
    # suites), the ServerHello answers it only when s_server has EtM on.
    n=$(grep -c 'extension_type=encrypt_then_mac' "$tmp/s_${kind}_$etm.out")
    check "builtin -> s_server $suite (EtM $etm): encrypt_then_mac asked for and answered $etm" \
      test "$n" -eq "$([ $etm = yes ] && echo 2 || echo 1)"
    stop_last

    # ---- openssl s_client and gnutls-cli -> builtin server ----------------------------------
    builtin_server "b_${kind}_$etm" --cert "$certs/$kind.pem" --key "$certs/$kind.key" --echo \
      --max-version 1.2
    talk "ping $suite"$'\n' "ping $suite" timeout 10 openssl s_client -tls1_2 -tlsextdebug \
      -cipher "${ossl_name[$suite]}" $ossl_flag -connect "127.0.0.1:$port" \
      -servername server.test -CAfile "$certs/root.pem" -verify_return_error
    check "s_client -> builtin $suite (EtM $etm)" contains "$o" "Cipher is ${ossl_name[$suite]}"
    check "s_client -> builtin $suite (EtM $etm): echoed" contains "$o" "ping $suite"
    if [ $etm = yes ]; then
      check "s_client -> builtin $suite: EtM echoed" contains "$o" '"encrypt-then-mac" (id=22)'
    else
      check "s_client -no_etm -> builtin $suite: no EtM" not contains "$o" '"encrypt-then-mac"'
    fi
    talk $'ping gnutls\n' "ping gnutls" timeout 10 gnutls-cli --priority "$(gnutls_prio "$suite" $etm)" \
      --x509cafile "$certs/root.pem" --verify-hostname server.test -p "$port" 127.0.0.1
    check "gnutls-cli -> builtin $suite (EtM $etm)" contains "$o" "${gnutls_desc[$suite]}"
    check "gnutls-cli -> builtin $suite (EtM $etm): echoed" contains "$o" "ping gnutls"
    if [ $etm = yes ]; then
      check "gnutls-cli -> builtin $suite: EtM" contains "$o" "EtM"
    else
      check "gnutls-cli %NO_ETM -> builtin $suite: no EtM" not contains "$o" "EtM"
    fi
    stop_last

    # ---- builtin client -> gnutls-serv (a free port, with a retry) --------------------------
    up=
    for attempt in 1 2 3; do
      gport=$(free_port)
      [ -n "$gport" ] || continue
      gnutls-serv --echo -p "$gport" --priority "$(gnutls_prio "$suite" $etm)" \
        --x509certfile "$certs/$kind.pem" --x509keyfile "$certs/$kind.key" \
        >"$tmp/gserv_${kind}_$etm.out" 2>&1 &
      pids+=($!)
      if wait_listening "$gport"; then up=1; break; fi
      stop_last
    done
    check "gnutls-serv ($suite, EtM $etm) started" test -n "$up"
    [ -n "$up" ] || continue
    peer_client "$peer" "$gport" --max-version 1.2 --trust "$certs/root.pem" --sni server.test \
      --ciphers "$suite" --send $'gnutls\n'
    check "builtin -> gnutls-serv $suite (EtM $etm)" json_is "$out" cipher "$suite"
    check "builtin -> gnutls-serv $suite (EtM $etm): echoed" contains "$out" '"received":"gnutls\n"'
    stop_last
  done
done

check "no sanitizer report from a peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"
echo "$fails failed"
[ $fails -eq 0 ]
