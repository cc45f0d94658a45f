/* One run: the scripted endpoint plays the scenario's script against the target and the runner
 * observes; verdict.c judges each expect step on the observations and decides the run's verdict
 * (docs/scenarios.md "Verdicts").
 *
 * The endpoint is fed the target's bytes one record at a time, and every expect step is judged
 * after each record, so that a step sees the connection as it was when the record arrived (an
 * injected alert after the ServerHello goes out before the client's Finished would).
 *
 * What the runner records for the verdict beyond the connection's state: which deviations and
 * send steps actually happened (a scenario whose misbehaviour never went on the wire proves
 * nothing), whether the endpoint gave up before the target ended the connection, and, when raw
 * send steps make up the ClientHello, the target's answer read off the wire (the engine then
 * sends no ClientHello of its own). */
#define _GNU_SOURCE /* memmem, accept4, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hello_check.h"
#include "runner_internal.h"
#include "tg/names.h"
#include "tg/record.h"
#include "verdict.h"

#define PROBE "tlsgauntlet-probe\n"
#define PROBE_LEN (sizeof PROBE - 1)
#define HTTP_GET "GET / HTTP/1.0\r\n\r\n" /* what an http target gets for the script's data */
#define CMD_START_MS 15000        /* how long a command target may take to listen or connect */
#define IN_MAX (5 + 18432 + 1024) /* one record and then some */

/* The run's state. devs comes first: the hooks' ctx is the deviation set, and the received
 * observer finds the run from it. */
typedef struct run_state {
  tg_deviation_set devs;
  tg_hooks hooks;
  const sc_scenario *s;
  endpoint ep;
  tg_conn *conn;
  bool is_server; /* the scripted endpoint is the server (the target a client) */
  int fd;
  capture *cap;
  peer_proc peer;
  strbuf log;
  int64_t deadline;
  /* What has happened. */
  uint8_t in[IN_MAX];
  size_t in_len;
  bool adapter; /* the target is a tg-peer-NAME adapter (else a command or a live target) */
  bool eof, started, probed, write_failed;
  /* The endpoint gave up (sent its alert) before the target alerted or closed. */
  bool endpoint_first, target_ended;
  /* Raw send steps make up the ClientHello: the engine stays silent and the runner reads the
   * target's answer off the wire (a handshake record, or an alert). */
  bool raw_hello, raw_hello_answered;
  int raw_alert;
  char unfired[200]; /* send steps the endpoint could not produce */
  /* Send steps written after a `send: MESSAGE` step go out once the endpoint has produced (or,
   * with skip, left out) MESSAGE: steps [pending, pending_end) wait for wait_msg. */
  bool handled[256];
  int wait_msg;
  size_t pending, pending_end;
  /* At the start of the current expect step: the handshake was accepted, and how much data had
   * come back (an alert step on an established connection probes again). */
  bool step_accepted, step_probed;
  size_t step_data;
  /* The alerts the target sent that left the connection up (TLS 1.2 warnings, user_canceled),
   * in order; step_warnings of them came before the current expect step. */
  uint8_t warnings[32];
  size_t n_warnings, step_warnings;
  unsigned warnings_read; /* the engine's count of them, as last seen */
  bool seen[257]; /* handshake messages received; [256] a HelloRetryRequest */
  uint8_t data[4096];
  size_t data_len;
  const run_env *env;
  const target_profile *profile; /* a live or command target's, or NULL */
  tp_after after;                /* what the target does after the handshake (echo: adapters) */
  int timeout_ms;                /* the run's deadline, from its start */
  int64_t established_at;        /* when the endpoint saw the handshake complete, or 0 */
  int64_t step_at;               /* when the current expect step began */
  bool record;                   /* --record-transcripts */
  strbuf to_server, to_client;   /* what each side received */
  bool lenient;
  char why_lenient[256], lenient_expected[256]; /* the first lenient step's */
  outcome lenient_observed, observed;
  /* hunt's signature (run_result.did): the step being judged, the last one that held and what the
   * target did there, and the step that decided (fail, timeout) or was the first lenient one */
  unsigned step_no, ok_step, decided_step, lenient_step;
  outcome ok_did;
  hello_watch hello; /* a target client's second ClientHello (hello_check.h) */
  /* `resume:`: the session of the first connection (runner_resume.c), or NULL. decided: the
   * first connection already decided the verdict (the script was not played). */
  resume_state *res;
  bool decided;
} run_state;

/* ---- Observing ---------------------------------------------------------------------------- */

static void on_received(void *ctx, tg_conn *c, const tg_handshake *m) {
  run_state *rs = ctx; /* devs is the first member */
  (void)c;
  bool hrr = m->msg_type == TG_HS_server_hello && m->u.server_hello.is_hrr;
  rs->seen[hrr ? SC_MSG_HELLO_RETRY_REQUEST : m->msg_type] = true;
  if (rs->is_server)
    hello_watch_received(&rs->hello, m);
  const char *name = hrr ? "hello_retry_request" : tg_hs_type_name(m->msg_type);
  sb_printf(&rs->log, "<- %s\n", name ? name : "unknown handshake message");
}

/* The deviations' message hook, then a note that the endpoint has reached that message. */
static tg_hook_action on_message(void *ctx, tg_conn *c, tg_handshake *m) {
  run_state *rs = ctx; /* devs is the first member */
  tg_hook_action a = rs->devs.hooks.message(&rs->devs, c, m);
  rs->handled[m->msg_type] = true;
  if (a == TG_HOOK_SEND)
    hello_watch_sent(&rs->hello, m); /* the HelloRetryRequest as edited */
  return a;
}

/* `resume: {binder: corrupt}`: the deviations' byte hook, then the ClientHello's last byte (the
 * end of its one binder, pre_shared_key being the last extension) flipped. The PSK stays right,
 * so a server that lets the binder through resumes under keys the endpoint shares. */
static void on_message_bytes(void *ctx, tg_conn *c, uint8_t msg_type, tg_writer *w) {
  run_state *rs = ctx; /* devs is the first member */
  if (rs->devs.hooks.message_bytes != NULL)
    rs->devs.hooks.message_bytes(&rs->devs, c, msg_type, w);
  if (msg_type == TG_HS_client_hello && w->len > 0) {
    w->buf[w->len - 1] ^= 0x01;
    sb_printf(&rs->log, "   (the binder's last byte flipped)\n");
  }
}

static const struct tg_conn_info *info(const run_state *rs) { return tg_conn_info(rs->conn); }

static bool echoes(const run_state *rs) {
  return rs->after == TP_ECHO || rs->after == TP_ECHO_LINES;
}

/* A TLS 1.3 client target's Finished comes last: once the endpoint has verified it, the client
 * has accepted the server's flight. In a TLS 1.2 full handshake the server's Finished comes last,
 * and only the probe's echo shows the client accepted it. */
static bool client_finished_last(const run_state *rs) {
  return rs->is_server && info(rs)->version == TG_VERSION_TLS13;
}

/* The target accepted the handshake: a client target sent a Finished the endpoint verified; a
 * server target, after the endpoint's Finished, echoed the probe rather than alerting. (Not a
 * NewSessionTicket: RFC 8446 §4.6.1 lets a server send one right after its own Finished, before
 * it has seen the client's.) */
static bool accepted(const run_state *rs) {
  const struct tg_conn_info *i = info(rs);
  bool done = i->phase == TG_PHASE_ESTABLISHED || (i->phase == TG_PHASE_CLOSED && i->version);
  if (!done)
    return false;
  if (client_finished_last(rs) || rs->data_len > 0)
    return true;
  /* A target that does not echo (it answers no probe: an HTTP server answers one request, then
   * closes): without an alert, a clean close, a TLS 1.2 server's Finished (it follows ours: the
   * server verified it), a TLS 1.3 server's NewSessionTicket (sent after our Finished by the
   * servers these modes are for), or no alert for quiet_ms after the handshake (docs/targets.md:
   * an alert for our Finished comes at once on loopback). */
  if (echoes(rs))
    return false;
  bool server_done =
      !rs->is_server && (i->version == TG_VERSION_TLS12 || rs->seen[TG_HS_new_session_ticket]);
  return i->alert_received < 0 && (i->peer_closed || server_done ||
                                   (rs->established_at > 0 &&
                                    runner_now_ms() - rs->established_at >= rs->profile->quiet_ms));
}

static const char *alert_str(int a) {
  const char *n = tg_alert_name((unsigned)a);
  return n ? n : "unknown";
}

static void describe_expected(const sc_step *st, char *out, size_t cap) {
  size_t n = 0;
  switch (st->expect) {
  case SC_EXPECT_ALERT:
    n = (size_t)snprintf(out, cap,
                         st->alert_level == TG_ALERT_LEVEL_warning ? "warning alert" : "alert");
    for (size_t i = 0; i < st->n_alerts && n < cap; i++)
      n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " or " : " ", alert_str(st->alerts[i]));
    break;
  case SC_EXPECT_CLOSE: snprintf(out, cap, "close"); break;
  case SC_EXPECT_ESTABLISHED: snprintf(out, cap, "established"); break;
  case SC_EXPECT_MESSAGE: {
    const char *name = st->expect_msg == SC_MSG_HELLO_RETRY_REQUEST
                           ? "hello_retry_request"
                           : tg_hs_type_name((unsigned)st->expect_msg);
    snprintf(out, cap, "%s", name ? name : "a handshake message");
    break;
  }
  case SC_EXPECT_DATA: snprintf(out, cap, "data (%zu bytes)", st->expect_data.len); break;
  }
}

/* Who ended first: the endpoint's alert before the target's alert or close means the endpoint
 * gave up first. Called after every record fed and every step sent. */
static void note_order(run_state *rs) {
  const struct tg_conn_info *i = info(rs);
  if (i->phase == TG_PHASE_ESTABLISHED && rs->established_at == 0)
    rs->established_at = runner_now_ms();
  if (i->alert_sent >= 0 && !rs->target_ended)
    rs->endpoint_first = true;
  if (i->alert_received >= 0 || rs->raw_alert >= 0 || rs->eof || i->peer_closed)
    rs->target_ended = true;
}

/* A fatal alert the target sent in the clear where the endpoint expected protected records (a
 * client that rejects the ServerHello has no handshake keys yet): the endpoint cannot read it,
 * but it is the target's alert, and it came before the endpoint gave up. */
static void clear_alert(run_state *rs, size_t len) {
  if (len == 7 && rs->in[0] == TG_CT_alert)
    sb_printf(&rs->log, "   (in the clear: alert level %u, %s)\n", rs->in[5], alert_str(rs->in[6]));
  if (rs->in[0] != TG_CT_alert || len != 7 || rs->in[5] != TG_ALERT_LEVEL_fatal ||
      rs->raw_alert >= 0)
    return;
  rs->raw_alert = rs->in[6];
  rs->target_ended = true;
  sb_printf(&rs->log, "<- alert %s (in the clear)\n", alert_str(rs->raw_alert));
}

/* The target's alert: the one the endpoint read, or one in the clear it could not read. */
static int target_alert(const run_state *rs) {
  int read = info(rs)->alert_received;
  return rs->raw_hello || read < 0 ? rs->raw_alert : read;
}

static void observe(const run_state *rs, observation *o) {
  const struct tg_conn_info *i = info(rs);
  *o = (observation){
      .alert_received = target_alert(rs),
      .alert_sent = i->alert_sent,
      .endpoint_error = i->err.what,
      .endpoint_first = rs->endpoint_first,
      .renegotiation_refused = i->renegotiation_refused,
      .eof = rs->eof,
      .close_notify = i->peer_closed,
      .accepted = accepted(rs),
      .step_accepted = rs->step_accepted,
      .raw_hello_answered = rs->raw_hello_answered,
      .seen = rs->seen,
      .data = rs->data,
      .data_len = rs->data_len,
      .step_data = rs->step_data,
      .warnings = rs->warnings + rs->step_warnings,
      .n_warnings = rs->n_warnings - rs->step_warnings,
      .data_any = !echoes(rs),
      .quiet_passed = !echoes(rs) && rs->profile != NULL && rs->step_accepted && !rs->eof &&
                      runner_now_ms() - rs->step_at >= rs->profile->quiet_ms,
      .second_hello = rs->hello.second,
      .hello_problem = rs->hello.problem,
  };
}

static void run_pending(run_state *rs);

/* ---- Transcripts (--record-transcripts) ----------------------------------------------------
 * The bytes each side received, as seeds for fuzz_server (what the server received) and
 * fuzz_client (what the client received): a first byte of 0 (the targets' split point and
 * option byte), then the stream. */

#define TRANSCRIPT_MAX (256 * 1024)

static void record_transcript(run_state *rs, bool from_client, const uint8_t *p, size_t n) {
  if (!rs->record)
    return;
  static const uint8_t zero = 0;
  strbuf *b = from_client ? &rs->to_server : &rs->to_client;
  if (b->len == 0)
    sb_append(b, &zero, 1);
  if (b->len + n <= TRANSCRIPT_MAX)
    sb_append(b, p, n);
}

static void write_transcript(const run_state *rs, const strbuf *b, const char *sub,
                             const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", rs->env->transcripts_dir, sub);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/%s/%s", rs->env->transcripts_dir, sub, name);
  FILE *f = b->len > 1 ? fopen(path, "wb") : NULL;
  if (f == NULL)
    return;
  fwrite(b->p, 1, b->len, f);
  fclose(f);
}

static void save_transcripts(run_state *rs, const run_target *t) {
  if (!rs->record)
    return;
  char name[512];
  capture_safe_name(name, sizeof name, rs->s->id, t->name);
  write_transcript(rs, &rs->to_server, "fuzz_server", name);
  write_transcript(rs, &rs->to_client, "fuzz_client", name);
  sb_free(&rs->to_server);
  sb_free(&rs->to_client);
}

/* ---- Moving bytes ------------------------------------------------------------------------- */

static bool flush_out(run_state *rs) {
  tg_bytes out = tg_conn_output(rs->conn);
  size_t done = 0;
  while (done < out.len) {
    ssize_t n = send(rs->fd, out.p + done, out.len - done, MSG_NOSIGNAL);
    if (n > 0) {
      if (rs->cap != NULL)
        capture_data(rs->cap, !rs->is_server, out.p + done, (size_t)n);
      record_transcript(rs, !rs->is_server, out.p + done, (size_t)n);
      done += (size_t)n;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      struct pollfd p = {rs->fd, POLLOUT, 0};
      int left = (int)(rs->deadline - runner_now_ms());
      if (left <= 0 || poll(&p, 1, left) < 0)
        break;
      continue;
    }
    /* The target is gone (EPIPE, ECONNRESET): what is left cannot be sent. What it sent before
     * going (an alert) is still to be read: only the read side decides the end of stream. */
    if (!rs->write_failed)
      sb_printf(&rs->log, "-> cannot send: %s\n", strerror(errno));
    rs->write_failed = true;
    break;
  }
  tg_conn_output_consumed(rs->conn, out.len);
  if (done > 0)
    sb_printf(&rs->log, "-> %zu bytes\n", done);
  return done == out.len;
}

/* The target's answer to a ClientHello made of raw send steps, read off the wire (the engine
 * never started, so it cannot read it): a handshake record means the target accepted the
 * ClientHello; a plaintext alert record is its alert. */
static void read_raw_answer(run_state *rs, size_t len) {
  uint8_t type = rs->in[0];
  if (type == TG_CT_handshake && !rs->raw_hello_answered) {
    rs->raw_hello_answered = true;
    sb_printf(&rs->log, "<- a handshake record (%zu bytes): an answer to the ClientHello\n", len);
  } else if (type == TG_CT_alert && len >= 7 && rs->in[5] == TG_ALERT_LEVEL_fatal &&
             rs->raw_alert < 0) {
    rs->raw_alert = rs->in[6];
    sb_printf(&rs->log, "<- alert %s\n", alert_str(rs->raw_alert));
  } else {
    sb_printf(&rs->log, "<- a record of type %u (%zu bytes)\n", type, len);
  }
}

/* A warning alert the engine read from the record just fed (one alert per record). */
static void note_warning(run_state *rs) {
  const struct tg_conn_info *i = info(rs);
  if (i->warnings_received == rs->warnings_read)
    return;
  rs->warnings_read = i->warnings_received;
  sb_printf(&rs->log, "<- alert %s (level %s)\n", alert_str(i->warning_received),
            i->warning_level == TG_ALERT_LEVEL_warning ? "warning" : "fatal");
  if (rs->n_warnings < sizeof rs->warnings)
    rs->warnings[rs->n_warnings++] = (uint8_t)i->warning_received;
}

/* Feeds one complete record, if there is one; true when it did. */
static bool feed_one(run_state *rs) {
  if (rs->in_len < 5)
    return false;
  size_t len = 5 + ((size_t)rs->in[3] << 8 | rs->in[4]);
  /* A length beyond any record goes to the engine at once: it owes record_overflow. */
  if (len > IN_MAX)
    len = rs->in_len;
  if (rs->in_len < len)
    return false;
  if (rs->raw_hello) {
    read_raw_answer(rs, len);
  } else {
    const struct tg_conn_info *i = info(rs);
    int before = i->alert_received;
    if (i->phase != TG_PHASE_FAILED && tg_conn_feed(rs->conn, tg_bytes_of(rs->in, len)) != TG_OK &&
        info(rs)->alert_received < 0) {
      sb_printf(&rs->log, "   scripted endpoint: %s\n", info(rs)->err.what);
      clear_alert(rs, len);
    }
    if (info(rs)->alert_received >= 0 && before < 0)
      sb_printf(&rs->log, "<- alert %s\n", alert_str(info(rs)->alert_received));
    note_warning(rs);
  }
  memmove(rs->in, rs->in + len, rs->in_len - len);
  rs->in_len -= len;
  size_t n;
  while (rs->data_len < sizeof rs->data &&
         (n = tg_conn_read(rs->conn, rs->data + rs->data_len, sizeof rs->data - rs->data_len)) > 0)
    rs->data_len += n;
  run_pending(rs);
  flush_out(rs);
  note_order(rs);
  return true;
}

/* Waits for bytes (or the end) up to the deadline; false on the deadline. */
static bool wait_input(run_state *rs) {
  int left = (int)(rs->deadline - runner_now_ms());
  if (left <= 0)
    return false;
  struct pollfd p[3] = {
      {rs->fd, POLLIN, 0}, {rs->peer.out_fd, POLLIN, 0}, {rs->peer.err_fd, POLLIN, 0}};
  int r = poll(p, 3, left > 50 ? 50 : left);
  if (r < 0 && errno != EINTR)
    return false;
  peer_drain(&rs->peer);
  if (r > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
    ssize_t n = recv(rs->fd, rs->in + rs->in_len, sizeof rs->in - rs->in_len, 0);
    if (n > 0) {
      if (rs->cap != NULL)
        capture_data(rs->cap, rs->is_server, rs->in + rs->in_len, (size_t)n);
      record_transcript(rs, rs->is_server, rs->in + rs->in_len, (size_t)n);
      rs->in_len += (size_t)n;
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      if (!rs->eof)
        sb_printf(&rs->log, "<- end of stream\n");
      rs->eof = true;
    }
  }
  return true;
}

/* ---- Steps -------------------------------------------------------------------------------- */

static void start_client(run_state *rs) {
  if (rs->started || rs->is_server || rs->raw_hello)
    return;
  rs->started = true;
  sb_printf(&rs->log, "-> client_hello\n");
  if (tg_conn_start(rs->conn) != TG_OK)
    sb_printf(&rs->log, "   scripted endpoint: %s\n", info(rs)->err.what);
  run_pending(rs);
  flush_out(rs);
}

static tg_status send_step(run_state *rs, const sc_step *st) {
  tg_conn *c = rs->conn;
  bool prot = tg_conn_write_protected(c);
  unsigned times = st->repeat ? st->repeat : 1;
  tg_status r = TG_OK;
  for (unsigned k = 0; k < times && r == TG_OK; k++) {
    switch (st->send) {
    case SC_SEND_MESSAGE:
      if (st->msg_type == TG_HS_client_hello)
        start_client(rs);
      return TG_OK;
    case SC_SEND_APPLICATION_DATA: {
      /* An HTTP server answers a request, not the script's bytes: they become a GET. */
      tg_bytes d = rs->after == TP_HTTP && !rs->is_server
                       ? tg_bytes_of(HTTP_GET, sizeof HTTP_GET - 1)
                       : tg_bytes_of(st->data.p, st->data.len);
      bool established = info(rs)->phase == TG_PHASE_ESTABLISHED;
      r = established ? tg_conn_write(c, d)
                      : tg_conn_inject_record(c, TG_CT_application_data, 0, d, prot);
      /* A line-echoing target answers at the end of a line. */
      if (r == TG_OK && established && rs->after == TP_ECHO_LINES && k + 1 == times &&
          (d.len == 0 || d.p[d.len - 1] != '\n'))
        r = tg_conn_write(c, tg_bytes_of("\n", 1));
      break;
    }
    case SC_SEND_ALERT: {
      uint8_t a[2] = {st->alert_level, st->alert};
      r = tg_conn_inject_record(c, TG_CT_alert, 0, tg_bytes_of(a, 2), prot);
      break;
    }
    case SC_SEND_CHANGE_CIPHER_SPEC: {
      static const uint8_t one = 1;
      tg_bytes body = st->data.len ? tg_bytes_of(st->data.p, st->data.len) : tg_bytes_of(&one, 1);
      r = tg_conn_inject_record(c, TG_CT_change_cipher_spec, 0, body, false);
      break;
    }
    case SC_SEND_KEY_UPDATE: r = tg_conn_key_update(c, st->request_update); break;
    case SC_SEND_CLOSE_NOTIFY: r = tg_conn_close(c); break;
    case SC_SEND_RECORD:
      r = tg_conn_inject_record(c, st->record_type, st->record_version,
                                tg_bytes_of(st->data.p, st->data.len), st->protect && prot);
      break;
    case SC_SEND_RAW: r = tg_conn_inject_raw(c, tg_bytes_of(st->data.p, st->data.len)); break;
    case SC_SEND_SHUTDOWN:
      flush_out(rs);
      shutdown(rs->fd, SHUT_WR);
      sb_printf(&rs->log, "-> end of stream (shutdown)\n");
      return TG_OK;
    }
  }
  if (r != TG_OK)
    sb_printf(&rs->log, "   scripted endpoint could not send: %s\n", info(rs)->err.what);
  flush_out(rs);
  return r;
}

static const char *send_name(sc_send_kind k) {
  static const char *const names[] = {
      "message",    "application_data", "alert",  "change_cipher_spec",
      "key_update", "close_notify",     "record", "raw",
      "shutdown"};
  return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* Records a judgement that ends the script (fail, inconclusive) or the first lenient step. */
static void take(run_state *rs, judgement j, const outcome *o, const char *got, run_result *out) {
  if (j == J_OK || j == J_DONE) {
    rs->ok_did = *o;
    rs->ok_step = rs->step_no;
  } else if (j == J_FAIL || j == J_INCONCLUSIVE) {
    out->raw = j == J_FAIL ? V_FAIL : V_INCONCLUSIVE;
    rs->observed = *o;
    rs->decided_step = rs->step_no;
    snprintf(out->got, sizeof out->got, "%s", got);
  } else if (j == J_LENIENT && !rs->lenient) {
    rs->lenient = true;
    rs->lenient_observed = *o;
    rs->lenient_step = rs->step_no;
    snprintf(rs->why_lenient, sizeof rs->why_lenient, "%s", got);
    snprintf(rs->lenient_expected, sizeof rs->lenient_expected, "%s", out->expected);
  }
}

static judgement judge_now(run_state *rs, const sc_step *st, outcome *o, char *got, size_t cap) {
  observation ob;
  observe(rs, &ob);
  return verdict_judge_step(st, &ob, o, got, cap);
}

/* A server target that completed the handshake may say nothing more: the probe (echoed by the
 * adapters the runner starts) makes it answer, once after the handshake and once per alert
 * step on an established connection. */
static void maybe_probe(run_state *rs, const sc_step *st) {
  /* Only an echoing target answers the probe (an HTTP server answers the script's request). */
  if (!echoes(rs))
    return;
  bool handshake_probe = !rs->probed && !client_finished_last(rs) && st->expect != SC_EXPECT_DATA &&
                         st->expect != SC_EXPECT_MESSAGE;
  bool step_probe = rs->step_accepted && !rs->step_probed && st->expect == SC_EXPECT_ALERT;
  if ((handshake_probe || step_probe) && info(rs)->phase == TG_PHASE_ESTABLISHED) {
    rs->probed = rs->step_probed = true;
    if (tg_conn_write(rs->conn, tg_bytes_of(PROBE, PROBE_LEN)) == TG_OK)
      flush_out(rs);
  }
}

/* Runs one expect step to its judgement; out->raw/got are set when it ends the script. */
static judgement expect_step(run_state *rs, const sc_step *st, run_result *out) {
  char got[256] = "";
  outcome o;
  start_client(rs); /* a script may start with an expect */
  rs->step_accepted = accepted(rs);
  rs->step_data = rs->data_len;
  rs->step_warnings = rs->n_warnings;
  rs->step_at = runner_now_ms();
  rs->step_probed = false;
  for (;;) {
    judgement j = judge_now(rs, st, &o, got, sizeof got);
    if (j != J_WAIT) {
      take(rs, j, &o, got, out);
      return j;
    }
    maybe_probe(rs, st);
    if (feed_one(rs))
      continue;
    if (rs->eof) {
      if (judge_now(rs, st, &o, got, sizeof got) == J_WAIT) {
        o = (outcome){B_CLOSE, -1};
        take(rs, J_FAIL, &o, "connection closed", out);
        return J_FAIL;
      }
      continue;
    }
    if (!wait_input(rs)) {
      out->raw = V_TIMEOUT;
      rs->decided_step = rs->step_no;
      snprintf(out->got, sizeof out->got, "nothing more from the target within %d ms",
               rs->timeout_ms);
      return J_FAIL;
    }
  }
}

static void note_unfired(run_state *rs, size_t step, const sc_step *st) {
  size_t n = strlen(rs->unfired);
  snprintf(rs->unfired + n, sizeof rs->unfired - n, "%sstep %zu (send %s: %.60s)", n ? ", " : "",
           step, send_name(st->send), info(rs)->err.what);
}

static void send_one(run_state *rs, size_t i) {
  const sc_step *st = &rs->s->steps[i];
  if (send_step(rs, st) != TG_OK && st->send != SC_SEND_MESSAGE)
    note_unfired(rs, i + 1, st);
  note_order(rs);
}

/* The send steps that wait for a message, once the endpoint has handled it. */
static void run_pending(run_state *rs) {
  if (rs->wait_msg < 0 || !rs->handled[rs->wait_msg])
    return;
  size_t from = rs->pending, to = rs->pending_end;
  rs->wait_msg = -1;
  for (size_t i = from; i < to; i++) {
    sb_printf(&rs->log, "step %zu: send %s (after %s)\n", i + 1, send_name(rs->s->steps[i].send),
              tg_hs_type_name((unsigned)rs->s->steps[from - 1].msg_type));
    send_one(rs, i);
  }
}

/* Where a handshake-only target's run concludes: at the closing exchange of application data
 * (profile_check let through only scripts whose data steps are all there), n_steps if none. */
static size_t conclusion(const run_state *rs) {
  const sc_scenario *s = rs->s;
  if (rs->after != TP_HANDSHAKE_ONLY)
    return s->n_steps;
  size_t tail = profile_confirmation_tail(s);
  for (size_t i = tail; i < s->n_steps; i++)
    if (s->steps[i].kind == SC_STEP_EXPECT)
      return tail;
  return s->n_steps;
}

static void run_script(run_state *rs, run_result *out) {
  const sc_scenario *s = rs->s;
  size_t end = conclusion(rs);
  out->raw = V_PASS;
  for (size_t i = 0; i < s->n_steps; i++) {
    const sc_step *st = &s->steps[i];
    if (i == end) { /* the data exchange a handshake-only target cannot answer */
      static const sc_step established = {.kind = SC_STEP_EXPECT, .expect = SC_EXPECT_ESTABLISHED};
      sb_printf(&rs->log,
                "steps %zu-%zu: the target only does handshakes (its profile): the run "
                "concludes at the handshake\n",
                i + 1, s->n_steps);
      snprintf(out->expected, sizeof out->expected, "established (step %zu)", i + 1);
      rs->step_no = (unsigned)i + 1;
      judgement j = expect_step(rs, &established, out);
      if (j == J_FAIL || j == J_INCONCLUSIVE)
        return;
      break;
    }
    if (st->kind == SC_STEP_SEND) {
      sb_printf(&rs->log, "step %zu: send %s\n", i + 1,
                st->send == SC_SEND_MESSAGE ? tg_hs_type_name((unsigned)st->msg_type)
                                            : send_name(st->send));
      if (st->send == SC_SEND_MESSAGE && st->msg_type != TG_HS_client_hello &&
          !rs->handled[st->msg_type]) {
        if (rs->wait_msg >= 0 && rs->pending_end > rs->pending) /* still waiting: never sent */
          snprintf(rs->unfired + strlen(rs->unfired), sizeof rs->unfired - strlen(rs->unfired),
                   "%ssteps %zu-%zu", rs->unfired[0] ? ", " : "", rs->pending + 1, rs->pending_end);
        rs->wait_msg = st->msg_type; /* what follows waits for it */
        rs->pending = rs->pending_end = i + 1;
      } else if (rs->wait_msg >= 0 && rs->pending_end == i) {
        rs->pending_end = i + 1;
        sb_printf(&rs->log, "   (sent once the endpoint has sent %s)\n",
                  tg_hs_type_name((unsigned)rs->wait_msg));
      } else {
        send_one(rs, i);
      }
      continue;
    }
    char want[200];
    describe_expected(st, want, sizeof want);
    sb_printf(&rs->log, "step %zu: expect %s\n", i + 1, want);
    snprintf(out->expected, sizeof out->expected, "%s (step %zu)", want, i + 1);
    rs->step_no = (unsigned)i + 1;
    judgement j = expect_step(rs, st, out);
    if (j == J_FAIL || j == J_INCONCLUSIVE)
      return;
    if (j == J_DONE) { /* an alert the step allows instead: nothing more to play */
      sb_printf(&rs->log, "   the target ended the connection as the step allows\n");
      break;
    }
  }
  if (rs->lenient) {
    out->raw = V_LENIENT;
    rs->observed = rs->lenient_observed;
    rs->decided_step = rs->lenient_step;
    snprintf(out->got, sizeof out->got, "%s", rs->why_lenient);
    snprintf(out->expected, sizeof out->expected, "%s", rs->lenient_expected);
  } else if (s->n_steps > 0) {
    snprintf(out->got, sizeof out->got, "as expected");
  }
}

/* ---- Transports --------------------------------------------------------------------------- */

/* A live server target: one TCP connection. */
int runner_connect_tcp(const run_target *t, char *msg, size_t msglen) {
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
  int rc = getaddrinfo(t->host, t->port, &hints, &res);
  if (rc != 0) {
    snprintf(msg, msglen, "%s:%s: %s", t->host, t->port, gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      snprintf(msg, msglen, "connect %s:%s: %s", t->host, t->port, strerror(errno));
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  return fd;
}

/* A live client target: the next connection it makes to the runner's listening socket. */
int runner_accept_client(const run_target *t, int timeout_ms, char *msg, size_t msglen) {
  struct pollfd p = {t->listen_fd, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) {
    snprintf(msg, msglen, "no client connected to %s:%s within %d ms", t->host, t->port,
             timeout_ms);
    return -1;
  }
  int fd = accept4(t->listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0)
    snprintf(msg, msglen, "accept: %s", strerror(errno));
  return fd;
}

/* The endpoint's socket: a socketpair with a started adapter, or the live target's. */
static bool open_transport(run_state *rs, const run_target *t, const run_env *env, char *msg,
                           size_t msglen) {
  if (t->cmd != NULL) {
    /* Starting the program is not the scenario's time: it gets CMD_START_MS to listen (or
     * connect), and the run's deadline counts from then (a loaded machine starts slowly). */
    rs->fd =
        cmd_open(&rs->peer, t, rs->s, env, runner_now_ms() + CMD_START_MS, &rs->log, msg, msglen);
    rs->deadline = runner_now_ms() + rs->timeout_ms;
    return rs->fd >= 0;
  }
  rs->fd = runner_open_peer(&rs->peer, rs->s, t, env, rs->timeout_ms, &rs->log, msg, msglen);
  return rs->fd >= 0;
}

int runner_open_peer(peer_proc *p, const sc_scenario *s, const run_target *t, const run_env *env,
                     int timeout_ms, strbuf *log, char *msg, size_t cap) {
  if (t->peer_path == NULL)
    return t->role == SC_TARGET_SERVER ? runner_connect_tcp(t, msg, cap)
                                       : runner_accept_client(t, timeout_ms, msg, cap);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    snprintf(msg, cap, "socketpair: %s", strerror(errno));
    return -1;
  }
  peer_describe_args(log, s, t, env);
  bool ok = peer_start(p, s, t, env, sv[1], msg, cap);
  close(sv[1]);
  if (!ok) {
    close(sv[0]);
    return -1;
  }
  return sv[0];
}

/* ---- The run ------------------------------------------------------------------------------ */

static bool setup(run_state *rs, const run_target *t, const run_env *env, run_result *out) {
  const sc_scenario *s = rs->s;
  char msg[512] = "";
  if (!endpoint_init(&rs->ep, s, env, t->profile, msg, sizeof msg))
    goto fail;
  if (rs->res != NULL)
    resume_configure(rs->res, s, &rs->ep.cfg);
  tg_deviation_set_init(&rs->devs);
  for (size_t i = 0; i < s->n_deviations; i++) {
    tg_err err;
    tg_err_clear(&err);
    if (tg_deviation_set_add(&rs->devs, s->deviations[i], NULL, &err) != TG_OK) {
      snprintf(msg, sizeof msg, "deviation %s: %s", s->deviations[i], err.what);
      goto fail;
    }
  }
  tg_deviation_set_attach(&rs->devs, &rs->ep.cfg);
  rs->hooks = rs->devs.hooks;
  rs->hooks.received = on_received;
  rs->hooks.message = on_message;
  if (s->resume.on && s->resume.bad_binder)
    rs->hooks.message_bytes = on_message_bytes;
  rs->ep.cfg.hooks = &rs->hooks;
  if (rs->cap != NULL) {
    rs->ep.cfg.keylog = capture_keylog;
    rs->ep.cfg.keylog_ctx = rs->cap;
  }
  tg_err err;
  tg_err_clear(&err);
  rs->conn = tg_conn_new(&rs->ep.cfg, rs->is_server, &err);
  if (rs->conn == NULL) {
    snprintf(msg, sizeof msg, "the scripted endpoint's configuration: %s", err.what);
    goto fail;
  }
  return true;
fail:
  /* Our own configuration: nothing was played, so nothing is known of the target. */
  snprintf(out->expected, sizeof out->expected, "a scripted endpoint");
  snprintf(out->got, sizeof out->got, "%.*s", (int)sizeof out->got - 1, msg);
  out->raw = V_INCONCLUSIVE;
  return false;
}

/* A scenario that resumes: the first connection, which must yield a session. false when it
 * decided the run instead (no session: inconclusive; a command target: a skip; the adapter's
 * crash or exit 3). env2 gets the adapter's flags for the second connection. */
static bool first_connection(run_state *rs, const run_target *t, const run_env *env, run_env *env2,
                             run_result *out) {
  char why[256] = "";
  resume_status st = resume_first(rs->res, rs->s, t, env, env2, &rs->log, why, sizeof why);
  if (st == RESUME_READY)
    return true;
  const peer_report *pr = &rs->res->first;
  run_facts f = {.script = st == RESUME_NOT_PLAYED ? V_SKIP : V_INCONCLUSIVE,
                 .target_skip = st == RESUME_NOT_PLAYED,
                 .peer_crashed = pr->crashed,
                 .peer_unsupported = pr->unsupported,
                 .peer_usage = pr->usage,
                 .peer_why = pr->why};
  snprintf(out->expected, sizeof out->expected, "a session from a first connection");
  snprintf(out->got, sizeof out->got, "%s", why);
  verdict_decide(&f, out);
  sb_printf(&rs->log, "not played: %s\n", out->got);
  rs->decided = true;
  return false;
}

/* The deviations that never changed anything, and the send steps the endpoint could not
 * produce, into buf ("" when everything happened). */
static void list_unfired(const run_state *rs, char *buf, size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "%s", rs->unfired);
  if (rs->wait_msg >= 0 && rs->pending_end > rs->pending && n < cap)
    n += (size_t)snprintf(buf + n, cap - n, "%ssteps %zu-%zu (waiting for %s, never sent)",
                          n ? ", " : "", rs->pending + 1, rs->pending_end,
                          tg_hs_type_name((unsigned)rs->wait_msg));
  for (size_t i = 0; i < rs->devs.n && n < cap; i++)
    if (rs->devs.dev[i].hits == 0)
      n +=
          (size_t)snprintf(buf + n, cap - n, "%sdeviation %s", n ? ", " : "", rs->s->deviations[i]);
  /* hrr_cookie asks the scripted server for a HelloRetryRequest with the cookie; the engine
   * sends one only when the client's key shares need it, so a client that sent the right share
   * at once got none, and the scenario did not happen. */
  if (rs->s->endpoint.hrr_cookie.len > 0 && rs->s->target == SC_TARGET_CLIENT && n < cap &&
      rs->conn != NULL && !info(rs)->hello_retry)
    snprintf(buf + n, cap - n,
             "%sendpoint hrr_cookie (no HelloRetryRequest was sent: the client's key shares "
             "needed none)",
             n ? ", " : "");
}

/* The adapter's outcome line against what the runner saw on the wire. An adapter that reports
 * an alert the wire does not show (or another one) is misreporting, or the runner misread. */
static void cross_check(const run_state *rs, const peer_report *pr, char *buf, size_t cap) {
  const struct tg_conn_info *i = info(rs);
  int wire_from_target = target_alert(rs);
  size_t n = 0;
  buf[0] = '\0';
  if (!pr->have_json)
    return;
  if (wire_from_target >= 0 && pr->alert_sent != wire_from_target)
    n += (size_t)snprintf(buf + n, cap - n, "the adapter reports sending %s, the wire shows %s",
                          pr->alert_sent >= 0 ? alert_str(pr->alert_sent) : "no alert",
                          alert_str(wire_from_target));
  if (n < cap && i->alert_sent >= 0 && pr->alert_received >= 0 &&
      pr->alert_received != i->alert_sent)
    n += (size_t)snprintf(buf + n, cap - n,
                          "%sthe adapter reports receiving %s, the endpoint sent %s", n ? "; " : "",
                          alert_str(pr->alert_received), alert_str(i->alert_sent));
  if (n < cap && pr->established && wire_from_target >= 0)
    snprintf(buf + n, cap - n, "%sthe adapter reports an established connection after its alert",
             n ? "; " : "");
}

/* The facts of the run for verdict_decide: the script's result, what never happened, the
 * adapter's exit and its outcome line. */
static void decide(run_state *rs, bool played, run_result *out) {
  peer_report pr;
  peer_report_read(&rs->peer, &pr);
  if (!rs->adapter) /* a command is no adapter: no outcome line, its exit status is its own */
    pr.have_json = pr.unsupported = pr.usage = false;
  if (rs->peer.killed)
    sb_printf(&rs->log, "peer: did not exit; its process group was killed\n");
  if (rs->peer.out.len)
    sb_printf(&rs->log, "peer stdout: %s%s", rs->peer.out.p,
              rs->peer.out.p[rs->peer.out.len - 1] == '\n' ? "" : "\n");
  if (rs->peer.err.len)
    sb_printf(&rs->log, "peer stderr:\n%s%s", rs->peer.err.p,
              rs->peer.err.p[rs->peer.err.len - 1] == '\n' ? "" : "\n");
  char unfired[512] = "", check[256] = "";
  if (played) {
    list_unfired(rs, unfired, sizeof unfired);
    cross_check(rs, &pr, check, sizeof check);
  }
  run_facts f = {.script = out->raw,
                 .observed = rs->observed,
                 .decided_step = rs->decided_step,
                 .held = rs->ok_did,
                 .held_step = rs->ok_step,
                 .unfired = unfired[0] ? unfired : NULL,
                 .peer_crashed = pr.crashed,
                 .peer_unsupported = pr.unsupported,
                 .peer_usage = pr.usage,
                 .peer_why = pr.why,
                 .cross_check = check[0] ? check : NULL};
  verdict_decide(&f, out);
  if (pr.have_json) {
    snprintf(out->library, sizeof out->library, "%s", pr.library);
    snprintf(out->library_version, sizeof out->library_version, "%s", pr.library_version);
  }
  if (out->note[0])
    sb_printf(&rs->log, "note: %s\n", out->note);
}

/* Raw send steps make up the ClientHello when a scripted client has no client_hello step and
 * sends records or raw bytes before its first expect step. */
static bool raw_client_hello(const sc_scenario *s) {
  if (s->target != SC_TARGET_SERVER)
    return false;
  bool raw = false;
  for (size_t i = 0; i < s->n_steps; i++) {
    const sc_step *st = &s->steps[i];
    if (st->kind == SC_STEP_SEND && st->send == SC_SEND_MESSAGE &&
        st->msg_type == TG_HS_client_hello)
      return false;
    if (st->kind == SC_STEP_EXPECT && !raw)
      return false;
    raw |= st->kind == SC_STEP_SEND && (st->send == SC_SEND_RECORD || st->send == SC_SEND_RAW);
  }
  return raw;
}

static void open_capture(run_state *rs, const run_target *t, const run_env *env) {
  if (env->capture_dir == NULL)
    return;
  char name[512], msg[256];
  capture_safe_name(name, sizeof name, rs->s->id, t->name);
  rs->cap = capture_open(env->capture_dir, name, msg, sizeof msg);
  if (rs->cap == NULL)
    sb_printf(&rs->log, "capture: %s\n", msg);
}

/* The protocol version a target must speak to play a scenario (docs/scenarios.md): the scripted
 * endpoint's minimum (the engine reads none as its maximum, TLS 1.3 by default), or the target's
 * own minimum or maximum if the scenario sets one higher (a maximum the scenario sets is a version
 * the target must speak). A scenario that sends its ClientHello as raw bytes counts the same: its
 * endpoint's versions say which protocol the bytes were written for. */
static uint16_t needed_version(const sc_scenario *s) {
  const sc_endpoint *ep = &s->endpoint;
  const sc_target_opts *o = &s->target_opts;
  uint16_t hi = ep->max_version ? ep->max_version : TG_VERSION_TLS13;
  uint16_t need = ep->min_version ? ep->min_version : hi;
  if (o->min_version > need)
    need = o->min_version;
  if (o->max_version > need)
    need = o->max_version;
  return need;
}

void runner_run(const sc_scenario *s, const run_target *t, const run_env *env, run_result *out) {
  int64_t t0 = runner_now_ms();
  run_state *rs = calloc(1, sizeof *rs);
  *out = (run_result){.scenario = s, .implementation = t->name, .raw = V_FAIL};
  if (rs == NULL) {
    snprintf(out->got, sizeof out->got, "out of memory");
    return;
  }
  rs->s = s;
  rs->env = env;
  rs->record = env->transcripts_dir != NULL;
  rs->fd = -1;
  rs->is_server = s->target == SC_TARGET_CLIENT;
  rs->profile = t->profile;
  rs->after = t->profile != NULL ? t->profile->after : TP_ECHO;
  rs->timeout_ms = t->timeout_ms > 0 ? t->timeout_ms : s->timeout_ms;
  rs->deadline = t0 + rs->timeout_ms;
  rs->peer = (peer_proc){.in_fd = -1, .out_fd = -1, .err_fd = -1};
  rs->adapter = t->peer_path != NULL;
  rs->raw_hello = raw_client_hello(s);
  rs->raw_alert = -1;
  rs->wait_msg = -1;
  sb_printf(&rs->log, "scenario %s (%s) against %s\n", s->id, s->rfc, t->name);
  if (rs->raw_hello)
    sb_printf(&rs->log, "the ClientHello is made of the script's raw send steps\n");
  uint16_t needs = needed_version(s);
  if (t->peer_path == NULL && t->role != s->target) {
    run_facts f = {.script = V_SKIP, .target_skip = true};
    verdict_decide(&f, out);
    snprintf(out->got, sizeof out->got, "the scenario needs a %s target",
             s->target == SC_TARGET_SERVER ? "server" : "client");
  } else if (t->peer_path != NULL && t->max_version != 0 && needs > t->max_version) {
    run_facts f = {.script = V_SKIP, .target_skip = true};
    verdict_decide(&f, out);
    snprintf(out->got, sizeof out->got,
             "not played: the scenario needs %s, and the adapter's --info lists nothing above %s",
             tg_version_name(needs), tg_version_name(t->max_version));
    sb_printf(&rs->log, "%s\n", out->got);
  } else {
    open_capture(rs, t, env);
    char msg[512] = "";
    run_env env2 = *env; /* the adapter's session flags when the scenario resumes */
    if (s->resume.on && (rs->res = calloc(1, sizeof *rs->res)) == NULL) {
      snprintf(out->got, sizeof out->got, "out of memory");
    } else if (setup(rs, t, env, out)) {
      if (t->profile != NULL && !profile_check(t->profile, s, &rs->ep.cfg, msg, sizeof msg)) {
        run_facts f = {.script = V_SKIP, .target_skip = true};
        verdict_decide(&f, out);
        snprintf(out->got, sizeof out->got, "%.*s", (int)sizeof out->got - 1, msg);
        sb_printf(&rs->log, "not played: %s (the profile %s)\n", msg, t->profile->file);
      } else if (rs->res != NULL && !first_connection(rs, t, env, &env2, out)) {
        /* decided: the script is not played */
      } else if (open_transport(rs, t, &env2, msg, sizeof msg)) {
        fcntl(rs->fd, F_SETFL, O_NONBLOCK);
        run_script(rs, out);
        if (rs->res != NULL && (out->raw == V_PASS || out->raw == V_LENIENT) &&
            !resume_check(s, rs->conn, out->got, sizeof out->got)) {
          out->raw = V_FAIL;
          rs->observed = (outcome){B_ACCEPTED, -1};
          rs->decided_step = (unsigned)s->n_steps;
          snprintf(out->expected, sizeof out->expected, "%s",
                   s->resume.outcome == SC_RESUME_RESUMED ? "a resumed handshake"
                                                          : "a full handshake");
        }
      } else {
        snprintf(out->expected, sizeof out->expected, "a connection to the target");
        snprintf(out->got, sizeof out->got, "%.*s", (int)sizeof out->got - 1, msg);
        if (t->cmd != NULL) /* the command we were given did not come up: ours to fix */
          out->raw = V_INCONCLUSIVE;
      }
    }
  }
  bool played = rs->fd >= 0 && rs->conn != NULL;
  if (rs->fd >= 0)
    close(rs->fd);
  if (rs->peer.pid > 0) /* a server command runs until killed; a client one ends by itself */
    peer_finish(&rs->peer, rs->adapter ? 2000 : s->target == SC_TARGET_CLIENT ? 300 : 0);
  if (!out->target_skip && !rs->decided)
    decide(rs, played, out);
  sb_free(&rs->peer.out);
  sb_free(&rs->peer.err);
  save_transcripts(rs, t);
  capture_close(rs->cap);
  if (rs->conn != NULL)
    tg_conn_free(rs->conn);
  tg_deviation_set_free(&rs->devs);
  hello_watch_free(&rs->hello);
  endpoint_free(&rs->ep);
  if (rs->res != NULL) {
    resume_cleanup(rs->res);
    free(rs->res);
  }
  sb_printf(&rs->log, "verdict: %s (%s)\n", verdict_name(out->raw), out->got);
  out->transcript = rs->log.p;
  out->seconds = (double)(runner_now_ms() - t0) / 1000.0;
  free(rs);
}
