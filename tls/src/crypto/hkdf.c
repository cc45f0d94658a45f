/* HMAC (RFC 2104) over any hash descriptor, HKDF (RFC 5869), and the TLS 1.3 key schedule
 * primitives HKDF-Expand-Label and Derive-Secret (RFC 8446 §7.1).
 *
 * HMAC is written once over tg_hash_desc instead of using nettle's per-hash HMAC, so a test or a
 * new suite that swaps the hash descriptor gets HMAC and HKDF with it. */
#include <string.h>

#include "tg/crypto.h"

/* HMAC as two running hashes keyed once: HKDF-Expand reuses them for every output block. */
typedef struct hmac_state {
  tg_hash_ctx inner; /* H((K ^ ipad) || ... */
  tg_hash_ctx outer; /* H((K ^ opad) || ... */
} hmac_state;

static void hmac_key(hmac_state *s, const tg_hash_desc *desc, tg_bytes key) {
  uint8_t k[TG_MAX_HASH_BLOCK] = {0};
  uint8_t pad[TG_MAX_HASH_BLOCK];
  /* RFC 2104 §2: a key longer than the block is hashed first; a shorter one is zero-padded
   * (so an empty key equals HashLen zeros, which RFC 5869 §2.2 uses for a missing salt). */
  if (key.len > desc->block_len)
    tg_hash(desc, key, k);
  else if (key.len > 0)
    memcpy(k, key.p, key.len);
  for (size_t i = 0; i < desc->block_len; i++)
    pad[i] = k[i] ^ 0x36;
  tg_hash_init(&s->inner, desc);
  tg_hash_update(&s->inner, tg_bytes_of(pad, desc->block_len));
  for (size_t i = 0; i < desc->block_len; i++)
    pad[i] = k[i] ^ 0x5c;
  tg_hash_init(&s->outer, desc);
  tg_hash_update(&s->outer, tg_bytes_of(pad, desc->block_len));
}

/* Finishes H(opad-state || H(ipad-state || data)) on copies, leaving s keyed for the next use. */
static void hmac_finish(const hmac_state *s, const tg_hash_ctx *inner, uint8_t *out) {
  uint8_t ihash[TG_MAX_HASH_LEN];
  tg_hash_ctx outer = s->outer;
  tg_hash_peek(inner, ihash);
  tg_hash_update(&outer, tg_bytes_of(ihash, outer.desc->digest_len));
  tg_hash_peek(&outer, out);
}

void tg_hmac(const tg_hash_desc *desc, tg_bytes key, tg_bytes data, uint8_t *out) {
  hmac_state s;
  hmac_key(&s, desc, key);
  tg_hash_update(&s.inner, data);
  hmac_finish(&s, &s.inner, out);
}

void tg_hkdf_extract(const tg_hash_desc *desc, tg_bytes salt, tg_bytes ikm, uint8_t *prk) {
  /* RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM). */
  tg_hmac(desc, salt, ikm, prk);
}

tg_status tg_hkdf_expand(const tg_hash_desc *desc, tg_bytes prk, tg_bytes info, uint8_t *out,
                         size_t len, tg_err *err) {
  size_t hash_len = desc->digest_len;
  /* RFC 5869 §2.3: L <= 255*HashLen. */
  TG_ENSURE(err, len <= 255 * hash_len, internal_error, TG_E_USAGE,
            "HKDF-Expand length %zu exceeds 255 * %zu", len, hash_len);
  hmac_state s;
  hmac_key(&s, desc, prk);
  uint8_t t[TG_MAX_HASH_LEN];
  size_t t_len = 0; /* T(0) is empty */
  for (uint8_t i = 1; len > 0; i++) {
    /* T(i) = HMAC-Hash(PRK, T(i-1) | info | i) */
    tg_hash_ctx inner = s.inner;
    tg_hash_update(&inner, tg_bytes_of(t, t_len));
    tg_hash_update(&inner, info);
    tg_hash_update(&inner, tg_bytes_of(&i, 1));
    hmac_finish(&s, &inner, t);
    t_len = hash_len;
    size_t n = len < hash_len ? len : hash_len;
    memcpy(out, t, n);
    out += n;
    len -= n;
  }
  return TG_OK;
}

/*   struct {
 *       uint16 length = Length;
 *       opaque label<7..255> = "tls13 " + Label;
 *       opaque context<0..255> = Context;
 *   } HkdfLabel;                                      (RFC 8446 §7.1) */
void tg_hkdf_label_encode(tg_writer *w, const char *label, tg_bytes context, size_t len) {
  static const char prefix[] = "tls13 ";
  tg_w_u16(w, (uint16_t)len);
  size_t mark = tg_w_open(w, 1);
  tg_w_bytes(w, prefix, sizeof prefix - 1);
  tg_w_bytes(w, label, strlen(label));
  tg_w_close(w, mark, 1, 255, "HkdfLabel.label");
  mark = tg_w_open(w, 1);
  tg_w_view(w, context);
  tg_w_close(w, mark, 1, 255, "HkdfLabel.context");
}

tg_status tg_hkdf_expand_label(const tg_hash_desc *desc, tg_bytes secret, const char *label,
                               tg_bytes context, uint8_t *out, size_t len, tg_err *err) {
  /* HkdfLabel.length is a uint16 and label<7..255> needs a non-empty Label: anything else is a
   * caller bug, caught here rather than silently truncated. */
  TG_ENSURE(err, len <= UINT16_MAX, internal_error, TG_E_USAGE,
            "HKDF-Expand-Label length %zu does not fit HkdfLabel.length", len);
  TG_ENSURE(err, label[0] != '\0', internal_error, TG_E_USAGE,
            "HKDF-Expand-Label with empty Label");
  uint8_t info[2 + 1 + 255 + 1 + 255];
  tg_writer w;
  tg_writer_init(&w, info, sizeof info, err);
  tg_hkdf_label_encode(&w, label, context, len);
  TG_TRY(tg_writer_status(&w));
  return tg_hkdf_expand(desc, secret, tg_writer_bytes(&w), out, len, err);
}

tg_status tg_derive_secret(const tg_hash_desc *desc, tg_bytes secret, const char *label,
                           const uint8_t *transcript_hash, uint8_t *out, tg_err *err) {
  /* RFC 8446 §7.1: Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
   * Transcript-Hash(Messages), Hash.length). */
  return tg_hkdf_expand_label(desc, secret, label, tg_bytes_of(transcript_hash, desc->digest_len),
                              out, desc->digest_len, err);
}
