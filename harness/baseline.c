/* Baseline files (vectors/baselines/IMPLEMENTATION.yaml, format in report.h): the deviations an
 * implementation is known to have, each with the reason, so CI fails only on new behaviour.
 *
 * The file is small and trusted to be hand-written, so it is loaded as a libyaml document and
 * walked; every problem is reported at the node's FILE:LINE:COLUMN (1-based). */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "report.h"
#include "scenario_yaml.h"

typedef struct loader {
  yaml_document_t doc;
  const char *path;
  char *err;
  size_t errlen;
} loader;

__attribute__((format(printf, 3, 4))) static bool fail_at(loader *l, yaml_mark_t m, const char *fmt,
                                                          ...) {
  char msg[384];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(l->err, l->errlen, "%s:%zu:%zu: %s", l->path, m.line + 1, m.column + 1, msg);
  return false;
}

/* A plain empty, "~" or "null" scalar: YAML's null, which for us means "not given". */
static bool is_null(const yaml_node_t *n) {
  if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  const char *s = (const char *)n->data.scalar.value;
  return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
         strcmp(s, "NULL") == 0;
}

static bool blank(const char *s) {
  while (isspace((unsigned char)*s))
    s++;
  return *s == '\0';
}

/* The non-empty string value of key `what`; false with the error set otherwise. */
static bool text_value(loader *l, const yaml_node_t *n, const char *what, char **out) {
  if (n->type != YAML_SCALAR_NODE || is_null(n))
    return fail_at(l, n->start_mark, "%s must be a non-empty string", what);
  const char *s = (const char *)n->data.scalar.value;
  if (blank(s))
    return fail_at(l, n->start_mark, "%s must be a non-empty string", what);
  if (*out != NULL)
    return fail_at(l, n->start_mark, "%s given twice", what);
  *out = strdup(s);
  if (*out == NULL)
    return fail_at(l, n->start_mark, "out of memory");
  return true;
}

static const char *key_of(loader *l, const yaml_node_pair_t *p, yaml_mark_t *mark) {
  yaml_node_t *k = yaml_document_get_node(&l->doc, p->key);
  *mark = k->start_mark;
  if (k->type != YAML_SCALAR_NODE)
    return NULL;
  return (const char *)k->data.scalar.value;
}

/* The verdicts a deviation can name: what an implementation actually does wrong. */
static bool entry_verdict(loader *l, const yaml_node_t *n, bool *seen, verdict *v) {
  if (*seen)
    return fail_at(l, n->start_mark, "verdict given twice");
  *seen = true;
  const char *s = n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "";
  if (!verdict_parse(s, v) || *v == V_PASS || *v == V_XFAIL || *v == V_XPASS)
    return fail_at(l, n->start_mark,
                   "verdict must be one of lenient, fail, crash, timeout, inconclusive, skip "
                   "(got \"%s\")",
                   s);
  return true;
}

/* observed: what the target does, "alert NAME", "close", "accepted" or "timeout". */
static bool entry_observed(loader *l, const yaml_node_t *n, baseline_entry *e) {
  if (e->observed.b != B_NONE)
    return fail_at(l, n->start_mark, "observed given twice");
  const char *s = n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "";
  if (!behaviour_parse(s, &e->observed))
    return fail_at(l, n->start_mark,
                   "observed must be \"alert NAME\", \"close\", \"accepted\" or \"timeout\" "
                   "(got \"%s\")",
                   s);
  return true;
}

/* What the entry must say beyond id, verdict and reason: a lenient, fail or inconclusive entry
 * records what the target does, so a change of behaviour within the verdict shows. */
static const char *entry_missing(const baseline_entry *e, bool have_verdict) {
  if (e->id == NULL)
    return "id";
  if (!have_verdict)
    return "verdict";
  if (e->reason == NULL)
    return "reason";
  if ((e->v == V_LENIENT || e->v == V_FAIL) && e->observed.b == B_NONE)
    return "observed (what the target does: alert NAME, close, accepted or timeout)";
  return NULL;
}

static bool load_entry(loader *l, const yaml_node_t *n, baseline_entry *e) {
  if (n->type != YAML_MAPPING_NODE)
    return fail_at(l, n->start_mark, "a deviation must be a mapping with id, verdict and reason");
  e->line = (int)n->start_mark.line + 1;
  e->observed = (outcome){B_NONE, -1};
  bool have_verdict = false;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    yaml_mark_t km;
    const char *key = key_of(l, p, &km);
    yaml_node_t *v = yaml_document_get_node(&l->doc, p->value);
    bool ok;
    if (key == NULL)
      return fail_at(l, km, "a key must be a string");
    else if (strcmp(key, "id") == 0)
      ok = text_value(l, v, "id", &e->id);
    else if (strcmp(key, "reason") == 0)
      ok = text_value(l, v, "reason", &e->reason);
    else if (strcmp(key, "verdict") == 0)
      ok = entry_verdict(l, v, &have_verdict, &e->v);
    else if (strcmp(key, "observed") == 0)
      ok = entry_observed(l, v, e);
    else if (strcmp(key, "evidence") == 0)
      ok = text_value(l, v, "evidence", &e->evidence);
    else if (strcmp(key, "replay") == 0)
      ok = text_value(l, v, "replay", &e->replay);
    else
      return fail_at(
          l, km,
          "unknown key \"%s\" in a deviation (id, verdict, observed, reason, evidence, replay)",
          key);
    if (!ok)
      return false;
  }
  const char *missing = entry_missing(e, have_verdict);
  if (missing != NULL)
    return fail_at(l, n->start_mark, "this deviation has no %s", missing);
  return true;
}

static bool load_deviations(loader *l, baseline *b, const yaml_node_t *n) {
  if (is_null(n))
    return true;
  if (n->type != YAML_SEQUENCE_NODE)
    return fail_at(l, n->start_mark, "deviations must be a list");
  if (b->e != NULL)
    return fail_at(l, n->start_mark, "deviations given twice");
  size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
  b->e = calloc(count ? count : 1, sizeof *b->e);
  if (b->e == NULL)
    return fail_at(l, n->start_mark, "out of memory");
  for (size_t i = 0; i < count; i++) {
    yaml_node_t *item = yaml_document_get_node(&l->doc, n->data.sequence.items.start[i]);
    b->n = i + 1; /* counted before it loads, so a half-filled entry is freed */
    if (!load_entry(l, item, &b->e[i]))
      return false;
    for (size_t j = 0; j < i; j++)
      if (strcmp(b->e[j].id, b->e[i].id) == 0)
        return fail_at(l, item->start_mark, "id \"%s\" is listed twice (also at line %d)",
                       b->e[i].id, b->e[j].line);
  }
  return true;
}

static bool load_root(loader *l, baseline *b) {
  yaml_node_t *root = yaml_document_get_root_node(&l->doc);
  yaml_mark_t start = {0};
  if (root == NULL)
    return fail_at(l, start, "empty file: expected a mapping with implementation and deviations");
  if (root->type != YAML_MAPPING_NODE)
    return fail_at(l, root->start_mark, "expected a mapping with implementation and deviations");
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
       p++) {
    yaml_mark_t km;
    const char *key = key_of(l, p, &km);
    yaml_node_t *v = yaml_document_get_node(&l->doc, p->value);
    bool ok;
    if (key == NULL)
      return fail_at(l, km, "a key must be a string");
    else if (strcmp(key, "implementation") == 0)
      ok = text_value(l, v, "implementation", &b->implementation);
    else if (strcmp(key, "deviations") == 0)
      ok = load_deviations(l, b, v);
    else
      return fail_at(l, km, "unknown key \"%s\" (implementation, deviations)", key);
    if (!ok)
      return false;
  }
  if (b->implementation == NULL)
    return fail_at(l, root->start_mark,
                   "no implementation: name the implementation this "
                   "baseline is for");
  return true;
}

/* The implementation a missing file stands for: its name without directory and ".yaml". */
static char *name_from_path(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  size_t len = strlen(base);
  if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
    len -= 5;
  return strndup(base, len);
}

/* libyaml's reader errors (bad UTF-8, control characters) carry a byte offset, not a mark. */
static yaml_mark_t mark_of_offset(const char *text, size_t offset) {
  yaml_mark_t m = {0};
  for (size_t i = 0; i < offset && text[i] != '\0'; i++) {
    m.column++;
    if (text[i] == '\n') {
      m.line++;
      m.column = 0;
    }
  }
  return m;
}

static bool parse_text(loader *l, const char *text, size_t len) {
  yaml_mark_t deep;
  if (sy_too_deep((const unsigned char *)text, len, &deep))
    return fail_at(l, deep, "nested deeper than %d levels (the limit of a YAML file)",
                   SY_MAX_DEPTH);
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    snprintf(l->err, l->errlen, "%s: out of memory", l->path);
    return false;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  /* On failure yaml_parser_load frees the document itself. */
  bool ok = yaml_parser_load(&parser, &l->doc);
  if (ok && yaml_document_get_root_node(&l->doc) != NULL) {
    /* A second document would be silently ignored: refuse it. */
    yaml_document_t next;
    ok = yaml_parser_load(&parser, &next);
    if (ok && yaml_document_get_root_node(&next) != NULL)
      ok = fail_at(l, yaml_document_get_root_node(&next)->start_mark,
                   "a baseline file holds one YAML document");
    if (ok || parser.error == YAML_NO_ERROR)
      yaml_document_delete(&next);
    if (!ok)
      yaml_document_delete(&l->doc);
  }
  if (!ok && parser.error != YAML_NO_ERROR) {
    yaml_mark_t m = parser.error == YAML_READER_ERROR ? mark_of_offset(text, parser.problem_offset)
                                                      : parser.problem_mark;
    fail_at(l, m, "%s%s%s", parser.problem ? parser.problem : "YAML syntax error",
            parser.context ? " " : "", parser.context ? parser.context : "");
  }
  yaml_parser_delete(&parser);
  return ok;
}

bool baseline_load(baseline *b, const char *path, bool missing_ok, char *err, size_t errlen) {
  memset(b, 0, sizeof *b);
  b->file = strdup(path);
  if (missing_ok && access(path, F_OK) != 0 && errno == ENOENT) {
    b->implementation = name_from_path(path);
    return true;
  }
  char why[160];
  size_t len = 0;
  char *text = sy_read_file(path, &len, why, sizeof why);
  if (text == NULL) {
    snprintf(err, errlen, "%s: %s", path, why);
    baseline_free(b);
    return false;
  }
  free(b->file); /* baseline_load_text sets it again */
  bool ok = baseline_load_text(b, path, text, len, err, errlen);
  free(text);
  return ok;
}

bool baseline_load_text(baseline *b, const char *name, const char *text, size_t len, char *err,
                        size_t errlen) {
  memset(b, 0, sizeof *b);
  b->file = strdup(name);
  loader l = {.path = name, .err = err, .errlen = errlen};
  bool ok = parse_text(&l, text, len);
  if (ok) {
    ok = load_root(&l, b);
    yaml_document_delete(&l.doc);
  }
  if (!ok)
    baseline_free(b);
  return ok;
}

void baseline_free(baseline *b) {
  if (b == NULL)
    return;
  for (size_t i = 0; i < b->n; i++) {
    free(b->e[i].id);
    free(b->e[i].reason);
    free(b->e[i].evidence);
    free(b->e[i].replay);
  }
  free(b->e);
  free(b->implementation);
  free(b->file);
  memset(b, 0, sizeof *b);
}

/* Whether id matches the glob pattern. Only '*' and '?' are wildcards: '[' and ']' are escaped
 * for fnmatch because matrix ids hold them ("a/b[version=tls12]") and must match literally.
 * '*' also matches '/' (no FNM_PATHNAME): "record/" and a '*' cover nested ids too. */
static bool glob_matches(const char *pattern, const char *id) {
  size_t len = strlen(pattern);
  char *escaped = malloc(2 * len + 1);
  if (escaped == NULL)
    return false;
  char *o = escaped;
  for (const char *p = pattern; *p != '\0'; p++) {
    if (*p == '[' || *p == ']' || *p == '\\')
      *o++ = '\\';
    *o++ = *p;
  }
  *o = '\0';
  bool match = fnmatch(escaped, id, 0) == 0;
  free(escaped);
  return match;
}

baseline_entry *baseline_find(const baseline *b, const run_result *r) {
  /* A baseline names its implementation: it says nothing about another one's results. */
  if (b == NULL || r->scenario == NULL || r->scenario->id == NULL)
    return NULL;
  if (b->implementation != NULL && r->implementation != NULL &&
      strcmp(b->implementation, r->implementation) != 0)
    return NULL;
  const char *id = r->scenario->id;
  for (size_t i = 0; i < b->n; i++)
    if (strcmp(b->e[i].id, id) == 0)
      return &b->e[i];
  for (size_t i = 0; i < b->n; i++)
    if (glob_matches(b->e[i].id, id))
      return &b->e[i];
  return NULL;
}
