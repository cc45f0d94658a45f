/* The fuzzer mode of DESIGN.md (issue 8), in two parts.
 *
 * 1. TG_FUZZER_MODE(c): whether connection c skips the checks a fuzzer cannot pass (the
 *    Finished verify_data, the CertificateVerify signature, the PSK binder; in TLS 1.2 the
 *    Finished, the ServerKeyExchange signature and the client's CertificateVerify). It is true only
 *    when the library itself was compiled with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION *and* the
 *    caller set tg_config.fuzzer_mode; in any other build it is the constant false, so the
 *    guarded checks in auth.c, psk.c, tls12_keys.c, tls12_client.c and tls12_server.c cannot be
 *    switched off at run time.
 *
 * 2. Test and fuzz support (not part of the library): the three TLS 1.3 suites and the TLS 1.2
 *    AEAD suites a default configuration offers with a pass-through AEAD, to plug in through
 *    tg_config.find_suite. Records are then "protected" as TLSInnerPlaintext (TLS 1.3) or the
 *    plain content after the 8-byte explicit nonce of the AES-GCM suites (TLS 1.2), followed by
 *    a 16-byte tag that is written as zeros and never checked, so a fuzzer reaches
 *    EncryptedExtensions, Certificate, CertificateVerify and Finished in TLS 1.3 and everything
 *    after change_cipher_spec in TLS 1.2. Everything else (key schedule, master secret, key
 *    block, transcript, Finished values) is computed as usual.
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

/* Designated initializers: the TLS 1.2 fields (kx, auth, fixed_iv_len) stay zero in the TLS 1.3
 * suites and are those of tls/src/crypto/suites.c in the TLS 1.2 ones (fixed_iv_len 4: an 8-byte
 * explicit nonce in every record; 12: none), so the record layout is the real one. */
#define TG_PASSTHROUGH_SUITE(id_, name_, hash_)                                                    \
  {                                                                                                \
    .id = (id_), .name = (name_), .aead = &tg_passthrough_aead, .hash = (hash_),                   \
    .min_version = 0x0304, .max_version = 0x0304                                                   \
  }
#define TG_PASSTHROUGH_SUITE12(id_, name_, hash_, kx_, auth_, fixed_iv_len_)                       \
  {                                                                                                \
    .id = (id_), .name = (name_), .aead = &tg_passthrough_aead, .hash = (hash_),                   \
    .min_version = 0x0303, .max_version = 0x0303, .kx = TG_SUITE_KX_##kx_,                         \
    .auth = TG_SUITE_AUTH_##auth_, .fixed_iv_len = (fixed_iv_len_)                                 \
  }
/* The suites of tg_offered_suites (tls12_keys.c); the CCM ones, offered only when a
 * configuration lists them, are not here. */
static const tg_cipher_suite tg_passthrough_suites[] = {
    TG_PASSTHROUGH_SUITE(0x1301, "TLS_AES_128_GCM_SHA256", &tg_sha256),
    TG_PASSTHROUGH_SUITE(0x1302, "TLS_AES_256_GCM_SHA384", &tg_sha384),
    TG_PASSTHROUGH_SUITE(0x1303, "TLS_CHACHA20_POLY1305_SHA256", &tg_sha256),
    TG_PASSTHROUGH_SUITE12(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", &tg_sha256, ECDHE,
                           ECDSA, 4),
    TG_PASSTHROUGH_SUITE12(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", &tg_sha384, ECDHE,
                           ECDSA, 4),
    TG_PASSTHROUGH_SUITE12(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", &tg_sha256,
                           ECDHE, ECDSA, 12),
    TG_PASSTHROUGH_SUITE12(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", &tg_sha256, ECDHE, RSA,
                           4),
    TG_PASSTHROUGH_SUITE12(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", &tg_sha384, ECDHE, RSA,
                           4),
    TG_PASSTHROUGH_SUITE12(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", &tg_sha256, ECDHE,
                           RSA, 12),
    TG_PASSTHROUGH_SUITE12(0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", &tg_sha256, RSA, RSA, 4),
    TG_PASSTHROUGH_SUITE12(0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", &tg_sha384, RSA, RSA, 4),
};

static inline const tg_cipher_suite *tg_passthrough_find_suite(uint16_t id) {
  for (size_t i = 0; i < sizeof tg_passthrough_suites / sizeof tg_passthrough_suites[0]; i++)
    if (tg_passthrough_suites[i].id == id)
      return &tg_passthrough_suites[i];
  return NULL;
}

#endif /* FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION */
#endif
