/* supported_versions (RFC 8446 §4.2.1): the versions a client offers, in preference order, and
 * the one the server selected (ServerHello and HelloRetryRequest). */
#ifndef TG_EXT_SUPPORTED_VERSIONS_H
#define TG_EXT_SUPPORTED_VERSIONS_H

#include "tg/extensions.h"

/* ClientHello: struct { ProtocolVersion versions<2..254>; } */
typedef struct tg_supported_versions_ch {
  tg_bytes versions; /* the u16 list as wire bytes: tg_u16s_count / tg_u16s_get */
} tg_supported_versions_ch;

/* ServerHello, HelloRetryRequest: struct { ProtocolVersion selected_version; } */
typedef struct tg_supported_versions_sh {
  uint16_t selected_version;
} tg_supported_versions_sh;

extern const tg_ext_desc tg_ext_supported_versions_desc;

TG_MUST_CHECK tg_status tg_supported_versions_parse_ch(tg_bytes body, tg_supported_versions_ch *out,
                                                       tg_err *err);
/* Also for HelloRetryRequest. A selected_version below TLS 1.3 is illegal_parameter. */
TG_MUST_CHECK tg_status tg_supported_versions_parse_sh(tg_bytes body, tg_supported_versions_sh *out,
                                                       tg_err *err);

void tg_supported_versions_emit_ch(tg_writer *w, const tg_supported_versions_ch *sv);
void tg_supported_versions_emit_sh(tg_writer *w, const tg_supported_versions_sh *sv);

#endif
