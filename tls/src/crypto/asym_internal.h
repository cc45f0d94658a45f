/* Internal to the public-key crypto (kex.c, keys.c, sig.c): the key structs over nettle/gmp, the
 * RNG adapter and the curve table. Not a public header. */
#ifndef TG_ASYM_INTERNAL_H
#define TG_ASYM_INTERNAL_H

#include <gmp.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/eddsa.h>
#include <nettle/rsa.h>

#include "tg/crypto.h"
#include "tg/sig.h"

/* nettle's random callback over an injected tg_rng (ctx is the tg_rng). */
void tg_nettle_random(void *ctx, size_t len, uint8_t *dst);

/* The nettle curve of an EC key type or NamedGroup, and its field size in octets. */
const struct ecc_curve *tg_ec_curve(tg_key_type type);
size_t tg_ec_field_len(tg_key_type type);

/* Reads an uncompressed point 04 || X || Y of the curve of type into p (initialised here; the
 * caller clears it only on TG_OK). Any failure is illegal_parameter with `what` in its message. */
tg_status tg_ec_point_read(tg_key_type type, tg_bytes in, struct ecc_point *p, const char *what,
                           tg_err *err);
/* Writes 04 || X || Y (1 + 2 * field_len bytes). */
void tg_ec_point_write(tg_key_type type, const struct ecc_point *p, uint8_t *out);

struct tg_public_key {
  tg_key_type type;
  struct rsa_public_key rsa; /* TG_KEY_RSA, TG_KEY_RSA_PSS */
  struct ecc_point ec;       /* TG_KEY_EC_P256, TG_KEY_EC_P384 */
  uint8_t ed25519[ED25519_KEY_SIZE];
};

struct tg_private_key {
  tg_key_type type;
  struct rsa_public_key rsa_pub; /* nettle's RSA signing wants both halves */
  struct rsa_private_key rsa;
  struct ecc_scalar ec;
  uint8_t ed25519[ED25519_KEY_SIZE];     /* the seed */
  uint8_t ed25519_pub[ED25519_KEY_SIZE]; /* derived from it */
};

#endif
