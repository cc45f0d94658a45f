/* Handshake messages. The first byte picks the mode and the context:
 *   bits 0-3  0..13: decode the rest as the body of that message type (table below);
 *             14, 15: stream mode, tg_handshake_decode in a loop over the rest
 *   bit 4     ctx.version: TLS 1.2 when set, else TLS 1.3
 *   bit 5     ctx.kx: RSA when set, else ECDHE
 *   bits 6-7  ctx.hash_len: 0 (either), 32, 48, 20
 * Oracle: a decoded message re-encodes to exactly its input bytes; a failure has a valid err. */
#include <string.h>

#include "fuzz_common.h"
#include "tg/handshake.h"

static const uint8_t types[14] = {
    TG_HS_client_hello,        TG_HS_server_hello,         TG_HS_new_session_ticket,
    TG_HS_end_of_early_data,   TG_HS_encrypted_extensions, TG_HS_certificate,
    TG_HS_server_key_exchange, TG_HS_certificate_request,  TG_HS_server_hello_done,
    TG_HS_certificate_verify,  TG_HS_client_key_exchange,  TG_HS_finished,
    TG_HS_key_update,          TG_HS_message_hash,
};

/* Decodes one Handshake from r; on success checks the re-encoding and runs describe. */
static tg_status one_message(tg_reader *r, const tg_hs_ctx *ctx) {
  tg_err err = {0};
  tg_handshake m;
  tg_writer w;
  const uint8_t *start = r->p;
  r->err = &err;
  tg_status st = tg_handshake_decode(r, ctx, &m);
  tg_fuzz_check_err(st, &err);
  if (st != TG_OK)
    return st;
  tg_bytes in = tg_bytes_of(start, (size_t)(r->p - start));
  tg_writer_init_dynamic(&w, &err);
  tg_handshake_encode(&w, ctx, &m);
  TG_FUZZ_ASSERT(tg_writer_status(&w) == TG_OK, "encode failed: %s", err.what);
  TG_FUZZ_ASSERT(tg_bytes_eq(tg_writer_bytes(&w), in),
                 "msg_type %u re-encodes to %zu bytes, not %zu", m.msg_type, w.len, in.len);
  tg_writer_free(&w);
  tg_fuzz_dump t;
  tg_fuzz_dump_init(&t);
  tg_handshake_describe(&t.d, ctx, &m);
  tg_fuzz_dump_done(&t);
  return TG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const uint8_t hash_lens[4] = {0, 32, 48, 20};
  tg_reader r;
  if (size < 1)
    return 0;
  uint8_t mode = data[0];
  tg_hs_ctx ctx = {(mode & 0x10) ? TG_VERSION_TLS12 : TG_VERSION_TLS13,
                   (mode & 0x20) ? TG_KX_RSA : TG_KX_ECDHE, hash_lens[mode >> 6]};
  data++, size--;
  if ((mode & 0x0f) >= 14) {
    tg_reader_init(&r, data, size, NULL);
    while (tg_left(&r) > 0 && one_message(&r, &ctx) == TG_OK)
      ;
    return 0;
  }
  /* Frame the rest as one message of the chosen type, in an exact-size copy so a read past the
   * body is a sanitizer report. */
  if (size > 0xffffff)
    return 0;
  uint8_t *msg = malloc(size + 4);
  if (msg == NULL)
    return 0;
  msg[0] = types[mode & 0x0f];
  msg[1] = (uint8_t)(size >> 16), msg[2] = (uint8_t)(size >> 8), msg[3] = (uint8_t)size;
  if (size > 0)
    memcpy(msg + 4, data, size);
  tg_reader_init(&r, msg, size + 4, NULL);
  (void)one_message(&r, &ctx);
  free(msg);
  return 0;
}
