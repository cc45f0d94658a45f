/* fuzz_profile: the input as a target profile (harness/profile.h, vectors/targets/) through the
 * loader; what loads is written (profile_write), loaded again, and checked against fixed
 * scenarios (profile_check). Oracles: no crash, no leak; a failure carries a "fuzz:" location and
 * leaves nothing to free; a loaded profile has a version, its defaults, and a target that is
 * tcp:// and never beside a command; what it writes loads as the same profile, writes the same
 * text again, and meets every scenario of its role as the profile did; a skip says why. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "profile.h"
#include "scenario.h"

/* Two scenarios of each role: one with the defaults, one restricting what it can. */
static const char scenarios[] =
    "scenarios:\n"
    "  - id: s/plain\n"
    "    rfc: R\n"
    "    target: server\n"
    "    endpoint: {min_version: \"1.2\"}\n"
    "    script:\n"
    "      - send: client_hello\n"
    "      - expect: established\n"
    "      - send: key_update\n"
    "      - send: application_data\n"
    "        data: ping\n"
    "      - expect: data\n"
    "        data: ping\n"
    "  - id: s/restricted\n"
    "    rfc: R\n"
    "    target: server\n"
    "    target_options: {min_version: \"1.3\", ciphers: [TLS_AES_128_GCM_SHA256], groups: "
    "[x25519], sigalgs: [ecdsa_secp256r1_sha256], alpn: [h2], cert: server-rsa, "
    "require_client_cert: true, key_update: true}\n"
    "    endpoint: {groups: [x25519, secp256r1], key_shares: [secp256r1], alpn: [h2, http/1.1], "
    "cert: client}\n"
    "    script:\n"
    "      - send: client_hello\n"
    "      - expect: key_update\n"
    "  - id: c/plain\n"
    "    rfc: R\n"
    "    target: client\n"
    "    script:\n"
    "      - expect: established\n"
    "  - id: c/restricted\n"
    "    rfc: R\n"
    "    target: client\n"
    "    target_options: {max_version: \"1.2\", no_verify: true, sni: a.test, cert: client, "
    "alpn: [http/1.1], groups: [secp256r1], require_ems: true}\n"
    "    endpoint: {max_version: \"1.2\"}\n"
    "    script:\n"
    "      - expect: established\n";

static const sc_suite *fixed(void) {
  static sc_suite s;
  static bool loaded;
  if (!loaded) {
    sc_error err = {{0}};
    sc_suite_init(&s);
    TG_FUZZ_ASSERT(
        sc_load_text(&s, "fixed", NULL, (const uint8_t *)scenarios, sizeof scenarios - 1, &err),
        "%s", err.text);
    loaded = true;
  }
  return &s;
}

/* The endpoint's configuration as endpoint_init makes it, but for its certificates: only
 * whether there is a chain matters here. */
typedef struct offer {
  tg_config cfg;
  uint8_t buf[3][2 * SC_MAX_LIST];
} offer;

static tg_bytes wire(uint8_t *buf, const sc_u16_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    buf[2 * i] = (uint8_t)(l->v[i] >> 8);
    buf[2 * i + 1] = (uint8_t)l->v[i];
  }
  return tg_bytes_of(buf, 2 * l->n);
}

static void offer_init(offer *o, const sc_scenario *s) {
  static const tg_cert_chain chain; /* stands for one */
  const sc_endpoint *e = &s->endpoint;
  const char *cert = e->cert ? e->cert : s->target == SC_TARGET_CLIENT ? "server" : NULL;
  o->cfg = (tg_config){.min_version = e->min_version,
                       .max_version = e->max_version ? e->max_version : TG_VERSION_TLS13,
                       .cipher_suites = wire(o->buf[0], &e->cipher_suites),
                       .groups = wire(o->buf[1], &e->groups),
                       .key_share_groups = wire(o->buf[2], &e->key_shares),
                       .chain = cert != NULL && strcmp(cert, "none") != 0 ? &chain : NULL};
}

/* ---- The writer ------------------------------------------------------------------------- */

static char *written(const target_profile *p) {
  char *text = NULL;
  size_t len;
  FILE *f = open_memstream(&text, &len);
  TG_FUZZ_ASSERT(f != NULL, "open_memstream");
  profile_write(f, p);
  TG_FUZZ_ASSERT(fclose(f) == 0 && text != NULL, "writing the profile");
  return text;
}

static bool same_str(const char *a, const char *b) {
  return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool same_list(const sc_u16_list *a, const sc_u16_list *b) {
  return a->n == b->n && memcmp(a->v, b->v, a->n * sizeof a->v[0]) == 0;
}

/* The first field the writer did not carry over, or NULL. Not compared: verifies (a server's
 * profile without client keys has no `verify:`). */
static const char *differs(const target_profile *a, const target_profile *b) {
  const struct {
    const char *what, *x, *y;
  } s[] = {{"name", a->name, b->name},
           {"target", a->target, b->target},
           {"command", a->command, b->command},
           {"library", a->library, b->library},
           {"alpn", a->alpn, b->alpn},
           {"certificate", a->certificate.name, b->certificate.name},
           {"trust_anchor", a->trust_anchor, b->trust_anchor},
           {"server_name", a->server_name, b->server_name},
           {"client_ca", a->client_ca.name, b->client_ca.name},
           {"trust", a->trust.name, b->trust.name},
           {"verify_name", a->verify_name.name, b->verify_name.name},
           {"sni", a->sni, b->sni},
           {"client_certificate", a->client_cert.name, b->client_cert.name}};
  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
    if (!same_str(s[i].x, s[i].y))
      return s[i].what;
  const struct {
    const char *what;
    long x, y;
  } n[] = {{"role", a->role, b->role},
           {"tls12", a->tls12, b->tls12},
           {"tls13", a->tls13, b->tls13},
           {"client_auth", a->client_auth, b->client_auth},
           {"after_handshake", a->after, b->after},
           {"require_ems", a->require_ems, b->require_ems},
           {"key_update", a->key_update, b->key_update},
           {"post_handshake_auth", a->post_handshake_auth, b->post_handshake_auth},
           {"timeout_ms", a->timeout_ms, b->timeout_ms},
           {"quiet_ms", a->quiet_ms, b->quiet_ms}};
  for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
    if (n[i].x != n[i].y)
      return n[i].what;
  if (!same_list(&a->cipher_suites, &b->cipher_suites))
    return "cipher_suites";
  if (!same_list(&a->groups, &b->groups))
    return "groups";
  return same_list(&a->sigalgs, &b->sigalgs) ? NULL : "signature_schemes";
}

/* ---- The target ------------------------------------------------------------------------- */

static void check_all(const target_profile *p, const target_profile *again) {
  const sc_suite *suite = fixed();
  for (size_t i = 0; i < suite->n; i++) {
    const sc_scenario *s = &suite->v[i];
    offer o;
    offer_init(&o, s);
    char why[512] = "", why_again[512] = "";
    bool ok = profile_check(p, s, &o.cfg, why, sizeof why);
    TG_FUZZ_ASSERT(ok || why[0] != '\0', "%s: a skip without a reason", s->id);
    if (again == NULL || s->target != p->role)
      continue;
    bool ok_again = profile_check(again, s, &o.cfg, why_again, sizeof why_again);
    TG_FUZZ_ASSERT(ok == ok_again && strcmp(why, why_again) == 0,
                   "%s: '%s', written and loaded again '%s'", s->id, why, why_again);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  target_profile p, q;
  char err[600] = "";
  if (!profile_load_text(&p, "fuzz", (const char *)data, size, err, sizeof err)) {
    TG_FUZZ_ASSERT(strncmp(err, "fuzz:", 5) == 0, "message without a place: %s", err);
    TG_FUZZ_ASSERT(p.file == NULL && p.name == NULL && p.command == NULL, "a failed load kept");
    return 0;
  }
  TG_FUZZ_ASSERT(p.tls12 || p.tls13, "no version");
  TG_FUZZ_ASSERT(p.role == SC_TARGET_SERVER || p.role == SC_TARGET_CLIENT, "role %d", p.role);
  TG_FUZZ_ASSERT(p.trust_anchor != NULL && p.server_name != NULL, "no default");
  TG_FUZZ_ASSERT(p.target == NULL || (p.command == NULL && strncmp(p.target, "tcp://", 6) == 0),
                 "target %s beside command %s", p.target, p.command ? p.command : "(none)");
  char *text = written(&p);
  TG_FUZZ_ASSERT(profile_load_text(&q, "written", text, strlen(text), err, sizeof err),
                 "what the writer wrote does not load: %s\n%s", err, text);
  const char *field = differs(&p, &q);
  TG_FUZZ_ASSERT(field == NULL, "%s differs once written and loaded:\n%s", field, text);
  char *again = written(&q);
  TG_FUZZ_ASSERT(strcmp(text, again) == 0, "written twice differently:\n%s\n---\n%s", text,
                 again);
  check_all(&p, &q);
  free(again);
  profile_free(&q);
  free(text);
  profile_free(&p);
  return 0;
}
