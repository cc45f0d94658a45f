/* The record layer: TLSPlaintext/TLSCiphertext framing (RFC 8446 §5, RFC 5246 §6.2), the record
 * protection interface, TLSInnerPlaintext, alerts, change_cipher_spec, and handshake reassembly.
 *
 * Sans-I/O. The caller owns every buffer:
 *   tg_record_read   parses one record header + fragment from the front of a byte stream, as a
 *                    view; TG_E_NEED_MORE (not a peer error) when the stream holds only a prefix.
 *   tg_record_open   turns a record into content {type, bytes}: through the installed protection
 *                    (NULL = plaintext), TLSInnerPlaintext padding removal in TLS 1.3, and the
 *                    per-type content rules (zero-length fragments, change_cipher_spec value).
 *   tg_record_send   writes content as records of at most N bytes, protected when installed.
 *   tg_hs_reasm_*    coalesced and fragmented handshake messages, over a caller buffer.
 *
 * The framing code knows nothing of ciphers: record protection (AEAD) is a tg_protection vtable
 * that open/send call when one is installed, so the AEAD plugs in without changing this module.
 */
#ifndef TG_RECORD_H
#define TG_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"
#include "tg/names.h"

#define TG_RECORD_HEADER_LEN 5
/* RFC 8446 §5.1 / RFC 5246 §6.2.1: TLSPlaintext.length MUST NOT exceed 2^14. */
#define TG_MAX_PLAINTEXT 16384u
/* RFC 8446 §5.2: TLSCiphertext.length MUST NOT exceed 2^14 + 256. */
#define TG_MAX_CIPHERTEXT13 (TG_MAX_PLAINTEXT + 256u)
/* RFC 5246 §6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048. */
#define TG_MAX_CIPHERTEXT12 (TG_MAX_PLAINTEXT + 2048u)
/* RFC 8446 §5.4: the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets. */
#define TG_MAX_INNER_PLAINTEXT (TG_MAX_PLAINTEXT + 1u)

/* ---- Reading records ------------------------------------------------------------------------ */

/* How strictly legacy_record_version is checked. Failures are protocol_version alerts (what
 * OpenSSL and BoringSSL send for a "wrong version number"), code TG_E_RECORD_VERSION.
 *   TG_RECVER_MAJOR3 (default, 0): accepts any {3, x}. What a receiver must tolerate: RFC 8446
 *     §5.1 says the field "MUST be ignored for all purposes", RFC 5246 Appendix E.1 that a server
 *     accepts any {03,XX} on the ClientHello record. A major byte other than 3 is not TLS.
 *   TG_RECVER_STRICT: accepts only what a conforming sender writes: 0x0303 (RFC 8446 §5.1, and
 *     the negotiated TLS 1.2 itself, RFC 5246 §6.2.1); with initial_client_hello also 0x0301 in
 *     TLS 1.3 (RFC 8446 §5.1, Appendix D) and 0x0300..0x0303 in TLS 1.2 (RFC 5246 Appendix E.1).
 *   TG_RECVER_ANY: checks nothing (to describe arbitrary bytes). */
enum tg_recver_check { TG_RECVER_MAJOR3 = 0, TG_RECVER_STRICT = 1, TG_RECVER_ANY = 2 };

/* The limits a record is read under. A zeroed struct means: TLS 1.2 rules, not protected. */
typedef struct tg_record_rules {
  uint16_t version;          /* in force: TG_VERSION_TLS13, else TLS 1.2 rules */
  bool protected_records;    /* records are protected (after the key change) */
  bool initial_client_hello; /* may carry the initial ClientHello (for TG_RECVER_STRICT) */
  enum tg_recver_check version_check;
  /* RFC 8449 record_size_limit this endpoint advertised, 0 = none. Applies to protected
   * records only (RFC 8449 §4: "Unprotected messages ... are not subject to this limit"): in
   * TLS 1.3 it bounds TLSInnerPlaintext, in TLS 1.2 the plaintext. */
  uint16_t record_size_limit;
} tg_record_rules;

/* One record as read: views into the input stream. For a protected TLS 1.3 record type is the
 * outer opaque_type and fragment the encrypted_record. */
typedef struct tg_record {
  uint8_t type;                   /* ContentType */
  uint16_t legacy_record_version; /* ProtocolVersion */
  tg_bytes fragment;              /* length bytes */
  tg_bytes raw;                   /* the whole record, header included */
} tg_record;

/* Parses one record from the front of in. On success *consumed = 5 + length. The header is checked
 * as soon as its bytes are there (type, then version, then length against the rules): a bad
 * header fails even when the record is incomplete, a good prefix returns TG_E_NEED_MORE. NEED_MORE
 * is not recorded in err. Errors: unexpected_message (type), protocol_version (version),
 * record_overflow (length). The content rules are tg_record_open's. */
TG_MUST_CHECK tg_status tg_record_read(tg_bytes in, const tg_record_rules *rules, tg_record *rec,
                                       size_t *consumed, tg_err *err);

/* ---- Record protection --------------------------------------------------------------------- */

/* Record protection, as a vtable the AEAD implements. ctx holds keys and sequence numbers; each
 * successful call consumes one sequence number. header is the 5-byte record header (the TLS 1.3
 * additional data; TLS 1.2 rebuilds its own from it and the plaintext length). The framing code
 * guarantees fragment.len >= overhead before open, and out room for the stated lengths. */
typedef struct tg_protection_ops {
  /* Decrypts fragment into out (room for fragment.len - overhead bytes); *out_len is the
   * TLSInnerPlaintext (TLS 1.3) or plaintext (TLS 1.2) length. Failure: bad_record_mac. */
  TG_MUST_CHECK tg_status (*open)(void *ctx, tg_bytes header, tg_bytes fragment, uint8_t *out,
                                  size_t *out_len, tg_err *err);
  /* Encrypts the inner_len bytes at io in place, writing inner_len + overhead bytes at io (or
   * sealed_overhead(inner_len) when that is set). */
  TG_MUST_CHECK tg_status (*seal)(void *ctx, tg_bytes header, uint8_t *io, size_t inner_len,
                                  tg_err *err);
  /* TLSCiphertext length minus plaintext length (tag, explicit nonce); for a protection whose
   * expansion varies (CBC padding), the least a record can have. */
  size_t (*overhead)(const void *ctx);
  /* Optional (NULL: overhead): the expansion of a record of inner_len bytes about to be sealed. */
  size_t (*sealed_overhead)(const void *ctx, size_t inner_len);
} tg_protection_ops;

typedef struct tg_protection {
  const tg_protection_ops *ops;
  void *ctx;
} tg_protection;

/* Content recovered from a record. */
typedef struct tg_content {
  uint8_t type;  /* ContentType (the inner type of a protected TLS 1.3 record) */
  tg_bytes data; /* a view into the record, or into the caller's buffer when decrypted */
} tg_content;

/* Recovers the content of a record read under the same rules. Protected rules need prot (else
 * TG_E_USAGE); a TLS 1.3 change_cipher_spec record stays plaintext (RFC 8446 §5). Decrypts into
 * buf (cap >= fragment length). Then applies the content rules: TLSInnerPlaintext (TLS 1.3),
 * record_overflow on the plaintext size, zero-length handshake or alert → unexpected_message,
 * change_cipher_spec must be the byte 0x01. */
TG_MUST_CHECK tg_status tg_record_open(const tg_record *rec, const tg_record_rules *rules,
                                       const tg_protection *prot, uint8_t *buf, size_t cap,
                                       tg_content *out, tg_err *err);

/* RFC 8446 §5.4: strips the zero padding from the end of a TLSInnerPlaintext and recovers the
 * content type; all zeros → unexpected_message. Checks neither the type nor the size. */
TG_MUST_CHECK tg_status tg_inner_plaintext_parse(tg_bytes inner, uint8_t *type, tg_bytes *content,
                                                 tg_err *err);

/* The content rules alone (what tg_record_open applies after decryption). version selects the
 * TLS 1.3 change_cipher_spec rule. */
TG_MUST_CHECK tg_status tg_content_check(uint8_t type, tg_bytes data, uint16_t version,
                                         tg_err *err);

/* ---- Writing records ----------------------------------------------------------------------- */

/* One TLSPlaintext record as given. Limits are not enforced (deviations write oversize and
 * empty records on purpose); a fragment over 65535 bytes is a sticky writer error. */
void tg_record_write(tg_writer *w, uint8_t type, uint16_t legacy_record_version, tg_bytes fragment);

/* How content is written as records. A zeroed struct except legacy_record_version sends plaintext
 * records of up to 2^14 bytes. */
typedef struct tg_record_sender {
  uint16_t version;               /* in force: TG_VERSION_TLS13 selects TLSInnerPlaintext */
  uint16_t legacy_record_version; /* on the wire */
  const tg_protection *prot;      /* NULL = plaintext */
  size_t max_fragment;            /* content bytes per record; 0 = 2^14 */
  size_t padding;                 /* TLS 1.3 protected: zeros after the inner content type */
  /* Protected records: the header's type, authenticated as additional data, is outer_type
   * instead of application_data (1.3) or the content's type (1.2). Deviations only: a record
   * re-typed this way still authenticates, so the peer judges the type, not the MAC. */
  bool set_outer_type;
  uint8_t outer_type;
} tg_record_sender;

/* Writes payload as records of at most max_fragment content bytes each (fragmentation); an
 * empty payload is one empty record. Protected TLS 1.3 records carry opaque_type
 * application_data and TLSInnerPlaintext {content, type, zeros}. */
TG_MUST_CHECK tg_status tg_record_send(const tg_record_sender *s, uint8_t type, tg_bytes payload,
                                       tg_writer *w, tg_err *err);

/* ---- Alerts -------------------------------------------------------------------------------- */

/* struct { AlertLevel level; AlertDescription description; } Alert;  (RFC 8446 §6)
 * Unknown values are kept as numbers. */
typedef struct tg_alert_msg {
  uint8_t level;
  uint8_t description;
} tg_alert_msg;

/* Exactly 2 bytes (RFC 8446 §5.1: "a record with an Alert type MUST contain exactly one
 * message"); any other length → decode_error. */
TG_MUST_CHECK tg_status tg_alert_parse(tg_bytes data, tg_alert_msg *out, tg_err *err);
void tg_alert_write(tg_writer *w, uint8_t level, uint8_t description);

/* ---- Describe ------------------------------------------------------------------------------ */

/* content_type, legacy_record_version, length, and for a 2-byte alert record its level and
 * description; otherwise the fragment bytes. Emits fields into the object the caller opened. */
void tg_record_describe(tg_dump *d, const tg_record *rec);

/* ---- Handshake reassembly ------------------------------------------------------------------ */

/* Handshake messages over records: several per record, one over several records (RFC 8446 §5.1).
 * The caller gives the buffer; it must hold the largest message plus one record's content
 * (max_message + 2^14 + 1 is always enough if complete messages are popped before each push). */
typedef struct tg_hs_reasm {
  uint8_t *buf;
  size_t cap;
  size_t max_message; /* header + body; larger → illegal_parameter, TG_E_TOO_LARGE */
  size_t start;       /* first byte not popped */
  size_t len;         /* bytes in buf */
} tg_hs_reasm;

/* max_message 0 = cap. */
void tg_hs_reasm_init(tg_hs_reasm *h, uint8_t *buf, size_t cap, size_t max_message);
/* Appends the content of one handshake record (zero length: unexpected_message). Views returned
 * by earlier pops are invalid afterwards. */
TG_MUST_CHECK tg_status tg_hs_reasm_push(tg_hs_reasm *h, tg_bytes fragment, tg_err *err);
/* The next complete message (4-byte header + body) as a view into the buffer, or TG_E_NEED_MORE
 * (not recorded in err) when none is complete. */
TG_MUST_CHECK tg_status tg_hs_reasm_pop(tg_hs_reasm *h, tg_bytes *msg, tg_err *err);
/* True while bytes are buffered that have not been popped. */
bool tg_hs_reasm_pending(const tg_hs_reasm *h);
/* A record of another type arrived: unexpected_message if part of a message is buffered. */
TG_MUST_CHECK tg_status tg_hs_reasm_other_record(const tg_hs_reasm *h, uint8_t type, tg_err *err);
/* Keys change after the message just popped: unexpected_message if anything is still buffered
 * (RFC 8446 §5.1: such messages must align with a record boundary). */
TG_MUST_CHECK tg_status tg_hs_reasm_key_change(const tg_hs_reasm *h, tg_err *err);

#endif
