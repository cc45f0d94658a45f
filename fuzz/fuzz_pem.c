/* fuzz_pem: the input as PEM text (RFC 7468), every block found and decoded. Oracles: a failure
 * carries a decode_error err with a location; blocks and labels are views inside the input and
 * lines only move forward; a decoded body is the canonical base64 of its output (RFC 4648 §4,
 * the strictness tg/pem.h promises: no stray characters, padding and pad bits canonical), once
 * the line-end whitespace tg_pem_decode tolerates is removed. */
#include "fuzz_common.h"
#include "tg/pem.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The body's characters without the whitespace and line ends a PEM body may carry. */
static size_t strip(tg_bytes body, char *out) {
  size_t n = 0;
  for (size_t i = 0; i < body.len; i++)
    if (!strchr(" \t\r\n", body.p[i]) || body.p[i] == '\0')
      out[n++] = (char)body.p[i];
  return n;
}

/* RFC 4648 §4 with padding. */
static size_t encode(tg_bytes in, char *out) {
  size_t n = 0;
  for (size_t i = 0; i < in.len; i += 3) {
    uint32_t v = (uint32_t)in.p[i] << 16;
    if (i + 1 < in.len)
      v |= (uint32_t)in.p[i + 1] << 8;
    if (i + 2 < in.len)
      v |= in.p[i + 2];
    out[n++] = b64[v >> 18 & 63];
    out[n++] = b64[v >> 12 & 63];
    out[n++] = i + 1 < in.len ? b64[v >> 6 & 63] : '=';
    out[n++] = i + 2 < in.len ? b64[v & 63] : '=';
  }
  return n;
}

static void check_block(const tg_pem_block *b, const uint8_t *data, size_t size) {
  TG_FUZZ_ASSERT(b->label.len > 0 && b->label.p >= data && b->label.p + b->label.len <= data + size,
                 "the label lies outside the input");
  TG_FUZZ_ASSERT(b->body.len == 0 || (b->body.p >= data && b->body.p + b->body.len <= data + size),
                 "the body lies outside the input");
  tg_writer w;
  tg_err err = {0};
  tg_writer_init_dynamic(&w, &err);
  tg_status st = tg_pem_decode(b, &w, &err);
  tg_fuzz_check_err(st, &err);
  if (st != TG_OK) {
    TG_FUZZ_ASSERT(err.alert == TG_ALERT_decode_error, "alert %d", err.alert);
  } else {
    char *chars = malloc(b->body.len + 1), *canon = malloc(w.len / 3 * 4 + 5);
    TG_FUZZ_ASSERT(chars != NULL && canon != NULL, "out of memory");
    size_t n = strip(b->body, chars), m = encode(tg_writer_bytes(&w), canon);
    TG_FUZZ_ASSERT(n == m && memcmp(chars, canon, n) == 0,
                   "%zu decoded octets re-encode to %zu characters, the body has %zu", w.len, m, n);
    free(chars);
    free(canon);
  }
  tg_writer_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tg_reader text;
  tg_err err = {0};
  size_t line = 0, blocks = 0;
  tg_reader_init(&text, data, size, &err);
  for (;;) {
    tg_pem_block block;
    bool found = false;
    size_t before = line;
    tg_status st = tg_pem_next(&text, &line, &block, &found, &err);
    tg_fuzz_check_err(st, &err);
    if (st != TG_OK) {
      TG_FUZZ_ASSERT(err.alert == TG_ALERT_decode_error, "alert %d", err.alert);
      break;
    }
    if (!found)
      break;
    TG_FUZZ_ASSERT(block.begin_line > before && block.begin_line < line,
                   "block at line %zu, read from %zu to %zu", block.begin_line, before, line);
    check_block(&block, data, size);
    blocks++;
    TG_FUZZ_ASSERT(blocks <= size / 30 + 1, "%zu blocks in %zu octets", blocks, size);
  }
  return 0;
}
