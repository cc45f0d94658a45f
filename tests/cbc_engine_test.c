/* The engine's TLS 1.2 CBC suites end to end, client and server in memory: every suite with and
 * without encrypt_then_mac (RFC 7366), the EtM negotiation rules (echoed only with a CBC suite;
 * echoed with an AEAD suite or unasked, refused), the cbc_* deviations seen by the peer, and a
 * resumed session that negotiates EtM again. */
#include "engine_pair.h"
#include "tg/deviations.h"

static const uint16_t cbc_suites[] = {0xc009, 0xc00a, 0xc023, 0xc024, 0xc013, 0xc014,
                                      0xc027, 0xc028, 0x002f, 0x0035, 0x003c, 0x003d};

static void pair12(pair *p, uint16_t suite, uint8_t *wire) {
  const tg_cipher_suite *s = tg_cipher_suite_find(suite);
  pair_init(p, &keys[s->auth == TG_SUITE_AUTH_ECDSA ? 0 : 2]);
  p->ccfg.max_version = p->scfg.max_version = TG_VERSION_TLS12;
  p->ccfg.rsa_key_exchange = p->scfg.rsa_key_exchange = true;
  wire[0] = (uint8_t)(suite >> 8), wire[1] = (uint8_t)suite;
  p->ccfg.cipher_suites = tg_bytes_of(wire, 2);
}

static void with_deviation(tg_deviation_set *set, tg_config *cfg, const char *spec) {
  tg_err err;
  tg_deviation_set_init(set);
  cr_assert_eq(tg_deviation_set_add(set, spec, NULL, &err), TG_OK, "%s", err.what);
  tg_deviation_set_attach(set, cfg);
}

Test(cbc_engine, every_suite_with_and_without_etm) {
  for (size_t i = 0; i < sizeof cbc_suites / sizeof cbc_suites[0]; i++)
    for (int etm = 0; etm < 2; etm++) {
      pair p;
      uint8_t wire[2];
      tg_deviation_set set;
      pair12(&p, cbc_suites[i], wire);
      if (!etm)
        with_deviation(&set, &p.ccfg, "drop_extension:encrypt_then_mac");
      pair_start(&p);
      pump(&p);
      const struct tg_conn_info *ci = tg_conn_info(p.c), *si = tg_conn_info(p.s);
      cr_assert_eq(ci->phase, TG_PHASE_ESTABLISHED, "%04x etm %d client: %s", cbc_suites[i], etm,
                   ci->err.what);
      cr_assert_eq(si->phase, TG_PHASE_ESTABLISHED, "%04x etm %d server: %s", cbc_suites[i], etm,
                   si->err.what);
      cr_expect_eq(ci->cipher_suite, cbc_suites[i]);
      cr_expect_eq(ci->etm, etm, "%04x: client EtM %d", cbc_suites[i], ci->etm);
      cr_expect_eq(si->etm, etm, "%04x: server EtM %d", cbc_suites[i], si->etm);
      transfer(&p, p.c, p.s, 5000);
      transfer(&p, p.s, p.c, 40000);
      pair_free(&p);
      if (!etm)
        tg_deviation_set_free(&set);
    }
}

/* A default configuration offers the CBC suites last and EtM with them; an AEAD suite wins, and
 * the server then leaves EtM out (RFC 7366 3). */
Test(cbc_engine, aead_preferred_and_no_etm_with_it) {
  pair p;
  pair_init(&p, &keys[0]);
  p.ccfg.max_version = p.scfg.max_version = TG_VERSION_TLS12;
  pair_start(&p);
  pump(&p);
  cr_assert_eq(tg_conn_info(p.c)->phase, TG_PHASE_ESTABLISHED, "%s", tg_conn_info(p.c)->err.what);
  cr_expect_eq(tg_conn_info(p.c)->cipher_suite, 0xc02b);
  cr_expect(!tg_conn_info(p.c)->etm && !tg_conn_info(p.s)->etm);
  pair_free(&p);
}

/* A client offering CBC only (the case the engine used to refuse) gets a CBC suite. */
Test(cbc_engine, cbc_only_client_accepted_by_default_server) {
  static const uint8_t only[] = {0xc0, 0x13, 0xc0, 0x14, 0x00, 0x2f};
  pair p;
  pair_init(&p, &keys[2]);
  p.ccfg.max_version = p.scfg.max_version = TG_VERSION_TLS12;
  p.ccfg.cipher_suites = tg_bytes_of(only, sizeof only);
  pair_start(&p);
  pump(&p);
  cr_assert_eq(tg_conn_info(p.s)->phase, TG_PHASE_ESTABLISHED, "%s", tg_conn_info(p.s)->err.what);
  cr_expect_eq(tg_conn_info(p.s)->cipher_suite, 0xc013);
  cr_expect(tg_conn_info(p.s)->etm);
  pair_free(&p);
}

/* RFC 7366 3: EtM echoed with an AEAD suite is illegal_parameter at the client; echoed to a
 * client that did not offer it (no CBC suite offered), unsupported_extension. */
Test(cbc_engine, etm_echo_refused) {
  static const uint8_t gcm[] = {0xc0, 0x2b};
  for (int offered = 0; offered < 2; offered++) {
    pair p;
    tg_deviation_set set;
    pair_init(&p, &keys[0]);
    p.ccfg.max_version = p.scfg.max_version = TG_VERSION_TLS12;
    if (offered)
      p.scfg.cipher_suites = tg_bytes_of(gcm, 2); /* the client offers CBC too, and EtM */
    else
      p.ccfg.cipher_suites = tg_bytes_of(gcm, 2);
    with_deviation(&set, &p.scfg, "add_extension:encrypt_then_mac:@server_hello");
    pair_start(&p);
    pump(&p);
    expect_alert(p.c, p.s, offered ? TG_ALERT_illegal_parameter : TG_ALERT_unsupported_extension,
                 offered ? "EtM with AES-GCM" : "EtM not offered");
    pair_free(&p);
    tg_deviation_set_free(&set);
  }
}

/* Each cbc_* deviation on the client's Finished record: bad_record_mac from the server, with and
 * without EtM. */
Test(cbc_engine, cbc_deviations_get_bad_record_mac) {
  static const char *const flaws[] = {
      "cbc_bad_mac",   "cbc_bad_padding", "cbc_padding_overflow", "cbc_truncated_mac",
      "cbc_one_block", "cbc_flip_iv",     "cbc_partial_block"};
  for (size_t f = 0; f < sizeof flaws / sizeof flaws[0]; f++)
    for (int etm = 0; etm < 2; etm++) {
      pair p;
      uint8_t wire[2];
      tg_deviation_set set;
      tg_err err;
      char spec[64];
      pair12(&p, 0xc009, wire);
      tg_deviation_set_init(&set);
      snprintf(spec, sizeof spec, "%s@finished", flaws[f]);
      cr_assert_eq(tg_deviation_set_add(&set, spec, NULL, &err), TG_OK, "%s", err.what);
      if (!etm)
        cr_assert_eq(tg_deviation_set_add(&set, "drop_extension:encrypt_then_mac", NULL, &err),
                     TG_OK);
      tg_deviation_set_attach(&set, &p.ccfg);
      pair_start(&p);
      pump(&p);
      cr_expect_eq(set.dev[0].hits, 1, "%s applied once", flaws[f]);
      expect_alert(p.s, p.c, TG_ALERT_bad_record_mac, flaws[f]);
      pair_free(&p);
      tg_deviation_set_free(&set);
    }
}

/* Resumption negotiates EtM again in its hellos (the engine refuses renegotiation, so a
 * connection's EtM never changes, RFC 7366 3.1); the resumed connection carries data. */
Test(cbc_engine, resumed_session_keeps_etm) {
  static const uint8_t key[16] = {1, 2, 3};
  pair p;
  uint8_t wire[2];
  pair12(&p, 0xc00a, wire);
  p.scfg.ticket_key = tg_bytes_of(key, sizeof key);
  pair_start(&p);
  pump(&p);
  cr_assert_eq(tg_conn_info(p.c)->phase, TG_PHASE_ESTABLISHED, "%s", tg_conn_info(p.c)->err.what);
  tg_ticket t;
  cr_assert(tg_conn_ticket(p.c, 0, &t));
  tg_conn_free(p.c);
  tg_conn_free(p.s);
  p.ccfg.resume = &t;
  pair_start(&p);
  pump(&p);
  cr_assert_eq(tg_conn_info(p.c)->phase, TG_PHASE_ESTABLISHED, "%s", tg_conn_info(p.c)->err.what);
  cr_expect(tg_conn_info(p.c)->resumed);
  cr_expect(tg_conn_info(p.c)->etm && tg_conn_info(p.s)->etm);
  transfer(&p, p.c, p.s, 100);
  pair_free(&p);
}
