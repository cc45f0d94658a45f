/* mbedtls_minimal: the smallest Mbed TLS 2.28 server and client, for showing a baselined
 * deviation without our adapter (the replay: commands of vectors/baselines/mbedtls/). It does
 * what the library's example programs do with their defaults (programs/ssl/ssl_server2.c and
 * ssl_client2.c with no options), and nothing more: mbedtls_ssl_config_defaults, a certificate
 * and key or a CA and a name, a session cache and tickets on the server, one TCP connection on
 * 127.0.0.1 (mbedtls_net_*), the handshake, then an echo until the peer closes.
 *
 *   mbedtls_minimal server PORT CERT KEY [--groups LIST] [--client-ca CA]
 *   mbedtls_minimal client PORT CA NAME  [--groups LIST]
 *
 * Two options, each one documented call, for scenarios that configure their target so:
 * --groups (mbedtls_ssl_conf_curves, the library's curve names: secp256r1,x25519) and, on a
 * server, --client-ca (mbedtls_ssl_conf_authmode VERIFY_REQUIRED with that CA chain).
 *
 * The library's error (mbedtls_strerror) goes to stderr. Exit 0 after a handshake, 1 after a
 * failed one, 2 on bad usage or setup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_ticket.h>

static int usage(void) {
  fprintf(stderr, "usage: mbedtls_minimal server PORT CERT KEY [--groups LIST] [--client-ca CA]\n"
                  "       mbedtls_minimal client PORT CA NAME [--groups LIST]\n");
  return 2;
}

/* --groups: the library's curve names, comma-separated, into a MBEDTLS_ECP_DP_NONE-ended list. */
static int parse_groups(char *list, mbedtls_ecp_group_id *ids, size_t cap) {
  size_t n = 0;
  for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
    const mbedtls_ecp_curve_info *ci = mbedtls_ecp_curve_info_from_name(name);
    if (ci == NULL || n + 1 >= cap)
      return -1;
    ids[n++] = ci->grp_id;
  }
  ids[n] = MBEDTLS_ECP_DP_NONE;
  return n > 0 ? 0 : -1;
}

static void report(const char *what, int ret) {
  char e[200];
  mbedtls_strerror(ret, e, sizeof e);
  fprintf(stderr, "%s: %s (-0x%04x)\n", what, e, (unsigned)-ret);
}

/* Echoes what it reads until the peer closes (close_notify, EOF) or an error. */
static void echo(mbedtls_ssl_context *ssl) {
  unsigned char buf[16384];
  int n;
  while ((n = mbedtls_ssl_read(ssl, buf, sizeof buf)) > 0)
    if (mbedtls_ssl_write(ssl, buf, (size_t)n) != n)
      return;
  if (n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
    mbedtls_ssl_close_notify(ssl); /* our close_notify in answer */
  else if (n < 0)
    report("mbedtls_ssl_read", n);
}

int main(int argc, char **argv) {
  if (argc < 5)
    return usage();
  int server = strcmp(argv[1], "server") == 0;
  if ((!server && strcmp(argv[1], "client") != 0) || atoi(argv[2]) <= 0)
    return usage();
  mbedtls_ecp_group_id groups[16];
  int has_groups = 0;
  const char *client_ca = NULL;
  for (int i = 5; i < argc; i += 2) {
    if (i + 1 < argc && strcmp(argv[i], "--groups") == 0 &&
        parse_groups(argv[i + 1], groups, sizeof groups / sizeof groups[0]) == 0)
      has_groups = 1;
    else if (i + 1 < argc && server && strcmp(argv[i], "--client-ca") == 0)
      client_ca = argv[i + 1];
    else
      return usage();
  }
  mbedtls_net_context listen_fd, fd;
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_ssl_config conf;
  mbedtls_ssl_context ssl;
  mbedtls_x509_crt crt, ca;
  mbedtls_pk_context key;
  mbedtls_ssl_cache_context cache;
  mbedtls_ssl_ticket_context tickets;
  mbedtls_net_init(&listen_fd);
  mbedtls_net_init(&fd);
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  mbedtls_ssl_config_init(&conf);
  mbedtls_ssl_init(&ssl);
  mbedtls_x509_crt_init(&crt);
  mbedtls_x509_crt_init(&ca);
  mbedtls_pk_init(&key);
  mbedtls_ssl_cache_init(&cache);
  mbedtls_ssl_ticket_init(&tickets);

  int rc = 2, ret;
  const char *step = "setup";
  if ((ret = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, NULL, 0)) != 0 ||
      (ret = mbedtls_ssl_config_defaults(
           &conf, server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
           MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) != 0 ||
      (ret = mbedtls_x509_crt_parse_file(&crt, argv[3])) != 0)
    goto done;
  mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
  if (server) {
    if ((ret = mbedtls_pk_parse_keyfile(&key, argv[4], NULL)) != 0 ||
        (ret = mbedtls_ssl_conf_own_cert(&conf, &crt, &key)) != 0 ||
        (ret = mbedtls_ssl_ticket_setup(&tickets, mbedtls_ctr_drbg_random, &drbg,
                                        MBEDTLS_CIPHER_AES_256_GCM, 86400)) != 0)
      goto done;
    mbedtls_ssl_conf_session_cache(&conf, &cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
    mbedtls_ssl_conf_session_tickets_cb(&conf, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                        &tickets);
    if (client_ca) {
      if ((ret = mbedtls_x509_crt_parse_file(&ca, client_ca)) != 0)
        goto done;
      mbedtls_ssl_conf_ca_chain(&conf, &ca, NULL);
      mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    }
  } else {
    mbedtls_ssl_conf_ca_chain(&conf, &crt, NULL); /* the client default: VERIFY_REQUIRED */
  }
  if (has_groups)
    mbedtls_ssl_conf_curves(&conf, groups);
  if ((ret = mbedtls_ssl_setup(&ssl, &conf)) != 0 ||
      (!server && (ret = mbedtls_ssl_set_hostname(&ssl, argv[4])) != 0))
    goto done;
  step = server ? "accept on 127.0.0.1" : "connect to 127.0.0.1";
  ret = server ? mbedtls_net_bind(&listen_fd, "127.0.0.1", argv[2], MBEDTLS_NET_PROTO_TCP)
               : mbedtls_net_connect(&fd, "127.0.0.1", argv[2], MBEDTLS_NET_PROTO_TCP);
  if (ret == 0 && server)
    ret = mbedtls_net_accept(&listen_fd, &fd, NULL, 0, NULL);
  if (ret != 0)
    goto done;
  mbedtls_ssl_set_bio(&ssl, &fd, mbedtls_net_send, mbedtls_net_recv, NULL);
  step = "mbedtls_ssl_handshake";
  rc = 1;
  if ((ret = mbedtls_ssl_handshake(&ssl)) == 0) {
    fprintf(stderr, "handshake done: %s %s\n", mbedtls_ssl_get_version(&ssl),
            mbedtls_ssl_get_ciphersuite(&ssl));
    echo(&ssl);
    rc = 0;
  } else if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
    char v[512];
    mbedtls_x509_crt_verify_info(v, sizeof v, "  ! ", mbedtls_ssl_get_verify_result(&ssl));
    fprintf(stderr, "certificate verification failed:\n%s", v);
  }
done:
  if (ret != 0)
    report(step, ret);
  mbedtls_ssl_ticket_free(&tickets);
  mbedtls_ssl_cache_free(&cache);
  mbedtls_pk_free(&key);
  mbedtls_x509_crt_free(&ca);
  mbedtls_x509_crt_free(&crt);
  mbedtls_ssl_free(&ssl);
  mbedtls_ssl_config_free(&conf);
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
  mbedtls_net_free(&fd);
  mbedtls_net_free(&listen_fd);
  return rc;
}
