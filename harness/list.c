/* tlsgauntlet list: the scenarios a run would play, with their RFC citations, and loading a
 * command's suites (shared with run, selftest). Where the scenarios live by default: paths.c. */
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "requirements.h"
#include "scenario.h"
#include "scenario_cli.h"

static const char list_usage[] =
    "usage: tlsgauntlet list [SUITE|FILE|DIR...] [--scenarios DIR] [--requirements DIR]\n"
    "                        [--filter GLOB] [--shard I/N] [--json]\n"
    "\n"
    "Lists the scenarios (id, RFC section, title) of the suites, files or directories named,\n"
    "or of every suite. A suite is a directory or NAME.yaml of the scenarios directory.\n"
    "\n"
    "  --scenarios DIR   the scenarios directory (default: $TG_SCENARIOS, else\n"
    "                    ./vectors/scenarios, else vectors/scenarios of the source tree\n"
    "                    this program was built in, else PREFIX/share/tlsgauntlet/scenarios\n"
    "                    of the prefix it is installed in)\n"
    "  --requirements DIR  the requirement catalogue the scenarios' requires: ids are checked\n"
    "                    against (default: the requirements directory beside the scenarios\n"
    "                    directory; docs/requirements.md)\n"
    "  --filter GLOB     only the ids that match GLOB ('*' and '?' are wildcards, '*' also\n"
    "                    matches '/'; '[' and ']' are themselves, as in matrix ids)\n"
    "  --shard I/N       the I-th of N equal parts (1-based), as `run --shard` plays them\n"
    "  --json            a JSON array of {id, rfc, title, tags, target, file, line,\n"
    "                    requires}\n"
    "\n"
    "Exit status: 0 listed, 2 bad usage or a scenario file with an error (FILE:LINE:COLUMN),\n"
    "an unknown requirement id among them included.\n";

static json_t *scenario_json(const sc_scenario *sc) {
  json_t *tags = json_array();
  for (size_t i = 0; i < sc->n_tags; i++)
    json_array_append_new(tags, json_string(sc->tags[i]));
  json_t *requires = json_array();
  for (size_t i = 0; i < sc->n_requires; i++)
    json_array_append_new(requires, json_string(sc->requires[i].id));
  return json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:i, s:o}", "id", sc->id, "rfc", sc->rfc,
                   "title", sc->title ? json_string(sc->title) : json_null(), "tags", tags,
                   "target", sc->target == SC_TARGET_SERVER ? "server" : "client", "file", sc->file,
                   "line", sc->line, "requires", requires);
}

static void print_json(const sc_scenario **v, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(a, scenario_json(v[i]));
  json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', stdout);
  json_decref(a);
}

static void print_text(const sc_scenario **v, size_t n) {
  int id_w = 0, rfc_w = 0;
  for (size_t i = 0; i < n; i++) {
    id_w = (int)strlen(v[i]->id) > id_w ? (int)strlen(v[i]->id) : id_w;
    rfc_w = (int)strlen(v[i]->rfc) > rfc_w ? (int)strlen(v[i]->rfc) : rfc_w;
  }
  for (size_t i = 0; i < n; i++) {
    if (v[i]->title != NULL)
      printf("%-*s  %-*s  (%s)\n", id_w, v[i]->id, rfc_w, v[i]->rfc, v[i]->title);
    else
      printf("%-*s  %s\n", id_w, v[i]->id, v[i]->rfc);
  }
  printf("%zu scenario%s\n", n, n == 1 ? "" : "s");
}

typedef struct list_opts {
  const char *dir, *filter, *req_dir;
  unsigned shard_i, shard_n;
  bool json;
  char **paths;
  size_t n_paths;
} list_opts;

/* 0 to list, -1 after --help, else the exit status. */
static int parse_args(list_opts *o, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool has_value = i + 1 < argc;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(list_usage, stdout);
      return -1;
    } else if (strcmp(a, "--json") == 0) {
      o->json = true;
    } else if ((strcmp(a, "--filter") == 0 || strcmp(a, "--scenarios") == 0) && has_value) {
      *(a[2] == 'f' ? &o->filter : &o->dir) = argv[++i];
    } else if (strcmp(a, "--requirements") == 0 && has_value) {
      o->req_dir = argv[++i];
    } else if (strcmp(a, "--shard") == 0 && has_value) {
      if (!opt_shard("list", argv[++i], &o->shard_i, &o->shard_n))
        return EXIT_BAD_INPUT;
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "tlsgauntlet list: unknown option or missing value: %s\n\n%s", a, list_usage);
      return EXIT_BAD_INPUT;
    } else {
      o->paths[o->n_paths++] = argv[i];
    }
  }
  return 0;
}

/* The catalogue into cat and the suite's citations checked against it; where gets the
 * catalogue's directory, "" when there is none (not an error unless req_dir names one, or the
 * suite cites an id). */
static bool check_citations(const sc_suite *suite, rq_catalogue *cat, char *where, size_t cap,
                            const char *scen_dir, const char *req_dir, sc_error *err) {
  char buf[PATH_MAX];
  const char *dir = req_dir ? req_dir : rq_default_dir(scen_dir, buf, sizeof buf);
  snprintf(where, cap, "%s", dir ? dir : "");
  if (dir != NULL && !rq_load_dir(cat, dir, err))
    return false;
  return rq_check_suite(dir ? cat : NULL, where, suite, err);
}

static bool load(sc_suite *suite, rq_catalogue *cat, char *where, size_t cap, bool always,
                 const char *scen_dir, const char *req_dir, char **paths, size_t n) {
  sc_error err;
  sc_suite_init(suite);
  rq_init(cat);
  where[0] = '\0';
  bool ok = sc_load_paths(suite, scen_dir, paths, n, &err);
  bool cites = always || req_dir != NULL;
  for (size_t i = 0; ok && i < suite->n && !cites; i++)
    cites = suite->v[i].n_requires > 0;
  if (ok && cites)
    ok = check_citations(suite, cat, where, cap, scen_dir, req_dir, &err);
  if (ok)
    return true;
  fprintf(stderr, "%s\n", err.text);
  sc_suite_free(suite);
  rq_free(cat);
  return false;
}

bool sc_load_with_catalogue(sc_suite *suite, rq_catalogue *cat, char *where, size_t cap,
                            const char *scen_dir, const char *req_dir, char **paths, size_t n) {
  return load(suite, cat, where, cap, true, scen_dir, req_dir, paths, n);
}

bool sc_load_for_command(sc_suite *suite, const char *scen_dir, const char *req_dir, char **paths,
                         size_t n) {
  rq_catalogue cat;
  char where[PATH_MAX];
  bool ok = load(suite, &cat, where, sizeof where, false, scen_dir, req_dir, paths, n);
  rq_free(&cat);
  return ok;
}

int cmd_list(int argc, char **argv) {
  list_opts o = {.paths = calloc((size_t)argc + 1, sizeof(char *))};
  int rc = o.paths == NULL ? EXIT_BAD_INPUT : parse_args(&o, argc, argv);
  char dirbuf[PATH_MAX];
  if (rc == 0 && o.dir == NULL)
    o.dir = sc_default_dir(NULL, dirbuf, sizeof dirbuf);
  if (rc == 0 && o.dir == NULL && o.n_paths == 0) {
    fprintf(stderr, "tlsgauntlet list: no vectors/scenarios found; use --scenarios DIR or set "
                    "TG_SCENARIOS\n");
    rc = EXIT_BAD_INPUT;
  }
  sc_suite s;
  sc_suite_init(&s);
  if (rc == 0 && !sc_load_for_command(&s, o.dir, o.req_dir, o.paths, o.n_paths))
    rc = EXIT_BAD_INPUT;
  const sc_scenario **v = rc == 0 ? calloc(s.n + 1, sizeof(const sc_scenario *)) : NULL;
  size_t n = 0, seen = 0;
  for (size_t i = 0; v != NULL && i < s.n; i++)
    if ((o.filter == NULL || opt_id_matches(o.filter, s.v[i].id)) &&
        opt_in_shard(seen++, o.shard_i, o.shard_n))
      v[n++] = &s.v[i];
  if (v != NULL)
    o.json ? print_json(v, n) : print_text(v, n);
  free(v);
  free(o.paths);
  sc_suite_free(&s);
  return rc < 0 ? EXIT_OK : rc;
}
