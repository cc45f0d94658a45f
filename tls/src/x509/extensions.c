/* Certificate extensions (RFC 5280 §4.2): the list, duplicates, criticality, and the decoders of
 * the extensions this module knows. subjectAltName and nameConstraints are in general_name.c. */
#include "x509_internal.h"

typedef tg_status (*ext_parse_fn)(tg_reader *value, tg_x509_cert *cert);

/* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
 *                                 pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
static tg_status parse_basic_constraints(tg_reader *value, tg_x509_cert *cert) {
  tg_reader seq;
  bool present;
  TG_TRY(tg_der_read_seq(value, &seq, "basicConstraints"));
  if (tg_der_peek(&seq, TG_DER_BOOLEAN)) {
    TG_TRY(tg_der_read_bool(&seq, &cert->ca, "BasicConstraints.cA"));
    /* X.690 §11.5: a value equal to its DEFAULT is omitted in DER. */
    X509_ENSURE(value, cert->ca, TG_E_BAD_VALUE,
                "BasicConstraints.cA is an explicit FALSE (DER omits a DEFAULT value)");
  }
  present = tg_der_peek(&seq, TG_DER_INTEGER);
  if (present) {
    bool negative;
    tg_bytes v;
    tg_reader again = seq;
    TG_TRY(tg_der_read_integer(&again, &v, &negative, "BasicConstraints.pathLenConstraint"));
    X509_ENSURE(value, !negative, TG_E_BAD_VALUE,
                "BasicConstraints.pathLenConstraint is negative (INTEGER (0..MAX))");
    TG_TRY(tg_der_read_small(&seq, &cert->path_len, "BasicConstraints.pathLenConstraint"));
  }
  cert->has_path_len = present;
  TG_TRY(tg_read_done(&seq, "BasicConstraints"));
  cert->has_basic_constraints = true;
  return TG_OK;
}

/* KeyUsage ::= BIT STRING { digitalSignature (0), ..., decipherOnly (8) } */
static tg_status parse_key_usage(tg_reader *value, tg_x509_cert *cert) {
  tg_bytes bits;
  unsigned unused;
  tg_reader s;
  TG_TRY(tg_der_read_bits(value, &bits, &unused, "keyUsage"));
  /* RFC 5280 §4.2.1.3: "at least one of the bits MUST be set to 1"; bits beyond decipherOnly
   * have no meaning. */
  X509_ENSURE(value, bits.len > 0 && bits.len <= 2, TG_E_LENGTH,
              "keyUsage has %zu octets of bits, expected 1 or 2", bits.len);
  uint8_t first = 0, second = 0, last;
  tg_reader_init(&s, bits.p, bits.len, NULL);
  TG_TRY(tg_read_u8(&s, &first, "keyUsage"));
  last = first;
  if (tg_left(&s) > 0) {
    TG_TRY(tg_read_u8(&s, &second, "keyUsage"));
    last = second;
  }
  /* X.690 §11.2.2: a named bit list has no trailing zero bits in DER. */
  X509_ENSURE(value, (last >> unused) & 1, TG_E_BAD_VALUE,
              "keyUsage BIT STRING has trailing zero bits (X.690 §11.2.2)");
  uint16_t ku = 0;
  for (unsigned i = 0; i < 8; i++)
    if (first & (0x80 >> i))
      ku |= (uint16_t)(1u << i);
  if (second & 0x80)
    ku |= TG_KU_decipherOnly;
  X509_ENSURE(value, (second & 0x7f) == 0, TG_E_BAD_VALUE,
              "keyUsage sets bits beyond decipherOnly (8)");
  cert->key_usage = ku;
  cert->has_key_usage = true;
  return TG_OK;
}

static const struct {
  const tg_oid *oid;
  uint32_t flag;
} eku_table[] = {
    {&TG_OID_serverAuth, TG_EKU_serverAuth},
    {&TG_OID_clientAuth, TG_EKU_clientAuth},
    {&TG_OID_codeSigning, TG_EKU_codeSigning},
    {&TG_OID_emailProtection, TG_EKU_emailProtection},
    {&TG_OID_timeStamping, TG_EKU_timeStamping},
    {&TG_OID_OCSPSigning, TG_EKU_OCSPSigning},
    {&TG_OID_anyExtendedKeyUsage, TG_EKU_anyExtendedKeyUsage},
};

/* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId; KeyPurposeId ::= OID */
static tg_status parse_ext_key_usage(tg_reader *value, tg_x509_cert *cert) {
  tg_reader seq;
  TG_TRY(tg_der_read_seq(value, &seq, "extKeyUsage"));
  X509_ENSURE(value, tg_left(&seq) > 0, TG_E_LENGTH, "extKeyUsage is empty (SIZE (1..MAX))");
  cert->ext_key_usage_ids = tg_reader_rest(&seq);
  while (tg_left(&seq) > 0) {
    tg_bytes id;
    uint32_t flag = TG_EKU_other;
    TG_TRY(tg_der_read_oid(&seq, &id, "KeyPurposeId"));
    for (size_t i = 0; i < sizeof eku_table / sizeof eku_table[0]; i++)
      if (tg_der_oid_eq(id, eku_table[i].oid))
        flag = eku_table[i].flag;
    cert->ext_key_usage |= flag;
  }
  cert->has_ext_key_usage = true;
  return TG_OK;
}

/* AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL,
 *     authorityCertIssuer [1] GeneralNames OPTIONAL,
 *     authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL } */
static tg_status parse_authority_key_id(tg_reader *value, tg_x509_cert *cert) {
  tg_reader seq, sub;
  bool present;
  TG_TRY(tg_der_read_seq(value, &seq, "authorityKeyIdentifier"));
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT_PRIM(0), &sub, &present,
                              "AuthorityKeyIdentifier.keyIdentifier"));
  if (present)
    cert->authority_key_id = tg_reader_rest(&sub);
  cert->authority_key_id_has_key_id = present;
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT(1), &sub, &present,
                              "AuthorityKeyIdentifier.authorityCertIssuer"));
  while (present && tg_left(&sub) > 0) {
    tg_x509_general_name gn;
    TG_TRY(
        tg_x509_read_general_name(&sub, false, &gn, "AuthorityKeyIdentifier.authorityCertIssuer"));
  }
  bool issuer = present;
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT_PRIM(2), &sub, &present,
                              "AuthorityKeyIdentifier.authorityCertSerialNumber"));
  /* X.509 §8.2.2.1: the issuer and the serial number are both present or both absent. */
  X509_ENSURE(value, issuer == present, TG_E_BAD_VALUE,
              "AuthorityKeyIdentifier has only one of authorityCertIssuer and "
              "authorityCertSerialNumber");
  TG_TRY(tg_read_done(&seq, "AuthorityKeyIdentifier"));
  cert->authority_cert_issuer = issuer;
  cert->has_authority_key_id = true;
  return TG_OK;
}

/* SubjectKeyIdentifier ::= KeyIdentifier ::= OCTET STRING */
static tg_status parse_subject_key_id(tg_reader *value, tg_x509_cert *cert) {
  TG_TRY(tg_der_read_octets(value, &cert->subject_key_id, "subjectKeyIdentifier"));
  cert->has_subject_key_id = true;
  return TG_OK;
}

/* certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
 * PolicyInformation ::= SEQUENCE { policyIdentifier CertPolicyId,
 *     policyQualifiers SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo OPTIONAL }
 * PolicyQualifierInfo ::= SEQUENCE { policyQualifierId OID, qualifier ANY }
 * Parsed for syntax only: policies are not enforced (no policy-mapping in the validator). */
static tg_status parse_certificate_policies(tg_reader *value, tg_x509_cert *cert) {
  tg_reader seq;
  TG_TRY(tg_der_read_seq(value, &seq, "certificatePolicies"));
  X509_ENSURE(value, tg_left(&seq) > 0, TG_E_LENGTH,
              "certificatePolicies is empty (SIZE (1..MAX))");
  cert->certificate_policies = tg_reader_rest(&seq);
  while (tg_left(&seq) > 0) {
    tg_reader info, quals;
    tg_bytes id;
    bool present;
    TG_TRY(tg_der_read_seq(&seq, &info, "PolicyInformation"));
    TG_TRY(tg_der_read_oid(&info, &id, "PolicyInformation.policyIdentifier"));
    TG_TRY(tg_der_read_optional(&info, TG_DER_SEQUENCE, &quals, &present,
                                "PolicyInformation.policyQualifiers"));
    X509_ENSURE(value, !present || tg_left(&quals) > 0, TG_E_LENGTH,
                "PolicyInformation.policyQualifiers is empty (SIZE (1..MAX))");
    while (present && tg_left(&quals) > 0) {
      tg_reader q;
      tg_der_elem qualifier;
      TG_TRY(tg_der_read_seq(&quals, &q, "PolicyQualifierInfo"));
      TG_TRY(tg_der_read_oid(&q, &id, "PolicyQualifierInfo.policyQualifierId"));
      TG_TRY(tg_der_read_any(&q, &qualifier, "PolicyQualifierInfo.qualifier"));
      TG_TRY(tg_read_done(&q, "PolicyQualifierInfo"));
    }
    TG_TRY(tg_read_done(&info, "PolicyInformation"));
  }
  cert->has_certificate_policies = true;
  return TG_OK;
}

static const struct {
  const tg_oid *oid;
  tg_x509_ext_kind kind;
  ext_parse_fn parse;
} known[] = {
    {&TG_OID_basicConstraints, TG_X509_EXT_basicConstraints, parse_basic_constraints},
    {&TG_OID_keyUsage, TG_X509_EXT_keyUsage, parse_key_usage},
    {&TG_OID_extKeyUsage, TG_X509_EXT_extKeyUsage, parse_ext_key_usage},
    {&TG_OID_subjectAltName, TG_X509_EXT_subjectAltName, tg_x509_parse_subject_alt_name},
    {&TG_OID_nameConstraints, TG_X509_EXT_nameConstraints, tg_x509_parse_name_constraints},
    {&TG_OID_authorityKeyIdentifier, TG_X509_EXT_authorityKeyIdentifier, parse_authority_key_id},
    {&TG_OID_subjectKeyIdentifier, TG_X509_EXT_subjectKeyIdentifier, parse_subject_key_id},
    {&TG_OID_certificatePolicies, TG_X509_EXT_certificatePolicies, parse_certificate_policies},
};
#define N_KNOWN (sizeof known / sizeof known[0])

const char *tg_x509_ext_kind_name(tg_x509_ext_kind kind) {
  for (size_t i = 0; i < N_KNOWN; i++)
    if (known[i].kind == kind)
      return known[i].oid->name;
  return "unknown";
}

/* Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE,
 *                          extnValue OCTET STRING } */
static tg_status read_extension(tg_reader *list, tg_x509_ext *ext) {
  tg_der_elem e;
  TG_TRY(tg_der_read_any(list, &e, "Extension"));
  X509_ENSURE(list, e.tag == TG_DER_SEQUENCE, TG_E_BAD_VALUE,
              "Extension has tag 0x%02x, expected SEQUENCE", e.tag);
  ext->raw = e.raw;
  ext->critical = false;
  TG_TRY(tg_der_read_oid(&e.body, &ext->extn_id, "Extension.extnID"));
  if (tg_der_peek(&e.body, TG_DER_BOOLEAN)) {
    TG_TRY(tg_der_read_bool(&e.body, &ext->critical, "Extension.critical"));
    /* X.690 §11.5: DER omits a value equal to its DEFAULT. */
    X509_ENSURE(list, ext->critical, TG_E_BAD_VALUE,
                "Extension.critical is an explicit FALSE (DER omits a DEFAULT value)");
  }
  TG_TRY(tg_der_read_octets(&e.body, &ext->extn_value, "Extension.extnValue"));
  TG_TRY(tg_read_done(&e.body, "Extension"));
  ext->kind = TG_X509_EXT_unknown;
  for (size_t i = 0; i < N_KNOWN; i++)
    if (tg_der_oid_eq(ext->extn_id, known[i].oid))
      ext->kind = known[i].kind;
  return TG_OK;
}

/* The extension's value, parsed by its decoder: the whole extnValue must be one element. */
static tg_status decode_value(tg_reader *list, const tg_x509_ext *ext, tg_x509_cert *cert) {
  for (size_t i = 0; i < N_KNOWN; i++) {
    if (known[i].kind != ext->kind)
      continue;
    tg_reader value;
    tg_reader_init(&value, ext->extn_value.p, ext->extn_value.len, list->err);
    TG_TRY(known[i].parse(&value, cert));
    return tg_read_done(&value, known[i].oid->name);
  }
  return TG_OK;
}

/* RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular
 * extension." Compares with every earlier extension: quadratic, but without a fixed-size table
 * that a long list could overflow. */
static tg_status check_unique(tg_reader *list, tg_bytes before, const tg_x509_ext *ext) {
  tg_reader r;
  tg_x509_ext prev;
  tg_reader_init(&r, before.p, before.len, NULL);
  while (tg_left(&r) > 0 && read_extension(&r, &prev) == TG_OK)
    X509_ENSURE(list, !tg_bytes_eq(prev.extn_id, ext->extn_id), TG_E_DUPLICATE,
                "Extensions has a duplicate %s extension (RFC 5280 §4.2)",
                ext->kind != TG_X509_EXT_unknown ? tg_x509_ext_kind_name(ext->kind) : "unknown");
  return TG_OK;
}

/* The duplicate check is quadratic, so the number of extensions is bounded: a certificate from
 * the network may be 16 MB (RFC 8446 §4.4.2 cert_data<1..2^24-1>), real ones carry about ten. */
#define MAX_EXTENSIONS 256

/* extensions [3] EXPLICIT Extensions OPTIONAL
 * Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension */
tg_status tg_x509_read_extensions(tg_reader *r, tg_x509_cert *cert) {
  tg_der_elem outer;
  tg_reader list;
  TG_TRY(tg_der_read_any(r, &outer, "TBSCertificate.extensions"));
  cert->extensions_raw = outer.raw;
  TG_TRY(tg_der_read_seq(&outer.body, &list, "Extensions"));
  TG_TRY(tg_read_done(&outer.body, "TBSCertificate.extensions"));
  X509_ENSURE(r, tg_left(&list) > 0, TG_E_LENGTH, "Extensions is empty (SIZE (1..MAX))");
  cert->extensions = tg_reader_rest(&list);
  while (tg_left(&list) > 0) {
    tg_x509_ext ext;
    X509_ENSURE(r, cert->extensions_count < MAX_EXTENSIONS, TG_E_TOO_LARGE,
                "Extensions has more than %d extensions", MAX_EXTENSIONS);
    tg_bytes before = tg_bytes_of(cert->extensions.p, (size_t)(list.p - cert->extensions.p));
    TG_TRY(read_extension(&list, &ext));
    TG_TRY(check_unique(&list, before, &ext));
    TG_TRY(decode_value(&list, &ext, cert));
    /* RFC 5280 §4.2: a system MUST reject a certificate with a critical extension it does not
     * recognise. Recorded here, decided by the validator (the parser still parses it). */
    if (ext.kind == TG_X509_EXT_unknown && ext.critical)
      cert->unknown_critical = true;
    cert->extensions_count++;
  }
  return TG_OK;
}

void tg_x509_ext_iter_init(tg_x509_ext_iter *it, const tg_x509_cert *cert) {
  tg_reader_init(&it->r, cert->extensions.p, cert->extensions.len, NULL);
}

bool tg_x509_ext_next(tg_x509_ext_iter *it, tg_x509_ext *ext) {
  return tg_left(&it->r) > 0 && read_extension(&it->r, ext) == TG_OK;
}
