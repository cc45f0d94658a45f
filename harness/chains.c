/* The X.509 chain manifest read with libyaml (chains.h). The generic node readers and the
 * FILE:LINE:COLUMN errors are the scenario loader's (scenario_yaml.h). */
#include "chains.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "scenario_yaml.h"

bool chains_parse_time(const char *s, int64_t *out) {
  int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
  if (s[0] == '@') {
    char *end;
    errno = 0;
    long long at = strtoll(s + 1, &end, 10);
    if (end == s + 1 || *end != '\0' || errno == ERANGE ||
        (s[1] != '-' && !isdigit((unsigned char)s[1])))
      return false;
    *out = at;
    return true;
  }
  if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
    return false;
  const char *rest = s + n;
  if (*rest == 'T' || *rest == ' ') {
    int m = 0;
    if (sscanf(rest + 1, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5)
      return false;
    rest += 1 + m;
    if (*rest == ':') {
      if (sscanf(rest + 1, "%2d%n", &sec, &m) != 1 || m != 2)
        return false;
      rest += 1 + m;
    }
  }
  if (*rest == 'Z')
    rest++;
  return *rest == '\0' && y >= 0 && mo >= 0 && d >= 0 && h >= 0 && mi >= 0 && sec >= 0 &&
         tg_x509_civil_time(y, (unsigned)mo, (unsigned)d, (unsigned)h, (unsigned)mi, (unsigned)sec,
                            out);
}

bool chains_path(const chains *c, const char *file, char *out, size_t len) {
  int n = snprintf(out, len, "%s/%s", c->dir, file);
  return n >= 0 && (size_t)n < len;
}

static void entry_free(chain_entry *e) {
  free(e->id), free(e->leaf), free(e->name), free(e->time_text), free(e->rfc), free(e->what);
  for (size_t i = 0; i < e->n_untrusted; i++)
    free(e->untrusted[i]);
  for (size_t i = 0; i < e->n_trust; i++)
    free(e->trust[i]);
}

void chains_free(chains *c) {
  for (size_t i = 0; i < c->n; i++)
    entry_free(&c->v[i]);
  free(c->v);
  free(c->dir);
  memset(c, 0, sizeof *c);
}

/* A string value of key (not substituted: the manifest has no matrix), copied; *out stays NULL
 * when the key is absent. */
static bool field(sy_ctx *x, const yaml_node_t *map, const char *key, bool required, char **out) {
  yaml_node_t *n = sy_get(x, map, key);
  if (n == NULL)
    return !required || sy_fail(x, map, "entry without '%s'", key);
  if (n->type != YAML_SCALAR_NODE)
    return sy_fail(x, n, "'%s' must be a string, not %s", key, sy_type_name(n));
  if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
    return sy_fail(x, n, "'%s' holds a NUL character", key);
  if (required && n->data.scalar.length == 0)
    return sy_fail(x, n, "'%s' must not be empty", key);
  if ((*out = strdup((const char *)n->data.scalar.value)) == NULL)
    return sy_fail(x, n, "out of memory");
  return true;
}

/* The space-separated file list of key into files[]. */
static bool file_list(sy_ctx *x, const yaml_node_t *map, const char *key, bool required,
                      char **files, size_t *n) {
  char *text = NULL;
  if (!field(x, map, key, required, &text))
    return false;
  bool ok = true;
  char *save = NULL;
  for (char *t = text ? strtok_r(text, " ", &save) : NULL; t && ok;
       t = strtok_r(NULL, " ", &save)) {
    if (*n == CHAINS_MAX_FILES)
      ok = sy_fail(x, sy_get(x, map, key), "'%s' lists more than %d files", key, CHAINS_MAX_FILES);
    else if ((files[(*n)++] = strdup(t)) == NULL)
      ok = sy_fail(x, map, "out of memory");
  }
  if (ok && required && *n == 0)
    ok = sy_fail(x, sy_get(x, map, key), "'%s' lists no file", key);
  free(text);
  return ok;
}

/* verdict and reason of one profile (the keys prefix+"verdict", prefix+"reason"), required or
 * else standing for fallback when left out (the rfc5280 expectation, for webpki's keys). */
static bool expectation(sy_ctx *x, const yaml_node_t *map, const char *prefix, bool required,
                        const chain_expect *fallback, chain_expect *out) {
  char kv[32], kr[32], *verdict = NULL, *reason = NULL;
  snprintf(kv, sizeof kv, "%sverdict", prefix);
  snprintf(kr, sizeof kr, "%sreason", prefix);
  bool ok = field(x, map, kv, required, &verdict) && field(x, map, kr, required, &reason);
  if (ok && verdict != NULL && strcmp(verdict, "valid") != 0 && strcmp(verdict, "invalid") != 0)
    ok = sy_fail(x, sy_get(x, map, kv), "'%s' is '%s', not valid or invalid", kv, verdict);
  int r = reason ? tg_x509_reason_from_name(reason) : -1;
  if (ok && reason != NULL && r < 0)
    ok = sy_fail(x, sy_get(x, map, kr), "'%s' is '%s', not a reason of tg/x509_verify.h", kr,
                 reason);
  if (ok) {
    out->valid = verdict ? strcmp(verdict, "valid") == 0 : fallback->valid;
    /* A webpki_verdict of valid needs no webpki_reason: it can only be ok. */
    out->reason = reason                  ? (tg_x509_reason)r
                  : verdict && out->valid ? TG_X509_OK
                                          : fallback->reason;
    if (out->valid != (out->reason == TG_X509_OK) && reason == NULL)
      ok = sy_fail(x, sy_get(x, map, kv), "%s invalid needs a %s (the rfc5280 verdict is valid)",
                   kv, kr);
    else if (out->valid != (out->reason == TG_X509_OK))
      ok = sy_fail(x, sy_get(x, map, verdict ? kv : kr), "%s %s with reason %s: only valid is ok",
                   prefix[0] ? "webpki: verdict" : "verdict", out->valid ? "valid" : "invalid",
                   tg_x509_reason_name(out->reason));
  }
  free(verdict);
  free(reason);
  return ok;
}

static bool read_entry(sy_ctx *x, const yaml_node_t *map, chain_entry *e) {
  static const char *const keys[] = {"id",   "leaf",           "untrusted",     "trust",  "name",
                                     "time", "purpose",        "verdict",       "reason", "rfc",
                                     "what", "webpki_verdict", "webpki_reason", NULL};
  char *purpose = NULL;
  e->line = map->start_mark.line + 1;
  if (!sy_check_keys(x, map, keys, "a chain") || !field(x, map, "id", true, &e->id) ||
      !field(x, map, "leaf", true, &e->leaf) || !field(x, map, "time", true, &e->time_text) ||
      !field(x, map, "name", false, &e->name) || !field(x, map, "rfc", false, &e->rfc) ||
      !field(x, map, "what", false, &e->what) || !field(x, map, "purpose", false, &purpose) ||
      !file_list(x, map, "untrusted", false, e->untrusted, &e->n_untrusted) ||
      !file_list(x, map, "trust", true, e->trust, &e->n_trust))
    return free(purpose), false;
  if (e->name != NULL && e->name[0] == '\0')
    free(e->name), e->name = NULL;
  e->purpose = purpose && strcmp(purpose, "client") == 0 ? TG_PURPOSE_CLIENT : TG_PURPOSE_SERVER;
  bool ok = purpose == NULL || strcmp(purpose, "server") == 0 || strcmp(purpose, "client") == 0 ||
            sy_fail(x, sy_get(x, map, "purpose"), "purpose '%s' is not server or client", purpose);
  free(purpose);
  if (ok && !chains_parse_time(e->time_text, &e->time))
    ok = sy_fail(x, sy_get(x, map, "time"),
                 "time '%s' is not YYYY-MM-DD[THH:MM[:SS]][Z] or @SECONDS", e->time_text);
  static const chain_expect none = {0}; /* not used: verdict and reason are required */
  return ok && expectation(x, map, "", true, &none, &e->expect[TG_X509_PROFILE_RFC5280]) &&
         expectation(x, map, "webpki_", false, &e->expect[TG_X509_PROFILE_RFC5280],
                     &e->expect[TG_X509_PROFILE_WEBPKI]);
}

static bool read_root(sy_ctx *x, const yaml_node_t *root, chains *c) {
  if (root == NULL)
    return sy_fail(x, NULL, "no chains: the manifest is a list of '- id:' entries");
  if (root->type != YAML_SEQUENCE_NODE)
    return sy_fail(x, root, "the manifest must be a list of chains, not %s", sy_type_name(root));
  size_t n = sy_seq_len(root);
  if (n == 0)
    return sy_fail(x, root, "no chains: the manifest is a list of '- id:' entries");
  if ((c->v = calloc(n, sizeof *c->v)) == NULL)
    return sy_fail(x, root, "out of memory");
  for (size_t i = 0; i < n; i++) {
    yaml_node_t *item = sy_seq_item(x, root, i);
    c->n++; /* counted before it is read: chains_free frees what a half-read entry holds */
    if (!read_entry(x, item, &c->v[i]))
      return false;
    for (size_t j = 0; j < i; j++)
      if (strcmp(c->v[j].id, c->v[i].id) == 0)
        return sy_fail(x, sy_get(x, item, "id"), "id '%s' is also the id of line %zu", c->v[i].id,
                       c->v[j].line);
  }
  return true;
}

bool chains_load(chains *c, const char *path, char *err, size_t errlen) {
  memset(c, 0, sizeof *c);
  size_t plen = strlen(path), len = 0;
  if (plen < 6 || strcmp(path + plen - 5, ".yaml") != 0) {
    snprintf(err, errlen, "%s: not a NAME.yaml file (its chains are in NAME/)", path);
    return false;
  }
  char why[160];
  char *text = sy_read_file(path, &len, why, sizeof why);
  if (text == NULL) {
    snprintf(err, errlen, "%s: %s", path, why);
    return false;
  }
  sc_error e = {{0}};
  sy_ctx x = {.src = {.name = path}, .err = &e};
  yaml_document_t doc;
  yaml_parser_t p;
  bool ok = sy_check_depth(&x, (const uint8_t *)text, len);
  if (ok && !yaml_parser_initialize(&p))
    ok = sy_fail(&x, NULL, "out of memory");
  else if (ok) {
    yaml_parser_set_input_string(&p, (const uint8_t *)text, len);
    if (!(ok = (yaml_parser_load(&p, &doc) != 0)))
      sy_yaml_error(&x, &p, (const uint8_t *)text, len);
    yaml_parser_delete(&p);
  }
  if (ok) {
    x.src.doc = &doc;
    ok = read_root(&x, yaml_document_get_root_node(&doc), c) &&
         (c->dir = strndup(path, plen - 5)) != NULL;
    yaml_document_delete(&doc);
  }
  free(text);
  if (!ok) {
    snprintf(err, errlen, "%s", e.text[0] ? e.text : "out of memory");
    chains_free(c);
  }
  return ok;
}
