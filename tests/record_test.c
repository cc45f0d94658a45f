/* The record layer: framing, limits, content types, versions, content rules, TLSInnerPlaintext,
 * protection through a test-only vtable, alerts and describe. Reassembly and fragmentation are in
 * record_hs_test.c. Well-formed bytes come from RFC 8448 (vectors/rfc8448). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/record.h"

#define SEC3 TG_SOURCE_DIR "/vectors/rfc8448/sec3-simple-1rtt/"
#define SEC7 TG_SOURCE_DIR "/vectors/rfc8448/sec7-compat-mode/"

/* A record header + fragment of len bytes of fill. */
static size_t make_record(uint8_t *buf, uint8_t type, uint16_t version, size_t len, uint8_t fill) {
  buf[0] = type;
  buf[1] = (uint8_t)(version >> 8);
  buf[2] = (uint8_t)version;
  buf[3] = (uint8_t)(len >> 8);
  buf[4] = (uint8_t)len;
  memset(buf + 5, fill, len);
  return 5 + len;
}

static const tg_record_rules plain12 = {.version = TG_VERSION_TLS12};
static const tg_record_rules plain13 = {.version = TG_VERSION_TLS13};
static const tg_record_rules prot13 = {.version = TG_VERSION_TLS13, .protected_records = true};
static const tg_record_rules prot12 = {.version = TG_VERSION_TLS12, .protected_records = true};

static uint8_t big[TG_MAX_CIPHERTEXT12 + 64];

/* ---- a test-only protection: XOR with a key byte and a 4-byte tag over header, seq, plaintext.
 * Enough to prove the plug: tampering, short records and sequence numbers behave like an AEAD. */
typedef struct null_aead {
  uint8_t key;
  uint64_t seq;
} null_aead;

static uint32_t fake_tag(const null_aead *k, tg_bytes header, const uint8_t *plain, size_t n) {
  uint32_t h = 2166136261u ^ k->key ^ (uint32_t)k->seq;
  for (size_t i = 0; i < header.len; i++)
    h = (h ^ header.p[i]) * 16777619u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ plain[i]) * 16777619u;
  return h;
}

static tg_status null_open(void *ctx, tg_bytes header, tg_bytes frag, uint8_t *out, size_t *len,
                           tg_err *err) {
  null_aead *k = ctx;
  size_t n = frag.len - 4;
  for (size_t i = 0; i < n; i++)
    out[i] = frag.p[i] ^ k->key;
  uint32_t t = fake_tag(k, header, out, n);
  const uint8_t *tag = frag.p + n;
  uint32_t got = (uint32_t)tag[0] << 24 | (uint32_t)tag[1] << 16 | (uint32_t)tag[2] << 8 | tag[3];
  TG_ENSURE(err, got == t, bad_record_mac, TG_E_BAD_RECORD_MAC, "fake tag mismatch");
  k->seq++;
  *len = n;
  return TG_OK;
}

static tg_status null_seal(void *ctx, tg_bytes header, uint8_t *io, size_t n, tg_err *err) {
  null_aead *k = ctx;
  (void)err;
  uint32_t t = fake_tag(k, header, io, n);
  for (size_t i = 0; i < n; i++)
    io[i] ^= k->key;
  io[n] = (uint8_t)(t >> 24);
  io[n + 1] = (uint8_t)(t >> 16);
  io[n + 2] = (uint8_t)(t >> 8);
  io[n + 3] = (uint8_t)t;
  k->seq++;
  return TG_OK;
}

static size_t null_overhead(const void *ctx) {
  (void)ctx;
  return 4;
}

static const tg_protection_ops null_ops = {null_open, null_seal, null_overhead, NULL};

/* ---- RFC 8448 records ---------------------------------------------------------------------- */

/* Expected header fields from the RFC 8448 text and INVENTORY.md (record length - 5). */
static const struct {
  const char *file;
  uint8_t type;
  uint16_t version;
  size_t length;
} rfc_records[] = {
    {SEC3 "client_hello_record.hex", TG_CT_handshake, 0x0301, 196},
    {SEC3 "server_hello_record.hex", TG_CT_handshake, 0x0303, 90},
    {SEC3 "server_handshake_record.hex", TG_CT_application_data, 0x0303, 674},
    {SEC3 "client_finished_record.hex", TG_CT_application_data, 0x0303, 53},
    {SEC3 "new_session_ticket_record.hex", TG_CT_application_data, 0x0303, 222},
    {SEC3 "client_application_data_record.hex", TG_CT_application_data, 0x0303, 67},
    {SEC3 "server_application_data_record.hex", TG_CT_application_data, 0x0303, 67},
    {SEC3 "client_alert_record.hex", TG_CT_application_data, 0x0303, 19},
    {SEC3 "server_alert_record.hex", TG_CT_application_data, 0x0303, 19},
    {SEC7 "server_change_cipher_spec_record.hex", TG_CT_change_cipher_spec, 0x0303, 1},
};
#define N_RFC (sizeof rfc_records / sizeof rfc_records[0])

/* The plaintext handshake records come before the key change, the others after it. */
static const tg_record_rules *rules_for(size_t i) {
  return rfc_records[i].type == TG_CT_handshake ? &plain13 : &prot13;
}

Test(record, rfc8448_headers_read_correctly) {
  uint8_t buf[1024];
  for (size_t i = 0; i < N_RFC; i++) {
    size_t n = tt_load_hex(rfc_records[i].file, buf, sizeof buf);
    tg_record rec;
    size_t used;
    tg_err err = {0};
    cr_assert_eq(tg_record_read(tg_bytes_of(buf, n), rules_for(i), &rec, &used, &err), TG_OK,
                 "%s: %s", rfc_records[i].file, err.what);
    cr_assert_eq(used, n, "%s", rfc_records[i].file);
    cr_assert_eq(rec.type, rfc_records[i].type, "%s", rfc_records[i].file);
    cr_assert_eq(rec.legacy_record_version, rfc_records[i].version, "%s", rfc_records[i].file);
    cr_assert_eq(rec.fragment.len, rfc_records[i].length, "%s", rfc_records[i].file);
    cr_assert_eq(rec.fragment.p, buf + 5);
  }
}

Test(record, rfc8448_plaintext_fragment_is_the_message) {
  static const char *pairs[][2] = {
      {SEC3 "client_hello_record.hex", SEC3 "client_hello.hex"},
      {SEC3 "server_hello_record.hex", SEC3 "server_hello.hex"},
  };
  uint8_t rbuf[1024], mbuf[1024];
  for (size_t i = 0; i < 2; i++) {
    size_t rn = tt_load_hex(pairs[i][0], rbuf, sizeof rbuf);
    size_t mn = tt_load_hex(pairs[i][1], mbuf, sizeof mbuf);
    tg_record rec;
    tg_content c;
    size_t used;
    tg_err err = {0};
    cr_assert_eq(tg_record_read(tg_bytes_of(rbuf, rn), &plain13, &rec, &used, &err), TG_OK);
    cr_assert_eq(tg_record_open(&rec, &plain13, NULL, NULL, 0, &c, &err), TG_OK, "%s", err.what);
    cr_assert_eq(c.type, TG_CT_handshake);
    cr_assert(tg_bytes_eq(c.data, tg_bytes_of(mbuf, mn)), "%s", pairs[i][1]);
  }
}

Test(record, rfc8448_records_rewrite_exactly) {
  uint8_t buf[1024], out[1024];
  for (size_t i = 0; i < N_RFC; i++) {
    size_t n = tt_load_hex(rfc_records[i].file, buf, sizeof buf);
    tg_record rec;
    size_t used;
    tg_err err = {0};
    cr_assert_eq(tg_record_read(tg_bytes_of(buf, n), rules_for(i), &rec, &used, &err), TG_OK);
    tg_writer w;
    tg_writer_init(&w, out, sizeof out, &err);
    tg_record_write(&w, rec.type, rec.legacy_record_version, rec.fragment);
    cr_assert_eq(tg_writer_status(&w), TG_OK);
    cr_assert(tg_bytes_eq(tg_writer_bytes(&w), tg_bytes_of(buf, n)), "%s", rfc_records[i].file);
  }
}

Test(record, rfc8448_send_reproduces_plaintext_records) {
  uint8_t rbuf[1024], mbuf[1024], out[1024];
  size_t rn = tt_load_hex(SEC3 "client_hello_record.hex", rbuf, sizeof rbuf);
  size_t mn = tt_load_hex(SEC3 "client_hello.hex", mbuf, sizeof mbuf);
  tg_err err = {0};
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, &err);
  tg_record_sender s = {.version = TG_VERSION_TLS13, .legacy_record_version = 0x0301};
  cr_assert_eq(tg_record_send(&s, TG_CT_handshake, tg_bytes_of(mbuf, mn), &w, &err), TG_OK);
  cr_assert(tg_bytes_eq(tg_writer_bytes(&w), tg_bytes_of(rbuf, rn)));
}

Test(record, rfc8448_compat_ccs_opens_under_protected_rules) {
  uint8_t buf[16];
  size_t n = tt_load_hex(SEC7 "client_change_cipher_spec_record.hex", buf, sizeof buf);
  tg_record rec;
  tg_content c;
  size_t used;
  tg_err err = {0};
  cr_assert_eq(tg_record_read(tg_bytes_of(buf, n), &prot13, &rec, &used, &err), TG_OK);
  /* No protection installed: the CCS must not go through it (RFC 8446 §5). */
  cr_assert_eq(tg_record_open(&rec, &prot13, NULL, NULL, 0, &c, &err), TG_OK, "%s", err.what);
  cr_assert_eq(c.type, TG_CT_change_cipher_spec);
  cr_assert_eq(c.data.len, 1);
}

Test(record, truncation_at_every_offset_needs_more) {
  uint8_t buf[1024];
  for (size_t i = 0; i < N_RFC; i++) {
    size_t n = tt_load_hex(rfc_records[i].file, buf, sizeof buf);
    for (size_t k = 0; k < n; k++) {
      tg_record rec;
      size_t used = 99;
      tg_err err = {0};
      tg_status st = tg_record_read(tg_bytes_of(buf, k), rules_for(i), &rec, &used, &err);
      cr_assert_eq(st, TG_E_NEED_MORE, "%s cut at %zu: %d %s", rfc_records[i].file, k, st,
                   err.what);
      cr_assert_eq(used, 0);
      cr_assert_eq(err.code, TG_OK, "NEED_MORE is not recorded as an error");
    }
  }
}

Test(record, stream_of_records_is_consumed_in_order) {
  static uint8_t stream[4096];
  size_t total = 0, count = 0;
  for (size_t i = 0; i < N_RFC; i++)
    total += tt_load_hex(rfc_records[i].file, stream + total, sizeof stream - total);
  tg_bytes in = tg_bytes_of(stream, total);
  size_t off = 0;
  while (off < total) {
    tg_record rec;
    size_t used;
    tg_err err = {0};
    cr_assert_eq(
        tg_record_read(tg_bytes_of(in.p + off, total - off), rules_for(count), &rec, &used, &err),
        TG_OK, "record %zu: %s", count, err.what);
    cr_assert_eq(rec.fragment.len, rfc_records[count].length);
    off += used;
    count++;
  }
  cr_assert_eq(count, N_RFC);
  cr_assert_eq(off, total);
}

/* ---- limits -------------------------------------------------------------------------------- */

static tg_status read_len(const tg_record_rules *rules, uint8_t type, size_t len, tg_err *err) {
  size_t n = make_record(big, type, 0x0303, len, 0x42);
  tg_record rec;
  size_t used;
  return tg_record_read(tg_bytes_of(big, n), rules, &rec, &used, err);
}

Test(record, limits_at_their_boundaries) {
  static const struct {
    const tg_record_rules *rules;
    const char *name;
    uint8_t type;
    size_t max;
  } rows[] = {
      {&plain12, "plaintext 1.2 handshake", TG_CT_handshake, 16384},
      {&plain12, "plaintext 1.2 application_data", TG_CT_application_data, 16384},
      {&plain13, "plaintext 1.3 alert", TG_CT_alert, 16384},
      {&plain13, "plaintext 1.3 handshake", TG_CT_handshake, 16384},
      {&prot13, "protected 1.3", TG_CT_application_data, 16384 + 256},
      {&prot12, "protected 1.2 handshake", TG_CT_handshake, 16384 + 2048},
      {&prot12, "protected 1.2 application_data", TG_CT_application_data, 16384 + 2048},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_err err = {0};
    cr_assert_eq(read_len(rows[i].rules, rows[i].type, rows[i].max, &err), TG_OK, "%s: %s",
                 rows[i].name, err.what);
    cr_assert_eq(read_len(rows[i].rules, rows[i].type, rows[i].max + 1, &err), TG_E_RECORD_OVERFLOW,
                 "%s", rows[i].name);
    cr_assert_eq(err.alert, TG_ALERT_record_overflow);
  }
}

Test(record, overflow_is_reported_before_the_fragment_arrives) {
  uint8_t hdr[5] = {TG_CT_handshake, 0x03, 0x03, 0x40, 0x01}; /* 2^14 + 1 */
  tg_record rec;
  size_t used;
  tg_err err = {0};
  cr_assert_eq(tg_record_read(tg_bytes_of(hdr, 5), &plain13, &rec, &used, &err),
               TG_E_RECORD_OVERFLOW);
  cr_assert_eq(err.alert, TG_ALERT_record_overflow);
}

Test(record, record_size_limit_applies_to_protected_records_only) {
  tg_record_rules r13 = prot13, r12 = prot12, p13 = plain13;
  r13.record_size_limit = r12.record_size_limit = p13.record_size_limit = 1000;
  tg_err err = {0};
  /* RFC 8449 §4: 1.3 limit covers TLSInnerPlaintext, plus up to 255 bytes of expansion. */
  cr_assert_eq(read_len(&r13, TG_CT_application_data, 1000 + 255, &err), TG_OK);
  cr_assert_eq(read_len(&r13, TG_CT_application_data, 1000 + 256, &err), TG_E_RECORD_OVERFLOW);
  tg_err_clear(&err);
  cr_assert_eq(read_len(&r12, TG_CT_application_data, 1000 + 2048, &err), TG_OK);
  cr_assert_eq(read_len(&r12, TG_CT_application_data, 1000 + 2049, &err), TG_E_RECORD_OVERFLOW);
  tg_err_clear(&err);
  cr_assert_eq(read_len(&p13, TG_CT_handshake, 16384, &err), TG_OK, "%s", err.what);
}

/* ---- content types and versions ------------------------------------------------------------ */

Test(record, every_content_type_classified_plaintext) {
  for (unsigned t = 0; t < 256; t++) {
    uint8_t buf[16];
    size_t n = make_record(buf, (uint8_t)t, 0x0303, 2, 0x01);
    tg_record rec;
    size_t used;
    tg_err err = {0};
    tg_status st = tg_record_read(tg_bytes_of(buf, n), &plain12, &rec, &used, &err);
    if (t >= 20 && t <= 23) {
      cr_assert_eq(st, TG_OK, "type %u: %s", t, err.what);
    } else {
      cr_assert_eq(st, TG_E_UNKNOWN_TYPE, "type %u", t);
      cr_assert_eq(err.alert, TG_ALERT_unexpected_message);
    }
  }
}

Test(record, every_content_type_classified_protected13) {
  for (unsigned t = 0; t < 256; t++) {
    uint8_t buf[16];
    size_t n = make_record(buf, (uint8_t)t, 0x0303, 2, 0x01);
    tg_record rec;
    size_t used;
    tg_err err = {0};
    tg_status st = tg_record_read(tg_bytes_of(buf, n), &prot13, &rec, &used, &err);
    bool ok = t == TG_CT_application_data || t == TG_CT_change_cipher_spec;
    cr_assert_eq(st, ok ? TG_OK : TG_E_UNKNOWN_TYPE, "type %u", t);
    if (!ok)
      cr_assert_eq(err.alert, TG_ALERT_unexpected_message);
  }
}

Test(record, bad_type_fails_on_the_first_byte) {
  const uint8_t one[1] = {0x18}; /* heartbeat */
  tg_record rec;
  size_t used;
  tg_err err = {0};
  cr_assert_eq(tg_record_read(tg_bytes_of(one, 1), &plain13, &rec, &used, &err), TG_E_UNKNOWN_TYPE);
  cr_assert_eq(err.alert, TG_ALERT_unexpected_message);
}

Test(record, legacy_record_version_rules) {
  static const struct {
    enum tg_recver_check check;
    uint16_t version; /* in force */
    bool initial;
    uint16_t wire;
    bool ok;
  } rows[] = {
      {TG_RECVER_MAJOR3, TG_VERSION_TLS13, false, 0x0303, true},
      {TG_RECVER_MAJOR3, TG_VERSION_TLS13, false, 0x0301, true},
      {TG_RECVER_MAJOR3, TG_VERSION_TLS13, false, 0x0300, true},
      {TG_RECVER_MAJOR3, TG_VERSION_TLS13, false, 0x03ff, true},
      {TG_RECVER_MAJOR3, TG_VERSION_TLS13, false, 0x0203, false},
      {TG_RECVER_MAJOR3, TG_VERSION_TLS12, false, 0x0403, false},
      {TG_RECVER_MAJOR3, TG_VERSION_TLS12, false, 0x0000, false},
      {TG_RECVER_STRICT, TG_VERSION_TLS13, false, 0x0303, true},
      {TG_RECVER_STRICT, TG_VERSION_TLS13, false, 0x0301, false},
      {TG_RECVER_STRICT, TG_VERSION_TLS13, false, 0x0304, false},
      {TG_RECVER_STRICT, TG_VERSION_TLS13, true, 0x0301, true},
      {TG_RECVER_STRICT, TG_VERSION_TLS13, true, 0x0303, true},
      {TG_RECVER_STRICT, TG_VERSION_TLS13, true, 0x0302, false},
      {TG_RECVER_STRICT, TG_VERSION_TLS13, true, 0x0300, false},
      {TG_RECVER_STRICT, TG_VERSION_TLS12, false, 0x0303, true},
      {TG_RECVER_STRICT, TG_VERSION_TLS12, false, 0x0301, false},
      {TG_RECVER_STRICT, TG_VERSION_TLS12, true, 0x0300, true},
      {TG_RECVER_STRICT, TG_VERSION_TLS12, true, 0x0302, true},
      {TG_RECVER_STRICT, TG_VERSION_TLS12, true, 0x0304, false},
      {TG_RECVER_ANY, TG_VERSION_TLS13, false, 0xffff, true},
      {TG_RECVER_ANY, TG_VERSION_TLS12, false, 0x0000, true},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_record_rules rules = {.version = rows[i].version,
                             .initial_client_hello = rows[i].initial,
                             .version_check = rows[i].check};
    uint8_t buf[16];
    size_t n = make_record(buf, TG_CT_handshake, rows[i].wire, 4, 0x01);
    tg_record rec;
    size_t used;
    tg_err err = {0};
    tg_status st = tg_record_read(tg_bytes_of(buf, n), &rules, &rec, &used, &err);
    cr_assert_eq(st, rows[i].ok ? TG_OK : TG_E_RECORD_VERSION, "row %zu: 0x%04x", i, rows[i].wire);
    if (!rows[i].ok) {
      cr_assert_eq(err.alert, TG_ALERT_protocol_version);
      /* Checked from the header alone, before the fragment is there. */
      tg_err_clear(&err);
      cr_assert_eq(tg_record_read(tg_bytes_of(buf, 3), &rules, &rec, &used, &err),
                   TG_E_RECORD_VERSION);
    }
  }
}

/* ---- content rules ------------------------------------------------------------------------- */

static tg_status open_plain(uint16_t version, uint8_t type, const uint8_t *frag, size_t len,
                            tg_err *err) {
  uint8_t buf[64];
  size_t n = make_record(buf, type, 0x0303, len, 0);
  if (len > 0)
    memcpy(buf + 5, frag, len);
  tg_record_rules rules = {.version = version};
  tg_record rec;
  tg_content c;
  size_t used;
  tg_status st = tg_record_read(tg_bytes_of(buf, n), &rules, &rec, &used, err);
  return st != TG_OK ? st : tg_record_open(&rec, &rules, NULL, NULL, 0, &c, err);
}

Test(record, content_rules_table) {
  static const struct {
    uint16_t version;
    uint8_t type;
    uint8_t frag[4];
    size_t len;
    tg_status code;
    enum tg_alert alert;
  } rows[] = {
      {TG_VERSION_TLS13, TG_CT_handshake, {0}, 0, TG_E_EMPTY_FRAGMENT, TG_ALERT_unexpected_message},
      {TG_VERSION_TLS12, TG_CT_handshake, {0}, 0, TG_E_EMPTY_FRAGMENT, TG_ALERT_unexpected_message},
      {TG_VERSION_TLS13, TG_CT_alert, {0}, 0, TG_E_EMPTY_FRAGMENT, TG_ALERT_unexpected_message},
      {TG_VERSION_TLS13, TG_CT_alert, {2}, 1, TG_E_LENGTH, TG_ALERT_decode_error},
      {TG_VERSION_TLS13, TG_CT_alert, {2, 40, 1}, 3, TG_E_LENGTH, TG_ALERT_decode_error},
      {TG_VERSION_TLS13, TG_CT_alert, {1, 0}, 2, TG_OK, 0},
      {TG_VERSION_TLS13, TG_CT_application_data, {0}, 0, TG_OK, 0},
      {TG_VERSION_TLS12, TG_CT_application_data, {0}, 0, TG_OK, 0},
      {TG_VERSION_TLS13, TG_CT_handshake, {0}, 1, TG_OK, 0},
      {TG_VERSION_TLS13, TG_CT_change_cipher_spec, {1}, 1, TG_OK, 0},
      {TG_VERSION_TLS13,
       TG_CT_change_cipher_spec,
       {0},
       0,
       TG_E_BAD_VALUE,
       TG_ALERT_unexpected_message},
      {TG_VERSION_TLS13,
       TG_CT_change_cipher_spec,
       {2},
       1,
       TG_E_BAD_VALUE,
       TG_ALERT_unexpected_message},
      {TG_VERSION_TLS13,
       TG_CT_change_cipher_spec,
       {1, 1},
       2,
       TG_E_BAD_VALUE,
       TG_ALERT_unexpected_message},
      {TG_VERSION_TLS12, TG_CT_change_cipher_spec, {1}, 1, TG_OK, 0},
      {TG_VERSION_TLS12,
       TG_CT_change_cipher_spec,
       {2},
       1,
       TG_E_BAD_VALUE,
       TG_ALERT_illegal_parameter},
      {TG_VERSION_TLS12, TG_CT_change_cipher_spec, {1, 1}, 2, TG_E_LENGTH, TG_ALERT_decode_error},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_err err = {0};
    tg_status st = open_plain(rows[i].version, rows[i].type, rows[i].frag, rows[i].len, &err);
    cr_assert_eq(st, rows[i].code, "row %zu: %d (%s)", i, st, err.what);
    if (st != TG_OK)
      cr_assert_eq(err.alert, rows[i].alert, "row %zu", i);
  }
}

/* ---- TLSInnerPlaintext --------------------------------------------------------------------- */

Test(record, inner_plaintext_padding_table) {
  static const struct {
    uint8_t in[8];
    size_t len;
    tg_status st;
    uint8_t type;
    size_t content_len;
  } rows[] = {
      {{'h', 'i', 0x17}, 3, TG_OK, 0x17, 2},
      {{'h', 'i', 0x17, 0, 0, 0}, 6, TG_OK, 0x17, 2},
      {{0x16}, 1, TG_OK, 0x16, 0},
      {{0x15, 0, 0, 0, 0, 0, 0, 0}, 8, TG_OK, 0x15, 0},
      {{0, 1, 0, 0x16, 0, 0}, 6, TG_OK, 0x16, 3}, /* zeros inside the content are content */
      {{0x99, 0}, 2, TG_OK, 0x99, 0},             /* the type is recovered, not judged */
      {{0, 0, 0, 0}, 4, TG_E_NO_CONTENT_TYPE, 0, 0},
      {{0}, 0, TG_E_NO_CONTENT_TYPE, 0, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    uint8_t type = 0;
    tg_bytes content;
    tg_err err = {0};
    tg_status st =
        tg_inner_plaintext_parse(tg_bytes_of(rows[i].in, rows[i].len), &type, &content, &err);
    cr_assert_eq(st, rows[i].st, "row %zu", i);
    if (st != TG_OK) {
      cr_assert_eq(err.alert, TG_ALERT_unexpected_message);
      continue;
    }
    cr_assert_eq(type, rows[i].type, "row %zu", i);
    cr_assert_eq(content.len, rows[i].content_len, "row %zu", i);
    cr_assert_eq(content.p, rows[i].in, "row %zu: content is a view of the input", i);
  }
}

/* ---- protection plug ----------------------------------------------------------------------- */

/* Sends content through the null protection, reads and opens it back. */
static tg_status roundtrip(uint16_t version, uint8_t type, tg_bytes payload, size_t padding,
                           tg_content *c, uint8_t *wire, size_t *wire_len, uint8_t *plain,
                           tg_err *err) {
  null_aead tx = {0x5a, 0}, rx = {0x5a, 0};
  tg_protection ptx = {&null_ops, &tx}, prx = {&null_ops, &rx};
  tg_record_sender s = {
      .version = version, .legacy_record_version = 0x0303, .prot = &ptx, .padding = padding};
  tg_writer w;
  tg_writer_init(&w, wire, TG_MAX_CIPHERTEXT12 + 5, err);
  TG_TRY(tg_record_send(&s, type, payload, &w, err));
  *wire_len = w.len;
  tg_record_rules rules = {.version = version, .protected_records = true};
  tg_record rec;
  size_t used;
  TG_TRY(tg_record_read(tg_writer_bytes(&w), &rules, &rec, &used, err));
  return tg_record_open(&rec, &rules, &prx, plain, TG_MAX_CIPHERTEXT12, c, err);
}

static uint8_t wire[TG_MAX_CIPHERTEXT12 + 5], plain[TG_MAX_CIPHERTEXT12];

Test(record, protection_roundtrip_tls13_with_padding) {
  uint8_t msg[1024];
  size_t n = tt_load_hex(SEC3 "server_handshake_record_payload.hex", msg, sizeof msg);
  const size_t pads[] = {0, 1, 7, 300};
  for (size_t i = 0; i < 4; i++) {
    tg_content c;
    size_t wl;
    tg_err err = {0};
    cr_assert_eq(roundtrip(TG_VERSION_TLS13, TG_CT_handshake, tg_bytes_of(msg, n), pads[i], &c,
                           wire, &wl, plain, &err),
                 TG_OK, "pad %zu: %s", pads[i], err.what);
    cr_assert_eq(wire[0], TG_CT_application_data, "outer opaque_type");
    cr_assert_eq(wl, 5 + n + 1 + pads[i] + 4);
    cr_assert_eq(c.type, TG_CT_handshake);
    cr_assert(tg_bytes_eq(c.data, tg_bytes_of(msg, n)));
  }
}

Test(record, protection_roundtrip_tls12_keeps_type) {
  const uint8_t alert[2] = {2, 40};
  tg_content c;
  size_t wl;
  tg_err err = {0};
  cr_assert_eq(roundtrip(TG_VERSION_TLS12, TG_CT_alert, tg_bytes_of(alert, 2), 0, &c, wire, &wl,
                         plain, &err),
               TG_OK, "%s", err.what);
  cr_assert_eq(wire[0], TG_CT_alert);
  cr_assert_eq(wl, 5 + 2 + 4);
  cr_assert_eq(c.type, TG_CT_alert);
  cr_assert(tg_bytes_eq(c.data, tg_bytes_of(alert, 2)));
}

/* Builds a protected 1.3 record from a raw TLSInnerPlaintext, then opens it. */
static tg_status open_inner(const uint8_t *inner, size_t n, tg_content *c, tg_err *err) {
  null_aead tx = {7, 0}, rx = {7, 0};
  tg_protection prx = {&null_ops, &rx};
  size_t len = make_record(wire, TG_CT_application_data, 0x0303, n + 4, 0);
  memcpy(wire + 5, inner, n);
  cr_assert_eq(null_seal(&tx, tg_bytes_of(wire, 5), wire + 5, n, NULL), TG_OK);
  tg_record rec;
  size_t used;
  TG_TRY(tg_record_read(tg_bytes_of(wire, len), &prot13, &rec, &used, err));
  return tg_record_open(&rec, &prot13, &prx, plain, sizeof plain, c, err);
}

Test(record, protected_inner_rules) {
  static const struct {
    uint8_t inner[6];
    size_t len;
    tg_status code;
    enum tg_alert alert;
  } rows[] = {
      {{0, 0, 0}, 3, TG_E_NO_CONTENT_TYPE, TG_ALERT_unexpected_message},
      {{1, TG_CT_change_cipher_spec}, 2, TG_E_BAD_VALUE, TG_ALERT_unexpected_message},
      {{TG_CT_handshake, 0, 0}, 3, TG_E_EMPTY_FRAGMENT, TG_ALERT_unexpected_message},
      {{TG_CT_alert, 0}, 2, TG_E_EMPTY_FRAGMENT, TG_ALERT_unexpected_message},
      {{1, 0, 0, TG_CT_alert}, 4, TG_E_LENGTH, TG_ALERT_decode_error},
      {{1, 2, 0x18}, 3, TG_E_UNKNOWN_TYPE, TG_ALERT_unexpected_message},
      {{TG_CT_application_data, 0}, 2, TG_OK, 0},
      {{1, 0, TG_CT_alert, 0, 0}, 5, TG_OK, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_content c;
    tg_err err = {0};
    tg_status st = open_inner(rows[i].inner, rows[i].len, &c, &err);
    cr_assert_eq(st, rows[i].code, "row %zu: %d %s", i, st, err.what);
    if (st != TG_OK)
      cr_assert_eq(err.alert, rows[i].alert, "row %zu", i);
  }
}

Test(record, protected_inner_plaintext_size_limit) {
  static uint8_t inner[TG_MAX_INNER_PLAINTEXT + 1];
  tg_content c;
  tg_err err = {0};
  memset(inner, 'x', sizeof inner);
  inner[TG_MAX_INNER_PLAINTEXT - 1] = TG_CT_application_data;
  cr_assert_eq(open_inner(inner, TG_MAX_INNER_PLAINTEXT, &c, &err), TG_OK, "%s", err.what);
  cr_assert_eq(c.data.len, TG_MAX_PLAINTEXT);
  inner[TG_MAX_INNER_PLAINTEXT] = 0; /* one byte of padding too many */
  cr_assert_eq(open_inner(inner, TG_MAX_INNER_PLAINTEXT + 1, &c, &err), TG_E_RECORD_OVERFLOW);
  cr_assert_eq(err.alert, TG_ALERT_record_overflow);
}

Test(record, protection_failures) {
  tg_content c;
  size_t wl;
  tg_err err = {0};
  const uint8_t data[3] = {1, 2, 3};
  /* Tampering with any byte of the record (header = AAD included) is bad_record_mac. */
  cr_assert_eq(roundtrip(TG_VERSION_TLS13, TG_CT_application_data, tg_bytes_of(data, 3), 0, &c,
                         wire, &wl, plain, &err),
               TG_OK);
  null_aead rx = {0x5a, 0};
  tg_protection prx = {&null_ops, &rx};
  for (size_t k = 2; k < wl; k++) {
    if (k == 3 || k == 4)
      continue; /* type, major version and length change the framing, not the tag */
    wire[k] ^= 0x01;
    tg_record rec;
    size_t used;
    tg_err e2 = {0};
    rx.seq = 0;
    cr_assert_eq(tg_record_read(tg_bytes_of(wire, wl), &prot13, &rec, &used, &e2), TG_OK);
    cr_assert_eq(tg_record_open(&rec, &prot13, &prx, plain, sizeof plain, &c, &e2),
                 TG_E_BAD_RECORD_MAC, "byte %zu", k);
    cr_assert_eq(e2.alert, TG_ALERT_bad_record_mac);
    wire[k] ^= 0x01;
  }
  /* Shorter than the protection overhead. */
  size_t n = make_record(wire, TG_CT_application_data, 0x0303, 3, 0);
  tg_record rec;
  size_t used;
  tg_err_clear(&err);
  cr_assert_eq(tg_record_read(tg_bytes_of(wire, n), &prot13, &rec, &used, &err), TG_OK);
  cr_assert_eq(tg_record_open(&rec, &prot13, &prx, plain, sizeof plain, &c, &err),
               TG_E_BAD_RECORD_MAC);
  /* Protected rules without protection: a usage error, not a peer error. */
  tg_err_clear(&err);
  cr_assert_eq(tg_record_open(&rec, &prot13, NULL, plain, sizeof plain, &c, &err), TG_E_USAGE);
  cr_assert_eq(err.alert, TG_ALERT_internal_error);
}

/* ---- alerts and describe ------------------------------------------------------------------- */

Test(record, alert_parse_table) {
  static const struct {
    uint8_t in[3];
    size_t len;
    tg_status st;
    const char *level, *description; /* names from tg/names.h; NULL = unknown, kept as number */
  } rows[] = {
      {{1, 0}, 2, TG_OK, "warning", "close_notify"},
      {{2, 40}, 2, TG_OK, "fatal", "handshake_failure"},
      {{2, 50}, 2, TG_OK, "fatal", "decode_error"},
      {{2, 116}, 2, TG_OK, "fatal", "certificate_required"},
      {{7, 0xfe}, 2, TG_OK, NULL, NULL},
      {{0, 0}, 2, TG_OK, NULL, "close_notify"},
      {{0}, 0, TG_E_LENGTH, NULL, NULL},
      {{2}, 1, TG_E_LENGTH, NULL, NULL},
      {{2, 40, 0}, 3, TG_E_LENGTH, NULL, NULL},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_alert_msg a = {0xaa, 0xaa};
    tg_err err = {0};
    tg_status st = tg_alert_parse(tg_bytes_of(rows[i].in, rows[i].len), &a, &err);
    cr_assert_eq(st, rows[i].st, "row %zu", i);
    if (st != TG_OK) {
      cr_assert_eq(err.alert, TG_ALERT_decode_error);
      continue;
    }
    cr_assert_eq(a.level, rows[i].in[0]);
    cr_assert_eq(a.description, rows[i].in[1]);
    const char *ln = tg_alert_level_name(a.level), *dn = tg_alert_name(a.description);
    cr_assert((ln == NULL) == (rows[i].level == NULL) && (!ln || !strcmp(ln, rows[i].level)));
    cr_assert((dn == NULL) == (rows[i].description == NULL) &&
              (!dn || !strcmp(dn, rows[i].description)));
  }
  uint8_t out[2];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_alert_write(&w, 2, 10);
  cr_assert(out[0] == 2 && out[1] == 10 && w.len == 2);
}

/* A tg_dump that prints "key=value(name) " into a string. */
typedef struct {
  tg_dump d;
  char s[512];
} text_dump;

static void td_put(tg_dump *d, const char *fmt, const char *a, uint64_t v, const char *b) {
  text_dump *t = (text_dump *)d;
  size_t n = strlen(t->s);
  snprintf(t->s + n, sizeof t->s - n, fmt, a ? a : "-", (unsigned long long)v, b ? b : "-");
}
static void td_begin(tg_dump *d, const char *key, int list) {
  td_put(d, "%s{%llu%s ", key, (uint64_t)list, "");
}
static void td_end(tg_dump *d) { td_put(d, "}%s%llu%s ", "", 0, ""); }
static void td_uint(tg_dump *d, const char *key, uint64_t v, const char *name) {
  td_put(d, "%s=%llu(%s) ", key, v, name);
}
static void td_bytes(tg_dump *d, const char *key, tg_bytes v) {
  td_put(d, "%s=[%llu]%s ", key, v.len, "");
}

Test(record, describe_alert_and_handshake_records) {
  text_dump t = {{td_begin, td_end, td_uint, td_bytes, td_bytes, NULL}, ""};
  const uint8_t alert[] = {TG_CT_alert, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32};
  tg_record rec;
  size_t used;
  cr_assert_eq(tg_record_read(tg_bytes_of(alert, sizeof alert), &plain12, &rec, &used, NULL),
               TG_OK);
  tg_record_describe(&t.d, &rec);
  cr_assert(strstr(t.s, "content_type=21(alert)"), "%s", t.s);
  cr_assert(strstr(t.s, "legacy_record_version=771(TLS 1.2)"), "%s", t.s);
  cr_assert(strstr(t.s, "length=2(-)"), "%s", t.s);
  cr_assert(strstr(t.s, "level=2(fatal)"), "%s", t.s);
  cr_assert(strstr(t.s, "description=50(decode_error)"), "%s", t.s);
  t.s[0] = 0;
  const uint8_t hs[] = {TG_CT_handshake, 0x03, 0x01, 0x00, 0x01, 0x01};
  cr_assert_eq(tg_record_read(tg_bytes_of(hs, sizeof hs), &plain12, &rec, &used, NULL), TG_OK);
  tg_record_describe(&t.d, &rec);
  cr_assert(strstr(t.s, "content_type=22(handshake)"), "%s", t.s);
  cr_assert(strstr(t.s, "legacy_record_version=769(TLS 1.0)"), "%s", t.s);
  cr_assert(strstr(t.s, "fragment=[1]"), "%s", t.s);
  cr_assert_null(strstr(t.s, "level="));
  tg_record_describe(NULL, &rec); /* tolerated */
}
