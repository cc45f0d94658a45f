/* encrypt_then_mac (RFC 7366): TLS 1.2 CBC suites MAC the ciphertext instead of the plaintext.
 * ClientHello and ServerHello; the extension_data is empty (RFC 7366 §2). TLS 1.3 does not use
 * it (RFC 8446 §4.2 does not list it). */
#ifndef TG_EXT_ENCRYPT_THEN_MAC_H
#define TG_EXT_ENCRYPT_THEN_MAC_H

#include "tg/extensions.h"

extern const tg_ext_desc tg_ext_encrypt_then_mac_desc;

/* A non-empty body is decode_error. */
TG_MUST_CHECK tg_status tg_encrypt_then_mac_parse(tg_bytes body, tg_err *err);
void tg_encrypt_then_mac_emit(tg_writer *w);

#endif
