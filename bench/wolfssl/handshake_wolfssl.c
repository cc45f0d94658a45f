/* bench/wolfssl: the wolfSSL column of bench/handshake, in its own process like the OpenSSL-API
 * helpers (bench/sslapi), through wolfSSL's native API.
 *
 *   bench_handshake_wolfssl SECONDS tls13|tls12-ecdhe|tls12-rsa CERT.pem KEY.pem
 *
 * Prints the lines of bench/bench_helper.h. The work is that of bench/bench_builtin.h: a client
 * and a server in this process joined by memory (wolfSSL_CTX_SetIORecv/SetIOSend callbacks over
 * two in-memory wires), the profile's version (a version-specific method), suite, groups and
 * ECDSA+SHA256 only, no session tickets (TLS 1.2 and 1.3) and no session cache, no certificate
 * verification by the client (WOLFSSL_VERIFY_NONE: the certificate is parsed and the server's
 * signature checked, no chain is validated), the extended master secret in TLS 1.2 (wolfSSL's
 * default). The WOLFSSL_CTXs are set up once; wolfSSL_new, the handshake and wolfSSL_free are in
 * the loop.
 *
 * Where Debian's build differs from the profile:
 *   - it has no static RSA suites (built without WOLFSSL_STATIC_RSA): tls12-rsa prints n/a;
 *   - it has no TLS 1.3 middlebox compatibility mode (WOLFSSL_TLS13_MIDDLEBOX_COMPAT is a build
 *     option, not a setting): the TLS 1.3 handshake sends no ChangeCipherSpec and an empty
 *     legacy_session_id, a few dozen bytes less than the others and no public-key work, so it
 *     is measured, with a note that bench_handshake prints under the rate. */
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include "../bench_helper.h"

static char impl[64];

typedef struct endpoint {
  mem_wire *out, *in;
} endpoint;

static mem_wire c2s, s2c;
static endpoint client_end = {&c2s, &s2c}, server_end = {&s2c, &c2s};

_Noreturn static void die(const char *what, WOLFSSL *ssl, int rc) {
  char text[WOLFSSL_MAX_ERROR_SZ] = "";
  if (ssl != NULL)
    wolfSSL_ERR_error_string_n((unsigned long)wolfSSL_get_error(ssl, rc), text, sizeof text);
  fprintf(stderr, "%s: %s%s%s\n", impl, what, text[0] ? ": " : "", text);
  exit(1);
}

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  (void)ssl;
  const endpoint *e = ctx;
  size_t n = wire_write(e->out, buf, (size_t)sz);
  return n == 0 ? WOLFSSL_CBIO_ERR_WANT_WRITE : (int)n;
}

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  (void)ssl;
  const endpoint *e = ctx;
  size_t n = wire_read(e->in, buf, (size_t)sz);
  return n == 0 ? WOLFSSL_CBIO_ERR_WANT_READ : (int)n;
}

/* The profile's suite in wolfSSL's names. */
static const char *suite_name(const helper_profile *p) {
  switch (p->cipher_suite) {
  case 0x1301: return "TLS13-AES128-GCM-SHA256";
  case 0xc02b: return "ECDHE-ECDSA-AES128-GCM-SHA256";
  default: return "AES128-GCM-SHA256";
  }
}

static WOLFSSL_CTX *make_ctx(const helper_profile *p, bool server, const char *cert,
                             const char *key) {
  bool tls13 = p->version == 0x0304;
  WOLFSSL_METHOD *m = server ? (tls13 ? wolfTLSv1_3_server_method() : wolfTLSv1_2_server_method())
                             : (tls13 ? wolfTLSv1_3_client_method() : wolfTLSv1_2_client_method());
  WOLFSSL_CTX *ctx = wolfSSL_CTX_new(m);
  if (ctx == NULL)
    die("wolfSSL_CTX_new", NULL, 0);
  if (wolfSSL_CTX_set_cipher_list(ctx, suite_name(p)) != WOLFSSL_SUCCESS) {
    if (p->group == 0) {
      wolfSSL_CTX_free(ctx);
      wolfSSL_Cleanup();
      helper_na(impl, "no static RSA suites in this build (WOLFSSL_STATIC_RSA not defined)");
    }
    die("wolfSSL_CTX_set_cipher_list", NULL, 0);
  }
  if (p->group != 0) {
    /* x25519, then for TLS 1.2 the certificate's curve, as every client (bench_builtin.h). */
    int groups[] = {WOLFSSL_ECC_X25519, WOLFSSL_ECC_SECP256R1};
    int ngroups = tls13 ? 1 : 2;
    for (int i = 0; i < ngroups; i++)
      if (!server && wolfSSL_CTX_UseSupportedCurve(ctx, (word16)groups[i]) != WOLFSSL_SUCCESS)
        die("wolfSSL_CTX_UseSupportedCurve", NULL, 0);
    /* wolfSSL_CTX_set_groups is TLS 1.3 only (the key share and the server's choice). */
    if ((tls13 && wolfSSL_CTX_set_groups(ctx, groups, ngroups) != WOLFSSL_SUCCESS) ||
        wolfSSL_CTX_set1_sigalgs_list(ctx, "ECDSA+SHA256") != WOLFSSL_SUCCESS)
      die("groups or signature algorithms", NULL, 0);
  }
  wolfSSL_CTX_NoTicketTLSv12(ctx);
  if (tls13)
    wolfSSL_CTX_no_ticket_TLSv13(ctx);
  wolfSSL_CTX_set_session_cache_mode(ctx, WOLFSSL_SESS_CACHE_OFF);
  wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, NULL);
  wolfSSL_CTX_SetIORecv(ctx, io_recv);
  wolfSSL_CTX_SetIOSend(ctx, io_send);
  if (server &&
      (wolfSSL_CTX_use_certificate_chain_file(ctx, cert) != WOLFSSL_SUCCESS ||
       wolfSSL_CTX_use_PrivateKey_file(ctx, key, WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS))
    die("loading the server certificate and key", NULL, 0);
  return ctx;
}

static WOLFSSL *conn_new(WOLFSSL_CTX *ctx, endpoint *e) {
  WOLFSSL *ssl = wolfSSL_new(ctx);
  if (ssl == NULL)
    die("wolfSSL_new", NULL, 0);
  wolfSSL_SetIOReadCtx(ssl, e);
  wolfSSL_SetIOWriteCtx(ssl, e);
  return ssl;
}

/* One step of one side: true when its handshake is done. */
static bool step(WOLFSSL *ssl, bool server) {
  int rc = server ? wolfSSL_accept(ssl) : wolfSSL_connect(ssl);
  if (rc == WOLFSSL_SUCCESS)
    return true;
  int e = wolfSSL_get_error(ssl, rc);
  if (e != WOLFSSL_ERROR_WANT_READ && e != WOLFSSL_ERROR_WANT_WRITE)
    die("handshake failed", ssl, rc);
  return false;
}

static void handshake(WOLFSSL_CTX *cctx, WOLFSSL_CTX *sctx, WOLFSSL **c, WOLFSSL **s) {
  bool cdone = false, sdone = false;
  wire_reset(&c2s);
  wire_reset(&s2c);
  *c = conn_new(cctx, &client_end);
  *s = conn_new(sctx, &server_end);
  for (int round = 0; !(cdone && sdone); round++) {
    if (round == 16)
      die("the handshake did not finish", NULL, 0);
    if (!cdone)
      cdone = step(*c, false);
    if (!sdone)
      sdone = step(*s, true);
  }
}

/* The parameters the profile promises, checked once (not in the timed loop): wolfSSL's view of
 * the version, suite and resumption, and the server's first flight on the wire. */
static void check_connection(const helper_profile *p, WOLFSSL *c) {
  int want = p->version == 0x0304 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (wolfSSL_version(c) != want || wolfSSL_get_current_cipher_suite(c) != p->cipher_suite ||
      wolfSSL_session_reused(c))
    die("not the profile's version and cipher suite, or a resumption", NULL, 0);
  if (!helper_check_flight(&s2c, p))
    die("the server's first flight is not the profile's full handshake", NULL, 0);
}

static double handshake_rate(const helper_profile *p, WOLFSSL_CTX *cctx, WOLFSSL_CTX *sctx,
                             double seconds) {
  unsigned long n = 0;
  double start = helper_now(), elapsed;
  do {
    WOLFSSL *c, *s;
    s2c.tapping = n == 0;
    handshake(cctx, sctx, &c, &s);
    if (n == 0)
      check_connection(p, c);
    wolfSSL_free(c);
    wolfSSL_free(s);
    n++;
    elapsed = helper_now() - start;
  } while (elapsed < seconds);
  s2c.tapping = false;
  return (double)n / elapsed;
}

/* Client to server, one 16 KiB record per wolfSSL_write, read in full by the server. */
static double record_rate(WOLFSSL_CTX *cctx, WOLFSSL_CTX *sctx, double seconds) {
  static unsigned char out[RECORD], in[RECORD];
  WOLFSSL *c, *s;
  unsigned long n = 0;
  for (size_t i = 0; i < RECORD; i++)
    out[i] = (unsigned char)(i * 7 + (i >> 8));
  handshake(cctx, sctx, &c, &s);
  double start = helper_now(), elapsed;
  do {
    int k = wolfSSL_write(c, out, RECORD);
    if (k != RECORD)
      die("wolfSSL_write", c, k);
    for (int got = 0; got < RECORD; got += k)
      if ((k = wolfSSL_read(s, in + got, RECORD - got)) <= 0)
        die("wolfSSL_read", s, k);
    if (n == 0 && memcmp(in, out, RECORD) != 0)
      die("application data corrupted", NULL, 0);
    n++;
    elapsed = helper_now() - start;
  } while (elapsed < seconds);
  wolfSSL_free(c);
  wolfSSL_free(s);
  return (double)n * RECORD / elapsed;
}

int main(int argc, char **argv) {
  double seconds;
  const helper_profile *p = helper_args(argc, argv, &seconds);
  snprintf(impl, sizeof impl, "wolfSSL %s", wolfSSL_lib_version());
  if (wolfSSL_Init() != WOLFSSL_SUCCESS)
    die("wolfSSL_Init", NULL, 0);
  WOLFSSL_CTX *cctx = make_ctx(p, false, NULL, NULL), *sctx = make_ctx(p, true, argv[3], argv[4]);
  double hs = handshake_rate(p, cctx, sctx, seconds);
  /* Record throughput does not depend on the handshake: measured once, with TLS 1.3. */
  double rec = p->version == 0x0304 ? record_rate(cctx, sctx, seconds) : 0;
  helper_report(impl, p, hs, rec,
                p->version == 0x0304
                    ? "no middlebox compatibility mode in this build: no CCS, empty session id"
                    : NULL);
  wolfSSL_CTX_free(cctx);
  wolfSSL_CTX_free(sctx);
  wolfSSL_Cleanup();
  return 0;
}
