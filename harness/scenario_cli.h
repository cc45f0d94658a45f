/* The scenario commands' shared pieces: where the scenarios live, `tlsgauntlet list`, and the
 * vocabulary printed by `tlsgauntlet run --help-scenario`. */
#ifndef TG_HARNESS_SCENARIO_CLI_H
#define TG_HARNESS_SCENARIO_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The default scenarios directory (harness/paths.c): $TG_SCENARIOS, else the first of
 * ./vectors/scenarios, DIR_OF_EXECUTABLE/../vectors/scenarios (the binary lives in a build
 * directory of the source tree) and DIR_OF_EXECUTABLE/../share/tlsgauntlet/scenarios (installed;
 * the path CMake's GNUInstallDirs gives) that is a directory. argv0 locates the executable when it
 * holds a '/'; otherwise (NULL, or a command name such as "run") /proc/self/exe does. The path is
 * written to buf; NULL when none exists (an unset or empty $TG_SCENARIOS is skipped; a set one is
 * returned as is). */
const char *sc_default_dir(const char *argv0, char *buf, size_t cap);

/* The requirement catalogue beside a scenarios directory: SCEN_DIR/../requirements, canonical
 * into buf, when it is a directory; else NULL (harness/paths.c). */
const char *rq_default_dir(const char *scen_dir, char *buf, size_t cap);

/* Loads the suites of a command's arguments (sc_load_paths into a fresh suite) and checks the
 * requirement ids they cite against the catalogue: req_dir (--requirements) when given, else the
 * one beside scen_dir (a suite that cites none needs none). On an error, prints its
 * FILE:LINE:COLUMN message on stderr, frees the suite and returns false (exit 2). */
struct sc_suite;
struct rq_catalogue;
bool sc_load_for_command(struct sc_suite *suite, const char *scen_dir, const char *req_dir,
                         char **paths, size_t n);
/* The same, keeping the catalogue in cat (loaded whether or not the suite cites any; empty when
 * none is found and req_dir is NULL), where it was found in where (empty: none). */
bool sc_load_with_catalogue(struct sc_suite *suite, struct rq_catalogue *cat, char *where,
                            size_t cap, const char *scen_dir, const char *req_dir, char **paths,
                            size_t n);

/* tlsgauntlet list [SUITE|FILE|DIR...] [--scenarios DIR] [--requirements DIR] [--filter GLOB]
 * [--json]:
 * one line per scenario (id, RFC, title) and a count, or a JSON array. Exit 0, or 2 with the
 * loader's FILE:LINE:COLUMN message on stderr. */
int cmd_list(int argc, char **argv);

/* The scenario vocabulary in short (docs/scenarios.md) and every deviation of the engine's
 * table with its description and parameter. */
void scenario_help(FILE *f);

#endif
