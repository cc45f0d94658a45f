/* key_share (RFC 8446 §4.2.8): the client's key shares (ClientHello), the group the server asks
 * for (HelloRetryRequest), and the server's share (ServerHello). The key_exchange bytes are not
 * validated here; that belongs to the group's key exchange (RFC 8446 §4.2.8.1, §4.2.8.2). */
#ifndef TG_EXT_KEY_SHARE_H
#define TG_EXT_KEY_SHARE_H

#include <stdbool.h>

#include "tg/extensions.h"

/* struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry; */
typedef struct tg_key_share_entry {
  uint16_t group;
  tg_bytes key_exchange;
} tg_key_share_entry;

/* ClientHello: struct { KeyShareEntry client_shares<0..2^16-1>; } KeyShareClientHello; */
typedef struct tg_key_share_ch {
  tg_bytes client_shares; /* the body of client_shares<..>: KeyShareEntry structs */
  size_t count;
} tg_key_share_ch;

/* HelloRetryRequest: struct { NamedGroup selected_group; } KeyShareHelloRetryRequest; */
typedef struct tg_key_share_hrr {
  uint16_t selected_group;
} tg_key_share_hrr;

/* ServerHello: struct { KeyShareEntry server_share; } KeyShareServerHello; */
typedef struct tg_key_share_sh {
  tg_key_share_entry server_share;
} tg_key_share_sh;

typedef struct tg_key_share_iter {
  tg_reader r;
} tg_key_share_iter;

extern const tg_ext_desc tg_ext_key_share_desc;

/* A group offered twice is illegal_parameter (RFC 8446 §4.2.8). */
TG_MUST_CHECK tg_status tg_key_share_parse_ch(tg_bytes body, tg_key_share_ch *out, tg_err *err);
TG_MUST_CHECK tg_status tg_key_share_parse_hrr(tg_bytes body, tg_key_share_hrr *out, tg_err *err);
TG_MUST_CHECK tg_status tg_key_share_parse_sh(tg_bytes body, tg_key_share_sh *out, tg_err *err);

void tg_key_share_iter_init(tg_key_share_iter *it, const tg_key_share_ch *ks);
/* The next KeyShareEntry of a parsed client_shares; false at the end. */
bool tg_key_share_next(tg_key_share_iter *it, tg_key_share_entry *entry);
/* The client's share for group; false if it offered none. */
bool tg_key_share_find(const tg_key_share_ch *ks, uint16_t group, tg_key_share_entry *entry);

void tg_key_share_emit_ch(tg_writer *w, const tg_key_share_ch *ks);
void tg_key_share_emit_hrr(tg_writer *w, const tg_key_share_hrr *ks);
void tg_key_share_emit_sh(tg_writer *w, const tg_key_share_sh *ks);
/* Appends one KeyShareEntry to a client_shares list being built (for emit_ch's input). */
void tg_key_share_w_entry(tg_writer *w, const tg_key_share_entry *entry);

#endif
