#!/usr/bin/env bash
# tlsgauntlet run end to end, on a small suite written here: verdicts against the built-in
# adapter; a deliberately broken adapter (test-peers/tg-peer-broken crashes on unknown ClientHello
# extensions) named in the unexpected results with exit 1; a hanging adapter reported as timeout
# with its process group killed and the run going on; baselines (xfail, xpass); exit 2 with
# FILE:LINE:COLUMN for a bad scenario file; --json, --junit (well-formed JUnit), --shard, and
# --capture decrypted by tshark with the run's key log.
#   run.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
bindir=$(dirname "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
run() { "$tg" run --scenarios "$src/vectors/scenarios" --quiet "$@"; }

cat >"$tmp/smoke.yaml" <<'YAML'
scenarios:
  - id: smoke/established
    rfc: RFC 8446 2
    target: server
    script:
      - send: client_hello
      - expect: established
      - send: application_data
        data: "hello"
      - expect: data
        data: "hello"
  - id: smoke/cipher-suites-empty
    rfc: RFC 8446 4.1.2
    target: server
    script:
      - send: client_hello
        set: {cipher_suites: []}
      - expect: alert
        alert: [decode_error, illegal_parameter]
      - expect: close
  - id: smoke/bad-finished-from-server
    rfc: RFC 8446 4.4.4
    target: client
    script:
      - send: finished
        deviations: [corrupt_finished]
      - expect: alert
        alert: decrypt_error
  - id: smoke/unknown-extension
    rfc: RFC 8446 4.1.2
    target: server
    script:
      - send: client_hello
        extensions: {add: [{type: 65000, hex: "00"}]}
      - expect: established
YAML

# Usage and the vocabulary.
check "run --help exits 0 and names --peer" bash -c "'$tg' run --help | grep -q -- '--peer NAME'"
check "--help-scenario lists the deviations" \
  bash -c "'$tg' run --help-scenario | grep -q inject_record"
run --bogus "$tmp/smoke.yaml" >/dev/null 2>&1
check "an unknown option exits 2" test $? -eq 2

# A scenario file with an unknown key on line 4, column 5.
printf 'id: bad/one\nrfc: RFC 8446 4\ntarget: server\nscrip:\n  - send: client_hello\n' \
  >"$tmp/bad.yaml"
run "$tmp/bad.yaml" >"$tmp/bad.out" 2>&1
rc=$?
check "a bad scenario file exits 2" test $rc -eq 2
check "... naming FILE:LINE:COLUMN" grep -q "bad.yaml:4:1" "$tmp/bad.out"

# A scenario naming a certificate that does not exist is bad input, not a verdict.
printf 'id: bad/cert\nrfc: RFC 8446 4.4.2\ntarget: client\nendpoint: {cert: no-such}\nscript:\n  - expect: alert\n' \
  >"$tmp/badcert.yaml"
run "$tmp/badcert.yaml" >"$tmp/badcert.out" 2>&1
rc=$?
check "a missing certificate exits 2" test $rc -eq 2
check "... naming the scenario's FILE:LINE:COLUMN and the name" \
  grep -q "badcert.yaml:1:1: scenario bad/cert: no certificate 'no-such'" "$tmp/badcert.out"

# The built-in adapter: every result as expected.
run --peer builtin --jobs 2 --json "$tmp/out.json" --junit "$tmp/out.xml" "$tmp/smoke.yaml" \
  >"$tmp/builtin.out" 2>&1
rc=$?
check "builtin: exit 0" test $rc -eq 0
check "builtin: the matrix shows the four scenarios" \
  test "$(grep -c '^smoke/' "$tmp/builtin.out")" -eq 4
check "builtin: JSON has four results, all pass" \
  bash -c "[ \$(grep -o '\"verdict\": *\"pass\"' '$tmp/out.json' | wc -l) -eq 4 ]"
check "JUnit parses and has one testsuite with four testcases" \
  bash -c "[ \"\$(xmllint --xpath 'count(//testsuite)' '$tmp/out.xml')\" = 1 ] &&
           [ \"\$(xmllint --xpath 'count(//testsuite/testcase)' '$tmp/out.xml')\" = 4 ]"

# The broken adapter: the scenario it crashes on is named, exit 1.
broken="$bindir/test-peers/tg-peer-broken"
run --peer "$broken" "$tmp/smoke.yaml" >"$tmp/broken.out" 2>&1
rc=$?
check "broken: exit 1" test $rc -eq 1
check "broken: the crash is named as unexpected" \
  grep -q "broken  smoke/unknown-extension: expected established.*signal 6" "$tmp/broken.out"
check "broken: the other scenarios still pass" \
  bash -c "grep '^smoke/established ' '$tmp/broken.out' | grep -q pass"

# A baseline listing the crash makes it an xfail (exit 0); one listing a passing scenario is an
# xpass (exit 1).
cat >"$tmp/broken.yaml" <<'YAML'
implementation: broken
deviations:
  - id: smoke/unknown-extension
    verdict: crash
    reason: "built to crash on unknown extensions (tests/cli/run.sh)"
YAML
run --peer "$broken" --baseline "$tmp/broken.yaml" "$tmp/smoke.yaml" >"$tmp/xfail.out" 2>&1
check "baseline: a listed crash is xfail, exit 0" test $? -eq 0
check "baseline: the matrix says xfail" grep -q "xfail" "$tmp/xfail.out"
cat >>"$tmp/broken.yaml" <<'YAML'
  - id: smoke/established
    verdict: fail
    observed: accepted
    reason: "not true: it passes"
YAML
run --peer "$broken" --baseline "$tmp/broken.yaml" "$tmp/smoke.yaml" >"$tmp/xpass.out" 2>&1
check "baseline: a listed deviation that does not happen is xpass, exit 1" test $? -eq 1
check "baseline: ... named" grep -q "smoke/established.*xpass" "$tmp/xpass.out"

# A hanging adapter: timeouts, its process group killed, the run goes on. The same scenarios with
# a deadline of 1 s instead of the default 5 s: a deadline is all this needs, not its length.
cat >"$tmp/tg-peer-hang" <<'SH'
#!/bin/sh
sleep 271.5 &
sleep 271.5
SH
chmod +x "$tmp/tg-peer-hang"
sed 's/^    target: .*/&\n    timeout: 1/' "$tmp/smoke.yaml" >"$tmp/hang.yaml"
start=$(date +%s)
run --peer "$tmp/tg-peer-hang" --filter 'smoke/established' --filter 'smoke/cipher*' \
  "$tmp/hang.yaml" >"$tmp/hang.out" 2>&1
rc=$?
check "hang: exit 1" test $rc -eq 1
check "hang: both scenarios are timeouts" test "$(grep -c 'timeout\*' "$tmp/hang.out")" -eq 2
check "hang: no process is left behind" bash -c "! pgrep -f 'sleep 27[1][.]5' >/dev/null"
end=$(date +%s)
check "hang: the run ended (in $((end - start)) s)" test $((end - start)) -lt 60

# Shards: 1/2 and 2/2 together are the whole suite, without overlap.
run --shard 1/2 --json "$tmp/s1.json" "$tmp/smoke.yaml" >/dev/null 2>&1
run --shard 2/2 --json "$tmp/s2.json" "$tmp/smoke.yaml" >/dev/null 2>&1
ids() { grep -o '"id": *"smoke/[a-z-]*"' "$@" | sed 's/.*"smoke/smoke/; s/"$//' | sort; }
check "shards: 1/2 + 2/2 = the four scenarios once each" \
  bash -c "[ \"\$( (cat '$tmp/s1.json'; cat '$tmp/s2.json') | grep -o '\"id\": *\"smoke/[a-z-]*\"' | sort -u | wc -l)\" = 4 ] &&
           [ \"\$( (cat '$tmp/s1.json'; cat '$tmp/s2.json') | grep -o '\"id\": *\"smoke/[a-z-]*\"' | wc -l)\" = 4 ]"

# Captures: tshark decrypts the handshake with the key log of the run.
mkdir "$tmp/cap"
run --filter smoke/established --capture "$tmp/cap" "$tmp/smoke.yaml" >/dev/null 2>&1
pcap=$(ls "$tmp/cap"/*.pcap 2>/dev/null | head -1)
check "capture: a pcap and a key log" test -n "$pcap" -a -s "${pcap%.pcap}.keys"
if command -v tshark >/dev/null 2>&1 && [ -n "$pcap" ]; then
  types=$(tshark -r "$pcap" -o "tls.keylog_file:${pcap%.pcap}.keys" -Y tls -T fields \
    -e tls.handshake.type 2>/dev/null | tr ',\n' '  ')
  for t in 1 2 8 11 15 20; do
    check "capture: tshark shows handshake type $t decrypted" \
      bash -c "grep -qw $t <<<'$types'"
  done
else
  check "capture: tshark is installed (scripts/setup installs it)" false
fi

# Transcripts: per run, what each side received, as fuzz seeds (a 0 byte, then the stream); the
# fuzz targets take them.
mkdir "$tmp/tr"
run --filter smoke/established --record-transcripts "$tmp/tr" "$tmp/smoke.yaml" >/dev/null 2>&1
seed=$(ls "$tmp/tr/fuzz_server"/* 2>/dev/null | head -1)
check "transcripts: a fuzz_server seed and a fuzz_client seed" \
  test -s "$seed" -a "$(ls "$tmp/tr/fuzz_client" 2>/dev/null | wc -l)" -eq 1
check "transcripts: the server's starts 00 16 03 (a 0 byte, then the ClientHello record)" \
  test "$(head -c 3 "$seed" | od -An -tx1 | tr -d ' \n')" = 001603
if [ -x "$bindir/fuzz_server" ]; then
  check "transcripts: fuzz_server runs them" "$bindir/fuzz_server" -runs=0 "$tmp/tr/fuzz_server"
  check "transcripts: fuzz_client runs them" "$bindir/fuzz_client" -runs=0 "$tmp/tr/fuzz_client"
fi

# A live server target: tg-peer-builtin --listen, which the runner connects to per scenario.
"$bindir/tg-peer-builtin" --role server --listen 127.0.0.1:0 --echo \
  --cert "$src/vectors/scenarios/certs/server.pem" --key "$src/vectors/scenarios/certs/server.key" \
  >/dev/null 2>"$tmp/listen.err" &
listener=$!
for _ in $(seq 100); do grep -q "listening on" "$tmp/listen.err" && break; sleep 0.05; done
port=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$tmp/listen.err" | head -1)
run --target "tcp://127.0.0.1:$port" --role server "$tmp/smoke.yaml" >"$tmp/live.out" 2>&1
rc=$?
kill "$listener" 2>/dev/null
wait "$listener" 2>/dev/null
check "live server target: exit 0" test $rc -eq 0
check "live server target: the three server scenarios pass" \
  test "$(grep -c '^smoke/.* pass' "$tmp/live.out")" -eq 3
check "live server target: the client scenario is a skip" \
  bash -c "grep '^smoke/bad-finished-from-server' '$tmp/live.out' | grep -q skip"

# Command targets: a program started per scenario (here the built-in adapter, as a user would
# start gnutls-serv or openssl s_client), with the port and certificate paths filled in.
run --target-cmd "$bindir/tg-peer-builtin --role server --listen 127.0.0.1:{port} --echo \
--cert {cert} --key {key}" --role server "$tmp/smoke.yaml" >"$tmp/cmd.out" 2>&1
check "command server target: exit 0" test $? -eq 0
check "command server target: the three server scenarios pass" \
  test "$(grep -c '^smoke/.* pass' "$tmp/cmd.out")" -eq 3
run --target-cmd "$bindir/tg-peer-builtin --role client --connect {host}:{port} --echo \
--trust {ca} --verify-name {name}" --role client --filter 'smoke/bad-finished-from-server' \
  "$tmp/smoke.yaml" >"$tmp/cmdc.out" 2>&1
check "command client target: exit 0" test $? -eq 0
check "command client target: the client scenario passes" \
  grep -q '^smoke/bad-finished-from-server *pass' "$tmp/cmdc.out"
run --target-cmd "false" --role server --filter smoke/established "$tmp/smoke.yaml" \
  >"$tmp/cmdbad.out" 2>&1
check "a command that never listens: inconclusive, exit 1" \
  bash -c "test $? -eq 1 && grep -q inconclusive '$tmp/cmdbad.out'"

# A deviation that never fires makes the run inconclusive, not "the target accepted it": with
# client authentication the client's last flight is Certificate, CertificateVerify, Finished in
# one record, which starts with the Certificate, so a record injected before the one that starts
# with the Finished never goes on the wire.
cat >"$tmp/unfired.yaml" <<'YAML'
scenarios:
  - id: unfired/inject-before-finished-with-client-auth
    rfc: RFC 8446 5.1
    target: server
    target_options: {require_client_cert: true}
    endpoint: {cert: client, deviations: ["inject_record:21:0150@finished"]}
    script:
      - send: client_hello
      - expect: alert
YAML
run --peer builtin "$tmp/unfired.yaml" >"$tmp/unfired.out" 2>&1
check "a deviation that never fired: exit 1" test $? -eq 1
check "... inconclusive, naming the deviation" \
  grep -q "deviation inject_record:21:0150@finished never fired  \\[inconclusive\\]" "$tmp/unfired.out"

# A baselined deviation whose behaviour changes is unexpected: GnuTLS's baseline records
# internal_error for a truncated CertificateVerify; a copy recording another alert (as if GnuTLS
# had changed its answer) makes the same run exit 1, and the real entry exit 0.
if [ -x "$bindir/tg-peer-gnutls" ]; then
  id=certificates/cv-truncated
  cat >"$tmp/gnutls-true.yaml" <<'YAML'
implementation: gnutls
deviations:
  - id: certificates/cv-truncated
    verdict: lenient
    observed: alert internal_error
    reason: "the shipped entry"
YAML
  sed 's/observed: alert internal_error/observed: alert illegal_parameter/' \
    "$tmp/gnutls-true.yaml" >"$tmp/gnutls-changed.yaml"
  run --peer gnutls --baseline "$tmp/gnutls-true.yaml" --filter "$id" >"$tmp/alert-same.out" 2>&1
  check "baseline: the recorded alert is an xfail, exit 0" test $? -eq 0
  run --peer gnutls --baseline "$tmp/gnutls-changed.yaml" --filter "$id" >"$tmp/alert-changed.out" 2>&1
  check "baseline: another alert than the recorded one exits 1" test $? -eq 1
  check "baseline: ... and says what changed" \
    grep -q "the baseline records alert illegal_parameter, this run saw alert internal_error" \
    "$tmp/alert-changed.out"
fi

# endpoint rng_seed: the scripted client's ClientHello (its random and key share) is the same
# on every run with the same seed, and differs between two runs without one. The ClientHello is
# the first record the target receives (its recorded transcript, fuzz_server/).
hello_of() { # SEED (or "") -> the first 190 bytes the target received, as hex
  local dir=$tmp/seed-$RANDOM
  sed "s/RNGSEED/$1/" "$tmp/seed.yaml.in" | { [ -n "$1" ] && cat || sed '/rng_seed/d'; } >"$tmp/seed.yaml"
  run --peer builtin --no-baseline --record-transcripts "$dir" "$tmp/seed.yaml" >/dev/null 2>&1
  head -c 190 "$dir/fuzz_server/seed_hello-builtin" | od -An -tx1 | tr -d ' \n'
}
cat >"$tmp/seed.yaml.in" <<'YAML'
scenarios:
  - id: seed/hello
    rfc: RFC 8446 4.1.2
    target: server
    endpoint: {rng_seed: "RNGSEED"}
    script:
      - expect: established
YAML
a=$(hello_of 0102) b=$(hello_of 0102) c=$(hello_of "") d=$(hello_of "")
check "rng_seed: the same seed sends the same ClientHello twice" test -n "$a" -a "$a" = "$b"
check "rng_seed: without a seed two ClientHellos differ" test -n "$c" -a "$c" != "$d"
check "rng_seed: another seed sends another ClientHello" test "$(hello_of 0103)" != "$a"

echo "run.sh: $fails failed"
[ "$fails" -eq 0 ]
