/* The client's side of the TLS 1.2 handshake (RFC 5246 §7.3): the ServerHello of a handshake that
 * negotiated TLS 1.2 (client.c decides the version), the server's flight, the client's flight
 * (Certificate, ClientKeyExchange, CertificateVerify, change_cipher_spec, Finished), and the
 * server's NewSessionTicket, change_cipher_spec and Finished. The state is the table's.
 *
 * Randomness, in the order the client draws it (after the ClientHello's, client.c):
 *   ECDHE: the ephemeral private key, at the ServerKeyExchange (tg_keygen);
 *   RSA key transport: the premaster's 46 random bytes, then the encryption padding;
 *   client certificate: the CertificateVerify signature's.
 */
#include <string.h>

#include "engine/fuzzmode.h"
#include "engine/internal.h"
#include "tg/der.h"
#include "tg/ext/encrypt_then_mac.h"
#include "tg/ext/extended_master_secret.h"
#include "tg/ext/session_ticket.h"

/* ---- ServerHello --------------------------------------------------------------------------- */

static tg_status sh_suite(tg_conn *c, const tg_server_hello *sh) {
  const tg_cipher_suite *suite = tg_suite12(c, sh->cipher_suite);
  /* RFC 5246 §7.4.1.3: the server's cipher_suite is one the client offered (otherwise
   * illegal_parameter, as RFC 8446 §4.1.3 says for the same check). */
  TG_ENSURE(&c->err, suite != NULL, illegal_parameter, TG_E_BAD_VALUE,
            "ServerHello.cipher_suite 0x%04x was not offered for TLS 1.2", sh->cipher_suite);
  /* Permissive (permissive.h): any TLS 1.2 suite this engine implements will do. */
  TG_PEER_CHECK(c, &c->err, tg_u16s_contains(tg_offered_suites(c->cfg), suite->id),
                illegal_parameter, TG_E_BAD_VALUE,
                "ServerHello.cipher_suite 0x%04x was not offered for TLS 1.2", sh->cipher_suite);
  TG_PEER_CHECK(c, &c->err, sh->legacy_compression_method == 0, illegal_parameter, TG_E_BAD_VALUE,
                "ServerHello.compression_method %u was not offered", sh->legacy_compression_method);
  tg_ks_set_suite(c, suite);
  return TG_OK;
}

/* renegotiation_info, ec_point_formats, session_ticket, ALPN. */
static tg_status sh_extensions(tg_conn *c, const tg_server_hello *sh) {
  tg_bytes body;
  TG_TRY(tg12_check_hello_exts(c, sh->extensions, "ServerHello"));
  if (tg_ext_find(sh->extensions, TG_EXT_session_ticket, &body)) {
    TG_TRY(tg_session_ticket_parse_sh(body, &c->err));
    c->ticket_promised = true; /* RFC 5077 §3.2: a NewSessionTicket follows */
  }
  if (tg_ext_find(sh->extensions, TG_EXT_application_layer_protocol_negotiation, &body))
    TG_TRY(tg_client_selected_alpn(c, body));
  if (tg_ext_find(sh->extensions, TG_EXT_encrypt_then_mac, &body)) {
    TG_TRY(tg_encrypt_then_mac_parse(body, &c->err));
    /* RFC 7366 §3: a server that selects an AEAD suite "MUST NOT send an encrypt-then-MAC
     * response extension"; its ServerHello contradicts itself: illegal_parameter. Permissive:
     * ignored. */
    TG_PEER_CHECK(c, &c->err, c->ks.suite->cbc != NULL, illegal_parameter, TG_E_BAD_VALUE,
                  "ServerHello has encrypt_then_mac with %s, not a CBC suite (RFC 7366 3)",
                  c->ks.suite->name);
    c->info.etm = c->ks.suite->cbc != NULL;
  }
  return TG_OK;
}

/* The server resumed the offered session: same suite and EMS as the session's. */
static tg_status sh_resumed(tg_conn *c, const tg_server_hello *sh) {
  const tg_ticket *t = c->cfg->resume;
  /* RFC 5246 §7.4.1.3: a resumed session keeps its cipher suite. */
  TG_PEER_CHECK(c, &c->err, sh->cipher_suite == t->cipher_suite, illegal_parameter, TG_E_BAD_VALUE,
                "resumed ServerHello.cipher_suite 0x%04x is not the session's 0x%04x",
                sh->cipher_suite, t->cipher_suite);
  /* RFC 7627 §5.3: "If the original session used the extension but the new ServerHello does not
   * contain it (or vice versa), the client MUST abort the handshake" (handshake_failure). */
  TG_PEER_CHECK(c, &c->err, c->info.ems == t->ems, handshake_failure, TG_E_BAD_VALUE,
                "resumed ServerHello %s extended_master_secret, the session %s (RFC 7627 5.3)",
                c->info.ems ? "has" : "lacks", t->ems ? "used it" : "did not");
  memcpy(c->master_secret, t->psk, TG_MASTER_SECRET_LEN);
  c->info.resumed = true;
  return TG_OK;
}

tg_status tg12_client_on_server_hello(tg_conn *c, const tg_server_hello *sh) {
  tg_bytes body;
  TG_TRY(sh_suite(c, sh));
  TG_TRY(tg_check_solicited(c, sh->extensions, "ServerHello", 0));
  TG_TRY(sh_extensions(c, sh));
  memcpy(c->server_random, sh->random, 32);
  c->info.ems = tg_ext_find(sh->extensions, TG_EXT_extended_master_secret, &body);
  if (c->info.ems)
    TG_TRY(tg_extended_master_secret_parse(body, &c->err));
  bool resumed =
      c->offered_session && c->session_id_len > 0 &&
      tg_bytes_eq(sh->legacy_session_id_echo, tg_bytes_of(c->session_id, c->session_id_len));
  if (resumed)
    return sh_resumed(c, sh);
  /* RFC 7627 §5.2: a client that "receives a ServerHello without the extension ... MAY abort";
   * required by default (tg_config.ems_optional). */
  TG_PEER_CHECK(c, &c->err, c->info.ems || c->cfg->ems_optional, handshake_failure, TG_E_BAD_VALUE,
                "ServerHello lacks extended_master_secret (RFC 7627 5.2), which this client "
                "requires");
  c->session_id_len = sh->legacy_session_id_echo.len; /* the new session's id */
  memcpy(c->session_id, sh->legacy_session_id_echo.p, c->session_id_len);
  return TG_OK;
}

/* ---- Server flight ------------------------------------------------------------------------- */

tg_status tg12_client_on_certificate(tg_conn *c, const tg_handshake *m) {
  /* auth.c decides, for both versions (the key must also fit the suite here). */
  return tg_take_peer_certificate(c, m->u.certificate.certificate_list, TG_VERSION_TLS12);
}

/* RFC 5246 §7.4.3: the signature covers client_random + server_random + ServerECDHParams. */
static tg_status check_ske_signature(tg_conn *c, const tg_server_key_exchange *ske) {
  const tg_sig_scheme_desc *scheme = tg_sig_scheme_find(ske->algorithm);
  TG_ENSURE(&c->err, scheme != NULL || TG_PERMISSIVE(c), illegal_parameter, TG_E_BAD_VALUE,
            "ServerKeyExchange.algorithm 0x%04x was not offered in signature_algorithms",
            ske->algorithm);
  /* Permissive (permissive.h): a scheme this engine does not know, or no key (an empty or
   * unusable Certificate was let through), leaves the signature unchecked. */
  if (TG_PERMISSIVE(c) && (scheme == NULL || c->peer_key == NULL))
    return TG_OK;
  TG_PEER_CHECK(
      c, &c->err,
      tg_u16s_contains(tg_cfg_list(c->cfg->sig_schemes, tg_default_sig_schemes), ske->algorithm),
      illegal_parameter, TG_E_BAD_VALUE,
      "ServerKeyExchange.algorithm 0x%04x was not offered in signature_algorithms", ske->algorithm);
  tg_writer *signed_params = tg_ext_scratch(c);
  tg_w_bytes(signed_params, c->client_random, 32);
  tg_w_bytes(signed_params, c->server_random, 32);
  tg_w_view(signed_params, ske->params);
  TG_TRY(tg_writer_status(signed_params));
  /* A signature that does not verify is decrypt_error (RFC 5246 §7.2.2). */
  if (!TG_FUZZER_MODE(c)) /* engine/fuzzmode.h: a fuzzed signature gets through */
    TG_TRY(TG_TOLERATE(c, tg_sig_verify(scheme, c->peer_key, tg_writer_bytes(signed_params),
                                        ske->signature, &c->err)));
  c->info.peer_sig_scheme = ske->algorithm;
  return TG_OK;
}

tg_status tg12_client_on_server_key_exchange(tg_conn *c, const tg_handshake *m) {
  const tg_server_key_exchange *ske = &m->u.server_key_exchange;
  const tg_group_desc *g = tg_group_find(ske->namedcurve);
  /* RFC 8422 §5.4: named_curve only, one the client listed in supported_groups; else
   * illegal_parameter (§5.1.1 / RFC 5246 §7.4.3). */
  TG_ENSURE(&c->err, ske->curve_type == TG_EC_named_curve && g != NULL && !g->finite_field,
            illegal_parameter, TG_E_BAD_VALUE,
            "ServerKeyExchange names curve_type %u group 0x%04x, which was not offered",
            ske->curve_type, ske->namedcurve);
  /* Permissive (permissive.h): any group this engine implements will do. */
  TG_PEER_CHECK(c, &c->err,
                tg_u16s_contains(tg_cfg_list(c->cfg->groups, tg_default_groups), ske->namedcurve),
                illegal_parameter, TG_E_BAD_VALUE,
                "ServerKeyExchange names curve_type %u group 0x%04x, which was not offered",
                ske->curve_type, ske->namedcurve);
  TG_TRY(check_ske_signature(c, ske));
  TG_TRY(tg_keygen(c, g, &c->kex[0], c->client_share));
  c->n_kex = 1;
  c->client_share_len = g->share_len;
  /* The server's point is checked here: a bad one is illegal_parameter (RFC 8422 §5.11). */
  TG_TRY(tg_kex_derive(&c->kex[0], ske->public_, c->premaster, &c->err));
  c->premaster_len = g->secret_len;
  c->info.group = g->group;
  return TG_OK;
}

tg_status tg12_client_on_certificate_request(tg_conn *c, const tg_handshake *m) {
  const tg_certificate_request *cr = &m->u.certificate_request;
  c->cert_requested = true;
  /* RFC 5246 §7.4.6: a client without a suitable certificate sends an empty one. */
  c->sig = tg12_pick_sig_scheme(c, cr->supported_signature_algorithms);
  return TG_OK;
}

/* ---- Client flight ------------------------------------------------------------------------- */

static tg_status send_certificate12(tg_conn *c) {
  const tg_cert_chain *chain = c->cfg->chain;
  tg_writer *list = tg_ext_scratch(c);
  for (size_t i = 0; c->sig != NULL && i < chain->len; i++) {
    tg_certificate_entry e = {chain->certs[i], {NULL, 0}};
    tg_certificate_entry_emit(list, TG_VERSION_TLS12, &e);
  }
  TG_TRY(tg_writer_status(list));
  tg_handshake m = {.msg_type = TG_HS_certificate};
  m.u.certificate.certificate_list = tg_writer_bytes(list);
  return tg_send_message(c, &m);
}

/* RFC 5246 §7.4.7.1: PreMasterSecret {client_version, random[46]} under the server's key. A
 * deviation hook may change it (its version bytes, its length, its padding); the keys come from
 * what was sent. */
static tg_status rsa_premaster(tg_conn *c, tg_writer *w) {
  c->premaster[0] = TG_VERSION_TLS12 >> 8; /* the ClientHello's client_version */
  c->premaster[1] = TG_VERSION_TLS12 & 0xff;
  tg_conn_random(c, c->premaster + 2, TG_RSA_PMS_LEN - 2);
  tg_premaster_out p = {c->premaster, TG_RSA_PMS_LEN, sizeof c->premaster, TG_PMS_PAD_PKCS1};
  if (c->cfg->hooks != NULL && c->cfg->hooks->rsa_premaster != NULL)
    c->cfg->hooks->rsa_premaster(c->cfg->hooks->ctx, c, &p);
  c->premaster_len = p.len <= p.cap ? p.len : p.cap;
  if (c->premaster_len > TG_RSA_PMS_LEN) /* a longer one: random bytes after the 48 */
    tg_conn_random(c, c->premaster + TG_RSA_PMS_LEN, c->premaster_len - TG_RSA_PMS_LEN);
  return tg_rsa_kx_encrypt_as(c->peer_key, &c->cfg->rng, c->premaster, c->premaster_len, p.padding,
                              w, &c->err);
}

static tg_status send_client_key_exchange(tg_conn *c) {
  tg_handshake m = {.msg_type = TG_HS_client_key_exchange};
  if (c->ks.suite->kx == TG_SUITE_KX_RSA) {
    tg_writer *w = tg_ext_scratch(c);
    TG_TRY(rsa_premaster(c, w));
    m.u.client_key_exchange.encrypted_pre_master_secret = tg_writer_bytes(w);
  } else {
    m.u.client_key_exchange.ecdh_Yc = tg_bytes_of(c->client_share, c->client_share_len);
  }
  TG_TRY(tg_send_message(c, &m));
  tg12_master_secret(c, tg_bytes_of(c->premaster, c->premaster_len));
  explicit_bzero(c->premaster, sizeof c->premaster);
  return TG_OK;
}

/* RFC 5246 §7.4.8: a signature over all handshake messages so far. */
static tg_status send_certificate_verify12(tg_conn *c) {
  tg_writer *sig = tg_ext_scratch(c);
  TG_TRY(tg_sig_sign(c->sig, c->cfg->chain->key, &c->cfg->rng, tg_writer_bytes(&c->t12), sig,
                     &c->err));
  tg_handshake m = {.msg_type = TG_HS_certificate_verify};
  m.u.certificate_verify.algorithm = c->sig->scheme;
  m.u.certificate_verify.signature = tg_writer_bytes(sig);
  return tg_send_message(c, &m);
}

tg_status tg12_client_on_server_hello_done(tg_conn *c, const tg_handshake *m) {
  (void)m;
  if (c->cert_requested)
    TG_TRY(send_certificate12(c));
  TG_TRY(send_client_key_exchange(c));
  if (c->cert_requested && c->sig != NULL)
    TG_TRY(send_certificate_verify12(c));
  return tg12_send_ccs_finished(c);
}

/* ---- The server's last flight -------------------------------------------------------------- */

tg_status tg12_on_new_session_ticket(tg_conn *c, const tg_handshake *m) {
  const tg_new_session_ticket *t = &m->u.new_session_ticket;
  /* Kept (copied) now; the session around it is complete after the server Finished. An empty
   * ticket (RFC 5077 §3.3: the server will not resume) leaves the session id. */
  if (t->ticket.len <= TG_TICKET_MAX_LEN) {
    memcpy(c->tickets[0].ticket, t->ticket.p, t->ticket.len);
    c->tickets[0].ticket_len = t->ticket.len;
  }
  c->tickets[0].ticket_lifetime = t->ticket_lifetime_hint;
  return TG_OK;
}

tg_status tg12_client_on_finished(tg_conn *c, const tg_handshake *m) {
  TG_TRY(tg12_check_finished(c, m));
  if (c->info.resumed) /* RFC 5246 §7.3: abbreviated handshake, the client finishes last */
    TG_TRY(tg12_send_ccs_finished(c));
  tg_ticket *t = &c->tickets[0];
  tg_bytes ticket = tg_bytes_of(t->ticket, t->ticket_len);
  if (c->info.resumed && !c->ticket_promised && c->cfg->resume->ticket_len)
    ticket = tg_bytes_of(c->cfg->resume->ticket, c->cfg->resume->ticket_len);
  tg12_keep_session(c, ticket, t->ticket_lifetime);
  return TG_OK;
}

tg_status tg12_client_on_hello_request(tg_conn *c, const tg_handshake *m) {
  (void)m;
  /* RFC 5246 §7.4.1.1: a client that does not want to renegotiate may answer with a
   * no_renegotiation alert (warning level, §7.2.2). Not after our own close_notify. */
  c->info.renegotiation_refused = true;
  return c->close_sent ? TG_OK : tg_send_warning(c, TG_ALERT_no_renegotiation);
}
