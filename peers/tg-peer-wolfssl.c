/* tg-peer-wolfssl: wolfSSL's native API (wolfssl/ssl.h) as a peer of the peer protocol
 * (peers/README.md), on the adapter skeleton (peer_driver.h).
 *
 * What maps to what:
 *   --min-version          wolfSSL_CTX_SetMinVersion
 *   --max-version          wolfSSL_CTX_set_max_proto_version: the native API chooses the highest
 *                          version only through the method, and the version-specific methods
 *                          give up the lower versions, so this one call is the compatibility layer
 *   --ciphers              wolfSSL_CTX_set_cipher_list with the library's name of each IANA value
 *                          (wolfSSL_get_cipher_name_from_suite, checked back with
 *                          wolfSSL_get_cipher_suite_from_name), both version families in one
 *                          list, taken as it is. A list without TLS 1.3 suites also caps the
 *                          version at 1.2 (else a client offers TLS 1.3 with no suite for it)
 *                          and one without older suites raises the floor to 1.3, as in
 *                          sslapi_peer.c.
 *   --groups               wolfSSL_CTX_set_groups (IANA values; the first is the key share) and
 *                          wolfSSL_CTX_UseSupportedCurve for each (the TLS 1.2 supported_groups)
 *   --sigalgs              wolfSSL_CTX_set1_sigalgs_list ("RSA-PSS+SHA256", ...): the native API
 *                          has no setter; this is the compatibility layer
 *   --cert/--key           wolfSSL_CTX_use_certificate_chain_file, wolfSSL_CTX_use_PrivateKey_file
 *   --trust                wolfSSL_CTX_load_verify_locations, WOLFSSL_VERIFY_PEER
 *   --trust-key            a verify callback comparing the leaf's public key (wc_ParseCert)
 *                          with the pinned certificates'
 *   --verify-name          wolfSSL_check_domain_name; wolfSSL falls back to the subject CN when
 *                          the leaf has no dNSName, so the verify callback refuses a leaf without
 *                          subjectAltName names (RFC 9525 6.3). Defaults to --sni and back.
 *   --require-client-cert  WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT
 *   --request-client-cert  WOLFSSL_VERIFY_PEER (a server asks, goes on without one)
 *   --alpn                 client: wolfSSL_UseALPN with WOLFSSL_ALPN_FAILED_ON_MISMATCH; server:
 *                          wolfSSL_CTX_set_alpn_select_cb (compatibility layer: the native
 *                          server picks in the client's order), server's order, no overlap →
 *                          no_application_protocol (RFC 7301 3.2)
 *   --sni                  wolfSSL_UseSNI
 *   --key-update           wolfSSL_update_keys (sends update_requested)
 *   --sess-out/--sess-in   the session once a ticket arrived (wolfSSL_set_SessionTicket_cb; in
 *                          TLS 1.2 the session of the handshake), wolfSSL_i2d_SSL_SESSION DER in
 *                          the file; wolfSSL_d2i_SSL_SESSION + wolfSSL_set_session
 *   --ticket-key           wolfSSL_CTX_set_TicketEncCb sealing with AES-128-GCM (wolfCrypt)
 *   --ems-optional         the library's default; --require-ems exits 3 (no option to refuse)
 *   alerts                 received: wolfSSL_get_alert_history (level fatal); sent: the info
 *                          callback (compatibility layer; see info_cb)
 *   resumed                wolfSSL_session_reused */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <wolfssl/options.h> /* first: how the library was built */

#include <wolfssl/error-ssl.h>
#include <wolfssl/openssl/ssl.h> /* SSL_TLSEXT_ERR_* of the ALPN select callback */
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/aes.h>

#include "peer_driver.h"
#include "tg/names.h"

#define MAX_PINS 16
#define MAX_KEY 1024     /* a public key's DER */
#define MAX_SESSION 8192 /* an encoded WOLFSSL_SESSION with its ticket */

typedef struct setup {
  const peer_opts *o;
  WOLFSSL_CTX *ctx;
  uint8_t pins[MAX_PINS][MAX_KEY]; /* --trust-key: the public keys the leaf may carry */
  int pin_len[MAX_PINS];
  size_t n_pins;
  WOLFSSL_SESSION *resume; /* --sess-in */
} setup;

typedef struct session {
  WOLFSSL *ssl;
  peer_conn *c;
  bool ticket_seen;
  int last_rx;       /* the alert history's last_rx as info_cb last saw it */
  uint8_t alpn[256]; /* server: the protocol alpn_select chose */
  size_t alpn_len;
  uint8_t session[MAX_SESSION];
  size_t session_len;
} session;

#define SESSION(c) ((session *)(c)->lib)
static session *current; /* the connection under way, for the verify callback */

static const char *library_version(void) { return wolfSSL_lib_version(); }

static void library_error(int err, char *buf, size_t len) {
  wolfSSL_ERR_error_string_n((unsigned long)err, buf, len);
}

/* ---- Configuration --------------------------------------------------------------------------- */

static bool is_tls13_suite(uint16_t suite) { return (suite >> 8) == 0x13; }

/* The library's name of a suite; NULL when wolfSSL has not got it. */
static const char *cipher_lib_name(uint16_t suite) {
  const char *name = wolfSSL_get_cipher_name_from_suite(suite >> 8, suite & 0xff);
  unsigned char hi, lo;
  int flags;
  if (name == NULL || wolfSSL_get_cipher_suite_from_name(name, &hi, &lo, &flags) != 0 ||
      (hi << 8 | lo) != suite)
    return NULL;
  return name;
}

static bool list_add(char *list, size_t cap, const char *item) {
  size_t used = strlen(list);
  int n = snprintf(list + used, cap - used, "%s%s", used ? ":" : "", item);
  return n >= 0 && (size_t)n < cap - used;
}

static int configure_versions(setup *s, uint16_t min, uint16_t max, char *msg, size_t msglen) {
  if ((min && wolfSSL_CTX_SetMinVersion(s->ctx, min - 0x0300) != WOLFSSL_SUCCESS) ||
      (max && wolfSSL_CTX_set_max_proto_version(s->ctx, max) != WOLFSSL_SUCCESS)) {
    snprintf(msg, msglen, "--min-version/--max-version: wolfSSL refuses %s..%s",
             min ? peer_version_name(min) : "default", max ? peer_version_name(max) : "default");
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

static int configure_ciphers(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->ciphers;
  char list[4096] = "";
  size_t n13 = 0;
  for (size_t i = 0; i < l->n; i++) {
    const char *name = cipher_lib_name(l->v[i]);
    if (name == NULL) {
      snprintf(msg, msglen, "--ciphers: %s is not implemented by wolfSSL",
               tg_cipher_suite_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
    n13 += is_tls13_suite(l->v[i]);
    if (!list_add(list, sizeof list, name)) {
      snprintf(msg, msglen, "--ciphers: list too long");
      return PEER_EXIT_USAGE;
    }
  }
  if (l->n == 0)
    return 0;
  if (wolfSSL_CTX_set_cipher_list(s->ctx, list) != WOLFSSL_SUCCESS) {
    snprintf(msg, msglen, "--ciphers: wolfSSL refuses '%s'", list);
    return PEER_EXIT_UNSUPPORTED;
  }
  uint16_t max = s->o->max_version, min = s->o->min_version;
  if (n13 == 0 && (!max || max > 0x0303))
    return configure_versions(s, 0, 0x0303, msg, msglen);
  if (n13 == l->n && (!min || min < 0x0304))
    return configure_versions(s, 0x0304, 0, msg, msglen);
  return 0;
}

static int configure_groups(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->groups;
  int groups[PEER_MAX_LIST];
  for (size_t i = 0; i < l->n; i++) {
    groups[i] = l->v[i];
    if (wolfSSL_CTX_UseSupportedCurve(s->ctx, l->v[i]) != WOLFSSL_SUCCESS) {
      snprintf(msg, msglen, "--groups: %s is not implemented by wolfSSL", tg_group_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
  }
  if (l->n && wolfSSL_CTX_set_groups(s->ctx, groups, (int)l->n) != WOLFSSL_SUCCESS) {
    snprintf(msg, msglen, "--groups: wolfSSL refuses the list");
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

/* IANA SignatureScheme → the "SIG+HASH" form of wolfSSL_CTX_set1_sigalgs_list. */
static const char *sigalg_lib_name(uint16_t scheme) {
  switch (scheme) {
  case 0x0201: return "RSA+SHA1";
  case 0x0203: return "ECDSA+SHA1";
  case 0x0401: return "RSA+SHA256";
  case 0x0501: return "RSA+SHA384";
  case 0x0601: return "RSA+SHA512";
  case 0x0403: return "ECDSA+SHA256";
  case 0x0503: return "ECDSA+SHA384";
  case 0x0603: return "ECDSA+SHA512";
  case 0x0804: return "RSA-PSS+SHA256";
  case 0x0805: return "RSA-PSS+SHA384";
  case 0x0806: return "RSA-PSS+SHA512";
  case 0x0807: return "ED25519";
  case 0x0808: return "ED448";
  default: return NULL; /* rsa_pss_pss_*: the list syntax has no name for them */
  }
}

static int configure_sigalgs(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->sigalgs;
  char list[1024] = "";
  for (size_t i = 0; i < l->n; i++) {
    const char *name = sigalg_lib_name(l->v[i]);
    if (name == NULL || !list_add(list, sizeof list, name)) {
      snprintf(msg, msglen, "--sigalgs: %s is not implemented by wolfSSL",
               tg_sig_scheme_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
  }
  if (l->n && wolfSSL_CTX_set1_sigalgs_list(s->ctx, list) != WOLFSSL_SUCCESS) {
    snprintf(msg, msglen, "--sigalgs: wolfSSL refuses '%s'", list);
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

/* verify_wolfssl.c: the certificates of a PEM file as DER, and what wolfCrypt's parser reads of
 * one (its key, whether it has subjectAltName names). */
int wolfssl_read_certs(const char *path, bool der_ok, uint8_t **der, int *len, size_t cap,
                       size_t *n, char *msg, size_t msglen);
bool wolfssl_cert_facts(const uint8_t *der, int len, uint8_t *key, int *key_len, bool *named);

/* The verify callback, at the leaf (depth 0; store->certs[0] is the leaf as the peer sent it):
 * --trust-key compares its key with the pins (and passes the rest of the chain); --trust keeps
 * the library's verdict, and with a name refuses a leaf without subjectAltName names, which
 * wolfSSL would match against the subject CN. */
static int verify_cb(int preverify, WOLFSSL_X509_STORE_CTX *store) {
  const setup *s = current ? current->c->setup : NULL;
  if (s == NULL)
    return preverify;
  const char *name = s->o->verify_name ? s->o->verify_name : s->o->sni;
  bool check_names = preverify && name && s->o->role == PEER_ROLE_CLIENT;
  if (wolfSSL_X509_STORE_CTX_get_error_depth(store) != 0 || (!s->n_pins && !check_names))
    return s->n_pins ? 1 : preverify;
  uint8_t key[MAX_KEY];
  int len = sizeof key;
  bool named = false;
  bool parsed =
      store->totalCerts > 0 &&
      wolfssl_cert_facts(store->certs[0].buffer, (int)store->certs[0].length, key, &len, &named);
  if (s->n_pins) {
    bool ok = false;
    for (size_t i = 0; parsed && !ok && i < s->n_pins; i++)
      ok = s->pin_len[i] == len && memcmp(s->pins[i], key, (size_t)len) == 0;
    if (!ok)
      wolfSSL_X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
    return ok;
  }
  if (!parsed || !named) {
    wolfSSL_X509_STORE_CTX_set_error(store, DOMAIN_NAME_MISMATCH);
    return 0;
  }
  return preverify;
}

static bool load_pins(setup *s, const char *path, char *msg, size_t msglen) {
  uint8_t *der[MAX_PINS];
  int len[MAX_PINS];
  size_t n = 0;
  bool named;
  if (wolfssl_read_certs(path, false, der, len, MAX_PINS, &n, msg, msglen) != 0)
    return false;
  for (size_t i = 0; i < n; i++) {
    int key_len = MAX_KEY;
    if (wolfssl_cert_facts(der[i], len[i], s->pins[s->n_pins], &key_len, &named))
      s->pin_len[s->n_pins++] = key_len;
    free(der[i]);
  }
  if (s->n_pins == 0)
    snprintf(msg, msglen, "%s: no certificate wolfSSL can read", path);
  return s->n_pins > 0;
}

static bool configure_trust(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  bool server = o->role == PEER_ROLE_SERVER;
  if ((server ? o->require_client_cert || o->request_client_cert : true) && !o->trust &&
      !o->trust_key && !o->no_verify) {
    snprintf(msg, msglen, "%s: give --trust PEM, --trust-key PEM or --no-verify",
             server ? "--require-client-cert" : "a client");
    return false;
  }
  int rc;
  if (o->trust &&
      (rc = wolfSSL_CTX_load_verify_locations(s->ctx, o->trust, NULL)) != WOLFSSL_SUCCESS) {
    char e[160];
    library_error(rc, e, sizeof e);
    snprintf(msg, msglen, "%s: %s", o->trust, e);
    return false;
  }
  if (o->trust_key && !load_pins(s, o->trust_key, msg, msglen))
    return false;
  int mode = WOLFSSL_VERIFY_NONE;
  if (server && o->require_client_cert)
    mode = WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  else if (server && o->request_client_cert)
    mode = WOLFSSL_VERIFY_PEER;
  else if (!server && !o->no_verify)
    mode = WOLFSSL_VERIFY_PEER;
  wolfSSL_CTX_set_verify(s->ctx, mode, mode == WOLFSSL_VERIFY_NONE ? NULL : verify_cb);
  return true;
}

static bool load_credentials(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  if (o->role == PEER_ROLE_SERVER && !o->cert) {
    snprintf(msg, msglen, "a server needs --cert and --key");
    return false;
  }
  int rc = WOLFSSL_SUCCESS;
  if (o->cert &&
      ((rc = wolfSSL_CTX_use_certificate_chain_file(s->ctx, o->cert)) != WOLFSSL_SUCCESS ||
       (rc = wolfSSL_CTX_use_PrivateKey_file(s->ctx, o->key, WOLFSSL_FILETYPE_PEM)) !=
           WOLFSSL_SUCCESS)) {
    char e[160];
    library_error(rc, e, sizeof e);
    snprintf(msg, msglen, "--cert %s --key %s: %s", o->cert, o->key, e);
    return false;
  }
  return true;
}

static bool load_session(setup *s, char *msg, size_t msglen) {
  size_t len;
  uint8_t *der = peer_load_file(s->o->sess_in, &len, msg, msglen);
  if (der == NULL)
    return false;
  const unsigned char *p = der;
  s->resume = len < LONG_MAX ? wolfSSL_d2i_SSL_SESSION(NULL, &p, (long)len) : NULL;
  bool ok = s->resume != NULL && p == der + len;
  free(der);
  if (!ok)
    snprintf(msg, msglen, "--sess-in %s: not a session written by tg-peer-wolfssl", s->o->sess_in);
  return ok;
}

/* --ticket-key: wolfSSL's ticket callback (wolfSSL_CTX_set_TicketEncCb) sealing the ticket
 * state with AES-128-GCM under the given key: a random 96-bit nonce in iv, key_name and iv as
 * additional data, the tag in mac. A ticket that does not open is rejected (a full handshake). */
static const unsigned char ticket_name[WOLFSSL_TICKET_NAME_SZ] = "tg-peer-wolfssl";

static int ticket_seal(WOLFSSL *ssl, unsigned char name[WOLFSSL_TICKET_NAME_SZ],
                       unsigned char iv[WOLFSSL_TICKET_IV_SZ],
                       unsigned char mac[WOLFSSL_TICKET_MAC_SZ], int enc, unsigned char *ticket,
                       int in_len, int *out_len, void *key) {
  (void)ssl;
  enum { NONCE = 12, TAG = 16 };
  unsigned char aad[WOLFSSL_TICKET_NAME_SZ + NONCE];
  if (enc) {
    memcpy(name, ticket_name, WOLFSSL_TICKET_NAME_SZ);
    if (getrandom(iv, NONCE, 0) != NONCE)
      return WOLFSSL_TICKET_RET_FATAL;
  } else if (memcmp(name, ticket_name, WOLFSSL_TICKET_NAME_SZ) != 0) {
    return WOLFSSL_TICKET_RET_REJECT;
  }
  memcpy(aad, name, WOLFSSL_TICKET_NAME_SZ);
  memcpy(aad + WOLFSSL_TICKET_NAME_SZ, iv, NONCE);
  Aes aes;
  int rc = wc_AesInit(&aes, NULL, INVALID_DEVID);
  if (rc == 0 && (rc = wc_AesGcmSetKey(&aes, key, PEER_TICKET_KEY_LEN)) == 0)
    rc = enc ? wc_AesGcmEncrypt(&aes, ticket, ticket, (word32)in_len, iv, NONCE, mac, TAG, aad,
                                sizeof aad)
             : wc_AesGcmDecrypt(&aes, ticket, ticket, (word32)in_len, iv, NONCE, mac, TAG, aad,
                                sizeof aad);
  wc_AesFree(&aes);
  *out_len = in_len;
  return rc == 0 ? WOLFSSL_TICKET_RET_OK
         : enc   ? WOLFSSL_TICKET_RET_FATAL
                 : WOLFSSL_TICKET_RET_REJECT;
}

/* Server ALPN: the first of the server's protocols that the client offers. wolfSSL_UseALPN
 * would pick in the client's order; the select callback (compatibility layer) lets the server's
 * order decide. No overlap: fatal no_application_protocol (RFC 7301 3.2). */
static int alpn_select(WOLFSSL *ssl, const unsigned char **out, unsigned char *outlen,
                       const unsigned char *in, unsigned inlen, void *arg) {
  (void)ssl;
  const peer_opts *o = arg;
  for (size_t i = 0; i < o->alpn_len; i += 1 + (size_t)o->alpn[i])
    for (unsigned j = 0; j < inlen; j += 1u + in[j])
      if (j + 1u + in[j] <= inlen && in[j] == o->alpn[i] &&
          memcmp(in + j + 1, o->alpn + i + 1, in[j]) == 0) {
        *out = in + j + 1;
        *outlen = in[j];
        if (current) {
          memcpy(current->alpn, in + j + 1, in[j]);
          current->alpn_len = in[j];
        }
        return SSL_TLSEXT_ERR_OK;
      }
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

static void info_cb(const WOLFSSL *ssl, int where, int ret);

static int build_config(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  if (o->require_ems) {
    snprintf(msg, msglen,
             "--require-ems: wolfSSL has no option to refuse a peer without "
             "extended_master_secret (RFC 7627 5.2 lets it go on)");
    return PEER_EXIT_UNSUPPORTED;
  }
  s->ctx = wolfSSL_CTX_new(o->role == PEER_ROLE_SERVER ? wolfSSLv23_server_method()
                                                       : wolfSSLv23_client_method());
  if (s->ctx == NULL) {
    snprintf(msg, msglen, "wolfSSL_CTX_new failed");
    return PEER_EXIT_USAGE;
  }
  int rc;
  if ((rc = configure_versions(s, o->min_version, o->max_version, msg, msglen)) != 0 ||
      (rc = configure_ciphers(s, msg, msglen)) != 0 ||
      (rc = configure_groups(s, msg, msglen)) != 0 || (rc = configure_sigalgs(s, msg, msglen)) != 0)
    return rc;
  if (!load_credentials(s, msg, msglen) || !configure_trust(s, msg, msglen))
    return PEER_EXIT_USAGE;
  if (o->sess_in && !load_session(s, msg, msglen))
    return PEER_EXIT_USAGE;
  wolfSSL_CTX_set_info_callback(s->ctx, info_cb);
  if (o->role == PEER_ROLE_SERVER && o->alpn_len)
    wolfSSL_CTX_set_alpn_select_cb(s->ctx, alpn_select, (void *)o);
  if (o->role == PEER_ROLE_CLIENT)
    (void)wolfSSL_CTX_UseSessionTicket(s->ctx); /* TLS 1.2 tickets too (RFC 5077) */
  if (o->has_ticket_key && (wolfSSL_CTX_set_TicketEncCb(s->ctx, ticket_seal) != 1 ||
                            wolfSSL_CTX_set_TicketEncCtx(s->ctx, (void *)o->ticket_key) != 1)) {
    snprintf(msg, msglen, "--ticket-key: wolfSSL refuses the ticket callback");
    return PEER_EXIT_USAGE;
  }
  return 0;
}

/* ---- --info: each value through the configure_* step of its flag, on a fresh context --------- */

static bool probe_takes(const peer_opts *o, peer_probe_kind kind, uint16_t v) {
  setup s = {.o = o, .ctx = wolfSSL_CTX_new(wolfSSLv23_client_method())};
  char msg[512];
  int rc = s.ctx == NULL                ? PEER_EXIT_USAGE
           : kind == PEER_PROBE_VERSION ? configure_versions(&s, v, v, msg, sizeof msg)
           : kind == PEER_PROBE_SUITE   ? configure_ciphers(&s, msg, sizeof msg)
           : kind == PEER_PROBE_GROUP   ? configure_groups(&s, msg, sizeof msg)
                                        : configure_sigalgs(&s, msg, sizeof msg);
  wolfSSL_CTX_free(s.ctx);
  return rc == 0;
}

static void info(peer_info *in) {
  (void)wolfSSL_Init(); /* a failure shows as empty lists */
  peer_info_probe_flags(in, probe_takes);
  in->alpn = in->sni = in->client_auth = in->resumption = in->key_update = true;
  in->ticket_key = in->ems_optional = true;
  in->require_ems = false;
  wolfSSL_Cleanup();
}

static int setup_new(const peer_opts *o, void **out, char *msg, size_t msglen) {
  setup *s = calloc(1, sizeof *s);
  *out = s;
  if (s == NULL || wolfSSL_Init() != WOLFSSL_SUCCESS) {
    snprintf(msg, msglen, s ? "wolfSSL_Init failed" : "out of memory");
    return PEER_EXIT_USAGE;
  }
  s->o = o;
  return build_config(s, msg, msglen);
}

static void setup_delete(void *p) {
  setup *s = p;
  if (s) {
    wolfSSL_SESSION_free(s->resume);
    wolfSSL_CTX_free(s->ctx);
  }
  free(s);
  wolfSSL_Cleanup();
}

/* ---- One connection -------------------------------------------------------------------------- */

/* Alerts received: the library's alert history, whose last_rx is the last one (the first fatal
 * one ends the connection); level 2 is fatal. */
static void record_alerts(peer_conn *c) {
  WOLFSSL_ALERT_HISTORY h;
  if (wolfSSL_get_alert_history(SESSION(c)->ssl, &h) == WOLFSSL_SUCCESS &&
      h.last_rx.level == alert_fatal)
    peer_conn_alert_received(c, h.last_rx.code);
}

/* Alerts sent: wolfSSL may send a second fatal alert after the first (a failed certificate
 * check sends certificate_expired, then unknown_ca), and its history keeps only the last, so
 * the info callback (compatibility layer), which it calls as it sends each alert, records them:
 * the first fatal one counts. The callback carries the description only, no level and no
 * direction: wolfSSL sends no other warning alerts than close_notify, user_canceled and
 * no_renegotiation, and calls it for a received close_notify too, after its history has
 * recorded it (an alert the history has just received is not one sent). */
static void info_cb(const WOLFSSL *ssl, int where, int ret) {
  WOLFSSL_ALERT_HISTORY h;
  int code = ret & 0xff;
  if (current == NULL || !(where & SSL_CB_ALERT) || code == 0 || code == 90 || code == 100 ||
      wolfSSL_get_alert_history((WOLFSSL *)ssl, &h) != WOLFSSL_SUCCESS)
    return;
  bool received = h.last_rx.code == code && h.last_rx.code != current->last_rx;
  current->last_rx = h.last_rx.code;
  if (!received)
    peer_conn_alert_sent(current->c, code);
}

static int ticket_cb(WOLFSSL *ssl, const unsigned char *ticket, int len, void *arg) {
  (void)ssl, (void)ticket;
  if (len > 0)
    ((session *)arg)->ticket_seen = true;
  return 0;
}

static peer_step step_of(peer_conn *c, int ret) {
  int e = wolfSSL_get_error(SESSION(c)->ssl, ret);
  record_alerts(c);
  if (e == WOLFSSL_ERROR_WANT_READ)
    return PEER_STEP_WANT_READ;
  if (e == WOLFSSL_ERROR_WANT_WRITE)
    return PEER_STEP_WANT_WRITE;
  if (e == WOLFSSL_ERROR_ZERO_RETURN || e == ZERO_RETURN)
    return PEER_STEP_CLOSED;
  if (e == SOCKET_PEER_CLOSED_E || e == SOCKET_ERROR_E) {
    c->eof = true;
    c->error_class = PEER_EC_TRANSPORT;
  }
  library_error(e, c->msg, sizeof c->msg);
  return PEER_STEP_FAILED;
}

static bool conn_new(peer_conn *c) {
  const peer_opts *o = c->o;
  const setup *st = c->setup;
  session *s = calloc(1, sizeof *s);
  c->lib = s;
  if (s == NULL || (s->ssl = wolfSSL_new(st->ctx)) == NULL) {
    snprintf(c->msg, sizeof c->msg, "wolfSSL_new failed");
    return false;
  }
  s->c = c;
  s->last_rx = -1;
  current = s;
  const char *name = o->verify_name ? o->verify_name : o->sni;
  const char *sni = o->sni ? o->sni : o->verify_name;
  bool ok = wolfSSL_set_fd(s->ssl, c->fd) == WOLFSSL_SUCCESS;
  if (ok && o->role == PEER_ROLE_CLIENT) {
    ok = (!name || o->no_verify || o->trust_key ||
          wolfSSL_check_domain_name(s->ssl, name) == WOLFSSL_SUCCESS) &&
         (!sni || wolfSSL_UseSNI(s->ssl, WOLFSSL_SNI_HOST_NAME, sni, (unsigned short)strlen(sni)) ==
                      WOLFSSL_SUCCESS) &&
         (!st->resume || wolfSSL_set_session(s->ssl, st->resume) == WOLFSSL_SUCCESS) &&
         wolfSSL_set_SessionTicket_cb(s->ssl, ticket_cb, s) == WOLFSSL_SUCCESS;
  }
  if (ok && o->alpn_len) { /* as a comma-separated list; a server also has alpn_select */
    char list[sizeof o->alpn];
    size_t n = 0;
    for (size_t i = 0; i < o->alpn_len; i += 1 + (size_t)o->alpn[i]) {
      memcpy(list + n, o->alpn + i + 1, o->alpn[i]);
      n += o->alpn[i];
      list[n++] = ',';
    }
    ok = wolfSSL_UseALPN(s->ssl, list, (unsigned)(n - 1), WOLFSSL_ALPN_FAILED_ON_MISMATCH) ==
         WOLFSSL_SUCCESS;
  }
  if (!ok)
    snprintf(c->msg, sizeof c->msg, "the wolfSSL connection could not be configured");
  return ok;
}

static void conn_free(peer_conn *c) {
  session *s = SESSION(c);
  current = NULL;
  if (s)
    wolfSSL_free(s->ssl);
  free(s);
  c->lib = NULL;
}

static peer_step handshake(peer_conn *c) {
  int ret = wolfSSL_negotiate(SESSION(c)->ssl);
  if (ret == WOLFSSL_SUCCESS)
    return PEER_STEP_OK;
  return step_of(c, ret);
}

static peer_step read_data(peer_conn *c, uint8_t *buf, size_t cap, size_t *n) {
  int ret = wolfSSL_read(SESSION(c)->ssl, buf, cap > INT_MAX ? INT_MAX : (int)cap);
  if (ret > 0) {
    *n = (size_t)ret;
    return PEER_STEP_OK;
  }
  return step_of(c, ret);
}

static peer_step write_data(peer_conn *c, const uint8_t *p, size_t len, size_t *n) {
  int ret = wolfSSL_write(SESSION(c)->ssl, p, len > INT_MAX ? INT_MAX : (int)len);
  if (ret > 0) {
    *n = (size_t)ret;
    return PEER_STEP_OK;
  }
  return step_of(c, ret);
}

static size_t pending(peer_conn *c) { return (size_t)wolfSSL_pending(SESSION(c)->ssl); }

static bool key_update(peer_conn *c) {
  int ret = wolfSSL_update_keys(SESSION(c)->ssl);
  if (ret == WOLFSSL_SUCCESS || ret == WANT_WRITE)
    return true; /* a WANT_WRITE KeyUpdate goes out with the next write */
  library_error(ret, c->msg, sizeof c->msg);
  return false;
}

static void send_close_notify(peer_conn *c) { (void)wolfSSL_shutdown(SESSION(c)->ssl); }

/* wolfSSL_get_curve_name's names → IANA NamedGroup. */
static const char *group_of(const char *lib) {
  static const struct {
    const char *lib, *iana;
  } map[] = {{"SECP256R1", "secp256r1"},
             {"SECP384R1", "secp384r1"},
             {"SECP521R1", "secp521r1"},
             {"X25519", "x25519"},
             {"X448", "x448"},
             {"FFDHE_2048", "ffdhe2048"},
             {"FFDHE_3072", "ffdhe3072"},
             {"FFDHE_4096", "ffdhe4096"},
             {"FFDHE_6144", "ffdhe6144"},
             {"FFDHE_8192", "ffdhe8192"}};
  for (size_t i = 0; lib && i < sizeof map / sizeof map[0]; i++)
    if (strcmp(lib, map[i].lib) == 0)
      return map[i].iana;
  return NULL;
}

static void describe(peer_conn *c) {
  peer_outcome *out = &c->out;
  WOLFSSL *ssl = SESSION(c)->ssl;
  record_alerts(c);
  if (!c->handshake_done)
    return;
  int v = wolfSSL_GetVersion(ssl);
  out->protocol = v > 0 ? peer_version_name((uint16_t)(0x0300 + v)) : NULL;
  out->cipher = tg_cipher_suite_name((unsigned)wolfSSL_get_current_cipher_suite(ssl) & 0xffff);
  out->group = group_of(wolfSSL_get_curve_name(ssl));
  char *alpn;
  unsigned short alpn_len;
  if (SESSION(c)->alpn_len) {
    out->alpn = (const char *)SESSION(c)->alpn;
    out->alpn_len = SESSION(c)->alpn_len;
  } else if (wolfSSL_ALPN_GetProtocol(ssl, &alpn, &alpn_len) == WOLFSSL_SUCCESS) {
    out->alpn = alpn;
    out->alpn_len = alpn_len;
  }
  out->resumed = wolfSSL_session_reused(ssl);
}

/* --sess-out: TLS 1.3 sessions once a NewSessionTicket came; TLS 1.2 ones after the handshake. */
static void session_of(peer_conn *c) {
  session *s = SESSION(c);
  if (s->session_len == 0 && c->handshake_done &&
      (s->ticket_seen || wolfSSL_GetVersion(s->ssl) < WOLFSSL_TLSV1_3)) {
    WOLFSSL_SESSION *sess = wolfSSL_get1_session(s->ssl);
    int len = sess ? wolfSSL_i2d_SSL_SESSION(sess, NULL) : 0;
    if (len > 0 && (size_t)len <= sizeof s->session) {
      unsigned char *p = s->session;
      s->session_len = (size_t)wolfSSL_i2d_SSL_SESSION(sess, &p);
    }
    wolfSSL_SESSION_free(sess);
  }
  c->session = s->session;
  c->session_len = s->session_len;
}

int verify_wolfssl_run(const peer_opts *o, const char *impl, const char *version);
static int verify(const peer_opts *o) {
  return verify_wolfssl_run(o, "wolfssl", library_version());
}

static const peer_library library = {
    .name = "wolfssl",
    .version = library_version,
    .info = info,
    .verify = verify,
    .setup = setup_new,
    .setup_free = setup_delete,
    .conn_new = conn_new,
    .conn_free = conn_free,
    .handshake = handshake,
    .read = read_data,
    .write = write_data,
    .pending = pending,
    .key_update = key_update,
    .close_notify = send_close_notify,
    .describe = describe,
    .session = session_of,
};

int main(int argc, char **argv) { return peer_main(argc, argv, &library); }
