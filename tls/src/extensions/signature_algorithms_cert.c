/* signature_algorithms_cert (RFC 8446 §4.2.3): the body of signature_algorithms, so all the
 * work is in sigalgs_common.h / signature_algorithms.c. */
#include "tg/ext/signature_algorithms_cert.h"
#include "sigalgs_common.h"
#include "tg/names.h"

#define LIST_FIELD "signature_algorithms_cert SignatureSchemeList.supported_signature_algorithms"
#define BODY_FIELD "signature_algorithms_cert extension_data"

tg_status tg_signature_algorithms_cert_parse(tg_bytes body, tg_signature_scheme_list *out,
                                             tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return tg_sigalgs_read(&r, out, LIST_FIELD, BODY_FIELD);
}

void tg_signature_algorithms_cert_emit(tg_writer *w, const tg_signature_scheme_list *sl) {
  tg_sigalgs_emit(w, TG_EXT_signature_algorithms_cert, sl->supported_signature_algorithms);
}

void tg_signature_algorithms_cert_emit_list(tg_writer *w, const uint16_t *schemes, size_t n) {
  tg_sigalgs_emit_list(w, TG_EXT_signature_algorithms_cert, schemes, n);
}

/* One form in ClientHello and CertificateRequest. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_signature_algorithms_cert_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_signature_algorithms_cert_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  (void)where;
  tg_sigalgs_describe(d, body);
}

/* RFC 8446 §4.2: CH, CR. */
const tg_ext_desc tg_ext_signature_algorithms_cert_desc = {
    .type = TG_EXT_signature_algorithms_cert,
    .name = "signature_algorithms_cert",
    .allowed13 = TG_CTX_CH | TG_CTX_CR,
    .value_size = sizeof(tg_signature_scheme_list),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
