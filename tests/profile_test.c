/* Target profiles (harness/profile.c): the loader (every key, the defaults, the null forms, bad
 * files as rows with their LINE:COLUMN), what a command's placeholders make per scenario, the
 * round trip through the writer (profile_write.c) for the shipped profiles and the probe's.
 * profile_check: profile_check_test.c. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "profile_write.h"
#include "scenario.h"

#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Helpers ------------------------------------------------------------------------------- */

static void load_ok(target_profile *p, const char *text) {
  char err[600] = "";
  cr_assert(profile_load_text(p, "t.yaml", text, strlen(text), err, sizeof err), "%s\n%s", err,
            text);
}

/* p as profile_write writes it (malloc'd). */
static char *written(const target_profile *p) {
  char *text = NULL;
  size_t len;
  FILE *f = open_memstream(&text, &len);
  cr_assert_not_null(f);
  profile_write(f, p);
  cr_assert_eq(fclose(f), 0);
  return text;
}

static const char *shown(const char *s) { return s ? s : "(null)"; }

static void same_str(const char *what, const char *field, const char *a, const char *b) {
  bool same = a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
  cr_expect(same, "%s: %s '%s', then '%s'", what, field, shown(a), shown(b));
}

static void same_int(const char *what, const char *field, long a, long b) {
  cr_expect_eq(a, b, "%s: %s %ld, then %ld", what, field, a, b);
}

static void same_list(const char *what, const char *field, const sc_u16_list *a,
                      const sc_u16_list *b) {
  bool same = a->n == b->n && memcmp(a->v, b->v, a->n * sizeof a->v[0]) == 0;
  cr_expect(same, "%s: %s of %zu items (first 0x%04x), then %zu (first 0x%04x)", what, field, a->n,
            a->n ? a->v[0] : 0, b->n, b->n ? b->v[0] : 0);
}

static void same_cert(const char *what, const char *field, const tp_cert *a, const tp_cert *b) {
  same_str(what, field, a->name, b->name);
  same_int(what, field, a->per_scenario, b->per_scenario);
}

/* Every field but file. */
static void expect_same(const target_profile *a, const target_profile *b, const char *what) {
  same_str(what, "name", a->name, b->name);
  same_int(what, "role", a->role, b->role);
  same_str(what, "target", a->target, b->target);
  same_str(what, "command", a->command, b->command);
  same_str(what, "library", a->library, b->library);
  same_int(what, "tls12", a->tls12, b->tls12);
  same_int(what, "tls13", a->tls13, b->tls13);
  same_list(what, "cipher_suites", &a->cipher_suites, &b->cipher_suites);
  same_list(what, "groups", &a->groups, &b->groups);
  same_list(what, "sigalgs", &a->sigalgs, &b->sigalgs);
  same_str(what, "alpn", a->alpn, b->alpn);
  same_int(what, "alpn_per_scenario", a->alpn_per_scenario, b->alpn_per_scenario);
  same_cert(what, "certificate", &a->certificate, &b->certificate);
  same_str(what, "trust_anchor", a->trust_anchor, b->trust_anchor);
  same_str(what, "server_name", a->server_name, b->server_name);
  same_int(what, "client_auth", a->client_auth, b->client_auth);
  same_int(what, "client_auth_per_scenario", a->client_auth_per_scenario,
           b->client_auth_per_scenario);
  same_cert(what, "client_ca", &a->client_ca, &b->client_ca);
  same_cert(what, "trust", &a->trust, &b->trust);
  same_int(what, "verifies", a->verifies, b->verifies);
  same_int(what, "verify_per_scenario", a->verify_per_scenario, b->verify_per_scenario);
  same_cert(what, "verify_name", &a->verify_name, &b->verify_name);
  same_str(what, "sni", a->sni, b->sni);
  same_int(what, "sni_per_scenario", a->sni_per_scenario, b->sni_per_scenario);
  same_cert(what, "client_cert", &a->client_cert, &b->client_cert);
  same_int(what, "tls12_only_per_scenario", a->tls12_only_per_scenario, b->tls12_only_per_scenario);
  same_int(what, "tls13_only_per_scenario", a->tls13_only_per_scenario, b->tls13_only_per_scenario);
  same_int(what, "post_handshake_auth", a->post_handshake_auth, b->post_handshake_auth);
  same_int(what, "after", a->after, b->after);
  same_int(what, "require_ems", a->require_ems, b->require_ems);
  same_int(what, "key_update", a->key_update, b->key_update);
  same_int(what, "timeout_ms", a->timeout_ms, b->timeout_ms);
  same_int(what, "quiet_ms", a->quiet_ms, b->quiet_ms);
}

/* p written and loaded again: the same profile, which writes the same text. */
static void expect_round_trip(const target_profile *p, const char *what) {
  char *text = written(p), err[600] = "";
  target_profile q;
  cr_assert(profile_load_text(&q, what, text, strlen(text), err, sizeof err),
            "%s: what the writer wrote does not load: %s\n%s", what, err, text);
  expect_same(p, &q, what);
  char *again = written(&q);
  cr_expect_str_eq(again, text, "%s: written again, differently", what);
  free(again);
  free(text);
  profile_free(&q);
}

/* ---- Loading: every key -------------------------------------------------------------------- */

static const char full_server[] = "# every key of a server target\n"
                                  "name: full-server\n"
                                  "role: server\n"
                                  "target: tcp://127.0.0.1:4433\n"
                                  "library: openssl\n"
                                  "versions: [tls12, \"1.3\"]\n"
                                  "cipher_suites: [TLS_AES_128_GCM_SHA256, 0xc02b, 4866]\n"
                                  "groups: [x25519, 23]\n"
                                  "signature_schemes: [ecdsa_secp256r1_sha256, 0x0804]\n"
                                  "alpn: [h2, http/1.1]\n"
                                  "certificate: server-rsa\n"
                                  "trust_anchor: /etc/ssl/ca.pem\n"
                                  "server_name: www.server.test\n"
                                  "client_auth: request\n"
                                  "client_ca: root2\n"
                                  "after_handshake: http\n"
                                  "require_ems: yes\n"
                                  "key_update: on\n"
                                  "timeout_ms: 0x1388\n"
                                  "quiet_ms: 250\n";

static const char full_client[] = "name: full-client\n"
                                  "role: client\n"
                                  "command: >-\n"
                                  "  curl --cacert {ca} https://{name}:{port}/\n"
                                  "  {?alpn:--alpn {alpn}}\n"
                                  "library: gnutls\n"
                                  "versions: [1.3]\n"
                                  "cipher_suites: [TLS_CHACHA20_POLY1305_SHA256]\n"
                                  "groups: [secp384r1]\n"
                                  "signature_schemes: [rsa_pss_rsae_sha256]\n"
                                  "alpn: [http/1.1]\n"
                                  "trust: root2\n"
                                  "verify: false\n"
                                  "verify_name: www.server.test\n"
                                  "sni: sni.server.test\n"
                                  "client_certificate: client-rsa\n"
                                  "after_handshake: speaks_first\n"
                                  "require_ems: false\n"
                                  "key_update: false\n"
                                  "post_handshake_auth: true\n"
                                  "timeout_ms: 3600000\n"
                                  "quiet_ms: 1\n";

Test(profile_load, every_key_of_a_server) {
  target_profile p;
  load_ok(&p, full_server);
  cr_expect_str_eq(p.file, "t.yaml");
  cr_expect_str_eq(p.name, "full-server");
  cr_expect_eq(p.role, SC_TARGET_SERVER);
  cr_expect_str_eq(p.target, "tcp://127.0.0.1:4433");
  cr_expect_null(p.command);
  cr_expect_str_eq(p.library, "openssl");
  cr_expect(p.tls12 && p.tls13);
  sc_u16_list suites = {3, {0x1301, 0xc02b, 0x1302}}, groups = {2, {0x001d, 0x0017}},
              sigalgs = {2, {0x0403, 0x0804}};
  same_list("server", "cipher_suites", &p.cipher_suites, &suites);
  same_list("server", "groups", &p.groups, &groups);
  same_list("server", "signature_schemes", &p.sigalgs, &sigalgs);
  cr_expect_str_eq(p.alpn, "h2,http/1.1");
  cr_expect_str_eq(p.certificate.name, "server-rsa");
  cr_expect_str_eq(p.trust_anchor, "/etc/ssl/ca.pem");
  cr_expect_str_eq(p.server_name, "www.server.test");
  cr_expect_eq(p.client_auth, TP_AUTH_REQUEST);
  cr_expect_str_eq(p.client_ca.name, "root2");
  cr_expect_eq(p.after, TP_HTTP);
  cr_expect(p.require_ems && p.key_update);
  cr_expect_eq(p.timeout_ms, 5000);
  cr_expect_eq(p.quiet_ms, 250);
  /* Nothing per scenario without a command; no client keys. */
  cr_expect(!p.certificate.per_scenario && !p.client_ca.per_scenario && !p.alpn_per_scenario &&
            !p.client_auth_per_scenario && !p.tls12_only_per_scenario &&
            !p.tls13_only_per_scenario && !p.sni_per_scenario);
  cr_expect(p.trust.name == NULL && p.verify_name.name == NULL && p.sni == NULL &&
            p.client_cert.name == NULL && p.verifies);
  profile_free(&p);
}

Test(profile_load, every_key_of_a_client) {
  target_profile p;
  load_ok(&p, full_client);
  cr_expect_str_eq(p.name, "full-client");
  cr_expect_eq(p.role, SC_TARGET_CLIENT);
  cr_expect_null(p.target);
  cr_expect_str_eq(p.command, "curl --cacert {ca} https://{name}:{port}/ {?alpn:--alpn {alpn}}");
  cr_expect_str_eq(p.library, "gnutls");
  cr_expect(!p.tls12 && p.tls13);
  sc_u16_list suites = {1, {0x1303}}, groups = {1, {0x0018}}, sigalgs = {1, {0x0804}};
  same_list("client", "cipher_suites", &p.cipher_suites, &suites);
  same_list("client", "groups", &p.groups, &groups);
  same_list("client", "signature_schemes", &p.sigalgs, &sigalgs);
  cr_expect_str_eq(p.alpn, "http/1.1");
  cr_expect(p.alpn_per_scenario);
  cr_expect_str_eq(p.trust.name, "root2");
  cr_expect(p.trust.per_scenario, "{ca} in a client's command: its trust per scenario");
  cr_expect(!p.verifies);
  cr_expect_str_eq(p.verify_name.name, "www.server.test");
  cr_expect(p.verify_name.per_scenario, "{name}");
  cr_expect_str_eq(p.sni, "sni.server.test");
  cr_expect_str_eq(p.client_cert.name, "client-rsa");
  cr_expect(!p.client_cert.per_scenario);
  cr_expect_eq(p.after, TP_SPEAKS_FIRST);
  cr_expect(!p.require_ems && !p.key_update);
  cr_expect_eq(p.timeout_ms, 3600000);
  cr_expect_eq(p.quiet_ms, 1);
  cr_expect(!p.client_ca.per_scenario, "{ca} is not the client CA of a client");
  profile_free(&p);
}

Test(profile_load, enum_values) {
  static const struct {
    const char *line;
    size_t off;
    int want;
  } rows[] = {
      {"after_handshake: echo", offsetof(target_profile, after), TP_ECHO},
      {"after_handshake: http", offsetof(target_profile, after), TP_HTTP},
      {"after_handshake: speaks_first", offsetof(target_profile, after), TP_SPEAKS_FIRST},
      {"after_handshake: handshake_only", offsetof(target_profile, after), TP_HANDSHAKE_ONLY},
      {"after_handshake: echo_lines", offsetof(target_profile, after), TP_ECHO_LINES},
      {"client_auth: none", offsetof(target_profile, client_auth), TP_AUTH_NONE},
      {"client_auth: request", offsetof(target_profile, client_auth), TP_AUTH_REQUEST},
      {"client_auth: require", offsetof(target_profile, client_auth), TP_AUTH_REQUIRE},
  };
  for (size_t i = 0; i < N_ROWS(rows); i++) {
    char text[200];
    snprintf(text, sizeof text, "name: x\nrole: server\n%s\n", rows[i].line);
    target_profile p;
    load_ok(&p, text);
    int got = *(const int *)((const char *)&p + rows[i].off); /* both enums are int-sized */
    cr_expect_eq(got, rows[i].want, "%s: %d", rows[i].line, got);
    profile_free(&p);
  }
  static const char *const versions[] = {"[1.2]", "[\"1.2\"]", "[tls12]", "[1.3]", "[tls13]"};
  for (size_t i = 0; i < N_ROWS(versions); i++) {
    char text[200];
    snprintf(text, sizeof text, "name: x\nrole: client\nversions: %s\n", versions[i]);
    target_profile p;
    load_ok(&p, text);
    bool twelve = i < 3;
    cr_expect(p.tls12 == twelve && p.tls13 == !twelve, "versions: %s", versions[i]);
    profile_free(&p);
  }
}

Test(profile_load, defaults) {
  target_profile p;
  load_ok(&p, "name: x\nrole: client\n");
  cr_expect(p.tls12 && p.tls13, "versions: both");
  cr_expect_str_eq(p.trust_anchor, "root");
  cr_expect_str_eq(p.server_name, "server.test");
  cr_expect(p.verifies);
  cr_expect_eq(p.quiet_ms, TP_DEFAULT_QUIET_MS);
  cr_expect_eq(p.timeout_ms, 0);
  cr_expect_eq(p.after, TP_ECHO);
  cr_expect_eq(p.client_auth, TP_AUTH_NONE);
  cr_expect(p.cipher_suites.n == 0 && p.groups.n == 0 && p.sigalgs.n == 0, "lists: not known");
  cr_expect(p.target == NULL && p.command == NULL && p.library == NULL && p.alpn == NULL &&
            p.sni == NULL);
  cr_expect(p.certificate.name == NULL && p.client_ca.name == NULL && p.trust.name == NULL &&
            p.verify_name.name == NULL && p.client_cert.name == NULL);
  cr_expect(!p.require_ems && !p.key_update);
  profile_free(&p);
}

/* The string keys; trust_anchor and server_name have defaults (below). */
static const struct str_key {
  const char *key;
  size_t off;
} str_keys[] = {
    {"target", offsetof(target_profile, target)},
    {"command", offsetof(target_profile, command)},
    {"library", offsetof(target_profile, library)},
    {"certificate", offsetof(target_profile, certificate.name)},
    {"client_ca", offsetof(target_profile, client_ca.name)},
    {"trust", offsetof(target_profile, trust.name)},
    {"verify_name", offsetof(target_profile, verify_name.name)},
    {"sni", offsetof(target_profile, sni)},
    {"client_certificate", offsetof(target_profile, client_cert.name)},
    {"trust_anchor", offsetof(target_profile, trust_anchor)},
    {"server_name", offsetof(target_profile, server_name)},
};

static const char *str_at(const target_profile *p, size_t off) {
  return *(char *const *)((const char *)p + off);
}

Test(profile_load, null_forms) {
  static const char *const nulls[] = {" ~", "", " null", " Null", " NULL"};
  for (size_t k = 0; k < N_ROWS(str_keys); k++) {
    const char *dflt = strcmp(str_keys[k].key, "trust_anchor") == 0  ? "root"
                       : strcmp(str_keys[k].key, "server_name") == 0 ? "server.test"
                                                                     : NULL;
    for (size_t i = 0; i < N_ROWS(nulls); i++) {
      char text[200];
      snprintf(text, sizeof text, "name: x\nrole: server\n%s:%s\n", str_keys[k].key, nulls[i]);
      target_profile p;
      load_ok(&p, text);
      const char *got = str_at(&p, str_keys[k].off);
      if (dflt == NULL)
        cr_expect_null(got, "%s:%s is '%s'", str_keys[k].key, nulls[i], got);
      else
        cr_expect(got != NULL && strcmp(got, dflt) == 0, "%s:%s is '%s', not the default",
                  str_keys[k].key, nulls[i], shown(got));
      profile_free(&p);
    }
    /* Quoted, they are strings. */
    static const char *const quoted[] = {"\"~\"", "''", "'null'"}, *const want[] = {"~", "",
                                                                                    "null"};
    for (size_t i = 0; i < N_ROWS(quoted); i++) {
      char text[200];
      snprintf(text, sizeof text, "name: x\nrole: server\n%s: %s\n", str_keys[k].key, quoted[i]);
      if (strcmp(str_keys[k].key, "target") == 0)
        continue; /* not tcp:// */
      target_profile p;
      load_ok(&p, text);
      const char *got = str_at(&p, str_keys[k].off);
      cr_expect(got != NULL && strcmp(got, want[i]) == 0, "%s: %s is '%s'", str_keys[k].key,
                quoted[i], shown(got));
      profile_free(&p);
    }
  }
}

/* A null target with a command is no conflict. */
Test(profile_load, null_target_beside_a_command) {
  target_profile p;
  load_ok(&p, "name: x\nrole: server\ntarget: ~\ncommand: srv {port}\n");
  cr_expect_null(p.target);
  cr_expect_str_eq(p.command, "srv {port}");
  profile_free(&p);
}

Test(profile_load, from_a_file) {
  target_profile p;
  char err[600] = "";
  const char *path = TG_SOURCE_DIR "/vectors/targets/openssl-s_server.yaml";
  cr_assert(profile_load(&p, path, err, sizeof err), "%s", err);
  cr_expect_str_eq(p.file, path);
  cr_expect_str_eq(p.name, "openssl-s_server");
  cr_expect_eq(p.after, TP_HANDSHAKE_ONLY);
  profile_free(&p);
  cr_expect(!profile_load(&p, TG_SOURCE_DIR "/vectors/targets/none.yaml", err, sizeof err));
  cr_expect_str_eq(err, TG_SOURCE_DIR "/vectors/targets/none.yaml: No such file or directory");
  cr_expect(p.name == NULL && p.file == NULL, "nothing to free after a failure");
}

/* ---- Loading: bad files -------------------------------------------------------------------- */

#define HEAD "name: x\nrole: server\n" /* lines 1-2 */

static const struct bad {
  const char *yaml;
  const char *where; /* "LINE:COLUMN" */
  const char *word;
} bad[] = {
    {HEAD "bogus: 1\n", "3:1", "unknown key 'bogus' in profile"},
    {HEAD "[a]: 1\n", "3:1", "a key of profile must be a plain string"},
    {HEAD "name: y\n", "3:1", "duplicate key 'name'"},
    {HEAD "versions: \"1.3\"\n", "3:11", "expected a list, found"},
    {HEAD "library: [a]\n", "3:10", "expected a scalar, found"},
    {HEAD "client_ca: {name: root}\n", "3:12", "expected a scalar, found"},
    {HEAD "require_ems: maybe\n", "3:14", "expected true or false, found 'maybe'"},
    {HEAD "quiet_ms: soon\n", "3:11", "expected a number from 0 to 3600000, found 'soon'"},
    {HEAD "timeout_ms: 3600001\n", "3:13", "expected a number from 0 to 3600000"},
    {HEAD "timeout_ms: -1\n", "3:13", "expected a number"},
    {HEAD "versions: [1.2, 1.4]\n", "3:17", "unknown version '1.4'"},
    {HEAD "versions: [\"1.2\", [1.3]]\n", "3:19", "expected a scalar"},
    {HEAD "versions: []\n", "3:11", "versions: at least one of 1.2 and 1.3"},
    {HEAD "cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_NOPE]\n", "3:41",
     "unknown cipher suite 'TLS_NOPE'"},
    {HEAD "groups: [x25519, 70000]\n", "3:18", "unknown group '70000'"},
    {HEAD "signature_schemes: rsa_pss_rsae_sha256\n", "3:20", "expected a list"},
    {HEAD "alpn: [h2, \"a,b\"]\n", "3:12", "alpn: a protocol name without commas"},
    {HEAD "alpn: [\"\"]\n", "3:8", "alpn: a protocol name"},
    {"name: x\nrole: router\n", "2:7", "'router' is not one of server, client"},
    {"name: x\nrole: [server]\n", "2:7", "expected a scalar"},
    {HEAD "client_auth: sometimes\n", "3:14", "'sometimes' is not one of none, request, require"},
    {HEAD "after_handshake: chat\n", "3:18",
     "'chat' is not one of echo, http, speaks_first, handshake_only, echo_lines"},
    {HEAD "target: http://127.0.0.1:443\n", "3:9", "target: is tcp://HOST:PORT"},
    {HEAD "target: 127.0.0.1:443\n", "3:9", "target: is tcp://HOST:PORT"},
    {"# a comment\nname: x\nrole: server\ntarget: tcp://127.0.0.1:1\ncommand: srv\n", "2:1",
     "target: and command: exclude each other"},
    {"role: server\n", "1:1", "a profile needs name: and role:"},
    {"# x\n\nname: x\n", "3:1", "a profile needs name: and role:"},
    {"", "1:1", "an empty file"},
    {"# only a comment\n", "1:1", "an empty file"},
    {"- name: x\n", "1:1", "expected a mapping, found"},
    {HEAD "alpn: [h2\n", "4:1",
     "YAML: did not find expected ',' or ']' (while parsing a flow "
     "sequence at 3:7)"},
    {"name: x\nrole: \"server\n", "3:1", "YAML: found unexpected end of stream"},
    {"name: x\n\trole: server\n", "2:1", "YAML: found a tab character that violates indentation"},
    {"name: x\nrole: server\nsni: a\xff\n", "3:7", "YAML"},
    {HEAD "sni: \"a\\0b\"\n", "3:6", "a NUL character is not allowed here"},
};

Test(profile_load, bad_files) {
  for (size_t i = 0; i < N_ROWS(bad); i++) {
    target_profile p;
    char err[600] = "", prefix[32];
    bool ok = profile_load_text(&p, "t.yaml", bad[i].yaml, strlen(bad[i].yaml), err, sizeof err);
    cr_expect(!ok, "row %zu loaded:\n%s", i, bad[i].yaml);
    if (ok) {
      profile_free(&p);
      continue;
    }
    snprintf(prefix, sizeof prefix, "t.yaml:%s: ", bad[i].where);
    cr_expect(strncmp(err, prefix, strlen(prefix)) == 0, "row %zu: want %s, got '%s'", i, prefix,
              err);
    cr_expect(strstr(err, bad[i].word) != NULL, "row %zu: want '%s' in '%s'", i, bad[i].word, err);
    cr_expect(p.file == NULL && p.name == NULL && p.command == NULL,
              "row %zu: a failed load left something to free", i);
  }
}

/* A null name (`name: ~`, a bare `name:`) is an error: a profile without one would be written
 * without `name:`, and what is written would not load. */
Test(profile_load, a_null_name_is_an_error) {
  static const char *const texts[] = {"name: ~\nrole: server\n", "name:\nrole: server\n"};
  for (size_t i = 0; i < N_ROWS(texts); i++) {
    target_profile p;
    char err[600] = "";
    bool ok = profile_load_text(&p, "t.yaml", texts[i], strlen(texts[i]), err, sizeof err);
    cr_expect(!ok, "'%s' loaded (name %s)", texts[i], ok ? shown(p.name) : "-");
    cr_expect(ok || strncmp(err, "t.yaml:1:", 9) == 0, "%s", err);
    if (ok)
      profile_free(&p);
  }
}

/* Each ALPN protocol name is 1-255 bytes (the scenario loader's rule), not only the total. */
Test(profile_load, an_alpn_name_over_255_bytes_is_an_error) {
  char text[400] = HEAD "alpn: [";
  size_t n = strlen(text);
  memset(text + n, 'a', 256);
  snprintf(text + n + 256, sizeof text - n - 256, "]\n");
  target_profile p;
  char err[600] = "";
  bool ok = profile_load_text(&p, "t.yaml", text, strlen(text), err, sizeof err);
  cr_expect(!ok, "a 256-byte protocol name loaded");
  cr_expect(ok || strstr(err, "t.yaml:3:8: alpn:") == err, "%s", err);
  if (ok)
    profile_free(&p);
}

/* A profile given as text is bounded as a file is: under the top mapping (level 1), 100 nested
 * lists stop at the 64th, column 70. */
Test(profile_load, nesting_deeper_than_64_is_an_error) {
  char text[300] = HEAD "alpn: ";
  size_t n = strlen(text);
  memset(text + n, '[', 100);
  memset(text + n + 100, ']', 100);
  text[n + 200] = '\n';
  target_profile p;
  char err[600] = "";
  bool ok = profile_load_text(&p, "t.yaml", text, strlen(text), err, sizeof err);
  cr_expect(!ok, "100 nested lists loaded");
  cr_expect(ok || strstr(err, "t.yaml:3:70: nested deeper than 64 levels") == err, "%s", err);
  if (ok)
    profile_free(&p);
}

/* ---- What a command takes per scenario ----------------------------------------------------- */

/* The per-scenario settings, by name, in a fixed order. */
static const char *per_scenario(const target_profile *p) {
  static char out[200];
  const struct {
    const char *name;
    bool on;
  } f[] = {{"certificate", p->certificate.per_scenario},
           {"client_ca", p->client_ca.per_scenario},
           {"client_auth", p->client_auth_per_scenario},
           {"client_cert", p->client_cert.per_scenario},
           {"trust", p->trust.per_scenario},
           {"verify_name", p->verify_name.per_scenario},
           {"verify", p->verify_per_scenario},
           {"sni", p->sni_per_scenario},
           {"alpn", p->alpn_per_scenario},
           {"tls12_only", p->tls12_only_per_scenario},
           {"tls13_only", p->tls13_only_per_scenario}};
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; i < N_ROWS(f); i++)
    if (f[i].on)
      n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? " " : "", f[i].name);
  return out;
}

static const struct cmd_row {
  sc_role role;
  const char *cmd;
  const char *want;
} cmd_rows[] = {
    {SC_TARGET_SERVER, "srv --cert {cert} --key {key}", "certificate"},
    {SC_TARGET_SERVER, "srv --ca {ca}", "client_ca"},
    {SC_TARGET_SERVER, "srv --name {name}", ""},
    {SC_TARGET_SERVER, "srv {sni}", "sni"},
    {SC_TARGET_SERVER, "srv {?require_client_cert:--verify}", "client_auth"},
    {SC_TARGET_SERVER, "srv {!require_client_cert:--no-verify}", "client_auth"},
    {SC_TARGET_SERVER, "srv {?alpn:--alpn {alpn}}", "alpn"},
    {SC_TARGET_SERVER, "srv {?no_verify:-k}", "verify"},
    {SC_TARGET_SERVER, "srv {?tls12_only:-2}", "tls12_only"},
    {SC_TARGET_SERVER, "srv {?tls13_only:-3}", "tls13_only"},
    {SC_TARGET_SERVER, "srv {!tls13_only:-2}", ""},
    {SC_TARGET_SERVER, "srv {!tls12_only:-3}", ""},
    {SC_TARGET_SERVER, "srv {alpn} {?alpn} {cert {ca {?cert:-x} {?min_tls12:-m} {port}", ""},
    {SC_TARGET_CLIENT, "cli --cert {cert}", "client_cert"},
    {SC_TARGET_CLIENT, "cli --ca {ca}", "trust"},
    {SC_TARGET_CLIENT, "cli --name {name}", "verify_name"},
    {SC_TARGET_CLIENT, "cli --sni {sni}", "sni"},
    {SC_TARGET_CLIENT, "cli {?require_client_cert:-r}", "client_auth"},
    {SC_TARGET_CLIENT, "cli {?alpn:--alpn {alpn}}", "alpn"},
    {SC_TARGET_CLIENT, "cli {?no_verify:--insecure}", "verify"},
    {SC_TARGET_CLIENT, "cli {!no_verify:--ca {ca}}", "trust verify"},
    {SC_TARGET_CLIENT, "cli {?tls12_only:-2}", "tls12_only"},
    {SC_TARGET_CLIENT, "cli {!tls13_only:-2}", ""},
    {SC_TARGET_CLIENT, "cli {?cert:-c} {alpn} {host}:{port}", ""},
    {SC_TARGET_CLIENT,
     "cli {cert} {ca} {name} {sni} {?require_client_cert:} {?alpn:} {!no_verify:} {?tls12_only:}",
     "client_auth client_cert trust verify_name verify sni alpn tls12_only"},
    {SC_TARGET_SERVER,
     "srv {cert} {ca} {name} {sni} {!require_client_cert:} {?alpn:} {?no_verify:} {!tls13_only:}",
     "certificate client_ca client_auth verify sni alpn"},
};

Test(profile_set_command, per_scenario_settings) {
  for (size_t i = 0; i < N_ROWS(cmd_rows); i++) {
    const struct cmd_row *r = &cmd_rows[i];
    target_profile p = {.role = r->role};
    profile_set_command(&p, r->cmd);
    cr_expect_str_eq(p.command, r->cmd);
    cr_expect(p.command != r->cmd, "a copy");
    cr_expect_str_eq(per_scenario(&p), r->want, "%s (%s)", r->cmd,
                     r->role == SC_TARGET_SERVER ? "server" : "client");
    /* The same through the loader. */
    char text[400];
    snprintf(text, sizeof text, "name: x\nrole: %s\ncommand: \"%s\"\n",
             r->role == SC_TARGET_SERVER ? "server" : "client", r->cmd);
    target_profile q;
    load_ok(&q, text);
    cr_expect_str_eq(per_scenario(&q), r->want, "loaded: %s", r->cmd);
    profile_free(&q);
    /* No command: nothing per scenario. */
    profile_set_command(&p, NULL);
    cr_expect_null(p.command);
    cr_expect_str_eq(per_scenario(&p), "", "after NULL: %s", per_scenario(&p));
    profile_free(&p);
  }
}

/* What {cert} and {ca} stand for depends on the role, whichever key comes first. */
Test(profile_set_command, role_first) {
  target_profile p;
  load_ok(&p, "command: cli {cert} {ca}\nname: x\nrole: client\n");
  cr_expect_str_eq(per_scenario(&p), "client_cert trust");
  profile_free(&p);
}

/* run --target-cmd replaces the profile's command: the settings follow the new one. */
Test(profile_set_command, a_new_command_replaces_the_settings) {
  target_profile p;
  load_ok(&p, "name: x\nrole: server\ncommand: srv {cert} {?alpn:-a}\n");
  cr_expect_str_eq(per_scenario(&p), "certificate alpn");
  profile_set_command(&p, "srv2 {ca}");
  cr_expect_str_eq(p.command, "srv2 {ca}");
  cr_expect_str_eq(per_scenario(&p), "client_ca");
  profile_set_command(&p, p.command); /* the same string: kept */
  cr_expect_str_eq(p.command, "srv2 {ca}");
  profile_free(&p);
}

/* ---- The round trip through the writer ------------------------------------------------------ */

Test(profile_round_trip, every_key) {
  const char *texts[] = {full_server, full_client};
  for (size_t i = 0; i < N_ROWS(texts); i++) {
    target_profile p;
    load_ok(&p, texts[i]);
    expect_round_trip(&p, i ? "full_client" : "full_server");
    profile_free(&p);
  }
}

Test(profile_round_trip, shipped_targets) {
  const char *dir = TG_SOURCE_DIR "/vectors/targets";
  DIR *d = opendir(dir);
  cr_assert_not_null(d, "%s", dir);
  struct dirent *e;
  size_t n = 0;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
      continue;
    char path[1024], err[600] = "";
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    target_profile p;
    cr_assert(profile_load(&p, path, err, sizeof err), "%s", err);
    cr_expect(p.command != NULL && p.cipher_suites.n > 0 && p.library != NULL, "%s", path);
    expect_round_trip(&p, e->d_name);
    profile_free(&p);
    n++;
  }
  closedir(d);
  cr_expect_geq(n, 4, "%zu profiles in %s", n, dir);
}

/* Strings and code points the writer has to quote or number. */
Test(profile_round_trip, odd_values) {
  target_profile p = {.name = "1.2",
                      .role = SC_TARGET_CLIENT,
                      .library = "yes",
                      .tls13 = true,
                      .cipher_suites = {2, {0x00ff, 0x1301}},
                      .groups = {2, {0x1234, 0x001d}},
                      .sigalgs = {1, {0xfefe}},
                      .alpn = "h2,x y,#z,-d,\"q\"",
                      .trust_anchor = "~",
                      .server_name = "null",
                      .trust = {.name = "/abs/ca.pem"},
                      .verifies = true,
                      .verify_name = {.name = "*.wild.test"},
                      .sni = "\xc3\xbcn\xc3\xaf.test",
                      .client_cert = {.name = "client: rsa"},
                      .after = TP_ECHO_LINES,
                      .require_ems = true,
                      .key_update = true,
                      .timeout_ms = 1,
                      .quiet_ms = 3600000};
  /* Its own copy, and the settings it implies ({cert}: the client certificate per scenario). */
  profile_set_command(&p, "sh -c 'echo \"{port}\" {cert} # not a comment'\n\tnext: line\\");
  cr_expect(p.client_cert.per_scenario);
  expect_round_trip(&p, "odd values");
  free(p.command);
}

/* Server keys in a client profile, and client keys in a server's, come back too. */
Test(profile_round_trip, the_other_roles_keys) {
  target_profile p;
  load_ok(&p, "name: x\nrole: server\nsni: a.test\nclient_certificate: client\nverify: false\n"
              "trust: root2\nverify_name: other.test\n");
  expect_round_trip(&p, "server with client keys");
  profile_free(&p);
  load_ok(&p, "name: x\nrole: client\ncertificate: server\nclient_auth: require\n"
              "client_ca: root2\ntrust_anchor: root2\n");
  expect_round_trip(&p, "client with server keys");
  profile_free(&p);
}

/* What `tlsgauntlet probe` wrote (tests/cli/probe.sh's servers: the builtin peer echoing, TLS 1.2
 * and 1.3, ALPN h2; then with an untrusted chain, requiring a client certificate), its port
 * made 4433. */
static const char probe_echo[] =
    "# A target profile written by tlsgauntlet probe tcp://127.0.0.1:4433 (34 handshakes in 0.3 "
    "s).\n"
    "name: \"127.0.0.1:4433\"\n"
    "role: server\n"
    "target: tcp://127.0.0.1:4433\n"
    "versions: [\"1.2\", \"1.3\"]\n"
    "cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, "
    "TLS_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]\n"
    "groups: [secp256r1, secp384r1, x25519]\n"
    "# those it signed with when offered alone: in the TLS 1.3 CertificateVerify; rsa_pkcs1_*\n"
    "# in the TLS 1.2 ServerKeyExchange\n"
    "signature_schemes: [ecdsa_secp256r1_sha256]\n"
    "# h2 and http/1.1 offered alone each: the ones it selected\n"
    "alpn: [h2]\n"
    "# the leaf: subject CN=server.test; subjectAltName DNS:server.test, DNS:*.wild.test\n"
    "certificate: server\n"
    "trust_anchor: root\n"
    "server_name: server.test\n"
    "client_auth: none\n"
    "# it sent back the line \"tlsgauntlet-probe\"\n"
    "after_handshake: echo\n"
    "# not probed: whether it refuses a TLS 1.2 client without extended_master_secret (the\n"
    "# probe always offers it)\n"
    "require_ems: false\n"
    "# not probed: whether it sends a KeyUpdate after the handshake\n"
    "key_update: false\n"
    "timeout_ms: 5000\n";

static const char probe_untrusted[] =
    "# A target profile written by tlsgauntlet probe tcp://127.0.0.1:4433 (20 handshakes in 0.0 "
    "s).\n"
    "name: \"127.0.0.1:4433\"\n"
    "role: server\n"
    "target: tcp://127.0.0.1:4433\n"
    "versions: [\"1.3\"]\n"
    "cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, "
    "TLS_CHACHA20_POLY1305_SHA256]\n"
    "groups: [secp256r1, secp384r1, x25519]\n"
    "# those it signed with when offered alone: in the TLS 1.3 CertificateVerify\n"
    "signature_schemes: [ecdsa_secp256r1_sha256]\n"
    "# h2 and http/1.1 offered alone each: it selected neither (it may be configured with "
    "others)\n"
    "alpn: []\n"
    "# the leaf: subject CN=server.test; subjectAltName DNS:server.test\n"
    "certificate: untrusted\n"
    "# the chain it sends (2 certificates) is issued by CN=tlsgauntlet root2, O=tlsgauntlet\n"
    "# and does not verify against vectors/scenarios/certs/root.pem:\n"
    "# unknown_issuer: no certificate issued by a trust anchor leads to the leaf (issuer "
    "CN=tlsgauntlet inter2, O=tlsgauntlet)\n"
    "trust_anchor: ~ # fill in: the PEM file (or vectors/scenarios/certs name) its chain verifies "
    "against\n"
    "server_name: server.test\n"
    "# it sent a CertificateRequest and ended the handshake when no certificate came\n"
    "client_auth: require\n"
    "# client_ca: not known (which CA it trusts for client certificates: a "
    "vectors/scenarios/certs name)\n"
    "# not probed: it ends the connection without a client certificate (client_auth:\n"
    "# require); set it by hand\n"
    "after_handshake: handshake_only\n"
    "# not probed: whether it refuses a TLS 1.2 client without extended_master_secret (the\n"
    "# probe always offers it)\n"
    "require_ems: false\n"
    "# not probed: whether it sends a KeyUpdate after the handshake\n"
    "key_update: false\n"
    "timeout_ms: 5000\n";

Test(profile_round_trip, what_the_probe_writes) {
  target_profile p;
  load_ok(&p, probe_echo);
  cr_expect_str_eq(p.name, "127.0.0.1:4433");
  cr_expect(p.tls12 && p.tls13 && p.cipher_suites.n == 6 && p.groups.n == 3 && p.sigalgs.n == 1);
  cr_expect_str_eq(p.alpn, "h2");
  cr_expect_str_eq(p.certificate.name, "server");
  cr_expect(p.after == TP_ECHO && p.timeout_ms == 5000);
  expect_round_trip(&p, "probe_echo");
  profile_free(&p);

  load_ok(&p, probe_untrusted);
  cr_expect(!p.tls12 && p.tls13);
  cr_expect_null(p.alpn, "alpn: [] is none");
  cr_expect_str_eq(p.certificate.name, "untrusted");
  /* `~ # fill in` is null, and null is the default. */
  cr_expect_str_eq(p.trust_anchor, "root");
  cr_expect_null(p.client_ca.name);
  cr_expect(p.client_auth == TP_AUTH_REQUIRE && p.after == TP_HANDSHAKE_ONLY);
  cr_expect_eq(p.quiet_ms, TP_DEFAULT_QUIET_MS, "not written: the default");
  expect_round_trip(&p, "probe_untrusted");
  profile_free(&p);
}

/* The probe's profile as profile_write_notes writes it from the probe's struct (strings it
 * owns, notes beside the keys, what it could not learn left NULL). */
Test(profile_round_trip, the_probes_struct_with_notes) {
  target_profile p = {.name = "[::1]:4433",
                      .role = SC_TARGET_SERVER,
                      .target = "tcp://[::1]:4433",
                      .tls13 = true,
                      .cipher_suites = {1, {0x1301}},
                      .groups = {1, {0x001d}},
                      .sigalgs = {1, {0x0807}},
                      .alpn = "http/1.1",
                      .server_name = "localhost",
                      .client_auth = TP_AUTH_REQUEST,
                      .after = TP_HANDSHAKE_ONLY,
                      .timeout_ms = 5000,
                      .quiet_ms = 300};
  static const profile_note notes[] = {
      {"", "A target profile written by tlsgauntlet probe tcp://[::1]:4433"},
      {"certificate", "the leaf: subject CN=localhost"},
      {"trust_anchor", "the chain it sends does not verify:\nunknown_issuer"},
      {"client_auth", "it sent a CertificateRequest"},
      {"key_update", "not probed"}};
  char *text = NULL;
  size_t len;
  FILE *f = open_memstream(&text, &len);
  cr_assert_not_null(f);
  profile_write_notes(f, &p, notes, N_ROWS(notes));
  cr_assert_eq(fclose(f), 0);
  target_profile q;
  load_ok(&q, text);
  /* What the loader makes of what the writer leaves to it: `trust_anchor: ~` is the default,
   * and a server's profile has no `verify:` (the probe's calloc'd struct says false). */
  p.trust_anchor = "root";
  p.verifies = true;
  expect_same(&p, &q, "the probe's struct");
  expect_round_trip(&q, "the probe's struct, loaded");
  profile_free(&q);
  free(text);
}

/* U+0085 (NEL, C2 85) is a YAML line break, which a reader folds into a space inside a
 * double-quoted scalar: the writer escapes it as \N so that it comes back. */
Test(profile_round_trip, a_next_line_character) {
  target_profile p;
  load_ok(&p, "name: \"a\\Nb\"\nrole: server\n");
  cr_expect_str_eq(p.name, "a\xc2\x85\x62"); /* a, NEL, b */
  expect_round_trip(&p, "NEL");
  profile_free(&p);
}

/* `library:` is written, so a profile loaded and written again keeps the library whose baseline
 * applies to the target (run.c, vectors/baselines/LIBRARY). */
Test(profile_round_trip, the_library) {
  target_profile p;
  char err[600] = "";
  cr_assert(profile_load(&p, TG_SOURCE_DIR "/vectors/targets/gnutls-serv.yaml", err, sizeof err),
            "%s", err);
  cr_expect_str_eq(p.library, "gnutls");
  char *text = written(&p);
  target_profile q;
  load_ok(&q, text);
  cr_expect_str_eq(shown(q.library), "gnutls", "written:\n%s", text);
  profile_free(&q);
  free(text);
  profile_free(&p);
}

/* quiet_ms is written whenever it is not the default, so `quiet_ms: 0` (a handshake_only target
 * accepted as soon as the handshake completes) comes back as 0. */
Test(profile_round_trip, quiet_ms_zero) {
  target_profile p;
  load_ok(&p, "name: x\nrole: server\nafter_handshake: handshake_only\nquiet_ms: 0\n");
  cr_expect_eq(p.quiet_ms, 0);
  expect_round_trip(&p, "quiet_ms: 0");
  profile_free(&p);
}
