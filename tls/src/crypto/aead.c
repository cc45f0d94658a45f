/* AEAD descriptors over nettle: AES-128-GCM, AES-256-GCM (NIST SP 800-38D) and
 * ChaCha20-Poly1305 (RFC 8439), with the 12-byte nonce and 16-byte tag TLS 1.3 uses (RFC 8446
 * §5.3, RFC 5116 §5.1 and §5.3).
 *
 * open decrypts, then recomputes the tag and compares it with nettle's constant-time memeql_sec.
 * On a mismatch the output is wiped, so unauthenticated plaintext never reaches a caller that
 * forgot to check the result. */
#include <string.h>

#include <nettle/chacha-poly1305.h>
#include <nettle/gcm.h>
#include <nettle/memops.h>

#include "tg/crypto.h"

_Static_assert(sizeof(struct gcm_aes128_ctx) <= TG_MAX_AEAD_CTX, "TG_MAX_AEAD_CTX too small");
_Static_assert(sizeof(struct gcm_aes256_ctx) <= TG_MAX_AEAD_CTX, "TG_MAX_AEAD_CTX too small");
_Static_assert(sizeof(struct chacha_poly1305_ctx) <= TG_MAX_AEAD_CTX, "TG_MAX_AEAD_CTX too small");
_Static_assert(GCM_IV_SIZE == TG_AEAD_NONCE_LEN && CHACHA_POLY1305_NONCE_SIZE == TG_AEAD_NONCE_LEN,
               "TLS 1.3 nonces are 12 bytes");
_Static_assert(GCM_DIGEST_SIZE == TG_AEAD_TAG_LEN && CHACHA_POLY1305_DIGEST_SIZE == TG_AEAD_TAG_LEN,
               "TLS 1.3 tags are 16 bytes");

/* After decrypting: true if the computed tag equals the received one; else wipes out. */
static bool check_tag(const uint8_t *computed, const uint8_t *received, uint8_t *out, size_t len) {
  if (memeql_sec(computed, received, TG_AEAD_TAG_LEN))
    return true;
  memset(out, 0, len);
  return false;
}

/* ---- AES-128-GCM ---------------------------------------------------------------------------- */

static void aes128_gcm_set_key(void *ctx, const uint8_t *key) { gcm_aes128_set_key(ctx, key); }

static void aes128_gcm_seal(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in,
                            size_t len, uint8_t *out) {
  gcm_aes128_set_iv(ctx, GCM_IV_SIZE, nonce);
  gcm_aes128_update(ctx, aad.len, aad.p);
  gcm_aes128_encrypt(ctx, len, out, in);
  gcm_aes128_digest(ctx, GCM_DIGEST_SIZE, out + len);
}

static bool aes128_gcm_open(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in,
                            size_t len, uint8_t *out) {
  uint8_t tag[GCM_DIGEST_SIZE];
  if (len < GCM_DIGEST_SIZE)
    return false;
  len -= GCM_DIGEST_SIZE;
  gcm_aes128_set_iv(ctx, GCM_IV_SIZE, nonce);
  gcm_aes128_update(ctx, aad.len, aad.p);
  gcm_aes128_decrypt(ctx, len, out, in);
  gcm_aes128_digest(ctx, GCM_DIGEST_SIZE, tag);
  return check_tag(tag, in + len, out, len);
}

/* ---- AES-256-GCM ---------------------------------------------------------------------------- */

static void aes256_gcm_set_key(void *ctx, const uint8_t *key) { gcm_aes256_set_key(ctx, key); }

static void aes256_gcm_seal(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in,
                            size_t len, uint8_t *out) {
  gcm_aes256_set_iv(ctx, GCM_IV_SIZE, nonce);
  gcm_aes256_update(ctx, aad.len, aad.p);
  gcm_aes256_encrypt(ctx, len, out, in);
  gcm_aes256_digest(ctx, GCM_DIGEST_SIZE, out + len);
}

static bool aes256_gcm_open(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in,
                            size_t len, uint8_t *out) {
  uint8_t tag[GCM_DIGEST_SIZE];
  if (len < GCM_DIGEST_SIZE)
    return false;
  len -= GCM_DIGEST_SIZE;
  gcm_aes256_set_iv(ctx, GCM_IV_SIZE, nonce);
  gcm_aes256_update(ctx, aad.len, aad.p);
  gcm_aes256_decrypt(ctx, len, out, in);
  gcm_aes256_digest(ctx, GCM_DIGEST_SIZE, tag);
  return check_tag(tag, in + len, out, len);
}

/* ---- ChaCha20-Poly1305 ---------------------------------------------------------------------- */

static void cp1305_set_key(void *ctx, const uint8_t *key) { chacha_poly1305_set_key(ctx, key); }

static void cp1305_seal(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in,
                        size_t len, uint8_t *out) {
  chacha_poly1305_set_nonce(ctx, nonce);
  chacha_poly1305_update(ctx, aad.len, aad.p);
  chacha_poly1305_encrypt(ctx, len, out, in);
  chacha_poly1305_digest(ctx, CHACHA_POLY1305_DIGEST_SIZE, out + len);
}

static bool cp1305_open(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in,
                        size_t len, uint8_t *out) {
  uint8_t tag[CHACHA_POLY1305_DIGEST_SIZE];
  if (len < CHACHA_POLY1305_DIGEST_SIZE)
    return false;
  len -= CHACHA_POLY1305_DIGEST_SIZE;
  chacha_poly1305_set_nonce(ctx, nonce);
  chacha_poly1305_update(ctx, aad.len, aad.p);
  chacha_poly1305_decrypt(ctx, len, out, in);
  chacha_poly1305_digest(ctx, CHACHA_POLY1305_DIGEST_SIZE, tag);
  return check_tag(tag, in + len, out, len);
}

/* ---- Descriptors ---------------------------------------------------------------------------- */

/* RFC 8446 §5.5: "For AES-GCM, up to 2^24.5 full-size records (about 24 million) may be
 * encrypted on a given connection while keeping a safety margin of approximately 2^-57".
 * floor(2^24.5) = 23726566. */
#define AES_GCM_RECORD_LIMIT UINT64_C(23726566)

const tg_aead_desc tg_aes128_gcm = {
    .name = "AES-128-GCM",
    .key_len = 16,
    .tag_len = GCM_DIGEST_SIZE,
    .record_limit = AES_GCM_RECORD_LIMIT,
    .set_key = aes128_gcm_set_key,
    .seal = aes128_gcm_seal,
    .open = aes128_gcm_open,
};

const tg_aead_desc tg_aes256_gcm = {
    .name = "AES-256-GCM",
    .key_len = 32,
    .tag_len = GCM_DIGEST_SIZE,
    .record_limit = AES_GCM_RECORD_LIMIT,
    .set_key = aes256_gcm_set_key,
    .seal = aes256_gcm_seal,
    .open = aes256_gcm_open,
};

/* RFC 8446 §5.5: "For ChaCha20/Poly1305, the record sequence number would wrap before the safety
 * limit is reached": no limit of its own (0). */
const tg_aead_desc tg_chacha20_poly1305 = {
    .name = "CHACHA20-POLY1305",
    .key_len = CHACHA_POLY1305_KEY_SIZE,
    .tag_len = CHACHA_POLY1305_DIGEST_SIZE,
    .record_limit = 0,
    .set_key = cp1305_set_key,
    .seal = cp1305_seal,
    .open = cp1305_open,
};

void tg_aead_init(tg_aead_ctx *a, const tg_aead_desc *desc, const uint8_t *key) {
  a->desc = desc;
  desc->set_key(a->state, key);
}
