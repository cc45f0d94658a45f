/* The commands of the tlsgauntlet command line. Each returns the process exit status:
 * 0 success, 1 an unexpected result, 2 bad usage or bad input. */
#ifndef TG_HARNESS_CLI_H
#define TG_HARNESS_CLI_H

#include <limits.h>
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
int cmd_hunt(int argc, char **argv);     /* hunt.c: differential fuzzing across implementations */
int cmd_coverage(int argc, char **argv); /* coverage.c: which scenarios check which requirement */

/* Shared by the commands (cli_opts.c). The value of option `name` at argv[*i]:
 * "--name VALUE" (advancing *i) or "--name=VALUE"; NULL when argv[*i] is not it or the value is
 * missing. */
const char *cli_option_value(int argc, char **argv, int *i, const char *name);
/* "tlsgauntlet CMD ARGV[1]...", malloc'd (NULL when out of memory). */
char *cli_join_args(const char *cmd, int argc, char **argv);
/* The command line as given for a report's provenance: {"tlsgauntlet", argv[0] (the command),
 * ..., NULL}, argc + 1 entries, malloc'd (the strings are argv's); NULL when out of memory. */
const char **cli_args_with_name(int argc, char **argv);

/* Where the programs are found, build tree or installed (harness/paths.c). */
/* The directory of the peer adapters, whose test-peers/ holds the test programs (selftest's
 * permissive adapter, {bin} of a command target): this program's in a build tree,
 * PREFIX/libexec/tlsgauntlet when installed. False when this program's directory is unknown. */
bool harness_program_dir(char *buf, size_t len);
/* The directories searched for peer adapters, in order: harness_program_dir and $TG_PEER_DIR
 * when set; how many (at most max) were written. */
size_t harness_peer_dirs(char dirs[][PATH_MAX], size_t max);
/* tg-peer-IMPL, an executable regular file, in the first of harness_peer_dirs that has it (the
 * directories `tlsgauntlet peers` scans), into buf; false when none has it. */
bool harness_adapter_path(const char *impl, char *buf, size_t len);

#endif
