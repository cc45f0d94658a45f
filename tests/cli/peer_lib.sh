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
# wait_for FILE PATTERN: up to 5 s for PATTERN in FILE.
wait_for() {
  local i
  for ((i = 0; i < 100; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    nap 0.05
  done
  return 1
}
# serve NAME PROGRAM ARGS...: a --listen server (--timeout-ms $server_timeout, default 3000);
# sets $port and $srv_out (its outcome lines).
serve() {
  local name=$1 prog=$2
  shift 2
  "$prog" --role server --listen 127.0.0.1:0 --timeout-ms "${server_timeout:-3000}" "$@" \
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
  out=$(timeout 20 "$prog" --role client --connect "127.0.0.1:$port" --timeout-ms 3000 "$@" \
    2>>"$tmp/client.err")
  rc=$?
}
# server_line N: the server's line for the Nth connection (the Nth line of its output).
server_line() { wait_lines "$srv_out" "$1" && sed -n "${1}p" "$srv_out"; }
