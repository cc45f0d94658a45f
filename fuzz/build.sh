#!/bin/bash -eu
# Builds every fuzz target (fuzz/fuzz_*.c) the OSS-Fuzz way, for OSS-Fuzz, ClusterFuzzLite
# (.clusterfuzzlite/build.sh) or by hand. Honours the OSS-Fuzz variables:
#   CC CXX CFLAGS CXXFLAGS   compilers and flags (sanitizers, coverage instrumentation)
#   LIB_FUZZING_ENGINE       the fuzzing engine to link (default: -fsanitize=fuzzer)
#   SRC                      where sources are checked out ($SRC/tlsgauntlet; else this tree)
#   WORK                     scratch space for the CMake build (default: a temporary folder)
#   OUT                      where the targets land (default: ./out)
# and two of its own:
#   TG_CMAKE_ARGS            more CMake arguments, split at spaces (for example
#                            -DTG_BORINGSSL_INCLUDE_DIR=/nowhere to build without BoringSSL)
#   TG_FUZZ_TARGETS          the targets to build, separated by spaces (default: every one)
# Warnings are not errors here (-DTG_WERROR=OFF): the builder image's clang is newer than the
# clang-14 the project is checked with, and warns about more.
# fuzz_x509_diff compares the built-in validator, GnuTLS and BoringSSL; where BoringSSL is not
# found (the OSS-Fuzz/ClusterFuzzLite builder image has none) it compares the first two, and the
# script says so.
# Into $OUT go: each target, its .options, the dictionaries it names (also as <target>.dict,
# which the engines pick up by name), <target>_seed_corpus.zip from fuzz/corpus/<target>/, and
# in $OUT/lib the shared libraries the base-runner image lacks (the targets look there first).
# fuzz_hunt plays peer adapters: the ones CMake built with it (tg-peer-builtin, -gnutls, -openssl,
# -boringssl where found) go into $OUT beside it, and vectors/scenarios into
# $OUT/fuzz_hunt_scenarios, where it looks for them.
#
#   CC=clang-14 CFLAGS=-fsanitize=address,undefined LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#     OUT=/tmp/out fuzz/build.sh

set -eu
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -n "${SRC:-}" ] && [ -f "$SRC/tlsgauntlet/CMakeLists.txt" ]; then
  root=$SRC/tlsgauntlet
else
  root=$here
fi
export CC=${CC:-clang}
export CXX=${CXX:-clang++}
export LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
CFLAGS=${CFLAGS:-}
# libFuzzer needs the code instrumented for coverage; OSS-Fuzz puts this in CFLAGS itself.
if [ "$LIB_FUZZING_ENGINE" = "-fsanitize=fuzzer" ] && [[ "$CFLAGS" != *fuzzer-no-link* ]]; then
  CFLAGS="$CFLAGS -fsanitize=fuzzer-no-link"
fi
# OSS-Fuzz defines this in CFLAGS; a build by hand gets it too (the fuzzer mode needs it in
# the library as well as in the targets).
if [[ "$CFLAGS" != *FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION* ]]; then
  CFLAGS="$CFLAGS -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
fi
export CFLAGS
OUT=${OUT:-$PWD/out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if [ -n "${WORK:-}" ]; then
  build=$WORK/tlsgauntlet-build
else
  build=$(mktemp -d)/tlsgauntlet-build
fi
jobs=${TG_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

targets=()
if [ -n "${TG_FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$TG_FUZZ_TARGETS"
  for t in "${targets[@]}"; do
    [ -f "$root/fuzz/$t.c" ] || { echo "fuzz/build.sh: no fuzz/$t.c (TG_FUZZ_TARGETS)" >&2; exit 2; }
  done
else
  for src in "$root"/fuzz/fuzz_*.c; do
    targets+=("$(basename "$src" .c)")
  done
fi
extra=()
[ -z "${TG_CMAKE_ARGS:-}" ] || read -r -a extra <<<"$TG_CMAKE_ARGS"

echo "fuzz/build.sh: ${#targets[@]} targets from $root into $OUT (build in $build)"
# -DCMAKE_C_FLAGS from the environment's CFLAGS (CMake reads CFLAGS only on a first configure).
# RPATH $ORIGIN/lib: the libraries copied below, for a runner that lacks them.
cmake -S "$root" -B "$build" -DTG_FUZZ=ON -DTG_TESTS=OFF -DTG_WERROR=OFF -DCMAKE_C_COMPILER="$CC" \
  -DCMAKE_C_FLAGS="$CFLAGS" '-DCMAKE_BUILD_RPATH=$ORIGIN/lib' "${extra[@]}" \
  >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
compares=$(sed -n 's/^TG_X509_DIFF_COMPARES:INTERNAL=//p' "$build/CMakeCache.txt")
[[ " ${targets[*]} " != *" fuzz_x509_diff "* ]] || echo "fuzz_x509_diff: comparing $compares"
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

# Shared libraries outside the C runtime (GnuTLS, nettle, jansson, libyaml, BoringSSL...).
copy_libs() { # PROGRAM
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' |
    grep -Ev '/(libc|libm|libdl|libpthread|librt|libgcc_s|libstdc\+\+|ld-linux[^/]*)\.so' |
    while read -r lib; do cp -L -n "$lib" "$OUT/lib/" 2>/dev/null || true; done
}

mkdir -p "$OUT/lib"
for t in "${targets[@]}"; do
  cp "$build/$t" "$OUT/$t"
  if [ -f "$root/fuzz/$t.options" ]; then
    cp "$root/fuzz/$t.options" "$OUT/$t.options"
    dict=$(sed -n 's/^dict *= *//p' "$root/fuzz/$t.options" | head -1)
    if [ -n "$dict" ] && [ -f "$root/fuzz/dict/$dict" ]; then
      cp "$root/fuzz/dict/$dict" "$OUT/$dict"
      cp "$root/fuzz/dict/$dict" "$OUT/$t.dict"
    fi
  fi
  # A dictionary beside the target's source (fuzz/<target>.dict) is its own.
  [ -f "$root/fuzz/$t.dict" ] && cp "$root/fuzz/$t.dict" "$OUT/$t.dict"
  if [ -d "$root/fuzz/corpus/$t" ]; then
    rm -f "$OUT/${t}_seed_corpus.zip"
    (cd "$root/fuzz/corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
  fi
  copy_libs "$build/$t"
done
if [[ " ${targets[*]} " == *" fuzz_hunt "* ]]; then
  peers=()
  for p in tg-peer-builtin tg-peer-gnutls tg-peer-openssl tg-peer-boringssl; do
    [ -x "$build/$p" ] || continue
    cp "$build/$p" "$OUT/$p"
    copy_libs "$build/$p"
    peers+=("$p")
  done
  rm -rf "$OUT/fuzz_hunt_scenarios"
  cp -R "$root/vectors/scenarios" "$OUT/fuzz_hunt_scenarios"
  echo "fuzz_hunt: with ${peers[*]} and fuzz_hunt_scenarios/"
fi
echo "fuzz/build.sh: built ${targets[*]}"
