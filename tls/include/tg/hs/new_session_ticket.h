/* NewSessionTicket (RFC 8446 §4.6.1; TLS 1.2 form RFC 5077 §3.3): a resumption ticket. */
#ifndef TG_HS_NEW_SESSION_TICKET_H
#define TG_HS_NEW_SESSION_TICKET_H

#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

struct tg_hs_ctx;

/* RFC 8446 §4.6.1: at most seven days. */
#define TG_TICKET_LIFETIME_MAX 604800u

typedef struct tg_new_session_ticket {
  uint32_t ticket_lifetime;      /* TLS 1.3 */
  uint32_t ticket_age_add;       /* TLS 1.3 */
  tg_bytes ticket_nonce;         /* TLS 1.3 */
  uint32_t ticket_lifetime_hint; /* TLS 1.2 (RFC 5077) */
  tg_bytes ticket;
  tg_bytes extensions; /* TLS 1.3: body of extensions<0..2^16-2> */
} tg_new_session_ticket;

TG_MUST_CHECK tg_status tg_new_session_ticket_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                                     tg_new_session_ticket *out);
void tg_new_session_ticket_encode(tg_writer *w, const struct tg_hs_ctx *ctx,
                                  const tg_new_session_ticket *m);
void tg_new_session_ticket_describe(tg_dump *d, const struct tg_hs_ctx *ctx,
                                    const tg_new_session_ticket *m);

#endif
