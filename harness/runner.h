/* Playing one scenario against one target: the scripted endpoint (the engine with the
 * scenario's deviations) on one side, the target on the other, and the verdict.
 *
 * A target is either a peer adapter the runner starts for the run (tg-peer-NAME over a
 * socketpair, in its own process group, killed at the deadline) or a live server or client the
 * user runs (--target tcp://HOST:PORT). Many runs may go on at once in different threads: a run
 * shares nothing but the read-only scenario, target and environment. */
#ifndef TG_HARNESS_RUNNER_H
#define TG_HARNESS_RUNNER_H

#include <stdbool.h>

#include "profile.h"
#include "report.h"
#include "scenario.h"

typedef struct run_target {
  const char *name;      /* "builtin", or the URL of a live target */
  const char *peer_path; /* the adapter's executable; NULL for a live target */
  /* A live target: its address, and the role it plays (scenarios of the other role skip).
   * listen_fd >= 0: a client target connects here (the runner accepts one connection per run). */
  char host[256], port[16];
  sc_role role;
  int listen_fd;
  /* A command started per run as the target (--target-cmd, a baseline entry's replay:), of
   * role `role`: `sh -c CMD` with {host} {port} {certs} {cert} {key} {ca} {name} {bin} replaced. A
   * server command listens on {port}; a client command connects to {host}:{port}. NULL: none. */
  const char *cmd;
  /* A live or command target's profile (profile.h): scenarios it is not configured for skip,
   * and what follows the handshake goes its way. NULL: an adapter, or a live target assumed to
   * be configured as the adapters are and to echo. */
  const target_profile *profile;
  int timeout_ms; /* each run's deadline (--timeout, the profile's); 0: the scenario's */
  /* An adapter: the highest protocol version its --info lists (runner_peer_max_version), 0 when
   * unknown. Scenarios that need a higher one are not played: a skip with the reason. */
  uint16_t max_version;
  /* The adapter is this build's tg-peer-builtin, played in a forked child that calls its main
   * function instead of exec'ing it (runner_target_in_process). */
  bool in_process;
} run_target;

typedef struct run_env {
  const char *certs_dir;       /* vectors/scenarios/certs */
  const char *capture_dir;     /* --capture: a pcap and a keylog per run, or NULL */
  const char *transcripts_dir; /* --record-transcripts, or NULL */
  /* Flags added to an adapter's command line for one run (NULL-terminated, or NULL): the
   * session flags of a scenario that resumes (runner_resume.c), set on the run's own copy. */
  const char *const *extra_args;
} run_env;

/* Plays every scenario against every target in `jobs` threads: results[s * n_t + t] (each to
 * free with run_result_free). progress: a progress line on stderr, as runs complete and every
 * second in between (report_progress). */
void runner_play_all(const sc_scenario **sc, size_t n_sc, const run_target *t, size_t n_t,
                     const run_env *env, int jobs, bool progress, run_result *results);

/* The same for n (scenario, target) pairs: results[k] is sc[k] against t[k]. */
void runner_play_pairs(const sc_scenario **sc, const run_target *t, size_t n, const run_env *env,
                       int jobs, bool progress, run_result *results);

/* The highest version in the versions list of `peer_path --info` (peers/README.md), 0 when the
 * adapter does not answer or lists none we know. */
uint16_t runner_peer_max_version(const char *peer_path);

/* The target of `--peer VALUE` (run, hunt): a registered or found implementation's adapter
 * (harness_adapter_path), or a path to an adapter .../tg-peer-NAME. path (the adapter's path is
 * written there) must outlive t. false with why, a usage message naming what is missing. */
bool runner_adapter_target(const char *value, char *path, size_t path_len, int timeout_ms,
                           run_target *t, char *why, size_t why_len);

/* Whether t (from runner_adapter_target) is the built-in adapter of this build or installation,
 * which the runner can play without starting a program: `--peer builtin` resolved to
 * tg-peer-builtin in harness_program_dir, not a path given by the user nor an adapter of
 * $TG_PEER_DIR. Sets t->in_process accordingly, unless $TG_EXEC_TARGETS is set (not empty, not
 * "0"). */
void runner_target_in_process(run_target *t, const char *value);

/* Plays s against t and fills out (its transcript is malloc'd: run_result_free). Never fails:
 * every problem is a verdict with its reason in out->got. */
void runner_run(const sc_scenario *s, const run_target *t, const run_env *env, run_result *out);

#endif
