/* EndOfEarlyData (RFC 8446 §4.5). */
#include <string.h>

#include "tg/handshake.h"

/* RFC 8446 §4.5:
 *   struct {} EndOfEarlyData;
 * Any byte in the body is a decode_error. */
tg_status tg_end_of_early_data_decode(tg_reader *body, const tg_hs_ctx *ctx,
                                      tg_end_of_early_data *out) {
  (void)ctx;
  memset(out, 0, sizeof *out);
  return tg_read_done(body, "EndOfEarlyData");
}

void tg_end_of_early_data_encode(tg_writer *w, const tg_hs_ctx *ctx,
                                 const tg_end_of_early_data *m) {
  (void)w;
  (void)ctx;
  (void)m;
}

void tg_end_of_early_data_describe(tg_dump *d, const tg_hs_ctx *ctx,
                                   const tg_end_of_early_data *m) {
  (void)d;
  (void)ctx;
  (void)m;
}
