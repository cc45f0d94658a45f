/* The client's side of the TLS 1.3 handshake (RFC 8446 §2, Appendix A.1): its ClientHello, and
 * one handler per server message. Handlers parse or produce messages and install keys; the
 * state is the table's (table.c).
 *
 * Randomness, in the order the client draws it (a scripted tg_rng relies on this):
 *   1. ClientHello.random, 32 bytes;
 *   2. legacy_session_id, 32 bytes, in middlebox compatibility mode only;
 *   3. one private key per key share, in key_share_groups order, private_len bytes each
 *      (see tg_keygen);
 *   4. after a HelloRetryRequest that names a group: that group's private key.
 */
#include <string.h>

#include "engine/internal.h"
#include "tg/ext/alpn.h"
#include "tg/ext/cookie.h"
#include "tg/ext/early_data.h"
#include "tg/ext/ec_point_formats.h"
#include "tg/ext/encrypt_then_mac.h"
#include "tg/ext/extended_master_secret.h"
#include "tg/ext/key_share.h"
#include "tg/ext/psk_key_exchange_modes.h"
#include "tg/ext/record_size_limit.h"
#include "tg/ext/renegotiation_info.h"
#include "tg/ext/server_name.h"
#include "tg/ext/session_ticket.h"
#include "tg/ext/signature_algorithms.h"
#include "tg/ext/supported_groups.h"
#include "tg/ext/supported_versions.h"

/* ---- ClientHello --------------------------------------------------------------------------- */

tg_bytes tg_offered_key_shares(const tg_config *cfg) {
  if (cfg->key_share_groups.len)
    return cfg->key_share_groups;
  tg_bytes groups = tg_offered_groups(cfg);
  for (size_t i = 0; i < tg_u16s_count(groups); i++)
    if (tg_group_find(tg_u16s_get(groups, i)) != NULL)
      return tg_bytes_of(groups.p + 2 * i, 2);
  return tg_bytes_of(NULL, 0);
}

tg_bytes tg_offered_groups(const tg_config *cfg) {
  return tg_cfg_list(cfg->groups, tg_default_groups);
}

/* The groups to send key shares for: key_share_groups, or the first implemented group of the
 * supported_groups list. */
static tg_status share_groups(tg_conn *c, tg_bytes *out) {
  TG_ENSURE(&c->err, tg_u16s_count(c->cfg->key_share_groups) <= TG_MAX_KEY_SHARES, internal_error,
            TG_E_USAGE, "at most %d key shares", TG_MAX_KEY_SHARES);
  *out = tg_offered_key_shares(c->cfg);
  TG_ENSURE(&c->err, out->len > 0, internal_error, TG_E_USAGE,
            "no implemented group to send a share for");
  return TG_OK;
}

/* KeyShareClientHello.client_shares, with fresh private keys in c->kex. */
static tg_status make_shares(tg_conn *c, tg_writer *w, size_t *count) {
  tg_bytes groups;
  uint8_t hrr_group[2] = {(uint8_t)(c->hrr_group >> 8), (uint8_t)c->hrr_group};
  if (c->hrr_group != 0)
    groups = tg_bytes_of(hrr_group, 2); /* RFC 8446 §4.1.2: the one group the server asked for */
  else
    TG_TRY(share_groups(c, &groups));
  c->n_kex = 0;
  for (size_t i = 0; i < tg_u16s_count(groups); i++) {
    uint16_t group = tg_u16s_get(groups, i);
    const tg_group_desc *g = tg_group_find(group);
    TG_ENSURE(&c->err, g != NULL, internal_error, TG_E_USAGE,
              "key_share_groups names 0x%04x, which this engine does not implement", group);
    uint8_t share[TG_KEX_MAX_SHARE];
    TG_TRY(tg_keygen(c, g, &c->kex[c->n_kex++], share));
    tg_key_share_entry e = {group, tg_bytes_of(share, g->share_len)};
    tg_key_share_w_entry(w, &e);
  }
  *count = c->n_kex;
  return tg_writer_status(w);
}

/* The shares of the first ClientHello again (a HelloRetryRequest with only a cookie): the
 * public values are recomputed from the private keys kept in c->kex. */
static tg_status same_shares(tg_conn *c, tg_writer *w, size_t *count) {
  for (size_t i = 0; i < c->n_kex; i++) {
    const tg_group_desc *g = c->kex[i].group;
    uint8_t share[TG_KEX_MAX_SHARE];
    tg_kex_private again;
    TG_TRY(g->keygen(g, &c->cfg->rng, c->kex[i].scalar, &again, share, &c->err));
    tg_key_share_entry e = {g->group, tg_bytes_of(share, g->share_len)};
    tg_key_share_w_entry(w, &e);
  }
  *count = c->n_kex;
  return tg_writer_status(w);
}

/* The TLS 1.2 session offered back in session_ticket (RFC 5077 §3.4), or an empty ticket. */
static tg_bytes offered_ticket(const tg_conn *c) {
  const tg_ticket *t = c->cfg->resume;
  if (c->offered_session && t->ticket_len)
    return tg_bytes_of(t->ticket, t->ticket_len);
  return tg_bytes_of(NULL, 0);
}

/* The default extensions, in the order of RFC 8448 §3's ClientHello (ALPN, which it lacks,
 * after signature_algorithms). renegotiation_info and session_ticket are TLS 1.2 extensions a
 * TLS 1.3 server ignores; they are sent, empty, as common clients do. When TLS 1.2 is enabled
 * too, ec_point_formats (RFC 8422 §5.1.2) and extended_master_secret (RFC 7627) are added; a
 * TLS 1.2-only hello has none of the TLS 1.3 extensions (key_share, supported_versions, ...). */
static tg_status client_extensions(tg_conn *c, tg_writer *w, tg_bytes shares, size_t n_shares) {
  static const uint8_t v13[] = {0x03, 0x04, 0x03, 0x03}, dhe[] = {TG_PSK_DHE_KE};
  static const uint8_t uncompressed[] = {0};
  const tg_config *cfg = c->cfg;
  bool is13 = tg_allows13(cfg), is12 = tg_allows12(cfg);
  if (cfg->server_name != NULL)
    tg_server_name_emit_host_name(w, tg_bytes_of(cfg->server_name, strlen(cfg->server_name)));
  tg_renegotiation_info_emit(w, &(tg_renegotiation_info){{NULL, 0}});
  tg_supported_groups_emit(w, &(tg_supported_groups){tg_cfg_list(cfg->groups, tg_default_groups)});
  if (is12)
    tg_ec_point_formats_emit(w, &(tg_ec_point_formats){tg_bytes_of(uncompressed, 1)});
  tg_session_ticket_emit_ch(w, &(tg_session_ticket){offered_ticket(c)});
  if (is13) {
    tg_key_share_emit_ch(w, &(tg_key_share_ch){shares, n_shares});
    tg_supported_versions_emit_ch(w, &(tg_supported_versions_ch){tg_bytes_of(v13, is12 ? 4 : 2)});
  }
  tg_signature_algorithms_emit(
      w, &(tg_signature_scheme_list){tg_cfg_list(cfg->sig_schemes, tg_default_sig_schemes)});
  if (c->cookie.len) /* RFC 8446 §4.2.2: echoed in the second ClientHello */
    tg_cookie_emit(w, &(tg_cookie){tg_writer_bytes(&c->cookie)});
  if (cfg->alpn.len)
    tg_alpn_emit_ch(w, &(tg_alpn_ch){cfg->alpn});
  if (is12)
    tg_extended_master_secret_emit(w);
  if (is12 && tg12_offers_cbc(cfg)) /* RFC 7366 §2: asked for with CBC suites offered */
    tg_encrypt_then_mac_emit(w);
  if (!is13)
    return tg_writer_status(w);
  tg_psk_key_exchange_modes_emit(w, &(tg_psk_key_exchange_modes){tg_bytes_of(dhe, 1)});
  /* RFC 8449 §4: the default, 2^14 + 1 in TLS 1.3, is "no smaller than the protocol limit". */
  tg_record_size_limit_emit(w, &(tg_record_size_limit){tg_own_record_size_limit(c)});
  /* RFC 8446 §4.2.11: pre_shared_key "MUST be the last extension in the ClientHello". */
  if (cfg->resume == NULL || cfg->resume->version != TG_VERSION_TLS12)
    TG_TRY(tg_client_psk_offer(c, w));
  return tg_writer_status(w);
}

/* The legacy_session_id: TLS 1.3 compatibility mode's (RFC 8446 Appendix D.4), or, resuming a
 * TLS 1.2 session, its id, or a fresh one beside its ticket (RFC 5077 §3.4), so that the
 * ServerHello's echo says whether it resumed. */
static void client_session_id(tg_conn *c) {
  const tg_ticket *t = c->cfg->resume;
  c->offered_session = tg_allows12(c->cfg) && t != NULL && t->version == TG_VERSION_TLS12 &&
                       t->psk_len == TG_MASTER_SECRET_LEN &&
                       (t->ticket_len > 0 || t->session_id_len > 0);
  if (c->offered_session && t->ticket_len == 0) {
    c->session_id_len = t->session_id_len;
    memcpy(c->session_id, t->session_id, t->session_id_len);
    return;
  }
  c->session_id_len = c->cfg->middlebox_compat || c->offered_session ? 32 : 0;
  tg_conn_random(c, c->session_id, c->session_id_len);
}

/* Remembers the extension types offered, to refuse unsolicited ones (RFC 8446 §4.2). */
static void note_offered(tg_conn *c, tg_bytes block) {
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  c->n_offered_exts = 0;
  tg_ext_iter_init(&it, block);
  while (tg_ext_next(&it, &type, &data) && c->n_offered_exts < TG_MAX_OFFERED_EXTS)
    c->offered_exts[c->n_offered_exts++] = type;
}

/* The first ClientHello draws the random and fresh keys; the second (after a
 * HelloRetryRequest) keeps the random and legacy_session_id (RFC 8446 §4.1.2). */
static tg_status send_hello(tg_conn *c, bool retry) {
  uint8_t shares_buf[TG_MAX_KEY_SHARES * (4 + TG_KEX_MAX_SHARE)];
  static const uint8_t null_compression[] = {0};
  tg_writer shares;
  size_t n_shares;
  if (!retry) {
    tg_conn_random(c, c->client_random, 32);
    client_session_id(c);
  } else if (c->cfg->middlebox_compat) {
    TG_TRY(tg_send_compat_ccs(c)); /* before the second ClientHello */
  }
  tg_writer_init(&shares, shares_buf, sizeof shares_buf, &c->err);
  n_shares = 0;
  if (!tg_allows13(c->cfg))
    c->n_kex = 0; /* TLS 1.2 only: the ECDHE key comes with the ServerKeyExchange */
  else if (retry && c->hrr_group == 0)
    TG_TRY(same_shares(c, &shares, &n_shares));
  else
    TG_TRY(make_shares(c, &shares, &n_shares));
  tg_writer *ext = tg_ext_scratch(c);
  TG_TRY(client_extensions(c, ext, tg_writer_bytes(&shares), n_shares));
  note_offered(c, tg_writer_bytes(ext));
  tg_handshake m = {.msg_type = TG_HS_client_hello};
  tg_client_hello *ch = &m.u.client_hello;
  ch->legacy_version = TG_VERSION_TLS12; /* RFC 8446 §4.1.2; RFC 5246 §7.4.1.2 client_version */
  memcpy(ch->random, c->client_random, 32);
  ch->legacy_session_id = tg_bytes_of(c->session_id, c->session_id_len);
  ch->cipher_suites = tg_offered_suites(c->cfg);
  ch->legacy_compression_methods = tg_bytes_of(null_compression, 1);
  ch->has_extensions = true;
  ch->extensions = tg_writer_bytes(ext);
  TG_TRY(tg_send_message(c, &m));
  /* A message hook (a scripted endpoint's set_field deviation) may have replaced the
   * legacy_session_id: the ServerHello must echo the one that went on the wire (§4.1.3). One
   * longer than 32 bytes cannot be echoed; the server refuses it. */
  if (ch->legacy_session_id.len <= sizeof c->session_id) {
    if (ch->legacy_session_id.len > 0)
      memmove(c->session_id, ch->legacy_session_id.p, ch->legacy_session_id.len);
    c->session_id_len = ch->legacy_session_id.len;
  }
  return tg_flush_flight(c);
}

/* RFC 8446 §2.3: the 0-RTT data right after the ClientHello, under client_early_traffic_secret
 * of the ticket's suite (§4.2.10: "the first PSK listed"). Appendix D.4: in compatibility mode
 * the change_cipher_spec comes right after the ClientHello. It is not delivered until the
 * server's EncryptedExtensions says so. */
static tg_status send_early_data(tg_conn *c) {
  const tg_cipher_suite *s = c->early_suite;
  if (c->cfg->middlebox_compat)
    TG_TRY(tg_send_compat_ccs(c));
  TG_TRY(tg_ks_early(c, s));
  TG_TRY(tg_prot13_init(
      &c->wr, s, tg_bytes_of(c->ks.client_early_traffic_secret, s->hash->digest_len), &c->err));
  c->wr_on = true;
  c->info.early_data = TG_EARLY_DATA_REJECTED;
  return tg_conn_send_content(c, TG_CT_application_data, c->cfg->early_data);
}

tg_status tg_client_send_hello(tg_conn *c) {
  TG_TRY(send_hello(c, false));
  return c->early_suite != NULL ? send_early_data(c) : TG_OK;
}

/* ---- ServerHello --------------------------------------------------------------------------- */

/* exempt: a type the server may send unasked (the cookie of a HelloRetryRequest), or 0. */
tg_status tg_check_solicited(tg_conn *c, tg_bytes block, const char *msg, uint16_t exempt) {
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  tg_ext_iter_init(&it, block);
  while (tg_ext_next(&it, &type, &data)) {
    bool offered = exempt != 0 && type == exempt;
    for (size_t i = 0; i < c->n_offered_exts; i++)
      offered |= c->offered_exts[i] == type;
    /* RFC 8446 §4.2: "...an extension response which was not advertised in the corresponding
     * request ... MUST abort the handshake with an "unsupported_extension" alert." */
    TG_PEER_CHECK(c, &c->err, offered, unsupported_extension, TG_E_EXT_UNSOLICITED,
                  "%s carries %s (%u), which the ClientHello did not offer", msg,
                  tg_ext_type_name(type) ? tg_ext_type_name(type) : "an extension", type);
  }
  return TG_OK;
}

/* Without supported_versions the server negotiated legacy_version (RFC 8446 §4.1.3). */
static tg_status server_hello_legacy_version(tg_conn *c, const tg_server_hello *sh) {
  /* RFC 8446 §4.1.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below MUST
   * check that the last 8 bytes are not equal to either of these values ... If a match is found,
   * the client MUST abort the handshake with an "illegal_parameter" alert." */
  TG_PEER_CHECK(c, &c->err,
                !tg_allows13(c->cfg) || tg_server_hello_downgrade(sh) == TG_DOWNGRADE_NONE,
                illegal_parameter, TG_E_BAD_VALUE,
                "ServerHello negotiates 0x%04x with the downgrade sentinel in its random",
                sh->legacy_version);
  /* A version this client does not offer: protocol_version (RFC 8446 §4.2.1 / §6.2, RFC 5246
   * Appendix E.1). TLS 1.2 never follows a HelloRetryRequest (RFC 8446 §4.1.4). */
  TG_ENSURE(&c->err, tg_allows12(c->cfg) && !c->info.hello_retry, protocol_version, TG_E_BAD_VALUE,
            "ServerHello has no supported_versions: the server chose legacy_version 0x%04x",
            sh->legacy_version);
  /* Permissive (permissive.h): any other legacy_version is read as TLS 1.2. */
  TG_PEER_CHECK(c, &c->err, sh->legacy_version == TG_VERSION_TLS12, protocol_version,
                TG_E_BAD_VALUE,
                "ServerHello has no supported_versions: the server chose legacy_version 0x%04x",
                sh->legacy_version);
  c->info.version = TG_VERSION_TLS12;
  return TG_OK;
}

static tg_status server_hello_version(tg_conn *c, const tg_server_hello *sh) {
  tg_bytes body;
  tg_supported_versions_sh sv;
  /* RFC 8446 Appendix D.5: "Any endpoint receiving a Hello message with ... legacy_version set to
   * 0x0300 MUST abort the handshake with a "protocol_version" alert." */
  /* Permissive (permissive.h): with supported_versions, legacy_version is not looked at. */
  if (!tg_ext_find(sh->extensions, TG_EXT_supported_versions, &body)) {
    TG_ENSURE(&c->err, sh->legacy_version > TG_VERSION_SSL30, protocol_version, TG_E_BAD_VALUE,
              "ServerHello.legacy_version 0x%04x is SSL 3.0 or older (RFC 8446 D.5)",
              sh->legacy_version);
    return server_hello_legacy_version(c, sh);
  }
  TG_PEER_CHECK(c, &c->err, sh->legacy_version > TG_VERSION_SSL30, protocol_version, TG_E_BAD_VALUE,
                "ServerHello.legacy_version 0x%04x is SSL 3.0 or older (RFC 8446 D.5)",
                sh->legacy_version);
  /* Permissive: a selected_version the extension's own check refuses (below TLS 1.3) is read
   * as TLS 1.3, as one that was not offered. */
  sv.selected_version = 0;
  TG_TRY(TG_TOLERATE(c, tg_supported_versions_parse_sh(body, &sv, &c->err)));
  /* RFC 8446 §4.2.1: a version not offered is illegal_parameter. */
  TG_PEER_CHECK(c, &c->err, sv.selected_version == TG_VERSION_TLS13 && tg_allows13(c->cfg),
                illegal_parameter, TG_E_BAD_VALUE,
                "ServerHello.supported_versions selects 0x%04x, not offered", sv.selected_version);
  c->info.version = TG_VERSION_TLS13;
  return TG_OK;
}

static tg_status server_hello_suite(tg_conn *c, const tg_server_hello *sh) {
  /* RFC 8446 §4.1.4: the ServerHello's cipher suite must be the HelloRetryRequest's. */
  /* Permissive (permissive.h): the HelloRetryRequest's suite stays (the transcript hash is
   * its). */
  TG_PEER_CHECK_OR(c, &c->err, !c->info.hello_retry || sh->cipher_suite == c->ks.suite->id,
                   return TG_OK, illegal_parameter, TG_E_BAD_VALUE,
                   "ServerHello.cipher_suite 0x%04x differs from the HelloRetryRequest's 0x%04x",
                   sh->cipher_suite, c->ks.suite ? c->ks.suite->id : 0);
  const tg_cipher_suite *suite = tg_find_suite(c, sh->cipher_suite);
  tg_bytes offered = tg_offered_suites(c->cfg);
  /* RFC 8446 §4.1.3: "A client which receives a cipher suite that was not offered MUST abort
   * the handshake with an "illegal_parameter" alert." Permissive: any TLS 1.3 suite this
   * engine implements will do. */
  TG_ENSURE(&c->err, suite != NULL && suite->max_version >= TG_VERSION_TLS13, illegal_parameter,
            TG_E_BAD_VALUE, "ServerHello.cipher_suite 0x%04x was not offered", sh->cipher_suite);
  TG_PEER_CHECK(c, &c->err, tg_u16s_contains(offered, sh->cipher_suite), illegal_parameter,
                TG_E_BAD_VALUE, "ServerHello.cipher_suite 0x%04x was not offered",
                sh->cipher_suite);
  tg_ks_set_suite(c, suite);
  return TG_OK;
}

/* The (EC)DHE secret from the server's share (RFC 8446 §4.2.8). */
static tg_status server_hello_share(tg_conn *c, const tg_server_hello *sh, uint8_t *secret,
                                    size_t *secret_len) {
  tg_bytes body;
  tg_key_share_sh ks;
  TG_ENSURE(&c->err, tg_ext_find(sh->extensions, TG_EXT_key_share, &body), missing_extension,
            TG_E_BAD_VALUE, "ServerHello has no key_share (RFC 8446 9.2)");
  TG_TRY(tg_key_share_parse_sh(body, &ks, &c->err));
  const tg_kex_private *key = NULL;
  for (size_t i = 0; i < c->n_kex; i++)
    if (c->kex[i].group->group == ks.server_share.group)
      key = &c->kex[i];
  /* RFC 8446 §4.2.8: the server's share MUST be in the same group as one of the client's. */
  TG_ENSURE(&c->err, key != NULL, illegal_parameter, TG_E_BAD_VALUE,
            "ServerHello.key_share group 0x%04x has no share in the ClientHello",
            ks.server_share.group);
  TG_TRY(tg_kex_derive(key, ks.server_share.key_exchange, secret, &c->err));
  *secret_len = key->group->secret_len;
  c->info.group = ks.server_share.group;
  return TG_OK;
}

static tg_status session_id_echo(tg_conn *c, const tg_server_hello *sh) {
  /* RFC 8446 §4.1.3: legacy_session_id_echo must be the client's; else illegal_parameter. */
  TG_PEER_CHECK(
      c, &c->err,
      tg_bytes_eq(sh->legacy_session_id_echo, tg_bytes_of(c->session_id, c->session_id_len)),
      illegal_parameter, TG_E_BAD_VALUE,
      "ServerHello.legacy_session_id_echo differs from the ClientHello's");
  return TG_OK;
}

tg_status tg_client_on_server_hello(tg_conn *c, const tg_handshake *m) {
  const tg_server_hello *sh = &m->u.server_hello;
  uint8_t secret[TG_KEX_MAX_SECRET];
  size_t secret_len;
  TG_TRY(server_hello_version(c, sh));
  if (tg_is12(c))
    return tg12_client_on_server_hello(c, sh);
  TG_TRY(session_id_echo(c, sh));
  TG_TRY(server_hello_suite(c, sh));
  TG_TRY(tg_check_solicited(c, sh->extensions, "ServerHello", 0));
  TG_TRY(server_hello_share(c, sh, secret, &secret_len));
  TG_TRY(tg_client_psk_accepted(c, sh));
  tg_status st = tg_ks_handshake(c, tg_bytes_of(secret, secret_len));
  explicit_bzero(secret, sizeof secret);
  TG_TRY(st);
  TG_TRY(tg_install_read(c, c->ks.server_handshake_traffic_secret));
  /* From here on the client's records (its Finished, or an alert) use its handshake keys; after
   * 0-RTT, from the EncryptedExtensions that rejects it or the EndOfEarlyData that ends it on. */
  if (c->early_suite != NULL)
    return TG_OK;
  return tg_install_write(c, c->ks.client_handshake_traffic_secret);
}

/* ---- HelloRetryRequest (RFC 8446 §4.1.4) ------------------------------------------------- */

static tg_status hrr_key_share(tg_conn *c, const tg_server_hello *hrr) {
  tg_bytes body;
  tg_key_share_hrr ks;
  if (!tg_ext_find(hrr->extensions, TG_EXT_key_share, &body))
    return TG_OK;
  TG_TRY(tg_key_share_parse_hrr(body, &ks, &c->err));
  bool shared = false;
  for (size_t i = 0; i < c->n_kex; i++)
    shared |= c->kex[i].group->group == ks.selected_group;
  /* RFC 8446 §4.2.8: the selected_group must be in supported_groups and not already shared;
   * otherwise illegal_parameter. */
  TG_ENSURE(&c->err, tg_group_find(ks.selected_group) != NULL, illegal_parameter, TG_E_BAD_VALUE,
            "HelloRetryRequest.key_share selects 0x%04x, which was not offered", ks.selected_group);
  /* Permissive (permissive.h): a share for any group this engine implements is made. */
  TG_PEER_CHECK(c, &c->err,
                !shared && tg_u16s_contains(tg_cfg_list(c->cfg->groups, tg_default_groups),
                                            ks.selected_group),
                illegal_parameter, TG_E_BAD_VALUE, "HelloRetryRequest.key_share selects 0x%04x, %s",
                ks.selected_group, shared ? "which already has a share" : "which was not offered");
  c->hrr_group = ks.selected_group;
  return TG_OK;
}

static tg_status hrr_cookie(tg_conn *c, const tg_server_hello *hrr) {
  tg_bytes body;
  tg_cookie cookie;
  if (!tg_ext_find(hrr->extensions, TG_EXT_cookie, &body))
    return TG_OK;
  TG_TRY(tg_cookie_parse(body, &cookie, &c->err));
  tg_w_view(&c->cookie, cookie.cookie);
  return tg_writer_status(&c->cookie);
}

tg_status tg_client_on_hello_retry_request(tg_conn *c, const tg_handshake *m) {
  const tg_server_hello *hrr = &m->u.server_hello;
  uint8_t ch1_hash[TG_MAX_HASH_LEN];
  c->t12_on = false; /* RFC 8446 §4.1.4: a HelloRetryRequest means TLS 1.3 */
  TG_TRY(server_hello_version(c, hrr));
  TG_TRY(session_id_echo(c, hrr));
  TG_TRY(server_hello_suite(c, hrr));
  TG_TRY(tg_check_solicited(c, hrr->extensions, "HelloRetryRequest", TG_EXT_cookie));
  TG_TRY(hrr_key_share(c, hrr));
  TG_TRY(hrr_cookie(c, hrr));
  /* RFC 8446 §4.1.4: a HelloRetryRequest that would not change the ClientHello is
   * illegal_parameter. */
  TG_PEER_CHECK(c, &c->err, c->hrr_group != 0 || c->cookie.len > 0, illegal_parameter,
                TG_E_BAD_VALUE, "HelloRetryRequest asks for neither a key share nor a cookie");
  c->info.hello_retry = true;
  /* RFC 8446 §4.2.10: the early data sent is lost; the second ClientHello goes in the clear and
   * offers none. */
  c->early_suite = NULL;
  c->wr_on = false;
  /* The transcript restarts as message_hash(ClientHello1) || HelloRetryRequest. */
  tg_hash_peek(&c->th_prev[c->th_sel], ch1_hash);
  tg_transcript_restart(c, ch1_hash);
  tg_transcript_add(c, c->cur_msg);
  return send_hello(c, true);
}

/* ---- EncryptedExtensions ------------------------------------------------------------------- */

tg_status tg_client_selected_alpn(tg_conn *c, tg_bytes body) {
  tg_alpn_sh sel;
  TG_TRY(tg_alpn_parse_sh(body, &sel, &c->err));
  /* RFC 7301 §3.1: the server selects one of the client's protocols. */
  TG_PEER_CHECK(c, &c->err, tg_alpn_offers(&(tg_alpn_ch){c->cfg->alpn}, sel.protocol_name),
                illegal_parameter, TG_E_BAD_VALUE,
                "EncryptedExtensions.application_layer_protocol_negotiation selects a protocol "
                "that was not offered");
  memcpy(c->alpn_buf, sel.protocol_name.p, sel.protocol_name.len);
  c->info.alpn = tg_bytes_of(c->alpn_buf, sel.protocol_name.len);
  return TG_OK;
}

/* RFC 8446 §4.2.10: early_data in EncryptedExtensions accepts the 0-RTT data (tg_check_solicited
 * refused it unoffered: unsupported_extension); without it the data was not delivered. */
static tg_status encrypted_extensions_early_data(tg_conn *c, tg_bytes block) {
  tg_bytes body;
  if (!tg_ext_find(block, TG_EXT_early_data, &body)) {
    if (c->early_suite == NULL)
      return TG_OK;
    c->early_suite = NULL;
    return tg_install_write(c, c->ks.client_handshake_traffic_secret);
  }
  TG_TRY(tg_early_data_parse_empty(body, &c->err));
  /* "If the server has supplied an "early_data" extension, the client MUST verify that the
   * server's selected_identity is 0 [and] that the server selected ... the cipher suite
   * associated with the PSK" (§4.2.10, §4.2.11), else illegal_parameter. */
  TG_PEER_CHECK(
      c, &c->err, c->early_suite != NULL && c->info.resumed && c->early_suite == c->ks.suite,
      illegal_parameter, TG_E_BAD_VALUE, "EncryptedExtensions accepts early data %s",
      c->early_suite == NULL ? "that was not sent" : "without the ticket's PSK and cipher suite");
  c->info.early_data = TG_EARLY_DATA_ACCEPTED;
  return TG_OK;
}

/* RFC 8446 §4.5: with 0-RTT accepted, EndOfEarlyData (under the early keys) comes after the
 * server Finished, then the client's flight under its handshake keys. */
tg_status tg_client_on_finished_eoed(tg_conn *c, const tg_handshake *m) {
  TG_TRY(tg_client_check_server_finished(c, m));
  tg_handshake eoed = {.msg_type = TG_HS_end_of_early_data};
  TG_TRY(tg_send_message(c, &eoed));
  TG_TRY(tg_flush_flight(c));
  TG_TRY(tg_install_write(c, c->ks.client_handshake_traffic_secret));
  return tg_client_second_flight(c);
}

tg_status tg_client_on_encrypted_extensions(tg_conn *c, const tg_handshake *m) {
  tg_bytes block = m->u.encrypted_extensions.extensions, body;
  TG_TRY(tg_check_solicited(c, block, "EncryptedExtensions", 0));
  if (tg_ext_find(block, TG_EXT_server_name, &body))
    TG_TRY(tg_server_name_parse_sh(body, &c->err));
  if (tg_ext_find(block, TG_EXT_application_layer_protocol_negotiation, &body))
    TG_TRY(tg_client_selected_alpn(c, body));
  TG_TRY(encrypted_extensions_early_data(c, block));
  if (tg_ext_find(block, TG_EXT_record_size_limit, &body)) {
    tg_record_size_limit rsl;
    tg_status st = tg_record_size_limit_parse(body, &rsl, &c->err);
    /* Permissive (permissive.h): a limit the extension's check refuses is ignored. */
    TG_TRY(TG_TOLERATE(c, st));
    if (st == TG_OK)
      c->peer_record_size_limit = rsl.record_size_limit;
  }
  return TG_OK;
}

tg_status tg_client_on_certificate_request(tg_conn *c, const tg_handshake *m) {
  const tg_certificate_request *cr = &m->u.certificate_request;
  tg_bytes body;
  tg_signature_scheme_list sl;
  /* RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be specified". */
  memcpy(c->cr_context, cr->certificate_request_context.p, cr->certificate_request_context.len);
  c->cr_context_len = cr->certificate_request_context.len;
  c->cert_requested = true;
  c->sig = NULL; /* an empty answer */
  /* Permissive (permissive.h): without the extension the answer is an empty Certificate. */
  TG_PEER_CHECK_OR(c, &c->err, tg_ext_find(cr->extensions, TG_EXT_signature_algorithms, &body),
                   return TG_OK, missing_extension, TG_E_BAD_VALUE,
                   "CertificateRequest lacks signature_algorithms (RFC 8446 4.3.2)");
  TG_TRY(tg_signature_algorithms_parse(body, &sl, &c->err));
  c->sig = tg_pick_sig_scheme(c, sl.supported_signature_algorithms); /* NULL: empty answer */
  return TG_OK;
}
