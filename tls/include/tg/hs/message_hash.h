/* message_hash (RFC 8446 §4.4.1): the synthetic handshake message that replaces ClientHello1 in
 * the transcript after a HelloRetryRequest; its body is Hash(ClientHello1). */
#ifndef TG_HS_MESSAGE_HASH_H
#define TG_HS_MESSAGE_HASH_H

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

typedef struct tg_message_hash {
  tg_bytes hash; /* Hash(ClientHello1) */
} tg_message_hash;

TG_MUST_CHECK tg_status tg_message_hash_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                               tg_message_hash *out);
void tg_message_hash_encode(tg_writer *w, const struct tg_hs_ctx *ctx, const tg_message_hash *m);
void tg_message_hash_describe(tg_dump *d, const struct tg_hs_ctx *ctx, const tg_message_hash *m);

#endif
