/* ServerHelloDone (RFC 5246 §7.4.5): the end of the TLS 1.2 server flight; its body is empty. */
#ifndef TG_HS_SERVER_HELLO_DONE_H
#define TG_HS_SERVER_HELLO_DONE_H

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

typedef struct tg_server_hello_done {
  char unused_; /* C has no empty structs; the message has no fields */
} tg_server_hello_done;

TG_MUST_CHECK tg_status tg_server_hello_done_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                                    tg_server_hello_done *out);
void tg_server_hello_done_encode(tg_writer *w, const struct tg_hs_ctx *ctx,
                                 const tg_server_hello_done *m);
void tg_server_hello_done_describe(tg_dump *d, const struct tg_hs_ctx *ctx,
                                   const tg_server_hello_done *m);

#endif
