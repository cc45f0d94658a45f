/* NSS's certificate errors (secerr.h, sslerr.h) as the reason names of tg_x509_reason_name
 * (tls/include/tg/x509_verify.h), where the meaning is the same; "other" for the rest. Used by
 * tg-peer-nss --verify (verify_nss.c). */
#include <secerr.h>
#include <sslerr.h>

const char *nss_x509_reason(int err);

const char *nss_x509_reason(int err) {
  switch (err) {
  case SEC_ERROR_EXPIRED_CERTIFICATE:
  case SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE: return "expired"; /* also before notBefore */
  case SEC_ERROR_UNKNOWN_ISSUER:
  case SEC_ERROR_UNTRUSTED_ISSUER:
  case SEC_ERROR_UNTRUSTED_CERT: return "unknown_issuer";
  case SEC_ERROR_BAD_SIGNATURE: return "bad_signature";
  case SSL_ERROR_BAD_CERT_DOMAIN: return "name_mismatch";
  case SEC_ERROR_CA_CERT_INVALID: return "not_a_ca";
  case SEC_ERROR_PATH_LEN_CONSTRAINT_INVALID: return "path_len_exceeded";
  case SEC_ERROR_INADEQUATE_KEY_USAGE: return "bad_key_usage";
  case SEC_ERROR_INADEQUATE_CERT_TYPE: return "bad_ext_key_usage";
  case SEC_ERROR_CERT_NOT_IN_NAME_SPACE: return "name_constraint_violation";
  case SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION: return "unknown_critical_extension";
  case SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED:
  case SEC_ERROR_SIGNATURE_ALGORITHM_DISABLED: return "weak_algorithm";
  case SEC_ERROR_UNSUPPORTED_KEYALG:
  case SEC_ERROR_INVALID_ALGORITHM: return "unsupported_algorithm";
  case SEC_ERROR_BAD_DER:
  case SEC_ERROR_EXTENSION_VALUE_INVALID: return "malformed";
  default: return "other";
  }
}
