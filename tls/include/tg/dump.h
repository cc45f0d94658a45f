/* A structure printer that messages, extensions and records describe themselves to. The library
 * only calls these callbacks; the harness renders them as indented text or as JSON. Keys are
 * the RFC field names. Every value may carry a symbolic name (an IANA name) beside it. */
#ifndef TG_DUMP_H
#define TG_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"

typedef struct tg_dump tg_dump;
struct tg_dump {
  /* Opens an object (list == 0) or a list (list == 1) under key (key is NULL inside a list). */
  void (*begin)(tg_dump *d, const char *key, int list);
  void (*end)(tg_dump *d);
  /* A number; name is its symbolic name or NULL. */
  void (*uint)(tg_dump *d, const char *key, uint64_t v, const char *name);
  void (*bytes)(tg_dump *d, const char *key, tg_bytes v);
  /* A string (server_name, ALPN protocol): printed as text, escaped where not printable. */
  void (*text)(tg_dump *d, const char *key, tg_bytes v);
  void *user;
};

/* Shorthands that tolerate d == NULL. */
void tg_dump_begin(tg_dump *d, const char *key);
void tg_dump_list(tg_dump *d, const char *key);
void tg_dump_end(tg_dump *d);
void tg_dump_uint(tg_dump *d, const char *key, uint64_t v, const char *name);
void tg_dump_bytes(tg_dump *d, const char *key, tg_bytes v);
void tg_dump_text(tg_dump *d, const char *key, tg_bytes v);

#endif
