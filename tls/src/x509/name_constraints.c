/* Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b) and (c)): every CA's permitted and excluded
 * subtrees over the names of each certificate below it on a path, and over the reference name
 * the leaf is used for.
 *
 * The names of a certificate are its subject (a directoryName, unless empty), the emailAddress
 * attributes of its subject (rfc822Names, §4.2.1.6) and its subjectAltName entries. A name is
 * checked against the subtrees of its own form: dNSName, rfc822Name, iPAddress, directoryName,
 * uniformResourceIdentifier (its host).
 * A constraint on any other form, with a name of that form below it, rejects the path
 * (§4.2.1.10: "MUST either process the constraint or reject the certificate").
 *
 * Wildcards (CVE-2025-61727). "*.example.com" is a name under example.com, so a permitted or
 * excluded example.com treats it as it treats any name of that domain. But an excluded
 * bar.example.com lies below the wildcard, not above it: the wildcard string is not within it,
 * and yet the leaf would serve bar.example.com. RFC 5280 leaves wildcards undefined. Go 1.25.5
 * refuses a wildcard SAN whenever one of its expansions could fall in an excluded subtree, which
 * also refuses the leaf for foo.example.com. Here the name the leaf is used for decides
 * instead: when the leaf matches the reference name (RFC 9525 §6.3), that name is checked
 * against every issuer's dNSName subtrees like one of the leaf's own names. So the
 * leaf above is refused for bar.example.com and accepted for foo.example.com; with no reference
 * name (a path checked for no host) nothing is refused for it.
 *
 * Work budget. Each name is compared with each subtree of each issuer above it, so a CA with
 * thousands of subtrees over a leaf with thousands of names costs millions of comparisons per
 * path. As OpenSSL (NAME_CHECK_MAX; 3.0 reports X509_V_ERR_UNSPECIFIED) and Go
 * (MaxConstraintComparisions) do, the product is counted before any comparison and a path over
 * TG_X509_NAME_CHECK_BUDGET is refused as too_complex. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "x509_internal.h"
#include "x509_verify_internal.h"

/* ---- One name within one subtree ------------------------------------------------------------- */

/* An absolute name ("example.com.") names the same host as the relative one (RFC 1034 §3.1). */
static tg_bytes drop_root_dot(tg_bytes name) {
  if (name.len > 1 && name.p[name.len - 1] == '.')
    name.len--;
  return name;
}

/* dNSName: "Any DNS name that can be constructed by simply adding zero or more labels to the
 * left-hand side of the name satisfies the name constraint." A leading '.' (as in rfc822Name and
 * URI constraints, and as OpenSSL and Go read it) admits subdomains only. The comparison is
 * ASCII case-insensitive, label by label (RFC 5280 §7.2); an empty base covers every name. */
static bool dns_within(tg_bytes name, tg_bytes base) {
  name = drop_root_dot(name);
  base = drop_root_dot(base);
  if (base.len == 0)
    return true;
  if (name.len < base.len)
    return false;
  tg_bytes tail = tg_bytes_of(name.p + name.len - base.len, base.len);
  if (!tg_x509_eq_nocase(tail, base))
    return false;
  return base.p[0] == '.' ? name.len > base.len
                          : name.len == base.len || name.p[name.len - base.len - 1] == '.';
}

/* iPAddress: the address then its mask (RFC 5280 §4.2.1.10), 8 or 32 octets with a CIDR mask,
 * which the parser guarantees (general_name.c). An IPv4 name is never within an IPv6 range. */
static bool ip_within(tg_bytes ip, tg_bytes base) {
  if (base.len != 2 * ip.len)
    return false;
  for (size_t i = 0; i < ip.len; i++) {
    uint8_t mask = base.p[ip.len + i];
    if ((ip.p[i] & mask) != (base.p[i] & mask))
      return false;
  }
  return true;
}

/* A Mailbox "Local-part@Domain" (RFC 5280 §4.2.1.6, RFC 5321 §4.1.2) split at its last '@' (a
 * quoted local part may hold one); false unless both parts are non-empty. */
static bool split_mailbox(tg_bytes mailbox, tg_bytes *local, tg_bytes *domain) {
  size_t at = mailbox.len;
  while (at > 0 && mailbox.p[at - 1] != '@')
    at--;
  if (at < 2 || at == mailbox.len)
    return false;
  *local = tg_bytes_of(mailbox.p, at - 1);
  *domain = tg_bytes_of(mailbox.p + at, mailbox.len - at);
  return true;
}

/* An rfc822Name base is a mailbox, a host, or a ".domain" (RFC 5280 §4.2.1.10); an empty base
 * covers every address. Anything else ("@example.com", "a@", "..x") is not a constraint this
 * validator can apply, and is reported as such rather than read as matching nothing. */
static bool rfc822_base_ok(tg_bytes base) {
  tg_bytes local, domain;
  if (base.len == 0)
    return true;
  if (memchr(base.p, '@', base.len) != NULL)
    return split_mailbox(base, &local, &domain);
  return base.p[0] != '.' || (base.len > 1 && base.p[1] != '.');
}

/* rfc822Name: "root@example.com" is that mailbox, "example.com" every address at that host,
 * ".example.com" every address at a host below it but not at example.com itself (RFC 5280
 * §4.2.1.10). The local part compares exactly, the domain case-insensitively (RFC 5280 §7.5,
 * RFC 5321 §2.4). The name is a well-formed mailbox (checked by the caller). */
static bool rfc822_within(tg_bytes name, tg_bytes base) {
  tg_bytes local, domain, base_local, base_domain;
  if (base.len == 0)
    return true;
  if (!split_mailbox(name, &local, &domain))
    return false;
  if (split_mailbox(base, &base_local, &base_domain))
    return tg_bytes_eq(local, base_local) && tg_x509_eq_nocase(domain, base_domain);
  if (base.p[0] != '.')
    return tg_x509_eq_nocase(domain, base);
  return domain.len > base.len &&
         tg_x509_eq_nocase(tg_bytes_of(domain.p + domain.len - base.len, base.len), base);
}

/* The host of a URI "scheme://[userinfo@]host[:port][/...]" (RFC 3986 §3.2) as a domain name;
 * false when there is no authority, or its host is empty, an IP-literal "[...]" or an IPv4
 * address (a last label of digits only: no top-level domain is numeric). RFC 5280 §4.2.1.10:
 * such a URI under a URI constraint "MUST" be rejected. */
static bool uri_host(tg_bytes uri, tg_bytes *host) {
  size_t i = 0;
  while (i < uri.len && uri.p[i] != ':' && uri.p[i] != '/')
    i++;
  if (i == 0 || uri.len - i < 3 || memcmp(uri.p + i, "://", 3) != 0)
    return false;
  size_t start = i + 3, end = start;
  while (end < uri.len && uri.p[end] != '/' && uri.p[end] != '?' && uri.p[end] != '#')
    end++;
  for (size_t k = start; k < end; k++)
    if (uri.p[k] == '@')
      start = k + 1; /* after the userinfo */
  if (start < end && uri.p[start] == '[')
    return false;
  for (size_t k = start; k < end; k++)
    if (uri.p[k] == ':')
      end = k; /* before the port */
  *host = drop_root_dot(tg_bytes_of(uri.p + start, end - start));
  size_t last = host->len;
  while (last > 0 && host->p[last - 1] != '.')
    last--;
  bool numeric = last < host->len;
  for (size_t k = last; k < host->len; k++)
    numeric = numeric && host->p[k] >= '0' && host->p[k] <= '9';
  return host->len > 0 && !numeric;
}

/* uniformResourceIdentifier: the constraint "applies to the host part of the name"; "host.
 * example.com" is that host, ".example.com" any host below example.com, not example.com
 * (RFC 5280 §4.2.1.10). The name has a host (checked by the caller). */
static bool uri_within(tg_bytes name, tg_bytes base) {
  tg_bytes host;
  if (!uri_host(name, &host))
    return false;
  base = drop_root_dot(base);
  if (base.len == 0 || base.p[0] != '.')
    return tg_x509_eq_nocase(host, base);
  return host.len > base.len &&
         tg_x509_eq_nocase(tg_bytes_of(host.p + host.len - base.len, base.len), base);
}

static bool checkable(tg_x509_gn_type t) {
  return t == TG_GN_dNSName || t == TG_GN_iPAddress || t == TG_GN_directoryName ||
         t == TG_GN_rfc822Name || t == TG_GN_uniformResourceIdentifier;
}

static bool within(const tg_x509_general_name *name, const tg_x509_general_name *base) {
  switch (name->type) {
  case TG_GN_dNSName: return dns_within(name->value, base->value);
  case TG_GN_rfc822Name: return rfc822_within(name->value, base->value);
  case TG_GN_uniformResourceIdentifier: return uri_within(name->value, base->value);
  case TG_GN_iPAddress: return ip_within(name->value, base->value);
  case TG_GN_directoryName: return tg_x509_name_within(&name->name, &base->name);
  default: return false;
  }
}

/* ---- One name against one issuer ------------------------------------------------------------- */

/* What the subtrees of one list say about a name of one form. */
typedef struct verdict {
  bool constrained; /* a base of the name's form is present */
  bool hit;         /* one of them covers the name */
  bool unusable;    /* one of them cannot be applied (a malformed rfc822Name base) */
} verdict;

/* The subtrees were checked when the certificate was parsed; a base of another form is
 * skipped by its tag alone, so that only the names' own form costs a full read. */
static verdict judge(tg_bytes subtrees, const tg_x509_general_name *name) {
  tg_reader r, subtree;
  tg_x509_general_name base;
  verdict v = {false, false, false};
  tg_reader_init(&r, subtrees.p, subtrees.len, NULL);
  while (tg_left(&r) > 0) {
    if (tg_der_read_seq(&r, &subtree, "GeneralSubtree") != TG_OK || tg_left(&subtree) == 0)
      break;
    if ((tg_x509_gn_type)(subtree.p[0] & 0x1f) != name->type)
      continue;
    if (tg_x509_read_general_name(&subtree, true, &base, "GeneralSubtree.base") != TG_OK)
      break;
    v.constrained = true;
    if (base.type == TG_GN_rfc822Name && !rfc822_base_ok(base.value))
      v.unusable = true;
    else
      v.hit = v.hit || within(name, &base);
  }
  return v;
}

/* "dNSName www.example.com" for messages. */
static const char *show(const tg_x509_general_name *name, char *buf, size_t len) {
  char value[96] = "";
  if (name->type == TG_GN_dNSName || name->type == TG_GN_rfc822Name ||
      name->type == TG_GN_uniformResourceIdentifier)
    snprintf(value, sizeof value, "%.*s", (int)(name->value.len < 80 ? name->value.len : 80),
             (const char *)name->value.p);
  else if (name->type == TG_GN_iPAddress && (name->value.len == 4 || name->value.len == 16))
    inet_ntop(name->value.len == 4 ? AF_INET : AF_INET6, name->value.p, value, sizeof value);
  else if (name->type == TG_GN_directoryName)
    tg_x509_name_format(&name->name, value, sizeof value);
  snprintf(buf, len, "%s %s", tg_x509_gn_type_name(name->type), value);
  return buf;
}

/* Where a name comes from, for messages: "certificate 0" or "the reference name". */
typedef struct origin {
  size_t depth, issuer_depth;
  bool reference;
} origin;

/* Messages start with the name ("dNSName www.example.com (certificate 0) is ..."), as the
 * allowlist of fuzz_x509_diff matches them. */
static tg_status check_one_name(const tg_x509_general_name *name, const tg_x509_cert *issuer,
                                const origin *o, tg_x509_reason *reason, tg_err *err) {
  char shown[128], who[48];
  show(name, shown, sizeof shown);
  if (o->reference)
    snprintf(who, sizeof who, "the reference name");
  else
    snprintf(who, sizeof who, "certificate %zu", o->depth);
  verdict permitted = judge(issuer->permitted_subtrees, name);
  verdict excluded = judge(issuer->excluded_subtrees, name);
  bool constrained = permitted.constrained || excluded.constrained;
  X509V_ENSURE(err, reason, checkable(name->type) || !constrained, NAME_CONSTRAINT_VIOLATION,
               "%s (%s): certificate %zu constrains %ss, which this validator cannot check", shown,
               who, o->issuer_depth, tg_x509_gn_type_name(name->type));
  /* rfc822Name: a name that is not a mailbox cannot be placed in or out of a subtree. */
  tg_bytes local, domain;
  X509V_ENSURE(err, reason,
               name->type != TG_GN_rfc822Name || !constrained ||
                   split_mailbox(name->value, &local, &domain),
               NAME_CONSTRAINT_VIOLATION,
               "%s (%s) is not a mailbox (Local-part@Domain) and certificate %zu constrains "
               "rfc822Names",
               shown, who, o->issuer_depth);
  tg_bytes host;
  X509V_ENSURE(err, reason,
               name->type != TG_GN_uniformResourceIdentifier || !constrained ||
                   uri_host(name->value, &host),
               NAME_CONSTRAINT_VIOLATION,
               "%s (%s) has no host name and certificate %zu constrains URIs (RFC 5280 "
               "§4.2.1.10: MUST reject)",
               shown, who, o->issuer_depth);
  X509V_ENSURE(err, reason, !permitted.unusable && !excluded.unusable, NAME_CONSTRAINT_VIOLATION,
               "%s (%s): certificate %zu has an rfc822Name constraint that is neither a mailbox, "
               "a host nor a .domain (RFC 5280 §4.2.1.10)",
               shown, who, o->issuer_depth);
  X509V_ENSURE(err, reason, !excluded.hit, NAME_CONSTRAINT_VIOLATION,
               "%s (%s%s) is in NameConstraints.excludedSubtrees of certificate %zu", shown, who,
               o->reference ? ", a wildcard of the leaf matches it: CVE-2025-61727" : "",
               o->issuer_depth);
  X509V_ENSURE(err, reason, !permitted.constrained || permitted.hit, NAME_CONSTRAINT_VIOLATION,
               "%s (%s) is outside NameConstraints.permittedSubtrees of certificate %zu", shown,
               who, o->issuer_depth);
  return TG_OK;
}

/* The subject's emailAddress attributes are rfc822Names for constraints (RFC 5280 §4.2.1.6:
 * legacy certificates carry the address there). §4.2.1.10 requires it when there is no
 * subjectAltName; like OpenSSL, they are checked in every case: an address in the subject
 * outside the CA's constraints is not one the CA may certify either. */
static tg_status check_subject_emails(const tg_x509_cert *cert, const tg_x509_cert *issuer,
                                      const origin *o, tg_x509_reason *reason, tg_err *err) {
  tg_x509_name_iter it;
  tg_x509_attr a;
  tg_x509_name_iter_init(&it, &cert->subject);
  while (tg_x509_name_next(&it, &a)) {
    if (!tg_der_oid_eq(a.type, &TG_OID_emailAddress))
      continue;
    tg_x509_general_name email = {.type = TG_GN_rfc822Name, .value = a.value};
    TG_TRY(check_one_name(&email, issuer, o, reason, err));
  }
  return TG_OK;
}

static tg_status check_link(const tg_x509_cert *cert, const tg_x509_cert *issuer, const origin *o,
                            tg_x509_reason *reason, tg_err *err) {
  if (!issuer->has_name_constraints)
    return TG_OK;
  /* The subject is a directoryName for this purpose (RFC 5280 §6.1.3 (b)), unless empty. */
  if (cert->subject.rdns.len > 0) {
    tg_x509_general_name subject = {.type = TG_GN_directoryName, .name = cert->subject};
    TG_TRY(check_one_name(&subject, issuer, o, reason, err));
  }
  TG_TRY(check_subject_emails(cert, issuer, o, reason, err));
  if (!cert->has_subject_alt_name)
    return TG_OK;
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  tg_x509_gn_iter_init(&it, cert->subject_alt_name);
  while (tg_x509_gn_next(&it, &gn))
    TG_TRY(check_one_name(&gn, issuer, o, reason, err));
  return TG_OK;
}

tg_status tg_x509_check_name_constraints(const tg_x509_cert *cert, const tg_x509_cert *issuer,
                                         tg_err *err) {
  const origin o = {0, 1, false};
  size_t work = tg_x509_name_count(cert) * tg_x509_subtree_count(issuer);
  X509V_ENSURE(err, NULL, work <= TG_X509_NAME_CHECK_BUDGET, TOO_COMPLEX,
               "%zu names x subtrees to compare, more than %d", work, TG_X509_NAME_CHECK_BUDGET);
  return check_link(cert, issuer, &o, NULL, err);
}

/* ---- A whole path ---------------------------------------------------------------------------- */

static size_t count_general_names(tg_bytes list, bool subtrees) {
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  size_t n = 0;
  if (subtrees)
    tg_x509_subtrees_iter_init(&it, list);
  else
    tg_x509_gn_iter_init(&it, list);
  while (tg_x509_gn_next(&it, &gn))
    n++;
  return n;
}

size_t tg_x509_name_count(const tg_x509_cert *cert) {
  tg_x509_name_iter it;
  tg_x509_attr a;
  size_t n = cert->subject.rdns.len > 0;
  tg_x509_name_iter_init(&it, &cert->subject);
  while (tg_x509_name_next(&it, &a))
    n += tg_der_oid_eq(a.type, &TG_OID_emailAddress);
  return n + count_general_names(cert->subject_alt_name, false);
}

size_t tg_x509_subtree_count(const tg_x509_cert *ca) {
  if (!ca->has_name_constraints)
    return 0;
  return count_general_names(ca->permitted_subtrees, true) +
         count_general_names(ca->excluded_subtrees, true);
}

/* Self-issued intermediates are not checked against the constraints above them (RFC 5280
 * §6.1.3 (b): "unless it is self-issued"); the leaf always is. */
static bool skipped(const tg_x509_cert *const *path, size_t j) {
  return j > 0 && tg_x509_self_issued(path[j]);
}

/* The comparisons the path needs, counted before any is made (OpenSSL and Go refuse such
 * chains up front too). Stops at the first issuer that takes the total over the budget. */
static tg_status check_budget(const tg_x509_cert *const *path, size_t len, bool reference,
                              tg_x509_reason *reason, size_t *depth, tg_err *err) {
  size_t names[TG_X509_MAX_PATH], total = 0;
  for (size_t j = 0; j < len; j++)
    names[j] = tg_x509_name_count(path[j]) + (j == 0 && reference);
  for (size_t i = 1; i < len; i++) {
    size_t subtrees = tg_x509_subtree_count(path[i]);
    for (size_t j = 0; j < i && subtrees > 0; j++)
      total += skipped(path, j) ? 0 : names[j] * subtrees;
    *depth = i;
    X509V_ENSURE(err, reason, total <= TG_X509_NAME_CHECK_BUDGET, TOO_COMPLEX,
                 "certificate %zu: checking the nameConstraints of the path takes %zu "
                 "name-subtree comparisons, more than %d",
                 i, total, TG_X509_NAME_CHECK_BUDGET);
  }
  return TG_OK;
}

tg_status tg_x509_check_path_name_constraints(const tg_x509_cert *const *path, size_t len,
                                              const char *name, tg_x509_reason *reason,
                                              size_t *depth, tg_err *err) {
  uint8_t ip[16];
  size_t ip_len;
  /* The reference name, when it is a DNS name the leaf matches (see the top of this file). */
  bool reference =
      name != NULL && !tg_x509_parse_ip(name, ip, &ip_len) && tg_x509_matches_name(path[0], name);
  TG_TRY(check_budget(path, len, reference, reason, depth, err));
  for (size_t i = 1; i < len; i++) {
    if (!path[i]->has_name_constraints)
      continue;
    for (size_t j = 0; j < i; j++) {
      const origin o = {j, i, false};
      *depth = j;
      if (!skipped(path, j))
        TG_TRY(check_link(path[j], path[i], &o, reason, err));
    }
    if (reference) {
      const origin o = {0, i, true};
      tg_x509_general_name ref = {.type = TG_GN_dNSName, .value = tg_bytes_of(name, strlen(name))};
      *depth = 0;
      TG_TRY(check_one_name(&ref, path[i], &o, reason, err));
    }
  }
  return TG_OK;
}
