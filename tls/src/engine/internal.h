/* The engine's internals: the connection object, the handshake states, and the functions the
 * engine's files share. Not a public header: tests may include it (tls/src is on their include
 * path) to read secrets the RFC 8448 vectors list.
 *
 * Who does what:
 *   conn.c      buffers, feed/output, records in and out (the hooks->record choke point), alerts,
 *               application data, close_notify, the failure path
 *   send.c      outgoing handshake messages (the hooks->message / message_bytes choke point) and
 *               flights
 *   keysched.c  the RFC 8446 §7.1 key schedule, transcript hash, Finished, key installation
 *   table.c     the state tables and the dispatcher: the only place the state changes
 *   client.c    the client's messages;  server.c  the server's messages
 *   psk.c       resumption: tickets (issued, sealed, opened, kept), pre_shared_key and binders
 */
#ifndef TG_ENGINE_INTERNAL_H
#define TG_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/permissive.h"
#include "tg/engine.h"
#include "tg/kex.h"
#include "tg/protection.h"
#include "tg/record.h"

#define TG_MASTER_SECRET_LEN 48 /* RFC 5246 §8.1 */
#define TG_VERIFY_DATA_LEN 12   /* RFC 5246 §7.4.9 */

/* Handshake states (RFC 8446 Appendix A). Which message may come next is the table's business
 * (table.c); handlers never assign a state. */
typedef enum tg_state {
  TG_ST_C_START = 0,     /* client, before tg_conn_start */
  TG_ST_C_WAIT_SH,       /* ClientHello sent */
  TG_ST_C_WAIT_SH2,      /* second ClientHello sent, after a HelloRetryRequest */
  TG_ST_C_WAIT_EE,       /* ServerHello received, handshake keys in */
  TG_ST_C_WAIT_CERT_CR,  /* EncryptedExtensions received */
  TG_ST_C_WAIT_CERT,     /* CertificateRequest received */
  TG_ST_C_WAIT_CV,       /* server Certificate received */
  TG_ST_C_WAIT_FINISHED, /* server CertificateVerify received */
  TG_ST_S_WAIT_CH,       /* server, waiting for the ClientHello */
  TG_ST_S_WAIT_CH2,      /* HelloRetryRequest sent */
  TG_ST_S_WAIT_CERT,     /* server flight with a CertificateRequest sent */
  TG_ST_S_WAIT_CV,       /* client Certificate received */
  TG_ST_S_WAIT_FINISHED, /* server flight sent */
  TG_ST_S_WAIT_EOED,     /* server flight sent, 0-RTT accepted: early data, EndOfEarlyData */
  TG_ST_C_WAIT_FIN_EOED, /* 0-RTT accepted: server Finished, then EndOfEarlyData sent */
  TG_ST_CONNECTED,       /* both Finished done: post-handshake messages only */
  /* TLS 1.2 (RFC 5246 §7.3), after a ServerHello that negotiates it. */
  TG_ST_C12_WAIT_CERT,     /* client: ServerHello received (full handshake) */
  TG_ST_C12_WAIT_SKE,      /* server Certificate received, ECDHE suite */
  TG_ST_C12_WAIT_CR_SHD,   /* ServerKeyExchange (or, RSA key transport, Certificate) received */
  TG_ST_C12_WAIT_SHD,      /* CertificateRequest received */
  TG_ST_C12_WAIT_TICKET,   /* client flight sent (or resumed ServerHello), a ticket promised */
  TG_ST_C12_WAIT_CCS,      /* waiting for the server's change_cipher_spec */
  TG_ST_C12_WAIT_FINISHED, /* server change_cipher_spec received */
  TG_ST_S12_WAIT_CERT,     /* server flight with a CertificateRequest sent */
  TG_ST_S12_WAIT_CKE,      /* server flight sent (or client Certificate received) */
  TG_ST_S12_WAIT_CV,       /* ClientKeyExchange after a non-empty client Certificate */
  TG_ST_S12_WAIT_CCS,      /* waiting for the client's change_cipher_spec */
  TG_ST_S12_WAIT_FINISHED, /* client change_cipher_spec received */
  TG_ST_COUNT_
} tg_state;

const char *tg_state_name(tg_state s);

/* The key schedule of one connection (RFC 8446 §7.1); hlen bytes of each are in use. */
typedef struct tg_keysched {
  const tg_cipher_suite *suite;
  size_t hlen;
  uint8_t early_secret[TG_MAX_HASH_LEN];
  uint8_t binder_key[TG_MAX_HASH_LEN]; /* "res binder", when a PSK was offered or checked */
  uint8_t client_early_traffic_secret[TG_MAX_HASH_LEN]; /* 0-RTT offered (client) or accepted */
  uint8_t early_exporter_master_secret[TG_MAX_HASH_LEN];
  uint8_t handshake_secret[TG_MAX_HASH_LEN];
  uint8_t master_secret[TG_MAX_HASH_LEN];
  uint8_t client_handshake_traffic_secret[TG_MAX_HASH_LEN];
  uint8_t server_handshake_traffic_secret[TG_MAX_HASH_LEN];
  uint8_t client_application_traffic_secret_0[TG_MAX_HASH_LEN];
  uint8_t server_application_traffic_secret_0[TG_MAX_HASH_LEN];
  uint8_t exporter_master_secret[TG_MAX_HASH_LEN];
  uint8_t resumption_master_secret[TG_MAX_HASH_LEN];
} tg_keysched;

#define TG_MAX_KEY_SHARES 4
#define TG_MAX_CHAIN 16
#define TG_MAX_OFFERED_EXTS 32
#define TG_MAX_FLIGHT 16

struct tg_conn {
  const tg_config *cfg;
  bool is_server;
  tg_state state;
  struct tg_conn_info info;
  tg_err err;            /* the failure being built by the current call */
  bool peer_alerted;     /* the current failure is a fatal alert received: send none */
  uint8_t alpn_buf[256]; /* info.alpn points here */

  /* Buffers. tg_conn_new allocates the fixed ones in one block; the writers grow only when the
   * caller does not drain them (no allocation per record in the steady state). */
  tg_writer in;                      /* received bytes not yet processed (a partial record) */
  tg_writer out;                     /* bytes queued for the peer */
  tg_writer app;                     /* received application data not yet read */
  tg_writer flight;                  /* handshake messages queued for the current flight */
  size_t flight_ends[TG_MAX_FLIGHT]; /* where each queued message ends, for hooks->flight */
  size_t n_flight;
  tg_writer msg;   /* one outgoing handshake message being encoded */
  tg_writer ext;   /* an outgoing extensions block being built */
  uint8_t *recbuf; /* one decrypted record */
  size_t recbuf_cap;
  tg_hs_reasm reasm;

  /* Record protection, per direction; *_on says whether it is installed. */
  tg_prot13 rd, wr;
  bool rd_on, wr_on;
  tg_protection rd_prot, wr_prot;

  /* Transcript hash (RFC 8446 §4.4.1): SHA-256 and SHA-384 both run until the cipher suite is
   * known; then th_sel picks one. th_before is the hash before the message being handled. */
  tg_hash_ctx th[2];
  int th_sel;
  uint8_t th_before[TG_MAX_HASH_LEN];
  tg_hash_ctx th_prev[2]; /* before the message handled: while no suite is chosen, and for
                           * every ClientHello (its PSK binder) */
  tg_bytes cur_msg;       /* the message being handled, header included */
  tg_keysched ks;

  /* Negotiation. */
  uint8_t client_random[32], server_random[32];
  tg_kex_private kex[TG_MAX_KEY_SHARES]; /* client: one per share offered; server: kex[0] */
  size_t n_kex;
  uint8_t session_id[32]; /* legacy_session_id sent (client) or to echo (server) */
  size_t session_id_len;
  uint16_t offered_exts[TG_MAX_OFFERED_EXTS]; /* client: extension types of the ClientHello */
  size_t n_offered_exts;
  const tg_sig_scheme_desc *sig; /* server: the scheme it signs with */
  tg_public_key *peer_key;       /* the peer's leaf key, from the validator */
  bool ccs_received;
  bool rd_seen_protected; /* a protected record from the peer has opened */
  /* server: the client's first ClientHello offered early_data, which this server rejected:
   * how many more bytes of its 0-RTT records are skipped (RFC 8446 §4.2.10; engine.h
   * TG_EARLY_DATA_SKIP_MAX) */
  size_t early_skip_left;
  /* 0-RTT (engine.h "Early data"). client: the ticket's suite, when early data was sent under
   * it (NULL: none); server: how many more bytes of early data it takes, and what it took. */
  const tg_cipher_suite *early_suite;
  size_t early_left;
  tg_writer early;
  /* client: the server's CertificateRequest, answered after its Finished */
  bool cert_requested;
  uint8_t cr_context[255];
  size_t cr_context_len;
  /* HelloRetryRequest (RFC 8446 §4.1.4): the group asked for (0: none) and the cookie */
  uint16_t hrr_group;
  tg_writer cookie;
  bool close_sent;
  bool ccs_sent; /* the one middlebox compatibility change_cipher_spec */
  /* server: what the ClientHello asked for, for EncryptedExtensions */
  bool client_sni, client_rsl;
  /* RFC 8449: the peer's record_size_limit (0: none), which bounds what this side sends */
  uint16_t peer_record_size_limit;
  bool own_rsl_sent; /* a server answered the client's record_size_limit with its own */

  /* Resumption (psk.c). The PSK offered (client) or selected (server); psk_hash is its hash,
   * NULL when there is none. info.resumed says whether the handshake uses it. */
  uint8_t psk[TG_MAX_HASH_LEN];
  const tg_hash_desc *psk_hash;
  tg_ticket tickets[TG_MAX_TICKETS]; /* client: tickets received */
  size_t n_tickets;
  uint16_t tickets_sent; /* server: the next ticket_nonce */

  /* TLS 1.2 (tls12_*.c). */
  tg_prot12 rd12, wr12;
  uint8_t master_secret[TG_MASTER_SECRET_LEN];
  uint8_t client_verify_data[TG_VERIFY_DATA_LEN], server_verify_data[TG_VERIFY_DATA_LEN];
  uint16_t client_version; /* server: ClientHello.legacy_version (the RSA premaster's check) */
  bool ticket_promised;    /* the ServerHello carries session_ticket: a NewSessionTicket comes */
  bool peer_cert_nonempty; /* the peer's Certificate had a certificate */
  bool offered_session;    /* client: resuming tg_config.resume (a TLS 1.2 session) */
  /* The ECDHE premaster (client: computed at ServerKeyExchange) and the client's public key for
   * its ClientKeyExchange. */
  uint8_t premaster[TG_KEX_MAX_SECRET > 48 ? TG_KEX_MAX_SECRET : 48];
  size_t premaster_len;
  uint8_t client_share[TG_KEX_MAX_SHARE];
  size_t client_share_len;
  /* The handshake messages themselves: a TLS 1.2 CertificateVerify signs them, not a hash
   * (RFC 5246 §7.4.8). Kept while TLS 1.2 is possible and a CertificateVerify may come. */
  tg_writer t12;
  size_t t12_before; /* its length before the message being handled */
  bool t12_on;
};

/* The configured versions (tg_config.min_version/max_version, with their defaults). */
static inline uint16_t tg_cfg_max_version(const tg_config *cfg) {
  return cfg->max_version ? cfg->max_version : TG_VERSION_TLS13;
}
static inline uint16_t tg_cfg_min_version(const tg_config *cfg) {
  return cfg->min_version ? cfg->min_version : tg_cfg_max_version(cfg);
}
static inline bool tg_allows12(const tg_config *cfg) {
  return tg_cfg_min_version(cfg) <= TG_VERSION_TLS12;
}
static inline bool tg_allows13(const tg_config *cfg) {
  return tg_cfg_max_version(cfg) >= TG_VERSION_TLS13;
}
/* TLS 1.2 negotiated on this connection. */
static inline bool tg_is12(const tg_conn *c) { return c->info.version == TG_VERSION_TLS12; }

/* ---- conn.c -------------------------------------------------------------------------------- */

/* The hooks->record choke point: one record of content type `type` with fragment `data`
 * (protected when write keys are installed). */
TG_MUST_CHECK tg_status tg_conn_send_record(tg_conn *c, uint8_t type, tg_bytes data);
/* RFC 8446 Appendix D.4: the one plaintext change_cipher_spec of middlebox compatibility mode
 * (nothing if it was sent already). */
TG_MUST_CHECK tg_status tg_send_compat_ccs(tg_conn *c);
/* Content as records of at most max_fragment bytes each. */
TG_MUST_CHECK tg_status tg_conn_send_content(tg_conn *c, uint8_t type, tg_bytes data);
/* Records a failure (if not done yet), queues the alert it implies unless it came from the peer,
 * moves to TG_PHASE_FAILED. Returns st. */
tg_status tg_conn_fail(tg_conn *c, tg_status st);
/* The RNG of the configuration. */
void tg_conn_random(tg_conn *c, uint8_t *out, size_t len);

/* ---- send.c -------------------------------------------------------------------------------- */

/* The hooks->message and hooks->message_bytes choke point: encodes m, adds it to the transcript
 * and queues it in the current flight. */
TG_MUST_CHECK tg_status tg_send_message(tg_conn *c, tg_handshake *m);
/* Writes the queued flight as handshake records (coalesced, up to max_fragment each). */
TG_MUST_CHECK tg_status tg_flush_flight(tg_conn *c);
/* The writer an extensions block is built in (emptied). */
tg_writer *tg_ext_scratch(tg_conn *c);
/* Generates a key share for group g into kex (private scalar drawn from the RNG). */
TG_MUST_CHECK tg_status tg_keygen(tg_conn *c, const tg_group_desc *g, tg_kex_private *kex,
                                  uint8_t *share);

/* ---- keysched.c ---------------------------------------------------------------------------- */

void tg_transcript_init(tg_conn *c);
void tg_transcript_add(tg_conn *c, tg_bytes msg);
/* Selects the suite: fixes the transcript hash and the key schedule hash. */
void tg_ks_set_suite(tg_conn *c, const tg_cipher_suite *suite);
/* After a HelloRetryRequest (RFC 8446 §4.4.1): the transcript restarts as
 * message_hash(ClientHello1), given Hash(ClientHello1). */
void tg_transcript_restart(tg_conn *c, const uint8_t *ch1_hash);
/* The transcript hash now (hlen bytes). */
void tg_transcript_hash(const tg_conn *c, uint8_t *out);
/* 0-RTT (RFC 8446 §7.1): client_early_traffic_secret and early_exporter_master_secret from the
 * PSK in c->psk, under suite s, over the transcript so far (the ClientHello). */
TG_MUST_CHECK tg_status tg_ks_early(tg_conn *c, const tg_cipher_suite *s);
/* After ServerHello: early, handshake and handshake traffic secrets from the (EC)DHE secret. */
TG_MUST_CHECK tg_status tg_ks_handshake(tg_conn *c, tg_bytes shared_secret);
/* After the server Finished: master and application traffic secrets (and exporter). */
TG_MUST_CHECK tg_status tg_ks_application(tg_conn *c);
/* After the client Finished: resumption_master_secret. */
TG_MUST_CHECK tg_status tg_ks_resumption(tg_conn *c);
/* Finished.verify_data (RFC 8446 §4.4.4) from a traffic secret and a transcript hash. */
TG_MUST_CHECK tg_status tg_finished_mac(tg_conn *c, const uint8_t *base_key, const uint8_t *hash,
                                        uint8_t *out);
/* Installs keys for one direction from a traffic secret. */
TG_MUST_CHECK tg_status tg_install_read(tg_conn *c, const uint8_t *secret);
TG_MUST_CHECK tg_status tg_install_write(tg_conn *c, const uint8_t *secret);
/* The CertificateVerify content (RFC 8446 §4.4.3) for the given transcript hash. */
void tg_cv_content(tg_writer *w, bool server, const uint8_t *hash, size_t hlen);

/* ---- table.c ------------------------------------------------------------------------------- */

/* Decodes one complete Handshake message, checks it may come now, adds it to the transcript,
 * runs its handler and moves to the next state. */
TG_MUST_CHECK tg_status tg_dispatch(tg_conn *c, tg_bytes raw);
/* Whether the state is one where the client's 0-RTT application data may come (RFC 8446 §2.3). */
bool tg_state_takes_early_data(const tg_conn *c);

/* ---- client.c / server.c handlers ---------------------------------------------------------- */

TG_MUST_CHECK tg_status tg_client_send_hello(tg_conn *c);
TG_MUST_CHECK tg_status tg_client_on_server_hello(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg_client_on_hello_retry_request(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg_client_on_encrypted_extensions(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg_client_on_certificate_request(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg_client_on_finished(tg_conn *c, const tg_handshake *m);
/* With 0-RTT accepted: the server Finished, EndOfEarlyData, then the client's flight. */
TG_MUST_CHECK tg_status tg_client_on_finished_eoed(tg_conn *c, const tg_handshake *m);
/* auth.c: the server Finished checked and the application secrets derived (the first half of
 * tg_client_on_finished), and the client's second flight (its second half). */
TG_MUST_CHECK tg_status tg_client_check_server_finished(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg_client_second_flight(tg_conn *c);
TG_MUST_CHECK tg_status tg_client_on_new_session_ticket(tg_conn *c, const tg_handshake *m);

TG_MUST_CHECK tg_status tg_server_on_client_hello(tg_conn *c, const tg_handshake *m);
/* Client: every extension of block was offered (RFC 8446 §4.2, RFC 5246 §7.4.1.4:
 * unsupported_extension); exempt is a type allowed unasked, or 0. */
TG_MUST_CHECK tg_status tg_check_solicited(tg_conn *c, tg_bytes block, const char *msg,
                                           uint16_t exempt);
/* Client: the server's application_layer_protocol_negotiation body, into info.alpn. */
TG_MUST_CHECK tg_status tg_client_selected_alpn(tg_conn *c, tg_bytes body);
/* The cipher_suites a ClientHello offers: the configured list, or the defaults of the enabled
 * versions (TLS 1.3's, then TLS 1.2's). */
TG_MUST_CHECK tg_status tg_server_on_finished(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg_server_on_end_of_early_data(tg_conn *c, const tg_handshake *m);
/* Server: the ClientHello's server_name against tg_config.server_name (unrecognized_name), and
 * the ALPN protocol (no_application_protocol); both versions. */
TG_MUST_CHECK tg_status tg_server_check_server_name(tg_conn *c, const tg_client_hello *ch);
TG_MUST_CHECK tg_status tg_server_choose_alpn(tg_conn *c, const tg_client_hello *ch);

/* ---- TLS 1.2: tls12_keys.c, tls12_client.c, tls12_server.c -------------------------------- */

/* A suite usable in TLS 1.2 under this configuration (implemented, 1.2, RSA kx allowed). */
const tg_cipher_suite *tg_suite12(const tg_conn *c, uint16_t id);
/* cfg offers (client) or accepts (server) a TLS 1.2 CBC suite: a client then sends encrypt_then_mac. */
bool tg12_offers_cbc(const tg_config *cfg);
/* master_secret from the premaster (RFC 5246 §8.1, RFC 7627 §4 when info.ems). */
void tg12_master_secret(tg_conn *c, tg_bytes premaster);
/* Installs the read or write keys of the key block (RFC 5246 §6.3). */
void tg12_install_read(tg_conn *c);
void tg12_install_write(tg_conn *c);
/* Finished.verify_data (RFC 5246 §7.4.9) over the given transcript hash. */
void tg12_verify_data(tg_conn *c, bool server, const uint8_t *hash, uint8_t *out);
/* The extensions both hellos check alike: renegotiation_info, empty on an initial handshake
 * (RFC 5746 §3.4, §3.6), and ec_point_formats, which must list uncompressed (RFC 8422 §5.1.2,
 * §5.2). `hello` names the message in errors. */
TG_MUST_CHECK tg_status tg12_check_hello_exts(tg_conn *c, tg_bytes extensions, const char *hello);
TG_MUST_CHECK tg_status tg12_send_ccs_finished(tg_conn *c);
TG_MUST_CHECK tg_status tg12_check_finished(tg_conn *c, const tg_handshake *m);
/* The session of this connection as a TLS 1.2 tg_ticket (kept in c->tickets[0], client). */
void tg12_keep_session(tg_conn *c, tg_bytes ticket, uint32_t lifetime_hint);
/* The server's session state, serialized (cache and tickets) and parsed back. */
void tg12_session_encode(const tg_conn *c, tg_writer *w);
typedef struct tg12_session {
  uint16_t cipher_suite;
  bool ems;
  int64_t issued;
  uint8_t master_secret[TG_MASTER_SECRET_LEN];
  tg_bytes alpn;
} tg12_session;
bool tg12_session_decode(tg_bytes in, tg12_session *out);
/* RFC 5077 tickets sealed with ticket_key: seal appends the ticket to w; open returns false
 * when the ticket does not open. */
void tg12_ticket_seal(tg_conn *c, tg_bytes state, tg_writer *w);
bool tg12_ticket_open(tg_conn *c, tg_bytes ticket, uint8_t *state, size_t cap, size_t *len);

/* Client: the ServerHello of a TLS 1.2 handshake (after the version check), and the rest. */
TG_MUST_CHECK tg_status tg12_client_on_server_hello(tg_conn *c, const tg_server_hello *sh);
TG_MUST_CHECK tg_status tg12_client_on_certificate(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_client_on_server_key_exchange(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_client_on_certificate_request(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_client_on_server_hello_done(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_on_new_session_ticket(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_on_ccs(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_client_on_finished(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_client_on_hello_request(tg_conn *c, const tg_handshake *m);
/* Server: a ClientHello that negotiates TLS 1.2 (the version decided), and the rest. */
TG_MUST_CHECK tg_status tg12_server_on_client_hello(tg_conn *c, const tg_client_hello *ch);
TG_MUST_CHECK tg_status tg12_server_on_certificate(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_server_on_client_key_exchange(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_server_on_certificate_verify(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_server_on_finished(tg_conn *c, const tg_handshake *m);
TG_MUST_CHECK tg_status tg12_server_on_renegotiation(tg_conn *c, const tg_handshake *m);
/* The CertificateVerify / ServerKeyExchange scheme: the first of `offered` that the configured
 * key can make in TLS 1.2 (rsa_pkcs1_* allowed) and the configuration allows. */
const tg_sig_scheme_desc *tg12_pick_sig_scheme(const tg_conn *c, tg_bytes offered);
/* The dispatcher's entry for a change_cipher_spec in TLS 1.2 (conn.c): a table event. */
TG_MUST_CHECK tg_status tg_dispatch_ccs(tg_conn *c);
/* A warning alert (no_renegotiation). */
TG_MUST_CHECK tg_status tg_send_warning(tg_conn *c, uint8_t description);

/* ---- psk.c -------------------------------------------------------------------------------- */

/* Client: appends pre_shared_key (last) to the ClientHello's extensions when tg_config.resume can
 * be offered now, preceded by early_data when 0-RTT is offered too (c->early_suite), with a zero
 * binder that tg_psk_fill_binder replaces once the ClientHello is
 * encoded. */
TG_MUST_CHECK tg_status tg_client_psk_offer(tg_conn *c, tg_writer *ext);
/* Client: the binder (RFC 8446 §4.2.11.2) of the encoded ClientHello in msg, written in place,
 * over the transcript so far and the ClientHello up to its binders. Nothing when the message no
 * longer ends with a one-binder pre_shared_key (a hook removed it). */
TG_MUST_CHECK tg_status tg_psk_fill_binder(tg_conn *c, tg_writer *msg);
/* Client: the ServerHello's pre_shared_key, if any: sets info.resumed. */
TG_MUST_CHECK tg_status tg_client_psk_accepted(tg_conn *c, const tg_server_hello *sh);
/* Server: picks the first offered PSK it can use (its own ticket, or tg_config.resume) and
 * verifies its binder; sets info.resumed. Nothing usable: a full handshake. */
TG_MUST_CHECK tg_status tg_server_psk_choose(tg_conn *c, const tg_client_hello *ch,
                                             uint16_t *selected);
/* Server: the configured NewSessionTickets, after the client Finished. */
TG_MUST_CHECK tg_status tg_server_send_tickets(tg_conn *c);

/* auth.c: Certificate, CertificateVerify and Finished, both directions. A Certificate without
 * c->sig (a client that has no suitable certificate) is empty. */
TG_MUST_CHECK tg_status tg_send_certificate(tg_conn *c, tg_bytes context);
TG_MUST_CHECK tg_status tg_on_certificate(tg_conn *c, const tg_handshake *m);
/* Server: sends a CertificateRequest (tg_config.require_client_cert or request_client_cert). */
static inline bool tg_asks_client_cert(const tg_config *cfg) {
  return cfg->require_client_cert || cfg->request_client_cert;
}
/* The peer's certificate_list, either version, either role: the one place that validates it (or,
 * without a validator, parses the leaf's key) into c->peer_key, and names the alert of each
 * failure (the table above its definition). */
TG_MUST_CHECK tg_status tg_take_peer_certificate(tg_conn *c, tg_bytes certificate_list,
                                                 uint16_t version);
TG_MUST_CHECK tg_status tg_on_certificate_verify(tg_conn *c, const tg_handshake *m);
/* The first scheme of `offered` that the configured key can make and the configuration allows;
 * NULL if none. */
const tg_sig_scheme_desc *tg_pick_sig_scheme(const tg_conn *c, tg_bytes offered);
TG_MUST_CHECK tg_status tg_send_certificate_verify(tg_conn *c);
TG_MUST_CHECK tg_status tg_send_finished(tg_conn *c, const uint8_t *base_key);
TG_MUST_CHECK tg_status tg_check_finished(tg_conn *c, const tg_handshake *m,
                                          const uint8_t *base_key);

/* RFC 8446 §5.5: a KeyUpdate before the write key reaches its usage limit. */
TG_MUST_CHECK tg_status tg_update_if_needed(tg_conn *c);

/* RFC 8449 record_size_limit (send.c): the value this side advertises (tg_config's, or 2^14+1);
 * the limit its protected records are read under now (0: none agreed yet); the content bytes
 * per record it may send now (the peer's limit, tg_config.max_fragment, 2^14). */
uint16_t tg_own_record_size_limit(const tg_conn *c);
uint16_t tg_read_size_limit(const tg_conn *c);
size_t tg_send_fragment_max(const tg_conn *c);
TG_MUST_CHECK tg_status tg_on_key_update(tg_conn *c, const tg_handshake *m);

/* Defaults of the configuration lists (wire bytes). */
tg_bytes tg_default_cipher_suites(void);
tg_bytes tg_default_groups(void);
tg_bytes tg_default_sig_schemes(void);
static inline const tg_cipher_suite *tg_find_suite(const tg_conn *c, uint16_t id) {
  return c->cfg->find_suite ? c->cfg->find_suite(id) : tg_cipher_suite_find(id);
}
static inline tg_bytes tg_cfg_list(tg_bytes given, tg_bytes (*dflt)(void)) {
  return given.len ? given : dflt();
}

#endif
