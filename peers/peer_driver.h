/* The adapter skeleton: everything a tg-peer-NAME program does that is not its library.
 *
 * peer_main parses the command line (peer_common.h), answers --info and --verify through the
 * adapter, builds its configuration once, then for each connection of the transport runs the
 * handshake, the application phase of the flags (--key-update, --send, --send-file, --echo, the
 * wait for the peer's close), saves the session for --sess-out and prints the outcome line.
 * An adapter supplies a peer_library: the library's own operations, each a small step over one
 * connection, reporting what it needs next (peer_step), and what it saw in the peer_conn.
 *
 * Two styles of library fit: those that return "want read/write" on a non-blocking socket
 * (OpenSSL, BoringSSL, wolfSSL, Mbed TLS, NSS) return PEER_STEP_WANT_READ/WRITE and the driver
 * waits; those that do their I/O through callbacks (GnuTLS, the built-in engine) block in them
 * with peer_conn_read/peer_conn_write, which keep to the connection's deadline (the built-in
 * adapter still answers a read with nothing to feed with a want after the handshake, so that the
 * driver's short waits, such as the one for a ticket, stay the driver's). */
#ifndef TG_PEER_DRIVER_H
#define TG_PEER_DRIVER_H

#include "peer_common.h"

/* What a library operation did. */
typedef enum peer_step {
  PEER_STEP_OK = 0,     /* done: the handshake completed, or *n bytes moved (0 allowed) */
  PEER_STEP_WANT_READ,  /* call again once the socket is readable */
  PEER_STEP_WANT_WRITE, /* call again once the socket is writable */
  PEER_STEP_CLOSED,     /* the peer's close_notify arrived */
  PEER_STEP_FAILED,     /* the connection is over: the adapter recorded why (below) */
} peer_step;

/* One connection, as the driver and the adapter share it. On PEER_STEP_FAILED the adapter has
 * set what it knows: out.alert_sent / out.alert_received (AlertDescription) for fatal alerts,
 * msg (the library's words), and for failures outside TLS error_class (PEER_EC_TIMEOUT,
 * PEER_EC_TRANSPORT, ...) with eof or timed_out. The driver derives the outcome's error class
 * from these in one place (peer_conn_finish). */
typedef struct peer_conn {
  const peer_opts *o;
  void *setup; /* the adapter's configuration, from peer_library.setup */
  void *lib;   /* the adapter's per-connection state, from peer_library.conn_new */
  int fd;      /* non-blocking */
  int64_t deadline;
  peer_outcome out;
  bool handshake_done; /* a handshake completed (the outcome names its parameters) */
  bool eof;            /* the transport ended under the library */
  bool timed_out;
  bool peer_closed; /* close_notify received */
  bool close_sent;  /* close_notify sent */
  const char *error_class;
  char msg[256];
  char unsupported[256]; /* set: this connection asks what the library cannot do (exit 3) */
  /* --sess-out: the session to save, kept by the adapter (a copy it owns until conn_free). */
  const uint8_t *session;
  size_t session_len;
  /* --send-file's bytes, read once by the driver. */
  const uint8_t *send_file;
  size_t send_file_len;
  uint8_t received[PEER_RECEIVED_MAX];
  unsigned http_matched; /* --http: bytes of "\r\n\r\n" matched so far */
  bool key_update_sent;  /* --key-update: done (after the first application data) */
} peer_conn;

typedef struct peer_library {
  const char *name; /* "wolfssl": tg-peer-NAME, the outcome's implementation */
  /* Its TLS connections validate the peer's chain under --profile webpki (the built-in
   * validator's); false: a connection with --profile webpki exits 3. */
  bool webpki;
  const char *(*version)(void);
  /* --info: fill the lists (peer_info_probe_flags through the adapter's own configuration path) and
   * the features. The driver sets implementation and version, and prints the line. */
  void (*info)(peer_info *in);
  /* --verify LEAF: the library's path validation (peers/README.md); returns the exit status.
   * NULL: exit 3 with a note. */
  int (*verify)(const peer_opts *o);
  /* The configuration of every connection: 0, PEER_EXIT_USAGE (files that do not load) or
   * PEER_EXIT_UNSUPPORTED (flags the library cannot express), with msg saying why. *setup
   * is passed back in peer_conn.setup and to setup_free (also after a failure). */
  int (*setup)(const peer_opts *o, void **setup, char *msg, size_t msglen);
  void (*setup_free)(void *setup);
  /* The library's object for one connection over c->fd (role, SNI, ALPN, session to resume).
   * false: could not be made, with c->msg set. */
  bool (*conn_new)(peer_conn *c);
  void (*conn_free)(peer_conn *c);
  /* One handshake step. OK when complete; an adapter may refuse a completed handshake (the
   * BoringSSL TLS 1.3 suite emulation) by setting c->unsupported and returning FAILED. */
  peer_step (*handshake)(peer_conn *c);
  /* Application data in and out: *n bytes read into buf (at most cap) or written from p. A
   * renegotiation or post-handshake message handled inside counts as OK with *n == 0. */
  peer_step (*read)(peer_conn *c, uint8_t *buf, size_t cap, size_t *n);
  peer_step (*write)(peer_conn *c, const uint8_t *p, size_t len, size_t *n);
  /* Bytes the library holds already decrypted or buffered (read them before polling); NULL: 0. */
  size_t (*pending)(peer_conn *c);
  /* --key-update: send KeyUpdate(update_requested). false with c->msg when it cannot. NULL:
   * the library has none (the adapter's setup refuses --key-update with exit 3). */
  bool (*key_update)(peer_conn *c);
  /* Send close_notify; failures change nothing. */
  void (*close_notify)(peer_conn *c);
  /* Fill c->out's negotiated parameters (protocol, cipher, group, ALPN, resumed) as far as the
   * library knows them, and add to c->msg what explains a failure (a certificate verify
   * result). Called once, at the end of every connection. */
  void (*describe)(peer_conn *c);
  /* --sess-out: set c->session when a resumable session (a TLS 1.3 ticket) is there; the
   * driver reads for a short while after the handshake until it is. NULL: never. */
  void (*session)(peer_conn *c);
} peer_library;

/* The whole program: main is `return peer_main(argc, argv, &library);`. */
int peer_main(int argc, char **argv, const peer_library *lib);

/* ---- For the library operations -------------------------------------------------------------- */

/* Blocking transport within the connection's deadline, for libraries that do their I/O in
 * callbacks. Read: *n > 0 bytes, or false at EOF (c->eof), timeout (c->timed_out) or error,
 * with c->error_class and c->msg set. Write: all of p, or false likewise. */
bool peer_conn_read(peer_conn *c, uint8_t *buf, size_t cap, size_t *n);
bool peer_conn_write(peer_conn *c, const uint8_t *p, size_t len);

/* Records an alert of the connection: the first fatal one sent and received is kept. */
void peer_conn_alert_sent(peer_conn *c, int alert);
void peer_conn_alert_received(peer_conn *c, int alert);

/* The outcome line of a failure that is not a connection's (the transport could not connect,
 * the configuration is unsupported): printed, and rc returned. */
int peer_outcome_only(const peer_library *lib, const peer_opts *o, const char *error_class,
                      const char *msg, int rc);

#endif
