/* Many runs at once: a pool of threads that take (scenario, target) pairs in order, each run its
 * own adapter process, with one progress line for all of them (runner.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "runner.h"
#include "runner_internal.h"

typedef struct work {
  const sc_scenario **sc;
  size_t n_sc;
  const run_target *targets;
  size_t n_targets;
  const run_env *env;
  run_result *results;
  atomic_size_t next;
  pthread_mutex_t lock; /* progress */
  size_t done, counts[V_COUNT];
  int64_t t0_ms;
  progress_mark mark;
  bool progress, tty;
  bool pairs; /* sc[k] against targets[k] */
} work;

static void *worker(void *arg) {
  work *w = arg;
  size_t total = w->pairs ? w->n_sc : w->n_sc * w->n_targets;
  for (;;) {
    size_t k = atomic_fetch_add(&w->next, 1);
    if (k >= total)
      return NULL;
    const sc_scenario *s = w->sc[w->pairs ? k : k / w->n_targets];
    runner_run(s, &w->targets[w->pairs ? k : k % w->n_targets], w->env, &w->results[k]);
    pthread_mutex_lock(&w->lock);
    w->done++;
    w->counts[w->results[k].raw]++;
    if (w->progress)
      report_progress(stderr, w->done, total, w->counts, s->id,
                      (uint64_t)(runner_now_ms() - w->t0_ms), &w->mark, w->tty);
    pthread_mutex_unlock(&w->lock);
  }
}

static void play(const sc_scenario **sc, size_t n_sc, const run_target *t, size_t n_t, bool pairs,
                 const run_env *env, int jobs, bool progress, run_result *results) {
  work w = {.sc = sc,
            .n_sc = n_sc,
            .targets = t,
            .n_targets = n_t,
            .env = env,
            .results = results,
            .t0_ms = runner_now_ms(),
            .progress = progress,
            .tty = isatty(2),
            .pairs = pairs};
  pthread_mutex_init(&w.lock, NULL);
  pthread_t th[256];
  size_t total = pairs ? n_sc : n_sc * n_t, n = jobs < 1 ? 1 : (size_t)jobs;
  if (n > total)
    n = total;
  if (n > sizeof th / sizeof th[0])
    n = sizeof th / sizeof th[0];
  size_t started = 0;
  for (; started < n; started++)
    if (pthread_create(&th[started], NULL, worker, &w) != 0)
      break;
  if (started == 0)
    worker(&w);
  for (size_t i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  pthread_mutex_destroy(&w.lock);
}

void runner_play_all(const sc_scenario **sc, size_t n_sc, const run_target *t, size_t n_t,
                     const run_env *env, int jobs, bool progress, run_result *results) {
  play(sc, n_sc, t, n_t, false, env, jobs, progress, results);
}

void runner_play_pairs(const sc_scenario **sc, const run_target *t, size_t n, const run_env *env,
                       int jobs, bool progress, run_result *results) {
  play(sc, n, t, n, true, env, jobs, progress, results);
}
