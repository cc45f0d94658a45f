/* The JSON report (jansson): where the run comes from (schema version, tool, start, host,
 * command line, each implementation's library), counts per implementation and every result.
 * docs/report-schema.json describes it; the same document is embedded in the HTML page, whose
 * script builds the matrix from it.
 *
 * Transcripts may hold any bytes (a peer's stderr, a fuzzed record) but JSON strings are UTF-8:
 * invalid sequences become U+FFFD, so the report always parses. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "cli.h"
#include "report.h"
#include "hunt_oracle.h"
#include "report_internal.h"

/* `git rev-parse --short HEAD` when CMake configured the build (CMakeLists.txt). */
#ifndef TG_COMMIT
#define TG_COMMIT "unknown"
#endif

/* The length (1-4) of the well-formed UTF-8 sequence at p, or 0 when it is not one (RFC 3629
 * section 4: no overlong forms, no surrogates, nothing above U+10FFFF). */
size_t report_utf8_len(const unsigned char *p, size_t left) {
  unsigned char c = p[0];
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
  if (c < 0x80)
    return 1;
  else if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else
    return 0;
  if (left < n || p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  return n;
}

/* A JSON string of arbitrary bytes; NULL text is JSON null. */
static json_t *text(const char *s) {
  if (s == NULL)
    return json_null();
  size_t len = strlen(s);
  char *buf = malloc(len * 3 + 1); /* each bad byte becomes the 3 bytes of U+FFFD */
  if (buf == NULL)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    size_t n = report_utf8_len((const unsigned char *)s + i, len - i);
    if (n == 0) {
      memcpy(buf + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    } else {
      memcpy(buf + o, s + i, n);
      o += n;
      i += n;
    }
  }
  json_t *j = json_stringn(buf, o);
  free(buf);
  return j;
}

static json_t *number(double d) { return json_real(isfinite(d) ? d : 0.0); }

static json_t *result_json(const run_result *x) {
  const sc_scenario *sc = x->scenario;
  json_t *tags = json_array();
  for (size_t t = 0; sc != NULL && t < sc->n_tags && t < SC_MAX_TAGS; t++)
    json_array_append_new(tags, text(sc->tags[t]));
  json_t *requires = json_array();
  for (size_t k = 0; sc != NULL && k < sc->n_requires; k++)
    json_array_append_new(requires, text(sc->requires[k].id));
  json_t *o = json_object();
  json_object_set_new(o, "id", text(sc ? sc->id : NULL));
  json_object_set_new(o, "rfc", text(sc ? sc->rfc : NULL));
  json_object_set_new(o, "title", text(sc ? sc->title : NULL));
  json_object_set_new(o, "tags", tags);
  json_object_set_new(o, "requires", requires);
  json_object_set_new(o, "implementation", text(x->implementation));
  json_object_set_new(o, "verdict", json_string(verdict_name(x->reported)));
  json_object_set_new(o, "raw_verdict", json_string(verdict_name(x->raw)));
  json_object_set_new(o, "unexpected", json_boolean(x->unexpected));
  json_object_set_new(o, "expected", text(x->expected));
  json_object_set_new(o, "got", text(x->got));
  char observed[64];
  behaviour_format(&x->observed, observed, sizeof observed);
  json_object_set_new(o, "observed", text(observed[0] ? observed : NULL));
  json_object_set_new(o, "severity", text(x->sev ? severity_name(x->sev) : NULL));
  char sig[HUNT_SIG_MAX];
  hunt_signature(x, sig, sizeof sig);
  json_object_set_new(o, "signature", json_string(sig));
  json_object_set_new(o, "note", text(x->note[0] ? x->note : NULL));
  json_object_set_new(o, "baseline_reason", text(x->baseline_reason));
  json_object_set_new(o, "seconds", number(x->seconds));
  json_object_set_new(o, "transcript", text(x->transcript));
  return o;
}

/* {impl: {verdict: count}} with every verdict present, zeros included, so consumers need no
 * defaults. */
static json_t *summary_json(const run_report *r) {
  json_t *summary = json_object();
  for (size_t i = 0; i < r->n_impls; i++) {
    size_t counts[V_COUNT] = {0};
    for (size_t s = 0; s < r->n_scenarios; s++) {
      verdict v = r->results[s * r->n_impls + i].reported;
      if ((unsigned)v < V_COUNT)
        counts[v]++;
    }
    json_t *c = json_object();
    for (int v = 0; v < V_COUNT; v++)
      json_object_set_new(c, verdict_name((verdict)v), json_integer((json_int_t)counts[v]));
    json_object_set_new(summary, r->impls[i], c);
  }
  return summary;
}

void report_utc_now(char *buf, size_t cap) {
  time_t now = time(NULL);
  struct tm tm;
  if (cap == 0 || now == (time_t)-1 || gmtime_r(&now, &tm) == NULL ||
      strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    buf[0] = '\0';
}

/* {impl: {library, version}}: the first result whose adapter named them; nulls when none did. */
static json_t *libraries_json(const run_report *r) {
  json_t *libs = json_object();
  for (size_t i = 0; i < r->n_impls; i++) {
    const run_result *named = NULL;
    for (size_t s = 0; s < r->n_scenarios && named == NULL; s++)
      if (r->results[s * r->n_impls + i].library[0] != '\0')
        named = &r->results[s * r->n_impls + i];
    json_t *lib = json_object();
    json_object_set_new(lib, "library", text(named ? named->library : NULL));
    json_object_set_new(lib, "version",
                        text(named && named->library_version[0] ? named->library_version : NULL));
    json_object_set_new(libs, r->impls[i], lib);
  }
  return libs;
}

/* The provenance members, in the order they open the document. */
static void origin_json(json_t *doc, const report_origin *o) {
  json_object_set_new(doc, "schema_version", json_integer(REPORT_SCHEMA_VERSION));
  json_t *tool = json_object();
  json_object_set_new(tool, "name", json_string("tlsgauntlet"));
  json_object_set_new(tool, "version", text(o->tool_version ? o->tool_version : TG_VERSION_STRING));
  json_object_set_new(tool, "commit",
                      text(o->tool_commit ? o->tool_commit
                           : TG_COMMIT[0] ? TG_COMMIT
                                          : "unknown"));
  json_object_set_new(doc, "tool", tool);
  json_object_set_new(doc, "started", text(o->started && o->started[0] ? o->started : NULL));
  struct utsname u;
  bool have_uname = (o->host == NULL || o->kernel == NULL) && uname(&u) == 0;
  char kernel[sizeof u.sysname + sizeof u.release + sizeof u.machine];
  if (have_uname)
    snprintf(kernel, sizeof kernel, "%s %s %s", u.sysname, u.release, u.machine);
  json_t *host = json_object();
  json_object_set_new(host, "name", text(o->host ? o->host : have_uname ? u.nodename : NULL));
  json_object_set_new(host, "kernel", text(o->kernel ? o->kernel : have_uname ? kernel : NULL));
  json_object_set_new(doc, "host", host);
  json_t *argv = json_array();
  for (size_t i = 0; o->argv != NULL && i < o->argc; i++)
    json_array_append_new(argv, text(o->argv[i]));
  json_object_set_new(doc, "command_line", argv);
}

json_t *report_json_doc(const run_report *r) {
  json_t *doc = json_object();
  origin_json(doc, &r->origin);
  json_t *impls = json_array();
  json_t *results = json_array();
  for (size_t i = 0; i < r->n_impls; i++)
    json_array_append_new(impls, text(r->impls[i]));
  for (size_t k = 0; k < r->n_scenarios * r->n_impls; k++)
    json_array_append_new(results, result_json(&r->results[k]));
  json_object_set_new(doc, "command", text(r->command_line));
  json_object_set_new(doc, "seconds", number(r->seconds));
  json_object_set_new(doc, "implementations", impls);
  json_object_set_new(doc, "libraries", libraries_json(r));
  json_object_set_new(doc, "summary", summary_json(r));
  json_object_set_new(doc, "results", results);
  return doc;
}

bool report_json(const char *path, const run_report *r, char *err, size_t errlen) {
  json_t *doc = report_json_doc(r);
  FILE *f = fopen(path, "w");
  if (f == NULL) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    json_decref(doc);
    return false;
  }
  int rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(doc);
  bool ok = rc == 0 && fputc('\n', f) != EOF && !ferror(f);
  int saved = errno;
  if (fclose(f) != 0 && ok) {
    saved = errno;
    ok = false;
  }
  if (!ok)
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(saved));
  return ok;
}

bool report_files(const run_report *r, const char *cmd, const char *json, const char *junit,
                  const char *html) {
  static bool (*const writer[])(const char *, const run_report *, char *,
                                size_t) = {report_json, report_junit, report_html};
  const char *path[] = {json, junit, html};
  bool ok = true;
  for (size_t k = 0; k < sizeof path / sizeof path[0]; k++) {
    char err[512];
    if (path[k] != NULL && !writer[k](path[k], r, err, sizeof err)) {
      fprintf(stderr, "tlsgauntlet %s: %s\n", cmd, err);
      ok = false;
    }
  }
  return ok;
}
