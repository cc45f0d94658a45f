/* bench/mbedtls: the Mbed TLS column of bench/handshake, in its own process like the other
 * library helpers (bench/sslapi, bench/wolfssl).
 *
 *   bench_handshake_mbedtls SECONDS tls13|tls12-ecdhe|tls12-rsa CERT.pem KEY.pem
 *
 * Prints the lines of bench/bench_helper.h. Mbed TLS 2.28 (Debian 12) has no TLS 1.3: the tls13
 * profile prints n/a, and so has no record throughput row (measured over TLS 1.3 only). The TLS 1.2
 * work is that of bench/bench_builtin.h: a client and a server in this process joined by memory
 * (mbedtls_ssl_set_bio callbacks over two in-memory wires), TLS 1.2 only, the profile's suite,
 * x25519 then secp256r1 (ECDHE), SHA-256 signatures, no session tickets and no session cache,
 * no certificate verification by the client (MBEDTLS_SSL_VERIFY_NONE: the certificate is parsed
 * and the server's signature checked or the premaster secret encrypted to its key, no chain is
 * validated), the extended master secret (Mbed TLS's default). The configurations, keys and the
 * CTR_DRBG are set up once; mbedtls_ssl_setup, the handshake and mbedtls_ssl_free are in the
 * loop. */
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include "../bench_helper.h"

static char impl[64];

typedef struct endpoint {
  mem_wire *out, *in;
} endpoint;

static mem_wire c2s, s2c;
static endpoint client_end = {&c2s, &s2c}, server_end = {&s2c, &c2s};

_Noreturn static void die(const char *what, int rc) {
  char text[160] = "";
  if (rc != 0)
    mbedtls_strerror(rc, text, sizeof text);
  fprintf(stderr, "%s: %s%s%s\n", impl, what, text[0] ? ": " : "", text);
  exit(1);
}

static int io_send(void *ctx, const unsigned char *buf, size_t len) {
  const endpoint *e = ctx;
  size_t n = wire_write(e->out, buf, len);
  return n == 0 ? MBEDTLS_ERR_SSL_WANT_WRITE : (int)n;
}

static int io_recv(void *ctx, unsigned char *buf, size_t len) {
  const endpoint *e = ctx;
  size_t n = wire_read(e->in, buf, len);
  return n == 0 ? MBEDTLS_ERR_SSL_WANT_READ : (int)n;
}

typedef struct setup {
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_x509_crt chain;
  mbedtls_pk_context key;
  mbedtls_ssl_config ccfg, scfg;
  int suites[2];
} setup;

/* Lists the configurations point to: they must outlive them. */
static const mbedtls_ecp_group_id curves[] = {MBEDTLS_ECP_DP_CURVE25519, MBEDTLS_ECP_DP_SECP256R1,
                                              MBEDTLS_ECP_DP_NONE};
static const int sig_hashes[] = {MBEDTLS_MD_SHA256, MBEDTLS_MD_NONE};

static void config(setup *st, mbedtls_ssl_config *cfg, const helper_profile *p, int endpoint) {
  mbedtls_ssl_config_init(cfg);
  int rc = mbedtls_ssl_config_defaults(cfg, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM,
                                       MBEDTLS_SSL_PRESET_DEFAULT);
  if (rc != 0)
    die("mbedtls_ssl_config_defaults", rc);
  mbedtls_ssl_conf_min_version(cfg, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_max_version(cfg, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_ciphersuites(cfg, st->suites);
  /* RSA key transport keeps the library's groups and hashes: nothing is signed. */
  if (p->group != 0) {
    mbedtls_ssl_conf_curves(cfg, curves);
    mbedtls_ssl_conf_sig_hashes(cfg, sig_hashes);
  }
  mbedtls_ssl_conf_extended_master_secret(cfg, MBEDTLS_SSL_EXTENDED_MS_ENABLED);
  mbedtls_ssl_conf_session_tickets(cfg, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
  mbedtls_ssl_conf_authmode(cfg, MBEDTLS_SSL_VERIFY_NONE);
  mbedtls_ssl_conf_rng(cfg, mbedtls_ctr_drbg_random, &st->drbg);
}

/* The server has no session cache and no ticket keys: nothing to resume from. */
static void setup_init(setup *st, const helper_profile *p, const char *cert, const char *key) {
  int rc;
  mbedtls_entropy_init(&st->entropy);
  mbedtls_ctr_drbg_init(&st->drbg);
  mbedtls_x509_crt_init(&st->chain);
  mbedtls_pk_init(&st->key);
  if ((rc = mbedtls_ctr_drbg_seed(&st->drbg, mbedtls_entropy_func, &st->entropy, NULL, 0)) != 0)
    die("mbedtls_ctr_drbg_seed", rc);
  if ((rc = mbedtls_x509_crt_parse_file(&st->chain, cert)) != 0)
    die(cert, rc);
  if ((rc = mbedtls_pk_parse_keyfile(&st->key, key, NULL)) != 0)
    die(key, rc);
  st->suites[0] = p->cipher_suite;
  st->suites[1] = 0;
  config(st, &st->ccfg, p, MBEDTLS_SSL_IS_CLIENT);
  config(st, &st->scfg, p, MBEDTLS_SSL_IS_SERVER);
  if ((rc = mbedtls_ssl_conf_own_cert(&st->scfg, &st->chain, &st->key)) != 0)
    die("mbedtls_ssl_conf_own_cert", rc);
}

static void setup_free(setup *st) {
  mbedtls_ssl_config_free(&st->ccfg);
  mbedtls_ssl_config_free(&st->scfg);
  mbedtls_pk_free(&st->key);
  mbedtls_x509_crt_free(&st->chain);
  mbedtls_ctr_drbg_free(&st->drbg);
  mbedtls_entropy_free(&st->entropy);
}

/* One step of one side: true when its handshake is done. */
static bool step(mbedtls_ssl_context *ssl) {
  int rc = mbedtls_ssl_handshake(ssl);
  if (rc == 0)
    return true;
  if (rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE)
    die("handshake failed", rc);
  return false;
}

static void conn_new(mbedtls_ssl_context *ssl, const mbedtls_ssl_config *cfg, endpoint *e) {
  mbedtls_ssl_init(ssl);
  int rc = mbedtls_ssl_setup(ssl, cfg);
  if (rc != 0)
    die("mbedtls_ssl_setup", rc);
  mbedtls_ssl_set_bio(ssl, e, io_send, io_recv, NULL);
}

static void handshake(const setup *st, mbedtls_ssl_context *c, mbedtls_ssl_context *s) {
  bool cdone = false, sdone = false;
  wire_reset(&c2s);
  wire_reset(&s2c);
  conn_new(c, &st->ccfg, &client_end);
  conn_new(s, &st->scfg, &server_end);
  for (int round = 0; !(cdone && sdone); round++) {
    if (round == 32)
      die("the handshake did not finish", 0);
    if (!cdone)
      cdone = step(c);
    if (!sdone)
      sdone = step(s);
  }
}

/* The parameters the profile promises, checked once (not in the timed loop): Mbed TLS's view of
 * the version and suite, and the server's first flight on the wire (the group, the signature
 * scheme and the extended master secret, which Mbed TLS 2.28 does not report). */
static void check_connection(const helper_profile *p, const mbedtls_ssl_context *c) {
  if (strcmp(mbedtls_ssl_get_version(c), "TLSv1.2") != 0 ||
      mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(c)) != p->cipher_suite)
    die("not the profile's version and cipher suite", 0);
  if (!helper_check_flight(&s2c, p))
    die("the server's first flight is not the profile's full handshake", 0);
}

static double handshake_rate(const helper_profile *p, const setup *st, double seconds) {
  unsigned long n = 0;
  double start = helper_now(), elapsed;
  do {
    mbedtls_ssl_context c, s;
    s2c.tapping = n == 0;
    handshake(st, &c, &s);
    if (n == 0)
      check_connection(p, &c);
    mbedtls_ssl_free(&c);
    mbedtls_ssl_free(&s);
    n++;
    elapsed = helper_now() - start;
  } while (elapsed < seconds);
  s2c.tapping = false;
  return (double)n / elapsed;
}

int main(int argc, char **argv) {
  double seconds;
  const helper_profile *p = helper_args(argc, argv, &seconds);
  char version[18];
  mbedtls_version_get_string(version);
  snprintf(impl, sizeof impl, "Mbed TLS %s", version);
  if (p->version == 0x0304)
    helper_na(impl, "no TLS 1.3 in Mbed TLS 2.28");
  static setup st; /* the configurations are large: not on the stack */
  setup_init(&st, p, argv[3], argv[4]);
  helper_report(impl, p, handshake_rate(p, &st, seconds), 0, NULL);
  setup_free(&st);
  return 0;
}
