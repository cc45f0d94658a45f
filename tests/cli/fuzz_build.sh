#!/usr/bin/env bash
# fuzz/build.sh the way OSS-Fuzz and ClusterFuzzLite call it: CC, CFLAGS, LIB_FUZZING_ENGINE,
# SRC, WORK and OUT pointed at fresh temporary folders (nothing reused from another build).
# Every fuzz/fuzz_*.c must land in $OUT with its options, dictionary and seed corpus zip, at
# least 8 of them, and each must run 100 inputs (fuzz_hunt, which starts adapters, 20) on its
# unzipped seed corpus without a crash;
# fuzz_x509_diff compares three libraries (BoringSSL installed), and warnings are not errors.
#   fuzz_build.sh TLSGAUNTLET SOURCE_DIR      (the first argument is not used)
set -u
src=$(cd "$2" && pwd)
fails=0
check() { # DESCRIPTION CONDITION...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/scratch" "$tmp/out"
ln -s "$src" "$tmp/src/tlsgauntlet" # OSS-Fuzz checks the project out as $SRC/<name>

if ! env -u LIB_FUZZING_ENGINE CC=clang-14 CXX=clang++-14 CFLAGS="-fsanitize=address,undefined" \
  CXXFLAGS="-fsanitize=address,undefined" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
  SRC="$tmp/src" WORK="$tmp/scratch" OUT="$tmp/out" TG_FUZZ_JOBS=2 \
  bash "$src/fuzz/build.sh" >"$tmp/build.log" 2>&1; then
  tail -40 "$tmp/build.log"
  echo "FAIL fuzz/build.sh"
  exit 1
fi
check "fuzz/build.sh built in \$WORK" test -f "$tmp/scratch/tlsgauntlet-build/CMakeCache.txt"
check "the build used \$CC" grep -q "CMAKE_C_COMPILER:.*clang-14" "$tmp/scratch/tlsgauntlet-build/CMakeCache.txt"
check "warnings are not errors (TG_WERROR=OFF)" grep -q "^TG_WERROR:BOOL=OFF$" \
  "$tmp/scratch/tlsgauntlet-build/CMakeCache.txt"
# With BoringSSL (scripts/setup installs it; cli/fuzz_build_nobssl builds without it).
check "build.sh says fuzz_x509_diff compares three" \
  grep -q "^fuzz_x509_diff: comparing built-in, GnuTLS, BoringSSL (" "$tmp/build.log"
check "the build used \$CFLAGS" grep -q "CMAKE_C_FLAGS:.*-fsanitize=address,undefined" \
  "$tmp/scratch/tlsgauntlet-build/CMakeCache.txt"

targets=$(cd "$src/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
n=$(wc -w <<<"$targets")
check "at least 8 targets ($n)" test "$n" -ge 8
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $targets; do
  check "$t is in \$OUT" test -x "$tmp/out/$t"
  if [ -f "$src/fuzz/$t.options" ]; then
    check "$t.options is in \$OUT" cmp -s "$src/fuzz/$t.options" "$tmp/out/$t.options"
    check "$t.dict is in \$OUT" test -s "$tmp/out/$t.dict"
  fi
  seeds=$tmp/seeds/$t
  mkdir -p "$seeds"
  if [ -d "$src/fuzz/corpus/$t" ]; then
    check "${t}_seed_corpus.zip holds the seeds" test -f "$tmp/out/${t}_seed_corpus.zip"
    unzip -q -o "$tmp/out/${t}_seed_corpus.zip" -d "$seeds" 2>/dev/null
    check "${t}_seed_corpus.zip has every seed" \
      test "$(ls "$seeds" | wc -l)" -eq "$(ls "$src/fuzz/corpus/$t" | wc -l)"
  fi
  # From $OUT, as a runner would: the options' dictionary, and nothing but $OUT/lib to lean on.
  dict=()
  [ -f "$tmp/out/$t.dict" ] && dict=(-dict="$tmp/out/$t.dict")
  log=$tmp/$t.run.log
  # fuzz_hunt plays every input against four adapter processes (a second each, instrumented):
  # 20 inputs show it works.
  runs=100
  [ "$t" = fuzz_hunt ] && runs=20
  (cd "$tmp/out" && "./$t" -runs=$runs -seed=1 "${dict[@]}" "$seeds") >"$log" 2>&1
  rc=$?
  check "$t runs $runs inputs on its seed corpus (exit $rc)" test "$rc" -eq 0
  check "$t reports its runs" grep -qE "Done [0-9]+ runs" "$log"
  [ "$rc" -eq 0 ] || tail -20 "$log"
done
check "fuzz_x509_diff says at run time it compares three" \
  grep -q "^fuzz_x509_diff: comparing built-in, GnuTLS, BoringSSL$" "$tmp/fuzz_x509_diff.run.log"
echo "fuzz_build: $fails failed"
[ "$fails" -eq 0 ]
