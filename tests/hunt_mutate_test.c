/* hunt's mutator (harness/hunt.h): with a fixed rng seed, every seed of the default suite mutated
 * many times. Every deviation spec installs (together with the seed's, within the limit), every
 * mutation formats to a line that parses back to the same line, the same rng seed gives the same
 * mutants, malformed lines are refused, every kind of mutation comes out, mutations touch only
 * what the scripted side sends, and a mutant loads as a scenario with its deviations and steps
 * where they belong (this last one needs sc_write_yaml, harness/scenario_write.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hunt.h"
#include "tg/deviations.h"
#include "tg/names.h"

#define ROUNDS 12 /* mutants per seed: each filled to HUNT_MAX_MUTS mutations */

static sc_suite suite;

static void load_suite(void) {
  sc_error err;
  sc_suite_init(&suite);
  cr_assert(sc_load_paths(&suite, TG_SOURCE_DIR "/vectors/scenarios", NULL, 0, &err), "%s",
            err.text);
  cr_assert_gt(suite.n, 100, "the default suite: %zu scenarios", suite.n);
}

static void free_suite(void) { sc_suite_free(&suite); }

/* A mutant of seed i filled to HUNT_MAX_MUTS. */
static hunt_mutant fill(size_t i, hunt_rng *rng) {
  hunt_mutant m = {.seed = i};
  while (m.n < HUNT_MAX_MUTS)
    cr_assert(hunt_mutate(&suite.v[i], &m, rng), "%s: no mutation at %zu", suite.v[i].id, m.n);
  cr_assert_not(hunt_mutate(&suite.v[i], &m, rng), "a full mutant took one more");
  cr_assert_eq(m.n, HUNT_MAX_MUTS);
  return m;
}

/* ---- Randomness ------------------------------------------------------------------------------ */

Test(hunt_rng, below_stays_in_range_and_reaches_every_value) {
  hunt_rng r = {42};
  cr_expect_eq(hunt_rng_below(&r, 0), 0);
  cr_expect_eq(hunt_rng_below(&r, 1), 0);
  unsigned seen[7] = {0};
  for (int i = 0; i < 7000; i++) {
    uint64_t v = hunt_rng_below(&r, 7);
    cr_assert_lt(v, 7);
    seen[v]++;
  }
  for (int i = 0; i < 7; i++)
    cr_expect_gt(seen[i], 800, "value %d drawn %u times of 7000", i, seen[i]);
}

Test(hunt_rng, same_state_same_stream) {
  hunt_rng a = {7}, b = {7}, c = {8};
  bool differ = false;
  for (int i = 0; i < 100; i++) {
    uint64_t x = hunt_rng_next(&a);
    cr_assert_eq(x, hunt_rng_next(&b));
    differ |= x != hunt_rng_next(&c);
  }
  cr_expect(differ, "another seed gives another stream");
}

/* ---- Every mutation of every seed ------------------------------------------------------------ */

/* The seed's deviations and m's, installed into one set as the runner does. */
static void check_installs(const sc_scenario *seed, const hunt_mutant *m) {
  tg_deviation_set set;
  tg_err err = {0};
  size_t n = seed->n_deviations;
  tg_deviation_set_init(&set);
  for (size_t i = 0; i < seed->n_deviations; i++)
    cr_assert_eq(tg_deviation_set_add(&set, seed->deviations[i], NULL, &err), TG_OK, "%s: %s",
                 seed->id, err.what);
  for (size_t i = 0; i < m->n; i++) {
    if (m->m[i].kind != HM_DEVIATION)
      continue;
    n++;
    cr_assert_eq(tg_deviation_set_add(&set, m->m[i].spec, NULL, &err), TG_OK, "%s: '%s': %s",
                 seed->id, m->m[i].spec, err.what);
  }
  cr_assert_leq(n, SC_MAX_DEVIATIONS, "%s: %zu deviations", seed->id, n);
  tg_deviation_set_free(&set);
}

/* Where the script's first send step is (its first step when it has none). */
static size_t first_send(const sc_scenario *s) {
  for (size_t i = 0; i < s->n_steps; i++)
    if (s->steps[i].kind == SC_STEP_SEND)
      return i;
  return 0;
}

static void check_step(const sc_scenario *seed, const hunt_mut *x) {
  cr_assert_leq(x->at, seed->n_steps, "%s: step at %zu", seed->id, x->at);
  if (seed->n_steps > 0)
    cr_assert_gt(x->at, first_send(seed), "%s: step at %zu, before the first send", seed->id,
                 x->at);
  /* Never right after waiting for a message inside the target's flight (timing decides where
   * it lands), unless the script has no other place after its first send. */
  const sc_step *prev = x->at > 0 ? &seed->steps[x->at - 1] : NULL;
  bool mid_flight = prev != NULL && prev->kind == SC_STEP_EXPECT &&
                    prev->expect == SC_EXPECT_MESSAGE &&
                    prev->expect_msg != SC_MSG_HELLO_RETRY_REQUEST;
  cr_assert(!mid_flight || x->at == first_send(seed) + 1, "%s: step at %zu, after expect %d",
            seed->id, x->at, prev ? prev->expect_msg : -1);
  cr_assert_leq(x->n_bytes, HUNT_MAX_BYTES);
  if (x->send == SC_SEND_ALERT)
    cr_assert(x->alert_level == 1 || x->alert_level == 2);
}

/* A set_field touches a message of the scripted side: client_hello fields only from a client
 * (the target a server), server_hello fields only from a server. */
static void check_role(const sc_scenario *seed, const hunt_mut *x) {
  if (x->kind != HM_DEVIATION || strncmp(x->spec, "set_field:", 10) != 0)
    return;
  bool client = seed->target == SC_TARGET_SERVER;
  if (strncmp(x->spec + 10, "client_hello.", 13) == 0)
    cr_assert(client, "%s: %s from a server", seed->id, x->spec);
  if (strncmp(x->spec + 10, "server_hello.", 13) == 0)
    cr_assert(!client, "%s: %s from a client", seed->id, x->spec);
}

static void check_line(const hunt_mut *x) {
  char line[1024], again[1024], shape[256], shape2[256];
  hunt_mut back;
  hunt_mut_format(x, line, sizeof line);
  cr_assert(hunt_mut_parse(line, &back), "'%s' does not parse", line);
  hunt_mut_format(&back, again, sizeof again);
  cr_assert_str_eq(again, line);
  cr_assert_eq(back.kind, x->kind, "%s", line);
  hunt_mut_shape(x, shape, sizeof shape);
  hunt_mut_shape(&back, shape2, sizeof shape2);
  cr_assert_str_eq(shape, shape2);
  cr_assert_gt(strlen(shape), 0);
}

Test(hunt_mutate, every_mutation_of_every_seed_installs_and_round_trips, .init = load_suite,
     .fini = free_suite) {
  hunt_rng rng = {0x18};
  for (size_t i = 0; i < suite.n; i++)
    for (int k = 0; k < ROUNDS; k++) {
      hunt_mutant m = fill(i, &rng);
      check_installs(&suite.v[i], &m);
      for (size_t j = 0; j < m.n; j++) {
        if (m.m[j].kind == HM_STEP)
          check_step(&suite.v[i], &m.m[j]);
        check_role(&suite.v[i], &m.m[j]);
        check_line(&m.m[j]);
      }
    }
}

/* A seed with as many deviations as a scenario holds gets steps only; one with a few less gets
 * deviations up to the limit and no further. */
Test(hunt_mutate, the_deviation_limit_holds, .init = load_suite, .fini = free_suite) {
  static char spec[] = "corrupt_finished";
  hunt_rng rng = {3};
  size_t i0 = 0;
  while (i0 < suite.n && suite.v[i0].target != SC_TARGET_CLIENT) /* the engine sends: a server */
    i0++;
  cr_assert_lt(i0, suite.n);
  for (size_t have = SC_MAX_DEVIATIONS - 3; have <= SC_MAX_DEVIATIONS; have++) {
    sc_scenario seed = suite.v[i0];
    for (size_t i = seed.n_deviations; i < have; i++)
      seed.deviations[i] = spec;
    seed.n_deviations = have;
    bool reached = false;
    for (int k = 0; k < 200; k++) {
      hunt_mutant m = {0};
      while (hunt_mutate(&seed, &m, &rng))
        ;
      check_installs(&seed, &m);
      size_t n = have;
      for (size_t j = 0; j < m.n; j++)
        n += m.m[j].kind == HM_DEVIATION;
      reached |= n == SC_MAX_DEVIATIONS;
      if (have == SC_MAX_DEVIATIONS)
        cr_assert_eq(n, have, "a full seed got a deviation");
    }
    cr_expect(reached, "with %zu, the mutants never reach %d deviations", have, SC_MAX_DEVIATIONS);
  }
}

Test(hunt_mutate, same_rng_seed_same_mutants, .init = load_suite, .fini = free_suite) {
  hunt_rng a = {99}, b = {99}, c = {100};
  size_t differ = 0;
  for (size_t i = 0; i < suite.n; i++) {
    hunt_mutant ma = fill(i, &a), mb = fill(i, &b), mc = fill(i, &c);
    for (size_t j = 0; j < HUNT_MAX_MUTS; j++) {
      char la[1024], lb[1024], lc[1024];
      hunt_mut_format(&ma.m[j], la, sizeof la);
      hunt_mut_format(&mb.m[j], lb, sizeof lb);
      hunt_mut_format(&mc.m[j], lc, sizeof lc);
      cr_assert_str_eq(la, lb, "%s: mutation %zu", suite.v[i].id, j);
      differ += strcmp(la, lc) != 0;
    }
  }
  cr_expect_gt(differ, suite.n, "another rng seed gives other mutants (%zu differ)", differ);
}

/* ---- Every kind of mutation comes out -------------------------------------------------------- */

/* Names seen: deviation names, "set_field:FIELD", "@" (a selector), "@change_cipher_spec",
 * "step KIND". */
typedef struct seen {
  char names[128][64];
  size_t n;
} seen;

static void see(seen *s, const char *name) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->names[i], name) == 0)
      return;
  cr_assert_lt(s->n, 128);
  snprintf(s->names[s->n++], sizeof s->names[0], "%s", name);
}

static bool saw(const seen *s, const char *name) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->names[i], name) == 0)
      return true;
  return false;
}

static void see_mut(seen *s, const hunt_mut *x) {
  char word[64], shape[256];
  if (x->kind == HM_STEP) {
    hunt_mut_shape(x, shape, sizeof shape);
    see(s, shape);
    return;
  }
  snprintf(word, sizeof word, "%.*s", (int)strcspn(x->spec, ":@"), x->spec);
  see(s, word);
  if (strcmp(word, "set_field") == 0) {
    snprintf(word, sizeof word, "set_field:%.*s", (int)strcspn(x->spec + 10, ":"), x->spec + 10);
    see(s, word);
  }
  const char *at = strrchr(x->spec, '@');
  if (at != NULL)
    see(s, strcmp(at, "@change_cipher_spec") == 0 ? at : "@");
}

Test(hunt_mutate, every_kind_comes_out, .init = load_suite, .fini = free_suite) {
  static const char *const others[] = {"step alert",
                                       "step ccs",
                                       "step record",
                                       "step data",
                                       "step key_update",
                                       "@",
                                       "@change_cipher_spec",
                                       "set_field:client_hello.legacy_version",
                                       "set_field:client_hello.legacy_session_id",
                                       "set_field:client_hello.cipher_suites",
                                       "set_field:client_hello.legacy_compression_methods",
                                       "set_field:server_hello.legacy_version",
                                       "set_field:server_hello.legacy_session_id_echo",
                                       "set_field:server_hello.cipher_suite",
                                       "set_field:server_hello.legacy_compression_method",
                                       "set_field:certificate_verify.algorithm",
                                       "set_field:key_update.request_update"};
  seen s = {.n = 0};
  hunt_rng rng = {2026};
  for (size_t i = 0; i < suite.n; i++)
    for (int k = 0; k < 4; k++) {
      hunt_mutant m = fill(i, &rng);
      for (size_t j = 0; j < m.n; j++)
        see_mut(&s, &m.m[j]);
    }
  size_t n;
  const tg_dev_def *defs = tg_deviation_list(&n);
  for (size_t i = 0; i < n; i++)
    cr_expect(saw(&s, defs[i].name), "deviation %s never drawn", defs[i].name);
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
    cr_expect(saw(&s, others[i]), "%s never drawn", others[i]);
}

/* ---- Lines ----------------------------------------------------------------------------------- */

Test(hunt_mut_parse, good_lines_read_as_written) {
  static const char *const good[] = {
      "dev set_field:client_hello.legacy_version:0300",
      "dev record_type:22@finished",
      "dev skip_record@change_cipher_spec",
      "step 1 alert warning unexpected_message",
      "step 3 alert fatal 200",
      "step 0 ccs 01",
      "step 2 record 23 0301 plain -",
      "step 2 record 255 ffff protect 00ff",
      "step 5 data 6869",
      "step 4 key_update request",
      "step 4 key_update no",
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    hunt_mut m;
    char again[1024];
    cr_assert(hunt_mut_parse(good[i], &m), "'%s' refused", good[i]);
    hunt_mut_format(&m, again, sizeof again);
    cr_expect_str_eq(again, good[i]);
  }
  hunt_mut m;
  cr_assert(hunt_mut_parse("step 7 record 21 0302 plain 0228", &m));
  cr_expect_eq(m.kind, HM_STEP);
  cr_expect_eq(m.at, 7);
  cr_expect_eq(m.send, SC_SEND_RECORD);
  cr_expect_eq(m.record_type, 21);
  cr_expect_eq(m.record_version, 0x0302);
  cr_expect_not(m.protect);
  cr_expect_eq(m.n_bytes, 2);
  cr_expect_eq(m.bytes[1], 0x28);
}

Test(hunt_mut_parse, malformed_lines_refused) {
  static char long_hex[2 * HUNT_MAX_BYTES + 32];
  strcpy(long_hex, "step 1 data ");
  for (int i = 0; i < HUNT_MAX_BYTES + 1; i++)
    strcat(long_hex, "aa");
  static const char *const bad[] = {
      "",
      "dev",
      "dev ",
      "dev nonsense",
      "dev set_field:client_hello.legacy_version:03",
      "dev set_field:client_hello.nope:0303",
      "dev record_type:22@nothing",
      "dev fragment:0",
      "dev corrupt_finished extra",
      "dev corrupt_finished\n",
      "dev skip:client_hello\t",
      "Dev corrupt_finished",
      "step",
      "step 1",
      "step x alert fatal 10",
      "step -1 alert fatal 10",
      "step 01 alert fatal 10",
      "step 99999999999999999999 data aa",
      "step 1 alert",
      "step 1 alert loud 10",
      "step 1 alert fatal 256",
      "step 1 alert fatal no_such_alert",
      "step 1 alert fatal 10 more",
      "step 1 alert fatal 10", /* unexpected_message has a name: that is its one spelling */
      "step 1 alert  fatal 10",
      "step 1 ccs",
      "step 1 ccs -",
      "step 1 ccs 0",
      "step 1 ccs 0g",
      "step 1 ccs 0A",
      "step 1 data -",
      "step 1 data",
      "step 1 record 23 0303 plain",
      "step 1 record 256 0303 plain 00",
      "step 1 record 23 303 plain 00",
      "step 1 record 23 0000 plain 00",
      "step 1 record 23 0303 maybe 00",
      "step 1 record 23 0303 plain 00 ",
      "step 1 key_update yes",
      "step 1 key_update",
      "step 1 shutdown",
      "step 1 raw 00",
      "step 1 data aa\n",
      long_hex,
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    hunt_mut m;
    cr_expect_not(hunt_mut_parse(bad[i], &m), "'%s' accepted", bad[i]);
  }
  hunt_mut m;
  cr_expect_not(hunt_mut_parse(NULL, &m));
}

Test(hunt_mut_shape, values_left_out) {
  static const char *const cases[][2] = {
      {"dev set_field:client_hello.legacy_version:0300", "set_field:client_hello.legacy_version"},
      {"dev drop_extension:key_share@client_hello", "drop_extension@client_hello"},
      {"dev add_extension:2570:00", "add_extension"},
      {"dev record_type:22@finished", "record_type@finished"},
      {"dev patch:server_hello:4:0301", "patch:server_hello"},
      {"dev reorder:certificate:certificate_verify", "reorder:certificate:certificate_verify"},
      {"dev corrupt_finished", "corrupt_finished"},
      {"step 3 alert fatal 200", "step alert"},
      {"step 2 record 23 0301 plain -", "step record"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hunt_mut m;
    char shape[256];
    cr_assert(hunt_mut_parse(cases[i][0], &m), "%s", cases[i][0]);
    hunt_mut_shape(&m, shape, sizeof shape);
    cr_expect_str_eq(shape, cases[i][1]);
  }
}

/* A seed's spec may be far longer than hunt_mut.spec (a hex parameter of up to TG_DEV_MAX_HEX
 * bytes): its shape is read from the whole spec (the selector at its end kept), and a mutation
 * line that long is refused rather than cut. */
Test(hunt_mut_shape, long_seed_specs) {
  size_t n = TG_DEV_MAX_HEX;
  char *spec = malloc(2 * n + 64), *line = malloc(2 * n + 64);
  cr_assert(spec != NULL && line != NULL);
  int k = sprintf(spec, "patch:client_hello:4:");
  for (size_t i = 0; i < n; i++)
    k += sprintf(spec + k, "ab");
  strcpy(spec + k, "");
  char shape[256];
  hunt_spec_shape(spec, shape, sizeof shape);
  cr_expect_str_eq(shape, "patch:client_hello");
  k = sprintf(spec, "add_extension:65000:");
  for (size_t i = 0; i < n; i++)
    k += sprintf(spec + k, "cd");
  strcpy(spec + k, "@server_hello");
  hunt_spec_shape(spec, shape, sizeof shape);
  cr_expect_str_eq(shape, "add_extension@server_hello");
  cr_expect(hunt_spec_installs(spec), "the engine takes it");
  sprintf(line, "dev %s", spec);
  hunt_mut m;
  cr_expect_not(hunt_mut_parse(line, &m), "a line longer than hunt_mut.spec is refused");
  free(spec);
  free(line);
}

/* ---- The mutant as a scenario (needs sc_write_yaml) ------------------------------------------ */

/* Where inserted step j ends up: after the seed's steps before its `at`, and after the steps
 * inserted before it (a smaller `at`, or the same one earlier in m). */
static size_t final_index(const hunt_mutant *m, size_t j) {
  size_t at = m->m[j].at, idx = at;
  for (size_t k = 0; k < m->n; k++)
    if (m->m[k].kind == HM_STEP && (m->m[k].at < at || (m->m[k].at == at && k < j)))
      idx++;
  return idx;
}

static void check_loaded(const sc_scenario *seed, const hunt_mutant *m, const sc_scenario *got) {
  size_t devs = seed->n_deviations, steps = seed->n_steps;
  for (size_t j = 0; j < m->n; j++) {
    const hunt_mut *x = &m->m[j];
    if (x->kind == HM_DEVIATION) {
      cr_assert_lt(devs, got->n_deviations, "%s", got->id);
      cr_assert_str_eq(got->deviations[devs], x->spec, "%s", got->id);
      devs++;
      continue;
    }
    steps++;
    size_t i = final_index(m, j);
    cr_assert_lt(i, got->n_steps);
    const sc_step *st = &got->steps[i];
    cr_assert_eq(st->kind, SC_STEP_SEND, "%s: step %zu", got->id, i);
    cr_assert_eq(st->send, x->send, "%s: step %zu", got->id, i);
    if (x->send == SC_SEND_ALERT)
      cr_assert(st->alert == x->alert && st->alert_level == x->alert_level);
    if (x->send == SC_SEND_RECORD)
      cr_assert(st->record_type == x->record_type && st->record_version == x->record_version &&
                st->protect == x->protect);
    if (x->send == SC_SEND_KEY_UPDATE)
      cr_assert_eq(st->request_update, x->request_update);
    if (x->send != SC_SEND_ALERT && x->send != SC_SEND_KEY_UPDATE) {
      cr_assert_eq(st->data.len, x->n_bytes, "%s: step %zu", got->id, i);
      cr_assert(x->n_bytes == 0 || memcmp(st->data.p, x->bytes, x->n_bytes) == 0);
    }
  }
  cr_assert_eq(got->n_deviations, devs, "%s", got->id);
  cr_assert_eq(got->n_steps, steps, "%s", got->id);
  cr_assert_eq(got->target, seed->target);
}

Test(hunt_mutant, every_seed_mutant_loads, .init = load_suite, .fini = free_suite) {
  hunt_rng rng = {5};
  for (size_t i = 0; i < suite.n; i++) {
    hunt_mutant m = fill(i, &rng);
    sc_suite out;
    sc_error err;
    sc_suite_init(&out);
    cr_assert(hunt_mutant_load(&suite.v[i], &m, "hunt/mutant", &out, &err), "%s: %s", suite.v[i].id,
              err.text);
    cr_assert_eq(out.n, 1);
    check_loaded(&suite.v[i], &m, &out.v[0]);
    sc_suite_free(&out);
  }
}

Test(hunt_mutant, yaml_has_the_comment, .init = load_suite, .fini = free_suite) {
  hunt_rng rng = {6};
  hunt_mutant m = fill(0, &rng);
  char *text = hunt_mutant_yaml(&suite.v[0], &m, "hunt/mutant", "found by hunt\nsecond line");
  cr_assert_not_null(text);
  cr_expect(strncmp(text, "# found by hunt\n# second line\n", 30) == 0, "%.80s", text);
  sc_suite out;
  sc_error err;
  sc_suite_init(&out);
  cr_expect(sc_load_text(&out, "m.yaml", NULL, (const uint8_t *)text, strlen(text), &err), "%s",
            err.text);
  sc_suite_free(&out);
  free(text);
}

Test(hunt_mutant, a_step_past_the_seed_is_an_error, .init = load_suite, .fini = free_suite) {
  hunt_mutant m = {.n = 1};
  cr_assert(hunt_mut_parse("step 60000 data 61", &m.m[0]));
  sc_suite out;
  sc_error err = {{0}};
  sc_suite_init(&out);
  cr_expect_not(hunt_mutant_load(&suite.v[0], &m, "hunt/mutant", &out, &err));
  cr_expect(strstr(err.text, "past the seed") != NULL, "%s", err.text);
  cr_expect_eq(out.n, 0);
  cr_expect_null(hunt_mutant_yaml(&suite.v[0], &m, "hunt/mutant", NULL));
  sc_suite_free(&out);
}
