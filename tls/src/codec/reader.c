/* The reader: every bounds check of untrusted input goes through tg_need. */
#include <string.h>

#include "tg/codec.h"

void tg_reader_init(tg_reader *r, const uint8_t *p, size_t len, tg_err *err) {
  r->p = p;
  r->end = p == NULL ? p : p + len; /* NULL + 0 is undefined behaviour in C */
  r->err = err;
  r->tolerate = NULL;
}

bool tg_bytes_eq(tg_bytes a, tg_bytes b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

size_t tg_bytes_rtrim_zeros(tg_bytes b) {
  size_t n = b.len;
  while (n > 0 && b.p[n - 1] == 0)
    n--;
  return n;
}

bool tg_u16s_contains(tg_bytes list, uint16_t v) {
  for (size_t i = 0; i < tg_u16s_count(list); i++)
    if (tg_u16s_get(list, i) == v)
      return true;
  return false;
}

/* The single chokepoint: n bytes must remain. */
static tg_status tg_need(tg_reader *r, size_t n, const char *field, const char *file, int line) {
  if (tg_left(r) >= n)
    return TG_OK;
  return tg_fail(r->err, TG_ALERT_decode_error, TG_E_TRUNCATED, file, line,
                 "%s is truncated (needs %zu bytes, %zu left)", field, n, tg_left(r));
}

static uint32_t be(const uint8_t *p, unsigned n) {
  uint32_t v = 0;
  for (unsigned i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

static tg_status read_uint(tg_reader *r, unsigned n, uint32_t *v, const char *field,
                           const char *file, int line) {
  TG_TRY(tg_need(r, n, field, file, line));
  *v = be(r->p, n);
  r->p += n;
  return TG_OK;
}

tg_status tg_read_u8_at(tg_reader *r, uint8_t *v, const char *field, const char *file, int line) {
  uint32_t x;
  TG_TRY(read_uint(r, 1, &x, field, file, line));
  *v = (uint8_t)x;
  return TG_OK;
}

tg_status tg_read_u16_at(tg_reader *r, uint16_t *v, const char *field, const char *file, int line) {
  uint32_t x;
  TG_TRY(read_uint(r, 2, &x, field, file, line));
  *v = (uint16_t)x;
  return TG_OK;
}

tg_status tg_read_u24_at(tg_reader *r, uint32_t *v, const char *field, const char *file, int line) {
  return read_uint(r, 3, v, field, file, line);
}

tg_status tg_read_u32_at(tg_reader *r, uint32_t *v, const char *field, const char *file, int line) {
  return read_uint(r, 4, v, field, file, line);
}

tg_status tg_read_bytes_at(tg_reader *r, size_t n, tg_bytes *out, const char *field,
                           const char *file, int line) {
  TG_TRY(tg_need(r, n, field, file, line));
  *out = tg_bytes_of(r->p, n);
  if (n > 0) /* (a reader over no bytes may hold NULL: NULL + 0 is undefined) */
    r->p += n;
  return TG_OK;
}

tg_status tg_read_copy_at(tg_reader *r, void *out, size_t n, const char *field, const char *file,
                          int line) {
  TG_TRY(tg_need(r, n, field, file, line));
  if (n == 0)
    return TG_OK;
  memcpy(out, r->p, n);
  r->p += n;
  return TG_OK;
}

tg_status tg_read_vec_at(tg_reader *r, unsigned prefix_len, size_t min, size_t max, tg_reader *sub,
                         const char *field, const char *file, int line) {
  uint32_t len;
  if (prefix_len < 1 || prefix_len > 4)
    return tg_fail(r->err, TG_ALERT_internal_error, TG_E_USAGE, file, line,
                   "%s: bad length prefix size %u", field, prefix_len);
  TG_TRY(read_uint(r, prefix_len, &len, field, file, line));
  if (len < min || len > max)
    return tg_fail(r->err, TG_ALERT_decode_error, TG_E_LENGTH, file, line,
                   "%s has length %u outside <%zu..%zu>", field, len, min, max);
  if (tg_left(r) < len)
    return tg_fail(r->err, TG_ALERT_decode_error, TG_E_TRUNCATED, file, line,
                   "%s has length %u but only %zu bytes follow", field, len, tg_left(r));
  tg_reader_init(sub, r->p, len, r->err);
  sub->tolerate = r->tolerate;
  r->p += len;
  return TG_OK;
}

tg_status tg_read_vec16s_at(tg_reader *r, unsigned prefix_len, size_t min, size_t max,
                            tg_reader *sub, const char *field, const char *file, int line) {
  const uint8_t *start = r->p;
  TG_TRY(tg_read_vec_at(r, prefix_len, min, max, sub, field, file, line));
  if (tg_left(sub) % 2 != 0) {
    r->p = start;
    return tg_fail(r->err, TG_ALERT_decode_error, TG_E_ODD_LENGTH, file, line,
                   "%s has odd length %zu", field, tg_left(sub));
  }
  return TG_OK;
}

tg_status tg_read_done_at(const tg_reader *r, const char *field, const char *file, int line) {
  if (tg_left(r) == 0)
    return TG_OK;
  return tg_fail(r->err, TG_ALERT_decode_error, TG_E_TRAILING, file, line,
                 "%s has %zu trailing bytes", field, tg_left(r));
}

int tg_ct_eq(const void *a, const void *b, size_t n) {
  const volatile uint8_t *x = a, *y = b;
  uint8_t diff = 0;
  for (size_t i = 0; i < n; i++)
    diff |= (uint8_t)(x[i] ^ y[i]);
  return (int)(1 & ((uint32_t)(diff - 1) >> 8));
}
