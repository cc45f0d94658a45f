/* TLS 1.2 CBC record protection: GenericBlockCipher (RFC 5246 §6.2.3.2), MAC-then-encrypt, or
 * encrypt_then_mac when negotiated (RFC 7366 §3). tg/protection.h has the record layouts.
 *
 * Decryption of MAC-then-encrypt records is the padding oracle's home (Vaudenay; Lucky Thirteen,
 * AlFardan and Paterson 2013). RFC 5246 §6.2.3.2: "implementations MUST ensure that record
 * processing time is essentially the same whether or not the padding is correct", and a wrong
 * padding is bad_record_mac like a wrong MAC. So, once the public lengths are checked:
 *   - the last up to 256 bytes are read as padding, each one masked in or out by comparison with
 *     padding_length, never by a branch on it; an impossible padding_length counts as 0;
 *   - the inner hash of the HMAC is fed every byte up to the longest content the record can hold,
 *     and a digest is taken at each possible content end, the right one kept by a mask: the same
 *     compression work whatever the padding length;
 *   - the received MAC is gathered from every possible offset under a mask;
 *   - the padding verdict and the MAC comparison are combined into one bit, checked once.
 * Encrypt-then-MAC records are authenticated before anything is decrypted; their padding goes
 * through the same code. */
#include <string.h>

#include "record/prot12_internal.h"
#include "tg/protection.h"

#define BLOCK TG_CBC_BLOCK
#define MAX_PADDING 256 /* padding_length (255) + its own byte */
/* The last bytes decrypted apart: the padding and the MAC of any record live there. */
#define TAIL_MAX (MAX_PADDING + TG_MAX_HASH_LEN + BLOCK)

/* ---- Constant-time helpers: all-ones or zero masks, no branches on their inputs ------------- */

static size_t ct_is_zero(size_t x) {
  return (size_t)0 - (size_t)(((~x) & (x - 1)) >> (sizeof x * 8 - 1));
}
static size_t ct_eq(size_t a, size_t b) { return ct_is_zero(a ^ b); }
/* a < b for a, b < 2^(bits - 1) */
static size_t ct_lt(size_t a, size_t b) { return (size_t)0 - ((a - b) >> (sizeof a * 8 - 1)); }

/* ---- HMAC (RFC 2104) keyed per record ------------------------------------------------------- */

typedef struct hmac {
  tg_hash_ctx inner, outer;
} hmac;

static void hmac_init(hmac *h, const tg_prot12 *p) {
  const tg_hash_desc *d = p->mac;
  uint8_t pad[TG_MAX_HASH_BLOCK];
  /* The key is digest_len bytes (RFC 5246 §6.3), shorter than the block: zero-padded. */
  memset(pad, 0, sizeof pad);
  memcpy(pad, p->mac_key, d->digest_len);
  for (size_t i = 0; i < d->block_len; i++)
    pad[i] ^= 0x36;
  tg_hash_init(&h->inner, d);
  tg_hash_update(&h->inner, tg_bytes_of(pad, d->block_len));
  for (size_t i = 0; i < d->block_len; i++)
    pad[i] ^= 0x36 ^ 0x5c;
  tg_hash_init(&h->outer, d);
  tg_hash_update(&h->outer, tg_bytes_of(pad, d->block_len));
  explicit_bzero(pad, sizeof pad);
}

/* H(opad || inner_digest) */
static void hmac_outer(hmac *h, const uint8_t *inner_digest, uint8_t *out) {
  tg_hash_update(&h->outer, tg_bytes_of(inner_digest, h->outer.desc->digest_len));
  tg_hash_peek(&h->outer, out);
}

/* seq_num + type + version + length: the 13 bytes before the MACed content (RFC 5246 §6.2.3.1;
 * RFC 7366 §3 takes the length of IV + ciphertext instead of the plaintext's). */
static void mac_header(const tg_prot12 *p, tg_bytes header, size_t length, uint8_t out[13]) {
  for (unsigned i = 0; i < 8; i++)
    out[i] = (uint8_t)(p->seq >> (56 - 8 * i));
  memcpy(out + 8, header.p, 3);
  out[11] = (uint8_t)(length >> 8);
  out[12] = (uint8_t)length;
}

static void hmac_once(const tg_prot12 *p, tg_bytes header, size_t length, tg_bytes data,
                      uint8_t *out) {
  hmac h;
  uint8_t head[13], inner[TG_MAX_HASH_LEN];
  hmac_init(&h, p);
  mac_header(p, header, length, head);
  tg_hash_update(&h.inner, tg_bytes_of(head, sizeof head));
  tg_hash_update(&h.inner, data);
  tg_hash_peek(&h.inner, inner);
  hmac_outer(&h, inner, out);
}

/* ---- Set-up ---------------------------------------------------------------------------------- */

void tg_prot12_init_cbc(tg_prot12 *p, const tg_cipher_suite *suite, const uint8_t *mac_key,
                        const uint8_t *enc_key, bool etm, tg_rng rng) {
  tg_prot12_wipe(p);
  p->cbc = suite->cbc;
  p->mac = suite->mac;
  memcpy(p->mac_key, mac_key, suite->mac->digest_len);
  p->etm = etm;
  p->rng = rng;
  p->cbc->set_encrypt_key(p->cbc_enc, enc_key);
  p->cbc->set_decrypt_key(p->cbc_dec, enc_key);
}

static tg_status check(const tg_prot12 *p, tg_bytes header, const char *what, tg_err *err) {
  TG_ENSURE(err, p->cbc != NULL, internal_error, TG_E_USAGE,
            "CBC record protection used without its keys");
  return tg_prot12_check(p, header, what, err);
}

/* The least expansion of a record: IV, MAC and padding_length. A shorter record fails in the
 * record layer (bad_record_mac); this one's own checks need a block multiple and, without EtM,
 * room for the MAC and padding_length in the ciphertext. */
static size_t cbc_overhead(const void *ctx) {
  const tg_prot12 *p = ctx;
  return BLOCK + p->mac->digest_len + 1;
}

/* ---- Decryption ------------------------------------------------------------------------------ */

/* Decrypts the n bytes of ciphertext at c (n a block multiple >= tail) into out, all but its last
 * `tail` bytes, which go to tail_buf; iv is the record's explicit IV. */
static void decrypt_split(const tg_prot12 *p, const uint8_t *iv_in, const uint8_t *c, size_t n,
                          size_t tail, uint8_t *out, uint8_t *tail_buf) {
  uint8_t iv[BLOCK];
  memcpy(iv, iv_in, BLOCK);
  p->cbc->decrypt(p->cbc_dec, iv, n - tail, out, c);
  p->cbc->decrypt(p->cbc_dec, iv, tail, tail_buf, c + n - tail);
}

/* The padding at the end of the n-byte plaintext, held as out[0..head) + tail[0..n - head),
 * when mac_len bytes of MAC must precede it. Returns an all-ones mask when it is well formed (RFC
 * 5246 §6.2.3.2: every padding byte equals padding_length, and it fits), and sets *pad_len to
 * padding_length, or 0 when it does not fit. No branch depends on the bytes. */
static size_t check_padding(const uint8_t *out, size_t head, const uint8_t *tail, size_t n,
                            size_t mac_len, size_t *pad_len) {
  size_t pad = tail[n - head - 1];
  size_t good = ~ct_lt(n, pad + 1 + mac_len); /* the padding and the MAC fit */
  pad &= good;
  size_t scan = n < MAX_PADDING ? n : MAX_PADDING;
  for (size_t i = 0; i < scan; i++) {
    size_t at = n - 1 - i;
    uint8_t b = at >= head ? tail[at - head] : out[at]; /* head is public */
    size_t in_padding = ct_lt(i, pad + 1);
    good &= ~(in_padding & ~ct_eq(b, pad));
  }
  *pad_len = pad;
  return good;
}

/* MAC-then-encrypt: the whole check is constant-time in the padding length and content. */
static tg_status open_mte(tg_prot12 *p, tg_bytes header, tg_bytes fragment, uint8_t *out,
                          size_t *out_len, tg_err *err) {
  size_t mac_len = p->mac->digest_len, n = fragment.len - BLOCK;
  /* Public lengths: a block multiple with room for the MAC and padding_length. */
  TG_ENSURE(err, n % BLOCK == 0 && n >= mac_len + 1, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "GenericBlockCipher of %zu bytes: not an IV and whole blocks holding a %zu-byte MAC "
            "and padding (RFC 5246 6.2.3.2)",
            fragment.len, mac_len);
  uint8_t tail[TAIL_MAX];
  size_t tail_len = (MAX_PADDING + mac_len + BLOCK - 1) / BLOCK * BLOCK;
  if (tail_len > n)
    tail_len = n;
  size_t head = n - tail_len, room = n - 1 - mac_len; /* the longest content */
  decrypt_split(p, fragment.p, fragment.p + BLOCK, n, tail_len, out, tail);
  memcpy(out + head, tail, room - head); /* out holds room bytes whatever the padding */
  size_t pad;
  size_t good = check_padding(out, head, tail, n, mac_len, &pad);
  size_t content_len = n - 1 - pad - mac_len;
  size_t shortest = room > MAX_PADDING - 1 ? room - (MAX_PADDING - 1) : 0;

  /* The inner hash at every possible end of the content, the one at content_len kept. */
  hmac h;
  uint8_t head13[13], inner[TG_MAX_HASH_LEN] = {0}, digest[TG_MAX_HASH_LEN];
  hmac_init(&h, p);
  mac_header(p, header, content_len, head13);
  tg_hash_update(&h.inner, tg_bytes_of(head13, sizeof head13));
  tg_hash_update(&h.inner, tg_bytes_of(out, shortest));
  for (size_t k = shortest; k <= room; k++) {
    size_t keep = ct_eq(k, content_len);
    tg_hash_peek(&h.inner, digest);
    for (size_t i = 0; i < mac_len; i++)
      inner[i] = (uint8_t)((inner[i] & ~keep) | (digest[i] & keep));
    if (k < room)
      tg_hash_update(&h.inner, tg_bytes_of(out + k, 1));
  }
  uint8_t expected[TG_MAX_HASH_LEN], received[TG_MAX_HASH_LEN] = {0};
  hmac_outer(&h, inner, expected);
  /* The received MAC sits at content_len, inside the tail: gathered from every offset. */
  size_t at = content_len - head;
  for (size_t o = 0; o + mac_len <= tail_len; o++) {
    size_t keep = ct_eq(o, at);
    for (size_t i = 0; i < mac_len; i++)
      received[i] |= (uint8_t)(tail[o + i] & keep);
  }
  good &= ct_is_zero((size_t)!tg_ct_eq(expected, received, mac_len));
  explicit_bzero(tail, sizeof tail);
  /* RFC 5246 §6.2.3.2 and §7.2.2: a bad padding and a bad MAC are the same bad_record_mac. */
  TG_ENSURE(err, good != 0, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "TLS 1.2 CBC record does not authenticate: bad MAC or padding, not told apart (%s, "
            "sequence number %llu)",
            p->cbc->name, (unsigned long long)p->seq);
  *out_len = content_len;
  return TG_OK;
}

/* encrypt_then_mac: the MAC over IV + ciphertext first (RFC 7366 §3), then decryption. */
static tg_status open_etm(tg_prot12 *p, tg_bytes header, tg_bytes fragment, uint8_t *out,
                          size_t *out_len, tg_err *err) {
  size_t mac_len = p->mac->digest_len;
  size_t enc_len = fragment.len >= mac_len ? fragment.len - mac_len : 0;
  TG_ENSURE(err, enc_len >= 2 * BLOCK && enc_len % BLOCK == 0, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "encrypt_then_mac record of %zu bytes: not an IV, whole blocks and a %zu-byte MAC "
            "(RFC 7366 3)",
            fragment.len, mac_len);
  uint8_t expected[TG_MAX_HASH_LEN];
  hmac_once(p, header, enc_len, tg_bytes_of(fragment.p, enc_len), expected);
  bool mac_ok = tg_ct_eq(expected, fragment.p + enc_len, mac_len);
  /* RFC 7366 §3: a MAC that does not verify is bad_record_mac, and nothing is decrypted. */
  TG_ENSURE(err, mac_ok, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "TLS 1.2 encrypt_then_mac record does not authenticate: bad MAC (%s, sequence "
            "number %llu)",
            p->mac->name, (unsigned long long)p->seq);
  size_t n = enc_len - BLOCK, pad;
  uint8_t tail[BLOCK];
  decrypt_split(p, fragment.p, fragment.p + BLOCK, n, BLOCK, out, tail);
  memcpy(out + n - BLOCK, tail, BLOCK - 1);
  size_t good = check_padding(out, n - BLOCK, tail, n, 0, &pad);
  TG_ENSURE(err, good != 0, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "TLS 1.2 encrypt_then_mac record has a bad padding (RFC 5246 6.2.3.2)");
  *out_len = n - 1 - pad;
  return TG_OK;
}

static tg_status cbc_open(void *ctx, tg_bytes header, tg_bytes fragment, uint8_t *out,
                          size_t *out_len, tg_err *err) {
  tg_prot12 *p = ctx;
  TG_TRY(check(p, header, "open", err));
  /* The record layer checked fragment.len >= cbc_overhead. */
  TG_TRY(p->etm ? open_etm(p, header, fragment, out, out_len, err)
                : open_mte(p, header, fragment, out, out_len, err));
  tg_prot12_advance(p);
  return TG_OK;
}

/* ---- Encryption ------------------------------------------------------------------------------ */

/* What one record looks like, spoiled or not. */
typedef struct shape {
  size_t mac_len; /* of the MAC sent */
  size_t pad;     /* padding bytes before padding_length */
  size_t enc_len; /* IV + ciphertext */
  size_t total;   /* the record's fragment */
} shape;

static shape plan(const tg_prot12 *p, size_t inner_len) {
  shape s;
  s.mac_len = p->mac->digest_len - (p->cbc_flaw == TG_CBC_FLAW_TRUNCATED_MAC ? 1 : 0);
  size_t body = inner_len + (p->etm ? 0 : s.mac_len) + 1;
  s.pad = (BLOCK - body % BLOCK) % BLOCK + (p->cbc_flaw == TG_CBC_FLAW_BAD_PADDING ? BLOCK : 0);
  s.enc_len = BLOCK + body + s.pad + (p->cbc_flaw == TG_CBC_FLAW_PARTIAL_BLOCK ? 1 : 0);
  s.total = s.enc_len + (p->etm ? s.mac_len : 0);
  if (p->cbc_flaw == TG_CBC_FLAW_ONE_BLOCK && inner_len <= BLOCK) /* (the caller's room) */
    s.total = s.enc_len = BLOCK;
  return s;
}

static size_t cbc_sealed_overhead(const void *ctx, size_t inner_len) {
  return plan(ctx, inner_len).total - inner_len;
}

/* The padding and its length byte after `at` bytes (RFC 5246 §6.2.3.2), spoiled as asked. */
static void put_padding(const tg_prot12 *p, uint8_t *at, size_t pad) {
  memset(at, (int)pad, pad + 1);
  if (p->cbc_flaw == TG_CBC_FLAW_BAD_PADDING)
    at[0] ^= 0x01;
  if (p->cbc_flaw == TG_CBC_FLAW_PADDING_OVERFLOW)
    memset(at, 0xff, pad + 1);
}

/* io holds the content; afterwards IV + ciphertext (+ MAC with encrypt_then_mac). */
static tg_status cbc_seal(void *ctx, tg_bytes header, uint8_t *io, size_t inner_len, tg_err *err) {
  tg_prot12 *p = ctx;
  TG_TRY(check(p, header, "seal", err));
  shape s = plan(p, inner_len);
  uint8_t mac[TG_MAX_HASH_LEN], iv[BLOCK];
  if (s.total == BLOCK) { /* TG_CBC_FLAW_ONE_BLOCK: an IV alone */
    p->rng.fill(p->rng.ctx, io, BLOCK);
    p->cbc_flaw = TG_CBC_FLAW_NONE;
    return TG_OK;
  }
  memmove(io + BLOCK, io, inner_len);
  p->rng.fill(p->rng.ctx, io, BLOCK); /* RFC 5246 §6.2.3.2: an unpredictable IV per record */
  uint8_t *body = io + BLOCK, *after = body + inner_len;
  if (!p->etm) {
    hmac_once(p, header, inner_len, tg_bytes_of(body, inner_len), mac);
    if (p->cbc_flaw == TG_CBC_FLAW_BAD_MAC)
      mac[0] ^= 0x01;
    memcpy(after, mac, s.mac_len);
    after += s.mac_len;
  }
  put_padding(p, after, s.pad);
  size_t cipher_len = (size_t)(after + s.pad + 1 - body);
  memcpy(iv, io, BLOCK);
  p->cbc->encrypt(p->cbc_enc, iv, cipher_len, body, body);
  if (p->cbc_flaw == TG_CBC_FLAW_PARTIAL_BLOCK)
    body[cipher_len] = 0x5a; /* one byte past the last block */
  if (p->etm) {
    hmac_once(p, header, s.enc_len, tg_bytes_of(io, s.enc_len), mac);
    if (p->cbc_flaw == TG_CBC_FLAW_BAD_MAC)
      mac[0] ^= 0x01;
    memcpy(io + s.enc_len, mac, s.mac_len);
  }
  if (p->cbc_flaw == TG_CBC_FLAW_FLIP_IV)
    io[0] ^= 0x80;
  if (p->cbc_flaw == TG_CBC_FLAW_NONE)
    tg_prot12_advance(p); /* a spoiled record leaves its sequence number to the next (deviations) */
  p->cbc_flaw = TG_CBC_FLAW_NONE;
  return TG_OK;
}

const tg_protection_ops tg_prot12_cbc_ops = {
    .open = cbc_open,
    .seal = cbc_seal,
    .overhead = cbc_overhead,
    .sealed_overhead = cbc_sealed_overhead,
};

tg_protection tg_prot12_cbc_protection(tg_prot12 *p) {
  tg_protection prot = {&tg_prot12_cbc_ops, p};
  return prot;
}
