/* The registry of implementations: the one list of the TLS implementations tlsgauntlet knows,
 * in the order every command shows them. `run --peer all`, `verify --peer all`, `peers`, the
 * interop matrix (tests/cli/matrix.sh, through `peers --json`) and the limits on implementations
 * per run come from here. A new implementation is a row of the table in impls.c and an adapter
 * tg-peer-NAME (peers/README.md); nothing else names it. */
#ifndef TG_HARNESS_IMPLS_H
#define TG_HARNESS_IMPLS_H

#include <stdbool.h>
#include <stddef.h>

#define TG_MAX_IMPLS 16 /* implementations in one run, report, verify */

typedef struct tg_impl {
  /* "gnutls": --peer NAME, the adapter program tg-peer-NAME, vectors/baselines/NAME/ */
  const char *name;
  const char *library; /* "GnuTLS", for people */
  const char *package; /* the Debian package that provides the library ("" for builtin) */
  bool tls13;          /* the library speaks TLS 1.3 (Mbed TLS 2.28 does not) */
  /* has X.509 path validation for `verify --peer` (builtin verifies in process) */
  bool verify;
} tg_impl;

/* The table, in registry order; *n its length. */
const tg_impl *tg_impls(size_t *n);
/* The registered implementation called name; NULL when not registered. */
const tg_impl *tg_impl_find(const char *name);

/* Why impl's adapter is missing, for a message that names it: "tg-peer-wolfssl not found:
 * configure did not find libwolfssl-dev" (without a newline). */
void tg_impl_missing_why(const tg_impl *impl, char *buf, size_t len);

/* `--peer all`: the registered implementations whose adapter is found (harness_adapter_path),
 * in registry order, into names (at most max); how many. A build without one (configure did not
 * find its library) is normal, but a run must never be silently smaller than asked: each missing
 * one is said on stderr as "tlsgauntlet CMD: note: WHY (--peer all plays the others)", unless cmd
 * is NULL. */
size_t tg_impls_built(const char **names, size_t max, const char *cmd);

/* --peer NAME of a command: adds name to list (*n entries, room for TG_MAX_IMPLS), "all" standing
 * for tg_impls_built (whose notes are said once per command: *noted); a name listed already is not
 * added again. false when the list is full. */
bool tg_impl_list_add(const char **list, size_t *n, const char *name, const char *cmd,
                      bool *noted);

#endif
