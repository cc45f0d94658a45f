/* The TLS engine: one connection, client or server, sans-I/O.
 *
 * The caller moves bytes: it feeds what arrived from the peer (tg_conn_feed), sends what the
 * engine queued (tg_conn_output, then tg_conn_output_consumed), and reads and writes application
 * data. The engine never touches a socket, a clock or a global RNG: randomness and time come
 * from the tg_config. It is the built-in implementation when no hooks are installed, and the
 * scripted endpoint of every scenario when they are.
 *
 * A fatal error queues the alert RFC 8446 §6.2 calls for (unless a hook suppresses it), moves the
 * connection to TG_PHASE_FAILED and is returned by the call that hit it; tg_conn_info keeps it.
 */
#ifndef TG_ENGINE_H
#define TG_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/crypto.h"
#include "tg/handshake.h"
#include "tg/sig.h"
#include "tg/validator.h"

typedef struct tg_conn tg_conn;

/* Seconds since the Unix epoch, injected. */
typedef struct tg_clock {
  int64_t (*now)(void *ctx);
  void *ctx;
} tg_clock;

/* A certificate chain with its private key: DER certificates, leaf first. */
typedef struct tg_cert_chain {
  const tg_bytes *certs;
  size_t len;
  const tg_private_key *key;
} tg_cert_chain;

/* ---- Deviation hooks ----------------------------------------------------------------------------
 * Every outgoing handshake message and record passes through here when hooks are installed. The
 * named deviations of the scenario format (the table in tg/deviations.h, later) are built on
 * these; the engine itself never consults a deviation by name. */

/* One record about to be written. A hook may change any field; fragment points into the
 * engine's buffer and may be replaced by bytes the hook owns until the next hook call. */
typedef struct tg_record_out {
  uint8_t type;                   /* outer ContentType */
  uint16_t legacy_record_version; /* on the wire */
  uint8_t inner_type;             /* TLS 1.3 protected: TLSInnerPlaintext.type */
  size_t padding;                 /* TLS 1.3 protected: zeros after inner_type */
  tg_bytes fragment;              /* the content, before protection */
  bool protect;                   /* false: send in the clear even after the key change */
} tg_record_out;

/* What tg_hooks.rsa_premaster may change. */
typedef struct tg_premaster_out {
  uint8_t *pms; /* the PreMasterSecret: client_version, then random bytes */
  size_t len, cap;
  tg_pms_padding padding;
} tg_premaster_out;

typedef enum tg_hook_action {
  TG_HOOK_SEND = 0, /* send (as edited) */
  TG_HOOK_SKIP = 1, /* do not send; the engine proceeds as if it had */
} tg_hook_action;

typedef struct tg_hooks {
  void *ctx;
  /* Before encoding: m may be edited (fields, extension blocks). Any of these may be NULL. */
  tg_hook_action (*message)(void *ctx, tg_conn *c, tg_handshake *m);
  /* After encoding: the full Handshake bytes (header included) in w, to edit in place or rewrite.
   * What is left in w is what is sent and what enters the transcript. */
  void (*message_bytes)(void *ctx, tg_conn *c, uint8_t msg_type, tg_writer *w);
  /* Each record: edit the framing, or skip it. */
  tg_hook_action (*record)(void *ctx, tg_conn *c, tg_record_out *r);
  /* Flights: called when the engine is about to flush the messages it queued for one flight;
   * a hook may reorder, duplicate, drop or inject messages (the array holds their bytes: views
   * into the engine's buffer, or bytes the hook owns until it is next called; at most cap).
   * The transcript keeps the messages as queued. */
  void (*flight)(void *ctx, tg_conn *c, tg_bytes *msgs, size_t *n, size_t cap);
  /* An observer, not a deviation: each handshake message received, once it has decoded and
   * before the state table checks its order (so the runner sees what the peer sent, expected or
   * not). */
  void (*received)(void *ctx, tg_conn *c, const tg_handshake *m);
  /* TLS 1.2 RSA key transport, the client: the PreMasterSecret before it is encrypted (RFC 5246
   * §7.4.7.1). A hook may change its bytes, its length (up to cap; the bytes past 48 are then
   * random), and how it is padded; the
   * client derives its keys from what it sent, so a server that keeps the rules of §7.4.7.1
   * ends the handshake at the client's Finished. */
  void (*rsa_premaster)(void *ctx, tg_conn *c, tg_premaster_out *p);
} tg_hooks;

/* ---- Early data (0-RTT: RFC 8446 §2.3, §4.2.10, §8) --------------------------------------------
 * Off by default on both sides.
 * Server: tg_config.max_early_data_size > 0 puts early_data(max_early_data_size) in its tickets.
 * A later ClientHello that offers early_data with such a ticket as its first PSK, the suite and
 * ALPN of the ticket, and no HelloRetryRequest, gets its 0-RTT data accepted: EncryptedExtensions
 * carries early_data, the data is read under client_early_traffic_secret up to the ticket's
 * max_early_data_size (more is unexpected_message, §4.6.1) and returned by tg_conn_read_early,
 * apart from 1-RTT data; EndOfEarlyData ends it. Otherwise it is rejected and skipped: after a
 * HelloRetryRequest every application_data record until the second ClientHello, else every
 * record that does not open under the handshake keys, until one does; at most
 * TG_EARLY_DATA_SKIP_MAX bytes of records (headers included), or, when max_early_data_size is
 * larger, that plus 256 bytes per 2^14 of record overhead; past it the record's own failure
 * stands (unexpected_message, bad_record_mac).
 * Anti-replay (§8.1, single-use tickets): 0-RTT needs a tg_ticket_store. The server tells it each
 * ticket it issues with early_data, and accepts 0-RTT on a ticket only if the store still holds
 * it, which forgets it then: a ticket carries 0-RTT at most once (a replayed ClientHello still
 * resumes, its early data rejected). Not covered: a store that loses its state (a restart, or
 * several servers sharing a ticket_key without sharing the store) lets a ticket be used again,
 * and the ticket age is not checked against a freshness window (§8.3).
 * Client: tg_config.early_data, when not empty and tg_config.resume is a TLS 1.3 ticket with a
 * max_early_data_size at least its length, is sent as 0-RTT right after the ClientHello (which
 * offers early_data), EndOfEarlyData after the server Finished if the server accepted it.
 * tg_conn_info.early_data says what became of it; rejected data is not sent again. */
#define TG_EARLY_DATA_SKIP_MAX 65536

typedef enum tg_early_data {
  TG_EARLY_DATA_NONE = 0,     /* not offered (client) / not asked for (server) */
  TG_EARLY_DATA_ACCEPTED = 1, /* client: delivered; server: read (tg_conn_read_early) */
  TG_EARLY_DATA_REJECTED = 2, /* client: not delivered; server: skipped */
} tg_early_data;

/* The server's outstanding tickets that allow 0-RTT (RFC 8446 §8.1), shared by its connections:
 * issued records a ticket (its bytes) as it is sent; redeem returns true and forgets the ticket
 * if it holds it, false otherwise. */
typedef struct tg_ticket_store {
  void *ctx;
  void (*issued)(void *ctx, tg_bytes ticket);
  bool (*redeem)(void *ctx, tg_bytes ticket);
} tg_ticket_store;

/* ---- Session tickets (RFC 8446 §4.6.1, §4.2.11) ------------------------------------------------
 * What a client keeps of a NewSessionTicket to resume with later: the ticket (the PSK identity),
 * the resumption PSK derived from it, and what the PSK may be used with. Plain data: the caller
 * copies it out of one connection (tg_conn_ticket) and points a later configuration at it
 * (tg_config.resume). */
#define TG_TICKET_MAX_LEN 1024 /* longer tickets are not kept */
#define TG_MAX_TICKETS 4       /* kept per connection: the first ones received */

typedef struct tg_ticket {
  uint16_t cipher_suite;        /* of the connection that issued it: fixes the PSK's hash */
  uint8_t psk[TG_MAX_HASH_LEN]; /* HKDF-Expand-Label(resumption_master_secret, "resumption", ...) */
  size_t psk_len;               /* the suite's Hash.length */
  uint8_t ticket[TG_TICKET_MAX_LEN];
  size_t ticket_len;
  uint32_t ticket_lifetime;     /* seconds */
  uint32_t ticket_age_add;      /* obfuscates the age sent in pre_shared_key */
  uint32_t max_early_data_size; /* its early_data extension; 0 without */
  int64_t received;             /* the client's clock when it arrived */
  /* TLS 1.2 sessions (RFC 5246 §7.4.1.2 session id, RFC 5077 ticket): version is
   * TG_VERSION_TLS12, psk holds the 48-byte master_secret, ticket the RFC 5077 ticket (may be
   * empty: resumption by session_id only). 0 or TG_VERSION_TLS13: a TLS 1.3 ticket as above. */
  uint16_t version;
  uint8_t session_id[32];
  size_t session_id_len;
  bool ems; /* the session's master secret is an extended one (RFC 7627) */
} tg_ticket;

/* ---- TLS 1.2 session cache (server, resumption by session_id, RFC 5246 §7.4.1.2) ----------
 * The engine stores each full handshake's session under the session_id it sends, and looks a
 * ClientHello's legacy_session_id up. The session is the engine's own bytes (at most
 * TG_SESSION_MAX_LEN; the master secret among them, so keep them private). Either function may
 * be NULL; the cache decides about expiry and size. */
#define TG_SESSION_MAX_LEN 256
typedef struct tg_session_cache {
  void *ctx;
  void (*put)(void *ctx, tg_bytes session_id, tg_bytes session);
  /* Copies the session into out (cap bytes) and returns its length; 0 when there is none. */
  size_t (*get)(void *ctx, tg_bytes session_id, uint8_t *out, size_t cap);
} tg_session_cache;

/* ---- Configuration ------------------------------------------------------------------------------
 */

/* Defaults of the lists (an empty list):
 *   cipher_suites     TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256
 *   groups            x25519, secp256r1, secp384r1 (values this engine does not implement may be
 *                     listed: they are advertised, never chosen)
 *   key_share_groups  the first implemented group of groups
 *   sig_schemes       ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, ed25519,
 *                     rsa_pss_rsae_sha256/384/512, rsa_pss_pss_sha256/384/512,
 *                     rsa_pkcs1_sha256/384/512 (certificates only)
 * Negotiation: the server's order picks the suite and the group (a HelloRetryRequest when the
 * client sent no share for that group), the peer's order the signature scheme.
 *
 * The client's ClientHello carries, in this order (RFC 8448 §3's): server_name (if set),
 * renegotiation_info (empty), supported_groups, session_ticket (empty), key_share,
 * supported_versions (TLS 1.3), signature_algorithms, cookie (after a HelloRetryRequest),
 * application_layer_protocol_negotiation (if set), psk_key_exchange_modes (psk_dhe_ke),
 * record_size_limit (2^14+1), pre_shared_key (when resuming; last, RFC 8446 §4.2.11).
 *
 * Randomness is drawn from rng in a fixed order, so a scripted rng reproduces a trace:
 *   client: ClientHello.random (32 bytes), the legacy_session_id (32, middlebox_compat only),
 *           then one private key per key share (private_len
 *           bytes each: RFC 7748 bytes for x25519, a big-endian scalar for the NIST curves,
 *           drawn again if outside [1, n-1]); after a HelloRetryRequest, the new share's key.
 *   server: ServerHello.random (32), its share's private key, then what the CertificateVerify
 *           signature draws (RSA-PSS: the Hash.length salt, then nettle's blinding; ECDSA: the
 *           nonce; Ed25519: nothing). A HelloRetryRequest draws nothing.
 *   client certificate: the CertificateVerify signature's, after the server Finished.
 *   server tickets: after the client Finished, per NewSessionTicket: ticket_age_add (4), then
 *           the nonce of the ticket's AEAD (12). */
typedef struct tg_config {
  /* TG_VERSION_TLS12 / TG_VERSION_TLS13. max_version 0 means TLS 1.3; min_version 0 means
   * max_version. So a zeroed configuration is TLS 1.3 only (as before TLS 1.2 existed here),
   * max_version TLS 1.2 alone is a pure TLS 1.2 client/server (no supported_versions, no
   * key_share), and min 1.2 with max 1.3 negotiates either: the client offers both, the server
   * picks 1.3 when offered and otherwise 1.2, with the RFC 8446 §4.1.3 downgrade sentinel. */
  uint16_t min_version, max_version;
  /* Preference-ordered lists as their wire bytes (big-endian u16 each); an empty list means the
   * engine's default. */
  tg_bytes cipher_suites;
  tg_bytes groups;               /* supported_groups */
  tg_bytes key_share_groups;     /* client: the groups it sends shares for (default: the first) */
  tg_bytes sig_schemes;          /* signature_algorithms */
  const tg_cert_chain *chain;    /* server: required; client: presented when asked */
  const tg_validator *validator; /* NULL: the peer's certificate is not verified */
  const char *server_name;       /* client: SNI and the name verified; server: expected SNI */
  tg_bytes alpn;                 /* ProtocolNameList body, wire form; empty: no ALPN */
  bool require_client_cert;      /* server */
  /* server: sends a CertificateRequest but goes on without a client certificate (one that is
   * sent is verified as with require_client_cert, which implies this). */
  bool request_client_cert;
  size_t record_padding; /* TLS 1.3: zero bytes added to every protected record */
  size_t max_fragment;   /* content bytes per record; 0 = 2^14 */
  /* RFC 8449 record_size_limit this endpoint advertises, TLS 1.3 only (a client in its
   * ClientHello, a server in EncryptedExtensions when the client sent one; in TLS 1.2 the
   * engine neither answers nor honours the extension): 64..16385; 0 means 2^14+1, the
   * protocol's maximum, which is still sent, as RFC 8449 §4 recommends. Once the peer has it too (a
   * server: the client offered the extension; a client: the server answered with one), a protected
   * record over it is record_overflow. The peer's limit, when it sends one, always bounds what this
   * side sends (TLS 1.3: the content type and record_padding count, RFC 8449 §4). */
  uint16_t record_size_limit;
  tg_rng rng;
  tg_clock clock;
  const tg_hooks *hooks; /* NULL: the built-in implementation */
  /* client: middlebox compatibility mode (RFC 8446 Appendix D.4): a 32-byte legacy_session_id
   * and one change_cipher_spec before the second flight. A server answers a ClientHello with a
   * non-empty legacy_session_id with one change_cipher_spec after its first message. */
  bool middlebox_compat;
  /* server: the cookie (RFC 8446 §4.2.2) a HelloRetryRequest carries, which the second
   * ClientHello must echo; empty: none. */
  tg_bytes hrr_cookie;
  /* The cipher suite descriptors by IANA value; NULL: tg_cipher_suite_find. A test or a fuzz
   * target swaps in its own (e.g. a pass-through AEAD, so encrypted messages are reachable). */
  const tg_cipher_suite *(*find_suite)(uint16_t id);
  /* SSLKEYLOGFILE lines (label, client_random, secret), for captures; may be NULL. */
  void (*keylog)(void *ctx, const char *label, tg_bytes client_random, tg_bytes secret);
  void *keylog_ctx;
  /* Resumption (RFC 8446 §2.2, psk_dhe_ke only; 0-RTT below).
   * server: ticket_key is the 16-byte AES-128-GCM key that seals its tickets; empty: it sends
   * no NewSessionTicket and resumes nothing of its own. With a key it sends num_tickets tickets
   * after the client Finished (0: one; negative: none, but tickets are still accepted), each
   * valid ticket_lifetime seconds (0: 7200). A ticket that does not open under the key, or has
   * expired, means a full handshake.
   * client: resume, when set, is offered as a pre_shared_key (if its suite's hash is that of an
   * offered suite and its age, by the clock, is within its lifetime).
   * server: resume, when set, is also accepted as a resumption PSK when a ClientHello offers its
   * ticket as the identity (tests and the scripted endpoint: an identity it did not issue). */
  tg_bytes ticket_key;
  int num_tickets;
  uint32_t ticket_lifetime;
  const tg_ticket *resume;
  /* 0-RTT (the "Early data" section above). server: max_early_data_size (0: none) and the
   * store of its tickets, required when max_early_data_size is set; a configured resume
   * ticket allows 0-RTT by its own max_early_data_size. client: early_data, the bytes to send
   * as 0-RTT (empty: none). */
  uint32_t max_early_data_size;
  const tg_ticket_store *ticket_store;
  tg_bytes early_data;
  /* ---- TLS 1.2 (RFC 5246), when min_version allows it -----------------------------------------
   * Default suites (an empty cipher_suites): after the TLS 1.3 ones (if 1.3 is enabled)
   * ECDHE_ECDSA then ECDHE_RSA with AES_128_GCM_SHA256, AES_256_GCM_SHA384,
   * CHACHA20_POLY1305_SHA256, then the ECDHE CBC suites (AES_128/256_CBC with SHA256/SHA384,
   * then with SHA), then, with rsa_key_exchange, TLS_RSA_WITH_AES_128/256_GCM_* and the
   * TLS_RSA_WITH_AES_*_CBC_* suites. A client offering a CBC suite also offers encrypt_then_mac
   * (RFC 7366), which a server echoes only when it picks a CBC suite (info.etm).
   * A server picks, in its order, a suite the client offered that its certificate's key fits
   * (ECDSA or RSA; RSA key transport needs an rsaEncryption key). Suites this engine does not
   * implement (3DES, RC4, export, ...) are never chosen: offered alone, handshake_failure.
   * rsa_key_exchange: allows the static RSA key exchange (TLS_RSA_WITH_*): a server never picks
   * it without, a client refuses a ServerHello choosing it (illegal_parameter). Off by default:
   * no forward secrecy.
   * ems_optional: RFC 7627 extended master secret is always offered (client) and used when both
   * sides have it. By default (false) it is required: a server refuses a ClientHello without
   * it, a client a ServerHello without it, with handshake_failure (RFC 7627 §5.2, §5.3 allow
   * aborting). true: a full handshake without EMS proceeds with the RFC 5246 master secret;
   * resumption still follows RFC 7627 §5.3/§5.4 (EMS must match the session's).
   * Resumption: tickets (RFC 5077) sealed with ticket_key when the client sends session_ticket;
   * by session_id through session_cache (server). A client resumes tg_config.resume when its
   * version is TG_VERSION_TLS12; after a full handshake tg_conn_ticket(c, 0) holds the session.
   * Renegotiation is refused: a ClientHello (server) or a HelloRequest (client) after the
   * handshake gets a warning no_renegotiation alert (RFC 5746 §4.2, §4.4 leave it optional). */
  bool rsa_key_exchange;
  bool ems_optional;
  const tg_session_cache *session_cache;
  /* Fuzzer mode (DESIGN.md, fuzz/ and tls/src/engine/fuzzmode.h): the Finished verify_data, the
   * CertificateVerify signature and the PSK binder are NOT checked, so a fuzzer reaches the states
   * behind them. Honoured only by a library compiled with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
   * (the fuzz builds); every other build ignores it. (The field is always there, so every
   * translation unit sees one layout of tg_config whatever its own macros.) */
  bool fuzzer_mode;
  /* Permissive mode (tls/src/engine/permissive.h): the target of `tlsgauntlet selftest`, which
   * accepts every bad input it can go on from (ignores received alerts, drops unexpected messages
   * and bad records, skips the Finished, CertificateVerify and certificate checks, ...) and never
   * sends an alert. Honoured only by a library compiled with TG_PERMISSIVE_BUILD (tg_permissive,
   * linked by tg-peer-permissive alone); every other build ignores it, as fuzzer_mode. */
  bool permissive;
} tg_config;

/* ---- Connection ---------------------------------------------------------------------------------
 */

typedef enum tg_phase {
  TG_PHASE_HANDSHAKE = 0,
  TG_PHASE_ESTABLISHED = 1,
  TG_PHASE_CLOSED = 2, /* close_notify sent and/or received; no more application data */
  TG_PHASE_FAILED = 3, /* a fatal alert was sent or received */
} tg_phase;

/* A struct tag only: tg_conn_info is also the name of the function that returns it (a typedef
 * of the same name would clash with it). */
struct tg_conn_info {
  tg_phase phase;
  uint16_t version;      /* negotiated, 0 before ServerHello */
  uint16_t cipher_suite; /* IANA value */
  uint16_t group;        /* key exchange group */
  uint16_t peer_sig_scheme;
  bool hello_retry;           /* a HelloRetryRequest happened */
  bool resumed;               /* a pre_shared_key was accepted: no certificates were sent */
  tg_early_data early_data;   /* 0-RTT: what became of it (engine.h "Early data") */
  bool peer_closed;           /* close_notify received */
  bool ems;                   /* TLS 1.2: extended master secret in use (RFC 7627) */
  bool etm;                   /* TLS 1.2 CBC: encrypt_then_mac in use (RFC 7366) */
  bool secure_renegotiation;  /* TLS 1.2: both sides signalled RFC 5746 */
  bool renegotiation_refused; /* TLS 1.2: the peer asked to renegotiate and we refused */
  tg_bytes alpn;              /* selected protocol, empty if none */
  int alert_sent;             /* AlertDescription of the fatal alert sent, or -1 */
  int alert_received;         /* AlertDescription of a fatal alert received, or -1 */
  /* The alerts received that left the connection up (TLS 1.2 warnings, user_canceled): how
   * many, and the last one's AlertDescription (or -1) and AlertLevel. */
  unsigned warnings_received;
  int warning_received;
  uint8_t warning_level;
  tg_err err;                 /* the failure, when phase is TG_PHASE_FAILED */
  tg_tolerated tolerated;     /* permissive mode: the checks let through (else count 0) */
};

/* What cfg offers (a client) or accepts (a server), its empty lists filled with the defaults:
 * cipher suites (by the versions it allows), supported groups, and the groups a client sends key
 * shares for. Wire bytes, 2 per code point. */
tg_bytes tg_offered_suites(const tg_config *cfg);
tg_bytes tg_offered_groups(const tg_config *cfg);
tg_bytes tg_offered_key_shares(const tg_config *cfg);

/* One allocation per connection (its buffers included); cfg and what it points to must outlive
 * the connection. NULL on allocation failure or an invalid configuration (err says which). */
tg_conn *tg_conn_new(const tg_config *cfg, bool is_server, tg_err *err);
void tg_conn_free(tg_conn *c);

/* Client: queues the ClientHello. Server: nothing to do (waits for input). */
TG_MUST_CHECK tg_status tg_conn_start(tg_conn *c);
/* Consumes all of in (partial records are buffered) and processes every complete record. */
TG_MUST_CHECK tg_status tg_conn_feed(tg_conn *c, tg_bytes in);
/* Bytes queued for the peer; they stay until tg_conn_output_consumed says how many were sent. */
tg_bytes tg_conn_output(const tg_conn *c);
void tg_conn_output_consumed(tg_conn *c, size_t n);
/* Application data: queued as protected records (established connections only). */
TG_MUST_CHECK tg_status tg_conn_write(tg_conn *c, tg_bytes data);
/* Received application data; returns the number of bytes copied into buf. */
size_t tg_conn_read(tg_conn *c, uint8_t *buf, size_t cap);
/* Server: received 0-RTT data (accepted early data), kept apart from 1-RTT data. */
size_t tg_conn_read_early(tg_conn *c, uint8_t *buf, size_t cap);
/* Queues close_notify (RFC 8446 §6.1). */
TG_MUST_CHECK tg_status tg_conn_close(tg_conn *c);
/* Queues a KeyUpdate (RFC 8446 §4.6.3); request_peer sets update_requested. */
TG_MUST_CHECK tg_status tg_conn_key_update(tg_conn *c, bool request_peer);

/* ---- The scripted endpoint's raw access -----------------------------------------------------
 * Not for the built-in implementation: these put on the wire what the engine would never send,
 * at the moment the caller (or a hook: the injected bytes precede the record being written)
 * chooses. Neither touches the transcript or the state. */

/* One record of content type `type` (legacy_record_version on the wire; 0 means 0x0303), protected
 * under the current write keys when protect is true and keys are installed (then `type` is the
 * inner content type), else in the clear. */
TG_MUST_CHECK tg_status tg_conn_inject_record(tg_conn *c, uint8_t type,
                                              uint16_t legacy_record_version, tg_bytes data,
                                              bool protect);
/* Bytes with no framing at all, appended to the output. */
TG_MUST_CHECK tg_status tg_conn_inject_raw(tg_conn *c, tg_bytes data);
/* Whether write keys are installed (what tg_conn_inject_record would protect with). */
bool tg_conn_write_protected(const tg_conn *c);

const struct tg_conn_info *tg_conn_info(const tg_conn *c);

/* Client: the tickets received so far (NewSessionTicket, RFC 8446 §4.6.1), the first
 * TG_MAX_TICKETS of them. tg_conn_ticket copies ticket i into out; false if there is none. */
size_t tg_conn_ticket_count(const tg_conn *c);
bool tg_conn_ticket(const tg_conn *c, size_t i, tg_ticket *out);
bool tg_conn_is_server(const tg_conn *c);

#endif
