#!/usr/bin/env bash
# tlsgauntlet hunt (docs/hunting.md) against the built-in adapter and GnuTLS's, on the
# client-hello seeds, a fixed random seed and a fixed number of mutants:
#   - usage errors exit 2 (one implementation, two budgets, a bad strategy, --resume without a
#     state, a state file that does not parse: FILE:LINE);
#   - two hunts with the same seed find the same class list (ids, vectors, mutations), and it is
#     not empty;
#   - every class file loads, and `run` of a stable one against the same implementations gives the
#     class's vector in its JSON report's signatures;
#   - --resume goes on from the first hunt's state: the mutant count continues and the classes
#     are kept;
#   - the Markdown report lists every class.
#   hunt.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_python3
scen=$src/vectors/scenarios
bindir=$(dirname "$tg")
if [ ! -x "$bindir/tg-peer-gnutls" ] || [ ! -x "$bindir/tg-peer-builtin" ]; then
  echo "SKIP the built-in or the GnuTLS adapter is not built"
  exit 77
fi
peers=(--peer builtin --peer gnutls)
# The sanitizer build's adapters are slower: a longer deadline per run.
# A third of the client-hello suite as seeds: every hunt plays its seeds first.
common=(--scenarios "$scen" --seed 7 --jobs 2 --timeout-ms 2000 --quiet --shard 1/3 "${peers[@]}"
  client-hello)

rc_of() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }
usage_is() { # WHAT ARGS...
  local what=$1
  shift
  local rc
  rc=$(rc_of "$tg" hunt "$@")
  check "$what: exit 2 ($rc)" [ "$rc" = 2 ]
}

usage_is "one implementation" --peer builtin --mutants 4 --out "$tmp/u1"
usage_is "two budgets" "${peers[@]}" --mutants 4 --minutes 1 --out "$tmp/u2"
usage_is "--minutes 0" "${peers[@]}" --minutes 0
usage_is "an unknown strategy" "${peers[@]}" --strategy clever
usage_is "--resume without a state" "${common[@]}" --mutants 4 --resume --out "$tmp/nostate"
check "--resume without a state names the file" grep -q "nostate/state" "$tmp/err"

# Two hunts with the same seed.
"$tg" hunt "${common[@]}" --mutants 48 --out "$tmp/a" >"$tmp/a.out" 2>&1
check "the first hunt exits 0" [ $? = 0 ]
"$tg" hunt "${common[@]}" --mutants 48 --out "$tmp/b" >"$tmp/b.out" 2>&1
check "the second hunt exits 0" [ $? = 0 ]

classes() { # REPORT: one line per class: id, vector, seed, mutations
  python3 - "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
for c in r["classes"]:
    print(c["id"], "|", c["vector_text"], "|", c["seed"], "|", " ; ".join(c["mutations"]))
EOF
}
classes "$tmp/a/report.json" >"$tmp/a.classes"
classes "$tmp/b/report.json" >"$tmp/b.classes"
n=$(wc -l <"$tmp/a.classes")
check "the hunt found classes ($n)" [ "$n" -gt 0 ]
check "the same seed finds the same classes" cmp -s "$tmp/a.classes" "$tmp/b.classes"
[ "$fails" = 0 ] || diff "$tmp/a.classes" "$tmp/b.classes" | head -20
check "the report counts 48 mutants" python3 -c "
import json; r = json.load(open('$tmp/a/report.json')); assert r['mutants'] == 48, r['mutants']"

# Every class file loads; a stable one replays its vector with run.
python3 - "$tmp/a/report.json" >"$tmp/files" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
for c in r["classes"]:
    print(c["file"], int(c["stable"]), json.dumps(c["vector"], sort_keys=True))
EOF
loads() { "$tg" list --scenarios "$scen" "$1" >/dev/null; }
replayed=0
while read -r file stable vector; do
  check "$file loads" loads "$tmp/a/$file"
  [ "$stable" = 1 ] || continue
  "$tg" run --scenarios "$scen" "${peers[@]}" --timeout 2000 --quiet --no-baseline \
    --json "$tmp/r.json" "$tmp/a/$file" >/dev/null 2>&1
  got=$(python3 -c "
import json; r = json.load(open('$tmp/r.json'))
print(json.dumps({x['implementation']: x['signature'] for x in r['results']}, sort_keys=True))")
  check "$file replays its vector with run" [ "$got" = "$vector" ]
  [ "$got" = "$vector" ] || echo "   want $vector, got $got"
  replayed=$((replayed + 1))
done <"$tmp/files"
check "at least one class was stable and replayed ($replayed)" [ "$replayed" -gt 0 ]

# The Markdown report lists every class.
while read -r id _; do
  check "report.md lists $id" grep -q "${id#hunt/}" "$tmp/a/report.md"
done <"$tmp/a.classes"

# --resume: the first hunt's state, from 48 mutants to 72.
cp -r "$tmp/a" "$tmp/c"
before=$(classes "$tmp/c/report.json" | wc -l)
check "the state records 48 mutants" grep -qx "mutants 48" "$tmp/c/state"
"$tg" hunt "${common[@]}" --mutants 72 --resume --out "$tmp/c" >/dev/null 2>&1
check "the resumed hunt exits 0" [ $? = 0 ]
check "the resumed state records 72 mutants" grep -qx "mutants 72" "$tmp/c/state"
after=$(classes "$tmp/c/report.json" | wc -l)
check "the resumed hunt keeps its classes ($before -> $after)" [ "$after" -ge "$before" ]
check "the resumed report counts 72 mutants" python3 -c "
import json; r = json.load(open('$tmp/c/report.json')); assert r['mutants'] == 72, r['mutants']"
usage_is "--resume with other implementations" --scenarios "$scen" --peer builtin \
  --peer openssl --mutants 80 --resume --shard 1/3 --out "$tmp/c" client-hello
# A state that does not parse: FILE:LINE.
cp -r "$tmp/c" "$tmp/d"
printf 'class acceptance\tnot a number\n' >>"$tmp/d/state"
usage_is "a malformed state" "${common[@]}" --mutants 80 --resume --out "$tmp/d"
check "a malformed state is FILE:LINE" grep -q "d/state:[0-9]*:" "$tmp/err"

finish hunt
