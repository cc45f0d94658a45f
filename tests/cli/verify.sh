#!/usr/bin/env bash
# tlsgauntlet verify: every entry of vectors/x509/chains.yaml through the built-in validator in
# one --manifest --json run (both profiles), and through GnuTLS, OpenSSL and BoringSSL in one
# more; then the single-chain command line: exit codes, the text and JSON rows (path and TLS
# usage apart, --explain), malformed chain members as verdicts, --profile, adapters that are
# broken or cannot express a profile, and bad input (exit 2).
#   verify.sh TLSGAUNTLET SOURCE_DIR
set -u
bin=$1 src=$2
. "$(dirname "$0")/lib.sh"
need_python3
manifest=$src/vectors/x509/chains.yaml
dir=$src/vectors/x509/chains
contains() { grep -qF -- "$2" <<<"$1"; }
# py JSON CODE [ARG...]: runs CODE with d = the JSON (ARGs from sys.argv[2]); an assertion failure prints its message.
py() {
  local j=$1 code=$2
  shift 2
  python3 -c 'import json, sys
d = json.loads(sys.argv[1])
'"$code" "$j" "$@"
}

# ---- The manifest: every chain, both profiles, through the built-in validator ---------------
out=$("$bin" verify --manifest "$manifest" --json); rc=$?
check "--manifest --json exits 0" test $rc -eq 0
check "--manifest: the built-in validator agrees with every entry under both profiles" py "$out" '
assert d["profiles"] == ["rfc5280", "webpki"], d["profiles"]
assert d["disagreeing"] == 0, [(x["id"], x["results"]) for x in d["disagreements"]]
assert d["differ_from_manifest"] == {"builtin": 0, "builtin/webpki": 0}, d["differ_from_manifest"]'
count=$(py "$out" 'print(d["chains"])')
# Each entry is a "- id:" line; the loader must have read them all.
check "--manifest read every entry ($count)" test "$count" = "$(grep -c '^- id: ' "$manifest")"
check "the manifest has at least 80 chains" test "${count:-0}" -ge 80
out=$("$bin" verify --manifest "$manifest" --profile webpki --json); rc=$?
check "--manifest --profile webpki checks that profile only" py "$out" '
assert d["profiles"] == ["webpki"] and d["disagreeing"] == 0, d
assert d["differ_from_manifest"] == {"builtin": 0}, d'
# A manifest whose expectation is wrong: the built-in row differs, the run still exits 0.
sed 's/^  reason: expired$/  reason: not_yet_valid/' "$manifest" >"$tmp/chains.yaml"
ln -s "$(cd "$dir" && pwd)" "$tmp/chains"
out=$("$bin" verify --manifest "$tmp/chains.yaml"); rc=$?
n_expired=$(grep -c '^  reason: expired$' "$manifest")
check "a wrong expectation is a finding, exit 0" test $rc -eq 0
check "each wrong expectation is a disagreement ($n_expired)" contains "$out" \
  "differ from the manifest: builtin $n_expired, builtin/webpki "
check "the row names the manifest's verdict and the built-in one" contains "$out" \
  "expired-leaf  manifest  invalid  not_yet_valid"

# ---- The manifest through the three libraries ------------------------------------------------
# In the sanitizer build (TG_SANITIZED=1) the adapters' code is what is checked, not every chain
# through each library (an instrumented adapter per chain and library is most of this script's
# time there): three chains of the manifest's directory, one the libraries disagree on.
lib_manifest=$manifest lib_count=$count
if [ "${TG_SANITIZED:-0}" = 1 ]; then
  mkdir "$tmp/few" && ln -s "$(cd "$dir" && pwd)" "$tmp/few/chains"
  entry() { # ID LEAF UNTRUSTED VERDICT REASON WEBPKI-VERDICT WEBPKI-REASON (as chains.yaml)
    printf -- '- id: %s\n  leaf: %s\n  untrusted: "%s"\n  trust: "root.pem"\n  name: www.example.com\n  time: 2026-06-01T00:00:00Z\n  verdict: %s\n  reason: %s\n  webpki_verdict: %s\n  webpki_reason: %s\n' \
      "$@"
  }
  { entry cn-only leaf_cn.pem int_ed.pem invalid name_mismatch invalid profile_violation
    entry expired-leaf leaf_expired.pem int_ed.pem invalid expired invalid expired
    entry valid-3level-ed25519 leaf_ok.pem int_ed.pem valid ok invalid profile_violation
  } >"$tmp/few/chains.yaml"
  lib_manifest=$tmp/few/chains.yaml lib_count=3
fi
out=$("$bin" verify --manifest "$lib_manifest" --peer builtin --peer gnutls --peer openssl \
  --peer boringssl --explain); rc=$?
check "--manifest with the libraries exits 0" test $rc -eq 0
check "--manifest prints a summary over every chain" contains "$out" "summary: $lib_count chains"
check "--manifest: builtin agrees with the manifest" contains "$out" \
  "differ from the manifest: builtin 0, builtin/webpki 0, gnutls"
check "--manifest lists a known disagreement (CN fallback)" contains "$out" \
  "cn-only  manifest  invalid  name_mismatch"
check "--manifest --explain shows what the built-in one was asked" contains "$out" \
  "asked: profile=webpki purpose=server name=www.example.com time=2026-06-01T00:00:00Z"

# ---- One chain: exit codes and rows ----------------------------------------------------------
T=2026-06-01T00:00:00Z
ok=(--trust "$dir/root.pem" --untrusted "$dir/int_ed.pem" --name www.example.com --time "$T")
out=$("$bin" verify "${ok[@]}" "$dir/leaf_ok.pem"); rc=$?
check "valid chain exits 0" test $rc -eq 0
check "valid: path and TLS usage apart" contains "$out" \
  "builtin  valid  ok  | path (RFC 5280 6): ok; TLS usage (RFC 8446 4.4.2.2): ok"
check "the path ends at the root" contains "$out" "2  CN=TG Chains Root, O=tlsgauntlet chains"
check "no --explain, no asked line" bash -c '! grep -q "asked:" <<<"$1"' _ "$out"
out=$("$bin" verify "${ok[@]}" --explain "$dir/leaf_expired.pem"); rc=$?
check "expired leaf exits 1" test $rc -eq 1
check "expired: verdict, reason and alert" contains "$out" "builtin  invalid  expired  certificate_expired  | path (RFC 5280 6): "
check "--explain: the built-in one's parameters" contains "$out" \
  "  asked: profile=rfc5280 purpose=server name=www.example.com time=$T"
out=$("$bin" verify "${ok[@]}" --profile webpki --purpose client "$dir/leaf_ok.pem")
check "--profile webpki names the profile's rules" contains "$out" "path (RFC 5280 6 + webpki): "
out=$("$bin" verify "${ok[@]}" --explain --json "$dir/leaf_expired.pem"); rc=$?
check "--json invalid exits 1" test $rc -eq 1
check "--json: reasons apart, alert, asked" py "$out" '
r = d["results"][0]
assert d["profile"] == "rfc5280" and r["profile"] == "rfc5280", d
assert r["reason"] == "expired" and r["alert"] == "certificate_expired", r
names = ("ok", "expired", "not_yet_valid", "bad_key_usage", "bad_ext_key_usage", "name_mismatch")
assert r["path_reason"] in names and r["usage_reason"] in names, r
assert r["check"] is None and r["source"] is None, r
assert r["asked"].startswith("profile=rfc5280 purpose=server"), r'
# The leaf file may carry the intermediates after the leaf, with text around the blocks.
"$bin" verify --trust "$dir/root.pem" --time "$T" "$dir/chain_with_text.pem" >/dev/null; rc=$?
check "a leaf file with its intermediate and text between the blocks exits 0" test $rc -eq 0
openssl x509 -in "$dir/leaf_root.pem" -outform DER -out "$tmp/leaf.der" 2>/dev/null &&
  { "$bin" verify --trust "$dir/root.pem" --time "$T" "$tmp/leaf.der" >/dev/null; rc=$?
    check "a DER leaf exits 0" test $rc -eq 0; }
"$bin" verify --trust "$dir/root.pem" --untrusted "$dir/int_ed.pem" --time @1780272000 \
  "$dir/leaf_ok.pem" >/dev/null; rc=$?
check "--time @SECONDS exits 0" test $rc -eq 0

# ---- Certificates that do not parse: verdicts, not bad input ---------------------------------
malformed() { # DESCRIPTION FILE ARGS...: exit 1, malformed, the file and the parser's message
  local what=$1 file=$2; shift 2
  out=$("$bin" verify "$@" 2>&1); rc=$?
  check "$what: exit 1" test $rc -eq 1
  check "$what: invalid malformed" contains "$out" \
    "builtin  invalid  malformed  bad_certificate  | path (RFC 5280 6): malformed; TLS usage (RFC 8446 4.4.2.2): not checked"
  check "$what: names the file and the check" contains "$out" "$file: bad_certificate: "
}
printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' >"$tmp/bad.pem"
malformed "a leaf that does not parse" bad.pem --trust "$dir/root.pem" "$tmp/bad.pem"
malformed "an intermediate of version 4" mal_int_version4.pem --trust \
  "$dir/root.pem" --untrusted "$dir/mal_int_version4.pem" --time "$T" "$dir/leaf_ok.pem"
check "it says why" contains "$out" "TBSCertificate.version is 3"
malformed "a trust anchor that does not parse" bad.pem --trust "$tmp/bad.pem" "$dir/leaf_ok.pem"
# --peer all still shows the other implementations when the built-in one cannot parse a chain
# member (here a fake GnuTLS adapter that answers, beside the real ones).
mkdir "$tmp/bin" && cp "$bin" "$tmp/bin/tlsgauntlet"
cat >"$tmp/bin/tg-peer-gnutls" <<'EOF'
#!/bin/sh
echo "{\"implementation\":\"gnutls\",\"verdict\":\"valid\",\"reason\":\"ok\",\"flags\":\"ARGS $*\"}"
EOF
chmod +x "$tmp/bin/tg-peer-gnutls"
out=$(env -u TG_PEER_DIR "$tmp/bin/tlsgauntlet" verify "${ok[@]}" --peer all --explain \
  --untrusted "$dir/mal_int_truncated.pem" "$dir/leaf_ok.pem" 2>/dev/null); rc=$?
check "--peer all with a malformed intermediate: exit 1" test $rc -eq 1
check "--peer all: the built-in row is malformed" contains "$out" "builtin  invalid  malformed"
check "--peer all: the adapter's row is there" contains "$out" "gnutls  valid  ok"
check "--explain: an adapter's flags as it printed them" contains "$out" "  asked: ARGS --verify "
check "no --profile: the adapter is not passed one" bash -c '! grep -q -- "--profile" <<<"$1"' _ "$out"

# ---- --profile and adapters that cannot express it -------------------------------------------
cat >"$tmp/bin/tg-peer-gnutls" <<'EOF'
#!/bin/sh
case " $* " in
*" --profile webpki "*)
  echo '{"implementation":"gnutls","error_class":"unsupported","error":"no strict mode here"}'
  exit 3 ;;
esac
echo '{"implementation":"gnutls","verdict":"invalid","reason":"expired"}'
exit 1
EOF
out=$(env -u TG_PEER_DIR "$tmp/bin/tlsgauntlet" verify "${ok[@]}" --peer gnutls --profile webpki \
  --explain "$dir/leaf_ok.pem" 2>&1); rc=$?
check "an adapter that exits 3 changes no exit status (alone: 0)" test $rc -eq 0
check "it is an unsupported row with its reason" contains "$out" "gnutls  unsupported"
check "the reason is the adapter's" contains "$out" "  no strict mode here"
check "--explain: an adapter without flags shows -" contains "$out" "  asked: -"
# Two chains of the manifest's directory (a run over every chain would only take longer).
for id in one two; do
  printf -- '- id: %s\n  leaf: leaf_ok.pem\n  untrusted: "int_ed.pem"\n  trust: "root.pem"\n  time: %s\n  verdict: valid\n  reason: ok\n' \
    "$id" "$T"
done >"$tmp/chains.yaml"
out=$(env -u TG_PEER_DIR "$tmp/bin/tlsgauntlet" verify --manifest "$tmp/chains.yaml" \
  --peer gnutls --profile webpki --json); rc=$?
check "--manifest --profile webpki: unsupported rows are counted apart" py "$out" "
assert d['unsupported'] == {'gnutls': 2}, d['unsupported']
assert d['differ_from_manifest'] == {'gnutls': 0}, d['differ_from_manifest']"
# A broken adapter is an error row; the others still run.
printf '#!/bin/sh\necho garbage\nexit 1\n' >"$tmp/bin/tg-peer-gnutls"
out=$(env -u TG_PEER_DIR "$tmp/bin/tlsgauntlet" verify "${ok[@]}" --peer all "$dir/leaf_ok.pem" \
  2>"$tmp/err"); rc=$?
check "a broken adapter makes the run exit 1" test $rc -eq 1
check "a broken adapter is an error row" contains "$out" "gnutls  error"
check "--peer all: a missing adapter has no row" bash -c '! grep -q "^openssl " <<<"$1"' _ "$out"
check "--peer all: a missing adapter is named on stderr, once" \
  test "$(grep -c 'tg-peer-openssl not found: configure did not find libssl-dev' "$tmp/err")" -eq 1
check "the built-in row is still there" contains "$out" "builtin  valid  ok"
out=$(env -u TG_PEER_DIR "$tmp/bin/tlsgauntlet" verify "${ok[@]}" --peer builtin --peer openssl \
  "$dir/leaf_ok.pem" 2>/dev/null); rc=$?
check "--peer openssl without its adapter exits 1" test $rc -eq 1
check "--peer openssl without its adapter is an error row" contains "$out" "openssl  error  "

# ---- The real adapters on one chain ----------------------------------------------------------
# The chain of the scenario suite (ECDSA P-256 throughout) is one every library here validates;
# the manifest's Ed25519 chains are not (wolfSSL, NSS and Mbed TLS lack Ed25519 certificates).
certs=$src/vectors/scenarios/certs
# A generous deadline: a loaded machine must not drop an adapter from the list.
built=$(env -u TG_PEER_DIR "$bin" peers --json --timeout-ms 30000)
mapfile -t verifiers < <(py "$built" 'print("\n".join(p["name"] for p in d
    if p["registry"] and p["registry"]["verify"] and p["status"] == "ok"))')
check "every registered library with path validation is built here (${#verifiers[@]})" \
  test "${#verifiers[@]}" -ge 4
out=$("$bin" verify --trust "$certs/root.pem" --name server.test --peer all "$certs/server.pem")
rc=$?
check "--peer all on a valid chain exits 0" test $rc -eq 0
for p in "${verifiers[@]}"; do
  check "--peer all: $p says valid" contains "$out" "$p  valid  ok"
done
out=$("$bin" verify --trust "$certs/root.pem" --name wrong.test --peer all --json "$certs/server.pem")
rc=$?
check "--peer all on a wrong name exits 1" test $rc -eq 1
check "--peer all --json: a row per built adapter, all invalid name_mismatch" py "$out" '
built = sys.argv[2].split()
assert {"boringssl", "builtin", "gnutls", "openssl"} <= set(built), built
assert [r["implementation"] for r in d["results"]] == built, d["results"]
assert all(r["verdict"] == "invalid" and r["reason"] == "name_mismatch" for r in d["results"])' \
  "${verifiers[*]}"

# ---- Bad input: exit 2 and the file or argument named ----------------------------------------
bad() { # DESCRIPTION NEEDLE ARGS...
  local what=$1 needle=$2; shift 2
  err=$("$bin" verify "$@" 2>&1 >/dev/null); rc=$?
  check "$what exits 2" test $rc -eq 2
  check "$what names $needle" contains "$err" "$needle"
}
bad "missing leaf file" "nope.pem" --trust "$dir/root.pem" "$tmp/nope.pem"
bad "missing trust file" "missing.pem" --trust "$tmp/missing.pem" "$dir/leaf_ok.pem"
printf 'not a certificate\n' >"$tmp/junk.pem"
bad "trust file without PEM" "junk.pem" --trust "$tmp/junk.pem" "$dir/leaf_ok.pem"
bad "an intermediate file without PEM after a malformed one" "junk.pem" --trust "$dir/root.pem" \
  --untrusted "$dir/mal_int_truncated.pem" --untrusted "$tmp/junk.pem" "$dir/leaf_ok.pem"
: >"$tmp/empty.der"
bad "an empty leaf file" "empty.der" --trust "$dir/root.pem" "$tmp/empty.der"
printf -- '-----BEGIN CERTIFICATE-----\nA!AA\n-----END CERTIFICATE-----\n' >"$tmp/b64.pem"
bad "bad base64" "b64.pem" --trust "$dir/root.pem" "$tmp/b64.pem"
bad "bad time" "--time" --trust "$dir/root.pem" --time 2026-13-01 "$dir/leaf_ok.pem"
bad "no 29 February in 2023" "--time" --trust "$dir/root.pem" --time 2023-02-29 "$dir/leaf_ok.pem"
bad "@SECONDS beyond 64 bits" "--time" --trust "$dir/root.pem" --time @99999999999999999999 \
  "$dir/leaf_ok.pem"
bad "bad purpose" "--purpose" --trust "$dir/root.pem" --purpose email "$dir/leaf_ok.pem"
bad "bad profile" "--profile 'strict' is not rfc5280 or webpki" --trust "$dir/root.pem" \
  --profile strict "$dir/leaf_ok.pem"
bad "an unknown peer" "is not one of: builtin, gnutls" --peer nosuch --trust "$dir/root.pem" \
  "$dir/leaf_ok.pem"
bad "--manifest with a leaf" "--manifest takes no LEAF" --manifest "$manifest" "$dir/leaf_ok.pem"
bad "--manifest not .yaml" "not a NAME.yaml" --manifest "$tmp/junk.pem"
printf -- '- id: a\n  leaf: l.pem\n  trust: r.pem\n  time: 2026-01-01\n  verdict: valid\n  reason: expired\n' \
  >"$tmp/m.yaml"
bad "a malformed manifest" "m.yaml:5:12: verdict valid with reason expired" --manifest "$tmp/m.yaml"
sed 's/expired/ok/' "$tmp/m.yaml" >"$tmp/m2.yaml"
bad "a manifest entry whose file is missing" "(in the chain 'a', $tmp/m2.yaml line 1)" \
  --manifest "$tmp/m2.yaml"
bad "no --trust" "--trust" "$dir/leaf_ok.pem"
bad "no leaf" "LEAF" --trust "$dir/root.pem"

finish verify
