#!/usr/bin/env bash
# The CI files of docs/ci.md against the command line they drive: .github/workflows/*.yml,
# docs/examples/*.yml and every ```yaml block of docs/ci.md parse (python3-yaml); each shell line
# that runs tlsgauntlet (GitHub `run:` steps, GitLab `script:` lines, ```sh blocks of docs/ci.md)
# names a command listed by `tlsgauntlet --help`, and each of its --options appears in that
# command's --help. Also: the workflows use the actions docs/ci.md names, at a major version;
# every file a workflow job uploads is one its tlsgauntlet lines write; ClusterFuzzLite's
# project.yaml and Dockerfile agree on the builder image, and its workflow checks the tree out
# first (the actions read project.yaml from it).
#   ci_files.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$(cd "$2" && pwd)
. "$src/tests/cli/lib.sh"

if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "FAIL python3 cannot import yaml (python3-yaml: scripts/setup installs it)"
  exit 1
fi
"$tg" --help >"$tmp/help" 2>&1
# `tlsgauntlet COMMAND --help` for each command the help lists, into $tmp/help.COMMAND.
for cmd in $(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' "$tmp/help"); do
  "$tg" "$cmd" --help >"$tmp/help.$cmd" 2>&1
done
check "tlsgauntlet --help lists its commands" test -s "$tmp/help.run"

# One python3 reads every file and prints one line per finding: "ok WHAT" or "FAIL WHAT".
python3 - "$src" "$tmp" >"$tmp/findings" 2>&1 <<'PY'
import fnmatch, glob, os, re, shlex, sys
import yaml

src, tmp = sys.argv[1], sys.argv[2]
def say(ok, what):
    print(("ok " if ok else "FAIL ") + what)

commands = {os.path.basename(p)[len("help."):]: open(p).read()
            for p in glob.glob(os.path.join(tmp, "help.*"))}
doc_path = os.path.join(src, "docs/ci.md")
doc = open(doc_path).read()
blocks = re.findall(r"^```(\w*)\n(.*?)^```", doc, re.S | re.M)

def lines_of(text):
    """Shell lines with their continuations joined, ${{ }} expressions made plain words."""
    text = re.sub(r"\$\{\{[^}]*\}\}", "X", text).replace("\\\n", " ")
    return [l.strip() for l in text.splitlines() if l.strip() and not l.strip().startswith("#")]

def invocations(line):
    """[command, options] of each tlsgauntlet call on a shell line."""
    try:
        lex = shlex.shlex(line, posix=True, punctuation_chars=True)
        lex.whitespace_split = True
        words = list(lex)
    except ValueError as e:
        return [("<unparsable: %s>" % e, [])]
    calls = []
    for i, w in enumerate(words):
        if os.path.basename(w) == "tlsgauntlet" and i + 1 < len(words):
            args = []
            for a in words[i + 2:]:
                if a and set(a) <= set("|&;<>()"):
                    break
                args.append(a)
            calls.append((words[i + 1], [a.split("=")[0] for a in args if a.startswith("--")]))
    return calls

def check_shell(where, text, writes):
    for line in lines_of(text):
        for cmd, opts in invocations(line):
            say(cmd in commands, "%s: tlsgauntlet %s is a command of tlsgauntlet --help" % (where, cmd))
            for o in opts:
                found = cmd in commands and re.search(r"(^|[\s\[|,])%s\b" % re.escape(o), commands[cmd], re.M)
                say(bool(found), "%s: tlsgauntlet %s %s is in its --help" % (where, cmd, o))
            words = shlex.split(re.sub(r"\$\{?\w+\}?", "X", line.split("||")[0]))
            for o in ("--json", "--junit", "--html"):
                if o in words and words.index(o) + 1 < len(words):
                    writes.add(words[words.index(o) + 1])

def load(path, text=None):
    try:
        return yaml.safe_load(text if text is not None else open(path))
    except yaml.YAMLError as e:
        say(False, "%s parses: %s" % (path, str(e).replace("\n", " ")))
        return None

# Every command docs/ci.md shows must exist; its shell blocks are checked like the workflows'.
doc_cmds = sorted(set(re.findall(r"tlsgauntlet (run|merge|diff|[a-z]+)\b", "".join(b for _, b in blocks))))
for c in doc_cmds:
    say(c in commands, "docs/ci.md names tlsgauntlet %s, a command of tlsgauntlet --help" % c)
for n, (lang, body) in enumerate(blocks):
    if lang in ("sh", "bash", "console"):
        check_shell("docs/ci.md block %d" % (n + 1), body, set())

actions = set(re.findall(r"`([\w.-]+/[\w./-]+)@v\d+`", doc))

def check_github(where, wf):
    say(True in wf or "on" in wf, "%s has triggers (on:)" % where)
    for name, job in wf["jobs"].items():
        at = "%s job %s" % (where, name)
        steps = job.get("steps", [])
        say(bool(steps) and all(("uses" in s) != ("run" in s) for s in steps),
            "%s: steps, each a uses: or a run:" % at)
        writes = set()
        for s in steps:
            if "run" in s:
                check_shell(at, s["run"], writes)
        for s in steps:
            base, _, ver = s.get("uses", "").partition("@")
            if not base:
                continue
            say(base in actions and re.fullmatch(r"v\d+", ver) is not None,
                "%s: %s is an action docs/ci.md names, at a major version" % (at, s["uses"]))
            if base == "actions/upload-artifact" and writes:
                for path in re.sub(r"\$\{\{[^}]*\}\}", "X", str(s["with"]["path"])).split():
                    say(path in writes, "%s uploads %s, which its tlsgauntlet lines write" % (at, path))
        if any(s.get("uses", "").startswith("google/clusterfuzzlite/") for s in steps):
            say(steps[0].get("uses", "").startswith("actions/checkout@"),
                "%s: checks out before ClusterFuzzLite (which reads project.yaml)" % at)
            sans = ((job.get("strategy") or {}).get("matrix") or {}).get("sanitizer", [])
            say("memory" not in sans, "%s: no MSan (Ubuntu's libraries are not instrumented)" % at)

def check_gitlab(where, ci):
    jobs = {k: v for k, v in ci.items() if isinstance(v, dict) and "script" in v}
    say(bool(jobs), "%s has jobs with a script:" % where)
    for name, job in jobs.items():
        at = "%s job %s" % (where, name)
        writes = set()
        for key in ("before_script", "script", "after_script"):
            for line in job.get(key) or []:
                check_shell(at, line, writes)
        for path in (job.get("artifacts") or {}).get("paths", []) if writes else []:
            say(any(fnmatch.fnmatch(w.replace("X", "1"), path) for w in writes),
                "%s keeps %s, which its tlsgauntlet lines write" % (at, path))

files = [(os.path.relpath(p, src), open(p).read()) for p in
         sorted(glob.glob(os.path.join(src, ".github/workflows/*.yml"))) +
         sorted(glob.glob(os.path.join(src, "docs/examples/*.yml")))]
files += [("docs/ci.md block %d" % (n + 1), body) for n, (lang, body) in enumerate(blocks) if lang == "yaml"]
say(sum(w.startswith(".github/workflows/") for w, _ in files) >= 2, "two workflows or more")
say(any(w.startswith("docs/examples/") for w, _ in files), "a GitLab example")
for where, text in files:
    ci = load(where, text)
    if isinstance(ci, dict) and "jobs" in ci:
        check_github(where, ci)
    elif isinstance(ci, dict):
        check_gitlab(where, ci)
    elif ci is not None:
        say(False, "%s is a mapping" % where)

cfl = os.path.join(src, ".clusterfuzzlite")
project = load(".clusterfuzzlite/project.yaml", open(os.path.join(cfl, "project.yaml")).read()) or {}
say(project.get("language") == "c", ".clusterfuzzlite/project.yaml: language c")
m = re.search(r"^FROM gcr.io/oss-fuzz-base/base-builder(?::(\S+))?", open(os.path.join(cfl, "Dockerfile")).read(), re.M)
say(m is not None and (m.group(1) or "latest") == project.get("base_os_version", "latest"),
    ".clusterfuzzlite: the Dockerfile's base-builder tag (%s) is project.yaml's base_os_version (%s)"
    % (m and m.group(1), project.get("base_os_version")))
PY
check "the checker ran" test $? -eq 0
while read -r verdict what; do
  check "$what" test "$verdict" = ok
done <"$tmp/findings"
check "the checker found tlsgauntlet lines to check" grep -q "tlsgauntlet run --shard is in its --help" "$tmp/findings"
finish ci_files
