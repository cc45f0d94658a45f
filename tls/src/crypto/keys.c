/* Private keys from PKCS#8 (RFC 5208, RFC 5958), SEC1 (RFC 5915) and PKCS#1 (RFC 8017 A.1.2),
 * in DER or PEM; public keys from SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, RFC 3279, RFC 5480,
 * RFC 8410). Every structure is walked with the DER reader; malformed input is decode_error,
 * a well-formed key this engine cannot use is illegal_parameter. */
#include <stdlib.h>
#include <string.h>

#include <nettle/bignum.h>

#include "crypto/asym_internal.h"
#include "tg/der.h"
#include "tg/pem.h"

#define RSA_MIN_BITS 1024

const char *tg_key_type_name(tg_key_type type) {
  switch (type) {
  case TG_KEY_RSA: return "RSA";
  case TG_KEY_RSA_PSS: return "RSASSA-PSS";
  case TG_KEY_EC_P256: return "EC P-256";
  case TG_KEY_EC_P384: return "EC P-384";
  case TG_KEY_ED25519: return "Ed25519";
  default: return "none";
  }
}

static bool is_ec(tg_key_type t) { return t == TG_KEY_EC_P256 || t == TG_KEY_EC_P384; }
static bool is_rsa(tg_key_type t) { return t == TG_KEY_RSA || t == TG_KEY_RSA_PSS; }

static void *alloc_key(size_t size, tg_err *err) {
  void *k = calloc(1, size);
  if (k == NULL)
    (void)TG_FAIL(err, internal_error, TG_E_NOMEM, "out of memory for a key");
  return k;
}

void tg_private_key_free(tg_private_key *key) {
  if (key == NULL)
    return;
  if (is_rsa(key->type)) {
    rsa_public_key_clear(&key->rsa_pub);
    rsa_private_key_clear(&key->rsa);
  } else if (is_ec(key->type)) {
    ecc_scalar_clear(&key->ec);
  }
  memset(key->ed25519, 0, sizeof key->ed25519);
  free(key);
}

void tg_public_key_free(tg_public_key *key) {
  if (key == NULL)
    return;
  if (is_rsa(key->type))
    rsa_public_key_clear(&key->rsa);
  else if (is_ec(key->type))
    ecc_point_clear(&key->ec);
  free(key);
}

tg_key_type tg_private_key_type(const tg_private_key *key) { return key->type; }
tg_key_type tg_public_key_type(const tg_public_key *key) { return key->type; }

size_t tg_public_key_bits(const tg_public_key *key) {
  if (is_rsa(key->type))
    return mpz_sizeinbase(key->rsa.n, 2);
  if (is_ec(key->type))
    return 8 * tg_ec_field_len(key->type);
  return 256;
}

static void set_mpz(mpz_t z, tg_bytes v) { nettle_mpz_set_str_256_u(z, v.len, v.p); }

/* ---- RSA ------------------------------------------------------------------------------------- */

/* nettle's prepare computes the size and refuses moduli too small for any padding. */
static tg_status rsa_pub_prepare(struct rsa_public_key *pub, tg_err *err) {
  size_t bits = mpz_sizeinbase(pub->n, 2);
  TG_ENSURE(err, bits >= RSA_MIN_BITS, illegal_parameter, TG_E_BAD_VALUE,
            "RSA modulus has %zu bits, fewer than %d", bits, RSA_MIN_BITS);
  TG_ENSURE(err, mpz_odd_p(pub->e) && mpz_cmp_ui(pub->e, 1) > 0, illegal_parameter, TG_E_BAD_VALUE,
            "RSA publicExponent is not an odd number above 1");
  TG_ENSURE(err, rsa_public_key_prepare(pub), illegal_parameter, TG_E_BAD_VALUE,
            "RSA public key is unusable");
  return TG_OK;
}

static tg_status rsa_private_init(tg_private_key *k, tg_bytes n, tg_bytes e, tg_bytes d, tg_bytes p,
                                  tg_bytes q, tg_bytes dp, tg_bytes dq, tg_bytes qinv,
                                  tg_err *err) {
  rsa_public_key_init(&k->rsa_pub);
  rsa_private_key_init(&k->rsa);
  set_mpz(k->rsa_pub.n, n);
  set_mpz(k->rsa_pub.e, e);
  set_mpz(k->rsa.d, d);
  set_mpz(k->rsa.p, p);
  set_mpz(k->rsa.q, q);
  set_mpz(k->rsa.a, dp);
  set_mpz(k->rsa.b, dq);
  set_mpz(k->rsa.c, qinv);
  TG_TRY(rsa_pub_prepare(&k->rsa_pub, err));
  mpz_t pq;
  mpz_init(pq);
  mpz_mul(pq, k->rsa.p, k->rsa.q);
  int same = mpz_cmp(pq, k->rsa_pub.n) == 0;
  mpz_clear(pq);
  TG_ENSURE(err, same, illegal_parameter, TG_E_BAD_VALUE,
            "RSAPrivateKey.modulus is not prime1 * prime2");
  TG_ENSURE(err, rsa_private_key_prepare(&k->rsa) && k->rsa.size == k->rsa_pub.size,
            illegal_parameter, TG_E_BAD_VALUE, "RSA private key is unusable");
  return TG_OK;
}

/* RFC 8017 A.1.2: RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent,
 * privateExponent, prime1, prime2, exponent1, exponent2, coefficient, otherPrimeInfos OPTIONAL } */
static tg_status parse_rsa_private(tg_bytes der, tg_private_key *k, tg_err *err) {
  tg_reader r, seq;
  uint32_t version;
  tg_bytes v[8];
  static const char *const names[8] = {
      "RSAPrivateKey.modulus",   "RSAPrivateKey.publicExponent", "RSAPrivateKey.privateExponent",
      "RSAPrivateKey.prime1",    "RSAPrivateKey.prime2",         "RSAPrivateKey.exponent1",
      "RSAPrivateKey.exponent2", "RSAPrivateKey.coefficient"};
  tg_reader_init(&r, der.p, der.len, err);
  TG_TRY(tg_der_read_seq(&r, &seq, "RSAPrivateKey"));
  TG_TRY(tg_read_done(&r, "RSAPrivateKey"));
  TG_TRY(tg_der_read_small(&seq, &version, "RSAPrivateKey.version"));
  /* version 1 (multi) means otherPrimeInfos follow: multi-prime keys are not supported. */
  TG_ENSURE(err, version == 0, illegal_parameter, TG_E_BAD_VALUE,
            "RSAPrivateKey.version is %u (multi-prime keys are not supported)", version);
  for (size_t i = 0; i < 8; i++)
    TG_TRY(tg_der_read_uint(&seq, &v[i], names[i]));
  TG_TRY(tg_read_done(&seq, "RSAPrivateKey"));
  k->type = TG_KEY_RSA;
  return rsa_private_init(k, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], err);
}

/* RFC 8017 A.1.1: RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static tg_status parse_rsa_public(tg_bytes der, tg_public_key *k, tg_err *err) {
  tg_reader r, seq;
  tg_bytes n, e;
  tg_reader_init(&r, der.p, der.len, err);
  TG_TRY(tg_der_read_seq(&r, &seq, "RSAPublicKey"));
  TG_TRY(tg_read_done(&r, "RSAPublicKey"));
  TG_TRY(tg_der_read_uint(&seq, &n, "RSAPublicKey.modulus"));
  TG_TRY(tg_der_read_uint(&seq, &e, "RSAPublicKey.publicExponent"));
  TG_TRY(tg_read_done(&seq, "RSAPublicKey"));
  rsa_public_key_init(&k->rsa);
  set_mpz(k->rsa.n, n);
  set_mpz(k->rsa.e, e);
  tg_status st = rsa_pub_prepare(&k->rsa, err);
  if (st != TG_OK)
    rsa_public_key_clear(&k->rsa); /* k->type is not set yet: free would not clear it */
  return st;
}

/* ---- AlgorithmIdentifier --------------------------------------------------------------------- */

/* ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, ... } (RFC 5480 §2.1.1: only
 * namedCurve is allowed). */
static tg_status parse_named_curve(tg_reader *r, tg_key_type *type, tg_err *err) {
  tg_bytes oid;
  TG_TRY(tg_der_read_oid(r, &oid, "ECParameters.namedCurve"));
  if (tg_der_oid_eq(oid, &TG_OID_secp256r1))
    *type = TG_KEY_EC_P256;
  else if (tg_der_oid_eq(oid, &TG_OID_secp384r1))
    *type = TG_KEY_EC_P384;
  else
    return TG_FAIL(err, illegal_parameter, TG_E_BAD_VALUE,
                   "ECParameters.namedCurve is not secp256r1 or secp384r1");
  return TG_OK;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } for a key. */
static tg_status parse_key_alg(tg_reader *r, const char *field, tg_key_type *type, tg_err *err) {
  tg_reader seq;
  tg_bytes oid;
  TG_TRY(tg_der_read_seq(r, &seq, field));
  TG_TRY(tg_der_read_oid(&seq, &oid, field));
  if (tg_der_oid_eq(oid, &TG_OID_rsaEncryption)) {
    *type = TG_KEY_RSA;
    /* RFC 3279 §2.3.1: the parameters field MUST be NULL. */
    TG_TRY(tg_der_read_null(&seq, "rsaEncryption parameters"));
  } else if (tg_der_oid_eq(oid, &TG_OID_RSASSA_PSS)) {
    bool present;
    *type = TG_KEY_RSA_PSS;
    /* RFC 4055 §3.1: absent, or RSASSA-PSS-params restricting the key. The restrictions are
     * not enforced: the scheme chosen names its own hash and salt. */
    TG_TRY(tg_der_read_optional(&seq, TG_DER_SEQUENCE, NULL, &present, "RSASSA-PSS-params"));
  } else if (tg_der_oid_eq(oid, &TG_OID_id_ecPublicKey)) {
    TG_TRY(parse_named_curve(&seq, type, err));
  } else if (tg_der_oid_eq(oid, &TG_OID_Ed25519)) {
    /* RFC 8410 §3: the parameters MUST be absent (tg_read_done below). */
    *type = TG_KEY_ED25519;
  } else {
    return TG_FAIL(err, illegal_parameter, TG_E_BAD_VALUE,
                   "%s.algorithm is not a supported key algorithm", field);
  }
  return tg_read_done(&seq, field);
}

/* ---- EC -------------------------------------------------------------------------------------- */

/* Sets k to the EC key of type with that scalar. k->type is set only once the scalar is
 * initialised, so tg_private_key_free clears exactly what exists. */
static tg_status ec_private_set(tg_private_key *k, tg_key_type type, tg_bytes scalar, tg_err *err) {
  size_t flen = tg_ec_field_len(type);
  /* RFC 5915 §3: privateKey is an octet string of length ceiling(log2(n)/8). */
  TG_ENSURE(err, scalar.len == flen, decode_error, TG_E_LENGTH,
            "ECPrivateKey.privateKey has length %zu, expected %zu", scalar.len, flen);
  mpz_t z;
  mpz_init(z);
  set_mpz(z, scalar);
  ecc_scalar_init(&k->ec, tg_ec_curve(type));
  int ok = ecc_scalar_set(&k->ec, z);
  mpz_clear(z);
  if (!ok) {
    ecc_scalar_clear(&k->ec);
    return TG_FAIL(err, illegal_parameter, TG_E_BAD_VALUE,
                   "ECPrivateKey.privateKey is not in [1, n-1]");
  }
  k->type = type;
  return TG_OK;
}

/* The public point of k, 04 || X || Y, into out (1 + 2 * 48 bytes at most). */
static void ec_public_bytes(const tg_private_key *k, uint8_t *out) {
  struct ecc_point p;
  ecc_point_init(&p, tg_ec_curve(k->type));
  ecc_point_mul_g(&p, &k->ec);
  tg_ec_point_write(k->type, &p, out);
  ecc_point_clear(&p);
}

/* RFC 5915 §3: ECPrivateKey ::= SEQUENCE { version INTEGER { ecPrivkeyVer1(1) }, privateKey
 * OCTET STRING, parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }.
 * from_pkcs8 is the curve the PKCS#8 AlgorithmIdentifier named, or TG_KEY_NONE. */
static tg_status parse_sec1(tg_bytes der, tg_key_type from_pkcs8, tg_private_key *k, tg_err *err) {
  tg_reader r, seq, params, pub;
  uint32_t version;
  tg_bytes scalar, point = {NULL, 0};
  bool has_params, has_pub;
  tg_key_type type = from_pkcs8;
  tg_reader_init(&r, der.p, der.len, err);
  TG_TRY(tg_der_read_seq(&r, &seq, "ECPrivateKey"));
  TG_TRY(tg_read_done(&r, "ECPrivateKey"));
  TG_TRY(tg_der_read_small(&seq, &version, "ECPrivateKey.version"));
  TG_ENSURE(err, version == 1, decode_error, TG_E_BAD_VALUE, "ECPrivateKey.version is %u, not 1",
            version);
  TG_TRY(tg_der_read_octets(&seq, &scalar, "ECPrivateKey.privateKey"));
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT(0), &params, &has_params,
                              "ECPrivateKey.parameters"));
  if (has_params) {
    tg_key_type named;
    TG_TRY(parse_named_curve(&params, &named, err));
    TG_TRY(tg_read_done(&params, "ECPrivateKey.parameters"));
    /* RFC 5915 §3: parameters, when present, match those of the PKCS#8 wrapper. */
    TG_ENSURE(err, type == TG_KEY_NONE || type == named, illegal_parameter, TG_E_BAD_VALUE,
              "ECPrivateKey.parameters name another curve than the AlgorithmIdentifier");
    type = named;
  }
  TG_ENSURE(err, type != TG_KEY_NONE, decode_error, TG_E_BAD_VALUE,
            "ECPrivateKey has no parameters: the curve is unknown");
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT(1), &pub, &has_pub, "ECPrivateKey.publicKey"));
  if (has_pub) {
    TG_TRY(tg_der_read_bit_octets(&pub, &point, "ECPrivateKey.publicKey"));
    TG_TRY(tg_read_done(&pub, "ECPrivateKey.publicKey"));
  }
  TG_TRY(tg_read_done(&seq, "ECPrivateKey"));
  TG_TRY(ec_private_set(k, type, scalar, err));
  if (has_pub) {
    uint8_t want[1 + 2 * 48];
    ec_public_bytes(k, want);
    TG_ENSURE(err, tg_bytes_eq(point, tg_bytes_of(want, 1 + 2 * tg_ec_field_len(type))),
              illegal_parameter, TG_E_BAD_VALUE,
              "ECPrivateKey.publicKey does not match ECPrivateKey.privateKey");
  }
  return TG_OK;
}

/* ---- Ed25519 --------------------------------------------------------------------------------- */

/* RFC 8410 §7: CurvePrivateKey ::= OCTET STRING, inside PrivateKeyInfo.privateKey. */
static tg_status parse_ed25519_private(tg_bytes der, tg_private_key *k, tg_err *err) {
  tg_reader r;
  tg_bytes seed;
  tg_reader_init(&r, der.p, der.len, err);
  TG_TRY(tg_der_read_octets(&r, &seed, "CurvePrivateKey"));
  TG_TRY(tg_read_done(&r, "CurvePrivateKey"));
  TG_ENSURE(err, seed.len == ED25519_KEY_SIZE, decode_error, TG_E_LENGTH,
            "CurvePrivateKey has length %zu, expected 32", seed.len);
  memcpy(k->ed25519, seed.p, ED25519_KEY_SIZE);
  ed25519_sha512_public_key(k->ed25519_pub, k->ed25519);
  k->type = TG_KEY_ED25519;
  return TG_OK;
}

/* ---- PKCS#8 ---------------------------------------------------------------------------------- */

/* RFC 5958 §2: OneAsymmetricKey ::= SEQUENCE { version, privateKeyAlgorithm, privateKey OCTET
 * STRING, attributes [0] IMPLICIT OPTIONAL, [[2: publicKey [1] IMPLICIT BIT STRING OPTIONAL ]] }
 * (version 0 is RFC 5208 PrivateKeyInfo). */
static tg_status parse_pkcs8(tg_bytes der, tg_private_key *k, tg_err *err) {
  tg_reader r, seq;
  uint32_t version;
  tg_key_type type;
  tg_bytes inner;
  bool present;
  tg_reader_init(&r, der.p, der.len, err);
  TG_TRY(tg_der_read_seq(&r, &seq, "PrivateKeyInfo"));
  TG_TRY(tg_read_done(&r, "PrivateKeyInfo"));
  TG_TRY(tg_der_read_small(&seq, &version, "PrivateKeyInfo.version"));
  TG_ENSURE(err, version <= 1, decode_error, TG_E_BAD_VALUE,
            "PrivateKeyInfo.version is %u, not 0 or 1", version);
  TG_TRY(parse_key_alg(&seq, "PrivateKeyInfo.privateKeyAlgorithm", &type, err));
  TG_TRY(tg_der_read_octets(&seq, &inner, "PrivateKeyInfo.privateKey"));
  TG_TRY(
      tg_der_read_optional(&seq, TG_DER_CONTEXT(0), NULL, &present, "PrivateKeyInfo.attributes"));
  /* The optional publicKey is not compared: the private key determines it. */
  if (version == 1)
    TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT_PRIM(1), NULL, &present,
                                "OneAsymmetricKey.publicKey"));
  TG_TRY(tg_read_done(&seq, "PrivateKeyInfo"));
  if (is_rsa(type)) {
    TG_TRY(parse_rsa_private(inner, k, err));
    k->type = type;
    return TG_OK;
  }
  if (is_ec(type))
    return parse_sec1(inner, type, k, err);
  return parse_ed25519_private(inner, k, err);
}

/* AUTO: PKCS#8 has an AlgorithmIdentifier SEQUENCE second, SEC1 an OCTET STRING, PKCS#1 an
 * INTEGER (the modulus). */
static tg_key_format detect_format(tg_bytes der) {
  tg_reader r, seq;
  tg_der_elem version;
  tg_reader_init(&r, der.p, der.len, NULL);
  if (tg_der_read_seq(&r, &seq, "key") != TG_OK || tg_der_read_any(&seq, &version, "key"))
    return TG_KEY_FORMAT_PKCS8; /* let the PKCS#8 parser report what is wrong */
  if (tg_der_peek(&seq, TG_DER_OCTET_STRING))
    return TG_KEY_FORMAT_SEC1;
  if (tg_der_peek(&seq, TG_DER_INTEGER))
    return TG_KEY_FORMAT_PKCS1;
  return TG_KEY_FORMAT_PKCS8;
}

tg_status tg_private_key_from_der(tg_bytes der, tg_key_format format, tg_private_key **out,
                                  tg_err *err) {
  tg_private_key *k = alloc_key(sizeof *k, err);
  *out = NULL;
  if (k == NULL)
    return TG_E_NOMEM;
  if (format == TG_KEY_FORMAT_AUTO)
    format = detect_format(der);
  tg_status st = format == TG_KEY_FORMAT_PKCS1  ? parse_rsa_private(der, k, err)
                 : format == TG_KEY_FORMAT_SEC1 ? parse_sec1(der, TG_KEY_NONE, k, err)
                                                : parse_pkcs8(der, k, err);
  if (st != TG_OK) {
    tg_private_key_free(k);
    return st;
  }
  *out = k;
  return TG_OK;
}

/* ---- PEM ------------------------------------------------------------------------------------- */

static tg_status key_from_block(const tg_pem_block *b, tg_key_format format, tg_private_key **out,
                                tg_err *err) {
  tg_writer w;
  tg_writer_init_dynamic(&w, err);
  tg_status st = tg_pem_decode(b, &w, err);
  if (st == TG_OK)
    st = tg_private_key_from_der(tg_writer_bytes(&w), format, out, err);
  if (w.buf != NULL)
    memset(w.buf, 0, w.cap); /* the decoded key is secret */
  tg_writer_free(&w);
  return st;
}

tg_status tg_private_key_from_pem(tg_bytes text, tg_private_key **out, tg_err *err) {
  static const struct {
    const char *label;
    tg_key_format format;
  } labels[] = {{"PRIVATE KEY", TG_KEY_FORMAT_PKCS8},
                {"EC PRIVATE KEY", TG_KEY_FORMAT_SEC1},
                {"RSA PRIVATE KEY", TG_KEY_FORMAT_PKCS1}};
  tg_reader r;
  size_t line = 0;
  tg_pem_block b;
  bool found;
  *out = NULL;
  tg_reader_init(&r, text.p, text.len, err);
  for (;;) {
    TG_TRY(tg_pem_next(&r, &line, &b, &found, err));
    TG_ENSURE(err, found, decode_error, TG_E_BAD_VALUE,
              "PEM: no PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block");
    TG_ENSURE(err, !tg_pem_label_is(&b, "ENCRYPTED PRIVATE KEY"), illegal_parameter, TG_E_BAD_VALUE,
              "PEM line %zu: encrypted private keys are not supported", b.begin_line);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
      if (tg_pem_label_is(&b, labels[i].label))
        return key_from_block(&b, labels[i].format, out, err);
  }
}

tg_status tg_private_key_load(tg_bytes input, tg_private_key **out, tg_err *err) {
  static const char begin[] = "-----BEGIN ";
  for (size_t i = 0; i + sizeof begin - 1 <= input.len; i++)
    if (memcmp(input.p + i, begin, sizeof begin - 1) == 0)
      return tg_private_key_from_pem(input, out, err);
  return tg_private_key_from_der(input, TG_KEY_FORMAT_AUTO, out, err);
}

/* ---- From numbers, and public halves --------------------------------------------------------- */

tg_status tg_private_key_rsa(tg_bytes n, tg_bytes e, tg_bytes d, tg_bytes p, tg_bytes q,
                             tg_bytes dp, tg_bytes dq, tg_bytes qinv, tg_private_key **out,
                             tg_err *err) {
  tg_private_key *k = alloc_key(sizeof *k, err);
  *out = NULL;
  if (k == NULL)
    return TG_E_NOMEM;
  k->type = TG_KEY_RSA;
  tg_status st = rsa_private_init(k, n, e, d, p, q, dp, dq, qinv, err);
  if (st != TG_OK) {
    tg_private_key_free(k);
    return st;
  }
  *out = k;
  return TG_OK;
}

tg_status tg_public_key_rsa(tg_bytes n, tg_bytes e, tg_public_key **out, tg_err *err) {
  tg_public_key *k = alloc_key(sizeof *k, err);
  *out = NULL;
  if (k == NULL)
    return TG_E_NOMEM;
  k->type = TG_KEY_RSA;
  rsa_public_key_init(&k->rsa);
  set_mpz(k->rsa.n, n);
  set_mpz(k->rsa.e, e);
  tg_status st = rsa_pub_prepare(&k->rsa, err);
  if (st != TG_OK) {
    tg_public_key_free(k);
    return st;
  }
  *out = k;
  return TG_OK;
}

tg_status tg_private_key_public(const tg_private_key *key, tg_public_key **out, tg_err *err) {
  tg_public_key *k = alloc_key(sizeof *k, err);
  *out = NULL;
  if (k == NULL)
    return TG_E_NOMEM;
  k->type = key->type;
  if (is_rsa(key->type)) {
    rsa_public_key_init(&k->rsa);
    mpz_set(k->rsa.n, key->rsa_pub.n);
    mpz_set(k->rsa.e, key->rsa_pub.e);
    k->rsa.size = key->rsa_pub.size;
  } else if (is_ec(key->type)) {
    ecc_point_init(&k->ec, tg_ec_curve(key->type));
    ecc_point_mul_g(&k->ec, &key->ec);
  } else {
    memcpy(k->ed25519, key->ed25519_pub, ED25519_KEY_SIZE);
  }
  *out = k;
  return TG_OK;
}

/* RFC 5280 §4.1.2.7: SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
 * subjectPublicKey BIT STRING }. */
static tg_status parse_spki(tg_bytes der, tg_public_key *k, tg_err *err) {
  tg_reader r, seq;
  tg_key_type type;
  tg_bytes key;
  tg_reader_init(&r, der.p, der.len, err);
  TG_TRY(tg_der_read_seq(&r, &seq, "SubjectPublicKeyInfo"));
  TG_TRY(tg_read_done(&r, "SubjectPublicKeyInfo"));
  TG_TRY(parse_key_alg(&seq, "SubjectPublicKeyInfo.algorithm", &type, err));
  TG_TRY(tg_der_read_bit_octets(&seq, &key, "SubjectPublicKeyInfo.subjectPublicKey"));
  TG_TRY(tg_read_done(&seq, "SubjectPublicKeyInfo"));
  if (is_rsa(type)) {
    TG_TRY(parse_rsa_public(key, k, err)); /* initialises k->rsa first, so type may be set */
    k->type = type;
  } else if (is_ec(type)) {
    /* RFC 5480 §2.2: ECPoint; this engine takes the uncompressed form only. */
    TG_TRY(tg_ec_point_read(type, key, &k->ec, "SubjectPublicKeyInfo.subjectPublicKey", err));
    k->type = type;
  } else {
    /* RFC 8410 §4: the raw 32-byte public key. */
    TG_ENSURE(err, key.len == ED25519_KEY_SIZE, decode_error, TG_E_LENGTH,
              "SubjectPublicKeyInfo.subjectPublicKey has length %zu, Ed25519 needs 32", key.len);
    memcpy(k->ed25519, key.p, ED25519_KEY_SIZE);
    k->type = type;
  }
  return TG_OK;
}

tg_status tg_public_key_from_spki(tg_bytes spki, tg_public_key **out, tg_err *err) {
  tg_public_key *k = alloc_key(sizeof *k, err);
  *out = NULL;
  if (k == NULL)
    return TG_E_NOMEM;
  tg_status st = parse_spki(spki, k, err);
  if (st != TG_OK) {
    tg_public_key_free(k);
    return st;
  }
  *out = k;
  return TG_OK;
}
