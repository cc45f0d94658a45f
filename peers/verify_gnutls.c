/* tg-peer-gnutls --verify: GnuTLS's own X.509 path validation of one chain, for
 * `tlsgauntlet verify --peer gnutls`: the files and the verdict line here; how the library is
 * asked (gnutls_x509_trust_list_verify_crt2 with the host name and the key purpose as typed data,
 * the time, the profile) is x509_check_gnutls.c's, shared with fuzz_x509_diff. */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peer_common.h"
#include "x509_check_gnutls.h"

int verify_gnutls_run(const peer_opts *o);

#define VG_MAX_CERTS 64

/* Appends the certificates of path (PEM, or one DER when der_ok) to list. */
static int vg_load(const char *path, int der_ok, gnutls_x509_crt_t *list, unsigned *n,
                   int *malformed, char *msg, size_t msglen) {
  gnutls_datum_t d;
  int rc = gnutls_load_file(path, &d);
  if (rc < 0) {
    snprintf(msg, msglen, "%s: %s", path, gnutls_strerror(rc));
    return -1;
  }
  unsigned max = VG_MAX_CERTS - *n;
  int is_pem = 0;
  for (size_t i = 0; i + 11 <= d.size && !is_pem; i++)
    is_pem = memcmp(d.data + i, "-----BEGIN ", 11) == 0;
  if (is_pem)
    rc = gnutls_x509_crt_list_import(list + *n, &max, &d, GNUTLS_X509_FMT_PEM, 0);
  else if (der_ok && d.size > 0 && d.data[0] == 0x30) {
    rc = gnutls_x509_crt_init(&list[*n]);
    if (rc >= 0 && (rc = gnutls_x509_crt_import(list[*n], &d, GNUTLS_X509_FMT_DER)) < 0)
      gnutls_x509_crt_deinit(list[*n]);
    max = 1;
  } else
    rc = GNUTLS_E_BASE64_DECODING_ERROR;
  gnutls_free(d.data);
  if (rc < 0) {
    /* Bytes that look like a certificate but do not parse are a verdict (malformed). */
    *malformed = is_pem || der_ok;
    snprintf(msg, msglen, "%s: %s", path, gnutls_strerror(rc));
    return -1;
  }
  *n += max;
  return 0;
}

static int vg_check(const peer_opts *o, gnutls_x509_crt_t *chain, unsigned n) {
  const char *version = gnutls_check_version(NULL);
  gnutls_x509_trust_list_t tl;
  if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
    fprintf(stderr, "tg-peer-gnutls: gnutls_x509_trust_list_init failed\n");
    return PEER_EXIT_USAGE;
  }
  int rc = gnutls_x509_trust_list_add_trust_file(tl, o->trust, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
  if (rc < 0 && rc != GNUTLS_E_FILE_ERROR) {
    /* A trust certificate that does not parse is a verdict (peers/README.md --verify). */
    char msg[512];
    snprintf(msg, sizeof msg, "%s: %s", o->trust, gnutls_strerror(rc));
    peer_verify_print("gnutls", version, "invalid", "malformed", msg, NULL);
    gnutls_x509_trust_list_deinit(tl, 1);
    return PEER_EXIT_FAILED;
  }
  if (rc <= 0) {
    fprintf(stderr, "tg-peer-gnutls: --trust %s: %s\n", o->trust,
            rc == 0 ? "no certificates" : gnutls_strerror(rc));
    gnutls_x509_trust_list_deinit(tl, 1);
    return PEER_EXIT_USAGE;
  }
  x509_check_in in = peer_check_in(o);
  x509_check_out out;
  x509_check_gnutls(chain, n, tl, &in, &out);
  gnutls_x509_trust_list_deinit(tl, 1);
  peer_verify_print("gnutls", version, out.valid ? "valid" : "invalid", out.reason,
                    out.valid ? NULL : out.detail, out.flags);
  return out.valid ? PEER_EXIT_ESTABLISHED : PEER_EXIT_FAILED;
}

int verify_gnutls_run(const peer_opts *o) {
  gnutls_x509_crt_t chain[VG_MAX_CERTS];
  unsigned n = 0;
  char msg[512];
  int malformed = 0;
  /* The leaf file may carry intermediates after the leaf, as `tlsgauntlet verify` allows. */
  int rc = vg_load(o->verify_leaf, 1, chain, &n, &malformed, msg, sizeof msg);
  for (size_t i = 0; rc == 0 && i < o->n_untrusted; i++)
    rc = vg_load(o->untrusted[i], 0, chain, &n, &malformed, msg, sizeof msg);
  int exit_code;
  if (rc == 0)
    exit_code = vg_check(o, chain, n);
  else if (malformed) {
    peer_verify_print("gnutls", gnutls_check_version(NULL), "invalid", "malformed", msg, NULL);
    exit_code = PEER_EXIT_FAILED;
  } else {
    fprintf(stderr, "tg-peer-gnutls: %s\n", msg);
    exit_code = PEER_EXIT_USAGE;
  }
  for (unsigned i = 0; i < n; i++)
    gnutls_x509_crt_deinit(chain[i]);
  return exit_code;
}
