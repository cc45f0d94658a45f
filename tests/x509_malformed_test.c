/* The malformed-certificate ladder: each row mutates one field of a good certificate
 * (vectors/x509/leaf_p256.der, which has every extension this parser decodes) and names the
 * check that must reject it, as a substring of err.what; every failure is bad_certificate.
 * Mutated certificates are rebuilt from the good one's views with correct outer lengths by
 * build() below (written independently of tg_x509_reencode), so each row breaks one rule only. */
#include <criterion/criterion.h>

#include "x509_util.h"

enum field { F_VERSION, F_SERIAL, F_SIGNATURE, F_SIGALG, F_SPKI, F_SIGVALUE, F_NONE };

enum kind {
  K_FIELD,      /* field replaced by the TLV in hex */
  K_ISSUER_CN,  /* issuer = one commonName with value TLV(tag, contents hex) */
  K_NOT_BEFORE, /* notBefore = TLV(tag, text) */
  K_EXT_ADD,    /* an extension appended: ext_oid, critical, extnValue contents in hex */
  K_EXT_DUP,    /* the first extension appended again */
  K_EXT_EMPTY,  /* extensions [3] holds an empty SEQUENCE */
  K_V1_EXTS,    /* version removed (v1), extensions kept */
  K_EXT_MANY,   /* 300 distinct unknown extensions appended */
};

typedef struct row {
  const char *name;
  enum kind kind;
  enum field field;
  uint8_t tag;
  const char *hex;
  const tg_oid *ext_oid;
  int critical;     /* -1 absent, else the BOOLEAN octet */
  const char *what; /* expected in err.what; NULL: must parse, with serial_lenient set */
} row;

static void w_hex(tg_writer *w, const char *hex) {
  tt_buf b = tt_from_hex(hex);
  tg_w_bytes(w, b.p, b.len);
  tt_free(&b);
}

/* contents written by the caller into *inner, wrapped as TLV(tag) into w. */
static void w_wrap(tg_writer *w, uint8_t tag, tg_writer *inner) {
  cr_assert_eq(tg_writer_status(inner), TG_OK);
  tg_der_w_tlv(w, tag, tg_writer_bytes(inner));
  tg_writer_free(inner);
}

static void w_extensions(tg_writer *tbs, const tg_x509_cert *c, const row *r) {
  tg_writer list, seq, ext;
  tg_writer_init_dynamic(&list, NULL);
  if (r->kind != K_EXT_EMPTY)
    tg_w_view(&list, c->extensions);
  if (r->kind == K_EXT_DUP) {
    tg_x509_ext_iter it;
    tg_x509_ext first;
    tg_x509_ext_iter_init(&it, c);
    cr_assert(tg_x509_ext_next(&it, &first));
    tg_w_view(&list, first.raw);
  }
  for (unsigned i = 0; r->kind == K_EXT_MANY && i < 300; i++) {
    /* 1.3.6.1.4.1.55555.(128 + i): two base-128 digits, the first non-zero */
    unsigned n = 128 + i;
    uint8_t e[17];
    memcpy(e, "\x30\x0f\x06\x0a\x2b\x06\x01\x04\x01\x83\xb2\x03\x00\x00\x04\x01\x00", 17);
    e[12] = (uint8_t)(0x80 | (n >> 7)), e[13] = (uint8_t)(n & 0x7f);
    tg_w_bytes(&list, e, sizeof e);
  }
  if (r->kind == K_EXT_ADD) {
    tt_buf v = tt_from_hex(r->hex);
    tg_writer_init_dynamic(&ext, NULL);
    tg_der_w_tlv(&ext, TG_DER_OID, tg_bytes_of(r->ext_oid->der, r->ext_oid->len));
    if (r->critical >= 0) {
      const uint8_t b[] = {TG_DER_BOOLEAN, 1, (uint8_t)r->critical};
      tg_w_bytes(&ext, b, 3);
    }
    tg_der_w_tlv(&ext, TG_DER_OCTET_STRING, tt_view(v));
    w_wrap(&list, TG_DER_SEQUENCE, &ext);
    tt_free(&v);
  }
  tg_writer_init_dynamic(&seq, NULL);
  w_wrap(&seq, TG_DER_SEQUENCE, &list);
  w_wrap(tbs, TG_DER_CONTEXT(3), &seq);
}

static void w_field(tg_writer *w, const row *r, enum field f, tg_bytes good) {
  if (r->kind == K_FIELD && r->field == f)
    w_hex(w, r->hex);
  else
    tg_w_view(w, good);
}

static void w_issuer(tg_writer *tbs, const tg_x509_cert *c, const row *r) {
  if (r->kind != K_ISSUER_CN) {
    tg_w_view(tbs, c->issuer.raw);
    return;
  }
  tg_writer atv, set, name;
  tt_buf v = tt_from_hex(r->hex);
  tg_writer_init_dynamic(&atv, NULL);
  tg_der_w_tlv(&atv, TG_DER_OID, tg_bytes_of(TG_OID_commonName.der, TG_OID_commonName.len));
  tg_der_w_tlv(&atv, r->tag, tt_view(v));
  tg_writer_init_dynamic(&set, NULL);
  w_wrap(&set, TG_DER_SEQUENCE, &atv);
  tg_writer_init_dynamic(&name, NULL);
  w_wrap(&name, TG_DER_SET, &set);
  w_wrap(tbs, TG_DER_SEQUENCE, &name);
  tt_free(&v);
}

static void w_validity(tg_writer *tbs, const tg_x509_cert *c, const row *r) {
  if (r->kind != K_NOT_BEFORE) {
    tg_w_view(tbs, c->validity_raw);
    return;
  }
  tg_writer v;
  tg_writer_init_dynamic(&v, NULL);
  tg_der_w_tlv(&v, r->tag, tg_bytes_of(r->hex, strlen(r->hex)));
  tg_der_w_tlv(&v, TG_DER_UTCTime, tg_bytes_of("350101000000Z", 13));
  w_wrap(tbs, TG_DER_SEQUENCE, &v);
}

/* The good certificate c with the row's one change. */
static tt_buf build(const tg_x509_cert *c, const row *r) {
  tg_writer tbs, all, out;
  tg_writer_init_dynamic(&tbs, NULL);
  if (r->kind != K_V1_EXTS)
    w_field(&tbs, r, F_VERSION, c->version_raw);
  w_field(&tbs, r, F_SERIAL, c->serial_raw);
  w_field(&tbs, r, F_SIGNATURE, c->signature);
  w_issuer(&tbs, c, r);
  w_validity(&tbs, c, r);
  tg_w_view(&tbs, c->subject.raw);
  w_field(&tbs, r, F_SPKI, c->spki);
  if (r->kind == K_FIELD || r->kind == K_ISSUER_CN || r->kind == K_NOT_BEFORE ||
      r->kind == K_V1_EXTS)
    tg_w_view(&tbs, c->extensions_raw);
  else
    w_extensions(&tbs, c, r);
  tg_writer_init_dynamic(&all, NULL);
  w_wrap(&all, TG_DER_SEQUENCE, &tbs);
  w_field(&all, r, F_SIGALG, c->signature_algorithm);
  w_field(&all, r, F_SIGVALUE, c->signature_value_raw);
  tg_writer_init_dynamic(&out, NULL);
  w_wrap(&out, TG_DER_SEQUENCE, &all);
  tt_buf b = tt_copy(out.buf, out.len);
  tg_writer_free(&out);
  return b;
}

#define SHA384_RSA "300d06092a864886f70d01010c0500"

static const row rows[] = {
    /* version, serialNumber (RFC 5280 4.1.2.1, 4.1.2.2; X.690 minimal INTEGERs) */
    {"explicit v1", K_FIELD, F_VERSION, 0, "a003020100", 0, 0, "explicit v1"},
    {"version 4", K_FIELD, F_VERSION, 0, "a003020103", 0, 0, "version is 3"},
    {"version non-minimal", K_FIELD, F_VERSION, 0, "a00402020002", 0, 0, "not minimally encoded"},
    {"version wrong inner tag", K_FIELD, F_VERSION, 0, "a003040102", 0, 0, "expected 0x02"},
    /* negative: "users SHOULD be prepared to gracefully handle" it (webpki refuses it) */
    {"serial negative", K_FIELD, F_SERIAL, 0, "0201ff", 0, 0, NULL},
    {"serial negative 21 octets", K_FIELD, F_SERIAL, 0,
     "0215ff0101010101010101010101010101010101010101", 0, 0, "has 21 octets"},
    {"serial 21 octets", K_FIELD, F_SERIAL, 0, "0215010101010101010101010101010101010101010101", 0,
     0, "has 21 octets"},
    {"serial 20 octets plus sign", K_FIELD, F_SERIAL, 0,
     "021500ffffffffffffffffffffffffffffffffffffffff", 0, 0, NULL},
    {"serial zero", K_FIELD, F_SERIAL, 0, "020100", 0, 0, NULL},
    {"serial non-minimal", K_FIELD, F_SERIAL, 0, "02020001", 0, 0, "not minimally encoded"},
    {"serial empty", K_FIELD, F_SERIAL, 0, "0200", 0, 0, "no contents octets"},
    {"serial long-form length", K_FIELD, F_SERIAL, 0, "02810107", 0, 0, "not in the short form"},
    {"serial length leading zero", K_FIELD, F_SERIAL, 0, "0282000107", 0, 0, "leading zero"},
    {"serial indefinite length", K_FIELD, F_SERIAL, 0, "0280070000", 0, 0, "indefinite length"},
    {"serial wrong tag", K_FIELD, F_SERIAL, 0, "040107", 0, 0, "serialNumber has tag 0x04"},
    /* signature algorithms (RFC 5280 4.1.1.2) */
    {"inner signature differs", K_FIELD, F_SIGNATURE, 0, SHA384_RSA, 0, 0,
     "differs from TBSCertificate.signature"},
    {"outer signature differs", K_FIELD, F_SIGALG, 0, SHA384_RSA, 0, 0,
     "differs from TBSCertificate.signature"},
    {"ECDSA with parameters", K_FIELD, F_SIGALG, 0, "300c06082a8648ce3d0403020500", 0, 0,
     "MUST be absent"},
    {"signatureValue unused bits", K_FIELD, F_SIGVALUE, 0, "03020100", 0, 0, "not whole octets"},
    {"signatureValue wrong tag", K_FIELD, F_SIGVALUE, 0, "0401ff", 0, 0, "expected 0x03"},
    /* SubjectPublicKeyInfo */
    {"spki wrong tag", K_FIELD, F_SPKI, 0, "3100", 0, 0, "expected SEQUENCE"},
    {"rsa without NULL", K_FIELD, F_SPKI, 0, "3011300b06092a864886f70d010101030200ff", 0, 0,
     "parameters are not NULL"},
    {"ed25519 with params", K_FIELD, F_SPKI, 0, "300c300706032b65700500030100", 0, 0,
     "Ed25519 has parameters"},
    /* directory strings in the issuer (X.680 41) */
    {"PrintableString '*'", K_ISSUER_CN, 0, TG_DER_PrintableString, "612a62", 0, 0,
     "outside its set"},
    {"PrintableString '@'", K_ISSUER_CN, 0, TG_DER_PrintableString, "6140", 0, 0,
     "outside its set"},
    {"IA5String 8-bit", K_ISSUER_CN, 0, TG_DER_IA5String, "61e9", 0, 0, "non-ASCII"},
    {"UTF8String bad continuation", K_ISSUER_CN, 0, TG_DER_UTF8String, "c328", 0, 0,
     "not valid UTF-8"},
    {"UTF8String overlong", K_ISSUER_CN, 0, TG_DER_UTF8String, "c0af", 0, 0, "invalid lead"},
    {"UTF8String surrogate", K_ISSUER_CN, 0, TG_DER_UTF8String, "eda080", 0, 0, "not valid UTF-8"},
    {"UTF8String truncated", K_ISSUER_CN, 0, TG_DER_UTF8String, "61e282", 0, 0, "not valid UTF-8"},
    {"BMPString odd", K_ISSUER_CN, 0, TG_DER_BMPString, "006100", 0, 0, "BMPString has odd length"},
    {"UniversalString 6", K_ISSUER_CN, 0, TG_DER_UniversalString, "000000610000", 0, 0,
     "not a multiple of 4"},
    /* Validity (RFC 5280 4.1.2.5) */
    {"UTCTime without Z", K_NOT_BEFORE, 0, TG_DER_UTCTime, "250101000000", 0, 0,
     "does not end in Z"},
    {"UTCTime with offset", K_NOT_BEFORE, 0, TG_DER_UTCTime, "250101000000+0100", 0, 0,
     "does not end in Z"},
    {"UTCTime without seconds", K_NOT_BEFORE, 0, TG_DER_UTCTime, "2501010000Z", 0, 0,
     "has 10 digits, expected 12"},
    {"GeneralizedTime fraction", K_NOT_BEFORE, 0, TG_DER_GeneralizedTime, "20250101000000.5Z", 0, 0,
     "fractional seconds"},
    {"GeneralizedTime short", K_NOT_BEFORE, 0, TG_DER_GeneralizedTime, "250101000000Z", 0, 0,
     "has 12 digits, expected 14"},
    {"month 13", K_NOT_BEFORE, 0, TG_DER_UTCTime, "251301000000Z", 0, 0, "month 13"},
    {"month 0", K_NOT_BEFORE, 0, TG_DER_UTCTime, "250001000000Z", 0, 0, "month 0"},
    {"February 29 2025", K_NOT_BEFORE, 0, TG_DER_UTCTime, "250229000000Z", 0, 0, "day 29"},
    {"hour 24", K_NOT_BEFORE, 0, TG_DER_UTCTime, "250101240000Z", 0, 0, "time of day"},
    {"second 60", K_NOT_BEFORE, 0, TG_DER_UTCTime, "250101235960Z", 0, 0, "time of day"},
    {"after Z", K_NOT_BEFORE, 0, TG_DER_UTCTime, "250101000000ZZ", 0, 0, "after Z"},
    {"time wrong tag", K_NOT_BEFORE, 0, TG_DER_PrintableString, "250101000000Z", 0, 0,
     "expected UTCTime or GeneralizedTime"},
    /* Extensions (RFC 5280 4.2) */
    {"duplicate extension", K_EXT_DUP, 0, 0, NULL, 0, 0, "duplicate basicConstraints"},
    {"empty Extensions", K_EXT_EMPTY, 0, 0, NULL, 0, 0, "Extensions is empty"},
    {"extensions in v1", K_V1_EXTS, 0, 0, NULL, 0, 0, "in a v1 certificate"},
    {"300 extensions", K_EXT_MANY, 0, 0, NULL, 0, 0, "more than 256 extensions"},
    {"critical BOOLEAN 0x01", K_EXT_ADD, 0, 0, "0500", &TG_OID_certificatePolicies, 0x01,
     "BOOLEAN is 0x01"},
    {"critical explicit FALSE", K_EXT_ADD, 0, 0, "0500", &TG_OID_certificatePolicies, 0x00,
     "explicit FALSE"},
    {"second keyUsage", K_EXT_ADD, 0, 0, "3000", &TG_OID_keyUsage, -1, "duplicate keyUsage"},
    {"subjectKeyIdentifier trailing", K_EXT_ADD, 0, 0, "040100ff", &TG_OID_subjectKeyIdentifier, -1,
     "subjectKeyIdentifier has 1 trailing bytes"},
};

/* Extension values, each added to rsa_gentime.der, which has only keyUsage. */
static const row ext_rows[] = {
    {"cA BOOLEAN 0x01", K_EXT_ADD, 0, 0, "3003010101", &TG_OID_basicConstraints, -1,
     "BOOLEAN is 0x01"},
    {"cA explicit FALSE", K_EXT_ADD, 0, 0, "3003010100", &TG_OID_basicConstraints, -1,
     "cA is an explicit FALSE"},
    {"pathLen negative", K_EXT_ADD, 0, 0, "30060101ff0201ff", &TG_OID_basicConstraints, -1,
     "pathLenConstraint is negative"},
    {"basicConstraints trailing", K_EXT_ADD, 0, 0, "300005", &TG_OID_basicConstraints, -1,
     "basicConstraints has 1 trailing bytes"},
    {"SAN empty", K_EXT_ADD, 0, 0, "3000", &TG_OID_subjectAltName, -1, "subjectAltName is empty"},
    {"SAN dNSName 8-bit", K_EXT_ADD, 0, 0, "30038201e9", &TG_OID_subjectAltName, -1, "non-ASCII"},
    {"SAN iPAddress 5 octets", K_EXT_ADD, 0, 0, "3007 8705 0102030405", &TG_OID_subjectAltName, -1,
     "iPAddress has 5 octets"},
    {"SAN wrong GeneralName tag", K_EXT_ADD, 0, 0, "3003a20161", &TG_OID_subjectAltName, -1,
     "not a GeneralName"},
    {"SAN directoryName bad string", K_EXT_ADD, 0, 0, "3010 a40e 300c 310a 3008 0603550403 1301 2a",
     &TG_OID_subjectAltName, -1, "outside its set"},
    {"EKU empty", K_EXT_ADD, 0, 0, "3000", &TG_OID_extKeyUsage, -1, "extKeyUsage is empty"},
    {"nameConstraints empty", K_EXT_ADD, 0, 0, "3000", &TG_OID_nameConstraints, -1,
     "empty SEQUENCE"},
    {"nameConstraints minimum", K_EXT_ADD, 0, 0, "300a a008 3006 820161 800100",
     &TG_OID_nameConstraints, -1, "MUST be absent"},
    {"nameConstraints IP 4 octets", K_EXT_ADD, 0, 0, "300a a008 3006 8704 01020304",
     &TG_OID_nameConstraints, -1, "expected 8 or 32"},
    {"policies empty", K_EXT_ADD, 0, 0, "3000", &TG_OID_certificatePolicies, -1,
     "certificatePolicies is empty"},
    {"AKI issuer without serial", K_EXT_ADD, 0, 0, "3006 a104 8202 6161",
     &TG_OID_authorityKeyIdentifier, -1, "only one of"},
};

/* keyUsage values, each added to ed25519_crit.der, which has none. */
static const row ku_rows[] = {
    {"keyUsage trailing zero bits", K_EXT_ADD, 0, 0, "03020480", &TG_OID_keyUsage, -1,
     "trailing zero bits"},
    {"keyUsage no bits", K_EXT_ADD, 0, 0, "030100", &TG_OID_keyUsage, -1, "expected 1 or 2"},
    {"keyUsage nonzero unused bits", K_EXT_ADD, 0, 0, "03020781", &TG_OID_keyUsage, -1,
     "non-zero unused bits"},
    {"keyUsage beyond decipherOnly", K_EXT_ADD, 0, 0, "0303068040", &TG_OID_keyUsage, -1,
     "beyond decipherOnly"},
};

static void run_rows(const char *base, const row *table, size_t n) {
  tt_buf good = xt_load(base);
  tg_x509_cert c;
  xt_parse_ok(good, &c);
  for (size_t i = 0; i < n; i++) {
    const row *r = &table[i];
    tt_buf bad = build(&c, r);
    tg_x509_cert out;
    tg_err err = {0};
    tg_status st = tg_x509_parse(tt_view(bad), &out, &err);
    if (r->what == NULL) {
      cr_expect_eq(st, TG_OK, "%s: %s", r->name, err.what);
      cr_expect(st != TG_OK || out.serial_lenient, "%s: not flagged lenient", r->name);
      if (st == TG_OK)
        xt_assert_tiles(&out, tt_view(bad));
    } else {
      cr_expect_neq(st, TG_OK, "%s: accepted", r->name);
      cr_expect_eq(err.alert, TG_ALERT_bad_certificate, "%s: alert %d", r->name, err.alert);
      cr_expect(strstr(err.what, r->what) != NULL, "%s: '%s' does not say '%s'", r->name, err.what,
                r->what);
    }
    tt_free(&bad);
  }
  tt_free(&good);
}

Test(x509_malformed, ladder_leaf) { run_rows("leaf_p256", rows, sizeof rows / sizeof rows[0]); }

Test(x509_malformed, ladder_extension_values) {
  run_rows("rsa_gentime", ext_rows, sizeof ext_rows / sizeof ext_rows[0]);
}

Test(x509_malformed, ladder_key_usage) {
  run_rows("ed25519_crit", ku_rows, sizeof ku_rows / sizeof ku_rows[0]);
}

/* The ladder's rebuild without a change gives the input back: build() is a faithful base. */
Test(x509_malformed, rebuild_is_identity) {
  tt_buf good = xt_load("leaf_p256");
  tg_x509_cert c;
  xt_parse_ok(good, &c);
  const row same = {"same", K_FIELD, F_NONE, 0, "", 0, -1, NULL};
  tt_buf again = build(&c, &same);
  cr_assert(tg_bytes_eq(tt_view(again), tt_view(good)));
  tt_free(&again);
  tt_free(&good);
}

/* Every proper prefix fails, as bad_certificate, with a location. */
Test(x509_malformed, truncation_at_every_offset) {
  const char *names[] = {"leaf_p256", "ed25519_crit", "v1_rsa"};
  for (size_t k = 0; k < 3; k++) {
    tt_buf good = xt_load(names[k]);
    for (size_t n = 0; n < good.len; n++) {
      tt_buf cut = tt_copy(good.p, n);
      tg_x509_cert c;
      tg_err err = {0};
      cr_assert_neq(tg_x509_parse(tt_view(cut), &c, &err), TG_OK, "%s cut at %zu", names[k], n);
      cr_assert_eq(err.alert, TG_ALERT_bad_certificate);
      cr_assert(err.file != NULL && err.what[0] != '\0');
      tt_free(&cut);
    }
    tt_free(&good);
  }
}

/* The identifier octet of each element replaced by another universal tag: rejected, and the
 * message names the element. */
Test(x509_malformed, wrong_tag_at_each_level) {
  tt_buf good = xt_load("leaf_p256");
  tg_x509_cert c;
  xt_parse_ok(good, &c);
  tg_x509_ext_iter it;
  tg_x509_ext first;
  tg_x509_ext_iter_init(&it, &c);
  cr_assert(tg_x509_ext_next(&it, &first));
  const struct {
    tg_bytes at;
    const char *what;
  } levels[] = {
      {c.raw, "Certificate has tag"},
      {c.tbs, "tbsCertificate has tag"},
      {c.version_raw, "TBSCertificate.serialNumber has tag"}, /* [0] absent: read as serial */
      {c.serial_raw, "serialNumber has tag"},
      {c.signature, "TBSCertificate.signature has tag"},
      {c.issuer.raw, "TBSCertificate.issuer has tag"},
      {c.validity_raw, "TBSCertificate.validity has tag"},
      {c.subject.raw, "TBSCertificate.subject has tag"},
      {c.spki, "subjectPublicKeyInfo has tag"},
      {c.extensions_raw, "TBSCertificate has"},
      {first.raw, "Extension has tag"},
      {c.signature_algorithm, "signatureAlgorithm has tag"},
      {c.signature_value_raw, "signatureValue has tag"},
  };
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
    tt_buf bad = tt_copy(good.p, good.len);
    size_t off = (size_t)(levels[i].at.p - good.p);
    bad.p[off] = bad.p[off] == TG_DER_OCTET_STRING ? TG_DER_NULL : TG_DER_OCTET_STRING;
    tg_x509_cert out;
    tg_err err = {0};
    cr_expect_neq(tg_x509_parse(tt_view(bad), &out, &err), TG_OK, "level %zu accepted", i);
    cr_expect_eq(err.alert, TG_ALERT_bad_certificate);
    cr_expect(strstr(err.what, levels[i].what) != NULL, "level %zu: '%s' does not say '%s'", i,
              err.what, levels[i].what);
    tt_free(&bad);
  }
  tt_free(&good);
}

/* The outer SEQUENCE: an indefinite length, a non-minimal long form, a trailing byte. */
Test(x509_malformed, outer_length_forms) {
  tt_buf good = xt_load("ca_rsa"); /* 824 bytes: header 30 82 03 34 */
  cr_assert(good.p[0] == 0x30 && good.p[1] == 0x82);
  tg_x509_cert c;
  tg_err err = {0};
  tt_buf indef = tt_copy(good.p, good.len);
  indef.p[1] = 0x80;
  cr_assert_neq(tg_x509_parse(tt_view(indef), &c, &err), TG_OK);
  cr_assert(strstr(err.what, "indefinite length") != NULL, "%s", err.what);
  cr_assert_eq(err.alert, TG_ALERT_bad_certificate);
  uint8_t *p = malloc(good.len + 1);
  p[0] = 0x30, p[1] = 0x83, p[2] = 0x00;
  memcpy(p + 3, good.p + 2, good.len - 2);
  tg_err_clear(&err);
  cr_assert_neq(tg_x509_parse(tg_bytes_of(p, good.len + 1), &c, &err), TG_OK);
  cr_assert(strstr(err.what, "leading zero") != NULL, "%s", err.what);
  memcpy(p, good.p, good.len);
  p[good.len] = 0;
  tg_err_clear(&err);
  cr_assert_neq(tg_x509_parse(tg_bytes_of(p, good.len + 1), &c, &err), TG_OK);
  cr_assert(strstr(err.what, "Certificate has 1 trailing bytes") != NULL, "%s", err.what);
  free(p);
  tt_free(&indef);
  tt_free(&good);
}
