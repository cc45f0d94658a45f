/* Outgoing handshake messages and flights, key shares, KeyUpdate, and the configuration
 * defaults.
 *
 * Every handshake message the engine sends passes through tg_send_message: hooks->message may
 * edit (or skip) the structured message, hooks->message_bytes the encoded bytes; what is left is
 * what enters the transcript and the flight. A flight is written by tg_flush_flight as coalesced
 * handshake records through the record choke point (conn.c), before each key change.
 */
#include <string.h>

#include "engine/internal.h"
#include "tg/names.h"

/* ---- Defaults ------------------------------------------------------------------------------ */

/* TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256 */
static const uint8_t default_suites[] = {0x13, 0x01, 0x13, 0x02, 0x13, 0x03};
/* x25519, secp256r1, secp384r1: the groups this engine implements */
static const uint8_t default_groups[] = {0x00, 0x1d, 0x00, 0x17, 0x00, 0x18};
/* The TLS 1.3 schemes this engine implements (RFC 8446 §4.2.3), strongest-common first. */
static const uint8_t default_schemes[] = {
    0x04, 0x03, 0x05, 0x03, 0x08, 0x07, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06,
    0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01,
};

tg_bytes tg_default_cipher_suites(void) {
  return tg_bytes_of(default_suites, sizeof default_suites);
}
tg_bytes tg_default_groups(void) { return tg_bytes_of(default_groups, sizeof default_groups); }
tg_bytes tg_default_sig_schemes(void) {
  return tg_bytes_of(default_schemes, sizeof default_schemes);
}

/* ---- Messages and flights ------------------------------------------------------------------ */

tg_writer *tg_ext_scratch(tg_conn *c) {
  c->ext.len = 0;
  c->ext.status = TG_OK;
  return &c->ext;
}

static tg_hs_ctx hs_ctx(const tg_conn *c) {
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13, .hash_len = (uint8_t)c->ks.hlen};
  if (tg_is12(c)) { /* the TLS 1.2 forms (RFC 5246 §7.4) */
    ctx.version = TG_VERSION_TLS12;
    ctx.kx = c->ks.suite && c->ks.suite->kx == TG_SUITE_KX_RSA ? TG_KX_RSA : TG_KX_ECDHE;
  }
  return ctx;
}

tg_status tg_send_message(tg_conn *c, tg_handshake *m) {
  const tg_hooks *h = c->cfg->hooks;
  if (h != NULL && h->message != NULL && h->message(h->ctx, c, m) == TG_HOOK_SKIP)
    return TG_OK; /* the engine proceeds as if it had sent it: the transcript will differ */
  tg_hs_ctx ctx = hs_ctx(c);
  c->msg.len = 0;
  c->msg.status = TG_OK;
  tg_handshake_encode(&c->msg, &ctx, m);
  TG_TRY(tg_writer_status(&c->msg));
  /* The PSK binder covers the ClientHello as encoded (after hooks->message), and byte hooks
   * come after it so that a scenario can corrupt it. */
  if (m->msg_type == TG_HS_client_hello)
    TG_TRY(tg_psk_fill_binder(c, &c->msg));
  if (h != NULL && h->message_bytes != NULL)
    h->message_bytes(h->ctx, c, m->msg_type, &c->msg);
  TG_TRY(tg_writer_status(&c->msg));
  tg_transcript_add(c, tg_writer_bytes(&c->msg));
  tg_w_view(&c->flight, tg_writer_bytes(&c->msg));
  if (c->n_flight < TG_MAX_FLIGHT)
    c->flight_ends[c->n_flight++] = c->flight.len;
  else
    c->flight_ends[TG_MAX_FLIGHT - 1] = c->flight.len; /* the last entry takes the rest */
  return tg_writer_status(&c->flight);
}

/* hooks->flight: the queued messages as views, which the hook may reorder, duplicate, drop or
 * add to (its own bytes); what it leaves is written, in c->msg. The transcript keeps the
 * messages as queued: a reordered flight is a deviation the peer should notice. */
static tg_bytes flight_hook(tg_conn *c, const tg_hooks *h) {
  tg_bytes msgs[2 * TG_MAX_FLIGHT];
  size_t n = c->n_flight, start = 0;
  for (size_t i = 0; i < n; i++) {
    msgs[i] = tg_bytes_of(c->flight.buf + start, c->flight_ends[i] - start);
    start = c->flight_ends[i];
  }
  h->flight(h->ctx, c, msgs, &n, 2 * TG_MAX_FLIGHT);
  c->msg.len = 0;
  c->msg.status = TG_OK;
  for (size_t i = 0; i < n && i < 2 * TG_MAX_FLIGHT; i++)
    tg_w_view(&c->msg, msgs[i]);
  return tg_writer_bytes(&c->msg);
}

tg_status tg_flush_flight(tg_conn *c) {
  const tg_hooks *h = c->cfg->hooks;
  tg_bytes flight = tg_writer_bytes(&c->flight);
  if (h != NULL && h->flight != NULL && c->n_flight > 0) {
    flight = flight_hook(c, h);
    TG_TRY(tg_writer_status(&c->msg));
  }
  /* Coalesced into as few records as max_fragment allows (RFC 8448's flights are one record). */
  tg_status st = flight.len ? tg_conn_send_content(c, TG_CT_handshake, flight) : TG_OK;
  c->flight.len = 0;
  c->flight.status = TG_OK;
  c->n_flight = 0;
  return st;
}

/* ---- Key shares ---------------------------------------------------------------------------- */

tg_status tg_keygen(tg_conn *c, const tg_group_desc *g, tg_kex_private *kex, uint8_t *share) {
  /* The private key is drawn from the RNG as private_len bytes (RFC 7748 bytes for x25519, a
   * big-endian scalar for the NIST curves), so a scripted RNG can inject a test vector's key.
   * A NIST scalar outside [1, n-1] is drawn again (probability about 2^-32 for P-256). */
  uint8_t given[TG_KEX_MAX_PRIVATE];
  tg_status st = TG_E_INTERNAL;
  for (int tries = 0; tries < 8 && st != TG_OK; tries++) {
    tg_conn_random(c, given, g->private_len);
    tg_err_clear(&c->err);
    st = g->keygen(g, &c->cfg->rng, given, kex, share, &c->err);
  }
  explicit_bzero(given, sizeof given);
  return st;
}

/* ---- KeyUpdate (RFC 8446 §4.6.3) ----------------------------------------------------------- */

static tg_status send_key_update(tg_conn *c, uint8_t request_update) {
  tg_handshake m = {.msg_type = TG_HS_key_update};
  m.u.key_update.request_update = request_update;
  TG_TRY(tg_send_message(c, &m));
  TG_TRY(tg_flush_flight(c));
  /* "...the sender MUST send it using the old keys", then update its sending keys. */
  return tg_prot13_key_update(&c->wr, &c->err);
}

tg_status tg_conn_key_update(tg_conn *c, bool request_peer) {
  tg_err_clear(&c->err);
  TG_ENSURE(&c->err, c->info.phase == TG_PHASE_ESTABLISHED, internal_error, TG_E_USAGE,
            "tg_conn_key_update: the connection is not established");
  TG_ENSURE(&c->err, !tg_is12(c), internal_error, TG_E_USAGE,
            "tg_conn_key_update: TLS 1.2 has no KeyUpdate");
  return tg_conn_fail(c, send_key_update(c, request_peer ? TG_KEY_UPDATE_update_requested
                                                         : TG_KEY_UPDATE_update_not_requested));
}

tg_status tg_update_if_needed(tg_conn *c) {
  /* RFC 8446 §5.5: "...implementations MUST NOT attempt to encrypt more than 2^24.5 full-size
   * records" with AES-GCM; a KeyUpdate (§4.6.3) starts a fresh key. */
  if (c->state != TG_ST_CONNECTED || tg_is12(c) || !tg_prot13_key_update_needed(&c->wr))
    return TG_OK;
  return send_key_update(c, TG_KEY_UPDATE_update_not_requested);
}

tg_status tg_on_key_update(tg_conn *c, const tg_handshake *m) {
  /* RFC 8446 §5.1: KeyUpdate is a key change and must end its record. */
  TG_TRY(TG_TOLERATE(c, tg_hs_reasm_key_change(&c->reasm, &c->err)));
  TG_TRY(tg_prot13_key_update(&c->rd, &c->err));
  /* "If the request_update field is set to "update_requested", then the receiver MUST send a
   * KeyUpdate of its own with request_update set to "update_not_requested"". Not after our own
   * close_notify: nothing more may be sent then. */
  if (m->u.key_update.request_update == TG_KEY_UPDATE_update_requested && !c->close_sent)
    return send_key_update(c, TG_KEY_UPDATE_update_not_requested);
  return TG_OK;
}

/* ---- record_size_limit (RFC 8449) ---------------------------------------------------------- */

uint16_t tg_own_record_size_limit(const tg_conn *c) {
  uint16_t v = c->cfg->record_size_limit; /* 64..2^14+1, checked by tg_conn_new */
  return v == 0 ? TG_MAX_INNER_PLAINTEXT : v;
}

uint16_t tg_read_size_limit(const tg_conn *c) {
  /* The limit holds once the peer knows it: a server that answered the client's extension
   * with its own, a client whose server answered (RFC 8449 §4). TLS 1.2 caps it at 2^14
   * (tg_record_open). */
  bool agreed = c->is_server ? c->own_rsl_sent : c->peer_record_size_limit != 0;
  return agreed ? tg_own_record_size_limit(c) : 0;
}

size_t tg_send_fragment_max(const tg_conn *c) {
  size_t max = c->cfg->max_fragment ? c->cfg->max_fragment : TG_MAX_PLAINTEXT;
  size_t limit = c->peer_record_size_limit;
  /* RFC 8449 §4: "Unprotected messages are not subject to this limit." */
  if (!c->wr_on || limit == 0)
    return max;
  /* RFC 8449 §4: in TLS 1.3 the limit is on TLSInnerPlaintext, "the content type and any
   * padding added to the record" included. A record_padding that leaves no room cannot keep
   * it: the content then goes one byte a record. */
  if (!tg_is12(c)) {
    size_t overhead = 1 + c->cfg->record_padding;
    limit = limit > overhead ? limit - overhead : 1;
  }
  return limit < max ? limit : max;
}
