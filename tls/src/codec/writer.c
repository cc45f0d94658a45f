/* The writer: appends with a sticky error, and fills in reserved length prefixes. */
#include <stdlib.h>
#include <string.h>

#include "tg/codec.h"

void tg_writer_init(tg_writer *w, uint8_t *buf, size_t cap, tg_err *err) {
  memset(w, 0, sizeof *w);
  w->buf = buf;
  w->cap = cap;
  w->err = err;
}

void tg_writer_init_dynamic(tg_writer *w, tg_err *err) {
  memset(w, 0, sizeof *w);
  w->growable = true;
  w->err = err;
}

void tg_writer_free(tg_writer *w) {
  if (w->growable)
    free(w->buf);
  w->buf = NULL;
  w->len = w->cap = 0;
}

uint8_t *tg_w_reserve(tg_writer *w, size_t n) {
  if (w->status != TG_OK)
    return NULL;
  if (n == 0) /* nothing to reserve; a fresh dynamic writer has no buffer (NULL + 0 is UB) */
    return w->buf == NULL ? NULL : w->buf + w->len;
  if (w->cap - w->len < n) {
    if (!w->growable) {
      w->status =
          tg_fail(w->err, TG_ALERT_internal_error, TG_E_BUFFER_FULL, TG_HERE,
                  "output buffer full (%zu of %zu bytes, %zu more needed)", w->len, w->cap, n);
      return NULL;
    }
    size_t cap = w->cap ? w->cap : 256;
    while (cap - w->len < n) {
      if (cap > SIZE_MAX / 2) {
        w->status =
            tg_fail(w->err, TG_ALERT_internal_error, TG_E_NOMEM, TG_HERE, "output too large");
        return NULL;
      }
      cap *= 2;
    }
    uint8_t *buf = realloc(w->buf, cap);
    if (buf == NULL) {
      w->status = tg_fail(w->err, TG_ALERT_internal_error, TG_E_NOMEM, TG_HERE, "out of memory");
      return NULL;
    }
    w->buf = buf;
    w->cap = cap;
  }
  uint8_t *p = w->buf + w->len;
  w->len += n;
  return p;
}

static void put_be(tg_writer *w, uint32_t v, unsigned n) {
  uint8_t *p = tg_w_reserve(w, n);
  if (p == NULL)
    return;
  for (unsigned i = 0; i < n; i++)
    p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

void tg_w_u8(tg_writer *w, uint8_t v) { put_be(w, v, 1); }
void tg_w_u16(tg_writer *w, uint16_t v) { put_be(w, v, 2); }
void tg_w_u24(tg_writer *w, uint32_t v) { put_be(w, v, 3); }
void tg_w_u32(tg_writer *w, uint32_t v) { put_be(w, v, 4); }

void tg_w_bytes(tg_writer *w, const void *p, size_t n) {
  uint8_t *dst = tg_w_reserve(w, n);
  if (dst != NULL && n > 0)
    memcpy(dst, p, n);
}

size_t tg_w_open(tg_writer *w, unsigned prefix_len) {
  size_t mark = w->len;
  put_be(w, 0, prefix_len);
  return mark;
}

void tg_w_close_at(tg_writer *w, size_t mark, unsigned prefix_len, size_t max, const char *field,
                   const char *file, int line) {
  if (w->status != TG_OK)
    return;
  size_t len = w->len - mark - prefix_len;
  size_t limit = prefix_len >= 4 ? UINT32_MAX : ((size_t)1 << (8 * prefix_len)) - 1;
  if (max > limit)
    max = limit;
  if (len > max) {
    w->status = tg_fail(w->err, TG_ALERT_internal_error, TG_E_LENGTH, file, line,
                        "%s: length %zu exceeds its maximum %zu", field, len, max);
    return;
  }
  for (unsigned i = 0; i < prefix_len; i++)
    w->buf[mark + i] = (uint8_t)(len >> (8 * (prefix_len - 1 - i)));
}

void tg_w_vec(tg_writer *w, unsigned prefix_len, tg_bytes body) {
  size_t mark = tg_w_open(w, prefix_len);
  tg_w_view(w, body);
  tg_w_close(w, mark, prefix_len, SIZE_MAX, "vector");
}
