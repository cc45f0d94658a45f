/* tg-peer-openssl / tg-peer-boringssl --verify: the library's own X.509 path validation of one
 * chain (X509_verify_cert with an X509_STORE of the trust anchors, the intermediates as the
 * untrusted stack, and X509_VERIFY_PARAM time, host and purpose), for
 * `tlsgauntlet verify --peer openssl|boringssl`. The same source serves both libraries: the
 * calls used here have one spelling in OpenSSL 3 and BoringSSL.
 *
 * A source of tg-peer-openssl and tg-peer-boringssl (CMakeLists.txt); it relies only on
 * peer_common.h, the OpenSSL API headers and the X509_V_ERR_* map (x509_reason_sslapi.c). */
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
#include "x509_reasons.h"

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

/* How the library is asked to verify: decided once (vs_settings_of), set on the
 * X509_VERIFY_PARAM (vs_apply) and described in the verdict line's flags (vs_describe), all three
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

static vs_settings vs_settings_of(const peer_opts *o, STACK_OF(X509) * anchors) {
  vs_settings st = {.purpose =
                        o->purpose_client ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SSL_SERVER,
                    .auth_level = -1};
  for (size_t i = 0; i < (size_t)sk_X509_num(anchors); i++)
    if (!(X509_get_extension_flags(sk_X509_value(anchors, i)) & EXFLAG_SS))
      st.flags |= X509_V_FLAG_PARTIAL_CHAIN;
  if (o->profile == TG_X509_PROFILE_WEBPKI) {
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

static int vs_check(const peer_opts *o, const char *impl, const char *version, X509 *leaf,
                    STACK_OF(X509) * untrusted, STACK_OF(X509) * anchors) {
  X509_STORE *store = X509_STORE_new();
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  int rc = PEER_EXIT_USAGE;
  if (store == NULL || ctx == NULL)
    goto done;
  for (size_t i = 0; i < (size_t)sk_X509_num(anchors); i++)
    X509_STORE_add_cert(store, sk_X509_value(anchors, i));
  if (!X509_STORE_CTX_init(ctx, store, leaf, untrusted))
    goto done;
  vs_settings st = vs_settings_of(o, anchors);
  char flags[256];
  vs_describe(&st, flags, sizeof flags);
  if (!vs_apply(&st, ctx))
    goto done;
  X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_time(param, o->has_time ? (time_t)o->verify_time : time(NULL));
  /* An address goes to the iPAddress check (RFC 5280 4.2.1.6), anything else to dNSName. The
   * explicit length: BoringSSL, unlike OpenSSL, does not read 0 as "use strlen". */
  if (o->verify_name &&
      strspn(o->verify_name, "0123456789.:abcdefABCDEF") == strlen(o->verify_name) &&
      strpbrk(o->verify_name, ".:") != NULL && X509_VERIFY_PARAM_set1_ip_asc(param, o->verify_name))
    ;
  else if (o->verify_name &&
           !X509_VERIFY_PARAM_set1_host(param, o->verify_name, strlen(o->verify_name)))
    goto done;
  if (X509_verify_cert(ctx) == 1) {
    peer_verify_print(impl, version, "valid", NULL, NULL, flags);
    rc = PEER_EXIT_ESTABLISHED;
  } else {
    int err = X509_STORE_CTX_get_error(ctx);
    char text[256];
    snprintf(text, sizeof text, "%s (X509_V_ERR %d at depth %d)",
             X509_verify_cert_error_string(err), err, X509_STORE_CTX_get_error_depth(ctx));
    peer_verify_print(impl, version, "invalid", x509_reason_of_x509_v_err(err), text, flags);
    rc = PEER_EXIT_FAILED;
  }
done:
  if (rc == PEER_EXIT_USAGE)
    fprintf(stderr, "tg-peer-%s: cannot set up the X509_STORE\n", impl);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return rc;
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
