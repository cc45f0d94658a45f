/* psk_key_exchange_modes (RFC 8446 §4.2.9). */
#include "tg/ext/psk_key_exchange_modes.h"
#include "tg/names.h"

/* struct { PskKeyExchangeMode ke_modes<1..255>; } PskKeyExchangeModes;
 * Unknown modes are not an error: a server selects among the modes it knows. */
static tg_status read_modes(tg_reader *r, tg_psk_key_exchange_modes *out) {
  tg_reader v;
  TG_TRY(tg_read_vec(r, 1, 1, 255, &v, "PskKeyExchangeModes.ke_modes"));
  out->ke_modes = tg_reader_rest(&v);
  return TG_OK;
}

tg_status tg_psk_key_exchange_modes_parse(tg_bytes body, tg_psk_key_exchange_modes *out,
                                          tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_modes(&r, out));
  return tg_read_done(&r, "PskKeyExchangeModes");
}

bool tg_psk_key_exchange_modes_has(const tg_psk_key_exchange_modes *m, uint8_t mode) {
  tg_reader r;
  uint8_t v;
  tg_reader_init(&r, m->ke_modes.p, m->ke_modes.len, NULL);
  while (tg_read_u8(&r, &v, "ke_mode") == TG_OK)
    if (v == mode)
      return true;
  return false;
}

void tg_psk_key_exchange_modes_emit(tg_writer *w, const tg_psk_key_exchange_modes *m) {
  tg_w_u16(w, TG_EXT_psk_key_exchange_modes);
  size_t ext = tg_w_open(w, 2);
  tg_w_vec(w, 1, m->ke_modes);
  tg_w_close(w, ext, 2, 65535, "psk_key_exchange_modes extension_data");
}

/* ClientHello only; one form. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_psk_key_exchange_modes_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_psk_key_exchange_modes_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  (void)where;
  tg_psk_key_exchange_modes m;
  if (tg_psk_key_exchange_modes_parse(body, &m, NULL) != TG_OK) {
    tg_dump_bytes(d, "extension_data", body);
    return;
  }
  tg_reader r;
  uint8_t mode;
  tg_reader_init(&r, m.ke_modes.p, m.ke_modes.len, NULL);
  tg_dump_list(d, "ke_modes");
  while (tg_read_u8(&r, &mode, "ke_mode") == TG_OK)
    tg_dump_uint(d, NULL, mode, tg_psk_ke_mode_name(mode));
  tg_dump_end(d);
}

const tg_ext_desc tg_ext_psk_key_exchange_modes_desc = {
    .type = TG_EXT_psk_key_exchange_modes,
    .name = "psk_key_exchange_modes",
    .allowed13 = TG_CTX_CH,
    .value_size = sizeof(tg_psk_key_exchange_modes),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
