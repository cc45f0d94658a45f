/* The X.509 parser on well-formed certificates: the RFC 8448 certificates (fields read from the
 * bytes with openssl asn1parse) and the ones vectors/x509/gen.sh makes. Every parse also checks
 * the tiling / re-encode oracle (xt_parse_ok). Expected epoch values were computed outside the
 * code (python3 calendar.timegm). */
#include <criterion/criterion.h>

#include "x509_util.h"

/* The certificate's key through the crypto module: the SPKI view must be exactly what
 * tg_public_key_from_spki takes. */
static void assert_key(const tg_x509_cert *c, tg_key_type type, size_t bits) {
  tg_public_key *key = NULL;
  tg_err err = {0};
  cr_assert_eq(tg_public_key_from_spki(c->spki, &key, &err), TG_OK, "%s", err.what);
  cr_assert_eq(tg_public_key_type(key), type);
  cr_assert_eq(tg_public_key_bits(key), bits);
  cr_assert_eq(c->key_type, type);
  tg_public_key_free(key);
}

static void assert_cn(const tg_x509_name *name, const char *cn) {
  tg_bytes v;
  cr_assert(tg_x509_name_find(name, &TG_OID_commonName, &v), "no commonName");
  cr_assert(xt_text_eq(v, cn), "commonName is '%.*s', expected '%s'", (int)v.len, v.p, cn);
}

Test(x509_parse, rfc8448_server_rsa) {
  tt_buf der = xt_rfc8448_cert("sec3-simple-1rtt/certificate");
  tg_x509_cert c;
  xt_parse_ok(der, &c);
  cr_assert_eq(c.version, 3);
  cr_assert(c.serial.len == 1 && c.serial.p[0] == 0x02 && !c.serial_lenient);
  cr_assert_eq(c.sig_alg, TG_X509_SIG_sha256WithRSAEncryption);
  assert_cn(&c.subject, "rsa");
  assert_cn(&c.issuer, "rsa");
  cr_assert(tg_bytes_eq(c.subject.raw, c.issuer.raw));
  cr_assert_eq(c.not_before, 1469841839); /* 2016-07-30 01:23:59 */
  cr_assert_eq(c.not_after, 1785374639);  /* 2026-07-30 01:23:59 */
  assert_key(&c, TG_KEY_RSA, 1024);
  /* extnValue 30 00: basicConstraints present with cA absent (FALSE). */
  cr_assert(c.has_basic_constraints && !c.ca && !c.has_path_len);
  /* extnValue 03 02 05 a0: digitalSignature (0) and keyEncipherment (2). */
  cr_assert(c.has_key_usage);
  cr_assert_eq(c.key_usage, TG_KU_digitalSignature | TG_KU_keyEncipherment);
  cr_assert_eq(c.extensions_count, 2);
  cr_assert(!c.has_subject_alt_name && !c.has_ext_key_usage && !c.unknown_critical);
  cr_assert_eq(c.signature_value.len, 128);
  tt_free(&der);
}

Test(x509_parse, rfc8448_ecdsa_and_client_rsa) {
  tt_buf ec = xt_rfc8448_cert("sec6-client-auth/certificate");
  tt_buf rsa = xt_rfc8448_cert("sec6-client-auth/client_certificate");
  tg_x509_cert c;
  xt_parse_ok(ec, &c);
  assert_cn(&c.subject, "ecdsa256");
  cr_assert_eq(c.sig_alg, TG_X509_SIG_ecdsa_with_SHA256);
  cr_assert_eq(c.not_before, 1469841840); /* 2016-07-30 01:24:00 */
  assert_key(&c, TG_KEY_EC_P256, 256);
  cr_assert_eq(c.key_usage, TG_KU_digitalSignature); /* 03 02 07 80 */
  xt_parse_ok(rsa, &c);
  assert_cn(&c.subject, "client");
  assert_key(&c, TG_KEY_RSA, 1024);
  cr_assert(c.serial.len == 1 && c.serial.p[0] == 0x01);
  tt_free(&ec);
  tt_free(&rsa);
}

Test(x509_parse, ca_basic_constraints_path_len) {
  tt_buf der = xt_load("ca_rsa");
  tg_x509_cert c;
  xt_parse_ok(der, &c);
  cr_assert(c.has_basic_constraints && c.ca && c.has_path_len);
  cr_assert_eq(c.path_len, 1);
  cr_assert_eq(c.key_usage, TG_KU_keyCertSign | TG_KU_cRLSign);
  cr_assert(c.has_subject_key_id && c.subject_key_id.len == 20);
  cr_assert_eq(c.not_before, 1735689600); /* 2025-01-01 */
  cr_assert_eq(c.not_after, 2051222400);  /* 2035-01-01 */
  assert_key(&c, TG_KEY_RSA, 2048);
  assert_cn(&c.subject, "Test Root CA");
  tg_bytes v;
  cr_assert(tg_x509_name_find(&c.subject, &TG_OID_countryName, &v) && xt_text_eq(v, "US"));
  /* The extension iterator sees the criticality openssl was asked for. */
  tg_x509_ext_iter it;
  tg_x509_ext e;
  size_t n = 0;
  tg_x509_ext_iter_init(&it, &c);
  while (tg_x509_ext_next(&it, &e)) {
    bool want = e.kind == TG_X509_EXT_basicConstraints || e.kind == TG_X509_EXT_keyUsage;
    cr_assert_eq(e.critical, want, "%s", tg_x509_ext_kind_name(e.kind));
    n++;
  }
  cr_assert_eq(n, c.extensions_count);
  cr_assert_eq(n, 3);
  tt_free(&der);
}

Test(x509_parse, leaf_subject_alt_names) {
  static const uint8_t ip4[] = {192, 0, 2, 1};
  static const uint8_t ip6[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  tt_buf der = xt_load("leaf_p256");
  tg_x509_cert c;
  xt_parse_ok(der, &c);
  cr_assert(c.has_subject_alt_name);
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  tg_x509_gn_type types[8];
  size_t n = 0;
  tg_x509_gn_iter_init(&it, c.subject_alt_name);
  while (tg_x509_gn_next(&it, &gn) && n < 8)
    types[n++] = gn.type;
  cr_assert_eq(n, 7);
  cr_assert(types[0] == TG_GN_dNSName && types[1] == TG_GN_dNSName);
  cr_assert(types[2] == TG_GN_iPAddress && types[3] == TG_GN_iPAddress);
  cr_assert(types[4] == TG_GN_rfc822Name && types[5] == TG_GN_uniformResourceIdentifier);
  cr_assert_eq(types[6], TG_GN_directoryName);
  tg_x509_gn_iter_init(&it, c.subject_alt_name);
  cr_assert(tg_x509_gn_next(&it, &gn) && xt_text_eq(gn.value, "www.example.com"));
  cr_assert(tg_x509_gn_next(&it, &gn) && xt_text_eq(gn.value, "*.example.com"));
  cr_assert(tg_x509_gn_next(&it, &gn) && tg_bytes_eq(gn.value, tg_bytes_of(ip4, 4)));
  cr_assert(tg_x509_gn_next(&it, &gn) && tg_bytes_eq(gn.value, tg_bytes_of(ip6, 16)));
  cr_assert(tg_x509_gn_next(&it, &gn) && xt_text_eq(gn.value, "admin@example.com"));
  cr_assert(tg_x509_gn_next(&it, &gn) && xt_text_eq(gn.value, "https://example.com/"));
  cr_assert(tg_x509_gn_next(&it, &gn));
  tg_bytes o;
  cr_assert(tg_x509_name_find(&gn.name, &TG_OID_organizationName, &o));
  cr_assert(xt_text_eq(o, "Example Dir"));
  cr_assert(!tg_x509_gn_next(&it, &gn));
  tt_free(&der);
}

Test(x509_parse, leaf_eku_policies_serial) {
  static const uint8_t serial[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                   11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  tt_buf der = xt_load("leaf_p256");
  tg_x509_cert c;
  xt_parse_ok(der, &c);
  cr_assert(c.has_ext_key_usage);
  cr_assert_eq(c.ext_key_usage, TG_EKU_serverAuth | TG_EKU_clientAuth);
  cr_assert(c.has_certificate_policies && c.has_authority_key_id);
  cr_assert_eq(c.authority_key_id.len, 20);
  cr_assert(c.has_basic_constraints && !c.ca);
  cr_assert(tg_bytes_eq(c.serial, tg_bytes_of(serial, sizeof serial)) && !c.serial_lenient);
  assert_key(&c, TG_KEY_EC_P256, 256);
  /* The subject's strings, with their DER string types as openssl -utf8 wrote them. */
  tg_x509_name_iter ni;
  tg_x509_attr a;
  size_t n = 0;
  tg_x509_name_iter_init(&ni, &c.subject);
  while (tg_x509_name_next(&ni, &a)) {
    cr_assert_eq(a.rdn, n);
    if (tg_der_oid_eq(a.type, &TG_OID_countryName))
      cr_assert_eq(a.tag, TG_DER_PrintableString);
    if (tg_der_oid_eq(a.type, &TG_OID_organizationName)) {
      cr_assert_eq(a.tag, TG_DER_UTF8String);
      cr_assert(xt_text_eq(a.value, "Soci\xc3\xa9t\xc3\xa9 Exemple"));
    }
    if (tg_der_oid_eq(a.type, &TG_OID_emailAddress))
      cr_assert_eq(a.tag, TG_DER_IA5String);
    n++;
  }
  cr_assert_eq(n, 4);
  tt_free(&der);
}

Test(x509_parse, name_constraints_p384) {
  static const uint8_t net[] = {192, 0, 2, 0, 255, 255, 255, 0};
  tt_buf der = xt_load("ca_p384_nc");
  tg_x509_cert c;
  xt_parse_ok(der, &c);
  assert_key(&c, TG_KEY_EC_P384, 384);
  cr_assert(c.ca && c.has_path_len && c.path_len == 0);
  cr_assert(c.has_name_constraints);
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  tg_x509_subtrees_iter_init(&it, c.permitted_subtrees);
  cr_assert(tg_x509_gn_next(&it, &gn) && gn.type == TG_GN_dNSName);
  cr_assert(xt_text_eq(gn.value, "example.com"));
  cr_assert(tg_x509_gn_next(&it, &gn) && gn.type == TG_GN_iPAddress);
  cr_assert(tg_bytes_eq(gn.value, tg_bytes_of(net, sizeof net)));
  cr_assert(!tg_x509_gn_next(&it, &gn));
  tg_x509_subtrees_iter_init(&it, c.excluded_subtrees);
  cr_assert(tg_x509_gn_next(&it, &gn) && xt_text_eq(gn.value, "bad.example.com"));
  cr_assert(!tg_x509_gn_next(&it, &gn));
  tt_free(&der);
}

Test(x509_parse, unknown_critical_extension_ed25519) {
  tt_buf der = xt_load("ed25519_crit");
  tg_x509_cert c;
  xt_parse_ok(der, &c);
  cr_assert_eq(c.sig_alg, TG_X509_SIG_Ed25519);
  assert_key(&c, TG_KEY_ED25519, 256);
  cr_assert(c.unknown_critical);
  cr_assert_eq(c.ext_key_usage, TG_EKU_clientAuth);
  tg_x509_ext_iter it;
  tg_x509_ext e;
  bool seen = false;
  tg_x509_ext_iter_init(&it, &c);
  while (tg_x509_ext_next(&it, &e))
    if (e.kind == TG_X509_EXT_unknown) {
      cr_assert(e.critical);
      cr_assert(e.extn_value.len == 2 && e.extn_value.p[0] == 0x05 && e.extn_value.p[1] == 0);
      seen = true;
    }
  cr_assert(seen);
  tt_free(&der);
}

Test(x509_parse, generalized_time_not_after) {
  tt_buf der = xt_load("rsa_gentime");
  tg_x509_cert c;
  xt_parse_ok(der, &c);
  cr_assert_eq(c.not_before, 1735689600); /* UTCTime 250101000000Z */
  cr_assert_eq(c.not_after, 3471292800);  /* GeneralizedTime 20800101000000Z */
  cr_assert(!c.has_basic_constraints);
  tt_free(&der);
}

Test(x509_parse, version_1) {
  tt_buf der = xt_load("v1_rsa");
  tg_x509_cert c;
  xt_parse_ok(der, &c);
  cr_assert_eq(c.version, 1);
  cr_assert_eq(c.version_raw.len, 0);
  cr_assert_eq(c.extensions_raw.len, 0);
  cr_assert_eq(c.extensions_count, 0);
  cr_assert(!c.has_basic_constraints && !c.has_key_usage);
  tt_free(&der);
}

Test(x509_parse, issuer_is_the_ca_subject) {
  tt_buf ca = xt_load("ca_rsa"), leaf = xt_load("leaf_p256");
  tg_x509_cert a, b;
  xt_parse_ok(ca, &a);
  xt_parse_ok(leaf, &b);
  cr_assert(tg_bytes_eq(a.subject.raw, b.issuer.raw));
  cr_assert(tg_bytes_eq(a.subject_key_id, b.authority_key_id));
  tt_free(&ca);
  tt_free(&leaf);
}

/* describe names the RFC 5280 fields and renders times and names as text. */
Test(x509_parse, describe_leaf) {
  tt_buf der = xt_load("leaf_p256");
  tg_x509_cert c;
  tt_dump t;
  xt_parse_ok(der, &c);
  tt_dump_init(&t);
  tg_x509_describe(&t.d, &c);
  const char *want[] = {"notBefore=\"2025-01-01T00:00:00Z\"",
                        "notAfter=\"2035-01-01T00:00:00Z\"",
                        "type=2(dNSName)",
                        "value=\"*.example.com\"",
                        "kind=2(keyUsage)",
                        "critical=1(TRUE)",
                        "key_type=3(EC P-256)",
                        "type_name=\"commonName\"",
                        "value=\"www.example.com\""};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(t.text, want[i]) != NULL, "no '%s' in %s", want[i], t.text);
  tt_free(&der);
}
