/* tg-peer-nss's certificates: NSS started without a database, PEM files as temporary
 * certificates, and the one path validation both the TLS handshake (its auth-certificate hook)
 * and --verify use: CERT_PKIXVerifyCert with the --trust certificates as the only trust anchors,
 * at a given time, for the TLS server or client usage, no revocation fetching; then the name
 * (CERT_VerifyCertName) of a leaf that has a subjectAltName. vfychain (libnss3-tools) runs the
 * same validation from the command line: vfychain -pp -u 1 ... (see peers/README.md).
 *
 * A source of tg-peer-nss (CMakeLists.txt); x509_reason_nss.c maps NSS's errors to reasons. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include <base64.h>
#include <cert.h>
#include <nss.h>
#include <prerror.h>
#include <secerr.h>
#include <ssl.h>
#include <sslerr.h>

#include "peer_common.h"

bool nss_start(char *msg, size_t msglen);
CERTCertList *nss_load_certs(const char *path, bool der_ok, char *msg, size_t msglen, int *bad);
int nss_check_chain(CERTCertificate *leaf, CERTCertList *anchors, const char *name,
                    bool client_purpose, PRTime when);
int verify_nss_run(const peer_opts *o, const char *version);
const char *nss_x509_reason(int err);

/* NSS for this process: no database (nothing on disk), every cipher suite the library has
 * allowed by policy. Once; NSS shuts down at exit. */
bool nss_start(char *msg, size_t msglen) {
  static bool started;
  if (started)
    return true;
  if (NSS_NoDB_Init(NULL) != SECSuccess || NSS_SetDomesticPolicy() != SECSuccess) {
    snprintf(msg, msglen, "NSS_NoDB_Init: %s", PR_ErrorToName(PR_GetError()));
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

/* The path validation: 0, or NSS's error code. RFC 9525 6.3: without a subjectAltName the
 * subject CN is not a name (CERT_VerifyCertName would use it), so such a leaf does not match. */
int nss_check_chain(CERTCertificate *leaf, CERTCertList *anchors, const char *name,
                    bool client_purpose, PRTime when) {
  CERTValInParam in[] = {
      {.type = cert_pi_trustAnchors, .value.pointer.chain = anchors},
      {.type = cert_pi_date, .value.scalar.time = when},
      {.type = cert_pi_revocationFlags,
       .value.pointer.revocation = CERT_GetClassicOCSPDisabledPolicy()},
      {.type = cert_pi_end},
  };
  CERTValOutParam out[] = {{.type = cert_po_end}};
  if (CERT_PKIXVerifyCert(leaf, client_purpose ? certificateUsageSSLClient
                                               : certificateUsageSSLServer,
                          in, out, NULL) != SECSuccess)
    return PR_GetError() ? PR_GetError() : SEC_ERROR_UNTRUSTED_CERT;
  if (name == NULL)
    return 0;
  SECItem san = {siBuffer, NULL, 0};
  if (CERT_FindCertExtension(leaf, SEC_OID_X509_SUBJECT_ALT_NAME, &san) != SECSuccess)
    return SSL_ERROR_BAD_CERT_DOMAIN;
  SECITEM_FreeItem(&san, PR_FALSE);
  return CERT_VerifyCertName(leaf, name) == SECSuccess ? 0 : SSL_ERROR_BAD_CERT_DOMAIN;
}

static void print_verdict(const char *version, const char *verdict, const char *reason,
                          const char *error) {
  json_t *j = json_object();
  json_object_set_new(j, "implementation", json_string("nss"));
  json_object_set_new(j, "version", json_string(version));
  json_object_set_new(j, "verdict", json_string(verdict));
  json_object_set_new(j, "reason", reason ? json_string(reason) : json_null());
  json_object_set_new(j, "error", error ? json_string(error) : json_null());
  char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(j);
  if (line != NULL)
    printf("%s\n", line);
  free(line);
  fflush(stdout);
}

int verify_nss_run(const peer_opts *o, const char *version) {
  char msg[512];
  int bad = 0, rc;
  if (!nss_start(msg, sizeof msg)) {
    fprintf(stderr, "tg-peer-nss: %s\n", msg);
    return PEER_EXIT_USAGE;
  }
  /* Every list stays alive until the end: its temporary certificates are what path building
   * finds as intermediates. */
  CERTCertList *lists[PEER_MAX_UNTRUSTED + 2] = {NULL};
  size_t n = 0;
  CERTCertList *chain = lists[n++] = nss_load_certs(o->verify_leaf, true, msg, sizeof msg, &bad);
  for (size_t i = 0; chain && i < o->n_untrusted; i++)
    if ((lists[n++] = nss_load_certs(o->untrusted[i], false, msg, sizeof msg, &bad)) == NULL)
      bad = 0; /* an intermediate file that does not load is bad input */
  bool loaded = chain && lists[n - 1];
  CERTCertList *anchors = loaded ? nss_load_certs(o->trust, false, msg, sizeof msg, &bad) : NULL;
  if (loaded && anchors == NULL)
    bad = 0; /* a trust file that does not parse is bad input, not a verdict */
  if (anchors) {
    PRTime when = o->has_time ? (PRTime)o->verify_time * PR_USEC_PER_SEC : PR_Now();
    int err = nss_check_chain(CERT_LIST_HEAD(chain)->cert, anchors, o->verify_name,
                              o->purpose_client, when);
    if (err == 0) {
      print_verdict(version, "valid", NULL, NULL);
      rc = PEER_EXIT_ESTABLISHED;
    } else {
      const char *name = PR_ErrorToName(err), *text = PR_ErrorToString(err, PR_LANGUAGE_I_DEFAULT);
      snprintf(msg, sizeof msg, "%s: %s", name ? name : "unknown error", text ? text : "");
      print_verdict(version, "invalid", nss_x509_reason(err), msg);
      rc = PEER_EXIT_FAILED;
    }
    CERT_DestroyCertList(anchors);
  } else if (bad && chain == NULL) {
    print_verdict(version, "invalid", "malformed", msg);
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
