/* Shared by the fuzz targets: an oracle failure aborts with a message, so libFuzzer records the
 * input and ctest's corpus replay fails loudly. */
#ifndef TG_FUZZ_COMMON_H
#define TG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/codec.h"
#include "tg/dump.h"

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

/* A tg_dump that reads every key, name and value it is given, so the sanitizers see any view
 * outside the input, and checks that describe never ends more than it begins. */
typedef struct tg_fuzz_dump {
  tg_dump d;
  int depth;
  unsigned sum;
} tg_fuzz_dump;

static inline void tg_fuzz_touch(tg_fuzz_dump *t, const char *s) {
  if (s != NULL)
    t->sum += (unsigned)strlen(s);
}
static inline void tg_fuzz_dump_begin(tg_dump *d, const char *key, int list) {
  tg_fuzz_dump *t = d->user;
  tg_fuzz_touch(t, key);
  t->sum += (unsigned)list;
  t->depth++;
}
static inline void tg_fuzz_dump_end(tg_dump *d) {
  tg_fuzz_dump *t = d->user;
  TG_FUZZ_ASSERT(t->depth > 0, "describe ends more than it begins");
  t->depth--;
}
static inline void tg_fuzz_dump_uint(tg_dump *d, const char *key, uint64_t v, const char *name) {
  tg_fuzz_dump *t = d->user;
  tg_fuzz_touch(t, key);
  tg_fuzz_touch(t, name);
  t->sum += (unsigned)v;
}
static inline void tg_fuzz_dump_bytes(tg_dump *d, const char *key, tg_bytes v) {
  tg_fuzz_dump *t = d->user;
  tg_fuzz_touch(t, key);
  for (size_t i = 0; i < v.len; i++)
    t->sum += v.p[i];
}
static inline void tg_fuzz_dump_init(tg_fuzz_dump *t) {
  *t = (tg_fuzz_dump){{tg_fuzz_dump_begin, tg_fuzz_dump_end, tg_fuzz_dump_uint, tg_fuzz_dump_bytes,
                       tg_fuzz_dump_bytes, t},
                      0,
                      0};
}
/* The sums go here so the reads that produced them cannot be optimised away. */
static volatile unsigned tg_fuzz_sink;

/* After a describe: every object it opened is closed. */
static inline void tg_fuzz_dump_done(const tg_fuzz_dump *t) {
  TG_FUZZ_ASSERT(t->depth == 0, "describe leaves %d objects open", t->depth);
  tg_fuzz_sink += t->sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
