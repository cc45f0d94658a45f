/* Certificate validation as an interface (BearSSL's x509 class): the engine hands the peer's
 * chain to a validator and gets back the leaf's public key, or a failure naming its alert.
 * Two implementations: the known-key validator here (trust exactly one public key, for tests and
 * for pinning), and the X.509 path validator (tg/x509.h) when it exists. */
#ifndef TG_VALIDATOR_H
#define TG_VALIDATOR_H

#include <stdint.h>

#include "tg/codec.h"
#include "tg/sig.h"

/* What the peer's certificate is checked for. */
typedef enum tg_cert_purpose { TG_PURPOSE_SERVER = 0, TG_PURPOSE_CLIENT = 1 } tg_cert_purpose;

typedef struct tg_validation_request {
  const tg_bytes *chain; /* DER certificates as sent, leaf first */
  size_t chain_len;
  const char *name; /* host name or IP literal to match, or NULL for none (client certs) */
  int64_t now;      /* seconds since the Unix epoch, from the engine's injected clock */
  tg_cert_purpose purpose;
} tg_validation_request;

typedef struct tg_validator {
  /* On success *leaf_key is the leaf's public key, owned by the caller (tg_public_key_free).
   * Failures carry the alert: bad_certificate, unsupported_certificate, certificate_expired,
   * unknown_ca, ... (RFC 8446 §6.2). */
  TG_MUST_CHECK tg_status (*validate)(const struct tg_validator *v, const tg_validation_request *req,
                                      tg_public_key **leaf_key, tg_err *err);
  void *ctx;
} tg_validator;

/* The known-key validator: accepts a chain exactly when the leaf's subjectPublicKeyInfo equals
 * spki byte for byte (no name, time or chain checks: that is what it is for). spki must outlive
 * the validator. */
void tg_known_key_validator_init(tg_validator *v, const tg_bytes *spki);

/* The subjectPublicKeyInfo of a DER certificate, as a view into it (a minimal walk of
 * Certificate.tbsCertificate; the X.509 module's full parser supersedes it). */
TG_MUST_CHECK tg_status tg_cert_spki(tg_bytes cert, tg_bytes *spki, tg_err *err);

#endif
