/* Helpers of the X.509 parser tests: certificate files as exact-size buffers, the RFC 8448
 * certificates out of their Certificate messages, and the tiling / re-encode oracle. */
#ifndef TG_X509_UTIL_H
#define TG_X509_UTIL_H

#include "hs_testutil.h"
#include "tg/x509.h"

/* vectors/x509/<name>.der as an exact-size heap buffer. */
static inline tt_buf xt_load(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/vectors/x509/%s.der", TG_SOURCE_DIR, name);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  static uint8_t tmp[16384];
  size_t n = fread(tmp, 1, sizeof tmp, f);
  cr_assert(feof(f), "%s is too large", path);
  fclose(f);
  return tt_copy(tmp, n);
}

/* The first cert_data of an RFC 8448 TLS 1.3 Certificate message (e.g.
 * "sec3-simple-1rtt/certificate"): certificate_request_context, certificate_list, then the
 * entry's cert_data. */
static inline tt_buf xt_rfc8448_cert(const char *rel) {
  tt_buf body = tt_rfc8448_body(rel, 11 /* certificate */);
  tg_reader r, ctx, list, data;
  tg_reader_init(&r, body.p, body.len, NULL);
  cr_assert_eq(tg_read_vec(&r, 1, 0, 255, &ctx, "context"), TG_OK);
  cr_assert_eq(tg_read_vec(&r, 3, 1, 0xffffff, &list, "certificate_list"), TG_OK);
  cr_assert_eq(tg_read_vec(&list, 3, 1, 0xffffff, &data, "cert_data"), TG_OK);
  tg_bytes der = tg_reader_rest(&data);
  tt_buf out = tt_copy(der.p, der.len);
  tt_free(&body);
  return out;
}

/* The oracle: the TBS fields follow each other without gap inside tbs, and rebuilding the
 * certificate from its views (tg_x509_reencode) gives the input back byte for byte. */
static inline void xt_assert_tiles(const tg_x509_cert *c, tg_bytes input) {
  cr_assert(tg_bytes_eq(c->raw, input), "Certificate view is not the whole input");
  const tg_bytes parts[] = {c->version_raw,   c->serial_raw,           c->signature,
                            c->issuer.raw,    c->validity_raw,         c->subject.raw,
                            c->spki,          c->issuer_unique_id_raw, c->subject_unique_id_raw,
                            c->extensions_raw};
  const uint8_t *end = c->tbs.p + c->tbs.len;
  const uint8_t *at = end;
  for (size_t i = sizeof parts / sizeof parts[0]; i-- > 0;) {
    if (parts[i].len == 0)
      continue;
    cr_assert_eq(parts[i].p + parts[i].len, at, "TBS part %zu does not end where the next starts",
                 i);
    at = parts[i].p;
  }
  cr_assert(at > c->tbs.p && at - c->tbs.p <= 4, "the TBS header is %td bytes", at - c->tbs.p);
  cr_assert_eq(c->tbs.p + c->tbs.len, c->signature_algorithm.p);
  cr_assert_eq(c->signature_algorithm.p + c->signature_algorithm.len, c->signature_value_raw.p);
  cr_assert_eq(c->signature_value_raw.p + c->signature_value_raw.len, input.p + input.len);
  tg_writer w;
  tg_err err = {0};
  tg_writer_init_dynamic(&w, &err);
  tg_x509_reencode(&w, c);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  cr_assert(tg_bytes_eq(tg_writer_bytes(&w), input), "re-encoding gives %zu bytes, input %zu",
            w.len, input.len);
  tg_writer_free(&w);
}

/* Parses buf, which must succeed, and checks the oracle. */
static inline void xt_parse_ok(tt_buf buf, tg_x509_cert *c) {
  tg_err err = {0};
  char msg[256];
  tg_status st = tg_x509_parse(tt_view(buf), c, &err);
  cr_assert_eq(st, TG_OK, "%s", tg_err_format(&err, msg, sizeof msg));
  xt_assert_tiles(c, tt_view(buf));
}

static inline bool xt_text_eq(tg_bytes v, const char *s) {
  return tg_bytes_eq(v, tg_bytes_of(s, strlen(s)));
}

#endif
