/* Signature schemes (RFC 8446 §4.2.3) over nettle/hogweed. Each sign/verify hashes the whole
 * message with the scheme's hash (Ed25519 hashes inside nettle). A signature that does not
 * verify, malformed or not, is decrypt_error (RFC 8446 §4.4.3). */
#include <string.h>

#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <nettle/ecdsa.h>

#include "crypto/asym_internal.h"
#include "tg/der.h"
#include "tg/names.h"

static void digest_of(const tg_hash_desc *h, tg_bytes msg, uint8_t *out) {
  _Alignas(16) uint8_t ctx[TG_MAX_HASH_CTX];
  h->init(ctx);
  h->update(ctx, msg.p, msg.len);
  h->digest(ctx, out);
}

/* ---- ECDSA ----------------------------------------------------------------------------------- */

/* RFC 8446 §4.2.3: ECDSA signatures are DER Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
 * (RFC 3279 §2.2.3). */
static tg_status ecdsa_sign_(const tg_sig_scheme_desc *s, const tg_private_key *key,
                             const tg_rng *rng, tg_bytes msg, tg_writer *out, tg_err *err) {
  uint8_t digest[TG_MAX_HASH_LEN], rs[2][48], body[2 * (3 + 48)];
  size_t flen = tg_ec_field_len(key->type);
  struct dsa_signature sig;
  tg_writer w;
  digest_of(s->hash, msg, digest);
  dsa_signature_init(&sig);
  ecdsa_sign(&key->ec, (void *)rng, tg_nettle_random, s->hash->digest_len, digest, &sig);
  nettle_mpz_get_str_256(flen, rs[0], sig.r);
  nettle_mpz_get_str_256(flen, rs[1], sig.s);
  dsa_signature_clear(&sig);
  tg_writer_init(&w, body, sizeof body, err);
  tg_der_w_uint(&w, tg_bytes_of(rs[0], flen));
  tg_der_w_uint(&w, tg_bytes_of(rs[1], flen));
  TG_TRY(tg_writer_status(&w));
  tg_der_w_tlv(out, TG_DER_SEQUENCE, tg_writer_bytes(&w));
  return tg_writer_status(out);
}

static tg_status ecdsa_sig_parse(tg_bytes sig, size_t flen, tg_bytes *r, tg_bytes *s, tg_err *err) {
  tg_reader rd, seq;
  tg_reader_init(&rd, sig.p, sig.len, err);
  TG_TRY(tg_der_read_seq(&rd, &seq, "Ecdsa-Sig-Value"));
  TG_TRY(tg_read_done(&rd, "Ecdsa-Sig-Value"));
  TG_TRY(tg_der_read_uint(&seq, r, "Ecdsa-Sig-Value.r"));
  TG_TRY(tg_der_read_uint(&seq, s, "Ecdsa-Sig-Value.s"));
  TG_TRY(tg_read_done(&seq, "Ecdsa-Sig-Value"));
  TG_ENSURE(err, r->len <= flen && s->len <= flen, decode_error, TG_E_TOO_LARGE,
            "Ecdsa-Sig-Value.r or .s is longer than the curve order");
  return TG_OK;
}

static tg_status ecdsa_verify_(const tg_sig_scheme_desc *s, const tg_public_key *key, tg_bytes msg,
                               tg_bytes sig, tg_err *err) {
  uint8_t digest[TG_MAX_HASH_LEN];
  tg_bytes r, sv;
  TG_TRY(tg_der_remap(ecdsa_sig_parse(sig, tg_ec_field_len(key->type), &r, &sv, err), err,
                      TG_ALERT_decrypt_error));
  digest_of(s->hash, msg, digest);
  struct dsa_signature ds;
  dsa_signature_init(&ds);
  nettle_mpz_set_str_256_u(ds.r, r.len, r.p);
  nettle_mpz_set_str_256_u(ds.s, sv.len, sv.p);
  /* nettle rejects r or s outside [1, n-1]. */
  int ok = ecdsa_verify(&key->ec, s->hash->digest_len, digest, &ds);
  dsa_signature_clear(&ds);
  TG_ENSURE(err, ok, decrypt_error, TG_E_BAD_VALUE, "%s signature does not verify", s->name);
  return TG_OK;
}

/* ---- RSA ------------------------------------------------------------------------------------- */

/* The signature integer s as k octets (the modulus length), RFC 8017 §5.2.1 I2OSP. */
static tg_status rsa_emit(const struct rsa_public_key *pub, mpz_t sig, tg_writer *out) {
  uint8_t *p = tg_w_reserve(out, pub->size);
  if (p != NULL)
    nettle_mpz_get_str_256(pub->size, p, sig);
  return tg_writer_status(out);
}

/* RFC 8017 §8.1.2 and §8.2.2 step 1: the signature has exactly the modulus length. */
static tg_status rsa_read_sig(const tg_sig_scheme_desc *s, const struct rsa_public_key *pub,
                              tg_bytes sig, mpz_t out, tg_err *err) {
  TG_ENSURE(err, sig.len == pub->size, decrypt_error, TG_E_LENGTH,
            "%s signature has length %zu, the modulus %zu", s->name, sig.len, pub->size);
  nettle_mpz_set_str_256_u(out, sig.len, sig.p);
  return TG_OK;
}

typedef int pss_sign_fn(const struct rsa_public_key *, const struct rsa_private_key *, void *,
                        nettle_random_func *, size_t, const uint8_t *, const uint8_t *, mpz_t);
typedef int pss_verify_fn(const struct rsa_public_key *, size_t, const uint8_t *, const mpz_t);

static void pss_fns(const tg_hash_desc *h, pss_sign_fn **sign, pss_verify_fn **verify) {
  if (h->digest_len == 48) {
    *sign = rsa_pss_sha384_sign_digest_tr, *verify = rsa_pss_sha384_verify_digest;
  } else if (h->digest_len == 64) {
    *sign = rsa_pss_sha512_sign_digest_tr, *verify = rsa_pss_sha512_verify_digest;
  } else {
    *sign = rsa_pss_sha256_sign_digest_tr, *verify = rsa_pss_sha256_verify_digest;
  }
}

/* RFC 8446 §4.2.3: RSASSA-PSS with MGF1 over the same hash and a salt as long as the digest. */
static tg_status pss_sign_(const tg_sig_scheme_desc *s, const tg_private_key *key,
                           const tg_rng *rng, tg_bytes msg, tg_writer *out, tg_err *err) {
  uint8_t digest[TG_MAX_HASH_LEN], salt[TG_MAX_HASH_LEN];
  pss_sign_fn *sign;
  pss_verify_fn *verify;
  size_t hlen = s->hash->digest_len;
  pss_fns(s->hash, &sign, &verify);
  digest_of(s->hash, msg, digest);
  rng->fill(rng->ctx, salt, hlen);
  mpz_t sig;
  mpz_init(sig);
  int ok = sign(&key->rsa_pub, &key->rsa, (void *)rng, tg_nettle_random, hlen, salt, digest, sig);
  tg_status st = ok ? rsa_emit(&key->rsa_pub, sig, out)
                    : TG_FAIL(err, internal_error, TG_E_INTERNAL,
                              "%s: the %zu-bit key is too small for this scheme", s->name,
                              mpz_sizeinbase(key->rsa_pub.n, 2));
  mpz_clear(sig);
  return st;
}

static tg_status pss_verify_(const tg_sig_scheme_desc *s, const tg_public_key *key, tg_bytes msg,
                             tg_bytes sig, tg_err *err) {
  uint8_t digest[TG_MAX_HASH_LEN];
  pss_sign_fn *sign;
  pss_verify_fn *verify;
  pss_fns(s->hash, &sign, &verify);
  mpz_t m;
  mpz_init(m);
  tg_status st = rsa_read_sig(s, &key->rsa, sig, m, err);
  if (st == TG_OK) {
    digest_of(s->hash, msg, digest);
    if (!verify(&key->rsa, s->hash->digest_len, digest, m))
      st = TG_FAIL(err, decrypt_error, TG_E_BAD_VALUE, "%s signature does not verify", s->name);
  }
  mpz_clear(m);
  return st;
}

/* RFC 8017 §9.2: DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET
 * STRING }, the algorithm's parameters NULL (RFC 8017 A.2.4). */
static size_t digest_info(const tg_hash_desc *h, tg_bytes msg, uint8_t *out, size_t cap) {
  const tg_oid *oid = h->digest_len == 48   ? &TG_OID_sha384
                      : h->digest_len == 64 ? &TG_OID_sha512
                                            : &TG_OID_sha256;
  uint8_t digest[TG_MAX_HASH_LEN], alg[32], body[128];
  static const uint8_t null[] = {TG_DER_NULL, 0};
  tg_writer a, b, w;
  digest_of(h, msg, digest);
  tg_writer_init(&a, alg, sizeof alg, NULL);
  tg_der_w_tlv(&a, TG_DER_OID, tg_bytes_of(oid->der, oid->len));
  tg_w_bytes(&a, null, sizeof null);
  tg_writer_init(&b, body, sizeof body, NULL);
  tg_der_w_tlv(&b, TG_DER_SEQUENCE, tg_writer_bytes(&a));
  tg_der_w_tlv(&b, TG_DER_OCTET_STRING, tg_bytes_of(digest, h->digest_len));
  tg_writer_init(&w, out, cap, NULL);
  tg_der_w_tlv(&w, TG_DER_SEQUENCE, tg_writer_bytes(&b));
  return w.len; /* the buffers are sized for SHA-512; these writes cannot fail */
}

static tg_status pkcs1_sign_(const tg_sig_scheme_desc *s, const tg_private_key *key,
                             const tg_rng *rng, tg_bytes msg, tg_writer *out, tg_err *err) {
  uint8_t info[128];
  size_t len = digest_info(s->hash, msg, info, sizeof info);
  mpz_t sig;
  mpz_init(sig);
  int ok =
      rsa_pkcs1_sign_tr(&key->rsa_pub, &key->rsa, (void *)rng, tg_nettle_random, len, info, sig);
  tg_status st = ok ? rsa_emit(&key->rsa_pub, sig, out)
                    : TG_FAIL(err, internal_error, TG_E_INTERNAL, "%s signing failed", s->name);
  mpz_clear(sig);
  return st;
}

static tg_status pkcs1_verify_(const tg_sig_scheme_desc *s, const tg_public_key *key, tg_bytes msg,
                               tg_bytes sig, tg_err *err) {
  uint8_t info[128];
  size_t len = digest_info(s->hash, msg, info, sizeof info);
  mpz_t m;
  mpz_init(m);
  tg_status st = rsa_read_sig(s, &key->rsa, sig, m, err);
  if (st == TG_OK && !rsa_pkcs1_verify(&key->rsa, len, info, m))
    st = TG_FAIL(err, decrypt_error, TG_E_BAD_VALUE, "%s signature does not verify", s->name);
  mpz_clear(m);
  return st;
}

/* ---- Ed25519 --------------------------------------------------------------------------------- */

static tg_status ed25519_sign_(const tg_sig_scheme_desc *s, const tg_private_key *key,
                               const tg_rng *rng, tg_bytes msg, tg_writer *out, tg_err *err) {
  (void)s, (void)rng, (void)err; /* RFC 8032 signatures are deterministic */
  uint8_t *p = tg_w_reserve(out, ED25519_SIGNATURE_SIZE);
  if (p != NULL)
    ed25519_sha512_sign(key->ed25519_pub, key->ed25519, msg.len, msg.p, p);
  return tg_writer_status(out);
}

static tg_status ed25519_verify_(const tg_sig_scheme_desc *s, const tg_public_key *key,
                                 tg_bytes msg, tg_bytes sig, tg_err *err) {
  TG_ENSURE(err, sig.len == ED25519_SIGNATURE_SIZE, decrypt_error, TG_E_LENGTH,
            "%s signature has length %zu, not 64", s->name, sig.len);
  TG_ENSURE(err, ed25519_sha512_verify(key->ed25519, msg.len, msg.p, sig.p), decrypt_error,
            TG_E_BAD_VALUE, "%s signature does not verify", s->name);
  return TG_OK;
}

/* ---- The table ------------------------------------------------------------------------------- */

const tg_sig_scheme_desc tg_ecdsa_secp256r1_sha256 = {
    0x0403, "ecdsa_secp256r1_sha256", TG_KEY_EC_P256, &tg_sha256, true, ecdsa_sign_, ecdsa_verify_};
const tg_sig_scheme_desc tg_ecdsa_secp384r1_sha384 = {
    0x0503, "ecdsa_secp384r1_sha384", TG_KEY_EC_P384, &tg_sha384, true, ecdsa_sign_, ecdsa_verify_};
const tg_sig_scheme_desc tg_rsa_pss_rsae_sha256 = {
    0x0804, "rsa_pss_rsae_sha256", TG_KEY_RSA, &tg_sha256, true, pss_sign_, pss_verify_};
const tg_sig_scheme_desc tg_rsa_pss_rsae_sha384 = {
    0x0805, "rsa_pss_rsae_sha384", TG_KEY_RSA, &tg_sha384, true, pss_sign_, pss_verify_};
const tg_sig_scheme_desc tg_rsa_pss_rsae_sha512 = {
    0x0806, "rsa_pss_rsae_sha512", TG_KEY_RSA, &tg_sha512, true, pss_sign_, pss_verify_};
const tg_sig_scheme_desc tg_ed25519 = {0x0807, "ed25519",     TG_KEY_ED25519, NULL,
                                       true,   ed25519_sign_, ed25519_verify_};
const tg_sig_scheme_desc tg_rsa_pss_pss_sha256 = {
    0x0809, "rsa_pss_pss_sha256", TG_KEY_RSA_PSS, &tg_sha256, true, pss_sign_, pss_verify_};
const tg_sig_scheme_desc tg_rsa_pss_pss_sha384 = {
    0x080a, "rsa_pss_pss_sha384", TG_KEY_RSA_PSS, &tg_sha384, true, pss_sign_, pss_verify_};
const tg_sig_scheme_desc tg_rsa_pss_pss_sha512 = {
    0x080b, "rsa_pss_pss_sha512", TG_KEY_RSA_PSS, &tg_sha512, true, pss_sign_, pss_verify_};
/* RFC 8446 §4.2.3: rsa_pkcs1_* only for signatures in certificates, never in CertificateVerify. */
const tg_sig_scheme_desc tg_rsa_pkcs1_sha256 = {
    0x0401, "rsa_pkcs1_sha256", TG_KEY_RSA, &tg_sha256, false, pkcs1_sign_, pkcs1_verify_};
const tg_sig_scheme_desc tg_rsa_pkcs1_sha384 = {
    0x0501, "rsa_pkcs1_sha384", TG_KEY_RSA, &tg_sha384, false, pkcs1_sign_, pkcs1_verify_};
const tg_sig_scheme_desc tg_rsa_pkcs1_sha512 = {
    0x0601, "rsa_pkcs1_sha512", TG_KEY_RSA, &tg_sha512, false, pkcs1_sign_, pkcs1_verify_};

static const tg_sig_scheme_desc *const all_schemes[] = {
    &tg_ecdsa_secp256r1_sha256, &tg_ecdsa_secp384r1_sha384, &tg_rsa_pss_rsae_sha256,
    &tg_rsa_pss_rsae_sha384,    &tg_rsa_pss_rsae_sha512,    &tg_ed25519,
    &tg_rsa_pss_pss_sha256,     &tg_rsa_pss_pss_sha384,     &tg_rsa_pss_pss_sha512,
    &tg_rsa_pkcs1_sha256,       &tg_rsa_pkcs1_sha384,       &tg_rsa_pkcs1_sha512};

const tg_sig_scheme_desc *tg_sig_scheme_find(uint16_t scheme) {
  for (size_t i = 0; i < sizeof all_schemes / sizeof all_schemes[0]; i++)
    if (all_schemes[i]->scheme == scheme)
      return all_schemes[i];
  return NULL;
}

tg_status tg_sig_sign(const tg_sig_scheme_desc *s, const tg_private_key *key, const tg_rng *rng,
                      tg_bytes msg, tg_writer *sig, tg_err *err) {
  TG_ENSURE(err, key->type == s->key_type, internal_error, TG_E_USAGE, "%s needs a %s key, not %s",
            s->name, tg_key_type_name(s->key_type), tg_key_type_name(key->type));
  TG_ENSURE(err, rng != NULL && rng->fill != NULL, internal_error, TG_E_USAGE,
            "%s signing needs an RNG", s->name);
  return s->sign(s, key, rng, msg, sig, err);
}

tg_status tg_sig_verify(const tg_sig_scheme_desc *s, const tg_public_key *key, tg_bytes msg,
                        tg_bytes sig, tg_err *err) {
  /* RFC 8446 §4.4.2.2: the scheme must be usable with the certificate's key. */
  TG_ENSURE(err, key->type == s->key_type, illegal_parameter, TG_E_BAD_VALUE,
            "%s needs a %s key, the certificate has %s", s->name, tg_key_type_name(s->key_type),
            tg_key_type_name(key->type));
  return s->verify(s, key, msg, sig, err);
}

tg_status tg_sig_scheme_for_tls13(uint16_t scheme, const tg_sig_scheme_desc **out, tg_err *err) {
  const tg_sig_scheme_desc *s = tg_sig_scheme_find(scheme);
  const char *name = tg_sig_scheme_name(scheme);
  *out = NULL;
  TG_ENSURE(err, s != NULL, illegal_parameter, TG_E_BAD_VALUE,
            "CertificateVerify.algorithm %s (0x%04x) is not supported", name ? name : "unknown",
            scheme);
  /* RFC 8446 §4.4.3: RSASSA-PKCS1-v1_5 MUST NOT be used in CertificateVerify. */
  TG_ENSURE(err, s->tls13_ok, illegal_parameter, TG_E_BAD_VALUE,
            "CertificateVerify.algorithm %s is not allowed in TLS 1.3", s->name);
  *out = s;
  return TG_OK;
}
