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

enum { EV_START = 0x100, EV_HRR = 0x101, EV_CCS = 0x102 };

typedef struct tg_transition {
  tg_state state;
  uint16_t event;
  tg_status (*handle)(tg_conn *c, const tg_handshake *m);
  tg_state next;
  /* Several rows for one state and event share the handler and tell where it leads: after the
   * handler ran, the first row whose condition holds (NULL: always) gives the next state. */
  bool (*when)(const tg_conn *c);
  /* 0: any version and side; else the row applies only to a connection of that version
   * (TG_VERSION_TLS12 / _TLS13) and side (V12C: a TLS 1.2 client, ...). Needed only where both
   * share a state (CONNECTED). */
  uint16_t only;
} tg_transition;

enum { V12C = 1, V12S = 2, V13 = 3 };

/* RFC 8446 §4.3.2: "Servers which are authenticating with a PSK MUST NOT send the
 * CertificateRequest message in the main handshake". */
static bool wants_client_cert(const tg_conn *c) {
  return tg_asks_client_cert(c->cfg) && !c->info.resumed;
}

/* RFC 8446 §2.2: a PSK handshake has no Certificate or CertificateVerify. */
static bool resumed(const tg_conn *c) { return c->info.resumed; }

static tg_status start_client(tg_conn *c, const tg_handshake *m) {
  (void)m;
  return tg_client_send_hello(c);
}

static bool sent_hello_retry(const tg_conn *c) { return c->info.hello_retry; }

/* RFC 8446 §4.2.10: 0-RTT accepted (EncryptedExtensions carries early_data). */
static bool early_accepted(const tg_conn *c) {
  return c->info.early_data == TG_EARLY_DATA_ACCEPTED;
}

/* TLS 1.2 (RFC 5246 §7.3). */
static bool is12(const tg_conn *c) { return tg_is12(c); }
static bool resumed12(const tg_conn *c) { return tg_is12(c) && c->info.resumed; }
static bool resumed12_ticket(const tg_conn *c) { return resumed12(c) && c->ticket_promised; }
static bool ecdhe12(const tg_conn *c) {
  return c->ks.suite && c->ks.suite->kx == TG_SUITE_KX_ECDHE;
}
static bool ticket_promised(const tg_conn *c) { return c->ticket_promised; }
static bool wants_client_cert12(const tg_conn *c) { return tg_is12(c) && wants_client_cert(c); }
static bool client_cert12(const tg_conn *c) { return c->peer_cert_nonempty; }
/* An empty client Certificate (request_client_cert, or let through by permissive.h) has no
 * CertificateVerify. */
static bool no_client_cert(const tg_conn *c) { return !c->peer_cert_nonempty; }

/* RFC 8446 Appendix A.1 (client) and A.2 (server), with PSK resumption and 0-RTT. */
static const tg_transition transitions[] = {
    {TG_ST_C_START, EV_START, start_client, TG_ST_C_WAIT_SH, NULL, 0},
    /* The ServerHello decides the version: TLS 1.2 rows first (RFC 5246 §7.3 for those). */
    {TG_ST_C_WAIT_SH, TG_HS_server_hello, tg_client_on_server_hello, TG_ST_C12_WAIT_TICKET,
     resumed12_ticket, 0},
    {TG_ST_C_WAIT_SH, TG_HS_server_hello, tg_client_on_server_hello, TG_ST_C12_WAIT_CCS, resumed12,
     0},
    {TG_ST_C_WAIT_SH, TG_HS_server_hello, tg_client_on_server_hello, TG_ST_C12_WAIT_CERT, is12, 0},
    {TG_ST_C_WAIT_SH, TG_HS_server_hello, tg_client_on_server_hello, TG_ST_C_WAIT_EE, NULL, 0},
    {TG_ST_C_WAIT_SH, EV_HRR, tg_client_on_hello_retry_request, TG_ST_C_WAIT_SH2, NULL, 0},
    /* RFC 8446 §4.1.4: a second HelloRetryRequest is unexpected_message (no row). */
    {TG_ST_C_WAIT_SH2, TG_HS_server_hello, tg_client_on_server_hello, TG_ST_C_WAIT_EE, NULL, 0},
    /* 0-RTT accepted: the server Finished is answered with EndOfEarlyData first (§4.5). */
    {TG_ST_C_WAIT_EE, TG_HS_encrypted_extensions, tg_client_on_encrypted_extensions,
     TG_ST_C_WAIT_FIN_EOED, early_accepted, 0},
    {TG_ST_C_WAIT_EE, TG_HS_encrypted_extensions, tg_client_on_encrypted_extensions,
     TG_ST_C_WAIT_FINISHED, resumed, 0},
    {TG_ST_C_WAIT_EE, TG_HS_encrypted_extensions, tg_client_on_encrypted_extensions,
     TG_ST_C_WAIT_CERT_CR, NULL, 0},
    {TG_ST_C_WAIT_CERT_CR, TG_HS_certificate_request, tg_client_on_certificate_request,
     TG_ST_C_WAIT_CERT, NULL, 0},
    {TG_ST_C_WAIT_CERT_CR, TG_HS_certificate, tg_on_certificate, TG_ST_C_WAIT_CV, NULL, 0},
    {TG_ST_C_WAIT_CERT, TG_HS_certificate, tg_on_certificate, TG_ST_C_WAIT_CV, NULL, 0},
    {TG_ST_C_WAIT_CV, TG_HS_certificate_verify, tg_on_certificate_verify, TG_ST_C_WAIT_FINISHED,
     NULL, 0},
    {TG_ST_C_WAIT_FINISHED, TG_HS_finished, tg_client_on_finished, TG_ST_CONNECTED, NULL, 0},
    {TG_ST_C_WAIT_FIN_EOED, TG_HS_finished, tg_client_on_finished_eoed, TG_ST_CONNECTED, NULL, 0},
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S12_WAIT_CCS, resumed12,
     0},
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S12_WAIT_CERT,
     wants_client_cert12, 0},
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S12_WAIT_CKE, is12, 0},
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_CH2,
     sent_hello_retry, 0},
    /* 0-RTT accepted (§4.2.10, resumed, so no CertificateRequest): early data, then
     * EndOfEarlyData under the early keys (§4.5); anywhere else it is unexpected_message. */
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_EOED,
     early_accepted, 0},
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_CERT,
     wants_client_cert, 0},
    {TG_ST_S_WAIT_CH, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_FINISHED, NULL,
     0},
    {TG_ST_S_WAIT_CH2, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_CERT,
     wants_client_cert, 0},
    {TG_ST_S_WAIT_CH2, TG_HS_client_hello, tg_server_on_client_hello, TG_ST_S_WAIT_FINISHED, NULL,
     0},
    {TG_ST_S_WAIT_CERT, TG_HS_certificate, tg_on_certificate, TG_ST_S_WAIT_FINISHED, no_client_cert,
     0},
    {TG_ST_S_WAIT_CERT, TG_HS_certificate, tg_on_certificate, TG_ST_S_WAIT_CV, NULL, 0},
    {TG_ST_S_WAIT_CV, TG_HS_certificate_verify, tg_on_certificate_verify, TG_ST_S_WAIT_FINISHED,
     NULL, 0},
    {TG_ST_S_WAIT_EOED, TG_HS_end_of_early_data, tg_server_on_end_of_early_data,
     TG_ST_S_WAIT_FINISHED, NULL, 0},
    {TG_ST_S_WAIT_FINISHED, TG_HS_finished, tg_server_on_finished, TG_ST_CONNECTED, NULL, 0},
    /* TLS 1.2 client (RFC 5246 §7.3): Certificate, [ServerKeyExchange] (ECDHE),
     * [CertificateRequest], ServerHelloDone; [NewSessionTicket] (RFC 5077 §3.3),
     * change_cipher_spec, Finished. */
    {TG_ST_C12_WAIT_CERT, TG_HS_certificate, tg12_client_on_certificate, TG_ST_C12_WAIT_SKE,
     ecdhe12, 0},
    {TG_ST_C12_WAIT_CERT, TG_HS_certificate, tg12_client_on_certificate, TG_ST_C12_WAIT_CR_SHD,
     NULL, 0},
    {TG_ST_C12_WAIT_SKE, TG_HS_server_key_exchange, tg12_client_on_server_key_exchange,
     TG_ST_C12_WAIT_CR_SHD, NULL, 0},
    {TG_ST_C12_WAIT_CR_SHD, TG_HS_certificate_request, tg12_client_on_certificate_request,
     TG_ST_C12_WAIT_SHD, NULL, 0},
    {TG_ST_C12_WAIT_CR_SHD, TG_HS_server_hello_done, tg12_client_on_server_hello_done,
     TG_ST_C12_WAIT_TICKET, ticket_promised, 0},
    {TG_ST_C12_WAIT_CR_SHD, TG_HS_server_hello_done, tg12_client_on_server_hello_done,
     TG_ST_C12_WAIT_CCS, NULL, 0},
    {TG_ST_C12_WAIT_SHD, TG_HS_server_hello_done, tg12_client_on_server_hello_done,
     TG_ST_C12_WAIT_TICKET, ticket_promised, 0},
    {TG_ST_C12_WAIT_SHD, TG_HS_server_hello_done, tg12_client_on_server_hello_done,
     TG_ST_C12_WAIT_CCS, NULL, 0},
    {TG_ST_C12_WAIT_TICKET, TG_HS_new_session_ticket, tg12_on_new_session_ticket,
     TG_ST_C12_WAIT_CCS, NULL, 0},
    {TG_ST_C12_WAIT_CCS, EV_CCS, tg12_on_ccs, TG_ST_C12_WAIT_FINISHED, NULL, 0},
    {TG_ST_C12_WAIT_FINISHED, TG_HS_finished, tg12_client_on_finished, TG_ST_CONNECTED, NULL, 0},
    /* TLS 1.2 server: [Certificate], ClientKeyExchange, [CertificateVerify], change_cipher_spec,
     * Finished; resumed: change_cipher_spec, Finished. */
    {TG_ST_S12_WAIT_CERT, TG_HS_certificate, tg12_server_on_certificate, TG_ST_S12_WAIT_CKE, NULL,
     0},
    {TG_ST_S12_WAIT_CKE, TG_HS_client_key_exchange, tg12_server_on_client_key_exchange,
     TG_ST_S12_WAIT_CV, client_cert12, 0},
    {TG_ST_S12_WAIT_CKE, TG_HS_client_key_exchange, tg12_server_on_client_key_exchange,
     TG_ST_S12_WAIT_CCS, NULL, 0},
    {TG_ST_S12_WAIT_CV, TG_HS_certificate_verify, tg12_server_on_certificate_verify,
     TG_ST_S12_WAIT_CCS, NULL, 0},
    {TG_ST_S12_WAIT_CCS, EV_CCS, tg12_on_ccs, TG_ST_S12_WAIT_FINISHED, NULL, 0},
    {TG_ST_S12_WAIT_FINISHED, TG_HS_finished, tg12_server_on_finished, TG_ST_CONNECTED, NULL, 0},
    /* Post-handshake messages (RFC 8446 §4.6). A server never receives a NewSessionTicket. */
    {TG_ST_CONNECTED, TG_HS_key_update, tg_on_key_update, TG_ST_CONNECTED, NULL, V13},
    {TG_ST_CONNECTED, TG_HS_new_session_ticket, tg_client_on_new_session_ticket, TG_ST_CONNECTED,
     NULL, V13},
    /* TLS 1.2 renegotiation, refused with a warning (RFC 5746 §4.2, §4.4; RFC 5246 §7.2.2). */
    {TG_ST_CONNECTED, TG_HS_hello_request, tg12_client_on_hello_request, TG_ST_CONNECTED, NULL,
     V12C},
    {TG_ST_CONNECTED, TG_HS_client_hello, tg12_server_on_renegotiation, TG_ST_CONNECTED, NULL,
     V12S},
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
    [TG_ST_S_WAIT_EOED] = "server WAIT_EOED",
    [TG_ST_C_WAIT_FIN_EOED] = "client WAIT_FINISHED (0-RTT accepted)",
    [TG_ST_CONNECTED] = "CONNECTED",
    [TG_ST_C12_WAIT_CERT] = "client WAIT_CERT (TLS 1.2)",
    [TG_ST_C12_WAIT_SKE] = "client WAIT_SERVER_KEY_EXCHANGE (TLS 1.2)",
    [TG_ST_C12_WAIT_CR_SHD] = "client WAIT_CR_OR_SERVER_HELLO_DONE (TLS 1.2)",
    [TG_ST_C12_WAIT_SHD] = "client WAIT_SERVER_HELLO_DONE (TLS 1.2)",
    [TG_ST_C12_WAIT_TICKET] = "client WAIT_NEW_SESSION_TICKET (TLS 1.2)",
    [TG_ST_C12_WAIT_CCS] = "client WAIT_CHANGE_CIPHER_SPEC (TLS 1.2)",
    [TG_ST_C12_WAIT_FINISHED] = "client WAIT_FINISHED (TLS 1.2)",
    [TG_ST_S12_WAIT_CERT] = "server WAIT_CERT (TLS 1.2)",
    [TG_ST_S12_WAIT_CKE] = "server WAIT_CLIENT_KEY_EXCHANGE (TLS 1.2)",
    [TG_ST_S12_WAIT_CV] = "server WAIT_CV (TLS 1.2)",
    [TG_ST_S12_WAIT_CCS] = "server WAIT_CHANGE_CIPHER_SPEC (TLS 1.2)",
    [TG_ST_S12_WAIT_FINISHED] = "server WAIT_FINISHED (TLS 1.2)",
};

const char *tg_state_name(tg_state s) {
  return s < TG_ST_COUNT_ && state_names[s] ? state_names[s] : "?";
}

/* Application data other than in CONNECTED: the 0-RTT data of RFC 8446 §2.3, in the state
 * where EndOfEarlyData is awaited. */
bool tg_state_takes_early_data(const tg_conn *c) { return c->state == TG_ST_S_WAIT_EOED; }

/* The first row for the connection's state and event, or NULL. */
static const tg_transition *find(const tg_conn *c, uint16_t event) {
  for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
    const tg_transition *t = &transitions[i];
    /* A server's connection never takes a client row and vice versa. */
    bool fits = t->only == 0 || (t->only == V13 && !tg_is12(c)) ||
                (t->only == V12C && tg_is12(c) && !c->is_server) ||
                (t->only == V12S && tg_is12(c) && c->is_server);
    if (t->state == c->state && t->event == event && fits &&
        !(event == TG_HS_new_session_ticket && c->is_server && !tg_is12(c)))
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
  if (event == EV_CCS)
    return "change_cipher_spec";
  const char *name = tg_hs_type_name(event);
  return name ? name : "unknown";
}

/* The decoding context of the negotiated version: TLS 1.2 forms of Certificate,
 * CertificateRequest, NewSessionTicket and Finished, and the ClientKeyExchange of the suite. */
static tg_hs_ctx hs_ctx(const tg_conn *c) {
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13, .hash_len = (uint8_t)c->ks.hlen};
  if (tg_is12(c)) {
    ctx.version = TG_VERSION_TLS12;
    ctx.kx = c->ks.suite && c->ks.suite->kx == TG_SUITE_KX_RSA ? TG_KX_RSA : TG_KX_ECDHE;
  }
  return ctx;
}

/* Decodes one message into m and names its event. A TLS 1.2 HelloRequest (RFC 5246 §7.4.1.1),
 * which the message codecs refuse (it is never a TLS 1.3 message), is decoded here: its body is
 * empty. */
static tg_status decode(tg_conn *c, tg_bytes raw, tg_handshake *m, uint16_t *event) {
  if (tg_is12(c) && raw.len > 0 && raw.p[0] == TG_HS_hello_request) {
    TG_ENSURE(&c->err, raw.len == 4 && raw.p[1] == 0 && raw.p[2] == 0 && raw.p[3] == 0,
              decode_error, TG_E_LENGTH, "HelloRequest has a body (RFC 5246 7.4.1.1)");
    m->msg_type = TG_HS_hello_request;
  } else {
    tg_hs_ctx ctx = hs_ctx(c);
    tg_reader r;
    tg_reader_init(&r, raw.p, raw.len, &c->err);
    r.tolerate = TG_TOLERATED(c); /* permissive.h: the decoders' semantic checks */
    TG_TRY(tg_handshake_decode(&r, &ctx, m));
    TG_TRY(tg_read_done(&r, "Handshake"));
  }
  *event = m->msg_type == TG_HS_server_hello && m->u.server_hello.is_hrr ? EV_HRR : m->msg_type;
  const tg_hooks *h = c->cfg->hooks;
  if (h != NULL && h->received != NULL)
    h->received(h->ctx, c, m);
  return TG_OK;
}

/* Runs the row's handler and moves on; the TLS 1.2 message buffer ends with the handshake. */
static tg_status run(tg_conn *c, const tg_transition *t, const tg_handshake *m) {
  TG_TRY(t->handle(c, m));
  c->state = next_state(c, t);
  if (c->state == TG_ST_CONNECTED && c->info.phase == TG_PHASE_HANDSHAKE)
    c->info.phase = TG_PHASE_ESTABLISHED;
  if (c->t12_on && (c->info.version == TG_VERSION_TLS13 || c->state == TG_ST_CONNECTED)) {
    c->t12_on = false;
    explicit_bzero(c->t12.buf, c->t12.len);
    c->t12.len = 0;
  }
  return TG_OK;
}

/* Permissive (permissive.h): the message is dropped, the state stays. */
static tg_status unexpected(tg_conn *c, uint16_t event) {
  /* RFC 8446 §4: "...a peer which receives a handshake message in an unexpected order MUST abort
   * the handshake with an "unexpected_message" alert." (RFC 5246 §7.3 likewise.) */
  TG_PEER_CHECK_OR(c, &c->err, false, return TG_OK, unexpected_message, TG_E_BAD_VALUE,
                   "%s is not expected in state %s (RFC 8446 4)", event_name(event),
                   tg_state_name(c->state));
  return TG_OK;
}

tg_status tg_dispatch_ccs(tg_conn *c) {
  const tg_transition *t = find(c, EV_CCS);
  if (t == NULL)
    return unexpected(c, EV_CCS);
  tg_handshake m = {0};
  return run(c, t, &m);
}

tg_status tg_dispatch(tg_conn *c, tg_bytes raw) {
  tg_handshake m = {0};
  uint16_t event = EV_START;
  if (raw.p != NULL) {
    tg_status st = decode(c, raw, &m, &event);
    /* Permissive: a message of a type this engine does not read is dropped (it is complete: the
     * reassembly framed it). */
    TG_TRY(st == TG_E_UNKNOWN_TYPE ? TG_TOLERATE(c, st) : st);
    if (st != TG_OK)
      return TG_OK;
  }
  /* RFC 5246 §7.4.1.1: a HelloRequest during a handshake is ignored. */
  if (event == TG_HS_hello_request && c->state != TG_ST_CONNECTED && !c->is_server)
    return TG_OK;
  const tg_transition *t = find(c, event);
  if (t == NULL)
    return unexpected(c, event);
  if (raw.p != NULL && !(tg_is12(c) && c->state == TG_ST_CONNECTED)) {
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
  return run(c, t, &m);
}
