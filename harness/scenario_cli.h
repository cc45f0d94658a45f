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

/* Loads the suites of a command's arguments (sc_load_paths into a fresh suite); on an error, prints
 * its FILE:LINE:COLUMN message on stderr, frees the suite and returns false (exit 2). */
struct sc_suite;
bool sc_load_for_command(struct sc_suite *suite, const char *scen_dir, char **paths, size_t n);

/* tlsgauntlet list [SUITE|FILE|DIR...] [--scenarios DIR] [--filter GLOB] [--json]:
 * one line per scenario (id, RFC, title) and a count, or a JSON array. Exit 0, or 2 with the
 * loader's FILE:LINE:COLUMN message on stderr. */
int cmd_list(int argc, char **argv);

/* The scenario vocabulary in short (docs/scenarios.md) and every deviation of the engine's
 * table with its description and parameter. */
void scenario_help(FILE *f);

#endif
