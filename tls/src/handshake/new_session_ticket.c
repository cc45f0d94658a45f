/* NewSessionTicket (RFC 8446 §4.6.1; TLS 1.2: RFC 5077 §3.3). */
#include <string.h>

#include "engine/permissive.h"
#include "tg/extensions.h"
#include "tg/handshake.h"

/* RFC 8446 §4.6.1:
 *   struct {
 *       uint32 ticket_lifetime;
 *       uint32 ticket_age_add;
 *       opaque ticket_nonce<0..255>;
 *       opaque ticket<1..2^16-1>;
 *       Extension extensions<0..2^16-2>;
 *   } NewSessionTicket;
 */
static tg_status decode13(tg_reader *body, tg_new_session_ticket *out) {
  tg_reader nonce, ticket, extensions;
  TG_TRY(tg_read_u32(body, &out->ticket_lifetime, "NewSessionTicket.ticket_lifetime"));
  /* RFC 8446 §4.6.1: "Servers MUST NOT use any value greater than 604800 seconds (7 days)." */
  TG_PEER_CHECK_IN(body->tolerate, body->err, out->ticket_lifetime <= TG_TICKET_LIFETIME_MAX,
                   illegal_parameter, TG_E_BAD_VALUE,
                   "NewSessionTicket.ticket_lifetime %u exceeds 604800 (RFC 8446 4.6.1)",
                   (unsigned)out->ticket_lifetime);
  TG_TRY(tg_read_u32(body, &out->ticket_age_add, "NewSessionTicket.ticket_age_add"));
  TG_TRY(tg_read_vec(body, 1, 0, 0xff, &nonce, "NewSessionTicket.ticket_nonce"));
  TG_TRY(tg_read_vec(body, 2, 1, 0xffff, &ticket, "NewSessionTicket.ticket"));
  TG_TRY(tg_read_vec(body, 2, 0, 0xfffe, &extensions, "NewSessionTicket.extensions"));
  TG_TRY(tg_read_done(body, "NewSessionTicket"));
  out->ticket_nonce = tg_reader_rest(&nonce);
  out->ticket = tg_reader_rest(&ticket);
  out->extensions = tg_reader_rest(&extensions);
  const tg_ext_where where = {TG_CTX_NST, TG_VERSION_TLS13};
  return tg_extensions_check_in(out->extensions, &where, body);
}

/* RFC 5077 §3.3:
 *   struct {
 *       uint32 ticket_lifetime_hint;
 *       opaque ticket<0..2^16-1>;
 *   } NewSessionTicket;
 * An empty ticket is how a server that announced one declines to send it after all. */
static tg_status decode12(tg_reader *body, tg_new_session_ticket *out) {
  tg_reader ticket;
  TG_TRY(tg_read_u32(body, &out->ticket_lifetime_hint, "NewSessionTicket.ticket_lifetime_hint"));
  TG_TRY(tg_read_vec(body, 2, 0, 0xffff, &ticket, "NewSessionTicket.ticket"));
  TG_TRY(tg_read_done(body, "NewSessionTicket"));
  out->ticket = tg_reader_rest(&ticket);
  return TG_OK;
}

tg_status tg_new_session_ticket_decode(tg_reader *body, const tg_hs_ctx *ctx,
                                       tg_new_session_ticket *out) {
  memset(out, 0, sizeof *out);
  if (ctx->version == TG_VERSION_TLS13)
    return decode13(body, out);
  return decode12(body, out);
}

static void put_vec(tg_writer *w, unsigned prefix, size_t max, tg_bytes v, const char *field) {
  size_t mark = tg_w_open(w, prefix);
  tg_w_view(w, v);
  tg_w_close(w, mark, prefix, max, field);
}

void tg_new_session_ticket_encode(tg_writer *w, const tg_hs_ctx *ctx,
                                  const tg_new_session_ticket *m) {
  if (ctx->version != TG_VERSION_TLS13) {
    tg_w_u32(w, m->ticket_lifetime_hint);
    put_vec(w, 2, 0xffff, m->ticket, "NewSessionTicket.ticket");
    return;
  }
  tg_w_u32(w, m->ticket_lifetime);
  tg_w_u32(w, m->ticket_age_add);
  put_vec(w, 1, 0xff, m->ticket_nonce, "NewSessionTicket.ticket_nonce");
  put_vec(w, 2, 0xffff, m->ticket, "NewSessionTicket.ticket");
  put_vec(w, 2, 0xfffe, m->extensions, "NewSessionTicket.extensions");
}

void tg_new_session_ticket_describe(tg_dump *d, const tg_hs_ctx *ctx,
                                    const tg_new_session_ticket *m) {
  if (ctx->version != TG_VERSION_TLS13) {
    tg_dump_uint(d, "ticket_lifetime_hint", m->ticket_lifetime_hint, NULL);
    tg_dump_bytes(d, "ticket", m->ticket);
    return;
  }
  const tg_ext_where where = {TG_CTX_NST, TG_VERSION_TLS13};
  tg_dump_uint(d, "ticket_lifetime", m->ticket_lifetime, NULL);
  tg_dump_uint(d, "ticket_age_add", m->ticket_age_add, NULL);
  tg_dump_bytes(d, "ticket_nonce", m->ticket_nonce);
  tg_dump_bytes(d, "ticket", m->ticket);
  tg_extensions_describe(d, m->extensions, &where);
}
