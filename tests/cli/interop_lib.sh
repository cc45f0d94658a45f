# What the interop scripts (tests/cli/interop*.sh) share: waits on files and ports, talking to a
# command-line tool through its stdin, a free port for tools that cannot bind port 0. Source it
# after lib.sh and nap.sh, with $peer (tg-peer-builtin) and $certs (vectors/scenarios/certs) set:
#   . "$(dirname "$0")/lib.sh"; . "$(dirname "$0")/nap.sh"; . "$(dirname "$0")/interop_lib.sh"
# Every wait is bounded; nothing here starts a process that outlives the call.

json_is() { contains "$1" "\"$2\":\"$3\""; } # TEXT KEY VALUE: "KEY":"VALUE" in a JSON line

# wait_for FILE PATTERN [TENTHS]: up to TENTHS/10 s (default 5 s) for PATTERN in FILE.
wait_for() {
  local i
  for ((i = 0; i < 2 * ${3:-50}; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    nap 0.05
  done
  return 1
}

# wait_listening PORT: up to 3 s for a TCP socket listening on PORT, any address, IPv4 or IPv6
# (read from /proc, so that probing does not use up a server's one connection).
wait_listening() {
  local hex i
  hex=$(printf ':%04X' "$1")
  for ((i = 0; i < 60; i++)); do
    grep -q "$hex [0-9A-F]*:0000 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
    nap 0.05
  done
  return 1
}

# talk INPUT WANT COMMAND...: COMMAND (s_client, gnutls-cli) with INPUT on its stdin (the text, or
# the bytes of FILE for @FILE), which stays open until WANT shows in COMMAND's output (at most
# 5 s), then closes; $o is the output (stdout and stderr). Neither tool reads its stdin before its
# handshake is done.
talk() {
  local input=$1 want=$2 i
  shift 2
  rm -f "$tmp/talk.out"
  {
    if [[ $input == @* ]]; then cat "${input#@}"; else printf '%s' "$input"; fi
    for ((i = 0; i < 100; i++)); do grep -qF -- "$want" "$tmp/talk.out" 2>/dev/null && break; nap 0.05; done
  } | "$@" >"$tmp/talk.out" 2>&1
  o=$(<"$tmp/talk.out")
}

# stop_last: kill and reap the last process started into pids.
stop_last() { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'; }

# free_port [CERT KEY]: a port for a server that cannot bind port 0 (gnutls-serv): the builtin
# peer binds 127.0.0.1:0, says which port it got, and is stopped; the port is then free (until
# someone else takes it). Under `timeout 5`: a probe that missed the kill once hung a test.
free_port() {
  timeout 5 "$peer" --role server --listen 127.0.0.1:0 --cert "${1:-$certs/server.pem}" \
    --key "${2:-$certs/server.key}" >/dev/null 2>"$tmp/free.err" &
  local pid=$!
  wait_for "$tmp/free.err" "^listening on " 20
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/free.err"
}

# listen_peer NAME PEER ARGS...: an adapter as a --listen server on 127.0.0.1:0; sets $port.
listen_peer() {
  local name=$1 prog=$2; shift 2
  "$prog" --role server --listen 127.0.0.1:0 --timeout-ms 5000 "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  wait_for "$tmp/$name.err" "^listening on " &&
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.err")
  [ -n "$port" ] || { echo "FAIL $name did not start"; fails=$((fails + 1)); port=1; }
}
# peer_client PEER PORT ARGS...: one adapter client connection; sets $out.
peer_client() {
  local prog=$1 p=$2; shift 2
  out=$(timeout 20 "$prog" --role client --connect "127.0.0.1:$p" --timeout-ms 5000 "$@" \
    2>>"$tmp/client.err")
}
ossl_server12() { # NAME ARGS...: openssl s_server -tls1_2 on port 0; sets $port
  local name=$1; shift
  mkfifo "$tmp/$name.in"
  openssl s_server -accept 127.0.0.1:0 -tls1_2 "$@" <"$tmp/$name.in" >"$tmp/$name.out" 2>&1 &
  pids+=($!)
  exec {ossl_fd}<>"$tmp/$name.in"
  port=
  wait_for "$tmp/$name.out" '^ACCEPT 127.0.0.1:' &&
    port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/$name.out")
  [ -n "$port" ] || { echo "FAIL s_server $name did not start"; fails=$((fails + 1)); port=1; }
}
