/* Every chain of vectors/x509/chains.yaml through tg_x509_verify: the verdict and the reason the
 * manifest gives (the RFCs' verdicts; the chains are made by vectors/x509/chains/gen.sh). The
 * table below mirrors the manifest, and a test checks that the two agree entry by entry. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/pem.h"
#include "tg/x509_verify.h"

#define CHAINS TG_SOURCE_DIR "/vectors/x509/chains/"
#define VERIFY_TIME 1780272000 /* 2026-06-01T00:00:00Z, the manifest's time for every entry */

typedef struct chain_case {
  const char *id, *leaf, *untrusted, *trust; /* files in CHAINS; lists separated by spaces */
  const char *name;                          /* NULL: no name check */
  tg_cert_purpose purpose;
  tg_x509_reason reason; /* TG_X509_OK: valid */
} chain_case;

static const chain_case cases[] = {
    {"valid-2level-rsa-root", "leaf_root.pem", "", "root.pem", "www.example.com", TG_PURPOSE_SERVER,
     TG_X509_OK},
    {"valid-3level-p256", "leaf_p256.pem", "int_p256.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-3level-p384", "leaf_p384.pem", "int_p384.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-3level-ed25519", "leaf_ok.pem", "int_ed.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-rsa-pss", "leaf_pss.pem", "", "root.pem", "www.example.com", TG_PURPOSE_SERVER,
     TG_X509_OK},
    {"valid-client-purpose", "leaf_client.pem", "int_ed.pem", "root.pem", NULL, TG_PURPOSE_CLIENT,
     TG_X509_OK},
    {"expired-leaf", "leaf_expired.pem", "int_ed.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_EXPIRED},
    {"not-yet-valid-leaf", "leaf_future.pem", "int_ed.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_NOT_YET_VALID},
    {"expired-intermediate", "leaf_ok.pem", "int_ed_expired.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_EXPIRED},
    {"expired-root", "leaf_root.pem", "", "root_expired.pem", "www.example.com", TG_PURPOSE_SERVER,
     TG_X509_EXPIRED},
    {"wrong-name", "leaf_ok.pem", "int_ed.pem", "root.pem", "www.example.org", TG_PURPOSE_SERVER,
     TG_X509_NAME_MISMATCH},
    {"name-case-insensitive", "leaf_ok.pem", "int_ed.pem", "root.pem", "WWW.Example.COM",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"name-trailing-dot", "leaf_ok.pem", "int_ed.pem", "root.pem", "www.example.com.",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"wildcard-match", "leaf_wild.pem", "int_ed.pem", "root.pem", "foo.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"wildcard-two-labels", "leaf_wild.pem", "int_ed.pem", "root.pem", "a.b.example.com",
     TG_PURPOSE_SERVER, TG_X509_NAME_MISMATCH},
    {"wildcard-base-domain", "leaf_wild.pem", "int_ed.pem", "root.pem", "example.com",
     TG_PURPOSE_SERVER, TG_X509_NAME_MISMATCH},
    {"wildcard-single-label-base", "leaf_wild_tld.pem", "int_ed.pem", "root.pem", "example.com",
     TG_PURPOSE_SERVER, TG_X509_NAME_MISMATCH},
    {"wildcard-partial", "leaf_wild_partial.pem", "int_ed.pem", "root.pem", "abc.example.com",
     TG_PURPOSE_SERVER, TG_X509_NAME_MISMATCH},
    {"ip-v4-match", "leaf_ip.pem", "int_ed.pem", "root.pem", "192.0.2.10", TG_PURPOSE_SERVER,
     TG_X509_OK},
    {"ip-v6-match", "leaf_ip.pem", "int_ed.pem", "root.pem", "2001:db8::10", TG_PURPOSE_SERVER,
     TG_X509_OK},
    {"ip-vs-dns-san", "leaf_ip.pem", "int_ed.pem", "root.pem", "192.0.2.11", TG_PURPOSE_SERVER,
     TG_X509_NAME_MISMATCH},
    {"ip-no-match", "leaf_ip.pem", "int_ed.pem", "root.pem", "192.0.2.12", TG_PURPOSE_SERVER,
     TG_X509_NAME_MISMATCH},
    {"cn-only", "leaf_cn.pem", "int_ed.pem", "root.pem", "www.example.com", TG_PURPOSE_SERVER,
     TG_X509_NAME_MISMATCH},
    {"intermediate-ca-false", "leaf_noca.pem", "int_noca.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_NOT_A_CA},
    {"intermediate-no-basic-constraints", "leaf_nobc.pem", "int_nobc.pem", "root.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_NOT_A_CA},
    {"pathlen-0-exceeded", "leaf_pl0.pem", "int_pl0.pem int_under_pl0.pem", "root.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_PATH_LEN_EXCEEDED},
    {"issuer-no-keycertsign", "leaf_noku.pem", "int_noku.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_BAD_KEY_USAGE},
    {"leaf-no-digitalsignature", "leaf_ku.pem", "int_ed.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_BAD_KEY_USAGE},
    {"eku-client-only-for-server", "leaf_client.pem", "int_ed.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_BAD_EXT_KEY_USAGE},
    {"name-constraints-permitted", "leaf_nc_ok.pem", "int_nc.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"name-constraints-dns-outside", "leaf_nc_bad.pem", "int_nc.pem", "root.pem", "www.example.net",
     TG_PURPOSE_SERVER, TG_X509_NAME_CONSTRAINT_VIOLATION},
    {"name-constraints-dns-excluded", "leaf_nc_excl.pem", "int_nc.pem", "root.pem",
     "bad.example.com", TG_PURPOSE_SERVER, TG_X509_NAME_CONSTRAINT_VIOLATION},
    {"name-constraints-ip-outside", "leaf_nc_ip.pem", "int_nc.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_NAME_CONSTRAINT_VIOLATION},
    {"name-constraints-dirname-permitted", "leaf_nc_dn_ok.pem", "int_nc_dn.pem", "root.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
    {"name-constraints-dirname-outside", "leaf_nc_dn_bad.pem", "int_nc_dn.pem", "root.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_NAME_CONSTRAINT_VIOLATION},
    {"unknown-critical-extension", "leaf_crit.pem", "int_ed.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_UNKNOWN_CRITICAL_EXTENSION},
    {"v1-intermediate", "leaf_v1ca.pem", "int_v1.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_NOT_A_CA},
    {"bad-signature", "leaf_badsig.pem", "int_ed.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_BAD_SIGNATURE},
    {"unknown-issuer", "leaf_ok.pem", "", "root.pem", "www.example.com", TG_PURPOSE_SERVER,
     TG_X509_UNKNOWN_ISSUER},
    {"untrusted-root", "leaf_ok.pem", "int_ed.pem", "other_root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_UNKNOWN_ISSUER},
    {"self-signed-not-anchor", "self_signed.pem", "", "root.pem", "self.example.com",
     TG_PURPOSE_SERVER, TG_X509_SELF_SIGNED},
    {"self-signed-anchor", "self_signed.pem", "", "self_signed.pem", "self.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"two-candidates-second-valid", "leaf_ok.pem", "int_ed_decoy.pem int_ed.pem", "root.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
    {"decoy-only", "leaf_ok.pem", "int_ed_decoy.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_BAD_SIGNATURE},
    {"cross-signed-loop", "leaf_loop.pem", "loop_x.pem loop_y.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_UNKNOWN_ISSUER},
    {"cross-signed-loop-with-exit", "leaf_loop.pem", "loop_x.pem loop_y.pem loop_x_root.pem",
     "root.pem", "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
    {"path-too-long", "leaf_long.pem", "long_chain.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_PATH_TOO_LONG},
    {"path-long-within-limit", "leaf_long_ok.pem", "long_chain_ok.pem", "root.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
    {"sha1-signature", "leaf_sha1.pem", "", "root.pem", "www.example.com", TG_PURPOSE_SERVER,
     TG_X509_WEAK_ALGORITHM},
    {"valid-rsa-0-intermediates", "leaf_rsa0.pem", "", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-rsa-1-intermediate", "leaf_rsa1.pem", "int_rsa1.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-rsa-2-intermediates", "leaf_rsa2.pem", "int_rsa2.pem int_rsa1.pem", "root.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-ecdsa-0-intermediates", "leaf_ec0.pem", "", "root_ec.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-ecdsa-1-intermediate", "leaf_ec1.pem", "int_ec1.pem", "root_ec.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-ecdsa-2-intermediates", "leaf_ec2.pem", "int_ec2.pem int_ec1.pem", "root_ec.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-ed25519-0-intermediates", "leaf_ed0.pem", "", "root_ed.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-ed25519-1-intermediate", "leaf_ed1.pem", "int_ed1.pem", "root_ed.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
    {"valid-ed25519-2-intermediates", "leaf_ed2.pem", "int_ed2.pem int_ed1.pem", "root_ed.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
    {"expired-root-with-intermediate", "leaf_ok.pem", "int_ed.pem", "root_expired.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_EXPIRED},
    {"missing-upper-intermediate", "leaf_rsa2.pem", "int_rsa2.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_UNKNOWN_ISSUER},
    {"missing-lower-intermediate", "leaf_ec2.pem", "int_ec1.pem", "root_ec.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_UNKNOWN_ISSUER},
    {"untrusted-root-offered", "leaf_ok.pem", "int_ed.pem root.pem", "other_root.pem",
     "www.example.com", TG_PURPOSE_SERVER, TG_X509_UNKNOWN_ISSUER},
    {"untrusted-root-ecdsa", "leaf_ec1.pem", "int_ec1.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_UNKNOWN_ISSUER},
    {"duplicated-extension", "leaf_dup.pem", "int_ed.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_MALFORMED},
    {"md5-signature", "leaf_md5.pem", "", "root.pem", "www.example.com", TG_PURPOSE_SERVER,
     TG_X509_WEAK_ALGORITHM},
    {"ecdsa-sha1-signature", "leaf_ecdsa_sha1.pem", "int_p256.pem", "root.pem", "www.example.com",
     TG_PURPOSE_SERVER, TG_X509_WEAK_ALGORITHM},
};
#define N_CASES (sizeof cases / sizeof cases[0])

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  cr_assert_eq(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  cr_assert(n >= 0);
  rewind(f);
  char *buf = malloc((size_t)n + 1);
  cr_assert_not_null(buf);
  cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* Adds every file of a space-separated list to store. */
static void load_list(tg_x509_store *store, const char *list) {
  char copy[256], path[512];
  snprintf(copy, sizeof copy, "%s", list);
  for (char *save = NULL, *f = strtok_r(copy, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
    size_t len;
    snprintf(path, sizeof path, CHAINS "%s", f);
    char *text = read_file(path, &len);
    tg_err err = {0};
    char msg[256];
    cr_assert_eq(tg_x509_store_add_pem(store, tg_bytes_of(text, len), &err), TG_OK, "%s: %s", f,
                 tg_err_format(&err, msg, sizeof msg));
    free(text);
  }
}

/* The DER of every CERTIFICATE block of the files of a space-separated list, appended to w, with
 * a view of each in out[] (views into w: valid until w grows, so taken after the last append). */
static size_t load_der(tg_writer *w, const char *list, tg_bytes *out, size_t max) {
  char copy[256], path[512];
  size_t ends[16], n = 0;
  snprintf(copy, sizeof copy, "%s", list);
  for (char *save = NULL, *f = strtok_r(copy, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
    size_t len, line = 0;
    snprintf(path, sizeof path, CHAINS "%s", f);
    char *text = read_file(path, &len);
    tg_err err = {0};
    tg_reader r;
    tg_reader_init(&r, (const uint8_t *)text, len, &err);
    for (;;) {
      tg_pem_block block;
      bool found;
      cr_assert_eq(tg_pem_next(&r, &line, &block, &found, &err), TG_OK, "%s", f);
      if (!found)
        break;
      cr_assert_eq(tg_pem_decode(&block, w, &err), TG_OK, "%s", f);
      cr_assert_lt(n, 16);
      ends[n++] = w->len;
    }
    free(text);
  }
  cr_assert_leq(n, max);
  for (size_t i = 0; i < n; i++)
    out[i] = tg_bytes_of(w->buf + (i ? ends[i - 1] : 0), ends[i] - (i ? ends[i - 1] : 0));
  return n;
}

/* A malformed certificate never reaches path validation: loading it is refused with the alert
 * the reason implies (bad_certificate), and the message names the check. The manifest marks
 * only leaves malformed. */
static void run_malformed(const chain_case *c) {
  char path[512];
  size_t len;
  snprintf(path, sizeof path, CHAINS "%s", c->leaf);
  char *text = read_file(path, &len);
  tg_x509_store leaf;
  tg_x509_store_init(&leaf);
  tg_err err = {0};
  cr_expect_neq(tg_x509_store_add_pem(&leaf, tg_bytes_of(text, len), &err), TG_OK, "%s", c->id);
  cr_expect_eq(err.alert, tg_x509_reason_alert(TG_X509_MALFORMED), "%s: alert %d", c->id,
               err.alert);
  cr_expect_eq(tg_x509_store_count(&leaf), 0, "%s", c->id);
  cr_expect(err.file != NULL && err.line > 0 && strlen(err.what) > 0, "%s", c->id);
  tg_x509_store_free(&leaf);
  free(text);
}

static void run_case(const chain_case *c) {
  if (c->reason == TG_X509_MALFORMED) {
    run_malformed(c);
    return;
  }
  tg_x509_store leaf, untrusted, anchors;
  tg_x509_store_init(&leaf);
  tg_x509_store_init(&untrusted);
  tg_x509_store_init(&anchors);
  load_list(&leaf, c->leaf);
  load_list(&untrusted, c->untrusted);
  load_list(&anchors, c->trust);
  const tg_x509_cert *inter[16];
  size_t n = tg_x509_store_count(&untrusted);
  cr_assert(n <= 16);
  for (size_t i = 0; i < n; i++)
    inter[i] = tg_x509_store_get(&untrusted, i);
  tg_x509_verify_params p = {.anchors = &anchors,
                             .untrusted = inter,
                             .untrusted_count = n,
                             .name = c->name,
                             .now = VERIFY_TIME,
                             .purpose = c->purpose};
  tg_x509_verify_result res;
  tg_err err = {0};
  char msg[256];
  tg_status st = tg_x509_verify(tg_x509_store_get(&leaf, 0), &p, &res, &err);
  cr_expect_eq(res.reason, c->reason, "%s: reason %s, expected %s (%s)", c->id,
               tg_x509_reason_name(res.reason), tg_x509_reason_name(c->reason),
               st == TG_OK ? "valid" : tg_err_format(&err, msg, sizeof msg));
  if (c->reason == TG_X509_OK) {
    cr_expect_eq(st, TG_OK, "%s", c->id);
    /* A valid path runs from the leaf to one of the anchors. */
    cr_expect(res.path_len >= 1 && res.path[0] == tg_x509_store_get(&leaf, 0), "%s", c->id);
    cr_expect(res.path_len >= 1 && tg_x509_store_contains(&anchors, res.path[res.path_len - 1]),
              "%s: the path does not end at an anchor", c->id);
  } else {
    cr_expect_neq(st, TG_OK, "%s", c->id);
    cr_expect_eq(err.alert, tg_x509_reason_alert(c->reason), "%s: alert %d", c->id, err.alert);
    cr_expect_gt(strlen(err.what), 0, "%s: no message", c->id);
  }
  tg_x509_store_free(&leaf);
  tg_x509_store_free(&untrusted);
  tg_x509_store_free(&anchors);
}

Test(x509_chains, every_manifest_chain) {
  for (size_t i = 0; i < N_CASES; i++)
    run_case(&cases[i]);
}

/* The engine's path: the same chains as DER through the tg_validator (tg_x509_validator_init),
 * leaf first and the intermediates as sent. It gives the alert each reason implies, and the
 * leaf's key on success. */
Test(x509_chains, validator_gives_each_alert) {
  for (size_t i = 0; i < N_CASES; i++) {
    const chain_case *c = &cases[i];
    tg_x509_store anchors;
    tg_x509_store_init(&anchors);
    load_list(&anchors, c->trust);
    tg_writer w;
    tg_err err = {0};
    tg_writer_init_dynamic(&w, &err);
    tg_bytes chain[1 + 16];
    /* Two writers: views into one stay valid while the other grows. */
    size_t n = load_der(&w, c->leaf, chain, 1);
    tg_writer w2;
    tg_writer_init_dynamic(&w2, &err);
    n += load_der(&w2, c->untrusted, chain + n, 16);
    tg_validator v;
    tg_x509_validator_init(&v, &anchors);
    tg_validation_request req = {
        .chain = chain, .chain_len = n, .name = c->name, .now = VERIFY_TIME, .purpose = c->purpose};
    tg_public_key *key = NULL;
    char msg[256];
    tg_err_clear(&err);
    tg_status st = v.validate(&v, &req, &key, &err);
    if (c->reason == TG_X509_OK) {
      cr_expect_eq(st, TG_OK, "%s: %s", c->id, tg_err_format(&err, msg, sizeof msg));
      cr_expect_not_null(key, "%s: no leaf key", c->id);
    } else {
      cr_expect_neq(st, TG_OK, "%s", c->id);
      cr_expect_eq(err.alert, tg_x509_reason_alert(c->reason), "%s: %s", c->id,
                   tg_err_format(&err, msg, sizeof msg));
      cr_expect_null(key, "%s", c->id);
    }
    tg_public_key_free(key);
    tg_writer_free(&w);
    tg_writer_free(&w2);
    tg_x509_store_free(&anchors);
  }
}

/* The duplicated extension is rejected by the parser with TG_E_DUPLICATE, naming the extension. */
Test(x509_chains, duplicated_extension_is_named) {
  tg_writer w;
  tg_err err = {0};
  tg_bytes der;
  tg_writer_init_dynamic(&w, &err);
  cr_assert_eq(load_der(&w, "leaf_dup.pem", &der, 1), 1);
  tg_x509_cert cert;
  cr_assert_neq(tg_x509_parse(der, &cert, &err), TG_OK);
  cr_expect_eq(err.code, TG_E_DUPLICATE);
  cr_expect_eq(err.alert, TG_ALERT_bad_certificate);
  cr_expect_not_null(strstr(err.what, "basicConstraints"), "%s", err.what);
  tg_writer_free(&w);
}

/* The order the peer sends its intermediates in does not change the verdict. */
Test(x509_chains, untrusted_order_does_not_matter) {
  static const chain_case reversed[] = {
      {"two-candidates-reversed", "leaf_ok.pem", "int_ed.pem int_ed_decoy.pem", "root.pem",
       "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
      {"loop-with-exit-reversed", "leaf_loop.pem", "loop_x_root.pem loop_y.pem loop_x.pem",
       "root.pem", "www.example.com", TG_PURPOSE_SERVER, TG_X509_OK},
      {"pathlen-reversed", "leaf_pl0.pem", "int_under_pl0.pem int_pl0.pem", "root.pem",
       "www.example.com", TG_PURPOSE_SERVER, TG_X509_PATH_LEN_EXCEEDED},
  };
  for (size_t i = 0; i < sizeof reversed / sizeof reversed[0]; i++)
    run_case(&reversed[i]);
}

/* The value of key in a flat "  key: value" line, quotes removed, into out. */
static bool yaml_value(const char *line, const char *key, char *out, size_t len) {
  size_t k = strlen(key);
  if (strncmp(line, "  ", 2) != 0 || strncmp(line + 2, key, k) != 0 ||
      strncmp(line + 2 + k, ": ", 2))
    return false;
  const char *v = line + 4 + k;
  size_t n = strcspn(v, "\n");
  if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
    v++, n -= 2;
  snprintf(out, len, "%.*s", (int)n, v);
  return true;
}

/* chains.yaml and the table above list the same cases with the same files and verdicts. */
Test(x509_chains, table_mirrors_manifest) {
  size_t len, i = 0;
  char *text = read_file(TG_SOURCE_DIR "/vectors/x509/chains.yaml", &len);
  char v[256];
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    if (strncmp(line, "- id: ", 6) == 0) {
      cr_assert_lt(i, N_CASES, "the manifest has more entries than the table");
      cr_expect_str_eq(line + 6, cases[i].id, "entry %zu", i);
      i++;
    } else if (i > 0 && yaml_value(line, "leaf", v, sizeof v)) {
      cr_expect_str_eq(v, cases[i - 1].leaf, "%s", cases[i - 1].id);
    } else if (i > 0 && yaml_value(line, "untrusted", v, sizeof v)) {
      cr_expect_str_eq(v, cases[i - 1].untrusted, "%s", cases[i - 1].id);
    } else if (i > 0 && yaml_value(line, "trust", v, sizeof v)) {
      cr_expect_str_eq(v, cases[i - 1].trust, "%s", cases[i - 1].id);
    } else if (i > 0 && yaml_value(line, "name", v, sizeof v)) {
      cr_expect_str_eq(v, cases[i - 1].name ? cases[i - 1].name : "", "%s", cases[i - 1].id);
    } else if (i > 0 && yaml_value(line, "purpose", v, sizeof v)) {
      cr_expect_str_eq(v, cases[i - 1].purpose == TG_PURPOSE_CLIENT ? "client" : "server", "%s",
                       cases[i - 1].id);
    } else if (i > 0 && yaml_value(line, "reason", v, sizeof v)) {
      cr_expect_eq(tg_x509_reason_from_name(v), (int)cases[i - 1].reason, "%s: %s", cases[i - 1].id,
                   v);
    } else if (i > 0 && yaml_value(line, "time", v, sizeof v)) {
      cr_expect_str_eq(v, "2026-06-01T00:00:00Z", "%s", cases[i - 1].id);
    } else if (i > 0 && yaml_value(line, "verdict", v, sizeof v)) {
      cr_expect_str_eq(v, cases[i - 1].reason == TG_X509_OK ? "valid" : "invalid", "%s",
                       cases[i - 1].id);
    }
  }
  cr_expect_eq(i, N_CASES, "the manifest has %zu entries, the table %zu", i, N_CASES);
  free(text);
}
