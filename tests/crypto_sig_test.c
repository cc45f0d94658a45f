/* Signature schemes and keys: RFC 8448 CertificateVerify signatures (RSA-PSS and ECDSA, keys
 * from the RFC's numbers and from the certificates' SPKI), RFC 8032 Ed25519, keys made and
 * signatures made by openssl (vectors/keys, scripts/gen-test-keys), and malformed keys. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/der.h"
#include "tg/pem.h"
#include "tg/sig.h"

#define VEC TG_SOURCE_DIR "/vectors/rfc8448/"
#define KEYS TG_SOURCE_DIR "/vectors/keys/"

static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = 0;
  unsigned v;
  while (*hex && sscanf(hex, "%2x", &v) == 1) {
    cr_assert_lt(n, cap);
    out[n++] = (uint8_t)v;
    hex += 2;
  }
  return n;
}

static size_t read_file(const char *path, uint8_t *out, size_t cap) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  size_t n = fread(out, 1, cap, f);
  cr_assert_lt(n, cap, "%s is larger than the buffer", path);
  fclose(f);
  return n;
}

/* A .hex file appended to out at *len. */
static void hex_file(const char *path, uint8_t *out, size_t cap, size_t *len) {
  static char text[16384];
  size_t n = read_file(path, (uint8_t *)text, sizeof text - 1);
  text[n] = 0;
  *len += unhex(text, out + *len, cap - *len);
}

static void test_fill(void *ctx, uint8_t *out, size_t len) {
  uint64_t *s = ctx;
  for (size_t i = 0; i < len; i++) {
    *s ^= *s >> 12, *s ^= *s << 25, *s ^= *s >> 27;
    out[i] = (uint8_t)((*s * 0x2545F4914F6CDD1DULL) >> 56);
  }
}

/* ---- RFC 8448 -------------------------------------------------------------------------------- */

static tg_private_key *rfc8448_rsa_key(void) {
  static const char *const names[] = {"modulus",   "public_exponent", "private_exponent",
                                      "prime1",    "prime2",          "exponent1",
                                      "exponent2", "coefficient"};
  static uint8_t buf[8][256];
  tg_bytes v[8];
  for (size_t i = 0; i < 8; i++) {
    char path[512];
    size_t len = 0;
    snprintf(path, sizeof path, VEC "rsa_%s.hex", names[i]);
    hex_file(path, buf[i], sizeof buf[i], &len);
    v[i] = tg_bytes_of(buf[i], len);
  }
  tg_private_key *key;
  tg_err err = {0};
  cr_assert_eq(tg_private_key_rsa(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], &key, &err),
               TG_OK, "%s", err.what);
  return key;
}

/* RFC 8446 §4.4.3: 64 spaces, the context string, a 0 byte, then the transcript hash over the
 * listed handshake message files of dir. */
static size_t cv_content(const char *dir, const char *context, const char *const *msgs,
                         uint8_t *out) {
  static uint8_t transcript[16384];
  size_t len = 0;
  for (size_t i = 0; msgs[i] != NULL; i++) {
    char path[512];
    snprintf(path, sizeof path, VEC "%s/%s.hex", dir, msgs[i]);
    hex_file(path, transcript, sizeof transcript, &len);
  }
  memset(out, 0x20, 64);
  memcpy(out + 64, context, strlen(context) + 1);
  tg_hash(&tg_sha256, tg_bytes_of(transcript, len), out + 64 + strlen(context) + 1);
  return 64 + strlen(context) + 1 + 32;
}

/* CertificateVerify { SignatureScheme algorithm; opaque signature<0..2^16-1>; } with its
 * handshake header, RFC 8446 §4.4.3. */
static uint16_t cv_parse(const char *dir, const char *file, uint8_t *msg, tg_bytes *sig) {
  char path[512];
  size_t len = 0;
  tg_reader r, s;
  uint8_t type;
  uint32_t length;
  uint16_t scheme;
  snprintf(path, sizeof path, VEC "%s/%s.hex", dir, file);
  hex_file(path, msg, 1024, &len);
  tg_reader_init(&r, msg, len, NULL);
  cr_assert_eq(tg_read_u8(&r, &type, "type"), TG_OK);
  cr_assert_eq(type, 15);
  cr_assert_eq(tg_read_u24(&r, &length, "length"), TG_OK);
  cr_assert_eq(tg_read_u16(&r, &scheme, "algorithm"), TG_OK);
  cr_assert_eq(tg_read_vec(&r, 2, 0, 65535, &s, "signature"), TG_OK);
  *sig = tg_reader_rest(&s);
  return scheme;
}

/* The subjectPublicKeyInfo of the first certificate of a Certificate message file, found by
 * walking the DER (RFC 5280 §4.1). */
static tg_bytes cert_spki(const char *dir, const char *file, uint8_t *msg) {
  char path[512];
  size_t len = 0;
  tg_reader r, ctx, list, cert, c, tbs;
  tg_der_elem e;
  bool present;
  uint8_t type;
  uint32_t length;
  snprintf(path, sizeof path, VEC "%s/%s.hex", dir, file);
  hex_file(path, msg, 4096, &len);
  tg_reader_init(&r, msg, len, NULL);
  cr_assert_eq(tg_read_u8(&r, &type, "type"), TG_OK);
  cr_assert_eq(tg_read_u24(&r, &length, "length"), TG_OK);
  cr_assert_eq(tg_read_vec(&r, 1, 0, 255, &ctx, "certificate_request_context"), TG_OK);
  cr_assert_eq(tg_read_vec(&r, 3, 0, 1 << 24, &list, "certificate_list"), TG_OK);
  cr_assert_eq(tg_read_vec(&list, 3, 1, 1 << 24, &cert, "cert_data"), TG_OK);
  cr_assert_eq(tg_der_read_seq(&cert, &c, "Certificate"), TG_OK);
  cr_assert_eq(tg_der_read_seq(&c, &tbs, "tbsCertificate"), TG_OK);
  cr_assert_eq(tg_der_read_optional(&tbs, TG_DER_CONTEXT(0), NULL, &present, "version"), TG_OK);
  cr_assert_eq(tg_der_read_any(&tbs, &e, "serialNumber"), TG_OK);
  for (int i = 0; i < 4; i++) /* signature, issuer, validity, subject */
    cr_assert_eq(tg_der_read_seq(&tbs, NULL, "tbsCertificate field"), TG_OK);
  cr_assert_eq(tg_der_read_any(&tbs, &e, "subjectPublicKeyInfo"), TG_OK);
  return e.raw;
}

static const char *const sec3_server_cv_transcript[] = {
    "client_hello", "server_hello", "encrypted_extensions", "certificate", NULL};

Test(sig, rfc8448_sec3_server_certificate_verify) {
  static uint8_t msg[1024], content[256];
  tg_bytes sig;
  uint16_t scheme = cv_parse("sec3-simple-1rtt", "certificate_verify", msg, &sig);
  cr_assert_eq(scheme, 0x0804);
  const tg_sig_scheme_desc *s;
  tg_err err = {0};
  cr_assert_eq(tg_sig_scheme_for_tls13(scheme, &s, &err), TG_OK);
  cr_assert_eq(s, &tg_rsa_pss_rsae_sha256);
  size_t n = cv_content("sec3-simple-1rtt", "TLS 1.3, server CertificateVerify",
                        sec3_server_cv_transcript, content);
  tg_private_key *key = rfc8448_rsa_key();
  tg_public_key *pub;
  cr_assert_eq(tg_private_key_public(key, &pub, &err), TG_OK);
  cr_assert_eq(tg_public_key_bits(pub), 1024);
  cr_assert_eq(tg_sig_verify(s, pub, tg_bytes_of(content, n), sig, &err), TG_OK, "%s", err.what);
  /* The same key, taken from the server's certificate. */
  static uint8_t cert[4096];
  tg_public_key *from_cert;
  cr_assert_eq(
      tg_public_key_from_spki(cert_spki("sec3-simple-1rtt", "certificate", cert), &from_cert, &err),
      TG_OK, "%s", err.what);
  cr_assert_eq(tg_sig_verify(s, from_cert, tg_bytes_of(content, n), sig, &err), TG_OK, "%s",
               err.what);
  tg_public_key_free(from_cert);
  tg_public_key_free(pub);
  tg_private_key_free(key);
}

Test(sig, rfc8448_sec3_flipped_bits_are_decrypt_error) {
  static uint8_t msg[1024], content[256];
  tg_bytes sig;
  (void)cv_parse("sec3-simple-1rtt", "certificate_verify", msg, &sig);
  size_t n = cv_content("sec3-simple-1rtt", "TLS 1.3, server CertificateVerify",
                        sec3_server_cv_transcript, content);
  tg_private_key *key = rfc8448_rsa_key();
  tg_public_key *pub;
  tg_err err = {0};
  cr_assert_eq(tg_private_key_public(key, &pub, &err), TG_OK);
  uint8_t *bad = (uint8_t *)sig.p;
  for (size_t bit = 0; bit < 8 * sig.len; bit += 97) {
    tg_err e = {0};
    bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    cr_expect_eq(tg_sig_verify(&tg_rsa_pss_rsae_sha256, pub, tg_bytes_of(content, n), sig, &e),
                 TG_E_BAD_VALUE, "signature bit %zu", bit);
    cr_expect_eq(e.alert, TG_ALERT_decrypt_error);
    bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
  }
  content[n - 1] ^= 1; /* another transcript */
  cr_expect_eq(tg_sig_verify(&tg_rsa_pss_rsae_sha256, pub, tg_bytes_of(content, n), sig, &err),
               TG_E_BAD_VALUE);
  cr_expect_eq(err.alert, TG_ALERT_decrypt_error);
  tg_err e = {0};
  cr_expect_eq(tg_sig_verify(&tg_rsa_pss_rsae_sha256, pub, tg_bytes_of(content, n),
                             tg_bytes_of(sig.p, sig.len - 1), &e),
               TG_E_LENGTH, "a signature shorter than the modulus");
  cr_expect_eq(e.alert, TG_ALERT_decrypt_error);
  tg_public_key_free(pub);
  tg_private_key_free(key);
}

Test(sig, rfc8448_rsa_key_signs_and_verifies) {
  static const tg_sig_scheme_desc *const schemes[] = {&tg_rsa_pss_rsae_sha256,
                                                      &tg_rsa_pss_rsae_sha384, &tg_rsa_pkcs1_sha256,
                                                      &tg_rsa_pkcs1_sha384, &tg_rsa_pkcs1_sha512};
  tg_private_key *key = rfc8448_rsa_key();
  tg_public_key *pub;
  tg_err err = {0};
  uint64_t seed = 42;
  tg_rng rng = {test_fill, &seed};
  cr_assert_eq(tg_private_key_public(key, &pub, &err), TG_OK);
  for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
    uint8_t buf[512];
    tg_writer w;
    tg_writer_init(&w, buf, sizeof buf, &err);
    tg_bytes msg = tg_bytes_of("hello", 5);
    cr_assert_eq(tg_sig_sign(schemes[i], key, &rng, msg, &w, &err), TG_OK, "%s: %s",
                 schemes[i]->name, err.what);
    cr_assert_eq(w.len, 128, "%s: a signature is as long as the modulus", schemes[i]->name);
    cr_assert_eq(tg_sig_verify(schemes[i], pub, msg, tg_writer_bytes(&w), &err), TG_OK, "%s: %s",
                 schemes[i]->name, err.what);
    tg_err e = {0};
    cr_assert_eq(tg_sig_verify(schemes[i], pub, tg_bytes_of("hellO", 5), tg_writer_bytes(&w), &e),
                 TG_E_BAD_VALUE, "%s verifies another message", schemes[i]->name);
  }
  /* RFC 8017 §9.1.1: emLen >= hLen + sLen + 2, so PSS-SHA-512 needs more than 1024 bits. */
  uint8_t buf[512];
  tg_writer w;
  tg_writer_init(&w, buf, sizeof buf, &err);
  cr_assert_eq(tg_sig_sign(&tg_rsa_pss_rsae_sha512, key, &rng, tg_bytes_of("x", 1), &w, &err),
               TG_E_INTERNAL);
  tg_public_key_free(pub);
  tg_private_key_free(key);
}

Test(sig, rfc8448_sec6_client_rsa_certificate_verify) {
  static const char *const transcript[] = {
      "client_hello",        "server_hello",       "encrypted_extensions",
      "certificate_request", "certificate",        "certificate_verify",
      "server_finished",     "client_certificate", NULL};
  static uint8_t msg[1024], content[256], cert[4096];
  tg_bytes sig;
  tg_err err = {0};
  uint16_t scheme = cv_parse("sec6-client-auth", "client_certificate_verify", msg, &sig);
  cr_assert_eq(scheme, 0x0804);
  size_t n =
      cv_content("sec6-client-auth", "TLS 1.3, client CertificateVerify", transcript, content);
  tg_public_key *pub;
  cr_assert_eq(tg_public_key_from_spki(cert_spki("sec6-client-auth", "client_certificate", cert),
                                       &pub, &err),
               TG_OK, "%s", err.what);
  cr_assert_eq(tg_public_key_type(pub), TG_KEY_RSA);
  cr_assert_eq(tg_sig_verify(tg_sig_scheme_find(scheme), pub, tg_bytes_of(content, n), sig, &err),
               TG_OK, "%s", err.what);
  tg_public_key_free(pub);
}

Test(sig, rfc8448_sec6_server_ecdsa_certificate_verify) {
  static const char *const transcript[] = {"client_hello",         "server_hello",
                                           "encrypted_extensions", "certificate_request",
                                           "certificate",          NULL};
  static uint8_t msg[1024], content[256], cert[4096];
  tg_bytes sig;
  tg_err err = {0};
  uint16_t scheme = cv_parse("sec6-client-auth", "certificate_verify", msg, &sig);
  cr_assert_eq(scheme, 0x0403);
  size_t n =
      cv_content("sec6-client-auth", "TLS 1.3, server CertificateVerify", transcript, content);
  tg_public_key *pub;
  cr_assert_eq(
      tg_public_key_from_spki(cert_spki("sec6-client-auth", "certificate", cert), &pub, &err),
      TG_OK, "%s", err.what);
  cr_assert_eq(tg_public_key_type(pub), TG_KEY_EC_P256);
  const tg_sig_scheme_desc *s = tg_sig_scheme_find(scheme);
  cr_assert_eq(tg_sig_verify(s, pub, tg_bytes_of(content, n), sig, &err), TG_OK, "%s", err.what);
  content[70] ^= 1;
  cr_assert_eq(tg_sig_verify(s, pub, tg_bytes_of(content, n), sig, &err), TG_E_BAD_VALUE);
  cr_assert_eq(err.alert, TG_ALERT_decrypt_error);
  content[70] ^= 1;
  /* A malformed Ecdsa-Sig-Value is decrypt_error too, not decode_error. */
  uint8_t longer[128];
  memcpy(longer, sig.p, sig.len);
  longer[sig.len] = 0;
  tg_err e = {0};
  cr_assert_eq(tg_sig_verify(s, pub, tg_bytes_of(content, n), tg_bytes_of(longer, sig.len + 1), &e),
               TG_E_TRAILING);
  cr_assert_eq(e.alert, TG_ALERT_decrypt_error);
  /* rsa_pss with an EC certificate: the scheme does not fit the key. */
  e = (tg_err){0};
  cr_assert_eq(tg_sig_verify(&tg_rsa_pss_rsae_sha256, pub, tg_bytes_of(content, n), sig, &e),
               TG_E_BAD_VALUE);
  cr_assert_eq(e.alert, TG_ALERT_illegal_parameter);
  tg_public_key_free(pub);
}

/* ---- Scheme table ---------------------------------------------------------------------------- */

Test(sig, tls13_refuses_pkcs1_and_unknown) {
  static const uint16_t refused[] = {0x0401, 0x0501, 0x0601, 0x0201, 0x0203, 0x0603, 0x1234};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    const tg_sig_scheme_desc *s = (void *)1;
    tg_err err = {0};
    cr_expect_eq(tg_sig_scheme_for_tls13(refused[i], &s, &err), TG_E_BAD_VALUE, "0x%04x",
                 refused[i]);
    cr_expect_eq(err.alert, TG_ALERT_illegal_parameter);
    cr_expect_null(s);
  }
  static const uint16_t allowed[] = {0x0403, 0x0503, 0x0804, 0x0805, 0x0806,
                                     0x0807, 0x0809, 0x080a, 0x080b};
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
    const tg_sig_scheme_desc *s;
    tg_err err = {0};
    cr_expect_eq(tg_sig_scheme_for_tls13(allowed[i], &s, &err), TG_OK, "0x%04x", allowed[i]);
    cr_expect_eq(s->scheme, allowed[i]);
  }
  cr_assert_not_null(tg_sig_scheme_find(0x0401), "pkcs1 exists for certificates");
  cr_assert(!tg_sig_scheme_find(0x0401)->tls13_ok);
}

/* ---- Ed25519, RFC 8032 §7.1 ------------------------------------------------------------------ */

Test(sig, ed25519_rfc8032_tests_1_and_2) {
  static const char *const rows[][4] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
       "1cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
       "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"}};
  for (size_t i = 0; i < 2; i++) {
    /* RFC 8410 §7 PKCS#8 and §4 SubjectPublicKeyInfo around the raw keys. */
    uint8_t pkcs8[48] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                         0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    uint8_t spki[44] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    uint8_t msg[8], want[64], got[64];
    unhex(rows[i][0], pkcs8 + 16, 32);
    unhex(rows[i][1], spki + 12, 32);
    size_t msg_len = unhex(rows[i][2], msg, sizeof msg);
    unhex(rows[i][3], want, 64);
    tg_private_key *key;
    tg_public_key *pub;
    tg_err err = {0};
    tg_writer w;
    cr_assert_eq(tg_private_key_from_der(tg_bytes_of(pkcs8, 48), TG_KEY_FORMAT_AUTO, &key, &err),
                 TG_OK, "%s", err.what);
    cr_assert_eq(tg_public_key_from_spki(tg_bytes_of(spki, 44), &pub, &err), TG_OK, "%s", err.what);
    tg_writer_init(&w, got, sizeof got, &err);
    cr_assert_eq(tg_sig_sign(&tg_ed25519, key, &(tg_rng){test_fill, &(uint64_t){1}},
                             tg_bytes_of(msg, msg_len), &w, &err),
                 TG_OK, "%s", err.what);
    cr_assert_arr_eq(got, want, 64, "test %zu: signature", i + 1);
    cr_assert_eq(
        tg_sig_verify(&tg_ed25519, pub, tg_bytes_of(msg, msg_len), tg_bytes_of(want, 64), &err),
        TG_OK, "%s", err.what);
    want[63] ^= 0x40;
    cr_assert_eq(
        tg_sig_verify(&tg_ed25519, pub, tg_bytes_of(msg, msg_len), tg_bytes_of(want, 64), &err),
        TG_E_BAD_VALUE);
    cr_assert_eq(err.alert, TG_ALERT_decrypt_error);
    tg_private_key_free(key);
    tg_public_key_free(pub);
  }
}

/* ---- Keys made by openssl -------------------------------------------------------------------- */

static tg_private_key *load_key(const char *name) {
  static uint8_t text[8192];
  char path[512];
  snprintf(path, sizeof path, KEYS "%s", name);
  size_t n = read_file(path, text, sizeof text);
  uint8_t *exact = malloc(n);
  memcpy(exact, text, n);
  tg_private_key *key;
  tg_err err = {0};
  cr_assert_eq(tg_private_key_load(tg_bytes_of(exact, n), &key, &err), TG_OK, "%s: %s", name,
               err.what);
  free(exact);
  return key;
}

static tg_public_key *load_spki(const char *name) {
  static uint8_t der[1024];
  char path[512];
  snprintf(path, sizeof path, KEYS "%s.spki.der", name);
  size_t n = read_file(path, der, sizeof der);
  tg_public_key *pub;
  tg_err err = {0};
  cr_assert_eq(tg_public_key_from_spki(tg_bytes_of(der, n), &pub, &err), TG_OK, "%s: %s", name,
               err.what);
  return pub;
}

static const struct key_row {
  const char *file, *spki;
  tg_key_type type;
  const tg_sig_scheme_desc *scheme;
} key_rows[] = {
    {"rsa2048.pkcs1.pem", "rsa2048", TG_KEY_RSA, &tg_rsa_pss_rsae_sha256},
    {"rsa2048.pkcs8.pem", "rsa2048", TG_KEY_RSA, &tg_rsa_pss_rsae_sha512},
    {"rsa2048.pkcs8.der", "rsa2048", TG_KEY_RSA, &tg_rsa_pkcs1_sha384},
    {"rsapss2048.pkcs8.pem", "rsapss2048", TG_KEY_RSA_PSS, &tg_rsa_pss_pss_sha256},
    {"rsapss2048.pkcs8.der", "rsapss2048", TG_KEY_RSA_PSS, &tg_rsa_pss_pss_sha512},
    {"p256.sec1.pem", "p256", TG_KEY_EC_P256, &tg_ecdsa_secp256r1_sha256},
    {"p256.pkcs8.pem", "p256", TG_KEY_EC_P256, &tg_ecdsa_secp256r1_sha256},
    {"p384.sec1.pem", "p384", TG_KEY_EC_P384, &tg_ecdsa_secp384r1_sha384},
    {"p384.pkcs8.der", "p384", TG_KEY_EC_P384, &tg_ecdsa_secp384r1_sha384},
    {"ed25519.pkcs8.pem", "ed25519", TG_KEY_ED25519, &tg_ed25519},
};

/* Our signature verifies under openssl's public key: the private key was read right. */
Test(sig, openssl_keys_load_sign_and_verify) {
  uint64_t seed = 9;
  tg_rng rng = {test_fill, &seed};
  for (size_t i = 0; i < sizeof key_rows / sizeof key_rows[0]; i++) {
    const struct key_row *k = &key_rows[i];
    tg_private_key *key = load_key(k->file);
    tg_public_key *pub = load_spki(k->spki), *derived;
    tg_err err = {0};
    cr_assert_eq(tg_private_key_type(key), k->type, "%s", k->file);
    cr_assert_eq(tg_public_key_type(pub), k->type, "%s", k->file);
    cr_assert_eq(tg_private_key_public(key, &derived, &err), TG_OK);
    tg_writer w;
    tg_writer_init_dynamic(&w, &err);
    tg_bytes msg = tg_bytes_of("tlsgauntlet", 11);
    cr_assert_eq(tg_sig_sign(k->scheme, key, &rng, msg, &w, &err), TG_OK, "%s: %s", k->file,
                 err.what);
    cr_assert_eq(tg_sig_verify(k->scheme, pub, msg, tg_writer_bytes(&w), &err), TG_OK, "%s: %s",
                 k->file, err.what);
    cr_assert_eq(tg_sig_verify(k->scheme, derived, msg, tg_writer_bytes(&w), &err), TG_OK, "%s",
                 k->file);
    tg_writer_free(&w);
    tg_public_key_free(derived);
    tg_public_key_free(pub);
    tg_private_key_free(key);
  }
}

Test(sig, openssl_signatures_verify) {
  static const struct {
    const char *key, *sig;
    const tg_sig_scheme_desc *scheme;
  } rows[] = {
      {"rsa2048", "rsa2048.sig", &tg_rsa_pss_rsae_sha256},
      {"rsa2048", "rsa2048.pkcs1v15.sig", &tg_rsa_pkcs1_sha256},
      {"p256", "p256.sig", &tg_ecdsa_secp256r1_sha256},
      {"p384", "p384.sig", &tg_ecdsa_secp384r1_sha384},
      {"ed25519", "ed25519.sig", &tg_ed25519},
  };
  static uint8_t msg[256], sig[1024];
  size_t msg_len = read_file(KEYS "message.txt", msg, sizeof msg);
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char path[512];
    snprintf(path, sizeof path, KEYS "%s", rows[i].sig);
    size_t sig_len = read_file(path, sig, sizeof sig);
    tg_public_key *pub = load_spki(rows[i].key);
    tg_err err = {0};
    cr_expect_eq(tg_sig_verify(rows[i].scheme, pub, tg_bytes_of(msg, msg_len),
                               tg_bytes_of(sig, sig_len), &err),
                 TG_OK, "%s: %s", rows[i].sig, err.what);
    err = (tg_err){0};
    cr_expect_eq(tg_sig_verify(rows[i].scheme, pub, tg_bytes_of(msg, msg_len - 1),
                               tg_bytes_of(sig, sig_len), &err),
                 TG_E_BAD_VALUE, "%s verifies a shorter message", rows[i].sig);
    cr_expect_eq(err.alert, TG_ALERT_decrypt_error);
    tg_public_key_free(pub);
  }
}

Test(sig, sign_with_wrong_key_type_is_internal_error) {
  tg_private_key *key = load_key("p256.pkcs8.pem");
  uint8_t buf[512];
  tg_writer w;
  tg_err err = {0};
  tg_writer_init(&w, buf, sizeof buf, &err);
  cr_assert_eq(tg_sig_sign(&tg_ecdsa_secp384r1_sha384, key, &(tg_rng){test_fill, &(uint64_t){3}},
                           tg_bytes_of("x", 1), &w, &err),
               TG_E_USAGE);
  cr_assert_eq(err.alert, TG_ALERT_internal_error);
  tg_private_key_free(key);
}

/* ---- Malformed keys -------------------------------------------------------------------------- */

static tg_status load_bytes(const uint8_t *p, size_t n, tg_err *err) {
  uint8_t *exact = malloc(n ? n : 1);
  if (n)
    memcpy(exact, p, n);
  tg_private_key *key = (void *)1;
  tg_status st = tg_private_key_load(tg_bytes_of(exact, n), &key, err);
  if (st == TG_OK)
    tg_private_key_free(key);
  else
    cr_expect_null(key, "no key is returned on failure");
  free(exact);
  return st;
}

Test(sig, truncated_key_der_fails_at_every_offset) {
  static const char *const files[] = {"p256.pkcs8.der", "ed25519.pkcs8.der", "rsa2048.pkcs8.der",
                                      "p384.pkcs8.der"};
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    static uint8_t der[4096];
    char path[512];
    snprintf(path, sizeof path, KEYS "%s", files[f]);
    size_t n = read_file(path, der, sizeof der);
    for (size_t len = 0; len < n; len++) {
      tg_err err = {0};
      cr_expect_neq(load_bytes(der, len, &err), TG_OK, "%s cut to %zu accepted", files[f], len);
      cr_expect_eq(err.alert, TG_ALERT_decode_error, "%s cut to %zu: %s", files[f], len, err.what);
    }
    tg_err err = {0};
    cr_assert_eq(load_bytes(der, n, &err), TG_OK, "%s: %s", files[f], err.what);
  }
}

static size_t pem_to_der(const char *file, uint8_t *out, size_t cap) {
  static uint8_t text[8192];
  char path[512];
  snprintf(path, sizeof path, KEYS "%s", file);
  size_t n = read_file(path, text, sizeof text);
  tg_reader r;
  tg_pem_block b;
  size_t line = 0;
  bool found;
  tg_writer w;
  tg_reader_init(&r, text, n, NULL);
  cr_assert_eq(tg_pem_next(&r, &line, &b, &found, NULL), TG_OK);
  tg_writer_init(&w, out, cap, NULL);
  cr_assert_eq(tg_pem_decode(&b, &w, NULL), TG_OK);
  return w.len;
}

/* One defect per row: the DER of a good key with one byte changed at a found offset. */
Test(sig, malformed_key_table) {
  static const struct {
    const char *name, *file;
    const char *find; /* hex of bytes to find in the DER */
    unsigned delta;   /* byte offset after the match start to modify */
    uint8_t xor ;
    tg_code code;
    enum tg_alert alert;
    const char *what;
  } rows[] = {
      {"SEC1 publicKey does not match", "p256.sec1.pem", "a144034200", 30, 0x01, TG_E_BAD_VALUE,
       TG_ALERT_illegal_parameter, "does not match"},
      {"SEC1 version 2", "p256.sec1.pem", "020101", 2, 0x03, TG_E_BAD_VALUE, TG_ALERT_decode_error,
       "ECPrivateKey.version"},
      {"unknown curve", "p256.sec1.pem", "2a8648ce3d030107", 7, 0x0f, TG_E_BAD_VALUE,
       TG_ALERT_illegal_parameter, "namedCurve"},
      {"unknown key algorithm (X448)", "ed25519.pkcs8.pem", "06032b6570", 4, 0x01, TG_E_BAD_VALUE,
       TG_ALERT_illegal_parameter, "not a supported key algorithm"},
      {"PKCS#1 multi-prime version", "rsa2048.pkcs1.pem", "020100", 2, 0x01, TG_E_BAD_VALUE,
       TG_ALERT_illegal_parameter, "multi-prime"},
      {"PKCS#1 modulus changed", "rsa2048.pkcs1.pem", "02820101", 10, 0x10, TG_E_BAD_VALUE,
       TG_ALERT_illegal_parameter, "prime1 * prime2"},
      {"PKCS#8 version 2", "p256.pkcs8.pem", "020100", 2, 0x02, TG_E_BAD_VALUE,
       TG_ALERT_decode_error, "PrivateKeyInfo.version"},
      {"rsaEncryption parameters not NULL", "rsa2048.pkcs8.pem", "0500", 0, 0x01, TG_E_BAD_VALUE,
       TG_ALERT_decode_error, "rsaEncryption parameters"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    uint8_t der[4096], find[16];
    size_t n = pem_to_der(rows[i].file, der, sizeof der);
    size_t flen = unhex(rows[i].find, find, sizeof find);
    size_t at = 0;
    while (at + flen <= n && memcmp(der + at, find, flen) != 0)
      at++;
    cr_assert(at + flen <= n, "%s: pattern not found", rows[i].name);
    der[at + rows[i].delta] ^= rows[i].xor ;
    tg_err err = {0};
    tg_status st = load_bytes(der, n, &err);
    cr_expect_eq(st, rows[i].code, "%s: status %d (%s)", rows[i].name, st, err.what);
    cr_expect_eq(err.alert, rows[i].alert, "%s: alert %d (%s)", rows[i].name, err.alert, err.what);
    cr_expect(strstr(err.what, rows[i].what) != NULL, "%s: \"%s\" lacks \"%s\"", rows[i].name,
              err.what, rows[i].what);
  }
}

Test(sig, pem_without_a_key_or_encrypted) {
  static const struct {
    const char *text;
    enum tg_alert alert;
    const char *what;
  } rows[] = {
      {"-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n", TG_ALERT_decode_error,
       "no PRIVATE KEY"},
      {"-----BEGIN ENCRYPTED PRIVATE KEY-----\nQUJD\n-----END ENCRYPTED PRIVATE KEY-----\n",
       TG_ALERT_illegal_parameter, "encrypted private keys"},
      {"-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----\n", TG_ALERT_decode_error,
       "PrivateKeyInfo"},
      {"-----BEGIN PRIVATE KEY-----\nQU!D\n-----END PRIVATE KEY-----\n", TG_ALERT_decode_error,
       "line 2: character 0x21"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_err err = {0};
    cr_expect_neq(load_bytes((const uint8_t *)rows[i].text, strlen(rows[i].text), &err), TG_OK);
    cr_expect_eq(err.alert, rows[i].alert, "row %zu: %s", i, err.what);
    cr_expect(strstr(err.what, rows[i].what) != NULL, "row %zu: \"%s\"", i, err.what);
  }
}

Test(sig, spki_rejects_compressed_and_off_curve_points) {
  static uint8_t der[256];
  size_t n = read_file(KEYS "p256.spki.der", der, sizeof der);
  tg_public_key *pub;
  tg_err err = {0};
  der[n - 1] ^= 1; /* y no longer on the curve */
  cr_assert_eq(tg_public_key_from_spki(tg_bytes_of(der, n), &pub, &err), TG_E_BAD_VALUE);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert_null(pub);
  der[n - 1] ^= 1;
  der[n - 65] = 0x02; /* the form octet of the uncompressed point */
  err = (tg_err){0};
  cr_assert_eq(tg_public_key_from_spki(tg_bytes_of(der, n), &pub, &err), TG_E_BAD_VALUE);
  cr_assert(strstr(err.what, "uncompressed") != NULL, "%s", err.what);
}
