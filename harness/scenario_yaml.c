/* The generic half of the scenario loader: libyaml nodes read with FILE:LINE:COLUMN errors,
 * ${key} substitution, and the value forms of docs/scenarios.md (see scenario_yaml.h). */
#define _GNU_SOURCE /* memmem */
#include "scenario_yaml.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tg/names.h"

/* ---- Errors and scratch ------------------------------------------------------------------- */

bool sy_fail(sy_ctx *c, const yaml_node_t *n, const char *fmt, ...) {
  if (c->failed)
    return false; /* the first failure is the cause; later ones are its echoes */
  c->failed = true;
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t line = n ? n->start_mark.line + 1 : 1, col = n ? n->start_mark.column + 1 : 1;
  snprintf(c->err->text, sizeof c->err->text, "%s:%zu:%zu: %s", c->src.name, line, col, msg);
  return false;
}

static char *scratch_keep(sy_ctx *c, char *p) {
  if (p == NULL)
    return NULL;
  if (c->n_scratch == c->cap_scratch) {
    size_t cap = c->cap_scratch ? c->cap_scratch * 2 : 16;
    char **v = realloc(c->scratch, cap * sizeof *v);
    if (v == NULL) {
      free(p);
      return NULL;
    }
    c->scratch = v;
    c->cap_scratch = cap;
  }
  c->scratch[c->n_scratch++] = p;
  return p;
}

void sy_scratch_free(sy_ctx *c) {
  for (size_t i = 0; i < c->n_scratch; i++)
    free(c->scratch[i]);
  free(c->scratch);
  c->scratch = NULL;
  c->n_scratch = c->cap_scratch = 0;
}

/* ---- Nodes ----------------------------------------------------------------------------------- */

yaml_node_t *sy_node(sy_ctx *c, int index) { return yaml_document_get_node(c->src.doc, index); }

const char *sy_type_name(const yaml_node_t *n) {
  switch (n->type) {
  case YAML_SCALAR_NODE: return "a scalar";
  case YAML_SEQUENCE_NODE: return "a list";
  case YAML_MAPPING_NODE: return "a mapping";
  default: return "nothing";
  }
}

bool sy_want(sy_ctx *c, const yaml_node_t *n, yaml_node_type_t type) {
  if (n->type == type)
    return true;
  const char *want = type == YAML_SCALAR_NODE     ? "a scalar"
                     : type == YAML_SEQUENCE_NODE ? "a list"
                                                  : "a mapping";
  return sy_fail(c, n, "expected %s, found %s", want, sy_type_name(n));
}

size_t sy_seq_len(const yaml_node_t *n) {
  return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *sy_seq_item(sy_ctx *c, const yaml_node_t *n, size_t i) {
  return sy_node(c, n->data.sequence.items.start[i]);
}

size_t sy_map_len(const yaml_node_t *n) {
  return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

const char *sy_map_key(sy_ctx *c, const yaml_node_t *n, size_t i, yaml_node_t **key) {
  yaml_node_t *k = sy_node(c, n->data.mapping.pairs.start[i].key);
  if (key != NULL)
    *key = k;
  if (k == NULL || k->type != YAML_SCALAR_NODE)
    return NULL;
  return (const char *)k->data.scalar.value;
}

yaml_node_t *sy_map_value(sy_ctx *c, const yaml_node_t *n, size_t i) {
  return sy_node(c, n->data.mapping.pairs.start[i].value);
}

yaml_node_t *sy_get(sy_ctx *c, const yaml_node_t *map, const char *key) {
  if (map == NULL || map->type != YAML_MAPPING_NODE)
    return NULL;
  for (size_t i = 0; i < sy_map_len(map); i++) {
    const char *k = sy_map_key(c, map, i, NULL);
    if (k != NULL && strcmp(k, key) == 0)
      return sy_map_value(c, map, i);
  }
  return NULL;
}

static void list_keys(const char *const *allowed, char *buf, size_t cap) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; allowed[i] != NULL && used < cap; i++)
    used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", allowed[i]);
}

bool sy_check_keys(sy_ctx *c, const yaml_node_t *map, const char *const *allowed,
                   const char *what) {
  if (!sy_want(c, map, YAML_MAPPING_NODE))
    return false;
  for (size_t i = 0; i < sy_map_len(map); i++) {
    yaml_node_t *kn;
    const char *k = sy_map_key(c, map, i, &kn);
    if (k == NULL || strlen(k) != kn->data.scalar.length)
      return sy_fail(c, kn, "a key of %s must be a plain string", what);
    bool known = false;
    for (size_t j = 0; allowed[j] != NULL && !known; j++)
      known = strcmp(allowed[j], k) == 0;
    if (!known) {
      char keys[300];
      list_keys(allowed, keys, sizeof keys);
      return sy_fail(c, kn, "unknown key '%s' in %s (known: %s)", k, what, keys);
    }
    for (size_t j = 0; j < i; j++) {
      const char *prev = sy_map_key(c, map, j, NULL);
      if (prev != NULL && strcmp(prev, k) == 0)
        return sy_fail(c, kn, "duplicate key '%s' in %s", k, what);
    }
  }
  return true;
}

/* ---- Scalars and ${key} ---------------------------------------------------------------------- */

static const char *binding(const sy_ctx *c, const char *name, size_t len) {
  for (size_t i = 0; i < c->n_bind; i++)
    if (strlen(c->bind_key[i]) == len && memcmp(c->bind_key[i], name, len) == 0)
      return c->bind_val[i];
  return NULL;
}

/* Appends p[0..n) to the growing buffer *out. */
static bool grow_append(char **out, size_t *len, size_t *cap, const char *p, size_t n) {
  if (*len + n + 1 > *cap) {
    size_t ncap = (*len + n + 1) * 2;
    char *nb = realloc(*out, ncap);
    if (nb == NULL)
      return false;
    *out = nb;
    *cap = ncap;
  }
  memcpy(*out + *len, p, n);
  *len += n;
  (*out)[*len] = '\0';
  return true;
}

/* Replaces every ${key} of the scalar with its matrix value. */
static bool substitute(sy_ctx *c, const yaml_node_t *n, const char *s, size_t slen,
                       const char **out, size_t *olen) {
  char *buf = NULL;
  size_t len = 0, cap = 0;
  size_t i = 0;
  while (i < slen) {
    const char *open = memchr(s + i, '$', slen - i);
    size_t stop = open ? (size_t)(open - s) : slen;
    bool ok = grow_append(&buf, &len, &cap, s + i, stop - i);
    i = stop;
    if (ok && open != NULL && (i + 1 >= slen || s[i + 1] != '{'))
      ok = grow_append(&buf, &len, &cap, "$", 1), i++;
    else if (ok && open != NULL) {
      const char *close = memchr(s + i, '}', slen - i);
      const char *val = close ? binding(c, s + i + 2, (size_t)(close - s - i - 2)) : NULL;
      if (val == NULL) {
        free(buf);
        int shown = close ? (int)(close - s - i - 2) : (int)(slen - i - 2);
        return sy_fail(c, n, "'${%.*s}' is not a matrix key of this scenario", shown, s + i + 2);
      }
      ok = grow_append(&buf, &len, &cap, val, strlen(val));
      i = (size_t)(close - s) + 1;
    }
    if (!ok) {
      free(buf);
      return sy_fail(c, n, "out of memory");
    }
  }
  if (buf == NULL && !grow_append(&buf, &len, &cap, "", 0))
    return sy_fail(c, n, "out of memory");
  if (scratch_keep(c, buf) == NULL)
    return sy_fail(c, n, "out of memory");
  *out = buf;
  *olen = len;
  return true;
}

bool sy_text(sy_ctx *c, const yaml_node_t *n, const char **out, size_t *len) {
  if (!sy_want(c, n, YAML_SCALAR_NODE))
    return false;
  const char *s = (const char *)n->data.scalar.value;
  size_t slen = n->data.scalar.length;
  if (memmem(s, slen, "${", 2) != NULL && !substitute(c, n, s, slen, &s, &slen))
    return false;
  if (len == NULL && strlen(s) != slen)
    return sy_fail(c, n, "a NUL character is not allowed here");
  *out = s;
  if (len != NULL)
    *len = slen;
  return true;
}

bool sy_str(sy_ctx *c, const yaml_node_t *n, const char **out) { return sy_text(c, n, out, NULL); }

bool sy_strdup(sy_ctx *c, const yaml_node_t *n, char **out) {
  const char *s;
  if (!sy_str(c, n, &s))
    return false;
  char *d = strdup(s);
  if (d == NULL)
    return sy_fail(c, n, "out of memory");
  *out = d;
  return true;
}

bool sy_bool(sy_ctx *c, const yaml_node_t *n, bool *out) {
  static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on", NULL};
  static const char *const no[] = {"false", "False", "FALSE", "no", "No", "off", NULL};
  const char *s;
  if (!sy_str(c, n, &s))
    return false;
  for (size_t i = 0; yes[i] != NULL; i++) {
    if (strcmp(s, yes[i]) == 0)
      return *out = true, true;
    if (strcmp(s, no[i]) == 0)
      return *out = false, true;
  }
  return sy_fail(c, n, "expected true or false, found '%s'", s);
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out) {
  int base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    s += 2, base = 16;
  if (*s == '\0')
    return false;
  unsigned long v = 0;
  for (; *s != '\0'; s++) {
    int d = isdigit((unsigned char)*s)                       ? *s - '0'
            : base == 16 && isxdigit((unsigned char)*s) != 0 ? tolower((unsigned char)*s) - 'a' + 10
                                                             : -1;
    if (d < 0 || v > (max - (unsigned long)d) / (unsigned long)base)
      return false;
    v = v * (unsigned long)base + (unsigned long)d;
  }
  *out = v;
  return true;
}

bool sy_uint(sy_ctx *c, const yaml_node_t *n, unsigned long max, unsigned long *out) {
  const char *s;
  if (!sy_str(c, n, &s))
    return false;
  if (!parse_uint(s, max, out))
    return sy_fail(c, n, "expected a number from 0 to %lu, found '%s'", max, s);
  return true;
}

static int hex_digit(char ch) {
  return isdigit((unsigned char)ch)    ? ch - '0'
         : isxdigit((unsigned char)ch) ? tolower((unsigned char)ch) - 'a' + 10
                                       : -1;
}

/* Decodes s into out (room for strlen(s)/2 bytes); the byte count, or -1 with a message. */
static long decode_hex(const char *s, uint8_t *out, char *why, size_t whylen) {
  long n = 0;
  int hi = -1;
  for (size_t i = 0; s[i] != '\0'; i++) {
    if (s[i] == ' ' && hi < 0)
      continue;
    int d = hex_digit(s[i]);
    if (d < 0) {
      snprintf(why, whylen, "'%c' at offset %zu is not a hex digit", s[i], i);
      return -1;
    }
    if (hi < 0)
      hi = d;
    else
      out[n++] = (uint8_t)(hi << 4 | d), hi = -1;
  }
  if (hi >= 0) {
    snprintf(why, whylen, "an odd number of hex digits");
    return -1;
  }
  return n;
}

bool sy_hex(sy_ctx *c, const yaml_node_t *n, sc_bytes *out) {
  const char *s;
  if (!sy_str(c, n, &s))
    return false;
  uint8_t *p = malloc(strlen(s) / 2 + 1);
  if (p == NULL)
    return sy_fail(c, n, "out of memory");
  char why[80];
  long len = decode_hex(s, p, why, sizeof why);
  if (len < 0) {
    free(p);
    return sy_fail(c, n, "bad hex string: %s", why);
  }
  if (len == 0)
    free(p), p = NULL;
  *out = (sc_bytes){p, (size_t)len};
  return true;
}

bool sy_hex_str(sy_ctx *c, const yaml_node_t *n, const char **out) {
  sc_bytes b;
  if (!sy_hex(c, n, &b))
    return false;
  char *s = scratch_keep(c, malloc(2 * b.len + 1));
  if (s == NULL) {
    free(b.p);
    return sy_fail(c, n, "out of memory");
  }
  for (size_t i = 0; i < b.len; i++)
    snprintf(s + 2 * i, 3, "%02x", b.p[i]);
  s[2 * b.len] = '\0';
  free(b.p);
  *out = s;
  return true;
}

/* ---- Names ----------------------------------------------------------------------------------- */

static bool content_type_by_name(const char *s, unsigned *out) {
  for (unsigned t = 0; t < 256; t++) {
    const char *name = tg_content_type_name(t);
    if (name != NULL && strcmp(name, s) == 0)
      return *out = t, true;
  }
  return false;
}

bool sy_code(sy_ctx *c, const yaml_node_t *n, sy_names kind, unsigned *out) {
  static const char *const what[] = {"cipher suite", "group", "signature scheme",
                                     "extension",    "alert", "content type"};
  unsigned long max = kind == SY_ALERT || kind == SY_CONTENT_TYPE ? 255 : 65535;
  const char *s;
  if (!sy_str(c, n, &s))
    return false;
  unsigned long v;
  bool found = false;
  if (isdigit((unsigned char)s[0]))
    found = parse_uint(s, max, &v) && (*out = (unsigned)v, true);
  else if (kind == SY_CIPHER_SUITE)
    found = tg_cipher_suite_by_name(s, out);
  else if (kind == SY_GROUP)
    found = tg_group_by_name(s, out);
  else if (kind == SY_SIG_SCHEME)
    found = tg_sig_scheme_by_name(s, out);
  else if (kind == SY_EXTENSION)
    found = tg_ext_type_by_name(s, out);
  else if (kind == SY_ALERT)
    found = tg_alert_by_name(s, out);
  else
    found = content_type_by_name(s, out);
  if (!found)
    return sy_fail(c, n, "unknown %s '%s' (a name or a number up to %lu)", what[kind], s, max);
  return true;
}

bool sy_u16_list(sy_ctx *c, const yaml_node_t *n, sy_names kind, sc_u16_list *out) {
  if (!sy_want(c, n, YAML_SEQUENCE_NODE))
    return false;
  if (sy_seq_len(n) > SC_MAX_LIST)
    return sy_fail(c, n, "a list of more than %d items", SC_MAX_LIST);
  sc_u16_list l = {0};
  for (size_t i = 0; i < sy_seq_len(n); i++) {
    unsigned v;
    if (!sy_code(c, sy_seq_item(c, n, i), kind, &v))
      return false;
    l.v[l.n++] = (uint16_t)v;
  }
  *out = l;
  return true;
}

bool sy_version_text(const char *s, uint16_t *out) {
  if (strcmp(s, "1.2") == 0 || strcmp(s, "tls12") == 0)
    return *out = 0x0303, true;
  if (strcmp(s, "1.3") == 0 || strcmp(s, "tls13") == 0)
    return *out = 0x0304, true;
  return false;
}

bool sy_version(sy_ctx *c, const yaml_node_t *n, uint16_t *out) {
  const char *s;
  if (!sy_str(c, n, &s))
    return false;
  if (!sy_version_text(s, out))
    return sy_fail(c, n, "unknown version '%s' (\"1.2\", \"1.3\", tls12 or tls13)", s);
  return true;
}

bool sy_message_name(const char *s, bool hrr, int *out) {
  if (hrr && strcmp(s, "hello_retry_request") == 0)
    return *out = SC_MSG_HELLO_RETRY_REQUEST, true;
  for (unsigned t = 0; t < 256; t++) {
    const char *name = tg_hs_type_name(t);
    if (name != NULL && strcmp(name, s) == 0)
      return *out = (int)t, true;
  }
  return false;
}

/* ---- Files ------------------------------------------------------------------------------- */

/* The whole file, NUL-terminated; NULL with a message. Only a regular file is read: a FIFO or
 * a device could block or never end. Its size is checked before reading, and again while
 * reading (the file may grow). */
char *sy_read_file(const char *path, size_t *len, char *why, size_t whylen) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    snprintf(why, whylen, "%s", strerror(errno));
    if (fd >= 0)
      close(fd);
    return NULL;
  }
  const char *bad = S_ISDIR(st.st_mode)        ? "is a directory, not a YAML file"
                    : !S_ISREG(st.st_mode)     ? "not a regular file"
                    : st.st_size > SY_MAX_FILE ? "larger than 1 MiB (the limit of a YAML file)"
                                               : NULL;
  char *buf = bad == NULL ? malloc(SY_MAX_FILE + 2) : NULL;
  if (bad == NULL && buf == NULL)
    bad = "out of memory";
  size_t n = 0;
  while (bad == NULL && n <= SY_MAX_FILE) {
    ssize_t got = read(fd, buf + n, SY_MAX_FILE + 1 - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      bad = strerror(errno);
    else if (got == 0)
      break;
    else
      n += (size_t)got;
  }
  if (bad == NULL && n > SY_MAX_FILE)
    bad = "larger than 1 MiB (the limit of a YAML file)";
  close(fd);
  if (bad != NULL) {
    snprintf(why, whylen, "%s", bad);
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

bool sy_too_deep(const uint8_t *text, size_t len, yaml_mark_t *at) {
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p))
    return false; /* the real parse reports it */
  yaml_parser_set_input_string(&p, text, len);
  int depth = 0;
  bool deep = false, more = true;
  while (more && !deep) {
    yaml_event_t e;
    if (!yaml_parser_parse(&p, &e))
      break; /* a syntax error: the real parse reports it with its position */
    if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT)
      deep = ++depth > SY_MAX_DEPTH;
    else if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT)
      depth--;
    more = e.type != YAML_STREAM_END_EVENT;
    if (deep)
      *at = e.start_mark;
    yaml_event_delete(&e);
  }
  yaml_parser_delete(&p);
  return deep;
}

bool sy_check_depth(sy_ctx *c, const uint8_t *text, size_t len) {
  yaml_mark_t at;
  if (!sy_too_deep(text, len, &at))
    return true;
  snprintf(c->err->text, sizeof c->err->text,
           "%s:%zu:%zu: nested deeper than %d levels (the limit of a YAML file)", c->src.name,
           at.line + 1, at.column + 1, SY_MAX_DEPTH);
  c->failed = true;
  return false;
}

/* libyaml's syntax error as FILE:LINE:COLUMN (a reader error has only a byte offset). */
void sy_yaml_error(sy_ctx *c, const yaml_parser_t *p, const uint8_t *text, size_t len) {
  size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
  if (p->error == YAML_READER_ERROR) {
    line = col = 1;
    for (size_t i = 0; i < p->problem_offset && i < len; i++)
      text[i] == '\n' ? (line++, col = 1) : col++;
  }
  char ctx[120] = "";
  if (p->context != NULL)
    snprintf(ctx, sizeof ctx, " (%s at %zu:%zu)", p->context, p->context_mark.line + 1,
             p->context_mark.column + 1);
  snprintf(c->err->text, sizeof c->err->text, "%s:%zu:%zu: YAML: %s%s", c->src.name, line, col,
           p->problem ? p->problem : "syntax error", ctx);
  c->failed = true;
}
