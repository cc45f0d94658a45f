/* The engine's client and server talking to each other in memory: every suite and group, each
 * kind of server key, application data both ways, close_notify, KeyUpdate, client
 * authentication, HelloRetryRequest and middlebox compatibility mode. Misbehaviour, malformed
 * input and the deviation hooks are in engine_misbehave_test.c. */
#include "engine_pair.h"
#include "tg/extensions.h"

/* ---- Handshakes that succeed --------------------------------------------------------------- */

Test(engine, every_suite_and_group) {
  static const uint16_t suites[] = {0x1301, 0x1302, 0x1303};
  static const uint16_t groups[] = {TG_GROUP_x25519, TG_GROUP_secp256r1, TG_GROUP_secp384r1};
  for (size_t i = 0; i < 3; i++) {
    for (size_t j = 0; j < 3; j++) {
      uint8_t suite[2] = {(uint8_t)(suites[i] >> 8), (uint8_t)suites[i]};
      uint8_t group[2] = {(uint8_t)(groups[j] >> 8), (uint8_t)groups[j]};
      pair p;
      pair_init(&p, &keys[0]);
      p.ccfg.cipher_suites = tg_bytes_of(suite, 2);
      p.ccfg.key_share_groups = tg_bytes_of(group, 2);
      p.scfg.groups = tg_bytes_of(group, 2); /* the server's choice is the client's share */
      pair_start(&p);
      pump(&p);
      expect_established(&p);
      cr_expect_eq(tg_conn_info(p.c)->cipher_suite, suites[i]);
      cr_expect_eq(tg_conn_info(p.s)->group, groups[j], "suite %04x group %04x", suites[i],
                   groups[j]);
      transfer(&p, p.c, p.s, 1000);
      transfer(&p, p.s, p.c, 1000);
      pair_free(&p);
    }
  }
}

Test(engine, every_server_key) {
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    pair p;
    pair_init(&p, &keys[i]);
    pair_start(&p);
    pump(&p);
    expect_established(&p);
    cr_expect_eq(tg_conn_info(p.c)->peer_sig_scheme, keys[i].scheme, "%s: scheme 0x%04x",
                 keys[i].name, tg_conn_info(p.c)->peer_sig_scheme);
    transfer(&p, p.s, p.c, 10);
    pair_free(&p);
  }
}

Test(engine, hundred_kib_both_ways) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  pump(&p);
  expect_established(&p);
  transfer(&p, p.c, p.s, 100 * 1024);
  transfer(&p, p.s, p.c, 100 * 1024);
  pair_free(&p);
}

Test(engine, byte_by_byte_delivery) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  /* Every record arrives one byte at a time: partial records wait, nothing fails. */
  for (int round = 0; round < 8; round++) {
    tg_conn *from[2] = {p.c, p.s}, *to[2] = {p.s, p.c};
    for (int d = 0; d < 2; d++) {
      tt_buf out = tt_copy(tg_conn_output(from[d]).p, tg_conn_output(from[d]).len);
      tg_conn_output_consumed(from[d], out.len);
      for (size_t i = 0; i < out.len; i++)
        cr_assert_eq(tg_conn_feed(to[d], tg_bytes_of(out.p + i, 1)), TG_OK, "byte %zu: %s", i,
                     tg_conn_info(to[d])->err.what);
      tt_free(&out);
    }
  }
  expect_established(&p);
  pair_free(&p);
}

Test(engine, close_notify) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  pump(&p);
  cr_assert_eq(tg_conn_close(p.c), TG_OK);
  cr_expect_eq(tg_conn_info(p.c)->phase, TG_PHASE_CLOSED);
  cr_expect_neq(tg_conn_write(p.c, tg_bytes_of("x", 1)), TG_OK, "write after close accepted");
  pump(&p);
  const struct tg_conn_info *si = tg_conn_info(p.s);
  cr_expect(si->peer_closed);
  cr_expect_eq(si->phase, TG_PHASE_CLOSED);
  cr_expect_eq(si->alert_received, -1, "close_notify is not an error");
  cr_expect_eq(p.sst, TG_OK);
  pair_free(&p);
}

Test(engine, alpn_and_sni) {
  /* ProtocolNameList bodies: client offers h2, http/1.1; the server prefers http/1.1. */
  static const char c_alpn[] = "\x02h2\x08http/1.1", s_alpn[] = "\x08http/1.1\x02h2";
  pair p;
  pair_init(&p, &keys[0]);
  p.ccfg.alpn = tg_bytes_of(c_alpn, sizeof c_alpn - 1);
  p.scfg.alpn = tg_bytes_of(s_alpn, sizeof s_alpn - 1);
  p.ccfg.server_name = "example.com";
  p.scfg.server_name = "EXAMPLE.com";
  pair_start(&p);
  pump(&p);
  expect_established(&p);
  cr_expect(tg_bytes_eq(tg_conn_info(p.c)->alpn, tg_bytes_of("http/1.1", 8)));
  cr_expect(tg_bytes_eq(tg_conn_info(p.s)->alpn, tg_bytes_of("http/1.1", 8)));
  pair_free(&p);
}

Test(engine, key_update_both_ways) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  pump(&p);
  cr_assert_eq(tg_conn_key_update(p.c, true), TG_OK);
  pump(&p);
  /* The server answered update_requested with its own KeyUpdate: both directions moved on. */
  size_t hl = p.s->ks.hlen;
  cr_expect(memcmp(p.s->wr.secret, p.s->ks.server_application_traffic_secret_0, hl) != 0,
            "the server did not update its sending key");
  cr_expect(memcmp(p.c->wr.secret, p.c->ks.client_application_traffic_secret_0, hl) != 0,
            "the client did not update its sending key");
  cr_expect(memcmp(p.c->rd.secret, p.s->wr.secret, hl) == 0);
  cr_expect(memcmp(p.s->rd.secret, p.c->wr.secret, hl) == 0);
  transfer(&p, p.c, p.s, 100);
  transfer(&p, p.s, p.c, 100);
  pair_free(&p);
}

Test(engine, client_certificate_presented) {
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    pair p;
    pair_init(&p, &keys[0]);
    pair_client_auth(&p, &keys[i], true);
    pair_start(&p);
    pump(&p);
    expect_established(&p);
    cr_expect_eq(tg_conn_info(p.s)->peer_sig_scheme, keys[i].scheme, "%s", keys[i].name);
    transfer(&p, p.c, p.s, 100);
    pair_free(&p);
  }
}

Test(engine, client_certificate_missing_is_certificate_required) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_client_auth(&p, &keys[2], false);
  pair_start(&p);
  pump(&p);
  /* RFC 8446 §4.4.2.4: the client answers with an empty Certificate; this server refuses it. */
  const struct tg_conn_info *si = tg_conn_info(p.s);
  cr_expect_eq(si->alert_sent, TG_ALERT_certificate_required, "%s", si->err.what);
  cr_expect_eq(tg_conn_info(p.c)->alert_received, TG_ALERT_certificate_required);
  pair_free(&p);
}

Test(engine, client_certificate_unknown_is_unknown_ca) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_client_auth(&p, &keys[2], true);
  p.ctrusted = tt_view(p.spki); /* the server trusts some other key */
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_unknown_ca, "client key not the known key");
  pair_free(&p);
}

/* ---- HelloRetryRequest (RFC 8446 §4.1.4) -------------------------------------------------- */

/* The server takes only secp256r1; the client sends a share for x25519 only (and lists
 * secp256r1 in supported_groups). */
Test(engine, hello_retry_request_for_group) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_force_hrr(&p);
  pair_start(&p);
  pump(&p);
  expect_established(&p);
  cr_expect(tg_conn_info(p.c)->hello_retry);
  cr_expect(tg_conn_info(p.s)->hello_retry);
  cr_expect_eq(tg_conn_info(p.c)->group, TG_GROUP_secp256r1);
  transfer(&p, p.c, p.s, 100);
  pair_free(&p);
}

Test(engine, hello_retry_request_with_cookie) {
  static const uint8_t suite[] = {0x13, 0x02};
  pair p;
  pair_init(&p, &keys[2]);
  pair_force_hrr(&p);
  p.ccfg.cipher_suites = tg_bytes_of(suite, 2); /* SHA-384 for the message_hash */
  p.scfg.hrr_cookie = tg_bytes_of("a cookie", 8);
  pair_start(&p);
  pump(&p);
  expect_established(&p);
  cr_expect(tg_conn_info(p.c)->hello_retry);
  cr_expect_eq(tg_conn_info(p.c)->cipher_suite, 0x1302);
  pair_free(&p);
}

/* ---- Middlebox compatibility (RFC 8446 Appendix D.4) --------------------------------------- */
static void pump_counting(pair *p, size_t *c_ccs, size_t *s_ccs) {
  for (int round = 0; round < 16; round++) {
    tt_buf co = take_output(p->c), so = take_output(p->s);
    *c_ccs += count_records(tt_view(co), TG_CT_change_cipher_spec);
    *s_ccs += count_records(tt_view(so), TG_CT_change_cipher_spec);
    if (co.len)
      p->sst = tg_conn_feed(p->s, tt_view(co));
    if (so.len)
      p->cst = tg_conn_feed(p->c, tt_view(so));
    tt_free(&co);
    tt_free(&so);
  }
}

Test(engine, no_change_cipher_spec_by_default) {
  pair p;
  size_t c_ccs = 0, s_ccs = 0;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  pump_counting(&p, &c_ccs, &s_ccs);
  expect_established(&p);
  cr_expect_eq(c_ccs + s_ccs, 0);
  pair_free(&p);
}

Test(engine, middlebox_compat_mode) {
  for (int hrr = 0; hrr < 2; hrr++) {
    pair p;
    size_t c_ccs = 0, s_ccs = 0;
    pair_init(&p, &keys[0]);
    p.ccfg.middlebox_compat = true;
    if (hrr)
      pair_force_hrr(&p);
    pair_start(&p);
    pump_counting(&p, &c_ccs, &s_ccs);
    expect_established(&p);
    /* Exactly one each way, whether or not a HelloRetryRequest came first. */
    cr_expect_eq(c_ccs, 1, "client sent %zu (hrr %d)", c_ccs, hrr);
    cr_expect_eq(s_ccs, 1, "server sent %zu (hrr %d)", s_ccs, hrr);
    cr_expect_eq(tg_conn_info(p.c)->hello_retry, hrr == 1);
    pair_free(&p);
  }
}

Test(engine, key_usage_limit_triggers_key_update) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  pump(&p);
  expect_established(&p);
  /* Both ends of the client's direction jump to the AES-128-GCM limit (RFC 8446 §5.5). */
  uint64_t limit = p.c->wr.aead.desc->record_limit;
  cr_assert_gt(limit, 0);
  tg_prot13_set_seq(&p.c->wr, limit);
  tg_prot13_set_seq(&p.s->rd, limit);
  uint8_t before[TG_MAX_HASH_LEN];
  memcpy(before, p.c->wr.secret, sizeof before);
  transfer(&p, p.c, p.s, 100);
  cr_expect(memcmp(before, p.c->wr.secret, p.c->ks.hlen) != 0, "no KeyUpdate at the limit");
  cr_expect_eq(tg_prot13_seq(&p.c->wr), 1, "the data went under the new key");
  transfer(&p, p.c, p.s, 100);
  pair_free(&p);
}

/* The body of extension `type` in the ClientHello record at the front of out. */
static tg_bytes hello_ext(tg_bytes out, uint16_t type) {
  tg_reader r;
  tg_handshake m;
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
  tg_bytes body = {NULL, 0};
  cr_assert_gt(out.len, 5);
  tg_reader_init(&r, out.p + 5, out.len - 5, NULL);
  cr_assert_eq(tg_handshake_decode(&r, &ctx, &m), TG_OK);
  cr_assert_eq(m.msg_type, TG_HS_client_hello);
  cr_assert(tg_ext_find(m.u.client_hello.extensions, type, &body), "no extension %u", type);
  return body;
}

Test(engine, hello_retry_request_with_only_a_cookie) {
  /* RFC 8446 §4.1.4: an HRR may ask only for a cookie; the second ClientHello then carries the
   * same key share, and the cookie. (This server never sends one: the HRR is built here.) */
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  tt_buf ch1 = take_output(p.c);
  tt_buf share1 = tt_copy(hello_ext(tt_view(ch1), TG_EXT_key_share).p,
                          hello_ext(tt_view(ch1), TG_EXT_key_share).len);
  static const uint8_t exts[] = {0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, /* supported_versions */
                                 0x00, 0x2c, 0x00, 0x05, 0x00, 0x03, 'c', 'k', 'y'};
  tg_handshake hrr = {.msg_type = TG_HS_server_hello};
  hrr.u.server_hello = (tg_server_hello){.legacy_version = 0x0303,
                                         .cipher_suite = 0x1301,
                                         .has_extensions = true,
                                         .extensions = tg_bytes_of(exts, sizeof exts)};
  memcpy(hrr.u.server_hello.random, tg_hrr_random, 32);
  uint8_t msg[256], rec[300];
  tg_writer w, wr;
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
  tg_writer_init(&w, msg, sizeof msg, NULL);
  tg_handshake_encode(&w, &ctx, &hrr);
  tg_writer_init(&wr, rec, sizeof rec, NULL);
  tg_record_write(&wr, TG_CT_handshake, 0x0303, tg_writer_bytes(&w));
  cr_assert_eq(tg_writer_status(&wr), TG_OK);
  cr_assert_eq(tg_conn_feed(p.c, tg_writer_bytes(&wr)), TG_OK, "%s", tg_conn_info(p.c)->err.what);
  tt_buf ch2 = take_output(p.c);
  cr_expect(tg_bytes_eq(hello_ext(tt_view(ch2), TG_EXT_key_share), tt_view(share1)),
            "the key share changed");
  cr_expect(tg_bytes_eq(hello_ext(tt_view(ch2), TG_EXT_cookie), tg_bytes_of("\x00\x03"
                                                                            "cky",
                                                                            5)));
  cr_expect(tg_conn_info(p.c)->hello_retry);
  tt_free(&ch1);
  tt_free(&ch2);
  tt_free(&share1);
  pair_free(&p);
}
