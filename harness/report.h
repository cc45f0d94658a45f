/* Results of a run, baselines, and the reporters (terminal, JSON, JUnit XML, HTML).
 *
 * The runner fills one run_result per (scenario, implementation); baseline_apply turns the raw
 * verdicts into reported ones (xfail/xpass); the reporters only read. Verdicts are those of
 * ../shared/DESIGN.md "Verdicts and results". */
#ifndef TG_HARNESS_REPORT_H
#define TG_HARNESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scenario.h"

typedef enum verdict {
  V_PASS = 0,
  V_LENIENT, /* rejected as required, with another alert or none */
  V_FAIL,
  V_CRASH, /* a signal or a sanitizer report */
  V_TIMEOUT,
  V_SKIP,  /* the implementation lacks the feature (adapter exit 3) */
  V_XFAIL, /* a deviation the baseline lists, happening as listed */
  V_XPASS, /* the baseline lists a deviation that did not happen */
  V_COUNT
} verdict;

/* "pass", "lenient", ... */
const char *verdict_name(verdict v);
bool verdict_parse(const char *s, verdict *out);

typedef struct run_result {
  const sc_scenario *scenario;
  const char *implementation;  /* "builtin", "gnutls", or the --target URL */
  verdict raw;                 /* what happened */
  verdict reported;            /* after the baseline (== raw without an entry) */
  bool unexpected;             /* counts toward exit status 1 (set by baseline_apply) */
  char expected[256];          /* what the script required, e.g. "alert decode_error" */
  char got[256];               /* what happened, e.g. "alert illegal_parameter" */
  const char *baseline_reason; /* the baseline entry's reason, or NULL (owned by the baseline) */
  char *transcript;            /* malloc'd text: steps, records and messages each way, the peer's
                                * JSON line and the tail of its stderr; may be NULL */
  double seconds;
} run_result;

void run_result_free(run_result *r); /* frees transcript */

/* ---- Baselines: vectors/baselines/IMPLEMENTATION.yaml ---------------------------------------
 *   implementation: gnutls
 *   deviations:
 *     - id: client-hello/legacy-version-ssl3     # a scenario id (matrix suffix included), or
 *                                                # a glob (fnmatch) over ids
 *       verdict: lenient                         # the verdict that happens
 *       reason: "answers protocol_version where RFC 8446 4.1.2 asks for ..."   # required
 */
typedef struct baseline_entry {
  char *id; /* may be a glob */
  verdict v;
  char *reason;
  int line;
  bool used; /* some result matched it */
} baseline_entry;

typedef struct baseline {
  char *implementation;
  char *file;
  baseline_entry *e;
  size_t n;
} baseline;

/* Loads a baseline file; a missing file is an empty baseline when missing_ok. Errors are
 * FILE:LINE:COLUMN in err (exit 2 for the caller). */
bool baseline_load(baseline *b, const char *path, bool missing_ok, char *err, size_t errlen);
/* The same from text in memory (fuzz_baseline); name stands for the file in messages. */
bool baseline_load_text(baseline *b, const char *name, const char *text, size_t len, char *err,
                        size_t errlen);
void baseline_free(baseline *b);
/* Sets r->reported, r->baseline_reason and r->unexpected:
 *   an entry matches and raw == its verdict         -> xfail, expected
 *   an entry matches and raw == pass                -> xpass, unexpected
 *   an entry matches and raw is something else      -> raw, unexpected
 *   no entry: pass, skip, and (unless strict) lenient are expected; fail, crash, timeout are not.
 * b may be NULL. */
void baseline_apply(const baseline *b, run_result *r, bool strict);

/* ---- Reporters --------------------------------------------------------------------------- */

typedef struct run_report {
  run_result *results; /* scenario-major: results[s * n_impls + i] */
  size_t n_scenarios;
  const char **impls; /* implementation names, in column order */
  size_t n_impls;
  double seconds;           /* wall clock of the whole run */
  const char *command_line; /* for the reports' headers */
} run_report;

/* The final terminal output: the matrix (scenario rows x implementation columns when it fits,
 * else per-implementation counts only), verdict counts per implementation, and every unexpected
 * result with expected vs got. color: ANSI colors. */
void report_terminal(FILE *f, const run_report *r, bool color);
/* One progress line, rewritten in place ("\r") on a terminal: done/total, counts, the current
 * scenario. */
void report_progress(FILE *f, size_t done, size_t total, const size_t counts[V_COUNT],
                     const char *current, bool tty);

/* The files; false with err filled when the file cannot be written. */
bool report_json(const char *path, const run_report *r, char *err, size_t errlen);
/* One <testsuite> per implementation, one <testcase> per scenario (classname = the
 * implementation, name = the scenario id); fail/crash/timeout/xpass as <failure> with
 * expected vs got; skip as <skipped>. */
bool report_junit(const char *path, const run_report *r, char *err, size_t errlen);
/* One self-contained page (no external resources): the matrix coloured by verdict, filters by
 * tag and by verdict, a click on a cell shows that run's transcript. */
bool report_html(const char *path, const run_report *r, char *err, size_t errlen);

#endif
