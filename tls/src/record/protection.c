/* TLS 1.3 record protection: keys from a traffic secret, the per-record nonce, the record header
 * as additional data, sequence numbers and key usage limits (RFC 8446 §5.2-§5.5, §7.2, §7.3). */
#include <string.h>

#include "tg/protection.h"

/* A new key: its own sequence numbers from 0 (RFC 8446 §5.3). */
static void set_keys(tg_prot13 *p, const tg_aead_desc *aead, const uint8_t *key,
                     const uint8_t *iv) {
  memcpy(p->iv, iv, sizeof p->iv);
  p->seq = 0;
  p->exhausted = false;
  tg_aead_init(&p->aead, aead, key);
}

/* RFC 8446 §7.3: [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length),
 * [sender]_write_iv = HKDF-Expand-Label(Secret, "iv", "", iv_length). */
static tg_status install_secret(tg_prot13 *p, const tg_aead_desc *aead, tg_err *err) {
  uint8_t key[TG_MAX_AEAD_KEY];
  uint8_t iv[TG_AEAD_NONCE_LEN];
  tg_bytes secret = tg_bytes_of(p->secret, p->hash->digest_len);
  tg_bytes empty = tg_bytes_of(NULL, 0);
  TG_ENSURE(err, aead->key_len <= sizeof key, internal_error, TG_E_USAGE,
            "%s key of %zu bytes is too long", aead->name, aead->key_len);
  tg_status st = tg_hkdf_expand_label(p->hash, secret, "key", empty, key, aead->key_len, err);
  if (st == TG_OK)
    st = tg_hkdf_expand_label(p->hash, secret, "iv", empty, iv, sizeof iv, err);
  if (st == TG_OK)
    set_keys(p, aead, key, iv);
  explicit_bzero(key, sizeof key);
  explicit_bzero(iv, sizeof iv);
  return st;
}

tg_status tg_prot13_init(tg_prot13 *p, const tg_cipher_suite *suite, tg_bytes secret, tg_err *err) {
  TG_ENSURE(err, secret.len == suite->hash->digest_len, internal_error, TG_E_USAGE,
            "traffic secret of %zu bytes for %s (%s needs %zu)", secret.len, suite->name,
            suite->hash->name, suite->hash->digest_len);
  tg_prot13_wipe(p);
  p->hash = suite->hash;
  memcpy(p->secret, secret.p, secret.len);
  return install_secret(p, suite->aead, err);
}

void tg_prot13_init_keys(tg_prot13 *p, const tg_aead_desc *aead, const uint8_t *key,
                         const uint8_t *iv) {
  tg_prot13_wipe(p);
  set_keys(p, aead, key, iv);
}

tg_status tg_prot13_key_update(tg_prot13 *p, tg_err *err) {
  TG_ENSURE(err, p->hash != NULL, internal_error, TG_E_USAGE,
            "key update on record protection installed without a traffic secret");
  /* RFC 8446 §7.2. The output overwrites the secret it is derived from: HKDF reads its PRK
   * before writing (tg/crypto.h). */
  size_t n = p->hash->digest_len;
  TG_TRY(tg_hkdf_expand_label(p->hash, tg_bytes_of(p->secret, n), "traffic upd",
                              tg_bytes_of(NULL, 0), p->secret, n, err));
  return install_secret(p, p->aead.desc, err);
}

void tg_prot13_wipe(tg_prot13 *p) { explicit_bzero(p, sizeof *p); }

void tg_prot13_nonce(const tg_prot13 *p, uint64_t seq, uint8_t nonce[TG_AEAD_NONCE_LEN]) {
  /* RFC 8446 §5.3: the sequence number in network byte order, left-padded with zeros to
   * iv_length, XORed with the write iv. */
  memcpy(nonce, p->iv, TG_AEAD_NONCE_LEN);
  for (unsigned i = 0; i < 8; i++)
    nonce[TG_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(seq >> (8 * i));
}

uint64_t tg_prot13_seq(const tg_prot13 *p) { return p->seq; }

void tg_prot13_set_seq(tg_prot13 *p, uint64_t seq) {
  p->seq = seq;
  p->exhausted = false;
}

bool tg_prot13_key_update_needed(const tg_prot13 *p) {
  uint64_t limit = p->aead.desc->record_limit;
  if (limit == 0)
    limit = UINT64_MAX; /* one sequence number left: the 64-bit limit of §5.3 */
  return p->exhausted || p->seq >= limit;
}

/* RFC 8446 §5.3: "If a TLS implementation would need to wrap a sequence number, it MUST either
 * rekey (Section 4.6.3) or terminate the connection." */
static tg_status check_seq(const tg_prot13 *p, const char *what, tg_err *err) {
  TG_ENSURE(err, !p->exhausted, internal_error, TG_E_SEQ_EXHAUSTED,
            "cannot %s a record: the 64-bit sequence number is exhausted, keys must be updated",
            what);
  return TG_OK;
}

static void advance_seq(tg_prot13 *p) {
  if (p->seq == UINT64_MAX)
    p->exhausted = true;
  else
    p->seq++;
}

static tg_status check_header(tg_bytes header, tg_err *err) {
  /* RFC 8446 §5.2: additional_data = TLSCiphertext.opaque_type || legacy_record_version ||
   * length, the 5-byte header. */
  TG_ENSURE(err, header.len == TG_RECORD_HEADER_LEN, internal_error, TG_E_USAGE,
            "record header of %zu bytes as additional data, expected 5", header.len);
  return TG_OK;
}

static tg_status prot13_open(void *ctx, tg_bytes header, tg_bytes fragment, uint8_t *out,
                             size_t *out_len, tg_err *err) {
  tg_prot13 *p = ctx;
  const tg_aead_desc *aead = p->aead.desc;
  TG_TRY(check_header(header, err));
  TG_TRY(check_seq(p, "open", err));
  /* RFC 8446 §5.2: "If the decryption fails, the receiver MUST terminate the connection with a
   * "bad_record_mac" alert." A record too short for the tag cannot decrypt. */
  TG_ENSURE(err, fragment.len >= aead->tag_len, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "TLSCiphertext.encrypted_record of %zu bytes is shorter than the %zu-byte tag",
            fragment.len, aead->tag_len);
  uint8_t nonce[TG_AEAD_NONCE_LEN];
  tg_prot13_nonce(p, p->seq, nonce);
  bool ok = aead->open(p->aead.state, nonce, header, fragment.p, fragment.len, out);
  TG_ENSURE(err, ok, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "TLSCiphertext.encrypted_record does not authenticate (%s, sequence number %llu)",
            aead->name, (unsigned long long)p->seq);
  *out_len = fragment.len - aead->tag_len;
  advance_seq(p);
  return TG_OK;
}

static tg_status prot13_seal(void *ctx, tg_bytes header, uint8_t *io, size_t inner_len,
                             tg_err *err) {
  tg_prot13 *p = ctx;
  TG_TRY(check_header(header, err));
  /* Checked before encrypting: a nonce is never used twice, not even for a record then dropped. */
  TG_TRY(check_seq(p, "seal", err));
  uint8_t nonce[TG_AEAD_NONCE_LEN];
  tg_prot13_nonce(p, p->seq, nonce);
  p->aead.desc->seal(p->aead.state, nonce, header, io, inner_len, io);
  advance_seq(p);
  return TG_OK;
}

static size_t prot13_overhead(const void *ctx) {
  const tg_prot13 *p = ctx;
  return p->aead.desc->tag_len;
}

const tg_protection_ops tg_prot13_ops = {
    .open = prot13_open,
    .seal = prot13_seal,
    .overhead = prot13_overhead,
};

tg_protection tg_prot13_protection(tg_prot13 *p) {
  tg_protection prot = {&tg_prot13_ops, p};
  return prot;
}
