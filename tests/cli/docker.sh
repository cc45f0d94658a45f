#!/usr/bin/env bash
# The container image (Dockerfile): where docker or podman can build and run images, builds it
# from the source tree and runs, inside it, the installed tlsgauntlet (version, list, peers), a
# small suite against every adapter with the installed baselines (what scripts/conformance runs),
# a suite against a target the runner starts (gnutls-serv) and one fuzz target for a few hundred
# runs over its seed corpus. Without a usable runtime it says so and exits 77, which CMake
# declares this test's skip code (ctest shows it as skipped, not passed).
#   docker.sh TLSGAUNTLET SOURCE_DIR
set -u
src=$(cd "$2" && pwd)
. "$(dirname "$0")/lib.sh"

rt=
for candidate in docker podman; do
  # A client alone is not enough: `info` asks the daemon (docker) or the storage (podman).
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
    rt=$candidate
    break
  fi
done
if [ -z "$rt" ]; then
  echo "SKIP: no container runtime (docker/podman) on this machine"
  for candidate in docker podman; do
    command -v "$candidate" >/dev/null 2>&1 &&
      echo "      ($candidate is installed, but '$candidate info' fails: no daemon or no permission)"
  done
  exit 77
fi

image=tlsgauntlet-test:$$
cleanup_image() { "$rt" rmi -f "$image" >/dev/null 2>&1; }
trap 'cleanup_image; cli_cleanup' EXIT
in_image() { "$rt" run --rm "$image" "$@"; }

# logged NAME COMMAND...: COMMAND's output into $tmp/NAME.log, its tail shown when it fails.
logged() {
  local log=$tmp/$1.log
  shift
  "$@" >"$log" 2>&1 || { tail -30 "$log"; return 1; }
}

echo "building the image with $rt (several minutes)"
commit=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)
check "$rt build" logged build "$rt" build --build-arg "TG_COMMIT=$commit" -t "$image" "$src"
check "tlsgauntlet --version" bash -c '"$@" | grep -q "^tlsgauntlet [0-9]"' _ \
  "$rt" run --rm "$image" --version
n=$(in_image list 2>/dev/null | sed -n 's/^\([0-9][0-9]*\) scenarios$/\1/p')
check "list counts the installed suite (${n:-none})" test "${n:-0}" -gt 0
peers=$(in_image peers 2>/dev/null | awk 'NR > 1 && $2 == "ok" { print $1 }' | sort | tr '\n' ' ')
check "peers finds the four adapters ($peers)" test "$peers" = "boringssl builtin gnutls openssl "
check "run --peer all on client-hello/* with the baselines (the conformance run)" \
  logged conformance in_image run --peer all --quiet --filter 'client-hello/*' --json /tmp/c.json
check "run --target-cmd against gnutls-serv in the image" \
  logged target in_image run --quiet --role server --filter 'client-hello/compression-*' \
  --target-cmd 'gnutls-serv --echo -p {port} --x509certfile {cert} --x509keyfile {key}'
check "fuzz_record runs 500 inputs over its seed corpus" \
  logged fuzz "$rt" run --rm --entrypoint fuzz_record "$image" -runs=500 \
  /opt/tlsgauntlet/fuzz/corpus/fuzz_record
finish docker
