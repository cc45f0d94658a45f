/* The JUnit XML report: the shape CI systems read (Jenkins, GitLab, GitHub annotations).
 * testsuites > testsuite (one per implementation) > testcase (one per scenario).
 *
 * Transcripts hold any bytes, and XML 1.0 allows neither most control characters nor invalid
 * UTF-8, even escaped. Those bytes are written as the text "\xNN" so the file stays well-formed
 * and the byte is still visible to a reader. */
#include <errno.h>
#include <string.h>

#include "report.h"

#include "report_internal.h"

/* Writes s escaped for XML text or (attr) a double-quoted attribute value, where line breaks
 * and tabs are kept as character references (attribute normalization would turn them into
 * spaces). */
static void xml_escaped(FILE *f, const char *s, bool attr) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t left = strlen((const char *)p);
  while (left > 0) {
    size_t n = report_utf8_len(p, left);
    unsigned char c = *p;
    if (n == 0 || (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)) {
      fprintf(f, "\\x%02X", c); /* invalid UTF-8, or U+FFFE/U+FFFF (not XML chars) */
      n = 1;
    } else if (n > 1)
      fwrite(p, 1, n, f);
    else if (c == '&')
      fputs("&amp;", f);
    else if (c == '<')
      fputs("&lt;", f);
    else if (c == '>')
      fputs("&gt;", f);
    else if (c == '"')
      fputs("&quot;", f);
    else if (c == '\'')
      fputs("&apos;", f);
    else if ((c == '\n' || c == '\t' || c == '\r') && attr)
      fprintf(f, "&#%d;", c);
    else if (c == '\n' || c == '\t')
      fputc(c, f);
    else if (c < 0x20 || c == 0x7F)
      fprintf(f, "\\x%02X", c); /* \r too: parsers would turn it into \n */
    else
      fputc(c, f);
    p += n;
    left -= n;
  }
}

static bool is_failure(const run_result *x) {
  return x->unexpected || x->reported == V_FAIL || x->reported == V_CRASH ||
         x->reported == V_TIMEOUT || x->reported == V_XPASS || x->reported == V_INCONCLUSIVE;
}

static const char *or_dash(const char *s) { return s != NULL && *s != '\0' ? s : "-"; }

static void failure(FILE *f, const run_result *x) {
  fprintf(f, "      <failure type=\"%s\" message=\"expected ", verdict_name(x->reported));
  xml_escaped(f, or_dash(x->expected), true);
  fputs(", got ", f);
  xml_escaped(f, or_dash(x->got), true);
  fprintf(f, " (%s)\">", verdict_name(x->reported));
  fprintf(f, "verdict: %s (raw %s)\nexpected: ", verdict_name(x->reported), verdict_name(x->raw));
  xml_escaped(f, or_dash(x->expected), false);
  fputs("\ngot: ", f);
  xml_escaped(f, or_dash(x->got), false);
  if (x->sev != SEV_NONE)
    fprintf(f, "\nseverity: %s", severity_name(x->sev));
  if (x->note[0] != '\0') {
    fputs("\nnote: ", f);
    xml_escaped(f, x->note, false);
  }
  if (x->baseline_reason != NULL) {
    fputs("\nbaseline: ", f);
    xml_escaped(f, x->baseline_reason, false);
  }
  if (x->transcript != NULL) {
    fputs("\n\n", f);
    xml_escaped(f, x->transcript, false);
  }
  fputs("</failure>\n", f);
  if (x->transcript != NULL) {
    fputs("      <system-out>", f);
    xml_escaped(f, x->transcript, false);
    fputs("</system-out>\n", f);
  }
}

static void property(FILE *f, const char *name, const char *value) {
  if (value == NULL || *value == '\0')
    return;
  fprintf(f, "        <property name=\"%s\" value=\"", name);
  xml_escaped(f, value, true);
  fputs("\"/>\n", f);
}

/* A known deviation passes the build, but says what it is: the properties a CI page can
 * tabulate, and in <system-out> the baseline's reason and what happened. */
static void xfail(FILE *f, const run_result *x) {
  char observed[64];
  behaviour_format(&x->observed, observed, sizeof observed);
  fputs("      <properties>\n", f);
  property(f, "tlsgauntlet.verdict", verdict_name(x->reported));
  property(f, "tlsgauntlet.raw_verdict", verdict_name(x->raw));
  property(f, "tlsgauntlet.observed", observed);
  property(f, "tlsgauntlet.severity", x->sev ? severity_name(x->sev) : NULL);
  property(f, "tlsgauntlet.library", x->library);
  property(f, "tlsgauntlet.library_version", x->library_version);
  property(f, "baseline.reason", x->baseline_reason);
  fputs("      </properties>\n", f);
  fprintf(f, "      <system-out>xfail: %s, a deviation the baseline lists\nbaseline reason: ",
          verdict_name(x->raw));
  xml_escaped(f, or_dash(x->baseline_reason), false);
  fputs("\nexpected: ", f);
  xml_escaped(f, or_dash(x->expected), false);
  fputs("\ngot: ", f);
  xml_escaped(f, or_dash(x->got), false);
  fputs("\nobserved: ", f);
  xml_escaped(f, or_dash(observed), false);
  if (x->sev != SEV_NONE)
    fprintf(f, "\nseverity: %s", severity_name(x->sev));
  if (x->transcript != NULL) {
    fputs("\n\n", f);
    xml_escaped(f, x->transcript, false);
  }
  fputs("</system-out>\n", f);
}

static void testcase(FILE *f, const run_result *x, const char *impl) {
  fputs("    <testcase classname=\"", f);
  xml_escaped(f, impl, true);
  fputs("\" name=\"", f);
  xml_escaped(f, x->scenario && x->scenario->id ? x->scenario->id : "?", true);
  fprintf(f, "\" time=\"%.3f\"", x->seconds);
  if (is_failure(x)) {
    fputs(">\n", f);
    failure(f, x);
    fputs("    </testcase>\n", f);
  } else if (x->reported == V_SKIP) {
    /* got holds why: the adapter's exit-3 message, or the profile's reason */
    fputs(">\n      <skipped message=\"", f);
    xml_escaped(f, or_dash(x->got), true);
    fputs("\"/>\n    </testcase>\n", f);
  } else if (x->reported == V_XFAIL) {
    fputs(">\n", f);
    xfail(f, x);
    fputs("    </testcase>\n", f);
  } else {
    fputs("/>\n", f);
  }
}

static void testsuite(FILE *f, const run_report *r, size_t i) {
  size_t failures = 0, skipped = 0;
  double seconds = 0;
  for (size_t s = 0; s < r->n_scenarios; s++) {
    const run_result *x = &r->results[s * r->n_impls + i];
    failures += is_failure(x);
    skipped += !is_failure(x) && x->reported == V_SKIP;
    seconds += x->seconds;
  }
  fputs("  <testsuite name=\"", f);
  xml_escaped(f, r->impls[i], true);
  fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n",
          r->n_scenarios, failures, skipped, seconds);
  for (size_t s = 0; s < r->n_scenarios; s++)
    testcase(f, &r->results[s * r->n_impls + i], r->impls[i]);
  fputs("  </testsuite>\n", f);
}

bool report_junit(const char *path, const run_report *r, char *err, size_t errlen) {
  FILE *f = fopen(path, "w");
  if (f == NULL) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return false;
  }
  size_t failures = 0, skipped = 0;
  for (size_t k = 0; k < r->n_scenarios * r->n_impls; k++) {
    failures += is_failure(&r->results[k]);
    skipped += !is_failure(&r->results[k]) && r->results[k].reported == V_SKIP;
  }
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
  fprintf(f,
          "<testsuites name=\"tlsgauntlet\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
          "skipped=\"%zu\" time=\"%.3f\">\n",
          r->n_scenarios * r->n_impls, failures, skipped, r->seconds);
  for (size_t i = 0; i < r->n_impls; i++)
    testsuite(f, r, i);
  fputs("</testsuites>\n", f);
  bool ok = !ferror(f);
  int saved = errno;
  if (fclose(f) != 0 && ok) {
    saved = errno;
    ok = false;
  }
  if (!ok)
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(saved));
  return ok;
}
