/* The X.509 chain manifest (vectors/x509/chains.yaml): a list of chains, each with the files it
 * is made of, what it is verified for and the verdict expected under each validation profile.
 * Read once, here, with libyaml, for `tlsgauntlet verify --manifest` and the unit tests; a
 * malformed manifest is refused with FILE:LINE:COLUMN.
 *
 *   - id: expired-leaf                 unique
 *     leaf: leaf_expired.pem           files relative to the manifest's directory NAME/ for
 *     untrusted: "int_ed.pem"          NAME.yaml; untrusted and trust are space-separated lists
 *     trust: "root.pem"                (untrusted in the order a peer offers them)
 *     name: "www.example.com"          "" or absent: no name check
 *     time: 2026-06-01T00:00:00Z       as verify --time
 *     purpose: server                  server (default) or client
 *     verdict: invalid                 under the rfc5280 profile
 *     reason: expired                  a tg_x509_reason name; "ok" exactly when valid
 *     webpki_verdict: invalid          optional: under webpki (absent: verdict)
 *     webpki_reason: profile_violation optional (absent: reason, when webpki_verdict is absent too)
 *     rfc: "RFC 5280 4.1.2.5"          the rule, and a line of what the chain is
 *     what: "..." */
#ifndef TG_HARNESS_CHAINS_H
#define TG_HARNESS_CHAINS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/x509_verify.h"

#define CHAINS_MAX_FILES 16 /* per untrusted or trust list */
#define CHAINS_N_PROFILES 2 /* tg_x509_profile values */

/* What a chain must give under one profile. */
typedef struct chain_expect {
  bool valid;
  tg_x509_reason reason; /* TG_X509_OK exactly when valid */
} chain_expect;

typedef struct chain_entry {
  char *id, *leaf, *name, *time_text, *rfc, *what; /* name NULL: no name check */
  char *untrusted[CHAINS_MAX_FILES], *trust[CHAINS_MAX_FILES];
  size_t n_untrusted, n_trust;
  int64_t time;
  tg_cert_purpose purpose;
  chain_expect expect[CHAINS_N_PROFILES]; /* by tg_x509_profile */
  size_t line;                            /* of the entry in the manifest, 1-based */
} chain_entry;

typedef struct chains {
  char *dir; /* the directory the files are in: the manifest's path without ".yaml" */
  chain_entry *v;
  size_t n;
} chains;

/* Loads the manifest at path (a NAME.yaml file). False with "PATH:LINE:COLUMN: message" (or
 * "PATH: message") in err, and nothing to free, on a file that cannot be read or is not a
 * manifest: unknown or repeated keys, a missing field, an id used twice, a bad time, purpose,
 * verdict or reason, a verdict that contradicts its reason. */
bool chains_load(chains *c, const char *path, char *err, size_t errlen);
void chains_free(chains *c);

/* The path of a file of the manifest (dir/file) into out; false when it does not fit. */
bool chains_path(const chains *c, const char *file, char *out, size_t len);

/* A verification time: YYYY-MM-DD[THH:MM[:SS]][Z] (UTC; a real date: 2023-02-29 is not one) or
 * @SECONDS (a whole number that fits in 64 bits, sign allowed). Also verify's --time. */
bool chains_parse_time(const char *s, int64_t *out);

#endif
