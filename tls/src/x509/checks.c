/* The checks on one certificate or one issuer-subject link of a path (RFC 5280 §6.1.3, §6.1.4):
 * signature, validity, the issuer's right to issue, the leaf's usage (name constraints:
 * name_constraints.c). */
#include <arpa/inet.h>
#include <stdio.h>

#include "x509_verify_internal.h"

/* ---- Signatures (RFC 5280 §6.1.3 (a)(1)) ------------------------------------------------------
 */

/* id-mgf1 (RFC 8017 A.2.1): 1.2.840.113549.1.1.8 */
static const tg_oid oid_mgf1 = {
    "id-mgf1", 9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08}};

/* HashAlgorithm ::= AlgorithmIdentifier, parameters NULL or absent (RFC 4055 §2.1). */
static tg_status read_hash(tg_reader *r, const tg_hash_desc **h, const char *field) {
  tg_reader seq;
  tg_bytes oid;
  TG_TRY(tg_der_read_seq(r, &seq, field));
  TG_TRY(tg_der_read_oid(&seq, &oid, field));
  if (tg_der_peek(&seq, TG_DER_NULL))
    TG_TRY(tg_der_read_null(&seq, field));
  TG_TRY(tg_read_done(&seq, field));
  *h = tg_der_oid_eq(oid, &TG_OID_sha256)   ? &tg_sha256
       : tg_der_oid_eq(oid, &TG_OID_sha384) ? &tg_sha384
       : tg_der_oid_eq(oid, &TG_OID_sha512) ? &tg_sha512
                                            : NULL;
  return TG_OK;
}

/* RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] HashAlgorithm DEFAULT sha1,
 *     maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1, saltLength [2] INTEGER DEFAULT 20,
 *     trailerField [3] TrailerField DEFAULT trailerFieldBC }        (RFC 4055 §3.1, EXPLICIT)
 * The form nettle and TLS use: SHA-2, MGF1 with the same hash, a salt as long as the digest.
 * *hash stays NULL for any other combination (SHA-1 defaults included). */
static tg_status read_pss_params(tg_bytes params, const tg_hash_desc **hash, tg_err *err) {
  tg_reader r, seq, sub, mgf;
  bool present;
  const tg_hash_desc *h = NULL, *mgf_h = NULL;
  uint32_t salt = 20, trailer = 1;
  tg_bytes oid;
  *hash = NULL;
  tg_reader_init(&r, params.p, params.len, err);
  TG_TRY(tg_der_read_seq(&r, &seq, "RSASSA-PSS-params"));
  TG_TRY(tg_read_done(&r, "RSASSA-PSS-params"));
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT(0), &sub, &present, "hashAlgorithm"));
  if (present)
    TG_TRY(read_hash(&sub, &h, "RSASSA-PSS-params.hashAlgorithm"));
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT(1), &sub, &present, "maskGenAlgorithm"));
  if (present) {
    TG_TRY(tg_der_read_seq(&sub, &mgf, "RSASSA-PSS-params.maskGenAlgorithm"));
    TG_TRY(tg_der_read_oid(&mgf, &oid, "RSASSA-PSS-params.maskGenAlgorithm"));
    if (tg_der_oid_eq(oid, &oid_mgf1))
      TG_TRY(read_hash(&mgf, &mgf_h, "RSASSA-PSS-params.maskGenAlgorithm.parameters"));
  }
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT(2), &sub, &present, "saltLength"));
  if (present)
    TG_TRY(tg_der_read_small(&sub, &salt, "RSASSA-PSS-params.saltLength"));
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT(3), &sub, &present, "trailerField"));
  if (present)
    TG_TRY(tg_der_read_small(&sub, &trailer, "RSASSA-PSS-params.trailerField"));
  TG_TRY(tg_read_done(&seq, "RSASSA-PSS-params"));
  if (h != NULL && mgf_h == h && salt == h->digest_len && trailer == 1)
    *hash = h;
  return TG_OK;
}

/* The descriptor that checks cert's signatureAlgorithm with a key of key_type: a copy of the
 * TLS scheme with the certificate's hash and the issuer's key type (ECDSA in X.509 does not tie
 * the curve to the hash: a P-384 CA may sign with ecdsa-with-SHA256). */
static tg_status scheme_for(const tg_x509_cert *cert, tg_key_type key_type, tg_sig_scheme_desc *out,
                            tg_x509_reason *reason, tg_err *err) {
  const char *alg = tg_x509_sig_alg_name(cert->sig_alg);
  const tg_hash_desc *pss_hash = NULL;
  switch (cert->sig_alg) {
  case TG_X509_SIG_md5WithRSAEncryption:
  case TG_X509_SIG_sha1WithRSAEncryption:
  case TG_X509_SIG_ecdsa_with_SHA1:
    /* Collisions are practical for both (RFC 6151, SHA-mbles): refused by policy. */
    return X509V_REJECT(err, reason, WEAK_ALGORITHM, "signatureAlgorithm %s is refused", alg);
  case TG_X509_SIG_sha256WithRSAEncryption: *out = tg_rsa_pkcs1_sha256; break;
  case TG_X509_SIG_sha384WithRSAEncryption: *out = tg_rsa_pkcs1_sha384; break;
  case TG_X509_SIG_sha512WithRSAEncryption: *out = tg_rsa_pkcs1_sha512; break;
  case TG_X509_SIG_ecdsa_with_SHA256: *out = tg_ecdsa_secp256r1_sha256; break;
  case TG_X509_SIG_ecdsa_with_SHA384:
  case TG_X509_SIG_ecdsa_with_SHA512:
    *out = tg_ecdsa_secp384r1_sha384;
    out->hash = cert->sig_alg == TG_X509_SIG_ecdsa_with_SHA384 ? &tg_sha384 : &tg_sha512;
    break;
  case TG_X509_SIG_Ed25519: *out = tg_ed25519; break;
  case TG_X509_SIG_RSASSA_PSS:
    if (read_pss_params(cert->signature_params, &pss_hash, err) != TG_OK)
      return X509V_REJECT(err, reason, MALFORMED, "RSASSA-PSS-params are malformed");
    X509V_ENSURE(err, reason, pss_hash != NULL, UNSUPPORTED_ALGORITHM,
                 "RSASSA-PSS-params other than SHA-2 with MGF1 of the same hash and a salt as "
                 "long as the digest");
    *out = key_type == TG_KEY_RSA_PSS ? tg_rsa_pss_pss_sha256 : tg_rsa_pss_rsae_sha256;
    out->hash = pss_hash;
    break;
  default: return X509V_REJECT(err, reason, UNSUPPORTED_ALGORITHM, "signatureAlgorithm is unknown");
  }
  bool ecdsa = cert->sig_alg >= TG_X509_SIG_ecdsa_with_SHA256 &&
               cert->sig_alg <= TG_X509_SIG_ecdsa_with_SHA512;
  bool key_ok = ecdsa ? key_type == TG_KEY_EC_P256 || key_type == TG_KEY_EC_P384
                : out->key_type == TG_KEY_RSA ? key_type == TG_KEY_RSA || key_type == TG_KEY_RSA_PSS
                                              : key_type == out->key_type;
  /* RFC 4055 §1.2: an id-RSASSA-PSS key is for PSS signatures only. */
  if (cert->sig_alg >= TG_X509_SIG_md5WithRSAEncryption &&
      cert->sig_alg <= TG_X509_SIG_sha512WithRSAEncryption)
    key_ok = key_type == TG_KEY_RSA;
  X509V_ENSURE(err, reason, key_ok, BAD_SIGNATURE,
               "signatureAlgorithm %s cannot be made by the issuer's %s key", alg,
               tg_key_type_name(key_type));
  out->key_type = key_type;
  return TG_OK;
}

tg_status tg_x509_check_signature(const tg_x509_cert *cert, const tg_x509_cert *issuer,
                                  tg_x509_reason *reason, tg_err *err) {
  tg_sig_scheme_desc scheme = {0};
  tg_public_key *key = NULL;
  tg_err local;
  X509V_ENSURE(err, reason, issuer->key_type != TG_KEY_NONE, UNSUPPORTED_ALGORITHM,
               "the issuer's subjectPublicKeyInfo algorithm is not supported");
  TG_TRY(scheme_for(cert, issuer->key_type, &scheme, reason, err));
  if (scheme.verify == NULL)
    return X509V_REJECT(err, reason, UNSUPPORTED_ALGORITHM, "no verifier for the signature");
  tg_err_clear(&local);
  if (tg_public_key_from_spki(issuer->spki, &key, &local) != TG_OK)
    return X509V_REJECT(err, reason, UNSUPPORTED_ALGORITHM,
                        "the issuer's subjectPublicKeyInfo is unusable: %s", local.what);
  tg_status st = scheme.verify(&scheme, key, cert->tbs, cert->signature_value, &local);
  tg_public_key_free(key);
  X509V_ENSURE(err, reason, st == TG_OK, BAD_SIGNATURE,
               "Certificate.signatureValue (%s) does not verify with the issuer's key",
               tg_x509_sig_alg_name(cert->sig_alg));
  return TG_OK;
}

/* ---- One certificate ------------------------------------------------------------------------- */

tg_status tg_x509_check_validity(const tg_x509_cert *c, size_t depth, int64_t now,
                                 tg_x509_reason *reason, tg_err *err) {
  char t[32];
  /* RFC 5280 §4.1.2.5: valid from notBefore to notAfter, both inclusive. */
  tg_x509_format_time(c->not_before, t, sizeof t);
  X509V_ENSURE(err, reason, now >= c->not_before, NOT_YET_VALID,
               "certificate %zu: Validity.notBefore is %s, after the verification time", depth, t);
  tg_x509_format_time(c->not_after, t, sizeof t);
  X509V_ENSURE(err, reason, now <= c->not_after, EXPIRED,
               "certificate %zu: Validity.notAfter is %s, before the verification time", depth, t);
  return TG_OK;
}

tg_status tg_x509_check_issuer(const tg_x509_cert *c, size_t depth, bool anchor,
                               tg_x509_reason *reason, tg_err *err) {
  /* RFC 5280 §6.1.4 (k): the issuer "is a version 3 certificate" with cA TRUE; a v1 or v2
   * certificate has no basicConstraints, so it never acts as a CA. (k) is a step of the path's
   * certificates; a trust anchor is only its name and key (§6.1.1 (d)), so a v1 anchor or one
   * without basicConstraints issues (as GnuTLS, OpenSSL and BoringSSL take it); one that says
   * cA FALSE, or lacks keyCertSign, does not. The webpki profile wants basicConstraints on
   * roots too (webpki.c). */
  X509V_ENSURE(err, reason, anchor || c->version == 3, NOT_A_CA,
               "certificate %zu is a v%u certificate and cannot issue certificates", depth,
               c->version);
  X509V_ENSURE(err, reason, anchor || c->has_basic_constraints, NOT_A_CA,
               "certificate %zu issues certificates but has no basicConstraints", depth);
  X509V_ENSURE(err, reason, !c->has_basic_constraints || c->ca, NOT_A_CA,
               "certificate %zu issues certificates but BasicConstraints.cA is FALSE", depth);
  /* RFC 5280 §6.1.4 (n): "If a key usage extension is present, verify that the keyCertSign
   * bit is set." */
  X509V_ENSURE(err, reason, !c->has_key_usage || (c->key_usage & TG_KU_keyCertSign), BAD_KEY_USAGE,
               "certificate %zu issues certificates but keyUsage lacks keyCertSign", depth);
  return TG_OK;
}

tg_status tg_x509_check_leaf_usage(const tg_x509_cert *leaf, tg_cert_purpose purpose,
                                   tg_x509_reason *reason, tg_err *err) {
  /* RFC 8446 §4.4.2.2: "the certificate MUST allow the key to be used for signing ... with a
   * signature scheme indicated", i.e. digitalSignature when keyUsage is present (RFC 5280
   * §4.2.1.3). */
  X509V_ENSURE(err, reason, !leaf->has_key_usage || (leaf->key_usage & TG_KU_digitalSignature),
               BAD_KEY_USAGE, "the leaf's keyUsage lacks digitalSignature");
  /* RFC 5280 §4.2.1.12: "the certificate MUST only be used for one of the purposes indicated";
   * anyExtendedKeyUsage stands for all of them. */
  uint32_t want = purpose == TG_PURPOSE_CLIENT ? TG_EKU_clientAuth : TG_EKU_serverAuth;
  X509V_ENSURE(err, reason,
               !leaf->has_ext_key_usage ||
                   (leaf->ext_key_usage & (want | TG_EKU_anyExtendedKeyUsage)),
               BAD_EXT_KEY_USAGE, "the leaf's extKeyUsage lacks %s",
               purpose == TG_PURPOSE_CLIENT ? "clientAuth" : "serverAuth");
  return TG_OK;
}
