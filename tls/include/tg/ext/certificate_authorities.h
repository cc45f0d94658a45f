/* certificate_authorities (RFC 8446 §4.2.4): the distinguished names of the CAs an endpoint
 * accepts, in ClientHello and CertificateRequest. The names are DER, kept opaque here. */
#ifndef TG_EXT_CERTIFICATE_AUTHORITIES_H
#define TG_EXT_CERTIFICATE_AUTHORITIES_H

#include <stdbool.h>

#include "tg/extensions.h"

/* opaque DistinguishedName<1..2^16-1>;
 * struct { DistinguishedName authorities<3..2^16-1>; } CertificateAuthoritiesExtension; */
typedef struct tg_certificate_authorities {
  tg_bytes authorities; /* the body of authorities<..>: DistinguishedName vectors */
  size_t count;
} tg_certificate_authorities;

/* Iterates over the DistinguishedNames of a parsed extension. */
typedef struct tg_ca_iter {
  tg_reader r;
} tg_ca_iter;

extern const tg_ext_desc tg_ext_certificate_authorities_desc;

TG_MUST_CHECK tg_status tg_certificate_authorities_parse(tg_bytes body,
                                                         tg_certificate_authorities *out,
                                                         tg_err *err);
void tg_ca_iter_init(tg_ca_iter *it, const tg_certificate_authorities *ca);
/* The next DistinguishedName (without its length); false at the end. */
bool tg_ca_next(tg_ca_iter *it, tg_bytes *name);

void tg_certificate_authorities_emit(tg_writer *w, const tg_certificate_authorities *ca);
/* Appends one DistinguishedName to an authorities list being built (for emit's input). */
void tg_certificate_authorities_w_name(tg_writer *w, tg_bytes name);

#endif
