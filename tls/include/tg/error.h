/* Errors of the tlsgauntlet TLS library: every failure names the TLS alert it implies, a stable
 * error code, the file:line of the check that failed, and a short human description.
 *
 * The idiom: functions that can fail return tg_status (0 on success, else the tg_code), and record
 * details in a tg_err that the caller owns. Five macros propagate them:
 *   TG_TRY(expr)                               return the failure of expr, if any
 *   TG_ENSURE(err, cond, alert, code, fmt...)  fail with alert/code unless cond holds
 *   TG_FAIL(err, alert, code, fmt...)          fail unconditionally
 *   TG_HERE                                    __FILE__, __LINE__ for functions taking a location
 *   TG_MUST_CHECK                              warn_unused_result
 */
#ifndef TG_ERROR_H
#define TG_ERROR_H

#include <stddef.h>
#include <stdint.h>

#define TG_MUST_CHECK __attribute__((warn_unused_result))

/* AlertDescription, RFC 8446 §6 and the TLS alerts registry. */
enum tg_alert {
  TG_ALERT_close_notify = 0,
  TG_ALERT_unexpected_message = 10,
  TG_ALERT_bad_record_mac = 20,
  TG_ALERT_decryption_failed = 21,
  TG_ALERT_record_overflow = 22,
  TG_ALERT_decompression_failure = 30,
  TG_ALERT_handshake_failure = 40,
  TG_ALERT_no_certificate = 41,
  TG_ALERT_bad_certificate = 42,
  TG_ALERT_unsupported_certificate = 43,
  TG_ALERT_certificate_revoked = 44,
  TG_ALERT_certificate_expired = 45,
  TG_ALERT_certificate_unknown = 46,
  TG_ALERT_illegal_parameter = 47,
  TG_ALERT_unknown_ca = 48,
  TG_ALERT_access_denied = 49,
  TG_ALERT_decode_error = 50,
  TG_ALERT_decrypt_error = 51,
  TG_ALERT_export_restriction = 60,
  TG_ALERT_protocol_version = 70,
  TG_ALERT_insufficient_security = 71,
  TG_ALERT_internal_error = 80,
  TG_ALERT_inappropriate_fallback = 86,
  TG_ALERT_user_canceled = 90,
  TG_ALERT_no_renegotiation = 100,
  TG_ALERT_missing_extension = 109,
  TG_ALERT_unsupported_extension = 110,
  TG_ALERT_certificate_unobtainable = 111,
  TG_ALERT_unrecognized_name = 112,
  TG_ALERT_bad_certificate_status_response = 113,
  TG_ALERT_bad_certificate_hash_value = 114,
  TG_ALERT_unknown_psk_identity = 115,
  TG_ALERT_certificate_required = 116,
  TG_ALERT_no_application_protocol = 120,
};

/* AlertLevel, RFC 8446 §6. */
enum tg_alert_level { TG_ALERT_LEVEL_warning = 1, TG_ALERT_LEVEL_fatal = 2 };

/* Stable error codes. Never renumber: they appear in JSON results and baselines.
 * Add new codes at the end of their group and to the table in codec/error.c. */
typedef enum tg_code {
  TG_OK = 0,
  /* decoding (1xx) */
  TG_E_TRUNCATED = 100,       /* fewer bytes than a field needs */
  TG_E_TRAILING = 101,        /* bytes left after a structure that must be consumed exactly */
  TG_E_LENGTH = 102,          /* a vector length outside its RFC bounds */
  TG_E_ODD_LENGTH = 103,      /* a vector of 2-byte items with an odd length */
  TG_E_BAD_VALUE = 104,       /* a field holds a value the RFC forbids */
  TG_E_DUPLICATE = 105,       /* an item that must be unique appears twice */
  TG_E_EXT_NOT_ALLOWED = 106, /* an extension in a message that may not carry it */
  TG_E_EXT_UNSOLICITED = 107, /* an extension the other side did not offer */
  TG_E_UNKNOWN_TYPE = 108,    /* an unknown message or content type */
  TG_E_TOO_LARGE = 109,       /* larger than the configured limit */
  /* record layer (2xx) */
  TG_E_RECORD_OVERFLOW = 200,
  TG_E_EMPTY_FRAGMENT = 201,
  TG_E_SPANS_KEY_CHANGE = 202,
  TG_E_NO_CONTENT_TYPE = 203,
  TG_E_RECORD_VERSION = 204,
  TG_E_NEED_MORE = 205, /* not an error of the peer: more input is needed */
  TG_E_BAD_RECORD_MAC = 206,
  TG_E_INTERLEAVED = 207,   /* another record type inside a fragmented handshake message */
  TG_E_SEQ_EXHAUSTED = 208, /* the 64-bit record sequence number would wrap (RFC 8446 5.3) */
  /* local (9xx) */
  TG_E_NOMEM = 900,
  TG_E_BUFFER_FULL = 901,
  TG_E_INTERNAL = 902,
  TG_E_USAGE = 903, /* the caller passed an invalid argument */
  /* Never used: keeps the enum signed with every compiler, so a tg_code compares with a
   * tg_status (int) without -Wsign-compare warnings. */
  TG_CODE_SIGNED_ = -1,
} tg_code;

typedef int tg_status; /* 0, or a tg_code */

/* What a failed check left behind. Messages are truncated to fit; they never allocate.
 * The first failure recorded wins (an outer check must not hide the inner cause), so a tg_err
 * reused for several independent operations is cleared with tg_err_clear between them. */
typedef struct tg_err {
  enum tg_alert alert;
  tg_code code;
  const char *file; /* relative to the source root, e.g. "tls/src/handshake/client_hello.c" */
  int line;
  char what[192];
} tg_err;

#define TG_HERE __FILE__, __LINE__

/* Records a failure in err (which may be NULL). */
void tg_fail_record(tg_err *err, enum tg_alert alert, tg_code code, const char *file, int line,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Records a failure and evaluates to code. A macro, so the compiler sees the (constant, non-zero)
 * result at each failing return and knows the success path is the only one that sets outputs. */
#define tg_fail(err, alert, code, ...) /* (..., file, line, fmt, args...) */                       \
  (tg_fail_record((err), (alert), (code), __VA_ARGS__), (tg_status)(code))

#define TG_TRY(expr)                                                                               \
  do {                                                                                             \
    tg_status tg_try_status_ = (expr);                                                             \
    if (tg_try_status_ != TG_OK)                                                                   \
      return tg_try_status_;                                                                       \
  } while (0)

#define TG_FAIL(err, alert, code, ...)                                                             \
  tg_fail((err), TG_ALERT_##alert, (code), TG_HERE, __VA_ARGS__)

#define TG_ENSURE(err, cond, alert, code, ...)                                                     \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      return TG_FAIL((err), alert, (code), __VA_ARGS__);                                           \
  } while (0)

/* The checks on the peer's input that a permissive connection let through instead of failing
 * (tg_config.permissive; tls/src/engine/permissive.h): how many, and the first of them (alert
 * and code as the check would have failed). Only a library built with TG_PERMISSIVE_BUILD ever
 * counts one. */
typedef struct tg_tolerated {
  unsigned count;
  tg_err first;
} tg_tolerated;

/* Counts one check let through in t (which may be NULL); the first one is kept. */
void tg_tolerate_record(tg_tolerated *t, enum tg_alert alert, tg_code code, const char *file,
                        int line, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

void tg_err_clear(tg_err *err);
/* "decode_error: <what> (<file>:<line>)" into buf; returns buf. */
const char *tg_err_format(const tg_err *err, char *buf, size_t len);
/* Stable name of a code ("truncated", "trailing_bytes", ...), or "unknown". */
const char *tg_code_name(tg_code code);

#endif
