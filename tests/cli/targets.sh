#!/usr/bin/env bash
# Live targets described by profiles (docs/targets.md): the default suite against each shipped tool
# target (vectors/targets/*.yaml: openssl s_server, gnutls-serv, openssl s_client, gnutls-cli,
# curl) with no unexpected result, the scenarios a target is not configured for skipped with the
# reason, and a profile that lies about its target caught; --timeout; profile errors as
# FILE:LINE:COLUMN with exit 2.
#   targets.sh TLSGAUNTLET SOURCE_DIR
# In the sanitizer build (TG_SANITIZED=1) the whole-suite runs are left to the plain build: they
# judge the profiles and baselines, and the small runs below exercise the same code.
set -u
tg=$1
src=$2
. "$(dirname "$0")/lib.sh"
run() { "$tg" run --scenarios "$src/vectors/scenarios" --quiet "$@"; }
# The number of results with verdict V in a JSON report.
count() { python3 -c 'import json,sys; print(sum(r["verdict"] == sys.argv[2] for r in json.load(open(sys.argv[1]))["results"]))' "$@"; }
# The got text of scenario ID in a JSON report.
got_of() { python3 -c 'import json,sys; print(next(r["got"] for r in json.load(open(sys.argv[1]))["results"] if r["id"] == sys.argv[2]))' "$@"; }

# ---- The shipped tool targets, the whole default suite --------------------------------------
if [ "${TG_SANITIZED:-0}" != 1 ]; then
  for p in openssl-s_server gnutls-serv openssl-s_client gnutls-cli curl; do
    run --profile "$src/vectors/targets/$p.yaml" --jobs 2 --json "$tmp/$p.json" >"$tmp/$p.out" 2>&1
    rc=$?
    check "$p: the default suite, no unexpected result (exit $rc)" test $rc -eq 0
    [ $rc -eq 0 ] || sed -n '/^Unexpected results/,$p' "$tmp/$p.out" | head -20
    check "$p: more than 100 scenarios played and passed" test "$(count "$tmp/$p.json" pass)" -gt 100
  done
  # A server that is not set up for client certificates: those scenarios skip, saying so.
  played_mtls=$(python3 -c 'import json,sys; print(sum(r["id"].startswith("mtls/") and r["verdict"] != "skip" for r in json.load(open(sys.argv[1]))["results"]))' "$tmp/openssl-s_server.json")
  check "openssl-s_server: mtls scenarios play ($played_mtls; its command requires client certificates per scenario)" \
    test "$played_mtls" -gt 10
  check "s_client: a scenario for a server target skips as such" \
    grep -q "the scenario needs a server target" "$tmp/openssl-s_client.json"
fi

# ---- What a profile says decides what runs -------------------------------------------------
# gnutls-serv told it never asks for client certificates: the scenarios that need it skip.
sed -e 's/{?require_client_cert:[^}]*}//' -e 's/{!require_client_cert:\([^}]*\)}/\1/' \
  "$src/vectors/targets/gnutls-serv.yaml" >"$tmp/no-mtls.yaml"
run --profile "$tmp/no-mtls.yaml" --filter 'mtls/expired*' --filter 'handshake/client-certificate-verify-skipped' \
  --json "$tmp/no-mtls.json" >/dev/null 2>&1
check "a server without client auth: mtls/expired skips" test "$(count "$tmp/no-mtls.json" skip)" -eq 3
check "... saying it needs a server that requires client certificates" \
  grep -q "needs a server that requires client certificates" "$tmp/no-mtls.json"

# A profile that lies: s_server said to echo, which it does not. The runs that need the echo fail
# (timeout), so the lie shows.
sed -e 's/^after_handshake: .*/after_handshake: echo/' "$src/vectors/targets/openssl-s_server.yaml" \
  >"$tmp/lying.yaml"
run --profile "$tmp/lying.yaml" --timeout 1500 --filter 'post-handshake/echo-16' --json "$tmp/lying.json" \
  >/dev/null 2>&1
rc=$?
check "a profile claiming an echo s_server lacks: exit 1" test $rc -eq 1
check "... the echo scenario times out" test "$(count "$tmp/lying.json" timeout)" -eq 1
check "... within the --timeout given" grep -q "within 1500 ms" "$tmp/lying.json"
# The truthful profile concludes that scenario at the handshake.
run --profile "$src/vectors/targets/openssl-s_server.yaml" --filter 'post-handshake/echo-16' \
  --json "$tmp/truth.json" >/dev/null 2>&1
check "the handshake-only s_server passes echo-16 (concluded at the handshake)" \
  test "$(count "$tmp/truth.json" pass)" -eq 1
check "... and the transcript says so" grep -q "the run concludes at the handshake" "$tmp/truth.json"
# A handshake-only target cannot show what it did with records after the handshake.
run --profile "$src/vectors/targets/openssl-s_server.yaml" \
  --filter 'record/zero-length-application-data-many' --json "$tmp/tail.json" >/dev/null 2>&1
check "handshake-only: records judged only by the closing data skip" \
  grep -q "only the data after step" "$tmp/tail.json"

# An HTTP server (s_server -www answers one GET, then closes): the script's data becomes the
# request and any answer holds `expect: data`; scenarios with two exchanges skip.
sed -e 's/-naccept 1 -quiet/-naccept 1 -quiet -www/' -e 's/^after_handshake: .*/after_handshake: http/' \
  "$src/vectors/targets/openssl-s_server.yaml" >"$tmp/www.yaml"
run --profile "$tmp/www.yaml" --filter 'post-handshake/echo-*' --filter 'post-handshake/close-notify' \
  --json "$tmp/www.json" >/dev/null 2>&1
rc=$?
check "s_server -www as an http target: the echo scenarios pass (exit $rc)" test $rc -eq 0
check "... all played" test "$(count "$tmp/www.json" pass)" -ge 7

# Conditional pieces of the command: the client-auth flags only where the scenario wants them.
run --profile "$src/vectors/targets/gnutls-serv.yaml" --filter 'mtls/expired*tls13*' \
  --filter 'post-handshake/echo-16' --json "$tmp/cond.json" >/dev/null 2>&1
python3 - "$tmp/cond.json" >"$tmp/cond.txt" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["id"], r["transcript"].splitlines()[1])
PY
check "{?require_client_cert:...}: in the mtls scenario's command" \
  grep -q '^mtls/expired.* --require-client-cert --verify-client-cert --x509cafile .*/root.pem' "$tmp/cond.txt"
check "{!require_client_cert:...}: the other one's" \
  grep -q '^post-handshake/echo-16 .*--disable-client-cert' "$tmp/cond.txt"
check "... and not both" bash -c "! grep -q 'disable-client-cert.*require-client-cert\|require-client-cert.*disable-client-cert' '$tmp/cond.txt'"

# A live server (not a command) with a profile: tg-peer-builtin --listen, TLS 1.2 only.
bindir=$(dirname "$tg")
"$bindir/tg-peer-builtin" --role server --listen 127.0.0.1:0 --echo --max-version 1.2 \
  --cert "$src/vectors/scenarios/certs/server.pem" --key "$src/vectors/scenarios/certs/server.key" \
  >/dev/null 2>"$tmp/listen.err" &
listener=$!
pids+=("$listener")
for _ in $(seq 100); do grep -q "listening on" "$tmp/listen.err" && break; sleep 0.05; done
port=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$tmp/listen.err" | head -1)
cat >"$tmp/live.yaml" <<YAML
name: builtin-tls12
role: server
target: tcp://127.0.0.1:$port
versions: ["1.2"]
certificate: server
after_handshake: echo
YAML
run --profile "$tmp/live.yaml" --filter 'tls12/*' --filter 'post-handshake/echo-16' \
  --json "$tmp/live.json" >"$tmp/live.out" 2>&1
check "a TLS 1.2-only live server: a TLS 1.3 scenario skips for its version" \
  test "$(got_of "$tmp/live.json" post-handshake/echo-16)" = "needs a target with TLS 1.2 and 1.3 (the profile: TLS 1.2)"
check "... and TLS 1.2 scenarios pass against it" test "$(count "$tmp/live.json" pass)" -gt 10

# ---- Bad input ------------------------------------------------------------------------------
printf 'name: x\nrole: server\ncommand: "true"\nversions: [1.2, 1.4]\n' >"$tmp/bad1.yaml"
out=$("$tg" run --profile "$tmp/bad1.yaml" 2>&1)
rc=$?
check "an unknown version: exit 2 ($rc)" test $rc -eq 2
check "... at FILE:4:17" grep -q "bad1.yaml:4:17: " <<<"$out"
printf 'name: x\nrole: server\ncolour: blue\n' >"$tmp/bad2.yaml"
out=$("$tg" run --profile "$tmp/bad2.yaml" 2>&1)
rc=$?
check "an unknown key: exit 2 ($rc)" test $rc -eq 2
check "... at FILE:3:1" grep -q "bad2.yaml:3:1: " <<<"$out"
printf 'name: x\nrole: server\n' >"$tmp/bad3.yaml"
out=$("$tg" run --profile "$tmp/bad3.yaml" 2>&1)
rc=$?
check "neither target: nor command:: exit 2 ($rc)" test $rc -eq 2
check "... saying so" grep -q "has neither target: nor command:" <<<"$out"
out=$("$tg" run --profile "$src/vectors/targets/curl.yaml" --role server 2>&1)
rc=$?
check "--role against the profile's: exit 2 ($rc)" test $rc -eq 2
check "... saying so" grep -q "contradicts" <<<"$out"
out=$("$tg" run --profile "$src/vectors/targets/curl.yaml" --peer builtin 2>&1)
check "--profile with --peer: exit 2" test $? -eq 2
out=$("$tg" run --timeout 0 2>&1)
check "--timeout 0: exit 2" test $? -eq 2

finish targets
