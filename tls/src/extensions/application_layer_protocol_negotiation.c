/* application_layer_protocol_negotiation (RFC 7301 §3.1). */
#include "tg/ext/alpn.h"
#include "tg/names.h"

/* Reads a ProtocolNameList that fills r: its entries as wire bytes, their count, the first. */
static tg_status read_list(tg_reader *r, tg_bytes *list_bytes, size_t *n, tg_bytes *first) {
  tg_reader list;
  /* RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>, ProtocolName<1..2^8-1>:
   * "Empty strings MUST NOT be included and byte strings MUST NOT be truncated." */
  TG_TRY(tg_read_vec(r, 2, 2, 65535, &list, "ProtocolNameList.protocol_name_list"));
  *list_bytes = tg_reader_rest(&list);
  *n = 0;
  while (tg_left(&list) > 0) {
    tg_reader name;
    TG_TRY(tg_read_vec(&list, 1, 1, 255, &name, "ProtocolName"));
    if ((*n)++ == 0)
      *first = tg_reader_rest(&name);
  }
  return tg_read_done(r, "application_layer_protocol_negotiation extension_data");
}

static tg_status read_sh(tg_reader *r, tg_alpn_sh *out) {
  tg_bytes list;
  size_t n;
  TG_TRY(read_list(r, &list, &n, &out->protocol_name));
  /* RFC 7301 §3.1: the server's "extension_data" field "MUST contain exactly one
   * "ProtocolName"". The list decodes; its content is what the RFC forbids. */
  TG_ENSURE(r->err, n == 1, illegal_parameter, TG_E_BAD_VALUE,
            "ProtocolNameList.protocol_name_list from the server has %zu names, not exactly one",
            n);
  return TG_OK;
}

tg_status tg_alpn_parse_ch(tg_bytes body, tg_alpn_ch *out, tg_err *err) {
  tg_reader r;
  size_t n;
  tg_bytes first;
  tg_reader_init(&r, body.p, body.len, err);
  return read_list(&r, &out->protocol_name_list, &n, &first);
}

tg_status tg_alpn_parse_sh(tg_bytes body, tg_alpn_sh *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_sh(&r, out);
}

void tg_alpn_iter_init(tg_alpn_iter *it, tg_bytes protocol_name_list) {
  tg_reader_init(&it->r, protocol_name_list.p, protocol_name_list.len, NULL);
}

bool tg_alpn_next(tg_alpn_iter *it, tg_bytes *protocol_name) {
  tg_reader name;
  if (tg_left(&it->r) == 0 || tg_read_vec(&it->r, 1, 1, 255, &name, "ProtocolName") != TG_OK)
    return false;
  *protocol_name = tg_reader_rest(&name);
  return true;
}

bool tg_alpn_offers(const tg_alpn_ch *a, tg_bytes protocol_name) {
  tg_alpn_iter it;
  tg_bytes name;
  tg_alpn_iter_init(&it, a->protocol_name_list);
  while (tg_alpn_next(&it, &name))
    if (tg_bytes_eq(name, protocol_name))
      return true;
  return false;
}

void tg_alpn_emit_ch(tg_writer *w, const tg_alpn_ch *a) {
  tg_w_u16(w, TG_EXT_application_layer_protocol_negotiation);
  size_t ext = tg_w_open(w, 2);
  tg_w_vec(w, 2, a->protocol_name_list);
  tg_w_close(w, ext, 2, 65535, "application_layer_protocol_negotiation extension_data");
}

void tg_alpn_emit_names(tg_writer *w, const tg_bytes *protocol_names, size_t n) {
  tg_w_u16(w, TG_EXT_application_layer_protocol_negotiation);
  size_t ext = tg_w_open(w, 2);
  size_t list = tg_w_open(w, 2);
  for (size_t i = 0; i < n; i++) {
    size_t name = tg_w_open(w, 1);
    tg_w_view(w, protocol_names[i]);
    tg_w_close(w, name, 1, 255, "ProtocolName");
  }
  tg_w_close(w, list, 2, 65535, "ProtocolNameList.protocol_name_list");
  tg_w_close(w, ext, 2, 65535, "application_layer_protocol_negotiation extension_data");
}

void tg_alpn_emit_sh(tg_writer *w, const tg_alpn_sh *a) {
  tg_alpn_emit_names(w, &a->protocol_name, 1);
}

/* The value of each form: the client's list, or the server's one name (ServerHello in 1.2,
 * EncryptedExtensions in 1.3). */
typedef union alpn_value {
  tg_alpn_ch ch;
  tg_alpn_sh sh;
} alpn_value;

static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  alpn_value *v = value;
  if (where->ctx == TG_CTX_CH)
    return tg_alpn_parse_ch(body, &v->ch, err);
  return tg_alpn_parse_sh(body, &v->sh, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  const alpn_value *v = value;
  if (where->ctx == TG_CTX_CH)
    tg_alpn_emit_ch(w, &v->ch);
  else
    tg_alpn_emit_sh(w, &v->sh);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_alpn_ch a;
  tg_alpn_iter it;
  tg_bytes name;
  (void)where; /* both forms are a ProtocolNameList */
  if (tg_alpn_parse_ch(body, &a, NULL) != TG_OK)
    return;
  tg_dump_list(d, "protocol_name_list");
  tg_alpn_iter_init(&it, a.protocol_name_list);
  while (tg_alpn_next(&it, &name))
    tg_dump_text(d, NULL, name);
  tg_dump_end(d);
}

/* RFC 8446 §4.2: CH, EE. */
const tg_ext_desc tg_ext_application_layer_protocol_negotiation_desc = {
    .type = TG_EXT_application_layer_protocol_negotiation,
    .name = "application_layer_protocol_negotiation",
    .allowed13 = TG_CTX_CH | TG_CTX_EE,
    .value_size = sizeof(alpn_value),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
