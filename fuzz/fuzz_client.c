/* fuzz_client: the engine's client against a fuzzed server byte stream. The client sends its
 * ClientHello (a fixed RNG, so every run is the same), then the input is fed as what the server
 * sent: first a prefix whose length is the input's first byte, then the rest, so record and
 * message boundaries fall anywhere. In the fuzzer mode (fuzz_engine.h) records are protected
 * with a pass-through AEAD (engine/fuzzmode.h) and Finished and CertificateVerify are not
 * checked, so the encrypted handshake and the established state are reached; fuzz_client_strict
 * is the same without the fuzzer mode.
 * Oracles: a failure carries a valid err and a real alert, sent unless the peer sent one; the
 * phase says FAILED exactly when a call failed; nothing crashes or leaks. */
#include "fuzz_engine.h"
#include "tg/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint64_t seed = 1;
  static const uint8_t alpn[] = "\x02h2";
  tg_config cfg = {
      .server_name = "server",
      .alpn = tg_bytes_of(alpn, 3),
      .rng = {fixed_fill, &seed}, /* reset for every input */
      .clock = {fixed_now, NULL},
  };
  tg_fuzz_engine_mode(&cfg);
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
