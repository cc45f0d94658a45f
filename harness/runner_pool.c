/* Many runs at once: a pool of threads that take (scenario, target) pairs in order, each run its
 * own adapter process, with one progress line for all of them (runner.h). While the workers run,
 * the calling thread rewrites that line every TICK_MS, so a run that waits out a live target's
 * deadline still shows its elapsed time. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"
#include "runner_internal.h"

#define TICK_MS 1000

typedef struct work {
  const sc_scenario **sc;
  const run_target *targets;
  size_t n_targets;
  const run_env *env;
  run_result *results;
  atomic_size_t next;
  size_t total;
  pthread_mutex_t lock;  /* everything below */
  pthread_cond_t exited; /* a worker returned */
  size_t done, counts[V_COUNT], n_exited;
  const char *last_id; /* of the last run that completed */
  int64_t t0_ms;
  progress_mark mark;
  bool progress, tty;
  bool pairs; /* sc[k] against targets[k] */
} work;

/* With the lock held. */
static void show_progress(work *w) {
  if (w->progress)
    report_progress(stderr, w->done, w->total, w->counts, w->last_id,
                    (uint64_t)(runner_now_ms() - w->t0_ms), &w->mark, w->tty);
}

static void *worker(void *arg) {
  work *w = arg;
  for (;;) {
    size_t k = atomic_fetch_add(&w->next, 1);
    if (k >= w->total)
      break;
    const sc_scenario *s = w->sc[w->pairs ? k : k / w->n_targets];
    runner_run(s, &w->targets[w->pairs ? k : k % w->n_targets], w->env, &w->results[k]);
    pthread_mutex_lock(&w->lock);
    w->done++;
    w->counts[w->results[k].raw]++;
    w->last_id = s->id;
    show_progress(w);
    pthread_mutex_unlock(&w->lock);
  }
  pthread_mutex_lock(&w->lock);
  w->n_exited++;
  pthread_cond_signal(&w->exited);
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

/* CLOCK_MONOTONIC (the clock of the exited condition, see play) TICK_MS from now. */
static struct timespec next_tick(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  t.tv_sec += TICK_MS / 1000;
  t.tv_nsec += TICK_MS % 1000 * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec++;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

/* Until n_threads workers have returned: the progress line every TICK_MS. A worker returning
 * does not move the next tick; a completion shows itself, and a tick after the last one would
 * repeat the final line. */
static void tick_until_exited(work *w, size_t n_threads) {
  struct timespec at = next_tick();
  pthread_mutex_lock(&w->lock);
  while (w->n_exited < n_threads) {
    if (pthread_cond_timedwait(&w->exited, &w->lock, &at) != ETIMEDOUT)
      continue;
    if (w->done < w->total)
      show_progress(w);
    at = next_tick();
  }
  pthread_mutex_unlock(&w->lock);
}

static void play(const sc_scenario **sc, size_t n_sc, const run_target *t, size_t n_t, bool pairs,
                 const run_env *env, int jobs, bool progress, run_result *results) {
  work w = {.sc = sc,
            .targets = t,
            .n_targets = n_t,
            .env = env,
            .results = results,
            .total = pairs ? n_sc : n_sc * n_t,
            .t0_ms = runner_now_ms(),
            .progress = progress,
            .tty = isatty(2),
            .pairs = pairs};
  pthread_mutex_init(&w.lock, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&w.exited, &ca);
  pthread_condattr_destroy(&ca);
  pthread_t th[256];
  size_t n = jobs < 1 ? 1 : (size_t)jobs;
  if (n > w.total)
    n = w.total;
  if (n > sizeof th / sizeof th[0])
    n = sizeof th / sizeof th[0];
  size_t started = 0;
  for (; started < n; started++)
    if (pthread_create(&th[started], NULL, worker, &w) != 0)
      break;
  if (started == 0)
    worker(&w);
  else if (progress)
    tick_until_exited(&w, started);
  for (size_t i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  pthread_cond_destroy(&w.exited);
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
