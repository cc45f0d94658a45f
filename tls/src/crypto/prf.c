/* The TLS 1.2 PRF (RFC 5246 §5): P_hash over HMAC with the suite's hash, which is what derives
 * the master secret, the key block and Finished.verify_data. Written over tg_hmac, so a test
 * descriptor swapped in for the hash changes the PRF with it. */
#include <string.h>

#include "tg/crypto.h"

#define PRF_MAX_LABEL 64 /* the longest RFC label is "extended master secret" (22 bytes) */

/* HMAC_hash(secret, a || label || seed1 || seed2) into out, in one buffer: the hash input is
 * small (a digest, a label and two randoms or a session hash). */
static void hmac4(const tg_hash_desc *h, tg_bytes secret, tg_bytes a, tg_bytes label,
                  tg_bytes seed1, tg_bytes seed2, uint8_t *out) {
  uint8_t buf[TG_MAX_HASH_LEN + PRF_MAX_LABEL + 2 * 128];
  size_t n = 0;
  const tg_bytes parts[4] = {a, label, seed1, seed2};
  for (size_t i = 0; i < 4; i++) {
    if (parts[i].len > sizeof buf - n)
      return; /* unreachable: callers pass randoms and hashes; out stays as it was */
    if (parts[i].len)
      memcpy(buf + n, parts[i].p, parts[i].len);
    n += parts[i].len;
  }
  tg_hmac(h, secret, tg_bytes_of(buf, n), out);
  explicit_bzero(buf, sizeof buf);
}

void tg_tls12_prf(const tg_hash_desc *hash, tg_bytes secret, const char *label, tg_bytes seed1,
                  tg_bytes seed2, uint8_t *out, size_t len) {
  size_t hlen = hash->digest_len;
  tg_bytes lab = tg_bytes_of(label, strnlen(label, PRF_MAX_LABEL));
  tg_bytes none = tg_bytes_of(NULL, 0);
  uint8_t a[TG_MAX_HASH_LEN], block[TG_MAX_HASH_LEN];
  /* A(1) = HMAC(secret, A(0)) with A(0) = label + seed. */
  hmac4(hash, secret, none, lab, seed1, seed2, a);
  for (size_t done = 0; done < len; done += hlen) {
    hmac4(hash, secret, tg_bytes_of(a, hlen), lab, seed1, seed2, block);
    size_t n = len - done < hlen ? len - done : hlen;
    memcpy(out + done, block, n);
    tg_hmac(hash, secret, tg_bytes_of(a, hlen), a); /* A(i+1) = HMAC(secret, A(i)) */
  }
  explicit_bzero(a, sizeof a);
  explicit_bzero(block, sizeof block);
}
