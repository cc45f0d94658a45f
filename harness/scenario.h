/* Scenarios: what the runner plays against an implementation, loaded from YAML
 * (vectors/scenarios/, the vocabulary in docs/scenarios.md).
 *
 * A scenario says which role the target plays, the options the target is started with, the
 * options of the scripted endpoint (the engine, with deviations), and a script of send and expect
 * steps. The loader resolves everything the runner needs: names become code points, `set:` and
 * `extensions:` edits become deviation specs of tg/deviations.h (checked against the table at
 * load time), `matrix:` is expanded and `use:` splices shared steps. A scenario that loads is one
 * the runner can play; every problem in a file is reported as FILE:LINE:COLUMN.
 *
 * Memory: everything a suite holds is owned by it and freed by sc_suite_free. */
#ifndef TG_HARNESS_SCENARIO_H
#define TG_HARNESS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_MAX_DEVIATIONS 64 /* = TG_DEV_MAX: deviation specs per scenario (all steps together) */
#define SC_MAX_LIST 32       /* items of a cipher/group/sigalg/alert list */
#define SC_MAX_TAGS 8
#define SC_DEFAULT_TIMEOUT_MS 5000

typedef enum sc_role { SC_TARGET_SERVER = 0, SC_TARGET_CLIENT = 1 } sc_role;

/* A list of 16-bit code points (cipher suites, groups, signature schemes), in order. */
typedef struct sc_u16_list {
  size_t n; /* 0: not given (the default applies) */
  uint16_t v[SC_MAX_LIST];
} sc_u16_list;

/* Bytes owned by the suite. */
typedef struct sc_bytes {
  uint8_t *p;
  size_t len;
} sc_bytes;

/* The options the target is started with (tg-peer-NAME flags, peers/README.md). NULL/0/false:
 * the flag is not passed. Certificates are names of vectors/scenarios/certs/NAME.pem (chain,
 * leaf first) with NAME.key; the runner resolves them. */
typedef struct sc_target_opts {
  uint16_t min_version, max_version; /* 0x0303 / 0x0304, 0: not given */
  sc_u16_list ciphers, groups, sigalgs;
  const char *cert;        /* default: "server" for a server target, none for a client */
  const char *trust;       /* default: "root" */
  const char *verify_name; /* default for a client target: "server.test" */
  bool no_verify;
  bool require_client_cert;
  bool request_client_cert; /* --request-client-cert: asks, goes on without one */
  const char *alpn;         /* comma-separated, as the peer flag */
  const char *sni;          /* default for a client target: "server.test" */
  bool key_update;          /* --key-update */
  bool require_ems;  /* --require-ems: a TLS 1.2 peer without extended_master_secret is refused */
  bool ems_optional; /* --ems-optional: such a peer is served (the libraries' default) */
  /* --profile NAME: the X.509 profile the target validates the scripted side's chain under
   * (tg_x509_profile; 0, rfc5280, is every adapter's default and is not passed). */
  int x509_profile;
  /* cert and sni hold the role's default (the scenario did not name them): any live target's
   * own certificate, or the server_name it sends, will do (profile.c). */
  bool cert_default, sni_default;
} sc_target_opts;

/* The scripted endpoint's options (a tg_config). */
typedef struct sc_endpoint {
  uint16_t min_version, max_version; /* 0: the engine's default (TLS 1.3) */
  sc_u16_list cipher_suites, groups, key_shares, sigalgs;
  const char *cert;        /* server default "server"; client default none; "none": no chain */
  const char *server_name; /* client: SNI, default "server.test"; "" sends none */
  sc_bytes alpn;           /* ProtocolNameList body (wire form), empty: none */
  bool middlebox_compat;
  bool ems_optional;        /* TLS 1.2: go on without extended_master_secret (RFC 7627 5.2, 5.3) */
  bool request_client_cert; /* server endpoint: send a CertificateRequest */
  sc_bytes hrr_cookie;
  /* The scripted side's randomness drawn from this seed (SHA-256 in counter mode), so that its
   * key shares and randoms are the same on every run; empty: the kernel's RNG. */
  sc_bytes rng_seed;
  bool verify; /* verify the target's certificate against certs/root.pem (default false) */
  size_t record_padding;
  /* RFC 8449 record_size_limit the endpoint advertises (64..16385; 0: the engine's default,
   * 2^14+1) and holds the target's records to (tg_config.record_size_limit). */
  unsigned record_size_limit;
} sc_endpoint;

typedef enum sc_step_kind { SC_STEP_SEND = 0, SC_STEP_EXPECT = 1 } sc_step_kind;

typedef enum sc_send_kind {
  SC_SEND_MESSAGE = 0, /* a handshake message: client_hello starts a client; the others only
                        * name the message their deviations apply to */
  SC_SEND_APPLICATION_DATA,
  SC_SEND_ALERT,
  SC_SEND_CHANGE_CIPHER_SPEC,
  SC_SEND_KEY_UPDATE,
  SC_SEND_CLOSE_NOTIFY,
  SC_SEND_RECORD,   /* a record of any type, protected or not */
  SC_SEND_RAW,      /* bytes on the transport, no framing */
  SC_SEND_SHUTDOWN, /* close the transport's write side (a truncation) */
} sc_send_kind;

typedef enum sc_expect_kind {
  SC_EXPECT_ALERT = 0,   /* a fatal alert (any, or one of alerts[]); with alert_level 1, a
                          * warning alert that leaves the connection up */
  SC_EXPECT_CLOSE,       /* the target closes: close_notify, a fatal alert, or end of stream */
  SC_EXPECT_ESTABLISHED, /* the handshake completes on both sides */
  SC_EXPECT_MESSAGE,     /* the scripted endpoint receives handshake message msg_type */
  SC_EXPECT_DATA,        /* application data equal to data arrives (the target echoes) */
} sc_expect_kind;

/* msg_type of SC_EXPECT_MESSAGE for a HelloRetryRequest (a ServerHello on the wire). */
#define SC_MSG_HELLO_RETRY_REQUEST 256

typedef struct sc_step {
  sc_step_kind kind;
  int line, column; /* where the step starts, for messages */
  /* SC_STEP_SEND */
  sc_send_kind send;
  int msg_type;            /* SC_SEND_MESSAGE: the HandshakeType */
  sc_bytes data;           /* APPLICATION_DATA, RECORD, RAW, CHANGE_CIPHER_SPEC (default 01) */
  uint8_t record_type;     /* RECORD: the ContentType */
  uint16_t record_version; /* RECORD: 0 = 0x0303 */
  bool protect;            /* RECORD: under the current write keys (default true when any) */
  uint8_t alert_level;     /* ALERT (send and expect): 1 warning, 2 fatal */
  uint8_t alert;           /* ALERT: the AlertDescription */
  bool request_update;     /* KEY_UPDATE */
  unsigned repeat;         /* ALERT, KEY_UPDATE, RECORD, APPLICATION_DATA: times (>= 1) */
  /* SC_STEP_EXPECT */
  sc_expect_kind expect;
  int expect_msg;              /* MESSAGE: a HandshakeType or SC_MSG_HELLO_RETRY_REQUEST */
  /* MESSAGE client_hello with `after: hello_retry_request`: the target client's second
   * ClientHello, and the checks it must pass (bit i: check i of harness/hello_check.h). */
  bool after_hrr;
  unsigned hello_checks;
  uint8_t alerts[SC_MAX_LIST]; /* ALERT: the descriptions the RFC allows; n_alerts 0 = any.
                                * ESTABLISHED, MESSAGE, DATA: `or_alert:`, alerts that end the
                                * script as a pass instead (the RFC allows either) */
  size_t n_alerts;
  /* ALERT with alert_level 1: `or_alert:`, the fatal alerts that end the script as a pass
   * instead of the warning (alerts[] holds the warnings). */
  uint8_t or_alerts[SC_MAX_LIST];
  size_t n_or_alerts;
  sc_bytes expect_data; /* DATA */
} sc_step;

/* A requirement id a scenario cites (`requires:`), where the file gives it. */
typedef struct sc_requirement_ref {
  char *id; /* "rfc8446-4.1.2-compression-one-null" (vectors/requirements, docs/requirements.md) */
  int line, column;
} sc_requirement_ref;

/* `resume:` (docs/scenarios.md "Resumption"): a first, plain connection to the target yields a
 * session (a TLS 1.3 NewSessionTicket, a TLS 1.2 session id or ticket), and the script plays a
 * second connection that offers it (a server target) or is offered it (a client target). The
 * script's deviations apply to the second connection only. */
typedef enum sc_resume_outcome {
  SC_RESUME_ANY = 0, /* not checked */
  SC_RESUME_RESUMED, /* the second handshake must resume the session */
  SC_RESUME_FULL,    /* it must be a full handshake */
} sc_resume_outcome;

typedef struct sc_resume {
  bool on;
  sc_resume_outcome outcome; /* `expect: resumed|full`, checked once the script has passed */
  /* A server target: what the scripted client changes in the session it offers back. */
  bool bad_binder;       /* `binder: corrupt`: the binder's last byte flipped (the PSK is right) */
  bool bad_ticket;       /* `ticket: corrupt`: an identity the server cannot open */
  bool bad_age;          /* `ticket_age: garbage`: obfuscated_ticket_age is noise */
  uint16_t ticket_suite; /* `ticket_suite: NAME`: offered as if issued under it (0: as issued) */
  /* A client target: the scripted server cannot open its ticket in connection 2 (`refuse`). */
  bool refuse;
} sc_resume;

typedef struct sc_scenario {
  char *id;                /* "client-hello/cipher-suites-empty", with "[k=v,...]" after a matrix */
  char *rfc;               /* "RFC 8446 4.1.2" */
  char *title;             /* one line, may be NULL */
  char *file;              /* where it was loaded from */
  int line, column;        /* of the scenario's mapping */
  char *tags[SC_MAX_TAGS]; /* the id's first path component is always tags[0] */
  size_t n_tags;
  /* The requirements the scenario checks (`requires:`), in file order; their syntax is checked
   * here, their existence against the catalogue by whoever loads one. */
  sc_requirement_ref *requires;
  size_t n_requires;
  sc_role target;
  sc_target_opts target_opts;
  sc_endpoint endpoint;
  /* Deviation specs ("skip:certificate", "set_field:client_hello.cipher_suites:", ...) for
   * tg_deviation_set_add, from the endpoint's `deviations:` and the send steps' edits, in file
   * order. Each was already installed once by the loader, so it parses. */
  char *deviations[SC_MAX_DEVIATIONS];
  size_t n_deviations;
  sc_step *steps;
  size_t n_steps;
  sc_resume resume;
  int timeout_ms; /* SC_DEFAULT_TIMEOUT_MS unless `timeout:` (seconds) says otherwise */
  /* `sensitivity: none`: why the scenario cannot fail against the permissive target of
   * `tlsgauntlet selftest` (NULL: it must be able to). */
  char *insensitive;
} sc_scenario;

typedef struct sc_suite {
  sc_scenario *v;
  size_t n, cap;
} sc_suite;

/* A load error: FILE:LINE:COLUMN: MESSAGE in text. */
typedef struct sc_error {
  char text[512];
} sc_error;

void sc_suite_init(sc_suite *s);
void sc_suite_free(sc_suite *s);

/* Loads the scenarios of one YAML file into s (appended). false with err on the first error. */
bool sc_load_file(sc_suite *s, const char *path, sc_error *err);
/* Loads the scenarios of a YAML text (tests and fuzz_scenario); name stands for the file in
 * messages, and `include:` resolves relative to base_dir (NULL: includes are an error). */
bool sc_load_text(sc_suite *s, const char *name, const char *base_dir, const uint8_t *text,
                  size_t len, sc_error *err);
/* Loads each argument: a file, a directory (every *.yaml below it, sorted, files starting with
 * '_' skipped: they hold shared definitions), or a suite name resolved as
 * scenarios_dir/NAME (directory or NAME.yaml). No arguments: every suite of scenarios_dir.
 * Duplicate ids are an error naming both places. */
bool sc_load_paths(sc_suite *s, const char *scenarios_dir, char **args, size_t n_args,
                   sc_error *err);

/* The scripted endpoint's certificate and trust files live here: vectors/scenarios/certs. */
#define SC_CERTS_SUBDIR "certs"

#endif
