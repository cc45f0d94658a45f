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
# need_python3: the script reads JSON reports with python3 (scripts/setup installs it); without
# it one FAIL, and the script ends with exit 1.
need_python3() {
  command -v python3 >/dev/null 2>&1 && return 0
  echo "FAIL python3 is needed to read the reports"
  exit 1
}
finish() { # NAME
  echo "$1: $fails failed"
  [ "$fails" -eq 0 ]
}
