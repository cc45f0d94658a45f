/* tlsgauntlet selftest: whether each scenario can fail.
 *
 * Every scenario that expects a rejection (an `expect: alert` or `expect: close` step) is played
 * against the permissive target: the built-in engine compiled with TG_PERMISSIVE_BUILD
 * (tls/src/engine/permissive.h), which lets through every check on the peer's input it can go on
 * from and never sends an alert. A scenario that still passes against it cannot detect what its
 * title says; it must be fixed, or carry `sensitivity: none` with the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "runner.h"
#include "scenario.h"
#include "scenario_cli.h"
#include "spawn.h"

#define MAX_PATHS 64

static const char usage[] =
    "usage: tlsgauntlet selftest [SUITE|FILE|DIR...] [options]\n"
    "\n"
    "Plays every scenario that expects a rejection (expect: alert or close) against a permissive\n"
    "target, the built-in engine with its checks on the peer's input let through and no alerts,\n"
    "and lists the scenarios that still pass: they cannot fail, whatever a target does.\n"
    "\n"
    "  --filter GLOB         scenario ids matching GLOB (repeatable; '*' and '?' are\n"
    "                        wildcards, '[' and ']' themselves, as in matrix ids)\n"
    "  --jobs N              runs at once (default: the number of cores)\n"
    "  --permissive PATH     the permissive adapter (default: test-peers/tg-peer-permissive\n"
    "                        in the adapters' directory: beside this program in a build\n"
    "                        tree, PREFIX/libexec/tlsgauntlet when installed)\n"
    "  --scenarios DIR       where suites live (default: vectors/scenarios)\n"
    "  --requirements DIR    the catalogue the scenarios' requires: ids must be in (default:\n"
    "                        the requirements directory beside the scenarios directory)\n"
    "  --timeout-ms MS       each scenario's deadline (default: its own); a scenario that fails\n"
    "                        against the permissive target only by timing out is listed apart\n"
    "  --verbose             every scenario with its result\n"
    "  --quiet               no progress line\n"
    "\n"
    "A scenario may say it cannot fail, and why:\n"
    "  sensitivity: none\n"
    "  sensitivity_reason: \"close_notify ends the connection whatever the target thinks\"\n"
    "\n"
    "Exit status: 0 every rejection scenario can fail (or is marked), 1 one cannot (or one marked\n"
    "sensitivity: none can fail after all: drop the mark), 2 bad usage or input.\n";

typedef struct selftest_opts {
  char *paths[MAX_PATHS];
  size_t n_paths;
  const char *filters[MAX_PATHS];
  size_t n_filters;
  int jobs, timeout_ms;
  const char *permissive, *scenarios_dir, *requirements_dir;
  bool verbose, quiet;
} selftest_opts;

static int bad_usage(const char *what, const char *arg) {
  fprintf(stderr, "tlsgauntlet selftest: %s%s\n(tlsgauntlet selftest --help)\n", what, arg);
  return EXIT_BAD_INPUT;
}

/* 0 to go on, -1 after --help, else the exit status. */
static int parse_args(selftest_opts *o, int argc, char **argv) {
  *o = (selftest_opts){.jobs = opt_default_jobs()};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool has_value = i + 1 < argc;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage, stdout);
      return -1;
    } else if (strcmp(a, "--filter") == 0 && has_value && o->n_filters < MAX_PATHS) {
      o->filters[o->n_filters++] = argv[++i];
    } else if (strcmp(a, "--jobs") == 0 && has_value) {
      long jobs;
      if (!opt_number("selftest", "--jobs", argv[++i], 1, OPT_MAX_JOBS, &jobs))
        return EXIT_BAD_INPUT;
      o->jobs = (int)jobs;
    } else if (strcmp(a, "--timeout-ms") == 0 && has_value) {
      long ms;
      if (!opt_number("selftest", "--timeout-ms", argv[++i], 100, 600000, &ms))
        return EXIT_BAD_INPUT;
      o->timeout_ms = (int)ms;
    } else if (strcmp(a, "--permissive") == 0 && has_value) {
      o->permissive = argv[++i];
    } else if (strcmp(a, "--scenarios") == 0 && has_value) {
      o->scenarios_dir = argv[++i];
    } else if (strcmp(a, "--requirements") == 0 && has_value) {
      o->requirements_dir = argv[++i];
    } else if (strcmp(a, "--verbose") == 0) {
      o->verbose = true;
    } else if (strcmp(a, "--quiet") == 0) {
      o->quiet = true;
    } else if (a[0] == '-') {
      return bad_usage("unknown option or missing value: ", a);
    } else if (o->n_paths < MAX_PATHS) {
      o->paths[o->n_paths++] = argv[i];
    }
  }
  return 0;
}

/* The scenarios that expect the target to reject something. */
static bool expects_rejection(const sc_scenario *s) {
  for (size_t i = 0; i < s->n_steps; i++)
    if (s->steps[i].kind == SC_STEP_EXPECT &&
        (s->steps[i].expect == SC_EXPECT_ALERT || s->steps[i].expect == SC_EXPECT_CLOSE))
      return true;
  return false;
}

static bool selected(const selftest_opts *o, const sc_scenario *s) {
  if (!expects_rejection(s))
    return false;
  if (o->n_filters == 0)
    return true;
  for (size_t i = 0; i < o->n_filters; i++)
    if (opt_id_matches(o->filters[i], s->id))
      return true;
  return false;
}

/* What one result says of its scenario. */
typedef enum finding {
  F_CAN_FAIL,     /* it failed against the permissive target */
  F_TIMEOUT_ONLY, /* it failed only by waiting out its deadline */
  F_UNPROVEN,     /* inconclusive or skip: the run proves nothing either way */
  F_CANNOT_FAIL,  /* it passed */
  F_MARKED,       /* it passed, and says why (sensitivity: none) */
  F_MARK_WRONG,   /* it is marked, yet it failed: the mark is stale */
  F_COUNT
} finding;

static finding classify(const run_result *r) {
  bool marked = r->scenario->insensitive != NULL;
  switch (r->raw) {
  case V_PASS: return marked ? F_MARKED : F_CANNOT_FAIL;
  case V_TIMEOUT: return F_TIMEOUT_ONLY;
  case V_INCONCLUSIVE:
  case V_SKIP: return F_UNPROVEN;
  default: return marked ? F_MARK_WRONG : F_CAN_FAIL;
  }
}

static const char *const finding_titles[F_COUNT] = {
    [F_CAN_FAIL] = "can fail",
    [F_TIMEOUT_ONLY] = "fail against it only by timing out",
    [F_UNPROVEN] = "unproven (inconclusive or skipped against it)",
    [F_CANNOT_FAIL] = "CANNOT FAIL: they pass against a target that rejects nothing",
    [F_MARKED] = "cannot fail, marked sensitivity: none",
    [F_MARK_WRONG] = "marked sensitivity: none, yet they fail: drop the mark",
};

static void report(const selftest_opts *o, const run_result *res, size_t n) {
  size_t count[F_COUNT] = {0};
  for (size_t k = 0; k < n; k++)
    count[classify(&res[k])]++;
  printf("%zu rejection scenarios against the permissive target:\n", n);
  for (int f = 0; f < F_COUNT; f++)
    printf("  %5zu %s\n", count[f], finding_titles[f]);
  static const finding listed[] = {F_CANNOT_FAIL, F_MARK_WRONG, F_MARKED, F_UNPROVEN,
                                   F_TIMEOUT_ONLY};
  for (size_t l = 0; l < sizeof listed / sizeof listed[0]; l++) {
    finding f = listed[l];
    bool quiet_kind = f == F_TIMEOUT_ONLY || f == F_UNPROVEN;
    if (count[f] == 0 || (quiet_kind && !o->verbose))
      continue;
    printf("\n%s:\n", finding_titles[f]);
    for (size_t k = 0; k < n; k++) {
      if (classify(&res[k]) != f)
        continue;
      const sc_scenario *s = res[k].scenario;
      printf("  %s (%s)", s->id, s->file);
      if (f == F_MARKED)
        printf(": %s", s->insensitive);
      else if (f != F_CANNOT_FAIL)
        printf(": %s", res[k].got);
      putchar('\n');
    }
  }
  if (o->verbose) {
    printf("\nevery result:\n");
    for (size_t k = 0; k < n; k++)
      printf("  %-60s %s: %s\n", res[k].scenario->id, verdict_name(res[k].raw), res[k].got);
  }
}

/* The permissive adapter: --permissive, else test-peers/tg-peer-permissive of the adapters'
 * directory (beside us in a build tree, PREFIX/libexec/tlsgauntlet installed). */
static bool find_permissive(const selftest_opts *o, char *buf, size_t len) {
  if (o->permissive != NULL) {
    snprintf(buf, len, "%s", o->permissive);
    return access(buf, X_OK) == 0;
  }
  char self[2048];
  if (!harness_program_dir(self, sizeof self))
    return false;
  snprintf(buf, len, "%.2000s/test-peers/tg-peer-permissive", self);
  return access(buf, X_OK) == 0;
}

static int play(const selftest_opts *o, const char *scen_dir, const sc_scenario **sc, size_t n) {
  char path[4096], certs[4096];
  if (!find_permissive(o, path, sizeof path))
    return bad_usage("no permissive adapter (build tg-peer-permissive, or --permissive PATH): ",
                     path);
  snprintf(certs, sizeof certs, "%s/%s", scen_dir, SC_CERTS_SUBDIR);
  run_target t = {.name = "permissive", .peer_path = path, .listen_fd = -1};
  run_env env = {.certs_dir = certs};
  run_result *res = calloc(n + 1, sizeof *res);
  if (res == NULL)
    return EXIT_BAD_INPUT;
  runner_play_all(sc, n, &t, 1, &env, o->jobs, !o->quiet, res);
  report(o, res, n);
  bool bad = false;
  for (size_t k = 0; k < n; k++) {
    finding f = classify(&res[k]);
    bad |= f == F_CANNOT_FAIL || f == F_MARK_WRONG;
    run_result_free(&res[k]);
  }
  free(res);
  return bad ? EXIT_UNEXPECTED : EXIT_OK;
}

int cmd_selftest(int argc, char **argv) {
  selftest_opts o;
  int rc = parse_args(&o, argc, argv);
  if (rc != 0)
    return rc < 0 ? EXIT_OK : rc;
  char dirbuf[4096];
  const char *scen_dir =
      o.scenarios_dir ? o.scenarios_dir : sc_default_dir(argv[0], dirbuf, sizeof dirbuf);
  if (scen_dir == NULL)
    return bad_usage("no vectors/scenarios found; use --scenarios DIR", "");
  spawn_init(); /* before the first target starts; spawn.h */
  sc_suite suite;
  if (!sc_load_for_command(&suite, scen_dir, o.requirements_dir, o.paths, o.n_paths))
    return EXIT_BAD_INPUT;
  const sc_scenario **sc = calloc(suite.n + 1, sizeof *sc);
  size_t n = 0;
  for (size_t i = 0; sc != NULL && i < suite.n; i++) {
    if (!selected(&o, &suite.v[i]))
      continue;
    if (o.timeout_ms > 0)
      suite.v[i].timeout_ms = o.timeout_ms;
    sc[n++] = &suite.v[i];
  }
  if (n == 0) {
    fprintf(stderr, "tlsgauntlet selftest: no scenario that expects a rejection was selected\n");
    rc = EXIT_BAD_INPUT;
  } else {
    rc = play(&o, scen_dir, sc, n);
  }
  spawn_sweep(); /* what the last scenarios' adapters left, once the runner's sweeps stopped */
  free(sc);
  sc_suite_free(&suite);
  return rc;
}
