/* From a record to its content: protection (when installed), TLSInnerPlaintext, and the rules on
 * the content of each type.
 *
 *   struct {
 *       opaque content[TLSPlaintext.length];
 *       ContentType type;
 *       uint8 zeros[length_of_padding];
 *   } TLSInnerPlaintext;                             (RFC 8446 §5.2)
 */
#include "tg/record.h"

tg_status tg_inner_plaintext_parse(tg_bytes inner, uint8_t *type, tg_bytes *content, tg_err *err) {
  /* RFC 8446 §5.4: the type is the last non-zero byte; the zeros after it are padding. Scanning
   * from the end costs the padding length, not the record length. */
  size_t len = tg_bytes_rtrim_zeros(inner);
  /* RFC 8446 §5.4: "If a receiving implementation does not find a non-zero octet in the cleartext,
   * it MUST terminate the connection with an "unexpected_message" alert." */
  TG_ENSURE(err, len != 0, unexpected_message, TG_E_NO_CONTENT_TYPE,
            "TLSInnerPlaintext of %zu bytes has no non-zero content type", inner.len);
  *type = inner.p[len - 1];
  *content = tg_bytes_of(inner.p, len - 1);
  return TG_OK;
}

/* ChangeCipherSpec: struct { enum { change_cipher_spec(1), (255) } type; } (RFC 5246 §7.1). */
static tg_status check_ccs(tg_bytes data, uint16_t version, tg_err *err) {
  tg_reader r;
  uint8_t value = 0;
  tg_reader_init(&r, data.p, data.len, NULL);
  bool one_byte = data.len == 1 && tg_read_u8(&r, &value, "ChangeCipherSpec.type") == TG_OK;
  if (version == TG_VERSION_TLS13) {
    /* RFC 8446 §5: "An implementation which receives any other change_cipher_spec value ...
     * MUST abort the handshake with an "unexpected_message" alert." */
    TG_ENSURE(err, one_byte && value == 0x01, unexpected_message, TG_E_BAD_VALUE,
              "change_cipher_spec record of %zu bytes is not the single byte 0x01", data.len);
    return TG_OK;
  }
  TG_ENSURE(err, one_byte, decode_error, TG_E_LENGTH, "ChangeCipherSpec has length %zu, expected 1",
            data.len);
  TG_ENSURE(err, value == 0x01, illegal_parameter, TG_E_BAD_VALUE,
            "ChangeCipherSpec.type is %u, expected 1", value);
  return TG_OK;
}

tg_status tg_content_check(uint8_t type, tg_bytes data, uint16_t version, tg_err *err) {
  switch (type) {
  case TG_CT_handshake:
    /* RFC 8446 §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types";
     * RFC 5246 §6.2.1 likewise. A received one is a message the peer must not send:
     * unexpected_message. */
    TG_ENSURE(err, data.len > 0, unexpected_message, TG_E_EMPTY_FRAGMENT,
              "handshake record has a zero-length fragment (RFC 8446 5.1)");
    return TG_OK;
  case TG_CT_alert:
    /* RFC 5246 §6.2.1 forbids zero-length alert fragments, RFC 8446 §5.1 fragmenting alerts. */
    TG_ENSURE(err, data.len > 0, unexpected_message, TG_E_EMPTY_FRAGMENT,
              "alert record has a zero-length fragment (RFC 8446 5.1)");
    TG_ENSURE(err, data.len == 2, decode_error, TG_E_LENGTH,
              "Alert has length %zu, expected 2 (RFC 8446 5.1: exactly one message)", data.len);
    return TG_OK;
  case TG_CT_change_cipher_spec: return check_ccs(data, version, err);
  case TG_CT_application_data:
    return TG_OK; /* RFC 8446 §5.1: zero-length application data MAY be sent */
  default:
    return TG_FAIL(err, unexpected_message, TG_E_UNKNOWN_TYPE,
                   "ContentType %u is not a known type (RFC 8446 5)", type);
  }
}

/* Decrypts a protected record into buf and recovers its content type. */
static tg_status open_protected(const tg_record *rec, const tg_record_rules *rules,
                                const tg_protection *prot, uint8_t *buf, size_t cap,
                                tg_content *out, tg_err *err) {
  bool is13 = rules->version == TG_VERSION_TLS13;
  TG_ENSURE(err, prot != NULL && prot->ops != NULL, internal_error, TG_E_USAGE,
            "protected record but no record protection installed");
  size_t overhead = prot->ops->overhead(prot->ctx);
  /* RFC 8446 §5.2: a record that cannot be decrypted is bad_record_mac, a short one included. */
  TG_ENSURE(err, rec->fragment.len >= overhead, bad_record_mac, TG_E_BAD_RECORD_MAC,
            "TLSCiphertext.length %zu is shorter than the %zu bytes of protection",
            rec->fragment.len, overhead);
  TG_ENSURE(err, cap >= rec->fragment.len - overhead, internal_error, TG_E_BUFFER_FULL,
            "plaintext buffer of %zu bytes is too small", cap);
  size_t plain_len = 0;
  tg_bytes header = tg_bytes_of(rec->raw.p, TG_RECORD_HEADER_LEN);
  TG_TRY(prot->ops->open(prot->ctx, header, rec->fragment, buf, &plain_len, err));
  tg_bytes plain = tg_bytes_of(buf, plain_len);
  /* RFC 8446 §5.4 / RFC 5246 §6.2.1 and RFC 8449 §4: the decrypted size has its own limit. */
  size_t limit = is13 ? TG_MAX_INNER_PLAINTEXT : TG_MAX_PLAINTEXT;
  if (rules->record_size_limit != 0 && rules->record_size_limit < limit)
    limit = rules->record_size_limit;
  TG_ENSURE(err, plain.len <= limit, record_overflow, TG_E_RECORD_OVERFLOW,
            "%s of %zu bytes exceeds %zu", is13 ? "TLSInnerPlaintext" : "plaintext", plain.len,
            limit);
  if (!is13) {
    out->type = rec->type;
    out->data = plain;
    return TG_OK;
  }
  TG_TRY(tg_inner_plaintext_parse(plain, &out->type, &out->data, err));
  /* RFC 8446 §5: "An implementation which receives ... a protected change_cipher_spec record MUST
   * abort the handshake with an "unexpected_message" alert." */
  TG_ENSURE(err, out->type != TG_CT_change_cipher_spec, unexpected_message, TG_E_BAD_VALUE,
            "protected record carries change_cipher_spec (RFC 8446 5)");
  return TG_OK;
}

tg_status tg_record_open(const tg_record *rec, const tg_record_rules *rules,
                         const tg_protection *prot, uint8_t *buf, size_t cap, tg_content *out,
                         tg_err *err) {
  /* A TLS 1.3 change_cipher_spec record is never protected (RFC 8446 §5, Appendix D.4). */
  bool plaintext = !rules->protected_records ||
                   (rules->version == TG_VERSION_TLS13 && rec->type == TG_CT_change_cipher_spec);
  if (plaintext) {
    out->type = rec->type;
    out->data = rec->fragment;
  } else {
    TG_TRY(open_protected(rec, rules, prot, buf, cap, out, err));
  }
  return tg_content_check(out->type, out->data, rules->version, err);
}
