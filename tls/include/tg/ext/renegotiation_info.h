/* renegotiation_info (RFC 5746 §3.2), a TLS 1.2 extension: the verify_data of the previous
 * handshake(s), empty on an initial handshake. The same form in ClientHello and ServerHello. */
#ifndef TG_EXT_RENEGOTIATION_INFO_H
#define TG_EXT_RENEGOTIATION_INFO_H

#include "tg/extensions.h"

/* struct { opaque renegotiated_connection<0..255>; } RenegotiationInfo; */
typedef struct tg_renegotiation_info {
  tg_bytes renegotiated_connection;
} tg_renegotiation_info;

extern const tg_ext_desc tg_ext_renegotiation_info_desc;

TG_MUST_CHECK tg_status tg_renegotiation_info_parse(tg_bytes body, tg_renegotiation_info *out,
                                                    tg_err *err);
void tg_renegotiation_info_emit(tg_writer *w, const tg_renegotiation_info *ri);

#endif
