/* padding (RFC 7685): zero bytes a client adds to its ClientHello to reach a size that some
 * middleboxes do not choke on. ClientHello only; the server never echoes it.
 *
 *   struct { opaque padding_data[extension_data length]; } (RFC 7685 §3)
 */
#ifndef TG_EXT_PADDING_H
#define TG_EXT_PADDING_H

#include "tg/extensions.h"

typedef struct tg_padding {
  size_t padding_len; /* the number of zero bytes */
} tg_padding;

extern const tg_ext_desc tg_ext_padding_desc;

/* A non-zero byte is illegal_parameter (RFC 7685 §3 "MUST be filled with zero bytes"). */
TG_MUST_CHECK tg_status tg_padding_parse(tg_bytes body, tg_padding *out, tg_err *err);
void tg_padding_emit(tg_writer *w, const tg_padding *p);

#endif
