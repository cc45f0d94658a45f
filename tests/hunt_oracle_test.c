/* hunt's oracle (harness/hunt_oracle.h): a run's signature from its verdict and what the target
 * did, the vector of a mutant's results, the kind of a disagreement (most telling first), the
 * class key (mutation kinds in a fixed order), and the RFC section of a mutation. */
#include <criterion/criterion.h>
#include <string.h>

#include "hunt_oracle.h"

static run_result result(const char *impl, verdict raw, behaviour b, int alert) {
  run_result r = {.implementation = impl, .raw = raw, .did = {b, alert}};
  return r;
}

static const char *sig(run_result r) {
  static char buf[HUNT_SIG_MAX];
  hunt_signature(&r, buf, sizeof buf);
  return buf;
}

Test(hunt_oracle, signatures) {
  cr_expect_str_eq(sig(result("a", V_PASS, B_ACCEPTED, -1)), "accepted");
  cr_expect_str_eq(sig(result("a", V_FAIL, B_ACCEPTED, -1)), "accepted");
  cr_expect_str_eq(sig(result("a", V_PASS, B_ALERT, 50)), "alert decode_error");
  cr_expect_str_eq(sig(result("a", V_LENIENT, B_CLOSE, -1)), "close");
  cr_expect_str_eq(sig(result("a", V_TIMEOUT, B_TIMEOUT, -1)), "timeout");
  cr_expect_str_eq(sig(result("a", V_TIMEOUT, B_NONE, -1)), "timeout");
  cr_expect_str_eq(sig(result("a", V_CRASH, B_ALERT, 50)), "crash");
  cr_expect_str_eq(sig(result("a", V_SKIP, B_NONE, -1)), "skip");
  cr_expect_str_eq(sig(result("a", V_INCONCLUSIVE, B_ALERT, 50)), "inconclusive");
  cr_expect(hunt_signature_conclusive("alert decode_error"));
  cr_expect(hunt_signature_conclusive("close"));
  cr_expect(!hunt_signature_conclusive("inconclusive"));
  cr_expect(!hunt_signature_conclusive("skip"));
  cr_expect(!hunt_signature_conclusive("answered"));
}

/* A script that ends on `expect: hello_retry_request` saw only the answer. */
Test(hunt_oracle, answered_when_the_script_ends_on_a_message) {
  sc_step steps[2] = {{.kind = SC_STEP_SEND, .send = SC_SEND_MESSAGE},
                      {.kind = SC_STEP_EXPECT,
                       .expect = SC_EXPECT_MESSAGE,
                       .expect_msg = SC_MSG_HELLO_RETRY_REQUEST}};
  sc_scenario s = {.steps = steps, .n_steps = 2};
  run_result r = result("a", V_PASS, B_ACCEPTED, -1);
  r.scenario = &s;
  r.did_step = 2;
  cr_expect_str_eq(sig(r), "answered");
  steps[1].expect = SC_EXPECT_ESTABLISHED;
  cr_expect_str_eq(sig(r), "accepted");
}

static hunt_diff diff_of(run_result *r, size_t n) { return hunt_disagreement(r, n); }

Test(hunt_oracle, disagreement_kinds) {
  run_result same[3] = {result("a", V_PASS, B_ALERT, 50), result("b", V_PASS, B_ALERT, 50),
                        result("c", V_INCONCLUSIVE, B_NONE, -1)};
  cr_expect_eq(diff_of(same, 3), HD_NONE, "one conclusive signature");
  run_result alerts[2] = {result("a", V_PASS, B_ALERT, 50), result("b", V_LENIENT, B_ALERT, 47)};
  cr_expect_eq(diff_of(alerts, 2), HD_ALERT);
  run_result closes[2] = {result("a", V_PASS, B_ALERT, 50), result("b", V_LENIENT, B_CLOSE, -1)};
  cr_expect_eq(diff_of(closes, 2), HD_CLOSE);
  run_result waits[2] = {result("a", V_PASS, B_ALERT, 50), result("b", V_TIMEOUT, B_TIMEOUT, -1)};
  cr_expect_eq(diff_of(waits, 2), HD_TIMEOUT);
  run_result accepts[3] = {result("a", V_PASS, B_ALERT, 50), result("b", V_TIMEOUT, B_TIMEOUT, -1),
                           result("c", V_FAIL, B_ACCEPTED, -1)};
  cr_expect_eq(diff_of(accepts, 3), HD_ACCEPTANCE, "acceptance outranks a timeout");
  run_result crash[1] = {result("a", V_CRASH, B_NONE, -1)};
  cr_expect_eq(diff_of(crash, 1), HD_CRASH, "a crash is a class even alone");
  run_result one[2] = {result("a", V_PASS, B_ACCEPTED, -1), result("b", V_SKIP, B_NONE, -1)};
  cr_expect_eq(diff_of(one, 2), HD_NONE, "a skip says nothing");
  cr_expect_str_eq(hunt_diff_name(HD_ACCEPTANCE), "acceptance");
  cr_expect_str_eq(hunt_diff_name(HD_NONE), "");
}

Test(hunt_oracle, vector) {
  run_result r[2] = {result("builtin", V_PASS, B_ACCEPTED, -1),
                     result("gnutls", V_FAIL, B_ALERT, 50)};
  char buf[HUNT_KEY_MAX];
  hunt_vector(r, 2, buf, sizeof buf);
  cr_expect_str_eq(buf, "builtin=accepted gnutls=alert decode_error");
}

static hunt_mut dev(const char *spec) {
  hunt_mut m = {.kind = HM_DEVIATION};
  strcpy(m.spec, spec);
  return m;
}

Test(hunt_oracle, class_key_ignores_the_order_of_mutations) {
  hunt_mutant a = {.n = 2}, b = {.n = 2};
  a.m[0] = b.m[1] = dev("record_version:0301");
  a.m[1] = b.m[0] = dev("set_field:client_hello.legacy_version:0300");
  char ka[HUNT_KEY_MAX], kb[HUNT_KEY_MAX];
  hunt_class_key(&a, "x=close", ka, sizeof ka);
  hunt_class_key(&b, "x=close", kb, sizeof kb);
  cr_expect_str_eq(ka, kb);
  cr_expect(strstr(ka, "0301") == NULL, "values are not in the key: %s", ka);
  b.m[1] = dev("record_version:0302");
  hunt_class_key(&b, "x=close", kb, sizeof kb);
  cr_expect_str_eq(ka, kb, "another value, the same class");
  hunt_class_key(&b, "x=accepted", kb, sizeof kb);
  cr_expect_str_neq(ka, kb, "another vector, another class");
}

Test(hunt_oracle, rfc_of_a_mutation) {
  hunt_mut m = dev("skip_record@finished");
  cr_expect_str_eq(hunt_mut_rfc(&m), "RFC 8446 5", "skip_record is not skip");
  m = dev("skip:certificate");
  cr_expect_str_eq(hunt_mut_rfc(&m), "RFC 8446 4.4.1, 6.2 (unexpected_message)");
  m = dev("inject_record:21:0128");
  cr_expect_str_eq(hunt_mut_rfc(&m), "RFC 8446 5");
  m = dev("set_field:client_hello.legacy_compression_methods:0100");
  cr_expect_str_eq(hunt_mut_rfc(&m), "RFC 8446 4.1.2");
  hunt_mut step = {.kind = HM_STEP, .send = SC_SEND_ALERT};
  cr_expect_str_eq(hunt_mut_rfc(&step), "RFC 8446 6, 6.1");
}
