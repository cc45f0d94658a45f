#!/usr/bin/env bash
# tlsgauntlet merge: a run of a few client-hello scenarios against builtin, tg-peer-broken (it
# crashes on unknown ClientHello extensions) and, when built, tg-peer-permissive, once whole and
# once in three shards; the merged shards give the whole run's results in its order, its
# summary and exit status, and well-formed JUnit. Refused with exit 2: shards of other
# implementations, one scenario with two results, a newer schema_version, files that are not
# run reports. Provenance fields of the shards are kept; another tool version is a warning.
#   merge.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
bindir=$(dirname "$1")
. "$(dirname "$0")/lib.sh"

need_python3
peers=(--peer builtin --peer "$bindir/test-peers/tg-peer-broken")
[ -x "$bindir/test-peers/tg-peer-permissive" ] && peers+=(--peer "$bindir/test-peers/tg-peer-permissive")
run() {
  "$tg" run --scenarios "$src/vectors/scenarios" --quiet --jobs 2 "${peers[@]}" \
    --filter 'client-hello/e*' --filter 'client-hello/f*' --filter 'client-hello/g*' \
    --filter 'client-hello/h*' --filter 'client-hello/k*' --filter 'client-hello/compression-*' "$@"
}

# The results of reports as lines "ID IMPL VERDICT RAW UNEXPECTED OBSERVED", in order; with
# --summary the summary object instead.
cat >"$tmp/facts.py" <<'PY'
import json, sys
args = sys.argv[1:]
summary = args[0] == "--summary"
for path in args[summary:]:
    d = json.load(open(path))
    if summary:
        print(json.dumps(d["summary"], sort_keys=True))
        continue
    for r in d["results"]:
        print(r["id"], r["implementation"], r["verdict"], r["raw_verdict"], r["unexpected"],
              r["observed"])
PY
facts() { python3 "$tmp/facts.py" "$@"; }
# edit.py IN OUT PYTHON: OUT is IN with the statement applied to d (the document).
cat >"$tmp/edit.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"), indent=1)
PY
edit() { python3 "$tmp/edit.py" "$@"; }

run --json "$tmp/whole.json" >"$tmp/whole.out"
whole_rc=$?
check "the whole run has unexpected results (exit 1)" test $whole_rc -eq 1
for i in 1 2 3; do
  run --shard $i/3 --json "$tmp/shard$i.json" >/dev/null
done

# The shards in another order than their numbers: merge puts them back.
"$tg" merge --json "$tmp/merged.json" --junit "$tmp/merged.xml" --html "$tmp/merged.html" \
  "$tmp/shard3.json" "$tmp/shard1.json" "$tmp/shard2.json" >"$tmp/merged.out" 2>"$tmp/merged.err"
rc=$?
check "merge exits as the whole run did ($whole_rc)" test $rc -eq $whole_rc
facts "$tmp/whole.json" >"$tmp/whole.facts"
facts "$tmp/merged.json" >"$tmp/merged.facts"
n=$(wc -l <"$tmp/whole.facts")
check "the whole run has results ($n)" test "$n" -gt 20
check "the merged results are the whole run's, in its order" cmp -s "$tmp/whole.facts" "$tmp/merged.facts"
check "the merged summary is the whole run's" \
  test "$(facts --summary "$tmp/whole.json")" = "$(facts --summary "$tmp/merged.json")"
check "the shards do not each hold everything" \
  test "$(facts "$tmp/shard1.json" | wc -l)" -lt "$n"
check "the matrix names the crash of broken" grep -q "broken.*crash" "$tmp/merged.out"
check "the summary line counts the scenarios" \
  grep -q "^$((n / (${#peers[@]} / 2))) scenarios x $((${#peers[@]} / 2)) implementations" "$tmp/merged.out"
check "the merged JSON's command is the merge" grep -q '"command": "tlsgauntlet merge --json' "$tmp/merged.json"
check "the merged JUnit is well-formed, a testcase per result" \
  test "$(xmllint --xpath 'count(//testsuite/testcase)' "$tmp/merged.xml" 2>/dev/null)" = "$n"
check "the merged HTML page is written" grep -q "<html" "$tmp/merged.html"
# Where the JSON report has a schema (docs/report-schema.json), the merged report is valid too.
if [ -f "$src/docs/report-schema.json" ] && python3 -c 'import jsonschema' 2>/dev/null; then
  check "the merged JSON is valid against docs/report-schema.json" python3 -W ignore -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
    "$tmp/merged.json" "$src/docs/report-schema.json"
fi

# One shard given twice is the same results twice: no conflict.
"$tg" merge --json "$tmp/twice.json" "$tmp/shard1.json" "$tmp/shard1.json" >/dev/null 2>&1
check "a shard given twice merges to itself" \
  cmp -s <(facts "$tmp/shard1.json") <(facts "$tmp/twice.json")

# Shards of other implementations.
"$tg" run --scenarios "$src/vectors/scenarios" --quiet --peer builtin \
  --filter 'client-hello/e*' --json "$tmp/builtin-only.json" >/dev/null
"$tg" merge "$tmp/shard1.json" "$tmp/builtin-only.json" >/dev/null 2>"$tmp/impls.err"
check "shards of other implementations exit 2" test $? -eq 2
check "... naming the implementation and the files" \
  grep -q "has implementation 'broken', .*builtin-only.json has not" "$tmp/impls.err"

# One scenario with another verdict in a second file.
edit "$tmp/shard1.json" "$tmp/flipped.json" '
r = next(r for r in d["results"] if r["implementation"] == "builtin")
r["verdict"] = r["raw_verdict"] = "fail"; r["unexpected"] = True; d["flipped"] = r["id"]'
flipped=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["flipped"])' "$tmp/flipped.json")
"$tg" merge "$tmp/shard1.json" "$tmp/flipped.json" >/dev/null 2>"$tmp/conflict.err"
check "one scenario with two results exits 2" test $? -eq 2
check "... naming the scenario, both verdicts and both files" \
  grep -qF "scenario '$flipped' on builtin is pass in $tmp/shard1.json and fail in $tmp/flipped.json" \
  "$tmp/conflict.err"

# Provenance (schema_version 2): the first shard's tool and host, the earliest start, per
# implementation the first library named; another tool version is a warning, not an error.
edit "$tmp/shard1.json" "$tmp/p1.json" '
d.update(schema_version=2, tool={"name": "tlsgauntlet", "version": "9.1", "commit": "aaaa"},
         host={"name": "ci-1", "kernel": "Linux"}, started="2026-12-07T10:00:09Z",
         libraries={i: {"library": None, "version": None} for i in d["implementations"]})'
edit "$tmp/shard2.json" "$tmp/p2.json" '
d.update(schema_version=2, tool={"name": "tlsgauntlet", "version": "9.2", "commit": "bbbb"},
         host={"name": "ci-2", "kernel": "Linux"}, started="2026-12-07T10:00:01Z",
         libraries={i: {"library": "lib-" + i, "version": "1"} for i in d["implementations"]})'
"$tg" merge --json "$tmp/p.json" "$tmp/p2.json" "$tmp/p1.json" >/dev/null 2>"$tmp/p.err"
rc=$?
check "shards of two tool versions still merge" test $rc -le 1
check "... with a warning naming both" grep -q 'warning: .*p2.json was written by .*9.2.*p1.json by .*9.1' "$tmp/p.err"
prov=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["schema_version"] if "schema_version" in d else "-", d["host"]["name"], d["tool"]["version"],
      d["started"], d["libraries"]["builtin"]["library"],
      " ".join(d["command_line"][:2]) if d.get("command_line") else "-")' "$tmp/p.json")
check "the first shard's host and tool, the earliest start, the library named ($prov)" \
  bash -c "[[ '$prov' == *' ci-1 9.1 2026-12-07T10:00:01Z lib-builtin '* ]]"
check "... and the merge's own command line (a writer with command_line)" \
  bash -c "[[ '$prov' == *' '@(-|tlsgauntlet merge) ]]"
edit "$tmp/shard1.json" "$tmp/future.json" 'd["schema_version"] = 99'
"$tg" merge "$tmp/future.json" "$tmp/shard2.json" >/dev/null 2>"$tmp/future.err"
check "a newer schema_version exits 2" test $? -eq 2
check "... saying so" grep -q "future.json: schema_version 99 is newer than this tlsgauntlet reads" "$tmp/future.err"

# Files that are not run reports: exit 2 naming the file, never a crash.
printf '{"results": [' >"$tmp/truncated.json"
echo '[1, 2]' >"$tmp/array.json"
echo '{"implementations": ["a"], "results": [{"id": "x", "implementation": "a", "verdict": "great", "unexpected": false}]}' >"$tmp/verdict.json"
echo '{"implementations": ["a", "b"], "results": [{"id": "x", "implementation": "a", "verdict": "pass", "unexpected": false}]}' >"$tmp/hole.json"
echo '{"implementations": ["a"], "results": [{"id": "x", "implementation": "a", "verdict": "pass", "unexpected": "no"}]}' >"$tmp/type.json"
for f in truncated array verdict hole type missing; do
  "$tg" merge "$tmp/$f.json" >/dev/null 2>"$tmp/bad.err"
  rc=$?
  check "$f.json exits 2" test $rc -eq 2
  check "... naming the file" grep -q "$f.json" "$tmp/bad.err"
done
check "a bad verdict is named" grep -q '"verdict" is "great", not a verdict' <("$tg" merge "$tmp/verdict.json" 2>&1)
check "a missing cell is named" grep -q 'scenario "x" has no result for implementation "b"' <("$tg" merge "$tmp/hole.json" 2>&1)

# Usage.
"$tg" merge >/dev/null 2>&1
check "merge without files exits 2" test $? -eq 2
"$tg" merge --bogus "$tmp/shard1.json" >/dev/null 2>&1
check "an unknown option exits 2" test $? -eq 2
check "merge --help exits 0 and shows the usage" bash -c "'$tg' merge --help | grep -q 'SHARD.json'"

finish merge
