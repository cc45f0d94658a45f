/* The TLS 1.3 cipher suites this engine implements (RFC 8446 §B.4): an AEAD and the hash used
 * with HKDF, by IANA value. */
#include "tg/crypto.h"
#include "tg/names.h"

static const tg_cipher_suite suites[] = {
    {0x1301, "TLS_AES_128_GCM_SHA256", &tg_aes128_gcm, &tg_sha256, TG_VERSION_TLS13,
     TG_VERSION_TLS13},
    {0x1302, "TLS_AES_256_GCM_SHA384", &tg_aes256_gcm, &tg_sha384, TG_VERSION_TLS13,
     TG_VERSION_TLS13},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256", &tg_chacha20_poly1305, &tg_sha256, TG_VERSION_TLS13,
     TG_VERSION_TLS13},
};

const tg_cipher_suite *tg_cipher_suite_find(uint16_t id) {
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
    if (suites[i].id == id)
      return &suites[i];
  return NULL;
}
