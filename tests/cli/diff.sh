#!/usr/bin/env bash
# tlsgauntlet diff on real runs and on edited copies of one. Real: a run with the built-in
# baseline against one without it (its xfails become regressions, exit 1; the other way round
# they are baselined, exit 0). Edited: a copy of a run of builtin and tg-peer-broken with one
# change of each kind made by python3, which also writes down what it changed; the diff's JSON
# must list exactly those changes, the text and Markdown their counts, the exit status whether
# one is a regression. Bad input exits 2 naming the file.
#   diff.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
bindir=$(dirname "$1")
. "$(dirname "$0")/lib.sh"

need_python3
run() { "$tg" run --scenarios "$src/vectors/scenarios" --quiet --jobs 2 "$@"; }
# changes.py DIFF.json: its changes as sorted lines "CATEGORY IMPL ID" (and "version - WHAT" for
# each version that changed); with --count NAME the
# count of that kind, with --regressions the number of regressions, with --added "+NEW -REMOVED"
# (implementations, comma-separated).
cat >"$tmp/changes.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[-1]))
if sys.argv[1] == "--count":
    print(d["counts"][sys.argv[2]])
elif sys.argv[1] == "--regressions":
    print(d["regressions"])
elif sys.argv[1] == "--added":
    print("+" + ",".join(d["implementations"]["added"]), "-" + ",".join(d["implementations"]["removed"]))
else:
    print("\n".join(sorted(["%s %s %s" % (c["category"], c["implementation"], c["id"])
                            for c in d["changes"]] +
                           ["version - %s" % v["what"] for v in d["versions"]])))
PY
changes() { python3 "$tmp/changes.py" "$@"; }

# ---- Real runs: the builtin baseline on and off -----------------------------------------------
run --peer builtin --filter 'record/version-*' --json "$tmp/with.json" >/dev/null
run --peer builtin --filter 'record/version-*' --no-baseline --json "$tmp/without.json" >/dev/null
xfails=$(python3 -c 'import json,sys; print(sum(r["verdict"] == "xfail" for r in json.load(open(sys.argv[1]))["results"]))' "$tmp/with.json")
check "the builtin baseline has xfails in record/version-* ($xfails)" test "$xfails" -gt 0
"$tg" diff "$tmp/with.json" "$tmp/without.json" --json -o "$tmp/off.json"
check "turning the baseline off is a regression (exit 1)" test $? -eq 1
check "... one per xfail" test "$(changes --count regressed "$tmp/off.json")" = "$xfails"
check "... and nothing else" test "$(changes "$tmp/off.json" | wc -l)" = "$xfails"
"$tg" diff "$tmp/without.json" "$tmp/with.json" --json -o "$tmp/on.json"
check "turning it on is no regression (exit 0)" test $? -eq 0
check "... one baselined per xfail" test "$(changes --count baselined "$tmp/on.json")" = "$xfails"
"$tg" diff "$tmp/with.json" "$tmp/with.json" >"$tmp/same.out"
check "a run against itself exits 0" test $? -eq 0
check "... and says nothing changed" grep -q "no result changed" "$tmp/same.out"

# ---- An edited copy: one change of each kind --------------------------------------------------
run --peer builtin --peer "$bindir/test-peers/tg-peer-broken" --filter 'client-hello/e*' \
  --filter 'client-hello/f*' --filter 'client-hello/g*' --filter 'client-hello/h*' \
  --filter 'client-hello/k*' --json "$tmp/base.json" >/dev/null
cat >"$tmp/edit.py" <<'PY'
import copy, json, sys
base = json.load(open(sys.argv[1]))
old, new = copy.deepcopy(base), copy.deepcopy(base)
expect = []
def want(kind, impl, id): expect.append("%s %s %s" % (kind, impl, id))
def find(d, impl, id):
    return next(r for r in d["results"] if r["implementation"] == impl and r["id"] == id)
def put(d, impl, id, verdict, unexpected, observed=None, severity=None, raw=None):
    find(d, impl, id).update(verdict=verdict, raw_verdict=raw or verdict, unexpected=unexpected,
                             observed=observed, severity=severity)
passes = [r["id"] for r in base["results"] if r["implementation"] == "builtin" and r["verdict"] == "pass"]
crashes = [r["id"] for r in base["results"] if r["implementation"] == "broken" and r["verdict"] == "crash"]
assert len(passes) >= 9 and len(crashes) >= 2, (passes, crashes)
p = passes
put(new, "builtin", p[0], "fail", True, "accepted", "accepted-bad-input"); want("regressed", "builtin", p[0])
put(new, "builtin", p[1], "xpass", True, raw="pass"); want("stale-baseline", "builtin", p[1])
put(old, "builtin", p[2], "lenient", True, "close", "silent-close")
put(new, "builtin", p[2], "fail", True, "accepted", "accepted-bad-input"); want("worse", "builtin", p[2])
put(old, "builtin", p[3], "lenient", True, "alert decode_error", "wrong-alert")
put(new, "builtin", p[3], "lenient", True, "alert illegal_parameter", "wrong-alert"); want("behaviour", "builtin", p[3])
put(old, "builtin", p[4], "lenient", True, "close", "silent-close")
put(new, "builtin", p[4], "xfail", False, "close", "silent-close", raw="lenient"); want("baselined", "builtin", p[4])
put(new, "builtin", p[5], "skip", False); want("changed", "builtin", p[5])
put(new, "broken", crashes[0], "pass", False); want("fixed", "broken", crashes[0])
put(new, "broken", crashes[1], "timeout", True, "timeout"); want("still-unexpected", "broken", crashes[1])
new["results"] = [r for r in new["results"] if r["id"] != p[6]]
new["results"] += [dict(r, id="new/with|pipe") for r in base["results"] if r["id"] == p[7]]
for impl in base["implementations"]:
    want("removed", impl, p[6]); want("new", impl, "new/with|pipe")
new["implementations"].append("extra")
new["results"] += [dict(r, implementation="extra") for r in new["results"] if r["implementation"] == "builtin"]
# Provenance (schema_version 2): the tool and broken's library change, builtin's does not.
for d, v in ((old, "1"), (new, "2")):
    d.update(schema_version=2, tool={"name": "tlsgauntlet", "version": "0." + v, "commit": "c" + v},
             libraries={"builtin": {"library": "tg", "version": "1"},
                        "broken": {"library": "tg-broken", "version": v}})
want("version", "-", "tlsgauntlet"); want("version", "-", "broken")
json.dump(old, open(sys.argv[2], "w")); json.dump(new, open(sys.argv[3], "w"))
print("\n".join(sorted(expect)))
PY
python3 "$tmp/edit.py" "$tmp/base.json" "$tmp/old.json" "$tmp/new.json" >"$tmp/expected.txt"
check "the edit made its changes" test "$(wc -l <"$tmp/expected.txt")" -ge 14
"$tg" diff "$tmp/old.json" "$tmp/new.json" --json >"$tmp/d.json"
check "a regression exits 1 (--json)" test $? -eq 1
changes "$tmp/d.json" >"$tmp/got.txt"
check "the JSON lists exactly the changes made" cmp -s "$tmp/expected.txt" "$tmp/got.txt"
[ $fails -eq 0 ] || diff "$tmp/expected.txt" "$tmp/got.txt"
check "... two of them regressions (regressed, worse)" test "$(changes --regressions "$tmp/d.json")" = 2
check "... the new implementation, none removed" test "$(changes --added "$tmp/d.json")" = "+extra -"

"$tg" diff "$tmp/old.json" "$tmp/new.json" >"$tmp/d.txt"
check "a regression exits 1 (text)" test $? -eq 1
check "the text starts with the count of regressions" test "$(sed -n 2p "$tmp/d.txt")" = "2 regressions"
for kind in regressed worse fixed baselined stale-baseline still-unexpected changed behaviour new removed; do
  n=$(grep -c "^$kind " "$tmp/expected.txt")
  check "the text counts $kind: $n" grep -qE "^  $kind +$n( |\$)" "$tmp/d.txt"
  check "... and heads its group with it" grep -q "^$kind ($n): " "$tmp/d.txt"
done
p0=$(grep '^regressed ' "$tmp/expected.txt" | cut -d' ' -f3)
check "the regressed scenario reads pass -> fail* (accepted)" \
  grep -qF "builtin    $p0: pass -> fail* (accepted)" "$tmp/d.txt"
check "the text names the new implementation" grep -q "^New implementations: extra" "$tmp/d.txt"
check "the text gives the tool's versions" \
  grep -qF "Versions: tlsgauntlet: tlsgauntlet 0.1 (c1) -> tlsgauntlet 0.2 (c2)" "$tmp/d.txt"
check "... and broken's library's" grep -qF "  broken: tg-broken 1 -> tg-broken 2" "$tmp/d.txt"

"$tg" diff --markdown "$tmp/old.json" "$tmp/new.json" -o "$tmp/d.md"
check "a regression exits 1 (--markdown -o)" test $? -eq 1
check "the Markdown heading counts the regressions" grep -q "^### tlsgauntlet diff: .*2 regressions" "$tmp/d.md"
check "the summary table marks regressed as a regression" grep -qF "| regressed | 1 | **yes** |" "$tmp/d.md"
check "... and fixed as none" grep -qF "| fixed | 1 | no |" "$tmp/d.md"
check "regressions are open details" grep -qF "<details open><summary>regressed (1)</summary>" "$tmp/d.md"
check "the others are closed" grep -qF "<details><summary>fixed (1)</summary>" "$tmp/d.md"
check "every details element is closed" \
  test "$(grep -c '^<details' "$tmp/d.md")" = "$(grep -c '^</details>' "$tmp/d.md")"
check "a '|' in an id is escaped in its table cell" grep -qF '| new/with\|pipe |' "$tmp/d.md"

# The other way round: what was new is removed, the new implementation is a removed one.
"$tg" diff "$tmp/new.json" "$tmp/old.json" --json >"$tmp/r.json"
rc=$?
check "reversed, the exit status follows the regressions" \
  test $rc -eq $(($(changes --regressions "$tmp/r.json") > 0 ? 1 : 0))
check "reversed, the new scenario is removed" \
  test "$(changes --count removed "$tmp/r.json")" = "$(changes --count new "$tmp/d.json")"
check "reversed, the extra implementation is removed" test "$(changes --added "$tmp/r.json")" = "+ -extra"

# ---- Bad input and usage ----------------------------------------------------------------------
echo '{"implementations": ["a"], "results": [{"id": "x", "implementation": "b", "verdict": "pass", "unexpected": false}]}' >"$tmp/foreign.json"
"$tg" diff "$tmp/old.json" "$tmp/foreign.json" >/dev/null 2>"$tmp/bad.err"
check "a report naming an unknown implementation exits 2" test $? -eq 2
check "... naming the file and the result" \
  grep -qF "foreign.json: results[0] (x, b): implementation \"b\" is not in \"implementations\"" "$tmp/bad.err"
echo 'not json' >"$tmp/text.json"
"$tg" diff "$tmp/text.json" "$tmp/old.json" >/dev/null 2>"$tmp/bad.err"
check "text that is not JSON exits 2" test $? -eq 2
check "... naming the file, line and column" grep -q "text.json:1:[0-9]*: not JSON" "$tmp/bad.err"
"$tg" diff "$tmp/old.json" >/dev/null 2>&1
check "one report exits 2" test $? -eq 2
"$tg" diff --json --markdown "$tmp/old.json" "$tmp/new.json" >/dev/null 2>&1
check "--json with --markdown exits 2" test $? -eq 2
check "diff --help exits 0 and lists the kinds" bash -c "'$tg' diff --help | grep -q 'stale-baseline'"

finish diff
