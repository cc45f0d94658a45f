/* The primitives of the TLS 1.2 CBC suites (RFC 5246 §6.2.3.2): AES-128/256 in CBC mode and
 * SHA-1 for HMAC-SHA1, over nettle. The record layer that uses them, with its constant-time
 * MAC-then-encrypt decryption, is tls/src/record/protection_cbc.c.
 *
 * As in hash.c the descriptors wrap nettle's functions instead of casting them (UBSan's
 * -fsanitize=function). */
#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/sha1.h>

#include "tg/crypto.h"

_Static_assert(sizeof(struct sha1_ctx) <= TG_MAX_HASH_CTX, "TG_MAX_HASH_CTX too small");
_Static_assert(sizeof(struct aes256_ctx) <= TG_MAX_CBC_CTX, "TG_MAX_CBC_CTX too small");
_Static_assert(AES_BLOCK_SIZE == TG_CBC_BLOCK, "AES blocks are 16 bytes");

/* ---- SHA-1 ----------------------------------------------------------------------------------- */

static void sha1_init_(void *ctx) { sha1_init(ctx); }
static void sha1_update_(void *ctx, const uint8_t *p, size_t len) { sha1_update(ctx, len, p); }
static void sha1_digest_(void *ctx, uint8_t *out) { sha1_digest(ctx, SHA1_DIGEST_SIZE, out); }

const tg_hash_desc tg_sha1 = {
    .name = "sha1",
    .digest_len = SHA1_DIGEST_SIZE,
    .block_len = SHA1_BLOCK_SIZE,
    .init = sha1_init_,
    .update = sha1_update_,
    .digest = sha1_digest_,
};

/* ---- AES-CBC --------------------------------------------------------------------------------- */

static void aes128_enc_block(const void *ctx, size_t len, uint8_t *out, const uint8_t *in) {
  aes128_encrypt(ctx, len, out, in);
}
static void aes128_dec_block(const void *ctx, size_t len, uint8_t *out, const uint8_t *in) {
  aes128_decrypt(ctx, len, out, in);
}
static void aes256_enc_block(const void *ctx, size_t len, uint8_t *out, const uint8_t *in) {
  aes256_encrypt(ctx, len, out, in);
}
static void aes256_dec_block(const void *ctx, size_t len, uint8_t *out, const uint8_t *in) {
  aes256_decrypt(ctx, len, out, in);
}

static void aes128_set_enc(void *ctx, const uint8_t *key) { aes128_set_encrypt_key(ctx, key); }
static void aes128_set_dec(void *ctx, const uint8_t *key) { aes128_set_decrypt_key(ctx, key); }
static void aes256_set_enc(void *ctx, const uint8_t *key) { aes256_set_encrypt_key(ctx, key); }
static void aes256_set_dec(void *ctx, const uint8_t *key) { aes256_set_decrypt_key(ctx, key); }

/* nettle's cbc_encrypt/cbc_decrypt chain iv in place and accept out == in. */
static void aes128_cbc_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *out,
                           const uint8_t *in) {
  cbc_encrypt(ctx, aes128_enc_block, AES_BLOCK_SIZE, iv, len, out, in);
}
static void aes128_cbc_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *out,
                           const uint8_t *in) {
  cbc_decrypt(ctx, aes128_dec_block, AES_BLOCK_SIZE, iv, len, out, in);
}
static void aes256_cbc_enc(const void *ctx, uint8_t *iv, size_t len, uint8_t *out,
                           const uint8_t *in) {
  cbc_encrypt(ctx, aes256_enc_block, AES_BLOCK_SIZE, iv, len, out, in);
}
static void aes256_cbc_dec(const void *ctx, uint8_t *iv, size_t len, uint8_t *out,
                           const uint8_t *in) {
  cbc_decrypt(ctx, aes256_dec_block, AES_BLOCK_SIZE, iv, len, out, in);
}

const tg_cbc_desc tg_aes128_cbc = {
    .name = "AES-128-CBC",
    .key_len = AES128_KEY_SIZE,
    .set_encrypt_key = aes128_set_enc,
    .set_decrypt_key = aes128_set_dec,
    .encrypt = aes128_cbc_enc,
    .decrypt = aes128_cbc_dec,
};

const tg_cbc_desc tg_aes256_cbc = {
    .name = "AES-256-CBC",
    .key_len = AES256_KEY_SIZE,
    .set_encrypt_key = aes256_set_enc,
    .set_decrypt_key = aes256_set_dec,
    .encrypt = aes256_cbc_enc,
    .decrypt = aes256_cbc_dec,
};
