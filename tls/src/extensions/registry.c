/* The table of known extensions: one descriptor per file in this directory. */
#include <stddef.h>

#include "tg/extensions.h"

static const tg_ext_desc *const table[] = {
    NULL, /* descriptors are added here, one per extension file */
};

const tg_ext_desc *tg_ext_desc_of(uint16_t type) {
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i] != NULL && table[i]->type == type)
      return table[i];
  return NULL;
}
