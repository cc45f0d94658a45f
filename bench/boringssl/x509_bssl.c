/* The BoringSSL half of bench/x509, in its own process because BoringSSL and OpenSSL export the
 * same symbols. Reads certificates (each a 4-octet big-endian length and its DER) from FILE,
 * parses them all with d2i_X509 + X509_free over and over for at least SECONDS, and prints
 * "CERTS_PER_SECOND ACCEPTED" on one line.
 *
 *   x509_bssl FILE SECONDS */
#include <openssl/x509.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: x509_bssl FILE SECONDS\n");
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
