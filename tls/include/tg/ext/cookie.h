/* cookie (RFC 8446 §4.2.2): sent by the server in a HelloRetryRequest and echoed by the client in
 * its second ClientHello. The same form in both. */
#ifndef TG_EXT_COOKIE_H
#define TG_EXT_COOKIE_H

#include "tg/extensions.h"

/* struct { opaque cookie<1..2^16-1>; } Cookie; */
typedef struct tg_cookie {
  tg_bytes cookie;
} tg_cookie;

extern const tg_ext_desc tg_ext_cookie_desc;

TG_MUST_CHECK tg_status tg_cookie_parse(tg_bytes body, tg_cookie *out, tg_err *err);
void tg_cookie_emit(tg_writer *w, const tg_cookie *c);

#endif
