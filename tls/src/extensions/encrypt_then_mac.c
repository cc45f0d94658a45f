/* encrypt_then_mac (RFC 7366). */
#include "tg/ext/encrypt_then_mac.h"
#include "tg/names.h"

/* RFC 7366 §2: "The "extension_data" field of this extension SHALL be empty." */
tg_status tg_encrypt_then_mac_parse(tg_bytes body, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return tg_read_done(&r, "encrypt_then_mac extension_data");
}

void tg_encrypt_then_mac_emit(tg_writer *w) {
  tg_ext_emit_raw(w, TG_EXT_encrypt_then_mac, tg_bytes_of(NULL, 0));
}

/* No fields: the descriptor's value is empty. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  (void)value;
  return tg_encrypt_then_mac_parse(body, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  (void)value;
  tg_encrypt_then_mac_emit(w);
}

/* Not in RFC 8446 §4.2: TLS 1.3 has no CBC suites. No fields to describe. */
const tg_ext_desc tg_ext_encrypt_then_mac_desc = {
    .type = TG_EXT_encrypt_then_mac,
    .name = "encrypt_then_mac",
    .allowed13 = 0,
    .value_size = 0,
    .parse = parse,
    .emit = emit,
    .describe = NULL,
};
