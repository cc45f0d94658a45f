/* tg-peer-wolfssl --verify: wolfSSL's own X.509 path validation of one chain, for
 * `tlsgauntlet verify --peer wolfssl` (peers/README.md "Verify mode"; the output line is that of
 * verify_sslapi.c).
 *
 * wolfSSL validates a chain in its certificate manager the way its TLS code treats a peer's
 * Certificate message: the trust anchors are loaded as CAs (wolfSSL_CertManagerLoadCABuffer),
 * each intermediate is verified (wolfSSL_CertManagerVerifyBuffer) and, once it verifies, loaded
 * as a CA itself, which refuses one that is not a CA (NOT_CA_ERROR); then the leaf is verified.
 * This build has WOLFSSL_ALT_CERT_CHAINS, so an intermediate that leads nowhere is skipped rather
 * than fatal; the intermediates are tried until none more verifies, in any order. The time is
 * wolfCrypt's clock hook (wc_SetTimeCb). The name: wolfSSL_X509_check_host /
 * wolfSSL_X509_check_ip_asc, with a leaf without subjectAltName names refused as the adapter
 * does (RFC 9525 6.3: no CN fallback). The purpose: the extKeyUsage test wolfSSL's TLS code makes
 * on a peer's leaf (ProcessPeerCerts: serverAuth, clientAuth or anyExtendedKeyUsage, when the
 * extension is there), by wolfSSL_X509_get_extended_key_usage. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>

#include "peer_common.h"

#define MAX_CHAIN (1 + 8 * PEER_MAX_UNTRUSTED) /* certificates of the leaf file and --untrusted */

int verify_wolfssl_run(const peer_opts *o, const char *impl, const char *version);
const char *x509_reason_wolfssl(int err); /* x509_reason_wolfssl.c */

typedef struct der {
  uint8_t *p;
  int len;
} der;

static void vw_print(const char *impl, const char *version, const char *verdict,
                     const char *reason, const char *error) {
  json_t *j = json_object();
  json_object_set_new(j, "implementation", json_string(impl));
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

static time_t verify_time;
static time_t fixed_time(time_t *t) {
  if (t)
    *t = verify_time;
  return verify_time;
}

/* The certificates of path, as DER: every CERTIFICATE block of a PEM file (wc_CertPemToDer), or
 * one DER certificate when der_ok. 0, -1 for a file that is neither (bad input), -2 for a block
 * that does not decode (a verdict: malformed). */
static int vw_load(const char *path, bool der_ok, der *out, size_t *n, char *msg, size_t msglen) {
  size_t len;
  uint8_t *buf = peer_load_file(path, &len, msg, msglen);
  if (buf == NULL)
    return -1;
  static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
  int rc = 0;
  size_t found = 0;
  for (char *p = strstr((char *)buf, begin); rc == 0 && p != NULL; p = strstr(p, begin)) {
    char *e = strstr(p, end);
    if (e == NULL || *n == MAX_CHAIN) {
      rc = e == NULL ? -2 : -1;
      break;
    }
    e += sizeof end - 1;
    der d = {malloc((size_t)(e - p)), 0};
    d.len = d.p ? wc_CertPemToDer((const unsigned char *)p, (int)(e - p), d.p, (int)(e - p),
                                  CERT_TYPE)
                : -1;
    if (d.len <= 0) {
      free(d.p);
      rc = -2;
    } else {
      out[(*n)++] = d;
      found++;
    }
    p = e;
  }
  if (rc == 0 && found == 0) {
    if (der_ok && len > 0 && buf[0] == 0x30 && *n < MAX_CHAIN && len < INT32_MAX) {
      out[(*n)++] = (der){buf, (int)len};
      return 0;
    }
    rc = -1;
  }
  free(buf);
  if (rc != 0)
    snprintf(msg, msglen, "%s: %s", path,
             rc == -1 ? "not a certificate (neither PEM nor DER)" : "certificate does not parse");
  return rc;
}

/* The leaf's name and purpose once its path is valid: 0 or a wolfSSL error. */
static int vw_leaf_checks(const peer_opts *o, const der *leaf) {
  const unsigned char *p = leaf->p;
  WOLFSSL_X509 *x = wolfSSL_d2i_X509(NULL, &p, leaf->len);
  if (x == NULL)
    return ASN_PARSE_E;
  int rc = 0;
  const char *name = o->verify_name;
  if (name && strspn(name, "0123456789.:abcdefABCDEF") == strlen(name) && strpbrk(name, ".:")) {
    if (wolfSSL_X509_check_ip_asc(x, name, 0) != WOLFSSL_SUCCESS)
      rc = IPADDR_MISMATCH;
  } else if (name && (wolfSSL_X509_get_next_altname(x) == NULL ||
                      wolfSSL_X509_check_host(x, name, strlen(name), 0, NULL) != WOLFSSL_SUCCESS)) {
    rc = DOMAIN_NAME_MISMATCH;
  }
  unsigned eku = wolfSSL_X509_get_extended_key_usage(x);
  unsigned want = o->purpose_client ? EXTKEYUSE_CLIENT_AUTH : EXTKEYUSE_SERVER_AUTH;
  if (rc == 0 && eku != 0 && (eku & (want | EXTKEYUSE_ANY)) == 0)
    rc = EXTKEYUSE_AUTH_E;
  wolfSSL_X509_free(x);
  return rc;
}

/* The chain's verdict: 0 (valid) or the wolfSSL error that decides it. */
static int vw_check(const peer_opts *o, WOLFSSL_CERT_MANAGER *cm, der *chain, size_t n,
                    const uint8_t *trust, size_t trust_len) {
  int rc = wolfSSL_CertManagerLoadCABuffer(cm, trust, (long)trust_len, WOLFSSL_FILETYPE_PEM);
  if (rc != WOLFSSL_SUCCESS)
    return rc;
  bool loaded[MAX_CHAIN] = {false}, progress = true;
  int intermediate_err = 0;
  while (progress) {
    progress = false;
    for (size_t i = 1; i < n; i++) {
      if (loaded[i])
        continue;
      rc = wolfSSL_CertManagerVerifyBuffer(cm, chain[i].p, chain[i].len, WOLFSSL_FILETYPE_ASN1);
      if (rc == WOLFSSL_SUCCESS)
        rc = wolfSSL_CertManagerLoadCABuffer(cm, chain[i].p, chain[i].len, WOLFSSL_FILETYPE_ASN1);
      if (rc == WOLFSSL_SUCCESS)
        loaded[i] = progress = true;
      else if (rc != ASN_NO_SIGNER_E && intermediate_err == 0)
        intermediate_err = rc;
    }
  }
  rc = wolfSSL_CertManagerVerifyBuffer(cm, chain[0].p, chain[0].len, WOLFSSL_FILETYPE_ASN1);
  if (rc == ASN_NO_SIGNER_E && intermediate_err != 0)
    return intermediate_err; /* the path broke at an intermediate: its error says why */
  if (rc != WOLFSSL_SUCCESS)
    return rc;
  (void)o;
  return vw_leaf_checks(o, &chain[0]);
}

int verify_wolfssl_run(const peer_opts *o, const char *impl, const char *version) {
  der chain[MAX_CHAIN];
  size_t n = 0;
  char msg[512];
  int rc = vw_load(o->verify_leaf, true, chain, &n, msg, sizeof msg);
  int leaf_rc = rc;
  for (size_t i = 0; rc == 0 && i < o->n_untrusted; i++)
    rc = vw_load(o->untrusted[i], false, chain, &n, msg, sizeof msg);
  size_t trust_len = 0;
  uint8_t *trust = rc == 0 ? peer_load_file(o->trust, &trust_len, msg, sizeof msg) : NULL;
  int exit_code;
  if (trust != NULL && wolfSSL_Init() == WOLFSSL_SUCCESS) {
    verify_time = o->has_time ? (time_t)o->verify_time : time(NULL);
    wc_SetTimeCb(fixed_time);
    WOLFSSL_CERT_MANAGER *cm = wolfSSL_CertManagerNew();
    int err = cm ? vw_check(o, cm, chain, n, trust, trust_len) : MEMORY_E;
    wolfSSL_CertManagerFree(cm);
    if (err == 0) {
      vw_print(impl, version, "valid", NULL, NULL);
      exit_code = PEER_EXIT_ESTABLISHED;
    } else {
      char text[200];
      wolfSSL_ERR_error_string_n((unsigned long)err, text, sizeof text);
      snprintf(msg, sizeof msg, "%s (wolfSSL error %d)", text, err);
      vw_print(impl, version, "invalid", x509_reason_wolfssl(err), msg);
      exit_code = PEER_EXIT_FAILED;
    }
    wolfSSL_Cleanup();
  } else if (leaf_rc == -2) {
    vw_print(impl, version, "invalid", "malformed", msg);
    exit_code = PEER_EXIT_FAILED;
  } else {
    fprintf(stderr, "tg-peer-%s: %s\n", impl, msg);
    exit_code = PEER_EXIT_USAGE;
  }
  free(trust);
  for (size_t i = 0; i < n; i++)
    free(chain[i].p);
  return exit_code;
}
