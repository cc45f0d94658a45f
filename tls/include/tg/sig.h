/* Signature schemes (RFC 8446 §4.2.3) as const descriptors over nettle/hogweed, and the keys
 * that make and check them: private keys from PEM or DER (PKCS#8, SEC1, PKCS#1) and public keys
 * from SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
 *
 * sign and verify take the whole message and hash it themselves, because Ed25519 signs messages,
 * not digests. A signature that does not verify is decrypt_error (RFC 8446 §4.4.3).
 *
 * Keys are long-lived configuration objects and own nettle/gmp state, so they are allocated
 * (tg_*_key_free releases them); ephemeral key exchange is in tg/kex.h and allocates nothing of
 * its own. Loading errors are decode_error (malformed) or illegal_parameter (well-formed but
 * unusable: unknown algorithm or curve, a key that fails its consistency checks). */
#ifndef TG_SIG_H
#define TG_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/crypto.h"
#include "tg/error.h"

typedef enum tg_key_type {
  TG_KEY_NONE = 0,
  TG_KEY_RSA,     /* rsaEncryption: rsa_pss_rsae_*, rsa_pkcs1_* */
  TG_KEY_RSA_PSS, /* id-RSASSA-PSS: rsa_pss_pss_* (RFC 8446 §4.2.3) */
  TG_KEY_EC_P256,
  TG_KEY_EC_P384,
  TG_KEY_ED25519,
} tg_key_type;

const char *tg_key_type_name(tg_key_type type); /* "RSA", "EC P-256", ... */

typedef struct tg_private_key tg_private_key;
typedef struct tg_public_key tg_public_key;

/* ---- Loading keys ---------------------------------------------------------------------------- */

typedef enum tg_key_format {
  TG_KEY_FORMAT_AUTO = 0, /* told apart by the second element of the outer SEQUENCE */
  TG_KEY_FORMAT_PKCS8,    /* RFC 5208 / 5958 PrivateKeyInfo, PEM "PRIVATE KEY" */
  TG_KEY_FORMAT_SEC1,     /* RFC 5915 ECPrivateKey, PEM "EC PRIVATE KEY" */
  TG_KEY_FORMAT_PKCS1,    /* RFC 8017 A.1.2 RSAPrivateKey, PEM "RSA PRIVATE KEY" */
} tg_key_format;

TG_MUST_CHECK tg_status tg_private_key_from_der(tg_bytes der, tg_key_format format,
                                                tg_private_key **out, tg_err *err);
/* The first private key block of a PEM text; other blocks (certificates) are skipped. */
TG_MUST_CHECK tg_status tg_private_key_from_pem(tg_bytes text, tg_private_key **out, tg_err *err);
/* From PEM if the input holds "-----BEGIN ", else from DER with TG_KEY_FORMAT_AUTO. */
TG_MUST_CHECK tg_status tg_private_key_load(tg_bytes input, tg_private_key **out, tg_err *err);
/* An RSA key from its numbers (unsigned big-endian), e.g. the RFC 8448 §2 key. */
TG_MUST_CHECK tg_status tg_private_key_rsa(tg_bytes n, tg_bytes e, tg_bytes d, tg_bytes p,
                                           tg_bytes q, tg_bytes dp, tg_bytes dq, tg_bytes qinv,
                                           tg_private_key **out, tg_err *err);
void tg_private_key_free(tg_private_key *key);
tg_key_type tg_private_key_type(const tg_private_key *key);
/* The matching public key (to compare with a certificate, or to verify one's own signature). */
TG_MUST_CHECK tg_status tg_private_key_public(const tg_private_key *key, tg_public_key **out,
                                              tg_err *err);

/* SubjectPublicKeyInfo DER, e.g. the view a certificate parser hands over. */
TG_MUST_CHECK tg_status tg_public_key_from_spki(tg_bytes spki, tg_public_key **out, tg_err *err);
TG_MUST_CHECK tg_status tg_public_key_rsa(tg_bytes n, tg_bytes e, tg_public_key **out, tg_err *err);
void tg_public_key_free(tg_public_key *key);
tg_key_type tg_public_key_type(const tg_public_key *key);
/* Modulus size for RSA, field size for EC, 256 for Ed25519. */
size_t tg_public_key_bits(const tg_public_key *key);

/* ---- Signature schemes ----------------------------------------------------------------------- */

typedef struct tg_sig_scheme_desc tg_sig_scheme_desc;
struct tg_sig_scheme_desc {
  uint16_t scheme;          /* SignatureScheme, RFC 8446 §4.2.3 */
  const char *name;         /* "rsa_pss_rsae_sha256" */
  tg_key_type key_type;     /* the key it needs */
  const tg_hash_desc *hash; /* NULL for ed25519 (the scheme hashes internally) */
  bool tls13_ok;            /* false for rsa_pkcs1_*: certificates only (RFC 8446 §4.2.3) */
  /* Appends the signature of msg to sig. */
  tg_status (*sign)(const tg_sig_scheme_desc *s, const tg_private_key *key, const tg_rng *rng,
                    tg_bytes msg, tg_writer *sig, tg_err *err);
  /* TG_OK, or decrypt_error when sig is not a valid signature of msg. */
  tg_status (*verify)(const tg_sig_scheme_desc *s, const tg_public_key *key, tg_bytes msg,
                      tg_bytes sig, tg_err *err);
};

extern const tg_sig_scheme_desc tg_ecdsa_secp256r1_sha256, tg_ecdsa_secp384r1_sha384,
    tg_rsa_pss_rsae_sha256, tg_rsa_pss_rsae_sha384, tg_rsa_pss_rsae_sha512, tg_rsa_pss_pss_sha256,
    tg_rsa_pss_pss_sha384, tg_rsa_pss_pss_sha512, tg_ed25519, tg_rsa_pkcs1_sha256,
    tg_rsa_pkcs1_sha384, tg_rsa_pkcs1_sha512;

/* The scheme with that SignatureScheme value that this engine implements, or NULL. */
const tg_sig_scheme_desc *tg_sig_scheme_find(uint16_t scheme);

/* The descriptor's sign/verify with the checks every caller needs: the key type must match the
 * scheme (sign: internal_error; verify: illegal_parameter, RFC 8446 §4.4.2.2 — the peer chose
 * a scheme its certificate's key cannot make). */
TG_MUST_CHECK tg_status tg_sig_sign(const tg_sig_scheme_desc *s, const tg_private_key *key,
                                    const tg_rng *rng, tg_bytes msg, tg_writer *sig, tg_err *err);
TG_MUST_CHECK tg_status tg_sig_verify(const tg_sig_scheme_desc *s, const tg_public_key *key,
                                      tg_bytes msg, tg_bytes sig, tg_err *err);
/* For a TLS 1.3 CertificateVerify: the implemented scheme, refusing rsa_pkcs1_* and unknown
 * values with illegal_parameter (RFC 8446 §4.4.3). */
TG_MUST_CHECK tg_status tg_sig_scheme_for_tls13(uint16_t scheme, const tg_sig_scheme_desc **out,
                                                tg_err *err);

/* ---- RSA key transport (TLS 1.2, RFC 5246 §7.4.7.1) -------------------------------------------
 * The 48-byte PreMasterSecret {client_version, random[46]}, RSAES-PKCS1-v1_5 encrypted. */
#define TG_RSA_PMS_LEN 48

/* Client: appends the encryption of pms (48 bytes) under key (an rsaEncryption key) to out,
 * modulus-length bytes; the padding is drawn from rng. Wrong key type: illegal_parameter. */
TG_MUST_CHECK tg_status tg_rsa_kx_encrypt(const tg_public_key *key, const tg_rng *rng,
                                          const uint8_t *pms, tg_writer *out, tg_err *err);
/* How a premaster may be padded: right, or spoiled (for the scripted client's deviations;
 * RFC 8017 7.2.2 step 3 lists what a decryption must reject). */
typedef enum tg_pms_padding {
  TG_PMS_PAD_PKCS1 = 0,    /* 00 02 PS 00 M, PS at least 8 nonzero random bytes */
  TG_PMS_PAD_BLOCK_TYPE,   /* 00 01 PS 00 M: the block type of a signature, not 02 */
  TG_PMS_PAD_NO_SEPARATOR, /* 00 02 PS M: no zero byte anywhere after the block type */
  TG_PMS_PAD_FIRST_BYTE,   /* 01 02 PS 00 M: the leading byte is not zero */
  TG_PMS_PAD_SHORT_PS,     /* 00 02 PS 00 M, a zero byte among PS's first 8 bytes */
  TG_PMS_PAD_COUNT
} tg_pms_padding;

/* Client: as tg_rsa_kx_encrypt, for a premaster of any length len (up to the modulus length
 * less 11) padded as padding says. */
TG_MUST_CHECK tg_status tg_rsa_kx_encrypt_as(const tg_public_key *key, const tg_rng *rng,
                                             const uint8_t *pms, size_t len, tg_pms_padding padding,
                                             tg_writer *out, tg_err *err);
/* Server: the countermeasure of RFC 5246 §7.4.7.1 (Bleichenbacher), in constant time. pms is
 * the decrypted PreMasterSecret when the decryption succeeds and its first two bytes are
 * client_version, else fallback (48 random bytes the caller drew before); which one it is
 * depends on no branch and is not returned. Never fails on the peer's bytes (a ciphertext of
 * the wrong length selects the fallback); fails only for a key that is not RSA (internal_error). */
TG_MUST_CHECK tg_status tg_rsa_kx_decrypt(const tg_private_key *key, const tg_rng *rng,
                                          tg_bytes ciphertext, uint16_t client_version,
                                          const uint8_t *fallback, uint8_t *pms, tg_err *err);

#endif
