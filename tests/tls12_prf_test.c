/* Known answers for the TLS 1.2 PRF (RFC 5246 §5), the key block (§6.3) and the TLS 1.2 AEAD
 * record protection (RFC 5288, RFC 7905, RFC 5246 §6.2.3.3), and the RSA key transport
 * countermeasure (§7.4.7.1).
 *
 * Sources:
 *   - PRF: the P_SHA256 and P_SHA384 "test label" vectors posted to the IETF TLS list
 *     (https://www.ietf.org/mail-archive/web/tls/current/msg03416.html), also in GnuTLS's
 *     tests/tls12-prf.c and many libraries' suites; both reproduced with OpenSSL 3.0:
 *       openssl kdf -keylen 100 -kdfopt digest:SHA256 -kdfopt hexsecret:9bbe436b...
 *         -kdfopt hexseed:<hex("test label")>a0ba9f93... TLS1-PRF
 *   - key block: no published TLS 1.2 AEAD key block exists that we could find; the expected
 *     bytes come from OpenSSL's TLS1-PRF (which reproduces the vectors above), with the master
 *     secret = the first 48 bytes of the P_SHA256 vector's output, server_random = 70..8f,
 *     client_random = 00..1f:
 *       openssl kdf -keylen 40 -kdfopt digest:SHA256 -kdfopt hexsecret:<ms>
 *         -kdfopt hexseed:<hex("key expansion")><server_random><client_random> TLS1-PRF */
#include <criterion/criterion.h>
#include <string.h>

#include "engine/internal.h"
#include "hs_testutil.h"
#include "tg/protection.h"
#include "tg/sig.h"

static const char prf256[] =
    "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9"
    "af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110ff"
    "f70187347b66";
static const char prf384[] =
    "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146"
    "a0e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d91"
    "84259b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e"
    "0990703d73e56f";

Test(tls12_prf, sha256_vector) {
  tt_buf secret = tt_from_hex("9bbe436ba940f017b17652849a71db35");
  tt_buf seed = tt_from_hex("a0ba9f936cda311827a6f796ffd5198c");
  tt_buf want = tt_from_hex(prf256);
  uint8_t out[100];
  tg_tls12_prf(&tg_sha256, tt_view(secret), "test label", tt_view(seed), tg_bytes_of(NULL, 0), out,
               sizeof out);
  cr_expect(memcmp(out, want.p, 100) == 0, "P_SHA256 differs from the published vector");
  /* The seed may come in two pieces: the same bytes. */
  tg_tls12_prf(&tg_sha256, tt_view(secret), "test label", tg_bytes_of(seed.p, 5),
               tg_bytes_of(seed.p + 5, 11), out, sizeof out);
  cr_expect(memcmp(out, want.p, 100) == 0, "a split seed changes the output");
  /* A shorter output is a prefix (the A(i) chain). */
  uint8_t short_out[13];
  tg_tls12_prf(&tg_sha256, tt_view(secret), "test label", tt_view(seed), tg_bytes_of(NULL, 0),
               short_out, sizeof short_out);
  cr_expect(memcmp(short_out, want.p, sizeof short_out) == 0);
  tt_free(&secret);
  tt_free(&seed);
  tt_free(&want);
}

Test(tls12_prf, sha384_vector) {
  tt_buf secret = tt_from_hex("b80b733d6ceefcdc71566ea48e5567df");
  tt_buf seed = tt_from_hex("cd665cf6a8447dd6ff8b27555edb7465");
  tt_buf want = tt_from_hex(prf384);
  uint8_t out[148];
  tg_tls12_prf(&tg_sha384, tt_view(secret), "test label", tt_view(seed), tg_bytes_of(NULL, 0), out,
               sizeof out);
  cr_expect(memcmp(out, want.p, 148) == 0, "P_SHA384 differs from the published vector");
  tt_free(&secret);
  tt_free(&seed);
  tt_free(&want);
}

/* The key block through the engine: the client's write key and IV of
 * TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, checked by sealing an empty record and comparing with
 * AES-128-GCM under the expected key, nonce salt || explicit and the RFC 5246 additional data. */
Test(tls12_prf, key_block_and_record) {
  /* client_write_key (16) | server_write_key (16) | client_write_IV (4) | server_write_IV (4) */
  tt_buf block = tt_from_hex("dc52f926f5f6d9f00b705280336bc8e138a429a44dedbd95f98c80da874b2213"
                             "7f9a67bbcb20ede8");
  tt_buf ms = tt_from_hex(prf256);
  uint64_t seed = 1;
  tg_config cfg = {.rng = {NULL, &seed}, .max_version = TG_VERSION_TLS12};
  tg_conn c = {.cfg = &cfg, .is_server = false};
  c.ks.suite = tg_cipher_suite_find(0xc02b);
  cr_assert_not_null(c.ks.suite);
  memcpy(c.master_secret, ms.p, TG_MASTER_SECRET_LEN);
  for (int i = 0; i < 32; i++) {
    c.client_random[i] = (uint8_t)i;
    c.server_random[i] = (uint8_t)(0x70 + i);
  }
  tg12_install_write(&c);
  cr_expect(memcmp(c.wr12.iv, block.p + 32, 4) == 0, "client_write_IV");
  uint8_t rec[5 + 8 + 16] = {0x17, 0x03, 0x03, 0x00, 24};
  tg_err err;
  cr_assert_eq(c.wr_prot.ops->seal(c.wr_prot.ctx, tg_bytes_of(rec, 5), rec + 5, 0, &err), TG_OK);
  /* RFC 5288 §3: explicit nonce = the sequence number 0 here; the tag over AAD seq 0 || 17 0303
   * || length 0. */
  uint8_t zeros[8] = {0}, nonce[12], aad[13] = {0, 0, 0, 0, 0, 0, 0, 0, 0x17, 0x03, 0x03, 0, 0};
  uint8_t tag[16];
  memcpy(nonce, block.p + 32, 4);
  memset(nonce + 4, 0, 8);
  tg_aead_ctx a;
  tg_aead_init(&a, &tg_aes128_gcm, block.p);
  a.desc->seal(a.state, nonce, tg_bytes_of(aad, 13), NULL, 0, tag);
  cr_expect(memcmp(rec + 5, zeros, 8) == 0, "nonce_explicit is the sequence number");
  cr_expect(memcmp(rec + 13, tag, 16) == 0, "the tag is AES-128-GCM under client_write_key");
  tt_free(&block);
  tt_free(&ms);
}

/* ChaCha20-Poly1305 (RFC 7905 §2): no explicit nonce, the IV XORed with the sequence number;
 * records open in order, a changed header (the additional data) or a replay does not. */
Test(tls12_prf, chacha_record_roundtrip) {
  uint8_t key[32], iv[12], buf[64], out[64];
  for (int i = 0; i < 32; i++)
    key[i] = (uint8_t)(i * 3);
  memset(iv, 0x5a, sizeof iv);
  tg_prot12 w, r;
  tg_prot12_init(&w, &tg_chacha20_poly1305, key, iv, 12);
  tg_prot12_init(&r, &tg_chacha20_poly1305, key, iv, 12);
  tg_protection wp = tg_prot12_protection(&w), rp = tg_prot12_protection(&r);
  cr_expect_eq(wp.ops->overhead(wp.ctx), 16);
  uint8_t hdr[5] = {0x17, 0x03, 0x03, 0, 5 + 16};
  tg_err err;
  size_t n;
  for (int rec = 0; rec < 3; rec++) {
    memcpy(buf, "hello", 5);
    cr_assert_eq(wp.ops->seal(wp.ctx, tg_bytes_of(hdr, 5), buf, 5, &err), TG_OK);
    if (rec == 1) { /* a different type in the header: the additional data differs */
      uint8_t bad[5] = {0x16, 0x03, 0x03, 0, 21};
      cr_expect_neq(rp.ops->open(rp.ctx, tg_bytes_of(bad, 5), tg_bytes_of(buf, 21), out, &n, &err),
                    TG_OK);
      cr_expect_eq(err.alert, TG_ALERT_bad_record_mac);
    }
    cr_assert_eq(rp.ops->open(rp.ctx, tg_bytes_of(hdr, 5), tg_bytes_of(buf, 21), out, &n, &err),
                 TG_OK, "record %d: %s", rec, err.what);
    cr_expect(n == 5 && memcmp(out, "hello", 5) == 0);
  }
  /* The last record again (a replay): the sequence number moved on. */
  cr_expect_neq(rp.ops->open(rp.ctx, tg_bytes_of(hdr, 5), tg_bytes_of(buf, 21), out, &n, &err),
                TG_OK);
}

static void fill(void *ctx, uint8_t *out, size_t len) {
  uint64_t *s = ctx;
  for (size_t i = 0; i < len; i++) {
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    out[i] = (uint8_t)((*s >> 56) | 1); /* never zero: PKCS#1 padding bytes are non-zero */
  }
}

/* RFC 5246 §7.4.7.1: the right premaster comes back; a wrong version, a corrupted ciphertext or
 * a wrong length give the fallback, and the call succeeds either way (no oracle). */
Test(tls12_prf, rsa_premaster_countermeasure) {
  char path[512];
  snprintf(path, sizeof path, "%s/vectors/keys/rsa2048.pkcs8.der", TG_SOURCE_DIR);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f);
  uint8_t der[4096];
  size_t der_len = fread(der, 1, sizeof der, f);
  fclose(f);
  tg_private_key *key;
  tg_public_key *pub;
  tg_err err;
  cr_assert_eq(tg_private_key_load(tg_bytes_of(der, der_len), &key, &err), TG_OK);
  cr_assert_eq(tg_private_key_public(key, &pub, &err), TG_OK);
  uint64_t s = 7;
  tg_rng rng = {fill, &s};
  uint8_t pms[48], fallback[48], got[48];
  memset(fallback, 0xee, sizeof fallback);
  for (int wrong = 0; wrong < 4; wrong++) {
    memset(pms, 0x42, sizeof pms);
    pms[0] = 3;
    pms[1] = wrong == 1 ? 1 : 3; /* case 1: version bytes 0301 instead of 0303 */
    tg_writer ct;
    tg_writer_init_dynamic(&ct, NULL);
    cr_assert_eq(tg_rsa_kx_encrypt(pub, &rng, pms, &ct, &err), TG_OK);
    cr_expect_eq(ct.len, 256);
    if (wrong == 2)
      ct.buf[100] ^= 1;                            /* case 2: a corrupted ciphertext */
    size_t len = wrong == 3 ? ct.len - 1 : ct.len; /* case 3: a wrong length */
    cr_expect_eq(tg_rsa_kx_decrypt(key, &rng, tg_bytes_of(ct.buf, len), TG_VERSION_TLS12, fallback,
                                   got, &err),
                 TG_OK);
    cr_expect(memcmp(got, wrong ? fallback : pms, 48) == 0, "case %d", wrong);
    tg_writer_free(&ct);
  }
  tg_public_key_free(pub);
  tg_private_key_free(key);
}
