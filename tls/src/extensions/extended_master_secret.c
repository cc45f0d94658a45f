/* extended_master_secret (RFC 7627). */
#include "tg/ext/extended_master_secret.h"
#include "tg/names.h"

/* RFC 7627 §5.1: "The "extension_data" field of this extension is empty." */
static tg_status check(tg_reader *body, const tg_ext_where *where) {
  (void)where;
  return tg_read_done(body, "extended_master_secret extension_data");
}

tg_status tg_extended_master_secret_parse(tg_bytes body, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return check(&r, NULL);
}

void tg_extended_master_secret_emit(tg_writer *w) {
  tg_ext_emit_raw(w, TG_EXT_extended_master_secret, tg_bytes_of(NULL, 0));
}

/* Not in RFC 8446 §4.2: the TLS 1.3 key schedule already covers the transcript. */
const tg_ext_desc tg_ext_extended_master_secret_desc = {TG_EXT_extended_master_secret,
                                                        "extended_master_secret", 0, check, NULL};
