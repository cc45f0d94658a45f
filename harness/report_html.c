/* The HTML comparison page: one self-contained file (inline CSS and script, nothing fetched), so
 * it can be attached to a CI run and opened anywhere.
 *
 * The page embeds the JSON report (report_json.c), compressed with zlib (RFC 1950) and
 * base64-encoded, in a <script type="application/octet-stream"> block; its script inflates it
 * with the browser's DecompressionStream and builds the header, the filters and the matrix from
 * it. The report is mostly transcripts and repeated names, so this keeps the page of a full run
 * small (docs/reports.md has the numbers), and base64 has no '<': nothing in a transcript can
 * end the block. Every text goes into the DOM through textContent, so no text can inject
 * markup. */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "report.h"

#include "report_internal.h"

static const char page_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>tlsgauntlet report</title>\n<style>\n"
    "body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222}\n"
    "h1{font-size:1.4em;margin:0 0 .3em}\n"
    "#command{font-family:monospace;background:#f4f4f4;padding:.3em .5em;overflow-wrap:anywhere}\n"
    "table{border-collapse:collapse}\n"
    "#matrix{min-width:min(100%,70em)}\n"
    "th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}\n"
    "#counts td{text-align:right}\n"
    "#filters{margin:1em 0;display:flex;gap:1.5em;flex-wrap:wrap;align-items:center}\n"
    ".legend{color:#666}\n"
    "#matrix td.cell{cursor:pointer;text-align:center;font-weight:600}\n"
    "#matrix td.selected{outline:3px solid #000;outline-offset:-3px}\n"
    "#matrix td.unexpected{box-shadow:inset 0 0 0 2px #b00}\n"
    "#matrix th .rfc{display:block;font-weight:normal;color:#666;font-size:.85em}\n"
    "#matrix th .requires{display:block;font-weight:normal;color:#666;font-size:.75em}\n"
    ".v-pass{background:#c8ecc8}.v-lenient{background:#f7e8a0}.v-fail{background:#f4b0b0}\n"
    ".v-crash{background:#b00020;color:#fff}.v-timeout{background:#d9b8f0}\n"
    ".v-skip{background:#e8e8e8;color:#777}.v-xfail{background:#bfe0f4}\n"
    ".v-xpass{background:#ffc37a}.v-inconclusive{background:#8a5a9a;color:#fff}\n"
    "#matrix td.cell .outcome{display:block;font-weight:normal;font-size:.8em}\n"
    ".o-accepted{background:repeating-linear-gradient(45deg,#bfe0f4 0 6px,#f4b0b0 6px 12px)}\n"
    ".o-wrong-alert{border-left:6px solid #d9a400}.o-silent-close{border-left:6px solid #555}\n"
    ".o-timeout{border-left:6px solid #8a4fb8}.o-rejected{border-left:6px solid #b00}\n"
    "#origin{color:#444}\n"
    "tr.detail>td{background:#fafafa;padding:.5em 1em;border-left:4px solid #000}\n"
    /* width 0, min-width 100%: the transcript takes the table's width and never widens it */
    "tr.detail>td>div{width:0;min-width:100%}\n"
    "#panel-title{font-size:1em;margin:0 0 .4em;overflow-wrap:anywhere}\n"
    "#transcript{background:#f2f2f2;padding:.5em;margin:0;max-height:30em;overflow:auto;"
    "white-space:pre-wrap;overflow-wrap:anywhere}\n"
    "</style>\n</head>\n<body>\n"
    "<header>\n<h1>tlsgauntlet report</h1>\n<div id=\"command\"></div>\n"
    "<p id=\"when\"></p>\n<p id=\"origin\"></p>\n<table id=\"counts\"></table>\n</header>\n"
    "<div id=\"filters\">\n"
    "<label>tag <select id=\"tag\"><option value=\"\">all tags</option></select></label>\n"
    "<span id=\"verdicts\"></span>\n"
    "<label><input type=\"checkbox\" id=\"only-unexpected\"> only unexpected</label>\n"
    "<span id=\"shown\"></span>\n"
    "<span class=\"legend\">red frame: unexpected; an xfail names what the target did; "
    "click a cell for its transcript</span>\n"
    "</div>\n"
    "<table id=\"matrix\"><thead></thead><tbody></tbody></table>\n";

/* The page's script. ES5 plus Map, Promise and DecompressionStream: nothing a current browser
 * lacks. */
static const char page_script[] =
    "<script>\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var VERDICTS = ['pass', 'lenient', 'fail', 'crash', 'timeout', 'inconclusive', 'skip', 'xfail', "
    "'xpass'];\n"
    "  function el(tag, text, cls) {\n"
    "    var e = document.createElement(tag);\n"
    "    if (text !== undefined && text !== null) e.textContent = text;\n"
    "    if (cls) e.className = cls;\n"
    "    return e;\n"
    "  }\n"
    /* The data block is base64 of the zlib-compressed JSON report. */
    "  if (typeof DecompressionStream !== 'function') {\n"
    "    document.getElementById('when').textContent = 'This browser cannot read the ' +\n"
    "      'report: it has no DecompressionStream (Chrome 80, Firefox 113, Safari 16.4 have it).';\n"
    "    return;\n"
    "  }\n"
    "  var packed = atob(document.getElementById('data').textContent.replace(/\\s/g, ''));\n"
    "  var bytes = new Uint8Array(packed.length);\n"
    "  for (var i = 0; i < packed.length; i++) bytes[i] = packed.charCodeAt(i);\n"
    "  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));\n"
    "  new Response(stream).text().then(JSON.parse).then(build, function (e) {\n"
    "    document.getElementById('when').textContent = 'cannot read the report: ' + e.message;\n"
    "  });\n"
    "  function build(data) {\n"
    "    var impls = data.implementations;\n"
    "    document.getElementById('command').textContent = data.command || '';\n"
    "    document.getElementById('when').textContent = 'generated ' + data.generated + ', ' +\n"
    "      data.results.length + ' runs in ' + data.seconds.toFixed(1) + ' s';\n"
    /* Provenance: the tool, when and where, the libraries (schema_version 2). */
    "    var tool = data.tool || {}, host = data.host || {}, libs = data.libraries || {};\n"
    "    var origin = 'tlsgauntlet ' + (tool.version || '?') + ' (commit ' +\n"
    "      (tool.commit || '?') + ')';\n"
    "    if (data.started) origin += ', started ' + data.started;\n"
    "    if (host.name)\n"
    "      origin += ' on ' + host.name + (host.kernel ? ' (' + host.kernel + ')' : '');\n"
    "    var named = impls.filter(function (i) { return libs[i] && libs[i].library; });\n"
    "    if (named.length) origin += '; ' + named.map(function (i) {\n"
    "      return i + ': ' + libs[i].library + ' ' + (libs[i].version || '?');\n"
    "    }).join(', ');\n"
    "    document.getElementById('origin').textContent = origin;\n"
    "    var rows = [], byId = new Map();\n"
    "    data.results.forEach(function (r, k) {\n"
    "      var row = byId.get(r.id);\n"
    "      if (!row) {\n"
    "        row = {id: r.id, rfc: r.rfc, title: r.title, tags: r.tags,\n"
    "               requires: r.requires || [], cells: new Map()};\n"
    "        byId.set(r.id, row);\n"
    "        rows.push(row);\n"
    "      }\n"
    "      row.cells.set(r.implementation, k);\n"
    "    });\n"
    /* The counts per implementation. */
    "    var counts = document.getElementById('counts');\n"
    "    var hr = counts.insertRow();\n"
    "    hr.appendChild(el('th', 'implementation'));\n"
    "    VERDICTS.concat(['unexpected']).forEach(function (v) {\n"
    "      hr.appendChild(el('th', v, 'v-' + v));\n"
    "    });\n"
    "    impls.forEach(function (impl) {\n"
    "      var tr = counts.insertRow();\n"
    "      tr.appendChild(el('th', impl));\n"
    "      var c = data.summary[impl] || {};\n"
    "      var unexpected = data.results.filter(function (r) {\n"
    "        return r.implementation === impl && r.unexpected;\n"
    "      }).length;\n"
    "      VERDICTS.forEach(function (v) { tr.appendChild(el('td', String(c[v] || 0))); });\n"
    "      tr.appendChild(el('td', String(unexpected)));\n"
    "    });\n"
    /* The filters: every tag, every verdict. */
    "    var tags = new Set();\n"
    "    rows.forEach(function (row) { row.tags.forEach(function (t) { tags.add(t); }); });\n"
    "    var select = document.getElementById('tag');\n"
    "    Array.from(tags).sort().forEach(function (t) {\n"
    "      var o = el('option', t);\n"
    "      o.value = t;\n"
    "      select.appendChild(o);\n"
    "    });\n"
    "    var boxes = document.getElementById('verdicts');\n"
    "    VERDICTS.forEach(function (v) {\n"
    "      var label = el('label', null, 'v-' + v);\n"
    "      var box = el('input');\n"
    "      box.type = 'checkbox';\n"
    "      box.checked = true;\n"
    "      box.value = v;\n"
    "      box.id = 'show-' + v;\n"
    "      label.appendChild(box);\n"
    "      label.appendChild(document.createTextNode(' ' + v + ' '));\n"
    "      boxes.appendChild(label);\n"
    "    });\n"
    /* What the target of an xfail did, as a word for its cell. */
    "    function outcome(r) {\n"
    "      var o = r.observed || '';\n"
    "      if (r.severity === 'rejected-valid-input') return 'rejected';\n"
    "      if (o === 'accepted') return 'accepted';\n"
    "      if (o === 'close') return 'silent close';\n"
    "      if (o === 'timeout') return 'timeout';\n"
    "      if (o.indexOf('alert') === 0) return 'wrong alert';\n"
    "      return r.raw_verdict;\n"
    "    }\n"
    /* The matrix. */
    "    var matrix = document.getElementById('matrix');\n"
    "    var head = matrix.tHead.insertRow();\n"
    "    head.appendChild(el('th', 'scenario'));\n"
    "    impls.forEach(function (impl) { head.appendChild(el('th', impl)); });\n"
    "    var body = matrix.tBodies[0];\n"
    "    rows.forEach(function (row) {\n"
    "      var tr = body.insertRow();\n"
    "      tr.className = 'scenario';\n"
    "      tr.dataset.id = row.id;\n"
    "      var th = el('th', row.id);\n"
    "      if (row.title) th.title = row.title;\n"
    "      th.appendChild(el('span', row.rfc, 'rfc'));\n"
    /* The requirements the scenario checks (docs/requirements.md), when it cites any. */
    "      if (row.requires.length)\n"
    "        th.appendChild(el('span', row.requires.join(' '), 'requires'));\n"
    "      tr.appendChild(th);\n"
    "      row.tr = tr;\n"
    "      impls.forEach(function (impl) {\n"
    "        var k = row.cells.get(impl);\n"
    "        if (k === undefined) { tr.appendChild(el('td', '-')); return; }\n"
    "        var r = data.results[k];\n"
    "        var td = el('td', r.verdict,\n"
    "                    'cell v-' + r.verdict + (r.unexpected ? ' unexpected' : ''));\n"
    "        if (r.verdict === 'xfail') {\n"
    "          var what = outcome(r);\n"
    "          td.appendChild(el('span', what, 'outcome'));\n"
    "          td.classList.add('o-' + what.replace(/ /g, '-'));\n"
    "        }\n"
    "        td.dataset.k = k;\n"
    "        td.title = 'expected ' + (r.expected || '-') + ', got ' + (r.got || '-') +\n"
    "          (r.observed ? ' (' + r.observed + ')' : '');\n"
    "        tr.appendChild(td);\n"
    "      });\n"
    "    });\n"
    /* A click on a cell opens its transcript in a row inserted right under the cell's row (a
     * second click closes it); so does a link to "#r=K" (result K), which lets a CI page point
     * at one run. */
    "    var selected = null, detail = null;\n"
    /* Scrolls the transcript row into the window as far as the clicked cell stays in it. */
    "    function reveal(td, row) {\n"
    "      var over = row.getBoundingClientRect().bottom - innerHeight;\n"
    "      var room = td.getBoundingClientRect().top;\n"
    "      if (over > 0 && room > 0) window.scrollBy(0, Math.min(over, room));\n"
    "    }\n"
    "    function close() {\n"
    "      if (selected) selected.classList.remove('selected');\n"
    "      if (detail) detail.remove();\n"
    "      selected = detail = null;\n"
    "    }\n"
    "    function show(td) {\n"
    "      var again = td === selected;\n"
    "      close();\n"
    "      if (again) return;\n"
    "      selected = td;\n"
    "      td.classList.add('selected');\n"
    "      var k = Number(td.dataset.k), r = data.results[k];\n"
    "      var title = r.implementation + ' \\u2014 ' + r.id + ': ' + r.verdict;\n"
    "      if (r.verdict !== r.raw_verdict) title += ' (raw ' + r.raw_verdict + ')';\n"
    "      title += '; expected ' + (r.expected || '-') + ', got ' + (r.got || '-');\n"
    "      if (r.observed)\n"
    "        title += ' [' + r.observed + (r.severity ? ', ' + r.severity : '') + ']';\n"
    "      if (r.note) title += ' (note: ' + r.note + ')';\n"
    "      if (r.baseline_reason) title += ' (baseline: ' + r.baseline_reason + ')';\n"
    "      var row = el('tr', null, 'detail'), cell = el('td'), box = el('div');\n"
    "      var head = el('h2', title);\n"
    "      var pre = el('pre', r.transcript || '(no transcript)');\n"
    "      row.id = 'detail';\n"
    "      row.dataset.k = k;\n"
    "      head.id = 'panel-title';\n"
    "      pre.id = 'transcript';\n"
    "      cell.colSpan = impls.length + 1;\n"
    "      box.appendChild(head);\n"
    "      box.appendChild(pre);\n"
    "      cell.appendChild(box);\n"
    "      row.appendChild(cell);\n"
    "      td.parentNode.after(row);\n"
    "      detail = row;\n"
    "      reveal(td, row);\n"
    "      row.dataset.ready = 'yes';\n"
    "    }\n"
    "    body.addEventListener('click', function (ev) {\n"
    "      var td = ev.target.closest('td.cell');\n"
    "      if (td) show(td);\n"
    "    });\n"
    "    var m = /^#r=(\\d+)$/.exec(location.hash);\n"
    "    var linked = m && body.querySelector('td.cell[data-k=\"' + m[1] + '\"]');\n"
    "    if (linked) {\n"
    "      show(linked);\n"
    "      linked.scrollIntoView({block: 'center'});\n"
    "    }\n"
    /* Filtering hides rows: a row stays when it has the tag and a cell with a ticked verdict. */
    "    var only = document.getElementById('only-unexpected');\n"
    "    function apply() {\n"
    "      var tag = select.value, shown = 0;\n"
    "      var want = new Set(VERDICTS.filter(function (v) {\n"
    "        return document.getElementById('show-' + v).checked;\n"
    "      }));\n"
    "      rows.forEach(function (row) {\n"
    "        var ok = tag === '' || row.tags.indexOf(tag) >= 0;\n"
    "        ok = ok && Array.from(row.cells.values()).some(function (k) {\n"
    "          var r = data.results[k];\n"
    "          return want.has(r.verdict) && (!only.checked || r.unexpected);\n"
    "        });\n"
    "        row.tr.hidden = !ok;\n"
    "        if (detail && selected && selected.parentNode === row.tr) detail.hidden = !ok;\n"
    "        shown += ok;\n"
    "      });\n"
    "      document.getElementById('shown').textContent = shown + ' of ' + rows.length +\n"
    "        ' scenarios shown';\n"
    "    }\n"
    "    document.getElementById('filters').addEventListener('change', apply);\n"
    "    apply();\n"
    "    document.body.dataset.ready = 'yes';\n"
    "  }\n"
    "})();\n"
    "</script>\n"
    "</body>\n</html>\n";

/* Writes the bytes as base64 (RFC 4648 section 4), in lines of 76. */
static void base64(FILE *f, const unsigned char *p, size_t n) {
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                 (i + 2 < n ? p[i + 2] : 0);
    char quad[4] = {digits[v >> 18], digits[(v >> 12) & 63],
                    i + 1 < n ? digits[(v >> 6) & 63] : '=', i + 2 < n ? digits[v & 63] : '='};
    fwrite(quad, 1, 4, f);
    if ((i / 3 + 1) % 19 == 0)
      fputc('\n', f);
  }
}

/* The data block: the JSON report plus the time the page was made, zlib-compressed, in base64. */
static bool write_data(FILE *f, const run_report *r) {
  json_t *doc = report_json_doc(r);
  char when[32];
  report_utc_now(when, sizeof when);
  json_object_set_new(doc, "generated", json_string(when[0] ? when : "?"));
  char *s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(doc);
  if (s == NULL)
    return false;
  size_t len = strlen(s);
  uLongf packed_len = compressBound((uLong)len);
  unsigned char *packed = malloc(packed_len);
  bool ok = packed != NULL && compress2(packed, &packed_len, (const Bytef *)s, (uLong)len,
                                        Z_BEST_COMPRESSION) == Z_OK;
  free(s);
  if (ok) {
    fputs("<script type=\"application/octet-stream\" id=\"data\">\n", f);
    base64(f, packed, packed_len);
    fputs("\n</script>\n", f);
  }
  free(packed);
  return ok;
}

bool report_html(const char *path, const run_report *r, char *err, size_t errlen) {
  FILE *f = fopen(path, "w");
  if (f == NULL) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return false;
  }
  fputs(page_head, f);
  bool ok = write_data(f, r);
  fputs(page_script, f);
  int saved = ok ? errno : ENOMEM;
  ok = ok && !ferror(f);
  if (fclose(f) != 0 && ok) {
    saved = errno;
    ok = false;
  }
  if (!ok)
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(saved));
  return ok;
}
