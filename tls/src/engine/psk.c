/* Resumption with session tickets (RFC 8446 §2.2, §4.2.11, §4.6.1), psk_dhe_ke only, and the
 * decisions of 0-RTT (§4.2.10): which tickets allow it, whether a ClientHello's early data is
 * accepted (server) or offered (client).
 *
 * Server: after the client Finished it sends NewSessionTickets whose ticket is its own sealed
 * state; a later ClientHello that offers one back, with a binder that verifies, resumes
 * without certificates. Client: it keeps the tickets it receives (tg_conn_ticket) and offers one
 * (tg_config.resume) as the ClientHello's last extension, the binder filled in once the
 * ClientHello is encoded, so that it covers the bytes that go on the wire.
 *
 * The server's ticket (its own format; nothing but the server reads it):
 *   struct {
 *       uint8 format = 1;
 *       opaque nonce[12];
 *       opaque sealed_state[];   AES-128-GCM(ticket_key, nonce, aad = format || nonce,
 *                                            TicketState) || tag
 *   } Ticket;
 *   struct {
 *       uint16 cipher_suite;
 *       uint32 issued_hi; uint32 issued_lo;   the server's clock at issue, seconds
 *       uint32 ticket_lifetime;
 *       uint32 ticket_age_add;
 *       opaque psk<1..255>;
 *       opaque alpn<0..255>;
 *       uint32 max_early_data_size;           0: the ticket allows no 0-RTT
 *   } TicketState;
 */
#include <string.h>

#include "engine/fuzzmode.h"
#include "engine/internal.h"
#include "tg/ext/early_data.h"
#include "tg/ext/pre_shared_key.h"
#include "tg/ext/psk_key_exchange_modes.h"

#define TICKET_FORMAT 2
#define TICKET_NONCE_LEN 12
#define DEFAULT_LIFETIME 7200u /* seconds: RFC 8446 §4.6.1 allows up to 7 days */
#define TICKET_MAX_STATE 512   /* TicketState: 2 + 16 + 1 + 64 + 1 + 255 + 4 at most */

/* What a ticket carries, opened. */
typedef struct ticket_state {
  uint16_t cipher_suite;
  int64_t issued;
  uint32_t ticket_lifetime;
  uint32_t ticket_age_add;
  tg_bytes psk;
  tg_bytes alpn;
  uint32_t max_early_data_size;
} ticket_state;

static int64_t now(const tg_conn *c) {
  return c->cfg->clock.now ? c->cfg->clock.now(c->cfg->clock.ctx) : 0;
}

static int hash_index(const tg_hash_desc *h) { return h == &tg_sha384 ? 1 : 0; }

/* ---- Key schedule pieces ------------------------------------------------------------------- */

/* RFC 8446 §7.1: Early Secret = HKDF-Extract(0, PSK); binder_key = Derive-Secret(Early Secret,
 * "res binder", ""); §4.2.11.2: the binder is a Finished computed with binder_key as BaseKey
 * over Transcript-Hash(Truncate(ClientHello)), given as hash. */
static tg_status psk_binder(tg_conn *c, const tg_hash_desc *h, const uint8_t *hash,
                            uint8_t *binder) {
  size_t hlen = h->digest_len;
  uint8_t zeros[TG_MAX_HASH_LEN] = {0}, empty[TG_MAX_HASH_LEN], finished_key[TG_MAX_HASH_LEN];
  tg_hkdf_extract(h, tg_bytes_of(zeros, hlen), tg_bytes_of(c->psk, hlen), c->ks.early_secret);
  tg_hash(h, tg_bytes_of(NULL, 0), empty);
  TG_TRY(tg_derive_secret(h, tg_bytes_of(c->ks.early_secret, hlen), "res binder", empty,
                          c->ks.binder_key, &c->err));
  TG_TRY(tg_hkdf_expand_label(h, tg_bytes_of(c->ks.binder_key, hlen), "finished",
                              tg_bytes_of(NULL, 0), finished_key, hlen, &c->err));
  tg_hmac(h, tg_bytes_of(finished_key, hlen), tg_bytes_of(hash, hlen), binder);
  explicit_bzero(finished_key, sizeof finished_key);
  return TG_OK;
}

/* Transcript-Hash(transcript so far || prefix) under h, from a copy of the running hash. */
static void hash_with(const tg_hash_ctx *transcript, tg_bytes prefix, uint8_t *out) {
  tg_hash_ctx h = *transcript;
  tg_hash_update(&h, prefix);
  tg_hash_peek(&h, out);
}

/* RFC 8446 §4.6.1: PSK = HKDF-Expand-Label(resumption_master_secret, "resumption",
 * ticket_nonce, Hash.length). */
static tg_status resumption_psk(tg_conn *c, tg_bytes nonce, uint8_t *psk) {
  return tg_hkdf_expand_label(c->ks.suite->hash,
                              tg_bytes_of(c->ks.resumption_master_secret, c->ks.hlen), "resumption",
                              nonce, psk, c->ks.hlen, &c->err);
}

/* ---- Server: tickets ----------------------------------------------------------------------- */

static void seal_ticket(tg_conn *c, const ticket_state *st, tg_writer *out) {
  uint8_t plain_buf[TICKET_MAX_STATE], nonce[TICKET_NONCE_LEN];
  tg_writer plain;
  tg_writer_init(&plain, plain_buf, sizeof plain_buf, &c->err);
  tg_w_u16(&plain, st->cipher_suite);
  tg_w_u32(&plain, (uint32_t)((uint64_t)st->issued >> 32));
  tg_w_u32(&plain, (uint32_t)st->issued);
  tg_w_u32(&plain, st->ticket_lifetime);
  tg_w_u32(&plain, st->ticket_age_add);
  tg_w_vec(&plain, 1, st->psk);
  tg_w_vec(&plain, 1, st->alpn);
  tg_w_u32(&plain, st->max_early_data_size);
  tg_conn_random(c, nonce, sizeof nonce);
  size_t start = out->len;
  tg_w_u8(out, TICKET_FORMAT);
  tg_w_bytes(out, nonce, sizeof nonce);
  uint8_t *sealed = tg_w_reserve(out, plain.len + TG_AEAD_TAG_LEN);
  if (sealed == NULL || tg_writer_status(&plain) != TG_OK) {
    out->status = out->status ? out->status : TG_E_INTERNAL;
    return;
  }
  tg_aead_ctx aead;
  tg_aead_init(&aead, &tg_aes128_gcm, c->cfg->ticket_key.p);
  tg_bytes aad = tg_bytes_of(out->buf + start, 1 + TICKET_NONCE_LEN);
  aead.desc->seal(aead.state, nonce, aad, plain.buf, plain.len, sealed);
  explicit_bzero(plain_buf, sizeof plain_buf);
  explicit_bzero(&aead, sizeof aead);
}

/* TicketState, authenticated already: its structure is the server's own. */
static tg_status read_state(tg_reader *s, ticket_state *st) {
  tg_reader psk, alpn;
  uint32_t issued_hi, issued_lo;
  TG_TRY(tg_read_u16(s, &st->cipher_suite, "TicketState.cipher_suite"));
  TG_TRY(tg_read_u32(s, &issued_hi, "TicketState.issued"));
  TG_TRY(tg_read_u32(s, &issued_lo, "TicketState.issued"));
  TG_TRY(tg_read_u32(s, &st->ticket_lifetime, "TicketState.ticket_lifetime"));
  TG_TRY(tg_read_u32(s, &st->ticket_age_add, "TicketState.ticket_age_add"));
  TG_TRY(tg_read_vec(s, 1, 1, 255, &psk, "TicketState.psk"));
  TG_TRY(tg_read_vec(s, 1, 0, 255, &alpn, "TicketState.alpn"));
  TG_TRY(tg_read_u32(s, &st->max_early_data_size, "TicketState.max_early_data_size"));
  st->issued = (int64_t)(((uint64_t)issued_hi << 32) | issued_lo);
  st->psk = tg_reader_rest(&psk);
  st->alpn = tg_reader_rest(&alpn);
  return tg_read_done(s, "TicketState");
}

/* Opens a ticket of this server into buf (TICKET_MAX_STATE bytes; st then points into it).
 * false: not one of its tickets, or not under this key (another server's, or forged). */
static bool open_ticket(tg_conn *c, tg_bytes ticket, uint8_t *buf, ticket_state *st) {
  tg_reader r, s;
  tg_err scratch; /* an unusable ticket is no error: a full handshake follows */
  uint8_t format;
  tg_bytes nonce, sealed;
  tg_reader_init(&r, ticket.p, ticket.len, &scratch);
  if (c->cfg->ticket_key.len != 16 || tg_read_u8(&r, &format, "Ticket.format") != TG_OK ||
      format != TICKET_FORMAT ||
      tg_read_bytes(&r, TICKET_NONCE_LEN, &nonce, "Ticket.nonce") != TG_OK ||
      tg_left(&r) < TG_AEAD_TAG_LEN || tg_left(&r) > TICKET_MAX_STATE + TG_AEAD_TAG_LEN)
    return false;
  sealed = tg_reader_rest(&r);
  tg_aead_ctx aead;
  tg_aead_init(&aead, &tg_aes128_gcm, c->cfg->ticket_key.p);
  bool ok = aead.desc->open(aead.state, nonce.p, tg_bytes_of(ticket.p, 1 + TICKET_NONCE_LEN),
                            sealed.p, sealed.len, buf);
  explicit_bzero(&aead, sizeof aead);
  if (!ok)
    return false;
  tg_reader_init(&s, buf, sealed.len - TG_AEAD_TAG_LEN, &scratch);
  return read_state(&s, st) == TG_OK;
}

static tg_status send_ticket(tg_conn *c) {
  uint8_t nonce[2] = {(uint8_t)(c->tickets_sent >> 8), (uint8_t)c->tickets_sent}, age_add[4];
  uint8_t psk[TG_MAX_HASH_LEN];
  c->tickets_sent++;
  tg_conn_random(c, age_add, sizeof age_add);
  TG_TRY(resumption_psk(c, tg_bytes_of(nonce, 2), psk));
  ticket_state st = {
      .cipher_suite = c->ks.suite->id,
      .issued = now(c),
      .ticket_lifetime = c->cfg->ticket_lifetime ? c->cfg->ticket_lifetime : DEFAULT_LIFETIME,
      .ticket_age_add = (uint32_t)age_add[0] << 24 | (uint32_t)age_add[1] << 16 |
                        (uint32_t)age_add[2] << 8 | age_add[3],
      .psk = tg_bytes_of(psk, c->ks.hlen),
      .alpn = c->info.alpn,
      .max_early_data_size = c->cfg->ticket_store ? c->cfg->max_early_data_size : 0,
  };
  /* RFC 8446 §4.6.1: "Servers MUST NOT use any value greater than 604800 seconds". */
  if (st.ticket_lifetime > TG_TICKET_LIFETIME_MAX)
    st.ticket_lifetime = TG_TICKET_LIFETIME_MAX;
  /* The ticket, then the extensions block after it, in the one scratch writer. */
  tg_writer *scratch = tg_ext_scratch(c);
  seal_ticket(c, &st, scratch);
  explicit_bzero(psk, sizeof psk);
  size_t ticket_len = scratch->len;
  /* RFC 8446 §4.6.1: early_data(max_early_data_size) says the ticket allows 0-RTT. */
  if (st.max_early_data_size > 0)
    tg_early_data_emit_nst(scratch, &(tg_early_data_nst){st.max_early_data_size});
  TG_TRY(tg_writer_status(scratch));
  tg_handshake m = {.msg_type = TG_HS_new_session_ticket};
  tg_new_session_ticket *nst = &m.u.new_session_ticket;
  nst->ticket_lifetime = st.ticket_lifetime;
  nst->ticket_age_add = st.ticket_age_add;
  nst->ticket_nonce = tg_bytes_of(nonce, 2);
  nst->ticket = tg_bytes_of(scratch->buf, ticket_len);
  nst->extensions = tg_bytes_of(scratch->buf + ticket_len, scratch->len - ticket_len);
  if (st.max_early_data_size > 0 && c->cfg->ticket_store->issued != NULL)
    c->cfg->ticket_store->issued(c->cfg->ticket_store->ctx, nst->ticket);
  return tg_send_message(c, &m);
}

tg_status tg_server_send_tickets(tg_conn *c) {
  if (c->cfg->ticket_key.len == 0 || c->cfg->num_tickets < 0)
    return TG_OK;
  int n = c->cfg->num_tickets ? c->cfg->num_tickets : 1;
  for (int i = 0; i < n; i++)
    TG_TRY(send_ticket(c));
  return tg_flush_flight(c);
}

/* ---- Server: choosing a PSK ---------------------------------------------------------------- */

/* The identity as a PSK this server can use with the chosen suite now: its own live ticket, or
 * the configured resume ticket. buf holds what st points into. */
static bool usable(tg_conn *c, const tg_psk_identity *id, uint8_t *buf, ticket_state *st) {
  const tg_ticket *r = c->cfg->resume;
  if (r != NULL && r->ticket_len > 0 && r->psk_len > 0 &&
      tg_bytes_eq(id->identity, tg_bytes_of(r->ticket, r->ticket_len))) {
    *st = (ticket_state){r->cipher_suite,
                         r->received,
                         r->ticket_lifetime,
                         r->ticket_age_add,
                         tg_bytes_of(r->psk, r->psk_len),
                         {NULL, 0},
                         r->max_early_data_size};
  } else if (!open_ticket(c, id->identity, buf, st)) {
    return false; /* RFC 8446 §4.2.11: not a PSK it knows: ignored */
  }
  const tg_cipher_suite *s = tg_find_suite(c, st->cipher_suite);
  int64_t age = now(c) - st->issued;
  /* RFC 8446 §4.2.11: the PSK's hash must be the chosen suite's; RFC 8446 §4.6.1: a ticket is
   * not used after ticket_lifetime seconds. */
  return s != NULL && s->hash == c->ks.suite->hash && st->psk.len == c->ks.hlen && age >= 0 &&
         age <= (int64_t)st->ticket_lifetime;
}

/* RFC 8446 §4.2.11.2: the binder of the chosen identity must verify; decrypt_error otherwise. */
static tg_status check_binder(tg_conn *c, const tg_pre_shared_key_ch *offer, tg_bytes binder) {
  uint8_t hash[TG_MAX_HASH_LEN], expected[TG_MAX_HASH_LEN];
  tg_reader r;
  tg_bytes prefix;
  /* pre_shared_key is the last extension (the ClientHello decoder checks it), so the binders
   * are the message's last binders_wire_len bytes. */
  tg_reader_init(&r, c->cur_msg.p, c->cur_msg.len, &c->err);
  TG_TRY(tg_read_bytes(&r, c->cur_msg.len - offer->binders_wire_len, &prefix, "ClientHello"));
  hash_with(&c->th_prev[hash_index(c->psk_hash)], prefix, hash);
  TG_TRY(psk_binder(c, c->psk_hash, hash, expected));
  if (TG_FUZZER_MODE(c)) /* engine/fuzzmode.h: a fuzzed binder gets through */
    return TG_OK;
  TG_PEER_CHECK(c, &c->err, binder.len == c->ks.hlen && tg_ct_eq(binder.p, expected, c->ks.hlen),
                decrypt_error, TG_E_BAD_VALUE,
                "ClientHello.pre_shared_key binder does not verify (RFC 8446 4.2.11.2)");
  return TG_OK;
}

static tg_status wants_dhe(tg_conn *c, const tg_client_hello *ch, bool *dhe) {
  tg_bytes body;
  tg_psk_key_exchange_modes modes;
  /* RFC 8446 §4.2.9: "If clients offer "pre_shared_key" without a "psk_key_exchange_modes"
   * extension, servers MUST abort the handshake"; §9.2 names the alert missing_extension. */
  /* Permissive (permissive.h): without the extension, no PSK is used (a full handshake). */
  *dhe = false;
  TG_PEER_CHECK_OR(c, &c->err, tg_ext_find(ch->extensions, TG_EXT_psk_key_exchange_modes, &body),
                   return TG_OK, missing_extension, TG_E_BAD_VALUE,
                   "ClientHello has pre_shared_key without psk_key_exchange_modes (RFC 8446 "
                   "4.2.9)");
  TG_TRY(tg_psk_key_exchange_modes_parse(body, &modes, &c->err));
  *dhe = tg_psk_key_exchange_modes_has(&modes, TG_PSK_DHE_KE); /* psk_ke is not offered here */
  return TG_OK;
}

/* RFC 8446 §4.2.10: 0-RTT on the first PSK is accepted when the ticket allows it, "the
 * selected cipher suite" and "the selected ALPN protocol, if any" are the ticket's, and the
 * ticket is used for 0-RTT the first time (§8.1: the store forgets it now). The caller checked
 * that the identity is the first and that the first ClientHello offers early_data (never the
 * one after a HelloRetryRequest). The version is TLS 1.3 alike. */
static bool early_allowed(tg_conn *c, const tg_psk_identity *id, const ticket_state *st) {
  const tg_ticket_store *store = c->cfg->ticket_store;
  if (c->cfg->max_early_data_size == 0 || st->max_early_data_size == 0 || store == NULL ||
      store->redeem == NULL || st->cipher_suite != c->ks.suite->id ||
      !tg_bytes_eq(st->alpn, c->info.alpn))
    return false;
  if (!store->redeem(store->ctx, id->identity))
    return false;
  c->early_left = st->max_early_data_size;
  return true;
}

tg_status tg_server_psk_choose(tg_conn *c, const tg_client_hello *ch, uint16_t *selected) {
  tg_bytes body, binder;
  tg_pre_shared_key_ch offer;
  tg_psk_iter it;
  tg_psk_identity id;
  bool dhe;
  uint8_t buf[TICKET_MAX_STATE];
  c->info.resumed = false;
  c->psk_hash = NULL;
  if (!tg_ext_find(ch->extensions, TG_EXT_pre_shared_key, &body))
    return TG_OK;
  TG_TRY(wants_dhe(c, ch, &dhe));
  TG_TRY(tg_pre_shared_key_parse_ch(body, &offer, &c->err));
  if (!dhe)
    return TG_OK;
  tg_psk_iter_init(&it, &offer);
  for (uint16_t i = 0; tg_psk_next(&it, &id, &binder); i++) {
    ticket_state st;
    if (!usable(c, &id, buf, &st))
      continue;
    memcpy(c->psk, st.psk.p, st.psk.len);
    explicit_bzero(buf, sizeof buf);
    c->psk_hash = c->ks.suite->hash;
    TG_TRY(check_binder(c, &offer, binder));
    c->info.resumed = true;
    *selected = i;
    if (c->info.early_data == TG_EARLY_DATA_REJECTED && !c->info.hello_retry && i == 0 &&
        early_allowed(c, &id, &st))
      c->info.early_data = TG_EARLY_DATA_ACCEPTED;
    return TG_OK;
  }
  return TG_OK; /* no PSK it can use: a full handshake */
}

/* ---- Client -------------------------------------------------------------------------------- */

/* The resume ticket's suite, if a suite with its hash is offered (and, after a
 * HelloRetryRequest, it is the chosen suite's: RFC 8446 §4.1.4 asks the second ClientHello to
 * drop PSKs of another hash). */
static const tg_cipher_suite *resume_suite(const tg_conn *c, const tg_ticket *t) {
  const tg_cipher_suite *s = tg_find_suite(c, t->cipher_suite);
  if (s == NULL || t->psk_len != s->hash->digest_len || t->ticket_len == 0 ||
      t->ticket_len > TG_TICKET_MAX_LEN)
    return NULL;
  if (c->ks.suite != NULL)
    return c->ks.suite->hash == s->hash ? s : NULL;
  tg_bytes offered = tg_cfg_list(c->cfg->cipher_suites, tg_default_cipher_suites);
  for (size_t i = 0; i < tg_u16s_count(offered); i++) {
    const tg_cipher_suite *o = tg_find_suite(c, tg_u16s_get(offered, i));
    if (o != NULL && o->max_version >= TG_VERSION_TLS13 && o->hash == s->hash)
      return s;
  }
  return NULL;
}

tg_status tg_client_psk_offer(tg_conn *c, tg_writer *ext) {
  const tg_ticket *t = c->cfg->resume;
  static const uint8_t zeros[TG_MAX_HASH_LEN];
  uint8_t ids_buf[2 + TG_TICKET_MAX_LEN + 4], binders_buf[1 + TG_MAX_HASH_LEN];
  c->psk_hash = NULL;
  c->early_suite = NULL;
  const tg_cipher_suite *s = t ? resume_suite(c, t) : NULL;
  if (s == NULL)
    return TG_OK;
  int64_t age = now(c) - t->received;
  /* RFC 8446 §4.2.11: "Clients MUST NOT attempt to use tickets which have ages greater than
   * the "ticket_lifetime" value which was provided with the ticket." */
  if (age > (int64_t)t->ticket_lifetime)
    return TG_OK;
  /* The obfuscated_ticket_age: the age in milliseconds plus ticket_age_add, modulo 2^32. */
  uint32_t age_ms = age > 0 ? (uint32_t)((uint64_t)age * 1000u) : 0;
  memcpy(c->psk, t->psk, t->psk_len);
  c->psk_hash = s->hash;
  /* RFC 8446 §4.2.10: 0-RTT with a ticket that allows it, never in the ClientHello after a
   * HelloRetryRequest; §4.6.1: "Clients MUST NOT send more than max_early_data_size", so data
   * longer than that is not offered at all. early_data precedes pre_shared_key, the last. */
  size_t want = c->cfg->early_data.len;
  if (want > 0 && !c->info.hello_retry && t->max_early_data_size >= want) {
    c->early_suite = s;
    tg_early_data_emit_empty(ext);
  }
  tg_writer ids, binders;
  tg_writer_init(&ids, ids_buf, sizeof ids_buf, &c->err);
  tg_writer_init(&binders, binders_buf, sizeof binders_buf, &c->err);
  tg_pre_shared_key_w_identity(
      &ids, &(tg_psk_identity){tg_bytes_of(t->ticket, t->ticket_len), age_ms + t->ticket_age_add});
  tg_pre_shared_key_w_binder(&binders, tg_bytes_of(zeros, t->psk_len)); /* filled in later */
  TG_TRY(tg_writer_status(&ids));
  TG_TRY(tg_writer_status(&binders));
  tg_pre_shared_key_ch offer = {tg_writer_bytes(&ids), tg_writer_bytes(&binders), 1, 0};
  tg_pre_shared_key_emit_ch(ext, &offer);
  return tg_writer_status(ext);
}

/* The last extension of an encoded ClientHello, if it is a one-binder pre_shared_key whose
 * binder has the PSK's length: the binders' wire length. 0 otherwise. */
static size_t binders_at_end(tg_conn *c, tg_bytes msg) {
  tg_reader r;
  tg_handshake m;
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
  tg_err scratch; /* a message a hook broke is sent as it is: not this side's error */
  tg_ext_iter it;
  uint16_t type, last = 0;
  tg_bytes data, body = {NULL, 0}, binder;
  tg_pre_shared_key_ch offer;
  tg_psk_iter pit;
  tg_psk_identity id;
  tg_reader_init(&r, msg.p, msg.len, &scratch);
  if (tg_handshake_decode(&r, &ctx, &m) != TG_OK || m.msg_type != TG_HS_client_hello)
    return 0;
  tg_ext_iter_init(&it, m.u.client_hello.extensions);
  while (tg_ext_next(&it, &type, &data)) {
    last = type;
    body = data;
  }
  if (last != TG_EXT_pre_shared_key || tg_pre_shared_key_parse_ch(body, &offer, &scratch) != TG_OK)
    return 0;
  tg_psk_iter_init(&pit, &offer);
  if (offer.count != 1 || !tg_psk_next(&pit, &id, &binder) || binder.len != c->psk_hash->digest_len)
    return 0;
  return offer.binders_wire_len;
}

tg_status tg_psk_fill_binder(tg_conn *c, tg_writer *msg) {
  uint8_t hash[TG_MAX_HASH_LEN], binder[TG_MAX_HASH_LEN];
  if (c->is_server || c->psk_hash == NULL)
    return TG_OK;
  size_t wire = binders_at_end(c, tg_writer_bytes(msg));
  if (wire == 0)
    return TG_OK;
  size_t hlen = c->psk_hash->digest_len;
  /* Transcript-Hash(Truncate(ClientHello)): after a HelloRetryRequest the transcript so far is
   * message_hash(ClientHello1) || HelloRetryRequest (RFC 8446 §4.2.11.2, §4.4.1). */
  hash_with(&c->th[hash_index(c->psk_hash)], tg_bytes_of(msg->buf, msg->len - wire), hash);
  TG_TRY(psk_binder(c, c->psk_hash, hash, binder));
  memcpy(msg->buf + msg->len - hlen, binder, hlen);
  return TG_OK;
}

tg_status tg_client_psk_accepted(tg_conn *c, const tg_server_hello *sh) {
  tg_bytes body;
  tg_pre_shared_key_sh sel;
  c->info.resumed = false;
  if (!tg_ext_find(sh->extensions, TG_EXT_pre_shared_key, &body))
    return TG_OK;
  TG_TRY(tg_pre_shared_key_parse_sh(body, &sel, &c->err));
  /* RFC 8446 §4.2.11: "Clients MUST verify that the server's selected_identity is within the
   * range supplied by the client, that the server selected a cipher suite indicating a Hash
   * associated with the PSK, ... If these values are not consistent, the client MUST abort the
   * handshake with an "illegal_parameter" alert." One identity is offered: index 0. */
  TG_ENSURE(&c->err, c->psk_hash != NULL && sel.selected_identity == 0, illegal_parameter,
            TG_E_BAD_VALUE, "ServerHello.pre_shared_key selects identity %u, which was not offered",
            sel.selected_identity);
  TG_ENSURE(&c->err, c->ks.suite->hash == c->psk_hash, illegal_parameter, TG_E_BAD_VALUE,
            "ServerHello.cipher_suite 0x%04x has another hash than the selected PSK",
            c->ks.suite->id);
  c->info.resumed = true;
  return TG_OK;
}

tg_status tg_client_on_new_session_ticket(tg_conn *c, const tg_handshake *m) {
  const tg_new_session_ticket *nst = &m->u.new_session_ticket;
  tg_bytes body;
  tg_early_data_nst ed = {0};
  if (tg_ext_find(nst->extensions, TG_EXT_early_data, &body))
    TG_TRY(tg_early_data_parse_nst(body, &ed, &c->err));
  /* RFC 8446 §4.6.1: a ticket_lifetime of zero "indicates that the ticket should be discarded
   * immediately"; the rest is kept while there is room. */
  if (nst->ticket_lifetime == 0 || nst->ticket.len > TG_TICKET_MAX_LEN ||
      c->n_tickets >= TG_MAX_TICKETS)
    return TG_OK;
  tg_ticket *t = &c->tickets[c->n_tickets];
  memset(t, 0, sizeof *t);
  TG_TRY(resumption_psk(c, nst->ticket_nonce, t->psk));
  t->psk_len = c->ks.hlen;
  t->cipher_suite = c->ks.suite->id;
  memcpy(t->ticket, nst->ticket.p, nst->ticket.len);
  t->ticket_len = nst->ticket.len;
  t->ticket_lifetime = nst->ticket_lifetime;
  t->ticket_age_add = nst->ticket_age_add;
  t->max_early_data_size = ed.max_early_data_size;
  t->received = now(c);
  c->n_tickets++;
  return TG_OK;
}

size_t tg_conn_ticket_count(const tg_conn *c) { return c->n_tickets; }

bool tg_conn_ticket(const tg_conn *c, size_t i, tg_ticket *out) {
  if (i >= c->n_tickets)
    return false;
  *out = c->tickets[i];
  return true;
}
