/* The DER reader: X.690 §8 encodings restricted to DER (§10, §11). Every failure is a
 * decode_error naming the field and the rule broken; callers remap the alert (tg_der_remap). */
#include <string.h>

#include "tg/der.h"

#define FAIL(r, code, file, line, ...)                                                             \
  tg_fail((r)->err, TG_ALERT_decode_error, (code), (file), (line), __VA_ARGS__)

/* Length octets, X.690 §8.1.3 with the DER rule of §10.1: the definite form in the minimum
 * number of octets. Lengths beyond 2^32-1 are refused (no certificate is that large). */
static tg_status read_length(tg_reader *r, size_t *len, const char *field, const char *file,
                             int line) {
  uint8_t first;
  TG_TRY(tg_read_u8_at(r, &first, field, file, line));
  if (first < 0x80) {
    *len = first;
    return TG_OK;
  }
  /* X.690 §10.1: the indefinite form (0x80) is not DER. */
  if (first == 0x80)
    return FAIL(r, TG_E_BAD_VALUE, file, line, "%s uses the indefinite length form", field);
  unsigned n = first & 0x7f;
  if (n > 4)
    return FAIL(r, TG_E_TOO_LARGE, file, line, "%s has a %u-octet length", field, n);
  size_t v = 0;
  for (unsigned i = 0; i < n; i++) {
    uint8_t b;
    TG_TRY(tg_read_u8_at(r, &b, field, file, line));
    /* X.690 §10.1: no leading zero octet in the long form. */
    if (i == 0 && b == 0)
      return FAIL(r, TG_E_BAD_VALUE, file, line, "%s length has a leading zero octet", field);
    v = (v << 8) | b;
  }
  /* X.690 §10.1: lengths below 128 use the short form. */
  if (v < 0x80)
    return FAIL(r, TG_E_BAD_VALUE, file, line, "%s length %zu is not in the short form", field, v);
  *len = v;
  return TG_OK;
}

tg_status tg_der_read_any_at(tg_reader *r, tg_der_elem *e, const char *field, const char *file,
                             int line) {
  const uint8_t *start = r->p;
  uint8_t tag;
  size_t len;
  TG_TRY(tg_read_u8_at(r, &tag, field, file, line));
  /* X.690 §8.1.2.4: tag numbers >= 31 use further octets; nothing the engine reads needs them. */
  if ((tag & 0x1f) == 0x1f) {
    r->p = start;
    return FAIL(r, TG_E_BAD_VALUE, file, line, "%s uses a high tag number form (0x%02x)", field,
                tag);
  }
  tg_status st = read_length(r, &len, field, file, line);
  if (st == TG_OK && tg_left(r) < len)
    st = FAIL(r, TG_E_TRUNCATED, file, line, "%s has length %zu but only %zu bytes follow", field,
              len, tg_left(r));
  if (st != TG_OK) {
    r->p = start;
    return st;
  }
  e->tag = tag;
  tg_reader_init(&e->body, r->p, len, r->err);
  r->p += len;
  e->raw = tg_bytes_of(start, (size_t)(r->p - start));
  return TG_OK;
}

bool tg_der_peek(const tg_reader *r, uint8_t tag) {
  tg_reader copy = *r;
  uint8_t got;
  copy.err = NULL;
  return tg_read_u8(&copy, &got, "tag") == TG_OK && got == tag;
}

tg_status tg_der_read_tlv_at(tg_reader *r, uint8_t tag, tg_reader *body, const char *field,
                             const char *file, int line) {
  tg_der_elem e;
  const uint8_t *start = r->p;
  TG_TRY(tg_der_read_any_at(r, &e, field, file, line));
  if (e.tag != tag) {
    r->p = start;
    return FAIL(r, TG_E_BAD_VALUE, file, line, "%s has tag 0x%02x, expected 0x%02x", field, e.tag,
                tag);
  }
  if (body != NULL)
    *body = e.body;
  return TG_OK;
}

tg_status tg_der_read_optional_at(tg_reader *r, uint8_t tag, tg_reader *body, bool *present,
                                  const char *field, const char *file, int line) {
  *present = tg_der_peek(r, tag);
  if (!*present)
    return TG_OK;
  return tg_der_read_tlv_at(r, tag, body, field, file, line);
}

tg_status tg_der_read_integer_at(tg_reader *r, tg_bytes *value, bool *negative, const char *field,
                                 const char *file, int line) {
  tg_reader body;
  TG_TRY(tg_der_read_tlv_at(r, TG_DER_INTEGER, &body, field, file, line));
  tg_bytes v = tg_reader_rest(&body);
  uint8_t first, second;
  /* X.690 §8.3.1: at least one contents octet. */
  if (tg_left(&body) == 0)
    return FAIL(r, TG_E_LENGTH, file, line, "%s INTEGER has no contents octets", field);
  TG_TRY(tg_read_u8_at(&body, &first, field, file, line));
  /* X.690 §8.3.2: the first nine bits are not all zero nor all one. */
  if (tg_left(&body) > 0) {
    TG_TRY(tg_read_u8_at(&body, &second, field, file, line));
    if ((first == 0x00 && second < 0x80) || (first == 0xff && second >= 0x80))
      return FAIL(r, TG_E_BAD_VALUE, file, line, "%s INTEGER is not minimally encoded", field);
  }
  *value = v;
  *negative = first >= 0x80;
  return TG_OK;
}

tg_status tg_der_read_uint_at(tg_reader *r, tg_bytes *magnitude, const char *field,
                              const char *file, int line) {
  tg_bytes v;
  bool negative;
  TG_TRY(tg_der_read_integer_at(r, &v, &negative, field, file, line));
  if (negative)
    return FAIL(r, TG_E_BAD_VALUE, file, line, "%s INTEGER is negative", field);
  tg_reader body;
  tg_reader_init(&body, v.p, v.len, r->err);
  /* Minimal encoding makes a leading 0x00 of a longer INTEGER its sign octet. */
  if (v.len > 1 && tg_der_peek(&body, 0x00)) {
    tg_bytes sign;
    TG_TRY(tg_read_bytes_at(&body, 1, &sign, field, file, line));
  }
  *magnitude = tg_reader_rest(&body);
  return TG_OK;
}

tg_status tg_der_read_small_at(tg_reader *r, uint32_t *v, const char *field, const char *file,
                               int line) {
  tg_bytes mag;
  TG_TRY(tg_der_read_uint_at(r, &mag, field, file, line));
  if (mag.len > 4)
    return FAIL(r, TG_E_TOO_LARGE, file, line, "%s INTEGER is too large (%zu octets)", field,
                mag.len);
  tg_reader body;
  uint32_t x = 0;
  tg_reader_init(&body, mag.p, mag.len, r->err);
  while (tg_left(&body) > 0) {
    uint8_t b;
    TG_TRY(tg_read_u8_at(&body, &b, field, file, line));
    x = (x << 8) | b;
  }
  *v = x;
  return TG_OK;
}

tg_status tg_der_read_bool_at(tg_reader *r, bool *v, const char *field, const char *file,
                              int line) {
  tg_reader body;
  uint8_t b;
  TG_TRY(tg_der_read_tlv_at(r, TG_DER_BOOLEAN, &body, field, file, line));
  TG_TRY(tg_read_u8_at(&body, &b, field, file, line));
  TG_TRY(tg_read_done_at(&body, field, file, line));
  /* X.690 §11.1: TRUE is 0xFF in DER. */
  if (b != 0x00 && b != 0xff)
    return FAIL(r, TG_E_BAD_VALUE, file, line, "%s BOOLEAN is 0x%02x, not 0x00 or 0xFF", field, b);
  *v = b == 0xff;
  return TG_OK;
}

tg_status tg_der_read_null_at(tg_reader *r, const char *field, const char *file, int line) {
  tg_reader body;
  TG_TRY(tg_der_read_tlv_at(r, TG_DER_NULL, &body, field, file, line));
  /* X.690 §8.8.2: NULL has no contents octets. */
  return tg_read_done_at(&body, field, file, line);
}

tg_status tg_der_read_oid_at(tg_reader *r, tg_bytes *oid, const char *field, const char *file,
                             int line) {
  tg_reader body;
  TG_TRY(tg_der_read_tlv_at(r, TG_DER_OID, &body, field, file, line));
  tg_bytes v = tg_reader_rest(&body);
  if (v.len == 0)
    return FAIL(r, TG_E_LENGTH, file, line, "%s OBJECT IDENTIFIER is empty", field);
  bool at_start = true;
  while (tg_left(&body) > 0) {
    uint8_t b;
    TG_TRY(tg_read_u8_at(&body, &b, field, file, line));
    /* X.690 §8.19.2: a sub-identifier does not start with 0x80. */
    if (at_start && b == 0x80)
      return FAIL(r, TG_E_BAD_VALUE, file, line,
                  "%s OBJECT IDENTIFIER has a non-minimal sub-identifier", field);
    at_start = (b & 0x80) == 0;
  }
  if (!at_start)
    return FAIL(r, TG_E_TRUNCATED, file, line, "%s OBJECT IDENTIFIER ends inside a sub-identifier",
                field);
  *oid = v;
  return TG_OK;
}

tg_status tg_der_read_bits_at(tg_reader *r, tg_bytes *bits, unsigned *unused, const char *field,
                              const char *file, int line) {
  tg_reader body;
  uint8_t n;
  TG_TRY(tg_der_read_tlv_at(r, TG_DER_BIT_STRING, &body, field, file, line));
  TG_TRY(tg_read_u8_at(&body, &n, field, file, line));
  tg_bytes v = tg_reader_rest(&body);
  /* X.690 §8.6.2.2 and .3: 0..7 unused bits, none when there are no bit octets. */
  if (n > 7 || (v.len == 0 && n != 0))
    return FAIL(r, TG_E_BAD_VALUE, file, line, "%s BIT STRING has %u unused bits", field, n);
  /* X.690 §11.2.1: the unused bits are zero in DER. */
  if (n > 0) {
    tg_bytes last;
    TG_TRY(tg_read_bytes_at(&body, v.len - 1, &last, field, file, line));
    uint8_t b;
    TG_TRY(tg_read_u8_at(&body, &b, field, file, line));
    if ((b & ((1u << n) - 1)) != 0)
      return FAIL(r, TG_E_BAD_VALUE, file, line, "%s BIT STRING has non-zero unused bits", field);
  }
  *bits = v;
  *unused = n;
  return TG_OK;
}

tg_status tg_der_read_bit_octets_at(tg_reader *r, tg_bytes *octets, const char *field,
                                    const char *file, int line) {
  unsigned unused;
  TG_TRY(tg_der_read_bits_at(r, octets, &unused, field, file, line));
  if (unused != 0)
    return FAIL(r, TG_E_BAD_VALUE, file, line, "%s BIT STRING is not whole octets (%u unused)",
                field, unused);
  return TG_OK;
}

tg_status tg_der_read_octets_at(tg_reader *r, tg_bytes *octets, const char *field, const char *file,
                                int line) {
  tg_reader body;
  TG_TRY(tg_der_read_tlv_at(r, TG_DER_OCTET_STRING, &body, field, file, line));
  *octets = tg_reader_rest(&body);
  return TG_OK;
}

/* ---- OIDs ------------------------------------------------------------------------------------ */

const tg_oid TG_OID_rsaEncryption = {
    "rsaEncryption", 9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 1}};
const tg_oid TG_OID_RSASSA_PSS = {
    "id-RSASSA-PSS", 9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 10}};
const tg_oid TG_OID_id_ecPublicKey = {"id-ecPublicKey", 7, {0x2a, 0x86, 0x48, 0xce, 0x3d, 2, 1}};
const tg_oid TG_OID_secp256r1 = {"secp256r1", 8, {0x2a, 0x86, 0x48, 0xce, 0x3d, 3, 1, 7}};
const tg_oid TG_OID_secp384r1 = {"secp384r1", 5, {0x2b, 0x81, 0x04, 0x00, 0x22}};
const tg_oid TG_OID_Ed25519 = {"Ed25519", 3, {0x2b, 0x65, 0x70}};
const tg_oid TG_OID_sha256 = {"sha256", 9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}};
const tg_oid TG_OID_sha384 = {"sha384", 9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02}};
const tg_oid TG_OID_sha512 = {"sha512", 9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03}};

bool tg_der_oid_eq(tg_bytes oid, const tg_oid *want) {
  return tg_bytes_eq(oid, tg_bytes_of(want->der, want->len));
}

/* ---- Writer ---------------------------------------------------------------------------------- */

/* X.690 §10.1: the short form below 128, else the fewest length octets. */
static void w_length(tg_writer *w, size_t len) {
  if (len < 0x80) {
    tg_w_u8(w, (uint8_t)len);
    return;
  }
  unsigned n = 0;
  for (size_t v = len; v > 0; v >>= 8)
    n++;
  tg_w_u8(w, (uint8_t)(0x80 | n));
  for (unsigned i = n; i > 0; i--)
    tg_w_u8(w, (uint8_t)(len >> (8 * (i - 1))));
}

void tg_der_w_tlv(tg_writer *w, uint8_t tag, tg_bytes contents) {
  tg_w_u8(w, tag);
  w_length(w, contents.len);
  tg_w_view(w, contents);
}

void tg_der_w_uint(tg_writer *w, tg_bytes magnitude) {
  tg_reader r;
  tg_bytes zero;
  tg_reader_init(&r, magnitude.p, magnitude.len, NULL);
  while (tg_left(&r) > 1 && tg_der_peek(&r, 0x00))
    if (tg_read_bytes(&r, 1, &zero, "INTEGER") != TG_OK)
      break;
  tg_bytes m = tg_reader_rest(&r);
  /* X.690 §8.3.3: two's complement, so a set top bit needs a 0x00 sign octet. */
  bool sign = m.len == 0 || m.p[0] >= 0x80;
  tg_w_u8(w, TG_DER_INTEGER);
  w_length(w, m.len + (sign ? 1 : 0));
  if (sign)
    tg_w_u8(w, 0);
  tg_w_view(w, m);
}
