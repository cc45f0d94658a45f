/* The structured parse and re-emit of every extension, by message form: the same switch serves
 * the fuzz_extensions oracle and the extension unit tests (tests/ext_b_malformed_test.c). */
#ifndef TG_FUZZ_EXT_REEMIT_H
#define TG_FUZZ_EXT_REEMIT_H

#include <stdbool.h>

#include "tg/ext/alpn.h"
#include "tg/ext/certificate_authorities.h"
#include "tg/ext/cookie.h"
#include "tg/ext/early_data.h"
#include "tg/ext/ec_point_formats.h"
#include "tg/ext/encrypt_then_mac.h"
#include "tg/ext/extended_master_secret.h"
#include "tg/ext/key_share.h"
#include "tg/ext/max_fragment_length.h"
#include "tg/ext/padding.h"
#include "tg/ext/post_handshake_auth.h"
#include "tg/ext/pre_shared_key.h"
#include "tg/ext/psk_key_exchange_modes.h"
#include "tg/ext/record_size_limit.h"
#include "tg/ext/renegotiation_info.h"
#include "tg/ext/server_name.h"
#include "tg/ext/session_ticket.h"
#include "tg/ext/signature_algorithms_cert.h"
#include "tg/ext/status_request.h"
#include "tg/ext/supported_groups.h"
#include "tg/ext/supported_versions.h"
#include "tg/extensions.h"
#include "tg/names.h"

/* Parses a known extension in the form its check uses for that message and re-emits it into w
 * (when w is not NULL); false for a type without a structured parse. Two functions, one per half
 * of the extensions. */
static inline bool reemit_a(uint16_t type, enum tg_ext_ctx ctx, tg_bytes b, tg_err *err, tg_writer *w,
                     tg_status *st) {
  union {
    tg_server_name_ch sn;
    tg_max_fragment_length mfl;
    tg_status_request_ch sr;
    tg_status_request_ct cs;
    tg_supported_groups sg;
    tg_ec_point_formats pf;
    tg_signature_scheme_list sl;
    tg_alpn_ch alpn_ch;
    tg_alpn_sh alpn_sh;
    tg_padding pad;
    tg_record_size_limit rsl;
  } u;
  bool ch = ctx == TG_CTX_CH;
#define FORM(cond, parse, emit)                                                                    \
  if (cond) {                                                                                      \
    if ((*st = (parse)) == TG_OK && w != NULL)                                                     \
      emit;                                                                                        \
    return true;                                                                                   \
  }
  switch (type) {
  case TG_EXT_server_name:
    FORM(ch, tg_server_name_parse_ch(b, &u.sn, err), tg_server_name_emit_ch(w, &u.sn));
    FORM(true, tg_server_name_parse_sh(b, err), tg_server_name_emit_sh(w));
    break;
  case TG_EXT_max_fragment_length:
    FORM(true, tg_max_fragment_length_parse(b, &u.mfl, err),
         tg_max_fragment_length_emit(w, &u.mfl));
    break;
  case TG_EXT_status_request:
    FORM(ch, tg_status_request_parse_ch(b, &u.sr, err), tg_status_request_emit_ch(w, &u.sr));
    FORM(ctx == TG_CTX_CR, tg_status_request_parse_cr(b, &u.sr, err),
         tg_status_request_emit_ch(w, &u.sr));
    FORM(ctx == TG_CTX_CT, tg_status_request_parse_ct(b, &u.cs, err),
         tg_status_request_emit_ct(w, &u.cs));
    FORM(true, tg_status_request_parse_sh(b, err), tg_status_request_emit_empty(w));
    break;
  case TG_EXT_supported_groups:
    FORM(true, tg_supported_groups_parse(b, &u.sg, err), tg_supported_groups_emit(w, &u.sg));
    break;
  case TG_EXT_ec_point_formats:
    FORM(true, tg_ec_point_formats_parse(b, &u.pf, err), tg_ec_point_formats_emit(w, &u.pf));
    break;
  case TG_EXT_signature_algorithms:
    FORM(true, tg_signature_algorithms_parse(b, &u.sl, err),
         tg_signature_algorithms_emit(w, &u.sl));
    break;
  case TG_EXT_signature_algorithms_cert:
    FORM(true, tg_signature_algorithms_cert_parse(b, &u.sl, err),
         tg_signature_algorithms_cert_emit(w, &u.sl));
    break;
  case TG_EXT_application_layer_protocol_negotiation:
    FORM(ch, tg_alpn_parse_ch(b, &u.alpn_ch, err), tg_alpn_emit_ch(w, &u.alpn_ch));
    FORM(true, tg_alpn_parse_sh(b, &u.alpn_sh, err), tg_alpn_emit_sh(w, &u.alpn_sh));
    break;
  case TG_EXT_padding:
    FORM(true, tg_padding_parse(b, &u.pad, err), tg_padding_emit(w, &u.pad));
    break;
  case TG_EXT_encrypt_then_mac:
    FORM(true, tg_encrypt_then_mac_parse(b, err), tg_encrypt_then_mac_emit(w));
    break;
  case TG_EXT_extended_master_secret:
    FORM(true, tg_extended_master_secret_parse(b, err), tg_extended_master_secret_emit(w));
    break;
  case TG_EXT_record_size_limit:
    FORM(true, tg_record_size_limit_parse(b, &u.rsl, err), tg_record_size_limit_emit(w, &u.rsl));
    break;
  }
#undef FORM
  return false;
}

static inline bool reemit_b(uint16_t type, enum tg_ext_ctx ctx, tg_bytes b, tg_err *err, tg_writer *w,
                     tg_status *st) {
  union {
    tg_session_ticket st;
    tg_pre_shared_key_ch psk_ch;
    tg_pre_shared_key_sh psk_sh;
    tg_early_data_nst ed;
    tg_supported_versions_ch sv_ch;
    tg_supported_versions_sh sv_sh;
    tg_cookie c;
    tg_psk_key_exchange_modes pm;
    tg_certificate_authorities ca;
    tg_key_share_ch ks_ch;
    tg_key_share_sh ks_sh;
    tg_key_share_hrr ks_hrr;
    tg_renegotiation_info ri;
  } u;
  bool sh = ctx == TG_CTX_SH, hrr = ctx == TG_CTX_HRR;
#define FORM(cond, parse, emit)                                                                    \
  if (cond) {                                                                                      \
    if ((*st = (parse)) == TG_OK && w != NULL)                                                     \
      emit;                                                                                        \
    return true;                                                                                   \
  }
  switch (type) {
  case TG_EXT_session_ticket:
    FORM(sh, tg_session_ticket_parse_sh(b, err), tg_session_ticket_emit_sh(w));
    FORM(true, tg_session_ticket_parse_ch(b, &u.st, err), tg_session_ticket_emit_ch(w, &u.st));
    break;
  case TG_EXT_pre_shared_key:
    FORM(sh, tg_pre_shared_key_parse_sh(b, &u.psk_sh, err),
         tg_pre_shared_key_emit_sh(w, &u.psk_sh));
    FORM(true, tg_pre_shared_key_parse_ch(b, &u.psk_ch, err),
         tg_pre_shared_key_emit_ch(w, &u.psk_ch));
    break;
  case TG_EXT_early_data:
    FORM(ctx == TG_CTX_NST, tg_early_data_parse_nst(b, &u.ed, err),
         tg_early_data_emit_nst(w, &u.ed));
    FORM(true, tg_early_data_parse_empty(b, err), tg_early_data_emit_empty(w));
    break;
  case TG_EXT_supported_versions:
    FORM(sh || hrr, tg_supported_versions_parse_sh(b, &u.sv_sh, err),
         tg_supported_versions_emit_sh(w, &u.sv_sh));
    FORM(true, tg_supported_versions_parse_ch(b, &u.sv_ch, err),
         tg_supported_versions_emit_ch(w, &u.sv_ch));
    break;
  case TG_EXT_cookie: FORM(true, tg_cookie_parse(b, &u.c, err), tg_cookie_emit(w, &u.c)); break;
  case TG_EXT_psk_key_exchange_modes:
    FORM(true, tg_psk_key_exchange_modes_parse(b, &u.pm, err),
         tg_psk_key_exchange_modes_emit(w, &u.pm));
    break;
  case TG_EXT_certificate_authorities:
    FORM(true, tg_certificate_authorities_parse(b, &u.ca, err),
         tg_certificate_authorities_emit(w, &u.ca));
    break;
  case TG_EXT_post_handshake_auth:
    FORM(true, tg_post_handshake_auth_parse(b, err), tg_post_handshake_auth_emit(w));
    break;
  case TG_EXT_key_share:
    FORM(sh, tg_key_share_parse_sh(b, &u.ks_sh, err), tg_key_share_emit_sh(w, &u.ks_sh));
    FORM(hrr, tg_key_share_parse_hrr(b, &u.ks_hrr, err), tg_key_share_emit_hrr(w, &u.ks_hrr));
    FORM(true, tg_key_share_parse_ch(b, &u.ks_ch, err), tg_key_share_emit_ch(w, &u.ks_ch));
    break;
  case TG_EXT_renegotiation_info:
    FORM(true, tg_renegotiation_info_parse(b, &u.ri, err), tg_renegotiation_info_emit(w, &u.ri));
    break;
  }
#undef FORM
  return false;
}

/* Both halves: true when type has a structured parse; *st is its result. */
static inline bool tg_ext_reemit(uint16_t type, enum tg_ext_ctx ctx, tg_bytes b, tg_err *err,
                                 tg_writer *w, tg_status *st) {
  return reemit_a(type, ctx, b, err, w, st) || reemit_b(type, ctx, b, err, w, st);
}

#endif
