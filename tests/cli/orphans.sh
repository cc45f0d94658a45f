#!/usr/bin/env bash
# No process an adapter starts outlives tlsgauntlet: a fake adapter (tg-peer-orphan, a shell
# script) leaves a child behind in a session of its own (setsid, out of the adapter's process
# group) and then exits or hangs; after `run --peer`, `peers` and `verify --peer` nothing of it
# is left; an orphan that holds the adapter's stdout does not turn its answer into a timeout.
# And when tlsgauntlet itself is killed (SIGKILL, SIGTERM) mid-run, the hanging adapter dies with
# it (PR_SET_PDEATHSIG, the signal handler).
#   orphans.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nap.sh"
# A marker no other process has: the orphans carry it as their argv[0] (bash exec -a).
marker=tg-orphan-$$-$RANDOM
some_left() { pgrep -f -- "$1" >/dev/null; } # MARKER (this shell's command line has none)
none_left() { ! some_left "$1"; }
kill_orphans() {
  local p
  for p in $(pgrep -f -- "$marker"); do kill -KILL "$p" 2>/dev/null; done
}
trap 'kill_orphans; cli_cleanup' EXIT

# The adapter: answers --info (or --verify) like one, after starting the orphan; TG_ORPHAN_MODE
# says what it does then: exit, or hang (as MARKER-hang, so that it can be told apart), or keep:
# the orphan holds the adapter's stdout open, and the adapter answers and exits 0.
mkdir -p "$tmp/bin"
cat >"$tmp/bin/tg-peer-orphan" <<EOF
#!/usr/bin/env bash
if [ "\${TG_ORPHAN_MODE:-exit}" = keep ]; then
  setsid bash -c 'exec -a $marker-left sleep 300' </dev/null 2>/dev/null &
else
  setsid bash -c 'exec -a $marker-left sleep 300' </dev/null >/dev/null 2>&1 &
fi
case " \$* " in
*" --info "*) echo '{"implementation":"orphan","version":"0","roles":["client","server"]}' ;;
*" --verify "*) echo '{"implementation":"orphan","verdict":"valid","reason":"ok"}' ;;
esac
[ "\${TG_ORPHAN_MODE:-exit}" = hang ] && exec -a $marker-hang sleep 300
[ "\${TG_ORPHAN_MODE:-exit}" = keep ] && exit 0
exit 1
EOF
chmod +x "$tmp/bin/tg-peer-orphan"
cp "$tmp/bin/tg-peer-orphan" "$tmp/bin/tg-peer-gnutls" # verify --peer takes known names only
cp "$tg" "$tmp/bin/tlsgauntlet" # so that the adapters beside it are these

cat >"$tmp/one.yaml" <<'YAML'
scenarios:
  - id: orphans/one
    rfc: RFC 8446 2
    target: server
    script:
      - send: client_hello
      - expect: established
YAML
run() { "$tg" run --scenarios "$src/vectors/scenarios" --quiet --no-baseline "$tmp/one.yaml" "$@"; }

check "no orphan before the tests" none_left "$marker"

run --peer "$tmp/bin/tg-peer-orphan" --timeout 1000 >"$tmp/out" 2>&1
check "run --peer PATH: the adapter's result is a fail" grep -q "unexpected" "$tmp/out"
check "run --peer PATH: nothing the adapter left runs on" none_left "$marker"
kill_orphans

TG_ORPHAN_MODE=hang run --peer "$tmp/bin/tg-peer-orphan" --timeout 500 >"$tmp/out" 2>&1
check "run, hanging adapter: a timeout" grep -q "timeout" "$tmp/out"
check "run, hanging adapter: nothing left" none_left "$marker"
kill_orphans

TG_PEER_DIR=$tmp/bin run --peer orphan --timeout 1000 >"$tmp/out" 2>&1
rc=$?
check "run --peer NAME finds tg-peer-NAME in \$TG_PEER_DIR (exit 1, not 2)" test $rc -eq 1
check "run --peer NAME (TG_PEER_DIR): nothing left" none_left "$marker"
kill_orphans

TG_PEER_DIR=$tmp/bin "$tg" peers --json >"$tmp/out" 2>&1
check "peers lists the fake adapter" grep -q '"name": "orphan"' "$tmp/out"
check "peers: nothing left" none_left "$marker"
kill_orphans

TG_ORPHAN_MODE=hang TG_PEER_DIR=$tmp/bin "$tg" peers --timeout-ms 300 >"$tmp/out" 2>&1
check "peers, hanging adapter: listed as broken" grep -q "orphan .*broken" "$tmp/out"
check "peers, hanging adapter: nothing left" none_left "$marker"
kill_orphans

# An orphan holding the pipe does not stand for the adapter: its answer counts once it exited
# (without waiting for the deadline, which would make it "no answer").
TG_ORPHAN_MODE=keep TG_PEER_DIR=$tmp/bin "$tg" peers --timeout-ms 5000 >"$tmp/out" 2>&1
check "peers, stdout held by an orphan: the adapter answered (ok)" grep -qE "^orphan +ok " "$tmp/out"
check "peers, stdout held by an orphan: nothing left" none_left "$marker"
kill_orphans

x=$src/vectors/x509/chains
"$tmp/bin/tlsgauntlet" verify --trust "$x/root.pem" --untrusted "$x/int_ed.pem" \
  --name www.example.com --time 2026-06-01T00:00:00Z --peer gnutls "$x/leaf_ok.pem" >"$tmp/out" 2>&1
check "verify --peer: the fake adapter was asked" grep -q "gnutls" "$tmp/out"
check "verify --peer: nothing left" none_left "$marker"
kill_orphans
TG_ORPHAN_MODE=keep "$tmp/bin/tlsgauntlet" verify --trust "$x/root.pem" --untrusted "$x/int_ed.pem" \
  --name www.example.com --time 2026-06-01T00:00:00Z --peer gnutls "$x/leaf_ok.pem" >"$tmp/out" 2>&1
check "verify --peer, stdout held by an orphan: the adapter's verdict counts" \
  grep -qE "^gnutls +valid +ok" "$tmp/out"
check "verify --peer, stdout held by an orphan: nothing left" none_left "$marker"
kill_orphans

# tlsgauntlet killed while the adapter hangs: with SIGKILL the death signal takes the adapter
# too; with SIGTERM the handler kills the adapter's group before tlsgauntlet ends by the signal.
for sig in KILL TERM; do
  TG_ORPHAN_MODE=hang "$tg" run --scenarios "$src/vectors/scenarios" --quiet --no-baseline \
    "$tmp/one.yaml" --peer "$tmp/bin/tg-peer-orphan" --timeout 600000 >/dev/null 2>&1 &
  runner=$!
  pids+=("$runner")
  for ((i = 0; i < 200; i++)); do some_left "$marker-hang" && break; nap 0.05; done
  check "SIG$sig: the hanging adapter started" some_left "$marker-hang"
  kill -"$sig" "$runner"
  { wait "$runner"; } 2>/dev/null
  rc=$?
  [ "$sig" = TERM ] && check "SIGTERM: tlsgauntlet ends by the signal" test $rc -eq 143
  for ((i = 0; i < 400; i++)); do none_left "$marker-hang" && break; nap 0.05; done
  check "SIG$sig of tlsgauntlet: the hanging adapter died with it" none_left "$marker-hang"
  kill_orphans
done

finish orphans
