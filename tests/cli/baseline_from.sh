#!/usr/bin/env bash
# tlsgauntlet baseline --from: baselines written from a run of builtin, tg-peer-broken (it
# crashes on unknown ClientHello extensions) and, when built, tg-peer-permissive (accepts what it
# must reject) list one entry per unexpected result, with the verdict and behaviour observed and
# TODO placeholders; the run played again with them has no unexpected result, each of those
# results now xfail. An xfail of the run keeps its baseline's reason. Odd ids are quoted so the
# loader takes them. Bad input and usage exit 2.
#   baseline_from.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
bindir=$(dirname "$1")
. "$(dirname "$0")/lib.sh"

need_python3
impls=(broken)
peers=(--peer builtin --peer "$bindir/test-peers/tg-peer-broken")
if [ -x "$bindir/test-peers/tg-peer-permissive" ]; then
  impls+=(permissive)
  peers+=(--peer "$bindir/test-peers/tg-peer-permissive")
fi
run() {
  "$tg" run --scenarios "$src/vectors/scenarios" --quiet --jobs 2 "${peers[@]}" \
    --filter 'client-hello/e*' --filter 'client-hello/f*' --filter 'client-hello/g*' \
    --filter 'client-hello/h*' --filter 'client-hello/k*' --filter 'client-hello/compression-*' "$@"
}
# facts.py REPORT IMPL: its results that a baseline covers, as sorted lines
# "ID RAW_VERDICT OBSERVED"; with --yaml FILE the same from a baseline this command wrote;
# with --verdicts REPORT IMPL IDS_FILE the reported verdicts of those ids, sorted and unique.
cat >"$tmp/facts.py" <<'PY'
import json, sys
if sys.argv[1] == "--yaml":
    rows, cur = [], None
    for line in open(sys.argv[2]):
        line = line.rstrip("\n")
        if line.startswith("  - id: "):
            cur = {"id": json.loads(line[8:]), "verdict": None, "observed": None}
            rows.append(cur)
        elif cur is not None and line.startswith("    verdict: "):
            cur["verdict"] = line[13:]
        elif cur is not None and line.startswith("    observed: "):
            cur["observed"] = line[14:]
    print("\n".join(sorted("%s %s %s" % (r["id"], r["verdict"], r["observed"]) for r in rows)))
elif sys.argv[1] == "--verdicts":
    ids = set(open(sys.argv[4]).read().split())
    d = json.load(open(sys.argv[2]))
    print(" ".join(sorted({r["verdict"] for r in d["results"]
                           if r["implementation"] == sys.argv[3] and r["id"] in ids})))
else:
    d = json.load(open(sys.argv[1]))
    print("\n".join(sorted("%s %s %s" % (r["id"], r["raw_verdict"], r["observed"])
                           for r in d["results"] if r["implementation"] == sys.argv[2]
                           and r["raw_verdict"] != "pass"
                           and (r["unexpected"] or r["verdict"] == "xfail"))))
PY
facts() { python3 "$tmp/facts.py" "$@"; }

run --json "$tmp/run.json" >/dev/null
check "the run has unexpected results (exit 1)" test $? -eq 1
baselines=()
for impl in "${impls[@]}"; do
  "$tg" baseline --from "$tmp/run.json" --impl "$impl" -o "$tmp/$impl.yaml" 2>"$tmp/$impl.err"
  check "baseline --impl $impl exits 0" test $? -eq 0
  facts "$tmp/run.json" "$impl" >"$tmp/$impl.want"
  facts --yaml "$tmp/$impl.yaml" >"$tmp/$impl.got"
  n=$(wc -l <"$tmp/$impl.want")
  check "$impl had deviations in the run ($n)" test "$n" -gt 0
  check "one entry per deviation, with its verdict and observed behaviour" \
    cmp -s "$tmp/$impl.want" "$tmp/$impl.got"
  check "each entry has a TODO reason" test "$(grep -c '^    reason: "TODO: ' "$tmp/$impl.yaml")" = "$n"
  check "each entry has a TODO evidence" test "$(grep -c '^    evidence: "TODO: ' "$tmp/$impl.yaml")" = "$n"
  check "each entry says what the scenario expected" test "$(grep -c '^    # expected: ' "$tmp/$impl.yaml")" = "$n"
  check "the file names the implementation" grep -qx "implementation: \"$impl\"" "$tmp/$impl.yaml"
  cut -d' ' -f1 "$tmp/$impl.want" >"$tmp/$impl.ids"
  baselines+=(--baseline "$tmp/$impl.yaml")
done
check "broken's crashes are entries of verdict crash" grep -q '^    verdict: crash$' "$tmp/broken.yaml"
if [ -f "$tmp/permissive.yaml" ]; then
  check "permissive's acceptances are fail entries observed accepted" \
    grep -qzP '    verdict: fail\n    observed: accepted\n' "$tmp/permissive.yaml"
fi

# Played again with the written baselines: nothing unexpected, each deviation an xfail.
run "${baselines[@]}" --json "$tmp/again.json" >"$tmp/again.out"
check "the run with the written baselines exits 0" test $? -eq 0
for impl in "${impls[@]}"; do
  check "$impl's deviations are all xfail now" \
    test "$(facts --verdicts "$tmp/again.json" "$impl" "$tmp/$impl.ids")" = "xfail"
done

# A run's xfail (the builtin baseline) keeps the reason its baseline gave.
"$tg" run --scenarios "$src/vectors/scenarios" --quiet --peer builtin --filter 'record/version-*' \
  --json "$tmp/builtin.json" >/dev/null
"$tg" baseline --from "$tmp/builtin.json" --impl builtin >"$tmp/builtin.yaml"
reason=$(grep -h -m1 -A8 "^  - id: \"\?record/version-" "$src/vectors/baselines/builtin/"*.yaml | grep -m1 -o 'reason: .*' || true)
check "the builtin baseline has a record/version- entry" test -n "$reason"
check "... whose reason the written baseline keeps" grep -qF "    $reason" "$tmp/builtin.yaml"
"$tg" run --scenarios "$src/vectors/scenarios" --quiet --peer builtin --filter 'record/version-*' \
  --baseline "$tmp/builtin.yaml" >/dev/null
check "... and which covers the same run (exit 0)" test $? -eq 0

# Ids with quotes, backslashes and YAML indicators are quoted: the loader takes the file.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = dict(d["results"][0], id="odd/\"quoted\" \\back: #x", verdict="fail", raw_verdict="fail",
         unexpected=True, observed="alert decode_error", severity="wrong-alert")
d["results"].append(r)
json.dump(d, open(sys.argv[2], "w"))' "$tmp/builtin.json" "$tmp/odd.json"
"$tg" baseline --from "$tmp/odd.json" --impl builtin -o "$tmp/odd.yaml" 2>/dev/null
check "an odd id is written (exit 0)" test $? -eq 0
check "... quoted" grep -qF '  - id: "odd/\"quoted\" \\back: #x"' "$tmp/odd.yaml"
"$tg" run --scenarios "$src/vectors/scenarios" --quiet --peer builtin --filter 'record/version-*' \
  --baseline "$tmp/odd.yaml" >/dev/null 2>"$tmp/odd.err"
check "... and the baseline loader takes the file" test $? -ne 2

# Bad input and usage.
"$tg" baseline --from "$tmp/run.json" --impl nosuch >/dev/null 2>"$tmp/err"
check "an implementation the run does not have exits 2" test $? -eq 2
check "... listing the run's" grep -q "has no implementation 'nosuch'; it has: builtin broken" "$tmp/err"
echo '{"results": []}' >"$tmp/empty.json"
"$tg" baseline --from "$tmp/empty.json" --impl builtin >/dev/null 2>"$tmp/err"
check "a report without implementations exits 2" test $? -eq 2
check "... naming the file" grep -q "empty.json: not a tlsgauntlet run report" "$tmp/err"
"$tg" baseline --impl builtin >/dev/null 2>&1
check "no --from exits 2" test $? -eq 2
"$tg" baseline --from "$tmp/run.json" --impl builtin extra >/dev/null 2>&1
check "an extra argument exits 2" test $? -eq 2
check "baseline --help exits 0" bash -c "'$tg' baseline --help | grep -q -- '--from RUN.json'"

finish baseline_from
