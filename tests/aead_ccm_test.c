/* AES-CCM and AES-CCM_8: the four AEAD descriptors against published known answers, TLS 1.3 and
 * TLS 1.2 records through the record layer with each tag length (a flipped tag bit and a record
 * shorter than its tag are bad_record_mac), and whole handshakes of the engine with every CCM
 * suite, which it offers only when a configuration lists them. */
#include "engine_pair.h"
#include "tg/protection.h"

/* ---- vectors ----------------------------------------------------------------------------------
 */

typedef struct vbuf {
  uint8_t p[256];
  size_t len;
} vbuf;

static vbuf unhex(const char *hex) {
  vbuf b = {.len = 0};
  size_t n = strlen(hex);
  cr_assert(n % 2 == 0 && n / 2 <= sizeof b.p, "bad hex length %zu", n);
  for (size_t i = 0; i < n; i += 2) {
    unsigned v;
    cr_assert_eq(sscanf(hex + i, "%2x", &v), 1, "bad hex at %zu", i);
    b.p[b.len++] = (uint8_t)v;
  }
  return b;
}

typedef struct kat {
  const char *source;
  const tg_aead_desc *aead;
  const char *key, *nonce, *aad, *plaintext, *ciphertext_and_tag;
} kat;

/* Every vector has the 12-byte nonce TLS uses (RFC 6655 §3, RFC 8446 §5.3). */
static const kat kats[] = {
    /* Wycheproof aes_ccm_test.json, group ivSize 96 keySize 128 tagSize 128, tcId 34. */
    {"Wycheproof AES-CCM tcId 34", &tg_aes128_ccm, "875b0b4a84150524eb1f50f9d8de1388",
     "fdc5014ed1ad706129d57322", "35a6d9829c8449c4402e385cc5c6fe98",
     "2f575dfb2dbe9d238de576fc63e4ac32",
     "3469c3ff738aa32aacc1ac48d89b1d75"
     "fa68720a3171a54c4b3690bffde7b610"},
    /* NIST SP 800-38C Appendix C, Example 3: Tlen = 64, Nlen = 96, Alen = 160, Plen = 192. */
    {"SP 800-38C Example 3", &tg_aes128_ccm_8, "404142434445464748494a4b4c4d4e4f",
     "101112131415161718191a1b", "000102030405060708090a0b0c0d0e0f10111213",
     "202122232425262728292a2b2c2d2e2f3031323334353637",
     "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5"
     "484392fbc1b09951"},
    /* Wycheproof aes_ccm_test.json, group ivSize 96 keySize 256 tagSize 128, tcId 141. */
    {"Wycheproof AES-CCM tcId 141", &tg_aes256_ccm,
     "b907a45075513fe8a8019edee3f2591487b2a030b03c6e1d771c862571d2ea1e", "118a6964c2d3e380071f5266",
     "034585621af8d7ff", "55a465644f5b650928cbee7c063214d6",
     "ab01f92db4f210bdb5edaf0a1bd19eba"
     "621630c505d24e3b29294977d8ffa4b4"},
    /* The inputs of tcId 141 with an 8-byte tag. Not a published vector: the answer comes from
     * another implementation (Python's cryptography, AESCCM(key, tag_length=8)). The ciphertext
     * equals tcId 141's (CTR does not depend on the tag length); the tag does not (B0 encodes
     * it, SP 800-38C A.2.1). */
    {"tcId 141 inputs, 8-byte tag", &tg_aes256_ccm_8,
     "b907a45075513fe8a8019edee3f2591487b2a030b03c6e1d771c862571d2ea1e", "118a6964c2d3e380071f5266",
     "034585621af8d7ff", "55a465644f5b650928cbee7c063214d6",
     "ab01f92db4f210bdb5edaf0a1bd19eba"
     "09d69e085084ed8f"},
};
#define N_KATS (sizeof kats / sizeof kats[0])

Test(aead_ccm, descriptors) {
  cr_expect_eq(tg_aes128_ccm.key_len, 16u);
  cr_expect_eq(tg_aes128_ccm.tag_len, 16u);
  cr_expect_eq(tg_aes128_ccm_8.key_len, 16u);
  cr_expect_eq(tg_aes128_ccm_8.tag_len, 8u);
  cr_expect_eq(tg_aes256_ccm.key_len, 32u);
  cr_expect_eq(tg_aes256_ccm.tag_len, 16u);
  cr_expect_eq(tg_aes256_ccm_8.key_len, 32u);
  cr_expect_eq(tg_aes256_ccm_8.tag_len, 8u);
}

Test(aead_ccm, known_answers_seal_and_open) {
  for (size_t i = 0; i < N_KATS; i++) {
    const kat *k = &kats[i];
    vbuf key = unhex(k->key), nonce = unhex(k->nonce), aad = unhex(k->aad);
    vbuf pt = unhex(k->plaintext), ct = unhex(k->ciphertext_and_tag);
    cr_assert_eq(key.len, k->aead->key_len, "%s", k->source);
    cr_assert_eq(nonce.len, TG_AEAD_NONCE_LEN, "%s", k->source);
    cr_assert_eq(ct.len, pt.len + k->aead->tag_len, "%s", k->source);
    tg_aead_ctx a;
    uint8_t out[256];
    tg_aead_init(&a, k->aead, key.p);
    k->aead->seal(a.state, nonce.p, tg_bytes_of(aad.p, aad.len), pt.p, pt.len, out);
    cr_expect(memcmp(out, ct.p, ct.len) == 0, "%s: seal", k->source);
    memset(out, 0, sizeof out);
    cr_expect(k->aead->open(a.state, nonce.p, tg_bytes_of(aad.p, aad.len), ct.p, ct.len, out),
              "%s: open", k->source);
    cr_expect(memcmp(out, pt.p, pt.len) == 0, "%s: plaintext", k->source);
  }
}

/* A flipped bit anywhere in the tag, the ciphertext, the additional data or the nonce fails, and
 * no plaintext is left behind. */
Test(aead_ccm, any_flipped_bit_fails_and_wipes) {
  for (size_t i = 0; i < N_KATS; i++) {
    const kat *k = &kats[i];
    vbuf key = unhex(k->key), nonce = unhex(k->nonce), aad = unhex(k->aad);
    vbuf ct = unhex(k->ciphertext_and_tag);
    tg_aead_ctx a;
    tg_aead_init(&a, k->aead, key.p);
    for (size_t bit = 0; bit < 8 * (ct.len + aad.len + nonce.len); bit++) {
      vbuf c = ct, d = aad, n = nonce;
      size_t byte = bit / 8;
      if (byte < c.len)
        c.p[byte] ^= (uint8_t)(1u << bit % 8);
      else if (byte < c.len + d.len)
        d.p[byte - c.len] ^= (uint8_t)(1u << bit % 8);
      else
        n.p[byte - c.len - d.len] ^= (uint8_t)(1u << bit % 8);
      uint8_t out[256];
      memset(out, 0xee, sizeof out);
      bool ok = k->aead->open(a.state, n.p, tg_bytes_of(d.p, d.len), c.p, c.len, out);
      cr_assert(!ok, "%s: opened with bit %zu flipped", k->source, bit);
      for (size_t j = 0; j < c.len - k->aead->tag_len; j++)
        cr_assert(out[j] == 0 || out[j] == 0xee, "%s: plaintext byte %zu left", k->source, j);
    }
  }
}

Test(aead_ccm, shorter_than_the_tag_fails) {
  static const tg_aead_desc *const all[] = {&tg_aes128_ccm, &tg_aes128_ccm_8, &tg_aes256_ccm,
                                            &tg_aes256_ccm_8};
  static const uint8_t key[32], nonce[12], in[16];
  uint8_t out[16];
  for (size_t i = 0; i < 4; i++) {
    tg_aead_ctx a;
    tg_aead_init(&a, all[i], key);
    cr_expect(!all[i]->open(a.state, nonce, tg_bytes_of(NULL, 0), in, all[i]->tag_len - 1, out),
              "%s", all[i]->name);
    cr_expect(!all[i]->open(a.state, nonce, tg_bytes_of(NULL, 0), in, 0, out), "%s", all[i]->name);
  }
}

/* An 8-byte CCM tag is not the first half of the 16-byte one (B0 encodes the tag length). */
Test(aead_ccm, ccm_8_is_not_a_truncated_ccm_tag) {
  static const uint8_t key[16] = {7}, nonce[12] = {3};
  uint8_t full[16 + 4], short_tag[8 + 4];
  tg_aead_ctx a, b;
  tg_aead_init(&a, &tg_aes128_ccm, key);
  tg_aead_init(&b, &tg_aes128_ccm_8, key);
  tg_aes128_ccm.seal(a.state, nonce, tg_bytes_of("ad", 2), (const uint8_t *)"data", 4, full);
  tg_aes128_ccm_8.seal(b.state, nonce, tg_bytes_of("ad", 2), (const uint8_t *)"data", 4, short_tag);
  cr_expect(memcmp(full, short_tag, 4) == 0, "the same CTR keystream");
  cr_expect(memcmp(full + 4, short_tag + 4, 8) != 0, "a different tag");
  uint8_t out[4];
  uint8_t cut[12];
  memcpy(cut, full, 12);
  cr_expect(!tg_aes128_ccm_8.open(b.state, nonce, tg_bytes_of("ad", 2), cut, 12, out));
}

/* ---- TLS 1.3 records ------------------------------------------------------------------------- */

static const tg_record_rules rules13 = {.version = TG_VERSION_TLS13, .protected_records = true};
static const tg_record_rules rules12 = {.version = TG_VERSION_TLS12, .protected_records = true};

static uint8_t wire[1024], plain[1024];

static tg_bytes seal_record(tg_protection *prot, uint16_t version, uint8_t type, tg_bytes payload) {
  tg_record_sender s = {
      .version = version, .legacy_record_version = TG_VERSION_TLS12, .prot = prot};
  tg_writer w;
  tg_err err = {0};
  tg_writer_init(&w, wire, sizeof wire, &err);
  cr_assert_eq(tg_record_send(&s, type, payload, &w, &err), TG_OK, "%s", err.what);
  return tg_writer_bytes(&w);
}

static tg_status open_record(tg_protection *prot, const tg_record_rules *rules, tg_bytes rec,
                             tg_content *out, tg_err *err) {
  tg_record r;
  size_t consumed = 0;
  cr_assert_eq(tg_record_read(rec, rules, &r, &consumed, err), TG_OK, "%s", err->what);
  cr_assert_eq(consumed, rec.len);
  return tg_record_open(&r, rules, prot, plain, sizeof plain, out, err);
}

/* The record header with a new length and body, for records the sender would not produce. */
static tg_bytes reframe(uint8_t *rec, size_t body_len) {
  rec[3] = (uint8_t)(body_len >> 8);
  rec[4] = (uint8_t)body_len;
  return tg_bytes_of(rec, 5 + body_len);
}

Test(aead_ccm, tls13_records_round_trip_and_reject_a_flipped_tag_bit) {
  static const uint16_t suites[] = {0x1304, 0x1305};
  for (size_t i = 0; i < 2; i++) {
    const tg_cipher_suite *cs = tg_cipher_suite_find(suites[i]);
    cr_assert_not_null(cs, "%04x", suites[i]);
    size_t tag = cs->aead->tag_len;
    cr_expect_eq(tag, i == 0 ? 16u : 8u, "%s", cs->name);
    uint8_t secret[32];
    memset(secret, 0x5a, sizeof secret);
    tg_err err = {0};
    tg_prot13 wr, rd;
    cr_assert_eq(tg_prot13_init(&wr, cs, tg_bytes_of(secret, 32), &err), TG_OK, "%s", err.what);
    cr_assert_eq(tg_prot13_init(&rd, cs, tg_bytes_of(secret, 32), &err), TG_OK, "%s", err.what);
    tg_protection pw = tg_prot13_protection(&wr), pr = tg_prot13_protection(&rd);
    cr_expect_eq(pw.ops->overhead(pw.ctx), tag, "%s: overhead is the tag", cs->name);

    tg_bytes rec =
        seal_record(&pw, TG_VERSION_TLS13, TG_CT_application_data, tg_bytes_of("ccm record", 10));
    cr_expect_eq(rec.len, 5 + 10 + 1 + tag, "%s: TLSCiphertext length", cs->name);
    tg_content c;
    cr_assert_eq(open_record(&pr, &rules13, rec, &c, &err), TG_OK, "%s: %s", cs->name, err.what);
    cr_expect_eq(c.type, TG_CT_application_data);
    cr_expect(tg_bytes_eq(c.data, tg_bytes_of("ccm record", 10)), "%s", cs->name);

    rec = seal_record(&pw, TG_VERSION_TLS13, TG_CT_application_data, tg_bytes_of("again", 5));
    wire[rec.len - 1] ^= 0x01; /* the tag's last bit */
    cr_expect_eq(open_record(&pr, &rules13, rec, &c, &err), TG_E_BAD_RECORD_MAC, "%s", cs->name);
    cr_expect_eq(err.alert, TG_ALERT_bad_record_mac, "%s", cs->name);
    wire[rec.len - 1] ^= 0x01; /* intact again: the failure consumed no sequence number */
    cr_expect_eq(open_record(&pr, &rules13, rec, &c, &err), TG_OK, "%s: %s", cs->name, err.what);

    /* Shorter than the tag: nothing to authenticate, bad_record_mac (RFC 8446 §5.2). */
    rec = seal_record(&pw, TG_VERSION_TLS13, TG_CT_application_data, tg_bytes_of("x", 1));
    cr_expect_eq(open_record(&pr, &rules13, reframe(wire, tag - 1), &c, &err), TG_E_BAD_RECORD_MAC,
                 "%s", cs->name);
    cr_expect_eq(err.alert, TG_ALERT_bad_record_mac, "%s", cs->name);
  }
}

/* ---- TLS 1.2 records (RFC 6655 §3) ----------------------------------------------------------- */

Test(aead_ccm, tls12_records_carry_an_explicit_nonce_and_the_tag) {
  static const uint16_t suites[] = {0xc0ac, 0xc0ad, 0xc0ae, 0xc0af, 0xc09c, 0xc09d, 0xc0a0, 0xc0a1};
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
    const tg_cipher_suite *cs = tg_cipher_suite_find(suites[i]);
    cr_assert_not_null(cs, "%04x", suites[i]);
    /* RFC 6655 §3 and RFC 7251 §2: the SHA-256 PRF, a 4-byte salt and an 8-byte explicit nonce. */
    cr_expect_eq(cs->hash, &tg_sha256, "%s", cs->name);
    cr_expect_eq(cs->fixed_iv_len, 4, "%s", cs->name);
    cr_expect_eq(cs->min_version, TG_VERSION_TLS12, "%s", cs->name);
    size_t tag = cs->aead->tag_len;
    uint8_t key[32], iv[4] = {1, 2, 3, 4};
    memset(key, 0x33, sizeof key);
    tg_prot12 wr, rd;
    tg_prot12_init(&wr, cs->aead, key, iv, cs->fixed_iv_len);
    tg_prot12_init(&rd, cs->aead, key, iv, cs->fixed_iv_len);
    tg_protection pw = tg_prot12_protection(&wr), pr = tg_prot12_protection(&rd);
    tg_bytes rec =
        seal_record(&pw, TG_VERSION_TLS12, TG_CT_application_data, tg_bytes_of("twelve", 6));
    cr_expect_eq(rec.len, 5 + 8 + 6 + tag, "%s: GenericAEADCipher length", cs->name);
    tg_err err = {0};
    tg_content c;
    cr_assert_eq(open_record(&pr, &rules12, rec, &c, &err), TG_OK, "%s: %s", cs->name, err.what);
    cr_expect(tg_bytes_eq(c.data, tg_bytes_of("twelve", 6)), "%s", cs->name);

    rec = seal_record(&pw, TG_VERSION_TLS12, TG_CT_application_data, tg_bytes_of("more", 4));
    wire[rec.len - tag] ^= 0x80; /* the tag's first bit */
    cr_expect_eq(open_record(&pr, &rules12, rec, &c, &err), TG_E_BAD_RECORD_MAC, "%s", cs->name);
    cr_expect_eq(err.alert, TG_ALERT_bad_record_mac, "%s", cs->name);
    wire[rec.len - tag] ^= 0x80;
    wire[5] ^= 0x01; /* the explicit nonce is part of the nonce */
    cr_expect_eq(open_record(&pr, &rules12, rec, &c, &err), TG_E_BAD_RECORD_MAC, "%s", cs->name);
    /* Nonce and tag but one byte short. */
    cr_expect_eq(open_record(&pr, &rules12, reframe(wire, 8 + tag - 1), &c, &err),
                 TG_E_BAD_RECORD_MAC, "%s", cs->name);
    cr_expect_eq(err.alert, TG_ALERT_bad_record_mac, "%s", cs->name);
  }
}

/* ---- Handshakes ------------------------------------------------------------------------------ */

Test(aead_ccm, tls13_handshake_with_each_ccm_suite) {
  static const uint8_t suites[][2] = {{0x13, 0x04}, {0x13, 0x05}};
  for (size_t i = 0; i < 2; i++) {
    pair p;
    pair_init(&p, &keys[0]);
    p.ccfg.cipher_suites = p.scfg.cipher_suites = tg_bytes_of(suites[i], 2);
    pair_start(&p);
    pump(&p);
    expect_established(&p);
    cr_expect_eq(tg_conn_info(p.c)->cipher_suite, suites[i][0] << 8 | suites[i][1]);
    transfer(&p, p.c, p.s, 2000);
    transfer(&p, p.s, p.c, 40000);
    pair_free(&p);
  }
}

Test(aead_ccm, tls12_handshake_with_each_ccm_suite) {
  static const uint8_t suites[][2] = {{0xc0, 0xac}, {0xc0, 0xad}, {0xc0, 0xae}, {0xc0, 0xaf},
                                      {0xc0, 0x9c}, {0xc0, 0x9d}, {0xc0, 0xa0}, {0xc0, 0xa1}};
  for (size_t i = 0; i < 8; i++) {
    uint16_t id = (uint16_t)(suites[i][0] << 8 | suites[i][1]);
    pair p;
    pair_init(&p, &keys[i < 4 ? 0 : 2]); /* ECDHE_ECDSA: P-256; RSA key transport: RSA */
    p.ccfg.max_version = p.scfg.max_version = TG_VERSION_TLS12;
    p.ccfg.cipher_suites = p.scfg.cipher_suites = tg_bytes_of(suites[i], 2);
    p.ccfg.rsa_key_exchange = p.scfg.rsa_key_exchange = i >= 4;
    pair_start(&p);
    pump(&p);
    const struct tg_conn_info *ci = tg_conn_info(p.c), *si = tg_conn_info(p.s);
    cr_assert_eq(ci->phase, TG_PHASE_ESTABLISHED, "%04x client: %s", id, ci->err.what);
    cr_assert_eq(si->phase, TG_PHASE_ESTABLISHED, "%04x server: %s", id, si->err.what);
    cr_expect_eq(ci->version, TG_VERSION_TLS12);
    cr_expect_eq(ci->cipher_suite, id);
    cr_expect_eq(si->cipher_suite, id);
    transfer(&p, p.c, p.s, 3000);
    transfer(&p, p.s, p.c, 40000);
    pair_free(&p);
  }
}

/* A server that lists no CCM suite (the engine's default) refuses a client offering only
 * TLS_AES_128_CCM_8_SHA256: no suite in common, handshake_failure (RFC 8446 §4.1.1). */
Test(aead_ccm, ccm_8_alone_against_the_default_server_is_handshake_failure) {
  static const uint8_t only[] = {0x13, 0x05};
  pair p;
  pair_init(&p, &keys[0]);
  p.ccfg.cipher_suites = tg_bytes_of(only, 2);
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_handshake_failure, "CCM_8 alone");
  pair_free(&p);
}

/* The default offer has no CCM suite: a client that lists none never gets one. */
Test(aead_ccm, default_client_offers_no_ccm_suite) {
  static const uint8_t ccm[] = {0x13, 0x04};
  pair p;
  pair_init(&p, &keys[0]);
  p.scfg.cipher_suites = tg_bytes_of(ccm, 2);
  pair_start(&p);
  pump(&p);
  expect_alert(p.s, p.c, TG_ALERT_handshake_failure, "server with CCM only");
  pair_free(&p);
}
