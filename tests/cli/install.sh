#!/usr/bin/env bash
# cmake --install of the build directory TLSGAUNTLET is in, into a temporary prefix that is then
# moved (the installed tree finds its data and adapters relative to itself). From / and, where a
# mount namespace can be made, with the source tree and the build directory hidden under empty
# directories: list finds the installed suite, peers every installed adapter, run plays a
# scenario against the built-in adapter with the installed certificates and baseline, selftest
# finds its permissive target. Then two small programs against the installed library: one
# through find_package(tlsgauntlet) and tlsgauntlet::tg, one through pkg-config.
#   install.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$(cd "$2" && pwd)
build=$(cd "$(dirname "$tg")" && pwd)
. "$(dirname "$0")/lib.sh"

check "cmake --install into a temporary prefix" \
  bash -c 'cmake --install "$1" --prefix "$2" >"$3" 2>&1' _ "$build" "$tmp/first" "$tmp/install.log"
mv "$tmp/first" "$tmp/prefix"
prefix=$tmp/prefix
installed=$prefix/bin/tlsgauntlet
check "tlsgauntlet is in bin/" test -x "$installed"
check "the suite and its certificates are in share/tlsgauntlet/" \
  test -f "$prefix/share/tlsgauntlet/scenarios/certs/root.pem"
check "the baselines and target profiles are in share/tlsgauntlet/" \
  test -d "$prefix/share/tlsgauntlet/baselines" -a -d "$prefix/share/tlsgauntlet/targets"
check "the man pages are in share/man/man1/" test -f "$prefix/share/man/man1/tlsgauntlet-run.1"
check "the docs are in share/doc/tlsgauntlet/" test -f "$prefix/share/doc/tlsgauntlet/README.md"
check "tg-peer-broken (a test program) is not installed" \
  test -z "$(find "$prefix" -name tg-peer-broken)"

# The adapters the build made (its top level; test-peers/ holds test programs).
built_peers=$(cd "$build" && ls tg-peer-* | sed 's/^tg-peer-//' | sort | tr '\n' ' ')
installed_peers=$(cd "$prefix/libexec/tlsgauntlet" && ls tg-peer-* | sed 's/^tg-peer-//' |
  sort | tr '\n' ' ')
check "every adapter built is installed ($built_peers)" test "$built_peers" = "$installed_peers"

# No path into the source tree among the program's strings: none starts with the source
# directory, but the names of source files (.c, .h), which only diagnostics print: debug info
# (stripped here), and the sanitizers' records of where each check and global is.
strip --strip-debug -o "$tmp/tlsgauntlet.stripped" "$installed"
names_source() {
  strings "$1" | awk -v s="$src" 'index($0, s) == 1 && $0 !~ /\.[ch]$/ { n++ } END { exit !n }'
}
not() { ! "$@"; }
check "the installed tlsgauntlet names no path of the source tree" \
  not names_source "$tmp/tlsgauntlet.stripped"
# The check sees such a path: a unit test names the source tree (TG_SOURCE_DIR).
control=$(ls "$build"/*_test 2>/dev/null | head -1)
[ -z "$control" ] || check "  (it would see one: $(basename "$control") has one)" \
  names_source "$control"

# The installed commands, from /, without the variables that point elsewhere. They run in a
# mount namespace where the source tree and the build directory are empty, when one can be made
# (root, or user namespaces); else only from /.
cat >"$tmp/installed.sh" <<'EOF'
set -u
installed=$1 prefix=$2 out=$3 src=$4
unset TG_SCENARIOS TG_PEER_DIR
ls -A "$src" | wc -l >"$out/src_entries"
cd /
"$installed" list >"$out/list.txt" 2>&1; echo $? >"$out/list.rc"
"$installed" list --json >"$out/list.json" 2>&1
"$installed" peers >"$out/peers.txt" 2>&1; echo $? >"$out/peers.rc"
baselined=$(sed -n 's/^  - id: //p' "$prefix"/share/tlsgauntlet/baselines/builtin/*.yaml | head -1)
echo "$baselined" >"$out/baselined"
"$installed" run --peer builtin --jobs 1 --quiet --filter 'client-hello/cipher-suites-empty' \
  >"$out/run.txt" 2>&1; echo $? >"$out/run.rc"
"$installed" run --peer builtin --jobs 1 --quiet --filter "$baselined" >"$out/run-baselined.txt" 2>&1
# A BoringSSL baseline entry's replay: starts {bin}/test-peers/boringssl_minimal.
"$installed" run --peer boringssl --replay --jobs 1 --quiet \
  --filter 'client-hello/supported-groups-missing' --json "$out/replay.json" >"$out/replay.txt" 2>&1
if [ -x "$prefix/libexec/tlsgauntlet/test-peers/tg-peer-permissive" ]; then
  "$installed" selftest --jobs 1 --quiet --filter 'client-hello/cipher-suites-empty' \
    >"$out/selftest.txt" 2>&1; echo $? >"$out/selftest.rc"
fi
EOF
hide=("mount -t tmpfs -o size=1m none '$src' &&")
[[ $build == "$src"/* ]] || hide+=("mount -t tmpfs -o size=1m none '$build' &&")
hidden=no
if unshare --mount --propagation private true 2>/dev/null; then
  unshare --mount --propagation private sh -c "${hide[*]} bash '$tmp/installed.sh' '$installed' \
    '$prefix' '$tmp' '$src'" && hidden=yes
elif unshare --user --map-root-user --mount true 2>/dev/null; then
  unshare --user --map-root-user --mount sh -c "${hide[*]} bash '$tmp/installed.sh' \
    '$installed' '$prefix' '$tmp' '$src'" && hidden=yes
fi
if [ "$hidden" = no ]; then
  echo "note: no mount namespace here; the installed commands run from / with the source tree visible"
  bash "$tmp/installed.sh" "$installed" "$prefix" "$tmp" "$src"
else
  check "the source tree was hidden from the installed commands" test "$(cat "$tmp/src_entries")" = 0
fi

n_listed=$(sed -n 's/^\([0-9][0-9]*\) scenarios\{0,1\}$/\1/p' "$tmp/list.txt")
check "list exits 0 and counts scenarios (${n_listed:-none})" \
  test "$(cat "$tmp/list.rc")" = 0 -a "${n_listed:-0}" -gt 0
check "every scenario listed is from the installed suite" test \
  "$(grep -c "\"file\": \"$prefix/share/tlsgauntlet/scenarios/" "$tmp/list.json")" = "$n_listed"
ok_peers=$(awk 'NR > 1 && $2 == "ok" { print $1 }' "$tmp/peers.txt" | sort | tr '\n' ' ')
check "peers finds every installed adapter, each answering ($ok_peers)" \
  test "$(cat "$tmp/peers.rc")" = 0 -a "$ok_peers" = "$installed_peers"
check "run --peer builtin passes a scenario" \
  bash -c 'test "$(cat "$1/run.rc")" = 0 && grep -q "^client-hello/cipher-suites-empty  *pass$" \
    "$1/run.txt"' _ "$tmp"
baselined=$(cat "$tmp/baselined")
check "run applies the installed baseline of builtin ($baselined: xfail or xpass)" \
  grep -qE "^$baselined  *x(fail|pass)" "$tmp/run-baselined.txt"
if [ -x "$prefix/libexec/tlsgauntlet/test-peers/boringssl_minimal" ]; then
  check "run --replay starts the installed test-peers/boringssl_minimal" \
    grep -qF "$prefix/libexec/tlsgauntlet/test-peers/boringssl_minimal server" "$tmp/replay.json"
fi
if [ -f "$tmp/selftest.rc" ]; then
  check "selftest finds its installed permissive target" test "$(cat "$tmp/selftest.rc")" = 0
else
  echo "note: tg-peer-permissive not built (a sanitizer build), selftest not tried"
fi
for f in list peers run run-baselined replay selftest; do
  [ "$fails" -eq 0 ] || { [ -f "$tmp/$f.txt" ] && sed "s/^/  $f: /" "$tmp/$f.txt" | tail -15; }
done

# ---- the library, as a consumer sees it --------------------------------------------------------
# A sanitizer or fuzz build's library needs its runtime at link time: the same flags here.
flags=""
grep -q '^TG_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" && flags="$flags -fsanitize=address,undefined"
grep -q '^TG_FUZZ:BOOL=ON' "$build/CMakeCache.txt" && flags="$flags -fsanitize=fuzzer-no-link"
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
mkdir -p "$tmp/consumer"
cat >"$tmp/consumer/main.c" <<'EOF'
/* SHA-256 of "abc" through the library (nettle underneath), and a name from its tables. */
#include <stdio.h>
#include <tg/crypto.h>
#include <tg/names.h>

int main(void) {
  uint8_t out[TG_MAX_HASH_LEN];
  tg_hash(&tg_sha256, tg_bytes_of("abc", 3), out);
  for (size_t i = 0; i < tg_sha256.digest_len; i++)
    printf("%02x", out[i]);
  printf(" %s\n", tg_cipher_suite_name(0x1301));
  return 0;
}
EOF
cat >"$tmp/consumer/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(consumer LANGUAGES C)
find_package(tlsgauntlet 0.1 REQUIRED)
add_executable(consumer main.c)
target_link_libraries(consumer PRIVATE tlsgauntlet::tg)
EOF
# FIPS 180-2, appendix B.1; RFC 8446 B.4.
want="ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad TLS_AES_128_GCM_SHA256"
check "a CMake project builds against find_package(tlsgauntlet) and tlsgauntlet::tg" \
  bash -c 'cd "$1" && cmake -S consumer -B consumer-build -DCMAKE_PREFIX_PATH="$2" \
    -DCMAKE_C_COMPILER="$3" -DCMAKE_C_FLAGS="$4" >consumer.log 2>&1 &&
    cmake --build consumer-build >>consumer.log 2>&1' _ "$tmp" "$prefix" "$cc" "$flags"
check "  and it runs" test "$("$tmp/consumer-build/consumer" 2>&1)" = "$want"
pc=$(dirname "$(find "$prefix" -name tlsgauntlet.pc | head -1)")
# shellcheck disable=SC2086 # pkg-config's output is a list of flags
check "a program builds with pkg-config --cflags --libs tlsgauntlet" \
  bash -c 'PKG_CONFIG_PATH="$1" && export PKG_CONFIG_PATH &&
    "$2" $3 "$4/consumer/main.c" -o "$4/pc-consumer" $(pkg-config --cflags --libs tlsgauntlet) \
    >"$4/pc.log" 2>&1' _ "$pc" "$cc" "$flags" "$tmp"
check "  and it runs" test "$("$tmp/pc-consumer" 2>&1)" = "$want"
[ "$fails" -eq 0 ] || { tail -20 "$tmp/install.log" "$tmp/consumer.log" "$tmp/pc.log" 2>/dev/null; }
finish install
