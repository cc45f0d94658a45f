/* supported_groups (RFC 8446 §4.2.7, RFC 8422 §5.1.1). */
#include "tg/ext/supported_groups.h"
#include "tg/names.h"

static tg_status read_sg(tg_reader *r, tg_supported_groups *out) {
  tg_reader list;
  /* RFC 8446 §4.2.7: NamedGroup named_group_list<2..2^16-1>; items are uint16, so an odd
   * length cannot be decoded. Unknown groups are kept: the peer ignores what it does not know. */
  TG_TRY(tg_read_vec16s(r, 2, 2, 65535, &list, "NamedGroupList.named_group_list"));
  out->named_group_list = tg_reader_rest(&list);
  return tg_read_done(r, "supported_groups extension_data");
}

tg_status tg_supported_groups_parse(tg_bytes body, tg_supported_groups *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_sg(&r, out);
}

void tg_supported_groups_emit(tg_writer *w, const tg_supported_groups *sg) {
  tg_w_u16(w, TG_EXT_supported_groups);
  size_t ext = tg_w_open(w, 2);
  tg_w_vec(w, 2, sg->named_group_list);
  tg_w_close(w, ext, 2, 65535, "supported_groups extension_data");
}

void tg_supported_groups_emit_list(tg_writer *w, const uint16_t *groups, size_t n) {
  tg_w_u16(w, TG_EXT_supported_groups);
  size_t ext = tg_w_open(w, 2);
  size_t list = tg_w_open(w, 2);
  for (size_t i = 0; i < n; i++)
    tg_w_u16(w, groups[i]);
  tg_w_close(w, list, 2, 65535, "NamedGroupList.named_group_list");
  tg_w_close(w, ext, 2, 65535, "supported_groups extension_data");
}

/* One form in ClientHello and EncryptedExtensions. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_supported_groups_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_supported_groups_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_supported_groups sg;
  (void)where;
  if (tg_supported_groups_parse(body, &sg, NULL) != TG_OK)
    return;
  tg_dump_list(d, "named_group_list");
  for (size_t i = 0; i < tg_u16s_count(sg.named_group_list); i++) {
    uint16_t g = tg_u16s_get(sg.named_group_list, i);
    tg_dump_uint(d, NULL, g, tg_group_name(g));
  }
  tg_dump_end(d);
}

/* RFC 8446 §4.2: CH, EE. */
const tg_ext_desc tg_ext_supported_groups_desc = {
    .type = TG_EXT_supported_groups,
    .name = "supported_groups",
    .allowed13 = TG_CTX_CH | TG_CTX_EE,
    .value_size = sizeof(tg_supported_groups),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
