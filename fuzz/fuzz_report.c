/* fuzz_report: the input as a run's JSON report through the reader that merge, diff and
 * `baseline --from` share (harness/report_read.c). Oracles: no crash, no leak; a refusal names
 * the file ("fuzz: ..."); an accepted report has one result per scenario and implementation, each
 * in the verdict enum and naming its own row and column; and what it read, written again by the
 * run's own JSON writer, reads back to the same scenarios, implementations and verdicts. */
#include <jansson.h>
#include <string.h>

#include "fuzz_common.h"
#include "report.h"
#include "report_internal.h"
#include "report_read.h"

static void check_doc(const run_doc *d) {
  const run_report *r = &d->rep;
  TG_FUZZ_ASSERT(r->n_impls > 0 && r->n_scenarios > 0, "an empty report was accepted");
  for (size_t s = 0; s < r->n_scenarios; s++)
    for (size_t i = 0; i < r->n_impls; i++) {
      const run_result *x = &r->results[s * r->n_impls + i];
      TG_FUZZ_ASSERT((unsigned)x->reported < V_COUNT && (unsigned)x->raw < V_COUNT,
                     "verdict out of range at %zu/%zu", s, i);
      TG_FUZZ_ASSERT(x->scenario == &d->scenarios[s], "result %zu/%zu is not its row's", s, i);
      TG_FUZZ_ASSERT(x->implementation == r->impls[i], "result %zu/%zu is not its column's", s, i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  json_error_t je;
  json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL)
    return 0;
  run_doc d;
  char err[512] = "";
  if (!report_read_json(&d, "fuzz", root, err, sizeof err)) {
    TG_FUZZ_ASSERT(strncmp(err, "fuzz: ", 6) == 0, "message without the file: %s", err);
    return 0;
  }
  check_doc(&d);
  /* The round trip through the writer. */
  json_t *again = report_json_doc(&d.rep);
  run_doc e;
  bool ok = report_read_json(&e, "again", again, err, sizeof err);
  TG_FUZZ_ASSERT(ok, "the writer's own document is refused: %s", err);
  check_doc(&e);
  TG_FUZZ_ASSERT(e.rep.n_scenarios == d.rep.n_scenarios && e.rep.n_impls == d.rep.n_impls,
                 "%zu x %zu read back as %zu x %zu", d.rep.n_scenarios, d.rep.n_impls,
                 e.rep.n_scenarios, e.rep.n_impls);
  for (size_t s = 0; s < d.rep.n_scenarios; s++) {
    TG_FUZZ_ASSERT(strcmp(d.scenarios[s].id, e.scenarios[s].id) == 0, "row %zu: %s read back as %s",
                   s, d.scenarios[s].id, e.scenarios[s].id);
    for (size_t i = 0; i < d.rep.n_impls; i++) {
      const run_result *x = &d.rep.results[s * d.rep.n_impls + i];
      const run_result *y = &e.rep.results[s * e.rep.n_impls + i];
      TG_FUZZ_ASSERT(x->reported == y->reported && x->raw == y->raw &&
                         x->unexpected == y->unexpected &&
                         outcome_equal(&x->observed, &y->observed),
                     "%s on %s changed in the round trip", d.scenarios[s].id, d.rep.impls[i]);
    }
  }
  run_doc_free(&e);
  run_doc_free(&d);
  return 0;
}
