/* Record framing: reading TLSPlaintext/TLSCiphertext headers, writing records, fragmentation,
 * alerts and describing a record. Protection and content rules are in open.c.
 *
 *   struct {
 *       ContentType type;
 *       ProtocolVersion legacy_record_version;
 *       uint16 length;
 *       opaque fragment[TLSPlaintext.length];
 *   } TLSPlaintext;                                  (RFC 8446 §5.1; TLSCiphertext §5.2 alike)
 */
#include <string.h>

#include "tg/record.h"

static bool is13(const tg_record_rules *rules) { return rules->version == TG_VERSION_TLS13; }

/* RFC 8446 §5: "If a TLS implementation receives an unexpected record type, it MUST terminate the
 * connection with an "unexpected_message" alert." Protected TLS 1.3 records have outer type
 * application_data (§5.2); change_cipher_spec may still come in plaintext (§5, Appendix D.4). */
static tg_status check_type(uint8_t type, const tg_record_rules *rules, tg_err *err) {
  if (rules->protected_records && is13(rules)) {
    TG_ENSURE(err, type == TG_CT_application_data || type == TG_CT_change_cipher_spec,
              unexpected_message, TG_E_UNKNOWN_TYPE,
              "TLSCiphertext.opaque_type %u is not application_data (RFC 8446 5.2)", type);
    return TG_OK;
  }
  TG_ENSURE(err, type >= TG_CT_change_cipher_spec && type <= TG_CT_application_data,
            unexpected_message, TG_E_UNKNOWN_TYPE,
            "TLSPlaintext.type %u is not a known ContentType (RFC 8446 5)", type);
  return TG_OK;
}

static bool version_ok(uint16_t v, const tg_record_rules *rules) {
  switch (rules->version_check) {
  case TG_RECVER_ANY: return true;
  case TG_RECVER_MAJOR3: return (v >> 8) == 3;
  case TG_RECVER_STRICT: break;
  }
  if (v == TG_VERSION_TLS12)
    return true;
  if (!rules->initial_client_hello)
    return false;
  /* RFC 8446 §5.1: 0x0301 allowed on the initial ClientHello; RFC 5246 Appendix E.1: a TLS 1.2
   * client may use any version from SSL 3.0 up on its first record. */
  if (is13(rules))
    return v == TG_VERSION_TLS10;
  return v >= TG_VERSION_SSL30 && v <= TG_VERSION_TLS12;
}

/* The largest TLSPlaintext/TLSCiphertext.length the rules accept. */
static size_t max_length(const tg_record_rules *rules) {
  if (!rules->protected_records)
    return TG_MAX_PLAINTEXT; /* RFC 8449 §4: the size limit does not apply to unprotected records */
  /* RFC 8449 §4: the limit bounds TLSInnerPlaintext (1.3) or the plaintext (1.2); the ciphertext
   * may exceed it by the expansion the RFC allows: 255 in TLS 1.3, 2048 in TLS 1.2. */
  size_t limit = rules->record_size_limit;
  if (is13(rules)) {
    if (limit == 0 || limit > TG_MAX_INNER_PLAINTEXT)
      limit = TG_MAX_INNER_PLAINTEXT;
    return limit + 255; /* 2^14 + 256 without a limit, RFC 8446 §5.2 */
  }
  if (limit == 0 || limit > TG_MAX_PLAINTEXT)
    limit = TG_MAX_PLAINTEXT;
  return limit + 2048; /* RFC 5246 §6.2.3 */
}

tg_status tg_record_read(tg_bytes in, const tg_record_rules *rules, tg_record *rec,
                         size_t *consumed, tg_err *err) {
  tg_reader r;
  uint8_t type;
  uint16_t version, length;
  *consumed = 0;
  /* Each field is checked as soon as it is complete, so garbage fails early; a valid prefix
   * reports NEED_MORE (no err recorded: it is the stream's state, not the peer's fault). */
  tg_reader_init(&r, in.p, in.len, NULL);
  if (tg_read_u8(&r, &type, "TLSPlaintext.type") != TG_OK)
    return TG_E_NEED_MORE;
  TG_TRY(check_type(type, rules, err));
  if (tg_read_u16(&r, &version, "TLSPlaintext.legacy_record_version") != TG_OK)
    return TG_E_NEED_MORE;
  /* RFC 8446 §5.1: "MUST be set to 0x0303 for all records ... other than an initial
   * ClientHello ..., where it MAY also be 0x0301." */
  TG_ENSURE(err, version_ok(version, rules), protocol_version, TG_E_RECORD_VERSION,
            "TLSPlaintext.legacy_record_version 0x%04x is not accepted here", version);
  if (tg_read_u16(&r, &length, "TLSPlaintext.length") != TG_OK)
    return TG_E_NEED_MORE;
  /* RFC 8446 §5.1/§5.2, RFC 5246 §6.2.1/§6.2.3: an oversize record MUST be answered with
   * record_overflow. */
  size_t max = max_length(rules);
  TG_ENSURE(err, length <= max, record_overflow, TG_E_RECORD_OVERFLOW, "%s.length %u exceeds %zu",
            rules->protected_records ? "TLSCiphertext" : "TLSPlaintext", length, max);
  if (tg_read_bytes(&r, length, &rec->fragment, "TLSPlaintext.fragment") != TG_OK)
    return TG_E_NEED_MORE;
  rec->type = type;
  rec->legacy_record_version = version;
  rec->raw = tg_bytes_of(in.p, TG_RECORD_HEADER_LEN + (size_t)length);
  *consumed = rec->raw.len;
  return TG_OK;
}

void tg_record_write(tg_writer *w, uint8_t type, uint16_t legacy_record_version,
                     tg_bytes fragment) {
  tg_w_u8(w, type);
  tg_w_u16(w, legacy_record_version);
  size_t mark = tg_w_open(w, 2);
  tg_w_view(w, fragment);
  tg_w_close(w, mark, 2, 65535, "TLSPlaintext.fragment");
}

/* One protected record: header, then the TLSInnerPlaintext (1.3) or plaintext (1.2) built in
 * place in the output and sealed there, so no scratch buffer is needed. */
static tg_status send_protected(const tg_record_sender *s, uint8_t type, tg_bytes chunk,
                                tg_writer *w, tg_err *err) {
  const tg_protection *prot = s->prot;
  bool inner = s->version == TG_VERSION_TLS13;
  size_t inner_len = chunk.len + (inner ? 1 + s->padding : 0);
  size_t overhead = prot->ops->sealed_overhead ? prot->ops->sealed_overhead(prot->ctx, inner_len)
                                               : prot->ops->overhead(prot->ctx);
  size_t length = inner_len + overhead;
  TG_ENSURE(err, length <= 65535, internal_error, TG_E_LENGTH,
            "TLSCiphertext.length %zu does not fit uint16", length);
  uint8_t *hdr = tg_w_reserve(w, TG_RECORD_HEADER_LEN + length);
  TG_TRY(tg_writer_status(w));
  hdr[0] = inner ? (uint8_t)TG_CT_application_data : type; /* RFC 8446 §5.2 opaque_type */
  if (s->set_outer_type)
    hdr[0] = s->outer_type;
  hdr[1] = (uint8_t)(s->legacy_record_version >> 8);
  hdr[2] = (uint8_t)s->legacy_record_version;
  hdr[3] = (uint8_t)(length >> 8);
  hdr[4] = (uint8_t)length;
  /* The body is written through a writer over the reserved space, keeping to the codec idiom. */
  tg_writer body;
  tg_writer_init(&body, hdr + TG_RECORD_HEADER_LEN, length, err);
  tg_w_view(&body, chunk);
  if (inner) {
    tg_w_u8(&body, type);
    uint8_t *pad = tg_w_reserve(&body, s->padding);
    if (pad != NULL)
      memset(pad, 0, s->padding);
  }
  TG_TRY(tg_writer_status(&body));
  return prot->ops->seal(prot->ctx, tg_bytes_of(hdr, TG_RECORD_HEADER_LEN), body.buf, inner_len,
                         err);
}

tg_status tg_record_send(const tg_record_sender *s, uint8_t type, tg_bytes payload, tg_writer *w,
                         tg_err *err) {
  size_t max = s->max_fragment ? s->max_fragment : TG_MAX_PLAINTEXT;
  bool protect = s->prot != NULL && s->prot->ops != NULL;
  tg_reader r;
  tg_reader_init(&r, payload.p, payload.len, err);
  do {
    tg_bytes chunk;
    TG_TRY(tg_read_bytes(&r, tg_left(&r) < max ? tg_left(&r) : max, &chunk, "payload"));
    if (protect)
      TG_TRY(send_protected(s, type, chunk, w, err));
    else
      tg_record_write(w, type, s->legacy_record_version, chunk);
    TG_TRY(tg_writer_status(w));
  } while (tg_left(&r) > 0);
  return TG_OK;
}

/* ---- Alerts -------------------------------------------------------------------------------- */

tg_status tg_alert_parse(tg_bytes data, tg_alert_msg *out, tg_err *err) {
  /* RFC 8446 §5.1: "a record with an Alert type MUST contain exactly one message"; Alert is two
   * bytes (§6). A record shorter or longer is malformed: decode_error. */
  TG_ENSURE(err, data.len == 2, decode_error, TG_E_LENGTH,
            "Alert has length %zu, expected 2 (level, description)", data.len);
  tg_reader r;
  tg_reader_init(&r, data.p, data.len, err);
  TG_TRY(tg_read_u8(&r, &out->level, "Alert.level"));
  TG_TRY(tg_read_u8(&r, &out->description, "Alert.description"));
  return TG_OK;
}

void tg_alert_write(tg_writer *w, uint8_t level, uint8_t description) {
  tg_w_u8(w, level);
  tg_w_u8(w, description);
}

/* ---- Describe ------------------------------------------------------------------------------ */

/* Fields only, into the object the caller opened (as extension descriptors do). */
void tg_record_describe(tg_dump *d, const tg_record *rec) {
  tg_alert_msg a;
  tg_dump_uint(d, "content_type", rec->type, tg_content_type_name(rec->type));
  tg_dump_uint(d, "legacy_record_version", rec->legacy_record_version,
               tg_version_name(rec->legacy_record_version));
  tg_dump_uint(d, "length", rec->fragment.len, NULL);
  if (rec->type == TG_CT_alert && tg_alert_parse(rec->fragment, &a, NULL) == TG_OK) {
    tg_dump_begin(d, "alert");
    tg_dump_uint(d, "level", a.level, tg_alert_level_name(a.level));
    tg_dump_uint(d, "description", a.description, tg_alert_name(a.description));
    tg_dump_end(d);
  } else {
    tg_dump_bytes(d, "fragment", rec->fragment);
  }
}
