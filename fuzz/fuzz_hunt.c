/* fuzz_hunt: the mutator and oracle of `tlsgauntlet hunt` (docs/hunting.md) as a libFuzzer
 * target, so that ClusterFuzzLite or OSS-Fuzz hunts on as many machines as it is given
 * (docs/fuzzing.md, "Hunting at scale").
 *
 * An input is text: a seed scenario's id on the first line, then at most HUNT_MAX_MUTS mutations,
 * one a line, in hunt_mut_format's form ("dev SPEC", "step AT alert fatal decode_error", ...).
 * Anything else is not played. LLVMFuzzerCustomMutator adds one mutation with hunt_mutate, so
 * libFuzzer's byte mutations never run and every mutant is one the deviation table accepts.
 *
 * Each input's mutant is played against every adapter at once (runner_play_all). What each did
 * is its signature (hunt_oracle.h). A disagreement whose vector is not its seed's, or a crash, is
 * a finding. It is minimised as hunt minimises (mutations dropped while the vector stays); its
 * class key is the vector and the sorted shapes of the mutations left, as in hunt, and it is
 * written once per key: $TG_HUNT_FINDINGS/HASH.yaml, HASH the key's 64-bit FNV-1a. The file
 * name is the dedup, so the findings of many machines merge by name.
 *
 * Feedback: libFuzzer sees the coverage of this process (the scripted endpoint, the runner) and
 * one extra counter per (seed, vector) pair. A mutant that made the implementations do something
 * new for its seed is kept in the corpus, as hunt's guided strategy keeps it.
 *
 * Environment: TG_SCENARIOS (the scenarios), TG_HUNT_PEERS (a comma list of adapter names or
 * paths; default builtin,gnutls,openssl,boringssl, those whose adapter is found), TG_HUNT_FINDINGS
 * (default ./hunt-findings), TG_HUNT_ABORT=1 (a new finding also aborts, so that the engine
 * reports it as a crash with its input). */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_opts.h"
#include "fuzz_common.h"
#include "hunt.h"
#include "hunt_oracle.h"
#include "hunt_play.h"
#include "impls.h"
#include "runner.h"
#include "scenario.h"
#include "scenario_cli.h"
#include "spawn.h"

#define DEFAULT_PEERS "builtin,gnutls,openssl,boringssl"
#define TIMEOUT_MS 2000     /* each run's deadline, hunt's default */
#define LINE_MAX_CHARS 1024 /* one line of an input */
#define INPUT_MAX (LINE_MAX_CHARS * (HUNT_MAX_MUTS + 1))
#define SEED_TRIES 16         /* draws of a fresh seed that avoid those known to be unusable */
#define BEHAVIOURS (1u << 16) /* extra counters: (seed, vector) pairs, hashed */
#define TRIED (1u << 16)      /* class keys remembered as minimised */

/* libFuzzer adds these counters to its coverage (FuzzerExtraCounters.cpp) and clears them
 * before each input; outside libFuzzer they are plain memory. */
__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t behaviours[BEHAVIOURS];

typedef enum seed_state { SEED_UNPLAYED = 0, SEED_USABLE, SEED_UNUSABLE } seed_state;

static struct {
  bool ready;
  bool skip; /* a replay with fewer than two adapters: nothing to compare, nothing played */
  bool abort_new;
  char scen_dir[4096], certs[4200];
  const char *findings;
  sc_suite suite;
  run_target t[TG_MAX_IMPLS];
  char paths[TG_MAX_IMPLS][4096];
  char names[TG_MAX_IMPLS][256];
  size_t n_t;
  run_env env;
  hunt_players players; /* every adapter at once */
  /* Per seed of the suite, computed on the first input that uses it. */
  seed_state *state;
  char (*seed_vec)[HUNT_KEY_MAX];
} g;

/* ---- Setting up ------------------------------------------------------------------------------ */

static uint64_t fnv1a(const char *s, uint64_t h) {
  for (; *s; s++)
    h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
  return h;
}
#define FNV_BASIS 14695981039346656037ULL

/* The directory of this program (OSS-Fuzz's $OUT, a build directory). */
static bool exe_dir(char *buf, size_t cap) {
  ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
  if (n <= 0)
    return false;
  buf[n] = '\0';
  char *slash = strrchr(buf, '/');
  if (slash == NULL)
    return false;
  *slash = '\0';
  return true;
}

/* $TG_SCENARIOS or the source tree's (sc_default_dir), else DIR_OF_PROGRAM/fuzz_hunt_scenarios,
 * where fuzz/build.sh puts them beside the target. */
static bool find_scenarios(const char *argv0) {
  if (sc_default_dir(argv0, g.scen_dir, sizeof g.scen_dir) != NULL)
    return true;
  char dir[4096];
  struct stat st;
  if (!exe_dir(dir, sizeof dir))
    return false;
  snprintf(g.scen_dir, sizeof g.scen_dir, "%.4000s/fuzz_hunt_scenarios", dir);
  return stat(g.scen_dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The adapters of $TG_HUNT_PEERS (each must be found) or of the default list (those found). */
static bool find_adapters(void) {
  const char *env = getenv("TG_HUNT_PEERS");
  bool given = env != NULL && env[0] != '\0';
  char list[4096];
  snprintf(list, sizeof list, "%s", given ? env : DEFAULT_PEERS);
  char *save = NULL;
  for (char *name = strtok_r(list, ",", &save); name != NULL; name = strtok_r(NULL, ",", &save)) {
    char why[1024];
    if (g.n_t == TG_MAX_IMPLS) {
      fprintf(stderr, "fuzz_hunt: TG_HUNT_PEERS: more than %d adapters\n", TG_MAX_IMPLS);
      return false;
    }
    /* runner_adapter_target keeps pointers into its value and path: both live in g. */
    snprintf(g.names[g.n_t], sizeof g.names[g.n_t], "%s", name);
    if (runner_adapter_target(g.names[g.n_t], g.paths[g.n_t], sizeof g.paths[g.n_t], TIMEOUT_MS,
                              &g.t[g.n_t], why, sizeof why)) {
      g.n_t++;
    } else if (given) {
      fprintf(stderr, "fuzz_hunt: TG_HUNT_PEERS: %s\n", why);
      return false;
    } else {
      fprintf(stderr, "fuzz_hunt: without %s: %s\n", name, why);
    }
  }
  return true;
}

/* Everything an input needs. replay: only the given inputs are run (ctest's corpus replay), so
 * fewer than two adapters skips them instead of ending the process. */
static void setup(const char *argv0, bool replay) {
  g.ready = true;
  spawn_init();             /* before the first adapter starts (spawn.h) */
  signal(SIGPIPE, SIG_IGN); /* a closed pipe is an error to handle, not the end */
  sc_error err;
  sc_suite_init(&g.suite);
  if (!find_scenarios(argv0)) {
    fprintf(stderr, "fuzz_hunt: no scenarios found: set TG_SCENARIOS to vectors/scenarios\n");
    exit(1);
  }
  if (!sc_load_paths(&g.suite, g.scen_dir, NULL, 0, &err)) {
    fprintf(stderr, "fuzz_hunt: %s\n", err.text);
    exit(1);
  }
  if (g.suite.n == 0) {
    fprintf(stderr, "fuzz_hunt: no scenarios in %s\n", g.scen_dir);
    exit(1);
  }
  snprintf(g.certs, sizeof g.certs, "%.4096s/%s", g.scen_dir, SC_CERTS_SUBDIR);
  g.env = (run_env){.certs_dir = g.certs};
  if (!find_adapters())
    exit(1);
  g.players = (hunt_players){.t = g.t, .n_t = g.n_t, .env = &g.env, .jobs = (int)g.n_t};
  if (g.n_t < 2) {
    fprintf(stderr,
            "fuzz_hunt: comparing needs two adapters, %zu found (build tg-peer-builtin and "
            "tg-peer-gnutls, or set TG_HUNT_PEERS)%s\n",
            g.n_t, replay ? ": the inputs are not played" : "");
    if (!replay)
      exit(1);
    g.skip = true;
    return;
  }
  g.findings = getenv("TG_HUNT_FINDINGS");
  if (g.findings == NULL || g.findings[0] == '\0')
    g.findings = "hunt-findings";
  if (!opt_output_dir("fuzz_hunt", "TG_HUNT_FINDINGS", g.findings))
    exit(1);
  const char *ab = getenv("TG_HUNT_ABORT");
  g.abort_new = ab != NULL && strcmp(ab, "1") == 0;
  g.state = calloc(g.suite.n, sizeof *g.state);
  g.seed_vec = calloc(g.suite.n, sizeof *g.seed_vec);
  if (g.state == NULL || g.seed_vec == NULL) {
    fprintf(stderr, "fuzz_hunt: out of memory\n");
    exit(1);
  }
  fprintf(stderr, "fuzz_hunt: %zu seeds from %s; comparing", g.suite.n, g.scen_dir);
  for (size_t i = 0; i < g.n_t; i++)
    fprintf(stderr, " %s", g.t[i].name);
  fprintf(stderr, "; findings in %s%s\n", g.findings, g.abort_new ? " (a new one aborts)" : "");
}

/* The runner's sweeps kill every child of this process it did not start (spawn.h): the
 * sanitizers' symbolizer too, which libFuzzer starts to print each new function it covers. So
 * that it is not started before a crash report, -print_funcs=0 goes on the command line unless
 * one is given. (A symbolizer killed all the same gives EPIPE, SIGPIPE being ignored, and the
 * sanitizer starts another.) */
static void quiet_symbolizer(int *argc, char ***argv) {
  static char flag[] = "-print_funcs=0";
  static char **args;
  for (int i = 1; i < *argc; i++)
    if (strncmp((*argv)[i], "-print_funcs=", 13) == 0)
      return;
  if ((args = calloc((size_t)*argc + 2, sizeof *args)) == NULL)
    return;
  memcpy(args, *argv, (size_t)*argc * sizeof *args);
  args[(*argc)++] = flag;
  *argv = args;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  bool replay = false; /* -runs=0: the inputs given are run once, nothing is fuzzed */
  for (int i = 1; i < *argc; i++)
    replay |= strcmp((*argv)[i], "-runs=0") == 0;
  quiet_symbolizer(argc, argv);
  setup((*argv)[0], replay);
  return 0;
}

/* ---- Inputs ---------------------------------------------------------------------------------- */

static size_t seed_index(const char *id) {
  for (size_t k = 0; k < g.suite.n; k++)
    if (strcmp(g.suite.v[k].id, id) == 0)
      return k;
  return SIZE_MAX;
}

/* The input's mutant; false for anything but a known seed's id and at most HUNT_MAX_MUTS
 * mutation lines that parse (a last line break is allowed, no empty line). */
static bool parse_input(const uint8_t *data, size_t size, hunt_mutant *m) {
  if (size == 0 || size > INPUT_MAX || memchr(data, '\0', size) != NULL)
    return false;
  char text[INPUT_MAX + 1];
  memcpy(text, data, size);
  text[size] = '\0';
  char *line = text;
  bool ok = true;
  *m = (hunt_mutant){.seed = SIZE_MAX};
  for (size_t k = 0; ok && line != NULL && *line != '\0'; k++) {
    char *nl = strchr(line, '\n');
    if (nl != NULL)
      *nl = '\0';
    if (strlen(line) >= LINE_MAX_CHARS)
      ok = false;
    else if (k == 0)
      ok = (m->seed = seed_index(line)) != SIZE_MAX;
    else
      ok = m->n < HUNT_MAX_MUTS && hunt_mut_parse(line, &m->m[m->n++]);
    line = nl != NULL ? nl + 1 : NULL;
  }
  return ok && m->seed != SIZE_MAX;
}

/* The mutant as an input into buf (at most cap bytes, no NUL); its length, 0 when it does not
 * fit. */
static size_t format_input(const hunt_mutant *m, char *buf, size_t cap) {
  char text[INPUT_MAX + 2 * LINE_MAX_CHARS];
  size_t used = (size_t)snprintf(text, sizeof text, "%s\n", g.suite.v[m->seed].id);
  for (size_t i = 0; i < m->n && used < sizeof text; i++) {
    char line[LINE_MAX_CHARS];
    hunt_mut_format(&m->m[i], line, sizeof line);
    used += (size_t)snprintf(text + used, sizeof text - used, "%s\n", line);
  }
  if (used >= sizeof text || used > cap)
    return 0;
  memcpy(buf, text, used);
  return used;
}

/* The one-line form is the input format and hunt's state: a line formatted from a parsed
 * mutation must parse again, to the same line. */
static void check_round_trip(const hunt_mutant *m) {
  for (size_t i = 0; i < m->n; i++) {
    char once[LINE_MAX_CHARS], twice[LINE_MAX_CHARS];
    hunt_mut again;
    hunt_mut_format(&m->m[i], once, sizeof once);
    TG_FUZZ_ASSERT(hunt_mut_parse(once, &again), "a formatted mutation does not parse: %s", once);
    hunt_mut_format(&again, twice, sizeof twice);
    TG_FUZZ_ASSERT(strcmp(once, twice) == 0, "'%s' parses back as '%s'", once, twice);
  }
}

/* ---- Playing --------------------------------------------------------------------------------- */

/* The seed's vector, played once on first use. A seed with fewer than two conclusive
 * signatures is not mutated (as in hunt): nothing it gives can be compared. */
static bool seed_usable(size_t k) {
  if (g.state[k] == SEED_UNPLAYED) {
    run_result res[TG_MAX_IMPLS];
    const sc_scenario *sc[1] = {&g.suite.v[k]};
    hunt_play(&g.players, sc, 1, res);
    bool usable = hunt_seed_vector(&g.players, res, g.seed_vec[k], sizeof g.seed_vec[k]);
    hunt_results_free(res, g.n_t);
    g.state[k] = usable ? SEED_USABLE : SEED_UNUSABLE;
  }
  return g.state[k] == SEED_USABLE;
}

/* Adds h to the set of class keys already minimised (open addressing, 0 empty); false when it
 * was there. A full set forgets nothing but adds nothing: keys are minimised again. */
static bool tried_add(uint64_t h) {
  static uint64_t set[TRIED];
  static size_t n;
  h = h ? h : 1;
  for (size_t k = h % TRIED;; k = (k + 1) % TRIED) {
    if (set[k] == h)
      return false;
    if (set[k] == 0) {
      if (n < TRIED / 2)
        set[k] = h, n++;
      return true;
    }
  }
}

/* ---- Findings -------------------------------------------------------------------------------- */

static char *finding_comment(const hunt_mutant *m, hunt_diff d, const char *vec, const char *key) {
  const sc_scenario *seed = &g.suite.v[m->seed];
  size_t cap = 8192, used = 0;
  char *s = malloc(cap);
  if (s == NULL)
    return NULL;
#define ADD(...) used += (size_t)snprintf(s + used, used < cap ? cap - used : 0, __VA_ARGS__)
  ADD("Found by fuzz_hunt: a disagreement of kind %s.\n", hunt_diff_name(d));
  ADD("Vector: %s\n", vec);
  hunt_comment_origin(s, cap, &used, seed, g.seed_vec[m->seed], m);
  ADD("Class key: %s\n", key);
  ADD("The expect steps are the seed's: triage it as a hunt class (docs/hunting.md, \"Triage\").");
#undef ADD
  return s;
}

static bool write_all(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return false;
  bool ok = fputs(text, f) >= 0;
  return fclose(f) == 0 && ok;
}

/* Writes the finding unless a file of its key is there; true when it is new. The text goes to
 * a temporary file first and is linked under its name, so that a finding is never seen half
 * written, and two processes that find one class at once write it once. */
static bool write_finding(const hunt_mutant *m, hunt_diff d, const char *vec, const char *key) {
  char hex[17], path[4200], tmp[4300], id[64];
  struct stat st;
  snprintf(hex, sizeof hex, "%016llx", (unsigned long long)fnv1a(key, FNV_BASIS));
  snprintf(path, sizeof path, "%.4096s/%s.yaml", g.findings, hex);
  if (stat(path, &st) == 0)
    return false;
  snprintf(id, sizeof id, "hunt/fuzz-%s-%s", hunt_diff_name(d), hex);
  char *comment = finding_comment(m, d, vec, key);
  char *text = comment ? hunt_mutant_yaml(&g.suite.v[m->seed], m, id, comment) : NULL;
  snprintf(tmp, sizeof tmp, "%.4096s/.%s.%ld.tmp", g.findings, hex, (long)getpid());
  bool fresh = false;
  if (text == NULL || !write_all(tmp, text))
    fprintf(stderr, "fuzz_hunt: cannot write %s: %s\n", tmp, text ? strerror(errno) : "no text");
  else if (link(tmp, path) == 0)
    fresh = true;
  else if (errno != EEXIST)
    fprintf(stderr, "fuzz_hunt: cannot write %s: %s\n", path, strerror(errno));
  unlink(tmp);
  free(comment);
  free(text);
  if (fresh)
    fprintf(stderr, "fuzz_hunt: new finding %s: %s\n", path, vec);
  return fresh;
}

/* What one mutant's results say: a behaviour counter, and a finding when the implementations
 * disagree differently from the seed (or one crashed). */
static void examine(const hunt_mutant *m, const run_result *res) {
  char vec[HUNT_KEY_MAX], key[HUNT_KEY_MAX + 256];
  const sc_scenario *seed = &g.suite.v[m->seed];
  hunt_vector(res, g.n_t, vec, sizeof vec);
  behaviours[fnv1a(vec, fnv1a("|", fnv1a(seed->id, FNV_BASIS))) % BEHAVIOURS] = 1;
  hunt_diff d = hunt_disagreement(res, g.n_t);
  if (d == HD_NONE || (d != HD_CRASH && strcmp(vec, g.seed_vec[m->seed]) == 0))
    return;
  hunt_class_key(m, vec, key, sizeof key);
  if (!tried_add(fnv1a(key, FNV_BASIS)))
    return; /* minimised before: its class is written or known */
  hunt_mutant min = *m;
  hunt_minimise(&g.players, &g.suite.v[min.seed], &min, vec, NULL);
  hunt_class_key(&min, vec, key, sizeof key);
  if (write_finding(&min, d, vec, key) && g.abort_new) {
    char text[INPUT_MAX + 1];
    size_t n = format_input(&min, text, sizeof text - 1);
    text[n] = '\0';
    fprintf(stderr, "fuzz_hunt: aborting on a new finding (TG_HUNT_ABORT=1), minimised:\n%s", text);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!g.ready) /* the replayer (fuzz/replay_main.c) calls no LLVMFuzzerInitialize */
    setup(NULL, true);
  hunt_mutant m;
  if (g.skip || !parse_input(data, size, &m))
    return 0;
  check_round_trip(&m);
  if (!seed_usable(m.seed))
    return 0;
  sc_suite s;
  sc_error err;
  sc_suite_init(&s);
  /* A mutation that parses may still not apply to this seed (a step past its end, too many
   * deviations): such an input is not played. */
  if (hunt_mutant_load(&g.suite.v[m.seed], &m, "hunt/fuzz-mutant", &s, &err) && s.n == 1) {
    run_result res[TG_MAX_IMPLS];
    const sc_scenario *sc[1] = {&s.v[0]};
    hunt_play(&g.players, sc, 1, res);
    examine(&m, res);
    hunt_results_free(res, g.n_t);
  }
  sc_suite_free(&s);
  spawn_sweep_now_and_then();
  return 0;
}

/* ---- The mutator ----------------------------------------------------------------------------- */

static void drop_one(hunt_mutant *m, hunt_rng *rng) {
  size_t k = (size_t)hunt_rng_below(rng, m->n);
  memmove(&m->m[k], &m->m[k + 1], (m->n - k - 1) * sizeof m->m[0]);
  m->n--;
}

/* A seed drawn at random, avoiding those already known to be unusable. */
static size_t draw_seed(hunt_rng *rng) {
  size_t k = 0;
  for (int i = 0; i < SEED_TRIES; i++) {
    k = (size_t)hunt_rng_below(rng, g.suite.n);
    if (g.state == NULL || g.state[k] != SEED_UNUSABLE)
      break;
  }
  return k;
}

/* The input's mutant with one mutation more (an input that does not parse starts afresh from a
 * random seed); when it is full, or its seed's deviations leave no room, one is dropped first. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed) {
  if (!g.ready)
    setup(NULL, false);
  hunt_rng rng = {.s = seed};
  hunt_mutant m;
  if (g.skip)
    return size <= max ? size : 0;
  if (!parse_input(data, size, &m))
    m = (hunt_mutant){.seed = draw_seed(&rng)};
  const sc_scenario *sc = &g.suite.v[m.seed];
  if (m.n == HUNT_MAX_MUTS)
    drop_one(&m, &rng);
  if (!hunt_mutate(sc, &m, &rng) && m.n > 0) {
    drop_one(&m, &rng);
    (void)hunt_mutate(sc, &m, &rng);
  }
  size_t n;
  while ((n = format_input(&m, (char *)data, max)) == 0 && m.n > 0)
    m.n--; /* too long for libFuzzer's max_len: the last mutations go */
  return n;
}
