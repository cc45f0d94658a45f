#!/usr/bin/env bash
# The shipped baselines blame each reference library only for what the library does:
#   - every entry of vectors/baselines/NAME/ of each reference library (every registered
#     implementation but the built-in one, as `peers --json` lists them) says how to reproduce it
#     without our adapter (evidence:);
#   - every entry with a replay: command reproduces without our adapter: `run --replay` plays it
#     against the library's own CLI (gnutls-serv/gnutls-cli, openssl s_server/s_client) or the
#     minimal BoringSSL program, and each must come out xfail (same verdict, same behaviour).
#   baselines.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}

# Entries without evidence: an entry starts at "- id:" and ends at the next one.
without_evidence() { # FILE...
  awk 'FNR == 1 { if (id != "" && !ev) print file ": " id; id = ""; file = FILENAME }
       /^  - id:/ { if (id != "" && !ev) print file ": " id; id = $3; ev = 0 }
       /^    evidence:/ { ev = 1 }
       END { if (id != "" && !ev) print file ": " id }' "$@"
}
# The reference libraries: the registry's, built or not (a baseline needs evidence either way);
# those whose adapter is built replay below.
"$tg" peers --json --timeout-ms 30000 >"$tmp/peers.json"
mapfile -t refs < <(python3 -c 'import json, sys
for r in json.load(open(sys.argv[1])):
    if r.get("registry") and r["name"] != "builtin": print(r["name"], r["status"])' "$tmp/peers.json")
check "the registry names reference libraries (${#refs[@]})" test "${#refs[@]}" -ge 3
libs=() replay_peers=()
for r in "${refs[@]}"; do
  libs+=("${r%% *}")
  [ "${r#* }" = ok ] && replay_peers+=(--peer "${r%% *}")
done
for impl in "${libs[@]}"; do
  [ -d "$src/vectors/baselines/$impl" ] || continue
  without_evidence "$src"/vectors/baselines/$impl/*.yaml >"$tmp/$impl.missing"
  check "$impl: every baseline entry has evidence ($(wc -l <"$tmp/$impl.missing") without)" \
    test ! -s "$tmp/$impl.missing"
  head -5 "$tmp/$impl.missing"
done

# The replays judge the libraries' own tools against the baselines; the sanitizer build
# (TG_SANITIZED=1) leaves them to the plain build, as its runner code is exercised elsewhere.
if [ "${TG_SANITIZED:-0}" != 1 ]; then
  replays=0
  for p in "${replay_peers[@]}"; do
    [ "$p" = --peer ] || [ ! -d "$src/vectors/baselines/$p" ] ||
      replays=$((replays + $(cat "$src/vectors/baselines/$p"/*.yaml | grep -c '^    replay:')))
  done
  "$tg" run "${replay_peers[@]}" --replay --jobs 2 --quiet \
    --scenarios "$src/vectors/scenarios" --json "$tmp/replay.json" >"$tmp/replay.out" 2>&1
  rc=$?
  check "replay: every entry with a replay command shows without our adapter (exit 0)" test $rc -eq 0
  grep -A40 '^Unexpected results' "$tmp/replay.out" | head -40
  xfails=$(grep -o '"verdict": "xfail"' "$tmp/replay.json" | wc -l)
  check "replay: $xfails xfail results for $replays replay commands (globs may cover more)" \
    test "$xfails" -ge "$replays" -a "$replays" -gt 0
fi

echo "baselines.sh: $fails failed"
[ "$fails" -eq 0 ]
