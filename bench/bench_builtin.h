/* Shared by the benchmarks: the clock, file loading, and the built-in engine's in-process TLS 1.3
 * handshake (x25519, ecdsa_secp256r1_sha256 with bench/data/p256-cert.pem, AES-128-GCM, client
 * and server in memory). Define BENCH_NAME (the program name for messages) before including. */
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

typedef struct builtin {
  tg_private_key *key;
  tg_writer cert_der;
  tg_bytes cert;
  tg_cert_chain chain;
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

/* The first CERTIFICATE block of the PEM file, as DER in b->cert_der. */
static inline void builtin_load_cert(builtin *b) {
  size_t len, line = 0;
  uint8_t *text = load_file(CERT_PEM, &len);
  tg_err err;
  tg_reader r;
  tg_pem_block block;
  bool found = false;
  tg_err_clear(&err);
  tg_reader_init(&r, text, len, &err);
  tg_writer_init_dynamic(&b->cert_der, &err);
  while (!found || !tg_pem_label_is(&block, "CERTIFICATE")) {
    if (tg_pem_next(&r, &line, &block, &found, &err) != TG_OK)
      builtin_fail(CERT_PEM, &err);
    if (!found)
      die(CERT_PEM, "no CERTIFICATE block");
  }
  if (tg_pem_decode(&block, &b->cert_der, &err) != TG_OK)
    builtin_fail(CERT_PEM, &err);
  b->cert = tg_writer_bytes(&b->cert_der);
  free(text);
}

static inline void builtin_init(builtin *b) {
  static const uint8_t suites[] = {0x13, 0x01};  /* TLS_AES_128_GCM_SHA256 */
  static const uint8_t groups[] = {0x00, 0x1d};  /* x25519 */
  static const uint8_t schemes[] = {0x04, 0x03}; /* ecdsa_secp256r1_sha256 */
  size_t len;
  uint8_t *text = load_file(KEY_PEM, &len);
  tg_err err;
  tg_err_clear(&err);
  memset(b, 0, sizeof *b);
  if (tg_private_key_load(tg_bytes_of(text, len), &b->key, &err) != TG_OK)
    builtin_fail(KEY_PEM, &err);
  free(text);
  builtin_load_cert(b);
  b->chain = (tg_cert_chain){&b->cert, 1, b->key};
  tg_config cfg = {
      .min_version = TG_VERSION_TLS13,
      .max_version = TG_VERSION_TLS13,
      .cipher_suites = tg_bytes_of(suites, sizeof suites),
      .groups = tg_bytes_of(groups, sizeof groups),
      .sig_schemes = tg_bytes_of(schemes, sizeof schemes),
      .rng = {rng_fill, NULL},
      .middlebox_compat = true,
  };
  b->ccfg = cfg; /* validator NULL: the client checks CertificateVerify with the leaf's key */
  b->scfg = cfg;
  b->scfg.chain = &b->chain;
}

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

/* The parameters the benchmark promises, checked once (not in the timed loop). */
static inline void builtin_verify_params(const tg_conn *c) {
  const struct tg_conn_info *i = tg_conn_info(c);
  if (i->version != TG_VERSION_TLS13 || i->cipher_suite != 0x1301 || i->group != 0x001d ||
      i->peer_sig_scheme != 0x0403 || i->hello_retry || i->resumed)
    die("builtin", "not a full TLS 1.3 x25519 / ecdsa_secp256r1_sha256 / AES-128-GCM handshake");
}

static inline double builtin_handshake_rate(const builtin *b, double seconds) {
  unsigned long n = 0;
  double start = now(), elapsed;
  do {
    tg_conn *c, *s;
    builtin_handshake(b, &c, &s);
    if (n == 0)
      builtin_verify_params(c);
    tg_conn_free(c);
    tg_conn_free(s);
    n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  return n / elapsed;
}

#endif
