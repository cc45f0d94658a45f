/* The TLS 1.3 key schedule (RFC 8446 §7.1), the transcript hash (§4.4.1), Finished (§4.4.4),
 * the CertificateVerify content (§4.4.3) and key installation (§7.3).
 *
 *              0
 *              |
 *    PSK ->  HKDF-Extract = Early Secret           (no PSK: PSK = 0 x Hash.length)
 *              |
 *        Derive-Secret(., "derived", "")
 *              v
 * (EC)DHE -> HKDF-Extract = Handshake Secret  -> c/s hs traffic over ClientHello...ServerHello
 *              |
 *        Derive-Secret(., "derived", "")
 *              v
 *    0 -> HKDF-Extract = Master Secret  -> c/s ap traffic, exp master over ...server Finished
 *                                       -> res master over ...client Finished
 */
#include <string.h>

#include "engine/internal.h"

/* ---- Transcript ---------------------------------------------------------------------------- */

void tg_transcript_init(tg_conn *c) {
  tg_hash_init(&c->th[0], &tg_sha256);
  tg_hash_init(&c->th[1], &tg_sha384);
  c->th_sel = -1;
}

void tg_transcript_add(tg_conn *c, tg_bytes msg) {
  /* The suite (hence the hash) is known only from the ServerHello on: until then both run. */
  for (int i = 0; i < 2; i++)
    if (c->th_sel < 0 || c->th_sel == i)
      tg_hash_update(&c->th[i], msg);
  /* TLS 1.2: the messages themselves, for a CertificateVerify (RFC 5246 §7.4.8). */
  if (c->t12_on) {
    c->t12_before = c->t12.len;
    tg_w_view(&c->t12, msg);
  }
}

void tg_ks_set_suite(tg_conn *c, const tg_cipher_suite *suite) {
  c->ks.suite = suite;
  c->ks.hlen = suite->hash->digest_len;
  c->th_sel = suite->hash == &tg_sha384 ? 1 : 0;
  c->info.cipher_suite = suite->id;
}

void tg_transcript_restart(tg_conn *c, const uint8_t *ch1_hash) {
  tg_hash_ctx *h = &c->th[c->th_sel];
  tg_hash_init(h, c->ks.suite->hash);
  /* Handshake {message_hash, uint24 Hash.length, Hash(ClientHello1)} */
  uint8_t header[4] = {TG_HS_message_hash, 0, 0, (uint8_t)c->ks.hlen};
  tg_hash_update(h, tg_bytes_of(header, 4));
  tg_hash_update(h, tg_bytes_of(ch1_hash, c->ks.hlen));
}

void tg_transcript_hash(const tg_conn *c, uint8_t *out) {
  tg_hash_peek(&c->th[c->th_sel < 0 ? 0 : c->th_sel], out);
}

/* ---- Secrets ------------------------------------------------------------------------------- */

static void keylog(tg_conn *c, const char *label, const uint8_t *secret) {
  if (c->cfg->keylog != NULL)
    c->cfg->keylog(c->cfg->keylog_ctx, label, tg_bytes_of(c->client_random, 32),
                   tg_bytes_of(secret, c->ks.hlen));
}

/* Derive-Secret(secret, label, Messages) with the current transcript as Messages. */
static tg_status derive_now(tg_conn *c, const uint8_t *secret, const char *label, uint8_t *out) {
  uint8_t hash[TG_MAX_HASH_LEN];
  tg_transcript_hash(c, hash);
  return tg_derive_secret(c->ks.suite->hash, tg_bytes_of(secret, c->ks.hlen), label, hash, out,
                          &c->err);
}

/* Derive-Secret(secret, "derived", "") then HKDF-Extract(that, ikm). */
static tg_status next_stage(tg_conn *c, const uint8_t *prev, tg_bytes ikm, uint8_t *out) {
  const tg_hash_desc *h = c->ks.suite->hash;
  uint8_t empty[TG_MAX_HASH_LEN], derived[TG_MAX_HASH_LEN];
  tg_hash(h, tg_bytes_of(NULL, 0), empty);
  TG_TRY(tg_derive_secret(h, tg_bytes_of(prev, c->ks.hlen), "derived", empty, derived, &c->err));
  tg_hkdf_extract(h, tg_bytes_of(derived, c->ks.hlen), ikm, out);
  return TG_OK;
}

tg_status tg_ks_early(tg_conn *c, const tg_cipher_suite *s) {
  const tg_hash_desc *h = s->hash;
  size_t hlen = h->digest_len;
  uint8_t zeros[TG_MAX_HASH_LEN] = {0}, hash[TG_MAX_HASH_LEN];
  /* Early Secret = HKDF-Extract(0, PSK); both secrets over Transcript-Hash(ClientHello), in the
   * PSK's hash (the client has not learnt the suite yet: both transcript hashes still run). */
  tg_hkdf_extract(h, tg_bytes_of(zeros, hlen), tg_bytes_of(c->psk, hlen), c->ks.early_secret);
  tg_hash_peek(&c->th[h == &tg_sha384 ? 1 : 0], hash);
  TG_TRY(tg_derive_secret(h, tg_bytes_of(c->ks.early_secret, hlen), "c e traffic", hash,
                          c->ks.client_early_traffic_secret, &c->err));
  TG_TRY(tg_derive_secret(h, tg_bytes_of(c->ks.early_secret, hlen), "e exp master", hash,
                          c->ks.early_exporter_master_secret, &c->err));
  if (c->cfg->keylog != NULL) {
    c->cfg->keylog(c->cfg->keylog_ctx, "CLIENT_EARLY_TRAFFIC_SECRET",
                   tg_bytes_of(c->client_random, 32),
                   tg_bytes_of(c->ks.client_early_traffic_secret, hlen));
    c->cfg->keylog(c->cfg->keylog_ctx, "EARLY_EXPORTER_SECRET", tg_bytes_of(c->client_random, 32),
                   tg_bytes_of(c->ks.early_exporter_master_secret, hlen));
  }
  return TG_OK;
}

tg_status tg_ks_handshake(tg_conn *c, tg_bytes shared_secret) {
  tg_keysched *ks = &c->ks;
  uint8_t zeros[TG_MAX_HASH_LEN] = {0};
  /* RFC 8446 §7.1: the PSK, or Hash.length zeros without one. */
  tg_bytes psk = tg_bytes_of(c->info.resumed ? c->psk : zeros, ks->hlen);
  tg_hkdf_extract(ks->suite->hash, tg_bytes_of(zeros, ks->hlen), psk, ks->early_secret);
  TG_TRY(next_stage(c, ks->early_secret, shared_secret, ks->handshake_secret));
  TG_TRY(derive_now(c, ks->handshake_secret, "c hs traffic", ks->client_handshake_traffic_secret));
  TG_TRY(derive_now(c, ks->handshake_secret, "s hs traffic", ks->server_handshake_traffic_secret));
  keylog(c, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", ks->client_handshake_traffic_secret);
  keylog(c, "SERVER_HANDSHAKE_TRAFFIC_SECRET", ks->server_handshake_traffic_secret);
  return TG_OK;
}

tg_status tg_ks_application(tg_conn *c) {
  tg_keysched *ks = &c->ks;
  uint8_t zeros[TG_MAX_HASH_LEN] = {0};
  TG_TRY(next_stage(c, ks->handshake_secret, tg_bytes_of(zeros, ks->hlen), ks->master_secret));
  TG_TRY(derive_now(c, ks->master_secret, "c ap traffic", ks->client_application_traffic_secret_0));
  TG_TRY(derive_now(c, ks->master_secret, "s ap traffic", ks->server_application_traffic_secret_0));
  TG_TRY(derive_now(c, ks->master_secret, "exp master", ks->exporter_master_secret));
  keylog(c, "CLIENT_TRAFFIC_SECRET_0", ks->client_application_traffic_secret_0);
  keylog(c, "SERVER_TRAFFIC_SECRET_0", ks->server_application_traffic_secret_0);
  keylog(c, "EXPORTER_SECRET", ks->exporter_master_secret);
  return TG_OK;
}

tg_status tg_ks_resumption(tg_conn *c) {
  return derive_now(c, c->ks.master_secret, "res master", c->ks.resumption_master_secret);
}

tg_status tg_finished_mac(tg_conn *c, const uint8_t *base_key, const uint8_t *hash, uint8_t *out) {
  /* RFC 8446 §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length);
   * verify_data = HMAC(finished_key, Transcript-Hash(...)). */
  const tg_hash_desc *h = c->ks.suite->hash;
  uint8_t finished_key[TG_MAX_HASH_LEN];
  TG_TRY(tg_hkdf_expand_label(h, tg_bytes_of(base_key, c->ks.hlen), "finished",
                              tg_bytes_of(NULL, 0), finished_key, c->ks.hlen, &c->err));
  tg_hmac(h, tg_bytes_of(finished_key, c->ks.hlen), tg_bytes_of(hash, c->ks.hlen), out);
  explicit_bzero(finished_key, sizeof finished_key);
  return TG_OK;
}

/* ---- Keys ---------------------------------------------------------------------------------- */

tg_status tg_install_read(tg_conn *c, const uint8_t *secret) {
  /* RFC 8446 §5.1: a key change must fall on a record boundary. Permissive (permissive.h):
   * what follows in the record is read as it is. */
  TG_TRY(TG_TOLERATE(c, tg_hs_reasm_key_change(&c->reasm, &c->err)));
  TG_TRY(tg_prot13_init(&c->rd, c->ks.suite, tg_bytes_of(secret, c->ks.hlen), &c->err));
  c->rd_on = true;
  return TG_OK;
}

tg_status tg_install_write(tg_conn *c, const uint8_t *secret) {
  TG_TRY(tg_prot13_init(&c->wr, c->ks.suite, tg_bytes_of(secret, c->ks.hlen), &c->err));
  c->wr_on = true;
  return TG_OK;
}

void tg_cv_content(tg_writer *w, bool server, const uint8_t *hash, size_t hlen) {
  /* RFC 8446 §4.4.3: 64 spaces, the context string, a zero byte, then the transcript hash. */
  static const char *ctx[2] = {"TLS 1.3, client CertificateVerify",
                               "TLS 1.3, server CertificateVerify"};
  uint8_t *pad = tg_w_reserve(w, 64);
  if (pad != NULL)
    memset(pad, 0x20, 64);
  tg_w_bytes(w, ctx[server], strlen(ctx[server]));
  tg_w_u8(w, 0);
  tg_w_bytes(w, hash, hlen);
}
