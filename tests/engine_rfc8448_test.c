/* RFC 8448 §3 byte for byte (§5, §6, §7 and §4's 0-RTT flights further down): the built-in
 * client and server, given the trace's randoms and ephemeral keys through a scripted tg_rng,
 * produce the trace's records and derive its secrets.
 *
 * The engine draws randomness in a documented order (tls/src/engine/client.c, server.c):
 *   client: ClientHello.random (32), then the x25519 private key (32);
 *   server: ServerHello.random (32), the x25519 private key (32), then the CertificateVerify
 *           signature's: for rsa_pss_rsae_sha256 the 32-byte salt, then nettle's blinding.
 * The RFC's salt is not printed; it is recovered from the RFC's signature (RFC 8017 §9.1.2:
 * the RSA public operation gives EM, MGF1-SHA256 unmasks DB, the salt ends it). */
#include <criterion/criterion.h>
#include <gmp.h>
#include <string.h>

#include "engine/internal.h"
#include "hs_testutil.h"
#include "tg/engine.h"
#include "tg/ext/pre_shared_key.h"
#include "tg/extensions.h"
#include "tg/validator.h"

#define S3 "sec3-simple-1rtt/"

/* ---- A scripted RNG: the queued chunks in order, then a fixed pseudo-random stream (never all
 * zeros: RSA blinding needs an invertible factor). -----------------------------------------------
 */

typedef struct script_rng {
  uint8_t bytes[256];
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

static void script_push_file(script_rng *s, const char *rel) {
  tt_buf b = tt_rfc8448(rel);
  script_push(s, tt_view(b));
  tt_free(&b);
}

/* The 32-byte random of a ClientHello or ServerHello vector (after type, length, version). */
static void script_push_random(script_rng *s, const char *rel) {
  tt_buf b = tt_rfc8448(rel);
  cr_assert_geq(b.len, 4 + 2 + 32);
  script_push(s, tg_bytes_of(b.p + 6, 32));
  tt_free(&b);
}

/* ---- The RFC's parameters ------------------------------------------------------------------ */

static const uint8_t rfc_suites[] = {0x13, 0x01, 0x13, 0x03, 0x13, 0x02};
/* x25519, secp256r1, secp384r1, secp521r1, ffdhe2048..8192: advertised, not all implemented */
static const uint8_t rfc_groups[] = {0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x00, 0x19, 0x01,
                                     0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04};
static const uint8_t rfc_schemes[] = {0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x02, 0x03, 0x08, 0x04,
                                      0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01,
                                      0x02, 0x01, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x02, 0x02};

/* The server's certificate (cert_data of certificate.hex's only entry), in a static buffer. */
static tg_bytes rfc_certificate(void) {
  static uint8_t buf[2048];
  static tg_bytes cert;
  tt_buf msg = tt_rfc8448(S3 "certificate");
  tg_reader r;
  tg_handshake m;
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
  tg_certificate_iter it;
  tg_certificate_entry e;
  tg_reader_init(&r, msg.p, msg.len, NULL);
  cr_assert_eq(tg_handshake_decode(&r, &ctx, &m), TG_OK);
  tg_certificate_iter_init(&it, m.u.certificate.certificate_list, TG_VERSION_TLS13);
  cr_assert(tg_certificate_next(&it, &e));
  cr_assert_leq(e.cert_data.len, sizeof buf);
  memcpy(buf, e.cert_data.p, e.cert_data.len);
  cert = tg_bytes_of(buf, e.cert_data.len);
  tt_free(&msg);
  return cert;
}

static tg_private_key *rfc_rsa_key(void) {
  static const char *names[] = {"rsa_modulus",   "rsa_public_exponent", "rsa_private_exponent",
                                "rsa_prime1",    "rsa_prime2",          "rsa_exponent1",
                                "rsa_exponent2", "rsa_coefficient"};
  tt_buf v[8];
  for (int i = 0; i < 8; i++)
    v[i] = tt_rfc8448(names[i]);
  tg_private_key *key = NULL;
  tg_err err;
  cr_assert_eq(tg_private_key_rsa(tt_view(v[0]), tt_view(v[1]), tt_view(v[2]), tt_view(v[3]),
                                  tt_view(v[4]), tt_view(v[5]), tt_view(v[6]), tt_view(v[7]), &key,
                                  &err),
               TG_OK, "%s", err.what);
  for (int i = 0; i < 8; i++)
    tt_free(&v[i]);
  return key;
}

/* ---- Comparisons --------------------------------------------------------------------------- */

static void expect_bytes(tg_bytes got, const char *rel) {
  tt_buf want = tt_rfc8448(rel);
  cr_expect_eq(got.len, want.len, "%s: %zu bytes, want %zu", rel, got.len, want.len);
  if (got.len == want.len)
    cr_expect(memcmp(got.p, want.p, want.len) == 0, "%s differs", rel);
  tt_free(&want);
}

static void expect_secret(const tg_conn *c, const uint8_t *secret, const char *rel) {
  expect_bytes(tg_bytes_of(secret, c->ks.hlen), rel);
}

/* The output so far equals the concatenation of the named record files; then it is drained. */
static void expect_output(tg_conn *c, const char *rel1, const char *rel2) {
  tt_buf a = tt_rfc8448(rel1), b = rel2 ? tt_rfc8448(rel2) : (tt_buf){NULL, 0};
  tg_bytes out = tg_conn_output(c);
  cr_expect_eq(out.len, a.len + b.len, "output %zu bytes, want %zu (%s%s%s)", out.len,
               a.len + b.len, rel1, rel2 ? " + " : "", rel2 ? rel2 : "");
  if (out.len == a.len + b.len) {
    cr_expect(memcmp(out.p, a.p, a.len) == 0, "output differs from %s", rel1);
    if (rel2)
      cr_expect(memcmp(out.p + a.len, b.p, b.len) == 0, "output differs from %s", rel2);
  }
  tg_conn_output_consumed(c, out.len);
  tt_free(&a);
  tt_free(&b);
}

static void feed_file(tg_conn *c, const char *rel) {
  tt_buf in = tt_rfc8448(rel);
  tg_status st = tg_conn_feed(c, tt_view(in));
  cr_assert_eq(st, TG_OK, "feeding %s: %s", rel, tg_conn_info(c)->err.what);
  tt_free(&in);
}

/* Keylog lines are checked against the vectors too: the callback is the public accessor. */
typedef struct keylog_seen {
  int count;
  bool ok;
} keylog_seen;

static void keylog_cb(void *ctx, const char *label, tg_bytes client_random, tg_bytes secret) {
  static const struct {
    const char *label, *file;
  } map[] = {
      {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", S3 "client_handshake_traffic_secret"},
      {"SERVER_HANDSHAKE_TRAFFIC_SECRET", S3 "server_handshake_traffic_secret"},
      {"CLIENT_TRAFFIC_SECRET_0", S3 "client_application_traffic_secret_0"},
      {"SERVER_TRAFFIC_SECRET_0", S3 "server_application_traffic_secret_0"},
      {"EXPORTER_SECRET", S3 "exporter_master_secret"},
  };
  keylog_seen *seen = ctx;
  tt_buf ch = tt_rfc8448(S3 "client_hello");
  seen->ok &= client_random.len == 32 && memcmp(client_random.p, ch.p + 6, 32) == 0;
  tt_free(&ch);
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    if (strcmp(label, map[i].label) != 0)
      continue;
    tt_buf want = tt_rfc8448(map[i].file);
    seen->ok &= want.len == secret.len && memcmp(want.p, secret.p, secret.len) == 0;
    seen->count++;
    tt_free(&want);
  }
}

/* ---- The client ---------------------------------------------------------------------------- */

typedef struct client_fixture {
  script_rng rng;
  tg_bytes cert, spki;
  tg_validator validator;
  tg_config cfg;
  keylog_seen seen;
  tg_conn *c;
} client_fixture;

static void client_setup(client_fixture *f) {
  tg_err err;
  memset(f, 0, sizeof *f);
  f->rng.state = 1;
  script_push_random(&f->rng, S3 "client_hello");
  script_push_file(&f->rng, S3 "client_x25519_private");
  f->cert = rfc_certificate();
  cr_assert_eq(tg_cert_spki(f->cert, &f->spki, &err), TG_OK, "%s", err.what);
  tg_known_key_validator_init(&f->validator, &f->spki);
  f->seen.ok = true;
  f->cfg = (tg_config){
      .cipher_suites = tg_bytes_of(rfc_suites, sizeof rfc_suites),
      .groups = tg_bytes_of(rfc_groups, sizeof rfc_groups),
      .sig_schemes = tg_bytes_of(rfc_schemes, sizeof rfc_schemes),
      .validator = &f->validator,
      .server_name = "server",
      .rng = {script_fill, &f->rng},
      .keylog = keylog_cb,
      .keylog_ctx = &f->seen,
  };
  f->c = tg_conn_new(&f->cfg, false, &err);
  cr_assert_not_null(f->c, "%s", err.what);
}

Test(engine_rfc8448, client_hello_record) {
  client_fixture f;
  client_setup(&f);
  cr_assert_eq(tg_conn_start(f.c), TG_OK, "%s", tg_conn_info(f.c)->err.what);
  expect_output(f.c, S3 "client_hello_record", NULL);
  tg_conn_free(f.c);
}

Test(engine_rfc8448, client_handshake) {
  client_fixture f;
  client_setup(&f);
  cr_assert_eq(tg_conn_start(f.c), TG_OK);
  tg_conn_output_consumed(f.c, tg_conn_output(f.c).len);
  feed_file(f.c, S3 "server_hello_record");
  expect_secret(f.c, f.c->ks.early_secret, S3 "early_secret");
  expect_secret(f.c, f.c->ks.handshake_secret, S3 "handshake_secret");
  expect_secret(f.c, f.c->ks.client_handshake_traffic_secret, S3 "client_handshake_traffic_secret");
  expect_secret(f.c, f.c->ks.server_handshake_traffic_secret, S3 "server_handshake_traffic_secret");
  cr_expect_eq(tg_conn_info(f.c)->phase, TG_PHASE_HANDSHAKE);
  feed_file(f.c, S3 "server_handshake_record");
  expect_output(f.c, S3 "client_finished_record", NULL);
  expect_secret(f.c, f.c->ks.master_secret, S3 "master_secret");
  expect_secret(f.c, f.c->ks.client_application_traffic_secret_0,
                S3 "client_application_traffic_secret_0");
  expect_secret(f.c, f.c->ks.server_application_traffic_secret_0,
                S3 "server_application_traffic_secret_0");
  expect_secret(f.c, f.c->ks.exporter_master_secret, S3 "exporter_master_secret");
  expect_secret(f.c, f.c->ks.resumption_master_secret, S3 "resumption_master_secret");
  const struct tg_conn_info *info = tg_conn_info(f.c);
  cr_expect_eq(info->phase, TG_PHASE_ESTABLISHED);
  cr_expect_eq(info->cipher_suite, 0x1301);
  cr_expect_eq(info->group, TG_GROUP_x25519);
  cr_expect_eq(info->peer_sig_scheme, 0x0804);
  cr_expect_eq(f.seen.count, 5, "keylog lines: %d", f.seen.count);
  cr_expect(f.seen.ok, "a keylog secret or client_random differs from the vectors");
  tg_conn_free(f.c);
}

Test(engine_rfc8448, client_application_data_and_close) {
  client_fixture f;
  client_setup(&f);
  cr_assert_eq(tg_conn_start(f.c), TG_OK);
  feed_file(f.c, S3 "server_hello_record");
  feed_file(f.c, S3 "server_handshake_record");
  tg_conn_output_consumed(f.c, tg_conn_output(f.c).len);
  /* The ticket is accepted (and dropped); then the server's data at sequence number 1. */
  feed_file(f.c, S3 "new_session_ticket_record");
  feed_file(f.c, S3 "server_application_data_record");
  uint8_t buf[128];
  size_t n = tg_conn_read(f.c, buf, sizeof buf);
  expect_bytes(tg_bytes_of(buf, n), S3 "server_application_data");
  tt_buf data = tt_rfc8448(S3 "client_application_data");
  cr_assert_eq(tg_conn_write(f.c, tt_view(data)), TG_OK);
  expect_output(f.c, S3 "client_application_data_record", NULL);
  cr_assert_eq(tg_conn_close(f.c), TG_OK);
  expect_output(f.c, S3 "client_alert_record", NULL);
  cr_expect_eq(tg_conn_info(f.c)->phase, TG_PHASE_CLOSED);
  tt_free(&data);
  tg_conn_free(f.c);
}

/* ---- The server ---------------------------------------------------------------------------- */

/* MGF1-SHA256 (RFC 8017 B.2.1) XORed into db. */
static void mgf1_xor(const uint8_t *seed, size_t seed_len, uint8_t *db, size_t db_len) {
  for (uint32_t counter = 0; db_len > 0; counter++) {
    uint8_t in[64 + 4], h[32];
    memcpy(in, seed, seed_len);
    for (int i = 0; i < 4; i++)
      in[seed_len + i] = (uint8_t)(counter >> (24 - 8 * i));
    tg_hash(&tg_sha256, tg_bytes_of(in, seed_len + 4), h);
    size_t n = db_len < 32 ? db_len : 32;
    for (size_t i = 0; i < n; i++)
      db[i] ^= h[i];
    db += n;
    db_len -= n;
  }
}

/* The salt of an RFC rsa_pss_rsae_sha256 CertificateVerify (RFC 8017 §9.1.2 steps 1-10). */
static void rfc_pss_salt_of(const char *rel, uint8_t salt[32]) {
  tt_buf cv = tt_rfc8448(rel), n = tt_rfc8448("rsa_modulus"), e = tt_rfc8448("rsa_public_exponent");
  cr_assert_eq(cv.len, 4 + 2 + 2 + 128);
  mpz_t s, mn, me;
  mpz_inits(s, mn, me, NULL);
  mpz_import(s, 128, 1, 1, 0, 0, cv.p + 8);
  mpz_import(mn, n.len, 1, 1, 0, 0, n.p);
  mpz_import(me, e.len, 1, 1, 0, 0, e.p);
  mpz_powm(s, s, me, mn);
  uint8_t em[128] = {0};
  size_t count;
  cr_assert_leq(mpz_sizeinbase(s, 256), sizeof em);
  mpz_export(em + sizeof em - mpz_sizeinbase(s, 256), &count, 1, 1, 0, 0, s);
  mpz_clears(s, mn, me, NULL);
  cr_assert_eq(em[127], 0xbc, "EM does not end in 0xbc");
  size_t db_len = 128 - 32 - 1;
  uint8_t db[128];
  memcpy(db, em, db_len);
  mgf1_xor(em + db_len, 32, db, db_len);
  db[0] &= 0x7f; /* emBits = 1023: the top bit is not part of EM */
  cr_assert_eq(db[db_len - 32 - 1], 0x01, "DB lacks the 0x01 separator");
  memcpy(salt, db + db_len - 32, 32);
  tt_free(&cv);
  tt_free(&n);
  tt_free(&e);
}

typedef struct server_fixture {
  script_rng rng;
  tg_bytes cert;
  tg_cert_chain chain;
  tg_private_key *key;
  tg_config cfg;
  tg_conn *c;
} server_fixture;

static void server_setup(server_fixture *f) {
  tg_err err;
  uint8_t salt[32];
  memset(f, 0, sizeof *f);
  f->rng.state = 7;
  script_push_random(&f->rng, S3 "server_hello");
  script_push_file(&f->rng, S3 "server_x25519_private");
  rfc_pss_salt_of(S3 "certificate_verify", salt);
  script_push(&f->rng, tg_bytes_of(salt, 32));
  f->cert = rfc_certificate();
  f->key = rfc_rsa_key();
  f->chain = (tg_cert_chain){&f->cert, 1, f->key};
  f->cfg = (tg_config){
      .groups = tg_bytes_of(rfc_groups, sizeof rfc_groups),
      .chain = &f->chain,
      .rng = {script_fill, &f->rng},
  };
  f->c = tg_conn_new(&f->cfg, true, &err);
  cr_assert_not_null(f->c, "%s", err.what);
}

static void server_teardown(server_fixture *f) {
  tg_conn_free(f->c);
  tg_private_key_free(f->key);
}

Test(engine_rfc8448, server_flight) {
  server_fixture f;
  server_setup(&f);
  feed_file(f.c, S3 "client_hello_record");
  expect_output(f.c, S3 "server_hello_record", S3 "server_handshake_record");
  expect_secret(f.c, f.c->ks.handshake_secret, S3 "handshake_secret");
  expect_secret(f.c, f.c->ks.server_application_traffic_secret_0,
                S3 "server_application_traffic_secret_0");
  server_teardown(&f);
}

Test(engine_rfc8448, server_accepts_client_finished) {
  server_fixture f;
  server_setup(&f);
  feed_file(f.c, S3 "client_hello_record");
  tg_conn_output_consumed(f.c, tg_conn_output(f.c).len);
  cr_expect_eq(tg_conn_info(f.c)->phase, TG_PHASE_HANDSHAKE);
  feed_file(f.c, S3 "client_finished_record");
  cr_expect_eq(tg_conn_info(f.c)->phase, TG_PHASE_ESTABLISHED);
  expect_secret(f.c, f.c->ks.resumption_master_secret, S3 "resumption_master_secret");
  cr_expect_eq(tg_bytes_eq(tg_conn_output(f.c), tg_bytes_of(NULL, 0)), true,
               "the server sent something after the client Finished");
  feed_file(f.c, S3 "client_application_data_record");
  uint8_t buf[128];
  size_t n = tg_conn_read(f.c, buf, sizeof buf);
  expect_bytes(tg_bytes_of(buf, n), S3 "client_application_data");
  /* The RFC's server sent a NewSessionTicket first (sequence number 0); this engine sends none,
   * so its data record is compared at the RFC's sequence number 1. */
  tg_prot13_set_seq(&f.c->wr, 1);
  tt_buf data = tt_rfc8448(S3 "server_application_data");
  cr_assert_eq(tg_conn_write(f.c, tt_view(data)), TG_OK);
  expect_output(f.c, S3 "server_application_data_record", NULL);
  cr_assert_eq(tg_conn_close(f.c), TG_OK);
  expect_output(f.c, S3 "server_alert_record", NULL);
  tt_free(&data);
  server_teardown(&f);
}

/* ---- RFC 8448 §5: HelloRetryRequest, the server side ------------------------------------- */

#define S5 "sec5-hrr/"

/* secp256r1, secp384r1, x25519: the server's list in §5's EncryptedExtensions */
static const uint8_t s5_groups[] = {0x00, 0x17, 0x00, 0x18, 0x00, 0x1d};

Test(engine_rfc8448, hrr_server) {
  tg_err err;
  uint8_t salt[32];
  script_rng rng = {.state = 5};
  tg_bytes cert = rfc_certificate();
  tg_private_key *key = rfc_rsa_key();
  tg_cert_chain chain = {&cert, 1, key};
  tt_buf hrr = tt_rfc8448(S5 "hello_retry_request");
  /* The cookie is the server's choice: the RFC's, from its HelloRetryRequest. */
  tg_reader r;
  tg_handshake m;
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
  tg_bytes cookie_ext;
  tg_reader_init(&r, hrr.p, hrr.len, NULL);
  cr_assert_eq(tg_handshake_decode(&r, &ctx, &m), TG_OK);
  cr_assert(tg_ext_find(m.u.server_hello.extensions, TG_EXT_cookie, &cookie_ext));
  rfc_pss_salt_of(S5 "certificate_verify", salt);
  script_push_random(&rng, S5 "server_hello");
  script_push_file(&rng, S5 "server_p256_private");
  script_push(&rng, tg_bytes_of(salt, 32));
  tg_config cfg = {
      .groups = tg_bytes_of(s5_groups, sizeof s5_groups),
      .chain = &chain,
      .rng = {script_fill, &rng},
      .hrr_cookie = tg_bytes_of(cookie_ext.p + 2, cookie_ext.len - 2),
  };
  tg_conn *c = tg_conn_new(&cfg, true, &err);
  cr_assert_not_null(c);
  feed_file(c, S5 "client_hello_1_record");
  expect_output(c, S5 "hello_retry_request_record", NULL);
  cr_expect(tg_conn_info(c)->hello_retry);
  feed_file(c, S5 "client_hello_2_record");
  expect_output(c, S5 "server_hello_record", S5 "server_handshake_record");
  expect_secret(c, c->ks.server_handshake_traffic_secret, S5 "server_handshake_traffic_secret");
  feed_file(c, S5 "client_finished_record");
  cr_expect_eq(tg_conn_info(c)->phase, TG_PHASE_ESTABLISHED);
  cr_expect_eq(tg_conn_info(c)->group, TG_GROUP_secp256r1);
  expect_secret(c, c->ks.resumption_master_secret, S5 "resumption_master_secret");
  tg_conn_free(c);
  tg_private_key_free(key);
  tt_free(&hrr);
}

Test(engine_rfc8448, hrr_second_retry_is_unexpected) {
  /* A client that received the RFC's HelloRetryRequest refuses a second one (RFC 8446 §4.1.4).
   * Its own ClientHello differs from the RFC's, which does not matter before the ServerHello. */
  tg_err err;
  script_rng rng = {.state = 3};
  tg_config cfg = {.rng = {script_fill, &rng}};
  tg_conn *c = tg_conn_new(&cfg, false, &err);
  cr_assert_not_null(c);
  cr_assert_eq(tg_conn_start(c), TG_OK);
  feed_file(c, S5 "hello_retry_request_record");
  cr_expect(tg_conn_info(c)->hello_retry);
  tg_conn_output_consumed(c, tg_conn_output(c).len);
  tt_buf again = tt_rfc8448(S5 "hello_retry_request_record");
  cr_expect_neq(tg_conn_feed(c, tt_view(again)), TG_OK);
  cr_expect_eq(tg_conn_info(c)->alert_sent, TG_ALERT_unexpected_message);
  tt_free(&again);
  tg_conn_free(c);
}

/* ---- RFC 8448 §6 and §7: ClientHellos without session_ticket -------------------------------- */

/* The ClientHellos of §5-§7 lack the (empty) session_ticket the engine sends by default: a
 * message hook, the engine's deviation mechanism, removes it before encoding. */
static tg_hook_action drop_session_ticket(void *ctx, tg_conn *c, tg_handshake *m) {
  static uint8_t block[2048];
  tg_writer w;
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  (void)ctx, (void)c;
  if (m->msg_type != TG_HS_client_hello)
    return TG_HOOK_SEND;
  tg_writer_init(&w, block, sizeof block, NULL);
  tg_ext_iter_init(&it, m->u.client_hello.extensions);
  while (tg_ext_next(&it, &type, &data))
    if (type != TG_EXT_session_ticket)
      tg_ext_emit_raw(&w, type, data);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  m->u.client_hello.extensions = tg_writer_bytes(&w);
  return TG_HOOK_SEND;
}

static const tg_hooks no_ticket_hooks = {.message = drop_session_ticket};

/* A client with the RFC's lists and randoms for section dir (its ClientHello file ch, the
 * server's certificate trusted), without the session_ticket extension. */
static tg_conn *rfc_client(const char *dir, const char *ch_file, script_rng *rng, tg_validator *v,
                           tg_bytes *spki, tg_config *cfg, bool compat,
                           void (*adjust)(tg_config *cfg, script_rng *rng)) {
  char rel[128];
  tg_err err;
  static uint8_t cert_buf[2048];
  snprintf(rel, sizeof rel, "%s%s", dir, ch_file);
  script_push_random(rng, rel);
  if (compat) {
    tt_buf ch = tt_rfc8448(rel);
    script_push(rng, tg_bytes_of(ch.p + 4 + 2 + 32 + 1, 32)); /* legacy_session_id */
    tt_free(&ch);
  }
  snprintf(rel, sizeof rel, "%sclient_x25519_private", dir);
  script_push_file(rng, rel);
  /* The server's leaf, from the section's Certificate message. */
  snprintf(rel, sizeof rel, "%scertificate", dir);
  tt_buf msg = tt_rfc8448(rel);
  tg_reader r;
  tg_handshake m;
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
  tg_certificate_iter it;
  tg_certificate_entry e;
  tg_reader_init(&r, msg.p, msg.len, NULL);
  cr_assert_eq(tg_handshake_decode(&r, &ctx, &m), TG_OK);
  tg_certificate_iter_init(&it, m.u.certificate.certificate_list, TG_VERSION_TLS13);
  cr_assert(tg_certificate_next(&it, &e));
  memcpy(cert_buf, e.cert_data.p, e.cert_data.len);
  cr_assert_eq(tg_cert_spki(tg_bytes_of(cert_buf, e.cert_data.len), spki, &err), TG_OK);
  tt_free(&msg);
  tg_known_key_validator_init(v, spki);
  *cfg = (tg_config){
      .cipher_suites = tg_bytes_of(rfc_suites, sizeof rfc_suites),
      .groups = tg_bytes_of(rfc_groups, sizeof rfc_groups),
      .sig_schemes = tg_bytes_of(rfc_schemes, sizeof rfc_schemes),
      .validator = v,
      .server_name = "server",
      .middlebox_compat = compat,
      .rng = {script_fill, rng},
      .hooks = &no_ticket_hooks,
  };
  if (adjust != NULL)
    adjust(cfg, rng);
  tg_conn *c = tg_conn_new(cfg, false, &err);
  cr_assert_not_null(c, "%s", err.what);
  return c;
}

#define S6 "sec6-client-auth/"
#define S7 "sec7-compat-mode/"

Test(engine_rfc8448, client_auth_requested_client) {
  /* §6: the server (ECDSA P-256) asks for a certificate. The RFC does not give the client's
   * private key, so this client answers with an empty Certificate; everything up to the
   * server Finished is the RFC's, and so are the secrets derived from it. */
  script_rng rng = {.state = 6};
  tg_validator v;
  tg_bytes spki;
  tg_config cfg;
  tg_conn *c = rfc_client(S6, "client_hello", &rng, &v, &spki, &cfg, false, NULL);
  cr_assert_eq(tg_conn_start(c), TG_OK);
  expect_output(c, S6 "client_hello_record", NULL);
  feed_file(c, S6 "server_hello_record");
  feed_file(c, S6 "server_handshake_record");
  cr_expect_eq(tg_conn_info(c)->phase, TG_PHASE_ESTABLISHED, "%s", tg_conn_info(c)->err.what);
  cr_expect_eq(tg_conn_info(c)->peer_sig_scheme, 0x0403);
  expect_secret(c, c->ks.master_secret, S6 "master_secret");
  expect_secret(c, c->ks.client_application_traffic_secret_0,
                S6 "client_application_traffic_secret_0");
  expect_secret(c, c->ks.server_application_traffic_secret_0,
                S6 "server_application_traffic_secret_0");
  /* Its answer: an empty Certificate, then Finished, in one record under the handshake key. */
  tg_bytes out = tg_conn_output(c);
  cr_expect_eq(out.len, 5 + (4 + 4) + (4 + 32) + 1 + 16, "client flight of %zu bytes", out.len);
  tg_conn_free(c);
}

Test(engine_rfc8448, compat_mode_client) {
  script_rng rng = {.state = 7};
  tg_validator v;
  tg_bytes spki;
  tg_config cfg;
  tg_conn *c = rfc_client(S7, "client_hello", &rng, &v, &spki, &cfg, true, NULL);
  cr_assert_eq(tg_conn_start(c), TG_OK);
  expect_output(c, S7 "client_hello_record", NULL);
  feed_file(c, S7 "server_hello_record");
  feed_file(c, S7 "server_change_cipher_spec_record");
  feed_file(c, S7 "server_handshake_record");
  expect_output(c, S7 "client_change_cipher_spec_record", S7 "client_finished_record");
  cr_expect_eq(tg_conn_info(c)->phase, TG_PHASE_ESTABLISHED);
  expect_secret(c, c->ks.resumption_master_secret, S7 "resumption_master_secret");
  tg_conn_free(c);
}

Test(engine_rfc8448, compat_mode_server) {
  tg_err err;
  uint8_t salt[32];
  script_rng rng = {.state = 8};
  tg_bytes cert = rfc_certificate();
  tg_private_key *key = rfc_rsa_key();
  tg_cert_chain chain = {&cert, 1, key};
  rfc_pss_salt_of(S7 "certificate_verify", salt);
  script_push_random(&rng, S7 "server_hello");
  script_push_file(&rng, S7 "server_x25519_private");
  script_push(&rng, tg_bytes_of(salt, 32));
  tg_config cfg = {
      .groups = tg_bytes_of(rfc_groups, sizeof rfc_groups),
      .chain = &chain,
      .rng = {script_fill, &rng},
  };
  tg_conn *c = tg_conn_new(&cfg, true, &err);
  cr_assert_not_null(c);
  feed_file(c, S7 "client_hello_record");
  /* The client's legacy_session_id asks for compatibility mode: a CCS after the ServerHello. */
  tt_buf sh = tt_rfc8448(S7 "server_hello_record");
  tt_buf ccs = tt_rfc8448(S7 "server_change_cipher_spec_record");
  tg_bytes out = tg_conn_output(c);
  cr_assert_gt(out.len, sh.len + ccs.len);
  cr_expect(memcmp(out.p, sh.p, sh.len) == 0, "ServerHello record differs");
  cr_expect(memcmp(out.p + sh.len, ccs.p, ccs.len) == 0, "no change_cipher_spec after it");
  tg_conn_output_consumed(c, sh.len + ccs.len);
  expect_output(c, S7 "server_handshake_record", NULL);
  feed_file(c, S7 "client_change_cipher_spec_record");
  feed_file(c, S7 "client_finished_record");
  cr_expect_eq(tg_conn_info(c)->phase, TG_PHASE_ESTABLISHED, "%s", tg_conn_info(c)->err.what);
  tt_free(&sh);
  tt_free(&ccs);
  tg_conn_free(c);
  tg_private_key_free(key);
}

/* ---- RFC 8448 §5: HelloRetryRequest, the client side -------------------------------------- */

/* §5's client also pads its ClientHello as NSS and BoringSSL do (RFC 7685): a hello of 256 to
 * 511 bytes gets a padding extension that makes it 512. The engine does not pad; the hook adds
 * it after dropping session_ticket, so the wire bytes are the RFC's. */
static tg_hook_action drop_ticket_and_pad(void *ctx, tg_conn *c, tg_handshake *m) {
  static uint8_t block[2048];
  (void)drop_session_ticket(ctx, c, m);
  if (m->msg_type != TG_HS_client_hello)
    return TG_HOOK_SEND;
  const tg_client_hello *ch = &m->u.client_hello;
  size_t len = 4 + 2 + 32 + 1 + ch->legacy_session_id.len + 2 + ch->cipher_suites.len + 1 +
               ch->legacy_compression_methods.len + 2 + ch->extensions.len;
  if (len < 256 || len >= 512)
    return TG_HOOK_SEND;
  size_t pad = 512 - len >= 4 + 1 ? 512 - len - 4 : 1;
  static const uint8_t zeros[512];
  tg_writer w;
  tg_writer_init(&w, block, sizeof block, NULL);
  tg_w_view(&w, ch->extensions);
  tg_ext_emit_raw(&w, TG_EXT_padding, tg_bytes_of(zeros, pad));
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  m->u.client_hello.extensions = tg_writer_bytes(&w);
  return TG_HOOK_SEND;
}

static const tg_hooks pad_hooks = {.message = drop_ticket_and_pad};
static const uint8_t s5_client_groups[] = {0x00, 0x1d, 0x00, 0x17, 0x00, 0x18};

/* §5's client lists three groups, pads, and has a P-256 key ready for the second hello. */
static void s5_client(tg_config *cfg, script_rng *rng) {
  cfg->groups = tg_bytes_of(s5_client_groups, sizeof s5_client_groups);
  cfg->hooks = &pad_hooks;
  script_push_file(rng, S5 "client_p256_private");
}

Test(engine_rfc8448, hrr_client) {
  script_rng rng = {.state = 55};
  tg_validator v;
  tg_bytes spki;
  tg_config cfg;
  tg_conn *c = rfc_client(S5, "client_hello_1", &rng, &v, &spki, &cfg, false, s5_client);
  cr_assert_eq(tg_conn_start(c), TG_OK);
  expect_output(c, S5 "client_hello_1_record", NULL);
  feed_file(c, S5 "hello_retry_request_record");
  expect_output(c, S5 "client_hello_2_record", NULL);
  feed_file(c, S5 "server_hello_record");
  expect_secret(c, c->ks.handshake_secret, S5 "handshake_secret");
  feed_file(c, S5 "server_handshake_record");
  expect_output(c, S5 "client_finished_record", NULL);
  const struct tg_conn_info *info = tg_conn_info(c);
  cr_expect_eq(info->phase, TG_PHASE_ESTABLISHED);
  cr_expect(info->hello_retry);
  cr_expect_eq(info->group, TG_GROUP_secp256r1);
  tg_conn_free(c);
}

/* ---- RFC 8448 §4: resumption with 0-RTT, both sides ---------------------------------------- */

#define S4 "sec4-resumed-0rtt/"

static tg_handshake decode_msg(tg_bytes msg) {
  tg_reader r;
  tg_handshake m;
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13, .hash_len = 32};
  tg_reader_init(&r, msg.p, msg.len, NULL);
  cr_assert_eq(tg_handshake_decode(&r, &ctx, &m), TG_OK);
  return m;
}

/* What §3's client keeps of the trace's NewSessionTicket: §4 resumes with it. */
static tg_ticket s4_ticket(void) {
  client_fixture f;
  tg_ticket t;
  client_setup(&f);
  cr_assert_eq(tg_conn_start(f.c), TG_OK);
  feed_file(f.c, S3 "server_hello_record");
  feed_file(f.c, S3 "server_handshake_record");
  feed_file(f.c, S3 "new_session_ticket_record");
  cr_assert(tg_conn_ticket(f.c, 0, &t));
  cr_assert_eq(t.max_early_data_size, 1024);
  tg_conn_free(f.c);
  return t;
}

/* §4's ClientHello has early_data right after key_share (the engine puts it before
 * pre_shared_key), no session_ticket, padding (RFC 7685) to 512 bytes, and the trace's
 * obfuscated_ticket_age (6 ms after the ticket; the engine's clock counts seconds). The hook
 * makes those changes before encoding; the engine fills in the binder afterwards. */
typedef struct s4_hello {
  uint32_t obfuscated_age;
  uint8_t block[2048];
} s4_hello;

static void s4_rebuild(const s4_hello *h, tg_writer *w, tg_bytes exts, size_t pad) {
  static const uint8_t zeros[512];
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  tg_ext_iter_init(&it, exts);
  while (tg_ext_next(&it, &type, &data)) {
    if (type == TG_EXT_session_ticket || type == TG_EXT_early_data)
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
    id.obfuscated_ticket_age = h->obfuscated_age;
    tg_writer_init(&ids, ids_buf, sizeof ids_buf, NULL);
    tg_writer_init(&binders, binders_buf, sizeof binders_buf, NULL);
    tg_pre_shared_key_w_identity(&ids, &id);
    tg_pre_shared_key_w_binder(&binders, binder);
    tg_pre_shared_key_emit_ch(
        w, &(tg_pre_shared_key_ch){tg_writer_bytes(&ids), tg_writer_bytes(&binders), 1, 0});
  }
}

static tg_hook_action s4_client_hello(void *ctx, tg_conn *c, tg_handshake *m) {
  s4_hello *h = ctx;
  (void)c;
  if (m->msg_type != TG_HS_client_hello)
    return TG_HOOK_SEND;
  tg_client_hello *ch = &m->u.client_hello;
  tg_writer w;
  tg_writer_init(&w, h->block, 1024, NULL);
  s4_rebuild(h, &w, ch->extensions, 0);
  size_t len = 4 + 2 + 32 + 1 + ch->legacy_session_id.len + 2 + ch->cipher_suites.len + 1 +
               ch->legacy_compression_methods.len + 2 + w.len;
  cr_assert_lt(len + 4, 512);
  tg_writer_init(&w, h->block + 1024, 1024, NULL);
  s4_rebuild(h, &w, ch->extensions, 512 - len - 4);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  ch->extensions = tg_writer_bytes(&w);
  return TG_HOOK_SEND;
}

typedef struct s4_client {
  script_rng rng;
  s4_hello hello;
  tg_hooks hooks;
  tg_ticket ticket;
  tg_config cfg;
  tg_conn *c;
} s4_client;

static void s4_client_setup(s4_client *f) {
  tg_err err;
  memset(f, 0, sizeof *f);
  f->ticket = s4_ticket();
  tt_buf ch = tt_rfc8448(S4 "client_hello"), data = tt_rfc8448(S4 "early_application_data");
  tg_handshake m = decode_msg(tt_view(ch));
  tg_bytes body, binder;
  tg_pre_shared_key_ch offer;
  tg_psk_iter it;
  tg_psk_identity id;
  cr_assert(tg_ext_find(m.u.client_hello.extensions, TG_EXT_pre_shared_key, &body));
  cr_assert_eq(tg_pre_shared_key_parse_ch(body, &offer, NULL), TG_OK);
  tg_psk_iter_init(&it, &offer);
  cr_assert(tg_psk_next(&it, &id, &binder));
  f->hello.obfuscated_age = id.obfuscated_ticket_age;
  tt_free(&ch);
  static uint8_t early[64];
  cr_assert_leq(data.len, sizeof early);
  memcpy(early, data.p, data.len);
  f->rng.state = 4;
  script_push_random(&f->rng, S4 "client_hello");
  script_push_file(&f->rng, S4 "client_x25519_private");
  f->hooks = (tg_hooks){.ctx = &f->hello, .message = s4_client_hello};
  f->cfg = (tg_config){
      .cipher_suites = tg_bytes_of(rfc_suites, sizeof rfc_suites),
      .groups = tg_bytes_of(rfc_groups, sizeof rfc_groups),
      .sig_schemes = tg_bytes_of(rfc_schemes, sizeof rfc_schemes),
      .server_name = "server",
      .rng = {script_fill, &f->rng},
      .hooks = &f->hooks,
      .resume = &f->ticket,
      .early_data = tg_bytes_of(early, data.len),
  };
  tt_free(&data);
  f->c = tg_conn_new(&f->cfg, false, &err);
  cr_assert_not_null(f->c, "%s", err.what);
}

Test(engine_rfc8448, sec4_client_0rtt_flight) {
  s4_client f;
  s4_client_setup(&f);
  cr_assert_eq(tg_conn_start(f.c), TG_OK, "%s", tg_conn_info(f.c)->err.what);
  /* ClientHello (its binder the engine's), then the early data record under the early keys. */
  expect_output(f.c, S4 "client_hello_record", S4 "early_application_data_record");
  expect_bytes(tg_bytes_of(f.c->ks.binder_key, 32), S4 "binder_key");
  expect_bytes(tg_bytes_of(f.c->ks.client_early_traffic_secret, 32),
               S4 "client_early_traffic_secret");
  expect_bytes(tg_bytes_of(f.c->ks.early_exporter_master_secret, 32),
               S4 "early_exporter_master_secret");
  cr_expect_eq(tg_conn_info(f.c)->early_data, TG_EARLY_DATA_REJECTED, "delivered too early");
  /* The server accepts: EndOfEarlyData under the early keys, then the Finished. */
  feed_file(f.c, S4 "server_hello_record");
  feed_file(f.c, S4 "server_handshake_record");
  cr_expect(tg_conn_info(f.c)->resumed);
  cr_expect_eq(tg_conn_info(f.c)->early_data, TG_EARLY_DATA_ACCEPTED);
  cr_expect_eq(tg_conn_info(f.c)->phase, TG_PHASE_ESTABLISHED, "%s", tg_conn_info(f.c)->err.what);
  expect_output(f.c, S4 "end_of_early_data_record", S4 "client_finished_record");
  expect_secret(f.c, f.c->ks.client_application_traffic_secret_0,
                S4 "client_application_traffic_secret_0");
  expect_secret(f.c, f.c->ks.resumption_master_secret, S4 "resumption_master_secret");
  tg_conn_free(f.c);
}

/* The server side: the §3 ticket as a server installs it (tg_config.resume), a store that
 * allows it once. */
static bool s4_redeem(void *ctx, tg_bytes ticket) {
  int *uses = ctx;
  (void)ticket;
  return (*uses)++ == 0;
}

Test(engine_rfc8448, sec4_server_accepts_0rtt) {
  server_fixture f;
  int uses = 0;
  tg_ticket_store store = {&uses, NULL, s4_redeem};
  tg_err err;
  tg_ticket t = s4_ticket();
  server_setup(&f); /* for its certificate and key, which a resumption does not use */
  tg_conn_free(f.c);
  memset(&f.rng, 0, sizeof f.rng);
  f.rng.state = 44;
  script_push_random(&f.rng, S4 "server_hello");
  script_push_file(&f.rng, S4 "server_x25519_private");
  f.cfg.resume = &t;
  f.cfg.max_early_data_size = 1024;
  f.cfg.ticket_store = &store;
  f.c = tg_conn_new(&f.cfg, true, &err);
  cr_assert_not_null(f.c, "%s", err.what);
  feed_file(f.c, S4 "client_hello_record");
  cr_expect(tg_conn_info(f.c)->resumed);
  cr_expect_eq(tg_conn_info(f.c)->early_data, TG_EARLY_DATA_ACCEPTED);
  cr_expect_eq(uses, 1);
  /* EncryptedExtensions carries early_data: the flight is the trace's, byte for byte. */
  expect_output(f.c, S4 "server_hello_record", S4 "server_handshake_record");
  expect_bytes(tg_bytes_of(f.c->ks.client_early_traffic_secret, 32),
               S4 "client_early_traffic_secret");
  expect_bytes(tg_bytes_of(f.c->ks.early_exporter_master_secret, 32),
               S4 "early_exporter_master_secret");
  feed_file(f.c, S4 "early_application_data_record");
  uint8_t buf[64];
  cr_expect_eq(tg_conn_read(f.c, buf, sizeof buf), 0, "early data read as 1-RTT data");
  size_t n = tg_conn_read_early(f.c, buf, sizeof buf);
  expect_bytes(tg_bytes_of(buf, n), S4 "early_application_data");
  feed_file(f.c, S4 "end_of_early_data_record");
  feed_file(f.c, S4 "client_finished_record");
  cr_expect_eq(tg_conn_info(f.c)->phase, TG_PHASE_ESTABLISHED);
  expect_secret(f.c, f.c->ks.resumption_master_secret, S4 "resumption_master_secret");
  /* The same ClientHello again: the store refuses, the early data is skipped. */
  tg_conn_free(f.c);
  memset(&f.rng, 0, sizeof f.rng);
  f.rng.state = 44;
  script_push_random(&f.rng, S4 "server_hello");
  script_push_file(&f.rng, S4 "server_x25519_private");
  f.c = tg_conn_new(&f.cfg, true, &err);
  cr_assert_not_null(f.c, "%s", err.what);
  feed_file(f.c, S4 "client_hello_record");
  cr_expect(tg_conn_info(f.c)->resumed);
  cr_expect_eq(tg_conn_info(f.c)->early_data, TG_EARLY_DATA_REJECTED);
  feed_file(f.c, S4 "early_application_data_record");
  cr_expect_eq(tg_conn_read_early(f.c, buf, sizeof buf), 0);
  server_teardown(&f);
}
