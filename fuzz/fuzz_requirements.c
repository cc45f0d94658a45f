/* fuzz_requirements: the input as a requirement catalogue file (docs/requirements.md) through
 * its loader, then the cross-file checks and the lookup index. Oracles: no crash, no leak, and
 * the loader's contract: a failure is a FILE:LINE:COLUMN message; a success yields entries whose
 * ids have the catalogue's syntax, each found again by its id. */
#include <string.h>

#include "fuzz_common.h"
#include "requirements.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  rq_catalogue c;
  sc_error err = {{0}};
  rq_init(&c);
  if (rq_load_text(&c, "fuzz", data, size, &err) && rq_finish(&c, &err)) {
    for (size_t i = 0; i < c.n; i++) {
      const rq_requirement *r = &c.v[i];
      TG_FUZZ_ASSERT(rq_id_syntax_ok(r->id), "entry %zu: id '%s'", i, r->id);
      TG_FUZZ_ASSERT(rq_find(&c, r->id) == r, "entry %zu: '%s' not found again", i, r->id);
      TG_FUZZ_ASSERT(r->testable == (r->why == NULL), "entry %s: testable and why disagree", r->id);
    }
  } else {
    TG_FUZZ_ASSERT(strncmp(err.text, "fuzz:", 5) == 0, "message without a place: %s", err.text);
  }
  rq_free(&c);
  return 0;
}
