/* Scenarios back to YAML (scenario_write.h): the keys and spellings the loader takes
 * (scenario_load.c, scenario_steps.c, docs/scenarios.md), so that the text loads into a scenario
 * that plays the same.
 *
 * Every free-form string (ids, titles, certificate names, deviation specs) is written
 * double-quoted; names of code points are written by name when the loader maps that name back to
 * the same value, else as a number. A value no scenario file can hold (a version other than 1.2
 * or 1.3, an alert level other than warning or fatal, repeat: on a step that takes none, a
 * string with "${" or with bytes that are not UTF-8, ...) never arises from a loaded scenario;
 * it is written as it is, so that loading the text fails at that line with the loader's message
 * rather than giving a scenario that plays differently. */
#include "scenario_write.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello_check.h"
#include "tg/names.h"
#include "tg/x509_verify.h"

/* ---- A growing text ------------------------------------------------------------------------ */

typedef struct out {
  char *p;
  size_t len, cap;
  bool oom;
} out;

static void put_bytes(out *o, const char *p, size_t n) {
  if (o->oom)
    return;
  if (o->len + n + 1 > o->cap) {
    size_t cap = o->cap ? o->cap : 1024;
    while (cap < o->len + n + 1)
      cap *= 2;
    char *q = realloc(o->p, cap);
    if (q == NULL) {
      o->oom = true;
      return;
    }
    o->p = q, o->cap = cap;
  }
  memcpy(o->p + o->len, p, n);
  o->len += n;
  o->p[o->len] = '\0';
}

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    o->oom = true;
    return;
  }
  if ((size_t)n < sizeof small) {
    put_bytes(o, small, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (big == NULL) {
    o->oom = true;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  put_bytes(o, big, (size_t)n);
  free(big);
}

/* ---- Characters ------------------------------------------------------------------------------ */

/* The length of the UTF-8 sequence at s (at most n bytes) and its code point; 0 when it is not
 * one (overlong, a surrogate, truncated). */
static size_t utf8_char(const unsigned char *s, size_t n, unsigned *cp) {
  size_t len = s[0] < 0x80                   ? 1
               : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
               : s[0] >= 0xe0 && s[0] < 0xf0 ? 3
               : s[0] >= 0xf0 && s[0] < 0xf5 ? 4
                                             : 0;
  if (len == 0 || len > n)
    return 0;
  unsigned v = len == 1 ? s[0] : s[0] & (0x7fu >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    v = v << 6 | (s[i] & 0x3fu);
  }
  static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
    return 0;
  *cp = v;
  return len;
}

/* The characters that stand for themselves in a scalar or a comment: YAML 1.1 printable (what
 * libyaml takes in a stream), without tab and the line breaks (NEL, LS and PS are breaks too:
 * they would end a comment line, and a quoted scalar folds them). */
static bool printable(unsigned cp) {
  return (cp >= 0x20 && cp <= 0x7e) ||
         (cp >= 0xa0 && cp <= 0xd7ff && cp != 0x2028 && cp != 0x2029) ||
         (cp >= 0xe000 && cp <= 0xfffd && cp != 0xfeff) || cp >= 0x10000;
}

/* A double-quoted YAML scalar of s[0..n): '"' and '\' escaped, every character that is not
 * printable as an escape of its code point. A byte that is not UTF-8 is copied: no escape gives
 * it back, and libyaml then refuses the text where it stands. */
static void put_quoted_n(out *o, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  put_bytes(o, "\"", 1);
  for (size_t i = 0; i < n;) {
    unsigned cp;
    size_t len = utf8_char(u + i, n - i, &cp);
    if (len == 0)
      put_bytes(o, s + i, 1), len = 1;
    else if (cp == '"' || cp == '\\')
      put(o, "\\%c", (char)cp);
    else if (cp == '\n')
      put(o, "\\n");
    else if (cp == '\t')
      put(o, "\\t");
    else if (printable(cp))
      put_bytes(o, s + i, len);
    else
      put(o, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x", cp);
    i += len;
  }
  put_bytes(o, "\"", 1);
}

static void put_quoted(out *o, const char *s) { put_quoted_n(o, s, strlen(s)); }

static void put_hex(out *o, const uint8_t *p, size_t n) {
  put_bytes(o, "\"", 1);
  for (size_t i = 0; i < n; i++)
    put(o, "%02x", p[i]);
  put_bytes(o, "\"", 1);
}

/* The comment: "# " lines, one per line of it. A character a YAML stream cannot hold, or a
 * byte that is not UTF-8, is written as the text \xNN, so the comment never breaks the file. */
static void put_comment(out *o, const char *c) {
  const unsigned char *u = (const unsigned char *)c;
  size_t n = strlen(c);
  put(o, "# ");
  for (size_t i = 0; i < n;) {
    if (u[i] == '\n' || u[i] == '\r') { /* \r\n is one line break */
      put(o, "\n# ");
      i += u[i] == '\r' && u[i + 1] == '\n' ? 2 : 1;
      continue;
    }
    unsigned cp;
    size_t len = utf8_char(u + i, n - i, &cp);
    if (len > 0 && (printable(cp) || cp == '\t'))
      put_bytes(o, c + i, len);
    else
      put(o, "\\x%02x", u[i]), len = 1;
    i += len;
  }
  put(o, "\n");
}

/* ---- Names and values ------------------------------------------------------------------------ */

typedef const char *(*name_fn)(unsigned v);
typedef bool (*by_name_fn)(const char *name, unsigned *v);

static bool content_type_by_name(const char *s, unsigned *v) {
  for (unsigned t = 0; t < 256; t++) {
    const char *name = tg_content_type_name(t);
    if (name != NULL && strcmp(name, s) == 0)
      return *v = t, true;
  }
  return false;
}

/* By name when the loader reads that name back as v (sy_code takes a leading digit for a
 * number), else as a number. */
static void put_code(out *o, unsigned v, name_fn name, by_name_fn back, bool wide) {
  const char *s = name(v);
  unsigned again;
  if (s != NULL && isalpha((unsigned char)s[0]) && back(s, &again) && again == v)
    put(o, "%s", s);
  else if (wide)
    put(o, "0x%04x", v);
  else
    put(o, "%u", v);
}

static void put_alert(out *o, unsigned v) {
  put_code(o, v, tg_alert_name, tg_alert_by_name, false);
}

static void put_u16_list(out *o, const sc_u16_list *l, name_fn name, by_name_fn back) {
  put(o, "[");
  for (size_t i = 0; i < l->n; i++) {
    put(o, "%s", i ? ", " : "");
    put_code(o, l->v[i], name, back, true);
  }
  put(o, "]");
}

static void put_version(out *o, uint16_t v) {
  if (v == 0x0303 || v == 0x0304)
    put(o, "\"1.%d\"", v - 0x0301);
  else
    put(o, "\"0x%04x\"", v); /* the loader refuses it: no file can say it */
}

/* Sections: the `key:` line of target_options or endpoint is written before its first field. */
typedef struct section {
  out *o;
  const char *name;
  bool open;
} section;

static void open_section(section *s) {
  if (!s->open)
    put(s->o, "%s:\n", s->name), s->open = true;
}

static void field(section *s, const char *key) {
  open_section(s);
  put(s->o, "  %s: ", key);
}

static void str_field(section *s, const char *key, const char *v) {
  field(s, key);
  put_quoted(s->o, v);
  put(s->o, "\n");
}

static void true_field(section *s, const char *key, bool v) {
  if (v)
    field(s, key), put(s->o, "true\n");
}

static void list_field(section *s, const char *key, const sc_u16_list *l, name_fn name,
                       by_name_fn back) {
  if (l->n == 0)
    return;
  field(s, key);
  put_u16_list(s->o, l, name, back);
  put(s->o, "\n");
}

static void versions(section *s, uint16_t min, uint16_t max) {
  if (min != 0)
    field(s, "min_version"), put_version(s->o, min), put(s->o, "\n");
  if (max != 0)
    field(s, "max_version"), put_version(s->o, max), put(s->o, "\n");
}

static bool str_is(const char *s, const char *v) { return s != NULL && strcmp(s, v) == 0; }

/* ---- target_options and endpoint ------------------------------------------------------------- */

/* A comma-separated ALPN list (the peer flag's form) as a YAML list. */
static void put_alpn_csv(out *o, const char *csv) {
  put(o, "[");
  for (const char *p = csv; *csv != '\0'; p++) {
    size_t len = strcspn(p, ",");
    put(o, "%s", p == csv ? "" : ", ");
    put_quoted_n(o, p, len);
    p += len;
    if (*p == '\0')
      break; /* else p is at the ',' the loop steps over */
  }
  put(o, "]\n");
}

/* The wire ProtocolNameList entries as a YAML list; a malformed one as a scalar, which the loader
 * refuses (a list is required), since no list of names gives those bytes. */
static void put_alpn_wire(out *o, const sc_bytes *b) {
  size_t i = 0;
  while (i < b->len && b->p[i] != 0 && i + 1 + b->p[i] <= b->len)
    i += 1 + (size_t)b->p[i];
  if (i != b->len) {
    put(o, "\"malformed ProtocolNameList ");
    for (size_t k = 0; k < b->len; k++)
      put(o, "%02x", b->p[k]);
    put(o, "\"");
    return;
  }
  put(o, "[");
  for (i = 0; i < b->len; i += 1 + (size_t)b->p[i]) {
    put(o, "%s", i ? ", " : "");
    put_quoted_n(o, (const char *)b->p + i + 1, b->p[i]);
  }
  put(o, "]");
}

static void write_target(out *o, const sc_scenario *s) {
  const sc_target_opts *t = &s->target_opts;
  bool client = s->target == SC_TARGET_CLIENT;
  section sec = {o, "target_options", false};
  versions(&sec, t->min_version, t->max_version);
  list_field(&sec, "ciphers", &t->ciphers, tg_cipher_suite_name, tg_cipher_suite_by_name);
  list_field(&sec, "groups", &t->groups, tg_group_name, tg_group_by_name);
  list_field(&sec, "sigalgs", &t->sigalgs, tg_sig_scheme_name, tg_sig_scheme_by_name);
  if (t->cert != NULL && !t->cert_default)
    str_field(&sec, "cert", t->cert);
  if (t->trust != NULL && !str_is(t->trust, "root"))
    str_field(&sec, "trust", t->trust);
  if (t->verify_name != NULL && !(client && str_is(t->verify_name, "server.test")))
    str_field(&sec, "verify_name", t->verify_name);
  if (t->sni != NULL && !t->sni_default)
    str_field(&sec, "sni", t->sni);
  if (t->alpn != NULL)
    field(&sec, "alpn"), put_alpn_csv(o, t->alpn);
  true_field(&sec, "no_verify", t->no_verify);
  true_field(&sec, "require_client_cert", t->require_client_cert);
  true_field(&sec, "key_update", t->key_update);
  true_field(&sec, "require_ems", t->require_ems);
  true_field(&sec, "request_client_cert", t->request_client_cert);
  true_field(&sec, "ems_optional", t->ems_optional);
  if (t->x509_profile != TG_X509_PROFILE_RFC5280)
    str_field(&sec, "x509_profile", tg_x509_profile_name((tg_x509_profile)t->x509_profile));
}

static void bytes_field(section *s, const char *key, const sc_bytes *b) {
  if (b->len == 0)
    return;
  field(s, key);
  put_hex(s->o, b->p, b->len);
  put(s->o, "\n");
}

/* Every deviation spec, the steps' edits included, in order: the loader installs the
 * endpoint's list first, then each step's, so the order is kept. */
static void write_endpoint(out *o, const sc_scenario *s) {
  const sc_endpoint *e = &s->endpoint;
  bool client = s->target == SC_TARGET_CLIENT; /* the endpoint is then the server */
  section sec = {o, "endpoint", false};
  versions(&sec, e->min_version, e->max_version);
  list_field(&sec, "cipher_suites", &e->cipher_suites, tg_cipher_suite_name,
             tg_cipher_suite_by_name);
  list_field(&sec, "groups", &e->groups, tg_group_name, tg_group_by_name);
  list_field(&sec, "key_shares", &e->key_shares, tg_group_name, tg_group_by_name);
  list_field(&sec, "sigalgs", &e->sigalgs, tg_sig_scheme_name, tg_sig_scheme_by_name);
  if (e->cert != NULL && !(client && str_is(e->cert, "server")))
    str_field(&sec, "cert", e->cert);
  if (e->server_name != NULL && !(!client && str_is(e->server_name, "server.test")))
    str_field(&sec, "server_name", e->server_name);
  if (e->alpn.len > 0)
    field(&sec, "alpn"), put_alpn_wire(o, &e->alpn), put(o, "\n");
  true_field(&sec, "middlebox_compat", e->middlebox_compat);
  true_field(&sec, "ems_optional", e->ems_optional);
  true_field(&sec, "request_client_cert", e->request_client_cert);
  bytes_field(&sec, "hrr_cookie", &e->hrr_cookie);
  bytes_field(&sec, "rng_seed", &e->rng_seed);
  true_field(&sec, "verify", e->verify);
  if (e->record_padding != 0)
    field(&sec, "record_padding"), put(o, "%zu\n", e->record_padding);
  if (e->record_size_limit != 0)
    field(&sec, "record_size_limit"), put(o, "%u\n", e->record_size_limit);
  if (s->n_deviations == 0)
    return;
  open_section(&sec);
  put(o, "  deviations:\n");
  for (size_t i = 0; i < s->n_deviations; i++) {
    put(o, "    - ");
    put_quoted(o, s->deviations[i]);
    put(o, "\n");
  }
}

/* ---- Steps ----------------------------------------------------------------------------------- */

static const char *const send_names[] = {
    [SC_SEND_APPLICATION_DATA] = "application_data",
    [SC_SEND_ALERT] = "alert",
    [SC_SEND_CHANGE_CIPHER_SPEC] = "change_cipher_spec",
    [SC_SEND_KEY_UPDATE] = "key_update",
    [SC_SEND_CLOSE_NOTIFY] = "close_notify",
    [SC_SEND_RECORD] = "record",
    [SC_SEND_RAW] = "raw",
    [SC_SEND_SHUTDOWN] = "shutdown",
};

/* The handshake message of `send: MESSAGE` by name; as a number (which the loader refuses) when
 * it has none, or when its name is another send step's (key_update). */
static void put_message(out *o, int msg) {
  const char *name = msg >= 0 && msg < 256 ? tg_hs_type_name((unsigned)msg) : NULL;
  bool other = false;
  for (size_t i = 0; name != NULL && i < sizeof send_names / sizeof send_names[0]; i++)
    other |= send_names[i] != NULL && strcmp(send_names[i], name) == 0;
  if (name != NULL && !other)
    put(o, "%s\n", name);
  else
    put(o, "\"%d\"\n", msg);
}

static void write_send(out *o, const sc_step *st) {
  put(o, "  - send: ");
  if (st->send == SC_SEND_MESSAGE) {
    put_message(o, st->msg_type);
    return; /* its edits are among the endpoint's deviations */
  }
  if ((unsigned)st->send >= sizeof send_names / sizeof send_names[0]) {
    put(o, "\"%d\"\n", (int)st->send);
    return;
  }
  put(o, "%s\n", send_names[st->send]);
  switch (st->send) {
  case SC_SEND_ALERT:
    put(o, "    alert: "), put_alert(o, st->alert), put(o, "\n");
    if (st->alert_level == 1)
      put(o, "    level: warning\n");
    else if (st->alert_level != 2)
      put(o, "    level: \"%u\"\n", st->alert_level); /* refused: warning or fatal */
    break;
  case SC_SEND_CHANGE_CIPHER_SPEC: /* the loader's default body is 01 */
    if (!(st->data.len == 1 && st->data.p[0] == 1))
      put(o, "    hex: "), put_hex(o, st->data.p, st->data.len), put(o, "\n");
    break;
  case SC_SEND_KEY_UPDATE:
    if (st->request_update)
      put(o, "    request: true\n");
    break;
  case SC_SEND_RECORD:
    put(o, "    type: ");
    put_code(o, st->record_type, tg_content_type_name, content_type_by_name, false);
    put(o, "\n");
    if (st->record_version != 0)
      put(o, "    version: \"%04x\"\n", st->record_version);
    if (!st->protect)
      put(o, "    protect: false\n");
    if (st->data.len > 0)
      put(o, "    hex: "), put_hex(o, st->data.p, st->data.len), put(o, "\n");
    break;
  case SC_SEND_APPLICATION_DATA:
  case SC_SEND_RAW: put(o, "    hex: "), put_hex(o, st->data.p, st->data.len), put(o, "\n"); break;
  default: break;
  }
  if (st->repeat > 1)
    put(o, "    repeat: %u\n", st->repeat); /* refused where the step takes none */
}

static void put_alerts(out *o, const uint8_t *v, size_t n) {
  put(o, "[");
  for (size_t i = 0; i < n; i++)
    put(o, "%s", i ? ", " : ""), put_alert(o, v[i]);
  put(o, "]\n");
}

static void put_alert_list(out *o, const sc_step *st) { put_alerts(o, st->alerts, st->n_alerts); }

static void write_expect(out *o, const sc_step *st) {
  put(o, "  - expect: ");
  switch (st->expect) {
  case SC_EXPECT_ALERT:
    put(o, "alert\n");
    if (st->alert_level == 1)
      put(o, "    level: warning\n");
    if (st->n_alerts > 0)
      put(o, "    alert: "), put_alert_list(o, st);
    if (st->n_or_alerts > 0)
      put(o, "    or_alert: "), put_alerts(o, st->or_alerts, st->n_or_alerts);
    return;
  case SC_EXPECT_CLOSE: put(o, "close\n"); break;
  case SC_EXPECT_ESTABLISHED: put(o, "established\n"); break;
  case SC_EXPECT_DATA:
    put(o, "data\n    hex: ");
    put_hex(o, st->expect_data.p, st->expect_data.len);
    put(o, "\n");
    break;
  case SC_EXPECT_MESSAGE: {
    const char *name = st->expect_msg == SC_MSG_HELLO_RETRY_REQUEST ? "hello_retry_request"
                       : st->expect_msg >= 0 && st->expect_msg < 256
                           ? tg_hs_type_name((unsigned)st->expect_msg)
                           : NULL;
    if (name != NULL)
      put(o, "%s\n", name);
    else
      put(o, "\"%d\"\n", st->expect_msg);
    if (st->after_hrr) /* the second ClientHello, and its checks (hello_check.h) */
      put(o, "    after: hello_retry_request\n");
    for (unsigned i = 0, n = 0; i < HC_COUNT; i++)
      if (st->hello_checks >> i & 1)
        put(o, "%s%s", n++ ? ", " : "    check: [", hello_check_name(i));
    if (st->hello_checks != 0)
      put(o, "]\n");
    break;
  }
  default: put(o, "\"%d\"\n", (int)st->expect); break;
  }
  if (st->n_alerts > 0) /* refused on expect: close, which takes none */
    put(o, "    or_alert: "), put_alert_list(o, st);
}

/* ---- The file -------------------------------------------------------------------------------- */

static void write_header(out *o, const sc_scenario *s, const char *id) {
  put(o, "id: ");
  put_quoted(o, id != NULL ? id : s->id != NULL ? s->id : "");
  put(o, "\n");
  if (s->rfc != NULL)
    put(o, "rfc: "), put_quoted(o, s->rfc), put(o, "\n");
  if (s->title != NULL)
    put(o, "title: "), put_quoted(o, s->title), put(o, "\n");
  if (s->n_tags > 1) { /* tags[0] is the id's first component, which the loader adds */
    put(o, "tags: [");
    for (size_t i = 1; i < s->n_tags; i++)
      put(o, "%s", i > 1 ? ", " : ""), put_quoted(o, s->tags[i]);
    put(o, "]\n");
  }
  put(o, "target: %s\n", s->target == SC_TARGET_CLIENT ? "client" : "server");
  /* The loader rounds seconds to milliseconds: three decimals say any timeout_ms exactly. */
  if (s->timeout_ms != SC_DEFAULT_TIMEOUT_MS && s->timeout_ms % 1000 == 0)
    put(o, "timeout: %d\n", s->timeout_ms / 1000);
  else if (s->timeout_ms != SC_DEFAULT_TIMEOUT_MS)
    put(o, "timeout: %s%d.%03d\n", s->timeout_ms < 0 ? "-" : "", abs(s->timeout_ms / 1000),
        abs(s->timeout_ms % 1000));
  if (s->insensitive != NULL) {
    put(o, "sensitivity: none\nsensitivity_reason: ");
    put_quoted(o, s->insensitive);
    put(o, "\n");
  }
}

char *sc_write_yaml(const sc_scenario *s, const char *id, const char *comment, size_t *len) {
  out o = {0};
  if (comment != NULL)
    put_comment(&o, comment);
  write_header(&o, s, id);
  write_target(&o, s);
  write_endpoint(&o, s);
  put(&o, "script:\n");
  for (size_t i = 0; i < s->n_steps; i++) {
    if (s->steps[i].kind == SC_STEP_SEND)
      write_send(&o, &s->steps[i]);
    else
      write_expect(&o, &s->steps[i]);
  }
  if (s->n_steps == 0)
    put(&o, "  []\n"); /* refused: a script has steps */
  if (o.oom) {
    free(o.p);
    return NULL;
  }
  if (len != NULL)
    *len = o.len;
  return o.p;
}

/* ---- Sameness -------------------------------------------------------------------------------- */

static bool str_same(const char *a, const char *b) {
  return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool bytes_same(const sc_bytes *a, const sc_bytes *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

static bool list_same(const sc_u16_list *a, const sc_u16_list *b) {
  return a->n == b->n && memcmp(a->v, b->v, a->n * sizeof a->v[0]) == 0;
}

static bool target_same(const sc_target_opts *a, const sc_target_opts *b) {
  return a->min_version == b->min_version && a->max_version == b->max_version &&
         list_same(&a->ciphers, &b->ciphers) && list_same(&a->groups, &b->groups) &&
         list_same(&a->sigalgs, &b->sigalgs) && str_same(a->cert, b->cert) &&
         str_same(a->trust, b->trust) && str_same(a->verify_name, b->verify_name) &&
         a->no_verify == b->no_verify && a->require_client_cert == b->require_client_cert &&
         str_same(a->alpn, b->alpn) && str_same(a->sni, b->sni) && a->key_update == b->key_update &&
         a->require_ems == b->require_ems && a->x509_profile == b->x509_profile &&
         a->request_client_cert == b->request_client_cert && a->ems_optional == b->ems_optional &&
         a->cert_default == b->cert_default && a->sni_default == b->sni_default;
}

static bool endpoint_same(const sc_endpoint *a, const sc_endpoint *b) {
  return a->min_version == b->min_version && a->max_version == b->max_version &&
         list_same(&a->cipher_suites, &b->cipher_suites) && list_same(&a->groups, &b->groups) &&
         list_same(&a->key_shares, &b->key_shares) && list_same(&a->sigalgs, &b->sigalgs) &&
         str_same(a->cert, b->cert) && str_same(a->server_name, b->server_name) &&
         bytes_same(&a->alpn, &b->alpn) && a->middlebox_compat == b->middlebox_compat &&
         a->ems_optional == b->ems_optional && a->request_client_cert == b->request_client_cert &&
         bytes_same(&a->hrr_cookie, &b->hrr_cookie) && bytes_same(&a->rng_seed, &b->rng_seed) &&
         a->verify == b->verify && a->record_padding == b->record_padding &&
         a->record_size_limit == b->record_size_limit;
}

/* A change_cipher_spec body as the runner sends it: an empty one is 01. */
static bool ccs_same(const sc_bytes *a, const sc_bytes *b) {
  static const uint8_t one = 1;
  sc_bytes da = a->len ? *a : (sc_bytes){(uint8_t *)&one, 1};
  sc_bytes db = b->len ? *b : (sc_bytes){(uint8_t *)&one, 1};
  return bytes_same(&da, &db);
}

/* What the runner reads of a send step of its kind (runner.c send_step); repeat 0 plays once. */
static bool send_same(const sc_step *a, const sc_step *b) {
  if (a->send != b->send)
    return false;
  if (a->send == SC_SEND_MESSAGE)
    return a->msg_type == b->msg_type;
  if ((a->repeat ? a->repeat : 1) != (b->repeat ? b->repeat : 1))
    return false;
  switch (a->send) {
  case SC_SEND_APPLICATION_DATA:
  case SC_SEND_RAW: return bytes_same(&a->data, &b->data);
  case SC_SEND_ALERT: return a->alert_level == b->alert_level && a->alert == b->alert;
  case SC_SEND_CHANGE_CIPHER_SPEC: return ccs_same(&a->data, &b->data);
  case SC_SEND_KEY_UPDATE: return a->request_update == b->request_update;
  case SC_SEND_RECORD:
    return a->record_type == b->record_type && a->record_version == b->record_version &&
           a->protect == b->protect && bytes_same(&a->data, &b->data);
  default: return true; /* close_notify, shutdown */
  }
}

/* What verdict.c reads of an expect step of its kind (alerts: the allowed ones, or or_alert). */
static bool expect_same(const sc_step *a, const sc_step *b) {
  if (a->expect != b->expect)
    return false;
  if (a->expect == SC_EXPECT_CLOSE)
    return true;
  if (a->n_alerts != b->n_alerts || memcmp(a->alerts, b->alerts, a->n_alerts) != 0)
    return false;
  if (a->expect == SC_EXPECT_ALERT)
    return a->alert_level == b->alert_level && a->n_or_alerts == b->n_or_alerts &&
           memcmp(a->or_alerts, b->or_alerts, a->n_or_alerts) == 0;
  if (a->expect == SC_EXPECT_MESSAGE)
    return a->expect_msg == b->expect_msg && a->after_hrr == b->after_hrr &&
           a->hello_checks == b->hello_checks;
  return a->expect != SC_EXPECT_DATA || bytes_same(&a->expect_data, &b->expect_data);
}

static bool step_same(const sc_step *a, const sc_step *b) {
  if (a->kind != b->kind)
    return false;
  return a->kind == SC_STEP_SEND ? send_same(a, b) : expect_same(a, b);
}

/* tags[0] is the id's first component: it goes with the id, which is not compared. */
bool sc_scenario_same(const sc_scenario *a, const sc_scenario *b) {
  if (!str_same(a->rfc, b->rfc) || !str_same(a->title, b->title) || a->n_tags != b->n_tags ||
      a->target != b->target || a->timeout_ms != b->timeout_ms ||
      !str_same(a->insensitive, b->insensitive) || a->n_deviations != b->n_deviations ||
      a->n_steps != b->n_steps || !target_same(&a->target_opts, &b->target_opts) ||
      !endpoint_same(&a->endpoint, &b->endpoint))
    return false;
  for (size_t i = 1; i < a->n_tags; i++)
    if (!str_same(a->tags[i], b->tags[i]))
      return false;
  for (size_t i = 0; i < a->n_deviations; i++)
    if (!str_same(a->deviations[i], b->deviations[i]))
      return false;
  for (size_t i = 0; i < a->n_steps; i++)
    if (!step_same(&a->steps[i], &b->steps[i]))
      return false;
  return true;
}
