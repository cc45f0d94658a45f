/* The requirement catalogue (vectors/requirements/, docs/requirements.md): the normative
 * statements of the TLS RFCs, one YAML file per RFC, loaded and checked here; the check of the
 * scenarios' `requires:` against it; and coverage, which scenario checks which requirement in
 * which role (docs/requirements.md "Counting coverage"), for `tlsgauntlet coverage`.
 *
 * Every problem of a catalogue file, and every unknown id a scenario cites, is reported as
 * FILE:LINE:COLUMN. Memory: a catalogue owns everything it holds (rq_free). */
#ifndef TG_HARNESS_REQUIREMENTS_H
#define TG_HARNESS_REQUIREMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* The MUST-level keywords first: the goals of issue 19 count those. */
typedef enum rq_level {
  RQ_MUST = 0,
  RQ_MUST_NOT,
  RQ_SHALL,
  RQ_SHALL_NOT,
  RQ_REQUIRED,
  RQ_SHOULD,
  RQ_SHOULD_NOT,
  RQ_RECOMMENDED,
  RQ_NOT_RECOMMENDED,
  RQ_LEVEL_COUNT
} rq_level;

typedef enum rq_binds { RQ_CLIENT = 0, RQ_SERVER, RQ_BOTH, RQ_SENDER, RQ_RECEIVER } rq_binds;

typedef struct rq_requirement {
  char *id;      /* "rfc8446-4.1.2-compression-one-null" */
  unsigned rfc;  /* 8446: the file's rfc:, which the id names */
  char *section; /* "4.1.2" */
  rq_level level;
  rq_binds binds;
  char *text;
  bool testable;
  char *why;        /* with testable false, else NULL */
  const char *file; /* the rq_rfc's */
  int line, column; /* of the entry's mapping */
} rq_requirement;

/* One catalogue file. */
typedef struct rq_rfc {
  unsigned number;
  char *title;
  char *file; /* its requirements' file points here */
} rq_rfc;

typedef struct rq_catalogue {
  rq_requirement *v; /* in load order: files sorted by name, entries in file order */
  size_t n, cap;
  rq_rfc *rfcs;
  size_t n_rfcs, cap_rfcs;
  const rq_requirement **by_id; /* sorted by id, for rq_find (built by rq_load_dir) */
} rq_catalogue;

/* Whether id is rfcN-SECTION-NAME (docs/requirements.md): the one check of the syntax, for the
 * catalogue's entries and the scenarios' `requires:`. */
bool rq_id_syntax_ok(const char *id);
/* "MUST NOT", "client", ... as the catalogue spells them. */
const char *rq_level_name(rq_level l);
const char *rq_binds_name(rq_binds b);
/* MUST, MUST NOT, SHALL, SHALL NOT, REQUIRED. */
bool rq_must_level(rq_level l);
/* Whether a requirement with these binds has a duty in role (both, sender and receiver: each). */
bool rq_binds_role(rq_binds b, sc_role role);

void rq_init(rq_catalogue *c);
void rq_free(rq_catalogue *c);
/* One catalogue file's text (name stands for the file in messages), appended to c. false with
 * err ("NAME:LINE:COLUMN: message") at the first error. Ids unique within the file; across files
 * rq_finish checks. */
bool rq_load_text(rq_catalogue *c, const char *name, const uint8_t *text, size_t len,
                  sc_error *err);
/* Every *.yaml of dir (not below it; names starting with '.' skipped), in name order, then
 * rq_finish. A directory without any is an empty catalogue. */
bool rq_load_dir(rq_catalogue *c, const char *dir, sc_error *err);
/* The lookup index, and ids unique across the files (the second place is the error's, naming
 * the first) and RFC numbers unique across the files. */
bool rq_finish(rq_catalogue *c, sc_error *err);
/* The requirement with this id, or NULL (after rq_finish). */
const rq_requirement *rq_find(const rq_catalogue *c, const char *id);

/* Every id the scenarios of s cite is in c: else "FILE:LINE:COLUMN: unknown requirement ..." at
 * the id. c NULL (no catalogue found): the first citation is an error saying so; a suite that
 * cites nothing needs no catalogue. where names the catalogue in messages. */
bool rq_check_suite(const rq_catalogue *c, const char *where, const sc_suite *s, sc_error *err);

/* ---- Coverage -------------------------------------------------------------------------------- */

/* Which scenarios cite a requirement, per role of their target (indexed by sc_role). A
 * (requirement, role) pair exists when rq_binds_role; it is covered when a scenario whose target
 * plays that role cites the requirement. */
typedef struct rq_cover {
  const rq_requirement *req;
  bool bound[2];
  const sc_scenario **by[2];
  size_t n_by[2];
} rq_cover;

/* A citation that counts in no role: the requirement does not bind the role the scenario's
 * target plays, or it is not testable. */
typedef struct rq_stray {
  const sc_scenario *sc;
  const sc_requirement_ref *ref;
  const rq_requirement *req;
} rq_stray;

typedef struct rq_coverage {
  rq_cover *v; /* one per requirement, in the catalogue's order */
  size_t n;
  rq_stray *stray;
  size_t n_stray;
} rq_coverage;

/* The counts of one RFC (or all): pairs of testable requirements. */
typedef struct rq_counts {
  size_t must_testable;                  /* testable MUST-level requirements */
  size_t must_total[2], must_covered[2]; /* their (requirement, role) pairs, per role */
  size_t must_untestable, should_untestable;
  size_t should_testable;              /* testable SHOULD-level requirements */
  size_t should_total, should_covered; /* their pairs, both roles together */
} rq_counts;

/* The suite's citations mapped onto c (every id already checked by rq_check_suite). */
bool rq_coverage_compute(rq_coverage *cov, const rq_catalogue *c, const sc_suite *s);
void rq_coverage_free(rq_coverage *cov);
/* Adds cover's requirement to counts. */
void rq_count(rq_counts *counts, const rq_cover *cover);

#endif
