/* The structured parse and re-emit of any known extension, through its descriptor (the registry,
 * tls/src/extensions/registry.c): the same code serves the fuzz_extensions oracle and the
 * extension unit tests (tests/ext_b_malformed_test.c, tests/ext_registry_test.c). */
#ifndef TG_FUZZ_EXT_REEMIT_H
#define TG_FUZZ_EXT_REEMIT_H

#include <stdbool.h>

#include "tg/extensions.h"

/* Parses body as an extension of that type in the form its descriptor uses at where and, when
 * it parses and w is not NULL, emits the complete extension from the parsed value into w. False
 * for a type without a descriptor; otherwise *st is parse's result. */
static inline bool tg_ext_reemit(uint16_t type, const tg_ext_where *where, tg_bytes body,
                                 tg_err *err, tg_writer *w, tg_status *st) {
  const tg_ext_desc *desc = tg_ext_desc_of(type);
  tg_ext_value value;
  if (desc == NULL)
    return false;
  *st = desc->parse(body, where, &value, err);
  if (*st == TG_OK && w != NULL)
    desc->emit(w, where, &value);
  return true;
}

#endif
