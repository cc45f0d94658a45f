/* X.509 path validation (RFC 5280 §6), host-name matching (RFC 9525, RFC 6125), trust stores,
 * and the tg_validator (tg/validator.h) built on them.
 *
 * tg_x509_verify builds paths from a leaf through untrusted intermediates to a trust anchor by
 * name (issuer = subject, compared as RFC 5280 §7.1 says: tg_x509_name_eq) and key identifier
 * (authorityKeyIdentifier against subjectKeyIdentifier, when both are present), trying every
 * candidate depth first until one path passes every check. When none does, the most specific
 * failure wins: a check that failed on a path that reached an anchor, else a path cut short by
 * the depth limit, else unknown_issuer. Loops end because a path never holds the same
 * certificate twice, and a budget bounds the signatures checked per call.
 *
 * Every rejection has a stable reason (tg_x509_reason) and the TLS alert it implies; the
 * tg_err gets the alert, a message naming the certificate (by depth: 0 is the leaf) and the
 * check, and the file:line of the check. Time is injected (now), nothing is read from the
 * environment, and nothing is allocated except the public keys of tg/sig.h and a trust
 * store's buffers (tg_writer). */
#ifndef TG_X509_VERIFY_H
#define TG_X509_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/error.h"
#include "tg/validator.h"
#include "tg/x509.h"

/* The most certificates a path may hold, leaf and trust anchor included. */
#define TG_X509_MAX_PATH 8
/* Untrusted certificates a tg_x509_validator considers (the rest of a longer chain is ignored). */
#define TG_X509_MAX_UNTRUSTED 16

/* Why a path was rejected. Never renumber: the names appear in JSON results and manifests. */
typedef enum tg_x509_reason {
  TG_X509_OK = 0,
  TG_X509_MALFORMED = 1,                  /* a certificate does not parse */
  TG_X509_EXPIRED = 2,                    /* now is after notAfter */
  TG_X509_NOT_YET_VALID = 3,              /* now is before notBefore */
  TG_X509_UNKNOWN_ISSUER = 4,             /* no issuer found, or none leads to an anchor */
  TG_X509_SELF_SIGNED = 5,                /* a self-issued leaf that is not an anchor */
  TG_X509_BAD_SIGNATURE = 6,              /* the issuer's key does not verify the signature */
  TG_X509_NOT_A_CA = 7,                   /* an issuer without cA (or a v1 certificate) */
  TG_X509_PATH_LEN_EXCEEDED = 8,          /* an issuer's pathLenConstraint is exceeded */
  TG_X509_PATH_TOO_LONG = 9,              /* longer than TG_X509_MAX_PATH, or the budget ran out */
  TG_X509_NAME_MISMATCH = 10,             /* the leaf is not for the requested name */
  TG_X509_BAD_KEY_USAGE = 11,             /* keyCertSign on an issuer, digitalSignature on leaf */
  TG_X509_BAD_EXT_KEY_USAGE = 12,         /* extKeyUsage lacks the purpose */
  TG_X509_NAME_CONSTRAINT_VIOLATION = 13, /* a name outside an issuer's nameConstraints */
  TG_X509_UNKNOWN_CRITICAL_EXTENSION = 14,
  TG_X509_UNSUPPORTED_ALGORITHM = 15, /* a signature algorithm or key this engine lacks */
  TG_X509_WEAK_ALGORITHM = 16,        /* MD5 or SHA-1 signatures, refused by policy */
  TG_X509_PROFILE_VIOLATION = 17, /* webpki: a rule of the profile (result's check and source) */
  TG_X509_TOO_COMPLEX = 18,       /* names x name constraints beyond the checking budget */
} tg_x509_reason;

/* Which rules a path must meet. RFC5280 (the default, 0): the rules RFC 5280 §6 puts on a
 * verifier, and RFC 9525 names. WEBPKI: also the profile the CA/Browser Forum Baseline
 * Requirements put on issuing CAs, as browser validators check it (key sizes, AKI/SKI,
 * extKeyUsage, criticality, ...); a failure is TG_X509_PROFILE_VIOLATION with the check's id
 * and its source in the result. */
typedef enum tg_x509_profile {
  TG_X509_PROFILE_RFC5280 = 0,
  TG_X509_PROFILE_WEBPKI = 1,
} tg_x509_profile;

/* "rfc5280" or "webpki"; "unknown" outside the enum. */
const char *tg_x509_profile_name(tg_x509_profile profile);
/* The profile named name, or -1. */
int tg_x509_profile_from_name(const char *name);

/* "expired", "unknown_issuer", ... ("ok" for TG_X509_OK); "unknown" outside the enum. */
const char *tg_x509_reason_name(tg_x509_reason reason);
/* The reason named name, or -1. */
int tg_x509_reason_from_name(const char *name);
/* The TLS alert a rejection implies (RFC 8446 §6.2); the table in path.c gives the reasoning. */
enum tg_alert tg_x509_reason_alert(tg_x509_reason reason);

/* ---- Trust store ----------------------------------------------------------------------------- */

/* Certificates in one growing buffer and their parsed views. The views are rebuilt whenever the
 * buffer grows, so pointers from tg_x509_store_get are valid until the next add. */
typedef struct tg_x509_store {
  tg_writer der;   /* the DER certificates back to back */
  tg_writer certs; /* tg_x509_cert[count], views into der */
  size_t count;
} tg_x509_store;

void tg_x509_store_init(tg_x509_store *s);
void tg_x509_store_free(tg_x509_store *s);
/* One DER certificate (copied). A certificate that does not parse is refused (bad_certificate)
 * and the store is left as it was. */
TG_MUST_CHECK tg_status tg_x509_store_add_der(tg_x509_store *s, tg_bytes der, tg_err *err);
/* Every CERTIFICATE block of a PEM text (other blocks are skipped); at least one is required.
 * On failure nothing is added. */
TG_MUST_CHECK tg_status tg_x509_store_add_pem(tg_x509_store *s, tg_bytes text, tg_err *err);
static inline size_t tg_x509_store_count(const tg_x509_store *s) { return s->count; }
const tg_x509_cert *tg_x509_store_get(const tg_x509_store *s, size_t i);
/* True when cert is byte for byte one of the store's certificates. */
bool tg_x509_store_contains(const tg_x509_store *s, const tg_x509_cert *cert);

/* ---- Path validation ------------------------------------------------------------------------- */

typedef struct tg_x509_verify_params {
  const tg_x509_store *anchors;         /* trust anchors; NULL is an empty store */
  const tg_x509_cert *const *untrusted; /* intermediates offered by the peer, any order */
  size_t untrusted_count;
  const char *name; /* DNS name or IP literal the leaf must be for; NULL: not checked */
  int64_t now;      /* seconds since the Unix epoch */
  tg_cert_purpose purpose;
  tg_x509_profile profile; /* 0: RFC5280 */
} tg_x509_verify_params;

typedef struct tg_x509_verify_result {
  tg_x509_reason reason;
  size_t depth; /* the certificate the reason is about: 0 the leaf, 1 its issuer, ... */
  /* The path that validated (leaf first, anchor last), or the last one tried. */
  const tg_x509_cert *path[TG_X509_MAX_PATH];
  size_t path_len;
  /* The two questions apart. path_reason: RFC 5280 §6 path validation alone (signatures,
   * validity, issuers' rights, name constraints, critical extensions; under WEBPKI also the
   * profile). usage_reason: the TLS usage checks alone on the leaf (keyUsage and extKeyUsage for
   * the purpose, RFC 8446 §4.4.2.2; a CA certificate as a leaf; the name, RFC 9525), judged
   * whether or not a path was found. reason is path_reason unless that is TG_X509_OK. */
  tg_x509_reason path_reason, usage_reason;
  /* A profile violation: the check's stable id ("webpki-leaf-eku-missing") and the rule's
   * source ("BR 7.1.2.7.10", "RFC 5280 4.2.1.2"); NULL otherwise. */
  const char *check, *source;
} tg_x509_verify_result;

/* TG_OK when a path from leaf to an anchor passes every check; otherwise the failure's status,
 * with res->reason and err (alert tg_x509_reason_alert(reason)) saying why. */
TG_MUST_CHECK tg_status tg_x509_verify(const tg_x509_cert *leaf, const tg_x509_verify_params *p,
                                       tg_x509_verify_result *res, tg_err *err);

/* ---- Host names (RFC 9525 §6.3, RFC 6125 §6.4) ----------------------------------------------- */

/* name as an IPv4 dotted quad or an IPv6 literal: its 4 or 16 octets in out, the count in *len.
 * False when it is not an IP literal (it is then a DNS name). */
bool tg_x509_parse_ip(const char *name, uint8_t out[16], size_t *len);
/* One subjectAltName dNSName (pattern) against a reference DNS name: ASCII case-insensitive,
 * a trailing dot on the reference ignored, '*' only as the whole left-most label of a pattern
 * with at least two more labels, matching exactly one non-empty label. */
bool tg_x509_dns_match(tg_bytes pattern, tg_bytes reference);
/* The leaf is for name: DNS names against dNSName entries only, IP literals against iPAddress
 * entries only; the subject's commonName is never used. */
bool tg_x509_matches_name(const tg_x509_cert *cert, const char *name);

/* ---- Checks on one certificate (exposed for tests; tg_x509_verify runs them) --------------- */

/* issuer's key verifies cert's signature (RSA PKCS#1 v1.5, RSA-PSS, ECDSA, Ed25519). */
TG_MUST_CHECK tg_status tg_x509_check_signature(const tg_x509_cert *cert,
                                                const tg_x509_cert *issuer, tg_x509_reason *reason,
                                                tg_err *err);
/* The names of cert (subject and subjectAltName) against issuer's nameConstraints. */
TG_MUST_CHECK tg_status tg_x509_check_name_constraints(const tg_x509_cert *cert,
                                                       const tg_x509_cert *issuer, tg_err *err);

/* name as "CN=..., O=..., C=..." (RFC 4514 order: last RDN first), truncated to len. */
void tg_x509_name_format(const tg_x509_name *name, char *out, size_t len);

/* ---- The validator --------------------------------------------------------------------------- */

/* A tg_validator over tg_x509_verify with these anchors (which must outlive it), under the
 * RFC5280 profile. */
void tg_x509_validator_init(tg_validator *v, const tg_x509_store *anchors);
/* The profile of a validator made by tg_x509_validator_init (any value but WEBPKI is RFC5280). */
void tg_x509_validator_set_profile(tg_validator *v, tg_x509_profile profile);

#endif
