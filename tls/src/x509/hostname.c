/* Host names (RFC 9525 §6.3, RFC 6125 §6.4): a reference identifier, the name the client meant
 * to reach, against the leaf's subjectAltName.
 *
 * A DNS name matches a dNSName entry ASCII case-insensitively (RFC 9525 §6.3: "the comparison
 * is case-insensitive"). A wildcard is accepted only as the complete left-most label
 * ("*.example.com"), matching exactly one label, and never with fewer than two labels after it
 * ("*.com" would cover a whole TLD). Partial wildcards ("a*.example.com") match nothing
 * (RFC 9525 §6.3 drops them). An IP literal matches iPAddress entries only, octet for octet
 * (RFC 9525 §6.2.2 / RFC 6125 §6.4 "IP-ID"), never a dNSName spelling the same digits. The
 * subject's commonName is never consulted (RFC 9525 §2: CN-IDs are not used). */
#include <arpa/inet.h>
#include <string.h>

#include "x509_verify_internal.h"

static uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

bool tg_x509_eq_nocase(tg_bytes a, tg_bytes b) {
  if (a.len != b.len)
    return false;
  for (size_t i = 0; i < a.len; i++)
    if (lower(a.p[i]) != lower(b.p[i]))
      return false;
  return true;
}

/* The first label of name and the rest after its dot; false when there is no dot. */
static bool split_first(tg_bytes name, tg_bytes *first, tg_bytes *rest) {
  const uint8_t *dot = name.len ? memchr(name.p, '.', name.len) : NULL;
  if (dot == NULL)
    return false;
  *first = tg_bytes_of(name.p, (size_t)(dot - name.p));
  *rest = tg_bytes_of(dot + 1, name.len - first->len - 1);
  return true;
}

/* Letters, digits, '-' and '_' in labels of 1..63 octets; 253 octets at most (RFC 1035 §2.3.4;
 * '_' because real names use it). A reference name outside this never matches. */
static bool valid_dns_name(tg_bytes name) {
  size_t label = 0;
  if (name.len == 0 || name.len > 253)
    return false;
  for (size_t i = 0; i < name.len; i++) {
    uint8_t c = lower(name.p[i]);
    if (c == '.') {
      if (label == 0)
        return false;
      label = 0;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
    if (++label > 63)
      return false;
  }
  return label > 0;
}

static size_t count_labels(tg_bytes name) {
  size_t n = 1;
  for (size_t i = 0; i < name.len; i++)
    n += name.p[i] == '.';
  return n;
}

bool tg_x509_dns_match(tg_bytes pattern, tg_bytes reference) {
  /* An absolute reference ("example.com.") names the same host. */
  if (reference.len > 0 && reference.p[reference.len - 1] == '.')
    reference.len--;
  if (!valid_dns_name(reference))
    return false;
  bool wild = pattern.len >= 2 && pattern.p[0] == '*' && pattern.p[1] == '.';
  tg_bytes rest = wild ? tg_bytes_of(pattern.p + 2, pattern.len - 2) : pattern;
  /* Any other '*' is a partial or non-left-most wildcard: RFC 9525 §6.3 never matches it. */
  if (rest.len > 0 && memchr(rest.p, '*', rest.len) != NULL)
    return false;
  if (!wild)
    return tg_x509_eq_nocase(pattern, reference);
  /* RFC 9525 §6.3: "*.com" style wildcards over a single label are not matched. */
  if (!valid_dns_name(rest) || count_labels(rest) < 2)
    return false;
  tg_bytes first, ref_rest;
  /* The wildcard stands for exactly one non-empty label, never for a dot. */
  return split_first(reference, &first, &ref_rest) && first.len > 0 &&
         tg_x509_eq_nocase(rest, ref_rest);
}

bool tg_x509_parse_ip(const char *name, uint8_t out[16], size_t *len) {
  /* inet_pton takes only the strict forms: four decimal octets for IPv4 (no "1.2.3", no
   * octal or hex), RFC 4291 §2.2 text for IPv6. */
  if (inet_pton(AF_INET, name, out) == 1) {
    *len = 4;
    return true;
  }
  if (inet_pton(AF_INET6, name, out) == 1) {
    *len = 16;
    return true;
  }
  return false;
}

bool tg_x509_matches_name(const tg_x509_cert *cert, const char *name) {
  uint8_t ip[16];
  size_t ip_len = 0;
  bool is_ip = tg_x509_parse_ip(name, ip, &ip_len);
  tg_bytes reference = tg_bytes_of(name, strlen(name));
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  if (!cert->has_subject_alt_name)
    return false; /* no SAN: nothing to match, and the CN is never a fallback */
  tg_x509_gn_iter_init(&it, cert->subject_alt_name);
  while (tg_x509_gn_next(&it, &gn)) {
    if (is_ip && gn.type == TG_GN_iPAddress && tg_bytes_eq(gn.value, tg_bytes_of(ip, ip_len)))
      return true;
    if (!is_ip && gn.type == TG_GN_dNSName && tg_x509_dns_match(gn.value, reference))
      return true;
  }
  return false;
}
