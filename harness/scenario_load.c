/* The scenario loader: YAML files (docs/scenarios.md) into sc_suite (scenario.h).
 *
 * A file is parsed one YAML document at a time with libyaml's document API (aliases resolved,
 * every node with its position). A document is one scenario, or a mapping with `scenarios:`,
 * `defaults:`, `include:` and `steps:`. Each scenario is expanded over its matrix and built
 * field by field; the deviation specs its edits produce are installed into a scratch
 * tg_deviation_set as they are made, so a scenario that loads is one the engine accepts.
 * Steps and their edits are in scenario_steps.c; node readers in scenario_yaml.c. */
#define _GNU_SOURCE /* strdup, realpath */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "requirements.h"
#include "scenario_build.h"

#define MAX_MATRIX 256 /* scenarios one matrix may expand to */

static const char *const scenario_keys[] = {
    "id",       "rfc",     "requires", "title",       "tags",
    "target",   "target_options", "endpoint", "timeout", "matrix",
    "script",   "sensitivity",    "sensitivity_reason", "resume", NULL};
/* defaults: any scenario key but the id. */
static const char *const defaults_keys[] = {
    "rfc",      "requires", "title",   "tags",   "target", "target_options",
    "endpoint", "timeout",  "matrix", "script", "resume", NULL};
static const char *const file_keys[] = {"include", "defaults", "scenarios", "steps", NULL};

/* ---- The suite ------------------------------------------------------------------------------- */

void sc_suite_init(sc_suite *s) { *s = (sc_suite){0}; }

static void free_scenario(sc_scenario *sc) {
  free(sc->id), free(sc->rfc), free(sc->title), free(sc->file), free(sc->insensitive);
  for (size_t i = 0; i < sc->n_tags; i++)
    free(sc->tags[i]);
  for (size_t i = 0; i < sc->n_requires; i++)
    free(sc->requires[i].id);
  free(sc->requires);
  const sc_target_opts *t = &sc->target_opts;
  free((char *)t->cert), free((char *)t->trust), free((char *)t->verify_name);
  free((char *)t->alpn), free((char *)t->sni);
  free((char *)sc->endpoint.cert), free((char *)sc->endpoint.server_name);
  free(sc->endpoint.alpn.p), free(sc->endpoint.hrr_cookie.p);
  free(sc->endpoint.rng_seed.p);
  for (size_t i = 0; i < sc->n_deviations; i++)
    free(sc->deviations[i]);
  for (size_t i = 0; i < sc->n_steps; i++)
    free(sc->steps[i].data.p), free(sc->steps[i].expect_data.p);
  free(sc->steps);
  memset(sc, 0, sizeof *sc);
}

void sc_suite_free(sc_suite *s) {
  for (size_t i = 0; i < s->n; i++)
    free_scenario(&s->v[i]);
  free(s->v);
  *s = (sc_suite){0};
}

static sc_scenario *suite_push(sc_suite *s) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    sc_scenario *v = realloc(s->v, cap * sizeof *v);
    if (v == NULL)
      return NULL;
    s->v = v;
    s->cap = cap;
  }
  sc_scenario *sc = &s->v[s->n++];
  memset(sc, 0, sizeof *sc);
  return sc;
}

static void suite_truncate(sc_suite *s, size_t n) {
  while (s->n > n)
    free_scenario(&s->v[--s->n]);
}

/* ---- Header keys ----------------------------------------------------------------------------- */

/* SUITE/NAME, lower case a-z0-9-_/. (docs/scenarios.md). */
static bool valid_id(const char *s) {
  if (s[0] == '/' || s[0] == '\0' || s[strlen(s) - 1] == '/' || strstr(s, "//") != NULL ||
      strchr(s, '/') == NULL)
    return false;
  for (; *s != '\0'; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || strchr("-_/.", *s) != NULL))
      return false;
  return true;
}

static bool add_tag(build *b, const yaml_node_t *n, const char *tag, size_t len) {
  sc_scenario *sc = b->sc;
  for (size_t i = 0; i < sc->n_tags; i++)
    if (strlen(sc->tags[i]) == len && strncmp(sc->tags[i], tag, len) == 0)
      return true;
  if (sc->n_tags == SC_MAX_TAGS)
    return sy_fail(b->c, n, "more than %d tags", SC_MAX_TAGS);
  if ((sc->tags[sc->n_tags] = strndup(tag, len)) == NULL)
    return sy_fail(b->c, n, "out of memory");
  sc->n_tags++;
  return true;
}

static bool read_tags(build *b, const yaml_node_t *n) {
  const char *id = b->sc->id;
  if (!add_tag(b, b->scen, id, strcspn(id, "/")))
    return false;
  if (n == NULL)
    return true;
  if (!sy_want(b->c, n, YAML_SEQUENCE_NODE))
    return false;
  for (size_t i = 0; i < sy_seq_len(n); i++) {
    const char *t;
    yaml_node_t *item = sy_seq_item(b->c, n, i);
    if (!sy_str(b->c, item, &t) || !add_tag(b, item, t, strlen(t)))
      return false;
  }
  return true;
}

static bool read_requires(build *b, const yaml_node_t *n) {
  sc_scenario *sc = b->sc;
  if (n == NULL)
    return true;
  if (!sy_want(b->c, n, YAML_SEQUENCE_NODE))
    return false;
  size_t len = sy_seq_len(n);
  if (len == 0)
    return sy_fail(b->c, n, "requires: is a list of requirement ids, not empty");
  if ((sc->requires = calloc(len, sizeof *sc->requires)) == NULL)
    return sy_fail(b->c, n, "out of memory");
  for (size_t i = 0; i < len; i++) {
    const char *id;
    yaml_node_t *item = sy_seq_item(b->c, n, i);
    if (!sy_str(b->c, item, &id))
      return false;
    if (!rq_id_syntax_ok(id))
      return sy_fail(b->c, item,
                     "bad requirement id '%s': rfcN-SECTION-NAME, NAME in lower case a-z 0-9 -",
                     id);
    for (size_t k = 0; k < sc->n_requires; k++)
      if (strcmp(sc->requires[k].id, id) == 0)
        return sy_fail(b->c, item, "requirement '%s' is listed twice", id);
    sc_requirement_ref *r = &sc->requires[sc->n_requires];
    if ((r->id = strdup(id)) == NULL)
      return sy_fail(b->c, item, "out of memory");
    r->line = (int)item->start_mark.line + 1;
    r->column = (int)item->start_mark.column + 1;
    sc->n_requires++;
  }
  return true;
}

static bool read_timeout(build *b, const yaml_node_t *n) {
  const char *s;
  if (!sy_str(b->c, n, &s))
    return false;
  char *end;
  errno = 0;
  double t = strtod(s, &end);
  if (end == s || *end != '\0' || errno != 0 || !(t > 0 && t <= 3600))
    return sy_fail(b->c, n, "timeout is seconds, more than 0 and at most 3600; found '%s'", s);
  b->sc->timeout_ms = (int)(t * 1000 + 0.5) > 0 ? (int)(t * 1000 + 0.5) : 1;
  return true;
}

/* The id with the matrix combination appended: "x/y[group=x25519,version=tls13]". */
static bool read_id(build *b) {
  yaml_node_t *n = sy_get(b->c, b->scen, "id");
  const char *id;
  if (n == NULL)
    return sy_fail(b->c, b->scen, "missing required key 'id'");
  if (!sy_str(b->c, n, &id))
    return false;
  if (!valid_id(id))
    return sy_fail(b->c, n, "bad id '%s': SUITE/NAME in lower case a-z 0-9 - _ . /", id);
  size_t len = strlen(id) + 3;
  for (size_t i = 0; i < b->c->n_bind; i++)
    len += strlen(b->c->bind_key[i]) + strlen(b->c->bind_val[i]) + 2;
  if ((b->sc->id = malloc(len)) == NULL)
    return sy_fail(b->c, n, "out of memory");
  size_t used = (size_t)snprintf(b->sc->id, len, "%s", id);
  for (size_t i = 0; i < b->c->n_bind; i++)
    used += (size_t)snprintf(b->sc->id + used, len - used, "%s%s=%s", i ? "," : "[",
                             b->c->bind_key[i], b->c->bind_val[i]);
  if (b->c->n_bind > 0)
    snprintf(b->sc->id + used, len - used, "]");
  return true;
}

/* sensitivity: none, with sensitivity_reason: a scenario `tlsgauntlet selftest` may find unable
 * to fail, and why. Without it every rejection scenario must be able to fail. */
static bool read_sensitivity(build *b) {
  sy_ctx *c = b->c;
  yaml_node_t *n = build_get(b, "sensitivity"), *why = build_get(b, "sensitivity_reason");
  const char *v;
  if (n == NULL)
    return why == NULL || sy_fail(c, why, "sensitivity_reason without 'sensitivity: none'");
  if (!sy_str(c, n, &v))
    return false;
  if (strcmp(v, "none") != 0)
    return sy_fail(c, n, "sensitivity is 'none' (with sensitivity_reason), not '%s'", v);
  if (why == NULL)
    return sy_fail(c, n, "'sensitivity: none' needs a sensitivity_reason: why it cannot fail");
  return sy_strdup(c, why, &b->sc->insensitive);
}

/* resume: true, or a mapping of options (docs/scenarios.md "Resumption"). The edits of the
 * offered session belong to a scripted client (a server target), `refuse` to a scripted server. */
static bool read_resume(build *b) {
  static const char *const keys[] = {"expect",       "binder", "ticket", "ticket_age",
                                     "ticket_suite", "refuse", NULL};
  sy_ctx *c = b->c;
  sc_resume *r = &b->sc->resume;
  yaml_node_t *n = build_get(b, "resume"), *v;
  const char *word;
  if (n == NULL)
    return true;
  if (n->type == YAML_SCALAR_NODE)
    return sy_bool(c, n, &r->on);
  if (!sy_want(c, n, YAML_MAPPING_NODE) || !sy_check_keys(c, n, keys, "resume"))
    return false;
  r->on = true;
  bool server = b->sc->target == SC_TARGET_SERVER;
  if ((v = sy_get(c, n, "expect")) != NULL) {
    if (!sy_str(c, v, &word))
      return false;
    if (strcmp(word, "resumed") != 0 && strcmp(word, "full") != 0)
      return sy_fail(c, v, "resume expect is 'resumed' or 'full', not '%s'", word);
    r->outcome = word[0] == 'r' ? SC_RESUME_RESUMED : SC_RESUME_FULL;
  }
  static const struct {
    const char *key, *value;
    size_t at;
  } edits[] = {{"binder", "corrupt", offsetof(sc_resume, bad_binder)},
               {"ticket", "corrupt", offsetof(sc_resume, bad_ticket)},
               {"ticket_age", "garbage", offsetof(sc_resume, bad_age)}};
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    if ((v = sy_get(c, n, edits[i].key)) == NULL)
      continue;
    if (!server)
      return sy_fail(c, v, "resume %s edits what a scripted client offers: target server only",
                     edits[i].key);
    if (!sy_str(c, v, &word))
      return false;
    if (strcmp(word, edits[i].value) != 0)
      return sy_fail(c, v, "resume %s is '%s', not '%s'", edits[i].key, edits[i].value, word);
    *(bool *)((char *)r + edits[i].at) = true;
  }
  if ((v = sy_get(c, n, "ticket_suite")) != NULL) {
    unsigned code;
    if (!server)
      return sy_fail(c, v, "resume ticket_suite edits what a scripted client offers: target "
                           "server only");
    if (!sy_code(c, v, SY_CIPHER_SUITE, &code))
      return false;
    r->ticket_suite = (uint16_t)code;
  }
  if ((v = sy_get(c, n, "refuse")) != NULL) {
    if (server)
      return sy_fail(c, v, "resume refuse is the scripted server's: target client only");
    if (!sy_bool(c, v, &r->refuse))
      return false;
  }
  return true;
}

static bool read_header(build *b) {
  sy_ctx *c = b->c;
  yaml_node_t *n;
  if (!read_id(b))
    return false;
  if ((n = build_get(b, "rfc")) == NULL)
    return sy_fail(c, b->scen, "missing required key 'rfc'");
  if (!sy_strdup(c, n, &b->sc->rfc))
    return false;
  if (!read_requires(b, build_get(b, "requires")))
    return false;
  if ((n = build_get(b, "title")) != NULL && !sy_strdup(c, n, &b->sc->title))
    return false;
  if (!read_tags(b, build_get(b, "tags")))
    return false;
  if ((n = build_get(b, "target")) == NULL)
    return sy_fail(c, b->scen, "missing required key 'target'");
  const char *t;
  if (!sy_str(c, n, &t))
    return false;
  if (strcmp(t, "server") != 0 && strcmp(t, "client") != 0)
    return sy_fail(c, n, "target is server or client, not '%s'", t);
  b->sc->target = t[0] == 's' ? SC_TARGET_SERVER : SC_TARGET_CLIENT;
  b->sc->timeout_ms = SC_DEFAULT_TIMEOUT_MS;
  if ((n = build_get(b, "timeout")) != NULL && !read_timeout(b, n))
    return false;
  return read_sensitivity(b) && read_resume(b);
}

/* ---- Matrix ---------------------------------------------------------------------------------- */

typedef struct matrix {
  size_t n;
  const char *key[SY_MAX_BINDINGS]; /* sorted */
  yaml_node_t *values[SY_MAX_BINDINGS];
  size_t total;
} matrix;

static bool matrix_key_ok(const char *k) {
  if (*k == '\0')
    return false;
  for (; *k != '\0'; k++)
    if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
      return false;
  return true;
}

static bool matrix_values(sy_ctx *c, yaml_node_t *kn, yaml_node_t *v) {
  if (!sy_want(c, v, YAML_SEQUENCE_NODE))
    return false;
  if (sy_seq_len(v) == 0)
    return sy_fail(c, v, "matrix key '%s' has no values", kn->data.scalar.value);
  for (size_t j = 0; j < sy_seq_len(v); j++) {
    yaml_node_t *item = sy_seq_item(c, v, j);
    if (!sy_want(c, item, YAML_SCALAR_NODE))
      return false;
    const char *s = (const char *)item->data.scalar.value;
    if (strlen(s) != item->data.scalar.length || strpbrk(s, ",=[]$") != NULL || *s == '\0')
      return sy_fail(c, item, "a matrix value is a non-empty word without , = [ ] $");
  }
  return true;
}

static bool read_matrix(sy_ctx *c, yaml_node_t *n, matrix *m) {
  *m = (matrix){.total = 1};
  if (n == NULL)
    return true;
  if (!sy_want(c, n, YAML_MAPPING_NODE))
    return false;
  if (sy_map_len(n) > SY_MAX_BINDINGS)
    return sy_fail(c, n, "a matrix of more than %d keys", SY_MAX_BINDINGS);
  for (size_t i = 0; i < sy_map_len(n); i++) {
    yaml_node_t *kn, *v = sy_map_value(c, n, i);
    const char *k = sy_map_key(c, n, i, &kn);
    if (k == NULL || !matrix_key_ok(k))
      return sy_fail(c, kn, "a matrix key is a word of a-z 0-9 _");
    if (!matrix_values(c, kn, v))
      return false;
    size_t at = m->n++; /* insertion sort: ids name the keys in sorted order */
    for (; at > 0 && strcmp(m->key[at - 1], k) >= 0; at--) {
      if (strcmp(m->key[at - 1], k) == 0)
        return sy_fail(c, kn, "duplicate matrix key '%s'", k);
      m->key[at] = m->key[at - 1], m->values[at] = m->values[at - 1];
    }
    m->key[at] = k, m->values[at] = v;
    m->total *= sy_seq_len(v);
    if (m->total > MAX_MATRIX)
      return sy_fail(c, n, "the matrix expands to more than %d scenarios", MAX_MATRIX);
  }
  return true;
}

/* Binds the values of combination k (the last key varies fastest) for ${key} and the id. */
static void matrix_bind(sy_ctx *c, const matrix *m, size_t k, yaml_node_t **nodes) {
  c->n_bind = m->n;
  for (size_t i = m->n; i-- > 0;) {
    size_t len = sy_seq_len(m->values[i]);
    yaml_node_t *v = sy_seq_item(c, m->values[i], k % len);
    k /= len;
    c->bind_key[i] = m->key[i];
    c->bind_val[i] = (const char *)v->data.scalar.value;
    nodes[i] = v;
  }
}

/* version, cipher_suite, group, sigalg: the only value of both sides (docs/scenarios.md). */
static bool matrix_apply(build *b, const matrix *m, yaml_node_t **nodes) {
  sc_target_opts *t = &b->sc->target_opts;
  sc_endpoint *e = &b->sc->endpoint;
  for (size_t i = 0; i < m->n; i++) {
    unsigned v;
    const char *k = m->key[i];
    sc_u16_list one = {1, {0}};
    if (strcmp(k, "version") == 0) {
      uint16_t ver;
      if (!sy_version(b->c, nodes[i], &ver))
        return false;
      t->min_version = t->max_version = e->min_version = e->max_version = ver;
    } else if (strcmp(k, "cipher_suite") == 0) {
      if (!sy_code(b->c, nodes[i], SY_CIPHER_SUITE, &v))
        return false;
      one.v[0] = (uint16_t)v;
      t->ciphers = e->cipher_suites = one;
    } else if (strcmp(k, "group") == 0) {
      if (!sy_code(b->c, nodes[i], SY_GROUP, &v))
        return false;
      one.v[0] = (uint16_t)v;
      t->groups = e->groups = e->key_shares = one;
    } else if (strcmp(k, "sigalg") == 0) {
      if (!sy_code(b->c, nodes[i], SY_SIG_SCHEME, &v))
        return false;
      one.v[0] = (uint16_t)v;
      t->sigalgs = e->sigalgs = one;
    }
  }
  return true;
}

/* ---- One scenario ---------------------------------------------------------------------------- */

yaml_node_t *build_get(build *b, const char *key) {
  yaml_node_t *n = sy_get(b->c, b->scen, key);
  return n != NULL ? n : sy_get(b->c, b->lib->defaults, key);
}

static bool dup_default(sy_ctx *c, const yaml_node_t *n, const char **field, const char *v) {
  if (*field == NULL && (*field = strdup(v)) == NULL)
    return sy_fail(c, n, "out of memory");
  return true;
}

/* The defaults of docs/scenarios.md that depend on the target's role. */
static bool role_defaults(build *b) {
  sc_scenario *sc = b->sc;
  sc_target_opts *t = &sc->target_opts;
  sc_endpoint *e = &sc->endpoint;
  bool server = sc->target == SC_TARGET_SERVER;
  t->cert_default = server && t->cert == NULL;
  t->sni_default = !server && t->sni == NULL;
  return dup_default(b->c, b->scen, &t->trust, "root") &&
         (server ? dup_default(b->c, b->scen, &t->cert, "server") &&
                       dup_default(b->c, b->scen, &e->server_name, "server.test")
                 : dup_default(b->c, b->scen, &t->verify_name, "server.test") &&
                       dup_default(b->c, b->scen, &t->sni, "server.test") &&
                       dup_default(b->c, b->scen, &e->cert, "server"));
}

static bool build_one(build *b, const matrix *m, yaml_node_t **nodes) {
  if (!read_header(b) || !build_options(b) || !role_defaults(b) || !matrix_apply(b, m, nodes))
    return false;
  if (b->endpoint_devs != NULL && !build_endpoint_deviations(b, b->endpoint_devs))
    return false;
  yaml_node_t *script = build_get(b, "script");
  if (script == NULL)
    return sy_fail(b->c, b->scen, "missing required key 'script'");
  return build_script(b, script);
}

/* Every scenario of one mapping: one per matrix combination. */
static bool load_scenario(shared_lib *lib, sy_ctx *c, yaml_node_t *scen, sc_suite *s) {
  matrix m;
  if (!sy_check_keys(c, scen, scenario_keys, "scenario"))
    return false;
  yaml_node_t *mn = sy_get(c, scen, "matrix");
  if (!read_matrix(c, mn != NULL ? mn : sy_get(c, lib->defaults, "matrix"), &m))
    return false;
  for (size_t k = 0; k < m.total; k++) {
    yaml_node_t *nodes[SY_MAX_BINDINGS];
    matrix_bind(c, &m, k, nodes);
    sc_scenario *sc = suite_push(s);
    if (sc == NULL)
      return sy_fail(c, scen, "out of memory");
    build b = {.c = c, .lib = lib, .scen = scen, .sc = sc};
    tg_deviation_set_init(&b.devs);
    bool ok = build_one(&b, &m, nodes) && (sc->file = strdup(c->src.name)) != NULL;
    if (ok) {
      sc->line = (int)scen->start_mark.line + 1;
      sc->column = (int)scen->start_mark.column + 1;
    }
    tg_deviation_set_free(&b.devs);
    sy_scratch_free(c);
    c->n_bind = 0;
    if (!ok)
      return sy_fail(c, scen, "out of memory"); /* a no-op after the real failure */
  }
  return true;
}

/* ---- Files ----------------------------------------------------------------------------------- */

static bool parse_one(sy_ctx *c, const uint8_t *text, size_t len, yaml_document_t *doc,
                      bool *have) {
  *have = false;
  if (!sy_check_depth(c, text, len))
    return false;
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p))
    return sy_fail(c, NULL, "out of memory");
  yaml_parser_set_input_string(&p, text, len);
  bool ok = yaml_parser_load(&p, doc) != 0;
  if (!ok)
    sy_yaml_error(c, &p, text, len);
  yaml_parser_delete(&p);
  *have = ok && yaml_document_get_root_node(doc) != NULL;
  if (ok && !*have)
    yaml_document_delete(doc);
  return ok;
}

/* ---- Shared steps: include: and steps: ------------------------------------------------------- */

static bool add_shared(shared_lib *lib, sy_ctx *c, yaml_node_t *steps) {
  if (!sy_want(c, steps, YAML_MAPPING_NODE))
    return false;
  for (size_t i = 0; i < sy_map_len(steps); i++) {
    yaml_node_t *kn;
    const char *name = sy_map_key(c, steps, i, &kn);
    if (name == NULL)
      return sy_fail(c, kn, "a name of shared steps must be a string");
    if (shared_find(lib, name) != NULL)
      return sy_fail(c, kn, "shared steps '%s' are defined twice", name);
    yaml_node_t *list = sy_map_value(c, steps, i);
    if (!sy_want(c, list, YAML_SEQUENCE_NODE))
      return false;
    if (lib->n == lib->cap) {
      size_t cap = lib->cap ? lib->cap * 2 : 16;
      shared_steps *v = realloc(lib->v, cap * sizeof *v);
      if (v == NULL)
        return sy_fail(c, kn, "out of memory");
      lib->v = v, lib->cap = cap;
    }
    lib->v[lib->n++] = (shared_steps){name, list, c->src};
  }
  return true;
}

static bool include_one(shared_lib *lib, sy_ctx *c, yaml_node_t *n) {
  static const char *const keys[] = {"steps", NULL};
  const char *rel;
  if (!sy_str(c, n, &rel))
    return false;
  if (lib->base_dir == NULL)
    return sy_fail(c, n, "include '%s': includes need a file on disk", rel);
  if (lib->n_inc == SC_MAX_INCLUDES)
    return sy_fail(c, n, "more than %d includes", SC_MAX_INCLUDES);
  char *path = NULL, why[120];
  size_t len;
  if (rel[0] == '/' ? (path = strdup(rel)) == NULL
                    : asprintf(&path, "%s/%s", lib->base_dir, rel) < 0)
    return sy_fail(c, n, "out of memory");
  char *text = sy_read_file(path, &len, why, sizeof why);
  if (text == NULL) {
    free(path);
    return sy_fail(c, n, "include '%s': %s", rel, why);
  }
  sy_src outer = c->src;
  c->src = (sy_src){path, &lib->inc_doc[lib->n_inc]};
  bool have = false;
  bool ok = parse_one(c, (const uint8_t *)text, len, c->src.doc, &have);
  free(text);
  if (have) { /* lib owns the document and its name from here on */
    lib->inc_name[lib->n_inc++] = path;
    yaml_node_t *root = yaml_document_get_root_node(c->src.doc);
    ok = sy_check_keys(c, root, keys, "a shared-definitions file") &&
         (sy_get(c, root, "steps") == NULL || add_shared(lib, c, sy_get(c, root, "steps")));
  } else {
    free(path); /* a parse error was already formatted with it */
  }
  c->src = outer;
  return ok;
}

static bool read_includes(shared_lib *lib, sy_ctx *c, yaml_node_t *n) {
  if (n == NULL)
    return true;
  if (n->type == YAML_SCALAR_NODE)
    return include_one(lib, c, n);
  if (!sy_want(c, n, YAML_SEQUENCE_NODE))
    return false;
  for (size_t i = 0; i < sy_seq_len(n); i++)
    if (!include_one(lib, c, sy_seq_item(c, n, i)))
      return false;
  return true;
}

shared_steps *shared_find(shared_lib *lib, const char *name) {
  for (size_t i = 0; i < lib->n; i++)
    if (strcmp(lib->v[i].name, name) == 0)
      return &lib->v[i];
  return NULL;
}

static void lib_free(shared_lib *lib) {
  for (size_t i = 0; i < lib->n_inc; i++) {
    yaml_document_delete(&lib->inc_doc[i]);
    free(lib->inc_name[i]);
  }
  free(lib->v);
}

/* ---- Documents ------------------------------------------------------------------------------- */

static bool is_file_form(sy_ctx *c, yaml_node_t *root) {
  for (size_t i = 0; file_keys[i] != NULL; i++)
    if (sy_get(c, root, file_keys[i]) != NULL)
      return true;
  return false;
}

static bool load_file_form(shared_lib *lib, sy_ctx *c, yaml_node_t *root, sc_suite *s) {
  if (!sy_check_keys(c, root, file_keys, "a scenario file") ||
      !read_includes(lib, c, sy_get(c, root, "include")))
    return false;
  yaml_node_t *steps = sy_get(c, root, "steps"), *list = sy_get(c, root, "scenarios");
  if (steps != NULL && !add_shared(lib, c, steps))
    return false;
  lib->defaults = sy_get(c, root, "defaults");
  if (lib->defaults != NULL && !sy_check_keys(c, lib->defaults, defaults_keys, "defaults"))
    return false;
  if (list == NULL)
    return true;
  if (!sy_want(c, list, YAML_SEQUENCE_NODE))
    return false;
  for (size_t i = 0; i < sy_seq_len(list); i++)
    if (!load_scenario(lib, c, sy_seq_item(c, list, i), s))
      return false;
  return true;
}

static bool load_document(sy_ctx *c, const char *base_dir, sc_suite *s) {
  yaml_node_t *root = yaml_document_get_root_node(c->src.doc);
  if (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0 &&
      root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
    return true; /* an empty document, as a trailing "---" makes */
  if (!sy_want(c, root, YAML_MAPPING_NODE))
    return false;
  shared_lib lib = {.base_dir = base_dir};
  bool ok =
      is_file_form(c, root) ? load_file_form(&lib, c, root, s) : load_scenario(&lib, c, root, s);
  lib_free(&lib);
  return ok;
}

/* Ids of s->v[from..] against every earlier one. */
static bool check_duplicates(const sc_suite *s, size_t from, sc_error *err) {
  for (size_t i = from; i < s->n; i++)
    for (size_t j = 0; j < i; j++) {
      const sc_scenario *a = &s->v[j], *b = &s->v[i];
      if (strcmp(a->id, b->id) != 0)
        continue;
      snprintf(err->text, sizeof err->text, "%s:%d:%d: duplicate id '%s' (also at %s:%d:%d)",
               b->file, b->line, b->column, b->id, a->file, a->line, a->column);
      return false;
    }
  return true;
}

bool sc_load_text(sc_suite *s, const char *name, const char *base_dir, const uint8_t *text,
                  size_t len, sc_error *err) {
  size_t before = s->n;
  sy_ctx c = {.src = {name, NULL}, .err = err};
  if (!sy_check_depth(&c, text, len))
    return false;
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p))
    return sy_fail(&c, NULL, "out of memory");
  yaml_parser_set_input_string(&p, text, len);
  bool ok = true;
  while (ok) {
    yaml_document_t doc;
    if (!yaml_parser_load(&p, &doc)) {
      sy_yaml_error(&c, &p, text, len);
      ok = false;
      break;
    }
    bool end = yaml_document_get_root_node(&doc) == NULL;
    c.src.doc = &doc;
    ok = end || load_document(&c, base_dir, s);
    yaml_document_delete(&doc);
    if (end)
      break;
  }
  yaml_parser_delete(&p);
  sy_scratch_free(&c);
  ok = ok && check_duplicates(s, before, err);
  if (!ok)
    suite_truncate(s, before);
  return ok;
}

bool sc_load_file(sc_suite *s, const char *path, sc_error *err) {
  char why[120];
  size_t len;
  char *text = sy_read_file(path, &len, why, sizeof why);
  if (text == NULL) {
    snprintf(err->text, sizeof err->text, "%s: %s", path, why);
    return false;
  }
  char *dir = strdup(path);
  char *slash = dir ? strrchr(dir, '/') : NULL;
  const char *base = dir == NULL ? NULL : slash == NULL ? "." : slash == dir ? "/" : dir;
  if (slash != NULL && slash != dir)
    *slash = '\0';
  bool ok = base != NULL && sc_load_text(s, path, base, (const uint8_t *)text, len, err);
  if (base == NULL)
    snprintf(err->text, sizeof err->text, "%s: out of memory", path);
  free(dir);
  free(text);
  return ok;
}

/* ---- Paths ----------------------------------------------------------------------------------- */

typedef struct path_list {
  char **v;
  size_t n, cap;
} path_list;

static bool paths_push(path_list *l, char *p) {
  if (p == NULL)
    return false;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 32;
    char **v = realloc(l->v, cap * sizeof *v);
    if (v == NULL) {
      free(p);
      return false;
    }
    l->v = v, l->cap = cap;
  }
  l->v[l->n++] = p;
  return true;
}

static bool has_yaml_suffix(const char *name) {
  size_t len = strlen(name);
  return len > 5 && strcmp(name + len - 5, ".yaml") == 0;
}

/* Every *.yaml below dir (hidden entries and '_' files skipped), appended to l. */
static bool walk(const char *dir, path_list *l, int depth, sc_error *err) {
  DIR *d = depth < 16 ? opendir(dir) : NULL;
  if (d == NULL) {
    snprintf(err->text, sizeof err->text, "%s: %s", dir,
             depth < 16 ? strerror(errno) : "directories nest too deep");
    return false;
  }
  bool ok = true;
  struct dirent *e;
  while (ok && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char *path;
    struct stat st;
    if (asprintf(&path, "%s/%s", dir, e->d_name) < 0) {
      ok = false;
      break;
    }
    bool found = stat(path, &st) == 0; /* a dangling link is skipped */
    if (found && S_ISDIR(st.st_mode)) {
      ok = walk(path, l, depth + 1, err);
      free(path);
    } else if (found && S_ISREG(st.st_mode) && e->d_name[0] != '_' && has_yaml_suffix(e->d_name)) {
      ok = paths_push(l, path);
    } else {
      free(path);
    }
  }
  closedir(d);
  if (!ok && err->text[0] == '\0')
    snprintf(err->text, sizeof err->text, "%s: out of memory", dir);
  return ok;
}

static int cmp_path(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One argument: a file, a directory, or a suite name under scenarios_dir. */
static bool resolve(const char *dir, const char *arg, path_list *l, sc_error *err) {
  struct stat st;
  char *path = NULL;
  if (stat(arg, &st) != 0 && dir != NULL && arg[0] != '/') {
    if (asprintf(&path, "%s/%s", dir, arg) < 0)
      path = NULL;
    if (path != NULL && stat(path, &st) != 0) {
      free(path);
      if (asprintf(&path, "%s/%s.yaml", dir, arg) < 0)
        path = NULL;
    }
    if (path == NULL || stat(path, &st) != 0) {
      free(path);
      snprintf(err->text, sizeof err->text, "%s: no such file, directory or suite (in %s)", arg,
               dir);
      return false;
    }
  } else if (stat(arg, &st) != 0) {
    snprintf(err->text, sizeof err->text, "%s: %s", arg, strerror(errno));
    return false;
  }
  if (path == NULL && (path = strdup(arg)) == NULL)
    return false;
  if (!S_ISDIR(st.st_mode))
    return paths_push(l, path);
  size_t from = l->n;
  bool ok = walk(path, l, 0, err);
  free(path);
  if (ok && l->n > from)
    qsort(l->v + from, l->n - from, sizeof *l->v, cmp_path);
  return ok;
}

bool sc_load_paths(sc_suite *s, const char *scenarios_dir, char **args, size_t n_args,
                   sc_error *err) {
  path_list l = {0};
  char *all[1] = {(char *)scenarios_dir};
  size_t before = s->n;
  err->text[0] = '\0';
  if (n_args == 0 && scenarios_dir == NULL) {
    snprintf(err->text, sizeof err->text, "no scenarios directory and no files named");
    return false;
  }
  if (n_args == 0)
    args = all, n_args = 1;
  bool ok = true;
  for (size_t i = 0; ok && i < n_args; i++)
    ok = resolve(scenarios_dir, args[i], &l, err);
  if (!ok && err->text[0] == '\0')
    snprintf(err->text, sizeof err->text, "out of memory");
  for (size_t i = 0; ok && i < l.n; i++)
    ok = sc_load_file(s, l.v[i], err);
  for (size_t i = 0; i < l.n; i++)
    free(l.v[i]);
  free(l.v);
  if (!ok)
    suite_truncate(s, before);
  return ok;
}
