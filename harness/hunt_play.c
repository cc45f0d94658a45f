/* Playing hunt's mutants (hunt_play.h). */
#include "hunt_play.h"

#include <stdio.h>
#include <string.h>

#include "hunt_oracle.h"
#include "impls.h"

void hunt_play(const hunt_players *p, const sc_scenario **sc, size_t n, run_result *res) {
  memset(res, 0, n * p->n_t * sizeof *res);
  runner_play_all(sc, n, p->t, p->n_t, p->env, p->jobs, false, res);
}

void hunt_results_free(run_result *res, size_t n) {
  for (size_t i = 0; i < n; i++)
    run_result_free(&res[i]);
}

bool hunt_seed_vector(const hunt_players *p, const run_result *r, char *vec, size_t cap) {
  size_t conclusive = 0;
  hunt_vector(r, p->n_t, vec, cap);
  for (size_t i = 0; i < p->n_t; i++) {
    char sig[HUNT_SIG_MAX];
    hunt_signature(&r[i], sig, sizeof sig);
    conclusive += hunt_signature_conclusive(sig);
  }
  return conclusive >= 2;
}

void hunt_minimise(const hunt_players *p, const sc_scenario *seed, hunt_mutant *m, const char *vec,
                   const volatile sig_atomic_t *stop) {
  for (bool shorter = true; shorter && m->n > 1 && (stop == NULL || !*stop);) {
    hunt_mutant cand[HUNT_MAX_MUTS];
    const sc_scenario *sc[HUNT_MAX_MUTS];
    size_t which[HUNT_MAX_MUTS], n_sc = 0;
    run_result res[HUNT_MAX_MUTS * TG_MAX_IMPLS];
    sc_suite s;
    sc_error err;
    sc_suite_init(&s);
    for (size_t k = 0; k < m->n; k++) {
      cand[k] = *m;
      memmove(&cand[k].m[k], &cand[k].m[k + 1], (m->n - k - 1) * sizeof m->m[0]);
      cand[k].n = m->n - 1;
      if (hunt_mutant_load(seed, &cand[k], "hunt/shorter", &s, &err))
        which[n_sc++] = k;
    }
    for (size_t k = 0; k < n_sc; k++) /* s.v moves while it grows */
      sc[k] = &s.v[k];
    hunt_play(p, sc, n_sc, res);
    shorter = false;
    for (size_t k = 0; k < n_sc && !shorter; k++) {
      char v[HUNT_KEY_MAX];
      hunt_vector(&res[k * p->n_t], p->n_t, v, sizeof v);
      if (strcmp(v, vec) == 0) {
        *m = cand[which[k]];
        shorter = true;
      }
    }
    hunt_results_free(res, n_sc * p->n_t);
    sc_suite_free(&s);
  }
}

void hunt_comment_origin(char *s, size_t cap, size_t *used, const sc_scenario *seed,
                         const char *seed_vec, const hunt_mutant *m) {
#define ADD(...) *used += (size_t)snprintf(s + *used, *used < cap ? cap - *used : 0, __VA_ARGS__)
  ADD("Seed: %s (%s), which gives: %s\n", seed->id, seed->rfc ? seed->rfc : "?", seed_vec);
  ADD("Mutations (minimised: without any one of them, the vector changes):\n");
  for (size_t i = 0; i < m->n; i++) {
    char line[700];
    const char *rfc = hunt_mut_rfc(&m->m[i]);
    hunt_mut_format(&m->m[i], line, sizeof line);
    ADD("  %s%s%s%s\n", line, rfc ? "  (" : "", rfc ? rfc : "", rfc ? ")" : "");
  }
#undef ADD
}
