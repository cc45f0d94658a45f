/* Every chain of vectors/x509/chains.yaml through tg_x509_verify, under each profile: the
 * verdict and the reason the manifest gives (the RFCs' verdicts; the chains are made by
 * vectors/x509/chains/gen.sh). The manifest is read by the loader `tlsgauntlet verify
 * --manifest` uses (harness/chains.c), which is tested here too. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chains.h"
#include "tg/pem.h"
#include "tg/sig.h"
#include "tg/x509_verify.h"

#define MANIFEST TG_SOURCE_DIR "/vectors/x509/chains.yaml"

static chains manifest;

static void load_manifest(void) {
  char err[600];
  cr_assert(chains_load(&manifest, MANIFEST, err, sizeof err), "%s", err);
}

static void free_manifest(void) { chains_free(&manifest); }

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

/* Adds every file of the list to store. A certificate the parser rejects must be refused with
 * bad_certificate (what a malformed chain member gives): *malformed is then set, with the
 * message in err; anything else (no PEM block, bad base64) fails the test. */
static void load_list(const chain_entry *e, tg_x509_store *store, char *const *files, size_t n,
                      bool *malformed, tg_err *err) {
  for (size_t i = 0; i < n; i++) {
    char path[1024], msg[256];
    size_t len;
    cr_assert(chains_path(&manifest, files[i], path, sizeof path));
    char *text = read_file(path, &len);
    tg_err e2 = {0};
    size_t before = tg_x509_store_count(store);
    if (tg_x509_store_add_pem(store, tg_bytes_of(text, len), &e2) != TG_OK) {
      cr_assert_eq(e2.alert, TG_ALERT_bad_certificate, "%s: %s: %s", e->id, files[i],
                   tg_err_format(&e2, msg, sizeof msg));
      cr_expect_eq(tg_x509_store_count(store), before, "%s: a refused file added nothing", e->id);
      if (!*malformed)
        *err = e2;
      *malformed = true;
    }
    free(text);
  }
}

/* One entry under one profile, as `tlsgauntlet verify` runs it: the leaf file (the leaf, then
 * any intermediates after it), the untrusted files, the trust files. */
static void run_entry(const chain_entry *e, tg_x509_profile profile) {
  const chain_expect *x = &e->expect[profile];
  const char *pname = tg_x509_profile_name(profile);
  tg_x509_store chain, anchors;
  tg_x509_store_init(&chain);
  tg_x509_store_init(&anchors);
  bool malformed = false;
  tg_err err = {0};
  char msg[256];
  char *leaf[] = {e->leaf};
  load_list(e, &chain, leaf, 1, &malformed, &err);
  load_list(e, &chain, e->untrusted, e->n_untrusted, &malformed, &err);
  load_list(e, &anchors, e->trust, e->n_trust, &malformed, &err);
  if (malformed) {
    /* A certificate that does not parse never reaches path validation: the verdict is
     * malformed, with the parser's message and the check's file:line. */
    cr_expect_eq(x->reason, TG_X509_MALFORMED, "%s (%s): a certificate does not parse (%s)", e->id,
                 pname, tg_err_format(&err, msg, sizeof msg));
    cr_expect(err.file != NULL && err.line > 0 && strlen(err.what) > 0, "%s", e->id);
    goto done;
  }
  const tg_x509_cert *inter[CHAINS_MAX_FILES * 4];
  size_t n = tg_x509_store_count(&chain) - 1;
  cr_assert(n <= sizeof inter / sizeof inter[0], "%s", e->id);
  for (size_t i = 0; i < n; i++)
    inter[i] = tg_x509_store_get(&chain, i + 1);
  tg_x509_verify_params p = {.anchors = &anchors,
                             .untrusted = inter,
                             .untrusted_count = n,
                             .name = e->name,
                             .now = e->time,
                             .purpose = e->purpose,
                             .profile = profile};
  tg_x509_verify_result res;
  tg_status st = tg_x509_verify(tg_x509_store_get(&chain, 0), &p, &res, &err);
  cr_expect_eq(res.reason, x->reason, "%s (%s): reason %s, expected %s (%s)", e->id, pname,
               tg_x509_reason_name(res.reason), tg_x509_reason_name(x->reason),
               st == TG_OK ? "valid" : tg_err_format(&err, msg, sizeof msg));
  if (x->valid) {
    cr_expect_eq(st, TG_OK, "%s (%s)", e->id, pname);
    /* A valid path runs from the leaf to one of the anchors. */
    cr_expect(res.path_len >= 1 && res.path[0] == tg_x509_store_get(&chain, 0), "%s", e->id);
    cr_expect(res.path_len >= 1 && tg_x509_store_contains(&anchors, res.path[res.path_len - 1]),
              "%s: the path does not end at an anchor", e->id);
  } else {
    cr_expect_neq(st, TG_OK, "%s (%s)", e->id, pname);
    cr_expect_eq(err.alert, tg_x509_reason_alert(x->reason), "%s (%s): alert %d", e->id, pname,
                 err.alert);
    cr_expect_gt(strlen(err.what), 0, "%s: no message", e->id);
  }
done:
  tg_x509_store_free(&chain);
  tg_x509_store_free(&anchors);
}

Test(x509_chains, every_manifest_chain, .init = load_manifest, .fini = free_manifest) {
  cr_expect_geq(manifest.n, 66, "the manifest has %zu chains", manifest.n);
  for (size_t i = 0; i < manifest.n; i++) {
    run_entry(&manifest.v[i], TG_X509_PROFILE_RFC5280);
    run_entry(&manifest.v[i], TG_X509_PROFILE_WEBPKI);
  }
}

/* The DER of every CERTIFICATE block of the files, appended to w, with a view of each in out[]
 * (views into w: valid until w grows, so taken after the last append). */
static size_t load_der(tg_writer *w, char *const *files, size_t n_files, tg_bytes *out,
                       size_t max) {
  size_t ends[4 * CHAINS_MAX_FILES], n = 0;
  for (size_t f = 0; f < n_files; f++) {
    char path[1024];
    size_t len, line = 0;
    cr_assert(chains_path(&manifest, files[f], path, sizeof path));
    char *text = read_file(path, &len);
    tg_err err = {0};
    tg_reader r;
    tg_reader_init(&r, (const uint8_t *)text, len, &err);
    for (;;) {
      tg_pem_block block;
      bool found;
      cr_assert_eq(tg_pem_next(&r, &line, &block, &found, &err), TG_OK, "%s", files[f]);
      if (!found)
        break;
      cr_assert_eq(tg_pem_decode(&block, w, &err), TG_OK, "%s", files[f]);
      cr_assert_lt(n, sizeof ends / sizeof ends[0]);
      ends[n++] = w->len;
    }
    free(text);
  }
  cr_assert_leq(n, max);
  for (size_t i = 0; i < n; i++)
    out[i] = tg_bytes_of(w->buf + (i ? ends[i - 1] : 0), ends[i] - (i ? ends[i - 1] : 0));
  return n;
}

/* True when every trust file loads (a malformed anchor cannot be configured in the engine). */
static bool anchors_load(const chain_entry *e, tg_x509_store *anchors) {
  for (size_t i = 0; i < e->n_trust; i++) {
    char path[1024];
    size_t len;
    cr_assert(chains_path(&manifest, e->trust[i], path, sizeof path));
    char *text = read_file(path, &len);
    tg_err err = {0};
    bool ok = tg_x509_store_add_pem(anchors, tg_bytes_of(text, len), &err) == TG_OK;
    free(text);
    if (!ok)
      return false;
  }
  return true;
}

/* True when the engine can use the key of the certificate der (tg/sig.h). */
static bool engine_takes_key(tg_bytes der) {
  tg_x509_cert cert;
  tg_public_key *key = NULL;
  tg_err err = {0};
  bool ok = tg_x509_parse(der, &cert, &err) == TG_OK &&
            tg_public_key_from_spki(cert.spki, &key, &err) == TG_OK;
  tg_public_key_free(key);
  return ok;
}

/* The engine's path: the same chains as DER through the tg_validator (tg_x509_validator_init,
 * the rfc5280 profile), leaf first and the intermediates as sent. It gives the alert each
 * reason implies, and the leaf's key on success. */
Test(x509_chains, validator_gives_each_alert, .init = load_manifest, .fini = free_manifest) {
  for (size_t i = 0; i < manifest.n; i++) {
    const chain_entry *e = &manifest.v[i];
    const chain_expect *x = &e->expect[TG_X509_PROFILE_RFC5280];
    tg_x509_store anchors;
    tg_x509_store_init(&anchors);
    if (!anchors_load(e, &anchors)) {
      cr_expect_eq(x->reason, TG_X509_MALFORMED, "%s: its trust file does not load", e->id);
      tg_x509_store_free(&anchors);
      continue;
    }
    tg_writer w, w2;
    tg_err err = {0};
    tg_writer_init_dynamic(&w, &err);
    tg_writer_init_dynamic(&w2, &err);
    tg_bytes chain[1 + 4 * CHAINS_MAX_FILES];
    /* Two writers: views into one stay valid while the other grows. */
    char *leaf[] = {e->leaf};
    size_t n = load_der(&w, leaf, 1, chain, 1 + 4 * CHAINS_MAX_FILES);
    n += load_der(&w2, e->untrusted, e->n_untrusted, chain + n, 1 + 4 * CHAINS_MAX_FILES - n);
    tg_validator v;
    tg_x509_validator_init(&v, &anchors);
    tg_validation_request req = {
        .chain = chain, .chain_len = n, .name = e->name, .now = e->time, .purpose = e->purpose};
    tg_public_key *key = NULL;
    char msg[256];
    tg_err_clear(&err);
    tg_status st = v.validate(&v, &req, &key, &err);
    if (x->valid && st != TG_OK && !engine_takes_key(chain[0])) {
      /* A valid path whose leaf key the engine cannot use (DSA, P-192): the engine refuses the
       * certificate as one of an unsupported type after path validation. */
      cr_expect_eq(err.alert, TG_ALERT_unsupported_certificate, "%s: %s", e->id,
                   tg_err_format(&err, msg, sizeof msg));
      cr_expect_null(key, "%s", e->id);
    } else if (x->valid) {
      cr_expect_eq(st, TG_OK, "%s: %s", e->id, tg_err_format(&err, msg, sizeof msg));
      cr_expect_not_null(key, "%s: no leaf key", e->id);
    } else {
      cr_expect_neq(st, TG_OK, "%s", e->id);
      cr_expect_eq(err.alert, tg_x509_reason_alert(x->reason), "%s: %s", e->id,
                   tg_err_format(&err, msg, sizeof msg));
      cr_expect_null(key, "%s", e->id);
    }
    tg_public_key_free(key);
    tg_writer_free(&w);
    tg_writer_free(&w2);
    tg_x509_store_free(&anchors);
  }
}

/* The duplicated extension is rejected by the parser with TG_E_DUPLICATE, naming the extension. */
Test(x509_chains, duplicated_extension_is_named, .init = load_manifest, .fini = free_manifest) {
  tg_writer w;
  tg_err err = {0};
  tg_bytes der;
  tg_writer_init_dynamic(&w, &err);
  char *file[] = {"leaf_dup.pem"};
  cr_assert_eq(load_der(&w, file, 1, &der, 1), 1);
  tg_x509_cert cert;
  cr_assert_neq(tg_x509_parse(der, &cert, &err), TG_OK);
  cr_expect_eq(err.code, TG_E_DUPLICATE);
  cr_expect_eq(err.alert, TG_ALERT_bad_certificate);
  cr_expect_not_null(strstr(err.what, "basicConstraints"), "%s", err.what);
  tg_writer_free(&w);
}

/* The entry with id, from the manifest. */
static const chain_entry *entry(const char *id) {
  for (size_t i = 0; i < manifest.n; i++)
    if (strcmp(manifest.v[i].id, id) == 0)
      return &manifest.v[i];
  cr_assert_fail("no chain '%s' in the manifest", id);
  return NULL;
}

/* The order the peer sends its intermediates in does not change the verdict: three chains of
 * the manifest with their intermediates reversed. */
Test(x509_chains, untrusted_order_does_not_matter, .init = load_manifest, .fini = free_manifest) {
  static const char *const ids[] = {"two-candidates-second-valid", "cross-signed-loop-with-exit",
                                    "pathlen-0-exceeded"};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    chain_entry e = *entry(ids[i]);
    cr_assert_geq(e.n_untrusted, 2, "%s", ids[i]);
    for (size_t a = 0, b = e.n_untrusted - 1; a < b; a++, b--) {
      char *t = e.untrusted[a];
      e.untrusted[a] = e.untrusted[b];
      e.untrusted[b] = t;
    }
    run_entry(&e, TG_X509_PROFILE_RFC5280);
  }
}

/* ---- The loader ------------------------------------------------------------------------------ */

/* The manifest's fields as read: files split, defaults applied, webpki falling back. */
static void reads_every_field(void) {
  const chain_entry *e = entry("two-candidates-second-valid");
  cr_expect_str_eq(e->leaf, "leaf_ok.pem");
  cr_assert_eq(e->n_untrusted, 2);
  cr_expect_str_eq(e->untrusted[0], "int_ed_decoy.pem");
  cr_expect_str_eq(e->untrusted[1], "int_ed.pem");
  cr_assert_eq(e->n_trust, 1);
  cr_expect_str_eq(e->trust[0], "root.pem");
  cr_expect_str_eq(e->name, "www.example.com");
  cr_expect_eq(e->time, 1780272000); /* 2026-06-01T00:00:00Z */
  cr_expect_eq(e->purpose, TG_PURPOSE_SERVER);
  cr_expect(e->expect[TG_X509_PROFILE_RFC5280].valid);
  cr_expect_gt(e->line, 1);
  const chain_entry *c = entry("valid-client-purpose");
  cr_expect_null(c->name, "an empty name is no name check");
  cr_expect_eq(c->purpose, TG_PURPOSE_CLIENT);
  cr_expect_eq(c->n_untrusted, 1);
  const chain_entry *x = entry("expired-leaf");
  cr_expect(!x->expect[TG_X509_PROFILE_RFC5280].valid);
  cr_expect_eq(x->expect[TG_X509_PROFILE_RFC5280].reason, TG_X509_EXPIRED);
  cr_expect_str_eq(x->rfc, "RFC 5280 6.1.3 (a)(2)");
}

static const char *tmp_manifest(const char *text) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/tg_chains_test_%d.yaml", (int)getpid());
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

#define ENTRY "- id: a\n  leaf: l.pem\n  trust: r.pem\n  time: 2026-01-01\n"

/* webpki_verdict and webpki_reason: each falls back to verdict and reason; a valid webpki
 * verdict needs no reason. */
static void webpki_fields(void) {
  chains c;
  char err[600];
  cr_assert(chains_load(&c,
                        tmp_manifest(ENTRY "  verdict: valid\n  reason: ok\n"
                                           "  webpki_verdict: invalid\n"
                                           "  webpki_reason: profile_violation\n"
                                           "- id: b\n  leaf: l.pem\n  trust: r.pem\n"
                                           "  time: 2026-01-01\n  verdict: invalid\n"
                                           "  reason: expired\n  webpki_verdict: valid\n"),
                        err, sizeof err),
            "%s", err);
  cr_assert_eq(c.n, 2);
  cr_expect(c.v[0].expect[TG_X509_PROFILE_RFC5280].valid);
  cr_expect(!c.v[0].expect[TG_X509_PROFILE_WEBPKI].valid);
  cr_expect_eq(c.v[0].expect[TG_X509_PROFILE_WEBPKI].reason, TG_X509_PROFILE_VIOLATION);
  cr_expect_eq(c.v[1].expect[TG_X509_PROFILE_RFC5280].reason, TG_X509_EXPIRED);
  cr_expect(c.v[1].expect[TG_X509_PROFILE_WEBPKI].valid);
  cr_expect_eq(c.v[1].expect[TG_X509_PROFILE_WEBPKI].reason, TG_X509_OK);
  cr_expect_eq(c.v[1].line, 9);
  chains_free(&c);
  remove(tmp_manifest(""));
}

/* A malformed manifest is refused at FILE:LINE:COLUMN of the problem, one row per mutation. */
static void refuses_malformed_manifests(void) {
  static const struct {
    const char *text, *where, *what;
  } bad[] = {
      {ENTRY "  verdict: valid\n  reason: ok\n  colour: red\n", ":7:3:", "unknown key 'colour'"},
      {ENTRY "  verdict: valid\n  reason: expired\n", ":5:12:", "only valid is ok"},
      {ENTRY "  verdict: maybe\n  reason: ok\n", ":5:12:", "not valid or invalid"},
      {ENTRY "  verdict: invalid\n  reason: late\n", ":6:11:", "not a reason"},
      {ENTRY "  verdict: invalid\n  reason: expired\n  webpki_reason: ok\n",
       ":7:18:", "webpki: verdict invalid"},
      {ENTRY "  verdict: valid\n  reason: ok\n  webpki_verdict: invalid\n",
       ":7:19:", "webpki_verdict invalid needs a webpki_reason"},
      {ENTRY "  verdict: valid\n  reason: ok\n  purpose: email\n", ":7:12:", "server or client"},
      {ENTRY "  verdict: valid\n  reason: ok\n  id: b\n", ":7:3:", "duplicate key 'id'"},
      {ENTRY "  verdict: valid\n  reason: ok\n" ENTRY "  verdict: valid\n  reason: ok\n",
       ":7:7:", "also the id of line 1"},
      {"- id: a\n  leaf: l.pem\n  trust: r.pem\n  time: 2023-02-29\n  verdict: valid\n"
       "  reason: ok\n",
       ":4:9:", "time '2023-02-29'"},
      {"- id: a\n  trust: r.pem\n  time: 2026-01-01\n  verdict: valid\n  reason: ok\n",
       ":1:3:", "without 'leaf'"},
      {"- id: a\n  leaf: l.pem\n  trust: \"\"\n  time: 2026-01-01\n  verdict: valid\n"
       "  reason: ok\n",
       ":3:10:", "'trust' must not be empty"},
      {"- id: a\n  leaf: [l.pem]\n", ":2:9:", "'leaf' must be a string"},
      {"- id: a\n  leaf: \"l.pem\n", ":3:1:", "YAML:"},
      {"chains: []\n", ":1:1:", "must be a list of chains"},
      {"# nothing\n", ":1:1:", "no chains"},
      {"- 3\n", ":1:3:", "expected a mapping"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    chains c;
    char err[600] = "";
    const char *path = tmp_manifest(bad[i].text);
    cr_expect(!chains_load(&c, path, err, sizeof err), "row %zu loaded", i);
    cr_expect(strncmp(err, path, strlen(path)) == 0 && strstr(err, bad[i].where) != NULL,
              "row %zu: '%s' is not at %s", i, err, bad[i].where);
    cr_expect_not_null(strstr(err, bad[i].what), "row %zu: '%s' lacks '%s'", i, err, bad[i].what);
    cr_expect_eq(c.n, 0, "row %zu: nothing to free", i);
  }
  remove(tmp_manifest(""));
  chains c;
  char err[600];
  cr_expect(!chains_load(&c, "/nonexistent/chains.yaml", err, sizeof err));
  cr_expect_not_null(strstr(err, "/nonexistent/chains.yaml: "), "%s", err);
  cr_expect(!chains_load(&c, MANIFEST ".txt", err, sizeof err));
  cr_expect_not_null(strstr(err, "not a NAME.yaml file"), "%s", err);
}

/* The verification time: a real UTC date or @SECONDS that fits in 64 bits. */
static void parse_time(void) {
  int64_t t;
  cr_expect(chains_parse_time("2026-06-01T00:00:00Z", &t) && t == 1780272000);
  cr_expect(chains_parse_time("2026-06-01", &t) && t == 1780272000);
  cr_expect(chains_parse_time("2028-02-29T12:30", &t));
  cr_expect(chains_parse_time("@-5", &t) && t == -5);
  cr_expect(!chains_parse_time("2023-02-29", &t), "no 29 February in 2023");
  cr_expect(!chains_parse_time("2026-13-01", &t));
  cr_expect(!chains_parse_time("2016-12-31T23:59:60Z", &t), "no leap second");
  cr_expect(!chains_parse_time("@99999999999999999999", &t), "beyond 64 bits");
  cr_expect(!chains_parse_time("@", &t));
  cr_expect(!chains_parse_time("@+5", &t));
  cr_expect(!chains_parse_time("2026-06-01X", &t));
}

/* The loader and the time parser, in one test process (each process costs more than the checks
 * under the sanitizers). */
Test(x509_chains, loader, .init = load_manifest, .fini = free_manifest) {
  reads_every_field();
  webpki_fields();
  refuses_malformed_manifests();
  parse_time();
}
