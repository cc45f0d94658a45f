/* tlsgauntlet baseline --from RUN.json --impl NAME: a baseline file (report.h, docs/scenarios.md
 * "Baselines") for an implementation from one of its runs. Every deviation the run saw becomes
 * an entry with the verdict and behaviour observed, what the scenario expected in a comment, and
 * reason and evidence left for a person to fill in. The text is loaded back with the baseline
 * loader before it is written, so what this writes is a file `run --baseline` takes. */
#define _GNU_SOURCE /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "report.h"
#include "report_read.h"

static const char usage[] =
    "usage: tlsgauntlet baseline --from RUN.json --impl NAME [-o FILE]\n"
    "\n"
    "Writes a baseline (vectors/baselines/NAME.yaml; docs/scenarios.md \"Baselines\") for\n"
    "implementation NAME from a run's JSON report (run --json): one entry per deviation the run\n"
    "saw (every unexpected result but xpass, and the xfail ones the run's baseline already\n"
    "listed), each with the verdict and behaviour observed, what the scenario expected and what\n"
    "happened (a comment), and reason: and evidence: placeholders starting with TODO to fill\n"
    "in: why it deviates and what the RFC asks, and how to see it without tlsgauntlet.\n"
    "\n"
    "  --from RUN.json   the run's JSON report\n"
    "  --impl NAME       the implementation (a column of the run)\n"
    "  -o FILE           write there instead of standard output\n"
    "\n"
    "Exit status: 0 written, 2 bad usage or input.\n";

typedef struct baseline_opts {
  const char *from, *impl, *out;
} baseline_opts;

static int bad_usage(const char *what, const char *arg) {
  fprintf(stderr, "tlsgauntlet baseline: %s%s\n(tlsgauntlet baseline --help)\n", what, arg);
  return EXIT_BAD_INPUT;
}

/* 0 to write, -1 after --help, else the exit status. */
static int parse_args(baseline_opts *o, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_option_value(argc, argv, &i, "--from")))
      o->from = v;
    else if ((v = cli_option_value(argc, argv, &i, "--impl")))
      o->impl = v;
    else if ((v = cli_option_value(argc, argv, &i, "-o")) ||
             (v = cli_option_value(argc, argv, &i, "--output")))
      o->out = v;
    else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(usage, stdout);
      return -1;
    } else
      return bad_usage("unknown argument or missing value: ", argv[i]);
  }
  if (o->from == NULL || o->impl == NULL)
    return bad_usage("--from RUN.json and --impl NAME are required", "");
  return opt_output_file("baseline", "-o", o->out) ? 0 : EXIT_BAD_INPUT;
}

/* A YAML double-quoted scalar: '"' and '\' escaped, control characters as \xXX. */
static void quoted(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(f, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7f)
      fprintf(f, "\\x%02x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

/* Text in a comment: line breaks as spaces. */
static void oneline(FILE *f, const char *s) {
  for (; *s; s++)
    fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void comment(FILE *f, const char *label, const char *s) {
  fprintf(f, "    # %s", label);
  oneline(f, s);
  fputc('\n', f);
}

/* The results a baseline entry covers: what the run saw that the scenario does not want. An xpass
 * is a stale entry (raw pass), not a deviation. */
static bool deviation(const run_result *x) {
  return x->raw != V_PASS && x->raw != V_XFAIL && x->raw != V_XPASS &&
         (x->unexpected || x->reported == V_XFAIL);
}

static void entry(FILE *f, const run_result *x, const char *impl) {
  char observed[64] = "";
  if (x->observed.b != B_NONE && (x->observed.b != B_ALERT || x->observed.alert >= 0))
    behaviour_format(&x->observed, observed, sizeof observed);
  fprintf(f, "  - id: ");
  quoted(f, x->scenario->id);
  fprintf(f, "\n");
  if (x->expected[0] != '\0')
    comment(f, "expected: ", x->expected);
  if (x->got[0] != '\0')
    comment(f, "got: ", x->got);
  if (x->sev != SEV_NONE)
    comment(f, "severity: ", severity_name(x->sev));
  if (x->note[0] != '\0')
    comment(f, "note: ", x->note);
  fprintf(f, "    verdict: %s\n", verdict_name(x->raw));
  if (observed[0] != '\0')
    fprintf(f, "    observed: %s\n", observed);
  fprintf(f, "    reason: ");
  if (x->baseline_reason != NULL)
    quoted(f, x->baseline_reason); /* the run's baseline already listed it */
  else {
    char todo[512];
    snprintf(todo, sizeof todo, "TODO: why %s does this, and what %s asks", impl,
             x->scenario->rfc ? x->scenario->rfc : "the RFC");
    quoted(f, todo);
  }
  fprintf(f, "\n    evidence: \"TODO: how to reproduce without tlsgauntlet\"\n");
}

/* The whole file for column i of d into f; the number of entries. */
static size_t write_baseline(FILE *f, const run_doc *d, size_t i, const char *from) {
  size_t n = 0, n_i = d->rep.n_impls;
  for (size_t s = 0; s < d->rep.n_scenarios; s++)
    n += deviation(&d->rep.results[s * n_i + i]);
  fputs("# The baseline of ", f);
  oneline(f, d->rep.impls[i]);
  fputs(", written by `tlsgauntlet baseline` from ", f);
  oneline(f, from);
  fprintf(
      f,
      ": %zu deviation%s.\n"
      "# Each entry is what that run observed. Before committing, replace every TODO: the\n"
      "# reason says why the implementation deviates and what the RFC asks, the evidence how\n"
      "# to see it without tlsgauntlet (the library's own tool). docs/scenarios.md, Baselines.\n"
      "implementation: ",
      n, n == 1 ? "" : "s");
  quoted(f, d->rep.impls[i]);
  fprintf(f, "\ndeviations:%s\n", n == 0 ? " []" : "");
  for (size_t s = 0; s < d->rep.n_scenarios; s++)
    if (deviation(&d->rep.results[s * n_i + i]))
      entry(f, &d->rep.results[s * n_i + i], d->rep.impls[i]);
  return n;
}

/* The text into o->out (or stdout) once the baseline loader takes it. */
static int emit(const baseline_opts *o, const char *text, size_t len) {
  char err[512];
  baseline check;
  if (!baseline_load_text(&check, o->out ? o->out : "<output>", text, len, err, sizeof err)) {
    fprintf(stderr, "tlsgauntlet baseline: internal error, the baseline does not load: %s\n", err);
    return EXIT_BAD_INPUT;
  }
  baseline_free(&check);
  FILE *f = o->out ? fopen(o->out, "w") : stdout;
  bool ok = f != NULL && fwrite(text, 1, len, f) == len && fflush(f) == 0;
  if (f != NULL && o->out != NULL && fclose(f) != 0)
    ok = false;
  if (!ok) {
    fprintf(stderr, "tlsgauntlet baseline: %s: cannot write\n", o->out ? o->out : "stdout");
    return EXIT_BAD_INPUT;
  }
  return EXIT_OK;
}

int cmd_baseline(int argc, char **argv) {
  baseline_opts o = {0};
  int rc = parse_args(&o, argc, argv);
  if (rc != 0)
    return rc < 0 ? EXIT_OK : rc;
  run_doc d;
  char err[512];
  if (!report_read(&d, o.from, err, sizeof err)) {
    fprintf(stderr, "tlsgauntlet baseline: %s\n", err);
    return EXIT_BAD_INPUT;
  }
  long i = run_doc_impl(&d, o.impl);
  if (i < 0) {
    fprintf(stderr, "tlsgauntlet baseline: %s has no implementation '%s'; it has:", o.from, o.impl);
    for (size_t k = 0; k < d.rep.n_impls; k++)
      fprintf(stderr, " %s", d.rep.impls[k]);
    fputc('\n', stderr);
    run_doc_free(&d);
    return EXIT_BAD_INPUT;
  }
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  rc = EXIT_BAD_INPUT;
  if (mem != NULL) {
    size_t n = write_baseline(mem, &d, (size_t)i, o.from);
    if (fclose(mem) == 0 && (rc = emit(&o, text, len)) == EXIT_OK && o.out != NULL)
      fprintf(stderr, "tlsgauntlet baseline: %s: %zu entr%s for %s\n", o.out, n,
              n == 1 ? "y" : "ies", o.impl);
  }
  free(text);
  run_doc_free(&d);
  return rc;
}
