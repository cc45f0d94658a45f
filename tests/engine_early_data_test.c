/* A server that rejects 0-RTT (RFC 8446 §4.2.10; the engine accepts none, engine.h): the
 * client's early data records are skipped, after a HelloRetryRequest too, up to
 * TG_EARLY_DATA_SKIP_MAX; without early_data in the ClientHello, or past the bound, or once a
 * record has opened, they are the errors they are. */
#include "engine_pair.h"
#include "tg/extensions.h"

/* Adds an empty early_data extension to the first ClientHello only: a second one, after a
 * HelloRetryRequest, must not offer it (RFC 8446 §4.2.10). */
typedef struct ed_ctx {
  int hellos;
  uint8_t exts[1024];
} ed_ctx;

static tg_hook_action add_early_data(void *ctx, tg_conn *c, tg_handshake *m) {
  ed_ctx *h = ctx;
  (void)c;
  if (m->msg_type != TG_HS_client_hello || h->hellos++ > 0)
    return TG_HOOK_SEND;
  tg_writer w;
  tg_writer_init(&w, h->exts, sizeof h->exts, NULL);
  tg_w_view(&w, m->u.client_hello.extensions);
  tg_ext_emit_raw(&w, TG_EXT_early_data, tg_bytes_of(NULL, 0));
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  m->u.client_hello.extensions = tg_writer_bytes(&w);
  return TG_HOOK_SEND;
}

/* n records of type application_data with body_len bytes each: what 0-RTT data looks like to a
 * server without the early traffic keys. */
static tt_buf fake_early_data(size_t n, size_t body_len) {
  size_t len = n * (5 + body_len);
  uint8_t *b = malloc(len);
  for (size_t i = 0; i < n; i++) {
    uint8_t *r = b + i * (5 + body_len);
    r[0] = TG_CT_application_data;
    r[1] = 0x03;
    r[2] = 0x03;
    r[3] = (uint8_t)(body_len >> 8);
    r[4] = (uint8_t)body_len;
    for (size_t k = 0; k < body_len; k++)
      r[5 + k] = (uint8_t)(k * 31 + i);
  }
  return (tt_buf){b, len};
}

/* The client's first flight with the records after it, fed to the server at once; then the rest
 * of the handshake. */
static void first_flight_then(pair *p, tt_buf records) {
  tt_buf ch = take_output(p->c);
  uint8_t *both = malloc(ch.len + records.len);
  memcpy(both, ch.p, ch.len);
  memcpy(both + ch.len, records.p, records.len);
  p->sst = tg_conn_feed(p->s, tg_bytes_of(both, ch.len + records.len));
  free(both);
  tt_free(&ch);
  tt_free(&records);
  pump(p);
}

static void start(pair *p, ed_ctx *h, tg_hooks *hk, bool offer, bool hrr) {
  *hk = (tg_hooks){h, add_early_data, NULL, NULL, NULL, NULL};
  pair_init(p, &keys[0]);
  if (hrr)
    pair_force_hrr(p);
  if (offer)
    p->ccfg.hooks = hk;
  pair_start(p);
}

Test(early_data, rejected_records_are_skipped) {
  pair p;
  ed_ctx h = {0};
  tg_hooks hk;
  start(&p, &h, &hk, true, false);
  first_flight_then(&p, fake_early_data(3, 100));
  expect_established(&p);
  cr_expect_eq(h.hellos, 1);
  transfer(&p, p.c, p.s, 1000); /* the skipping ended with the client's Finished */
  pair_free(&p);
}

Test(early_data, after_hello_retry_request_records_are_skipped) {
  pair p;
  ed_ctx h = {0};
  tg_hooks hk;
  start(&p, &h, &hk, true, true);
  first_flight_then(&p, fake_early_data(2, 64));
  expect_established(&p);
  cr_expect(tg_conn_info(p.s)->hello_retry, "no HelloRetryRequest happened");
  cr_expect_eq(h.hellos, 2, "the second ClientHello went out without early_data");
  pair_free(&p);
}

Test(early_data, not_offered_is_bad_record_mac) {
  pair p;
  ed_ctx h = {0};
  tg_hooks hk;
  start(&p, &h, &hk, false, false);
  first_flight_then(&p, fake_early_data(1, 100));
  expect_alert(p.s, p.c, TG_ALERT_bad_record_mac, "a 0-RTT record without early_data");
  pair_free(&p);
}

Test(early_data, not_offered_after_hello_retry_request_is_unexpected_message) {
  pair p;
  ed_ctx h = {0};
  tg_hooks hk;
  start(&p, &h, &hk, false, true);
  first_flight_then(&p, fake_early_data(1, 100));
  expect_alert(p.s, p.c, TG_ALERT_unexpected_message, "application_data after a HRR");
  pair_free(&p);
}

Test(early_data, past_the_bound_is_bad_record_mac) {
  pair p;
  ed_ctx h = {0};
  tg_hooks hk;
  start(&p, &h, &hk, true, false);
  /* Four records of 16 KB: 65,556 bytes, past TG_EARLY_DATA_SKIP_MAX; three would be skipped. */
  cr_assert_gt(4 * (5 + 16384), TG_EARLY_DATA_SKIP_MAX);
  cr_assert_leq(3 * (5 + 16384), TG_EARLY_DATA_SKIP_MAX);
  first_flight_then(&p, fake_early_data(4, 16384));
  expect_alert(p.s, p.c, TG_ALERT_bad_record_mac, "early data past the bound");
  pair_free(&p);
}

Test(early_data, after_the_handshake_a_bad_record_is_bad_record_mac) {
  pair p;
  ed_ctx h = {0};
  tg_hooks hk;
  start(&p, &h, &hk, true, false);
  first_flight_then(&p, fake_early_data(1, 100));
  expect_established(&p);
  tt_buf bad = fake_early_data(1, 100);
  cr_expect_neq(tg_conn_feed(p.s, tg_bytes_of(bad.p, bad.len)), TG_OK);
  cr_expect_eq(tg_conn_info(p.s)->alert_sent, TG_ALERT_bad_record_mac);
  tt_free(&bad);
  pair_free(&p);
}
