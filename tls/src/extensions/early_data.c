/* early_data (RFC 8446 §4.2.10). */
#include "tg/ext/early_data.h"
#include "tg/names.h"

/* RFC 8446 §4.2.10: in ClientHello and EncryptedExtensions "the "extension_data" field of this
 * extension contains an "EarlyDataIndication" value" that is empty: content is decode_error. */
static tg_status read_empty(tg_reader *r) { return tg_read_done(r, "EarlyDataIndication"); }

/* NewSessionTicket: struct { uint32 max_early_data_size; } */
static tg_status read_nst(tg_reader *r, tg_early_data_nst *out) {
  return tg_read_u32(r, &out->max_early_data_size, "EarlyDataIndication.max_early_data_size");
}

tg_status tg_early_data_parse_empty(tg_bytes body, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_empty(&r);
}

tg_status tg_early_data_parse_nst(tg_bytes body, tg_early_data_nst *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_nst(&r, out));
  return tg_read_done(&r, "EarlyDataIndication");
}

void tg_early_data_emit_empty(tg_writer *w) {
  tg_w_u16(w, TG_EXT_early_data);
  tg_w_u16(w, 0);
}

void tg_early_data_emit_nst(tg_writer *w, const tg_early_data_nst *ed) {
  tg_w_u16(w, TG_EXT_early_data);
  tg_w_u16(w, 4);
  tg_w_u32(w, ed->max_early_data_size);
}

/* NewSessionTicket: the value is a tg_early_data_nst. ClientHello and EncryptedExtensions: an
 * empty body, no value. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  if (where->ctx == TG_CTX_NST)
    return tg_early_data_parse_nst(body, value, err);
  return tg_early_data_parse_empty(body, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  if (where->ctx == TG_CTX_NST)
    tg_early_data_emit_nst(w, value);
  else
    tg_early_data_emit_empty(w);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_early_data_nst nst;
  if (where->ctx == TG_CTX_NST && tg_early_data_parse_nst(body, &nst, NULL) == TG_OK)
    tg_dump_uint(d, "max_early_data_size", nst.max_early_data_size, NULL);
  else if (body.len != 0)
    tg_dump_bytes(d, "extension_data", body);
}

const tg_ext_desc tg_ext_early_data_desc = {
    .type = TG_EXT_early_data,
    .name = "early_data",
    .allowed13 = TG_CTX_CH | TG_CTX_EE | TG_CTX_NST,
    .value_size = sizeof(tg_early_data_nst),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
