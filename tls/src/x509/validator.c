/* The X.509 path validator behind the engine's tg_validator interface (tg/validator.h): the
 * peer's chain is parsed (leaf first, the rest as untrusted intermediates in any order, as
 * RFC 8446 §4.4.2 allows) and checked by tg_x509_verify against the configured anchors. */
#include "x509_verify_internal.h"

static tg_status x509_validate(const tg_validator *v, const tg_validation_request *req,
                               tg_public_key **leaf_key, tg_err *err) {
  const tg_x509_store *anchors = v->ctx;
  tg_x509_cert certs[1 + TG_X509_MAX_UNTRUSTED];
  const tg_x509_cert *untrusted[TG_X509_MAX_UNTRUSTED];
  tg_x509_verify_result res;
  *leaf_key = NULL;
  TG_ENSURE(err, req->chain_len > 0, bad_certificate, TG_E_LENGTH, "no certificate to validate");
  /* Certificates beyond the limit are not needed by any path this validator accepts
   * (TG_X509_MAX_PATH) unless the peer pads its chain with junk; they are ignored. */
  size_t n =
      req->chain_len < 1 + TG_X509_MAX_UNTRUSTED ? req->chain_len : 1 + TG_X509_MAX_UNTRUSTED;
  for (size_t i = 0; i < n; i++) {
    /* RFC 8446 §6.2: a certificate that does not parse is bad_certificate (tg_x509_parse). */
    TG_TRY(tg_x509_parse(req->chain[i], &certs[i], err));
    if (i > 0)
      untrusted[i - 1] = &certs[i];
  }
  tg_x509_verify_params p = {
      .anchors = anchors,
      .untrusted = untrusted,
      .untrusted_count = n - 1,
      .name = req->name,
      .now = req->now,
      .purpose = req->purpose,
  };
  TG_TRY(tg_x509_verify(&certs[0], &p, &res, err));
  tg_status st = tg_public_key_from_spki(certs[0].spki, leaf_key, err);
  /* A key the engine cannot use (an unknown algorithm or curve) is an unsupported type. */
  if (st != TG_OK && err != NULL && err->alert == TG_ALERT_illegal_parameter)
    err->alert = TG_ALERT_unsupported_certificate;
  return tg_der_remap(st, err, TG_ALERT_bad_certificate);
}

void tg_x509_validator_init(tg_validator *v, const tg_x509_store *anchors) {
  v->validate = x509_validate;
  v->ctx = (void *)anchors;
}
