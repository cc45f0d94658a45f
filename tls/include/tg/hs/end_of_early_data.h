/* EndOfEarlyData (RFC 8446 §4.5): the client's last 0-RTT message; its body is empty. */
#ifndef TG_HS_END_OF_EARLY_DATA_H
#define TG_HS_END_OF_EARLY_DATA_H

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

typedef struct tg_end_of_early_data {
  char unused_; /* C has no empty structs; the message has no fields */
} tg_end_of_early_data;

TG_MUST_CHECK tg_status tg_end_of_early_data_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                                    tg_end_of_early_data *out);
void tg_end_of_early_data_encode(tg_writer *w, const struct tg_hs_ctx *ctx,
                                 const tg_end_of_early_data *m);
void tg_end_of_early_data_describe(tg_dump *d, const struct tg_hs_ctx *ctx,
                                   const tg_end_of_early_data *m);

#endif
