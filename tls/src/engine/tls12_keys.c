/* TLS 1.2 keys and sessions: the default suite lists, the master secret (RFC 5246 §8.1, RFC 7627
 * §4), the key block and record keys (§6.3), change_cipher_spec and Finished (§7.1, §7.4.9), and
 * the session state kept for resumption (a client's tg_ticket, a server's cache entry or RFC 5077
 * ticket).
 *
 * The server's TLS 1.2 ticket (its own format, read only by itself):
 *   struct {
 *       uint8 format = 2;
 *       opaque nonce[12];
 *       opaque sealed_state[];  AES-128-GCM(ticket_key, nonce, aad = format || nonce, Session)
 *   } Ticket12;
 *   struct {
 *       uint16 cipher_suite;
 *       uint8 ems;
 *       uint32 issued_hi; uint32 issued_lo;   the server's clock, seconds
 *       opaque master_secret[48];
 *       opaque alpn<0..255>;
 *   } Session;   (also the bytes of a session_cache entry)
 */
#include <string.h>

#include "engine/fuzzmode.h"
#include "engine/internal.h"
#include "tg/ext/ec_point_formats.h"
#include "tg/ext/renegotiation_info.h"
#include "tg/extensions.h"

#define TICKET12_FORMAT 2
#define TICKET12_NONCE_LEN 12

/* ---- Suites -------------------------------------------------------------------------------- */

#define S13 0x13, 0x01, 0x13, 0x02, 0x13, 0x03
/* ECDHE_ECDSA then ECDHE_RSA, each AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305; then the CBC
 * suites last (AES-128/256 with SHA-256/384, then with SHA-1), for peers that have nothing else. */
#define S12 0xc0, 0x2b, 0xc0, 0x2c, 0xcc, 0xa9, 0xc0, 0x2f, 0xc0, 0x30, 0xcc, 0xa8
#define S12_CBC                                                                                    \
  0xc0, 0x23, 0xc0, 0x24, 0xc0, 0x27, 0xc0, 0x28, 0xc0, 0x09, 0xc0, 0x0a, 0xc0, 0x13, 0xc0, 0x14
#define S12_RSA 0x00, 0x9c, 0x00, 0x9d, 0x00, 0x3c, 0x00, 0x3d, 0x00, 0x2f, 0x00, 0x35

tg_bytes tg_offered_suites(const tg_config *cfg) {
  static const uint8_t v13[] = {S13}, both[] = {S13, S12, S12_CBC},
                       both_rsa[] = {S13, S12, S12_CBC, S12_RSA}, v12[] = {S12, S12_CBC},
                       v12_rsa[] = {S12, S12_CBC, S12_RSA};
  if (cfg->cipher_suites.len)
    return cfg->cipher_suites;
  if (!tg_allows12(cfg))
    return tg_bytes_of(v13, sizeof v13);
  if (!tg_allows13(cfg))
    return cfg->rsa_key_exchange ? tg_bytes_of(v12_rsa, sizeof v12_rsa)
                                 : tg_bytes_of(v12, sizeof v12);
  return cfg->rsa_key_exchange ? tg_bytes_of(both_rsa, sizeof both_rsa)
                               : tg_bytes_of(both, sizeof both);
}

bool tg12_offers_cbc(const tg_config *cfg) {
  tg_bytes offered = tg_offered_suites(cfg);
  for (size_t i = 0; i < tg_u16s_count(offered); i++) {
    const tg_cipher_suite *s = tg_cipher_suite_find(tg_u16s_get(offered, i));
    if (s != NULL && s->cbc != NULL)
      return true;
  }
  return false;
}

const tg_cipher_suite *tg_suite12(const tg_conn *c, uint16_t id) {
  const tg_cipher_suite *s = tg_find_suite(c, id);
  if (s == NULL || s->min_version > TG_VERSION_TLS12 || s->max_version < TG_VERSION_TLS12 ||
      s->kx == TG_SUITE_KX_NONE)
    return NULL;
  /* RSA key transport only when enabled (no forward secrecy). */
  return s->kx != TG_SUITE_KX_RSA || c->cfg->rsa_key_exchange ? s : NULL;
}

/* ---- Secrets and keys ---------------------------------------------------------------------- */

static tg_bytes randoms(const uint8_t *first, const uint8_t *second, uint8_t *buf) {
  memcpy(buf, first, 32);
  memcpy(buf + 32, second, 32);
  return tg_bytes_of(buf, 64);
}

void tg12_master_secret(tg_conn *c, tg_bytes premaster) {
  const tg_hash_desc *h = c->ks.suite->hash;
  uint8_t seed[64];
  if (c->info.ems) {
    /* RFC 7627 §4: PRF(pre_master_secret, "extended master secret", session_hash), the
     * session hash covering the handshake up to and including the ClientKeyExchange. */
    uint8_t session_hash[TG_MAX_HASH_LEN];
    tg_transcript_hash(c, session_hash);
    tg_tls12_prf(h, premaster, "extended master secret", tg_bytes_of(session_hash, c->ks.hlen),
                 tg_bytes_of(NULL, 0), c->master_secret, TG_MASTER_SECRET_LEN);
  } else {
    /* RFC 5246 §8.1 */
    tg_tls12_prf(h, premaster, "master secret", randoms(c->client_random, c->server_random, seed),
                 tg_bytes_of(NULL, 0), c->master_secret, TG_MASTER_SECRET_LEN);
  }
  if (c->cfg->keylog != NULL) /* NSS key log: CLIENT_RANDOM <client_random> <master_secret> */
    c->cfg->keylog(c->cfg->keylog_ctx, "CLIENT_RANDOM", tg_bytes_of(c->client_random, 32),
                   tg_bytes_of(c->master_secret, TG_MASTER_SECRET_LEN));
}

/* RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random)
 * = client_write_MAC_key, server_write_MAC_key, client_write_key, server_write_key,
 * client_write_IV, server_write_IV. AEAD suites have no MAC keys; CBC suites no IVs (they are
 * "only generated for implicit nonce techniques"). */
static void key_block(tg_conn *c, bool server, uint8_t *mac_key, uint8_t *key, uint8_t *iv) {
  const tg_cipher_suite *s = c->ks.suite;
  size_t mlen = s->cbc ? s->mac->digest_len : 0, klen = s->cbc ? s->cbc->key_len : s->aead->key_len,
         ivlen = s->fixed_iv_len;
  uint8_t block[2 * (TG_MAX_HASH_LEN + TG_MAX_AEAD_KEY + TG_AEAD_NONCE_LEN)], seed[64];
  tg_tls12_prf(s->hash, tg_bytes_of(c->master_secret, TG_MASTER_SECRET_LEN), "key expansion",
               randoms(c->server_random, c->client_random, seed), tg_bytes_of(NULL, 0), block,
               2 * (mlen + klen + ivlen));
  memcpy(mac_key, block + (server ? mlen : 0), mlen);
  memcpy(key, block + 2 * mlen + (server ? klen : 0), klen);
  memcpy(iv, block + 2 * (mlen + klen) + (server ? ivlen : 0), ivlen);
  explicit_bzero(block, sizeof block);
}

/* One direction's record protection, CBC (with encrypt_then_mac when negotiated) or AEAD. */
static tg_protection install(tg_conn *c, bool server, tg_prot12 *p) {
  uint8_t mac_key[TG_MAX_HASH_LEN], key[TG_MAX_AEAD_KEY], iv[TG_AEAD_NONCE_LEN];
  const tg_cipher_suite *s = c->ks.suite;
  key_block(c, server, mac_key, key, iv);
  if (s->cbc != NULL)
    tg_prot12_init_cbc(p, s, mac_key, key, c->info.etm, c->cfg->rng);
  else
    tg_prot12_init(p, s->aead, key, iv, s->fixed_iv_len);
  explicit_bzero(mac_key, sizeof mac_key);
  explicit_bzero(key, sizeof key);
  return s->cbc != NULL ? tg_prot12_cbc_protection(p) : tg_prot12_protection(p);
}

void tg12_install_read(tg_conn *c) {
  c->rd_prot = install(c, !c->is_server, &c->rd12);
  c->rd_on = true;
}

void tg12_install_write(tg_conn *c) {
  c->wr_prot = install(c, c->is_server, &c->wr12);
  c->wr_on = true;
}

tg_prot12 *tg_conn_cbc_writer(struct tg_conn *c) {
  return c->wr_on && tg_is12(c) && c->wr12.cbc != NULL ? &c->wr12 : NULL;
}

/* ---- change_cipher_spec and Finished ------------------------------------------------------- */

void tg12_verify_data(tg_conn *c, bool server, const uint8_t *hash, uint8_t *out) {
  /* RFC 5246 §7.4.9: PRF(master_secret, finished_label, Hash(handshake_messages))[0..11] */
  tg_tls12_prf(c->ks.suite->hash, tg_bytes_of(c->master_secret, TG_MASTER_SECRET_LEN),
               server ? "server finished" : "client finished", tg_bytes_of(hash, c->ks.hlen),
               tg_bytes_of(NULL, 0), out, TG_VERIFY_DATA_LEN);
}

tg_status tg12_check_hello_exts(tg_conn *c, tg_bytes extensions, const char *hello) {
  tg_bytes body;
  if (tg_ext_find(extensions, TG_EXT_renegotiation_info, &body)) {
    tg_renegotiation_info ri;
    TG_TRY(tg_renegotiation_info_parse(body, &ri, &c->err));
    TG_PEER_CHECK(
        c, &c->err, ri.renegotiated_connection.len == 0, handshake_failure, TG_E_BAD_VALUE,
        "%s.renegotiation_info is not empty on an initial handshake (RFC 5746 3.4, 3.6)", hello);
    c->info.secure_renegotiation = true;
  }
  if (tg_ext_find(extensions, TG_EXT_ec_point_formats, &body)) {
    tg_ec_point_formats pf;
    TG_TRY(tg_ec_point_formats_parse(body, &pf, &c->err));
    TG_PEER_CHECK(c, &c->err,
                  memchr(pf.ec_point_format_list.p, 0, pf.ec_point_format_list.len) != NULL,
                  illegal_parameter, TG_E_BAD_VALUE,
                  "%s.ec_point_formats lacks uncompressed (RFC 8422 5.1.2, 5.2)", hello);
  }
  return TG_OK;
}

tg_status tg12_send_ccs_finished(tg_conn *c) {
  static const uint8_t ccs[] = {1};
  uint8_t hash[TG_MAX_HASH_LEN];
  uint8_t *mine = c->is_server ? c->server_verify_data : c->client_verify_data;
  /* What was queued goes out under the old keys; change_cipher_spec switches the write side
   * (RFC 5246 §7.1), and Finished is the first message under the new keys. */
  TG_TRY(tg_flush_flight(c));
  TG_TRY(tg_conn_send_record(c, TG_CT_change_cipher_spec, tg_bytes_of(ccs, 1)));
  tg12_install_write(c);
  tg_transcript_hash(c, hash);
  tg12_verify_data(c, c->is_server, hash, mine);
  tg_handshake m = {.msg_type = TG_HS_finished};
  m.u.finished.verify_data = tg_bytes_of(mine, TG_VERIFY_DATA_LEN);
  TG_TRY(tg_send_message(c, &m));
  return tg_flush_flight(c);
}

tg_status tg12_check_finished(tg_conn *c, const tg_handshake *m) {
  uint8_t *expected = c->is_server ? c->client_verify_data : c->server_verify_data;
  tg_bytes got = m->u.finished.verify_data;
  tg12_verify_data(c, !c->is_server, c->th_before, expected);
  if (TG_FUZZER_MODE(c)) /* engine/fuzzmode.h: a fuzzed Finished gets through */
    return TG_OK;
  /* RFC 5246 §7.4.9: "Recipients of Finished messages MUST verify that the contents are
   * correct." A wrong one is decrypt_error (§7.2.2); compared in constant time. */
  TG_PEER_CHECK(c, &c->err, got.len == TG_VERIFY_DATA_LEN && tg_ct_eq(got.p, expected, got.len),
                decrypt_error, TG_E_BAD_VALUE, "Finished.verify_data is wrong (RFC 5246 7.4.9)");
  return TG_OK;
}

tg_status tg12_on_ccs(tg_conn *c, const tg_handshake *m) {
  (void)m;
  /* RFC 5246 §7.1: the read side switches to the pending keys; a handshake message split
   * across it would straddle two key states. */
  TG_TRY(TG_TOLERATE(c, tg_hs_reasm_key_change(&c->reasm, &c->err)));
  tg12_install_read(c);
  c->ccs_received = true;
  return TG_OK;
}

/* ---- Sessions ------------------------------------------------------------------------------ */

static int64_t now(const tg_conn *c) {
  return c->cfg->clock.now ? c->cfg->clock.now(c->cfg->clock.ctx) : 0;
}

void tg12_session_encode(const tg_conn *c, tg_writer *w) {
  int64_t t = now(c);
  tg_w_u16(w, c->ks.suite->id);
  tg_w_u8(w, c->info.ems);
  tg_w_u32(w, (uint32_t)((uint64_t)t >> 32));
  tg_w_u32(w, (uint32_t)t);
  tg_w_bytes(w, c->master_secret, TG_MASTER_SECRET_LEN);
  tg_w_vec(w, 1, c->info.alpn);
}

bool tg12_session_decode(tg_bytes in, tg12_session *out) {
  tg_reader r, alpn;
  uint8_t ems;
  uint32_t hi, lo;
  tg_reader_init(&r, in.p, in.len, NULL);
  if (tg_read_u16(&r, &out->cipher_suite, "Session.cipher_suite") != TG_OK ||
      tg_read_u8(&r, &ems, "Session.ems") != TG_OK ||
      tg_read_u32(&r, &hi, "Session.issued") != TG_OK ||
      tg_read_u32(&r, &lo, "Session.issued") != TG_OK ||
      tg_read_copy(&r, out->master_secret, TG_MASTER_SECRET_LEN, "Session.master_secret") !=
          TG_OK ||
      tg_read_vec(&r, 1, 0, 255, &alpn, "Session.alpn") != TG_OK ||
      tg_read_done(&r, "Session") != TG_OK)
    return false;
  out->ems = ems != 0;
  out->issued = (int64_t)((uint64_t)hi << 32 | lo);
  out->alpn = tg_reader_rest(&alpn);
  return true;
}

void tg12_keep_session(tg_conn *c, tg_bytes ticket, uint32_t lifetime_hint) {
  tg_ticket *t = &c->tickets[0];
  t->version = TG_VERSION_TLS12;
  t->cipher_suite = c->ks.suite->id;
  memcpy(t->psk, c->master_secret, TG_MASTER_SECRET_LEN);
  t->psk_len = TG_MASTER_SECRET_LEN;
  memcpy(t->session_id, c->session_id, c->session_id_len);
  t->session_id_len = c->session_id_len;
  t->ems = c->info.ems;
  if (ticket.len <= TG_TICKET_MAX_LEN) {
    memcpy(t->ticket, ticket.p, ticket.len);
    t->ticket_len = ticket.len;
  }
  t->ticket_lifetime = lifetime_hint;
  t->received = now(c);
  /* Nothing to resume with: no session id and no ticket (RFC 5077 §3.3 allows either). */
  c->n_tickets = t->ticket_len > 0 || t->session_id_len > 0 ? 1 : 0;
}

void tg12_ticket_seal(tg_conn *c, tg_bytes state, tg_writer *w) {
  uint8_t nonce[TICKET12_NONCE_LEN];
  tg_conn_random(c, nonce, sizeof nonce);
  size_t start = w->len;
  tg_w_u8(w, TICKET12_FORMAT);
  tg_w_bytes(w, nonce, sizeof nonce);
  uint8_t *sealed = tg_w_reserve(w, state.len + TG_AEAD_TAG_LEN);
  if (sealed == NULL)
    return; /* the writer's status says why */
  tg_aead_ctx aead;
  tg_aead_init(&aead, &tg_aes128_gcm, c->cfg->ticket_key.p);
  aead.desc->seal(aead.state, nonce, tg_bytes_of(w->buf + start, 1 + TICKET12_NONCE_LEN), state.p,
                  state.len, sealed);
  explicit_bzero(&aead, sizeof aead);
}

bool tg12_ticket_open(tg_conn *c, tg_bytes ticket, uint8_t *state, size_t cap, size_t *len) {
  size_t head = 1 + TICKET12_NONCE_LEN;
  if (c->cfg->ticket_key.len != 16 || ticket.len < head + TG_AEAD_TAG_LEN ||
      ticket.p[0] != TICKET12_FORMAT || ticket.len - head - TG_AEAD_TAG_LEN > cap)
    return false;
  tg_aead_ctx aead;
  tg_aead_init(&aead, &tg_aes128_gcm, c->cfg->ticket_key.p);
  bool ok = aead.desc->open(aead.state, ticket.p + 1, tg_bytes_of(ticket.p, head), ticket.p + head,
                            ticket.len - head, state);
  explicit_bzero(&aead, sizeof aead);
  *len = ticket.len - head - TG_AEAD_TAG_LEN;
  return ok;
}
