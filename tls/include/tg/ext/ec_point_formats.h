/* ec_point_formats (RFC 8422 §5.1.2): the EC point formats a TLS 1.2 peer can parse. TLS 1.3
 * does not use it (RFC 8446 §4.2 does not list it), though a ClientHello may still carry it.
 *
 *   enum { uncompressed(0), deprecated(1..2), reserved(248..255) } ECPointFormat;
 *   struct { ECPointFormat ec_point_format_list<1..2^8-1> } ECPointFormatList;
 */
#ifndef TG_EXT_EC_POINT_FORMATS_H
#define TG_EXT_EC_POINT_FORMATS_H

#include <stdbool.h>

#include "tg/extensions.h"

enum tg_ec_point_format {
  TG_EC_POINT_uncompressed = 0,
  TG_EC_POINT_ansiX962_compressed_prime = 1,
  TG_EC_POINT_ansiX962_compressed_char2 = 2,
};

typedef struct tg_ec_point_formats {
  tg_bytes ec_point_format_list; /* one byte per format, as on the wire */
} tg_ec_point_formats;

extern const tg_ext_desc tg_ext_ec_point_formats_desc;

TG_MUST_CHECK tg_status tg_ec_point_formats_parse(tg_bytes body, tg_ec_point_formats *out,
                                                  tg_err *err);
/* RFC 8422 §5.1.2: a list without uncompressed is illegal_parameter when the peer also uses a
 * curve of RFC 8422; that needs supported_groups, so the engine asks this. */
bool tg_ec_point_formats_has(const tg_ec_point_formats *pf, uint8_t format);
void tg_ec_point_formats_emit(tg_writer *w, const tg_ec_point_formats *pf);

#endif
