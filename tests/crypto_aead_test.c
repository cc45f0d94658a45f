/* AEAD descriptors against known answers: every protected record of RFC 8448 §3 (AES-128-GCM,
 * opened and sealed with the RFC's keys, ivs and sequence numbers), RFC 8439 §2.8.2
 * (ChaCha20-Poly1305), and GCM test case 16 of McGrew & Viega / NIST (AES-256-GCM); then
 * rejection of tampered ciphertext, tag, additional data and nonce. */
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

/* vectors/rfc8448/sec3-simple-1rtt/<name>.hex */
static vbuf sec3(const char *name) {
  char path[512], text[4200];
  snprintf(path, sizeof path, "%s/vectors/rfc8448/sec3-simple-1rtt/%s.hex", TG_SOURCE_DIR, name);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  size_t n = fread(text, 1, sizeof text - 1, f);
  cr_assert(feof(f), "%s too large", path);
  fclose(f);
  text[n] = '\0';
  return unhex(text);
}

/* RFC 8446 §5.3, written out here rather than taken from tg/protection.h, so this test checks the
 * AEAD alone: iv XOR the sequence number, big-endian, left-padded. */
static void nonce_for(const vbuf *iv, uint64_t seq, uint8_t nonce[TG_AEAD_NONCE_LEN]) {
  cr_assert_eq(iv->len, TG_AEAD_NONCE_LEN);
  memcpy(nonce, iv->p, TG_AEAD_NONCE_LEN);
  for (int i = 0; i < 8; i++)
    nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
}

/* ---- RFC 8448 §3 records ----------------------------------------------------------------------
 */

/* Each protected record of the trace, its plaintext, inner content type, key and sequence number
 * (vectors/rfc8448/README.md, "Record sequence numbers"). */
static const struct rec_row {
  const char *record, *plaintext;
  uint8_t type;
  const char *key, *iv;
  uint64_t seq;
} sec3_records[] = {
    {"server_handshake_record", "server_handshake_record_payload", 22, "server_handshake_write_key",
     "server_handshake_write_iv", 0},
    {"client_finished_record", "client_finished", 22, "client_handshake_write_key",
     "client_handshake_write_iv", 0},
    {"new_session_ticket_record", "new_session_ticket", 22, "server_application_write_key",
     "server_application_write_iv", 0},
    {"server_application_data_record", "server_application_data", 23,
     "server_application_write_key", "server_application_write_iv", 1},
    {"server_alert_record", "server_alert", 21, "server_application_write_key",
     "server_application_write_iv", 2},
    {"client_application_data_record", "client_application_data", 23,
     "client_application_write_key", "client_application_write_iv", 0},
    {"client_alert_record", "client_alert", 21, "client_application_write_key",
     "client_application_write_iv", 1},
};

typedef struct loaded {
  vbuf record, inner; /* inner = plaintext || type (TLSInnerPlaintext without padding) */
  uint8_t nonce[TG_AEAD_NONCE_LEN];
  tg_aead_ctx aead;
} loaded;

static void load(const struct rec_row *row, loaded *l) {
  vbuf key = sec3(row->key), iv = sec3(row->iv);
  l->record = sec3(row->record);
  l->inner = sec3(row->plaintext);
  l->inner.p[l->inner.len++] = row->type;
  cr_assert_eq(key.len, tg_aes128_gcm.key_len);
  tg_aead_init(&l->aead, &tg_aes128_gcm, key.p);
  nonce_for(&iv, row->seq, l->nonce);
  cr_assert_eq(l->record.len, 5 + l->inner.len + 16, "%s: length", row->record);
}

static tg_bytes header_of(const loaded *l) { return tg_bytes_of(l->record.p, 5); }

Test(aead_rfc8448, server_handshake_record_decrypts_to_the_flight) {
  loaded l;
  load(&sec3_records[0], &l);
  static uint8_t out[2048];
  cr_assert(tg_aes128_gcm.open(l.aead.state, l.nonce, header_of(&l), l.record.p + 5,
                               l.record.len - 5, out));
  vbuf payload = sec3("server_handshake_record_payload");
  cr_expect_eq(l.record.len - 5 - 16, payload.len + 1);
  cr_expect(memcmp(out, payload.p, payload.len) == 0, "plaintext is EE..Finished");
  cr_expect_eq(out[payload.len], 0x16, "inner content type handshake");
}

Test(aead_rfc8448, client_finished_encrypts_to_the_record) {
  loaded l;
  load(&sec3_records[1], &l);
  uint8_t out[128];
  tg_aes128_gcm.seal(l.aead.state, l.nonce, header_of(&l), l.inner.p, l.inner.len, out);
  cr_expect(memcmp(out, l.record.p + 5, l.record.len - 5) == 0,
            "sealed Finished equals client_finished_record");
}

Test(aead_rfc8448, every_record_opens_and_reseals_at_its_sequence_number) {
  for (size_t i = 0; i < sizeof sec3_records / sizeof sec3_records[0]; i++) {
    const struct rec_row *row = &sec3_records[i];
    loaded l;
    static uint8_t out[2048];
    load(row, &l);
    cr_expect(tg_aes128_gcm.open(l.aead.state, l.nonce, header_of(&l), l.record.p + 5,
                                 l.record.len - 5, out),
              "%s does not open at sequence number %llu", row->record,
              (unsigned long long)row->seq);
    cr_expect(memcmp(out, l.inner.p, l.inner.len) == 0, "%s: plaintext", row->record);
    tg_aes128_gcm.seal(l.aead.state, l.nonce, header_of(&l), l.inner.p, l.inner.len, out);
    cr_expect(memcmp(out, l.record.p + 5, l.record.len - 5) == 0, "%s: reseal", row->record);
  }
}

Test(aead_rfc8448, a_record_does_not_open_at_another_sequence_number) {
  loaded l;
  load(&sec3_records[3], &l); /* server application data, sequence number 1 */
  vbuf iv = sec3("server_application_write_iv");
  static uint8_t out[2048];
  nonce_for(&iv, 0, l.nonce);
  cr_expect(!tg_aes128_gcm.open(l.aead.state, l.nonce, header_of(&l), l.record.p + 5,
                                l.record.len - 5, out));
  nonce_for(&iv, 2, l.nonce);
  cr_expect(!tg_aes128_gcm.open(l.aead.state, l.nonce, header_of(&l), l.record.p + 5,
                                l.record.len - 5, out));
}

/* ---- tampering --------------------------------------------------------------------------------
 */

enum tamper { T_CIPHERTEXT, T_TAG, T_AAD, T_NONCE, T_TRUNCATED };

Test(aead_rfc8448, tampered_ciphertext_tag_aad_or_nonce_fails) {
  static const struct {
    const char *what;
    enum tamper where;
    size_t offset; /* into the part tampered with */
    uint8_t mask;
  } rows[] = {
      {"first ciphertext byte", T_CIPHERTEXT, 0, 0x01},
      {"last ciphertext byte (the inner type)", T_CIPHERTEXT, 50, 0x80},
      {"first tag byte", T_TAG, 0, 0x01},
      {"last tag byte", T_TAG, 15, 0x80},
      {"opaque_type in the additional data", T_AAD, 0, 0x01},
      {"legacy_record_version in the additional data", T_AAD, 2, 0x02},
      {"length in the additional data", T_AAD, 4, 0x01},
      {"first nonce byte", T_NONCE, 0, 0x01},
      {"last nonce byte (sequence number + 1)", T_NONCE, 11, 0x01},
      {"tag cut by one byte", T_TRUNCATED, 0, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    loaded l;
    load(&sec3_records[5], &l); /* client application data: 51 bytes of inner plaintext */
    uint8_t *body = l.record.p + 5;
    size_t body_len = l.record.len - 5;
    switch (rows[i].where) {
    case T_CIPHERTEXT: body[rows[i].offset] ^= rows[i].mask; break;
    case T_TAG: body[body_len - 16 + rows[i].offset] ^= rows[i].mask; break;
    case T_AAD: l.record.p[rows[i].offset] ^= rows[i].mask; break;
    case T_NONCE: l.nonce[rows[i].offset] ^= rows[i].mask; break;
    case T_TRUNCATED: body_len--; break;
    }
    static uint8_t out[2048];
    memset(out, 0xee, sizeof out);
    cr_expect(!tg_aes128_gcm.open(l.aead.state, l.nonce, header_of(&l), body, body_len, out),
              "opened despite a tampered %s", rows[i].what);
    /* No unauthenticated plaintext is left for a careless caller. */
    for (size_t j = 0; j + 16 < body_len; j++)
      cr_assert(out[j] == 0 || out[j] == 0xee, "%s: plaintext byte %zu left in out", rows[i].what,
                j);
  }
}

Test(aead, shorter_than_the_tag_fails) {
  static const tg_aead_desc *const all[] = {&tg_aes128_gcm, &tg_aes256_gcm, &tg_chacha20_poly1305};
  static const uint8_t key[32], nonce[12], in[15];
  uint8_t out[16];
  for (size_t i = 0; i < 3; i++) {
    tg_aead_ctx a;
    tg_aead_init(&a, all[i], key);
    cr_expect(!all[i]->open(a.state, nonce, tg_bytes_of(NULL, 0), in, sizeof in, out), "%s",
              all[i]->name);
    cr_expect(!all[i]->open(a.state, nonce, tg_bytes_of(NULL, 0), in, 0, out), "%s", all[i]->name);
  }
}

Test(aead, empty_plaintext_in_place_round_trip_every_aead) {
  static const tg_aead_desc *const all[] = {&tg_aes128_gcm, &tg_aes256_gcm, &tg_chacha20_poly1305};
  static const uint8_t key[32] = {1, 2, 3}, nonce[12] = {9};
  for (size_t i = 0; i < 3; i++) {
    tg_aead_ctx a;
    uint8_t io[64] = "in place";
    tg_aead_init(&a, all[i], key);
    all[i]->seal(a.state, nonce, tg_bytes_of("ad", 2), io, 8, io);
    cr_expect(memcmp(io, "in place", 8) != 0, "%s: encrypted", all[i]->name);
    cr_expect(all[i]->open(a.state, nonce, tg_bytes_of("ad", 2), io, 8 + 16, io), "%s",
              all[i]->name);
    cr_expect(memcmp(io, "in place", 8) == 0, "%s: decrypted in place", all[i]->name);
    all[i]->seal(a.state, nonce, tg_bytes_of(NULL, 0), io, 0, io);
    cr_expect(all[i]->open(a.state, nonce, tg_bytes_of(NULL, 0), io, 16, io),
              "%s: an empty plaintext is a bare tag", all[i]->name);
    io[3] ^= 1;
    cr_expect(!all[i]->open(a.state, nonce, tg_bytes_of(NULL, 0), io, 16, io), "%s: bare tag",
              all[i]->name);
  }
}

/* ---- other AEADs: published known answers -----------------------------------------------------
 */

typedef struct kat {
  const char *name;
  const tg_aead_desc *aead;
  const char *key, *nonce, *aad, *plaintext, *ciphertext_and_tag;
} kat;

static void check_kat(const kat *k) {
  vbuf key = unhex(k->key), nonce = unhex(k->nonce), aad = unhex(k->aad);
  vbuf pt = unhex(k->plaintext), ct = unhex(k->ciphertext_and_tag);
  cr_assert_eq(key.len, k->aead->key_len);
  cr_assert_eq(nonce.len, TG_AEAD_NONCE_LEN);
  cr_assert_eq(ct.len, pt.len + k->aead->tag_len);
  tg_aead_ctx a;
  static uint8_t out[2048];
  tg_aead_init(&a, k->aead, key.p);
  k->aead->seal(a.state, nonce.p, tg_bytes_of(aad.p, aad.len), pt.p, pt.len, out);
  cr_expect(memcmp(out, ct.p, ct.len) == 0, "%s: seal", k->name);
  cr_expect(k->aead->open(a.state, nonce.p, tg_bytes_of(aad.p, aad.len), ct.p, ct.len, out),
            "%s: open", k->name);
  cr_expect(memcmp(out, pt.p, pt.len) == 0, "%s: plaintext", k->name);
  ct.p[ct.len - 1] ^= 0x40;
  cr_expect(!k->aead->open(a.state, nonce.p, tg_bytes_of(aad.p, aad.len), ct.p, ct.len, out),
            "%s: tampered tag", k->name);
}

Test(aead, chacha20_poly1305_rfc8439_2_8_2) {
  static const kat k = {
      "RFC 8439 2.8.2", &tg_chacha20_poly1305,
      "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
      "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
      /* "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the
       * future, sunscreen would be it." */
      "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966"
      "204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572"
      "652c2073756e73637265656e20776f756c642062652069742e",
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da"
      "92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585"
      "808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
      "1ae10b594f09e26a7e902ecbd0600691"};
  check_kat(&k);
}

Test(aead, aes256_gcm_test_case_16) {
  static const kat k = {
      "GCM test case 16",
      &tg_aes256_gcm,
      "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
      "cafebabefacedbaddecaf888",
      "feedfacedeadbeeffeedfacedeadbeefabaddad2",
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
      "49a6b525b16aedf5aa0de657ba637b39",
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b10"
      "56828838c5f61e6393ba7a0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b"};
  check_kat(&k);
}

Test(aead, descriptors_carry_the_rfc8446_5_5_limits) {
  /* 2^24.5 = 23726566.4: AES-GCM; ChaCha20-Poly1305 has none short of the sequence number. */
  cr_expect_eq(tg_aes128_gcm.record_limit, 23726566u);
  cr_expect_eq(tg_aes256_gcm.record_limit, 23726566u);
  cr_expect_eq(tg_chacha20_poly1305.record_limit, 0u);
  cr_expect_eq(tg_aes128_gcm.key_len, 16u);
  cr_expect_eq(tg_aes256_gcm.key_len, 32u);
  cr_expect_eq(tg_chacha20_poly1305.key_len, 32u);
}
