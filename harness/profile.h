/* Target profiles: what a live target (a server or client the user runs, or a command the runner
 * starts per scenario) is configured for, so that a scenario the target is not set up for is a
 * skip with the reason rather than a verdict on a configuration (docs/targets.md; examples in
 * vectors/targets/).
 *
 * A profile is YAML. The runner reads it (profile_load), checks every scenario against it before
 * playing (profile_check), and plays what happens after the handshake its way (echo, HTTP, a
 * target that speaks first, or one that only does handshakes). `tlsgauntlet probe` writes one
 * (profile_write) from a few well-formed handshakes.
 *
 * Memory: a profile owns its strings; profile_free. */
#ifndef TG_HARNESS_PROFILE_H
#define TG_HARNESS_PROFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "scenario.h"
#include "tg/engine.h"

/* What the target does once the handshake is done; how the runner learns it accepted the
 * handshake, and what an `expect: data` step can check. */
typedef enum tp_after {
  TP_ECHO = 0,       /* echoes application data: the probe comes back, data is compared */
  TP_HTTP,           /* an HTTP server (any answer to a GET counts), or an HTTP client */
  TP_SPEAKS_FIRST,   /* sends application data first (a banner; a client's request) */
  TP_HANDSHAKE_ONLY, /* says nothing: the run concludes at the handshake (docs/targets.md) */
  TP_ECHO_LINES,     /* echoes whole lines (gnutls-serv --echo): the runner ends the data it
                      * sends after the handshake with a newline; data is compared */
} tp_after;

#define TP_DEFAULT_QUIET_MS 1000 /* target_profile.quiet_ms when a profile does not say */

typedef enum tp_client_auth { TP_AUTH_NONE = 0, TP_AUTH_REQUEST, TP_AUTH_REQUIRE } tp_client_auth;

/* A certificate setting: a name of vectors/scenarios/certs (NAME.pem, NAME.key), or, for a
 * command target, the scenario's own (the command takes the {cert} / {ca} / {name} placeholder).
 * NULL name and !per_scenario: not known. */
typedef struct tp_cert {
  char *name;
  bool per_scenario;
} tp_cert;

typedef struct target_profile {
  char *file; /* where it was loaded from, for messages */
  char *name; /* `name:`: the implementation's name in reports and baselines */
  sc_role role;
  char *target;  /* `target: tcp://HOST:PORT`, or NULL */
  char *command; /* `command:` (see run --target-cmd), or NULL */
  /* `library:`: the TLS library the target runs on (gnutls, openssl, ...): its baseline
   * (vectors/baselines/LIBRARY.yaml) applies after the target's own. NULL: none. */
  char *library;
  bool tls12, tls13;
  /* What it accepts; n 0 = not known (scenarios that restrict them skip). */
  sc_u16_list cipher_suites, groups, sigalgs;
  char *alpn;             /* the protocols it is configured with, comma-separated; NULL: none */
  bool alpn_per_scenario; /* the command takes {?alpn:...} */
  bool alpn_single;       /* alpn_single: true: {alpn} must be one protocol (a tool's flag) */
  /* A server target. */
  tp_cert certificate; /* the chain it presents */
  char *trust_anchor;  /* PEM file or certs name its chain verifies against (default root) */
  char *server_name;   /* the name its certificate is for (default server.test) */
  tp_client_auth client_auth;
  bool client_auth_per_scenario; /* the command takes {?require_client_cert:...} */
  tp_cert client_ca;             /* the CA it trusts for client certificates */
  /* A client target. */
  tp_cert trust;            /* the CA it trusts for the server's chain */
  bool verifies;            /* it checks the server's chain and name (default true) */
  bool verify_per_scenario; /* the command takes {?no_verify:...} or {!no_verify:...} */
  tp_cert verify_name;      /* the name it checks (name: the host name) */
  char *sni;                /* the server_name it sends; NULL: none */
  bool sni_per_scenario;    /* the command takes {sni} */
  tp_cert client_cert;      /* the chain it presents when asked; NULL name: none */
  bool post_handshake_auth; /* it offers post-handshake client authentication (RFC 8446 4.2.6) */
  /* Versions the command restricts per scenario: {?tls12_only:...} for a scenario whose target
   * speaks TLS 1.2 only, {?tls13_only:...} for TLS 1.3 only. */
  bool tls12_only_per_scenario, tls13_only_per_scenario;
  tp_after after;
  bool require_ems; /* TLS 1.2: refuses a peer without extended_master_secret */
  bool key_update;  /* sends a KeyUpdate after the handshake */
  int timeout_ms;   /* per scenario; 0: the scenario's own */
  int quiet_ms;     /* handshake_only: no alert within this long after the handshake = accepted
                     * (default 1000) */
} target_profile;

/* Loads path into p; false with "FILE:LINE:COLUMN: message" in err (p then holds nothing to
 * free). */
bool profile_load(target_profile *p, const char *path, char *err, size_t cap);
/* The same from a text; name stands for the file in messages. */
bool profile_load_text(target_profile *p, const char *name, const char *text, size_t len, char *err,
                       size_t cap);
void profile_free(target_profile *p);

/* The profile of a live or command target run without --profile: what the suite assumes of a
 * target (docs/targets.md "What the suite assumes"): both versions; lists not known (scenarios
 * restricting them skip); a server presenting certs/server.pem for server.test, asking for no
 * client certificate, trusting certs/root.pem; a client trusting certs/root.pem, checking and
 * sending server.test, presenting no certificate; echoing. command (or NULL) as
 * profile_set_command. */
void profile_default(target_profile *p, sc_role role, const char *name, const char *command);

/* Sets the command (a copy; NULL: none) and what it takes per scenario: {cert}, {ca}, {name},
 * and the conditional pieces {?require_client_cert:...}, {?alpn:...}, {?tls12_only:...},
 * {?tls13_only:...} (see runner_cmd.c). */
void profile_set_command(target_profile *p, const char *cmd);

/* Whether scenario s can run against the target as p describes it, ep being the scripted
 * endpoint's configuration for s (what it offers): true, or false with the reason in why
 * ("needs a server that requires client certificates (the profile: requests them)"). */
bool profile_check(const target_profile *p, const sc_scenario *s, const tg_config *ep, char *why,
                   size_t cap);

/* Where the script's closing application-data exchange begins (the sends and `expect: data`
 * steps at its end; n_steps when there are none): a handshake-only target concludes there. */
size_t profile_confirmation_tail(const sc_scenario *s);

/* Writes p as profile YAML (comments on what probing could not know). */
void profile_write(FILE *f, const target_profile *p);

/* "echo", "http", "speaks_first", "handshake_only", "echo_lines". */
const char *profile_after_name(tp_after a);

#endif
