/* Handshake messages over records (RFC 8446 §5.1): "Handshake messages MAY be coalesced into a
 * single TLSPlaintext record or fragmented across several records", with the rules that they
 * MUST NOT be interleaved with other record types and MUST NOT span key changes.
 *
 *   struct {
 *       HandshakeType msg_type;
 *       uint24 length;
 *       ...body...
 *   } Handshake;                                     (RFC 8446 §4)
 *
 * Bytes of handshake records are appended to a caller buffer; complete messages are popped as
 * views into it. Popped bytes are reclaimed on the next push, by moving the rest down.
 */
#include <string.h>

#include "tg/record.h"

void tg_hs_reasm_init(tg_hs_reasm *h, uint8_t *buf, size_t cap, size_t max_message) {
  h->buf = buf;
  h->cap = cap;
  h->max_message = max_message ? max_message : cap;
  h->start = 0;
  h->len = 0;
}

bool tg_hs_reasm_pending(const tg_hs_reasm *h) { return h->len > h->start; }

/* The size limit of one message. RFC 8446 does not name an alert for a message larger than an
 * endpoint accepts; the length is well-formed but its value is not acceptable, which is
 * illegal_parameter (RFC 8446 §6.2: "a field in the handshake was incorrect"), the alert OpenSSL
 * and BoringSSL send for an excessive message size. decode_error would claim bad framing. */
static tg_status check_size(const tg_hs_reasm *h, uint8_t msg_type, uint32_t length, tg_err *err) {
  TG_ENSURE(err, (size_t)length + 4 <= h->max_message, illegal_parameter, TG_E_TOO_LARGE,
            "Handshake.length %u (msg_type %u) exceeds the limit of %zu bytes", length, msg_type,
            h->max_message - 4);
  return TG_OK;
}

/* Walks the buffered messages: *complete is the number of unpopped bytes that form complete
 * messages. Fails when a buffered header announces a message over the limit, so an oversize
 * message is refused as soon as its header arrives, not after filling the buffer. */
static tg_status scan(const tg_hs_reasm *h, size_t *complete, tg_err *err) {
  tg_reader r;
  size_t total = h->len - h->start;
  tg_reader_init(&r, h->buf + h->start, total, NULL);
  *complete = 0;
  for (;;) {
    uint8_t msg_type;
    uint32_t length;
    tg_bytes body;
    if (tg_read_u8(&r, &msg_type, "Handshake.msg_type") != TG_OK ||
        tg_read_u24(&r, &length, "Handshake.length") != TG_OK)
      return TG_OK;
    TG_TRY(check_size(h, msg_type, length, err));
    if (tg_read_bytes(&r, length, &body, "Handshake.body") != TG_OK)
      return TG_OK;
    *complete = total - tg_left(&r);
  }
}

tg_status tg_hs_reasm_push(tg_hs_reasm *h, tg_bytes fragment, tg_err *err) {
  /* RFC 8446 §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types". */
  TG_ENSURE(err, fragment.len > 0, unexpected_message, TG_E_EMPTY_FRAGMENT,
            "handshake record has a zero-length fragment (RFC 8446 5.1)");
  if (h->start > 0) {
    memmove(h->buf, h->buf + h->start, h->len - h->start);
    h->len -= h->start;
    h->start = 0;
  }
  size_t room = h->cap - h->len;
  size_t n = fragment.len < room ? fragment.len : room;
  memcpy(h->buf + h->len, fragment.p, n);
  h->len += n;
  size_t complete;
  TG_TRY(scan(h, &complete, err));
  TG_ENSURE(err, n == fragment.len, internal_error, TG_E_BUFFER_FULL,
            "handshake reassembly buffer of %zu bytes is full", h->cap);
  return TG_OK;
}

tg_status tg_hs_reasm_pop(tg_hs_reasm *h, tg_bytes *msg, tg_err *err) {
  tg_reader r;
  uint8_t msg_type;
  uint32_t length;
  tg_bytes body;
  tg_reader_init(&r, h->buf + h->start, h->len - h->start, NULL);
  if (tg_read_u8(&r, &msg_type, "Handshake.msg_type") != TG_OK ||
      tg_read_u24(&r, &length, "Handshake.length") != TG_OK)
    return TG_E_NEED_MORE;
  TG_TRY(check_size(h, msg_type, length, err));
  if (tg_read_bytes(&r, length, &body, "Handshake.body") != TG_OK)
    return TG_E_NEED_MORE;
  *msg = tg_bytes_of(h->buf + h->start, 4 + (size_t)length);
  h->start += msg->len;
  return TG_OK;
}

tg_status tg_hs_reasm_other_record(const tg_hs_reasm *h, uint8_t type, tg_err *err) {
  size_t complete;
  TG_TRY(scan(h, &complete, err));
  /* RFC 8446 §5.1: "Handshake messages MUST NOT be interleaved with other record types. That is,
   * if a handshake message is split over two or more records, there MUST NOT be any other
   * records between them." */
  TG_ENSURE(err, h->len - h->start == complete, unexpected_message, TG_E_INTERLEAVED,
            "%s record inside a fragmented handshake message (%zu bytes buffered, RFC 8446 5.1)",
            tg_content_type_name(type) ? tg_content_type_name(type) : "unknown",
            h->len - h->start - complete);
  return TG_OK;
}

tg_status tg_hs_reasm_key_change(const tg_hs_reasm *h, tg_err *err) {
  /* RFC 8446 §5.1: "Handshake messages MUST NOT span key changes. Implementations MUST verify that
   * all messages immediately preceding a key change align with a record boundary; if not, then
   * they MUST terminate the connection with an "unexpected_message" alert." */
  TG_ENSURE(err, !tg_hs_reasm_pending(h), unexpected_message, TG_E_SPANS_KEY_CHANGE,
            "%zu handshake bytes in the same record as a key change (RFC 8446 5.1)",
            h->len - h->start);
  return TG_OK;
}
