/* tg-peer-gnutls: GnuTLS as a peer of the peer protocol (peers/README.md), on the adapter
 * skeleton (peer_driver.h): the driver runs the connection, this file only drives GnuTLS.
 *
 * How the flags map onto GnuTLS:
 * - --min/--max-version, --ciphers, --groups, --sigalgs become one priority string on top of
 *   NORMAL (gnutls_priority_init2): -VERS-ALL:+VERS-TLS1.x..., -CIPHER-ALL:-MAC-ALL:-KX-ALL
 *   with the cipher, MAC and key exchange of each suite, -GROUP-ALL:+GROUP-X, -SIGN-ALL:+SIGN-X.
 *   GnuTLS selects TLS 1.2 suites as a product of kx x cipher x MAC, so a --ciphers list whose
 *   product holds a suite that was not asked for cannot be expressed: exit 3. A list without a
 *   TLS 1.3 suite also removes VERS-TLS1.3 (its cipher would enable the TLS 1.3 suite too).
 * - A suite, group or signature scheme GnuTLS lacks exits 3 (an unknown IANA name exits 2).
 * - --cert/--key: gnutls_certificate_set_x509_key_file2; --trust: set_x509_trust_file and
 *   gnutls_session_set_verify_cert2 with typed data: the name (--verify-name, or --sni) and the
 *   key purpose, GNUTLS_KP_TLS_WWW_SERVER on a client (as gnutls-cli passes it to
 *   gnutls_certificate_verify_peers, src/common.c cert_verify) and GNUTLS_KP_TLS_WWW_CLIENT on
 *   a server (gnutls-serv checks no purpose on client certificates; the typed data is the
 *   documented way to ask for one); --trust-key: a verify function that compares the leaf's
 *   subjectPublicKeyInfo with the pinned ones.
 * - --require-client-cert: gnutls_certificate_server_set_request(GNUTLS_CERT_REQUIRE);
 *   --request-client-cert: GNUTLS_CERT_REQUEST (asks, goes on without one).
 * - --alpn: gnutls_alpn_set_protocols; a server adds GNUTLS_ALPN_MANDATORY (gnutls-serv
 *   --alpn-fatal), so no overlap is fatal with no_application_protocol (RFC 7301 §3.2), as in
 *   the OpenSSL/BoringSSL adapter. A client passes 0, as gnutls-cli does (see configure_alpn).
 * - TLS 1.2 renegotiation: GNUTLS_E_REHANDSHAKE from gnutls_record_recv (a server got a
 *   ClientHello, a client a HelloRequest) is answered with gnutls_handshake, as gnutls-serv and
 *   gnutls-cli do (see rehandshake).
 * - --sni: gnutls_server_name_set (sent only when given; --verify-name alone sends none).
 * - --key-update: gnutls_session_key_update(GNUTLS_KU_PEER).
 * - --sess-out/--sess-in: gnutls_session_get_data2/set_data (GnuTLS's own session format).
 *   --ticket-key: the 64-byte ticket master key GnuTLS wants is SHA-512 of the 16 bytes, so two
 *   processes with the same key open each other's tickets; without it, one random key.
 *
 * Outcomes: the alert received is gnutls_alert_get after GNUTLS_E_FATAL_ALERT_RECEIVED. GnuTLS
 * does not send an alert when a call fails; this adapter sends the one gnutls_error_to_alert
 * names for the error (except for transport errors and a timeout) and reports it as sent, with
 * gnutls_strerror as the error text. GnuTLS does its I/O through pull/push callbacks; they block
 * in peer_conn_read/peer_conn_write until data or the connection's deadline, so every call here
 * either completes or fails, and none returns a "want". */
#include <errno.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>

#include "peer_driver.h"
#include "tg/codec.h"
#include "tg/names.h"

#define IMPL "gnutls"
#define MAX_CERTS 16
#define MAX_ALPN 32
#define TICKET_MASTER_KEY_LEN 64 /* what gnutls_session_ticket_enable_server expects */

/* ---- Names: IANA code points <-> GnuTLS names ------------------------------------------------ */

typedef struct name_map {
  uint16_t iana;
  const char *gnutls;
} name_map;

/* NamedGroup (RFC 8446 §4.2.7, RFC 7919). */
static const name_map groups[] = {
    {23, "SECP256R1"},  {24, "SECP384R1"},  {25, "SECP521R1"},  {29, "X25519"},
    {30, "X448"},       {256, "FFDHE2048"}, {257, "FFDHE3072"}, {258, "FFDHE4096"},
    {259, "FFDHE6144"}, {260, "FFDHE8192"},
};

/* SignatureScheme (RFC 8446 §4.2.3). */
static const name_map sigs[] = {
    {0x0201, "RSA-SHA1"},
    {0x0203, "ECDSA-SHA1"},
    {0x0401, "RSA-SHA256"},
    {0x0501, "RSA-SHA384"},
    {0x0601, "RSA-SHA512"},
    {0x0403, "ECDSA-SECP256R1-SHA256"},
    {0x0503, "ECDSA-SECP384R1-SHA384"},
    {0x0603, "ECDSA-SECP521R1-SHA512"},
    {0x0804, "RSA-PSS-RSAE-SHA256"},
    {0x0805, "RSA-PSS-RSAE-SHA384"},
    {0x0806, "RSA-PSS-RSAE-SHA512"},
    {0x0807, "EdDSA-Ed25519"},
    {0x0808, "EdDSA-Ed448"},
    {0x0809, "RSA-PSS-SHA256"},
    {0x080a, "RSA-PSS-SHA384"},
    {0x080b, "RSA-PSS-SHA512"},
};

static const char *map_find(const name_map *m, size_t n, uint16_t iana) {
  for (size_t i = 0; i < n; i++)
    if (m[i].iana == iana)
      return m[i].gnutls;
  return NULL;
}

/* The IANA name of the group GnuTLS negotiated, or NULL. */
static const char *group_iana_name(gnutls_group_t g) {
  const char *name = gnutls_group_get_name(g);
  for (size_t i = 0; name && i < sizeof groups / sizeof groups[0]; i++)
    if (strcmp(groups[i].gnutls, name) == 0)
      return tg_group_name(groups[i].iana);
  return NULL;
}

static uint16_t version_of(gnutls_protocol_t p) {
  switch (p) {
  case GNUTLS_TLS1_0: return TG_VERSION_TLS10;
  case GNUTLS_TLS1_1: return TG_VERSION_TLS11;
  case GNUTLS_TLS1_2: return TG_VERSION_TLS12;
  case GNUTLS_TLS1_3: return TG_VERSION_TLS13;
  default: return 0;
  }
}

/* ---- The priority string --------------------------------------------------------------------- */

typedef struct prio_buf {
  char s[4096];
  size_t len;
  bool overflow;
} prio_buf;

static void prio_add(prio_buf *b, const char *prefix, const char *name) {
  size_t room = sizeof b->s - b->len;
  int n = snprintf(b->s + b->len, room, ":%s%s", prefix, name);
  if (n < 0 || (size_t)n >= room)
    b->overflow = true;
  else
    b->len += (size_t)n;
}

/* Appends +NAME once: several suites share a cipher, MAC or key exchange. */
static void prio_add_once(prio_buf *b, const char *name) {
  char token[128];
  snprintf(token, sizeof token, ":+%s:", name);
  char tail[136];
  snprintf(tail, sizeof tail, ":+%s", name);
  size_t tl = strlen(tail);
  if (strstr(b->s, token) == NULL && !(b->len >= tl && strcmp(b->s + b->len - tl, tail) == 0))
    prio_add(b, "+", name);
}

/* GnuTLS's index of the suite with this IANA code point, or false. */
static bool suite_find(uint16_t iana, size_t *idx) {
  unsigned char id[2];
  for (size_t i = 0; gnutls_cipher_suite_info(i, id, NULL, NULL, NULL, NULL) != NULL; i++) {
    if ((uint16_t)(id[0] << 8 | id[1]) == iana) {
      *idx = i;
      return true;
    }
  }
  return false;
}

static bool versions_to_prio(const peer_opts *o, prio_buf *b) {
  if (!o->min_version && !o->max_version)
    return true;
  uint16_t lo = o->min_version ? o->min_version : TG_VERSION_TLS10;
  uint16_t hi = o->max_version ? o->max_version : TG_VERSION_TLS13;
  prio_add(b, "-", "VERS-ALL");
  static const char *const names[] = {"VERS-TLS1.0", "VERS-TLS1.1", "VERS-TLS1.2", "VERS-TLS1.3"};
  for (uint16_t v = hi; v >= lo && v >= TG_VERSION_TLS10; v--)
    prio_add(b, "+", names[v - TG_VERSION_TLS10]);
  return true;
}

/* --ciphers: the cipher, MAC and kx of each suite, in the order given. */
static int ciphers_to_prio(const peer_opts *o, prio_buf *b, char *msg, size_t msglen) {
  if (o->ciphers.n == 0)
    return 0;
  gnutls_kx_algorithm_t kx[PEER_MAX_LIST];
  gnutls_cipher_algorithm_t cipher[PEER_MAX_LIST];
  gnutls_mac_algorithm_t mac[PEER_MAX_LIST];
  unsigned char id[2];
  for (size_t i = 0; i < o->ciphers.n; i++) {
    size_t idx;
    if (!suite_find(o->ciphers.v[i], &idx)) {
      snprintf(msg, msglen, "--ciphers: %s is not implemented by GnuTLS",
               tg_cipher_suite_name(o->ciphers.v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
    (void)gnutls_cipher_suite_info(idx, id, &kx[i], &cipher[i], &mac[i], NULL);
  }
  prio_add(b, "-", "CIPHER-ALL:-MAC-ALL:-KX-ALL");
  for (size_t i = 0; i < o->ciphers.n; i++)
    prio_add_once(b, gnutls_cipher_get_name(cipher[i]));
  for (size_t i = 0; i < o->ciphers.n; i++)
    prio_add_once(b, gnutls_mac_get_name(mac[i]));
  bool any13 = false;
  for (size_t i = 0; i < o->ciphers.n; i++) {
    if (kx[i] != GNUTLS_KX_UNKNOWN)
      prio_add_once(b, gnutls_kx_get_name(kx[i]));
    any13 |= kx[i] == GNUTLS_KX_UNKNOWN; /* TLS 1.3 suites name no key exchange */
  }
  /* A cipher and AEAD of a TLS 1.2 suite also enable the TLS 1.3 suite with that cipher: with
   * no TLS 1.3 suite asked for, TLS 1.3 cannot be negotiated (RFC 8446 §4.1.1), so it goes. */
  if (!any13)
    prio_add(b, "-", "VERS-TLS1.3");
  return 0;
}

static int list_to_prio(const char *flag, const peer_u16_list *l, const name_map *m, size_t nm,
                        const char *prefix, bool (*known)(const char *), prio_buf *b, char *msg,
                        size_t msglen, const char *(*iana_name)(unsigned)) {
  if (l->n == 0)
    return 0;
  char all[32];
  snprintf(all, sizeof all, "%sALL", prefix);
  prio_add(b, "-", all);
  for (size_t i = 0; i < l->n; i++) {
    const char *name = map_find(m, nm, l->v[i]);
    if (name == NULL || !known(name)) {
      snprintf(msg, msglen, "%s: %s is not implemented by GnuTLS", flag, iana_name(l->v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
    char token[64];
    snprintf(token, sizeof token, "%s%s", prefix, name);
    prio_add(b, "+", token);
  }
  return 0;
}

static bool group_known(const char *n) { return gnutls_group_get_id(n) != GNUTLS_GROUP_INVALID; }
static bool sign_known(const char *n) { return gnutls_sign_get_id(n) != GNUTLS_SIGN_UNKNOWN; }

/* Every suite the priority enables must be one of --ciphers: otherwise exit 3. */
static int check_suites(const peer_opts *o, gnutls_priority_t prio, char *msg, size_t msglen) {
  if (o->ciphers.n == 0)
    return 0;
  tg_bytes asked = tg_bytes_of(o->ciphers.wire, 2 * o->ciphers.n);
  bool any13 = false;
  for (size_t i = 0; i < o->ciphers.n; i++)
    any13 |= (o->ciphers.v[i] >> 8) == 0x13;
  for (unsigned i = 0;; i++) {
    unsigned sidx;
    int rc = gnutls_priority_get_cipher_suite_index(prio, i, &sidx);
    if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
      return 0;
    if (rc != 0)
      continue;
    unsigned char id[2];
    const char *name = gnutls_cipher_suite_info(sidx, id, NULL, NULL, NULL, NULL);
    uint16_t code = (uint16_t)(id[0] << 8 | id[1]);
    /* TLS 1.3 suites are listed even when -VERS-TLS1.3 keeps them from being used. */
    if (name && !tg_u16s_contains(asked, code) && (any13 || id[0] != 0x13)) {
      const char *iana = tg_cipher_suite_name(code);
      snprintf(msg, msglen,
               "--ciphers: GnuTLS selects suites as kx x cipher x MAC and would also enable %s",
               iana ? iana : name);
      return PEER_EXIT_UNSUPPORTED;
    }
  }
}

static int build_priority(const peer_opts *o, gnutls_priority_t *prio, char *msg, size_t msglen) {
  prio_buf b = {.s = "NORMAL", .len = 6};
  int rc;
  versions_to_prio(o, &b);
  if ((rc = ciphers_to_prio(o, &b, msg, msglen)) != 0 ||
      (rc = list_to_prio("--groups", &o->groups, groups, sizeof groups / sizeof groups[0], "GROUP-",
                         group_known, &b, msg, msglen, tg_group_name)) != 0 ||
      (rc = list_to_prio("--sigalgs", &o->sigalgs, sigs, sizeof sigs / sizeof sigs[0], "SIGN-",
                         sign_known, &b, msg, msglen, tg_sig_scheme_name)) != 0)
    return rc;
  if (b.overflow) {
    snprintf(msg, msglen, "the priority string is too long");
    return PEER_EXIT_USAGE;
  }
  const char *err_pos = NULL;
  int ret = gnutls_priority_init2(prio, b.s, &err_pos, 0);
  if (ret < 0) {
    snprintf(msg, msglen, "GnuTLS refuses the priority string '%s' at '%s': %s", b.s,
             err_pos ? err_pos : "?", gnutls_strerror(ret));
    return PEER_EXIT_USAGE;
  }
  return check_suites(o, *prio, msg, msglen);
}

/* ---- --info: each value goes through build_priority, the path of the real flags. ----------- */

static bool probe_takes(const peer_opts *o, peer_probe_kind kind, uint16_t v) {
  (void)kind, (void)v;
  gnutls_priority_t prio = NULL;
  char msg[512];
  int rc = build_priority(o, &prio, msg, sizeof msg);
  if (prio)
    gnutls_priority_deinit(prio);
  return rc == 0;
}

static const char *library_version(void) { return gnutls_check_version(NULL); }

static void info(peer_info *in) {
  peer_info_probe_flags(in, probe_takes);
  /* gnutls_alpn_set_protocols, gnutls_server_name_set, GNUTLS_CERT_REQUIRE, session data,
   * gnutls_session_key_update, and the ticket master key derived from --ticket-key. */
  in->alpn = in->sni = in->client_auth = in->resumption = in->key_update = in->ticket_key = true;
  in->ems_optional = true; /* the library's default */
}

/* ---- Credentials ----------------------------------------------------------------------------- */

typedef struct setup {
  gnutls_certificate_credentials_t cred;
  gnutls_priority_t prio;
  gnutls_datum_t pins[MAX_CERTS]; /* --trust-key: subjectPublicKeyInfo DER */
  unsigned npins;
  gnutls_datum_t alpn[MAX_ALPN];
  unsigned nalpn;
  gnutls_datum_t ticket_key; /* server */
  gnutls_datum_t sess_in;    /* client: --sess-in */
} setup;

static bool spki_of(const gnutls_datum_t *der, gnutls_datum_t *spki) {
  gnutls_x509_crt_t crt;
  gnutls_pubkey_t pk;
  if (gnutls_x509_crt_init(&crt) < 0)
    return false;
  bool ok = false;
  if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) >= 0 && gnutls_pubkey_init(&pk) >= 0) {
    ok = gnutls_pubkey_import_x509(pk, crt, 0) >= 0 &&
         gnutls_pubkey_export2(pk, GNUTLS_X509_FMT_DER, spki) >= 0;
    gnutls_pubkey_deinit(pk);
  }
  gnutls_x509_crt_deinit(crt);
  return ok;
}

/* --trust-key: the leaf must carry one of the pinned keys, byte for byte. */
static int verify_pinned(gnutls_session_t session) {
  const peer_conn *c = gnutls_session_get_ptr(session);
  const setup *su = c->setup;
  unsigned n = 0;
  const gnutls_datum_t *peers = gnutls_certificate_get_peers(session, &n);
  gnutls_datum_t spki;
  if (peers == NULL || n == 0 || !spki_of(&peers[0], &spki))
    return GNUTLS_E_CERTIFICATE_ERROR;
  bool match = false;
  for (unsigned i = 0; i < su->npins && !match; i++)
    match = su->pins[i].size == spki.size && memcmp(su->pins[i].data, spki.data, spki.size) == 0;
  gnutls_free(spki.data);
  return match ? 0 : GNUTLS_E_CERTIFICATE_ERROR;
}

static bool load_pins(const char *path, setup *s, char *msg, size_t msglen) {
  gnutls_datum_t pem;
  int ret = gnutls_load_file(path, &pem);
  if (ret < 0) {
    snprintf(msg, msglen, "%s: %s", path, gnutls_strerror(ret));
    return false;
  }
  gnutls_x509_crt_t *list = NULL;
  unsigned n = 0;
  ret = gnutls_x509_crt_list_import2(&list, &n, &pem, GNUTLS_X509_FMT_PEM, 0);
  gnutls_free(pem.data);
  if (ret < 0 || n == 0 || n > MAX_CERTS) {
    snprintf(msg, msglen, "%s: %s", path, ret < 0 ? gnutls_strerror(ret) : "1 to 16 certificates");
    return false;
  }
  bool ok = true;
  for (unsigned i = 0; i < n; i++) {
    gnutls_datum_t der;
    if (ok && gnutls_x509_crt_export2(list[i], GNUTLS_X509_FMT_DER, &der) >= 0) {
      ok = spki_of(&der, &s->pins[s->npins]);
      s->npins += ok;
      gnutls_free(der.data);
    }
    gnutls_x509_crt_deinit(list[i]);
  }
  gnutls_free(list);
  if (!ok)
    snprintf(msg, msglen, "%s: cannot read a public key", path);
  return ok;
}

/* --alpn: the ProtocolNameList body peer_common built, read back into datums. */
static bool alpn_list(const peer_opts *o, setup *s, char *msg, size_t msglen) {
  tg_reader r;
  tg_reader_init(&r, o->alpn, o->alpn_len, NULL);
  while (tg_left(&r) > 0) {
    tg_reader name;
    if (s->nalpn == MAX_ALPN ||
        tg_read_vec(&r, 1, 1, 255, &name, "ProtocolNameList.ProtocolName") != TG_OK) {
      snprintf(msg, msglen, "--alpn: at most %d names", MAX_ALPN);
      return false;
    }
    tg_bytes b = tg_reader_rest(&name);
    s->alpn[s->nalpn++] = (gnutls_datum_t){(unsigned char *)b.p, (unsigned)b.len};
  }
  return true;
}

/* Server tickets: SHA-512 of --ticket-key (GnuTLS wants 64 bytes), else one random key. */
static bool ticket_setup(const peer_opts *o, setup *s, char *msg, size_t msglen) {
  int ret;
  if (o->has_ticket_key) {
    s->ticket_key.data = gnutls_malloc(TICKET_MASTER_KEY_LEN);
    s->ticket_key.size = TICKET_MASTER_KEY_LEN;
    ret = s->ticket_key.data ? gnutls_hash_fast(GNUTLS_DIG_SHA512, o->ticket_key,
                                                sizeof o->ticket_key, s->ticket_key.data)
                             : GNUTLS_E_MEMORY_ERROR;
  } else {
    ret = gnutls_session_ticket_key_generate(&s->ticket_key);
  }
  if (ret < 0)
    snprintf(msg, msglen, "ticket key: %s", gnutls_strerror(ret));
  return ret >= 0;
}

static int load_credentials(const peer_opts *o, setup *s, char *msg, size_t msglen) {
  int ret = gnutls_certificate_allocate_credentials(&s->cred);
  if (ret >= 0 && o->cert)
    ret = gnutls_certificate_set_x509_key_file2(s->cred, o->cert, o->key, GNUTLS_X509_FMT_PEM, NULL,
                                                0);
  if (ret < 0) {
    snprintf(msg, msglen, "%s: %s", o->cert ? o->cert : "credentials", gnutls_strerror(ret));
    return PEER_EXIT_USAGE;
  }
  if (o->trust) {
    ret = gnutls_certificate_set_x509_trust_file(s->cred, o->trust, GNUTLS_X509_FMT_PEM);
    if (ret <= 0) {
      snprintf(msg, msglen, "%s: %s", o->trust,
               ret == 0 ? "no CERTIFICATE block" : gnutls_strerror(ret));
      return PEER_EXIT_USAGE;
    }
  }
  if (o->trust_key) {
    if (!load_pins(o->trust_key, s, msg, msglen))
      return PEER_EXIT_USAGE;
    gnutls_certificate_set_verify_function(s->cred, verify_pinned);
  }
  return 0;
}

/* --sess-in: a file GnuTLS cannot load is bad input (exit 2), found before any connection. */
static bool session_file_parses(const setup *s, char *msg, size_t msglen) {
  gnutls_session_t probe;
  int ret = gnutls_init(&probe, GNUTLS_CLIENT);
  if (ret >= 0) {
    ret = gnutls_session_set_data(probe, s->sess_in.data, s->sess_in.size);
    gnutls_deinit(probe);
  }
  if (ret < 0)
    snprintf(msg, msglen, "--sess-in: %s", gnutls_strerror(ret));
  return ret >= 0;
}

static int build_setup(const peer_opts *o, setup *s, char *msg, size_t msglen) {
  bool server = o->role == PEER_ROLE_SERVER;
  if (o->require_ems) { /* 3.7 knows no %FORCE_EXT_MASTER_SECRET: it goes on without */
    snprintf(msg, msglen,
             "--require-ems: GnuTLS %s has no priority keyword to refuse a peer "
             "without extended_master_secret (RFC 7627 5.2 lets it go on)",
             gnutls_check_version(NULL));
    return PEER_EXIT_UNSUPPORTED;
  }
  int rc = build_priority(o, &s->prio, msg, msglen);
  if (rc != 0)
    return rc;
  if (server && !o->cert) {
    snprintf(msg, msglen, "a server needs --cert and --key");
    return PEER_EXIT_USAGE;
  }
  bool verifies = server ? o->require_client_cert || o->request_client_cert : true;
  if (verifies && !o->trust && !o->trust_key && !o->no_verify) {
    snprintf(msg, msglen, "%s: give --trust PEM, --trust-key PEM or --no-verify",
             server ? "--require-client-cert/--request-client-cert" : "a client");
    return PEER_EXIT_USAGE;
  }
  if ((rc = load_credentials(o, s, msg, msglen)) != 0)
    return rc;
  if (!alpn_list(o, s, msg, msglen) || (server && !ticket_setup(o, s, msg, msglen)))
    return PEER_EXIT_USAGE;
  int ret;
  if (o->sess_in && (ret = gnutls_load_file(o->sess_in, &s->sess_in)) < 0) {
    snprintf(msg, msglen, "--sess-in %s: %s", o->sess_in, gnutls_strerror(ret));
    return PEER_EXIT_USAGE;
  }
  if (s->sess_in.size && !session_file_parses(s, msg, msglen))
    return PEER_EXIT_USAGE;
  return 0;
}

static int setup_new(const peer_opts *o, void **out, char *msg, size_t msglen) {
  setup *s = calloc(1, sizeof *s);
  *out = s;
  if (s == NULL) {
    snprintf(msg, msglen, "out of memory");
    return PEER_EXIT_USAGE;
  }
  return build_setup(o, s, msg, msglen);
}

static void setup_free(void *p) {
  setup *s = p;
  if (s == NULL)
    return;
  if (s->cred)
    gnutls_certificate_free_credentials(s->cred);
  if (s->prio)
    gnutls_priority_deinit(s->prio);
  for (unsigned i = 0; i < s->npins; i++)
    gnutls_free(s->pins[i].data);
  gnutls_free(s->ticket_key.data);
  gnutls_free(s->sess_in.data);
  free(s);
}

/* ---- One connection -------------------------------------------------------------------------- */

typedef struct session {
  gnutls_session_t g;
  bool handshaking, write_broken; /* write_broken: the peer closed while we were writing */
  bool described;                 /* the outcome holds the parameters of a completed handshake */
  gnutls_typed_vdata_st vdata[2]; /* gnutls_session_set_verify_cert2 keeps a pointer to it */
  gnutls_datum_t saved;           /* --sess-out: gnutls_session_get_data2 */
} session;

#define SESSION(c) ((session *)(c)->lib)

/* Pull and push block until done or the deadline (c->timed_out). A read that timed out is
 * EAGAIN to GnuTLS, not an error: after a pull error gnutls_record_recv invalidates the session,
 * and the connection could not go on after --sess-out's short wait for a ticket that may never
 * come (the driver's await_ticket). */
static ssize_t pull(gnutls_transport_ptr_t p, void *buf, size_t len) {
  peer_conn *c = p;
  size_t n;
  if (peer_conn_read(c, buf, len, &n))
    return (ssize_t)n;
  if (c->eof)
    return 0;
  errno = c->timed_out ? EAGAIN : EIO;
  return -1;
}

static ssize_t push(gnutls_transport_ptr_t p, const void *buf, size_t len) {
  peer_conn *c = p;
  if (peer_conn_write(c, buf, len))
    return (ssize_t)len;
  /* A peer that rejects our handshake sends its alert and closes while our flight may still be
   * on its way: the write fails, yet the alert waits in the receive buffer. Dropping the rest of
   * the flight lets GnuTLS read it, so the outcome names the alert, not a broken pipe. */
  if (!c->timed_out && SESSION(c)->handshaking && (errno == EPIPE || errno == ECONNRESET)) {
    SESSION(c)->write_broken = true;
    return (ssize_t)len;
  }
  errno = c->timed_out ? ETIMEDOUT : EPIPE;
  return -1;
}

/* GNUTLS_E_UNEXPECTED_PACKET_LENGTH is also GnuTLS's "Error decoding the received TLS packet",
 * which it answers with decode_error: a transport failure only when the stream has ended. */
static bool transport_error(const peer_conn *c, int ret) {
  return ret == GNUTLS_E_PULL_ERROR || ret == GNUTLS_E_PUSH_ERROR ||
         ret == GNUTLS_E_PREMATURE_TERMINATION ||
         (ret == GNUTLS_E_UNEXPECTED_PACKET_LENGTH && c->eof);
}

/* A failed call: the alert received, or the one this side sends for the error. A timeout or a
 * transport failure keeps what peer_conn_read/peer_conn_write recorded (class and text). */
static peer_step fail(peer_conn *c, int ret) {
  if (c->timed_out || transport_error(c, ret)) {
    if (c->error_class == NULL)
      c->error_class = PEER_EC_TRANSPORT;
    if (c->msg[0] == '\0')
      snprintf(c->msg, sizeof c->msg, "%s", gnutls_strerror(ret));
    return PEER_STEP_FAILED;
  }
  snprintf(c->msg, sizeof c->msg, "%s", gnutls_strerror(ret));
  gnutls_session_t g = SESSION(c)->g;
  if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
    peer_conn_alert_received(c, (int)gnutls_alert_get(g));
    return PEER_STEP_FAILED;
  }
  int level;
  int alert = gnutls_error_to_alert(ret, &level);
  if (alert >= 0 && gnutls_alert_send(g, GNUTLS_AL_FATAL, (gnutls_alert_description_t)alert) >= 0)
    peer_conn_alert_sent(c, alert);
  return PEER_STEP_FAILED;
}

/* --trust: the library checks the peer's chain at the end of the handshake and fails it with
 * GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR (gnutls_session_set_verify_cert2). The key purpose is
 * passed as typed data (GNUTLS_DT_KEY_PURPOSE_OID), as gnutls-cli passes GNUTLS_KP_TLS_WWW_SERVER;
 * gnutls-serv passes none for client certificates, so a server adapter asks for
 * GNUTLS_KP_TLS_WWW_CLIENT itself: without it GnuTLS accepts a leaf whose extKeyUsage lacks the
 * purpose, which RFC 5280 §4.2.1.12 forbids and `tlsgauntlet verify --peer gnutls` rejects. */
static void verify_peer_certificate(peer_conn *c, const char *name) {
  session *s = SESSION(c);
  bool server = c->o->role == PEER_ROLE_SERVER;
  unsigned n = 0;
  if (name)
    s->vdata[n++] =
        (gnutls_typed_vdata_st){.type = GNUTLS_DT_DNS_HOSTNAME, .data = (unsigned char *)name};
  s->vdata[n++] = (gnutls_typed_vdata_st){
      .type = GNUTLS_DT_KEY_PURPOSE_OID,
      .data = (unsigned char *)(server ? GNUTLS_KP_TLS_WWW_CLIENT : GNUTLS_KP_TLS_WWW_SERVER)};
  gnutls_session_set_verify_cert2(s->g, s->vdata, n, 0);
}

/* --alpn. gnutls_alpn_flags_t: GNUTLS_ALPN_MANDATORY "Require ALPN negotiation. The connection
 * will be aborted if no matching ALPN protocol is found." A server sets it, as gnutls-serv
 * --alpn-fatal does: no overlap then fails the handshake with GNUTLS_E_NO_APPLICATION_PROTOCOL,
 * answered with no_application_protocol (RFC 7301 §3.2), like the OpenSSL/BoringSSL adapter's
 * select callback; a ClientHello without ALPN is still served. On a client GnuTLS 3.7 only
 * applies the flag to a ServerHello that names a protocol the client did not offer; a server
 * that answers without ALPN is accepted all the same (gnutls issue #1595). gnutls-cli passes 0
 * and so does a client here, which keeps negotiation/alpn-client-mismatch as it was. */
static int configure_alpn(peer_conn *c, const setup *su) {
  if (su->nalpn == 0)
    return 0;
  unsigned flags = c->o->role == PEER_ROLE_SERVER ? GNUTLS_ALPN_MANDATORY : 0;
  return gnutls_alpn_set_protocols(SESSION(c)->g, su->alpn, su->nalpn, flags);
}

static int configure(peer_conn *c) {
  const peer_opts *o = c->o;
  const setup *su = c->setup;
  gnutls_session_t g = SESSION(c)->g;
  int ret = gnutls_priority_set(g, su->prio);
  if (ret >= 0)
    ret = gnutls_credentials_set(g, GNUTLS_CRD_CERTIFICATE, su->cred);
  gnutls_session_set_ptr(g, c); /* for verify_pinned */
  gnutls_transport_set_ptr(g, c);
  gnutls_transport_set_pull_function(g, pull);
  gnutls_transport_set_push_function(g, push);
  const char *name = o->verify_name ? o->verify_name : o->sni;
  if (ret >= 0 && o->role == PEER_ROLE_CLIENT) {
    if (o->sni)
      ret = gnutls_server_name_set(g, GNUTLS_NAME_DNS, o->sni, strlen(o->sni));
    if (o->trust)
      verify_peer_certificate(c, name);
    if (ret >= 0 && su->sess_in.size)
      ret = gnutls_session_set_data(g, su->sess_in.data, su->sess_in.size);
  } else if (ret >= 0) {
    if (o->require_client_cert || o->request_client_cert)
      gnutls_certificate_server_set_request(g, o->require_client_cert ? GNUTLS_CERT_REQUIRE
                                                                      : GNUTLS_CERT_REQUEST);
    if ((o->require_client_cert || o->request_client_cert) && o->trust)
      verify_peer_certificate(c, NULL);
    ret = gnutls_session_ticket_enable_server(g, &su->ticket_key);
  }
  return ret >= 0 ? configure_alpn(c, su) : ret;
}

static bool conn_new(peer_conn *c) {
  session *s = calloc(1, sizeof *s);
  c->lib = s;
  int ret = s ? gnutls_init(&s->g, c->o->role == PEER_ROLE_SERVER ? GNUTLS_SERVER : GNUTLS_CLIENT)
              : GNUTLS_E_MEMORY_ERROR;
  if (ret >= 0)
    ret = configure(c);
  if (ret < 0)
    snprintf(c->msg, sizeof c->msg, "%s", gnutls_strerror(ret));
  return ret >= 0;
}

static void conn_free(peer_conn *c) {
  session *s = SESSION(c);
  if (s && s->g)
    gnutls_deinit(s->g);
  if (s)
    gnutls_free(s->saved.data);
  free(s);
  c->lib = NULL;
}

/* The negotiated parameters, read after each completed handshake: a renegotiation attempt
 * resets GnuTLS's security parameters, and one that is refused or fails leaves the connection
 * on those of the last completed handshake. */
static void describe_now(peer_conn *c) {
  SESSION(c)->described = true;
  peer_outcome *out = &c->out;
  gnutls_session_t g = SESSION(c)->g;
  out->protocol = peer_version_name(version_of(gnutls_protocol_get_version(g)));
  out->cipher = gnutls_ciphersuite_get(g);
  out->group = group_iana_name(gnutls_group_get(g));
  gnutls_datum_t alpn;
  if (gnutls_alpn_get_selected_protocol(g, &alpn) == 0) {
    out->alpn = (const char *)alpn.data;
    out->alpn_len = alpn.size;
  }
  out->resumed = gnutls_session_is_resumed(g) != 0;
}

/* At the end of the connection: what a handshake that never completed got as far as. */
static void describe(peer_conn *c) {
  if (!SESSION(c)->described)
    describe_now(c);
}

/* gnutls_handshake(3): after a rehandshake request GNUTLS_E_WARNING_ALERT_RECEIVED (with
 * no_renegotiation) and GNUTLS_E_GOT_APPLICATION_DATA are not fatal: the peer refused, or sent
 * data first (kept by GnuTLS for gnutls_record_recv). Either ends that handshake attempt and the
 * connection goes on. */
static bool renegotiation_declined(gnutls_session_t g, int ret) {
  return ret == GNUTLS_E_GOT_APPLICATION_DATA || (ret == GNUTLS_E_WARNING_ALERT_RECEIVED &&
                                                  gnutls_alert_get(g) == GNUTLS_A_NO_RENEGOTIATION);
}

/* gnutls_handshake until it completes (the outcome then names its parameters) or fails; a
 * renegotiation also ends when the peer declines it. */
static int run_handshake(peer_conn *c, bool renegotiation) {
  session *s = SESSION(c);
  int ret;
  s->handshaking = true;
  do
    ret = gnutls_handshake(s->g);
  while (ret < 0 && !gnutls_error_is_fatal(ret) && !c->timed_out &&
         !(renegotiation && renegotiation_declined(s->g, ret)));
  s->handshaking = false;
  /* Established over a transport that broke under our last flight: the peer is gone. */
  if (ret >= 0 && s->write_broken)
    ret = GNUTLS_E_PUSH_ERROR;
  if (ret >= 0)
    describe_now(c);
  return ret;
}

static peer_step handshake(peer_conn *c) {
  int ret = run_handshake(c, false);
  return ret < 0 ? fail(c, ret) : PEER_STEP_OK;
}

/* GNUTLS_E_REHANDSHAKE (TLS 1.2 only): on a server a ClientHello arrived, on a client a
 * HelloRequest. gnutls_record_recv(3): "A server receiving this error code can only initiate a
 * new handshake or terminate the session"; the manual (6.12.4.1, TLS 1.2 Re-authentication) says
 * the client is instructed "to call gnutls_handshake". gnutls-serv (try_rehandshake) and
 * gnutls-cli (check_server_cmd) both call gnutls_handshake, and so does the adapter, with the
 * library's safe-renegotiation checks (RFC 5746) deciding. */
static peer_step rehandshake(peer_conn *c) {
  int ret = run_handshake(c, true);
  if (ret >= 0 || renegotiation_declined(SESSION(c)->g, ret))
    return PEER_STEP_OK;
  fail(c, ret);
  /* A renegotiation cut short by a closed transport or the timeout fails the connection: the
   * driver would take eof or timed_out for the quiet end of an established one. */
  c->eof = c->timed_out = false;
  return PEER_STEP_FAILED;
}

static peer_step read_data(peer_conn *c, uint8_t *buf, size_t cap, size_t *n) {
  ssize_t ret = gnutls_record_recv(SESSION(c)->g, buf, cap);
  if (ret > 0) {
    *n = (size_t)ret;
    return PEER_STEP_OK;
  }
  if (ret == 0)
    return PEER_STEP_CLOSED;
  if (ret == GNUTLS_E_PREMATURE_TERMINATION)
    c->eof = true;
  if (c->timed_out || c->eof)
    return PEER_STEP_FAILED; /* the driver ends an established connection cleanly */
  if (ret == GNUTLS_E_REHANDSHAKE)
    return rehandshake(c);
  if (!gnutls_error_is_fatal((int)ret))
    return PEER_STEP_OK; /* a warning alert, a post-handshake message: *n stays 0 */
  return fail(c, (int)ret);
}

static peer_step write_data(peer_conn *c, const uint8_t *p, size_t len, size_t *n) {
  ssize_t ret = gnutls_record_send(SESSION(c)->g, p, len);
  if (ret >= 0 || (!gnutls_error_is_fatal((int)ret) && !c->timed_out)) {
    *n = ret > 0 ? (size_t)ret : 0;
    return PEER_STEP_OK;
  }
  return fail(c, (int)ret);
}

static size_t pending(peer_conn *c) { return gnutls_record_check_pending(SESSION(c)->g); }

/* RFC 8446 §4.6.3: update_requested (GNUTLS_KU_PEER), so the peer answers with its own. */
static bool key_update(peer_conn *c) {
  int ret = gnutls_session_key_update(SESSION(c)->g, GNUTLS_KU_PEER);
  if (ret < 0)
    fail(c, ret);
  return ret >= 0;
}

static void close_notify(peer_conn *c) { (void)gnutls_bye(SESSION(c)->g, GNUTLS_SHUT_WR); }

/* --sess-out: what GnuTLS can resume from (in TLS 1.3, once a ticket arrived). */
static void session_of(peer_conn *c) {
  session *s = SESSION(c);
  if (s->saved.size)
    return;
  bool ticket = gnutls_protocol_get_version(s->g) != GNUTLS_TLS1_3 ||
                (gnutls_session_get_flags(s->g) & GNUTLS_SFLAGS_SESSION_TICKET);
  if (ticket && gnutls_session_get_data2(s->g, &s->saved) >= 0) {
    c->session = s->saved.data;
    c->session_len = s->saved.size;
  }
}

int verify_gnutls_run(const peer_opts *o); /* peers/verify_gnutls.c */

static const peer_library library = {
    .name = IMPL,
    .version = library_version,
    .info = info,
    .verify = verify_gnutls_run,
    .setup = setup_new,
    .setup_free = setup_free,
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

int main(int argc, char **argv) { return peer_main(argc, argv, &library); }
