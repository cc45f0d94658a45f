/* The terminal reporters: the progress line while a run goes, and the final matrix, counts and
 * unexpected results. Colour is the caller's choice (a tty and no NO_COLOR); widths are computed
 * on the plain words so escape codes never break the alignment. */
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "report.h"

#define MATRIX_ALL_ROWS_MAX 40 /* above this, rows where everything is as expected are hidden */
#define ID_WIDTH_MAX 64        /* longer ids push their row's columns right, not everyone's */
#define LOG_QUIET_MS 30000     /* the longest a log goes without a progress line */

static const char *const colors[V_COUNT] = {
    [V_PASS] = "\033[32m",    [V_LENIENT] = "\033[33m", [V_FAIL] = "\033[31m",
    [V_CRASH] = "\033[1;31m", [V_TIMEOUT] = "\033[35m", [V_SKIP] = "\033[2m",
    [V_XFAIL] = "\033[36m",   [V_XPASS] = "\033[1;33m", [V_INCONCLUSIVE] = "\033[1;35m",
};

/* The word of a matrix cell: the verdict, and for a known deviation what kind it is. */
static const char *const xfail_words[SEV_COUNT] = {
    [SEV_NONE] = "xfail",
    [SEV_SILENT_CLOSE] = "xfail/close",
    [SEV_WRONG_ALERT] = "xfail/alert",
    [SEV_REJECTED_VALID] = "xfail/reject",
    [SEV_ACCEPTED_BAD] = "xfail/accept",
};

static const char *cell_word(const run_result *x) {
  if (x->reported == V_XFAIL && (unsigned)x->sev < SEV_COUNT)
    return xfail_words[x->sev];
  return verdict_name(x->reported);
}
#define RESET "\033[0m"

static const run_result *cell(const run_report *r, size_t s, size_t i) {
  return &r->results[s * r->n_impls + i];
}

static const char *scenario_id(const run_result *x) {
  return x->scenario != NULL && x->scenario->id != NULL ? x->scenario->id : "?";
}

/* A row is worth showing in a big run when any column is neither pass nor skip: what went wrong,
 * and the known deviations (xfail), which are where implementations differ. */
static bool row_interesting(const run_report *r, size_t s) {
  for (size_t i = 0; i < r->n_impls; i++) {
    verdict v = cell(r, s, i)->reported;
    if (v != V_PASS && v != V_SKIP)
      return true;
  }
  return false;
}

static bool row_shown(const run_report *r, size_t s) {
  return r->n_scenarios <= MATRIX_ALL_ROWS_MAX || row_interesting(r, s);
}

static size_t impl_width(const run_report *r, size_t i) {
  size_t w = strlen(r->impls[i]);
  return w < 13 ? 13 : w; /* "xfail/accept*", "inconclusive*" */
}

static size_t id_width(const run_report *r) {
  size_t w = strlen("scenario");
  for (size_t s = 0; s < r->n_scenarios; s++) {
    size_t len = r->n_impls ? strlen(scenario_id(cell(r, s, 0))) : 0;
    if (row_shown(r, s) && len > w)
      w = len;
  }
  return w > ID_WIDTH_MAX ? ID_WIDTH_MAX : w;
}

/* One cell: the verdict word, '*' when it is unexpected, padded to the column. */
static void print_cell(FILE *f, const run_result *x, size_t width, bool color, bool last) {
  const char *word = cell_word(x);
  size_t len = strlen(word) + (x->unexpected ? 1 : 0);
  fputs("  ", f);
  if (color && (unsigned)x->reported < V_COUNT)
    fputs(colors[x->reported], f);
  fprintf(f, "%s%s", word, x->unexpected ? "*" : "");
  if (color)
    fputs(RESET, f);
  if (!last)
    fprintf(f, "%*s", (int)(width > len ? width - len : 0), "");
}

static void print_matrix(FILE *f, const run_report *r, bool color) {
  int idw = (int)id_width(r);
  fprintf(f, "%-*s", idw, "scenario");
  for (size_t i = 0; i < r->n_impls; i++)
    fprintf(f, "  %-*s", i + 1 < r->n_impls ? (int)impl_width(r, i) : 0, r->impls[i]);
  fputc('\n', f);
  size_t hidden = 0;
  for (size_t s = 0; s < r->n_scenarios && r->n_impls > 0; s++) {
    if (!row_shown(r, s)) {
      hidden++;
      continue;
    }
    fprintf(f, "%-*s", idw, scenario_id(cell(r, s, 0)));
    for (size_t i = 0; i < r->n_impls; i++)
      print_cell(f, cell(r, s, i), impl_width(r, i), color, i + 1 == r->n_impls);
    fputc('\n', f);
  }
  if (hidden > 0)
    fprintf(f, "%zu scenarios that every implementation passed (or skipped) not shown\n", hidden);
  fputs("(* unexpected)\n", f);
}

static size_t name_width(const run_report *r) {
  size_t w = strlen("implementation");
  for (size_t i = 0; i < r->n_impls; i++)
    if (strlen(r->impls[i]) > w)
      w = strlen(r->impls[i]);
  return w;
}

static void print_counts(FILE *f, const run_report *r) {
  int nw = (int)name_width(r);
  fprintf(f, "%-*s", nw, "implementation");
  for (int v = 0; v < V_COUNT; v++)
    fprintf(f, "  %s", verdict_name((verdict)v));
  fputs("  unexpected\n", f);
  for (size_t i = 0; i < r->n_impls; i++) {
    size_t counts[V_COUNT] = {0}, unexpected = 0;
    for (size_t s = 0; s < r->n_scenarios; s++) {
      const run_result *x = cell(r, s, i);
      if ((unsigned)x->reported < V_COUNT)
        counts[x->reported]++;
      unexpected += x->unexpected;
    }
    fprintf(f, "%-*s", nw, r->impls[i]);
    for (int v = 0; v < V_COUNT; v++)
      fprintf(f, "  %*zu", (int)strlen(verdict_name((verdict)v)), counts[v]);
    fprintf(f, "  %*zu\n", (int)strlen("unexpected"), unexpected);
  }
}

static const char *or_dash(const char *s) { return s != NULL && *s != '\0' ? s : "-"; }

static void print_unexpected(FILE *f, const run_report *r, bool color) {
  size_t n = 0;
  int nw = 1;
  for (size_t i = 0; i < r->n_impls; i++)
    if ((int)strlen(r->impls[i]) > nw)
      nw = (int)strlen(r->impls[i]);
  for (size_t s = 0; s < r->n_scenarios; s++) {
    for (size_t i = 0; i < r->n_impls; i++) {
      const run_result *x = cell(r, s, i);
      if (!x->unexpected)
        continue;
      if (n++ == 0)
        fputs("Unexpected results:\n", f);
      fprintf(f, "%-*s  %s: expected %s, got %s  [%s%s%s]", nw, r->impls[i], scenario_id(x),
              or_dash(x->expected), or_dash(x->got),
              color && (unsigned)x->reported < V_COUNT ? colors[x->reported] : "",
              verdict_name(x->reported), color ? RESET : "");
      if (x->sev != SEV_NONE)
        fprintf(f, " (%s)", severity_name(x->sev));
      if (x->note[0] != '\0')
        fprintf(f, " (note: %s)", x->note);
      if (x->baseline_reason != NULL)
        fprintf(f, " (baseline: %s)", x->baseline_reason);
      fputc('\n', f);
    }
  }
  if (n == 0)
    fputs("No unexpected results.\n", f);
}

/* The known deviations of each implementation by severity, most severe first. */
static void print_severities(FILE *f, const run_report *r) {
  for (size_t i = 0; i < r->n_impls; i++) {
    /* By severity; those without one (a known skip, timeout, crash or inconclusive result) by
     * their verdict. */
    size_t n[SEV_COUNT] = {0}, other[V_COUNT] = {0}, total = 0;
    for (size_t s = 0; s < r->n_scenarios; s++) {
      const run_result *x = cell(r, s, i);
      if (x->reported != V_XFAIL || (unsigned)x->sev >= SEV_COUNT || (unsigned)x->raw >= V_COUNT)
        continue;
      total++;
      if (x->sev != SEV_NONE)
        n[x->sev]++;
      else
        other[x->raw]++;
    }
    if (total == 0)
      continue;
    fprintf(f, "%s: %zu known deviations:", r->impls[i], total);
    for (int v = SEV_COUNT - 1; v > SEV_NONE; v--)
      if (n[v] > 0)
        fprintf(f, " %s %zu", severity_name((severity)v), n[v]);
    for (int v = 0; v < V_COUNT; v++)
      if (other[v] > 0)
        fprintf(f, " %s %zu", verdict_name((verdict)v), other[v]);
    fputc('\n', f);
  }
}

void report_terminal(FILE *f, const run_report *r, bool color) {
  print_matrix(f, r, color);
  fputs("(xfail/accept: accepted bad input; xfail/reject: rejected valid input; xfail/alert: the "
        "wrong alert; xfail/close: closed without an alert)\n\n",
        f);
  print_counts(f, r);
  print_severities(f, r);
  fputc('\n', f);
  print_unexpected(f, r, color);
  fprintf(f, "%zu scenarios x %zu implementations in %.1f s\n", r->n_scenarios, r->n_impls,
          r->seconds);
}

static size_t terminal_columns(FILE *f) {
  struct winsize ws;
  if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
    return ws.ws_col;
  return 80;
}

/* "42s", "1m05s", "2h07m". */
static void format_duration(char *buf, size_t cap, uint64_t s) {
  if (s < 60)
    snprintf(buf, cap, "%" PRIu64 "s", s);
  else if (s < 3600)
    snprintf(buf, cap, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
  else
    snprintf(buf, cap, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, s / 60 % 60);
}

void progress_eta(char *buf, size_t cap, size_t done, size_t total, uint64_t elapsed_ms) {
  char elapsed[32], eta[32];
  format_duration(elapsed, sizeof elapsed, elapsed_ms / 1000);
  if (done >= total) {
    snprintf(buf, cap, "elapsed %s", elapsed);
  } else if (done == 0) {
    snprintf(buf, cap, "elapsed %s  ETA ?", elapsed);
  } else {
    /* Rounded up to the second: "ETA 0s" only when the done runs took no time at all. */
    uint64_t left_ms = (elapsed_ms * (total - done) + done - 1) / done;
    format_duration(eta, sizeof eta, (left_ms + 999) / 1000);
    snprintf(buf, cap, "elapsed %s  ETA %s", elapsed, eta);
  }
}

/* A log gets a line when the run crosses a tenth of total, so a CI log of a thousand scenarios
 * holds about ten lines, and in between at most one per LOG_QUIET_MS, so a slow run still shows
 * that it goes on. */
static bool log_line_due(progress_mark *mark, size_t done, size_t total, uint64_t elapsed_ms) {
  size_t tenth = total > 0 ? done * 10 / total : 0;
  if (tenth <= mark->tenth && elapsed_ms < mark->at_ms + LOG_QUIET_MS)
    return false;
  *mark = (progress_mark){.tenth = tenth, .at_ms = elapsed_ms};
  return true;
}

/* "[3/5] pass 2  lenient 0  fail 0  crash 1  elapsed 12s  ETA 8s" into line; its length. */
static size_t format_counts(char *line, size_t cap, size_t done, size_t total,
                            const size_t counts[V_COUNT], uint64_t elapsed_ms) {
  int n = snprintf(line, cap, "[%zu/%zu] pass %zu  lenient %zu  fail %zu", done, total,
                   counts[V_PASS], counts[V_LENIENT], counts[V_FAIL]);
  for (int v = V_CRASH; v < V_COUNT && n > 0 && (size_t)n < cap; v++)
    if (counts[v] > 0)
      n += snprintf(line + n, cap - (size_t)n, "  %s %zu", verdict_name((verdict)v), counts[v]);
  char eta[96];
  progress_eta(eta, sizeof eta, done, total, elapsed_ms);
  if (n > 0 && (size_t)n < cap)
    n += snprintf(line + n, cap - (size_t)n, "  %s", eta);
  return n < 0 || (size_t)n >= cap ? strlen(line) : (size_t)n;
}

void report_progress(FILE *f, size_t done, size_t total, const size_t counts[V_COUNT],
                     const char *current, uint64_t elapsed_ms, progress_mark *mark, bool tty) {
  if (!tty && mark != NULL && !log_line_due(mark, done, total, elapsed_ms))
    return;
  char line[512];
  size_t n = format_counts(line, sizeof line, done, total, counts, elapsed_ms);
  const char *cur = current != NULL ? current : "";
  if (tty) {
    /* Keep the line within the terminal, or \r would rewrite only its last wrapped part. */
    size_t room = terminal_columns(f) - 1, used = n + 2, len = strlen(cur);
    if (used + len > room && used + 3 < room) {
      cur += len - (room - used - 3);
      fprintf(f, "\r%s  ...%s\033[K", line, cur);
    } else if (used + len <= room) {
      fprintf(f, "\r%s%s%s\033[K", line, *cur ? "  " : "", cur);
    } else {
      fprintf(f, "\r%.*s\033[K", (int)room, line);
    }
    if (done == total)
      fputc('\n', f);
  } else {
    fprintf(f, "%s%s%s\n", line, *cur ? "  " : "", cur);
  }
  fflush(f);
}
