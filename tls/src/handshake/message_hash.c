/* message_hash (RFC 8446 §4.4.1). */
#include <string.h>

#include "tg/handshake.h"

/* RFC 8446 §4.4.1: after a HelloRetryRequest, ClientHello1 is replaced in the transcript by
 *   Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
 *       Hash(message_hash ||        // Handshake type
 *            00 00 Hash.length  ||  // Handshake message length (bytes)
 *            Hash(ClientHello1) ||  // Hash of ClientHello1
 *            HelloRetryRequest  || ... || Mn)
 * so the body is exactly Hash.length bytes: 32 or 48 for the TLS 1.3 suites' hashes. */
tg_status tg_message_hash_decode(tg_reader *body, const tg_hs_ctx *ctx, tg_message_hash *out) {
  size_t len = tg_left(body);
  memset(out, 0, sizeof *out);
  if (ctx->hash_len == 0)
    TG_ENSURE(body->err, len == 32 || len == 48, decode_error, TG_E_LENGTH,
              "message_hash.Hash(ClientHello1) has length %zu, expected 32 or 48", len);
  else
    TG_ENSURE(body->err, len == ctx->hash_len, decode_error, TG_E_LENGTH,
              "message_hash.Hash(ClientHello1) has length %zu, expected %u", len,
              (unsigned)ctx->hash_len);
  TG_TRY(tg_read_bytes(body, len, &out->hash, "message_hash.Hash(ClientHello1)"));
  return TG_OK;
}

void tg_message_hash_encode(tg_writer *w, const tg_hs_ctx *ctx, const tg_message_hash *m) {
  (void)ctx;
  tg_w_view(w, m->hash);
}

void tg_message_hash_describe(tg_dump *d, const tg_hs_ctx *ctx, const tg_message_hash *m) {
  (void)ctx;
  tg_dump_bytes(d, "hash", m->hash);
}
