# What the tests/cli/*.sh scripts share; source it after `set -u`:
#   . "$(dirname "$0")/lib.sh"
# It gives $tmp (a directory removed on exit), the array pids (processes started in the
# background: each is killed and reaped on exit), $fails and check, and `finish NAME`, the last
# line of a script (prints the count, exits 1 on any failure).
tmp=$(mktemp -d)
pids=()
fails=0
cli_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cli_cleanup EXIT
trap 'exit 1' INT TERM HUP
check() { # DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
finish() { # NAME
  echo "$1: $fails failed"
  [ "$fails" -eq 0 ]
}
