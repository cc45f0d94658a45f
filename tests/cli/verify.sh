#!/usr/bin/env bash
# tlsgauntlet verify over every entry of vectors/x509/chains.yaml (verdict, reason, exit code),
# then --json, --peer and the bad-input cases.
#   verify.sh TLSGAUNTLET SOURCE_DIR
set -u
bin=$1 src=$2
dir=$src/vectors/x509/chains
fails=0 count=0
check() { # DESCRIPTION CONDITION...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
contains() { grep -qF -- "$2" <<<"$1"; }

# The manifest is flat ("- id: X" then "  key: value" lines), so awk turns each entry into one
# "|"-separated line (a tab would not do: read merges empty fields between tabs): id leaf untrusted trust name time purpose verdict reason.
entries=$(awk '
  function flush() { if (id != "") print id "|" v["leaf"] "|" v["untrusted"] "|" v["trust"] "|" v["name"] "|" v["time"] "|" v["purpose"] "|" v["verdict"] "|" v["reason"] }
  /^- id: / { flush(); id = substr($0, 7); delete v; next }
  /^  [a-z]+: / { k = $1; sub(/:$/, "", k); val = $0; sub(/^  [a-z]+: /, "", val); gsub(/^"|"$/, "", val); v[k] = val }
  END { flush() }' "$src/vectors/x509/chains.yaml")

while IFS="|" read -r id leaf untrusted trust name time purpose verdict reason; do
  args=(verify --time "$time" --purpose "$purpose")
  for f in $trust; do args+=(--trust "$dir/$f"); done
  for f in $untrusted; do args+=(--untrusted "$dir/$f"); done
  [ -n "$name" ] && args+=(--name "$name")
  if [ "$reason" = malformed ]; then
    # A leaf that does not parse is a verdict (invalid, malformed: exit 1) naming the parser's
    # bad_certificate; only unreadable or non-certificate input is bad input (exit 2).
    out=$("$bin" "${args[@]}" "$dir/$leaf"); rc=$?
    check "$id: exit 1" test $rc -eq 1
    check "$id: invalid malformed bad_certificate" contains "$out" "builtin  invalid  malformed  bad_certificate"
    count=$((count + 1))
    continue
  fi
  out=$("$bin" "${args[@]}" "$dir/$leaf"); rc=$?
  want_rc=1; [ "$verdict" = valid ] && want_rc=0
  check "$id: exit $want_rc" test $rc -eq $want_rc
  check "$id: $verdict $reason" contains "$out" "builtin  $verdict  $reason"
  count=$((count + 1))
done <<<"$entries"
check "the manifest has at least 40 entries ($count)" test "$count" -ge 40

T=2026-06-01T00:00:00Z
ok=(--trust "$dir/root.pem" --untrusted "$dir/int_ed.pem" --name www.example.com --time "$T")
out=$("$bin" verify "${ok[@]}" "$dir/leaf_ok.pem"); rc=$?
check "valid chain exits 0" test $rc -eq 0
check "the path ends at the root" contains "$out" "2  CN=TG Chains Root, O=tlsgauntlet chains"
out=$("$bin" verify "${ok[@]}" --peer builtin --json "$dir/leaf_ok.pem"); rc=$?
check "--json --peer builtin exits 0" test $rc -eq 0
check "--json has the verdict" contains "$out" '"verdict": "valid"'
out=$("$bin" verify "${ok[@]}" --json "$dir/leaf_expired.pem"); rc=$?
check "--json invalid exits 1" test $rc -eq 1
check "--json names the alert" contains "$out" '"alert": "certificate_expired"'
if command -v python3 >/dev/null 2>&1; then
  check "--json output parses" python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["results"][0]["reason"] == "expired"' <<<"$out"
fi
# The leaf file may carry the intermediates after the leaf.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat "$dir/leaf_ok.pem" "$dir/int_ed.pem" > "$tmp/chain.pem"
"$bin" verify --trust "$dir/root.pem" --time "$T" "$tmp/chain.pem" >/dev/null; rc=$?
check "a leaf file with its intermediate exits 0" test $rc -eq 0
openssl x509 -in "$dir/leaf_root.pem" -outform DER -out "$tmp/leaf.der" 2>/dev/null &&
  { "$bin" verify --trust "$dir/root.pem" --time "$T" "$tmp/leaf.der" >/dev/null; rc=$?
    check "a DER leaf exits 0" test $rc -eq 0; }
"$bin" verify --trust "$dir/root.pem" --untrusted "$dir/int_ed.pem" --time @1780272000 \
  "$dir/leaf_ok.pem" >/dev/null; rc=$?
check "--time @SECONDS exits 0" test $rc -eq 0

# Bad input: exit 2 and the file or argument named.
bad() { # DESCRIPTION NEEDLE ARGS...
  local what=$1 needle=$2; shift 2
  err=$("$bin" verify "$@" 2>&1 >/dev/null); rc=$?
  check "$what exits 2" test $rc -eq 2
  check "$what names $needle" contains "$err" "$needle"
}
bad "missing leaf file" "nope.pem" --trust "$dir/root.pem" "$tmp/nope.pem"
bad "missing trust file" "missing.pem" --trust "$tmp/missing.pem" "$dir/leaf_ok.pem"
printf 'not a certificate\n' > "$tmp/junk.pem"
bad "trust file without PEM" "junk.pem" --trust "$tmp/junk.pem" "$dir/leaf_ok.pem"
printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' > "$tmp/bad.pem"
out=$("$bin" verify --trust "$dir/root.pem" "$tmp/bad.pem"); rc=$?
check "a leaf CERTIFICATE that does not parse is invalid (exit 1)" test $rc -eq 1
check "it is reported as malformed" contains "$out" "builtin  invalid  malformed  bad_certificate"
: > "$tmp/empty.der"
bad "an empty leaf file" "empty.der" --trust "$dir/root.pem" "$tmp/empty.der"
bad "a trust CERTIFICATE that does not parse" "bad.pem" --trust "$tmp/bad.pem" "$dir/leaf_ok.pem"
printf -- '-----BEGIN CERTIFICATE-----\nA!AA\n-----END CERTIFICATE-----\n' > "$tmp/b64.pem"
bad "bad base64" "b64.pem" --trust "$dir/root.pem" "$tmp/b64.pem"
bad "bad time" "--time" --trust "$dir/root.pem" --time 2026-13-01 "$dir/leaf_ok.pem"
bad "bad time format" "--time" --trust "$dir/root.pem" --time yesterday "$dir/leaf_ok.pem"
bad "no 29 February in 2023" "--time" --trust "$dir/root.pem" --time 2023-02-29 "$dir/leaf_ok.pem"
bad "a leap second" "--time" --trust "$dir/root.pem" --time 2016-12-31T23:59:60Z "$dir/leaf_ok.pem"
bad "@SECONDS beyond 64 bits" "--time" --trust "$dir/root.pem" --time @99999999999999999999 \
  "$dir/leaf_ok.pem"
bad "@ without a number" "--time" --trust "$dir/root.pem" --time @ "$dir/leaf_ok.pem"
"$bin" verify --trust "$dir/root.pem" --untrusted "$dir/int_ed.pem" --name www.example.com \
  --time 2028-02-29 "$dir/leaf_ok.pem" >/dev/null 2>&1; rc=$?
check "29 February 2028 is a time (exit 0 or 1, not 2: $rc)" test $rc -ne 2
bad "bad purpose" "--purpose" --trust "$dir/root.pem" --purpose email "$dir/leaf_ok.pem"
bad "an unknown peer" "is not one of: builtin, gnutls" --peer nosuch --trust "$dir/root.pem" "$dir/leaf_ok.pem"
bad "--manifest with a leaf" "--manifest takes no LEAF" --manifest "$src/vectors/x509/chains.yaml" "$dir/leaf_ok.pem"
bad "--manifest not .yaml" "not a NAME.yaml" --manifest "$tmp/junk.pem"
bad "no --trust" "--trust" "$dir/leaf_ok.pem"
bad "no leaf" "LEAF" --trust "$dir/root.pem"

# --peer: the built-in row and one row per adapter (tg-peer-NAME beside tlsgauntlet). The chain
# of the scenario suite (ECDSA P-256 throughout) is one every library here can validate; the
# manifest's Ed25519 chains are not (wolfSSL, NSS and Mbed TLS lack Ed25519 certificates).
certs=$src/vectors/scenarios/certs
all=(verify "${ok[@]}" --peer all)
out=$("$bin" verify --trust "$certs/root.pem" --name server.test --peer all "$certs/server.pem")
rc=$?
check "--peer all on a valid chain exits 0" test $rc -eq 0
mapfile -t verifiers < <(env -u TG_PEER_DIR "$bin" peers --json | python3 -c 'import json, sys
for p in json.load(sys.stdin):
    if p["registry"] and p["registry"]["verify"] and p["status"] == "ok": print(p["name"])')
check "every registered library with path validation is built here (${#verifiers[@]})" \
  test "${#verifiers[@]}" -ge 4
for p in "${verifiers[@]}"; do
  check "--peer all: $p says valid" contains "$out" "$p  valid  ok"
done
out=$("$bin" "${all[@]}" "$dir/leaf_expired.pem"); rc=$?
check "--peer all on an expired leaf exits 1" test $rc -eq 1
check "--peer all: builtin says expired" contains "$out" "builtin  invalid  expired"
for p in gnutls openssl boringssl; do
  check "--peer all: $p says invalid" contains "$out" "$p  invalid  "
done
out=$("$bin" verify --trust "$certs/root.pem" --name wrong.test --peer all --json "$certs/server.pem")
rc=$?
check "--peer all on a wrong name exits 1" test $rc -eq 1
if command -v python3 >/dev/null 2>&1; then
  # The rows are the registered implementations with path validation whose adapter is built.
  built=$(env -u TG_PEER_DIR "$bin" peers --json)
  check "--peer all --json: a row per built adapter, all invalid name_mismatch" python3 -c '
import json, sys
d = json.load(sys.stdin)
built = [p["name"] for p in json.loads(sys.argv[1])
         if p["registry"] and p["registry"]["verify"] and p["status"] == "ok"]
assert {"boringssl", "builtin", "gnutls", "openssl"} <= set(built), built
assert [r["implementation"] for r in d["results"]] == built, d["results"]
assert all(r["verdict"] == "invalid" and r["reason"] == "name_mismatch" for r in d["results"])' \
    "$built" <<<"$out"
fi
# A broken adapter is an error row; the others still run.
mkdir "$tmp/bin" && cp "$bin" "$tmp/bin/tlsgauntlet"
printf '#!/bin/sh\necho garbage\nexit 1\n' > "$tmp/bin/tg-peer-gnutls" && chmod +x "$tmp/bin/tg-peer-gnutls"
out=$(env -u TG_PEER_DIR "$tmp/bin/tlsgauntlet" "${all[@]}" "$dir/leaf_ok.pem" 2>"$tmp/err")
rc=$?
check "a broken adapter makes the run exit 1" test $rc -eq 1
check "a broken adapter is an error row" contains "$out" "gnutls  error"
# --peer all leaves a registered implementation without an adapter out, and says so, once.
check "--peer all: a missing adapter has no row" bash -c '! grep -q "^openssl " <<<"$1"' _ "$out"
check "--peer all: a missing adapter is named on stderr, once" \
  test "$(grep -c 'tg-peer-openssl not found: configure did not find libssl-dev' "$tmp/err")" -eq 1
check "the built-in row is still there" contains "$out" "builtin  valid  ok"
# Named explicitly, a missing adapter is an error row.
out=$(env -u TG_PEER_DIR "$tmp/bin/tlsgauntlet" verify "${ok[@]}" --peer builtin --peer openssl \
  "$dir/leaf_ok.pem" 2>/dev/null); rc=$?
check "--peer openssl without its adapter exits 1" test $rc -eq 1
check "--peer openssl without its adapter is an error row" contains "$out" \
  "openssl  error  "

# --manifest: every chain through each implementation; disagreements are findings (exit 0).
out=$("$bin" verify --manifest "$src/vectors/x509/chains.yaml" --peer all); rc=$?
check "--manifest --peer all exits 0" test $rc -eq 0
check "--manifest prints a summary over every chain" contains "$out" "summary: $count chains"
# The built-in validator is the manifest's reference: it never differs from it.
check "--manifest: builtin agrees with the manifest" contains "$out" "differ from the manifest: builtin 0,"
check "--manifest lists a known disagreement (CN fallback)" contains "$out" "cn-only  manifest  invalid  name_mismatch"
out=$("$bin" verify --manifest "$src/vectors/x509/chains.yaml" --json); rc=$?
check "--manifest builtin --json exits 0 with no disagreement" python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["chains"] >= 40 and d["disagreeing"] == 0 and d["differ_from_manifest"] == {"builtin": 0}, d' <<<"$out"

echo "$fails failed"
[ "$fails" -eq 0 ]
