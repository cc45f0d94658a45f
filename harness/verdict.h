/* How a verdict is reached: the one place that decides (docs/scenarios.md "Verdicts").
 *
 * The runner plays a scenario and observes; it never decides. It hands this module snapshots
 * of what it saw (an observation) while an expect step waits, and at the end of the run the facts
 * of the whole run (which step decided and how, which deviations never fired, what the adapter
 * reported). This module turns them into the raw verdict, the observed behaviour and its
 * severity, and, against a baseline, into the reported verdict (xfail, xpass) and whether the
 * result is unexpected. */
#ifndef TG_HARNESS_VERDICT_H
#define TG_HARNESS_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "scenario.h"

/* ---- One expect step ------------------------------------------------------------------------ */

typedef enum judgement {
  J_WAIT = 0,     /* not decided yet: read more */
  J_OK,           /* the step holds */
  J_LENIENT,      /* rejected as required, but with another alert or none */
  J_FAIL,         /* the target did what the step forbids */
  J_INCONCLUSIVE, /* the step cannot be judged: the scripted side failed first */
  J_DONE,         /* the target ended with an alert the step allows instead (or_alert): the
                   * script ends, passed */
} judgement;

/* What the runner has seen of the connection when a step is judged. */
typedef struct observation {
  int alert_received;         /* the target's fatal alert, or -1 */
  int alert_sent;             /* the scripted endpoint's, or -1: it gave up */
  const char *endpoint_error; /* why it gave up */
  bool endpoint_first;        /* it gave up before the target alerted or closed */
  /* The target asked to renegotiate (TLS 1.2) and the endpoint, which cannot, refused: what the
   * target does next is its answer to our refusal (RFC 5246 7.2.2 lets it end the connection). */
  bool renegotiation_refused;
  bool eof;           /* the transport ended */
  bool close_notify;  /* the target sent close_notify */
  bool accepted;      /* the target accepted the handshake (see runner.c) */
  bool step_accepted; /* ... already when the step began */
  /* The ClientHello was made of raw send steps (the engine sent none) and the target answered
   * with a handshake record: it accepted that ClientHello. */
  bool raw_hello_answered;
  const bool *seen;    /* [257]: handshake messages received; [256] a HelloRetryRequest */
  const uint8_t *data; /* application data received so far */
  size_t data_len;
  size_t step_data; /* data_len when the step began */
  /* The alerts that left the connection up (TLS 1.2 warnings, user_canceled) received since
   * the step began, in order. */
  const uint8_t *warnings;
  size_t n_warnings;
  /* The target does not echo (an HTTP server, one that speaks first): any application data
   * that arrives during an `expect: data` step holds it; its bytes are not compared. */
  bool data_any;
  /* A target that does not echo, on a connection it had accepted: no alert, close or data for
   * its profile's quiet_ms since the step began (it took what the step sent). */
  bool quiet_passed;
  /* A target client's second ClientHello arrived (after the endpoint's HelloRetryRequest), and
   * what is wrong with it by check (harness/hello_check.h; "" where the check holds). */
  bool second_hello;
  const char (*hello_problem)[256];
} observation;

/* Judges step st on o; on anything but J_WAIT and J_OK, got says what happened. *out is what the
 * target did, whatever the judgement (B_NONE for J_WAIT and J_INCONCLUSIVE): an `expect:
 * established`, MESSAGE or data step that holds is B_ACCEPTED, an alert or close step that holds
 * the alert or the close. */
judgement verdict_judge_step(const sc_step *st, const observation *o, outcome *out, char *got,
                             size_t cap);

/* ---- A whole run ------------------------------------------------------------------------------
 */

/* What the runner knows at the end of a run. */
typedef struct run_facts {
  verdict script;      /* pass, lenient, fail, timeout, inconclusive: from the steps */
  outcome observed;    /* what the target did at the deciding (or first lenient) step */
  unsigned decided_step; /* that step (1-based), 0 when none */
  outcome held;          /* what the target did at the last expect step that held, and where */
  unsigned held_step;
  bool target_skip;    /* a live target cannot play the scenario: its role, or its profile */
  const char *unfired; /* the deviations or send steps that never happened, or NULL */
  /* The adapter's exit and its outcome line. */
  bool peer_crashed, peer_unsupported, peer_usage;
  const char *peer_why;
  /* The outcome line against the wire: disagreements, or NULL. */
  const char *cross_check;
} run_facts;

/* Sets out->raw, out->observed, out->severity and out->got/note from the facts (out->expected
 * and out->got already hold the deciding step's text). */
void verdict_decide(const run_facts *f, run_result *out);

/* The severity of a lenient or fail result by what it observed: accepted bad input > rejected
 * valid input > wrong alert > silent close; SEV_NONE for the other verdicts. */
severity verdict_severity(verdict raw, const outcome *observed);

#endif
