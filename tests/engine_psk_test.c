/* PSK resumption with session tickets (RFC 8446 §2.2, §4.2.11, §4.6.1): RFC 8448 §4 byte for
 * byte where the engine can follow it (it does no 0-RTT), then client and server in memory:
 * tickets issued and kept, resumption without certificates, binders, expiry, foreign tickets,
 * HelloRetryRequest, and the alerts of a bad binder or a bad selection. */
#include "engine_pair.h"
#include "tg/ext/pre_shared_key.h"
#include "tg/extensions.h"

#define S3 "sec3-simple-1rtt/"
#define S4 "sec4-resumed-0rtt/"

/* ---- RFC 8448 fixtures --------------------------------------------------------------------- */

typedef struct script_rng {
  uint8_t bytes[128];
  size_t len, pos;
  uint64_t state;
} script_rng;

static void script_fill(void *ctx, uint8_t *out, size_t len) {
  script_rng *s = ctx;
  for (size_t i = 0; i < len; i++) {
    if (s->pos < s->len) {
      out[i] = s->bytes[s->pos++];
      continue;
    }
    s->state = s->state * 6364136223846793005u + 1442695040888963407u;
    out[i] = (uint8_t)(s->state >> 56);
  }
}

static void script_push(script_rng *s, tg_bytes b) {
  cr_assert_leq(s->len + b.len, sizeof s->bytes);
  memcpy(s->bytes + s->len, b.p, b.len);
  s->len += b.len;
}

/* A hello's random (after type, length, version) and then an x25519 private key file. */
static void script_hello(script_rng *s, const char *hello, const char *priv) {
  tt_buf h = tt_rfc8448(hello), k = tt_rfc8448(priv);
  script_push(s, tg_bytes_of(h.p + 6, 32));
  script_push(s, tt_view(k));
  tt_free(&h);
  tt_free(&k);
}

static const uint8_t rfc_suites[] = {0x13, 0x01, 0x13, 0x03, 0x13, 0x02};
static const uint8_t rfc_groups[] = {0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x00, 0x19, 0x01,
                                     0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04};
static const uint8_t rfc_schemes[] = {0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x02, 0x03, 0x08, 0x04,
                                      0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01,
                                      0x02, 0x01, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x02, 0x02};

static tg_handshake decode(tg_bytes msg) {
  tg_reader r;
  tg_handshake m;
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13, .hash_len = 32};
  tg_reader_init(&r, msg.p, msg.len, NULL);
  cr_assert_eq(tg_handshake_decode(&r, &ctx, &m), TG_OK);
  return m;
}

static void expect_bytes(tg_bytes got, const char *rel) {
  tt_buf want = tt_rfc8448(rel);
  cr_expect_eq(got.len, want.len, "%s: %zu bytes, want %zu", rel, got.len, want.len);
  if (got.len == want.len)
    cr_expect(memcmp(got.p, want.p, want.len) == 0, "%s differs", rel);
  tt_free(&want);
}

static void feed_file(tg_conn *c, const char *rel) {
  tt_buf in = tt_rfc8448(rel);
  cr_assert_eq(tg_conn_feed(c, tt_view(in)), TG_OK, "feeding %s: %s", rel,
               tg_conn_info(c)->err.what);
  tt_free(&in);
}

/* RFC 8448 §3's client receives the trace's ticket: what it keeps is what §4 resumes with. */
static tg_ticket sec3_ticket(void) {
  static uint8_t cert_buf[2048];
  script_rng rng = {.state = 3};
  tg_validator v;
  tg_bytes spki;
  tg_err err = {0};
  script_hello(&rng, S3 "client_hello", S3 "client_x25519_private");
  tt_buf cmsg = tt_rfc8448(S3 "certificate");
  tg_handshake cm = decode(tt_view(cmsg));
  tg_certificate_iter it;
  tg_certificate_entry e;
  tg_certificate_iter_init(&it, cm.u.certificate.certificate_list, TG_VERSION_TLS13);
  cr_assert(tg_certificate_next(&it, &e));
  memcpy(cert_buf, e.cert_data.p, e.cert_data.len);
  cr_assert_eq(tg_cert_spki(tg_bytes_of(cert_buf, e.cert_data.len), &spki, &err), TG_OK);
  tt_free(&cmsg);
  tg_known_key_validator_init(&v, &spki);
  tg_config cfg = {
      .cipher_suites = tg_bytes_of(rfc_suites, sizeof rfc_suites),
      .groups = tg_bytes_of(rfc_groups, sizeof rfc_groups),
      .sig_schemes = tg_bytes_of(rfc_schemes, sizeof rfc_schemes),
      .validator = &v,
      .server_name = "server",
      .rng = {script_fill, &rng},
  };
  tg_conn *c = tg_conn_new(&cfg, false, &err);
  cr_assert_not_null(c, "%s", err.what);
  cr_assert_eq(tg_conn_start(c), TG_OK);
  feed_file(c, S3 "server_hello_record");
  feed_file(c, S3 "server_handshake_record");
  cr_assert_eq(tg_conn_ticket_count(c), 0);
  feed_file(c, S3 "new_session_ticket_record");
  tg_ticket t, none;
  cr_assert_eq(tg_conn_ticket_count(c), 1);
  cr_assert(tg_conn_ticket(c, 0, &t));
  cr_assert_not(tg_conn_ticket(c, 1, &none));
  tg_conn_free(c);
  return t;
}

Test(engine_psk, rfc8448_sec3_ticket_kept) {
  tg_ticket t = sec3_ticket();
  tt_buf nst_msg = tt_rfc8448(S3 "new_session_ticket");
  tg_handshake nst = decode(tt_view(nst_msg));
  expect_bytes(tg_bytes_of(t.psk, t.psk_len), S3 "resumption_psk");
  expect_bytes(tg_bytes_of(t.psk, t.psk_len), S4 "psk"); /* what §4 resumes with */
  cr_expect(tg_bytes_eq(tg_bytes_of(t.ticket, t.ticket_len), nst.u.new_session_ticket.ticket));
  cr_expect_eq(t.ticket_lifetime, 30);
  cr_expect_eq(t.ticket_age_add, nst.u.new_session_ticket.ticket_age_add);
  cr_expect_eq(t.max_early_data_size, 1024);
  cr_expect_eq(t.cipher_suite, 0x1301);
  tt_free(&nst_msg);
}

/* ---- RFC 8448 §4, the client --------------------------------------------------------------- */

/* §4's ClientHello differs from what the engine sends in three ways the engine does not do:
 * no session_ticket, an early_data extension (0-RTT) after key_share, and padding (RFC 7685)
 * to 512 bytes before pre_shared_key. Its obfuscated_ticket_age is also the RFC's (a 6 ms
 * age; the engine's clock counts seconds). The hook makes those changes before encoding; the
 * engine fills in the binder afterwards, over the bytes that are sent. */
static uint32_t rfc_obfuscated_age;

static void s4_rebuild(tg_writer *w, tg_bytes exts, size_t pad) {
  static const uint8_t zeros[512];
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  tg_ext_iter_init(&it, exts);
  while (tg_ext_next(&it, &type, &data)) {
    if (type == TG_EXT_session_ticket)
      continue;
    if (type != TG_EXT_pre_shared_key) {
      tg_ext_emit_raw(w, type, data);
      if (type == TG_EXT_key_share)
        tg_ext_emit_raw(w, TG_EXT_early_data, tg_bytes_of(NULL, 0));
      continue;
    }
    if (pad > 0)
      tg_ext_emit_raw(w, TG_EXT_padding, tg_bytes_of(zeros, pad));
    tg_pre_shared_key_ch offer;
    tg_psk_iter pit;
    tg_psk_identity id;
    tg_bytes binder;
    uint8_t ids_buf[512], binders_buf[64];
    tg_writer ids, binders;
    cr_assert_eq(tg_pre_shared_key_parse_ch(data, &offer, NULL), TG_OK);
    tg_psk_iter_init(&pit, &offer);
    cr_assert(tg_psk_next(&pit, &id, &binder));
    id.obfuscated_ticket_age = rfc_obfuscated_age;
    tg_writer_init(&ids, ids_buf, sizeof ids_buf, NULL);
    tg_writer_init(&binders, binders_buf, sizeof binders_buf, NULL);
    tg_pre_shared_key_w_identity(&ids, &id);
    tg_pre_shared_key_w_binder(&binders, binder);
    tg_pre_shared_key_emit_ch(
        w, &(tg_pre_shared_key_ch){tg_writer_bytes(&ids), tg_writer_bytes(&binders), 1, 0});
  }
}

static tg_hook_action s4_client_hello(void *ctx, tg_conn *c, tg_handshake *m) {
  static uint8_t block[2048];
  (void)ctx, (void)c;
  if (m->msg_type != TG_HS_client_hello)
    return TG_HOOK_SEND;
  tg_client_hello *ch = &m->u.client_hello;
  tg_writer w;
  tg_writer_init(&w, block, sizeof block, NULL);
  s4_rebuild(&w, ch->extensions, 0);
  size_t len = 4 + 2 + 32 + 1 + ch->legacy_session_id.len + 2 + ch->cipher_suites.len + 1 +
               ch->legacy_compression_methods.len + 2 + w.len;
  cr_assert_lt(len + 4, 512);
  size_t pad = 512 - len - 4;
  tg_writer_init(&w, block + 1024, 1024, NULL);
  s4_rebuild(&w, ch->extensions, pad);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  ch->extensions = tg_writer_bytes(&w);
  return TG_HOOK_SEND;
}

static const tg_hooks s4_client_hooks = {.message = s4_client_hello};

static tg_conn *s4_client(script_rng *rng, tg_config *cfg, const tg_ticket *t) {
  tg_err err = {0};
  tt_buf ch = tt_rfc8448(S4 "client_hello");
  tg_handshake m = decode(tt_view(ch));
  tg_bytes body;
  tg_pre_shared_key_ch offer;
  tg_psk_iter it;
  tg_psk_identity id;
  tg_bytes binder;
  cr_assert(tg_ext_find(m.u.client_hello.extensions, TG_EXT_pre_shared_key, &body));
  cr_assert_eq(tg_pre_shared_key_parse_ch(body, &offer, NULL), TG_OK);
  tg_psk_iter_init(&it, &offer);
  cr_assert(tg_psk_next(&it, &id, &binder));
  rfc_obfuscated_age = id.obfuscated_ticket_age;
  tt_free(&ch);
  script_hello(rng, S4 "client_hello", S4 "client_x25519_private");
  *cfg = (tg_config){
      .cipher_suites = tg_bytes_of(rfc_suites, sizeof rfc_suites),
      .groups = tg_bytes_of(rfc_groups, sizeof rfc_groups),
      .sig_schemes = tg_bytes_of(rfc_schemes, sizeof rfc_schemes),
      .server_name = "server",
      .rng = {script_fill, rng},
      .hooks = &s4_client_hooks,
      .resume = t,
  };
  tg_conn *c = tg_conn_new(cfg, false, &err);
  cr_assert_not_null(c, "%s", err.what);
  return c;
}

Test(engine_psk, rfc8448_sec4_client_hello_and_binder) {
  tg_ticket t = sec3_ticket();
  script_rng rng = {.state = 4};
  tg_config cfg;
  tg_conn *c = s4_client(&rng, &cfg, &t);
  cr_assert_eq(tg_conn_start(c), TG_OK, "%s", tg_conn_info(c)->err.what);
  /* The whole record: the binder is its last 32 bytes. */
  expect_bytes(tg_conn_output(c), S4 "client_hello_record");
  expect_bytes(tg_bytes_of(c->ks.early_secret, 32), S4 "early_secret");
  expect_bytes(tg_bytes_of(c->ks.binder_key, 32), S4 "binder_key");
  tg_conn_free(c);
}

Test(engine_psk, rfc8448_sec4_client_server_hello) {
  /* The RFC's ServerHello selects the PSK: the handshake secrets are the RFC's. (Its server
   * flight accepts 0-RTT, with early_data in EncryptedExtensions, which this client, sending no
   * early data, refuses: the trace stops being followable there.) */
  tg_ticket t = sec3_ticket();
  script_rng rng = {.state = 4};
  tg_config cfg;
  tg_conn *c = s4_client(&rng, &cfg, &t);
  cr_assert_eq(tg_conn_start(c), TG_OK);
  tg_conn_output_consumed(c, tg_conn_output(c).len);
  feed_file(c, S4 "server_hello_record");
  cr_expect(tg_conn_info(c)->resumed);
  expect_bytes(tg_bytes_of(c->ks.early_secret, 32), S4 "early_secret");
  expect_bytes(tg_bytes_of(c->ks.handshake_secret, 32), S4 "handshake_secret");
  expect_bytes(tg_bytes_of(c->ks.client_handshake_traffic_secret, 32),
               S4 "client_handshake_traffic_secret");
  expect_bytes(tg_bytes_of(c->ks.server_handshake_traffic_secret, 32),
               S4 "server_handshake_traffic_secret");
  tg_conn_free(c);
}

/* ---- RFC 8448 §4, the server --------------------------------------------------------------- */

/* §4's server accepts 0-RTT: its EncryptedExtensions ends with early_data. This server does no
 * 0-RTT; the hook adds the extension so the rest of its flight can be compared. */
static tg_hook_action s4_encrypted_extensions(void *ctx, tg_conn *c, tg_handshake *m) {
  static uint8_t block[512];
  (void)ctx, (void)c;
  if (m->msg_type != TG_HS_encrypted_extensions)
    return TG_HOOK_SEND;
  tg_writer w;
  tg_writer_init(&w, block, sizeof block, NULL);
  tg_w_view(&w, m->u.encrypted_extensions.extensions);
  tg_ext_emit_raw(&w, TG_EXT_early_data, tg_bytes_of(NULL, 0));
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  m->u.encrypted_extensions.extensions = tg_writer_bytes(&w);
  return TG_HOOK_SEND;
}

static const tg_hooks s4_server_hooks = {.message = s4_encrypted_extensions};

/* The §3 ticket as a server would install it (test-only: tg_config.resume on a server). */
static tg_ticket rfc_ticket_from_files(void) {
  tg_ticket t = {.cipher_suite = 0x1301, .psk_len = 32};
  tt_buf psk = tt_rfc8448(S4 "psk"), nst_msg = tt_rfc8448(S3 "new_session_ticket");
  tg_handshake nst = decode(tt_view(nst_msg));
  memcpy(t.psk, psk.p, 32);
  t.ticket_len = nst.u.new_session_ticket.ticket.len;
  memcpy(t.ticket, nst.u.new_session_ticket.ticket.p, t.ticket_len);
  t.ticket_lifetime = nst.u.new_session_ticket.ticket_lifetime;
  t.ticket_age_add = nst.u.new_session_ticket.ticket_age_add;
  tt_free(&psk);
  tt_free(&nst_msg);
  return t;
}

static void s4_server_run(const tg_hooks *hooks, bool compare_flight) {
  pair p; /* only for a key and a certificate the server needs but does not use */
  pair_init(&p, &keys[0]);
  tg_ticket t = rfc_ticket_from_files();
  script_rng rng = {.state = 44};
  tg_err err = {0};
  script_hello(&rng, S4 "server_hello", S4 "server_x25519_private");
  tg_config cfg = {
      .groups = tg_bytes_of(rfc_groups, sizeof rfc_groups),
      .chain = &p.chain,
      .rng = {script_fill, &rng},
      .hooks = hooks,
      .resume = &t,
  };
  tg_conn *s = tg_conn_new(&cfg, true, &err);
  cr_assert_not_null(s, "%s", err.what);
  feed_file(s, S4 "client_hello_record");
  cr_expect(tg_conn_info(s)->resumed);
  tt_buf sh = tt_rfc8448(S4 "server_hello_record"), fl = tt_rfc8448(S4 "server_handshake_record");
  tg_bytes out = tg_conn_output(s);
  cr_assert_geq(out.len, sh.len);
  expect_bytes(tg_bytes_of(out.p, sh.len), S4 "server_hello_record");
  if (compare_flight)
    expect_bytes(tg_bytes_of(out.p + sh.len, out.len - sh.len), S4 "server_handshake_record");
  else /* the same flight but for early_data's 4 bytes in EncryptedExtensions */
    cr_expect_eq(out.len - sh.len, fl.len - 4);
  expect_bytes(tg_bytes_of(s->ks.binder_key, 32), S4 "binder_key");
  expect_bytes(tg_bytes_of(s->ks.early_secret, 32), S4 "early_secret");
  expect_bytes(tg_bytes_of(s->ks.handshake_secret, 32), S4 "handshake_secret");
  expect_bytes(tg_bytes_of(s->ks.server_handshake_traffic_secret, 32),
               S4 "server_handshake_traffic_secret");
  if (compare_flight)
    expect_bytes(tg_bytes_of(s->ks.server_application_traffic_secret_0, 32),
                 S4 "server_application_traffic_secret_0");
  tt_free(&sh);
  tt_free(&fl);
  tg_conn_free(s);
  pair_free(&p);
}

Test(engine_psk, rfc8448_sec4_server_flight) { s4_server_run(&s4_server_hooks, true); }

Test(engine_psk, rfc8448_sec4_server_without_early_data) { s4_server_run(NULL, false); }

/* ---- In memory ----------------------------------------------------------------------------- */

static const uint8_t ticket_key[16] = "0123456789abcdef";
static const uint8_t other_key[16] = "fedcba9876543210";

typedef struct clock_ctx {
  int64_t now;
} clock_ctx;

static int64_t clock_now(void *ctx) { return ((clock_ctx *)ctx)->now; }

/* Records which handshake messages a side sent (bit per msg_type) and may edit them. */
typedef struct sent_log {
  uint64_t types;
  int select_identity; /* >= 0: the server's pre_shared_key says this */
  bool drop_modes;     /* the client drops psk_key_exchange_modes */
} sent_log;

static void rewrite_exts(tg_bytes *exts, uint16_t drop, int psk_sel) {
  static uint8_t block[4096];
  tg_writer w;
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  uint8_t sel[2] = {0, (uint8_t)psk_sel};
  tg_writer_init(&w, block, sizeof block, NULL);
  tg_ext_iter_init(&it, *exts);
  while (tg_ext_next(&it, &type, &data))
    if (type != drop)
      tg_ext_emit_raw(&w, type,
                      psk_sel >= 0 && type == TG_EXT_pre_shared_key ? tg_bytes_of(sel, 2) : data);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  *exts = tg_writer_bytes(&w);
}

static tg_hook_action log_message(void *ctx, tg_conn *c, tg_handshake *m) {
  sent_log *log = ctx;
  (void)c;
  log->types |= 1ull << m->msg_type;
  if (m->msg_type == TG_HS_server_hello && log->select_identity >= 0)
    rewrite_exts(&m->u.server_hello.extensions, 0, log->select_identity);
  if (m->msg_type == TG_HS_client_hello && log->drop_modes)
    rewrite_exts(&m->u.client_hello.extensions, TG_EXT_psk_key_exchange_modes, -1);
  return TG_HOOK_SEND;
}

/* Flips the last byte of the ClientHello: its binder's. */
static void flip_binder(void *ctx, tg_conn *c, uint8_t msg_type, tg_writer *w) {
  (void)ctx, (void)c;
  if (msg_type == TG_HS_client_hello)
    w->buf[w->len - 1] ^= 1;
}

typedef struct resume_fixture {
  pair p;
  clock_ctx cclock, sclock;
  sent_log clog, slog;
  tg_hooks chooks, shooks;
  tg_ticket ticket;
} resume_fixture;

/* A full handshake with a ticket-issuing server; the client's first ticket is kept. */
static void first_handshake(resume_fixture *f) {
  memset(f, 0, sizeof *f);
  pair_init(&f->p, &keys[0]);
  f->cclock.now = f->sclock.now = 1000000;
  f->clog.select_identity = f->slog.select_identity = -1;
  f->chooks = (tg_hooks){.ctx = &f->clog, .message = log_message};
  f->shooks = (tg_hooks){.ctx = &f->slog, .message = log_message};
  f->p.ccfg.clock = (tg_clock){clock_now, &f->cclock};
  f->p.scfg.clock = (tg_clock){clock_now, &f->sclock};
  f->p.ccfg.hooks = &f->chooks;
  f->p.scfg.hooks = &f->shooks;
  f->p.scfg.ticket_key = tg_bytes_of(ticket_key, 16);
  pair_start(&f->p);
  pump(&f->p);
  expect_established(&f->p);
  cr_assert_not(tg_conn_info(f->p.c)->resumed);
  cr_assert_eq(tg_conn_ticket_count(f->p.c), 1);
  cr_assert(tg_conn_ticket(f->p.c, 0, &f->ticket));
  cr_expect_eq(f->ticket.ticket_lifetime, 7200);
  cr_expect_eq(f->ticket.received, 1000000);
  cr_expect(f->slog.types & (1ull << TG_HS_new_session_ticket));
}

/* A second connection of the same pair, the client offering the kept ticket. */
static void second_handshake(resume_fixture *f) {
  tg_conn_free(f->p.c);
  tg_conn_free(f->p.s);
  f->clog.types = f->slog.types = 0;
  f->p.ccfg.resume = &f->ticket;
  pair_start(&f->p);
  pump(&f->p);
}

static void expect_full(resume_fixture *f) {
  expect_established(&f->p);
  cr_expect_not(tg_conn_info(f->p.c)->resumed);
  cr_expect_not(tg_conn_info(f->p.s)->resumed);
  cr_expect(f->slog.types & (1ull << TG_HS_certificate), "no Certificate in a full handshake");
}

Test(engine_psk, resumption_without_certificate) {
  resume_fixture f;
  first_handshake(&f);
  f.cclock.now = f.sclock.now = 1000000 + 60;
  second_handshake(&f);
  expect_established(&f.p);
  cr_expect(tg_conn_info(f.p.c)->resumed);
  cr_expect(tg_conn_info(f.p.s)->resumed);
  cr_expect_not(f.slog.types & (1ull << TG_HS_certificate), "a Certificate was sent");
  cr_expect_not(f.slog.types & (1ull << TG_HS_certificate_verify));
  cr_expect_eq(tg_conn_info(f.p.c)->peer_sig_scheme, 0);
  transfer(&f.p, f.p.c, f.p.s, 3000);
  transfer(&f.p, f.p.s, f.p.c, 3000);
  /* A resumed connection gets a fresh ticket, with another PSK. */
  tg_ticket again;
  cr_assert(tg_conn_ticket(f.p.c, 0, &again));
  cr_expect(memcmp(again.psk, f.ticket.psk, again.psk_len) != 0);
  pair_free(&f.p);
}

Test(engine_psk, resumption_with_client_auth_asks_no_certificate) {
  resume_fixture f;
  first_handshake(&f);
  pair_free(&f.p);
  /* The same, with a server that requires client certificates: the full handshake asks,
   * the resumed one must not (RFC 8446 §4.3.2). */
  memset(&f, 0, sizeof f);
  pair_init(&f.p, &keys[0]);
  pair_client_auth(&f.p, &keys[4], true);
  f.slog.select_identity = f.clog.select_identity = -1;
  f.shooks = (tg_hooks){.ctx = &f.slog, .message = log_message};
  f.p.scfg.hooks = &f.shooks;
  f.p.scfg.ticket_key = tg_bytes_of(ticket_key, 16);
  pair_start(&f.p);
  pump(&f.p);
  expect_established(&f.p);
  cr_expect(f.slog.types & (1ull << TG_HS_certificate_request));
  cr_assert(tg_conn_ticket(f.p.c, 0, &f.ticket));
  second_handshake(&f);
  expect_established(&f.p);
  cr_expect(tg_conn_info(f.p.s)->resumed);
  cr_expect_not(f.slog.types & (1ull << TG_HS_certificate_request));
  cr_expect_not(f.slog.types & (1ull << TG_HS_certificate));
  pair_free(&f.p);
}

Test(engine_psk, resumption_after_hello_retry_request) {
  /* The binder of the second ClientHello covers message_hash(ClientHello1) || HRR. */
  resume_fixture f;
  first_handshake(&f);
  pair_force_hrr(&f.p);
  second_handshake(&f);
  expect_established(&f.p);
  cr_expect(tg_conn_info(f.p.c)->hello_retry);
  cr_expect(tg_conn_info(f.p.c)->resumed);
  cr_expect(tg_conn_info(f.p.s)->resumed);
  cr_expect_not(f.slog.types & (1ull << TG_HS_certificate));
  transfer(&f.p, f.p.c, f.p.s, 100);
  pair_free(&f.p);
}

Test(engine_psk, tampered_binder_is_decrypt_error) {
  resume_fixture f;
  first_handshake(&f);
  f.chooks.message_bytes = flip_binder;
  second_handshake(&f);
  expect_alert(f.p.s, f.p.c, TG_ALERT_decrypt_error, "tampered binder");
  pair_free(&f.p);
}

Test(engine_psk, expired_ticket_is_a_full_handshake) {
  /* The client's clock still finds the ticket young enough to offer; the server's says it
   * expired (RFC 8446 §4.6.1). */
  resume_fixture f;
  first_handshake(&f);
  f.sclock.now += 7200 + 1;
  second_handshake(&f);
  cr_expect(f.clog.types & (1ull << TG_HS_client_hello));
  expect_full(&f);
  pair_free(&f.p);
}

Test(engine_psk, ticket_of_another_server_key_is_a_full_handshake) {
  resume_fixture f;
  first_handshake(&f);
  f.p.scfg.ticket_key = tg_bytes_of(other_key, 16);
  second_handshake(&f);
  expect_full(&f);
  transfer(&f.p, f.p.c, f.p.s, 100);
  pair_free(&f.p);
}

Test(engine_psk, server_without_ticket_key_ignores_the_psk) {
  resume_fixture f;
  first_handshake(&f);
  f.p.scfg.ticket_key = tg_bytes_of(NULL, 0);
  second_handshake(&f);
  expect_full(&f);
  cr_expect_not(f.slog.types & (1ull << TG_HS_new_session_ticket));
  cr_expect_eq(tg_conn_ticket_count(f.p.c), 0);
  pair_free(&f.p);
}

Test(engine_psk, client_does_not_offer_an_expired_ticket) {
  resume_fixture f;
  first_handshake(&f);
  f.cclock.now += 7200 + 1;
  f.sclock.now = 1000000; /* the server would still take it */
  second_handshake(&f);
  expect_full(&f);
  pair_free(&f.p);
}

Test(engine_psk, client_does_not_offer_a_ticket_of_another_hash) {
  /* A TLS_AES_128_GCM_SHA256 ticket and a client that offers only TLS_AES_256_GCM_SHA384. */
  static const uint8_t sha384_only[] = {0x13, 0x02};
  resume_fixture f;
  first_handshake(&f);
  f.p.ccfg.cipher_suites = tg_bytes_of(sha384_only, 2);
  second_handshake(&f);
  expect_full(&f);
  cr_expect_eq(tg_conn_info(f.p.c)->cipher_suite, 0x1302);
  pair_free(&f.p);
}

Test(engine_psk, selected_identity_out_of_range_is_illegal_parameter) {
  resume_fixture f;
  first_handshake(&f);
  f.slog.select_identity = 1;
  second_handshake(&f);
  /* The client has no handshake keys yet: its alert goes in plaintext, which the server,
   * already reading under the client handshake key, does not take for an alert. */
  const struct tg_conn_info *ci = tg_conn_info(f.p.c), *si = tg_conn_info(f.p.s);
  cr_expect_eq(ci->phase, TG_PHASE_FAILED);
  cr_expect_eq(ci->alert_sent, TG_ALERT_illegal_parameter, "%s", ci->err.what);
  cr_expect_neq(si->phase, TG_PHASE_ESTABLISHED);
  pair_free(&f.p);
}

Test(engine_psk, pre_shared_key_without_modes_is_missing_extension) {
  resume_fixture f;
  first_handshake(&f);
  f.clog.drop_modes = true;
  second_handshake(&f);
  expect_alert(f.p.s, f.p.c, TG_ALERT_missing_extension, "no psk_key_exchange_modes");
  pair_free(&f.p);
}

Test(engine_psk, number_of_tickets) {
  static const struct {
    int num_tickets;
    size_t kept;
  } rows[] = {{0, 1}, {1, 1}, {3, 3}, {-1, 0}, {TG_MAX_TICKETS + 2, TG_MAX_TICKETS}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    pair p;
    pair_init(&p, &keys[0]);
    p.scfg.ticket_key = tg_bytes_of(ticket_key, 16);
    p.scfg.num_tickets = rows[i].num_tickets;
    p.scfg.ticket_lifetime = 60;
    pair_start(&p);
    pump(&p);
    expect_established(&p);
    cr_expect_eq(tg_conn_ticket_count(p.c), rows[i].kept, "num_tickets %d: %zu kept",
                 rows[i].num_tickets, tg_conn_ticket_count(p.c));
    tg_ticket a, b;
    if (rows[i].kept >= 2 && tg_conn_ticket(p.c, 0, &a) && tg_conn_ticket(p.c, 1, &b)) {
      cr_expect(memcmp(a.psk, b.psk, a.psk_len) != 0, "two tickets share a PSK");
      cr_expect_not(
          tg_bytes_eq(tg_bytes_of(a.ticket, a.ticket_len), tg_bytes_of(b.ticket, b.ticket_len)));
    }
    if (rows[i].kept > 0 && tg_conn_ticket(p.c, 0, &a))
      cr_expect_eq(a.ticket_lifetime, 60);
    pair_free(&p);
  }
}

Test(engine_psk, ticket_key_must_be_16_bytes) {
  pair p;
  tg_err err = {0};
  pair_init(&p, &keys[0]);
  p.scfg.ticket_key = tg_bytes_of(ticket_key, 15);
  cr_expect_null(tg_conn_new(&p.scfg, true, &err));
  cr_expect_eq(err.code, TG_E_USAGE, "%d: %s", err.code, err.what);
  pair_free(&p);
}
