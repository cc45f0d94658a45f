/* The `resume:` key of the scenario loader (harness/scenario.h sc_resume, docs/scenarios.md
 * "Resumption"): true, the mapping of options, defaults, and every bad form as FILE:LINE:COLUMN
 * with a word of the message. */
#include <criterion/criterion.h>
#include <string.h>

#include "scenario.h"
#include "tg/names.h"

static bool load(sc_suite *s, const char *text, sc_error *err) {
  sc_suite_init(s);
  return sc_load_text(s, "t.yaml", NULL, (const uint8_t *)text, strlen(text), err);
}

#define SERVER_HEAD "id: resumption/x\nrfc: RFC 8446 4.2.11\ntarget: server\n"
#define CLIENT_HEAD "id: resumption/x\nrfc: RFC 8446 4.2.11\ntarget: client\n"
#define SCRIPT "script:\n  - expect: established\n"

Test(scenario_resume, absent_is_off) {
  sc_suite s;
  sc_error err = {{0}};
  cr_assert(load(&s, SERVER_HEAD SCRIPT, &err), "%s", err.text);
  cr_assert_not(s.v[0].resume.on);
  sc_suite_free(&s);
}

Test(scenario_resume, true_and_false) {
  sc_suite s;
  sc_error err = {{0}};
  cr_assert(load(&s, SERVER_HEAD "resume: true\n" SCRIPT, &err), "%s", err.text);
  const sc_resume *r = &s.v[0].resume;
  cr_assert(r->on);
  cr_assert_eq(r->outcome, SC_RESUME_ANY);
  cr_assert_not(r->bad_binder || r->bad_ticket || r->bad_age || r->refuse);
  cr_assert_eq(r->ticket_suite, 0);
  sc_suite_free(&s);
  cr_assert(load(&s, SERVER_HEAD "resume: false\n" SCRIPT, &err), "%s", err.text);
  cr_assert_not(s.v[0].resume.on);
  sc_suite_free(&s);
}

Test(scenario_resume, server_options) {
  sc_suite s;
  sc_error err = {{0}};
  cr_assert(load(&s,
                 SERVER_HEAD "resume: {expect: full, binder: corrupt, ticket: corrupt, "
                             "ticket_age: garbage, ticket_suite: TLS_AES_256_GCM_SHA384}\n" SCRIPT,
                 &err),
            "%s", err.text);
  const sc_resume *r = &s.v[0].resume;
  cr_assert(r->on);
  cr_assert_eq(r->outcome, SC_RESUME_FULL);
  cr_assert(r->bad_binder && r->bad_ticket && r->bad_age);
  cr_assert_eq(r->ticket_suite, 0x1302);
  cr_assert_not(r->refuse);
  sc_suite_free(&s);
}

Test(scenario_resume, client_options_and_defaults) {
  sc_suite s;
  sc_error err = {{0}};
  cr_assert(load(&s,
                 "defaults:\n  target: client\n  resume: {expect: resumed, refuse: true}\n"
                 "scenarios:\n  - id: resumption/a\n    rfc: RFC 8446 4.2.11\n"
                 "    script: [{expect: established}]\n"
                 "  - id: resumption/b\n    rfc: RFC 8446 4.2.11\n    resume: true\n"
                 "    script: [{expect: established}]\n",
                 &err),
            "%s", err.text);
  cr_assert_eq(s.n, 2);
  cr_assert(s.v[0].resume.on && s.v[0].resume.refuse);
  cr_assert_eq(s.v[0].resume.outcome, SC_RESUME_RESUMED);
  /* A scenario's own resume: replaces the default's. */
  cr_assert(s.v[1].resume.on);
  cr_assert_not(s.v[1].resume.refuse);
  cr_assert_eq(s.v[1].resume.outcome, SC_RESUME_ANY);
  sc_suite_free(&s);
}

/* Each bad form: where (line:column) and a word of the message. */
static const struct {
  const char *text, *where, *word;
} bad[] = {
    {SERVER_HEAD "resume: maybe\n" SCRIPT, "t.yaml:4:9", "maybe"},
    {SERVER_HEAD "resume: [true]\n" SCRIPT, "t.yaml:4:9", "mapping"},
    {SERVER_HEAD "resume: {again: true}\n" SCRIPT, "t.yaml:4:10", "again"},
    {SERVER_HEAD "resume: {expect: sometimes}\n" SCRIPT, "t.yaml:4:18", "resumed"},
    {SERVER_HEAD "resume: {binder: wrong}\n" SCRIPT, "t.yaml:4:18", "corrupt"},
    {SERVER_HEAD "resume: {ticket_age: old}\n" SCRIPT, "t.yaml:4:22", "garbage"},
    {SERVER_HEAD "resume: {ticket_suite: TLS_NONE}\n" SCRIPT, "t.yaml:4:24", "TLS_NONE"},
    {SERVER_HEAD "resume: {refuse: true}\n" SCRIPT, "t.yaml:4:18", "target client"},
    {CLIENT_HEAD "resume: {binder: corrupt}\n" SCRIPT, "t.yaml:4:18", "target server"},
    {CLIENT_HEAD "resume: {ticket: corrupt}\n" SCRIPT, "t.yaml:4:18", "target server"},
    {CLIENT_HEAD "resume: {ticket_suite: TLS_AES_128_GCM_SHA256}\n" SCRIPT, "t.yaml:4:24",
     "target server"},
    {CLIENT_HEAD "resume: {refuse: 3}\n" SCRIPT, "t.yaml:4:18", "3"},
};

Test(scenario_resume, bad_forms) {
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sc_suite s;
    sc_error err = {{0}};
    cr_expect_not(load(&s, bad[i].text, &err), "loaded: %s", bad[i].text);
    cr_expect(strncmp(err.text, bad[i].where, strlen(bad[i].where)) == 0 &&
                  err.text[strlen(bad[i].where)] == ':',
              "case %zu: want %s, got %s", i, bad[i].where, err.text);
    cr_expect(strstr(err.text, bad[i].word) != NULL, "case %zu: no '%s' in %s", i, bad[i].word,
              err.text);
    sc_suite_free(&s);
  }
}
