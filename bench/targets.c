/* bench_targets: the whole default suite (vectors/scenarios) at --jobs 2 against each tool target
 * of vectors/targets/ (openssl s_server, gnutls-serv, openssl s_client, gnutls-cli, curl: a
 * process started per scenario, as `tlsgauntlet run --profile` does) and against the adapter of
 * the library it runs on, in the same process run: the seconds of each, the scenarios each one
 * played (a tool target skips what it is not configured for), and the ratios.
 *
 *   bench_targets [PROFILE...]   (default: the five shipped profiles) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "profile.h"
#include "runner.h"
#include "scenario.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The whole suite against t at --jobs 2: seconds, and how many runs were played (not skipped). */
static double play(const sc_scenario **sc, size_t n, const run_target *t, const run_env *env,
                   size_t *played) {
  run_result *r = calloc(n, sizeof *r);
  if (r == NULL)
    return -1;
  double t0 = now();
  runner_play_all(sc, n, t, 1, env, 2, false, r);
  double s = now() - t0;
  *played = 0;
  for (size_t i = 0; i < n; i++) {
    *played += r[i].raw != V_SKIP;
    run_result_free(&r[i]);
  }
  free(r);
  return s;
}

int main(int argc, char **argv) {
  static const char *const shipped[] = {"openssl-s_server", "gnutls-serv", "openssl-s_client",
                                        "gnutls-cli", "curl"};
  sc_suite suite;
  sc_error err;
  sc_suite_init(&suite);
  if (!sc_load_paths(&suite, TG_SOURCE_DIR "/vectors/scenarios", NULL, 0, &err)) {
    fprintf(stderr, "bench_targets: %s\n", err.text);
    return 2;
  }
  const sc_scenario **sc = calloc(suite.n, sizeof *sc);
  if (sc == NULL)
    return 2;
  for (size_t i = 0; i < suite.n; i++)
    sc[i] = &suite.v[i];
  run_env env = {.certs_dir = TG_SOURCE_DIR "/vectors/scenarios/certs"};
  size_t n = argc > 1 ? (size_t)argc - 1 : sizeof shipped / sizeof shipped[0];
  printf("bench_targets: %zu scenarios, --jobs 2, each target then its library's adapter\n",
         suite.n);
  printf("%-18s %9s %7s   %-10s %9s %7s   %s\n", "target", "seconds", "played", "adapter",
         "seconds", "played", "target/adapter per played run");
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    char path[4096], msg[600], peer[4096];
    if (argc > 1)
      snprintf(path, sizeof path, "%s", argv[i + 1]);
    else
      snprintf(path, sizeof path, "%s/vectors/targets/%s.yaml", TG_SOURCE_DIR, shipped[i]);
    target_profile p;
    if (!profile_load(&p, path, msg, sizeof msg)) {
      fprintf(stderr, "bench_targets: %s\n", msg);
      rc = 2;
      continue;
    }
    run_target t = {.name = p.name,
                    .cmd = p.command,
                    .role = p.role,
                    .listen_fd = -1,
                    .profile = &p,
                    .timeout_ms = p.timeout_ms};
    if (p.command == NULL || p.library == NULL) {
      fprintf(stderr, "bench_targets: %s: a profile with command: and library:\n", path);
      profile_free(&p);
      rc = 2;
      continue;
    }
    snprintf(peer, sizeof peer, "%s/tg-peer-%s", TG_BINARY_DIR, p.library);
    run_target a = {.name = p.library, .peer_path = peer, .listen_fd = -1};
    size_t tn, an;
    double ts = play(sc, suite.n, &t, &env, &tn);
    double as = play(sc, suite.n, &a, &env, &an);
    printf("%-18s %9.1f %7zu   %-10s %9.1f %7zu   %.2fx\n", p.name, ts, tn, p.library, as, an,
           tn && an ? (ts / (double)tn) / (as / (double)an) : 0.0);
    profile_free(&p);
  }
  free(sc);
  sc_suite_free(&suite);
  return rc;
}
