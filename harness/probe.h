/* `tlsgauntlet probe`'s connections: the built-in engine as a client over one TCP connection to
 * a live server, offering what a scripted endpoint's options say (sc_endpoint: one version, one
 * suite, one group, ...), driven to the end of the handshake, then application data either
 * way. probe.c decides what to offer and what the answers mean; this only moves bytes. */
#ifndef TG_HARNESS_PROBE_H
#define TG_HARNESS_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runner_internal.h"
#include "tg/x509_verify.h"

typedef struct probe_target {
  char host[256], port[16];
  int timeout_ms;        /* per connection: connect, handshake and every wait after it */
  const char *certs_dir; /* vectors/scenarios/certs (endpoint_init's; a client loads nothing) */
} probe_target;

typedef struct probe_conn {
  endpoint ep;
  tg_hooks hooks;
  tg_conn *conn;
  int fd;
  int64_t deadline;
  tg_x509_store *chain; /* the server's chain goes here when it is empty; may be NULL */
  /* What happened. */
  bool established;  /* the handshake completed on the client's side */
  bool cert_request; /* a CertificateRequest arrived */
  bool eof;          /* the server closed the transport */
  uint8_t in[4096];
  uint8_t data[4096]; /* application data received */
  size_t data_len;
  char error[320]; /* why the handshake ended, when it did not complete */
} probe_conn;

/* Connects to t and plays a handshake offering *offer (the engine's defaults where it is empty;
 * TLS 1.2 without extended_master_secret and the static RSA key exchange are allowed, so that
 * what the server picks is what decides). The server's certificates go into chain when it is
 * not NULL and still empty. false (error says why) when no connection could be made; true
 * otherwise, whether or not the handshake completed. probe_close in both cases. */
bool probe_open(probe_conn *pc, const probe_target *t, const sc_endpoint *offer,
                tg_x509_store *chain);
/* Reads application data until want bytes have arrived in all, ms have passed (the connection's
 * deadline at most), or the connection ends. */
void probe_wait(probe_conn *pc, int ms, size_t want);
/* Sends text as application data; false when the connection cannot carry it. */
bool probe_send(probe_conn *pc, const char *text);
/* Whether the server ended the connection: a fatal alert, close_notify or the transport. */
bool probe_ended(const probe_conn *pc);
const struct tg_conn_info *probe_info(const probe_conn *pc);
/* Sends close_notify (when it can) and frees everything. */
void probe_close(probe_conn *pc);

#endif
