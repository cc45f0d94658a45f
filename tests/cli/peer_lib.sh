# What the adapter tests (peer_NAME.sh) share, beside lib.sh and nap.sh; source all three after
# `set -u`:
#   . "$(dirname "$0")/lib.sh"; . "$(dirname "$0")/nap.sh"; . "$(dirname "$0")/peer_lib.sh"
# Servers are `--listen 127.0.0.1:0` (the kernel picks the port); every wait is bounded; every
# process started is in lib.sh's pids, killed on exit.

# json_is LINE KEY VALUE: LINE[KEY] == VALUE ("null" for null). The values checked are plain
# ASCII strings, so the compact line holds them verbatim (no python per check: speed).
json_is() {
  if [ "$3" = null ]; then contains "$1" "\"$2\":null"; else contains "$1" "\"$2\":\"$3\""; fi
}
# json_get LINE KEY: a string value (or null).
json_get() {
  local v
  v=$(sed -n 's/.*"'"$2"'":\("\([^"\\]*\)"\|null\).*/\2/p' <<<"$1")
  echo "${v:-null}"
}
# wait_for FILE PATTERN: up to 20 s for PATTERN in FILE (a bound for a loaded machine; it returns
# as soon as PATTERN is there).
wait_for() {
  local i
  for ((i = 0; i < 400; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    nap 0.05
  done
  return 1
}
# serve NAME PROGRAM ARGS...: a --listen server (--timeout-ms $server_timeout, default 10000);
# sets $port and $srv_out (its outcome lines).
serve() {
  local name=$1 prog=$2
  shift 2
  "$prog" --role server --listen 127.0.0.1:0 --timeout-ms "${server_timeout:-10000}" "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  srv_out=$tmp/$name.out
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err" | head -n1)
  [ -n "$port" ] || { echo "FAIL server $name did not start: $(cat "$tmp/$name.err")"; fails=$((fails + 1)); }
}
# stop_last: the server started last, killed and reaped.
stop_last() { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'; }
# connect PROGRAM ARGS...: one client connection to $port; sets $out and $rc.
connect() {
  local prog=$1
  shift
  out=$(timeout 20 "$prog" --role client --connect "127.0.0.1:$port" --timeout-ms 10000 "$@" \
    2>>"$tmp/client.err")
  rc=$?
}
# server_line N: the server's line for the Nth connection (the Nth line of its output).
server_line() { wait_lines "$srv_out" "$1" && sed -n "${1}p" "$srv_out"; }

# The checks every adapter test makes against tg-peer-builtin, for an adapter that speaks TLS 1.3
# with the default flags. They use $peer, $builtin and $impl, the certificates $tmp/ec.{crt,key},
# $tmp/client.{crt,key} and $tmp/other.{crt,key}, and the client's name flags in ${trust[@]}.

# Client authentication, both ways: required and presented, required and missing (the
# builtin client receives an alert), an untrusted client certificate.
client_auth_both_ways() {
  serve auth "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --require-client-cert \
    --trust "$tmp/client.crt"
  connect "$builtin" --trust "$tmp/ec.crt" --cert "$tmp/client.crt" --key "$tmp/client.key" --send hi
  check "$impl server requires, builtin presents: echoed" json_is "$out" received hi
  connect "$builtin" --trust "$tmp/ec.crt" --send hi
  check "$impl server requires, builtin has none: fails" json_is "$out" result failed
  check "... the builtin client received an alert" json_is "$out" error_class alert_received
  echo "note $impl server, no client certificate: $impl sent $(json_get "$(server_line 2)" alert_sent)"
  connect "$builtin" --trust "$tmp/ec.crt" --cert "$tmp/other.crt" --key "$tmp/other.key" --send hi
  check "$impl server, an untrusted client certificate: the client fails" json_is "$out" result failed
  check "... the $impl server says certificate" json_is "$(server_line 3)" error_class certificate
  stop_last
  serve bauth "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --require-client-cert \
    --trust "$tmp/client.crt"
  connect "$peer" --trust "$tmp/ec.crt" --cert "$tmp/client.crt" --key "$tmp/client.key" --send hi
  check "builtin server requires, $impl presents: echoed" json_is "$out" received hi
  connect "$peer" --trust "$tmp/ec.crt" --send hi
  check "builtin server requires, $impl has none: fails" json_is "$out" result failed
  # RFC 8446 §4.4.2.4: certificate_required.
  check "... the $impl client received certificate_required" json_is "$out" alert_received certificate_required
  stop_last
}
# A client that trusts another root, both ways: it fails with error_class certificate, and the
# server receives the alert it sent.
untrusted_root_both_ways() {
  serve neg "$builtin" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
  connect "$peer" --trust "$tmp/other.crt" "${trust[@]}" --send x
  check "$impl client trusting another root: exits 1" test "$rc" -eq 1
  check "... error_class certificate" json_is "$out" error_class certificate
  sent=$(json_get "$out" alert_sent)
  check "... the builtin server received the alert $impl sent ($sent)" \
    json_is "$(server_line 1)" alert_received "$sent"
  echo "note $impl client, untrusted server: $impl sent $sent; error: $(json_get "$out" error)"
  stop_last
  serve neg2 "$peer" --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
  connect "$builtin" --trust "$tmp/other.crt" "${trust[@]}" --send x
  check "builtin client trusting another root: exits 1" test "$rc" -eq 1
  sent=$(json_get "$out" alert_sent)
  line=$(server_line 1)
  check "... the $impl server reports alert_received $sent" json_is "$line" alert_received "$sent"
  check "... the $impl server's error_class is alert_received" json_is "$line" error_class alert_received
  echo "note builtin client, untrusted $impl server: builtin sent $sent, $impl received $(json_get "$line" alert_received)"
  stop_last
}

# ---- --verify ---------------------------------------------------------------------------------------
# What the --verify tests share: the scenario certificates (vectors/scenarios/certs, CERTS below)
# and leaves made here under their root.

# verify_run ARGS...: tg-peer-$impl (the program $peer) --verify ARGS...; sets $out and $rc.
verify_run() {
  out=$("$peer" --verify "$@" 2>>"$tmp/verify.err")
  rc=$?
}
# split_chain CERTS: $tmp/leaf.pem and $tmp/inter.pem, the two certificates of CERTS/server.pem
# (server.test's leaf, and the intermediate that issued it).
split_chain() {
  awk '/-----BEGIN/ { n++ } n == 1' "$1/server.pem" >"$tmp/leaf.pem"
  awk '/-----BEGIN/ { n++ } n == 2' "$1/server.pem" >"$tmp/inter.pem"
}
# mk_leaf CERTS NAME KEY-ARGS...: $tmp/NAME.pem (and .key), a leaf for server.test (serverAuth,
# digitalSignature) issued by the scenario root (CERTS/root.ca-key), valid two days from now,
# with the key `openssl req -newkey KEY-ARGS` makes: rsa:1024, ec -pkeyopt ..., to try a
# profile's key policy.
mk_leaf() {
  local certs=$1 name=$2
  shift 2
  printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' \
    'extendedKeyUsage=serverAuth' 'subjectAltName=DNS:server.test' \
    'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid' >"$tmp/leaf.ext"
  openssl req -new -nodes "$@" -keyout "$tmp/$name.key" -subj /CN=server.test \
    -out "$tmp/$name.csr" >/dev/null 2>&1 &&
    openssl x509 -req -in "$tmp/$name.csr" -CA "$certs/root.pem" -CAkey "$certs/root.ca-key" \
      -set_serial 4097 -days 2 -extfile "$tmp/leaf.ext" -out "$tmp/$name.pem" >/dev/null 2>&1
  check "leaf $name was made" test -s "$tmp/$name.pem"
}
