/* x509_check.h for GnuTLS (tg-peer-gnutls, fuzz_x509_diff). The verification time goes through
 * gnutls_global_set_time_function, the only hook GnuTLS has for it (the trust-list API has no
 * time parameter; the library reads the clock through that function). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "x509_check_gnutls.h"
#include "x509_reasons.h"

static time_t vg_fixed_time;
static time_t vg_time(time_t *t) {
  if (t != NULL)
    *t = vg_fixed_time;
  return vg_fixed_time;
}

/* How GnuTLS is asked to verify: decided once (vg_settings_of), passed to
 * gnutls_x509_trust_list_verify_crt2 and described in the flags (vg_describe).
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

static vg_settings vg_settings_of(const x509_check_in *in) {
  vg_settings st = {.purpose = in->client ? GNUTLS_KP_TLS_WWW_CLIENT : GNUTLS_KP_TLS_WWW_SERVER};
  if (in->profile == TG_X509_PROFILE_WEBPKI) {
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

void x509_check_gnutls(gnutls_x509_crt_t *chain, unsigned n, gnutls_x509_trust_list_t tl,
                       const x509_check_in *in, x509_check_out *out) {
  memset(out, 0, sizeof *out);
  vg_settings st = vg_settings_of(in);
  vg_describe(&st, out->flags, sizeof out->flags);
  gnutls_typed_vdata_st data[2];
  unsigned nd = 0;
  if (in->name != NULL)
    data[nd++] =
        (gnutls_typed_vdata_st){.type = GNUTLS_DT_DNS_HOSTNAME, .data = (unsigned char *)in->name};
  data[nd++] = (gnutls_typed_vdata_st){.type = GNUTLS_DT_KEY_PURPOSE_OID,
                                       .data = (unsigned char *)st.purpose};
  vg_fixed_time = (time_t)in->now;
  gnutls_global_set_time_function(vg_time);
  unsigned status = 0;
  int rc = gnutls_x509_trust_list_verify_crt2(tl, chain, n, data, nd, st.vflags, &status, NULL);
  out->done = true;
  if (rc < 0) {
    out->reason = "other";
    snprintf(out->detail, sizeof out->detail, "%s", gnutls_strerror(rc));
    return;
  }
  out->valid = status == 0;
  if (out->valid)
    return;
  out->reason = x509_reason_of_gnutls_status(status);
  gnutls_datum_t text = {NULL, 0};
  gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0);
  /* The status text ends in a space; drop it. */
  size_t len = text.data ? strlen((char *)text.data) : 0;
  while (len > 0 && text.data[len - 1] == ' ')
    text.data[--len] = '\0';
  snprintf(out->detail, sizeof out->detail, "%s (status 0x%x)",
           text.data ? (const char *)text.data : "invalid", status);
  gnutls_free(text.data);
}
