/* Reading the bytes a command works on: hex on the command line, a file (binary or hex text), or
 * standard input. */
#ifndef TG_HARNESS_INPUT_H
#define TG_HARNESS_INPUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct input_buf {
  uint8_t *p;
  size_t len;
} input_buf;

/* Parses hex digits, ignoring whitespace, ':' and a leading "0x". On error returns -1 and puts a
 * message naming the offending column in msg. */
int input_from_hex(const char *hex, input_buf *out, char *msg, size_t msglen);
/* Reads a file ("-" for standard input). Text that is all hex digits and whitespace is taken as
 * hex; anything else as raw bytes. */
int input_from_file(const char *path, input_buf *out, char *msg, size_t msglen);
void input_free(input_buf *in);

#endif
