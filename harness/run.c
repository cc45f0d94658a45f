/* tlsgauntlet run: load the scenarios, play each against each implementation (in --jobs
 * threads, each run its own adapter process), apply the baselines, print the progress and the
 * matrix, write the reports. Exit 0 when every result is as expected, 1 otherwise, 2 on bad
 * usage or a bad scenario or baseline file. */
#define _GNU_SOURCE /* memmem, accept4, pipe2 */
#include <dirent.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "impls.h"
#include "report.h"
#include "runner.h"
#include "runner_internal.h"
#include "scenario.h"
#include "scenario_cli.h"
#include "spawn.h"

#define MAX_PATHS 64
#define STR_(x) #x
#define STR(x) STR_(x) /* a limit in a message */

static const char usage[] =
    "usage: tlsgauntlet run [SUITE|FILE|DIR...] [options]\n"
    "\n"
    "Plays scenarios (vectors/scenarios; docs/scenarios.md) against implementations and prints\n"
    "a matrix of verdicts: pass, lenient, fail, crash, timeout, inconclusive, skip, and against\n"
    "a baseline (vectors/baselines/IMPL/*.yaml) xfail and xpass. Every result that differs from\n"
    "the baseline is unexpected: a lenient result, a skip or an inconclusive one too, and a\n"
    "baselined deviation whose behaviour (the alert, a silent close, acceptance) changed.\n"
    "\n"
    "Targets (default: --peer builtin):\n"
    "  --peer NAME           tg-peer-NAME (in the adapters' directory: beside this program in\n"
    "                        a build tree, PREFIX/libexec/tlsgauntlet when installed; else in\n"
    "                        $TG_PEER_DIR), started\n"
    "                        per scenario over a socketpair (repeatable; 'all' = every\n"
    "                        registered implementation whose adapter is built, as\n"
    "                        `tlsgauntlet peers` lists them, each missing one named on\n"
    "                        stderr; a path names an adapter elsewhere:\n"
    "                        --peer DIR/tg-peer-NAME)\n"
    "  --target tcp://HOST:PORT --role server|client\n"
    "                        a server you run (the runner connects per scenario), or a client\n"
    "                        you run (the runner listens on HOST:PORT; --jobs 1)\n"
    "  --target-cmd CMD --role server|client [--target-name NAME]\n"
    "                        a program started per scenario as the target (sh -c CMD): a server\n"
    "                        listens on {port}, a client connects to {host}:{port}; {certs},\n"
    "                        {cert}, {key}, {ca} and {name} are the scenario's certificate\n"
    "                        files and name, {bin} the adapters' directory. e.g.\n"
    "                        'gnutls-serv --echo -p {port}\n"
    "                        --x509certfile {cert} --x509keyfile {key}'; also {alpn}, {sni}\n"
    "                        and pieces {?KEY:TEXT} / {!KEY:TEXT} for the scenario's options\n"
    "                        (require_client_cert, alpn, cert, no_verify, tls12_only,\n"
    "                        tls13_only, min_tls12: docs/targets.md)\n"
    "  --profile FILE        what a live or command target is configured for (docs/targets.md;\n"
    "                        vectors/targets/): its target: or command:, role, name, versions,\n"
    "                        groups, certificates, client auth, what it does after the\n"
    "                        handshake. A scenario it is not configured for is a skip with\n"
    "                        the reason. `tlsgauntlet probe` writes one for a server\n"
    "Selection:\n"
    "  --filter GLOB         scenario ids matching GLOB (repeatable; '*' and '?' are\n"
    "                        wildcards, '[' and ']' themselves, as in matrix ids)\n"
    "  --tag TAG             scenarios with this tag (repeatable)\n"
    "  --shard I/N           the I-th of N equal parts (1-based), for CI fan-out\n"
    "Running:\n"
    "  --jobs N              runs at once (default: the number of cores)\n"
    "  --timeout MS          each run's deadline (default: the scenario's, 5000 ms; a profile's\n"
    "                        timeout_ms)\n"
    "  --lenient-ok          lenient results without a baseline entry are expected\n"
    "  --strict              (the default) lenient results count as unexpected\n"
    "  --baseline FILE       a baseline file (repeatable; its implementation: key says whose);\n"
    "                        default vectors/baselines/IMPL.yaml for each implementation\n"
    "  --no-baseline         report raw verdicts\n"
    "  --replay              play each baselined deviation that has a replay: command against\n"
    "                        that command (the library's own CLI tool) instead of the adapter:\n"
    "                        an xfail shows the deviation is the library's, not our adapter's\n"
    "  --scenarios DIR       where suites live (default: vectors/scenarios)\n"
    "  --requirements DIR    the catalogue the scenarios' requires: ids must be in (default:\n"
    "                        the requirements directory beside the scenarios directory)\n"
    "  --exec-targets        start --peer builtin as a program per run; by default this\n"
    "                        build's tg-peer-builtin runs in a forked child without exec (no\n"
    "                        program start; a crash is still only its run's verdict). Also\n"
    "                        $TG_EXEC_TARGETS=1\n"
    "Output:\n"
    "  --json FILE  --junit FILE  --html FILE\n"
    "  --capture DIR         a pcap and an SSLKEYLOGFILE per run (Wireshark decrypts them);\n"
    "                        DIR is created when missing\n"
    "  --record-transcripts DIR\n"
    "                        the bytes each side received, per run, as seeds for the fuzz\n"
    "                        targets: DIR/fuzz_server/ and DIR/fuzz_client/\n"
    "  --quiet               no progress line\n"
    "  --help-scenario       the scenario vocabulary and every deviation\n"
    "\n"
    "Exit status: 0 every result as expected, 1 an unexpected result, 2 bad usage or input.\n";

typedef struct run_opts {
  char *paths[MAX_PATHS];
  size_t n_paths;
  const char *impls[TG_MAX_IMPLS];
  size_t n_impls;
  const char *target_url, *target_cmd, *target_name;
  int target_role; /* -1 not given */
  const char *profile_path;
  target_profile profile; /* --profile's, or the default one of a live target */
  bool has_profile;
  int timeout_ms; /* 0: not given */
  const char *filters[MAX_PATHS], *tags[MAX_PATHS];
  size_t n_filters, n_tags;
  unsigned shard_i, shard_n;
  int jobs;
  bool lenient_ok, no_baseline, quiet, replay, exec_targets;
  const char *baselines[TG_MAX_IMPLS];
  size_t n_baselines;
  const char *scenarios_dir, *requirements_dir;
  const char *json, *junit, *html, *capture, *transcripts;
} run_opts;

static int bad_usage(const char *fmt, const char *arg) {
  fprintf(stderr, "tlsgauntlet run: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(tlsgauntlet run --help)\n");
  return EXIT_BAD_INPUT;
}

/* --peer all: every registered implementation whose adapter is found. A build without one
 * (configure did not find its library) is normal, so a missing one is not an error, but it is
 * said, once, so that a run is never silently smaller than asked. */
static bool all_noted;

static int add_impl(run_opts *o, const char *name) {
  if (!tg_impl_list_add(o->impls, &o->n_impls, name, "run", &all_noted))
    return bad_usage("too many --peer (at most %s)", STR(TG_MAX_IMPLS));
  return 0;
}

static int parse_valued(run_opts *o, int argc, char **argv, int *i, bool *taken) {
  const char *v;
  *taken = true;
  if ((v = cli_option_value(argc, argv, i, "--peer")))
    return add_impl(o, v);
  if ((v = cli_option_value(argc, argv, i, "--target-cmd")))
    o->target_cmd = v;
  else if ((v = cli_option_value(argc, argv, i, "--target-name")))
    o->target_name = v;
  else if ((v = cli_option_value(argc, argv, i, "--target")))
    o->target_url = v;
  else if ((v = cli_option_value(argc, argv, i, "--profile")))
    o->profile_path = v;
  else if ((v = cli_option_value(argc, argv, i, "--timeout"))) {
    long ms;
    if (!opt_number("run", "--timeout (milliseconds)", v, 1, 3600000, &ms))
      return EXIT_BAD_INPUT;
    o->timeout_ms = (int)ms;
  } else if ((v = cli_option_value(argc, argv, i, "--role"))) {
    if (strcmp(v, "server") != 0 && strcmp(v, "client") != 0)
      return bad_usage("--role is server or client, not '%s'", v);
    o->target_role = strcmp(v, "server") == 0 ? SC_TARGET_SERVER : SC_TARGET_CLIENT;
  } else if ((v = cli_option_value(argc, argv, i, "--filter"))) {
    if (o->n_filters == MAX_PATHS)
      return bad_usage("too many --filter (at most %s)", STR(MAX_PATHS));
    o->filters[o->n_filters++] = v;
  } else if ((v = cli_option_value(argc, argv, i, "--tag"))) {
    if (o->n_tags == MAX_PATHS)
      return bad_usage("too many --tag (at most %s)", STR(MAX_PATHS));
    o->tags[o->n_tags++] = v;
  } else if ((v = cli_option_value(argc, argv, i, "--shard"))) {
    if (!opt_shard("run", v, &o->shard_i, &o->shard_n))
      return EXIT_BAD_INPUT;
  } else if ((v = cli_option_value(argc, argv, i, "--jobs"))) {
    long jobs;
    if (!opt_number("run", "--jobs", v, 1, OPT_MAX_JOBS, &jobs))
      return EXIT_BAD_INPUT;
    o->jobs = (int)jobs;
  } else if ((v = cli_option_value(argc, argv, i, "--baseline"))) {
    if (o->n_baselines == TG_MAX_IMPLS)
      return bad_usage("too many --baseline (at most %s)", STR(TG_MAX_IMPLS));
    o->baselines[o->n_baselines++] = v;
  } else if ((v = cli_option_value(argc, argv, i, "--scenarios")))
    o->scenarios_dir = v;
  else if ((v = cli_option_value(argc, argv, i, "--requirements")))
    o->requirements_dir = v;
  else if ((v = cli_option_value(argc, argv, i, "--json")))
    o->json = v;
  else if ((v = cli_option_value(argc, argv, i, "--junit")))
    o->junit = v;
  else if ((v = cli_option_value(argc, argv, i, "--html")))
    o->html = v;
  else if ((v = cli_option_value(argc, argv, i, "--capture")))
    o->capture = v;
  else if ((v = cli_option_value(argc, argv, i, "--record-transcripts")))
    o->transcripts = v;
  else
    *taken = false;
  return 0;
}

/* --profile: the target, role and name it gives, unless the command line gives them. */
static int apply_profile(run_opts *o) {
  char err[600];
  target_profile *p = &o->profile;
  if (!profile_load(p, o->profile_path, err, sizeof err)) {
    fprintf(stderr, "tlsgauntlet run: %s\n", err);
    return EXIT_BAD_INPUT;
  }
  if (o->n_impls > 0)
    return bad_usage("--profile describes a live or command target, not --peer%s", "");
  if (o->target_role >= 0 && o->target_role != (int)p->role)
    return bad_usage("--role contradicts the profile's role: %s", p->file);
  o->target_role = (int)p->role;
  if (o->target_cmd != NULL)
    profile_set_command(p, o->target_cmd);
  else if (o->target_url == NULL && p->command != NULL)
    o->target_cmd = p->command;
  else if (o->target_url == NULL && p->target != NULL)
    o->target_url = p->target;
  else if (o->target_url == NULL)
    return bad_usage("the profile %s has neither target: nor command:; give --target or "
                     "--target-cmd",
                     p->file);
  if (o->target_name == NULL)
    o->target_name = p->name;
  if (o->timeout_ms == 0)
    o->timeout_ms = p->timeout_ms;
  o->has_profile = true;
  return 0;
}

/* 0 to run, -1 after --help (exit 0), else the exit status. */
static int parse_args(run_opts *o, int argc, char **argv) {
  *o = (run_opts){.target_role = -1, .jobs = opt_default_jobs()};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool taken;
    int rc = parse_valued(o, argc, argv, &i, &taken);
    if (rc != 0)
      return rc;
    if (taken)
      continue;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage, stdout);
      return -1;
    } else if (strcmp(a, "--help-scenario") == 0) {
      scenario_help(stdout);
      return -1;
    } else if (strcmp(a, "--strict") == 0)
      o->lenient_ok = false;
    else if (strcmp(a, "--lenient-ok") == 0)
      o->lenient_ok = true;
    else if (strcmp(a, "--replay") == 0)
      o->replay = true;
    else if (strcmp(a, "--no-baseline") == 0)
      o->no_baseline = true;
    else if (strcmp(a, "--quiet") == 0)
      o->quiet = true;
    else if (strcmp(a, "--exec-targets") == 0)
      o->exec_targets = true;
    else if (a[0] == '-')
      return bad_usage("unknown option or missing value: %s", a);
    else if (o->n_paths == MAX_PATHS)
      return bad_usage("too many scenario files and directories (at most %s)", STR(MAX_PATHS));
    else
      o->paths[o->n_paths++] = argv[i];
  }
  if (o->profile_path != NULL) {
    int rc = apply_profile(o);
    if (rc != 0)
      return rc;
  } else if ((o->target_url != NULL || o->target_cmd != NULL) && o->target_role >= 0) {
    /* No profile: the suite's assumptions, so that nothing a scenario needs is ignored. */
    profile_default(&o->profile, (sc_role)o->target_role,
                    o->target_name  ? o->target_name
                    : o->target_url ? o->target_url
                                    : "command",
                    o->target_cmd);
    o->has_profile = true;
  }
  int kinds = (o->target_url != NULL) + (o->target_cmd != NULL) + (o->n_impls > 0);
  if (kinds > 1)
    return bad_usage("--peer, --target and --target-cmd exclude each other%s", "");
  if ((o->target_url != NULL || o->target_cmd != NULL) && o->target_role < 0)
    return bad_usage("--target and --target-cmd need --role server|client%s", "");
  if (o->replay && (o->target_url != NULL || o->target_cmd != NULL))
    return bad_usage("--replay plays the baselines of --peer implementations%s", "");
  if (o->target_url == NULL && o->target_cmd == NULL && o->n_impls == 0)
    add_impl(o, "builtin");
  return 0;
}

/* ---- Targets ------------------------------------------------------------------------------ */

static char peer_paths[TG_MAX_IMPLS][4096];

static int make_targets(run_opts *o, run_target *t, size_t *n) {
  if (o->target_cmd != NULL) {
    /* Named for reports and baselines: --target-name, else the command's first word. */
    static char name[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(o->target_cmd, " \t"), o->target_cmd);
    t[0] = (run_target){.name = o->target_name ? o->target_name : name,
                        .cmd = o->target_cmd,
                        .role = (sc_role)o->target_role,
                        .listen_fd = -1,
                        .profile = o->has_profile ? &o->profile : NULL,
                        .timeout_ms = o->timeout_ms};
    *n = 1;
    return 0;
  }
  if (o->target_url != NULL) {
    t[0] = (run_target){.name = o->target_name ? o->target_name : o->target_url,
                        .role = (sc_role)o->target_role,
                        .listen_fd = -1,
                        .profile = o->has_profile ? &o->profile : NULL,
                        .timeout_ms = o->timeout_ms};
    if (!opt_target_address("run", o->target_url, t[0].host, sizeof t[0].host, t[0].port,
                            sizeof t[0].port))
      return EXIT_BAD_INPUT;
    *n = 1;
    return 0;
  }
  for (size_t i = 0; i < o->n_impls; i++) {
    char why[1024];
    if (!runner_adapter_target(o->impls[i], peer_paths[i], sizeof peer_paths[i], o->timeout_ms,
                               &t[i], why, sizeof why))
      return bad_usage("%s", why);
    if (!o->exec_targets)
      runner_target_in_process(&t[i], o->impls[i]);
  }
  *n = o->n_impls;
  return 0;
}

/* A client target connects to us: listen where --target says. */
static int listen_for_client(run_target *t) {
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *res = NULL;
  if (getaddrinfo(t->host, t->port, &hints, &res) != 0 || res == NULL)
    return bad_usage("cannot resolve the --target address %s", t->host);
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bool ok = fd >= 0 && bind(fd, res->ai_addr, res->ai_addrlen) == 0 && listen(fd, 16) == 0;
  freeaddrinfo(res);
  if (!ok) {
    if (fd >= 0)
      close(fd);
    return bad_usage("cannot listen on %s (the --target of a client)", t->name);
  }
  t->listen_fd = fd;
  fprintf(stderr, "tlsgauntlet run: waiting for the client target on %s:%s\n", t->host, t->port);
  return 0;
}

/* ---- Selection ---------------------------------------------------------------------------- */

static bool selected(const run_opts *o, const sc_scenario *s) {
  bool ok = o->n_filters == 0;
  for (size_t i = 0; i < o->n_filters && !ok; i++)
    ok = opt_id_matches(o->filters[i], s->id);
  for (size_t i = 0; i < o->n_tags && ok; i++) {
    bool has = false;
    for (size_t k = 0; k < s->n_tags && !has; k++)
      has = strcmp(s->tags[k], o->tags[i]) == 0;
    ok = has;
  }
  return ok;
}

/* ---- Baselines ----------------------------------------------------------------------------
 * Per implementation: the --baseline files whose implementation: key names it, or by default
 * vectors/baselines/IMPL.yaml and every .yaml file of vectors/baselines/IMPL/ (one per suite). */

#define MAX_BASELINE_FILES 32

typedef struct impl_baselines {
  baseline b[MAX_BASELINE_FILES];
  size_t n;
  /* b[borrowed...n) are the baseline of the library a live target runs (its profile's
   * library:): they hold entries for scenarios the target never plays, so unused ones are not
   * listed. MAX_BASELINE_FILES when none. */
  size_t borrowed;
} impl_baselines;

static bool add_baseline(impl_baselines *ib, const char *path, bool missing_ok) {
  char err[512];
  if (ib->n == MAX_BASELINE_FILES) {
    fprintf(stderr, "tlsgauntlet run: more than %d baseline files\n", MAX_BASELINE_FILES);
    return false;
  }
  baseline *b = &ib->b[ib->n];
  *b = (baseline){0};
  if (!baseline_load(b, path, missing_ok, err, sizeof err)) {
    fprintf(stderr, "tlsgauntlet run: %s\n", err);
    return false;
  }
  ib->n++;
  return true;
}

static int by_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml of dir, in name order. */
static bool add_baseline_dir(impl_baselines *ib, const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL)
    return true;
  char *names[MAX_BASELINE_FILES];
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < MAX_BASELINE_FILES) {
    size_t len = strlen(e->d_name);
    if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0)
      names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_str);
  bool ok = true;
  char path[8192];
  for (size_t i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%.4000s/%.4000s", dir, names[i]);
    ok = ok && add_baseline(ib, path, false);
    free(names[i]);
  }
  return ok;
}

/* One id listed in two files of one implementation is an error: which entry decides would
 * depend on the order the files load in. (A live target's own entry may restate one of its
 * library's: the target's file comes first and decides.) */
static bool check_duplicates(const impl_baselines *ib) {
  for (size_t f = 0; f < ib->n; f++)
    for (size_t k = 0; k < ib->b[f].n; k++)
      for (size_t g = f + 1; g < ib->n && (f >= ib->borrowed || g < ib->borrowed); g++)
        for (size_t m = 0; m < ib->b[g].n; m++)
          if (strcmp(ib->b[f].e[k].id, ib->b[g].e[m].id) == 0) {
            fprintf(stderr,
                    "tlsgauntlet run: %s:%d: baseline id '%s' is listed twice (also at %s:%d)\n",
                    ib->b[g].file, ib->b[g].e[m].line, ib->b[g].e[m].id, ib->b[f].file,
                    ib->b[f].e[k].line);
            return false;
          }
  return true;
}

/* An implementation this run plays, a registered one (built or not), one with baselines of its
 * own, or an adapter found. */
static bool known_impl(const char *name, const char *scen_dir, const run_target *t, size_t n_t) {
  char path[8192];
  struct stat st;
  for (size_t i = 0; i < n_t; i++)
    if (strcmp(t[i].name, name) == 0 || (t[i].profile != NULL && t[i].profile->library != NULL &&
                                         strcmp(t[i].profile->library, name) == 0))
      return true;
  if (tg_impl_find(name) != NULL)
    return true;
  if (name[0] == '\0' || strchr(name, '/') != NULL)
    return false;
  snprintf(path, sizeof path, "%.4000s/../baselines/%.1000s", scen_dir, name);
  if (stat(path, &st) == 0)
    return true;
  snprintf(path, sizeof path, "%.4000s/../baselines/%.1000s.yaml", scen_dir, name);
  return stat(path, &st) == 0 || harness_adapter_path(name, path, sizeof path);
}

/* The --baseline files, each loaded once and given to the implementation its implementation:
 * key names. A file for an implementation this run does not play is normal (one list of files
 * for runs of different subsets) but is said, since it has no effect; a file whose
 * implementation: is no implementation known at all (a typo) is bad input. */
static int give_baseline_files(const run_opts *o, const char *scen_dir, const run_target *t,
                               size_t n_t, impl_baselines *ib) {
  for (size_t k = 0; k < o->n_baselines; k++) {
    impl_baselines one = {0};
    if (!add_baseline(&one, o->baselines[k], false))
      return EXIT_BAD_INPUT;
    const char *impl = one.b[0].implementation ? one.b[0].implementation : "";
    size_t i = 0;
    while (i < n_t && strcmp(impl, t[i].name) != 0)
      i++;
    if (i < n_t && ib[i].n < MAX_BASELINE_FILES) {
      ib[i].b[ib[i].n++] = one.b[0]; /* taken over */
      continue;
    }
    int rc = EXIT_BAD_INPUT;
    if (i < n_t)
      fprintf(stderr, "tlsgauntlet run: more than %d baseline files\n", MAX_BASELINE_FILES);
    else if (!known_impl(impl, scen_dir, t, n_t))
      fprintf(stderr,
              "tlsgauntlet run: --baseline %s: implementation '%s' is none known (not a target "
              "of this run, no adapter tg-peer-%s, no baselines of its own)\n",
              o->baselines[k], impl, impl);
    else {
      fprintf(stderr,
              "tlsgauntlet run: warning: --baseline %s is for %s, which this run does "
              "not play: ignored\n",
              o->baselines[k], impl);
      rc = 0;
    }
    baseline_free(&one.b[0]);
    if (rc != 0)
      return rc;
  }
  return 0;
}

static int load_baselines(const run_opts *o, const char *scen_dir, const run_target *t, size_t n_t,
                          impl_baselines *ib) {
  char path[4096];
  if (o->no_baseline)
    return 0;
  int rc = give_baseline_files(o, scen_dir, t, n_t, ib);
  if (rc != 0)
    return rc;
  for (size_t i = 0; i < n_t; i++) {
    const char *library = t[i].profile != NULL ? t[i].profile->library : NULL;
    ib[i].borrowed = MAX_BASELINE_FILES;
    if (o->n_baselines > 0 || (t[i].peer_path == NULL && t[i].profile == NULL))
      continue;
    /* The target's own entries first, then its library's. */
    for (int lib = 0; lib < (library != NULL ? 2 : 1); lib++) {
      const char *name = lib ? library : t[i].name;
      if (lib)
        ib[i].borrowed = ib[i].n;
      snprintf(path, sizeof path, "%s/../baselines/%s.yaml", scen_dir, name);
      if (!add_baseline(&ib[i], path, true))
        return EXIT_BAD_INPUT;
      snprintf(path, sizeof path, "%s/../baselines/%s", scen_dir, name);
      if (!add_baseline_dir(&ib[i], path))
        return EXIT_BAD_INPUT;
    }
  }
  for (size_t i = 0; i < n_t; i++)
    if (!check_duplicates(&ib[i]))
      return EXIT_BAD_INPUT;
  return 0;
}

/* The first file with an entry for the result decides; with none, the rules without one. */
static void apply_baselines(const impl_baselines *ib, run_result *r, bool lenient_ok) {
  baseline_entry *e = NULL;
  for (size_t i = 0; i < ib->n && e == NULL; i++) {
    run_result as = *r; /* a library's baseline speaks of the live target that runs it */
    if (i >= ib->borrowed)
      as.implementation = ib->b[i].implementation;
    e = baseline_find(&ib->b[i], &as);
  }
  baseline_apply(e, r, lenient_ok);
}

/* The summary's list of entries no result matched (a whole-suite run only). */
static void list_unused(FILE *f, const impl_baselines *ib, size_t n, bool filtered) {
  size_t count = 0;
  for (size_t i = 0; i < n && !filtered; i++)
    for (size_t b = 0; b < ib[i].n && b < ib[i].borrowed; b++)
      for (size_t k = 0; k < ib[i].b[b].n; k++)
        if (!ib[i].b[b].e[k].used)
          fprintf(f, "%s%s:%d: baseline entry '%s' matched no scenario\n",
                  count++ == 0 ? "\nUnused baseline entries:\n" : "", ib[i].b[b].file,
                  ib[i].b[b].e[k].line, ib[i].b[b].e[k].id);
}

static void free_baselines(impl_baselines *ib, size_t n) {
  for (size_t i = 0; ib != NULL && i < n; i++)
    for (size_t f = 0; f < ib[i].n; f++)
      baseline_free(&ib[i].b[f]);
  free(ib);
}

/* ---- Reports ------------------------------------------------------------------------------ */

static bool check_dir(const char *what, const char *dir) {
  struct stat st;
  if (dir == NULL || (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)))
    return true;
  fprintf(stderr, "tlsgauntlet run: %s %s is not a directory\n", what, dir);
  return false;
}

/* A certificate a scenario names must exist: a missing one is bad input (exit 2, where the
 * scenario is), not a verdict against every implementation. */
static bool cert_exists(const char *dir, const char *name, const char *ext) {
  char path[8192];
  if (name == NULL || strcmp(name, "none") == 0)
    return true;
  snprintf(path, sizeof path, "%.4000s/%.200s.%.8s", dir, name, ext);
  return access(path, R_OK) == 0;
}

static bool check_certs(const sc_scenario **sc, size_t n, const char *scen_dir) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/%s", scen_dir, SC_CERTS_SUBDIR);
  for (size_t i = 0; i < n; i++) {
    const sc_scenario *s = sc[i];
    const char *bad = !cert_exists(dir, s->endpoint.cert, "pem")       ? s->endpoint.cert
                      : !cert_exists(dir, s->endpoint.cert, "key")     ? s->endpoint.cert
                      : !cert_exists(dir, s->target_opts.cert, "pem")  ? s->target_opts.cert
                      : !cert_exists(dir, s->target_opts.cert, "key")  ? s->target_opts.cert
                      : !cert_exists(dir, s->target_opts.trust, "pem") ? s->target_opts.trust
                                                                       : NULL;
    if (bad != NULL) {
      fprintf(stderr, "%s:%d:%d: scenario %s: no certificate '%s' in %s (NAME.pem and NAME.key)\n",
              s->file, s->line, s->column, s->id, bad, dir);
      return false;
    }
  }
  return true;
}

/* ---- The command -------------------------------------------------------------------------- */

/* --replay: each baselined deviation with a replay: command is played against that command (the
 * library's own CLI tool) instead of the adapter, and judged against the same entry: an xfail
 * means the library shows the deviation without our adapter. The other cells are not played. */
static void replay(const run_opts *o, const sc_scenario **sc, size_t n_sc, const run_target *t,
                   size_t n_t, const impl_baselines *bl, const run_env *env, run_result *results) {
  const sc_scenario **psc = calloc(n_sc * n_t + 1, sizeof *psc);
  run_target *pt = calloc(n_sc * n_t + 1, sizeof *pt);
  run_result *pr = calloc(n_sc * n_t + 1, sizeof *pr);
  size_t *where = calloc(n_sc * n_t + 1, sizeof *where), n = 0;
  for (size_t k = 0; psc && pt && pr && where && k < n_sc * n_t; k++) {
    run_result *r = &results[k];
    *r = (run_result){.scenario = sc[k / n_t],
                      .implementation = t[k % n_t].name,
                      .raw = V_SKIP,
                      .target_skip = true};
    snprintf(r->got, sizeof r->got, "not replayed: no baseline entry with a replay command");
    baseline_entry *e = NULL;
    for (size_t f = 0; f < bl[k % n_t].n && e == NULL; f++)
      e = baseline_find(&bl[k % n_t].b[f], r);
    if (e == NULL || e->replay == NULL)
      continue;
    psc[n] = sc[k / n_t];
    pt[n] = (run_target){
        .name = t[k % n_t].name, .cmd = e->replay, .role = psc[n]->target, .listen_fd = -1};
    where[n++] = k;
  }
  runner_play_pairs(psc, pt, n, env, o->jobs, !o->quiet, pr);
  for (size_t i = 0; i < n; i++)
    results[where[i]] = pr[i];
  free(psc), free(pt), free(pr), free(where);
}

static int play(run_opts *o, const char *scen_dir, const sc_scenario **sc, size_t n_sc,
                char *cmdline, const report_origin *origin) {
  run_target targets[TG_MAX_IMPLS];
  size_t n_t = 0;
  int rc = make_targets(o, targets, &n_t);
  if (rc == 0 && o->target_url != NULL && targets[0].role == SC_TARGET_CLIENT) {
    rc = listen_for_client(&targets[0]);
    o->jobs = 1;
  }
  impl_baselines *bl = calloc(TG_MAX_IMPLS, sizeof *bl);
  if (rc == 0)
    rc = bl == NULL ? EXIT_BAD_INPUT : load_baselines(o, scen_dir, targets, n_t, bl);
  if (rc != 0) {
    free_baselines(bl, n_t);
    return rc;
  }
  char certs[4096];
  snprintf(certs, sizeof certs, "%s/%s", scen_dir, SC_CERTS_SUBDIR);
  run_env env = {.certs_dir = certs, .capture_dir = o->capture, .transcripts_dir = o->transcripts};
  run_result *results = calloc(n_sc * n_t + 1, sizeof *results);
  int64_t t0 = runner_now_ms();
  if (o->replay)
    replay(o, sc, n_sc, targets, n_t, bl, &env, results);
  else
    runner_play_all(sc, n_sc, targets, n_t, &env, o->jobs, !o->quiet, results);
  const char *names[TG_MAX_IMPLS];
  bool unexpected = false;
  for (size_t i = 0; i < n_t; i++)
    names[i] = targets[i].name;
  for (size_t k = 0; k < n_sc * n_t; k++) {
    apply_baselines(&bl[k % n_t], &results[k], o->lenient_ok);
    unexpected |= results[k].unexpected;
  }
  run_report rep = {.results = results,
                    .n_scenarios = n_sc,
                    .impls = names,
                    .n_impls = n_t,
                    .seconds = (double)(runner_now_ms() - t0) / 1000.0,
                    .command_line = cmdline,
                    .origin = *origin};
  report_terminal(stdout, &rep, isatty(1));
  /* A replay plays only the entries with a command: the others are not unused. */
  list_unused(stdout, bl, n_t, o->replay || o->n_filters + o->n_tags + o->shard_n + o->n_paths > 0);
  rc = report_files(&rep, "run", o->json, o->junit, o->html) ? 0 : EXIT_BAD_INPUT;
  for (size_t k = 0; k < n_sc * n_t; k++)
    run_result_free(&results[k]);
  free(results);
  free_baselines(bl, n_t);
  for (size_t i = 0; i < n_t; i++)
    if (targets[i].listen_fd >= 0)
      close(targets[i].listen_fd);
  return rc != 0 ? rc : unexpected ? EXIT_UNEXPECTED : EXIT_OK;
}

static int run_parsed(run_opts *opts, int argc, char **argv) {
  run_opts o = *opts;
  int rc;
  char dirbuf[4096];
  const char *scen_dir =
      o.scenarios_dir ? o.scenarios_dir : sc_default_dir(argv[0], dirbuf, sizeof dirbuf);
  if (scen_dir == NULL)
    return bad_usage("no vectors/scenarios found; use --scenarios DIR%s", "");
  /* Every output is checked before the run, which may take minutes. */
  if (!check_dir("--scenarios", scen_dir) || !opt_output_file("run", "--json", o.json) ||
      !opt_output_file("run", "--junit", o.junit) || !opt_output_file("run", "--html", o.html) ||
      !opt_output_dir("run", "--capture", o.capture) ||
      !opt_output_dir("run", "--record-transcripts", o.transcripts))
    return EXIT_BAD_INPUT;
  sc_suite suite;
  if (!sc_load_for_command(&suite, scen_dir, o.requirements_dir, o.paths, o.n_paths))
    return EXIT_BAD_INPUT;
  const sc_scenario **sc = calloc(suite.n + 1, sizeof *sc);
  size_t n_sc = 0, seen = 0;
  for (size_t i = 0; i < suite.n; i++) {
    if (!selected(&o, &suite.v[i]))
      continue;
    if (opt_in_shard(seen++, o.shard_i, o.shard_n))
      sc[n_sc++] = &suite.v[i];
  }
  if (n_sc == 0) {
    fprintf(stderr, "tlsgauntlet run: no scenario selected\n");
    rc = EXIT_BAD_INPUT;
  } else if (!check_certs(sc, n_sc, scen_dir)) {
    rc = EXIT_BAD_INPUT;
  } else {
    /* The reports' provenance: when, and the command line as given ("tlsgauntlet" first). */
    char started[32];
    report_utc_now(started, sizeof started);
    const char **args = cli_args_with_name(argc, argv);
    report_origin origin = {.started = started, .argv = args, .argc = args ? (size_t)argc + 1 : 0};
    char *cmdline = cli_join_args("run", argc, argv);
    rc = play(&o, scen_dir, sc, n_sc, cmdline, &origin);
    free(cmdline);
    free(args);
  }
  free(sc);
  sc_suite_free(&suite);
  return rc;
}

int cmd_run(int argc, char **argv) {
  run_opts *o = calloc(1, sizeof *o);
  if (o == NULL)
    return EXIT_BAD_INPUT;
  int rc = parse_args(o, argc, argv);
  if (rc == 0)
    spawn_init(); /* before the first adapter starts; spawn.h */
  rc = rc < 0 ? EXIT_OK : rc == 0 ? run_parsed(o, argc, argv) : rc;
  spawn_sweep();
  profile_free(&o->profile);
  free(o);
  return rc;
}
