/* Finished (RFC 8446 §4.4.4, RFC 5246 §7.4.9): verify_data, Hash.length bytes in TLS 1.3 and 12
 * bytes in TLS 1.2. Its value is checked by the engine (in constant time), not here. */
#ifndef TG_HS_FINISHED_H
#define TG_HS_FINISHED_H

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

typedef struct tg_finished {
  tg_bytes verify_data;
} tg_finished;

TG_MUST_CHECK tg_status tg_finished_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                           tg_finished *out);
void tg_finished_encode(tg_writer *w, const struct tg_hs_ctx *ctx, const tg_finished *m);
void tg_finished_describe(tg_dump *d, const struct tg_hs_ctx *ctx, const tg_finished *m);

#endif
