/* Name constraints (tls/src/x509/name_constraints.c), RFC 5280 §4.2.1.10: each row builds a CA
 * with the row's permitted and excluded subtrees and a leaf with the row's names, and checks the
 * path leaf -> CA for the row's reference name (the signatures are never checked here, so the
 * certificates carry zero keys and signatures). The chains of vectors/x509/chains.yaml that
 * gen.sh makes for these rules are also run through tg_x509_verify whole.
 *
 * A list of names or subtrees is written as "form:value" items separated by spaces: dns:,
 * email:, uri: (IA5String text), ip:ADDRESS (a name) or ip:ADDRESS/PREFIX (a constraint), dn:O
 * (a directoryName holding one organizationName), other: (an otherName), hex: (a raw TLV). */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/der.h"
#include "tg/pem.h"
#include "tg/x509_verify.h"
#include "x509/x509_verify_internal.h"

#define NOW 1780272000 /* 2026-06-01T00:00:00Z, the manifest's time */
#define NCV TG_X509_NAME_CONSTRAINT_VIOLATION
#define TOO TG_X509_TOO_COMPLEX

/* ---- Building certificates ------------------------------------------------------------------- */

static const uint8_t oid_cn[] = {0x55, 0x04, 0x03}, oid_o[] = {0x55, 0x04, 0x0a},
                     oid_email[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01},
                     oid_san[] = {0x55, 0x1d, 0x11}, oid_nc[] = {0x55, 0x1d, 0x1e},
                     oid_bc[] = {0x55, 0x1d, 0x13},
                     ed25519[] = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70};

/* w gets TLV(tag, inner's bytes); inner is freed. */
static void wrap(tg_writer *w, uint8_t tag, tg_writer *inner) {
  cr_assert_eq(tg_writer_status(inner), TG_OK);
  tg_der_w_tlv(w, tag, tg_writer_bytes(inner));
  tg_writer_free(inner);
}

/* One RDN holding one attribute. */
static void rdn(tg_writer *w, const uint8_t *oid, size_t oid_len, uint8_t tag, const char *text) {
  tg_writer atv, set;
  tg_writer_init_dynamic(&atv, NULL);
  tg_writer_init_dynamic(&set, NULL);
  tg_der_w_tlv(&atv, TG_DER_OID, tg_bytes_of(oid, oid_len));
  tg_der_w_tlv(&atv, tag, tg_bytes_of(text, strlen(text)));
  wrap(&set, TG_DER_SEQUENCE, &atv);
  wrap(w, TG_DER_SET, &set);
}

/* Name: CN=cn, then emailAddress=email when not NULL; a lone O=org for directoryNames. */
static void name(tg_writer *w, const char *cn, const char *email) {
  tg_writer rdns;
  tg_writer_init_dynamic(&rdns, NULL);
  rdn(&rdns, oid_cn, sizeof oid_cn, TG_DER_UTF8String, cn);
  if (email != NULL)
    rdn(&rdns, oid_email, sizeof oid_email, TG_DER_IA5String, email);
  wrap(w, TG_DER_SEQUENCE, &rdns);
}

/* An IP address or ADDRESS/PREFIX: the octets, then for a prefix the mask. */
static void ip_value(tg_writer *w, const char *text) {
  char addr[64];
  uint8_t ip[16], mask[16] = {0};
  size_t len = 0;
  const char *slash = strchr(text, '/');
  snprintf(addr, sizeof addr, "%.*s", (int)(slash ? (size_t)(slash - text) : strlen(text)), text);
  cr_assert(tg_x509_parse_ip(addr, ip, &len), "%s", addr);
  tg_w_bytes(w, ip, len);
  if (slash == NULL)
    return;
  for (int bit = 0; bit < atoi(slash + 1); bit++)
    mask[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
  tg_w_bytes(w, mask, len);
}

/* One "form:value" item as a GeneralName. */
static void general_name(tg_writer *w, const char *item) {
  const char *value = strchr(item, ':') + 1;
  tg_bytes text = tg_bytes_of(value, strlen(value));
  tg_writer inner;
  if (strncmp(item, "dns:", 4) == 0)
    tg_der_w_tlv(w, TG_DER_CONTEXT_PRIM(2), text);
  else if (strncmp(item, "email:", 6) == 0)
    tg_der_w_tlv(w, TG_DER_CONTEXT_PRIM(1), text);
  else if (strncmp(item, "uri:", 4) == 0)
    tg_der_w_tlv(w, TG_DER_CONTEXT_PRIM(6), text);
  else if (strncmp(item, "other:", 6) == 0) {
    const uint8_t other[] = {0x06, 0x03, 0x2a, 0x03, 0x04, 0xa0, 0x02, 0x05, 0x00};
    tg_der_w_tlv(w, TG_DER_CONTEXT(0), tg_bytes_of(other, sizeof other));
  } else if (strncmp(item, "hex:", 4) == 0) {
    tt_buf raw = tt_from_hex(value);
    tg_w_bytes(w, raw.p, raw.len);
    tt_free(&raw);
  } else if (strncmp(item, "ip:", 3) == 0) {
    tg_writer_init_dynamic(&inner, NULL);
    ip_value(&inner, value);
    wrap(w, TG_DER_CONTEXT_PRIM(7), &inner);
  } else if (strncmp(item, "dn:", 3) == 0) {
    tg_writer rdns, dn;
    tg_writer_init_dynamic(&rdns, NULL);
    tg_writer_init_dynamic(&dn, NULL);
    rdn(&rdns, oid_o, sizeof oid_o, TG_DER_UTF8String, value);
    wrap(&dn, TG_DER_SEQUENCE, &rdns);
    wrap(w, TG_DER_CONTEXT(4), &dn);
  } else
    cr_assert_fail("bad item %s", item);
}

/* The items of list (space-separated), each as a GeneralName or, for subtrees, a GeneralSubtree;
 * count copies of the list with "%d" in it replaced by 0..count-1. */
static void general_names(tg_writer *w, const char *list, bool subtrees, int count) {
  char buf[256], item[300];
  for (int n = 0; n < count; n++) {
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
      snprintf(item, sizeof item, tok, n);
      if (!subtrees) {
        general_name(w, item);
        continue;
      }
      tg_writer subtree;
      tg_writer_init_dynamic(&subtree, NULL);
      general_name(&subtree, item);
      wrap(w, TG_DER_SEQUENCE, &subtree);
    }
  }
}

static void extension(tg_writer *w, const uint8_t *oid, size_t oid_len, tg_writer *value) {
  tg_writer ext, octets;
  tg_writer_init_dynamic(&ext, NULL);
  tg_writer_init_dynamic(&octets, NULL);
  tg_der_w_tlv(&ext, TG_DER_OID, tg_bytes_of(oid, oid_len));
  tg_w_bytes(&ext, "\x01\x01\xff", 3); /* critical */
  wrap(&octets, TG_DER_SEQUENCE, value);
  wrap(&ext, TG_DER_OCTET_STRING, &octets);
  wrap(w, TG_DER_SEQUENCE, &ext);
}

typedef struct spec {
  const char *subject, *issuer, *email; /* CNs; the subject's emailAddress or NULL */
  const char *sans;                     /* subjectAltName items, NULL: no extension */
  int copies;                           /* of sans (and subtrees), with %d; 0 means 1 */
  bool ca;
  const char *permitted, *excluded; /* subtrees; both NULL: no nameConstraints */
} spec;

/* A certificate from the spec, DER in *der (freed by the caller). */
static void make_der(const spec *s, tg_writer *der) {
  tg_writer tbs, exts, v, all;
  int copies = s->copies > 0 ? s->copies : 1;
  tg_writer_init_dynamic(&tbs, NULL);
  tg_w_bytes(&tbs, "\xa0\x03\x02\x01\x02\x02\x01\x01", 8); /* v3, serial 1 */
  tg_w_bytes(&tbs, ed25519, sizeof ed25519);
  name(&tbs, s->issuer, NULL);
  tg_w_bytes(&tbs,
             "\x30\x1e\x17\x0d"
             "250101000000Z"
             "\x17\x0d"
             "350101000000Z",
             32);
  name(&tbs, s->subject, s->email);
  tg_w_bytes(&tbs, "\x30\x2a", 2);
  tg_w_bytes(&tbs, ed25519, sizeof ed25519);
  tg_w_bytes(&tbs, "\x03\x21\x00", 3);
  tg_w_bytes(&tbs, (const uint8_t[32]){0}, 32);
  tg_writer_init_dynamic(&exts, NULL);
  tg_writer_init_dynamic(&v, NULL);
  if (s->ca)
    tg_w_bytes(&v, "\x01\x01\xff", 3); /* cA TRUE; a leaf's is the empty SEQUENCE */
  extension(&exts, oid_bc, sizeof oid_bc, &v);
  if (s->sans != NULL) {
    tg_writer_init_dynamic(&v, NULL);
    general_names(&v, s->sans, false, copies);
    extension(&exts, oid_san, sizeof oid_san, &v);
  }
  if (s->permitted != NULL || s->excluded != NULL) {
    tg_writer_init_dynamic(&v, NULL);
    for (int k = 0; k < 2; k++) {
      const char *list = k == 0 ? s->permitted : s->excluded;
      if (list == NULL)
        continue;
      tg_writer sub;
      tg_writer_init_dynamic(&sub, NULL);
      general_names(&sub, list, true, copies);
      wrap(&v, TG_DER_CONTEXT(k), &sub);
    }
    extension(&exts, oid_nc, sizeof oid_nc, &v);
  }
  tg_writer seq;
  tg_writer_init_dynamic(&seq, NULL);
  wrap(&seq, TG_DER_SEQUENCE, &exts);
  wrap(&tbs, TG_DER_CONTEXT(3), &seq);
  tg_writer_init_dynamic(&all, NULL);
  wrap(&all, TG_DER_SEQUENCE, &tbs);
  tg_w_bytes(&all, ed25519, sizeof ed25519);
  tg_w_bytes(&all, "\x03\x41\x00", 3);
  tg_w_bytes(&all, (const uint8_t[64]){0}, 64);
  tg_writer_init_dynamic(der, NULL);
  wrap(der, TG_DER_SEQUENCE, &all);
}

/* The same, parsed into *c (views into *der). */
static void build(const spec *s, tg_writer *der, tg_x509_cert *c) {
  tg_err err = {0};
  make_der(s, der);
  cr_assert_eq(tg_x509_parse(tg_writer_bytes(der), c, &err), TG_OK, "%s: %s", s->subject, err.what);
}

/* ---- The table ------------------------------------------------------------------------------- */

typedef struct row {
  const char *what;
  const char *permitted, *excluded; /* the CA's subtrees */
  const char *sans, *email;         /* the leaf's subjectAltName and subject emailAddress */
  const char *reference;            /* the name the path is checked for, or NULL */
  tg_x509_reason want;              /* TG_X509_OK, NCV or TOO */
  const char *says;                 /* in err.what when rejected, or NULL */
} row;

/* The path leaf -> CA for the row; *err and *depth as the check leaves them. */
static tg_x509_reason run(const row *r, tg_err *err, size_t *depth) {
  tg_writer ca_der, leaf_der;
  tg_x509_cert ca, leaf;
  const spec ca_spec = {"CA", "Root", NULL, NULL, 0, true, r->permitted, r->excluded};
  const spec leaf_spec = {"leaf", "CA", r->email, r->sans, 0, false, NULL, NULL};
  build(&ca_spec, &ca_der, &ca);
  build(&leaf_spec, &leaf_der, &leaf);
  const tg_x509_cert *path[] = {&leaf, &ca};
  tg_x509_reason reason = TG_X509_OK;
  *depth = 99;
  tg_err_clear(err);
  tg_status st = tg_x509_check_path_name_constraints(path, 2, r->reference, &reason, depth, err);
  cr_expect_eq(st == TG_OK, reason == TG_X509_OK, "%s: status and reason disagree", r->what);
  tg_writer_free(&ca_der);
  tg_writer_free(&leaf_der);
  return reason;
}

static void run_rows(const row *rows, size_t n) {
  for (size_t i = 0; i < n; i++) {
    tg_err err;
    size_t depth;
    tg_x509_reason got = run(&rows[i], &err, &depth);
    cr_expect_eq(got, rows[i].want, "%s: %s (%s)", rows[i].what, tg_x509_reason_name(got),
                 err.what);
    if (got != TG_X509_OK) {
      cr_expect_eq(err.alert, TG_ALERT_certificate_unknown, "%s", rows[i].what);
      cr_expect_eq(depth, got == TOO ? 1u : 0u, "%s: depth %zu", rows[i].what, depth);
    }
    if (got != TG_X509_OK && rows[i].says != NULL)
      cr_expect(strstr(err.what, rows[i].says) != NULL, "%s: \"%s\" lacks \"%s\"", rows[i].what,
                err.what, rows[i].says);
  }
}

#define RUN(rows) run_rows((rows), sizeof(rows) / sizeof((rows)[0]))

/* CVE-2025-61727: a wildcard SAN does not escape an excluded subtree below it. */
static void wildcard_against_excluded(void) {
  static const row rows[] = {
      {"the excluded name, matched by the wildcard", "dns:example.com", "dns:bar.example.com",
       "dns:*.example.com", NULL, "bar.example.com", NCV, "reference name"},
      {"another name the wildcard matches", "dns:example.com", "dns:bar.example.com",
       "dns:*.example.com", NULL, "foo.example.com", TG_X509_OK, NULL},
      {"the excluded name in capitals, absolute", NULL, "dns:bar.example.com", "dns:*.example.com",
       NULL, "BAR.Example.COM.", NCV, "excludedSubtrees"},
      {"below a leading-dot exclusion", NULL, "dns:.bar.example.com", "dns:*.bar.example.com", NULL,
       "x.bar.example.com", NCV, NULL},
      {"no reference name: nothing to refuse", NULL, "dns:bar.example.com", "dns:*.example.com",
       NULL, NULL, TG_X509_OK, NULL},
      {"a name the wildcard does not match (two labels)", NULL, "dns:bar.example.com",
       "dns:*.example.com", NULL, "a.bar.example.com", TG_X509_OK, NULL},
      {"an IP reference is not a DNS name", NULL, "dns:bar.example.com",
       "dns:*.example.com ip:192.0.2.1", NULL, "192.0.2.1", TG_X509_OK, NULL},
      {"the wildcard itself in an excluded domain", NULL, "dns:example.com", "dns:*.example.com",
       NULL, "foo.example.com", NCV, "certificate 0"},
      {"an exact SAN equal to the exclusion", NULL, "dns:bar.example.com", "dns:bar.example.com",
       NULL, "bar.example.com", NCV, "certificate 0"},
  };
  RUN(rows);
}

/* rfc822Name: a mailbox, a host, or a .domain (RFC 5280 §4.2.1.10). */
static void rfc822_names(void) {
  static const row rows[] = {
      {"at the permitted host", "email:example.com", NULL, "email:a@example.com", NULL, NULL,
       TG_X509_OK, NULL},
      {"host is case-insensitive", "email:example.com", NULL, "email:a@EXAMPLE.com", NULL, NULL,
       TG_X509_OK, NULL},
      {"a host constraint is not a domain", "email:example.com", NULL, "email:a@m.example.com",
       NULL, NULL, NCV, "permittedSubtrees"},
      {"below a .domain", "email:.example.com", NULL, "email:a@m.example.com", NULL, NULL,
       TG_X509_OK, NULL},
      {"a .domain excludes its apex", "email:.example.com", NULL, "email:a@example.com", NULL, NULL,
       NCV, NULL},
      {"a .domain on a label boundary", "email:.example.com", NULL, "email:a@mexample.com", NULL,
       NULL, NCV, NULL},
      {"the permitted mailbox", "email:root@example.com", NULL, "email:root@Example.COM", NULL,
       NULL, TG_X509_OK, NULL},
      {"the local part is case-sensitive", "email:root@example.com", NULL, "email:Root@example.com",
       NULL, NULL, NCV, NULL},
      {"another mailbox at the host", "email:root@example.com", NULL, "email:adm@example.com", NULL,
       NULL, NCV, NULL},
      {"an excluded mailbox", "email:example.com", "email:bad@example.com", "email:bad@example.com",
       NULL, NULL, NCV, "excludedSubtrees"},
      {"a quoted local part holding @", "email:example.com", NULL, "email:\"a@b\"@example.com",
       NULL, NULL, TG_X509_OK, NULL},
      {"not a mailbox", "email:example.com", NULL, "email:example.com", NULL, NULL, NCV,
       "not a mailbox"},
      {"a constraint that is no form", "email:@example.com", NULL, "email:a@example.com", NULL,
       NULL, NCV, "neither a mailbox"},
      {"an empty constraint covers every address", NULL, "email:", "email:a@example.com", NULL,
       NULL, NCV, NULL},
      {"email constraints leave dNSNames alone", "email:example.com", NULL, "dns:www.example.net",
       NULL, "www.example.net", TG_X509_OK, NULL},
      {"no SAN: the subject emailAddress within", "email:example.com", NULL, NULL,
       "carol@example.com", NULL, TG_X509_OK, NULL},
      {"no SAN: the subject emailAddress outside", "email:example.com", NULL, NULL,
       "carol@example.edu", NULL, NCV, "carol@example.edu"},
      {"with a SAN the subject emailAddress is checked too", "email:example.com", NULL,
       "email:a@example.com", "carol@example.edu", NULL, NCV, NULL},
      {"the subject emailAddress excluded", NULL, "email:.example.edu", "dns:www.example.com",
       "carol@x.example.edu", NULL, NCV, NULL},
  };
  RUN(rows);
}

/* dNSName edge cases (RFC 5280 §4.2.1.10, §7.2). */
static void dns_names(void) {
  static const row rows[] = {
      {"the base itself", "dns:example.com", NULL, "dns:example.com", NULL, NULL, TG_X509_OK, NULL},
      {"labels added on the left", "dns:example.com", NULL, "dns:a.b.example.com", NULL, NULL,
       TG_X509_OK, NULL},
      {"not on a label boundary", "dns:example.com", NULL, "dns:wwwexample.com", NULL, NULL, NCV,
       NULL},
      {"a leading dot: subdomains", "dns:.example.com", NULL, "dns:www.example.com", NULL, NULL,
       TG_X509_OK, NULL},
      {"a leading dot: not the apex", "dns:.example.com", NULL, "dns:example.com", NULL, NULL, NCV,
       NULL},
      {"case-insensitive", "dns:EXAMPLE.com", NULL, "dns:www.Example.COM", NULL, NULL, TG_X509_OK,
       NULL},
      {"an absolute SAN in an excluded subtree", NULL, "dns:bad.example.com",
       "dns:bad.example.com.", NULL, NULL, NCV, NULL},
      {"an absolute base", NULL, "dns:bad.example.com.", "dns:bad.example.com", NULL, NULL, NCV,
       NULL},
      {"an empty excluded base excludes every name", NULL, "dns:", "dns:www.example.com", NULL,
       NULL, NCV, NULL},
      {"one of several permitted bases", "dns:example.org dns:example.com", NULL,
       "dns:www.example.com", NULL, NULL, TG_X509_OK, NULL},
      {"every SAN is checked", "dns:example.com", NULL, "dns:www.example.com dns:www.example.net",
       NULL, NULL, NCV, "www.example.net"},
  };
  RUN(rows);
}

/* iPAddress: IPv4 and IPv6 ranges; a name of one family is outside a range of the other. */
static void ip_addresses(void) {
  static const row rows[] = {
      {"IPv4 in range", "ip:192.0.2.0/24", NULL, "ip:192.0.2.10", NULL, NULL, TG_X509_OK, NULL},
      {"IPv4 out of range", "ip:192.0.2.0/24", NULL, "ip:192.0.3.10", NULL, NULL, NCV, NULL},
      {"IPv6 in range", "ip:2001:db8::/32", NULL, "ip:2001:db8::10", NULL, NULL, TG_X509_OK, NULL},
      {"IPv6 excluded", "ip:2001:db8::/32", "ip:2001:db8:bad::/48", "ip:2001:db8:bad::1", NULL,
       NULL, NCV, "2001:db8:bad::1"},
      {"IPv4 under an IPv6-only permit", "ip:2001:db8::/32", NULL, "ip:192.0.2.10", NULL, NULL, NCV,
       NULL},
      {"/0 covers its family", NULL, "ip:0.0.0.0/0", "ip:198.51.100.1", NULL, NULL, NCV, NULL},
      {"a /32 is one address", "ip:192.0.2.1/32", NULL, "ip:192.0.2.1", NULL, NULL, TG_X509_OK,
       NULL},
  };
  RUN(rows);
}

/* uniformResourceIdentifier: the host of the URI (RFC 5280 §4.2.1.10). */
static void uris(void) {
  static const row rows[] = {
      {"host below a .domain", "uri:.example.com", NULL, "uri:https://u@www.example.com:8443/p",
       NULL, NULL, TG_X509_OK, NULL},
      {"a .domain is not its apex", "uri:.example.com", NULL, "uri:https://example.com/", NULL,
       NULL, NCV, NULL},
      {"a host constraint", "uri:www.example.com", NULL, "uri:https://WWW.example.com?q", NULL,
       NULL, TG_X509_OK, NULL},
      {"outside", "uri:.example.com", NULL, "uri:https://www.example.net/", NULL, NULL, NCV, NULL},
      {"an IPv4 host must be rejected", "uri:.example.com", NULL, "uri:https://192.0.2.1/", NULL,
       NULL, NCV, "no host name"},
      {"an IP-literal host must be rejected", NULL, "uri:.example.net",
       "uri:https://[2001:db8::1]/", NULL, NULL, NCV, "no host name"},
      {"no authority must be rejected", "uri:.example.com", NULL, "uri:urn:example:x", NULL, NULL,
       NCV, "no host name"},
      {"excluded host", NULL, "uri:.example.net", "uri:http://a.example.net", NULL, NULL, NCV,
       "excludedSubtrees"},
      {"a URI without constraints on URIs", "dns:example.com", NULL, "uri:urn:x", NULL, NULL,
       TG_X509_OK, NULL},
  };
  RUN(rows);
}

/* A form this validator does not process, with a name of that form below it (RFC 5280
 * §4.2.1.10: "MUST either process the constraint or reject the certificate"). */
static void unprocessed_forms(void) {
  static const row rows[] = {
      {"otherName under an otherName constraint", "other:", NULL, "other:", NULL, NULL, NCV,
       "cannot check"},
      {"an otherName constraint, no otherName below", "other:", NULL, "dns:www.example.com", NULL,
       NULL, TG_X509_OK, NULL},
      {"directoryName within", "dn:tlsgauntlet", NULL, "dn:tlsgauntlet", NULL, NULL, NCV,
       "directoryName"}, /* the subject CN=leaf is outside O=tlsgauntlet */
  };
  RUN(rows);
}

/* The budget: names x subtrees counted before any comparison, the reference name included. */
Test(x509_name_constraints, budget) {
  tg_writer ca_der, leaf_der;
  tg_x509_cert ca, leaf;
  /* 256 x 256 = the budget exactly: the leaf's subject and 255 SANs, 256 excluded subtrees
   * (of the names' form, so that the check does all the work and finds nothing). */
  cr_assert_eq(TG_X509_NAME_CHECK_BUDGET, 256 * 256);
  const spec ca_spec = {"CA", "Root", NULL, NULL, 256, true, NULL, "dns:x%d.example.org"};
  const spec leaf_spec = {"leaf", "CA", NULL, "dns:h%d.example.com", 255, false, NULL, NULL};
  build(&ca_spec, &ca_der, &ca);
  build(&leaf_spec, &leaf_der, &leaf);
  cr_assert_eq(tg_x509_subtree_count(&ca), 256);
  cr_assert_eq(tg_x509_name_count(&leaf), 256);
  const tg_x509_cert *path[] = {&leaf, &ca};
  tg_x509_reason reason = TG_X509_OK;
  size_t depth = 0;
  tg_err err = {0};
  cr_expect_eq(tg_x509_check_path_name_constraints(path, 2, NULL, &reason, &depth, &err), TG_OK,
               "%s", err.what);
  /* The reference name the leaf matches is one more name: over the budget. */
  cr_expect_neq(
      tg_x509_check_path_name_constraints(path, 2, "h7.example.com", &reason, &depth, &err), TG_OK);
  cr_expect_eq(reason, TOO, "%s", tg_x509_reason_name(reason));
  cr_expect_eq(depth, 1);
  cr_expect_eq(err.alert, TG_ALERT_certificate_unknown);
  cr_expect(strstr(err.what, "65792") != NULL, "%s", err.what); /* 257 x 256 */
  /* A name the leaf does not match is not counted. */
  reason = TG_X509_OK;
  cr_expect_eq(
      tg_x509_check_path_name_constraints(path, 2, "nowhere.example.org", &reason, &depth, &err),
      TG_OK, "%s", err.what);
  tg_writer_free(&ca_der);
  tg_writer_free(&leaf_der);
}

/* Self-issued intermediates are not checked against the constraints above them (RFC 5280
 * §6.1.3 (b)); others are, and the failure names the certificate. */
static void self_issued_intermediate(void) {
  tg_writer der[3];
  tg_x509_cert root, mid, leaf;
  const spec root_spec = {"CA", "Root", NULL, NULL, 0, true, "dns:example.com", NULL};
  const spec self_spec = {"CA", "CA", NULL, "dns:ca.example.net", 0, true, NULL, NULL};
  const spec other_spec = {"Mid", "CA", NULL, "dns:ca.example.net", 0, true, NULL, NULL};
  const spec leaf_spec = {"leaf", "CA", NULL, "dns:www.example.com", 0, false, NULL, NULL};
  build(&root_spec, &der[0], &root);
  build(&leaf_spec, &der[2], &leaf);
  for (int k = 0; k < 2; k++) {
    build(k == 0 ? &self_spec : &other_spec, &der[1], &mid);
    const tg_x509_cert *path[] = {&leaf, &mid, &root};
    tg_x509_reason reason = TG_X509_OK;
    size_t depth = 0;
    tg_err err = {0};
    tg_status st =
        tg_x509_check_path_name_constraints(path, 3, "www.example.com", &reason, &depth, &err);
    cr_expect_eq(st == TG_OK, k == 0, "%s: %s", k == 0 ? "self-issued" : "other", err.what);
    if (k == 1)
      cr_expect(reason == NCV && depth == 1, "%s at %zu", tg_x509_reason_name(reason), depth);
    tg_writer_free(&der[1]);
  }
  tg_writer_free(&der[0]);
  tg_writer_free(&der[2]);
}

/* RFC 5280 §4.2.1.10: 8 or 32 octets, a CIDR mask; anything else is a malformed certificate
 * (the parser refuses it, bad_certificate), not a constraint read some other way. */
static void malformed_ip_constraints(void) {
  static const struct {
    const char *base; /* the GeneralName, as hex: */
    const char *says;
  } rows[] = {
      {"hex:8705c0000200ff", "has 5 octets"},
      {"hex:871020010db8000000000000000000000001", "has 16 octets"},
      {"hex:8700", "has 0 octets"},
      {"hex:8708c0000200ff00ff00", "not a CIDR prefix"}, /* 255.0.255.0 */
      {"hex:8708c0000200ffffff01", "not a CIDR prefix"}, /* a one after the zeros */
      {"hex:8708c000020000ffffff", "not a CIDR prefix"}, /* zeros first */
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_writer der;
    tg_x509_cert ca;
    tg_err err = {0};
    const spec s = {"CA", "Root", NULL, NULL, 0, true, rows[i].base, NULL};
    make_der(&s, &der);
    cr_expect_neq(tg_x509_parse(tg_writer_bytes(&der), &ca, &err), TG_OK, "%s parses",
                  rows[i].base);
    cr_expect_eq(err.alert, TG_ALERT_bad_certificate);
    cr_expect(strstr(err.what, rows[i].says) != NULL, "%s: %s", rows[i].base, err.what);
    tg_writer_free(&der);
  }
  /* The CIDR masks at the ends of the range parse: /0, /32, /128 (gen.sh and the other rows
   * use prefixes in between). */
  static const char *const good[] = {"ip:0.0.0.0/0", "ip:192.0.2.1/32", "ip:2001:db8::1/128",
                                     "ip:::/0"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    tg_writer der;
    tg_x509_cert ca;
    const spec s = {"CA", "Root", NULL, NULL, 0, true, good[i], NULL};
    build(&s, &der, &ca);
    tg_writer_free(&der);
  }
}

/* Every rule above in one process (a test process costs more than its rows, most under the
 * sanitizers); each failure names its row. */
Test(x509_name_constraints, rules) {
  wildcard_against_excluded();
  rfc822_names();
  dns_names();
  ip_addresses();
  uris();
  unprocessed_forms();
  self_issued_intermediate();
  malformed_ip_constraints();
}

/* ---- The manifest's chains, whole ------------------------------------------------------------ */

static tg_x509_store stores[4];

/* vectors/x509/chains/FILE into stores[i]; its status (a malformed certificate is refused). */
static tg_status load(size_t i, const char *file, tg_err *err) {
  char path[512];
  static char text[65536];
  snprintf(path, sizeof path, "%s/vectors/x509/chains/%s", TG_SOURCE_DIR, file);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  size_t n = fread(text, 1, sizeof text, f);
  cr_assert(feof(f), "%s is too large", path);
  fclose(f);
  tg_x509_store_init(&stores[i]);
  return tg_x509_store_add_pem(&stores[i], tg_bytes_of(text, n), err);
}

static void free_stores(void) {
  for (size_t i = 0; i < sizeof stores / sizeof stores[0]; i++)
    tg_x509_store_free(&stores[i]);
}

/* Some chains of the manifest through tg_x509_verify, the order of its checks included (the
 * wildcard's reference name is refused as a constraint violation, not a name mismatch). */
Test(x509_name_constraints, manifest_chains, .fini = free_stores) {
  static const struct {
    const char *leaf, *ca, *name;
    tg_x509_reason want;
  } rows[] = {
      {"nc_leaf_wild.pem", "nc_ca_wild.pem", "bar.example.com", NCV},
      {"nc_leaf_wild.pem", "nc_ca_wild.pem", "foo.example.com", TG_X509_OK},
      {"nc_leaf_wild.pem", "nc_ca_wild.pem", "bar.example.org", TG_X509_NAME_MISMATCH},
      {"nc_leaf_email_subject_bad.pem", "nc_ca_email.pem", NULL, NCV},
      {"nc_leaf_email_domain.pem", "nc_ca_email.pem", "www.example.com", TG_X509_OK},
      {"nc_leaf_ip6.pem", "nc_ca_ip6.pem", "2001:db8::10", TG_X509_OK},
      {"nc_leaf_uri_urn.pem", "nc_ca_uri.pem", "www.example.com", NCV},
      {"nc_leaf_many.pem", "nc_ca_many.pem", "www.example.com", TOO},
  };
  tg_err err = {0};
  cr_assert_eq(load(0, "root.pem", &err), TG_OK, "%s", err.what);
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    cr_assert_eq(load(1, rows[i].leaf, &err), TG_OK, "%s", err.what);
    cr_assert_eq(load(2, rows[i].ca, &err), TG_OK, "%s", err.what);
    const tg_x509_cert *untrusted[] = {tg_x509_store_get(&stores[2], 0)};
    tg_x509_verify_params p = {.anchors = &stores[0],
                               .untrusted = untrusted,
                               .untrusted_count = 1,
                               .name = rows[i].name,
                               .now = NOW};
    tg_x509_verify_result res;
    tg_err_clear(&err);
    tg_status st = tg_x509_verify(tg_x509_store_get(&stores[1], 0), &p, &res, &err);
    cr_expect_eq(res.reason, rows[i].want, "%s for %s: %s (%s)", rows[i].leaf, rows[i].name,
                 tg_x509_reason_name(res.reason), err.what);
    cr_expect_eq(st == TG_OK, rows[i].want == TG_X509_OK);
    if (rows[i].want == TOO) { /* the one-link check has the same budget */
      tg_err_clear(&err);
      cr_expect_neq(
          tg_x509_check_name_constraints(tg_x509_store_get(&stores[1], 0), untrusted[0], &err),
          TG_OK);
      cr_expect(strstr(err.what, "more than 65536") != NULL, "%s", err.what);
    }
    tg_x509_store_free(&stores[1]);
    tg_x509_store_free(&stores[2]);
  }
  /* The CAs with malformed iPAddress constraints do not load: the certificate is malformed. */
  static const char *const malformed[] = {"nc_ca_ip_len.pem", "nc_ca_ip_16.pem",
                                          "nc_ca_ip_mask.pem"};
  for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
    tg_err_clear(&err);
    cr_expect_neq(load(1, malformed[i], &err), TG_OK, "%s loads", malformed[i]);
    cr_expect(strstr(err.what, "iPAddress constraint") != NULL, "%s: %s", malformed[i], err.what);
    tg_x509_store_free(&stores[1]);
  }
}
