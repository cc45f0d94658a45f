/* post_handshake_auth (RFC 8446 §4.2.6). */
#include "tg/ext/post_handshake_auth.h"
#include "tg/names.h"

/* RFC 8446 §4.2.6: "The "extension_data" field of the "post_handshake_auth" extension is zero
 * length." Anything in it is a length error: decode_error. */
static tg_status read_empty(tg_reader *r) { return tg_read_done(r, "post_handshake_auth"); }

tg_status tg_post_handshake_auth_parse(tg_bytes body, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_empty(&r);
}

void tg_post_handshake_auth_emit(tg_writer *w) {
  tg_w_u16(w, TG_EXT_post_handshake_auth);
  tg_w_u16(w, 0);
}

/* No fields: the descriptor's value is empty. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  (void)value;
  return tg_post_handshake_auth_parse(body, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  (void)value;
  tg_post_handshake_auth_emit(w);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  (void)where;
  if (body.len != 0)
    tg_dump_bytes(d, "extension_data", body);
}

const tg_ext_desc tg_ext_post_handshake_auth_desc = {
    .type = TG_EXT_post_handshake_auth,
    .name = "post_handshake_auth",
    .allowed13 = TG_CTX_CH,
    .value_size = 0,
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
