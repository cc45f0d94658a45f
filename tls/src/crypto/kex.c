/* Key-exchange groups over nettle: x25519 and x448 (RFC 7748) and the NIST curves secp256r1,
 * secp384r1 and secp521r1 (RFC 8446 §4.2.8.2, §7.4.2), and the table of every group (the ffdhe
 * groups are in ffdhe.c). Shares from the peer are validated before any use. */
#include <string.h>

#include <nettle/bignum.h>
#include <nettle/curve25519.h>
#include <nettle/curve448.h>

#include "crypto/asym_internal.h"
#include "tg/kex.h"
#include "tg/names.h"

void tg_nettle_random(void *ctx, size_t len, uint8_t *dst) {
  const tg_rng *rng = ctx;
  rng->fill(rng->ctx, dst, len);
}

const struct ecc_curve *tg_ec_curve(tg_key_type type) {
  return type == TG_KEY_EC_P384 ? nettle_get_secp_384r1() : nettle_get_secp_256r1();
}

size_t tg_ec_field_len(tg_key_type type) { return type == TG_KEY_EC_P384 ? 48 : 32; }

/* Reads 04 || X || Y of curve (coordinates flen bytes) into p; see tg_ec_point_read. */
static tg_status ec_point_read(const struct ecc_curve *curve, size_t flen, const char *curve_name,
                               tg_bytes in, struct ecc_point *p, const char *what, tg_err *err) {
  tg_reader r;
  uint8_t form;
  tg_bytes x, y;
  tg_reader_init(&r, in.p, in.len, NULL);
  /* RFC 8446 §4.2.8.2: UncompressedPointRepresentation, exactly 1 + 2 * coordinate length. */
  TG_ENSURE(err, in.len == 1 + 2 * flen, illegal_parameter, TG_E_LENGTH,
            "%s has length %zu, expected %zu", what, in.len, 1 + 2 * flen);
  if (tg_read_u8(&r, &form, what) != TG_OK || tg_read_bytes(&r, flen, &x, what) != TG_OK ||
      tg_read_bytes(&r, flen, &y, what) != TG_OK)
    return TG_FAIL(err, internal_error, TG_E_INTERNAL, "%s: length checked but unreadable", what);
  /* RFC 8446 §4.2.8.2: legacy_form is 4; compressed (2, 3) and infinity (0) are not allowed. */
  TG_ENSURE(err, form == 4, illegal_parameter, TG_E_BAD_VALUE,
            "%s has point form 0x%02x, not uncompressed (0x04)", what, form);
  mpz_t mx, my;
  mpz_init(mx);
  mpz_init(my);
  nettle_mpz_set_str_256_u(mx, x.len, x.p);
  nettle_mpz_set_str_256_u(my, y.len, y.p);
  ecc_point_init(p, curve);
  /* ecc_point_set checks 0 <= x, y < p and the curve equation. */
  int ok = ecc_point_set(p, mx, my);
  mpz_clear(mx);
  mpz_clear(my);
  if (!ok) {
    ecc_point_clear(p);
    return TG_FAIL(err, illegal_parameter, TG_E_BAD_VALUE, "%s is not a point on %s", what,
                   curve_name);
  }
  return TG_OK;
}

tg_status tg_ec_point_read(tg_key_type type, tg_bytes in, struct ecc_point *p, const char *what,
                           tg_err *err) {
  return ec_point_read(tg_ec_curve(type), tg_ec_field_len(type),
                       type == TG_KEY_EC_P384 ? "secp384r1" : "secp256r1", in, p, what, err);
}

/* Writes 04 || X || Y with flen-byte coordinates. */
static void ec_point_write(size_t flen, const struct ecc_point *p, uint8_t *out) {
  mpz_t x, y;
  mpz_init(x);
  mpz_init(y);
  ecc_point_get(p, x, y);
  out[0] = 4;
  nettle_mpz_get_str_256(flen, out + 1, x);
  nettle_mpz_get_str_256(flen, out + 1 + flen, y);
  mpz_clear(x);
  mpz_clear(y);
}

void tg_ec_point_write(tg_key_type type, const struct ecc_point *p, uint8_t *out) {
  ec_point_write(tg_ec_field_len(type), p, out);
}

/* ---- x25519, x448 ---------------------------------------------------------------------------- */

static tg_status x_keygen(const tg_group_desc *g, const tg_rng *rng, const uint8_t *given,
                          tg_kex_private *key, uint8_t *share, tg_err *err) {
  (void)err;
  key->group = g;
  if (given != NULL)
    memcpy(key->scalar, given, g->private_len);
  else
    rng->fill(rng->ctx, key->scalar, g->private_len);
  /* RFC 7748 §5: nettle clamps the scalar as the RFC decodes it. */
  if (g->group == TG_GROUP_x448)
    curve448_mul_g(share, key->scalar);
  else
    curve25519_mul_g(share, key->scalar);
  return TG_OK;
}

static tg_status x_check(const tg_group_desc *g, tg_bytes peer, tg_err *err) {
  /* RFC 8446 §4.2.8.2: "32 bytes for X25519 and 56 bytes for X448". */
  TG_ENSURE(err, peer.len == g->share_len, illegal_parameter, TG_E_LENGTH,
            "KeyShareEntry.key_exchange for %s has length %zu, expected %zu", g->name, peer.len,
            g->share_len);
  return TG_OK;
}

static tg_status x_derive(const tg_group_desc *g, const tg_kex_private *key, tg_bytes peer,
                          uint8_t *secret, tg_err *err) {
  TG_TRY(x_check(g, peer, err));
  if (g->group == TG_GROUP_x448)
    curve448_mul(secret, key->scalar, peer.p);
  else
    curve25519_mul(secret, key->scalar, peer.p);
  /* RFC 8446 §7.4.2, RFC 7748 §6: an all-zero result (a low-order point) MUST be rejected. */
  uint8_t acc = 0;
  for (size_t i = 0; i < g->secret_len; i++)
    acc |= secret[i];
  TG_ENSURE(err, acc != 0, illegal_parameter, TG_E_BAD_VALUE,
            "%s shared secret is all zeros (KeyShareEntry.key_exchange is a low-order point)",
            g->name);
  return TG_OK;
}

/* ---- secp256r1, secp384r1, secp521r1 --------------------------------------------------------- */

static const struct ecc_curve *curve_of(const tg_group_desc *g) {
  switch (g->group) {
  case TG_GROUP_secp521r1: return nettle_get_secp_521r1();
  case TG_GROUP_secp384r1: return nettle_get_secp_384r1();
  default: return nettle_get_secp_256r1();
  }
}

/* The coordinate length: the x-coordinate is the whole shared secret (RFC 8446 §7.4.2). */
static size_t field_len(const tg_group_desc *g) { return g->secret_len; }

/* key->scalar as a nettle scalar; false when it is not in [1, n-1]. */
static bool scalar_of(const tg_group_desc *g, const uint8_t *bytes, struct ecc_scalar *s) {
  mpz_t z;
  mpz_init(z);
  nettle_mpz_set_str_256_u(z, g->private_len, bytes);
  ecc_scalar_init(s, curve_of(g));
  int ok = ecc_scalar_set(s, z);
  mpz_clear(z);
  if (!ok)
    ecc_scalar_clear(s);
  return ok;
}

static tg_status nist_keygen(const tg_group_desc *g, const tg_rng *rng, const uint8_t *given,
                             tg_kex_private *key, uint8_t *share, tg_err *err) {
  struct ecc_scalar s;
  struct ecc_point p;
  key->group = g;
  if (given != NULL) {
    memcpy(key->scalar, given, g->private_len);
    /* 66 bytes of P-521 scalar hold 528 bits: the top 7 go, or n would rarely exceed it. */
    if (g->group == TG_GROUP_secp521r1)
      key->scalar[0] &= 0x01;
    TG_ENSURE(err, scalar_of(g, key->scalar, &s), internal_error, TG_E_USAGE,
              "%s private scalar is not in [1, n-1]", g->name);
  } else {
    mpz_t z;
    ecc_scalar_init(&s, curve_of(g));
    ecc_scalar_random(&s, (void *)rng, tg_nettle_random);
    mpz_init(z);
    ecc_scalar_get(&s, z);
    nettle_mpz_get_str_256(g->private_len, key->scalar, z);
    mpz_clear(z);
  }
  ecc_point_init(&p, curve_of(g));
  ecc_point_mul_g(&p, &s);
  ec_point_write(field_len(g), &p, share);
  ecc_point_clear(&p);
  ecc_scalar_clear(&s);
  return TG_OK;
}

static tg_status read_share(const tg_group_desc *g, tg_bytes peer, struct ecc_point *p,
                            tg_err *err) {
  return ec_point_read(curve_of(g), field_len(g), g->name, peer, p, "KeyShareEntry.key_exchange",
                       err);
}

static tg_status nist_check(const tg_group_desc *g, tg_bytes peer, tg_err *err) {
  struct ecc_point p;
  TG_TRY(read_share(g, peer, &p, err));
  ecc_point_clear(&p);
  return TG_OK;
}

static tg_status nist_derive(const tg_group_desc *g, const tg_kex_private *key, tg_bytes peer,
                             uint8_t *secret, tg_err *err) {
  struct ecc_point p, q;
  struct ecc_scalar s;
  TG_TRY(read_share(g, peer, &p, err));
  if (!scalar_of(g, key->scalar, &s)) {
    ecc_point_clear(&p);
    return TG_FAIL(err, internal_error, TG_E_USAGE, "%s private scalar is not in [1, n-1]",
                   g->name);
  }
  ecc_point_init(&q, curve_of(g));
  /* The curves have prime order and 1 <= s < n, so s * P is never the point at infinity. */
  ecc_point_mul(&q, &s, &p);
  mpz_t x, y;
  mpz_init(x);
  mpz_init(y);
  ecc_point_get(&q, x, y);
  /* RFC 8446 §7.4.2: the shared secret is the x-coordinate, field-length big-endian. */
  nettle_mpz_get_str_256(g->secret_len, secret, x);
  mpz_clear(x);
  mpz_clear(y);
  ecc_point_clear(&q);
  ecc_point_clear(&p);
  ecc_scalar_clear(&s);
  return TG_OK;
}

#define GROUP(var, id, nm, priv, share, secret, kind)                                              \
  const tg_group_desc var = {.group = (id),                                                        \
                             .name = (nm),                                                         \
                             .private_len = (priv),                                                \
                             .share_len = (share),                                                 \
                             .secret_len = (secret),                                               \
                             .keygen = kind##_keygen,                                              \
                             .check_share = kind##_check,                                          \
                             .derive = kind##_derive}
GROUP(tg_group_x25519, TG_GROUP_x25519, "x25519", 32, 32, 32, x);
GROUP(tg_group_x448, TG_GROUP_x448, "x448", 56, 56, 56, x);
GROUP(tg_group_secp256r1, TG_GROUP_secp256r1, "secp256r1", 32, 65, 32, nist);
GROUP(tg_group_secp384r1, TG_GROUP_secp384r1, "secp384r1", 48, 97, 48, nist);
GROUP(tg_group_secp521r1, TG_GROUP_secp521r1, "secp521r1", 66, 133, 66, nist);

const tg_group_desc *tg_group_find(uint16_t group) {
  static const tg_group_desc *const all[] = {
      &tg_group_x25519,    &tg_group_secp256r1, &tg_group_secp384r1, &tg_group_x448,
      &tg_group_secp521r1, &tg_group_ffdhe2048, &tg_group_ffdhe3072, &tg_group_ffdhe4096,
      &tg_group_ffdhe6144, &tg_group_ffdhe8192};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    if (all[i]->group == group)
      return all[i];
  return NULL;
}

tg_status tg_kex_keygen(const tg_group_desc *g, const tg_rng *rng, tg_kex_private *key,
                        uint8_t *share, tg_err *err) {
  TG_ENSURE(err, rng != NULL && rng->fill != NULL, internal_error, TG_E_USAGE,
            "%s key generation needs an RNG", g->name);
  return g->keygen(g, rng, NULL, key, share, err);
}

tg_status tg_kex_derive(const tg_kex_private *key, tg_bytes peer_share, uint8_t *secret,
                        tg_err *err) {
  return key->group->derive(key->group, key, peer_share, secret, err);
}
