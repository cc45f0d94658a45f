/* The adapter skeleton (peer_driver.h): the main loop, the application phase of the flags, the
 * outcome of a connection and --sess-out, the same for every library. */
#include "peer_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIECE 16384         /* application data per write: one record's worth */
#define TICKET_WAIT_MS 500  /* --sess-out: how long to read for a ticket before closing */
#define LINGER_MS 200       /* after a fatal alert: how long to let the peer read it */
#define CLOSE_GRACE_MS 1000 /* a close_notify after the deadline passed gets this long */

/* ---- For the library operations -------------------------------------------------------------- */

static bool transport_failed(peer_conn *c, peer_io_status st) {
  c->timed_out = st == PEER_IO_TIMEOUT;
  c->eof = st == PEER_IO_EOF;
  c->error_class = c->timed_out ? PEER_EC_TIMEOUT : PEER_EC_TRANSPORT;
  if (c->eof)
    snprintf(c->msg, sizeof c->msg, "the peer closed the connection");
  return false;
}

bool peer_conn_read(peer_conn *c, uint8_t *buf, size_t cap, size_t *n) {
  peer_io_status st = peer_read(c->fd, buf, cap, n, c->deadline, c->msg, sizeof c->msg);
  return st == PEER_IO_OK || transport_failed(c, st);
}

bool peer_conn_write(peer_conn *c, const uint8_t *p, size_t len) {
  peer_io_status st = peer_write_all(c->fd, p, len, c->deadline, c->msg, sizeof c->msg);
  return st == PEER_IO_OK || transport_failed(c, st);
}

void peer_conn_alert_sent(peer_conn *c, int alert) {
  if (c->out.alert_sent < 0)
    c->out.alert_sent = alert;
}

void peer_conn_alert_received(peer_conn *c, int alert) {
  if (c->out.alert_received < 0)
    c->out.alert_received = alert;
}

int peer_outcome_only(const peer_library *lib, const peer_opts *o, const char *error_class,
                      const char *msg, int rc) {
  if (rc == PEER_EXIT_UNSUPPORTED)
    fprintf(stderr, "tg-peer-%s: unsupported: %s\n", lib->name, msg);
  peer_outcome out;
  peer_outcome_init(&out, lib->name, lib->version(), o->role);
  out.error_class = error_class;
  out.error = msg;
  peer_outcome_print(stdout, &out);
  return rc;
}

/* ---- Waiting --------------------------------------------------------------------------------- */

static bool alerted(const peer_conn *c) {
  return c->out.alert_sent >= 0 || c->out.alert_received >= 0;
}

/* Waits until the socket is ready for what the library asked, or the deadline. */
static bool wait_for(peer_conn *c, peer_step want) {
  short events = want == PEER_STEP_WANT_WRITE ? POLLOUT : POLLIN;
  for (;;) {
    int64_t left = c->deadline - peer_now_ms();
    if (left <= 0) {
      snprintf(c->msg, sizeof c->msg, "timed out");
      return transport_failed(c, PEER_IO_TIMEOUT);
    }
    struct pollfd pfd = {.fd = c->fd, .events = events};
    int rc = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
    if (rc > 0)
      return true;
    if (rc < 0 && errno != EINTR) {
      snprintf(c->msg, sizeof c->msg, "poll: %s", strerror(errno));
      return transport_failed(c, PEER_IO_ERROR);
    }
  }
}

static bool readable_now(const peer_library *lib, peer_conn *c) {
  if (lib->pending && lib->pending(c) > 0)
    return true;
  struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
  return poll(&pfd, 1, 0) > 0;
}

/* ---- The handshake --------------------------------------------------------------------------- */

static bool handshake(const peer_library *lib, peer_conn *c) {
  for (;;) {
    peer_step st = lib->handshake(c);
    if (st == PEER_STEP_OK)
      return c->handshake_done = true;
    if (st == PEER_STEP_WANT_READ || st == PEER_STEP_WANT_WRITE) {
      if (!wait_for(c, st))
        return false;
      continue;
    }
    if (st == PEER_STEP_CLOSED && !alerted(c)) { /* close_notify in the middle of a handshake */
      c->error_class = PEER_EC_TRANSPORT;
      snprintf(c->msg, sizeof c->msg, "the peer closed the connection during the handshake");
    }
    return false;
  }
}

/* ---- Application data ------------------------------------------------------------------------ */

static bool write_all(const peer_library *lib, peer_conn *c, const uint8_t *p, size_t len);

static void keep(peer_conn *c, const uint8_t *p, size_t n) {
  size_t room = PEER_RECEIVED_MAX - c->out.received_len;
  size_t k = n < room ? n : room;
  memcpy(c->received + c->out.received_len, p, k);
  c->out.received_len += k;
  c->out.bytes_received += n;
}

/* --key-update: once, after the first application data this side received (and echoed or
 * answered) or sent (--send, --send-file): a KeyUpdate straight after the handshake reaches a
 * peer that may not be reading yet, and tests nothing a real exchange does. RFC 8446 §4.6.3:
 * update_requested, so the peer answers with its own KeyUpdate. */
static bool key_update_after_data(const peer_library *lib, peer_conn *c) {
  if (!c->o->key_update || c->key_update_sent)
    return true;
  c->key_update_sent = true;
  if (lib->key_update(c))
    return true;
  if (c->error_class == NULL)
    c->error_class = PEER_EC_INTERNAL;
  return false;
}

/* --http: one HTTP/1.1 response per request, a request being the bytes up to the empty line
 * that ends its header section (RFC 9112 §2.1); a body is not read. The terminator is matched
 * across reads; after a mismatch only a '\r' can start it again. */
static bool http_answer(const peer_library *lib, peer_conn *c, const uint8_t *p, size_t n) {
  static const char end[] = "\r\n\r\n";
  for (size_t i = 0; i < n; i++) {
    c->http_matched = p[i] == end[c->http_matched] ? c->http_matched + 1 : p[i] == '\r';
    if (c->http_matched < 4)
      continue;
    c->http_matched = 0;
    char body[64], reply[256];
    int blen = snprintf(body, sizeof body, "tg-peer-%s\n", lib->name);
    int len = snprintf(reply, sizeof reply,
                       "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                       "\r\n%s",
                       blen, body);
    if (!write_all(lib, c, (const uint8_t *)reply, (size_t)len))
      return false;
  }
  return true;
}

/* One read: data kept (echoed with --echo, answered with --http). False when the connection
 * is over; *want set (and true returned) when nothing was there yet. */
static bool read_some(const peer_library *lib, peer_conn *c, peer_step *want) {
  uint8_t buf[PIECE];
  size_t n = 0;
  *want = PEER_STEP_OK;
  peer_step st = lib->read(c, buf, sizeof buf, &n);
  switch (st) {
  case PEER_STEP_OK:
    if (n == 0)
      return true;
    keep(c, buf, n);
    if (c->o->echo && !write_all(lib, c, buf, n))
      return false;
    if (c->o->http && !http_answer(lib, c, buf, n))
      return false;
    return key_update_after_data(lib, c);
  case PEER_STEP_WANT_READ:
  case PEER_STEP_WANT_WRITE: *want = st; return true;
  case PEER_STEP_CLOSED: c->peer_closed = true; return false;
  default: return false;
  }
}

/* All of p, a record's worth at a time. While the library waits for room, and between pieces,
 * it reads what the peer sends (an echoing peer would otherwise block on us while we block on
 * it); --echo writes from inside a read, so it only waits for room. */
static bool write_all(const peer_library *lib, peer_conn *c, const uint8_t *p, size_t len) {
  while (len > 0) {
    size_t n = 0;
    peer_step st = lib->write(c, p, len < PIECE ? len : PIECE, &n);
    if (st == PEER_STEP_CLOSED)
      c->peer_closed = true;
    if (st == PEER_STEP_CLOSED || st == PEER_STEP_FAILED)
      return false;
    if (st == PEER_STEP_OK) {
      p += n;
      len -= n;
      c->out.bytes_sent += n;
    }
    if (c->o->echo || c->o->http) {
      if (st != PEER_STEP_OK && !wait_for(c, PEER_STEP_WANT_WRITE))
        return false;
      continue;
    }
    if (st != PEER_STEP_OK) {
      struct pollfd pfd = {.fd = c->fd, .events = POLLIN | POLLOUT};
      int64_t left = c->deadline - peer_now_ms();
      if (left <= 0 || poll(&pfd, 1, left > 60000 ? 60000 : (int)left) == 0) {
        snprintf(c->msg, sizeof c->msg, "timed out");
        return transport_failed(c, PEER_IO_TIMEOUT);
      }
    }
    while (readable_now(lib, c)) {
      peer_step want;
      if (!read_some(lib, c, &want))
        return false;
      if (want != PEER_STEP_OK)
        break;
    }
  }
  return true;
}

static void send_close(const peer_library *lib, peer_conn *c) {
  if (c->close_sent || alerted(c))
    return;
  if (c->deadline <= peer_now_ms())
    c->deadline = peer_deadline(CLOSE_GRACE_MS);
  lib->close_notify(c);
  c->close_sent = true;
}

/* --sess-out: some libraries drop a NewSessionTicket that arrives after their close_notify, so
 * a client that saves its session reads first until the ticket (sent right after the client's
 * Finished, RFC 8446 §4.6.1) is there, for at most TICKET_WAIT_MS. A library that reads
 * through peer_conn_read times out inside its read instead of in wait_for: the same. */
static bool await_ticket(const peer_library *lib, peer_conn *c) {
  int64_t deadline = c->deadline, until = peer_deadline(TICKET_WAIT_MS);
  c->deadline = until < deadline ? until : deadline;
  bool alive = true;
  for (lib->session(c); alive && c->session_len == 0; lib->session(c)) {
    peer_step want;
    alive = read_some(lib, c, &want);
    if (alive ? want != PEER_STEP_OK && !wait_for(c, want) : c->timed_out && !alerted(c)) {
      alive = true;
      c->timed_out = false; /* no ticket in time: the connection goes on */
      c->error_class = NULL;
      break;
    }
  }
  c->deadline = deadline;
  return alive;
}

/* After the handshake: --send/--send-file (then --key-update, then close_notify), --echo or
 * --http, then read until the peer closes. A peer that closes, or is quiet until the timeout, ends
 * an established connection without failing it; a fatal alert fails it. */
static bool application(const peer_library *lib, peer_conn *c) {
  const peer_opts *o = c->o;
  if (o->send && !write_all(lib, c, (const uint8_t *)o->send, strlen(o->send)))
    return (c->eof || c->peer_closed) && !alerted(c);
  if (o->send_file && !write_all(lib, c, c->send_file, c->send_file_len))
    return (c->eof || c->peer_closed) && !alerted(c);
  if ((o->send || o->send_file) && !key_update_after_data(lib, c))
    return false;
  if (o->sess_out && lib->session && !await_ticket(lib, c))
    return false;
  if (o->send || o->send_file || (o->role == PEER_ROLE_CLIENT && !o->echo && !o->http))
    send_close(lib, c);
  for (;;) {
    peer_step want;
    if (!read_some(lib, c, &want))
      break;
    if (want != PEER_STEP_OK && !wait_for(c, want))
      break;
  }
  if (alerted(c))
    return false;
  if (c->peer_closed || c->eof || c->timed_out) {
    c->timed_out = false; /* a quiet peer after the handshake is not a failure */
    send_close(lib, c);
    c->error_class = NULL;
    return true;
  }
  return false; /* an error the library raised without an alert */
}

/* ---- One connection -------------------------------------------------------------------------- */

/* After a fatal alert, before the fd is closed. Closing a socket with unread data in its receive
 * buffer (a client that rejects the server's certificate has the server's Finished unread) makes
 * the kernel send a TCP RST, which can overtake the alert: the peer then reads "connection reset"
 * instead of the alert. So half-close our side (the peer sees the alert, then EOF) and read and
 * discard until the peer closes too, for at most LINGER_MS and never past the deadline.
 * shutdown fails harmlessly (ENOTSOCK) on a pipe transport. */
static void linger_after_alert(peer_conn *c) {
  if (c->out.alert_sent < 0 || c->eof)
    return;
  shutdown(c->fd, SHUT_WR);
  int64_t until = peer_deadline(LINGER_MS);
  if (until > c->deadline)
    until = c->deadline;
  uint8_t buf[4096];
  size_t n;
  char ignored[64];
  while (peer_read(c->fd, buf, sizeof buf, &n, until, ignored, sizeof ignored) == PEER_IO_OK)
    ;
}

/* The outcome's verdict, from what the connection saw: one place for every adapter. */
static void finish(peer_conn *c, bool ok) {
  peer_outcome *out = &c->out;
  out->established = ok && !alerted(c);
  out->received = out->received_len ? c->received : NULL;
  if (out->established)
    return;
  if (out->alert_received >= 0)
    out->error_class = PEER_EC_ALERT_RECEIVED;
  else if (c->eof && c->error_class)
    out->error_class = c->error_class; /* an alert "sent" to a closed transport reaches no one */
  else if (out->alert_sent >= 0)
    out->error_class = peer_error_class_for_alert(out->alert_sent);
  else
    out->error_class = c->error_class ? c->error_class : PEER_EC_INTERNAL;
  out->error = c->msg[0] ? c->msg : NULL;
}

static void save_session(const peer_library *lib, peer_conn *c) {
  const char *path = c->o->sess_out;
  if (path == NULL)
    return;
  if (c->session_len == 0 && lib->session)
    lib->session(c);
  if (c->session_len == 0) {
    fprintf(stderr, "tg-peer-%s: --sess-out %s: no ticket received\n", lib->name, path);
    return;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && fchmod(fd, 0600) == 0 &&
            write(fd, c->session, c->session_len) == (ssize_t)c->session_len;
  if (fd >= 0 && close(fd) != 0)
    ok = false;
  if (!ok)
    fprintf(stderr, "tg-peer-%s: --sess-out %s: %s\n", lib->name, path, strerror(errno));
}

/* Runs one connection over fd and prints its outcome; returns the exit status it implies. */
static int run_connection(const peer_library *lib, const peer_opts *o, void *setup,
                          const uint8_t *send_file, size_t send_file_len, int fd) {
  peer_conn *c = calloc(1, sizeof *c); /* on the heap: it holds 64 KiB of received data */
  if (c == NULL)
    return peer_outcome_only(lib, o, PEER_EC_INTERNAL, "out of memory", PEER_EXIT_FAILED);
  c->o = o;
  c->setup = setup;
  c->fd = fd;
  c->send_file = send_file;
  c->send_file_len = send_file_len;
  c->deadline = peer_deadline(o->timeout_ms);
  peer_outcome_init(&c->out, lib->name, lib->version(), o->role);
  if (!lib->conn_new(c)) {
    int rc = peer_outcome_only(lib, o, PEER_EC_INTERNAL,
                               c->msg[0] ? c->msg : "the connection could not be set up",
                               PEER_EXIT_FAILED);
    lib->conn_free(c);
    free(c);
    return rc;
  }
  bool ok = handshake(lib, c) && application(lib, c);
  int rc;
  if (c->unsupported[0]) {
    rc = peer_outcome_only(lib, o, PEER_EC_UNSUPPORTED, c->unsupported, PEER_EXIT_UNSUPPORTED);
  } else {
    if (!ok)
      linger_after_alert(c);
    lib->describe(c);
    finish(c, ok);
    peer_outcome_print(stdout, &c->out);
    save_session(lib, c);
    rc = c->out.established ? PEER_EXIT_ESTABLISHED : PEER_EXIT_FAILED;
  }
  lib->conn_free(c);
  free(c);
  return rc;
}

/* ---- The program ----------------------------------------------------------------------------- */

static int print_info(const peer_library *lib) {
  static peer_info in; /* large: four lists of 256 values */
  memset(&in, 0, sizeof in);
  lib->info(&in);
  in.implementation = lib->name;
  in.version = lib->version();
  peer_info_print(stdout, &in);
  return 0;
}

int peer_main(int argc, char **argv, const peer_library *lib) {
  /* A peer that vanishes must show up as a write error, not kill the adapter. */
  signal(SIGPIPE, SIG_IGN);
  peer_opts o;
  int rc;
  if (!peer_parse_args(argc, argv, lib->name, &o, &rc))
    return rc;
  if (o.info)
    return print_info(lib);
  if (o.verify_leaf)
    return lib->verify ? lib->verify(&o)
                       : peer_outcome_only(lib, &o, PEER_EC_UNSUPPORTED,
                                           "--verify: this adapter has no path validation",
                                           PEER_EXIT_UNSUPPORTED);
  if (o.profile == TG_X509_PROFILE_WEBPKI && !lib->webpki)
    return peer_outcome_only(lib, &o, PEER_EC_UNSUPPORTED,
                             "--profile webpki: this adapter validates a peer's chain in its TLS "
                             "connections under the library's default settings only",
                             PEER_EXIT_UNSUPPORTED);
  char msg[512] = "";
  uint8_t *send_file = NULL;
  size_t send_file_len = 0;
  if (o.send_file &&
      (send_file = peer_load_file(o.send_file, &send_file_len, msg, sizeof msg)) == NULL) {
    fprintf(stderr, "tg-peer-%s: --send-file: %s\n", lib->name, msg);
    return PEER_EXIT_USAGE;
  }
  void *setup = NULL;
  rc = lib->setup(&o, &setup, msg, sizeof msg);
  peer_conn_source src;
  if (rc == PEER_EXIT_UNSUPPORTED) {
    rc = peer_outcome_only(lib, &o, PEER_EC_UNSUPPORTED, msg, rc);
  } else if (rc != 0 || !peer_transport_open(&src, &o, msg, sizeof msg)) {
    fprintf(stderr, "tg-peer-%s: %s\n", lib->name, msg);
    rc = PEER_EXIT_USAGE;
  } else {
    bool failed;
    int fd;
    while ((fd = peer_transport_next(&src, &failed, msg, sizeof msg)) >= 0) {
      rc = run_connection(lib, &o, setup, send_file, send_file_len, fd);
      close(fd);
    }
    if (failed && o.transport != PEER_TRANSPORT_LISTEN)
      rc = peer_outcome_only(lib, &o, PEER_EC_TRANSPORT, msg, PEER_EXIT_FAILED);
    else if (failed) {
      fprintf(stderr, "tg-peer-%s: %s\n", lib->name, msg);
      rc = PEER_EXIT_USAGE;
    }
    peer_transport_close(&src);
  }
  lib->setup_free(setup);
  free(send_file);
  return rc;
}
