/* Target profiles (profile.h, docs/targets.md): loading one, and checking a scenario against it.
 *
 * The check compares what the scenario assumes of its target (its target_options, and what its
 * scripted endpoint offers) with what the profile says the target is configured for. Where the
 * target would meet the scenario's offer differently from the target the scenario was written
 * for, the scenario is not played: a skip with the reason. Lists compare on what the endpoint
 * offers: a scenario restricting the target to secp256r1 while offering x25519 and secp256r1
 * holds against a target whose groups, among those two, are secp256r1 alone. */
#include "profile.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "scenario_yaml.h"
#include "tg/names.h"
#include "tg/x509_verify.h"

const char *profile_after_name(tp_after a) {
  static const char *const names[] = {"echo", "http", "speaks_first", "handshake_only",
                                      "echo_lines"};
  return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "?";
}

void profile_free(target_profile *p) {
  char *owned[] = {p->file,
                   p->name,
                   p->target,
                   p->command,
                   p->library,
                   p->alpn,
                   p->certificate.name,
                   p->trust_anchor,
                   p->server_name,
                   p->client_ca.name,
                   p->trust.name,
                   p->verify_name.name,
                   p->sni,
                   p->client_cert.name};
  for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
    free(owned[i]);
  memset(p, 0, sizeof *p);
}

void profile_set_command(target_profile *p, const char *cmd) {
  if (cmd != p->command) {
    free(p->command);
    p->command = cmd ? strdup(cmd) : NULL;
  }
  const char *c = p->command ? p->command : "";
  bool server = p->role == SC_TARGET_SERVER;
  bool cert = strstr(c, "{cert}") != NULL, ca = strstr(c, "{ca}") != NULL;
  (server ? &p->certificate : &p->client_cert)->per_scenario = cert;
  (server ? &p->client_ca : &p->trust)->per_scenario = ca;
  p->verify_name.per_scenario = !server && strstr(c, "{name}") != NULL;
  p->client_auth_per_scenario =
      strstr(c, "{?require_client_cert:") != NULL || strstr(c, "{!require_client_cert:") != NULL;
  p->alpn_per_scenario = strstr(c, "{?alpn:") != NULL;
  p->sni_per_scenario = strstr(c, "{sni}") != NULL;
  p->verify_per_scenario = strstr(c, "{?no_verify:") != NULL || strstr(c, "{!no_verify:") != NULL;
  p->tls12_only_per_scenario = strstr(c, "{?tls12_only:") != NULL;
  p->tls13_only_per_scenario = strstr(c, "{?tls13_only:") != NULL;
}

/* ---- Loading -------------------------------------------------------------------------------- */

/* A string, or YAML's null (~, null, nothing): NULL. */
static bool load_str(sy_ctx *c, yaml_node_t *n, char **out) {
  free(*out);
  *out = NULL;
  const char *v = (const char *)n->data.scalar.value;
  if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
      (*v == '\0' || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
       !strcmp(v, "NULL")))
    return true;
  return sy_strdup(c, n, out);
}

static bool load_cert(sy_ctx *c, yaml_node_t *n, tp_cert *out) {
  return load_str(c, n, &out->name);
}

static bool load_versions(sy_ctx *c, yaml_node_t *n, target_profile *p) {
  if (!sy_want(c, n, YAML_SEQUENCE_NODE))
    return false;
  p->tls12 = p->tls13 = false;
  for (size_t i = 0; i < sy_seq_len(n); i++) {
    uint16_t v;
    yaml_node_t *item = sy_seq_item(c, n, i);
    if (item == NULL || !sy_version(c, item, &v))
      return false;
    *(v == 0x0303 ? &p->tls12 : &p->tls13) = true;
  }
  return p->tls12 || p->tls13 || sy_fail(c, n, "versions: at least one of 1.2 and 1.3");
}

/* alpn: a list of protocol names, kept comma-separated (as the peers' --alpn flag). */
static bool load_alpn(sy_ctx *c, yaml_node_t *n, target_profile *p) {
  if (!sy_want(c, n, YAML_SEQUENCE_NODE))
    return false;
  size_t len = 0;
  char buf[512] = "";
  for (size_t i = 0; i < sy_seq_len(n); i++) {
    const char *s;
    yaml_node_t *item = sy_seq_item(c, n, i);
    if (item == NULL || !sy_str(c, item, &s))
      return false;
    if (*s == '\0' || strlen(s) > 255 || strchr(s, ',') != NULL)
      return sy_fail(c, item, "alpn: a protocol name without commas, 1-255 bytes");
    if (len + strlen(s) + 2 > sizeof buf)
      return sy_fail(c, item, "alpn: at most %zu bytes in all", sizeof buf - 2);
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", len ? "," : "", s);
  }
  free(p->alpn);
  p->alpn = len ? strdup(buf) : NULL;
  return true;
}

static bool load_enum(sy_ctx *c, yaml_node_t *n, const char *const *names, int *out) {
  const char *s;
  if (!sy_str(c, n, &s))
    return false;
  for (int i = 0; names[i] != NULL; i++)
    if (strcmp(s, names[i]) == 0)
      return *out = i, true;
  char list[200] = "";
  for (int i = 0, k = 0; names[i] != NULL; i++)
    k += snprintf(list + k, sizeof list - (size_t)k, "%s%s", i ? ", " : "", names[i]);
  return sy_fail(c, n, "'%s' is not one of %s", s, list);
}

static bool load_int(sy_ctx *c, yaml_node_t *n, int *out) {
  unsigned long v;
  if (!sy_uint(c, n, 3600000, &v))
    return false;
  *out = (int)v;
  return true;
}

static const char *const keys[] = {"name",
                                   "role",
                                   "target",
                                   "command",
                                   "versions",
                                   "cipher_suites",
                                   "groups",
                                   "signature_schemes",
                                   "alpn",
                                   "alpn_single",
                                   "certificate",
                                   "trust_anchor",
                                   "server_name",
                                   "client_auth",
                                   "client_ca",
                                   "trust",
                                   "verify",
                                   "verify_name",
                                   "sni",
                                   "client_certificate",
                                   "after_handshake",
                                   "require_ems",
                                   "key_update",
                                   "timeout_ms",
                                   "quiet_ms",
                                   "library",
                                   "post_handshake_auth",
                                   NULL};

static bool load_key(sy_ctx *c, const char *k, yaml_node_t *v, target_profile *p) {
  static const char *const roles[] = {"server", "client", NULL};
  static const char *const auth[] = {"none", "request", "require", NULL};
  static const char *const after[] = {"echo",           "http",       "speaks_first",
                                      "handshake_only", "echo_lines", NULL};
  int e;
  if (!strcmp(k, "name"))
    return load_str(c, v, &p->name);
  if (!strcmp(k, "role"))
    return load_enum(c, v, roles, &e) && (p->role = (sc_role)e, true);
  if (!strcmp(k, "target"))
    return load_str(c, v, &p->target);
  if (!strcmp(k, "command"))
    return load_str(c, v, &p->command);
  if (!strcmp(k, "library"))
    return load_str(c, v, &p->library);
  if (!strcmp(k, "versions"))
    return load_versions(c, v, p);
  if (!strcmp(k, "cipher_suites"))
    return sy_u16_list(c, v, SY_CIPHER_SUITE, &p->cipher_suites);
  if (!strcmp(k, "groups"))
    return sy_u16_list(c, v, SY_GROUP, &p->groups);
  if (!strcmp(k, "signature_schemes"))
    return sy_u16_list(c, v, SY_SIG_SCHEME, &p->sigalgs);
  if (!strcmp(k, "alpn"))
    return load_alpn(c, v, p);
  if (!strcmp(k, "alpn_single"))
    return sy_bool(c, v, &p->alpn_single);
  if (!strcmp(k, "certificate"))
    return load_cert(c, v, &p->certificate);
  if (!strcmp(k, "trust_anchor"))
    return load_str(c, v, &p->trust_anchor);
  if (!strcmp(k, "server_name"))
    return load_str(c, v, &p->server_name);
  if (!strcmp(k, "client_auth"))
    return load_enum(c, v, auth, &e) && (p->client_auth = (tp_client_auth)e, true);
  if (!strcmp(k, "client_ca"))
    return load_cert(c, v, &p->client_ca);
  if (!strcmp(k, "trust"))
    return load_cert(c, v, &p->trust);
  if (!strcmp(k, "verify"))
    return sy_bool(c, v, &p->verifies);
  if (!strcmp(k, "verify_name"))
    return load_cert(c, v, &p->verify_name);
  if (!strcmp(k, "sni"))
    return load_str(c, v, &p->sni);
  if (!strcmp(k, "client_certificate"))
    return load_cert(c, v, &p->client_cert);
  if (!strcmp(k, "after_handshake"))
    return load_enum(c, v, after, &e) && (p->after = (tp_after)e, true);
  if (!strcmp(k, "require_ems"))
    return sy_bool(c, v, &p->require_ems);
  if (!strcmp(k, "post_handshake_auth"))
    return sy_bool(c, v, &p->post_handshake_auth);
  if (!strcmp(k, "key_update"))
    return sy_bool(c, v, &p->key_update);
  if (!strcmp(k, "timeout_ms"))
    return load_int(c, v, &p->timeout_ms);
  return load_int(c, v, &p->quiet_ms); /* quiet_ms: sy_check_keys allowed nothing else */
}

static bool load_root(sy_ctx *c, target_profile *p) {
  yaml_node_t *root = yaml_document_get_root_node(c->src.doc);
  if (root == NULL)
    return sy_fail(c, NULL, "an empty file: a profile needs at least name: and role:");
  if (!sy_check_keys(c, root, keys, "profile"))
    return false;
  if (sy_get(c, root, "role") == NULL || sy_get(c, root, "name") == NULL)
    return sy_fail(c, root, "a profile needs name: and role: (server or client)");
  /* role first: what {cert} and {ca} in the command stand for depends on it. */
  if (!load_key(c, "role", sy_get(c, root, "role"), p))
    return false;
  for (size_t i = 0; i < sy_map_len(root); i++) {
    const char *k = sy_map_key(c, root, i, NULL);
    yaml_node_t *v = sy_map_value(c, root, i);
    if (k == NULL || v == NULL || !load_key(c, k, v, p))
      return false;
  }
  if (p->name == NULL)
    return sy_fail(c, sy_get(c, root, "name"), "name: needs a value");
  if (p->target != NULL && p->command != NULL)
    return sy_fail(c, root, "target: and command: exclude each other");
  if (p->target != NULL && strncmp(p->target, "tcp://", 6) != 0)
    return sy_fail(c, sy_get(c, root, "target"), "target: is tcp://HOST:PORT");
  return true;
}

void profile_default(target_profile *p, sc_role role, const char *name, const char *command) {
  *p = (target_profile){.tls12 = true,
                        .tls13 = true,
                        .verifies = true,
                        .quiet_ms = TP_DEFAULT_QUIET_MS,
                        .role = role};
  p->name = strdup(name);
  p->file = strdup("(no --profile: the suite's assumptions, docs/targets.md)");
  p->server_name = strdup("server.test");
  p->trust_anchor = strdup("root");
  if (role == SC_TARGET_SERVER) {
    p->certificate.name = strdup("server");
    p->client_ca.name = strdup("root");
  } else {
    p->trust.name = strdup("root");
    p->verify_name.name = strdup("server.test");
    p->sni = strdup("server.test");
  }
  profile_set_command(p, command);
}

bool profile_load_text(target_profile *p, const char *name, const char *text, size_t len, char *err,
                       size_t cap) {
  *p = (target_profile){
      .tls12 = true, .tls13 = true, .verifies = true, .quiet_ms = TP_DEFAULT_QUIET_MS};
  sc_error e = {.text = ""};
  sy_ctx c = {.src = {name, NULL}, .err = &e};
  yaml_parser_t parser;
  yaml_document_t doc;
  /* Bounded before libyaml builds a document, as every YAML file is (scenario_yaml.h). */
  bool deep = !sy_check_depth(&c, (const uint8_t *)text, len);
  bool ok = !deep && yaml_parser_initialize(&parser) != 0;
  if (ok) {
    yaml_parser_set_input_string(&parser, (const uint8_t *)text, len);
    ok = yaml_parser_load(&parser, &doc) != 0;
    if (!ok)
      sy_yaml_error(&c, &parser, (const uint8_t *)text, len);
    yaml_parser_delete(&parser);
  } else if (!deep) {
    sy_fail(&c, NULL, "out of memory");
  }
  if (ok) {
    c.src.doc = &doc;
    ok = load_root(&c, p);
    yaml_document_delete(&doc);
  }
  sy_scratch_free(&c);
  p->file = strdup(name);
  if (ok) {
    if (p->server_name == NULL)
      p->server_name = strdup("server.test");
    if (p->trust_anchor == NULL)
      p->trust_anchor = strdup("root");
    profile_set_command(p, p->command);
  } else {
    snprintf(err, cap, "%s", e.text);
    profile_free(p);
  }
  return ok;
}

bool profile_load(target_profile *p, const char *path, char *err, size_t cap) {
  size_t len;
  char why[160];
  char *text = sy_read_file(path, &len, why, sizeof why);
  if (text == NULL) {
    *p = (target_profile){0};
    snprintf(err, cap, "%s: %s", path, why);
    return false;
  }
  bool ok = profile_load_text(p, path, text, len, err, cap);
  free(text);
  return ok;
}

/* ---- Checking a scenario ----------------------------------------------------------------------
 */

__attribute__((format(printf, 3, 4))) static bool skip(char *why, size_t cap, const char *fmt,
                                                       ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, cap, fmt, ap);
  va_end(ap);
  return false;
}

static bool in_wire(tg_bytes w, uint16_t v) {
  for (size_t i = 0; i + 1 < w.len; i += 2)
    if ((uint16_t)(w.p[i] << 8 | w.p[i + 1]) == v)
      return true;
  return false;
}

static bool in_list(const sc_u16_list *l, uint16_t v) {
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i] == v)
      return true;
  return false;
}

/* Whether a and b hold the same code points among those `offered` lists (offered.p NULL: all
 * of them). */
static bool same_among(const sc_u16_list *a, const sc_u16_list *b, tg_bytes offered) {
  if (offered.p == NULL) { /* the same lists, whatever the order */
    for (size_t i = 0; i < a->n; i++)
      if (!in_list(b, a->v[i]))
        return false;
    for (size_t i = 0; i < b->n; i++)
      if (!in_list(a, b->v[i]))
        return false;
    return true;
  }
  for (size_t i = 0; i + 1 < offered.len; i += 2) {
    uint16_t v = (uint16_t)(offered.p[i] << 8 | offered.p[i + 1]);
    if (in_list(a, v) != in_list(b, v))
      return false;
  }
  return true;
}

static bool any_among(const sc_u16_list *a, tg_bytes offered) {
  for (size_t i = 0; i < a->n; i++)
    if (in_wire(offered, a->v[i]))
      return true;
  return false;
}

static void list_names(char *out, size_t cap, const sc_u16_list *l, const char *(*name)(unsigned)) {
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; i < l->n && n < cap; i++) {
    const char *s = name(l->v[i]);
    n += s ? (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", s)
           : (size_t)snprintf(out + n, cap - n, "%s0x%04x", i ? ", " : "", l->v[i]);
  }
}

/* One list (cipher suites, groups, signature schemes): a scenario that restricts its target's
 * needs the profile's to agree on what the endpoint offers; one that does not needs a target
 * that accepts something the endpoint offers. */
static bool check_list(const char *what, const sc_u16_list *want, const sc_u16_list *have,
                       tg_bytes offered, const char *(*name)(unsigned), char *why, size_t cap) {
  char a[256], b[256];
  if (want->n > 0 && have->n == 0)
    return list_names(a, sizeof a, want, name),
           skip(why, cap, "needs a target limited to the %s %s (the profile does not list its %s)",
                what, a, what);
  if (want->n > 0 && !same_among(want, have, offered))
    return list_names(a, sizeof a, want, name), list_names(b, sizeof b, have, name),
           skip(why, cap, "needs a target limited to the %s %s (the profile: %s)", what, a, b);
  if (want->n == 0 && have->n > 0 && offered.len > 0 && !any_among(have, offered))
    return list_names(b, sizeof b, have, name),
           skip(why, cap, "the scenario offers none of the target's %s (the profile: %s)", what, b);
  return true;
}

static bool cert_matches(const tp_cert *have, const char *want) {
  return have->per_scenario || (have->name != NULL && strcmp(have->name, want) == 0);
}

static size_t count_data_steps(const sc_scenario *s) {
  size_t n = 0;
  for (size_t i = 0; i < s->n_steps; i++)
    n += s->steps[i].kind == SC_STEP_EXPECT && s->steps[i].expect == SC_EXPECT_DATA;
  return n;
}

static bool has_data_step(const sc_scenario *s) { return count_data_steps(s) > 0; }

size_t profile_confirmation_tail(const sc_scenario *s) {
  size_t i = s->n_steps;
  while (i > 0) {
    const sc_step *st = &s->steps[i - 1];
    bool data = (st->kind == SC_STEP_SEND && st->send == SC_SEND_APPLICATION_DATA) ||
                (st->kind == SC_STEP_EXPECT && st->expect == SC_EXPECT_DATA);
    if (!data)
      break;
    i--;
  }
  return i;
}

/* A target that does not echo owes a requested KeyUpdate only before its next application data
 * (RFC 8446 4.6.3), which it may never send. */
static bool check_not_echoing(const target_profile *p, const sc_scenario *s, char *why,
                              size_t cap) {
  for (size_t i = 0; i < s->n_steps; i++) {
    const sc_step *st = &s->steps[i];
    if (st->kind == SC_STEP_EXPECT && st->expect == SC_EXPECT_MESSAGE &&
        st->expect_msg == TG_HS_key_update)
      return skip(why, cap,
                  "needs a target that echoes application data (its KeyUpdate comes before its "
                  "next data; the profile: %s)",
                  profile_after_name(p->after));
  }
  return true;
}

/* A CertificateRequest after the handshake, as a record the script sends. */
static bool sends_post_handshake_request(const sc_scenario *s) {
  bool established = false;
  for (size_t i = 0; i < s->n_steps; i++) {
    const sc_step *st = &s->steps[i];
    established |= st->kind == SC_STEP_EXPECT && st->expect == SC_EXPECT_ESTABLISHED;
    if (established && st->kind == SC_STEP_SEND && st->send == SC_SEND_RECORD &&
        st->record_type == 22 && st->data.len > 0 && st->data.p[0] == TG_HS_certificate_request)
      return true;
  }
  return false;
}

/* A target that says nothing after the handshake can be judged on the handshake, and on what
 * it alerts; not on data it would echo, nor on records sent after the handshake that only the
 * closing data exchange would judge. */
static bool check_handshake_only(const sc_scenario *s, char *why, size_t cap) {
  size_t tail = profile_confirmation_tail(s);
  for (size_t i = 0; i < s->n_steps; i++) {
    const sc_step *st = &s->steps[i];
    if (st->kind == SC_STEP_EXPECT && st->expect == SC_EXPECT_DATA && i < tail)
      return skip(why, cap,
                  "needs a target that answers application data (step %zu; the "
                  "profile: handshake_only)",
                  i + 1);
  }
  if (has_data_step(s) && tail > 0 && s->steps[tail - 1].kind == SC_STEP_SEND)
    return skip(why, cap,
                "needs a target that answers application data (only the data after "
                "step %zu shows whether it took that step; the profile: handshake_only)",
                tail);
  return true;
}

static bool check_server(const target_profile *p, const sc_scenario *s, const tg_config *ep,
                         char *why, size_t cap) {
  const sc_target_opts *o = &s->target_opts;
  if (o->cert != NULL && !o->cert_default && !cert_matches(&p->certificate, o->cert))
    return skip(why, cap, "needs a server presenting certs/%s.pem (the profile: %s)", o->cert,
                p->certificate.name ? p->certificate.name : "another certificate");
  if (o->require_client_cert && p->client_auth != TP_AUTH_REQUIRE && !p->client_auth_per_scenario)
    return skip(why, cap, "needs a server that requires client certificates (the profile: %s)",
                p->client_auth == TP_AUTH_REQUEST ? "requests them" : "does not ask");
  bool client_cert = ep->chain != NULL;
  if (!o->require_client_cert && p->client_auth == TP_AUTH_REQUIRE && !p->client_auth_per_scenario)
    return skip(why, cap, "the server requires a client certificate; the scenario %s",
                client_cert ? "is about a server that does not" : "sends none");
  const char *trust = o->trust ? o->trust : "root";
  bool trust_matters = o->require_client_cert || (client_cert && p->client_auth != TP_AUTH_NONE);
  if (trust_matters && !cert_matches(&p->client_ca, trust))
    return skip(why, cap,
                "needs a server that trusts certs/%s.pem for client certificates (the "
                "profile: %s)",
                trust, p->client_ca.name ? p->client_ca.name : "not known");
  return true;
}

static bool check_client(const target_profile *p, const sc_scenario *s, char *why, size_t cap) {
  const sc_target_opts *o = &s->target_opts;
  if (o->no_verify && p->verifies && !p->verify_per_scenario)
    return skip(why, cap, "needs a client that does not verify the server's certificate");
  if (!o->no_verify && !p->verifies && !p->verify_per_scenario)
    return skip(why, cap,
                "needs a client that verifies the server's certificate (the profile: "
                "verify: false)");
  const char *trust = o->trust ? o->trust : "root";
  if (!o->no_verify && !cert_matches(&p->trust, trust))
    return skip(why, cap, "needs a client that trusts certs/%s.pem (the profile: %s)", trust,
                p->trust.name ? p->trust.name : "not known");
  const char *name = o->verify_name ? o->verify_name : "server.test";
  if (!o->no_verify && !cert_matches(&p->verify_name, name))
    return skip(why, cap, "needs a client that checks the name %s (the profile: %s)", name,
                p->verify_name.name ? p->verify_name.name : "not known");
  if (o->sni != NULL && !o->sni_default && !p->sni_per_scenario &&
      (p->sni == NULL || strcmp(p->sni, o->sni) != 0))
    return skip(why, cap, "needs a client that sends the server_name %s (the profile: %s)", o->sni,
                p->sni ? p->sni : "none");
  if (o->cert != NULL && !cert_matches(&p->client_cert, o->cert))
    return skip(why, cap, "needs a client presenting certs/%s.pem (the profile: %s)", o->cert,
                p->client_cert.name ? p->client_cert.name : "no certificate");
  return true;
}

/* Versions: the target's, among those the endpoint offers, as the scenario's target has them. */
static bool check_versions(const target_profile *p, const sc_scenario *s, const tg_config *ep,
                           char *why, size_t cap) {
  const sc_target_opts *o = &s->target_opts;
  uint16_t lo = o->min_version ? o->min_version : 0x0303,
           hi = o->max_version ? o->max_version : 0x0304;
  bool want12 = lo <= 0x0303 && hi >= 0x0303, want13 = hi >= 0x0304;
  uint16_t elo = ep->min_version ? ep->min_version : ep->max_version, ehi = ep->max_version;
  bool offers12 = elo <= 0x0303, offers13 = ehi >= 0x0304;
  if (s->target == SC_TARGET_SERVER && s->n_steps > 0 && s->steps[0].kind == SC_STEP_SEND &&
      (s->steps[0].send == SC_SEND_RECORD || s->steps[0].send == SC_SEND_RAW))
    offers12 = offers13 = true; /* a raw ClientHello: what it offers is in its bytes */
  bool restricted = o->min_version || o->max_version;
  if (restricted && want12 != want13 &&
      (want12 ? p->tls12_only_per_scenario && p->tls12 : p->tls13_only_per_scenario && p->tls13))
    return true; /* the command limits itself per scenario */
  if ((offers12 && want12 != p->tls12) || (offers13 && want13 != p->tls13))
    return skip(why, cap, "needs a target with %s (the profile: %s)",
                want12 && want13 ? "TLS 1.2 and 1.3"
                : want12         ? "TLS 1.2 only"
                                 : "TLS 1.3 only",
                p->tls12 && p->tls13 ? "TLS 1.2 and 1.3"
                : p->tls12           ? "TLS 1.2"
                                     : "TLS 1.3");
  return true;
}

/* ALPN: the protocols the target is configured with, among those the endpoint offers. */
static bool check_alpn(const target_profile *p, const sc_scenario *s, char *why, size_t cap) {
  const char *want = s->target_opts.alpn ? s->target_opts.alpn : "";
  const char *have = p->alpn ? p->alpn : "";
  if (p->alpn_per_scenario && p->alpn_single && strchr(want, ',') != NULL)
    return skip(why, cap,
                "needs a target that takes several ALPN protocols (%s); the profile's command "
                "takes one (alpn_single)",
                want);
  if (p->alpn_per_scenario || strcmp(want, have) == 0)
    return true;
  const sc_bytes *offer = &s->endpoint.alpn;
  for (size_t i = 0; i < offer->len; i += 1 + (size_t)offer->p[i]) {
    size_t n = offer->p[i];
    char proto[256];
    if (i + 1 + n > offer->len)
      break;
    snprintf(proto, sizeof proto, "%.*s", (int)n, (const char *)offer->p + i + 1);
    char w[600], h[600];
    snprintf(w, sizeof w, ",%s,", want);
    snprintf(h, sizeof h, ",%s,", have);
    char needle[260];
    snprintf(needle, sizeof needle, ",%s,", proto);
    if ((strstr(w, needle) != NULL) != (strstr(h, needle) != NULL))
      return skip(why, cap, "needs a target whose ALPN protocols are %s (the profile: %s)",
                  *want ? want : "none", *have ? have : "none");
  }
  /* The endpoint offers none, or the lists agree on what it offers; a scenario that sends
   * ALPN in raw bytes is not seen here. */
  if (s->target == SC_TARGET_CLIENT && strcmp(want, have) != 0)
    return skip(why, cap, "needs a client that offers the ALPN protocols %s (the profile: %s)",
                *want ? want : "none", *have ? have : "none");
  return true;
}

bool profile_check(const target_profile *p, const sc_scenario *s, const tg_config *ep, char *why,
                   size_t cap) {
  const sc_target_opts *o = &s->target_opts;
  if (!check_versions(p, s, ep, why, cap))
    return false;
  bool server = s->target == SC_TARGET_SERVER;
  /* What a scripted client offers decides what a server target's lists can show; a client
   * target's own lists are its offer, so they must be the scenario's (as must the signature
   * schemes, which the endpoint does not list here). */
  if (!check_list("cipher suites", &o->ciphers, &p->cipher_suites,
                  server ? tg_offered_suites(ep) : tg_bytes_of(NULL, 0), tg_cipher_suite_name, why,
                  cap) ||
      !check_list("groups", &o->groups, &p->groups,
                  server ? tg_offered_groups(ep) : tg_bytes_of(NULL, 0), tg_group_name, why, cap) ||
      !check_list("signature schemes", &o->sigalgs, &p->sigalgs, tg_bytes_of(NULL, 0),
                  tg_sig_scheme_name, why, cap))
    return false;
  /* A TLS 1.3 key share the target does not take turns the handshake into a HelloRetryRequest. */
  tg_bytes shares = tg_offered_key_shares(ep);
  if (server && ep->max_version >= 0x0304 && o->groups.n == 0 && p->groups.n > 0 && p->tls13 &&
      shares.len > 0 && !any_among(&p->groups, shares))
    return skip(why, cap,
                "the target takes none of the key shares the scenario sends; it would "
                "answer with a HelloRetryRequest");
  if (!check_alpn(p, s, why, cap))
    return false;
  if (!(server ? check_server(p, s, ep, why, cap) : check_client(p, s, why, cap)))
    return false;
  bool offers12 = (ep->min_version ? ep->min_version : ep->max_version) <= 0x0303;
  if (offers12 && o->require_ems != p->require_ems)
    return skip(why, cap, "needs a target that %s extended_master_secret (the profile: %s)",
                o->require_ems ? "requires" : "does not require",
                p->require_ems ? "requires it" : "does not");
  if (o->x509_profile != TG_X509_PROFILE_RFC5280)
    return skip(why, cap,
                "needs a target that validates the scripted side's chain under the %s X.509 "
                "profile; how a live target validates is not known",
                tg_x509_profile_name((tg_x509_profile)o->x509_profile));
  if (o->key_update && !p->key_update)
    return skip(why, cap, "needs a target that sends a KeyUpdate after the handshake");
  if (!server && p->post_handshake_auth && sends_post_handshake_request(s))
    return skip(why, cap,
                "the client offers post_handshake_auth: a CertificateRequest after the "
                "handshake is one it may answer (RFC 8446 4.6.2)");
  if (p->after != TP_ECHO && p->after != TP_ECHO_LINES && !check_not_echoing(p, s, why, cap))
    return false;
  if (p->after == TP_HTTP && server && count_data_steps(s) > 1)
    return skip(why, cap,
                "needs a server that answers more than one request on a connection "
                "(the profile: http)");
  return p->after != TP_HANDSHAKE_ONLY || check_handshake_only(s, why, cap);
}
