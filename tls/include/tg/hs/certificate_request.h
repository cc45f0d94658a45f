/* CertificateRequest (RFC 8446 §4.3.2, RFC 5246 §7.4.4): the server asks for a client
 * certificate. TLS 1.3 carries a context and extensions (signature_algorithms required); TLS 1.2
 * carries certificate types, signature algorithms and CA names. Lists stay as wire bytes. */
#ifndef TG_HS_CERTIFICATE_REQUEST_H
#define TG_HS_CERTIFICATE_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

/* ClientCertificateType, RFC 5246 §7.4.4 and RFC 8422 §5.5. */
enum tg_client_certificate_type {
  TG_CCT_rsa_sign = 1,
  TG_CCT_dss_sign = 2,
  TG_CCT_rsa_fixed_dh = 3,
  TG_CCT_dss_fixed_dh = 4,
  TG_CCT_ecdsa_sign = 64,
};

typedef struct tg_certificate_request {
  /* TLS 1.3 */
  tg_bytes certificate_request_context;
  tg_bytes extensions; /* body of extensions<2..2^16-1> */
  /* TLS 1.2 */
  tg_bytes certificate_types;              /* one byte each */
  tg_bytes supported_signature_algorithms; /* uint16 list: tg_u16s_* */
  tg_bytes certificate_authorities; /* body of DistinguishedName certificate_authorities<..> */
} tg_certificate_request;

/* Walks the DistinguishedName<1..2^16-1> items of a decoded certificate_authorities. */
typedef struct tg_dn_iter {
  tg_reader r;
} tg_dn_iter;
void tg_dn_iter_init(tg_dn_iter *it, tg_bytes certificate_authorities);
bool tg_dn_next(tg_dn_iter *it, tg_bytes *dn);

TG_MUST_CHECK tg_status tg_certificate_request_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                                      tg_certificate_request *out);
void tg_certificate_request_encode(tg_writer *w, const struct tg_hs_ctx *ctx,
                                   const tg_certificate_request *m);
void tg_certificate_request_describe(tg_dump *d, const struct tg_hs_ctx *ctx,
                                     const tg_certificate_request *m);

#endif
