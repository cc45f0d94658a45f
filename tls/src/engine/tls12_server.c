/* The server's side of the TLS 1.2 handshake (RFC 5246 §7.3): a ClientHello that negotiates TLS
 * 1.2 (server.c decides the version) is answered with the whole server flight, or, resuming a
 * session (RFC 5077 ticket or session_id through tg_config.session_cache), with ServerHello,
 * change_cipher_spec and Finished. Then the client's flight, and renegotiation refused.
 *
 * Negotiation: the server's order picks the suite (one its certificate's key fits) and the
 * group; the client's order the signature scheme.
 *
 * Randomness, in the order the server draws it:
 *   1. ServerHello.random, 32 bytes (its last 8 the RFC 8446 §4.1.3 sentinel when TLS 1.3 is
 *      enabled too);
 *   2. a session_id, 32 bytes, when a session_cache is configured (full handshakes only);
 *   3. ECDHE: the ephemeral private key (tg_keygen), then the ServerKeyExchange signature's;
 *   4. RSA key transport: the 48-byte fallback premaster, then nettle's blinding;
 *   5. after the client Finished: a ticket's 12-byte nonce, when one was promised.
 */
#include <string.h>

#include "engine/fuzzmode.h"
#include "engine/internal.h"
#include "tg/ext/alpn.h"
#include "tg/ext/ec_point_formats.h"
#include "tg/ext/encrypt_then_mac.h"
#include "tg/ext/extended_master_secret.h"
#include "tg/ext/renegotiation_info.h"
#include "tg/ext/server_name.h"
#include "tg/ext/session_ticket.h"
#include "tg/ext/signature_algorithms.h"
#include "tg/ext/supported_groups.h"

#define SCSV_RENEGOTIATION 0x00ff /* TLS_EMPTY_RENEGOTIATION_INFO_SCSV, RFC 5746 §3.3 */

/* The DOWNGRD sentinel of RFC 8446 §4.1.3 for TLS 1.2. */
static const uint8_t downgrade12[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};

const tg_sig_scheme_desc *tg12_pick_sig_scheme(const tg_conn *c, tg_bytes offered) {
  if (c->cfg->chain == NULL || c->cfg->chain->key == NULL || c->cfg->chain->len == 0)
    return NULL;
  tg_bytes mine = tg_cfg_list(c->cfg->sig_schemes, tg_default_sig_schemes);
  tg_key_type key = tg_private_key_type(c->cfg->chain->key);
  for (size_t i = 0; i < tg_u16s_count(offered); i++) {
    const tg_sig_scheme_desc *s = tg_sig_scheme_find(tg_u16s_get(offered, i));
    /* RFC 5246 §7.4.1.4.1: rsa_pkcs1_* signs in TLS 1.2 too; the scheme fixes the key type. */
    if (s != NULL && s->key_type == key && tg_u16s_contains(mine, s->scheme))
      return s;
  }
  return NULL;
}

/* ---- Negotiation --------------------------------------------------------------------------- */

static bool key_fits(const tg_conn *c, const tg_cipher_suite *s) {
  tg_key_type k = tg_private_key_type(c->cfg->chain->key);
  if (s->auth == TG_SUITE_AUTH_ECDSA)
    return k == TG_KEY_EC_P256 || k == TG_KEY_EC_P384;
  if (s->kx == TG_SUITE_KX_RSA)
    return k == TG_KEY_RSA; /* key transport needs rsaEncryption */
  return k == TG_KEY_RSA || k == TG_KEY_RSA_PSS;
}

static tg_status choose_suite12(tg_conn *c, const tg_client_hello *ch) {
  tg_bytes mine = tg_offered_suites(c->cfg);
  for (size_t i = 0; i < tg_u16s_count(mine); i++) {
    const tg_cipher_suite *s = tg_suite12(c, tg_u16s_get(mine, i));
    if (s != NULL && key_fits(c, s) && tg_u16s_contains(ch->cipher_suites, s->id)) {
      tg_ks_set_suite(c, s);
      return TG_OK;
    }
  }
  /* RFC 5246 §7.4.1.3: no acceptable suite → handshake_failure. CBC, RC4, export suites are not
   * implemented, so offering only those ends here; beside good ones they are ignored. */
  return TG_FAIL(&c->err, handshake_failure, TG_E_BAD_VALUE,
                 "ClientHello.cipher_suites has no TLS 1.2 suite in common for a %s key",
                 tg_key_type_name(tg_private_key_type(c->cfg->chain->key)));
}

static tg_status choose_group12(tg_conn *c, const tg_client_hello *ch) {
  static const uint8_t p256[] = {0x00, 0x17};
  tg_bytes body, offered = tg_bytes_of(p256, 2);
  tg_supported_groups sg;
  /* RFC 8422 §4: without supported_groups the client supports any curve; secp256r1 it is. */
  if (tg_ext_find(ch->extensions, TG_EXT_supported_groups, &body)) {
    TG_TRY(tg_supported_groups_parse(body, &sg, &c->err));
    offered = sg.named_group_list;
  }
  tg_bytes mine = tg_cfg_list(c->cfg->groups, tg_default_groups);
  for (size_t i = 0; i < tg_u16s_count(mine); i++) {
    const tg_group_desc *g = tg_group_find(tg_u16s_get(mine, i));
    /* The ffdhe groups are for DHE suites (RFC 7919), never an ECDHE curve. */
    if (g != NULL && !g->finite_field && tg_u16s_contains(offered, g->group)) {
      c->info.group = g->group;
      return TG_OK;
    }
  }
  return TG_FAIL(&c->err, handshake_failure, TG_E_BAD_VALUE,
                 "ClientHello.supported_groups has no group in common (RFC 8422 5.1.1)");
}

static tg_status choose_sig12(tg_conn *c, const tg_client_hello *ch) {
  tg_bytes body;
  tg_signature_scheme_list sl = {{NULL, 0}};
  /* RFC 5246 §7.4.1.4.1: without the extension the client means {sha1,*}, which this engine does
   * not sign with: no scheme in common, handshake_failure. */
  if (tg_ext_find(ch->extensions, TG_EXT_signature_algorithms, &body))
    TG_TRY(tg_signature_algorithms_parse(body, &sl, &c->err));
  c->sig = tg12_pick_sig_scheme(c, sl.supported_signature_algorithms);
  TG_ENSURE(&c->err, c->sig != NULL, handshake_failure, TG_E_BAD_VALUE,
            "ClientHello.signature_algorithms has no scheme for the server's %s key",
            tg_key_type_name(tg_private_key_type(c->cfg->chain->key)));
  return TG_OK;
}

/* renegotiation_info / SCSV (RFC 5746), ec_point_formats (RFC 8422), compression, EMS. */
static tg_status check_hello12(tg_conn *c, const tg_client_hello *ch) {
  tg_bytes body;
  TG_PEER_CHECK(c, &c->err,
                memchr(ch->legacy_compression_methods.p, 0, ch->legacy_compression_methods.len),
                illegal_parameter, TG_E_BAD_VALUE,
                "ClientHello.compression_methods lacks null (RFC 5246 7.4.1.2)");
  c->info.secure_renegotiation = tg_u16s_contains(ch->cipher_suites, SCSV_RENEGOTIATION);
  TG_TRY(tg12_check_hello_exts(c, ch->extensions, "ClientHello"));
  c->info.ems = tg_ext_find(ch->extensions, TG_EXT_extended_master_secret, &body);
  if (c->info.ems)
    TG_TRY(tg_extended_master_secret_parse(body, &c->err));
  if (tg_ext_find(ch->extensions, TG_EXT_encrypt_then_mac, &body))
    TG_TRY(tg_encrypt_then_mac_parse(body, &c->err));
  return TG_OK;
}

/* ---- Resumption ---------------------------------------------------------------------------- */

/* The session the ClientHello offers back, if this server has it: its ticket (RFC 5077 §3.1),
 * else its session_id in the cache. */
static bool find_session(tg_conn *c, const tg_client_hello *ch, tg12_session *s, uint8_t *buf) {
  tg_bytes body;
  tg_session_ticket st;
  size_t len = 0;
  if (tg_ext_find(ch->extensions, TG_EXT_session_ticket, &body) &&
      tg_session_ticket_parse_ch(body, &st, NULL) == TG_OK && st.ticket.len > 0 &&
      tg12_ticket_open(c, st.ticket, buf, TG_SESSION_MAX_LEN, &len))
    return tg12_session_decode(tg_bytes_of(buf, len), s);
  const tg_session_cache *cache = c->cfg->session_cache;
  if (cache == NULL || cache->get == NULL || ch->legacy_session_id.len == 0)
    return false;
  len = cache->get(cache->ctx, ch->legacy_session_id, buf, TG_SESSION_MAX_LEN);
  return len > 0 && len <= TG_SESSION_MAX_LEN && tg12_session_decode(tg_bytes_of(buf, len), s);
}

/* Whether to resume s: its suite offered again, its lifetime not over, EMS as it was. */
static tg_status try_resume(tg_conn *c, const tg_client_hello *ch, bool *resume) {
  uint8_t buf[TG_SESSION_MAX_LEN];
  tg12_session s;
  *resume = false;
  if (!find_session(c, ch, &s, buf))
    return TG_OK;
  const tg_cipher_suite *suite = tg_suite12(c, s.cipher_suite);
  int64_t t = c->cfg->clock.now ? c->cfg->clock.now(c->cfg->clock.ctx) : 0;
  uint32_t lifetime = c->cfg->ticket_lifetime ? c->cfg->ticket_lifetime : 7200u;
  /* RFC 7627 §5.3: "If the original session used the "extended_master_secret" extension but the
   * new ClientHello does not contain it, the server MUST abort the abbreviated handshake"; the
   * other way round it does a full handshake. */
  /* Permissive (permissive.h): a full handshake instead. */
  TG_PEER_CHECK_OR(c, &c->err, !s.ems || c->info.ems, return TG_OK, handshake_failure,
                   TG_E_BAD_VALUE,
                   "ClientHello resumes an extended-master-secret session without the extension "
                   "(RFC 7627 5.3)");
  if (suite == NULL || !tg_u16s_contains(ch->cipher_suites, suite->id) || !key_fits(c, suite) ||
      (!s.ems && c->info.ems) || t < s.issued || t - s.issued > lifetime)
    return TG_OK;
  tg_ks_set_suite(c, suite);
  memcpy(c->master_secret, s.master_secret, TG_MASTER_SECRET_LEN);
  explicit_bzero(buf, sizeof buf);
  c->info.resumed = *resume = true;
  return TG_OK;
}

/* ---- The server's flight ------------------------------------------------------------------- */

static tg_status send_server_hello12(tg_conn *c, const tg_client_hello *ch) {
  static const uint8_t uncompressed[] = {0};
  tg_bytes body;
  tg_writer *ext = tg_ext_scratch(c);
  if (c->info.secure_renegotiation) /* RFC 5746 §3.6: empty on an initial handshake */
    tg_renegotiation_info_emit(ext, &(tg_renegotiation_info){{NULL, 0}});
  if (c->client_sni && !c->info.resumed)
    tg_server_name_emit_sh(ext); /* RFC 6066 §3 */
  if (c->ks.suite->kx == TG_SUITE_KX_ECDHE &&
      tg_ext_find(ch->extensions, TG_EXT_ec_point_formats, &body))
    tg_ec_point_formats_emit(ext, &(tg_ec_point_formats){tg_bytes_of(uncompressed, 1)});
  if (c->ticket_promised)
    tg_session_ticket_emit_sh(ext);
  if (c->info.alpn.len)
    tg_alpn_emit_sh(ext, &(tg_alpn_sh){c->info.alpn});
  if (c->info.ems)
    tg_extended_master_secret_emit(ext);
  /* RFC 7366 §3: echoed only with a CBC suite. A resumed session negotiates it afresh; the
   * engine refuses renegotiation, so it never changes on a connection (§3.1). */
  c->info.etm =
      c->ks.suite->cbc != NULL && tg_ext_find(ch->extensions, TG_EXT_encrypt_then_mac, &body);
  if (c->info.etm)
    tg_encrypt_then_mac_emit(ext);
  TG_TRY(tg_writer_status(ext));
  tg_handshake m = {.msg_type = TG_HS_server_hello};
  tg_server_hello *sh = &m.u.server_hello;
  sh->legacy_version = TG_VERSION_TLS12;
  memcpy(sh->random, c->server_random, 32);
  sh->legacy_session_id_echo = tg_bytes_of(c->session_id, c->session_id_len);
  sh->cipher_suite = c->ks.suite->id;
  sh->has_extensions = ext->len > 0;
  sh->extensions = tg_writer_bytes(ext);
  return tg_send_message(c, &m);
}

static tg_status send_certificate12(tg_conn *c) {
  const tg_cert_chain *chain = c->cfg->chain;
  tg_writer *list = tg_ext_scratch(c);
  for (size_t i = 0; i < chain->len; i++) {
    tg_certificate_entry e = {chain->certs[i], {NULL, 0}};
    tg_certificate_entry_emit(list, TG_VERSION_TLS12, &e);
  }
  TG_TRY(tg_writer_status(list));
  tg_handshake m = {.msg_type = TG_HS_certificate};
  m.u.certificate.certificate_list = tg_writer_bytes(list);
  return tg_send_message(c, &m);
}

/* RFC 8422 §5.4: the ephemeral public key on the chosen curve, signed over both randoms. */
static tg_status send_server_key_exchange(tg_conn *c) {
  const tg_group_desc *g = tg_group_find(c->info.group);
  uint8_t share[TG_KEX_MAX_SHARE];
  TG_TRY(tg_keygen(c, g, &c->kex[0], share));
  c->n_kex = 1;
  tg_handshake m = {.msg_type = TG_HS_server_key_exchange};
  tg_server_key_exchange *ske = &m.u.server_key_exchange;
  ske->curve_type = TG_EC_named_curve;
  ske->namedcurve = g->group;
  ske->public_ = tg_bytes_of(share, g->share_len);
  ske->algorithm = c->sig->scheme;
  uint8_t signed_buf[64 + 4 + TG_KEX_MAX_SHARE];
  tg_writer signed_params;
  tg_writer_init(&signed_params, signed_buf, sizeof signed_buf, &c->err);
  tg_w_bytes(&signed_params, c->client_random, 32);
  tg_w_bytes(&signed_params, c->server_random, 32);
  tg_server_ecdh_params_encode(&signed_params, ske);
  TG_TRY(tg_writer_status(&signed_params));
  tg_writer *sig = tg_ext_scratch(c);
  TG_TRY(tg_sig_sign(c->sig, c->cfg->chain->key, &c->cfg->rng, tg_writer_bytes(&signed_params), sig,
                     &c->err));
  ske->signature = tg_writer_bytes(sig);
  return tg_send_message(c, &m);
}

/* RFC 5246 §7.4.4: rsa_sign and ecdsa_sign, the configured schemes, no CA names. */
static tg_status send_certificate_request12(tg_conn *c) {
  static const uint8_t types[] = {TG_CCT_rsa_sign, TG_CCT_ecdsa_sign};
  tg_handshake m = {.msg_type = TG_HS_certificate_request};
  m.u.certificate_request.certificate_types = tg_bytes_of(types, sizeof types);
  m.u.certificate_request.supported_signature_algorithms =
      tg_cfg_list(c->cfg->sig_schemes, tg_default_sig_schemes);
  return tg_send_message(c, &m);
}

static tg_status full_handshake(tg_conn *c, const tg_client_hello *ch) {
  TG_TRY(choose_suite12(c, ch));
  /* RFC 7627 §5.3: a server that "receives a ClientHello without the extension ... MAY abort";
   * required by default (tg_config.ems_optional). */
  TG_PEER_CHECK(c, &c->err, c->info.ems || c->cfg->ems_optional, handshake_failure, TG_E_BAD_VALUE,
                "ClientHello lacks extended_master_secret (RFC 7627 5.3), which this server "
                "requires");
  bool ecdhe = c->ks.suite->kx == TG_SUITE_KX_ECDHE;
  if (ecdhe) {
    TG_TRY(choose_group12(c, ch));
    TG_TRY(choose_sig12(c, ch));
  }
  const tg_session_cache *cache = c->cfg->session_cache;
  c->session_id_len = cache != NULL && cache->put != NULL ? 32 : 0;
  tg_conn_random(c, c->session_id, c->session_id_len);
  TG_TRY(send_server_hello12(c, ch));
  TG_TRY(send_certificate12(c));
  if (ecdhe)
    TG_TRY(send_server_key_exchange(c));
  if (tg_asks_client_cert(c->cfg))
    TG_TRY(send_certificate_request12(c));
  tg_handshake done = {.msg_type = TG_HS_server_hello_done};
  TG_TRY(tg_send_message(c, &done));
  return tg_flush_flight(c);
}

tg_status tg12_server_on_client_hello(tg_conn *c, const tg_client_hello *ch) {
  tg_bytes body;
  bool resume;
  c->client_version = ch->legacy_version;
  memcpy(c->client_random, ch->random, 32);
  TG_TRY(check_hello12(c, ch));
  TG_TRY(tg_server_check_server_name(c, ch));
  TG_TRY(tg_server_choose_alpn(c, ch));
  c->ticket_promised = c->cfg->ticket_key.len == 16 && c->cfg->num_tickets >= 0 &&
                       tg_ext_find(ch->extensions, TG_EXT_session_ticket, &body);
  tg_conn_random(c, c->server_random, 32);
  /* RFC 8446 §4.1.3: a TLS 1.3 server negotiating TLS 1.2 says so in its random. */
  if (tg_allows13(c->cfg))
    memcpy(c->server_random + 24, downgrade12, 8);
  TG_TRY(try_resume(c, ch, &resume));
  if (!resume)
    return full_handshake(c, ch);
  /* RFC 5246 §7.3: the abbreviated handshake echoes the session_id (RFC 5077 §3.4: the one
   * sent beside a ticket) and finishes first. No new ticket is issued. */
  c->ticket_promised = false;
  c->session_id_len = ch->legacy_session_id.len;
  memcpy(c->session_id, ch->legacy_session_id.p, c->session_id_len);
  TG_TRY(send_server_hello12(c, ch));
  return tg12_send_ccs_finished(c);
}

/* ---- The client's flight ------------------------------------------------------------------- */

tg_status tg12_server_on_certificate(tg_conn *c, const tg_handshake *m) {
  /* auth.c decides, for both versions (an empty one included, RFC 5246 §7.4.6). */
  return tg_take_peer_certificate(c, m->u.certificate.certificate_list, TG_VERSION_TLS12);
}

tg_status tg12_server_on_client_key_exchange(tg_conn *c, const tg_handshake *m) {
  const tg_client_key_exchange *cke = &m->u.client_key_exchange;
  uint8_t pms[TG_KEX_MAX_SECRET > TG_RSA_PMS_LEN ? TG_KEX_MAX_SECRET : TG_RSA_PMS_LEN];
  size_t pms_len;
  if (c->ks.suite->kx == TG_SUITE_KX_RSA) {
    /* RFC 5246 §7.4.7.1: the random premaster is drawn before decrypting, and used on any
     * failure, so that nothing tells a bad padding or version from a good one. */
    uint8_t fallback[TG_RSA_PMS_LEN];
    tg_conn_random(c, fallback, sizeof fallback);
    TG_TRY(tg_rsa_kx_decrypt(c->cfg->chain->key, &c->cfg->rng, cke->encrypted_pre_master_secret,
                             c->client_version, fallback, pms, &c->err));
    explicit_bzero(fallback, sizeof fallback);
    pms_len = TG_RSA_PMS_LEN;
  } else {
    /* A bad point is illegal_parameter (RFC 8422 §5.11). */
    TG_TRY(tg_kex_derive(&c->kex[0], cke->ecdh_Yc, pms, &c->err));
    pms_len = c->kex[0].group->secret_len;
  }
  tg12_master_secret(c, tg_bytes_of(pms, pms_len)); /* the transcript includes this message */
  explicit_bzero(pms, sizeof pms);
  return TG_OK;
}

tg_status tg12_server_on_certificate_verify(tg_conn *c, const tg_handshake *m) {
  const tg_certificate_verify *cv = &m->u.certificate_verify;
  const tg_sig_scheme_desc *scheme = tg_sig_scheme_find(cv->algorithm);
  /* RFC 5246 §7.4.8: the algorithm must be one the CertificateRequest listed. */
  TG_ENSURE(&c->err, scheme != NULL || TG_PERMISSIVE(c), illegal_parameter, TG_E_BAD_VALUE,
            "CertificateVerify.algorithm 0x%04x was not offered in the CertificateRequest",
            cv->algorithm);
  /* permissive.h: an unknown scheme, or no key (the Certificate was let through), is left
   * unchecked. */
  if (TG_PERMISSIVE(c) && (scheme == NULL || c->peer_key == NULL))
    return TG_OK;
  TG_PEER_CHECK(
      c, &c->err,
      tg_u16s_contains(tg_cfg_list(c->cfg->sig_schemes, tg_default_sig_schemes), cv->algorithm),
      illegal_parameter, TG_E_BAD_VALUE,
      "CertificateVerify.algorithm 0x%04x was not offered in the CertificateRequest",
      cv->algorithm);
  /* RFC 5246 §7.4.8: over handshake_messages up to, not including, this one. */
  if (!TG_FUZZER_MODE(c)) /* engine/fuzzmode.h: a fuzzed signature gets through */
    TG_TRY(TG_TOLERATE(c, tg_sig_verify(scheme, c->peer_key, tg_bytes_of(c->t12.buf, c->t12_before),
                                        cv->signature, &c->err)));
  c->info.peer_sig_scheme = cv->algorithm;
  return TG_OK;
}

/* RFC 5077 §3.3: the ticket, before change_cipher_spec; stored in the cache as well. */
static tg_status issue_session(tg_conn *c) {
  uint8_t state_buf[TG_SESSION_MAX_LEN];
  tg_writer state;
  tg_writer_init(&state, state_buf, sizeof state_buf, &c->err);
  tg12_session_encode(c, &state);
  TG_TRY(tg_writer_status(&state));
  const tg_session_cache *cache = c->cfg->session_cache;
  if (cache != NULL && cache->put != NULL && c->session_id_len > 0)
    cache->put(cache->ctx, tg_bytes_of(c->session_id, c->session_id_len), tg_writer_bytes(&state));
  if (c->ticket_promised) {
    tg_writer *ticket = tg_ext_scratch(c);
    tg12_ticket_seal(c, tg_writer_bytes(&state), ticket);
    TG_TRY(tg_writer_status(ticket));
    tg_handshake m = {.msg_type = TG_HS_new_session_ticket};
    m.u.new_session_ticket.ticket_lifetime_hint =
        c->cfg->ticket_lifetime ? c->cfg->ticket_lifetime : 7200u;
    m.u.new_session_ticket.ticket = tg_writer_bytes(ticket);
    TG_TRY(tg_send_message(c, &m));
  }
  explicit_bzero(state_buf, sizeof state_buf);
  return TG_OK;
}

tg_status tg12_server_on_finished(tg_conn *c, const tg_handshake *m) {
  TG_TRY(tg12_check_finished(c, m));
  if (c->info.resumed)
    return TG_OK; /* RFC 5246 §7.3: the abbreviated handshake ends with the client's */
  TG_TRY(issue_session(c));
  return tg12_send_ccs_finished(c);
}

tg_status tg12_server_on_renegotiation(tg_conn *c, const tg_handshake *m) {
  (void)m;
  /* RFC 5746 §4.4 / RFC 5246 §7.2.2: a server that does not renegotiate answers a ClientHello on
   * an established connection with a warning no_renegotiation. */
  c->info.renegotiation_refused = true;
  return c->close_sent ? TG_OK : tg_send_warning(c, TG_ALERT_no_renegotiation);
}
