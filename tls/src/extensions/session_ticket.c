/* session_ticket (RFC 5077 §3.2). */
#include "tg/ext/session_ticket.h"
#include "tg/names.h"

/* ClientHello: the whole body is the ticket, empty when the client asks for a new one. */
static tg_status read_ch(tg_reader *r, tg_session_ticket *out) {
  return tg_read_bytes(r, tg_left(r), &out->ticket, "SessionTicket.ticket");
}

/* RFC 5077 §3.2: "the server uses a zero-length SessionTicket extension to indicate to the
 * client that it will send a new session ticket"; any content is a length error. */
static tg_status read_sh(tg_reader *r) { return tg_read_done(r, "ServerHello session_ticket"); }

tg_status tg_session_ticket_parse_ch(tg_bytes body, tg_session_ticket *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_ch(&r, out);
}

tg_status tg_session_ticket_parse_sh(tg_bytes body, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_sh(&r);
}

void tg_session_ticket_emit_ch(tg_writer *w, const tg_session_ticket *st) {
  tg_ext_emit_raw(w, TG_EXT_session_ticket, st->ticket);
}

void tg_session_ticket_emit_sh(tg_writer *w) {
  tg_w_u16(w, TG_EXT_session_ticket);
  tg_w_u16(w, 0);
}

/* ServerHello: an empty body, no value. The ClientHello form, a tg_session_ticket, takes any
 * bytes; other messages have no form and keep them opaque the same way. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  if (where->ctx == TG_CTX_SH)
    return tg_session_ticket_parse_sh(body, err);
  return tg_session_ticket_parse_ch(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  if (where->ctx == TG_CTX_SH)
    tg_session_ticket_emit_sh(w);
  else
    tg_session_ticket_emit_ch(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  if (where->ctx == TG_CTX_SH && body.len == 0)
    return;
  tg_dump_bytes(d, where->ctx == TG_CTX_CH ? "ticket" : "extension_data", body);
}

/* Not a TLS 1.3 extension: allowed13 is 0 (a 1.3 ClientHello may still carry it). */
const tg_ext_desc tg_ext_session_ticket_desc = {
    .type = TG_EXT_session_ticket,
    .name = "session_ticket",
    .allowed13 = 0,
    .value_size = sizeof(tg_session_ticket),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
