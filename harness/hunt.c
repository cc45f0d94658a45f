/* tlsgauntlet hunt: differential protocol fuzzing across implementations (docs/hunting.md).
 *
 * The seeds (scenarios) are played once against every selected implementation: the vector of
 * what each did is the seed's, and a mutant that does the same is explained by the seed (and
 * its baseline entries). Then, batch after batch until the time or the mutant budget is spent,
 * mutants (hunt.h) are played by the runner, exactly as `run` plays scenarios; a mutant whose
 * implementations disagree, differently from its seed, is minimised (mutations dropped while the
 * vector stays the same), grouped with the others of the same vector and mutation kinds, and a
 * new group is written out as a scenario file and played once more from that file.
 *
 * Guidance (--strategy guided): a mutant that made some seed's implementations do something new
 * (a vector not seen for that seed) goes into a corpus, and half of the mutants grow from the
 * corpus (one more mutation) rather than from a seed. --strategy random, the default, draws every
 * mutant afresh from a seed: bench_hunt (bench/hunt.c) found it gives more classes per hour.
 *
 * State (DIR/state): the random stream, the counts, the classes and the corpus, rewritten after
 * every batch, so that --resume goes on where a stopped hunt left off. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "hunt.h"
#include "hunt_oracle.h"
#include "hunt_play.h"
#include "impls.h"
#include "runner.h"
#include "scenario_cli.h"
#include "spawn.h"

#define MAX_SEED_ARGS 64
#define MAX_CORPUS 4096
/* Mutants per batch: made, played (in --jobs threads) and judged in mutant order. Fixed, so that
 * the mutants a seed gives do not depend on --jobs. */
#define HUNT_BATCH 32
#define STATE_MAGIC "tlsgauntlet hunt state 1"

static const char usage[] =
    "usage: tlsgauntlet hunt [SEEDS...] [OPTIONS]\n"
    "\n"
    "Differential protocol fuzzing: mutates scenarios (the seeds) with the scripted endpoint's\n"
    "vocabulary, plays each mutant against every selected implementation, and writes each new\n"
    "disagreement, minimised, as a scenario file ready to add to the suite (docs/hunting.md).\n"
    "\n"
    "SEEDS (or --seeds SEED, repeatable): suites, files or directories of scenarios (default:\n"
    "the whole default suite).\n"
    "\n"
    "Options:\n"
    "  --peer NAME|all       an implementation to compare (repeat; default: all)\n"
    "  --minutes N           stop after N minutes (default 10)\n"
    "  --hours N             stop after N hours (overnight runs)\n"
    "  --mutants N           stop after N mutants (a fixed amount of work: tests, benches)\n"
    "  --seed N              the random stream's seed (default: from the clock; the report and\n"
    "                        the state say which, and the same seed replays the same mutants)\n"
    "  --strategy S          random (default: every mutant fresh from a seed) or guided\n"
    "                        (mutants that did something new are grown further; it found\n"
    "                        fewer classes per hour than random so far: bench_hunt)\n"
    "  --jobs N              runs at once (default: twice the number of cores)\n"
    "  --timeout-ms N        each run's deadline (default 1000; a class whose vector changes\n"
    "                        when played again is marked unstable)\n"
    "  --shard I/N           mutate only the seeds of shard I of N (CI job matrices)\n"
    "  --out DIR             where the state, the report and the scenarios go (default\n"
    "                        hunt-out); DIR/classes/*.yaml are the findings\n"
    "  --resume              go on from DIR/state (the same implementations)\n"
    "  --scenarios DIR       the scenarios directory (default: the one found as run does)\n"
    "  --requirements DIR    the catalogue the seeds' requires: ids must be in (default: the\n"
    "                        requirements directory beside the scenarios directory)\n"
    "  --quiet               no progress line\n"
    "\n"
    "Writes DIR/report.md and DIR/report.json (the classes: vector, seed, mutations, file).\n"
    "Exit status: 0 the hunt ran (findings are not an error), 2 bad usage or input.\n";

typedef enum strategy { S_RANDOM = 0, S_GUIDED } strategy;

typedef struct hunt_opts {
  char *seeds[MAX_SEED_ARGS];
  size_t n_seeds;
  const char *impls[TG_MAX_IMPLS];
  size_t n_impls;
  double seconds;        /* the time budget */
  unsigned long mutants; /* the mutant budget, 0: none */
  uint64_t seed;
  bool seed_given, resume, quiet;
  strategy strategy;
  int jobs, timeout_ms;
  unsigned shard_i, shard_n;
  const char *out, *scenarios_dir, *requirements_dir;
} hunt_opts;

/* One disagreement class: a vector and the kinds of the mutations that make it. */
typedef struct hunt_class {
  char key[HUNT_KEY_MAX + 256]; /* vector | shapes */
  char vector[HUNT_KEY_MAX];
  hunt_diff diff;
  char seed_id[256];
  hunt_mutant m; /* minimised; m.seed indexes the seeds of this run */
  char id[160], file[200];
  unsigned long count, first;
  bool stable; /* the written file, played again, gave the same vector */
} hunt_class;

typedef struct hunt {
  const hunt_opts *o;
  char scen_dir[4096], certs[4200];
  sc_suite suite;
  const sc_scenario **seeds; /* the selected seeds */
  size_t n_seeds;
  char (*seed_vec)[HUNT_KEY_MAX];
  bool *usable; /* a seed something conclusive came of */
  size_t n_usable;
  run_target t[TG_MAX_IMPLS];
  char paths[TG_MAX_IMPLS][4096];
  size_t n_t;
  run_env env;
  hunt_players players; /* t, n_t, env and --jobs */
  hunt_rng rng;
  uint64_t first_seed;
  unsigned long mutants, load_failures, disagreements;
  double seconds_before; /* of the hunt this one resumes */
  hunt_class *classes;
  size_t n_classes, cap_classes;
  hunt_mutant *corpus;
  size_t n_corpus;
  uint64_t *seen; /* hashes of (seed, vector) pairs seen: open addressing, 0 empty */
  size_t seen_cap, n_seen;
  uint64_t *tried; /* hashes of the unminimised class keys already minimised */
  size_t tried_cap, n_tried;
  /* hashes of "VECTOR | SHAPE" for every seed and every kind of misbehaviour it scripts: a class
   * whose every mutation kind an existing scenario already shows with that vector is known */
  uint64_t *known;
  size_t known_cap, n_known;
  unsigned long explained;
} hunt;

static volatile sig_atomic_t stop_asked;

static void on_signal(int sig) {
  (void)sig;
  stop_asked = 1;
}

static int bad_usage(const char *fmt, const char *arg) {
  fprintf(stderr, "tlsgauntlet hunt: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(tlsgauntlet hunt --help)\n");
  return EXIT_BAD_INPUT;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- Options -------------------------------------------------------------------------------- */

static int add_impl(hunt_opts *o, const char *name) {
  static bool noted;
  if (!tg_impl_list_add(o->impls, &o->n_impls, name, "hunt", &noted))
    return bad_usage("too many --peer (at most %s)", "16");
  return 0;
}

/* --minutes N, --hours N: the one budget. */
static bool time_budget(hunt_opts *o, const char *option, const char *v, long unit, bool *budget) {
  long n;
  if (*budget) {
    bad_usage("give one of --minutes, --hours, --mutants%s", "");
    return false;
  }
  if (!opt_number("hunt", option, v, 1, 60000 * 60 / unit, &n))
    return false;
  o->seconds = (double)n * (double)unit;
  return *budget = true;
}

/* 0 to go on, -1 after --help, else the exit status. */
static int parse_args(hunt_opts *o, int argc, char **argv) {
  /* Most of a run is waiting on the peer: twice as many at once as there are cores. */
  *o = (hunt_opts){
      .seconds = 600, .jobs = 2 * opt_default_jobs(), .timeout_ms = 1000, .out = "hunt-out"};
  bool budget = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    long n;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage, stdout);
      return -1;
    } else if ((v = cli_option_value(argc, argv, &i, "--peer"))) {
      if (add_impl(o, v) != 0)
        return EXIT_BAD_INPUT;
    } else if ((v = cli_option_value(argc, argv, &i, "--minutes"))) {
      if (!time_budget(o, "--minutes", v, 60, &budget))
        return EXIT_BAD_INPUT;
    } else if ((v = cli_option_value(argc, argv, &i, "--hours"))) {
      if (!time_budget(o, "--hours", v, 3600, &budget))
        return EXIT_BAD_INPUT;
    } else if ((v = cli_option_value(argc, argv, &i, "--mutants"))) {
      if (budget)
        return bad_usage("give one of --minutes, --hours, --mutants%s", "");
      if (!opt_number("hunt", "--mutants", v, 1, 100000000, &n))
        return EXIT_BAD_INPUT;
      o->mutants = (unsigned long)n;
      o->seconds = 0;
      budget = true;
    } else if ((v = cli_option_value(argc, argv, &i, "--seed"))) {
      if (!opt_number("hunt", "--seed", v, 0, LONG_MAX, &n))
        return EXIT_BAD_INPUT;
      o->seed = (uint64_t)n;
      o->seed_given = true;
    } else if ((v = cli_option_value(argc, argv, &i, "--strategy"))) {
      if (strcmp(v, "guided") != 0 && strcmp(v, "random") != 0)
        return bad_usage("--strategy %s: guided or random", v);
      o->strategy = strcmp(v, "random") == 0 ? S_RANDOM : S_GUIDED;
    } else if ((v = cli_option_value(argc, argv, &i, "--jobs"))) {
      if (!opt_number("hunt", "--jobs", v, 1, OPT_MAX_JOBS, &n))
        return EXIT_BAD_INPUT;
      o->jobs = (int)n;
    } else if ((v = cli_option_value(argc, argv, &i, "--timeout-ms"))) {
      if (!opt_number("hunt", "--timeout-ms", v, 100, 600000, &n))
        return EXIT_BAD_INPUT;
      o->timeout_ms = (int)n;
    } else if ((v = cli_option_value(argc, argv, &i, "--shard"))) {
      if (!opt_shard("hunt", v, &o->shard_i, &o->shard_n))
        return EXIT_BAD_INPUT;
    } else if ((v = cli_option_value(argc, argv, &i, "--seeds"))) {
      if (o->n_seeds == MAX_SEED_ARGS)
        return bad_usage("more than %s seed arguments", "64");
      o->seeds[o->n_seeds++] = (char *)v;
    } else if ((v = cli_option_value(argc, argv, &i, "--out"))) {
      o->out = v;
    } else if ((v = cli_option_value(argc, argv, &i, "--scenarios"))) {
      o->scenarios_dir = v;
    } else if ((v = cli_option_value(argc, argv, &i, "--requirements"))) {
      o->requirements_dir = v;
    } else if (strcmp(a, "--resume") == 0) {
      o->resume = true;
    } else if (strcmp(a, "--quiet") == 0) {
      o->quiet = true;
    } else if (a[0] == '-') {
      return bad_usage("unknown option or missing value: %s", a);
    } else if (o->n_seeds < MAX_SEED_ARGS) {
      o->seeds[o->n_seeds++] = argv[i];
    } else {
      return bad_usage("more than %s seed arguments", "64");
    }
  }
  if (o->n_impls == 0 && add_impl(o, "all") != 0)
    return EXIT_BAD_INPUT;
  if (o->n_impls < 2)
    return bad_usage("hunt compares implementations: give at least two --peer (%s found)",
                     o->n_impls ? o->impls[0] : "none");
  if (!o->seed_given)
    o->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
  return 0;
}

/* ---- Small sets of hashes ------------------------------------------------------------------- */

static uint64_t fnv(const char *s, uint64_t h) {
  for (; *s; s++)
    h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
  return h ? h : 1;
}

/* Adds h to the set; true when it was not there. */
static bool set_add(uint64_t **v, size_t *cap, size_t *n, uint64_t h) {
  if (*n * 2 >= *cap) {
    size_t ncap = *cap ? *cap * 2 : 1024;
    uint64_t *nv = calloc(ncap, sizeof *nv);
    if (nv == NULL)
      return false;
    for (size_t i = 0; i < *cap; i++)
      if ((*v)[i] != 0)
        for (size_t k = (*v)[i] % ncap;; k = (k + 1) % ncap)
          if (nv[k] == 0) {
            nv[k] = (*v)[i];
            break;
          }
    free(*v);
    *v = nv;
    *cap = ncap;
  }
  for (size_t k = h % *cap;; k = (k + 1) % *cap) {
    if ((*v)[k] == h)
      return false;
    if ((*v)[k] == 0) {
      (*v)[k] = h;
      (*n)++;
      return true;
    }
  }
}

static bool set_has(const uint64_t *v, size_t cap, uint64_t h) {
  for (size_t k = cap ? h % cap : 0; cap > 0 && v[k] != 0; k = (k + 1) % cap)
    if (v[k] == h)
      return true;
  return false;
}

static uint64_t shape_hash_of(const char *vec, const char *shape) {
  return fnv(shape, fnv(" | ", fnv(vec, 14695981039346656037ULL)));
}

static uint64_t shape_hash(const char *vec, const hunt_mut *m) {
  char shape[160];
  hunt_mut_shape(m, shape, sizeof shape);
  return shape_hash_of(vec, shape);
}

/* ---- Playing -------------------------------------------------------------------------------- */

static void mutant_id(char *buf, size_t cap, unsigned long k) {
  snprintf(buf, cap, "hunt/mutant-%lu", k);
}

/* Loads mutants m[0..n) into s; ok[k] says which loaded (one that does not is the mutator's bug:
 * counted and said). */
static void load_mutants(hunt *h, const hunt_mutant *m, size_t n, sc_suite *s,
                         const sc_scenario **sc, size_t *n_sc, size_t *which) {
  *n_sc = 0;
  for (size_t k = 0; k < n; k++) {
    char id[64];
    sc_error err;
    mutant_id(id, sizeof id, (unsigned long)k);
    if (!hunt_mutant_load(h->seeds[m[k].seed], &m[k], id, s, &err)) {
      h->load_failures++;
      fprintf(stderr, "tlsgauntlet hunt: a mutant of %s does not load (a bug): %s\n",
              h->seeds[m[k].seed]->id, err.text);
      continue;
    }
    which[(*n_sc)++] = k;
  }
  for (size_t k = 0; k < *n_sc; k++)
    sc[k] = &s->v[k];
}

/* ---- Seeds ---------------------------------------------------------------------------------- */

static bool play_seeds(hunt *h) {
  size_t n = h->n_seeds;
  run_result *res = calloc(n * h->n_t + 1, sizeof *res);
  h->seed_vec = calloc(n + 1, sizeof *h->seed_vec);
  h->usable = calloc(n + 1, sizeof *h->usable);
  if (res == NULL || h->seed_vec == NULL || h->usable == NULL) {
    free(res);
    return false;
  }
  if (!h->o->quiet)
    fprintf(stderr, "tlsgauntlet hunt: playing %zu seeds against %zu implementations\n", n, h->n_t);
  runner_play_all(h->seeds, n, h->t, h->n_t, &h->env, h->o->jobs, !h->o->quiet, res);
  for (size_t k = 0; k < n; k++) {
    h->usable[k] =
        hunt_seed_vector(&h->players, &res[k * h->n_t], h->seed_vec[k], sizeof h->seed_vec[k]);
    h->n_usable += h->usable[k];
    /* What the seed scripts, in the mutations' terms: its deviations, and the send steps a
     * mutation could insert. */
    const sc_scenario *sc = h->seeds[k];
    for (size_t d = 0; d < sc->n_deviations; d++) {
      char shape[160]; /* (from the spec itself: a seed's may be longer than hunt_mut.spec) */
      hunt_spec_shape(sc->deviations[d], shape, sizeof shape);
      set_add(&h->known, &h->known_cap, &h->n_known, shape_hash_of(h->seed_vec[k], shape));
    }
    for (size_t i = 0; i < sc->n_steps; i++)
      if (sc->steps[i].kind == SC_STEP_SEND) {
        hunt_mut m = {.kind = HM_STEP, .send = sc->steps[i].send};
        set_add(&h->known, &h->known_cap, &h->n_known, shape_hash(h->seed_vec[k], &m));
      }
  }
  hunt_results_free(res, n * h->n_t);
  free(res);
  return true;
}

static size_t seed_index(const hunt *h, const char *id) {
  for (size_t k = 0; k < h->n_seeds; k++)
    if (strcmp(h->seeds[k]->id, id) == 0)
      return k;
  return SIZE_MAX;
}

/* ---- Mutants -------------------------------------------------------------------------------- */

static size_t random_usable_seed(hunt *h) {
  uint64_t pick = hunt_rng_below(&h->rng, h->n_usable);
  for (size_t k = 0; k < h->n_seeds; k++)
    if (h->usable[k] && pick-- == 0)
      return k;
  return 0;
}

static void make_mutant(hunt *h, hunt_mutant *m) {
  if (h->o->strategy == S_GUIDED && h->n_corpus > 0 && hunt_rng_below(&h->rng, 2) == 0) {
    *m = h->corpus[hunt_rng_below(&h->rng, h->n_corpus)];
    if (hunt_mutate(h->seeds[m->seed], m, &h->rng))
      return;
  }
  *m = (hunt_mutant){.seed = random_usable_seed(h)};
  uint64_t n = 1 + hunt_rng_below(&h->rng, 2);
  for (uint64_t i = 0; i < n; i++)
    if (!hunt_mutate(h->seeds[m->seed], m, &h->rng))
      break;
}

/* ---- Classes -------------------------------------------------------------------------------- */

static void slug(const char *in, char *out, size_t cap) {
  size_t n = 0;
  for (; *in && n + 1 < cap; in++) {
    char c = *in;
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (ok)
      out[n++] = c;
    else if (n > 0 && out[n - 1] != '-')
      out[n++] = '-';
  }
  while (n > 0 && out[n - 1] == '-')
    n--;
  out[n] = '\0';
}

/* The signature of target i in a vector ("NAME=SIG NAME=SIG ..."; a signature may hold a
 * space: "alert decode_error"), *len its length; NULL when the vector has none. */
static const char *vector_entry(const hunt *h, const char *vector, size_t i, size_t *len) {
  char want[80];
  snprintf(want, sizeof want, "%s=", h->t[i].name);
  const char *p = strncmp(vector, want, strlen(want)) == 0 ? vector : NULL;
  if (p == NULL) {
    snprintf(want, sizeof want, " %s=", h->t[i].name);
    if ((p = strstr(vector, want)) == NULL)
      return NULL;
    p++;
  }
  p += strlen(h->t[i].name) + 1;
  *len = strlen(p);
  for (size_t j = i + 1; j < h->n_t; j++) {
    char next[80];
    snprintf(next, sizeof next, " %s=", h->t[j].name);
    const char *q = strstr(p, next);
    if (q != NULL && (size_t)(q - p) < *len)
      *len = (size_t)(q - p);
  }
  return p;
}

static char *class_comment(const hunt *h, const hunt_class *c) {
  const sc_scenario *seed = h->seeds[c->m.seed];
  size_t cap = 8192, used = 0;
  char *s = malloc(cap);
  if (s == NULL)
    return NULL;
#define ADD(...) used += (size_t)snprintf(s + used, used < cap ? cap - used : 0, __VA_ARGS__)
  ADD("Found by tlsgauntlet hunt (random seed %llu, mutant %lu); disagreement: %s.\n",
      (unsigned long long)h->first_seed, c->first, hunt_diff_name(c->diff));
  ADD("What each implementation did:\n");
  for (size_t i = 0; i < h->n_t; i++) {
    size_t len;
    const char *sig = vector_entry(h, c->vector, i, &len);
    ADD("  %-10s %.*s\n", h->t[i].name, (int)(sig ? len : 1), sig ? sig : "?");
  }
  hunt_comment_origin(s, cap, &used, seed, h->seed_vec[c->m.seed], &c->m);
  ADD("%s\n", c->stable ? "Played again from this file: the same vector."
                        : "Played again from this file: ANOTHER vector (unstable: timing?).");
  ADD("The expect steps are the seed's: decide what the RFC requires, then add the scenario\n"
      "with baselines (docs/hunting.md, \"Triage\").");
#undef ADD
  return s;
}

static bool write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return false;
  bool ok = fputs(text, f) >= 0;
  return fclose(f) == 0 && ok;
}

/* Writes the class's scenario, then plays it from the file: stable when the vector is the same. */
static void write_class(hunt *h, hunt_class *c) {
  char seedslug[64], path[8192];
  slug(strrchr(c->seed_id, '/') ? strrchr(c->seed_id, '/') + 1 : c->seed_id, seedslug,
       sizeof seedslug);
  snprintf(c->id, sizeof c->id, "hunt/%03zu-%s-%.40s", h->n_classes, hunt_diff_name(c->diff),
           seedslug);
  snprintf(c->file, sizeof c->file, "classes/%.150s.yaml", c->id + 5);
  snprintf(path, sizeof path, "%s/%s", h->o->out, c->file);
  for (int pass = 0; pass < 2; pass++) {
    char *comment = class_comment(h, c);
    char *text = hunt_mutant_yaml(h->seeds[c->m.seed], &c->m, c->id, comment);
    if (text == NULL || !write_file(path, text))
      fprintf(stderr, "tlsgauntlet hunt: cannot write %s: %s\n", path, strerror(errno));
    free(comment);
    free(text);
    if (pass == 1)
      break;
    /* Played from the file as `tlsgauntlet run FILE` would. */
    sc_suite s;
    sc_error err;
    sc_suite_init(&s);
    c->stable = false;
    if (sc_load_file(&s, path, &err) && s.n == 1) {
      const sc_scenario *sc[1] = {&s.v[0]};
      run_result res[TG_MAX_IMPLS] = {0};
      char v[HUNT_KEY_MAX];
      hunt_play(&h->players, sc, 1, res);
      hunt_vector(res, h->n_t, v, sizeof v);
      c->stable = strcmp(v, c->vector) == 0;
      hunt_results_free(res, h->n_t);
    } else {
      fprintf(stderr, "tlsgauntlet hunt: %s does not load (a bug): %s\n", path, err.text);
    }
    sc_suite_free(&s);
  }
}

static hunt_class *find_class(hunt *h, const char *key) {
  for (size_t i = 0; i < h->n_classes; i++)
    if (strcmp(h->classes[i].key, key) == 0)
      return &h->classes[i];
  return NULL;
}

/* A class with the same vector whose every kind of mutation m has too: m only adds to what
 * already makes that class (a known cause with something more), so it counts there. */
static hunt_class *covering_class(hunt *h, const hunt_mutant *m, const char *vec) {
  char shapes[HUNT_MAX_MUTS][160];
  for (size_t i = 0; i < m->n; i++)
    hunt_mut_shape(&m->m[i], shapes[i], sizeof shapes[i]);
  for (size_t k = 0; k < h->n_classes; k++) {
    hunt_class *c = &h->classes[k];
    if (strcmp(c->vector, vec) != 0 || c->m.n >= m->n)
      continue;
    bool all = true;
    for (size_t j = 0; j < c->m.n && all; j++) {
      char shape[160];
      hunt_mut_shape(&c->m.m[j], shape, sizeof shape);
      bool found = false;
      for (size_t i = 0; i < m->n && !found; i++)
        found = strcmp(shapes[i], shape) == 0;
      all = found;
    }
    if (all)
      return c;
  }
  return NULL;
}

static hunt_class *new_class(hunt *h) {
  if (h->n_classes == h->cap_classes) {
    size_t cap = h->cap_classes ? h->cap_classes * 2 : 16;
    hunt_class *v = realloc(h->classes, cap * sizeof *v);
    if (v == NULL)
      return NULL;
    h->classes = v;
    h->cap_classes = cap;
  }
  hunt_class *c = &h->classes[h->n_classes];
  memset(c, 0, sizeof *c);
  return c;
}

/* What one mutant's results say: guidance, and a class when its implementations disagree
 * differently from its seed's. */
static void examine(hunt *h, const hunt_mutant *m, const run_result *r, unsigned long number) {
  char vec[HUNT_KEY_MAX], key[HUNT_KEY_MAX + 256];
  hunt_vector(r, h->n_t, vec, sizeof vec);
  char seedkey[32];
  snprintf(seedkey, sizeof seedkey, "%zu|", m->seed);
  bool novel =
      set_add(&h->seen, &h->seen_cap, &h->n_seen, fnv(vec, fnv(seedkey, 14695981039346656037ULL)));
  bool as_seed = strcmp(vec, h->seed_vec[m->seed]) == 0;
  if (novel && !as_seed && h->o->strategy == S_GUIDED && h->n_corpus < MAX_CORPUS &&
      m->n < HUNT_MAX_MUTS)
    h->corpus[h->n_corpus++] = *m;
  hunt_diff d = hunt_disagreement(r, h->n_t);
  if (d == HD_NONE || (as_seed && d != HD_CRASH))
    return; /* agreement, or the seed's own (explained by its scenario and baselines) */
  h->disagreements++;
  hunt_class_key(m, vec, key, sizeof key);
  uint64_t kh = fnv(key, 14695981039346656037ULL);
  hunt_mutant min = *m;
  if (set_add(&h->tried, &h->tried_cap, &h->n_tried, kh))
    hunt_minimise(&h->players, h->seeds[min.seed], &min, vec, &stop_asked);
  bool known = true;
  for (size_t i = 0; i < min.n && known; i++)
    known = set_has(h->known, h->known_cap, shape_hash(vec, &min.m[i]));
  if (known) { /* an existing scenario shows the same kind of misbehaviour doing the same */
    h->explained++;
    return;
  }
  hunt_class_key(&min, vec, key, sizeof key);
  hunt_class *c = find_class(h, key);
  if (c == NULL)
    c = covering_class(h, &min, vec);
  if (c != NULL) {
    c->count++;
    return;
  }
  if ((c = new_class(h)) == NULL)
    return;
  snprintf(c->key, sizeof c->key, "%s", key);
  snprintf(c->vector, sizeof c->vector, "%s", vec);
  snprintf(c->seed_id, sizeof c->seed_id, "%s", h->seeds[min.seed]->id);
  c->diff = d;
  c->m = min;
  c->count = 1;
  c->first = number;
  write_class(h, c);
  h->n_classes++;
  if (!h->o->quiet)
    fprintf(stderr, "\rtlsgauntlet hunt: new class %s: %s%s\n", c->id, vec,
            c->stable ? "" : " (unstable)");
}

/* ---- State ---------------------------------------------------------------------------------- */

static void put_mutant(FILE *f, const hunt *h, const hunt_mutant *m) {
  fprintf(f, "%s", h->seeds[m->seed]->id);
  for (size_t i = 0; i < m->n; i++) {
    char line[700];
    hunt_mut_format(&m->m[i], line, sizeof line);
    fprintf(f, "\t%s", line);
  }
  fputc('\n', f);
}

static bool save_state(const hunt *h, double seconds) {
  char path[8192], tmp[8300];
  snprintf(path, sizeof path, "%s/state", h->o->out);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL)
    return false;
  fprintf(f, "%s\nseed %llu\nrng %llu\nmutants %lu\nseconds %.1f\nimplementations", STATE_MAGIC,
          (unsigned long long)h->first_seed, (unsigned long long)h->rng.s, h->mutants, seconds);
  for (size_t i = 0; i < h->n_t; i++)
    fprintf(f, " %s", h->t[i].name);
  fputc('\n', f);
  for (size_t i = 0; i < h->n_classes; i++) {
    const hunt_class *c = &h->classes[i];
    fprintf(f, "class %s\t%lu\t%lu\t%d\t%s\t%s\t", hunt_diff_name(c->diff), c->count, c->first,
            c->stable, c->id, c->vector);
    put_mutant(f, h, &c->m);
  }
  for (size_t i = 0; i < h->n_corpus; i++) {
    fputs("corpus ", f);
    put_mutant(f, h, &h->corpus[i]);
  }
  bool ok = fclose(f) == 0;
  return ok && rename(tmp, path) == 0;
}

/* Splits a state line's tail "SEED\tMUT\tMUT" into m; false when the seed is not among this
 * hunt's or a mutation does not parse. */
static bool get_mutant(const hunt *h, char *text, hunt_mutant *m) {
  char *save = NULL, *tok = strtok_r(text, "\t\n", &save);
  if (tok == NULL || (m->seed = seed_index(h, tok)) == SIZE_MAX)
    return false;
  m->n = 0;
  while ((tok = strtok_r(NULL, "\t\n", &save)) != NULL) {
    if (m->n == HUNT_MAX_MUTS || !hunt_mut_parse(tok, &m->m[m->n]))
      return false;
    m->n++;
  }
  return true;
}

static hunt_diff diff_by_name(const char *s) {
  for (int d = HD_ALERT; d <= HD_CRASH; d++)
    if (strcmp(s, hunt_diff_name((hunt_diff)d)) == 0)
      return (hunt_diff)d;
  return HD_NONE;
}

/* Reads DIR/state; errors are FILE:LINE: message, exit 2. */
static bool load_state(hunt *h) {
  char path[8192], line[16384], names[2048] = "";
  snprintf(path, sizeof path, "%s/state", h->o->out);
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    fprintf(stderr, "tlsgauntlet hunt: --resume: %s: %s\n", path, strerror(errno));
    return false;
  }
  for (size_t i = 0; i < h->n_t; i++)
    snprintf(names + strlen(names), sizeof names - strlen(names), " %s", h->t[i].name);
  int lineno = 0;
  bool ok = true;
  const char *why = NULL;
  while (ok && fgets(line, sizeof line, f) != NULL) {
    lineno++;
    unsigned long long a;
    double secs;
    char *tab;
    line[strcspn(line, "\n")] = '\0';
    if (lineno == 1) {
      if (strcmp(line, STATE_MAGIC) != 0)
        why = "not a hunt state file";
    } else if (sscanf(line, "seed %llu", &a) == 1) {
      h->first_seed = a;
    } else if (sscanf(line, "rng %llu", &a) == 1) {
      h->rng.s = a;
    } else if (sscanf(line, "mutants %llu", &a) == 1) {
      h->mutants = (unsigned long)a;
    } else if (sscanf(line, "seconds %lf", &secs) == 1) {
      h->seconds_before = secs;
    } else if (strncmp(line, "implementations", 15) == 0) {
      if (strcmp(line + 15, names) != 0)
        why = "another set of implementations (--resume plays the same --peer)";
    } else if (strncmp(line, "class ", 6) == 0) {
      hunt_class *c = new_class(h);
      char diff[32];
      int stable, used = 0;
      if (c == NULL ||
          sscanf(line + 6, "%31[^\t]\t%lu\t%lu\t%d\t%159[^\t]\t%n", diff, &c->count, &c->first,
                 &stable, c->id, &used) != 5 ||
          used == 0 || (tab = strchr(line + 6 + used, '\t')) == NULL ||
          (c->diff = diff_by_name(diff)) == HD_NONE) {
        why = "a class line that does not parse";
      } else {
        snprintf(c->vector, sizeof c->vector, "%.*s", (int)(tab - (line + 6 + used)),
                 line + 6 + used);
        c->stable = stable != 0;
        if (!get_mutant(h, tab + 1, &c->m)) {
          why = "a class whose seed is not among this hunt's, or whose mutation does not parse";
        } else {
          snprintf(c->seed_id, sizeof c->seed_id, "%s", h->seeds[c->m.seed]->id);
          snprintf(c->file, sizeof c->file, "classes/%.150s.yaml", c->id + 5);
          hunt_class_key(&c->m, c->vector, c->key, sizeof c->key);
          h->n_classes++;
        }
      }
    } else if (strncmp(line, "corpus ", 7) == 0) {
      hunt_mutant m;
      if (h->n_corpus < MAX_CORPUS && get_mutant(h, line + 7, &m))
        h->corpus[h->n_corpus++] = m; /* one of a seed no longer selected is dropped */
    } else if (line[0] != '\0') {
      why = "an unknown line";
    }
    if (why != NULL) {
      fprintf(stderr, "tlsgauntlet hunt: %s:%d: %s\n", path, lineno, why);
      ok = false;
    }
  }
  fclose(f);
  if (ok && lineno == 0) {
    fprintf(stderr, "tlsgauntlet hunt: %s: empty\n", path);
    ok = false;
  }
  return ok;
}

/* ---- Reports -------------------------------------------------------------------------------- */

static int by_rank(const void *a, const void *b) {
  const hunt_class *x = *(hunt_class *const *)a, *y = *(hunt_class *const *)b;
  if (x->diff != y->diff)
    return x->diff > y->diff ? -1 : 1;
  return strcmp(x->id, y->id);
}

static hunt_class **ranked(const hunt *h) {
  hunt_class **v = calloc(h->n_classes + 1, sizeof *v);
  for (size_t i = 0; v != NULL && i < h->n_classes; i++)
    v[i] = &h->classes[i];
  if (v != NULL)
    qsort(v, h->n_classes, sizeof *v, by_rank);
  return v;
}

static bool write_json(const hunt *h, double seconds, const char *path) {
  json_t *root = json_object(), *impls = json_array(), *classes = json_array();
  json_object_set_new(root, "tool", json_string("tlsgauntlet " TG_VERSION_STRING));
  json_object_set_new(root, "seed", json_integer((json_int_t)h->first_seed));
  json_object_set_new(root, "strategy",
                      json_string(h->o->strategy == S_GUIDED ? "guided" : "random"));
  json_object_set_new(root, "mutants", json_integer((json_int_t)h->mutants));
  json_object_set_new(root, "seconds", json_real(seconds));
  json_object_set_new(root, "seeds", json_integer((json_int_t)h->n_seeds));
  json_object_set_new(root, "disagreements", json_integer((json_int_t)h->disagreements));
  json_object_set_new(root, "explained", json_integer((json_int_t)h->explained));
  for (size_t i = 0; i < h->n_t; i++)
    json_array_append_new(impls, json_string(h->t[i].name));
  json_object_set_new(root, "implementations", impls);
  hunt_class **v = ranked(h);
  for (size_t k = 0; v != NULL && k < h->n_classes; k++) {
    const hunt_class *c = v[k];
    json_t *o = json_object(), *muts = json_array(), *vec = json_object();
    json_object_set_new(o, "id", json_string(c->id));
    json_object_set_new(o, "file", json_string(c->file));
    json_object_set_new(o, "kind", json_string(hunt_diff_name(c->diff)));
    json_object_set_new(o, "vector_text", json_string(c->vector));
    for (size_t i = 0; i < h->n_t; i++) {
      size_t len;
      const char *sig = vector_entry(h, c->vector, i, &len);
      if (sig != NULL)
        json_object_set_new(vec, h->t[i].name, json_stringn(sig, len));
    }
    json_object_set_new(o, "vector", vec);
    json_object_set_new(o, "seed", json_string(c->seed_id));
    for (size_t i = 0; i < c->m.n; i++) {
      char line[700];
      hunt_mut_format(&c->m.m[i], line, sizeof line);
      json_array_append_new(muts, json_string(line));
    }
    json_object_set_new(o, "mutations", muts);
    const char *rfc = c->m.n ? hunt_mut_rfc(&c->m.m[0]) : NULL;
    json_object_set_new(o, "rfc", rfc ? json_string(rfc) : json_null());
    json_object_set_new(o, "count", json_integer((json_int_t)c->count));
    json_object_set_new(o, "first_mutant", json_integer((json_int_t)c->first));
    json_object_set_new(o, "stable", json_boolean(c->stable));
    json_array_append_new(classes, o);
  }
  free(v);
  json_object_set_new(root, "classes", classes);
  int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  json_decref(root);
  return rc == 0;
}

static bool write_markdown(const hunt *h, double seconds, const char *path) {
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return false;
  fprintf(f, "# tlsgauntlet hunt\n\n");
  fprintf(f, "%lu mutants of %zu seeds in %.0f s (%.1f/s), %s strategy, random seed %llu; ",
          h->mutants, h->n_seeds, seconds, seconds > 0 ? (double)h->mutants / seconds : 0.0,
          h->o->strategy == S_GUIDED ? "guided" : "random", (unsigned long long)h->first_seed);
  fprintf(f,
          "%lu disagreed differently from their seed; %lu of them as an existing scenario with "
          "the same kind of misbehaviour does; %zu classes.\n\n",
          h->disagreements, h->explained, h->n_classes);
  fprintf(f, "| class | kind | ");
  for (size_t i = 0; i < h->n_t; i++)
    fprintf(f, "%s | ", h->t[i].name);
  fprintf(f, "seed | mutations | mutants |\n|---|---|");
  for (size_t i = 0; i < h->n_t + 3; i++)
    fprintf(f, "---|");
  fputc('\n', f);
  hunt_class **v = ranked(h);
  for (size_t k = 0; v != NULL && k < h->n_classes; k++) {
    const hunt_class *c = v[k];
    fprintf(f, "| [%s](%s)%s | %s | ", c->id + 5, c->file, c->stable ? "" : " (unstable)",
            hunt_diff_name(c->diff));
    for (size_t i = 0; i < h->n_t; i++) {
      size_t len = 0;
      const char *sig = vector_entry(h, c->vector, i, &len);
      fprintf(f, "%.*s | ", (int)len, sig ? sig : "");
    }
    fprintf(f, "%s | ", c->seed_id);
    for (size_t i = 0; i < c->m.n; i++) {
      char line[700];
      hunt_mut_format(&c->m.m[i], line, sizeof line);
      fprintf(f, "%s`%s`", i ? "<br>" : "", line);
    }
    fprintf(f, " | %lu |\n", c->count);
  }
  free(v);
  return fclose(f) == 0;
}

static void progress(const hunt *h, double elapsed, bool final) {
  if (h->o->quiet)
    return;
  static double last;
  bool tty = isatty(2);
  if (!final && !tty && elapsed - last < 30)
    return;
  last = elapsed;
  double budget = h->o->seconds;
  char left[48] = "";
  if (budget > 0 && !final)
    snprintf(left, sizeof left, "  left %.0fs", budget - elapsed > 0 ? budget - elapsed : 0);
  fprintf(stderr, "%shunt: %lu mutants (%.1f/s)  %lu disagreements  %zu classes  elapsed %.0fs%s%s",
          tty ? "\r" : "", h->mutants, elapsed > 0 ? (double)h->mutants / elapsed : 0.0,
          h->disagreements, h->n_classes, elapsed, left, tty && !final ? "   " : "\n");
}

/* ---- The command ---------------------------------------------------------------------------- */

static int setup(hunt *h, const hunt_opts *o, char *argv0) {
  h->o = o;
  h->rng.s = o->seed;
  h->first_seed = o->seed;
  const char *dir =
      o->scenarios_dir ? o->scenarios_dir : sc_default_dir(argv0, h->scen_dir, sizeof h->scen_dir);
  if (dir == NULL)
    return bad_usage("no vectors/scenarios found; use --scenarios DIR%s", "");
  if (dir != h->scen_dir)
    snprintf(h->scen_dir, sizeof h->scen_dir, "%s", dir);
  snprintf(h->certs, sizeof h->certs, "%.4096s/%s", h->scen_dir, SC_CERTS_SUBDIR);
  h->env = (run_env){.certs_dir = h->certs};
  for (size_t i = 0; i < o->n_impls; i++) {
    char why[1024];
    if (!runner_adapter_target(o->impls[i], h->paths[i], sizeof h->paths[i], o->timeout_ms,
                               &h->t[i], why, sizeof why))
      return bad_usage("%s", why);
  }
  h->n_t = o->n_impls;
  h->players = (hunt_players){.t = h->t, .n_t = h->n_t, .env = &h->env, .jobs = o->jobs};
  if (!opt_output_dir("hunt", "--out", o->out))
    return EXIT_BAD_INPUT;
  char classes[8192];
  snprintf(classes, sizeof classes, "%s/classes", o->out);
  if (!opt_output_dir("hunt", "--out", classes))
    return EXIT_BAD_INPUT;
  if (!sc_load_for_command(&h->suite, h->scen_dir, o->requirements_dir, (char **)o->seeds,
                           o->n_seeds))
    return EXIT_BAD_INPUT;
  h->seeds = calloc(h->suite.n + 1, sizeof *h->seeds);
  h->corpus = calloc(MAX_CORPUS, sizeof *h->corpus);
  if (h->seeds == NULL || h->corpus == NULL)
    return EXIT_BAD_INPUT;
  for (size_t k = 0; k < h->suite.n; k++)
    if (opt_in_shard(k, o->shard_i, o->shard_n))
      h->seeds[h->n_seeds++] = &h->suite.v[k];
  if (h->n_seeds == 0)
    return bad_usage("no seed scenario selected%s", "");
  return 0;
}

static void teardown(hunt *h) {
  free(h->seeds), free(h->seed_vec), free(h->usable), free(h->classes), free(h->corpus);
  free(h->seen), free(h->tried), free(h->known);
  sc_suite_free(&h->suite);
}

static void hunt_loop(hunt *h, double t0) {
  size_t batch = HUNT_BATCH;
  hunt_mutant *m = calloc(batch, sizeof *m);
  const sc_scenario **sc = calloc(batch, sizeof *sc);
  size_t *which = calloc(batch, sizeof *which);
  run_result *res = calloc(batch * h->n_t, sizeof *res);
  if (m == NULL || sc == NULL || which == NULL || res == NULL)
    goto out;
  while (!stop_asked) {
    double elapsed = now_s() - t0 + h->seconds_before;
    if (h->o->mutants > 0 ? h->mutants >= h->o->mutants : elapsed >= h->o->seconds)
      break;
    size_t n = batch;
    if (h->o->mutants > 0 && h->o->mutants - h->mutants < n)
      n = h->o->mutants - h->mutants;
    for (size_t k = 0; k < n; k++)
      make_mutant(h, &m[k]);
    sc_suite s;
    size_t n_sc;
    sc_suite_init(&s);
    load_mutants(h, m, n, &s, sc, &n_sc, which);
    memset(res, 0, batch * h->n_t * sizeof *res);
    hunt_play(&h->players, sc, n_sc, res);
    unsigned long base = h->mutants;
    h->mutants += n;
    for (size_t k = 0; k < n_sc && !stop_asked; k++)
      examine(h, &m[which[k]], &res[k * h->n_t], base + which[k]);
    hunt_results_free(res, n_sc * h->n_t);
    sc_suite_free(&s);
    elapsed = now_s() - t0 + h->seconds_before;
    if (!save_state(h, elapsed))
      fprintf(stderr, "tlsgauntlet hunt: cannot write %s/state\n", h->o->out);
    progress(h, elapsed, false);
    spawn_sweep_now_and_then();
  }
out:
  free(m), free(sc), free(which), free(res);
}

int cmd_hunt(int argc, char **argv) {
  hunt_opts o;
  int rc = parse_args(&o, argc, argv);
  if (rc != 0)
    return rc < 0 ? EXIT_OK : rc;
  hunt h = {0};
  spawn_init(); /* before the first target starts; spawn.h */
  rc = setup(&h, &o, argv[0]);
  if (rc == 0 && o.resume && !load_state(&h))
    rc = EXIT_BAD_INPUT;
  if (rc == 0 && !play_seeds(&h))
    rc = EXIT_BAD_INPUT;
  if (rc == 0 && h.n_usable == 0) {
    fprintf(stderr, "tlsgauntlet hunt: no seed gave a conclusive result on two implementations\n");
    rc = EXIT_BAD_INPUT;
  }
  if (rc == 0) {
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (!o.quiet)
      fprintf(stderr, "tlsgauntlet hunt: %zu seeds (%zu usable), random seed %llu, out %s\n",
              h.n_seeds, h.n_usable, (unsigned long long)h.first_seed, o.out);
    double t0 = now_s();
    hunt_loop(&h, t0);
    double seconds = now_s() - t0 + h.seconds_before;
    progress(&h, seconds, true);
    char path[8192];
    snprintf(path, sizeof path, "%s/report.json", o.out);
    bool ok = save_state(&h, seconds) && write_json(&h, seconds, path);
    snprintf(path, sizeof path, "%s/report.md", o.out);
    ok = write_markdown(&h, seconds, path) && ok;
    if (!ok)
      fprintf(stderr, "tlsgauntlet hunt: cannot write the state or the reports in %s\n", o.out);
    if (h.load_failures > 0)
      fprintf(stderr, "tlsgauntlet hunt: %lu mutants did not load (a bug of the mutator)\n",
              h.load_failures);
    printf("%zu classes from %lu mutants in %.0f s: %s/report.md\n", h.n_classes, h.mutants,
           seconds, o.out);
    rc = ok ? EXIT_OK : EXIT_BAD_INPUT;
  }
  spawn_sweep();
  teardown(&h);
  return rc;
}
