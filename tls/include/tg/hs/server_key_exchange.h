/* ServerKeyExchange for ECDHE suites (RFC 8422 §5.4, signed as in RFC 5246 §7.4.3): the server's
 * ephemeral public key on a named curve, signed with client_random + server_random + params. */
#ifndef TG_HS_SERVER_KEY_EXCHANGE_H
#define TG_HS_SERVER_KEY_EXCHANGE_H

#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

/* ECCurveType, RFC 8422 §5.4: only named_curve remains; explicit curves are deprecated. */
enum tg_ec_curve_type {
  TG_EC_explicit_prime = 1,
  TG_EC_explicit_char2 = 2,
  TG_EC_named_curve = 3,
};

typedef struct tg_server_key_exchange {
  /* ServerECDHParams params */
  uint8_t curve_type;  /* ECParameters.curve_type: TG_EC_named_curve */
  uint16_t namedcurve; /* ECParameters.namedcurve: NamedGroup */
  tg_bytes public_;    /* ECPoint public: point<1..2^8-1> */
  /* DigitallySigned signed_params */
  uint16_t algorithm; /* SignatureAndHashAlgorithm, as a SignatureScheme code point */
  tg_bytes signature;
  /* Set by decode: the ServerECDHParams bytes the signature covers. Encode ignores it. */
  tg_bytes params;
} tg_server_key_exchange;

/* Writes ServerECDHParams (what the signature covers after the two randoms). */
void tg_server_ecdh_params_encode(tg_writer *w, const tg_server_key_exchange *m);

TG_MUST_CHECK tg_status tg_server_key_exchange_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                                      tg_server_key_exchange *out);
void tg_server_key_exchange_encode(tg_writer *w, const struct tg_hs_ctx *ctx,
                                   const tg_server_key_exchange *m);
void tg_server_key_exchange_describe(tg_dump *d, const struct tg_hs_ctx *ctx,
                                     const tg_server_key_exchange *m);

#endif
