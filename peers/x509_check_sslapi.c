/* x509_check.h for OpenSSL and BoringSSL: one source compiled against each library's headers
 * (tg-peer-openssl, tg-peer-boringssl, fuzz_x509_diff with BoringSSL). */
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "x509_check_sslapi.h"
#include "x509_reasons.h"

/* How the library is asked to verify: decided once (vs_settings_of), set on the
 * X509_VERIFY_PARAM (vs_apply) and described in the flags (vs_describe), all three
 * from this one struct.
 *   X509_V_FLAG_PARTIAL_CHAIN  when an anchor is not self-signed (the library's own
 *                              EXFLAG_SS): a trusted intermediate ends the path, as
 *                              `openssl verify -partial_chain` makes it; without the flag
 *                              OpenSSL and BoringSSL look on for a self-signed root.
 *   purpose                    X509_PURPOSE_SSL_SERVER or _CLIENT, from --purpose.
 *   webpki                     X509_V_FLAG_X509_STRICT, authentication security level 2 (112
 *                              bits: RSA and DSA keys of 2048 bits, no SHA-1 signatures;
 *                              OpenSSL only, BoringSSL has no levels) and, for the name,
 *                              X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS and
 *                              X509_CHECK_FLAG_NEVER_CHECK_SUBJECT (no CN fallback, as browsers).
 * BoringSSL defines X509_V_FLAG_X509_STRICT and X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS as 0: what
 * they ask is always on there. They are named in flags all the same, since they were asked. */
typedef struct vs_settings {
  unsigned long flags; /* X509_V_FLAG_* */
  bool strict;         /* X509_V_FLAG_X509_STRICT asked (0 in BoringSSL) */
  int purpose;         /* X509_PURPOSE_SSL_SERVER / _CLIENT */
  int auth_level;      /* -1: left at the library's default */
  unsigned hostflags;  /* X509_CHECK_FLAG_* */
  bool no_partial;     /* X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS asked (0 in BoringSSL) */
} vs_settings;

static vs_settings vs_settings_of(const x509_check_in *in, STACK_OF(X509) * anchors) {
  vs_settings st = {.purpose = in->client ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SSL_SERVER,
                    .auth_level = -1};
  for (size_t i = 0; i < (size_t)sk_X509_num(anchors); i++)
    if (!(X509_get_extension_flags(sk_X509_value(anchors, i)) & EXFLAG_SS))
      st.flags |= X509_V_FLAG_PARTIAL_CHAIN;
  if (in->profile == TG_X509_PROFILE_WEBPKI) {
    st.strict = true;
    st.flags |= X509_V_FLAG_X509_STRICT;
#ifndef OPENSSL_IS_BORINGSSL
    st.auth_level = 2;
#endif
    st.no_partial = true;
    st.hostflags |= X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
  }
  return st;
}

/* st on ctx's X509_VERIFY_PARAM; the purpose through the context, which also sets the
 * purpose's trust setting, as a TLS connection does (X509_STORE_CTX_set_default "ssl_server"). */
static bool vs_apply(const vs_settings *st, X509_STORE_CTX *ctx) {
  X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
  if (st->flags && !X509_VERIFY_PARAM_set_flags(param, st->flags))
    return false;
#ifndef OPENSSL_IS_BORINGSSL
  if (st->auth_level >= 0)
    X509_VERIFY_PARAM_set_auth_level(param, st->auth_level);
#endif
  X509_VERIFY_PARAM_set_hostflags(param, st->hostflags);
  return X509_STORE_CTX_set_purpose(ctx, st->purpose) == 1;
}

/* "X509_V_FLAG_PARTIAL_CHAIN|X509_V_FLAG_X509_STRICT purpose=X509_PURPOSE_SSL_SERVER
 * auth_level=2 hostflags=X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS|..." */
static void vs_describe(const vs_settings *st, char *buf, size_t len) {
  bool partial = st->flags & X509_V_FLAG_PARTIAL_CHAIN;
  char level[24] = "";
  if (st->auth_level >= 0)
    snprintf(level, sizeof level, " auth_level=%d", st->auth_level);
  snprintf(buf, len, "%s%s%s%spurpose=%s%s%s%s", partial ? "X509_V_FLAG_PARTIAL_CHAIN" : "",
           partial && st->strict ? "|" : "", st->strict ? "X509_V_FLAG_X509_STRICT" : "",
           partial || st->strict ? " " : "",
           st->purpose == X509_PURPOSE_SSL_CLIENT ? "X509_PURPOSE_SSL_CLIENT"
                                                  : "X509_PURPOSE_SSL_SERVER",
           level, st->no_partial ? " hostflags=X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS" : "",
           st->hostflags & X509_CHECK_FLAG_NEVER_CHECK_SUBJECT
               ? "|X509_CHECK_FLAG_NEVER_CHECK_SUBJECT"
               : "");
}

/* An address goes to the iPAddress check (RFC 5280 4.2.1.6), anything else to dNSName. The
 * explicit length: BoringSSL, unlike OpenSSL, does not read 0 as "use strlen". */
static bool vs_set_name(X509_VERIFY_PARAM *param, const char *name) {
  if (strspn(name, "0123456789.:abcdefABCDEF") == strlen(name) && strpbrk(name, ".:") != NULL &&
      X509_VERIFY_PARAM_set1_ip_asc(param, name))
    return true;
  return X509_VERIFY_PARAM_set1_host(param, name, strlen(name)) == 1;
}

void x509_check_sslapi(X509 *leaf, STACK_OF(X509) * untrusted, STACK_OF(X509) * anchors,
                       const x509_check_in *in, x509_check_out *out) {
  memset(out, 0, sizeof *out);
  X509_STORE *store = X509_STORE_new();
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  vs_settings st = vs_settings_of(in, anchors);
  vs_describe(&st, out->flags, sizeof out->flags);
  snprintf(out->detail, sizeof out->detail, "cannot set up the X509_STORE");
  if (store == NULL || ctx == NULL)
    goto done;
  for (size_t i = 0; i < (size_t)sk_X509_num(anchors); i++)
    X509_STORE_add_cert(store, sk_X509_value(anchors, i));
  if (!X509_STORE_CTX_init(ctx, store, leaf, untrusted) || !vs_apply(&st, ctx))
    goto done;
  X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_time(param, (time_t)in->now);
  if (in->name != NULL && !vs_set_name(param, in->name))
    goto done;
  out->done = true;
  out->valid = X509_verify_cert(ctx) == 1;
  out->detail[0] = '\0';
  if (!out->valid) {
    int err = X509_STORE_CTX_get_error(ctx);
    out->reason = x509_reason_of_x509_v_err(err);
    snprintf(out->detail, sizeof out->detail, "%s (X509_V_ERR %d at depth %d)",
             X509_verify_cert_error_string(err), err, X509_STORE_CTX_get_error_depth(ctx));
  }
done:
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  ERR_clear_error();
}
