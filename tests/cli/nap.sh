# Waiting and matching without a process per call, for the CLI tests whose checks and polls run
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
