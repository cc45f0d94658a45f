/* hunt's mutator (hunt.h): one random mutation at a time, in the scripted endpoint's vocabulary.
 *
 * What the scripted side sends decides what can be mutated (sent_of): its role (a server target
 * means a scripted client), its version (the endpoint's maximum, lowered by the target's) and
 * its options (a client certificate, a CertificateRequest, middlebox mode). A mutation is drawn
 * with these weights (out of 100):
 *
 *   25  set_field: a boundary value for a field of a message the side sends (client_hello or
 *       server_hello fields, certificate_verify.algorithm, key_update.request_update): versions
 *       0000 0300 0301 0302 0303 0304 7f1c 0a0a ffff, session ids of 0/1/32/33 bytes, cipher
 *       suite lists empty, unknown, GREASE, of odd length or repeated, compression lists [] [1]
 *       [0,1] [1,0] [0,0] [255], ...
 *   20  a message deviation: skip, duplicate, reorder (two messages of the side), inject (a
 *       small Handshake message, its length right or wrong), truncate, patch, append (small
 *       offsets and bytes), corrupt_finished / corrupt_signature / corrupt_key_share, and
 *       for a TLS 1.2 client of RSA key transport premaster_version / _length / _padding
 *   20  an extension edit: drop_extension / duplicate_extension of an extension the message
 *       carries, add_extension of a known, unassigned or GREASE type with an empty, short or odd
 *       body (a length prefix that lies); each optionally limited to one message (@MESSAGE)
 *   15  a record deviation: record_type, record_version, fragment (records split to 1..16 bytes
 *       or a few larger sizes), zero_length_record, oversize_record, record_padding,
 *       plaintext_after_keys, skip_record, inject_record, the cbc_* ones (TLS 1.2 only);
 *       optionally @MESSAGE or @change_cipher_spec
 *   20  an inserted send step after the script's first send step: an alert (warning or fatal,
 *       a random description), a change_cipher_spec (body 01 or another), a record of a random
 *       type and version (protected or not), application data, a key_update
 *
 * Every deviation spec is installed into a scratch tg_deviation_set before it is kept, and the
 * seed's and the mutant's deviations together stay within SC_MAX_DEVIATIONS; when they are full
 * (or the seed's ClientHello is raw records, so the engine sends nothing to deviate) the mutation
 * is a step. Extensions cannot be reordered (the deviation table has no such edit), and records
 * are coalesced only as the engine already packs a flight.
 */
#include "hunt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_write.h"
#include "tg/deviations.h"
#include "tg/names.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_SENT 8

/* ---- Randomness ------------------------------------------------------------------------------ */

uint64_t hunt_rng_next(hunt_rng *r) { /* splitmix64 (Steele, Lea, Flood 2014) */
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t hunt_rng_below(hunt_rng *r, uint64_t n) {
  if (n == 0)
    return 0;
  uint64_t reject = (0 - n) % n; /* 2^64 mod n: below it the values would favour small results */
  uint64_t x;
  do
    x = hunt_rng_next(r);
  while (x < reject);
  return x % n;
}

static unsigned pick(hunt_rng *r, size_t n) { return (unsigned)hunt_rng_below(r, n); }
static bool coin(hunt_rng *r, unsigned one_in) { return hunt_rng_below(r, one_in) == 0; }
static void random_bytes(hunt_rng *r, uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    p[i] = (uint8_t)hunt_rng_next(r);
}

/* ---- What the scripted side sends ------------------------------------------------------------ */

typedef struct sent {
  uint8_t msg[MAX_SENT];    /* handshake messages, in order */
  uint8_t flight[MAX_SENT]; /* the flight each goes in: reorder swaps within one */
  size_t n;
  bool client, tls12;
  bool ccs;        /* a change_cipher_spec record: TLS 1.2, or middlebox compatibility mode */
  bool key_update; /* the script sends a KeyUpdate */
  bool alpn;       /* the side's hello or EncryptedExtensions carries ALPN */
  bool engine;     /* false: the script's raw records are the ClientHello; the engine sends none */
  bool rsa_kx;     /* a TLS 1.2 client offering only RSA key transport: it encrypts a premaster */
} sent;

static void add_sent(sent *s, uint8_t msg) {
  if (s->n == MAX_SENT)
    return;
  /* A client's ClientHello goes alone; a TLS 1.2 server's Finished follows the client's; a
   * KeyUpdate goes after the handshake. */
  bool later = s->client ? msg != TG_HS_client_hello : s->tls12 && msg == TG_HS_finished;
  s->flight[s->n] = msg == TG_HS_key_update ? 2 : later;
  s->msg[s->n++] = msg;
}

static bool is_sent(const sent *s, uint8_t msg) { return memchr(s->msg, msg, s->n) != NULL; }

/* The runner's rule (runner.c): raw records before the first expect, and no client_hello step. */
static bool raw_client_hello(const sc_scenario *sc) {
  bool raw = false;
  if (sc->target != SC_TARGET_SERVER)
    return false;
  for (size_t i = 0; i < sc->n_steps; i++) {
    const sc_step *st = &sc->steps[i];
    if (st->kind == SC_STEP_SEND && st->send == SC_SEND_MESSAGE &&
        st->msg_type == TG_HS_client_hello)
      return false;
    if (st->kind == SC_STEP_EXPECT)
      return raw;
    raw |= st->kind == SC_STEP_SEND && (st->send == SC_SEND_RECORD || st->send == SC_SEND_RAW);
  }
  return raw;
}

static void sent_of(const sc_scenario *sc, sent *s) {
  const sc_endpoint *ep = &sc->endpoint;
  uint16_t v = ep->max_version ? ep->max_version : TG_VERSION_TLS13;
  if (sc->target_opts.max_version && sc->target_opts.max_version < v)
    v = sc->target_opts.max_version;
  *s = (sent){.client = sc->target == SC_TARGET_SERVER, .tls12 = v <= TG_VERSION_TLS12};
  s->ccs = s->tls12 || ep->middlebox_compat;
  s->engine = !raw_client_hello(sc);
  s->alpn = ep->alpn.len > 0 && (s->client || sc->target_opts.alpn != NULL);
  for (size_t i = 0; i < sc->n_steps; i++)
    s->key_update |= sc->steps[i].kind == SC_STEP_SEND && sc->steps[i].send == SC_SEND_KEY_UPDATE;
  bool has_cert = ep->cert != NULL && strcmp(ep->cert, "none") != 0;
  s->rsa_kx = s->client && s->tls12 && ep->cipher_suites.n > 0;
  for (size_t i = 0; i < ep->cipher_suites.n && s->rsa_kx; i++) {
    const tg_cipher_suite *cs = tg_cipher_suite_find(ep->cipher_suites.v[i]);
    s->rsa_kx = cs != NULL && cs->kx == TG_SUITE_KX_RSA;
  }
  if (s->client) {
    bool auth = sc->target_opts.require_client_cert;
    add_sent(s, TG_HS_client_hello);
    if (auth)
      add_sent(s, TG_HS_certificate);
    if (s->tls12)
      add_sent(s, TG_HS_client_key_exchange);
    if (auth && has_cert) /* without one, an empty Certificate and no CertificateVerify */
      add_sent(s, TG_HS_certificate_verify);
  } else {
    has_cert |= ep->cert == NULL; /* a server's default is certs/server */
    add_sent(s, TG_HS_server_hello);
    if (!s->tls12)
      add_sent(s, TG_HS_encrypted_extensions);
    if (!s->tls12 && ep->request_client_cert)
      add_sent(s, TG_HS_certificate_request);
    if (has_cert)
      add_sent(s, TG_HS_certificate);
    if (s->tls12)
      add_sent(s, TG_HS_server_key_exchange);
    if (s->tls12 && ep->request_client_cert)
      add_sent(s, TG_HS_certificate_request);
    if (has_cert && !s->tls12)
      add_sent(s, TG_HS_certificate_verify);
    if (s->tls12)
      add_sent(s, TG_HS_server_hello_done);
  }
  add_sent(s, TG_HS_finished);
  if (s->key_update)
    add_sent(s, TG_HS_key_update);
}

static const char *msg_name(uint8_t t) { return tg_hs_type_name(t); }
static uint8_t some_msg(const sent *s, hunt_rng *r) { return s->msg[pick(r, s->n)]; }

/* ---- Spec text ------------------------------------------------------------------------------- */

static bool spec_printf(hunt_mut *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool spec_printf(hunt_mut *m, const char *fmt, ...) {
  size_t len = strlen(m->spec);
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(m->spec + len, sizeof m->spec - len, fmt, ap);
  va_end(ap);
  return n >= 0 && (size_t)n < sizeof m->spec - len;
}

static bool spec_hex(hunt_mut *m, const uint8_t *p, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++)
    ok = spec_printf(m, "%02x", p[i]);
  return ok;
}

/* ---- set_field ------------------------------------------------------------------------------- */

static const uint16_t versions[] = {0x0000, 0x0300, 0x0301, 0x0302, 0x0303,
                                    0x0304, 0x7f1c, 0x0a0a, 0xffff};

/* A boundary ProtocolVersion, now and then any. */
static uint16_t some_version(hunt_rng *r) {
  return coin(r, 8) ? (uint16_t)hunt_rng_next(r) : versions[pick(r, COUNT(versions))];
}

/* legacy_session_id(_echo): 0, 1, 32 (the most allowed) or 33 bytes, zeros or random. */
static size_t session_id(hunt_rng *r, uint8_t *p) {
  static const size_t lens[] = {0, 1, 32, 33};
  size_t n = lens[pick(r, COUNT(lens))];
  memset(p, 0, n);
  if (coin(r, 2))
    random_bytes(r, p, n);
  return n;
}

/* A CipherSuite list body, or 1-12 random bytes. */
static size_t cipher_suites(hunt_rng *r, uint8_t *p) {
  static const struct {
    uint8_t n, v[6];
  } lists[] = {
      {0, {0}},                                  /* empty */
      {2, {0x00, 0x00}},                         /* TLS_NULL_WITH_NULL_NULL alone */
      {2, {0x13, 0x99}},                         /* unassigned alone */
      {4, {0x0a, 0x0a, 0x13, 0x01}},             /* GREASE first */
      {3, {0x13, 0x01, 0x13}},                   /* an odd length */
      {4, {0xc0, 0x2f, 0xc0, 0x2b}},             /* TLS 1.2 suites only */
      {4, {0x56, 0x00, 0x13, 0x01}},             /* TLS_FALLBACK_SCSV first */
      {4, {0x00, 0xff, 0x13, 0x01}},             /* TLS_EMPTY_RENEGOTIATION_INFO_SCSV first */
      {6, {0x13, 0x01, 0x13, 0x01, 0x13, 0x01}}, /* one suite three times */
  };
  unsigned i = pick(r, COUNT(lists) + 1);
  size_t n = i < COUNT(lists) ? lists[i].n : 1 + pick(r, 12);
  if (i < COUNT(lists))
    memcpy(p, lists[i].v, n);
  else
    random_bytes(r, p, n);
  return n;
}

/* legacy_compression_methods: [] [1] [0,1] [1,0] [0,0] [255] [0,255]. */
static size_t compression_methods(hunt_rng *r, uint8_t *p) {
  static const struct {
    uint8_t n, v[2];
  } lists[] = {{0, {0}},    {1, {1}},   {2, {0, 1}},  {2, {1, 0}},
               {2, {0, 0}}, {1, {255}}, {2, {0, 255}}};
  unsigned i = pick(r, COUNT(lists));
  memcpy(p, lists[i].v, lists[i].n);
  return lists[i].n;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }

/* A cipher_suite a ServerHello may carry, or one it must not. */
static uint16_t server_suite(hunt_rng *r) {
  static const uint16_t v[] = {0x0000, 0x1301, 0x1302, 0x1303, 0x1304, 0x1305,
                               0xc02f, 0x00ff, 0x0a0a, 0xffff, 0x1399};
  return v[pick(r, COUNT(v))];
}

/* A SignatureScheme: ones TLS 1.3 allows, ones it forbids (PKCS#1 v1.5, SHA-1), unknown. */
static uint16_t sig_scheme(hunt_rng *r) {
  static const uint16_t v[] = {0x0403, 0x0503, 0x0804, 0x0809, 0x0807, 0x0401,
                               0x0201, 0x0203, 0x0000, 0x0a0a, 0xffff};
  return v[pick(r, COUNT(v))];
}

static bool mut_set_field(const sent *s, hunt_rng *r, hunt_mut *m) {
  const char *fields[6];
  size_t n = 0;
  if (s->client) {
    fields[n++] = "client_hello.legacy_version";
    fields[n++] = "client_hello.legacy_session_id";
    fields[n++] = "client_hello.cipher_suites";
    fields[n++] = "client_hello.legacy_compression_methods";
  } else {
    fields[n++] = "server_hello.legacy_version";
    fields[n++] = "server_hello.legacy_session_id_echo";
    fields[n++] = "server_hello.cipher_suite";
    fields[n++] = "server_hello.legacy_compression_method";
  }
  if (is_sent(s, TG_HS_certificate_verify))
    fields[n++] = "certificate_verify.algorithm";
  if (s->key_update)
    fields[n++] = "key_update.request_update";
  const char *f = fields[pick(r, n)];
  const char *dot = strchr(f, '.') + 1;
  uint8_t v[64];
  size_t len = 2;
  if (strcmp(dot, "legacy_version") == 0)
    put16(v, some_version(r));
  else if (strncmp(dot, "legacy_session_id", 17) == 0)
    len = session_id(r, v);
  else if (strcmp(dot, "cipher_suites") == 0)
    len = cipher_suites(r, v);
  else if (strcmp(dot, "legacy_compression_methods") == 0)
    len = compression_methods(r, v);
  else if (strcmp(dot, "cipher_suite") == 0)
    put16(v, server_suite(r));
  else if (strcmp(dot, "algorithm") == 0)
    put16(v, sig_scheme(r));
  else { /* legacy_compression_method, request_update: one byte */
    static const uint8_t bytes[] = {0, 1, 2, 0xff};
    v[0] = bytes[pick(r, COUNT(bytes))];
    len = 1;
  }
  return spec_printf(m, "set_field:%s:", f) && spec_hex(m, v, len);
}

/* ---- Message deviations ---------------------------------------------------------------------- */

/* A Handshake message for inject: a type the side sends, another known one or any byte, a body of
 * 0-8 random bytes, and a length that is right or, one time in four, too long. */
static bool inject_message(const sent *s, hunt_rng *r, hunt_mut *m) {
  uint8_t msg[4 + 8];
  size_t body = pick(r, 9);
  unsigned type = coin(r, 2) ? some_msg(s, r) : pick(r, 256);
  size_t len = coin(r, 4) ? body + 1 + pick(r, 4) : body;
  msg[0] = (uint8_t)type, msg[1] = 0, msg[2] = (uint8_t)(len >> 8), msg[3] = (uint8_t)len;
  random_bytes(r, msg + 4, body);
  if (!spec_printf(m, "inject:") || !spec_hex(m, msg, 4 + body))
    return false;
  return !coin(r, 2) || spec_printf(m, "@%s", msg_name(some_msg(s, r)));
}

/* reorder: two messages of one flight (the flight hook sees one flight at a time). */
static bool reorder(const sent *s, hunt_rng *r, hunt_mut *m) {
  unsigned i = pick(r, s->n), others[MAX_SENT], n = 0;
  for (unsigned j = 0; j < s->n; j++)
    if (j != i && s->flight[j] == s->flight[i])
      others[n++] = j;
  if (n == 0)
    return false;
  unsigned j = others[pick(r, n)];
  return spec_printf(m, "reorder:%s:%s", msg_name(s->msg[i]), msg_name(s->msg[j]));
}

static bool mut_message(const sent *s, hunt_rng *r, hunt_mut *m) {
  const char *a = msg_name(some_msg(s, r));
  uint8_t bytes[8];
  size_t n = 1 + pick(r, 4);
  random_bytes(r, bytes, sizeof bytes);
  if (coin(r, 3)) /* the extremes a length or a flag byte reads wrongly */
    memset(bytes, coin(r, 2) ? 0x00 : 0xff, sizeof bytes);
  if (s->rsa_kx && coin(r, 4)) /* the premaster: its version bytes, its length, its padding */
    switch (pick(r, 3)) {
    case 0: return spec_printf(m, "premaster_version:%04x", some_version(r));
    case 1: return spec_printf(m, "premaster_length:%u", 1 + pick(r, 96));
    default: return spec_printf(m, "premaster_padding:%u", 1 + pick(r, TG_PMS_PAD_COUNT - 1));
    }
  switch (pick(r, 9)) {
  case 0: return spec_printf(m, "skip:%s", a);
  case 1: return spec_printf(m, "duplicate:%s", a);
  case 2: return reorder(s, r, m);
  case 3: return inject_message(s, r, m);
  case 4: return spec_printf(m, "truncate:%s:%u", a, pick(r, 40));
  case 5: return spec_printf(m, "patch:%s:%u:", a, pick(r, 48)) && spec_hex(m, bytes, n);
  case 6: return spec_printf(m, "append:%s:", a) && spec_hex(m, bytes, 1 + pick(r, 8));
  case 7: return is_sent(s, TG_HS_certificate_verify) && spec_printf(m, "corrupt_signature");
  default: /* TLS 1.2 has no key_share */
    return spec_printf(m, coin(r, 2) || s->tls12 ? "corrupt_finished" : "corrupt_key_share");
  }
}

/* ---- Extension edits ------------------------------------------------------------------------- */

/* The extensions the engine puts in msg (client.c, server.c, tls12_*.c), for drop and duplicate;
 * 0 ends a list (server_name, 0, is never last). */
static const uint16_t *carried(uint8_t msg, bool tls12) {
  static const uint16_t ch13[] = {TG_EXT_server_name,
                                  TG_EXT_supported_groups,
                                  TG_EXT_signature_algorithms,
                                  TG_EXT_supported_versions,
                                  TG_EXT_key_share,
                                  TG_EXT_psk_key_exchange_modes,
                                  TG_EXT_application_layer_protocol_negotiation,
                                  0};
  static const uint16_t ch12[] = {TG_EXT_server_name,
                                  TG_EXT_supported_groups,
                                  TG_EXT_signature_algorithms,
                                  TG_EXT_ec_point_formats,
                                  TG_EXT_extended_master_secret,
                                  TG_EXT_renegotiation_info,
                                  TG_EXT_session_ticket,
                                  0};
  static const uint16_t sh13[] = {TG_EXT_supported_versions, TG_EXT_key_share, 0};
  static const uint16_t sh12[] = {TG_EXT_extended_master_secret, TG_EXT_renegotiation_info,
                                  TG_EXT_ec_point_formats, 0};
  static const uint16_t ee[] = {TG_EXT_supported_groups, TG_EXT_server_name,
                                TG_EXT_application_layer_protocol_negotiation, 0};
  static const uint16_t cr[] = {TG_EXT_signature_algorithms, 0};
  switch (msg) {
  case TG_HS_client_hello: return tls12 ? ch12 : ch13;
  case TG_HS_server_hello: return tls12 ? sh12 : sh13;
  case TG_HS_encrypted_extensions: return ee;
  default: return cr;
  }
}

/* An ExtensionType by name when the name reads back, else by number (GREASE, unassigned). */
static bool spell_ext(hunt_mut *m, unsigned type) {
  const char *name = tg_ext_type_name(type);
  unsigned back;
  if (name != NULL && tg_ext_type_by_name(name, &back) && back == type)
    return spec_printf(m, "%s", name);
  return spec_printf(m, "%u", type);
}

/* A type for add_extension: an assigned one (possibly one the message already has), GREASE
 * (RFC 8701), or any 16-bit number. */
static unsigned some_ext_type(hunt_rng *r) {
  switch (pick(r, 4)) {
  case 0: return 0x0a0a + 0x1010 * pick(r, 16);
  case 1: return (unsigned)(hunt_rng_next(r) & 0xffff);
  default: {
    unsigned t = pick(r, 66);
    return t == 65 ? TG_EXT_renegotiation_info : t;
  }
  }
}

/* An extension body: empty, a zero byte, an empty vector's length, a length that promises more
 * than follows, or a few random bytes. */
static size_t odd_body(hunt_rng *r, uint8_t *p) {
  switch (pick(r, 5)) {
  case 0: return 0;
  case 1: p[0] = 0; return 1;
  case 2: p[0] = 0, p[1] = 0; return 2;
  case 3: p[0] = 0, p[1] = (uint8_t)(4 + pick(r, 8)), p[2] = (uint8_t)hunt_rng_next(r); return 3;
  default: {
    size_t n = 1 + pick(r, 8);
    random_bytes(r, p, n);
    return n;
  }
  }
}

static bool mut_extension(const sent *s, hunt_rng *r, hunt_mut *m) {
  uint8_t hosts[MAX_SENT];
  size_t n = 0;
  for (size_t i = 0; i < s->n; i++)
    if (s->msg[i] == TG_HS_client_hello || s->msg[i] == TG_HS_server_hello ||
        s->msg[i] == TG_HS_encrypted_extensions || s->msg[i] == TG_HS_certificate_request)
      hosts[n++] = s->msg[i];
  if (n == 0)
    return false;
  uint8_t at = hosts[pick(r, n)];
  bool ok;
  unsigned what = pick(r, 3);
  if (what < 2) {
    const uint16_t *list = carried(at, s->tls12);
    size_t len = 0;
    while (len == 0 || list[len] != 0)
      len++;
    uint16_t ext = list[pick(r, len)];
    if (ext == TG_EXT_application_layer_protocol_negotiation && !s->alpn)
      return false;
    ok =
        spec_printf(m, what == 0 ? "drop_extension:" : "duplicate_extension:") && spell_ext(m, ext);
  } else {
    uint8_t body[16];
    size_t blen = odd_body(r, body);
    ok = spec_printf(m, "add_extension:") && spell_ext(m, some_ext_type(r)) &&
         spec_printf(m, ":") && spec_hex(m, body, blen);
  }
  return ok && (coin(r, 2) || spec_printf(m, "@%s", msg_name(at)));
}

/* ---- Record deviations ----------------------------------------------------------------------- */

static unsigned some_content_type(hunt_rng *r) {
  static const uint8_t v[] = {0, 20, 21, 22, 23, 24, 25, 255};
  return coin(r, 6) ? pick(r, 256) : v[pick(r, COUNT(v))];
}

/* inject_record's TYPE:HEX: an alert, a change_cipher_spec, or a short body of any type. */
static bool inject_record(hunt_rng *r, hunt_mut *m) {
  uint8_t body[8];
  size_t n = pick(r, 9);
  unsigned type = some_content_type(r);
  random_bytes(r, body, n);
  if (type == TG_CT_alert && n >= 2)
    body[0] = (uint8_t)(1 + pick(r, 2)), n = 2;
  else if (type == TG_CT_change_cipher_spec && coin(r, 2))
    body[0] = 1, n = 1;
  return spec_printf(m, ":%u:", type) && spec_hex(m, body, n);
}

static bool mut_record(const sent *s, hunt_rng *r, hunt_mut *m) {
  static const char *const names[] = {
      "record_type",          "record_version",  "fragment",
      "zero_length_record",   "oversize_record", "record_padding",
      "plaintext_after_keys", "skip_record",     "inject_record",
      "cbc_bad_mac",          "cbc_bad_padding", "cbc_padding_overflow",
      "cbc_truncated_mac",    "cbc_one_block",   "cbc_flip_iv",
      "cbc_partial_block"};
  static const unsigned fragments[] = {64, 255, 256, 1000, 16383, 16384};
  static const unsigned paddings[] = {0, 1, 15, 255, 256, 4096, 16000};
  unsigned k = pick(r, COUNT(names));
  if (k == 5 && s->tls12) /* TLSInnerPlaintext padding is TLS 1.3's */
    return false;
  if (k >= 9 && !s->tls12) /* the cbc_* deviations spoil TLS 1.2 CBC records */
    return false;
  bool ok = spec_printf(m, "%s", names[k]);
  switch (k) {
  case 0: ok = ok && spec_printf(m, ":%u", some_content_type(r)); break;
  case 1: ok = ok && spec_printf(m, ":%04x", some_version(r)); break;
  case 2: /* splits every record; no selector */
    return ok && spec_printf(m, ":%u",
                             coin(r, 4) ? fragments[pick(r, COUNT(fragments))] : 1 + pick(r, 16));
  case 5: ok = ok && spec_printf(m, ":%u", paddings[pick(r, COUNT(paddings))]); break;
  case 8: ok = ok && inject_record(r, m); break;
  default: break;
  }
  /* Without a selector skip_record and zero_length_record leave nothing of the handshake. */
  bool must = k == 3 || k == 7;
  if (!ok || (!must && coin(r, 2)))
    return ok;
  /* Padding and plaintext_after_keys change protected records only: not the hellos' nor the
   * change_cipher_spec. */
  bool protected_only = k == 5 || k == 6 || k >= 9;
  if (s->ccs && !protected_only && coin(r, 5))
    return spec_printf(m, "@change_cipher_spec");
  uint8_t at = some_msg(s, r);
  if (protected_only && (at == TG_HS_client_hello || at == TG_HS_server_hello))
    at = TG_HS_finished;
  return spec_printf(m, "@%s", msg_name(at));
}

/* ---- Inserted steps -------------------------------------------------------------------------- */

/* The first step after which the handshake is complete (`expect: established` or `expect:
 * data`), or SIZE_MAX. */
static size_t handshake_done(const sc_scenario *sc) {
  for (size_t i = 0; i < sc->n_steps; i++)
    if (sc->steps[i].kind == SC_STEP_EXPECT &&
        (sc->steps[i].expect == SC_EXPECT_ESTABLISHED || sc->steps[i].expect == SC_EXPECT_DATA))
      return i;
  return SIZE_MAX;
}

/* After the script's first send step (its first step when it has none), and after `after` when
 * that is not SIZE_MAX. */
/* Not right after an `expect: MESSAGE` of a message inside the target's flight: what is sent
 * there lands before or after the endpoint's own next flight depending on how the target batches
 * its records into writes (a timing difference, not a protocol one). A HelloRetryRequest is a
 * flight of its own. */
static bool position_allowed(const sc_scenario *sc, size_t p) {
  const sc_step *prev = &sc->steps[p - 1];
  return !(prev->kind == SC_STEP_EXPECT && prev->expect == SC_EXPECT_MESSAGE &&
           prev->expect_msg != SC_MSG_HELLO_RETRY_REQUEST);
}

static size_t step_position(const sc_scenario *sc, hunt_rng *r, size_t after) {
  size_t first = 0;
  if (sc->n_steps == 0)
    return 0;
  while (first < sc->n_steps && sc->steps[first].kind != SC_STEP_SEND)
    first++;
  if (first == sc->n_steps)
    first = 0;
  if (after != SIZE_MAX && after > first)
    first = after;
  size_t n = 0;
  for (size_t p = first + 1; p <= sc->n_steps; p++)
    n += position_allowed(sc, p);
  if (n == 0)
    return first + 1;
  size_t k = pick(r, n);
  for (size_t p = first + 1; p <= sc->n_steps; p++)
    if (position_allowed(sc, p) && k-- == 0)
      return p;
  return first + 1;
}

/* A KeyUpdate needs a completed TLS 1.3 handshake (tg_conn_key_update refuses one before), so
 * it goes after one or not at all; application data goes there half the time (before, it is a
 * record of type 23 under the handshake keys). */
static void mut_step(const sc_scenario *sc, const sent *s, hunt_rng *r, hunt_mut *m) {
  size_t done = handshake_done(sc);
  unsigned k = pick(r, done == SIZE_MAX || s->tls12 ? 4 : 5); /* KeyUpdate is TLS 1.3's */
  m->kind = HM_STEP;
  m->at = step_position(sc, r, k == 4 || (k == 3 && coin(r, 2)) ? done : SIZE_MAX);
  switch (k) {
  case 0: {
    m->send = SC_SEND_ALERT;
    m->alert_level = (uint8_t)(1 + pick(r, 2));
    unsigned a = pick(r, 256);
    for (int tries = 0; tries < 16 && tg_alert_name(a) == NULL && !coin(r, 8); tries++)
      a = pick(r, 256); /* mostly assigned descriptions */
    m->alert = (uint8_t)a;
    break;
  }
  case 1:
    m->send = SC_SEND_CHANGE_CIPHER_SPEC;
    m->bytes[0] = 1, m->n_bytes = 1;
    if (coin(r, 2)) {
      m->n_bytes = 1 + pick(r, 3);
      random_bytes(r, m->bytes, m->n_bytes);
    }
    break;
  case 2:
    m->send = SC_SEND_RECORD;
    m->record_type = (uint8_t)some_content_type(r);
    do /* 0 would read back as the default, 0303 */
      m->record_version = some_version(r);
    while (m->record_version == 0);
    m->protect = coin(r, 2);
    m->n_bytes = pick(r, 17);
    random_bytes(r, m->bytes, m->n_bytes);
    break;
  case 3:
    m->send = SC_SEND_APPLICATION_DATA;
    m->n_bytes = 1 + pick(r, 16);
    for (size_t i = 0; i < m->n_bytes; i++)
      m->bytes[i] = (uint8_t)('a' + pick(r, 26));
    break;
  default:
    m->send = SC_SEND_KEY_UPDATE;
    m->request_update = coin(r, 2);
    break;
  }
}

/* ---- One mutation ---------------------------------------------------------------------------- */

static size_t deviations_of(const hunt_mutant *m) {
  size_t n = 0;
  for (size_t i = 0; i < m->n; i++)
    n += m->m[i].kind == HM_DEVIATION;
  return n;
}

bool hunt_mutate(const sc_scenario *seed, hunt_mutant *m, hunt_rng *rng) {
  if (m->n >= HUNT_MAX_MUTS)
    return false;
  sent s;
  sent_of(seed, &s);
  bool room = s.engine && seed->n_deviations + deviations_of(m) < SC_MAX_DEVIATIONS;
  hunt_mut *x = &m->m[m->n];
  for (int tries = 0; tries < 32 && room; tries++) {
    unsigned w = pick(rng, 100);
    if (w < 20)
      break;
    *x = (hunt_mut){.kind = HM_DEVIATION};
    bool ok = w < 45   ? mut_set_field(&s, rng, x)
              : w < 65 ? mut_message(&s, rng, x)
              : w < 85 ? mut_extension(&s, rng, x)
                       : mut_record(&s, rng, x);
    if (ok && hunt_spec_installs(x->spec)) {
      m->n++;
      return true;
    }
  }
  *x = (hunt_mut){0};
  mut_step(seed, &s, rng, x);
  m->n++;
  return true;
}

/* ---- The mutant as a scenario ---------------------------------------------------------------- */

/* The send step an HM_STEP mutation inserts; its bytes are x's. */
static sc_step step_of(const hunt_mut *x) {
  sc_step st = {.kind = SC_STEP_SEND, .send = x->send, .repeat = 1, .protect = true};
  bool bytes = x->send != SC_SEND_ALERT && x->send != SC_SEND_KEY_UPDATE;
  if (bytes)
    st.data = (sc_bytes){(uint8_t *)x->bytes, x->n_bytes};
  if (x->send == SC_SEND_ALERT)
    st.alert_level = x->alert_level, st.alert = x->alert;
  if (x->send == SC_SEND_RECORD) {
    st.record_type = x->record_type, st.record_version = x->record_version;
    st.protect = x->protect;
  }
  if (x->send == SC_SEND_KEY_UPDATE) {
    st.msg_type = TG_HS_key_update; /* as the loader has it */
    st.request_update = x->request_update;
  }
  return st;
}

/* The seed with m's deviations after its own and m's steps inserted, borrowing everything: the
 * struct is the seed's, the deviation strings and step bytes point into seed and m, and only
 * v->steps is new (the caller frees it). Nothing is written through these pointers: the view is
 * only read, by sc_write_yaml. false (why says it) when m does not fit seed. */
static bool make_view(const sc_scenario *seed, const hunt_mutant *m, sc_scenario *v, char *why,
                      size_t cap) {
  *v = *seed;
  v->steps = NULL;
  if (m->n > HUNT_MAX_MUTS) {
    snprintf(why, cap, "%zu mutations, at most %d", m->n, HUNT_MAX_MUTS);
    return false;
  }
  size_t n_steps = seed->n_steps;
  for (size_t i = 0; i < m->n; i++) {
    const hunt_mut *x = &m->m[i];
    if (x->kind == HM_STEP && x->at > seed->n_steps) {
      snprintf(why, cap, "a step at %zu, past the seed's %zu steps", x->at, seed->n_steps);
      return false;
    }
    if (x->kind == HM_STEP && x->n_bytes > HUNT_MAX_BYTES) {
      snprintf(why, cap, "a step of %zu bytes, at most %d", x->n_bytes, HUNT_MAX_BYTES);
      return false;
    }
    if (x->kind == HM_STEP) {
      n_steps++;
      continue;
    }
    if (v->n_deviations == SC_MAX_DEVIATIONS) {
      snprintf(why, cap, "more than %d deviations", SC_MAX_DEVIATIONS);
      return false;
    }
    v->deviations[v->n_deviations++] = (char *)x->spec;
  }
  if ((v->steps = calloc(n_steps ? n_steps : 1, sizeof *v->steps)) == NULL) {
    snprintf(why, cap, "out of memory");
    return false;
  }
  v->n_steps = 0;
  for (size_t at = 0; at <= seed->n_steps; at++) {
    for (size_t i = 0; i < m->n; i++) { /* the steps inserted here, in mutation order */
      const hunt_mut *x = &m->m[i];
      if (x->kind != HM_STEP || x->at != at)
        continue;
      v->steps[v->n_steps++] = step_of(x);
    }
    if (at < seed->n_steps)
      v->steps[v->n_steps++] = seed->steps[at];
  }
  return true;
}

char *hunt_mutant_yaml(const sc_scenario *seed, const hunt_mutant *m, const char *id,
                       const char *comment) {
  sc_scenario v;
  char why[128];
  if (!make_view(seed, m, &v, why, sizeof why))
    return NULL;
  char *text = sc_write_yaml(&v, id, comment, NULL);
  free(v.steps);
  return text;
}

bool hunt_mutant_load(const sc_scenario *seed, const hunt_mutant *m, const char *id, sc_suite *out,
                      sc_error *err) {
  sc_scenario v;
  char why[128];
  if (!make_view(seed, m, &v, why, sizeof why)) {
    snprintf(err->text, sizeof err->text, "%s: the mutant does not fit its seed: %s", id, why);
    return false;
  }
  size_t len = 0;
  char *text = sc_write_yaml(&v, id, NULL, &len);
  free(v.steps);
  if (text == NULL) {
    snprintf(err->text, sizeof err->text, "%s: out of memory", id);
    return false;
  }
  bool ok = sc_load_text(out, id, NULL, (const uint8_t *)text, len, err);
  free(text);
  return ok;
}
