/* Command-line input: hex strings and files. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

static int hexval(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static int skippable(int c) { return isspace(c) || c == ':'; }

static int parse_hex(const char *s, size_t n, input_buf *out, char *msg, size_t msglen) {
  size_t start = 0;
  while (start < n && isspace((unsigned char)s[start]))
    start++;
  if (n - start >= 2 && s[start] == '0' && (s[start + 1] == 'x' || s[start + 1] == 'X'))
    start += 2;
  out->p = malloc(n / 2 + 1);
  out->len = 0;
  if (out->p == NULL) {
    snprintf(msg, msglen, "out of memory");
    return -1;
  }
  int hi = -1;
  size_t hi_col = 0;
  for (size_t i = start; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (skippable(c))
      continue;
    int v = hexval(c);
    if (v < 0) {
      snprintf(msg, msglen, "not a hex digit '%c' at column %zu", isprint(c) ? c : '?', i + 1);
      input_free(out);
      return -1;
    }
    if (hi < 0) {
      hi = v;
      hi_col = i + 1;
    } else {
      out->p[out->len++] = (uint8_t)(hi << 4 | v);
      hi = -1;
    }
  }
  if (hi >= 0) {
    snprintf(msg, msglen, "odd number of hex digits (the last one is at column %zu)", hi_col);
    input_free(out);
    return -1;
  }
  return 0;
}

int input_from_hex(const char *hex, input_buf *out, char *msg, size_t msglen) {
  return parse_hex(hex, strlen(hex), out, msg, msglen);
}

/* More than anything decode takes apart; /dev/zero or an endless pipe stops here. */
#define INPUT_MAX (16u << 20)

int input_from_file(const char *path, input_buf *out, char *msg, size_t msglen) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (f == NULL) {
    snprintf(msg, msglen, "%s: %s", path, strerror(errno));
    return -1;
  }
  size_t cap = 4096, len = 0;
  uint8_t *buf = malloc(cap);
  bool too_big = false;
  while (buf != NULL && !(too_big = len > INPUT_MAX)) {
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0)
      break;
    if (len == cap) {
      uint8_t *nb = realloc(buf, cap *= 2);
      if (nb == NULL)
        free(buf);
      buf = nb;
    }
  }
  int err = ferror(f);
  if (f != stdin)
    fclose(f);
  if (buf == NULL || err || too_big) {
    free(buf);
    snprintf(msg, msglen, "%s: %s", path,
             buf == NULL ? "out of memory"
             : err       ? "read error"
                         : "larger than 16 MiB");
    return -1;
  }
  int text = len > 0;
  for (size_t i = 0; i < len && text; i++)
    text = hexval(buf[i]) >= 0 || skippable(buf[i]) || (i < 2 && (buf[i] == 'x' || buf[i] == 'X'));
  if (text) {
    int rc = parse_hex((const char *)buf, len, out, msg, msglen);
    free(buf);
    return rc;
  }
  out->p = buf;
  out->len = len;
  return 0;
}

void input_free(input_buf *in) {
  free(in->p);
  in->p = NULL;
  in->len = 0;
}
