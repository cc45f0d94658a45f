/* tg-peer-builtin: the built-in engine (tls/) as a peer of the peer protocol (peers/README.md).
 *
 * The engine is sans-I/O; this program is the I/O around it: it builds a tg_config from the
 * flags, moves bytes between the socket and tg_conn, and reports how the connection ended. The
 * RNG is getrandom(2) and the clock time(2): the engine itself never reads either.
 *
 * What the engine cannot do yet exits 3 (unsupported): TLS 1.2 and below, suites, groups and
 * signature schemes it does not implement, an SNI different from the name verified. --trust
 * validates the peer's chain with the X.509 path validator (tg/x509_verify.h); --trust-key pins
 * keys with the known-key validator (the leaf must carry the public key of one of the
 * certificates in the PEM file; no chain, name or date checks). A server seals session tickets
 * under --ticket-key, or a key drawn once per process, so a --listen server resumes its own
 * clients; a client saves (--sess-out) and offers (--sess-in) a ticket in a file. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "builtin_sessions.h"
#include "peer_common.h"
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
  tg_ticket resume;   /* --sess-in */
  bool rsa_kx;        /* --rsa-kx, or an RSA key transport suite in --ciphers */
  uint8_t *send_file; /* --send-file: the file's bytes */
  size_t send_file_len;
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
static bool load_trust(const char *path, setup *s, char *msg, size_t msglen) {
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

enum probe_kind { PROBE_VERSION, PROBE_SUITE, PROBE_GROUP, PROBE_SIGALG };

static bool probe_accepts(void *ctx, uint16_t v) {
  peer_opts o = {0};
  peer_u16_list *l = NULL;
  switch (*(const enum probe_kind *)ctx) {
  case PROBE_VERSION: o.min_version = o.max_version = v; break;
  case PROBE_SUITE: l = &o.ciphers; break;
  case PROBE_GROUP: l = &o.groups; break;
  case PROBE_SIGALG: l = &o.sigalgs; break;
  }
  if (l) {
    l->n = 1;
    l->v[0] = v;
  }
  char msg[256];
  return check_supported(&o, msg, sizeof msg) == 0;
}

static int print_info(void) {
  static peer_info in;
  in = (peer_info){.implementation = IMPL, .version = IMPL_VERSION};
  enum probe_kind k[] = {PROBE_VERSION, PROBE_SUITE, PROBE_GROUP, PROBE_SIGALG};
  peer_info_probe_versions(&in.versions, probe_accepts, &k[0]);
  peer_info_probe(&in.cipher_suites, tg_cipher_suite_name, probe_accepts, &k[1]);
  peer_info_probe(&in.groups, tg_group_name, probe_accepts, &k[2]);
  peer_info_probe(&in.signature_schemes, tg_sig_scheme_name, probe_accepts, &k[3]);
  /* Every peer flag has an engine behind it (tg_config.alpn, server_name,
   * require_client_cert, resume, ticket_key, tg_conn_key_update; extended_master_secret is
   * required unless tg_config.ems_optional). */
  in.alpn = in.sni = in.client_auth = in.resumption = in.key_update = in.ticket_key = true;
  in.ems_optional = true;
  in.require_ems = true;
  peer_info_print(stdout, &in);
  return 0;
}

/* --sess-in (client) and the ticket key (server). A key per process by default: every
 * connection of a --listen server shares it, so the server resumes the sessions it issued, and
 * nothing outlives the process. */
static bool configure_resumption(const peer_opts *o, setup *s, char *msg, size_t msglen) {
  if (o->sess_in && !builtin_load_session(o->sess_in, &s->resume, msg, msglen))
    return false;
  s->cfg.resume = o->sess_in ? &s->resume : NULL;
  if (o->role != PEER_ROLE_SERVER)
    return true;
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
  bool verifies = server ? o->require_client_cert : true;
  if (verifies && !o->trust && !o->trust_key && !o->no_verify) {
    snprintf(msg, msglen, "%s: give --trust PEM, --trust-key PEM or --no-verify",
             server ? "--require-client-cert" : "a client");
    return PEER_EXIT_USAGE;
  }
  if (o->cert) {
    if (!load_pem_certs(o->cert, &s->chain_pem, msg, msglen) ||
        !load_key(o->key, &s->key, msg, msglen))
      return PEER_EXIT_USAGE;
    s->chain = (tg_cert_chain){s->chain_pem.certs, s->chain_pem.n, s->key};
    cfg->chain = &s->chain;
  }
  if (o->trust && !load_trust(o->trust, s, msg, msglen))
    return PEER_EXIT_USAGE;
  if (o->trust_key && !load_trust_key(o->trust_key, s, msg, msglen))
    return PEER_EXIT_USAGE;
  if (!configure_resumption(o, s, msg, msglen))
    return PEER_EXIT_USAGE;
  if (o->send_file &&
      (s->send_file = peer_load_file(o->send_file, &s->send_file_len, msg, msglen)) == NULL)
    return PEER_EXIT_USAGE;
  configure_versions(o, s);
  cfg->cipher_suites = tg_bytes_of(o->ciphers.wire, 2 * o->ciphers.n);
  cfg->groups = tg_bytes_of(o->groups.wire, 2 * o->groups.n);
  cfg->sig_schemes = tg_bytes_of(o->sigalgs.wire, 2 * o->sigalgs.n);
  cfg->server_name = o->sni ? o->sni : o->verify_name;
  cfg->alpn = tg_bytes_of(o->alpn, o->alpn_len);
  cfg->require_client_cert = o->require_client_cert;
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
  free(s->send_file);
}

/* ---- One connection -------------------------------------------------------------------------- */

typedef struct session {
  const peer_opts *o;
  const setup *st;
  tg_conn *c;
  int fd;
  int64_t deadline;
  peer_outcome *out;
  bool close_sent;
  bool eof;
  const char *error_class; /* set for failures outside the engine: timeout, transport */
  bool timed_out;
  char msg[256];
  uint8_t received[PEER_RECEIVED_MAX];
  uint8_t in[5 + MAX_RECORD]; /* received bytes not yet fed: at most one partial record */
  size_t in_len;
  size_t record_left; /* bytes of a record the engine has the start of, still to come */
} session;

/* The one call of the engine's info accessor. */
static const struct tg_conn_info *conn_info(const session *s) { return tg_conn_info(s->c); }
static tg_phase phase(const session *s) { return conn_info(s)->phase; }

static bool io_failed(session *s, peer_io_status st) {
  s->timed_out = st == PEER_IO_TIMEOUT;
  s->error_class = s->timed_out ? PEER_EC_TIMEOUT : PEER_EC_TRANSPORT;
  return false;
}

/* Sends what the engine queued. */
static bool flush(session *s) {
  tg_bytes out = tg_conn_output(s->c);
  if (out.len == 0)
    return true;
  peer_io_status st = peer_write_all(s->fd, out.p, out.len, s->deadline, s->msg, sizeof s->msg);
  if (st != PEER_IO_OK)
    return io_failed(s, st);
  tg_conn_output_consumed(s->c, out.len);
  return true;
}

static bool write_app(session *s, const uint8_t *p, size_t len) {
  if (phase(s) != TG_PHASE_ESTABLISHED || tg_conn_write(s->c, tg_bytes_of(p, len)) != TG_OK)
    return false;
  s->out->bytes_sent += len;
  return true;
}

/* Application data received so far: kept (up to the cap), and echoed with --echo. */
static void drain(session *s) {
  uint8_t buf[16384];
  size_t n;
  while ((n = tg_conn_read(s->c, buf, sizeof buf)) > 0) {
    size_t keep = PEER_RECEIVED_MAX - s->out->received_len;
    keep = n < keep ? n : keep;
    memcpy(s->received + s->out->received_len, buf, keep);
    s->out->received_len += keep;
    s->out->bytes_received += n;
    if (s->o->echo)
      (void)write_app(s, buf, n);
  }
}

/* Feeds the records in s->in one at a time, draining application data after each complete one:
 * data that arrives in one segment with the peer's close_notify is then echoed before the engine
 * sees the close (after which it accepts no more writes). A record not all there yet goes to the
 * engine as far as it is (the engine buffers it), so a header it refuses is answered at once, not
 * after the length the header claims: an SSLv2-format ClientHello (RFC 5246 Appendix E.2), read
 * as a record header, claims hundreds of bytes that never come. */
static bool feed_records(session *s) {
  size_t used = 0;
  while (used < s->in_len) {
    size_t size = s->record_left;
    if (size == 0) {
      if (s->in_len - used < 5)
        break; /* the engine gets a record from its whole header on */
      tg_reader r;
      tg_reader_init(&r, s->in + used, s->in_len - used, NULL);
      uint8_t type;
      uint16_t version, length;
      if (tg_read_u8(&r, &type, "TLSPlaintext.type") != TG_OK ||
          tg_read_u16(&r, &version, "TLSPlaintext.legacy_record_version") != TG_OK ||
          tg_read_u16(&r, &length, "TLSPlaintext.length") != TG_OK)
        break; /* cannot happen: the 5 bytes are there */
      size = 5 + (size_t)length;
    }
    size_t avail = s->in_len - used, chunk = size < avail ? size : avail;
    tg_status fed = tg_conn_feed(s->c, tg_bytes_of(s->in + used, chunk));
    used += chunk;
    s->record_left = size - chunk;
    if (fed != TG_OK) {
      if (phase(s) == TG_PHASE_FAILED)
        break;
      snprintf(s->msg, sizeof s->msg, "the engine failed without an alert: %s",
               tg_code_name((tg_code)fed));
      s->error_class = PEER_EC_INTERNAL;
      return false;
    }
    if (s->record_left > 0)
      break; /* the rest is still to come */
    drain(s);
  }
  memmove(s->in, s->in + used, s->in_len - used);
  s->in_len -= used;
  return true;
}

/* Reads what arrives and feeds it; false on timeout, transport error or EOF (s->eof). */
static bool pump(session *s) {
  size_t n;
  peer_io_status st = peer_read(s->fd, s->in + s->in_len, sizeof s->in - s->in_len, &n, s->deadline,
                                s->msg, sizeof s->msg);
  if (st == PEER_IO_EOF) {
    s->eof = true;
    return false;
  }
  if (st != PEER_IO_OK)
    return io_failed(s, st);
  s->in_len += n;
  return feed_records(s);
}

/* Until established or failed. */
static bool handshake(session *s) {
  if (s->o->role == PEER_ROLE_CLIENT && tg_conn_start(s->c) != TG_OK) {
    (void)flush(s); /* the alert, if the engine queued one */
    return false;
  }
  for (;;) {
    if (!flush(s))
      return false;
    tg_phase p = phase(s);
    if (p != TG_PHASE_HANDSHAKE)
      return p == TG_PHASE_ESTABLISHED || p == TG_PHASE_CLOSED;
    if (!pump(s)) {
      if (s->eof) {
        snprintf(s->msg, sizeof s->msg, "the peer closed the connection during the handshake");
        s->error_class = PEER_EC_TRANSPORT;
      }
      return false;
    }
  }
}

static void send_close(session *s) {
  if (!s->close_sent && phase(s) != TG_PHASE_FAILED && tg_conn_close(s->c) == TG_OK)
    s->close_sent = true;
}

/* --send-file: in record-sized pieces, reading whatever the peer sends back in between, so an
 * echoing peer never blocks on a full socket while this side blocks writing to it. */
static bool send_file(session *s) {
  const size_t piece = 16384;
  for (size_t off = 0; off < s->st->send_file_len; off += piece) {
    size_t n = s->st->send_file_len - off < piece ? s->st->send_file_len - off : piece;
    if (!write_app(s, s->st->send_file + off, n) || !flush(s))
      return false;
    char ignored[64];
    while (peer_wait_readable(s->fd, peer_now_ms() + 1, ignored, sizeof ignored) == PEER_IO_OK) {
      if (!pump(s))
        return s->eof; /* the main loop reports the end of the connection */
      drain(s);
      if (!flush(s))
        return false;
    }
  }
  return true;
}

/* After the handshake: --send (then close_notify), --echo, then wait for the peer to close. A
 * peer that closes the transport, or stays silent until the timeout, ends a connection that was
 * established without failing it. */
static bool application(session *s) {
  /* --key-update: the peer must answer with its own KeyUpdate (RFC 8446 §4.6.3); the data that
   * follows goes under the new keys, so an echo proves both sides moved on. */
  if (s->o->key_update && phase(s) == TG_PHASE_ESTABLISHED &&
      tg_conn_key_update(s->c, true) != TG_OK)
    return false;
  /* --send closes its write side after the text (RFC 8446 §6.1 allows the peer to go on
   * writing), so an echoing peer answers, closes in turn, and nobody waits for a timeout. */
  if (s->o->send)
    (void)write_app(s, (const uint8_t *)s->o->send, strlen(s->o->send));
  if (s->o->send_file && !send_file(s))
    return false;
  bool sends = s->o->send || s->o->send_file;
  if (sends || (s->o->role == PEER_ROLE_CLIENT && !s->o->echo))
    send_close(s);
  for (;;) {
    drain(s);
    if (!flush(s))
      return false;
    const struct tg_conn_info *info = conn_info(s);
    if (info->phase == TG_PHASE_FAILED)
      return false;
    /* The permissive target reads on after close_notify (RFC 8446 6.1 says to ignore what
     * follows): it stops at the end of the stream. */
    if ((info->peer_closed && !PERMISSIVE) || s->eof) {
      send_close(s);
      return flush(s);
    }
    if (!pump(s) && !s->eof) {
      if (!s->timed_out)
        return false;
      s->error_class = NULL; /* a quiet peer after the handshake is not a failure */
      send_close(s);
      return flush(s);
    }
  }
}

/* The outcome from the engine's view of the connection and what the session saw. */
static void describe(session *s, bool ok, char *errbuf, size_t errlen) {
  const struct tg_conn_info *info = conn_info(s);
  peer_outcome *out = s->out;
  out->established = ok;
  out->protocol = info->version ? peer_version_name(info->version) : NULL;
  out->cipher = info->cipher_suite ? tg_cipher_suite_name(info->cipher_suite) : NULL;
  out->group = info->group ? tg_group_name(info->group) : NULL;
  out->alpn = (const char *)info->alpn.p;
  out->alpn_len = info->alpn.len;
  out->alert_sent = info->alert_sent;
  out->alert_received = info->alert_received;
  out->resumed = info->resumed;
  out->received = out->received_len ? s->received : NULL;
  if (ok)
    return;
  if (info->phase == TG_PHASE_FAILED) {
    out->error_class = info->alert_received >= 0 ? PEER_EC_ALERT_RECEIVED
                                                 : peer_error_class_for_alert(info->alert_sent);
    out->error = info->err.code != TG_OK ? tg_err_format(&info->err, errbuf, errlen) : NULL;
    if (out->error == NULL && info->alert_received >= 0) {
      snprintf(errbuf, errlen, "received fatal alert %s",
               tg_alert_name((unsigned)info->alert_received));
      out->error = errbuf;
    }
  } else {
    out->error_class = s->error_class ? s->error_class : PEER_EC_INTERNAL;
    out->error = s->msg;
  }
}

/* --sess-out: the first ticket of the connection, if one came. Not a TLS failure when none did
 * (the server chose to send none): a note on stderr, and the file is left as it was. */
static void save_session(const peer_opts *o, const tg_conn *c) {
  static tg_ticket t; /* about 1 KiB; one connection at a time */
  char msg[512];
  if (o->sess_out == NULL)
    return;
  if (!tg_conn_ticket(c, 0, &t))
    fprintf(stderr, "tg-peer-" IMPL ": --sess-out %s: no ticket received\n", o->sess_out);
  else if (!builtin_save_session(o->sess_out, &t, msg, sizeof msg))
    fprintf(stderr, "tg-peer-" IMPL ": %s\n", msg);
}

/* Runs one connection over fd and prints its outcome; returns the exit status it implies. */
static int run_connection(const peer_opts *o, const setup *st, int fd) {
  peer_outcome out;
  peer_outcome_init(&out, IMPL, IMPL_VERSION, o->role);
  char errbuf[512];
  tg_err err;
  tg_err_clear(&err);
  /* On the heap: the session holds the received data and a whole record (about 80 KiB). */
  session *s = calloc(1, sizeof *s);
  tg_conn *c = s ? tg_conn_new(&st->cfg, o->role == PEER_ROLE_SERVER, &err) : NULL;
  if (c == NULL) {
    out.error_class = PEER_EC_INTERNAL;
    out.error = s ? tg_err_format(&err, errbuf, sizeof errbuf) : "out of memory";
    peer_outcome_print(stdout, &out);
    free(s);
    return PEER_EXIT_FAILED;
  }
  s->o = o;
  s->st = st;
  s->c = c;
  s->fd = fd;
  s->out = &out;
  s->deadline = peer_deadline(o->timeout_ms);
  bool ok = handshake(s) && application(s);
  describe(s, ok, errbuf, sizeof errbuf);
  peer_outcome_print(stdout, &out);
#ifdef TG_PEER_PERMISSIVE
  const tg_tolerated *tol = &tg_conn_info(c)->tolerated;
  if (tol->count > 0)
    fprintf(stderr, "tg-peer-" IMPL ": %u checks let through, the first: %s\n", tol->count,
            tg_err_format(&tol->first, errbuf, sizeof errbuf));
#endif
  save_session(o, c);
  tg_conn_free(c);
  free(s);
  return ok ? PEER_EXIT_ESTABLISHED : PEER_EXIT_FAILED;
}

static int transport_failure(const peer_opts *o, const char *msg) {
  peer_outcome out;
  peer_outcome_init(&out, IMPL, IMPL_VERSION, o->role);
  out.error_class = PEER_EC_TRANSPORT;
  out.error = msg;
  peer_outcome_print(stdout, &out);
  return PEER_EXIT_FAILED;
}

static int unsupported(const peer_opts *o, const char *msg) {
  fprintf(stderr, "tg-peer-" IMPL ": unsupported: %s\n", msg);
  peer_outcome out;
  peer_outcome_init(&out, IMPL, IMPL_VERSION, o->role);
  out.error_class = PEER_EC_UNSUPPORTED;
  out.error = msg;
  peer_outcome_print(stdout, &out);
  return PEER_EXIT_UNSUPPORTED;
}

int main(int argc, char **argv) {
  /* A peer that vanishes must show up as a write error, not kill the adapter. */
  signal(SIGPIPE, SIG_IGN);
  peer_opts o;
  int rc;
  /* --rsa-kx is this adapter's own flag (the engine's tg_config.rsa_key_exchange): taken out
   * before the shared parser sees the command line. */
  bool rsa_kx = false;
  int n = 0;
  for (int i = 0; i < argc; i++) {
    if (i > 0 && strcmp(argv[i], "--rsa-kx") == 0)
      rsa_kx = true;
    else
      argv[n++] = argv[i];
  }
  argc = n;
  if (!peer_parse_args(argc, argv, IMPL, &o, &rc))
    return rc;
  if (o.info)
    return print_info();
  /* The built-in validator runs in-process in `tlsgauntlet verify`; no --verify mode here. */
  if (o.verify_leaf != NULL)
    return unsupported(&o, "--verify: the built-in validator runs in `tlsgauntlet verify`");
  static setup st;
  st.rsa_kx = rsa_kx;
  tg_x509_store_init(&st.anchors);
  char msg[512] = "";
  rc = build_config(&o, &st, msg, sizeof msg);
  if (rc == PEER_EXIT_UNSUPPORTED)
    return unsupported(&o, msg);
  peer_conn_source src;
  if (rc == 0 && !peer_transport_open(&src, &o, msg, sizeof msg))
    rc = PEER_EXIT_USAGE;
  if (rc != 0) {
    fprintf(stderr, "tg-peer-" IMPL ": %s\n", msg);
    setup_free(&st);
    return rc;
  }
  bool failed;
  int fd;
  while ((fd = peer_transport_next(&src, &failed, msg, sizeof msg)) >= 0) {
    rc = run_connection(&o, &st, fd);
    close(fd);
  }
  if (failed && o.transport != PEER_TRANSPORT_LISTEN)
    rc = transport_failure(&o, msg);
  else if (failed) {
    fprintf(stderr, "tg-peer-" IMPL ": %s\n", msg);
    rc = PEER_EXIT_USAGE;
  }
  peer_transport_close(&src);
  setup_free(&st);
  return rc;
}
