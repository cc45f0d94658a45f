/* post_handshake_auth (RFC 8446 §4.2.6): a ClientHello flag with an empty body saying the client
 * will answer a CertificateRequest after the handshake. */
#ifndef TG_EXT_POST_HANDSHAKE_AUTH_H
#define TG_EXT_POST_HANDSHAKE_AUTH_H

#include "tg/extensions.h"

extern const tg_ext_desc tg_ext_post_handshake_auth_desc;

/* The body must be empty. */
TG_MUST_CHECK tg_status tg_post_handshake_auth_parse(tg_bytes body, tg_err *err);
void tg_post_handshake_auth_emit(tg_writer *w);

#endif
