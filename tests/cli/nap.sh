# Waiting and matching without a process per call (nap, contains, wait_lines), for the CLI tests whose checks and polls run
# by the hundred (a process costs more than most of what they wait for). Source it once $tmp
# exists.
# nap SECONDS: a sleep (a read that times out on a FIFO nobody writes).
mkfifo "$tmp/nap"
exec {nap_fd}<>"$tmp/nap"
nap() { read -r -t "$1" -u "$nap_fd" _ || :; }
# contains TEXT STRING: STRING is in a line of TEXT (what grep -qF says), in bash when STRING is
# one line.
contains() {
  if [[ $2 == *$'\n'* ]]; then grep -qF -- "$2" <<<"$1"; else [[ $1 == *"$2"* ]]; fi
}
# wait_lines FILE N: up to 20 s for FILE to hold N JSON lines (a bound for a loaded machine).
wait_lines() {
  local i l n lines
  for ((i = 0; i < 400; i++)); do
    lines=()
    [ -r "$1" ] && mapfile -t lines <"$1"
    n=0
    for l in "${lines[@]}"; do [[ $l == *'"result"'* ]] && n=$((n + 1)); done
    [ $n -ge "$2" ] && return 0
    nap 0.05
  done
  return 1
}
