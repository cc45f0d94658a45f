#!/usr/bin/env bash
# The HTML report of a real run (builtin and gnutls, 28 client-hello scenarios, gnutls's
# baselined wrong alerts among them) in headless Chromium, driven over the DevTools protocol
# (--remote-debugging-pipe; the client is a few lines of python3 below, no package): once the
# page has inflated its compressed data, a real mouse click on an xfail cell far down the matrix
# must open that run's transcript in a row right under the clicked row, inside the window; the
# xfail cells name what the target did; a screenshot of the result is a PNG of the window's
# size that is not blank (kept as html_browser.png next to tlsgauntlet).
#   html_browser.sh TLSGAUNTLET SOURCE_DIR
set -u
tg=$1
src=$2
bindir=$(cd "$(dirname "$1")" && pwd)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/json.sh"
pids+=($jq_pid)

if ! command -v chromium >/dev/null 2>&1; then
  echo "FAIL chromium is not installed (scripts/setup installs it)"
  exit 1
fi
if [ -z "$jq_pid" ]; then
  echo "FAIL python3 is not installed (scripts/setup installs it)"
  exit 1
fi

# A small real run: every cipher-suites, compression and duplicate-extension scenario.
"$tg" run --scenarios "$src/vectors/scenarios" --quiet --jobs 2 --peer builtin --peer gnutls \
  --filter 'client-hello/cipher-suites-*' --filter 'client-hello/compression-*' \
  --filter 'client-hello/duplicate-*' --html "$tmp/report.html" --json "$tmp/report.json" \
  >"$tmp/run.out" 2>&1
check "the run writes the page" test -s "$tmp/report.html"
size=$(stat -c %s "$tmp/report.html")
echo "     report.html: $size bytes"

# The last xfail cell of the matrix: the click target.
target=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
k = [i for i, r in enumerate(d["results"]) if r["verdict"] == "xfail" and r["transcript"]]
print(k[-1] if k else "")' "$tmp/report.json")
check "the run has an xfail with a transcript to click" test -n "$target"

# The DevTools client: opens the page at 1200x800, waits until its script has built the matrix
# (at most 20 s; the bound only stops a hung browser), scrolls the cell into view, clicks it with
# the mouse, measures where things are and takes a screenshot. Prints one JSON line of facts.
cat >"$tmp/cdp.py" <<'PY'
import base64, fcntl, json, os, subprocess, sys, time
page, k, shot, profile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def high(fd): # the descriptor moved above 9, out of the way of 3 and 4
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved
to_chrome_r, to_chrome_w = map(high, os.pipe())
from_chrome_r, from_chrome_w = map(high, os.pipe())
# The pipe protocol: the browser reads commands on fd 3 and writes answers on fd 4, each a JSON
# text ended by NUL.
def child():
    os.dup2(to_chrome_r, 3)
    os.dup2(from_chrome_w, 4)
chrome = subprocess.Popen(
    ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
     "--no-first-run", "--remote-debugging-pipe", "--user-data-dir=" + profile,
     "--window-size=1200,800", "about:blank"],
    preexec_fn=child, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
    stderr=open(profile + ".log", "w"))
os.close(to_chrome_r)
os.close(from_chrome_w)
buf, next_id, events = b"", [0], []
def read_message():
    global buf
    while b"\0" not in buf:
        chunk = os.read(from_chrome_r, 1 << 16)
        if not chunk:
            sys.exit("chromium closed the pipe (see %s.log)" % profile)
        buf += chunk
    text, buf = buf.split(b"\0", 1)
    return json.loads(text)
def call(method, params=None, session=None):
    next_id[0] += 1
    msg = {"id": next_id[0], "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    os.write(to_chrome_w, json.dumps(msg).encode() + b"\0")
    while True:
        m = read_message()
        if m.get("id") == next_id[0]:
            if "error" in m:
                sys.exit("%s: %s" % (method, m["error"]))
            return m["result"]
        events.append(m)
def wait_event(name, session):
    while True:
        for m in events:
            if m.get("method") == name and m.get("sessionId") == session:
                events.remove(m)
                return m
        events.append(read_message())
def js(expr, session):
    r = call("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True},
             session)
    if "exceptionDetails" in r:
        sys.exit("page script: %s" % r["exceptionDetails"])
    return r["result"].get("value")
try:
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    call("Page.enable", None, s)
    call("Emulation.setDeviceMetricsOverride",
         {"width": 1200, "height": 800, "deviceScaleFactor": 1, "mobile": False}, s)
    call("Page.navigate", {"url": "file://" + page}, s)
    wait_event("Page.loadEventFired", s)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not js("document.body.dataset.ready === 'yes'", s):
        time.sleep(0.1)
    cell = "document.querySelector('td.cell[data-k=\"%d\"]')" % k
    if not js("!!" + cell, s):
        sys.exit("the page built no cell %d: %s" % (k, js("document.getElementById('when').textContent", s)))
    box = js("(() => { const c = %s; c.scrollIntoView({block: 'end'});"
             " const b = c.getBoundingClientRect();"
             " return {x: b.x + b.width / 2, y: b.y + b.height / 2, scrolled: scrollY}; })()" % cell,
             s)
    for kind in ("mousePressed", "mouseReleased"):
        call("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"],
                                          "button": "left", "clickCount": 1}, s)
    facts = js("""(() => {
      const c = %s, row = c.parentNode, d = document.getElementById('detail');
      const t = document.getElementById('transcript');
      const rb = row.getBoundingClientRect();
      const db = d ? d.getBoundingClientRect() : null;
      const xf = Array.from(document.querySelectorAll('td.cell.v-xfail'));
      return {
        scrolled: scrollY, viewport: innerHeight, page_height: document.body.scrollHeight,
        page_width: document.documentElement.scrollWidth, window_width: innerWidth,
        cell_selected: c.classList.contains('selected'),
        detail: !!d, detail_ready: d ? d.dataset.ready || '' : '',
        detail_after_row: !!d && row.nextElementSibling === d,
        gap: db ? db.top - rb.bottom : null,
        detail_top: db ? db.top : null, detail_bottom: db ? db.bottom : null,
        row_top: rb.top,
        transcript: t ? t.textContent : '', transcript_visible: !!t && t.offsetHeight > 0,
        title: document.getElementById('panel-title') ?
          document.getElementById('panel-title').textContent : '',
        xfail_cells: xf.length,
        xfail_words: xf.map(x => (x.querySelector('.outcome') || {}).textContent || ''),
        origin: (document.getElementById('origin') || {}).textContent || ''};
    })()""" % cell, s)
    png = base64.b64decode(call("Page.captureScreenshot", {"format": "png"}, s)["data"])
    open(shot, "wb").write(png)
    print(json.dumps(facts))
finally:
    try:
        call("Browser.close")
    except BaseException:
        pass
    try:
        chrome.wait(timeout=10)
    except subprocess.TimeoutExpired:
        chrome.kill()
PY

python3 "$tmp/cdp.py" "$tmp/report.html" "$target" "$tmp/shot.png" "$tmp/profile" >"$tmp/facts" \
  2>"$tmp/cdp.err"
check "the DevTools client ran (stderr: $(tail -c 300 "$tmp/cdp.err"))" test -s "$tmp/facts"
[ -s "$tmp/facts" ] || { finish html_browser; exit 1; }
facts=$(cat "$tmp/facts")
expected_transcript=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["transcript"][:60])' \
  "$tmp/report.json" "$target")

is() { json_ask is "$facts" "$1" "$2" && [ "$REPLY" = 0 ]; }
get() { json_ask get "$facts" "$1"; }
yes() { get "$1" && [ "$REPLY" = True ]; } # a JSON true
check "the clicked cell is selected" yes cell_selected
check "a transcript row opened" yes detail
check "its transcript was filled in" is detail_ready yes
check "it is the row right under the clicked row" yes detail_after_row
get gap
check "it starts where the clicked row ends (gap $REPLY px)" \
  python3 -c 'import sys; sys.exit(not abs(float(sys.argv[1])) <= 2)' "$REPLY"
get row_top
row_top=$REPLY
get detail_bottom
bottom=$REPLY
get viewport
check "the clicked row and its transcript are both in the window (row top $row_top, transcript bottom $bottom, window $REPLY px)" \
  python3 -c 'import sys; t, b, h = map(float, sys.argv[1:]); sys.exit(not 0 <= t < b <= h + 1)' \
  "$row_top" "$bottom" "$REPLY"
get scrolled
check "the cell was far down the page: the window had scrolled ($REPLY px)" [ "${REPLY%.*}" -gt 500 ]
check "the transcript is visible" yes transcript_visible
get page_width
width=$REPLY
get window_width
check "the page is no wider than the window ($width of $REPLY px)" [ "$width" -le "$REPLY" ]
get transcript
case $REPLY in "$expected_transcript"*) t=0 ;; *) t=1 ;; esac
check "it is result $target's transcript" [ "$t" = 0 ]
get title
case $REPLY in *"xfail (raw lenient)"*"baseline:"*) t=0 ;; *) t=1 ;; esac
check "the title says xfail, the raw verdict and the baseline's reason" [ "$t" = 0 ]
get xfail_words
words=$REPLY
check "xfail cells name what the target did ($words)" python3 -c 'import ast, sys
words = ast.literal_eval(sys.argv[1])
known = {"accepted", "wrong alert", "silent close", "timeout", "rejected"}
sys.exit(not (words and set(words) <= known and "wrong alert" in words))' "$words"
get origin
case $REPLY in "tlsgauntlet "*"started "*"gnutls: gnutls "*) t=0 ;; *) t=1 ;; esac
check "the header names the tool, the start and gnutls's version" [ "$t" = 0 ]

# The screenshot: a PNG of 1200x800 with more than one colour in it.
check "the screenshot is a PNG of the window's size and not blank" python3 -c 'import sys, zlib
png = open(sys.argv[1], "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
assert (w, h) == (1200, 800), (w, h)
idat, i = b"", 8
while i < len(png):
    n = int.from_bytes(png[i:i + 4], "big")
    if png[i + 4:i + 8] == b"IDAT":
        idat += png[i + 8:i + 8 + n]
    i += 12 + n
raw = zlib.decompress(idat)
stride = len(raw) // h
pixels = {raw[y * stride + 1 + x:y * stride + 4 + x] for y in range(0, h, 8)
          for x in range(0, stride - 4, 24)}
assert len(pixels) > 8, "%d colours" % len(pixels)' "$tmp/shot.png"
cp "$tmp/shot.png" "$bindir/html_browser.png" 2>/dev/null

finish html_browser
