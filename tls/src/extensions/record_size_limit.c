/* record_size_limit (RFC 8449). */
#include "tg/ext/record_size_limit.h"
#include "tg/names.h"

/* The largest limit a server may answer with: the protocol's largest record plaintext, which
 * in TLS 1.3 counts the inner content type (RFC 8449 §4). */
static uint16_t protocol_max(uint16_t version) {
  return version == TG_VERSION_TLS13 ? 16385 : 16384;
}

static tg_status read_rsl(tg_reader *r, tg_record_size_limit *out) {
  TG_TRY(tg_read_u16(r, &out->record_size_limit, "RecordSizeLimit"));
  /* RFC 8449 §4: "Endpoints MUST NOT send a "record_size_limit" extension with a value smaller
   * than 64. An endpoint MUST treat receipt of a smaller value as a fatal error and generate an
   * "illegal_parameter" alert." */
  TG_ENSURE(r->err, out->record_size_limit >= 64, illegal_parameter, TG_E_BAD_VALUE,
            "RecordSizeLimit %u is below 64", out->record_size_limit);
  return tg_read_done(r, "record_size_limit extension_data");
}

tg_status tg_record_size_limit_parse(tg_bytes body, tg_record_size_limit *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_rsl(&r, out);
}

void tg_record_size_limit_emit(tg_writer *w, const tg_record_size_limit *rsl) {
  tg_w_u16(w, TG_EXT_record_size_limit);
  tg_w_u16(w, 2);
  tg_w_u16(w, rsl->record_size_limit);
}

/* One form, a tg_record_size_limit; the server's value is also bounded by the version. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  tg_record_size_limit *rsl = value;
  TG_TRY(tg_record_size_limit_parse(body, rsl, err));
  if (where->ctx == TG_CTX_CH)
    return TG_OK; /* RFC 8449 §4: "A server MUST NOT enforce this restriction" (a larger limit
                   * may come from an extension it does not know) */
  /* RFC 8449 §4: "A client MAY abort the handshake with an "illegal_parameter" alert if the
   * record_size_limit extension includes a value greater than the maximum record size
   * permitted by the negotiated protocol version and extensions." We do: no extension here
   * raises the maximum. */
  TG_ENSURE(err, rsl->record_size_limit <= protocol_max(where->version), illegal_parameter,
            TG_E_BAD_VALUE, "RecordSizeLimit %u from the server exceeds %u", rsl->record_size_limit,
            protocol_max(where->version));
  return TG_OK;
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_record_size_limit_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_record_size_limit rsl;
  (void)where;
  if (tg_record_size_limit_parse(body, &rsl, NULL) == TG_OK)
    tg_dump_uint(d, "record_size_limit", rsl.record_size_limit, NULL);
}

/* RFC 8449 §5 (the TLS 1.3 column of the registry): CH, EE. */
const tg_ext_desc tg_ext_record_size_limit_desc = {
    .type = TG_EXT_record_size_limit,
    .name = "record_size_limit",
    .allowed13 = TG_CTX_CH | TG_CTX_EE,
    .value_size = sizeof(tg_record_size_limit),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
