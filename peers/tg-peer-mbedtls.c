/* tg-peer-mbedtls: Mbed TLS 2.28 (Debian 12's libmbedtls) as a peer of the peer protocol
 * (peers/README.md, "The Mbed TLS adapter", has the table of what maps to what). TLS 1.0 to 1.2:
 * Debian builds 2.28 without MBEDTLS_SSL_PROTO_TLS1_3_EXPERIMENTAL.
 *
 * Where the library cannot say what the flags ask, the adapter exits 3: TLS 1.3, RC4 suites
 * (never chosen while arc4 support is off), ffdhe groups, a --sigalgs list that is not whole
 * hashes (2.28 configures hashes, each with ECDSA and RSA PKCS#1 v1.5), --sni other than
 * --verify-name (one name, mbedtls_ssl_set_hostname), --require-ems, --ticket-key, --key-update.
 *
 * Alerts, the negotiated curve and `resumed` come from the library's debug trace
 * (mbedtls_ssl_conf_dbg at threshold 3): 2.28 has no alert callback and no accessor for them.
 * The lines read are written by mbedtls_ssl_send_alert_message, through which every alert is
 * sent ("send alert level=%u message=%u"), by the record layer for every alert received ("got
 * an alert message, type: [%u:%u]"), by the key exchange ("ECDH curve: %s", "ECDHE curve: %s")
 * and by ServerHello processing ("%s session has been resumed"). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/debug.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/oid.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/version.h>

#include "peer_driver.h"
#include "tg/names.h"

#define MAX_SESSION 4096 /* mbedtls_ssl_session_save of a session with its ticket */
#define MAX_ALPN 32

/* ---- Configuration --------------------------------------------------------------------------- */

typedef struct setup {
  const peer_opts *o;
  mbedtls_ssl_config conf;
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_x509_crt own, trust;
  mbedtls_pk_context key;
  mbedtls_ssl_cache_context cache;
  mbedtls_ssl_ticket_context tickets;
  mbedtls_ssl_session resume; /* --sess-in */
  bool has_resume, pinned;
  int suites[PEER_MAX_LIST + 1];
  mbedtls_ecp_group_id curves[PEER_MAX_LIST + 1];
  int hashes[PEER_MAX_LIST + 1];
  char alpn_names[MAX_ALPN][256];
  const char *alpn[MAX_ALPN + 1];
  const char *name; /* the name to verify and send as SNI */
} setup;

/* The connection under way; the debug and verify callbacks find it here (one at a time). */
static peer_conn *current;

static const char *library_version(void) {
  static char v[32];
  if (v[0] == '\0')
    mbedtls_version_get_string_full(v); /* "mbed TLS 2.28.3" */
  return v;
}

static void library_error(int ret, char *buf, size_t len) {
  char e[160];
  mbedtls_strerror(ret, e, sizeof e);
  snprintf(buf, len, "%s (-0x%04x)", e, (unsigned)-ret);
}

static int configure_versions(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  if (o->min_version >= 0x0304 || o->max_version >= 0x0304) {
    snprintf(msg, msglen,
             "--min-version/--max-version: Mbed TLS %s has no TLS 1.3 (Debian "
             "builds it without MBEDTLS_SSL_PROTO_TLS1_3_EXPERIMENTAL)",
             MBEDTLS_VERSION_STRING);
    return PEER_EXIT_UNSUPPORTED;
  }
  /* 2.28 has TLS 1.0 to 1.2 (MBEDTLS_SSL_PROTO_TLS1, _TLS1_1, _TLS1_2), minor versions 1 to 3. */
  uint16_t v = o->min_version && o->min_version < 0x0301   ? o->min_version
               : o->max_version && o->max_version < 0x0301 ? o->max_version
                                                           : 0;
  if (v) {
    snprintf(msg, msglen, "--min-version/--max-version: Mbed TLS refuses %s",
             peer_version_name(v) ? peer_version_name(v) : "that version");
    return PEER_EXIT_UNSUPPORTED;
  }
  if (o->min_version)
    mbedtls_ssl_conf_min_version(&s->conf, MBEDTLS_SSL_MAJOR_VERSION_3, o->min_version & 0xff);
  if (o->max_version)
    mbedtls_ssl_conf_max_version(&s->conf, MBEDTLS_SSL_MAJOR_VERSION_3, o->max_version & 0xff);
  return 0;
}

static int configure_ciphers(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->ciphers;
  for (size_t i = 0; i < l->n; i++) {
    const mbedtls_ssl_ciphersuite_t *cs = mbedtls_ssl_ciphersuite_from_id(l->v[i]);
    /* RC4 suites are known, but never chosen while arc4 support is off (its default). */
    if (cs == NULL || cs->cipher == MBEDTLS_CIPHER_ARC4_128) {
      snprintf(msg, msglen, "--ciphers: %s is not %s by Mbed TLS", tg_cipher_suite_name(l->v[i]),
               cs ? "enabled (RC4: mbedtls_ssl_conf_arc4_support)" : "implemented");
      return PEER_EXIT_UNSUPPORTED;
    }
    s->suites[i] = l->v[i];
  }
  s->suites[l->n] = 0;
  if (l->n)
    mbedtls_ssl_conf_ciphersuites(&s->conf, s->suites);
  return 0;
}

static int configure_groups(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->groups;
  for (size_t i = 0; i < l->n; i++) {
    const mbedtls_ecp_curve_info *ci = mbedtls_ecp_curve_info_from_tls_id(l->v[i]);
    if (ci == NULL) {
      snprintf(msg, msglen, "--groups: %s is not implemented by Mbed TLS", tg_group_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
    s->curves[i] = ci->grp_id;
  }
  s->curves[l->n] = MBEDTLS_ECP_DP_NONE;
  if (l->n)
    mbedtls_ssl_conf_curves(&s->conf, s->curves);
  return 0;
}

/* A TLS 1.2 SignatureScheme (RFC 8446 4.2.3 keeps the 1.2 code points): the hash is the high
 * byte, the signature the low one, 1 RSA PKCS#1 v1.5 and 3 ECDSA. */
static int sig_hash(uint16_t scheme) {
  if ((scheme & 0xff) != 1 && (scheme & 0xff) != 3)
    return MBEDTLS_MD_NONE;
  switch (scheme >> 8) {
  case 2: return MBEDTLS_MD_SHA1;
  case 3: return MBEDTLS_MD_SHA224;
  case 4: return MBEDTLS_MD_SHA256;
  case 5: return MBEDTLS_MD_SHA384;
  case 6: return MBEDTLS_MD_SHA512;
  default: return MBEDTLS_MD_NONE;
  }
}

static bool listed(const peer_u16_list *l, uint16_t v) {
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i] == v)
      return true;
  return false;
}

static int configure_sigalgs(setup *s, char *msg, size_t msglen) {
  const peer_u16_list *l = &s->o->sigalgs;
  size_t n = 0;
  for (size_t i = 0; i < l->n; i++) {
    int md = sig_hash(l->v[i]);
    if (md == MBEDTLS_MD_NONE) {
      snprintf(msg, msglen, "--sigalgs: %s is not implemented by Mbed TLS in TLS 1.2",
               tg_sig_scheme_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
    uint16_t partner = l->v[i] ^ 2; /* rsa_pkcs1 <-> ecdsa of the same hash */
    if (!listed(l, partner)) {
      snprintf(msg, msglen,
               "--sigalgs: Mbed TLS configures hashes, not schemes "
               "(mbedtls_ssl_conf_sig_hashes): %s goes with %s",
               tg_sig_scheme_name(l->v[i]), tg_sig_scheme_name(partner));
      return PEER_EXIT_UNSUPPORTED;
    }
    bool seen = false;
    for (size_t j = 0; j < n; j++)
      seen |= s->hashes[j] == md;
    if (!seen)
      s->hashes[n++] = md;
  }
  s->hashes[n] = MBEDTLS_MD_NONE;
  if (n)
    mbedtls_ssl_conf_sig_hashes(&s->conf, s->hashes);
  return 0;
}

/* The peer's certificate, after the library's own checks (flags) of each one in the chain. */
static int verify_cb(void *arg, mbedtls_x509_crt *crt, int depth, uint32_t *flags) {
  const setup *s = arg;
  if (s->pinned) { /* --trust-key: the leaf's key decides alone */
    bool ok = false;
    for (const mbedtls_x509_crt *p = &s->trust; depth == 0 && p && p->raw.len; p = p->next)
      ok |= p->pk_raw.len == crt->pk_raw.len &&
            memcmp(p->pk_raw.p, crt->pk_raw.p, crt->pk_raw.len) == 0;
    *flags = depth != 0 || ok ? 0 : MBEDTLS_X509_BADCERT_NOT_TRUSTED;
  } else if (s->o->no_verify) {
    *flags = 0;
  } else if (depth == 0 && s->name && !(crt->ext_types & MBEDTLS_X509_EXT_SUBJECT_ALT_NAME)) {
    *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH; /* RFC 9525 6.3: no CN fallback */
  }
  return 0;
}

static void debug_cb(void *arg, int level, const char *file, int line, const char *str);

static int load_credentials(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  int ret = 0;
  const char *what = NULL;
  if (o->role == PEER_ROLE_SERVER && !o->cert) {
    snprintf(msg, msglen, "a server needs --cert and --key");
    return PEER_EXIT_USAGE;
  }
  if (o->cert && ((ret = mbedtls_x509_crt_parse_file(&s->own, o->cert)) != 0 ||
                  (ret = mbedtls_pk_parse_keyfile(&s->key, o->key, NULL)) != 0 ||
                  (ret = mbedtls_ssl_conf_own_cert(&s->conf, &s->own, &s->key)) != 0))
    what = "--cert/--key";
  const char *anchors = o->trust ? o->trust : o->trust_key;
  if (!what && anchors && (ret = mbedtls_x509_crt_parse_file(&s->trust, anchors)) != 0)
    what = anchors;
  if (what) {
    char e[200];
    library_error(ret, e, sizeof e);
    if (what == anchors)
      snprintf(msg, msglen, "%s: %s", anchors, e);
    else
      snprintf(msg, msglen, "--cert %s --key %s: %s", o->cert, o->key, e);
    return PEER_EXIT_USAGE;
  }
  bool server = o->role == PEER_ROLE_SERVER;
  if ((!server || o->require_client_cert) && !anchors && !o->no_verify) {
    snprintf(msg, msglen, "%s: give --trust PEM, --trust-key PEM or --no-verify",
             server ? "--require-client-cert" : "a client");
    return PEER_EXIT_USAGE;
  }
  bool verifies = server ? o->require_client_cert : !o->no_verify;
  s->pinned = o->trust_key != NULL;
  mbedtls_ssl_conf_authmode(&s->conf,
                            verifies ? MBEDTLS_SSL_VERIFY_REQUIRED : MBEDTLS_SSL_VERIFY_NONE);
  if (verifies) /* VERIFY_REQUIRED needs a CA chain; --no-verify's callback ignores it */
    mbedtls_ssl_conf_ca_chain(&s->conf, anchors ? &s->trust : &s->own, NULL);
  mbedtls_ssl_conf_verify(&s->conf, verify_cb, s);
  return 0;
}

static int configure_names(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  if (!o->no_verify && o->sni && o->verify_name && strcmp(o->sni, o->verify_name) != 0) {
    snprintf(msg, msglen,
             "--sni/--verify-name: Mbed TLS has one name for both "
             "(mbedtls_ssl_set_hostname)");
    return PEER_EXIT_UNSUPPORTED;
  }
  /* The name verified (defaults to --sni) is also the SNI sent (defaults to --verify-name). */
  s->name = o->no_verify && o->sni ? o->sni : o->verify_name ? o->verify_name : o->sni;
  if (o->role == PEER_ROLE_SERVER)
    s->name = NULL; /* a server checks no name */
  uint8_t addr[16];
  if (s->name && !o->no_verify && !o->trust_key &&
      (inet_pton(AF_INET, s->name, addr) == 1 || inet_pton(AF_INET6, s->name, addr) == 1)) {
    snprintf(msg, msglen, "--verify-name %s: Mbed TLS 2.28 matches dNSName only, no iPAddress",
             s->name);
    return PEER_EXIT_UNSUPPORTED;
  }
  size_t n = 0;
  for (size_t i = 0; i < o->alpn_len && n < MAX_ALPN; i += 1 + (size_t)o->alpn[i], n++) {
    memcpy(s->alpn_names[n], o->alpn + i + 1, o->alpn[i]);
    s->alpn_names[n][o->alpn[i]] = '\0';
    s->alpn[n] = s->alpn_names[n];
  }
  s->alpn[n] = NULL;
  if (n && mbedtls_ssl_conf_alpn_protocols(&s->conf, s->alpn) != 0) {
    snprintf(msg, msglen, "--alpn: Mbed TLS refuses the list");
    return PEER_EXIT_USAGE;
  }
  return 0;
}

static int load_session(setup *s, char *msg, size_t msglen) {
  size_t len;
  uint8_t *buf = peer_load_file(s->o->sess_in, &len, msg, msglen);
  if (buf == NULL)
    return PEER_EXIT_USAGE;
  int ret = mbedtls_ssl_session_load(&s->resume, buf, len);
  free(buf);
  if (ret != 0) {
    snprintf(msg, msglen, "--sess-in %s: not a session written by tg-peer-mbedtls", s->o->sess_in);
    return PEER_EXIT_USAGE;
  }
  s->has_resume = true;
  return 0;
}

static void setup_init(setup *s, const peer_opts *o) {
  s->o = o;
  mbedtls_ssl_config_init(&s->conf);
  mbedtls_entropy_init(&s->entropy);
  mbedtls_ctr_drbg_init(&s->drbg);
  mbedtls_x509_crt_init(&s->own);
  mbedtls_x509_crt_init(&s->trust);
  mbedtls_pk_init(&s->key);
  mbedtls_ssl_cache_init(&s->cache);
  mbedtls_ssl_ticket_init(&s->tickets);
  mbedtls_ssl_session_init(&s->resume);
  int endpoint = o->role == PEER_ROLE_SERVER ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT;
  (void)mbedtls_ssl_config_defaults(&s->conf, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT);
}

static void setup_free(setup *s) {
  mbedtls_ssl_session_free(&s->resume);
  mbedtls_ssl_ticket_free(&s->tickets);
  mbedtls_ssl_cache_free(&s->cache);
  mbedtls_pk_free(&s->key);
  mbedtls_x509_crt_free(&s->trust);
  mbedtls_x509_crt_free(&s->own);
  mbedtls_ctr_drbg_free(&s->drbg);
  mbedtls_entropy_free(&s->entropy);
  mbedtls_ssl_config_free(&s->conf);
}

static int build_config(setup *s, char *msg, size_t msglen) {
  const peer_opts *o = s->o;
  const char *no = o->require_ems      ? "--require-ems: Mbed TLS 2.28 can enable or disable "
                                         "extended_master_secret, not require it"
                   : o->has_ticket_key ? "--ticket-key: Mbed TLS draws its ticket keys itself "
                                         "(mbedtls_ssl_ticket_setup)"
                   : o->key_update     ? "--key-update: no KeyUpdate before TLS 1.3"
                   : o->request_client_cert
                       ? "--request-client-cert: MBEDTLS_SSL_VERIFY_OPTIONAL also lets an "
                         "invalid certificate through, not only a missing one"
                       : NULL;
  if (no) {
    snprintf(msg, msglen, "%s", no);
    return PEER_EXIT_UNSUPPORTED;
  }
  int rc;
  if ((rc = configure_versions(s, msg, msglen)) || (rc = configure_ciphers(s, msg, msglen)) ||
      (rc = configure_groups(s, msg, msglen)) || (rc = configure_sigalgs(s, msg, msglen)) ||
      (rc = configure_names(s, msg, msglen)) || (rc = load_credentials(s, msg, msglen)) ||
      (o->sess_in && (rc = load_session(s, msg, msglen))))
    return rc;
  int ret = mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy,
                                  (const unsigned char *)"tg-peer-mbedtls", 15);
  if (ret == 0 && o->role == PEER_ROLE_SERVER) {
    /* As ssl_server2 does by default: a session cache and tickets (RFC 5077). */
    mbedtls_ssl_conf_session_cache(&s->conf, &s->cache, mbedtls_ssl_cache_get,
                                   mbedtls_ssl_cache_set);
    ret = mbedtls_ssl_ticket_setup(&s->tickets, mbedtls_ctr_drbg_random, &s->drbg,
                                   MBEDTLS_CIPHER_AES_256_GCM, 86400);
    mbedtls_ssl_conf_session_tickets_cb(&s->conf, mbedtls_ssl_ticket_write,
                                        mbedtls_ssl_ticket_parse, &s->tickets);
  }
  if (ret != 0) {
    library_error(ret, msg, msglen);
    return PEER_EXIT_USAGE;
  }
  mbedtls_ssl_conf_rng(&s->conf, mbedtls_ctr_drbg_random, &s->drbg);
  mbedtls_ssl_conf_dbg(&s->conf, debug_cb, NULL);
  mbedtls_debug_set_threshold(3);
  return 0;
}

static int setup_new(const peer_opts *o, void **out, char *msg, size_t msglen) {
  setup *s = calloc(1, sizeof *s);
  if (s == NULL) {
    snprintf(msg, msglen, "out of memory");
    return PEER_EXIT_USAGE;
  }
  setup_init(s, o);
  *out = s;
  return build_config(s, msg, msglen);
}

static void setup_delete(void *p) {
  if (p)
    setup_free(p);
  free(p);
}

/* ---- --info: each value alone through the configure_* step of its flag; a signature scheme
 * with its partner of the same hash, the smallest list the library can express. ------------- */

static bool probe_takes(const peer_opts *probe, peer_probe_kind kind, uint16_t v) {
  static peer_opts o;
  static setup s;
  o = *probe;
  memset(&s, 0, sizeof s);
  if (kind == PEER_PROBE_SIGALG) /* 2.28 configures a hash: with ECDSA and RSA PKCS#1 both */
    o.sigalgs.v[o.sigalgs.n++] = v ^ 2;
  setup_init(&s, &o);
  char msg[512];
  int rc = kind == PEER_PROBE_VERSION ? configure_versions(&s, msg, sizeof msg)
           : kind == PEER_PROBE_SUITE ? configure_ciphers(&s, msg, sizeof msg)
           : kind == PEER_PROBE_GROUP ? configure_groups(&s, msg, sizeof msg)
                                      : configure_sigalgs(&s, msg, sizeof msg);
  setup_free(&s);
  return rc == 0;
}

static void info(peer_info *in) {
  peer_info_probe_flags(in, probe_takes);
  in->alpn = in->sni = in->client_auth = in->resumption = true;
  in->ems_optional = true; /* the library's default */
  in->key_update = in->ticket_key = in->require_ems = false;
}

/* ---- One connection -------------------------------------------------------------------------- */

typedef struct conn {
  mbedtls_ssl_context ssl;
  uint16_t group; /* from the debug trace */
  bool resumed;
  uint8_t session[MAX_SESSION];
  size_t session_len;
} conn;

#define CONN(c) ((conn *)(c)->lib)

/* The library's debug trace (see the header comment): alerts, the curve, resumption. */
static void debug_cb(void *arg, int level, const char *file, int line, const char *str) {
  (void)arg, (void)level, (void)file, (void)line;
  unsigned lvl, desc;
  const char *p;
  char name[32];
  if (current == NULL)
    return;
  if ((p = strstr(str, "send alert level=")) &&
      sscanf(p, "send alert level=%u message=%u", &lvl, &desc) == 2 && lvl == 2)
    peer_conn_alert_sent(current, (int)desc);
  else if ((p = strstr(str, "got an alert message, type: [")) &&
           sscanf(p, "got an alert message, type: [%u:%u]", &lvl, &desc) == 2 && lvl == 2)
    peer_conn_alert_received(current, (int)desc);
  else if ((p = strstr(str, "ECDH curve: ")) || (p = strstr(str, "ECDHE curve: "))) {
    const mbedtls_ecp_curve_info *ci = NULL;
    if (sscanf(strchr(p, ':') + 2, "%31s", name) == 1)
      ci = mbedtls_ecp_curve_info_from_name(name);
    CONN(current)->group = ci ? ci->tls_id : 0;
  } else if (strstr(str, "a session has been resumed"))
    CONN(current)->resumed = true;
}

static int send_cb(void *arg, const unsigned char *buf, size_t len) {
  const peer_conn *c = arg;
  ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL);
  if (n >= 0)
    return (int)n;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return MBEDTLS_ERR_SSL_WANT_WRITE;
  return errno == EPIPE || errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET
                                               : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int recv_cb(void *arg, unsigned char *buf, size_t len) {
  const peer_conn *c = arg;
  ssize_t n = recv(c->fd, buf, len, 0);
  if (n >= 0)
    return (int)n; /* 0: the transport ended (MBEDTLS_ERR_SSL_CONN_EOF) */
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return MBEDTLS_ERR_SSL_WANT_READ;
  return errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_RECV_FAILED;
}

/* A failure without an alert: the class from the library's error code. */
static const char *class_of(int ret) {
  switch (ret) {
  case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
  case MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE: return PEER_EC_CERTIFICATE;
  case MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE:
  case MBEDTLS_ERR_SSL_NO_CIPHER_CHOSEN: return PEER_EC_HANDSHAKE_FAILURE;
  case MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION: return PEER_EC_VERSION;
  case MBEDTLS_ERR_NET_SEND_FAILED:
  case MBEDTLS_ERR_NET_RECV_FAILED: return PEER_EC_TRANSPORT;
  case MBEDTLS_ERR_SSL_ALLOC_FAILED:
  case MBEDTLS_ERR_SSL_INTERNAL_ERROR:
  case MBEDTLS_ERR_SSL_BAD_INPUT_DATA: return PEER_EC_INTERNAL;
  default: return PEER_EC_PROTOCOL;
  }
}

/* What an mbedtls_ssl_* result means as a driver step; a failure records why. */
static peer_step step_of(peer_conn *c, int ret) {
  switch (ret) {
  case MBEDTLS_ERR_SSL_WANT_READ: return PEER_STEP_WANT_READ;
  case MBEDTLS_ERR_SSL_WANT_WRITE: return PEER_STEP_WANT_WRITE;
  case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY: return PEER_STEP_CLOSED;
  case 0:
  case MBEDTLS_ERR_SSL_CONN_EOF:
  case MBEDTLS_ERR_NET_CONN_RESET:
    c->eof = true;
    c->error_class = PEER_EC_TRANSPORT;
    snprintf(c->msg, sizeof c->msg, "%s",
             ret == MBEDTLS_ERR_NET_CONN_RESET ? "the connection was reset"
                                               : "the peer closed the connection");
    return PEER_STEP_FAILED;
  default:
    library_error(ret, c->msg, sizeof c->msg);
    if (ret != MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE)
      c->error_class = class_of(ret);
    return PEER_STEP_FAILED;
  }
}

static bool conn_new(peer_conn *c) {
  const setup *s = c->setup;
  conn *k = calloc(1, sizeof *k);
  c->lib = k;
  if (k == NULL) {
    snprintf(c->msg, sizeof c->msg, "out of memory");
    return false;
  }
  mbedtls_ssl_init(&k->ssl);
  int ret = mbedtls_ssl_setup(&k->ssl, &s->conf);
  if (ret == 0 && s->o->role == PEER_ROLE_CLIENT && s->name)
    ret = mbedtls_ssl_set_hostname(&k->ssl, s->name);
  if (ret == 0 && s->has_resume)
    ret = mbedtls_ssl_set_session(&k->ssl, &s->resume);
  if (ret != 0) {
    library_error(ret, c->msg, sizeof c->msg);
    return false;
  }
  mbedtls_ssl_set_bio(&k->ssl, c, send_cb, recv_cb, NULL);
  current = c;
  return true;
}

static void conn_free(peer_conn *c) {
  current = NULL;
  if (CONN(c))
    mbedtls_ssl_free(&CONN(c)->ssl);
  free(c->lib);
  c->lib = NULL;
}

static peer_step handshake(peer_conn *c) {
  int ret = mbedtls_ssl_handshake(&CONN(c)->ssl);
  return ret == 0 ? PEER_STEP_OK : step_of(c, ret);
}

static peer_step read_data(peer_conn *c, uint8_t *buf, size_t cap, size_t *n) {
  int ret = mbedtls_ssl_read(&CONN(c)->ssl, buf, cap);
  if (ret > 0) {
    *n = (size_t)ret;
    return PEER_STEP_OK;
  }
  return step_of(c, ret);
}

static peer_step write_data(peer_conn *c, const uint8_t *p, size_t len, size_t *n) {
  int ret = mbedtls_ssl_write(&CONN(c)->ssl, p, len);
  if (ret > 0) {
    *n = (size_t)ret;
    return PEER_STEP_OK;
  }
  return ret == 0 ? PEER_STEP_WANT_WRITE : step_of(c, ret);
}

static size_t pending(peer_conn *c) {
  mbedtls_ssl_context *ssl = &CONN(c)->ssl;
  return mbedtls_ssl_get_bytes_avail(ssl) + (size_t)mbedtls_ssl_check_pending(ssl);
}

static void close_notify(peer_conn *c) { (void)mbedtls_ssl_close_notify(&CONN(c)->ssl); }

static uint16_t version_of(const char *name) {
  static const struct {
    const char *name;
    uint16_t v;
  } t[] = {{"TLSv1.2", 0x0303}, {"TLSv1.1", 0x0302}, {"TLSv1.0", 0x0301}};
  for (size_t i = 0; name && i < sizeof t / sizeof t[0]; i++)
    if (strcmp(name, t[i].name) == 0)
      return t[i].v;
  return 0;
}

static void describe(peer_conn *c) {
  conn *k = CONN(c);
  peer_outcome *out = &c->out;
  if (c->handshake_done) {
    out->protocol = peer_version_name(version_of(mbedtls_ssl_get_version(&k->ssl)));
    const char *suite = mbedtls_ssl_get_ciphersuite(&k->ssl);
    int id = suite ? mbedtls_ssl_get_ciphersuite_id(suite) : 0;
    out->cipher = id ? tg_cipher_suite_name((uint16_t)id) : NULL;
    out->group = k->group ? tg_group_name(k->group) : NULL;
    out->alpn = mbedtls_ssl_get_alpn_protocol(&k->ssl);
    out->alpn_len = out->alpn ? strlen(out->alpn) : 0;
    out->resumed = k->resumed;
  }
  /* A refused certificate: the library's verify result says why, beside its error text. */
  uint32_t flags =
      mbedtls_ssl_get_verify_result(&k->ssl) & ~(uint32_t)MBEDTLS_X509_BADCERT_SKIP_VERIFY;
  if (flags != 0 && flags != (uint32_t)-1 && out->alert_sent >= 0) {
    char v[200];
    mbedtls_x509_crt_verify_info(v, sizeof v, "", flags);
    for (char *p = v; (p = strchr(p, '\n')) != NULL;)
      *p = strchr(p + 1, '\n') ? ';' : '\0';
    size_t used = strlen(c->msg);
    snprintf(c->msg + used, sizeof c->msg - used, " (certificate verify: %s)", v);
  }
}

/* --sess-out: TLS 1.2 has the session (id and/or ticket) when the handshake completes. */
static void session_of(peer_conn *c) {
  conn *k = CONN(c);
  if (k->session_len == 0 && c->handshake_done) {
    mbedtls_ssl_session sess;
    mbedtls_ssl_session_init(&sess);
    size_t len = 0;
    if (mbedtls_ssl_get_session(&k->ssl, &sess) == 0 && (sess.id_len || sess.ticket_len) &&
        mbedtls_ssl_session_save(&sess, k->session, sizeof k->session, &len) == 0)
      k->session_len = len;
    mbedtls_ssl_session_free(&sess);
  }
  c->session = k->session;
  c->session_len = k->session_len;
}

int verify_mbedtls_run(const peer_opts *o, const char *version);
static int verify(const peer_opts *o) { return verify_mbedtls_run(o, library_version()); }

static const peer_library library = {
    .name = "mbedtls",
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
    .key_update = NULL,
    .close_notify = close_notify,
    .describe = describe,
    .session = session_of,
};

int main(int argc, char **argv) { return peer_main(argc, argv, &library); }
