/* OpenSSL's and BoringSSL's X509_V_ERR_* codes in the built-in validator's reason names (the
 * pattern and the callers: x509_reasons.h). One source for both libraries, compiled against each
 * one's <openssl/x509.h>: tg-peer-openssl with OpenSSL's, tg-peer-boringssl and fuzz_x509_diff
 * with BoringSSL's. A code one of them lacks is left out where it is not defined. */
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "x509_reasons.h"

const char *x509_reason_of_x509_v_err(int err) {
  switch (err) {
  case X509_V_ERR_CERT_HAS_EXPIRED: return "expired";
  case X509_V_ERR_CERT_NOT_YET_VALID: return "not_yet_valid";
  /* No issuer leads to a trust anchor. A self-signed leaf that is not an anchor
   * (DEPTH_ZERO_SELF_SIGNED_CERT) is unknown_issuer too, as GnuTLS reports it
   * (GNUTLS_CERT_SIGNER_NOT_FOUND). */
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
  case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
  case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
  case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: return "unknown_issuer";
  case X509_V_ERR_CERT_SIGNATURE_FAILURE:
  case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
  case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: return "bad_signature";
  case X509_V_ERR_HOSTNAME_MISMATCH:
  case X509_V_ERR_IP_ADDRESS_MISMATCH: return "name_mismatch";
  case X509_V_ERR_INVALID_CA: return "not_a_ca";
  case X509_V_ERR_PATH_LENGTH_EXCEEDED: return "path_len_exceeded";
  case X509_V_ERR_KEYUSAGE_NO_CERTSIGN: return "bad_key_usage";
  /* The purpose (X509_PURPOSE_SSL_SERVER/CLIENT) is checked against extKeyUsage. */
  case X509_V_ERR_INVALID_PURPOSE: return "bad_ext_key_usage";
  case X509_V_ERR_PERMITTED_VIOLATION:
  case X509_V_ERR_EXCLUDED_VIOLATION:
  case X509_V_ERR_SUBTREE_MINMAX:
  case X509_V_ERR_UNSUPPORTED_NAME_SYNTAX: return "name_constraint_violation";
  case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION: return "unknown_critical_extension";
  case X509_V_ERR_CERT_CHAIN_TOO_LONG: return "path_too_long";
#ifdef X509_V_ERR_CA_MD_TOO_WEAK
  /* OpenSSL's authentication security level (X509_VERIFY_PARAM_set_auth_level; a connection
   * takes it from its security level, verify_sslapi.c sets level 2 under --profile webpki)
   * refuses weak digests and small keys; the three codes came together, in OpenSSL 1.1.0.
   * BoringSSL has no such check. A weak digest is the built-in validator's weak_algorithm; a
   * small key is a rule of its webpki profile (RSA of 2048 bits and more, BR 6.1.5). */
  case X509_V_ERR_EE_KEY_TOO_SMALL:
  case X509_V_ERR_CA_KEY_TOO_SMALL: return "profile_violation";
  case X509_V_ERR_CA_MD_TOO_WEAK: return "weak_algorithm";
#endif
#ifdef X509_V_ERR_EC_KEY_EXPLICIT_PARAMS
  /* OpenSSL 3's X509_V_FLAG_X509_STRICT checks (--profile webpki): rules RFC 5280 section 4 and
   * the Baseline Requirements put on issuing CAs (key identifiers present and not critical,
   * basicConstraints critical in a CA, keyUsage in a CA, a critical subjectAltName with an empty
   * subject, ...), which the built-in validator checks under its webpki profile. */
  case X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA:
  case X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN:
  case X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA:
  case X509_V_ERR_ISSUER_NAME_EMPTY:
  case X509_V_ERR_SUBJECT_NAME_EMPTY:
  case X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER:
  case X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER:
  case X509_V_ERR_EMPTY_SUBJECT_ALT_NAME:
  case X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL:
  case X509_V_ERR_CA_BCONS_NOT_CRITICAL:
  case X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL:
  case X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL:
  case X509_V_ERR_CA_CERT_MISSING_KEY_USAGE:
  case X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3:
  case X509_V_ERR_EC_KEY_EXPLICIT_PARAMS: return "profile_violation";
#endif
  default: return "other";
  }
}
