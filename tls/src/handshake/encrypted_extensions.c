/* EncryptedExtensions (RFC 8446 §4.3.1). */
#include <string.h>

#include "tg/extensions.h"
#include "tg/hs/encrypted_extensions.h"
#include "tg/names.h"

static const tg_ext_where ee_where = {TG_CTX_EE, TG_VERSION_TLS13};

/*
 * struct {
 *     Extension extensions<0..2^16-1>;
 * } EncryptedExtensions;
 */
tg_status tg_encrypted_extensions_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                         tg_encrypted_extensions *out) {
  tg_reader v;
  (void)ctx; /* EncryptedExtensions exists only in TLS 1.3 */
  memset(out, 0, sizeof *out);
  TG_TRY(tg_read_vec(body, 2, 0, 65535, &v, "EncryptedExtensions.extensions"));
  out->extensions = tg_reader_rest(&v);
  TG_TRY(tg_read_done(body, "EncryptedExtensions"));
  /* RFC 8446 §4.2: duplicates and extensions not allowed in EE are illegal_parameter. */
  return tg_extensions_check_in(out->extensions, &ee_where, body);
}

void tg_encrypted_extensions_encode(tg_writer *w, const struct tg_hs_ctx *ctx,
                                    const tg_encrypted_extensions *m) {
  (void)ctx;
  tg_w_vec(w, 2, m->extensions);
}

void tg_encrypted_extensions_describe(tg_dump *d, const struct tg_hs_ctx *ctx,
                                      const tg_encrypted_extensions *m) {
  (void)ctx;
  tg_extensions_describe(d, m->extensions, &ee_where);
}
