/* The HTML comparison page: one self-contained file (inline CSS and script, nothing fetched), so
 * it can be attached to a CI run and opened anywhere.
 *
 * The page embeds the JSON report (report_json.c) in a <script type="application/json"> block and
 * its script builds the header counts, the filters and the matrix from it. Every text goes into
 * the DOM through textContent, so transcripts cannot inject markup; inside the data block every
 * '<' is written as \u003c, so no "</script>" or "<!--" in a transcript can end the block. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    "th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}\n"
    "#counts td{text-align:right}\n"
    "#filters{margin:1em 0;display:flex;gap:1.5em;flex-wrap:wrap;align-items:center}\n"
    ".legend{color:#666}\n"
    "#matrix td.cell{cursor:pointer;text-align:center;font-weight:600}\n"
    "#matrix td.selected{outline:3px solid #000;outline-offset:-3px}\n"
    "#matrix td.unexpected{box-shadow:inset 0 0 0 2px #b00}\n"
    "#matrix th .rfc{display:block;font-weight:normal;color:#666;font-size:.85em}\n"
    ".v-pass{background:#c8ecc8}.v-lenient{background:#f7e8a0}.v-fail{background:#f4b0b0}\n"
    ".v-crash{background:#b00020;color:#fff}.v-timeout{background:#d9b8f0}\n"
    ".v-skip{background:#e8e8e8;color:#777}.v-xfail{background:#bfe0f4}\n"
    ".v-xpass{background:#ffc37a}.v-inconclusive{background:#8a5a9a;color:#fff}\n"
    "#panel{margin-top:1em;border-top:2px solid #ccc}\n"
    "#transcript{background:#f8f8f8;padding:.5em;max-height:40em;overflow:auto;"
    "white-space:pre-wrap}\n"
    "</style>\n</head>\n<body>\n"
    "<header>\n<h1>tlsgauntlet report</h1>\n<div id=\"command\"></div>\n"
    "<p id=\"when\"></p>\n<table id=\"counts\"></table>\n</header>\n"
    "<div id=\"filters\">\n"
    "<label>tag <select id=\"tag\"><option value=\"\">all tags</option></select></label>\n"
    "<span id=\"verdicts\"></span>\n"
    "<label><input type=\"checkbox\" id=\"only-unexpected\"> only unexpected</label>\n"
    "<span id=\"shown\"></span>\n"
    "<span class=\"legend\">red frame: unexpected; click a cell for its transcript</span>\n"
    "</div>\n"
    "<table id=\"matrix\"><thead></thead><tbody></tbody></table>\n"
    "<div id=\"panel\"><h2 id=\"panel-title\">Click a cell to see its transcript</h2>\n"
    "<pre id=\"transcript\"></pre></div>\n";

/* The page's script. ES5 plus Map: nothing a current browser lacks. */
static const char page_script[] =
    "<script>\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var VERDICTS = ['pass', 'lenient', 'fail', 'crash', 'timeout', 'inconclusive', 'skip', 'xfail', "
    "'xpass'];\n"
    "  var data = JSON.parse(document.getElementById('data').textContent);\n"
    "  var impls = data.implementations;\n"
    "  function el(tag, text, cls) {\n"
    "    var e = document.createElement(tag);\n"
    "    if (text !== undefined && text !== null) e.textContent = text;\n"
    "    if (cls) e.className = cls;\n"
    "    return e;\n"
    "  }\n"
    "  document.getElementById('command').textContent = data.command || '';\n"
    "  document.getElementById('when').textContent = 'generated ' + data.generated + ', ' +\n"
    "    data.results.length + ' runs in ' + data.seconds.toFixed(1) + ' s';\n"
    "  var rows = [], byId = new Map();\n"
    "  data.results.forEach(function (r, k) {\n"
    "    var row = byId.get(r.id);\n"
    "    if (!row) {\n"
    "      row = {id: r.id, rfc: r.rfc, title: r.title, tags: r.tags, cells: new Map()};\n"
    "      byId.set(r.id, row);\n"
    "      rows.push(row);\n"
    "    }\n"
    "    row.cells.set(r.implementation, k);\n"
    "  });\n"
    /* The counts per implementation. */
    "  var counts = document.getElementById('counts');\n"
    "  var hr = counts.insertRow();\n"
    "  hr.appendChild(el('th', 'implementation'));\n"
    "  VERDICTS.concat(['unexpected']).forEach(function (v) {\n"
    "    hr.appendChild(el('th', v, 'v-' + v));\n"
    "  });\n"
    "  impls.forEach(function (impl) {\n"
    "    var tr = counts.insertRow();\n"
    "    tr.appendChild(el('th', impl));\n"
    "    var c = data.summary[impl] || {};\n"
    "    var unexpected = data.results.filter(function (r) {\n"
    "      return r.implementation === impl && r.unexpected;\n"
    "    }).length;\n"
    "    VERDICTS.forEach(function (v) { tr.appendChild(el('td', String(c[v] || 0))); });\n"
    "    tr.appendChild(el('td', String(unexpected)));\n"
    "  });\n"
    /* The filters: every tag, every verdict. */
    "  var tags = new Set();\n"
    "  rows.forEach(function (row) { row.tags.forEach(function (t) { tags.add(t); }); });\n"
    "  var select = document.getElementById('tag');\n"
    "  Array.from(tags).sort().forEach(function (t) {\n"
    "    var o = el('option', t);\n"
    "    o.value = t;\n"
    "    select.appendChild(o);\n"
    "  });\n"
    "  var boxes = document.getElementById('verdicts');\n"
    "  VERDICTS.forEach(function (v) {\n"
    "    var label = el('label', null, 'v-' + v);\n"
    "    var box = el('input');\n"
    "    box.type = 'checkbox';\n"
    "    box.checked = true;\n"
    "    box.value = v;\n"
    "    box.id = 'show-' + v;\n"
    "    label.appendChild(box);\n"
    "    label.appendChild(document.createTextNode(' ' + v + ' '));\n"
    "    boxes.appendChild(label);\n"
    "  });\n"
    /* The matrix. */
    "  var matrix = document.getElementById('matrix');\n"
    "  var head = matrix.tHead.insertRow();\n"
    "  head.appendChild(el('th', 'scenario'));\n"
    "  impls.forEach(function (impl) { head.appendChild(el('th', impl)); });\n"
    "  var body = matrix.tBodies[0];\n"
    "  rows.forEach(function (row) {\n"
    "    var tr = body.insertRow();\n"
    "    tr.className = 'scenario';\n"
    "    tr.dataset.id = row.id;\n"
    "    var th = el('th', row.id);\n"
    "    if (row.title) th.title = row.title;\n"
    "    th.appendChild(el('span', row.rfc, 'rfc'));\n"
    "    tr.appendChild(th);\n"
    "    row.tr = tr;\n"
    "    impls.forEach(function (impl) {\n"
    "      var k = row.cells.get(impl);\n"
    "      if (k === undefined) { tr.appendChild(el('td', '-')); return; }\n"
    "      var r = data.results[k];\n"
    "      var word = r.verdict === 'xfail' && r.severity ? 'xfail: ' + r.severity : r.verdict;\n"
    "      var td = el('td', word, 'cell v-' + r.verdict + (r.unexpected ? ' unexpected' : "
    "''));\n"
    "      td.dataset.k = k;\n"
    "      td.title = 'expected ' + (r.expected || '-') + ', got ' + (r.got || '-');\n"
    "      tr.appendChild(td);\n"
    "    });\n"
    "  });\n"
    /* A click on a cell shows its transcript; so does a link to "#r=K" (result K), which lets a
     * CI page point at one run. */
    "  var selected = null;\n"
    "  function show(td) {\n"
    "    if (selected) selected.classList.remove('selected');\n"
    "    selected = td;\n"
    "    td.classList.add('selected');\n"
    "    var r = data.results[Number(td.dataset.k)];\n"
    "    var title = r.implementation + ' \\u2014 ' + r.id + ': ' + r.verdict;\n"
    "    if (r.verdict !== r.raw_verdict) title += ' (raw ' + r.raw_verdict + ')';\n"
    "    title += '; expected ' + (r.expected || '-') + ', got ' + (r.got || '-');\n"
    "    if (r.severity) title += ' [' + r.severity + ']';\n"
    "    if (r.note) title += ' (note: ' + r.note + ')';\n"
    "    if (r.baseline_reason) title += ' (baseline: ' + r.baseline_reason + ')';\n"
    "    document.getElementById('panel-title').textContent = title;\n"
    "    document.getElementById('transcript').textContent = r.transcript || '(no "
    "transcript)';\n"
    "  }\n"
    "  body.addEventListener('click', function (ev) {\n"
    "    var td = ev.target.closest('td.cell');\n"
    "    if (td) show(td);\n"
    "  });\n"
    "  var m = /^#r=(\\d+)$/.exec(location.hash);\n"
    "  var linked = m && body.querySelector('td.cell[data-k=\"' + m[1] + '\"]');\n"
    "  if (linked) show(linked);\n"
    /* Filtering hides rows: a row stays when it has the tag and a cell with a ticked verdict. */
    "  var only = document.getElementById('only-unexpected');\n"
    "  function apply() {\n"
    "    var tag = select.value, shown = 0;\n"
    "    var want = new Set(VERDICTS.filter(function (v) {\n"
    "      return document.getElementById('show-' + v).checked;\n"
    "    }));\n"
    "    rows.forEach(function (row) {\n"
    "      var ok = tag === '' || row.tags.indexOf(tag) >= 0;\n"
    "      ok = ok && Array.from(row.cells.values()).some(function (k) {\n"
    "        var r = data.results[k];\n"
    "        return want.has(r.verdict) && (!only.checked || r.unexpected);\n"
    "      });\n"
    "      row.tr.hidden = !ok;\n"
    "      shown += ok;\n"
    "    });\n"
    "    document.getElementById('shown').textContent = shown + ' of ' + rows.length +\n"
    "      ' scenarios shown';\n"
    "  }\n"
    "  document.getElementById('filters').addEventListener('change', apply);\n"
    "  apply();\n"
    "})();\n"
    "</script>\n"
    "</body>\n</html>\n";

/* The data block: the JSON report plus the time the page was made. */
static bool write_data(FILE *f, const run_report *r) {
  json_t *doc = report_json_doc(r);
  char when[32] = "?";
  time_t now = time(NULL);
  struct tm tm;
  if (gmtime_r(&now, &tm) != NULL)
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  json_object_set_new(doc, "generated", json_string(when));
  char *s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(doc);
  if (s == NULL)
    return false;
  fputs("<script type=\"application/json\" id=\"data\">", f);
  for (const char *p = s; *p != '\0'; p++) {
    if (*p == '<')
      fputs("\\u003c", f); /* '<' occurs only inside JSON strings, where this is the same */
    else
      fputc(*p, f);
  }
  fputs("</script>\n", f);
  free(s);
  return true;
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
