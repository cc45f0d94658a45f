/* Certificate (RFC 8446 §4.4.2, RFC 5246 §7.4.2): the sender's chain. The version in the context
 * selects the form: TLS 1.3 has a request context and per-entry extensions, TLS 1.2 a bare list
 * of ASN.1Cert. The list stays as its wire bytes; walk it with tg_certificate_iter. */
#ifndef TG_HS_CERTIFICATE_H
#define TG_HS_CERTIFICATE_H

#include <stdbool.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

typedef struct tg_certificate {
  tg_bytes certificate_request_context; /* TLS 1.3 only */
  tg_bytes certificate_list;            /* body of certificate_list<0..2^24-1> */
} tg_certificate;

/* One CertificateEntry; extensions is empty in TLS 1.2. */
typedef struct tg_certificate_entry {
  tg_bytes cert_data;
  tg_bytes extensions;
} tg_certificate_entry;

typedef struct tg_certificate_iter {
  tg_reader r;
  uint16_t version;
} tg_certificate_iter;

/* Over a decoded (checked) certificate_list, read under version (TG_VERSION_TLS12 or _TLS13). */
void tg_certificate_iter_init(tg_certificate_iter *it, tg_bytes certificate_list, uint16_t version);
/* The next entry; false at the end. */
bool tg_certificate_next(tg_certificate_iter *it, tg_certificate_entry *entry);
/* Appends one entry to a certificate_list being built (extensions ignored in TLS 1.2). */
void tg_certificate_entry_emit(tg_writer *w, uint16_t version, const tg_certificate_entry *entry);

TG_MUST_CHECK tg_status tg_certificate_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                              tg_certificate *out);
void tg_certificate_encode(tg_writer *w, const struct tg_hs_ctx *ctx, const tg_certificate *m);
void tg_certificate_describe(tg_dump *d, const struct tg_hs_ctx *ctx, const tg_certificate *m);

#endif
