/* RSA key transport for TLS 1.2 (RFC 5246 §7.4.7.1): the client encrypts the PreMasterSecret
 * with RSAES-PKCS1-v1_5; the server decrypts it without a padding oracle.
 *
 * RFC 5246 §7.4.7.1: "...the correct way to avoid [Bleichenbacher's] attack is to treat
 * incorrectly formatted messages in a manner indistinguishable from correctly formatted RSA
 * blocks": generate 46 random bytes R, decrypt, and on any failure (padding, length, version)
 * continue with a premaster built from R. Here nettle's rsa_sec_decrypt (side-channel resistant,
 * fixed 48-byte output) decrypts, and the choice between its output and the fallback is a
 * constant-time select over a mask, so neither the padding nor the version check branches. */
#include <stdlib.h>
#include <string.h>

#include <nettle/bignum.h>

#include "crypto/asym_internal.h"

tg_status tg_rsa_kx_encrypt(const tg_public_key *key, const tg_rng *rng, const uint8_t *pms,
                            tg_writer *out, tg_err *err) {
  TG_ENSURE(err, key != NULL && key->type == TG_KEY_RSA, illegal_parameter, TG_E_BAD_VALUE,
            "RSA key transport needs an rsaEncryption key in the server certificate, not %s",
            tg_key_type_name(key ? key->type : TG_KEY_NONE));
  mpz_t c;
  mpz_init(c);
  int ok = rsa_encrypt(&key->rsa, (void *)rng, tg_nettle_random, TG_RSA_PMS_LEN, pms, c);
  uint8_t *p = ok ? tg_w_reserve(out, key->rsa.size) : NULL;
  if (p != NULL)
    nettle_mpz_get_str_256(key->rsa.size, p, c); /* I2OSP to the modulus length */
  mpz_clear(c);
  TG_ENSURE(err, ok, internal_error, TG_E_INTERNAL, "RSA encryption of the premaster failed");
  return tg_writer_status(out);
}

/* 0xff when a == b, else 0, without a branch on the values. */
static uint8_t ct_eq_mask(uint8_t a, uint8_t b) {
  unsigned x = (unsigned)(a ^ b);
  return (uint8_t)(((x - 1u) >> 8) & 0xffu);
}

tg_status tg_rsa_kx_decrypt(const tg_private_key *key, const tg_rng *rng, tg_bytes ciphertext,
                            uint16_t client_version, const uint8_t *fallback, uint8_t *pms,
                            tg_err *err) {
  TG_ENSURE(err, key != NULL && key->type == TG_KEY_RSA, internal_error, TG_E_USAGE,
            "RSA key transport needs an RSA private key");
  uint8_t message[TG_RSA_PMS_LEN] = {0};
  int ok = 0;
  /* The length is public (the attacker chose it): a wrong one just selects the fallback. */
  if (ciphertext.len == key->rsa_pub.size) {
    mpz_t c;
    nettle_mpz_init_set_str_256_u(c, ciphertext.len, ciphertext.p);
    ok = rsa_sec_decrypt(&key->rsa_pub, &key->rsa, (void *)rng, tg_nettle_random, TG_RSA_PMS_LEN,
                         message, c);
    mpz_clear(c);
  }
  /* RFC 5246 §7.4.7.1: the version is the one the client offered in its ClientHello. */
  uint8_t good = (uint8_t)(0u - (unsigned)(ok & 1));
  good &= ct_eq_mask(message[0], (uint8_t)(client_version >> 8));
  good &= ct_eq_mask(message[1], (uint8_t)client_version);
  for (size_t i = 0; i < TG_RSA_PMS_LEN; i++)
    pms[i] = (uint8_t)((message[i] & good) | (fallback[i] & (uint8_t)~good));
  explicit_bzero(message, sizeof message);
  return TG_OK;
}

/* The encryption block of a premaster, spoiled as padding says: k bytes 00 02 PS 00 M with one
 * rule of RFC 8017 7.2.2 step 3 broken. PS is nonzero random. */
static void spoiled_block(uint8_t *em, size_t k, const tg_rng *rng, const uint8_t *pms, size_t len,
                          tg_pms_padding padding) {
  size_t ps = k - 3 - len;
  em[0] = padding == TG_PMS_PAD_FIRST_BYTE ? 0x01 : 0x00;
  em[1] = padding == TG_PMS_PAD_BLOCK_TYPE ? 0x01 : 0x02;
  tg_nettle_random((void *)rng, ps + 1, em + 2);
  for (size_t i = 2; i < 3 + ps; i++)
    em[i] |= em[i] == 0; /* nonzero */
  if (padding != TG_PMS_PAD_NO_SEPARATOR)
    em[2 + ps] = 0x00;
  if (padding == TG_PMS_PAD_SHORT_PS)
    em[2 + 3] = 0x00; /* PS would be 3 bytes long */
  memcpy(em + 3 + ps, pms, len);
  if (padding == TG_PMS_PAD_NO_SEPARATOR)
    for (size_t i = 3 + ps; i < k; i++)
      em[i] |= em[i] == 0; /* (the caller's premaster made nonzero too: no zero byte at all) */
}

tg_status tg_rsa_kx_encrypt_as(const tg_public_key *key, const tg_rng *rng, const uint8_t *pms,
                               size_t len, tg_pms_padding padding, tg_writer *out, tg_err *err) {
  TG_ENSURE(err, key != NULL && key->type == TG_KEY_RSA, illegal_parameter, TG_E_BAD_VALUE,
            "RSA key transport needs an rsaEncryption key in the server certificate, not %s",
            tg_key_type_name(key ? key->type : TG_KEY_NONE));
  size_t k = key->rsa.size;
  TG_ENSURE(err, k >= 11 && len <= k - 11 && (unsigned)padding < TG_PMS_PAD_COUNT, internal_error,
            TG_E_USAGE, "a premaster of %zu bytes does not fit a %zu-byte RSA block", len, k);
  mpz_t c;
  mpz_init(c);
  int ok = 1;
  if (padding == TG_PMS_PAD_PKCS1) {
    ok = rsa_encrypt(&key->rsa, (void *)rng, tg_nettle_random, len, pms, c);
  } else {
    uint8_t *em = malloc(k);
    ok = em != NULL;
    if (ok) {
      spoiled_block(em, k, rng, pms, len, padding);
      nettle_mpz_set_str_256_u(c, k, em);
      mpz_powm(c, c, key->rsa.e, key->rsa.n); /* RSAEP (RFC 8017 5.1.1) */
      free(em);
    }
  }
  uint8_t *p = ok ? tg_w_reserve(out, k) : NULL;
  if (p != NULL)
    nettle_mpz_get_str_256(k, p, c);
  mpz_clear(c);
  TG_ENSURE(err, ok, internal_error, TG_E_INTERNAL, "RSA encryption of the premaster failed");
  return tg_writer_status(out);
}
