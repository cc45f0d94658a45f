/* boringssl_minimal: the smallest BoringSSL server and client, for showing a baselined deviation
 * without our adapter (the replay: commands of vectors/baselines/boringssl/). It does what
 * BoringSSL's documentation (openssl/ssl.h) and its examples do, and nothing more: TLS_method()
 * with the library's defaults, a certificate and key or a CA and a name, one TCP connection on
 * 127.0.0.1, the handshake, then an echo until the peer closes.
 *
 *   boringssl_minimal server PORT CERT KEY [--tls13|--tls12]
 *   boringssl_minimal client PORT CA NAME  [--tls13|--tls12]
 *
 * The library's errors go to stderr (ERR_print_errors_fp). Exit 0 after a handshake, 1 after a
 * failed one, 2 on bad usage or setup. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "minimal_tcp.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

static int usage(void) {
  fprintf(stderr, "usage: boringssl_minimal server PORT CERT KEY [--tls13|--tls12]\n"
                  "       boringssl_minimal client PORT CA NAME [--tls13|--tls12]\n");
  return 2;
}

/* The version flag: 0 (the library's default range) without one; -1 for an unknown flag. */
static int version_of(const char *flag) {
  if (flag == NULL)
    return 0;
  if (strcmp(flag, "--tls13") == 0)
    return TLS1_3_VERSION;
  if (strcmp(flag, "--tls12") == 0)
    return TLS1_2_VERSION;
  return -1;
}

/* Server: the certificate chain and its key. Client: SSL_VERIFY_PEER against the CA. */
static int configure(SSL_CTX *ctx, int server, const char *a, const char *b) {
  if (server)
    return SSL_CTX_use_certificate_chain_file(ctx, a) &&
           SSL_CTX_use_PrivateKey_file(ctx, b, SSL_FILETYPE_PEM);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  return SSL_CTX_load_verify_locations(ctx, a, NULL);
}

/* Echoes what it reads until the peer closes (close_notify, EOF) or an error. */
static void echo(SSL *ssl) {
  char buf[16384];
  int n;
  while ((n = SSL_read(ssl, buf, sizeof buf)) > 0)
    if (SSL_write(ssl, buf, n) != n)
      return;
  if (SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN)
    SSL_shutdown(ssl); /* our close_notify in answer */
  else
    ERR_print_errors_fp(stderr);
}

int main(int argc, char **argv) {
  if (argc < 5 || argc > 6)
    return usage();
  int server = strcmp(argv[1], "server") == 0;
  if (!server && strcmp(argv[1], "client") != 0)
    return usage();
  int port = atoi(argv[2]);
  int version = version_of(argc == 6 ? argv[5] : NULL);
  if (port <= 0 || port > 65535 || version < 0)
    return usage();
  /* A peer that closes first must not kill us with SIGPIPE on our next write. */
  signal(SIGPIPE, SIG_IGN);

  SSL_CTX *ctx = SSL_CTX_new(TLS_method());
  /* Both bounds at the one version of the flag. */
  if (ctx == NULL ||
      (version && (!SSL_CTX_set_min_proto_version(ctx, (uint16_t)version) ||
                   !SSL_CTX_set_max_proto_version(ctx, (uint16_t)version))) ||
      !configure(ctx, server, argv[3], argv[4])) {
    ERR_print_errors_fp(stderr);
    SSL_CTX_free(ctx);
    return 2;
  }
  int fd = tcp_open(server, port);
  if (fd < 0) {
    perror(server ? "accept on 127.0.0.1" : "connect to 127.0.0.1");
    SSL_CTX_free(ctx);
    return 2;
  }
  SSL *ssl = SSL_new(ctx);
  int ok = ssl != NULL && SSL_set_fd(ssl, fd);
  if (ok && !server) /* the name verified (SSL_set1_host) and sent (server_name, RFC 6066 3) */
    ok = SSL_set1_host(ssl, argv[4]) && SSL_set_tlsext_host_name(ssl, argv[4]);
  int rc = 2;
  if (ok) {
    int ret = server ? SSL_accept(ssl) : SSL_connect(ssl);
    if (ret == 1) {
      fprintf(stderr, "handshake done: %s %s\n", SSL_get_version(ssl),
              SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
      echo(ssl);
      rc = 0;
    } else {
      fprintf(stderr, "handshake failed (SSL_get_error %d)\n", SSL_get_error(ssl, ret));
      ERR_print_errors_fp(stderr);
      rc = 1;
    }
  } else {
    ERR_print_errors_fp(stderr);
  }
  SSL_free(ssl);
  close(fd);
  SSL_CTX_free(ctx);
  return rc;
}
