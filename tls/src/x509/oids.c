/* The object identifiers of the X.509 module, as DER contents octets (X.690 §8.19). */
#include "tg/x509.h"

#define PKCS1(n)                                                                                   \
  { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, (n) }
#define X9_ECDSA(...)                                                                              \
  { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, __VA_ARGS__ }
#define ATTR(n)                                                                                    \
  { 0x55, 0x04, (n) }
#define CE(n)                                                                                      \
  { 0x55, 0x1d, (n) }
#define KP(n)                                                                                      \
  { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, (n) }

/* RFC 3279 §2.2.1, RFC 4055 §5: 1.2.840.113549.1.1.n */
const tg_oid TG_OID_md5WithRSAEncryption = {"md5WithRSAEncryption", 9, PKCS1(4)};
const tg_oid TG_OID_sha1WithRSAEncryption = {"sha1WithRSAEncryption", 9, PKCS1(5)};
const tg_oid TG_OID_sha256WithRSAEncryption = {"sha256WithRSAEncryption", 9, PKCS1(11)};
const tg_oid TG_OID_sha384WithRSAEncryption = {"sha384WithRSAEncryption", 9, PKCS1(12)};
const tg_oid TG_OID_sha512WithRSAEncryption = {"sha512WithRSAEncryption", 9, PKCS1(13)};
/* RFC 3279 §2.2.3 (1.2.840.10045.4.1), RFC 5758 §3.2 (1.2.840.10045.4.3.n) */
const tg_oid TG_OID_ecdsa_with_SHA1 = {"ecdsa-with-SHA1", 7, X9_ECDSA(0x01)};
const tg_oid TG_OID_ecdsa_with_SHA256 = {"ecdsa-with-SHA256", 8, X9_ECDSA(0x03, 0x02)};
const tg_oid TG_OID_ecdsa_with_SHA384 = {"ecdsa-with-SHA384", 8, X9_ECDSA(0x03, 0x03)};
const tg_oid TG_OID_ecdsa_with_SHA512 = {"ecdsa-with-SHA512", 8, X9_ECDSA(0x03, 0x04)};

/* RFC 5280 Appendix A.1: id-at (2.5.4.n) and PKCS #9 emailAddress */
const tg_oid TG_OID_commonName = {"commonName", 3, ATTR(3)};
const tg_oid TG_OID_serialNumber = {"serialNumber", 3, ATTR(5)};
const tg_oid TG_OID_countryName = {"countryName", 3, ATTR(6)};
const tg_oid TG_OID_localityName = {"localityName", 3, ATTR(7)};
const tg_oid TG_OID_stateOrProvinceName = {"stateOrProvinceName", 3, ATTR(8)};
const tg_oid TG_OID_organizationName = {"organizationName", 3, ATTR(10)};
const tg_oid TG_OID_organizationalUnitName = {"organizationalUnitName", 3, ATTR(11)};
const tg_oid TG_OID_emailAddress = {
    "emailAddress", 9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01}};

/* RFC 5280 §4.2.1: id-ce (2.5.29.n) */
const tg_oid TG_OID_subjectKeyIdentifier = {"subjectKeyIdentifier", 3, CE(14)};
const tg_oid TG_OID_keyUsage = {"keyUsage", 3, CE(15)};
const tg_oid TG_OID_subjectAltName = {"subjectAltName", 3, CE(17)};
const tg_oid TG_OID_basicConstraints = {"basicConstraints", 3, CE(19)};
const tg_oid TG_OID_nameConstraints = {"nameConstraints", 3, CE(30)};
const tg_oid TG_OID_certificatePolicies = {"certificatePolicies", 3, CE(32)};
const tg_oid TG_OID_authorityKeyIdentifier = {"authorityKeyIdentifier", 3, CE(35)};
const tg_oid TG_OID_extKeyUsage = {"extKeyUsage", 3, CE(37)};

/* RFC 5280 §4.2.1.12: id-kp (1.3.6.1.5.5.7.3.n) and anyExtendedKeyUsage (2.5.29.37.0) */
const tg_oid TG_OID_serverAuth = {"serverAuth", 8, KP(1)};
const tg_oid TG_OID_clientAuth = {"clientAuth", 8, KP(2)};
const tg_oid TG_OID_codeSigning = {"codeSigning", 8, KP(3)};
const tg_oid TG_OID_emailProtection = {"emailProtection", 8, KP(4)};
const tg_oid TG_OID_timeStamping = {"timeStamping", 8, KP(8)};
const tg_oid TG_OID_OCSPSigning = {"OCSPSigning", 8, KP(9)};
const tg_oid TG_OID_anyExtendedKeyUsage = {"anyExtendedKeyUsage", 4, {0x55, 0x1d, 0x25, 0x00}};
