/* ClientKeyExchange (RFC 5246 §7.4.7; ECDHE: RFC 8422 §5.7). */
#include <string.h>

#include "tg/handshake.h"

/* RFC 8422 §5.7 (only the explicit encoding exists for ephemeral ECDH):
 *   struct {
 *       select (PublicValueEncoding) {
 *           case implicit:  struct { };
 *           case explicit:  ECPoint ecdh_Yc;
 *       } ecdh_public;
 *   } ClientECDiffieHellmanPublic;
 *   struct { opaque point <1..2^8-1>; } ECPoint;
 * RFC 5246 §7.4.7.1 (TLS 1.0 and later put a two-byte length before it):
 *   struct {
 *       public-key-encrypted PreMasterSecret pre_master_secret;
 *   } EncryptedPreMasterSecret;
 */
tg_status tg_client_key_exchange_decode(tg_reader *body, const tg_hs_ctx *ctx,
                                        tg_client_key_exchange *out) {
  tg_reader v;
  memset(out, 0, sizeof *out);
  if (ctx->kx == TG_KX_RSA) {
    TG_TRY(tg_read_vec(body, 2, 0, 0xffff, &v, "ClientKeyExchange.EncryptedPreMasterSecret"));
    out->encrypted_pre_master_secret = tg_reader_rest(&v);
  } else {
    TG_TRY(tg_read_vec(body, 1, 1, 0xff, &v, "ClientKeyExchange.ecdh_Yc"));
    out->ecdh_Yc = tg_reader_rest(&v);
  }
  return tg_read_done(body, "ClientKeyExchange");
}

void tg_client_key_exchange_encode(tg_writer *w, const tg_hs_ctx *ctx,
                                   const tg_client_key_exchange *m) {
  size_t mark;
  if (ctx->kx == TG_KX_RSA) {
    mark = tg_w_open(w, 2);
    tg_w_view(w, m->encrypted_pre_master_secret);
    tg_w_close(w, mark, 2, 0xffff, "ClientKeyExchange.EncryptedPreMasterSecret");
    return;
  }
  mark = tg_w_open(w, 1);
  tg_w_view(w, m->ecdh_Yc);
  tg_w_close(w, mark, 1, 0xff, "ClientKeyExchange.ecdh_Yc");
}

void tg_client_key_exchange_describe(tg_dump *d, const tg_hs_ctx *ctx,
                                     const tg_client_key_exchange *m) {
  if (ctx->kx == TG_KX_RSA)
    tg_dump_bytes(d, "encrypted_pre_master_secret", m->encrypted_pre_master_secret);
  else
    tg_dump_bytes(d, "ecdh_Yc", m->ecdh_Yc);
}
