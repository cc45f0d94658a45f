/* GnuTLS's verification status bits (gnutls_certificate_status_t) in the built-in validator's
 * reason names (the pattern and the callers: x509_reasons.h). A status holds every fault GnuTLS
 * found, with GNUTLS_CERT_INVALID beside them; the first bit in the table's order names the
 * reason. The order puts the checks a validator meets first on the path (can it find an issuer,
 * is the signature good) before the ones about the leaf's use, so one chain with two faults maps
 * like the built-in validator would. */
#include <gnutls/gnutls.h>
#include <stddef.h>

#include "x509_reasons.h"

static const struct {
  unsigned bit;
  const char *reason;
} map[] = {
    {GNUTLS_CERT_SIGNER_NOT_FOUND, "unknown_issuer"},
    {GNUTLS_CERT_SIGNATURE_FAILURE, "bad_signature"},
    {GNUTLS_CERT_SIGNER_NOT_CA, "not_a_ca"},
    {GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS, "unknown_critical_extension"},
    {GNUTLS_CERT_EXPIRED, "expired"},
    {GNUTLS_CERT_NOT_ACTIVATED, "not_yet_valid"},
    /* GnuTLS folds path length, key usage and name constraints into one bit. */
    {GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, "other"},
    {GNUTLS_CERT_INSECURE_ALGORITHM, "weak_algorithm"},
    {GNUTLS_CERT_PURPOSE_MISMATCH, "bad_ext_key_usage"},
    {GNUTLS_CERT_UNEXPECTED_OWNER, "name_mismatch"},
};

const char *x509_reason_of_gnutls_status(unsigned status) {
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (status & map[i].bit)
      return map[i].reason;
  return "other";
}
