/* The fuzzer mode of DESIGN.md (issue 8), in two parts.
 *
 * 1. TG_FUZZER_MODE(c): whether connection c skips the checks a fuzzer cannot pass (the
 *    Finished verify_data, the CertificateVerify signature, the PSK binder). It is true only
 *    when the library itself was compiled with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION *and* the
 *    caller set tg_config.fuzzer_mode; in any other build it is the constant false, so the
 *    guarded checks in auth.c and psk.c cannot be switched off at run time.
 *
 * 2. Test and fuzz support (not part of the library): the three TLS 1.3 suites with a
 *    pass-through AEAD, to plug in through tg_config.find_suite. Records are then "protected" as
 *    TLSInnerPlaintext followed by a 16-byte tag that is written as zeros and never checked, so a
 *    fuzzer reaches EncryptedExtensions, Certificate, CertificateVerify and Finished. Everything
 *    else (key schedule, transcript, Finished values) is computed as usual.
 *
 * The fuzz targets add a deterministic RNG reset per input and a fixed clock (fuzz/fuzz_engine.h):
 * those are the caller's anyway (tg_config.rng, tg_config.clock). */
#ifndef TG_ENGINE_FUZZMODE_H
#define TG_ENGINE_FUZZMODE_H

#include <stdbool.h>
#include <string.h>

#include "tg/crypto.h"

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define TG_FUZZER_MODE(c) ((c)->cfg->fuzzer_mode)
#else
#define TG_FUZZER_MODE(c) false
#endif

/* The pass-through AEAD exists only under the build-time switch: only fuzz targets and tests,
 * which CMake compiles with it, may name it. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION

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

static const tg_aead_desc tg_passthrough_aead = {.name = "pass-through",
                                                 .key_len = 16,
                                                 .tag_len = TG_AEAD_TAG_LEN,
                                                 .set_key = tg_passthrough_set_key,
                                                 .seal = tg_passthrough_seal,
                                                 .open = tg_passthrough_open};

/* Designated initializers: the TLS 1.2 fields (kx, auth, fixed_iv_len) stay zero. */
#define TG_PASSTHROUGH_SUITE(id_, name_, hash_)                                                    \
  {                                                                                                \
    .id = (id_), .name = (name_), .aead = &tg_passthrough_aead, .hash = (hash_),                   \
    .min_version = 0x0304, .max_version = 0x0304                                                   \
  }
static const tg_cipher_suite tg_passthrough_suites[] = {
    TG_PASSTHROUGH_SUITE(0x1301, "TLS_AES_128_GCM_SHA256", &tg_sha256),
    TG_PASSTHROUGH_SUITE(0x1302, "TLS_AES_256_GCM_SHA384", &tg_sha384),
    TG_PASSTHROUGH_SUITE(0x1303, "TLS_CHACHA20_POLY1305_SHA256", &tg_sha256),
};

static inline const tg_cipher_suite *tg_passthrough_find_suite(uint16_t id) {
  for (size_t i = 0; i < sizeof tg_passthrough_suites / sizeof tg_passthrough_suites[0]; i++)
    if (tg_passthrough_suites[i].id == id)
      return &tg_passthrough_suites[i];
  return NULL;
}

#endif /* FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION */
#endif
