/* CertificateVerify (RFC 8446 §4.4.3; TLS 1.2: RFC 5246 §7.4.8, the same DigitallySigned form). */
#include <string.h>

#include "tg/handshake.h"

/* RFC 8446 §4.4.3:
 *   struct {
 *       SignatureScheme algorithm;
 *       opaque signature<0..2^16-1>;
 *   } CertificateVerify;
 * Whether algorithm was offered, and the signature itself, are the engine's checks. */
tg_status tg_certificate_verify_decode(tg_reader *body, const tg_hs_ctx *ctx,
                                       tg_certificate_verify *out) {
  tg_reader signature;
  (void)ctx;
  memset(out, 0, sizeof *out);
  TG_TRY(tg_read_u16(body, &out->algorithm, "CertificateVerify.algorithm"));
  TG_TRY(tg_read_vec(body, 2, 0, 0xffff, &signature, "CertificateVerify.signature"));
  TG_TRY(tg_read_done(body, "CertificateVerify"));
  out->signature = tg_reader_rest(&signature);
  return TG_OK;
}

void tg_certificate_verify_encode(tg_writer *w, const tg_hs_ctx *ctx,
                                  const tg_certificate_verify *m) {
  (void)ctx;
  tg_w_u16(w, m->algorithm);
  size_t mark = tg_w_open(w, 2);
  tg_w_view(w, m->signature);
  tg_w_close(w, mark, 2, 0xffff, "CertificateVerify.signature");
}

void tg_certificate_verify_describe(tg_dump *d, const tg_hs_ctx *ctx,
                                    const tg_certificate_verify *m) {
  (void)ctx;
  tg_dump_uint(d, "algorithm", m->algorithm, tg_sig_scheme_name(m->algorithm));
  tg_dump_bytes(d, "signature", m->signature);
}
