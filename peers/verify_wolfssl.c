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
 * does (RFC 9525 6.3: no CN fallback); wolfSSL 5.5.4 makes no WOLFSSL_X509 of an Ed25519 leaf,
 * and such a chain with a name exits 3. The purpose: the extKeyUsage test wolfSSL's TLS code
 * makes on a peer's leaf (serverAuth, clientAuth or anyExtendedKeyUsage, when the extension is
 * there), on wolfCrypt's parse of the leaf (wc_ParseCert). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wolfssl/options.h> /* first: how the library was built */

#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>

#include "peer_common.h"

#define MAX_CHAIN (1 + 8 * PEER_MAX_UNTRUSTED) /* certificates of the leaf file and --untrusted */
/* vw_leaf_checks: wolfSSL makes no WOLFSSL_X509 of the leaf, which its name and extKeyUsage
 * accessors need (5.5.4 makes none of an Ed25519 or Ed448 certificate, which its certificate
 * manager verifies): the chain cannot be judged, exit 3. */
#define NO_X509_OBJECT 1

int verify_wolfssl_run(const peer_opts *o, const char *impl, const char *version);
const char *x509_reason_wolfssl(int err); /* x509_reason_wolfssl.c */

typedef struct der {
  uint8_t *p;
  int len;
} der;
int wolfssl_read_certs(const char *path, bool der_ok, uint8_t **der, int *len, size_t cap,
                       size_t *n, char *msg, size_t msglen);
bool wolfssl_cert_facts(const uint8_t *der, int len, uint8_t *key, int *key_len, bool *named);

static time_t verify_time;
static time_t fixed_time(time_t *t) {
  if (t)
    *t = verify_time;
  return verify_time;
}

/* The certificates of path, as DER: every CERTIFICATE block of a PEM file (wc_CertPemToDer), or
 * one DER certificate when der_ok; appended to der/len (malloc'ed), at most cap in all. 0, -1 for
 * a file that is neither (bad input), -2 for a block that does not decode (a verdict:
 * malformed). Also tg-peer-wolfssl's reader of --trust-key files. */
int wolfssl_read_certs(const char *path, bool der_ok, uint8_t **der, int *len, size_t cap,
                       size_t *n, char *msg, size_t msglen) {
  size_t size;
  uint8_t *buf = peer_load_file(path, &size, msg, msglen);
  if (buf == NULL)
    return -1;
  static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
  int rc = 0;
  size_t found = 0;
  for (char *p = strstr((char *)buf, begin); rc == 0 && p != NULL; p = strstr(p, begin)) {
    char *e = strstr(p, end);
    if (e == NULL || *n == cap) {
      rc = e == NULL ? -2 : -1;
      break;
    }
    e += sizeof end - 1;
    uint8_t *d = malloc((size_t)(e - p));
    int dlen =
        d ? wc_CertPemToDer((const unsigned char *)p, (int)(e - p), d, (int)(e - p), CERT_TYPE)
          : -1;
    if (dlen <= 0) {
      free(d);
      rc = -2;
    } else {
      der[*n] = d;
      len[(*n)++] = dlen;
      found++;
    }
    p = e;
  }
  if (rc == 0 && found == 0) {
    if (der_ok && size > 0 && buf[0] == 0x30 && *n < cap && size < INT32_MAX) {
      der[*n] = buf;
      len[(*n)++] = (int)size;
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

/* What wolfCrypt's certificate parser (wc_ParseCert, signature not checked) reads of one
 * certificate: its public key as keyOID then the key bytes (in *key, *key_len bytes at most on
 * entry), and whether subjectAltName holds a dNSName or iPAddress. The WOLFSSL_X509 accessors
 * would do, but 5.5.4 makes no WOLFSSL_X509 of an Ed25519 certificate. */
bool wolfssl_cert_facts(const uint8_t *der, int len, uint8_t *key, int *key_len, bool *named) {
  DecodedCert d;
  wc_InitDecodedCert(&d, der, (word32)len, NULL);
  bool ok = wc_ParseCert(&d, CERT_TYPE, NO_VERIFY, NULL) == 0 &&
            d.pubKeySize + sizeof d.keyOID <= (size_t)*key_len;
  if (ok) {
    memcpy(key, &d.keyOID, sizeof d.keyOID);
    memcpy(key + sizeof d.keyOID, d.publicKey, d.pubKeySize);
    *key_len = (int)(sizeof d.keyOID + d.pubKeySize);
    *named = false;
    for (const DNS_entry *e = d.altNames; e != NULL; e = e->next)
      *named = *named || e->type == ASN_DNS_TYPE || e->type == ASN_IP_TYPE;
  }
  wc_FreeDecodedCert(&d);
  return ok;
}

/* wolfCrypt's parse of one certificate (wc_ParseCert, signature not checked) into d; false when
 * it does not parse. The caller frees d with wc_FreeDecodedCert either way. */
static bool vw_parse(DecodedCert *d, const der *c) {
  wc_InitDecodedCert(d, c->p, (word32)c->len, NULL);
  return wc_ParseCert(d, CERT_TYPE, NO_VERIFY, NULL) == 0;
}

/* An IP address literal (IPv4 dotted or IPv6 hex and colons) goes to the iPAddress check. */
static bool vw_is_ip(const char *name) {
  return strspn(name, "0123456789.:abcdefABCDEF") == strlen(name) && strpbrk(name, ".:") != NULL;
}

/* The leaf's purpose and name once its path is valid: 0 or a wolfSSL error. The purpose is the
 * test of wolfSSL's TLS code (extKeyUsage, when present, must hold the purpose or
 * anyExtendedKeyUsage); the name needs a WOLFSSL_X509 (NO_X509_OBJECT when wolfSSL makes none). */
static int vw_leaf_checks(const peer_opts *o, const der *leaf) {
  DecodedCert d;
  int rc = vw_parse(&d, leaf) ? 0 : ASN_PARSE_E;
  unsigned want = o->purpose_client ? EXTKEYUSE_CLIENT_AUTH : EXTKEYUSE_SERVER_AUTH;
  if (rc == 0 && d.extExtKeyUsageSet && (d.extExtKeyUsage & (want | EXTKEYUSE_ANY)) == 0)
    rc = EXTKEYUSE_AUTH_E;
  wc_FreeDecodedCert(&d);
  const char *name = o->verify_name;
  if (rc != 0 || name == NULL)
    return rc;
  const unsigned char *p = leaf->p;
  WOLFSSL_X509 *x = wolfSSL_d2i_X509(NULL, &p, leaf->len);
  if (x == NULL)
    return NO_X509_OBJECT;
  if (vw_is_ip(name)) {
    if (wolfSSL_X509_check_ip_asc(x, name, 0) != WOLFSSL_SUCCESS)
      rc = IPADDR_MISMATCH;
  } else if (wolfSSL_X509_get_next_altname(x) == NULL ||
             wolfSSL_X509_check_host(x, name, strlen(name), 0, NULL) != WOLFSSL_SUCCESS) {
    rc = DOMAIN_NAME_MISMATCH;
  }
  wolfSSL_X509_free(x);
  return rc;
}

/* An intermediate that verifies becomes a CA of the certificate manager, as in wolfSSL's TLS
 * code, which adds only a certificate with cA TRUE (wolfSSL_CertManagerLoadCABuffer itself takes
 * any certificate as a user's CA). */
static int vw_add_intermediate(WOLFSSL_CERT_MANAGER *cm, const der *c) {
  DecodedCert d;
  int rc = vw_parse(&d, c) ? (d.isCA ? 0 : NOT_CA_ERROR) : ASN_PARSE_E;
  wc_FreeDecodedCert(&d);
  if (rc == 0)
    rc = wolfSSL_CertManagerVerifyBuffer(cm, c->p, c->len, WOLFSSL_FILETYPE_ASN1);
  if (rc == WOLFSSL_SUCCESS)
    rc = wolfSSL_CertManagerLoadCABuffer(cm, c->p, c->len, WOLFSSL_FILETYPE_ASN1);
  return rc;
}

/* The chain's verdict: 0 (valid) or the wolfSSL error that decides it. */
static int vw_check(const peer_opts *o, WOLFSSL_CERT_MANAGER *cm, der *chain, size_t n,
                    const uint8_t *trust, size_t trust_len) {
  int rc = wolfSSL_CertManagerLoadCABuffer(cm, trust, (long)trust_len, WOLFSSL_FILETYPE_PEM);
  if (rc != WOLFSSL_SUCCESS)
    return rc;
  if (n == 0) /* the leaf file gave a certificate, or the caller did not get this far */
    return ASN_PARSE_E;
  bool loaded[MAX_CHAIN] = {false}, progress = true;
  int intermediate_err = 0;
  while (progress) {
    progress = false;
    for (size_t i = 1; i < n; i++) {
      if (loaded[i])
        continue;
      rc = vw_add_intermediate(cm, &chain[i]);
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
  return vw_leaf_checks(o, &chain[0]);
}

/* How wolfSSL is asked to verify, for the verdict line's flags: the extKeyUsage bits its TLS code
 * accepts in the leaf, and the name check, if any. */
static void vw_describe(const peer_opts *o, char *buf, size_t len) {
  const char *name = o->verify_name;
  snprintf(buf, len, "extKeyUsage=%s|EXTKEYUSE_ANY%s",
           o->purpose_client ? "EXTKEYUSE_CLIENT_AUTH" : "EXTKEYUSE_SERVER_AUTH",
           name == NULL     ? ""
           : vw_is_ip(name) ? " name=wolfSSL_X509_check_ip_asc"
                            : " name=wolfSSL_X509_check_host");
}

int verify_wolfssl_run(const peer_opts *o, const char *impl, const char *version) {
  if (o->profile == TG_X509_PROFILE_WEBPKI) {
    /* wolfSSL has no strict verification setting: its certificate manager takes no profile, and
     * its minimum key sizes (wolfSSL_CTX_SetMinRsaKey_Sz, ...) belong to a TLS context. */
    fprintf(stderr,
            "tg-peer-%s: unsupported: --profile webpki: wolfSSL's certificate manager "
            "has no strict or profile setting\n",
            impl);
    return PEER_EXIT_UNSUPPORTED;
  }
  uint8_t *certs[MAX_CHAIN];
  int lens[MAX_CHAIN];
  size_t n = 0;
  char msg[512];
  int rc = wolfssl_read_certs(o->verify_leaf, true, certs, lens, MAX_CHAIN, &n, msg, sizeof msg);
  for (size_t i = 0; rc == 0 && i < o->n_untrusted; i++)
    rc = wolfssl_read_certs(o->untrusted[i], false, certs, lens, MAX_CHAIN, &n, msg, sizeof msg);
  der chain[MAX_CHAIN];
  for (size_t i = 0; i < n; i++)
    chain[i] = (der){certs[i], lens[i]};
  size_t trust_len = 0;
  uint8_t *trust = rc == 0 ? peer_load_file(o->trust, &trust_len, msg, sizeof msg) : NULL;
  int exit_code;
  char flags[160];
  vw_describe(o, flags, sizeof flags);
  if (trust != NULL && wolfSSL_Init() == WOLFSSL_SUCCESS) {
    verify_time = o->has_time ? (time_t)o->verify_time : time(NULL);
    wc_SetTimeCb(fixed_time);
    WOLFSSL_CERT_MANAGER *cm = wolfSSL_CertManagerNew();
    int err = cm ? vw_check(o, cm, chain, n, trust, trust_len) : MEMORY_E;
    wolfSSL_CertManagerFree(cm);
    if (err == NO_X509_OBJECT) {
      fprintf(stderr,
              "tg-peer-%s: unsupported: wolfSSL_d2i_X509 makes no certificate object of "
              "%s, so its name and extKeyUsage checks cannot run\n",
              impl, o->verify_leaf);
      exit_code = PEER_EXIT_UNSUPPORTED;
    } else if (err == 0) {
      peer_verify_print(impl, version, "valid", NULL, NULL, flags);
      exit_code = PEER_EXIT_ESTABLISHED;
    } else {
      char text[200];
      wolfSSL_ERR_error_string_n((unsigned long)err, text, sizeof text);
      snprintf(msg, sizeof msg, "%s (wolfSSL error %d)", text, err);
      peer_verify_print(impl, version, "invalid", x509_reason_wolfssl(err), msg, flags);
      exit_code = PEER_EXIT_FAILED;
    }
    wolfSSL_Cleanup();
  } else if (rc == -2) {
    /* A certificate that does not decode, wherever it is (peers/README.md --verify). */
    peer_verify_print(impl, version, "invalid", "malformed", msg, NULL);
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
