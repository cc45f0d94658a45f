/* The cipher suites this engine implements, by IANA value: the TLS 1.3 suites (RFC 8446 §B.4),
 * an AEAD and the hash of HKDF, and the TLS 1.2 AEAD suites (RFC 5289, RFC 7905, RFC 5288, RFC
 * 7251, RFC 6655), an AEAD, the hash of the PRF, the key exchange and the certificate key; the
 * TLS 1.2 CBC suites name a block cipher and a MAC hash instead of an AEAD. */
#include "tg/crypto.h"
#include "tg/names.h"

#define V13 TG_VERSION_TLS13, TG_VERSION_TLS13
#define V12 TG_VERSION_TLS12, TG_VERSION_TLS12
#define ECDHE_ECDSA TG_SUITE_KX_ECDHE, TG_SUITE_AUTH_ECDSA
#define ECDHE_RSA TG_SUITE_KX_ECDHE, TG_SUITE_AUTH_RSA
#define RSA_KX TG_SUITE_KX_RSA, TG_SUITE_AUTH_RSA
#define CBC(id, name, cipher, prf, kx_auth, mac)                                                   \
  { id, name, NULL, &tg_##prf, V12, kx_auth, 0, &tg_##cipher##_cbc, &tg_##mac }

/* The AEAD rows leave the CBC fields (cbc, mac) out: NULL. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const tg_cipher_suite suites[] = {
    {0x1301, "TLS_AES_128_GCM_SHA256", &tg_aes128_gcm, &tg_sha256, V13, 0, 0, 0},
    {0x1302, "TLS_AES_256_GCM_SHA384", &tg_aes256_gcm, &tg_sha384, V13, 0, 0, 0},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256", &tg_chacha20_poly1305, &tg_sha256, V13, 0, 0, 0},
    {0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", &tg_aes128_gcm, &tg_sha256, V12,
     ECDHE_ECDSA, 4},
    {0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", &tg_aes256_gcm, &tg_sha384, V12,
     ECDHE_ECDSA, 4},
    {0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", &tg_chacha20_poly1305, &tg_sha256,
     V12, ECDHE_ECDSA, 12},
    {0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", &tg_aes128_gcm, &tg_sha256, V12, ECDHE_RSA,
     4},
    {0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", &tg_aes256_gcm, &tg_sha384, V12, ECDHE_RSA,
     4},
    {0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", &tg_chacha20_poly1305, &tg_sha256, V12,
     ECDHE_RSA, 12},
    {0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", &tg_aes128_gcm, &tg_sha256, V12, RSA_KX, 4},
    {0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", &tg_aes256_gcm, &tg_sha384, V12, RSA_KX, 4},
    /* AES-CCM (RFC 8446 §B.4; RFC 7251 §2 and RFC 6655 §3: the TLS 1.2 PRF with SHA-256, also
     * for AES-256, and the GCM nonce: a 4-byte salt from the key block + an 8-byte explicit
     * nonce). Offered only when a configuration lists them. */
    {0x1304, "TLS_AES_128_CCM_SHA256", &tg_aes128_ccm, &tg_sha256, V13, 0, 0, 0},
    {0x1305, "TLS_AES_128_CCM_8_SHA256", &tg_aes128_ccm_8, &tg_sha256, V13, 0, 0, 0},
    {0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", &tg_aes128_ccm, &tg_sha256, V12, ECDHE_ECDSA, 4},
    {0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", &tg_aes256_ccm, &tg_sha256, V12, ECDHE_ECDSA, 4},
    {0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", &tg_aes128_ccm_8, &tg_sha256, V12, ECDHE_ECDSA,
     4},
    {0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", &tg_aes256_ccm_8, &tg_sha256, V12, ECDHE_ECDSA,
     4},
    {0xc09c, "TLS_RSA_WITH_AES_128_CCM", &tg_aes128_ccm, &tg_sha256, V12, RSA_KX, 4},
    {0xc09d, "TLS_RSA_WITH_AES_256_CCM", &tg_aes256_ccm, &tg_sha256, V12, RSA_KX, 4},
    {0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8", &tg_aes128_ccm_8, &tg_sha256, V12, RSA_KX, 4},
    {0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8", &tg_aes256_ccm_8, &tg_sha256, V12, RSA_KX, 4},
    /* CBC (RFC 5246 A.5, RFC 8422 6, RFC 5289 3.2): the PRF is P_SHA256 except for the _SHA384
     * suites (RFC 5289 3.2); the record MAC is HMAC with the hash the name ends with. */
    CBC(0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", aes128, sha256, ECDHE_ECDSA, sha1),
    CBC(0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", aes256, sha256, ECDHE_ECDSA, sha1),
    CBC(0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", aes128, sha256, ECDHE_ECDSA, sha256),
    CBC(0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", aes256, sha384, ECDHE_ECDSA, sha384),
    CBC(0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", aes128, sha256, ECDHE_RSA, sha1),
    CBC(0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", aes256, sha256, ECDHE_RSA, sha1),
    CBC(0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", aes128, sha256, ECDHE_RSA, sha256),
    CBC(0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", aes256, sha384, ECDHE_RSA, sha384),
    CBC(0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", aes128, sha256, RSA_KX, sha1),
    CBC(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", aes256, sha256, RSA_KX, sha1),
    CBC(0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", aes128, sha256, RSA_KX, sha256),
    CBC(0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", aes256, sha256, RSA_KX, sha256),
};
#pragma GCC diagnostic pop

const tg_cipher_suite *tg_cipher_suite_find(uint16_t id) {
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
    if (suites[i].id == id)
      return &suites[i];
  return NULL;
}
