/* Hash descriptors over nettle's SHA-2, and the copyable running hash the transcript uses.
 *
 * The descriptors wrap nettle's functions rather than casting them: a cast function pointer
 * called through another type is undefined behaviour (and UBSan's -fsanitize=function says so). */
#include <string.h>

#include <nettle/sha2.h>

#include "tg/crypto.h"

_Static_assert(sizeof(struct sha256_ctx) <= TG_MAX_HASH_CTX, "TG_MAX_HASH_CTX too small");
_Static_assert(sizeof(struct sha512_ctx) <= TG_MAX_HASH_CTX, "TG_MAX_HASH_CTX too small");
_Static_assert(SHA512_DIGEST_SIZE <= TG_MAX_HASH_LEN, "TG_MAX_HASH_LEN too small");

static void sha256_init_(void *ctx) { sha256_init(ctx); }
static void sha256_update_(void *ctx, const uint8_t *p, size_t len) { sha256_update(ctx, len, p); }
static void sha256_digest_(void *ctx, uint8_t *out) { sha256_digest(ctx, SHA256_DIGEST_SIZE, out); }

static void sha384_init_(void *ctx) { sha384_init(ctx); }
/* SHA-384 is SHA-512 with another initial state and a truncated output: same update. */
static void sha384_update_(void *ctx, const uint8_t *p, size_t len) { sha512_update(ctx, len, p); }
static void sha384_digest_(void *ctx, uint8_t *out) { sha384_digest(ctx, SHA384_DIGEST_SIZE, out); }

static void sha512_init_(void *ctx) { sha512_init(ctx); }
static void sha512_update_(void *ctx, const uint8_t *p, size_t len) { sha512_update(ctx, len, p); }
static void sha512_digest_(void *ctx, uint8_t *out) { sha512_digest(ctx, SHA512_DIGEST_SIZE, out); }

const tg_hash_desc tg_sha256 = {
    .name = "sha256",
    .digest_len = SHA256_DIGEST_SIZE,
    .block_len = SHA256_BLOCK_SIZE,
    .init = sha256_init_,
    .update = sha256_update_,
    .digest = sha256_digest_,
};

const tg_hash_desc tg_sha384 = {
    .name = "sha384",
    .digest_len = SHA384_DIGEST_SIZE,
    .block_len = SHA384_BLOCK_SIZE,
    .init = sha384_init_,
    .update = sha384_update_,
    .digest = sha384_digest_,
};

const tg_hash_desc tg_sha512 = {
    .name = "sha512",
    .digest_len = SHA512_DIGEST_SIZE,
    .block_len = SHA512_BLOCK_SIZE,
    .init = sha512_init_,
    .update = sha512_update_,
    .digest = sha512_digest_,
};

void tg_hash_init(tg_hash_ctx *h, const tg_hash_desc *desc) {
  h->desc = desc;
  desc->init(h->state);
}

void tg_hash_update(tg_hash_ctx *h, tg_bytes data) {
  if (data.len > 0)
    h->desc->update(h->state, data.p, data.len);
}

void tg_hash_peek(const tg_hash_ctx *h, uint8_t *out) {
  /* nettle's digest resets the state it finishes, so finish a copy: the SHA-2 contexts hold no
   * pointers and copy by value. */
  tg_hash_ctx copy;
  memcpy(&copy, h, sizeof copy);
  copy.desc->digest(copy.state, out);
}

void tg_hash(const tg_hash_desc *desc, tg_bytes data, uint8_t *out) {
  tg_hash_ctx h;
  tg_hash_init(&h, desc);
  tg_hash_update(&h, data);
  h.desc->digest(h.state, out);
}
