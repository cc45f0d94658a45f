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
#include "scenario.h"
#include "scenario_cli.h"

static const char list_usage[] =
    "usage: tlsgauntlet list [SUITE|FILE|DIR...] [--scenarios DIR] [--filter GLOB]\n"
    "                        [--shard I/N] [--json]\n"
    "\n"
    "Lists the scenarios (id, RFC section, title) of the suites, files or directories named,\n"
    "or of every suite. A suite is a directory or NAME.yaml of the scenarios directory.\n"
    "\n"
    "  --scenarios DIR   the scenarios directory (default: $TG_SCENARIOS, else\n"
    "                    ./vectors/scenarios, else vectors/scenarios of the source tree\n"
    "                    this program was built in, else PREFIX/share/tlsgauntlet/scenarios\n"
    "                    of the prefix it is installed in)\n"
    "  --filter GLOB     only the ids that match GLOB ('*' and '?' are wildcards, '*' also\n"
    "                    matches '/'; '[' and ']' are themselves, as in matrix ids)\n"
    "  --shard I/N       the I-th of N equal parts (1-based), as `run --shard` plays them\n"
    "  --json            a JSON array of {id, rfc, title, tags, target, file, line}\n"
    "\n"
    "Exit status: 0 listed, 2 bad usage or a scenario file with an error (FILE:LINE:COLUMN).\n";

static json_t *scenario_json(const sc_scenario *sc) {
  json_t *tags = json_array();
  for (size_t i = 0; i < sc->n_tags; i++)
    json_array_append_new(tags, json_string(sc->tags[i]));
  return json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:i}", "id", sc->id, "rfc", sc->rfc, "title",
                   sc->title ? json_string(sc->title) : json_null(), "tags", tags, "target",
                   sc->target == SC_TARGET_SERVER ? "server" : "client", "file", sc->file, "line",
                   sc->line);
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
  const char *dir, *filter;
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

bool sc_load_for_command(sc_suite *suite, const char *scen_dir, char **paths, size_t n) {
  sc_error err;
  sc_suite_init(suite);
  if (sc_load_paths(suite, scen_dir, paths, n, &err))
    return true;
  fprintf(stderr, "%s\n", err.text);
  sc_suite_free(suite);
  return false;
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
  if (rc == 0 && !sc_load_for_command(&s, o.dir, o.paths, o.n_paths))
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
