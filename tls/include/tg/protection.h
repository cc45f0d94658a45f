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
  /* CBC suites (tg_prot12_init_cbc; aead and iv unused), RFC 5246 §6.2.3.2 and RFC 7366: */
  const tg_cbc_desc *cbc; /* NULL: an AEAD suite */
  const tg_hash_desc *mac;
  uint8_t mac_key[TG_MAX_HASH_LEN]; /* [sender]_write_MAC_key, mac->digest_len bytes */
  bool etm;                         /* encrypt_then_mac negotiated (RFC 7366) */
  tg_rng rng;                       /* draws each record's explicit IV */
  uint8_t cbc_flaw; /* enum tg_cbc_flaw: spoils the next record sealed, which then leaves its
                     * sequence number to the record after it */
  _Alignas(16) uint8_t cbc_enc[TG_MAX_CBC_CTX], cbc_dec[TG_MAX_CBC_CTX];
} tg_prot12;

/* Installs one direction: key (aead->key_len bytes) and iv (fixed_iv_len bytes, 4 or 12). */
void tg_prot12_init(tg_prot12 *p, const tg_aead_desc *aead, const uint8_t *key, const uint8_t *iv,
                    size_t fixed_iv_len);
void tg_prot12_wipe(tg_prot12 *p);
tg_protection tg_prot12_protection(tg_prot12 *p);
extern const tg_protection_ops tg_prot12_ops;
uint64_t tg_prot12_seq(const tg_prot12 *p);
void tg_prot12_set_seq(tg_prot12 *p, uint64_t seq);

/* ---- TLS 1.2 CBC record protection (RFC 5246 §6.2.3.2, RFC 7366) ----------------------------
 *   MAC-then-encrypt (the default):
 *     MAC = HMAC(MAC_write_key, seq_num + type + version + length + content)
 *     record = IV + CBC(write_key, IV, content + MAC + padding + padding_length)
 *   encrypt_then_mac (RFC 7366 §3):
 *     record = IV + C + HMAC(MAC_write_key, seq_num + type + version + length(IV + C) + IV + C),
 *     C = CBC(write_key, IV, content + padding + padding_length); the MAC is checked first.
 * The IV is random per record (tg_rng); the sender pads minimally. A record that fails in any way
 * (length, padding, MAC) is bad_record_mac (RFC 5246 §7.2.2), from one check: MAC-then-encrypt
 * decryption is constant-time over the padding and the MAC (the Lucky Thirteen countermeasure:
 * the MAC is computed over the same amount of data whatever the padding, and the padding and MAC
 * verdicts are combined without branching). */
void tg_prot12_init_cbc(tg_prot12 *p, const tg_cipher_suite *suite, const uint8_t *mac_key,
                        const uint8_t *enc_key, bool etm, tg_rng rng);
tg_protection tg_prot12_cbc_protection(tg_prot12 *p);
extern const tg_protection_ops tg_prot12_cbc_ops;

/* How the next CBC record sealed is spoiled (deviations and tests; each is bad_record_mac). */
typedef enum tg_cbc_flaw {
  TG_CBC_FLAW_NONE = 0,
  TG_CBC_FLAW_BAD_MAC,          /* a bit of the MAC flipped; padding well formed */
  TG_CBC_FLAW_BAD_PADDING,      /* 17+ padding bytes, the first one wrong; MAC right */
  TG_CBC_FLAW_PADDING_OVERFLOW, /* every padding byte (length included) 255: longer than the record
                                 */
  TG_CBC_FLAW_TRUNCATED_MAC,    /* the MAC one byte short */
  TG_CBC_FLAW_ONE_BLOCK,        /* the record is one block: an IV and nothing else */
  TG_CBC_FLAW_FLIP_IV,          /* a bit of the explicit IV flipped after the MAC */
  TG_CBC_FLAW_PARTIAL_BLOCK,    /* one byte after the last block: not a block multiple */
} tg_cbc_flaw;

/* The write protection of a connection that negotiated a TLS 1.2 CBC suite and installed its write
 * keys, else NULL: where a deviation sets cbc_flaw just before a record is sealed. */
struct tg_conn;
tg_prot12 *tg_conn_cbc_writer(struct tg_conn *c);

#endif
