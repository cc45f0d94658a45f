/* PEM blocks (RFC 7468) and strict base64 (RFC 4648 §4). */
#include <string.h>

#include "tg/pem.h"

static const char begin_prefix[] = "-----BEGIN ";
static const char end_prefix[] = "-----END ";
static const char dashes[] = "-----";

static bool is_wsp(uint8_t c) { return c == ' ' || c == '\t' || c == '\r'; }

/* The next line without its '\n' and without trailing whitespace (RFC 7468 §3 allows WSP at the
 * end of lines and CRLF line ends). */
static tg_status read_line(tg_reader *t, tg_bytes *line) {
  tg_bytes rest = tg_reader_rest(t);
  const uint8_t *nl = rest.len ? memchr(rest.p, '\n', rest.len) : NULL;
  size_t n = nl ? (size_t)(nl - rest.p) : rest.len;
  tg_bytes raw, eol;
  TG_TRY(tg_read_bytes(t, n, &raw, "PEM line"));
  if (nl != NULL)
    TG_TRY(tg_read_bytes(t, 1, &eol, "PEM line"));
  while (raw.len > 0 && is_wsp(raw.p[raw.len - 1]))
    raw.len--;
  *line = raw;
  return TG_OK;
}

static bool starts_with(tg_bytes s, const char *prefix) {
  size_t n = strlen(prefix);
  return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

static bool ends_with(tg_bytes s, const char *suffix) {
  size_t n = strlen(suffix);
  return s.len >= n && memcmp(s.p + s.len - n, suffix, n) == 0;
}

/* "-----<prefix>label-----": the label, or an empty view when the line is not of that shape. */
static tg_bytes boundary_label(tg_bytes line, const char *prefix) {
  size_t n = strlen(prefix);
  if (!starts_with(line, prefix) || line.len < n + strlen(dashes) || !ends_with(line, dashes))
    return tg_bytes_of(NULL, 0);
  return tg_bytes_of(line.p + n, line.len - n - strlen(dashes));
}

bool tg_pem_label_is(const tg_pem_block *block, const char *label) {
  return tg_bytes_eq(block->label, tg_bytes_of(label, strlen(label)));
}

tg_status tg_pem_next(tg_reader *text, size_t *line, tg_pem_block *block, bool *found,
                      tg_err *err) {
  tg_bytes l;
  *found = false;
  /* RFC 7468 §2: text before the encapsulation boundary is allowed and skipped. */
  for (;;) {
    if (tg_left(text) == 0)
      return TG_OK;
    TG_TRY(read_line(text, &l));
    ++*line;
    block->label = boundary_label(l, begin_prefix);
    if (block->label.len > 0)
      break;
    TG_ENSURE(err, !starts_with(l, begin_prefix), decode_error, TG_E_BAD_VALUE,
              "PEM line %zu: malformed BEGIN line", *line);
  }
  block->begin_line = *line;
  const uint8_t *body_start = text->p;
  while (tg_left(text) > 0) {
    const uint8_t *line_start = text->p;
    TG_TRY(read_line(text, &l));
    ++*line;
    if (starts_with(l, end_prefix)) {
      tg_bytes label = boundary_label(l, end_prefix);
      /* RFC 7468 §2: the END label is the BEGIN label. */
      TG_ENSURE(err, label.len > 0, decode_error, TG_E_BAD_VALUE,
                "PEM line %zu: malformed END line (text after the closing dashes?)", *line);
      TG_ENSURE(err, tg_bytes_eq(label, block->label), decode_error, TG_E_BAD_VALUE,
                "PEM line %zu: END label \"%.*s\" does not match BEGIN label \"%.*s\"", *line,
                (int)label.len, (const char *)label.p, (int)block->label.len,
                (const char *)block->label.p);
      block->body = tg_bytes_of(body_start, (size_t)(line_start - body_start));
      *found = true;
      return TG_OK;
    }
    TG_ENSURE(err, !starts_with(l, begin_prefix), decode_error, TG_E_TRUNCATED,
              "PEM line %zu: BEGIN before the END of the block begun at line %zu", *line,
              block->begin_line);
  }
  return TG_FAIL(err, decode_error, TG_E_TRUNCATED,
                 "PEM: no END line for the \"%.*s\" block at line %zu", (int)block->label.len,
                 (const char *)block->label.p, block->begin_line);
}

/* RFC 4648 §4 alphabet; -1 for anything else. */
static int b64_value(uint8_t c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* One 4-character quantum; pads counts its trailing '='. */
typedef struct quantum {
  uint8_t v[4];
  unsigned n, pads;
  bool finished; /* a padded quantum was written: nothing may follow */
} quantum;

static tg_status flush(quantum *q, tg_writer *w, size_t line, tg_err *err) {
  uint32_t bits =
      (uint32_t)q->v[0] << 18 | (uint32_t)q->v[1] << 12 | (uint32_t)q->v[2] << 6 | q->v[3];
  /* RFC 4648 §3.5: the pad bits of the last quantum are zero in a canonical encoding. */
  uint32_t pad_mask = q->pads == 2 ? 0xffff : q->pads == 1 ? 0xff : 0;
  TG_ENSURE(err, (bits & pad_mask) == 0, decode_error, TG_E_BAD_VALUE,
            "PEM line %zu: base64 padding bits are not zero", line);
  for (unsigned i = 0; i < 3 - q->pads; i++)
    tg_w_u8(w, (uint8_t)(bits >> (16 - 8 * i)));
  q->finished = q->pads > 0;
  q->n = q->pads = 0;
  return TG_OK;
}

static tg_status decode_char(quantum *q, uint8_t c, tg_writer *w, size_t line, tg_err *err) {
  TG_ENSURE(err, !q->finished, decode_error, TG_E_TRAILING,
            "PEM line %zu: base64 continues after the '=' padding", line);
  if (c == '=') {
    /* RFC 4648 §4: at most two '=' and only in the last two positions of a quantum. */
    TG_ENSURE(err, q->n >= 2, decode_error, TG_E_BAD_VALUE,
              "PEM line %zu: '=' padding at position %u of a base64 quantum", line, q->n + 1);
    q->pads++;
    q->v[q->n++] = 0;
  } else {
    int v = b64_value(c);
    TG_ENSURE(err, v >= 0, decode_error, TG_E_BAD_VALUE,
              "PEM line %zu: character 0x%02x is not base64", line, c);
    TG_ENSURE(err, q->pads == 0, decode_error, TG_E_BAD_VALUE,
              "PEM line %zu: base64 data after '=' padding", line);
    q->v[q->n++] = (uint8_t)v;
  }
  if (q->n == 4)
    return flush(q, w, line, err);
  return TG_OK;
}

tg_status tg_pem_decode(const tg_pem_block *block, tg_writer *w, tg_err *err) {
  tg_reader body;
  quantum q = {{0}, 0, 0, false};
  size_t line = block->begin_line;
  tg_reader_init(&body, block->body.p, block->body.len, err);
  while (tg_left(&body) > 0) {
    tg_bytes l;
    TG_TRY(read_line(&body, &l));
    line++;
    /* RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") mark legacy encrypted keys. */
    TG_ENSURE(err, l.len == 0 || memchr(l.p, ':', l.len) == NULL, decode_error, TG_E_BAD_VALUE,
              "PEM line %zu: header lines (encrypted PEM?) are not supported", line);
    tg_reader chars;
    tg_reader_init(&chars, l.p, l.len, err);
    while (tg_left(&chars) > 0) {
      uint8_t c;
      TG_TRY(tg_read_u8(&chars, &c, "PEM base64"));
      TG_TRY(decode_char(&q, c, w, line, err));
    }
  }
  TG_ENSURE(err, q.n == 0, decode_error, TG_E_TRUNCATED,
            "PEM line %zu: base64 ends inside a quantum (%u of 4 characters; missing padding?)",
            line, q.n);
  return tg_writer_status(w);
}
