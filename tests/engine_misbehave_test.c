/* The engine against misbehaviour: the deviation hooks (one test each), a table of faults with
 * the alert RFC 8446 §6.2 makes the peer send, and malformed or out-of-place records. */
#include "engine_pair.h"
#include "tg/extensions.h"

/* ---- Hooks --------------------------------------------------------------------------------- */

typedef struct hook_ctx {
  int mode;
  tg_bytes suites;
  int hits;
  uint8_t exts[512]; /* an edited extensions block */
} hook_ctx;

enum {
  H_SUITES,
  H_SKIP_EE,
  H_FLIP_FINISHED,
  H_FLIP_CV,
  H_ZERO_SHARE,
  H_NO_TLS13,
  H_SH_TLS12,     /* the ServerHello negotiates TLS 1.2: supported_versions removed */
  H_SH_DOWNGRADE, /* the same, with the RFC 8446 4.1.3 downgrade sentinel in the random */
  H_VERSION,
  H_PADDING,
  H_SKIP_FINISHED_RECORD
};

static tg_hook_action on_message(void *ctx, tg_conn *c, tg_handshake *m) {
  hook_ctx *h = ctx;
  (void)c;
  if (h->mode == H_SUITES && m->msg_type == TG_HS_client_hello) {
    m->u.client_hello.cipher_suites = h->suites;
    h->hits++;
  }
  if ((h->mode == H_SH_TLS12 || h->mode == H_SH_DOWNGRADE) && m->msg_type == TG_HS_server_hello &&
      !m->u.server_hello.is_hrr) {
    static const uint8_t sentinel[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};
    tg_server_hello *sh = &m->u.server_hello;
    tg_ext_iter it;
    uint16_t type;
    tg_bytes data;
    tg_writer w;
    tg_writer_init(&w, h->exts, sizeof h->exts, NULL);
    tg_ext_iter_init(&it, sh->extensions);
    while (tg_ext_next(&it, &type, &data))
      if (type != TG_EXT_supported_versions)
        tg_ext_emit_raw(&w, type, data);
    cr_assert_eq(tg_writer_status(&w), TG_OK);
    sh->extensions = tg_writer_bytes(&w);
    sh->legacy_version = TG_VERSION_TLS12;
    if (h->mode == H_SH_DOWNGRADE)
      memcpy(sh->random + 24, sentinel, sizeof sentinel);
    h->hits++;
  }
  if (h->mode == H_SKIP_EE && m->msg_type == TG_HS_encrypted_extensions) {
    h->hits++;
    return TG_HOOK_SKIP;
  }
  return TG_HOOK_SEND;
}

static void on_message_bytes(void *ctx, tg_conn *c, uint8_t msg_type, tg_writer *w) {
  hook_ctx *h = ctx;
  (void)c;
  if ((h->mode == H_FLIP_FINISHED && msg_type == TG_HS_finished) ||
      (h->mode == H_FLIP_CV && msg_type == TG_HS_certificate_verify)) {
    w->buf[w->len - 1] ^= 0x01;
    h->hits++;
  }
  if (h->mode == H_ZERO_SHARE && msg_type == TG_HS_client_hello) {
    /* KeyShareEntry {x25519, 32 bytes}: the all-zero point gives an all-zero secret. */
    static const uint8_t entry[] = {0x00, 0x1d, 0x00, 0x20};
    for (size_t i = 0; i + 4 + 32 <= w->len; i++) {
      if (memcmp(w->buf + i, entry, 4) == 0) {
        memset(w->buf + i + 4, 0, 32);
        h->hits++;
        break;
      }
    }
  }
  if (h->mode == H_NO_TLS13 && msg_type == TG_HS_client_hello) {
    static const uint8_t v13[] = {0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04};
    static const uint8_t v12[] = {0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x03};
    h->hits += replace(w, v13, v12, sizeof v13);
  }
}

static tg_hook_action on_record(void *ctx, tg_conn *c, tg_record_out *r) {
  hook_ctx *h = ctx;
  (void)c;
  if (h->mode == H_VERSION) {
    r->legacy_record_version = 0x0200;
    h->hits++;
  }
  if (h->mode == H_PADDING && r->protect) {
    r->padding = 100;
    h->hits++;
  }
  if (h->mode == H_SKIP_FINISHED_RECORD && r->protect && r->inner_type == TG_CT_handshake) {
    h->hits++;
    return TG_HOOK_SKIP;
  }
  return TG_HOOK_SEND;
}

static const tg_hooks hooks = {
    .message = on_message, .message_bytes = on_message_bytes, .record = on_record};

/* The hooks with h as their context. */
static tg_hooks with_ctx(hook_ctx *h) {
  tg_hooks copy = hooks;
  copy.ctx = h;
  return copy;
}

Test(engine, hook_message_changes_cipher_suites) {
  static const uint8_t chacha[] = {0x13, 0x03}, unknown[] = {0x13, 0x99};
  pair p;
  hook_ctx h = {.mode = H_SUITES, .suites = tg_bytes_of(chacha, 2)};
  pair_init(&p, &keys[0]);
  tg_hooks hk = with_ctx(&h);
  p.ccfg.hooks = &hk;
  /* The client itself offered all three; the edited hello offers only ChaCha20. But the client
   * still accepts only what it meant to offer, which includes ChaCha20. */
  pair_start(&p);
  pump(&p);
  cr_expect_eq(h.hits, 1);
  expect_established(&p);
  cr_expect_eq(tg_conn_info(p.s)->cipher_suite, 0x1303);
  pair_free(&p);

  h = (hook_ctx){.mode = H_SUITES, .suites = tg_bytes_of(unknown, 2)};
  pair_init(&p, &keys[0]);
  hk = with_ctx(&h);
  p.ccfg.hooks = &hk;
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_handshake_failure, "no common suite");
  pair_free(&p);
}

Test(engine, hook_message_bytes_flips_finished) {
  pair p;
  hook_ctx h = {.mode = H_FLIP_FINISHED};
  pair_init(&p, &keys[0]);
  tg_hooks hk = with_ctx(&h);
  p.scfg.hooks = &hk;
  pair_start(&p);
  pump(&p);
  cr_expect_eq(h.hits, 1);
  expect_alert(p.c, p.s, TG_ALERT_decrypt_error, "server Finished flipped");
  pair_free(&p);
}

Test(engine, hook_record_legacy_version) {
  pair p;
  hook_ctx h = {.mode = H_VERSION};
  pair_init(&p, &keys[0]);
  tg_hooks hk = with_ctx(&h);
  p.ccfg.hooks = &hk;
  pair_start(&p);
  pump(&p);
  cr_expect_geq(h.hits, 1);
  /* Record version {2,0} is not TLS at all: tg_record_read's protocol_version. */
  expect_alert(p.s, p.c, TG_ALERT_protocol_version, "legacy_record_version 0x0200");
  pair_free(&p);
}

Test(engine, hook_record_padding) {
  pair p, q;
  hook_ctx h = {.mode = H_PADDING};
  pair_init(&p, &keys[0]);
  pair_init(&q, &keys[0]);
  tg_hooks hk = with_ctx(&h);
  p.scfg.hooks = &hk;
  pair_start(&p);
  pair_start(&q);
  /* Same seeds, same ClientHello: the padded server flight is longer by exactly 100 bytes (one
   * protected record), and the client still reads it. */
  tt_buf ch_p = take_output(p.c), ch_q = take_output(q.c);
  cr_assert(tg_bytes_eq(tt_view(ch_p), tt_view(ch_q)));
  cr_assert_eq(tg_conn_feed(p.s, tt_view(ch_p)), TG_OK);
  cr_assert_eq(tg_conn_feed(q.s, tt_view(ch_q)), TG_OK);
  size_t padded = tg_conn_output(p.s).len, plain = tg_conn_output(q.s).len;
  cr_expect_eq(padded, plain + 100, "padded %zu, plain %zu", padded, plain);
  pump(&p);
  expect_established(&p);
  transfer(&p, p.s, p.c, 50);
  cr_expect_geq(h.hits, 2);
  tt_free(&ch_p);
  tt_free(&ch_q);
  pair_free(&p);
  pair_free(&q);
}

Test(engine, hook_record_skip) {
  pair p;
  hook_ctx h = {.mode = H_SKIP_FINISHED_RECORD};
  pair_init(&p, &keys[0]);
  tg_hooks hk = with_ctx(&h);
  p.ccfg.hooks = &hk;
  pair_start(&p);
  pump(&p);
  cr_expect_eq(h.hits, 1);
  /* The client believes it is done; the server still waits for the Finished. */
  cr_expect_eq(tg_conn_info(p.c)->phase, TG_PHASE_ESTABLISHED);
  cr_expect_eq(tg_conn_info(p.s)->phase, TG_PHASE_HANDSHAKE);
  /* Data under the client's application key cannot be opened with its handshake key. */
  cr_assert_eq(tg_conn_write(p.c, tg_bytes_of("hello", 5)), TG_OK);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_bad_record_mac, "Finished skipped");
  pair_free(&p);
}

/* ---- Failures, one row each: the misbehaviour and the alert the peer must send -------------- */

typedef struct fail_row {
  const char *what;
  int mode; /* hook_ctx mode, or -1 */
  bool hook_on_server;
  bool server_alerts; /* the server is the one that detects it */
  int alert;
} fail_row;

static const fail_row fail_rows[] = {
    /* RFC 8446 §4: messages out of order */
    {"EncryptedExtensions skipped", H_SKIP_EE, true, false, TG_ALERT_unexpected_message},
    /* RFC 8446 §4.4.4 */
    {"server Finished wrong", H_FLIP_FINISHED, true, false, TG_ALERT_decrypt_error},
    {"client Finished wrong", H_FLIP_FINISHED, false, true, TG_ALERT_decrypt_error},
    /* RFC 8446 §4.4.3 */
    {"CertificateVerify signature wrong", H_FLIP_CV, true, false, TG_ALERT_decrypt_error},
    {"client CertificateVerify wrong", H_FLIP_CV, false, true, TG_ALERT_decrypt_error},
    /* RFC 8446 §7.4.2: an all-zero x25519 secret */
    {"x25519 share of zeros", H_ZERO_SHARE, false, true, TG_ALERT_illegal_parameter},
    /* RFC 8446 §4.2.1 */
    {"ClientHello without TLS 1.3", H_NO_TLS13, false, true, TG_ALERT_protocol_version},
    /* RFC 8446 §4.2.1 and §4.1.3: a TLS 1.2 ServerHello, without and with the sentinel; the
     * client's alert is in plaintext (it has no keys), and the server still reads it */
    {"ServerHello negotiating TLS 1.2", H_SH_TLS12, true, false, TG_ALERT_protocol_version},
    {"ServerHello with the downgrade sentinel", H_SH_DOWNGRADE, true, false,
     TG_ALERT_illegal_parameter},
};

Test(engine, misbehaviour_table) {
  for (size_t i = 0; i < sizeof fail_rows / sizeof fail_rows[0]; i++) {
    const fail_row *row = &fail_rows[i];
    pair p;
    hook_ctx h = {.mode = row->mode};
    pair_init(&p, &keys[0]);
    if (row->mode == H_FLIP_CV && !row->hook_on_server)
      pair_client_auth(&p, &keys[0], true);
    tg_hooks hk = with_ctx(&h);
    if (row->hook_on_server)
      p.scfg.hooks = &hk;
    else
      p.ccfg.hooks = &hk;
    pair_start(&p);
    pump(&p);
    cr_expect_geq(h.hits, 1, "%s: the hook did nothing", row->what);
    if (row->server_alerts)
      expect_alert(p.s, p.c, row->alert, row->what);
    else
      expect_alert(p.c, p.s, row->alert, row->what);
    pair_free(&p);
  }
}

Test(engine, unknown_key_is_unknown_ca) {
  pair p;
  pair_init(&p, &keys[0]);
  p.other_spki = read_file("p384.spki.der");
  p.trusted = tt_view(p.other_spki);
  pair_start(&p);
  pump(&p);
  expect_alert(p.c, p.s, TG_ALERT_unknown_ca, "known-key mismatch");
  pair_free(&p);
}

Test(engine, sni_mismatch_is_unrecognized_name) {
  pair p;
  pair_init(&p, &keys[0]);
  p.ccfg.server_name = "a.example";
  p.scfg.server_name = "b.example";
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_unrecognized_name, "SNI mismatch");
  pair_free(&p);
}

Test(engine, alpn_mismatch_is_no_application_protocol) {
  pair p;
  pair_init(&p, &keys[0]);
  p.ccfg.alpn = tg_bytes_of("\x02h2", 3);
  p.scfg.alpn = tg_bytes_of("\x04spdy", 5);
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_no_application_protocol, "ALPN mismatch");
  pair_free(&p);
}

Test(engine, truncated_client_hello_is_decode_error) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  tt_buf ch = take_output(p.c);
  /* Drop the last 2 bytes of the message and shrink both lengths to match: the framing is
   * consistent, the ClientHello body is short (its extensions vector overruns). */
  size_t rec_len = tt_get_be(ch.p + 3, 2) - 2, hs_len = tt_get_be(ch.p + 6, 3) - 2;
  tt_put_be(ch.p + 3, 2, (uint32_t)rec_len);
  tt_put_be(ch.p + 6, 3, (uint32_t)hs_len);
  cr_expect_neq(tg_conn_feed(p.s, tg_bytes_of(ch.p, ch.len - 2)), TG_OK);
  cr_expect_eq(tg_conn_info(p.s)->alert_sent, TG_ALERT_decode_error, "%s",
               tg_conn_info(p.s)->err.what);
  tt_free(&ch);
  pair_free(&p);
}

Test(engine, truncated_ciphertext_is_bad_record_mac) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  tt_buf ch = take_output(p.c);
  cr_assert_eq(tg_conn_feed(p.s, tt_view(ch)), TG_OK);
  tt_buf flight = take_output(p.s);
  cr_assert_eq(tg_conn_feed(p.c, tt_view(flight)), TG_OK);
  tt_buf fin = take_output(p.c);
  /* The client Finished record, one byte short (and its length to match). */
  tt_put_be(fin.p + 3, 2, tt_get_be(fin.p + 3, 2) - 1);
  cr_expect_neq(tg_conn_feed(p.s, tg_bytes_of(fin.p, fin.len - 1)), TG_OK);
  cr_expect_eq(tg_conn_info(p.s)->alert_sent, TG_ALERT_bad_record_mac);
  tt_free(&ch);
  tt_free(&flight);
  tt_free(&fin);
  pair_free(&p);
}

Test(engine, application_data_before_handshake_is_unexpected) {
  static const uint8_t rec[] = {0x17, 0x03, 0x03, 0x00, 0x01, 0x00};
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  cr_expect_neq(tg_conn_feed(p.s, tg_bytes_of(rec, sizeof rec)), TG_OK);
  cr_expect_eq(tg_conn_info(p.s)->alert_sent, TG_ALERT_unexpected_message);
  /* The alert is a plaintext record: 15 03 03 00 02 02 0a. */
  static const uint8_t alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a};
  cr_expect(tg_bytes_eq(tg_conn_output(p.s), tg_bytes_of(alert, sizeof alert)));
  pair_free(&p);
}

Test(engine, one_change_cipher_spec_is_ignored) {
  static const uint8_t ccs[] = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  tt_buf ch = take_output(p.c);
  /* RFC 8446 §5: before the ClientHello a CCS is unexpected; after it, one is dropped. */
  cr_assert_eq(tg_conn_feed(p.s, tt_view(ch)), TG_OK);
  cr_expect_eq(tg_conn_feed(p.s, tg_bytes_of(ccs, sizeof ccs)), TG_OK, "%s",
               tg_conn_info(p.s)->err.what);
  cr_expect_eq(tg_conn_feed(p.c, tg_bytes_of(ccs, sizeof ccs)), TG_OK, "%s",
               tg_conn_info(p.c)->err.what);
  pump(&p);
  expect_established(&p);
  tt_free(&ch);
  pair_free(&p);
}

/* RFC 8446 §5: every plaintext change_cipher_spec {01} between the first ClientHello and the
 * peer's Finished is dropped, "at any time": a second one too. */
Test(engine, every_change_cipher_spec_before_finished_is_dropped) {
  static const uint8_t ccs[] = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  tt_buf ch = take_output(p.c);
  cr_assert_eq(tg_conn_feed(p.s, tt_view(ch)), TG_OK);
  cr_expect_eq(tg_conn_feed(p.s, tg_bytes_of(ccs, sizeof ccs)), TG_OK);
  cr_expect_eq(tg_conn_feed(p.s, tg_bytes_of(ccs, sizeof ccs)), TG_OK);
  cr_expect_eq(tg_conn_feed(p.s, tg_bytes_of(ccs, sizeof ccs)), TG_OK);
  cr_expect_neq(tg_conn_info(p.s)->phase, TG_PHASE_FAILED, "%s", tg_conn_info(p.s)->err.what);
  tt_free(&ch);
  pair_free(&p);
}

Test(engine, change_cipher_spec_before_client_hello_is_unexpected) {
  static const uint8_t ccs[] = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  cr_expect_neq(tg_conn_feed(p.s, tg_bytes_of(ccs, sizeof ccs)), TG_OK);
  cr_expect_eq(tg_conn_info(p.s)->alert_sent, TG_ALERT_unexpected_message);
  pair_free(&p);
}

Test(engine, usage_errors_do_not_fail_the_connection) {
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  cr_expect_eq(tg_conn_write(p.c, tg_bytes_of("x", 1)), TG_E_USAGE);
  cr_expect_eq(tg_conn_info(p.c)->phase, TG_PHASE_HANDSHAKE);
  pump(&p);
  expect_established(&p);
  pair_free(&p);
}
static void flip_cookie(void *ctx, tg_conn *c, uint8_t msg_type, tg_writer *w) {
  hook_ctx *h = ctx;
  static const uint8_t cookie[] = {0x00, 0x2c, 0x00, 0x0a, 0x00, 0x08, 'a'};
  static const uint8_t other[] = {0x00, 0x2c, 0x00, 0x0a, 0x00, 0x08, 'b'};
  (void)c;
  if (msg_type == TG_HS_client_hello)
    h->hits += replace(w, cookie, other, sizeof cookie);
}

Test(engine, hello_retry_request_cookie_not_echoed) {
  pair p;
  hook_ctx h = {0};
  tg_hooks hk = {.ctx = &h, .message_bytes = flip_cookie};
  pair_init(&p, &keys[0]);
  pair_force_hrr(&p);
  p.scfg.hrr_cookie = tg_bytes_of("a cookie", 8);
  p.ccfg.hooks = &hk;
  pair_start(&p);
  pump(&p);
  cr_expect_eq(h.hits, 1);
  expect_alert(p.s, p.c, TG_ALERT_illegal_parameter, "cookie changed");
  pair_free(&p);
}

static void drop_share(void *ctx, tg_conn *c, uint8_t msg_type, tg_writer *w) {
  hook_ctx *h = ctx;
  (void)c;
  /* In the second ClientHello, rename the secp256r1 share to secp384r1 (same length field). */
  static const uint8_t p256[] = {0x00, 0x17, 0x00, 0x41, 0x04};
  static const uint8_t p384[] = {0x00, 0x18, 0x00, 0x41, 0x04};
  if (msg_type == TG_HS_client_hello)
    h->hits += replace(w, p256, p384, sizeof p256);
}

Test(engine, hello_retry_request_ignored_by_client) {
  pair p;
  hook_ctx h = {0};
  tg_hooks hk = {.ctx = &h, .message_bytes = drop_share};
  pair_init(&p, &keys[0]);
  pair_force_hrr(&p);
  p.ccfg.hooks = &hk;
  pair_start(&p);
  pump(&p);
  cr_expect_eq(h.hits, 1);
  /* The second ClientHello has no share for the group the server named. */
  expect_alert(p.s, p.c, TG_ALERT_illegal_parameter, "no share for the HRR group");
  pair_free(&p);
}
/* ---- The flight hook ------------------------------------------------------------------------ */

typedef struct flight_ctx {
  int mode; /* 0: swap the first two messages after the ServerHello flight, 1: duplicate last */
  int hits;
} flight_ctx;

static void on_flight(void *ctx, tg_conn *c, tg_bytes *msgs, size_t *n, size_t cap) {
  flight_ctx *f = ctx;
  (void)c;
  /* The server's encrypted flight: EncryptedExtensions, Certificate, CertificateVerify, Finished */
  if (*n != 4)
    return;
  f->hits++;
  if (f->mode == 0) {
    tg_bytes t = msgs[0];
    msgs[0] = msgs[1];
    msgs[1] = t;
  } else if (*n < cap) {
    msgs[*n] = msgs[*n - 1];
    (*n)++;
  }
}

Test(engine, hook_flight_reorder_is_unexpected) {
  pair p;
  flight_ctx f = {0, 0};
  tg_hooks hk = {.ctx = &f, .flight = on_flight};
  pair_init(&p, &keys[0]);
  p.scfg.hooks = &hk;
  pair_start(&p);
  pump(&p);
  cr_expect_eq(f.hits, 1);
  expect_alert(p.c, p.s, TG_ALERT_unexpected_message, "Certificate before EncryptedExtensions");
  pair_free(&p);
}

Test(engine, hook_flight_duplicate_finished_is_unexpected) {
  pair p;
  flight_ctx f = {1, 0};
  tg_hooks hk = {.ctx = &f, .flight = on_flight};
  pair_init(&p, &keys[0]);
  p.scfg.hooks = &hk;
  pair_start(&p);
  pump(&p);
  cr_expect_eq(f.hits, 1);
  /* The second Finished sits in the record after which keys change (RFC 8446 §5.1). */
  expect_alert(p.c, p.s, TG_ALERT_unexpected_message, "Finished twice");
  pair_free(&p);
}

Test(engine, peer_record_size_limit_is_respected) {
  /* The client's record_size_limit is 2^14+1 (no limit); this server limits the client to
   * what it advertises. Check the other direction: a peer limit of 2^14+1 leaves 2^14. */
  pair p;
  pair_init(&p, &keys[0]);
  pair_start(&p);
  pump(&p);
  cr_expect_eq(p.s->peer_record_size_limit, TG_MAX_INNER_PLAINTEXT);
  cr_expect_eq(p.c->peer_record_size_limit, TG_MAX_INNER_PLAINTEXT);
  p.s->peer_record_size_limit = 200; /* as if the client had asked for 200 */
  static const uint8_t zeros[1000];
  cr_assert_eq(tg_conn_write(p.s, tg_bytes_of(zeros, sizeof zeros)), TG_OK);
  tg_bytes out = tg_conn_output(p.s);
  /* 1000 bytes in records of at most 199 content bytes: 6 records */
  tg_reader r;
  size_t records = 0;
  tg_reader_init(&r, out.p, out.len, NULL);
  while (tg_left(&r) > 0) {
    uint8_t t;
    uint16_t v;
    tg_reader body;
    cr_assert_eq(tg_read_u8(&r, &t, "type"), TG_OK);
    cr_assert_eq(tg_read_u16(&r, &v, "version"), TG_OK);
    cr_assert_eq(tg_read_vec(&r, 2, 0, 65535, &body, "fragment"), TG_OK);
    cr_expect_leq(tg_left(&body), 200 + TG_AEAD_TAG_LEN, "record of %zu bytes", tg_left(&body));
    records++;
  }
  cr_expect_eq(records, 6);
  pump(&p);
  uint8_t got[1001];
  cr_expect_eq(tg_conn_read(p.c, got, sizeof got), 1000, "the client reads all of it");
  pair_free(&p);
}
