/* Mbed TLS's path validation result (the MBEDTLS_X509_BADCERT_* flags of
 * mbedtls_x509_crt_verify_with_profile) as a reason name of the built-in validator
 * (tg_x509_reason_name), for tg-peer-mbedtls --verify.
 *
 * The flags are a set; the first row that matches names the reason, in the order the built-in
 * validator would meet them walking the path. Mbed TLS folds much into BADCERT_NOT_TRUSTED: an
 * issuer that is not a CA or lacks keyCertSign is no parent (x509_crt_check_parent), and an
 * exceeded pathLenConstraint or a signature that does not verify is flagged NOT_TRUSTED
 * (x509_crt_verify_chain): all of them read unknown_issuer. */
#include <stdint.h>

#include <mbedtls/x509.h>

#include "tg/x509_verify.h"

const char *x509_reason_mbedtls(uint32_t flags);

static const struct {
  uint32_t flags;
  tg_x509_reason reason;
} rows[] = {
    {MBEDTLS_X509_BADCERT_NOT_TRUSTED, TG_X509_UNKNOWN_ISSUER},
    {MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_KEY, TG_X509_WEAK_ALGORITHM},
    {MBEDTLS_X509_BADCERT_BAD_PK, TG_X509_UNSUPPORTED_ALGORITHM},
    {MBEDTLS_X509_BADCERT_EXPIRED, TG_X509_EXPIRED},
    {MBEDTLS_X509_BADCERT_FUTURE, TG_X509_NOT_YET_VALID},
    {MBEDTLS_X509_BADCERT_KEY_USAGE, TG_X509_BAD_KEY_USAGE},
    {MBEDTLS_X509_BADCERT_EXT_KEY_USAGE | MBEDTLS_X509_BADCERT_NS_CERT_TYPE,
     TG_X509_BAD_EXT_KEY_USAGE},
    {MBEDTLS_X509_BADCERT_CN_MISMATCH, TG_X509_NAME_MISMATCH},
};

const char *x509_reason_mbedtls(uint32_t flags) {
  for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++)
    if (flags & rows[i].flags)
      return tg_x509_reason_name(rows[i].reason);
  return "other";
}
