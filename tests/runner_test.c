/* The runner in-process (harness/runner.h): verdicts for scenarios whose outcome is known, and
 * no file descriptor or child process left behind after many runs. The target is the
 * built-in adapter, tg-peer-builtin of this build. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "runner.h"
#include "scenario.h"

static const char suite_text[] = "scenarios:\n"
                                 "  - id: t/established\n"
                                 "    rfc: RFC 8446 2\n"
                                 "    target: server\n"
                                 "    script:\n"
                                 "      - send: client_hello\n"
                                 "      - expect: established\n"
                                 "  - id: t/wrong-alert-is-lenient\n"
                                 "    rfc: RFC 8446 4.1.2\n"
                                 "    target: server\n"
                                 "    script:\n"
                                 "      - send: client_hello\n"
                                 "        set: {cipher_suites: []}\n"
                                 "      - expect: alert\n"
                                 "        alert: unknown_ca\n"
                                 "  - id: t/accepting-is-fail\n"
                                 "    rfc: RFC 8446 4.1.2\n"
                                 "    target: server\n"
                                 "    script:\n"
                                 "      - send: client_hello\n"
                                 "      - expect: alert\n"
                                 "  - id: t/alert-is-fail-when-established-expected\n"
                                 "    rfc: RFC 8446 4.4.4\n"
                                 "    target: client\n"
                                 "    script:\n"
                                 "      - send: finished\n"
                                 "        deviations: [corrupt_finished]\n"
                                 "      - expect: established\n"
                                 "  - id: t/unsupported-option-is-skip\n"
                                 "    rfc: RFC 8446 2\n"
                                 "    target: server\n"
                                 "    target_options: {groups: [X25519MLKEM768]}\n"
                                 "    script:\n"
                                 "      - expect: established\n";

static sc_suite suite;
static run_target target = {
    .name = "builtin", .peer_path = TG_BINARY_DIR "/tg-peer-builtin", .listen_fd = -1};
static const run_env env = {.certs_dir = TG_SOURCE_DIR "/vectors/scenarios/certs"};

static void load(void) {
  sc_error err;
  sc_suite_init(&suite);
  cr_assert(sc_load_text(&suite, "runner_test", NULL, (const uint8_t *)suite_text,
                         sizeof suite_text - 1, &err),
            "%s", err.text);
}

static const sc_scenario *find(const char *id) {
  for (size_t i = 0; i < suite.n; i++)
    if (strcmp(suite.v[i].id, id) == 0)
      return &suite.v[i];
  cr_assert_fail("no scenario %s", id);
  return NULL;
}

static verdict play(const char *id, run_result *r) {
  runner_run(find(id), &target, &env, r);
  return r->raw;
}

Test(runner, verdicts_follow_what_the_target_does, .init = load) {
  static const struct {
    const char *id;
    verdict want;
    const char *got; /* a word of run_result.got */
  } rows[] = {
      {"t/established", V_PASS, "expected"},
      {"t/wrong-alert-is-lenient", V_LENIENT, "decode_error"},
      {"t/accepting-is-fail", V_FAIL, "accepted"},
      {"t/alert-is-fail-when-established-expected", V_FAIL, "decrypt_error"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    run_result r;
    verdict v = play(rows[i].id, &r);
    cr_expect_eq(v, rows[i].want, "%s: %s, want %s (%s)\n%s", rows[i].id, verdict_name(v),
                 verdict_name(rows[i].want), r.got, r.transcript ? r.transcript : "");
    cr_expect(strstr(r.got, rows[i].got) != NULL, "%s: got '%s'", rows[i].id, r.got);
    run_result_free(&r);
  }
  sc_suite_free(&suite);
}

Test(runner, an_option_the_adapter_cannot_express_is_skip, .init = load) {
  run_result r;
  verdict v = play("t/unsupported-option-is-skip", &r);
  /* tg-peer-builtin exits 3 for a group the engine does not implement. */
  cr_expect_eq(v, V_SKIP, "%s (%s)", verdict_name(v), r.got);
  run_result_free(&r);
  sc_suite_free(&suite);
}

Test(runner, a_live_target_of_the_other_role_is_skip, .init = load) {
  run_target live = {.name = "tcp://127.0.0.1:9", .role = SC_TARGET_CLIENT, .listen_fd = -1};
  snprintf(live.host, sizeof live.host, "127.0.0.1");
  snprintf(live.port, sizeof live.port, "9");
  run_result r;
  runner_run(find("t/established"), &live, &env, &r);
  cr_expect_eq(r.raw, V_SKIP, "%s", verdict_name(r.raw));
  run_result_free(&r);
  sc_suite_free(&suite);
}

static size_t open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  cr_assert_not_null(d);
  size_t n = 0;
  while (readdir(d) != NULL)
    n++;
  closedir(d);
  return n;
}

/* A thousand runs; in the sanitizer build a hundred: each run starts an instrumented adapter
 * (a tenth of a second of sanitizer start-up alone), and one descriptor or child left per run
 * shows after the first run as much as after the thousandth. */
#if defined(__SANITIZE_ADDRESS__)
#define MANY_RUNS 100
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MANY_RUNS 100
#endif
#endif
#ifndef MANY_RUNS
#define MANY_RUNS 1000
#endif

Test(runner, many_runs_leave_no_descriptor_or_process, .init = load, .timeout = 600) {
  size_t before = open_fds();
  for (int i = 0; i < MANY_RUNS; i++) {
    run_result r;
    verdict v = play(i % 2 ? "t/established" : "t/accepting-is-fail", &r);
    cr_assert(v == (i % 2 ? V_PASS : V_FAIL), "run %d: %s (%s)", i, verdict_name(v), r.got);
    run_result_free(&r);
  }
  cr_expect_eq(open_fds(), before, "file descriptors: %zu before, %zu after", before, open_fds());
  errno = 0;
  cr_expect_eq(waitpid(-1, NULL, WNOHANG), -1, "a child process is left");
  cr_expect_eq(errno, ECHILD);
  sc_suite_free(&suite);
}
