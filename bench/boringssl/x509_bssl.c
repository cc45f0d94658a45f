/* The OpenSSL-API half of bench/x509, in its own process because BoringSSL and OpenSSL export the
 * same symbols; built against BoringSSL (x509_bssl) and against OpenSSL (x509_ossl), so that both
 * libraries run the same calls.
 *
 *   x509_bssl FILE SECONDS          parsing: FILE holds certificates, each a 4-octet big-endian
 *                                   length and its DER; d2i_X509 + X509_free over and over for at
 *                                   least SECONDS; prints "CERTS_PER_SECOND ACCEPTED"
 *   x509_bssl check FILE            path validation: FILE holds chains (read_chains below);
 *                                   prints one 1 (valid) or 0 per chain
 *   x509_bssl verify FILE SECONDS   the same chains validated over and over for at least SECONDS;
 *                                   prints "VALIDATIONS_PER_SECOND VALID"
 *
 * A validation is what tg-peer-openssl --verify does (peers/verify_sslapi.c) once its certificates
 * are parsed: an X509_STORE_CTX over the anchors' X509_STORE (made once per chain), the
 * intermediates as the untrusted stack, X509_VERIFY_PARAM time, host and purpose, then
 * X509_verify_cert. */
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CERTS 256

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t pass(uint8_t *const *der, const size_t *len, size_t n) {
  size_t ok = 0;
  for (size_t i = 0; i < n; i++) {
    const uint8_t *p = der[i];
    X509 *x = d2i_X509(NULL, &p, (long)len[i]);
    ok += x != NULL;
    X509_free(x);
  }
  return ok;
}

/* One chain of a check/verify FILE: u32 certificates in the chain (the leaf first, then the
 * intermediates), u32 anchors, u32 purpose (0 server, 1 client), i64 time, u32 name length and
 * the name (0: no name check), then each certificate (chain, then anchors) as u32 length and
 * DER; every number big-endian. */
typedef struct chain {
  STACK_OF(X509) * untrusted;
  X509 *leaf;
  X509_STORE *anchors;
  int purpose;
  int64_t time;
  char name[256];
} chain;

#define MAX_CHAINS 256

static bool read_u32(FILE *f, uint32_t *v) {
  uint8_t b[4];
  if (fread(b, 1, 4, f) != 4)
    return false;
  *v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
  return true;
}

static X509 *read_cert(FILE *f) {
  uint32_t len;
  uint8_t *der;
  if (!read_u32(f, &len) || len > (1u << 20) || (der = malloc(len ? len : 1)) == NULL)
    return NULL;
  X509 *x = NULL;
  if (fread(der, 1, len, f) == len) {
    const uint8_t *p = der;
    x = d2i_X509(NULL, &p, (long)len);
  }
  free(der);
  return x;
}

static size_t read_chains(const char *path, chain *c) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    exit(2);
  }
  size_t n = 0;
  uint32_t n_chain, n_anchors, purpose, t_hi, t_lo, name_len;
  while (n < MAX_CHAINS && read_u32(f, &n_chain)) {
    chain *k = &c[n++];
    if (!read_u32(f, &n_anchors) || !read_u32(f, &purpose) || !read_u32(f, &t_hi) ||
        !read_u32(f, &t_lo) || !read_u32(f, &name_len) || name_len >= sizeof k->name ||
        fread(k->name, 1, name_len, f) != name_len || n_chain == 0) {
      fprintf(stderr, "%s: truncated\n", path);
      exit(2);
    }
    k->name[name_len] = '\0';
    k->purpose = purpose ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SSL_SERVER;
    k->time = (int64_t)((uint64_t)t_hi << 32 | t_lo);
    k->untrusted = sk_X509_new_null();
    k->anchors = X509_STORE_new();
    for (uint32_t i = 0; i < n_chain + n_anchors; i++) {
      X509 *x = read_cert(f);
      if (x == NULL) {
        fprintf(stderr, "%s: a certificate does not parse\n", path);
        exit(2);
      }
      if (i == 0)
        k->leaf = x;
      else if (i < n_chain)
        sk_X509_push(k->untrusted, x);
      else {
        X509_STORE_add_cert(k->anchors, x);
        X509_free(x);
      }
    }
  }
  fclose(f);
  return n;
}

static bool verify_one(const chain *k) {
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  bool ok = ctx != NULL && X509_STORE_CTX_init(ctx, k->anchors, k->leaf, k->untrusted);
  if (ok) {
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(param, (time_t)k->time);
    if (k->name[0])
      X509_VERIFY_PARAM_set1_host(param, k->name, strlen(k->name));
    X509_STORE_CTX_set_purpose(ctx, k->purpose);
    ok = X509_verify_cert(ctx) == 1;
  }
  X509_STORE_CTX_free(ctx);
  return ok;
}

static int path_validation(int argc, char **argv) {
  static chain c[MAX_CHAINS];
  size_t n = read_chains(argv[2], c), valid = 0, rounds = 0;
  if (strcmp(argv[1], "check") == 0) {
    for (size_t i = 0; i < n; i++)
      putchar(verify_one(&c[i]) ? '1' : '0');
    putchar('\n');
    return 0;
  }
  if (argc != 4)
    return fprintf(stderr, "usage: x509_bssl verify FILE SECONDS\n"), 2;
  double seconds = atof(argv[3]), start, elapsed;
  for (size_t i = 0; i < n; i++)
    valid += verify_one(&c[i]);
  start = now();
  do {
    for (size_t i = 0; i < n; i++)
      verify_one(&c[i]);
    rounds++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  printf("%.0f %zu\n", n ? (double)(rounds * n) / elapsed : 0.0, valid);
  for (size_t i = 0; i < n; i++) {
    X509_free(c[i].leaf);
    sk_X509_pop_free(c[i].untrusted, X509_free);
    X509_STORE_free(c[i].anchors);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 3 && (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "verify") == 0))
    return path_validation(argc, argv);
  if (argc != 3) {
    fprintf(stderr, "usage: x509_bssl FILE SECONDS | check FILE | verify FILE SECONDS\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 2;
  }
  static uint8_t *der[MAX_CERTS];
  static size_t len[MAX_CERTS];
  size_t n = 0;
  uint8_t hdr[4];
  while (n < MAX_CERTS && fread(hdr, 1, 4, f) == 4) {
    len[n] = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
    der[n] = malloc(len[n] ? len[n] : 1);
    if (der[n] == NULL || fread(der[n], 1, len[n], f) != len[n]) {
      fprintf(stderr, "%s: truncated\n", argv[1]);
      return 2;
    }
    n++;
  }
  fclose(f);
  double seconds = atof(argv[2]), start, elapsed;
  size_t accepted = pass(der, len, n), rounds = 0;
  start = now();
  do {
    pass(der, len, n);
    rounds++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  printf("%.0f %zu\n", n ? (double)(rounds * n) / elapsed : 0.0, accepted);
  for (size_t i = 0; i < n; i++)
    free(der[i]);
  return 0;
}
