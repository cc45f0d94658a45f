/* Verdict names (the words every reporter and baseline file uses) and freeing one result. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *const verdict_names[V_COUNT] = {
    [V_PASS] = "pass",       [V_LENIENT] = "lenient", [V_FAIL] = "fail",   [V_CRASH] = "crash",
    [V_TIMEOUT] = "timeout", [V_SKIP] = "skip",       [V_XFAIL] = "xfail", [V_XPASS] = "xpass",
};

const char *verdict_name(verdict v) {
  if ((unsigned)v >= V_COUNT)
    return "unknown";
  return verdict_names[v];
}

bool verdict_parse(const char *s, verdict *out) {
  if (s == NULL)
    return false;
  for (int v = 0; v < V_COUNT; v++) {
    if (strcmp(s, verdict_names[v]) == 0) {
      *out = (verdict)v;
      return true;
    }
  }
  return false;
}

void run_result_free(run_result *r) {
  if (r == NULL)
    return;
  free(r->transcript);
  r->transcript = NULL;
}
