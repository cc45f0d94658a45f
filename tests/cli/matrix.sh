#!/usr/bin/env bash
# The interop matrix of issue 5: every client implementation x every server implementation
# (builtin, gnutls, openssl, boringssl: 16 pairs), all through the tg-peer-* adapters.
#   1. each TLS 1.3 suite x {x25519, secp256r1} x {ECDSA P-256, RSA 2048} server certificate: the
#      handshake completes and a --send client gets its bytes back from an --echo server; both
#      JSON lines report TLSv1.3 and the same suite and group.
#   2. client authentication (one suite and group): established, echoed.
#   3. the client trusts another root: it fails with error_class certificate, the server sees an
#      alert, and the server's alert_received is the client's alert_sent. A table of those alerts
#      is printed at the end.
# BoringSSL cannot select TLS 1.3 suites (its adapter exits 3 for --ciphers), so the other side
# gets --ciphers; boringssl x boringssl runs once per certificate x group with the default suites
# and prints the suite dimension as a skip. An adapter that exits 3 (unsupported) is a skip, printed.
#
# Pairs run in parallel as background jobs, at most $TG_MATRIX_JOBS (default 4, 2 in a sanitizer
# build: ASan startup and shadow memory make each process heavier, and more jobs only contend
# for the two cores), each with its own servers on ports the kernel picks (port 0, read from the
# "listening on" line). Every process started here is killed on exit and every wait is bounded.
# Output: a progress line per pair, each failure and skip, the alert table, and
# "matrix: N passed, M failed, K skipped". Exit 1 on any failure.
#   matrix.sh TLSGAUNTLET SOURCE_DIR   (the tg-peer-* programs sit next to TLSGAUNTLET)
set -u
dir=$(dirname "$1")
impls=(builtin gnutls openssl boringssl)
suites=(TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256)
groups=(x25519 secp256r1)
tmp=$(mktemp -d)
jobpids=()
# Each pair job runs in its own process group (set -m below; timeout --foreground keeps the
# clients in it), so killing the group ends its servers and clients with it.
cleanup() {
  local p
  for p in "${jobpids[@]}"; do kill -- "-$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

command -v openssl >/dev/null 2>&1 || { echo "SKIP the openssl command is not installed"; exit 0; }
for i in "${impls[@]}"; do
  [ -x "$dir/tg-peer-$i" ] || { echo "FAIL tg-peer-$i is missing in $dir"; exit 1; }
done

asan=0
nm "$dir/tg-peer-builtin" 2>/dev/null | grep -q __asan_init && asan=1
max_jobs=${TG_MATRIX_JOBS:-$([ $asan = 1 ] && echo 2 || echo 4)}

# ---- certificates: throwaway, self-signed, made here ------------------------------------------
mkcert() { # NAME KEY-ARGS...
  local name=$1; shift
  openssl req -x509 -nodes "$@" -keyout "$tmp/$name.key" -out "$tmp/$name.crt" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1
}
mkcert ec -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert rsa -newkey rsa:2048
mkcert client -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcert other -newkey ec -pkeyopt ec_paramgen_curve:P-256 # the root a negative client trusts
for c in ec rsa client other; do
  [ -s "$tmp/$c.crt" ] || { echo "FAIL certificate $c was not made"; exit 1; }
done

# Pairs where the server cannot see the client's alert, for reasons outside this harness. Their
# negative case still asserts that the client fails with error_class certificate and the server
# fails; a missing alert_received is printed as a skip with the reason. When the alert does
# arrive, it is checked like any other.
declare -A lost_alert
# OpenSSL 3.0's client sends its alert in plaintext: it aborts while reading the server's flight,
# before it switches its write side to the handshake keys (RFC 8446 5.1 wants it protected).
# The builtin and OpenSSL servers accept it; GnuTLS ("Decryption has failed") and BoringSSL
# (BAD_PACKET_LENGTH) cannot decrypt it.
lost_alert[openssl-gnutls]="OpenSSL's client alert is plaintext"
lost_alert[openssl-boringssl]="OpenSSL's client alert is plaintext"
# (tg-peer-gnutls used to close with the server's Finished unread, so a TCP RST could overtake its
# alert; it now half-closes and drains before closing, and its pairs are checked like the rest.)

# ---- helpers used inside one pair job ----------------------------------------------------------
# The helpers that run per connection start no process (a fork costs more here than a handshake:
# 224 connections, each read ten ways): bash reads the files and matches the text itself.
contains() { grep -qF -- "$2" <<<"$1"; }
# json_val LINE KEY: $REPLY is KEY's string value, or null. The keys read here hold plain ASCII.
# What `sed -n 's/.*"KEY":\("\([^"\\]*\)"\|null\).*/\2/p'` printed: per line, the value at the
# last "KEY": that is a plain string or null, the lines' values joined by newlines; empty: null.
json_val() {
  local l v= n=0 re='^.*"'"$2"'":("([^"\\]*)"|null)'
  while IFS= read -r l; do
    [[ $l =~ $re ]] || continue
    [ $n -eq 0 ] || v+=$'\n'
    v+=${BASH_REMATCH[2]} n=$((n + 1))
  done <<<"$1"
  while [[ $v == *$'\n' ]]; do v=${v%$'\n'}; done # as $(...) strips them
  REPLY=${v:-null}
}
# json_get LINE KEY: json_val's value on stdout, for messages.
json_get() { json_val "$1" "$2"; echo "$REPLY"; }
# nap SECONDS: a sleep without a process: a read that times out on a FIFO nobody writes.
mkfifo "$tmp/nap"
exec {nap_fd}<>"$tmp/nap"
nap() { read -r -t "$1" -u "$nap_fd" _ || :; }
# file_lines FILE: its lines in the array $lines (none when FILE is missing).
file_lines() { lines=(); [ -r "$1" ] && mapfile -t lines <"$1"; :; }
# wait_listening FILE: up to 5 s for a line "listening on ..." in FILE; $port is the port of the
# first "listening on 127.0.0.1:PORT" line ("" if none).
wait_listening() {
  local i l
  port=
  for ((i = 0; i < 100; i++)); do
    file_lines "$1"
    for l in "${lines[@]}"; do
      [[ $l == "listening on "* ]] || continue
      for l in "${lines[@]}"; do
        [[ $l =~ ^listening\ on\ 127\.0\.0\.1:([0-9]*)$ ]] && { port=${BASH_REMATCH[1]}; break; }
      done
      return 0
    done
    nap 0.05
  done
  return 1
}
# wait_lines FILE N: up to 8 s for FILE to hold N JSON lines (lines with "result"); $lines holds
# FILE's lines.
wait_lines() {
  local i l n
  for ((i = 0; i < 160; i++)); do
    file_lines "$1"
    n=0
    for l in "${lines[@]}"; do [[ $l == *'"result"'* ]] && n=$((n + 1)); done
    [ $n -ge "$2" ] && return 0
    nap 0.05
  done
  return 1
}
# emit pass|FAIL|skip|alert TEXT: one line of this pair's result file.
emit() { echo "$1 $2" >>"$res"; }

# serve NAME ARGS...: a --listen server of this pair's $s on 127.0.0.1:0. Sets $port, $srv_out,
# $srv_n (connections made to it so far); an empty $port means it did not start ($srv_why).
serve() {
  local name=$1; shift
  srv_out=$work/$name.out
  "$dir/tg-peer-$s" --role server --listen 127.0.0.1:0 --timeout-ms 5000 "$@" >"$srv_out" \
    2>"$work/$name.err" &
  srv_pid=$!
  srv_n=0 port=
  wait_listening "$work/$name.err"
  srv_why=
  if [ -z "$port" ]; then
    local code=0
    kill -0 "$srv_pid" 2>/dev/null || { wait "$srv_pid" 2>/dev/null; code=$?; }
    if [ $code -eq 3 ]; then
      srv_why="skip: the $s server exits 3: $(json_get "$(head -n1 "$srv_out")" error)"
    else
      srv_why="FAIL: the $s server did not start: $(head -c 300 "$work/$name.err")"
    fi
  fi
}
unserve() { kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; }

# connect ARGS...: one connection of this pair's client $c to $port. Sets $out, $rc and $line,
# the server's JSON line for the same connection (its N-th: a --listen server takes them in turn).
connect() {
  timeout --foreground 20 "$dir/tg-peer-$c" --role client --connect "127.0.0.1:$port" --timeout-ms 5000 \
    "$@" >"$work/client.out" 2>>"$work/client.err"
  rc=$?
  out=$(<"$work/client.out") # $(<FILE) starts no process
  line=
  if [ $rc -ne 3 ]; then
    srv_n=$((srv_n + 1))
    wait_lines "$srv_out" "$srv_n" && line=${lines[srv_n - 1]-}
  fi
}

# expect_kv WHO LINE KEY VALUE: appends to $bad when LINE[KEY] != VALUE.
expect_kv() {
  local got
  json_val "$2" "$3"
  got=$REPLY
  [ "$got" = "$4" ] || bad+="; $1 $3=$got (want $4)"
}
# verdict DESC: pass or FAIL from $bad; a client that exits 3 is a skip.
verdict() {
  if [ $rc -eq 3 ]; then
    emit skip "$1: the $c client exits 3: $(json_get "$out" error)"
  elif [ -z "$bad" ]; then
    emit pass "$1"
  else
    emit FAIL "$1: ${bad#; } | client: $(json_get "$out" error) | server: $(json_get "$line" error)"
  fi
}

# established DESC SUITE GROUP PAYLOAD CLIENT-ARGS...: one connection that must complete and
# echo. SUITE "-" means any of the three (boringssl x boringssl): both sides must agree on it.
established() {
  local what=$1 suite=$2 group=$3 payload=$4; shift 4
  connect "$@" --send "$payload"
  bad=
  [ $rc -eq 0 ] || bad+="; client exit $rc"
  [ -n "$line" ] || bad+="; no server line"
  if [ "$suite" = - ]; then
    json_val "$out" cipher
    suite=$REPLY
    contains " ${suites[*]} " " $suite " || bad+="; client cipher=$suite (want one of the three)"
  fi
  local who l
  for who in client server; do
    if [ $who = client ]; then l=$out; else l=$line; fi
    expect_kv $who "$l" result established
    expect_kv $who "$l" protocol TLSv1.3
    expect_kv $who "$l" cipher "$suite"
    expect_kv $who "$l" group "$group"
    expect_kv $who "$l" received "$payload"
  done
  verdict "$what"
}

# ---- one pair: client $c, server $s ---------------------------------------------------------------
run_pair() {
  c=$1 s=$2
  work=$tmp/$c-$s
  res=$work/result
  mkdir -p "$work"
  : >"$res"
  local kind suite group n=0 cert sargs cargs
  local trust=(--verify-name localhost)
  for kind in ec rsa; do
    cert=(--cert "$tmp/$kind.crt" --key "$tmp/$kind.key")
    local ct=(--trust "$tmp/$kind.crt" "${trust[@]}")
    if [ "$c" = boringssl ] && [ "$s" = boringssl ]; then
      serve "$kind" "${cert[@]}" --echo
      if [ -z "$port" ]; then emit "${srv_why%%:*}" "$c -> $s $kind: ${srv_why#*: }"; continue; fi
      for group in "${groups[@]}"; do
        n=$((n + 1))
        established "$c -> $s $kind default-suite $group" - "$group" "m$n" \
          "${ct[@]}" --groups "$group"
      done
      unserve
    elif [ "$c" = boringssl ]; then # the server alone names the suite
      for suite in "${suites[@]}"; do
        serve "$kind-$suite" "${cert[@]}" --echo --ciphers "$suite"
        if [ -z "$port" ]; then
          emit "${srv_why%%:*}" "$c -> $s $kind $suite: ${srv_why#*: }"
          continue
        fi
        for group in "${groups[@]}"; do
          n=$((n + 1))
          established "$c -> $s $kind $suite $group" "$suite" "$group" "m$n" \
            "${ct[@]}" --groups "$group"
        done
        unserve
      done
    else # the client offers exactly one suite and one key share
      serve "$kind" "${cert[@]}" --echo
      if [ -z "$port" ]; then emit "${srv_why%%:*}" "$c -> $s $kind: ${srv_why#*: }"; continue; fi
      for suite in "${suites[@]}"; do
        for group in "${groups[@]}"; do
          n=$((n + 1))
          established "$c -> $s $kind $suite $group" "$suite" "$group" "m$n" \
            "${ct[@]}" --ciphers "$suite" --groups "$group"
        done
      done
      unserve
    fi
  done
  if [ "$c" = boringssl ] && [ "$s" = boringssl ]; then
    emit skip "$c -> $s: the per-suite dimension: suite not selectable (BoringSSL on both sides)"
  fi

  # Client authentication: TLS_AES_128_GCM_SHA256 (or the default suites), x25519, ECDSA.
  suite=TLS_AES_128_GCM_SHA256
  sargs=() cargs=()
  if [ "$c" = boringssl ] && [ "$s" = boringssl ]; then
    suite=-
  elif [ "$c" = boringssl ]; then
    sargs=(--ciphers "$suite")
  else
    cargs=(--ciphers "$suite")
  fi
  serve auth --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --require-client-cert \
    --trust "$tmp/client.crt" "${sargs[@]}"
  if [ -z "$port" ]; then
    emit "${srv_why%%:*}" "$c -> $s client auth: ${srv_why#*: }"
  else
    established "$c -> $s client auth" "$suite" x25519 auth --trust "$tmp/ec.crt" \
      "${trust[@]}" --cert "$tmp/client.crt" --key "$tmp/client.key" --groups x25519 "${cargs[@]}"
    unserve
  fi

  # Negative: the client trusts another root. RFC 8446 6.2: the client aborts with a fatal
  # alert (bad_certificate, unknown_ca, ...); the server must receive what the client sent.
  serve neg --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo
  if [ -z "$port" ]; then
    emit "${srv_why%%:*}" "$c -> $s untrusted root: ${srv_why#*: }"
    return
  fi
  connect --trust "$tmp/other.crt" "${trust[@]}" --send neg
  unserve
  bad=
  local sent received
  json_val "$out" alert_sent
  sent=$REPLY
  json_val "$line" alert_received
  received=$REPLY
  [ $rc -eq 1 ] || bad+="; client exit $rc (want 1)"
  expect_kv client "$out" result failed
  expect_kv client "$out" error_class certificate
  [ -n "$line" ] || bad+="; no server line"
  expect_kv server "$line" result failed
  local why=${lost_alert[$c-$s]:-}
  if [ -n "$why" ] && [ "$received" = null ] && [ -z "$bad" ] && [ $rc -ne 3 ]; then
    emit skip "$c -> $s untrusted root: the server saw no alert (known: $why; server: $(json_get "$line" error))"
  else
    [ "$received" != null ] || bad+="; the server received no alert"
    [ "$sent" = null ] || expect_kv server "$line" alert_received "$sent"
    verdict "$c -> $s untrusted root"
  fi
  emit alert "$c $s $sent $received"
}

# ---- run the 16 pairs, at most $max_jobs at once ---------------------------------------------------
passed=0 failed=0 skipped=0
declare -A job_pair job_start
report() { # PAIR: its progress line, its failures and skips
  local r=$tmp/$1/result p f k
  p=$(grep -c '^pass ' "$r" 2>/dev/null) f=$(grep -c '^FAIL ' "$r" 2>/dev/null)
  k=$(grep -c '^skip ' "$r" 2>/dev/null)
  [ -s "$r" ] || { f=1; echo "FAIL ${1/-/ -> }: the pair job left no result"; }
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + k))
  printf '%-4s %-22s %3d passed, %d failed, %d skipped (%d s)\n' \
    "$([ "$f" -eq 0 ] && echo ok || echo FAIL)" "${1/-/ -> }" "$p" "$f" "$k" \
    $((SECONDS - ${job_start[$1]}))
  grep -E '^(FAIL|skip) ' "$r" 2>/dev/null | sed 's/^/     /'
}
reap() { # wait for one job and report it
  local id
  wait -n -p id "${jobpids[@]}"
  [ -n "${id:-}" ] || return
  report "${job_pair[$id]}"
  local keep=() p
  for p in "${jobpids[@]}"; do [ "$p" = "$id" ] || keep+=("$p"); done
  jobpids=("${keep[@]}")
}

echo "matrix: ${#impls[@]}x${#impls[@]} pairs, $max_jobs at a time$([ $asan = 1 ] && echo ' (sanitizer build)')"
set -m # a process group per pair job (see cleanup)
for c in "${impls[@]}"; do
  for s in "${impls[@]}"; do
    while [ ${#jobpids[@]} -ge "$max_jobs" ]; do reap; done
    (
      trap 'kill "${srv_pid:-}" 2>/dev/null' EXIT
      run_pair "$c" "$s"
    ) &
    jobpids+=($!)
    job_pair[$!]=$c-$s
    job_start[$c-$s]=$SECONDS
  done
done
while [ ${#jobpids[@]} -gt 0 ]; do reap; done

# ---- the alerts of the negative case ------------------------------------------------------------
echo
echo "untrusted root: the alert the client sent and the server received"
printf '  %-10s %-10s %-24s %s\n' client server alert_sent alert_received
for c in "${impls[@]}"; do
  for s in "${impls[@]}"; do
    read -r _ _ _ sent received < <(grep '^alert ' "$tmp/$c-$s/result" 2>/dev/null) ||
      sent=- received=-
    printf '  %-10s %-10s %-24s %s\n' "$c" "$s" "${sent:--}" "${received:--}"
  done
done

if grep -l 'Sanitizer\|runtime error' "$tmp"/*/*.err >/dev/null 2>&1; then
  echo "FAIL a sanitizer report from a peer:"
  grep -h -A5 'Sanitizer\|runtime error' "$tmp"/*/*.err | head -40
  failed=$((failed + 1))
fi
echo "matrix: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
