/* Shared by fuzz_client and fuzz_server (and fuzz/engine_seeds.c): the fuzzer mode's fixed clock
 * and deterministic RNG, and the oracle every fed or written byte stream is held to. */
#ifndef TG_FUZZ_ENGINE_H
#define TG_FUZZ_ENGINE_H

#include "engine/fuzzmode.h"
#include "fuzz_common.h"
#include "tg/engine.h"

/* Fuzzer mode: the clock is fixed (2023-11-14), so validity and ticket ages replay exactly. */
static inline int64_t fixed_now(void *ctx) {
  (void)ctx;
  return 1700000000;
}

/* A linear congruential stream from a seed the target resets for every input. */
static inline void fixed_fill(void *ctx, uint8_t *out, size_t len) {
  uint64_t *s = ctx;
  for (size_t i = 0; i < len; i++) {
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    out[i] = (uint8_t)(*s >> 56);
  }
}

/* The fuzzer mode, or not: fuzz_client and fuzz_server run with the pass-through AEAD (TLS 1.3
 * and TLS 1.2 suites) and tg_config.fuzzer_mode (Finished, CertificateVerify, the TLS 1.2
 * ServerKeyExchange signature and the PSK binder not checked), so mutated encrypted messages
 * reach the states behind them; fuzz_client_strict and fuzz_server_strict
 * (the same sources with TG_FUZZ_STRICT) run the real AEAD and every check, which is what a
 * peer on the wire meets. The fuzzer mode needs the library built with
 * FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION too (every TG_FUZZ and OSS-Fuzz build); a library
 * built without it ignores fuzzer_mode, and the skipped checks stay. */
static inline void tg_fuzz_engine_mode(tg_config *cfg) {
#ifdef TG_FUZZ_STRICT
  (void)cfg;
#else
  cfg->find_suite = tg_passthrough_find_suite;
  cfg->fuzzer_mode = true;
#endif
}

/* A call either succeeded with the connection alive, or failed with an alert and a located
 * error. */
static inline void check(tg_conn *c, tg_status st) {
  const struct tg_conn_info *info = tg_conn_info(c);
  if (st == TG_OK) {
    TG_FUZZ_ASSERT(info->phase != TG_PHASE_FAILED, "failed without an error status");
    return;
  }
  TG_FUZZ_ASSERT(info->phase == TG_PHASE_FAILED, "error %d but phase %d", st, info->phase);
  tg_fuzz_check_err(st, &info->err);
  TG_FUZZ_ASSERT(info->alert_sent >= 0 || info->alert_received >= 0, "failed without an alert");
  if (info->alert_sent >= 0)
    TG_FUZZ_ASSERT(tg_alert_name((unsigned)info->alert_sent) != NULL, "alert %d has no name",
                   info->alert_sent);
}

#endif
