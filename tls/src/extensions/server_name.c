/* server_name (RFC 6066 §3). */
#include "tg/ext/server_name.h"
#include "tg/names.h"

/* Reads a ServerNameList that fills r. */
static tg_status read_list(tg_reader *r, tg_server_name_ch *out) {
  tg_reader list;
  uint8_t seen[256 / 8] = {0};
  TG_TRY(tg_read_vec(r, 2, 1, 65535, &list, "ServerNameList.server_name_list"));
  out->server_name_list = tg_reader_rest(&list);
  out->host_name = tg_bytes_of(NULL, 0);
  while (tg_left(&list) > 0) {
    uint8_t name_type;
    tg_reader name;
    TG_TRY(tg_read_u8(&list, &name_type, "ServerName.name_type"));
    TG_TRY(tg_read_vec(&list, 2, 1, 65535, &name, "ServerName.host_name"));
    /* RFC 6066 §3: "The ServerNameList MUST NOT contain more than one name of the same
     * name_type. If the server understood the ClientHello extension but does not recognize the
     * server name, ..." A repeated type is a forbidden value, not a framing error. */
    TG_ENSURE(r->err, !(seen[name_type / 8] & (1u << (name_type % 8))), illegal_parameter,
              TG_E_DUPLICATE, "ServerNameList.server_name_list has a second name of name_type %u",
              name_type);
    seen[name_type / 8] |= (uint8_t)(1u << (name_type % 8));
    if (name_type == TG_HOST_NAME)
      out->host_name = tg_reader_rest(&name);
  }
  return tg_read_done(r, "server_name extension_data");
}

/* RFC 6066 §3: the server's extension_data "SHALL be empty". */
static tg_status read_empty(tg_reader *r) {
  return tg_read_done(r, "server_name extension_data (ServerHello/EncryptedExtensions)");
}

tg_status tg_server_name_parse_ch(tg_bytes body, tg_server_name_ch *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_list(&r, out);
}

tg_status tg_server_name_parse_sh(tg_bytes body, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_empty(&r);
}

void tg_server_name_iter_init(tg_server_name_iter *it, tg_bytes server_name_list) {
  tg_reader_init(&it->r, server_name_list.p, server_name_list.len, NULL);
}

bool tg_server_name_next(tg_server_name_iter *it, uint8_t *name_type, tg_bytes *name) {
  tg_reader v;
  if (tg_left(&it->r) == 0 || tg_read_u8(&it->r, name_type, "name_type") != TG_OK ||
      tg_read_vec(&it->r, 2, 1, 65535, &v, "name") != TG_OK)
    return false;
  *name = tg_reader_rest(&v);
  return true;
}

void tg_server_name_emit_ch(tg_writer *w, const tg_server_name_ch *sn) {
  tg_w_u16(w, TG_EXT_server_name);
  size_t ext = tg_w_open(w, 2);
  size_t list = tg_w_open(w, 2);
  tg_w_view(w, sn->server_name_list);
  tg_w_close(w, list, 2, 65535, "ServerNameList.server_name_list");
  tg_w_close(w, ext, 2, 65535, "server_name extension_data");
}

void tg_server_name_emit_host_name(tg_writer *w, tg_bytes host_name) {
  tg_w_u16(w, TG_EXT_server_name);
  size_t ext = tg_w_open(w, 2);
  size_t list = tg_w_open(w, 2);
  tg_w_u8(w, TG_HOST_NAME);
  tg_w_vec(w, 2, host_name);
  tg_w_close(w, list, 2, 65535, "ServerNameList.server_name_list");
  tg_w_close(w, ext, 2, 65535, "server_name extension_data");
}

void tg_server_name_emit_sh(tg_writer *w) {
  tg_ext_emit_raw(w, TG_EXT_server_name, tg_bytes_of(NULL, 0));
}

/* ClientHello: the value is a tg_server_name_ch. ServerHello and EncryptedExtensions: an empty
 * body, no value. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  if (where->ctx == TG_CTX_CH)
    return tg_server_name_parse_ch(body, value, err);
  return tg_server_name_parse_sh(body, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  if (where->ctx == TG_CTX_CH)
    tg_server_name_emit_ch(w, value);
  else
    tg_server_name_emit_sh(w);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_server_name_ch sn;
  if (where->ctx != TG_CTX_CH || tg_server_name_parse_ch(body, &sn, NULL) != TG_OK)
    return; /* the empty form has no fields */
  tg_server_name_iter it;
  uint8_t name_type;
  tg_bytes name;
  tg_dump_list(d, "server_name_list");
  tg_server_name_iter_init(&it, sn.server_name_list);
  while (tg_server_name_next(&it, &name_type, &name)) {
    tg_dump_begin(d, NULL);
    tg_dump_uint(d, "name_type", name_type, name_type == TG_HOST_NAME ? "host_name" : NULL);
    if (name_type == TG_HOST_NAME)
      tg_dump_text(d, "host_name", name);
    else
      tg_dump_bytes(d, "name", name);
    tg_dump_end(d);
  }
  tg_dump_end(d);
}

/* RFC 8446 §4.2: CH, EE. */
const tg_ext_desc tg_ext_server_name_desc = {
    .type = TG_EXT_server_name,
    .name = "server_name",
    .allowed13 = TG_CTX_CH | TG_CTX_EE,
    .value_size = sizeof(tg_server_name_ch),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
