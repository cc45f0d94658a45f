/* fuzz_scenario: the input as a scenario file (docs/scenarios.md) through the loader, with no
 * directory for includes. Oracles: no crash, no leak, and the loader's contract: a failure
 * leaves the suite empty with a FILE:LINE:COLUMN message; a success yields scenarios that each
 * have an id, an RFC citation, at least one step and at most SC_MAX_DEVIATIONS specs. */
#include <string.h>

#include "fuzz_common.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sc_suite s;
  sc_error err = {{0}};
  sc_suite_init(&s);
  if (sc_load_text(&s, "fuzz", NULL, data, size, &err)) {
    for (size_t i = 0; i < s.n; i++) {
      const sc_scenario *sc = &s.v[i];
      TG_FUZZ_ASSERT(sc->id != NULL && sc->rfc != NULL && sc->n_steps > 0, "scenario %zu", i);
      TG_FUZZ_ASSERT(sc->n_deviations <= SC_MAX_DEVIATIONS && sc->n_tags >= 1, "%s", sc->id);
    }
  } else {
    TG_FUZZ_ASSERT(s.n == 0, "a failed load left %zu scenarios", s.n);
    TG_FUZZ_ASSERT(strncmp(err.text, "fuzz:", 5) == 0, "message without a place: %s", err.text);
  }
  sc_suite_free(&s);
  return 0;
}
