/* bench/x509: X.509 certificates parsed per second over the test certificates of vectors/x509/
 * (the parser set, NAME.der, and every chain certificate, chains/NAME.pem), by the built-in parser,
 * GnuTLS, OpenSSL and BoringSSL, in one run with each library's ratio to the built-in one.
 *
 *   build/bench_x509 [SECONDS]        (each implementation runs at least SECONDS, default 1)
 *
 * What each does per certificate, from DER bytes to a parsed object and back to nothing:
 *   builtin   tg_x509_parse: every field and every known extension decoded and checked, no
 *             allocation (views into the input)
 *   gnutls    gnutls_x509_crt_init + gnutls_x509_crt_import (DER) + gnutls_x509_crt_deinit
 *   openssl   d2i_X509 + X509_free (extensions are kept as DER until first used)
 *   openssl+  the same and X509_get_extension_flags, which decodes the extensions the way
 *             OpenSSL does before any verification: the closest to the built-in parser's work
 *   boringssl d2i_X509 + X509_free, in a helper process (bench/boringssl/x509_bssl.c): its
 *             symbols clash with OpenSSL's, so the certificates go to it in a file
 * Certificates the built-in parser rejects (the duplicated-extension one) are left out, so that
 * every implementation parses the same set. */
#include <glob.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tg/pem.h"
#include "tg/x509.h"

#define MAX_CERTS 256

typedef struct cert_set {
  tg_writer der; /* every certificate back to back */
  size_t end[MAX_CERTS];
  size_t n;
} cert_set;

static tg_bytes cert_at(const cert_set *s, size_t i) {
  size_t start = i ? s->end[i - 1] : 0;
  return tg_bytes_of(s->der.buf + start, s->end[i] - start);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL || fseek(f, 0, SEEK_END) != 0) {
    perror(path);
    exit(2);
  }
  long n = ftell(f);
  rewind(f);
  char *buf = malloc(n > 0 ? (size_t)n : 1);
  if (buf == NULL || n < 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "%s: cannot read\n", path);
    exit(2);
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* Appends der to the set when the built-in parser accepts it (see the header comment). */
static void keep(cert_set *s, size_t start, size_t *skipped) {
  tg_x509_cert c;
  tg_err err = {0};
  tg_bytes der = tg_bytes_of(s->der.buf + start, s->der.len - start);
  if (s->n == MAX_CERTS || tg_x509_parse(der, &c, &err) != TG_OK) {
    s->der.len = start;
    ++*skipped;
    return;
  }
  s->end[s->n++] = s->der.len;
}

static void load(cert_set *s, size_t *skipped) {
  glob_t g;
  tg_err err = {0};
  tg_writer_init_dynamic(&s->der, &err);
  s->n = 0;
  if (glob(TG_SOURCE_DIR "/vectors/x509/*.der", 0, NULL, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; i++) {
      size_t len, start = s->der.len;
      char *b = slurp(g.gl_pathv[i], &len);
      tg_w_bytes(&s->der, b, len);
      keep(s, start, skipped);
      free(b);
    }
    globfree(&g);
  }
  if (glob(TG_SOURCE_DIR "/vectors/x509/chains/*.pem", 0, NULL, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; i++) {
      size_t len, line = 0;
      char *text = slurp(g.gl_pathv[i], &len);
      tg_reader r;
      tg_reader_init(&r, (const uint8_t *)text, len, &err);
      tg_pem_block block;
      bool found;
      while (tg_pem_next(&r, &line, &block, &found, &err) == TG_OK && found) {
        size_t start = s->der.len;
        if (tg_pem_decode(&block, &s->der, &err) == TG_OK)
          keep(s, start, skipped);
        else
          s->der.len = start;
      }
      free(text);
    }
    globfree(&g);
  }
  if (tg_writer_status(&s->der) != TG_OK || s->n == 0) {
    fprintf(stderr, "no certificates under " TG_SOURCE_DIR "/vectors/x509\n");
    exit(2);
  }
}

/* One pass over the set; returns the number of certificates the implementation accepted. */
typedef size_t (*pass_fn)(const cert_set *s);

static size_t pass_builtin(const cert_set *s) {
  size_t ok = 0;
  for (size_t i = 0; i < s->n; i++) {
    tg_x509_cert c;
    tg_err err = {0};
    ok += tg_x509_parse(cert_at(s, i), &c, &err) == TG_OK;
  }
  return ok;
}

static size_t pass_gnutls(const cert_set *s) {
  size_t ok = 0;
  for (size_t i = 0; i < s->n; i++) {
    tg_bytes b = cert_at(s, i);
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {(unsigned char *)b.p, (unsigned)b.len};
    if (gnutls_x509_crt_init(&crt) != GNUTLS_E_SUCCESS)
      continue;
    ok += gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS;
    gnutls_x509_crt_deinit(crt);
  }
  return ok;
}

static size_t openssl_pass(const cert_set *s, int extensions) {
  size_t ok = 0;
  for (size_t i = 0; i < s->n; i++) {
    tg_bytes b = cert_at(s, i);
    const unsigned char *p = b.p;
    X509 *x = d2i_X509(NULL, &p, (long)b.len);
    if (x != NULL && extensions)
      ok += (X509_get_extension_flags(x) & EXFLAG_INVALID) == 0;
    else
      ok += x != NULL;
    X509_free(x);
  }
  return ok;
}
static size_t pass_openssl(const cert_set *s) { return openssl_pass(s, 0); }
static size_t pass_openssl_ext(const cert_set *s) { return openssl_pass(s, 1); }

/* Certificates per second over at least seconds, after one warm-up pass. */
static double measure(const cert_set *s, pass_fn pass, double seconds, size_t *accepted) {
  *accepted = pass(s);
  size_t rounds = 0;
  double start = now(), elapsed;
  do {
    pass(s);
    rounds++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  return (double)(rounds * s->n) / elapsed;
}

/* BoringSSL's rate from the helper, or a negative number when it cannot run. */
static double measure_boringssl(const cert_set *s, double seconds, size_t *accepted) {
#ifdef TG_X509_BSSL_HELPER
  char path[] = "/tmp/bench_x509_XXXXXX", cmd[512];
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (f == NULL)
    return -1;
  /* Each certificate as a 4-octet big-endian length and its DER. */
  for (size_t i = 0; i < s->n; i++) {
    tg_bytes b = cert_at(s, i);
    uint8_t len[4] = {(uint8_t)(b.len >> 24), (uint8_t)(b.len >> 16), (uint8_t)(b.len >> 8),
                      (uint8_t)b.len};
    fwrite(len, 1, 4, f);
    fwrite(b.p, 1, b.len, f);
  }
  fclose(f);
  snprintf(cmd, sizeof cmd, "%s %s %g", TG_X509_BSSL_HELPER, path, seconds);
  FILE *p = popen(cmd, "r");
  double rate = -1;
  if (p != NULL) {
    if (fscanf(p, "%lf %zu", &rate, accepted) != 2)
      rate = -1;
    pclose(p);
  }
  unlink(path);
  return rate;
#else
  (void)s, (void)seconds, (void)accepted;
  return -1;
#endif
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 1.0;
  cert_set s;
  size_t skipped = 0;
  load(&s, &skipped);
  gnutls_global_init();
  static const struct {
    const char *name;
    pass_fn pass;
  } impls[] = {{"builtin", pass_builtin},
               {"gnutls", pass_gnutls},
               {"openssl", pass_openssl},
               {"openssl+ext", pass_openssl_ext}};
  double rate[5];
  size_t accepted[5];
  for (size_t i = 0; i < 4; i++)
    rate[i] = measure(&s, impls[i].pass, seconds, &accepted[i]);
  rate[4] = measure_boringssl(&s, seconds, &accepted[4]);
  printf("bench/x509: %zu certificates from vectors/x509 (%zu the built-in parser rejects left "
         "out), at least %g s each\n",
         s.n, skipped, seconds);
  printf("%-12s %14s %9s %16s\n", "impl", "certs/s", "accepted", "builtin/impl");
  for (size_t i = 0; i < 5; i++) {
    const char *name = i < 4 ? impls[i].name : "boringssl";
    if (rate[i] < 0) {
      printf("%-12s %14s\n", name, "unavailable");
      continue;
    }
    printf("%-12s %14.0f %5zu/%-3zu %15.2fx\n", name, rate[i], accepted[i], s.n, rate[0] / rate[i]);
  }
  gnutls_global_deinit();
  tg_writer_free(&s.der);
  /* Every implementation must have parsed every certificate: otherwise the rates compare
   * different work. */
  for (size_t i = 0; i < 5; i++)
    if (rate[i] >= 0 && accepted[i] != s.n)
      return 1;
  return 0;
}
