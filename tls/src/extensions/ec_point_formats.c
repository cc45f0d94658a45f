/* ec_point_formats (RFC 8422 §5.1.2). */
#include <string.h>

#include "tg/ext/ec_point_formats.h"
#include "tg/names.h"

static const char *format_name(uint8_t f) {
  switch (f) {
  case TG_EC_POINT_uncompressed: return "uncompressed";
  case TG_EC_POINT_ansiX962_compressed_prime: return "ansiX962_compressed_prime";
  case TG_EC_POINT_ansiX962_compressed_char2: return "ansiX962_compressed_char2";
  }
  return NULL;
}

static tg_status read_pf(tg_reader *r, tg_ec_point_formats *out) {
  tg_reader list;
  /* RFC 8422 §5.1.2: ECPointFormat ec_point_format_list<1..2^8-1>. Unknown formats are kept:
   * the peer chooses among the formats it knows. */
  TG_TRY(tg_read_vec(r, 1, 1, 255, &list, "ECPointFormatList.ec_point_format_list"));
  out->ec_point_format_list = tg_reader_rest(&list);
  return tg_read_done(r, "ec_point_formats extension_data");
}

tg_status tg_ec_point_formats_parse(tg_bytes body, tg_ec_point_formats *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_pf(&r, out);
}

bool tg_ec_point_formats_has(const tg_ec_point_formats *pf, uint8_t format) {
  const tg_bytes l = pf->ec_point_format_list;
  return l.len > 0 && memchr(l.p, format, l.len) != NULL;
}

void tg_ec_point_formats_emit(tg_writer *w, const tg_ec_point_formats *pf) {
  tg_w_u16(w, TG_EXT_ec_point_formats);
  size_t ext = tg_w_open(w, 2);
  size_t list = tg_w_open(w, 1);
  tg_w_view(w, pf->ec_point_format_list);
  tg_w_close(w, list, 1, 255, "ECPointFormatList.ec_point_format_list");
  tg_w_close(w, ext, 2, 65535, "ec_point_formats extension_data");
}

/* One form in ClientHello and ServerHello. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_ec_point_formats_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_ec_point_formats_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_ec_point_formats pf;
  tg_reader r;
  uint8_t f;
  (void)where;
  if (tg_ec_point_formats_parse(body, &pf, NULL) != TG_OK)
    return;
  tg_dump_list(d, "ec_point_format_list");
  tg_reader_init(&r, pf.ec_point_format_list.p, pf.ec_point_format_list.len, NULL);
  while (tg_read_u8(&r, &f, "ECPointFormat") == TG_OK)
    tg_dump_uint(d, NULL, f, format_name(f));
  tg_dump_end(d);
}

/* Not in RFC 8446 §4.2 (TLS 1.3 fixes the point format per group). */
const tg_ext_desc tg_ext_ec_point_formats_desc = {
    .type = TG_EXT_ec_point_formats,
    .name = "ec_point_formats",
    .allowed13 = 0,
    .value_size = sizeof(tg_ec_point_formats),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
