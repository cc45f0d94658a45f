/* ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2): the decoder, encoder and describer.
 *
 * The message keeps its lists as wire bytes: cipher_suites is read with tg_u16s_count/get, the
 * extensions block with tg_ext_find/tg_ext_iter. The TLS 1.3 rules (compression exactly {0},
 * pre_shared_key last) apply when supported_versions offers TLS 1.3; otherwise the hello is read
 * as a TLS 1.2 one, whose extensions may be absent altogether.
 */
#ifndef TG_HS_CLIENT_HELLO_H
#define TG_HS_CLIENT_HELLO_H

#include <stdbool.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

typedef struct tg_client_hello {
  uint16_t legacy_version;
  uint8_t random[32];
  tg_bytes legacy_session_id;          /* <0..32> */
  tg_bytes cipher_suites;              /* CipherSuite <2..2^16-2>, wire bytes */
  tg_bytes legacy_compression_methods; /* <1..2^8-1> */
  bool has_extensions;                 /* false: a TLS 1.2 hello that ends after compression */
  tg_bytes extensions;                 /* body of the extensions vector, without its length */
} tg_client_hello;

TG_MUST_CHECK tg_status tg_client_hello_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                               tg_client_hello *out);
void tg_client_hello_encode(tg_writer *w, const struct tg_hs_ctx *ctx, const tg_client_hello *m);
void tg_client_hello_describe(tg_dump *d, const struct tg_hs_ctx *ctx, const tg_client_hello *m);

/* True when the extensions carry a supported_versions list that contains TLS 1.3 (0x0304). A
 * malformed supported_versions offers nothing here; its descriptor reports it. */
bool tg_client_hello_offers_tls13(const tg_client_hello *m);

#endif
