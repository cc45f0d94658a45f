/* psk_key_exchange_modes (RFC 8446 §4.2.9): the PSK key exchange modes a client supports, in the
 * ClientHello only. Unknown modes are kept (a server ignores them). */
#ifndef TG_EXT_PSK_KEY_EXCHANGE_MODES_H
#define TG_EXT_PSK_KEY_EXCHANGE_MODES_H

#include <stdbool.h>

#include "tg/extensions.h"

/* enum { psk_ke(0), psk_dhe_ke(1), (255) } PskKeyExchangeMode; */
enum tg_psk_ke_mode { TG_PSK_KE = 0, TG_PSK_DHE_KE = 1 };

/* struct { PskKeyExchangeMode ke_modes<1..255>; } PskKeyExchangeModes; */
typedef struct tg_psk_key_exchange_modes {
  tg_bytes ke_modes; /* one byte per mode, as on the wire */
} tg_psk_key_exchange_modes;

extern const tg_ext_desc tg_ext_psk_key_exchange_modes_desc;

TG_MUST_CHECK tg_status tg_psk_key_exchange_modes_parse(tg_bytes body,
                                                        tg_psk_key_exchange_modes *out,
                                                        tg_err *err);
bool tg_psk_key_exchange_modes_has(const tg_psk_key_exchange_modes *m, uint8_t mode);
void tg_psk_key_exchange_modes_emit(tg_writer *w, const tg_psk_key_exchange_modes *m);

#endif
