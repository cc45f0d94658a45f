/* encrypt_then_mac (RFC 7366). */
#include "tg/ext/encrypt_then_mac.h"
#include "tg/names.h"

/* RFC 7366 §2: "The "extension_data" field of this extension SHALL be empty." */
static tg_status check(tg_reader *body, const tg_ext_where *where) {
  (void)where;
  return tg_read_done(body, "encrypt_then_mac extension_data");
}

tg_status tg_encrypt_then_mac_parse(tg_bytes body, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return check(&r, NULL);
}

void tg_encrypt_then_mac_emit(tg_writer *w) {
  tg_ext_emit_raw(w, TG_EXT_encrypt_then_mac, tg_bytes_of(NULL, 0));
}

/* Not in RFC 8446 §4.2: TLS 1.3 has no CBC suites. No fields to describe. */
const tg_ext_desc tg_ext_encrypt_then_mac_desc = {TG_EXT_encrypt_then_mac, "encrypt_then_mac", 0,
                                                  check, NULL};
