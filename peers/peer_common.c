/* The peer protocol's shared half: flags, transports, poll loop, files. The outcome line and
 * --info are in peer_output.c. */
#include "peer_common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tg/error.h"
#include "tg/names.h"

/* ---- Usage ----------------------------------------------------------------------------------- */

void peer_usage(FILE *f, const char *impl) {
  fprintf(f,
          "usage: tg-peer-%s --role client|server (--fd N | --connect HOST:PORT | --listen "
          "HOST:PORT)\n"
          "       [--min-version V] [--max-version V] [--ciphers LIST] [--groups LIST]\n"
          "       [--sigalgs LIST] [--cert PEM --key PEM] [--trust PEM | --trust-key PEM]\n"
          "       [--verify-name HOST | --no-verify] [--require-client-cert |\n"
          "       --request-client-cert] [--alpn LIST] [--sni HOST]\n"
          "       [--echo | --http | --send TEXT | --send-file PATH] [--key-update]\n"
          "       [--sess-in FILE] [--sess-out FILE] [--ticket-key HEX] [--timeout-ms MS]\n"
          "   or: tg-peer-%s --info\n"
          "   or: tg-peer-%s --verify LEAF.pem --trust PEM [--untrusted PEM]...\n"
          "       [--verify-name HOST] [--time UNIX_SECONDS] [--purpose server|client]\n"
          "       [--profile rfc5280|webpki]\n"
          "\n"
          "One TLS endpoint of the %s implementation, for the tlsgauntlet runner and for outside\n"
          "tools. When a connection ends it prints one JSON line on stdout (peers/README.md).\n"
          "\n"
          "  --role R            client or server\n"
          "  --fd N              use the connected socket N (inherited)\n"
          "  --connect H:P       connect to H:P\n"
          "  --listen H:P        accept connections on H:P one after another until killed;\n"
          "                      prints 'listening on H:PORT' on stderr (port 0 picks one)\n"
          "  --min-version V     1.0 .. 1.3 (also TLSv1.3)\n"
          "  --max-version V\n"
          "  --ciphers LIST      comma-separated IANA names, e.g. TLS_AES_128_GCM_SHA256\n"
          "  --groups LIST       e.g. x25519,secp256r1\n"
          "  --sigalgs LIST      e.g. ecdsa_secp256r1_sha256,rsa_pss_rsae_sha256\n"
          "  --cert PEM --key PEM  certificate chain (leaf first) and private key\n"
          "  --trust PEM         trust anchors: the peer's chain is validated (X.509 path)\n"
          "  --trust-key PEM     pin keys: the peer's leaf must carry the public key of one of\n"
          "                      the certificates in PEM (no chain, name or date checks)\n"
          "  --verify-name HOST  the name the peer's certificate must match\n"
          "  --no-verify         do not verify the peer's certificate\n"
          "  --require-client-cert  server: the client must present a certificate\n"
          "  --request-client-cert  server: ask for a client certificate, go on without one\n"
          "                      (one that is sent is verified as with --require-client-cert)\n"
          "  --alpn LIST         comma-separated protocol names, e.g. h2,http/1.1\n"
          "  --sni HOST          client: server_name to send\n"
          "  --echo              echo application data back until the peer closes\n"
          "  --http              answer each request (read up to its blank line) with one\n"
          "                      HTTP/1.1 200 response, until the peer closes\n"
          "  --send TEXT         send TEXT, then read until the peer closes\n"
          "  --send-file PATH    the same with the bytes of a file\n"
          "  --key-update        send a KeyUpdate (update_requested) after the first\n"
          "                      application data (received, or sent by --send/--send-file)\n"
          "  --require-ems       TLS 1.2: refuse a peer without extended_master_secret (RFC 7627\n"
          "                      5.2 and 5.3 let a peer go on without it; this asks it not to)\n"
          "  --ems-optional      TLS 1.2: go on with a peer without extended_master_secret (the\n"
          "                      RFC 5246 master secret); the default of the libraries, not of\n"
          "                      the built-in engine, which refuses such a peer without it\n"
          "  --sess-in FILE      client: resume the session of a ticket saved by --sess-out\n"
          "  --sess-out FILE     client: save the first ticket received to FILE\n"
          "  --ticket-key HEX    server: 16-byte key that seals tickets (default: random)\n"
          "  --timeout-ms MS     give up on a connection after MS ms (default %d)\n"
          "  --info              print one JSON line: version, suites, groups, signature\n"
          "                      schemes and features this implementation supports; exit 0\n"
          "  --verify LEAF       no connection: validate LEAF with the library's own X.509\n"
          "                      path validation; one JSON line (verdict, reason, error,\n"
          "                      flags); exit 0 valid, 1 invalid, 2 bad input\n"
          "  --profile P         the X.509 profile of --trust: rfc5280 (default) or webpki,\n"
          "                      the library's strict setting; exit 3 when it has none\n"
          "\n"
          "Exit status: 0 established, 1 failed as a TLS peer, 2 bad usage or input,\n"
          "3 an option this implementation does not support.\n",
          impl, impl, impl, impl, PEER_DEFAULT_TIMEOUT_MS);
}

/* ---- Values ---------------------------------------------------------------------------------- */

static const struct {
  const char *name;
  uint16_t version;
} versions[] = {
    {"1.0", TG_VERSION_TLS10},     {"1.1", TG_VERSION_TLS11},     {"1.2", TG_VERSION_TLS12},
    {"1.3", TG_VERSION_TLS13},     {"TLSv1.0", TG_VERSION_TLS10}, {"TLSv1.1", TG_VERSION_TLS11},
    {"TLSv1.2", TG_VERSION_TLS12}, {"TLSv1.3", TG_VERSION_TLS13}, {"tls1.0", TG_VERSION_TLS10},
    {"tls1.1", TG_VERSION_TLS11},  {"tls1.2", TG_VERSION_TLS12},  {"tls1.3", TG_VERSION_TLS13},
};

bool peer_parse_version(const char *s, uint16_t *version) {
  for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
    if (strcmp(s, versions[i].name) == 0) {
      *version = versions[i].version;
      return true;
    }
  }
  return false;
}

const char *peer_version_name(uint16_t version) {
  switch (version) {
  case TG_VERSION_TLS10: return "TLSv1.0";
  case TG_VERSION_TLS11: return "TLSv1.1";
  case TG_VERSION_TLS12: return "TLSv1.2";
  case TG_VERSION_TLS13: return "TLSv1.3";
  default: return NULL;
  }
}

typedef bool (*name_lookup)(const char *name, unsigned *value);

/* "a,b,c" → code points; msg names the first unknown or surplus item. */
static bool parse_name_list(const char *flag, const char *s, name_lookup lookup,
                            peer_u16_list *list, char *msg, size_t msglen) {
  list->n = 0;
  const char *p = s;
  for (;;) {
    size_t len = strcspn(p, ",");
    char name[128];
    if (len == 0 || len >= sizeof name) {
      snprintf(msg, msglen, "%s: empty or overlong name in '%s'", flag, s);
      return false;
    }
    memcpy(name, p, len);
    name[len] = '\0';
    unsigned v;
    if (!lookup(name, &v)) {
      snprintf(msg, msglen, "%s: unknown name '%s'", flag, name);
      return false;
    }
    if (list->n == PEER_MAX_LIST) {
      snprintf(msg, msglen, "%s: more than %d names", flag, PEER_MAX_LIST);
      return false;
    }
    list->v[list->n] = (uint16_t)v;
    list->wire[2 * list->n] = (uint8_t)(v >> 8);
    list->wire[2 * list->n + 1] = (uint8_t)v;
    list->n++;
    if (p[len] == '\0')
      return true;
    p += len + 1;
  }
}

/* "h2,http/1.1" → ProtocolNameList body: ProtocolName protocol_name_list<2..2^16-1> where
 * ProtocolName is opaque <1..2^8-1> (RFC 7301 §3.1). */
static bool parse_alpn(const char *s, peer_opts *o, char *msg, size_t msglen) {
  o->alpn_len = 0;
  const char *p = s;
  for (;;) {
    size_t len = strcspn(p, ",");
    if (len == 0 || len > 255) {
      snprintf(msg, msglen, "--alpn: protocol names are 1 to 255 bytes, in '%s'", s);
      return false;
    }
    if (o->alpn_len + 1 + len > sizeof o->alpn) {
      snprintf(msg, msglen, "--alpn: list longer than %zu bytes", sizeof o->alpn);
      return false;
    }
    o->alpn[o->alpn_len++] = (uint8_t)len;
    memcpy(o->alpn + o->alpn_len, p, len);
    o->alpn_len += len;
    if (p[len] == '\0')
      return true;
    p += len + 1;
  }
}

/* "HOST:PORT" or "[V6]:PORT". */
static bool parse_host_port(const char *flag, const char *s, peer_opts *o, char *msg,
                            size_t msglen) {
  const char *colon = strrchr(s, ':');
  const char *host = s;
  size_t host_len = colon ? (size_t)(colon - s) : 0;
  if (colon && host_len >= 2 && s[0] == '[' && colon[-1] == ']') {
    host++;
    host_len -= 2;
  }
  const char *port = colon ? colon + 1 : "";
  char *end;
  long n = strtol(port, &end, 10);
  if (!colon || host_len == 0 || host_len >= sizeof o->host || *port == '\0' || *end != '\0' ||
      n < 0 || n > 65535) {
    snprintf(msg, msglen, "%s: expected HOST:PORT, got '%s'", flag, s);
    return false;
  }
  memcpy(o->host, host, host_len);
  o->host[host_len] = '\0';
  snprintf(o->port, sizeof o->port, "%ld", n);
  return true;
}

/* --ticket-key: exactly 2 * PEER_TICKET_KEY_LEN hex digits. */
static bool parse_ticket_key(const char *s, peer_opts *o, char *msg, size_t msglen) {
  bool ok = strlen(s) == 2 * PEER_TICKET_KEY_LEN;
  for (size_t i = 0; ok && i < PEER_TICKET_KEY_LEN; i++) {
    unsigned byte = 0;
    ok = isxdigit((unsigned char)s[2 * i]) && isxdigit((unsigned char)s[2 * i + 1]) &&
         sscanf(s + 2 * i, "%2x", &byte) == 1;
    o->ticket_key[i] = (uint8_t)byte;
  }
  if (!ok) {
    snprintf(msg, msglen, "--ticket-key: expected %d hex digits, got '%s'", 2 * PEER_TICKET_KEY_LEN,
             s);
    return false;
  }
  o->has_ticket_key = true;
  return true;
}

static bool parse_int(const char *flag, const char *s, long min, long max, long *out, char *msg,
                      size_t msglen) {
  char *end;
  errno = 0;
  long n = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || errno != 0 || n < min || n > max) {
    snprintf(msg, msglen, "%s: expected a number from %ld to %ld, got '%s'", flag, min, max, s);
    return false;
  }
  *out = n;
  return true;
}

/* ---- Flags ----------------------------------------------------------------------------------- */

enum flag_id {
  F_ROLE,
  F_FD,
  F_CONNECT,
  F_LISTEN,
  F_MINV,
  F_MAXV,
  F_CIPHERS,
  F_GROUPS,
  F_SIGALGS,
  F_CERT,
  F_KEY,
  F_TRUST,
  F_VNAME,
  F_NOVERIFY,
  F_REQCERT,
  F_REQUEST_CERT,
  F_ALPN,
  F_SNI,
  F_ECHO,
  F_HTTP,
  F_SEND,
  F_SEND_FILE,
  F_KEY_UPDATE,
  F_REQUIRE_EMS,
  F_EMS_OPTIONAL,
  F_TIMEOUT,
  F_TRUST_KEY,
  F_SESS_IN,
  F_SESS_OUT,
  F_TICKET_KEY,
  F_INFO,
  F_VERIFY,
  F_UNTRUSTED,
  F_TIME,
  F_PURPOSE,
  F_PROFILE,
  F_HELP,
  F_COUNT
};

static const struct {
  const char *name;
  bool has_value;
} flags[F_COUNT] = {
    [F_ROLE] = {"--role", true},
    [F_FD] = {"--fd", true},
    [F_CONNECT] = {"--connect", true},
    [F_LISTEN] = {"--listen", true},
    [F_MINV] = {"--min-version", true},
    [F_MAXV] = {"--max-version", true},
    [F_CIPHERS] = {"--ciphers", true},
    [F_GROUPS] = {"--groups", true},
    [F_SIGALGS] = {"--sigalgs", true},
    [F_CERT] = {"--cert", true},
    [F_KEY] = {"--key", true},
    [F_TRUST] = {"--trust", true},
    [F_VNAME] = {"--verify-name", true},
    [F_NOVERIFY] = {"--no-verify", false},
    [F_REQCERT] = {"--require-client-cert", false},
    [F_REQUEST_CERT] = {"--request-client-cert", false},
    [F_ALPN] = {"--alpn", true},
    [F_SNI] = {"--sni", true},
    [F_ECHO] = {"--echo", false},
    [F_HTTP] = {"--http", false},
    [F_SEND] = {"--send", true},
    [F_SEND_FILE] = {"--send-file", true},
    [F_KEY_UPDATE] = {"--key-update", false},
    [F_REQUIRE_EMS] = {"--require-ems", false},
    [F_EMS_OPTIONAL] = {"--ems-optional", false},
    [F_TIMEOUT] = {"--timeout-ms", true},
    [F_TRUST_KEY] = {"--trust-key", true},
    [F_SESS_IN] = {"--sess-in", true},
    [F_SESS_OUT] = {"--sess-out", true},
    [F_TICKET_KEY] = {"--ticket-key", true},
    [F_INFO] = {"--info", false},
    [F_VERIFY] = {"--verify", true},
    [F_UNTRUSTED] = {"--untrusted", true},
    [F_TIME] = {"--time", true},
    [F_PURPOSE] = {"--purpose", true},
    [F_PROFILE] = {"--profile", true},
    [F_HELP] = {"--help", false},
};

/* Applies one flag with its value; false with msg on a bad value. */
static bool apply_flag(enum flag_id id, const char *v, peer_opts *o, char *msg, size_t msglen) {
  long n;
  switch (id) {
  case F_ROLE:
    if (strcmp(v, "client") != 0 && strcmp(v, "server") != 0) {
      snprintf(msg, msglen, "--role: expected client or server, got '%s'", v);
      return false;
    }
    o->role = strcmp(v, "server") == 0 ? PEER_ROLE_SERVER : PEER_ROLE_CLIENT;
    return true;
  case F_FD:
    if (!parse_int("--fd", v, 0, INT_MAX, &n, msg, msglen))
      return false;
    o->fd = (int)n;
    o->transport = PEER_TRANSPORT_FD;
    return true;
  case F_CONNECT:
    o->transport = PEER_TRANSPORT_CONNECT;
    return parse_host_port("--connect", v, o, msg, msglen);
  case F_LISTEN:
    o->transport = PEER_TRANSPORT_LISTEN;
    return parse_host_port("--listen", v, o, msg, msglen);
  case F_MINV:
  case F_MAXV:
    if (!peer_parse_version(v, id == F_MINV ? &o->min_version : &o->max_version)) {
      snprintf(msg, msglen, "%s: unknown version '%s' (1.0, 1.1, 1.2, 1.3)", flags[id].name, v);
      return false;
    }
    return true;
  case F_CIPHERS:
    return parse_name_list("--ciphers", v, tg_cipher_suite_by_name, &o->ciphers, msg, msglen);
  case F_GROUPS: return parse_name_list("--groups", v, tg_group_by_name, &o->groups, msg, msglen);
  case F_SIGALGS:
    return parse_name_list("--sigalgs", v, tg_sig_scheme_by_name, &o->sigalgs, msg, msglen);
  case F_CERT: o->cert = v; return true;
  case F_KEY: o->key = v; return true;
  case F_TRUST: o->trust = v; return true;
  case F_VNAME: o->verify_name = v; return true;
  case F_NOVERIFY: o->no_verify = true; return true;
  case F_REQCERT: o->require_client_cert = true; return true;
  case F_REQUEST_CERT: o->request_client_cert = true; return true;
  case F_ALPN: return parse_alpn(v, o, msg, msglen);
  case F_SNI: o->sni = v; return true;
  case F_ECHO: o->echo = true; return true;
  case F_HTTP: o->http = true; return true;
  case F_SEND: o->send = v; return true;
  case F_SEND_FILE: o->send_file = v; return true;
  case F_KEY_UPDATE: o->key_update = true; return true;
  case F_REQUIRE_EMS: o->require_ems = true; return true;
  case F_EMS_OPTIONAL: o->ems_optional = true; return true;
  case F_TIMEOUT:
    if (!parse_int("--timeout-ms", v, 1, INT_MAX, &n, msg, msglen))
      return false;
    o->timeout_ms = (int)n;
    return true;
  case F_TRUST_KEY: o->trust_key = v; return true;
  case F_SESS_IN: o->sess_in = v; return true;
  case F_SESS_OUT: o->sess_out = v; return true;
  case F_TICKET_KEY: return parse_ticket_key(v, o, msg, msglen);
  case F_INFO: o->info = true; return true;
  case F_VERIFY: o->verify_leaf = v; return true;
  case F_UNTRUSTED:
    if (o->n_untrusted == PEER_MAX_UNTRUSTED) {
      snprintf(msg, msglen, "--untrusted: %d files at most", PEER_MAX_UNTRUSTED);
      return false;
    }
    o->untrusted[o->n_untrusted++] = v;
    return true;
  case F_TIME: {
    char *end;
    errno = 0;
    long long t = strtoll(v, &end, 10);
    if (*v == '\0' || *end != '\0' || errno != 0) {
      snprintf(msg, msglen, "--time: expected UNIX seconds, got '%s'", v);
      return false;
    }
    o->verify_time = (int64_t)t;
    o->has_time = true;
    return true;
  }
  case F_PURPOSE:
    if (strcmp(v, "client") != 0 && strcmp(v, "server") != 0) {
      snprintf(msg, msglen, "--purpose: expected server or client, got '%s'", v);
      return false;
    }
    o->purpose_client = strcmp(v, "client") == 0;
    return true;
  case F_PROFILE: {
    int profile = tg_x509_profile_from_name(v);
    if (profile < 0) {
      snprintf(msg, msglen, "--profile: expected rfc5280 or webpki, got '%s'", v);
      return false;
    }
    o->profile = (tg_x509_profile)profile;
    return true;
  }
  case F_HELP:
  case F_COUNT: break;
  }
  return true;
}

/* Verify mode takes no connection flags: only the chain, the trust anchors and the checks. */
static bool check_verify_mode(const bool *seen, char *msg, size_t msglen) {
  static const enum flag_id allowed[] = {F_VERIFY,  F_UNTRUSTED, F_TIME,  F_PURPOSE,
                                         F_PROFILE, F_TRUST,     F_VNAME, F_TIMEOUT};
  for (int i = 0; i < F_COUNT; i++) {
    bool ok = !seen[i];
    for (size_t j = 0; !ok && j < sizeof allowed / sizeof allowed[0]; j++)
      ok = (int)allowed[j] == i;
    if (!ok) {
      snprintf(msg, msglen, "%s is not a --verify option", flags[i].name);
      return false;
    }
  }
  if (!seen[F_TRUST]) {
    snprintf(msg, msglen, "--verify needs --trust PEM");
    return false;
  }
  return true;
}

/* Combinations that no single flag can judge. */
static bool check_combination(const bool *seen, const peer_opts *o, char *msg, size_t msglen) {
  if (seen[F_VERIFY])
    return check_verify_mode(seen, msg, msglen);
  if (seen[F_UNTRUSTED] || seen[F_TIME] || seen[F_PURPOSE]) {
    snprintf(msg, msglen, "--untrusted, --time and --purpose go with --verify");
    return false;
  }
  if (seen[F_PROFILE] && !seen[F_TRUST]) {
    snprintf(msg, msglen, "--profile is the profile of --trust's path validation: give --trust");
    return false;
  }
  int transports = seen[F_FD] + seen[F_CONNECT] + seen[F_LISTEN];
  if (!seen[F_ROLE])
    snprintf(msg, msglen, "--role client|server is required");
  else if (transports != 1)
    snprintf(msg, msglen, "exactly one of --fd, --connect, --listen is required");
  else if (seen[F_CERT] != seen[F_KEY])
    snprintf(msg, msglen, "--cert and --key go together");
  else if (o->no_verify && (o->trust || o->trust_key || o->verify_name))
    snprintf(msg, msglen, "--no-verify excludes --trust, --trust-key and --verify-name");
  else if (o->trust && o->trust_key)
    snprintf(msg, msglen, "--trust and --trust-key exclude each other");
  else if (o->role == PEER_ROLE_SERVER && (o->sess_in || o->sess_out))
    snprintf(msg, msglen, "--sess-in and --sess-out are for a client");
  else if (o->role == PEER_ROLE_CLIENT && o->has_ticket_key)
    snprintf(msg, msglen, "--ticket-key is for a server");
  else if (o->echo && o->send)
    snprintf(msg, msglen, "--echo and --send exclude each other");
  else if (o->send_file && (o->echo || o->send))
    snprintf(msg, msglen, "--send-file excludes --echo and --send");
  else if (o->http && (o->echo || o->send || o->send_file))
    snprintf(msg, msglen, "--http excludes --echo, --send and --send-file");
  else if (o->require_client_cert && o->request_client_cert)
    snprintf(msg, msglen, "--require-client-cert and --request-client-cert exclude each other");
  else if (o->min_version && o->max_version && o->min_version > o->max_version)
    snprintf(msg, msglen, "--min-version is above --max-version");
  else if (o->require_ems && o->ems_optional)
    snprintf(msg, msglen, "--require-ems and --ems-optional exclude each other");
  else
    return true;
  return false;
}

static int find_flag(const char *arg, size_t *name_len) {
  for (int i = 0; i < F_COUNT; i++) {
    size_t len = strlen(flags[i].name);
    if (strncmp(arg, flags[i].name, len) == 0 && (arg[len] == '\0' || arg[len] == '=')) {
      *name_len = len;
      return i;
    }
  }
  return -1;
}

bool peer_parse_args(int argc, char **argv, const char *impl, peer_opts *o, int *exit_code) {
  memset(o, 0, sizeof *o);
  o->fd = -1;
  o->timeout_ms = PEER_DEFAULT_TIMEOUT_MS;
  bool seen[F_COUNT] = {false};
  char msg[256] = "";
  *exit_code = PEER_EXIT_USAGE;
  for (int i = 1; i < argc; i++) {
    size_t name_len;
    int id = find_flag(argv[i], &name_len);
    if (id == F_HELP || strcmp(argv[i], "-h") == 0) {
      peer_usage(stdout, impl);
      *exit_code = 0;
      return false;
    }
    if (id < 0) {
      snprintf(msg, sizeof msg, "unknown option '%s'", argv[i]);
      goto bad;
    }
    if (seen[id] && id != F_UNTRUSTED) { /* --untrusted is a list, one file per flag */
      snprintf(msg, sizeof msg, "%s given twice", flags[id].name);
      goto bad;
    }
    seen[id] = true;
    const char *value = NULL;
    if (argv[i][name_len] == '=')
      value = argv[i] + name_len + 1;
    else if (flags[id].has_value && i + 1 < argc)
      value = argv[++i];
    if (flags[id].has_value && value == NULL) {
      snprintf(msg, sizeof msg, "%s needs a value", flags[id].name);
      goto bad;
    }
    if (!flags[id].has_value && value != NULL) {
      snprintf(msg, sizeof msg, "%s takes no value", flags[id].name);
      goto bad;
    }
    if (!apply_flag((enum flag_id)id, value ? value : "", o, msg, sizeof msg))
      goto bad;
  }
  /* --info asks about the implementation, not a connection: nothing else is required. */
  if (!o->info && !check_combination(seen, o, msg, sizeof msg))
    goto bad;
  return true;
bad:
  fprintf(stderr, "tg-peer-%s: %s (--help for usage)\n", impl, msg);
  return false;
}

/* ---- Transports ------------------------------------------------------------------------------ */

static bool set_nonblocking(int fd) {
  int fl = fcntl(fd, F_GETFL);
  return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

static struct addrinfo *resolve(const peer_opts *o, bool passive, char *msg, size_t msglen) {
  struct addrinfo hints = {0}, *res = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  int rc = getaddrinfo(o->host, o->port, &hints, &res);
  if (rc != 0) {
    snprintf(msg, msglen, "%s:%s: %s", o->host, o->port, gai_strerror(rc));
    return NULL;
  }
  return res;
}

static bool listen_on(peer_conn_source *src, const peer_opts *o, char *msg, size_t msglen) {
  struct addrinfo *res = resolve(o, true, msg, msglen);
  if (res == NULL)
    return false;
  int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
  int one = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 16) != 0) {
    snprintf(msg, msglen, "--listen %s:%s: %s", o->host, o->port, strerror(errno));
    if (fd >= 0)
      close(fd);
    freeaddrinfo(res);
    return false;
  }
  freeaddrinfo(res);
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  char host[NI_MAXHOST], port[NI_MAXSERV];
  if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0 ||
      getnameinfo((struct sockaddr *)&ss, sl, host, sizeof host, port, sizeof port,
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    snprintf(msg, msglen, "--listen: cannot read the bound address");
    close(fd);
    return false;
  }
  /* The test harness and outside tools read the port from here when they asked for port 0. */
  fprintf(stderr, strchr(host, ':') ? "listening on [%s]:%s\n" : "listening on %s:%s\n", host,
          port);
  fflush(stderr);
  src->listen_fd = fd;
  return true;
}

bool peer_transport_open(peer_conn_source *src, const peer_opts *o, char *msg, size_t msglen) {
  src->o = o;
  src->listen_fd = -1;
  src->used = false;
  if (o->transport == PEER_TRANSPORT_LISTEN)
    return listen_on(src, o, msg, msglen);
  return true;
}

static peer_io_status wait_for(int fd, short events, int64_t deadline, char *msg, size_t msglen);

/* A non-blocking connect bounded by the deadline: 0, or the errno that failed it. */
static int connect_one(int fd, const struct addrinfo *ai, int64_t deadline) {
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
    return 0;
  if (errno != EINPROGRESS)
    return errno;
  char ignored[64];
  if (wait_for(fd, POLLOUT, deadline, ignored, sizeof ignored) != PEER_IO_OK)
    return ETIMEDOUT;
  int soerr = 0;
  socklen_t sl = sizeof soerr;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
    return errno;
  return soerr;
}

/* One connect per resolved address, first success wins, all within the timeout. */
static int connect_to(const peer_opts *o, char *msg, size_t msglen) {
  struct addrinfo *res = resolve(o, false, msg, msglen);
  if (res == NULL)
    return -1;
  int64_t deadline = peer_deadline(o->timeout_ms);
  int fd = -1;
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    int e = fd < 0 ? errno : connect_one(fd, ai, deadline);
    if (e == 0)
      break;
    snprintf(msg, msglen, "connect %s:%s: %s", o->host, o->port, strerror(e));
    if (fd >= 0)
      close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

int peer_transport_next(peer_conn_source *src, bool *failed, char *msg, size_t msglen) {
  *failed = false;
  int fd = -1;
  switch (src->o->transport) {
  case PEER_TRANSPORT_FD:
    if (src->used)
      return -1;
    fd = src->o->fd;
    break;
  case PEER_TRANSPORT_CONNECT:
    if (src->used)
      return -1;
    fd = connect_to(src->o, msg, msglen);
    break;
  case PEER_TRANSPORT_LISTEN:
    do
      fd = accept(src->listen_fd, NULL, NULL);
    while (fd < 0 && (errno == EINTR || errno == ECONNABORTED));
    if (fd < 0)
      snprintf(msg, msglen, "accept: %s", strerror(errno));
    break;
  }
  src->used = true;
  /* TCP_NODELAY: a server that sends NewSessionTickets and then echoes would otherwise wait a
   * Nagle / delayed-ACK round (about 40 ms) per connection. The alert races this could open
   * are closed by the driver's linger after a fatal alert (peer_driver.c). */
  int one = 1;
  if (fd >= 0 && src->o->transport != PEER_TRANSPORT_FD)
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (fd >= 0 && !set_nonblocking(fd)) {
    snprintf(msg, msglen, "fd %d: %s", fd, strerror(errno));
    close(fd);
    fd = -1;
  }
  *failed = fd < 0;
  return fd;
}

void peer_transport_close(peer_conn_source *src) {
  if (src->listen_fd >= 0)
    close(src->listen_fd);
  src->listen_fd = -1;
}

/* ---- The poll loop --------------------------------------------------------------------------- */

int64_t peer_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static peer_io_status wait_for(int fd, short events, int64_t deadline, char *msg, size_t msglen) {
  for (;;) {
    int64_t left = deadline - peer_now_ms();
    if (left <= 0) {
      snprintf(msg, msglen, "timed out");
      return PEER_IO_TIMEOUT;
    }
    struct pollfd pfd = {.fd = fd, .events = events};
    int rc = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
    if (rc > 0)
      return PEER_IO_OK; /* errors and hang-ups surface from the read or write that follows */
    if (rc < 0 && errno != EINTR) {
      snprintf(msg, msglen, "poll: %s", strerror(errno));
      return PEER_IO_ERROR;
    }
  }
}

peer_io_status peer_wait_readable(int fd, int64_t deadline, char *msg, size_t msglen) {
  return wait_for(fd, POLLIN, deadline, msg, msglen);
}

peer_io_status peer_read(int fd, uint8_t *buf, size_t cap, size_t *n, int64_t deadline, char *msg,
                         size_t msglen) {
  *n = 0;
  for (;;) {
    peer_io_status st = wait_for(fd, POLLIN, deadline, msg, msglen);
    if (st != PEER_IO_OK)
      return st;
    ssize_t got = read(fd, buf, cap);
    if (got > 0) {
      *n = (size_t)got;
      return PEER_IO_OK;
    }
    if (got == 0)
      return PEER_IO_EOF;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      snprintf(msg, msglen, "read: %s", strerror(errno));
      return PEER_IO_ERROR;
    }
  }
}

peer_io_status peer_write_all(int fd, const uint8_t *p, size_t len, int64_t deadline, char *msg,
                              size_t msglen) {
  while (len > 0) {
    ssize_t put = write(fd, p, len);
    if (put > 0) {
      p += put;
      len -= (size_t)put;
      continue;
    }
    if (put < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      snprintf(msg, msglen, "write: %s", strerror(errno));
      return PEER_IO_ERROR;
    }
    peer_io_status st = wait_for(fd, POLLOUT, deadline, msg, msglen);
    if (st != PEER_IO_OK)
      return st;
  }
  return PEER_IO_OK;
}

/* ---- Files ----------------------------------------------------------------------------------- */

uint8_t *peer_load_file(const char *path, size_t *len, char *msg, size_t msglen) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(msg, msglen, "%s: %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf != NULL) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n < cap - 1)
      break;
    uint8_t *bigger = realloc(buf, cap *= 2);
    if (bigger == NULL)
      free(buf);
    buf = bigger;
  }
  bool bad = buf == NULL || ferror(f);
  fclose(f);
  if (bad) {
    snprintf(msg, msglen, "%s: %s", path, buf ? "read error" : "out of memory");
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* ---- 0-RTT flags ------------------------------------------------------------------------------
 */

int peer_take_early_data(int *argc, char **argv, const char *impl, peer_early_data *ed) {
  *ed = (peer_early_data){.max = -1, .text = NULL};
  int n = 0;
  for (int i = 0; i < *argc; i++) {
    if (i > 0 && i + 1 < *argc && strcmp(argv[i], "--max-early-data") == 0) {
      char *end;
      errno = 0;
      ed->max = strtol(argv[++i], &end, 10);
      if (errno || *end || end == argv[i] || ed->max < 0 || ed->max > UINT32_MAX) {
        fprintf(stderr, "%s: --max-early-data %s: want bytes, 0..4294967295\n", impl, argv[i]);
        return PEER_EXIT_USAGE;
      }
    } else if (i > 0 && i + 1 < *argc && strcmp(argv[i], "--early-data") == 0) {
      ed->text = argv[++i];
    } else {
      argv[n++] = argv[i];
    }
  }
  *argc = n;
  return 0;
}

bool peer_early_data_fits(const peer_early_data *ed, const peer_opts *o, char *msg, size_t msglen) {
  bool server = o->role == PEER_ROLE_SERVER;
  if (ed->max >= 0 && !server) {
    snprintf(msg, msglen, "--max-early-data is a server flag");
    return false;
  }
  if (ed->text && (server || !o->sess_in)) {
    snprintf(msg, msglen,
             "--early-data needs --role client and --sess-in (0-RTT is sent on "
             "resumption)");
    return false;
  }
  return true;
}
