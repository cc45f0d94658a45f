/* tg-peer-builtin: the built-in engine (tls/) as a peer of the peer protocol (peers/README.md).
 *
 * The engine is sans-I/O; this adapter is the engine's side of the adapter skeleton
 * (peer_driver.h): it builds a tg_config from the flags and moves bytes between the socket and
 * tg_conn, and the driver does the rest (connections, the application phase, the outcome, the
 * --sess-out file). The RNG is getrandom(2) and the clock time(2): the engine itself never
 * reads either.
 *
 * What the engine cannot do exits 3 (unsupported): TLS 1.1 and below, suites, groups and
 * signature schemes it does not implement, an SNI different from the name verified. --trust
 * validates the peer's chain with the X.509 path validator (tg/x509_verify.h); --trust-key pins
 * keys with the known-key validator (the leaf must carry the public key of one of the
 * certificates in the PEM file; no chain, name or date checks). A server seals session tickets
 * under --ticket-key, or a key drawn once per process, so a --listen server resumes its own
 * clients; a client saves (--sess-out) and offers (--sess-in) a ticket in a file
 * (builtin_sessions.c). --profile rfc5280|webpki is the profile --trust validates under
 * (tg/x509_verify.h; rfc5280 by default). --rsa-kx, --max-early-data and --early-data (0-RTT)
 * are this adapter's own flags. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "builtin_sessions.h"
#include "peer_driver.h"
#include "tg-peer-builtin.h"
#include "tg/engine.h"
#include "tg/kex.h"
#include "tg/names.h"
#include "tg/pem.h"
#include "tg/x509_verify.h"
#ifdef TG_PEER_BROKEN
#include "tg/extensions.h"
#endif

#ifdef TG_PEER_PERMISSIVE
/* tg-peer-permissive (CMakeLists.txt): this adapter over the engine built with
 * TG_PERMISSIVE_BUILD, which accepts every bad input it can go on from and sends no alert; the
 * target of `tlsgauntlet selftest`. */
#define IMPL "permissive"
#define PERMISSIVE true
#else
#define IMPL "builtin"
#define PERMISSIVE false
#endif
#define IMPL_VERSION "0.1.0"
#define MAX_CERTS 16
#define MAX_RECORD (16384 + 256) /* TLSCiphertext.length, RFC 8446 §5.2 */

#ifdef TG_PEER_BROKEN
/* tg-peer-broken: this adapter built to be wrong on purpose, so that a test can show the runner
 * naming an implementation's bugs (tests/cli/run.sh). It crashes on a ClientHello that carries
 * an extension it does not know (which RFC 8446 §4.1.2 says to ignore). */
static void broken_received(void *ctx, tg_conn *c, const tg_handshake *m) {
  (void)ctx;
  (void)c;
  if (m->msg_type != TG_HS_client_hello)
    return;
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  tg_ext_iter_init(&it, m->u.client_hello.extensions);
  while (tg_ext_next(&it, &type, &data))
    if (tg_ext_desc_of(type) == NULL) /* no parser in the engine */
      abort();
}
static const tg_hooks broken_hooks = {.received = broken_received};
#endif

/* ---- Configuration --------------------------------------------------------------------------- */

typedef struct pem_certs {
  uint8_t *text; /* the file */
  tg_writer der; /* the decoded certificates, back to back */
  size_t offs[MAX_CERTS + 1];
  tg_bytes certs[MAX_CERTS];
  size_t n;
} pem_certs;

/* Several known-key validators: the chain is accepted when its leaf has any of their keys. */
typedef struct any_key_validator {
  tg_validator v;
  tg_validator keys[MAX_CERTS];
  tg_bytes spki[MAX_CERTS];
  size_t n;
} any_key_validator;

typedef struct setup {
  tg_config cfg;
  pem_certs chain_pem, trust_pem;
  tg_private_key *key;
  tg_cert_chain chain;
  any_key_validator trust_key; /* --trust-key */
  tg_x509_store anchors;       /* --trust */
  tg_validator x509;
  uint8_t ticket_key[PEER_TICKET_KEY_LEN];
  tg_ticket resume; /* --sess-in */
  bool rsa_kx;      /* --rsa-kx, or an RSA key transport suite in --ciphers */
} setup;

static void rng_fill(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  while (len > 0) {
    ssize_t n = getrandom(out, len, 0);
    if (n < 0)
      abort(); /* no entropy: nothing safe to do */
    out += n;
    len -= (size_t)n;
  }
}

static int64_t clock_now(void *ctx) {
  (void)ctx;
  return (int64_t)time(NULL);
}

static tg_status any_key_validate(const tg_validator *v, const tg_validation_request *req,
                                  tg_public_key **leaf_key, tg_err *err) {
  const any_key_validator *a = (const any_key_validator *)v->ctx;
  for (size_t i = 0; i + 1 < a->n; i++) {
    tg_err ignored;
    tg_err_clear(&ignored);
    if (a->keys[i].validate(&a->keys[i], req, leaf_key, &ignored) == TG_OK)
      return TG_OK;
  }
  /* The last one's failure is the one reported. */
  return a->keys[a->n - 1].validate(&a->keys[a->n - 1], req, leaf_key, err);
}

/* Every CERTIFICATE block of a PEM file, as DER views. */
static bool load_pem_certs(const char *path, pem_certs *pc, char *msg, size_t msglen) {
  size_t len, line = 0;
  pc->text = peer_load_file(path, &len, msg, msglen);
  if (pc->text == NULL)
    return false;
  tg_err err;
  tg_err_clear(&err);
  tg_writer_init_dynamic(&pc->der, &err);
  tg_reader r;
  tg_reader_init(&r, pc->text, len, &err);
  for (;;) {
    tg_pem_block b;
    bool found;
    if (tg_pem_next(&r, &line, &b, &found, &err) != TG_OK)
      goto bad;
    if (!found)
      break;
    if (!tg_pem_label_is(&b, "CERTIFICATE"))
      continue;
    if (pc->n == MAX_CERTS) {
      snprintf(msg, msglen, "%s: more than %d certificates", path, MAX_CERTS);
      return false;
    }
    pc->offs[pc->n] = pc->der.len;
    if (tg_pem_decode(&b, &pc->der, &err) != TG_OK)
      goto bad;
    pc->offs[++pc->n] = pc->der.len;
  }
  if (pc->n == 0) {
    snprintf(msg, msglen, "%s: no CERTIFICATE block", path);
    return false;
  }
  /* Views only now: the writer may have moved its buffer while it grew. */
  for (size_t i = 0; i < pc->n; i++)
    pc->certs[i] = tg_bytes_of(pc->der.buf + pc->offs[i], pc->offs[i + 1] - pc->offs[i]);
  return true;
bad:;
  char buf[256];
  snprintf(msg, msglen, "%s: %s", path, tg_err_format(&err, buf, sizeof buf));
  return false;
}

static bool load_key(const char *path, tg_private_key **key, char *msg, size_t msglen) {
  size_t len;
  uint8_t *text = peer_load_file(path, &len, msg, msglen);
  if (text == NULL)
    return false;
  tg_err err;
  tg_err_clear(&err);
  tg_status st = tg_private_key_load(tg_bytes_of(text, len), key, &err);
  free(text);
  if (st != TG_OK) {
    char buf[256];
    snprintf(msg, msglen, "%s: %s", path, tg_err_format(&err, buf, sizeof buf));
    return false;
  }
  return true;
}

/* --trust-key: the leaf must carry the public key of one of the certificates in path. */
static bool load_trust_key(const char *path, setup *s, char *msg, size_t msglen) {
  if (!load_pem_certs(path, &s->trust_pem, msg, msglen))
    return false;
  any_key_validator *a = &s->trust_key;
  for (size_t i = 0; i < s->trust_pem.n; i++) {
    tg_err err;
    tg_err_clear(&err);
    if (tg_cert_spki(s->trust_pem.certs[i], &a->spki[i], &err) != TG_OK) {
      char buf[256];
      snprintf(msg, msglen, "%s: certificate %zu: %s", path, i + 1,
               tg_err_format(&err, buf, sizeof buf));
      return false;
    }
    tg_known_key_validator_init(&a->keys[i], &a->spki[i]);
  }
  a->n = s->trust_pem.n;
  a->v.validate = any_key_validate;
  a->v.ctx = a;
  s->cfg.validator = &a->v;
  return true;
}

/* --trust: the certificates in path are the anchors of X.509 path validation; the name checked
 * is the client's server_name (--sni or --verify-name), none for client certificates. */
static bool load_trust(const char *path, tg_x509_profile profile, setup *s, char *msg,
                       size_t msglen) {
  size_t len;
  uint8_t *text = peer_load_file(path, &len, msg, msglen);
  if (text == NULL)
    return false;
  tg_err err;
  tg_err_clear(&err);
  tg_status st = tg_x509_store_add_pem(&s->anchors, tg_bytes_of(text, len), &err);
  free(text); /* the store keeps its own copy of the DER */
  if (st != TG_OK) {
    char buf[256];
    snprintf(msg, msglen, "%s: %s", path, tg_err_format(&err, buf, sizeof buf));
    return false;
  }
  tg_x509_validator_init(&s->x509, &s->anchors);
  tg_x509_validator_set_profile(&s->x509, profile);
  s->cfg.validator = &s->x509;
  return true;
}

/* Exit 3 for what the engine does not implement: a name known to IANA but not to the engine. */
static int check_supported(const peer_opts *o, char *msg, size_t msglen) {
  if ((o->max_version && o->max_version < TG_VERSION_TLS12) ||
      (o->min_version && o->min_version > TG_VERSION_TLS13)) {
    snprintf(msg, msglen, "--min/--max-version: the builtin engine speaks TLS 1.2 and 1.3 only");
    return PEER_EXIT_UNSUPPORTED;
  }
  for (size_t i = 0; i < o->ciphers.n; i++) {
    if (tg_cipher_suite_find(o->ciphers.v[i]) == NULL) {
      snprintf(msg, msglen, "--ciphers: %s is not implemented",
               tg_cipher_suite_name(o->ciphers.v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
  }
  for (size_t i = 0; i < o->groups.n; i++) {
    if (tg_group_find(o->groups.v[i]) == NULL) {
      snprintf(msg, msglen, "--groups: %s is not implemented", tg_group_name(o->groups.v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
  }
  for (size_t i = 0; i < o->sigalgs.n; i++) {
    if (tg_sig_scheme_find(o->sigalgs.v[i]) == NULL) {
      snprintf(msg, msglen, "--sigalgs: %s is not implemented",
               tg_sig_scheme_name(o->sigalgs.v[i]));
      return PEER_EXIT_UNSUPPORTED;
    }
  }
  /* One tg_config.server_name is both the SNI sent and the name verified. */
  if (o->sni && o->verify_name && strcmp(o->sni, o->verify_name) != 0) {
    snprintf(msg, msglen, "--sni and --verify-name differ: the engine verifies the SNI name");
    return PEER_EXIT_UNSUPPORTED;
  }
  return 0;
}

/* ---- --info: each value is tried through check_supported, the gate of the real flags. ------- */

static bool probe_takes(const peer_opts *o, peer_probe_kind kind, uint16_t v) {
  (void)kind, (void)v;
  char msg[256];
  return check_supported(o, msg, sizeof msg) == 0;
}

static void fill_info(peer_info *in) {
  peer_info_probe_flags(in, probe_takes);
  /* Every peer flag has an engine behind it (tg_config.alpn, server_name,
   * require_client_cert, resume, ticket_key, tg_conn_key_update; extended_master_secret is
   * required unless tg_config.ems_optional). */
  in->alpn = in->sni = in->client_auth = in->resumption = in->key_update = in->ticket_key = true;
  in->ems_optional = in->require_ems = true;
}

/* --sess-in (client) and the ticket key (server). A key per process by default: every
 * connection of a --listen server shares it, so the server resumes the sessions it issued, and
 * nothing outlives the process. */
/* 0-RTT (RFC 8446 §2.3): --max-early-data N (server: tickets allow N bytes; single-use, kept
 * in this process), --early-data TEXT (client: sent as 0-RTT with the --sess-in ticket). Taken
 * off the command line by tg_peer_builtin_main. */
static peer_early_data early_data = {-1, NULL}; /* --max-early-data, --early-data */

static bool configure_resumption(const peer_opts *o, setup *s, char *msg, size_t msglen) {
  static const tg_ticket_store store = {NULL, builtin_ticket_issued, builtin_ticket_redeem};
  if (o->sess_in && !builtin_load_session(o->sess_in, &s->resume, msg, msglen))
    return false;
  s->cfg.resume = o->sess_in ? &s->resume : NULL;
  if (!peer_early_data_fits(&early_data, o, msg, msglen))
    return false;
  if (early_data.text)
    s->cfg.early_data = tg_bytes_of(early_data.text, strlen(early_data.text));
  if (o->role != PEER_ROLE_SERVER)
    return true;
  if (early_data.max > 0) {
    s->cfg.max_early_data_size = (uint32_t)early_data.max;
    s->cfg.ticket_store = &store;
  }
  if (o->has_ticket_key)
    memcpy(s->ticket_key, o->ticket_key, sizeof s->ticket_key);
  else
    rng_fill(NULL, s->ticket_key, sizeof s->ticket_key);
  s->cfg.ticket_key = tg_bytes_of(s->ticket_key, sizeof s->ticket_key);
  return true;
}

/* Versions: TLS 1.3 only unless --min-version or --max-version names 1.2 (a lower
 * --min-version is satisfied by 1.2). --max-version 1.2 alone is a pure TLS 1.2 peer. RSA key
 * transport (off in the engine by default) with --rsa-kx or when --ciphers names such a suite.
 * A server keeps TLS 1.2 sessions in an in-process cache (resumption by session_id). */
static void configure_versions(const peer_opts *o, setup *s) {
  static const tg_session_cache cache = {NULL, builtin_cache_put, builtin_cache_get};
  tg_config *cfg = &s->cfg;
  uint16_t max =
      o->max_version && o->max_version < TG_VERSION_TLS13 ? TG_VERSION_TLS12 : TG_VERSION_TLS13;
  uint16_t min = o->min_version && o->min_version <= TG_VERSION_TLS12 ? TG_VERSION_TLS12 : max;
  if (o->max_version && o->max_version < TG_VERSION_TLS13)
    min = TG_VERSION_TLS12;
  cfg->min_version = min;
  cfg->max_version = max;
  for (size_t i = 0; i < o->ciphers.n; i++) {
    const tg_cipher_suite *cs = tg_cipher_suite_find(o->ciphers.v[i]);
    s->rsa_kx |= cs != NULL && cs->kx == TG_SUITE_KX_RSA;
  }
  cfg->rsa_key_exchange = s->rsa_kx;
  if (o->role == PEER_ROLE_SERVER && min <= TG_VERSION_TLS12)
    cfg->session_cache = &cache;
}

/* Files and flag combinations the adapter needs: exit 2 with a message when they are wrong. */
static int build_config(const peer_opts *o, setup *s, char *msg, size_t msglen) {
  int rc = check_supported(o, msg, msglen);
  if (rc != 0)
    return rc;
  tg_config *cfg = &s->cfg;
  bool server = o->role == PEER_ROLE_SERVER;
  if (server && !o->cert) {
    snprintf(msg, msglen, "a server needs --cert and --key");
    return PEER_EXIT_USAGE;
  }
  bool verifies = server ? o->require_client_cert || o->request_client_cert : true;
  if (verifies && !o->trust && !o->trust_key && !o->no_verify) {
    snprintf(msg, msglen, "%s: give --trust PEM, --trust-key PEM or --no-verify",
             !server                  ? "a client"
             : o->require_client_cert ? "--require-client-cert"
                                      : "--request-client-cert");
    return PEER_EXIT_USAGE;
  }
  if (o->cert) {
    if (!load_pem_certs(o->cert, &s->chain_pem, msg, msglen) ||
        !load_key(o->key, &s->key, msg, msglen))
      return PEER_EXIT_USAGE;
    s->chain = (tg_cert_chain){s->chain_pem.certs, s->chain_pem.n, s->key};
    cfg->chain = &s->chain;
  }
  if (o->trust && !load_trust(o->trust, o->profile, s, msg, msglen))
    return PEER_EXIT_USAGE;
  if (o->trust_key && !load_trust_key(o->trust_key, s, msg, msglen))
    return PEER_EXIT_USAGE;
  if (!configure_resumption(o, s, msg, msglen))
    return PEER_EXIT_USAGE;
  configure_versions(o, s);
  cfg->cipher_suites = tg_bytes_of(o->ciphers.wire, 2 * o->ciphers.n);
  cfg->groups = tg_bytes_of(o->groups.wire, 2 * o->groups.n);
  cfg->sig_schemes = tg_bytes_of(o->sigalgs.wire, 2 * o->sigalgs.n);
  cfg->server_name = o->sni ? o->sni : o->verify_name;
  cfg->alpn = tg_bytes_of(o->alpn, o->alpn_len);
  cfg->require_client_cert = o->require_client_cert;
  cfg->request_client_cert = o->request_client_cert; /* a certificate sent is verified */
  /* --require-ems is the engine's own default (RFC 7627 5.2, 5.3); --ems-optional lets a TLS 1.2
   * peer without extended_master_secret go on, as the libraries do by default. */
  cfg->ems_optional = o->ems_optional;
  cfg->rng = (tg_rng){rng_fill, NULL};
  cfg->clock = (tg_clock){clock_now, NULL};
#ifdef TG_PEER_BROKEN
  cfg->hooks = &broken_hooks;
#endif
#ifdef TG_PEER_PERMISSIVE
  cfg->permissive = true;
#endif
  /* Whatever else the engine refuses in this configuration is found once, before any peer. */
  tg_err err;
  tg_err_clear(&err);
  tg_conn *probe = tg_conn_new(cfg, server, &err);
  if (probe == NULL) {
    char buf[256];
    snprintf(msg, msglen, "the engine refuses this configuration: %s",
             tg_err_format(&err, buf, sizeof buf));
    return PEER_EXIT_USAGE;
  }
  tg_conn_free(probe);
  return 0;
}

static void setup_free(setup *s) {
  tg_private_key_free(s->key);
  tg_writer_free(&s->chain_pem.der);
  tg_writer_free(&s->trust_pem.der);
  tg_x509_store_free(&s->anchors);
  free(s->chain_pem.text);
  free(s->trust_pem.text);
}

/* --rsa-kx: taken off the command line before the shared parser sees it. */
static bool rsa_kx_flag;

static int setup_new(const peer_opts *o, void **out, char *msg, size_t msglen) {
  setup *s = calloc(1, sizeof *s);
  if (s == NULL) {
    snprintf(msg, msglen, "out of memory");
    return PEER_EXIT_USAGE;
  }
  tg_x509_store_init(&s->anchors);
  s->rsa_kx = rsa_kx_flag;
  *out = s;
  return build_config(o, s, msg, msglen);
}

static void setup_delete(void *p) {
  if (p)
    setup_free(p);
  free(p);
}

/* ---- One connection ---------------------------------------------------------------------------
 * The handshake blocks in peer_conn_read/peer_conn_write until it is over. After it, a read
 * that finds nothing to feed returns PEER_STEP_WANT_READ, so the driver's waits keep their own
 * deadlines (the ticket wait of --sess-out; a quiet peer that ends the connection). */

typedef struct session {
  tg_conn *conn;
  bool started;
  uint8_t in[5 + MAX_RECORD]; /* received, not yet fed: in[in_off..in_len) */
  size_t in_off, in_len;
  size_t record_left; /* bytes of a record the engine has the start of, still to come */
  tg_ticket ticket;   /* --sess-out: the first ticket, and its file's bytes */
  uint8_t session[BUILTIN_SESSION_MAX_LEN];
} session;

#define SESSION(c) ((session *)(c)->lib)

static const struct tg_conn_info *info_of(const peer_conn *c) {
  return tg_conn_info(SESSION(c)->conn);
}

/* The connection ended on the engine's side, or under it: the engine's alerts go to the
 * outcome at once (the driver sends no close_notify after one). The permissive engine fails
 * without an alert on what it cannot go on from: a protocol error by the peer. */
static peer_step failed(peer_conn *c) {
  const struct tg_conn_info *info = info_of(c);
  if (info->phase != TG_PHASE_FAILED)
    return PEER_STEP_FAILED;
  peer_conn_alert_sent(c, info->alert_sent);
  peer_conn_alert_received(c, info->alert_received);
  if (info->alert_sent < 0 && info->alert_received < 0 && c->error_class == NULL)
    c->error_class = PEER_EC_PROTOCOL;
  return PEER_STEP_FAILED;
}

/* Sends what the engine queued. */
static bool flush(peer_conn *c) {
  tg_conn *conn = SESSION(c)->conn;
  tg_bytes out = tg_conn_output(conn);
  if (out.len == 0)
    return true;
  if (!peer_conn_write(c, out.p, out.len))
    return false;
  tg_conn_output_consumed(conn, out.len);
  return true;
}

/* An engine call that returned an error: with the connection failed, its alert is sent; else
 * the call was refused without one (the adapter's fault, or the engine's). */
static peer_step refused(peer_conn *c, tg_status st) {
  if (info_of(c)->phase == TG_PHASE_FAILED) {
    (void)flush(c);
    return failed(c);
  }
  snprintf(c->msg, sizeof c->msg, "the engine failed without an alert: %s",
           tg_code_name((tg_code)st));
  c->error_class = PEER_EC_INTERNAL;
  return PEER_STEP_FAILED;
}

/* Feeds the engine the next record of s->in, or as much of it as has arrived: 1 when bytes
 * were fed, 0 when more must be read first, -1 when the engine refused them without an alert.
 * One record at a time, so that application data is read (and echoed) before the engine sees
 * a close_notify that arrived behind it in the same segment: after it the engine accepts no
 * more writes. A record not all there yet goes to the engine as far as it is (the engine
 * buffers it), so a header it refuses is answered at once, not after the length the header
 * claims: an SSLv2-format ClientHello (RFC 5246 Appendix E.2), read as a record header, claims
 * hundreds of bytes that never come. */
static int feed_step(peer_conn *c) {
  session *s = SESSION(c);
  size_t avail = s->in_len - s->in_off, size = s->record_left;
  if (size == 0) {
    if (avail < 5)
      return 0; /* the engine gets a record from its whole header on */
    tg_reader r;
    tg_reader_init(&r, s->in + s->in_off, avail, NULL);
    uint8_t type;
    uint16_t version, length;
    if (tg_read_u8(&r, &type, "TLSPlaintext.type") != TG_OK ||
        tg_read_u16(&r, &version, "TLSPlaintext.legacy_record_version") != TG_OK ||
        tg_read_u16(&r, &length, "TLSPlaintext.length") != TG_OK)
      return 0; /* cannot happen: the 5 bytes are there */
    size = 5 + (size_t)length;
  }
  if (avail == 0)
    return 0;
  size_t chunk = size < avail ? size : avail;
  tg_status st = tg_conn_feed(s->conn, tg_bytes_of(s->in + s->in_off, chunk));
  s->in_off += chunk;
  s->record_left = size - chunk;
  if (st != TG_OK && info_of(c)->phase != TG_PHASE_FAILED) {
    (void)refused(c, st);
    return -1;
  }
  return 1; /* a failure with an alert is the caller's to see in the phase */
}

/* Reads what the peer sent into s->in, waiting for it within the deadline. Called only when
 * less than a record header is left unfed, so there is room. */
static bool receive(peer_conn *c) {
  session *s = SESSION(c);
  memmove(s->in, s->in + s->in_off, s->in_len - s->in_off);
  s->in_len -= s->in_off;
  s->in_off = 0;
  size_t n;
  if (!peer_conn_read(c, s->in + s->in_len, sizeof s->in - s->in_len, &n))
    return false;
  s->in_len += n;
  return true;
}

static peer_step handshake(peer_conn *c) {
  session *s = SESSION(c);
  if (c->o->role == PEER_ROLE_CLIENT && !s->started) {
    s->started = true;
    tg_status st = tg_conn_start(s->conn);
    if (st != TG_OK)
      return refused(c, st);
  }
  for (;;) {
    if (!flush(c))
      return failed(c);
    switch (info_of(c)->phase) {
    case TG_PHASE_ESTABLISHED: return PEER_STEP_OK; /* what follows is the reads' to feed */
    case TG_PHASE_CLOSED: return PEER_STEP_CLOSED;  /* close_notify before the handshake ended */
    case TG_PHASE_FAILED: return failed(c);
    case TG_PHASE_HANDSHAKE: break;
    }
    int fed = feed_step(c);
    if (fed < 0)
      return PEER_STEP_FAILED;
    if (fed == 0 && !receive(c)) {
      if (c->eof)
        snprintf(c->msg, sizeof c->msg, "the peer closed the connection during the handshake");
      return PEER_STEP_FAILED;
    }
  }
}

static bool readable(int fd) {
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  return poll(&pfd, 1, 0) > 0;
}

static peer_step read_data(peer_conn *c, uint8_t *buf, size_t cap, size_t *n) {
  session *s = SESSION(c);
  for (;;) {
    /* Accepted 0-RTT data comes first, as it came (before the 1-RTT data). */
    if ((*n = tg_conn_read_early(s->conn, buf, cap)) > 0 ||
        (*n = tg_conn_read(s->conn, buf, cap)) > 0)
      return PEER_STEP_OK;
    const struct tg_conn_info *info = info_of(c);
    if (info->phase == TG_PHASE_FAILED) {
      (void)flush(c); /* the alert */
      return failed(c);
    }
    /* The permissive target reads on after close_notify (RFC 8446 §6.1 says to ignore what
     * follows): it stops at the end of the stream. */
    if (info->peer_closed && !PERMISSIVE)
      return PEER_STEP_CLOSED;
    int fed = feed_step(c);
    if (fed < 0)
      return PEER_STEP_FAILED;
    if (fed > 0)
      continue;
    if (!flush(c)) /* before waiting: what was written, a KeyUpdate's answer */
      return failed(c);
    if (!readable(c->fd))
      return PEER_STEP_WANT_READ;
    if (!receive(c))
      return PEER_STEP_FAILED;
  }
}

/* Less than a record's worth stays queued until a read runs out of input or close_notify goes
 * out: the echo of records that arrived in one segment leaves in one, and --send's text with
 * its close_notify unless the peer's NewSessionTicket was read in between. More is sent at
 * once, which keeps the queue of --send-file to a record or so. */
static peer_step write_data(peer_conn *c, const uint8_t *p, size_t len, size_t *n) {
  session *s = SESSION(c);
  const struct tg_conn_info *info = info_of(c);
  if (info->phase == TG_PHASE_FAILED)
    return failed(c);
  if (info->phase != TG_PHASE_ESTABLISHED && info->peer_closed)
    return PEER_STEP_CLOSED;
  tg_status st = tg_conn_write(s->conn, tg_bytes_of(p, len));
  if (st != TG_OK)
    return refused(c, st);
  if (tg_conn_output(s->conn).len >= MAX_RECORD && !flush(c))
    return failed(c);
  *n = len;
  return PEER_STEP_OK;
}

static size_t pending(peer_conn *c) { return SESSION(c)->in_len - SESSION(c)->in_off; }

/* RFC 8446 §4.6.3 (TLS 1.3 only: the engine refuses it in TLS 1.2). Sent with what follows. */
static bool key_update(peer_conn *c) {
  tg_status st = tg_conn_key_update(SESSION(c)->conn, true);
  if (st == TG_OK)
    return true;
  (void)refused(c, st);
  if (info_of(c)->version == TG_VERSION_TLS12)
    snprintf(c->msg, sizeof c->msg, "--key-update: TLS 1.2 has no KeyUpdate");
  return false;
}

/* close_notify, sent as far as the peer takes it: a failure here changes nothing. */
static void close_notify(peer_conn *c) {
  tg_conn *conn = SESSION(c)->conn;
  if (info_of(c)->phase == TG_PHASE_FAILED || tg_conn_close(conn) != TG_OK)
    return;
  tg_bytes out = tg_conn_output(conn);
  char ignored[64];
  if (peer_write_all(c->fd, out.p, out.len, c->deadline, ignored, sizeof ignored) == PEER_IO_OK)
    tg_conn_output_consumed(conn, out.len);
}

/* The outcome from the engine's view of the connection; a failure in the engine's own words
 * (its check's file:line). */
static void describe(peer_conn *c) {
  const struct tg_conn_info *info = info_of(c);
  peer_outcome *out = &c->out;
  out->protocol = info->version ? peer_version_name(info->version) : NULL;
  out->cipher = info->cipher_suite ? tg_cipher_suite_name(info->cipher_suite) : NULL;
  out->group = info->group ? tg_group_name(info->group) : NULL;
  out->alpn = (const char *)info->alpn.p;
  out->alpn_len = info->alpn.len;
  out->resumed = info->resumed;
  if (info->early_data != TG_EARLY_DATA_NONE) /* 0-RTT: what became of it */
    fprintf(stderr, "tg-peer-" IMPL ": early data %s\n",
            info->early_data == TG_EARLY_DATA_ACCEPTED ? "accepted" : "rejected (not delivered)");
  (void)failed(c);
  if (info->phase != TG_PHASE_FAILED)
    return;
  if (info->err.code != TG_OK)
    tg_err_format(&info->err, c->msg, sizeof c->msg);
  else if (info->alert_received >= 0)
    snprintf(c->msg, sizeof c->msg, "received fatal alert %s",
             tg_alert_name((unsigned)info->alert_received));
  else
    c->msg[0] = '\0';
}

/* --sess-out: the first ticket of the connection (for TLS 1.2, the session), once one came. */
static void session_of(peer_conn *c) {
  session *s = SESSION(c);
  if (c->session_len > 0 || !tg_conn_ticket(s->conn, 0, &s->ticket))
    return;
  c->session_len = builtin_encode_session(&s->ticket, s->session, sizeof s->session);
  c->session = s->session;
}

static bool conn_new(peer_conn *c) {
  const setup *st = c->setup;
  session *s = calloc(1, sizeof *s); /* on the heap: it holds a whole record */
  c->lib = s;
  if (s == NULL) {
    snprintf(c->msg, sizeof c->msg, "out of memory");
    return false;
  }
  tg_err err;
  tg_err_clear(&err);
  s->conn = tg_conn_new(&st->cfg, c->o->role == PEER_ROLE_SERVER, &err);
  if (s->conn == NULL)
    tg_err_format(&err, c->msg, sizeof c->msg);
  return s->conn != NULL;
}

static void conn_free(peer_conn *c) {
  session *s = SESSION(c);
  if (s == NULL)
    return;
#ifdef TG_PEER_PERMISSIVE
  const tg_tolerated *tol = s->conn ? &tg_conn_info(s->conn)->tolerated : NULL;
  if (tol && tol->count > 0) {
    char buf[512];
    fprintf(stderr, "tg-peer-" IMPL ": %u checks let through, the first: %s\n", tol->count,
            tg_err_format(&tol->first, buf, sizeof buf));
  }
#endif
  if (s->conn)
    tg_conn_free(s->conn);
  free(s);
  c->lib = NULL;
}

static const char *library_version(void) { return IMPL_VERSION; }

static const peer_library library;

/* The built-in validator runs in-process in `tlsgauntlet verify`; no --verify mode here. */
static int verify(const peer_opts *o) {
  return peer_outcome_only(&library, o, PEER_EC_UNSUPPORTED,
                           "--verify: the built-in validator runs in `tlsgauntlet verify`",
                           PEER_EXIT_UNSUPPORTED);
}

static const peer_library library = {
    .name = IMPL,
    .webpki = true,
    .version = library_version,
    .info = fill_info,
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

/* ---- Test hooks ----------------------------------------------------------------------------
 * $TG_PEER_BUILTIN_TEST, for tests of the runner only (tests/cli/inproc.sh; peers/README.md):
 *   fds             list the open descriptors on stderr before anything else ("tg-peer-builtin:
 *                   test: open descriptors: 0 1 2 3"), to show what a started target inherits;
 *   abort-alpn=P    abort() when the command line has --alpn P, a crash on demand that one
 *                   scenario of a run can ask for (its target's alpn: P). */
#define TEST_ENV "TG_PEER_BUILTIN_TEST"

static void test_list_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (d == NULL)
    return;
  char line[512];
  size_t used = (size_t)snprintf(line, sizeof line, "tg-peer-" IMPL ": test: open descriptors:");
  struct dirent *e;
  while ((e = readdir(d)) != NULL && used < sizeof line - 16) {
    char *end;
    long fd = strtol(e->d_name, &end, 10);
    if (*end == '\0' && e->d_name[0] != '\0' && fd != dirfd(d))
      used += (size_t)snprintf(line + used, sizeof line - used, " %ld", fd);
  }
  closedir(d);
  fprintf(stderr, "%s\n", line);
}

static void test_hooks(int argc, char **argv) {
  const char *t = getenv(TEST_ENV);
  if (t == NULL || t[0] == '\0')
    return;
  if (strcmp(t, "fds") == 0) {
    test_list_fds();
    return;
  }
  if (strncmp(t, "abort-alpn=", 11) == 0) {
    for (int i = 1; i + 1 < argc; i++)
      if (strcmp(argv[i], "--alpn") == 0 && strcmp(argv[i + 1], t + 11) == 0)
        abort();
  }
}

int tg_peer_builtin_main(int argc, char **argv) {
  test_hooks(argc, argv);
  /* --max-early-data and --early-data (tg_config.max_early_data_size, early_data; peer_common.h)
   * and --rsa-kx (the engine's tg_config.rsa_key_exchange) are this adapter's own flags. */
  if (peer_take_early_data(&argc, argv, "tg-peer-" IMPL, &early_data) != 0)
    return PEER_EXIT_USAGE;
  int n = 0;
  for (int i = 0; i < argc; i++) {
    if (i > 0 && strcmp(argv[i], "--rsa-kx") == 0)
      rsa_kx_flag = true;
    else
      argv[n++] = argv[i];
  }
  return peer_main(n, argv, &library);
}
