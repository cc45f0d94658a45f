/* 0-RTT (RFC 8446 §2.3, §4.2.10, §4.5, §8.1), client and server in memory.
 * A server that rejects it skips the client's early data records, after a HelloRetryRequest
 * too, up to TG_EARLY_DATA_SKIP_MAX; without early_data in the ClientHello, or past the bound,
 * or once a record has opened, they are the errors they are. A server with max_early_data_size
 * and a ticket store accepts it on a ticket of its own once: the data is read apart from 1-RTT
 * data, EndOfEarlyData ends it. */
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
  *hk = (tg_hooks){.ctx = h, .message = add_early_data};
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

/* ---- Accepted 0-RTT ------------------------------------------------------------------------ */

static const uint8_t ticket_key[16] = "0123456789abcdef";

/* The RFC 8446 §8.1 database: tickets issued and not yet used for 0-RTT. */
typedef struct store {
  uint8_t tickets[4][TG_TICKET_MAX_LEN];
  size_t lens[4], n, issued, redeemed, refused;
} store;

static void store_issued(void *ctx, tg_bytes t) {
  store *st = ctx;
  st->issued++;
  cr_assert_lt(st->n, 4);
  cr_assert_leq(t.len, TG_TICKET_MAX_LEN);
  memcpy(st->tickets[st->n], t.p, t.len);
  st->lens[st->n++] = t.len;
}

static bool store_redeem(void *ctx, tg_bytes t) {
  store *st = ctx;
  for (size_t i = 0; i < st->n; i++) {
    if (tg_bytes_eq(t, tg_bytes_of(st->tickets[i], st->lens[i]))) {
      st->lens[i] = 0; /* forgotten: an empty ticket matches nothing */
      st->redeemed++;
      return true;
    }
  }
  st->refused++;
  return false;
}

/* Which handshake messages each side sent; a server hook may add early_data to its
 * EncryptedExtensions. */
typedef struct msg_log {
  uint64_t types;
  bool ee_early_data;
  bool skip_eoed; /* the client does not send its EndOfEarlyData */
  int client_hellos_with_early_data;
  uint8_t block[1024];
} msg_log;

static tg_hook_action log_msg(void *ctx, tg_conn *c, tg_handshake *m) {
  msg_log *log = ctx;
  tg_bytes body;
  (void)c;
  log->types |= 1ull << m->msg_type;
  if (m->msg_type == TG_HS_end_of_early_data && log->skip_eoed)
    return TG_HOOK_SKIP;
  if (m->msg_type == TG_HS_client_hello &&
      tg_ext_find(m->u.client_hello.extensions, TG_EXT_early_data, &body))
    log->client_hellos_with_early_data++;
  if (m->msg_type == TG_HS_encrypted_extensions && log->ee_early_data) {
    tg_writer w;
    tg_writer_init(&w, log->block, sizeof log->block, NULL);
    tg_w_view(&w, m->u.encrypted_extensions.extensions);
    tg_ext_emit_raw(&w, TG_EXT_early_data, tg_bytes_of(NULL, 0));
    cr_assert_eq(tg_writer_status(&w), TG_OK);
    m->u.encrypted_extensions.extensions = tg_writer_bytes(&w);
  }
  return TG_HOOK_SEND;
}

typedef struct zrtt {
  pair p;
  store st;
  tg_ticket_store ts;
  msg_log clog, slog;
  tg_hooks chooks, shooks;
  tg_ticket ticket;
} zrtt;

static const char early_text[] = "GET / HTTP/1.1\r\n\r\n";

/* A full handshake with a server that allows max_early bytes of 0-RTT; the ticket is kept. */
static void zrtt_first(zrtt *z, uint32_t max_early) {
  memset(z, 0, sizeof *z);
  pair_init(&z->p, &keys[0]);
  z->ts = (tg_ticket_store){&z->st, store_issued, store_redeem};
  z->chooks = (tg_hooks){.ctx = &z->clog, .message = log_msg};
  z->shooks = (tg_hooks){.ctx = &z->slog, .message = log_msg};
  z->p.ccfg.hooks = &z->chooks;
  z->p.scfg.hooks = &z->shooks;
  z->p.scfg.ticket_key = tg_bytes_of(ticket_key, 16);
  z->p.scfg.ticket_store = &z->ts;
  z->p.scfg.max_early_data_size = max_early;
  pair_start(&z->p);
  pump(&z->p);
  expect_established(&z->p);
  cr_assert(tg_conn_ticket(z->p.c, 0, &z->ticket));
  cr_expect_eq(z->ticket.max_early_data_size, max_early);
  cr_expect_eq(z->st.issued, max_early > 0 ? 1u : 0u);
}

/* The next connection resumes with the ticket and sends `data` as 0-RTT. */
static void zrtt_again(zrtt *z, const char *data) {
  tg_conn_free(z->p.c);
  tg_conn_free(z->p.s);
  z->clog.types = z->slog.types = 0;
  z->clog.client_hellos_with_early_data = 0;
  z->p.ccfg.resume = &z->ticket;
  z->p.ccfg.early_data = tg_bytes_of(data, strlen(data));
  pair_start(&z->p);
  pump(&z->p);
}

static void expect_early(zrtt *z, const char *data) {
  char got[256] = {0};
  size_t n = tg_conn_read_early(z->p.s, (uint8_t *)got, sizeof got - 1);
  cr_expect_eq(n, strlen(data), "%zu bytes of early data, want %zu", n, strlen(data));
  cr_expect_str_eq(got, data);
}

Test(early_data, accepted_and_read_apart_then_replay_rejected) {
  zrtt z;
  zrtt_first(&z, 1024);
  zrtt_again(&z, early_text);
  expect_established(&z.p);
  cr_expect(tg_conn_info(z.p.s)->resumed);
  cr_expect_eq(tg_conn_info(z.p.c)->early_data, TG_EARLY_DATA_ACCEPTED);
  cr_expect_eq(tg_conn_info(z.p.s)->early_data, TG_EARLY_DATA_ACCEPTED);
  cr_expect_eq(z.clog.client_hellos_with_early_data, 1);
  cr_expect(z.clog.types & (1ull << TG_HS_end_of_early_data), "no EndOfEarlyData sent");
  uint8_t b;
  cr_expect_eq(tg_conn_read(z.p.s, &b, 1), 0, "early data read as 1-RTT data");
  expect_early(&z, early_text);
  cr_expect_eq(z.st.redeemed, 1);
  transfer(&z.p, z.p.c, z.p.s, 3000);
  transfer(&z.p, z.p.s, z.p.c, 3000);
  cr_expect_eq(tg_conn_read_early(z.p.s, &b, 1), 0);
  /* The same ticket again (RFC 8446 §8.1, single-use tickets): it resumes, its early data is
   * rejected, skipped, and reported as not delivered. */
  zrtt_again(&z, early_text);
  expect_established(&z.p);
  cr_expect(tg_conn_info(z.p.s)->resumed);
  cr_expect_eq(tg_conn_info(z.p.c)->early_data, TG_EARLY_DATA_REJECTED);
  cr_expect_eq(tg_conn_info(z.p.s)->early_data, TG_EARLY_DATA_REJECTED);
  cr_expect_eq(z.st.redeemed, 1);
  cr_expect_eq(z.st.refused, 1);
  cr_expect_not(z.clog.types & (1ull << TG_HS_end_of_early_data));
  cr_expect_eq(tg_conn_read_early(z.p.s, &b, 1), 0);
  transfer(&z.p, z.p.c, z.p.s, 100);
  pair_free(&z.p);
}

Test(early_data, accepted_with_middlebox_compat) {
  zrtt z;
  zrtt_first(&z, 1024);
  z.p.ccfg.middlebox_compat = true;
  zrtt_again(&z, early_text);
  expect_established(&z.p);
  cr_expect_eq(tg_conn_info(z.p.c)->early_data, TG_EARLY_DATA_ACCEPTED);
  expect_early(&z, early_text);
  pair_free(&z.p);
}

Test(early_data, server_without_max_early_data_size_rejects) {
  zrtt z;
  zrtt_first(&z, 1024);
  z.p.scfg.max_early_data_size = 0;
  zrtt_again(&z, early_text);
  expect_established(&z.p);
  cr_expect(tg_conn_info(z.p.s)->resumed);
  cr_expect_eq(tg_conn_info(z.p.c)->early_data, TG_EARLY_DATA_REJECTED);
  cr_expect_eq(tg_conn_info(z.p.s)->early_data, TG_EARLY_DATA_REJECTED);
  cr_expect_eq(z.st.redeemed + z.st.refused, 0, "the store was asked");
  transfer(&z.p, z.p.c, z.p.s, 100);
  pair_free(&z.p);
}

Test(early_data, rejected_after_a_compatibility_change_cipher_spec_is_skipped) {
  /* RFC 8446 Appendix D.4: the client's change_cipher_spec comes between the ClientHello and
   * the early data, which the server must still skip (as OpenSSL's s_client sends them). */
  zrtt z;
  zrtt_first(&z, 1024);
  z.p.scfg.max_early_data_size = 0;
  z.p.ccfg.middlebox_compat = true;
  zrtt_again(&z, early_text);
  expect_established(&z.p);
  cr_expect_eq(tg_conn_info(z.p.c)->early_data, TG_EARLY_DATA_REJECTED);
  transfer(&z.p, z.p.c, z.p.s, 100);
  pair_free(&z.p);
}

Test(early_data, another_cipher_suite_is_rejected) {
  /* RFC 8446 §4.2.10: the suite must be the ticket's; TLS_CHACHA20_POLY1305_SHA256 has the
   * same hash as the ticket's TLS_AES_128_GCM_SHA256, so the PSK still resumes. */
  static const uint8_t chacha[] = {0x13, 0x03};
  zrtt z;
  zrtt_first(&z, 1024);
  cr_assert_eq(z.ticket.cipher_suite, 0x1301);
  z.p.scfg.cipher_suites = tg_bytes_of(chacha, 2);
  zrtt_again(&z, early_text);
  expect_established(&z.p);
  cr_expect(tg_conn_info(z.p.s)->resumed);
  cr_expect_eq(tg_conn_info(z.p.s)->early_data, TG_EARLY_DATA_REJECTED);
  cr_expect_eq(tg_conn_info(z.p.c)->early_data, TG_EARLY_DATA_REJECTED);
  cr_expect_eq(z.st.redeemed, 0, "a ticket not used for 0-RTT was forgotten");
  pair_free(&z.p);
}

Test(early_data, after_hello_retry_request_not_delivered) {
  zrtt z;
  zrtt_first(&z, 1024);
  pair_force_hrr(&z.p);
  zrtt_again(&z, early_text);
  expect_established(&z.p);
  cr_expect(tg_conn_info(z.p.s)->hello_retry);
  cr_expect(tg_conn_info(z.p.s)->resumed);
  cr_expect_eq(z.clog.client_hellos_with_early_data, 1, "the second ClientHello offers 0-RTT");
  cr_expect_eq(tg_conn_info(z.p.c)->early_data, TG_EARLY_DATA_REJECTED);
  cr_expect_eq(tg_conn_info(z.p.s)->early_data, TG_EARLY_DATA_REJECTED);
  pair_free(&z.p);
}

Test(early_data, not_offered_beyond_what_the_ticket_allows) {
  /* A ticket without early_data (max_early_data_size 0) is used without 0-RTT. */
  zrtt z;
  zrtt_first(&z, 0);
  zrtt_again(&z, early_text);
  expect_established(&z.p);
  cr_expect(tg_conn_info(z.p.s)->resumed);
  cr_expect_eq(z.clog.client_hellos_with_early_data, 0);
  cr_expect_eq(tg_conn_info(z.p.c)->early_data, TG_EARLY_DATA_NONE);
  cr_expect_eq(tg_conn_info(z.p.s)->early_data, TG_EARLY_DATA_NONE);
  pair_free(&z.p);
  /* RFC 8446 §4.6.1: more than the ticket's max_early_data_size is not sent at all. */
  zrtt_first(&z, 8);
  zrtt_again(&z, early_text); /* 18 bytes */
  expect_established(&z.p);
  cr_expect_eq(z.clog.client_hellos_with_early_data, 0);
  cr_expect_eq(tg_conn_info(z.p.c)->early_data, TG_EARLY_DATA_NONE);
  pair_free(&z.p);
}

Test(early_data, more_than_max_early_data_size_is_unexpected_message) {
  /* RFC 8446 §4.6.1: the client believes the ticket allows more than the server said. */
  zrtt z;
  zrtt_first(&z, 8);
  z.ticket.max_early_data_size = 1024;
  zrtt_again(&z, early_text);
  cr_expect_eq(tg_conn_info(z.p.s)->alert_sent, TG_ALERT_unexpected_message, "%s",
               tg_conn_info(z.p.s)->err.what);
  pair_free(&z.p);
}

Test(early_data, unrequested_early_data_in_encrypted_extensions_is_unsupported_extension) {
  /* RFC 8446 §4.2: an extension response not offered is unsupported_extension. */
  zrtt z;
  zrtt_first(&z, 1024);
  z.slog.ee_early_data = true;
  z.p.ccfg.resume = &z.ticket;
  zrtt_again(&z, ""); /* resumes, offers no 0-RTT */
  expect_alert(z.p.c, z.p.s, TG_ALERT_unsupported_extension, "EncryptedExtensions early_data");
  pair_free(&z.p);
}

/* A flight of one EndOfEarlyData goes out twice (in one record). */
static void twice_eoed(void *ctx, tg_conn *c, tg_bytes *msgs, size_t *n, size_t cap) {
  (void)ctx, (void)c;
  if (*n == 1 && cap >= 2 && msgs[0].len == 4 && msgs[0].p[0] == TG_HS_end_of_early_data) {
    msgs[1] = msgs[0];
    *n = 2;
  }
}

Test(early_data, end_of_early_data_twice_is_unexpected_message) {
  /* The second is not at a key change's record boundary (RFC 8446 5.1), nor in a state whose
   * row takes it (4.5). */
  zrtt z;
  zrtt_first(&z, 1024);
  z.chooks.flight = twice_eoed;
  zrtt_again(&z, early_text);
  cr_expect_eq(tg_conn_info(z.p.s)->alert_sent, TG_ALERT_unexpected_message, "%s",
               tg_conn_info(z.p.s)->err.what);
  pair_free(&z.p);
}

Test(early_data, accepted_without_end_of_early_data_is_bad_record_mac) {
  /* The client's Finished comes under its handshake keys while the server still reads the
   * early keys: it does not open (RFC 8446 5.2). */
  zrtt z;
  zrtt_first(&z, 1024);
  z.clog.skip_eoed = true;
  zrtt_again(&z, early_text);
  cr_expect_eq(tg_conn_info(z.p.s)->alert_sent, TG_ALERT_bad_record_mac, "%s",
               tg_conn_info(z.p.s)->err.what);
  expect_early(&z, early_text);
  pair_free(&z.p);
}

Test(early_data, server_needs_a_ticket_store) {
  pair p;
  tg_err err = {0};
  pair_init(&p, &keys[0]);
  p.scfg.max_early_data_size = 1024;
  cr_expect_null(tg_conn_new(&p.scfg, true, &err));
  cr_expect(strstr(err.what, "ticket_store") != NULL, "%s", err.what);
  pair_free(&p);
}
