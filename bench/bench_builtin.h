/* Shared by the benchmarks: the clock, file loading, the handshakes measured (bench_profile), and
 * the built-in engine's in-process handshake, client and server in memory. builtin_init is the
 * TLS 1.3 one (x25519, ecdsa_secp256r1_sha256 with bench/data/p256-cert.pem, AES-128-GCM);
 * builtin_init_profile any profile. Define BENCH_NAME (the program name for messages) before
 * including. */
#ifndef TG_BENCH_BUILTIN_H
#define TG_BENCH_BUILTIN_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "tg/engine.h"
#include "tg/pem.h"
#include "tg/sig.h"

#define CERT_PEM TG_SOURCE_DIR "/bench/data/p256-cert.pem"
#define KEY_PEM TG_SOURCE_DIR "/vectors/keys/p256.pkcs8.pem"
/* RSA-2048 (rsaEncryption, keyUsage keyEncipherment) leaf and its intermediate: every
 * implementation sends both. */
#define RSA_CERT_PEM TG_SOURCE_DIR "/vectors/scenarios/certs/server-rsa.pem"
#define RSA_KEY_PEM TG_SOURCE_DIR "/vectors/scenarios/certs/server-rsa.key"

/* One kind of full handshake: how every implementation is configured, and what the first
 * handshake must have negotiated (checked once, outside the timing). */
typedef struct bench_profile {
  const char *name;  /* the helper's argument: tls13, tls12-ecdhe, tls12-rsa */
  const char *title; /* the heading of its rates */
  uint16_t version;
  uint16_t cipher_suite;
  uint16_t group;      /* x25519; 0: none (RSA key transport) */
  uint16_t sig_scheme; /* the server's signature; 0: none (RSA key transport) */
  const char *cert_pem, *key_pem;
} bench_profile;

static const bench_profile bench_tls13 = {
    "tls13",
    "TLS 1.3 handshakes/s (x25519, ecdsa_secp256r1_sha256, TLS_AES_128_GCM_SHA256)",
    TG_VERSION_TLS13,
    0x1301,
    0x001d,
    0x0403,
    CERT_PEM,
    KEY_PEM};
static const bench_profile bench_tls12_ecdhe = {
    "tls12-ecdhe",
    "TLS 1.2 handshakes/s (x25519, ecdsa_secp256r1_sha256, "
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)",
    TG_VERSION_TLS12,
    0xc02b,
    0x001d,
    0x0403,
    CERT_PEM,
    KEY_PEM};
static const bench_profile bench_tls12_rsa = {
    "tls12-rsa",
    "TLS 1.2 handshakes/s (RSA-2048 key transport, TLS_RSA_WITH_AES_128_GCM_SHA256)",
    TG_VERSION_TLS12,
    0x009c,
    0,
    0,
    RSA_CERT_PEM,
    RSA_KEY_PEM};

static inline double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

_Noreturn static inline void die(const char *who, const char *what) {
  fprintf(stderr, "%s: %s: %s\n", BENCH_NAME, who, what);
  exit(1);
}

static inline uint8_t *load_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    exit(2);
  }
  size_t cap = 4096;
  uint8_t *buf = malloc(cap);
  *len = 0;
  for (size_t k; buf != NULL && (k = fread(buf + *len, 1, cap - *len, f)) > 0;) {
    *len += k;
    if (*len == cap)
      buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  if (buf == NULL)
    die(path, "out of memory");
  return buf;
}

/* ---- The built-in engine --------------------------------------------------------------------- */

#define BUILTIN_MAX_CERTS 4

typedef struct builtin {
  const bench_profile *profile;
  tg_private_key *key;
  tg_writer cert_der; /* the chain's certificates, back to back */
  tg_bytes certs[BUILTIN_MAX_CERTS];
  tg_cert_chain chain;
  uint8_t suites[2], groups[4], schemes[4]; /* what the configurations point to */
  tg_config ccfg, scfg;
} builtin;

/* A real RNG, as the peers use: the engine asks for a few dozen bytes per handshake. */
static inline void rng_fill(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  while (len > 0) {
    ssize_t n = getrandom(out, len, 0);
    if (n < 0)
      abort();
    out += n;
    len -= (size_t)n;
  }
}

_Noreturn static inline void builtin_fail(const char *what, const tg_err *err) {
  char buf[256];
  die(what, tg_err_format(err, buf, sizeof buf));
}

/* Every CERTIFICATE block of the profile's PEM file, in order, as DER slices of b->cert_der. */
static inline void builtin_load_chain(builtin *b) {
  const char *path = b->profile->cert_pem;
  size_t len, line = 0, ends[BUILTIN_MAX_CERTS], n = 0;
  uint8_t *text = load_file(path, &len);
  tg_err err;
  tg_reader r;
  tg_pem_block block;
  bool found = true;
  tg_err_clear(&err);
  tg_reader_init(&r, text, len, &err);
  tg_writer_init_dynamic(&b->cert_der, &err);
  while (found) {
    if (tg_pem_next(&r, &line, &block, &found, &err) != TG_OK)
      builtin_fail(path, &err);
    if (!found || !tg_pem_label_is(&block, "CERTIFICATE"))
      continue;
    if (n == BUILTIN_MAX_CERTS)
      die(path, "too many certificates");
    if (tg_pem_decode(&block, &b->cert_der, &err) != TG_OK)
      builtin_fail(path, &err);
    ends[n++] = b->cert_der.len;
  }
  if (n == 0)
    die(path, "no CERTIFICATE block");
  /* Sliced only now: the writer may have moved its buffer while growing. */
  for (size_t i = 0; i < n; i++) {
    size_t start = i == 0 ? 0 : ends[i - 1];
    b->certs[i] = tg_bytes_of(b->cert_der.buf + start, ends[i] - start);
  }
  b->chain = (tg_cert_chain){b->certs, n, NULL};
  free(text);
}

static inline void put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

/* Both sides offer only what the profile names, except:
 *   - TLS 1.2 ECDHE_ECDSA: supported_groups is x25519 then secp256r1, the certificate's curve,
 *     which OpenSSL and BoringSSL require there (RFC 8422 §5.1: an ECDSA certificate only on a
 *     curve the client lists), so every implementation is given both;
 *   - RSA key transport (no ServerKeyExchange to sign): the signature schemes are
 *     rsa_pss_rsae_sha256 and rsa_pkcs1_sha256, there only to describe the certificate. */
static inline void builtin_init_profile(builtin *b, const bench_profile *p) {
  size_t len;
  uint8_t *text = load_file(p->key_pem, &len);
  tg_err err;
  tg_err_clear(&err);
  memset(b, 0, sizeof *b);
  b->profile = p;
  if (tg_private_key_load(tg_bytes_of(text, len), &b->key, &err) != TG_OK)
    builtin_fail(p->key_pem, &err);
  free(text);
  builtin_load_chain(b);
  b->chain.key = b->key;
  put_u16(b->suites, p->cipher_suite);
  bool ecdhe12 = p->version == TG_VERSION_TLS12 && p->group != 0;
  put_u16(b->groups, 0x001d); /* x25519, offered even when no ECDHE suite is */
  put_u16(b->groups + 2, 0x0017);
  put_u16(b->schemes, p->sig_scheme != 0 ? p->sig_scheme : 0x0804);
  put_u16(b->schemes + 2, 0x0401);
  tg_config cfg = {
      .min_version = p->version,
      .max_version = p->version,
      .cipher_suites = tg_bytes_of(b->suites, sizeof b->suites),
      .groups = tg_bytes_of(b->groups, ecdhe12 ? 4 : 2),
      .sig_schemes = tg_bytes_of(b->schemes, p->sig_scheme != 0 ? 2 : 4),
      .rng = {rng_fill, NULL},
      .middlebox_compat = p->version == TG_VERSION_TLS13,
      .rsa_key_exchange = p->group == 0,
  };
  b->ccfg = cfg; /* validator NULL: the client checks signatures with the leaf's key */
  b->scfg = cfg;
  b->scfg.chain = &b->chain;
}

static inline void builtin_init(builtin *b) { builtin_init_profile(b, &bench_tls13); }

static inline void builtin_free(builtin *b) {
  tg_private_key_free(b->key);
  tg_writer_free(&b->cert_der);
}

static inline void builtin_check(tg_conn *c, const char *what) {
  const struct tg_conn_info *i = tg_conn_info(c);
  if (i->phase == TG_PHASE_FAILED)
    builtin_fail(what, &i->err);
}

/* Moves each side's output straight into the other (a view: no copy) until both are quiet. */
static inline void builtin_pump(tg_conn *c, tg_conn *s) {
  for (int round = 0; round < 16; round++) {
    tg_bytes co = tg_conn_output(c), so = tg_conn_output(s);
    if (co.len == 0 && so.len == 0)
      return;
    if (co.len > 0) {
      tg_status st = tg_conn_feed(s, co);
      tg_conn_output_consumed(c, co.len);
      if (st != TG_OK)
        builtin_check(s, "builtin server");
    }
    if (so.len > 0) {
      tg_status st = tg_conn_feed(c, so);
      tg_conn_output_consumed(s, so.len);
      if (st != TG_OK)
        builtin_check(c, "builtin client");
    }
  }
  die("builtin", "the connections never went quiet");
}

static inline void builtin_handshake(const builtin *b, tg_conn **c, tg_conn **s) {
  tg_err err;
  tg_err_clear(&err);
  *c = tg_conn_new(&b->ccfg, false, &err);
  if (*c == NULL)
    builtin_fail("builtin client", &err);
  *s = tg_conn_new(&b->scfg, true, &err);
  if (*s == NULL)
    builtin_fail("builtin server", &err);
  if (tg_conn_start(*c) != TG_OK)
    builtin_check(*c, "builtin client");
  builtin_pump(*c, *s);
  if (tg_conn_info(*c)->phase != TG_PHASE_ESTABLISHED ||
      tg_conn_info(*s)->phase != TG_PHASE_ESTABLISHED)
    die("builtin", "the handshake did not finish");
}

/* The parameters the profile promises, checked once (not in the timed loop). A TLS 1.2
 * handshake must also have used the extended master secret, as the libraries do by default. */
static inline void builtin_verify_params(const builtin *b, const tg_conn *c) {
  const struct tg_conn_info *i = tg_conn_info(c);
  const bench_profile *p = b->profile;
  if (i->version != p->version || i->cipher_suite != p->cipher_suite ||
      (p->group != 0 && i->group != p->group) ||
      (p->sig_scheme != 0 && i->peer_sig_scheme != p->sig_scheme) || i->hello_retry || i->resumed ||
      (p->version == TG_VERSION_TLS12 && !i->ems)) {
    fprintf(stderr, "%s: builtin: not the promised full handshake: %s\n", BENCH_NAME, p->title);
    exit(1);
  }
}

static inline double builtin_handshake_rate(const builtin *b, double seconds) {
  unsigned long n = 0;
  double start = now(), elapsed;
  do {
    tg_conn *c, *s;
    builtin_handshake(b, &c, &s);
    if (n == 0)
      builtin_verify_params(b, c);
    tg_conn_free(c);
    tg_conn_free(s);
    n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  return n / elapsed;
}

#endif
