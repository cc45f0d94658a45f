/* Shared by the fuzz targets: an oracle failure aborts with a message, so libFuzzer records the
 * input and ctest's corpus replay fails loudly. */
#ifndef TG_FUZZ_COMMON_H
#define TG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tg/codec.h"

#define TG_FUZZ_ASSERT(cond, ...)                                                                  \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "fuzz oracle failed: %s at %s:%d: ", #cond, __FILE__, __LINE__);             \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fputc('\n', stderr);                                                                         \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

/* An error record must name a real alert and a location whenever a parser fails. */
static inline void tg_fuzz_check_err(tg_status st, const tg_err *err) {
  if (st == TG_OK)
    return;
  TG_FUZZ_ASSERT(err->code == (tg_code)st, "status %d but err.code %d", st, err->code);
  TG_FUZZ_ASSERT(err->file != NULL && err->line > 0, "failure without a location");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
