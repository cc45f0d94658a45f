/* The requirement catalogue: loading and checking its files (docs/requirements.md), the check of
 * the scenarios' `requires:`, and what covers what. The YAML readers are the scenario loader's
 * (scenario_yaml.h), so a catalogue's messages read like a scenario file's. */
#define _GNU_SOURCE /* asprintf */
#include "requirements.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_yaml.h"

static const char *const level_names[RQ_LEVEL_COUNT] = {
    "MUST",   "MUST NOT",   "SHALL",       "SHALL NOT",       "REQUIRED",
    "SHOULD", "SHOULD NOT", "RECOMMENDED", "NOT RECOMMENDED",
};
static const char *const binds_names[] = {"client", "server", "both", "sender", "receiver", NULL};

const char *rq_level_name(rq_level l) {
  return (unsigned)l < RQ_LEVEL_COUNT ? level_names[l] : "?";
}

const char *rq_binds_name(rq_binds b) { return (unsigned)b <= RQ_RECEIVER ? binds_names[b] : "?"; }

bool rq_must_level(rq_level l) { return l <= RQ_REQUIRED; }

bool rq_binds_role(rq_binds b, sc_role role) {
  if (b == RQ_CLIENT)
    return role == SC_TARGET_CLIENT;
  if (b == RQ_SERVER)
    return role == SC_TARGET_SERVER;
  return true;
}

void rq_init(rq_catalogue *c) { memset(c, 0, sizeof *c); }

void rq_free(rq_catalogue *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->v[i].id);
    free(c->v[i].section);
    free(c->v[i].text);
    free(c->v[i].why);
  }
  for (size_t i = 0; i < c->n_rfcs; i++) {
    free(c->rfcs[i].title);
    free(c->rfcs[i].file);
  }
  free(c->v);
  free(c->rfcs);
  free(c->by_id);
  memset(c, 0, sizeof *c);
}

/* ---- Ids and sections ------------------------------------------------------------------------ */

/* The length of a section number at s: digits and dots ("4.1.2"), or an appendix letter and
 * its numbers ("B.3.1"), or the letter alone ("D", the appendix's text before its first
 * subsection); 0 when s does not start with one. */
static size_t section_len(const char *s) {
  size_t i = 0;
  if (isupper((unsigned char)s[0]) && (s[1] == '\0' || s[1] == '-'))
    return 1;
  if (isupper((unsigned char)s[0]) && s[1] == '.')
    i = 2;
  if (!isdigit((unsigned char)s[i]))
    return 0;
  while (isdigit((unsigned char)s[i]) || (s[i] == '.' && isdigit((unsigned char)s[i + 1])))
    i++;
  return i;
}

/* rfcN-SECTION-NAME: N into *rfc, SECTION's place into *sec and *sec_len. */
static bool split_id(const char *id, unsigned long *rfc, const char **sec, size_t *sec_len) {
  if (strncmp(id, "rfc", 3) != 0 || !isdigit((unsigned char)id[3]))
    return false;
  char *end;
  errno = 0;
  *rfc = strtoul(id + 3, &end, 10);
  if (errno != 0 || *end != '-')
    return false;
  *sec = end + 1;
  *sec_len = section_len(*sec);
  const char *name = *sec + *sec_len;
  if (*sec_len == 0 || name[0] != '-' || name[1] == '\0')
    return false;
  for (name++; *name != '\0'; name++)
    if (!(islower((unsigned char)*name) || isdigit((unsigned char)*name) || *name == '-'))
      return false;
  return true;
}

bool rq_id_syntax_ok(const char *id) {
  unsigned long rfc;
  const char *sec;
  size_t sec_len;
  return split_id(id, &rfc, &sec, &sec_len);
}

/* ---- Loading --------------------------------------------------------------------------------- */

static const char *const file_keys[] = {"rfc", "title", "requirements", NULL};
static const char *const entry_keys[] = {"id",   "section",  "level", "binds",
                                         "text", "testable", "why",   NULL};

typedef struct loader {
  sy_ctx *c;
  rq_catalogue *cat;
  unsigned rfc;
  const char *file; /* the rq_rfc's copy of the name */
  size_t first;     /* the file's first entry in cat->v */
} loader;

static bool pick(sy_ctx *c, const yaml_node_t *n, const char *const *names, size_t count,
                 const char *what, int *out) {
  const char *s;
  if (!sy_str(c, n, &s))
    return false;
  for (size_t i = 0; i < count; i++)
    if (strcmp(s, names[i]) == 0)
      return *out = (int)i, true;
  char list[200] = "";
  for (size_t i = 0; i < count; i++)
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
  return sy_fail(c, n, "%s: '%s' is not one of %s", what, s, list);
}

static bool read_testable(sy_ctx *c, const yaml_node_t *n, bool *out) {
  const char *s;
  if (!sy_str(c, n, &s))
    return false;
  if (strcmp(s, "yes") == 0 || strcmp(s, "no") == 0)
    return *out = s[0] == 'y', true;
  return sy_fail(c, n, "testable: yes or no, not '%s'", s);
}

/* The entry's id against its section and the file's rfc:. */
static bool check_id(loader *l, const yaml_node_t *id_node, const char *id, const char *section,
                     const yaml_node_t *sec_node) {
  unsigned long rfc;
  const char *sec;
  size_t sec_len;
  if (section_len(section) == 0 || section[section_len(section)] != '\0')
    return sy_fail(l->c, sec_node, "section: '%s' is not a section number (4.1.2, B.3.1, D)", section);
  if (!split_id(id, &rfc, &sec, &sec_len))
    return sy_fail(l->c, id_node,
                   "bad requirement id '%s': rfcN-SECTION-NAME, NAME in lower case a-z 0-9 -", id);
  if (rfc != l->rfc)
    return sy_fail(l->c, id_node, "id '%s' names RFC %lu, the file is rfc: %u", id, rfc, l->rfc);
  if (sec_len != strlen(section) || strncmp(sec, section, sec_len) != 0)
    return sy_fail(l->c, id_node, "id '%s' names section %.*s, the entry is section: %s", id,
                   (int)sec_len, sec, section);
  for (size_t i = l->first; i < l->cat->n; i++)
    if (strcmp(l->cat->v[i].id, id) == 0)
      return sy_fail(l->c, id_node, "id '%s' is also at line %d", id, l->cat->v[i].line);
  return true;
}

static bool read_fields(loader *l, const yaml_node_t *e, rq_requirement *r) {
  sy_ctx *c = l->c;
  static const char *const required[] = {"id", "section", "level", "binds", "text", "testable"};
  for (size_t i = 0; i < sizeof required / sizeof *required; i++)
    if (sy_get(c, e, required[i]) == NULL)
      return sy_fail(c, e, "a requirement needs %s: (id, section, level, binds, text, testable)",
                     required[i]);
  const yaml_node_t *id = sy_get(c, e, "id"), *sec = sy_get(c, e, "section");
  const yaml_node_t *why = sy_get(c, e, "why");
  int level, binds;
  if (!sy_strdup(c, id, &r->id) || !sy_strdup(c, sec, &r->section) ||
      !check_id(l, id, r->id, r->section, sec) ||
      !pick(c, sy_get(c, e, "level"), level_names, RQ_LEVEL_COUNT, "level", &level) ||
      !pick(c, sy_get(c, e, "binds"), binds_names, 5, "binds", &binds) ||
      !sy_strdup(c, sy_get(c, e, "text"), &r->text) ||
      !read_testable(c, sy_get(c, e, "testable"), &r->testable))
    return false;
  r->level = (rq_level)level;
  r->binds = (rq_binds)binds;
  if (r->text[0] == '\0')
    return sy_fail(c, sy_get(c, e, "text"), "text: the statement, quoted from the RFC");
  if (r->testable && why != NULL)
    return sy_fail(c, why, "why: only with testable: no");
  if (!r->testable && why == NULL)
    return sy_fail(c, sy_get(c, e, "testable"), "testable: no needs why: (why it cannot be)");
  if (why != NULL && !sy_strdup(c, why, &r->why))
    return false;
  if (why != NULL && r->why[0] == '\0')
    return sy_fail(c, why, "why: says why the requirement cannot be tested from the wire");
  return true;
}

static bool read_entry(loader *l, const yaml_node_t *e) {
  rq_catalogue *cat = l->cat;
  if (!sy_check_keys(l->c, e, entry_keys, "requirement"))
    return false;
  if (cat->n == cat->cap) {
    size_t cap = cat->cap ? cat->cap * 2 : 64;
    rq_requirement *v = realloc(cat->v, cap * sizeof *v);
    if (v == NULL)
      return sy_fail(l->c, e, "out of memory");
    cat->v = v, cat->cap = cap;
  }
  rq_requirement *r = &cat->v[cat->n];
  *r = (rq_requirement){.rfc = l->rfc,
                        .file = l->file,
                        .line = (int)e->start_mark.line + 1,
                        .column = (int)e->start_mark.column + 1};
  bool ok = read_fields(l, e, r);
  if (!ok) {
    free(r->id);
    free(r->section);
    free(r->text);
    free(r->why);
    return false;
  }
  cat->n++;
  return true;
}

static bool add_rfc(loader *l, const yaml_node_t *root) {
  rq_catalogue *cat = l->cat;
  sy_ctx *c = l->c;
  const yaml_node_t *rfc = sy_get(c, root, "rfc"), *title = sy_get(c, root, "title");
  unsigned long n;
  if (rfc == NULL || title == NULL || sy_get(c, root, "requirements") == NULL)
    return sy_fail(c, root, "a catalogue file needs rfc:, title: and requirements:");
  if (!sy_uint(c, rfc, 99999, &n))
    return false;
  if (n == 0)
    return sy_fail(c, rfc, "rfc: the RFC's number");
  for (size_t i = 0; i < cat->n_rfcs; i++)
    if (cat->rfcs[i].number == n)
      return sy_fail(c, rfc, "RFC %lu is also catalogued in %s", n, cat->rfcs[i].file);
  if (cat->n_rfcs == cat->cap_rfcs) {
    size_t cap = cat->cap_rfcs ? cat->cap_rfcs * 2 : 16;
    rq_rfc *v = realloc(cat->rfcs, cap * sizeof *v);
    if (v == NULL)
      return sy_fail(c, root, "out of memory");
    cat->rfcs = v, cat->cap_rfcs = cap;
  }
  rq_rfc *r = &cat->rfcs[cat->n_rfcs];
  *r = (rq_rfc){.number = (unsigned)n, .file = strdup(c->src.name)};
  if (r->file == NULL || !sy_strdup(c, title, &r->title)) {
    free(r->file);
    return sy_fail(c, title, "out of memory");
  }
  cat->n_rfcs++;
  l->rfc = (unsigned)n;
  l->file = r->file;
  return true;
}

static bool read_root(loader *l) {
  sy_ctx *c = l->c;
  yaml_node_t *root = yaml_document_get_root_node(c->src.doc);
  if (root == NULL)
    return sy_fail(c, NULL, "an empty file: a catalogue file needs rfc:, title: and requirements:");
  if (!sy_check_keys(c, root, file_keys, "catalogue file") || !add_rfc(l, root))
    return false;
  yaml_node_t *list = sy_get(c, root, "requirements");
  if (list->type == YAML_SCALAR_NODE && list->data.scalar.length == 0)
    return true; /* `requirements:` with nothing yet */
  if (!sy_want(c, list, YAML_SEQUENCE_NODE))
    return false;
  for (size_t i = 0; i < sy_seq_len(list); i++) {
    yaml_node_t *e = sy_seq_item(c, list, i);
    if (e == NULL || !read_entry(l, e))
      return false;
  }
  return true;
}

bool rq_load_text(rq_catalogue *cat, const char *name, const uint8_t *text, size_t len,
                  sc_error *err) {
  err->text[0] = '\0';
  sy_ctx c = {.src = {name, NULL}, .err = err};
  loader l = {.c = &c, .cat = cat, .first = cat->n};
  size_t rfcs_before = cat->n_rfcs;
  yaml_parser_t parser;
  yaml_document_t doc;
  bool deep = !sy_check_depth(&c, text, len);
  bool ok = !deep && yaml_parser_initialize(&parser) != 0;
  if (ok) {
    yaml_parser_set_input_string(&parser, text, len);
    ok = yaml_parser_load(&parser, &doc) != 0;
    if (!ok)
      sy_yaml_error(&c, &parser, text, len);
    yaml_parser_delete(&parser);
  } else if (!deep) {
    sy_fail(&c, NULL, "out of memory");
  }
  if (ok) {
    c.src.doc = &doc;
    ok = read_root(&l);
    yaml_document_delete(&doc);
  }
  sy_scratch_free(&c);
  if (!ok) { /* the file adds nothing */
    while (cat->n > l.first) {
      rq_requirement *r = &cat->v[--cat->n];
      free(r->id), free(r->section), free(r->text), free(r->why);
    }
    while (cat->n_rfcs > rfcs_before) {
      rq_rfc *r = &cat->rfcs[--cat->n_rfcs];
      free(r->title), free(r->file);
    }
  }
  return ok;
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_file(rq_catalogue *c, const char *path, sc_error *err) {
  char why[160];
  size_t len;
  char *text = sy_read_file(path, &len, why, sizeof why);
  if (text == NULL) {
    snprintf(err->text, sizeof err->text, "%s: %s", path, why);
    return false;
  }
  bool ok = rq_load_text(c, path, (const uint8_t *)text, len, err);
  free(text);
  return ok;
}

bool rq_load_dir(rq_catalogue *c, const char *dir, sc_error *err) {
  DIR *d = opendir(dir);
  if (d == NULL) {
    snprintf(err->text, sizeof err->text, "%s: %s", dir, strerror(errno));
    return false;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  bool ok = true;
  struct dirent *e;
  while (ok && (e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (e->d_name[0] == '.' || len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **v = realloc(names, cap * sizeof *v);
      ok = v != NULL;
      names = ok ? v : names;
    }
    if (ok && asprintf(&names[n], "%s/%s", dir, e->d_name) < 0)
      ok = false;
    n += ok;
  }
  closedir(d);
  if (!ok)
    snprintf(err->text, sizeof err->text, "%s: out of memory", dir);
  if (n > 0)
    qsort(names, n, sizeof *names, cmp_name);
  for (size_t i = 0; ok && i < n; i++)
    ok = load_file(c, names[i], err);
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return ok && rq_finish(c, err);
}

static int cmp_req(const void *a, const void *b) {
  const rq_requirement *x = *(const rq_requirement *const *)a;
  const rq_requirement *y = *(const rq_requirement *const *)b;
  int d = strcmp(x->id, y->id);
  return d != 0 ? d : (x > y) - (x < y); /* equal ids: load order */
}

bool rq_finish(rq_catalogue *c, sc_error *err) {
  free(c->by_id);
  c->by_id = calloc(c->n + 1, sizeof(const rq_requirement *));
  if (c->by_id == NULL) {
    snprintf(err->text, sizeof err->text, "out of memory");
    return false;
  }
  for (size_t i = 0; i < c->n; i++)
    c->by_id[i] = &c->v[i];
  qsort(c->by_id, c->n, sizeof(const rq_requirement *), cmp_req);
  for (size_t i = 1; i < c->n; i++) {
    const rq_requirement *a = c->by_id[i - 1], *b = c->by_id[i];
    if (strcmp(a->id, b->id) == 0) {
      snprintf(err->text, sizeof err->text, "%s:%d:%d: requirement id '%s' is also at %s:%d:%d",
               b->file, b->line, b->column, b->id, a->file, a->line, a->column);
      return false;
    }
  }
  return true;
}

const rq_requirement *rq_find(const rq_catalogue *c, const char *id) {
  size_t lo = 0, hi = c->by_id ? c->n : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int d = strcmp(id, c->by_id[mid]->id);
    if (d == 0)
      return c->by_id[mid];
    if (d < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

bool rq_check_suite(const rq_catalogue *c, const char *where, const sc_suite *s, sc_error *err) {
  for (size_t i = 0; i < s->n; i++) {
    const sc_scenario *sc = &s->v[i];
    for (size_t k = 0; k < sc->n_requires; k++) {
      const sc_requirement_ref *r = &sc->requires[k];
      if (c == NULL) {
        snprintf(err->text, sizeof err->text,
                 "%s:%d:%d: requires: %s: no requirement catalogue found (the requirements "
                 "directory beside the scenarios directory, or --requirements DIR)",
                 sc->file, r->line, r->column, r->id);
        return false;
      }
      if (rq_find(c, r->id) == NULL) {
        snprintf(err->text, sizeof err->text,
                 "%s:%d:%d: unknown requirement '%s' (not in the catalogue %s)", sc->file, r->line,
                 r->column, r->id, where);
        return false;
      }
    }
  }
  return true;
}

/* ---- Coverage -------------------------------------------------------------------------------- */

/* Calls f for each citation of the suite with its requirement's cover, or its stray place. */
typedef struct walk_out {
  rq_coverage *cov;
  bool fill;
} walk_out;

static void walk_citations(const rq_catalogue *c, const sc_suite *s, walk_out *w) {
  rq_coverage *cov = w->cov;
  for (size_t i = 0; i < s->n; i++) {
    const sc_scenario *sc = &s->v[i];
    int role = sc->target == SC_TARGET_CLIENT;
    for (size_t k = 0; k < sc->n_requires; k++) {
      const rq_requirement *req = rq_find(c, sc->requires[k].id);
      if (req == NULL)
        continue;
      rq_cover *cv = &cov->v[req - c->v];
      if (cv->bound[role] && req->testable) {
        if (w->fill)
          cv->by[role][cv->n_by[role]] = sc;
        cv->n_by[role]++;
      } else {
        if (w->fill)
          cov->stray[cov->n_stray] = (rq_stray){sc, &sc->requires[k], req};
        cov->n_stray++;
      }
    }
  }
}

bool rq_coverage_compute(rq_coverage *cov, const rq_catalogue *c, const sc_suite *s) {
  memset(cov, 0, sizeof *cov);
  cov->v = calloc(c->n + 1, sizeof *cov->v);
  if (cov->v == NULL)
    return false;
  cov->n = c->n;
  for (size_t i = 0; i < c->n; i++) {
    cov->v[i].req = &c->v[i];
    for (int role = 0; role < 2; role++)
      cov->v[i].bound[role] = rq_binds_role(c->v[i].binds, (sc_role)role);
  }
  /* Count, allocate, then fill. */
  walk_out w = {cov, false};
  walk_citations(c, s, &w);
  bool ok = (cov->stray = calloc(cov->n_stray + 1, sizeof *cov->stray)) != NULL;
  for (size_t i = 0; ok && i < cov->n; i++)
    for (int role = 0; ok && role < 2; role++) {
      ok = (cov->v[i].by[role] = calloc(cov->v[i].n_by[role] + 1, sizeof(void *))) != NULL;
      cov->v[i].n_by[role] = 0;
    }
  cov->n_stray = 0;
  w.fill = true;
  if (ok)
    walk_citations(c, s, &w);
  else
    rq_coverage_free(cov);
  return ok;
}

void rq_coverage_free(rq_coverage *cov) {
  for (size_t i = 0; cov->v != NULL && i < cov->n; i++)
    free(cov->v[i].by[0]), free(cov->v[i].by[1]);
  free(cov->v);
  free(cov->stray);
  memset(cov, 0, sizeof *cov);
}

void rq_count(rq_counts *k, const rq_cover *cv) {
  const rq_requirement *r = cv->req;
  bool must = rq_must_level(r->level);
  if (!r->testable) {
    must ? k->must_untestable++ : k->should_untestable++;
    return;
  }
  must ? k->must_testable++ : k->should_testable++;
  for (int role = 0; role < 2; role++) {
    if (!cv->bound[role])
      continue;
    bool covered = cv->n_by[role] > 0;
    if (must) {
      k->must_total[role]++;
      k->must_covered[role] += covered;
    } else {
      k->should_total++;
      k->should_covered += covered;
    }
  }
}
