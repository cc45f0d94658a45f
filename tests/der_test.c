/* The DER reader and writer: well-formed elements, the strictness rules as a malformed table
 * (one rule broken per row, the expected code in the row), and a real certificate walk. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/der.h"

/* An exact-size heap copy, so ASan sees a read past the end. */
static uint8_t *dup_exact(const uint8_t *p, size_t len) {
  uint8_t *b = malloc(len ? len : 1);
  cr_assert_not_null(b);
  if (len)
    memcpy(b, p, len);
  return b;
}

Test(der, reads_nested_structure) {
  /* SEQUENCE { INTEGER 300, BOOLEAN TRUE, NULL, OID 1.2.840.10045.2.1, BIT STRING 6 bits,
   *            OCTET STRING "ab", [0] { INTEGER 2 }, [1] IMPLICIT 0x07 } */
  static const uint8_t in[] = {0x30, 0x29, 0x02, 0x02, 0x01, 0x2c, 0x01, 0x01, 0xff, 0x05, 0x00,
                               0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x03, 0x02,
                               0x02, 0xfc, 0x04, 0x02, 'a',  'b',  0xa0, 0x03, 0x02, 0x01, 0x02,
                               0x81, 0x01, 0x07, 0x04, 0x00, 0x30, 0x00, 0x02, 0x01, 0x00};
  tg_err err = {0};
  tg_reader r, seq, ctx, inner;
  tg_bytes v, oid, bits, octets;
  bool neg, b, present;
  unsigned unused;
  uint32_t small;
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_der_read_seq(&r, &seq, "S"), TG_OK, "%s", err.what);
  cr_assert_eq(tg_left(&r), 0);
  cr_assert_eq(tg_der_read_integer(&seq, &v, &neg, "i"), TG_OK);
  cr_assert(v.len == 2 && v.p[0] == 0x01 && v.p[1] == 0x2c && !neg);
  cr_assert_eq(tg_der_read_bool(&seq, &b, "b"), TG_OK);
  cr_assert(b);
  cr_assert_eq(tg_der_read_null(&seq, "n"), TG_OK);
  cr_assert_eq(tg_der_read_oid(&seq, &oid, "o"), TG_OK);
  cr_assert(tg_der_oid_eq(oid, &TG_OID_id_ecPublicKey));
  cr_assert(!tg_der_oid_eq(oid, &TG_OID_secp256r1));
  cr_assert_eq(tg_der_read_bits(&seq, &bits, &unused, "bs"), TG_OK);
  cr_assert(bits.len == 1 && bits.p[0] == 0xfc && unused == 2);
  cr_assert_eq(tg_der_read_octets(&seq, &octets, "os"), TG_OK);
  cr_assert(octets.len == 2 && memcmp(octets.p, "ab", 2) == 0);
  cr_assert_eq(tg_der_read_optional(&seq, TG_DER_CONTEXT(0), &ctx, &present, "c0"), TG_OK);
  cr_assert(present);
  cr_assert_eq(tg_der_read_small(&ctx, &small, "c0.v"), TG_OK);
  cr_assert_eq(small, 2);
  cr_assert_eq(tg_read_done(&ctx, "c0"), TG_OK);
  cr_assert_eq(tg_der_read_optional(&seq, TG_DER_CONTEXT(3), &ctx, &present, "c3"), TG_OK);
  cr_assert(!present, "an absent OPTIONAL consumes nothing");
  cr_assert_eq(tg_der_read_tlv(&seq, TG_DER_CONTEXT_PRIM(1), &inner, "c1"), TG_OK);
  cr_assert_eq(tg_left(&inner), 1);
  cr_assert_eq(tg_der_read_octets(&seq, &octets, "empty"), TG_OK);
  cr_assert_eq(octets.len, 0);
  cr_assert_eq(tg_der_read_seq(&seq, &inner, "empty seq"), TG_OK);
  cr_assert_eq(tg_left(&inner), 0);
  cr_assert_eq(tg_der_read_small(&seq, &small, "zero"), TG_OK);
  cr_assert_eq(small, 0);
  cr_assert_eq(tg_read_done(&seq, "S"), TG_OK);
  cr_assert_eq(err.code, TG_OK);
}

Test(der, long_form_length_and_raw_view) {
  uint8_t in[3 + 200];
  memset(in, 0x41, sizeof in);
  in[0] = TG_DER_OCTET_STRING, in[1] = 0x81, in[2] = 200;
  tg_err err = {0};
  tg_reader r;
  tg_der_elem e;
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_der_read_any(&r, &e, "x"), TG_OK, "%s", err.what);
  cr_assert_eq(e.tag, TG_DER_OCTET_STRING);
  cr_assert_eq(tg_left(&e.body), 200);
  cr_assert(e.raw.p == in && e.raw.len == sizeof in, "raw is the whole TLV");
}

Test(der, negative_integer_sign) {
  static const uint8_t in[] = {0x02, 0x01, 0x80, 0x02, 0x02, 0x00, 0x80};
  tg_err err = {0};
  tg_reader r;
  tg_bytes v;
  bool neg;
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_der_read_integer(&r, &v, &neg, "i"), TG_OK);
  cr_assert(neg, "0x80 is -128");
  cr_assert_eq(tg_der_read_uint(&r, &v, "u"), TG_OK);
  cr_assert(v.len == 1 && v.p[0] == 0x80, "the sign octet is dropped from the magnitude");
}

enum kind { K_ANY, K_SEQ, K_INT, K_UINT, K_BOOL, K_NULL, K_OID, K_BITS, K_BIT_OCTETS, K_SMALL };

static tg_status read_kind(enum kind k, tg_reader *r) {
  tg_der_elem e;
  tg_reader sub;
  tg_bytes v;
  bool b;
  unsigned u;
  uint32_t s;
  switch (k) {
  case K_ANY: return tg_der_read_any(r, &e, "Elem");
  case K_SEQ: return tg_der_read_seq(r, &sub, "Elem");
  case K_INT: return tg_der_read_integer(r, &v, &b, "Elem");
  case K_UINT: return tg_der_read_uint(r, &v, "Elem");
  case K_BOOL: return tg_der_read_bool(r, &b, "Elem");
  case K_NULL: return tg_der_read_null(r, "Elem");
  case K_OID: return tg_der_read_oid(r, &v, "Elem");
  case K_BITS: return tg_der_read_bits(r, &v, &u, "Elem");
  case K_BIT_OCTETS: return tg_der_read_bit_octets(r, &v, "Elem");
  case K_SMALL: return tg_der_read_small(r, &s, "Elem");
  }
  return TG_E_INTERNAL;
}

static const struct malformed {
  const char *name;
  enum kind kind;
  uint8_t len;
  uint8_t in[8];
  tg_code code;
  const char *what; /* a substring of the message */
} malformed[] = {
    {"empty input", K_ANY, 0, {0}, TG_E_TRUNCATED, "Elem"},
    {"no length octet", K_ANY, 1, {0x04}, TG_E_TRUNCATED, "Elem"},
    {"contents truncated", K_ANY, 3, {0x04, 0x05, 0x00}, TG_E_TRUNCATED, "only 1 bytes follow"},
    {"indefinite length", K_SEQ, 4, {0x30, 0x80, 0x00, 0x00}, TG_E_BAD_VALUE, "indefinite"},
    {"long form below 128", K_ANY, 3, {0x04, 0x81, 0x01}, TG_E_BAD_VALUE, "short form"},
    {"long form leading zero", K_ANY, 4, {0x04, 0x82, 0x00, 0x80}, TG_E_BAD_VALUE, "leading zero"},
    {"five length octets", K_ANY, 7, {0x04, 0x85, 1, 0, 0, 0, 0}, TG_E_TOO_LARGE, "5-octet"},
    {"long length truncated", K_ANY, 3, {0x04, 0x82, 0x01}, TG_E_TRUNCATED, "Elem"},
    {"high tag number", K_ANY, 3, {0x1f, 0x21, 0x00}, TG_E_BAD_VALUE, "high tag"},
    {"wrong tag", K_SEQ, 2, {0x31, 0x00}, TG_E_BAD_VALUE, "expected 0x30"},
    {"BOOLEAN 0x01", K_BOOL, 3, {0x01, 0x01, 0x01}, TG_E_BAD_VALUE, "not 0x00 or 0xFF"},
    {"BOOLEAN two octets", K_BOOL, 4, {0x01, 0x02, 0xff, 0xff}, TG_E_TRAILING, "Elem"},
    {"BOOLEAN empty", K_BOOL, 2, {0x01, 0x00}, TG_E_TRUNCATED, "Elem"},
    {"INTEGER empty", K_INT, 2, {0x02, 0x00}, TG_E_LENGTH, "no contents"},
    {"INTEGER leading 0x00", K_INT, 4, {0x02, 0x02, 0x00, 0x7f}, TG_E_BAD_VALUE, "minimally"},
    {"INTEGER leading 0xff", K_INT, 4, {0x02, 0x02, 0xff, 0x80}, TG_E_BAD_VALUE, "minimally"},
    {"unsigned INTEGER negative", K_UINT, 3, {0x02, 0x01, 0xff}, TG_E_BAD_VALUE, "negative"},
    {"small INTEGER too large", K_SMALL, 7, {0x02, 0x05, 1, 0, 0, 0, 0}, TG_E_TOO_LARGE, "large"},
    {"NULL with contents", K_NULL, 3, {0x05, 0x01, 0x00}, TG_E_TRAILING, "Elem"},
    {"OID empty", K_OID, 2, {0x06, 0x00}, TG_E_LENGTH, "empty"},
    {"OID sub-identifier 0x80", K_OID, 4, {0x06, 0x02, 0x80, 0x01}, TG_E_BAD_VALUE, "non-minimal"},
    {"OID ends mid sub-identifier", K_OID, 4, {0x06, 0x02, 0x2a, 0x86}, TG_E_TRUNCATED, "ends"},
    {"BIT STRING empty", K_BITS, 2, {0x03, 0x00}, TG_E_TRUNCATED, "Elem"},
    {"BIT STRING 8 unused bits", K_BITS, 4, {0x03, 0x02, 0x08, 0x00}, TG_E_BAD_VALUE, "8 unused"},
    {"BIT STRING unused without octets", K_BITS, 3, {0x03, 0x01, 0x01}, TG_E_BAD_VALUE, "unused"},
    {"BIT STRING unused bits set", K_BITS, 4, {0x03, 0x02, 0x01, 0x01}, TG_E_BAD_VALUE, "non-zero"},
    {"key BIT STRING not whole octets",
     K_BIT_OCTETS,
     4,
     {0x03, 0x02, 0x01, 0x02},
     TG_E_BAD_VALUE,
     "whole octets"},
};

Test(der, malformed_table) {
  for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
    const struct malformed *m = &malformed[i];
    uint8_t *in = dup_exact(m->in, m->len);
    tg_err err = {0};
    tg_reader r;
    tg_reader_init(&r, in, m->len, &err);
    tg_status st = read_kind(m->kind, &r);
    cr_expect_eq(st, m->code, "%s: status %d, expected %d (%s)", m->name, st, m->code, err.what);
    cr_expect_eq(err.code, m->code, "%s: err.code %d", m->name, err.code);
    cr_expect_eq(err.alert, TG_ALERT_decode_error, "%s: alert %d", m->name, err.alert);
    cr_expect(strstr(err.what, m->what) != NULL, "%s: message \"%s\" lacks \"%s\"", m->name,
              err.what, m->what);
    cr_expect_str_eq(err.file, "tests/der_test.c", "%s: the location is the caller's", m->name);
    free(in);
  }
}

Test(der, failed_element_read_consumes_nothing) {
  static const uint8_t in[] = {0x31, 0x00};
  tg_err err = {0};
  tg_reader r, sub;
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_neq(tg_der_read_seq(&r, &sub, "S"), TG_OK);
  cr_assert_eq(tg_left(&r), 2);
}

Test(der, remap_changes_only_decode_errors) {
  tg_err err = {0};
  tg_reader r;
  tg_reader_init(&r, NULL, 0, &err);
  tg_status st = tg_der_read_null(&r, "x");
  cr_assert_eq(tg_der_remap(st, &err, TG_ALERT_bad_certificate), TG_E_TRUNCATED);
  cr_assert_eq(err.alert, TG_ALERT_bad_certificate);
  tg_err internal = {.alert = TG_ALERT_internal_error, .code = TG_E_INTERNAL};
  (void)tg_der_remap(TG_E_INTERNAL, &internal, TG_ALERT_bad_certificate);
  cr_assert_eq(internal.alert, TG_ALERT_internal_error);
}

Test(der, writer_integers_read_back) {
  static const struct {
    uint8_t len;
    uint8_t mag[4];
    uint8_t enc_len; /* expected encoding length: tag + length + contents */
  } rows[] = {{1, {0x00}, 3},       {1, {0x7f}, 3}, {1, {0x80}, 4},
              {3, {0, 0, 0x80}, 4}, {2, {0, 0}, 3}, {4, {0x01, 0, 0, 0}, 6}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    uint8_t buf[16];
    tg_writer w;
    tg_err err = {0};
    tg_writer_init(&w, buf, sizeof buf, &err);
    tg_der_w_uint(&w, tg_bytes_of(rows[i].mag, rows[i].len));
    cr_assert_eq(tg_writer_status(&w), TG_OK);
    cr_expect_eq(w.len, rows[i].enc_len, "row %zu: %zu bytes", i, w.len);
    tg_reader r;
    tg_bytes back;
    tg_reader_init(&r, buf, w.len, &err);
    cr_assert_eq(tg_der_read_uint(&r, &back, "x"), TG_OK, "row %zu: %s", i, err.what);
    cr_assert_eq(tg_read_done(&r, "x"), TG_OK);
    /* Equal as numbers: the magnitude without its leading zeros. */
    size_t skip = 0;
    while (skip + 1 < rows[i].len && rows[i].mag[skip] == 0)
      skip++;
    cr_expect(tg_bytes_eq(back, tg_bytes_of(rows[i].mag + skip, rows[i].len - skip)), "row %zu", i);
  }
}

Test(der, writer_long_tlv_reads_back) {
  static uint8_t body[300], buf[310];
  for (size_t i = 0; i < sizeof body; i++)
    body[i] = (uint8_t)i;
  tg_writer w;
  tg_writer_init(&w, buf, sizeof buf, NULL);
  tg_der_w_tlv(&w, TG_DER_OCTET_STRING, tg_bytes_of(body, sizeof body));
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  cr_assert_eq(w.len, 4 + sizeof body, "0x82 and two length octets");
  tg_reader r;
  tg_bytes back;
  tg_err err = {0};
  tg_reader_init(&r, buf, w.len, &err);
  cr_assert_eq(tg_der_read_octets(&r, &back, "x"), TG_OK, "%s", err.what);
  cr_assert(tg_bytes_eq(back, tg_bytes_of(body, sizeof body)));
}

/* ---- A real certificate: RFC 8448 §3, the server's RSA certificate -----------------------------
 */

static size_t read_hex_file(const char *path, uint8_t *out, size_t cap) {
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f, "%s", path);
  size_t n = 0;
  unsigned v;
  while (fscanf(f, "%2x", &v) == 1) {
    cr_assert_lt(n, cap);
    out[n++] = (uint8_t)v;
  }
  fclose(f);
  return n;
}

/* The first cert_data of a Certificate handshake message (RFC 8446 §4.4.2). */
static tg_bytes first_cert(const uint8_t *msg, size_t len) {
  tg_reader r, ctx, list, cert;
  uint8_t type;
  uint32_t body_len;
  tg_reader_init(&r, msg, len, NULL);
  cr_assert_eq(tg_read_u8(&r, &type, "type"), TG_OK);
  cr_assert_eq(tg_read_u24(&r, &body_len, "length"), TG_OK);
  cr_assert_eq(tg_read_vec(&r, 1, 0, 255, &ctx, "certificate_request_context"), TG_OK);
  cr_assert_eq(tg_read_vec(&r, 3, 0, 1 << 24, &list, "certificate_list"), TG_OK);
  cr_assert_eq(tg_read_vec(&list, 3, 1, 1 << 24, &cert, "cert_data"), TG_OK);
  return tg_reader_rest(&cert);
}

/* RFC 5280 §4.1: Certificate { tbsCertificate { [0] version, serialNumber, signature, issuer,
 * validity, subject, subjectPublicKeyInfo, ... }, signatureAlgorithm, signatureValue }. */
static tg_status walk_certificate(tg_bytes der, tg_bytes *spki, uint32_t *version, tg_err *err) {
  tg_reader r, cert, tbs, v;
  tg_der_elem e;
  tg_bytes serial, sig;
  bool present;
  tg_reader_init(&r, der.p, der.len, err);
  TG_TRY(tg_der_read_seq(&r, &cert, "Certificate"));
  TG_TRY(tg_read_done(&r, "Certificate"));
  TG_TRY(tg_der_read_seq(&cert, &tbs, "tbsCertificate"));
  TG_TRY(tg_der_read_optional(&tbs, TG_DER_CONTEXT(0), &v, &present, "version"));
  *version = 0;
  if (present)
    TG_TRY(tg_der_read_small(&v, version, "version"));
  TG_TRY(tg_der_read_uint(&tbs, &serial, "serialNumber"));
  TG_TRY(tg_der_read_seq(&tbs, NULL, "signature"));
  TG_TRY(tg_der_read_seq(&tbs, NULL, "issuer"));
  TG_TRY(tg_der_read_seq(&tbs, NULL, "validity"));
  TG_TRY(tg_der_read_seq(&tbs, NULL, "subject"));
  TG_TRY(tg_der_read_any(&tbs, &e, "subjectPublicKeyInfo"));
  *spki = e.raw;
  TG_TRY(tg_der_read_seq(&cert, NULL, "signatureAlgorithm"));
  TG_TRY(tg_der_read_bit_octets(&cert, &sig, "signatureValue"));
  return tg_read_done(&cert, "Certificate");
}

Test(der, walks_rfc8448_certificate_and_every_truncation_fails) {
  static uint8_t msg[4096];
  size_t n = read_hex_file(TG_SOURCE_DIR "/vectors/rfc8448/sec3-simple-1rtt/certificate.hex", msg,
                           sizeof msg);
  tg_bytes der = first_cert(msg, n);
  tg_bytes spki;
  uint32_t version;
  tg_err err = {0};
  cr_assert_eq(walk_certificate(der, &spki, &version, &err), TG_OK, "%s", err.what);
  cr_assert_eq(version, 2, "an X.509 v3 certificate");
  /* The SPKI is an rsaEncryption key: SEQUENCE { SEQUENCE { OID rsaEncryption, NULL }, ...} */
  tg_reader r, seq, alg;
  tg_bytes oid;
  tg_reader_init(&r, spki.p, spki.len, &err);
  cr_assert_eq(tg_der_read_seq(&r, &seq, "spki"), TG_OK);
  cr_assert_eq(tg_der_read_seq(&seq, &alg, "alg"), TG_OK);
  cr_assert_eq(tg_der_read_oid(&alg, &oid, "alg.oid"), TG_OK);
  cr_assert(tg_der_oid_eq(oid, &TG_OID_rsaEncryption));
  for (size_t len = 0; len < der.len; len++) {
    uint8_t *cut = dup_exact(der.p, len);
    tg_err e2 = {0};
    tg_status st = walk_certificate(tg_bytes_of(cut, len), &spki, &version, &e2);
    cr_expect_neq(st, TG_OK, "truncated to %zu bytes but accepted", len);
    cr_expect_eq(e2.alert, TG_ALERT_decode_error, "truncated to %zu", len);
    free(cut);
  }
}
