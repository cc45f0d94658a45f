/* fuzz_x509_diff's allowlist: loading the YAML and matching deviations (x509_diff_allowlist.h). */
#include "x509_diff_allowlist.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

const char *const xda_library_names[XDA_LIBRARIES] = {"gnutls", "boringssl"};

static const struct {
  unsigned fact;
  const char *name;
} facts[] = {
    {XDA_LEAF_IS_ANCHOR, "leaf-is-anchor"},
    {XDA_ISSUER_CANDIDATES, "issuer-candidates"},
    {XDA_LEAF_CN_NO_DNS, "leaf-cn-no-dns"},
    {XDA_ANCHOR_NOT_SELF_ISSUED, "anchor-not-self-issued"},
    {XDA_ANCHOR_PATH_LEN, "anchor-path-len"},
    {XDA_NAME_TRAILING_DOT, "name-trailing-dot"},
    {XDA_V1_INTERMEDIATE, "v1-intermediate"},
    {XDA_ANCHOR_UNKNOWN_CRITICAL, "anchor-unknown-critical"},
    {XDA_LEAF_KU_NO_DS, "leaf-ku-no-digital-signature"},
    {XDA_WEAK_SIGNATURE, "weak-signature"},
    {XDA_ANCHOR_V1, "anchor-v1"},
    {XDA_ISSUER_NAME_FOLDED, "issuer-name-folded"},
    {XDA_NAME_VALUE_UNUSUAL_TAG, "name-value-unusual-tag"},
    {XDA_ANCHOR_NOT_CA, "anchor-not-ca"},
    {XDA_INTERMEDIATE_UNPARSED, "intermediate-unparsed"},
    {XDA_DIRNAME_CONSTRAINT_FOLDED, "dirname-constraint-folded"},
    {XDA_UNKNOWN_EXTENSION, "unknown-extension"},
    {XDA_UNKNOWN_KEY, "unknown-key"},
};

const char *xda_fact_name(unsigned fact) {
  for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
    if (facts[i].fact == fact)
      return facts[i].name;
  return NULL;
}

unsigned xda_fact_from_name(const char *name) {
  for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
    if (strcmp(facts[i].name, name) == 0)
      return facts[i].fact;
  return 0;
}

/* ---- Loading -----------------------------------------------------------------------------------
 */

typedef struct loader {
  yaml_document_t doc;
  char *err;
  size_t errlen;
} loader;

static bool fail(loader *l, const yaml_node_t *at, const char *fmt, ...) {
  char what[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(l->err, l->errlen, "x509_diff_allowlist.yaml:%zu: %s", at ? at->start_mark.line + 1 : 0,
           what);
  return false;
}

static const char *scalar(const yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A scalar or a sequence of scalars, each passed to one(). */
static bool each_word(loader *l, yaml_node_t *v, const char *key,
                      bool (*one)(loader *, yaml_node_t *, const char *, unsigned *),
                      unsigned *out) {
  if (scalar(v) != NULL)
    return one(l, v, scalar(v), out);
  if (v == NULL || v->type != YAML_SEQUENCE_NODE)
    return fail(l, v, "%s: a name or a list of names", key);
  for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
    yaml_node_t *item = yaml_document_get_node(&l->doc, *it);
    if (scalar(item) == NULL)
      return fail(l, item, "%s: a list of names", key);
    if (!one(l, item, scalar(item), out))
      return false;
  }
  return true;
}

static bool one_fact(loader *l, yaml_node_t *at, const char *name, unsigned *out) {
  unsigned f = xda_fact_from_name(name);
  if (f == 0)
    return fail(l, at, "unknown fact \"%s\"", name);
  *out |= f;
  return true;
}

static bool one_library(loader *l, yaml_node_t *at, const char *name, unsigned *out) {
  if (strcmp(name, "any") == 0) {
    *out |= (1u << XDA_LIBRARIES) - 1;
    return true;
  }
  for (unsigned i = 0; i < XDA_LIBRARIES; i++)
    if (strcmp(name, xda_library_names[i]) == 0) {
      *out |= 1u << i;
      return true;
    }
  return fail(l, at, "unknown library \"%s\" (gnutls, boringssl or any)", name);
}

static char **string_field(xda_entry *e, const char *key) {
  static const struct {
    const char *key;
    size_t off;
  } fields[] = {
      {"id", offsetof(xda_entry, id)},
      {"builtin", offsetof(xda_entry, builtin)},
      {"says", offsetof(xda_entry, says)},
      {"name", offsetof(xda_entry, name)},
      {"builtin_detail", offsetof(xda_entry, builtin_detail)},
      {"library_detail", offsetof(xda_entry, library_detail)},
      {"why", offsetof(xda_entry, why)},
      {"evidence", offsetof(xda_entry, evidence)},
      {"kind", offsetof(xda_entry, kind)},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (strcmp(fields[i].key, key) == 0)
      return (char **)((char *)e + fields[i].off);
  return NULL;
}

static bool load_entry(loader *l, yaml_node_t *m, xda_entry *e) {
  if (m == NULL || m->type != YAML_MAPPING_NODE)
    return fail(l, m, "an entry is a mapping");
  for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(&l->doc, p->key);
    yaml_node_t *v = yaml_document_get_node(&l->doc, p->value);
    const char *key = scalar(k);
    char **field = key ? string_field(e, key) : NULL;
    if (key == NULL)
      return fail(l, k, "a key is a name");
    if (field != NULL) {
      if (scalar(v) == NULL || scalar(v)[0] == '\0')
        return fail(l, v, "%s: a non-empty string", key);
      free(*field);
      *field = strdup(scalar(v));
    } else if (strcmp(key, "library") == 0) {
      if (!each_word(l, v, key, one_library, &e->library))
        return false;
    } else if (strcmp(key, "when") == 0 || strcmp(key, "unless") == 0) {
      if (!each_word(l, v, key, one_fact, key[0] == 'w' ? &e->when : &e->unless))
        return false;
    } else
      return fail(l, k, "unknown key \"%s\"", key);
  }
  const char *missing = !e->id         ? "id"
                        : !e->library  ? "library"
                        : !e->builtin  ? "builtin"
                        : !e->says     ? "says"
                        : !e->why      ? "why"
                        : !e->evidence ? "evidence"
                        : !e->kind     ? "kind"
                                       : NULL;
  if (missing != NULL)
    return fail(l, m, "entry %s has no %s", e->id ? e->id : "(without id)", missing);
  if (strcmp(e->kind, "library") != 0 && strcmp(e->kind, "policy") != 0 &&
      strcmp(e->kind, "ours") != 0)
    return fail(l, m, "entry %s: kind is library, policy or ours", e->id);
  /* An entry must describe a deviation: one side accepts, the other rejects. */
  if ((strcmp(e->builtin, "ok") == 0) == (strcmp(e->says, "ok") == 0))
    return fail(l, m, "entry %s: one of builtin and says must be \"ok\", the other not", e->id);
  return true;
}

static void entry_free(xda_entry *e) {
  free(e->id), free(e->builtin), free(e->says), free(e->name);
  free(e->builtin_detail), free(e->library_detail), free(e->why), free(e->evidence);
  free(e->kind);
}

bool xda_load(xda_list *list, const char *yaml, size_t len, char *err, size_t errlen) {
  yaml_parser_t parser;
  loader l = {.err = err, .errlen = errlen};
  list->entries = NULL, list->n = 0;
  if (!yaml_parser_initialize(&parser))
    return fail(&l, NULL, "yaml_parser_initialize");
  yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
  if (!yaml_parser_load(&parser, &l.doc)) {
    snprintf(err, errlen, "x509_diff_allowlist.yaml:%zu: %s", parser.problem_mark.line + 1,
             parser.problem ? parser.problem : "YAML error");
    yaml_parser_delete(&parser);
    return false;
  }
  yaml_parser_delete(&parser);
  yaml_node_t *root = yaml_document_get_root_node(&l.doc), *seq = NULL;
  if (root != NULL && root->type == YAML_MAPPING_NODE)
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
      const char *key = scalar(yaml_document_get_node(&l.doc, p->key));
      if (key != NULL && strcmp(key, "entries") == 0)
        seq = yaml_document_get_node(&l.doc, p->value);
    }
  bool ok = seq != NULL && seq->type == YAML_SEQUENCE_NODE;
  if (!ok)
    fail(&l, root, "the file is a mapping with a list `entries:`");
  size_t n = ok ? (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start) : 0;
  list->entries = calloc(n ? n : 1, sizeof *list->entries);
  if (ok && list->entries == NULL) {
    ok = false;
    fail(&l, root, "out of memory");
  }
  for (size_t i = 0; ok && i < n; i++) {
    ok = load_entry(&l, yaml_document_get_node(&l.doc, seq->data.sequence.items.start[i]),
                    &list->entries[i]);
    list->n = i + 1;
  }
  yaml_document_delete(&l.doc);
  if (!ok)
    xda_free(list);
  return ok;
}

void xda_free(xda_list *list) {
  for (size_t i = 0; i < list->n; i++)
    entry_free(&list->entries[i]);
  free(list->entries);
  list->entries = NULL, list->n = 0;
}

/* ---- Matching ----------------------------------------------------------------------------------
 */

static bool matches(const char *pattern, const char *s) {
  return pattern == NULL || fnmatch(pattern, s ? s : "", 0) == 0;
}

bool xda_deviates(const xda_case *c, int lib) {
  return c->compared[lib] && c->lib[lib].ok != c->builtin.ok;
}

const xda_entry *xda_explain(const xda_list *list, const xda_case *c, int lib) {
  const xda_verdict *b = &c->builtin, *v = &c->lib[lib];
  for (size_t i = 0; i < list->n; i++) {
    const xda_entry *e = &list->entries[i];
    if ((e->library & 1u << lib) && (c->facts & e->when) == e->when && !(c->facts & e->unless) &&
        matches(e->builtin, b->reason) && matches(e->says, v->reason) &&
        matches(e->name, c->name) && matches(e->builtin_detail, b->detail) &&
        matches(e->library_detail, v->detail))
      return e;
  }
  return NULL;
}

int xda_unexplained(const xda_list *list, const xda_case *c) {
  for (int lib = 0; lib < XDA_LIBRARIES; lib++)
    if (xda_deviates(c, lib) && xda_explain(list, c, lib) == NULL)
      return lib;
  return -1;
}
