/* The library-error-to-reason maps of the verify adapters and fuzz_x509_diff
 * (peers/x509_reasons.h): every name a map returns is one tg_x509_reason_name returns for a
 * rejection, or "other"; and a few codes whose meaning the library documents map to the built-in
 * validator's reason of the same meaning. The OpenSSL/BoringSSL map is compiled here against
 * OpenSSL's headers; compiled against BoringSSL's it has a subset of these case labels, so it
 * returns a subset of these names. */
#include <criterion/criterion.h>
#include <gnutls/gnutls.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <string.h>

#include "tg/x509_verify.h"
#include "x509_reasons.h"

/* A name a verify adapter may print for a rejection (peers/README.md, --verify). */
static bool is_rejection_reason(const char *name) {
  return name != NULL &&
         (strcmp(name, "other") == 0 || tg_x509_reason_from_name(name) > TG_X509_OK);
}

Test(x509_reason, sslapi_names_are_reasons) {
  /* X509_V_ERR_* codes are small non-negative numbers (OpenSSL 3 ends near 100); every int
   * around them reaches every case label and the default. */
  for (int err = -1; err < 1024; err++) {
    const char *name = x509_reason_of_x509_v_err(err);
    cr_expect(is_rejection_reason(name), "X509_V_ERR %d maps to \"%s\"", err, name);
  }
}

Test(x509_reason, gnutls_names_are_reasons) {
  /* Every bit alone and every pair: each row of the table, and which one wins over another. */
  for (unsigned i = 0; i < 32; i++)
    for (unsigned j = i; j < 32; j++) {
      unsigned status = 1u << i | 1u << j;
      const char *name = x509_reason_of_gnutls_status(status);
      cr_expect(is_rejection_reason(name), "GnuTLS status 0x%x maps to \"%s\"", status, name);
    }
}

Test(x509_reason, sslapi_codes) {
  static const struct {
    int err;
    tg_x509_reason want; /* TG_X509_OK: "other" */
  } rows[] = {
      {X509_V_ERR_CERT_HAS_EXPIRED, TG_X509_EXPIRED},
      {X509_V_ERR_CERT_NOT_YET_VALID, TG_X509_NOT_YET_VALID},
      {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, TG_X509_UNKNOWN_ISSUER},
      {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, TG_X509_UNKNOWN_ISSUER},
      {X509_V_ERR_CERT_SIGNATURE_FAILURE, TG_X509_BAD_SIGNATURE},
      {X509_V_ERR_HOSTNAME_MISMATCH, TG_X509_NAME_MISMATCH},
      {X509_V_ERR_IP_ADDRESS_MISMATCH, TG_X509_NAME_MISMATCH},
      {X509_V_ERR_INVALID_CA, TG_X509_NOT_A_CA},
      {X509_V_ERR_PATH_LENGTH_EXCEEDED, TG_X509_PATH_LEN_EXCEEDED},
      {X509_V_ERR_KEYUSAGE_NO_CERTSIGN, TG_X509_BAD_KEY_USAGE},
      {X509_V_ERR_INVALID_PURPOSE, TG_X509_BAD_EXT_KEY_USAGE},
      {X509_V_ERR_EXCLUDED_VIOLATION, TG_X509_NAME_CONSTRAINT_VIOLATION},
      {X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, TG_X509_UNKNOWN_CRITICAL_EXTENSION},
      {X509_V_ERR_CERT_CHAIN_TOO_LONG, TG_X509_PATH_TOO_LONG},
      {X509_V_ERR_CA_MD_TOO_WEAK, TG_X509_WEAK_ALGORITHM},
      /* Under --profile webpki (auth level 2, X509_V_FLAG_X509_STRICT): rules of the profile. */
      {X509_V_ERR_EE_KEY_TOO_SMALL, TG_X509_PROFILE_VIOLATION},
      {X509_V_ERR_CA_KEY_TOO_SMALL, TG_X509_PROFILE_VIOLATION},
      {X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, TG_X509_PROFILE_VIOLATION},
      {X509_V_ERR_CA_BCONS_NOT_CRITICAL, TG_X509_PROFILE_VIOLATION},
      /* No reason of ours means "revoked" or "unspecified". */
      {X509_V_ERR_CERT_REVOKED, TG_X509_OK},
      {X509_V_ERR_UNSPECIFIED, TG_X509_OK},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const char *want = rows[i].want == TG_X509_OK ? "other" : tg_x509_reason_name(rows[i].want);
    cr_expect_str_eq(x509_reason_of_x509_v_err(rows[i].err), want, "X509_V_ERR %d", rows[i].err);
  }
}

Test(x509_reason, gnutls_status) {
  static const struct {
    unsigned status;
    tg_x509_reason want; /* TG_X509_OK: "other" */
  } rows[] = {
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_EXPIRED, TG_X509_EXPIRED},
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_NOT_ACTIVATED, TG_X509_NOT_YET_VALID},
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND, TG_X509_UNKNOWN_ISSUER},
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_CA, TG_X509_NOT_A_CA},
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_UNEXPECTED_OWNER, TG_X509_NAME_MISMATCH},
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_PURPOSE_MISMATCH, TG_X509_BAD_EXT_KEY_USAGE},
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_INSECURE_ALGORITHM, TG_X509_WEAK_ALGORITHM},
      /* Path length, key usage or name constraints: one bit, no single reason. */
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, TG_X509_OK},
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_REVOKED, TG_X509_OK},
      {GNUTLS_CERT_INVALID, TG_X509_OK},
      /* Two faults: the one met first on the path names the reason. */
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_EXPIRED | GNUTLS_CERT_SIGNER_NOT_FOUND,
       TG_X509_UNKNOWN_ISSUER},
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_SIGNATURE_FAILURE,
       TG_X509_BAD_SIGNATURE},
      {GNUTLS_CERT_INVALID | GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_EXPIRED, TG_X509_EXPIRED},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const char *want = rows[i].want == TG_X509_OK ? "other" : tg_x509_reason_name(rows[i].want);
    cr_expect_str_eq(x509_reason_of_gnutls_status(rows[i].status), want, "status 0x%x",
                     rows[i].status);
  }
}
