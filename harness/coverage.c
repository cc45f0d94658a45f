/* tlsgauntlet coverage: the requirement catalogue (vectors/requirements) against the scenarios
 * that cite it (`requires:`), per RFC and section; counted as docs/requirements.md "Counting
 * coverage" says. Text on stdout, or the summary table in Markdown (README.md carries it), JSON
 * (docs/requirements.md "coverage --json"), and a self-contained HTML page (coverage_html.c). */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "coverage.h"
#include "scenario_cli.h"

static const char usage[] =
    "usage: tlsgauntlet coverage [--rfc N] [--role client|server] [--uncovered]\n"
    "                            [--json FILE|-] [--html FILE] [--markdown]\n"
    "                            [--scenarios DIR] [--requirements DIR]\n"
    "\n"
    "The normative statements of the TLS RFCs (the requirement catalogue, docs/requirements.md)\n"
    "and the scenarios that check each (their requires:), per RFC and section. A requirement is\n"
    "covered in a role (server, client) when a scenario whose target plays that role cites it;\n"
    "one that binds both, the sender or the receiver counts in each role.\n"
    "\n"
    "Prints the testable MUST-level requirements (MUST, MUST NOT, SHALL, SHALL NOT, REQUIRED)\n"
    "with their scenarios per role, UNCOVERED where none, then a summary per RFC: testable\n"
    "MUST-level requirements, the server-side and client-side pairs covered, the untestable\n"
    "MUST-level ones, and the testable SHOULD-level pairs covered.\n"
    "\n"
    "  --rfc N             only RFC N\n"
    "  --role ROLE         list only the requirements that bind ROLE (server or client) and\n"
    "                      its scenarios (the summary counts both roles)\n"
    "  --uncovered         list only the requirements with an uncovered role\n"
    "  --json FILE|-       every requirement (SHOULD-level and untestable ones, with why:,\n"
    "                      included), its scenarios, and the counts, as JSON ('-': stdout)\n"
    "  --html FILE         the same as a self-contained page\n"
    "  --markdown          only the summary table, as Markdown (the table of README.md)\n"
    "  --scenarios DIR     the scenarios directory (default: as `tlsgauntlet run` finds it)\n"
    "  --requirements DIR  the catalogue (default: the requirements directory beside the\n"
    "                      scenarios directory; none there: an empty catalogue)\n"
    "\n"
    "Exit status: 0, or 2 bad usage or a catalogue or scenario file with an error\n"
    "(FILE:LINE:COLUMN), an unknown requirement id a scenario cites included.\n";

const char *const cov_role_names[2] = {"server", "client"};

typedef struct cov_opts {
  unsigned long rfc; /* 0: every RFC */
  int role;
  bool markdown, uncovered;
  const char *json, *html, *scenarios_dir, *requirements_dir;
} cov_opts;

static int bad_usage(const char *fmt, const char *arg) {
  fprintf(stderr, "tlsgauntlet coverage: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(tlsgauntlet coverage --help)\n");
  return EXIT_BAD_INPUT;
}

/* 0 to go on, -1 after --help, else the exit status. */
static int parse_args(cov_opts *o, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage, stdout);
      return -1;
    } else if (strcmp(a, "--markdown") == 0) {
      o->markdown = true;
    } else if (strcmp(a, "--uncovered") == 0) {
      o->uncovered = true;
    } else if ((v = cli_option_value(argc, argv, &i, "--rfc"))) {
      char *end;
      errno = 0;
      o->rfc = strtoul(v, &end, 10);
      if (errno != 0 || end == v || *end != '\0' || v[0] < '1' || v[0] > '9' || o->rfc > 99999)
        return bad_usage("--rfc '%s': an RFC number (8446)", v);
    } else if ((v = cli_option_value(argc, argv, &i, "--role"))) {
      if (strcmp(v, "server") != 0 && strcmp(v, "client") != 0)
        return bad_usage("--role '%s': server or client", v);
      o->role = v[0] == 's' ? SC_TARGET_SERVER : SC_TARGET_CLIENT;
    } else if ((v = cli_option_value(argc, argv, &i, "--json"))) {
      o->json = v;
    } else if ((v = cli_option_value(argc, argv, &i, "--html"))) {
      o->html = v;
    } else if ((v = cli_option_value(argc, argv, &i, "--scenarios"))) {
      o->scenarios_dir = v;
    } else if ((v = cli_option_value(argc, argv, &i, "--requirements"))) {
      o->requirements_dir = v;
    } else {
      return bad_usage(a[0] == '-' ? "unknown option or missing value: %s"
                                   : "unexpected argument '%s' (the scenarios are those of "
                                     "--scenarios DIR)",
                       a);
    }
  }
  if (o->markdown && o->json != NULL && strcmp(o->json, "-") == 0)
    return bad_usage("--markdown and --json - both write stdout%s", "");
  if ((o->json != NULL && strcmp(o->json, "-") != 0 &&
       !opt_output_file("coverage", "--json", o->json)) ||
      !opt_output_file("coverage", "--html", o->html))
    return EXIT_BAD_INPUT;
  return 0;
}

/* ---- The model ------------------------------------------------------------------------------- */

bool cov_role_listed(const cov_model *m, int role) { return m->role < 0 || m->role == role; }

bool cov_stray_listed(const cov_model *m, const rq_stray *s) {
  return m->rfc == 0 || s->req->rfc == m->rfc;
}

bool cov_listed(const cov_model *m, const rq_cover *c) {
  if (m->role >= 0 && !c->bound[m->role])
    return false;
  if (!m->uncovered)
    return true;
  for (int role = 0; role < 2; role++)
    if (cov_role_listed(m, role) && c->bound[role] && c->req->testable && c->n_by[role] == 0)
      return true;
  return false;
}

void cov_ratio(size_t covered, size_t total, char *buf, size_t cap) {
  if (total == 0)
    snprintf(buf, cap, "-");
  else
    snprintf(buf, cap, "%zu/%zu (%zu%%)", covered, total, covered * 100 / total);
}

/* Section numbers in the RFC's order: numbers compared as numbers, appendices after them. */
static int cmp_section(const char *a, const char *b) {
  while (*a != '\0' && *b != '\0') {
    bool la = !(*a >= '0' && *a <= '9'), lb = !(*b >= '0' && *b <= '9');
    if (la != lb)
      return la ? 1 : -1;
    if (la) {
      if (*a != *b)
        return *a < *b ? -1 : 1;
      a++, b++;
      continue;
    }
    char *ea, *eb;
    unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
    if (x != y)
      return x < y ? -1 : 1;
    a = ea, b = eb;
    if (*a == '.' && *b == '.')
      a++, b++;
  }
  return (*a != '\0') - (*b != '\0');
}

static int cmp_cover(const void *pa, const void *pb) {
  const rq_requirement *a = (*(const rq_cover *const *)pa)->req;
  const rq_requirement *b = (*(const rq_cover *const *)pb)->req;
  int d = cmp_section(a->section, b->section);
  return d != 0 ? d : (a > b) - (a < b);
}

static int cmp_rfc(const void *pa, const void *pb) {
  unsigned a = ((const cov_rfc *)pa)->rfc->number, b = ((const cov_rfc *)pb)->rfc->number;
  return (a > b) - (a < b);
}

static void counts_add(rq_counts *to, const rq_counts *k) {
  to->must_testable += k->must_testable;
  to->must_untestable += k->must_untestable;
  to->should_untestable += k->should_untestable;
  to->should_testable += k->should_testable;
  to->should_total += k->should_total;
  to->should_covered += k->should_covered;
  for (int role = 0; role < 2; role++) {
    to->must_total[role] += k->must_total[role];
    to->must_covered[role] += k->must_covered[role];
  }
}

static bool build_model(cov_model *m, const rq_catalogue *cat, const sc_suite *s) {
  unsigned long rfc = m->rfc;
  if (!rq_coverage_compute(&m->cov, cat, s))
    return false;
  m->rfcs = calloc(cat->n_rfcs + 1, sizeof *m->rfcs);
  if (m->rfcs == NULL)
    return false;
  for (size_t f = 0; f < cat->n_rfcs; f++) {
    if (rfc != 0 && cat->rfcs[f].number != rfc)
      continue;
    cov_rfc *r = &m->rfcs[m->n_rfcs++];
    r->rfc = &cat->rfcs[f];
    for (size_t i = 0; i < m->cov.n; i++)
      r->n += m->cov.v[i].req->file == r->rfc->file;
    if ((r->v = calloc(r->n + 1, sizeof(const rq_cover *))) == NULL)
      return false;
    r->n = 0;
    for (size_t i = 0; i < m->cov.n; i++)
      if (m->cov.v[i].req->file == r->rfc->file) {
        r->v[r->n++] = &m->cov.v[i];
        rq_count(&r->counts, &m->cov.v[i]);
      }
    qsort(r->v, r->n, sizeof(const rq_cover *), cmp_cover);
    counts_add(&m->all, &r->counts);
  }
  qsort(m->rfcs, m->n_rfcs, sizeof *m->rfcs, cmp_rfc);
  return true;
}

static void free_model(cov_model *m) {
  for (size_t i = 0; m->rfcs != NULL && i < m->n_rfcs; i++)
    free(m->rfcs[i].v);
  free(m->rfcs);
  rq_coverage_free(&m->cov);
}

/* ---- Text and Markdown ----------------------------------------------------------------------- */

/* The scenarios of a list, a matrix's expansions once (by the id before '['): they are adjacent,
 * in the suite's order. */
static void print_scenarios(FILE *f, const sc_scenario *const *v, size_t n) {
  const char *prev = NULL;
  size_t prev_len = 0;
  for (size_t i = 0; i < n; i++) {
    const char *id = v[i]->id;
    size_t len = strcspn(id, "[");
    if (prev != NULL && len == prev_len && strncmp(id, prev, len) == 0)
      continue;
    fprintf(f, "%s%.*s", prev ? ", " : "", (int)len, id);
    prev = id, prev_len = len;
  }
}

static void print_requirement(FILE *f, const cov_model *m, const rq_cover *c) {
  const rq_requirement *r = c->req;
  fprintf(f, "    %s  %s, binds %s\n", r->id, rq_level_name(r->level), rq_binds_name(r->binds));
  for (int role = 0; role < 2; role++) {
    if (!c->bound[role] || !cov_role_listed(m, role))
      continue;
    fprintf(f, "      %s: ", cov_role_names[role]);
    if (c->n_by[role] == 0)
      fputs("UNCOVERED", f);
    print_scenarios(f, c->by[role], c->n_by[role]);
    fputc('\n', f);
  }
}

static void print_rfc(FILE *f, const cov_model *m, const cov_rfc *r) {
  fprintf(f, "RFC %u: %s\n", r->rfc->number, r->rfc->title);
  const char *section = NULL;
  size_t listed = 0;
  for (size_t i = 0; i < r->n; i++) {
    const rq_cover *c = r->v[i];
    if (!c->req->testable || !rq_must_level(c->req->level) || !cov_listed(m, c))
      continue;
    if (section == NULL || strcmp(section, c->req->section) != 0)
      fprintf(f, "  %s\n", section = c->req->section);
    print_requirement(f, m, c);
    listed++;
  }
  if (listed == 0)
    fprintf(f, "  (no testable MUST-level requirement%s)\n", m->uncovered ? " uncovered" : "");
}

typedef struct row_text {
  char rfc[16], must[24], server[40], client[40], untestable[16], should[40];
} row_text;

static void row_of(const char *name, const rq_counts *k, row_text *t) {
  snprintf(t->rfc, sizeof t->rfc, "%s", name);
  snprintf(t->must, sizeof t->must, "%zu", k->must_testable);
  cov_ratio(k->must_covered[SC_TARGET_SERVER], k->must_total[SC_TARGET_SERVER], t->server,
            sizeof t->server);
  cov_ratio(k->must_covered[SC_TARGET_CLIENT], k->must_total[SC_TARGET_CLIENT], t->client,
            sizeof t->client);
  snprintf(t->untestable, sizeof t->untestable, "%zu", k->must_untestable);
  cov_ratio(k->should_covered, k->should_total, t->should, sizeof t->should);
}

static const row_text table_head = {
    "RFC",        "testable MUST-level", "server-side covered", "client-side covered",
    "untestable", "SHOULD-level covered"};

/* The summary: one row per RFC and, with more than one, "all". */
static void print_table(FILE *f, const cov_model *m, bool markdown) {
  if (m->n_rfcs == 0) {
    fputs(markdown ? "_The requirement catalogue is empty._\n"
                   : "The requirement catalogue is empty.\n",
          f);
    return;
  }
  size_t n = m->n_rfcs + (m->n_rfcs > 1);
  row_text *rows = calloc(n + 1, sizeof *rows);
  if (rows == NULL)
    return;
  rows[0] = table_head;
  for (size_t i = 0; i < m->n_rfcs; i++) {
    char name[16];
    snprintf(name, sizeof name, "%u", m->rfcs[i].rfc->number);
    row_of(name, &m->rfcs[i].counts, &rows[i + 1]);
  }
  if (m->n_rfcs > 1)
    row_of("all", &m->all, &rows[n]);
  for (size_t i = 0; i <= n; i++) {
    const row_text *t = &rows[i];
    if (markdown)
      fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", t->rfc, t->must, t->server, t->client,
              t->untestable, t->should);
    else
      fprintf(f, "%-5s  %19s  %19s  %19s  %10s  %20s\n", t->rfc, t->must, t->server, t->client,
              t->untestable, t->should);
    if (markdown && i == 0)
      fputs("|---|--:|--:|--:|--:|--:|\n", f);
  }
  free(rows);
}

static void print_stray(FILE *f, const cov_model *m) {
  bool head = false;
  for (size_t i = 0; i < m->cov.n_stray; i++) {
    const rq_stray *s = &m->cov.stray[i];
    if (!cov_stray_listed(m, s))
      continue;
    if (!head)
      fprintf(f, "\nCitations that count in no role:\n");
    head = true;
    fprintf(f, "  %s:%d:%d: %s (target %s) cites %s, which %s\n", s->sc->file, s->ref->line,
            s->ref->column, s->sc->id, cov_role_names[s->sc->target], s->req->id,
            s->req->testable
                ? (s->req->binds == RQ_CLIENT ? "binds the client" : "binds the server")
                : "is not testable");
  }
}

static void print_text(FILE *f, const cov_model *m) {
  for (size_t i = 0; i < m->n_rfcs; i++) {
    print_rfc(f, m, &m->rfcs[i]);
    fputc('\n', f);
  }
  print_table(f, m, false);
  print_stray(f, m);
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static json_t *ratio_json(size_t covered, size_t total) {
  return json_pack("{s:I, s:I, s:o}", "covered", (json_int_t)covered, "total", (json_int_t)total,
                   "percent",
                   total ? json_real((double)covered * 100.0 / (double)total) : json_null());
}

static json_t *counts_json(const rq_counts *k) {
  return json_pack(
      "{s:I, s:o, s:o, s:I, s:I, s:o, s:I}", "must_testable", (json_int_t)k->must_testable,
      "server", ratio_json(k->must_covered[SC_TARGET_SERVER], k->must_total[SC_TARGET_SERVER]),
      "client", ratio_json(k->must_covered[SC_TARGET_CLIENT], k->must_total[SC_TARGET_CLIENT]),
      "must_untestable", (json_int_t)k->must_untestable, "should_testable",
      (json_int_t)k->should_testable, "should", ratio_json(k->should_covered, k->should_total),
      "should_untestable", (json_int_t)k->should_untestable);
}

static json_t *requirement_json(const cov_model *m, const rq_cover *c) {
  const rq_requirement *r = c->req;
  json_t *roles = json_object();
  for (int role = 0; role < 2; role++) {
    if (!c->bound[role] || !cov_role_listed(m, role))
      continue;
    json_t *ids = json_array();
    for (size_t i = 0; i < c->n_by[role]; i++)
      json_array_append_new(ids, json_string(c->by[role][i]->id));
    json_object_set_new(roles, cov_role_names[role],
                        json_pack("{s:b, s:o}", "covered", c->n_by[role] > 0, "scenarios", ids));
  }
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:s, s:i, s:i, s:o}", "id", r->id,
                   "section", r->section, "level", rq_level_name(r->level), "binds",
                   rq_binds_name(r->binds), "text", r->text, "testable", r->testable, "why",
                   r->why ? json_string(r->why) : json_null(), "file", r->file, "line", r->line,
                   "column", r->column, "roles", roles);
}

static json_t *rfc_json(const cov_model *m, const cov_rfc *r) {
  json_t *reqs = json_array();
  for (size_t i = 0; i < r->n; i++)
    if (cov_listed(m, r->v[i]))
      json_array_append_new(reqs, requirement_json(m, r->v[i]));
  return json_pack("{s:I, s:s, s:s, s:o, s:o}", "rfc", (json_int_t)r->rfc->number, "title",
                   r->rfc->title, "file", r->rfc->file, "summary", counts_json(&r->counts),
                   "requirements", reqs);
}

static json_t *stray_json(const rq_stray *s) {
  return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "scenario", s->sc->id, "target",
                   cov_role_names[s->sc->target], "requirement", s->req->id, "file", s->sc->file,
                   "line", s->ref->line, "column", s->ref->column);
}

static bool write_json(const cov_model *m, const char *catalogue, const char *path) {
  json_t *rfcs = json_array(), *stray = json_array();
  for (size_t i = 0; i < m->n_rfcs; i++)
    json_array_append_new(rfcs, rfc_json(m, &m->rfcs[i]));
  for (size_t i = 0; i < m->cov.n_stray; i++)
    if (cov_stray_listed(m, &m->cov.stray[i]))
      json_array_append_new(stray, stray_json(&m->cov.stray[i]));
  json_t *doc = json_pack("{s:o, s:o, s:o, s:o}", "catalogue",
                          catalogue[0] ? json_string(catalogue) : json_null(), "summary",
                          counts_json(&m->all), "rfcs", rfcs, "stray", stray);
  bool to_stdout = strcmp(path, "-") == 0;
  FILE *f = to_stdout ? stdout : fopen(path, "w");
  bool ok =
      doc != NULL && f != NULL && json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
  if (f != NULL)
    ok = fputc('\n', f) != EOF && ok;
  if (f != NULL && !to_stdout)
    ok = fclose(f) == 0 && ok;
  if (!ok)
    fprintf(stderr, "tlsgauntlet coverage: cannot write %s\n", path);
  json_decref(doc);
  return ok;
}

/* ---- The command ----------------------------------------------------------------------------- */

static int report(const cov_opts *o, const rq_catalogue *cat, const char *where,
                  const sc_suite *suite) {
  cov_model m = {.rfc = o->rfc, .role = o->role, .uncovered = o->uncovered};
  bool ok = build_model(&m, cat, suite);
  if (!ok)
    fprintf(stderr, "tlsgauntlet coverage: out of memory\n");
  bool json_stdout = o->json != NULL && strcmp(o->json, "-") == 0;
  if (ok && o->markdown)
    print_table(stdout, &m, true);
  else if (ok && !json_stdout)
    print_text(stdout, &m);
  if (ok && o->json != NULL)
    ok = write_json(&m, where, o->json);
  if (ok && o->html != NULL && !cov_write_html(&m, o->html)) {
    fprintf(stderr, "tlsgauntlet coverage: cannot write %s\n", o->html);
    ok = false;
  }
  free_model(&m);
  return ok ? EXIT_OK : EXIT_BAD_INPUT;
}

int cmd_coverage(int argc, char **argv) {
  cov_opts o = {.role = -1};
  int rc = parse_args(&o, argc, argv);
  if (rc != 0)
    return rc < 0 ? EXIT_OK : rc;
  char dirbuf[PATH_MAX], where[PATH_MAX];
  const char *scen_dir =
      o.scenarios_dir ? o.scenarios_dir : sc_default_dir(argv[0], dirbuf, sizeof dirbuf);
  if (scen_dir == NULL)
    return bad_usage("no vectors/scenarios found; use --scenarios DIR%s", "");
  sc_suite suite;
  rq_catalogue cat;
  if (!sc_load_with_catalogue(&suite, &cat, where, sizeof where, scen_dir, o.requirements_dir, NULL,
                              0))
    return EXIT_BAD_INPUT;
  bool known = o.rfc == 0;
  for (size_t i = 0; !known && i < cat.n_rfcs; i++)
    known = cat.rfcs[i].number == o.rfc;
  if (!known) {
    char n[24];
    snprintf(n, sizeof n, "%lu", o.rfc);
    rc = bad_usage("--rfc %s: not in the requirement catalogue", n);
  } else {
    rc = report(&o, &cat, where, &suite);
  }
  rq_free(&cat);
  sc_suite_free(&suite);
  return rc;
}
