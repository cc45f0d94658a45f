/* tlsgauntlet verify --manifest: every chain of a manifest (chains.h) through each
 * implementation, printing the chains where one differs from the manifest, then a summary.
 *
 * Columns: each implementation under the profile of --profile; without --profile the built-in
 * validator twice, under rfc5280 ("builtin") and webpki ("builtin/webpki"), each against the
 * manifest's verdict for that profile, and the adapters under their default (rfc5280). Verdicts
 * are compared for every implementation; reasons only for the built-in one, whose names the
 * manifest uses (the adapters' mapping of library errors is approximate). An adapter that cannot
 * express the profile (exit 3) is counted apart, as unsupported, not as a difference. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "verify.h"

typedef struct column {
  const char *impl;
  tg_x509_profile profile;
  char label[48];
  size_t differ, unsupported; /* rows that differ from the manifest; exit-3 rows */
} column;

typedef struct manifest_run {
  const verify_opts *base;
  chains c;
  column col[TG_MAX_IMPLS + 1];
  size_t n_col, disagreeing;
  int label_width;
  json_t *found; /* --json: the disagreeing chains */
} manifest_run;

static void add_column(manifest_run *m, const char *impl, tg_x509_profile p, bool suffix) {
  column *c = &m->col[m->n_col++];
  c->impl = impl;
  c->profile = p;
  snprintf(c->label, sizeof c->label, "%s%s%s", impl, suffix ? "/" : "",
           suffix ? tg_x509_profile_name(p) : "");
  int w = (int)strlen(c->label);
  m->label_width = w > m->label_width ? w : m->label_width;
}

static void make_columns(manifest_run *m) {
  const verify_opts *o = m->base;
  m->label_width = 9;
  for (size_t i = 0; i < o->n_impls; i++) {
    bool both = strcmp(o->impls[i], "builtin") == 0 && !o->profile_set;
    add_column(m, o->impls[i], o->profile, false);
    if (both)
      add_column(m, o->impls[i], TG_X509_PROFILE_WEBPKI, true);
  }
}

/* The expected verdict of e under profile p, as a row would say it. */
static const char *expected_verdict(const chain_entry *e, tg_x509_profile p) {
  return e->expect[p].valid ? "valid" : "invalid";
}

static json_t *entry_json(const manifest_run *m, const chain_entry *e, const impl_row *rows) {
  json_t *rs = json_array();
  for (size_t k = 0; k < m->n_col; k++)
    json_array_append_new(rs, verify_row_json(m->base, &rows[k]));
  const tg_x509_profile r = TG_X509_PROFILE_RFC5280, w = TG_X509_PROFILE_WEBPKI;
  return json_pack("{s:s, s:I, s:{s:s, s:s, s:s, s:s}, s:o}", "id", e->id, "line",
                   (json_int_t)e->line, "manifest", "verdict", expected_verdict(e, r), "reason",
                   tg_x509_reason_name(e->expect[r].reason), "webpki_verdict",
                   expected_verdict(e, w), "webpki_reason",
                   tg_x509_reason_name(e->expect[w].reason), "results", rs);
}

static void entry_text(const manifest_run *m, const chain_entry *e, const impl_row *rows) {
  const verify_opts *o = m->base;
  tg_x509_profile first = m->col[0].profile; /* the profile of --profile, else rfc5280 */
  const chain_expect *x = &e->expect[first], *w = &e->expect[TG_X509_PROFILE_WEBPKI];
  printf("%s  manifest  %s  %s", e->id, expected_verdict(e, first), tg_x509_reason_name(x->reason));
  if (!o->profile_set && (w->valid != x->valid || w->reason != x->reason))
    printf("  webpki: %s  %s", expected_verdict(e, TG_X509_PROFILE_WEBPKI),
           tg_x509_reason_name(w->reason));
  putchar('\n');
  for (size_t k = 0; k < m->n_col; k++) {
    printf("  %-*s  %-7s  %s%s%s\n", m->label_width, m->col[k].label, rows[k].verdict,
           rows[k].reason, rows[k].error[0] ? "  " : "", rows[k].error);
    if (o->explain)
      printf("  %-*s  asked: %s\n", m->label_width, "", rows[k].asked);
  }
}

/* Runs one entry through each column; EXIT_BAD_INPUT when its files are no chain. */
static int run_entry(manifest_run *m, const chain_entry *e) {
  static char paths[1 + 2 * CHAINS_MAX_FILES][PATH_MAX];
  verify_opts o = *m->base;
  bool fit = chains_path(&m->c, e->leaf, paths[0], PATH_MAX);
  o.leaf_path = paths[0];
  o.n_trust = e->n_trust;
  o.n_untrusted = e->n_untrusted;
  for (size_t i = 0; i < e->n_trust; i++) {
    fit &= chains_path(&m->c, e->trust[i], paths[1 + i], PATH_MAX);
    o.trust[i] = paths[1 + i];
  }
  for (size_t i = 0; i < e->n_untrusted; i++) {
    fit &= chains_path(&m->c, e->untrusted[i], paths[1 + CHAINS_MAX_FILES + i], PATH_MAX);
    o.untrusted[i] = paths[1 + CHAINS_MAX_FILES + i];
  }
  if (!fit)
    return verify_bad("manifest entry '%s': a path too long", e->id);
  o.name = e->name;
  o.now = e->time;
  o.purpose = e->purpose;
  impl_row rows[TG_MAX_IMPLS + 1];
  bool differs = false;
  for (size_t k = 0; k < m->n_col; k++) {
    column *c = &m->col[k];
    o.profile = c->profile;
    if (strcmp(c->impl, "builtin") != 0) {
      verify_adapter(&o, c->impl, &rows[k]);
    } else if (verify_builtin(&o, false, NULL, &rows[k]) == EXIT_BAD_INPUT) {
      fprintf(stderr, "tlsgauntlet verify: (in the chain '%s', %s line %zu)\n", e->id,
              m->base->manifest, e->line);
      return EXIT_BAD_INPUT;
    }
    if (strcmp(rows[k].verdict, "unsupported") == 0) {
      c->unsupported++;
      continue;
    }
    const chain_expect *x = &e->expect[c->profile];
    bool off = strcmp(rows[k].verdict, expected_verdict(e, c->profile)) != 0 ||
               (rows[k].builtin && strcmp(rows[k].reason, tg_x509_reason_name(x->reason)) != 0);
    c->differ += off;
    differs |= off;
  }
  if (!differs)
    return 0;
  m->disagreeing++;
  if (o.json)
    json_array_append_new(m->found, entry_json(m, e, rows));
  else
    entry_text(m, e, rows);
  return 0;
}

static void summary(const manifest_run *m) {
  const verify_opts *o = m->base;
  size_t unsupported = 0;
  for (size_t k = 0; k < m->n_col; k++)
    unsupported += m->col[k].unsupported;
  if (o->json) {
    json_t *differ = json_object(), *unsup = json_object(), *profiles = json_array();
    for (size_t k = 0; k < m->n_col; k++) {
      json_object_set_new(differ, m->col[k].label, json_integer((json_int_t)m->col[k].differ));
      json_object_set_new(unsup, m->col[k].label, json_integer((json_int_t)m->col[k].unsupported));
    }
    json_array_append_new(profiles, json_string(tg_x509_profile_name(o->profile)));
    if (!o->profile_set)
      json_array_append_new(profiles, json_string("webpki"));
    json_t *out = json_pack("{s:s, s:I, s:o, s:I, s:O, s:o, s:o}", "manifest", o->manifest,
                            "chains", (json_int_t)m->c.n, "profiles", profiles, "disagreeing",
                            (json_int_t)m->disagreeing, "disagreements", m->found,
                            "differ_from_manifest", differ, "unsupported", unsup);
    json_dumpf(out, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(out);
    return;
  }
  if (o->profile_set)
    printf("summary (--profile %s): ", tg_x509_profile_name(o->profile));
  else
    printf("summary: ");
  printf("%zu chains, %zu with disagreements; differ from the manifest:", m->c.n, m->disagreeing);
  for (size_t k = 0; k < m->n_col; k++)
    printf(" %s %zu%s", m->col[k].label, m->col[k].differ, k + 1 < m->n_col ? "," : "");
  if (unsupported > 0) {
    printf("; unsupported (adapter exit 3):");
    for (size_t k = 0, shown = 0; k < m->n_col; k++)
      if (m->col[k].unsupported > 0)
        printf("%s %s %zu", shown++ ? "," : "", m->col[k].label, m->col[k].unsupported);
  }
  putchar('\n');
}

int verify_manifest(const verify_opts *o) {
  manifest_run m = {.base = o};
  char err[600];
  if (!chains_load(&m.c, o->manifest, err, sizeof err))
    return verify_bad("--manifest: %s", err);
  make_columns(&m);
  m.found = json_array();
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < m.c.n; i++)
    rc = run_entry(&m, &m.c.v[i]);
  if (rc == 0)
    summary(&m);
  json_decref(m.found);
  chains_free(&m.c);
  return rc;
}
