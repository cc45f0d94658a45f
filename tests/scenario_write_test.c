/* The scenario writer (harness/scenario_write.h): every committed scenario written and loaded
 * back plays the same (sc_scenario_same), and sc_scenario_same tells apart two scenarios that
 * differ in any one field the runner reads, so that round trip is not vacuous. Also the comment,
 * the quoting of odd strings, the role defaults left out, and values no file can hold refused at
 * load time rather than changed. */
#define _GNU_SOURCE /* strndup */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario.h"
#include "scenario_write.h"

/* Every field the writer knows, a server target. */
static const char *const full_server = "id: write/full-server\n"
                                       "rfc: RFC 8446 4.1.2\n"
                                       "title: every key\n"
                                       "tags: [extra, more]\n"
                                       "target: server\n"
                                       "timeout: 2.5\n"
                                       "sensitivity: none\n"
                                       "sensitivity_reason: \"nothing \\\"to\\\" see\"\n"
                                       "target_options:\n"
                                       "  min_version: \"1.2\"\n"
                                       "  max_version: \"1.3\"\n"
                                       "  ciphers: [TLS_AES_128_GCM_SHA256, 0x1302, 0xfafa]\n"
                                       "  groups: [x25519, secp256r1]\n"
                                       "  sigalgs: [rsa_pss_rsae_sha256]\n"
                                       "  cert: expired\n"
                                       "  trust: other-root\n"
                                       "  verify_name: name.test\n"
                                       "  no_verify: true\n"
                                       "  require_client_cert: true\n"
                                       "  alpn: [h2, http/1.1]\n"
                                       "  sni: sni.test\n"
                                       "  key_update: true\n"
                                       "  require_ems: true\n"
                                       "endpoint:\n"
                                       "  min_version: \"1.2\"\n"
                                       "  max_version: \"1.3\"\n"
                                       "  cipher_suites: [TLS_AES_256_GCM_SHA384, 0x00ff]\n"
                                       "  groups: [x25519, secp256r1]\n"
                                       "  key_shares: [secp256r1]\n"
                                       "  sigalgs: [rsa_pss_rsae_sha256, ecdsa_secp256r1_sha256]\n"
                                       "  cert: client\n"
                                       "  server_name: host.test\n"
                                       "  alpn: [h2, \"x,y\"]\n"
                                       "  middlebox_compat: true\n"
                                       "  ems_optional: true\n"
                                       "  request_client_cert: true\n"
                                       "  hrr_cookie: \"0102\"\n"
                                       "  rng_seed: \"aabb\"\n"
                                       "  verify: true\n"
                                       "  record_padding: 7\n"
                                       "  deviations: [corrupt_finished, \"skip:certificate\"]\n"
                                       "script:\n"
                                       "  - send: client_hello\n"
                                       "    set: {legacy_version: \"0302\"}\n"
                                       "    extensions: {drop: [key_share]}\n"
                                       "  - send: application_data\n"
                                       "    hex: \"6869\"\n"
                                       "    repeat: 2\n"
                                       "  - send: alert\n"
                                       "    alert: decode_error\n"
                                       "    level: warning\n"
                                       "  - send: change_cipher_spec\n"
                                       "    hex: \"02\"\n"
                                       "  - send: key_update\n"
                                       "    request: true\n"
                                       "    repeat: 3\n"
                                       "  - send: record\n"
                                       "    type: handshake\n"
                                       "    version: \"0301\"\n"
                                       "    protect: false\n"
                                       "    hex: \"0100\"\n"
                                       "  - send: raw\n"
                                       "    hex: \"16\"\n"
                                       "  - send: finished\n"
                                       "    truncate: 3\n"
                                       "  - send: close_notify\n"
                                       "  - send: shutdown\n"
                                       "  - expect: hello_retry_request\n"
                                       "    or_alert: [decode_error]\n"
                                       "  - expect: established\n"
                                       "    or_alert: illegal_parameter\n"
                                       "  - expect: data\n"
                                       "    data: hi\n"
                                       "  - expect: alert\n"
                                       "    alert: [decode_error, illegal_parameter]\n"
                                       "  - expect: certificate\n"
                                       "  - expect: close\n";

/* A client target: its own defaults (sni, verify_name, the endpoint's cert), some overridden. */
static const char *const full_client = "id: write/full-client\n"
                                       "rfc: RFC 8446 4.4.2\n"
                                       "target: client\n"
                                       "target_options: {cert: server, verify_name: other.test}\n"
                                       "endpoint: {cert: none, server_name: \"\"}\n"
                                       "script:\n"
                                       "  - send: server_hello\n"
                                       "    set: {cipher_suite: 0x1303}\n"
                                       "  - send: alert\n"
                                       "    alert: 200\n"
                                       "  - expect: alert\n";

static const char *const minimal_server = "id: write/minimal\n"
                                          "rfc: RFC 8446\n"
                                          "target: server\n"
                                          "script:\n"
                                          "  - send: client_hello\n"
                                          "  - expect: established\n";

static const char *const minimal_client = "id: write/minimal-client\n"
                                          "rfc: RFC 8446\n"
                                          "target: client\n"
                                          "script:\n"
                                          "  - expect: established\n";

static void load_text(sc_suite *s, const char *text, size_t len) {
  sc_error err = {{0}};
  sc_suite_init(s);
  cr_assert(sc_load_text(s, "t.yaml", NULL, (const uint8_t *)text, len, &err), "%s\n%s", err.text,
            text);
  cr_assert_eq(s->n, 1, "%zu scenarios", s->n);
}

/* Writes sc, loads the text back into back (one scenario); returns the text. */
static char *round_trip(const sc_scenario *sc, const char *id, sc_suite *back) {
  size_t len = 0;
  char *text = sc_write_yaml(sc, id, NULL, &len);
  cr_assert_not_null(text);
  cr_assert_eq(len, strlen(text));
  load_text(back, text, len);
  return text;
}

/* The id of a matrix scenario without its combination: "a/b[k=v]" is not an id to write. */
static char *base_id(const char *id) { return strndup(id, strcspn(id, "[")); }

static bool has_message_edit(const sc_scenario *sc) {
  for (size_t i = 0; i < sc->n_steps; i++)
    if (sc->steps[i].kind == SC_STEP_SEND && sc->steps[i].send == SC_SEND_MESSAGE)
      return sc->n_deviations > 0;
  return false;
}

/* ---- Round trips ----------------------------------------------------------------------------- */

Test(scenario_write, every_committed_scenario_round_trips) {
  const char *dir = TG_SOURCE_DIR "/vectors/scenarios";
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    cr_skip_test("no %s", dir);
  sc_suite all;
  sc_error err;
  sc_suite_init(&all);
  cr_assert(sc_load_paths(&all, dir, NULL, 0, &err), "%s", err.text);
  cr_assert_gt(all.n, 100, "only %zu scenarios", all.n);
  size_t edited = 0;
  for (size_t i = 0; i < all.n; i++) {
    const sc_scenario *sc = &all.v[i];
    char *id = base_id(sc->id);
    sc_suite back, again;
    char *text = round_trip(sc, id, &back);
    cr_expect(sc_scenario_same(sc, &back.v[0]), "%s plays differently once written:\n%s", sc->id,
              text);
    cr_expect_str_eq(back.v[0].id, id);
    /* Written again, the loaded scenario gives the same text: nothing drifts. */
    char *text2 = round_trip(&back.v[0], id, &again);
    cr_expect_str_eq(text2, text, "%s", sc->id);
    edited += has_message_edit(sc);
    sc_suite_free(&back), sc_suite_free(&again);
    free(text), free(text2), free(id);
  }
  /* The steps' edits, written as the endpoint's deviations, were among them. */
  cr_expect_gt(edited, 10);
  sc_suite_free(&all);
}

Test(scenario_write, every_key_round_trips) {
  const char *const texts[] = {full_server, full_client, minimal_server, minimal_client};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    sc_suite a, b;
    load_text(&a, texts[i], strlen(texts[i]));
    char *text = round_trip(&a.v[0], NULL, &b);
    cr_expect(sc_scenario_same(&a.v[0], &b.v[0]), "%s", text);
    cr_expect_str_eq(b.v[0].id, a.v[0].id, "id NULL keeps the scenario's own");
    free(text);
    sc_suite_free(&a), sc_suite_free(&b);
  }
}

/* The role's defaults are not written: a scenario that sets nothing has no option sections. */
Test(scenario_write, defaults_are_left_out) {
  const char *const texts[] = {minimal_server, minimal_client};
  for (size_t i = 0; i < 2; i++) {
    sc_suite a;
    load_text(&a, texts[i], strlen(texts[i]));
    char *text = sc_write_yaml(&a.v[0], NULL, NULL, NULL);
    cr_assert_not_null(text);
    cr_expect_null(strstr(text, "target_options"), "%s", text);
    cr_expect_null(strstr(text, "endpoint"), "%s", text);
    cr_expect_null(strstr(text, "timeout"), "%s", text);
    free(text);
    sc_suite_free(&a);
  }
}

Test(scenario_write, edits_become_endpoint_deviations_in_order) {
  sc_suite a, b;
  load_text(&a, full_server, strlen(full_server));
  char *text = round_trip(&a.v[0], NULL, &b);
  const char *dev = strstr(text, "  deviations:\n");
  cr_assert_not_null(dev, "%s", text);
  const char *want[] = {"corrupt_finished", "skip:certificate",
                        "set_field:client_hello.legacy_version:0302",
                        "drop_extension:key_share@client_hello", "truncate:finished:3"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    char line[128];
    snprintf(line, sizeof line, "    - \"%s\"\n", want[i]);
    const char *at = strstr(dev, line);
    cr_expect_not_null(at, "no %s in\n%s", line, text);
    dev = at != NULL ? at : dev;
  }
  /* The steps carry no edits: `send: client_hello` alone. */
  cr_expect_not_null(strstr(text, "  - send: client_hello\n  - send: application_data\n"), "%s",
                     text);
  cr_expect_null(strstr(text, "set:"), "%s", text);
  free(text);
  sc_suite_free(&a), sc_suite_free(&b);
}

/* ---- Comment, quoting, ids ------------------------------------------------------------------- */

Test(scenario_write, comment_lines) {
  sc_suite a, b;
  load_text(&a, minimal_server, strlen(minimal_server));
  size_t len;
  char *text =
      sc_write_yaml(&a.v[0], NULL, "found by hunt\nseed: x/y\r\nid: not/this\x01 \xff!", &len);
  cr_assert_not_null(text);
  cr_expect_eq(strncmp(text, "# found by hunt\n# seed: x/y\n", 27), 0, "%s", text);
  /* Every line before the scenario's own is a comment: the comment's "id:" is not a key. */
  const char *id = strstr(text, "\nid: ");
  cr_assert_not_null(id);
  for (const char *p = text; p <= id; p = strchr(p, '\n') + 1)
    cr_expect_eq(p[0], '#', "a line that is not a comment:\n%s", text);
  cr_expect_not_null(strstr(text, "# seed: x/y\n# id: not/this\\x01 \\xff!\n"), "%s", text);
  load_text(&b, text, len);
  cr_expect_str_eq(b.v[0].id, "write/minimal");
  cr_expect(sc_scenario_same(&a.v[0], &b.v[0]));
  free(text);
  sc_suite_free(&a), sc_suite_free(&b);
}

Test(scenario_write, odd_strings_round_trip) {
  static const char *const odd[] = {
      "quote \" backslash \\ tab \t end",
      "new\nline and \r return",
      "control \x01\x1f\x7f",
      "utf-8 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92",
      "breaks \xc2\x85 \xe2\x80\xa8 \xe2\x80\xa9 bom \xef\xbb\xbf",
      "  leading and trailing  ",
      "- [a, b]: {c} # not a comment",
      "",
  };
  for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
    sc_suite a, b;
    load_text(&a, minimal_server, strlen(minimal_server));
    sc_scenario *sc = &a.v[0];
    free(sc->title);
    cr_assert_not_null(sc->title = strdup(odd[i]));
    char *text = round_trip(sc, NULL, &b);
    cr_expect_str_eq(b.v[0].title, odd[i], "%s", text);
    cr_expect(sc_scenario_same(sc, &b.v[0]));
    free(text);
    sc_suite_free(&a), sc_suite_free(&b);
  }
}

/* The id argument replaces the scenario's; a matrix id is no id a file may hold. */
Test(scenario_write, id_argument) {
  sc_suite a, b;
  load_text(&a, minimal_server, strlen(minimal_server));
  char *text = round_trip(&a.v[0], "write/renamed", &b);
  cr_expect_str_eq(b.v[0].id, "write/renamed");
  free(text);
  sc_suite_free(&b);
  text = sc_write_yaml(&a.v[0], "write/minimal[group=x25519]", NULL, NULL);
  cr_assert_not_null(text);
  sc_error err = {{0}};
  sc_suite_init(&b);
  cr_expect(!sc_load_text(&b, "t.yaml", NULL, (const uint8_t *)text, strlen(text), &err));
  cr_expect_not_null(strstr(err.text, "bad id"), "%s", err.text);
  free(text);
  sc_suite_free(&a), sc_suite_free(&b);
}

/* A value no file can hold is written as it is, and the loader refuses it: the text never
 * loads into a scenario that plays differently. */
static void raise_version(sc_scenario *s) { s->endpoint.min_version = 0x0302; }
static void repeat_close(sc_scenario *s) {
  s->steps[1] = (sc_step){.kind = SC_STEP_SEND, .send = SC_SEND_CLOSE_NOTIFY, .repeat = 2};
}
static void odd_level(sc_scenario *s) {
  s->steps[1] = (sc_step){
      .kind = SC_STEP_SEND, .send = SC_SEND_ALERT, .alert_level = 3, .alert = 10, .repeat = 1};
}
static void long_timeout(sc_scenario *s) { s->timeout_ms = 3600001; }
static void dollar(sc_scenario *s) { s->title[0] = '$', s->title[1] = '{'; }
static void message_key_update(sc_scenario *s) { s->steps[0].msg_type = 24; }
static void close_alerts(sc_scenario *s) {
  s->steps[1] = (sc_step){.kind = SC_STEP_EXPECT, .expect = SC_EXPECT_CLOSE, .n_alerts = 1};
}

Test(scenario_write, unwritable_values_do_not_load) {
  static const struct {
    void (*change)(sc_scenario *);
    const char *message;
  } rows[] = {
      {raise_version, "unknown version"},
      {repeat_close, "unknown key 'repeat'"},
      {odd_level, "level is warning or fatal"},
      {long_timeout, "timeout is seconds"},
      {dollar, "not a matrix key"},
      {message_key_update, "unknown send '24'"},
      {close_alerts, "unknown key 'or_alert'"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    sc_suite a, b;
    const char *base = "id: write/u\nrfc: R\ntitle: a title\ntarget: server\nscript:\n"
                       "  - send: client_hello\n  - expect: established\n";
    load_text(&a, base, strlen(base));
    rows[i].change(&a.v[0]);
    char *text = sc_write_yaml(&a.v[0], NULL, NULL, NULL);
    cr_assert_not_null(text);
    sc_error err = {{0}};
    sc_suite_init(&b);
    cr_expect(!sc_load_text(&b, "t.yaml", NULL, (const uint8_t *)text, strlen(text), &err),
              "row %zu loaded:\n%s", i, text);
    cr_expect_not_null(strstr(err.text, rows[i].message), "row %zu: %s", i, err.text);
    free(text);
    sc_suite_free(&a), sc_suite_free(&b);
  }
}

/* ---- sc_scenario_same can fail --------------------------------------------------------------- */

/* One field of full_server changed in place (the scenario keeps owning what it owns). The steps:
 * 0 client_hello, 1 application_data, 2 alert, 3 change_cipher_spec, 4 key_update, 5 record,
 * 6 raw, 7 finished, 8 close_notify, 9 shutdown, 10 expect hello_retry_request, 11 established,
 * 12 data, 13 alert, 14 certificate, 15 close. */
static void change(sc_scenario *s, int row) {
  sc_target_opts *t = &s->target_opts;
  sc_endpoint *e = &s->endpoint;
  sc_step *st = s->steps;
  char *swap;
  switch (row) {
  case 0: s->rfc[0]++; break;
  case 1: s->title[0]++; break;
  case 2: s->tags[1][0]++; break;
  case 3: s->target = SC_TARGET_CLIENT; break;
  case 4: s->timeout_ms++; break;
  case 5: s->insensitive[0]++; break;
  case 6: s->deviations[2][strlen(s->deviations[2]) - 1]++; break; /* legacy_version 0303 */
  case 7:
    swap = s->deviations[0], s->deviations[0] = s->deviations[1], s->deviations[1] = swap;
    break;
  case 8: t->min_version = 0x0304; break;
  case 9: t->ciphers.v[1]++; break;
  case 10: t->groups.n--; break;
  case 11: t->sigalgs.v[0]++; break;
  case 12: ((char *)t->cert)[0]++; break;
  case 13: ((char *)t->trust)[0]++; break;
  case 14: ((char *)t->verify_name)[0]++; break;
  case 15: t->no_verify = false; break;
  case 16: t->require_client_cert = false; break;
  case 17: ((char *)t->alpn)[0]++; break;
  case 18: ((char *)t->sni)[0]++; break;
  case 19: t->key_update = false; break;
  case 20: t->require_ems = false; break;
  case 21: t->cert_default = true; break;
  case 22: t->sni_default = true; break;
  case 23: e->max_version = 0x0303; break;
  case 24: e->cipher_suites.v[0]++; break;
  case 25: e->groups.v[1]++; break;
  case 26: e->key_shares.v[0]++; break;
  case 27: e->sigalgs.n--; break;
  case 28: ((char *)e->cert)[0]++; break;
  case 29: ((char *)e->server_name)[0]++; break;
  case 30: e->alpn.p[1]++; break;
  case 31: e->middlebox_compat = false; break;
  case 32: e->ems_optional = false; break;
  case 33: e->request_client_cert = false; break;
  case 34: e->hrr_cookie.p[0]++; break;
  case 35: e->rng_seed.p[1]++; break;
  case 36: e->verify = false; break;
  case 37: e->record_padding++; break;
  case 38: st[0].msg_type = 11; break;
  case 39: st[1].data.p[0]++; break;
  case 40: st[1].repeat = 1; break;
  case 41: st[2].alert_level = 2; break;
  case 42: st[2].alert++; break;
  case 43: st[3].data.p[0] = 1; break;
  case 44: st[4].request_update = false; break;
  case 45: st[4].repeat = 1; break;
  case 46: st[5].record_type = 23; break;
  case 47: st[5].record_version = 0; break;
  case 48: st[5].protect = true; break;
  case 49: st[5].data.p[1]++; break;
  case 50: st[6].data.p[0]++; break;
  case 51: st[8].send = SC_SEND_SHUTDOWN; break;
  case 52: st[10].expect_msg = 2; break;
  case 53: st[10].alerts[0]++; break;
  case 54: st[11].n_alerts = 0; break;
  case 55: st[12].expect_data.p[0]++; break;
  case 56: st[13].alerts[1]++; break;
  case 57: st[14].expect = SC_EXPECT_ESTABLISHED; break;
  default: { /* the order of two steps */ sc_step tmp = st[8]; st[8] = st[9], st[9] = tmp;
  }
  }
}
#define N_CHANGES 59

Test(scenario_write, same_tells_one_field_apart) {
  for (int row = 0; row < N_CHANGES; row++) {
    sc_suite a, b, c;
    load_text(&a, full_server, strlen(full_server));
    load_text(&b, full_server, strlen(full_server));
    cr_assert(sc_scenario_same(&a.v[0], &b.v[0]), "row %d: the same file differs", row);
    change(&b.v[0], row);
    cr_expect(!sc_scenario_same(&a.v[0], &b.v[0]), "row %d: a change not seen", row);
    cr_expect(!sc_scenario_same(&b.v[0], &a.v[0]), "row %d: a change not seen", row);
    /* Written, the changed scenario keeps its change. cert_default and sni_default alone,
     * against the name they stand for, are no scenario a file can hold. */
    if (row != 21 && row != 22) {
      char *text = round_trip(&b.v[0], NULL, &c);
      cr_expect(sc_scenario_same(&b.v[0], &c.v[0]), "row %d:\n%s", row, text);
      cr_expect(!sc_scenario_same(&a.v[0], &c.v[0]), "row %d: the change was not written", row);
      free(text);
      sc_suite_free(&c);
    }
    sc_suite_free(&a), sc_suite_free(&b);
  }
}

/* What the runner does not read does not count: the position of steps, the body of an empty
 * change_cipher_spec (sent as 01), a repeat of 0 (played once). */
Test(scenario_write, same_ignores_what_the_runner_does_not_read) {
  sc_suite a, b;
  load_text(&a, full_server, strlen(full_server));
  load_text(&b, full_server, strlen(full_server));
  sc_scenario *s = &b.v[0];
  s->line++, s->column++, s->steps[0].line++, s->steps[2].column++;
  s->steps[0].repeat = 7; /* a message step is not repeated */
  s->steps[8].data = (sc_bytes){0}, s->steps[8].protect = false; /* close_notify */
  cr_expect(sc_scenario_same(&a.v[0], s));
  sc_suite_free(&a), sc_suite_free(&b);
}
