/* Results of a run, baselines, and the reporters (terminal, JSON, JUnit XML, HTML).
 *
 * The runner fills one run_result per (scenario, implementation); baseline_apply turns the raw
 * verdicts into reported ones (xfail/xpass); the reporters only read. Verdicts are those of
 * ../shared/DESIGN.md "Verdicts and results". */
#ifndef TG_HARNESS_REPORT_H
#define TG_HARNESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

typedef enum verdict {
  V_PASS = 0,
  V_LENIENT, /* rejected as required, with another alert or none */
  V_FAIL,
  V_CRASH, /* a signal or a sanitizer report */
  V_TIMEOUT,
  V_INCONCLUSIVE, /* the scenario did not happen as written: a deviation or send step never
                   * fired, or the scripted endpoint failed before the deciding step */
  V_SKIP,         /* the implementation lacks the feature (adapter exit 3) */
  V_XFAIL,        /* a deviation the baseline lists, happening as listed */
  V_XPASS,        /* the baseline lists a deviation that did not happen */
  V_COUNT
} verdict;

/* "pass", "lenient", ... */
const char *verdict_name(verdict v);
bool verdict_parse(const char *s, verdict *out);

/* What the target did, in the words of a baseline entry's `observed:`. */
typedef enum behaviour {
  B_NONE = 0, /* nothing to record (pass, skip) */
  B_ACCEPTED, /* it went on: completed the handshake, answered, or echoed */
  B_ALERT,    /* it sent a fatal alert */
  B_CLOSE,    /* it closed without an alert */
  B_TIMEOUT,  /* nothing within the deadline */
} behaviour;

typedef struct outcome {
  behaviour b;
  int alert; /* B_ALERT: the AlertDescription */
} outcome;

/* "alert decode_error", "close", "accepted", "timeout" (the baseline's spelling); "" for B_NONE. */
void behaviour_format(const outcome *o, char *buf, size_t cap);
/* Parses that spelling; false when it is none of them. */
bool behaviour_parse(const char *s, outcome *o);
bool outcome_equal(const outcome *a, const outcome *b);

/* How bad a deviation is, most severe last: a result that is not pass or skip has one. */
typedef enum severity {
  SEV_NONE = 0,
  SEV_SILENT_CLOSE,   /* rejected as required, without an alert */
  SEV_WRONG_ALERT,    /* rejected as required, with another alert */
  SEV_REJECTED_VALID, /* rejected (or never answered) what it must accept */
  SEV_ACCEPTED_BAD,   /* accepted what it must reject */
  SEV_COUNT
} severity;

/* "silent-close", "wrong-alert", "rejected-valid-input", "accepted-bad-input"; "" for none. */
const char *severity_name(severity s);

typedef struct run_result {
  const sc_scenario *scenario;
  const char *implementation; /* "builtin", "gnutls", or the --target URL */
  verdict raw;                /* what happened */
  verdict reported;           /* after the baseline (== raw without an entry) */
  bool unexpected;            /* counts toward exit status 1 (set by baseline_apply) */
  char expected[256];         /* what the script required, e.g. "alert decode_error" */
  char got[256];              /* what happened, e.g. "alert illegal_parameter" */
  outcome observed;           /* what the target did where the script decided */
  /* What the target did where the script ended, whatever the script wanted (hunt's signature of
   * a run, docs/hunting.md): observed for lenient and fail; for a pass, what the last expect
   * step saw (accepted, its alert or its close); timeout; B_NONE for the other verdicts. */
  outcome did;
  unsigned did_step; /* the expect step (1-based) that saw it, 0 when none */
  severity sev;               /* of a result that is not pass or skip */
  char note[256];             /* the adapter's outcome line disagreeing with the wire, or "" */
  /* Not played: a live target plays the other role, or its profile says it is not configured
   * for the scenario (got: the reason). */
  bool target_skip;
  const char *baseline_reason; /* the baseline entry's reason, or NULL (owned by the baseline) */
  char *transcript;            /* malloc'd text: steps, records and messages each way, the peer's
                                * JSON line and the tail of its stderr; may be NULL */
  double seconds;
  /* The library behind the adapter and its version, as its outcome line names them
   * (peers/README.md: "implementation", "version"); "" without one (a live target, a crash). */
  char library[32];
  char library_version[64];
} run_result;

void run_result_free(run_result *r); /* frees transcript */

/* ---- Baselines: vectors/baselines/IMPLEMENTATION.yaml ---------------------------------------
 *   implementation: gnutls
 *   deviations:
 *     - id: client-hello/legacy-version-ssl3     # a scenario id (matrix suffix included), or
 *                                                # a glob (fnmatch) over ids
 *       verdict: lenient                         # the verdict that happens
 *       observed: alert protocol_version         # what the target does: "alert NAME", "close",
 *                                                # "accepted" or "timeout" (required for
 *                                                # lenient, fail and inconclusive)
 *       reason: "answers protocol_version where RFC 8446 4.1.2 asks for ..."   # required
 *       evidence: "openssl s_server -tls1_3 ...; gnutls-cli ..."  # how to see it without
 *                                                # tlsgauntlet (required for reference libraries)
 *       replay: "gnutls-serv --echo -p {port} ..."   # the library's CLI as the target, for
 *                                                # `run --replay` (runner.h run_target.cmd)
 */
typedef struct baseline_entry {
  char *id; /* may be a glob */
  verdict v;
  outcome observed; /* B_NONE: not given */
  char *reason;
  char *evidence; /* or NULL */
  char *replay;   /* a command that shows it without tlsgauntlet's adapter (run --replay), or
                   * NULL: the library's own CLI as the target, with run_target.cmd's {port}... */
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
/* The entry for a scenario id: an exact id first, else the first glob in file order; NULL when
 * none (or b is NULL, or b is another implementation's). */
baseline_entry *baseline_find(const baseline *b, const run_result *r);
/* Sets r->reported, r->baseline_reason and r->unexpected (verdict.c decides, docs/scenarios.md
 * "Baselines"):
 *   an entry matches, raw == its verdict and the behaviour is its observed -> xfail, expected
 *   an entry matches and raw == pass                                     -> xpass, unexpected
 *   an entry matches and anything else differs                           -> raw, unexpected
 *   no entry: pass (and a live target's role skip) is expected; anything else is unexpected,
 *   except lenient when lenient_ok.
 * e may be NULL. */
void baseline_apply(baseline_entry *e, run_result *r, bool lenient_ok);

/* ---- Reporters --------------------------------------------------------------------------- */

/* Where a report comes from, for the JSON report's provenance (docs/reports.md). A member left
 * NULL (or argc 0) is written as unknown, except host and kernel: NULL means this machine's
 * (uname). tlsgauntlet's own version and commit are compiled in. */
typedef struct report_origin {
  const char *tool_version, *tool_commit; /* NULL: this tlsgauntlet's (a merge keeps the shards') */
  const char *started; /* ISO 8601 UTC, "2026-12-07T10:05:00Z" (report_utc_now) */
  const char *host, *kernel;
  const char *const *argv; /* the command line as given, argv[0] = "tlsgauntlet" */
  size_t argc;
} report_origin;

typedef struct run_report {
  run_result *results; /* scenario-major: results[s * n_impls + i] */
  size_t n_scenarios;
  const char **impls; /* implementation names, in column order */
  size_t n_impls;
  double seconds;           /* wall clock of the whole run */
  const char *command_line; /* for the reports' headers */
  report_origin origin;
} run_report;

/* The schema_version the JSON report carries (docs/report-schema.json): 1 was the format before
 * it had one (and no provenance); 2 added schema_version, tool, started, host, command_line and
 * libraries. A reader refuses a higher one. */
#define REPORT_SCHEMA_VERSION 2

/* The current time as ISO 8601 UTC (report_origin.started); "" when the clock fails. */
void report_utc_now(char *buf, size_t cap);

/* The final terminal output: the matrix (scenario rows x implementation columns when it fits,
 * else per-implementation counts only), verdict counts per implementation, and every unexpected
 * result with expected vs got. color: ANSI colors. */
void report_terminal(FILE *f, const run_report *r, bool color);
/* The last line the progress wrote to a log (not a tty): zeroed before a run. */
typedef struct progress_mark {
  size_t tenth;   /* of the run, when it was written */
  uint64_t at_ms; /* elapsed, when it was written */
} progress_mark;

/* One progress line: done/total, counts, elapsed time and ETA, the current scenario. Called as
 * runs complete and, in between, as time passes (the same done with a later elapsed_ms). On a
 * terminal it is rewritten in place ("\r"); a log gets a line when the run crosses a tenth of
 * total, or when nothing did for 30 s (mark remembers the last line; NULL on a tty). */
void report_progress(FILE *f, size_t done, size_t total, const size_t counts[V_COUNT],
                     const char *current, uint64_t elapsed_ms, progress_mark *mark, bool tty);
/* The time part of that line: "elapsed 12s  ETA 1m05s". The ETA is the done runs' rate applied
 * to the others: "ETA ?" before the first completes, none once all have. */
void progress_eta(char *buf, size_t cap, size_t done, size_t total, uint64_t elapsed_ms);

/* The files; false with err filled when the file cannot be written. */
bool report_json(const char *path, const run_report *r, char *err, size_t errlen);
/* One <testsuite> per implementation, one <testcase> per scenario (classname = the
 * implementation, name = the scenario id); fail/crash/timeout/xpass as <failure> with
 * expected vs got; skip as <skipped message="the reason">; an xfail passes but carries
 * properties (tlsgauntlet.verdict, baseline.reason, ...) and a <system-out> saying what
 * happened. */
bool report_junit(const char *path, const run_report *r, char *err, size_t errlen);
/* One self-contained page (no external resources): the matrix coloured by verdict, filters by
 * tag and by verdict, an xfail cell names what the target did (accepted, wrong alert, silent
 * close, timeout); a click on a cell opens that run's transcript in a row right under it. The
 * JSON report is embedded zlib-compressed (the page inflates it), which keeps the page small. */
bool report_html(const char *path, const run_report *r, char *err, size_t errlen);
/* The report files a command was asked for (a NULL path: not asked), each written whatever
 * became of the others; a failure is said on stderr as "tlsgauntlet CMD: ...". False when one
 * could not be written. */
bool report_files(const run_report *r, const char *cmd, const char *json, const char *junit,
                  const char *html);

#endif
