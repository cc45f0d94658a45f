/* Text and JSON renderers of tg_dump. */
#include <ctype.h>
#include <string.h>

#include "dump_render.h"

/* ---- text -------------------------------------------------------------------------------------
 */

static void indent(text_dump *t) {
  for (int i = 0; i < t->depth; i++)
    fputs("  ", t->out);
}

static void key_prefix(text_dump *t, const char *key) {
  indent(t);
  if (key != NULL)
    fprintf(t->out, "%s: ", key);
  else
    fputs("- ", t->out);
}

static void text_begin(tg_dump *d, const char *key, int list) {
  text_dump *t = (text_dump *)d;
  (void)list;
  indent(t);
  fprintf(t->out, "%s%s\n", key ? key : "-", key ? ":" : "");
  t->depth++;
}

static void text_end(tg_dump *d) {
  text_dump *t = (text_dump *)d;
  if (t->depth > 0)
    t->depth--;
}

static void text_uint(tg_dump *d, const char *key, uint64_t v, const char *name) {
  text_dump *t = (text_dump *)d;
  key_prefix(t, key);
  if (name != NULL)
    fprintf(t->out, "%s (0x%04llx)\n", name, (unsigned long long)v);
  else
    fprintf(t->out, "%llu\n", (unsigned long long)v);
}

static void text_bytes(tg_dump *d, const char *key, tg_bytes v) {
  text_dump *t = (text_dump *)d;
  size_t shown = v.len;
  key_prefix(t, key);
  if (t->max_bytes != 0 && shown > t->max_bytes)
    shown = t->max_bytes;
  for (size_t i = 0; i < shown; i++)
    fprintf(t->out, "%02x", v.p[i]);
  if (shown < v.len)
    fprintf(t->out, "... (%zu bytes)", v.len);
  else if (v.len == 0)
    fputs("(empty)", t->out);
  fputc('\n', t->out);
}

static void text_text(tg_dump *d, const char *key, tg_bytes v) {
  text_dump *t = (text_dump *)d;
  key_prefix(t, key);
  fputc('"', t->out);
  for (size_t i = 0; i < v.len; i++) {
    if (v.p[i] == '"' || v.p[i] == '\\')
      fprintf(t->out, "\\%c", v.p[i]);
    else if (isprint(v.p[i]))
      fputc(v.p[i], t->out);
    else
      fprintf(t->out, "\\x%02x", v.p[i]);
  }
  fputs("\"\n", t->out);
}

void text_dump_init(text_dump *t, FILE *out, int depth, size_t max_bytes) {
  memset(t, 0, sizeof *t);
  t->base.begin = text_begin;
  t->base.end = text_end;
  t->base.uint = text_uint;
  t->base.bytes = text_bytes;
  t->base.text = text_text;
  t->out = out;
  t->depth = depth;
  t->max_bytes = max_bytes;
}

/* ---- JSON -------------------------------------------------------------------------------------
 */

json_t *json_hex(tg_bytes b) {
  static const char digits[] = "0123456789abcdef";
  char *s = malloc(2 * b.len + 1);
  if (s == NULL)
    return json_null();
  for (size_t i = 0; i < b.len; i++) {
    s[2 * i] = digits[b.p[i] >> 4];
    s[2 * i + 1] = digits[b.p[i] & 15];
  }
  s[2 * b.len] = '\0';
  json_t *j = json_string(s);
  free(s);
  return j;
}

/* Adds v under key to the innermost container (or makes it the root); steals v. */
static void json_put(json_dump *j, const char *key, json_t *v) {
  if (j->depth == 0) {
    if (j->root == NULL)
      j->root = v;
    else
      json_decref(v);
    return;
  }
  json_t *top = j->stack[j->depth - 1];
  if (json_is_array(top))
    json_array_append_new(top, v);
  else
    json_object_set_new(top, key ? key : "value", v);
}

static void json_begin(tg_dump *d, const char *key, int list) {
  json_dump *j = (json_dump *)d;
  if (j->depth >= JSON_DUMP_MAX_DEPTH || j->overflow) {
    j->overflow++;
    return;
  }
  json_t *c = list ? json_array() : json_object();
  json_incref(c);
  json_put(j, key, c);
  j->stack[j->depth++] = c;
}

static void json_end(tg_dump *d) {
  json_dump *j = (json_dump *)d;
  if (j->overflow) {
    j->overflow--;
    return;
  }
  if (j->depth > 0)
    json_decref(j->stack[--j->depth]);
}

static void json_uint(tg_dump *d, const char *key, uint64_t v, const char *name) {
  json_dump *j = (json_dump *)d;
  if (j->overflow)
    return;
  if (name != NULL)
    json_put(j, key, json_pack("{s:I, s:s}", "value", (json_int_t)v, "name", name));
  else
    json_put(j, key, json_integer((json_int_t)v));
}

static void json_bytes(tg_dump *d, const char *key, tg_bytes v) {
  json_dump *j = (json_dump *)d;
  if (!j->overflow)
    json_put(j, key, json_hex(v));
}

static void json_text(tg_dump *d, const char *key, tg_bytes v) {
  json_dump *j = (json_dump *)d;
  if (j->overflow)
    return;
  /* Names from the wire need not be UTF-8: fall back to hex rather than fail. */
  json_t *s = json_stringn((const char *)v.p, v.len);
  json_put(j, key, s ? s : json_hex(v));
}

void json_dump_init(json_dump *j) {
  memset(j, 0, sizeof *j);
  j->base.begin = json_begin;
  j->base.end = json_end;
  j->base.uint = json_uint;
  j->base.bytes = json_bytes;
  j->base.text = json_text;
}
