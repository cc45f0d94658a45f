/* The HTML report in a real browser: a page of synthetic results is rendered by headless
 * Chromium (a screenshot, and the DOM after the page's script ran), so the script that builds the
 * matrix from the embedded JSON is tested where it runs; the compressed data block is decoded
 * here too. (tests/cli/html_browser.sh clicks a real run's page.) */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "report.h"

static char dir[] = "/tmp/tg_report_html_XXXXXX";
static char page[128];

static sc_scenario scenarios[3];
static run_result results[6];
static const char *impls[] = {"builtin", "gnutls"};

/* 3 scenarios x 2 implementations with six different verdicts, and a transcript that tries to
 * end the data block and inject markup. */
static void setup(void) {
  static const char *ids[3] = {"client-hello/cipher-suites-empty", "record/oversized",
                               "ext/alpn-empty"};
  static const char *tags[3] = {"client-hello", "record", "ext"};
  static const verdict v[6] = {V_PASS, V_LENIENT, V_FAIL, V_CRASH, V_SKIP, V_XFAIL};
  for (size_t s = 0; s < 3; s++) {
    scenarios[s] = (sc_scenario){.id = (char *)ids[s], .rfc = "RFC 8446 4.1.2", .n_tags = 2};
    scenarios[s].tags[0] = (char *)tags[s];
    scenarios[s].tags[1] = "negative";
  }
  for (size_t k = 0; k < 6; k++) {
    results[k] = (run_result){.scenario = &scenarios[k / 2],
                              .implementation = impls[k % 2],
                              .raw = v[k],
                              .reported = v[k],
                              .unexpected = v[k] == V_FAIL || v[k] == V_CRASH,
                              .seconds = 0.1};
    snprintf(results[k].expected, sizeof results[k].expected, "alert decode_error");
    snprintf(results[k].got, sizeof results[k].got, "alert illegal_parameter");
  }
  results[2].transcript = strdup("-> ClientHello\n</script><script>document.body.innerHTML="
                                 "'PWNED'</script><!-- <b>bold?</b> & \xff\n<- alert");
  snprintf(results[2].note, sizeof results[2].note, "</script><!-- a note");
  /* The xfail: gnutls answered with another alert, which its baseline lists. */
  results[5].raw = V_LENIENT;
  results[5].observed = (outcome){B_ALERT, 47};
  results[5].sev = SEV_WRONG_ALERT;
  results[5].baseline_reason = "answers illegal_parameter";
  cr_assert_not_null(mkdtemp(dir));
  snprintf(page, sizeof page, "%s/report.html", dir);
  run_report r = {.results = results,
                  .n_scenarios = 3,
                  .impls = impls,
                  .n_impls = 2,
                  .seconds = 0.6,
                  .command_line = "tlsgauntlet run --html report.html"};
  char err[512] = "";
  cr_assert(report_html(page, &r, err, sizeof err), "%s", err);
}

static void teardown(void) {
  for (size_t k = 0; k < 6; k++)
    run_result_free(&results[k]);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0)
    cr_log_warn("could not remove %s", dir);
}

TestSuite(report_html, .init = setup, .fini = teardown);

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  static char buf[1 << 20];
  *len = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[*len] = '\0';
  return buf;
}

static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

/* The bytes of the base64 text from p up to the first '<' (whitespace skipped); len set. */
static unsigned char *unbase64(const char *p, size_t *len) {
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  unsigned char *out = malloc(strlen(p));
  cr_assert_not_null(out);
  uint32_t acc = 0;
  int bits = 0;
  *len = 0;
  for (; *p != '\0' && *p != '<' && *p != '='; p++) {
    const char *d = strchr(digits, *p);
    if (*p == '\n' || d == NULL)
      continue;
    acc = acc << 6 | (uint32_t)(d - digits);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[(*len)++] = (unsigned char)(acc >> bits);
    }
  }
  return out;
}

Test(report_html, self_contained_page) {
  size_t len;
  const char *html = slurp(page, &len);
  cr_expect_not_null(strstr(html, "<table id=\"matrix\">"));
  cr_expect_not_null(strstr(html, "<script type=\"application/octet-stream\" id=\"data\">"));
  /* Only the page's own two scripts end (data, code): the texts are inside base64. */
  cr_expect_eq(count(html, "</script>"), 2);
  cr_expect_eq(count(html, "<!--"), 0);
  cr_expect_null(strstr(html, "PWNED"));
  /* Nothing fetched from anywhere. */
  cr_expect_null(strstr(html, "http://"));
  cr_expect_null(strstr(html, "https://"));
  cr_expect_null(strstr(html, " src="));
  cr_expect_null(strstr(html, "<link"));
  cr_expect_null(strchr(html, '\xff'));
}

/* The data block: base64 of zlib of the JSON report plus "generated", transcripts and all,
 * invalid UTF-8 as U+FFFD. */
Test(report_html, data_block_inflates) {
  size_t len;
  const char *html = slurp(page, &len);
  const char *tag = "<script type=\"application/octet-stream\" id=\"data\">";
  const char *block = strstr(html, tag);
  cr_assert_not_null(block);
  size_t packed_len;
  unsigned char *packed = unbase64(block + strlen(tag), &packed_len);
  uLongf plain_len = 1 << 16;
  char *plain = calloc(1, plain_len + 1);
  cr_assert_eq(uncompress((Bytef *)plain, &plain_len, packed, packed_len), Z_OK);
  json_error_t jerr;
  json_t *doc = json_loadb(plain, plain_len, 0, &jerr);
  cr_assert_not_null(doc, "%s", jerr.text);
  cr_expect_eq(json_integer_value(json_object_get(doc, "schema_version")), REPORT_SCHEMA_VERSION);
  cr_expect(json_is_string(json_object_get(doc, "generated")));
  json_t *results = json_object_get(doc, "results");
  cr_assert_eq(json_array_size(results), 6);
  cr_expect_str_eq(json_string_value(json_object_get(json_array_get(results, 2), "transcript")),
                   "-> ClientHello\n</script><script>document.body.innerHTML='PWNED'</script>"
                   "<!-- <b>bold?</b> & \xef\xbf\xbd\n<- alert");
  cr_expect_str_eq(json_string_value(json_object_get(json_array_get(results, 2), "note")),
                   "</script><!-- a note");
  cr_expect(json_is_null(json_object_get(json_array_get(results, 0), "transcript")));
  json_decref(doc);
  free(plain);
  free(packed);
}

/* Runs chromium headless on the page with extra arguments; returns its exit status. */
static int chromium(const char *args, const char *fragment, const char *out) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
           "--virtual-time-budget=5000 "
           "--no-first-run --user-data-dir=%s/profile %s 'file://%s%s' >%s 2>%s/chromium.log",
           dir, args, page, fragment, out, dir);
  return system(cmd);
}

static void need_chromium(void) {
  if (system("command -v chromium >/dev/null 2>&1") != 0)
    cr_assert_fail("chromium not installed (scripts/setup installs it)");
}

Test(report_html, screenshot_in_chromium, .timeout = 120) {
  need_chromium();
  char shot[192], args[256];
  snprintf(shot, sizeof shot, "%s/shot.png", dir);
  snprintf(args, sizeof args, "--screenshot=%s --window-size=1200,800 --hide-scrollbars", shot);
  cr_assert_eq(chromium(args, "", "/dev/null"), 0, "chromium failed, see %s/chromium.log", dir);
  struct stat st;
  cr_assert_eq(stat(shot, &st), 0, "no screenshot at %s", shot);
  cr_expect_gt(st.st_size, 5 * 1024, "the screenshot is %lld bytes: an empty page?",
               (long long)st.st_size);
  size_t len;
  const char *png = slurp(shot, &len);
  cr_expect_eq(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
}

Test(report_html, dom_built_by_the_script, .timeout = 120) {
  need_chromium();
  char dom[192];
  snprintf(dom, sizeof dom, "%s/dom.html", dir);
  /* #r=2: the page shows result 2's transcript, as a click on that cell would (the virtual
   * time budget lets the page inflate its data before the dump). */
  cr_assert_eq(chromium("--dump-dom", "#r=2", dom), 0, "chromium failed, see %s/chromium.log", dir);
  size_t len;
  const char *html = slurp(dom, &len);
  cr_assert_not_null(strstr(html, "<table id=\"matrix\">"), "%s", html);
  cr_assert_not_null(strstr(html, "<body data-ready=\"yes\">"), "the script built the page: %s",
                     html);
  cr_expect_null(strstr(html, "<body>PWNED"), "the transcript's markup ran");
  /* One row per scenario, built from the data block. */
  cr_expect_eq(count(html, "<tr class=\"scenario\""), 3, "%s", html);
  cr_expect_not_null(strstr(html, "data-id=\"record/oversized\""));
  cr_expect_not_null(strstr(html, "<span class=\"rfc\">RFC 8446 4.1.2</span>"));
  static const char *words[] = {
      ">pass</td>",  ">lenient</td>", ">fail</td>",
      ">crash</td>", ">skip</td>",    ">xfail<span class=\"outcome\">wrong alert</span></td>"};
  for (size_t i = 0; i < 6; i++)
    cr_expect_eq(count(html, words[i]), 1, "%s in %s", words[i], html);
  cr_expect_not_null(strstr(html, "class=\"cell v-fail unexpected selected\""), "%s", html);
  /* The tag filter lists every tag once, sorted, after "all tags". */
  cr_expect_not_null(strstr(html, "<option value=\"\">all tags</option>"
                                  "<option value=\"client-hello\">client-hello</option>"
                                  "<option value=\"ext\">ext</option>"
                                  "<option value=\"negative\">negative</option>"
                                  "<option value=\"record\">record</option></select>"),
                     "%s", html);
  cr_expect_eq(count(html, "type=\"checkbox\""), V_COUNT + 1);
  cr_expect_not_null(strstr(html, "3 of 3 scenarios shown"));
  cr_expect_not_null(strstr(html, "class=\"cell v-xfail o-wrong-alert\""), "%s", html);
  /* The transcript opens in a row right under the record/oversized row. */
  const char *row = strstr(html, "data-id=\"record/oversized\"");
  const char *detail =
      strstr(html, "<tr class=\"detail\" id=\"detail\" data-k=\"2\" data-ready=\"yes\">");
  cr_assert_not_null(row, "%s", html);
  cr_assert_not_null(detail, "%s", html);
  cr_expect_lt(row, detail);
  const char *next_row = strstr(row, "<tr");
  cr_expect_eq(next_row, detail, "no other row in between: %s", row);
  /* Its text, markup and all, as text. */
  cr_expect_not_null(strstr(html, "<pre id=\"transcript\">-&gt; ClientHello\n&lt;/script&gt;"
                                  "&lt;script&gt;document.body.innerHTML='PWNED'&lt;/script&gt;"
                                  "&lt;!-- &lt;b&gt;bold?&lt;/b&gt; &amp; \xef\xbf\xbd\n"
                                  "&lt;- alert</pre>"),
                     "%s", html);
  cr_expect_not_null(strstr(html, "builtin \xe2\x80\x94 record/oversized: fail; expected alert "
                                  "decode_error, got alert illegal_parameter"),
                     "%s", html);
  cr_expect_not_null(strstr(html, "tlsgauntlet run --html report.html"));
}
