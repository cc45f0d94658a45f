/* fuzz_client: the engine's client against a fuzzed server byte stream. The client offers TLS
 * 1.3 and TLS 1.2 (the default suites, RSA key transport too; extended_master_secret optional)
 * and sends its ClientHello (a fixed RNG, so every run is the same); then the input is fed as
 * what the server sent: first a prefix whose length is the input's first byte, then the rest, so
 * record and message boundaries fall anywhere. The ServerHello's version decides which handshake
 * follows. In the fuzzer mode (fuzz_engine.h) records are protected with a pass-through AEAD
 * (engine/fuzzmode.h) and Finished, CertificateVerify and the TLS 1.2 ServerKeyExchange signature
 * are not checked, so the encrypted handshake and the established state are reached;
 * fuzz_client_strict is the same without the fuzzer mode.
 * Oracles: a failure carries a valid err and a real alert, sent unless the peer sent one; the
 * phase says FAILED exactly when a call failed; nothing crashes or leaks. */
#include "fuzz_engine.h"
#include "tg/engine.h"

/* The client's configuration, also the seeds' (fuzz/engine_seeds.c). */
static tg_config client_config(uint64_t *seed) {
  static const uint8_t alpn[] = "\x02h2";
  tg_config cfg = {
      .min_version = TG_VERSION_TLS12,
      .max_version = TG_VERSION_TLS13,
      .rsa_key_exchange = true,
      .ems_optional = true,
      .server_name = "server",
      .alpn = tg_bytes_of(alpn, 3),
      .rng = {fixed_fill, seed},
      .clock = {fixed_now, NULL},
  };
  tg_fuzz_engine_mode(&cfg);
  return cfg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint64_t seed = 1; /* reset for every input */
  tg_config cfg = client_config(&seed);
  tg_err err;
  tg_conn *c = tg_conn_new(&cfg, false, &err);
  TG_FUZZ_ASSERT(c != NULL, "tg_conn_new: %s", err.what);
  TG_FUZZ_ASSERT(tg_conn_start(c) == TG_OK, "tg_conn_start failed");
  size_t cut = size > 0 ? data[0] : 0;
  if (size > 0) {
    data++, size--;
  }
  if (cut > size)
    cut = size;
  tg_status st = tg_conn_feed(c, tg_bytes_of(data, cut));
  check(c, st);
  if (st == TG_OK) {
    st = tg_conn_feed(c, tg_bytes_of(data + cut, size - cut));
    check(c, st);
  }
  if (st == TG_OK && tg_conn_info(c)->phase == TG_PHASE_ESTABLISHED) {
    uint8_t buf[256];
    while (tg_conn_read(c, buf, sizeof buf) > 0) {
    }
    check(c, tg_conn_write(c, tg_bytes_of("ping", 4)));
  }
  tg_fuzz_sink += (unsigned)tg_conn_output(c).len;
  tg_conn_free(c);
  return 0;
}
