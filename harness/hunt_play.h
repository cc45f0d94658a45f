/* Playing hunt's mutants (docs/hunting.md): the pieces `tlsgauntlet hunt` and the fuzz_hunt
 * libFuzzer target share, so that both judge and minimise a mutant the same way. */
#ifndef TG_HARNESS_HUNT_PLAY_H
#define TG_HARNESS_HUNT_PLAY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "hunt.h"
#include "runner.h"

/* The implementations a mutant is played against, and how. */
typedef struct hunt_players {
  const run_target *t;
  size_t n_t;
  const run_env *env;
  int jobs;
} hunt_players;

/* Plays sc[0..n) against every target: res[k * n_t + i] (zeroed first; hunt_results_free). */
void hunt_play(const hunt_players *p, const sc_scenario **sc, size_t n, run_result *res);
void hunt_results_free(run_result *res, size_t n);

/* The vector of one scenario's results r[0..n_t) into vec; true when at least two of them are
 * conclusive (a seed that is not says nothing a mutant could differ from). */
bool hunt_seed_vector(const hunt_players *p, const run_result *r, char *vec, size_t cap);

/* Drops mutations of m (a mutant of seed) while the vector stays vec: each round plays every
 * mutant with one mutation fewer, all at once, and keeps the first that still gives vec. Stops
 * early when *stop becomes true (stop may be NULL). */
void hunt_minimise(const hunt_players *p, const sc_scenario *seed, hunt_mutant *m, const char *vec,
                   const volatile sig_atomic_t *stop);

/* Appends to s (used of cap) the comment lines that say where a finding comes from: its seed and
 * the seed's vector, and each mutation with the RFC section it most likely concerns. */
void hunt_comment_origin(char *s, size_t cap, size_t *used, const sc_scenario *seed,
                         const char *seed_vec, const hunt_mutant *m);

#endif
