/* Shared by the path validator's files (path.c, checks.c, trust.c, validator.c, webpki.c). */
#ifndef TG_X509_VERIFY_INTERNAL_H
#define TG_X509_VERIFY_INTERNAL_H

#include "tg/der.h"
#include "tg/x509_verify.h"

/* Records a rejection: the reason in *out (may be NULL), the reason's alert in err. */
tg_status tg_x509_reject(tg_err *err, tg_x509_reason *out, tg_x509_reason reason, const char *file,
                         int line, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#define X509V_REJECT(err, out, reason, ...)                                                        \
  tg_x509_reject((err), (out), TG_X509_##reason, TG_HERE, __VA_ARGS__)
#define X509V_ENSURE(err, out, cond, reason, ...)                                                  \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      return X509V_REJECT((err), (out), reason, __VA_ARGS__);                                      \
  } while (0)

/* checks.c: the checks on one certificate of a path at depth (0: the leaf). */
TG_MUST_CHECK tg_status tg_x509_check_validity(const tg_x509_cert *c, size_t depth, int64_t now,
                                               tg_x509_reason *reason, tg_err *err);
/* c may issue certificates: v3, basicConstraints cA, keyUsage keyCertSign when present; a
 * trust anchor (anchor) may be v1 or lack basicConstraints. */
TG_MUST_CHECK tg_status tg_x509_check_issuer(const tg_x509_cert *c, size_t depth, bool anchor,
                                             tg_x509_reason *reason, tg_err *err);
/* The leaf may sign TLS handshakes for purpose: keyUsage and extKeyUsage. */
TG_MUST_CHECK tg_status tg_x509_check_leaf_usage(const tg_x509_cert *leaf, tg_cert_purpose purpose,
                                                 tg_x509_reason *reason, tg_err *err);

/* webpki.c: the WEBPKI profile's checks on a path (leaf first, anchor last). PATH: the checks
 * that count in path_reason; USAGE: those on the leaf as a TLS end entity (usage_reason), run
 * on path[0] alone. A failure is PROFILE_VIOLATION (err) with the check's id, its source and
 * the certificate's depth in *hit. */
typedef enum tg_x509_webpki_part { TG_WEBPKI_PATH, TG_WEBPKI_USAGE } tg_x509_webpki_part;
typedef struct tg_x509_webpki_hit {
  const char *check, *source;
  size_t depth;
} tg_x509_webpki_hit;
TG_MUST_CHECK tg_status tg_x509_webpki_check(const tg_x509_cert *const *path, size_t len,
                                             tg_x509_webpki_part part, tg_x509_webpki_hit *hit,
                                             tg_err *err);
/* The table of checks, for tests: how many, and check i's id (NULL past the end) and source. */
size_t tg_x509_webpki_count(void);
const char *tg_x509_webpki_id(size_t i, const char **source);

/* name_constraints.c: RFC 5280 §6.1.3 (b), (c) over a whole path (leaf first, anchor last):
 * each issuer's nameConstraints against the names of every certificate below it (self-issued
 * intermediates excepted) and against name, the reference identifier, when it is a DNS name
 * the leaf matches (a wildcard's expansion; CVE-2025-61727). A failure sets *reason
 * (name_constraint_violation, or too_complex over the budget) and *depth (the certificate the
 * failure is about). */
TG_MUST_CHECK tg_status tg_x509_check_path_name_constraints(const tg_x509_cert *const *path,
                                                            size_t len, const char *name,
                                                            tg_x509_reason *reason, size_t *depth,
                                                            tg_err *err);
/* Name-subtree comparisons one path may need at most: names (subject, its emailAddress
 * attributes, subjectAltName entries, the reference name) times the subtrees of each issuer
 * above them, summed over the path. Real hierarchies need hundreds to a few thousand. OpenSSL
 * allows 2^20 per certificate and Go 250,000 comparisons per chain, but a comparison here
 * re-reads a GeneralSubtree (about 0.2 us), so 2^16 keeps a path's check near 15 ms. */
#define TG_X509_NAME_CHECK_BUDGET (1 << 16)
/* The names of cert that constraints apply to, and the subtrees of ca (0 without the
 * extension): the two factors of the budget. */
size_t tg_x509_name_count(const tg_x509_cert *cert);
size_t tg_x509_subtree_count(const tg_x509_cert *ca);

/* hostname.c: ASCII case-insensitive equality (DNS names). */
bool tg_x509_eq_nocase(tg_bytes a, tg_bytes b);

/* True when subject and issuer Names are the same (byte comparison, see path.c). */
bool tg_x509_self_issued(const tg_x509_cert *c);

#endif
