/* max_fragment_length (RFC 6066 §4). */
#include "tg/ext/max_fragment_length.h"
#include "tg/names.h"

static tg_status read_mfl(tg_reader *r, tg_max_fragment_length *out) {
  TG_TRY(tg_read_u8(r, &out->max_fragment_length, "MaxFragmentLength"));
  /* RFC 6066 §4: "If a server receives a maximum fragment length negotiation request for a
   * value other than the allowed values, it MUST abort the handshake with an
   * "illegal_parameter" alert." The client's check of the echo is the same rule. */
  TG_ENSURE(r->err, tg_max_fragment_length_bytes(out->max_fragment_length) != 0, illegal_parameter,
            TG_E_BAD_VALUE, "MaxFragmentLength %u is not one of 1..4", out->max_fragment_length);
  return tg_read_done(r, "max_fragment_length extension_data");
}

tg_status tg_max_fragment_length_parse(tg_bytes body, tg_max_fragment_length *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_mfl(&r, out);
}

unsigned tg_max_fragment_length_bytes(uint8_t max_fragment_length) {
  if (max_fragment_length < 1 || max_fragment_length > 4)
    return 0;
  return 256u << max_fragment_length; /* 2^(8+n) */
}

void tg_max_fragment_length_emit(tg_writer *w, const tg_max_fragment_length *mfl) {
  tg_w_u16(w, TG_EXT_max_fragment_length);
  tg_w_u16(w, 1);
  tg_w_u8(w, mfl->max_fragment_length);
}

/* One form in every message. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_max_fragment_length_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_max_fragment_length_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  static const char *const names[] = {NULL, "2^9", "2^10", "2^11", "2^12"};
  tg_max_fragment_length mfl;
  (void)where;
  if (tg_max_fragment_length_parse(body, &mfl, NULL) == TG_OK)
    tg_dump_uint(d, "max_fragment_length", mfl.max_fragment_length, names[mfl.max_fragment_length]);
}

/* RFC 8446 §4.2: CH, EE. */
const tg_ext_desc tg_ext_max_fragment_length_desc = {
    .type = TG_EXT_max_fragment_length,
    .name = "max_fragment_length",
    .allowed13 = TG_CTX_CH | TG_CTX_EE,
    .value_size = sizeof(tg_max_fragment_length),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
