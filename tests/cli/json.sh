# One python3 that answers the JSON questions of a CLI test over two FIFOs (starting a python3 per
# check cost most of peer_gnutls.sh's and peer_builtin.sh's time). Source it once $tmp exists; it
# sets jq_pid (empty without python3: the caller falls back), which the caller's cleanup kills.
# Each question is "OP\0LINE\0KEY\0VALUE\0", each answer ends in \0:
#   is:  "0" when LINE parses and LINE[KEY] == VALUE (VALUE "null" for null), else "1";
#   get: what print(LINE[KEY]) printed (None for null or absent), "" when LINE does not parse.
# A LINE that does not parse prints its traceback on stderr. The FIFO descriptors are
# opened with exec, so $(field ...) in a subshell can ask too.
jq_pid=
if command -v python3 >/dev/null 2>&1; then
  mkfifo "$tmp/jq.in" "$tmp/jq.out"
  python3 -c 'import json, os, sys, traceback
def answer(op, line, key, value):
    try:
        d = json.loads(line)
        if op == "is":
            v = d.get(key, "<absent>")
            return "0" if (v is None and value == "null") or v == value else "1"
        return str(d.get(key)).rstrip("\n").replace("\0", "")
    except Exception:
        traceback.print_exc()
        return "1" if op == "is" else ""
buf = b""
while True:
    chunk = os.read(0, 1 << 16)
    if not chunk:
        break
    buf += chunk
    while buf.count(b"\0") >= 4:
        op, line, key, value, buf = buf.split(b"\0", 4)
        args = [x.decode("utf-8", "surrogateescape") for x in (op, line, key, value)]
        os.write(1, answer(*args).encode("utf-8", "surrogateescape") + b"\0")' \
    <"$tmp/jq.in" >"$tmp/jq.out" &
  jq_pid=$!
  exec {jq_w}>"$tmp/jq.in" {jq_r}<"$tmp/jq.out"
fi
# json_ask OP LINE KEY [VALUE]: the helper's answer in $REPLY. A helper that does not answer
# within 20 s is stopped, and that question and every later one fails (no answer out of turn).
json_ask() {
  REPLY=
  [ -n "${jq_w:-}" ] || return 1
  printf '%s\0%s\0%s\0%s\0' "$1" "$2" "$3" "${4-}" >&"$jq_w"
  IFS= read -r -d '' -t 20 -u "$jq_r" REPLY && return 0
  echo "the JSON helper did not answer: every JSON check from here fails" >&2
  kill "$jq_pid" 2>/dev/null
  exec {jq_w}>&- {jq_r}<&-
  jq_w= REPLY=
  return 1
}
