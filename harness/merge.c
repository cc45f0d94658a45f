/* tlsgauntlet merge: the JSON reports of the shards of one run (run --shard I/N --json F) back
 * into one run: the same matrix and summary as `run` prints, and its reports. The shards must
 * play the same implementations; a scenario in two shards must have the same results in both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "report.h"
#include "report_internal.h"
#include "report_read.h"

static const char usage[] =
    "usage: tlsgauntlet merge [--json FILE] [--junit FILE] [--html FILE] SHARD.json...\n"
    "\n"
    "Combines the JSON reports of the shards of one run (tlsgauntlet run --shard I/N --json F)\n"
    "into one run: prints the matrix and summary `run` prints, and writes the reports asked for.\n"
    "The scenarios come in the order of the unsharded run when every shard's command says\n"
    "--shard I/N, else shard by shard in the order given. The merged JSON keeps the shards'\n"
    "provenance: the first shard's tool and host, the earliest start, each implementation's\n"
    "library.\n"
    "\n"
    "Refused (exit 2): shards of different implementations, a scenario in two shards with\n"
    "different results, a file that is not a run's JSON report. Shards written by different\n"
    "tlsgauntlet versions get a warning.\n"
    "\n"
    "Exit status: 0 every result as expected, 1 an unexpected result, 2 bad usage or input.\n";

typedef struct merge_opts {
  const char *json, *junit, *html;
  char **files;
  size_t n_files;
  int argc; /* the command line, for the merged report's command_line */
  char **argv;
} merge_opts;

/* 0 to merge, -1 after --help, else the exit status. */
static int parse_args(merge_opts *o, int argc, char **argv) {
  o->files = calloc((size_t)argc, sizeof *o->files);
  if (o->files == NULL)
    return EXIT_BAD_INPUT;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if ((v = cli_option_value(argc, argv, &i, "--json")))
      o->json = v;
    else if ((v = cli_option_value(argc, argv, &i, "--junit")))
      o->junit = v;
    else if ((v = cli_option_value(argc, argv, &i, "--html")))
      o->html = v;
    else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage, stdout);
      return -1;
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "tlsgauntlet merge: unknown option or missing value: %s\n%s", a, usage);
      return EXIT_BAD_INPUT;
    } else
      o->files[o->n_files++] = argv[i];
  }
  if (o->n_files == 0) {
    fprintf(stderr, "tlsgauntlet merge: no shard reports given\n%s", usage);
    return EXIT_BAD_INPUT;
  }
  /* The outputs before any reading, as run checks them before playing. */
  if (!opt_output_file("merge", "--json", o->json) ||
      !opt_output_file("merge", "--junit", o->junit) ||
      !opt_output_file("merge", "--html", o->html))
    return EXIT_BAD_INPUT;
  return 0;
}

/* Every shard plays the implementations of the first. */
static bool same_impls(const run_doc *a, const run_doc *b) {
  const run_doc *pair[2] = {a, b};
  for (int k = 0; k < 2; k++)
    for (size_t i = 0; i < pair[k]->rep.n_impls; i++)
      if (run_doc_impl(pair[1 - k], pair[k]->rep.impls[i]) < 0) {
        fprintf(stderr,
                "tlsgauntlet merge: %s has implementation '%s', %s has not: shards of one run "
                "play the same implementations\n",
                pair[k]->file, pair[k]->rep.impls[i], pair[1 - k]->file);
        return false;
      }
  return true;
}

static void warn_tool(const run_doc *a, const run_doc *b) {
  json_t *ta = json_object_get(a->root, "tool"), *tb = json_object_get(b->root, "tool");
  if (ta == NULL || tb == NULL || json_equal(ta, tb))
    return;
  char *sa = json_dumps(ta, JSON_COMPACT | JSON_ENCODE_ANY);
  char *sb = json_dumps(tb, JSON_COMPACT | JSON_ENCODE_ANY);
  fprintf(stderr, "tlsgauntlet merge: warning: %s was written by %s, %s by %s\n", a->file,
          sa ? sa : "?", b->file, sb ? sb : "?");
  free(sa);
  free(sb);
}

static int by_shard(const void *a, const void *b) {
  const run_doc *x = a, *y = b;
  return (x->shard_i > y->shard_i) - (x->shard_i < y->shard_i);
}

/* When every command says --shard I/N with one N and distinct I: the shards in I order, so the
 * round robin below gives the unsharded order (run gives shard I every N-th scenario from I). */
static void order_shards(run_doc *d, size_t n) {
  for (size_t j = 0; j < n; j++) {
    if (d[j].shard_n == 0 || d[j].shard_n != d[0].shard_n)
      return;
    for (size_t k = 0; k < j; k++)
      if (d[k].shard_i == d[j].shard_i)
        return;
  }
  qsort(d, n, sizeof *d, by_shard);
}

static bool same_result(const run_result *a, const run_result *b) {
  return a->reported == b->reported && a->raw == b->raw && a->unexpected == b->unexpected &&
         outcome_equal(&a->observed, &b->observed);
}

/* Row t of shard d into the merged report (columns in the order of the first shard); a scenario
 * already there must have the same results. */
static bool add_row(run_report *m, const run_doc *d, size_t t, const run_doc *first,
                    const char **from) {
  const sc_scenario *sc = &d->scenarios[t];
  size_t n_i = m->n_impls, s;
  for (s = 0; s < m->n_scenarios && strcmp(m->results[s * n_i].scenario->id, sc->id) != 0; s++)
    ;
  bool known = s < m->n_scenarios;
  for (size_t i = 0; i < n_i; i++) {
    const run_result *x = &d->rep.results[t * n_i + (size_t)run_doc_impl(d, m->impls[i])];
    run_result *cell = &m->results[s * n_i + i];
    if (known && !same_result(cell, x)) {
      fprintf(stderr,
              "tlsgauntlet merge: scenario '%s' on %s is %s in %s and %s in %s: the same "
              "scenario with different results\n",
              sc->id, m->impls[i], verdict_name(cell->reported), from[s], verdict_name(x->reported),
              d->file);
      return false;
    }
    if (!known) {
      *cell = *x; /* the transcript stays the shard's */
      cell->implementation = first->rep.impls[i];
    }
  }
  if (!known)
    from[m->n_scenarios++] = d->file;
  return true;
}

/* The merged run's origin: the first shard's tool and host, the earliest start of all (each
 * result keeps its library, as report_read filled it), and this command line. */
static void merged_origin(run_report *m, const run_doc *d, size_t n, const char **args,
                          size_t n_args) {
  m->origin = d[0].rep.origin;
  for (size_t j = 1; j < n; j++) {
    const char *s = d[j].rep.origin.started;
    if (s != NULL && (m->origin.started == NULL || strcmp(s, m->origin.started) < 0))
      m->origin.started = s;
  }
  m->origin.argv = args;
  m->origin.argc = args != NULL ? n_args : 0;
}

/* The shards' rows, round robin, into m; false (said on stderr) on a conflict. */
static bool merge_rows(run_report *m, run_doc *d, size_t n) {
  size_t rows = 0, longest = 0;
  for (size_t j = 0; j < n; j++) {
    rows += d[j].rep.n_scenarios;
    if (d[j].rep.n_scenarios > longest)
      longest = d[j].rep.n_scenarios;
    m->seconds += d[j].rep.seconds; /* the time the shards took together */
  }
  m->impls = d[0].rep.impls;
  m->n_impls = d[0].rep.n_impls;
  m->results = calloc(rows * m->n_impls + 1, sizeof *m->results);
  const char **from = calloc(rows + 1, sizeof *from);
  bool ok = m->results != NULL && from != NULL;
  for (size_t t = 0; ok && t < longest; t++)
    for (size_t j = 0; ok && j < n; j++)
      if (t < d[j].rep.n_scenarios)
        ok = add_row(m, &d[j], t, &d[0], from);
  free(from);
  return ok;
}

static int merge(const merge_opts *o, run_doc *d, size_t n, char *cmdline) {
  char err[512];
  for (size_t j = 0; j < n; j++)
    if (!report_read(&d[j], o->files[j], err, sizeof err)) {
      fprintf(stderr, "tlsgauntlet merge: %s\n", err);
      return EXIT_BAD_INPUT;
    }
  for (size_t j = 1; j < n; j++) {
    if (!same_impls(&d[0], &d[j]))
      return EXIT_BAD_INPUT;
    warn_tool(&d[0], &d[j]);
  }
  order_shards(d, n);
  run_report m = {.command_line = cmdline};
  int rc = merge_rows(&m, d, n) ? 0 : EXIT_BAD_INPUT;
  bool unexpected = false;
  for (size_t k = 0; rc == 0 && k < m.n_scenarios * m.n_impls; k++)
    unexpected |= m.results[k].unexpected;
  /* The command line as given, "tlsgauntlet" first, as run's reports have it. */
  const char **args = cli_args_with_name(o->argc, o->argv);
  merged_origin(&m, d, n, args, (size_t)o->argc + 1);
  if (rc == 0) {
    report_terminal(stdout, &m, isatty(1));
    rc = report_files(&m, "merge", o->json, o->junit, o->html) ? 0 : EXIT_BAD_INPUT;
  }
  free(args);
  free(m.results);
  return rc != 0 ? rc : unexpected ? EXIT_UNEXPECTED : EXIT_OK;
}

int cmd_merge(int argc, char **argv) {
  merge_opts o = {.argc = argc, .argv = argv};
  int rc = parse_args(&o, argc, argv);
  if (rc != 0) {
    free(o.files);
    return rc < 0 ? EXIT_OK : rc;
  }
  run_doc *d = calloc(o.n_files, sizeof *d);
  char *cmdline = cli_join_args("merge", argc, argv);
  rc = d == NULL ? EXIT_BAD_INPUT : merge(&o, d, o.n_files, cmdline);
  for (size_t j = 0; d != NULL && j < o.n_files; j++)
    run_doc_free(&d[j]);
  free(d);
  free(cmdline);
  free(o.files);
  return rc;
}
