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

static tg_status check(tg_reader *body, const tg_ext_where *where) {
  (void)where;
  return read_empty(body);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  (void)where;
  if (body.len != 0)
    tg_dump_bytes(d, "extension_data", body);
}

const tg_ext_desc tg_ext_post_handshake_auth_desc = {
    TG_EXT_post_handshake_auth, "post_handshake_auth", TG_CTX_CH, check, describe};
