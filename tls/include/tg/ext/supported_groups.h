/* supported_groups (RFC 8446 §4.2.7; RFC 8422 §5.1.1 in TLS 1.2): the key exchange groups a
 * client supports, most preferred first; in TLS 1.3 the server may tell its own in
 * EncryptedExtensions.
 *
 *   struct { NamedGroup named_group_list<2..2^16-1>; } NamedGroupList;
 */
#ifndef TG_EXT_SUPPORTED_GROUPS_H
#define TG_EXT_SUPPORTED_GROUPS_H

#include "tg/extensions.h"

typedef struct tg_supported_groups {
  tg_bytes named_group_list; /* u16 items as wire bytes: tg_u16s_count / tg_u16s_get */
} tg_supported_groups;

extern const tg_ext_desc tg_ext_supported_groups_desc;

TG_MUST_CHECK tg_status tg_supported_groups_parse(tg_bytes body, tg_supported_groups *out,
                                                  tg_err *err);
void tg_supported_groups_emit(tg_writer *w, const tg_supported_groups *sg);
/* The same from an array of NamedGroup values. */
void tg_supported_groups_emit_list(tg_writer *w, const uint16_t *groups, size_t n);

#endif
