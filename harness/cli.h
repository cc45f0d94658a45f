/* The commands of the tlsgauntlet command line. Each returns the process exit status:
 * 0 success, 1 an unexpected result, 2 bad usage or bad input. */
#ifndef TG_HARNESS_CLI_H
#define TG_HARNESS_CLI_H

#include <stdbool.h>
#include <stddef.h>

#define TG_VERSION_STRING "0.1.0"

enum { EXIT_OK = 0, EXIT_UNEXPECTED = 1, EXIT_BAD_INPUT = 2 };

int cmd_decode(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_peers(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_merge(int argc, char **argv);    /* merge.c: shards' JSON reports into one run */
int cmd_diff(int argc, char **argv);     /* diff.c: what changed between two runs */
int cmd_baseline(int argc, char **argv); /* baseline_cmd.c: a baseline from a run */

/* Shared by the commands (cli_opts.c). The value of option `name` at argv[*i]:
 * "--name VALUE" (advancing *i) or "--name=VALUE"; NULL when argv[*i] is not it or the value is
 * missing. */
const char *cli_option_value(int argc, char **argv, int *i, const char *name);
/* "tlsgauntlet CMD ARGV[1]...", malloc'd (NULL when out of memory). */
char *cli_join_args(const char *cmd, int argc, char **argv);
/* The command line as given for a report's provenance: {"tlsgauntlet", argv[0] (the command),
 * ..., NULL}, argc + 1 entries, malloc'd (the strings are argv's); NULL when out of memory. */
const char **cli_args_with_name(int argc, char **argv);

/* The directory of this program (/proc/self/exe) into buf; false when it cannot be read. */
bool harness_exe_dir(char *buf, size_t len);
/* tg-peer-IMPL beside this binary, else in $TG_PEER_DIR (where `tlsgauntlet peers` finds the
 * adapters), into buf; false when there is none (or it is not executable). */
bool harness_adapter_path(const char *impl, char *buf, size_t len);

#endif
