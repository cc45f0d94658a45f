/* How a verdict is reached (verdict.h): the judgement of one expect step on what the runner
 * observed, the verdict of a whole run from its facts, severities, and the baseline's say.
 * docs/scenarios.md "Verdicts" states these rules in prose; keep the two in step. */
#define _GNU_SOURCE /* memmem */
#include "verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello_check.h"
#include "tg/error.h"
#include "tg/names.h"

/* ---- Names ---------------------------------------------------------------------------------- */

static const char *const verdict_names[V_COUNT] = {
    [V_PASS] = "pass",   [V_LENIENT] = "lenient", [V_FAIL] = "fail",
    [V_CRASH] = "crash", [V_TIMEOUT] = "timeout", [V_INCONCLUSIVE] = "inconclusive",
    [V_SKIP] = "skip",   [V_XFAIL] = "xfail",     [V_XPASS] = "xpass",
};

const char *verdict_name(verdict v) {
  if ((unsigned)v >= V_COUNT)
    return "unknown";
  return verdict_names[v];
}

bool verdict_parse(const char *s, verdict *out) {
  if (s == NULL)
    return false;
  for (int v = 0; v < V_COUNT; v++) {
    if (strcmp(s, verdict_names[v]) == 0) {
      *out = (verdict)v;
      return true;
    }
  }
  return false;
}

static const char *const severity_names[SEV_COUNT] = {
    [SEV_NONE] = "",
    [SEV_SILENT_CLOSE] = "silent-close",
    [SEV_WRONG_ALERT] = "wrong-alert",
    [SEV_REJECTED_VALID] = "rejected-valid-input",
    [SEV_ACCEPTED_BAD] = "accepted-bad-input",
};

const char *severity_name(severity s) { return (unsigned)s < SEV_COUNT ? severity_names[s] : ""; }

static const char *alert_str(int a) {
  const char *n = tg_alert_name((unsigned)a);
  return n ? n : "unknown";
}

void behaviour_format(const outcome *o, char *buf, size_t cap) {
  switch (o->b) {
  case B_NONE: snprintf(buf, cap, "%s", ""); break;
  case B_ACCEPTED: snprintf(buf, cap, "accepted"); break;
  case B_ALERT: snprintf(buf, cap, "alert %s", alert_str(o->alert)); break;
  case B_CLOSE: snprintf(buf, cap, "close"); break;
  case B_TIMEOUT: snprintf(buf, cap, "timeout"); break;
  }
}

bool behaviour_parse(const char *s, outcome *o) {
  *o = (outcome){B_NONE, -1};
  unsigned a;
  if (strcmp(s, "accepted") == 0)
    o->b = B_ACCEPTED;
  else if (strcmp(s, "close") == 0)
    o->b = B_CLOSE;
  else if (strcmp(s, "timeout") == 0)
    o->b = B_TIMEOUT;
  else if (strncmp(s, "alert ", 6) == 0 && tg_alert_by_name(s + 6, &a))
    *o = (outcome){B_ALERT, (int)a};
  else
    return false;
  return true;
}

bool outcome_equal(const outcome *a, const outcome *b) {
  return a->b == b->b && (a->b != B_ALERT || a->alert == b->alert);
}

/* ---- One expect step ------------------------------------------------------------------------ */

static judgement set(outcome *out, behaviour b, int alert, judgement j) {
  *out = (outcome){b, alert};
  return j;
}

static bool alert_listed(const sc_step *st, int alert) {
  if (st->n_alerts == 0)
    return true;
  for (size_t i = 0; i < st->n_alerts; i++)
    if (st->alerts[i] == alert)
      return true;
  return false;
}

/* The target went on past what the step answers: during the handshake, it accepted it; on a
 * connection it had already accepted, it echoed the probe sent after the misbehaviour (a target
 * that does not echo: it sent no alert for quiet_ms, as data it sends proves no order). */
static bool went_on(const observation *o) {
  if (!o->step_accepted)
    return o->accepted;
  return o->data_any ? o->quiet_passed : o->data_len > o->step_data;
}

/* The scripted endpoint gave up before the target said anything decisive: the step cannot be
 * judged, whatever the target does next (its own authentication failure, a message it cannot
 * process). */
static judgement endpoint_first(const observation *o, outcome *out, char *got, size_t cap) {
  /* Except record_overflow: the endpoint reads the target's records under the limits of RFC
   * 8446 5.1/5.2 and the record_size_limit it advertised (RFC 8449 4), whatever its script;
   * a record over them is the target's error, not a reason the step cannot be judged: it went
   * on as if the limit were not there (observed: accepted). */
  if (o->alert_sent == TG_ALERT_record_overflow) {
    snprintf(got, cap, "the target sent a record over the limit (%.150s)",
             o->endpoint_error ? o->endpoint_error : "?");
    return set(out, B_ACCEPTED, -1, J_FAIL);
  }
  snprintf(got, cap, "the scripted endpoint gave up first (%.150s, alert %s)",
           o->endpoint_error ? o->endpoint_error : "?", alert_str(o->alert_sent));
  return set(out, B_NONE, -1, J_INCONCLUSIVE);
}

/* How the connection ended, if it did: the target's alert, or a close. */
static bool target_ended(const observation *o, outcome *out, char *got, size_t cap) {
  if (o->alert_received >= 0) {
    snprintf(got, cap, "alert %s", alert_str(o->alert_received));
    set(out, B_ALERT, o->alert_received, J_WAIT);
    return true;
  }
  if (o->eof || o->close_notify) {
    snprintf(got, cap, "%s", o->close_notify ? "close_notify" : "connection closed");
    set(out, B_CLOSE, -1, J_WAIT);
    return true;
  }
  return false;
}

/* expect: alert. Another alert, or a close without one, is lenient; going on is a failure. */
static judgement judge_alert(const sc_step *st, const observation *o, outcome *out, char *got,
                             size_t cap) {
  if (o->alert_received >= 0) {
    snprintf(got, cap, "alert %s", alert_str(o->alert_received));
    return set(out, B_ALERT, o->alert_received,
               alert_listed(st, o->alert_received) ? J_OK : J_LENIENT);
  }
  if (o->raw_hello_answered) {
    snprintf(got, cap,
             "the target answered the ClientHello with a handshake record: it accepted it");
    return set(out, B_ACCEPTED, -1, J_FAIL);
  }
  if (o->alert_sent < 0 && went_on(o)) {
    snprintf(got, cap,
             !o->step_accepted ? "the handshake completed: the target accepted it"
             : o->data_any     ? "the target went on (no alert, and it kept the connection open)"
                               : "the target went on (it echoed the probe)");
    return set(out, B_ACCEPTED, -1, J_FAIL);
  }
  if (o->alert_sent == TG_ALERT_bad_record_mac) {
    /* The endpoint could not read what the target sent: after the misbehaviour (a corrupted key
     * share) the two sides' keys differ, or the target wrote in the clear what the endpoint
     * expects protected (a warning alert; a fatal one the runner reads itself): the record may
     * well be the target's alert, and what it did cannot be judged. */
    snprintf(got, cap,
             "the target sent a record the scripted endpoint cannot read (%.120s): it may be "
             "the target's alert, under keys the endpoint does not share or in the clear",
             o->endpoint_error ? o->endpoint_error : "?");
    return set(out, B_NONE, -1, J_INCONCLUSIVE);
  }
  if (o->alert_sent >= 0) {
    /* The endpoint could not go on with what the target sent instead of an alert. */
    snprintf(got, cap, "the target went on; the scripted endpoint gave up (%.120s, alert %s)",
             o->endpoint_error ? o->endpoint_error : "?", alert_str(o->alert_sent));
    return set(out, B_ACCEPTED, -1, J_FAIL);
  }
  if (target_ended(o, out, got, cap))
    return set(out, B_CLOSE, -1, J_LENIENT);
  return J_WAIT;
}

/* expect: alert with level: warning. The warning must come, and the connection stay up: a fatal
 * alert (other than one `or_alert:` allows), a close, or going on without it is a failure. */
static judgement judge_warning(const sc_step *st, const observation *o, outcome *out, char *got,
                               size_t cap) {
  for (size_t i = 0; i < o->n_warnings; i++)
    if (alert_listed(st, o->warnings[i]))
      return set(out, B_ALERT, o->warnings[i], J_OK);
  if (o->alert_received >= 0) {
    for (size_t i = 0; i < st->n_or_alerts; i++)
      if (st->or_alerts[i] == o->alert_received) {
        snprintf(got, cap, "alert %s, which the RFC allows instead", alert_str(o->alert_received));
        return set(out, B_ALERT, o->alert_received, J_DONE);
      }
    snprintf(got, cap, "a fatal alert %s instead of the warning", alert_str(o->alert_received));
    return set(out, B_ALERT, o->alert_received, J_FAIL);
  }
  if (o->alert_sent >= 0 && o->endpoint_first)
    return endpoint_first(o, out, got, cap);
  if (o->alert_sent < 0 && went_on(o)) {
    snprintf(got, cap, "the target went on without the warning alert%s",
             o->n_warnings > 0 ? " (it sent another one)" : "");
    return set(out, B_ACCEPTED, -1, J_FAIL);
  }
  if (target_ended(o, out, got, cap)) {
    size_t n = strlen(got);
    snprintf(got + n, cap - n, " without the warning alert");
    return set(out, B_CLOSE, -1, J_FAIL);
  }
  if (o->alert_sent >= 0)
    return endpoint_first(o, out, got, cap);
  return J_WAIT;
}

/* expect: close. The target must end the connection, and do nothing else before: no answer to
 * a raw ClientHello, no completed handshake, no application data. */
static judgement judge_close(const observation *o, outcome *out, char *got, size_t cap) {
  if (o->raw_hello_answered) {
    snprintf(got, cap,
             "the target answered the ClientHello with a handshake record: it accepted it");
    return set(out, B_ACCEPTED, -1, J_FAIL);
  }
  if (!o->data_any && o->data_len > o->step_data) { /* (non-echoed data proves no order) */
    snprintf(got, cap, "the target sent application data (%zu bytes) where it should have closed",
             o->data_len - o->step_data);
    return set(out, B_ACCEPTED, -1, J_FAIL);
  }
  if (!o->step_accepted && o->accepted) {
    snprintf(got, cap, "the handshake completed: the target accepted it");
    return set(out, B_ACCEPTED, -1, J_FAIL);
  }
  if (o->endpoint_first)
    return endpoint_first(o, out, got, cap);
  if (o->alert_received >= 0 || o->eof || o->close_notify)
    return o->alert_received >= 0 ? set(out, B_ALERT, o->alert_received, J_OK)
                                  : set(out, B_CLOSE, -1, J_OK);
  return J_WAIT;
}

/* A step that wants the target to go on and is not satisfied yet. */
static judgement judge_after(const sc_step *st, const observation *o, outcome *out, char *got,
                             size_t cap) {
  /* Its alert or close fails the step, unless the RFC allows that alert instead (or_alert), or
   * the endpoint had already given up (then nobody can say what the target would have done). */
  if (o->alert_received >= 0 && st->n_alerts > 0 && alert_listed(st, o->alert_received)) {
    snprintf(got, cap, "alert %s, which the RFC allows instead", alert_str(o->alert_received));
    return set(out, B_ALERT, o->alert_received, J_DONE);
  }
  if (o->alert_sent >= 0 && o->endpoint_first)
    return endpoint_first(o, out, got, cap);
  if (target_ended(o, out, got, cap) && o->renegotiation_refused) {
    size_t n = strlen(got);
    snprintf(got + n, cap - n,
             " after the scripted endpoint refused the renegotiation the target "
             "started (it cannot renegotiate; RFC 5246 7.2.2 lets the target "
             "end the connection then)");
    return set(out, B_NONE, -1, J_INCONCLUSIVE);
  }
  if (target_ended(o, out, got, cap))
    return J_FAIL;
  if (o->alert_sent >= 0)
    return endpoint_first(o, out, got, cap);
  return J_WAIT;
}

/* `expect: client_hello` `after: hello_retry_request`: the second ClientHello, each check the
 * step names holding. A failed check fails the step even when the scripted server then gave up
 * on that hello (it checks the cookie and the key share itself). */
static judgement judge_second_hello(const sc_step *st, const observation *o, outcome *out,
                                    char *got, size_t cap) {
  if (!o->second_hello)
    return judge_after(st, o, out, got, cap);
  for (unsigned i = 0; i < HC_COUNT; i++) {
    if ((st->hello_checks >> i & 1) && o->hello_problem != NULL && o->hello_problem[i][0]) {
      snprintf(got, cap, "second ClientHello (check %s): %s", hello_check_name(i),
               o->hello_problem[i]);
      return set(out, B_ACCEPTED, -1, J_FAIL);
    }
  }
  return set(out, B_ACCEPTED, -1, J_OK);
}

judgement verdict_judge_step(const sc_step *st, const observation *o, outcome *out, char *got,
                             size_t cap) {
  *out = (outcome){B_NONE, -1};
  switch (st->expect) {
  case SC_EXPECT_ALERT:
    return st->alert_level == TG_ALERT_LEVEL_warning ? judge_warning(st, o, out, got, cap)
                                                     : judge_alert(st, o, out, got, cap);
  case SC_EXPECT_CLOSE: return judge_close(o, out, got, cap);
  case SC_EXPECT_ESTABLISHED:
    if (o->accepted)
      return set(out, B_ACCEPTED, -1, J_OK);
    break;
  case SC_EXPECT_MESSAGE:
    if (st->after_hrr)
      return judge_second_hello(st, o, out, got, cap);
    if (o->seen[st->expect_msg])
      return set(out, B_ACCEPTED, -1, J_OK);
    break;
  case SC_EXPECT_DATA:
    /* (memmem wants pointers even for zero lengths: an empty expectation holds at once.) */
    if (st->expect_data.len == 0 || (o->data_any && o->data_len > o->step_data) ||
        (o->data_len >= st->expect_data.len && o->data != NULL &&
         memmem(o->data, o->data_len, st->expect_data.p, st->expect_data.len) != NULL))
      return set(out, B_ACCEPTED, -1, J_OK);
    break;
  }
  return judge_after(st, o, out, got, cap);
}

/* ---- A whole run ------------------------------------------------------------------------------
 */

severity verdict_severity(verdict raw, const outcome *observed) {
  if (raw != V_LENIENT && raw != V_FAIL)
    return SEV_NONE;
  switch (observed->b) {
  case B_ACCEPTED: return SEV_ACCEPTED_BAD;
  case B_ALERT: return raw == V_LENIENT ? SEV_WRONG_ALERT : SEV_REJECTED_VALID;
  case B_CLOSE: return raw == V_LENIENT ? SEV_SILENT_CLOSE : SEV_REJECTED_VALID;
  default: return SEV_NONE;
  }
}

static void set_got(run_result *out, const char *fmt, const char *a) {
  snprintf(out->got, sizeof out->got, fmt, a ? a : "?");
}

void verdict_decide(const run_facts *f, run_result *out) {
  out->raw = f->script;
  out->observed = f->observed;
  if (f->peer_crashed) {
    out->raw = V_CRASH;
    set_got(out, "%s", f->peer_why);
  } else if (f->peer_unsupported) {
    out->raw = V_SKIP;
    set_got(out, "%s", f->peer_why);
  } else if (f->target_skip) {
    out->raw = V_SKIP;
  } else if (f->script == V_TIMEOUT) {
    out->observed = (outcome){B_TIMEOUT, -1};
  } else if (f->unfired != NULL) {
    out->raw = V_INCONCLUSIVE;
    set_got(out, "the scenario did not happen as written: %.200s never fired", f->unfired);
  } else if (f->peer_usage) {
    out->raw = V_INCONCLUSIVE;
    set_got(out, "%s: the adapter refused the runner's options (see the transcript)", f->peer_why);
  }
  if (out->raw == V_INCONCLUSIVE || out->raw == V_SKIP || out->raw == V_CRASH)
    out->observed = (outcome){B_NONE, -1};
  out->target_skip = f->target_skip;
  out->sev = verdict_severity(out->raw, &out->observed);
  /* What the target did where the script ended (hunt's signature). */
  out->did = (outcome){B_NONE, -1};
  out->did_step = 0;
  if (out->raw == V_LENIENT || out->raw == V_FAIL || out->raw == V_TIMEOUT) {
    out->did = out->observed;
    out->did_step = f->decided_step;
  } else if (out->raw == V_PASS) {
    out->did = f->held;
    out->did_step = f->held_step;
  }
  if (f->cross_check != NULL)
    snprintf(out->note, sizeof out->note, "%s", f->cross_check);
}

/* ---- The baseline's say --------------------------------------------------------------------- */

static bool expected_without_entry(const run_result *r, bool lenient_ok) {
  switch (r->raw) {
  case V_PASS: return true;
  case V_SKIP: return r->target_skip; /* an adapter that starts skipping must show */
  case V_LENIENT: return lenient_ok;
  default: return false;
  }
}

void baseline_apply(baseline_entry *e, run_result *r, bool lenient_ok) {
  r->reported = r->raw;
  r->baseline_reason = NULL;
  if (r->target_skip) { /* not played (the target's role or profile, or nothing to replay) */
    r->unexpected = false;
    return;
  }
  if (e == NULL) {
    r->unexpected = !expected_without_entry(r, lenient_ok);
    return;
  }
  e->used = true;
  r->baseline_reason = e->reason;
  bool same_behaviour = e->observed.b == B_NONE || outcome_equal(&e->observed, &r->observed);
  if (r->raw == e->v && same_behaviour) {
    r->reported = V_XFAIL;
    r->unexpected = false;
    return;
  }
  r->unexpected = true;
  if (r->raw == V_PASS) {
    r->reported = V_XPASS;
  } else if (r->raw == e->v && r->note[0] == '\0') {
    char want[64], got[64];
    behaviour_format(&e->observed, want, sizeof want);
    behaviour_format(&r->observed, got, sizeof got);
    snprintf(r->note, sizeof r->note, "the baseline records %s, this run saw %s", want, got);
  }
}

void run_result_free(run_result *r) {
  if (r == NULL)
    return;
  free(r->transcript);
  r->transcript = NULL;
}
