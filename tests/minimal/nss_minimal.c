/* nss_minimal: the smallest NSS echo server, for showing a baselined deviation without
 * tg-peer-nss where NSS's own selfserv cannot (it answers with an HTTP page, not an echo, so a
 * scenario that checks that the handshake went on never sees its data come back). It does what
 * NSS's documentation (ssl.h) and selfserv do, and nothing more: NSS_Init on a certificate
 * database, the certificate "server" and its key from it (SSL_ConfigServerCert), the library's
 * defaults, one TCP connection on 127.0.0.1, the handshake, then an echo until the peer closes.
 *
 *   nss_minimal DBDIR PORT [--tls12|--tls13]   (tests/minimal/nss_tool.sh echo makes DBDIR)
 *
 * NSS's errors go to stderr. Exit 0 after a handshake, 1 after a failed one, 2 on bad usage or
 * setup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cert.h>
#include <keyhi.h>
#include <nss.h>
#include <pk11pub.h>
#include <prerror.h>
#include <prio.h>
#include <prnetdb.h>
#include <ssl.h>
#include <sslproto.h>

static int fail(const char *what) {
  fprintf(stderr, "nss_minimal: %s: %s\n", what, PR_ErrorToName(PR_GetError()));
  return 2;
}

/* One connection accepted on 127.0.0.1:port. */
static PRFileDesc *accept_one(int port) {
  PRNetAddr addr;
  PRFileDesc *l = PR_NewTCPSocket();
  PRSocketOptionData reuse = {.option = PR_SockOpt_Reuseaddr, .value.reuse_addr = PR_TRUE};
  if (l == NULL || PR_InitializeNetAddr(PR_IpAddrLoopback, (PRUint16)port, &addr) != PR_SUCCESS ||
      PR_SetSocketOption(l, &reuse) != PR_SUCCESS || PR_Bind(l, &addr) != PR_SUCCESS ||
      PR_Listen(l, 1) != PR_SUCCESS) {
    if (l)
      PR_Close(l);
    return NULL;
  }
  PRFileDesc *c = PR_Accept(l, NULL, PR_INTERVAL_NO_TIMEOUT);
  PR_Close(l);
  return c;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4 ||
      (argc == 4 && strcmp(argv[3], "--tls12") != 0 && strcmp(argv[3], "--tls13") != 0)) {
    fprintf(stderr, "usage: nss_minimal DBDIR PORT [--tls12|--tls13]\n");
    return 2;
  }
  if (NSS_Init(argv[1]) != SECSuccess || NSS_SetDomesticPolicy() != SECSuccess ||
      SSL_ConfigServerSessionIDCache(0, 0, 0, NULL) != SECSuccess)
    return fail("NSS_Init");
  CERTCertificate *cert = PK11_FindCertFromNickname("server", NULL);
  SECKEYPrivateKey *key = cert ? PK11_FindKeyByAnyCert(cert, NULL) : NULL;
  if (key == NULL)
    return fail("the certificate 'server' and its key");
  PRFileDesc *tcp = accept_one(atoi(argv[2]));
  PRFileDesc *fd = tcp ? SSL_ImportFD(NULL, tcp) : NULL;
  if (fd == NULL)
    return fail("accept");
  if (argc == 4) {
    PRUint16 v =
        strcmp(argv[3], "--tls12") == 0 ? SSL_LIBRARY_VERSION_TLS_1_2 : SSL_LIBRARY_VERSION_TLS_1_3;
    SSLVersionRange r = {v, v};
    if (SSL_VersionRangeSet(fd, &r) != SECSuccess)
      return fail("SSL_VersionRangeSet");
  }
  if (SSL_ConfigServerCert(fd, cert, key, NULL, 0) != SECSuccess ||
      SSL_ResetHandshake(fd, PR_TRUE) != SECSuccess)
    return fail("SSL_ConfigServerCert");
  if (SSL_ForceHandshake(fd) != SECSuccess) {
    fail("handshake");
    PR_Close(fd);
    return 1;
  }
  char buf[16384];
  PRInt32 n;
  while ((n = PR_Read(fd, buf, sizeof buf)) > 0)
    if (PR_Write(fd, buf, n) != n)
      break;
  if (n < 0)
    fail("read");
  PR_Close(fd);
  SECKEY_DestroyPrivateKey(key);
  CERT_DestroyCertificate(cert);
  return 0;
}
