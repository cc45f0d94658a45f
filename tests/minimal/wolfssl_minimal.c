/* wolfssl_minimal: the smallest wolfSSL server and client, for showing a baselined deviation
 * without our adapter (the replay: commands of vectors/baselines/wolfssl/). Debian ships no
 * wolfSSL tool, so this does what wolfSSL's manual (chapter 3, "Getting started") and its example
 * client and server do, and nothing more: wolfSSLv23_server_method / wolfSSLv23_client_method
 * with the library's defaults, a certificate and key or a CA and a name, one TCP connection on
 * 127.0.0.1, the handshake, then an echo until the peer closes.
 *
 *   wolfssl_minimal server PORT CERT KEY [--tls13|--tls12] [OPTION...]
 *   wolfssl_minimal client PORT CA NAME  [--tls13|--tls12] [OPTION...]
 *
 * The client verifies the server (WOLFSSL_VERIFY_PEER: Debian builds wolfSSL with
 * OPENSSL_COMPATIBLE_DEFAULTS, whose default is not to verify). Options, one documented call
 * each, for scenarios whose target is configured so:
 *   --client-ca CA     (server) require a client certificate issued by CA: WOLFSSL_VERIFY_PEER |
 *                      WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT
 *   --cipher-list L    wolfSSL_CTX_set_cipher_list(ctx, L), wolfSSL's suite names
 *   --groups G[,G]     wolfSSL_CTX_set_groups: secp256r1, secp384r1, secp521r1, x25519, x448
 * The library's error and the alerts of its alert history go to stderr. Exit 0 after a
 * handshake, 1 after a failed one, 2 on bad usage or setup. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "minimal_tcp.h"

#include <wolfssl/options.h> /* first: how the library was built */

#include <wolfssl/ssl.h>

static int usage(void) {
  fprintf(stderr, "usage: wolfssl_minimal server PORT CERT KEY [--tls13|--tls12] [OPTION...]\n"
                  "       wolfssl_minimal client PORT CA NAME [--tls13|--tls12] [OPTION...]\n"
                  "options: --client-ca CA (server), --cipher-list LIST, --groups G[,G...]\n");
  return 2;
}

/* --groups: wolfSSL's group values of a comma-separated list of names; the count, -1 if unknown. */
static int groups_of(char *list, int *groups, int cap) {
  static const struct {
    const char *name;
    int value;
  } known[] = {{"secp256r1", WOLFSSL_ECC_SECP256R1},
               {"secp384r1", WOLFSSL_ECC_SECP384R1},
               {"secp521r1", WOLFSSL_ECC_SECP521R1},
               {"x25519", WOLFSSL_ECC_X25519},
               {"x448", WOLFSSL_ECC_X448}};
  int n = 0;
  for (char *g = strtok(list, ","); g != NULL; g = strtok(NULL, ",")) {
    int v = -1;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
      if (strcmp(g, known[i].name) == 0)
        v = known[i].value;
    if (v < 0 || n == cap)
      return -1;
    groups[n++] = v;
  }
  return n;
}

/* The method of the role and the version flag: the version-specific methods of the manual. */
static WOLFSSL_METHOD *method_of(int server, const char *flag, int *ok) {
  *ok = 1;
  if (flag == NULL)
    return server ? wolfSSLv23_server_method() : wolfSSLv23_client_method();
  if (strcmp(flag, "--tls13") == 0)
    return server ? wolfTLSv1_3_server_method() : wolfTLSv1_3_client_method();
  if (strcmp(flag, "--tls12") == 0)
    return server ? wolfTLSv1_2_server_method() : wolfTLSv1_2_client_method();
  *ok = 0;
  return NULL;
}

static void print_error(WOLFSSL *ssl, int ret) {
  char text[WOLFSSL_MAX_ERROR_SZ];
  int err = wolfSSL_get_error(ssl, ret);
  WOLFSSL_ALERT_HISTORY h;
  fprintf(stderr, "error %d: %s\n", err, wolfSSL_ERR_error_string((unsigned long)err, text));
  if (wolfSSL_get_alert_history(ssl, &h) == WOLFSSL_SUCCESS)
    fprintf(stderr, "last alert sent: level %d code %d; received: level %d code %d\n",
            h.last_tx.level, h.last_tx.code, h.last_rx.level, h.last_rx.code);
}

/* Echoes what it reads until the peer closes (close_notify, EOF) or an error. */
static void echo(WOLFSSL *ssl) {
  char buf[16384];
  int n;
  while ((n = wolfSSL_read(ssl, buf, sizeof buf)) > 0)
    if (wolfSSL_write(ssl, buf, n) != n)
      return;
  if (wolfSSL_get_error(ssl, n) == WOLFSSL_ERROR_ZERO_RETURN)
    wolfSSL_shutdown(ssl); /* our close_notify in answer */
  else
    print_error(ssl, n);
}

/* The flags after the four positional arguments. */
typedef struct options {
  const char *version, *client_ca, *cipher_list;
  int groups[8], n_groups;
} options;

static int parse_options(int server, int argc, char **argv, options *o) {
  for (int i = 5; i < argc; i++) {
    if (server && strcmp(argv[i], "--client-ca") == 0 && i + 1 < argc)
      o->client_ca = argv[++i];
    else if (strcmp(argv[i], "--cipher-list") == 0 && i + 1 < argc)
      o->cipher_list = argv[++i];
    else if (strcmp(argv[i], "--groups") == 0 && i + 1 < argc) {
      if ((o->n_groups = groups_of(argv[++i], o->groups, 8)) <= 0)
        return 0;
    } else if (o->version == NULL && strncmp(argv[i], "--tls1", 6) == 0)
      o->version = argv[i];
    else
      return 0;
  }
  return 1;
}

/* Server: the chain and its key. Client: the CA, and the server verified (WOLFSSL_VERIFY_PEER).
 * Then the options' calls. NULL on failure. */
static WOLFSSL_CTX *configure(WOLFSSL_METHOD *method, int server, char **argv, const options *o) {
  WOLFSSL_CTX *ctx = wolfSSL_CTX_new(method);
  int ok = ctx != NULL &&
           (server ? wolfSSL_CTX_use_certificate_chain_file(ctx, argv[3]) == WOLFSSL_SUCCESS &&
                         wolfSSL_CTX_use_PrivateKey_file(ctx, argv[4], WOLFSSL_FILETYPE_PEM) ==
                             WOLFSSL_SUCCESS
                   : wolfSSL_CTX_load_verify_locations(ctx, argv[3], NULL) == WOLFSSL_SUCCESS);
  if (ok && !server)
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);
  if (ok && o->cipher_list)
    ok = wolfSSL_CTX_set_cipher_list(ctx, o->cipher_list) == WOLFSSL_SUCCESS;
  if (ok && o->n_groups)
    ok = wolfSSL_CTX_set_groups(ctx, (int *)o->groups, o->n_groups) == WOLFSSL_SUCCESS;
  if (ok && o->client_ca) {
    ok = wolfSSL_CTX_load_verify_locations(ctx, o->client_ca, NULL) == WOLFSSL_SUCCESS;
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
  }
  if (!ok) {
    wolfSSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

int main(int argc, char **argv) {
  options o = {0};
  if (argc < 5 || argc > 12)
    return usage();
  int server = strcmp(argv[1], "server") == 0, ok;
  if (!server && strcmp(argv[1], "client") != 0)
    return usage();
  int port = atoi(argv[2]);
  WOLFSSL_METHOD *method =
      parse_options(server, argc, argv, &o) ? method_of(server, o.version, &ok) : NULL;
  if (port <= 0 || port > 65535 || method == NULL)
    return usage();
  signal(SIGPIPE, SIG_IGN);
  wolfSSL_Init();
  WOLFSSL_CTX *ctx = configure(method, server, argv, &o);
  int fd = ctx ? tcp_open(server, port) : -1;
  if (fd < 0) {
    fprintf(stderr, ctx ? "no TCP connection on 127.0.0.1:%d\n" : "setup failed\n", port);
    wolfSSL_CTX_free(ctx);
    return 2;
  }
  WOLFSSL *ssl = wolfSSL_new(ctx);
  ok = ssl != NULL && wolfSSL_set_fd(ssl, fd) == WOLFSSL_SUCCESS;
  if (ok && !server) /* the name verified and sent (server_name, RFC 6066 3) */
    ok = wolfSSL_check_domain_name(ssl, argv[4]) == WOLFSSL_SUCCESS &&
         wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, argv[4], (unsigned short)strlen(argv[4])) ==
             WOLFSSL_SUCCESS;
  int rc = 2;
  if (ok) {
    int ret = wolfSSL_negotiate(ssl);
    if (ret == WOLFSSL_SUCCESS) {
      fprintf(stderr, "handshake done: %s %s\n", wolfSSL_get_version(ssl),
              wolfSSL_get_cipher_name(ssl));
      echo(ssl);
      rc = 0;
    } else {
      print_error(ssl, ret);
      rc = 1;
    }
  }
  wolfSSL_free(ssl);
  close(fd);
  wolfSSL_CTX_free(ctx);
  wolfSSL_Cleanup();
  return rc;
}
