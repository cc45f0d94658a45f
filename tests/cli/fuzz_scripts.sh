#!/usr/bin/env bash
# scripts/fuzz-overnight end to end on two small libFuzzer programs built here (one with a bug
# found in seconds), in a copy of the fuzz/ layout (--root): corpora merged, the crash minimised,
# deduplicated and filed with a one-line summary, the Markdown report, and a stop (SIGTERM) then
# resume from out/fuzz-state/. Then scripts/fuzz-coverage's usage errors.
#   fuzz_scripts.sh TLSGAUNTLET SOURCE_DIR      (the first argument is not used)
set -u
src=$(cd "$2" && pwd)
fails=0
check() { # DESCRIPTION CONDITION...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/root/fuzz/corpus/fuzz_bug" "$tmp/root/fuzz/corpus/fuzz_calm"

cat >"$tmp/bug.c" <<'C'
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
/* Aborts on inputs that begin "BUG": libFuzzer's comparison tracing finds it from "BUx". */
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  if (n >= 3 && d[0] == 'B' && d[1] == 'U' && d[2] == 'G')
    abort();
  return 0;
}
C
cat >"$tmp/calm.c" <<'C'
#include <stddef.h>
#include <stdint.h>
/* Never fails; a few branches for the corpus to grow on. */
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  static volatile int sink;
  for (size_t i = 0; i < n && i < 4; i++)
    if (d[i] == "calm"[i])
      sink++;
  return 0;
}
C
for t in bug calm; do
  clang-14 -g -fsanitize=fuzzer,address,undefined "$tmp/$t.c" -o "$tmp/bin/fuzz_$t" ||
    { echo "FAIL cannot build fuzz_$t"; exit 1; }
done
printf 'BUx' >"$tmp/root/fuzz/corpus/fuzz_bug/seed"
printf 'x' >"$tmp/root/fuzz/corpus/fuzz_calm/seed"
printf '[libfuzzer]\nmax_len = 64\n' >"$tmp/root/fuzz/fuzz_calm.options"

# shellcheck disable=SC2054 # --targets takes a comma-separated list
args=(--bin-dir "$tmp/bin" --root "$tmp/root" --jobs 2 --targets fuzz_bug,fuzz_calm)

# ---- a stop, then a resume ----------------------------------------------------------------------
TG_FUZZ_CHUNK=2 "$src/scripts/fuzz-overnight" "${args[@]}" --hours 0.006 >"$tmp/first.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do # until a first chunk is accounted for
  [ "$(cat "$tmp/root/out/fuzz-state/fuzz_bug/elapsed" 2>/dev/null || echo 0)" -gt 0 ] && break
  sleep 0.2
done
kill -TERM "$pid"
wait "$pid"
rc=$?
check "a stopped run exits 130 (got $rc)" test "$rc" -eq 130
check "a stopped run says how to resume" grep -q "run the same command to resume" "$tmp/first.log"
check "a stopped run keeps its state" test -f "$tmp/root/out/fuzz-state/fuzz_bug/elapsed"
done_before=$(cat "$tmp/root/out/fuzz-state/fuzz_bug/elapsed" 2>/dev/null || echo 0)
check "the state counts the time already spent ($done_before s)" test "$done_before" -gt 0
check "no report before the end" test ! -f "$tmp/root/out/fuzz-report.md"

TG_FUZZ_CHUNK=2 "$src/scripts/fuzz-overnight" "${args[@]}" --hours 0.006 >"$tmp/second.log" 2>&1
rc=$?
check "the resumed run completes (exit $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -20 "$tmp/second.log"
# 0.006 h over two targets is 10 s each: the resume runs only what was left of fuzz_bug's.
runs=$(grep -c '^== fuzz_bug: [0-9]*s' "$tmp/second.log")
check "the resumed run starts fuzz_bug at ${done_before}s done" \
  grep -q "^== fuzz_bug: .*(${done_before}s of 10s done)" "$tmp/second.log"
check "fuzz_bug ran in chunks ($runs after the resume)" test "$runs" -ge 1

# ---- what a completed run leaves -----------------------------------------------------------------
report=$tmp/root/out/fuzz-report.md
check "the report exists" test -s "$report"
check "the report has a row per target" test "$(grep -cE '^\| `fuzz_(bug|calm)`' "$report")" -eq 2
check "the report gives exec/s" grep -qE '^\| `fuzz_calm` \| 10 \| [0-9]+ \|' "$report"
crashes=$tmp/root/fuzz/crashes/fuzz_bug
# shellcheck disable=SC2010 # the names are hex keys
inputs=$(ls "$crashes" 2>/dev/null | grep -vc '\.txt$')
check "one crash filed for fuzz_bug, deduplicated ($inputs)" test "$inputs" -eq 1
# shellcheck disable=SC2010
key=$(ls "$crashes" 2>/dev/null | grep -v '\.txt$' | head -1)
check "the crash has a one-line summary" test "$(wc -l <"$crashes/$key.txt" 2>/dev/null)" -eq 1
check "the summary names the target" grep -q "^fuzz_bug: " "$crashes/$key.txt"
check "the filed crash is minimised and still crashes" \
  bash -c "! '$tmp/bin/fuzz_bug' '$crashes/$key' >/dev/null 2>&1 && head -c3 '$crashes/$key' | grep -q BUG"
check "the report lists the new crash" grep -q "fuzz/crashes/fuzz_bug/$key" "$report"
check "the report says 1 new crash for fuzz_bug" grep -qE '^\| `fuzz_bug` .*\| 1 \|$' "$report"
check "fuzz_calm filed no crash" test -z "$(ls "$tmp/root/fuzz/crashes/fuzz_calm" 2>/dev/null)"
check "the seed stays in the corpus" test -f "$tmp/root/fuzz/corpus/fuzz_calm/seed"
n=$(ls "$tmp/root/fuzz/corpus/fuzz_calm" | wc -l)
check "the merge added fuzz_calm's new coverage ($n files)" test "$n" -gt 1
check "the merge kept it small ($n files)" test "$n" -le 10
check "a completed run clears its state" test ! -d "$tmp/root/out/fuzz-state"

# ---- bad usage ---------------------------------------------------------------------------------
"$src/scripts/fuzz-overnight" --hours soon >/dev/null 2>&1
check "fuzz-overnight --hours soon is bad usage (2)" test $? -eq 2
"$src/scripts/fuzz-overnight" --bin-dir "$tmp/bin" --root "$tmp/root" --targets fuzz_none >/dev/null 2>&1
check "fuzz-overnight with an unknown target is bad usage (2)" test $? -eq 2
"$src/scripts/fuzz-coverage" --frobnicate >/dev/null 2>&1
check "fuzz-coverage with an unknown option is bad usage (2)" test $? -eq 2
"$src/scripts/fuzz-coverage" --targets fuzz_none >/dev/null 2>&1
check "fuzz-coverage with an unknown target is bad usage (2)" test $? -eq 2

echo "fuzz_scripts: $fails failed"
[ "$fails" -eq 0 ]
