/* The known-key validator (BearSSL's br_x509_knownkey): the peer is trusted exactly when its leaf
 * certificate carries one given subjectPublicKeyInfo. No names, dates or chains are checked;
 * that is the X.509 path validator's job. Also tg_cert_spki, the minimal DER walk it needs.
 *
 *   Certificate  ::=  SEQUENCE  {
 *        tbsCertificate       TBSCertificate,
 *        signatureAlgorithm   AlgorithmIdentifier,
 *        signatureValue       BIT STRING  }
 *   TBSCertificate  ::=  SEQUENCE  {
 *        version         [0]  EXPLICIT Version DEFAULT v1,
 *        serialNumber         CertificateSerialNumber,
 *        signature            AlgorithmIdentifier,
 *        issuer               Name,
 *        validity             Validity,
 *        subject              Name,
 *        subjectPublicKeyInfo SubjectPublicKeyInfo,
 *        ... }                                                  (RFC 5280 §4.1)
 */
#include "tg/der.h"
#include "tg/validator.h"

tg_status tg_cert_spki(tg_bytes cert, tg_bytes *spki, tg_err *err) {
  tg_reader r, certificate, tbs;
  tg_der_elem e;
  bool present;
  tg_reader_init(&r, cert.p, cert.len, err);
  TG_TRY(tg_der_read_seq(&r, &certificate, "Certificate"));
  TG_TRY(tg_read_done(&r, "Certificate"));
  TG_TRY(tg_der_read_seq(&certificate, &tbs, "Certificate.tbsCertificate"));
  TG_TRY(tg_der_read_optional(&tbs, TG_DER_CONTEXT(0), NULL, &present, "TBSCertificate.version"));
  TG_TRY(tg_der_read_tlv(&tbs, TG_DER_INTEGER, NULL, "TBSCertificate.serialNumber"));
  TG_TRY(tg_der_read_seq(&tbs, NULL, "TBSCertificate.signature"));
  TG_TRY(tg_der_read_seq(&tbs, NULL, "TBSCertificate.issuer"));
  TG_TRY(tg_der_read_seq(&tbs, NULL, "TBSCertificate.validity"));
  TG_TRY(tg_der_read_seq(&tbs, NULL, "TBSCertificate.subject"));
  TG_TRY(tg_der_read_any(&tbs, &e, "TBSCertificate.subjectPublicKeyInfo"));
  TG_ENSURE(err, e.tag == TG_DER_SEQUENCE, decode_error, TG_E_BAD_VALUE,
            "TBSCertificate.subjectPublicKeyInfo has tag 0x%02x, not SEQUENCE", e.tag);
  *spki = e.raw;
  return TG_OK;
}

static tg_status known_key_validate(const tg_validator *v, const tg_validation_request *req,
                                    tg_public_key **leaf_key, tg_err *err) {
  const tg_bytes *want = v->ctx;
  tg_bytes spki;
  *leaf_key = NULL;
  TG_ENSURE(err, req->chain_len > 0, bad_certificate, TG_E_LENGTH, "no certificate to validate");
  /* A certificate that does not parse is bad_certificate (RFC 8446 §6.2). */
  TG_TRY(tg_der_remap(tg_cert_spki(req->chain[0], &spki, err), err, TG_ALERT_bad_certificate));
  /* Not the pinned key: nothing vouches for this certificate, as with an unknown CA. */
  TG_ENSURE(err, tg_bytes_eq(spki, *want), unknown_ca, TG_E_BAD_VALUE,
            "the leaf's subjectPublicKeyInfo is not the known key");
  tg_status st = tg_public_key_from_spki(spki, leaf_key, err);
  if (st != TG_OK && err != NULL && err->alert == TG_ALERT_illegal_parameter)
    err->alert = TG_ALERT_unsupported_certificate;
  return tg_der_remap(st, err, TG_ALERT_bad_certificate);
}

void tg_known_key_validator_init(tg_validator *v, const tg_bytes *spki) {
  v->validate = known_key_validate;
  v->ctx = (void *)spki;
}
