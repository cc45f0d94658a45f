/* Helpers shared by the tests (header-only): hex and RFC 8448 vectors, exact-size input copies (so
 * ASan sees over-reads), the handshake malformed-input table runner and a recording tg_dump. */
#ifndef TG_HS_TESTUTIL_H
#define TG_HS_TESTUTIL_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/codec.h"
#include "tg/dump.h"
#include "tg/names.h"

/* Bytes the test owns. */
typedef struct tt_buf {
  uint8_t *p;
  size_t len;
} tt_buf;

static inline tg_bytes tt_view(tt_buf b) { return tg_bytes_of(b.p, b.len); }

static inline void tt_free(tt_buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = 0;
}

/* An exact-size heap copy: a read one past the end is an ASan report, not a silent pass. */
static inline tt_buf tt_copy(const void *p, size_t len) {
  tt_buf b = {malloc(len ? len : 1), len};
  cr_assert_not_null(b.p);
  if (len)
    memcpy(b.p, p, len);
  return b;
}

static inline int tt_nibble(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Hex text (spaces and newlines allowed) into out; returns the byte count. */
static inline size_t tt_unhex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = 0, len = strlen(hex);
  for (size_t i = 0; i < len;) {
    if (hex[i] == ' ' || hex[i] == '\n') {
      i++;
      continue;
    }
    int hi = tt_nibble(hex[i]), lo = i + 1 < len ? tt_nibble(hex[i + 1]) : -1;
    cr_assert(hi >= 0 && lo >= 0, "bad hex at %zu", i);
    cr_assert_lt(n, cap, "hex longer than %zu bytes", cap);
    out[n++] = (uint8_t)(hi << 4 | lo);
    i += 2;
  }
  return n;
}

/* Hex text to an exact-size heap buffer. */
static inline tt_buf tt_from_hex(const char *hex) {
  size_t cap = strlen(hex) / 2 + 1;
  tt_buf b = {malloc(cap), 0};
  cr_assert_not_null(b.p);
  b.len = tt_unhex(hex, b.p, cap);
  return b;
}

/* The text of a file, in a static buffer that the next call reuses. */
static inline const char *tt_read_text(const char *path) {
  static char text[65536];
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  size_t n = fread(text, 1, sizeof text - 1, f);
  cr_assert(feof(f), "%s is larger than %zu bytes", path, sizeof text - 1);
  fclose(f);
  text[n] = '\0';
  return text;
}

/* A hex vector file (full path) into out; returns the byte count. */
static inline size_t tt_load_hex(const char *path, uint8_t *out, size_t cap) {
  return tt_unhex(tt_read_text(path), out, cap);
}

/* vectors/rfc8448/<rel>.hex, e.g. "sec3-simple-1rtt/client_hello". */
static inline tt_buf tt_rfc8448(const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/vectors/rfc8448/%s.hex", TG_SOURCE_DIR, rel);
  return tt_from_hex(tt_read_text(path));
}

/* A Handshake message's body: the vector file minus its 4-byte header, which must agree with the
 * file: msg_type, then a uint24 body length. */
static inline tt_buf tt_rfc8448_body(const char *rel, uint8_t msg_type) {
  tt_buf all = tt_rfc8448(rel);
  tg_reader r;
  uint8_t type;
  uint32_t len;
  tg_bytes body;
  tg_reader_init(&r, all.p, all.len, NULL);
  cr_assert_eq(tg_read_u8(&r, &type, "msg_type"), TG_OK);
  cr_assert_eq(tg_read_u24(&r, &len, "length"), TG_OK);
  cr_assert_eq(type, msg_type, "%s: msg_type %u", rel, type);
  cr_assert_eq(len, tg_left(&r), "%s: header length %u, body %zu", rel, len, tg_left(&r));
  cr_assert_eq(tg_read_bytes(&r, len, &body, "body"), TG_OK);
  tt_buf out = tt_copy(body.p, body.len);
  tt_free(&all);
  return out;
}

static inline void tt_put_be(uint8_t *p, unsigned width, uint32_t v) {
  for (unsigned i = 0; i < width; i++)
    p[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
}

static inline uint32_t tt_get_be(const uint8_t *p, unsigned width) {
  uint32_t v = 0;
  for (unsigned i = 0; i < width; i++)
    v = v << 8 | p[i];
  return v;
}

/* Decodes one message body from exactly len bytes, recording failures in err. */
typedef tg_status (*tt_decode_fn)(const uint8_t *p, size_t len, tg_err *err);

/* Defines `static tg_status name(p, len, err)`, a tt_decode_fn that decodes one tg_<msg> body
 * with tg_<msg>_decode under ctx (a const tg_hs_ctx *, or NULL). */
#define TT_DECODER(name, msg, ctx)                                                                 \
  static tg_status name(const uint8_t *p, size_t len, tg_err *err) {                               \
    tg_reader r;                                                                                   \
    tg_##msg m;                                                                                    \
    tg_reader_init(&r, p, len, err);                                                               \
    return tg_##msg##_decode(&r, ctx, &m);                                                         \
  }

/* One malformed input: the field of `width` bytes at `off` set to `value` (TT_SET) or changed by
 * `value` (TT_ADD), and what the decoder must say about it. `what` must occur in err.what. */
enum tt_op { TT_SET, TT_ADD };
typedef struct tt_row {
  const char *name;
  size_t off;
  unsigned width;
  enum tt_op op;
  int64_t value;
  enum tg_alert alert;
  tg_code code;
  const char *what;
} tt_row;

static inline void tt_expect_err(const char *name, tg_status st, const tg_err *err,
                                 enum tg_alert alert, tg_code code, const char *what) {
  cr_expect_eq(st, (tg_status)code, "%s: status %d (%s), want %d; what: %s", name, st,
               tg_code_name((tg_code)st), code, err->what);
  cr_expect_eq(err->code, code, "%s: err.code %d, want %d", name, err->code, code);
  cr_expect_eq(err->alert, alert, "%s: alert %s, want %s", name, tg_alert_name(err->alert),
               tg_alert_name(alert));
  cr_expect(err->file != NULL && err->line > 0, "%s: no location", name);
  if (what != NULL)
    cr_expect(strstr(err->what, what) != NULL, "%s: err.what \"%s\" does not name \"%s\"", name,
              err->what, what);
}

static inline void tt_run_rows(tg_bytes base, const tt_row *rows, size_t n, tt_decode_fn decode) {
  for (size_t i = 0; i < n; i++) {
    const tt_row *row = &rows[i];
    cr_assert_leq(row->off + row->width, base.len, "%s: offset out of range", row->name);
    tt_buf in = tt_copy(base.p, base.len);
    uint32_t v = row->op == TT_SET
                     ? (uint32_t)row->value
                     : (uint32_t)(tt_get_be(in.p + row->off, row->width) + row->value);
    tt_put_be(in.p + row->off, row->width, v);
    tg_err err = {0};
    tg_status st = decode(in.p, in.len, &err);
    tt_expect_err(row->name, st, &err, row->alert, row->code, row->what);
    tt_free(&in);
  }
}

/* Every strict prefix of base must fail with decode_error naming `what`, except the lengths
 * listed in ok (where the RFC lets the message end, e.g. a TLS 1.2 hello without extensions). */
static inline void tt_run_truncations(tg_bytes base, tt_decode_fn decode, const char *what,
                                      const size_t *ok, size_t n_ok) {
  for (size_t len = 0; len < base.len; len++) {
    bool allowed = false;
    for (size_t k = 0; k < n_ok; k++)
      allowed |= ok[k] == len;
    tt_buf in = tt_copy(base.p, len);
    tg_err err = {0};
    tg_status st = decode(in.p, in.len, &err);
    if (allowed) {
      cr_expect_eq(st, TG_OK, "prefix %zu: %s", len, err.what);
    } else {
      cr_expect_neq(st, TG_OK, "prefix of %zu bytes decoded", len);
      cr_expect_eq(err.alert, TG_ALERT_decode_error, "prefix %zu: %s", len, err.what);
      cr_expect(err.code == TG_E_TRUNCATED || err.code == TG_E_LENGTH, "prefix %zu: %s", len,
                err.what);
      cr_expect(strstr(err.what, what) != NULL, "prefix %zu: \"%s\"", len, err.what);
    }
    tt_free(&in);
  }
}

/* A tg_dump that records "key=value(name)" items, separated by spaces, into text. */
typedef struct tt_dump {
  tg_dump d;
  char text[16384];
  size_t len;
} tt_dump;

static inline void tt_dump_put(tt_dump *t, const char *fmt, const char *a, const char *b) {
  int n = snprintf(t->text + t->len, sizeof t->text - t->len, fmt, a ? a : "", b ? b : "");
  if (n > 0)
    t->len = t->len + (size_t)n < sizeof t->text ? t->len + (size_t)n : sizeof t->text - 1;
}
static inline void tt_dump_begin(tg_dump *d, const char *key, int list) {
  tt_dump_put((tt_dump *)d->user, list ? "%s=[%s" : "%s={%s", key, NULL);
}
static inline void tt_dump_end(tg_dump *d) {
  tt_dump_put((tt_dump *)d->user, "}%s%s ", NULL, NULL);
}
static inline void tt_dump_uint(tg_dump *d, const char *key, uint64_t v, const char *name) {
  char num[32];
  snprintf(num, sizeof num, "%llu", (unsigned long long)v);
  tt_dump_put((tt_dump *)d->user, "%s=%s", key, num);
  if (name != NULL)
    tt_dump_put((tt_dump *)d->user, "(%s)%s", name, NULL);
  tt_dump_put((tt_dump *)d->user, " %s%s", NULL, NULL);
}
static inline void tt_dump_bytes(tg_dump *d, const char *key, tg_bytes v) {
  char hex[8];
  tt_dump_put((tt_dump *)d->user, "%s=%s", key, NULL);
  for (size_t i = 0; i < v.len; i++) {
    snprintf(hex, sizeof hex, "%02x", v.p[i]);
    tt_dump_put((tt_dump *)d->user, "%s%s", hex, NULL);
  }
  tt_dump_put((tt_dump *)d->user, " %s%s", NULL, NULL);
}
static inline void tt_dump_text(tg_dump *d, const char *key, tg_bytes v) {
  char s[256];
  snprintf(s, sizeof s, "%.*s", (int)(v.len < 255 ? v.len : 255), (const char *)v.p);
  tt_dump_put((tt_dump *)d->user, "%s=\"%s\" ", key, s);
}
static inline void tt_dump_init(tt_dump *t) {
  memset(t, 0, sizeof *t);
  t->d.begin = tt_dump_begin;
  t->d.end = tt_dump_end;
  t->d.uint = tt_dump_uint;
  t->d.bytes = tt_dump_bytes;
  t->d.text = tt_dump_text;
  t->d.user = t;
}

/* The extensions block of a handshake message with its 4-byte header (ClientHello, ServerHello,
 * NewSessionTicket, EncryptedExtensions, CertificateRequest), walked with the reader rather than
 * a handshake parser so that the tests using it depend on the codec only. */
static inline tg_bytes extensions_of(const uint8_t *msg, size_t len) {
  tg_reader r, v;
  uint8_t type, b;
  uint32_t u;
  uint16_t s;
  tg_bytes skip;
  tg_reader_init(&r, msg, len, NULL);
  cr_assert_eq(tg_read_u8(&r, &type, "msg_type"), TG_OK);
  cr_assert_eq(tg_read_u24(&r, &u, "length"), TG_OK);
  switch (type) {
  case TG_HS_client_hello:
  case TG_HS_server_hello:
    cr_assert_eq(tg_read_bytes(&r, 2 + 32, &skip, "legacy_version, random"), TG_OK);
    cr_assert_eq(tg_read_vec(&r, 1, 0, 32, &v, "legacy_session_id"), TG_OK);
    if (type == TG_HS_client_hello) {
      cr_assert_eq(tg_read_vec(&r, 2, 2, 65534, &v, "cipher_suites"), TG_OK);
      cr_assert_eq(tg_read_vec(&r, 1, 1, 255, &v, "legacy_compression_methods"), TG_OK);
    } else {
      cr_assert_eq(tg_read_u16(&r, &s, "cipher_suite"), TG_OK);
      cr_assert_eq(tg_read_u8(&r, &b, "legacy_compression_method"), TG_OK);
    }
    break;
  case TG_HS_new_session_ticket:
    cr_assert_eq(tg_read_bytes(&r, 8, &skip, "ticket_lifetime, ticket_age_add"), TG_OK);
    cr_assert_eq(tg_read_vec(&r, 1, 0, 255, &v, "ticket_nonce"), TG_OK);
    cr_assert_eq(tg_read_vec(&r, 2, 1, 65535, &v, "ticket"), TG_OK);
    break;
  case TG_HS_certificate_request:
    cr_assert_eq(tg_read_vec(&r, 1, 0, 255, &v, "certificate_request_context"), TG_OK);
    break;
  case TG_HS_encrypted_extensions: break;
  default: cr_assert_fail("unexpected message type %u", type);
  }
  cr_assert_eq(tg_read_vec(&r, 2, 0, 65535, &v, "extensions"), TG_OK);
  cr_assert_eq(tg_left(&r), 0);
  return tg_reader_rest(&v);
}

#endif
