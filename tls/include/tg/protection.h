/* TLS 1.3 record protection (RFC 8446 §5.2-§5.5): one tg_prot13 per direction and traffic key,
 * plugged into the record layer as a tg_protection (tg/record.h).
 *
 *   traffic secret --HKDF-Expand-Label "key"/"iv" (§7.3)--> write_key, write_iv
 *   per record:  nonce = write_iv XOR (64-bit sequence number, left-padded to 12 bytes)  (§5.3)
 *                additional_data = the 5-byte record header                              (§5.2)
 *
 * The sequence number starts at 0 with every key (a key change is a new tg_prot13_init) and
 * advances after each record successfully sealed or opened; a record that fails to authenticate
 * consumes nothing. The sequence number never wraps: after record 2^64-1 every call fails (§5.3).
 * The §5.5 key usage limit is a query, tg_prot13_key_update_needed, not a failure: the engine
 * decides when to send a KeyUpdate (and a scripted endpoint may choose not to). */
#ifndef TG_PROTECTION_H
#define TG_PROTECTION_H

#include <stdbool.h>
#include <stdint.h>

#include "tg/crypto.h"
#include "tg/record.h"

typedef struct tg_prot13 {
  const tg_hash_desc *hash; /* of the suite, for "traffic upd"; NULL after tg_prot13_init_keys */
  uint8_t secret[TG_MAX_HASH_LEN]; /* the current traffic secret (hash->digest_len bytes) */
  uint8_t iv[TG_AEAD_NONCE_LEN];   /* [sender]_write_iv */
  uint64_t seq;                    /* the sequence number of the next record */
  bool exhausted;                  /* record 2^64-1 was processed: no sequence number is left */
  tg_aead_ctx aead;                /* keyed with [sender]_write_key */
} tg_prot13;

/* Installs the keys of one direction from its traffic secret (secret.len must equal the suite's
 * hash length), sequence number 0. */
TG_MUST_CHECK tg_status tg_prot13_init(tg_prot13 *p, const tg_cipher_suite *suite, tg_bytes secret,
                                       tg_err *err);
/* Installs a write key (aead->key_len bytes) and iv directly, sequence number 0. Such an object
 * cannot tg_prot13_key_update (it has no secret). */
void tg_prot13_init_keys(tg_prot13 *p, const tg_aead_desc *aead, const uint8_t *key,
                         const uint8_t *iv);
/* RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N,
 * "traffic upd", "", Hash.length), new key and iv, sequence number back to 0. */
TG_MUST_CHECK tg_status tg_prot13_key_update(tg_prot13 *p, tg_err *err);
/* Zeroes keys and secrets. */
void tg_prot13_wipe(tg_prot13 *p);

/* The record layer's view of p, for tg_record_open (rules.protected_records) and
 * tg_record_sender.prot. p must outlive it. */
tg_protection tg_prot13_protection(tg_prot13 *p);
extern const tg_protection_ops tg_prot13_ops;

/* The sequence number the next record will use. */
uint64_t tg_prot13_seq(const tg_prot13 *p);
/* Sets the next sequence number: for tests near the limits and for deviations (replaying or
 * skipping records). Clears the exhausted state. */
void tg_prot13_set_seq(tg_prot13 *p, uint64_t seq);
/* RFC 8446 §5.5: true once the AEAD's record limit (tg_aead_desc.record_limit) is reached, or
 * when at most one sequence number is left: the engine should update keys (§4.6.3) before
 * protecting more records. */
bool tg_prot13_key_update_needed(const tg_prot13 *p);

/* RFC 8446 §5.3 per-record nonce for sequence number seq. */
void tg_prot13_nonce(const tg_prot13 *p, uint64_t seq, uint8_t nonce[TG_AEAD_NONCE_LEN]);

/* ---- TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3) -------------------------------------
 *   additional_data = seq_num (8) + TLSCompressed.type + TLSCompressed.version + length (of the
 *                     plaintext), rebuilt from the record header
 *   AES-GCM (RFC 5288 §3): nonce = salt (client/server_write_IV, 4 bytes) + nonce_explicit (8
 *     bytes, sent before the ciphertext; this sender uses the sequence number)
 *   ChaCha20-Poly1305 (RFC 7905 §2): nonce = write_IV (12 bytes) XOR the padded sequence number,
 *     nothing explicit
 * Keys come from the key block (RFC 5246 §6.3); the sequence number starts at 0 at each
 * change_cipher_spec and never wraps (§6.1). */
typedef struct tg_prot12 {
  uint8_t iv[TG_AEAD_NONCE_LEN]; /* fixed_iv_len bytes in use */
  size_t fixed_iv_len;           /* 4 (explicit nonce) or 12 (XORed nonce) */
  uint64_t seq;
  bool exhausted;
  tg_aead_ctx aead;
} tg_prot12;

/* Installs one direction: key (aead->key_len bytes) and iv (fixed_iv_len bytes, 4 or 12). */
void tg_prot12_init(tg_prot12 *p, const tg_aead_desc *aead, const uint8_t *key, const uint8_t *iv,
                    size_t fixed_iv_len);
void tg_prot12_wipe(tg_prot12 *p);
tg_protection tg_prot12_protection(tg_prot12 *p);
extern const tg_protection_ops tg_prot12_ops;
uint64_t tg_prot12_seq(const tg_prot12 *p);
void tg_prot12_set_seq(tg_prot12 *p, uint64_t seq);

#endif
