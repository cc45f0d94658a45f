/* Key-exchange groups (RFC 8446 §4.2.7, §4.2.8, §7.4) as const descriptors over nettle and
 * GMP: x25519, x448, secp256r1, secp384r1, secp521r1 and the finite-field groups ffdhe2048 ..
 * ffdhe8192 of RFC 7919.
 *
 * A private key is its raw scalar or exponent in caller storage (tg_kex_private), so an
 * ephemeral key needs no allocation and can be set from a test vector. The peer's share is
 * validated before use (RFC 8446 §4.2.8.1, §4.2.8.2): wrong length, a form other than
 * uncompressed, a point not on the curve, an all-zero x25519/x448 result and a finite-field Y
 * outside 1 < Y < p-1 are illegal_parameter. */
#ifndef TG_KEX_H
#define TG_KEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/crypto.h"
#include "tg/error.h"

#define TG_KEX_MAX_PRIVATE 66  /* P-521 scalar */
#define TG_KEX_MAX_SHARE 1024  /* ffdhe8192 Y, padded to the size of p */
#define TG_KEX_MAX_SECRET 1024 /* ffdhe8192 Z, padded to the size of p */

typedef struct tg_group_desc tg_group_desc;

/* An ephemeral private key: the scalar, big-endian for the NIST curves, as RFC 7748 bytes for
 * x25519 and x448; the big-endian exponent for the ffdhe groups. */
typedef struct tg_kex_private {
  const tg_group_desc *group;
  uint8_t scalar[TG_KEX_MAX_PRIVATE];
} tg_kex_private;

struct tg_group_desc {
  uint16_t group;     /* NamedGroup, RFC 8446 §4.2.7 */
  const char *name;   /* "x25519" */
  bool finite_field;  /* an ffdhe group: TLS 1.3 key_share only, never TLS 1.2 ECDHE */
  size_t private_len; /* x25519 32, secp256r1 32, ffdhe2048 29 (RFC 7919 Appendix A) */
  size_t share_len;   /* key_exchange length: 32, 65, 256 */
  size_t secret_len;  /* shared secret length: 32, 32, 256 */
  /* Makes key->scalar from rng, or copies given (private_len bytes) when it is not NULL, and
   * writes the public share (share_len bytes). A given NIST scalar must lie in [1, n-1] (a
   * P-521 scalar keeps its low 521 bits); a given ffdhe exponent must be at least 2. */
  tg_status (*keygen)(const tg_group_desc *g, const tg_rng *rng, const uint8_t *given,
                      tg_kex_private *key, uint8_t *share, tg_err *err);
  /* Checks peer_share (RFC 8446 §4.2.8.2) without using a private key. */
  tg_status (*check_share)(const tg_group_desc *g, tg_bytes peer_share, tg_err *err);
  /* Checks peer_share and writes the shared secret (secret_len bytes): the x25519 output, or
   * the x-coordinate of the product for the NIST curves, Z padded to the size of p for the
   * ffdhe groups (RFC 8446 §7.4). */
  tg_status (*derive)(const tg_group_desc *g, const tg_kex_private *key, tg_bytes peer_share,
                      uint8_t *secret, tg_err *err);
};

extern const tg_group_desc tg_group_x25519, tg_group_x448, tg_group_secp256r1, tg_group_secp384r1,
    tg_group_secp521r1;
extern const tg_group_desc tg_group_ffdhe2048, tg_group_ffdhe3072, tg_group_ffdhe4096,
    tg_group_ffdhe6144, tg_group_ffdhe8192;

/* The prime p of an ffdhe group (RFC 7919 Appendix A) as upper-case hex, or NULL for another
 * group. The generator is 2 for all of them. */
const char *tg_ffdhe_prime_hex(uint16_t group);

/* The group with that NamedGroup value that this engine implements, or NULL. */
const tg_group_desc *tg_group_find(uint16_t group);

/* Shorthands that call through the descriptor. */
TG_MUST_CHECK tg_status tg_kex_keygen(const tg_group_desc *g, const tg_rng *rng,
                                      tg_kex_private *key, uint8_t *share, tg_err *err);
TG_MUST_CHECK tg_status tg_kex_derive(const tg_kex_private *key, tg_bytes peer_share,
                                      uint8_t *secret, tg_err *err);

#endif
