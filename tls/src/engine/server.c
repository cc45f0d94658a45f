/* The server's side of the TLS 1.3 handshake (RFC 8446 §2, Appendix A.2): the ClientHello
 * handler, which negotiates and sends the whole server flight, and the client Finished.
 *
 * Negotiation: the server's preference decides the cipher suite and the group (with a
 * HelloRetryRequest when the client sent no share for that group); the client's order decides
 * the signature scheme (the first it lists that the server's key can make and the server
 * allows).
 *
 * Randomness, in the order the server draws it (a scripted tg_rng relies on this):
 *   1. ServerHello.random, 32 bytes;
 *   2. the key share's private key, private_len bytes (tg_keygen);
 *   3. the CertificateVerify signature's randomness (auth.c), unless resumed;
 *   4. after the client Finished, per NewSessionTicket: ticket_age_add (4) and the ticket's
 *      AEAD nonce (12) (psk.c).
 */
#include <string.h>
#include <strings.h>

#include "engine/internal.h"
#include "tg/ext/alpn.h"
#include "tg/ext/cookie.h"
#include "tg/ext/early_data.h"
#include "tg/ext/key_share.h"
#include "tg/ext/pre_shared_key.h"
#include "tg/ext/record_size_limit.h"
#include "tg/ext/server_name.h"
#include "tg/ext/signature_algorithms.h"
#include "tg/ext/supported_groups.h"
#include "tg/ext/supported_versions.h"

/* What the ClientHello handler negotiated, before it is sent. */
typedef struct tg_offer {
  const tg_group_desc *group; /* NULL: a HelloRetryRequest for retry_group is needed */
  tg_bytes peer_share;
  uint16_t retry_group;
  uint16_t selected_identity; /* of pre_shared_key, when info.resumed */
} tg_offer;

static tg_status choose_suite(tg_conn *c, const tg_client_hello *ch) {
  tg_bytes mine = tg_cfg_list(c->cfg->cipher_suites, tg_default_cipher_suites);
  for (size_t i = 0; i < tg_u16s_count(mine); i++) {
    const tg_cipher_suite *s = tg_find_suite(c, tg_u16s_get(mine, i));
    if (s != NULL && s->max_version >= TG_VERSION_TLS13 &&
        tg_u16s_contains(ch->cipher_suites, s->id)) {
      /* RFC 8446 §4.1.4: the suite of a HelloRetryRequest is the suite of the handshake. */
      /* Permissive (permissive.h): the HelloRetryRequest's suite stays. */
      TG_PEER_CHECK_OR(c, &c->err, !c->info.hello_retry || s == c->ks.suite, return TG_OK,
                       illegal_parameter, TG_E_BAD_VALUE,
                       "the second ClientHello changes the negotiated cipher suite");
      tg_ks_set_suite(c, s);
      return TG_OK;
    }
  }
  /* RFC 8446 §4.1.1: no acceptable parameters → handshake_failure. */
  return TG_FAIL(&c->err, handshake_failure, TG_E_BAD_VALUE,
                 "ClientHello.cipher_suites has no TLS 1.3 suite in common");
}

static tg_status choose_group(tg_conn *c, const tg_client_hello *ch, tg_offer *o) {
  tg_bytes sg_body, ks_body;
  tg_supported_groups sg;
  tg_key_share_ch ks;
  bool has_sg = tg_ext_find(ch->extensions, TG_EXT_supported_groups, &sg_body);
  bool has_ks = tg_ext_find(ch->extensions, TG_EXT_key_share, &ks_body);
  /* RFC 8446 §9.2: without a PSK, a ClientHello MUST carry supported_groups and key_share. */
  TG_ENSURE(&c->err, has_sg && has_ks, missing_extension, TG_E_BAD_VALUE,
            "ClientHello lacks %s (RFC 8446 9.2)", has_sg ? "key_share" : "supported_groups");
  TG_TRY(tg_supported_groups_parse(sg_body, &sg, &c->err));
  TG_TRY(tg_key_share_parse_ch(ks_body, &ks, &c->err));
  tg_bytes mine = tg_cfg_list(c->cfg->groups, tg_default_groups);
  /* Strict server preference, as RFC 8448 §5's server: the first of the server's groups that
   * the client supports, with a HelloRetryRequest if the client sent no share for it. */
  for (size_t i = 0; i < tg_u16s_count(mine); i++) {
    uint16_t group = tg_u16s_get(mine, i);
    const tg_group_desc *g = tg_group_find(group);
    tg_key_share_entry e;
    if (g == NULL || !tg_u16s_contains(sg.named_group_list, group))
      continue;
    if (tg_key_share_find(&ks, group, &e)) {
      o->group = g;
      o->peer_share = e.key_exchange;
      return TG_OK;
    }
    /* RFC 8446 §4.1.4: only one HelloRetryRequest; the second ClientHello must carry a share
     * for the group it named (§4.1.2), else illegal_parameter. */
    /* Permissive: another HelloRetryRequest. */
    TG_PEER_CHECK(c, &c->err, !c->info.hello_retry, illegal_parameter, TG_E_BAD_VALUE,
                  "the second ClientHello has no share for group 0x%04x", c->hrr_group);
    o->retry_group = group;
    return TG_OK;
  }
  return TG_FAIL(&c->err, handshake_failure, TG_E_BAD_VALUE,
                 "ClientHello.supported_groups has no group in common");
}

static tg_status choose_sig_scheme(tg_conn *c, const tg_client_hello *ch) {
  tg_bytes body;
  /* Permissive (permissive.h): without the extension, the server's own list is taken. */
  tg_signature_scheme_list sl = {tg_cfg_list(c->cfg->sig_schemes, tg_default_sig_schemes)};
  bool has_sa = tg_ext_find(ch->extensions, TG_EXT_signature_algorithms, &body);
  TG_PEER_CHECK(c, &c->err, has_sa, missing_extension, TG_E_BAD_VALUE,
                "ClientHello lacks signature_algorithms (RFC 8446 9.2)");
  if (has_sa)
    TG_TRY(tg_signature_algorithms_parse(body, &sl, &c->err));
  c->sig = tg_pick_sig_scheme(c, sl.supported_signature_algorithms);
  TG_ENSURE(&c->err, c->sig != NULL, handshake_failure, TG_E_BAD_VALUE,
            "ClientHello.signature_algorithms has no scheme for the server's %s key",
            tg_key_type_name(tg_private_key_type(c->cfg->chain->key)));
  return TG_OK;
}

tg_status tg_server_check_server_name(tg_conn *c, const tg_client_hello *ch) {
  tg_bytes body;
  tg_server_name_ch sn;
  if (!tg_ext_find(ch->extensions, TG_EXT_server_name, &body))
    return TG_OK;
  TG_TRY(tg_server_name_parse_ch(body, &sn, &c->err));
  const char *want = c->cfg->server_name;
  c->client_sni = sn.host_name.len > 0;
  /* RFC 6066 §3: a server that does not recognise the name MAY abort with unrecognized_name. */
  TG_PEER_CHECK(c, &c->err,
                want == NULL || !c->client_sni ||
                    (sn.host_name.len == strlen(want) &&
                     strncasecmp((const char *)sn.host_name.p, want, sn.host_name.len) == 0),
                unrecognized_name, TG_E_BAD_VALUE,
                "ClientHello.server_name is not the configured name %s", want);
  return TG_OK;
}

tg_status tg_server_choose_alpn(tg_conn *c, const tg_client_hello *ch) {
  tg_bytes body, name;
  tg_alpn_ch offered;
  tg_alpn_iter it;
  if (c->cfg->alpn.len == 0 ||
      !tg_ext_find(ch->extensions, TG_EXT_application_layer_protocol_negotiation, &body))
    return TG_OK;
  TG_TRY(tg_alpn_parse_ch(body, &offered, &c->err));
  tg_alpn_iter_init(&it, c->cfg->alpn);
  while (tg_alpn_next(&it, &name)) {
    if (tg_alpn_offers(&offered, name)) {
      memcpy(c->alpn_buf, name.p, name.len);
      c->info.alpn = tg_bytes_of(c->alpn_buf, name.len);
      return TG_OK;
    }
  }
  /* RFC 7301 §3.2: no protocol in common → no_application_protocol. Permissive: none is
   * selected. */
  TG_PEER_CHECK(c, &c->err, false, no_application_protocol, TG_E_BAD_VALUE,
                "ClientHello.application_layer_protocol_negotiation has no protocol in common");
  return TG_OK;
}

/* Whether the ClientHello offers TLS 1.2: in supported_versions when it has one (RFC 8446
 * §4.2.1), else by legacy_version (RFC 5246 Appendix E.1: a higher one means 1.2 too). */
static bool offers_tls12(const tg_client_hello *ch) {
  tg_bytes body;
  tg_supported_versions_ch sv;
  if (tg_ext_find(ch->extensions, TG_EXT_supported_versions, &body) &&
      tg_supported_versions_parse_ch(body, &sv, NULL) == TG_OK)
    return tg_u16s_contains(sv.versions, TG_VERSION_TLS12);
  return ch->legacy_version >= TG_VERSION_TLS12;
}

/* The version: TLS 1.3 when both have it, else TLS 1.2 when both have it (c->info.version). */
static tg_status choose_version(tg_conn *c, const tg_client_hello *ch) {
  /* RFC 8446 Appendix D.5: "Any endpoint receiving a Hello message with
   * ClientHello.legacy_version ... set to 0x0300 MUST abort the handshake with a
   * "protocol_version" alert." (RFC 5246 E.1 lets a TLS 1.2 server refuse SSL 3.0 likewise.) */
  TG_PEER_CHECK(c, &c->err, ch->legacy_version > TG_VERSION_SSL30, protocol_version, TG_E_BAD_VALUE,
                "ClientHello.legacy_version 0x%04x is SSL 3.0 or older (RFC 8446 D.5)",
                ch->legacy_version);
  if (tg_allows13(c->cfg) && tg_client_hello_offers_tls13(ch)) {
    c->info.version = TG_VERSION_TLS13;
    return TG_OK;
  }
  /* RFC 8446 §4.2.1 / RFC 5246 Appendix E.1: no version in common is protocol_version. A
   * second ClientHello (after a HelloRetryRequest) must stay TLS 1.3. */
  TG_ENSURE(&c->err, tg_allows12(c->cfg) && offers_tls12(ch) && !c->info.hello_retry,
            protocol_version, TG_E_BAD_VALUE,
            "ClientHello does not offer %s (legacy_version 0x%04x)",
            tg_allows12(c->cfg) ? "TLS 1.3 or 1.2" : "TLS 1.3", ch->legacy_version);
  c->info.version = TG_VERSION_TLS12;
  return TG_OK;
}

static tg_status negotiate(tg_conn *c, const tg_client_hello *ch, tg_offer *o) {
  TG_TRY(choose_suite(c, ch));
  TG_TRY(choose_group(c, ch, o));
  /* A PSK is considered once the ClientHello is the one answered (after a HelloRetryRequest,
   * the second, whose binder covers it). Resumed: no certificate, no signature scheme. */
  TG_TRY(tg_server_check_server_name(c, ch));
  TG_TRY(tg_server_choose_alpn(c, ch)); /* before the PSK: 0-RTT needs the ticket's ALPN */
  if (o->group != NULL)
    TG_TRY(tg_server_psk_choose(c, ch, &o->selected_identity));
  if (!c->info.resumed)
    TG_TRY(choose_sig_scheme(c, ch));
  tg_bytes body;
  c->client_rsl = tg_ext_find(ch->extensions, TG_EXT_record_size_limit, &body);
  if (c->client_rsl) {
    tg_record_size_limit rsl;
    tg_status st = tg_record_size_limit_parse(body, &rsl, &c->err);
    /* Permissive (permissive.h): a limit the extension's check refuses is ignored. */
    TG_TRY(TG_TOLERATE(c, st));
    c->client_rsl = st == TG_OK;
    c->peer_record_size_limit = st == TG_OK ? rsl.record_size_limit : 0;
  }
  memcpy(c->session_id, ch->legacy_session_id.p, ch->legacy_session_id.len);
  c->session_id_len = ch->legacy_session_id.len;
  memcpy(c->client_random, ch->random, 32);
  c->info.version = TG_VERSION_TLS13;
  c->info.group = o->group ? o->group->group : o->retry_group;
  return TG_OK;
}

/* RFC 8446 §4.1.4: a HelloRetryRequest naming the group, with the configured cookie. The
 * transcript restarts as message_hash(ClientHello1) (§4.4.1). Draws no randomness. */
static tg_status send_hello_retry_request(tg_conn *c, const tg_offer *o) {
  uint8_t ch1_hash[TG_MAX_HASH_LEN];
  tg_transcript_hash(c, ch1_hash);
  tg_transcript_restart(c, ch1_hash);
  tg_writer *ext = tg_ext_scratch(c);
  tg_key_share_emit_hrr(ext, &(tg_key_share_hrr){o->retry_group});
  if (c->cfg->hrr_cookie.len)
    tg_cookie_emit(ext, &(tg_cookie){c->cfg->hrr_cookie});
  tg_supported_versions_emit_sh(ext, &(tg_supported_versions_sh){TG_VERSION_TLS13});
  TG_TRY(tg_writer_status(ext));
  tg_handshake m = {.msg_type = TG_HS_server_hello};
  tg_server_hello *hrr = &m.u.server_hello;
  hrr->legacy_version = TG_VERSION_TLS12;
  memcpy(hrr->random, tg_hrr_random, 32);
  hrr->legacy_session_id_echo = tg_bytes_of(c->session_id, c->session_id_len);
  hrr->cipher_suite = c->ks.suite->id;
  hrr->has_extensions = true;
  hrr->extensions = tg_writer_bytes(ext);
  c->hrr_group = o->retry_group;
  c->info.hello_retry = true;
  TG_TRY(tg_send_message(c, &m));
  TG_TRY(tg_flush_flight(c));
  return c->session_id_len ? tg_send_compat_ccs(c) : TG_OK;
}

/* The second ClientHello echoes the cookie (RFC 8446 §4.2.2). */
static tg_status check_cookie(tg_conn *c, const tg_client_hello *ch) {
  tg_bytes body;
  tg_cookie cookie = {{NULL, 0}};
  if (c->cfg->hrr_cookie.len == 0)
    return TG_OK;
  if (tg_ext_find(ch->extensions, TG_EXT_cookie, &body))
    TG_TRY(tg_cookie_parse(body, &cookie, &c->err));
  TG_PEER_CHECK(c, &c->err, tg_bytes_eq(cookie.cookie, c->cfg->hrr_cookie), illegal_parameter,
                TG_E_BAD_VALUE, "the second ClientHello does not echo the cookie");
  return TG_OK;
}

/* ServerHello with the server's key share; derives the handshake secrets. */
static tg_status send_server_hello(tg_conn *c, const tg_offer *o) {
  uint8_t share[TG_KEX_MAX_SHARE], secret[TG_KEX_MAX_SECRET];
  tg_conn_random(c, c->server_random, 32);
  TG_TRY(tg_keygen(c, o->group, &c->kex[0], share));
  c->n_kex = 1;
  /* The peer's share is checked here: a bad one is illegal_parameter (RFC 8446 §4.2.8.2). */
  TG_TRY(tg_kex_derive(&c->kex[0], o->peer_share, secret, &c->err));
  tg_writer *ext = tg_ext_scratch(c);
  if (c->info.resumed) /* first, as RFC 8448 §4's server */
    tg_pre_shared_key_emit_sh(ext, &(tg_pre_shared_key_sh){o->selected_identity});
  tg_key_share_emit_sh(
      ext, &(tg_key_share_sh){{o->group->group, tg_bytes_of(share, o->group->share_len)}});
  tg_supported_versions_emit_sh(ext, &(tg_supported_versions_sh){TG_VERSION_TLS13});
  TG_TRY(tg_writer_status(ext));
  tg_handshake m = {.msg_type = TG_HS_server_hello};
  tg_server_hello *sh = &m.u.server_hello;
  sh->legacy_version = TG_VERSION_TLS12;
  memcpy(sh->random, c->server_random, 32);
  sh->legacy_session_id_echo = tg_bytes_of(c->session_id, c->session_id_len);
  sh->cipher_suite = c->ks.suite->id;
  sh->has_extensions = true;
  sh->extensions = tg_writer_bytes(ext);
  tg_status st = tg_send_message(c, &m);
  if (st == TG_OK)
    st = tg_ks_handshake(c, tg_bytes_of(secret, o->group->secret_len));
  explicit_bzero(secret, sizeof secret);
  return st;
}

/* In the order of RFC 8448 §3's EncryptedExtensions, then ALPN. */
static tg_status send_encrypted_extensions(tg_conn *c) {
  tg_writer *ext = tg_ext_scratch(c);
  /* RFC 8446 §4.2.7: the server may tell the client its groups, for later connections. */
  tg_supported_groups_emit(ext,
                           &(tg_supported_groups){tg_cfg_list(c->cfg->groups, tg_default_groups)});
  if (c->client_rsl) { /* RFC 8449 §4: the server's own limit, in EncryptedExtensions */
    tg_record_size_limit_emit(ext, &(tg_record_size_limit){tg_own_record_size_limit(c)});
    c->own_rsl_sent = true;
  }
  if (c->client_sni)
    tg_server_name_emit_sh(ext); /* RFC 6066 §3: the empty acknowledgement */
  if (c->info.alpn.len)
    tg_alpn_emit_sh(ext, &(tg_alpn_sh){c->info.alpn});
  if (c->info.early_data == TG_EARLY_DATA_ACCEPTED) /* RFC 8446 §4.2.10: last, as RFC 8448 §4 */
    tg_early_data_emit_empty(ext);
  TG_TRY(tg_writer_status(ext));
  tg_handshake m = {.msg_type = TG_HS_encrypted_extensions};
  m.u.encrypted_extensions.extensions = tg_writer_bytes(ext);
  return tg_send_message(c, &m);
}

/* RFC 8446 §4.3.2: an empty context (this is the handshake's only request) and the schemes
 * the server accepts in the client's CertificateVerify. */
static tg_status send_certificate_request(tg_conn *c) {
  tg_writer *ext = tg_ext_scratch(c);
  tg_signature_algorithms_emit(
      ext, &(tg_signature_scheme_list){tg_cfg_list(c->cfg->sig_schemes, tg_default_sig_schemes)});
  TG_TRY(tg_writer_status(ext));
  tg_handshake m = {.msg_type = TG_HS_certificate_request};
  m.u.certificate_request.extensions = tg_writer_bytes(ext);
  return tg_send_message(c, &m);
}

/* How many bytes of rejected 0-RTT records are skipped (engine.h "Early data"). */
static size_t early_skip_bound(const tg_conn *c) {
  size_t max = c->cfg->max_early_data_size;
  size_t bound = max + (max / TG_MAX_PLAINTEXT + 1) * 256;
  return bound > TG_EARLY_DATA_SKIP_MAX ? bound : TG_EARLY_DATA_SKIP_MAX;
}

tg_status tg_server_on_client_hello(tg_conn *c, const tg_handshake *m) {
  tg_offer o = {0};
  bool second = c->info.hello_retry;
  /* RFC 8446 §4.2.10: early data the server does not accept (tg_server_psk_choose decides) is
   * skipped, up to a bound. A second ClientHello offers none. */
  tg_bytes ed;
  bool offered = !second && tg_ext_find(m->u.client_hello.extensions, TG_EXT_early_data, &ed);
  c->early_skip_left = offered ? early_skip_bound(c) : 0;
  if (offered)
    c->info.early_data = TG_EARLY_DATA_REJECTED;
  TG_TRY(choose_version(c, &m->u.client_hello));
  if (tg_is12(c))
    return tg12_server_on_client_hello(c, &m->u.client_hello);
  TG_TRY(negotiate(c, &m->u.client_hello, &o));
  if (o.group == NULL)
    return send_hello_retry_request(c, &o);
  if (second)
    TG_TRY(check_cookie(c, &m->u.client_hello));
  if (c->info.early_data == TG_EARLY_DATA_ACCEPTED) {
    c->early_skip_left = 0;
    TG_TRY(tg_ks_early(c, c->ks.suite)); /* over the ClientHello alone (RFC 8446 §7.1) */
  }
  TG_TRY(send_server_hello(c, &o));
  TG_TRY(tg_flush_flight(c)); /* ServerHello in plaintext, the rest under handshake keys */
  /* RFC 8446 Appendix D.4: a client in compatibility mode (a non-empty legacy_session_id) gets
   * a change_cipher_spec after the server's first message. */
  if (c->session_id_len)
    TG_TRY(tg_send_compat_ccs(c));
  TG_TRY(tg_install_write(c, c->ks.server_handshake_traffic_secret));
  TG_TRY(send_encrypted_extensions(c));
  /* RFC 8446 §2.2: with a PSK the server is not authenticated by certificate; §4.3.2: nor
   * does it ask for one. */
  if (!c->info.resumed) {
    if (tg_asks_client_cert(c->cfg))
      TG_TRY(send_certificate_request(c));
    TG_TRY(tg_send_certificate(c, tg_bytes_of(NULL, 0)));
    TG_TRY(tg_send_certificate_verify(c));
  }
  TG_TRY(tg_send_finished(c, c->ks.server_handshake_traffic_secret));
  TG_TRY(tg_flush_flight(c));
  TG_TRY(tg_ks_application(c));
  TG_TRY(tg_install_write(c, c->ks.server_application_traffic_secret_0));
  /* RFC 8446 §2.3: accepted 0-RTT data, then EndOfEarlyData, come under the early keys. */
  if (c->info.early_data == TG_EARLY_DATA_ACCEPTED)
    return tg_install_read(c, c->ks.client_early_traffic_secret);
  return tg_install_read(c, c->ks.client_handshake_traffic_secret);
}

/* RFC 8446 §4.5: "the server ... switches to the client's handshake traffic keys" after it. */
tg_status tg_server_on_end_of_early_data(tg_conn *c, const tg_handshake *m) {
  (void)m;
  return tg_install_read(c, c->ks.client_handshake_traffic_secret);
}

tg_status tg_server_on_finished(tg_conn *c, const tg_handshake *m) {
  TG_TRY(tg_check_finished(c, m, c->ks.client_handshake_traffic_secret));
  TG_TRY(tg_ks_resumption(c));
  TG_TRY(tg_install_read(c, c->ks.client_application_traffic_secret_0));
  return tg_server_send_tickets(c); /* RFC 8446 §4.6.1, under the application key */
}
