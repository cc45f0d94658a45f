/* tlsgauntlet probe: a target profile (profile.h) for a live TLS server, from a few dozen
 * well-formed handshakes of the built-in client, each offering one thing alone: a version, a
 * cipher suite, a group (with its key share), a signature scheme, an ALPN protocol. What the
 * server picks is what it accepts. One more connection (two for an HTTP server) finds what it
 * does after the handshake.
 *
 * An offer counts as accepted when the handshake completes, or when it fails only after a
 * CertificateRequest: a server that requires a client certificate took the offer and then
 * refused the missing certificate (the probe has none to give). */
#define _GNU_SOURCE /* realpath, scandir */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "input.h"
#include "probe.h"
#include "profile.h"
#include "profile_write.h"
#include "scenario_cli.h"
#include "tg/kex.h"
#include "tg/names.h"

static const char probe_usage[] =
    "usage: tlsgauntlet probe tcp://HOST:PORT [--out FILE] [--name NAME] [--server-name NAME]\n"
    "                         [--ca PEM] [--timeout-ms N] [--verbose]\n"
    "\n"
    "Probes a live TLS server with well-formed handshakes of the built-in client, offering one\n"
    "version, cipher suite, group, signature scheme or ALPN protocol at a time, and writes a\n"
    "target profile (YAML) of what it accepts: versions, cipher_suites, groups,\n"
    "signature_schemes, alpn; its certificate, and whether the chain verifies against the CA\n"
    "(trust_anchor, server_name); client_auth (none, request, or require when the handshake\n"
    "fails after a CertificateRequest without a client certificate); and after_handshake:\n"
    "speaks_first (it sends data unasked within 300 ms), echo (it echoes a line), http (it\n"
    "answers a GET on a new connection) or handshake_only. Comments in the profile say what\n"
    "probing could not tell.\n"
    "\n"
    "  --out FILE          write the profile to FILE (default: standard output)\n"
    "  --name NAME         the implementation's name in reports (default: HOST:PORT)\n"
    "  --server-name NAME  the server_name to send and the name the certificate must be for\n"
    "                      (default: HOST when it is a DNS name, else server.test)\n"
    "  --ca PEM            the trust anchors the chain should verify against (default\n"
    "                      vectors/scenarios/certs/root.pem, written trust_anchor: root)\n"
    "  --timeout-ms N      per connection: connect, handshake and each wait (default 5000);\n"
    "                      the profile's timeout_ms is this or 5000, whichever is longer\n"
    "  --verbose           one line per handshake on standard error\n"
    "\n"
    "Exit status: 0 profile written, 1 the server could not be probed (no connection, or no\n"
    "version completed a handshake; nothing is written), 2 bad usage or bad input.\n";

#define PROBE_LINE "tlsgauntlet-probe\n"
#define QUIET_MS 300 /* how long a server that speaks first gets to do so */
#define MAX_NOTES 16

typedef struct probe_opts {
  const char *url, *out, *name, *server_name, *ca;
  int timeout_ms;
  bool verbose;
} probe_opts;

/* Everything one probe holds; the profile's strings point into it. */
typedef struct probe_run {
  probe_opts o;
  probe_target t;
  char certs_dir[PATH_MAX];
  const char *sni; /* the server_name sent */
  tg_x509_store anchors;
  tg_x509_store chain; /* the server's certificates, from its first handshake */
  target_profile p;
  char name[300], target[300], alpn[64], cert_name[256], server_name[256], trust_anchor[PATH_MAX];
  uint16_t best;       /* the version the rest is probed with: TLS 1.3 when it completes */
  sc_u16_list ecdhe12; /* TLS 1.2 ECDHE suites it accepts (for the group and signature probes) */
  bool cert_request;   /* a CertificateRequest came */
  bool refused_cert;   /* a handshake failed after a CertificateRequest */
  unsigned handshakes;
  bool lost; /* a connection could not be made */
  char lost_why[sizeof((probe_conn *)0)->error];
  char text[MAX_NOTES][768];
  profile_note notes[MAX_NOTES];
  size_t n_notes;
} probe_run;

static int bad_usage(const char *fmt, const char *arg) {
  fputs("tlsgauntlet probe: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\n(tlsgauntlet probe --help)\n", stderr);
  return EXIT_BAD_INPUT;
}

static void note(probe_run *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(probe_run *r, const char *key, const char *fmt, ...) {
  if (r->n_notes == MAX_NOTES)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->text[r->n_notes], sizeof r->text[0], fmt, ap);
  va_end(ap);
  r->notes[r->n_notes] = (profile_note){key, r->text[r->n_notes]};
  r->n_notes++;
}

/* ---- Arguments ---------------------------------------------------------------------------- */

/* tcp://HOST:PORT (IPv6: tcp://[ADDR]:PORT) into t. */
static bool parse_url(const char *url, probe_target *t) {
  if (strncmp(url, "tcp://", 6) != 0)
    return false;
  const char *hp = url + 6, *colon = strrchr(hp, ':');
  if (colon == NULL || colon == hp)
    return false;
  bool bracket = hp[0] == '[' && colon[-1] == ']';
  size_t host_len = (size_t)(colon - hp) - (bracket ? 2 : 0);
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (host_len == 0 || host_len >= sizeof t->host || *end != '\0' || colon[1] == '\0' || port < 1 ||
      port > 65535 || (!bracket && memchr(hp, ':', (size_t)(colon - hp)) != NULL))
    return false;
  snprintf(t->host, sizeof t->host, "%.*s", (int)host_len, hp + (bracket ? 1 : 0));
  snprintf(t->port, sizeof t->port, "%ld", port);
  return true;
}

static int parse_args(int argc, char **argv, probe_opts *o) {
  static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                       {"name", required_argument, NULL, 'n'},
                                       {"server-name", required_argument, NULL, 's'},
                                       {"ca", required_argument, NULL, 'c'},
                                       {"timeout-ms", required_argument, NULL, 't'},
                                       {"verbose", no_argument, NULL, 'v'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  int c;
  optind = 1;
  opterr = 0;
  *o = (probe_opts){.timeout_ms = SC_DEFAULT_TIMEOUT_MS};
  while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
    switch (c) {
    case 'o': o->out = optarg; break;
    case 'n': o->name = optarg; break;
    case 's': o->server_name = optarg; break;
    case 'c': o->ca = optarg; break;
    case 't': {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (*optarg == '\0' || *end != '\0' || v < 100 || v > 600000)
        return bad_usage("--timeout-ms '%s' is not a number of milliseconds from 100 to 600000",
                         optarg);
      o->timeout_ms = (int)v;
      break;
    }
    case 'v': o->verbose = true; break;
    case 'h': fputs(probe_usage, stdout); return -1;
    case ':': return bad_usage("%s needs a value", argv[optind - 1]);
    default: return bad_usage("unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc - 1)
    return bad_usage("%s", optind == argc ? "the target tcp://HOST:PORT is missing"
                                          : "one target only: tcp://HOST:PORT");
  o->url = argv[optind];
  if (o->server_name != NULL && (o->server_name[0] == '\0' || strlen(o->server_name) > 253))
    return bad_usage("--server-name '%s' is not a host name", o->server_name);
  if (o->name != NULL && o->name[0] == '\0')
    return bad_usage("%s", "--name is empty");
  return 0;
}

/* The certificates directory (the scenarios', where `trust_anchor: root` and `certificate: NAME`
 * point) and the trust anchors. */
static int load_anchors(probe_run *r) {
  char dir[PATH_MAX];
  const char *scen = sc_default_dir(NULL, dir, sizeof dir);
  snprintf(r->certs_dir, sizeof r->certs_dir, "%s/%s", scen ? scen : "vectors/scenarios",
           SC_CERTS_SUBDIR);
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/root.pem", r->certs_dir);
  const char *ca = r->o.ca ? r->o.ca : path;
  input_buf in;
  char msg[512];
  if (input_from_file(ca, &in, msg, sizeof msg) != 0)
    return bad_usage("--ca %s", msg);
  tg_err err;
  tg_err_clear(&err);
  tg_status st = tg_x509_store_add_pem(&r->anchors, tg_bytes_of(in.p, in.len), &err);
  input_free(&in);
  if (st != TG_OK) {
    char line[256];
    fprintf(stderr, "tlsgauntlet probe: --ca %s: %s\n", ca, tg_err_format(&err, line, sizeof line));
    return EXIT_BAD_INPUT;
  }
  /* As the profile names it: a file of the certificates directory by its name, else the
   * absolute path (so the profile works from any directory). */
  char real_ca[PATH_MAX], real_dir[PATH_MAX];
  if (r->o.ca == NULL) {
    snprintf(r->trust_anchor, sizeof r->trust_anchor, "root");
  } else if (realpath(r->o.ca, real_ca) != NULL) {
    size_t n = realpath(r->certs_dir, real_dir) ? strlen(real_dir) : 0;
    const char *base = real_ca + n + 1, *dot = strrchr(real_ca, '.');
    if (n > 0 && strncmp(real_ca, real_dir, n) == 0 && real_ca[n] == '/' && !strchr(base, '/') &&
        dot != NULL && strcmp(dot, ".pem") == 0)
      snprintf(r->trust_anchor, sizeof r->trust_anchor, "%.*s", (int)(dot - base), base);
    else
      snprintf(r->trust_anchor, sizeof r->trust_anchor, "%s", real_ca);
  } else {
    snprintf(r->trust_anchor, sizeof r->trust_anchor, "%s", r->o.ca);
  }
  return 0;
}

/* ---- Handshakes --------------------------------------------------------------------------- */

static sc_endpoint offer(const probe_run *r, uint16_t version) {
  return (sc_endpoint){.min_version = version, .max_version = version, .server_name = r->sni};
}

static sc_u16_list one(uint16_t v) { return (sc_u16_list){.n = 1, .v = {v}}; }

static const char *version_str(uint16_t v) { return v == TG_VERSION_TLS13 ? "1.3" : "1.2"; }

/* Plays one handshake; true when the server went along (see the top of the file). pc stays open
 * for the caller to use and close. A connection that cannot be made marks the probe lost. */
static bool handshake(probe_run *r, const sc_endpoint *o, const char *what, probe_conn *pc) {
  tg_x509_store *chain = tg_x509_store_count(&r->chain) ? NULL : &r->chain;
  r->handshakes++;
  if (!probe_open(pc, &r->t, o, chain)) {
    if (!r->lost)
      snprintf(r->lost_why, sizeof r->lost_why, "%s", pc->error);
    r->lost = true;
    if (r->o.verbose)
      fprintf(stderr, "probe: TLS %s %s: %s\n", version_str(o->max_version), what, pc->error);
    return false;
  }
  const struct tg_conn_info *i = probe_info(pc);
  bool refused_cert = !pc->established && pc->cert_request && i->alert_sent < 0 &&
                      (i->alert_received >= 0 || pc->eof);
  r->refused_cert |= refused_cert;
  r->cert_request |= pc->cert_request;
  bool ok = pc->established || refused_cert;
  if (r->o.verbose) {
    const char *suite = tg_cipher_suite_name(i->cipher_suite), *group = tg_group_name(i->group);
    const char *sig = tg_sig_scheme_name(i->peer_sig_scheme);
    if (ok)
      fprintf(stderr, "probe: TLS %s %s: accepted (%s, %s, %s%s)\n", version_str(o->max_version),
              what, suite ? suite : "-", group ? group : "-", sig ? sig : "-",
              refused_cert ? "; then refused without a client certificate" : "");
    else
      fprintf(stderr, "probe: TLS %s %s: %s\n", version_str(o->max_version), what, pc->error);
  }
  return ok;
}

/* One handshake, closed at once; true when it went along and check() says the server chose
 * what was offered. */
static bool try_offer(probe_run *r, const sc_endpoint *o, const char *what,
                      bool (*check)(const struct tg_conn_info *, const sc_endpoint *)) {
  probe_conn pc;
  bool ok = handshake(r, o, what, &pc) && check(probe_info(&pc), o);
  probe_close(&pc);
  return ok;
}

static bool chose_version(const struct tg_conn_info *i, const sc_endpoint *o) {
  return i->version == o->max_version;
}
static bool chose_suite(const struct tg_conn_info *i, const sc_endpoint *o) {
  return i->cipher_suite == o->cipher_suites.v[0];
}
static bool chose_group(const struct tg_conn_info *i, const sc_endpoint *o) {
  return i->group == o->groups.v[0];
}
static bool chose_sig(const struct tg_conn_info *i, const sc_endpoint *o) {
  return i->peer_sig_scheme == o->sigalgs.v[0];
}
static bool chose_alpn(const struct tg_conn_info *i, const sc_endpoint *o) {
  return i->alpn.len + 1 == o->alpn.len && memcmp(i->alpn.p, o->alpn.p + 1, i->alpn.len) == 0;
}

static void add(sc_u16_list *l, uint16_t v) {
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i] == v)
      return;
  if (l->n < SC_MAX_LIST)
    l->v[l->n++] = v;
}

/* ---- What it accepts ---------------------------------------------------------------------- */

static bool probe_versions(probe_run *r) {
  char why13[sizeof((probe_conn *)0)->error] = "", why12[sizeof why13] = "";
  for (int k = 0; k < 2 && !r->lost; k++) {
    uint16_t v = k == 0 ? TG_VERSION_TLS13 : TG_VERSION_TLS12;
    sc_endpoint o = offer(r, v);
    probe_conn pc;
    bool ok = handshake(r, &o, "alone", &pc) && chose_version(probe_info(&pc), &o);
    snprintf(k == 0 ? why13 : why12, sizeof why13, "%s", pc.error);
    probe_close(&pc);
    *(k == 0 ? &r->p.tls13 : &r->p.tls12) = ok;
  }
  if (r->lost)
    return false;
  if (!r->p.tls12 && !r->p.tls13) {
    fprintf(stderr, "tlsgauntlet probe: %s completed no handshake (TLS 1.3: %s; TLS 1.2: %s)\n",
            r->o.url, why13[0] ? why13 : "another version was chosen",
            why12[0] ? why12 : "another version was chosen");
    return false;
  }
  r->best = r->p.tls13 ? TG_VERSION_TLS13 : TG_VERSION_TLS12;
  return true;
}

static void probe_suites(probe_run *r) {
  for (int k = 0; k < 2; k++) {
    uint16_t v = k == 0 ? TG_VERSION_TLS13 : TG_VERSION_TLS12;
    if (!(k == 0 ? r->p.tls13 : r->p.tls12))
      continue;
    for (unsigned id = 0; id <= 0xffff && !r->lost; id++) {
      const tg_cipher_suite *cs = tg_cipher_suite_find((uint16_t)id);
      if (cs == NULL || cs->min_version > v || cs->max_version < v)
        continue;
      sc_endpoint o = offer(r, v);
      o.cipher_suites = one((uint16_t)id);
      if (!try_offer(r, &o, cs->name, chose_suite))
        continue;
      add(&r->p.cipher_suites, (uint16_t)id);
      if (cs->kx == TG_SUITE_KX_ECDHE)
        add(&r->ecdhe12, (uint16_t)id);
    }
  }
}

static void probe_groups(probe_run *r) {
  for (int k = 0; k < 2; k++) {
    uint16_t v = k == 0 ? TG_VERSION_TLS13 : TG_VERSION_TLS12;
    if (!(k == 0 ? r->p.tls13 : r->p.tls12) || (k == 1 && r->ecdhe12.n == 0))
      continue;
    for (unsigned g = 0; g <= 0xffff && !r->lost; g++) {
      const tg_group_desc *d = tg_group_find((uint16_t)g);
      if (d == NULL)
        continue;
      sc_endpoint o = offer(r, v);
      o.groups = o.key_shares = one((uint16_t)g);
      if (k == 1)
        o.cipher_suites = r->ecdhe12; /* a suite with a key exchange that uses the group */
      if (try_offer(r, &o, d->name, chose_group))
        add(&r->p.groups, (uint16_t)g);
    }
  }
  if (r->p.tls12 && r->ecdhe12.n == 0)
    note(r, "groups", "TLS 1.2: it accepts no ECDHE suite, so no group was probed there");
}

/* The schemes it signs with when offered alone: in TLS 1.3 the CertificateVerify; in TLS 1.2
 * (when it has no TLS 1.3, or for the rsa_pkcs1_* schemes TLS 1.3 allows only in certificates)
 * the ServerKeyExchange of an ECDHE suite. */
static void probe_sigalgs(probe_run *r) {
  for (unsigned s = 0; s <= 0xffff && !r->lost; s++) {
    const tg_sig_scheme_desc *d = tg_sig_scheme_find((uint16_t)s);
    if (d == NULL)
      continue;
    uint16_t v = r->p.tls13 && d->tls13_ok ? TG_VERSION_TLS13 : TG_VERSION_TLS12;
    if (v == TG_VERSION_TLS12 && (!r->p.tls12 || r->ecdhe12.n == 0))
      continue;
    sc_endpoint o = offer(r, v);
    o.sigalgs = one((uint16_t)s);
    if (v == TG_VERSION_TLS12)
      o.cipher_suites = r->ecdhe12;
    if (try_offer(r, &o, d->name, chose_sig))
      add(&r->p.sigalgs, (uint16_t)s);
  }
  bool tls12 = r->p.tls12 && r->ecdhe12.n > 0;
  if (r->p.tls13)
    note(r, "signature_schemes",
         "those it signed with when offered alone: in the TLS 1.3 CertificateVerify%s",
         tls12 ? "; rsa_pkcs1_*\nin the TLS 1.2 ServerKeyExchange" : "");
  else if (tls12)
    note(r, "signature_schemes",
         "those it signed with when offered alone, in the TLS 1.2 ServerKeyExchange");
  else
    note(r, "signature_schemes",
         "not probed: without TLS 1.3 or a TLS 1.2 ECDHE suite it signs nothing in a handshake");
}

static void probe_alpn(probe_run *r) {
  static const char *const protocols[] = {"h2", "http/1.1"};
  size_t used = 0;
  for (size_t k = 0; k < 2 && !r->lost; k++) {
    uint8_t wire[16];
    size_t len = strlen(protocols[k]);
    wire[0] = (uint8_t)len;
    memcpy(wire + 1, protocols[k], len);
    sc_endpoint o = offer(r, r->best);
    o.alpn = (sc_bytes){wire, len + 1};
    char what[32];
    snprintf(what, sizeof what, "ALPN %s", protocols[k]);
    if (try_offer(r, &o, what, chose_alpn))
      used += (size_t)snprintf(r->alpn + used, sizeof r->alpn - used, "%s%s", used ? "," : "",
                               protocols[k]);
  }
  r->p.alpn = used ? r->alpn : NULL;
  note(r, "alpn", "h2 and http/1.1 offered alone each: %s",
       used ? "the ones it selected" : "it selected neither (it may be configured with others)");
}

/* ---- After the handshake ------------------------------------------------------------------ */

static bool starts_with(const probe_conn *pc, const char *s) {
  size_t n = strlen(s);
  return pc->data_len >= n && memcmp(pc->data, s, n) == 0;
}

/* A connection that ended right after the handshake without a word, once a CertificateRequest
 * was seen: the server refused to go on without a client certificate (TLS 1.3: its alert comes
 * after the client's Finished). */
static bool refused_late(const probe_conn *pc) {
  return pc->cert_request && pc->data_len == 0 && probe_ended(pc) && probe_info(pc)->alert_sent < 0;
}

/* Silence for QUIET_MS: data means it speaks first. Then a line: back unchanged means echo
 * (data that starts "HTTP/" is an HTTP server's answer). Then, on a new connection, a GET: any
 * answer means http. Else it only does handshakes. */
static void probe_after(probe_run *r) {
  probe_conn pc;
  sc_endpoint o = offer(r, r->best);
  bool ok = handshake(r, &o, "after the handshake", &pc) && pc.established;
  const char *why = NULL;
  r->p.after = TP_HANDSHAKE_ONLY;
  if (ok) {
    probe_wait(&pc, QUIET_MS, 1);
    if (pc.data_len > 0) {
      r->p.after = TP_SPEAKS_FIRST;
      why = "it sent data within 300 ms of the handshake, unasked";
    } else if (!probe_ended(&pc) && probe_send(&pc, PROBE_LINE)) {
      probe_wait(&pc, r->o.timeout_ms, strlen(PROBE_LINE));
      if (starts_with(&pc, PROBE_LINE))
        r->p.after = TP_ECHO, why = "it sent back the line \"tlsgauntlet-probe\"";
      else if (starts_with(&pc, "HTTP/"))
        r->p.after = TP_HTTP, why = "it answered a line with HTTP";
    }
    r->refused_cert |= refused_late(&pc);
  }
  probe_close(&pc);
  if (r->refused_cert) {
    note(r, "after_handshake",
         "not probed: it ends the connection without a client certificate (client_auth:\n"
         "require); set it by hand");
    return;
  }
  if (!ok || r->lost) {
    note(r, "after_handshake", "not probed: %s", pc.error);
    return;
  }
  if (why == NULL) {
    char get[400];
    snprintf(get, sizeof get, "GET / HTTP/1.0\r\nHost: %s\r\n\r\n", r->sni);
    if (handshake(r, &o, "GET /", &pc) && probe_send(&pc, get)) {
      probe_wait(&pc, r->o.timeout_ms, 1);
      if (pc.data_len > 0)
        r->p.after = TP_HTTP, why = "it answered GET / on a new connection";
    }
    probe_close(&pc);
  }
  if (why == NULL) {
    why = "it sent nothing unasked, did not echo a line, and did not answer GET /";
    r->p.quiet_ms = QUIET_MS;
  }
  note(r, "after_handshake", "%s", why);
}

static void probe_client_auth(probe_run *r) {
  r->p.client_auth = r->refused_cert   ? TP_AUTH_REQUIRE
                     : r->cert_request ? TP_AUTH_REQUEST
                                       : TP_AUTH_NONE;
  if (r->refused_cert)
    note(r, "client_auth",
         "it sent a CertificateRequest and ended the handshake when no certificate came");
  else if (r->cert_request)
    note(r, "client_auth",
         "it sent a CertificateRequest and went on without a client certificate; what it does\n"
         "with one it does not trust cannot be known without one");
}

/* ---- The certificate ---------------------------------------------------------------------- */

/* The leaf's subjectAltName entries, "DNS:a, IP:b". */
static void format_sans(const tg_x509_cert *leaf, char *out, size_t cap) {
  size_t n = (size_t)snprintf(out, cap, "%s", leaf->has_subject_alt_name ? "" : "none");
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  tg_x509_gn_iter_init(&it, leaf->subject_alt_name);
  while (leaf->has_subject_alt_name && n < cap && tg_x509_gn_next(&it, &gn)) {
    char ip[INET6_ADDRSTRLEN] = "?";
    if (gn.type == TG_GN_dNSName)
      n += (size_t)snprintf(out + n, cap - n, "%sDNS:%.*s", n ? ", " : "", (int)gn.value.len,
                            (const char *)gn.value.p);
    else if (gn.type == TG_GN_iPAddress &&
             inet_ntop(gn.value.len == 4 ? AF_INET : AF_INET6, gn.value.p, ip, sizeof ip))
      n += (size_t)snprintf(out + n, cap - n, "%sIP:%s", n ? ", " : "", ip);
    else
      n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "", tg_x509_gn_type_name(gn.type));
  }
}

/* The name the leaf is for: --server-name as given; else the first of the name sent,
 * server.test, the dNSName entries (not wildcards) and the iPAddress entries that it matches. */
static const char *choose_name(probe_run *r, const tg_x509_cert *leaf) {
  if (r->o.server_name != NULL)
    return r->o.server_name;
  const char *fixed[] = {r->sni, "server.test"};
  for (size_t i = 0; i < 2; i++)
    if (tg_x509_matches_name(leaf, fixed[i]))
      return fixed[i];
  tg_x509_gn_iter it;
  tg_x509_general_name gn;
  tg_x509_gn_iter_init(&it, leaf->subject_alt_name);
  while (leaf->has_subject_alt_name && tg_x509_gn_next(&it, &gn)) {
    char *buf = r->server_name;
    if (gn.type == TG_GN_dNSName && gn.value.len < sizeof r->server_name && gn.value.len > 0 &&
        gn.value.p[0] != '*')
      snprintf(buf, sizeof r->server_name, "%.*s", (int)gn.value.len, (const char *)gn.value.p);
    else if (gn.type != TG_GN_iPAddress || (gn.value.len != 4 && gn.value.len != 16) ||
             !inet_ntop(gn.value.len == 4 ? AF_INET : AF_INET6, gn.value.p, buf,
                        sizeof r->server_name))
      continue;
    if (tg_x509_matches_name(leaf, buf))
      return buf;
  }
  return NULL;
}

static int is_pem(const struct dirent *d) {
  size_t n = strlen(d->d_name);
  return n > 4 && strcmp(d->d_name + n - 4, ".pem") == 0;
}

/* The certificates directory's NAME whose NAME.pem starts with this leaf, into r->cert_name.
 * Several files may hold one certificate (server-otherkey.pem is server.pem's with another
 * key, for a scenario about that): the shortest name is the plain one. */
static bool find_cert_name(probe_run *r, const tg_x509_cert *leaf) {
  struct dirent **list;
  int n = scandir(r->certs_dir, &list, is_pem, alphasort);
  r->cert_name[0] = '\0';
  for (int i = 0; i < n; i++) {
    char path[PATH_MAX + 300], msg[256];
    size_t len = strlen(list[i]->d_name) - 4;
    snprintf(path, sizeof path, "%s/%s", r->certs_dir, list[i]->d_name);
    input_buf in;
    tg_x509_store s;
    tg_err err;
    tg_err_clear(&err);
    tg_x509_store_init(&s);
    if (input_from_file(path, &in, msg, sizeof msg) == 0) {
      if (tg_x509_store_add_pem(&s, tg_bytes_of(in.p, in.len), &err) == TG_OK &&
          tg_x509_store_get(&s, 0)->raw.len == leaf->raw.len &&
          memcmp(tg_x509_store_get(&s, 0)->raw.p, leaf->raw.p, leaf->raw.len) == 0 &&
          (r->cert_name[0] == '\0' || len < strlen(r->cert_name)))
        snprintf(r->cert_name, sizeof r->cert_name, "%.*s", (int)len, list[i]->d_name);
      input_free(&in);
    }
    tg_x509_store_free(&s);
    free(list[i]);
  }
  if (n >= 0)
    free(list);
  return r->cert_name[0] != '\0';
}

/* Whether the chain verifies against the anchors (the name apart: a wrong name is the server
 * name's problem, not the anchor's). */
static bool verify_chain(probe_run *r, const char *name, char *why, size_t cap) {
  const tg_x509_cert *untrusted[TG_X509_MAX_UNTRUSTED];
  size_t n = 0;
  for (size_t i = 1; i < tg_x509_store_count(&r->chain) && n < TG_X509_MAX_UNTRUSTED; i++)
    untrusted[n++] = tg_x509_store_get(&r->chain, i);
  tg_x509_verify_params params = {.anchors = &r->anchors,
                                  .untrusted = untrusted,
                                  .untrusted_count = n,
                                  .name = name,
                                  .now = (int64_t)time(NULL),
                                  .purpose = TG_PURPOSE_SERVER};
  tg_x509_verify_result res;
  tg_err err;
  tg_err_clear(&err);
  if (tg_x509_verify(tg_x509_store_get(&r->chain, 0), &params, &res, &err) == TG_OK)
    return true;
  snprintf(why, cap, "%s: %s", tg_x509_reason_name(res.reason), err.what);
  return false;
}

static void probe_certificate(probe_run *r) {
  const char *ca = r->o.ca ? r->o.ca : "vectors/scenarios/certs/root.pem";
  if (tg_x509_store_count(&r->chain) == 0) {
    note(r, "certificate", "its certificate does not parse: nothing is known of its chain");
    return;
  }
  const tg_x509_cert *leaf = tg_x509_store_get(&r->chain, 0);
  const tg_x509_cert *top = tg_x509_store_get(&r->chain, tg_x509_store_count(&r->chain) - 1);
  char subject[256], issuer[256], sans[512], why[400];
  tg_x509_name_format(&leaf->subject, subject, sizeof subject);
  tg_x509_name_format(&top->issuer, issuer, sizeof issuer);
  format_sans(leaf, sans, sizeof sans);
  note(r, "certificate", "the leaf: subject %s; subjectAltName %s", subject, sans);
  if (find_cert_name(r, leaf))
    r->p.certificate.name = r->cert_name;
  const char *name = choose_name(r, leaf);
  r->p.server_name = (char *)name;
  if (name == NULL)
    note(r, "server_name", "none of its names is one to connect with (%s); fill in", sans);
  else if (!tg_x509_matches_name(leaf, name))
    note(r, "server_name", "the certificate is not for %s", name);
  if (verify_chain(r, NULL, why, sizeof why)) {
    r->p.trust_anchor = r->trust_anchor;
    return;
  }
  size_t n = tg_x509_store_count(&r->chain);
  note(
      r, "trust_anchor",
      "the chain it sends (%zu certificate%s) is issued by %s\nand does not verify against %s:\n%s",
      n, n == 1 ? "" : "s", issuer, ca, why);
}

/* ---- The command -------------------------------------------------------------------------- */

static bool is_ip(const char *host) {
  uint8_t buf[16];
  size_t len;
  return tg_x509_parse_ip(host, buf, &len);
}

static int write_profile(probe_run *r) {
  FILE *f = r->o.out ? fopen(r->o.out, "w") : stdout;
  if (f == NULL) {
    fprintf(stderr, "tlsgauntlet probe: cannot write %s: %s\n", r->o.out, strerror(errno));
    return EXIT_BAD_INPUT;
  }
  profile_write_notes(f, &r->p, r->notes, r->n_notes);
  bool ok = fflush(f) == 0 && !ferror(f);
  if (r->o.out != NULL)
    ok &= fclose(f) == 0;
  if (!ok) {
    fprintf(stderr, "tlsgauntlet probe: writing %s failed\n", r->o.out ? r->o.out : "the profile");
    return EXIT_BAD_INPUT;
  }
  return EXIT_OK;
}

static int probe(probe_run *r) {
  int64_t t0 = runner_now_ms();
  if (probe_versions(r)) {
    probe_certificate(r);
    probe_after(r);
    probe_client_auth(r);
    probe_suites(r);
    probe_groups(r);
    probe_sigalgs(r);
    probe_alpn(r);
  }
  if (r->lost)
    fprintf(stderr, "tlsgauntlet probe: cannot probe %s: %s\n", r->o.url, r->lost_why);
  if (r->lost || r->best == 0)
    return EXIT_UNEXPECTED;
  note(r, "", "A target profile written by tlsgauntlet probe %s (%u handshakes in %.1f s).",
       r->o.url, r->handshakes, (double)(runner_now_ms() - t0) / 1000.0);
  note(r, "require_ems",
       "not probed: whether it refuses a TLS 1.2 client without extended_master_secret (the\n"
       "probe always offers it)");
  note(r, "key_update", "not probed: whether it sends a KeyUpdate after the handshake");
  return write_profile(r);
}

int cmd_probe(int argc, char **argv) {
  probe_run *r = calloc(1, sizeof *r);
  if (r == NULL)
    return EXIT_UNEXPECTED;
  int rc = parse_args(argc, argv, &r->o);
  if (rc != 0) {
    free(r);
    return rc < 0 ? EXIT_OK : rc;
  }
  tg_x509_store_init(&r->anchors);
  tg_x509_store_init(&r->chain);
  if (!parse_url(r->o.url, &r->t)) {
    rc = bad_usage("the target is tcp://HOST:PORT, not '%s'", r->o.url);
    goto done;
  }
  r->t.timeout_ms = r->o.timeout_ms;
  rc = load_anchors(r);
  if (rc != 0)
    goto done;
  r->t.certs_dir = r->certs_dir;
  r->sni = r->o.server_name ? r->o.server_name : is_ip(r->t.host) ? "server.test" : r->t.host;
  bool v6 = strchr(r->t.host, ':') != NULL;
  snprintf(r->name, sizeof r->name, "%s%s%s:%s", v6 ? "[" : "", r->t.host, v6 ? "]" : "",
           r->t.port);
  snprintf(r->target, sizeof r->target, "%s", r->o.url);
  r->p.name = r->o.name ? (char *)r->o.name : r->name;
  r->p.role = SC_TARGET_SERVER;
  r->p.quiet_ms = TP_DEFAULT_QUIET_MS;
  r->p.target = r->target;
  /* A server slow to probe is slow in scenarios too; a quick probe says nothing about them. */
  r->p.timeout_ms =
      r->o.timeout_ms > SC_DEFAULT_TIMEOUT_MS ? r->o.timeout_ms : SC_DEFAULT_TIMEOUT_MS;
  rc = probe(r);
done:
  tg_x509_store_free(&r->anchors);
  tg_x509_store_free(&r->chain);
  free(r);
  return rc;
}
