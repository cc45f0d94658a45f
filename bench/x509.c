/* bench/x509: X.509 certificates parsed per second, and certificate paths validated per second,
 * by the built-in implementation, GnuTLS, OpenSSL and BoringSSL, in one run with each library's
 * ratio to the built-in one.
 *
 *   build/bench_x509 [SECONDS]        (each implementation runs at least SECONDS per part, default
 * 1)
 *
 * Parsing, over the test certificates of vectors/x509/ (the parser set, NAME.der, and every chain
 * certificate, chains/NAME.pem); what each does per certificate, from DER bytes to a parsed object
 * and back to nothing:
 *   builtin   tg_x509_parse: every field and every known extension decoded and checked, no
 *             allocation (views into the input)
 *   gnutls    gnutls_x509_crt_init + gnutls_x509_crt_import (DER) + gnutls_x509_crt_deinit
 *   openssl   d2i_X509 + X509_free (extensions are kept as DER until first used)
 *   openssl+  the same and X509_get_extension_flags, which decodes the extensions the way
 *             OpenSSL does before any verification: the closest to the built-in parser's work
 *   boringssl d2i_X509 + X509_free, in a helper process (bench/boringssl/x509_bssl.c): its
 *             symbols clash with OpenSSL's, so the certificates go to it in a file
 * Certificates the built-in parser rejects (the duplicated-extension one) are left out, so that
 * every implementation parses the same set.
 *
 * Path validation, over the chains of vectors/x509/chains.yaml that the manifest says are valid
 * (rfc5280 profile) and that every implementation here validates, with the manifest's name,
 * time and purpose (chains verified for an IP address are left out: not every API below takes
 * one the same way). The certificates are parsed and the trust anchors loaded before the clock
 * starts; a validation builds and checks the path as `tlsgauntlet verify --peer` has each one do:
 *   builtin   tg_x509_verify (signatures, validity, issuers' rights, usages, the name)
 *   gnutls    gnutls_x509_trust_list_verify_crt2 on the chain against a trust list of the
 *             anchors (peers/verify_gnutls.c), the time through gnutls_global_set_time_function
 *   openssl   X509_STORE_CTX_init + X509_verify_cert with X509_VERIFY_PARAM time, host and
 *   boringssl purpose (peers/verify_sslapi.c), each in a helper process: x509_ossl and
 *             x509_bssl, the same source built against each library */
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

#include "chains.h"
#include "tg/pem.h"
#include "tg/x509.h"
#include "tg/x509_verify.h"

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

/* The parsing table; false when an implementation did not parse every certificate. */
static bool parse_bench(double seconds) {
  cert_set s;
  size_t skipped = 0;
  load(&s, &skipped);
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
  tg_writer_free(&s.der);
  /* Every implementation must have parsed every certificate: otherwise the rates compare
   * different work. */
  bool all = true;
  for (size_t i = 0; i < 5; i++)
    all &= rate[i] < 0 || accepted[i] == s.n;
  return all;
}

/* ---- Path validation ------------------------------------------------------------------------- */

#define MAX_CHAIN (4 * CHAINS_MAX_FILES)
#define MAX_CHAINS_LINE 1024 /* a helper's check line: a 0 or 1 per chain */

/* One chain of the manifest, parsed for each in-process implementation. */
typedef struct vchain {
  const chain_entry *e;
  tg_x509_store chain, anchors; /* chain: the leaf first */
  const tg_x509_cert *untrusted[MAX_CHAIN];
  size_t n_untrusted;
  gnutls_x509_crt_t crt[1 + MAX_CHAIN];
  unsigned n_crt;
  gnutls_x509_trust_list_t tl;
} vchain;

typedef struct vset {
  chains manifest;
  vchain *v;
  size_t n;
} vset;

/* The files into store; false when one does not load. */
static bool add_files(const vset *s, tg_x509_store *store, char *const *files, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++) {
    char path[1024];
    size_t len;
    if (!chains_path(&s->manifest, files[i], path, sizeof path))
      return false;
    char *text = slurp(path, &len);
    tg_err err = {0};
    ok = tg_x509_store_add_pem(store, tg_bytes_of(text, len), &err) == TG_OK;
    free(text);
  }
  return ok;
}

static bool gnutls_import(const tg_x509_cert *c, gnutls_x509_crt_t *out) {
  gnutls_datum_t d = {(unsigned char *)c->raw.p, (unsigned)c->raw.len};
  if (gnutls_x509_crt_init(out) != GNUTLS_E_SUCCESS)
    return false;
  if (gnutls_x509_crt_import(*out, &d, GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS)
    return true;
  gnutls_x509_crt_deinit(*out);
  return false;
}

/* e's certificates, parsed by the built-in parser and GnuTLS; false to leave it out. */
static bool vchain_load(const vset *s, const chain_entry *e, vchain *c) {
  uint8_t ip[16];
  size_t ip_len;
  memset(c, 0, sizeof *c);
  c->e = e;
  tg_x509_store_init(&c->chain);
  tg_x509_store_init(&c->anchors);
  char *leaf[] = {e->leaf};
  if (!e->expect[TG_X509_PROFILE_RFC5280].valid ||
      (e->name != NULL && tg_x509_parse_ip(e->name, ip, &ip_len)) ||
      !add_files(s, &c->chain, leaf, 1) || !add_files(s, &c->chain, e->untrusted, e->n_untrusted) ||
      !add_files(s, &c->anchors, e->trust, e->n_trust) ||
      tg_x509_store_count(&c->chain) > 1 + MAX_CHAIN ||
      gnutls_x509_trust_list_init(&c->tl, 0) != GNUTLS_E_SUCCESS)
    return false;
  for (size_t i = 0; i < tg_x509_store_count(&c->chain); i++) {
    if (i > 0)
      c->untrusted[c->n_untrusted++] = tg_x509_store_get(&c->chain, i);
    if (!gnutls_import(tg_x509_store_get(&c->chain, i), &c->crt[c->n_crt]))
      return false;
    c->n_crt++;
  }
  for (size_t i = 0; i < tg_x509_store_count(&c->anchors); i++) {
    gnutls_x509_crt_t a;
    /* The trust list owns what it is given (gnutls_x509_trust_list_deinit with all). */
    if (!gnutls_import(tg_x509_store_get(&c->anchors, i), &a) ||
        gnutls_x509_trust_list_add_cas(c->tl, &a, 1, 0) != 1)
      return false;
  }
  return true;
}

static void vchain_free(vchain *c) {
  for (unsigned i = 0; i < c->n_crt; i++)
    gnutls_x509_crt_deinit(c->crt[i]);
  if (c->tl != NULL)
    gnutls_x509_trust_list_deinit(c->tl, 1);
  tg_x509_store_free(&c->chain);
  tg_x509_store_free(&c->anchors);
}

static bool verify_builtin(const vchain *c) {
  tg_x509_verify_params p = {.anchors = &c->anchors,
                             .untrusted = c->untrusted,
                             .untrusted_count = c->n_untrusted,
                             .name = c->e->name,
                             .now = c->e->time,
                             .purpose = c->e->purpose};
  tg_x509_verify_result res;
  tg_err err = {0};
  return tg_x509_verify(tg_x509_store_get(&c->chain, 0), &p, &res, &err) == TG_OK;
}

static time_t gnutls_now; /* GnuTLS reads the time only through its global hook */
static time_t gnutls_time_hook(time_t *t) {
  if (t != NULL)
    *t = gnutls_now;
  return gnutls_now;
}

static bool verify_gnutls(const vchain *c) {
  gnutls_typed_vdata_st data[2];
  unsigned nd = 0, status = 0;
  if (c->e->name != NULL)
    data[nd++] = (gnutls_typed_vdata_st){.type = GNUTLS_DT_DNS_HOSTNAME,
                                         .data = (unsigned char *)c->e->name};
  data[nd++] = (gnutls_typed_vdata_st){.type = GNUTLS_DT_KEY_PURPOSE_OID,
                                       .data = (unsigned char *)(c->e->purpose == TG_PURPOSE_CLIENT
                                                                     ? GNUTLS_KP_TLS_WWW_CLIENT
                                                                     : GNUTLS_KP_TLS_WWW_SERVER)};
  gnutls_now = (time_t)c->e->time;
  return gnutls_x509_trust_list_verify_crt2(c->tl, (gnutls_x509_crt_t *)c->crt, c->n_crt, data, nd,
                                            0, &status, NULL) >= 0 &&
         status == 0;
}

typedef bool (*verify_fn)(const vchain *c);

/* Validations per second over the chains of chosen[] for at least
 * seconds, after one pass that counts the valid ones in *valid. */
static double measure_paths(const vset *s, const bool *chosen, verify_fn f, double seconds,
                            size_t *valid) {
  size_t rounds = 0, n = 0;
  *valid = 0;
  for (size_t i = 0; i < s->n; i++)
    if (chosen[i])
      *valid += f(&s->v[i]), n++;
  double start = now(), elapsed;
  do {
    for (size_t i = 0; i < s->n; i++)
      if (chosen[i])
        f(&s->v[i]);
    rounds++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  return (double)(rounds * n) / elapsed;
}

static void put_u32(FILE *f, uint32_t v) {
  uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
  fwrite(b, 1, 4, f);
}

/* The chains of chosen[] in the helper's format (bench/boringssl/x509_bssl.c, read_chains) into a
 * temporary file, whose name is left in path; false when it cannot be written. */
static bool write_chains(const vset *s, const bool *chosen, char *path) {
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (f == NULL)
    return false;
  for (size_t i = 0; i < s->n; i++) {
    const vchain *c = &s->v[i];
    if (!chosen[i])
      continue;
    size_t n_chain = tg_x509_store_count(&c->chain), n_anchors = tg_x509_store_count(&c->anchors);
    size_t name_len = c->e->name ? strlen(c->e->name) : 0;
    uint64_t t = (uint64_t)c->e->time;
    put_u32(f, (uint32_t)n_chain);
    put_u32(f, (uint32_t)n_anchors);
    put_u32(f, c->e->purpose == TG_PURPOSE_CLIENT);
    put_u32(f, (uint32_t)(t >> 32));
    put_u32(f, (uint32_t)t);
    put_u32(f, (uint32_t)name_len);
    fwrite(c->e->name ? c->e->name : "", 1, name_len, f);
    for (size_t j = 0; j < n_chain + n_anchors; j++) {
      const tg_x509_cert *x = j < n_chain ? tg_x509_store_get(&c->chain, j)
                                          : tg_x509_store_get(&c->anchors, j - n_chain);
      put_u32(f, (uint32_t)x->raw.len);
      fwrite(x->raw.p, 1, x->raw.len, f);
    }
  }
  return fclose(f) == 0;
}

/* A helper's verdict per chain of chosen[] ANDed into chosen[]; false when it cannot run. */
static bool helper_check(const char *helper, const vset *s, bool *chosen) {
  char path[] = "/tmp/bench_x509_XXXXXX", cmd[512], line[MAX_CHAINS_LINE];
  if (helper == NULL || !write_chains(s, chosen, path))
    return false;
  snprintf(cmd, sizeof cmd, "%s check %s", helper, path);
  FILE *p = popen(cmd, "r");
  bool ok = p != NULL && fgets(line, sizeof line, p) != NULL;
  if (p != NULL)
    pclose(p);
  unlink(path);
  for (size_t i = 0, k = 0; ok && i < s->n; i++)
    if (chosen[i])
      chosen[i] = line[k++] == '1';
  return ok;
}

/* A helper's validations per second over the chains of chosen[], -1 when it cannot run. */
static double helper_measure(const char *helper, const vset *s, const bool *chosen, double seconds,
                             size_t *valid) {
  char path[] = "/tmp/bench_x509_XXXXXX", cmd[512];
  if (helper == NULL || !write_chains(s, chosen, path))
    return -1;
  snprintf(cmd, sizeof cmd, "%s verify %s %g", helper, path, seconds);
  FILE *p = popen(cmd, "r");
  double rate = -1;
  if (p != NULL) {
    if (fscanf(p, "%lf %zu", &rate, valid) != 2)
      rate = -1;
    pclose(p);
  }
  unlink(path);
  return rate;
}

/* The path validation table; false when an implementation failed a chain it had validated. */
/* The manifest's chains into s; in the returned chosen[] those every implementation validates
 * (have[i]: the helper of OpenSSL, BoringSSL could run). */
static bool *vset_load(vset *s, const char *const helper[2], bool have[2]) {
  char err[600];
  if (!chains_load(&s->manifest, TG_SOURCE_DIR "/vectors/x509/chains.yaml", err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    exit(2);
  }
  s->v = calloc(s->manifest.n, sizeof *s->v);
  bool *chosen = calloc(s->manifest.n, sizeof *chosen);
  if (s->v == NULL || chosen == NULL)
    exit(2);
  for (size_t i = 0; i < s->manifest.n; i++) {
    chosen[i] = vchain_load(s, &s->manifest.v[i], &s->v[i]);
    s->n++;
  }
  for (size_t i = 0; i < s->n; i++)
    chosen[i] = chosen[i] && verify_builtin(&s->v[i]) && verify_gnutls(&s->v[i]);
  for (size_t i = 0; i < 2; i++)
    have[i] = helper_check(helper[i], s, chosen);
  return chosen;
}

/* The path validation table; false when an implementation failed a chain it had validated. */
static bool path_bench(double seconds) {
  static const char *const names[] = {"builtin", "gnutls", "openssl", "boringssl"};
#if defined(TG_X509_OSSL_HELPER) && defined(TG_X509_BSSL_HELPER)
  const char *const helper[2] = {TG_X509_OSSL_HELPER, TG_X509_BSSL_HELPER};
#else
  const char *const helper[2] = {NULL, NULL};
#endif
  vset s = {0};
  bool have[2];
  bool *chosen = vset_load(&s, helper, have);
  size_t valid_in_manifest = 0, kept = 0, valid[4] = {0};
  for (size_t i = 0; i < s.n; i++) {
    kept += chosen[i];
    valid_in_manifest += s.v[i].e->expect[TG_X509_PROFILE_RFC5280].valid;
  }
  double rate[4];
  rate[0] = measure_paths(&s, chosen, verify_builtin, seconds, &valid[0]);
  rate[1] = measure_paths(&s, chosen, verify_gnutls, seconds, &valid[1]);
  for (size_t i = 0; i < 2; i++)
    rate[2 + i] = have[i] ? helper_measure(helper[i], &s, chosen, seconds, &valid[2 + i]) : -1;
  printf("\nbench/x509: %zu chains of vectors/x509/chains.yaml validated (of the %zu valid ones, "
         "those every implementation here validates, no IP name), at least %g s each\n",
         kept, valid_in_manifest, seconds);
  printf("%-12s %14s %9s %16s\n", "impl", "paths/s", "valid", "builtin/impl");
  bool all = kept > 0;
  for (size_t i = 0; i < 4; i++) {
    if (rate[i] < 0) {
      printf("%-12s %14s\n", names[i], "unavailable");
      continue;
    }
    printf("%-12s %14.0f %5zu/%-3zu %15.2fx\n", names[i], rate[i], valid[i], kept,
           rate[0] / rate[i]);
    all &= valid[i] == kept;
  }
  printf("left out (valid in the manifest, refused here by one or an IP name):");
  for (size_t i = 0; i < s.n; i++)
    if (!chosen[i] && s.v[i].e->expect[TG_X509_PROFILE_RFC5280].valid)
      printf(" %s", s.v[i].e->id);
  printf("\n");
  for (size_t i = 0; i < s.n; i++)
    vchain_free(&s.v[i]);
  free(s.v);
  free(chosen);
  chains_free(&s.manifest);
  return all;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 1.0;
  gnutls_global_init();
  gnutls_global_set_time_function(gnutls_time_hook);
  bool ok = parse_bench(seconds);
  ok &= path_bench(seconds);
  gnutls_global_deinit();
  return ok ? 0 : 1;
}
