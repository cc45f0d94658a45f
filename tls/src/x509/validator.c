/* The X.509 path validator behind the engine's tg_validator interface (tg/validator.h): the
 * peer's chain is parsed (leaf first, the rest as untrusted intermediates in any order, as
 * RFC 8446 §4.4.2 allows) and checked by tg_x509_verify against the configured anchors, under
 * the RFC5280 profile or the WEBPKI one. The tg_validator has room for one context pointer (the
 * anchors), so the profile is which validate function it holds. */
#include "x509_verify_internal.h"

static tg_status validate(const tg_validator *v, const tg_validation_request *req,
                          tg_x509_profile profile, tg_public_key **leaf_key, tg_err *err) {
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
      .profile = profile,
  };
  TG_TRY(tg_x509_verify(&certs[0], &p, &res, err));
  tg_status st = tg_public_key_from_spki(certs[0].spki, leaf_key, err);
  /* A key the engine cannot use (an unknown algorithm or curve) is an unsupported type. */
  if (st != TG_OK && err != NULL && err->alert == TG_ALERT_illegal_parameter)
    err->alert = TG_ALERT_unsupported_certificate;
  return tg_der_remap(st, err, TG_ALERT_bad_certificate);
}

static tg_status validate_rfc5280(const tg_validator *v, const tg_validation_request *req,
                                  tg_public_key **leaf_key, tg_err *err) {
  return validate(v, req, TG_X509_PROFILE_RFC5280, leaf_key, err);
}

static tg_status validate_webpki(const tg_validator *v, const tg_validation_request *req,
                                 tg_public_key **leaf_key, tg_err *err) {
  return validate(v, req, TG_X509_PROFILE_WEBPKI, leaf_key, err);
}

void tg_x509_validator_init(tg_validator *v, const tg_x509_store *anchors) {
  v->validate = validate_rfc5280;
  v->ctx = (void *)anchors;
}

void tg_x509_validator_set_profile(tg_validator *v, tg_x509_profile profile) {
  v->validate = profile == TG_X509_PROFILE_WEBPKI ? validate_webpki : validate_rfc5280;
}
