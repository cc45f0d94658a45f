/* What every peer adapter (tg-peer-NAME) shares: the command line of the peer protocol parsed
 * into one struct, the three transports, a deadline-bounded poll helper, the normalised error
 * classes and the JSON outcome line. peers/README.md is the protocol; this is its code.
 *
 * An adapter's main is: peer_parse_args, check the options its library supports (exit 3 for the
 * rest), then for each connection from peer_transport_next drive the library over the fd with
 * peer_wait/peer_write_all and print one peer_outcome. Nothing here knows about any TLS library;
 * IANA names become code points through tg/names.h only. */
#ifndef TG_PEER_COMMON_H
#define TG_PEER_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tg/x509_verify.h" /* tg_x509_profile: the profiles of --verify --profile */
#include "x509_check.h"

/* Exit statuses of the peer protocol. */
enum {
  PEER_EXIT_ESTABLISHED = 0,
  PEER_EXIT_FAILED = 1,      /* failed as a TLS peer (alert, timeout, transport) */
  PEER_EXIT_USAGE = 2,       /* harness error: bad flags, unreadable files */
  PEER_EXIT_UNSUPPORTED = 3, /* an option this implementation cannot express: the runner skips */
};

#define PEER_DEFAULT_TIMEOUT_MS 10000
#define PEER_MAX_LIST 64 /* items in one --ciphers/--groups/--sigalgs list */
#define PEER_TICKET_KEY_LEN 16
#define PEER_MAX_UNTRUSTED                                                                         \
  16 /* --untrusted files in verify mode */ /* --ticket-key: an AES-128 key, 32 hex digits */

typedef enum peer_role { PEER_ROLE_CLIENT = 0, PEER_ROLE_SERVER = 1 } peer_role;

typedef enum peer_transport {
  PEER_TRANSPORT_FD = 0,  /* --fd N: an inherited, already connected socket */
  PEER_TRANSPORT_CONNECT, /* --connect HOST:PORT: one outgoing TCP connection */
  PEER_TRANSPORT_LISTEN,  /* --listen HOST:PORT: accept connections one after another */
} peer_transport;

/* A list of 16-bit code points from a comma-separated list of IANA names, kept both as values
 * and as wire bytes (big-endian, as tg_config and TLS vectors want them). */
typedef struct peer_u16_list {
  size_t n; /* 0: the option was not given */
  uint16_t v[PEER_MAX_LIST];
  uint8_t wire[2 * PEER_MAX_LIST];
} peer_u16_list;

typedef struct peer_opts {
  peer_role role;
  peer_transport transport;
  int fd;         /* --fd */
  char host[256]; /* --connect / --listen */
  char port[16];
  /* --min-version / --max-version as ProtocolVersion (0x0303, 0x0304), 0 when not given. */
  uint16_t min_version, max_version;
  peer_u16_list ciphers, groups, sigalgs;
  const char *cert, *key, *trust; /* PEM file paths, or NULL */
  const char *trust_key;          /* --trust-key PEM: pin the leaf's public key, or NULL */
  const char *verify_name;        /* --verify-name, or NULL */
  bool no_verify;
  bool require_client_cert;
  /* --request-client-cert: a server asks for a certificate but goes on without one; one that is
   * sent is verified as with --require-client-cert. */
  bool request_client_cert;
  /* --alpn as a ProtocolNameList body (RFC 7301 §3.1: each name with its 1-byte length). */
  uint8_t alpn[512];
  size_t alpn_len;
  const char *sni;
  bool echo;
  /* --http: each request read up to the end of its headers ("\r\n\r\n") gets one HTTP/1.1 200
   * response with a small body (peer_driver.c). */
  bool http;
  const char *send;      /* --send TEXT, or NULL */
  const char *send_file; /* --send-file PATH, or NULL: like --send, with the file's bytes */
  bool key_update;       /* --key-update: a KeyUpdate (update_requested) after the first data */
  bool require_ems;      /* --require-ems: TLS 1.2 without extended_master_secret is refused */
  bool ems_optional;     /* --ems-optional: TLS 1.2 without extended_master_secret goes on */
  int timeout_ms;
  /* Resumption: --sess-in / --sess-out (client) name ticket files, or NULL; --ticket-key
   * (server) is the key that seals tickets, has_ticket_key false when not given. */
  const char *sess_in, *sess_out;
  bool has_ticket_key;
  uint8_t ticket_key[PEER_TICKET_KEY_LEN];
  /* --info: print what the implementation supports (peer_info_print) and exit 0. No other
   * flag is required with it; the adapter answers before it looks at any other. */
  bool info;
  /* Verify mode (--verify LEAF): no connection; the library's own X.509 path validation of LEAF
   * (PEM, more certificates after the first are intermediates; or one DER) against --trust,
   * with the intermediates of --untrusted (repeatable), --verify-name, --time and --purpose.
   * The adapter prints one JSON line (peers/README.md) and exits 0 valid, 1 invalid, 2 bad
   * input. */
  const char *verify_leaf; /* --verify, or NULL */
  const char *untrusted[PEER_MAX_UNTRUSTED];
  size_t n_untrusted;
  bool has_time;       /* --time given; else the current time */
  int64_t verify_time; /* --time UNIX_SECONDS */
  bool purpose_client; /* --purpose client (default server) */
  /* --profile rfc5280|webpki (default rfc5280), the names of tlsgauntlet verify --profile: the
   * library's own closest setting, its strict one under webpki; an adapter whose library has
   * none exits 3 (peers/README.md). */
  tg_x509_profile profile;
} peer_opts;

/* Parses argv into o. Returns true when the adapter should run; otherwise *exit_code is what
 * main returns: 0 after --help (usage printed on stdout), PEER_EXIT_USAGE after a bad flag (a
 * message naming it printed on stderr). implementation names the program in messages. */
bool peer_parse_args(int argc, char **argv, const char *implementation, peer_opts *o,
                     int *exit_code);
void peer_usage(FILE *f, const char *implementation);

/* "1.3", "TLSv1.3", "tls1.3" (and 1.0 to 1.2 likewise) → 0x0304 ...; false when unknown. */
bool peer_parse_version(const char *s, uint16_t *version);
/* "TLSv1.3" for 0x0304, NULL for values the JSON line has no name for. */
const char *peer_version_name(uint16_t version);

/* ---- Transports ------------------------------------------------------------------------------ */

typedef struct peer_conn_source {
  const peer_opts *o;
  int listen_fd; /* -1 unless --listen */
  bool used;     /* --fd and --connect give one connection only */
} peer_conn_source;

/* Prepares the transport: for --listen binds and listens, then prints "listening on HOST:PORT"
 * (the bound port, so HOST:0 works) on stderr. Returns false with msg filled on failure. */
bool peer_transport_open(peer_conn_source *src, const peer_opts *o, char *msg, size_t msglen);
/* The next connection's fd (non-blocking), or -1 when there is none: --fd and --connect give
 * one, --listen accepts forever. A failed connect returns -1 with msg filled and *failed set
 * (a TLS-peer failure of class transport, not a harness error). */
int peer_transport_next(peer_conn_source *src, bool *failed, char *msg, size_t msglen);
void peer_transport_close(peer_conn_source *src);

/* ---- The poll loop --------------------------------------------------------------------------- */

/* Milliseconds on the monotonic clock, and a deadline timeout_ms from now. */
int64_t peer_now_ms(void);
static inline int64_t peer_deadline(int timeout_ms) { return peer_now_ms() + timeout_ms; }

typedef enum peer_io_status {
  PEER_IO_OK = 0,
  PEER_IO_EOF = 1,     /* the peer closed the transport (read returned 0) */
  PEER_IO_TIMEOUT = 2, /* the deadline passed */
  PEER_IO_ERROR = 3,   /* a socket error; msg says which */
} peer_io_status;

/* Waits for fd to become readable, or the deadline. */
peer_io_status peer_wait_readable(int fd, int64_t deadline, char *msg, size_t msglen);
/* Reads what is available (after waiting for it): *n bytes into buf, or EOF/TIMEOUT/ERROR. */
peer_io_status peer_read(int fd, uint8_t *buf, size_t cap, size_t *n, int64_t deadline, char *msg,
                         size_t msglen);
/* Writes all of p, waiting for the socket to drain as needed, until the deadline. */
peer_io_status peer_write_all(int fd, const uint8_t *p, size_t len, int64_t deadline, char *msg,
                              size_t msglen);

/* ---- Outcome --------------------------------------------------------------------------------- */

/* The normalised error classes (peers/README.md defines each). */
#define PEER_EC_TIMEOUT "timeout"
#define PEER_EC_TRANSPORT "transport"
#define PEER_EC_ALERT_RECEIVED "alert_received"
#define PEER_EC_HANDSHAKE_FAILURE "handshake_failure"
#define PEER_EC_CERTIFICATE "certificate"
#define PEER_EC_PROTOCOL "protocol"
#define PEER_EC_VERSION "version"
#define PEER_EC_UNSUPPORTED "unsupported"
#define PEER_EC_INTERNAL "internal"

/* The class of a failure in which this side sent the fatal alert alert (an AlertDescription). */
const char *peer_error_class_for_alert(int alert);

typedef struct peer_outcome {
  const char *implementation; /* "builtin" */
  const char *version;        /* the library's version */
  peer_role role;
  bool established;
  /* NULL prints as null. */
  const char *protocol; /* "TLSv1.3" */
  const char *cipher;   /* IANA name */
  const char *group;    /* IANA name */
  const char *alpn;     /* the selected protocol; not NUL-terminated: alpn_len bytes */
  size_t alpn_len;
  bool resumed;       /* the handshake resumed a session (a PSK was accepted) */
  int alert_sent;     /* AlertDescription, or -1 */
  int alert_received; /* AlertDescription, or -1 */
  const char *error_class;
  const char *error;
  /* Application data: counts, and what was received (kept up to PEER_RECEIVED_MAX bytes). */
  uint64_t bytes_sent, bytes_received;
  const uint8_t *received;
  size_t received_len;
} peer_outcome;

#define PEER_RECEIVED_MAX 65536

void peer_outcome_init(peer_outcome *out, const char *implementation, const char *version,
                       peer_role role);
/* One JSON object on one line, keys in the order of peers/README.md, flushed. */
void peer_outcome_print(FILE *f, const peer_outcome *out);

/* ---- --info --------------------------------------------------------------------------------- */

#define PEER_INFO_MAX 256 /* values in one list of the --info line */

typedef struct peer_info_list {
  size_t n;
  uint16_t v[PEER_INFO_MAX];
} peer_info_list;

/* What one adapter can do, each list filled by probing the adapter's own configuration path
 * (peer_info_probe_flags), so --info says what the flags would accept, not what a table claims. */
typedef struct peer_info {
  const char *implementation; /* "gnutls" */
  const char *version;        /* the library's own version string */
  peer_info_list versions;    /* ProtocolVersion values */
  peer_info_list cipher_suites, groups, signature_schemes;
  bool alpn, sni, client_auth, resumption, key_update, ticket_key, require_ems, ems_optional;
} peer_info;

/* Which flag one probe tries. */
typedef enum peer_probe_kind {
  PEER_PROBE_VERSION, /* --min-version V --max-version V */
  PEER_PROBE_SUITE,   /* --ciphers V */
  PEER_PROBE_GROUP,   /* --groups V */
  PEER_PROBE_SIGALG,  /* --sigalgs V */
} peer_probe_kind;

/* Answers whether the adapter's own configuration of the flags takes o: options that say that
 * one thing only (kind and value say which; a list holds the value and its wire bytes). */
typedef bool (*peer_info_takes)(const peer_opts *o, peer_probe_kind kind, uint16_t value);

/* Fills in's versions (TLS 1.0 to 1.3), cipher_suites, groups and signature_schemes, in code
 * point order, with every value takes accepts among those tg/names.h names (a value without an
 * IANA name could not be asked for on the command line anyway). */
void peer_info_probe_flags(peer_info *in, peer_info_takes takes);
/* The one JSON line of --info (peers/README.md), flushed. */
void peer_info_print(FILE *f, const peer_info *info);

/* ---- --verify ------------------------------------------------------------------------------- */

/* The one JSON line of --verify (peers/README.md): verdict "valid" or "invalid", reason in the
 * built-in validator's names (NULL for valid), error the library's own words (or NULL), flags
 * how the library was asked to verify, in its API's words (each adapter builds it in one place;
 * NULL prints as null). */
void peer_verify_print(const char *implementation, const char *version, const char *verdict,
                       const char *reason, const char *error, const char *flags);
/* What --verify asks of a chain (x509_check.h): --verify-name, --purpose, --time (else now),
 * --profile. */
x509_check_in peer_check_in(const peer_opts *o);

/* ---- 0-RTT flags (the adapters that have them: tg-peer-builtin, tg-peer-openssl) ----------- */

/* --max-early-data N (a server's max_early_data_size; -1 when absent) and --early-data TEXT (a
 * client's 0-RTT data on its --sess-in resumption; NULL when absent). */
typedef struct peer_early_data {
  long max;
  const char *text;
} peer_early_data;

/* Takes the two flags out of argv (the rest, compacted, stays for peer_main; *argc shrinks).
 * Returns 0, or PEER_EXIT_USAGE after a message on stderr naming impl ("tg-peer-NAME"). */
int peer_take_early_data(int *argc, char **argv, const char *impl, peer_early_data *ed);
/* After peer_main parsed the rest: false, with msg, when the flags do not fit the role (a server
 * flag, a client flag that needs --sess-in). */
bool peer_early_data_fits(const peer_early_data *ed, const peer_opts *o, char *msg, size_t msglen);

/* ---- Files ----------------------------------------------------------------------------------- */

/* The whole file, malloc'ed and NUL-terminated (not counted in *len); NULL with msg on failure. */
uint8_t *peer_load_file(const char *path, size_t *len, char *msg, size_t msglen);

#endif
