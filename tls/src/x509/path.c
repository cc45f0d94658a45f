/* Path building and validation (RFC 5280 §6.1) from a leaf through untrusted intermediates to a
 * trust anchor, the TLS usage checks on the leaf, and the reasons a chain is rejected with the
 * TLS alerts they imply.
 *
 * The two questions are answered apart (tg_x509_verify_result): the path search judges the
 * path alone (RFC 5280 §6, and under the WEBPKI profile the profile's checks of webpki.c), and
 * the leaf's TLS usage (keyUsage and extKeyUsage for the purpose, the WEBPKI end-entity rules,
 * the name) is judged once, on the leaf, whether or not a path was found. */
#include <string.h>

#include "x509_verify_internal.h"

/* ---- Reasons and their alerts ---------------------------------------------------------------- */

/* RFC 8446 §6.2 defines the certificate alerts; the mapping follows their definitions:
 *  - bad_certificate "was corrupt, contained signatures that did not verify": malformed,
 *    bad_signature.
 *  - certificate_expired "has expired or is not currently valid": expired, not_yet_valid.
 *  - unknown_ca "the CA certificate could not be located or could not be matched with a known
 *    trust anchor": unknown_issuer, self_signed, and the issuers that cannot be the CA of the
 *    certificate below them (not_a_ca, path_len_exceeded, path_too_long). OpenSSL and BoringSSL
 *    send the same for these (ssl_verify_alarm_type).
 *  - unsupported_certificate "of an unsupported type": certificates this engine will not use
 *    for TLS: keyUsage or extKeyUsage without the purpose, an unknown critical extension, an
 *    algorithm it lacks or refuses (RFC 8446 §4.4.2.4: unsupported_certificate is the default
 *    when no acceptable chain can be built from the supported algorithms).
 *  - certificate_unknown "some other (unspecified) issue ... rendering it unacceptable": a
 *    well-formed, correctly signed chain whose CA forbade the names (name constraints).
 *  - name_mismatch: bad_certificate, as OpenSSL, BoringSSL and GnuTLS send; RFC 8446 names no
 *    alert for a certificate of another host, and certificate_unknown would fit as well. */
static const struct {
  const char *name;
  enum tg_alert alert;
} reasons[] = {
    [TG_X509_OK] = {"ok", TG_ALERT_close_notify},
    [TG_X509_MALFORMED] = {"malformed", TG_ALERT_bad_certificate},
    [TG_X509_EXPIRED] = {"expired", TG_ALERT_certificate_expired},
    [TG_X509_NOT_YET_VALID] = {"not_yet_valid", TG_ALERT_certificate_expired},
    [TG_X509_UNKNOWN_ISSUER] = {"unknown_issuer", TG_ALERT_unknown_ca},
    [TG_X509_SELF_SIGNED] = {"self_signed", TG_ALERT_unknown_ca},
    [TG_X509_BAD_SIGNATURE] = {"bad_signature", TG_ALERT_bad_certificate},
    [TG_X509_NOT_A_CA] = {"not_a_ca", TG_ALERT_unknown_ca},
    [TG_X509_PATH_LEN_EXCEEDED] = {"path_len_exceeded", TG_ALERT_unknown_ca},
    [TG_X509_PATH_TOO_LONG] = {"path_too_long", TG_ALERT_unknown_ca},
    [TG_X509_NAME_MISMATCH] = {"name_mismatch", TG_ALERT_bad_certificate},
    [TG_X509_BAD_KEY_USAGE] = {"bad_key_usage", TG_ALERT_unsupported_certificate},
    [TG_X509_BAD_EXT_KEY_USAGE] = {"bad_ext_key_usage", TG_ALERT_unsupported_certificate},
    [TG_X509_NAME_CONSTRAINT_VIOLATION] = {"name_constraint_violation",
                                           TG_ALERT_certificate_unknown},
    [TG_X509_UNKNOWN_CRITICAL_EXTENSION] = {"unknown_critical_extension",
                                            TG_ALERT_unsupported_certificate},
    [TG_X509_UNSUPPORTED_ALGORITHM] = {"unsupported_algorithm", TG_ALERT_unsupported_certificate},
    /* RFC 8446 4.4.2.4: an MD5 signature MUST, a SHA-1 one is RECOMMENDED to, end the handshake
     * with bad_certificate. */
    [TG_X509_WEAK_ALGORITHM] = {"weak_algorithm", TG_ALERT_bad_certificate},
    [TG_X509_PROFILE_VIOLATION] = {"profile_violation", TG_ALERT_bad_certificate},
    [TG_X509_TOO_COMPLEX] = {"too_complex", TG_ALERT_certificate_unknown},
};
#define N_REASONS (sizeof reasons / sizeof reasons[0])

const char *tg_x509_reason_name(tg_x509_reason reason) {
  return (unsigned)reason < N_REASONS ? reasons[reason].name : "unknown";
}

int tg_x509_reason_from_name(const char *name) {
  for (size_t i = 0; i < N_REASONS; i++)
    if (strcmp(reasons[i].name, name) == 0)
      return (int)i;
  return -1;
}

enum tg_alert tg_x509_reason_alert(tg_x509_reason reason) {
  return (unsigned)reason < N_REASONS && reason != TG_X509_OK ? reasons[reason].alert
                                                              : TG_ALERT_certificate_unknown;
}

static const char *const profiles[] = {
    [TG_X509_PROFILE_RFC5280] = "rfc5280",
    [TG_X509_PROFILE_WEBPKI] = "webpki",
};
#define N_PROFILES (sizeof profiles / sizeof profiles[0])

const char *tg_x509_profile_name(tg_x509_profile profile) {
  return (unsigned)profile < N_PROFILES ? profiles[profile] : "unknown";
}

int tg_x509_profile_from_name(const char *name) {
  for (size_t i = 0; i < N_PROFILES; i++)
    if (strcmp(profiles[i], name) == 0)
      return (int)i;
  return -1;
}

/* ---- Path building --------------------------------------------------------------------------- */

/* Signatures checked per call at most: every candidate issuer costs one, and a crafted set of
 * cross-signed intermediates could otherwise make the search exponential. */
#define SIGNATURE_BUDGET 64

/* The search state: the path so far and the best failure seen. Ranks order failures by how
 * specific they are: a profile violation on a path RFC 5280 accepts (3) beats a check failing
 * on a real link or a complete path (2), which beats running out of depth or budget (1), which
 * beats finding no issuer at all (0). */
typedef struct search {
  const tg_x509_verify_params *p;
  const tg_x509_cert *path[TG_X509_MAX_PATH];
  size_t len;
  unsigned signatures;
  int best_rank; /* -1: no failure recorded yet */
  tg_x509_reason best_reason;
  size_t best_depth;
  tg_err best_err;
  tg_x509_webpki_hit best_hit; /* the profile check of a PROFILE_VIOLATION */
  const tg_x509_cert *best_path[TG_X509_MAX_PATH];
  size_t best_len;
} search;

/* Keeps the failure in local if it is more specific than the best so far. */
static void note(search *s, int rank, tg_x509_reason reason, size_t depth, const tg_err *local,
                 const tg_x509_webpki_hit *hit) {
  if (rank <= s->best_rank)
    return;
  s->best_rank = rank;
  s->best_reason = reason;
  s->best_depth = depth;
  s->best_err = *local;
  s->best_hit = hit != NULL ? *hit : (tg_x509_webpki_hit){0};
  memcpy(s->best_path, s->path, sizeof s->path);
  s->best_len = s->len;
}

bool tg_x509_self_issued(const tg_x509_cert *c) { return tg_x509_name_eq(&c->subject, &c->issuer); }

static bool in_path(const search *s, const tg_x509_cert *c) {
  for (size_t i = 0; i < s->len; i++)
    if (tg_bytes_eq(s->path[i]->raw, c->raw))
      return true;
  return false;
}

/* RFC 5280 §6.1.3 (a)(4) chains by name: the issuer's subject equals the certificate's issuer.
 * Compared as DER bytes (equal values have equal encodings; RFC 5280 §7.1's case folding of
 * differently encoded strings is not done). The key identifiers narrow the choice when both
 * are present (RFC 5280 §4.2.1.1). */
static bool may_issue(const tg_x509_cert *issuer, const tg_x509_cert *c) {
  if (!tg_x509_name_eq(&issuer->subject, &c->issuer))
    return false;
  if (c->authority_key_id.len > 0 && issuer->has_subject_key_id &&
      !tg_bytes_eq(c->authority_key_id, issuer->subject_key_id))
    return false;
  return true;
}

/* pathLenConstraint of the issuer at depth i: at most that many non-self-issued intermediates
 * below it (RFC 5280 §6.1.4 (l), (m)); the leaf does not count. */
static tg_status check_path_len(const search *s, size_t i, tg_x509_reason *reason, tg_err *err) {
  size_t below = 0;
  for (size_t j = 1; j < i; j++)
    below += !tg_x509_self_issued(s->path[j]);
  X509V_ENSURE(err, reason, !s->path[i]->has_path_len || below <= s->path[i]->path_len,
               PATH_LEN_EXCEEDED,
               "certificate %zu has pathLenConstraint %u and %zu intermediates below it", i,
               s->path[i]->path_len, below);
  return TG_OK;
}

/* The checks of a complete path (leaf .. anchor) that links did not already make. */
static tg_status check_path(const search *s, tg_x509_reason *reason, size_t *depth,
                            tg_x509_webpki_hit *hit, tg_err *err) {
  const tg_x509_verify_params *p = s->p;
  for (size_t i = 0; i < s->len; i++) {
    const tg_x509_cert *c = s->path[i];
    *depth = i;
    TG_TRY(tg_x509_check_validity(c, i, p->now, reason, err));
    /* RFC 5280 §4.2: "A certificate-using system MUST reject the certificate if it encounters
     * a critical extension it does not recognize". */
    X509V_ENSURE(err, reason, !c->unknown_critical, UNKNOWN_CRITICAL_EXTENSION,
                 "certificate %zu has a critical extension this validator does not know", i);
    if (i > 0)
      TG_TRY(check_path_len(s, i, reason, err));
  }
  /* RFC 5280 §6.1.3 (b), (c): each issuer's constraints over every certificate below it and
   * over the reference name (name_constraints.c). */
  TG_TRY(tg_x509_check_path_name_constraints(s->path, s->len, p->name, reason, depth, err));
  *depth = 0;
  if (p->profile == TG_X509_PROFILE_WEBPKI) {
    tg_status st = tg_x509_webpki_check(s->path, s->len, TG_WEBPKI_PATH, hit, err);
    if (st != TG_OK) {
      *reason = TG_X509_PROFILE_VIOLATION;
      *depth = hit->depth;
      return st;
    }
  }
  return TG_OK;
}

/* The leaf as a TLS end entity for p's purpose and name: the reason, with err and *hit (a
 * profile check) saying why. */
static tg_x509_reason check_usage(const tg_x509_cert *leaf, const tg_x509_verify_params *p,
                                  tg_x509_webpki_hit *hit, tg_err *err) {
  tg_x509_reason reason = TG_X509_OK;
  if (tg_x509_check_leaf_usage(leaf, p->purpose, &reason, err) != TG_OK)
    return reason;
  if (p->profile == TG_X509_PROFILE_WEBPKI &&
      tg_x509_webpki_check(&leaf, 1, TG_WEBPKI_USAGE, hit, err) != TG_OK)
    return TG_X509_PROFILE_VIOLATION;
  /* RFC 9525 §6: the reference identifier against the leaf's subjectAltName. */
  if (p->name != NULL && !tg_x509_matches_name(leaf, p->name))
    (void)X509V_REJECT(err, &reason, NAME_MISMATCH,
                       "the leaf's subjectAltName does not match \"%.80s\"", p->name);
  return reason;
}

static bool is_anchor(const search *s, const tg_x509_cert *c) {
  return s->p->anchors != NULL && tg_x509_store_contains(s->p->anchors, c);
}

static bool extend(search *s);

/* Tries cand as the issuer of the last certificate of the path. */
static bool try_issuer(search *s, const tg_x509_cert *cand) {
  const tg_x509_cert *cur = s->path[s->len - 1];
  tg_x509_reason reason = TG_X509_OK;
  tg_err local;
  tg_err_clear(&local);
  if (s->len == TG_X509_MAX_PATH) {
    X509V_REJECT(&local, &reason, PATH_TOO_LONG,
                 "no path of at most %d certificates reaches a trust anchor", TG_X509_MAX_PATH);
    note(s, 1, reason, s->len, &local, NULL);
    return false;
  }
  if (++s->signatures > SIGNATURE_BUDGET) {
    X509V_REJECT(&local, &reason, PATH_TOO_LONG, "gave up after %d candidate issuers",
                 SIGNATURE_BUDGET);
    note(s, 1, reason, s->len, &local, NULL);
    return false;
  }
  s->path[s->len++] = cand;
  /* The signature first: it proves cand is the issuer, so what follows is about this link. */
  if (tg_x509_check_signature(cur, cand, &reason, &local) != TG_OK ||
      tg_x509_check_issuer(cand, s->len - 1, is_anchor(s, cand), &reason, &local) != TG_OK) {
    note(s, 2, reason, s->len - (reason == TG_X509_BAD_SIGNATURE ? 2 : 1), &local, NULL);
    s->len--;
    return false;
  }
  if (extend(s))
    return true;
  s->len--;
  return false;
}

/* Completes the path from its last certificate; true when a complete path validates. */
static bool extend(search *s) {
  const tg_x509_cert *cur = s->path[s->len - 1];
  const tg_x509_verify_params *p = s->p;
  if (is_anchor(s, cur)) {
    tg_x509_reason reason = TG_X509_OK;
    size_t depth = 0;
    tg_x509_webpki_hit hit = {0};
    tg_err local;
    tg_err_clear(&local);
    if (check_path(s, &reason, &depth, &hit, &local) == TG_OK)
      return true;
    /* A profile violation is found only on a path RFC 5280 accepts: it outranks the rest. */
    note(s, reason == TG_X509_PROFILE_VIOLATION ? 3 : 2, reason, depth, &local, &hit);
    return false;
  }
  size_t n_anchors = p->anchors != NULL ? tg_x509_store_count(p->anchors) : 0;
  /* Anchors first: the shortest path to trust is tried before any detour. */
  for (size_t i = 0; i < n_anchors + p->untrusted_count; i++) {
    const tg_x509_cert *cand =
        i < n_anchors ? tg_x509_store_get(p->anchors, i) : p->untrusted[i - n_anchors];
    if (!may_issue(cand, cur) || in_path(s, cand))
      continue;
    if (i >= n_anchors && is_anchor(s, cand))
      continue; /* the same certificate as an anchor: already tried as one */
    if (try_issuer(s, cand))
      return true;
  }
  return false;
}

static void no_path(search *s, const tg_x509_cert *leaf) {
  tg_err local;
  tg_x509_reason reason = TG_X509_OK;
  char name[128];
  tg_err_clear(&local);
  if (tg_x509_self_issued(leaf)) {
    X509V_REJECT(&local, &reason, SELF_SIGNED,
                 "the leaf is self-issued and not one of the trust anchors");
  } else {
    tg_x509_name_format(&s->path[s->len - 1]->issuer, name, sizeof name);
    X509V_REJECT(&local, &reason, UNKNOWN_ISSUER,
                 "no certificate issued by a trust anchor leads to the leaf (issuer %s)", name);
  }
  note(s, 0, reason, 0, &local, NULL);
}

tg_status tg_x509_verify(const tg_x509_cert *leaf, const tg_x509_verify_params *p,
                         tg_x509_verify_result *res, tg_err *err) {
  static search zero;
  search s = zero;
  s.p = p;
  s.best_rank = -1;
  s.path[0] = leaf;
  s.len = 1;
  memset(res, 0, sizeof *res);
  if (extend(&s)) {
    memcpy(res->path, s.path, sizeof s.path);
    res->path_len = s.len;
  } else {
    if (s.best_rank < 0)
      no_path(&s, leaf);
    res->path_reason = s.best_reason;
    res->depth = s.best_depth;
    memcpy(res->path, s.best_path, sizeof s.best_path);
    res->path_len = s.best_len;
  }
  tg_x509_webpki_hit usage_hit = {0};
  tg_err usage_err;
  tg_err_clear(&usage_err);
  res->usage_reason = check_usage(leaf, p, &usage_hit, &usage_err);
  /* The path's failure first: the usage of a leaf without a valid path matters less. */
  const tg_err *e = &s.best_err;
  const tg_x509_webpki_hit *hit = &s.best_hit;
  res->reason = res->path_reason;
  if (res->path_reason == TG_X509_OK) {
    e = &usage_err;
    hit = &usage_hit;
    res->reason = res->usage_reason;
  }
  if (res->path_reason != TG_X509_PROFILE_VIOLATION &&
      res->usage_reason == TG_X509_PROFILE_VIOLATION)
    hit = &usage_hit;
  res->check = hit->check;
  res->source = hit->source;
  if (res->reason == TG_X509_OK)
    return TG_OK;
  return tg_fail(err, e->alert, e->code, e->file, e->line, "%s", e->what);
}
