/* extended_master_secret (RFC 7627). */
#include "tg/ext/extended_master_secret.h"
#include "tg/names.h"

/* RFC 7627 §5.1: "The "extension_data" field of this extension is empty." */
tg_status tg_extended_master_secret_parse(tg_bytes body, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return tg_read_done(&r, "extended_master_secret extension_data");
}

void tg_extended_master_secret_emit(tg_writer *w) {
  tg_ext_emit_raw(w, TG_EXT_extended_master_secret, tg_bytes_of(NULL, 0));
}

/* No fields: the descriptor's value is empty. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  (void)value;
  return tg_extended_master_secret_parse(body, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  (void)value;
  tg_extended_master_secret_emit(w);
}

/* Not in RFC 8446 §4.2: the TLS 1.3 key schedule already covers the transcript. */
const tg_ext_desc tg_ext_extended_master_secret_desc = {
    .type = TG_EXT_extended_master_secret,
    .name = "extended_master_secret",
    .allowed13 = 0,
    .value_size = 0,
    .parse = parse,
    .emit = emit,
    .describe = NULL,
};
