/* Hashes, HMAC, HKDF and the TLS 1.3 key schedule primitives against published vectors:
 * RFC 4231 (HMAC-SHA-256/384), RFC 5869 (HKDF-SHA-256), and RFC 8448 §3 and §5 (every step of
 * the key schedule, each from the RFC's own inputs, plus the transcript hashes). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "tg/crypto.h"

/* ---- vectors ----------------------------------------------------------------------------------
 */

typedef struct vbuf {
  uint8_t p[2048];
  size_t len;
} vbuf;

static int nibble(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static vbuf unhex(const char *hex) {
  vbuf b = {.len = 0};
  size_t n = strlen(hex);
  cr_assert(n % 2 == 0 && n / 2 <= sizeof b.p, "bad hex length %zu", n);
  for (size_t i = 0; i < n; i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    cr_assert(hi >= 0 && lo >= 0, "bad hex at %zu", i);
    b.p[b.len++] = (uint8_t)(hi << 4 | lo);
  }
  return b;
}

/* vectors/rfc8448/<dir>/<name>.hex */
static vbuf vec(const char *dir, const char *name) {
  char path[512], text[4200];
  snprintf(path, sizeof path, "%s/vectors/rfc8448/%s/%s.hex", TG_SOURCE_DIR, dir, name);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  size_t n = fread(text, 1, sizeof text - 1, f);
  cr_assert(feof(f), "%s too large", path);
  fclose(f);
  text[n] = '\0';
  return unhex(text);
}

static tg_bytes view(const vbuf *b) { return tg_bytes_of(b->p, b->len); }

static void expect_eq(const uint8_t *got, const vbuf *want, const char *what) {
  char hex[2 * sizeof want->p + 1];
  for (size_t i = 0; i < want->len; i++)
    snprintf(hex + 2 * i, 3, "%02x", got[i]);
  cr_expect(memcmp(got, want->p, want->len) == 0, "%s differs from the vector: got %s", what, hex);
}

#define SEC3 "sec3-simple-1rtt"
#define SEC5 "sec5-hrr"

static const uint8_t zeros[TG_MAX_HASH_LEN];

/* ---- SHA-2 ------------------------------------------------------------------------------------
 */

Test(hash, sha256_sha384_abc) {
  /* FIPS 180-2 Appendix B.1 / D.1: "abc". */
  vbuf want256 = unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  vbuf want384 = unhex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                       "8086072ba1e7cc2358baeca134c825a7");
  uint8_t out[TG_MAX_HASH_LEN];
  tg_hash(&tg_sha256, tg_bytes_of("abc", 3), out);
  expect_eq(out, &want256, "SHA-256(abc)");
  tg_hash(&tg_sha384, tg_bytes_of("abc", 3), out);
  expect_eq(out, &want384, "SHA-384(abc)");
}

Test(hash, peek_does_not_disturb_the_running_hash) {
  tg_hash_ctx h;
  uint8_t mid[TG_MAX_HASH_LEN], mid2[TG_MAX_HASH_LEN], end[TG_MAX_HASH_LEN], want[TG_MAX_HASH_LEN];
  tg_hash_init(&h, &tg_sha384);
  tg_hash_update(&h, tg_bytes_of("ab", 2));
  tg_hash_peek(&h, mid);
  tg_hash_peek(&h, mid2);
  tg_hash_update(&h, tg_bytes_of("c", 1));
  tg_hash_peek(&h, end);
  tg_hash(&tg_sha384, tg_bytes_of("ab", 2), want);
  cr_expect(memcmp(mid, want, 48) == 0, "first peek is SHA-384(ab)");
  cr_expect(memcmp(mid2, want, 48) == 0, "a second peek gives the same digest");
  tg_hash(&tg_sha384, tg_bytes_of("abc", 3), want);
  cr_expect(memcmp(end, want, 48) == 0, "hashing continues after a peek");
}

/* ---- HMAC, RFC 4231 ---------------------------------------------------------------------------
 */

Test(hmac, rfc4231_cases_1_to_4_and_6) {
  static const struct {
    const char *name, *key, *data, *sha256, *sha384;
  } cases[] = {
      {"case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
       "faea9ea9076ede7f4af152e8b2fa9cb6"},
      {"case 2", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
       "8e2240ca5e69e2c78b3239ecfab21649"},
      {"case 3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
       "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
       "dddddddddd",
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
       "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
       "2a5ab39dc13814b94e3ab6e101a34f27"},
      {"case 4", "0102030405060708090a0b0c0d0e0f10111213141516171819",
       "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
       "cdcdcdcdcd",
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
       "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
       "6801dd23c4a7d679ccf8a386c674cffb"},
      /* a 131-byte key: longer than both block sizes, so it is hashed first (RFC 2104 §2) */
      {"case 6",
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
       "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368"
       "204b6579204669727374",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
       "0c2ef6ab4030fe8296248df163f44952"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    vbuf key = unhex(cases[i].key), data = unhex(cases[i].data);
    vbuf want256 = unhex(cases[i].sha256), want384 = unhex(cases[i].sha384);
    uint8_t out[TG_MAX_HASH_LEN];
    tg_hmac(&tg_sha256, view(&key), view(&data), out);
    expect_eq(out, &want256, cases[i].name);
    tg_hmac(&tg_sha384, view(&key), view(&data), out);
    expect_eq(out, &want384, cases[i].name);
  }
}

Test(hmac, output_may_overwrite_the_key) {
  vbuf key = unhex("4a656665");
  vbuf want = unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  uint8_t buf[TG_MAX_HASH_LEN] = {0};
  memcpy(buf, key.p, key.len);
  tg_hmac(&tg_sha256, tg_bytes_of(buf, key.len), tg_bytes_of("what do ya want for nothing?", 28),
          buf);
  expect_eq(buf, &want, "HMAC written over its key");
}

/* ---- HKDF, RFC 5869 ---------------------------------------------------------------------------
 */

Test(hkdf, rfc5869_cases_1_to_3) {
  static const struct {
    const char *name, *ikm, *salt, *info, *prk, *okm;
  } cases[] = {
      {"case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
       "f0f1f2f3f4f5f6f7f8f9", "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
      {"case 2",
       "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c"
       "2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
       "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c"
       "8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
       "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdc"
       "dddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
       "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e"
       "590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
      /* no salt and no info: the salt defaults to HashLen zeros (RFC 5869 §2.2) */
      {"case 3", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
       "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    vbuf ikm = unhex(cases[i].ikm), salt = unhex(cases[i].salt), info = unhex(cases[i].info);
    vbuf prk = unhex(cases[i].prk), okm = unhex(cases[i].okm);
    uint8_t got_prk[TG_MAX_HASH_LEN], got_okm[128];
    tg_err err = {0};
    tg_hkdf_extract(&tg_sha256, view(&salt), view(&ikm), got_prk);
    expect_eq(got_prk, &prk, cases[i].name);
    cr_assert_eq(
        tg_hkdf_expand(&tg_sha256, tg_bytes_of(got_prk, 32), view(&info), got_okm, okm.len, &err),
        TG_OK, "%s: %s", cases[i].name, err.what);
    expect_eq(got_okm, &okm, cases[i].name);
  }
}

Test(hkdf, expand_refuses_more_than_255_blocks) {
  static uint8_t out[255 * 32 + 1];
  tg_err err = {0};
  cr_expect_eq(
      tg_hkdf_expand(&tg_sha256, tg_bytes_of(zeros, 32), tg_bytes_of(NULL, 0), out, 255 * 32, &err),
      TG_OK);
  cr_expect_eq(tg_hkdf_expand(&tg_sha256, tg_bytes_of(zeros, 32), tg_bytes_of(NULL, 0), out,
                              255 * 32 + 1, &err),
               TG_E_USAGE);
  cr_expect_eq(err.alert, TG_ALERT_internal_error);
}

Test(hkdf, expand_label_refuses_bad_labels) {
  static char long_label[251];
  uint8_t out[32];
  tg_err err = {0};
  memset(long_label, 'a', 250); /* "tls13 " + 250 > 255 */
  cr_expect_neq(tg_hkdf_expand_label(&tg_sha256, tg_bytes_of(zeros, 32), long_label,
                                     tg_bytes_of(NULL, 0), out, 32, &err),
                TG_OK);
  tg_err_clear(&err);
  cr_expect_eq(tg_hkdf_expand_label(&tg_sha256, tg_bytes_of(zeros, 32), "", tg_bytes_of(NULL, 0),
                                    out, 32, &err),
               TG_E_USAGE, "label<7..255> needs a non-empty Label");
  tg_err_clear(&err);
  long_label[249] = '\0'; /* exactly 255 bytes with the prefix */
  cr_expect_eq(tg_hkdf_expand_label(&tg_sha256, tg_bytes_of(zeros, 32), long_label,
                                    tg_bytes_of(NULL, 0), out, 32, &err),
               TG_OK, "%s", err.what);
}

/* ---- RFC 8448 §3: HkdfLabel encodings ---------------------------------------------------------
 */

Test(rfc8448_sec3, hkdf_label_encodings) {
  uint8_t empty_hash[32];
  tg_hash(&tg_sha256, tg_bytes_of(NULL, 0), empty_hash);
  vbuf th_sh = vec(SEC3, "transcript_hash_ch_sh");
  vbuf th_sfin = vec(SEC3, "transcript_hash_ch_server_fin");
  vbuf th_cfin = vec(SEC3, "transcript_hash_ch_client_fin");
  static const uint8_t nonce[2] = {0, 0};
  const struct {
    const char *file, *label;
    tg_bytes context;
    size_t len;
  } rows[] = {
      {"hkdf_label_derived", "derived", tg_bytes_of(empty_hash, 32), 32},
      {"hkdf_label_c_hs_traffic", "c hs traffic", view(&th_sh), 32},
      {"hkdf_label_s_hs_traffic", "s hs traffic", view(&th_sh), 32},
      {"hkdf_label_c_ap_traffic", "c ap traffic", view(&th_sfin), 32},
      {"hkdf_label_s_ap_traffic", "s ap traffic", view(&th_sfin), 32},
      {"hkdf_label_exp_master", "exp master", view(&th_sfin), 32},
      {"hkdf_label_res_master", "res master", view(&th_cfin), 32},
      {"hkdf_label_key_16", "key", tg_bytes_of(NULL, 0), 16},
      {"hkdf_label_iv_12", "iv", tg_bytes_of(NULL, 0), 12},
      {"hkdf_label_finished", "finished", tg_bytes_of(NULL, 0), 32},
      {"hkdf_label_resumption", "resumption", tg_bytes_of(nonce, 2), 32},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    vbuf want = vec(SEC3, rows[i].file);
    uint8_t buf[600];
    tg_writer w;
    tg_writer_init(&w, buf, sizeof buf, NULL);
    tg_hkdf_label_encode(&w, rows[i].label, rows[i].context, rows[i].len);
    cr_assert_eq(tg_writer_status(&w), TG_OK);
    cr_expect_eq(w.len, want.len, "%s: %zu bytes, expected %zu", rows[i].file, w.len, want.len);
    expect_eq(buf, &want, rows[i].file);
  }
}

/* ---- RFC 8448 §3: transcript hashes -----------------------------------------------------------
 */

/* SHA-256 over the concatenated handshake message files of dir, peeked after each checkpoint. */
static void check_transcript(const char *dir, const char *const *msgs, size_t n,
                             const char *const *checkpoints) {
  tg_hash_ctx h;
  tg_hash_init(&h, &tg_sha256);
  for (size_t i = 0; i < n; i++) {
    vbuf m = vec(dir, msgs[i]);
    tg_hash_update(&h, view(&m));
    if (checkpoints[i] != NULL) {
      uint8_t got[32];
      vbuf want = vec(dir, checkpoints[i]);
      tg_hash_peek(&h, got);
      expect_eq(got, &want, checkpoints[i]);
    }
  }
}

Test(rfc8448_sec3, transcript_hashes_of_the_messages) {
  static const char *const msgs[] = {"client_hello",   "server_hello",       "encrypted_extensions",
                                     "certificate",    "certificate_verify", "server_finished",
                                     "client_finished"};
  static const char *const checks[] = {NULL,
                                       "transcript_hash_ch_sh",
                                       NULL,
                                       NULL,
                                       NULL,
                                       "transcript_hash_ch_server_fin",
                                       "transcript_hash_ch_client_fin"};
  check_transcript(SEC3, msgs, 7, checks);
}

/* ---- RFC 8448 §3: the key schedule, one step per test from the RFC's inputs --------------------
 */

Test(rfc8448_sec3, early_secret_from_zero_ikm) {
  /* RFC 8446 §7.1: without a PSK, IKM is Hash.length zeros and the salt is 0 (RFC 8448 prints
   * it as one octet 00; as an HMAC key any run of zeros up to the block is the same key). */
  uint8_t got[32];
  vbuf want = vec(SEC3, "early_secret");
  tg_hkdf_extract(&tg_sha256, tg_bytes_of(zeros, 1), tg_bytes_of(zeros, 32), got);
  expect_eq(got, &want, "early_secret");
}

/* Derive-Secret(dir/secret_file, label, Hash(messages named by hash_file, or "" if NULL)). */
static void check_derive(const char *dir, const char *secret_file, const char *label,
                         const char *hash_file, const char *want_file) {
  vbuf secret = vec(dir, secret_file), want = vec(dir, want_file);
  uint8_t th[32], got[32];
  if (hash_file != NULL) {
    vbuf h = vec(dir, hash_file);
    memcpy(th, h.p, 32);
  } else {
    tg_hash(&tg_sha256, tg_bytes_of(NULL, 0), th);
  }
  tg_err err = {0};
  cr_assert_eq(tg_derive_secret(&tg_sha256, view(&secret), label, th, got, &err), TG_OK, "%s",
               err.what);
  expect_eq(got, &want, want_file);
}

Test(rfc8448_sec3, derived_secret_handshake) {
  check_derive(SEC3, "early_secret", "derived", NULL, "derived_secret_handshake");
}

Test(rfc8448_sec3, handshake_secret_from_shared_secret) {
  vbuf salt = vec(SEC3, "derived_secret_handshake"), ikm = vec(SEC3, "shared_secret");
  vbuf want = vec(SEC3, "handshake_secret");
  uint8_t got[32];
  tg_hkdf_extract(&tg_sha256, view(&salt), view(&ikm), got);
  expect_eq(got, &want, "handshake_secret");
}

Test(rfc8448_sec3, handshake_traffic_secrets) {
  check_derive(SEC3, "handshake_secret", "c hs traffic", "transcript_hash_ch_sh",
               "client_handshake_traffic_secret");
  check_derive(SEC3, "handshake_secret", "s hs traffic", "transcript_hash_ch_sh",
               "server_handshake_traffic_secret");
}

Test(rfc8448_sec3, master_secret) {
  check_derive(SEC3, "handshake_secret", "derived", NULL, "derived_secret_master");
  vbuf salt = vec(SEC3, "derived_secret_master"), want = vec(SEC3, "master_secret");
  uint8_t got[32];
  tg_hkdf_extract(&tg_sha256, view(&salt), tg_bytes_of(zeros, 32), got);
  expect_eq(got, &want, "master_secret");
}

Test(rfc8448_sec3, application_traffic_secrets) {
  check_derive(SEC3, "master_secret", "c ap traffic", "transcript_hash_ch_server_fin",
               "client_application_traffic_secret_0");
  check_derive(SEC3, "master_secret", "s ap traffic", "transcript_hash_ch_server_fin",
               "server_application_traffic_secret_0");
}

Test(rfc8448_sec3, exporter_and_resumption_master_secrets) {
  check_derive(SEC3, "master_secret", "exp master", "transcript_hash_ch_server_fin",
               "exporter_master_secret");
  check_derive(SEC3, "master_secret", "res master", "transcript_hash_ch_client_fin",
               "resumption_master_secret");
}

/* HKDF-Expand-Label(dir/secret_file, label, context, want.len) == dir/want_file. */
static void check_expand(const char *dir, const char *secret_file, const char *label,
                         tg_bytes context, const char *want_file) {
  vbuf secret = vec(dir, secret_file), want = vec(dir, want_file);
  uint8_t got[64];
  tg_err err = {0};
  cr_assert_eq(tg_hkdf_expand_label(&tg_sha256, view(&secret), label, context, got, want.len, &err),
               TG_OK, "%s", err.what);
  expect_eq(got, &want, want_file);
}

Test(rfc8448_sec3, write_keys_and_ivs) {
  static const char *const sides[][3] = {
      {"server_handshake_traffic_secret", "server_handshake_write_key",
       "server_handshake_write_iv"},
      {"client_handshake_traffic_secret", "client_handshake_write_key",
       "client_handshake_write_iv"},
      {"server_application_traffic_secret_0", "server_application_write_key",
       "server_application_write_iv"},
      {"client_application_traffic_secret_0", "client_application_write_key",
       "client_application_write_iv"},
  };
  for (size_t i = 0; i < 4; i++) {
    check_expand(SEC3, sides[i][0], "key", tg_bytes_of(NULL, 0), sides[i][1]);
    check_expand(SEC3, sides[i][0], "iv", tg_bytes_of(NULL, 0), sides[i][2]);
  }
}

Test(rfc8448_sec3, finished_keys_and_verify_data) {
  check_expand(SEC3, "server_handshake_traffic_secret", "finished", tg_bytes_of(NULL, 0),
               "server_finished_key");
  check_expand(SEC3, "client_handshake_traffic_secret", "finished", tg_bytes_of(NULL, 0),
               "client_finished_key");
  /* RFC 8446 §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context,
   * Certificate*, CertificateVerify*)): the server's through CertificateVerify, the client's
   * through the server Finished. */
  static const char *const server_msgs[] = {"client_hello", "server_hello", "encrypted_extensions",
                                            "certificate", "certificate_verify"};
  tg_hash_ctx h;
  tg_hash_init(&h, &tg_sha256);
  for (size_t i = 0; i < 5; i++) {
    vbuf m = vec(SEC3, server_msgs[i]);
    tg_hash_update(&h, view(&m));
  }
  uint8_t th[32], got[32];
  tg_hash_peek(&h, th);
  vbuf key = vec(SEC3, "server_finished_key"), want = vec(SEC3, "server_finished_verify_data");
  tg_hmac(&tg_sha256, view(&key), tg_bytes_of(th, 32), got);
  expect_eq(got, &want, "server verify_data");
  vbuf fin = vec(SEC3, "server_finished");
  cr_expect(fin.len == 36 && memcmp(fin.p + 4, got, 32) == 0, "server Finished carries it");

  key = vec(SEC3, "client_finished_key");
  want = vec(SEC3, "client_finished_verify_data");
  vbuf th_sfin = vec(SEC3, "transcript_hash_ch_server_fin");
  tg_hmac(&tg_sha256, view(&key), view(&th_sfin), got);
  expect_eq(got, &want, "client verify_data");
}

Test(rfc8448_sec3, resumption_psk_with_ticket_nonce_0000) {
  static const uint8_t ticket_nonce[2] = {0, 0};
  check_expand(SEC3, "resumption_master_secret", "resumption", tg_bytes_of(ticket_nonce, 2),
               "resumption_psk");
}

/* ---- RFC 8448 §5: HelloRetryRequest -----------------------------------------------------------
 */

/* RFC 8446 §4.4.1: after a HelloRetryRequest the transcript starts with
 * message_hash(254) || 00 00 Hash.length || Hash(ClientHello1). */
static void sec5_transcript(tg_hash_ctx *h, size_t n_msgs) {
  static const char *const msgs[] = {"hello_retry_request",  "client_hello_2", "server_hello",
                                     "encrypted_extensions", "certificate",    "certificate_verify",
                                     "server_finished"};
  vbuf ch1 = vec(SEC5, "client_hello_1");
  uint8_t message_hash[4 + 32] = {254, 0, 0, 32};
  tg_hash(&tg_sha256, view(&ch1), message_hash + 4);
  tg_hash_init(h, &tg_sha256);
  tg_hash_update(h, tg_bytes_of(message_hash, sizeof message_hash));
  for (size_t i = 0; i < n_msgs; i++) {
    vbuf m = vec(SEC5, msgs[i]);
    tg_hash_update(h, view(&m));
  }
}

Test(rfc8448_sec5, transcript_starts_with_message_hash) {
  tg_hash_ctx h;
  uint8_t got[32];
  vbuf want = vec(SEC5, "transcript_hash_ch_sh");
  sec5_transcript(&h, 3);
  tg_hash_peek(&h, got);
  expect_eq(got, &want, "transcript_hash_ch_sh");
  want = vec(SEC5, "transcript_hash_ch_server_fin");
  sec5_transcript(&h, 7);
  tg_hash_peek(&h, got);
  expect_eq(got, &want, "transcript_hash_ch_server_fin");
}

Test(rfc8448_sec5, handshake_secret_and_traffic_secrets) {
  vbuf salt = vec(SEC5, "derived_secret_handshake"), ikm = vec(SEC5, "shared_secret");
  vbuf want = vec(SEC5, "handshake_secret");
  uint8_t got[32];
  check_derive(SEC5, "early_secret", "derived", NULL, "derived_secret_handshake");
  tg_hkdf_extract(&tg_sha256, view(&salt), view(&ikm), got);
  expect_eq(got, &want, "handshake_secret (P-256 shared secret)");
  /* From the transcript computed here, not the file: message_hash must be right for these. */
  tg_hash_ctx h;
  uint8_t th[32];
  sec5_transcript(&h, 3);
  tg_hash_peek(&h, th);
  vbuf hs = vec(SEC5, "handshake_secret");
  static const char *const rows[][2] = {{"c hs traffic", "client_handshake_traffic_secret"},
                                        {"s hs traffic", "server_handshake_traffic_secret"}};
  for (size_t i = 0; i < 2; i++) {
    tg_err err = {0};
    want = vec(SEC5, rows[i][1]);
    cr_assert_eq(tg_derive_secret(&tg_sha256, view(&hs), rows[i][0], th, got, &err), TG_OK);
    expect_eq(got, &want, rows[i][1]);
  }
  check_expand(SEC5, "server_handshake_traffic_secret", "key", tg_bytes_of(NULL, 0),
               "server_handshake_write_key");
  check_expand(SEC5, "client_handshake_traffic_secret", "iv", tg_bytes_of(NULL, 0),
               "client_handshake_write_iv");
}

Test(rfc8448_sec5, application_traffic_secrets) {
  check_derive(SEC5, "master_secret", "c ap traffic", "transcript_hash_ch_server_fin",
               "client_application_traffic_secret_0");
  check_derive(SEC5, "master_secret", "s ap traffic", "transcript_hash_ch_server_fin",
               "server_application_traffic_secret_0");
}

/* ---- cipher suites ----------------------------------------------------------------------------
 */

Test(suites, tls13_suites_name_their_aead_and_hash) {
  const tg_cipher_suite *s = tg_cipher_suite_find(0x1301);
  cr_assert_not_null(s);
  cr_expect(s->aead == &tg_aes128_gcm && s->hash == &tg_sha256);
  cr_expect_str_eq(s->name, "TLS_AES_128_GCM_SHA256");
  s = tg_cipher_suite_find(0x1302);
  cr_assert_not_null(s);
  cr_expect(s->aead == &tg_aes256_gcm && s->hash == &tg_sha384);
  s = tg_cipher_suite_find(0x1303);
  cr_assert_not_null(s);
  cr_expect(s->aead == &tg_chacha20_poly1305 && s->hash == &tg_sha256);
  cr_expect_eq(s->min_version, 0x0304);
  cr_expect_eq(s->max_version, 0x0304);
  s = tg_cipher_suite_find(0x1304); /* TLS_AES_128_CCM_SHA256 (RFC 8446 B.4) */
  cr_assert_not_null(s);
  cr_expect(s->aead == &tg_aes128_ccm && s->hash == &tg_sha256);
  cr_expect_null(tg_cipher_suite_find(0x0005), "no RC4 suite (TLS_RSA_WITH_RC4_128_SHA)");
  s = tg_cipher_suite_find(0xc02f); /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (RFC 5289) */
  cr_assert_not_null(s);
  cr_expect(s->aead == &tg_aes128_gcm && s->hash == &tg_sha256);
  cr_expect_eq(s->max_version, 0x0303);
  cr_expect_eq(s->kx, TG_SUITE_KX_ECDHE);
  cr_expect_eq(s->auth, TG_SUITE_AUTH_RSA);
  s = tg_cipher_suite_find(0xc013); /* TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: CBC, no AEAD */
  cr_assert_not_null(s);
  cr_expect(s->aead == NULL && s->cbc == &tg_aes128_cbc && s->mac == &tg_sha1);
  cr_expect(s->hash == &tg_sha256, "the TLS 1.2 PRF's hash");
  cr_expect_null(tg_cipher_suite_find(0x000a), "no 3DES (TLS_RSA_WITH_3DES_EDE_CBC_SHA)");
}
