/* One chain through a reference library's own path validation, in memory: the one place that
 * decides how GnuTLS, OpenSSL and BoringSSL are asked to verify (flags, purpose, name, time,
 * profile), shared by the adapters' --verify (verify_gnutls.c, verify_sslapi.c) and
 * fuzz_x509_diff, so that a difference the fuzzer reports is one `tlsgauntlet verify --peer`
 * shows. The caller parses the certificates (a file for the adapters, fuzz input for the fuzzer)
 * and keeps the bad-input rules; the check files include no peer_common.h.
 *
 * One file per library API, peers/x509_check_NAME.c with its declaration in x509_check_NAME.h,
 * compiled into the adapter and fuzz_x509_diff (CMakeLists.txt); the sslapi one against
 * OpenSSL's or BoringSSL's headers. */
#ifndef TG_PEERS_X509_CHECK_H
#define TG_PEERS_X509_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "tg/x509_verify.h" /* tg_x509_profile */

typedef struct x509_check_in {
  const char *name; /* DNS name or IP address the leaf must be for; NULL: no name check */
  bool client;      /* the purpose: a TLS client certificate (else a server's) */
  int64_t now;      /* the verification time, seconds since the epoch */
  tg_x509_profile profile;
} x509_check_in;

typedef struct x509_check_out {
  bool done; /* false: the library could not be set up (detail says why) */
  bool valid;
  const char *reason; /* when invalid: x509_reasons.h's name of the library's error */
  char detail[256];   /* the library's own words for a rejection */
  char flags[256];    /* how it was asked, in its API's words (peers/README.md --verify) */
} x509_check_out;

#endif
