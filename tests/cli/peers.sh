#!/usr/bin/env bash
# tlsgauntlet peers and every adapter's --info line: the four implementations are found with a
# version, --json parses, each --info line has the keys of peers/README.md, and a broken peer
# (one that fails, one that hangs) is listed as broken while the command still exits 0.
#   peers.sh TLSGAUNTLET SOURCE_DIR   (the peer binaries sit next to TLSGAUNTLET)
set -u
tg=$1
bindir=$(dirname "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
has_python=false
command -v python3 >/dev/null 2>&1 && has_python=true

# info_ok NAME LINE: LINE is one JSON object with every key, implementation NAME, a version,
# both roles, non-empty lists, and the seven features as booleans.
info_ok() {
  if $has_python; then
    python3 -c 'import json,sys
d = json.loads(sys.argv[2])
keys = ["implementation","version","roles","versions","cipher_suites","groups",
        "signature_schemes","features"]
assert list(d) == keys, list(d)
assert d["implementation"] == sys.argv[1] and d["version"]
assert d["roles"] == ["client","server"]
for k in keys[3:7]:
    assert isinstance(d[k], list) and d[k] and all(isinstance(x, str) for x in d[k]), k
# Every library here speaks TLS 1.2; those that speak TLS 1.3 (all but Mbed TLS 2.28) have its
# first suite.
assert "TLSv1.2" in d["versions"], d["versions"]
assert "TLSv1.3" not in d["versions"] or "TLS_AES_128_GCM_SHA256" in d["cipher_suites"]
assert "x25519" in d["groups"] and "ecdsa_secp256r1_sha256" in d["signature_schemes"]
f = d["features"]
assert sorted(f) == sorted(["alpn","sni","client_auth","resumption","key_update","ticket_key",
                           "require_ems","ems_optional"])
assert all(isinstance(v, bool) for v in f.values())' "$1" "$2"
  else
    for k in implementation version roles versions cipher_suites groups signature_schemes \
      features alpn sni client_auth resumption key_update ticket_key require_ems ems_optional; do
      grep -qF "\"$k\":" <<<"$2" || return 1
    done
    grep -qF "\"implementation\":\"$1\"" <<<"$2"
  fi
}

# ---- each adapter's --info ---------------------------------------------------------------------
# Every adapter built beside tlsgauntlet (the registry's, as configure found their libraries).
adapters=()
for f in "$bindir"/tg-peer-*; do [ -x "$f" ] && adapters+=("${f##*/tg-peer-}"); done
check "at least the four adapters of every build are here (${adapters[*]})" \
  test "${#adapters[@]}" -ge 4
for name in "${adapters[@]}"; do
  line=$("$bindir/tg-peer-$name" --info 2>"$tmp/err"); rc=$?
  check "tg-peer-$name --info exits 0" test "$rc" -eq 0
  check "tg-peer-$name --info prints one line" test "$(printf '%s\n' "$line" | wc -l)" -eq 1
  check "tg-peer-$name --info has the keys and values" info_ok "$name" "$line"
done
# The lists are probed, not copied: the builtin engine speaks TLS 1.2 and 1.3, has x448 and
# ffdhe2048 and no X25519MLKEM768,
# OpenSSL cannot take --ticket-key, GnuTLS can.
b=$("$bindir/tg-peer-builtin" --info)
check "builtin: versions are TLS 1.2 and 1.3" grep -qF '"versions":["TLSv1.2","TLSv1.3"]' <<<"$b"
check "builtin: x448 and ffdhe2048" grep -qF '"x448","ffdhe2048"' <<<"$b"
check "builtin: no X25519MLKEM768" bash -c '! grep -qF "\"X25519MLKEM768\"" <<<"$1"' _ "$b"
check "openssl: ticket_key false" grep -qF '"ticket_key":false' <<<"$("$bindir/tg-peer-openssl" --info)"
check "gnutls: ticket_key true" grep -qF '"ticket_key":true' <<<"$("$bindir/tg-peer-gnutls" --info)"
check "gnutls: TLS 1.2 suites too" grep -qF 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' \
  <<<"$("$bindir/tg-peer-gnutls" --info)"
# Mbed TLS 2.28 as Debian builds it has no TLS 1.3; NSS cannot seal tickets under a given key,
# wolfSSL can (its ticket callback).
if [ -x "$bindir/tg-peer-mbedtls" ]; then
  check "mbedtls: no TLS 1.3" bash -c '! grep -qF "TLSv1.3" <<<"$1"' _ "$("$bindir/tg-peer-mbedtls" --info)"
fi
if [ -x "$bindir/tg-peer-nss" ]; then
  check "nss: ticket_key false" grep -qF '"ticket_key":false' <<<"$("$bindir/tg-peer-nss" --info)"
fi
if [ -x "$bindir/tg-peer-wolfssl" ]; then
  check "wolfssl: ticket_key true" grep -qF '"ticket_key":true' <<<"$("$bindir/tg-peer-wolfssl" --info)"
fi
# --info still rejects an unknown flag next to it.
"$bindir/tg-peer-builtin" --info --bogus >/dev/null 2>&1; rc=$?
check "--info --bogus exits 2" test "$rc" -eq 2

# ---- tlsgauntlet peers -------------------------------------------------------------------------
out=$(env -u TG_PEER_DIR "$tg" peers 2>"$tmp/err"); rc=$?
check "peers exits 0" test "$rc" -eq 0
for name in "${adapters[@]}"; do
  check "peers lists $name as ok" grep -qE "^$name +ok +client,server" <<<"$out"
done
check "peers shows the GnuTLS version" grep -qF "$(gnutls-cli --version 2>/dev/null |
  sed -n 's/.*gnutls-cli \([0-9.]*\).*/\1/p' | head -1)" <<<"$out"
check "peers shows the OpenSSL version" grep -qF "$(openssl version | cut -d' ' -f1,2)" <<<"$out"

json=$(env -u TG_PEER_DIR "$tg" peers --json); rc=$?
check "peers --json exits 0" test "$rc" -eq 0
if $has_python; then
  check "peers --json parses: four ok peers with versions" python3 -c 'import json,sys
a = json.loads(sys.argv[1])
ok = {p["name"]: p for p in a if p["status"] == "ok"}
assert set(ok) >= {"builtin","gnutls","openssl","boringssl"}, sorted(ok)
assert all(p["version"] and p["implementation"] == n for n, p in ok.items())' "$json"
else
  check "peers --json has four ok peers" test "$(grep -c '"status": "ok"' <<<"$json")" -ge 4
fi

"$tg" peers --bogus >/dev/null 2>&1; rc=$?
check "peers --bogus exits 2" test "$rc" -eq 2
"$tg" peers --timeout-ms 0 >/dev/null 2>&1; rc=$?
check "peers --timeout-ms 0 exits 2" test "$rc" -eq 2

# ---- broken peers via TG_PEER_DIR ----------------------------------------------------------------
mkdir "$tmp/peers"
printf '#!/bin/sh\necho "oops" >&2\nexit 1\n' >"$tmp/peers/tg-peer-broken"
printf '#!/bin/sh\nexec sleep 30\n' >"$tmp/peers/tg-peer-hang"
printf '#!/bin/sh\necho "not json"\n' >"$tmp/peers/tg-peer-garbage"
printf '#!/bin/sh\nkill -SEGV $$\n' >"$tmp/peers/tg-peer-crash"
printf 'not executable\n' >"$tmp/peers/tg-peer-plainfile"
printf '#!/bin/sh\nexec >&-\nexec sleep 30\n' >"$tmp/peers/tg-peer-quiet"
chmod +x "$tmp/peers/tg-peer-broken" "$tmp/peers/tg-peer-hang" "$tmp/peers/tg-peer-quiet" "$tmp/peers/tg-peer-garbage" \
  "$tmp/peers/tg-peer-crash"
# The deadline is generous beside a real adapter's --info (~0.2 s under ASan, seconds on a loaded
# machine), and far below the hanging peers' 30 s.
start=$(date +%s)
out=$(TG_PEER_DIR=$tmp/peers "$tg" peers --timeout-ms 4000); rc=$?
took=$(($(date +%s) - start))
check "with broken peers, peers still exits 0" test "$rc" -eq 0
check "the failing peer is broken (exit 1)" grep -qE '^broken +broken +--info exited 1' <<<"$out"
check "the hanging peer is broken (timeout)" grep -qE '^hang +broken +no answer' <<<"$out"
check "a peer that closes stdout and hangs is broken" grep -qE '^quiet +broken +no answer' \
  <<<"$out"
check "the garbage peer is broken" grep -qE '^garbage +broken +--info printed no JSON' <<<"$out"
check "the crashing peer is broken (signal)" grep -qE '^crash +broken +--info killed by signal' \
  <<<"$out"
check "a non-executable file is not a peer" bash -c '! grep -q "^plainfile" <<<"$1"' _ "$out"
check "the real peers still answer" grep -qE '^builtin +ok' <<<"$out"
check "the hanging peers were cut off, not waited for (${took}s)" test "$took" -lt 25
# --json without the two hanging peers (their cut-off is checked above).
mkdir "$tmp/fast"
cp "$tmp/peers/tg-peer-broken" "$tmp/peers/tg-peer-garbage" "$tmp/peers/tg-peer-crash" "$tmp/fast/"
json=$(TG_PEER_DIR=$tmp/fast "$tg" peers --json --timeout-ms 4000)
if $has_python; then
  check "--json marks the broken peer with an error" python3 -c 'import json,sys
a = {p["name"]: p for p in json.loads(sys.argv[1])}
assert a["broken"]["status"] == "broken" and "exited 1" in a["broken"]["error"]
assert a["builtin"]["status"] == "ok"' "$json"
fi

# Only broken peers: nothing answered, exit 1. A copy of tlsgauntlet alone in a directory finds
# no sibling peers.
mkdir "$tmp/alone"
cp "$tg" "$tmp/alone/tlsgauntlet"
rm "$tmp/peers/tg-peer-hang" "$tmp/peers/tg-peer-quiet"
TG_PEER_DIR=$tmp/peers "$tmp/alone/tlsgauntlet" peers >/dev/null 2>&1; rc=$?
check "no peer answered: exit 1" test "$rc" -eq 1

[ "$fails" -eq 0 ] && echo "all passed" || { echo "$fails failed"; exit 1; }
