/* padding (RFC 7685). */
#include "tg/ext/padding.h"
#include "tg/names.h"

/* RFC 7685 §3: "The client MUST fill the padding extension completely with zero bytes,
 * although the padding extension_data field may be empty." The RFC names no reaction for the
 * server; a non-zero byte is a value the RFC forbids, so this parser (strict, as a conformance
 * tool's must be) rejects it with illegal_parameter. The engine decides whether to act on it. */
static tg_status read_padding(tg_reader *r, tg_padding *out) {
  out->padding_len = tg_left(r);
  for (size_t i = 0; tg_left(r) > 0; i++) {
    uint8_t b;
    TG_TRY(tg_read_u8(r, &b, "padding_data"));
    TG_ENSURE(r->err, b == 0, illegal_parameter, TG_E_BAD_VALUE,
              "padding_data has byte 0x%02x at offset %zu, not zero", b, i);
  }
  return TG_OK;
}

tg_status tg_padding_parse(tg_bytes body, tg_padding *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_padding(&r, out);
}

void tg_padding_emit(tg_writer *w, const tg_padding *p) {
  tg_w_u16(w, TG_EXT_padding);
  size_t ext = tg_w_open(w, 2);
  for (size_t i = 0; i < p->padding_len; i++)
    tg_w_u8(w, 0);
  tg_w_close(w, ext, 2, 65535, "padding extension_data");
}

/* ClientHello only; one form. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_padding_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_padding_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  (void)where;
  tg_dump_uint(d, "padding_length", body.len, NULL);
}

/* RFC 8446 §4.2: CH only. */
const tg_ext_desc tg_ext_padding_desc = {
    .type = TG_EXT_padding,
    .name = "padding",
    .allowed13 = TG_CTX_CH,
    .value_size = sizeof(tg_padding),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
