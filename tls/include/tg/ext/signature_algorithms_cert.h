/* signature_algorithms_cert (RFC 8446 §4.2.3): the signature schemes a peer accepts in
 * certificates, when they differ from signature_algorithms. In ClientHello and
 * CertificateRequest, with the body of signature_algorithms (tg_signature_scheme_list).
 */
#ifndef TG_EXT_SIGNATURE_ALGORITHMS_CERT_H
#define TG_EXT_SIGNATURE_ALGORITHMS_CERT_H

#include "tg/ext/signature_algorithms.h"

extern const tg_ext_desc tg_ext_signature_algorithms_cert_desc;

TG_MUST_CHECK tg_status tg_signature_algorithms_cert_parse(tg_bytes body,
                                                           tg_signature_scheme_list *out,
                                                           tg_err *err);
void tg_signature_algorithms_cert_emit(tg_writer *w, const tg_signature_scheme_list *sl);
void tg_signature_algorithms_cert_emit_list(tg_writer *w, const uint16_t *schemes, size_t n);

#endif
