/* pre_shared_key (RFC 8446 §4.2.11): the PSK identities a client offers with their binders
 * (ClientHello), and the index of the one the server selected (ServerHello).
 *
 * The binders are computed over the ClientHello truncated just before the binders list
 * (RFC 8446 §4.2.11.2); since this extension is last in the ClientHello, that is the ClientHello
 * minus its last binders_wire_len bytes. */
#ifndef TG_EXT_PRE_SHARED_KEY_H
#define TG_EXT_PRE_SHARED_KEY_H

#include <stdbool.h>

#include "tg/extensions.h"

/* struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; } PskIdentity; */
typedef struct tg_psk_identity {
  tg_bytes identity;
  uint32_t obfuscated_ticket_age;
} tg_psk_identity;

/* ClientHello: struct { PskIdentity identities<7..2^16-1>;
 *                       PskBinderEntry binders<33..2^16-1>; } OfferedPsks;
 * opaque PskBinderEntry<32..255>; */
typedef struct tg_pre_shared_key_ch {
  tg_bytes identities;     /* the body of identities<..>: PskIdentity structs */
  tg_bytes binders;        /* the body of binders<..>: PskBinderEntry vectors */
  size_t count;            /* of identities, equal to that of binders */
  size_t binders_wire_len; /* binders with its 2-byte length: what the binders do not cover */
} tg_pre_shared_key_ch;

/* ServerHello: uint16 selected_identity. */
typedef struct tg_pre_shared_key_sh {
  uint16_t selected_identity;
} tg_pre_shared_key_sh;

typedef struct tg_psk_iter {
  tg_reader identities;
  tg_reader binders;
} tg_psk_iter;

extern const tg_ext_desc tg_ext_pre_shared_key_desc;

/* Different numbers of identities and binders are illegal_parameter (RFC 8446 §4.2.11). */
TG_MUST_CHECK tg_status tg_pre_shared_key_parse_ch(tg_bytes body, tg_pre_shared_key_ch *out,
                                                   tg_err *err);
TG_MUST_CHECK tg_status tg_pre_shared_key_parse_sh(tg_bytes body, tg_pre_shared_key_sh *out,
                                                   tg_err *err);

void tg_psk_iter_init(tg_psk_iter *it, const tg_pre_shared_key_ch *psk);
/* The next identity and its binder (without its length); false at the end. */
bool tg_psk_next(tg_psk_iter *it, tg_psk_identity *identity, tg_bytes *binder);

void tg_pre_shared_key_emit_ch(tg_writer *w, const tg_pre_shared_key_ch *psk);
void tg_pre_shared_key_emit_sh(tg_writer *w, const tg_pre_shared_key_sh *psk);
/* Append one item to an identities or binders list being built (for emit_ch's input). */
void tg_pre_shared_key_w_identity(tg_writer *w, const tg_psk_identity *identity);
void tg_pre_shared_key_w_binder(tg_writer *w, tg_bytes binder);

#endif
