/* tg-peer-nss's certificates: NSS started on a throwaway database, PEM files as temporary
 * certificates, the --trust ones trusted as CAs (CERT_ChangeCertTrust, in memory), and the one
 * path validation both the TLS handshake (its auth-certificate hook) and --verify use: NSS's
 * CERT_VerifyCertificate for the TLS server or client usage at a given time, the check of
 * SSL_AuthCertificate (NSS's default hook, which selfserv and tstclnt use), then the name
 * (CERT_VerifyCertName) of a leaf that has a subjectAltName. vfychain (libnss3-tools) runs the
 * same validation from the command line: vfychain -d DB -u 1 -a LEAF.pem [INTER.pem]...
 *
 * Also the rest of NSS's environment that is not the TLS API: the PKCS #8 key, the chain as
 * SSL_ConfigServerCert takes it, and the NSPR layer that gives a socketpair an address.
 *
 * A source of tg-peer-nss (CMakeLists.txt); x509_reason_nss.c maps NSS's errors to reasons. */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <base64.h>
#include <cert.h>
#include <certdb.h>
#include <keyhi.h>
#include <nss.h>
#include <pk11pub.h>
#include <prerror.h>
#include <prio.h>
#include <prnetdb.h>
#include <secerr.h>
#include <ssl.h>
#include <sslerr.h>

#include "peer_common.h"

bool nss_start(char *msg, size_t msglen);
CERTCertList *nss_load_certs(const char *path, bool der_ok, char *msg, size_t msglen, int *bad);
bool nss_trust(CERTCertList *anchors);
int nss_check_chain(CERTCertificate *leaf, const char *name, bool client_purpose, PRTime when);
int verify_nss_run(const peer_opts *o, const char *version);
SECKEYPrivateKey *nss_load_key(const char *path, char *msg, size_t msglen);
CERTCertificateList *nss_chain_der(CERTCertList *chain);
PRFileDesc *nss_address_layer(PRFileDesc *tcp);
const char *nss_x509_reason(int err);

/* The throwaway database: a directory of its own under $TMPDIR, removed at exit and on
 * SIGTERM/SIGINT/SIGHUP (a --listen adapter ends by a signal). unlink and rmdir are
 * async-signal-safe. */
static char db_dir[256];

static void remove_db(void) {
  static const char *const files[] = {"cert9.db", "key4.db", "pkcs11.txt", "cert9.db-journal",
                                      "key4.db-journal"};
  char path[300];
  if (db_dir[0] == '\0')
    return;
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    size_t n = strlen(db_dir), m = strlen(files[i]);
    memcpy(path, db_dir, n);
    path[n] = '/';
    memcpy(path + n + 1, files[i], m + 1);
    unlink(path);
  }
  rmdir(db_dir);
}

static void remove_db_on_signal(int sig) {
  remove_db();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* NSS for this process, on a certificate database made for it (NSS_Initialize on an empty
 * sql: directory; no module database, no built-in roots), every cipher suite the library has
 * allowed by policy. Once. */
bool nss_start(char *msg, size_t msglen) {
  static bool started;
  if (started)
    return true;
  const char *tmp = getenv("TMPDIR");
  snprintf(db_dir, sizeof db_dir, "%s/tg-peer-nss.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp(db_dir) == NULL) {
    snprintf(msg, msglen, "mkdtemp %s: %s", db_dir, strerror(errno));
    db_dir[0] = '\0';
    return false;
  }
  atexit(remove_db);
  signal(SIGTERM, remove_db_on_signal);
  signal(SIGINT, remove_db_on_signal);
  signal(SIGHUP, remove_db_on_signal);
  char config[300];
  snprintf(config, sizeof config, "sql:%s", db_dir);
  if (NSS_Initialize(config, "", "", SECMOD_DB, NSS_INIT_NOMODDB | NSS_INIT_NOROOTINIT) !=
          SECSuccess ||
      NSS_SetDomesticPolicy() != SECSuccess) {
    snprintf(msg, msglen, "NSS_Initialize %s: %s", config, PR_ErrorToName(PR_GetError()));
    return false;
  }
  /* A new database's key slot has no password yet: set the empty one, as certutil -N
   * --empty-password does, so certificates and trust can be stored. */
  PK11SlotInfo *slot = PK11_GetInternalKeySlot();
  bool ok = slot && (!PK11_NeedUserInit(slot) || PK11_InitPin(slot, NULL, "") == SECSuccess);
  if (slot)
    PK11_FreeSlot(slot);
  if (!ok) {
    snprintf(msg, msglen, "PK11_InitPin %s: %s", config, PR_ErrorToName(PR_GetError()));
    return false;
  }
  return started = true;
}

static CERTCertificate *temp_cert(const unsigned char *der, unsigned len) {
  SECItem item = {siBuffer, (unsigned char *)der, len};
  return CERT_NewTempCertificate(CERT_GetDefaultCertDB(), &item, NULL, PR_FALSE, PR_TRUE);
}

/* Every CERTIFICATE block of a PEM file (or, when der_ok, one DER certificate) as temporary
 * certificates, in the file's order. NULL with msg: *bad is 1 when certificate bytes do not
 * parse (a verdict in verify mode), 0 when the file holds none or cannot be read. */
CERTCertList *nss_load_certs(const char *path, bool der_ok, char *msg, size_t msglen, int *bad) {
  static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
  size_t len;
  char *buf = (char *)peer_load_file(path, &len, msg, msglen);
  *bad = 0;
  if (buf == NULL)
    return NULL;
  CERTCertList *list = CERT_NewCertList();
  bool pem = strstr(buf, "-----BEGIN ") != NULL;
  for (char *b = strstr(buf, begin); list && b && !*bad; b = strstr(b, begin)) {
    char *e = strstr(b, end);
    if (e == NULL) {
      *bad = 1;
      break;
    }
    *e = '\0';
    unsigned der_len = 0;
    unsigned char *der = ATOB_AsciiToData(b + strlen(begin), &der_len);
    CERTCertificate *c = der ? temp_cert(der, der_len) : NULL;
    PORT_Free(der);
    if (c == NULL || CERT_AddCertToListTail(list, c) != SECSuccess)
      *bad = 1;
    b = e + 1;
  }
  if (list && !pem && der_ok && len > 0 && (unsigned char)buf[0] == 0x30) {
    CERTCertificate *c = temp_cert((unsigned char *)buf, (unsigned)len);
    if (c == NULL || CERT_AddCertToListTail(list, c) != SECSuccess)
      *bad = 1;
  }
  free(buf);
  if (list && !*bad && !CERT_LIST_EMPTY(list))
    return list;
  if (list)
    CERT_DestroyCertList(list);
  snprintf(msg, msglen, "%s: %s", path,
           *bad  ? "certificate does not parse"
           : pem ? "no CERTIFICATE block"
                 : "not a certificate (neither PEM nor DER)");
  return NULL;
}

/* The trust anchors: every certificate of the list trusted as a CA for TLS servers and clients
 * ("CT" in certutil's words). They stay temporary certificates: NSS stores a certificate
 * permanently only under the nickname of the others with its subject, which two unrelated
 * roots of one name (a test's "other root") do not share. */
bool nss_trust(CERTCertList *anchors) {
  CERTCertTrust trust = {.sslFlags =
                             CERTDB_VALID_CA | CERTDB_TRUSTED_CA | CERTDB_TRUSTED_CLIENT_CA};
  for (CERTCertListNode *p = CERT_LIST_HEAD(anchors); !CERT_LIST_END(p, anchors);
       p = CERT_LIST_NEXT(p))
    if (CERT_ChangeCertTrust(CERT_GetDefaultCertDB(), p->cert, &trust) != SECSuccess)
      return false;
  return true;
}

/* The path validation: 0, or NSS's error code. RFC 9525 6.3: without a subjectAltName the
 * subject CN is not a name (CERT_VerifyCertName would use it), so such a leaf does not match. */
int nss_check_chain(CERTCertificate *leaf, const char *name, bool client_purpose, PRTime when) {
  if (CERT_VerifyCertificate(CERT_GetDefaultCertDB(), leaf, PR_TRUE,
                             client_purpose ? certificateUsageSSLClient : certificateUsageSSLServer,
                             when, NULL, NULL, NULL) != SECSuccess)
    return PR_GetError() ? PR_GetError() : SEC_ERROR_UNTRUSTED_CERT;
  if (name == NULL)
    return 0;
  SECItem san = {siBuffer, NULL, 0};
  if (CERT_FindCertExtension(leaf, SEC_OID_X509_SUBJECT_ALT_NAME, &san) != SECSuccess)
    return SSL_ERROR_BAD_CERT_DOMAIN;
  SECITEM_FreeItem(&san, PR_FALSE);
  return CERT_VerifyCertName(leaf, name) == SECSuccess ? 0 : SSL_ERROR_BAD_CERT_DOMAIN;
}

/* --cert as the certChain of SSL_ConfigServerCert: the file's certificates, in its order. */
CERTCertificateList *nss_chain_der(CERTCertList *chain) {
  int n = 0;
  for (CERTCertListNode *p = CERT_LIST_HEAD(chain); !CERT_LIST_END(p, chain); p = CERT_LIST_NEXT(p))
    n++;
  PLArenaPool *arena = PORT_NewArena(4096);
  CERTCertificateList *l = arena ? PORT_ArenaZNew(arena, CERTCertificateList) : NULL;
  if (l == NULL || (l->certs = PORT_ArenaZNewArray(arena, SECItem, n)) == NULL) {
    PORT_FreeArena(arena, PR_FALSE);
    return NULL;
  }
  l->arena = arena;
  for (CERTCertListNode *p = CERT_LIST_HEAD(chain); !CERT_LIST_END(p, chain); p = CERT_LIST_NEXT(p))
    if (SECITEM_CopyItem(arena, &l->certs[l->len++], &p->cert->derCert) != SECSuccess) {
      PORT_FreeArena(arena, PR_FALSE);
      return NULL;
    }
  return l;
}

/* --key: a PKCS #8 PrivateKeyInfo (the PEM "PRIVATE KEY" block), a session object of the
 * internal slot. */
SECKEYPrivateKey *nss_load_key(const char *path, char *msg, size_t msglen) {
  size_t len;
  char *pem = (char *)peer_load_file(path, &len, msg, msglen);
  if (pem == NULL)
    return NULL;
  SECKEYPrivateKey *key = NULL;
  char *b = strstr(pem, "-----BEGIN PRIVATE KEY-----"), *e = b ? strstr(b, "-----END") : NULL;
  if (e == NULL) {
    snprintf(msg, msglen,
             "%s: no PKCS #8 PRIVATE KEY block (NSS imports PKCS #8 only: "
             "openssl pkcs8 -topk8 -nocrypt converts)",
             path);
    free(pem);
    return NULL;
  }
  *e = '\0';
  unsigned der_len = 0;
  unsigned char *der = ATOB_AsciiToData(b + strlen("-----BEGIN PRIVATE KEY-----"), &der_len);
  PK11SlotInfo *slot = PK11_GetInternalKeySlot();
  SECItem item = {siBuffer, der, der_len};
  if (der == NULL || slot == NULL ||
      PK11_ImportDERPrivateKeyInfoAndReturnKey(slot, &item, NULL, NULL, PR_FALSE, PR_FALSE, KU_ALL,
                                               &key, NULL) != SECSuccess) {
    snprintf(msg, msglen, "%s: %s", path, PR_ErrorToName(PR_GetError()));
    key = NULL;
  }
  if (slot)
    PK11_FreeSlot(slot);
  PORT_Free(der);
  free(pem);
  return key;
}

/* The runner's transport is a socketpair, whose peer is an AF_UNIX address; NSS asks the socket
 * for its peer's IP address (the key of its client session cache) and fails on any other
 * family with PR_ADDRESS_NOT_SUPPORTED_ERROR. A layer over the socket answers 127.0.0.1 port 0
 * then. */
static PRStatus peer_name(PRFileDesc *fd, PRNetAddr *addr) {
  if (fd->lower->methods->getpeername(fd->lower, addr) == PR_SUCCESS &&
      (addr->raw.family == PR_AF_INET || addr->raw.family == PR_AF_INET6))
    return PR_SUCCESS;
  return PR_InitializeNetAddr(PR_IpAddrLoopback, 0, addr);
}

PRFileDesc *nss_address_layer(PRFileDesc *tcp) {
  static PRDescIdentity id = PR_INVALID_IO_LAYER;
  static PRIOMethods methods;
  if (id == PR_INVALID_IO_LAYER) {
    id = PR_GetUniqueIdentity("tg-peer-nss address");
    methods = *PR_GetDefaultIOMethods();
    methods.getpeername = peer_name;
  }
  PRFileDesc *layer = PR_CreateIOLayerStub(id, &methods);
  if (layer == NULL || PR_PushIOLayer(tcp, PR_TOP_IO_LAYER, layer) != PR_SUCCESS) {
    if (layer)
      layer->dtor(layer);
    return NULL;
  }
  return tcp;
}

int verify_nss_run(const peer_opts *o, const char *version) {
  char msg[512];
  int bad = 0, rc;
  if (o->profile == TG_X509_PROFILE_WEBPKI) {
    /* CERT_VerifyCertificate takes a usage and a time and nothing stricter; the checks Firefox
     * makes beyond it are mozilla::pkix's, which libnss3 does not include. */
    fprintf(stderr, "tg-peer-nss: unsupported: --profile webpki: NSS's CERT_VerifyCertificate "
                    "has no strict or profile setting\n");
    return PEER_EXIT_UNSUPPORTED;
  }
  /* How NSS is asked to verify, for the verdict line's flags: CERT_VerifyCertificate's usage,
   * then CERT_VerifyCertName when there is a name. */
  char flags[96];
  snprintf(flags, sizeof flags, "usage=%s%s",
           o->purpose_client ? "certificateUsageSSLClient" : "certificateUsageSSLServer",
           o->verify_name ? " name=CERT_VerifyCertName" : "");
  if (!nss_start(msg, sizeof msg)) {
    fprintf(stderr, "tg-peer-nss: %s\n", msg);
    return PEER_EXIT_USAGE;
  }
  /* Every list stays alive until the end: its temporary certificates are what path building
   * finds as intermediates. */
  CERTCertList *lists[PEER_MAX_UNTRUSTED + 2] = {NULL};
  size_t n = 0;
  CERTCertList *chain = lists[n++] = nss_load_certs(o->verify_leaf, true, msg, sizeof msg, &bad);
  for (size_t i = 0; lists[n - 1] != NULL && i < o->n_untrusted; i++)
    lists[n++] = nss_load_certs(o->untrusted[i], false, msg, sizeof msg, &bad);
  bool loaded = chain && lists[n - 1];
  CERTCertList *anchors = loaded ? nss_load_certs(o->trust, false, msg, sizeof msg, &bad) : NULL;
  if (anchors && !nss_trust(anchors)) {
    snprintf(msg, sizeof msg, "%s: CERT_ChangeCertTrust: %s", o->trust,
             PR_ErrorToName(PR_GetError()));
    CERT_DestroyCertList(anchors);
    anchors = NULL;
  }
  if (anchors) {
    PRTime when = o->has_time ? (PRTime)o->verify_time * PR_USEC_PER_SEC : PR_Now();
    int err = nss_check_chain(CERT_LIST_HEAD(chain)->cert, o->verify_name, o->purpose_client, when);
    if (err == 0) {
      peer_verify_print("nss", version, "valid", NULL, NULL, flags);
      rc = PEER_EXIT_ESTABLISHED;
    } else {
      const char *name = PR_ErrorToName(err), *text = PR_ErrorToString(err, PR_LANGUAGE_I_DEFAULT);
      snprintf(msg, sizeof msg, "%s: %s", name ? name : "unknown error", text ? text : "");
      peer_verify_print("nss", version, "invalid", nss_x509_reason(err), msg, flags);
      rc = PEER_EXIT_FAILED;
    }
    CERT_DestroyCertList(anchors);
  } else if (bad) {
    /* A certificate that does not parse, wherever it is (peers/README.md --verify). */
    peer_verify_print("nss", version, "invalid", "malformed", msg, NULL);
    rc = PEER_EXIT_FAILED;
  } else {
    fprintf(stderr, "tg-peer-nss: %s\n", msg);
    rc = PEER_EXIT_USAGE;
  }
  for (size_t i = 0; i < n; i++)
    if (lists[i])
      CERT_DestroyCertList(lists[i]);
  return rc;
}
