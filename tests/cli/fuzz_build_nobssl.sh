#!/usr/bin/env bash
# fuzz/build.sh where BoringSSL is missing, as in the OSS-Fuzz/ClusterFuzzLite builder image:
# TG_CMAKE_ARGS points TG_BORINGSSL_INCLUDE_DIR nowhere, and TG_FUZZ_TARGETS builds two targets
# only (cli/fuzz_build builds them all, with BoringSSL). fuzz_x509_diff must still land in $OUT,
# say at build and at run time that it compares the built-in validator and GnuTLS only, link no
# BoringSSL, and run 100 inputs on its seed corpus (the allowlist, written for three libraries,
# must still cover the seeds' disagreements of two). An unknown TG_FUZZ_TARGETS name is a usage
# error (exit 2) before anything is built.
#   fuzz_build_nobssl.sh TLSGAUNTLET SOURCE_DIR      (the first argument is not used)
set -u
src=$(cd "$2" && pwd)
. "$src/tests/cli/lib.sh"
mkdir -p "$tmp/src" "$tmp/scratch" "$tmp/out"
ln -s "$src" "$tmp/src/tlsgauntlet" # OSS-Fuzz checks the project out as $SRC/<name>
want=(fuzz_x509_diff fuzz_der)

build() { # build.sh with the OSS-Fuzz variables; output in $tmp/build.log
  env -u LIB_FUZZING_ENGINE CC=clang-14 CXX=clang++-14 CFLAGS="-fsanitize=address,undefined" \
    CXXFLAGS="-fsanitize=address,undefined" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
    SRC="$tmp/src" WORK="$tmp/scratch" OUT="$tmp/out" TG_FUZZ_JOBS=2 \
    TG_CMAKE_ARGS="-DTG_BORINGSSL_INCLUDE_DIR=$tmp/no-boringssl" "$@" \
    bash "$src/fuzz/build.sh" >"$tmp/build.log" 2>&1
}

build TG_FUZZ_TARGETS="fuzz_der fuzz_nonesuch"
rc=$?
check "an unknown TG_FUZZ_TARGETS name exits 2 (exit $rc)" test "$rc" -eq 2
check "and names it" grep -q "no fuzz/fuzz_nonesuch.c" "$tmp/build.log"
check "before configuring" test ! -e "$tmp/scratch/tlsgauntlet-build"

if ! build TG_FUZZ_TARGETS="${want[*]}"; then
  tail -40 "$tmp/build.log"
  echo "FAIL fuzz/build.sh without BoringSSL"
  exit 1
fi
cache=$tmp/scratch/tlsgauntlet-build/CMakeCache.txt
check "TG_CMAKE_ARGS reached CMake" grep -q "^TG_BORINGSSL_INCLUDE_DIR:PATH=$tmp/no-boringssl$" "$cache"
check "warnings are not errors (TG_WERROR=OFF)" grep -q "^TG_WERROR:BOOL=OFF$" "$cache"
check "build.sh says fuzz_x509_diff compares two" \
  grep -q "^fuzz_x509_diff: comparing built-in, GnuTLS (BoringSSL not found at $tmp/no-boringssl" \
  "$tmp/build.log"
built=
for f in "$tmp"/out/fuzz_*; do
  [[ "$f" =~ \.(options|dict|zip)$ ]] || built+="$(basename "$f") "
done
check "only TG_FUZZ_TARGETS were built ($built)" test "$built" = "fuzz_der fuzz_x509_diff "
check "fuzz_x509_diff links no BoringSSL" \
  bash -c "! ldd '$tmp/out/fuzz_x509_diff' | grep -q android"
check "and the build did not define its include directory" \
  bash -c "! grep -rq -- '-I/usr/include/android' '$tmp/scratch/tlsgauntlet-build/CMakeFiles/fuzz_x509_diff.dir/flags.make'"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "${want[@]}"; do
  check "$t is in \$OUT" test -x "$tmp/out/$t"
  check "$t.options is in \$OUT" cmp -s "$src/fuzz/$t.options" "$tmp/out/$t.options"
  seeds=$tmp/seeds/$t
  mkdir -p "$seeds"
  unzip -q -o "$tmp/out/${t}_seed_corpus.zip" -d "$seeds" 2>/dev/null
  check "${t}_seed_corpus.zip has every seed" \
    test "$(ls "$seeds" | wc -l)" -eq "$(ls "$src/fuzz/corpus/$t" | wc -l)"
  log=$tmp/$t.run.log
  (cd "$tmp/out" && "./$t" -runs=100 -seed=1 -dict="$tmp/out/$t.dict" "$seeds") >"$log" 2>&1
  rc=$?
  check "$t runs 100 inputs on its seed corpus (exit $rc)" test "$rc" -eq 0
  check "$t reports its runs" grep -qE "Done [0-9]+ runs" "$log"
  [ "$rc" -eq 0 ] || tail -20 "$log"
done
check "fuzz_x509_diff says at run time it compares two" \
  grep -q "^fuzz_x509_diff: comparing built-in, GnuTLS (built without BoringSSL" \
  "$tmp/fuzz_x509_diff.run.log"
finish fuzz_build_nobssl
