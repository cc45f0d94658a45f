#!/usr/bin/env bash
# The interop matrix: every client implementation x every server implementation, all through
# the tg-peer-* adapters. The implementations are the registered ones whose adapter is built,
# in registry order, as `tlsgauntlet peers --json` lists them (harness/impls.c; a registered
# one that is not built is named and left out, a broken one fails), so a new adapter joins the
# matrix by itself. For each ordered pair (client, server) and each version in both sides'
# --info versions (TLSv1.3, TLSv1.2):
#   1. three connections, one per cipher suite of that version, the server certificate (ECDSA
#      P-256 or RSA 2048) and the key share group (x25519, secp256r1) taking each value at least
#      once: the handshake completes, a --send client gets its bytes back from an --echo
#      server (application data both ways), and both JSON lines report the version, the suite
#      and the group. Both sides are given the suite (--ciphers: some libraries cannot restrict
#      only one side) and the client the group. A suite or group missing from either side's
#      --info lists is a skip, printed, as is an adapter that exits 3 (unsupported).
# Then, in the highest version both speak:
#   2. client authentication: established, echoed.
#   3. the client trusts another root: it fails with error_class certificate, the server sees an
#      alert, and the server's alert_received is the client's alert_sent. A table of those alerts
#      is printed at the end.
#
# Pairs run in parallel as background jobs, at most $TG_MATRIX_JOBS (default 4, 2 in a sanitizer
# build: ASan startup and shadow memory make each process heavier, and more jobs only contend
# for the two cores), each with its own servers on ports the kernel picks (port 0, read from the
# "listening on" line). Every process started here is killed on exit and every wait is bounded.
# Output: the implementations, a progress line per pair, each failure and skip, the alert
# table, and "matrix: N passed, M failed, K skipped". Exit 1 on any failure.
#   matrix.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
# The connections of step 1 (VERSION CERT SUITE GROUP), each dimension's values covered.
cases=(
  "TLSv1.3 ec TLS_AES_128_GCM_SHA256 x25519"
  "TLSv1.3 rsa TLS_AES_256_GCM_SHA384 secp256r1"
  "TLSv1.3 ec TLS_CHACHA20_POLY1305_SHA256 secp256r1"
  "TLSv1.2 ec TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 secp256r1"
  "TLSv1.2 rsa TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 x25519"
  "TLSv1.2 rsa TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 secp256r1"
)
# In the sanitizer build (TG_SANITIZED=1) the adapters' code is what is checked, not each suite
# and group again (the plain build does that): the first case of each version only.
if [ "${TG_SANITIZED:-0}" = 1 ]; then
  cases=("${cases[0]}" "${cases[3]}")
fi
# (In TLS 1.2 the client's supported_groups also names the curves it accepts in the server's
# ECDSA certificate, RFC 8422 5.1, and BoringSSL holds a P-256 certificate to it: so P-256.)
versions=(TLSv1.3 TLSv1.2) # the highest first
# The suite and group of step 2 per version (an ECDSA certificate).
declare -A auth_suite=([TLSv1.3]=TLS_AES_128_GCM_SHA256
  [TLSv1.2]=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)
declare -A auth_group=([TLSv1.3]=x25519 [TLSv1.2]=secp256r1)
declare -A version_args=([TLSv1.3]="" [TLSv1.2]="--max-version 1.2")
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

command -v openssl >/dev/null 2>&1 || { echo "SKIP the openssl command is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "FAIL python3 is needed to read peers --json"; exit 1; }

# ---- the implementations: the registry, through tlsgauntlet peers --------------------------------
# One line per registered implementation: NAME STATUS PATH|- then its --info versions, suites and
# groups, each list space-separated between "|" (or the error of one that is not ok).
"$tg" peers --json --timeout-ms 30000 >"$tmp/peers.json" 2>"$tmp/peers.err"
python3 -c 'import json, sys
for p in json.load(open(sys.argv[1])):
    if p.get("registry") is None:
        continue
    if p["status"] != "ok":
        print(p["name"], p["status"].replace(" ", "_"), "-|" + p.get("error", ""))
        continue
    print(p["name"], "ok", p["path"] + "|" + " ".join(p["versions"]) + "|" +
          " ".join(p["cipher_suites"]) + "|" + " ".join(p["groups"]))' "$tmp/peers.json" \
  >"$tmp/impls" || { echo "FAIL tlsgauntlet peers --json: $(head -c 300 "$tmp/peers.err")"; exit 1; }
impls=()
declare -A path info_versions info_suites info_groups
while read -r name status rest; do
  IFS='|' read -r p v su gr <<<"$rest"
  case $status in
  ok)
    impls+=("$name") path[$name]=$p
    info_versions[$name]=" $v " info_suites[$name]=" $su " info_groups[$name]=" $gr " ;;
  not_built) echo "note: $name is not built, not in the matrix: $v" ;;
  *) echo "FAIL $name is registered but $status: $v"; exit 1 ;;
  esac
done <"$tmp/impls"
[ -n "${path[builtin]-}" ] || { echo "FAIL tg-peer-builtin is not among the adapters peers found"; exit 1; }

asan=0
nm "${path[builtin]}" 2>/dev/null | grep -q __asan_init && asan=1
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
# The builtin and OpenSSL servers accept it; GnuTLS ("Decryption has failed"), BoringSSL
# (BAD_PACKET_LENGTH), wolfSSL ("parse error on header") and NSS
# (SSL_ERROR_RX_UNEXPECTED_RECORD_TYPE) cannot decrypt it.
for s in gnutls boringssl wolfssl nss; do
  lost_alert[openssl-$s]="OpenSSL's client alert is plaintext"
done
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
# wait_listening FILE: up to 20 s for a line "listening on ..." in FILE; $port is the port of the
# first "listening on 127.0.0.1:PORT" line ("" if none).
wait_listening() {
  local i l
  port=
  for ((i = 0; i < 400; i++)); do
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
  "${path[$s]}" --role server --listen 127.0.0.1:0 --timeout-ms 5000 "$@" >"$srv_out" \
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
  timeout --foreground 20 "${path[$c]}" --role client --connect "127.0.0.1:$port" --timeout-ms 5000 \
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
# verdict DESC: pass or FAIL from $bad; a client that exits 3, or a server that says
# unsupported (it exits 3 once it sees what the client offers), is a skip.
verdict() {
  json_val "$line" error_class
  if [ $rc -eq 3 ]; then
    emit skip "$1: the $c client exits 3: $(json_get "$out" error)"
  elif [ "$REPLY" = unsupported ]; then
    emit skip "$1: the $s server exits 3: $(json_get "$line" error)"
  elif [ -z "$bad" ]; then
    emit pass "$1"
  else
    emit FAIL "$1: ${bad#; } | client: $(json_get "$out" error) | server: $(json_get "$line" error)"
  fi
}

# established DESC VERSION SUITE GROUP PAYLOAD CLIENT-ARGS...: one connection to the server of
# $port that must complete and echo.
established() {
  local what=$1 version=$2 suite=$3 group=$4 payload=$5; shift 5
  connect "$@" --send "$payload"
  bad=
  [ $rc -eq 0 ] || bad+="; client exit $rc"
  [ -n "$line" ] || bad+="; no server line"
  local who l
  for who in client server; do
    if [ $who = client ]; then l=$out; else l=$line; fi
    expect_kv $who "$l" result established
    expect_kv $who "$l" protocol "$version"
    expect_kv $who "$l" cipher "$suite"
    expect_kv $who "$l" group "$group"
    expect_kv $who "$l" received "$payload"
  done
  verdict "$what"
}

# lacks WHAT VALUE: the name of a side of the pair whose --info WHAT list lacks VALUE, or "".
lacks() {
  local -n list=info_$1
  local x
  for x in "$c" "$s"; do
    contains "${list[$x]}" " $2 " || { REPLY=$x; return; }
  done
  REPLY=
}

# ---- one pair: client $c, server $s ---------------------------------------------------------------
run_pair() {
  c=$1 s=$2
  work=$tmp/$c-$s
  res=$work/result
  mkdir -p "$work"
  : >"$res"
  local kase version kind suite group n=0 common=() vargs
  local trust=(--verify-name localhost)
  for version in "${versions[@]}"; do
    contains "${info_versions[$c]}" " $version " && contains "${info_versions[$s]}" " $version " &&
      common+=("$version")
  done
  if [ ${#common[@]} -eq 0 ]; then
    emit FAIL "$c -> $s: no version of ${versions[*]} in both --info lists"
    return
  fi
  for kase in "${cases[@]}"; do
    read -r version kind suite group <<<"$kase"
    local what="$c -> $s $version $kind $suite $group"
    contains " ${common[*]} " " $version " || continue
    lacks suites "$suite"
    [ -z "$REPLY" ] || { emit skip "$what: $suite is not in $REPLY's --info"; continue; }
    lacks groups "$group"
    [ -z "$REPLY" ] || { emit skip "$what: $group is not in $REPLY's --info"; continue; }
    read -ra vargs <<<"${version_args[$version]}"
    serve "case$n" --cert "$tmp/$kind.crt" --key "$tmp/$kind.key" --echo --ciphers "$suite" \
      "${vargs[@]}"
    n=$((n + 1))
    if [ -z "$port" ]; then emit "${srv_why%%:*}" "$what: ${srv_why#*: }"; continue; fi
    established "$what" "$version" "$suite" "$group" "m$n" --trust "$tmp/$kind.crt" \
      "${trust[@]}" --ciphers "$suite" --groups "$group" "${vargs[@]}"
    unserve
  done

  # Client authentication, in the highest common version, with an ECDSA certificate.
  version=${common[0]}
  suite=${auth_suite[$version]} group=${auth_group[$version]}
  read -ra vargs <<<"${version_args[$version]}"
  serve auth --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo --require-client-cert \
    --trust "$tmp/client.crt" --ciphers "$suite" "${vargs[@]}"
  if [ -z "$port" ]; then
    emit "${srv_why%%:*}" "$c -> $s $version client auth: ${srv_why#*: }"
  else
    established "$c -> $s $version client auth" "$version" "$suite" "$group" auth \
      --trust "$tmp/ec.crt" "${trust[@]}" --cert "$tmp/client.crt" --key "$tmp/client.key" \
      --groups "$group" --ciphers "$suite" "${vargs[@]}"
    unserve
  fi

  # Negative: the client trusts another root. RFC 8446 6.2 (RFC 5246 7.2.2): the client aborts
  # with a fatal alert (bad_certificate, unknown_ca, ...); the server must receive what the
  # client sent.
  serve neg --cert "$tmp/ec.crt" --key "$tmp/ec.key" --echo "${vargs[@]}"
  if [ -z "$port" ]; then
    emit "${srv_why%%:*}" "$c -> $s $version untrusted root: ${srv_why#*: }"
    return
  fi
  connect --trust "$tmp/other.crt" "${trust[@]}" --send neg "${vargs[@]}"
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
    emit skip "$c -> $s $version untrusted root: the server saw no alert (known: $why; server: $(json_get "$line" error))"
  else
    [ "$received" != null ] || bad+="; the server received no alert"
    [ "$sent" = null ] || expect_kv server "$line" alert_received "$sent"
    verdict "$c -> $s $version untrusted root"
  fi
  emit alert "$c $s $version $sent $received"
}

# ---- run the pairs, at most $max_jobs at once ---------------------------------------------------
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

echo "matrix: ${impls[*]}: ${#impls[@]}x${#impls[@]} pairs, $max_jobs at a time$([ $asan = 1 ] && echo ' (sanitizer build)')"
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
printf '  %-10s %-10s %-8s %-24s %s\n' client server version alert_sent alert_received
for c in "${impls[@]}"; do
  for s in "${impls[@]}"; do
    read -r _ _ _ version sent received < <(grep '^alert ' "$tmp/$c-$s/result" 2>/dev/null) ||
      version=- sent=- received=-
    printf '  %-10s %-10s %-8s %-24s %s\n' "$c" "$s" "${version:--}" "${sent:--}" \
      "${received:--}"
  done
done

if grep -l 'Sanitizer\|runtime error' "$tmp"/*/*.err >/dev/null 2>&1; then
  echo "FAIL a sanitizer report from a peer:"
  grep -h -A5 'Sanitizer\|runtime error' "$tmp"/*/*.err | head -40
  failed=$((failed + 1))
fi
echo "matrix: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
