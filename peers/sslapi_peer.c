/* tg-peer-openssl and tg-peer-boringssl: the OpenSSL API as a peer of the peer protocol
 * (peers/README.md). One source, two programs: TG_PEER_OPENSSL builds against libssl 3,
 * TG_PEER_BORINGSSL against Debian's BoringSSL (headers in /usr/include/android). The two
 * libraries export the same symbols, so they can never share a process.
 *
 * What maps to what:
 *   --min/--max-version    SSL_CTX_set_min/max_proto_version (the ProtocolVersion value itself)
 *   --ciphers              TLS 1.3 suites: SSL_CTX_set_ciphersuites (OpenSSL); BoringSSL has no
 *                          setter ("TLS 1.3 ciphers ... have a built-in preference order",
 *                          ssl.h), so a list that names only some of its three suites is
 *                          emulated (below). Suites below 1.3: the cipher list, by the
 *                          library's name of each IANA value (SSL_CIPHER_find /
 *                          SSL_get_cipher_by_value). A list without 1.3 suites caps the version
 *                          at 1.2; one without older suites raises the floor to 1.3.
 *   --groups               SSL_CTX_set1_groups_list (OpenSSL) / SSL_CTX_set1_curves_list
 *                          (BoringSSL) with the library's names (P-256, X25519, ...)
 *   --sigalgs              SSL_CTX_set1_sigalgs_list with the IANA names (OpenSSL accepts them);
 *                          BoringSSL: SSL_CTX_set_verify/signing_algorithm_prefs with the values
 *   --cert/--key           SSL_CTX_use_certificate_chain_file, SSL_CTX_use_PrivateKey_file
 *   --trust                SSL_CTX_load_verify_locations, SSL_VERIFY_PEER
 *   --trust-key            SSL_CTX_set_cert_verify_callback comparing subjectPublicKeyInfo DER
 *   --verify-name          X509_VERIFY_PARAM_set1_ip_asc for an IP literal, else set1_host;
 *                          subject CN never checked; defaults to
 *                          --sni, as in the builtin peer. --sni defaults to --verify-name.
 *   --require-client-cert  SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
 *   --request-client-cert  SSL_VERIFY_PEER (SSL_CTX_set_verify(3): a server asks, goes on without)
 *   --alpn                 SSL_set_alpn_protos; server: SSL_CTX_set_alpn_select_cb, server's
 *                          order, no overlap → no_application_protocol (RFC 7301 §3.2)
 *   --key-update           SSL_key_update(SSL_KEY_UPDATE_REQUESTED)
 *   --sess-out/--sess-in   the first session from the new-session callback, i2d_SSL_SESSION
 *                          DER in the file (mode 0600); d2i_SSL_SESSION + SSL_set_session
 *   alerts                 SSL_CTX_set_info_callback, SSL_CB_ALERT with SSL_CB_READ/WRITE
 *   resumed                SSL_session_reused
 * Exits 3 (unsupported): --ticket-key (neither library seals tickets under a 16-byte key),
 * a suite, group, signature scheme or version the library refuses, and the BoringSSL cases
 * below that the emulation cannot reproduce.
 *
 * BoringSSL and a --ciphers list with some, not all, of TLS_AES_128_GCM_SHA256,
 * TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256 (a suite it lacks exits 3):
 *   server  A select-certificate callback (SSL_CTX_set_select_certificate_cb, run on the first
 *           ClientHello before BoringSSL negotiates anything) reads the ClientHello. When TLS 1.3
 *           will be negotiated (supported_versions lists it and this side allows it: BoringSSL
 *           picks the highest common version) and cipher_suites holds none of the listed TLS 1.3
 *           suites, the callback fails the handshake: BoringSSL then sends handshake_failure, the
 *           alert of its own "no shared cipher" (RFC 8446 §4.1.1). The error text says that the
 *           adapter decided. Otherwise BoringSSL chooses, in the client's order (preferring
 *           ChaCha20 without AES hardware); the DoS-protection callback, which it runs after the
 *           cipher suite is chosen and before the ServerHello is written, checks the choice
 *           (SSL_get_pending_cipher). A choice outside the list cannot be steered to a listed
 *           suite the client offered later: that connection exits 3, with the reason on stderr
 *           (BoringSSL aborts it with internal_error).
 *   client  BoringSSL still offers its three suites, in its own order (a scenario that reads the
 *           client's cipher_suites sees all three). After the handshake the negotiated suite
 *           must be a listed one; a server that picked another one chose among suites a client
 *           with this list would not have offered, so the outcome is unknown: exit 3.
 *   The order of the list is not honoured on either side. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#if defined(TG_PEER_OPENSSL)
#include <openssl/crypto.h>
#endif

#include "peer_driver.h"
#include "tg/names.h"

#if defined(TG_PEER_BORINGSSL) == defined(TG_PEER_OPENSSL)
#error "define exactly one of TG_PEER_OPENSSL and TG_PEER_BORINGSSL"
#endif
#if defined(TG_PEER_BORINGSSL) && !defined(OPENSSL_IS_BORINGSSL)
#error "TG_PEER_BORINGSSL needs BoringSSL's headers first on the include path"
#endif

#if defined(TG_PEER_BORINGSSL)
#define IMPL "boringssl"
#else
#define IMPL "openssl"
#endif
#define MAX_PINS 16
#define MAX_SESSION 8192     /* an encoded SSL_SESSION with its ticket */
#define MAX_EARLY_DATA 16384 /* --max-early-data: the most 0-RTT data a server session keeps */

/* ---- Configuration --------------------------------------------------------------------------- */

typedef struct setup {
  const peer_opts *o;
  SSL_CTX *ctx;
  uint8_t *pins[MAX_PINS]; /* --trust-key: subjectPublicKeyInfo DER the leaf may carry */
  int pin_len[MAX_PINS];
  size_t n_pins;
  SSL_SESSION *resume;  /* --sess-in */
  uint16_t suites13[3]; /* BoringSSL: the TLS 1.3 suites of an emulated --ciphers list */
  size_t n13;           /* 0: no emulation (no TLS 1.3 suite listed, or all three) */
} setup;

/* The state of the connection under way; the callbacks find it through this pointer (one
 * connection at a time). */
typedef struct session session;
static session *current;

/* 0-RTT (RFC 8446 §2.3), OpenSSL only: --max-early-data N (server, SSL_CTX_set_max_early_data;
 * the library's own anti-replay) and --early-data TEXT (client, SSL_write_early_data with the
 * --sess-in session), as s_server -early_data and s_client -early_data do. Taken off the
 * command line by main. */
static peer_early_data early_flags = {-1,
                                      NULL}; /* --max-early-data, --early-data (peer_common.h) */

static const char *library_version(void) {
#if defined(TG_PEER_BORINGSSL)
  static char v[96];
  snprintf(v, sizeof v, "BoringSSL (API %d, OPENSSL_VERSION_NUMBER 0x%lx)", BORINGSSL_API_VERSION,
           (unsigned long)OPENSSL_VERSION_NUMBER);
  return v;
#else
  return OpenSSL_version(OPENSSL_VERSION);
#endif
}

/* The library's own error text, the first queued error (the cause, not its consequences). */
static void library_error(char *buf, size_t len) {
  unsigned long e = ERR_get_error();
  if (e == 0)
    buf[0] = '\0';
  else
    ERR_error_string_n(e, buf, len);
  ERR_clear_error();
}

/* IANA NamedGroup → the name both libraries' group lists accept. */
static const char *group_lib_name(uint16_t group) {
  switch (group) {
  case 23: return "P-256";
  case 24: return "P-384";
  case 25: return "P-521";
  case 29: return "X25519";
  case 30: return "X448";
  case 256: return "ffdhe2048";
  case 257: return "ffdhe3072";
  case 258: return "ffdhe4096";
  case 259: return "ffdhe6144";
  case 260: return "ffdhe8192";
  default: return NULL;
  }
}

/* Appends item to a ':'-separated list; false when it does not fit. */
static bool list_add(char *list, size_t cap, const char *item) {
  size_t used = strlen(list);
  int n = snprintf(list + used, cap - used, "%s%s", used ? ":" : "", item);
  return n >= 0 && (size_t)n < cap - used;
}

/* The library's name for a suite below TLS 1.3, NULL when it does not implement it. */
static const char *cipher_lib_name(SSL_CTX *ctx, uint16_t suite) {
#if defined(TG_PEER_BORINGSSL)
  (void)ctx;
  const SSL_CIPHER *c = SSL_get_cipher_by_value(suite);
#else
  SSL *probe = SSL_new(ctx);
  const uint8_t wire[2] = {(uint8_t)(suite >> 8), (uint8_t)suite};
  const SSL_CIPHER *c = probe ? SSL_CIPHER_find(probe, wire) : NULL;
  SSL_free(probe);
#endif
  return c ? SSL_CIPHER_get_name(c) : NULL;
}

static bool is_tls13_suite(uint16_t suite) { return (suite >> 8) == 0x13; }

#if defined(TG_PEER_BORINGSSL)
/* ---- BoringSSL: TLS 1.3 suites emulated (see the header comment) ---------------------------- */

static bool tls13_listed(const setup *st, uint16_t suite) {
  for (size_t i = 0; i < st->n13; i++)
    if (st->suites13[i] == suite)
      return true;
  return false;
}

/* The ClientHello will get TLS 1.3: its supported_versions (RFC 8446 §4.2.1) lists 0x0304 and
 * this side allows 1.3. An absent or malformed extension answers false: BoringSSL then judges
 * the ClientHello by itself. */
static bool tls13_will_be_negotiated(const SSL_CLIENT_HELLO *ch) {
  const uint8_t *p;
  size_t len;
  if (SSL_get_max_proto_version(ch->ssl) < TLS1_3_VERSION ||
      !SSL_early_callback_ctx_extension_get(ch, TLSEXT_TYPE_supported_versions, &p, &len) ||
      len < 3 || p[0] != len - 1 || p[0] % 2 != 0)
    return false;
  for (size_t i = 1; i + 1 < len; i += 2)
    if ((p[i] << 8 | p[i + 1]) == TLS1_3_VERSION)
      return true;
  return false;
}

static void session_no_shared_tls13_cipher(void);
static void session_cannot_emulate(uint16_t chosen);

/* SSL_CTX_set_select_certificate_cb: no listed suite offered is BoringSSL's "no shared cipher";
 * returning ssl_select_cert_error makes it send handshake_failure, the same alert. */
static enum ssl_select_cert_result_t tls13_select(const SSL_CLIENT_HELLO *ch) {
  const setup *st = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ch->ssl));
  if (st == NULL || !tls13_will_be_negotiated(ch))
    return ssl_select_cert_success;
  for (size_t i = 0; i + 1 < ch->cipher_suites_len; i += 2)
    if (tls13_listed(st, (uint16_t)(ch->cipher_suites[i] << 8 | ch->cipher_suites[i + 1])))
      return ssl_select_cert_success;
  session_no_shared_tls13_cipher();
  return ssl_select_cert_error;
}

/* SSL_CTX_set_dos_protection_cb: in TLS 1.3 BoringSSL calls it once the cipher suite is chosen,
 * before the ServerHello; a suite outside the list ends the connection (exit 3). */
static int tls13_check_choice(const SSL_CLIENT_HELLO *ch) {
  const setup *st = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ch->ssl));
  const SSL_CIPHER *c = SSL_get_pending_cipher(ch->ssl);
  if (st == NULL || c == NULL || SSL_version(ch->ssl) != TLS1_3_VERSION ||
      tls13_listed(st, SSL_CIPHER_get_protocol_id(c)))
    return 1;
  session_cannot_emulate(SSL_CIPHER_get_protocol_id(c));
  return 0;
}

/* Keeps the listed TLS 1.3 suites; all three listed is BoringSSL's own behaviour (n13 = 0). */
static bool tls13_emulation_setup(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->ciphers;
  s->n13 = 0;
  for (size_t i = 0; i < l->n; i++) {
    if (!is_tls13_suite(l->v[i]) || tls13_listed(s, l->v[i]))
      continue;
    if (SSL_get_cipher_by_value(l->v[i]) == NULL || s->n13 == 3) {
      snprintf(msg, msglen, "--ciphers: %s is not implemented by " IMPL,
               tg_cipher_suite_name(l->v[i]));
      return false;
    }
    s->suites13[s->n13++] = l->v[i];
  }
  if (s->n13 == 3)
    s->n13 = 0;
  if (s->n13 != 0 && s->o->role == PEER_ROLE_SERVER) {
    SSL_CTX_set_app_data(s->ctx, s);
    SSL_CTX_set_select_certificate_cb(s->ctx, tls13_select);
    SSL_CTX_set_dos_protection_cb(s->ctx, tls13_check_choice);
  }
  return true;
}
#endif

/* --ciphers, split by version: TLS 1.3 suites are configured apart from the older ones in
 * both libraries. */
static int configure_ciphers(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->ciphers;
  if (l->n == 0)
    return 0;
  char v13[1024] = "", old[2048] = "";
  size_t n13 = 0;
  for (size_t i = 0; i < l->n; i++) {
    uint16_t suite = l->v[i];
    const char *name =
        is_tls13_suite(suite) ? tg_cipher_suite_name(suite) : cipher_lib_name(s->ctx, suite);
    if (name == NULL) {
      snprintf(msg, msglen, "--ciphers: %s is not implemented by " IMPL,
               tg_cipher_suite_name(suite));
      return PEER_EXIT_UNSUPPORTED;
    }
    n13 += is_tls13_suite(suite);
    if (!list_add(is_tls13_suite(suite) ? v13 : old,
                  is_tls13_suite(suite) ? sizeof v13 : sizeof old, name)) {
      snprintf(msg, msglen, "--ciphers: list too long");
      return PEER_EXIT_USAGE;
    }
  }
#if defined(TG_PEER_BORINGSSL)
  if (n13 != 0 && !tls13_emulation_setup(s, msg, msglen))
    return PEER_EXIT_UNSUPPORTED;
  if (n13 == 0 && !SSL_CTX_set_max_proto_version(s->ctx, TLS1_2_VERSION)) {
    snprintf(msg, msglen, "--ciphers: cannot switch TLS 1.3 off");
    return PEER_EXIT_UNSUPPORTED;
  }
  if (old[0] && !SSL_CTX_set_strict_cipher_list(s->ctx, old)) {
#else
  (void)n13; /* an empty TLS 1.3 list is OpenSSL's way of switching TLS 1.3 off */
  if (!SSL_CTX_set_ciphersuites(s->ctx, v13)) {
    snprintf(msg, msglen, "--ciphers: " IMPL " refuses '%s'", v13);
    return PEER_EXIT_UNSUPPORTED;
  }
  if (old[0] && !SSL_CTX_set_cipher_list(s->ctx, old)) {
#endif
    snprintf(msg, msglen, "--ciphers: " IMPL " refuses '%s'", old);
    return PEER_EXIT_UNSUPPORTED;
  }
  /* Nothing below TLS 1.3 was listed: the floor is 1.3. */
  if (old[0] == '\0' && !SSL_CTX_set_min_proto_version(s->ctx, TLS1_3_VERSION)) {
    snprintf(msg, msglen, "--ciphers: cannot restrict " IMPL " to TLS 1.3");
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

static int configure_groups(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->groups;
  char list[512] = "";
  for (size_t i = 0; i < l->n; i++) {
    const char *name = group_lib_name(l->v[i]);
    if (name == NULL || !list_add(list, sizeof list, name)) {
      snprintf(msg, msglen, "--groups: %s is not implemented by " IMPL, tg_group_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
  }
#if defined(TG_PEER_BORINGSSL)
  int ok = l->n == 0 || SSL_CTX_set1_curves_list(s->ctx, list);
#else
  int ok = l->n == 0 || SSL_CTX_set1_groups_list(s->ctx, list);
#endif
  if (!ok) {
    ERR_clear_error();
    snprintf(msg, msglen, "--groups: " IMPL " refuses '%s'", list);
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

/* --sigalgs: what this side signs with and accepts from the peer, both. */
static int configure_sigalgs(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->sigalgs;
  if (l->n == 0)
    return 0;
#if defined(TG_PEER_BORINGSSL)
  /* The prefs setters take any value; the name table says what BoringSSL implements. */
  for (size_t i = 0; i < l->n; i++)
    if (SSL_get_signature_algorithm_name(l->v[i], 0) == NULL) {
      snprintf(msg, msglen, "--sigalgs: %s is not implemented by " IMPL,
               tg_sig_scheme_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
  int ok = SSL_CTX_set_verify_algorithm_prefs(s->ctx, l->v, l->n) &&
           SSL_CTX_set_signing_algorithm_prefs(s->ctx, l->v, l->n);
  char list[1024] = "";
  for (size_t i = 0; i < l->n; i++)
    (void)list_add(list, sizeof list, tg_sig_scheme_name(l->v[i]));
#else
  char list[1024] = "";
  for (size_t i = 0; i < l->n; i++)
    if (!list_add(list, sizeof list, tg_sig_scheme_name(l->v[i]))) {
      snprintf(msg, msglen, "--sigalgs: list too long");
      return PEER_EXIT_USAGE;
    }
  int ok =
      SSL_CTX_set1_sigalgs_list(s->ctx, list) && SSL_CTX_set1_client_sigalgs_list(s->ctx, list);
#endif
  if (!ok) {
    ERR_clear_error();
    snprintf(msg, msglen, "--sigalgs: " IMPL " refuses '%s'", list);
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

static int configure_versions(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  if ((o->min_version && !SSL_CTX_set_min_proto_version(s->ctx, o->min_version)) ||
      (o->max_version && !SSL_CTX_set_max_proto_version(s->ctx, o->max_version))) {
    ERR_clear_error();
    snprintf(msg, msglen, "--min-version/--max-version: " IMPL " refuses %s..%s",
             o->min_version ? peer_version_name(o->min_version) : "default",
             o->max_version ? peer_version_name(o->max_version) : "default");
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

/* --trust-key: the leaf's subjectPublicKeyInfo must equal one of the pinned ones. No chain,
 * name or date checks. A mismatch is X509_V_ERR_CERT_UNTRUSTED, which both libraries turn into
 * a certificate alert. */
static int pin_verify(X509_STORE_CTX *store, void *arg) {
  const setup *s = arg;
  X509 *leaf = X509_STORE_CTX_get0_cert(store);
  uint8_t *got = NULL;
  int got_len = leaf ? i2d_X509_PUBKEY(X509_get_X509_PUBKEY(leaf), &got) : -1;
  bool ok = false;
  for (size_t i = 0; got_len > 0 && !ok && i < s->n_pins; i++)
    ok = s->pin_len[i] == got_len && memcmp(s->pins[i], got, (size_t)got_len) == 0;
  OPENSSL_free(got);
  if (!ok)
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_UNTRUSTED);
  return ok;
}

static bool load_pins(setup *s, const char *path, char *msg, size_t msglen) {
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    snprintf(msg, msglen, "%s: %s", path, strerror(errno));
    return false;
  }
  X509 *x;
  while (s->n_pins < MAX_PINS && (x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
    uint8_t *der = NULL;
    int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
    X509_free(x);
    if (len <= 0)
      break;
    s->pins[s->n_pins] = der;
    s->pin_len[s->n_pins++] = len;
  }
  fclose(f);
  ERR_clear_error(); /* the end of the file reads as an error */
  if (s->n_pins == 0) {
    snprintf(msg, msglen, "%s: no CERTIFICATE block", path);
    return false;
  }
  SSL_CTX_set_cert_verify_callback(s->ctx, pin_verify, s);
  return true;
}

#if defined(TG_PEER_OPENSSL)
/* SSL_get_negotiated_group (OpenSSL 3.0) answers with a NID: back to the IANA NamedGroup. */
static uint16_t group_of_nid(int nid) {
  switch (nid) {
  case NID_X9_62_prime256v1: return 23;
  case NID_secp384r1: return 24;
  case NID_secp521r1: return 25;
  case NID_X25519: return 29;
  case NID_X448: return 30;
  case NID_ffdhe2048: return 256;
  case NID_ffdhe3072: return 257;
  case NID_ffdhe4096: return 258;
  case NID_ffdhe6144: return 259;
  case NID_ffdhe8192: return 260;
  default: return 0;
  }
}
#endif

static void info_cb(const SSL *ssl, int where, int ret);
static int alpn_select(SSL *ssl, const uint8_t **out, uint8_t *outlen, const uint8_t *in,
                       unsigned inlen, void *arg);
static int new_session(SSL *ssl, SSL_SESSION *sess);

static bool configure_trust(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  bool server = o->role == PEER_ROLE_SERVER;
  bool verifies = server ? o->require_client_cert || o->request_client_cert : true;
  if (verifies && !o->trust && !o->trust_key && !o->no_verify) {
    snprintf(msg, msglen, "%s: give --trust PEM, --trust-key PEM or --no-verify",
             server ? "--require-client-cert/--request-client-cert" : "a client");
    return false;
  }
  if (o->trust && !SSL_CTX_load_verify_locations(s->ctx, o->trust, NULL)) {
    char e[256];
    library_error(e, sizeof e);
    snprintf(msg, msglen, "%s: %s", o->trust, e);
    return false;
  }
  if (o->trust_key && !load_pins(s, o->trust_key, msg, msglen))
    return false;
  int mode = SSL_VERIFY_NONE;
  if (server && o->require_client_cert)
    mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  else if (server && o->request_client_cert)
    mode = SSL_VERIFY_PEER;
  else if (!server && !o->no_verify)
    mode = SSL_VERIFY_PEER;
  SSL_CTX_set_verify(s->ctx, mode, NULL);
  return true;
}

static bool load_credentials(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  if (o->role == PEER_ROLE_SERVER && !o->cert) {
    snprintf(msg, msglen, "a server needs --cert and --key");
    return false;
  }
  if (o->cert && (!SSL_CTX_use_certificate_chain_file(s->ctx, o->cert) ||
                  !SSL_CTX_use_PrivateKey_file(s->ctx, o->key, SSL_FILETYPE_PEM) ||
                  !SSL_CTX_check_private_key(s->ctx))) {
    char e[256];
    library_error(e, sizeof e);
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
  const uint8_t *p = der;
  s->resume = d2i_SSL_SESSION(NULL, &p, (long)len);
  bool ok = s->resume != NULL && p == der + len; /* all of it, nothing after */
  free(der);
  if (!ok) {
    ERR_clear_error();
    snprintf(msg, msglen, "--sess-in %s: not an SSL_SESSION written by tg-peer-" IMPL,
             s->o->sess_in);
  }
  return ok;
}

/* Builds the SSL_CTX from the flags: 0, PEER_EXIT_USAGE or PEER_EXIT_UNSUPPORTED with msg. */
static int build_config(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  if (o->has_ticket_key) {
    snprintf(msg, msglen, "--ticket-key: " IMPL " seals tickets under its own keys");
    return PEER_EXIT_UNSUPPORTED;
  }
  if (o->require_ems) { /* SSL_OP_NO_EXTENDED_MASTER_SECRET turns it off; nothing requires it */
    snprintf(msg, msglen,
             "--require-ems: " IMPL " has no option to refuse a peer without "
             "extended_master_secret (RFC 7627 5.2 lets it go on)");
    return PEER_EXIT_UNSUPPORTED;
  }
  s->ctx = SSL_CTX_new(TLS_method());
  if (s->ctx == NULL) {
    snprintf(msg, msglen, "SSL_CTX_new failed");
    return PEER_EXIT_USAGE;
  }
  int rc;
  if ((rc = configure_versions(s, msg, msglen)) != 0 ||
      (rc = configure_ciphers(s, msg, msglen)) != 0 ||
      (rc = configure_groups(s, msg, msglen)) != 0 || (rc = configure_sigalgs(s, msg, msglen)) != 0)
    return rc;
  if (!load_credentials(s, msg, msglen) || !configure_trust(s, msg, msglen))
    return PEER_EXIT_USAGE;
  if (o->sess_in && !load_session(s, msg, msglen))
    return PEER_EXIT_USAGE;
  if (!peer_early_data_fits(&early_flags, o, msg, msglen))
    return PEER_EXIT_USAGE;
#if defined(TG_PEER_BORINGSSL)
  if (early_flags.max >= 0 || early_flags.text) {
    snprintf(msg, msglen, "--max-early-data, --early-data: not in this adapter for " IMPL);
    return PEER_EXIT_UNSUPPORTED;
  }
#else
  if (early_flags.max > MAX_EARLY_DATA) { /* what the session keeps of it */
    snprintf(msg, msglen, "--max-early-data: at most %d in this adapter", MAX_EARLY_DATA);
    return PEER_EXIT_USAGE;
  }
  if (early_flags.max >= 0 && !SSL_CTX_set_max_early_data(s->ctx, (uint32_t)early_flags.max)) {
    library_error(msg, msglen);
    return PEER_EXIT_USAGE;
  }
#endif
  SSL_CTX_set_info_callback(s->ctx, info_cb);
  if (o->role == PEER_ROLE_SERVER && o->alpn_len)
    SSL_CTX_set_alpn_select_cb(s->ctx, alpn_select, s);
  if (o->sess_out) {
    SSL_CTX_set_session_cache_mode(s->ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_sess_set_new_cb(s->ctx, new_session);
  }
#if defined(SSL_OP_IGNORE_UNEXPECTED_EOF)
  /* OpenSSL 3 answers a transport closed without close_notify with a decode_error "sent" to
   * the closed socket; the peer protocol calls that a transport end (not a failure once
   * established), so the library is asked to report it as a plain EOF. */
  SSL_CTX_set_options(s->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
  /* SSL_write may be retried with a buffer that moved (--send-file goes piece by piece). */
  SSL_CTX_set_mode(s->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return 0;
}

static void setup_free(setup *s) {
  for (size_t i = 0; i < s->n_pins; i++)
    OPENSSL_free(s->pins[i]);
  SSL_SESSION_free(s->resume);
  SSL_CTX_free(s->ctx);
}

/* ---- --info: each value goes through the configure_* step of the real flags, on a fresh
 * SSL_CTX. OpenSSL also must list the suite among those a ClientHello would carry, which weeds
 * out what the security level forbids; BoringSSL takes each TLS 1.3 suite it has alone, as the
 * emulation does. ---------------------------------------------------------------------------- */

static bool offered(SSL_CTX *ctx, uint16_t suite, bool any) {
#if defined(TG_PEER_OPENSSL)
  SSL *ssl = SSL_new(ctx);
  STACK_OF(SSL_CIPHER) *sk = ssl ? SSL_get1_supported_ciphers(ssl) : NULL;
  bool found = any && sk && sk_SSL_CIPHER_num(sk) > 0;
  for (int i = 0; sk && !found && i < sk_SSL_CIPHER_num(sk); i++)
    found = SSL_CIPHER_get_protocol_id(sk_SSL_CIPHER_value(sk, i)) == suite;
  sk_SSL_CIPHER_free(sk);
  SSL_free(ssl);
  return found;
#else
  (void)ctx, (void)suite, (void)any;
  return true;
#endif
}

static bool probe_takes(const peer_opts *o, peer_probe_kind kind, uint16_t v) {
  setup s = {.o = o, .ctx = SSL_CTX_new(TLS_method())};
  char msg[512];
  int rc = s.ctx == NULL                ? PEER_EXIT_USAGE
           : kind == PEER_PROBE_VERSION ? configure_versions(&s, msg, sizeof msg)
           : kind == PEER_PROBE_SUITE   ? configure_ciphers(&s, msg, sizeof msg)
           : kind == PEER_PROBE_GROUP   ? configure_groups(&s, msg, sizeof msg)
                                        : configure_sigalgs(&s, msg, sizeof msg);
  bool ok = rc == 0 && (kind == PEER_PROBE_GROUP || kind == PEER_PROBE_SIGALG ||
                        offered(s.ctx, v, kind == PEER_PROBE_VERSION));
  SSL_CTX_free(s.ctx);
  ERR_clear_error();
  return ok;
}

static void info(peer_info *in) {
  peer_info_probe_flags(in, probe_takes);
  /* SSL_set_alpn_protos, SSL_set_tlsext_host_name, SSL_VERIFY_FAIL_IF_NO_PEER_CERT, sessions
   * and SSL_key_update; --ticket-key exits 3 (build_config). */
  in->alpn = in->sni = in->client_auth = in->resumption = in->key_update = true;
  in->ems_optional = true; /* the library's default */
  in->ticket_key = false;
}

static int setup_new(const peer_opts *o, void **out, char *msg, size_t msglen) {
  setup *s = calloc(1, sizeof *s);
  if (s == NULL) {
    snprintf(msg, msglen, "out of memory");
    return PEER_EXIT_USAGE;
  }
  s->o = o;
  *out = s;
  return build_config(s, msg, msglen);
}

static void setup_delete(void *p) {
  if (p)
    setup_free(p);
  free(p);
}

/* ---- One connection -------------------------------------------------------------------------- */

struct session {
  SSL *ssl;
  /* 0-RTT: the server reads early data before the handshake (kept for the first reads); the
   * client writes it once. */
  bool early_done;
  uint8_t early[MAX_EARLY_DATA];
  size_t early_len, early_off;
  bool no_shared_tls13_cipher;  /* BoringSSL emulation: the adapter refused the ClientHello */
  uint8_t session[MAX_SESSION]; /* --sess-out: the first session, DER */
  size_t session_len;
  peer_conn *c;
};

#define SESSION(c) ((session *)(c)->lib)

#if defined(TG_PEER_BORINGSSL)
static void session_no_shared_tls13_cipher(void) {
  if (current)
    current->no_shared_tls13_cipher = true;
}

static void session_cannot_emulate(uint16_t chosen) {
  if (current)
    snprintf(current->c->unsupported, sizeof current->c->unsupported,
             "--ciphers: BoringSSL chose %s, which the list lacks, and cannot be made to choose "
             "another TLS 1.3 suite",
             tg_cipher_suite_name(chosen));
}
#endif

/* The emulated TLS 1.3 list after a handshake: BoringSSL's choice must be a listed suite (on a
 * server the DoS-protection callback has already checked it). */
static bool tls13_choice_ok(peer_conn *c) {
#if defined(TG_PEER_BORINGSSL)
  const setup *st = c->setup;
  SSL *ssl = SESSION(c)->ssl;
  const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
  if (st->n13 == 0 || ci == NULL || SSL_version(ssl) != TLS1_3_VERSION ||
      tls13_listed(st, SSL_CIPHER_get_protocol_id(ci)))
    return true;
  if (c->o->role == PEER_ROLE_SERVER)
    session_cannot_emulate(SSL_CIPHER_get_protocol_id(ci));
  else
    snprintf(c->unsupported, sizeof c->unsupported,
             "--ciphers: BoringSSL offers all its TLS 1.3 suites and the server chose %s, which "
             "the list lacks",
             tg_cipher_suite_name(SSL_CIPHER_get_protocol_id(ci)));
  return false;
#else
  (void)c;
  return true;
#endif
}

/* Alerts from the library's callback, never from its error text: level 2 is fatal
 * (RFC 8446 §6: every alert but close_notify and user_canceled is, in TLS 1.3). */
static void info_cb(const SSL *ssl, int where, int ret) {
  (void)ssl;
  if (current == NULL || !(where & SSL_CB_ALERT) || ((ret >> 8) & 0xff) != 2)
    return;
  if (where & SSL_CB_READ)
    peer_conn_alert_received(current->c, ret & 0xff);
  else
    peer_conn_alert_sent(current->c, ret & 0xff);
}

/* Server ALPN: the first of the server's protocols that the client offers. */
static int alpn_select(SSL *ssl, const uint8_t **out, uint8_t *outlen, const uint8_t *in,
                       unsigned inlen, void *arg) {
  (void)ssl;
  const setup *s = arg;
  for (size_t i = 0; i < s->o->alpn_len; i += 1 + (size_t)s->o->alpn[i]) {
    const uint8_t *mine = s->o->alpn + i;
    for (unsigned j = 0; j < inlen; j += 1u + in[j]) {
      if (j + 1u + in[j] <= inlen && in[j] == mine[0] &&
          memcmp(in + j + 1, mine + 1, mine[0]) == 0) {
        *out = in + j + 1;
        *outlen = in[j];
        return SSL_TLSEXT_ERR_OK;
      }
    }
  }
  /* RFC 7301 §3.2: no protocol in common is fatal, no_application_protocol. */
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

/* --sess-out: keep the first session (a TLS 1.3 ticket arrives after the handshake). */
static int new_session(SSL *ssl, SSL_SESSION *sess) {
  (void)ssl;
  if (current == NULL || current->session_len != 0)
    return 0;
  int len = i2d_SSL_SESSION(sess, NULL);
  if (len > 0 && (size_t)len <= sizeof current->session) {
    uint8_t *p = current->session;
    current->session_len = (size_t)i2d_SSL_SESSION(sess, &p);
  }
  return 0; /* not kept: the library frees it */
}

/* What an SSL_* call's result means, as a driver step; a failure records how the connection
 * ended (c->eof, c->msg, c->error_class). */
static peer_step step_of(peer_conn *c, int ret) {
  int e = SSL_get_error(SESSION(c)->ssl, ret);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    ERR_clear_error();
    return e == SSL_ERROR_WANT_READ ? PEER_STEP_WANT_READ : PEER_STEP_WANT_WRITE;
  }
  if (e == SSL_ERROR_ZERO_RETURN)
    return PEER_STEP_CLOSED;
  unsigned long err = ERR_peek_error();
  if (e == SSL_ERROR_SYSCALL && err == 0) {
    /* BoringSSL (and OpenSSL's SYSCALL case): the transport closed or failed under it. */
    c->eof = true;
    if (errno != 0 && ret < 0)
      snprintf(c->msg, sizeof c->msg, "%s", strerror(errno));
    else
      snprintf(c->msg, sizeof c->msg, "the peer closed the connection");
    c->error_class = PEER_EC_TRANSPORT;
    return PEER_STEP_FAILED;
  }
#if defined(SSL_R_UNEXPECTED_EOF_WHILE_READING)
  /* OpenSSL 3 reports a transport closed without close_notify as an SSL error. */
  if (ERR_GET_LIB(err) == ERR_LIB_SSL &&
      ERR_GET_REASON(err) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    c->eof = true;
    c->error_class = PEER_EC_TRANSPORT;
  }
#endif
  library_error(c->msg, sizeof c->msg);
  return PEER_STEP_FAILED;
}

static bool conn_new(peer_conn *c) {
  const peer_opts *o = c->o;
  const setup *st = c->setup;
  session *s = calloc(1, sizeof *s);
  SSL *ssl = s ? SSL_new(st->ctx) : NULL;
  c->lib = s;
  if (s)
    s->c = c;
  if (ssl == NULL || !SSL_set_fd(ssl, c->fd))
    goto fail;
  s->ssl = ssl;
  if (o->role == PEER_ROLE_SERVER) {
    SSL_set_accept_state(ssl);
  } else {
    SSL_set_connect_state(ssl);
    const char *name = o->verify_name ? o->verify_name : o->sni;
    const char *sni = o->sni ? o->sni : o->verify_name;
    X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
    /* RFC 9525 §6.3: the subject's commonName is not a fallback for subjectAltName. */
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
    /* An IP literal is an iPAddress reference identity (RFC 9525 6.4), as with s_client
     * -verify_ip; set1_ip_asc refuses anything else, which is then a DNS name. */
    if (!((!name || o->no_verify || X509_VERIFY_PARAM_set1_ip_asc(param, name) ||
           X509_VERIFY_PARAM_set1_host(param, name, strlen(name))) &&
          (!sni || SSL_set_tlsext_host_name(ssl, sni)) &&
          (!o->alpn_len || SSL_set_alpn_protos(ssl, o->alpn, (unsigned)o->alpn_len) == 0) &&
          (!st->resume || SSL_set_session(ssl, st->resume))))
      goto fail;
  }
  ERR_clear_error();
  current = s;
  return true;
fail:
  if (s == NULL)
    snprintf(c->msg, sizeof c->msg, "out of memory");
  else
    library_error(c->msg, sizeof c->msg);
  if (ssl && s && s->ssl == NULL)
    SSL_free(ssl);
  return false;
}

static void conn_free(peer_conn *c) {
  session *s = SESSION(c);
  current = NULL;
  if (s)
    SSL_free(s->ssl);
  free(s);
  c->lib = NULL;
}

#if defined(TG_PEER_OPENSSL)
/* Before the handshake proper: the server reads the early data (SSL_read_early_data until it
 * says FINISH), the client writes it (SSL_write_early_data). PEER_STEP_OK: go on. */
static peer_step early_data(peer_conn *c) {
  session *s = SESSION(c);
  if (s->early_done)
    return PEER_STEP_OK;
  if (c->o->role == PEER_ROLE_CLIENT) {
    size_t written;
    if (!early_flags.text || SSL_SESSION_get_max_early_data(SSL_get_session(s->ssl)) == 0) {
      s->early_done = true;
      return PEER_STEP_OK;
    }
    if (SSL_write_early_data(s->ssl, early_flags.text, strlen(early_flags.text), &written) != 1)
      return step_of(c, -1);
    s->early_done = true;
    return PEER_STEP_OK;
  }
  if (early_flags.max <= 0) {
    s->early_done = true;
    return PEER_STEP_OK;
  }
  for (;;) {
    size_t n = 0;
    int r =
        SSL_read_early_data(s->ssl, s->early + s->early_len, sizeof s->early - s->early_len, &n);
    if (r == SSL_READ_EARLY_DATA_ERROR)
      return step_of(c, -1);
    s->early_len += n;
    if (r == SSL_READ_EARLY_DATA_FINISH) {
      s->early_done = true;
      return PEER_STEP_OK;
    }
  }
}
#endif

static peer_step handshake(peer_conn *c) {
  errno = 0;
#if defined(TG_PEER_OPENSSL)
  peer_step est = early_data(c);
  if (est != PEER_STEP_OK)
    return est;
#endif
  int ret = SSL_do_handshake(SESSION(c)->ssl);
  if (ret == 1)
    return tls13_choice_ok(c) ? PEER_STEP_OK : PEER_STEP_FAILED;
  peer_step st = step_of(c, ret);
  if (st == PEER_STEP_FAILED && SESSION(c)->no_shared_tls13_cipher)
    snprintf(c->msg, sizeof c->msg,
             "no shared cipher: the ClientHello offers none of the TLS 1.3 suites of "
             "--ciphers (decided by the adapter, which emulates the list on BoringSSL)");
  return st;
}

static peer_step read_data(peer_conn *c, uint8_t *buf, size_t cap, size_t *n) {
  session *s = SESSION(c);
  if (s->early_off < s->early_len) { /* accepted 0-RTT data first, as it came */
    *n = s->early_len - s->early_off < cap ? s->early_len - s->early_off : cap;
    memcpy(buf, s->early + s->early_off, *n);
    s->early_off += *n;
    return PEER_STEP_OK;
  }
  errno = 0;
  int ret = SSL_read(SESSION(c)->ssl, buf, cap > INT_MAX ? INT_MAX : (int)cap);
  if (ret > 0) {
    *n = (size_t)ret;
    return PEER_STEP_OK;
  }
  return step_of(c, ret);
}

static peer_step write_data(peer_conn *c, const uint8_t *p, size_t len, size_t *n) {
  errno = 0;
  int ret = SSL_write(SESSION(c)->ssl, p, len > INT_MAX ? INT_MAX : (int)len);
  if (ret > 0) {
    *n = (size_t)ret;
    return PEER_STEP_OK;
  }
  return step_of(c, ret);
}

static size_t pending(peer_conn *c) { return (size_t)SSL_pending(SESSION(c)->ssl); }

static bool key_update(peer_conn *c) {
  if (SSL_key_update(SESSION(c)->ssl, SSL_KEY_UPDATE_REQUESTED))
    return true;
  library_error(c->msg, sizeof c->msg);
  return false;
}

static void close_notify(peer_conn *c) {
  SSL *ssl = SESSION(c)->ssl;
  if (!(SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN))
    (void)SSL_shutdown(ssl);
  ERR_clear_error();
}

static void describe(peer_conn *c) {
  peer_outcome *out = &c->out;
  SSL *ssl = SESSION(c)->ssl;
  if (SSL_is_init_finished(ssl)) {
    out->protocol = peer_version_name((uint16_t)SSL_version(ssl));
    const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
    out->cipher = ci ? tg_cipher_suite_name(SSL_CIPHER_get_protocol_id(ci)) : NULL;
#if defined(TG_PEER_BORINGSSL)
    uint16_t group = SSL_get_curve_id(ssl);
#else
    uint16_t group = group_of_nid(SSL_get_negotiated_group(ssl));
#endif
    out->group = group ? tg_group_name(group) : NULL;
    const uint8_t *alpn;
    unsigned alpn_len;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
    out->alpn = (const char *)alpn;
    out->alpn_len = alpn_len;
    out->resumed = SSL_session_reused(ssl);
#if defined(TG_PEER_OPENSSL)
    int ed = SSL_get_early_data_status(ssl);
    if (ed != SSL_EARLY_DATA_NOT_SENT) /* 0-RTT: what became of it */
      fprintf(stderr, "tg-peer-" IMPL ": early data %s\n",
              ed == SSL_EARLY_DATA_ACCEPTED ? "accepted" : "rejected (not delivered)");
#endif
  }
  /* A refused certificate: the library's verify result says why, beside its error text. */
  long vr = SSL_get_verify_result(ssl);
  if (vr != X509_V_OK && out->alert_sent >= 0) {
    size_t used = strlen(c->msg);
    snprintf(c->msg + used, sizeof c->msg - used, "%s(certificate verify: %s)", used ? " " : "",
             X509_verify_cert_error_string(vr));
  }
}

static void session_of(peer_conn *c) {
  c->session = SESSION(c)->session;
  c->session_len = SESSION(c)->session_len;
}

int verify_sslapi_run(const peer_opts *o, const char *impl, const char *version);
static int verify(const peer_opts *o) { return verify_sslapi_run(o, IMPL, library_version()); }

static const peer_library library = {
    .name = IMPL,
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
    .close_notify = close_notify,
    .describe = describe,
    .session = session_of,
};

int main(int argc, char **argv) {
  /* --max-early-data and --early-data (0-RTT) are this adapter's own flags (peer_common.h). */
  if (peer_take_early_data(&argc, argv, "tg-peer-" IMPL, &early_flags) != 0)
    return PEER_EXIT_USAGE;
  return peer_main(argc, argv, &library);
}
