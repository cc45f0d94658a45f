#!/usr/bin/env bash
# tlsgauntlet probe against live servers on loopback, each configured so that the profile it
# writes has one right answer: the builtin peer limited to TLS 1.2, to one suite, one group, one
# signature scheme, an ALPN protocol, an untrusted chain, a required client certificate, echoing,
# speaking first or silent; gnutls-serv --echo; openssl s_server -www, -Verify and -tls1_2 (these
# two are skipped when the tools are missing). Then bad usage (exit 2) and a closed port (exit 1).
# Ports are picked by the kernel (port 0); gnutls-serv, which cannot print one, gets a port the
# builtin peer found free. Every process started here is killed on exit and every wait is
# bounded.
#   probe.sh TLSGAUNTLET SOURCE_DIR   (tg-peer-builtin sits next to TLSGAUNTLET)
set -u
tg=$1
src=$2
peer=$(dirname "$1")/tg-peer-builtin
certs=$src/vectors/scenarios/certs
export TG_SCENARIOS=$src/vectors/scenarios
. "$(dirname "$0")/lib.sh"
# field FILE KEY: the value written for KEY, comment dropped; a flow list without brackets,
# quotes and spaces (["1.2", "1.3"] is 1.2,1.3; [] is empty). Nothing when the key is absent.
field() { sed -n "s/^$2: //p" "$1" | sed 's/ #.*//; s/[][" ]//g'; }
is() { # FILE KEY VALUE
  local got
  got=$(field "$1" "$2")
  [ "$got" = "$3" ] || { echo "     $2: '$got', not '$3'" >&2; return 1; }
}
# Every profile written parses as a YAML mapping: checked at the end, in one python3 run (with
# its yaml module, where there is one; python starts slowly on a busy machine).
profiles=()
parse_all() {
  python3 -c 'import yaml' 2>/dev/null || { echo "SKIP python3 yaml is not installed"; return; }
  python3 - "${profiles[@]}" <<'PY'
import sys, yaml
for path in sys.argv[1:]:
    try:
        ok = isinstance(yaml.safe_load(open(path)), dict)
    except yaml.YAMLError as e:
        ok = False
        print(e)
    print("%s   %s parses as a YAML mapping" % ("ok" if ok else "FAIL", path.split("/")[-1]))
PY
}
wait_for() { # FILE PATTERN: up to 5 s for PATTERN to appear in FILE
  for _ in $(seq 100); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
stop_last() { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'; }
# builtin NAME CERT ARGS...: a builtin --listen server with certs/CERT.pem on 127.0.0.1:0; sets
# $port.
builtin() {
  local name=$1 cert=$2; shift 2
  "$peer" --role server --listen 127.0.0.1:0 --cert "$certs/$cert.pem" --key "$certs/$cert.key" \
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err" | head -n1)
  [ -n "$port" ] || { echo "FAIL server $name did not start: $(cat "$tmp/$name.err")"; fails=$((fails + 1)); }
}
# probe NAME ARGS...: probes 127.0.0.1:$port into $tmp/NAME.yaml; sets $rc.
probe() {
  local name=$1; shift
  timeout 60 "$tg" probe "tcp://127.0.0.1:$port" --timeout-ms 1000 --out "$tmp/$name.yaml" "$@" \
    >"$tmp/$name.stdout" 2>"$tmp/$name.stderr"
  rc=$?
  check "$name: exit 0" test "$rc" -eq 0
  [ "$rc" -eq 0 ] || cat "$tmp/$name.stderr"
  profiles+=("$tmp/$name.yaml")
}

check "the peer binary exists" test -x "$peer"

# ---- usage ------------------------------------------------------------------------------------
"$tg" --help >"$tmp/help" 2>&1
check "tlsgauntlet --help lists probe" grep -q '^  probe ' "$tmp/help"
"$tg" probe --help >"$tmp/help" 2>&1
check "probe --help: exit 0" test $? -eq 0
check "probe --help: the usage" grep -q '^usage: tlsgauntlet probe tcp://HOST:PORT' "$tmp/help"
bad_usage() { # DESCRIPTION MESSAGE ARGS...
  local what=$1 msg=$2; shift 2
  "$tg" probe "$@" >"$tmp/bad.out" 2>"$tmp/bad.err"
  check "$what: exit 2" test $? -eq 2
  check "$what: says so" grep -qF -- "$msg" "$tmp/bad.err"
  check "$what: nothing on stdout" test ! -s "$tmp/bad.out"
}
bad_usage "no target" "the target tcp://HOST:PORT is missing"
bad_usage "not tcp://" "the target is tcp://HOST:PORT, not 'https://a:1'" https://a:1
bad_usage "no port" "not 'tcp://127.0.0.1'" tcp://127.0.0.1
bad_usage "port 0" "not 'tcp://127.0.0.1:0'" tcp://127.0.0.1:0
bad_usage "two targets" "one target only" tcp://127.0.0.1:1 tcp://127.0.0.1:2
bad_usage "a bad timeout" "--timeout-ms 'soon' is not a number" tcp://127.0.0.1:1 --timeout-ms soon
bad_usage "an unknown option" "unknown option '--fast'" tcp://127.0.0.1:1 --fast
bad_usage "a missing value" "--out needs a value" tcp://127.0.0.1:1 --out
bad_usage "a CA that is not there" "--ca $tmp/none.pem" tcp://127.0.0.1:1 --ca "$tmp/none.pem"
bad_usage "a CA without certificates" "no CERTIFICATE block" tcp://127.0.0.1:1 \
  --ca "$certs/server.key"

# ---- a closed port: exit 1, nothing written ----------------------------------------------------
builtin closed server
closed=$port
stop_last
"$tg" probe "tcp://127.0.0.1:$closed" --timeout-ms 1000 --out "$tmp/closed.yaml" \
  >"$tmp/closed.out" 2>"$tmp/closed.err"
check "closed port: exit 1" test $? -eq 1
check "closed port: says why" \
  grep -qF "cannot probe tcp://127.0.0.1:$closed: connect to 127.0.0.1 port $closed" "$tmp/closed.err"
check "closed port: no profile written" test ! -e "$tmp/closed.yaml"

# ---- the builtin peer, TLS 1.3 only, echoing: the profile on stdout ----------------------------
builtin echo13 server --echo
timeout 60 "$tg" probe "tcp://127.0.0.1:$port" --timeout-ms 1000 >"$tmp/echo13.yaml" \
  2>"$tmp/echo13.stderr"
check "echo13: exit 0" test $? -eq 0
profiles+=("$tmp/echo13.yaml")
check "echo13: name is HOST:PORT" is "$tmp/echo13.yaml" name "127.0.0.1:$port"
check "echo13: role" is "$tmp/echo13.yaml" role server
check "echo13: target" is "$tmp/echo13.yaml" target "tcp://127.0.0.1:$port"
check "echo13: versions" is "$tmp/echo13.yaml" versions 1.3
check "echo13: cipher_suites" is "$tmp/echo13.yaml" cipher_suites \
  TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256
check "echo13: groups" is "$tmp/echo13.yaml" groups secp256r1,secp384r1,x25519
check "echo13: signature_schemes (a P-256 key)" is "$tmp/echo13.yaml" signature_schemes \
  ecdsa_secp256r1_sha256
check "echo13: alpn none" is "$tmp/echo13.yaml" alpn ""
check "echo13: certificate" is "$tmp/echo13.yaml" certificate server
check "echo13: the leaf's names as a comment" \
  grep -qx '# the leaf: subject CN=server.test; subjectAltName DNS:server.test, DNS:\*.wild.test' \
  "$tmp/echo13.yaml"
check "echo13: trust_anchor" is "$tmp/echo13.yaml" trust_anchor root
check "echo13: server_name" is "$tmp/echo13.yaml" server_name server.test
check "echo13: client_auth" is "$tmp/echo13.yaml" client_auth none
check "echo13: after_handshake" is "$tmp/echo13.yaml" after_handshake echo
check "echo13: timeout_ms (5000 at least)" is "$tmp/echo13.yaml" timeout_ms 5000
commented() { grep -B1 -x "$2" "$1" | head -n1 | grep -q '^# '; } # FILE LINE: a comment above
check "echo13: require_ems, with a comment above" commented "$tmp/echo13.yaml" 'require_ems: false'
check "echo13: what was not probed is said" grep -q '^# not probed: whether it sends a KeyUpdate' \
  "$tmp/echo13.yaml"
probe named --name mine --server-name server.test
check "--name" is "$tmp/named.yaml" name mine
probe slow --timeout-ms 6000
check "--timeout-ms 6000: timeout_ms" is "$tmp/slow.yaml" timeout_ms 6000
check "--out: nothing on stdout" test ! -s "$tmp/named.stdout"
stop_last

# ---- TLS 1.2 only, one suite, one group --------------------------------------------------------
builtin tls12 server --max-version 1.2 --ciphers TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 \
  --groups secp384r1 --echo
probe tls12
check "tls12: versions" is "$tmp/tls12.yaml" versions 1.2
check "tls12: cipher_suites" is "$tmp/tls12.yaml" cipher_suites \
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
check "tls12: groups" is "$tmp/tls12.yaml" groups secp384r1
check "tls12: after_handshake" is "$tmp/tls12.yaml" after_handshake echo
stop_last

# ---- RSA, one signature scheme, ALPN h2, a banner ----------------------------------------------
builtin rsa server-rsa --sigalgs rsa_pss_rsae_sha384 --alpn h2 --send 'hello from the server'
probe rsa
check "rsa: signature_schemes" is "$tmp/rsa.yaml" signature_schemes rsa_pss_rsae_sha384
check "rsa: alpn" is "$tmp/rsa.yaml" alpn h2
check "rsa: certificate" is "$tmp/rsa.yaml" certificate server-rsa
check "rsa: after_handshake" is "$tmp/rsa.yaml" after_handshake speaks_first
stop_last

# ---- a chain under another root ----------------------------------------------------------------
builtin untrusted untrusted --echo
probe untrusted
check "untrusted: trust_anchor unknown" is "$tmp/untrusted.yaml" trust_anchor "~"
check "untrusted: ... with a comment to fill it in" \
  grep -q '^trust_anchor: ~ # fill in' "$tmp/untrusted.yaml"
check "untrusted: the chain's issuer as a comment" \
  grep -q '^# the chain it sends (2 certificates) is issued by CN=tlsgauntlet root2' \
  "$tmp/untrusted.yaml"
check "untrusted: server_name still from the SAN" is "$tmp/untrusted.yaml" server_name server.test
probe untrusted2 --ca "$certs/root2.pem"
check "--ca root2.pem: trust_anchor root2" is "$tmp/untrusted2.yaml" trust_anchor root2
cp "$certs/root2.pem" "$tmp/anchor.pem"
probe untrusted3 --ca "$tmp/anchor.pem"
check "--ca elsewhere: trust_anchor is its path" is "$tmp/untrusted3.yaml" trust_anchor \
  "$(realpath "$tmp/anchor.pem")"
stop_last

# ---- client certificates required: TLS 1.3 (the alert after the client's Finished) and 1.2 -----
builtin require13 server --require-client-cert --trust "$certs/root.pem" --echo
probe require13
check "require13: client_auth" is "$tmp/require13.yaml" client_auth require
check "require13: versions" is "$tmp/require13.yaml" versions 1.3
check "require13: suites still probed" is "$tmp/require13.yaml" cipher_suites \
  TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256
check "require13: after_handshake not probed, said" \
  grep -q '^# not probed: it ends the connection without a client certificate' \
  "$tmp/require13.yaml"
stop_last
builtin require12 server --max-version 1.2 --require-client-cert --trust "$certs/root.pem"
probe require12
check "require12: client_auth" is "$tmp/require12.yaml" client_auth require
check "require12: versions" is "$tmp/require12.yaml" versions 1.2
stop_last

# ---- silent: handshake_only --------------------------------------------------------------------
builtin silent server
probe silent
check "silent: after_handshake" is "$tmp/silent.yaml" after_handshake handshake_only
check "silent: quiet_ms" is "$tmp/silent.yaml" quiet_ms 300
stop_last

# ---- gnutls-serv --echo (it asks for a client certificate and goes on without one) -------------
if command -v gnutls-serv >/dev/null 2>&1; then
  builtin free server
  port_g=$port
  stop_last
  gnutls-serv --echo -p "$port_g" --x509certfile "$certs/server.pem" \
    --x509keyfile "$certs/server.key" >"$tmp/gnutls.out" 2>&1 &
  pids+=($!)
  wait_for "$tmp/gnutls.out" "listening" || sleep 1
  port=$port_g
  probe gnutls
  check "gnutls-serv: versions" is "$tmp/gnutls.yaml" versions 1.2,1.3
  check "gnutls-serv: after_handshake" is "$tmp/gnutls.yaml" after_handshake echo
  check "gnutls-serv: client_auth" is "$tmp/gnutls.yaml" client_auth request
  check "gnutls-serv: trust_anchor" is "$tmp/gnutls.yaml" trust_anchor root
  stop_last
else
  echo "SKIP gnutls-serv is not installed"
fi

# ---- openssl s_server: -www, -Verify, -tls1_2 --------------------------------------------------
# Its stdin is a FIFO this script keeps open, so s_server never sees EOF there. Sets $port.
ossl() {
  local name=$1; shift
  mkfifo "$tmp/$name.in"
  openssl s_server -accept 127.0.0.1:0 -cert "$certs/server.pem" -key "$certs/server.key" \
    -cert_chain "$certs/server.pem" "$@" <"$tmp/$name.in" >"$tmp/$name.log" 2>&1 &
  pids+=($!)
  exec {fd}<>"$tmp/$name.in"
  port=
  wait_for "$tmp/$name.log" '^ACCEPT 127.0.0.1:' &&
    port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.log")
  [ -n "$port" ] || { echo "FAIL s_server $name did not start"; fails=$((fails + 1)); }
}
if command -v openssl >/dev/null 2>&1; then
  ossl www -www
  probe www
  check "s_server -www: after_handshake" is "$tmp/www.yaml" after_handshake http
  check "s_server -www: versions" is "$tmp/www.yaml" versions 1.2,1.3
  check "s_server -www: client_auth" is "$tmp/www.yaml" client_auth none
  stop_last
  ossl verify -Verify 1 -CAfile "$certs/root.pem"
  probe verify
  check "s_server -Verify: client_auth" is "$tmp/verify.yaml" client_auth require
  stop_last
  ossl request -verify 1 -CAfile "$certs/root.pem" -tls1_2
  probe request
  check "s_server -verify -tls1_2: client_auth" is "$tmp/request.yaml" client_auth request
  check "s_server -verify -tls1_2: versions" is "$tmp/request.yaml" versions 1.2
  check "s_server -verify -tls1_2: the comment on client_auth" \
    grep -q '^# it sent a CertificateRequest and went on without a client certificate' \
    "$tmp/request.yaml"
  stop_last
else
  echo "SKIP openssl is not installed"
fi

parse_all >"$tmp/parsed"
cat "$tmp/parsed"
fails=$((fails + $(grep -c '^FAIL' "$tmp/parsed")))
finish probe.sh
