/* record_size_limit (RFC 8449): the largest record plaintext an endpoint is willing to receive.
 * ClientHello, ServerHello (TLS 1.2), EncryptedExtensions (TLS 1.3; RFC 8449 §5).
 *
 *   uint16 RecordSizeLimit;
 *
 * In TLS 1.3 the limit counts the content type byte and padding, so 2^14+1 means "no limit".
 */
#ifndef TG_EXT_RECORD_SIZE_LIMIT_H
#define TG_EXT_RECORD_SIZE_LIMIT_H

#include "tg/extensions.h"

typedef struct tg_record_size_limit {
  uint16_t record_size_limit;
} tg_record_size_limit;

extern const tg_ext_desc tg_ext_record_size_limit_desc;

/* A value below 64 is illegal_parameter (RFC 8449 §4). */
TG_MUST_CHECK tg_status tg_record_size_limit_parse(tg_bytes body, tg_record_size_limit *out,
                                                   tg_err *err);
void tg_record_size_limit_emit(tg_writer *w, const tg_record_size_limit *rsl);

#endif
