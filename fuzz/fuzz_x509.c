/* fuzz_x509: the input as one DER certificate. Oracles: a failure carries a bad_certificate err
 * with a location; on success every view lies inside the input, the views tile it (rebuilding
 * the certificate from them with tg_x509_reencode gives the input back byte for byte), every
 * iterator runs to the end, and describe touches every value. */
#include "fuzz_common.h"
#include "tg/x509.h"

static void in_input(tg_bytes v, const uint8_t *data, size_t size, const char *what) {
  if (v.len == 0)
    return;
  TG_FUZZ_ASSERT(v.p >= data && v.len <= size && v.p + v.len <= data + size,
                 "%s view lies outside the input", what);
}

static void check_views(const tg_x509_cert *c, const uint8_t *data, size_t size) {
  const tg_bytes views[] = {c->raw,
                            c->tbs,
                            c->signature_algorithm,
                            c->signature_value,
                            c->serial,
                            c->signature,
                            c->issuer.raw,
                            c->validity_raw,
                            c->subject.raw,
                            c->spki,
                            c->subject_public_key,
                            c->extensions_raw,
                            c->extensions,
                            c->subject_alt_name,
                            c->permitted_subtrees,
                            c->excluded_subtrees,
                            c->authority_key_id,
                            c->subject_key_id,
                            c->certificate_policies,
                            c->ext_key_usage_ids};
  for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
    in_input(views[i], data, size, "a certificate");
  tg_x509_ext_iter it;
  tg_x509_ext e;
  size_t n = 0;
  tg_x509_ext_iter_init(&it, c);
  while (tg_x509_ext_next(&it, &e)) {
    in_input(e.raw, data, size, "an extension");
    n++;
  }
  TG_FUZZ_ASSERT(n == c->extensions_count, "iterated %zu of %zu extensions", n,
                 c->extensions_count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tg_x509_cert c;
  tg_err err = {0};
  tg_status st = tg_x509_parse(tg_bytes_of(data, size), &c, &err);
  tg_fuzz_check_err(st, &err);
  if (st != TG_OK) {
    TG_FUZZ_ASSERT(err.alert == TG_ALERT_bad_certificate, "alert %d", err.alert);
    return 0;
  }
  check_views(&c, data, size);
  tg_writer w;
  tg_writer_init_dynamic(&w, &err);
  tg_x509_reencode(&w, &c);
  TG_FUZZ_ASSERT(tg_writer_status(&w) == TG_OK, "re-encoding failed");
  TG_FUZZ_ASSERT(w.len == size && memcmp(w.buf, data, size) == 0,
                 "re-encoding gives %zu bytes, not the %zu of the input", w.len, size);
  tg_writer_free(&w);
  tg_fuzz_dump t;
  tg_fuzz_dump_init(&t);
  tg_x509_describe(&t.d, &c);
  tg_fuzz_dump_done(&t);
  return 0;
}
