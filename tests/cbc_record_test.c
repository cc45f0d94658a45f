/* TLS 1.2 CBC record protection (tls/src/record/protection_cbc.c): a round trip per suite with
 * and without encrypt_then_mac, bit flips in the IV, MAC and padding, every padding byte checked
 * (records built here, independently of the sealer), short and misaligned records, and each
 * tg_cbc_flaw. Every failure must be bad_record_mac. */
#include <criterion/criterion.h>
#include <string.h>

#include "tg/protection.h"

static const uint16_t cbc_suites[] = {0xc009, 0xc00a, 0xc023, 0xc024, 0xc013, 0xc014,
                                      0xc027, 0xc028, 0x002f, 0x0035, 0x003c, 0x003d};
#define N_SUITES (sizeof cbc_suites / sizeof cbc_suites[0])

static void counter_fill(void *ctx, uint8_t *out, size_t len) {
  uint8_t *n = ctx;
  for (size_t i = 0; i < len; i++)
    out[i] = (*n)++;
}

typedef struct link {
  const tg_cipher_suite *suite;
  uint8_t mac_key[TG_MAX_HASH_LEN], enc_key[32], rng_state;
  tg_prot12 w, r;
  tg_protection wp, rp;
} link;

static void link_init(link *l, uint16_t id, bool etm) {
  memset(l, 0, sizeof *l);
  l->suite = tg_cipher_suite_find(id);
  cr_assert(l->suite != NULL && l->suite->cbc != NULL, "suite %04x is CBC", id);
  for (size_t i = 0; i < sizeof l->mac_key; i++)
    l->mac_key[i] = (uint8_t)(0x40 + i);
  for (size_t i = 0; i < sizeof l->enc_key; i++)
    l->enc_key[i] = (uint8_t)(0x90 + i);
  tg_rng rng = {counter_fill, &l->rng_state};
  tg_prot12_init_cbc(&l->w, l->suite, l->mac_key, l->enc_key, etm, rng);
  tg_prot12_init_cbc(&l->r, l->suite, l->mac_key, l->enc_key, etm, rng);
  l->wp = tg_prot12_cbc_protection(&l->w);
  l->rp = tg_prot12_cbc_protection(&l->r);
}

typedef struct rec {
  uint8_t header[5];
  uint8_t body[16384 + 2048];
  size_t len;
} rec;

/* Seals content as the record layer does: header with the sealed length, then seal in place. */
static void seal(link *l, tg_bytes content, rec *out) {
  size_t len = content.len + l->wp.ops->sealed_overhead(l->wp.ctx, content.len);
  cr_assert(len <= sizeof out->body);
  out->header[0] = 23;
  out->header[1] = 3;
  out->header[2] = 3;
  out->header[3] = (uint8_t)(len >> 8);
  out->header[4] = (uint8_t)len;
  memcpy(out->body, content.p, content.len);
  tg_err err = {0};
  cr_assert_eq(
      l->wp.ops->seal(l->wp.ctx, tg_bytes_of(out->header, 5), out->body, content.len, &err), TG_OK,
      "%s", err.what);
  out->len = len;
}

/* Opens as the record layer does (its short-record check included); the alert, or -1. */
static int open_rec(link *l, const rec *in, uint8_t *plain, size_t *plain_len) {
  tg_err err = {0};
  uint8_t hdr[5];
  memcpy(hdr, in->header, 5);
  hdr[3] = (uint8_t)(in->len >> 8);
  hdr[4] = (uint8_t)in->len;
  if (in->len < l->rp.ops->overhead(l->rp.ctx))
    return TG_ALERT_bad_record_mac;
  if (l->rp.ops->open(l->rp.ctx, tg_bytes_of(hdr, 5), tg_bytes_of(in->body, in->len), plain,
                      plain_len, &err) == TG_OK)
    return -1;
  return err.alert;
}

static void fill(uint8_t *p, size_t n, uint8_t seed) {
  for (size_t i = 0; i < n; i++)
    p[i] = (uint8_t)(seed + 7 * i);
}

Test(cbc_record, round_trip_every_suite_with_and_without_etm) {
  static const size_t lens[] = {0, 1, 15, 16, 17, 31, 100, 255, 256, 1000, 16384};
  static uint8_t content[16384], plain[16384 + 2048];
  static rec r;
  for (size_t s = 0; s < N_SUITES; s++)
    for (int etm = 0; etm < 2; etm++) {
      link l;
      link_init(&l, cbc_suites[s], etm);
      for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        fill(content, lens[i], (uint8_t)i);
        seal(&l, tg_bytes_of(content, lens[i]), &r);
        size_t mac = l.suite->mac->digest_len;
        cr_expect_eq((r.len - 16 - (etm ? mac : 0)) % 16, 0, "whole blocks");
        cr_expect_gt(r.len, lens[i] + 16 + mac, "IV, MAC and padding were added");
        size_t n = 0;
        cr_assert_eq(open_rec(&l, &r, plain, &n), -1, "%04x etm %d len %zu opens", cbc_suites[s],
                     etm, lens[i]);
        cr_expect_eq(n, lens[i]);
        cr_expect(memcmp(plain, content, n) == 0, "%04x etm %d len %zu: same content",
                  cbc_suites[s], etm, lens[i]);
      }
      cr_expect_eq(tg_prot12_seq(&l.r), sizeof lens / sizeof lens[0], "sequence numbers advance");
    }
}

/* A sequence number out of step is a different MAC: the records are bound to their order. */
Test(cbc_record, replayed_record_is_refused) {
  static rec r;
  uint8_t plain[64];
  size_t n;
  for (int etm = 0; etm < 2; etm++) {
    link l;
    link_init(&l, 0xc013, etm);
    seal(&l, tg_bytes_of((const uint8_t *)"hello", 5), &r);
    cr_assert_eq(open_rec(&l, &r, plain, &n), -1);
    cr_expect_eq(open_rec(&l, &r, plain, &n), TG_ALERT_bad_record_mac, "etm %d", etm);
  }
}

/* One bit flipped anywhere (IV, ciphertext blocks holding content, MAC or padding, or the EtM
 * MAC) is bad_record_mac. In CBC a flip in block i-1 (or the IV) flips the same bit of plaintext
 * block i, so the MAC and padding bytes are reached by flipping the block before them. */
Test(cbc_record, every_flipped_byte_is_bad_record_mac) {
  static rec r, bad;
  uint8_t content[40], plain[256];
  fill(content, sizeof content, 3);
  for (size_t s = 0; s < N_SUITES; s++)
    for (int etm = 0; etm < 2; etm++) {
      link l;
      link_init(&l, cbc_suites[s], etm);
      seal(&l, tg_bytes_of(content, sizeof content), &r);
      for (size_t at = 0; at < r.len; at++) {
        link m;
        link_init(&m, cbc_suites[s], etm);
        bad = r;
        bad.body[at] ^= 0x01;
        size_t n;
        cr_expect_eq(open_rec(&m, &bad, plain, &n), TG_ALERT_bad_record_mac,
                     "%04x etm %d: byte %zu of %zu flipped", cbc_suites[s], etm, at, r.len);
      }
    }
}

/* MAC-then-encrypt records built by hand with 256 bytes of padding: each padding byte changed
 * alone is refused, the record itself opens. */
static void build_mte(link *l, const uint8_t *content, size_t len, size_t pad, int wrong_at,
                      rec *out) {
  const tg_hash_desc *h = l->suite->mac;
  size_t mac_len = h->digest_len, n = len + mac_len + pad + 1;
  cr_assert_eq(n % 16, 0);
  uint8_t macced[13 + 64], iv[16];
  memset(macced, 0, 8); /* sequence number 0 */
  macced[8] = 23, macced[9] = 3, macced[10] = 3;
  macced[11] = (uint8_t)(len >> 8), macced[12] = (uint8_t)len;
  memcpy(macced + 13, content, len);
  memset(out->header, 0, 5);
  out->header[0] = 23, out->header[1] = 3, out->header[2] = 3;
  fill(out->body, 16, 0xaa); /* IV */
  uint8_t *p = out->body + 16;
  memcpy(p, content, len);
  tg_hmac(h, tg_bytes_of(l->mac_key, mac_len), tg_bytes_of(macced, 13 + len), p + len);
  memset(p + len + mac_len, (int)pad, pad + 1);
  if (wrong_at >= 0)
    p[len + mac_len + (size_t)wrong_at] ^= 0x10;
  uint8_t enc[TG_MAX_CBC_CTX] __attribute__((aligned(16)));
  l->suite->cbc->set_encrypt_key(enc, l->enc_key);
  memcpy(iv, out->body, 16);
  l->suite->cbc->encrypt(enc, iv, n, p, p);
  out->len = 16 + n;
}

Test(cbc_record, every_padding_byte_is_checked) {
  static rec r;
  uint8_t content[64], plain[1024];
  size_t n;
  fill(content, sizeof content, 9);
  for (size_t s = 0; s < N_SUITES; s++) {
    link l;
    link_init(&l, cbc_suites[s], false);
    size_t mac_len = l.suite->mac->digest_len;
    size_t len = (16 - mac_len % 16) % 16 + 16; /* so that len + mac + 256 is a block multiple */
    build_mte(&l, content, len, 255, -1, &r);
    cr_assert_eq(open_rec(&l, &r, plain, &n), -1, "%04x: 256 bytes of padding open", cbc_suites[s]);
    cr_expect_eq(n, len);
    for (int at = 0; at < 256; at++) {
      link m;
      link_init(&m, cbc_suites[s], false);
      build_mte(&m, content, len, 255, at, &r);
      cr_expect_eq(open_rec(&m, &r, plain, &n), TG_ALERT_bad_record_mac,
                   "%04x: padding byte %d of 256 wrong", cbc_suites[s], at);
    }
  }
}

/* Too short for IV + MAC + one block, or not whole blocks: bad_record_mac (RFC 5246 §7.2.2: a
 * TLSCiphertext that is not "an even multiple of the block length" is bad_record_mac). */
Test(cbc_record, short_and_misaligned_records) {
  static rec r;
  uint8_t plain[256];
  size_t n;
  for (size_t s = 0; s < N_SUITES; s++)
    for (int etm = 0; etm < 2; etm++) {
      link l;
      link_init(&l, cbc_suites[s], etm);
      size_t mac_len = l.suite->mac->digest_len;
      size_t lens[] = {0, 1, 15, 16, 32, 16 + mac_len, 16 + mac_len + 1, 48 + mac_len + 1};
      for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        fill(r.body, lens[i], 1);
        r.len = lens[i];
        memcpy(r.header, "\x17\x03\x03\x00\x00", 5);
        cr_expect_eq(open_rec(&l, &r, plain, &n), TG_ALERT_bad_record_mac, "%04x etm %d: %zu bytes",
                     cbc_suites[s], etm, lens[i]);
      }
    }
}

/* Each way tg_cbc_flaw spoils a record is refused the same way; the next record is sound. */
Test(cbc_record, every_flaw_is_bad_record_mac) {
  static rec r;
  uint8_t content[12] = "GET / HTTP/1", plain[256];
  size_t n;
  for (size_t s = 0; s < N_SUITES; s++)
    for (int etm = 0; etm < 2; etm++)
      for (uint8_t flaw = TG_CBC_FLAW_BAD_MAC; flaw <= TG_CBC_FLAW_PARTIAL_BLOCK; flaw++) {
        link l;
        link_init(&l, cbc_suites[s], etm);
        l.w.cbc_flaw = flaw;
        seal(&l, tg_bytes_of(content, sizeof content), &r);
        cr_expect_eq(open_rec(&l, &r, plain, &n), TG_ALERT_bad_record_mac, "%04x etm %d flaw %u",
                     cbc_suites[s], etm, flaw);
        cr_expect_eq(l.w.cbc_flaw, TG_CBC_FLAW_NONE, "a flaw spoils one record");
        link_init(&l, cbc_suites[s], etm);
        seal(&l, tg_bytes_of(content, sizeof content), &r);
        cr_expect_eq(open_rec(&l, &r, plain, &n), -1);
      }
}
