#!/usr/bin/env bash
# The built-in target played in-process: `run --peer builtin` forks and calls tg-peer-builtin's
# main function in the child instead of exec'ing the program (harness/runner_peer.c), unless
# --exec-targets or $TG_EXEC_TARGETS says to start the program.
#   (a) the same results both ways: verdict, raw verdict and got text of every run of a set of
#       scenarios of the default suite (both roles, alerts, closes, TLS 1.2 and 1.3), and the
#       transcript names the way the target ran;
#   (b) a crash of the in-process target (tg-peer-builtin aborts on demand:
#       TG_PEER_BUILTIN_TEST=abort-alpn=P, peers/README.md) is its run's crash verdict, named
#       in the unexpected results, and the other runs of the same command pass;
#   (c) the child holds only fds 0-3 (TG_PEER_BUILTIN_TEST=fds lists them on its stderr, which
#       the transcript keeps): not the runner's end of its socketpair or pipes, nor another
#       job's (--jobs 2); the same as the program started by exec;
#   (d) only this build's adapter runs in-process: a --peer path, an adapter found only in
#       $TG_PEER_DIR, and TG_EXEC_TARGETS=1 start the program.
#   inproc.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_python3
bindir=$(dirname "$tg")
[ -x "$bindir/tg-peer-builtin" ] || { echo "FAIL $bindir/tg-peer-builtin is not built"; exit 1; }
run() { "$tg" run --scenarios "$src/vectors/scenarios" --quiet --no-baseline --jobs 2 "$@" \
  </dev/null; }

# The reports are read at the end by one python3 (starting one per check costs seconds on a busy
# machine): facts.py REPORT... prints NAME VALUE lines.
cat >"$tmp/facts.py" <<'PY'
import json, sys

def load(name):
    return json.load(open(sys.argv[1] + "/" + name + ".json"))["results"]

def lines(r, text):
    return [l for l in (r["transcript"] or "").splitlines() if text in l]

def fact(name, value):
    print(name, "yes" if value is True else "no" if value is False else value)

# (a) id, verdict, raw verdict, got and the adapter's outcome line of every run.
def rows(results):
    return sorted((r["id"], r["verdict"], r["raw_verdict"], r["got"] or "",
                   tuple(lines(r, "peer stdout: "))) for r in results)
a_in, a_exec = load("in"), load("exec")
fact("a_runs", len(a_in))
fact("a_roles", len({"client" if "--role client" in (r["transcript"] or "") else "server"
                     for r in a_in}))
outcomes = "".join("".join(x[4]) for x in rows(a_in))
fact("a_alerts", '"alert_sent":"' in outcomes)
fact("a_established", '"result":"established"' in outcomes)
fact("a_same", rows(a_in) == rows(a_exec))
first = sorted(r["id"] for r in a_in)[0]
cmd_in = [l for r in a_in if r["id"] == first for l in lines(r, "tg-peer-builtin --role")]
cmd_exec = [l for r in a_exec if r["id"] == first for l in lines(r, "tg-peer-builtin --role")]
fact("a_note_in", len(cmd_in) == 1 and cmd_in[0].endswith(" (in-process fork)"))
fact("a_note_exec", len(cmd_exec) == 1 and "in-process" not in cmd_exec[0]
     and cmd_in[0] == cmd_exec[0] + " (in-process fork)")

# (b) only inproc/crash crashed, by SIGABRT; the three others passed.
for mode in ("in", "exec"):
    got = {r["id"]: (r["verdict"], r["got"] or "") for r in load("crash-" + mode)}
    fact("b_" + mode, len(got) == 4 and got["inproc/crash"][0] == "crash"
         and "signal 6" in got["inproc/crash"][1]
         and all(v == "pass" for k, (v, _) in got.items() if k != "inproc/crash"))

# (c) each run's listing of the target's descriptors: 0-3, and at most those in argv[2].
for mode, allowed in (("in", sys.argv[2]), ("exec", sys.argv[3])):
    ok, results = True, load("fds-" + mode)
    for r in results:
        listing = lines(r, "test: open descriptors:")
        fds = set(listing[0].split("open descriptors:")[1].split()) if len(listing) == 1 else set()
        if not {"0", "1", "2", "3"} <= fds <= set(allowed.split()):
            print("#", mode, r["id"], listing, file=sys.stderr)
            ok = False
    fact("c_" + mode, ok and len(results) >= 8)

# (d) how each target was started.
for name in ("d_default", "d_env1", "d_env0", "d_path", "d_peerdir"):
    cmd = [l for r in load(name) for l in lines(r, "tg-peer-builtin --role")]
    fact(name, "none" if len(cmd) != 1 else "inproc" if "(in-process fork)" in cmd[0] else "exec")
PY

check "run --help names --exec-targets" bash -c "'$tg' run --help | grep -q -- '--exec-targets'"

# ---- (a) the same results ------------------------------------------------------------------------
set_files=("$src/vectors/scenarios/negotiation/alpn-sni.yaml"
  "$src/vectors/scenarios/handshake/alerts.yaml" "$src/vectors/scenarios/handshake/finished.yaml"
  "$src/vectors/scenarios/tls12/ccs-finished.yaml" "$src/vectors/scenarios/tls12/order.yaml")
run "${set_files[@]}" --json "$tmp/in.json" >/dev/null 2>&1
rc_in=$?
run "${set_files[@]}" --exec-targets --json "$tmp/exec.json" >/dev/null 2>&1
rc_exec=$?
check "(a) both runs end alike (exit $rc_in, $rc_exec)" test "$rc_in" -eq "$rc_exec"

# ---- (b) a crash costs only its verdict ------------------------------------------------------------
cat >"$tmp/crash.yaml" <<'YAML'
scenarios:
  - id: inproc/before
    rfc: RFC 8446 2
    target: server
    script:
      - send: client_hello
      - expect: established
  - id: inproc/crash
    rfc: RFC 7301 3.2
    target: server
    target_options: {alpn: [tg-crash]}
    endpoint: {alpn: [tg-crash]}
    script:
      - send: client_hello
      - expect: established
  - id: inproc/after
    rfc: RFC 8446 2
    target: client
    script:
      - expect: established
      - send: application_data
        data: "after"
      - expect: data
        data: "after"
  - id: inproc/alpn
    rfc: RFC 7301 3.2
    target: server
    target_options: {alpn: [h2]}
    endpoint: {alpn: [h2]}
    script:
      - send: client_hello
      - expect: established
YAML
for mode in in exec; do
  flag=()
  [ $mode = exec ] && flag=(--exec-targets)
  TG_PEER_BUILTIN_TEST=abort-alpn=tg-crash run "$tmp/crash.yaml" "${flag[@]}" \
    --json "$tmp/crash-$mode.json" >"$tmp/crash-$mode.out" 2>&1
  rc=$?
  check "(b) $mode: a crash exits 1" test $rc -eq 1
  check "(b) $mode: the crash is named among the unexpected results" \
    grep -q 'inproc/crash' "$tmp/crash-$mode.out"
done

# ---- (c) no descriptor of the runner in the child ------------------------------------------------
for mode in in exec; do
  flag=()
  [ $mode = exec ] && flag=(--exec-targets)
  TG_PEER_BUILTIN_TEST=fds run "$src/vectors/scenarios/negotiation/alpn-sni.yaml" "${flag[@]}" \
    --json "$tmp/fds-$mode.json" >/dev/null 2>&1
done
# The program started by exec also holds what the runner inherited without close-on-exec (the
# descriptors this script holds beyond 0-2), and nothing else.
inherited=$(ls /proc/$$/fd | awk '$1 > 3' | tr '\n' ' ')

# ---- (d) what runs in-process ----------------------------------------------------------------------
how() { # NAME ARGS...: inproc/before alone, the report in NAME.json
  local name=$1
  shift
  run "$tmp/crash.yaml" --filter inproc/before --json "$tmp/$name.json" "$@" >/dev/null 2>&1
}
how d_default --peer builtin
TG_EXEC_TARGETS=1 how d_env1 --peer builtin
TG_EXEC_TARGETS=0 how d_env0 --peer builtin
how d_path --peer "$bindir/tg-peer-builtin"
mkdir -p "$tmp/alone"
cp "$tg" "$tmp/alone/tlsgauntlet"
TG_PEER_DIR=$bindir "$tmp/alone/tlsgauntlet" run --scenarios "$src/vectors/scenarios" --quiet \
  --no-baseline "$tmp/crash.yaml" --filter inproc/before --json "$tmp/d_peerdir.json" \
  </dev/null >/dev/null 2>&1

# ---- the reports -----------------------------------------------------------------------------------
declare -A f
while read -r name value; do f[$name]=$value; done < <(python3 "$tmp/facts.py" "$tmp" "0 1 2 3" \
  "0 1 2 3 $inherited")
is() { [ "${f[$1]-}" = "$2" ]; }
check "(a) a set of scenarios was played (${f[a_runs]-?} runs)" test "${f[a_runs]-0}" -ge 40
check "(a) both roles were played" is a_roles 2
check "(a) the target sent alerts in some runs" is a_alerts yes
check "(a) ... and established in others" is a_established yes
check "(a) the same verdicts, got texts and outcome lines, run by run" is a_same yes
check "(a) in-process: the transcript's command line ends with (in-process fork)" is a_note_in yes
check "(a) --exec-targets: the same command line alone" is a_note_exec yes
for mode in in exec; do
  check "(b) $mode: only the crashing run is a crash (SIGABRT), the others pass" is b_$mode yes
  check "(c) $mode: every target had fds 0 1 2 3 open, and no other" is c_$mode yes
done
check "(d) --peer builtin: in-process" is d_default inproc
check "(d) TG_EXEC_TARGETS=1: started" is d_env1 exec
check "(d) TG_EXEC_TARGETS=0: in-process" is d_env0 inproc
check "(d) a --peer path: started" is d_path exec
check "(d) an adapter found only in \$TG_PEER_DIR: started" is d_peerdir exec

finish inproc
