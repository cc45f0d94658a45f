/* The scenario loader's options and script: target_options and endpoint (merged one level deep
 * with the file's defaults), the send and expect steps, `use:` splices, and the edits of a
 * `send: MESSAGE` step turned into deviation specs of tg/deviations.h (docs/scenarios.md).
 * Each spec is installed into the build's scratch set as it is made, so an edit the engine
 * cannot do fails here, at the step, and never in the middle of a run. */
#define _GNU_SOURCE /* strdup */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello_check.h"
#include "scenario_build.h"

#include "tg/error.h"
#include "tg/kex.h"
#include "tg/names.h"
#include "tg/x509_verify.h"

/* ---- Options --------------------------------------------------------------------------------- */

static bool set_str(sy_ctx *c, const yaml_node_t *n, const char **field) {
  char *s;
  if (!sy_strdup(c, n, &s))
    return false;
  free((char *)*field);
  *field = s;
  return true;
}

static bool set_hex(sy_ctx *c, const yaml_node_t *n, sc_bytes *field) {
  sc_bytes v;
  if (!sy_hex(c, n, &v))
    return false;
  free(field->p);
  *field = v;
  return true;
}

/* A list of ALPN protocol names (1 to 255 bytes each; no ',' when comma_free), checked. */
static bool alpn_names(sy_ctx *c, const yaml_node_t *n, bool comma_free, size_t *total) {
  if (!sy_want(c, n, YAML_SEQUENCE_NODE))
    return false;
  *total = 0;
  for (size_t i = 0; i < sy_seq_len(n); i++) {
    const char *s;
    yaml_node_t *item = sy_seq_item(c, n, i);
    if (!sy_str(c, item, &s))
      return false;
    if (*s == '\0' || strlen(s) > 255 || (comma_free && strchr(s, ',') != NULL))
      return sy_fail(c, item, "an ALPN protocol name is 1 to 255 bytes%s",
                     comma_free ? " without ','" : "");
    *total += strlen(s) + 1;
  }
  return true;
}

/* The peer flag's form: comma-separated. */
static bool alpn_csv(sy_ctx *c, const yaml_node_t *n, const char **field) {
  size_t total;
  if (!alpn_names(c, n, true, &total))
    return false;
  char *out = malloc(total + 1);
  if (out == NULL)
    return sy_fail(c, n, "out of memory");
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < sy_seq_len(n); i++) {
    const char *s = (const char *)"";
    (void)sy_str(c, sy_seq_item(c, n, i), &s); /* checked above */
    used += (size_t)snprintf(out + used, total + 1 - used, "%s%s", i ? "," : "", s);
  }
  free((char *)*field);
  *field = out;
  return true;
}

/* The engine's form: the ProtocolNameList entries (length-prefixed names) as wire bytes. */
static bool alpn_wire(sy_ctx *c, const yaml_node_t *n, sc_bytes *field) {
  size_t total;
  if (!alpn_names(c, n, false, &total))
    return false;
  uint8_t *out = total ? malloc(total) : NULL;
  if (total && out == NULL)
    return sy_fail(c, n, "out of memory");
  size_t used = 0;
  for (size_t i = 0; i < sy_seq_len(n); i++) {
    const char *s = (const char *)"";
    (void)sy_str(c, sy_seq_item(c, n, i), &s);
    size_t len = strlen(s);
    out[used++] = (uint8_t)len;
    memcpy(out + used, s, len);
    used += len;
  }
  free(field->p);
  *field = (sc_bytes){out, used};
  return true;
}

static bool target_opt(build *b, const char *k, yaml_node_t *v) {
  sy_ctx *c = b->c;
  sc_target_opts *t = &b->sc->target_opts;
  if (strcmp(k, "min_version") == 0 || strcmp(k, "max_version") == 0)
    return sy_version(c, v, k[1] == 'i' ? &t->min_version : &t->max_version);
  if (strcmp(k, "ciphers") == 0)
    return sy_u16_list(c, v, SY_CIPHER_SUITE, &t->ciphers);
  if (strcmp(k, "groups") == 0)
    return sy_u16_list(c, v, SY_GROUP, &t->groups);
  if (strcmp(k, "sigalgs") == 0)
    return sy_u16_list(c, v, SY_SIG_SCHEME, &t->sigalgs);
  if (strcmp(k, "cert") == 0)
    return set_str(c, v, &t->cert);
  if (strcmp(k, "trust") == 0)
    return set_str(c, v, &t->trust);
  if (strcmp(k, "verify_name") == 0)
    return set_str(c, v, &t->verify_name);
  if (strcmp(k, "sni") == 0)
    return set_str(c, v, &t->sni);
  if (strcmp(k, "alpn") == 0)
    return alpn_csv(c, v, &t->alpn);
  if (strcmp(k, "no_verify") == 0)
    return sy_bool(c, v, &t->no_verify);
  if (strcmp(k, "require_client_cert") == 0)
    return sy_bool(c, v, &t->require_client_cert);
  if (strcmp(k, "request_client_cert") == 0)
    return sy_bool(c, v, &t->request_client_cert);
  if (strcmp(k, "require_ems") == 0)
    return sy_bool(c, v, &t->require_ems);
  if (strcmp(k, "ems_optional") == 0)
    return sy_bool(c, v, &t->ems_optional);
  if (strcmp(k, "x509_profile") == 0) {
    const char *name;
    if (!sy_str(c, v, &name))
      return false;
    t->x509_profile = tg_x509_profile_from_name(name);
    return t->x509_profile >= 0 ||
           sy_fail(c, v, "x509_profile is rfc5280 or webpki, not '%s'", name);
  }
  return sy_bool(c, v, &t->key_update); /* the last known key */
}

static bool endpoint_opt(build *b, const char *k, yaml_node_t *v) {
  sy_ctx *c = b->c;
  sc_endpoint *e = &b->sc->endpoint;
  unsigned long n;
  if (strcmp(k, "min_version") == 0 || strcmp(k, "max_version") == 0)
    return sy_version(c, v, k[1] == 'i' ? &e->min_version : &e->max_version);
  if (strcmp(k, "cipher_suites") == 0)
    return sy_u16_list(c, v, SY_CIPHER_SUITE, &e->cipher_suites);
  if (strcmp(k, "groups") == 0)
    return sy_u16_list(c, v, SY_GROUP, &e->groups);
  if (strcmp(k, "key_shares") == 0)
    return sy_u16_list(c, v, SY_GROUP, &e->key_shares);
  if (strcmp(k, "sigalgs") == 0)
    return sy_u16_list(c, v, SY_SIG_SCHEME, &e->sigalgs);
  if (strcmp(k, "cert") == 0)
    return set_str(c, v, &e->cert);
  if (strcmp(k, "server_name") == 0)
    return set_str(c, v, &e->server_name);
  if (strcmp(k, "alpn") == 0)
    return alpn_wire(c, v, &e->alpn);
  if (strcmp(k, "middlebox_compat") == 0)
    return sy_bool(c, v, &e->middlebox_compat);
  if (strcmp(k, "ems_optional") == 0)
    return sy_bool(c, v, &e->ems_optional);
  if (strcmp(k, "request_client_cert") == 0)
    return sy_bool(c, v, &e->request_client_cert);
  if (strcmp(k, "hrr_cookie") == 0)
    return set_hex(c, v, &e->hrr_cookie);
  if (strcmp(k, "rng_seed") == 0) {
    if (!set_hex(c, v, &e->rng_seed))
      return false;
    return e->rng_seed.len > 0 || sy_fail(c, v, "rng_seed: at least one byte of hex");
  }
  if (strcmp(k, "verify") == 0)
    return sy_bool(c, v, &e->verify);
  if (strcmp(k, "record_padding") == 0)
    return sy_uint(c, v, 65535, &n) && (e->record_padding = n, true);
  if (strcmp(k, "record_size_limit") == 0) {
    /* RFC 8449 §4: below 64 cannot be sent (a scenario adds such an extension by hand). */
    if (!sy_uint(c, v, 16385, &n))
      return false;
    e->record_size_limit = (unsigned)n;
    return n >= 64 || sy_fail(c, v, "record_size_limit is 64..16385, not %lu", n);
  }
  b->endpoint_devs = v; /* deviations: installed before the steps' specs */
  return true;
}

typedef bool (*opt_fn)(build *b, const char *key, yaml_node_t *v);

/* The defaults' keys the scenario does not set, then the scenario's own. */
static bool merge(build *b, const char *key, const char *const *allowed, opt_fn set) {
  sy_ctx *c = b->c;
  yaml_node_t *d = sy_get(c, b->lib->defaults, key), *s = sy_get(c, b->scen, key);
  if ((d != NULL && !sy_check_keys(c, d, allowed, key)) ||
      (s != NULL && !sy_check_keys(c, s, allowed, key)))
    return false;
  for (size_t i = 0; d != NULL && i < sy_map_len(d); i++) {
    const char *k = sy_map_key(c, d, i, NULL);
    if ((s == NULL || sy_get(c, s, k) == NULL) && !set(b, k, sy_map_value(c, d, i)))
      return false;
  }
  for (size_t i = 0; s != NULL && i < sy_map_len(s); i++)
    if (!set(b, sy_map_key(c, s, i, NULL), sy_map_value(c, s, i)))
      return false;
  return true;
}

bool build_options(build *b) {
  static const char *const target_keys[] = {
      "min_version",  "max_version", "ciphers",      "groups",
      "sigalgs",      "cert",        "trust",        "verify_name",
      "sni",          "alpn",        "no_verify",    "require_client_cert",
      "key_update",   "require_ems", "x509_profile", "request_client_cert",
      "ems_optional", NULL};
  static const char *const endpoint_keys[] = {"min_version",
                                              "max_version",
                                              "cipher_suites",
                                              "groups",
                                              "key_shares",
                                              "sigalgs",
                                              "cert",
                                              "server_name",
                                              "alpn",
                                              "middlebox_compat",
                                              "ems_optional",
                                              "request_client_cert",
                                              "hrr_cookie",
                                              "verify",
                                              "record_padding",
                                              "deviations",
                                              "record_size_limit",
                                              "rng_seed",
                                              NULL};
  return merge(b, "target_options", target_keys, target_opt) &&
         merge(b, "endpoint", endpoint_keys, endpoint_opt);
}

/* ---- Deviation specs ------------------------------------------------------------------------- */

/* Formats a spec, installs it into the scratch set (reporting the engine's complaint at n) and
 * keeps it. */
static bool add_dev(build *b, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool add_dev(build *b, const yaml_node_t *n, const char *fmt, ...) {
  sc_scenario *sc = b->sc;
  if (sc->n_deviations == SC_MAX_DEVIATIONS)
    return sy_fail(b->c, n, "more than %d deviations in one scenario", SC_MAX_DEVIATIONS);
  /* A spec may hold TG_DEV_MAX_HEX bytes of hex: formatted on the heap, at its own length,
   * with the step's HRR moment (/retry, /hrr) after it. */
  const char *when = b->when != NULL ? b->when : "";
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *spec = len >= 0 ? malloc((size_t)len + strlen(when) + 1) : NULL;
  if (spec == NULL)
    return sy_fail(b->c, n, "out of memory");
  va_start(ap, fmt);
  vsnprintf(spec, (size_t)len + 1, fmt, ap);
  va_end(ap);
  memcpy(spec + len, when, strlen(when) + 1);
  tg_err err = {0};
  if (tg_deviation_set_add(&b->devs, spec, NULL, &err) != TG_OK) {
    free(spec);
    return sy_fail(b->c, n, "%s", err.what);
  }
  sc->deviations[sc->n_deviations++] = spec;
  return true;
}

/* `deviations:` lists, as written; errors at the step (at) or at each item (at NULL). */
static bool dev_list(build *b, const yaml_node_t *at, yaml_node_t *list) {
  if (!sy_want(b->c, list, YAML_SEQUENCE_NODE))
    return false;
  for (size_t i = 0; i < sy_seq_len(list); i++) {
    const char *s;
    yaml_node_t *item = sy_seq_item(b->c, list, i);
    if (!sy_str(b->c, item, &s) || !add_dev(b, at ? at : item, "%s", s))
      return false;
  }
  return true;
}

bool build_endpoint_deviations(build *b, yaml_node_t *list) { return dev_list(b, NULL, list); }

/* ---- set: fields ----------------------------------------------------------------------------- */

enum field_form { FV_VERSION, FV_BYTES, FV_SUITES, FV_U8_LIST, FV_SUITE, FV_U8, FV_SIG };

static const struct set_field {
  const char *name;
  int msg;
  enum field_form form;
} set_fields[] = {
    {"legacy_version", TG_HS_client_hello, FV_VERSION},
    {"legacy_session_id", TG_HS_client_hello, FV_BYTES},
    {"cipher_suites", TG_HS_client_hello, FV_SUITES},
    {"legacy_compression_methods", TG_HS_client_hello, FV_U8_LIST},
    {"legacy_version", TG_HS_server_hello, FV_VERSION},
    {"legacy_session_id_echo", TG_HS_server_hello, FV_BYTES},
    {"cipher_suite", TG_HS_server_hello, FV_SUITE},
    {"legacy_compression_method", TG_HS_server_hello, FV_U8},
    {"algorithm", TG_HS_certificate_verify, FV_SIG},
    {"request_update", TG_HS_key_update, FV_U8},
};
#define N_SET_FIELDS (sizeof set_fields / sizeof set_fields[0])

typedef struct hexbuf {
  char s[2 * TG_DEV_MAX_HEX + 1]; /* (128 KiB: allocated by edit_set, not on the stack) */
  size_t len;
} hexbuf;

static bool hex_put(sy_ctx *c, const yaml_node_t *n, hexbuf *h, unsigned v, int bytes) {
  if (h->len + 2 * (size_t)bytes >= sizeof h->s)
    return sy_fail(c, n, "a hex parameter holds at most %d bytes", TG_DEV_MAX_HEX);
  h->len += (size_t)snprintf(h->s + h->len, sizeof h->s - h->len, "%0*x", 2 * bytes, v);
  return true;
}

/* A list of cipher suites (2 bytes each) or of compression methods (1 byte each). */
static bool field_list(sy_ctx *c, const yaml_node_t *n, bool suites, hexbuf *h) {
  if (!sy_want(c, n, YAML_SEQUENCE_NODE))
    return false;
  for (size_t i = 0; i < sy_seq_len(n); i++) {
    yaml_node_t *item = sy_seq_item(c, n, i);
    unsigned v;
    unsigned long u;
    bool ok = suites ? sy_code(c, item, SY_CIPHER_SUITE, &v)
                     : sy_uint(c, item, 255, &u) && (v = (unsigned)u, true);
    if (!ok || !hex_put(c, item, h, v, suites ? 2 : 1))
      return false;
  }
  return true;
}

static bool field_hex(sy_ctx *c, const yaml_node_t *n, enum field_form form, hexbuf *h) {
  unsigned v;
  unsigned long u;
  const char *s;
  switch (form) {
  case FV_VERSION:
  case FV_BYTES:
    if (!sy_hex_str(c, n, &s))
      return false;
    if (form == FV_VERSION && strlen(s) != 4)
      return sy_fail(c, n, "a version is 4 hex digits (\"0302\")");
    if (strlen(s) >= sizeof h->s)
      return sy_fail(c, n, "a hex parameter holds at most %d bytes", TG_DEV_MAX_HEX);
    h->len = (size_t)snprintf(h->s, sizeof h->s, "%s", s);
    return true;
  case FV_SUITES: return field_list(c, n, true, h);
  case FV_U8_LIST: return field_list(c, n, false, h);
  case FV_SUITE: return sy_code(c, n, SY_CIPHER_SUITE, &v) && hex_put(c, n, h, v, 2);
  case FV_SIG: return sy_code(c, n, SY_SIG_SCHEME, &v) && hex_put(c, n, h, v, 2);
  default: return sy_uint(c, n, 255, &u) && hex_put(c, n, h, (unsigned)u, 1);
  }
}

static bool edit_set(build *b, const yaml_node_t *step, int msg, yaml_node_t *map) {
  sy_ctx *c = b->c;
  const char *mname = tg_hs_type_name((unsigned)msg);
  if (!sy_want(c, map, YAML_MAPPING_NODE))
    return false;
  for (size_t i = 0; i < sy_map_len(map); i++) {
    yaml_node_t *kn;
    const char *k = sy_map_key(c, map, i, &kn);
    const struct set_field *f = NULL;
    for (size_t j = 0; k != NULL && j < N_SET_FIELDS && f == NULL; j++)
      if (set_fields[j].msg == msg && strcmp(set_fields[j].name, k) == 0)
        f = &set_fields[j];
    if (f == NULL)
      return sy_fail(c, kn, "set: %s has no field '%s' that can be set", mname,
                     k ? k : "(not a string)");
    hexbuf *h = malloc(sizeof *h);
    if (h == NULL)
      return sy_fail(c, kn, "out of memory");
    h->len = 0;
    h->s[0] = '\0';
    bool ok = field_hex(c, sy_map_value(c, map, i), f->form, h) &&
              add_dev(b, step, "set_field:%s.%s:%s", mname, f->name, h->s);
    free(h);
    if (!ok)
      return false;
  }
  return true;
}

/* ---- extensions:, the other edits ------------------------------------------------------------ */

/* An extension by its IANA name when it has one, else by number (both parse as deviations). */
static bool ext_name(sy_ctx *c, const yaml_node_t *n, char *out, size_t cap) {
  unsigned v;
  if (!sy_code(c, n, SY_EXTENSION, &v))
    return false;
  const char *name = tg_ext_type_name(v);
  if (name != NULL)
    snprintf(out, cap, "%s", name);
  else
    snprintf(out, cap, "%u", v);
  return true;
}

static bool ext_add(build *b, const yaml_node_t *step, const char *msg, yaml_node_t *item) {
  static const char *const keys[] = {"type", "hex", NULL};
  sy_ctx *c = b->c;
  char type[64];
  const char *hex = "";
  if (!sy_check_keys(c, item, keys, "extensions.add"))
    return false;
  yaml_node_t *t = sy_get(c, item, "type"), *h = sy_get(c, item, "hex");
  if (t == NULL)
    return sy_fail(c, item, "extensions.add needs 'type'");
  if (!ext_name(c, t, type, sizeof type) || (h != NULL && !sy_hex_str(c, h, &hex)))
    return false;
  return add_dev(b, step, "add_extension:%s:%s@%s", type, hex, msg);
}

static bool edit_extensions(build *b, const yaml_node_t *step, const char *msg, yaml_node_t *map) {
  static const char *const keys[] = {"drop", "duplicate", "add", NULL};
  sy_ctx *c = b->c;
  if (!sy_check_keys(c, map, keys, "extensions"))
    return false;
  for (size_t i = 0; i < sy_map_len(map); i++) {
    const char *k = sy_map_key(c, map, i, NULL);
    yaml_node_t *list = sy_map_value(c, map, i);
    if (!sy_want(c, list, YAML_SEQUENCE_NODE))
      return false;
    for (size_t j = 0; j < sy_seq_len(list); j++) {
      yaml_node_t *item = sy_seq_item(c, list, j);
      char name[64];
      bool ok = k[0] == 'a' ? ext_add(b, step, msg, item)
                            : ext_name(c, item, name, sizeof name) &&
                                  add_dev(b, step, "%s_extension:%s@%s", k, name, msg);
      if (!ok)
        return false;
    }
  }
  return true;
}

static bool edit_patch(build *b, const yaml_node_t *step, const char *msg, yaml_node_t *map) {
  static const char *const keys[] = {"offset", "hex", NULL};
  sy_ctx *c = b->c;
  unsigned long off;
  const char *hex;
  if (!sy_check_keys(c, map, keys, "patch"))
    return false;
  yaml_node_t *o = sy_get(c, map, "offset"), *h = sy_get(c, map, "hex");
  if (o == NULL || h == NULL)
    return sy_fail(c, map, "patch needs 'offset' and 'hex'");
  return sy_uint(c, o, 1UL << 24, &off) && sy_hex_str(c, h, &hex) &&
         add_dev(b, step, "patch:%s:%lu:%s", msg, off, hex);
}

/* premaster: {version: "0301", length: 47, padding: block_type} of `send: client_key_exchange`:
 * the RSA premaster as the deviations premaster_version, _length and _padding change it. */
static bool edit_premaster(build *b, const yaml_node_t *step, int msg, yaml_node_t *map) {
  static const char *const keys[] = {"version", "length", "padding", NULL};
  static const char *const paddings[] = {"block_type", "no_separator", "first_byte", "short_ps"};
  sy_ctx *c = b->c;
  if (msg != TG_HS_client_key_exchange)
    return sy_fail(c, map, "premaster: edits the RSA premaster of send: client_key_exchange");
  if (!sy_check_keys(c, map, keys, "premaster"))
    return false;
  yaml_node_t *v = sy_get(c, map, "version"), *l = sy_get(c, map, "length"),
              *p = sy_get(c, map, "padding");
  const char *s;
  unsigned long n;
  if (v != NULL && !(sy_hex_str(c, v, &s) &&
                     (strlen(s) == 4 || sy_fail(c, v, "a version is 4 hex digits (\"0301\")")) &&
                     add_dev(b, step, "premaster_version:%s", s)))
    return false;
  if (l != NULL && !(sy_uint(c, l, TG_KEX_MAX_SECRET, &n) &&
                     (n > 0 || sy_fail(c, l, "a premaster has at least one byte")) &&
                     add_dev(b, step, "premaster_length:%lu", n)))
    return false;
  if (p == NULL)
    return true;
  if (!sy_str(c, p, &s))
    return false;
  for (size_t i = 0; i < sizeof paddings / sizeof paddings[0]; i++)
    if (strcmp(s, paddings[i]) == 0)
      return add_dev(b, step, "premaster_padding:%zu", i + 1);
  return sy_fail(c, p, "padding is block_type, no_separator, first_byte or short_ps, not '%s'", s);
}

/* One edit key of a `send: MESSAGE` step (false for a key that is not an edit is never
 * reached: the step's keys were checked). */
static bool edit(build *b, const yaml_node_t *step, int msg, const char *k, yaml_node_t *v) {
  sy_ctx *c = b->c;
  const char *m = tg_hs_type_name((unsigned)msg);
  bool on;
  unsigned long n;
  const char *hex;
  if (strcmp(k, "set") == 0)
    return edit_set(b, step, msg, v);
  if (strcmp(k, "extensions") == 0)
    return edit_extensions(b, step, m, v);
  if (strcmp(k, "skip") == 0 || strcmp(k, "duplicate") == 0)
    return sy_bool(c, v, &on) && (!on || add_dev(b, step, "%s:%s", k, m));
  if (strcmp(k, "truncate") == 0)
    return sy_uint(c, v, 1UL << 24, &n) && add_dev(b, step, "truncate:%s:%lu", m, n);
  if (strcmp(k, "patch") == 0)
    return edit_patch(b, step, m, v);
  if (strcmp(k, "append") == 0)
    return sy_hex_str(c, v, &hex) && add_dev(b, step, "append:%s:%s", m, hex);
  if (strcmp(k, "deviations") == 0) { /* as written: a spec carries its own /hrr or /retry */
    const char *when = b->when;
    b->when = NULL;
    bool ok = dev_list(b, step, v);
    b->when = when;
    return ok;
  }
  if (strcmp(k, "premaster") == 0)
    return edit_premaster(b, step, msg, v);
  return true; /* send:, after:, and key_update's own keys */
}

/* ---- Steps ----------------------------------------------------------------------------------- */

static sc_step *new_step(build *b, const yaml_node_t *n, sc_step_kind kind) {
  sc_scenario *sc = b->sc;
  if (sc->n_steps == SC_MAX_STEPS) {
    sy_fail(b->c, n, "more than %d steps in one scenario", SC_MAX_STEPS);
    return NULL;
  }
  if (sc->n_steps == b->cap_steps) {
    size_t cap = b->cap_steps ? b->cap_steps * 2 : 8;
    sc_step *v = realloc(sc->steps, cap * sizeof *v);
    if (v == NULL) {
      sy_fail(b->c, n, "out of memory");
      return NULL;
    }
    sc->steps = v, b->cap_steps = cap;
  }
  sc_step *st = &sc->steps[sc->n_steps++];
  *st = (sc_step){.kind = kind, .repeat = 1, .protect = true};
  /* A spliced step is reported where the scenario says `use:`, in the scenario's file. */
  st->line = b->use_depth > 0 ? b->use_line : (int)n->start_mark.line + 1;
  st->column = b->use_depth > 0 ? b->use_column : (int)n->start_mark.column + 1;
  return st;
}

/* data: TEXT or hex: HEX. */
static bool payload(build *b, const yaml_node_t *n, sc_bytes *out, bool required) {
  sy_ctx *c = b->c;
  yaml_node_t *d = sy_get(c, n, "data"), *h = sy_get(c, n, "hex");
  if (d != NULL && h != NULL)
    return sy_fail(c, h, "data: and hex: exclude each other");
  if (d == NULL && h == NULL)
    return !required || sy_fail(c, n, "this step needs data: or hex:");
  free(out->p);
  *out = (sc_bytes){0};
  if (h != NULL)
    return sy_hex(c, h, out);
  const char *text;
  size_t len;
  if (!sy_text(c, d, &text, &len))
    return false;
  if (len > 0 && (out->p = malloc(len)) == NULL)
    return sy_fail(c, d, "out of memory");
  if (len > 0)
    memcpy(out->p, text, len);
  out->len = len;
  return true;
}

static bool send_alert(build *b, const yaml_node_t *n, sc_step *st) {
  sy_ctx *c = b->c;
  yaml_node_t *a = sy_get(c, n, "alert"), *l = sy_get(c, n, "level");
  unsigned v;
  const char *level;
  if (a == NULL)
    return sy_fail(c, n, "send: alert needs alert: NAME");
  if (!sy_code(c, a, SY_ALERT, &v))
    return false;
  st->alert = (uint8_t)v;
  st->alert_level = 2;
  if (l == NULL)
    return true;
  if (!sy_str(c, l, &level))
    return false;
  if (strcmp(level, "warning") != 0 && strcmp(level, "fatal") != 0)
    return sy_fail(c, l, "level is warning or fatal, not '%s'", level);
  st->alert_level = level[0] == 'w' ? 1 : 2;
  return true;
}

static bool send_record(build *b, const yaml_node_t *n, sc_step *st) {
  sy_ctx *c = b->c;
  yaml_node_t *t = sy_get(c, n, "type"), *v = sy_get(c, n, "version"), *p;
  unsigned type;
  if (t == NULL)
    return sy_fail(c, n, "send: record needs type: NAME|NUMBER");
  if (!sy_code(c, t, SY_CONTENT_TYPE, &type) || !payload(b, n, &st->data, false))
    return false;
  st->record_type = (uint8_t)type;
  if ((p = sy_get(c, n, "protect")) != NULL && !sy_bool(c, p, &st->protect))
    return false;
  if (v == NULL)
    return true;
  sc_bytes ver;
  if (!sy_hex(c, v, &ver))
    return false;
  bool ok = ver.len == 2;
  if (ok)
    st->record_version = (uint16_t)(ver.p[0] << 8 | ver.p[1]);
  free(ver.p);
  return ok || sy_fail(c, v, "a record version is 4 hex digits (\"0301\")");
}

static const char *const k_message[] = {"send",       "set",       "extensions", "skip",
                                        "duplicate",  "truncate",  "patch",      "append",
                                        "deviations", "premaster", "after",      NULL};
static const char *const k_key_update[] = {"send",       "request",  "repeat", "set",
                                           "duplicate",  "truncate", "patch",  "append",
                                           "deviations", NULL};
static const char *const k_appdata[] = {"send", "data", "hex", "repeat", NULL};
static const char *const k_alert[] = {"send", "alert", "level", "repeat", NULL};
static const char *const k_hex[] = {"send", "hex", NULL};
static const char *const k_none[] = {"send", NULL};
static const char *const k_record[] = {"send", "type", "hex", "version", "protect", "repeat", NULL};

static const struct send_def {
  const char *name;
  sc_send_kind kind;
  const char *const *keys;
} send_defs[] = {
    {"application_data", SC_SEND_APPLICATION_DATA, k_appdata},
    {"alert", SC_SEND_ALERT, k_alert},
    {"change_cipher_spec", SC_SEND_CHANGE_CIPHER_SPEC, k_hex},
    {"key_update", SC_SEND_KEY_UPDATE, k_key_update},
    {"close_notify", SC_SEND_CLOSE_NOTIFY, k_none},
    {"record", SC_SEND_RECORD, k_record},
    {"raw", SC_SEND_RAW, k_hex},
    {"shutdown", SC_SEND_SHUTDOWN, k_none},
};

/* `send: hello_retry_request` edits a scripted server's HelloRetryRequest alone ("/hrr");
 * `after: hello_retry_request` limits a step's edits to the messages sent after one ("/retry":
 * a client's second ClientHello, the ServerHello that follows a server's HelloRetryRequest). */
static bool hrr_moment(build *b, const yaml_node_t *n, bool hrr_step) {
  sy_ctx *c = b->c;
  yaml_node_t *v = sy_get(c, n, "after");
  const char *what;
  b->when = hrr_step ? "/hrr" : NULL;
  if (v == NULL)
    return true;
  if (hrr_step)
    return sy_fail(c, v, "after: does not go with send: hello_retry_request");
  if (!sy_str(c, v, &what))
    return false;
  if (strcmp(what, "hello_retry_request") != 0)
    return sy_fail(c, v, "after: is hello_retry_request, not '%s'", what);
  b->when = "/retry";
  return true;
}

/* The keys of a send step beyond its kind's payload: repeat, request, and the edits. */
static bool send_common(build *b, const yaml_node_t *n, sc_step *st, int msg) {
  sy_ctx *c = b->c;
  yaml_node_t *v;
  unsigned long r;
  if ((v = sy_get(c, n, "repeat")) != NULL) {
    if (!sy_uint(c, v, 100000, &r) || (r == 0 && !sy_fail(c, v, "repeat is at least 1")))
      return false;
    st->repeat = (unsigned)r;
  }
  if ((v = sy_get(c, n, "request")) != NULL && !sy_bool(c, v, &st->request_update))
    return false;
  bool ok = true;
  for (size_t i = 0; msg >= 0 && ok && i < sy_map_len(n); i++)
    ok = edit(b, n, msg, sy_map_key(c, n, i, NULL), sy_map_value(c, n, i));
  b->when = NULL;
  return ok;
}

static bool send_step(build *b, yaml_node_t *n, yaml_node_t *what) {
  sy_ctx *c = b->c;
  const char *name;
  if (!sy_str(c, what, &name))
    return false;
  const struct send_def *d = NULL, message = {"", SC_SEND_MESSAGE, k_message};
  int msg = -1;
  for (size_t i = 0; i < sizeof send_defs / sizeof send_defs[0] && d == NULL; i++)
    if (strcmp(send_defs[i].name, name) == 0)
      d = &send_defs[i];
  bool hrr = strcmp(name, "hello_retry_request") == 0; /* a ServerHello on the wire */
  if (hrr)
    msg = TG_HS_server_hello, d = &message;
  if (d == NULL && sy_message_name(name, false, &msg))
    d = &message;
  if (d == NULL)
    return sy_fail(c, what,
                   "unknown send '%s' (a handshake message, application_data, alert, "
                   "change_cipher_spec, key_update, close_notify, record, raw, shutdown)",
                   name);
  if (d->kind == SC_SEND_KEY_UPDATE)
    msg = TG_HS_key_update;
  if (!sy_check_keys(c, n, d->keys, "this send step"))
    return false;
  sc_step *st = new_step(b, n, SC_STEP_SEND);
  if (st == NULL)
    return false;
  st->send = d->kind;
  st->msg_type = msg >= 0 ? msg : 0;
  if (d->kind == SC_SEND_CHANGE_CIPHER_SPEC) {
    if ((st->data.p = malloc(1)) == NULL)
      return sy_fail(c, n, "out of memory");
    st->data.p[0] = 0x01, st->data.len = 1;
  }
  if (d->kind == SC_SEND_MESSAGE && !hrr_moment(b, n, hrr))
    return false;
  bool ok = d->kind == SC_SEND_ALERT    ? send_alert(b, n, st)
            : d->kind == SC_SEND_RECORD ? send_record(b, n, st)
            : d->kind == SC_SEND_APPLICATION_DATA || d->kind == SC_SEND_RAW
                ? payload(b, n, &st->data, true)
            : d->kind == SC_SEND_CHANGE_CIPHER_SPEC ? payload(b, n, &st->data, false)
                                                    : true;
  return ok && send_common(b, n, st, msg);
}

/* An alert name or a list of them into v[*n]. */
static bool alert_list(build *b, yaml_node_t *a, uint8_t *v, size_t *n_out) {
  sy_ctx *c = b->c;
  bool list = a->type == YAML_SEQUENCE_NODE;
  size_t n = list ? sy_seq_len(a) : 1;
  if (n > SC_MAX_LIST)
    return sy_fail(c, a, "a list of more than %d alerts", SC_MAX_LIST);
  for (size_t i = 0; i < n; i++) {
    unsigned code;
    if (!sy_code(c, list ? sy_seq_item(c, a, i) : a, SY_ALERT, &code))
      return false;
    v[(*n_out)++] = (uint8_t)code;
  }
  return true;
}

static bool expect_alerts(build *b, yaml_node_t *a, sc_step *st) {
  return alert_list(b, a, st->alerts, &st->n_alerts);
}

/* expect: alert with level: warning (a warning that leaves the connection up, and or_alert:
 * the fatal alerts the RFC allows instead) or fatal (the default). */
static bool expect_alert_step(build *b, yaml_node_t *n, sc_step *st) {
  sy_ctx *c = b->c;
  yaml_node_t *a = sy_get(c, n, "alert"), *l = sy_get(c, n, "level"),
              *or_alert = sy_get(c, n, "or_alert");
  const char *level = "fatal";
  if (l != NULL && !sy_str(c, l, &level))
    return false;
  if (strcmp(level, "warning") != 0 && strcmp(level, "fatal") != 0)
    return sy_fail(c, l, "level is warning or fatal, not '%s'", level);
  st->alert_level = level[0] == 'w' ? TG_ALERT_LEVEL_warning : TG_ALERT_LEVEL_fatal;
  if (or_alert != NULL && st->alert_level != TG_ALERT_LEVEL_warning)
    return sy_fail(c, or_alert,
                   "or_alert: goes with level: warning (a fatal alert step lists "
                   "every alert it allows in alert:)");
  if (a != NULL && !expect_alerts(b, a, st))
    return false;
  return or_alert == NULL || alert_list(b, or_alert, st->or_alerts, &st->n_or_alerts);
}

/* `expect: client_hello` `after: hello_retry_request` `check: [NAME, ...]`: a target client's
 * second ClientHello, and the checks of harness/hello_check.h it must pass. */
static bool expect_second_hello(build *b, yaml_node_t *n, sc_step *st) {
  sy_ctx *c = b->c;
  yaml_node_t *after = sy_get(c, n, "after"), *check = sy_get(c, n, "check");
  const char *s;
  if (after == NULL)
    return check == NULL || sy_fail(c, check, "check: goes with after: hello_retry_request");
  if (!sy_str(c, after, &s))
    return false;
  if (strcmp(s, "hello_retry_request") != 0)
    return sy_fail(c, after, "after: is hello_retry_request, not '%s'", s);
  st->after_hrr = true;
  if (check == NULL)
    return true;
  if (!sy_want(c, check, YAML_SEQUENCE_NODE))
    return false;
  for (size_t i = 0; i < sy_seq_len(check); i++) {
    yaml_node_t *item = sy_seq_item(c, check, i);
    int k;
    if (!sy_str(c, item, &s))
      return false;
    if ((k = hello_check_find(s)) < 0)
      return sy_fail(c, item, "unknown check '%s' (unchanged, cookie, key_share, no_early_data)", s);
    st->hello_checks |= 1u << k;
  }
  return true;
}

static bool expect_step(build *b, yaml_node_t *n, yaml_node_t *what) {
  static const char *const k_alert_e[] = {"expect", "alert", "level", "or_alert", NULL};
  static const char *const k_data[] = {"expect", "data", "hex", "or_alert", NULL};
  static const char *const k_plain[] = {"expect", "or_alert", NULL};
  static const char *const k_hello[] = {"expect", "or_alert", "after", "check", NULL};
  static const char *const k_close[] = {"expect", NULL};
  sy_ctx *c = b->c;
  const char *name;
  int msg = 0;
  if (!sy_str(c, what, &name))
    return false;
  sc_expect_kind kind = strcmp(name, "alert") == 0         ? SC_EXPECT_ALERT
                        : strcmp(name, "close") == 0       ? SC_EXPECT_CLOSE
                        : strcmp(name, "established") == 0 ? SC_EXPECT_ESTABLISHED
                        : strcmp(name, "data") == 0        ? SC_EXPECT_DATA
                                                           : SC_EXPECT_MESSAGE;
  if (kind == SC_EXPECT_MESSAGE && !sy_message_name(name, true, &msg))
    return sy_fail(c, what,
                   "unknown expect '%s' (alert, close, established, data, or a "
                   "handshake message)",
                   name);
  const char *const *keys = kind == SC_EXPECT_ALERT            ? k_alert_e
                            : kind == SC_EXPECT_DATA           ? k_data
                            : kind == SC_EXPECT_CLOSE          ? k_close
                            : msg == TG_HS_client_hello ? k_hello
                                                               : k_plain;
  if (!sy_check_keys(c, n, keys, "this expect step"))
    return false;
  sc_step *st = new_step(b, n, SC_STEP_EXPECT);
  if (st == NULL)
    return false;
  st->expect = kind;
  st->expect_msg = msg;
  if (kind == SC_EXPECT_MESSAGE && msg == TG_HS_client_hello && !expect_second_hello(b, n, st))
    return false;
  yaml_node_t *or_alert = sy_get(c, n, "or_alert");
  if (kind == SC_EXPECT_ALERT)
    return expect_alert_step(b, n, st);
  /* or_alert: the RFC also allows ending the connection with one of these alerts instead. */
  if (or_alert != NULL && !expect_alerts(b, or_alert, st))
    return false;
  return kind != SC_EXPECT_DATA || payload(b, n, &st->expect_data, true);
}

static bool steps(build *b, yaml_node_t *list);

/* `use: NAME`: the named shared steps, read in their own document. */
static bool use_step(build *b, yaml_node_t *n, yaml_node_t *what) {
  static const char *const keys[] = {"use", NULL};
  sy_ctx *c = b->c;
  const char *name;
  if (!sy_check_keys(c, n, keys, "a use step") || !sy_str(c, what, &name))
    return false;
  shared_steps *sh = shared_find(b->lib, name);
  if (sh == NULL)
    return sy_fail(c, what, "no shared steps named '%s' (from include: or steps:)", name);
  if (b->use_depth == SC_MAX_USE_DEPTH)
    return sy_fail(c, what, "use: '%s' nests more than %d deep (a cycle?)", name, SC_MAX_USE_DEPTH);
  if (b->use_depth++ == 0)
    b->use_line = (int)n->start_mark.line + 1, b->use_column = (int)n->start_mark.column + 1;
  sy_src outer = c->src;
  c->src = sh->src;
  bool ok = steps(b, sh->list);
  c->src = outer;
  b->use_depth--;
  return ok;
}

static bool step(build *b, yaml_node_t *n) {
  sy_ctx *c = b->c;
  if (!sy_want(c, n, YAML_MAPPING_NODE))
    return false;
  yaml_node_t *s = sy_get(c, n, "send"), *e = sy_get(c, n, "expect"), *u = sy_get(c, n, "use");
  if ((s != NULL) + (e != NULL) + (u != NULL) != 1)
    return sy_fail(c, n, "a step has exactly one of send:, expect: or use:");
  return s != NULL ? send_step(b, n, s) : e != NULL ? expect_step(b, n, e) : use_step(b, n, u);
}

static bool steps(build *b, yaml_node_t *list) {
  if (!sy_want(b->c, list, YAML_SEQUENCE_NODE))
    return false;
  for (size_t i = 0; i < sy_seq_len(list); i++)
    if (!step(b, sy_seq_item(b->c, list, i)))
      return false;
  return true;
}

bool build_script(build *b, yaml_node_t *script) {
  if (!steps(b, script))
    return false;
  return b->sc->n_steps > 0 || sy_fail(b->c, script, "the script has no steps");
}
