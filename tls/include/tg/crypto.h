/* Cryptographic primitives of the built-in engine, as const descriptors backed by nettle/hogweed.
 * The engine names a hash, an AEAD, a key-exchange group or a signature scheme by pointer to its
 * descriptor; a test may pass its own descriptor (or RNG) to reproduce RFC 8448 byte for byte.
 *
 * Nothing here reads a clock or a global RNG: randomness comes from a tg_rng the caller gives.
 * Secret comparisons use tg_ct_eq (tg/codec.h). */
#ifndef TG_CRYPTO_H
#define TG_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/error.h"

#define TG_MAX_HASH_LEN 64  /* SHA-512 */
#define TG_MAX_HASH_CTX 512 /* bytes of state any hash descriptor needs */
#define TG_MAX_AEAD_KEY 32
#define TG_AEAD_NONCE_LEN 12 /* every TLS 1.3 AEAD: iv_length (RFC 8446 §5.3) */
#define TG_AEAD_TAG_LEN 16   /* the longest tag; CCM_8 has 8 bytes (tg_aead_desc.tag_len) */
/* nettle's GCM keeps a 4 KiB GHASH table (GCM_TABLE_BITS 8) in its context: 1024 was too small. */
#define TG_MAX_AEAD_CTX 4608
#define TG_MAX_HASH_BLOCK 128 /* SHA-384/512 block_len; HMAC's pad buffer */

/* Randomness, injected (STYLE rule 5). fill writes len random bytes. */
typedef struct tg_rng {
  void (*fill)(void *ctx, uint8_t *out, size_t len);
  void *ctx;
} tg_rng;

/* ---- Hash, HMAC, HKDF ------------------------------------------------------------------------ */

/* A descriptor of one's own (a test's) must keep digest_len <= TG_MAX_HASH_LEN, block_len <=
 * TG_MAX_HASH_BLOCK and its state within TG_MAX_HASH_CTX; the state must be copyable by value. */
typedef struct tg_hash_desc {
  const char *name; /* "sha256" */
  size_t digest_len;
  size_t block_len;
  void (*init)(void *ctx);
  void (*update)(void *ctx, const uint8_t *p, size_t len);
  /* Writes digest_len bytes; ctx may be reused only after init. */
  void (*digest)(void *ctx, uint8_t *out);
} tg_hash_desc;

extern const tg_hash_desc tg_sha256, tg_sha384, tg_sha512;
/* SHA-1, for HMAC-SHA1 in the TLS 1.2 CBC suites' record MAC only (RFC 5246 §6.2.3.2). */
extern const tg_hash_desc tg_sha1;

/* A running hash whose state can be copied (the transcript hash is read at several points). */
typedef struct tg_hash_ctx {
  const tg_hash_desc *desc;
  _Alignas(16) uint8_t state[TG_MAX_HASH_CTX];
} tg_hash_ctx;
void tg_hash_init(tg_hash_ctx *h, const tg_hash_desc *desc);
void tg_hash_update(tg_hash_ctx *h, tg_bytes data);
/* The digest of what was hashed so far, without disturbing h. */
void tg_hash_peek(const tg_hash_ctx *h, uint8_t *out);
void tg_hash(const tg_hash_desc *desc, tg_bytes data, uint8_t *out);

/* HMAC-Hash(key, data): digest_len bytes. out may alias key or data (as may HKDF's out its
 * inputs): a key schedule step may overwrite the secret it derives from. */
void tg_hmac(const tg_hash_desc *desc, tg_bytes key, tg_bytes data, uint8_t *out);
/* RFC 5869 HKDF-Extract(salt, IKM): digest_len bytes. */
void tg_hkdf_extract(const tg_hash_desc *desc, tg_bytes salt, tg_bytes ikm, uint8_t *prk);
/* RFC 5869 HKDF-Expand(PRK, info, L); L <= 255 * digest_len. */
TG_MUST_CHECK tg_status tg_hkdf_expand(const tg_hash_desc *desc, tg_bytes prk, tg_bytes info,
                                       uint8_t *out, size_t len, tg_err *err);
/* RFC 8446 §7.1 HKDF-Expand-Label(Secret, Label, Context, Length), label without "tls13 ". */
TG_MUST_CHECK tg_status tg_hkdf_expand_label(const tg_hash_desc *desc, tg_bytes secret,
                                             const char *label, tg_bytes context, uint8_t *out,
                                             size_t len, tg_err *err);
/* The HkdfLabel structure itself (for tests against RFC 8448's "info" values). */
void tg_hkdf_label_encode(tg_writer *w, const char *label, tg_bytes context, size_t len);
/* RFC 8446 §7.1 Derive-Secret(Secret, Label, Messages) with Messages given as its hash. */
TG_MUST_CHECK tg_status tg_derive_secret(const tg_hash_desc *desc, tg_bytes secret,
                                         const char *label, const uint8_t *transcript_hash,
                                         uint8_t *out, tg_err *err);

/* ---- AEAD ------------------------------------------------------------------------------------ */

typedef struct tg_aead_desc {
  const char *name; /* "AES-128-GCM" */
  size_t key_len;
  size_t tag_len;
  /* RFC 8446 §5.5 key usage limit: records to protect under one key before a key update is
   * needed; 0 = none short of the 64-bit sequence number. */
  uint64_t record_limit;
  void (*set_key)(void *ctx, const uint8_t *key);
  /* out = ciphertext || tag (len + tag_len bytes); out may equal in. */
  void (*seal)(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in, size_t len,
               uint8_t *out);
  /* in = ciphertext || tag; writes len - tag_len bytes; false (and nothing trustworthy in out)
   * when the tag does not verify. out may equal in. */
  bool (*open)(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in, size_t len,
               uint8_t *out);
} tg_aead_desc;

extern const tg_aead_desc tg_aes128_gcm, tg_aes256_gcm, tg_chacha20_poly1305;
/* AES-CCM with a 16-byte tag and CCM_8 with an 8-byte tag (RFC 6655, RFC 8446 §B.4), 12-byte
 * nonce. */
extern const tg_aead_desc tg_aes128_ccm, tg_aes128_ccm_8, tg_aes256_ccm, tg_aes256_ccm_8;

typedef struct tg_aead_ctx {
  const tg_aead_desc *desc;
  _Alignas(16) uint8_t state[TG_MAX_AEAD_CTX];
} tg_aead_ctx;
/* Binds a to desc and expands key (desc->key_len bytes). Call desc->seal/open with a->state. */
void tg_aead_init(tg_aead_ctx *a, const tg_aead_desc *desc, const uint8_t *key);

/* ---- CBC block ciphers (TLS 1.2 GenericBlockCipher, RFC 5246 §6.2.3.2) ---------------------- */

#define TG_CBC_BLOCK 16 /* AES */
#define TG_MAX_CBC_CTX 256

typedef struct tg_cbc_desc {
  const char *name; /* "AES-128-CBC" */
  size_t key_len;
  void (*set_encrypt_key)(void *ctx, const uint8_t *key);
  void (*set_decrypt_key)(void *ctx, const uint8_t *key);
  /* len is a multiple of TG_CBC_BLOCK; iv (one block) is updated to the last ciphertext block,
   * so consecutive calls chain. out may equal in. */
  void (*encrypt)(const void *ctx, uint8_t *iv, size_t len, uint8_t *out, const uint8_t *in);
  void (*decrypt)(const void *ctx, uint8_t *iv, size_t len, uint8_t *out, const uint8_t *in);
} tg_cbc_desc;

extern const tg_cbc_desc tg_aes128_cbc, tg_aes256_cbc;

/* ---- Cipher suites --------------------------------------------------------------------------- */

/* TLS 1.2 key exchange and authentication of a suite (RFC 5246 Appendix A.5, RFC 8422 §6);
 * TLS 1.3 suites name neither (TG_SUITE_KX_NONE). */
enum tg_suite_kx { TG_SUITE_KX_NONE = 0, TG_SUITE_KX_ECDHE = 1, TG_SUITE_KX_RSA = 2 };
enum tg_suite_auth { TG_SUITE_AUTH_NONE = 0, TG_SUITE_AUTH_ECDSA = 1, TG_SUITE_AUTH_RSA = 2 };

typedef struct tg_cipher_suite {
  uint16_t id; /* IANA value */
  const char *name;
  const tg_aead_desc *aead;
  const tg_hash_desc *hash;          /* TLS 1.3: HKDF's; TLS 1.2: the PRF's (RFC 5246 §5) */
  uint16_t min_version, max_version; /* TLS 1.3 suites: 0x0304 only; TLS 1.2 suites: 0x0303 */
  /* TLS 1.2 only (zero for TLS 1.3 suites): */
  uint8_t kx;           /* enum tg_suite_kx */
  uint8_t auth;         /* enum tg_suite_auth: the server certificate's key */
  uint8_t fixed_iv_len; /* 4: AES-GCM and AES-CCM salt + 8-byte explicit nonce (RFC 5288 §3,
                         * RFC 6655 §3); 12: the XORed nonce of ChaCha20-Poly1305 (RFC 7905 §2) */
  /* TLS 1.2 CBC suites (aead NULL, fixed_iv_len 0): the block cipher and the record MAC's hash
   * (HMAC, RFC 5246 §6.2.3.1); NULL for AEAD suites. */
  const tg_cbc_desc *cbc;
  const tg_hash_desc *mac;
} tg_cipher_suite;

/* The suite with that IANA value that this engine implements, or NULL. TLS 1.2 suites: ECDHE_ECDSA
 * and ECDHE_RSA with AES_128_GCM_SHA256, AES_256_GCM_SHA384, CHACHA20_POLY1305_SHA256, and
 * RSA_WITH_AES_128_GCM_SHA256 / AES_256_GCM_SHA384 (RSA key transport); the AES-CCM suites, TLS
 * 1.3 AES_128_CCM(_8)_SHA256 and TLS 1.2 ECDHE_ECDSA and RSA with AES_128/256_CCM(_8) (RFC
 * 7251, RFC 6655), found here but offered only when a configuration lists them; the CBC suites
 * ECDHE_ECDSA/ECDHE_RSA/RSA with AES_128_CBC_SHA, AES_256_CBC_SHA, AES_128_CBC_SHA256, and
 * AES_256_CBC_SHA384 (ECDHE) or AES_256_CBC_SHA256 (RSA). No RC4, 3DES or export suite. */
const tg_cipher_suite *tg_cipher_suite_find(uint16_t id);

/* ---- TLS 1.2 PRF (RFC 5246 §5) ---------------------------------------------------------------
 * PRF(secret, label, seed) = P_<hash>(secret, label + seed), with
 * P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ...,
 * A(0) = seed, A(i) = HMAC_hash(secret, A(i-1)). seed is the concatenation of seed1 and seed2
 * (either may be empty): most uses are label + random + random. out may not alias the inputs. */
void tg_tls12_prf(const tg_hash_desc *hash, tg_bytes secret, const char *label, tg_bytes seed1,
                  tg_bytes seed2, uint8_t *out, size_t len);

#endif
