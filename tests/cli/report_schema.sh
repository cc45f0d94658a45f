#!/usr/bin/env bash
# The JSON report of a real run (builtin and gnutls, a few scenarios) against
# docs/report-schema.json, with Debian's python3-jsonschema (Draft 2020-12), and its provenance
# against what the machine says on its own: uname, `tlsgauntlet --version`, the commit in the
# source tree, each adapter's --info, the command line given. Documents broken one member at a
# time must fail the schema, so the validation is not vacuous.
#   report_schema.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
bindir=$(dirname "$1")
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/json.sh"
pids+=($jq_pid)

# Debian's python3 (scripts/setup installs python3-jsonschema for it), not one a user put first
# in PATH.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if ! "$py" -c 'import jsonschema' 2>/dev/null; then
  echo "FAIL $py has no jsonschema module (scripts/setup installs python3-jsonschema)"
  exit 1
fi

before=$(date -u +%Y-%m-%dT%H:%M:%SZ)
args=(run --scenarios "$src/vectors/scenarios" --quiet --jobs 2 --peer builtin --peer gnutls
  --filter 'client-hello/cipher-suites-empty' --filter 'client-hello/duplicate-server-name'
  --json "$tmp/report.json")
"$tg" "${args[@]}" >"$tmp/run.out" 2>&1
after=$(date -u +%Y-%m-%dT%H:%M:%SZ)
check "the run writes the JSON report" test -s "$tmp/report.json"

# Valid against the schema; each broken copy invalid; the provenance flattened into one line.
"$py" - "$src/docs/report-schema.json" "$tmp/report.json" >"$tmp/facts" 2>"$tmp/py.err" <<'PY'
import copy, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
errors = [e.message for e in v.iter_errors(doc)]
def broken(edit):
    d = copy.deepcopy(doc)
    edit(d)
    return not v.is_valid(d)
cases = {
    "no tool": lambda d: d.pop("tool"),
    "schema_version 3": lambda d: d.update(schema_version=3),
    "started not ISO 8601": lambda d: d.update(started="7 Dec 2026"),
    "command_line a string": lambda d: d.update(command_line="tlsgauntlet run"),
    "a library without version": lambda d: d["libraries"]["gnutls"].pop("version"),
    "an unknown verdict": lambda d: d["results"][0].update(verdict="bogus"),
    "a result without transcript": lambda d: d["results"][0].pop("transcript"),
    "an unknown member": lambda d: d.update(extra=1),
}
print(json.dumps({
    "valid": not errors, "errors": "; ".join(errors[:3]),
    "broken_rejected": [k for k, f in cases.items() if broken(f)],
    "broken_total": len(cases),
    "schema_version": doc["schema_version"],
    "tool_name": doc["tool"]["name"], "tool_version": doc["tool"]["version"],
    "commit": doc["tool"]["commit"], "started": doc["started"],
    "host_name": doc["host"]["name"], "kernel": doc["host"]["kernel"],
    "command_line": "\n".join(doc["command_line"]),
    "library_keys": " ".join(sorted(doc["libraries"])), "impls": " ".join(sorted(doc["implementations"])),
    "builtin_library": doc["libraries"]["builtin"]["library"],
    "builtin_version": doc["libraries"]["builtin"]["version"],
    "gnutls_library": doc["libraries"]["gnutls"]["library"],
    "gnutls_version": doc["libraries"]["gnutls"]["version"],
}))
PY
check "the schema checked (stderr: $(tail -c 300 "$tmp/py.err"))" test -s "$tmp/facts"
facts=$(cat "$tmp/facts")
is() { json_ask is "$facts" "$1" "$2" && [ "$REPLY" = 0 ]; }
get() { json_ask get "$facts" "$1"; }
yes() { get "$1" && [ "$REPLY" = True ]; } # a JSON true

get errors
check "the report is valid against docs/report-schema.json ($REPLY)" yes valid
get broken_rejected
rejected=$REPLY
get broken_total
check "each broken copy is invalid ($rejected)" [ "$(grep -o "'" <<<"$rejected" | wc -l)" = $((2 * REPLY)) ]

get schema_version
check "schema_version is 2 ($REPLY)" [ "$REPLY" = 2 ]
check "tool.name" is tool_name tlsgauntlet
version=$("$tg" --version)
check "tool.version is what --version says ($version)" is tool_version "${version#tlsgauntlet }"
get commit
commit=$REPLY
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  check "tool.commit $commit is a commit of the source tree" \
    git -C "$src" cat-file -e "$commit^{commit}"
else
  check "tool.commit is unknown outside a git checkout" [ "$commit" = unknown ]
fi
get started
started=$REPLY
check "started ($started) lies between the times around the run" \
  "$py" -c 'import sys; a, s, b = sys.argv[1:]; sys.exit(not a <= s <= b)' "$before" "$started" "$after"
check "host.name is uname -n" is host_name "$(uname -n)"
check "host.kernel is uname -s -r -m" is kernel "$(uname -s) $(uname -r) $(uname -m)"
check "command_line is the argv given" is command_line "$(printf '%s\n' tlsgauntlet "${args[@]}")"
check "libraries has one entry per implementation" is library_keys "builtin gnutls"
for impl in builtin gnutls; do
  info=$("$bindir/tg-peer-$impl" --info)
  json_ask get "$info" implementation
  check "libraries.$impl.library is what --info says ($REPLY)" is "${impl}_library" "$REPLY"
  json_ask get "$info" version
  check "libraries.$impl.version is what --info says ($REPLY)" is "${impl}_version" "$REPLY"
done

finish report_schema
