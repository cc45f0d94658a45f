/* tg-peer-openssl / tg-peer-boringssl --verify: the library's own X.509 path validation of one
 * chain (X509_verify_cert with an X509_STORE of the trust anchors, the intermediates as the
 * untrusted stack, and X509_VERIFY_PARAM time, host and purpose), for
 * `tlsgauntlet verify --peer openssl|boringssl`. The same source serves both libraries: the
 * calls used here have one spelling in OpenSSL 3 and BoringSSL.
 *
 * A source of tg-peer-openssl and tg-peer-boringssl (CMakeLists.txt): the files and the verdict
 * line; how the library is asked is x509_check_sslapi.c's, shared with fuzz_x509_diff. */
#include <jansson.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peer_common.h"
#include "x509_check_sslapi.h"

int verify_sslapi_run(const peer_opts *o, const char *impl, const char *version);

/* Pushes the certificates of path (PEM; or one DER when der_ok) onto certs. Returns 0, -1 on a
 * file that cannot be read or holds no certificate (bad input), -2 on certificate bytes the
 * library rejects (a verdict: malformed). */
static int vs_load(const char *path, int der_ok, STACK_OF(X509) * certs, char *msg, size_t msglen) {
  size_t len;
  uint8_t *buf = peer_load_file(path, &len, msg, msglen);
  if (buf == NULL)
    return -1;
  int is_pem = 0, rc = 0;
  for (size_t i = 0; i + 11 <= len && !is_pem; i++)
    is_pem = memcmp(buf + i, "-----BEGIN ", 11) == 0;
  if (is_pem) {
    BIO *bio = BIO_new_mem_buf(buf, (int)len);
    size_t before = (size_t)sk_X509_num(certs);
    X509 *x;
    while (bio != NULL && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
      sk_X509_push(certs, x);
    /* PEM_read_bio_X509 ends with PEM_R_NO_START_LINE at the end of the file; any other error
     * is a block that does not decode. */
    unsigned long e = ERR_peek_last_error();
    if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE &&
        (size_t)sk_X509_num(certs) > before)
      rc = 0;
    else
      rc = -2;
    ERR_clear_error();
    BIO_free(bio);
  } else if (der_ok && len > 0 && buf[0] == 0x30) {
    const uint8_t *p = buf;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    rc = x != NULL ? 0 : -2;
    if (x != NULL)
      sk_X509_push(certs, x);
  } else
    rc = -1;
  free(buf);
  if (rc != 0)
    snprintf(msg, msglen, "%s: %s", path,
             rc == -1 ? "not a certificate (neither PEM nor DER)" : "certificate does not parse");
  return rc;
}

static int vs_check(const peer_opts *o, const char *impl, const char *version, X509 *leaf,
                    STACK_OF(X509) * untrusted, STACK_OF(X509) * anchors) {
  x509_check_in in = peer_check_in(o);
  x509_check_out out;
  x509_check_sslapi(leaf, untrusted, anchors, &in, &out);
  if (!out.done) {
    fprintf(stderr, "tg-peer-%s: %s\n", impl, out.detail);
    return PEER_EXIT_USAGE;
  }
  peer_verify_print(impl, version, out.valid ? "valid" : "invalid", out.reason,
                    out.valid ? NULL : out.detail, out.flags);
  return out.valid ? PEER_EXIT_ESTABLISHED : PEER_EXIT_FAILED;
}

int verify_sslapi_run(const peer_opts *o, const char *impl, const char *version) {
  STACK_OF(X509) *chain = sk_X509_new_null(), *anchors = sk_X509_new_null();
  char msg[512];
  int rc = chain && anchors ? 0 : -1;
  if (rc == 0)
    rc = vs_load(o->verify_leaf, 1, chain, msg, sizeof msg);
  for (size_t i = 0; rc == 0 && i < o->n_untrusted; i++)
    rc = vs_load(o->untrusted[i], 0, chain, msg, sizeof msg);
  if (rc == 0)
    rc = vs_load(o->trust, 0, anchors, msg, sizeof msg);
  int exit_code;
  if (rc == 0) {
    /* The leaf is the first certificate; everything after it is offered as untrusted. */
    X509 *leaf = sk_X509_shift(chain);
    exit_code = vs_check(o, impl, version, leaf, chain, anchors);
    X509_free(leaf);
  } else if (rc == -2) {
    /* A certificate that does not parse, wherever it is (peers/README.md --verify). */
    peer_verify_print(impl, version, "invalid", "malformed", msg, NULL);
    exit_code = PEER_EXIT_FAILED;
  } else {
    fprintf(stderr, "tg-peer-%s: %s\n", impl, chain && anchors ? msg : "out of memory");
    exit_code = PEER_EXIT_USAGE;
  }
  sk_X509_pop_free(chain, X509_free);
  sk_X509_pop_free(anchors, X509_free);
  return exit_code;
}
