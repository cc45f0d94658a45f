/* The one cursor idiom for untrusted bytes, and the writer that produces them.
 *
 * A tg_reader is a {p, end} window over bytes the caller owns. Every read checks bounds in one
 * place (tg_need in codec.c) and, on failure, records a decode_error naming the field. Length-
 * prefixed vectors are read as sub-readers that must be consumed exactly (tg_read_done). TLS
 * structures and DER use the same reader; nothing is copied.
 *
 * A tg_writer appends to a buffer. Its error is sticky: encoders write without checking each put
 * and test tg_writer_status once at the end. Length prefixes are reserved with tg_w_open and
 * filled in by tg_w_close, which fails if the vector outgrew its prefix or its RFC maximum.
 */
#ifndef TG_CODEC_H
#define TG_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/error.h"

/* A view of bytes owned by someone else. */
typedef struct tg_bytes {
  const uint8_t *p;
  size_t len;
} tg_bytes;

static inline tg_bytes tg_bytes_of(const void *p, size_t len) {
  tg_bytes b = {(const uint8_t *)p, len};
  return b;
}
bool tg_bytes_eq(tg_bytes a, tg_bytes b);
/* The length of b without its trailing zero bytes (TLSInnerPlaintext padding). */
size_t tg_bytes_rtrim_zeros(tg_bytes b);

/* ---- Reader ---------------------------------------------------------------------------------- */

typedef struct tg_reader {
  const uint8_t *p;
  const uint8_t *end;
  tg_err *err; /* where failures are recorded; shared with sub-readers; may be NULL */
  /* Permissive mode (tls/src/engine/permissive.h): where the semantic checks a decoder lets
   * through are counted; shared with sub-readers. NULL (tg_reader_init's, and what every build
   * but TG_PERMISSIVE_BUILD acts as): every check is enforced. Cursor checks always are. */
  tg_tolerated *tolerate;
} tg_reader;

void tg_reader_init(tg_reader *r, const uint8_t *p, size_t len, tg_err *err);
static inline size_t tg_left(const tg_reader *r) { return (size_t)(r->end - r->p); }

/* Each read names the field it reads ("ClientHello.legacy_version") for the error message, and
 * the macros below pass the caller's file:line so the error points at the parser, not at here. */
TG_MUST_CHECK tg_status tg_read_u8_at(tg_reader *r, uint8_t *v, const char *field, const char *file,
                                      int line);
TG_MUST_CHECK tg_status tg_read_u16_at(tg_reader *r, uint16_t *v, const char *field,
                                       const char *file, int line);
TG_MUST_CHECK tg_status tg_read_u24_at(tg_reader *r, uint32_t *v, const char *field,
                                       const char *file, int line);
TG_MUST_CHECK tg_status tg_read_u32_at(tg_reader *r, uint32_t *v, const char *field,
                                       const char *file, int line);
/* n bytes as a view into the input. */
TG_MUST_CHECK tg_status tg_read_bytes_at(tg_reader *r, size_t n, tg_bytes *out, const char *field,
                                         const char *file, int line);
/* n bytes copied into out (for fixed-size fields such as Random). */
TG_MUST_CHECK tg_status tg_read_copy_at(tg_reader *r, void *out, size_t n, const char *field,
                                        const char *file, int line);
/* A vector <min..max> with a prefix of prefix_len (1, 2, 3 or 4) bytes: the body as a sub-reader.
 * A length outside [min, max] or beyond the input is a decode_error. */
TG_MUST_CHECK tg_status tg_read_vec_at(tg_reader *r, unsigned prefix_len, size_t min, size_t max,
                                       tg_reader *sub, const char *field, const char *file,
                                       int line);
/* The same, for vectors of 2-byte items: an odd length is a decode_error too. */
TG_MUST_CHECK tg_status tg_read_vec16s_at(tg_reader *r, unsigned prefix_len, size_t min, size_t max,
                                          tg_reader *sub, const char *field, const char *file,
                                          int line);
/* Fails with decode_error if r has bytes left. */
TG_MUST_CHECK tg_status tg_read_done_at(const tg_reader *r, const char *field, const char *file,
                                        int line);

#define tg_read_u8(r, v, field) tg_read_u8_at((r), (v), (field), TG_HERE)
#define tg_read_u16(r, v, field) tg_read_u16_at((r), (v), (field), TG_HERE)
#define tg_read_u24(r, v, field) tg_read_u24_at((r), (v), (field), TG_HERE)
#define tg_read_u32(r, v, field) tg_read_u32_at((r), (v), (field), TG_HERE)
#define tg_read_bytes(r, n, out, field) tg_read_bytes_at((r), (n), (out), (field), TG_HERE)
#define tg_read_copy(r, out, n, field) tg_read_copy_at((r), (out), (n), (field), TG_HERE)
#define tg_read_vec(r, plen, min, max, sub, field)                                                 \
  tg_read_vec_at((r), (plen), (min), (max), (sub), (field), TG_HERE)
#define tg_read_vec16s(r, plen, min, max, sub, field)                                              \
  tg_read_vec16s_at((r), (plen), (min), (max), (sub), (field), TG_HERE)
#define tg_read_done(r, field) tg_read_done_at((r), (field), TG_HERE)

/* The remaining bytes of r as a view (the body of a vector just read). */
static inline tg_bytes tg_reader_rest(const tg_reader *r) { return tg_bytes_of(r->p, tg_left(r)); }

/* A list of big-endian uint16 items (cipher_suites, supported_groups, ...) kept as its wire bytes.
 */
static inline size_t tg_u16s_count(tg_bytes list) { return list.len / 2; }
static inline uint16_t tg_u16s_get(tg_bytes list, size_t i) {
  return (uint16_t)((list.p[2 * i] << 8) | list.p[2 * i + 1]);
}
bool tg_u16s_contains(tg_bytes list, uint16_t v);

/* ---- Writer ---------------------------------------------------------------------------------- */

typedef struct tg_writer {
  uint8_t *buf;
  size_t len;
  size_t cap;
  bool growable;    /* buf is malloc'ed and grows; otherwise a full buffer is an error */
  tg_status status; /* sticky: the first failure */
  tg_err *err;
} tg_writer;

/* Over a caller buffer of cap bytes. */
void tg_writer_init(tg_writer *w, uint8_t *buf, size_t cap, tg_err *err);
/* Over a heap buffer that grows; free it with tg_writer_free. */
void tg_writer_init_dynamic(tg_writer *w, tg_err *err);
void tg_writer_free(tg_writer *w);
TG_MUST_CHECK static inline tg_status tg_writer_status(const tg_writer *w) { return w->status; }
static inline tg_bytes tg_writer_bytes(const tg_writer *w) { return tg_bytes_of(w->buf, w->len); }

void tg_w_u8(tg_writer *w, uint8_t v);
void tg_w_u16(tg_writer *w, uint16_t v);
void tg_w_u24(tg_writer *w, uint32_t v);
void tg_w_u32(tg_writer *w, uint32_t v);
void tg_w_bytes(tg_writer *w, const void *p, size_t n);
static inline void tg_w_view(tg_writer *w, tg_bytes b) { tg_w_bytes(w, b.p, b.len); }
/* Space for n bytes the caller fills in; NULL (and a sticky error) if it cannot be had. */
uint8_t *tg_w_reserve(tg_writer *w, size_t n);

/* Opens a vector with a prefix_len-byte length; returns the mark to give tg_w_close. */
size_t tg_w_open(tg_writer *w, unsigned prefix_len);
/* Fills in the length of the vector opened at mark; an error if it exceeds max or the prefix. */
void tg_w_close_at(tg_writer *w, size_t mark, unsigned prefix_len, size_t max, const char *field,
                   const char *file, int line);
#define tg_w_close(w, mark, plen, max, field)                                                      \
  tg_w_close_at((w), (mark), (plen), (max), (field), TG_HERE)
/* A whole vector at once: prefix then bytes. */
void tg_w_vec(tg_writer *w, unsigned prefix_len, tg_bytes body);

/* ---- Constant time -----------------------------------------------------------------------------
 */

/* 1 when a and b (both n bytes) are equal; time depends on n only. For MACs and Finished. */
int tg_ct_eq(const void *a, const void *b, size_t n);

#endif
