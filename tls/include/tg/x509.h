/* The zero-copy X.509 certificate parser (RFC 5280 §4.1, §4.2).
 *
 * tg_x509_parse walks one DER certificate with the strict DER reader (tg/der.h) and fills a
 * tg_x509_cert with views into the input: nothing is copied and nothing is allocated, so the
 * input must outlive the certificate. Lists (the RDNs of a Name, extensions, subjectAltName
 * entries, name-constraint subtrees, extKeyUsage purposes) stay as their wire bytes and are
 * walked with iterators, like the TLS vectors; the parser has already checked them, so the
 * iterators cannot fail on a parsed certificate.
 *
 * Every failure is bad_certificate (RFC 8446 §6.2: "a certificate was corrupt"), with a message
 * naming the field in RFC 5280 spelling and the check that failed. What this parser checks is
 * syntax and the RFC 5280 rules that need no context; everything that needs a path, a time or
 * a name (validity at a date, signatures, cA on issuers, name constraints) is the validator's.
 *
 * Tolerated deviations are parsed and flagged rather than rejected (serial_lenient).
 *
 * The views tile the input: tg_x509_reencode rebuilds the certificate from them, byte for byte
 * (the fuzz oracle and a test check this). */
#ifndef TG_X509_H
#define TG_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/der.h"
#include "tg/dump.h"
#include "tg/error.h"
#include "tg/sig.h"

/* ---- Object identifiers this module knows (contents octets, see tg/der.h) ------------------- */

/* Signature algorithms (RFC 4055, RFC 5758, RFC 8410, RFC 3279). */
extern const tg_oid TG_OID_md5WithRSAEncryption, TG_OID_sha1WithRSAEncryption,
    TG_OID_sha256WithRSAEncryption, TG_OID_sha384WithRSAEncryption, TG_OID_sha512WithRSAEncryption,
    TG_OID_ecdsa_with_SHA1, TG_OID_ecdsa_with_SHA256, TG_OID_ecdsa_with_SHA384,
    TG_OID_ecdsa_with_SHA512;
/* Attribute types (RFC 5280 Appendix A.1). */
extern const tg_oid TG_OID_commonName, TG_OID_countryName, TG_OID_organizationName,
    TG_OID_organizationalUnitName, TG_OID_localityName, TG_OID_stateOrProvinceName,
    TG_OID_serialNumber, TG_OID_emailAddress;
/* Certificate extensions (RFC 5280 §4.2.1). */
extern const tg_oid TG_OID_basicConstraints, TG_OID_keyUsage, TG_OID_extKeyUsage,
    TG_OID_subjectAltName, TG_OID_nameConstraints, TG_OID_authorityKeyIdentifier,
    TG_OID_subjectKeyIdentifier, TG_OID_certificatePolicies;
/* KeyPurposeId (RFC 5280 §4.2.1.12). */
extern const tg_oid TG_OID_serverAuth, TG_OID_clientAuth, TG_OID_codeSigning,
    TG_OID_emailProtection, TG_OID_timeStamping, TG_OID_OCSPSigning, TG_OID_anyExtendedKeyUsage;

/* ---- Names (RFC 5280 §4.1.2.4) --------------------------------------------------------------- */

/* Name ::= SEQUENCE OF RelativeDistinguishedName; RDN ::= SET SIZE (1..MAX) OF
 * AttributeTypeAndValue. */
typedef struct tg_x509_name {
  tg_bytes raw;  /* the Name TLV (what issuer/subject chaining compares) */
  tg_bytes rdns; /* its contents: the RDNs */
} tg_x509_name;

/* AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY } */
typedef struct tg_x509_attr {
  tg_bytes type;  /* OID contents */
  uint8_t tag;    /* the value's tag: TG_DER_UTF8String, TG_DER_PrintableString, ... */
  tg_bytes value; /* the value's contents */
  size_t rdn;     /* 0-based index of the RDN holding it (several for a multi-valued RDN) */
} tg_x509_attr;

typedef struct tg_x509_name_iter {
  tg_reader rdns;
  tg_reader set;
  size_t rdn;
} tg_x509_name_iter;

void tg_x509_name_iter_init(tg_x509_name_iter *it, const tg_x509_name *name);
bool tg_x509_name_next(tg_x509_name_iter *it, tg_x509_attr *attr);
/* The value of the first attribute of that type (e.g. TG_OID_commonName). */
bool tg_x509_name_find(const tg_x509_name *name, const tg_oid *type, tg_bytes *value);
/* RFC 5280 §7.1 name matching, for chaining (issuer to subject) and directoryName constraints:
 * the same RDNs in the same order, each attribute of the same type, values equal as bytes or,
 * when both are PrintableString or UTF8String, after insignificant-space handling (RFC 4518
 * §2.6.1: no leading or trailing spaces, inner runs as one) and caseIgnoreMatch folded to ASCII
 * (other characters compare exactly: the full StringPrep tables are not applied). The attributes
 * of a multi-valued RDN are compared in their encoded order. */
bool tg_x509_name_eq(const tg_x509_name *a, const tg_x509_name *b);
/* base's RDNs are the first RDNs of name, compared as tg_x509_name_eq does (RFC 5280
 * §4.2.1.10, directoryName subtrees). */
bool tg_x509_name_within(const tg_x509_name *name, const tg_x509_name *base);

/* ---- GeneralName (RFC 5280 §4.2.1.6) --------------------------------------------------------- */

typedef enum tg_x509_gn_type {
  TG_GN_otherName = 0,
  TG_GN_rfc822Name = 1,
  TG_GN_dNSName = 2,
  TG_GN_x400Address = 3,
  TG_GN_directoryName = 4,
  TG_GN_ediPartyName = 5,
  TG_GN_uniformResourceIdentifier = 6,
  TG_GN_iPAddress = 7,
  TG_GN_registeredID = 8,
} tg_x509_gn_type;

typedef struct tg_x509_general_name {
  tg_x509_gn_type type;
  /* rfc822Name, dNSName, URI: the IA5String text; iPAddress: 4 or 16 octets (in name
   * constraints 8 or 32: address then mask); registeredID: OID contents; others: contents. */
  tg_bytes value;
  tg_x509_name name; /* directoryName only */
  tg_bytes raw;      /* the whole [n] TLV */
} tg_x509_general_name;

/* Walks GeneralNames (subjectAltName) or GeneralSubtrees (nameConstraints: the base of each
 * subtree), as stored in tg_x509_cert. */
typedef struct tg_x509_gn_iter {
  tg_reader r;
  bool subtrees;
} tg_x509_gn_iter;

void tg_x509_gn_iter_init(tg_x509_gn_iter *it, tg_bytes general_names);
void tg_x509_subtrees_iter_init(tg_x509_gn_iter *it, tg_bytes general_subtrees);
bool tg_x509_gn_next(tg_x509_gn_iter *it, tg_x509_general_name *gn);
const char *tg_x509_gn_type_name(tg_x509_gn_type type); /* "dNSName" */

/* ---- Extensions (RFC 5280 §4.2) -------------------------------------------------------------- */

typedef enum tg_x509_ext_kind {
  TG_X509_EXT_unknown = 0,
  TG_X509_EXT_basicConstraints,
  TG_X509_EXT_keyUsage,
  TG_X509_EXT_extKeyUsage,
  TG_X509_EXT_subjectAltName,
  TG_X509_EXT_nameConstraints,
  TG_X509_EXT_authorityKeyIdentifier,
  TG_X509_EXT_subjectKeyIdentifier,
  TG_X509_EXT_certificatePolicies,
} tg_x509_ext_kind;

/* Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
typedef struct tg_x509_ext {
  tg_bytes raw;     /* the Extension TLV */
  tg_bytes extn_id; /* OID contents */
  bool critical;
  tg_bytes extn_value; /* the OCTET STRING's contents: the DER of the extension's own type */
  tg_x509_ext_kind kind;
} tg_x509_ext;

typedef struct tg_x509_ext_iter {
  tg_reader r;
} tg_x509_ext_iter;

/* KeyUsage bits (RFC 5280 §4.2.1.3), bit n of the BIT STRING as 1 << n. */
enum {
  TG_KU_digitalSignature = 1 << 0,
  TG_KU_nonRepudiation = 1 << 1, /* contentCommitment */
  TG_KU_keyEncipherment = 1 << 2,
  TG_KU_dataEncipherment = 1 << 3,
  TG_KU_keyAgreement = 1 << 4,
  TG_KU_keyCertSign = 1 << 5,
  TG_KU_cRLSign = 1 << 6,
  TG_KU_encipherOnly = 1 << 7,
  TG_KU_decipherOnly = 1 << 8,
};

/* The KeyPurposeIds of extKeyUsage this module knows, as flags; TG_EKU_other for the rest. */
enum {
  TG_EKU_serverAuth = 1 << 0,
  TG_EKU_clientAuth = 1 << 1,
  TG_EKU_codeSigning = 1 << 2,
  TG_EKU_emailProtection = 1 << 3,
  TG_EKU_timeStamping = 1 << 4,
  TG_EKU_OCSPSigning = 1 << 5,
  TG_EKU_anyExtendedKeyUsage = 1 << 6,
  TG_EKU_other = 1 << 7,
};

/* ---- The certificate ------------------------------------------------------------------------- */

typedef enum tg_x509_sig_alg {
  TG_X509_SIG_unknown = 0,
  TG_X509_SIG_md5WithRSAEncryption,
  TG_X509_SIG_sha1WithRSAEncryption,
  TG_X509_SIG_sha256WithRSAEncryption,
  TG_X509_SIG_sha384WithRSAEncryption,
  TG_X509_SIG_sha512WithRSAEncryption,
  TG_X509_SIG_RSASSA_PSS, /* parameters in signature_params */
  TG_X509_SIG_ecdsa_with_SHA1,
  TG_X509_SIG_ecdsa_with_SHA256,
  TG_X509_SIG_ecdsa_with_SHA384,
  TG_X509_SIG_ecdsa_with_SHA512,
  TG_X509_SIG_Ed25519,
} tg_x509_sig_alg;

const char *tg_x509_sig_alg_name(tg_x509_sig_alg alg); /* "sha256WithRSAEncryption" */

/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 * with the TBSCertificate fields inline. *_raw members are whole TLVs, empty when the field is
 * absent; together they tile the input. */
typedef struct tg_x509_cert {
  tg_bytes raw;                 /* the Certificate TLV: all of the input */
  tg_bytes tbs;                 /* tbsCertificate TLV: what signatureValue signs */
  tg_bytes signature_algorithm; /* Certificate.signatureAlgorithm TLV */
  tg_bytes signature_value_raw; /* Certificate.signatureValue TLV */
  tg_bytes signature_value;     /* its bits, whole octets */
  tg_x509_sig_alg sig_alg;
  tg_bytes signature_params; /* AlgorithmIdentifier.parameters TLV, empty when absent */

  /* TBSCertificate, RFC 5280 §4.1.2 */
  tg_bytes version_raw; /* [0] EXPLICIT Version, empty for v1 (DEFAULT) */
  unsigned version;     /* 1, 2 or 3: the X.509 version, not the INTEGER (0, 1, 2) */
  tg_bytes serial_raw;
  tg_bytes serial;     /* serialNumber INTEGER contents (two's complement, minimal) */
  bool serial_lenient; /* zero, negative, or 20 magnitude octets behind a sign octet */
  tg_bytes signature;  /* TBSCertificate.signature TLV; equal to signature_algorithm */
  tg_x509_name issuer;
  tg_bytes validity_raw;
  int64_t not_before; /* seconds since the Unix epoch */
  int64_t not_after;
  tg_x509_name subject;
  tg_bytes spki;               /* SubjectPublicKeyInfo TLV, for tg_public_key_from_spki */
  tg_key_type key_type;        /* TG_KEY_NONE for an algorithm or curve this engine lacks */
  tg_bytes key_algorithm;      /* OID contents */
  tg_bytes key_params;         /* parameters TLV, empty when absent */
  tg_bytes subject_public_key; /* the BIT STRING's octets */
  tg_bytes issuer_unique_id_raw;
  tg_bytes subject_unique_id_raw;
  tg_bytes extensions_raw; /* [3] EXPLICIT Extensions TLV, empty when absent */
  tg_bytes extensions;     /* the Extension TLVs, walk with tg_x509_ext_iter */
  size_t extensions_count;
  bool unknown_critical; /* an extension this parser does not know is marked critical */

  /* The extensions this parser decodes (has_* false when absent). */
  bool has_basic_constraints, ca, has_path_len;
  uint32_t path_len;
  bool has_key_usage;
  uint16_t key_usage; /* TG_KU_* */
  bool has_ext_key_usage;
  uint32_t ext_key_usage;     /* TG_EKU_* */
  tg_bytes ext_key_usage_ids; /* the KeyPurposeId TLVs */
  bool has_subject_alt_name;
  tg_bytes subject_alt_name; /* GeneralNames contents, walk with tg_x509_gn_iter */
  bool has_name_constraints;
  tg_bytes permitted_subtrees; /* GeneralSubtrees contents, empty when absent */
  tg_bytes excluded_subtrees;
  bool has_authority_key_id;
  tg_bytes authority_key_id;        /* keyIdentifier, empty when the extension lacks it */
  bool authority_key_id_has_key_id; /* keyIdentifier present (it may be empty) */
  bool authority_cert_issuer;       /* authorityCertIssuer and authorityCertSerialNumber present */
  bool has_subject_key_id;
  tg_bytes subject_key_id;
  bool has_certificate_policies;
  tg_bytes certificate_policies; /* PolicyInformation TLVs (parsed, not enforced) */
} tg_x509_cert;

/* Parses one DER certificate; der must hold exactly one Certificate. */
TG_MUST_CHECK tg_status tg_x509_parse(tg_bytes der, tg_x509_cert *cert, tg_err *err);

void tg_x509_ext_iter_init(tg_x509_ext_iter *it, const tg_x509_cert *cert);
bool tg_x509_ext_next(tg_x509_ext_iter *it, tg_x509_ext *ext);
const char *tg_x509_ext_kind_name(tg_x509_ext_kind kind); /* "basicConstraints" */

/* Rebuilds the certificate from its views (every TBS field, each extension from extn_id,
 * critical and extn_value) with minimal DER lengths, appending to w. On a certificate tg_x509_parse
 * accepted, the output equals cert->raw: the re-encode oracle. */
void tg_x509_reencode(tg_writer *w, const tg_x509_cert *cert);

/* The UTC civil time y-mo-d h:mi:s (proleptic Gregorian, leap years counted) as seconds since the
 * epoch into *t; false when a field is out of range: year 0-9999, month 1-12, day within its
 * month, 0-23, 0-59, 0-59. The one conversion the parser and the command line share. */
bool tg_x509_civil_time(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                        int64_t *t);

/* t (seconds since the epoch) as "YYYY-MM-DDTHH:MM:SSZ" into out, truncated to len. */
void tg_x509_format_time(int64_t t, char *out, size_t len);

/* The certificate as a structure (tlsgauntlet decode --as certificate). */
void tg_x509_describe(tg_dump *d, const tg_x509_cert *cert);

#endif
