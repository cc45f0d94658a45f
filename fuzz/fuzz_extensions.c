/* fuzz_extensions: an extensions block in a chosen message.
 *
 * Input: one context byte, then the body of an extensions<..> vector. The context byte's low three
 * bits pick the message (0 ClientHello, 1 ServerHello, 2 HelloRetryRequest, 3 EncryptedExtensions,
 * 4 Certificate, 5 CertificateRequest, 6 NewSessionTicket, 7 ClientHello again); bit 3 picks
 * TLS 1.3 (set) or TLS 1.2. The other bits are ignored.
 *
 * Oracles: a failure carries a valid error; in a block that passes tg_extensions_check, every
 * known extension parses again through its descriptor (the registry) in the form of that message
 * (parse is deterministic) and its descriptor's emit of the parsed value gives back exactly its
 * input bytes; describing the block reads only valid memory and balances its begin/end calls.
 */
#include <string.h>

#include "ext_reemit.h"
#include "fuzz_common.h"
#include "tg/extensions.h"
#include "tg/names.h"

static tg_ext_where where_of(uint8_t b) {
  unsigned i = b & 7u;
  tg_ext_where w = {(enum tg_ext_ctx)(1u << (i == 7 ? 0 : i)),
                    (b & 8u) ? TG_VERSION_TLS13 : TG_VERSION_TLS12};
  return w;
}

/* A body the block check accepted: its descriptor's parse, run again here, accepts it again (parse
 * keeps no state), and the emit of the parsed value gives back the extension's input bytes. */
static void check_one(uint16_t type, tg_bytes body, const tg_ext_where *where) {
  uint8_t out[65536 + 4], raw[65536 + 4];
  tg_writer w, wr;
  tg_err err = {0};
  tg_status st = TG_OK;
  tg_writer_init(&w, out, sizeof out, NULL);
  if (!tg_ext_reemit(type, where, body, &err, &w, &st))
    return;
  const char *name = tg_ext_desc_of(type)->name;
  TG_FUZZ_ASSERT(st == TG_OK, "check accepted %s (type %u) that its parse now rejects: %s", name,
                 type, err.what);
  TG_FUZZ_ASSERT(tg_writer_status(&w) == TG_OK, "emit of %s failed", name);
  tg_writer_init(&wr, raw, sizeof raw, NULL);
  tg_ext_emit_raw(&wr, type, body);
  TG_FUZZ_ASSERT(w.len == wr.len && memcmp(out, raw, w.len) == 0,
                 "%s re-emits differently (%zu bytes, input %zu)", name, w.len, wr.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  tg_ext_where where = where_of(data[0]);
  tg_bytes block = tg_bytes_of(data + 1, size - 1);
  tg_err err = {0};
  tg_status st = tg_extensions_check(block, &where, &err);
  tg_fuzz_check_err(st, &err);
  if (st != TG_OK)
    return 0;

  tg_ext_iter it;
  uint16_t type;
  tg_bytes body;
  tg_ext_iter_init(&it, block);
  while (tg_ext_next(&it, &type, &body))
    check_one(type, body, &where);
  TG_FUZZ_ASSERT(tg_left(&it.r) == 0, "a checked block does not iterate to its end");

  tg_fuzz_dump t;
  tg_fuzz_dump_init(&t);
  tg_extensions_describe(&t.d, block, &where);
  tg_fuzz_dump_done(&t);
  return 0;
}
