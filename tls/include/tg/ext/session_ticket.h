/* session_ticket (RFC 5077 §3.2), a TLS 1.2 extension: the client sends a ticket (possibly empty,
 * asking for a new one); the server answers with an empty body to promise a NewSessionTicket. */
#ifndef TG_EXT_SESSION_TICKET_H
#define TG_EXT_SESSION_TICKET_H

#include "tg/extensions.h"

/* ClientHello: struct { opaque ticket<0..2^16-1>; } SessionTicket, the whole body. */
typedef struct tg_session_ticket {
  tg_bytes ticket;
} tg_session_ticket;

extern const tg_ext_desc tg_ext_session_ticket_desc;

/* The ClientHello body (any bytes are a ticket). */
TG_MUST_CHECK tg_status tg_session_ticket_parse_ch(tg_bytes body, tg_session_ticket *out,
                                                   tg_err *err);
/* The ServerHello body, which must be empty. */
TG_MUST_CHECK tg_status tg_session_ticket_parse_sh(tg_bytes body, tg_err *err);

void tg_session_ticket_emit_ch(tg_writer *w, const tg_session_ticket *st);
void tg_session_ticket_emit_sh(tg_writer *w);

#endif
