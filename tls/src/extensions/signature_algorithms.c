/* signature_algorithms (RFC 8446 §4.2.3), and the SignatureSchemeList code it shares with
 * signature_algorithms_cert (sigalgs_common.h). */
#include "tg/ext/signature_algorithms.h"
#include "sigalgs_common.h"
#include "tg/names.h"

#define LIST_FIELD "SignatureSchemeList.supported_signature_algorithms"

tg_status tg_sigalgs_read(tg_reader *r, tg_signature_scheme_list *out, const char *list_field,
                          const char *body_field) {
  tg_reader list;
  /* RFC 8446 §4.2.3: SignatureScheme supported_signature_algorithms<2..2^16-2>; a vector of
   * uint16 of odd length or empty cannot be decoded. Unknown schemes are kept: "Endpoints
   * SHOULD ... ignore unknown values" is the peer's business, not the decoder's. */
  TG_TRY(tg_read_vec16s(r, 2, 2, 65534, &list, list_field));
  out->supported_signature_algorithms = tg_reader_rest(&list);
  return tg_read_done(r, body_field);
}

void tg_sigalgs_emit(tg_writer *w, uint16_t type, tg_bytes supported_signature_algorithms) {
  tg_w_u16(w, type);
  size_t ext = tg_w_open(w, 2);
  size_t list = tg_w_open(w, 2);
  tg_w_view(w, supported_signature_algorithms);
  tg_w_close(w, list, 2, 65534, LIST_FIELD);
  tg_w_close(w, ext, 2, 65535, "extension_data");
}

void tg_sigalgs_emit_list(tg_writer *w, uint16_t type, const uint16_t *schemes, size_t n) {
  tg_w_u16(w, type);
  size_t ext = tg_w_open(w, 2);
  size_t list = tg_w_open(w, 2);
  for (size_t i = 0; i < n; i++)
    tg_w_u16(w, schemes[i]);
  tg_w_close(w, list, 2, 65534, LIST_FIELD);
  tg_w_close(w, ext, 2, 65535, "extension_data");
}

void tg_sigalgs_describe(tg_dump *d, tg_bytes body) {
  tg_signature_scheme_list sl;
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, NULL);
  if (tg_sigalgs_read(&r, &sl, LIST_FIELD, "extension_data") != TG_OK)
    return;
  tg_dump_list(d, "supported_signature_algorithms");
  for (size_t i = 0; i < tg_u16s_count(sl.supported_signature_algorithms); i++) {
    uint16_t s = tg_u16s_get(sl.supported_signature_algorithms, i);
    tg_dump_uint(d, NULL, s, tg_sig_scheme_name(s));
  }
  tg_dump_end(d);
}

tg_status tg_signature_algorithms_parse(tg_bytes body, tg_signature_scheme_list *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return tg_sigalgs_read(&r, out, LIST_FIELD, "signature_algorithms extension_data");
}

void tg_signature_algorithms_emit(tg_writer *w, const tg_signature_scheme_list *sl) {
  tg_sigalgs_emit(w, TG_EXT_signature_algorithms, sl->supported_signature_algorithms);
}

void tg_signature_algorithms_emit_list(tg_writer *w, const uint16_t *schemes, size_t n) {
  tg_sigalgs_emit_list(w, TG_EXT_signature_algorithms, schemes, n);
}

/* One form in ClientHello and CertificateRequest. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_signature_algorithms_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_signature_algorithms_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  (void)where;
  tg_sigalgs_describe(d, body);
}

/* RFC 8446 §4.2: CH, CR. */
const tg_ext_desc tg_ext_signature_algorithms_desc = {
    .type = TG_EXT_signature_algorithms,
    .name = "signature_algorithms",
    .allowed13 = TG_CTX_CH | TG_CTX_CR,
    .value_size = sizeof(tg_signature_scheme_list),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
