/* bench/nss: the NSS column of bench/handshake, in its own process like the other library helpers
 * (bench/sslapi, bench/wolfssl, bench/mbedtls).
 *
 *   bench_handshake_nss SECONDS tls13|tls12-ecdhe|tls12-rsa CERT.pem KEY.pem
 *
 * Prints the lines of bench/bench_helper.h. The work is that of bench/bench_builtin.h: a client
 * and a server in this process, the profile's version, suite, groups (x25519, then for TLS 1.2
 * ECDHE the certificate's curve) and ecdsa_secp256r1_sha256 only, TLS 1.3 middlebox
 * compatibility mode on (SSL_ENABLE_TLS13_COMPAT_MODE: off by default in NSS, on in Firefox and
 * in the other libraries here), no session tickets and no session cache, the extended master
 * secret in TLS 1.2, and no certificate verification by the client (an SSL_AuthCertificateHook
 * that accepts: NSS still parses the certificate and checks the server's signature with its key,
 * or encrypts the premaster secret to it, but validates no chain).
 *
 * NSS runs without a database (NSS_NoDB_Init); the server's certificates are imported as
 * temporary certificates and its PKCS#8 key into the internal slot as a session object, once.
 * Two model sockets carry the configuration (SSL_ImportFD(NULL, ...)), as NSS's own servers do;
 * each handshake imports a fresh pair of sockets from them, runs the handshake and closes both.
 *
 * The transport is memory, as for the other libraries: NSS reads and writes through NSPR file
 * descriptors, so each connection gets a bottom NSPR I/O layer of our own (PR_CreateIOLayerStub)
 * over an in-memory wire, always non-blocking, with SSL_ImportFD on top. The layer implements
 * what NSS's own test layer (gtests/common/testvectors dummy_io.cc) implements: read, write,
 * recv, send, close, shutdown, getpeername (an unspecified address: NSS asks for one) and the
 * non-blocking socket option; the other methods stay NSPR's defaults, which NSS does not call.
 */
#include <keyhi.h>
#include <nss.h>
#include <nssb64.h>
#include <pk11pub.h>
#include <prerror.h>
#include <prio.h>
#include <ssl.h>
#include <sslerr.h>
#include <sslproto.h>

#include "../bench_helper.h"

static char impl[64];

_Noreturn static void die(const char *what) {
  PRErrorCode e = PR_GetError();
  const char *name = PR_ErrorToName(e);
  fprintf(stderr, "%s: %s: %s\n", impl, what, name != NULL ? name : "(no NSPR error)");
  exit(1);
}

/* ---- The server's certificates and key ------------------------------------------------------- */

#define MAX_CERTS 4

typedef struct server_keys {
  CERTCertificate *certs[MAX_CERTS]; /* certs[0] the leaf */
  size_t ncerts;
  SECKEYPrivateKey *key;
} server_keys;

/* The base64 between "-----BEGIN label-----" and "-----END label-----", from *pos on, decoded;
 * NULL when there is no further block. */
static SECItem *pem_next(const char **pos, const char *label) {
  char begin[64], end[64];
  snprintf(begin, sizeof begin, "-----BEGIN %s-----", label);
  snprintf(end, sizeof end, "-----END %s-----", label);
  const char *b = strstr(*pos, begin);
  if (b == NULL)
    return NULL;
  b += strlen(begin);
  const char *e = strstr(b, end);
  if (e == NULL)
    return NULL;
  *pos = e + strlen(end);
  SECItem *der = NSSBase64_DecodeBuffer(NULL, NULL, b, (PRUint32)(e - b));
  if (der == NULL)
    die("base64");
  return der;
}

static char *read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static void keys_load(server_keys *k, const char *cert_path, const char *key_path) {
  const char *text = read_text(cert_path), *pos = text;
  SECItem *der;
  memset(k, 0, sizeof *k);
  while ((der = pem_next(&pos, "CERTIFICATE")) != NULL) {
    if (k->ncerts == MAX_CERTS)
      die("too many certificates");
    k->certs[k->ncerts] =
        CERT_NewTempCertificate(CERT_GetDefaultCertDB(), der, NULL, PR_FALSE, PR_TRUE);
    SECITEM_FreeItem(der, PR_TRUE);
    if (k->certs[k->ncerts++] == NULL)
      die(cert_path);
  }
  if (k->ncerts == 0)
    die("no certificate");
  text = read_text(key_path);
  pos = text;
  if ((der = pem_next(&pos, "PRIVATE KEY")) == NULL)
    die("no PKCS#8 private key");
  PK11SlotInfo *slot = PK11_GetInternalSlot();
  SECStatus rc = PK11_ImportDERPrivateKeyInfoAndReturnKey(slot, der, NULL, NULL, PR_FALSE, PR_TRUE,
                                                          KU_ALL, &k->key, NULL);
  PK11_FreeSlot(slot);
  SECITEM_FreeItem(der, PR_TRUE);
  if (rc != SECSuccess)
    die(key_path);
}

static void keys_free(server_keys *k) {
  for (size_t i = 0; i < k->ncerts; i++)
    CERT_DestroyCertificate(k->certs[i]);
  SECKEY_DestroyPrivateKey(k->key);
}

/* ---- Configuration: one model socket per side ------------------------------------------------ */

static SECStatus accept_any(void *arg, PRFileDesc *fd, PRBool check_sig, PRBool is_server) {
  (void)arg, (void)fd, (void)check_sig, (void)is_server;
  return SECSuccess;
}

static void set(PRFileDesc *fd, PRInt32 option, PRIntn on) {
  if (SSL_OptionSet(fd, option, on) != SECSuccess)
    die("SSL_OptionSet");
}

static PRFileDesc *make_model(const helper_profile *p, bool server, const server_keys *k) {
  PRFileDesc *model = SSL_ImportFD(NULL, PR_NewTCPSocket());
  if (model == NULL)
    die("SSL_ImportFD");
  PRUint16 v = p->version == 0x0304 ? SSL_LIBRARY_VERSION_TLS_1_3 : SSL_LIBRARY_VERSION_TLS_1_2;
  SSLVersionRange range = {v, v};
  if (SSL_VersionRangeSet(model, &range) != SECSuccess)
    die("SSL_VersionRangeSet");
  for (PRUint16 i = 0; i < SSL_NumImplementedCiphers; i++)
    if (SSL_CipherPrefSet(model, SSL_ImplementedCiphers[i], PR_FALSE) != SECSuccess)
      die("SSL_CipherPrefSet");
  if (SSL_CipherPrefSet(model, p->cipher_suite, PR_TRUE) != SECSuccess)
    die("SSL_CipherPrefSet (the profile's suite)");
  if (p->group != 0) {
    static const SSLNamedGroup groups[] = {ssl_grp_ec_curve25519, ssl_grp_ec_secp256r1};
    static const SSLSignatureScheme schemes[] = {ssl_sig_ecdsa_secp256r1_sha256};
    if (SSL_NamedGroupConfig(model, groups, p->version == 0x0304 ? 1 : 2) != SECSuccess ||
        SSL_SignatureSchemePrefSet(model, schemes, 1) != SECSuccess)
      die("groups or signature schemes");
  }
  set(model, SSL_SECURITY, PR_TRUE);
  set(model, server ? SSL_HANDSHAKE_AS_SERVER : SSL_HANDSHAKE_AS_CLIENT, PR_TRUE);
  set(model, SSL_NO_CACHE, PR_TRUE);
  set(model, SSL_ENABLE_SESSION_TICKETS, PR_FALSE);
  set(model, SSL_ENABLE_EXTENDED_MASTER_SECRET, PR_TRUE);
  if (!server) {
    set(model, SSL_ENABLE_TLS13_COMPAT_MODE, PR_TRUE);
    if (SSL_AuthCertificateHook(model, accept_any, NULL) != SECSuccess)
      die("SSL_AuthCertificateHook");
  } else if (SSL_ConfigServerCert(model, k->certs[0], k->key, NULL, 0) != SECSuccess) {
    /* The chain sent is the leaf and what CERT_CertChainFromCert finds for it among the
     * temporary certificates: the intermediate, when the file has one. */
    die("SSL_ConfigServerCert");
  }
  return model;
}

/* ---- The in-memory transport: a bottom NSPR layer -------------------------------------------- */

typedef struct endpoint {
  mem_wire *out, *in;
} endpoint;

static mem_wire c2s, s2c;
static endpoint client_end = {&c2s, &s2c}, server_end = {&s2c, &c2s};

static PRInt32 mem_read(PRFileDesc *fd, void *buf, PRInt32 amount) {
  const endpoint *e = (const endpoint *)fd->secret;
  size_t n = wire_read(e->in, buf, (size_t)amount);
  if (n == 0) {
    PR_SetError(PR_WOULD_BLOCK_ERROR, 0);
    return -1;
  }
  return (PRInt32)n;
}

static PRInt32 mem_write(PRFileDesc *fd, const void *buf, PRInt32 amount) {
  const endpoint *e = (const endpoint *)fd->secret;
  size_t n = wire_write(e->out, buf, (size_t)amount);
  if (n == 0) {
    PR_SetError(PR_WOULD_BLOCK_ERROR, 0);
    return -1;
  }
  return (PRInt32)n;
}

static PRInt32 mem_recv(PRFileDesc *fd, void *buf, PRInt32 amount, PRIntn flags,
                        PRIntervalTime timeout) {
  (void)flags, (void)timeout;
  return mem_read(fd, buf, amount);
}

static PRInt32 mem_send(PRFileDesc *fd, const void *buf, PRInt32 amount, PRIntn flags,
                        PRIntervalTime timeout) {
  (void)flags, (void)timeout;
  return mem_write(fd, buf, amount);
}

static PRStatus mem_close(PRFileDesc *fd) {
  fd->secret = NULL;
  fd->dtor(fd);
  return PR_SUCCESS;
}

static PRStatus mem_shutdown(PRFileDesc *fd, PRIntn how) {
  (void)fd, (void)how;
  return PR_SUCCESS;
}

static PRStatus mem_getpeername(PRFileDesc *fd, PRNetAddr *addr) {
  (void)fd;
  memset(addr, 0, sizeof *addr);
  addr->inet.family = PR_AF_INET;
  return PR_SUCCESS;
}

static PRStatus mem_getsocketoption(PRFileDesc *fd, PRSocketOptionData *opt) {
  (void)fd;
  if (opt->option != PR_SockOpt_Nonblocking) {
    PR_SetError(PR_NOT_IMPLEMENTED_ERROR, 0);
    return PR_FAILURE;
  }
  opt->value.non_blocking = PR_TRUE;
  return PR_SUCCESS;
}

static PRStatus mem_setsocketoption(PRFileDesc *fd, const PRSocketOptionData *opt) {
  (void)fd;
  if (opt->option != PR_SockOpt_Nonblocking && opt->option != PR_SockOpt_NoDelay) {
    PR_SetError(PR_NOT_IMPLEMENTED_ERROR, 0);
    return PR_FAILURE;
  }
  return PR_SUCCESS;
}

static PRIOMethods mem_methods;
static PRDescIdentity mem_identity;

static void mem_layer_init(void) {
  mem_identity = PR_GetUniqueIdentity("tlsgauntlet bench memory");
  mem_methods = *PR_GetDefaultIOMethods();
  mem_methods.file_type = PR_DESC_SOCKET_TCP;
  mem_methods.close = mem_close;
  mem_methods.read = mem_read;
  mem_methods.write = mem_write;
  mem_methods.recv = mem_recv;
  mem_methods.send = mem_send;
  mem_methods.shutdown = mem_shutdown;
  mem_methods.getpeername = mem_getpeername;
  mem_methods.getsocketoption = mem_getsocketoption;
  mem_methods.setsocketoption = mem_setsocketoption;
}

/* ---- Handshakes ------------------------------------------------------------------------------ */

typedef struct conn_pair {
  PRFileDesc *c, *s;
} conn_pair;

static PRFileDesc *conn_new(PRFileDesc *model, endpoint *e, bool server) {
  PRFileDesc *mem = PR_CreateIOLayerStub(mem_identity, &mem_methods);
  if (mem == NULL)
    die("PR_CreateIOLayerStub");
  mem->secret = (PRFilePrivate *)e;
  PRFileDesc *ssl = SSL_ImportFD(model, mem);
  if (ssl == NULL || SSL_ResetHandshake(ssl, server ? PR_TRUE : PR_FALSE) != SECSuccess)
    die("SSL_ImportFD");
  return ssl;
}

/* One step of one side: true when its handshake is done. */
static bool step(PRFileDesc *fd) {
  if (SSL_ForceHandshake(fd) == SECSuccess)
    return true;
  if (PR_GetError() != PR_WOULD_BLOCK_ERROR)
    die("handshake failed");
  return false;
}

static void handshake(PRFileDesc *cmodel, PRFileDesc *smodel, conn_pair *p) {
  bool cdone = false, sdone = false;
  wire_reset(&c2s);
  wire_reset(&s2c);
  p->c = conn_new(cmodel, &client_end, false);
  p->s = conn_new(smodel, &server_end, true);
  for (int round = 0; !(cdone && sdone); round++) {
    if (round == 32)
      die("the handshake did not finish");
    if (!cdone)
      cdone = step(p->c);
    if (!sdone)
      sdone = step(p->s);
  }
}

static void pair_close(conn_pair *p) {
  PR_Close(p->c);
  PR_Close(p->s);
}

/* The parameters the profile promises, checked once (not in the timed loop), as NSS reports
 * them. */
static void check_connection(const helper_profile *p, PRFileDesc *c) {
  SSLChannelInfo info;
  if (SSL_GetChannelInfo(c, &info, sizeof info) != SECSuccess)
    die("SSL_GetChannelInfo");
  if (info.protocolVersion != p->version || info.cipherSuite != p->cipher_suite || info.resumed ||
      (p->version == 0x0303 && !info.extendedMasterSecretUsed) ||
      (p->group != 0 && (info.keaGroup != p->group || info.signatureScheme != p->sig_scheme))) {
    fprintf(stderr, "%s: not the profile's full handshake\n", impl);
    exit(1);
  }
}

static double handshake_rate(const helper_profile *prof, PRFileDesc *cmodel, PRFileDesc *smodel,
                             double seconds) {
  unsigned long n = 0;
  double start = helper_now(), elapsed;
  do {
    conn_pair p;
    handshake(cmodel, smodel, &p);
    if (n == 0)
      check_connection(prof, p.c);
    pair_close(&p);
    n++;
    elapsed = helper_now() - start;
  } while (elapsed < seconds);
  return (double)n / elapsed;
}

/* Client to server, one 16 KiB record per PR_Write, read in full by the server. */
static double record_rate(PRFileDesc *cmodel, PRFileDesc *smodel, double seconds) {
  static unsigned char out[RECORD], in[RECORD];
  conn_pair p;
  unsigned long n = 0;
  for (size_t i = 0; i < RECORD; i++)
    out[i] = (unsigned char)(i * 7 + (i >> 8));
  handshake(cmodel, smodel, &p);
  double start = helper_now(), elapsed;
  do {
    if (PR_Write(p.c, out, RECORD) != RECORD)
      die("PR_Write");
    for (PRInt32 got = 0, k; got < RECORD; got += k)
      if ((k = PR_Read(p.s, in + got, RECORD - got)) <= 0)
        die("PR_Read");
    if (n == 0 && memcmp(in, out, RECORD) != 0)
      die("application data corrupted");
    n++;
    elapsed = helper_now() - start;
  } while (elapsed < seconds);
  pair_close(&p);
  return (double)n * RECORD / elapsed;
}

int main(int argc, char **argv) {
  double seconds;
  const helper_profile *p = helper_args(argc, argv, &seconds);
  snprintf(impl, sizeof impl, "NSS %s", NSS_GetVersion());
  if (NSS_NoDB_Init(NULL) != SECSuccess || NSS_SetDomesticPolicy() != SECSuccess)
    die("NSS_NoDB_Init");
  mem_layer_init();
  server_keys k;
  keys_load(&k, argv[3], argv[4]);
  PRFileDesc *cmodel = make_model(p, false, &k), *smodel = make_model(p, true, &k);
  double hs = handshake_rate(p, cmodel, smodel, seconds);
  /* Record throughput does not depend on the handshake: measured once, with TLS 1.3. */
  double rec = p->version == 0x0304 ? record_rate(cmodel, smodel, seconds) : 0;
  helper_report(impl, p, hs, rec, NULL);
  PR_Close(cmodel);
  PR_Close(smodel);
  keys_free(&k);
  SSL_ClearSessionCache();
  if (NSS_Shutdown() != SECSuccess)
    die("NSS_Shutdown");
  return 0;
}
