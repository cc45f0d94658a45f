/* tg-peer-nss: Mozilla NSS (libssl3 on NSPR) as a peer of the peer protocol (peers/README.md).
 *
 * No certificate database: NSS_NoDB_Init opens the internal PKCS #11 token in memory only, so
 * a run leaves nothing on disk. Certificates become temporary certificates
 * (CERT_NewTempCertificate), the key a session object of the internal slot
 * (PK11_ImportDERPrivateKeyInfoAndReturnKey, isPerm false); the --trust certificates get CA
 * trust in memory (CERT_ChangeCertTrust). The peer's chain is checked as NSS's default hook,
 * SSL_AuthCertificate, checks it (CERT_VerifyCertificate; verify_nss.c, shared with --verify).
 *
 * What maps to what (every option on a model socket that each connection's socket copies,
 * SSL_ImportFD(model, ...)):
 *   transport              PR_ImportTCPSocket over a dup of the fd, PR_SockOpt_Nonblocking;
 *                          PR_WOULD_BLOCK_ERROR is a want; a layer gives a socketpair an
 *                          address (nss_address_layer)
 *   --min/--max-version    SSL_VersionRangeSet, within SSL_VersionRangeGetSupported
 *   --ciphers              every implemented suite off (SSL_CipherPrefSet), the listed ones on,
 *                          in that order (SSL_CipherSuiteOrderSet). A list without TLS 1.3
 *                          suites caps the version at 1.2; one without older suites raises the
 *                          floor to 1.3 (as the OpenSSL adapter does).
 *   --groups               SSL_NamedGroupConfig (NSS's SSLNamedGroup values are the IANA ones)
 *   --sigalgs              SSL_SignatureSchemePrefSet, read back with ...PrefGet: NSS drops the
 *                          schemes it lacks without an error, so a dropped one exits 3
 *   --cert/--key           temporary certificates, a PKCS #8 key, SSL_ConfigServerCert with the
 *                          file's chain as certChain; client: SSL_GetClientAuthDataHook
 *   --trust, --verify-name SSL_AuthCertificateHook: CERT_VerifyCertificate, as SSL_AuthCertificate
 *                          does, then CERT_VerifyCertName on a leaf that has a subjectAltName
 *                          (RFC 9525: NSS would fall back to the subject CN without one)
 *   --trust-key            the same hook, comparing the leaf's subjectPublicKeyInfo DER
 *   --require-client-cert  SSL_REQUEST_CERTIFICATE, SSL_REQUIRE_CERTIFICATE = SSL_REQUIRE_ALWAYS
 *   --alpn                 server: SSL_SetNextProtoCallback choosing in the server's order.
 *                          Client: SSL_SetNextProtoNego, which moves the first protocol of the list
 *                          to the end ("the fallback protocol", ssl.h), so the list is given
 *                          rotated the other way and the wire order is the flag's.
 *   --sni                  SSL_SetURL (defaults to --verify-name, and the other way round)
 *   --key-update           SSL_KeyUpdate(fd, PR_TRUE)
 *   resumption             server only: NSS's session cache and tickets under keys it draws
 *                          once per process (SSL_ConfigServerSessionIDCache)
 *   alerts                 SSL_AlertSentCallback / SSL_AlertReceivedCallback (level 2 fatal);
 *                          a received close_notify tells a clean end from a transport EOF
 *   outcome                SSL_GetChannelInfo (version, suite, keaGroup, resumed),
 *                          SSL_GetNextProto
 * Exits 3: --ticket-key (NSS draws its ticket keys itself), --require-ems (NSS has no option
 * that refuses a peer without extended_master_secret), --sess-in/--sess-out (a resumption
 * token, SSL_SetResumptionTokenCallback, holds the secret wrapped under a key that lives only
 * in the process's PKCS #11 slot: another process never offers it), and a suite, group,
 * scheme or version NSS does not implement. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cert.h>
#include <keyhi.h>
#include <nss.h>
#include <pk11pub.h>
#include <prerror.h>
#include <prio.h>
#include <private/pprio.h>
#include <secerr.h>
#include <ssl.h>
#include <sslerr.h>
#include <sslexp.h>
#include <sslproto.h>

#include "peer_driver.h"
#include "tg/names.h"

/* verify_nss.c: NSS started once on its database, the files, the path validation of the TLS
 * hook, and the layer that gives a socketpair an address. */
bool nss_start(char *msg, size_t msglen);
CERTCertList *nss_load_certs(const char *path, bool der_ok, char *msg, size_t msglen, int *bad);
bool nss_trust(CERTCertList *anchors);
int nss_check_chain(CERTCertificate *leaf, const char *name, bool client_purpose, PRTime when);
int verify_nss_run(const peer_opts *o, const char *version);
SECKEYPrivateKey *nss_load_key(const char *path, char *msg, size_t msglen);
CERTCertificateList *nss_chain_der(CERTCertList *chain);
PRFileDesc *nss_address_layer(PRFileDesc *tcp);

/* ---- Configuration --------------------------------------------------------------------------- */

typedef struct setup {
  const peer_opts *o;
  PRFileDesc *model;
  CERTCertList *chain; /* --cert: leaf first */
  SECKEYPrivateKey *key;
  CERTCertificateList *chain_der; /* --cert as SSL_ConfigServerCert's certChain */
  CERTCertList *anchors;          /* --trust, or --trust-key's pins */
} setup;

static const char *library_version(void) { return NSS_GetVersion(); }

/* NSS's error, by name and text: "SSL_ERROR_NO_CYPHER_OVERLAP: Cannot communicate ...". */
static void library_error(char *buf, size_t len, PRErrorCode e) {
  const char *name = PR_ErrorToName(e), *text = PR_ErrorToString(e, PR_LANGUAGE_I_DEFAULT);
  snprintf(buf, len, "%s: %s", name ? name : "unknown error", text ? text : "");
}

/* The groups NSS 3.87 implements for TLS (ssl_named_groups, lib/ssl/sslsock.c). There is no
 * accessor: SSL_NamedGroupConfig ignores the values it does not know, so they are named here. */
static bool nss_has_group(uint16_t g) {
  return g == 23 || g == 24 || g == 25 || g == 29 || (g >= 256 && g <= 260);
}

static int configure_versions(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  SSLVersionRange have, want;
  if (SSL_VersionRangeGetSupported(ssl_variant_stream, &have) != SECSuccess ||
      SSL_VersionRangeGet(s->model, &want) != SECSuccess)
    return PEER_EXIT_USAGE;
  if (o->min_version)
    want.min = o->min_version;
  if (o->max_version)
    want.max = o->max_version;
  if (want.min < have.min || want.max > have.max || want.min > want.max ||
      SSL_VersionRangeSet(s->model, &want) != SECSuccess) {
    snprintf(msg, msglen, "--min-version/--max-version: NSS refuses %s..%s",
             peer_version_name(want.min) ? peer_version_name(want.min) : "?",
             peer_version_name(want.max) ? peer_version_name(want.max) : "?");
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

static int configure_ciphers(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->ciphers;
  if (l->n == 0)
    return 0;
  for (PRUint16 i = 0; i < SSL_NumImplementedCiphers; i++)
    SSL_CipherPrefSet(s->model, SSL_ImplementedCiphers[i], PR_FALSE);
  bool v13 = false, older = false;
  for (size_t i = 0; i < l->n; i++) {
    PRInt32 policy = 0;
    if (SSL_CipherPolicyGet(l->v[i], &policy) != SECSuccess || policy != SSL_ALLOWED ||
        SSL_CipherPrefSet(s->model, l->v[i], PR_TRUE) != SECSuccess) {
      snprintf(msg, msglen, "--ciphers: %s is not implemented by NSS",
               tg_cipher_suite_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
    if ((l->v[i] >> 8) == 0x13)
      v13 = true;
    else
      older = true;
  }
  if (SSL_CipherSuiteOrderSet(s->model, l->v, (PRUint16)l->n) != SECSuccess) {
    snprintf(msg, msglen, "--ciphers: NSS refuses the order");
    return PEER_EXIT_UNSUPPORTED;
  }
  SSLVersionRange r;
  SSL_VersionRangeGet(s->model, &r);
  if (!v13 && r.max > SSL_LIBRARY_VERSION_TLS_1_2)
    r.max = SSL_LIBRARY_VERSION_TLS_1_2;
  if (!older && r.min < SSL_LIBRARY_VERSION_TLS_1_3)
    r.min = SSL_LIBRARY_VERSION_TLS_1_3;
  if (r.min > r.max || SSL_VersionRangeSet(s->model, &r) != SECSuccess) {
    snprintf(msg, msglen, "--ciphers: no suite for the versions of --min/--max-version");
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

static int configure_groups(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->groups;
  SSLNamedGroup g[PEER_MAX_LIST];
  for (size_t i = 0; i < l->n; i++) {
    if (!nss_has_group(l->v[i])) {
      snprintf(msg, msglen, "--groups: %s is not implemented by NSS", tg_group_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
    g[i] = (SSLNamedGroup)l->v[i];
  }
  if (l->n && SSL_NamedGroupConfig(s->model, g, (unsigned)l->n) != SECSuccess) {
    snprintf(msg, msglen, "--groups: NSS refuses the list");
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

static int configure_sigalgs(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->sigalgs;
  if (l->n == 0)
    return 0;
  SSLSignatureScheme want[PEER_MAX_LIST], got[PEER_MAX_LIST];
  for (size_t i = 0; i < l->n; i++)
    want[i] = (SSLSignatureScheme)l->v[i];
  unsigned n = 0;
  bool ok = SSL_SignatureSchemePrefSet(s->model, want, (unsigned)l->n) == SECSuccess &&
            SSL_SignatureSchemePrefGet(s->model, got, &n, PEER_MAX_LIST) == SECSuccess;
  for (size_t i = 0; i < l->n; i++) {
    bool kept = false;
    for (unsigned j = 0; ok && j < n && !kept; j++)
      kept = got[j] == want[i];
    if (!kept) {
      snprintf(msg, msglen, "--sigalgs: %s is not implemented by NSS", tg_sig_scheme_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
  }
  return 0;
}

/* A new model socket: NSS's defaults, TLS only (no SSL 2/3), tickets and EMS on. */
static PRFileDesc *new_model(void) {
  PRFileDesc *fd = SSL_ImportFD(NULL, PR_NewTCPSocket());
  if (fd && (SSL_OptionSet(fd, SSL_SECURITY, PR_TRUE) != SECSuccess ||
             SSL_OptionSet(fd, SSL_ENABLE_SESSION_TICKETS, PR_TRUE) != SECSuccess ||
             SSL_OptionSet(fd, SSL_ENABLE_EXTENDED_MASTER_SECRET, PR_TRUE) != SECSuccess)) {
    PR_Close(fd);
    return NULL;
  }
  return fd;
}

static bool load_credentials(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  if (o->role == PEER_ROLE_SERVER && !o->cert) {
    snprintf(msg, msglen, "a server needs --cert and --key");
    return false;
  }
  if (!o->cert)
    return true;
  int bad;
  char e[400];
  if ((s->chain = nss_load_certs(o->cert, false, e, sizeof e, &bad)) == NULL ||
      (s->key = nss_load_key(o->key, e, sizeof e)) == NULL) {
    snprintf(msg, msglen, "--cert %s --key %s: %s", o->cert, o->key, e);
    return false;
  }
  if ((s->chain_der = nss_chain_der(s->chain)) == NULL) {
    snprintf(msg, msglen, "out of memory");
    return false;
  }
  if (o->role != PEER_ROLE_SERVER)
    return true;
  SSLExtraServerCertData extra = {.authType = ssl_auth_null, .certChain = s->chain_der};
  if (SSL_ConfigServerCert(s->model, CERT_LIST_HEAD(s->chain)->cert, s->key, &extra,
                           sizeof extra) != SECSuccess) {
    library_error(e, sizeof e, PR_GetError());
    snprintf(msg, msglen, "--cert %s --key %s: %s", o->cert, o->key, e);
    return false;
  }
  return true;
}

static bool configure_trust(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  bool server = o->role == PEER_ROLE_SERVER;
  if ((server ? o->require_client_cert : true) && !o->trust && !o->trust_key && !o->no_verify) {
    snprintf(msg, msglen, "%s: give --trust PEM, --trust-key PEM or --no-verify",
             server ? "--require-client-cert" : "a client");
    return false;
  }
  const char *path = o->trust ? o->trust : o->trust_key;
  int bad;
  if (path && (s->anchors = nss_load_certs(path, false, msg, msglen, &bad)) == NULL)
    return false;
  if (o->trust && !nss_trust(s->anchors)) {
    snprintf(msg, msglen, "%s: CERT_ChangeCertTrust: %s", o->trust, PR_ErrorToName(PR_GetError()));
    return false;
  }
  if (server && o->require_client_cert &&
      (SSL_OptionSet(s->model, SSL_REQUEST_CERTIFICATE, PR_TRUE) != SECSuccess ||
       SSL_OptionSet(s->model, SSL_REQUIRE_CERTIFICATE, SSL_REQUIRE_ALWAYS) != SECSuccess)) {
    snprintf(msg, msglen, "--require-client-cert: NSS refuses it");
    return false;
  }
  return true;
}

static int build_config(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  if (o->has_ticket_key) {
    snprintf(msg, msglen, "--ticket-key: NSS seals tickets under keys it draws itself");
    return PEER_EXIT_UNSUPPORTED;
  }
  if (o->request_client_cert) {
    snprintf(msg, msglen, "--request-client-cert: not wired to this adapter's certificate hook");
    return PEER_EXIT_UNSUPPORTED;
  }
  if (o->sess_in || o->sess_out) {
    snprintf(msg, msglen,
             "--sess-in/--sess-out: NSS wraps a resumption token's secret under a "
             "wrapping key of this process's PKCS #11 slot (PK11_GetWrapKey), so "
             "no other process can resume it");
    return PEER_EXIT_UNSUPPORTED;
  }
  if (o->require_ems) {
    snprintf(msg, msglen,
             "--require-ems: NSS has no option to refuse a peer without "
             "extended_master_secret (RFC 7627 5.2 lets it go on)");
    return PEER_EXIT_UNSUPPORTED;
  }
  if (!nss_start(msg, msglen))
    return PEER_EXIT_USAGE;
  if ((s->model = new_model()) == NULL) {
    snprintf(msg, msglen, "SSL_ImportFD failed");
    return PEER_EXIT_USAGE;
  }
  int rc;
  if ((rc = configure_versions(s, msg, msglen)) != 0 ||
      (rc = configure_ciphers(s, msg, msglen)) != 0 ||
      (rc = configure_groups(s, msg, msglen)) != 0 || (rc = configure_sigalgs(s, msg, msglen)) != 0)
    return rc;
  if (!load_credentials(s, msg, msglen) || !configure_trust(s, msg, msglen))
    return PEER_EXIT_USAGE;
  /* A server's session cache (tickets are sealed under keys of this process) */
  if (o->role == PEER_ROLE_SERVER && SSL_ConfigServerSessionIDCache(64, 0, 0, NULL) != SECSuccess) {
    library_error(msg, msglen, PR_GetError());
    return PEER_EXIT_USAGE;
  }
  return 0;
}

static int setup_new(const peer_opts *o, void **out, char *msg, size_t msglen) {
  setup *s = calloc(1, sizeof *s);
  if (s == NULL) {
    snprintf(msg, msglen, "out of memory");
    return PEER_EXIT_USAGE;
  }
  s->o = o;
  *out = s;
  return build_config(s, msg, msglen);
}

static void setup_delete(void *p) {
  setup *s = p;
  if (s == NULL)
    return;
  if (s->model)
    PR_Close(s->model);
  if (s->chain_der)
    CERT_DestroyCertificateList(s->chain_der);
  if (s->chain)
    CERT_DestroyCertList(s->chain);
  if (s->anchors)
    CERT_DestroyCertList(s->anchors);
  if (s->key)
    SECKEY_DestroyPrivateKey(s->key);
  free(s);
}

/* ---- --info: each value through the configure_* step of its flag, on a fresh model --------- */

static bool probe_takes(const peer_opts *o, peer_probe_kind kind, uint16_t v) {
  (void)v;
  setup s = {.o = o, .model = new_model()};
  char msg[512];
  int rc = s.model == NULL              ? PEER_EXIT_USAGE
           : kind == PEER_PROBE_VERSION ? configure_versions(&s, msg, sizeof msg)
           : kind == PEER_PROBE_SUITE   ? configure_ciphers(&s, msg, sizeof msg)
           : kind == PEER_PROBE_GROUP   ? configure_groups(&s, msg, sizeof msg)
                                        : configure_sigalgs(&s, msg, sizeof msg);
  if (s.model)
    PR_Close(s.model);
  return rc == 0;
}

static void info(peer_info *in) {
  char msg[256];
  if (!nss_start(msg, sizeof msg))
    return;
  peer_info_probe_flags(in, probe_takes);
  in->alpn = in->sni = in->client_auth = in->key_update = true;
  in->ems_optional = true; /* NSS's behaviour with the extension enabled */
}

/* ---- One connection -------------------------------------------------------------------------- */

typedef struct session {
  PRFileDesc *fd;
  bool got_close_notify;
} session;

#define SESSION(c) ((session *)(c)->lib)

static void alert_sent(const PRFileDesc *fd, void *arg, const SSLAlert *a) {
  (void)fd;
  if (a->level == 2)
    peer_conn_alert_sent(arg, a->description);
}

static void alert_received(const PRFileDesc *fd, void *arg, const SSLAlert *a) {
  (void)fd;
  peer_conn *c = arg;
  if (a->description == 0) /* close_notify */
    SESSION(c)->got_close_notify = true;
  else if (a->level == 2)
    peer_conn_alert_received(c, a->description);
}

/* The peer's certificate: --no-verify, --trust-key (the leaf's key) or --trust (the chain and,
 * for a client, the name). A failure sets NSS's error, from which it picks the alert. */
static SECStatus auth_certificate(void *arg, PRFileDesc *fd, PRBool check_sig, PRBool is_server) {
  (void)check_sig;
  peer_conn *c = arg;
  const peer_opts *o = c->o;
  const setup *s = c->setup;
  if (o->no_verify)
    return SECSuccess;
  CERTCertificate *leaf = SSL_PeerCertificate(fd);
  if (leaf == NULL) { /* NSS calls the hook even when the leaf did not decode */
    PORT_SetError(SSL_ERROR_BAD_CERTIFICATE);
    return SECFailure;
  }
  int err = 0;
  if (o->trust_key) {
    err = SSL_ERROR_BAD_CERTIFICATE; /* NSS answers it with bad_certificate */
    for (CERTCertListNode *p = CERT_LIST_HEAD(s->anchors); err && !CERT_LIST_END(p, s->anchors);
         p = CERT_LIST_NEXT(p))
      if (SECITEM_ItemsAreEqual(&p->cert->derPublicKey, &leaf->derPublicKey) &&
          SECOID_CompareAlgorithmID(&p->cert->subjectPublicKeyInfo.algorithm,
                                    &leaf->subjectPublicKeyInfo.algorithm) == SECEqual)
        err = 0;
  } else {
    const char *name = is_server ? NULL : o->verify_name ? o->verify_name : o->sni;
    err = nss_check_chain(leaf, name, is_server, PR_Now());
  }
  CERT_DestroyCertificate(leaf);
  if (err == 0)
    return SECSuccess;
  PORT_SetError(err);
  return SECFailure;
}

static SECStatus client_auth_data(void *arg, PRFileDesc *fd, CERTDistNames *ca,
                                  CERTCertificate **cert, SECKEYPrivateKey **key) {
  (void)fd, (void)ca;
  const setup *s = ((peer_conn *)arg)->setup;
  if (s->chain == NULL)
    return SECFailure; /* no certificate: an empty Certificate message */
  *cert = CERT_DupCertificate(CERT_LIST_HEAD(s->chain)->cert);
  *key = SECKEY_CopyPrivateKey(s->key);
  return SECSuccess;
}

/* Server ALPN: the first of the server's protocols that the client offers. Nothing in common:
 * an empty choice, which NSS answers with no_application_protocol (RFC 7301 3.2). NSS's own
 * choice without this callback follows the client's order. */
static SECStatus alpn_select(void *arg, PRFileDesc *fd, const unsigned char *in, unsigned in_len,
                             unsigned char *out, unsigned *out_len, unsigned out_max) {
  (void)fd;
  const peer_opts *o = ((peer_conn *)arg)->o;
  *out_len = 0;
  for (size_t i = 0; i < o->alpn_len; i += 1 + (size_t)o->alpn[i]) {
    const uint8_t *mine = o->alpn + i;
    for (unsigned j = 0; j < in_len; j += 1u + in[j])
      if (j + 1u + in[j] <= in_len && in[j] == mine[0] && mine[0] <= out_max &&
          memcmp(in + j + 1, mine + 1, mine[0]) == 0) {
        memcpy(out, mine + 1, mine[0]);
        *out_len = mine[0];
        return SECSuccess;
      }
  }
  return SECSuccess;
}

/* The client's ALPN list rotated right by one: NSS moves its first protocol to the end. */
static size_t alpn_for_nss(const peer_opts *o, uint8_t *out) {
  size_t last = 0;
  for (size_t i = 0; i < o->alpn_len; i += 1 + (size_t)o->alpn[i])
    last = i;
  size_t tail = o->alpn_len - last;
  memcpy(out, o->alpn + last, tail);
  memcpy(out + tail, o->alpn, last);
  return o->alpn_len;
}

static bool conn_configure(peer_conn *c, PRFileDesc *fd) {
  const peer_opts *o = c->o;
  bool server = o->role == PEER_ROLE_SERVER;
  if (SSL_AlertSentCallback(fd, alert_sent, c) != SECSuccess ||
      SSL_AlertReceivedCallback(fd, alert_received, c) != SECSuccess ||
      SSL_AuthCertificateHook(fd, auth_certificate, c) != SECSuccess ||
      SSL_ResetHandshake(fd, server) != SECSuccess)
    return false;
  if (server)
    return !o->alpn_len || SSL_SetNextProtoCallback(fd, alpn_select, c) == SECSuccess;
  uint8_t alpn[sizeof o->alpn];
  if (o->alpn_len && SSL_SetNextProtoNego(fd, alpn, (unsigned)alpn_for_nss(o, alpn)) != SECSuccess)
    return false;
  const char *sni = o->sni ? o->sni : o->verify_name;
  return (!sni || SSL_SetURL(fd, sni) == SECSuccess) &&
         SSL_GetClientAuthDataHook(fd, client_auth_data, c) == SECSuccess;
}

static bool conn_new(peer_conn *c) {
  const setup *s = c->setup;
  session *ss = calloc(1, sizeof *ss);
  c->lib = ss;
  int dupfd = ss ? dup(c->fd) : -1; /* PR_Close closes what NSPR holds; the driver closes c->fd */
  PRFileDesc *tcp = dupfd >= 0 ? PR_ImportTCPSocket(dupfd) : NULL;
  if (tcp == NULL && dupfd >= 0)
    close(dupfd);
  PRSocketOptionData nb = {.option = PR_SockOpt_Nonblocking, .value.non_blocking = PR_TRUE};
  PRFileDesc *fd = tcp && PR_SetSocketOption(tcp, &nb) == PR_SUCCESS && nss_address_layer(tcp)
                       ? SSL_ImportFD(s->model, tcp)
                       : NULL;
  if (fd == NULL && tcp)
    PR_Close(tcp);
  if (fd == NULL || !conn_configure(c, fd)) {
    if (ss == NULL)
      snprintf(c->msg, sizeof c->msg, "out of memory");
    else
      library_error(c->msg, sizeof c->msg, PR_GetError());
    if (fd)
      PR_Close(fd);
    return false;
  }
  ss->fd = fd;
  return true;
}

static void conn_free(peer_conn *c) {
  session *ss = SESSION(c);
  if (ss && ss->fd)
    PR_Close(ss->fd);
  free(ss);
  c->lib = NULL;
}

/* What a failed NSS call means, as a driver step. */
static peer_step step_of(peer_conn *c, bool writing) {
  PRErrorCode e = PR_GetError();
  if (e == PR_WOULD_BLOCK_ERROR)
    return writing ? PEER_STEP_WANT_WRITE : PEER_STEP_WANT_READ;
  if (e == PR_END_OF_FILE_ERROR || e == PR_CONNECT_RESET_ERROR || e == PR_CONNECT_ABORTED_ERROR) {
    c->eof = true;
    c->error_class = PEER_EC_TRANSPORT;
  }
  library_error(c->msg, sizeof c->msg, e);
  return PEER_STEP_FAILED;
}

static peer_step handshake(peer_conn *c) {
  if (SSL_ForceHandshake(SESSION(c)->fd) == SECSuccess)
    return PEER_STEP_OK;
  return step_of(c, false);
}

static peer_step read_data(peer_conn *c, uint8_t *buf, size_t cap, size_t *n) {
  PRInt32 ret = PR_Read(SESSION(c)->fd, buf, cap > 1 << 30 ? 1 << 30 : (PRInt32)cap);
  if (ret > 0) {
    *n = (size_t)ret;
    return PEER_STEP_OK;
  }
  if (ret < 0)
    return step_of(c, false);
  if (SESSION(c)->got_close_notify)
    return PEER_STEP_CLOSED;
  c->eof = true; /* NSS reads 0 at a transport EOF too */
  c->error_class = PEER_EC_TRANSPORT;
  snprintf(c->msg, sizeof c->msg, "the peer closed the connection");
  return PEER_STEP_FAILED;
}

static peer_step write_data(peer_conn *c, const uint8_t *p, size_t len, size_t *n) {
  PRInt32 ret = PR_Write(SESSION(c)->fd, p, len > 1 << 30 ? 1 << 30 : (PRInt32)len);
  if (ret >= 0) {
    *n = (size_t)ret;
    return PEER_STEP_OK;
  }
  return step_of(c, true);
}

static size_t pending(peer_conn *c) { return (size_t)SSL_DataPending(SESSION(c)->fd); }

static bool key_update(peer_conn *c) {
  if (SSL_KeyUpdate(SESSION(c)->fd, PR_TRUE) == SECSuccess)
    return true;
  library_error(c->msg, sizeof c->msg, PR_GetError());
  return false;
}

/* PR_Shutdown(SEND) is NSS's way to send close_notify (then the socket's write side closes). */
static void close_notify(peer_conn *c) { (void)PR_Shutdown(SESSION(c)->fd, PR_SHUTDOWN_SEND); }

static void describe(peer_conn *c) {
  peer_outcome *out = &c->out;
  SSLChannelInfo ci;
  if (!c->handshake_done || SSL_GetChannelInfo(SESSION(c)->fd, &ci, sizeof ci) != SECSuccess ||
      ci.length == 0)
    return;
  out->protocol = peer_version_name(ci.protocolVersion);
  out->cipher = tg_cipher_suite_name(ci.cipherSuite);
  out->group = ci.keaGroup ? tg_group_name(ci.keaGroup) : NULL;
  out->resumed = ci.resumed;
  static unsigned char alpn[256]; /* one connection at a time */
  unsigned alpn_len = 0;
  SSLNextProtoState st;
  if (SSL_GetNextProto(SESSION(c)->fd, &st, alpn, &alpn_len, sizeof alpn) == SECSuccess &&
      (st == SSL_NEXT_PROTO_SELECTED || st == SSL_NEXT_PROTO_NEGOTIATED) && alpn_len) {
    out->alpn = (const char *)alpn;
    out->alpn_len = alpn_len;
  }
}

static int verify(const peer_opts *o) { return verify_nss_run(o, library_version()); }

static const peer_library library = {
    .name = "nss",
    .version = library_version,
    .info = info,
    .verify = verify,
    .setup = setup_new,
    .setup_free = setup_delete,
    .conn_new = conn_new,
    .conn_free = conn_free,
    .handshake = handshake,
    .read = read_data,
    .write = write_data,
    .pending = pending,
    .key_update = key_update,
    .close_notify = close_notify,
    .describe = describe,
};

int main(int argc, char **argv) { return peer_main(argc, argv, &library); }
