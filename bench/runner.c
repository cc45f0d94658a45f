/* bench_runner: scenario runs per second through the runner (harness/runner.h), against the
 * built-in adapter and against GnuTLS's, with one and with two runs at a time, over the default
 * suite (vectors/scenarios). Each run starts the adapter process, plays the script over a
 * socketpair and reaps the process, as `tlsgauntlet run` does. Prints the rates, the ratios,
 * and what the whole default suite against the four implementations costs at --jobs 2.
 *
 *   bench_runner [SECONDS_PER_MEASUREMENT]   (default 3) */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runner.h"
#include "scenario.h"

typedef struct bench {
  const sc_suite *suite;
  const run_target *target;
  const run_env *env;
  double seconds;
  atomic_size_t next, runs;
  struct timespec start;
} bench;

static double since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Runs scenarios round-robin until the time is up. */
static void *worker(void *arg) {
  bench *b = arg;
  while (since(&b->start) < b->seconds) {
    size_t k = atomic_fetch_add(&b->next, 1) % b->suite->n;
    run_result r;
    runner_run(&b->suite->v[k], b->target, b->env, &r);
    run_result_free(&r);
    atomic_fetch_add(&b->runs, 1);
  }
  return NULL;
}

static double measure(const sc_suite *suite, const run_target *t, const run_env *env, int jobs,
                      double seconds) {
  bench b = {.suite = suite, .target = t, .env = env, .seconds = seconds};
  pthread_t th[2];
  clock_gettime(CLOCK_MONOTONIC, &b.start);
  for (int i = 0; i < jobs; i++)
    pthread_create(&th[i], NULL, worker, &b);
  for (int i = 0; i < jobs; i++)
    pthread_join(th[i], NULL);
  return (double)atomic_load(&b.runs) / since(&b.start);
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 3.0;
  if (seconds <= 0)
    seconds = 3.0;
  sc_suite suite;
  sc_error err;
  sc_suite_init(&suite);
  if (!sc_load_paths(&suite, TG_SOURCE_DIR "/vectors/scenarios", NULL, 0, &err)) {
    fprintf(stderr, "bench_runner: %s\n", err.text);
    return 2;
  }
  run_env env = {.certs_dir = TG_SOURCE_DIR "/vectors/scenarios/certs"};
  static const char *const names[] = {"builtin", "gnutls"};
  double rate[2][2];
  printf("bench_runner: %zu scenarios (after matrix expansion), %.1f s per measurement\n", suite.n,
         seconds);
  printf("%-10s %14s %14s %8s\n", "target", "runs/s jobs 1", "runs/s jobs 2", "speedup");
  for (int i = 0; i < 2; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/tg-peer-%s", TG_BINARY_DIR, names[i]);
    run_target t = {.name = names[i], .peer_path = path, .listen_fd = -1};
    rate[i][0] = measure(&suite, &t, &env, 1, seconds);
    rate[i][1] = measure(&suite, &t, &env, 2, seconds);
    printf("%-10s %14.0f %14.0f %7.2fx\n", names[i], rate[i][0], rate[i][1],
           rate[i][1] / rate[i][0]);
  }
  printf("ratio builtin/gnutls: %.2fx (jobs 1), %.2fx (jobs 2)\n", rate[0][0] / rate[1][0],
         rate[0][1] / rate[1][1]);
  /* The four implementations: builtin's rate, GnuTLS's for the three libraries (the slowest
   * adapter start-up measured here stands in for OpenSSL's and BoringSSL's). */
  double estimate = (double)suite.n / rate[0][1] + 3.0 * (double)suite.n / rate[1][1];
  printf("estimate: the default suite against the four implementations at --jobs 2: %.0f s\n",
         estimate);
  sc_suite_free(&suite);
  return 0;
}
