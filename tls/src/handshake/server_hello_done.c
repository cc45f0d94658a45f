/* ServerHelloDone (RFC 5246 §7.4.5). */
#include <string.h>

#include "tg/handshake.h"

/* RFC 5246 §7.4.5:
 *   struct { } ServerHelloDone;
 * Any byte in the body is a decode_error. */
tg_status tg_server_hello_done_decode(tg_reader *body, const tg_hs_ctx *ctx,
                                      tg_server_hello_done *out) {
  (void)ctx;
  memset(out, 0, sizeof *out);
  return tg_read_done(body, "ServerHelloDone");
}

void tg_server_hello_done_encode(tg_writer *w, const tg_hs_ctx *ctx,
                                 const tg_server_hello_done *m) {
  (void)w;
  (void)ctx;
  (void)m;
}

void tg_server_hello_done_describe(tg_dump *d, const tg_hs_ctx *ctx,
                                   const tg_server_hello_done *m) {
  (void)d;
  (void)ctx;
  (void)m;
}
