/* wolfSSL's certificate errors (wolfcrypt/error-crypt.h, wolfssl/error-ssl.h) mapped to the
 * reason names of the built-in validator (tg_x509_reason_name, tg/x509_verify.h) where the
 * meaning is the same; the rest are "other". Used by tg-peer-wolfssl --verify. */
#include <wolfssl/options.h> /* first: how the library was built */

#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

const char *x509_reason_wolfssl(int err);

const char *x509_reason_wolfssl(int err) {
  switch (err) {
  case ASN_AFTER_DATE_E: return "expired";
  case ASN_BEFORE_DATE_E: return "not_yet_valid";
  case ASN_NO_SIGNER_E: return "unknown_issuer";
  case ASN_SELF_SIGNED_E: return "self_signed";
  case ASN_SIG_CONFIRM_E: return "bad_signature";
  case ASN_SIG_OID_E:
  case ASN_SIG_HASH_E:
  case ASN_SIG_KEY_E:
  case ASN_UNKNOWN_OID_E: return "unsupported_algorithm";
  case NOT_CA_ERROR: return "not_a_ca";
  case ASN_PATHLEN_INV_E:
  case ASN_PATHLEN_SIZE_E: return "path_len_exceeded";
  case MAX_CHAIN_ERROR: return "path_too_long";
  case DOMAIN_NAME_MISMATCH:
  case IPADDR_MISMATCH: return "name_mismatch";
  case KEYUSE_SIGNATURE_E:
  case KEYUSE_ENCIPHER_E: return "bad_key_usage";
  case EXTKEYUSE_AUTH_E: return "bad_ext_key_usage";
  case ASN_NAME_INVALID_E: return "name_constraint_violation";
  case ASN_CRIT_EXT_E: return "unknown_critical_extension";
  case RSA_KEY_SIZE_E:
  case ECC_KEY_SIZE_E: return "weak_algorithm";
  case ASN_PARSE_E:
  case ASN_VERSION_E:
  case ASN_GETINT_E:
  case ASN_OBJECT_ID_E:
  case ASN_TAG_NULL_E:
  case ASN_EXPECT_0_E:
  case ASN_BITSTR_E:
  case ASN_DATE_SZ_E:
  case ASN_TIME_E:
  case ASN_INPUT_E:
  case ASN_ALT_NAME_E:
  case BUFFER_E: return "malformed";
  default: return "other";
  }
}
