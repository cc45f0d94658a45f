/* Test and fuzz support for the engine (not part of the library): the three TLS 1.3 suites with
 * a pass-through AEAD, to plug in through tg_config.find_suite. Records are then "protected"
 * as TLSInnerPlaintext followed by a 16-byte tag that is written as zeros and never checked, so
 * a fuzzer reaches EncryptedExtensions, Certificate, CertificateVerify and Finished. Everything
 * else (key schedule, transcript, Finished values) is computed as usual. */
#ifndef TG_ENGINE_FUZZMODE_H
#define TG_ENGINE_FUZZMODE_H

/* The build-time switch of DESIGN.md: only fuzz targets and tests, which CMake compiles with it,
 * may have a pass-through AEAD. */
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#error "fuzzmode.h needs FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (fuzz targets and tests only)"
#endif

#include <string.h>

#include "tg/crypto.h"

static inline void tg_passthrough_set_key(void *ctx, const uint8_t *key) { (void)ctx, (void)key; }

static inline void tg_passthrough_seal(void *ctx, const uint8_t *nonce, tg_bytes aad,
                                       const uint8_t *in, size_t len, uint8_t *out) {
  (void)ctx, (void)nonce, (void)aad;
  memmove(out, in, len);
  memset(out + len, 0, TG_AEAD_TAG_LEN);
}

static inline bool tg_passthrough_open(void *ctx, const uint8_t *nonce, tg_bytes aad,
                                       const uint8_t *in, size_t len, uint8_t *out) {
  (void)ctx, (void)nonce, (void)aad;
  if (len < TG_AEAD_TAG_LEN)
    return false;
  memmove(out, in, len - TG_AEAD_TAG_LEN);
  return true;
}

static const tg_aead_desc tg_passthrough_aead = {
    "pass-through",     16, TG_AEAD_TAG_LEN, 0, tg_passthrough_set_key, tg_passthrough_seal,
    tg_passthrough_open};

static const tg_cipher_suite tg_passthrough_suites[] = {
    {0x1301, "TLS_AES_128_GCM_SHA256", &tg_passthrough_aead, &tg_sha256, 0x0304, 0x0304},
    {0x1302, "TLS_AES_256_GCM_SHA384", &tg_passthrough_aead, &tg_sha384, 0x0304, 0x0304},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256", &tg_passthrough_aead, &tg_sha256, 0x0304, 0x0304},
};

static inline const tg_cipher_suite *tg_passthrough_find_suite(uint16_t id) {
  for (size_t i = 0; i < sizeof tg_passthrough_suites / sizeof tg_passthrough_suites[0]; i++)
    if (tg_passthrough_suites[i].id == id)
      return &tg_passthrough_suites[i];
  return NULL;
}

#endif
