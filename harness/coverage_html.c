/* `tlsgauntlet coverage --html`: one self-contained page (no script, no external file): the
 * summary table, then per RFC and section each requirement with its text, level, binds, and the
 * scenarios that check it per role. */
#include <stdio.h>
#include <string.h>

#include "coverage.h"

static const char head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>tlsgauntlet requirement coverage</title>\n<style>\n"
    "body{font-family:sans-serif;margin:1em 2em;color:#222}\n"
    "table{border-collapse:collapse;margin:.5em 0 1em}\n"
    "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\n"
    "td.n{text-align:right}\n"
    "code{font-size:.9em}\n"
    ".uncovered{background:#fde2e2}\n.covered{background:#e3f5e1}\n"
    ".untestable{color:#777}\n.text{max-width:40em}\n"
    "</style>\n</head>\n<body>\n<h1>Requirement coverage</h1>\n"
    "<p>A requirement is covered in a role when a scenario whose target plays that role cites it "
    "(<code>requires:</code>); one that binds both sides, the sender or the receiver counts in "
    "each role. Percentages are of the testable MUST-level (requirement, role) pairs.</p>\n";

static void esc(FILE *f, const char *s) {
  for (; *s != '\0'; s++) {
    switch (*s) {
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '&': fputs("&amp;", f); break;
    case '"': fputs("&quot;", f); break;
    default: fputc(*s, f);
    }
  }
}

static void summary_row(FILE *f, const char *name, const rq_counts *k) {
  char server[40], client[40], should[40];
  cov_ratio(k->must_covered[SC_TARGET_SERVER], k->must_total[SC_TARGET_SERVER], server,
            sizeof server);
  cov_ratio(k->must_covered[SC_TARGET_CLIENT], k->must_total[SC_TARGET_CLIENT], client,
            sizeof client);
  cov_ratio(k->should_covered, k->should_total, should, sizeof should);
  fprintf(f,
          "<tr><th>%s</th><td class=\"n\">%zu</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
          "<td class=\"n\">%zu</td><td class=\"n\">%s</td></tr>\n",
          name, k->must_testable, server, client, k->must_untestable, should);
}

static void summary(FILE *f, const cov_model *m) {
  if (m->n_rfcs == 0) {
    fputs("<p>The requirement catalogue is empty.</p>\n", f);
    return;
  }
  fputs("<table id=\"summary\"><tr><th>RFC</th><th>testable MUST-level</th><th>server-side covered</th>"
        "<th>client-side covered</th><th>untestable</th><th>SHOULD-level covered</th></tr>\n",
        f);
  for (size_t i = 0; i < m->n_rfcs; i++) {
    char name[96];
    snprintf(name, sizeof name, "<a href=\"#rfc%u\">%u</a>", m->rfcs[i].rfc->number,
             m->rfcs[i].rfc->number);
    summary_row(f, name, &m->rfcs[i].counts);
  }
  if (m->n_rfcs > 1)
    summary_row(f, "all", &m->all);
  fputs("</table>\n", f);
}

static void role_cell(FILE *f, const cov_model *m, const rq_cover *c, int role) {
  if (!cov_role_listed(m, role))
    return;
  if (!c->bound[role]) {
    fputs("<td></td>", f);
    return;
  }
  bool counted = c->req->testable;
  fprintf(f, "<td class=\"%s\">",
          !counted        ? "untestable"
          : c->n_by[role] ? "covered"
                          : "uncovered");
  if (c->n_by[role] == 0)
    fputs(counted ? "uncovered" : "-", f);
  for (size_t i = 0; i < c->n_by[role]; i++) {
    fputs(i ? "<br>" : "", f);
    fputs("<code>", f);
    esc(f, c->by[role][i]->id);
    fputs("</code>", f);
  }
  fputs("</td>", f);
}

static void requirement_row(FILE *f, const cov_model *m, const rq_cover *c) {
  const rq_requirement *r = c->req;
  fprintf(f, "<tr id=\"%s\"><td><code>", r->id);
  esc(f, r->id);
  fprintf(f, "</code></td><td>%s</td><td>%s</td><td class=\"text\">", rq_level_name(r->level),
          rq_binds_name(r->binds));
  esc(f, r->text);
  if (!r->testable) {
    fputs("<br><span class=\"untestable\">untestable: ", f);
    esc(f, r->why);
    fputs("</span>", f);
  }
  fputs("</td>", f);
  for (int role = 0; role < 2; role++)
    role_cell(f, m, c, role);
  fputs("</tr>\n", f);
}

static void section_head(FILE *f, const cov_model *m, const char *section) {
  fputs("<h3>Section ", f);
  esc(f, section);
  fputs("</h3>\n<table><tr><th>requirement</th><th>level</th><th>binds</th><th>text</th>", f);
  for (int role = 0; role < 2; role++)
    if (cov_role_listed(m, role))
      fprintf(f, "<th>%s under test</th>", cov_role_names[role]);
  fputs("</tr>\n", f);
}

static void rfc_part(FILE *f, const cov_model *m, const cov_rfc *r) {
  fprintf(f, "<h2 id=\"rfc%u\">RFC %u: ", r->rfc->number, r->rfc->number);
  esc(f, r->rfc->title);
  fputs("</h2>\n", f);
  const char *section = NULL;
  for (size_t i = 0; i < r->n; i++) {
    const rq_cover *c = r->v[i];
    if (!cov_listed(m, c))
      continue;
    if (section == NULL || strcmp(section, c->req->section) != 0) {
      if (section != NULL)
        fputs("</table>\n", f);
      section_head(f, m, section = c->req->section);
    }
    requirement_row(f, m, c);
  }
  fputs(section != NULL ? "</table>\n" : "<p>No requirement listed.</p>\n", f);
}

bool cov_write_html(const cov_model *m, const char *path) {
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return false;
  fputs(head, f);
  summary(f, m);
  for (size_t i = 0; i < m->n_rfcs; i++)
    rfc_part(f, m, &m->rfcs[i]);
  fputs("</body>\n</html>\n", f);
  return fclose(f) == 0;
}
