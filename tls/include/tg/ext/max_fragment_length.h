/* max_fragment_length (RFC 6066 §4): a client asks for smaller records, the server echoes it.
 *
 *   enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4), (255) } MaxFragmentLength;
 *
 * The same one-byte body in ClientHello, ServerHello (TLS 1.2) and EncryptedExtensions (1.3).
 */
#ifndef TG_EXT_MAX_FRAGMENT_LENGTH_H
#define TG_EXT_MAX_FRAGMENT_LENGTH_H

#include "tg/extensions.h"

typedef struct tg_max_fragment_length {
  uint8_t max_fragment_length; /* 1..4 */
} tg_max_fragment_length;

extern const tg_ext_desc tg_ext_max_fragment_length_desc;

/* A value outside 1..4 is illegal_parameter (RFC 6066 §4). */
TG_MUST_CHECK tg_status tg_max_fragment_length_parse(tg_bytes body, tg_max_fragment_length *out,
                                                     tg_err *err);
void tg_max_fragment_length_emit(tg_writer *w, const tg_max_fragment_length *mfl);
/* The record size a value stands for (512 .. 4096), or 0 for a value outside 1..4. */
unsigned tg_max_fragment_length_bytes(uint8_t max_fragment_length);

#endif
