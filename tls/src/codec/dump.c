/* Null-tolerant helpers over the tg_dump callbacks. */
#include "tg/dump.h"

void tg_dump_begin(tg_dump *d, const char *key) {
  if (d != NULL)
    d->begin(d, key, 0);
}
void tg_dump_list(tg_dump *d, const char *key) {
  if (d != NULL)
    d->begin(d, key, 1);
}
void tg_dump_end(tg_dump *d) {
  if (d != NULL)
    d->end(d);
}
void tg_dump_uint(tg_dump *d, const char *key, uint64_t v, const char *name) {
  if (d != NULL)
    d->uint(d, key, v, name);
}
void tg_dump_bytes(tg_dump *d, const char *key, tg_bytes v) {
  if (d != NULL)
    d->bytes(d, key, v);
}
void tg_dump_text(tg_dump *d, const char *key, tg_bytes v) {
  if (d != NULL)
    d->text(d, key, v);
}
