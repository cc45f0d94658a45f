/* Resumption: a scenario with `resume:` plays two connections to the same target
 * (docs/scenarios.md "Resumption"). The first is plain (no deviations): the scripted endpoint
 * completes a handshake and the session comes out of it; the second is the script, which
 * offers the session back (a server target) or is offered it (a client target).
 *
 * A server target: the adapter is started twice with the same random --ticket-key, so the
 * second process opens the tickets of the first. The scripted client waits for the session (a
 * TLS 1.3 NewSessionTicket, a TLS 1.2 session id or ticket) before it lets the first connection
 * go: it sends a probe once the handshake is done, and the target's echo comes after any ticket
 * it sends with the handshake. A client target: the adapter saves its session with --sess-out
 * into a file of the run and offers it with --sess-in; the scripted server seals its tickets
 * with the run's key (and keeps TLS 1.2 sessions in a cache of one) across the two connections.
 * A live target simply gets two connections; a command target (started per connection) cannot
 * resume, and the scenario is not played.
 *
 * A first connection that yields no session is not the scenario: the run is inconclusive, or a
 * crash or a skip when the adapter says so (verdict.c). */
#define _GNU_SOURCE /* pipe2, accept4 in the headers' sense; getrandom */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner_internal.h"
#include "tg/names.h"

#define PROBE "tlsgauntlet-resume\n"
#define PROBE_LEN (sizeof PROBE - 1)

/* ---- The scripted server's TLS 1.2 session cache: one session ------------------------------ */

static void cache_put(void *ctx, tg_bytes id, tg_bytes session) {
  resume_state *r = ctx;
  if (id.len > sizeof r->cache_id || session.len > sizeof r->cache_session)
    return;
  memcpy(r->cache_id, id.p, id.len);
  memcpy(r->cache_session, session.p, session.len);
  r->cache_id_len = id.len;
  r->cache_session_len = session.len;
}

static size_t cache_get(void *ctx, tg_bytes id, uint8_t *out, size_t cap) {
  resume_state *r = ctx;
  if (r->cache_session_len == 0 || id.len != r->cache_id_len ||
      memcmp(id.p, r->cache_id, id.len) != 0 || r->cache_session_len > cap)
    return 0;
  memcpy(out, r->cache_session, r->cache_session_len);
  return r->cache_session_len;
}

/* ---- The first connection ------------------------------------------------------------------ */

typedef struct first_conn {
  tg_conn *conn;
  int fd;
  peer_proc peer;
  bool is_server; /* the scripted endpoint */
  bool probed, echoed, eof;
  /* An adapter echoes: a scripted server waits for the echo, so the client has read the ticket
   * (sent before it) when the connection ends. A live client may not echo. */
  bool wait_echo;
  uint8_t in[1 << 15];
  uint8_t data[64];
  size_t data_len;
} first_conn;

static void flush(first_conn *f) {
  tg_bytes out = tg_conn_output(f->conn);
  size_t done = 0;
  while (done < out.len) {
    ssize_t n = send(f->fd, out.p + done, out.len - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += (size_t)n;
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      struct pollfd p = {f->fd, POLLOUT, 0};
      if (poll(&p, 1, 100) <= 0)
        break;
    } else {
      break;
    }
  }
  tg_conn_output_consumed(f->conn, out.len);
}

/* Whether the first connection has done its part: false while it should go on. */
static bool first_done(first_conn *f) {
  const struct tg_conn_info *i = tg_conn_info(f->conn);
  if (i->phase == TG_PHASE_FAILED || f->eof)
    return true;
  if (i->phase != TG_PHASE_ESTABLISHED)
    return false;
  if (!f->probed) { /* its echo comes after what the target sent with the handshake */
    f->probed = true;
    if (tg_conn_write(f->conn, tg_bytes_of(PROBE, PROBE_LEN)) == TG_OK)
      flush(f);
  }
  /* A scripted client has the session once a ticket arrived; a TLS 1.2 session id comes with
   * the handshake. Either side is done once the echo is back. */
  if (!f->is_server && tg_conn_ticket_count(f->conn) > 0)
    return true;
  return f->echoed || (f->is_server && !f->wait_echo);
}

/* Drives the first connection until it is done or the deadline; false on the deadline. */
static bool first_play(first_conn *f, int64_t deadline, strbuf *log) {
  if (!f->is_server && tg_conn_start(f->conn) != TG_OK)
    return true;
  flush(f);
  while (!first_done(f)) {
    int left = (int)(deadline - runner_now_ms());
    if (left <= 0)
      return false;
    struct pollfd p[3] = {
        {f->fd, POLLIN, 0}, {f->peer.out_fd, POLLIN, 0}, {f->peer.err_fd, POLLIN, 0}};
    if (poll(p, 3, left > 50 ? 50 : left) < 0 && errno != EINTR)
      return false;
    peer_drain(&f->peer);
    if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
      continue;
    ssize_t n = recv(f->fd, f->in, sizeof f->in, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      f->eof = true;
      sb_printf(log, "   first connection: end of stream\n");
      continue;
    }
    if (n < 0)
      continue;
    if (tg_conn_info(f->conn)->phase != TG_PHASE_FAILED &&
        tg_conn_feed(f->conn, tg_bytes_of(f->in, (size_t)n)) != TG_OK)
      sb_printf(log, "   first connection: %s\n", tg_conn_info(f->conn)->err.what);
    size_t got;
    while ((got = tg_conn_read(f->conn, f->data + f->data_len, sizeof f->data - f->data_len)) > 0)
      f->data_len += got;
    f->echoed = f->data_len >= PROBE_LEN;
    flush(f);
  }
  return true;
}

static void hex(char *out, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* The transport of the first connection, with the adapter started with `flags`. */
static bool first_open(first_conn *f, const sc_scenario *s, const run_target *t, const run_env *env,
                       strbuf *log, char *msg, size_t cap) {
  f->fd = runner_open_peer(&f->peer, s, t, env, s->timeout_ms, log, msg, cap);
  return f->fd >= 0;
}

static bool file_has_bytes(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && st.st_size > 0;
}

/* The session a scripted client offers: the one it received, with the scenario's edits. */
static void prepare_offer(resume_state *r, const sc_resume *o) {
  r->offer = r->ticket;
  /* o->bad_binder: runner.c flips the binder's last byte once the ClientHello is encoded. */
  if (o->bad_ticket && r->offer.ticket_len > 0) /* a flipped byte in its middle */
    r->offer.ticket[r->offer.ticket_len / 2] ^= 0x01;
  if (o->bad_ticket && r->offer.session_id_len > 0)
    r->offer.session_id[0] ^= 0x01;
  if (o->bad_age) /* obfuscated_ticket_age = age + ticket_age_add: a far-off age */
    r->offer.ticket_age_add ^= 0x7f3c5a96u;
  if (o->ticket_suite != 0)
    r->offer.cipher_suite = o->ticket_suite;
}

resume_status resume_first(resume_state *r, const sc_scenario *s, const run_target *t,
                           const run_env *env, run_env *env2, strbuf *log, char *why, size_t cap) {
  bool server_target = s->target == SC_TARGET_SERVER;
  *env2 = *env;
  r->first = (peer_report){.alert_sent = -1, .alert_received = -1};
  r->cache = (tg_session_cache){r, cache_put, cache_get};
  if (t->cmd != NULL) {
    snprintf(why, cap,
             "not played: a command target is started per connection, and the "
             "scenario resumes the session of an earlier one");
    return RESUME_NOT_PLAYED;
  }
  if (getrandom(r->key, sizeof r->key, 0) != (ssize_t)sizeof r->key) {
    snprintf(why, cap, "no randomness for the ticket key: %s", strerror(errno));
    return RESUME_NO_SESSION;
  }
  hex(r->key_hex, r->key, sizeof r->key);
  if (t->peer_path != NULL && !server_target) {
    snprintf(r->sess_path, sizeof r->sess_path, "/tmp/tg-session-XXXXXX");
    int fd = mkstemp(r->sess_path);
    if (fd < 0) {
      snprintf(why, cap, "a session file: %s", strerror(errno));
      r->sess_path[0] = '\0';
      return RESUME_NO_SESSION;
    }
    close(fd);
  }
  if (t->peer_path != NULL) {
    r->args[0] = server_target ? "--ticket-key" : "--sess-out";
    r->args[1] = server_target ? r->key_hex : r->sess_path;
    r->args[2] = NULL;
    env2->extra_args = r->args;
  }

  sb_printf(log, "first connection (plain, for the session to resume):\n");
  endpoint ep;
  first_conn *f = calloc(1, sizeof *f);
  char msg[512] = "";
  resume_status st = RESUME_NO_SESSION;
  if (f == NULL) {
    snprintf(why, cap, "out of memory");
    return st;
  }
  f->fd = -1;
  f->peer = (peer_proc){.in_fd = -1, .out_fd = -1, .err_fd = -1};
  f->is_server = !server_target;
  f->wait_echo = t->peer_path != NULL;
  if (!endpoint_init(&ep, s, env, t->profile, msg, sizeof msg)) {
    snprintf(why, cap, "the first connection's endpoint: %.400s", msg);
    endpoint_free(&ep);
    free(f);
    return st;
  }
  if (f->is_server) {
    ep.cfg.ticket_key = tg_bytes_of(r->key, sizeof r->key);
    ep.cfg.num_tickets = 0; /* one */
    ep.cfg.session_cache = &r->cache;
  }
  tg_err err;
  tg_err_clear(&err);
  f->conn = tg_conn_new(&ep.cfg, f->is_server, &err);
  if (f->conn == NULL) {
    snprintf(why, cap, "the first connection's endpoint: %.400s", err.what);
  } else if (!first_open(f, s, t, env2, log, msg, sizeof msg)) {
    snprintf(why, cap, "the first connection: %.400s", msg);
  } else {
    fcntl(f->fd, F_SETFL, O_NONBLOCK);
    bool in_time = first_play(f, runner_now_ms() + s->timeout_ms, log);
    const struct tg_conn_info *i = tg_conn_info(f->conn);
    bool established = i->phase == TG_PHASE_ESTABLISHED;
    if (established && f->is_server && tg_conn_close(f->conn) == TG_OK)
      flush(f); /* the client adapter writes its session file when the connection ends */
    shutdown(f->fd, SHUT_WR);
    if (f->peer.pid > 0)
      peer_finish(&f->peer, 3000);
    if (!established)
      snprintf(why, cap, "the first connection did not complete its handshake (%s)",
               !in_time                 ? "nothing more within the deadline"
               : i->alert_received >= 0 ? tg_alert_name((unsigned)i->alert_received)
               : i->alert_sent >= 0     ? i->err.what
                                        : "the target closed");
    else if (!f->is_server && !tg_conn_ticket(f->conn, 0, &r->ticket))
      snprintf(why, cap, "the first connection yielded no session: the target sent no %s",
               i->version == TG_VERSION_TLS12 ? "session id or ticket" : "NewSessionTicket");
    else if (f->is_server && r->sess_path[0] != '\0' && !file_has_bytes(r->sess_path))
      snprintf(why, cap,
               "the first connection yielded no session: the target's --sess-out "
               "file stayed empty");
    else
      st = RESUME_READY;
    sb_printf(log, "   first connection: %s%s%s%s\n",
              established ? "established" : "not established", i->version ? ", " : "",
              i->version ? tg_version_name(i->version) : "",
              st == RESUME_READY ? ", a session to resume" : "");
  }
  if (f->fd >= 0)
    close(f->fd);
  if (f->peer.pid > 0) {
    if (!f->peer.exited)
      peer_finish(&f->peer, 0);
    peer_report_read(&f->peer, &r->first);
    if (f->peer.err.len)
      sb_printf(log, "   first peer stderr:\n%s%s", f->peer.err.p,
                f->peer.err.p[f->peer.err.len - 1] == '\n' ? "" : "\n");
    if (r->first.unsupported || r->first.crashed || r->first.usage)
      st = RESUME_NO_SESSION;
  }
  sb_free(&f->peer.out);
  sb_free(&f->peer.err);
  if (f->conn != NULL)
    tg_conn_free(f->conn);
  endpoint_free(&ep);
  free(f);
  if (st == RESUME_READY && server_target)
    prepare_offer(r, &s->resume);
  if (st == RESUME_READY && t->peer_path != NULL && !server_target)
    r->args[0] = "--sess-in";
  if (st == RESUME_READY)
    sb_printf(log, "second connection (the script):\n");
  return st;
}

/* ---- The second connection ----------------------------------------------------------------- */

void resume_configure(resume_state *r, const sc_scenario *s, tg_config *cfg) {
  const sc_resume *o = &s->resume;
  if (s->target == SC_TARGET_CLIENT) {
    static const uint8_t other_key[16] = {0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
                                          0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a};
    cfg->ticket_key =
        o->refuse ? tg_bytes_of(other_key, sizeof other_key) : tg_bytes_of(r->key, sizeof r->key);
    cfg->session_cache = o->refuse ? NULL : &r->cache;
    return;
  }
  cfg->resume = &r->offer; /* filled by resume_first */
}

bool resume_check(const sc_scenario *s, const tg_conn *c, char *why, size_t cap) {
  const struct tg_conn_info *i = tg_conn_info(c);
  bool resumed = i->resumed;
  if (s->resume.outcome == SC_RESUME_RESUMED && !resumed) {
    snprintf(why, cap,
             "the second connection made a full handshake: the session of the first "
             "was not resumed");
    return false;
  }
  if (s->resume.outcome == SC_RESUME_FULL && resumed) {
    snprintf(why, cap,
             "the second connection resumed the session where it had to make a full "
             "handshake");
    return false;
  }
  return true;
}

void resume_cleanup(resume_state *r) {
  if (r->sess_path[0] != '\0')
    unlink(r->sess_path);
  r->sess_path[0] = '\0';
}
