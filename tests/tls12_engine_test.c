/* The engine's TLS 1.2 client and server talking to each other in memory (RFC 5246): every
 * suite, version negotiation both ways and the downgrade sentinel (RFC 8446 §4.1.3), extended
 * master secret (RFC 7627), resumption by ticket (RFC 5077) and by session id, client
 * certificates, renegotiation refused (RFC 5746), suites it does not implement, and the named
 * deviations on TLS 1.2 messages. */
#include "engine_pair.h"
#include "tg/deviations.h"

static const uint8_t v12_suites[][2] = {{0xc0, 0x2b}, {0xc0, 0x2c}, {0xcc, 0xa9}, {0xc0, 0x2f},
                                        {0xc0, 0x30}, {0xcc, 0xa8}, {0x00, 0x9c}, {0x00, 0x9d}};

/* Both sides TLS 1.2 only. */
static void pair12(pair *p, const key_case *k) {
  pair_init(p, k);
  p->ccfg.max_version = p->scfg.max_version = TG_VERSION_TLS12;
}

static void expect12(pair *p) {
  const struct tg_conn_info *ci = tg_conn_info(p->c), *si = tg_conn_info(p->s);
  cr_assert_eq(ci->phase, TG_PHASE_ESTABLISHED, "client: %s", ci->err.what);
  cr_assert_eq(si->phase, TG_PHASE_ESTABLISHED, "server: %s", si->err.what);
  cr_expect_eq(ci->version, TG_VERSION_TLS12);
  cr_expect_eq(si->version, TG_VERSION_TLS12);
  cr_expect_eq(ci->cipher_suite, si->cipher_suite);
}

Test(tls12, every_suite) {
  for (size_t i = 0; i < sizeof v12_suites / sizeof v12_suites[0]; i++) {
    uint16_t id = (uint16_t)(v12_suites[i][0] << 8 | v12_suites[i][1]);
    bool ecdsa = id == 0xc02b || id == 0xc02c || id == 0xcca9;
    pair p;
    pair12(&p, &keys[ecdsa ? 0 : 2]);
    p.ccfg.cipher_suites = tg_bytes_of(v12_suites[i], 2);
    p.ccfg.rsa_key_exchange = p.scfg.rsa_key_exchange = true;
    pair_start(&p);
    pump(&p);
    expect12(&p);
    cr_expect_eq(tg_conn_info(p.c)->cipher_suite, id, "suite %04x", id);
    cr_expect(tg_conn_info(p.c)->ems && tg_conn_info(p.s)->ems, "EMS in use");
    cr_expect(tg_conn_info(p.s)->secure_renegotiation);
    transfer(&p, p.c, p.s, 3000);
    transfer(&p, p.s, p.c, 40000);
    pair_free(&p);
  }
}

/* RFC 8446 §4.1.3: a 1.3-capable server that negotiates 1.2 (the client offered only 1.2) sets
 * the sentinel; a 1.2-only client does not mind it. */
Test(tls12, version_negotiation_both_ways) {
  pair p;
  pair_init(&p, &keys[0]);
  p.scfg.min_version = TG_VERSION_TLS12; /* server 1.2..1.3 */
  p.ccfg.max_version = TG_VERSION_TLS12; /* client 1.2 only */
  pair_start(&p);
  pump(&p);
  expect12(&p);
  cr_expect(memcmp(p.c->server_random + 24, "DOWNGRD\x01", 8) == 0, "the sentinel is there");
  pair_free(&p);
  pair_init(&p, &keys[0]);
  p.ccfg.min_version = TG_VERSION_TLS12; /* client 1.2..1.3 */
  p.scfg.max_version = TG_VERSION_TLS12; /* server 1.2 only */
  pair_start(&p);
  pump(&p);
  expect12(&p);
  pair_free(&p);
  pair_init(&p, &keys[0]);
  p.ccfg.min_version = p.scfg.min_version = TG_VERSION_TLS12; /* both: TLS 1.3 wins */
  pair_start(&p);
  pump(&p);
  expect_established(&p);
  pair_free(&p);
}

/* The server's random gets the sentinel (a hook): a 1.3-capable client refuses it. */
static tg_hook_action add_sentinel(void *ctx, tg_conn *c, tg_handshake *m) {
  (void)ctx, (void)c;
  if (m->msg_type == TG_HS_server_hello)
    memcpy(m->u.server_hello.random + 24, "DOWNGRD\x01", 8);
  return TG_HOOK_SEND;
}

Test(tls12, downgrade_sentinel_checked) {
  static const tg_hooks hooks = {.message = add_sentinel};
  pair p;
  pair_init(&p, &keys[0]);
  p.ccfg.min_version = TG_VERSION_TLS12;
  p.scfg.max_version = TG_VERSION_TLS12;
  p.scfg.hooks = &hooks;
  pair_start(&p);
  pump(&p);
  expect_alert(p.c, p.s, TG_ALERT_illegal_parameter, "sentinel");
  pair_free(&p);
}

/* RFC 7627: a ClientHello without extended_master_secret, through the named deviation. */
Test(tls12, ems_required_by_default) {
  for (int optional = 0; optional < 2; optional++) {
    tg_deviation_set set;
    tg_err err;
    tg_deviation_set_init(&set);
    cr_assert_eq(tg_deviation_set_add(&set, "drop_extension:extended_master_secret", NULL, &err),
                 TG_OK, "%s", err.what);
    pair p;
    pair12(&p, &keys[0]);
    tg_deviation_set_attach(&set, &p.ccfg);
    p.scfg.ems_optional = optional;
    p.ccfg.ems_optional = true;
    pair_start(&p);
    pump(&p);
    if (optional) {
      expect12(&p);
      cr_expect(!tg_conn_info(p.s)->ems);
    } else {
      expect_alert(p.s, p.c, TG_ALERT_handshake_failure, "no EMS");
    }
    pair_free(&p);
    tg_deviation_set_free(&set);
  }
}

/* Resumption: by RFC 5077 ticket, then by session id through the cache. */
static uint8_t cache_id[32], cache_val[TG_SESSION_MAX_LEN];
static size_t cache_len;
static void put(void *ctx, tg_bytes id, tg_bytes s) {
  (void)ctx;
  memcpy(cache_id, id.p, 32);
  memcpy(cache_val, s.p, s.len);
  cache_len = s.len;
}
static size_t get(void *ctx, tg_bytes id, uint8_t *out, size_t cap) {
  (void)ctx;
  if (id.len != 32 || memcmp(id.p, cache_id, 32) != 0 || cache_len > cap)
    return 0;
  memcpy(out, cache_val, cache_len);
  return cache_len;
}

Test(tls12, resumption_ticket_and_session_id) {
  static const uint8_t tkey[16] = {1, 2, 3};
  static const tg_session_cache cache = {NULL, put, get};
  for (int by_id = 0; by_id < 2; by_id++) {
    static tg_ticket t;
    pair p;
    pair12(&p, &keys[0]);
    if (by_id)
      p.scfg.session_cache = &cache;
    else
      p.scfg.ticket_key = tg_bytes_of(tkey, 16);
    pair_start(&p);
    pump(&p);
    expect12(&p);
    cr_assert(tg_conn_ticket(p.c, 0, &t), "a session to resume");
    cr_expect_eq(t.version, TG_VERSION_TLS12);
    cr_expect(by_id ? t.ticket_len == 0 && t.session_id_len == 32 : t.ticket_len > 0);
    tg_conn_free(p.c);
    tg_conn_free(p.s);
    p.ccfg.resume = &t;
    pair_start(&p);
    pump(&p);
    expect12(&p);
    cr_expect(tg_conn_info(p.c)->resumed && tg_conn_info(p.s)->resumed, "resumed (by_id %d)",
              by_id);
    transfer(&p, p.c, p.s, 100);
    pair_free(&p);
  }
}

Test(tls12, client_certificate) {
  pair p;
  pair12(&p, &keys[0]);
  pair_client_auth(&p, &keys[2], true);
  pair_start(&p);
  pump(&p);
  expect12(&p);
  cr_expect_neq(tg_conn_info(p.s)->peer_sig_scheme, 0, "the client signed");
  pair_free(&p);
  pair12(&p, &keys[0]);
  pair_client_auth(&p, &keys[2], false);
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_handshake_failure, "no client certificate");
  pair_free(&p);
}

/* Suites it does not implement (3DES, RC4): alone, handshake_failure; beside a good one,
 * ignored. (The CBC suites are tests/cbc_engine_test.c's.) */
Test(tls12, cbc_rc4_refused) {
  static const uint8_t bad[] = {0x00, 0x0a, 0x00, 0x05, 0xc0, 0x12},
                       mixed[] = {0x00, 0x0a, 0xc0, 0x2b};
  pair p;
  pair12(&p, &keys[0]);
  p.ccfg.cipher_suites = tg_bytes_of(bad, sizeof bad);
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_handshake_failure, "3DES/RC4 only");
  pair_free(&p);
  pair12(&p, &keys[0]);
  p.ccfg.cipher_suites = tg_bytes_of(mixed, sizeof mixed);
  pair_start(&p);
  pump(&p);
  expect12(&p);
  cr_expect_eq(tg_conn_info(p.s)->cipher_suite, 0xc02b);
  pair_free(&p);
}

/* RSA key transport is off by default: a server never picks it. */
Test(tls12, rsa_kx_off_by_default) {
  static const uint8_t rsa[] = {0x00, 0x9c};
  pair p;
  pair12(&p, &keys[2]);
  p.ccfg.cipher_suites = tg_bytes_of(rsa, 2);
  p.ccfg.rsa_key_exchange = true;
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_handshake_failure, "RSA kx off");
  pair_free(&p);
}

/* RFC 5746: renegotiation refused with a warning, the connection stays up. */
Test(tls12, renegotiation_refused) {
  static const uint8_t hello_request[] = {0, 0, 0, 0};
  pair p;
  pair12(&p, &keys[0]);
  pair_start(&p);
  pump(&p);
  expect12(&p);
  cr_assert_eq(tg_conn_inject_record(p.s, TG_CT_handshake, 0, tg_bytes_of(hello_request, 4), true),
               TG_OK);
  tt_buf out = take_output(p.s);
  cr_assert_eq(tg_conn_feed(p.c, tt_view(out)), TG_OK, "%s", tg_conn_info(p.c)->err.what);
  tt_free(&out);
  out = take_output(p.c); /* the client's warning alert, protected */
  cr_expect_gt(out.len, 0, "the client answered");
  cr_assert_eq(tg_conn_feed(p.s, tt_view(out)), TG_OK, "the warning is not fatal");
  tt_free(&out);
  expect12(&p);
  transfer(&p, p.c, p.s, 10);
  pair_free(&p);
}

/* A named deviation in TLS 1.2: corrupt_finished on the client, decrypt_error at the server. */
Test(tls12, corrupt_finished_deviation) {
  tg_deviation_set set;
  tg_err err;
  tg_deviation_set_init(&set);
  cr_assert_eq(tg_deviation_set_add(&set, "corrupt_finished", NULL, &err), TG_OK, "%s", err.what);
  pair p;
  pair12(&p, &keys[0]);
  tg_deviation_set_attach(&set, &p.ccfg);
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_decrypt_error, "corrupt Finished");
  pair_free(&p);
  tg_deviation_set_free(&set);
}
