/* bench/handshake: full TLS 1.3 and TLS 1.2 handshakes per second, and AES-128-GCM record
 * throughput, for the built-in engine, GnuTLS, OpenSSL, BoringSSL, wolfSSL, NSS and Mbed TLS,
 * each with its client and server in one process, printing each rate and the ratio
 * built-in/each.
 *
 *   build/bench_handshake [SECONDS]      (default 2 s per measurement)
 *
 * Three handshakes (the profiles of bench_builtin.h), the same work for all:
 *   - TLS 1.3 only, x25519, TLS_AES_128_GCM_SHA256, the server's ecdsa_secp256r1_sha256
 *     certificate bench/data/p256-cert.pem (key vectors/keys/p256.pkcs8.pem), middlebox
 *     compatibility mode on (the other three libraries' default);
 *   - TLS 1.2 only, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, x25519, the same certificate
 *     signing the ServerKeyExchange with ecdsa_secp256r1_sha256, extended master secret;
 *   - TLS 1.2 only, TLS_RSA_WITH_AES_128_GCM_SHA256 (RSA key transport: the server decrypts the
 *     premaster secret), the RSA-2048 leaf vectors/scenarios/certs/server-rsa.pem and its
 *     intermediate, extended master secret;
 * all with no session tickets or session cache (every handshake is a full one), and
 * no certificate verification: each client parses the server's certificate and checks the
 * server's signature (CertificateVerify, ServerKeyExchange) or encrypts the premaster secret
 * with its key, but validates no chain (chain validation costs differ
 * by library and are measured by bench/x509). Configuration (keys, certificates, contexts) is
 * loaded once; each handshake creates both connections, runs the handshake in memory and frees
 * everything. Throughput: after one handshake, the client writes 16 KiB records and the server
 * reads them; MB/s counts application data bytes, 10^6 per MB.
 *
 * The built-in engine and GnuTLS run here (GnuTLS and the engine both use nettle, without
 * conflict). OpenSSL and BoringSSL export the same symbols, so each runs in its own helper
 * process (bench/sslapi/handshake_sslapi.c, one source built against each) and this program
 * reads the helper's result lines. wolfSSL, NSS and Mbed TLS run the same way, each from its
 * own source (bench/wolfssl, bench/nss, bench/mbedtls; their common part is bench_helper.h):
 * separate processes keep every library's symbols apart. A helper may answer "na" for a
 * profile its library cannot do exactly (Mbed TLS 2.28 has no TLS 1.3; Debian's wolfSSL has no
 * static RSA suites), and the reason is printed instead of a rate; a library not found at
 * configure time has no helper and is listed as not built. */
#include <errno.h>
#include <gnutls/gnutls.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_handshake"
#include "bench_builtin.h"

#define RECORD 16384

typedef enum outcome { MEASURED, FAILED, NOT_APPLICABLE, NOT_BUILT } outcome;

typedef struct result {
  const char *label; /* in the ratio: "builtin/LABEL" */
  char name[128];    /* the library and its version */
  char why[160];     /* NOT_APPLICABLE: the helper's reason */
  char note[160];    /* how the helper's work differed, if it did ("" if not) */
  double handshakes; /* per second */
  double bytes;      /* application data bytes per second */
  outcome status;
} result;

static double builtin_record_rate(const builtin *b, const uint8_t *out, uint8_t *in,
                                  double seconds) {
  tg_conn *c, *s;
  unsigned long n = 0;
  builtin_handshake(b, &c, &s);
  double start = now(), elapsed;
  do {
    if (tg_conn_write(c, tg_bytes_of(out, RECORD)) != TG_OK)
      builtin_check(c, "builtin client write");
    builtin_pump(c, s);
    size_t got = 0, k;
    while (got < RECORD && (k = tg_conn_read(s, in + got, RECORD - got)) > 0)
      got += k;
    if (got != RECORD || (n == 0 && memcmp(in, out, RECORD) != 0))
      die("builtin", "application data lost or corrupted");
    n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  tg_conn_free(c);
  tg_conn_free(s);
  return (double)n * RECORD / elapsed;
}

/* Record throughput is measured only when out is not NULL (the TLS 1.3 profile). */
static void run_builtin(const bench_profile *p, double seconds, const uint8_t *out, uint8_t *in,
                        result *r) {
  builtin b;
  builtin_init_profile(&b, p);
  r->label = "builtin";
  snprintf(r->name, sizeof r->name, "builtin");
  r->handshakes = builtin_handshake_rate(&b, seconds);
  if (out != NULL)
    r->bytes = builtin_record_rate(&b, out, in, seconds);
  r->status = MEASURED;
  builtin_free(&b);
}

/* ---- GnuTLS ---------------------------------------------------------------------------------- */

/* One direction of the in-memory wire. */
typedef struct wire {
  uint8_t buf[4 * RECORD];
  size_t off, len; /* unread bytes are buf[off, len) */
} wire;

typedef struct endpoint {
  gnutls_session_t s;
  wire *out, *in;
} endpoint;

static ssize_t wire_push(gnutls_transport_ptr_t ptr, const void *data, size_t n) {
  endpoint *e = ptr;
  wire *w = e->out;
  if (w->off > 0) { /* compact: keeps the wire a single span */
    memmove(w->buf, w->buf + w->off, w->len - w->off);
    w->len -= w->off;
    w->off = 0;
  }
  if (n > sizeof w->buf - w->len) {
    gnutls_transport_set_errno(e->s, EAGAIN);
    return -1;
  }
  memcpy(w->buf + w->len, data, n);
  w->len += n;
  return (ssize_t)n;
}

static ssize_t wire_pull(gnutls_transport_ptr_t ptr, void *data, size_t n) {
  endpoint *e = ptr;
  wire *w = e->in;
  size_t avail = w->len - w->off;
  if (avail == 0) {
    gnutls_transport_set_errno(e->s, EAGAIN);
    return -1;
  }
  if (n > avail)
    n = avail;
  memcpy(data, w->buf + w->off, n);
  w->off += n;
  return (ssize_t)n;
}

/* Without this GnuTLS would select() on the pointer as if it were a file descriptor. */
static int wire_pull_timeout(gnutls_transport_ptr_t ptr, unsigned ms) {
  (void)ms;
  const endpoint *e = ptr;
  return e->in->len > e->in->off;
}

typedef struct gtls {
  const bench_profile *profile;
  gnutls_certificate_credentials_t ccred, scred;
  gnutls_priority_t prio;
  wire c2s, s2c;
  endpoint c, s;
} gtls;

static void gtls_check(int rc, const char *what) {
  if (rc < 0)
    die(what, gnutls_strerror(rc));
}

/* The profile as a priority string (the TLS 1.2 ECDHE groups: see builtin_init_profile). For RSA
 * key transport the groups and signature algorithms
 * stay GnuTLS's defaults: nothing is signed and no group is used. */
static const char *gtls_priority(const bench_profile *p) {
  if (p->version == TG_VERSION_TLS13)
    return "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:"
           "-GROUP-ALL:+GROUP-X25519:-SIGN-ALL:+SIGN-ECDSA-SECP256R1-SHA256";
  if (p->group != 0)
    return "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:-KX-ALL:+ECDHE-ECDSA:"
           "-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:-SIGN-ALL:+SIGN-ECDSA-SHA256";
  return "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:-KX-ALL:+RSA";
}

static void gtls_init(gtls *g, const bench_profile *p) {
  memset(g, 0, sizeof *g);
  g->profile = p;
  gtls_check(gnutls_certificate_allocate_credentials(&g->ccred), "GnuTLS client credentials");
  gtls_check(gnutls_certificate_allocate_credentials(&g->scred), "GnuTLS server credentials");
  gtls_check(
      gnutls_certificate_set_x509_key_file(g->scred, p->cert_pem, p->key_pem, GNUTLS_X509_FMT_PEM),
      "GnuTLS loading the server certificate and key");
  gtls_check(gnutls_priority_init(&g->prio, gtls_priority(p), NULL), "GnuTLS priority string");
}

static void gtls_free(gtls *g) {
  gnutls_priority_deinit(g->prio);
  gnutls_certificate_free_credentials(g->ccred);
  gnutls_certificate_free_credentials(g->scred);
}

static void gtls_session(gtls *g, endpoint *e, bool server) {
  unsigned flags = (server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_NO_TICKETS | GNUTLS_NONBLOCK;
  gtls_check(gnutls_init(&e->s, flags), "gnutls_init");
  gtls_check(gnutls_priority_set(e->s, g->prio), "gnutls_priority_set");
  gtls_check(gnutls_credentials_set(e->s, GNUTLS_CRD_CERTIFICATE, server ? g->scred : g->ccred),
             "gnutls_credentials_set");
  e->out = server ? &g->s2c : &g->c2s;
  e->in = server ? &g->c2s : &g->s2c;
  gnutls_transport_set_ptr(e->s, e);
  gnutls_transport_set_push_function(e->s, wire_push);
  gnutls_transport_set_pull_function(e->s, wire_pull);
  gnutls_transport_set_pull_timeout_function(e->s, wire_pull_timeout);
}

/* One step of one side: true when its handshake is done. */
static bool gtls_step(endpoint *e) {
  int rc = gnutls_handshake(e->s);
  if (rc == GNUTLS_E_SUCCESS)
    return true;
  if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED)
    die("GnuTLS handshake", gnutls_strerror(rc));
  return false;
}

static void gtls_handshake(gtls *g) {
  bool cdone = false, sdone = false;
  g->c2s.off = g->c2s.len = g->s2c.off = g->s2c.len = 0;
  gtls_session(g, &g->c, false);
  gtls_session(g, &g->s, true);
  for (int round = 0; !(cdone && sdone); round++) {
    if (round == 16)
      die("GnuTLS", "the handshake did not finish");
    if (!cdone)
      cdone = gtls_step(&g->c);
    if (!sdone)
      sdone = gtls_step(&g->s);
  }
}

static void gtls_close(gtls *g) {
  gnutls_deinit(g->c.s);
  gnutls_deinit(g->s.s);
}

/* The parameters the profile promises, checked once (not in the timed loop). GnuTLS names
 * ecdsa_secp256r1_sha256 (0x0403) SIGN_ECDSA_SHA256 in TLS 1.2, where the curve is not bound. */
static void gtls_verify_params(const gtls *g) {
  gnutls_session_t c = g->c.s;
  const bench_profile *p = g->profile;
  bool tls12 = p->version == TG_VERSION_TLS12;
  gnutls_kx_algorithm_t kx = p->group != 0 ? GNUTLS_KX_ECDHE_ECDSA : GNUTLS_KX_RSA;
  gnutls_sign_algorithm_t sign = gnutls_sign_algorithm_get(c);
  if (gnutls_protocol_get_version(c) != (tls12 ? GNUTLS_TLS1_2 : GNUTLS_TLS1_3) ||
      gnutls_cipher_get(c) != GNUTLS_CIPHER_AES_128_GCM || gnutls_session_is_resumed(c) ||
      (tls12 && (gnutls_kx_get(c) != kx || !gnutls_session_ext_master_secret_status(c))) ||
      (p->group != 0 && gnutls_group_get(c) != GNUTLS_GROUP_X25519) ||
      (p->sig_scheme != 0 && sign != GNUTLS_SIGN_ECDSA_SECP256R1_SHA256 &&
       !(tls12 && sign == GNUTLS_SIGN_ECDSA_SHA256))) {
    fprintf(stderr, "bench_handshake: GnuTLS: not the promised full handshake: %s\n", p->title);
    exit(1);
  }
}

static double gtls_handshake_rate(gtls *g, double seconds) {
  unsigned long n = 0;
  double start = now(), elapsed;
  do {
    gtls_handshake(g);
    if (n == 0)
      gtls_verify_params(g);
    gtls_close(g);
    n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  return n / elapsed;
}

static double gtls_record_rate(gtls *g, const uint8_t *out, uint8_t *in, double seconds) {
  unsigned long n = 0;
  gtls_handshake(g);
  double start = now(), elapsed;
  do {
    ssize_t k = gnutls_record_send(g->c.s, out, RECORD);
    if (k != RECORD)
      die("GnuTLS record_send", k < 0 ? gnutls_strerror((int)k) : "short write");
    for (size_t got = 0; got < RECORD; got += (size_t)k) {
      k = gnutls_record_recv(g->s.s, in + got, RECORD - got);
      if (k <= 0)
        die("GnuTLS record_recv", k < 0 ? gnutls_strerror((int)k) : "end of stream");
    }
    if (n == 0 && memcmp(in, out, RECORD) != 0)
      die("GnuTLS", "application data corrupted");
    n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  gtls_close(g);
  return (double)n * RECORD / elapsed;
}

/* Record throughput is measured only when out is not NULL (the TLS 1.3 profile). */
static void run_gnutls(const bench_profile *p, double seconds, const uint8_t *out, uint8_t *in,
                       result *r) {
  gtls *g = malloc(sizeof *g); /* the wires are 128 KiB: not on the stack */
  if (g == NULL)
    die("GnuTLS", "out of memory");
  gtls_init(g, p);
  r->label = "GnuTLS";
  snprintf(r->name, sizeof r->name, "GnuTLS %s", gnutls_check_version(NULL));
  r->handshakes = gtls_handshake_rate(g, seconds);
  if (out != NULL)
    r->bytes = gtls_record_rate(g, out, in, seconds);
  r->status = MEASURED;
  gtls_free(g);
  free(g);
}

/* ---- The other libraries, in helper processes ------------------------------------------------ */

/* The helpers this program was built with (CMakeLists.txt defines TG_BENCH_<LIB>_HELPER for each
 * library it found); path NULL: not built. */
typedef struct helper {
  const char *label, *path;
} helper;

#ifndef TG_BENCH_WOLFSSL_HELPER
#define TG_BENCH_WOLFSSL_HELPER NULL
#endif
#ifndef TG_BENCH_NSS_HELPER
#define TG_BENCH_NSS_HELPER NULL
#endif
#ifndef TG_BENCH_MBEDTLS_HELPER
#define TG_BENCH_MBEDTLS_HELPER NULL
#endif

static const helper helpers[] = {
    {"OpenSSL", TG_BENCH_OPENSSL_HELPER},  {"BoringSSL", TG_BENCH_BORINGSSL_HELPER},
    {"wolfSSL", TG_BENCH_WOLFSSL_HELPER},  {"NSS", TG_BENCH_NSS_HELPER},
    {"Mbed TLS", TG_BENCH_MBEDTLS_HELPER},
};
enum { NHELPERS = sizeof helpers / sizeof helpers[0] };

/* Parses the helper's lines (bench/sslapi/handshake_sslapi.c, bench/bench_helper.h): the record
 * rate only comes with the TLS 1.3 profile; "na" replaces both rates. */
static bool parse_helper(FILE *f, const bench_profile *p, result *r) {
  char line[256];
  int seen = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    if (strncmp(line, "impl ", 5) == 0) {
      snprintf(r->name, sizeof r->name, "%.120s", line + 5);
      seen |= 1;
    } else if (strncmp(line, "note ", 5) == 0) {
      snprintf(r->note, sizeof r->note, "%.150s", line + 5);
    } else if (strncmp(line, "na ", 3) == 0) {
      snprintf(r->why, sizeof r->why, "%.150s", line + 3);
      seen |= 8;
    } else if (sscanf(line, "handshakes_per_s %lf", &r->handshakes) == 1) {
      seen |= 2;
    } else if (sscanf(line, "record_bytes_per_s %lf", &r->bytes) == 1) {
      seen |= 4;
    }
  }
  if (seen == (1 | 8))
    r->status = NOT_APPLICABLE;
  return seen == (1 | 8) || seen == (p->version == TG_VERSION_TLS13 ? 7 : 3);
}

/* Runs the helper on one profile with our time budget; its stderr passes through. */
static void run_helper(const helper *h, const bench_profile *p, double seconds, result *r) {
  char secs[32];
  int fds[2], status;
  r->label = h->label;
  snprintf(r->name, sizeof r->name, "%s", h->label);
  r->status = FAILED;
  if (h->path == NULL) {
    r->status = NOT_BUILT;
    return;
  }
  snprintf(secs, sizeof secs, "%g", seconds);
  fflush(NULL);
  if (pipe(fds) != 0)
    die(h->label, strerror(errno));
  pid_t pid = fork();
  if (pid < 0)
    die(h->label, strerror(errno));
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl(h->path, h->path, secs, p->name, p->cert_pem, p->key_pem, (char *)NULL);
    fprintf(stderr, "bench_handshake: %s: %s\n", h->path, strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  FILE *f = fdopen(fds[0], "r");
  if (f == NULL)
    die(h->label, strerror(errno));
  bool parsed = parse_helper(f, p, r);
  fclose(f);
  if (waitpid(pid, &status, 0) != pid)
    die(h->label, strerror(errno));
  if (!parsed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    r->status = FAILED;
    fprintf(stderr, "bench_handshake: %s (%s %s) failed\n", h->label, h->path, p->name);
  } else if (r->status != NOT_APPLICABLE) {
    r->status = MEASURED;
  }
}

/* ---- Report ---------------------------------------------------------------------------------- */

static void print_rates(const result *rs, size_t n, bool bytes) {
  const result *base = &rs[0];
  for (size_t i = 0; i < n; i++) {
    const result *r = &rs[i];
    double v = bytes ? r->bytes / 1e6 : r->handshakes;
    double b = bytes ? base->bytes / 1e6 : base->handshakes;
    if (r->status == FAILED)
      printf("    %-28s      failed\n", r->name);
    else if (r->status == NOT_BUILT)
      printf("    %-28s      not built (library not found at configure time)\n", r->name);
    else if (r->status == NOT_APPLICABLE)
      printf("    %-28s      n/a: %s\n", r->name, r->why);
    else if (i == 0)
      printf("    %-28s %8.0f %s\n", r->name, v, bytes ? "MB/s" : "/s");
    else
      printf("    %-28s %8.0f %s   builtin/%s = %.2fx\n", r->name, v, bytes ? "MB/s" : "/s",
             r->label, b / v);
    if (r->note[0] != '\0' && !bytes)
      printf("        (%s: %s)\n", r->label, r->note);
  }
}

/* Every implementation on one profile, into rs[0..NIMPLS-1]; records too when out is not NULL. */
static void run_profile(const bench_profile *p, double seconds, const uint8_t *out, uint8_t *in,
                        result *rs) {
  run_builtin(p, seconds, out, in, &rs[0]);
  run_gnutls(p, seconds, out, in, &rs[1]);
  for (size_t i = 0; i < NHELPERS; i++)
    run_helper(&helpers[i], p, seconds, &rs[2 + i]);
}

int main(int argc, char **argv) {
  static const bench_profile *const profiles[] = {&bench_tls13, &bench_tls12_ecdhe,
                                                  &bench_tls12_rsa};
  enum { NPROFILES = sizeof profiles / sizeof profiles[0], NIMPLS = 2 + NHELPERS };
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  if (argc > 2 || seconds <= 0) {
    fprintf(stderr, "usage: %s [SECONDS]   (default 2, per measurement)\n", argv[0]);
    return 2;
  }
  static uint8_t out[RECORD], in[RECORD];
  for (size_t i = 0; i < RECORD; i++)
    out[i] = (uint8_t)(i * 7 + (i >> 8));
  result rs[NPROFILES][NIMPLS];
  memset(rs, 0, sizeof rs);
  for (size_t k = 0; k < NPROFILES; k++)
    run_profile(profiles[k], seconds, k == 0 ? out : NULL, in, rs[k]);
  gnutls_global_deinit();

  printf("Full handshakes, no tickets or session cache, no certificate verification, client and\n"
         "  server in one process, %g s each\n",
         seconds);
  for (size_t k = 0; k < NPROFILES; k++) {
    printf("%s\n", profiles[k]->title);
    print_rates(rs[k], NIMPLS, false);
  }
  printf("AES-128-GCM record throughput (TLS 1.3, 16 KiB records, client to server, after the\n"
         "  handshake; MB = 10^6 bytes of application data), %g s each\n",
         seconds);
  print_rates(rs[0], NIMPLS, true);
  for (size_t k = 0; k < NPROFILES; k++)
    for (size_t i = 0; i < NIMPLS; i++)
      if (rs[k][i].status == FAILED)
        return 1;
  return 0;
}
