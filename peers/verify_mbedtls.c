/* tg-peer-mbedtls --verify: Mbed TLS's own X.509 path validation of one chain
 * (mbedtls_x509_crt_verify_with_profile with the default profile, or _next under --profile
 * webpki (vm_settings_of), the trust anchors as the CA
 * chain, the leaf's file and the --untrusted files as the chain, --verify-name as its expected
 * name), for `tlsgauntlet verify --peer mbedtls`. Output as peers/verify_sslapi.c.
 *
 * Two things the library does not take as input, done as its documentation suggests:
 *   --time     2.28 reads the clock itself (mbedtls_x509_time_is_past; Debian builds it without
 *              MBEDTLS_PLATFORM_TIME_ALT), so the verify callback recomputes BADCERT_EXPIRED and
 *              BADCERT_FUTURE of each certificate from its parsed validity at the given time.
 *   --purpose  as the TLS layer does (ssl_check_cert_usage): the leaf's extendedKeyUsage must
 *              allow serverAuth or clientAuth (mbedtls_x509_crt_check_extended_key_usage).
 * The name check is the library's: subjectAltName dNSName entries, or the subject CN when the
 * leaf has no subjectAltName (no iPAddress matching in 2.28). */
#include <jansson.h>
#include <mbedtls/error.h>
#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peer_common.h"

int verify_mbedtls_run(const peer_opts *o, const char *version);
const char *x509_reason_mbedtls(uint32_t flags);

/* A parse error that says the library lacks an algorithm (an Ed25519 or Ed448 key, a signature
 * algorithm 2.28 does not know), not that the bytes are bad. mbedtls error codes add the
 * high-level module's code and the low-level one's (error.h); the high part is masked out. */
static bool unsupported_algorithm(int ret) {
  int high = -((-ret) & 0xFF80);
  return ret == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG || high == MBEDTLS_ERR_X509_UNKNOWN_SIG_ALG ||
         high == MBEDTLS_ERR_X509_FEATURE_UNAVAILABLE || high == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG;
}

/* The certificates of path (PEM, or one DER when der_ok) appended to chain. 0, -1 when the file
 * cannot be read or holds no certificate, -2 when the library refuses certificate bytes, -3 when
 * it lacks an algorithm they use. */
static int vm_load(const char *path, bool der_ok, mbedtls_x509_crt *chain, char *msg,
                   size_t msglen) {
  size_t len;
  uint8_t *buf = peer_load_file(path, &len, msg, msglen);
  if (buf == NULL)
    return -1;
  bool pem = strstr((const char *)buf, "-----BEGIN ") != NULL;
  int ret = 0, rc = 0;
  if (pem) /* the PEM parser wants the terminating NUL counted */
    ret = mbedtls_x509_crt_parse(chain, buf, len + 1);
  else if (der_ok && len > 0 && buf[0] == 0x30)
    ret = mbedtls_x509_crt_parse_der(chain, buf, len);
  else
    rc = -1;
  free(buf);
  if (rc == 0 && ret != 0)
    rc = ret == MBEDTLS_ERR_X509_CERT_UNKNOWN_FORMAT ? -1 : unsupported_algorithm(ret) ? -3 : -2;
  if (rc != 0) {
    char e[160] = "";
    if (ret < 0)
      mbedtls_strerror(ret, e, sizeof e);
    else if (ret > 0)
      snprintf(e, sizeof e, "%d certificate(s) do not parse", ret);
    snprintf(msg, msglen, "%s: %s", path, rc == -1 ? "not a certificate (neither PEM nor DER)" : e);
  }
  return rc;
}

/* a < b for two validity times. */
static int vm_cmp(const mbedtls_x509_time *a, const mbedtls_x509_time *b) {
  int x[6] = {a->year, a->mon, a->day, a->hour, a->min, a->sec};
  int y[6] = {b->year, b->mon, b->day, b->hour, b->min, b->sec};
  for (int i = 0; i < 6; i++)
    if (x[i] != y[i])
      return x[i] < y[i] ? -1 : 1;
  return 0;
}

/* --time: each certificate's validity at the given instant instead of the clock's. */
static int vm_time_cb(void *arg, mbedtls_x509_crt *crt, int depth, uint32_t *flags) {
  (void)depth;
  const mbedtls_x509_time *now = arg;
  *flags &= ~(uint32_t)(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
  if (vm_cmp(now, &crt->valid_to) > 0)
    *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
  if (vm_cmp(now, &crt->valid_from) < 0)
    *flags |= MBEDTLS_X509_BADCERT_FUTURE;
  return 0;
}

/* How Mbed TLS is asked to verify: the certificate profile and the extendedKeyUsage the leaf
 * must allow, decided once and described in the verdict line's flags. Under --profile webpki,
 * mbedtls_x509_crt_profile_next: SHA-256 and up, curves of 256 bits and up, RSA of 2048 bits
 * and up, the Baseline Requirements' algorithms (BR 6.1.5, 7.1.3); the default profile also
 * takes SHA-224 and the 192- and 224-bit curves, and _suiteb takes no RSA at all. */
typedef struct vm_settings {
  const mbedtls_x509_crt_profile *profile;
  const char *profile_name;
  const char *oid;
  size_t oid_len;
  const char *oid_name;
} vm_settings;

static vm_settings vm_settings_of(const peer_opts *o) {
  vm_settings st = {&mbedtls_x509_crt_profile_default, "mbedtls_x509_crt_profile_default",
                    MBEDTLS_OID_SERVER_AUTH, sizeof MBEDTLS_OID_SERVER_AUTH - 1,
                    "MBEDTLS_OID_SERVER_AUTH"};
  if (o->profile == TG_X509_PROFILE_WEBPKI) {
    st.profile = &mbedtls_x509_crt_profile_next;
    st.profile_name = "mbedtls_x509_crt_profile_next";
  }
  if (o->purpose_client) {
    st.oid = MBEDTLS_OID_CLIENT_AUTH;
    st.oid_len = sizeof MBEDTLS_OID_CLIENT_AUTH - 1;
    st.oid_name = "MBEDTLS_OID_CLIENT_AUTH";
  }
  return st;
}

static int vm_check(const peer_opts *o, const char *version, mbedtls_x509_crt *chain,
                    mbedtls_x509_crt *anchors) {
  vm_settings st = vm_settings_of(o);
  char desc[128];
  snprintf(desc, sizeof desc, "%s extKeyUsage=%s", st.profile_name, st.oid_name);
  mbedtls_x509_time now;
  struct tm tm;
  time_t t = (time_t)o->verify_time;
  if (o->has_time && gmtime_r(&t, &tm) != NULL)
    now = (mbedtls_x509_time){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                              tm.tm_hour,        tm.tm_min,     tm.tm_sec};
  uint32_t flags = 0;
  int ret = mbedtls_x509_crt_verify_with_profile(chain, anchors, NULL, st.profile, o->verify_name,
                                                 &flags, o->has_time ? vm_time_cb : NULL,
                                                 o->has_time ? &now : NULL);
  if (ret != MBEDTLS_ERR_X509_FATAL_ERROR &&
      mbedtls_x509_crt_check_extended_key_usage(chain, st.oid, st.oid_len) != 0)
    flags |= MBEDTLS_X509_BADCERT_EXT_KEY_USAGE;
  if (ret == 0 && flags == 0) {
    peer_verify_print("mbedtls", version, "valid", NULL, NULL, desc);
    return PEER_EXIT_ESTABLISHED;
  }
  char text[512];
  if (ret == MBEDTLS_ERR_X509_FATAL_ERROR) {
    /* 2.28 gives up on a path longer than MBEDTLS_X509_MAX_INTERMEDIATE_CA (its only fatal
     * error besides memory), with every flag set. */
    mbedtls_strerror(ret, text, sizeof text);
    peer_verify_print("mbedtls", version, "invalid", "path_too_long", text, desc);
    return PEER_EXIT_FAILED;
  }
  int n = mbedtls_x509_crt_verify_info(text, sizeof text, "", flags);
  for (int i = 0; i < n; i++)
    if (text[i] == '\n')
      text[i] = i + 1 < n ? ';' : '\0';
  peer_verify_print("mbedtls", version, "invalid", x509_reason_mbedtls(flags), text, desc);
  return PEER_EXIT_FAILED;
}

int verify_mbedtls_run(const peer_opts *o, const char *version) {
  mbedtls_x509_crt chain, anchors;
  mbedtls_x509_crt_init(&chain);
  mbedtls_x509_crt_init(&anchors);
  char msg[512];
  int rc = vm_load(o->verify_leaf, true, &chain, msg, sizeof msg);
  for (size_t i = 0; rc == 0 && i < o->n_untrusted; i++)
    rc = vm_load(o->untrusted[i], false, &chain, msg, sizeof msg);
  if (rc == 0)
    rc = vm_load(o->trust, false, &anchors, msg, sizeof msg);
  int exit_code;
  if (rc == 0) {
    exit_code = vm_check(o, version, &chain, &anchors);
  } else if (rc == -2 || rc == -3) {
    /* A certificate that does not load, wherever it is (peers/README.md --verify). */
    peer_verify_print("mbedtls", version, "invalid",
                      rc == -3 ? "unsupported_algorithm" : "malformed", msg, NULL);
    exit_code = PEER_EXIT_FAILED;
  } else {
    fprintf(stderr, "tg-peer-mbedtls: %s\n", msg);
    exit_code = PEER_EXIT_USAGE;
  }
  mbedtls_x509_crt_free(&chain);
  mbedtls_x509_crt_free(&anchors);
  return exit_code;
}
