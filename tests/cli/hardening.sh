#!/usr/bin/env bash
# A command line that never misleads: input files the YAML loader would run away on (deep
# nesting, size, a FIFO or a device) are refused before loading; option values are checked
# strictly and before the run (numbers, --shard, --target, --peer, output paths, baselines of
# unknown implementations); --filter matches the brackets of matrix ids; list --shard.
#   hardening.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
bindir=$(dirname "$1")
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh"
scen=$src/vectors/scenarios
run() { "$tg" run --scenarios "$scen" --quiet "$@"; }
lines() { local n=0 l; while IFS= read -r l; do n=$((n + 1)); done <<<"$1"; [ -n "$1" ] || n=0; echo $n; }

cat >"$tmp/smoke.yaml" <<'YAML'
scenarios:
  - id: smoke/established
    rfc: RFC 8446 2
    target: client
    matrix:
      cert: [server, server-rsa]
    endpoint: {cert: "${cert}"}
    script:
      - expect: established
YAML

# ---- YAML files the loader must not run away on ----------------------------------------------

# N levels of flow sequences: [[[...]]].
nest() { local o c; printf -v o '%*s' "$1" ''; c=${o// /]}; o=${o// /[}; printf '%s%s\n' "$o" "$c"; }
nest 100000 >"$tmp/deep.yaml"
out=$("$tg" list "$tmp/deep.yaml" 2>&1); rc=$?
check "list: 100000 levels deep exits 2" test $rc -eq 2
check "... naming the file and the limit" contains "$out" "$tmp/deep.yaml:1:65: nested deeper than 64 levels"
# Block form: "- - - ... x", two bytes a level.
printf -v dashes '%*s' 50000 ''
printf '%sx\n' "${dashes// /- }" >"$tmp/deepb.yaml"
out=$("$tg" list "$tmp/deepb.yaml" 2>&1); rc=$?
check "list: 50000 block levels exits 2" test $rc -eq 2
check "... nested deeper than 64 levels" contains "$out" "nested deeper than 64 levels"
# The limit itself: 64 levels reach the scenario loader (which says what is wrong with the
# content), 65 do not.
{ printf 'scenarios: '; nest 63; } >"$tmp/d64.yaml"
{ printf 'scenarios: '; nest 64; } >"$tmp/d65.yaml"
out=$("$tg" list "$tmp/d64.yaml" 2>&1)
check "64 levels are loaded (the loader's own error)" bash -c '[[ $1 != *"nested deeper"* && $1 == *d64.yaml:1:* ]]' _ "$out"
out=$("$tg" list "$tmp/d65.yaml" 2>&1)
check "65 levels are refused" contains "$out" "d65.yaml:1:75: nested deeper than 64 levels"
{ printf 'steps: '; nest 64; } >"$tmp/_deep_include.yaml"
printf 'include: _deep_include.yaml\nscenarios: []\n' >"$tmp/includes-deep.yaml"
out=$("$tg" list "$tmp/includes-deep.yaml" 2>&1); rc=$?
check "an included file 65 levels deep exits 2" test $rc -eq 2
check "... naming the included file" contains "$out" "_deep_include.yaml:1:71: nested deeper than 64 levels"

# Size: more than 1 MiB is refused; a file just under it, of real scenarios, loads.
{
  printf 'scenarios:\n'
  for ((i = 0; i < 4700; i++)); do
    printf '  - id: big/s%d\n    rfc: RFC 8446 4.4.3\n    title: a scenario among thousands, padded to a realistic length of text\n    target: client\n    script:\n      - expect: alert\n        alert: decrypt_error\n' $i
  done
} >"$tmp/big.yaml"
size=$(stat -c %s "$tmp/big.yaml")
check "the big file is under 1 MiB ($size bytes)" test "$size" -le 1048576
out=$("$tg" list "$tmp/big.yaml" 2>&1); rc=$?
check "a file of 4700 scenarios under 1 MiB loads" test $rc -eq 0
check "... all of them" contains "$out" "4700 scenarios"
head -c 1048577 /dev/zero | tr '\0' '#' >"$tmp/huge.yaml"
out=$("$tg" list "$tmp/huge.yaml" 2>&1); rc=$?
check "a file of 1 MiB + 1 byte exits 2" test $rc -eq 2
check "... larger than 1 MiB" contains "$out" "huge.yaml: larger than 1 MiB"

# Not a regular file: a FIFO (a writer holds it open, so a blocking read would never end: the
# timeout guards the test against that regression, not the speed) and a device.
mkfifo "$tmp/fifo.yaml"
exec {fifo_fd}<>"$tmp/fifo.yaml"
out=$(timeout 120 "$tg" list "$tmp/fifo.yaml" 2>&1); rc=$?
check "list FIFO exits 2" test $rc -eq 2
check "... not a regular file" contains "$out" "fifo.yaml: not a regular file"
out=$("$tg" list /dev/zero 2>&1); rc=$?
check "list /dev/zero exits 2, not a regular file" contains "$rc $out" "2 /dev/zero: not a regular file"
out=$(timeout 120 "$tg" run "$tmp/smoke.yaml" --scenarios "$scen" --baseline "$tmp/fifo.yaml" 2>&1); rc=$?
check "run --baseline FIFO exits 2, not a regular file" contains "$rc $out" "2 tlsgauntlet run: $tmp/fifo.yaml: not a regular file"
exec {fifo_fd}>&-

# Baselines and target profiles go through the same checks.
{ printf 'implementation: builtin\ndeviations: '; nest 1000; } >"$tmp/deep-baseline.yaml"
out=$(run "$tmp/smoke.yaml" --baseline "$tmp/deep-baseline.yaml" 2>&1); rc=$?
check "a deep baseline exits 2" test $rc -eq 2
check "... nested deeper than 64 levels, before the run" \
  bash -c '[[ $1 == *"deep-baseline.yaml:2:"*": nested deeper than 64 levels"* && $1 != *smoke/* ]]' _ "$out"
{ printf 'role: server\ntarget: tcp://127.0.0.1:1\ngroups: '; nest 1000; } >"$tmp/deep-profile.yaml"
out=$(run "$tmp/smoke.yaml" --profile "$tmp/deep-profile.yaml" 2>&1); rc=$?
check "a deep target profile exits 2" test $rc -eq 2
check "... nested deeper than 64 levels" contains "$out" "deep-profile.yaml:3:72: nested deeper than 64 levels"
mkdir "$tmp/adir.yaml"
out=$(run "$tmp/smoke.yaml" --baseline "$tmp/adir.yaml" 2>&1); rc=$?
check "a directory as --baseline exits 2" contains "$rc $out" "2 tlsgauntlet run: $tmp/adir.yaml: is a directory"

# ---- Option values -----------------------------------------------------------------------------

bad_usage() { # DESCRIPTION MESSAGE ARGS...: exit 2, MESSAGE on stderr, nothing run
  local what=$1 msg=$2 out err rc
  shift 2
  out=$(run "$tmp/smoke.yaml" "$@" 2>"$tmp/err"); rc=$?
  err=$(<"$tmp/err")
  check "$what: exit 2" test $rc -eq 2
  check "$what: says '$msg'" contains "$err" "$msg"
  check "$what: nothing was played" test -z "$out"
  check "$what: one message, not one per scenario" test "$(lines "$err")" -le 2
}
bad_usage "--jobs 5x" "--jobs is a number from 1 to 256, not '5x'" --jobs 5x
bad_usage "--jobs 0" "--jobs is a number from 1 to 256, not '0'" --jobs 0
bad_usage "--jobs 257" "--jobs is a number from 1 to 256, not '257'" --jobs 257
bad_usage "--jobs -3" "--jobs is a number from 1 to 256, not '-3'" --jobs=-3
bad_usage "--timeout 10ms" "--timeout (milliseconds) is a number from 1 to 3600000, not '10ms'" --timeout 10ms
bad_usage "--shard 2/x" "--shard is I/N with 1 <= I <= N, not '2/x'" --shard 2/x
bad_usage "--shard 3/2" "--shard is I/N with 1 <= I <= N, not '3/2'" --shard 3/2
bad_usage "--target port 99999" "the --target port is a number from 1 to 65535, not '99999'" \
  --target tcp://127.0.0.1:99999 --role server
bad_usage "--target port 0" "the --target port is a number from 1 to 65535, not '0'" \
  --target tcp://127.0.0.1:0 --role server
bad_usage "--target without a port" "--target is tcp://HOST:PORT, not 'tcp://127.0.0.1'" \
  --target tcp://127.0.0.1 --role server
bad_usage "--target an unresolvable host" "cannot resolve no-such-host.invalid" \
  --target tcp://no-such-host.invalid:443 --role server
bad_usage "--peer DIR/" "--peer $tmp/ is not an executable file" --peer "$tmp/"
bad_usage "--json in a missing directory" "--json $tmp/no/such/out.json has no such directory" \
  --json "$tmp/no/such/out.json"
bad_usage "--junit a directory" "--junit $tmp is a directory" --junit "$tmp"
bad_usage "--html in a missing directory" "--html $tmp/nope/r.html has no such directory" \
  --html "$tmp/nope/r.html"
bad_usage "--capture under a missing parent" "--capture $tmp/nope/cap: cannot create it" \
  --capture "$tmp/nope/cap"
many=()
for i in $(seq 65); do many+=(--filter "x$i"); done
bad_usage "65 --filter" "too many --filter (at most 64)" "${many[@]}"
bad_usage "17 --baseline" "too many --baseline (at most 16)" \
  $(for i in $(seq 17); do echo --baseline "$tmp/b$i.yaml"; done)
selftest_out=$("$tg" selftest --jobs 2x 2>&1)
check "selftest --jobs 2x: exit 2" test $? -eq 2
check "selftest --jobs 2x: says so" contains "$selftest_out" "--jobs is a number from 1 to 256, not '2x'"

# --capture DIR is created.
run "$tmp/smoke.yaml" --filter 'smoke/established[cert=server]' --capture "$tmp/newcap" >/dev/null 2>&1
check "--capture creates its directory, and the run fills it" \
  bash -c 'ls "$1"/*.pcap >/dev/null 2>&1' _ "$tmp/newcap"

# --peer NAME looks where `peers` does: beside tlsgauntlet, then $TG_PEER_DIR.
mkdir "$tmp/peers"
cp "$bindir/tg-peer-builtin" "$tmp/peers/tg-peer-mine"
out=$(TG_PEER_DIR=$tmp/peers run "$tmp/smoke.yaml" --peer mine --no-baseline 2>&1); rc=$?
check "run --peer NAME finds tg-peer-NAME in \$TG_PEER_DIR: exit 0" test $rc -eq 0
check "... its column is named" contains "$out" "mine"
check "peers lists it too" bash -c 'TG_PEER_DIR=$1 "$2" peers | grep -q "^mine "' _ "$tmp/peers" "$tg"

# Baselines: one of an implementation this run does not play is a warning naming the file;
# one of no known implementation is exit 2.
printf 'implementation: gnutls\ndeviations: []\n' >"$tmp/other.yaml"
out=$(run "$tmp/smoke.yaml" --baseline "$tmp/other.yaml" 2>"$tmp/err"); rc=$?
check "a baseline of another implementation: the run goes on (exit 0)" test $rc -eq 0
check "... with a warning naming the file and the implementation" \
  contains "$(<"$tmp/err")" "warning: --baseline $tmp/other.yaml is for gnutls, which this run does not play"
printf 'implementation: gnutsl\ndeviations: []\n' >"$tmp/typo.yaml"
out=$(run "$tmp/smoke.yaml" --baseline "$tmp/typo.yaml" 2>"$tmp/err"); rc=$?
check "a baseline of no known implementation: exit 2" test $rc -eq 2
check "... naming the file and the implementation" \
  contains "$(<"$tmp/err")" "--baseline $tmp/typo.yaml: implementation 'gnutsl' is none known"
check "... before the run" test -z "$out"

# ---- Selection -----------------------------------------------------------------------------------

# --filter: the brackets of a matrix id are literal.
out=$("$tg" list "$tmp/smoke.yaml" --filter 'smoke/established[cert=server-rsa]')
check "list --filter with an exact matrix id: that one scenario" \
  contains "$out" $'smoke/established[cert=server-rsa]  RFC 8446 2\n1 scenario'
out=$("$tg" list "$tmp/smoke.yaml" --filter 'smoke/established[cert=server-*')
check "list --filter with a bracket and a '*'" contains "$out" $'smoke/established[cert=server-rsa]  RFC 8446 2\n1 scenario'
out=$(run "$tmp/smoke.yaml" --filter 'smoke/established[cert=server-rsa]' --json "$tmp/f.json" 2>&1); rc=$?
check "run --filter with an exact matrix id: exit 0" test $rc -eq 0
check "... plays it" contains "$(<"$tmp/f.json")" '"smoke/established[cert=server-rsa]"'
check "... and not the other" bash -c '! grep -qF "cert=server]" "$1"' _ "$tmp/f.json"
id=$("$tg" list --json | grep -o '"id": "certificates/valid-chain\[[^"]*"' | head -1)
id=${id#'"id": "'} id=${id%'"'}
check "the suite has a certificates/valid-chain[...] id ($id)" test -n "$id"
out=$("$tg" list --filter "$id")
check "list --filter '$id': one scenario" contains "$out" $'\n1 scenario'

# list --shard: the parts are disjoint and together the whole list, as run plays them.
all=$("$tg" list --json | grep -o '"id": "[^"]*"' | sort)
parts=$(for i in 1 2 3; do "$tg" list --shard "$i/3" --json | grep -o '"id": "[^"]*"'; done | sort)
check "list --shard 1/3 2/3 3/3: the whole list, each once" test "$parts" = "$all"
check "list --shard: more than 3 scenarios to split" test "$(lines "$all")" -gt 3
one=$("$tg" list --shard 2/3 --json | grep -c '"id"')
check "list --shard 2/3: about a third ($one of $(lines "$all"))" \
  test $((one * 3)) -ge $(($(lines "$all") - 3)) -a $((one * 3)) -le $(($(lines "$all") + 3))
out=$("$tg" list --shard 0/3 2>&1)
check "list --shard 0/3: exit 2" test $? -eq 2
out=$(run "$tmp/smoke.yaml" --shard 2/2 --json "$tmp/s.json" 2>&1)
check "run --shard 2/2 plays what list --shard 2/2 lists" \
  contains "$(<"$tmp/s.json")" "$("$tg" list "$tmp/smoke.yaml" --shard 2/2 --json | grep -o '"smoke/[^"]*"')"

finish hardening
