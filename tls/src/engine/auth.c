/* Authentication messages, both directions: Certificate (RFC 8446 §4.4.2), CertificateVerify
 * (§4.4.3) and Finished (§4.4.4). The server sends the first two; the client checks them through
 * the validator interface (tg/validator.h). Finished is sent and checked by both.
 *
 * Randomness: CertificateVerify draws what its signature scheme draws (RSA-PSS: the salt,
 * Hash.length bytes, then nettle's blinding; ECDSA: the nonce; Ed25519: nothing).
 */
#include <string.h>

#include "engine/fuzzmode.h"
#include "engine/internal.h"
#include "tg/der.h"

/* ---- Sending ------------------------------------------------------------------------------- */

const tg_sig_scheme_desc *tg_pick_sig_scheme(const tg_conn *c, tg_bytes offered) {
  if (c->cfg->chain == NULL || c->cfg->chain->key == NULL || c->cfg->chain->len == 0)
    return NULL;
  tg_bytes mine = tg_cfg_list(c->cfg->sig_schemes, tg_default_sig_schemes);
  tg_key_type key = tg_private_key_type(c->cfg->chain->key);
  for (size_t i = 0; i < tg_u16s_count(offered); i++) {
    const tg_sig_scheme_desc *s = tg_sig_scheme_find(tg_u16s_get(offered, i));
    /* RFC 8446 §4.2.3: rsa_pkcs1_* never signs a TLS 1.3 handshake; the scheme fixes the key
     * type (and for ECDSA the curve). */
    if (s != NULL && s->tls13_ok && s->key_type == key && tg_u16s_contains(mine, s->scheme))
      return s;
  }
  return NULL;
}

tg_status tg_send_certificate(tg_conn *c, tg_bytes context) {
  const tg_cert_chain *chain = c->cfg->chain;
  tg_writer *list = tg_ext_scratch(c);
  for (size_t i = 0; c->sig != NULL && i < chain->len; i++) {
    tg_certificate_entry e = {chain->certs[i], {NULL, 0}};
    tg_certificate_entry_emit(list, TG_VERSION_TLS13, &e);
  }
  TG_TRY(tg_writer_status(list));
  tg_handshake m = {.msg_type = TG_HS_certificate};
  m.u.certificate.certificate_request_context = context;
  m.u.certificate.certificate_list = tg_writer_bytes(list);
  return tg_send_message(c, &m);
}

tg_status tg_send_certificate_verify(tg_conn *c) {
  uint8_t content_buf[64 + 34 + TG_MAX_HASH_LEN], hash[TG_MAX_HASH_LEN];
  tg_writer content;
  tg_transcript_hash(c, hash);
  tg_writer_init(&content, content_buf, sizeof content_buf, &c->err);
  tg_cv_content(&content, c->is_server, hash, c->ks.hlen);
  TG_TRY(tg_writer_status(&content));
  tg_writer *sig = tg_ext_scratch(c);
  TG_TRY(tg_sig_sign(c->sig, c->cfg->chain->key, &c->cfg->rng, tg_writer_bytes(&content), sig,
                     &c->err));
  tg_handshake m = {.msg_type = TG_HS_certificate_verify};
  m.u.certificate_verify.algorithm = c->sig->scheme;
  m.u.certificate_verify.signature = tg_writer_bytes(sig);
  return tg_send_message(c, &m);
}

tg_status tg_send_finished(tg_conn *c, const uint8_t *base_key) {
  uint8_t hash[TG_MAX_HASH_LEN], verify_data[TG_MAX_HASH_LEN];
  tg_transcript_hash(c, hash);
  TG_TRY(tg_finished_mac(c, base_key, hash, verify_data));
  tg_handshake m = {.msg_type = TG_HS_finished};
  m.u.finished.verify_data = tg_bytes_of(verify_data, c->ks.hlen);
  return tg_send_message(c, &m);
}

/* ---- Checking ------------------------------------------------------------------------------ */

tg_status tg_check_finished(tg_conn *c, const tg_handshake *m, const uint8_t *base_key) {
  uint8_t expected[TG_MAX_HASH_LEN];
  tg_bytes got = m->u.finished.verify_data;
  TG_TRY(tg_finished_mac(c, base_key, c->th_before, expected));
  if (TG_FUZZER_MODE(c)) /* engine/fuzzmode.h: a fuzzed Finished gets through */
    return TG_OK;
  /* RFC 8446 §4.4.4: "Recipients of Finished messages MUST verify that the contents are correct
   * and if incorrect MUST terminate the connection with a "decrypt_error" alert." The length is
   * the decoder's (hash_len), compared in constant time here. */
  TG_PEER_CHECK(c, &c->err, got.len == c->ks.hlen && tg_ct_eq(got.p, expected, c->ks.hlen),
                decrypt_error, TG_E_BAD_VALUE, "Finished.verify_data is wrong (RFC 8446 4.4.4)");
  return TG_OK;
}

/* ---- The peer's Certificate: one decision for both versions and both roles -----------------
 *
 * Alerts, from RFC 8446 §6.2 and RFC 5246 §7.2.2 (the same words in both):
 *   bad_certificate          "A certificate was corrupt, contained signatures that did not verify
 *                            correctly, etc.": a certificate or key that does not parse, a chain
 *                            longer than this engine keeps;
 *   unsupported_certificate  "A certificate was of an unsupported type": a key algorithm or curve
 *                            this engine cannot use, or (TLS 1.2, RFC 5246 §7.4.2, RFC 8422 §5.3)
 *                            a server key that does not fit the negotiated key exchange;
 *   the validator's own      unknown_ca, certificate_expired, ... (tg/validator.h).
 * An empty list: from a server, decode_error (RFC 8446 §4.4.2.4; RFC 5246 §7.4.2 has no
 * alert for it and the same rule serves); from a client, certificate_required in TLS 1.3
 * (§4.4.2.4) and handshake_failure in TLS 1.2 (RFC 5246 §7.4.6), but only when the server
 * requires one: request_client_cert alone goes on unauthenticated, as both RFCs allow. */

/* A failure of the key parser: illegal_parameter is its word for an algorithm or curve it does
 * not know (unsupported), decode_error for bytes that do not parse (corrupt). */
static tg_status key_alert(tg_status st, tg_err *err) {
  if (st != TG_OK && err != NULL && err->alert == TG_ALERT_illegal_parameter)
    err->alert = TG_ALERT_unsupported_certificate;
  return tg_der_remap(st, err, TG_ALERT_bad_certificate);
}

/* The leaf's key without a validator: the certificate is parsed, not verified. */
static tg_status unverified_key(tg_conn *c, tg_bytes leaf) {
  tg_bytes spki;
  TG_TRY(tg_der_remap(tg_cert_spki(leaf, &spki, &c->err), &c->err, TG_ALERT_bad_certificate));
  return key_alert(tg_public_key_from_spki(spki, &c->peer_key, &c->err), &c->err);
}

static tg_status validate_chain(tg_conn *c, const tg_bytes *chain, size_t n) {
  const tg_validator *v = c->cfg->validator;
  if (v == NULL)
    return unverified_key(c, chain[0]);
  tg_validation_request req = {
      .chain = chain,
      .chain_len = n,
      .name = c->is_server ? NULL : c->cfg->server_name,
      .now = c->cfg->clock.now ? c->cfg->clock.now(c->cfg->clock.ctx) : 0,
      .purpose = c->is_server ? TG_PURPOSE_CLIENT : TG_PURPOSE_SERVER,
  };
  /* Permissive (permissive.h): any chain is accepted, its leaf's key taken unverified; a leaf
   * without a key this engine can use leaves none, and the signature that follows goes
   * unchecked. */
  tg_status st = TG_TOLERATE(c, v->validate(v, &req, &c->peer_key, &c->err));
  if (st != TG_OK || c->peer_key != NULL)
    return st;
  return TG_TOLERATE(c, unverified_key(c, chain[0]));
}

/* TLS 1.2 server key against the suite (RFC 5246 §7.4.2: "The end entity certificate's public
 * key ... MUST be compatible with the selected key exchange algorithm"; RFC 8422 §5.3): RSA key
 * transport needs an rsaEncryption key, ECDHE_RSA any RSA key, ECDHE_ECDSA an EC key. */
static bool fits_suite12(const tg_conn *c, tg_key_type k) {
  if (c->ks.suite->auth == TG_SUITE_AUTH_ECDSA)
    return k == TG_KEY_EC_P256 || k == TG_KEY_EC_P384;
  if (c->ks.suite->kx == TG_SUITE_KX_RSA)
    return k == TG_KEY_RSA;
  return k == TG_KEY_RSA || k == TG_KEY_RSA_PSS;
}

tg_status tg_take_peer_certificate(tg_conn *c, tg_bytes certificate_list, uint16_t version) {
  tg_bytes chain[TG_MAX_CHAIN];
  size_t n = 0;
  tg_certificate_iter it;
  tg_certificate_entry e;
  bool tls13 = version == TG_VERSION_TLS13;
  tg_certificate_iter_init(&it, certificate_list, version);
  while (tg_certificate_next(&it, &e)) {
    TG_ENSURE(&c->err, n < TG_MAX_CHAIN, bad_certificate, TG_E_TOO_LARGE,
              "Certificate.certificate_list has more than %d entries", TG_MAX_CHAIN);
    chain[n++] = e.cert_data;
    /* RFC 8446 §4.2: an entry's extensions answer the ClientHello's (from a server) or the
     * CertificateRequest's (from a client: this server's asks for none an entry may carry). */
    if (tls13)
      TG_TRY(tg_check_solicited(c, e.extensions, "Certificate", 0));
  }
  if (n == 0 && c->is_server && !c->cfg->require_client_cert)
    return TG_OK; /* request_client_cert: the client goes unauthenticated */
  /* Permissive: no certificate, no key; no CertificateVerify is checked. */
  if (c->is_server && tls13)
    TG_PEER_CHECK_OR(c, &c->err, n > 0, return TG_OK, certificate_required, TG_E_LENGTH,
                     "the client sent no certificate (RFC 8446 4.4.2.4)");
  if (c->is_server)
    TG_PEER_CHECK_OR(c, &c->err, n > 0, return TG_OK, handshake_failure, TG_E_LENGTH,
                     "the client sent no certificate (RFC 5246 7.4.6)");
  TG_PEER_CHECK_OR(c, &c->err, n > 0, return TG_OK, decode_error, TG_E_LENGTH,
                   "server Certificate.certificate_list is empty (RFC %s)",
                   tls13 ? "8446 4.4.2.4" : "5246 7.4.2");
  c->peer_cert_nonempty = true;
  TG_TRY(validate_chain(c, chain, n));
  if (tls13 || c->is_server || c->peer_key == NULL)
    return TG_OK; /* (no key: permissive, see validate_chain) */
  tg_key_type k = tg_public_key_type(c->peer_key);
  TG_PEER_CHECK(c, &c->err, fits_suite12(c, k), unsupported_certificate, TG_E_BAD_VALUE,
                "the server's %s key does not fit %s", tg_key_type_name(k), c->ks.suite->name);
  return TG_OK;
}

tg_status tg_on_certificate(tg_conn *c, const tg_handshake *m) {
  const tg_certificate *cert = &m->u.certificate;
  /* RFC 8446 §4.4.2: "in the case of server authentication, this field SHALL be zero length";
   * a client echoes the CertificateRequest's, which this server sends empty. */
  TG_PEER_CHECK(c, &c->err, cert->certificate_request_context.len == 0, illegal_parameter,
                TG_E_BAD_VALUE,
                "%s Certificate.certificate_request_context is not the expected one",
                c->is_server ? "client" : "server");
  return tg_take_peer_certificate(c, cert->certificate_list, TG_VERSION_TLS13);
}

tg_status tg_on_certificate_verify(tg_conn *c, const tg_handshake *m) {
  const tg_certificate_verify *cv = &m->u.certificate_verify;
  const tg_sig_scheme_desc *scheme;
  uint8_t content_buf[64 + 34 + TG_MAX_HASH_LEN];
  tg_writer content;
  /* Permissive (permissive.h): a scheme this engine cannot verify with, or no key to verify
   * with (the Certificate was let through), leaves the signature unchecked. */
  TG_TRY(TG_TOLERATE(c, tg_sig_scheme_for_tls13(cv->algorithm, &scheme, &c->err)));
  if (TG_PERMISSIVE(c) && (scheme == NULL || c->peer_key == NULL))
    return TG_OK;
  /* RFC 8446 §4.4.3: the algorithm MUST be one offered in signature_algorithms (the client's
   * in its ClientHello, the server's in its CertificateRequest: both are the configured list). */
  TG_PEER_CHECK(
      c, &c->err,
      tg_u16s_contains(tg_cfg_list(c->cfg->sig_schemes, tg_default_sig_schemes), cv->algorithm),
      illegal_parameter, TG_E_BAD_VALUE,
      "CertificateVerify.algorithm %s was not offered in signature_algorithms", scheme->name);
  tg_writer_init(&content, content_buf, sizeof content_buf, &c->err);
  tg_cv_content(&content, !c->is_server, c->th_before, c->ks.hlen);
  TG_TRY(tg_writer_status(&content));
  /* A signature that does not verify is decrypt_error (RFC 8446 §4.4.3, tg/sig.h). */
  if (!TG_FUZZER_MODE(c)) /* engine/fuzzmode.h: a fuzzed signature gets through */
    TG_TRY(TG_TOLERATE(
        c, tg_sig_verify(scheme, c->peer_key, tg_writer_bytes(&content), cv->signature, &c->err)));
  c->info.peer_sig_scheme = cv->algorithm;
  return TG_OK;
}

tg_status tg_client_check_server_finished(tg_conn *c, const tg_handshake *m) {
  TG_TRY(tg_check_finished(c, m, c->ks.server_handshake_traffic_secret));
  /* The application secrets cover the transcript through the server Finished (RFC 8446 §7.1). */
  TG_TRY(tg_ks_application(c));
  return tg_install_read(c, c->ks.server_application_traffic_secret_0);
}

tg_status tg_client_second_flight(tg_conn *c) {
  if (c->cfg->middlebox_compat)
    TG_TRY(tg_send_compat_ccs(c)); /* RFC 8446 Appendix D.4: before the second flight */
  if (c->cert_requested) {
    /* RFC 8446 §4.4.2: the client answers a CertificateRequest with a Certificate, empty when
     * it has no suitable one, and then a CertificateVerify if it is not empty. */
    TG_TRY(tg_send_certificate(c, tg_bytes_of(c->cr_context, c->cr_context_len)));
    if (c->sig != NULL)
      TG_TRY(tg_send_certificate_verify(c));
  }
  TG_TRY(tg_send_finished(c, c->ks.client_handshake_traffic_secret));
  TG_TRY(tg_flush_flight(c));
  TG_TRY(tg_ks_resumption(c));
  return tg_install_write(c, c->ks.client_application_traffic_secret_0);
}

tg_status tg_client_on_finished(tg_conn *c, const tg_handshake *m) {
  TG_TRY(tg_client_check_server_finished(c, m));
  return tg_client_second_flight(c);
}
