/* The second-ClientHello checks (harness/hello_check.h): an engine client misbehaving in its
 * second ClientHello only (a "/retry" deviation) against an engine server that asks for it with
 * a HelloRetryRequest and watches, as the runner's scripted server does. Each row names the one
 * check that must fail; a conforming client passes them all. The verdict of an `expect:
 * client_hello` `after: hello_retry_request` step is checked at the end. */
#include "engine_pair.h"
#include "hello_check.h"
#include "tg/deviations.h"
#include "verdict.h"

typedef struct watched {
  hello_watch w;
  tg_deviation_set none; /* the server's hooks: no deviations, only the watch */
  tg_hooks hooks;
} watched;

static tg_hook_action on_sent(void *ctx, tg_conn *c, tg_handshake *m) {
  (void)c;
  hello_watch_sent(&((watched *)ctx)->w, m);
  return TG_HOOK_SEND;
}

static void on_received(void *ctx, tg_conn *c, const tg_handshake *m) {
  (void)c;
  hello_watch_received(&((watched *)ctx)->w, m);
}

/* One handshake: the server forces a HelloRetryRequest (for secp256r1, with a cookie when
 * cookie is set); the client carries spec (NULL: none). */
static void play(watched *wd, const char *spec, bool cookie, const char *spec2) {
  pair p;
  tg_deviation_set set;
  tg_err err;
  pair_init(&p, &keys[0]);
  pair_force_hrr(&p);
  if (cookie)
    p.scfg.hrr_cookie = tg_bytes_of("a cookie", 8);
  tg_deviation_set_init(&set);
  if (spec != NULL) {
    cr_assert_eq(tg_deviation_set_add(&set, spec, NULL, &err), TG_OK, "%s: %s", spec, err.what);
    if (spec2 != NULL)
      cr_assert_eq(tg_deviation_set_add(&set, spec2, NULL, &err), TG_OK, "%s", err.what);
    tg_deviation_set_attach(&set, &p.ccfg);
  }
  *wd = (watched){0};
  wd->hooks = (tg_hooks){.ctx = wd, .message = on_sent, .received = on_received};
  p.scfg.hooks = &wd->hooks;
  pair_start(&p);
  pump(&p);
  pair_free(&p);
  tg_deviation_set_free(&set);
}

/* key_share: one x25519 KeyShareEntry (32 bytes of key_exchange) */
#define X25519_SHARE                                                                               \
  "add_extension:key_share:0024001d0020"                                                           \
  "0909090909090909090909090909090909090909090909090909090909090909@client_hello/retry"

static const struct {
  const char *spec;
  bool cookie;
  int failing;       /* the check that must fail, or -1 */
  const char *spec2; /* a second deviation, or NULL */
} rows[] = {
    {NULL, true, -1, NULL},
    {NULL, false, -1, NULL},
    /* 4.1.2: a field that must not change */
    {"set_field:client_hello.legacy_session_id:0102/retry", true, HC_UNCHANGED, NULL},
    {"set_field:client_hello.cipher_suites:1301/retry", true, HC_UNCHANGED, NULL},
    /* an extension that must not change: added, and dropped */
    {"add_extension:65001:00@client_hello/retry", true, HC_UNCHANGED, NULL},
    {"drop_extension:signature_algorithms@client_hello/retry", true, HC_UNCHANGED, NULL},
    /* 4.2.2: the cookie left out */
    {"drop_extension:cookie@client_hello/retry", true, HC_COOKIE, NULL},
    /* 4.2.8: the share for the selected group (secp256r1) replaced by an x25519 one */
    {"drop_extension:key_share@client_hello/retry", true, HC_KEY_SHARE, X25519_SHARE},
    /* 4.2.10: early_data in the second ClientHello */
    {"add_extension:early_data:@client_hello/retry", true, HC_NO_EARLY_DATA, NULL},
};

Test(hello_check, each_check_catches_its_change) {
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    watched wd;
    play(&wd, rows[i].spec, rows[i].cookie, rows[i].spec2);
    const char *spec = rows[i].spec ? rows[i].spec : "(none)";
    cr_assert(wd.w.second, "%s: no second ClientHello seen", spec);
    for (int k = 0; k < HC_COUNT; k++) {
      bool want = k == rows[i].failing;
      cr_expect_eq(wd.w.problem[k][0] != '\0', want, "%s: check %s: '%s'", spec,
                   hello_check_name((unsigned)k), wd.w.problem[k]);
    }
    hello_watch_free(&wd.w);
  }
}

Test(hello_check, names) {
  for (unsigned k = 0; k < HC_COUNT; k++)
    cr_expect_eq(hello_check_find(hello_check_name(k)), (int)k);
  cr_expect_eq(hello_check_find("cookies"), -1);
  cr_expect_null(hello_check_name(HC_COUNT));
}

/* The step fails on a check it names, and only on those; before the second hello it waits. */
Test(hello_check, the_step_judges_the_checks_it_names) {
  watched wd;
  play(&wd, "drop_extension:cookie@client_hello/retry", true, NULL);
  bool seen[257] = {0};
  observation o = {.alert_received = -1, .alert_sent = -1, .seen = seen};
  sc_step st = {.kind = SC_STEP_EXPECT,
                .expect = SC_EXPECT_MESSAGE,
                .expect_msg = TG_HS_client_hello,
                .after_hrr = true,
                .hello_checks = 1u << HC_KEY_SHARE};
  outcome out;
  char got[256] = "";
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_WAIT);
  o.second_hello = wd.w.second;
  o.hello_problem = wd.w.problem;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_OK);
  st.hello_checks |= 1u << HC_COOKIE;
  cr_expect_eq(verdict_judge_step(&st, &o, &out, got, sizeof got), J_FAIL);
  cr_expect(strstr(got, "cookie") != NULL, "%s", got);
  hello_watch_free(&wd.w);
}
