/* tlsgauntlet diff: what changed between two runs' JSON reports, per implementation and
 * scenario, as terminal text, JSON, or Markdown for a pull-request comment. Exit 1 when
 * something regressed.
 *
 * Results are compared as reported (after each run's baseline): the verdict, whether it was
 * unexpected, and the observed behaviour (the alert, a silent close, acceptance). The table of
 * change kinds below is the one definition; docs/diff.md repeats it in prose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "report.h"
#include "report_read.h"

typedef enum change_kind {
  C_REGRESSED = 0,
  C_WORSE,
  C_FIXED,
  C_BASELINED,
  C_STALE,
  C_STILL_UNEXPECTED,
  C_CHANGED,
  C_BEHAVIOUR,
  C_NEW,
  C_REMOVED,
  C_COUNT, /* also: no change */
} change_kind;

static const struct {
  const char *name;
  bool regression;
  const char *meaning;
} kinds[C_COUNT] = {
    [C_REGRESSED] = {"regressed", true,
                     "was as expected, is unexpected now (pass -> fail, xfail -> fail, pass -> "
                     "timeout, a baselined deviation with another alert)"},
    [C_WORSE] = {"worse", true,
                 "unexpected in both, worse now: crash > fail > timeout > lenient > "
                 "inconclusive > skip > xpass, or the same verdict with a higher severity"},
    [C_FIXED] = {"fixed", false, "was unexpected, is as expected now (fail -> pass)"},
    [C_BASELINED] = {"baselined", false,
                     "was unexpected, is a deviation the new run's baseline lists (-> xfail)"},
    [C_STALE] = {"stale-baseline", false,
                 "is xpass now: the baseline lists a deviation that no longer happens (xfail -> "
                 "pass); remove the entry"},
    [C_STILL_UNEXPECTED] = {"still-unexpected", false,
                            "unexpected in both, another verdict that is not worse"},
    [C_CHANGED] = {"changed", false,
                   "as expected in both, another verdict (pass -> skip, pass -> xfail)"},
    [C_BEHAVIOUR] = {"behaviour", false,
                     "the same verdict, another observed behaviour (alert decode_error -> alert "
                     "illegal_parameter)"},
    [C_NEW] = {"new", false, "a scenario only the new run has"},
    [C_REMOVED] = {"removed", false, "a scenario only the old run has"},
};

typedef struct change {
  change_kind kind;
  const char *impl, *id;
  const run_result *old, *new; /* NULL: not in that run */
  size_t seq;                  /* the order found, within a kind */
} change;

/* What ran, when it differs between the runs (schema_version 2 provenance): "tlsgauntlet" or an
 * implementation, and each side as "NAME VERSION". */
typedef struct version_change {
  const char *what;
  char old[96], new[96];
} version_change;

typedef struct diff {
  const run_doc *old, *new;
  change *v;
  size_t n;
  size_t counts[C_COUNT];
  size_t regressions;
  const char *added[TG_REPORT_MAX_IMPLS], *removed[TG_REPORT_MAX_IMPLS]; /* implementations */
  size_t n_added, n_removed;
  version_change versions[TG_REPORT_MAX_IMPLS + 1]; /* the tool's, then the libraries' */
  size_t n_versions;
} diff;

/* ---- Deciding ------------------------------------------------------------------------------- */

/* How bad an unexpected verdict is, for `worse`. */
static int rank(verdict v) {
  static const int r[V_COUNT] = {
      [V_XPASS] = 0,   [V_SKIP] = 1, [V_INCONCLUSIVE] = 2, [V_LENIENT] = 3,
      [V_TIMEOUT] = 4, [V_FAIL] = 5, [V_CRASH] = 6};
  return (unsigned)v < V_COUNT ? r[v] : 0;
}

static change_kind classify(const run_result *o, const run_result *n) {
  if (o->reported == n->reported && o->unexpected == n->unexpected) {
    if (outcome_equal(&o->observed, &n->observed))
      return C_COUNT;
    return n->unexpected && n->sev > o->sev ? C_WORSE : C_BEHAVIOUR;
  }
  if (n->reported == V_XPASS)
    return C_STALE;
  if (!o->unexpected && n->unexpected)
    return C_REGRESSED;
  if (o->unexpected && !n->unexpected)
    return n->reported == V_XFAIL ? C_BASELINED : C_FIXED;
  if (o->unexpected && n->unexpected) {
    int ro = rank(o->reported), rn = rank(n->reported);
    return rn > ro || (rn == ro && n->sev > o->sev) ? C_WORSE : C_STILL_UNEXPECTED;
  }
  return C_CHANGED;
}

static void add(diff *d, change_kind k, const char *impl, const char *id, const run_result *o,
                const run_result *n) {
  if (k == C_COUNT)
    return;
  d->v[d->n] = (change){k, impl, id, o, n, d->n};
  d->n++;
  d->counts[k]++;
  if (kinds[k].regression)
    d->regressions++;
}

static const run_result *cell(const run_doc *d, long s, long i) {
  return s < 0 || i < 0 ? NULL : &d->rep.results[(size_t)s * d->rep.n_impls + (size_t)i];
}

static int by_kind(const void *a, const void *b) {
  const change *x = a, *y = b;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Every change, per implementation both runs have, grouped by kind. */
static bool compare(diff *d) {
  const run_doc *o = d->old, *n = d->new;
  d->v = calloc((o->rep.n_scenarios + n->rep.n_scenarios) * n->rep.n_impls + 1, sizeof *d->v);
  if (d->v == NULL)
    return false;
  for (size_t i = 0; i < n->rep.n_impls; i++) {
    const char *impl = n->rep.impls[i];
    long oi = run_doc_impl(o, impl);
    if (oi < 0) {
      d->added[d->n_added++] = impl;
      continue;
    }
    for (size_t s = 0; s < n->rep.n_scenarios; s++) {
      const run_result *nr = cell(n, (long)s, (long)i);
      const run_result *was = cell(o, run_doc_scenario(o, n->scenarios[s].id), oi);
      add(d, was ? classify(was, nr) : C_NEW, impl, n->scenarios[s].id, was, nr);
    }
    for (size_t s = 0; s < o->rep.n_scenarios; s++)
      if (run_doc_scenario(n, o->scenarios[s].id) < 0)
        add(d, C_REMOVED, impl, o->scenarios[s].id, cell(o, (long)s, oi), NULL);
  }
  for (size_t i = 0; i < o->rep.n_impls; i++)
    if (run_doc_impl(n, o->rep.impls[i]) < 0)
      d->removed[d->n_removed++] = o->rep.impls[i];
  qsort(d->v, d->n, sizeof *d->v, by_kind);
  return true;
}

/* "NAME VERSION" of a tool ({name, version, commit}) or a library ({library, version}) object;
 * false when the report does not say. */
static bool describe(const json_t *o, const char *name_key, char *buf, size_t cap) {
  const char *name = json_string_value(json_object_get(o, name_key));
  const char *version = json_string_value(json_object_get(o, "version"));
  const char *commit = json_string_value(json_object_get(o, "commit"));
  if (name == NULL)
    return false;
  snprintf(buf, cap, "%s %s%s%s%s", name, version ? version : "?", commit ? " (" : "",
           commit ? commit : "", commit ? ")" : "");
  return true;
}

static void version_of(diff *d, const char *what, const json_t *o, const json_t *n,
                       const char *name_key) {
  version_change *c = &d->versions[d->n_versions];
  if (describe(o, name_key, c->old, sizeof c->old) &&
      describe(n, name_key, c->new, sizeof c->new) && strcmp(c->old, c->new) != 0) {
    c->what = what;
    d->n_versions++;
  }
}

/* The tool's and each common implementation's library version, where both runs name them. */
static void compare_versions(diff *d) {
  const json_t *o = d->old->root, *n = d->new->root;
  version_of(d, "tlsgauntlet", json_object_get(o, "tool"), json_object_get(n, "tool"), "name");
  const json_t *ol = json_object_get(o, "libraries"), *nl = json_object_get(n, "libraries");
  for (size_t i = 0; i < d->new->rep.n_impls; i++) {
    const char *impl = d->new->rep.impls[i];
    version_of(d, impl, json_object_get(ol, impl), json_object_get(nl, impl), "library");
  }
}

/* ---- Writing -------------------------------------------------------------------------------- */

/* "fail* (accepted)": the verdict, '*' when unexpected, the observed behaviour; "-" for none. */
static void result_word(char *buf, size_t cap, const run_result *x) {
  char observed[64];
  if (x == NULL) {
    snprintf(buf, cap, "-");
    return;
  }
  behaviour_format(&x->observed, observed, sizeof observed);
  snprintf(buf, cap, "%s%s%s%s%s", verdict_name(x->reported), x->unexpected ? "*" : "",
           observed[0] ? " (" : "", observed, observed[0] ? ")" : "");
}

static void print_impl_list(FILE *f, const char *what, const char *const *v, size_t n) {
  if (n == 0)
    return;
  fprintf(f, "%s implementations:", what);
  for (size_t i = 0; i < n; i++)
    fprintf(f, "%s %s", i ? "," : "", v[i]);
  fputc('\n', f);
}

static void write_text(FILE *f, const diff *d) {
  fprintf(f, "tlsgauntlet diff: %s -> %s\n", d->old->file, d->new->file);
  fprintf(f, "%zu regression%s\n", d->regressions, d->regressions == 1 ? "" : "s");
  for (int k = 0; k < C_COUNT; k++)
    if (d->counts[k] > 0)
      fprintf(f, "  %-17s %5zu%s\n", kinds[k].name, d->counts[k],
              kinds[k].regression ? "  (regression)" : "");
  if (d->n == 0)
    fputs("  no result changed\n", f);
  print_impl_list(f, "New", d->added, d->n_added);
  print_impl_list(f, "Removed", d->removed, d->n_removed);
  for (size_t i = 0; i < d->n_versions; i++)
    fprintf(f, "%s%s: %s -> %s\n", i ? "  " : "Versions: ", d->versions[i].what, d->versions[i].old,
            d->versions[i].new);
  for (size_t c = 0; c < d->n; c++) {
    const change *x = &d->v[c];
    char was[96], now[96];
    if (c == 0 || d->v[c - 1].kind != x->kind)
      fprintf(f, "\n%s (%zu): %s\n", kinds[x->kind].name, d->counts[x->kind],
              kinds[x->kind].meaning);
    result_word(was, sizeof was, x->old);
    result_word(now, sizeof now, x->new);
    fprintf(f, "  %-10s %s: %s -> %s\n", x->impl, x->id, was, now);
    const run_result *r = x->new;
    if (r != NULL && r->unexpected && (r->expected[0] || r->got[0]))
      fprintf(f, "             expected %s, got %s\n", r->expected, r->got);
  }
  if (d->n > 0)
    fputs("(* unexpected)\n", f);
}

static json_t *result_json(const run_result *x) {
  if (x == NULL)
    return json_null();
  char observed[64];
  behaviour_format(&x->observed, observed, sizeof observed);
  return json_pack("{s:s, s:s, s:b, s:s?, s:s?, s:s, s:s}", "verdict", verdict_name(x->reported),
                   "raw_verdict", verdict_name(x->raw), "unexpected", x->unexpected, "observed",
                   observed[0] ? observed : NULL, "severity", x->sev ? severity_name(x->sev) : NULL,
                   "expected", x->expected, "got", x->got);
}

static bool write_json(FILE *f, const diff *d) {
  json_t *counts = json_object(), *changes = json_array(), *table = json_array();
  json_t *added = json_array(), *removed = json_array();
  for (int k = 0; k < C_COUNT; k++) {
    json_object_set_new(counts, kinds[k].name, json_integer((json_int_t)d->counts[k]));
    json_array_append_new(table, json_pack("{s:s, s:b, s:s}", "name", kinds[k].name, "regression",
                                           kinds[k].regression, "meaning", kinds[k].meaning));
  }
  for (size_t i = 0; i < d->n_added; i++)
    json_array_append_new(added, json_string(d->added[i]));
  for (size_t i = 0; i < d->n_removed; i++)
    json_array_append_new(removed, json_string(d->removed[i]));
  json_t *versions = json_array();
  for (size_t i = 0; i < d->n_versions; i++)
    json_array_append_new(versions, json_pack("{s:s, s:s, s:s}", "what", d->versions[i].what, "old",
                                              d->versions[i].old, "new", d->versions[i].new));
  for (size_t c = 0; c < d->n; c++) {
    const change *x = &d->v[c];
    json_array_append_new(
        changes, json_pack("{s:s, s:b, s:s, s:s, s:o, s:o}", "category", kinds[x->kind].name,
                           "regression", kinds[x->kind].regression, "implementation", x->impl, "id",
                           x->id, "old", result_json(x->old), "new", result_json(x->new)));
  }
  json_t *doc = json_pack("{s:s, s:s, s:I, s:o, s:{s:o, s:o}, s:o, s:o, s:o}", "old", d->old->file,
                          "new", d->new->file, "regressions", (json_int_t)d->regressions, "counts",
                          counts, "implementations", "added", added, "removed", removed, "versions",
                          versions, "changes", changes, "categories", table);
  bool ok = doc != NULL && json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
            fputc('\n', f) != EOF;
  json_decref(doc);
  return ok;
}

/* Text in a Markdown table cell: no line breaks, no '|', no HTML. Invalid UTF-8 is the
 * reader's problem: the reports hold valid UTF-8 (report_json.c). */
static void md(FILE *f, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '|': fputs("\\|", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '&': fputs("&amp;", f); break;
    case '*': fputs("\\*", f); break;
    case '_': fputs("\\_", f); break;
    case '`': fputs("\\`", f); break;
    case '[': fputs("\\[", f); break;
    case '\n':
    case '\r': fputc(' ', f); break;
    default: fputc(*s, f);
    }
  }
}

static void md_impls(FILE *f, const char *what, const char *const *v, size_t n) {
  if (n == 0)
    return;
  fprintf(f, "%s implementations:", what);
  for (size_t i = 0; i < n; i++) {
    fputs(i ? ", " : " ", f);
    md(f, v[i]);
  }
  fputs("\n\n", f);
}

static void md_details(FILE *f, const diff *d) {
  for (size_t c = 0; c < d->n; c++) {
    const change *x = &d->v[c];
    char was[96], now[96];
    if (c == 0 || d->v[c - 1].kind != x->kind)
      fprintf(f,
              "<details%s><summary>%s (%zu)</summary>\n\n%s\n\n"
              "| implementation | scenario | old | new | unexpected: expected / got |\n"
              "|:--|:--|:--|:--|:--|\n",
              kinds[x->kind].regression ? " open" : "", kinds[x->kind].name, d->counts[x->kind],
              kinds[x->kind].meaning);
    result_word(was, sizeof was, x->old);
    result_word(now, sizeof now, x->new);
    const run_result *r = x->new;
    fputs("| ", f), md(f, x->impl), fputs(" | ", f), md(f, x->id), fputs(" | ", f);
    md(f, was), fputs(" | ", f), md(f, now), fputs(" | ", f);
    if (r != NULL && r->unexpected && (r->expected[0] || r->got[0]))
      md(f, r->expected), fputs(" / ", f), md(f, r->got);
    fputs(" |\n", f);
    if (c + 1 == d->n || d->v[c + 1].kind != x->kind)
      fputs("\n</details>\n\n", f);
  }
}

static void write_markdown(FILE *f, const diff *d) {
  fprintf(f, "### tlsgauntlet diff: %s%zu regression%s\n\n", d->regressions ? ":x: " : "",
          d->regressions, d->regressions == 1 ? "" : "s");
  fputs("Old: ", f), md(f, d->old->file), fputs(", new: ", f), md(f, d->new->file);
  fputs(" (\\* unexpected)\n\n", f);
  if (d->n == 0)
    fputs("No result changed.\n\n", f);
  else
    fputs("| change | count | regression |\n|:--|--:|:--|\n", f);
  for (int k = 0; k < C_COUNT; k++)
    if (d->counts[k] > 0)
      fprintf(f, "| %s | %zu | %s |\n", kinds[k].name, d->counts[k],
              kinds[k].regression ? "**yes**" : "no");
  if (d->n > 0)
    fputc('\n', f);
  md_impls(f, "New", d->added, d->n_added);
  md_impls(f, "Removed", d->removed, d->n_removed);
  for (size_t i = 0; i < d->n_versions; i++) {
    fputs(i ? "; " : "Versions: ", f), md(f, d->versions[i].what), fputs(": ", f);
    md(f, d->versions[i].old), fputs(" &rarr; ", f), md(f, d->versions[i].new);
    fputs(i + 1 == d->n_versions ? "\n\n" : "", f);
  }
  md_details(f, d);
}

/* ---- The command ---------------------------------------------------------------------------- */

static const char usage[] =
    "usage: tlsgauntlet diff OLD.json NEW.json [--json|--markdown] [-o FILE]\n"
    "\n"
    "What changed between two runs (their `run --json` reports), per implementation and\n"
    "scenario: verdicts, whether they were expected, the observed behaviour (the alert, a silent\n"
    "close, acceptance), new and removed scenarios and implementations, and the versions of\n"
    "tlsgauntlet and of each library when both reports name them. Counts first, then each\n"
    "change, grouped by kind:\n"
    "%s"
    "\n"
    "  --json       a JSON document instead of text\n"
    "  --markdown   Markdown for a pull-request comment: a summary table and collapsible details\n"
    "  -o FILE      write there instead of standard output\n"
    "\n"
    "Exit status: 0 nothing regressed, 1 a regression, 2 bad usage or input.\n";

/* The kinds, each meaning wrapped at 80 columns under its name. */
static void print_usage(FILE *f) {
  char table[4096];
  size_t o = 0;
  for (int k = 0; k < C_COUNT; k++) {
    const char *m = kinds[k].meaning;
    o += (size_t)snprintf(table + o, sizeof table - o, "  %-17s%s", kinds[k].name,
                          kinds[k].regression ? "REGRESSION: " : "");
    size_t col = 19 + (kinds[k].regression ? 12 : 0), start = col;
    while (*m != '\0' && o < sizeof table) {
      size_t word = strcspn(m, " ");
      if (col + word >= 80) {
        o += (size_t)snprintf(table + o, sizeof table - o, "\n%19s", "");
        col = start = 19;
      }
      o += (size_t)snprintf(table + o, sizeof table - o, "%s%.*s", col > start ? " " : "",
                            (int)word, m);
      col += word + (col > start);
      m += word + (m[word] == ' ');
    }
    o += (size_t)snprintf(table + o, sizeof table - o, "\n");
  }
  fprintf(f, usage, table);
}

typedef enum diff_format { F_TEXT, F_JSON, F_MARKDOWN } diff_format;

typedef struct diff_opts {
  const char *files[2], *out;
  size_t n_files;
  diff_format format;
} diff_opts;

static int bad_usage(const char *what, const char *arg) {
  fprintf(stderr, "tlsgauntlet diff: %s%s\n(tlsgauntlet diff --help)\n", what, arg);
  return EXIT_BAD_INPUT;
}

/* 0 to compare, -1 after --help, else the exit status. */
static int parse_args(diff_opts *o, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if ((v = cli_option_value(argc, argv, &i, "-o")) ||
        (v = cli_option_value(argc, argv, &i, "--output")))
      o->out = v;
    else if (strcmp(a, "--json") == 0 || strcmp(a, "--markdown") == 0) {
      diff_format f = a[2] == 'j' ? F_JSON : F_MARKDOWN;
      if (o->format != F_TEXT && o->format != f)
        return bad_usage("--json and --markdown exclude each other", "");
      o->format = f;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      print_usage(stdout);
      return -1;
    } else if (a[0] == '-' && a[1] != '\0')
      return bad_usage("unknown option or missing value: ", a);
    else if (o->n_files == 2)
      return bad_usage("more than two reports: ", a);
    else
      o->files[o->n_files++] = a;
  }
  if (o->n_files != 2)
    return bad_usage("give two run reports, OLD.json and NEW.json", "");
  return opt_output_file("diff", "-o", o->out) ? 0 : EXIT_BAD_INPUT;
}

static int write_out(const diff_opts *o, const diff *d) {
  FILE *f = o->out ? fopen(o->out, "w") : stdout;
  if (f == NULL) {
    perror(o->out);
    return EXIT_BAD_INPUT;
  }
  bool ok = true;
  if (o->format == F_JSON)
    ok = write_json(f, d);
  else if (o->format == F_MARKDOWN)
    write_markdown(f, d);
  else
    write_text(f, d);
  ok = !ferror(f) && ok;
  if (o->out != NULL && fclose(f) != 0)
    ok = false;
  if (!ok)
    fprintf(stderr, "tlsgauntlet diff: %s: cannot write\n", o->out ? o->out : "stdout");
  return ok ? 0 : EXIT_BAD_INPUT;
}

int cmd_diff(int argc, char **argv) {
  diff_opts o = {0};
  int rc = parse_args(&o, argc, argv);
  if (rc != 0)
    return rc < 0 ? EXIT_OK : rc;
  run_doc docs[2];
  char err[512];
  if (!report_read(&docs[0], o.files[0], err, sizeof err)) {
    fprintf(stderr, "tlsgauntlet diff: %s\n", err);
    return EXIT_BAD_INPUT;
  }
  if (!report_read(&docs[1], o.files[1], err, sizeof err)) {
    fprintf(stderr, "tlsgauntlet diff: %s\n", err);
    run_doc_free(&docs[0]);
    return EXIT_BAD_INPUT;
  }
  diff d = {.old = &docs[0], .new = &docs[1]};
  compare_versions(&d);
  rc = compare(&d) ? write_out(&o, &d) : EXIT_BAD_INPUT;
  if (rc == 0 && d.regressions > 0)
    rc = EXIT_UNEXPECTED;
  free(d.v);
  run_doc_free(&docs[0]);
  run_doc_free(&docs[1]);
  return rc;
}
