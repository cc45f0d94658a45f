#!/usr/bin/env bash
# TLS 1.2 interop of the built-in engine (RFC 5246), on loopback, for every TLS 1.2 suite it has:
#   builtin client -> openssl s_server -tls1_2, gnutls-serv (TLS 1.2 only)
#   openssl s_client -tls1_2, gnutls-cli (TLS 1.2 only) -> builtin server
#   tg-peer-openssl / -gnutls / -boringssl --max-version 1.2 <-> tg-peer-builtin, both ways
# ECDHE_ECDSA (vectors/scenarios/certs/server.pem, P-256) and ECDHE_RSA / RSA key transport
# (server-rsa.pem, RSA-2048) with AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305; RSA key transport
# only with --rsa-kx (and refused without); extended master secret; resumption by ticket and by
# session id; client certificates; version negotiation with a TLS 1.3-capable builtin.
# Ports are picked by the kernel (port 0), or probed free for gnutls-serv; every process started
# here is killed on exit and every wait is bounded.
#   interop12.sh TLSGAUNTLET SOURCE_DIR   (the tg-peer-* adapters sit next to TLSGAUNTLET)
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
# RSA key transport needs keyEncipherment (RFC 5280 4.2.1.3; GnuTLS checks it): server-rsa.pem
# has digitalSignature only, so the TLS_RSA_* suites use a throwaway certificate made here.
openssl req -x509 -nodes -newkey rsa:2048 -keyout "$tmp/kx.key" -out "$tmp/kx.pem" -days 2 \
  -subj /CN=server.test -addext subjectAltName=DNS:server.test \
  -addext keyUsage=digitalSignature,keyEncipherment >/dev/null 2>&1
check "the RSA key transport certificate was made" test -s "$tmp/kx.pem"

ecdsa_suites=(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)
rsa_suites=(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 TLS_RSA_WITH_AES_128_GCM_SHA256
  TLS_RSA_WITH_AES_256_GCM_SHA384)
declare -A ossl_name=(
  [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]=ECDHE-ECDSA-AES128-GCM-SHA256
  [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]=ECDHE-ECDSA-AES256-GCM-SHA384
  [TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]=ECDHE-ECDSA-CHACHA20-POLY1305
  [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]=ECDHE-RSA-AES128-GCM-SHA256
  [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]=ECDHE-RSA-AES256-GCM-SHA384
  [TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]=ECDHE-RSA-CHACHA20-POLY1305
  [TLS_RSA_WITH_AES_128_GCM_SHA256]=AES128-GCM-SHA256
  [TLS_RSA_WITH_AES_256_GCM_SHA384]=AES256-GCM-SHA384)
gnutls_prio() { # SUITE: a TLS 1.2-only priority string naming the suite's parts
  local kx cipher mac=AEAD
  case $1 in
  TLS_ECDHE_ECDSA_*) kx=ECDHE-ECDSA ;; TLS_ECDHE_RSA_*) kx=ECDHE-RSA ;; *) kx=RSA ;;
  esac
  case $1 in
  *AES_128_GCM*) cipher=AES-128-GCM ;; *AES_256_GCM*) cipher=AES-256-GCM ;;
  *) cipher=CHACHA20-POLY1305 ;;
  esac
  echo "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+$kx:-CIPHER-ALL:+$cipher:-MAC-ALL:+$mac"
}
cert_of() {
  case $1 in TLS_ECDHE_ECDSA_*) echo server ;; TLS_RSA_*) echo kx ;; *) echo server-rsa ;; esac
}
# Where NAME.pem, NAME.key live, and what verifies them.
dir_of() { [ "$1" = kx ] && echo "$tmp" || echo "$certs"; }
trust_of() { [ "$1" = kx ] && echo --no-verify || echo "--trust $certs/root.pem"; }
root_of() { [ "$1" = kx ] && echo "$tmp/kx.pem" || echo "$certs/root.pem"; }
rsa_kx_of() { case $1 in TLS_RSA_*) echo --rsa-kx ;; esac; }

# ---- builtin client -> openssl s_server -tls1_2, each suite ---------------------------------------
for kind in server server-rsa kx; do
  ossl_server12 "s_$kind" -cert "$(dir_of $kind)/$kind.pem" -cert_chain "$(dir_of $kind)/$kind.pem" \
    -key "$(dir_of $kind)/$kind.key" -rev -cipher ALL
  for suite in "${ecdsa_suites[@]}" "${rsa_suites[@]}"; do
    [ "$(cert_of "$suite")" = "$kind" ] || continue
    peer_client "$peer" "$port" --max-version 1.2 --trust "$(root_of $kind)" --sni server.test \
      --ciphers "$suite" --send $'abc\n' $(rsa_kx_of "$suite")
    check "builtin -> s_server $suite" json_is "$out" cipher "$suite"
    check "builtin -> s_server $suite: TLS 1.2" json_is "$out" protocol TLSv1.2
    check "builtin -> s_server $suite: -rev answered" contains "$out" '"received":"cba'
  done
  stop_last
done

# ---- openssl s_client -tls1_2 and gnutls-cli -> builtin server, each suite -----------------------
for kind in server server-rsa kx; do
  builtin_server "b_$kind" --cert "$(dir_of $kind)/$kind.pem" --key "$(dir_of $kind)/$kind.key" --echo \
    --max-version 1.2 --rsa-kx
  for suite in "${ecdsa_suites[@]}" "${rsa_suites[@]}"; do
    [ "$(cert_of "$suite")" = "$kind" ] || continue
    talk "ping $suite"$'\n' "ping $suite" timeout 10 openssl s_client -tls1_2 \
      -cipher "${ossl_name[$suite]}" -connect "127.0.0.1:$port" -servername server.test \
      -CAfile "$(root_of $kind)" -verify_return_error
    check "s_client -> builtin $suite" contains "$o" "Cipher is ${ossl_name[$suite]}"
    check "s_client -> builtin $suite: EMS" contains "$o" "Extended master secret: yes"
    check "s_client -> builtin $suite: echoed" contains "$o" "ping $suite"
    talk $'ping gnutls\n' "ping gnutls" timeout 10 gnutls-cli --priority \
      "$(gnutls_prio "$suite")" --x509cafile "$(root_of $kind)" --verify-hostname server.test \
      -p "$port" 127.0.0.1
    check "gnutls-cli -> builtin $suite" contains "$o" "(TLS1.2-X.509)"
    check "gnutls-cli -> builtin $suite: echoed" contains "$o" "ping gnutls"
  done
  stop_last
done

# ---- extended_master_secret: required by default, optional with --ems-optional --------------------
# gnutls-cli with %NO_SESSION_HASH offers no extended_master_secret (RFC 7627).
ems_prio='NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_SESSION_HASH'
builtin_server ems_required --cert "$certs/server.pem" --key "$certs/server.key" --echo \
  --max-version 1.2
talk $'ping ems\n' "Handshake failed" timeout 10 gnutls-cli --priority "$ems_prio" \
  --x509cafile "$certs/root.pem" --verify-hostname server.test -p "$port" 127.0.0.1
check "gnutls-cli without EMS -> builtin: refused" contains "$o" "Handshake failed"
stop_last
check "... the builtin server says why" \
  grep -q 'lacks extended_master_secret' "$tmp/ems_required.out"
builtin_server ems_optional --cert "$certs/server.pem" --key "$certs/server.key" --echo \
  --max-version 1.2 --ems-optional
talk $'ping ems\n' "ping ems" timeout 10 gnutls-cli --priority "$ems_prio" \
  --x509cafile "$certs/root.pem" --verify-hostname server.test -p "$port" 127.0.0.1
check "gnutls-cli without EMS -> builtin --ems-optional: connected" contains "$o" "(TLS1.2-X.509)"
check "gnutls-cli without EMS -> builtin --ems-optional: echoed" contains "$o" "ping ems"
stop_last
"$peer" --role server --listen 127.0.0.1:0 --require-ems --ems-optional >/dev/null 2>&1
check "--require-ems with --ems-optional: usage error (2)" test $? -eq 2

# ---- RSA key transport is off by default ----------------------------------------------------------
builtin_server no_rsa_kx --cert "$certs/server-rsa.pem" --key "$certs/server-rsa.key" \
  --max-version 1.2
talk "" "handshake failure" timeout 10 openssl s_client -tls1_2 -cipher AES128-GCM-SHA256 \
  -connect "127.0.0.1:$port" -CAfile "$certs/root.pem"
check "s_client RSA key transport -> builtin without --rsa-kx: handshake failure" \
  contains "$o" "handshake failure"
stop_last

# ---- builtin client -> gnutls-serv (a free port, with a retry) -----------------------------------
for kind in server server-rsa kx; do
  up=
  for attempt in 1 2 3; do
    gport=$(free_port)
    [ -n "$gport" ] || continue
    gnutls-serv --echo -p "$gport" \
      --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:+RSA' --x509certfile "$(dir_of $kind)/$kind.pem" \
      --x509keyfile "$(dir_of $kind)/$kind.key" >"$tmp/gserv_$kind.out" 2>&1 &
    pids+=($!)
    if wait_listening "$gport"; then up=1; break; fi
    stop_last
  done
  check "gnutls-serv ($kind) started" test -n "$up"
  [ -n "$up" ] || continue
  for suite in "${ecdsa_suites[@]}" "${rsa_suites[@]}"; do
    [ "$(cert_of "$suite")" = "$kind" ] || continue
    peer_client "$peer" "$gport" --max-version 1.2 --trust "$(root_of $kind)" --sni server.test \
      --ciphers "$suite" --send $'gnutls\n' $(rsa_kx_of "$suite")
    check "builtin -> gnutls-serv $suite" json_is "$out" cipher "$suite"
    check "builtin -> gnutls-serv $suite: echoed" contains "$out" '"received":"gnutls\n"'
  done
  stop_last
done

# ---- the adapters, --max-version 1.2, both ways -----------------------------------------------------
for impl in openssl gnutls boringssl; do
  ad=$bin/tg-peer-$impl
  [ -x "$ad" ] || { echo "SKIP tg-peer-$impl is not built"; continue; }
  for suite in "${ecdsa_suites[@]}" "${rsa_suites[@]}"; do
    kind=$(cert_of "$suite")
    builtin_server "ad_${impl}_$suite" --cert "$(dir_of $kind)/$kind.pem" --key "$(dir_of $kind)/$kind.key" \
      --echo --max-version 1.2 --rsa-kx
    # BoringSSL does not take a self-signed leaf as its own anchor: the throwaway RSA key
    # transport certificate is not verified by the adapters.
    peer_client "$ad" "$port" --max-version 1.2 $(trust_of "$kind") --sni server.test \
      --ciphers "$suite" --send $'x\n'
    if contains "$out" '"error_class":"unsupported"'; then
      echo "skip tg-peer-$impl -> builtin $suite: unsupported by the adapter"
    else
      check "tg-peer-$impl -> builtin $suite" json_is "$out" cipher "$suite"
    fi
    stop_last
    listen_peer "adsrv_${impl}_$suite" "$ad" --cert "$(dir_of $kind)/$kind.pem" --key "$(dir_of $kind)/$kind.key" \
      --echo --max-version 1.2 --ciphers "$suite"
    peer_client "$peer" "$port" --max-version 1.2 --trust "$(root_of $kind)" --sni server.test \
      --ciphers "$suite" --send $'y\n' $(rsa_kx_of "$suite")
    if grep -q '"error_class":"unsupported"' "$tmp/adsrv_${impl}_$suite.out" 2>/dev/null; then
      echo "skip builtin -> tg-peer-$impl $suite: unsupported by the adapter"
    else
      check "builtin -> tg-peer-$impl $suite" json_is "$out" cipher "$suite"
    fi
    stop_last
  done
done

# ---- version negotiation: a builtin that speaks 1.2 and 1.3 -------------------------------------
builtin_server vers --cert "$certs/server.pem" --key "$certs/server.key" --echo \
  --min-version 1.2 --max-version 1.3
talk "" "Protocol  : TLSv1.2" timeout 10 openssl s_client -tls1_2 -connect "127.0.0.1:$port" \
  -CAfile "$certs/root.pem"
check "s_client -tls1_2 -> builtin 1.2..1.3: TLS 1.2" contains "$o" "Protocol  : TLSv1.2"
talk "" "TLSv1.3" timeout 10 openssl s_client -connect "127.0.0.1:$port" \
  -CAfile "$certs/root.pem"
check "s_client -> builtin 1.2..1.3: TLS 1.3" contains "$o" "TLSv1.3"
stop_last
ossl_server12 vers12 -cert "$certs/server.pem" -cert_chain "$certs/server.pem" \
  -key "$certs/server.key" -rev
peer_client "$peer" "$port" --min-version 1.2 --trust "$certs/root.pem" --sni server.test \
  --send $'v\n'
check "builtin 1.2..1.3 -> s_server -tls1_2: TLS 1.2" json_is "$out" protocol TLSv1.2
stop_last

# ---- client certificates --------------------------------------------------------------------------
builtin_server auth --cert "$certs/server.pem" --key "$certs/server.key" --echo \
  --max-version 1.2 --require-client-cert --trust "$certs/root.pem"
talk $'mtls\n' mtls timeout 10 openssl s_client -tls1_2 \
  -connect "127.0.0.1:$port" -CAfile "$certs/root.pem" -cert "$certs/client.pem" -cert_chain "$certs/client.pem" \
  -key "$certs/client.key"
check "s_client with a certificate -> builtin requiring one: echoed" contains "$o" "mtls"
talk $'mtls\n' mtls timeout 10 gnutls-cli \
  --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2' --x509cafile "$certs/root.pem" \
  --verify-hostname server.test --x509certfile "$certs/client.pem" \
  --x509keyfile "$certs/client.key" -p "$port" 127.0.0.1
check "gnutls-cli with a certificate -> builtin requiring one: echoed" contains "$o" "mtls"
stop_last
ossl_server12 auth -cert "$certs/server.pem" -cert_chain "$certs/server.pem" \
  -key "$certs/server.key" -rev -Verify 1 -CAfile "$certs/root.pem"
peer_client "$peer" "$port" --max-version 1.2 --trust "$certs/root.pem" --sni server.test \
  --cert "$certs/client.pem" --key "$certs/client.key" --send $'mtls\n'
check "builtin with a certificate -> s_server -Verify: answered" contains "$out" '"received":"sltm'
stop_last

# ---- resumption: tickets (RFC 5077) and session ids -----------------------------------------------
builtin_server resume --cert "$certs/server.pem" --key "$certs/server.key" --echo \
  --max-version 1.2
talk "" "New, TLSv1.2" timeout 10 openssl s_client -tls1_2 -connect "127.0.0.1:$port" \
  -CAfile "$certs/root.pem" -sess_out "$tmp/t.sess"
check "s_client -> builtin: New" contains "$o" "New, TLSv1.2"
talk "" "Reused, TLSv1.2" timeout 10 openssl s_client -tls1_2 -connect "127.0.0.1:$port" \
  -CAfile "$certs/root.pem" -sess_in "$tmp/t.sess"
check "s_client -sess_in -> builtin (ticket): Reused" contains "$o" "Reused, TLSv1.2"
talk "" "New, TLSv1.2" timeout 10 openssl s_client -tls1_2 -no_ticket -connect "127.0.0.1:$port" \
  -CAfile "$certs/root.pem" -sess_out "$tmp/i.sess"
talk "" "Reused, TLSv1.2" timeout 10 openssl s_client -tls1_2 -no_ticket -connect "127.0.0.1:$port" \
  -CAfile "$certs/root.pem" -sess_in "$tmp/i.sess"
check "s_client -no_ticket -sess_in -> builtin (session id): Reused" contains "$o" "Reused, TLSv1.2"
talk $'r\n' "This is a resumed session" timeout 10 gnutls-cli --resume \
  --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2' --x509cafile "$certs/root.pem" \
  --verify-hostname server.test -p "$port" 127.0.0.1
check "gnutls-cli --resume -> builtin: resumed" contains "$o" "This is a resumed session"
stop_last
ossl_server12 resume -cert "$certs/server.pem" -cert_chain "$certs/server.pem" \
  -key "$certs/server.key" -rev
peer_client "$peer" "$port" --max-version 1.2 --trust "$certs/root.pem" --sni server.test \
  --send $'full\n' --sess-out "$tmp/b.sess"
check "builtin -> s_server: full handshake" contains "$out" '"resumed":false'
peer_client "$peer" "$port" --max-version 1.2 --trust "$certs/root.pem" --sni server.test \
  --send $'short\n' --sess-in "$tmp/b.sess"
check "builtin --sess-in -> s_server: resumed" contains "$out" '"resumed":true'
check "builtin --sess-in -> s_server: answered" contains "$out" '"received":"trohs'
stop_last

check "no sanitizer report from a peer" \
  test -z "$(grep -l 'Sanitizer\|runtime error' "$tmp"/*.err 2>/dev/null)"
echo "$fails failed"
[ $fails -eq 0 ]
