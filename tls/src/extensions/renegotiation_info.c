/* renegotiation_info (RFC 5746 §3.2). */
#include "tg/ext/renegotiation_info.h"
#include "tg/names.h"

/* struct { opaque renegotiated_connection<0..255>; } RenegotiationInfo; */
static tg_status read_info(tg_reader *r, tg_renegotiation_info *out) {
  tg_reader v;
  TG_TRY(tg_read_vec(r, 1, 0, 255, &v, "RenegotiationInfo.renegotiated_connection"));
  out->renegotiated_connection = tg_reader_rest(&v);
  return TG_OK;
}

tg_status tg_renegotiation_info_parse(tg_bytes body, tg_renegotiation_info *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_info(&r, out));
  return tg_read_done(&r, "RenegotiationInfo");
}

void tg_renegotiation_info_emit(tg_writer *w, const tg_renegotiation_info *ri) {
  tg_w_u16(w, TG_EXT_renegotiation_info);
  size_t ext = tg_w_open(w, 2);
  tg_w_vec(w, 1, ri->renegotiated_connection);
  tg_w_close(w, ext, 2, 65535, "renegotiation_info extension_data");
}

/* Whether renegotiated_connection must be empty (initial handshake) or hold the previous
 * verify_data (RFC 5746 §3.4, §3.6: handshake_failure otherwise) depends on the connection; that
 * is the engine's check. One form in ClientHello and ServerHello. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_renegotiation_info_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_renegotiation_info_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  (void)where;
  tg_renegotiation_info ri;
  if (tg_renegotiation_info_parse(body, &ri, NULL) != TG_OK) {
    tg_dump_bytes(d, "extension_data", body);
    return;
  }
  tg_dump_bytes(d, "renegotiated_connection", ri.renegotiated_connection);
}

/* Not a TLS 1.3 extension: allowed13 is 0 (a 1.3 ClientHello may still carry it). */
const tg_ext_desc tg_ext_renegotiation_info_desc = {
    .type = TG_EXT_renegotiation_info,
    .name = "renegotiation_info",
    .allowed13 = 0,
    .value_size = sizeof(tg_renegotiation_info),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
