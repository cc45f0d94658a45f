/* cookie (RFC 8446 §4.2.2). */
#include "tg/ext/cookie.h"
#include "tg/names.h"

/* struct { opaque cookie<1..2^16-1>; } Cookie; the same in HelloRetryRequest and ClientHello. */
static tg_status read_cookie(tg_reader *r, tg_cookie *out) {
  tg_reader v;
  /* RFC 8446 §4.2.2: an empty cookie is below the vector's minimum: decode_error. */
  TG_TRY(tg_read_vec(r, 2, 1, 65535, &v, "Cookie.cookie"));
  out->cookie = tg_reader_rest(&v);
  return TG_OK;
}

tg_status tg_cookie_parse(tg_bytes body, tg_cookie *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_cookie(&r, out));
  return tg_read_done(&r, "Cookie");
}

void tg_cookie_emit(tg_writer *w, const tg_cookie *c) {
  tg_w_u16(w, TG_EXT_cookie);
  size_t ext = tg_w_open(w, 2);
  tg_w_vec(w, 2, c->cookie);
  tg_w_close(w, ext, 2, 65535, "cookie extension_data");
}

/* One form, in HelloRetryRequest and ClientHello: the value is a tg_cookie. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_cookie_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_cookie_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  (void)where;
  tg_cookie c;
  if (tg_cookie_parse(body, &c, NULL) != TG_OK) {
    tg_dump_bytes(d, "extension_data", body);
    return;
  }
  tg_dump_bytes(d, "cookie", c.cookie);
}

const tg_ext_desc tg_ext_cookie_desc = {
    .type = TG_EXT_cookie,
    .name = "cookie",
    .allowed13 = TG_CTX_CH | TG_CTX_HRR,
    .value_size = sizeof(tg_cookie),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
