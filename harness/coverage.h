/* Internal to `tlsgauntlet coverage` (coverage.c, coverage_html.c): the catalogue's requirements
 * per RFC and section with the scenarios that cite each, as every output reads them. */
#ifndef TG_HARNESS_COVERAGE_H
#define TG_HARNESS_COVERAGE_H

#include <stdbool.h>
#include <stdio.h>

#include "requirements.h"

/* One RFC of the catalogue: its requirements by section (sections in the RFC's order, entries
 * in file order), and its counts. */
typedef struct cov_rfc {
  const rq_rfc *rfc;
  const rq_cover **v;
  size_t n;
  rq_counts counts;
} cov_rfc;

typedef struct cov_model {
  cov_rfc *rfcs; /* by RFC number; only --rfc's when given */
  size_t n_rfcs;
  rq_counts all; /* of those RFCs */
  rq_coverage cov;
  unsigned long rfc; /* --rfc, 0 every RFC */
  int role;          /* -1, or the sc_role --role keeps */
  bool uncovered;    /* --uncovered */
} cov_model;

/* Whether a requirement is listed under the filters (--role, --uncovered); the counts ignore
 * them. */
bool cov_listed(const cov_model *m, const rq_cover *c);
/* Whether a citation that counts nowhere is listed (--rfc). */
bool cov_stray_listed(const cov_model *m, const rq_stray *s);
/* Whether the role's scenarios are listed (--role). */
bool cov_role_listed(const cov_model *m, int role);
/* "12/15 (80%)", or "-" without any pair. */
void cov_ratio(size_t covered, size_t total, char *buf, size_t cap);
extern const char *const cov_role_names[2]; /* indexed by sc_role: "server", "client" */

/* The self-contained HTML page (coverage_html.c); false when the file cannot be written. */
bool cov_write_html(const cov_model *m, const char *path);

#endif
