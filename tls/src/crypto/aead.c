/* AEAD descriptors over nettle: AES-128-GCM, AES-256-GCM (NIST SP 800-38D) and
 * ChaCha20-Poly1305 (RFC 8439), with the 12-byte nonce and 16-byte tag TLS 1.3 uses (RFC 8446
 * §5.3, RFC 5116 §5.1 and §5.3); AES-128/256-CCM (NIST SP 800-38C, RFC 5116 §5.3 and §5.4) with
 * the same 12-byte nonce and a 16-byte tag, and their CCM_8 variants with an 8-byte tag (RFC 6655
 * §3, RFC 8446 §B.4). CCM writes the tag length into its first CBC-MAC block, so an 8-byte tag is
 * not a truncated 16-byte one: each tag length is its own descriptor.
 *
 * open decrypts, then recomputes the tag and compares it with nettle's constant-time memeql_sec.
 * On a mismatch the output is wiped, so unauthenticated plaintext never reaches a caller that
 * forgot to check the result. */
#include <string.h>

#include <nettle/aes.h>
#include <nettle/ccm.h>
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
               "GCM and ChaCha20-Poly1305 tags are 16 bytes");
_Static_assert(CCM_DIGEST_SIZE == TG_AEAD_TAG_LEN, "the longest CCM tag is 16 bytes");

/* After decrypting: true if the computed tag (tag_len bytes) equals the received one; else wipes
 * out. */
static bool check_tag(const uint8_t *computed, const uint8_t *received, uint8_t *out, size_t len,
                      size_t tag_len) {
  if (memeql_sec(computed, received, tag_len))
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
  return check_tag(tag, in + len, out, len, TG_AEAD_TAG_LEN);
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
  return check_tag(tag, in + len, out, len, TG_AEAD_TAG_LEN);
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
  return check_tag(tag, in + len, out, len, TG_AEAD_TAG_LEN);
}

/* ---- AES-CCM, AES-CCM_8 --------------------------------------------------------------------- */

/* CCM needs the lengths of the additional data and of the message before it starts (they go into
 * its first CBC-MAC block, SP 800-38C A.2); both are known here, so nettle's per-message API
 * serves, over the expanded AES key kept beside it. */
typedef struct ccm_state {
  struct ccm_ctx ccm;
  union {
    struct aes128_ctx aes128;
    struct aes256_ctx aes256;
  } key;
  nettle_cipher_func *block; /* AES-128 or AES-256, as nettle's CCM calls it */
  size_t tag_len;            /* 16, or 8 for CCM_8 */
} ccm_state;

_Static_assert(sizeof(ccm_state) <= TG_MAX_AEAD_CTX, "TG_MAX_AEAD_CTX too small");

static void aes128_block(const void *key, size_t len, uint8_t *dst, const uint8_t *src) {
  aes128_encrypt(key, len, dst, src);
}

static void aes256_block(const void *key, size_t len, uint8_t *dst, const uint8_t *src) {
  aes256_encrypt(key, len, dst, src);
}

static void ccm_seal(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in, size_t len,
                     uint8_t *out) {
  ccm_state *s = ctx;
  ccm_set_nonce(&s->ccm, &s->key, s->block, TG_AEAD_NONCE_LEN, nonce, aad.len, len, s->tag_len);
  ccm_update(&s->ccm, &s->key, s->block, aad.len, aad.p);
  ccm_encrypt(&s->ccm, &s->key, s->block, len, out, in);
  ccm_digest(&s->ccm, &s->key, s->block, s->tag_len, out + len);
}

static bool ccm_open(void *ctx, const uint8_t *nonce, tg_bytes aad, const uint8_t *in, size_t len,
                     uint8_t *out) {
  ccm_state *s = ctx;
  uint8_t tag[CCM_DIGEST_SIZE];
  if (len < s->tag_len)
    return false;
  len -= s->tag_len;
  ccm_set_nonce(&s->ccm, &s->key, s->block, TG_AEAD_NONCE_LEN, nonce, aad.len, len, s->tag_len);
  ccm_update(&s->ccm, &s->key, s->block, aad.len, aad.p);
  ccm_decrypt(&s->ccm, &s->key, s->block, len, out, in);
  ccm_digest(&s->ccm, &s->key, s->block, s->tag_len, tag);
  return check_tag(tag, in + len, out, len, s->tag_len);
}

/* The key, and with it which cipher and tag length the descriptor means. */
static void ccm_set_key(void *ctx, const uint8_t *key, bool aes256, size_t tag_len) {
  ccm_state *s = ctx;
  if (aes256)
    aes256_set_encrypt_key(&s->key.aes256, key);
  else
    aes128_set_encrypt_key(&s->key.aes128, key);
  s->block = aes256 ? aes256_block : aes128_block;
  s->tag_len = tag_len;
}

static void aes128_ccm_set_key(void *ctx, const uint8_t *key) { ccm_set_key(ctx, key, false, 16); }
static void aes128_ccm_8_set_key(void *ctx, const uint8_t *key) { ccm_set_key(ctx, key, false, 8); }
static void aes256_ccm_set_key(void *ctx, const uint8_t *key) { ccm_set_key(ctx, key, true, 16); }
static void aes256_ccm_8_set_key(void *ctx, const uint8_t *key) { ccm_set_key(ctx, key, true, 8); }

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

/* RFC 8446 §5.5 names no limit for AES-CCM. CCM runs each block through AES twice (CBC-MAC and
 * CTR), so the bound RFC 8446 uses for AES-GCM, over twice the blocks per full record, comes to
 * about 2^23.5 records (the analysis of draft-irtf-cfrg-aead-limits); rounded down to 2^23. The
 * 8-byte tag of CCM_8 weakens forgery resistance, not confidentiality: the same limit. */
#define AES_CCM_RECORD_LIMIT (UINT64_C(1) << 23)

const tg_aead_desc tg_aes128_ccm = {
    .name = "AES-128-CCM",
    .key_len = 16,
    .tag_len = 16,
    .record_limit = AES_CCM_RECORD_LIMIT,
    .set_key = aes128_ccm_set_key,
    .seal = ccm_seal,
    .open = ccm_open,
};

const tg_aead_desc tg_aes128_ccm_8 = {
    .name = "AES-128-CCM-8",
    .key_len = 16,
    .tag_len = 8,
    .record_limit = AES_CCM_RECORD_LIMIT,
    .set_key = aes128_ccm_8_set_key,
    .seal = ccm_seal,
    .open = ccm_open,
};

const tg_aead_desc tg_aes256_ccm = {
    .name = "AES-256-CCM",
    .key_len = 32,
    .tag_len = 16,
    .record_limit = AES_CCM_RECORD_LIMIT,
    .set_key = aes256_ccm_set_key,
    .seal = ccm_seal,
    .open = ccm_open,
};

const tg_aead_desc tg_aes256_ccm_8 = {
    .name = "AES-256-CCM-8",
    .key_len = 32,
    .tag_len = 8,
    .record_limit = AES_CCM_RECORD_LIMIT,
    .set_key = aes256_ccm_8_set_key,
    .seal = ccm_seal,
    .open = ccm_open,
};

void tg_aead_init(tg_aead_ctx *a, const tg_aead_desc *desc, const uint8_t *key) {
  a->desc = desc;
  desc->set_key(a->state, key);
}
