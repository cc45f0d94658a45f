/* server_name (RFC 6066 §3): the host name a client asks for, and the server's empty answer.
 *
 *   enum { host_name(0), (255) } NameType;
 *   opaque HostName<1..2^16-1>;
 *   struct { NameType name_type;
 *            select (name_type) { case host_name: HostName; } name; } ServerName;
 *   struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
 *
 * ClientHello carries a ServerNameList; ServerHello (TLS 1.2) and EncryptedExtensions (TLS 1.3)
 * carry an empty extension_data. Entries of another name_type are read as opaque<1..2^16-1>
 * (the only name encoding RFC 6066 defines, and what deployed servers assume) and kept.
 */
#ifndef TG_EXT_SERVER_NAME_H
#define TG_EXT_SERVER_NAME_H

#include <stdbool.h>

#include "tg/extensions.h"

enum tg_name_type { TG_HOST_NAME = 0 };

/* ClientHello form. */
typedef struct tg_server_name_ch {
  tg_bytes server_name_list; /* the entries as wire bytes, without the list length */
  tg_bytes host_name;        /* the host_name entry; len 0 when the list has none */
} tg_server_name_ch;

extern const tg_ext_desc tg_ext_server_name_desc;

/* A second entry of the same name_type is illegal_parameter (RFC 6066 §3). */
TG_MUST_CHECK tg_status tg_server_name_parse_ch(tg_bytes body, tg_server_name_ch *out, tg_err *err);
/* ServerHello / EncryptedExtensions form: extension_data must be empty. */
TG_MUST_CHECK tg_status tg_server_name_parse_sh(tg_bytes body, tg_err *err);

/* Iterates over the entries of a checked server_name_list. */
typedef struct tg_server_name_iter {
  tg_reader r;
} tg_server_name_iter;
void tg_server_name_iter_init(tg_server_name_iter *it, tg_bytes server_name_list);
bool tg_server_name_next(tg_server_name_iter *it, uint8_t *name_type, tg_bytes *name);

/* The complete extension with sn->server_name_list as it is. */
void tg_server_name_emit_ch(tg_writer *w, const tg_server_name_ch *sn);
/* The complete extension with a list of the one host_name. */
void tg_server_name_emit_host_name(tg_writer *w, tg_bytes host_name);
/* The empty answer (ServerHello, EncryptedExtensions). */
void tg_server_name_emit_sh(tg_writer *w);

#endif
