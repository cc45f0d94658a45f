/* Finished (RFC 8446 §4.4.4; TLS 1.2: RFC 5246 §7.4.9). */
#include <string.h>

#include "tg/handshake.h"

/* The verify_data length this context expects, or 0 when TLS 1.3 without a known hash (then
 * the lengths of the suites' hashes, SHA-256 and SHA-384, are both accepted). */
static size_t expected_len(const tg_hs_ctx *ctx) {
  if (ctx->version != TG_VERSION_TLS13)
    return 12; /* RFC 5246 §7.4.9: verify_data_length is 12 for every suite defined so far */
  return ctx->hash_len;
}

/* RFC 8446 §4.4.4:
 *   struct {
 *       opaque verify_data[Hash.length];
 *   } Finished;
 * RFC 5246 §7.4.9:
 *   struct {
 *       opaque verify_data[verify_data_length];
 *   } Finished;
 * The body is the whole of verify_data: any other length is a decode_error. */
tg_status tg_finished_decode(tg_reader *body, const tg_hs_ctx *ctx, tg_finished *out) {
  size_t want = expected_len(ctx), len = tg_left(body);
  memset(out, 0, sizeof *out);
  if (want == 0)
    TG_ENSURE(body->err, len == 32 || len == 48, decode_error, TG_E_LENGTH,
              "Finished.verify_data has length %zu, expected 32 or 48", len);
  else
    TG_ENSURE(body->err, len == want, decode_error, TG_E_LENGTH,
              "Finished.verify_data has length %zu, expected %zu", len, want);
  TG_TRY(tg_read_bytes(body, len, &out->verify_data, "Finished.verify_data"));
  return TG_OK;
}

void tg_finished_encode(tg_writer *w, const tg_hs_ctx *ctx, const tg_finished *m) {
  (void)ctx;
  tg_w_view(w, m->verify_data);
}

void tg_finished_describe(tg_dump *d, const tg_hs_ctx *ctx, const tg_finished *m) {
  (void)ctx;
  tg_dump_bytes(d, "verify_data", m->verify_data);
}
