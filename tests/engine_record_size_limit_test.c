/* RFC 8449 record_size_limit, honoured by the engine (TLS 1.3): each side advertises
 * tg_config.record_size_limit, fragments what it sends to the peer's limit (the content type and
 * the padding counted), and refuses a protected record over its own with record_overflow. */
#include "engine_pair.h"

/* TLS_AES_128_GCM_SHA256 only: a protected record is TLSInnerPlaintext + a 16-byte tag. */
static const uint8_t aes128gcm[] = {0x13, 0x01};
#define TAG_LEN 16

static void pair_gcm(pair *p) {
  pair_init(p, &keys[0]);
  p->ccfg.cipher_suites = tg_bytes_of(aes128gcm, sizeof aes128gcm);
  p->scfg.cipher_suites = tg_bytes_of(aes128gcm, sizeof aes128gcm);
}

/* The largest TLSCiphertext.length of the application_data records in a byte stream, and
 * their number. */
static size_t largest_protected(tg_bytes stream, size_t *count) {
  tg_reader r;
  size_t max = 0;
  *count = 0;
  tg_reader_init(&r, stream.p, stream.len, NULL);
  while (tg_left(&r) > 0) {
    uint8_t type;
    uint16_t version;
    tg_reader body;
    cr_assert_eq(tg_read_u8(&r, &type, "type"), TG_OK);
    cr_assert_eq(tg_read_u16(&r, &version, "version"), TG_OK);
    cr_assert_eq(tg_read_vec(&r, 2, 0, 65535, &body, "fragment"), TG_OK);
    if (type != TG_CT_application_data)
      continue;
    (*count)++;
    if (tg_left(&body) > max)
      max = tg_left(&body);
  }
  return max;
}

/* The client advertises 64: the server's whole encrypted flight (certificate included) and its
 * application data come in records of at most 63 bytes of content + the content type. */
static void server_fragments_to_the_clients_limit(void) {
  pair p;
  pair_gcm(&p);
  p.ccfg.record_size_limit = 64;
  pair_start(&p);
  tt_buf ch = take_output(p.c);
  p.sst = tg_conn_feed(p.s, tt_view(ch));
  tt_free(&ch);
  tt_buf flight = take_output(p.s);
  size_t n;
  size_t largest = largest_protected(tt_view(flight), &n);
  cr_expect_gt(n, 3, "the server's flight should take several records, took %zu", n);
  cr_expect_leq(largest, 64 + TAG_LEN, "a record of %zu bytes of ciphertext", largest);
  p.cst = tg_conn_feed(p.c, tt_view(flight));
  tt_free(&flight);
  pump(&p);
  expect_established(&p);
  uint8_t big[1000];
  memset(big, 'a', sizeof big);
  cr_assert_eq(tg_conn_write(p.s, tg_bytes_of(big, sizeof big)), TG_OK);
  tt_buf data = take_output(p.s);
  largest = largest_protected(tt_view(data), &n);
  cr_expect_geq(n, 1000 / 63, "1000 bytes in %zu records", n);
  cr_expect_leq(largest, 64 + TAG_LEN, "an application record of %zu bytes", largest);
  p.cst = tg_conn_feed(p.c, tt_view(data));
  tt_free(&data);
  cr_expect_eq(p.cst, TG_OK, "%s", tg_conn_info(p.c)->err.what);
  pair_free(&p);
}

/* The server advertises 100 and the client pads 10 bytes: 100 - 1 - 10 bytes of content. */
static void client_counts_type_and_padding(void) {
  pair p;
  pair_gcm(&p);
  p.scfg.record_size_limit = 100;
  p.ccfg.record_padding = 10;
  pair_start(&p);
  pump(&p);
  expect_established(&p);
  uint8_t big[500];
  memset(big, 'b', sizeof big);
  cr_assert_eq(tg_conn_write(p.c, tg_bytes_of(big, sizeof big)), TG_OK);
  tt_buf data = take_output(p.c);
  size_t n, largest = largest_protected(tt_view(data), &n);
  cr_expect_eq(n, (500 + 88) / 89, "500 bytes in %zu records of up to 89", n);
  cr_expect_eq(largest, 100 + TAG_LEN, "the fullest record should be exactly at the limit");
  p.sst = tg_conn_feed(p.s, tt_view(data));
  tt_free(&data);
  cr_expect_eq(p.sst, TG_OK, "%s", tg_conn_info(p.s)->err.what);
  pair_free(&p);
}

/* A record over the limit this side advertised is record_overflow (RFC 8449 §4): the client
 * is made to forget the server's limit after the handshake. */
static void over_the_limit_is_record_overflow(void) {
  pair p;
  pair_gcm(&p);
  p.scfg.record_size_limit = 64;
  pair_start(&p);
  pump(&p);
  expect_established(&p);
  transfer(&p, p.c, p.s, 300); /* within the limit: fine */
  p.c->peer_record_size_limit = 0;
  uint8_t big[100];
  memset(big, 'c', sizeof big);
  cr_assert_eq(tg_conn_write(p.c, tg_bytes_of(big, sizeof big)), TG_OK);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_record_overflow, "a 100-byte record against a limit of 64");
  pair_free(&p);
}

static void configuration_out_of_range(void) {
  const uint16_t bad[] = {1, 63, TG_MAX_INNER_PLAINTEXT + 1};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    pair p;
    tg_err err;
    pair_gcm(&p);
    p.ccfg.record_size_limit = bad[i];
    tg_conn *c = tg_conn_new(&p.ccfg, false, &err);
    cr_expect_null(c, "record_size_limit %u was accepted", bad[i]);
    tg_conn_free(c);
    pair_free(&p);
  }
}

/* Two ctest entries (each costs a process start, seconds under ASan): sending, then receiving
 * and configuring. */
Test(engine_record_size_limit, sending_keeps_to_the_peers_limit) {
  server_fragments_to_the_clients_limit();
  client_counts_type_and_padding();
}

Test(engine_record_size_limit, receiving_and_configuring_the_own_limit) {
  over_the_limit_is_record_overflow();
  configuration_out_of_range();
}
