/* EncryptedExtensions (RFC 8446 §4.3.1): a TLS 1.3 extensions block, checked against the
 * extensions allowed in that message. */
#ifndef TG_HS_ENCRYPTED_EXTENSIONS_H
#define TG_HS_ENCRYPTED_EXTENSIONS_H

#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

typedef struct tg_encrypted_extensions {
  tg_bytes extensions; /* <0..2^16-1>, body without its length */
} tg_encrypted_extensions;

TG_MUST_CHECK tg_status tg_encrypted_extensions_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                                       tg_encrypted_extensions *out);
void tg_encrypted_extensions_encode(tg_writer *w, const struct tg_hs_ctx *ctx,
                                    const tg_encrypted_extensions *m);
void tg_encrypted_extensions_describe(tg_dump *d, const struct tg_hs_ctx *ctx,
                                      const tg_encrypted_extensions *m);

#endif
