/* early_data (RFC 8446 §4.2.10): empty in ClientHello (0-RTT data follows) and
 * EncryptedExtensions (the server accepted it); in NewSessionTicket it carries the most 0-RTT
 * data the server will accept with that ticket. */
#ifndef TG_EXT_EARLY_DATA_H
#define TG_EXT_EARLY_DATA_H

#include "tg/extensions.h"

/* NewSessionTicket: struct { uint32 max_early_data_size; } */
typedef struct tg_early_data_nst {
  uint32_t max_early_data_size;
} tg_early_data_nst;

extern const tg_ext_desc tg_ext_early_data_desc;

/* ClientHello and EncryptedExtensions: the body must be empty. */
TG_MUST_CHECK tg_status tg_early_data_parse_empty(tg_bytes body, tg_err *err);
TG_MUST_CHECK tg_status tg_early_data_parse_nst(tg_bytes body, tg_early_data_nst *out, tg_err *err);

void tg_early_data_emit_empty(tg_writer *w);
void tg_early_data_emit_nst(tg_writer *w, const tg_early_data_nst *ed);

#endif
