/* CertificateVerify (RFC 8446 §4.4.3; the same wire form as TLS 1.2's DigitallySigned,
 * RFC 5246 §4.7/§7.4.8): a signature over the transcript. */
#ifndef TG_HS_CERTIFICATE_VERIFY_H
#define TG_HS_CERTIFICATE_VERIFY_H

#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

typedef struct tg_certificate_verify {
  uint16_t algorithm; /* SignatureScheme */
  tg_bytes signature;
} tg_certificate_verify;

TG_MUST_CHECK tg_status tg_certificate_verify_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                                     tg_certificate_verify *out);
void tg_certificate_verify_encode(tg_writer *w, const struct tg_hs_ctx *ctx,
                                  const tg_certificate_verify *m);
void tg_certificate_verify_describe(tg_dump *d, const struct tg_hs_ctx *ctx,
                                    const tg_certificate_verify *m);

#endif
