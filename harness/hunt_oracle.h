/* hunt's oracle: what each implementation did with a mutant (its signature), whether they
 * disagree, and how a disagreement is named and ranked (docs/hunting.md). Pure functions of run
 * results, shared by `tlsgauntlet hunt` and the fuzz_hunt libFuzzer target. */
#ifndef TG_HARNESS_HUNT_ORACLE_H
#define TG_HARNESS_HUNT_ORACLE_H

#include <stdbool.h>
#include <stddef.h>

#include "hunt.h"
#include "report.h"

#define HUNT_SIG_MAX 48   /* one signature: "alert unsupported_extension" */
#define HUNT_KEY_MAX 1024 /* a vector or a class key */

/* What the target did with the mutant, whatever the script wanted (run_result.did): "accepted",
 * "alert NAME", "close", "timeout", "crash"; "skip" and "inconclusive" when the run says nothing
 * of the target (an option it lacks, a mutation that never happened: the scripted side never got
 * there), "answered" when the script ended waiting for a message the target sent (a
 * HelloRetryRequest: what it would have done next was not watched, so it says nothing either), and
 * "pass" for a script that passed with no expect step. */
void hunt_signature(const run_result *r, char *buf, size_t cap);
/* Whether a signature says something of the target (not skip, inconclusive, answered). */
bool hunt_signature_conclusive(const char *sig);

/* The vector of signatures of results r[0..n) (one per implementation, in the targets' order):
 * "builtin=accepted gnutls=alert decode_error ...". */
void hunt_vector(const run_result *r, size_t n, char *buf, size_t cap);

/* How implementations differ in r[0..n), most telling first; HD_NONE when at most one
 * conclusive signature is seen (or fewer than two conclusive results). */
typedef enum hunt_diff {
  HD_NONE = 0,
  HD_ALERT,      /* all rejected, with different alerts */
  HD_CLOSE,      /* all rejected, some without an alert */
  HD_TIMEOUT,    /* some waited where others answered */
  HD_ACCEPTANCE, /* some accepted what others rejected */
  HD_CRASH,      /* an implementation crashed (a class of its own, even alone) */
} hunt_diff;
hunt_diff hunt_disagreement(const run_result *r, size_t n);
/* "alert", "silent-close", "timeout", "acceptance", "crash"; "" for HD_NONE. */
const char *hunt_diff_name(hunt_diff d);

/* A class of findings: the vector and the kinds of the mutations (hunt_mut_shape), sorted, so that
 * the order of mutations does not make two classes of one: "VECTOR | SHAPE SHAPE". */
void hunt_class_key(const hunt_mutant *m, const char *vec, char *buf, size_t cap);

/* The RFC section a mutation most likely concerns ("RFC 8446 5.1"), for the comment of a
 * written scenario; NULL when none is more likely than the seed's own. */
const char *hunt_mut_rfc(const hunt_mut *m);

#endif
