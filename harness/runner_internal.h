/* What the parts of the runner share: the scripted endpoint's configuration (runner_endpoint.c),
 * the target's process (runner_peer.c), and the state of one run (runner.c). */
#ifndef TG_HARNESS_RUNNER_INTERNAL_H
#define TG_HARNESS_RUNNER_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture.h"
#include "runner.h"
#include "scenario.h"
#include "tg/deviations.h"
#include "tg/engine.h"
#include "tg/x509_verify.h"

/* ---- A growing text buffer (transcripts) ---------------------------------------------------- */

typedef struct strbuf {
  char *p;
  size_t len, cap;
} strbuf;

void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *b, const char *fmt, va_list ap);
void sb_append(strbuf *b, const void *p, size_t n); /* bytes, NULs included */
void sb_free(strbuf *b);

/* ---- The scripted endpoint ------------------------------------------------------------------ */

#define EP_MAX_CERTS 8

typedef struct endpoint {
  tg_config cfg;
  uint8_t suites[2 * SC_MAX_LIST], groups[2 * SC_MAX_LIST], shares[2 * SC_MAX_LIST],
      sigalgs[2 * SC_MAX_LIST];
  uint8_t *chain_text; /* the PEM file */
  tg_writer chain_der;
  tg_bytes certs[EP_MAX_CERTS];
  tg_cert_chain chain;
  tg_private_key *key;
  tg_x509_store anchors;
  tg_validator validator;
  bool has_anchors;
  /* endpoint.rng_seed: SHA-256(seed || counter) blocks, handed out in order. */
  struct {
    tg_bytes seed;
    uint64_t counter;
    uint8_t block[32];
    size_t used;
  } seeded;
} endpoint;

/* Fills e->cfg from the scenario (without hooks: the caller attaches its deviation set). A live
 * target's profile (or NULL) says which anchor its chain verifies against and its name. false
 * with msg filled when a certificate or key cannot be loaded. */
bool endpoint_init(endpoint *e, const sc_scenario *s, const run_env *env,
                   const target_profile *profile, char *msg, size_t msglen);
void endpoint_free(endpoint *e);

/* ---- The target's process ------------------------------------------------------------------- */

typedef struct peer_proc {
  pid_t pid; /* 0: none */
  int in_fd; /* a command target's stdin (held open until peer_finish), or -1 */
  int out_fd, err_fd;
  strbuf out, err; /* what it printed (stderr: at most the last 32 KiB are kept) */
  bool exited;
  int status;  /* waitpid's */
  bool killed; /* by the runner, at the deadline */
} peer_proc;

/* Starts t->peer_path for scenario s with the socket `sock` as its fd 3. false with msg filled
 * when it cannot (the run is then a failure of the harness, reported as fail). */
bool peer_start(peer_proc *p, const sc_scenario *s, const run_target *t, const run_env *env,
                int sock, char *msg, size_t msglen);
/* Starts a command target: `sh -c cmdline` in its own process group, its stdin a pipe held open
 * until peer_finish (openssl s_server ends at the end of its input), stdout and stderr
 * collected. false with msg filled when it cannot. */
bool cmd_start(peer_proc *p, const char *cmdline, char *msg, size_t msglen);
/* A command target (run_target.cmd) for scenario s, started and connected: the endpoint's
 * socket, or -1 with msg filled. Its command line goes to log. */
int cmd_open(peer_proc *p, const run_target *t, const sc_scenario *s, const run_env *env,
             int64_t deadline, strbuf *log, char *msg, size_t cap);
/* Whether it has exited (reaped if so; non-blocking). */
bool peer_exited(peer_proc *p);
/* Reads what is available on its stdout and stderr (non-blocking). */
void peer_drain(peer_proc *p);
/* Waits up to grace_ms for it to exit, then kills its process group; always reaps it. */
void peer_finish(peer_proc *p, int grace_ms);
/* Its command line, for the transcript. */
void peer_describe_args(strbuf *b, const sc_scenario *s, const run_target *t, const run_env *env);

/* What the peer's JSON line and exit say. */
typedef struct peer_report {
  bool have_json;
  bool established;
  int alert_sent, alert_received; /* -1: none */
  char error[200];
  bool crashed;     /* a signal (not ours) or a sanitizer report */
  bool unsupported; /* exit 3 */
  bool usage;       /* exit 2: the runner passed something the adapter refused */
  char why[200];    /* for crashed/unsupported/usage */
  char library[32], library_version[64]; /* the outcome line's implementation and version */
} peer_report;

void peer_report_read(const peer_proc *p, peer_report *r);

int64_t runner_now_ms(void);

/* A live target's transport (runner.c): one TCP connection to a server target, or the next
 * connection a client target makes to the runner's listening socket. -1 with msg filled. */
int runner_connect_tcp(const run_target *t, char *msg, size_t msglen);
int runner_accept_client(const run_target *t, int timeout_ms, char *msg, size_t msglen);
/* The endpoint's socket to the target: a live target's connection, or a socketpair with the
 * adapter started on its other end (p); a client target has timeout_ms to connect. -1 with msg
 * on failure. */
int runner_open_peer(peer_proc *p, const sc_scenario *s, const run_target *t, const run_env *env,
                     int timeout_ms, strbuf *log, char *msg, size_t cap);

/* ---- Resumption (runner_resume.c; docs/scenarios.md "Resumption") ----------------------------
 * A scenario with `resume:` plays a first, plain connection that must yield a session, then the
 * script on a second connection that resumes it. */

typedef enum resume_status {
  RESUME_READY = 0,  /* the session is there: play the script */
  RESUME_NOT_PLAYED, /* the target cannot take part (a command target): a skip, why says so */
  RESUME_NO_SESSION, /* the first connection failed or yielded no session: inconclusive, or what
                      * the adapter's report says (crash, exit 3) */
} resume_status;

typedef struct resume_state {
  uint8_t key[16];        /* the ticket key of the run (the target's or the scripted server's) */
  char key_hex[33];       /* its --ticket-key */
  tg_ticket ticket;       /* a server target's session, as the scripted client received it */
  tg_ticket offer;        /* what the scripted client offers: the ticket with the edits */
  char sess_path[64];     /* a client target's --sess-out/--sess-in file ("" when none) */
  const char *args[3];    /* the adapter's session flags for the connection being started */
  tg_session_cache cache; /* the scripted server's TLS 1.2 sessions, across the two */
  uint8_t cache_id[32], cache_session[TG_SESSION_MAX_LEN];
  size_t cache_id_len, cache_session_len;
  peer_report first; /* the first connection's adapter report */
} resume_state;

/* Plays the first connection of scenario s (s->resume.on) against t; the log gets its
 * transcript. RESUME_READY: r holds the session and env2 (a copy of env) the adapter's flags for
 * the second connection. Otherwise why says what happened, and r->first the adapter's report. */
resume_status resume_first(resume_state *r, const sc_scenario *s, const run_target *t,
                           const run_env *env, run_env *env2, strbuf *log, char *why, size_t cap);
/* The second connection's scripted endpoint: offers the session (a scripted client) or can
 * open the target's ticket (a scripted server), as the scenario says. */
void resume_configure(resume_state *r, const sc_scenario *s, tg_config *cfg);
/* After the script passed: whether the second handshake resumed as `resume: {expect: ...}`
 * says. false with why filled when it did not. */
bool resume_check(const sc_scenario *s, const tg_conn *c, char *why, size_t cap);
/* Removes the session file. */
void resume_cleanup(resume_state *r);

#endif
