/* extended_master_secret (RFC 7627): the TLS 1.2 master secret is bound to the handshake
 * transcript. ClientHello and ServerHello; the extension_data is empty (RFC 7627 §5.1). TLS 1.3
 * does not use it (RFC 8446 §4.2 does not list it). */
#ifndef TG_EXT_EXTENDED_MASTER_SECRET_H
#define TG_EXT_EXTENDED_MASTER_SECRET_H

#include "tg/extensions.h"

extern const tg_ext_desc tg_ext_extended_master_secret_desc;

/* A non-empty body is decode_error. */
TG_MUST_CHECK tg_status tg_extended_master_secret_parse(tg_bytes body, tg_err *err);
void tg_extended_master_secret_emit(tg_writer *w);

#endif
