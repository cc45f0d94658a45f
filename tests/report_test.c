/* Verdicts, baselines and the reporters (harness/report.h): baseline files good and bad, every
 * rule of baseline_apply, the JSON report re-parsed, the JUnit report's escaping checked by an XML
 * parser, and the terminal report's matrix, counts and unexpected list. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "report.h"
#include "verdict.h"

/* ---- Helpers ------------------------------------------------------------------------------- */

/* A temporary file holding text; the path is static storage, valid until the next call. */
static const char *temp_file(const char *text) {
  static char path[64];
  strcpy(path, "/tmp/tg_report_test_XXXXXX");
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  size_t len = strlen(text);
  cr_assert_eq(write(fd, text, len), (ssize_t)len);
  close(fd);
  return path;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static sc_scenario scenario(char *id) {
  sc_scenario s = {.id = id, .rfc = "RFC 8446 4.1.2", .title = "a title", .n_tags = 1};
  s.tags[0] = "client-hello";
  return s;
}

static run_result result(const sc_scenario *s, const char *impl, verdict raw) {
  run_result r = {.scenario = s, .implementation = impl, .raw = raw, .reported = raw};
  return r;
}

/* ---- Verdicts ------------------------------------------------------------------------------ */

Test(verdict, names_round_trip) {
  for (int v = 0; v < V_COUNT; v++) {
    verdict back = V_COUNT;
    cr_expect(verdict_parse(verdict_name((verdict)v), &back), "%d", v);
    cr_expect_eq((int)back, v);
  }
  cr_expect_str_eq(verdict_name(V_LENIENT), "lenient");
  cr_expect_str_eq(verdict_name(V_XPASS), "xpass");
  cr_expect_str_eq(verdict_name(V_COUNT), "unknown");
  verdict v = V_PASS;
  cr_expect_not(verdict_parse("Pass", &v));
  cr_expect_not(verdict_parse("", &v));
  cr_expect_not(verdict_parse(NULL, &v));
  cr_expect_not(verdict_parse("unknown", &v));
  cr_expect_eq(v, V_PASS, "a failed parse leaves the output alone");
}

/* ---- baseline_load ------------------------------------------------------------------------- */

Test(baseline, load_good) {
  const char *path = temp_file("# gnutls deviations\n"
                               "implementation: gnutls\n"
                               "deviations:\n"
                               "  - id: client-hello/legacy-version-ssl3\n"
                               "    verdict: lenient\n"
                               "    observed: alert protocol_version\n"
                               "    reason: \"answers protocol_version: where 4.1.2 asks\"\n"
                               "  - id: record/*\n"
                               "    reason: >-\n"
                               "      folded\n"
                               "      text\n"
                               "    verdict: timeout\n");
  baseline b;
  char err[512] = "";
  cr_assert(baseline_load(&b, path, false, err, sizeof err), "%s", err);
  cr_expect_str_eq(b.implementation, "gnutls");
  cr_expect_str_eq(b.file, path);
  cr_assert_eq(b.n, 2);
  cr_expect_str_eq(b.e[0].id, "client-hello/legacy-version-ssl3");
  cr_expect_eq(b.e[0].v, V_LENIENT);
  cr_expect_str_eq(b.e[0].reason, "answers protocol_version: where 4.1.2 asks");
  cr_expect_eq(b.e[0].line, 4);
  cr_expect_not(b.e[0].used);
  cr_expect_str_eq(b.e[1].id, "record/*");
  cr_expect_eq(b.e[1].v, V_TIMEOUT);
  cr_expect_str_eq(b.e[1].reason, "folded text");
  cr_expect_eq(b.e[1].line, 8);
  baseline_free(&b);
  cr_expect_eq(b.n, 0);
  cr_expect_null(b.e);
  unlink(path);
}

Test(baseline, load_empty_list) {
  const char *path = temp_file("implementation: openssl\ndeviations: []\n");
  baseline b;
  char err[512] = "";
  cr_assert(baseline_load(&b, path, false, err, sizeof err), "%s", err);
  cr_expect_eq(b.n, 0);
  baseline_free(&b);
  unlink(path);
  path = temp_file("implementation: openssl\ndeviations:\n");
  cr_assert(baseline_load(&b, path, false, err, sizeof err), "%s", err);
  cr_expect_eq(b.n, 0);
  baseline_free(&b);
  unlink(path);
}

Test(baseline, load_missing) {
  baseline b;
  char err[512] = "";
  const char *path = "/nonexistent/dir/boringssl.yaml";
  cr_assert(baseline_load(&b, path, true, err, sizeof err), "%s", err);
  cr_expect_eq(b.n, 0);
  cr_expect_str_eq(b.implementation, "boringssl");
  baseline_free(&b);
  cr_expect_not(baseline_load(&b, path, false, err, sizeof err));
  cr_expect_str_eq(err, "/nonexistent/dir/boringssl.yaml: No such file or directory");
  cr_expect_eq(b.n, 0);
  baseline_free(&b); /* safe after a failed load */
  cr_expect_not(baseline_load(&b, "/tmp", true, err, sizeof err));
  cr_expect_str_eq(err, "/tmp: is a directory, not a YAML file");
}

/* One row per mistake: the file, the LINE:COLUMN the error must name and a word of the message. */
static const struct bad_baseline {
  const char *text, *where, *words;
} bad_baselines[] = {
    {"implementation: x\ndeviations:\n  - id: a\n    verdict: fail\n", "3:5", "has no reason"},
    {"implementation: x\ndeviations:\n  - id: a\n    verdict: fail\n    reason: \"\"\n", "5:13",
     "reason must be a non-empty string"},
    {"implementation: x\ndeviations:\n  - id: a\n    verdict: fail\n    reason: '   '\n", "5:13",
     "reason must be a non-empty string"},
    {"implementation: x\ndeviations:\n  - id: a\n    verdict: fail\n    reason: ~\n", "5:13",
     "reason must be a non-empty string"},
    {"implementation: x\ndeviations:\n  - reason: r\n    verdict: fail\n", "3:5", "has no id"},
    {"implementation: x\ndeviations:\n  - id: a\n    reason: r\n", "3:5", "has no verdict"},
    {"implementation: x\ndeviations:\n  - id: a\n    verdict: fail\n    reason: r\n"
     "    severity: high\n",
     "6:5", "unknown key \"severity\""},
    {"implementation: x\nowner: me\n", "2:1", "unknown key \"owner\""},
    {"implementation: x\ndeviations:\n  - id: a\n    verdict: pass\n    reason: r\n", "4:14",
     "verdict must be one of"},
    {"implementation: x\ndeviations:\n  - id: a\n    verdict: broken\n    reason: r\n", "4:14",
     "(got \"broken\")"},
    {"implementation: x\ndeviations:\n  - id: a\n    verdict: [fail]\n    reason: r\n", "4:14",
     "verdict must be one of"},
    {"implementation: x\ndeviations: {id: a}\n", "2:13", "deviations must be a list"},
    {"implementation: x\ndeviations:\n  - just-a-string\n", "3:5", "must be a mapping"},
    {"implementation: x\ndeviations:\n  - {id: a, verdict: fail, observed: accepted, reason: r}\n"
     "  - {id: a, verdict: crash, reason: s}\n",
     "4:5", "listed twice (also at line 3)"},
    {"deviations: []\n", "1:1", "no implementation"},
    {"implementation: \"\"\n", "1:17", "implementation must be a non-empty string"},
    {"implementation: x\nimplementation: y\n", "2:17", "implementation given twice"},
    {"", "1:1", "empty file"},
    {"- implementation: x\n", "1:1", "expected a mapping"},
    {"implementation: x\ndeviations:\n  - id: \"a\n", "4:1", "found unexpected end of stream"},
    {"implementation: x\n deviations: []\n", "2:12", "mapping values are not allowed"},
    {"implementation: x\n---\nimplementation: y\n", "3:1", "one YAML document"},
    {"implementation: x\n# \xff\n", "2:3", "invalid leading UTF-8 octet"},
    {"implementation: x\n  \x01\n", "2:3", "control characters are not allowed"},
    {"implementation: x\n? [a]\n: b\n", "2:3", "a key must be a string"},
    {"implementation: x\ndeviations:\n  - id: a\n    verdict: fail\n    reason: r\n"
     "  - id: b\n   verdict: fail\n",
     "7:4", ""},
};

Test(baseline, load_bad_files) {
  for (size_t i = 0; i < sizeof bad_baselines / sizeof *bad_baselines; i++) {
    const struct bad_baseline *t = &bad_baselines[i];
    const char *path = temp_file(t->text);
    baseline b;
    char err[512] = "", prefix[128];
    bool ok = baseline_load(&b, path, false, err, sizeof err);
    cr_expect_not(ok, "row %zu loaded", i);
    snprintf(prefix, sizeof prefix, "%s:%s: ", path, t->where);
    cr_expect_eq(strncmp(err, prefix, strlen(prefix)), 0, "row %zu: want %s..., got %s", i, prefix,
                 err);
    cr_expect_not_null(strstr(err, t->words), "row %zu: want \"%s\" in %s", i, t->words, err);
    cr_expect_eq(b.n, 0, "row %zu: a failed load leaves an empty baseline", i);
    if (ok)
      baseline_free(&b);
    unlink(path);
  }
}

/* ---- baseline_apply ------------------------------------------------------------------------ */

static baseline_entry entries[] = {
    {.id = "a/x", .v = V_LENIENT, .reason = "sends illegal_parameter"},
    {.id = "d/*", .v = V_FAIL, .reason = "the d glob"},
    {.id = "d/e", .v = V_LENIENT, .reason = "d/e exactly"},
    {.id = "c/z[version=tls12]", .v = V_CRASH, .reason = "bracketed id"},
    {.id = "never/matches", .v = V_FAIL, .reason = "unused"},
    {.id = "m/*[group=x25519]", .v = V_LENIENT, .reason = "a glob over a matrix"},
};

static baseline test_baseline(void) {
  for (size_t i = 0; i < sizeof entries / sizeof *entries; i++)
    entries[i].used = false;
  baseline b = {.implementation = "gnutls", .e = entries, .n = sizeof entries / sizeof *entries};
  return b;
}

/* Applies b to one result and checks reported, unexpected and the reason. */
static void check_apply(const baseline *b, char *id, verdict raw, bool strict, verdict reported,
                        bool unexpected, const char *reason) {
  sc_scenario s = scenario(id);
  run_result r = result(&s, "gnutls", raw);
  r.unexpected = !unexpected; /* must be overwritten */
  r.baseline_reason = "stale";
  baseline_apply(baseline_find(b, &r), &r, !strict);
  cr_expect_eq(r.raw, raw, "%s: raw is kept", id);
  cr_expect_eq(r.reported, reported, "%s raw %s: reported %s, want %s", id, verdict_name(raw),
               verdict_name(r.reported), verdict_name(reported));
  cr_expect_eq(r.unexpected, unexpected, "%s raw %s: unexpected %d", id, verdict_name(raw),
               r.unexpected);
  if (reason == NULL)
    cr_expect_null(r.baseline_reason, "%s: %s", id, r.baseline_reason);
  else
    cr_expect_str_eq(r.baseline_reason ? r.baseline_reason : "(null)", reason, "%s", id);
}

Test(baseline, apply_listed_deviation) {
  baseline b = test_baseline();
  check_apply(&b, "a/x", V_LENIENT, false, V_XFAIL, false, "sends illegal_parameter");
  check_apply(&b, "a/x", V_LENIENT, true, V_XFAIL, false, "sends illegal_parameter");
  cr_expect(entries[0].used);
  cr_expect_not(entries[4].used, "an entry nothing matched stays unused");
}

Test(baseline, apply_deviation_gone_is_xpass) {
  baseline b = test_baseline();
  check_apply(&b, "a/x", V_PASS, false, V_XPASS, true, "sends illegal_parameter");
  cr_expect(entries[0].used);
}

Test(baseline, apply_other_deviation_is_unexpected) {
  baseline b = test_baseline();
  check_apply(&b, "a/x", V_FAIL, false, V_FAIL, true, "sends illegal_parameter");
  check_apply(&b, "a/x", V_CRASH, false, V_CRASH, true, "sends illegal_parameter");
  check_apply(&b, "a/x", V_SKIP, false, V_SKIP, true, "sends illegal_parameter");
}

Test(baseline, apply_without_entry) {
  baseline b = test_baseline();
  static const struct {
    verdict raw;
    bool strict, unexpected;
  } rows[] = {
      {V_PASS, false, false}, {V_PASS, true, false},     {V_SKIP, false, true},
      {V_SKIP, true, true},   {V_LENIENT, false, false}, {V_LENIENT, true, true},
      {V_FAIL, false, true},  {V_CRASH, false, true},    {V_TIMEOUT, false, true},
      {V_INCONCLUSIVE, false, true},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    check_apply(&b, "not/listed", rows[i].raw, rows[i].strict, rows[i].raw, rows[i].unexpected,
                NULL);
    check_apply(NULL, "not/listed", rows[i].raw, rows[i].strict, rows[i].raw, rows[i].unexpected,
                NULL);
  }
  for (size_t i = 0; i < b.n; i++)
    cr_expect_not(entries[i].used, "%s", entries[i].id);
}

Test(baseline, apply_globs_and_exact_ids) {
  baseline b = test_baseline();
  /* The glob's '*' crosses '/' and matrix suffixes. */
  check_apply(&b, "d/f/g[version=tls12]", V_FAIL, false, V_XFAIL, false, "the d glob");
  /* An exact id wins over an earlier glob. */
  check_apply(&b, "d/e", V_LENIENT, false, V_XFAIL, false, "d/e exactly");
  /* Brackets in an exact id are not a character class. */
  check_apply(&b, "c/z[version=tls12]", V_CRASH, false, V_XFAIL, false, "bracketed id");
  check_apply(&b, "c/zv", V_CRASH, false, V_CRASH, true, NULL);
  check_apply(&b, "c/z[version=tls13]", V_CRASH, false, V_CRASH, true, NULL);
  /* A glob matches the whole id. */
  check_apply(&b, "dd/e", V_FAIL, false, V_FAIL, true, NULL);
  check_apply(&b, "x/a/x", V_LENIENT, true, V_LENIENT, true, NULL);
  /* A glob over a matrix: brackets literal, wildcards still work. */
  check_apply(&b, "m/hrr[group=x25519]", V_LENIENT, false, V_XFAIL, false, "a glob over a matrix");
  check_apply(&b, "m/hrr[group=secp256r1]", V_LENIENT, true, V_LENIENT, true, NULL);
  check_apply(&b, "m/hrrx", V_LENIENT, true, V_LENIENT, true, NULL);
  cr_expect(entries[1].used && entries[2].used && entries[3].used && entries[5].used);
}

Test(baseline, apply_other_implementation) {
  baseline b = test_baseline();
  sc_scenario s = scenario("a/x");
  run_result r = result(&s, "openssl", V_LENIENT);
  baseline_apply(baseline_find(&b, &r), &r, false);
  cr_expect_eq(r.reported, V_LENIENT, "gnutls's baseline says nothing about openssl");
  cr_expect(r.unexpected);
  cr_expect_null(r.baseline_reason);
  cr_expect_not(entries[0].used);
}

/* ---- A small run: 3 scenarios x 2 implementations ------------------------------------------ */

static sc_scenario run_scenarios[3];
static run_result run_results[6];
static const char *run_impls[] = {"builtin", "gnutls"};

static run_report small_run(void) {
  run_scenarios[0] = scenario("client-hello/cipher-suites-empty");
  run_scenarios[1] = scenario("record/oversized");
  run_scenarios[1].tags[0] = "record";
  run_scenarios[1].title = NULL;
  run_scenarios[2] = scenario("ext/alpn-empty");
  static const verdict raw[6] = {V_PASS, V_LENIENT, V_FAIL, V_CRASH, V_SKIP, V_PASS};
  for (size_t k = 0; k < 6; k++) {
    run_results[k] = result(&run_scenarios[k / 2], run_impls[k % 2], raw[k]);
    run_results[k].unexpected = raw[k] == V_FAIL || raw[k] == V_CRASH;
    run_results[k].seconds = 0.25 * (double)k;
    snprintf(run_results[k].expected, sizeof run_results[k].expected, "alert decode_error");
    snprintf(run_results[k].got, sizeof run_results[k].got, "alert illegal_parameter");
  }
  /* gnutls's lenient answer is a known deviation. */
  run_results[1].reported = V_XFAIL;
  run_results[1].baseline_reason = "sends illegal_parameter";
  snprintf(run_results[2].got, sizeof run_results[2].got, "established");
  /* Everything a transcript can hold: markup, quotes, a control byte, invalid UTF-8. */
  run_results[2].transcript =
      strdup("-> ClientHello\n<- \"alert\" <b>&amp;</b> 'x'\x01 \xff\xfe end\t</script>\r\n");
  run_results[3].transcript = strdup("killed by signal 11 \xe2\x9c\x93");
  snprintf(run_results[4].got, sizeof run_results[4].got, "tg-peer-builtin: no --alpn \"&\" <x>");
  /* gnutls's adapter named its library in the runs that did not crash. */
  snprintf(run_results[1].library, sizeof run_results[1].library, "gnutls");
  snprintf(run_results[1].library_version, sizeof run_results[1].library_version, "3.7.9");
  static const char *const argv[] = {"tlsgauntlet", "run", "--peer", "all", "<x>"};
  run_report r = {.results = run_results,
                  .n_scenarios = 3,
                  .impls = run_impls,
                  .n_impls = 2,
                  .seconds = 1.5,
                  .command_line = "tlsgauntlet run --peer all \"<x>\"",
                  .origin = {.started = "2026-12-07T10:05:00Z", .argv = argv, .argc = 5}};
  return r;
}

static void free_run(void) {
  for (size_t k = 0; k < 6; k++)
    run_result_free(&run_results[k]);
}

/* ---- JSON ---------------------------------------------------------------------------------- */

Test(report, json_reparses, .fini = free_run) {
  run_report r = small_run();
  char path[] = "/tmp/tg_report_json_XXXXXX", err[512] = "";
  close(mkstemp(path));
  cr_assert(report_json(path, &r, err, sizeof err), "%s", err);
  json_error_t jerr;
  json_t *doc = json_load_file(path, 0, &jerr);
  cr_assert_not_null(doc, "%s:%d: %s", path, jerr.line, jerr.text);
  cr_expect_str_eq(json_string_value(json_object_get(doc, "command")), r.command_line);
  cr_expect_float_eq(json_real_value(json_object_get(doc, "seconds")), 1.5, 1e-9);
  json_t *impls = json_object_get(doc, "implementations");
  cr_assert_eq(json_array_size(impls), 2);
  cr_expect_str_eq(json_string_value(json_array_get(impls, 1)), "gnutls");
  json_t *gnutls = json_object_get(json_object_get(doc, "summary"), "gnutls");
  cr_expect_eq(json_integer_value(json_object_get(gnutls, "xfail")), 1);
  cr_expect_eq(json_integer_value(json_object_get(gnutls, "crash")), 1);
  cr_expect_eq(json_integer_value(json_object_get(gnutls, "pass")), 1);
  cr_expect_eq(json_integer_value(json_object_get(gnutls, "lenient")), 0, "reported, not raw");
  cr_expect_eq(json_object_size(gnutls), V_COUNT);
  json_t *results = json_object_get(doc, "results");
  cr_assert_eq(json_array_size(results), 6);
  json_t *x = json_array_get(results, 1);
  cr_expect_str_eq(json_string_value(json_object_get(x, "id")), "client-hello/cipher-suites-empty");
  cr_expect_str_eq(json_string_value(json_object_get(x, "implementation")), "gnutls");
  cr_expect_str_eq(json_string_value(json_object_get(x, "verdict")), "xfail");
  cr_expect_str_eq(json_string_value(json_object_get(x, "raw_verdict")), "lenient");
  cr_expect(json_is_false(json_object_get(x, "unexpected")));
  cr_expect_str_eq(json_string_value(json_object_get(x, "baseline_reason")),
                   "sends illegal_parameter");
  cr_expect_str_eq(json_string_value(json_object_get(x, "rfc")), "RFC 8446 4.1.2");
  cr_expect_str_eq(json_string_value(json_array_get(json_object_get(x, "tags"), 0)),
                   "client-hello");
  cr_expect(json_is_null(json_object_get(x, "transcript")));
  x = json_array_get(results, 2);
  cr_expect(json_is_null(json_object_get(x, "title")));
  cr_expect(json_is_true(json_object_get(x, "unexpected")));
  cr_expect(json_is_null(json_object_get(x, "baseline_reason")));
  cr_expect_str_eq(json_string_value(json_object_get(x, "got")), "established");
  cr_expect_float_eq(json_real_value(json_object_get(x, "seconds")), 0.5, 1e-9);
  /* Invalid UTF-8 became U+FFFD, everything else is kept byte for byte. */
  cr_expect_str_eq(json_string_value(json_object_get(x, "transcript")),
                   "-> ClientHello\n<- \"alert\" <b>&amp;</b> 'x'\x01 \xef\xbf\xbd\xef\xbf\xbd "
                   "end\t</script>\r\n");
  cr_expect_str_eq(json_string_value(json_object_get(json_array_get(results, 3), "transcript")),
                   "killed by signal 11 \xe2\x9c\x93");
  json_decref(doc);
  unlink(path);
}

/* The provenance members: the run's origin as given, this machine where none is given, the
 * libraries from the results that named one (null where none did). */
Test(report, json_provenance, .fini = free_run) {
  run_report r = small_run();
  char path[] = "/tmp/tg_report_json_XXXXXX", err[512] = "";
  close(mkstemp(path));
  cr_assert(report_json(path, &r, err, sizeof err), "%s", err);
  json_t *doc = json_load_file(path, 0, NULL);
  cr_assert_not_null(doc);
  cr_expect_eq(json_integer_value(json_object_get(doc, "schema_version")), REPORT_SCHEMA_VERSION);
  cr_expect_str_eq(json_object_iter_key(json_object_iter(doc)), "schema_version", "it comes first");
  json_t *tool = json_object_get(doc, "tool");
  cr_expect_str_eq(json_string_value(json_object_get(tool, "name")), "tlsgauntlet");
  const char *commit = json_string_value(json_object_get(tool, "commit"));
  cr_assert_not_null(commit);
  cr_expect(strcmp(commit, "unknown") == 0 || strspn(commit, "0123456789abcdef") == strlen(commit),
            "commit '%s'", commit);
  cr_expect_str_eq(json_string_value(json_object_get(doc, "started")), "2026-12-07T10:05:00Z");
  json_t *argv = json_object_get(doc, "command_line");
  cr_assert_eq(json_array_size(argv), 5);
  cr_expect_str_eq(json_string_value(json_array_get(argv, 0)), "tlsgauntlet");
  cr_expect_str_eq(json_string_value(json_array_get(argv, 4)), "<x>");
  struct utsname u;
  cr_assert_eq(uname(&u), 0);
  json_t *host = json_object_get(doc, "host");
  cr_expect_str_eq(json_string_value(json_object_get(host, "name")), u.nodename);
  cr_expect_not_null(strstr(json_string_value(json_object_get(host, "kernel")), u.release));
  json_t *libs = json_object_get(doc, "libraries");
  cr_expect_eq(json_object_size(libs), 2);
  json_t *gnutls = json_object_get(libs, "gnutls");
  cr_expect_str_eq(json_string_value(json_object_get(gnutls, "library")), "gnutls");
  cr_expect_str_eq(json_string_value(json_object_get(gnutls, "version")), "3.7.9");
  json_t *builtin = json_object_get(libs, "builtin");
  cr_expect(json_is_null(json_object_get(builtin, "library")), "no builtin run named one");
  cr_expect(json_is_null(json_object_get(builtin, "version")));
  json_decref(doc);
  /* Nothing known: nulls and an empty command line, never a crash. */
  r.origin = (report_origin){.host = "ci-7", .kernel = "Linux 6.1"};
  cr_assert(report_json(path, &r, err, sizeof err), "%s", err);
  doc = json_load_file(path, 0, NULL);
  cr_assert_not_null(doc);
  cr_expect(json_is_null(json_object_get(doc, "started")));
  cr_expect_eq(json_array_size(json_object_get(doc, "command_line")), 0);
  host = json_object_get(doc, "host");
  cr_expect_str_eq(json_string_value(json_object_get(host, "name")), "ci-7");
  cr_expect_str_eq(json_string_value(json_object_get(host, "kernel")), "Linux 6.1");
  json_decref(doc);
  unlink(path);
}

Test(report, utc_now_is_iso8601) {
  char buf[32];
  report_utc_now(buf, sizeof buf);
  cr_assert_eq(strlen(buf), 20, "%s", buf);
  cr_expect_eq(buf[4], '-');
  cr_expect_eq(buf[10], 'T');
  cr_expect_eq(buf[19], 'Z');
  char tiny[8] = "x";
  report_utc_now(tiny, sizeof tiny);
  cr_expect_str_eq(tiny, "", "too small a buffer gives the empty string");
}

Test(report, unwritable_path_is_an_error, .fini = free_run) {
  run_report r = small_run();
  char err[512] = "";
  cr_expect_not(report_json("/nonexistent/dir/r.json", &r, err, sizeof err));
  cr_expect_str_eq(err, "/nonexistent/dir/r.json: cannot write: No such file or directory");
  cr_expect_not(report_junit("/nonexistent/dir/r.xml", &r, err, sizeof err));
  cr_expect_not_null(strstr(err, "r.xml: cannot write"));
  cr_expect_not(report_html("/nonexistent/dir/r.html", &r, err, sizeof err));
  cr_expect_not_null(strstr(err, "r.html: cannot write"));
}

/* ---- JUnit --------------------------------------------------------------------------------- */

/* The output of xmllint --xpath EXPR on path. */
static const char *xpath(const char *path, const char *expr) {
  static char out[4096];
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "xmllint --xpath '%s' %s 2>&1", expr, path);
  FILE *p = popen(cmd, "r");
  cr_assert_not_null(p);
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = '\0';
  if (n > 0 && out[n - 1] == '\n') /* xmllint ends its answer with one */
    out[n - 1] = '\0';
  pclose(p);
  return out;
}

Test(report, junit_escapes_and_is_well_formed, .fini = free_run) {
  run_report r = small_run();
  char path[] = "/tmp/tg_report_junit_XXXXXX", err[512] = "";
  close(mkstemp(path));
  cr_assert(report_junit(path, &r, err, sizeof err), "%s", err);
  const char *xml = slurp(path);
  cr_expect_null(strchr(xml, '\x01'), "the control byte is not written");
  cr_expect_null(strchr(xml, '\xff'), "invalid UTF-8 is not written");
  cr_expect_null(strchr(xml, '\r'));
  cr_expect_not_null(strstr(xml,
                            "&lt;- &quot;alert&quot; &lt;b&gt;&amp;amp;&lt;/b&gt; &apos;x&apos;"
                            "\\x01 \\xFF\\xFE end\t&lt;/script&gt;\\x0D\n"));
  cr_expect_not_null(strstr(xml, "\xe2\x9c\x93"), "valid UTF-8 is kept");
  if (access("/usr/bin/xmllint", X_OK) != 0)
    cr_skip_test("xmllint not installed: well-formedness not checked (scripts/setup installs "
                 "libxml2-utils)");
  char cmd[256];
  snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
  cr_assert_eq(system(cmd), 0, "%s is not well-formed XML", path);
  /* The shape JUnit consumers rely on: every suite and case carries its attributes, and every
   * case sits in a suite in the root. */
  cr_expect_str_eq(xpath(path, "count(//testsuite[not(@name) or not(@tests) or not(@failures)])"),
                   "0");
  cr_expect_str_eq(xpath(path, "count(//testcase[not(@classname) or not(@name) or not(@time)])"),
                   "0");
  cr_expect_str_eq(xpath(path, "count(//testcase) - count(/testsuites/testsuite/testcase)"), "0");
  cr_expect_str_eq(xpath(path, "count(/testsuites/testsuite)"), "2");
  cr_expect_str_eq(xpath(path, "count(/testsuites/testsuite/testcase)"), "6");
  cr_expect_str_eq(xpath(path, "string(/testsuites/testsuite[@name=\"gnutls\"]/@failures)"), "1");
  cr_expect_str_eq(xpath(path, "string(/testsuites/testsuite[@name=\"gnutls\"]/@tests)"), "3");
  cr_expect_str_eq(xpath(path, "string(/testsuites/testsuite[@name=\"builtin\"]/@skipped)"), "1");
  cr_expect_str_eq(xpath(path, "string(/testsuites/@failures)"), "2");
  cr_expect_str_eq(xpath(path, "count(//testcase[@classname=\"builtin\"][@name=\"ext/alpn-empty\"]"
                               "/skipped)"),
                   "1");
  /* The record/oversized row: builtin fail, gnutls crash; both failures with their transcript. */
  const char *fail = "//testcase[@classname=\"builtin\"][@name=\"record/oversized\"]";
  char expr[512];
  snprintf(expr, sizeof expr, "string(%s/failure/@message)", fail);
  cr_expect_str_eq(xpath(path, expr), "expected alert decode_error, got established (fail)");
  snprintf(expr, sizeof expr, "string(%s/failure/@type)", fail);
  cr_expect_str_eq(xpath(path, expr), "fail");
  snprintf(expr, sizeof expr, "string(%s/system-out)", fail);
  cr_expect_not_null(strstr(xpath(path, expr), "<- \"alert\" <b>&amp;</b> 'x'\\x01"));
  snprintf(expr, sizeof expr, "string(%s/failure)", fail);
  cr_expect_not_null(strstr(xpath(path, expr), "expected: alert decode_error\ngot: established"));
  cr_expect_str_eq(
      xpath(path, "count(//testcase[@name=\"client-hello/cipher-suites-empty\"]/failure)"), "0",
      "pass and xfail are passing test cases");
  /* The xfail: properties and a system-out with the baseline's reason and what happened. */
  const char *xf =
      "//testcase[@classname=\"gnutls\" and @name=\"client-hello/cipher-suites-empty\"]";
  static const char *const props[][2] = {{"tlsgauntlet.verdict", "xfail"},
                                         {"tlsgauntlet.raw_verdict", "lenient"},
                                         {"tlsgauntlet.library", "gnutls"},
                                         {"tlsgauntlet.library_version", "3.7.9"},
                                         {"baseline.reason", "sends illegal_parameter"}};
  for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
    snprintf(expr, sizeof expr, "string(%s/properties/property[@name=\"%s\"]/@value)", xf,
             props[i][0]);
    cr_expect_str_eq(xpath(path, expr), props[i][1], "%s", props[i][0]);
  }
  snprintf(expr, sizeof expr, "count(%s/properties/property[@name=\"tlsgauntlet.observed\"])", xf);
  cr_expect_str_eq(xpath(path, expr), "0", "no observed behaviour, no empty property");
  snprintf(expr, sizeof expr, "string(%s/system-out)", xf);
  const char *out = xpath(path, expr);
  cr_expect_not_null(strstr(out, "xfail: lenient, a deviation the baseline lists\n"), "%s", out);
  cr_expect_not_null(strstr(out, "baseline reason: sends illegal_parameter\n"), "%s", out);
  cr_expect_not_null(strstr(out, "expected: alert decode_error\ngot: alert illegal_parameter\n"),
                     "%s", out);
  /* The skip carries its reason. */
  cr_expect_str_eq(xpath(path, "string(//testcase[@classname=\"builtin\"][@name=\"ext/alpn-empty\"]"
                               "/skipped/@message)"),
                   "tg-peer-builtin: no --alpn \"&\" <x>");
  unlink(path);
}

/* ---- Terminal ------------------------------------------------------------------------------ */

static char *terminal(const run_report *r, bool color) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  report_terminal(f, r, color);
  fclose(f);
  return buf;
}

Test(report, terminal_lists_unexpected, .fini = free_run) {
  run_report r = small_run();
  char *out = terminal(&r, false);
  const char *unexpected = strstr(out, "Unexpected results:\n");
  cr_assert_not_null(unexpected, "%s", out);
  cr_expect_not_null(
      strstr(unexpected, "builtin  record/oversized: expected alert decode_error, got established"),
      "%s", out);
  cr_expect_not_null(strstr(unexpected, "gnutls   record/oversized: expected alert decode_error, "
                                        "got alert illegal_parameter  [crash]"),
                     "%s", out);
  cr_expect_null(strstr(unexpected, "cipher-suites-empty"), "the xfail is expected:\n%s", out);
  /* Every row (3 <= 40), the unexpected cells starred. */
  cr_expect_not_null(strstr(out, "ext/alpn-empty"), "%s", out);
  cr_expect_not_null(strstr(out, "fail*"), "%s", out);
  cr_expect_not_null(strstr(out, "crash*"), "%s", out);
  cr_expect_null(strstr(out, "not shown"), "%s", out);
  cr_expect_null(strchr(out, '\033'), "no colour unless asked");
  /* The counts: builtin pass 1, fail 1, skip 1, unexpected 1. */
  cr_expect_not_null(strstr(out, "builtin            1        0     1      0        0             0"
                                 "     1      0      0           1\n"),
                     "%s", out);
  free(out);
  out = terminal(&r, true);
  cr_expect_not_null(strstr(out, "\033[31mfail*\033[0m"), "%s", out);
  free(out);
}

Test(report, terminal_hides_rows_every_implementation_passed_in_a_big_run) {
  enum { N = 45 };
  static sc_scenario sc[N];
  static char ids[N][32];
  static run_result res[N];
  for (size_t s = 0; s < N; s++) {
    snprintf(ids[s], sizeof ids[s], "suite/scenario-%02zu", s);
    sc[s] = scenario(ids[s]);
    res[s] = result(&sc[s], "builtin", s == 7 ? V_LENIENT : s == 9 ? V_XFAIL : V_PASS);
  }
  res[20].reported = res[20].raw = V_TIMEOUT;
  res[20].unexpected = true;
  const char *impls[] = {"builtin"};
  run_report r = {.results = res, .n_scenarios = N, .impls = impls, .n_impls = 1};
  char *out = terminal(&r, false);
  cr_expect_not_null(
      strstr(out, "42 scenarios that every implementation passed (or skipped) not shown"), "%s",
      out);
  cr_expect_not_null(strstr(out, "suite/scenario-07  lenient"), "%s", out);
  cr_expect_not_null(strstr(out, "suite/scenario-20  timeout*"), "%s", out);
  cr_expect_not_null(strstr(out, "suite/scenario-09  xfail"), "a known deviation is shown: %s",
                     out);
  cr_expect_null(strstr(out, "scenario-00"), "%s", out);
  cr_expect_not_null(strstr(out, "builtin  suite/scenario-20: expected -, got -  [timeout]"), "%s",
                     out);
  free(out);
}

/* ---- Progress ------------------------------------------------------------------------------ */

static size_t count_char(const char *s, char c) {
  size_t n = 0;
  for (; *s; s++)
    n += *s == c;
  return n;
}

Test(report, progress_in_a_log_prints_tenths) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  size_t counts[V_COUNT] = {0};
  progress_mark mark = {0};
  for (size_t done = 0; done <= 123; done++) {
    if (done > 0)
      counts[done % 5 == 0 ? V_FAIL : V_PASS]++;
    report_progress(f, done, 123, counts, "suite/current", done * 100, &mark, false);
  }
  fclose(f);
  cr_expect_eq(count_char(buf, '\n'), 10, "%s", buf);
  cr_expect_null(strchr(buf, '\r'));
  cr_expect_not_null(
      strstr(buf, "[13/123] pass 11  lenient 0  fail 2  elapsed 1s  ETA 11s  suite/current\n"),
      "%s", buf);
  cr_expect_not_null(
      strstr(buf, "[123/123] pass 99  lenient 0  fail 24  elapsed 12s  suite/current\n"), "%s",
      buf);
  free(buf);
}

/* Between tenths a log still gets a line every 30 s, and ticks (the same done, later) print
 * nothing else. */
Test(report, progress_in_a_log_shows_life_every_30s) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  size_t counts[V_COUNT] = {0};
  progress_mark mark = {0};
  for (uint64_t ms = 0; ms <= 65000; ms += 1000)
    report_progress(f, 0, 50, counts, NULL, ms, &mark, false);
  counts[V_PASS] = 5;
  report_progress(f, 5, 50, counts, "a/b", 70000, &mark, false); /* a tenth */
  for (uint64_t ms = 71000; ms <= 99000; ms += 1000)
    report_progress(f, 5, 50, counts, "a/b", ms, &mark, false);
  report_progress(f, 5, 50, counts, "a/b", 100000, &mark, false);
  fclose(f);
  cr_expect_str_eq(buf, "[0/50] pass 0  lenient 0  fail 0  elapsed 30s  ETA ?\n"
                        "[0/50] pass 0  lenient 0  fail 0  elapsed 1m00s  ETA ?\n"
                        "[5/50] pass 5  lenient 0  fail 0  elapsed 1m10s  ETA 10m30s  a/b\n"
                        "[5/50] pass 5  lenient 0  fail 0  elapsed 1m40s  ETA 15m00s  a/b\n");
  free(buf);
}

Test(report, progress_on_a_tty_rewrites_one_line) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  size_t counts[V_COUNT] = {0};
  counts[V_PASS] = 2;
  counts[V_CRASH] = 1;
  report_progress(f, 3, 5, counts, "a/b", 3000, NULL, true);
  fflush(f);
  cr_expect_str_eq(buf,
                   "\r[3/5] pass 2  lenient 0  fail 0  crash 1  elapsed 3s  ETA 2s  a/b\033[K");
  report_progress(f, 3, 5, counts, "a/b", 4000, NULL, true); /* a tick */
  report_progress(f, 5, 5, counts, "a/c", 5000, NULL, true);
  fclose(f);
  cr_expect_eq(count_char(buf, '\r'), 3);
  cr_expect_eq(count_char(buf, '\n'), 1, "a newline only when done");
  cr_expect_not_null(strstr(buf, "\r[5/5] pass 2  lenient 0  fail 0  crash 1  elapsed 5s  a/c"),
                     "%s", buf);
  free(buf);
}

Test(report, progress_eta_text) {
  static const struct {
    size_t done, total;
    uint64_t elapsed_ms;
    const char *want;
  } rows[] = {
      {0, 10, 0, "elapsed 0s  ETA ?"},
      {0, 10, 4999, "elapsed 4s  ETA ?"}, /* elapsed counts whole seconds */
      {1, 4, 5000, "elapsed 5s  ETA 15s"},
      {3, 16, 15000, "elapsed 15s  ETA 1m05s"},
      {2, 3, 1001, "elapsed 1s  ETA 1s"},          /* 0.5 s left: rounded up */
      {1, 100, 61000, "elapsed 1m01s  ETA 1h40m"}, /* 6039 s */
      {1, 2, 7322000, "elapsed 2h02m  ETA 2h02m"},
      {10, 10, 65000, "elapsed 1m05s"}, /* done: no ETA */
      {0, 0, 0, "elapsed 0s"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    char buf[64];
    progress_eta(buf, sizeof buf, rows[i].done, rows[i].total, rows[i].elapsed_ms);
    cr_expect_str_eq(buf, rows[i].want, "row %zu", i);
  }
  char small[8];
  progress_eta(small, sizeof small, 3, 16, 15000);
  cr_expect_str_eq(small, "elapsed", "truncated, terminated");
}

/* ---- The observed behaviour in a baseline (verdict.c) --------------------------------------- */

Test(baseline, apply_checks_the_observed_behaviour) {
  baseline_entry e = {.id = "a/x", .v = V_LENIENT, .observed = {B_ALERT, 47}, .reason = "r"};
  baseline b = {.implementation = "gnutls", .e = &e, .n = 1};
  sc_scenario s = scenario("a/x");
  run_result same = result(&s, "gnutls", V_LENIENT);
  same.observed = (outcome){B_ALERT, 47};
  baseline_apply(baseline_find(&b, &same), &same, false);
  cr_expect_eq(same.reported, V_XFAIL);
  cr_expect_not(same.unexpected);
  /* Another wrong alert, a silent close or acceptance within the same verdict class shows. */
  static const outcome others[] = {{B_ALERT, 50}, {B_CLOSE, -1}};
  for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
    run_result r = result(&s, "gnutls", V_LENIENT);
    r.observed = others[i];
    baseline_apply(baseline_find(&b, &r), &r, true);
    cr_expect_eq(r.reported, V_LENIENT, "row %zu", i);
    cr_expect(r.unexpected, "row %zu: a changed behaviour is unexpected", i);
    cr_expect(strstr(r.note, "the baseline records alert illegal_parameter") != NULL, "%s", r.note);
  }
  run_result accepted = result(&s, "gnutls", V_FAIL);
  accepted.observed = (outcome){B_ACCEPTED, -1};
  baseline_apply(baseline_find(&b, &accepted), &accepted, true);
  cr_expect(accepted.unexpected, "from an alert to acceptance is unexpected");
}

Test(baseline, target_skip_needs_no_entry) {
  sc_scenario s = scenario("a/x");
  run_result r = result(&s, "tcp://127.0.0.1:1", V_SKIP);
  r.target_skip = true;
  baseline_apply(NULL, &r, false);
  cr_expect_not(r.unexpected, "a live target of the other role is not the implementation's skip");
}

Test(baseline, loader_wants_observed_for_lenient_and_fail) {
  static const char text[] = "implementation: x\n"
                             "deviations:\n"
                             "  - id: a/b\n"
                             "    verdict: lenient\n"
                             "    reason: r\n";
  baseline b;
  char err[512] = "";
  cr_assert_not(baseline_load_text(&b, "t.yaml", text, sizeof text - 1, err, sizeof err));
  cr_expect(strstr(err, "t.yaml:3:5: this deviation has no observed") != NULL, "%s", err);
  static const char good[] = "implementation: x\n"
                             "deviations:\n"
                             "  - id: a/b\n"
                             "    verdict: lenient\n"
                             "    observed: alert decode_error\n"
                             "    reason: r\n"
                             "    evidence: \"openssl s_server -tls1_3\"\n"
                             "  - id: a/c\n"
                             "    verdict: inconclusive\n"
                             "    reason: r\n";
  cr_assert(baseline_load_text(&b, "t.yaml", good, sizeof good - 1, err, sizeof err), "%s", err);
  cr_expect_eq(b.e[0].observed.b, B_ALERT);
  cr_expect_eq(b.e[0].observed.alert, 50);
  cr_expect_str_eq(b.e[0].evidence, "openssl s_server -tls1_3");
  cr_expect_eq(b.e[1].v, V_INCONCLUSIVE);
  baseline_free(&b);
  static const char bad[] = "implementation: x\n"
                            "deviations:\n"
                            "  - id: a/b\n"
                            "    verdict: fail\n"
                            "    observed: alert nonsense\n"
                            "    reason: r\n";
  cr_assert_not(baseline_load_text(&b, "t.yaml", bad, sizeof bad - 1, err, sizeof err));
  cr_expect(strstr(err, "t.yaml:5:15: observed must be") != NULL, "%s", err);
}

Test(verdict, severity_order) {
  outcome acc = {B_ACCEPTED, -1}, alert = {B_ALERT, 40}, close = {B_CLOSE, -1};
  cr_expect_eq(verdict_severity(V_FAIL, &acc), SEV_ACCEPTED_BAD);
  cr_expect_eq(verdict_severity(V_LENIENT, &alert), SEV_WRONG_ALERT);
  cr_expect_eq(verdict_severity(V_LENIENT, &close), SEV_SILENT_CLOSE);
  cr_expect_eq(verdict_severity(V_FAIL, &alert), SEV_REJECTED_VALID);
  cr_expect_eq(verdict_severity(V_PASS, &alert), SEV_NONE);
  cr_expect(SEV_ACCEPTED_BAD > SEV_REJECTED_VALID && SEV_REJECTED_VALID > SEV_WRONG_ALERT &&
            SEV_WRONG_ALERT > SEV_SILENT_CLOSE);
}

/* ---- Judging one step on an observation (verdict.c) ----------------------------------------- */

static const bool no_messages[257];

static observation quiet(void) {
  return (observation){.alert_received = -1, .alert_sent = -1, .seen = no_messages};
}

static judgement judge(sc_expect_kind kind, const observation *o, outcome *out) {
  sc_step st = {.kind = SC_STEP_EXPECT, .expect = kind};
  char got[256];
  return verdict_judge_step(&st, o, out, got, sizeof got);
}

Test(verdict, close_after_the_endpoint_gave_up_is_inconclusive) {
  outcome out;
  observation o = quiet();
  o.alert_sent = 42;
  o.endpoint_error = "the endpoint's own certificate check";
  o.endpoint_first = true;
  o.eof = true;
  cr_expect_eq(judge(SC_EXPECT_CLOSE, &o, &out), J_INCONCLUSIVE);
  o.endpoint_first = false; /* the target closed first: a close it is */
  cr_expect_eq(judge(SC_EXPECT_CLOSE, &o, &out), J_OK);
  /* The same for a step that wants the target to go on. */
  o = quiet();
  o.alert_sent = 42;
  o.endpoint_first = true;
  cr_expect_eq(judge(SC_EXPECT_ESTABLISHED, &o, &out), J_INCONCLUSIVE);
}

Test(verdict, close_sees_data_and_acceptance) {
  outcome out;
  static const uint8_t echoed[] = "too late";
  observation o = quiet();
  o.step_accepted = o.accepted = true;
  o.data = echoed;
  o.data_len = sizeof echoed;
  o.step_data = 0;
  o.eof = true;
  cr_expect_eq(judge(SC_EXPECT_CLOSE, &o, &out), J_FAIL, "data where it should have closed");
  cr_expect_eq(out.b, B_ACCEPTED);
  o = quiet();
  o.raw_hello_answered = true;
  o.eof = true;
  cr_expect_eq(judge(SC_EXPECT_CLOSE, &o, &out), J_FAIL, "it answered a raw ClientHello");
  cr_expect_eq(judge(SC_EXPECT_ALERT, &o, &out), J_FAIL);
  o = quiet();
  o.accepted = true; /* the handshake completed during the step */
  cr_expect_eq(judge(SC_EXPECT_CLOSE, &o, &out), J_FAIL);
}

Test(verdict, alert_steps) {
  outcome out;
  sc_step st = {.kind = SC_STEP_EXPECT, .expect = SC_EXPECT_ALERT, .alerts = {50}, .n_alerts = 1};
  char got[256];
  observation o = quiet();
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_WAIT);
  o.alert_received = 50;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_OK);
  o.alert_received = 47;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_LENIENT);
  cr_expect(out.b == B_ALERT && out.alert == 47);
  o = quiet();
  o.eof = true;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_LENIENT);
  cr_expect_eq(out.b, B_CLOSE);
  o = quiet();
  o.accepted = true;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_FAIL);
  cr_expect_eq(out.b, B_ACCEPTED);
  /* The endpoint gave up on a record it could not read (bad_record_mac): maybe the target's
   * alert, under other keys. Not "it went on". Another reason to give up is. */
  o = quiet();
  o.alert_sent = 20;
  o.endpoint_error = "authentication failed";
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_INCONCLUSIVE, "%s", got);
  cr_expect_eq(out.b, B_NONE);
  o.alert_sent = 10;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_FAIL, "%s", got);
  cr_expect_eq(out.b, B_ACCEPTED);
}

/* expect: alert with level: warning (no_renegotiation, 100), or_alert handshake_failure (40). */
Test(verdict, warning_alert_steps) {
  outcome out;
  sc_step st = {.kind = SC_STEP_EXPECT,
                .expect = SC_EXPECT_ALERT,
                .alert_level = 1,
                .alerts = {100},
                .n_alerts = 1,
                .or_alerts = {40},
                .n_or_alerts = 1};
  char got[256];
  static const uint8_t other[] = {90}, mine[] = {90, 100};
  static const uint8_t echoed[] = "tlsgauntlet-probe\n";
  observation o = quiet();
  o.step_accepted = o.accepted = true;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_WAIT, "nothing yet");
  o.warnings = other, o.n_warnings = 1;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_WAIT, "another warning");
  o.warnings = mine, o.n_warnings = 2;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_OK);
  cr_expect(out.b == B_ALERT && out.alert == 100);
  /* The warning, then the echo: it holds (the order is the wire's). */
  o.data = echoed, o.data_len = sizeof echoed, o.step_data = 0;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_OK);
  /* Going on (the probe echoed) without it fails. */
  o.warnings = other, o.n_warnings = 1;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_FAIL, "%s", got);
  cr_expect_eq(out.b, B_ACCEPTED);
  cr_expect(strstr(got, "without the warning") != NULL, "%s", got);
  /* A fatal alert: the same description is no warning; or_alert's ends the script. */
  o = quiet();
  o.step_accepted = o.accepted = true;
  o.alert_received = 100;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_FAIL, "%s", got);
  cr_expect(out.b == B_ALERT && out.alert == 100);
  o.alert_received = 40;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_DONE, "%s", got);
  /* A close without it fails; the endpoint giving up first cannot be judged. */
  o = quiet();
  o.eof = true;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_FAIL, "%s", got);
  cr_expect_eq(out.b, B_CLOSE);
  o = quiet();
  o.alert_sent = 10, o.endpoint_first = true, o.endpoint_error = "x";
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_INCONCLUSIVE, "%s", got);
  /* Without alert: any warning will do; a fatal step ignores warnings. */
  st.n_alerts = 0;
  o = quiet();
  o.warnings = other, o.n_warnings = 1;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_OK);
  st.alert_level = 2;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_WAIT);
}

/* What the target did, for the steps that hold too (hunt's signature, run_result.did). */
Test(verdict, held_steps_say_what_the_target_did) {
  outcome out;
  char got[256];
  observation o = quiet();
  sc_step st = {.kind = SC_STEP_EXPECT, .expect = SC_EXPECT_ESTABLISHED};
  o.accepted = true;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_OK);
  cr_expect_eq(out.b, B_ACCEPTED);
  st.expect = SC_EXPECT_CLOSE;
  o = quiet();
  o.alert_received = 50;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_OK);
  cr_expect(out.b == B_ALERT && out.alert == 50);
  o = quiet();
  o.eof = true;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_OK);
  cr_expect_eq(out.b, B_CLOSE);
}

Test(verdict, decide_unfired_is_inconclusive) {
  sc_scenario s = scenario("a/x");
  run_result r = result(&s, "gnutls", V_FAIL);
  run_facts f = {.script = V_FAIL, .observed = {B_ACCEPTED, -1}, .unfired = "deviation x"};
  verdict_decide(&f, &r);
  cr_expect_eq(r.raw, V_INCONCLUSIVE);
  cr_expect(strstr(r.got, "deviation x never fired") != NULL, "%s", r.got);
  cr_expect_eq(r.sev, SEV_NONE);
  run_facts crash = {.script = V_PASS, .unfired = "deviation x", .peer_crashed = true,
                     .peer_why = "signal 11"};
  verdict_decide(&crash, &r);
  cr_expect_eq(r.raw, V_CRASH, "a crash is a crash whatever fired");
}

Test(verdict, or_alert_ends_the_script_as_a_pass) {
  outcome out;
  char got[256];
  static uint8_t want[] = "echo";
  sc_step st = {.kind = SC_STEP_EXPECT,
                .expect = SC_EXPECT_DATA,
                .expect_data = {want, 4},
                .alerts = {40},
                .n_alerts = 1};
  observation o = quiet();
  o.alert_received = 40;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_DONE, "%s", got);
  o.alert_received = 47;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_FAIL, "another alert fails");
  st.n_alerts = 0;
  o.alert_received = 40;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_FAIL, "without or_alert");
}
