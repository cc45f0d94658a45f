/* ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3).
 *
 * A HelloRetryRequest is a ServerHello whose random is the special value tg_hrr_random; the
 * decoder sets is_hrr from the random, and the encoder writes random as it is (so set random to
 * tg_hrr_random to build one). The TLS 1.2/1.1 downgrade sentinel in the random is recognised by
 * tg_server_hello_downgrade; acting on it is the client engine's job.
 */
#ifndef TG_HS_SERVER_HELLO_H
#define TG_HS_SERVER_HELLO_H

#include <stdbool.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

/* SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3. */
extern const uint8_t tg_hrr_random[32];

typedef struct tg_server_hello {
  uint16_t legacy_version;
  uint8_t random[32];
  tg_bytes legacy_session_id_echo; /* <0..32> */
  uint16_t cipher_suite;
  uint8_t legacy_compression_method;
  bool has_extensions; /* false: a TLS 1.2 hello that ends after the compression method */
  tg_bytes extensions; /* body of the extensions vector, without its length */
  bool is_hrr;         /* derived from random on decode; not encoded */
} tg_server_hello;

TG_MUST_CHECK tg_status tg_server_hello_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                               tg_server_hello *out);
void tg_server_hello_encode(tg_writer *w, const struct tg_hs_ctx *ctx, const tg_server_hello *m);
void tg_server_hello_describe(tg_dump *d, const struct tg_hs_ctx *ctx, const tg_server_hello *m);

/* The version a supported_versions extension selects (RFC 8446 §4.2.1), or 0 when there is none
 * or it is malformed (its descriptor reports that). */
uint16_t tg_server_hello_selected_version(const tg_server_hello *m);

/* The downgrade sentinel in the last 8 bytes of ServerHello.random (RFC 8446 §4.1.3). */
typedef enum tg_downgrade {
  TG_DOWNGRADE_NONE = 0,
  TG_DOWNGRADE_TLS12 = 1, /* 44 4F 57 4E 47 52 44 01: negotiating TLS 1.2 */
  TG_DOWNGRADE_TLS11 = 2, /* 44 4F 57 4E 47 52 44 00: negotiating TLS 1.1 or below */
} tg_downgrade;
tg_downgrade tg_server_hello_downgrade(const tg_server_hello *m);

#endif
