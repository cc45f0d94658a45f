/* The handshake as a table (STYLE rule 4): for each state, which event may come next, the handler
 * that processes it, and the state that follows. The dispatcher is the only code that assigns
 * c->state; a message no row accepts is an unexpected_message (RFC 8446 §6.2), decided here and
 * nowhere else.
 *
 * Events are handshake message types, plus two of the engine's own: START (tg_conn_start, the
 * client's first flight) and HRR (a ServerHello that is a HelloRetryRequest, RFC 8446 §4.1.4).
 * Messages of the handshake arrive in plaintext up to the ServerHello and protected after it;
 * the record layer enforces that through the keys in force (conn.c), so rows need not say it.
 */
#include <string.h>

#include "engine/internal.h"
#include "tg/names.h"

enum { EV_START = 0x100, EV_HRR = 0x101 };

typedef struct tg_transition {
  tg_state state;
  uint16_t event;
  tg_status (*handle)(tg_conn *c, const tg_handshake *m);
  tg_state next;
  /* Several rows for one state and event share the handler and tell where it leads: after the
   * handler ran, the first row whose condition holds (NULL: always) gives the next state. */
  bool (*when)(const tg_conn *c);
} tg_transition;

/* RFC 8446 §4.3.2: "Servers which are authenticating with a PSK MUST NOT send the
 * CertificateRequest message in the main handshake". */
static bool wants_client_cert(const tg_conn *c) {
  return c->cfg->require_client_cert && !c->info.resumed;
}

/* RFC 8446 §2.2: a PSK handshake has no Certificate or CertificateVerify. */
static bool resumed(const tg_conn *c) { return c->info.resumed; }

static tg_status start_client(tg_conn *c, const tg_handshake *m) {
  (void)m;
  return tg_client_send_hello(c);
}

static bool sent_hello_retry(const tg_conn *c) { return c->info.hello_retry; }

/* RFC 8446 Appendix A.1 (client) and A.2 (server), with PSK resumption, without 0-RTT. */
static const tg_transition transitions[] = {
    {TG_ST_C_START, EV_START, start_client, TG_ST_C_WAIT_SH, NULL},
    {TG_ST_C_WAIT_SH, TG_HS_server_hello, tg_client_on_server_hello, TG_ST_C_WAIT_EE, NULL},
    {TG_ST_C_WAIT_SH, EV_HRR, tg_client_on_hello_retry_request, TG_ST_C_WAIT_SH2, NULL},
    /* RFC 8446 §4.1.4: a second HelloRetryRequest is unexpected_message (no row). */
    {TG_ST_C_WAIT_SH2, TG_HS_server_hello, tg_client_on_server_hello, TG_ST_C_WAIT_EE, NULL},
    {TG_ST_C_WAIT_EE, TG_HS_encrypted_extensions, tg_client_on_encrypted_extensions,
     TG_ST_C_WAIT_FINISHED, resumed},
    {TG_ST_C_WAIT_EE, TG_HS_encrypted_extensions, tg_client_on_encrypted_extensions,
     TG_ST_C_WAIT_CERT_CR, NULL},
    {TG_ST_C_WAIT_CERT_CR, TG_HS_certificate_request, tg_client_on_certificate_request,
     TG_ST_C_WAIT_CERT, NULL},
    {TG_ST_C_WAIT_CERT_CR, TG_HS_certificate, tg_on_certificate, TG_ST_C_WAIT_CV, NULL},
    {TG_ST_C_WAIT_CERT, TG_HS_certificate, tg_on_certificate, TG_ST_C_WAIT_CV, NULL},
    {TG_ST_C_WAIT_CV, TG_HS_certificate_verify, tg_on_certificate_verify, TG_ST_C_WAIT_FINISHED,
     NULL},
    {TG_ST_C_WAIT_FINISHED, TG_HS_finished, tg_client_on_finished, TG_ST_CONNECTED, NULL},
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_CH2,
     sent_hello_retry},
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_CERT,
     wants_client_cert},
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_FINISHED, NULL},
    {TG_ST_S_WAIT_CH2, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_CERT,
     wants_client_cert},
    {TG_ST_S_WAIT_CH2, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_FINISHED, NULL},
    {TG_ST_S_WAIT_CERT, TG_HS_certificate, tg_on_certificate, TG_ST_S_WAIT_CV, NULL},
    {TG_ST_S_WAIT_CV, TG_HS_certificate_verify, tg_on_certificate_verify, TG_ST_S_WAIT_FINISHED,
     NULL},
    {TG_ST_S_WAIT_FINISHED, TG_HS_finished, tg_server_on_finished, TG_ST_CONNECTED, NULL},
    /* Post-handshake messages (RFC 8446 §4.6). A server never receives a NewSessionTicket. */
    {TG_ST_CONNECTED, TG_HS_key_update, tg_on_key_update, TG_ST_CONNECTED, NULL},
    {TG_ST_CONNECTED, TG_HS_new_session_ticket, tg_client_on_new_session_ticket, TG_ST_CONNECTED,
     NULL},
};

static const char *const state_names[TG_ST_COUNT_] = {
    [TG_ST_C_START] = "client START",
    [TG_ST_C_WAIT_SH] = "client WAIT_SH",
    [TG_ST_C_WAIT_SH2] = "client WAIT_SH2",
    [TG_ST_C_WAIT_EE] = "client WAIT_EE",
    [TG_ST_C_WAIT_CERT_CR] = "client WAIT_CERT_CR",
    [TG_ST_C_WAIT_CERT] = "client WAIT_CERT",
    [TG_ST_C_WAIT_CV] = "client WAIT_CV",
    [TG_ST_C_WAIT_FINISHED] = "client WAIT_FINISHED",
    [TG_ST_S_WAIT_CH] = "server WAIT_CH",
    [TG_ST_S_WAIT_CH2] = "server WAIT_CH2",
    [TG_ST_S_WAIT_CERT] = "server WAIT_CERT",
    [TG_ST_S_WAIT_CV] = "server WAIT_CV",
    [TG_ST_S_WAIT_FINISHED] = "server WAIT_FINISHED",
    [TG_ST_CONNECTED] = "CONNECTED",
};

const char *tg_state_name(tg_state s) {
  return s < TG_ST_COUNT_ && state_names[s] ? state_names[s] : "?";
}

/* The first row for the connection's state and event, or NULL. */
static const tg_transition *find(const tg_conn *c, uint16_t event) {
  for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
    const tg_transition *t = &transitions[i];
    /* A server's connection never takes a client row and vice versa. */
    if (t->state == c->state && t->event == event &&
        !(event == TG_HS_new_session_ticket && c->is_server))
      return t;
  }
  return NULL;
}

/* Among the rows from `first` on for the same state and event, the one that applies now. */
static tg_state next_state(const tg_conn *c, const tg_transition *first) {
  const tg_transition *end = transitions + sizeof transitions / sizeof transitions[0];
  for (const tg_transition *t = first; t < end; t++)
    if (t->state == first->state && t->event == first->event && (!t->when || t->when(c)))
      return t->next;
  return first->next;
}

static const char *event_name(uint16_t event) {
  if (event == EV_START)
    return "start";
  if (event == EV_HRR)
    return "hello_retry_request";
  const char *name = tg_hs_type_name(event);
  return name ? name : "unknown";
}

tg_status tg_dispatch(tg_conn *c, tg_bytes raw) {
  tg_handshake m = {0};
  uint16_t event = EV_START;
  if (raw.p != NULL) {
    tg_hs_ctx ctx = {.version = TG_VERSION_TLS13, .hash_len = (uint8_t)c->ks.hlen};
    tg_reader r;
    tg_reader_init(&r, raw.p, raw.len, &c->err);
    TG_TRY(tg_handshake_decode(&r, &ctx, &m));
    TG_TRY(tg_read_done(&r, "Handshake"));
    event = m.msg_type == TG_HS_server_hello && m.u.server_hello.is_hrr ? EV_HRR : m.msg_type;
    const tg_hooks *h = c->cfg->hooks;
    if (h != NULL && h->received != NULL)
      h->received(h->ctx, c, &m);
  }
  const tg_transition *t = find(c, event);
  /* RFC 8446 §4: "...a peer which receives a handshake message in an unexpected order MUST abort
   * the handshake with an "unexpected_message" alert." */
  TG_ENSURE(&c->err, t != NULL, unexpected_message, TG_E_BAD_VALUE,
            "%s is not expected in state %s (RFC 8446 4)", event_name(event),
            tg_state_name(c->state));
  if (raw.p != NULL) {
    /* Handlers see the transcript up to the message before (th_before, for CertificateVerify and
     * Finished; th_prev before a suite is chosen, for HelloRetryRequest) and including it (the
     * transcript itself). */
    if (c->ks.suite != NULL)
      tg_transcript_hash(c, c->th_before);
    if (event == TG_HS_client_hello || c->ks.suite == NULL)
      memcpy(c->th_prev, c->th, sizeof c->th); /* and for a PSK binder (psk.c) */
    tg_transcript_add(c, raw);
  }
  c->cur_msg = raw;
  TG_TRY(t->handle(c, &m));
  c->state = next_state(c, t);
  if (c->state == TG_ST_CONNECTED && c->info.phase == TG_PHASE_HANDSHAKE)
    c->info.phase = TG_PHASE_ESTABLISHED;
  return TG_OK;
}
