/* fuzz_client: the engine's client against a fuzzed server byte stream. The client sends its
 * ClientHello (a fixed RNG, so every run is the same), then the input is fed as what the server
 * sent: first a prefix whose length is the input's first byte, then the rest, so record and
 * message boundaries fall anywhere. Records are protected with a pass-through AEAD
 * (engine/fuzzmode.h) so the encrypted handshake is reached.
 * Oracles: a failure carries a valid err and a real alert, sent unless the peer sent one; the
 * phase says FAILED exactly when a call failed; nothing crashes or leaks. */
#include "engine/fuzzmode.h"
#include "fuzz_common.h"
#include "tg/engine.h"

/* Fuzzer mode: the clock is fixed (2023-11-14), so validity and ticket ages replay exactly. */
static int64_t fixed_now(void *ctx) {
  (void)ctx;
  return 1700000000;
}

static void fixed_fill(void *ctx, uint8_t *out, size_t len) {
  uint64_t *s = ctx;
  for (size_t i = 0; i < len; i++) {
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    out[i] = (uint8_t)(*s >> 56);
  }
}

static void check(tg_conn *c, tg_status st) {
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint64_t seed = 1;
  static const uint8_t alpn[] = "\x02h2";
  tg_config cfg = {
      .server_name = "server",
      .alpn = tg_bytes_of(alpn, 3),
      .rng = {fixed_fill, &seed}, /* reset for every input */
      .clock = {fixed_now, NULL},
      .find_suite = tg_passthrough_find_suite,
  };
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
