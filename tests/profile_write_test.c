/* Writing target profiles (harness/profile_write.c): every field that is set comes out under the
 * key the loader reads, strings come out as YAML that reads back as the same string (checked with
 * libyaml), notes sit above their keys, and per-scenario settings are comments. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "profile.h"
#include "profile_write.h"

/* ---- Helpers ------------------------------------------------------------------------------- */

/* The profile as text (static storage, valid until the next call). */
static const char *written(const target_profile *p, const profile_note *notes, size_t n) {
  static char *text;
  size_t len;
  free(text);
  FILE *f = open_memstream(&text, &len);
  cr_assert_not_null(f);
  profile_write_notes(f, p, notes, n);
  fclose(f);
  return text;
}

/* The scalar value of top-level key in a YAML text (static storage), or NULL; the text must
 * parse. *plain (when not NULL): it is a plain scalar, which a reader may take for null, a
 * boolean or a number (libyaml leaves that to its caller). */
static const char *yaml_value_style(const char *text, const char *key, bool *plain) {
  static char value[512];
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
  cr_assert(yaml_parser_load(&parser, &doc), "the profile does not parse: %s\n%s", parser.problem,
            text);
  const char *found = NULL;
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  cr_assert(root != NULL && root->type == YAML_MAPPING_NODE);
  for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top;
       pair++) {
    yaml_node_t *k = yaml_document_get_node(&doc, pair->key);
    yaml_node_t *v = yaml_document_get_node(&doc, pair->value);
    if (strcmp((const char *)k->data.scalar.value, key) == 0 && v->type == YAML_SCALAR_NODE) {
      snprintf(value, sizeof value, "%s", (const char *)v->data.scalar.value);
      found = value;
      if (plain != NULL)
        *plain = v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    }
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return found;
}

static const char *yaml_value(const char *text, const char *key) {
  return yaml_value_style(text, key, NULL);
}

static bool has_line(const char *text, const char *line) {
  size_t n = strlen(line);
  for (const char *p = text; (p = strstr(p, line)) != NULL; p += n)
    if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
      return true;
  return false;
}

static target_profile server_profile(void) {
  target_profile p = {.name = "example",
                      .role = SC_TARGET_SERVER,
                      .target = "tcp://127.0.0.1:4433",
                      .tls12 = true,
                      .tls13 = true,
                      .cipher_suites = {2, {0x1301, 0xc02b}},
                      .groups = {2, {0x001d, 0x0017}},
                      .sigalgs = {1, {0x0403}},
                      .alpn = "h2,http/1.1",
                      .certificate = {.name = "server"},
                      .trust_anchor = "root",
                      .server_name = "server.test",
                      .client_auth = TP_AUTH_REQUEST,
                      .client_ca = {.name = "root"},
                      .after = TP_ECHO,
                      .require_ems = true,
                      .key_update = false,
                      .timeout_ms = 5000,
                      .quiet_ms = 300};
  return p;
}

/* ---- Tests --------------------------------------------------------------------------------- */

Test(profile_write, server_every_field) {
  target_profile p = server_profile();
  const char *t = written(&p, NULL, 0);
  cr_expect_str_eq(t, "name: example\n"
                      "role: server\n"
                      "target: tcp://127.0.0.1:4433\n"
                      "versions: [\"1.2\", \"1.3\"]\n"
                      "cipher_suites: [TLS_AES_128_GCM_SHA256, "
                      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n"
                      "groups: [x25519, secp256r1]\n"
                      "signature_schemes: [ecdsa_secp256r1_sha256]\n"
                      "alpn: [h2, http/1.1]\n"
                      "certificate: server\n"
                      "trust_anchor: root\n"
                      "server_name: server.test\n"
                      "client_auth: request\n"
                      "client_ca: root\n"
                      "after_handshake: echo\n"
                      "require_ems: true\n"
                      "key_update: false\n"
                      "timeout_ms: 5000\n"
                      "quiet_ms: 300\n");
  cr_expect_str_eq(yaml_value(t, "server_name"), "server.test");
}

Test(profile_write, unknowns_are_comments) {
  target_profile p = {.name = "x",
                      .role = SC_TARGET_SERVER,
                      .tls13 = true,
                      .client_auth = TP_AUTH_REQUIRE,
                      .sigalgs = {1, {0xfefe}}};
  const char *t = written(&p, NULL, 0);
  /* Nothing known of the lists: no key, so the loader reads "not known". */
  cr_expect_null(strstr(t, "cipher_suites"), "%s", t);
  cr_expect_null(strstr(t, "\ngroups"), "%s", t);
  cr_expect(has_line(t, "signature_schemes: [65278]"), "%s", t); /* a value without a name */
  cr_expect(has_line(t, "versions: [\"1.3\"]"), "%s", t);
  cr_expect(has_line(t, "alpn: []"), "%s", t);
  cr_expect(strstr(t, "\ntrust_anchor: ~ # fill in") != NULL, "%s", t);
  cr_expect(strstr(t, "\n# certificate: not known") != NULL, "%s", t);
  cr_expect(strstr(t, "\n# client_ca: not known") != NULL, "%s", t);
  cr_expect(has_line(t, "client_auth: require"), "%s", t);
  cr_expect(has_line(t, "after_handshake: echo"), "%s", t);
  cr_expect_null(strstr(t, "timeout_ms"), "%s", t);
  cr_expect_null(strstr(t, "verify"), "no client keys for a server: %s", t);
  bool plain = false;
  const char *anchor = yaml_value_style(t, "trust_anchor", &plain);
  cr_expect(anchor != NULL && strcmp(anchor, "~") == 0 && plain, "trust_anchor: ~ (null)");
}

Test(profile_write, client_command_per_scenario) {
  target_profile p = {.name = "curl",
                      .role = SC_TARGET_CLIENT,
                      .command = "curl -s --cacert {ca} https://{name}:{port}/ {?alpn:--alpn}",
                      .tls12 = true,
                      .tls13 = true,
                      .tls12_only_per_scenario = true,
                      .tls13_only_per_scenario = true,
                      .alpn_per_scenario = true,
                      .trust = {.per_scenario = true},
                      .verifies = true,
                      .verify_name = {.name = "server.test"},
                      .sni = "server.test",
                      .client_cert = {.name = "client"},
                      .after = TP_SPEAKS_FIRST};
  const char *t = written(&p, NULL, 0);
  cr_expect_str_eq(yaml_value(t, "command"), p.command);
  cr_expect_str_eq(yaml_value(t, "role"), "client");
  cr_expect(strstr(t, "\n# versions: restricted per scenario") != NULL, "%s", t);
  cr_expect(strstr(t, "\n# alpn: per scenario") != NULL, "%s", t);
  cr_expect(strstr(t, "\n# trust: per scenario (the command takes {ca})") != NULL, "%s", t);
  cr_expect(has_line(t, "verify: true"), "%s", t);
  cr_expect(has_line(t, "verify_name: server.test"), "%s", t);
  cr_expect(has_line(t, "sni: server.test"), "%s", t);
  cr_expect(has_line(t, "client_certificate: client"), "%s", t);
  cr_expect(has_line(t, "after_handshake: speaks_first"), "%s", t);
  cr_expect_null(strstr(t, "client_auth"), "no server keys for a client: %s", t);
  cr_expect_null(strstr(t, "trust_anchor"), "%s", t);
}

/* Strings that a plain scalar would turn into something else come back unchanged. */
Test(profile_write, strings_read_back) {
  static const char *const names[] = {
      "1.2",   "true",       "No",        "~",      "null",      "a: b",         "#hash",
      "x #y",  "{port}",     "[1]",       "- item", "",          "say \"hi\"",   "back\\slash",
      "tab\t", "line\nfeed", "trailing:", "@at",    "*star",     "&anchor",      "!tag",
      "%pct",  "`tick`",     "'single'",  "0x1f",   "127.0.0.1", "::1",          "ünï",
      "a,b",   " lead",      "trail ",    "h2",     "http/1.1",  "localhost:443"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    target_profile p = {.name = (char *)names[i], .role = SC_TARGET_SERVER};
    bool plain = true;
    const char *value = yaml_value_style(written(&p, NULL, 0), "name", &plain);
    cr_expect(value != NULL && strcmp(value, names[i]) == 0, "'%s' came back as '%s'", names[i],
              value ? value : "(nothing)");
    /* A word or number a reader would resolve is quoted. */
    if (i < 5 || strcmp(names[i], "0x1f") == 0 || strcmp(names[i], "127.0.0.1") == 0)
      cr_expect(!plain, "'%s' is written plain", names[i]);
  }
}

Test(profile_write, notes_above_their_keys) {
  target_profile p = server_profile();
  p.trust_anchor = NULL;
  p.client_auth = TP_AUTH_NONE;
  p.client_ca = (tp_cert){0};
  static const profile_note notes[] = {
      {"", "top line"},
      {"trust_anchor", "issued by CN=x\nfill it in"},
      {"client_ca", "a key that is not written"},
      {"alpn", "first"},
      {"alpn", "second"},
  };
  const char *t = written(&p, notes, sizeof notes / sizeof notes[0]);
  cr_expect(strncmp(t, "# top line\nname: example\n", 25) == 0, "%s", t);
  cr_expect(strstr(t, "\n# issued by CN=x\n# fill it in\ntrust_anchor: ~") != NULL, "%s", t);
  cr_expect(strstr(t, "\n# first\n# second\nalpn: [h2, http/1.1]\n") != NULL, "%s", t);
  cr_expect(strstr(t, "client_auth: none\n# a key that is not written\nafter_handshake") != NULL,
            "%s", t);
}

Test(profile_write, after_names) {
  cr_expect_str_eq(profile_after_name(TP_ECHO), "echo");
  cr_expect_str_eq(profile_after_name(TP_HTTP), "http");
  cr_expect_str_eq(profile_after_name(TP_SPEAKS_FIRST), "speaks_first");
  cr_expect_str_eq(profile_after_name(TP_HANDSHAKE_ONLY), "handshake_only");
}
