/* tg-peer-gnutls --verify: GnuTLS's own X.509 path validation of one chain, for
 * `tlsgauntlet verify --peer gnutls`. The chain goes through gnutls_x509_trust_list_verify_crt2
 * with the host name and the key purpose as typed data; the verification time is set through
 * gnutls_global_set_time_function, the only hook GnuTLS has for it (the trust-list API has no
 * time parameter; the library reads the clock through that function).
 *
 * A source of tg-peer-gnutls (CMakeLists.txt); it relies only on peer_common.h, the GnuTLS
 * headers and the status map (x509_reason_gnutls.c). */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peer_common.h"
#include "x509_reasons.h"

int verify_gnutls_run(const peer_opts *o);

#define VG_MAX_CERTS 64

static time_t vg_fixed_time;
static time_t vg_time(time_t *t) {
  if (t != NULL)
    *t = vg_fixed_time;
  return vg_fixed_time;
}

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

/* How GnuTLS is asked to verify: decided once (vg_settings_of), passed to
 * gnutls_x509_trust_list_verify_crt2 and described in the verdict line's flags (vg_describe).
 *   GNUTLS_PROFILE_TO_VFLAGS(GNUTLS_PROFILE_MEDIUM)  under --profile webpki, what certtool
 *       --verify-profile medium sets: 112-bit security (RSA and DSA keys of 2048 bits, no
 *       SHA-1), the level of the Baseline Requirements' RSA-2048 minimum (BR 6.1.5). HIGH (128
 *       bits) would refuse RSA-2048, which the BRs allow and most of the web uses; LEGACY and
 *       LOW allow RSA-1024.
 *   GNUTLS_DT_KEY_PURPOSE_OID  GNUTLS_KP_TLS_WWW_SERVER or _CLIENT, from --purpose.
 * Not GNUTLS_VERIFY_DO_NOT_ALLOW_SAME: it makes GnuTLS refuse a leaf that is itself one of the
 * anchors unless another anchor issued it (x509.h: "do not treat it as trusted"), where RFC 5280
 * and the built-in validator take the anchor as trusted input. Without it GnuTLS 3.7 still
 * checks such a leaf's validity and purpose (tests/cli/peer_gnutls.sh). */
typedef struct vg_settings {
  unsigned vflags;
  bool medium;         /* GNUTLS_PROFILE_MEDIUM in vflags */
  const char *purpose; /* GNUTLS_KP_TLS_WWW_* */
} vg_settings;

static vg_settings vg_settings_of(const peer_opts *o) {
  vg_settings st = {.purpose =
                        o->purpose_client ? GNUTLS_KP_TLS_WWW_CLIENT : GNUTLS_KP_TLS_WWW_SERVER};
  if (o->profile == TG_X509_PROFILE_WEBPKI) {
    st.medium = true;
    st.vflags |= GNUTLS_PROFILE_TO_VFLAGS(GNUTLS_PROFILE_MEDIUM);
  }
  return st;
}

/* "GNUTLS_PROFILE_TO_VFLAGS(GNUTLS_PROFILE_MEDIUM)
 * GNUTLS_DT_KEY_PURPOSE_OID=GNUTLS_KP_TLS_WWW_SERVER" */
static void vg_describe(const vg_settings *st, char *buf, size_t len) {
  snprintf(buf, len, "%sGNUTLS_DT_KEY_PURPOSE_OID=%s",
           st->medium ? "GNUTLS_PROFILE_TO_VFLAGS(GNUTLS_PROFILE_MEDIUM) " : "",
           strcmp(st->purpose, GNUTLS_KP_TLS_WWW_CLIENT) == 0 ? "GNUTLS_KP_TLS_WWW_CLIENT"
                                                              : "GNUTLS_KP_TLS_WWW_SERVER");
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
  vg_settings st = vg_settings_of(o);
  char flags[256];
  vg_describe(&st, flags, sizeof flags);
  gnutls_typed_vdata_st data[2];
  unsigned nd = 0;
  if (o->verify_name)
    data[nd++] = (gnutls_typed_vdata_st){.type = GNUTLS_DT_DNS_HOSTNAME,
                                         .data = (unsigned char *)o->verify_name};
  data[nd++] = (gnutls_typed_vdata_st){.type = GNUTLS_DT_KEY_PURPOSE_OID,
                                       .data = (unsigned char *)st.purpose};
  vg_fixed_time = o->has_time ? (time_t)o->verify_time : time(NULL);
  gnutls_global_set_time_function(vg_time);
  unsigned status = 0;
  rc = gnutls_x509_trust_list_verify_crt2(tl, chain, n, data, nd, st.vflags, &status, NULL);
  gnutls_x509_trust_list_deinit(tl, 1);
  if (rc < 0) {
    peer_verify_print("gnutls", version, "invalid", "other", gnutls_strerror(rc), flags);
    return PEER_EXIT_FAILED;
  }
  if (status == 0) {
    peer_verify_print("gnutls", version, "valid", NULL, NULL, flags);
    return PEER_EXIT_ESTABLISHED;
  }
  gnutls_datum_t text = {NULL, 0};
  gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0);
  /* The status text ends in a space; drop it. */
  size_t len = text.data ? strlen((char *)text.data) : 0;
  while (len > 0 && text.data[len - 1] == ' ')
    text.data[--len] = '\0';
  peer_verify_print("gnutls", version, "invalid", x509_reason_of_gnutls_status(status),
                    text.data ? (const char *)text.data : "invalid", flags);
  gnutls_free(text.data);
  return PEER_EXIT_FAILED;
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
