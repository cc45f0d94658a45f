/* signature_algorithms (RFC 8446 §4.2.3): the signature schemes a peer accepts in
 * CertificateVerify (and, without signature_algorithms_cert, in certificates). In ClientHello
 * and CertificateRequest.
 *
 *   struct { SignatureScheme supported_signature_algorithms<2..2^16-2>; } SignatureSchemeList;
 *
 * signature_algorithms_cert (tg/ext/signature_algorithms_cert.h) has the same body and type.
 */
#ifndef TG_EXT_SIGNATURE_ALGORITHMS_H
#define TG_EXT_SIGNATURE_ALGORITHMS_H

#include "tg/extensions.h"

typedef struct tg_signature_scheme_list {
  tg_bytes supported_signature_algorithms; /* u16 items as wire bytes: tg_u16s_count/get */
} tg_signature_scheme_list;

extern const tg_ext_desc tg_ext_signature_algorithms_desc;

TG_MUST_CHECK tg_status tg_signature_algorithms_parse(tg_bytes body, tg_signature_scheme_list *out,
                                                      tg_err *err);
void tg_signature_algorithms_emit(tg_writer *w, const tg_signature_scheme_list *sl);
/* The same from an array of SignatureScheme values. */
void tg_signature_algorithms_emit_list(tg_writer *w, const uint16_t *schemes, size_t n);

#endif
