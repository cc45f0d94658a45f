/* Checking a command's option values before anything runs, shared by the commands so that each
 * option means the same everywhere: strict numbers (no atoi: "5x" is an error, not 5), --shard
 * I/N, --filter globs, output paths, and --target addresses. Each check that fails prints
 * "tlsgauntlet CMD: ..." on stderr and returns false; the caller exits 2. */
#ifndef TG_HARNESS_CLI_OPTS_H
#define TG_HARNESS_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#define OPT_MAX_JOBS 256 /* the runner's worker slots */

/* --jobs when not given: the number of cores, from 1 to OPT_MAX_JOBS. */
int opt_default_jobs(void);

/* A whole decimal number from min to max (no sign, no spaces, nothing after it). */
bool opt_number(const char *cmd, const char *option, const char *value, long min, long max,
                long *out);
/* "I/N" with 1 <= I <= N, both strict numbers. */
bool opt_shard(const char *cmd, const char *value, unsigned *i, unsigned *n);
/* Whether the k-th selected item (0-based) falls in shard i of n (n 0: no sharding). */
bool opt_in_shard(size_t k, unsigned i, unsigned n);
/* A --filter glob against a scenario id. '*' and '?' are wildcards ('*' crosses '/'); '[' and
 * ']' match themselves, since the ids of matrix scenarios hold them:
 * certificates/valid-chain[cert=server,version=tls12]. */
bool opt_id_matches(const char *glob, const char *id);
/* An output file (--json FILE): its directory exists and is writable, and FILE is not a
 * directory, so that a typo fails before the run, not after it. NULL passes. */
bool opt_output_file(const char *cmd, const char *option, const char *path);
/* An output directory (--capture DIR): created when missing (its parent must exist); it must be
 * a writable directory. NULL passes. */
bool opt_output_dir(const char *cmd, const char *option, const char *path);
/* tcp://HOST:PORT (HOST may be [IPv6]) split into host and port; the port is 1 to 65535 and
 * the host resolves (once, here, rather than once per scenario). */
bool opt_target_address(const char *cmd, const char *url, char *host, size_t host_cap, char *port,
                        size_t port_cap);

#endif
