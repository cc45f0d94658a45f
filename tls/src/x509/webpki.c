/* The WEBPKI profile (tg/x509_verify.h): what the CA/Browser Forum Baseline Requirements for
 * TLS server certificates (the BRs, version 2.1; sections as numbered there) and RFC 5280's
 * profile require of issuing CAs, checked on a path the way browser validators check it.
 *
 * One table holds every check: a stable id (it appears in results and manifests), the rule's
 * source, the certificates it applies to (the leaf; a CA below the anchor, or an anchor that is
 * not self-issued; the self-issued root) and its part: PATH checks count in path_reason, USAGE
 * checks (the leaf as a TLS end entity) in usage_reason. A check returns true when the
 * certificate breaks its rule, with a short text of what is wrong.
 *
 * Scope, said once: the public suffixes below which a wildcard is refused are a small built-in
 * list (every single label, since each is a top-level domain, and the common second-level
 * registries), not the Public Suffix List; the serial number's 64 bits of CSPRNG output (BR
 * 7.1) are checked as at least 8 octets of magnitude, the heuristic linters use; validity
 * periods, certificatePolicies, CRL distribution points and the other issuance-side rules are
 * not checked. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "x509_internal.h"
#include "x509_verify_internal.h"

enum { LEAF = 1, CA = 2, ROOT = 4 };

typedef struct webpki_check {
  const char *id, *source;
  unsigned roles;
  tg_x509_webpki_part part;
  bool (*breaks)(const tg_x509_cert *c, char *why, size_t len);
} webpki_check;

/* ---- Helpers --------------------------------------------------------------------------------- */

/* 1.3.132.0.35 (RFC 5480 §2.1.1.1), 2.5.29.36 (RFC 5280 §4.2.1.11), 1.3.6.1.5.5.7.1.1
 * (§4.2.2.1), and its access methods 1.3.6.1.5.5.7.48.1 and .2. */
static const tg_oid oid_secp521r1 = {"secp521r1", 5, {0x2b, 0x81, 0x04, 0x00, 0x23}};
static const tg_oid oid_policy_constraints = {"policyConstraints", 3, {0x55, 0x1d, 0x24}};
static const tg_oid oid_aia = {
    "authorityInfoAccess", 8, {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01}};
static const tg_oid oid_ad_ocsp = {
    "id-ad-ocsp", 8, {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01}};
static const tg_oid oid_ad_ca_issuers = {
    "id-ad-caIssuers", 8, {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02}};

/* The extension of that type, if c has it. */
static bool find_ext(const tg_x509_cert *c, const tg_oid *oid, tg_x509_ext *ext) {
  tg_x509_ext_iter it;
  tg_x509_ext_iter_init(&it, c);
  while (tg_x509_ext_next(&it, ext))
    if (tg_der_oid_eq(ext->extn_id, oid))
      return true;
  return false;
}

static bool ext_critical(const tg_x509_cert *c, const tg_oid *oid) {
  tg_x509_ext ext;
  return find_ext(c, oid, &ext) && ext.critical;
}

static int text_len(tg_bytes b) { return b.len < 60 ? (int)b.len : 60; }

/* Each dNSName of the subjectAltName in turn: the first that pred refuses, or false. */
static bool any_dns(const tg_x509_cert *c, bool (*pred)(tg_bytes), tg_bytes *bad) {
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  if (!c->has_subject_alt_name)
    return false;
  tg_x509_gn_iter_init(&it, c->subject_alt_name);
  while (tg_x509_gn_next(&it, &gn))
    if (gn.type == TG_GN_dNSName && !pred(gn.value)) {
      *bad = gn.value;
      return true;
    }
  return false;
}

/* ---- Keys and algorithms (BR 6.1.5, 7.1.3) --------------------------------------------------- */

static bool key_algorithm(const tg_x509_cert *c, char *why, size_t len) {
  if (tg_der_oid_eq(c->key_algorithm, &TG_OID_rsaEncryption) ||
      tg_der_oid_eq(c->key_algorithm, &TG_OID_id_ecPublicKey))
    return false;
  snprintf(why, len, "the key is %s, not rsaEncryption or id-ecPublicKey",
           c->key_type != TG_KEY_NONE ? tg_key_type_name(c->key_type) : "of another algorithm");
  return true;
}

static bool key_curve(const tg_x509_cert *c, char *why, size_t len) {
  tg_reader r;
  tg_bytes curve;
  if (!tg_der_oid_eq(c->key_algorithm, &TG_OID_id_ecPublicKey))
    return false;
  tg_reader_init(&r, c->key_params.p, c->key_params.len, NULL);
  if (tg_der_read_oid(&r, &curve, "namedCurve") == TG_OK &&
      (tg_der_oid_eq(curve, &TG_OID_secp256r1) || tg_der_oid_eq(curve, &TG_OID_secp384r1) ||
       tg_der_oid_eq(curve, &oid_secp521r1)))
    return false;
  snprintf(why, len, "the EC key is not on P-256, P-384 or P-521");
  return true;
}

/* The bit length of an rsaEncryption key's modulus (RFC 8017 A.1.1), 0 when unreadable. */
static size_t rsa_bits(const tg_x509_cert *c) {
  tg_reader r, seq;
  tg_bytes n;
  tg_reader_init(&r, c->subject_public_key.p, c->subject_public_key.len, NULL);
  if (tg_der_read_seq(&r, &seq, "RSAPublicKey") != TG_OK ||
      tg_der_read_uint(&seq, &n, "modulus") != TG_OK)
    return 0;
  size_t bits = 8 * n.len;
  for (unsigned m = 0x80; m != 0 && !(n.p[0] & m); m >>= 1)
    bits--;
  return bits;
}

static bool rsa_size(const tg_x509_cert *c, char *why, size_t len) {
  if (!tg_der_oid_eq(c->key_algorithm, &TG_OID_rsaEncryption))
    return false;
  size_t bits = rsa_bits(c);
  snprintf(why, len, "the RSA modulus has %zu bits, fewer than 2048", bits);
  return bits < 2048;
}

static bool rsa_multiple_of_8(const tg_x509_cert *c, char *why, size_t len) {
  if (!tg_der_oid_eq(c->key_algorithm, &TG_OID_rsaEncryption))
    return false;
  size_t bits = rsa_bits(c);
  snprintf(why, len, "the RSA modulus has %zu bits, not a multiple of 8", bits);
  return bits % 8 != 0;
}

/* BR 7.1.3.2 lists RSASSA-PKCS1-v1_5 and RSASSA-PSS with SHA-256/384/512 and ECDSA with the
 * same hashes; the weaker ones are refused by RFC 5280 path validation already. */
static bool signature_algorithm(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "signatureAlgorithm is %s", tg_x509_sig_alg_name(c->sig_alg));
  return c->sig_alg == TG_X509_SIG_Ed25519 || c->sig_alg == TG_X509_SIG_unknown;
}

/* ---- serialNumber and version (BR 7.1, 7.1.1) ------------------------------------------------ */

/* The serial's magnitude: the contents without a leading sign octet. */
static tg_bytes serial_magnitude(const tg_x509_cert *c) {
  tg_bytes s = c->serial;
  if (s.len > 1 && s.p[0] == 0)
    s = tg_bytes_of(s.p + 1, s.len - 1);
  return s;
}

/* BR 7.1: "greater than zero" (RFC 5280 4.1.2.2: "a positive integer"). */
static bool serial_not_positive(const tg_x509_cert *c, char *why, size_t len) {
  bool negative = c->serial.len > 0 && (c->serial.p[0] & 0x80) != 0;
  snprintf(why, len, "serialNumber is %s", negative ? "negative" : "zero");
  return negative || (c->serial.len == 1 && c->serial.p[0] == 0);
}

/* "less than 2^159": at most 20 octets of two's complement. */
static bool serial_too_long(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "serialNumber has %zu octets, more than 20", c->serial.len);
  return c->serial.len > 20;
}

static bool serial_low_entropy(const tg_x509_cert *c, char *why, size_t len) {
  size_t n = serial_magnitude(c).len;
  snprintf(why, len, "serialNumber has %zu octets, too few for 64 random bits", n);
  return n < 8;
}

static bool version3(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "a v%u certificate", c->version);
  return c->version != 3;
}

/* ---- Key identifiers (RFC 5280 4.2.1.1, 4.2.1.2; BR 7.1.2.1.3, 7.1.2.11.1) ------------------- */

static bool aki_missing(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "authorityKeyIdentifier%s is absent",
           c->has_authority_key_id ? ".keyIdentifier" : "");
  return !c->has_authority_key_id || !c->authority_key_id_has_key_id;
}

static bool aki_issuer_serial(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "authorityKeyIdentifier has authorityCertIssuer and SerialNumber");
  return c->authority_cert_issuer;
}

/* A root's own authorityKeyIdentifier, when present, names its own key. */
static bool root_aki(const tg_x509_cert *c, char *why, size_t len) {
  if (!c->has_authority_key_id)
    return false;
  snprintf(why, len, "the root's authorityKeyIdentifier %s",
           c->authority_key_id_has_key_id ? "differs from its subjectKeyIdentifier"
                                          : "lacks keyIdentifier");
  return !c->authority_key_id_has_key_id ||
         (c->has_subject_key_id && !tg_bytes_eq(c->authority_key_id, c->subject_key_id));
}

static bool aki_critical(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "authorityKeyIdentifier is critical");
  return ext_critical(c, &TG_OID_authorityKeyIdentifier);
}

static bool ski_missing(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "a CA certificate without subjectKeyIdentifier");
  return !c->has_subject_key_id;
}

static bool ski_critical(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "subjectKeyIdentifier is critical");
  return ext_critical(c, &TG_OID_subjectKeyIdentifier);
}

/* ---- CA certificates (RFC 5280 4.2.1.3, 4.2.1.9, 4.2.1.11; BR 7.1.2.1.2, 7.1.2.10) ----------- */

/* Present (RFC 5280 lets a trust anchor go without it, path.c) and critical. */
static bool ca_basic_constraints(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "a CA certificate %s basicConstraints",
           c->has_basic_constraints ? "with a non-critical" : "without");
  return !c->has_basic_constraints || !ext_critical(c, &TG_OID_basicConstraints);
}

static bool ca_key_usage(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "a CA certificate whose keyUsage is %s",
           c->has_key_usage ? "not critical" : "absent");
  return !c->has_key_usage || !ext_critical(c, &TG_OID_keyUsage);
}

static bool root_eku(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "the root has extKeyUsage");
  return c->has_ext_key_usage;
}

static bool policy_constraints(const tg_x509_cert *c, char *why, size_t len) {
  tg_x509_ext ext;
  snprintf(why, len, "policyConstraints is not critical");
  return find_ext(c, &oid_policy_constraints, &ext) && !ext.critical;
}

/* ---- authorityInfoAccess (RFC 5280 4.2.2.1; BR 7.1.2.7.7, 7.1.2.10.3) ------------------------ */

/* AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
 * AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER, accessLocation GeneralName }
 * Walked into *http: whether every OCSP and caIssuers location is an http:// URI. */
static bool aia_parses(tg_bytes value, bool *http) {
  tg_reader r, seq, ad;
  tg_bytes method;
  tg_x509_general_name gn;
  *http = true;
  tg_reader_init(&r, value.p, value.len, NULL);
  if (tg_der_read_seq(&r, &seq, "AuthorityInfoAccessSyntax") != TG_OK || tg_left(&r) != 0 ||
      tg_left(&seq) == 0)
    return false;
  while (tg_left(&seq) > 0) {
    if (tg_der_read_seq(&seq, &ad, "AccessDescription") != TG_OK ||
        tg_der_read_oid(&ad, &method, "accessMethod") != TG_OK ||
        tg_x509_read_general_name(&ad, false, &gn, "accessLocation") != TG_OK || tg_left(&ad) != 0)
      return false;
    bool known = tg_der_oid_eq(method, &oid_ad_ocsp) || tg_der_oid_eq(method, &oid_ad_ca_issuers);
    if (known && (gn.type != TG_GN_uniformResourceIdentifier || gn.value.len < 7 ||
                  memcmp(gn.value.p, "http://", 7) != 0))
      *http = false;
  }
  return true;
}

static bool aia_malformed(const tg_x509_cert *c, char *why, size_t len) {
  tg_x509_ext ext;
  bool http;
  snprintf(why, len, "authorityInfoAccess does not parse");
  return find_ext(c, &oid_aia, &ext) && !aia_parses(ext.extn_value, &http);
}

static bool aia_not_http(const tg_x509_cert *c, char *why, size_t len) {
  tg_x509_ext ext;
  bool http = true;
  snprintf(why, len, "an authorityInfoAccess location is not an http:// URI");
  return find_ext(c, &oid_aia, &ext) && aia_parses(ext.extn_value, &http) && !http;
}

/* ---- The subscriber certificate (BR 7.1.2.7) ------------------------------------------------- */

static bool leaf_eku_missing(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "the leaf has no extKeyUsage");
  return !c->has_ext_key_usage;
}

static bool leaf_eku_any(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "the leaf's extKeyUsage has anyExtendedKeyUsage");
  return (c->ext_key_usage & TG_EKU_anyExtendedKeyUsage) != 0;
}

static bool leaf_eku_forbidden(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len,
           "the leaf's extKeyUsage has codeSigning, emailProtection, timeStamping "
           "or OCSPSigning");
  return (c->ext_key_usage & (TG_EKU_codeSigning | TG_EKU_emailProtection | TG_EKU_timeStamping |
                              TG_EKU_OCSPSigning)) != 0;
}

static bool leaf_eku_critical(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "the leaf's extKeyUsage is critical");
  return ext_critical(c, &TG_OID_extKeyUsage);
}

static bool leaf_san_missing(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "the leaf has no subjectAltName");
  return !c->has_subject_alt_name;
}

static bool san_critical(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "subjectAltName is critical and the subject is not empty");
  return c->subject.rdns.len > 0 && ext_critical(c, &TG_OID_subjectAltName);
}

static bool san_not_critical(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "the subject is empty and subjectAltName is not critical");
  return c->has_subject_alt_name && c->subject.rdns.len == 0 &&
         !ext_critical(c, &TG_OID_subjectAltName);
}

static bool leaf_name_constraints(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "the leaf has nameConstraints");
  return c->has_name_constraints;
}

/* A commonName equals a dNSName character for character, or is the text of an iPAddress in
 * its canonical form (RFC 3986 §3.2.2 dotted decimal, RFC 5952 §4 for IPv6: inet_ntop's). */
static bool cn_in_san(const tg_x509_cert *c, tg_bytes cn) {
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  char text[INET6_ADDRSTRLEN];
  if (!c->has_subject_alt_name)
    return false;
  tg_x509_gn_iter_init(&it, c->subject_alt_name);
  while (tg_x509_gn_next(&it, &gn)) {
    if (gn.type == TG_GN_dNSName && tg_bytes_eq(gn.value, cn))
      return true;
    if (gn.type == TG_GN_iPAddress && (gn.value.len == 4 || gn.value.len == 16) &&
        inet_ntop(gn.value.len == 4 ? AF_INET : AF_INET6, gn.value.p, text, sizeof text) != NULL &&
        tg_bytes_eq(tg_bytes_of(text, strlen(text)), cn))
      return true;
  }
  return false;
}

/* BR 7.1.4.3: "If present, this attribute MUST contain exactly one entry that is one of the
 * values contained in the Certificate's subjectAltName extension". */
static bool cn_not_in_san(const tg_x509_cert *c, char *why, size_t len) {
  tg_x509_name_iter it;
  tg_x509_attr attr;
  unsigned count = 0;
  tg_x509_name_iter_init(&it, &c->subject);
  while (tg_x509_name_next(&it, &attr)) {
    if (!tg_der_oid_eq(attr.type, &TG_OID_commonName))
      continue;
    if (++count > 1) {
      snprintf(why, len, "the subject has more than one commonName");
      return true;
    }
    if (!cn_in_san(c, attr.value)) {
      snprintf(why, len, "commonName \"%.*s\" is not a subjectAltName entry", text_len(attr.value),
               (const char *)attr.value.p);
      return true;
    }
  }
  return false;
}

static bool no_underscore(tg_bytes name) { return memchr(name.p, '_', name.len) == NULL; }

/* A Fully-Qualified Domain Name or a Wildcard Domain Name (BR 1.6.1): "*." and an FQDN, whose
 * labels are LDH labels (RFC 5890 §2.3.1: letters, digits, hyphens, not at either end) of 1 to
 * 63 octets; no trailing dot. Underscores have a check of their own. */
static bool fqdn_syntax(tg_bytes name) {
  size_t i = 0, label = 0;
  if (name.len >= 2 && name.p[0] == '*' && name.p[1] == '.')
    i = 2;
  if (name.len == i || name.len > 253)
    return false;
  for (; i <= name.len; i++) {
    uint8_t ch = i < name.len ? name.p[i] : '.';
    if (ch == '.') {
      if (label == 0 || label > 63 || name.p[i - 1] == '-' || name.p[i - label] == '-')
        return false;
      label = 0;
    } else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') {
      label++;
    } else if ((ch >= '0' && ch <= '9') || ch == '-' || ch == '_') {
      label++;
    } else {
      return false;
    }
  }
  return true;
}

/* Registries that take second-level names, as in the Public Suffix List (a small sample, see
 * the top of the file); every single label is a suffix as well. */
static const char *const public_suffixes[] = {
    "co.uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "com.au",
    "net.au",
    "org.au",
    "co.jp",
    "ne.jp",
    "or.jp",
    "co.nz",
    "co.za",
    "com.br",
    "com.cn",
    "com.mx",
    "co.in",
    "co.kr",
    "com.tw",
    "com.tr",
    "github.io",
    "blogspot.com",
    "appspot.com",
    "herokuapp.com",
    "netlify.app",
    "vercel.app",
    "pages.dev",
    "workers.dev",
    "cloudfront.net",
    "azurewebsites.net",
    "s3.amazonaws.com",
};

static bool not_over_public_suffix(tg_bytes name) {
  if (name.len < 2 || name.p[0] != '*' || name.p[1] != '.')
    return true;
  tg_bytes base = tg_bytes_of(name.p + 2, name.len - 2);
  if (memchr(base.p, '.', base.len) == NULL)
    return false;
  for (size_t i = 0; i < sizeof public_suffixes / sizeof public_suffixes[0]; i++)
    if (tg_x509_eq_nocase(base, tg_bytes_of(public_suffixes[i], strlen(public_suffixes[i]))))
      return false;
  return true;
}

static bool dns_underscore(const tg_x509_cert *c, char *why, size_t len) {
  tg_bytes bad;
  if (!any_dns(c, no_underscore, &bad))
    return false;
  snprintf(why, len, "dNSName \"%.*s\" has an underscore", text_len(bad), (const char *)bad.p);
  return true;
}

static bool dns_syntax(const tg_x509_cert *c, char *why, size_t len) {
  tg_bytes bad;
  if (!any_dns(c, fqdn_syntax, &bad))
    return false;
  snprintf(why, len, "dNSName \"%.*s\" is not a domain name or *. and one", text_len(bad),
           (const char *)bad.p);
  return true;
}

static bool wildcard_public_suffix(const tg_x509_cert *c, char *why, size_t len) {
  tg_bytes bad;
  if (!any_dns(c, not_over_public_suffix, &bad))
    return false;
  snprintf(why, len, "dNSName \"%.*s\" is a wildcard over a public suffix", text_len(bad),
           (const char *)bad.p);
  return true;
}

/* ---- The leaf as a TLS end entity (usage) ---------------------------------------------------- */

static bool leaf_ca(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "the leaf has basicConstraints cA TRUE");
  return c->ca;
}

/* RFC 5280 4.2.1.9: "CAs MUST NOT include the pathLenConstraint field unless the cA boolean is
 * asserted"; BR 7.1.2.7.8 forbids it in a subscriber certificate. */
static bool leaf_path_len(const tg_x509_cert *c, char *why, size_t len) {
  snprintf(why, len, "the leaf has a pathLenConstraint");
  return c->has_path_len;
}

/* ---- The table ------------------------------------------------------------------------------- */

#define ANY (LEAF | CA | ROOT)
#define PATH TG_WEBPKI_PATH
#define USAGE TG_WEBPKI_USAGE

static const webpki_check checks[] = {
    {"webpki-version", "BR 7.1.1", ANY, PATH, version3},
    {"webpki-serial-not-positive", "BR 7.1", ANY, PATH, serial_not_positive},
    {"webpki-serial-too-long", "BR 7.1; RFC 5280 4.1.2.2", ANY, PATH, serial_too_long},
    {"webpki-serial-low-entropy", "BR 7.1", ANY, PATH, serial_low_entropy},
    {"webpki-key-algorithm", "BR 6.1.5, 7.1.3.1", ANY, PATH, key_algorithm},
    {"webpki-key-curve", "BR 6.1.5, 7.1.3.1.2", ANY, PATH, key_curve},
    {"webpki-rsa-key-size", "BR 6.1.5", ANY, PATH, rsa_size},
    {"webpki-rsa-key-multiple-of-8", "BR 6.1.5", ANY, PATH, rsa_multiple_of_8},
    {"webpki-signature-algorithm", "BR 7.1.3.2", LEAF | CA, PATH, signature_algorithm},
    {"webpki-aki-missing", "RFC 5280 4.2.1.1; BR 7.1.2.11.1", LEAF | CA, PATH, aki_missing},
    {"webpki-aki-issuer-serial", "BR 7.1.2.11.1, 7.1.2.1.3", ANY, PATH, aki_issuer_serial},
    {"webpki-aki-critical", "RFC 5280 4.2.1.1", ANY, PATH, aki_critical},
    {"webpki-root-aki", "BR 7.1.2.1.3", ROOT, PATH, root_aki},
    {"webpki-ski-missing", "RFC 5280 4.2.1.2; BR 7.1.2.1.2", CA | ROOT, PATH, ski_missing},
    {"webpki-ski-critical", "RFC 5280 4.2.1.2", ANY, PATH, ski_critical},
    {"webpki-ca-basic-constraints-critical", "RFC 5280 4.2.1.9; BR 7.1.2.10.4", CA | ROOT, PATH,
     ca_basic_constraints},
    {"webpki-ca-key-usage", "RFC 5280 4.2.1.3; BR 7.1.2.10.7", CA | ROOT, PATH, ca_key_usage},
    {"webpki-root-eku", "BR 7.1.2.1.2", ROOT, PATH, root_eku},
    {"webpki-policy-constraints-critical", "RFC 5280 4.2.1.11", ANY, PATH, policy_constraints},
    {"webpki-aia-malformed", "RFC 5280 4.2.2.1; BR 7.1.2.7.7", ANY, PATH, aia_malformed},
    {"webpki-aia-not-http", "BR 7.1.2.7.7, 7.1.2.10.3", LEAF | CA, PATH, aia_not_http},
    {"webpki-leaf-eku-missing", "BR 7.1.2.7.10", LEAF, PATH, leaf_eku_missing},
    {"webpki-leaf-eku-any", "BR 7.1.2.7.10", LEAF, PATH, leaf_eku_any},
    {"webpki-leaf-eku-forbidden", "BR 7.1.2.7.10", LEAF, PATH, leaf_eku_forbidden},
    {"webpki-leaf-eku-critical", "BR 7.1.2.7.6", LEAF, PATH, leaf_eku_critical},
    {"webpki-leaf-name-constraints", "BR 7.1.2.7.6", LEAF, PATH, leaf_name_constraints},
    {"webpki-san-missing", "BR 7.1.2.7.12", LEAF, PATH, leaf_san_missing},
    {"webpki-san-critical", "BR 7.1.2.7.12", LEAF, PATH, san_critical},
    {"webpki-san-not-critical", "RFC 5280 4.2.1.6; BR 7.1.2.7.12", LEAF, PATH, san_not_critical},
    {"webpki-cn-not-in-san", "BR 7.1.4.3", LEAF, PATH, cn_not_in_san},
    {"webpki-dns-underscore", "BR 7.1.2.7.12", LEAF, PATH, dns_underscore},
    {"webpki-dns-syntax", "BR 7.1.2.7.12", LEAF, PATH, dns_syntax},
    {"webpki-wildcard-public-suffix", "BR 3.2.2.6", LEAF, PATH, wildcard_public_suffix},
    {"webpki-leaf-ca", "BR 7.1.2.7.8", LEAF, USAGE, leaf_ca},
    {"webpki-leaf-path-len", "BR 7.1.2.7.8; RFC 5280 4.2.1.9", LEAF, USAGE, leaf_path_len},
};
#define N_CHECKS (sizeof checks / sizeof checks[0])

size_t tg_x509_webpki_count(void) { return N_CHECKS; }

const char *tg_x509_webpki_id(size_t i, const char **source) {
  if (i >= N_CHECKS)
    return NULL;
  if (source != NULL)
    *source = checks[i].source;
  return checks[i].id;
}

/* The role of path[i]: the leaf; the self-issued anchor at the end (a root); otherwise a CA
 * (an intermediate, or an anchor that is not self-issued). */
static unsigned role(const tg_x509_cert *const *path, size_t len, size_t i) {
  if (i == 0)
    return LEAF;
  return i + 1 == len && tg_x509_self_issued(path[i]) ? ROOT : CA;
}

tg_status tg_x509_webpki_check(const tg_x509_cert *const *path, size_t len,
                               tg_x509_webpki_part part, tg_x509_webpki_hit *hit, tg_err *err) {
  char why[112];
  for (size_t i = 0; i < len; i++) {
    unsigned r = role(path, len, i);
    for (size_t k = 0; k < N_CHECKS; k++) {
      const webpki_check *ck = &checks[k];
      if (ck->part != part || !(ck->roles & r) || !ck->breaks(path[i], why, sizeof why))
        continue;
      hit->check = ck->id;
      hit->source = ck->source;
      hit->depth = i;
      return X509V_REJECT(err, NULL, PROFILE_VIOLATION, "certificate %zu: %s [%s, %s]", i, why,
                          ck->id, ck->source);
    }
  }
  return TG_OK;
}
