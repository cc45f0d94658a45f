/* The table of known extensions: one descriptor per file in this directory, one line here. A name
 * listed here without its file fails the link; a file without its line is never consulted (the
 * registry test, tests/ext_registry_test.c, walks this table and needs a sample of each entry).
 *
 * Why a descriptor's parse and emit take void *: each extension keeps its own typed struct (one
 * per message form, tg/ext/<name>.h), which is what the engine reads and builds. The code that
 * goes through descriptors (the block check, the fuzz re-emitter, the registry test) never looks
 * inside a value: it only hands what parse filled back to emit. A union of every extension's
 * struct in extensions.h would make that header include them all and make a new extension edit
 * it too; void * plus the size each descriptor declares keeps an extension in its own file, at
 * the price of one cast at the top of each parse and emit, where the struct is named again. */
#include <stddef.h>

#include "tg/extensions.h"

#define EXT(name) extern const tg_ext_desc tg_ext_##name##_desc;
#define EXTENSIONS(X)                                                                              \
  X(server_name)                                                                                   \
  X(max_fragment_length)                                                                           \
  X(status_request)                                                                                \
  X(supported_groups)                                                                              \
  X(ec_point_formats)                                                                              \
  X(signature_algorithms)                                                                          \
  X(signature_algorithms_cert)                                                                     \
  X(application_layer_protocol_negotiation)                                                        \
  X(padding)                                                                                       \
  X(encrypt_then_mac)                                                                              \
  X(extended_master_secret)                                                                        \
  X(record_size_limit)                                                                             \
  X(session_ticket)                                                                                \
  X(pre_shared_key)                                                                                \
  X(early_data)                                                                                    \
  X(supported_versions)                                                                            \
  X(cookie)                                                                                        \
  X(psk_key_exchange_modes)                                                                        \
  X(certificate_authorities)                                                                       \
  X(post_handshake_auth)                                                                           \
  X(key_share)                                                                                     \
  X(renegotiation_info)

EXTENSIONS(EXT)
#undef EXT

#define EXT(name) &tg_ext_##name##_desc,
static const tg_ext_desc *const table[] = {EXTENSIONS(EXT)};
#undef EXT

const tg_ext_desc *tg_ext_desc_of(uint16_t type) {
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i]->type == type)
      return table[i];
  return NULL;
}

const tg_ext_desc *tg_ext_desc_at(size_t i) {
  return i < sizeof table / sizeof table[0] ? table[i] : NULL;
}
