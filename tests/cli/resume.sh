#!/usr/bin/env bash
# Scenarios that resume (docs/scenarios.md "Resumption"): `resume:` plays a first, plain
# connection for the session and the script on a second one.
#   - a server target: two adapter processes with one --ticket-key, the ticket of the first
#     offered to the second, which resumes it (`resume: {expect: resumed}` checks that);
#   - a client target: --sess-out FILE, then --sess-in FILE, the file removed after the run;
#   - an adapter without --ticket-key (exit 3): a skip with its reason, the script not played;
#   - a first connection that yields no session (the adapter writes no session file): inconclusive;
#   - a second process that cannot open the ticket (no shared key) with `expect: resumed`: fail.
# Adapters that misbehave are shell wrappers around tg-peer-builtin, named tg-peer-NAME.
#   resume.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
bin=$(dirname "$1")
builtin=$bin/tg-peer-builtin
. "$(dirname "$0")/lib.sh"
check "the builtin peer exists" test -x "$builtin"

cat >"$tmp/resume.yaml" <<'EOF'
scenarios:
  - id: resumption/t-server
    rfc: RFC 8446 4.2.11
    target: server
    resume: {expect: resumed}
    script:
      - send: client_hello
      - expect: established
  - id: resumption/t-client
    rfc: RFC 8446 4.2.11
    target: client
    resume: {expect: resumed}
    script:
      - expect: established
EOF

# run ADAPTER FILTER JSON: plays the file against one adapter.
run() {
  "$tg" run "$tmp/resume.yaml" --peer "$1" --filter "$2" --json "$3" >"$tmp/out" 2>&1
}
# The report is read with grep (one result per report; a python3 per field costs a second on a
# loaded machine). verdict JSON: the result's verdict; got JSON: its got; has JSON TEXT: the
# report (the transcript included, its lines joined by \n) holds TEXT.
verdict() { grep -o '"verdict": *"[a-z]*"' "$1" | head -1 | sed 's/.*"\([a-z]*\)"$/\1/'; }
got() { grep -o '"got": *"[^"]*"' "$1" | head -1; }
has() { grep -qF -- "$2" "$1"; }
# flag_values JSON FLAG: the values FLAG has in the transcript's adapter command lines.
flag_values() { grep -o -- "$2 [^ \\\"]*" "$1" | cut -d' ' -f2; }

# ---- Server target: two processes, one ticket key -------------------------------------------
run "$builtin" 'resumption/t-server' "$tmp/s.json"
check "server target: the resumed second connection passes" \
  test "$(verdict "$tmp/s.json")" = pass
keys=$(flag_values "$tmp/s.json" --ticket-key)
check "server target: two adapter processes, each given --ticket-key" \
  test "$(printf '%s\n' "$keys" | grep -c .)" = 2
check "server target: the same 32-hex-digit key both times" \
  test "$(printf '%s\n' "$keys" | sort -u | grep -cE '^[0-9a-f]{32}$')" = 1
check "server target: the transcript shows both connections" \
  has "$tmp/s.json" 'second connection (the script)'
check "server target: the second process reports a resumption" \
  has "$tmp/s.json" '\"resumed\":true'

# ---- Client target: --sess-out, then --sess-in ----------------------------------------------
run "$builtin" 'resumption/t-client' "$tmp/c.json"
check "client target: the resumed second connection passes" \
  test "$(verdict "$tmp/c.json")" = pass
out=$(flag_values "$tmp/c.json" --sess-out)
in=$(flag_values "$tmp/c.json" --sess-in)
check "client target: --sess-out in the first process, --sess-in with the same file in the second" \
  test -n "$out" -a "$out" = "$in"
check "client target: the session file is removed after the run" test ! -e "$out"

# ---- An adapter that cannot take --ticket-key: skip -----------------------------------------
mkdir -p "$tmp/nokey" "$tmp/nosess" "$tmp/ownkey"
cat >"$tmp/nokey/tg-peer-nokey" <<EOF
#!/bin/sh
case " \$* " in *" --ticket-key "*) echo "tg-peer-nokey: unsupported: --ticket-key: not here" >&2; exit 3;; esac
exec "$builtin" "\$@"
EOF
chmod +x "$tmp/nokey/tg-peer-nokey"
run "$tmp/nokey/tg-peer-nokey" 'resumption/t-server' "$tmp/k.json"
check "no --ticket-key: a skip" test "$(verdict "$tmp/k.json")" = skip
check "no --ticket-key: the adapter's reason" has <(got "$tmp/k.json") 'not here'
check "no --ticket-key: the script was not played" bash -c "! grep -qF 'second connection' '$tmp/k.json'"

# ---- A first connection without a session: inconclusive ------------------------------------
# The wrapper leaves --sess-out FILE out, so the file stays empty.
cat >"$tmp/nosess/tg-peer-nosess" <<EOF
#!/bin/sh
skip=0
for a in "\$@"; do
  shift
  if [ \$skip = 1 ]; then skip=0; continue; fi
  if [ "\$a" = --sess-out ]; then skip=1; continue; fi
  set -- "\$@" "\$a"
done
exec "$builtin" "\$@"
EOF
chmod +x "$tmp/nosess/tg-peer-nosess"
run "$tmp/nosess/tg-peer-nosess" 'resumption/t-client' "$tmp/n.json"
check "no session from the first connection: inconclusive" \
  test "$(verdict "$tmp/n.json")" = inconclusive
check "no session: the reason names the empty session file" \
  has <(got "$tmp/n.json") 'yielded no session'

# ---- A second process that cannot open the ticket: `expect: resumed` fails -------------------
# The wrapper leaves --ticket-key KEY out: each process draws its own key.
cat >"$tmp/ownkey/tg-peer-ownkey" <<EOF
#!/bin/sh
skip=0
for a in "\$@"; do
  shift
  if [ \$skip = 1 ]; then skip=0; continue; fi
  if [ "\$a" = --ticket-key ]; then skip=1; continue; fi
  set -- "\$@" "\$a"
done
exec "$builtin" "\$@"
EOF
chmod +x "$tmp/ownkey/tg-peer-ownkey"
run "$tmp/ownkey/tg-peer-ownkey" 'resumption/t-server' "$tmp/o.json"
check "a full handshake where the scenario expects a resumption: fail" \
  test "$(verdict "$tmp/o.json")" = fail
check "the fail says the session was not resumed" \
  has <(got "$tmp/o.json") 'not resumed'

finish resume.sh
