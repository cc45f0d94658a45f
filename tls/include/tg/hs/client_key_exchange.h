/* ClientKeyExchange (RFC 5246 §7.4.7): the client's ECDHE public key (RFC 8422 §5.7) or the RSA
 * EncryptedPreMasterSecret (RFC 5246 §7.4.7.1); ctx->kx says which. */
#ifndef TG_HS_CLIENT_KEY_EXCHANGE_H
#define TG_HS_CLIENT_KEY_EXCHANGE_H

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

typedef struct tg_client_key_exchange {
  tg_bytes ecdh_Yc;                     /* TG_KX_ECDHE: ClientECDiffieHellmanPublic */
  tg_bytes encrypted_pre_master_secret; /* TG_KX_RSA: EncryptedPreMasterSecret */
} tg_client_key_exchange;

TG_MUST_CHECK tg_status tg_client_key_exchange_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                                      tg_client_key_exchange *out);
void tg_client_key_exchange_encode(tg_writer *w, const struct tg_hs_ctx *ctx,
                                   const tg_client_key_exchange *m);
void tg_client_key_exchange_describe(tg_dump *d, const struct tg_hs_ctx *ctx,
                                     const tg_client_key_exchange *m);

#endif
