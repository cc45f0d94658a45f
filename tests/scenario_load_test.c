/* The scenario loader (harness/scenario.h, docs/scenarios.md): good files into the structs the
 * runner plays, every edit into the deviation spec the engine installs, matrix expansion,
 * defaults, includes; bad files as a table of inputs, each with the exact LINE:COLUMN and a word
 * of the message. The last test loads every committed scenario under vectors/scenarios. */
#define _GNU_SOURCE /* mkdtemp, asprintf */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario.h"
#include "tg/deviations.h"
#include "tg/error.h"
#include "tg/names.h"
#include "tg/x509_verify.h"

static bool load(sc_suite *s, const char *text, sc_error *err) {
  return sc_load_text(s, "t.yaml", NULL, (const uint8_t *)text, strlen(text), err);
}

/* Loads text that must be good; returns the suite (exactly n scenarios). */
static void load_ok(sc_suite *s, const char *text, size_t n) {
  sc_error err = {{0}};
  sc_suite_init(s);
  cr_assert(load(s, text, &err), "load failed: %s\n%s", err.text, text);
  cr_assert_eq(s->n, n, "%zu scenarios, want %zu", s->n, n);
}

static void write_file(const char *dir, const char *name, const char *text) {
  char *path;
  cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f, "%s", path);
  fputs(text, f);
  fclose(f);
  free(path);
}

static char *temp_dir(void) {
  char *d = strdup("/tmp/scenario_load_test.XXXXXX");
  cr_assert_not_null(mkdtemp(d));
  return d;
}

static void remove_tree(const char *dir) {
  char *cmd;
  cr_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
  cr_assert_eq(system(cmd), 0);
  free(cmd);
}

/* ---- Good files ------------------------------------------------------------------------------ */

Test(scenario_load, design_example) {
  sc_suite s;
  load_ok(&s,
          "id: client-hello/cipher-suites-empty\n"
          "rfc: RFC 8446 4.1.2\n"
          "title: an empty cipher_suites vector\n"
          "target: server\n"
          "script:\n"
          "  - send: client_hello\n"
          "    set: {cipher_suites: []}\n"
          "  - expect: alert\n"
          "    alert: [decode_error, illegal_parameter]\n"
          "  - expect: close\n",
          1);
  const sc_scenario *sc = &s.v[0];
  cr_expect_str_eq(sc->id, "client-hello/cipher-suites-empty");
  cr_expect_str_eq(sc->rfc, "RFC 8446 4.1.2");
  cr_expect_str_eq(sc->title, "an empty cipher_suites vector");
  cr_expect_str_eq(sc->file, "t.yaml");
  cr_expect_eq(sc->line, 1);
  cr_expect_eq(sc->target, SC_TARGET_SERVER);
  cr_expect_eq(sc->timeout_ms, SC_DEFAULT_TIMEOUT_MS);
  cr_assert_eq(sc->n_tags, 1);
  cr_expect_str_eq(sc->tags[0], "client-hello");
  cr_assert_eq(sc->n_deviations, 1);
  cr_expect_str_eq(sc->deviations[0], "set_field:client_hello.cipher_suites:");
  cr_assert_eq(sc->n_steps, 3);
  cr_expect_eq(sc->steps[0].kind, SC_STEP_SEND);
  cr_expect_eq(sc->steps[0].send, SC_SEND_MESSAGE);
  cr_expect_eq(sc->steps[0].msg_type, TG_HS_client_hello);
  cr_expect_eq(sc->steps[0].line, 6);
  cr_expect_eq(sc->steps[0].column, 5);
  cr_expect_eq(sc->steps[1].kind, SC_STEP_EXPECT);
  cr_expect_eq(sc->steps[1].expect, SC_EXPECT_ALERT);
  cr_assert_eq(sc->steps[1].n_alerts, 2);
  cr_expect_eq(sc->steps[1].alerts[0], TG_ALERT_decode_error);
  cr_expect_eq(sc->steps[1].alerts[1], TG_ALERT_illegal_parameter);
  cr_expect_eq(sc->steps[2].expect, SC_EXPECT_CLOSE);
  cr_expect_eq(sc->steps[2].line, 10);
  /* Role defaults of a server target. */
  cr_expect_str_eq(sc->target_opts.cert, "server");
  cr_expect_str_eq(sc->target_opts.trust, "root");
  cr_expect_null(sc->target_opts.sni);
  cr_expect_str_eq(sc->endpoint.server_name, "server.test");
  cr_expect_null(sc->endpoint.cert);
  sc_suite_free(&s);
}

Test(scenario_load, client_target_defaults_and_options) {
  sc_suite s;
  load_ok(&s,
          "id: c/x\nrfc: R\ntarget: client\ntags: [interop, c]\ntimeout: 2.5\n"
          "target_options:\n"
          "  min_version: \"1.2\"\n  max_version: tls13\n"
          "  ciphers: [TLS_AES_256_GCM_SHA384, 0x0a0a]\n  groups: [x25519, secp384r1]\n"
          "  sigalgs: [ecdsa_secp256r1_sha256]\n  alpn: [h2, http/1.1]\n"
          "  no_verify: true\n  key_update: yes\n  x509_profile: webpki\n"
          "endpoint:\n"
          "  cipher_suites: [TLS_CHACHA20_POLY1305_SHA256]\n  key_shares: [secp256r1]\n"
          "  alpn: [h2, x]\n  hrr_cookie: \"00 ff\"\n  record_padding: 7\n"
          "  middlebox_compat: true\n  cert: none\n"
          "script: [{expect: established}]\n",
          1);
  const sc_scenario *sc = &s.v[0];
  const sc_target_opts *t = &sc->target_opts;
  const sc_endpoint *e = &sc->endpoint;
  cr_expect_eq(sc->target, SC_TARGET_CLIENT);
  cr_expect_eq(sc->timeout_ms, 2500);
  cr_assert_eq(sc->n_tags, 2); /* the id's component first, not repeated */
  cr_expect_str_eq(sc->tags[0], "c");
  cr_expect_str_eq(sc->tags[1], "interop");
  cr_expect_eq(t->min_version, 0x0303);
  cr_expect_eq(t->max_version, 0x0304);
  cr_assert_eq(t->ciphers.n, 2);
  cr_expect_eq(t->ciphers.v[0], 0x1302);
  cr_expect_eq(t->ciphers.v[1], 0x0a0a);
  cr_assert_eq(t->groups.n, 2);
  cr_expect_eq(t->groups.v[1], TG_GROUP_secp384r1);
  cr_expect_eq(t->sigalgs.v[0], 0x0403);
  cr_expect_str_eq(t->alpn, "h2,http/1.1");
  cr_expect(t->no_verify && t->key_update && !t->require_client_cert);
  cr_expect_eq(t->x509_profile, TG_X509_PROFILE_WEBPKI);
  cr_expect_null(t->cert); /* a client target has none by default */
  cr_expect_str_eq(t->verify_name, "server.test");
  cr_expect_str_eq(t->sni, "server.test");
  cr_expect_eq(e->cipher_suites.v[0], 0x1303);
  cr_expect_eq(e->key_shares.v[0], TG_GROUP_secp256r1);
  cr_expect_eq(e->groups.n, 0);
  cr_assert_eq(e->alpn.len, 5);
  cr_expect_eq(memcmp(e->alpn.p, "\x02h2\x01x", 5), 0);
  cr_assert_eq(e->hrr_cookie.len, 2);
  cr_expect_eq(e->hrr_cookie.p[1], 0xff);
  cr_expect_eq(e->record_padding, 7);
  cr_expect(e->middlebox_compat);
  cr_expect_str_eq(e->cert, "none");
  cr_expect_null(e->server_name); /* the endpoint is the server */
  sc_suite_free(&s);
}

/* Every edit of docs/scenarios.md's table, and the endpoint's list first. */
Test(scenario_load, edits_become_deviations) {
  sc_suite s;
  load_ok(&s,
          "id: e/x\nrfc: R\ntarget: server\n"
          "endpoint: {deviations: [corrupt_finished, \"record_type:23@finished\"]}\n"
          "script:\n"
          "  - send: client_hello\n"
          "    set: {legacy_version: \"0302\", cipher_suites: [TLS_AES_128_GCM_SHA256, 0x0a0a],\n"
          "          legacy_compression_methods: [1, 0], legacy_session_id: \"AB cd\"}\n"
          "    extensions: {drop: [key_share], duplicate: [0], add: [{type: 65280, hex: \"00\"}]}\n"
          "  - send: certificate\n    skip: true\n    duplicate: false\n"
          "  - send: finished\n    truncate: 10\n"
          "  - send: certificate_verify\n    patch: {offset: 4, hex: \"0301\"}\n"
          "    set: {algorithm: rsa_pss_rsae_sha256}\n"
          "  - send: encrypted_extensions\n    append: \"00ff\"\n    deviations: [skip_record]\n"
          "  - expect: close\n",
          1);
  static const char *const want[] = {
      "corrupt_finished",
      "record_type:23@finished",
      "set_field:client_hello.legacy_version:0302",
      "set_field:client_hello.cipher_suites:13010a0a",
      "set_field:client_hello.legacy_compression_methods:0100",
      "set_field:client_hello.legacy_session_id:abcd",
      "drop_extension:key_share@client_hello",
      "duplicate_extension:server_name@client_hello",
      "add_extension:65280:00@client_hello",
      "skip:certificate",
      "truncate:finished:10",
      "patch:certificate_verify:4:0301",
      "set_field:certificate_verify.algorithm:0804",
      "append:encrypted_extensions:00ff",
      "skip_record",
  };
  const sc_scenario *sc = &s.v[0];
  cr_assert_eq(sc->n_deviations, sizeof want / sizeof want[0], "%zu deviations", sc->n_deviations);
  for (size_t i = 0; i < sc->n_deviations; i++)
    cr_expect_str_eq(sc->deviations[i], want[i], "deviation %zu", i);
  cr_assert_eq(sc->n_steps, 6);
  cr_expect_eq(sc->steps[1].msg_type, TG_HS_certificate);
  cr_expect_eq(sc->steps[3].msg_type, TG_HS_certificate_verify);
  sc_suite_free(&s);
}

Test(scenario_load, send_and_expect_kinds) {
  sc_suite s;
  load_ok(&s,
          "id: k/x\nrfc: R\ntarget: server\nscript:\n"
          "  - send: application_data\n    data: \"hi\\0!\"\n    repeat: 3\n"
          "  - send: application_data\n    hex: \"0001\"\n"
          "  - send: alert\n    alert: unexpected_message\n    level: warning\n"
          "  - send: alert\n    alert: 120\n"
          "  - send: change_cipher_spec\n"
          "  - send: change_cipher_spec\n    hex: \"0102\"\n"
          "  - send: key_update\n    request: true\n    set: {request_update: 5}\n"
          "  - send: close_notify\n"
          "  - send: record\n    type: handshake\n    hex: \"01\"\n    version: \"0301\"\n"
          "    protect: false\n"
          "  - send: record\n    type: 99\n"
          "  - send: raw\n    hex: \"16\"\n"
          "  - send: shutdown\n"
          "  - expect: hello_retry_request\n"
          "  - expect: encrypted_extensions\n"
          "  - expect: data\n    data: echo\n"
          "  - expect: alert\n    alert: decode_error\n"
          "  - expect: alert\n"
          "  - expect: established\n",
          1);
  const sc_step *st = s.v[0].steps;
  cr_assert_eq(s.v[0].n_steps, 18);
  cr_expect_eq(st[0].send, SC_SEND_APPLICATION_DATA);
  cr_expect_eq(st[0].repeat, 3);
  cr_assert_eq(st[0].data.len, 4); /* a NUL inside data: is data */
  cr_expect_eq(memcmp(st[0].data.p, "hi\0!", 4), 0);
  cr_expect_eq(st[1].data.len, 2);
  cr_expect_eq(st[1].repeat, 1);
  cr_expect_eq(st[2].send, SC_SEND_ALERT);
  cr_expect_eq(st[2].alert, TG_ALERT_unexpected_message);
  cr_expect_eq(st[2].alert_level, 1);
  cr_expect_eq(st[3].alert, 120);
  cr_expect_eq(st[3].alert_level, 2);
  cr_expect_eq(st[4].send, SC_SEND_CHANGE_CIPHER_SPEC);
  cr_assert_eq(st[4].data.len, 1);
  cr_expect_eq(st[4].data.p[0], 0x01);
  cr_assert_eq(st[5].data.len, 2);
  cr_expect_eq(st[5].data.p[1], 0x02);
  cr_expect_eq(st[6].send, SC_SEND_KEY_UPDATE);
  cr_expect(st[6].request_update);
  cr_assert_eq(s.v[0].n_deviations, 1);
  cr_expect_str_eq(s.v[0].deviations[0], "set_field:key_update.request_update:05");
  cr_expect_eq(st[7].send, SC_SEND_CLOSE_NOTIFY);
  cr_expect_eq(st[8].send, SC_SEND_RECORD);
  cr_expect_eq(st[8].record_type, TG_CT_handshake);
  cr_expect_eq(st[8].record_version, 0x0301);
  cr_expect(!st[8].protect);
  cr_expect(st[9].protect);
  cr_expect_eq(st[9].record_type, 99);
  cr_expect_eq(st[9].data.len, 0);
  cr_expect_eq(st[9].record_version, 0);
  cr_expect_eq(st[10].send, SC_SEND_RAW);
  cr_expect_eq(st[11].send, SC_SEND_SHUTDOWN);
  cr_expect_eq(st[12].expect, SC_EXPECT_MESSAGE);
  cr_expect_eq(st[12].expect_msg, SC_MSG_HELLO_RETRY_REQUEST);
  cr_expect_eq(st[13].expect_msg, TG_HS_encrypted_extensions);
  cr_expect_eq(st[14].expect, SC_EXPECT_DATA);
  cr_assert_eq(st[14].expect_data.len, 4);
  cr_expect_eq(memcmp(st[14].expect_data.p, "echo", 4), 0);
  cr_expect_eq(st[15].n_alerts, 1);
  cr_expect_eq(st[15].alerts[0], TG_ALERT_decode_error);
  cr_expect_eq(st[16].n_alerts, 0);
  cr_expect_eq(st[17].expect, SC_EXPECT_ESTABLISHED);
  sc_suite_free(&s);
}

Test(scenario_load, matrix_expansion) {
  sc_suite s;
  load_ok(&s,
          "id: m/x\nrfc: R\ntarget: server\n"
          "target_options: {groups: [secp384r1], ciphers: [TLS_AES_128_GCM_SHA256]}\n"
          "title: \"${group} over ${version}\"\n"
          "matrix:\n"
          "  version: [tls13, \"1.2\"]\n"
          "  group: [x25519, secp256r1, 0x0a0a]\n"
          "  note: [a]\n"
          "script:\n"
          "  - send: application_data\n    data: \"${note}-${group}\"\n",
          6);
  static const char *const ids[] = {
      "m/x[group=x25519,note=a,version=tls13]",    "m/x[group=x25519,note=a,version=1.2]",
      "m/x[group=secp256r1,note=a,version=tls13]", "m/x[group=secp256r1,note=a,version=1.2]",
      "m/x[group=0x0a0a,note=a,version=tls13]",    "m/x[group=0x0a0a,note=a,version=1.2]",
  };
  static const uint16_t groups[] = {TG_GROUP_x25519, TG_GROUP_secp256r1, 0x0a0a};
  for (size_t i = 0; i < 6; i++) {
    const sc_scenario *sc = &s.v[i];
    uint16_t v = i % 2 == 0 ? 0x0304 : 0x0303, g = groups[i / 2];
    cr_expect_str_eq(sc->id, ids[i]);
    cr_expect_eq(sc->target_opts.min_version, v);
    cr_expect_eq(sc->target_opts.max_version, v);
    cr_expect_eq(sc->endpoint.min_version, v);
    cr_expect_eq(sc->endpoint.max_version, v);
    cr_assert_eq(sc->target_opts.groups.n, 1, "%s", sc->id);
    cr_expect_eq(sc->target_opts.groups.v[0], g);
    cr_assert_eq(sc->endpoint.groups.n, 1);
    cr_expect_eq(sc->endpoint.groups.v[0], g);
    cr_assert_eq(sc->endpoint.key_shares.n, 1);
    cr_expect_eq(sc->endpoint.key_shares.v[0], g);
    cr_expect_eq(sc->target_opts.ciphers.v[0], 0x1301); /* untouched by the matrix */
    cr_expect_eq(sc->endpoint.cipher_suites.n, 0);
    const char *gname = i < 2 ? "x25519" : i < 4 ? "secp256r1" : "0x0a0a";
    char want[64];
    snprintf(want, sizeof want, "%s over %s", gname, i % 2 == 0 ? "tls13" : "1.2");
    cr_expect_str_eq(sc->title, want);
    snprintf(want, sizeof want, "a-%s", gname);
    cr_assert_eq(sc->steps[0].data.len, strlen(want));
    cr_expect_eq(memcmp(sc->steps[0].data.p, want, strlen(want)), 0);
  }
  sc_suite_free(&s);
}

Test(scenario_load, matrix_cipher_suite_and_sigalg) {
  sc_suite s;
  load_ok(&s,
          "id: m/y\nrfc: R\ntarget: client\n"
          "matrix: {cipher_suite: [TLS_AES_256_GCM_SHA384], sigalg: [ed25519, "
          "rsa_pss_rsae_sha256]}\n"
          "script: [{expect: established}]\n",
          2);
  cr_expect_str_eq(s.v[1].id,
                   "m/y[cipher_suite=TLS_AES_256_GCM_SHA384,sigalg=rsa_pss_rsae_sha256]");
  cr_expect_eq(s.v[1].target_opts.ciphers.v[0], 0x1302);
  cr_expect_eq(s.v[1].endpoint.cipher_suites.v[0], 0x1302);
  cr_expect_eq(s.v[0].target_opts.sigalgs.v[0], 0x0807);
  cr_expect_eq(s.v[1].endpoint.sigalgs.v[0], 0x0804);
  sc_suite_free(&s);
}

Test(scenario_load, defaults_merge_one_level) {
  sc_suite s;
  load_ok(&s,
          "defaults:\n"
          "  target: server\n  rfc: RFC 8446 4\n  timeout: 1\n"
          "  target_options: {groups: [x25519], cert: dflt, no_verify: true}\n"
          "  endpoint: {deviations: [corrupt_finished], groups: [secp256r1]}\n"
          "scenarios:\n"
          "  - id: d/one\n"
          "    target_options: {cert: mine}\n"
          "    endpoint: {deviations: [corrupt_signature]}\n"
          "    script: [{expect: close}]\n"
          "  - id: d/two\n    target: client\n    rfc: RFC 1\n"
          "    script: [{expect: close}]\n",
          2);
  const sc_scenario *a = &s.v[0], *b = &s.v[1];
  cr_expect_eq(a->target, SC_TARGET_SERVER);
  cr_expect_str_eq(a->rfc, "RFC 8446 4");
  cr_expect_eq(a->timeout_ms, 1000);
  cr_expect_str_eq(a->target_opts.cert, "mine"); /* its own key wins */
  cr_expect_eq(a->target_opts.groups.v[0], TG_GROUP_x25519);
  cr_expect(a->target_opts.no_verify);
  cr_expect_eq(a->endpoint.groups.v[0], TG_GROUP_secp256r1);
  cr_assert_eq(a->n_deviations, 1); /* deviations: replaced, not appended */
  cr_expect_str_eq(a->deviations[0], "corrupt_signature");
  cr_expect_eq(b->target, SC_TARGET_CLIENT);
  cr_expect_str_eq(b->rfc, "RFC 1");
  cr_expect_str_eq(b->target_opts.cert, "dflt");
  cr_assert_eq(b->n_deviations, 1);
  cr_expect_str_eq(b->deviations[0], "corrupt_finished");
  cr_expect_eq(b->line, 12);
  sc_suite_free(&s);
}

Test(scenario_load, documents_anchors_and_local_steps) {
  sc_suite s;
  load_ok(&s,
          "id: a/one\nrfc: R\ntarget: server\nscript: &s\n  - send: client_hello\n"
          "  - expect: established\n"
          "---\n"
          "steps:\n  hs: [{send: client_hello}, {expect: server_hello}]\n"
          "scenarios:\n"
          "  - id: a/two\n    rfc: R\n    target: server\n"
          "    script: [{use: hs}, {expect: close}]\n"
          "---\n", /* an empty last document */
          2);
  cr_expect_eq(s.v[0].n_steps, 2);
  cr_assert_eq(s.v[1].n_steps, 3);
  cr_expect_eq(s.v[1].steps[1].expect_msg, TG_HS_server_hello);
  /* Spliced steps are placed at the use: step. */
  cr_expect_eq(s.v[1].steps[0].line, 14);
  cr_expect_eq(s.v[1].steps[0].column, 14);
  cr_expect_eq(s.v[1].steps[2].line, 14);
  cr_expect_eq(s.v[1].line, 11);
  sc_suite_free(&s);
}

Test(scenario_load, include_and_use) {
  char *dir = temp_dir();
  write_file(dir, "_common.yaml",
             "steps:\n"
             "  hello-bad:\n"
             "    - send: client_hello\n"
             "      set: {legacy_version: \"${v}\"}\n"
             "  nested:\n"
             "    - use: hello-bad\n"
             "    - expect: alert\n");
  write_file(dir, "_broken.yaml", "steps:\n  x:\n    - send: client_hello\n      skip: maybe\n");
  write_file(dir, "s.yaml",
             "include: [_common.yaml]\n"
             "scenarios:\n"
             "  - id: i/x\n    rfc: R\n    target: server\n    matrix: {v: [\"0302\", \"0300\"]}\n"
             "    script:\n      - use: nested\n      - expect: close\n");
  write_file(dir, "b.yaml",
             "include: _broken.yaml\n"
             "scenarios:\n  - id: i/y\n    rfc: R\n    target: server\n    script: [{use: x}]\n");
  sc_suite s;
  sc_error err;
  sc_suite_init(&s);
  char *path;
  cr_assert(asprintf(&path, "%s/s.yaml", dir) > 0);
  cr_assert(sc_load_file(&s, path, &err), "%s", err.text);
  cr_assert_eq(s.n, 2);
  cr_assert_eq(s.v[0].n_steps, 3);
  cr_expect_eq(s.v[0].steps[0].msg_type, TG_HS_client_hello);
  cr_expect_eq(s.v[0].steps[1].expect, SC_EXPECT_ALERT);
  cr_expect_eq(s.v[0].steps[0].line, 8); /* the use: in s.yaml */
  cr_expect_str_eq(s.v[0].deviations[0], "set_field:client_hello.legacy_version:0302");
  cr_expect_str_eq(s.v[1].deviations[0], "set_field:client_hello.legacy_version:0300");
  cr_expect_str_eq(s.v[0].file, path);
  free(path);
  /* An error inside an included file names that file. */
  cr_assert(asprintf(&path, "%s/b.yaml", dir) > 0);
  cr_assert(!sc_load_file(&s, path, &err));
  cr_expect(strstr(err.text, "_broken.yaml:4:13: ") != NULL, "%s", err.text);
  cr_expect(strstr(err.text, "true or false") != NULL, "%s", err.text);
  cr_expect_eq(s.n, 2, "a failed load leaves the suite as it was");
  free(path);
  sc_suite_free(&s);
  remove_tree(dir);
  free(dir);
}

Test(scenario_load, paths_suites_and_duplicate_ids) {
  char *dir = temp_dir(), *sub;
  cr_assert(asprintf(&sub, "%s/suite", dir) > 0);
  cr_assert_eq(mkdir(sub, 0755), 0);
  const char *one = "id: s/b\nrfc: R\ntarget: server\nscript: [{expect: close}]\n";
  write_file(sub, "b.yaml", one);
  write_file(sub, "a.yaml", "id: s/a\nrfc: R\ntarget: server\nscript: [{expect: close}]\n");
  write_file(sub, "_shared.yaml", "steps: {}\n");
  write_file(sub, "notes.txt", "not yaml: [");
  write_file(dir, "single.yaml", "id: t/c\nrfc: R\ntarget: server\nscript: [{expect: close}]\n");
  sc_suite s;
  sc_error err;
  sc_suite_init(&s);
  char *args[] = {"suite", "single"};
  cr_assert(sc_load_paths(&s, dir, args, 2, &err), "%s", err.text);
  cr_assert_eq(s.n, 3);
  cr_expect_str_eq(s.v[0].id, "s/a"); /* sorted by file name */
  cr_expect_str_eq(s.v[1].id, "s/b");
  cr_expect_str_eq(s.v[2].id, "t/c");
  sc_suite_free(&s);
  /* A path below the scenarios directory, without .yaml. */
  char *below[] = {"suite/b"};
  cr_assert(sc_load_paths(&s, dir, below, 1, &err), "%s", err.text);
  cr_assert_eq(s.n, 1);
  cr_expect_str_eq(s.v[0].id, "s/b");
  sc_suite_free(&s);
  /* No arguments: the whole directory. */
  cr_assert(sc_load_paths(&s, dir, NULL, 0, &err), "%s", err.text);
  cr_expect_eq(s.n, 3);
  sc_suite_free(&s);
  /* The same id in a second file: both places named. */
  write_file(dir, "again.yaml",
             "# copy\nid: s/b\nrfc: R\ntarget: server\nscript: [{expect: close}]\n");
  cr_assert(!sc_load_paths(&s, dir, NULL, 0, &err));
  cr_expect(strstr(err.text, "duplicate id 's/b'") != NULL, "%s", err.text);
  cr_expect(strstr(err.text, "/again.yaml:2:1") != NULL, "%s", err.text);
  cr_expect(strstr(err.text, "/suite/b.yaml:1:1") != NULL, "%s", err.text);
  cr_expect_eq(s.n, 0);
  char *missing[] = {"nosuch"};
  cr_assert(!sc_load_paths(&s, dir, missing, 1, &err));
  cr_expect(strstr(err.text, "nosuch") != NULL, "%s", err.text);
  sc_suite_free(&s);
  remove_tree(dir);
  free(sub);
  free(dir);
}

Test(scenario_load, duplicate_ids_in_one_text) {
  sc_suite s;
  sc_error err;
  sc_suite_init(&s);
  cr_assert(!load(&s,
                  "scenarios:\n"
                  "  - {id: d/x, rfc: R, target: server, script: [{expect: close}]}\n"
                  "  - {id: d/x, rfc: R, target: server, script: [{expect: close}]}\n",
                  &err));
  cr_expect_str_eq(err.text, "t.yaml:3:5: duplicate id 'd/x' (also at t.yaml:2:5)");
  cr_expect_eq(s.n, 0);
  sc_suite_free(&s);
}

/* ---- Bad files ------------------------------------------------------------------------------- */

#define HDR "id: s/x\nrfc: R\ntarget: server\n" /* lines 1-3 */
#define CLOSE "script: [{expect: close}]\n"

static const struct bad {
  const char *yaml;
  const char *where; /* "LINE:COLUMN" */
  const char *word;
} bad[] = {
    {HDR "bogus: 1\n" CLOSE, "4:1", "unknown key 'bogus'"},
    {"rfc: R\ntarget: server\n" CLOSE, "1:1", "missing required key 'id'"},
    {"id: s/x\ntarget: server\n" CLOSE, "1:1", "'rfc'"},
    {"id: s/x\nrfc: R\n" CLOSE, "1:1", "'target'"},
    {HDR, "1:1", "'script'"},
    {"id: S/X\nrfc: R\ntarget: server\n" CLOSE, "1:5", "bad id"},
    {"id: nosuite\nrfc: R\ntarget: server\n" CLOSE, "1:5", "bad id"},
    {"id: s/x\nrfc: R\ntarget: both\n" CLOSE, "3:9", "server or client"},
    {HDR "script: close\n", "4:9", "expected a list"},
    {HDR "script: []\n", "4:9", "no steps"},
    {HDR "title: [a]\n" CLOSE, "4:8", "expected a scalar"},
    {HDR "rfc: S\n" CLOSE, "4:1", "duplicate key 'rfc'"},
    {HDR "timeout: -1\n" CLOSE, "4:10", "timeout"},
    {HDR "target_options: {min_version: \"1.1\"}\n" CLOSE, "4:31", "unknown version"},
    {HDR "target_options: {ciphers: [TLS_NOPE]}\n" CLOSE, "4:28", "unknown cipher suite"},
    {HDR "target_options: {groups: [x25519, 70000]}\n" CLOSE, "4:35", "unknown group"},
    {HDR "target_options: {nope: 1}\n" CLOSE, "4:18", "unknown key 'nope' in target_options"},
    {HDR "target_options: {x509_profile: strict}\n" CLOSE, "4:32",
     "x509_profile is rfc5280 or webpki, not 'strict'"},
    {HDR "endpoint: {sigalgs: [rsa_nope]}\n" CLOSE, "4:22", "unknown signature scheme"},
    {HDR "endpoint: {hrr_cookie: \"abc\"}\n" CLOSE, "4:24", "odd number"},
    {HDR "endpoint: {verify: maybe}\n" CLOSE, "4:20", "true or false"},
    {HDR "endpoint:\n  deviations: [\"skip:bogus\"]\n" CLOSE, "5:16", "HandshakeType"},
    {HDR "endpoint: {deviations: [no_such_thing]}\n" CLOSE, "4:25", "unknown deviation"},
    {HDR "script:\n  - send: client_helo\n", "5:11", "unknown send"},
    {HDR "script:\n  - expect: nothing\n", "5:13", "unknown expect"},
    {HDR "script:\n  - send: client_hello\n    expect: close\n", "5:5", "exactly one"},
    {HDR "script:\n  - {}\n", "5:5", "exactly one"},
    {HDR "script:\n  - [send, client_hello]\n", "5:5", "expected a mapping"},
    {HDR "script:\n  - expect: alert\n    alert: [decode_error, bogus_alert]\n", "6:27",
     "unknown alert"},
    {HDR "script:\n  - expect: close\n    alert: decode_error\n", "6:5", "unknown key 'alert'"},
    {HDR "script:\n  - send: raw\n    hex: 0g\n", "6:10", "not a hex digit"},
    {HDR "script:\n  - send: raw\n    hex: abc\n", "6:10", "odd number"},
    {HDR "script:\n  - send: raw\n", "5:5", "needs data: or hex:"},
    {HDR "script:\n  - send: application_data\n    data: a\n    hex: \"00\"\n", "7:10", "exclude"},
    {HDR "script:\n  - send: alert\n", "5:5", "needs alert"},
    {HDR "script:\n  - send: alert\n    alert: decode_error\n    level: loud\n", "7:12",
     "warning or fatal"},
    {HDR "script:\n  - send: alert\n    alert: decode_error\n    hex: \"00\"\n", "7:5",
     "unknown key 'hex'"},
    {HDR "script:\n  - send: alert\n    alert: decode_error\n    repeat: 0\n", "7:13",
     "at least 1"},
    {HDR "script:\n  - send: record\n    hex: \"00\"\n", "5:5", "needs type"},
    {HDR "script:\n  - send: record\n    type: nope\n", "6:11", "unknown content type"},
    {HDR "script:\n  - send: record\n    type: 23\n    version: \"03\"\n", "7:14", "4 hex"},
    {HDR "script:\n  - send: client_hello\n    set: {bogus: 01}\n", "6:11", "no field 'bogus'"},
    {HDR "script:\n  - send: finished\n    set: {legacy_version: \"0303\"}\n", "6:11",
     "no field 'legacy_version'"},
    {HDR "script:\n  - send: client_hello\n    set: {legacy_version: \"03\"}\n", "6:27",
     "4 hex digits"},
    {HDR "script:\n  - send: client_hello\n    set: {legacy_compression_methods: [256]}\n", "6:40",
     "0 to 255"},
    {HDR "script:\n  - send: client_hello\n    extensions: {drop: [nope_ext]}\n", "6:25",
     "unknown extension"},
    {HDR "script:\n  - send: client_hello\n    extensions: {add: [{hex: \"00\"}]}\n", "6:24",
     "needs 'type'"},
    {HDR "script:\n  - send: client_hello\n    extensions: {remove: [key_share]}\n", "6:18",
     "unknown key 'remove'"},
    {HDR "script:\n  - send: client_hello\n    patch: {offset: 4}\n", "6:12", "'offset' and 'hex'"},
    {HDR "script:\n  - send: client_hello\n    deviations: [no_such_dev]\n", "5:5",
     "unknown deviation 'no_such_dev'"},
    {HDR "script:\n  - send: client_hello\n    deviations: [\"fragment:0\"]\n", "5:5", "fragment"},
    {HDR "script:\n  - send: client_hello\n    repeat: 2\n", "6:5", "unknown key 'repeat'"},
    {HDR "script:\n  - use: nothing\n", "5:10", "no shared steps"},
    {HDR "script:\n  - send: application_data\n    data: \"${nope}\"\n", "6:11",
     "not a matrix key"},
    {HDR "matrix: {group: [x25519, x9999]}\n" CLOSE, "4:26", "unknown group"},
    {HDR "matrix: {version: [tls11]}\n" CLOSE, "4:20", "unknown version"},
    {HDR "matrix: {group: []}\n" CLOSE, "4:17", "no values"},
    {HDR "matrix: {Group: [a]}\n" CLOSE, "4:10", "matrix key"},
    {HDR "matrix: {g: [\"a,b\"]}\n" CLOSE, "4:14", "matrix value"},
    {"include: _x.yaml\nscenarios: []\n", "1:10", "include"},
    {"scenarios:\n  - id: s/x\n", "2:5", "'rfc'"},
    {"scenarios: {id: s/x}\n", "1:12", "expected a list"},
    {"defaults: {id: s/x}\nscenarios: []\n", "1:12", "unknown key 'id' in defaults"},
    {"steps:\n  a: [{expect: close}]\n  a: [{expect: close}]\n", "3:3", "defined twice"},
    {"- a\n- b\n", "1:1", "expected a mapping"},
    {"id: s/x\nrfc: [\n", "3:1", "YAML"},
    {"id: s/x\nrfc: \"abc\n", "3:1", "YAML"},
    {"a: *nope\n", "1:4", "undefined alias"},
    {"id: s/x\nrfc: R\xff\n", "2:7", "UTF-8"},
    {"id: \"s/\\0x\"\nrfc: R\ntarget: server\n" CLOSE, "1:5", "NUL"},
    {HDR "requires: rfc8446-4.1.2-x\n" CLOSE, "4:11", "expected a list"},
    {HDR "requires: []\n" CLOSE, "4:11", "not empty"},
    {HDR "requires: [rfc8446-4.1.2-Upper]\n" CLOSE, "4:12", "bad requirement id"},
    {HDR "requires: [rfc8446-x-name]\n" CLOSE, "4:12", "bad requirement id"},
    {HDR "requires: [rfc8446-4.1.2-a, rfc8446-4.1.2-a]\n" CLOSE, "4:29", "listed twice"},
    {HDR "script:\n  - expect: alert\n    level: loud\n", "6:12", "warning or fatal"},
    {HDR "script:\n  - expect: alert\n    or_alert: decode_error\n", "6:15",
     "goes with level: warning"},
    {HDR "script:\n  - expect: alert\n    level: warning\n    or_alert: [nope]\n", "7:16",
     "unknown alert"},
    {HDR "script:\n  - send: client_hello\n    premaster: {length: 47}\n", "6:16",
     "send: client_key_exchange"},
    {HDR "script:\n  - send: client_key_exchange\n    premaster: {padding: nope}\n", "6:26",
     "padding is block_type"},
    {HDR "script:\n  - send: client_key_exchange\n    premaster: {version: \"03\"}\n", "6:26",
     "4 hex digits"},
    {HDR "script:\n  - send: client_key_exchange\n    premaster: {length: 0}\n", "6:25",
     "at least one byte"},
    {HDR "script:\n  - send: client_key_exchange\n    premaster: {length: 1025}\n", "6:25",
     "0 to 1024"},
    {HDR "script:\n  - send: client_key_exchange\n    premaster: {size: 1}\n", "6:17",
     "unknown key 'size'"},
};

Test(scenario_load, bad_inputs) {
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sc_suite s;
    sc_error err = {{0}};
    sc_suite_init(&s);
    bool ok = load(&s, bad[i].yaml, &err);
    cr_expect(!ok, "row %zu loaded:\n%s", i, bad[i].yaml);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "t.yaml:%s: ", bad[i].where);
    cr_expect(strncmp(err.text, prefix, strlen(prefix)) == 0, "row %zu: want %s, got '%s'", i,
              prefix, err.text);
    cr_expect(strstr(err.text, bad[i].word) != NULL, "row %zu: want '%s' in '%s'", i, bad[i].word,
              err.text);
    cr_expect_eq(s.n, 0, "row %zu left scenarios in the suite", i);
    sc_suite_free(&s);
  }
}

/* `after: hello_retry_request` limits a send step's edits to the messages sent after a
 * HelloRetryRequest ("/retry"); `send: hello_retry_request` edits the HelloRetryRequest alone
 * ("/hrr"); a step's `deviations:` are kept as written. */
Test(scenario_load, hello_retry_request_moments) {
  sc_suite s;
  load_ok(&s,
          "id: e/x\nrfc: R\ntarget: server\n"
          "script:\n"
          "  - send: client_hello\n"
          "    set: {legacy_session_id: \"00\"}\n"
          "  - expect: hello_retry_request\n"
          "  - send: client_hello\n"
          "    after: hello_retry_request\n"
          "    set: {cipher_suites: [TLS_AES_256_GCM_SHA384]}\n"
          "    extensions: {drop: [cookie], add: [{type: early_data}]}\n"
          "    deviations: [corrupt_finished]\n"
          "  - send: hello_retry_request\n"
          "    set: {cipher_suite: TLS_AES_128_CCM_SHA256}\n"
          "  - send: server_hello\n"
          "    after: hello_retry_request\n"
          "    patch: {offset: 6, hex: \"cf\"}\n"
          "  - expect: close\n",
          1);
  static const char *const want[] = {
      "set_field:client_hello.legacy_session_id:00",
      "set_field:client_hello.cipher_suites:1302/retry",
      "drop_extension:cookie@client_hello/retry",
      "add_extension:early_data:@client_hello/retry",
      "corrupt_finished",
      "set_field:server_hello.cipher_suite:1304/hrr",
      "patch:server_hello:6:cf/retry",
  };
  const sc_scenario *sc = &s.v[0];
  cr_assert_eq(sc->n_deviations, sizeof want / sizeof want[0], "%zu deviations", sc->n_deviations);
  for (size_t i = 0; i < sc->n_deviations; i++)
    cr_expect_str_eq(sc->deviations[i], want[i], "deviation %zu", i);
  cr_assert_eq(sc->n_steps, 6);
  cr_expect_eq(sc->steps[2].msg_type, TG_HS_client_hello);
  cr_expect_eq(sc->steps[3].msg_type, TG_HS_server_hello); /* a HelloRetryRequest on the wire */
  sc_suite_free(&s);

  static const struct bad hrr_bad[] = {
      {HDR "script:\n  - send: client_hello\n    after: server_hello\n", "6:12",
       "after: is hello_retry_request"},
      {HDR "script:\n  - send: hello_retry_request\n    after: hello_retry_request\n", "6:12",
       "does not go with"},
      /* duplicate is no edit of one message: the engine refuses to limit it */
      {HDR "script:\n  - send: client_hello\n    after: hello_retry_request\n"
           "    duplicate: true\n",
       "5:5", "/hrr and /retry"},
      {HDR "script:\n  - send: alert\n    alert: decode_error\n    after: hello_retry_request\n",
       "7:5", "unknown key 'after'"},
  };
  for (size_t i = 0; i < sizeof hrr_bad / sizeof hrr_bad[0]; i++) {
    sc_error err = {{0}};
    sc_suite_init(&s);
    cr_expect(!load(&s, hrr_bad[i].yaml, &err), "row %zu loaded", i);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "t.yaml:%s: ", hrr_bad[i].where);
    cr_expect(strncmp(err.text, prefix, strlen(prefix)) == 0, "row %zu: want %s, got '%s'", i,
              prefix, err.text);
    cr_expect(strstr(err.text, hrr_bad[i].word) != NULL, "row %zu: want '%s' in '%s'", i,
              hrr_bad[i].word, err.text);
    sc_suite_free(&s);
  }
}

/* requires: keeps the ids with where each is, and defaults: gives them to a scenario. */
Test(scenario_load, requires_ids_and_positions) {
  sc_suite s;
  load_ok(&s,
          "defaults: {requires: [rfc8446-B.3.1-defaulted]}\n"
          "scenarios:\n"
          "  - id: s/x\n    rfc: R\n    target: server\n"
          "    requires: [rfc8446-4.1.2-compression-one-null, rfc5246-7.4.1.2-two]\n"
          "    script: [{send: client_hello}, {expect: established}]\n"
          "  - id: s/y\n    rfc: R\n    target: server\n"
          "    script: [{send: client_hello}, {expect: established}]\n",
          2);
  cr_assert_eq(s.v[0].n_requires, 2);
  cr_expect_str_eq(s.v[0].requires[0].id, "rfc8446-4.1.2-compression-one-null");
  cr_expect_eq(s.v[0].requires[0].line, 6);
  cr_expect_eq(s.v[0].requires[0].column, 16);
  cr_expect_str_eq(s.v[0].requires[1].id, "rfc5246-7.4.1.2-two");
  cr_assert_eq(s.v[1].n_requires, 1);
  cr_expect_str_eq(s.v[1].requires[0].id, "rfc8446-B.3.1-defaulted");
  sc_suite_free(&s);
}

/* A script with n corrupt_finished deviations in one step. */
static char *n_deviations(int n) {
  char *text = malloc(256 + 20 * (size_t)n);
  cr_assert_not_null(text);
  strcpy(text, HDR "script:\n  - send: client_hello\n    deviations: [");
  for (int i = 0; i < n; i++)
    strcat(text, i ? ", corrupt_finished" : "corrupt_finished");
  strcat(text, "]\n");
  return text;
}

/* The deviations' own limits reach the scenario author: SC_MAX_DEVIATIONS specs load, one more
 * is one too many. */
Test(scenario_load, too_many_deviations) {
  cr_assert_eq(SC_MAX_DEVIATIONS, TG_DEV_MAX);
  cr_assert_gt(SC_MAX_DEVIATIONS, 16, "issue 19 asked for more than 16");
  char *text = n_deviations(SC_MAX_DEVIATIONS);
  sc_suite s;
  load_ok(&s, text, 1);
  cr_expect_eq(s.v[0].n_deviations, SC_MAX_DEVIATIONS);
  sc_suite_free(&s);
  free(text);
  text = n_deviations(SC_MAX_DEVIATIONS + 1);
  sc_error err;
  sc_suite_init(&s);
  cr_assert(!load(&s, text, &err));
  char want[64];
  snprintf(want, sizeof want, "t.yaml:5:5: more than %d deviations", SC_MAX_DEVIATIONS);
  cr_expect(strstr(err.text, want) != NULL, "%s", err.text);
  sc_suite_free(&s);
  free(text);
}

/* A text with one edit whose hex is n bytes of 0xab: fmt has one %s for the hex. */
static char *with_hex(const char *fmt, size_t n) {
  char *hex = malloc(2 * n + 1);
  cr_assert_not_null(hex);
  for (size_t i = 0; i < n; i++)
    memcpy(hex + 2 * i, "ab", 2);
  hex[2 * n] = '\0';
  char *text;
  cr_assert(asprintf(&text, fmt, hex) > 0);
  free(hex);
  return text;
}

/* Hex parameters up to TG_DEV_MAX_HEX bytes (an extension body, a whole record) load into the
 * spec the engine installs; one byte more is refused with the limit named. */
Test(scenario_load, long_hex_parameters) {
  static const char *const forms[] = {
      HDR "script:\n  - send: client_hello\n    extensions: {add: [{type: 65280, hex: \"%s\"}]}\n",
      HDR "script:\n  - send: client_hello\n    append: \"%s\"\n",
      HDR "script:\n  - send: client_hello\n    patch: {offset: 4, hex: \"%s\"}\n",
      HDR "script:\n  - send: client_hello\n    set: {legacy_session_id: \"%s\"}\n",
      HDR "endpoint: {deviations: [\"inject_record:23:%s\"]}\nscript: [{send: client_hello}]\n",
  };
  for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
    char *text = with_hex(forms[f], TG_DEV_MAX_HEX);
    sc_suite s;
    load_ok(&s, text, 1);
    cr_assert_eq(s.v[0].n_deviations, 1);
    const char *spec = s.v[0].deviations[0];
    cr_expect_gt(strlen(spec), 2 * (size_t)TG_DEV_MAX_HEX, "form %zu: %.60s", f, spec);
    cr_expect(strstr(spec, "abababab") != NULL, "form %zu", f);
    sc_suite_free(&s);
    free(text);
    text = with_hex(forms[f], TG_DEV_MAX_HEX + 1);
    sc_error err;
    sc_suite_init(&s);
    cr_expect(!load(&s, text, &err), "form %zu: %d + 1 bytes loaded", f, TG_DEV_MAX_HEX);
    cr_expect(strstr(err.text, "at most 65535 bytes") != NULL, "form %zu: %s", f, err.text);
    sc_suite_free(&s);
    free(text);
  }
}

/* expect: alert with level: warning, its alerts and its or_alert. */
Test(scenario_load, warning_alert_step) {
  sc_suite s;
  load_ok(&s,
          HDR "script:\n"
              "  - expect: established\n"
              "  - expect: alert\n"
              "    level: warning\n"
              "    alert: no_renegotiation\n"
              "    or_alert: [handshake_failure, decode_error]\n"
              "  - expect: alert\n"
              "    level: fatal\n"
              "    alert: decode_error\n"
              "  - expect: alert\n",
          1);
  const sc_step *w = &s.v[0].steps[1], *f = &s.v[0].steps[2], *d = &s.v[0].steps[3];
  cr_expect_eq(w->expect, SC_EXPECT_ALERT);
  cr_expect_eq(w->alert_level, TG_ALERT_LEVEL_warning);
  cr_assert_eq(w->n_alerts, 1);
  cr_expect_eq(w->alerts[0], TG_ALERT_no_renegotiation);
  cr_assert_eq(w->n_or_alerts, 2);
  cr_expect_eq(w->or_alerts[0], TG_ALERT_handshake_failure);
  cr_expect_eq(w->or_alerts[1], TG_ALERT_decode_error);
  cr_expect_eq(f->alert_level, TG_ALERT_LEVEL_fatal);
  cr_expect_eq(f->n_or_alerts, 0);
  cr_expect_eq(d->alert_level, TG_ALERT_LEVEL_fatal, "fatal is the default");
  sc_suite_free(&s);
}

/* premaster: of send: client_key_exchange becomes the premaster_* deviations. */
Test(scenario_load, premaster_edits) {
  sc_suite s;
  load_ok(&s,
          HDR "script:\n"
              "  - send: client_key_exchange\n"
              "    premaster: {version: \"0301\", length: 47, padding: no_separator}\n"
              "  - expect: alert\n",
          1);
  cr_assert_eq(s.v[0].n_deviations, 3);
  cr_expect_str_eq(s.v[0].deviations[0], "premaster_version:0301");
  cr_expect_str_eq(s.v[0].deviations[1], "premaster_length:47");
  cr_expect_str_eq(s.v[0].deviations[2], "premaster_padding:2");
  sc_suite_free(&s);
  static const char *const paddings[] = {"block_type", "no_separator", "first_byte", "short_ps"};
  for (size_t i = 0; i < 4; i++) {
    char text[512], want[32];
    snprintf(text, sizeof text,
             HDR "script:\n  - send: client_key_exchange\n    premaster: {padding: %s}\n",
             paddings[i]);
    load_ok(&s, text, 1);
    snprintf(want, sizeof want, "premaster_padding:%zu", i + 1);
    cr_expect_str_eq(s.v[0].deviations[0], want);
    sc_suite_free(&s);
  }
}

/* ---- The committed scenarios ----------------------------------------------------------------- */

Test(scenario_load, every_committed_scenario_loads) {
  const char *dir = TG_SOURCE_DIR "/vectors/scenarios";
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    cr_skip_test("no %s yet", dir);
  sc_suite s;
  sc_error err;
  sc_suite_init(&s);
  cr_assert(sc_load_paths(&s, dir, NULL, 0, &err), "%s", err.text);
  for (size_t i = 0; i < s.n; i++) {
    cr_expect_gt(s.v[i].n_steps, 0, "%s", s.v[i].id);
    cr_expect_not_null(s.v[i].rfc);
  }
  sc_suite_free(&s);
}
