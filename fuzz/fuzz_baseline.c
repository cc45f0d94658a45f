/* fuzz_baseline: the input as a baseline file (vectors/baselines/IMPL.yaml, harness/report.h)
 * through the loader, then every entry applied to results whose ids are the entries' own and
 * a few fixed ones (so the glob matching runs on fuzzed patterns). Oracles: no crash, no leak; a
 * failure carries a "fuzz:" location; every loaded entry has an id, a reason and a verdict a
 * baseline may hold; applying never yields a verdict outside the enum, and an entry matching a
 * result with its own verdict makes it an expected xfail. */
#include <string.h>

#include "fuzz_common.h"
#include "report.h"

static void apply_one(const baseline *b, const char *id, verdict raw, outcome observed) {
  sc_scenario sc = {.id = (char *)id};
  run_result r = {
      .scenario = &sc, .implementation = b->implementation, .raw = raw, .observed = observed};
  baseline_entry *e = baseline_find(b, &r);
  baseline_apply(e, &r, false);
  TG_FUZZ_ASSERT((unsigned)r.reported < V_COUNT, "verdict %d", (int)r.reported);
  TG_FUZZ_ASSERT(r.baseline_reason == NULL || r.reported == V_XFAIL || r.unexpected,
                 "%s: an entry matched, yet %s is expected", id, verdict_name(r.reported));
  TG_FUZZ_ASSERT(e == NULL || raw != e->v || !outcome_equal(&observed, &e->observed) ||
                     r.reported == V_XFAIL,
                 "%s: the entry's own verdict and behaviour is not an xfail", id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  baseline b;
  char err[512] = "";
  if (!baseline_load_text(&b, "fuzz", (const char *)data, size, err, sizeof err)) {
    TG_FUZZ_ASSERT(strncmp(err, "fuzz:", 5) == 0, "message without a place: %s", err);
    return 0;
  }
  TG_FUZZ_ASSERT(b.implementation != NULL, "no implementation");
  for (size_t i = 0; i < b.n; i++) {
    const baseline_entry *e = &b.e[i];
    TG_FUZZ_ASSERT(e->id != NULL && e->reason != NULL && e->reason[0] != '\0', "entry %zu", i);
    TG_FUZZ_ASSERT(e->v != V_PASS && e->v != V_XFAIL && e->v != V_XPASS, "entry %zu", i);
    TG_FUZZ_ASSERT((e->v != V_LENIENT && e->v != V_FAIL) || e->observed.b != B_NONE,
                   "entry %zu: a lenient or fail entry without observed", i);
    apply_one(&b, e->id, e->v, e->observed);
    apply_one(&b, e->id, V_PASS, (outcome){B_NONE, -1});
  }
  static const char *const ids[] = {"client-hello/cipher-suites-empty", "a/b[version=tls12]", ""};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
    apply_one(&b, ids[i], V_LENIENT, (outcome){B_ALERT, 47});
  baseline_free(&b);
  return 0;
}
