/* hunt's mutations as text (hunt.h): the one-line form the report, the resumable state and the
 * fuzz_hunt inputs use (hunt_mut_format, hunt_mut_parse), and a mutation's kind without its
 * values (hunt_mut_shape). */
#include "hunt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/deviations.h"
#include "tg/names.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

bool hunt_spec_installs(const char *spec) {
  tg_deviation_set set;
  tg_err err = {0};
  tg_deviation_set_init(&set);
  bool ok = tg_deviation_set_add(&set, spec, NULL, &err) == TG_OK;
  tg_deviation_set_free(&set);
  return ok;
}

/* ---- One line per mutation ------------------------------------------------------------------- */

static void put(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *buf, size_t cap, const char *fmt, ...) {
  size_t len = strnlen(buf, cap);
  if (len + 1 >= cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + len, cap - len, fmt, ap);
  va_end(ap);
}

/* Lowercase hex, "-" for none. */
static void put_hex(char *buf, size_t cap, const uint8_t *p, size_t n) {
  if (n == 0)
    put(buf, cap, "-");
  for (size_t i = 0; i < n && i < HUNT_MAX_BYTES; i++)
    put(buf, cap, "%02x", p[i]);
}

void hunt_mut_format(const hunt_mut *m, char *buf, size_t cap) {
  if (cap == 0)
    return;
  buf[0] = '\0';
  if (m->kind == HM_DEVIATION) {
    put(buf, cap, "dev %.*s", (int)sizeof m->spec, m->spec);
    return;
  }
  put(buf, cap, "step %zu ", m->at);
  const char *alert = tg_alert_name(m->alert);
  switch (m->send) {
  case SC_SEND_ALERT:
    put(buf, cap, "alert %s ", m->alert_level == 1 ? "warning" : "fatal");
    if (alert != NULL)
      put(buf, cap, "%s", alert);
    else
      put(buf, cap, "%u", m->alert);
    break;
  case SC_SEND_CHANGE_CIPHER_SPEC:
    put(buf, cap, "ccs ");
    put_hex(buf, cap, m->bytes, m->n_bytes);
    break;
  case SC_SEND_RECORD:
    put(buf, cap, "record %u %04x %s ", m->record_type, m->record_version,
        m->protect ? "protect" : "plain");
    put_hex(buf, cap, m->bytes, m->n_bytes);
    break;
  case SC_SEND_APPLICATION_DATA:
    put(buf, cap, "data ");
    put_hex(buf, cap, m->bytes, m->n_bytes);
    break;
  case SC_SEND_KEY_UPDATE:
    put(buf, cap, "key_update %s", m->request_update ? "request" : "no");
    break;
  default: put(buf, cap, "?"); break;
  }
}

/* A decimal number without sign or leading zeros, at most max. */
static bool parse_dec(const char *s, unsigned long max, unsigned long *out) {
  size_t len = strlen(s);
  if (len == 0 || len > 9 || (s[0] == '0' && len > 1))
    return false;
  unsigned long v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (unsigned long)(s[i] - '0');
  }
  *out = v;
  return v <= max;
}

static int hex_val(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Lowercase hex or "-" into p (at most cap bytes). */
static bool parse_bytes(const char *s, uint8_t *p, size_t cap, size_t *n) {
  size_t len = strlen(s);
  *n = 0;
  if (strcmp(s, "-") == 0)
    return true;
  if (len == 0 || len % 2 != 0 || len / 2 > cap)
    return false;
  for (size_t i = 0; i < len; i += 2) {
    int hi = hex_val(s[i]), lo = hex_val(s[i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    p[i / 2] = (uint8_t)(hi << 4 | lo);
  }
  *n = len / 2;
  return true;
}

/* The words after "step AT KIND" into m. */
static bool parse_step(char **w, size_t n, hunt_mut *m) {
  unsigned long v;
  if (strcmp(w[0], "alert") == 0 && n == 3) {
    unsigned a;
    m->send = SC_SEND_ALERT;
    m->alert_level = strcmp(w[1], "warning") == 0 ? 1 : strcmp(w[1], "fatal") == 0 ? 2 : 0;
    if (tg_alert_by_name(w[2], &a))
      v = a;
    else if (!parse_dec(w[2], 255, &v))
      return false;
    m->alert = (uint8_t)v;
    return m->alert_level != 0;
  }
  if (strcmp(w[0], "ccs") == 0 && n == 2) {
    m->send = SC_SEND_CHANGE_CIPHER_SPEC;
    return parse_bytes(w[1], m->bytes, HUNT_MAX_BYTES, &m->n_bytes) && m->n_bytes > 0;
  }
  if (strcmp(w[0], "data") == 0 && n == 2) {
    m->send = SC_SEND_APPLICATION_DATA;
    return parse_bytes(w[1], m->bytes, HUNT_MAX_BYTES, &m->n_bytes) && m->n_bytes > 0;
  }
  if (strcmp(w[0], "key_update") == 0 && n == 2) {
    m->send = SC_SEND_KEY_UPDATE;
    m->request_update = strcmp(w[1], "request") == 0;
    return m->request_update || strcmp(w[1], "no") == 0;
  }
  if (strcmp(w[0], "record") == 0 && n == 5) {
    uint8_t ver[2];
    size_t vlen;
    m->send = SC_SEND_RECORD;
    if (!parse_dec(w[1], 255, &v) || !parse_bytes(w[2], ver, 2, &vlen) || vlen != 2)
      return false;
    m->record_type = (uint8_t)v;
    m->record_version = (uint16_t)(ver[0] << 8 | ver[1]);
    m->protect = strcmp(w[3], "protect") == 0;
    return (m->protect || strcmp(w[3], "plain") == 0) && m->record_version != 0 &&
           parse_bytes(w[4], m->bytes, HUNT_MAX_BYTES, &m->n_bytes);
  }
  return false;
}

bool hunt_mut_parse(const char *line, hunt_mut *out) {
  hunt_mut m = {.kind = HM_DEVIATION};
  char buf[2 * HUNT_MAX_BYTES + 64], again[sizeof buf];
  if (line == NULL)
    return false;
  if (strncmp(line, "dev ", 4) == 0) {
    const char *spec = line + 4;
    size_t len = strlen(spec);
    for (size_t i = 0; i < len; i++)
      if (spec[i] <= ' ' || spec[i] > '~')
        return false; /* one word of printable ASCII */
    if (len == 0 || len >= sizeof m.spec || !hunt_spec_installs(spec))
      return false;
    memcpy(m.spec, spec, len + 1);
    *out = m;
    return true;
  }
  size_t len = strlen(line);
  if (strncmp(line, "step ", 5) != 0 || len >= sizeof buf)
    return false;
  memcpy(buf, line, len + 1);
  char *w[8];
  size_t n = 0;
  for (char *p = buf; n < COUNT(w); n++) { /* words split at single spaces; none empty */
    w[n] = p;
    char *sp = strchr(p, ' ');
    if (sp == NULL) {
      n++;
      break;
    }
    *sp = '\0';
    p = sp + 1;
  }
  for (size_t i = 0; i < n; i++)
    if (w[i][0] == '\0')
      return false;
  unsigned long at;
  m.kind = HM_STEP;
  if (n < 3 || !parse_dec(w[1], 65535, &at) || !parse_step(w + 2, n - 2, &m))
    return false;
  m.at = at;
  /* One spelling per mutation: what does not format back to itself (an alert by number that
   * has a name, a word after the last) is not a line this module writes. */
  hunt_mut_format(&m, again, sizeof again);
  if (strcmp(again, line) != 0)
    return false;
  *out = m;
  return true;
}

/* ---- Shapes ---------------------------------------------------------------------------------- */

/* The deviation's name, the message(s) or field it concerns, and its @selector: its numbers,
 * bytes and extension types left out. */
void hunt_spec_shape(const char *spec, char *buf, size_t cap) {
  if (cap == 0)
    return;
  buf[0] = '\0';
  char *s = strdup(spec); /* a seed's spec may be long (a hex parameter of 64 KiB) */
  if (s == NULL)
    return;
  char *at = strrchr(s, '@');
  if (at != NULL)
    *at++ = '\0';
  char *param = strchr(s, ':');
  if (param != NULL)
    *param++ = '\0';
  put(buf, cap, "%s", s);
  const tg_dev_def *def = tg_deviation_find(s);
  tg_dev_param kind = def != NULL ? def->param : TG_DEV_PARAM_NONE;
  char *colon = param != NULL ? strchr(param, ':') : NULL;
  if (kind == TG_DEV_PARAM_MESSAGE || kind == TG_DEV_PARAM_TWO_MESSAGES)
    put(buf, cap, ":%s", param);
  else if (colon != NULL &&
           (kind == TG_DEV_PARAM_FIELD_HEX || kind == TG_DEV_PARAM_MESSAGE_HEX ||
            kind == TG_DEV_PARAM_MESSAGE_NUMBER || kind == TG_DEV_PARAM_MESSAGE_NUMBER_HEX))
    put(buf, cap, ":%.*s", (int)(colon - param), param);
  if (at != NULL)
    put(buf, cap, "@%s", at);
  free(s);
}

void hunt_mut_shape(const hunt_mut *m, char *buf, size_t cap) {
  static const char *const sends[] = {[SC_SEND_ALERT] = "alert",
                                      [SC_SEND_CHANGE_CIPHER_SPEC] = "ccs",
                                      [SC_SEND_RECORD] = "record",
                                      [SC_SEND_APPLICATION_DATA] = "data",
                                      [SC_SEND_KEY_UPDATE] = "key_update"};
  if (cap == 0)
    return;
  buf[0] = '\0';
  if (m->kind == HM_DEVIATION)
    hunt_spec_shape(m->spec, buf, cap);
  else
    put(buf, cap, "step %s",
        (size_t)m->send < COUNT(sends) && sends[m->send] ? sends[m->send] : "?");
}
