/* TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3): AES-GCM with a 4-byte implicit salt and an
 * 8-byte explicit nonce (RFC 5288 §3), ChaCha20-Poly1305 with the write IV XORed with the
 * sequence number (RFC 7905 §2). The additional data is rebuilt from the record header: the
 * sequence number, the type, the version, and the plaintext length (not the record's). */
#include <string.h>

#include "record/prot12_internal.h"
#include "tg/protection.h"

#define EXPLICIT_NONCE_LEN 8

void tg_prot12_init(tg_prot12 *p, const tg_aead_desc *aead, const uint8_t *key, const uint8_t *iv,
                    size_t fixed_iv_len) {
  tg_prot12_wipe(p);
  p->fixed_iv_len = fixed_iv_len == TG_AEAD_NONCE_LEN ? TG_AEAD_NONCE_LEN : 4;
  memcpy(p->iv, iv, p->fixed_iv_len);
  tg_aead_init(&p->aead, aead, key);
}

void tg_prot12_wipe(tg_prot12 *p) { explicit_bzero(p, sizeof *p); }

uint64_t tg_prot12_seq(const tg_prot12 *p) { return p->seq; }

void tg_prot12_set_seq(tg_prot12 *p, uint64_t seq) {
  p->seq = seq;
  p->exhausted = false;
}

static bool explicit_nonce(const tg_prot12 *p) { return p->fixed_iv_len != TG_AEAD_NONCE_LEN; }

static void put_u64(uint8_t *out, uint64_t v) {
  for (unsigned i = 0; i < 8; i++)
    out[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* The 12-byte AEAD nonce: salt + explicit (GCM), or iv XOR seq (ChaCha20-Poly1305). */
static void make_nonce(const tg_prot12 *p, const uint8_t *explicit_part, uint8_t *nonce) {
  if (explicit_nonce(p)) {
    memcpy(nonce, p->iv, 4);
    memcpy(nonce + 4, explicit_part, EXPLICIT_NONCE_LEN);
    return;
  }
  uint8_t seq[8];
  put_u64(seq, p->seq);
  memcpy(nonce, p->iv, TG_AEAD_NONCE_LEN);
  for (unsigned i = 0; i < 8; i++)
    nonce[4 + i] ^= seq[i];
}

/* RFC 5246 §6.2.3.3: seq_num + TLSCompressed.type + TLSCompressed.version + TLSCompressed.length */
static void make_aad(const tg_prot12 *p, tg_bytes header, size_t plain_len, uint8_t aad[13]) {
  put_u64(aad, p->seq);
  memcpy(aad + 8, header.p, 3);
  aad[11] = (uint8_t)(plain_len >> 8);
  aad[12] = (uint8_t)plain_len;
}

tg_status tg_prot12_check(const tg_prot12 *p, tg_bytes header, const char *what, tg_err *err) {
  TG_ENSURE(err, header.len == TG_RECORD_HEADER_LEN, internal_error, TG_E_USAGE,
            "record header of %zu bytes, expected 5", header.len);
  /* RFC 5246 §6.1: "Sequence numbers ... MUST NOT wrap"; renegotiation (refused here) would be
   * the only way on, so the connection ends. */
  TG_ENSURE(err, !p->exhausted, internal_error, TG_E_SEQ_EXHAUSTED,
            "cannot %s a record: the 64-bit sequence number is exhausted", what);
  return TG_OK;
}

void tg_prot12_advance(tg_prot12 *p) {
  if (p->seq == UINT64_MAX)
    p->exhausted = true;
  else
    p->seq++;
}

static size_t prot12_overhead(const void *ctx) {
  const tg_prot12 *p = ctx;
  return (explicit_nonce(p) ? EXPLICIT_NONCE_LEN : 0) + p->aead.desc->tag_len;
}

static tg_status prot12_open(void *ctx, tg_bytes header, tg_bytes fragment, uint8_t *out,
                             size_t *out_len, tg_err *err) {
  tg_prot12 *p = ctx;
  size_t overhead = prot12_overhead(p), explicit_len = explicit_nonce(p) ? EXPLICIT_NONCE_LEN : 0;
  TG_TRY(tg_prot12_check(p, header, "open", err));
  /* RFC 5246 §6.2.3.3: a record that does not decrypt is bad_record_mac, a short one too. */
  TG_ENSURE(err, fragment.len >= overhead, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "GenericAEADCipher of %zu bytes is shorter than its %zu bytes of nonce and tag",
            fragment.len, overhead);
  uint8_t nonce[TG_AEAD_NONCE_LEN], aad[13];
  size_t plain_len = fragment.len - overhead;
  make_nonce(p, fragment.p, nonce);
  make_aad(p, header, plain_len, aad);
  bool ok = p->aead.desc->open(p->aead.state, nonce, tg_bytes_of(aad, sizeof aad),
                               fragment.p + explicit_len, fragment.len - explicit_len, out);
  TG_ENSURE(err, ok, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "TLS 1.2 record does not authenticate (%s, sequence number %llu)", p->aead.desc->name,
            (unsigned long long)p->seq);
  *out_len = plain_len;
  tg_prot12_advance(p);
  return TG_OK;
}

/* io holds the plaintext; afterwards nonce_explicit (GCM) + ciphertext + tag. */
static tg_status prot12_seal(void *ctx, tg_bytes header, uint8_t *io, size_t inner_len,
                             tg_err *err) {
  tg_prot12 *p = ctx;
  TG_TRY(tg_prot12_check(p, header, "seal", err));
  size_t explicit_len = explicit_nonce(p) ? EXPLICIT_NONCE_LEN : 0;
  uint8_t nonce[TG_AEAD_NONCE_LEN], aad[13], seq[8];
  put_u64(seq, p->seq); /* RFC 5288 §3: the explicit nonce may be the sequence number */
  if (explicit_len) {
    memmove(io + explicit_len, io, inner_len);
    memcpy(io, seq, explicit_len);
  }
  make_nonce(p, seq, nonce);
  make_aad(p, header, inner_len, aad);
  p->aead.desc->seal(p->aead.state, nonce, tg_bytes_of(aad, sizeof aad), io + explicit_len,
                     inner_len, io + explicit_len);
  tg_prot12_advance(p);
  return TG_OK;
}

const tg_protection_ops tg_prot12_ops = {
    .open = prot12_open,
    .seal = prot12_seal,
    .overhead = prot12_overhead,
};

tg_protection tg_prot12_protection(tg_prot12 *p) {
  tg_protection prot = {&tg_prot12_ops, p};
  return prot;
}
