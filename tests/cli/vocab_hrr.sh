#!/usr/bin/env bash
# The HelloRetryRequest vocabulary end to end: one tlsgauntlet plays a scripted server whose
# `expect: client_hello` `after: hello_retry_request` step checks the second ClientHello
# (docs/scenarios.md), and its target is another tlsgauntlet playing a scripted client that
# changes only its second ClientHello (`send: client_hello` `after: hello_retry_request`), on a
# loopback port the runner picks. Each row: the edit and the check that must fail, or none.
#   vocab_hrr.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
. "$(dirname "$0")/lib.sh"

cat >"$tmp/server.yaml" <<'YAML'
id: t/check-second-hello
rfc: RFC 8446 4.1.2
target: client
endpoint: {groups: [secp384r1], hrr_cookie: "c00c1e"}
script:
  - expect: client_hello
    after: hello_retry_request
    check: [unchanged, cookie, key_share, no_early_data]
  - expect: established
YAML

# EDIT (YAML of the second-hello step's edit, or empty) and the check named in the verdict.
play() { # NAME EDIT WANT_CHECK
  {
    printf 'id: t/second-hello\nrfc: RFC 8446 4.1.2\ntarget: server\n'
    printf 'endpoint: {groups: [x25519, secp384r1], key_shares: [x25519]}\nscript:\n'
    printf '  - send: client_hello\n  - expect: hello_retry_request\n'
    [ -n "$2" ] && printf '  - send: client_hello\n    after: hello_retry_request\n    %s\n' "$2"
    printf '  - expect: close\n'
  } >"$tmp/$1.yaml"
  "$tg" run "$tmp/server.yaml" --role client --target-name scripted --timeout 3000 \
    --target-cmd "'$tg' run '$tmp/$1.yaml' --role server --target tcp://{host}:{port} >/dev/null 2>&1" \
    --json "$tmp/$1.json" >/dev/null 2>&1
  # The report's one result: its raw verdict, and for a failure the check it names.
  local j="$tmp/$1.json"
  grep -o '"got": *"[^"]*"' "$j" | sed 's/^/    /'
  if [ -z "$3" ]; then
    grep -q '"raw_verdict": *"pass"' "$j"
  else
    grep -q '"raw_verdict": *"fail"' "$j" && grep -q "(check $3)" "$j"
  fi
}

check "a conforming second ClientHello passes every check" play none "" ""
check "the cookie left out fails check cookie" \
  play cookie "extensions: {drop: [cookie]}" cookie
check "early_data added fails check no_early_data" \
  play early "extensions: {add: [{type: early_data}]}" no_early_data
check "other cipher_suites fail check unchanged" \
  play suites "set: {cipher_suites: [TLS_AES_256_GCM_SHA384]}" unchanged
check "a share for another group fails check key_share" \
  play share "extensions: {drop: [key_share], add: [{type: key_share, hex: \"0024001d00200909090909090909090909090909090909090909090909090909090909090909\"}]}" key_share
finish vocab_hrr
