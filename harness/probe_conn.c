/* One connection of `tlsgauntlet probe` (probe.h): a TCP connection within a deadline, the
 * built-in client configured from an sc_endpoint like the runner's scripted endpoint (but with no
 * hooks beyond an observer), and the bytes moved until the handshake settles. */
#define _GNU_SOURCE /* SOCK_CLOEXEC, SOCK_NONBLOCK */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "tg/names.h"

static int left_ms(const probe_conn *pc) {
  int64_t left = pc->deadline - runner_now_ms();
  return left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* A TCP connection to t within the deadline: a non-blocking connect to each address in turn. */
static int connect_tcp(const probe_target *t, probe_conn *pc) {
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
  int rc = getaddrinfo(t->host, t->port, &hints, &res);
  if (rc != 0) {
    snprintf(pc->error, sizeof pc->error, "%.200s: %s", t->host, gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) {
      snprintf(pc->error, sizeof pc->error, "socket: %s", strerror(errno));
      continue;
    }
    int err = connect(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      struct pollfd p = {fd, POLLOUT, 0};
      socklen_t len = sizeof err;
      if (poll(&p, 1, left_ms(pc)) <= 0)
        err = ETIMEDOUT;
      else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    }
    if (err != 0) {
      snprintf(pc->error, sizeof pc->error, "connect to %.200s port %s: %s", t->host, t->port,
               strerror(err));
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  return fd;
}

/* The observer: a CertificateRequest, and the server's chain (copied: the message is a view
 * into the engine's buffer). */
static void on_received(void *ctx, tg_conn *c, const tg_handshake *m) {
  probe_conn *pc = ctx;
  if (m->msg_type == TG_HS_certificate_request)
    pc->cert_request = true;
  if (m->msg_type != TG_HS_certificate || pc->chain == NULL || tg_x509_store_count(pc->chain))
    return;
  tg_certificate_iter it;
  tg_certificate_entry e;
  tg_certificate_iter_init(&it, m->u.certificate.certificate_list, tg_conn_info(c)->version);
  while (tg_certificate_next(&it, &e)) {
    tg_err err;
    tg_err_clear(&err);
    if (tg_x509_store_add_der(pc->chain, e.cert_data, &err) != TG_OK)
      break; /* what follows a certificate that does not parse is no chain to verify */
  }
}

static bool flush(probe_conn *pc) {
  tg_bytes out = tg_conn_output(pc->conn);
  size_t done = 0;
  while (done < out.len) {
    ssize_t n = send(pc->fd, out.p + done, out.len - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += (size_t)n;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      struct pollfd p = {pc->fd, POLLOUT, 0};
      int left = left_ms(pc);
      if (left == 0 || poll(&p, 1, left) < 0)
        break;
      continue;
    }
    break; /* the server is gone; what it sent before going is still to be read */
  }
  tg_conn_output_consumed(pc->conn, out.len);
  return done == out.len;
}

const struct tg_conn_info *probe_info(const probe_conn *pc) { return tg_conn_info(pc->conn); }

bool probe_ended(const probe_conn *pc) {
  const struct tg_conn_info *i = probe_info(pc);
  return pc->eof || i->peer_closed || i->alert_received >= 0 || i->phase == TG_PHASE_FAILED;
}

/* Waits up to ms (the deadline at most) for bytes from the server and feeds them to the engine;
 * false when none came (the wait is over, or the connection ended). */
static bool pump(probe_conn *pc, int ms) {
  int left = left_ms(pc);
  struct pollfd p = {pc->fd, POLLIN, 0};
  int r = poll(&p, 1, ms < left ? ms : left);
  if (r < 0 && errno == EINTR)
    return true;
  if (r <= 0)
    return false;
  ssize_t n = recv(pc->fd, pc->in, sizeof pc->in, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return true;
  if (n <= 0) {
    pc->eof = true;
    return false;
  }
  const struct tg_conn_info *i = probe_info(pc);
  if (i->phase == TG_PHASE_HANDSHAKE || i->phase == TG_PHASE_ESTABLISHED) {
    tg_status st = tg_conn_feed(pc->conn, tg_bytes_of(pc->in, (size_t)n));
    (void)st; /* a failure stays in tg_conn_info */
  }
  size_t got;
  while (pc->data_len < sizeof pc->data && (got = tg_conn_read(pc->conn, pc->data + pc->data_len,
                                                               sizeof pc->data - pc->data_len)) > 0)
    pc->data_len += got;
  flush(pc);
  return true;
}

/* Why the handshake did not complete, in a few words. */
static void describe_end(probe_conn *pc, int timeout_ms) {
  const struct tg_conn_info *i = probe_info(pc);
  const char *alert = NULL;
  if (i->alert_received >= 0) {
    alert = tg_alert_name((unsigned)i->alert_received);
    snprintf(pc->error, sizeof pc->error, "the server sent alert %s", alert ? alert : "unknown");
  } else if (i->phase == TG_PHASE_FAILED) {
    snprintf(pc->error, sizeof pc->error, "its answer was refused: %s", i->err.what);
  } else if (pc->eof) {
    snprintf(pc->error, sizeof pc->error, "the server closed the connection");
  } else {
    snprintf(pc->error, sizeof pc->error, "no answer within %d ms", timeout_ms);
  }
}

bool probe_open(probe_conn *pc, const probe_target *t, const sc_endpoint *offer,
                tg_x509_store *chain) {
  memset(pc, 0, sizeof *pc);
  pc->fd = -1;
  pc->chain = chain;
  pc->deadline = runner_now_ms() + t->timeout_ms;
  /* The scripted endpoint's configuration, as a client of a server target. */
  sc_scenario s = {.target = SC_TARGET_SERVER, .endpoint = *offer};
  run_env env = {.certs_dir = t->certs_dir};
  if (!endpoint_init(&pc->ep, &s, &env, NULL, pc->error, sizeof pc->error))
    return false;
  pc->ep.cfg.ems_optional = true;
  pc->ep.cfg.rsa_key_exchange = true;
  pc->hooks = (tg_hooks){.ctx = pc, .received = on_received};
  pc->ep.cfg.hooks = &pc->hooks;
  tg_err err;
  tg_err_clear(&err);
  pc->conn = tg_conn_new(&pc->ep.cfg, false, &err);
  if (pc->conn == NULL) {
    snprintf(pc->error, sizeof pc->error, "the probe's configuration: %s", err.what);
    return false;
  }
  pc->fd = connect_tcp(t, pc);
  if (pc->fd < 0)
    return false;
  if (tg_conn_start(pc->conn) == TG_OK)
    flush(pc);
  while (probe_info(pc)->phase == TG_PHASE_HANDSHAKE && pump(pc, INT_MAX))
    ;
  pc->established = probe_info(pc)->phase == TG_PHASE_ESTABLISHED;
  if (!pc->established)
    describe_end(pc, t->timeout_ms);
  return true;
}

void probe_wait(probe_conn *pc, int ms, size_t want) {
  int64_t until = runner_now_ms() + ms;
  while (pc->data_len < want && !probe_ended(pc)) {
    int64_t left = until - runner_now_ms();
    if (left <= 0 || !pump(pc, (int)left))
      break;
  }
}

bool probe_send(probe_conn *pc, const char *text) {
  if (probe_info(pc)->phase != TG_PHASE_ESTABLISHED)
    return false;
  if (tg_conn_write(pc->conn, tg_bytes_of(text, strlen(text))) != TG_OK)
    return false;
  return flush(pc);
}

void probe_close(probe_conn *pc) {
  if (pc->conn != NULL && pc->fd >= 0 && probe_info(pc)->phase == TG_PHASE_ESTABLISHED &&
      tg_conn_close(pc->conn) == TG_OK)
    flush(pc);
  if (pc->fd >= 0)
    close(pc->fd);
  pc->fd = -1;
  if (pc->conn != NULL)
    tg_conn_free(pc->conn);
  pc->conn = NULL;
  endpoint_free(&pc->ep);
}
