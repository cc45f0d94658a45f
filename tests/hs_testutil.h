/* Helpers shared by the handshake message tests (header-only): RFC 8448 vectors, exact-size input
 * copies (so ASan sees over-reads), the malformed-input table runner and a recording tg_dump. */
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

/* Hex text (spaces allowed) to bytes. */
static inline tt_buf tt_from_hex(const char *hex) {
  size_t n = strlen(hex);
  tt_buf b = {malloc(n / 2 + 1), 0};
  cr_assert_not_null(b.p);
  for (size_t i = 0; i < n;) {
    if (hex[i] == ' ' || hex[i] == '\n') {
      i++;
      continue;
    }
    int hi = tt_nibble(hex[i]), lo = i + 1 < n ? tt_nibble(hex[i + 1]) : -1;
    cr_assert(hi >= 0 && lo >= 0, "bad hex at %zu", i);
    b.p[b.len++] = (uint8_t)(hi << 4 | lo);
    i += 2;
  }
  return b;
}

/* vectors/rfc8448/<rel>.hex, e.g. "sec3-simple-1rtt/client_hello". */
static inline tt_buf tt_rfc8448(const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/vectors/rfc8448/%s.hex", TG_SOURCE_DIR, rel);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  static char text[65536];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  return tt_from_hex(text);
}

/* A Handshake message's body: the vector file minus its 4-byte header. */
static inline tt_buf tt_rfc8448_body(const char *rel) {
  tt_buf all = tt_rfc8448(rel);
  cr_assert_geq(all.len, 4);
  tt_buf body = tt_copy(all.p + 4, all.len - 4);
  tt_free(&all);
  return body;
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

#endif
