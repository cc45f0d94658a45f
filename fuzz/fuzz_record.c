/* fuzz_record: the input as a record stream, read under plaintext TLS 1.3 rules, then under
 * protected TLS 1.3 and TLS 1.2 rules with a pass-through protection (so TLSInnerPlaintext and the
 * content rules are reached), and under TLS 1.2 rules with the real AES-GCM protection; then the
 * input is sealed and opened again with TLS 1.2 AES-GCM, ChaCha20-Poly1305, AES-CCM and AES-CCM_8
 * (an 8-byte tag), and with TLS 1.2 CBC protection (RFC 5246 6.2.3.2) MAC-then-encrypt and
 * encrypt_then_mac (RFC 7366), sound and spoiled by each tg_cbc_flaw; the input is also read under
 * real CBC protection of both kinds. Every handshake record goes through reassembly.
 * Oracles: each record read re-writes to exactly its input bytes; a TLSInnerPlaintext rebuilt
 * from {content, type, zeros} equals the decrypted bytes; popped messages are header + length;
 * every failure carries a valid err; NEED_MORE only at the end and never recorded; bytes consumed
 * never exceed the input; a spoiled CBC record is bad_record_mac and the sound one after it opens. */
#include <string.h>

#include "fuzz_common.h"
#include "tg/protection.h"
#include "tg/record.h"

static tg_status pass_open(void *ctx, tg_bytes header, tg_bytes fragment, uint8_t *out,
                           size_t *out_len, tg_err *err) {
  (void)ctx, (void)header, (void)err;
  if (fragment.len > 0)
    memcpy(out, fragment.p, fragment.len);
  *out_len = fragment.len;
  return TG_OK;
}

static tg_status pass_seal(void *ctx, tg_bytes header, uint8_t *io, size_t n, tg_err *err) {
  (void)ctx, (void)header, (void)io, (void)n, (void)err;
  return TG_OK;
}

static size_t pass_overhead(const void *ctx) {
  (void)ctx;
  return 0;
}

static const tg_protection_ops pass_ops = {pass_open, pass_seal, pass_overhead, NULL};

static uint8_t plain[TG_MAX_CIPHERTEXT12];
static uint8_t scratch[TG_MAX_CIPHERTEXT12 + TG_RECORD_HEADER_LEN];
static uint8_t hs_buf[65536 + TG_MAX_CIPHERTEXT12];

/* Pass-through protection: the fragment is the TLSInnerPlaintext; rebuild it from the result. */
static void check_inner(const tg_record *rec, const tg_content *c) {
  tg_writer w;
  tg_writer_init(&w, scratch, sizeof scratch, NULL);
  tg_w_view(&w, c->data);
  tg_w_u8(&w, c->type);
  TG_FUZZ_ASSERT(rec->fragment.len >= c->data.len + 1, "content longer than the record");
  size_t pad = rec->fragment.len - c->data.len - 1;
  uint8_t *z = tg_w_reserve(&w, pad);
  if (z != NULL)
    memset(z, 0, pad);
  TG_FUZZ_ASSERT(tg_writer_status(&w) == TG_OK, "rebuild failed");
  TG_FUZZ_ASSERT(tg_bytes_eq(tg_writer_bytes(&w), rec->fragment), "TLSInnerPlaintext differs");
}

/* Handshake content into reassembly; pops every message. False when the stream must stop. */
static bool handshake(tg_hs_reasm *h, tg_bytes data) {
  tg_err err = {0};
  tg_status st = tg_hs_reasm_push(h, data, &err);
  tg_fuzz_check_err(st, &err);
  if (st != TG_OK)
    return false;
  tg_bytes m;
  while ((st = tg_hs_reasm_pop(h, &m, &err)) == TG_OK) {
    tg_reader r;
    uint8_t type;
    uint32_t length;
    tg_reader_init(&r, m.p, m.len, NULL);
    TG_FUZZ_ASSERT(tg_read_u8(&r, &type, "t") == TG_OK && tg_read_u24(&r, &length, "l") == TG_OK,
                   "popped message without a header");
    TG_FUZZ_ASSERT(m.len == 4 + (size_t)length, "popped %zu bytes for length %u", m.len, length);
    /* Model the engine: keys change after these messages. */
    if (type == TG_HS_server_hello || type == TG_HS_finished || type == TG_HS_key_update) {
      st = tg_hs_reasm_key_change(h, &err);
      tg_fuzz_check_err(st, &err);
      if (st != TG_OK)
        return false;
    }
  }
  if (st != TG_E_NEED_MORE) {
    tg_fuzz_check_err(st, &err);
    return false;
  }
  TG_FUZZ_ASSERT(err.code == TG_OK, "NEED_MORE recorded as an error");
  return true;
}

/* Opens one record and routes its content. False when the stream must stop. */
static bool content(tg_hs_reasm *h, const tg_record *rec, const tg_record_rules *rules,
                    const tg_protection *prot) {
  tg_content c;
  tg_err err = {0};
  tg_status st = tg_record_open(rec, rules, prot, plain, sizeof plain, &c, &err);
  tg_fuzz_check_err(st, &err);
  if (st != TG_OK)
    return false;
  if (rules->protected_records && rules->version == TG_VERSION_TLS13 &&
      rec->type == TG_CT_application_data)
    check_inner(rec, &c);
  if (c.type == TG_CT_handshake)
    return handshake(h, c.data);
  if (c.type == TG_CT_alert) {
    tg_alert_msg a;
    st = tg_alert_parse(c.data, &a, &err);
    TG_FUZZ_ASSERT(st == TG_OK, "open accepted an alert that does not parse");
  }
  st = tg_hs_reasm_other_record(h, c.type, &err);
  tg_fuzz_check_err(st, &err);
  return st == TG_OK;
}

static void run(const uint8_t *data, size_t size, const tg_record_rules *rules,
                const tg_protection *prot) {
  tg_hs_reasm h;
  tg_hs_reasm_init(&h, hs_buf, sizeof hs_buf, 65536);
  size_t off = 0;
  while (off < size) {
    tg_record rec;
    size_t used = 0;
    tg_err err = {0};
    tg_status st = tg_record_read(tg_bytes_of(data + off, size - off), rules, &rec, &used, &err);
    if (st == TG_E_NEED_MORE) {
      TG_FUZZ_ASSERT(err.code == TG_OK && used == 0, "NEED_MORE recorded or consumed bytes");
      return;
    }
    tg_fuzz_check_err(st, &err);
    if (st != TG_OK)
      return;
    TG_FUZZ_ASSERT(used >= TG_RECORD_HEADER_LEN && used <= size - off, "consumed %zu of %zu", used,
                   size - off);
    TG_FUZZ_ASSERT(rec.raw.p == data + off && rec.raw.len == used, "raw is not the input");
    tg_writer w;
    tg_writer_init(&w, scratch, sizeof scratch, NULL);
    tg_record_write(&w, rec.type, rec.legacy_record_version, rec.fragment);
    TG_FUZZ_ASSERT(tg_writer_status(&w) == TG_OK, "re-write failed");
    TG_FUZZ_ASSERT(tg_bytes_eq(tg_writer_bytes(&w), rec.raw), "re-written record differs");
    tg_fuzz_dump t;
    tg_fuzz_dump_init(&t);
    tg_record_describe(&t.d, &rec);
    tg_fuzz_dump_done(&t);
    off += used;
    if (!content(&h, &rec, rules, prot))
      return;
  }
}

/* TLS 1.2 AEAD protection (RFC 5288, RFC 7905, RFC 6655) with fixed keys: the input, cut to a
 * record's worth, sealed as application data by one tg_prot12 and opened by another with the same
 * keys must come back unchanged (and the sequence numbers advance together). */
static uint8_t sealed[2 * TG_MAX_CIPHERTEXT12];

static void round_trip12(const tg_aead_desc *aead, size_t fixed_iv_len, tg_bytes content) {
  static const uint8_t key[32], iv[12];
  tg_prot12 tx, rx;
  tg_prot12_init(&tx, aead, key, iv, fixed_iv_len);
  tg_prot12_init(&rx, aead, key, iv, fixed_iv_len);
  tg_protection ptx = tg_prot12_protection(&tx), prx = tg_prot12_protection(&rx);
  tg_record_sender snd = {.version = TG_VERSION_TLS12,
                          .legacy_record_version = TG_VERSION_TLS12,
                          .prot = &ptx,
                          .max_fragment = TG_MAX_PLAINTEXT};
  tg_writer w;
  tg_writer_init(&w, sealed, sizeof sealed, NULL);
  tg_err err = {0};
  TG_FUZZ_ASSERT(tg_record_send(&snd, TG_CT_application_data, content, &w, &err) == TG_OK,
                 "seal: %s", err.what);
  static const tg_record_rules rules = {.version = TG_VERSION_TLS12, .protected_records = true};
  tg_bytes in = tg_writer_bytes(&w);
  size_t got = 0;
  while (in.len > 0) {
    tg_record rec;
    size_t used = 0;
    tg_content c;
    TG_FUZZ_ASSERT(tg_record_read(in, &rules, &rec, &used, &err) == TG_OK, "read: %s", err.what);
    TG_FUZZ_ASSERT(tg_record_open(&rec, &rules, &prx, plain, sizeof plain, &c, &err) == TG_OK,
                   "open: %s", err.what);
    TG_FUZZ_ASSERT(c.type == TG_CT_application_data && got + c.data.len <= content.len &&
                       (c.data.len == 0 || memcmp(c.data.p, content.p + got, c.data.len) == 0),
                   "opened content differs");
    got += c.data.len;
    in = tg_bytes_of(in.p + used, in.len - used);
  }
  TG_FUZZ_ASSERT(got == content.len, "opened %zu of %zu bytes", got, content.len);
  TG_FUZZ_ASSERT(tg_prot12_seq(&tx) == tg_prot12_seq(&rx), "sequence numbers differ");
  tg_prot12_wipe(&tx);
  tg_prot12_wipe(&rx);
}

/* The CBC IVs: a counter (a fuzz target's randomness is the input's). */
static void count_fill(void *ctx, uint8_t *out, size_t len) {
  uint8_t *n = ctx;
  for (size_t i = 0; i < len; i++)
    out[i] = (*n)++;
}

static tg_prot12 cbc_init(uint16_t suite, bool etm, uint8_t *counter) {
  static const uint8_t key[TG_MAX_HASH_LEN];
  const tg_cipher_suite *cs = tg_cipher_suite_find(suite);
  TG_FUZZ_ASSERT(cs != NULL && cs->cbc != NULL, "0x%04x is not a CBC suite", suite);
  tg_prot12 p;
  tg_prot12_init_cbc(&p, cs, key, key, etm, (tg_rng){count_fill, counter});
  return p;
}

/* Seals content (at most a record) under `flaw`, then the same content soundly, and opens both
 * with a receiver of the same keys: the spoiled record fails as bad_record_mac, in the record
 * layer or in the protection, and the sound one (which took over its sequence number) comes back
 * unchanged. */
static void round_trip_cbc(uint16_t suite, bool etm, tg_cbc_flaw flaw, tg_bytes content) {
  uint8_t counter = 0;
  tg_prot12 tx = cbc_init(suite, etm, &counter), rx = cbc_init(suite, etm, &counter);
  tg_protection ptx = tg_prot12_cbc_protection(&tx), prx = tg_prot12_cbc_protection(&rx);
  tg_record_sender snd = {.version = TG_VERSION_TLS12,
                          .legacy_record_version = TG_VERSION_TLS12,
                          .prot = &ptx,
                          .max_fragment = TG_MAX_PLAINTEXT};
  static const tg_record_rules rules = {.version = TG_VERSION_TLS12, .protected_records = true};
  tg_writer w;
  tg_err err = {0};
  tg_writer_init(&w, sealed, sizeof sealed, NULL);
  if (flaw != TG_CBC_FLAW_NONE) {
    tx.cbc_flaw = (uint8_t)flaw;
    TG_FUZZ_ASSERT(tg_record_send(&snd, TG_CT_application_data, content, &w, &err) == TG_OK,
                   "seal (flaw %d): %s", flaw, err.what);
    tg_bytes in = tg_writer_bytes(&w);
    tg_record rec;
    size_t used = 0;
    tg_content c;
    tg_status st = tg_record_read(in, &rules, &rec, &used, &err);
    if (st == TG_OK)
      st = tg_record_open(&rec, &rules, &prx, plain, sizeof plain, &c, &err);
    TG_FUZZ_ASSERT(st != TG_OK && err.alert == TG_ALERT_bad_record_mac,
                   "a record spoiled by flaw %d: status %d, alert %d (%s)", flaw, st, err.alert,
                   err.what);
    tg_writer_init(&w, sealed, sizeof sealed, NULL);
    err = (tg_err){0};
  }
  TG_FUZZ_ASSERT(tg_record_send(&snd, TG_CT_application_data, content, &w, &err) == TG_OK,
                 "seal: %s", err.what);
  tg_bytes in = tg_writer_bytes(&w);
  tg_record rec;
  size_t used = 0;
  tg_content c;
  TG_FUZZ_ASSERT(tg_record_read(in, &rules, &rec, &used, &err) == TG_OK && used == in.len,
                 "read: %s", err.what);
  TG_FUZZ_ASSERT(tg_record_open(&rec, &rules, &prx, plain, sizeof plain, &c, &err) == TG_OK,
                 "open (after flaw %d): %s", flaw, err.what);
  TG_FUZZ_ASSERT(c.type == TG_CT_application_data && c.data.len == content.len &&
                     (content.len == 0 || memcmp(c.data.p, content.p, content.len) == 0),
                 "opened CBC content differs");
  TG_FUZZ_ASSERT(tg_prot12_seq(&tx) == tg_prot12_seq(&rx), "CBC sequence numbers differ");
  tg_prot12_wipe(&tx);
  tg_prot12_wipe(&rx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const tg_record_rules plain13 = {.version = TG_VERSION_TLS13};
  static const tg_record_rules prot13 = {.version = TG_VERSION_TLS13, .protected_records = true};
  static const tg_record_rules prot12 = {.version = TG_VERSION_TLS12, .protected_records = true};
  static const tg_protection pass = {&pass_ops, NULL};
  run(data, size, &plain13, NULL);
  run(data, size, &prot13, &pass);
  run(data, size, &prot12, &pass);
  /* The real TLS 1.2 protection under fixed keys: fuzzed records fail to authenticate (the
   * explicit nonce, additional data and length checks before that are what is reached), and
   * sealed ones come back. */
  static const uint8_t zero_key[32], zero_iv[12];
  tg_prot12 gcm;
  tg_prot12_init(&gcm, &tg_aes128_gcm, zero_key, zero_iv, 4);
  tg_protection real = tg_prot12_protection(&gcm);
  run(data, size, &prot12, &real);
  tg_prot12_wipe(&gcm);
  tg_bytes cut = tg_bytes_of(data, size < TG_MAX_PLAINTEXT ? size : TG_MAX_PLAINTEXT);
  round_trip12(&tg_aes128_gcm, 4, cut);
  round_trip12(&tg_chacha20_poly1305, 12, cut);
  round_trip12(&tg_aes128_ccm, 4, cut);
  round_trip12(&tg_aes128_ccm_8, 4, cut);
  /* CBC: fuzzed records under both constructions reach the length, MAC and padding checks (the
   * constant-time MAC-then-encrypt path runs in full on every record that is whole blocks). */
  for (int etm = 0; etm <= 1; etm++) {
    uint8_t counter = 0;
    tg_prot12 cbc = cbc_init(etm ? 0xc028 : 0xc013, etm, &counter); /* SHA-384 / SHA-1 MACs */
    tg_protection prot = tg_prot12_cbc_protection(&cbc);
    run(data, size, &prot12, &prot);
    tg_prot12_wipe(&cbc);
  }
  /* The first byte picks the flaw and the construction; ONE_BLOCK spoils only a record of at most
   * one block. */
  uint8_t pick = size > 0 ? data[0] : 0;
  tg_cbc_flaw flaw = (tg_cbc_flaw)(pick % 8);
  tg_bytes small = tg_bytes_of(data, size < 16 ? size : 16);
  round_trip_cbc(0xc013, false, TG_CBC_FLAW_NONE, cut);
  round_trip_cbc(0x003d, true, TG_CBC_FLAW_NONE, cut);
  round_trip_cbc(pick & 8 ? 0xc027 : 0x002f, pick & 16, flaw,
                 flaw == TG_CBC_FLAW_ONE_BLOCK ? small : cut);
  return 0;
}
