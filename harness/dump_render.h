/* Renderers for the library's tg_dump callbacks: indented text for people, JSON for machines. */
#ifndef TG_HARNESS_DUMP_RENDER_H
#define TG_HARNESS_DUMP_RENDER_H

#include <jansson.h>
#include <stdio.h>

#include "tg/dump.h"

/* Indented, YAML-like text on out. Byte strings longer than max_bytes are shortened (0: never). */
typedef struct text_dump {
  tg_dump base;
  FILE *out;
  int depth;
  size_t max_bytes;
} text_dump;
void text_dump_init(text_dump *t, FILE *out, int depth, size_t max_bytes);

/* Builds a JSON value; the first begin() creates the root, read it from root when done. */
#define JSON_DUMP_MAX_DEPTH 64
typedef struct json_dump {
  tg_dump base;
  json_t *root;
  json_t *stack[JSON_DUMP_MAX_DEPTH];
  int depth;
  int overflow; /* nesting deeper than the stack: ignored, counted */
} json_dump;
void json_dump_init(json_dump *j);
/* Hex of bytes as a new JSON string. */
json_t *json_hex(tg_bytes b);

#endif
