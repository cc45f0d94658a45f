/* Certificate and TBSCertificate (RFC 5280 §4.1): the top-level walk, version, serialNumber,
 * the signature AlgorithmIdentifiers, SubjectPublicKeyInfo, and the re-encode oracle. */
#include <string.h>

#include "x509_internal.h"

static const struct {
  const tg_oid *oid;
  tg_x509_sig_alg alg;
} sig_algs[] = {
    {&TG_OID_md5WithRSAEncryption, TG_X509_SIG_md5WithRSAEncryption},
    {&TG_OID_sha1WithRSAEncryption, TG_X509_SIG_sha1WithRSAEncryption},
    {&TG_OID_sha256WithRSAEncryption, TG_X509_SIG_sha256WithRSAEncryption},
    {&TG_OID_sha384WithRSAEncryption, TG_X509_SIG_sha384WithRSAEncryption},
    {&TG_OID_sha512WithRSAEncryption, TG_X509_SIG_sha512WithRSAEncryption},
    {&TG_OID_RSASSA_PSS, TG_X509_SIG_RSASSA_PSS},
    {&TG_OID_ecdsa_with_SHA1, TG_X509_SIG_ecdsa_with_SHA1},
    {&TG_OID_ecdsa_with_SHA256, TG_X509_SIG_ecdsa_with_SHA256},
    {&TG_OID_ecdsa_with_SHA384, TG_X509_SIG_ecdsa_with_SHA384},
    {&TG_OID_ecdsa_with_SHA512, TG_X509_SIG_ecdsa_with_SHA512},
    {&TG_OID_Ed25519, TG_X509_SIG_Ed25519},
};
#define N_SIG_ALGS (sizeof sig_algs / sizeof sig_algs[0])

const char *tg_x509_sig_alg_name(tg_x509_sig_alg alg) {
  for (size_t i = 0; i < N_SIG_ALGS; i++)
    if (sig_algs[i].alg == alg)
      return sig_algs[i].oid->name;
  return "unknown";
}

static bool is_ecdsa_or_eddsa(tg_x509_sig_alg alg) {
  return alg >= TG_X509_SIG_ecdsa_with_SHA1 && alg <= TG_X509_SIG_Ed25519;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
 * Returns the whole TLV in raw, the OID contents in oid and the parameters TLV (or empty). */
static tg_status read_algorithm(tg_reader *r, tg_bytes *raw, tg_bytes *oid, tg_bytes *params,
                                const char *field) {
  tg_der_elem e;
  const uint8_t *start = r->p;
  TG_TRY(tg_der_read_any(r, &e, field));
  if (e.tag != TG_DER_SEQUENCE) {
    r->p = start;
    return X509_FAIL(r, TG_E_BAD_VALUE, "%s has tag 0x%02x, expected SEQUENCE", field, e.tag);
  }
  *raw = e.raw;
  TG_TRY(tg_der_read_oid(&e.body, oid, "AlgorithmIdentifier.algorithm"));
  *params = tg_bytes_of(NULL, 0);
  if (tg_left(&e.body) > 0) {
    tg_der_elem p;
    TG_TRY(tg_der_read_any(&e.body, &p, "AlgorithmIdentifier.parameters"));
    *params = p.raw;
  }
  return tg_read_done(&e.body, "AlgorithmIdentifier");
}

/* The signature algorithm: which one, and the parameters its RFC fixes. */
static tg_status read_signature_algorithm(tg_reader *r, tg_x509_cert *cert) {
  tg_bytes oid;
  TG_TRY(read_algorithm(r, &cert->signature_algorithm, &oid, &cert->signature_params,
                        "Certificate.signatureAlgorithm"));
  cert->sig_alg = TG_X509_SIG_unknown;
  for (size_t i = 0; i < N_SIG_ALGS; i++)
    if (tg_der_oid_eq(oid, sig_algs[i].oid))
      cert->sig_alg = sig_algs[i].alg;
  /* RFC 5758 §3.2 (ECDSA) and RFC 8410 §3 (Ed25519): the parameters MUST be absent. */
  X509_ENSURE(r, !is_ecdsa_or_eddsa(cert->sig_alg) || cert->signature_params.len == 0,
              TG_E_BAD_VALUE, "Certificate.signatureAlgorithm %s has parameters (MUST be absent)",
              tg_x509_sig_alg_name(cert->sig_alg));
  return TG_OK;
}

/* version [0] EXPLICIT Version DEFAULT v1; Version ::= INTEGER { v1(0), v2(1), v3(2) } */
static tg_status read_version(tg_reader *tbs, tg_x509_cert *cert) {
  tg_der_elem e;
  uint32_t v;
  cert->version = 1;
  cert->version_raw = tg_bytes_of(tbs->p, 0);
  if (!tg_der_peek(tbs, TG_DER_CONTEXT(0)))
    return TG_OK;
  TG_TRY(tg_der_read_any(tbs, &e, "TBSCertificate.version"));
  TG_TRY(tg_der_read_small(&e.body, &v, "TBSCertificate.version"));
  TG_TRY(tg_read_done(&e.body, "TBSCertificate.version"));
  /* X.690 §11.5: v1 is the DEFAULT, so DER omits it rather than encoding 0. */
  X509_ENSURE(tbs, v != 0, TG_E_BAD_VALUE,
              "TBSCertificate.version is an explicit v1 (DER omits a DEFAULT value)");
  X509_ENSURE(tbs, v <= 2, TG_E_BAD_VALUE, "TBSCertificate.version is %u (v1, v2, v3 are 0..2)", v);
  cert->version = v + 1;
  cert->version_raw = e.raw;
  return TG_OK;
}

/* CertificateSerialNumber ::= INTEGER. RFC 5280 §4.1.2.2: "a positive integer ... Conforming
 * CAs MUST NOT use serialNumber values longer than 20 octets", "Non-conforming CAs may issue
 * certificates with serial numbers that are negative or zero. Certificate users SHOULD be
 * prepared to gracefully handle such certificates." Zero, negative, and a 20-octet magnitude
 * whose sign octet makes 21 are accepted and flagged (the webpki profile refuses the first two,
 * webpki.c); a magnitude over 20 octets, which no user is asked to handle, is rejected. */
static tg_status read_serial(tg_reader *tbs, tg_x509_cert *cert) {
  bool negative;
  const uint8_t *start = tbs->p;
  TG_TRY(tg_der_read_integer(tbs, &cert->serial, &negative, "TBSCertificate.serialNumber"));
  cert->serial_raw = tg_bytes_of(start, (size_t)(tbs->p - start));
  /* The magnitude's length: the contents without a positive number's leading sign octet. */
  size_t mag_len = cert->serial.len;
  if (!negative && mag_len > 1 && cert->serial.p[0] == 0)
    mag_len--;
  X509_ENSURE(tbs, mag_len <= 20, TG_E_TOO_LARGE,
              "TBSCertificate.serialNumber has %zu octets (RFC 5280 §4.1.2.2: at most 20)",
              mag_len);
  bool zero = cert->serial.len == 1 && cert->serial.p[0] == 0;
  cert->serial_lenient = zero || negative || cert->serial.len > 20;
  return TG_OK;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
 *                                     subjectPublicKey BIT STRING }
 * The key types the engine implements are recognised; any other algorithm or curve is kept
 * with key_type TG_KEY_NONE (the validator refuses it if it is ever needed). */
static tg_status read_spki(tg_reader *tbs, tg_x509_cert *cert) {
  tg_der_elem e;
  tg_bytes raw;
  const uint8_t *start = tbs->p;
  TG_TRY(tg_der_read_any(tbs, &e, "TBSCertificate.subjectPublicKeyInfo"));
  if (e.tag != TG_DER_SEQUENCE) {
    tbs->p = start;
    return X509_FAIL(tbs, TG_E_BAD_VALUE,
                     "TBSCertificate.subjectPublicKeyInfo has tag 0x%02x, expected SEQUENCE",
                     e.tag);
  }
  cert->spki = e.raw;
  TG_TRY(read_algorithm(&e.body, &raw, &cert->key_algorithm, &cert->key_params,
                        "SubjectPublicKeyInfo.algorithm"));
  TG_TRY(tg_der_read_bit_octets(&e.body, &cert->subject_public_key,
                                "SubjectPublicKeyInfo.subjectPublicKey"));
  TG_TRY(tg_read_done(&e.body, "SubjectPublicKeyInfo"));
  tg_reader params;
  tg_bytes curve;
  tg_reader_init(&params, cert->key_params.p, cert->key_params.len, NULL);
  cert->key_type = TG_KEY_NONE;
  if (tg_der_oid_eq(cert->key_algorithm, &TG_OID_rsaEncryption))
    cert->key_type = TG_KEY_RSA; /* RFC 3279 §2.3.1: parameters NULL */
  else if (tg_der_oid_eq(cert->key_algorithm, &TG_OID_RSASSA_PSS))
    cert->key_type = TG_KEY_RSA_PSS;
  else if (tg_der_oid_eq(cert->key_algorithm, &TG_OID_Ed25519))
    cert->key_type = TG_KEY_ED25519;
  else if (tg_der_oid_eq(cert->key_algorithm, &TG_OID_id_ecPublicKey) &&
           tg_der_read_oid(&params, &curve, "namedCurve") == TG_OK) {
    /* RFC 5480 §2.1.1: namedCurve is the only form a conforming certificate uses. */
    if (tg_der_oid_eq(curve, &TG_OID_secp256r1))
      cert->key_type = TG_KEY_EC_P256;
    else if (tg_der_oid_eq(curve, &TG_OID_secp384r1))
      cert->key_type = TG_KEY_EC_P384;
  }
  /* RFC 3279 §2.3.1 and RFC 8410 §3: rsaEncryption has NULL parameters, Ed25519 none. */
  if (cert->key_type == TG_KEY_RSA)
    X509_ENSURE(tbs, tg_der_read_null(&params, "parameters") == TG_OK && tg_left(&params) == 0,
                TG_E_BAD_VALUE, "SubjectPublicKeyInfo rsaEncryption parameters are not NULL");
  if (cert->key_type == TG_KEY_ED25519)
    X509_ENSURE(tbs, cert->key_params.len == 0, TG_E_BAD_VALUE,
                "SubjectPublicKeyInfo Ed25519 has parameters (RFC 8410 §3: MUST be absent)");
  return TG_OK;
}

/* issuerUniqueID [1] IMPLICIT UniqueIdentifier OPTIONAL, subjectUniqueID [2] ... (BIT STRINGs;
 * RFC 5280 §4.1.2.8: only in v2 and v3). A constructed form is refused with the wrong tag. */
static tg_status read_unique_id(tg_reader *tbs, unsigned n, tg_bytes *raw, const tg_x509_cert *cert,
                                const char *field) {
  tg_der_elem e;
  *raw = tg_bytes_of(tbs->p, 0);
  if (!tg_der_peek(tbs, TG_DER_CONTEXT_PRIM(n)))
    return TG_OK;
  X509_ENSURE(tbs, cert->version >= 2, TG_E_BAD_VALUE,
              "%s in a v1 certificate (RFC 5280 §4.1.2.8: v2 or v3 only)", field);
  TG_TRY(tg_der_read_any(tbs, &e, field));
  X509_ENSURE(tbs, tg_left(&e.body) > 0, TG_E_LENGTH, "%s BIT STRING has no contents", field);
  *raw = e.raw;
  return TG_OK;
}

/* TBSCertificate ::= SEQUENCE { version, serialNumber, signature, issuer, validity, subject,
 *     subjectPublicKeyInfo, issuerUniqueID, subjectUniqueID, extensions } */
static tg_status read_tbs(tg_reader *tbs, tg_x509_cert *cert) {
  tg_bytes oid, params;
  TG_TRY(read_version(tbs, cert));
  TG_TRY(read_serial(tbs, cert));
  TG_TRY(read_algorithm(tbs, &cert->signature, &oid, &params, "TBSCertificate.signature"));
  TG_TRY(tg_x509_read_name(tbs, &cert->issuer, "TBSCertificate.issuer"));
  TG_TRY(tg_x509_read_validity(tbs, cert));
  TG_TRY(tg_x509_read_name(tbs, &cert->subject, "TBSCertificate.subject"));
  TG_TRY(read_spki(tbs, cert));
  TG_TRY(
      read_unique_id(tbs, 1, &cert->issuer_unique_id_raw, cert, "TBSCertificate.issuerUniqueID"));
  TG_TRY(
      read_unique_id(tbs, 2, &cert->subject_unique_id_raw, cert, "TBSCertificate.subjectUniqueID"));
  cert->extensions_raw = tg_bytes_of(tbs->p, 0);
  if (tg_der_peek(tbs, TG_DER_CONTEXT(3))) {
    /* RFC 5280 §4.1.2.9: "This field MUST only appear if the version is 3". */
    X509_ENSURE(tbs, cert->version == 3, TG_E_BAD_VALUE,
                "TBSCertificate.extensions in a v%u certificate (RFC 5280 §4.1.2.9: v3 only)",
                cert->version);
    TG_TRY(tg_x509_read_extensions(tbs, cert));
  }
  return tg_read_done(tbs, "TBSCertificate");
}

static tg_status parse(tg_reader *r, tg_x509_cert *cert) {
  tg_der_elem outer, tbs;
  TG_TRY(tg_der_read_any(r, &outer, "Certificate"));
  X509_ENSURE(r, outer.tag == TG_DER_SEQUENCE, TG_E_BAD_VALUE,
              "Certificate has tag 0x%02x, expected SEQUENCE", outer.tag);
  TG_TRY(tg_read_done(r, "Certificate"));
  cert->raw = outer.raw;
  TG_TRY(tg_der_read_any(&outer.body, &tbs, "Certificate.tbsCertificate"));
  X509_ENSURE(r, tbs.tag == TG_DER_SEQUENCE, TG_E_BAD_VALUE,
              "Certificate.tbsCertificate has tag 0x%02x, expected SEQUENCE", tbs.tag);
  cert->tbs = tbs.raw;
  TG_TRY(read_tbs(&tbs.body, cert));
  TG_TRY(read_signature_algorithm(&outer.body, cert));
  /* RFC 5280 §4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the
   * signature field in the sequence tbsCertificate" (§4.1.2.3). Compared as bytes: DER makes
   * equal values equal encodings. */
  X509_ENSURE(r, tg_bytes_eq(cert->signature, cert->signature_algorithm), TG_E_BAD_VALUE,
              "Certificate.signatureAlgorithm differs from TBSCertificate.signature "
              "(RFC 5280 §4.1.1.2)");
  const uint8_t *start = outer.body.p;
  TG_TRY(tg_der_read_bit_octets(&outer.body, &cert->signature_value, "Certificate.signatureValue"));
  cert->signature_value_raw = tg_bytes_of(start, (size_t)(outer.body.p - start));
  return tg_read_done(&outer.body, "Certificate");
}

tg_status tg_x509_parse(tg_bytes der, tg_x509_cert *cert, tg_err *err) {
  tg_reader r;
  memset(cert, 0, sizeof *cert);
  tg_reader_init(&r, der.p, der.len, err);
  tg_status st = parse(&r, cert);
  /* The DER reader reports decode_error; a certificate that does not parse is bad_certificate
   * (RFC 8446 §6.2). */
  return tg_der_remap(st, err, TG_ALERT_bad_certificate);
}

/* ---- Re-encode oracle ------------------------------------------------------------------------ */

/* An empty view is skipped: tg_w_view of zero bytes on a writer that has no buffer yet computes
 * NULL + 0 in tg_w_reserve (undefined behaviour, UBSan reports it). */
static void put(tg_writer *w, tg_bytes v) {
  if (v.len > 0)
    tg_w_view(w, v);
}

/* contents, built by the caller in a scratch writer, wrapped as one TLV into w. */
static void wrap(tg_writer *w, uint8_t tag, tg_writer *contents) {
  if (tg_writer_status(contents) != TG_OK && w->status == TG_OK)
    w->status = tg_writer_status(contents);
  tg_der_w_tlv(w, tag, tg_writer_bytes(contents));
  tg_writer_free(contents);
}

static void reencode_extensions(tg_writer *w, const tg_x509_cert *cert) {
  static const uint8_t true_der[] = {TG_DER_BOOLEAN, 0x01, 0xff};
  tg_writer list, one;
  tg_x509_ext_iter it;
  tg_x509_ext ext;
  tg_writer_init_dynamic(&list, w->err);
  tg_x509_ext_iter_init(&it, cert);
  while (tg_x509_ext_next(&it, &ext)) {
    tg_writer_init_dynamic(&one, w->err);
    tg_der_w_tlv(&one, TG_DER_OID, ext.extn_id);
    if (ext.critical)
      tg_w_bytes(&one, true_der, sizeof true_der);
    tg_der_w_tlv(&one, TG_DER_OCTET_STRING, ext.extn_value);
    wrap(&list, TG_DER_SEQUENCE, &one);
  }
  tg_writer seq;
  tg_writer_init_dynamic(&seq, w->err);
  wrap(&seq, TG_DER_SEQUENCE, &list);
  wrap(w, TG_DER_CONTEXT(3), &seq);
}

void tg_x509_reencode(tg_writer *w, const tg_x509_cert *cert) {
  tg_writer tbs, all;
  tg_writer_init_dynamic(&tbs, w->err);
  put(&tbs, cert->version_raw);
  put(&tbs, cert->serial_raw);
  put(&tbs, cert->signature);
  put(&tbs, cert->issuer.raw);
  put(&tbs, cert->validity_raw);
  put(&tbs, cert->subject.raw);
  put(&tbs, cert->spki);
  put(&tbs, cert->issuer_unique_id_raw);
  put(&tbs, cert->subject_unique_id_raw);
  if (cert->extensions_raw.len > 0)
    reencode_extensions(&tbs, cert);
  tg_writer_init_dynamic(&all, w->err);
  wrap(&all, TG_DER_SEQUENCE, &tbs);
  put(&all, cert->signature_algorithm);
  /* The BIT STRING with its unused-bits octet 0, built from the signature octets. */
  tg_writer bits;
  tg_writer_init_dynamic(&bits, w->err);
  tg_w_u8(&bits, 0);
  put(&bits, cert->signature_value);
  wrap(&all, TG_DER_BIT_STRING, &bits);
  wrap(w, TG_DER_SEQUENCE, &all);
}
