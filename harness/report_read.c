/* Reading a run's JSON report back (report_read.h). The document is the one report_json.c
 * writes: {"command", "seconds", "implementations": [...], "summary", "results": [{"id", "rfc",
 * "title", "tags", "requires", "implementation", "verdict", "raw_verdict", "unexpected",
 * "expected", "got", "observed", "severity", "note", "baseline_reason", "seconds", "transcript"},
 * ...]}. The summary is derived from the results and not read. Strings the results borrow
 * (implementation names, baseline reasons) point into the kept document. */
#define _GNU_SOURCE /* strndup */
#include "report_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reader's state: where the errors go, and which result is being read. */
typedef struct reader {
  run_doc *d;
  const char *name;
  char *err;
  size_t errlen;
  size_t k;       /* results[k] */
  const char *id; /* its id, once known */
  const char *impl;
} reader;

__attribute__((format(printf, 2, 3))) static bool bad(reader *r, const char *fmt, ...) {
  char msg[384];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(r->err, r->errlen, "%s: %s", r->name, msg);
  return false;
}

/* "results[K] (ID, IMPL): " before a message about one result. */
__attribute__((format(printf, 2, 3))) static bool bad_result(reader *r, const char *fmt, ...) {
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return bad(r, "results[%zu]%s%.100s%s%.60s%s: %s", r->k, r->id ? " (" : "", r->id ? r->id : "",
             r->impl ? ", " : "", r->impl ? r->impl : "", r->id ? ")" : "", msg);
}

/* An optional string member: *out NULL when absent or null; false when it is another type. */
static bool opt_string(reader *r, const json_t *o, const char *key, const char **out) {
  const json_t *v = json_object_get(o, key);
  *out = NULL;
  if (v == NULL || json_is_null(v))
    return true;
  if (!json_is_string(v))
    return bad_result(r, "\"%s\" must be a string or null", key);
  *out = json_string_value(v);
  return true;
}

static bool req_string(reader *r, const json_t *o, const char *key, const char **out) {
  if (!opt_string(r, o, key, out))
    return false;
  if (*out != NULL && **out != '\0')
    return true;
  bad_result(r, "no \"%s\" (a non-empty string)", key);
  return false; /* said apart: the analyzer does not follow variadic calls */
}

static bool get_verdict(reader *r, const json_t *o, const char *key, verdict *v) {
  const char *s;
  if (!req_string(r, o, key, &s))
    return false;
  if (!verdict_parse(s, v))
    return bad_result(r,
                      "\"%s\" is \"%.40s\", not a verdict (pass, lenient, fail, crash, timeout, "
                      "inconclusive, skip, xfail, xpass)",
                      key, s);
  return true;
}

/* "observed": the baseline's spelling; an alert this build has no name for stays an alert. */
static bool get_observed(reader *r, const json_t *o, outcome *out) {
  const char *s;
  *out = (outcome){B_NONE, -1};
  if (!opt_string(r, o, "observed", &s))
    return false;
  if (s == NULL || *s == '\0' || behaviour_parse(s, out))
    return true;
  if (strncmp(s, "alert ", 6) == 0) {
    *out = (outcome){B_ALERT, -1};
    return true;
  }
  return bad_result(r,
                    "\"observed\" is \"%.40s\", not \"alert NAME\", \"close\", \"accepted\" or "
                    "\"timeout\"",
                    s);
}

static bool get_severity(reader *r, const json_t *o, severity *out) {
  const char *s;
  *out = SEV_NONE;
  if (!opt_string(r, o, "severity", &s))
    return false;
  if (s == NULL || *s == '\0')
    return true;
  for (int v = 1; v < SEV_COUNT; v++)
    if (strcmp(s, severity_name((severity)v)) == 0) {
      *out = (severity)v;
      return true;
    }
  return bad_result(r,
                    "\"severity\" is \"%.40s\", not one of silent-close, wrong-alert, "
                    "rejected-valid-input, accepted-bad-input",
                    s);
}

static void copy_text(char *dst, size_t cap, const char *s) {
  snprintf(dst, cap, "%s", s ? s : "");
}

/* The fields of one result, other than its place in the matrix. */
static bool read_result(reader *r, const json_t *o, run_result *x) {
  const char *expected, *got, *note, *transcript;
  const json_t *unexpected = json_object_get(o, "unexpected");
  const json_t *seconds = json_object_get(o, "seconds");
  if (!get_verdict(r, o, "verdict", &x->reported))
    return false;
  x->raw = x->reported;
  if (json_object_get(o, "raw_verdict") != NULL && !get_verdict(r, o, "raw_verdict", &x->raw))
    return false;
  if (!json_is_boolean(unexpected))
    return bad_result(r, "no \"unexpected\" (true or false)");
  x->unexpected = json_is_true(unexpected);
  if (seconds != NULL && !json_is_null(seconds) && !json_is_number(seconds))
    return bad_result(r, "\"seconds\" must be a number");
  x->seconds = seconds != NULL ? json_number_value(seconds) : 0.0;
  if (!opt_string(r, o, "expected", &expected) || !opt_string(r, o, "got", &got) ||
      !opt_string(r, o, "note", &note) || !opt_string(r, o, "transcript", &transcript) ||
      !opt_string(r, o, "baseline_reason", &x->baseline_reason) ||
      !get_observed(r, o, &x->observed) || !get_severity(r, o, &x->sev))
    return false;
  /* "signature" (hunt_signature): what did was; a report before it had none (observed stands in,
   * as it does for lenient and fail). Its other words follow from the verdict. */
  const char *sig;
  if (!opt_string(r, o, "signature", &sig))
    return false;
  x->did = x->observed;
  if (sig != NULL && !behaviour_parse(sig, &x->did))
    x->did = strncmp(sig, "alert ", 6) == 0 ? (outcome){B_ALERT, -1} : (outcome){B_NONE, -1};
  copy_text(x->expected, sizeof x->expected, expected);
  copy_text(x->got, sizeof x->got, got);
  copy_text(x->note, sizeof x->note, note);
  if (transcript != NULL && (x->transcript = strdup(transcript)) == NULL)
    return bad_result(r, "out of memory");
  /* A role skip of a live target: expected without a baseline, as baseline_apply decides. */
  x->target_skip = x->raw == V_SKIP && !x->unexpected;
  return true;
}

/* "requires": the requirement ids (a report before them had none). Positions are not in a
 * report: 0. */
static bool read_requires(reader *r, const json_t *o, sc_scenario *sc) {
  const json_t *ids = json_object_get(o, "requires");
  if (ids == NULL || json_is_null(ids))
    return true;
  if (!json_is_array(ids))
    return bad_result(r, "\"requires\" must be a list of requirement ids");
  if (json_array_size(ids) == 0)
    return true;
  if ((sc->requires = calloc(json_array_size(ids), sizeof *sc->requires)) == NULL)
    return bad_result(r, "out of memory");
  for (size_t k = 0; k < json_array_size(ids); k++) {
    const char *id = json_string_value(json_array_get(ids, k));
    if (id == NULL)
      return bad_result(r, "\"requires\" must be a list of requirement ids");
    if ((sc->requires[sc->n_requires].id = strdup(id)) == NULL)
      return bad_result(r, "out of memory");
    sc->n_requires++;
  }
  return true;
}

/* A new scenario row from the result that first names it. */
static bool new_scenario(reader *r, const json_t *o, sc_scenario *sc) {
  const char *rfc, *title;
  const json_t *tags = json_object_get(o, "tags");
  if (!opt_string(r, o, "rfc", &rfc) || !opt_string(r, o, "title", &title))
    return false;
  if (tags != NULL && !json_is_null(tags) && !json_is_array(tags))
    return bad_result(r, "\"tags\" must be a list of strings");
  sc->id = r->id ? strdup(r->id) : NULL;
  sc->rfc = rfc ? strdup(rfc) : NULL;
  sc->title = title ? strdup(title) : NULL;
  for (size_t t = 0; t < json_array_size(tags) && sc->n_tags < SC_MAX_TAGS; t++) {
    const json_t *tag = json_array_get(tags, t);
    if (!json_is_string(tag))
      return bad_result(r, "\"tags\" must be a list of strings");
    sc->tags[sc->n_tags++] = strdup(json_string_value(tag));
  }
  if (sc->id == NULL || (rfc && !sc->rfc) || (title && !sc->title))
    return bad_result(r, "out of memory");
  return read_requires(r, o, sc);
}

/* "implementations": names, or objects with a "name" (a writer that adds library versions). */
static bool read_impls(reader *r, const json_t *impls) {
  run_doc *d = r->d;
  size_t n = json_array_size(impls);
  if (!json_is_array(impls) || n == 0)
    return bad(r, "not a tlsgauntlet run report: no \"implementations\" list");
  if (n > TG_REPORT_MAX_IMPLS)
    return bad(r, "more than %d implementations", TG_REPORT_MAX_IMPLS);
  d->rep.impls = calloc(n, sizeof *d->rep.impls);
  if (d->rep.impls == NULL)
    return bad(r, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const json_t *v = json_array_get(impls, i);
    if (json_is_object(v))
      v = json_object_get(v, "name");
    const char *name = json_string_value(v); /* NULL when v is not a string */
    if (name == NULL || *name == '\0') {
      bad(r, "implementations[%zu] is not a name", i);
      return false;
    }
    for (size_t k = 0; k < i; k++)
      if (strcmp(d->rep.impls[k], name) == 0)
        return bad(r, "implementation \"%.60s\" is listed twice", name);
    d->rep.impls[i] = name;
  }
  d->rep.n_impls = n;
  return true;
}

long run_doc_impl(const run_doc *d, const char *name) {
  for (size_t i = 0; i < d->rep.n_impls; i++)
    if (strcmp(d->rep.impls[i], name) == 0)
      return (long)i;
  return -1;
}

long run_doc_scenario(const run_doc *d, const char *id) {
  for (size_t s = d->rep.n_scenarios; s-- > 0;) /* the last first: results come in rows */
    if (d->scenarios[s].id != NULL && strcmp(d->scenarios[s].id, id) == 0)
      return (long)s;
  return -1;
}

/* First pass: every scenario id, in order of first appearance, and each result's row and
 * column in row[] and col[]. */
static bool index_results(reader *r, const json_t *results, size_t *row, size_t *col) {
  run_doc *d = r->d;
  for (r->k = 0; r->k < json_array_size(results); r->k++) {
    const json_t *o = json_array_get(results, r->k);
    r->id = r->impl = NULL;
    if (!json_is_object(o))
      return bad_result(r, "a result must be an object");
    const char *id, *impl;
    if (!req_string(r, o, "id", &id))
      return false;
    r->id = id;
    if (!req_string(r, o, "implementation", &impl))
      return false;
    r->impl = impl;
    long i = run_doc_impl(d, impl), s = run_doc_scenario(d, id);
    if (i < 0)
      return bad_result(r, "implementation \"%.60s\" is not in \"implementations\"", impl);
    if (s < 0) {
      s = (long)d->rep.n_scenarios;
      d->rep.n_scenarios++; /* counted first, so a half-made row is freed */
      if (!new_scenario(r, o, &d->scenarios[s]))
        return false;
    }
    row[r->k] = (size_t)s;
    col[r->k] = (size_t)i;
  }
  return true;
}

/* Second pass: each result into its cell; every cell exactly once. */
static bool fill_cells(reader *r, const json_t *results, const size_t *row, const size_t *col) {
  run_doc *d = r->d;
  size_t n_i = d->rep.n_impls, cells = d->rep.n_scenarios * n_i;
  bool *seen = calloc(cells + 1, sizeof *seen);
  d->rep.results = calloc(cells + 1, sizeof *d->rep.results);
  if (seen == NULL || d->rep.results == NULL) {
    free(seen);
    return bad(r, "out of memory");
  }
  bool ok = true;
  for (r->k = 0; ok && r->k < json_array_size(results); r->k++) {
    size_t c = row[r->k] * n_i + col[r->k];
    run_result *x = &d->rep.results[c];
    r->id = d->scenarios[row[r->k]].id;
    r->impl = d->rep.impls[col[r->k]];
    if (seen[c]) {
      ok = bad_result(r, "a second result for this scenario and implementation");
      break;
    }
    seen[c] = true;
    x->scenario = &d->scenarios[row[r->k]];
    x->implementation = d->rep.impls[col[r->k]];
    ok = read_result(r, json_array_get(results, r->k), x);
  }
  for (size_t c = 0; ok && c < cells; c++)
    if (!seen[c])
      ok = bad(r, "scenario \"%.100s\" has no result for implementation \"%.60s\"",
               d->scenarios[c / n_i].id, d->rep.impls[c % n_i]);
  free(seen);
  return ok;
}

static bool read_top(reader *r, const json_t *root) {
  run_doc *d = r->d;
  if (!json_is_object(root))
    return bad(r, "not a tlsgauntlet run report: expected a JSON object");
  const json_t *schema = json_object_get(root, "schema_version");
  if (schema != NULL && (!json_is_integer(schema) || json_integer_value(schema) < 1))
    return bad(r, "\"schema_version\" must be a positive integer");
  if (schema != NULL && json_integer_value(schema) > TG_REPORT_SCHEMA_VERSION)
    return bad(r,
               "schema_version %lld is newer than this tlsgauntlet reads (%d): read it with the "
               "tlsgauntlet that wrote it, or a newer one",
               (long long)json_integer_value(schema), TG_REPORT_SCHEMA_VERSION);
  const json_t *results = json_object_get(root, "results");
  if (!json_is_array(results))
    return bad(r, "not a tlsgauntlet run report: no \"results\" list");
  const json_t *command = json_object_get(root, "command");
  const json_t *seconds = json_object_get(root, "seconds");
  if (command != NULL && !json_is_null(command) && !json_is_string(command))
    return bad(r, "\"command\" must be a string");
  if (seconds != NULL && !json_is_null(seconds) && !json_is_number(seconds))
    return bad(r, "\"seconds\" must be a number");
  d->rep.command_line = json_string_value(command);
  d->rep.seconds = json_number_value(seconds);
  const char *shard = d->rep.command_line ? strstr(d->rep.command_line, "--shard") : NULL;
  if (shard == NULL || sscanf(shard + 7, "%*[ =]%ld/%ld", &d->shard_i, &d->shard_n) != 2)
    d->shard_i = d->shard_n = 0;
  return read_impls(r, json_object_get(root, "implementations"));
}

/* A top-level member that is absent, null or a string; its value (or NULL) in *out. */
static bool top_string(reader *r, const json_t *o, const char *key, const char *where,
                       const char **out) {
  const json_t *v = json_object_get(o, key);
  *out = json_string_value(v);
  if (v == NULL || json_is_null(v) || json_is_string(v))
    return true;
  return bad(r, "\"%s\"%s must be a string or null", key, where);
}

/* The provenance of schema 2 (docs/reports.md), each member optional (version 1 had none): the
 * run's start, host and command line into rep.origin, and each implementation's library into its
 * results, so that a merged run's reports name the machine and libraries that played it. */
static bool read_origin(reader *r, const json_t *root) {
  run_doc *d = r->d;
  report_origin *o = &d->rep.origin;
  const json_t *tool = json_object_get(root, "tool"), *host = json_object_get(root, "host");
  const json_t *args = json_object_get(root, "command_line");
  const json_t *libs = json_object_get(root, "libraries");
  if ((tool != NULL && !json_is_null(tool) && !json_is_object(tool)) ||
      (host != NULL && !json_is_null(host) && !json_is_object(host)) ||
      (libs != NULL && !json_is_null(libs) && !json_is_object(libs)))
    return bad(r, "\"tool\", \"host\" and \"libraries\" must be objects");
  if (!top_string(r, root, "started", "", &o->started) ||
      !top_string(r, tool, "version", " of \"tool\"", &o->tool_version) ||
      !top_string(r, tool, "commit", " of \"tool\"", &o->tool_commit) ||
      !top_string(r, host, "name", " of \"host\"", &o->host) ||
      !top_string(r, host, "kernel", " of \"host\"", &o->kernel))
    return false;
  if (args != NULL && !json_is_null(args)) {
    size_t n = json_array_size(args);
    if (!json_is_array(args))
      return bad(r, "\"command_line\" must be a list of strings");
    d->argv = calloc(n + 1, sizeof *d->argv);
    if (d->argv == NULL)
      return bad(r, "out of memory");
    for (size_t k = 0; k < n; k++)
      if ((d->argv[k] = json_string_value(json_array_get(args, k))) == NULL)
        return bad(r, "command_line[%zu] is not a string", k);
    o->argv = d->argv;
    o->argc = n;
  }
  for (size_t i = 0; i < d->rep.n_impls; i++) {
    const json_t *lib = json_object_get(libs, d->rep.impls[i]);
    const char *name, *version;
    if (lib != NULL && !json_is_null(lib) && !json_is_object(lib))
      return bad(r, "libraries.%.60s must be an object", d->rep.impls[i]);
    if (!top_string(r, lib, "library", " of a library", &name) ||
        !top_string(r, lib, "version", " of a library", &version))
      return false;
    for (size_t s = 0; s < d->rep.n_scenarios; s++) {
      run_result *x = &d->rep.results[s * d->rep.n_impls + i];
      snprintf(x->library, sizeof x->library, "%s", name ? name : "");
      snprintf(x->library_version, sizeof x->library_version, "%s", version ? version : "");
    }
  }
  return true;
}

bool report_read_json(run_doc *d, const char *name, json_t *root, char *err, size_t errlen) {
  memset(d, 0, sizeof *d);
  d->root = root;
  d->file = strdup(name);
  reader r = {.d = d, .name = name, .err = err, .errlen = errlen};
  bool ok = read_top(&r, root);
  const json_t *results = json_object_get(root, "results");
  size_t n = json_array_size(results);
  size_t *row = NULL, *col = NULL;
  if (ok) {
    row = calloc(n + 1, sizeof *row);
    col = calloc(n + 1, sizeof *col);
    d->scenarios = calloc(n + 1, sizeof *d->scenarios);
    if (row == NULL || col == NULL || d->scenarios == NULL) {
      bad(&r, "out of memory");
      ok = false;
    }
  }
  ok = ok && index_results(&r, results, row, col) && fill_cells(&r, results, row, col) &&
       read_origin(&r, root);
  if (ok && d->rep.n_scenarios == 0)
    ok = bad(&r, "the report holds no results");
  free(row);
  free(col);
  if (!ok)
    run_doc_free(d);
  return ok;
}

bool report_read(run_doc *d, const char *path, char *err, size_t errlen) {
  json_error_t je;
  memset(d, 0, sizeof *d);
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL) {
    if (je.line < 0) /* the file itself: missing, unreadable */
      snprintf(err, errlen, "%s: %s", path, je.text);
    else
      snprintf(err, errlen, "%s:%d:%d: not JSON: %s", path, je.line, je.column, je.text);
    return false;
  }
  return report_read_json(d, path, root, err, errlen);
}

void run_doc_free(run_doc *d) {
  if (d == NULL)
    return;
  for (size_t c = 0; d->rep.results != NULL && c < d->rep.n_scenarios * d->rep.n_impls; c++)
    run_result_free(&d->rep.results[c]);
  for (size_t s = 0; d->scenarios != NULL && s < d->rep.n_scenarios; s++) {
    sc_scenario *sc = &d->scenarios[s];
    free(sc->id);
    free(sc->rfc);
    free(sc->title);
    for (size_t t = 0; t < sc->n_tags; t++)
      free(sc->tags[t]);
    for (size_t k = 0; k < sc->n_requires; k++)
      free(sc->requires[k].id);
    free(sc->requires);
  }
  free(d->scenarios);
  free(d->rep.results);
  free(d->rep.impls);
  free(d->argv);
  free(d->file);
  json_decref(d->root);
  memset(d, 0, sizeof *d);
}
