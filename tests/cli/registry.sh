#!/usr/bin/env bash
# The registry of implementations (harness/impls.c) as the commands use it, in a tree where only
# some registered adapters are built: a copy of tlsgauntlet with tg-peer-builtin and
# tg-peer-gnutls beside it, and an adapter that is not registered (tg-peer-extra) in
# $TG_PEER_DIR.
#   - peers lists the registered implementations in registry order, the missing ones as
#     "not built" with their Debian package, then the extra adapter; --json says the same and
#     carries each row's registry entry (null for the extra one);
#   - run --peer all plays the built ones only, names each missing one on stderr once, and does
#     not play the extra adapter; --peer NAME of a missing one is an error naming the package;
#   - verify --peer all does the same with its rows;
#   - one limit: at most TG_MAX_IMPLS (16) implementations in a run and in a report read back.
#   registry.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_python3
bindir=$(dirname "$tg")
scen=$src/vectors/scenarios

# The registry, in order, as the brief of issue 17 fixed it, and what this tree builds of it.
registered=(builtin gnutls openssl boringssl wolfssl nss mbedtls)
built=(builtin gnutls)
missing=(openssl boringssl wolfssl nss mbedtls)
declare -A package=([openssl]=libssl-dev [boringssl]=android-libboringssl-dev
  [wolfssl]=libwolfssl-dev [nss]=libnss3-dev [mbedtls]=libmbedtls-dev)

mkdir -p "$tmp/bin" "$tmp/extra"
cp "$tg" "$tmp/bin/tlsgauntlet"
for p in "${built[@]}"; do
  [ -x "$bindir/tg-peer-$p" ] || { echo "FAIL $bindir/tg-peer-$p is not built"; exit 1; }
  ln -s "$(realpath "$bindir/tg-peer-$p")" "$tmp/bin/tg-peer-$p"
done
printf '#!/bin/sh\nexec "%s" "$@"\n' "$(realpath "$bindir/tg-peer-builtin")" \
  >"$tmp/extra/tg-peer-extra"
chmod +x "$tmp/extra/tg-peer-extra"
tgc() { TG_PEER_DIR=$tmp/extra "$tmp/bin/tlsgauntlet" "$@"; }

# ---- peers ----------------------------------------------------------------------------------------
out=$(tgc peers 2>"$tmp/err"); rc=$?
check "peers exits 0" test $rc -eq 0
names=$(awk 'NR > 1 { printf "%s ", $1 }' <<<"$out")
check "peers: the registry in order, then the extra adapter ($names)" \
  test "$names" = "${registered[*]} extra "
for p in "${built[@]}" extra; do
  check "peers: $p is ok" grep -qE "^$p +ok +client,server" <<<"$out"
done
for p in "${missing[@]}"; do
  check "peers: $p is not built, with its package" grep -qE \
    "^$p +not built +tg-peer-$p not found: configure did not find ${package[$p]}\$" <<<"$out"
done

json=$(tgc peers --json); rc=$?
check "peers --json exits 0" test $rc -eq 0
check "peers --json: the rows, their status, path and registry entry" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
registered, built, pkg = sys.argv[2].split(), sys.argv[3].split(), dict(
    x.split("=") for x in sys.argv[4].split())
assert [r["name"] for r in rows] == registered + ["extra"], [r["name"] for r in rows]
for r in rows:
    n, reg = r["name"], r["registry"]
    if n == "extra":
        assert reg is None and r["status"] == "ok" and r["path"].endswith("/tg-peer-extra"), r
        continue
    assert set(reg) == {"library", "package", "tls13", "verify"}, reg
    assert reg["verify"] is True and reg["library"], reg
    assert reg["tls13"] is (n != "mbedtls"), reg
    if n in built:
        assert r["status"] == "ok" and r["implementation"] == n and r["versions"], r
        assert r["path"].endswith("/tg-peer-" + n), r
    else:
        assert r["status"] == "not built" and r["path"] is None, r
        assert reg["package"] == pkg[n] and pkg[n] in r["error"], r
        assert "versions" not in r, r
' "$json" "${registered[*]}" "${built[*]}" "$(for p in "${!package[@]}"; do
  printf '%s=%s ' "$p" "${package[$p]}"; done)"

# ---- run --peer all ---------------------------------------------------------------------------------
filter='handshake/fatal-alert-before-client-finished'
tgc run --peer all --peer all --scenarios "$scen" --filter "$filter" --quiet \
  --json "$tmp/run.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "run --peer all exits 0 without the missing adapters" test $rc -eq 0
for p in "${missing[@]}"; do
  check "run --peer all names tg-peer-$p once, with ${package[$p]}" test "$(grep -c \
    "^tlsgauntlet run: note: tg-peer-$p not found: configure did not find ${package[$p]} " \
    "$tmp/err")" -eq 1
done
check "run --peer all says nothing of the built ones" bash -c \
  '! grep -qE "tg-peer-(builtin|gnutls|extra)" "$1"' _ "$tmp/err"
check "run --peer all plays the built registered ones, in order, not the extra one" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["implementations"] == ["builtin", "gnutls"], d["implementations"]
assert len(d["results"]) == 2 and all(r["verdict"] == "pass" for r in d["results"]), d["results"]
' "$tmp/run.json"

tgc run --peer openssl --scenarios "$scen" --filter "$filter" --quiet >/dev/null 2>"$tmp/err"
rc=$?
check "run --peer openssl without its adapter exits 2" test $rc -eq 2
check "... naming the package configure did not find" grep -qF -- \
  "--peer openssl: tg-peer-openssl not found: configure did not find libssl-dev" "$tmp/err"
tgc run --peer nosuch --scenarios "$scen" --filter "$filter" --quiet >/dev/null 2>"$tmp/err"
rc=$?
check "run --peer of an unregistered name without an adapter exits 2" test $rc -eq 2
check "... naming the adapter it looked for" grep -qF "no adapter tg-peer-nosuch" "$tmp/err"
# The extra adapter plays when named.
tgc run --peer extra --scenarios "$scen" --filter "$filter" --quiet >/dev/null 2>&1
rc=$?
check "run --peer extra (not registered, in \$TG_PEER_DIR) plays it" test $rc -eq 0

# ---- verify --peer all ------------------------------------------------------------------------------
chains=$src/vectors/x509/chains
out=$(tgc verify --peer all --trust "$chains/root.pem" --untrusted "$chains/int_ed.pem" \
  --name www.example.com --time 2026-06-01 "$chains/leaf_ok.pem" 2>"$tmp/err")
rc=$?
check "verify --peer all exits 0 on a valid chain" test $rc -eq 0
rows=$(grep -oE '^[a-z0-9]+  (valid|invalid|error)' <<<"$out" | cut -d' ' -f1 | tr '\n' ' ')
check "verify --peer all: a row per built registered one ($rows)" test "$rows" = "builtin gnutls "
for p in "${missing[@]}"; do
  check "verify --peer all names tg-peer-$p once" test "$(grep -c \
    "^tlsgauntlet verify: note: tg-peer-$p not found: configure did not find ${package[$p]} " \
    "$tmp/err")" -eq 1
done

# ---- one limit --------------------------------------------------------------------------------------
many=()
for i in $(seq 1 17); do many+=(--peer "impl$i"); done
tgc run "${many[@]}" --scenarios "$scen" --filter "$filter" >/dev/null 2>"$tmp/err"
rc=$?
check "run with 17 --peer exits 2" test $rc -eq 2
check "... at most 16" grep -qF "too many --peer (at most 16)" "$tmp/err"
# A report of 17 implementations (the run's, widened) is refused by the reader merge uses.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = ["impl%d" % i for i in range(17)]
one = [r for r in d["results"] if r["implementation"] == "builtin"][0]
d["implementations"] = names
d["results"] = [dict(one, implementation=n) for n in names]
d["libraries"] = {n: None for n in names} if isinstance(d.get("libraries"), dict) else d.get("libraries")
json.dump(d, open(sys.argv[2], "w"))
' "$tmp/run.json" "$tmp/wide.json"
"$tmp/bin/tlsgauntlet" merge "$tmp/wide.json" >/dev/null 2>"$tmp/err"
rc=$?
check "merge of a report with 17 implementations exits 2" test $rc -eq 2
check "... more than 16 implementations" grep -qF "more than 16 implementations" "$tmp/err"

# ---- what an adapter speaks -----------------------------------------------------------------------
# An adapter the registry does not know, whose --info lists TLS 1.2 only (the built-in adapter
# behind a wrapper that answers --info itself): scenarios that need TLS 1.3 are not played (a
# skip that names the version, no baseline needed), and TLS 1.2 ones are.
printf '#!/bin/sh\ncase " $* " in *" --info "*) echo '"'"'{"implementation":"twelve","version":"0","roles":["client","server"],"versions":["TLSv1.2"]}'"'"'; exit 0;; esac\nexec "%s" "$@"\n' \
  "$(realpath "$bindir/tg-peer-builtin")" >"$tmp/extra/tg-peer-twelve"
chmod +x "$tmp/extra/tg-peer-twelve"
"$tmp/bin/tlsgauntlet" run --no-baseline --peer "$tmp/extra/tg-peer-twelve" --json "$tmp/twelve.json" \
  --filter 'handshake/ccs-*' --filter 'tls12/ccs-*' --scenarios "$scen" >"$tmp/twelve.out" 2>&1
rc=$?
check "an adapter of TLS 1.2 only: the run exits 0 (skips are expected)" test $rc -eq 0
python3 - "$tmp/twelve.json" >"$tmp/twelve.check" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
skipped = [x for x in r if x["verdict"] == "skip"]
played = [x for x in r if x["verdict"] != "skip"]
assert skipped, "no scenario skipped"
assert played, "no scenario played"
for x in skipped:
    assert "needs TLS 1.3" in x["got"], x
for x in played:
    assert x["verdict"] == "pass", x
print("skipped %d, played %d" % (len(skipped), len(played)))
PY
check "... TLS 1.3 scenarios skip with the reason, TLS 1.2 ones play and pass ($(tail -1 "$tmp/twelve.check"))" \
  grep -q '^skipped' "$tmp/twelve.check"

finish registry
