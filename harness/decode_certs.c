/* tlsgauntlet decode --as certificate: one DER certificate, or every CERTIFICATE block of a PEM
 * text, through the built-in X.509 parser. */
#include <string.h>

#include "decode.h"
#include "tg/pem.h"
#include "tg/x509.h"

static int one_cert(decode_state *s, tg_bytes der, size_t offset) {
  tg_x509_cert cert;
  if (tg_x509_parse(der, &cert, &s->err) != TG_OK) {
    s->failed_at = offset;
    return -1;
  }
  tg_dump_begin(s->dump, NULL);
  tg_x509_describe(s->dump, &cert);
  tg_dump_end(s->dump);
  return 0;
}

static int pem_certs(decode_state *s, tg_bytes text) {
  tg_reader r;
  size_t line = 0, count = 0;
  tg_reader_init(&r, text.p, text.len, &s->err);
  for (;;) {
    tg_pem_block block;
    bool found;
    if (tg_pem_next(&r, &line, &block, &found, &s->err) != TG_OK)
      return -1;
    if (!found)
      break;
    if (!tg_pem_label_is(&block, "CERTIFICATE"))
      continue; /* keys and parameters beside the certificates are not ours to show */
    tg_writer w;
    tg_writer_init_dynamic(&w, &s->err);
    int rc = tg_pem_decode(&block, &w, &s->err) == TG_OK
                 ? one_cert(s, tg_writer_bytes(&w), (size_t)(block.label.p - text.p))
                 : -1;
    tg_writer_free(&w);
    if (rc != 0)
      return -1;
    count++;
  }
  if (count == 0) {
    (void)TG_FAIL(&s->err, decode_error, TG_E_BAD_VALUE, "no CERTIFICATE block in the input");
    return -1;
  }
  return 0;
}

int decode_certificates(decode_state *s, tg_bytes in) {
  static const char begin[] = "-----BEGIN ";
  for (size_t i = 0; i + sizeof begin - 1 <= in.len; i++)
    if (memcmp(in.p + i, begin, sizeof begin - 1) == 0)
      return pem_certs(s, in);
  return one_cert(s, in, 0);
}
