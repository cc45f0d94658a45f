/* bench/sslapi: the OpenSSL-API half of bench/handshake, one source compiled twice: against
 * OpenSSL (bench_handshake_openssl) and against BoringSSL (bench_handshake_boringssl). The two
 * libraries export the same symbols, so they cannot share a process; bench_handshake runs both
 * helpers and reads their results. Not directly in bench/ on purpose: every C file there is linked
 * with OpenSSL.
 *
 *   bench_handshake_openssl|boringssl SECONDS PROFILE CERT.pem KEY.pem
 *
 * PROFILE (bench_profile in bench/bench_builtin.h) is one of
 *   tls13        TLS 1.3 only, x25519, TLS_AES_128_GCM_SHA256, ecdsa_secp256r1_sha256
 *   tls12-ecdhe  TLS 1.2 only, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, x25519,
 *                ecdsa_secp256r1_sha256
 *   tls12-rsa    TLS 1.2 only, TLS_RSA_WITH_AES_128_GCM_SHA256 (RSA key transport)
 * and CERT.pem/KEY.pem the server's chain and key to match. Prints on stdout, for
 * bench_handshake to parse:
 *   impl <library name and version>
 *   handshakes_per_s <rate>
 *   record_bytes_per_s <rate>          (tls13 only)
 * and exits 0; on any failure a message on stderr and exit 1.
 *
 * The work measured is the same as for the built-in engine and GnuTLS: a client and a server
 * in this process joined by a BIO pair, the profile's version, suite, group and signature
 * algorithm only, no session tickets and no session cache, and no certificate verification by
 * the client (SSL_VERIFY_NONE: the chain is parsed, the server's signature is checked or the
 * premaster secret encrypted to its key, the chain is not validated). A TLS 1.2 handshake must
 * use the extended master secret (both libraries' default). SSL_CTX set-up is outside the loop;
 * SSL_new, the handshake and SSL_free are inside. */
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RECORD 16384
/* Room in each direction of the BIO pair for one 16 KiB record and its framing. */
#define PAIR_BUF (RECORD + 1024)

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The profiles in OpenSSL terms, and what the first handshake must have negotiated. */
typedef struct profile {
  const char *name;
  int version;
  const char *cipher_list; /* TLS 1.2 suites (OpenSSL names) */
  uint16_t suite;          /* the suite that must be negotiated */
  const char *groups; /* NULL: RSA key transport, the library's groups and signature algorithms */
} profile;

static const profile profiles[] = {
    {"tls13", TLS1_3_VERSION, NULL, 0x1301, "X25519"},
    /* Negotiates x25519; P-256 is listed because the certificate's curve must be (RFC 8422
     * §5.1), or the server has no usable certificate. */
    {"tls12-ecdhe", TLS1_2_VERSION, "ECDHE-ECDSA-AES128-GCM-SHA256", 0xc02b, "X25519:P-256"},
    {"tls12-rsa", TLS1_2_VERSION, "AES128-GCM-SHA256", 0x009c, NULL},
};

_Noreturn static void die(const char *what) {
  fprintf(stderr, "%s: %s\n", OpenSSL_version(OPENSSL_VERSION), what);
  ERR_print_errors_fp(stderr);
  exit(1);
}

static SSL_CTX *make_ctx(const profile *p, int server, const char *cert, const char *key) {
  SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, p->version) ||
      !SSL_CTX_set_max_proto_version(ctx, p->version))
    die("SSL_CTX_new");
  if (p->groups != NULL && (!SSL_CTX_set1_curves_list(ctx, p->groups) ||
                            !SSL_CTX_set1_sigalgs_list(ctx, "ECDSA+SHA256")))
    die("groups or signature algorithms");
  if (p->cipher_list != NULL && !SSL_CTX_set_cipher_list(ctx, p->cipher_list))
    die("SSL_CTX_set_cipher_list");
#ifndef OPENSSL_IS_BORINGSSL
  /* BoringSSL has no TLS 1.3 suite setting; its order puts AES-128-GCM first on a CPU with
   * AES instructions, and check_connection() makes sure that is what was negotiated. */
  if (p->version == TLS1_3_VERSION && !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256"))
    die("SSL_CTX_set_ciphersuites");
#endif
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
  if (server && (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
                 SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1))
    die("loading the server certificate and key");
  return ctx;
}

typedef struct conn_pair {
  SSL *c, *s;
} conn_pair;

static void pair_new(conn_pair *p, SSL_CTX *cctx, SSL_CTX *sctx) {
  BIO *cb, *sb;
  p->c = SSL_new(cctx);
  p->s = SSL_new(sctx);
  if (p->c == NULL || p->s == NULL || !BIO_new_bio_pair(&cb, PAIR_BUF, &sb, PAIR_BUF))
    die("SSL_new or BIO_new_bio_pair");
  SSL_set_bio(p->c, cb, cb);
  SSL_set_bio(p->s, sb, sb);
  SSL_set_connect_state(p->c);
  SSL_set_accept_state(p->s);
}

static void pair_free(conn_pair *p) {
  SSL_free(p->c); /* and its BIO, which holds the pair's buffers */
  SSL_free(p->s);
}

/* One step of one side: 1 done, 0 wants more, dies on an error. */
static int step(SSL *s) {
  int rc = SSL_do_handshake(s);
  if (rc == 1)
    return 1;
  int e = SSL_get_error(s, rc);
  if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
    die("handshake failed");
  return 0;
}

static void handshake(conn_pair *p) {
  int cdone = 0, sdone = 0;
  for (int round = 0; !(cdone && sdone); round++) {
    if (round == 16)
      die("the handshake did not finish");
    if (!cdone)
      cdone = step(p->c);
    if (!sdone)
      sdone = step(p->s);
  }
}

/* The group and the server's signature algorithm of an ECDHE profile. */
static void check_ecdhe(const conn_pair *p) {
#ifdef OPENSSL_IS_BORINGSSL
  if (SSL_get_curve_id(p->c) != 29 /* x25519 */ ||
      SSL_get_peer_signature_algorithm(p->c) != 0x0403 /* ecdsa_secp256r1_sha256 */)
    die("not x25519 with ecdsa_secp256r1_sha256");
#else
  int md = 0, type = 0;
  if (SSL_get_negotiated_group(p->c) != NID_X25519 || !SSL_get_peer_signature_nid(p->c, &md) ||
      !SSL_get_peer_signature_type_nid(p->c, &type) || md != NID_sha256 || type != EVP_PKEY_EC)
    die("not x25519 with ecdsa_secp256r1_sha256");
#endif
}

/* The parameters the profile promises, checked once (not in the timed loop). */
static void check_connection(const profile *prof, const conn_pair *p) {
  const SSL_CIPHER *cipher = SSL_get_current_cipher(p->c);
  if (SSL_version(p->c) != prof->version || cipher == NULL ||
      SSL_CIPHER_get_protocol_id(cipher) != prof->suite)
    die("not the profile's version and cipher suite");
  if (prof->groups != NULL)
    check_ecdhe(p);
  if (prof->version == TLS1_2_VERSION && SSL_get_extms_support(p->c) != 1)
    die("no extended master secret");
  if (SSL_session_reused(p->c))
    die("a session was resumed");
}

static double handshake_rate(const profile *prof, SSL_CTX *cctx, SSL_CTX *sctx, double seconds) {
  unsigned long n = 0;
  double start = now(), elapsed;
  do {
    conn_pair p;
    pair_new(&p, cctx, sctx);
    handshake(&p);
    if (n == 0)
      check_connection(prof, &p);
    pair_free(&p);
    n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  return n / elapsed;
}

/* Client to server, one 16 KiB record per SSL_write, read in full by the server. */
static double record_rate(SSL_CTX *cctx, SSL_CTX *sctx, double seconds) {
  static unsigned char out[RECORD], in[RECORD];
  conn_pair p;
  unsigned long n = 0;
  for (size_t i = 0; i < RECORD; i++)
    out[i] = (unsigned char)(i * 7 + (i >> 8));
  pair_new(&p, cctx, sctx);
  handshake(&p);
  double start = now(), elapsed;
  do {
    if (SSL_write(p.c, out, RECORD) != RECORD)
      die("SSL_write");
    for (int got = 0; got < RECORD;) {
      int k = SSL_read(p.s, in + got, RECORD - got);
      if (k <= 0)
        die("SSL_read");
      got += k;
    }
    if (n == 0 && memcmp(in, out, RECORD) != 0)
      die("application data corrupted");
    n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  pair_free(&p);
  return (double)n * RECORD / elapsed;
}

int main(int argc, char **argv) {
  const profile *p = NULL;
  for (size_t i = 0; argc == 5 && i < sizeof profiles / sizeof profiles[0]; i++)
    if (strcmp(argv[2], profiles[i].name) == 0)
      p = &profiles[i];
  if (p == NULL) {
    fprintf(stderr, "usage: %s SECONDS tls13|tls12-ecdhe|tls12-rsa CERT.pem KEY.pem\n", argv[0]);
    return 2;
  }
  double seconds = atof(argv[1]);
  SSL_CTX *cctx = make_ctx(p, 0, NULL, NULL), *sctx = make_ctx(p, 1, argv[3], argv[4]);
  double hs = handshake_rate(p, cctx, sctx, seconds);
  /* Record throughput does not depend on the handshake: measured once, with TLS 1.3. */
  double rec = p->version == TLS1_3_VERSION ? record_rate(cctx, sctx, seconds) : 0;
#ifdef OPENSSL_IS_BORINGSSL
  /* BoringSSL's version string claims OpenSSL 1.1.1 compatibility; BoringSSL has no releases,
   * its API version is what identifies it. */
  printf("impl BoringSSL (API %d)\n", BORINGSSL_API_VERSION);
#else
  printf("impl %s\n", OpenSSL_version(OPENSSL_VERSION));
#endif
  printf("handshakes_per_s %.1f\n", hs);
  if (p->version == TLS1_3_VERSION)
    printf("record_bytes_per_s %.1f\n", rec);
  SSL_CTX_free(cctx);
  SSL_CTX_free(sctx);
  return 0;
}
