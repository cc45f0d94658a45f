/* The validation profiles (tg/x509_verify.h, tls/src/x509/webpki.c): every WEBPKI check fails on
 * the chain made to break it (vectors/x509/chains/gen.sh, wp_*) and that chain is valid under
 * RFC5280; a conforming chain passes both; path_reason and usage_reason are judged apart; the
 * engine's validator takes the profile. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/x509_verify.h"
#include "x509/x509_verify_internal.h"

#define NOW 1780272000   /* 2026-06-01T00:00:00Z: inside every 2025..2035 certificate */
#define LATER 2082758400 /* 2036-01-01T00:00:00Z: after them */
#define MAX_FILES 96

/* Each file's certificates in a store of its own, loaded once (views point into it). */
static struct {
  char name[64];
  tg_x509_store store;
} files[MAX_FILES];
static size_t n_files;

static tg_x509_store *store_of(const char *name) {
  for (size_t i = 0; i < n_files; i++)
    if (strcmp(files[i].name, name) == 0)
      return &files[i].store;
  char path[512];
  static char text[32768];
  snprintf(path, sizeof path, "%s/vectors/x509/chains/%s.pem", TG_SOURCE_DIR, name);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  size_t n = fread(text, 1, sizeof text, f);
  fclose(f);
  cr_assert_lt(n_files, MAX_FILES);
  snprintf(files[n_files].name, sizeof files[n_files].name, "%s", name);
  tg_x509_store *s = &files[n_files++].store;
  tg_x509_store_init(s);
  cr_assert_eq(tg_x509_store_add_pem(s, tg_bytes_of(text, n), NULL), TG_OK, "%s", name);
  return s;
}

static const tg_x509_cert *cert(const char *name) { return tg_x509_store_get(store_of(name), 0); }

static void free_files(void) {
  for (size_t i = 0; i < n_files; i++)
    tg_x509_store_free(&files[i].store);
  n_files = 0;
}

TestSuite(x509_profile, .fini = free_files);

/* One chain: the leaf, at most one intermediate (NULL: none), the anchor, the name (NULL: not
 * checked). */
typedef struct chain {
  const char *leaf, *inter, *anchor, *name;
  tg_cert_purpose purpose;
  int64_t now;
} chain;

static tg_status run(const chain *c, tg_x509_profile profile, tg_x509_verify_result *res,
                     tg_err *err) {
  const tg_x509_cert *inter = c->inter != NULL ? cert(c->inter) : NULL;
  tg_x509_verify_params p = {.anchors = store_of(c->anchor),
                             .untrusted = &inter,
                             .untrusted_count = inter != NULL,
                             .name = c->name,
                             .now = c->now != 0 ? c->now : NOW,
                             .purpose = c->purpose,
                             .profile = profile};
  tg_err_clear(err);
  return tg_x509_verify(cert(c->leaf), &p, res, err);
}

/* ---- Every check on its chain ---------------------------------------------------------------- */

#define W "www.example.com"
#define CHAIN(leaf, inter, anchor, name)                                                           \
  { leaf, inter, anchor, name, TG_PURPOSE_SERVER, 0 }
static const struct {
  const char *check;
  chain chain;
  size_t depth;
  bool usage; /* the check is one of the leaf's TLS usage (usage_reason), not the path's */
} rows[] = {
    {"webpki-version", CHAIN("wp_leaf_v1", "wp_int", "wp_root", NULL), 0, false},
    {"webpki-serial-not-positive", CHAIN("wp_leaf_serial0", "wp_int", "wp_root", W), 0, false},
    {"webpki-serial-too-long", CHAIN("wp_leaf_serial21", "wp_int", "wp_root", W), 0, false},
    {"webpki-serial-low-entropy", CHAIN("wp_leaf_serial2", "wp_int", "wp_root", W), 0, false},
    {"webpki-key-algorithm", CHAIN("wp_leaf_ed", "wp_int", "wp_root", W), 0, false},
    {"webpki-key-algorithm", CHAIN("wp_leaf_dsa", "wp_int", "wp_root", W), 0, false},
    {"webpki-key-curve", CHAIN("wp_leaf_p192", "wp_int", "wp_root", W), 0, false},
    {"webpki-rsa-key-size", CHAIN("wp_leaf_rsa1024", "wp_int", "wp_root", W), 0, false},
    {"webpki-rsa-key-multiple-of-8", CHAIN("wp_leaf_rsa2050", "wp_int", "wp_root", W), 0, false},
    {"webpki-signature-algorithm", CHAIN("wp_leaf_sig_ed", "wp_int_ed", "wp_root", W), 0, false},
    {"webpki-aki-missing", CHAIN("wp_leaf_noaki", "wp_int", "wp_root", W), 0, false},
    {"webpki-aki-issuer-serial", CHAIN("wp_leaf_aki_issuer", "wp_int", "wp_root", W), 0, false},
    {"webpki-aki-critical", CHAIN("wp_leaf_aki_crit", "wp_int", "wp_root", W), 0, false},
    {"webpki-root-aki", CHAIN("wp_leaf_by_akimis", NULL, "wp_root_akimis", W), 1, false},
    {"webpki-ski-missing", CHAIN("wp_leaf_by_noski", NULL, "wp_root_noski", W), 1, false},
    {"webpki-ski-missing", CHAIN("wp_leaf_by_int_noski", "wp_int_noski", "wp_root", W), 1, false},
    {"webpki-ski-critical", CHAIN("wp_leaf_ski_crit", "wp_int", "wp_root", W), 0, false},
    {"webpki-ca-basic-constraints-critical", CHAIN("wp_leaf_by_bcnc", NULL, "wp_root_bcnc", W), 1,
     false},
    {"webpki-ca-basic-constraints-critical",
     CHAIN("wp_leaf_by_int_bcnc", "wp_int_bcnc", "wp_root", W), 1, false},
    {"webpki-ca-key-usage", CHAIN("wp_leaf_by_noku", NULL, "wp_root_noku", W), 1, false},
    {"webpki-ca-key-usage", CHAIN("wp_leaf_by_int_kunc", "wp_int_kunc", "wp_root", W), 1, false},
    {"webpki-root-eku", CHAIN("wp_leaf_by_eku", NULL, "wp_root_eku", W), 1, false},
    {"webpki-policy-constraints-critical", CHAIN("wp_leaf_by_int_pc", "wp_int_pc", "wp_root", W), 1,
     false},
    {"webpki-aia-malformed", CHAIN("wp_leaf_aia_bad", "wp_int", "wp_root", W), 0, false},
    {"webpki-aia-not-http", CHAIN("wp_leaf_aia_ldap", "wp_int", "wp_root", W), 0, false},
    {"webpki-leaf-eku-missing", CHAIN("wp_leaf_noeku", "wp_int", "wp_root", W), 0, false},
    {"webpki-leaf-eku-any", CHAIN("wp_leaf_anyeku", "wp_int", "wp_root", W), 0, false},
    {"webpki-leaf-eku-forbidden", CHAIN("wp_leaf_codesign", "wp_int", "wp_root", W), 0, false},
    {"webpki-leaf-eku-critical", CHAIN("wp_leaf_eku_crit", "wp_int", "wp_root", W), 0, false},
    {"webpki-leaf-name-constraints", CHAIN("wp_leaf_nc", "wp_int", "wp_root", W), 0, false},
    {"webpki-san-missing", CHAIN("wp_leaf_nosan", "wp_int", "wp_root", NULL), 0, false},
    {"webpki-san-critical", CHAIN("wp_leaf_san_crit", "wp_int", "wp_root", W), 0, false},
    {"webpki-san-not-critical", CHAIN("wp_leaf_empty_subject", "wp_int", "wp_root", W), 0, false},
    {"webpki-cn-not-in-san", CHAIN("wp_leaf_cn_other", "wp_int", "wp_root", W), 0, false},
    {"webpki-cn-not-in-san", CHAIN("wp_leaf_cn_case", "wp_int", "wp_root", W), 0, false},
    {"webpki-dns-underscore", CHAIN("wp_leaf_underscore", "wp_int", "wp_root", W), 0, false},
    {"webpki-dns-syntax", CHAIN("wp_leaf_partial", "wp_int", "wp_root", W), 0, false},
    {"webpki-wildcard-public-suffix", CHAIN("wp_leaf_psl", "wp_int", "wp_root", "www.co.uk"), 0,
     false},
    {"webpki-leaf-ca", CHAIN("wp_leaf_ca", "wp_int", "wp_root", W), 0, true},
    {"webpki-leaf-path-len", CHAIN("wp_leaf_pathlen", "wp_int", "wp_root", W), 0, true},
};
#define N_ROWS (sizeof rows / sizeof rows[0])

/* The source the table of webpki.c gives for check id. */
static const char *source_of(const char *id) {
  const char *source = NULL, *each;
  for (size_t i = 0; (each = tg_x509_webpki_id(i, &source)) != NULL; i++)
    if (strcmp(each, id) == 0)
      return source;
  return NULL;
}

static void conforming_chains_pass_both_profiles(void);
static void validator_takes_the_profile(void);

/* Each check fails on its chain, only under webpki; the conforming chains pass both profiles.
 * (Few tests rather than many: each costs a process, seconds under ASan.) */
Test(x509_profile, each_check_fails_on_its_chain_and_conforming_chains_pass) {
  for (size_t i = 0; i < N_ROWS; i++) {
    tg_x509_verify_result res;
    tg_err err;
    const char *id = rows[i].check, *source = source_of(id);
    cr_assert_not_null(source, "%s is not in webpki.c's table", id);

    cr_expect_eq(run(&rows[i].chain, TG_X509_PROFILE_RFC5280, &res, &err), TG_OK,
                 "%s: rfc5280 rejects %s: %s", id, rows[i].chain.leaf, err.what);
    cr_expect_null(res.check, "%s: a check under rfc5280", id);

    cr_expect_neq(run(&rows[i].chain, TG_X509_PROFILE_WEBPKI, &res, &err), TG_OK, "%s", id);
    cr_expect_eq(res.reason, TG_X509_PROFILE_VIOLATION, "%s: %s", id,
                 tg_x509_reason_name(res.reason));
    cr_expect_str_eq(res.check ? res.check : "(none)", id, "%s: %s", rows[i].chain.leaf, err.what);
    cr_expect_str_eq(res.source ? res.source : "(none)", source, "%s", id);
    cr_expect_eq(res.depth, rows[i].depth, "%s: depth %zu", id, res.depth);
    /* The part: a path check leaves usage alone, a usage check the path. */
    cr_expect_eq(res.path_reason, rows[i].usage ? TG_X509_OK : TG_X509_PROFILE_VIOLATION, "%s", id);
    cr_expect_eq(res.usage_reason, rows[i].usage ? TG_X509_PROFILE_VIOLATION : TG_X509_OK, "%s",
                 id);
    /* The message names the check and its source, and the alert is the reason's. */
    cr_expect(strstr(err.what, id) != NULL && strstr(err.what, source) != NULL, "%s: %s", id,
              err.what);
    cr_expect_eq(err.alert, tg_x509_reason_alert(TG_X509_PROFILE_VIOLATION), "%s", id);
  }
  conforming_chains_pass_both_profiles();
}

/* Every check of the table has a chain above, and the table's ids are unique and sourced; the
 * profiles' names. */
Test(x509_profile, every_check_has_a_chain_and_names) {
  size_t n = tg_x509_webpki_count();
  cr_assert_gt(n, 30);
  for (size_t i = 0; i < n; i++) {
    const char *source = NULL, *id = tg_x509_webpki_id(i, &source);
    cr_assert_not_null(id);
    cr_expect(strncmp(id, "webpki-", 7) == 0, "%s", id);
    cr_expect(source != NULL && (strncmp(source, "BR ", 3) == 0 || strncmp(source, "RFC ", 4) == 0),
              "%s: source %s", id, source ? source : "(null)");
    bool covered = false;
    for (size_t k = 0; k < N_ROWS; k++)
      covered |= strcmp(rows[k].check, id) == 0;
    cr_expect(covered, "no chain breaks %s", id);
    for (size_t j = 0; j < i; j++)
      cr_expect_str_neq(tg_x509_webpki_id(j, NULL), id, "%s twice", id);
  }
  cr_expect_null(tg_x509_webpki_id(n, NULL));
  cr_expect_str_eq(tg_x509_profile_name(TG_X509_PROFILE_RFC5280), "rfc5280");
  cr_expect_str_eq(tg_x509_profile_name(TG_X509_PROFILE_WEBPKI), "webpki");
  cr_expect_eq(tg_x509_profile_from_name("webpki"), TG_X509_PROFILE_WEBPKI);
  cr_expect_eq(tg_x509_profile_from_name("strict"), -1);
  cr_expect_str_eq(tg_x509_profile_name((tg_x509_profile)7), "unknown");
}

/* ---- Conforming chains ----------------------------------------------------------------------- */

/* Called by the test above: the chains that meet the profile. */
static void conforming_chains_pass_both_profiles(void) {
  static const chain ok[] = {
      {"wp_leaf", "wp_int", "wp_root", W, TG_PURPOSE_SERVER, 0},
      {"wp_leaf_wild", "wp_int", "wp_root", "foo.example.com", TG_PURPOSE_SERVER, 0},
      {"wp_leaf_ip", "wp_int", "wp_root", "192.0.2.10", TG_PURPOSE_SERVER, 0},
      {"wp_leaf_client", "wp_int", "wp_root", NULL, TG_PURPOSE_CLIENT, 0},
      {"wp_leaf_rsa", "wp_int", "wp_root", W, TG_PURPOSE_SERVER, 0},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    for (int profile = TG_X509_PROFILE_RFC5280; profile <= TG_X509_PROFILE_WEBPKI; profile++) {
      tg_x509_verify_result res;
      tg_err err;
      cr_expect_eq(run(&ok[i], (tg_x509_profile)profile, &res, &err), TG_OK, "%s under %s: %s",
                   ok[i].leaf, tg_x509_profile_name((tg_x509_profile)profile), err.what);
      cr_expect(res.reason == TG_X509_OK && res.path_reason == TG_X509_OK &&
                    res.usage_reason == TG_X509_OK && res.check == NULL && res.source == NULL,
                "%s", ok[i].leaf);
      cr_expect_eq(res.path_len, ok[i].inter ? 3u : 2u, "%s", ok[i].leaf);
    }
}

/* ---- Path and usage apart -------------------------------------------------------------------- */

/* Path and usage apart, and the engine's validator with a profile. */
Test(x509_profile, path_and_usage_apart_and_the_validator) {
  static const struct {
    const char *what;
    chain chain;
    tg_x509_profile profile;
    tg_x509_reason path, usage, reason;
    const char *check;
  } cases[] = {
      /* A CA certificate as the leaf: RFC 5280 §6 has nothing against the path; its keyUsage
       * (keyCertSign, cRLSign) does not allow TLS signatures. Under webpki the path breaks the
       * subscriber profile as well (no subjectAltName), and the path's reason comes first. */
      {"CA as leaf", CHAIN("wp_int", NULL, "wp_root", NULL), TG_X509_PROFILE_RFC5280, TG_X509_OK,
       TG_X509_BAD_KEY_USAGE, TG_X509_BAD_KEY_USAGE, NULL},
      {"CA as leaf, webpki", CHAIN("wp_int", NULL, "wp_root", NULL), TG_X509_PROFILE_WEBPKI,
       TG_X509_PROFILE_VIOLATION, TG_X509_BAD_KEY_USAGE, TG_X509_PROFILE_VIOLATION,
       "webpki-san-missing"},
      /* An expired path and a CA as leaf: both are reported, the path's first. */
      {"expired CA as leaf",
       {"wp_int", NULL, "wp_root", NULL, TG_PURPOSE_SERVER, LATER},
       TG_X509_PROFILE_RFC5280,
       TG_X509_EXPIRED,
       TG_X509_BAD_KEY_USAGE,
       TG_X509_EXPIRED,
       NULL},
      /* No path at all: usage is judged anyway. */
      {"unknown issuer, wrong name", CHAIN("wp_leaf", NULL, "root", "www.example.net"),
       TG_X509_PROFILE_RFC5280, TG_X509_UNKNOWN_ISSUER, TG_X509_NAME_MISMATCH,
       TG_X509_UNKNOWN_ISSUER, NULL},
      /* A path violation under webpki with a usage violation under webpki: the check named is
       * the path's. */
      {"a CA leaf with a 2-octet serial", CHAIN("leaf_ok", "int_ed", "root", W),
       TG_X509_PROFILE_WEBPKI, TG_X509_PROFILE_VIOLATION, TG_X509_OK, TG_X509_PROFILE_VIOLATION,
       "webpki-serial-low-entropy"},
      /* pathLenConstraint in a leaf: nothing under rfc5280, a usage violation under webpki. */
      {"pathLen in a leaf", CHAIN("wp_leaf_pathlen", "wp_int", "wp_root", W),
       TG_X509_PROFILE_RFC5280, TG_X509_OK, TG_X509_OK, TG_X509_OK, NULL},
      {"pathLen in a leaf, wrong name, webpki",
       CHAIN("wp_leaf_pathlen", "wp_int", "wp_root", "www.example.net"), TG_X509_PROFILE_WEBPKI,
       TG_X509_OK, TG_X509_PROFILE_VIOLATION, TG_X509_PROFILE_VIOLATION, "webpki-leaf-path-len"},
      /* The usage of a leaf that passes: only the name. */
      {"conforming leaf, wrong name", CHAIN("wp_leaf", "wp_int", "wp_root", "www.example.net"),
       TG_X509_PROFILE_WEBPKI, TG_X509_OK, TG_X509_NAME_MISMATCH, TG_X509_NAME_MISMATCH, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tg_x509_verify_result res;
    tg_err err;
    tg_status st = run(&cases[i].chain, cases[i].profile, &res, &err);
    cr_expect_eq(st == TG_OK, cases[i].reason == TG_X509_OK, "%s", cases[i].what);
    cr_expect_eq(res.path_reason, cases[i].path, "%s: path %s", cases[i].what,
                 tg_x509_reason_name(res.path_reason));
    cr_expect_eq(res.usage_reason, cases[i].usage, "%s: usage %s", cases[i].what,
                 tg_x509_reason_name(res.usage_reason));
    cr_expect_eq(res.reason, cases[i].reason, "%s: reason %s", cases[i].what,
                 tg_x509_reason_name(res.reason));
    cr_expect_str_eq(res.check ? res.check : "(none)", cases[i].check ? cases[i].check : "(none)",
                     "%s", cases[i].what);
    if (st != TG_OK)
      cr_expect_eq(err.alert, tg_x509_reason_alert(res.reason), "%s", cases[i].what);
  }
  validator_takes_the_profile();
}

/* ---- The engine's validator ------------------------------------------------------------------ */

/* Called by the test above: the engine's validator under each profile. */
static void validator_takes_the_profile(void) {
  const tg_x509_cert *leaf = cert("wp_leaf_noeku"), *inter = cert("wp_int");
  const tg_bytes chain[] = {leaf->raw, inter->raw};
  tg_validation_request req = {
      .chain = chain, .chain_len = 2, .name = W, .now = NOW, .purpose = TG_PURPOSE_SERVER};
  tg_validator v;
  tg_public_key *key = NULL;
  tg_err err;
  tg_x509_validator_init(&v, store_of("wp_root"));
  tg_err_clear(&err);
  cr_expect_eq(v.validate(&v, &req, &key, &err), TG_OK, "rfc5280 (the default): %s", err.what);
  tg_public_key_free(key);
  key = NULL;

  tg_x509_validator_set_profile(&v, TG_X509_PROFILE_WEBPKI);
  tg_err_clear(&err);
  cr_expect_neq(v.validate(&v, &req, &key, &err), TG_OK);
  cr_expect_null(key);
  cr_expect_eq(err.alert, TG_ALERT_bad_certificate);
  cr_expect(strstr(err.what, "webpki-leaf-eku-missing") != NULL, "%s", err.what);

  tg_x509_validator_set_profile(&v, TG_X509_PROFILE_RFC5280);
  tg_err_clear(&err);
  cr_expect_eq(v.validate(&v, &req, &key, &err), TG_OK, "back to rfc5280: %s", err.what);
  tg_public_key_free(key);
}
