/* Shared by the handshake helpers of bench/handshake that speak a library's native API (wolfSSL,
 * Mbed TLS, NSS): the command line, the profiles, an in-memory wire, the check of the server's
 * first flight, and the result lines bench_handshake parses. Header only; it uses no library.
 *
 *   HELPER SECONDS tls13|tls12-ecdhe|tls12-rsa CERT.pem KEY.pem
 *
 * prints on stdout
 *   impl <library name and version>
 *   handshakes_per_s <rate>              | na <why this library cannot do the profile exactly>
 *   record_bytes_per_s <rate>            (tls13 only)
 *   note <how the work differed>         (optional, printed under the library's rates)
 * and exits 0; on any failure a message on stderr and exit 1; a usage error exits 2.
 *
 * The profiles are those of bench/bench_builtin.h (bench_profile), restated here by value so
 * that a helper needs neither the engine's headers nor its library. */
#ifndef TG_BENCH_HELPER_H
#define TG_BENCH_HELPER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RECORD 16384

typedef struct helper_profile {
  const char *name;
  uint16_t version;      /* 0x0304 or 0x0303 */
  uint16_t cipher_suite; /* IANA value */
  uint16_t group;        /* 0x001d x25519; 0: RSA key transport */
  uint16_t sig_scheme;   /* 0x0403 ecdsa_secp256r1_sha256; 0: RSA key transport */
} helper_profile;

static const helper_profile helper_profiles[] = {
    {"tls13", 0x0304, 0x1301, 0x001d, 0x0403},
    {"tls12-ecdhe", 0x0303, 0xc02b, 0x001d, 0x0403},
    {"tls12-rsa", 0x0303, 0x009c, 0, 0},
};

static inline double helper_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The profile named by argv[2], or a usage message and exit 2. */
static inline const helper_profile *helper_args(int argc, char **argv, double *seconds) {
  for (size_t i = 0; argc == 5 && i < sizeof helper_profiles / sizeof helper_profiles[0]; i++)
    if (strcmp(argv[2], helper_profiles[i].name) == 0 && (*seconds = atof(argv[1])) > 0)
      return &helper_profiles[i];
  fprintf(stderr, "usage: %s SECONDS tls13|tls12-ecdhe|tls12-rsa CERT.pem KEY.pem\n", argv[0]);
  exit(2);
}

/* The profile cannot be run exactly by this library: says why, and is not a failure. */
_Noreturn static inline void helper_na(const char *impl, const char *why) {
  printf("impl %s\nna %s\n", impl, why);
  exit(0);
}

/* note: NULL, or how the work differed from the profile in a way too small to refuse it. */
static inline void helper_report(const char *impl, const helper_profile *p, double handshakes,
                                 double record_bytes, const char *note) {
  printf("impl %s\nhandshakes_per_s %.1f\n", impl, handshakes);
  if (p->version == 0x0304)
    printf("record_bytes_per_s %.1f\n", record_bytes);
  if (note != NULL)
    printf("note %s\n", note);
}

/* ---- One direction of the in-memory wire ----------------------------------------------------- */

#define WIRE_CAP ((size_t)4 * RECORD)
#define TAP_CAP 16384

typedef struct mem_wire {
  uint8_t buf[WIRE_CAP];
  size_t off, len; /* unread bytes are buf[off, len) */
  bool tapping;    /* while set, everything written is also kept in tap */
  uint8_t tap[TAP_CAP];
  size_t tap_len;
} mem_wire;

static inline void wire_reset(mem_wire *w) { w->off = w->len = 0; }

/* Takes up to n bytes; returns how many (0: full, try later). */
static inline size_t wire_write(mem_wire *w, const void *data, size_t n) {
  if (w->off > 0) { /* compact: keeps the wire a single span */
    memmove(w->buf, w->buf + w->off, w->len - w->off);
    w->len -= w->off;
    w->off = 0;
  }
  if (n > WIRE_CAP - w->len)
    n = WIRE_CAP - w->len;
  memcpy(w->buf + w->len, data, n);
  w->len += n;
  if (w->tapping) {
    size_t k = n < TAP_CAP - w->tap_len ? n : TAP_CAP - w->tap_len;
    memcpy(w->tap + w->tap_len, data, k);
    w->tap_len += k;
  }
  return n;
}

/* Gives up to n bytes; returns how many (0: empty, try later). */
static inline size_t wire_read(mem_wire *w, void *data, size_t n) {
  if (n > w->len - w->off)
    n = w->len - w->off;
  memcpy(data, w->buf + w->off, n);
  w->off += n;
  return n;
}

/* ---- The server's first flight, read off the wire -----------------------------------------------
 * Not every library tells its caller the group, the signature scheme or whether the extended
 * master secret was used, so the helpers check the plaintext the server sent (the tap of the
 * server-to-client wire during the first handshake). */

typedef struct flight_reader {
  const uint8_t *p, *end;
  bool ok;
} flight_reader;

static inline uint32_t fr_get(flight_reader *r, size_t n) {
  uint32_t v = 0;
  if ((size_t)(r->end - r->p) < n) {
    r->ok = false;
    r->p = r->end;
    return 0;
  }
  for (size_t i = 0; i < n; i++)
    v = v << 8 | *r->p++;
  return v;
}

static inline flight_reader fr_sub(flight_reader *r, size_t n) {
  flight_reader s = {r->p, r->p, r->ok};
  if ((size_t)(r->end - r->p) < n) {
    r->ok = s.ok = false;
    r->p = r->end;
  } else {
    s.end = r->p + n;
    r->p += n;
  }
  return s;
}

/* The handshake messages of the leading plaintext handshake records, concatenated into out. */
static inline size_t flight_messages(const uint8_t *wire, size_t len, uint8_t *out, size_t cap) {
  flight_reader r = {wire, wire + len, true};
  size_t n = 0;
  while (r.p < r.end && *r.p == 22) {
    fr_get(&r, 3); /* content type, legacy_record_version */
    flight_reader frag = fr_sub(&r, fr_get(&r, 2));
    size_t k = (size_t)(frag.end - frag.p);
    if (!frag.ok || k > cap - n)
      break;
    memcpy(out + n, frag.p, k);
    n += k;
  }
  return n;
}

/* ServerHello (RFC 8446 4.1.3, RFC 5246 7.4.1.3): the version, suite, key share group, no PSK and
 * no HelloRetryRequest for TLS 1.3; the suite and extended_master_secret for TLS 1.2. */
static inline bool flight_server_hello(flight_reader *m, const helper_profile *p) {
  static const uint8_t hrr_random[8] = {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11};
  uint16_t legacy_version = (uint16_t)fr_get(m, 2);
  bool hrr = m->end - m->p >= 32 && memcmp(m->p, hrr_random, sizeof hrr_random) == 0;
  fr_sub(m, 32);
  fr_sub(m, fr_get(m, 1)); /* legacy_session_id_echo */
  uint16_t cipher_suite = (uint16_t)fr_get(m, 2);
  fr_get(m, 1);
  flight_reader exts = fr_sub(m, fr_get(m, 2));
  uint16_t version = legacy_version, group = 0;
  bool ems = false, psk = false;
  while (exts.ok && exts.p < exts.end) {
    uint16_t type = (uint16_t)fr_get(&exts, 2);
    flight_reader body = fr_sub(&exts, fr_get(&exts, 2));
    if (type == 43) /* supported_versions */
      version = (uint16_t)fr_get(&body, 2);
    else if (type == 51) /* key_share */
      group = (uint16_t)fr_get(&body, 2);
    else if (type == 23) /* extended_master_secret */
      ems = true;
    else if (type == 41) /* pre_shared_key */
      psk = true;
  }
  if (!m->ok || !exts.ok || hrr || psk || version != p->version || cipher_suite != p->cipher_suite)
    return false;
  return p->version == 0x0304 ? group == p->group : legacy_version == 0x0303 && ems;
}

/* ServerKeyExchange, ECDHE (RFC 8422 5.4): a named curve and the signature scheme. */
static inline bool flight_server_key_exchange(flight_reader *m, const helper_profile *p) {
  uint8_t curve_type = (uint8_t)fr_get(m, 1);
  uint16_t named_curve = (uint16_t)fr_get(m, 2);
  fr_sub(m, fr_get(m, 1)); /* the public key */
  uint16_t scheme = (uint16_t)fr_get(m, 2);
  return m->ok && curve_type == 3 && named_curve == p->group && scheme == p->sig_scheme;
}

/* True when the tapped first flight is the full handshake the profile promises. TLS 1.3: the
 * ServerHello (the signature is encrypted: the helpers' clients offer only the profile's scheme).
 * TLS 1.2: the ServerHello, a Certificate (a resumed handshake has none) and, with ECDHE, the
 * ServerKeyExchange. */
static inline bool helper_check_flight(const mem_wire *s2c, const helper_profile *p) {
  static uint8_t msgs[TAP_CAP];
  size_t n = flight_messages(s2c->tap, s2c->tap_len, msgs, sizeof msgs);
  flight_reader r = {msgs, msgs + n, true};
  bool hello = false, certificate = false, ske = p->group == 0;
  while (r.ok && r.p < r.end) {
    uint8_t type = (uint8_t)fr_get(&r, 1);
    flight_reader m = fr_sub(&r, fr_get(&r, 3));
    if (!m.ok)
      return false;
    if (type == 2)
      hello = flight_server_hello(&m, p);
    else if (type == 11)
      certificate = true;
    else if (type == 12 && p->group != 0)
      ske = flight_server_key_exchange(&m, p);
    else if (type == 14) /* ServerHelloDone */
      break;
  }
  return hello && (p->version == 0x0304 || (certificate && ske));
}

#endif
