/* The path validator's parts one by one: reasons and alerts, each check failing alone, trust
 * stores, path building, and the tg_validator the engine uses. Certificates come from
 * vectors/x509/chains/ (see gen.sh there for what each one is). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/x509_verify.h"
#include "x509/x509_verify_internal.h"

#define NOW 1780272000 /* 2026-06-01T00:00:00Z: inside every 2025..2035 certificate */

/* Each file's certificates in its own store (kept for the whole test: views point into it). */
static tg_x509_store stores[16];
static size_t n_stores;

static const tg_x509_cert *cert(const char *file) {
  char path[512];
  static char text[32768];
  snprintf(path, sizeof path, "%s/vectors/x509/chains/%s.pem", TG_SOURCE_DIR, file);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  size_t n = fread(text, 1, sizeof text, f);
  fclose(f);
  cr_assert_lt(n_stores, 16);
  tg_x509_store *s = &stores[n_stores++];
  tg_x509_store_init(s);
  cr_assert_eq(tg_x509_store_add_pem(s, tg_bytes_of(text, n), NULL), TG_OK, "%s", file);
  return tg_x509_store_get(s, 0);
}

static void free_stores(void) {
  for (size_t i = 0; i < n_stores; i++)
    tg_x509_store_free(&stores[i]);
  n_stores = 0;
}

TestSuite(x509_verify, .fini = free_stores);

/* ---- Reasons --------------------------------------------------------------------------------- */

Test(x509_verify, reason_names_round_trip) {
  for (int r = 0; r <= TG_X509_WEAK_ALGORITHM; r++) {
    const char *name = tg_x509_reason_name((tg_x509_reason)r);
    cr_expect_str_neq(name, "unknown", "reason %d has no name", r);
    cr_expect_eq(tg_x509_reason_from_name(name), r, "%s", name);
  }
  cr_expect_str_eq(tg_x509_reason_name(TG_X509_EXPIRED), "expired");
  cr_expect_str_eq(tg_x509_reason_name(TG_X509_NAME_CONSTRAINT_VIOLATION),
                   "name_constraint_violation");
  cr_expect_eq(tg_x509_reason_from_name("no_such_reason"), -1);
  cr_expect_str_eq(tg_x509_reason_name((tg_x509_reason)999), "unknown");
}

/* The RFC 8446 §6.2 alert each reason implies (the reasoning is in path.c). */
Test(x509_verify, reason_alerts) {
  static const struct {
    tg_x509_reason reason;
    enum tg_alert alert;
  } rows[] = {
      {TG_X509_MALFORMED, TG_ALERT_bad_certificate},
      {TG_X509_BAD_SIGNATURE, TG_ALERT_bad_certificate},
      {TG_X509_EXPIRED, TG_ALERT_certificate_expired},
      {TG_X509_NOT_YET_VALID, TG_ALERT_certificate_expired},
      {TG_X509_UNKNOWN_ISSUER, TG_ALERT_unknown_ca},
      {TG_X509_SELF_SIGNED, TG_ALERT_unknown_ca},
      {TG_X509_NOT_A_CA, TG_ALERT_unknown_ca},
      {TG_X509_PATH_LEN_EXCEEDED, TG_ALERT_unknown_ca},
      {TG_X509_UNKNOWN_CRITICAL_EXTENSION, TG_ALERT_unsupported_certificate},
      {TG_X509_BAD_EXT_KEY_USAGE, TG_ALERT_unsupported_certificate},
      {TG_X509_WEAK_ALGORITHM, TG_ALERT_bad_certificate}, /* RFC 8446 4.4.2.4 */
      {TG_X509_NAME_CONSTRAINT_VIOLATION, TG_ALERT_certificate_unknown},
      {TG_X509_NAME_MISMATCH, TG_ALERT_bad_certificate},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    cr_expect_eq(tg_x509_reason_alert(rows[i].reason), rows[i].alert, "%s",
                 tg_x509_reason_name(rows[i].reason));
}

/* ---- Each check alone ------------------------------------------------------------------------ */

/* The anchor's store is one of the test's stores, so the result's path stays valid. */
static tg_status verify_one(const tg_x509_cert *leaf, const tg_x509_cert *const *inter, size_t n,
                            const char *anchor, int64_t now, tg_x509_verify_result *res,
                            tg_err *err) {
  (void)cert(anchor);
  tg_x509_verify_params p = {.anchors = &stores[n_stores - 1],
                             .untrusted = inter,
                             .untrusted_count = n,
                             .name = "www.example.com",
                             .now = now,
                             .purpose = TG_PURPOSE_SERVER};
  return tg_x509_verify(leaf, &p, res, err);
}

/* RFC 5280 §4.1.2.5: notBefore and notAfter are both inside the validity period. */
Test(x509_verify, validity_bounds_are_inclusive) {
  const tg_x509_cert *leaf = cert("leaf_ok"), *inter = cert("int_ed");
  const int64_t nb = leaf->not_before, na = leaf->not_after;
  const struct {
    int64_t now;
    tg_x509_reason reason;
  } rows[] = {{nb - 1, TG_X509_NOT_YET_VALID},
              {nb, TG_X509_OK},
              {na, TG_X509_OK},
              {na + 1, TG_X509_EXPIRED}};
  for (size_t i = 0; i < 4; i++) {
    tg_x509_verify_result res;
    tg_err err = {0};
    (void)verify_one(leaf, &inter, 1, "root", rows[i].now, &res, &err);
    cr_expect_eq(res.reason, rows[i].reason, "row %zu: %s", i, tg_x509_reason_name(res.reason));
  }
}

/* RFC 5280 §6.1.4 (k), (n): who may issue certificates. */
Test(x509_verify, issuer_checks) {
  static const struct {
    const char *file;
    tg_x509_reason reason;
  } rows[] = {
      {"int_ed", TG_X509_OK},
      {"root", TG_X509_OK},
      {"leaf_ok", TG_X509_NOT_A_CA},
      {"int_noca", TG_X509_NOT_A_CA},
      {"int_nobc", TG_X509_NOT_A_CA},
      {"int_v1", TG_X509_NOT_A_CA},
      {"int_noku", TG_X509_BAD_KEY_USAGE},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_x509_reason reason = TG_X509_OK;
    tg_err err = {0};
    tg_status st = tg_x509_check_issuer(cert(rows[i].file), 1, false, &reason, &err);
    cr_expect_eq(st == TG_OK, rows[i].reason == TG_X509_OK, "%s", rows[i].file);
    cr_expect_eq(reason, rows[i].reason, "%s: %s", rows[i].file, tg_x509_reason_name(reason));
    if (st != TG_OK)
      cr_expect_eq(err.alert, tg_x509_reason_alert(rows[i].reason), "%s", rows[i].file);
  }
}

/* RFC 5280 §4.2.1.3, §4.2.1.12: keyUsage and extKeyUsage of the leaf for each purpose. */
Test(x509_verify, leaf_usage_checks) {
  static const struct {
    const char *file;
    tg_cert_purpose purpose;
    tg_x509_reason reason;
  } rows[] = {
      {"leaf_ok", TG_PURPOSE_SERVER, TG_X509_OK},
      {"leaf_ok", TG_PURPOSE_CLIENT, TG_X509_OK},
      {"leaf_wild", TG_PURPOSE_CLIENT, TG_X509_BAD_EXT_KEY_USAGE}, /* serverAuth only */
      {"leaf_client", TG_PURPOSE_SERVER, TG_X509_BAD_EXT_KEY_USAGE},
      {"leaf_client", TG_PURPOSE_CLIENT, TG_X509_OK},
      {"leaf_ku", TG_PURPOSE_SERVER, TG_X509_BAD_KEY_USAGE},
      {"leaf_nc_bad", TG_PURPOSE_SERVER, TG_X509_OK}, /* neither extension: no restriction */
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_x509_reason reason = TG_X509_OK;
    tg_err err = {0};
    tg_status st = tg_x509_check_leaf_usage(cert(rows[i].file), rows[i].purpose, &reason, &err);
    cr_expect_eq(st == TG_OK, rows[i].reason == TG_X509_OK, "row %zu", i);
    cr_expect_eq(reason, rows[i].reason, "row %zu %s: %s", i, rows[i].file,
                 tg_x509_reason_name(reason));
  }
}

/* RFC 5280 §6.1.3 (a)(1) with each signature algorithm, and the failures. */
Test(x509_verify, signatures) {
  static const struct {
    const char *subject, *issuer;
    tg_x509_reason reason;
  } rows[] = {
      {"leaf_ok", "int_ed", TG_X509_OK},     /* Ed25519 */
      {"int_ed", "root", TG_X509_OK},        /* RSA PKCS#1 v1.5 SHA-256 */
      {"leaf_p256", "int_p256", TG_X509_OK}, /* ECDSA P-256 SHA-256 */
      {"leaf_p384", "int_p384", TG_X509_OK}, /* ECDSA P-384 SHA-384 */
      {"leaf_pss", "root", TG_X509_OK},      /* RSASSA-PSS */
      {"root", "root", TG_X509_OK},          /* self-signed */
      {"leaf_badsig", "int_ed", TG_X509_BAD_SIGNATURE},
      {"leaf_ok", "int_ed_decoy", TG_X509_BAD_SIGNATURE}, /* same name, other key */
      {"leaf_ok", "root", TG_X509_BAD_SIGNATURE},         /* Ed25519 signature, RSA key */
      {"leaf_p256", "int_p384", TG_X509_BAD_SIGNATURE},   /* the other curve's key */
      {"leaf_sha1", "root", TG_X509_WEAK_ALGORITHM},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_x509_reason reason = TG_X509_OK;
    tg_err err = {0};
    char msg[256];
    tg_status st =
        tg_x509_check_signature(cert(rows[i].subject), cert(rows[i].issuer), &reason, &err);
    cr_expect_eq(reason, rows[i].reason, "%s by %s: %s (%s)", rows[i].subject, rows[i].issuer,
                 tg_x509_reason_name(reason), tg_err_format(&err, msg, sizeof msg));
    cr_expect_eq(st == TG_OK, rows[i].reason == TG_X509_OK, "%s", rows[i].subject);
    free_stores();
  }
}

/* RFC 5280 §4.2.1.10: dNSName, iPAddress and directoryName constraints. */
Test(x509_verify, name_constraints) {
  static const struct {
    const char *subject, *issuer;
    bool ok;
  } rows[] = {
      {"leaf_nc_ok", "int_nc", true},    /* www.example.com in example.com */
      {"leaf_nc_bad", "int_nc", false},  /* www.example.net */
      {"leaf_nc_excl", "int_nc", false}, /* bad.example.com is excluded */
      {"leaf_nc_ip", "int_nc", false},   /* 198.51.100.1 outside 192.0.2.0/24 */
      {"leaf_ip", "int_nc", false},      /* 2001:db8::10: IPv6 outside an IPv4-only permit */
      {"leaf_wild", "int_nc", true},     /* *.example.com is a name under example.com */
      {"leaf_nc_dn_ok", "int_nc_dn", true}, {"leaf_nc_dn_bad", "int_nc_dn", false},
      {"leaf_nc_bad", "int_ed", true}, /* no nameConstraints: anything goes */
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_err err = {0};
    tg_status st =
        tg_x509_check_name_constraints(cert(rows[i].subject), cert(rows[i].issuer), &err);
    cr_expect_eq(st == TG_OK, rows[i].ok, "%s below %s: %s", rows[i].subject, rows[i].issuer,
                 err.what);
    if (st != TG_OK)
      cr_expect_eq(err.alert, TG_ALERT_certificate_unknown);
    free_stores();
  }
}

/* ---- Path building --------------------------------------------------------------------------- */

Test(x509_verify, failure_names_the_certificate) {
  const tg_x509_cert *leaf = cert("leaf_ok"), *inter = cert("int_ed_expired");
  tg_x509_verify_result res;
  tg_err err = {0};
  cr_assert_neq(verify_one(leaf, &inter, 1, "root", NOW, &res, &err), TG_OK);
  cr_expect_eq(res.reason, TG_X509_EXPIRED);
  cr_expect_eq(res.depth, 1, "the intermediate expired, not the leaf");
  cr_expect_eq(res.path_len, 3);
  cr_expect_eq(err.alert, TG_ALERT_certificate_expired);
  cr_expect(strstr(err.what, "certificate 1") != NULL, "%s", err.what);
  cr_expect(strstr(err.file, "tls/src/x509/") == err.file, "%s", err.file);
}

Test(x509_verify, valid_path_is_reported) {
  const tg_x509_cert *leaf = cert("leaf_ok"), *inter[] = {cert("int_ed_decoy"), cert("int_ed")};
  tg_x509_verify_result res;
  tg_err err = {0};
  cr_assert_eq(verify_one(leaf, inter, 2, "root", NOW, &res, &err), TG_OK, "%s", err.what);
  cr_expect_eq(res.reason, TG_X509_OK);
  cr_expect_eq(res.path_len, 3);
  cr_expect_eq(res.path[0], leaf);
  cr_expect_eq(res.path[1], inter[1], "the decoy is not on the path");
  cr_expect_eq(err.code, TG_OK, "a failed candidate leaves no error behind");
  char name[128];
  tg_x509_name_format(&res.path[2]->subject, name, sizeof name);
  cr_expect_str_eq(name, "CN=TG Chains Root, O=tlsgauntlet chains");
}

/* Without anchors nothing is trusted; without a name, no name is checked. */
Test(x509_verify, no_anchors_no_name) {
  const tg_x509_cert *leaf = cert("leaf_root");
  tg_x509_verify_params p = {.now = NOW};
  tg_x509_verify_result res;
  tg_err err = {0};
  cr_expect_neq(tg_x509_verify(leaf, &p, &res, &err), TG_OK);
  cr_expect_eq(res.reason, TG_X509_UNKNOWN_ISSUER);
  cr_expect_eq(err.alert, TG_ALERT_unknown_ca);
}

/* Every candidate issuer costs a signature check; a flood of decoys exhausts the budget before
 * the good intermediate is reached, and the search stops instead of running on. */
Test(x509_verify, candidate_budget) {
  const tg_x509_cert *leaf = cert("leaf_ok"), *decoy = cert("int_ed_decoy");
  const tg_x509_cert *good = cert("int_ed");
  const tg_x509_cert *inter[101];
  for (size_t i = 0; i < 100; i++)
    inter[i] = decoy;
  inter[100] = good;
  tg_x509_verify_result res;
  tg_err err = {0};
  cr_expect_neq(verify_one(leaf, inter, 101, "root", NOW, &res, &err), TG_OK);
  cr_expect_eq(res.reason, TG_X509_BAD_SIGNATURE, "the decoys' failure is the most specific");
  /* With few decoys the good intermediate is reached. */
  tg_err_clear(&err);
  cr_expect_eq(verify_one(leaf, inter + 90, 11, "root", NOW, &res, &err), TG_OK, "%s", err.what);
}

/* ---- Trust stores ---------------------------------------------------------------------------- */

static tg_bytes file_text(const char *file, char *buf, size_t cap) {
  char path[512];
  snprintf(path, sizeof path, "%s/vectors/x509/chains/%s", TG_SOURCE_DIR, file);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  size_t n = fread(buf, 1, cap, f);
  fclose(f);
  return tg_bytes_of(buf, n);
}

Test(x509_verify, store_from_pem) {
  static char text[65536];
  tg_x509_store s;
  tg_err err = {0};
  tg_x509_store_init(&s);
  cr_assert_eq(tg_x509_store_add_pem(&s, file_text("long_chain.pem", text, sizeof text), &err),
               TG_OK, "%s", err.what);
  cr_expect_eq(tg_x509_store_count(&s), 9);
  /* Growing the store moves its buffer; the views are rebuilt. */
  cr_assert_eq(tg_x509_store_add_pem(&s, file_text("root.pem", text, sizeof text), &err), TG_OK);
  cr_expect_eq(tg_x509_store_count(&s), 10);
  char name[128];
  tg_x509_name_format(&tg_x509_store_get(&s, 0)->subject, name, sizeof name);
  cr_expect_str_eq(name, "CN=Long 1, O=tlsgauntlet chains");
  tg_x509_name_format(&tg_x509_store_get(&s, 9)->subject, name, sizeof name);
  cr_expect_str_eq(name, "CN=TG Chains Root, O=tlsgauntlet chains");
  cr_expect(tg_x509_store_contains(&s, cert("long_5")));
  cr_expect_not(tg_x509_store_contains(&s, cert("leaf_ok")));
  cr_expect_null(tg_x509_store_get(&s, 10));
  tg_x509_store_free(&s);
}

Test(x509_verify, store_refuses_bad_input) {
  static const struct {
    const char *text;
    enum tg_alert alert;
    const char *needle;
  } rows[] = {
      {"no PEM here\n", TG_ALERT_decode_error, "no CERTIFICATE block"},
      {"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", TG_ALERT_decode_error,
       "no CERTIFICATE block"},
      {"\n-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", TG_ALERT_bad_certificate,
       "CERTIFICATE block at line 2"},
      {"-----BEGIN CERTIFICATE-----\nA!AA\n-----END CERTIFICATE-----\n", TG_ALERT_decode_error, ""},
      {"-----BEGIN CERTIFICATE-----\nAAAA\n", TG_ALERT_decode_error, ""},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_x509_store s;
    tg_err err = {0};
    tg_x509_store_init(&s);
    cr_assert_eq(tg_x509_store_add_der(&s, cert("root")->raw, NULL), TG_OK);
    tg_status st = tg_x509_store_add_pem(&s, tg_bytes_of(rows[i].text, strlen(rows[i].text)), &err);
    cr_expect_neq(st, TG_OK, "row %zu", i);
    cr_expect_eq(err.alert, rows[i].alert, "row %zu: %s", i, err.what);
    cr_expect(strstr(err.what, rows[i].needle) != NULL, "row %zu: %s", i, err.what);
    cr_expect_eq(tg_x509_store_count(&s), 1, "row %zu: a failed add changes nothing", i);
    tg_x509_store_free(&s);
  }
}

/* ---- The validator interface ----------------------------------------------------------------- */

static tg_status validate(const char *const *files, size_t n, const char *name, tg_public_key **key,
                          tg_err *err) {
  tg_x509_store anchors;
  tg_validator v;
  tg_bytes chain[8];
  tg_x509_store_init(&anchors);
  cr_assert_eq(tg_x509_store_add_der(&anchors, cert("root")->raw, NULL), TG_OK);
  for (size_t i = 0; i < n; i++)
    chain[i] = cert(files[i])->raw;
  tg_x509_validator_init(&v, &anchors);
  tg_validation_request req = {
      .chain = chain, .chain_len = n, .name = name, .now = NOW, .purpose = TG_PURPOSE_SERVER};
  tg_status st = v.validate(&v, &req, key, err);
  tg_x509_store_free(&anchors);
  return st;
}

Test(x509_verify, validator_accepts_and_returns_the_leaf_key) {
  static const char *const chain[] = {"leaf_ok", "int_ed"};
  tg_public_key *key = NULL;
  tg_err err = {0};
  cr_assert_eq(validate(chain, 2, "www.example.com", &key, &err), TG_OK, "%s", err.what);
  cr_assert_not_null(key);
  cr_expect_eq(tg_public_key_type(key), TG_KEY_ED25519);
  tg_public_key_free(key);
}

Test(x509_verify, validator_rejections_carry_the_alert) {
  static const char *const wrong_order[] = {"int_ed", "leaf_ok"};
  static const char *const chain[] = {"leaf_ok", "int_ed"};
  tg_public_key *key = NULL;
  tg_err err = {0};
  cr_expect_neq(validate(chain, 2, "www.example.org", &key, &err), TG_OK);
  cr_expect_null(key);
  cr_expect_eq(err.alert, TG_ALERT_bad_certificate, "name_mismatch: %s", err.what);
  tg_err_clear(&err);
  cr_expect_neq(validate(chain, 1, "www.example.com", &key, &err), TG_OK);
  cr_expect_eq(err.alert, TG_ALERT_unknown_ca, "missing intermediate: %s", err.what);
  tg_err_clear(&err);
  /* The first certificate is the leaf (RFC 8446 §4.4.2): a CA there has no serverAuth use, but
   * here it fails earlier: int_ed has no subjectAltName for the name. */
  cr_expect_neq(validate(wrong_order, 2, "www.example.com", &key, &err), TG_OK);
  tg_err_clear(&err);
  cr_expect_neq(validate(chain, 0, NULL, &key, &err), TG_OK);
  cr_expect_eq(err.alert, TG_ALERT_bad_certificate);
}

Test(x509_verify, validator_refuses_a_malformed_certificate) {
  static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  tg_x509_store anchors;
  tg_validator v;
  tg_x509_store_init(&anchors);
  tg_bytes chain[] = {cert("leaf_ok")->raw, tg_bytes_of(junk, sizeof junk)};
  tg_x509_validator_init(&v, &anchors);
  tg_validation_request req = {.chain = chain, .chain_len = 2, .now = NOW};
  tg_public_key *key = NULL;
  tg_err err = {0};
  cr_expect_neq(v.validate(&v, &req, &key, &err), TG_OK);
  cr_expect_eq(err.alert, TG_ALERT_bad_certificate, "%s", err.what);
  tg_x509_store_free(&anchors);
}
