/* fuzz_x509_diff's allowlist (fuzz/x509_diff_allowlist.h): each library's deviation from the
 * built-in verdict is explained on its own, by an entry for that library, those two verdicts
 * and the facts it requires; one unexplained deviation makes the case new, whatever else is
 * explained. Synthetic verdict triples against a small allowlist written here, and against the
 * committed fuzz/x509_diff_allowlist.yaml. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509_diff_allowlist.h"

static const char small[] = "entries:\n"
                            "  - id: g-cn\n"
                            "    library: gnutls\n"
                            "    builtin: name_mismatch\n"
                            "    says: ok\n"
                            "    when: leaf-cn-no-dns\n"
                            "    kind: library\n"
                            "    why: GnuTLS falls back to the CN\n"
                            "    evidence: manifest cn-only\n"
                            "  - id: b-anchor\n"
                            "    library: boringssl\n"
                            "    builtin: ok\n"
                            "    says: unknown_issuer\n"
                            "    when: [anchor-not-self-issued]\n"
                            "    unless: [leaf-is-anchor]\n"
                            "    kind: library\n"
                            "    why: no partial chains\n"
                            "    evidence: openssl verify without -partial_chain\n"
                            "  - id: any-der\n"
                            "    library: any\n"
                            "    builtin: malformed\n"
                            "    says: ok\n"
                            "    builtin_detail: '*BOOLEAN is 0x*'\n"
                            "    kind: policy\n"
                            "    why: DER BOOLEAN\n"
                            "    evidence: X.690 11.1\n";

static xda_list load(const char *yaml) {
  xda_list l;
  char err[256] = "";
  cr_assert(xda_load(&l, yaml, strlen(yaml), err, sizeof err), "%s", err);
  return l;
}

/* A case where the built-in says b and the libraries g and s, all compared, no facts. */
static xda_case triple(const char *b, const char *g, const char *s) {
  return (xda_case){.builtin = {strcmp(b, "ok") == 0, b, ""},
                    .lib = {{strcmp(g, "ok") == 0, g, ""}, {strcmp(s, "ok") == 0, s, ""}},
                    .compared = {true, true},
                    .name = "www.example.com"};
}

static void loads_small(void) {
  xda_list l = load(small);
  cr_expect_eq(l.n, 3);
  cr_expect_str_eq(l.entries[0].id, "g-cn");
  cr_expect_eq(l.entries[0].library, 1u << XDA_GNUTLS);
  cr_expect_eq(l.entries[1].when, XDA_ANCHOR_NOT_SELF_ISSUED);
  cr_expect_eq(l.entries[1].unless, XDA_LEAF_IS_ANCHOR);
  cr_expect_eq(l.entries[2].library, 1u << XDA_GNUTLS | 1u << XDA_BORINGSSL);
  xda_free(&l);
}

static void agreement_is_no_deviation(void) {
  xda_list l = load(small);
  /* Three rejections for three reasons: the verdicts agree, only ok-ness is compared. */
  xda_case c = triple("expired", "bad_signature", "unknown_issuer");
  cr_expect_not(xda_deviates(&c, XDA_GNUTLS));
  cr_expect_not(xda_deviates(&c, XDA_BORINGSSL));
  cr_expect_eq(xda_unexplained(&l, &c), -1);
  xda_free(&l);
}

static void unexplained_deviation_is_reported(void) {
  xda_list l = load(small);
  xda_case c = triple("ok", "bad_signature", "ok");
  cr_expect(xda_deviates(&c, XDA_GNUTLS));
  cr_expect_null(xda_explain(&l, &c, XDA_GNUTLS));
  cr_expect_eq(xda_unexplained(&l, &c), XDA_GNUTLS);
  /* The other direction too: a library accepting what the built-in rejects. */
  c = triple("expired", "expired", "ok");
  cr_expect_eq(xda_unexplained(&l, &c), XDA_BORINGSSL);
  xda_free(&l);
}

static void two_known_deviations_each_explained(void) {
  /* The issue's chain: a CN-only leaf GnuTLS matches by CN, under an anchor that is not
   * self-issued, which BoringSSL refuses. Two deviations, one entry each. */
  xda_list l = load(small);
  xda_case c = triple("name_mismatch", "ok", "unknown_issuer");
  c.facts = XDA_LEAF_CN_NO_DNS | XDA_ANCHOR_NOT_SELF_ISSUED;
  /* BoringSSL's rejection agrees with the built-in's: only GnuTLS deviates here. */
  cr_expect_eq(xda_unexplained(&l, &c), -1);
  cr_expect_str_eq(xda_explain(&l, &c, XDA_GNUTLS)->id, "g-cn");
  /* With the name right, the built-in accepts: BoringSSL deviates, explained by its own entry. */
  c = triple("ok", "ok", "unknown_issuer");
  c.facts = XDA_LEAF_CN_NO_DNS | XDA_ANCHOR_NOT_SELF_ISSUED;
  cr_expect_str_eq(xda_explain(&l, &c, XDA_BORINGSSL)->id, "b-anchor");
  cr_expect_eq(xda_unexplained(&l, &c), -1);
  xda_free(&l);
}

static void one_unexplained_among_explained(void) {
  /* GnuTLS's deviation is known; BoringSSL's is not. The case is new. */
  xda_list l = load(small);
  xda_case c = triple("name_mismatch", "ok", "ok");
  c.facts = XDA_LEAF_CN_NO_DNS;
  cr_expect_not_null(xda_explain(&l, &c, XDA_GNUTLS));
  cr_expect_eq(xda_unexplained(&l, &c), XDA_BORINGSSL);
  xda_free(&l);
}

static void entry_is_per_library(void) {
  /* g-cn names GnuTLS: the same deviation by BoringSSL is not explained by it. */
  xda_list l = load(small);
  xda_case c = triple("name_mismatch", "name_mismatch", "ok");
  c.facts = XDA_LEAF_CN_NO_DNS;
  cr_expect_eq(xda_unexplained(&l, &c), XDA_BORINGSSL);
  xda_free(&l);
}

static void facts_are_required(void) {
  xda_list l = load(small);
  /* Without leaf-cn-no-dns, GnuTLS accepting a name the built-in refuses is new. */
  xda_case c = triple("name_mismatch", "ok", "name_mismatch");
  cr_expect_eq(xda_unexplained(&l, &c), XDA_GNUTLS);
  /* `unless`: b-anchor does not hold when the leaf is the anchor. */
  c = triple("ok", "ok", "unknown_issuer");
  c.facts = XDA_ANCHOR_NOT_SELF_ISSUED | XDA_LEAF_IS_ANCHOR;
  cr_expect_eq(xda_unexplained(&l, &c), XDA_BORINGSSL);
  xda_free(&l);
}

static void verdicts_must_match(void) {
  /* g-cn explains GnuTLS accepting where the built-in says name_mismatch, not where it says
   * expired. */
  xda_list l = load(small);
  xda_case c = triple("expired", "ok", "expired");
  c.facts = XDA_LEAF_CN_NO_DNS;
  cr_expect_eq(xda_unexplained(&l, &c), XDA_GNUTLS);
  xda_free(&l);
}

static void detail_pattern(void) {
  xda_list l = load(small);
  xda_case c = triple("malformed", "ok", "ok");
  c.builtin.detail = "Extension.critical BOOLEAN is 0x01, not 0x00 or 0xFF";
  cr_expect_eq(xda_unexplained(&l, &c), -1);
  c.builtin.detail = "TBSCertificate.serialNumber is negative";
  cr_expect_eq(xda_unexplained(&l, &c), XDA_GNUTLS);
  xda_free(&l);
}

static void library_not_compared(void) {
  /* Built without BoringSSL: its verdict is not judged, GnuTLS's still is. */
  xda_list l = load(small);
  xda_case c = triple("ok", "ok", "bad_signature");
  c.compared[XDA_BORINGSSL] = false;
  cr_expect_eq(xda_unexplained(&l, &c), -1);
  c = triple("ok", "expired", "ok");
  c.compared[XDA_BORINGSSL] = false;
  cr_expect_eq(xda_unexplained(&l, &c), XDA_GNUTLS);
  xda_free(&l);
}

/* One broken entry, with the message the loader must give. */
static void expect_refused(const char *entry, const char *message) {
  char yaml[1024], err[256] = "";
  snprintf(yaml, sizeof yaml, "entries:\n  - id: x\n%s", entry);
  xda_list l;
  cr_expect_not(xda_load(&l, yaml, strlen(yaml), err, sizeof err), "accepted: %s", entry);
  cr_expect(strstr(err, message) != NULL, "\"%s\" lacks \"%s\"", err, message);
}

#define OK_FIELDS "    kind: library\n    why: w\n    evidence: e\n"

static void refuses_bad_entries(void) {
  expect_refused("    library: gnutls\n    builtin: ok\n    says: expired\n"
                 "    kind: library\n    evidence: e\n",
                 "has no why");
  expect_refused("    library: gnutls\n    builtin: ok\n    says: expired\n"
                 "    kind: library\n    why: w\n",
                 "has no evidence");
  expect_refused("    library: gnutls\n    builtin: ok\n    says: expired\n"
                 "    why: w\n    evidence: e\n",
                 "has no kind");
  expect_refused("    builtin: ok\n    says: expired\n" OK_FIELDS, "has no library");
  expect_refused("    library: openssl\n    builtin: ok\n    says: expired\n" OK_FIELDS,
                 "unknown library \"openssl\"");
  expect_refused(
      "    library: gnutls\n    builtin: ok\n    says: expired\n    when: [no-such]\n" OK_FIELDS,
      "unknown fact \"no-such\"");
  expect_refused(
      "    library: gnutls\n    builtin: ok\n    says: expired\n    class: '*'\n" OK_FIELDS,
      "unknown key \"class\"");
  /* Not a deviation: an entry must not explain agreement, or "*" for both. */
  expect_refused("    library: gnutls\n    builtin: '*'\n    says: '*'\n" OK_FIELDS,
                 "one of builtin and says");
  expect_refused("    library: gnutls\n    builtin: ok\n    says: expired\n"
                 "    kind: maybe\n    why: w\n    evidence: e\n",
                 "kind is library, policy or ours");
  expect_refused("    library: [gnutls\n", "x509_diff_allowlist.yaml:");
}

/* ---- The committed allowlist ---------------------------------------------------------------- */

static xda_list committed(void) {
  FILE *f = fopen(TG_SOURCE_DIR "/fuzz/x509_diff_allowlist.yaml", "rb");
  cr_assert_not_null(f);
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  cr_assert_lt(n, sizeof buf - 1, "the allowlist outgrew the test's buffer");
  buf[n] = '\0';
  return load(buf);
}

static void committed_loads_with_unique_ids(void) {
  xda_list l = committed();
  cr_expect_gt(l.n, 5);
  for (size_t i = 0; i < l.n; i++)
    for (size_t j = i + 1; j < l.n; j++)
      cr_expect_str_neq(l.entries[i].id, l.entries[j].id);
  xda_free(&l);
}

static void committed_does_not_accept_everything(void) {
  /* Each library, each direction, with every fact true and a message no entry names: a
   * deviation of a kind no entry is about (a bad signature accepted, a good chain refused as
   * expired) is still reported. */
  xda_list l = committed();
  for (int lib = 0; lib < XDA_LIBRARIES; lib++) {
    xda_case c = triple("bad_signature", "bad_signature", "bad_signature");
    c.facts = ~0u;
    c.lib[lib] = (xda_verdict){true, "ok", ""};
    cr_expect_eq(xda_unexplained(&l, &c), lib, "%s accepting a bad signature",
                 xda_library_names[lib]);
    c = triple("ok", "ok", "ok");
    c.facts = ~0u;
    c.lib[lib] = (xda_verdict){false, "expired", ""};
    cr_expect_eq(xda_unexplained(&l, &c), lib, "%s refusing a good chain as expired",
                 xda_library_names[lib]);
  }
  xda_free(&l);
}

/* The CN fallback explains both libraries' acceptance of a CN-only leaf, and nothing else: not
 * a leaf with a dNSName, not a rejection. */
static void committed_cn_fallback(void) {
  xda_list l = committed();
  xda_case c = triple("name_mismatch", "ok", "ok");
  c.facts = XDA_LEAF_CN_NO_DNS;
  cr_expect_eq(xda_unexplained(&l, &c), -1);
  c.facts = 0;
  cr_expect_eq(xda_unexplained(&l, &c), XDA_GNUTLS);
  c = triple("ok", "name_mismatch", "ok");
  c.facts = XDA_LEAF_CN_NO_DNS;
  cr_expect_eq(xda_unexplained(&l, &c), XDA_GNUTLS);
  xda_free(&l);
}

/* ---- The tests: two processes (each Test() is a ctest of its own, ~1 s under ASan) ------------
 */

Test(x509_diff_allowlist, synthetic) {
  loads_small();
  refuses_bad_entries();
  agreement_is_no_deviation();
  unexplained_deviation_is_reported();
  two_known_deviations_each_explained();
  one_unexplained_among_explained();
  entry_is_per_library();
  library_not_compared();
  facts_are_required();
  verdicts_must_match();
  detail_pattern();
}

Test(x509_diff_allowlist, committed_allowlist) {
  committed_loads_with_unique_ids();
  committed_does_not_accept_everything();
  committed_cn_fallback();
}
