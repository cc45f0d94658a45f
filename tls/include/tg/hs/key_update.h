/* KeyUpdate (RFC 8446 §4.6.3): the sender updated its keys and may ask the peer to do the same. */
#ifndef TG_HS_KEY_UPDATE_H
#define TG_HS_KEY_UPDATE_H

#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

/* KeyUpdateRequest */
enum tg_key_update_request {
  TG_KEY_UPDATE_update_not_requested = 0,
  TG_KEY_UPDATE_update_requested = 1,
};

typedef struct tg_key_update {
  uint8_t request_update; /* enum tg_key_update_request */
} tg_key_update;

TG_MUST_CHECK tg_status tg_key_update_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                             tg_key_update *out);
void tg_key_update_encode(tg_writer *w, const struct tg_hs_ctx *ctx, const tg_key_update *m);
void tg_key_update_describe(tg_dump *d, const struct tg_hs_ctx *ctx, const tg_key_update *m);

#endif
