/* application_layer_protocol_negotiation (RFC 7301 §3.1): the protocols a client offers, and the
 * one the server selected (ServerHello in TLS 1.2, EncryptedExtensions in TLS 1.3).
 *
 *   opaque ProtocolName<1..2^8-1>;
 *   struct { ProtocolName protocol_name_list<2..2^16-1> } ProtocolNameList;
 */
#ifndef TG_EXT_ALPN_H
#define TG_EXT_ALPN_H

#include <stdbool.h>

#include "tg/extensions.h"

/* ClientHello form. */
typedef struct tg_alpn_ch {
  tg_bytes protocol_name_list; /* the entries as wire bytes, without the list length */
} tg_alpn_ch;

/* ServerHello / EncryptedExtensions form: a ProtocolNameList of exactly one name. */
typedef struct tg_alpn_sh {
  tg_bytes protocol_name;
} tg_alpn_sh;

extern const tg_ext_desc tg_ext_application_layer_protocol_negotiation_desc;

TG_MUST_CHECK tg_status tg_alpn_parse_ch(tg_bytes body, tg_alpn_ch *out, tg_err *err);
/* More than one name is illegal_parameter (RFC 7301 §3.1 "exactly one"). */
TG_MUST_CHECK tg_status tg_alpn_parse_sh(tg_bytes body, tg_alpn_sh *out, tg_err *err);

/* Iterates over the names of a checked protocol_name_list. */
typedef struct tg_alpn_iter {
  tg_reader r;
} tg_alpn_iter;
void tg_alpn_iter_init(tg_alpn_iter *it, tg_bytes protocol_name_list);
bool tg_alpn_next(tg_alpn_iter *it, tg_bytes *protocol_name);
bool tg_alpn_offers(const tg_alpn_ch *a, tg_bytes protocol_name);

void tg_alpn_emit_ch(tg_writer *w, const tg_alpn_ch *a);
/* The ClientHello form from n names. */
void tg_alpn_emit_names(tg_writer *w, const tg_bytes *protocol_names, size_t n);
void tg_alpn_emit_sh(tg_writer *w, const tg_alpn_sh *a);

#endif
