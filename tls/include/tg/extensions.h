/* Extensions: one descriptor per extension type, and the generic checks of an extensions block.
 *
 * A message keeps its extensions as the wire bytes of the block (zero-copy, and it re-encodes
 * exactly, unknown extensions included). tg_extensions_check validates a block for the message it
 * sits in: framing, no duplicate type (illegal_parameter), in TLS 1.3 only the types RFC 8446 §4.2
 * allows in that message, and each known body by its descriptor's parse. Structured access goes
 * through tg_ext_find plus the per-extension parse/emit functions in tg/ext/<name>.h, or
 * generically through a descriptor.
 */
#ifndef TG_EXTENSIONS_H
#define TG_EXTENSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"

/* The message an extension appears in (the columns of RFC 8446 §4.2's table), as bits. */
enum tg_ext_ctx {
  TG_CTX_CH = 1 << 0,  /* ClientHello */
  TG_CTX_SH = 1 << 1,  /* ServerHello */
  TG_CTX_HRR = 1 << 2, /* HelloRetryRequest */
  TG_CTX_EE = 1 << 3,  /* EncryptedExtensions */
  TG_CTX_CT = 1 << 4,  /* Certificate (per CertificateEntry) */
  TG_CTX_CR = 1 << 5,  /* CertificateRequest */
  TG_CTX_NST = 1 << 6, /* NewSessionTicket */
};

/* Where a block is being read: the message, and the protocol version it is read under
 * (TG_VERSION_TLS12 or TG_VERSION_TLS13; TLS 1.2 has no per-message allow table). */
typedef struct tg_ext_where {
  enum tg_ext_ctx ctx;
  uint16_t version;
} tg_ext_where;

/* Room for the parsed value of any extension: what tg_ext_desc.parse fills and emit reads. */
typedef union tg_ext_value {
  max_align_t align;
  unsigned char bytes[128];
} tg_ext_value;

/* One extension, everything the generic code needs: its code point and name, where TLS 1.3
 * allows it, and its body's parse, emit and describe. An extension is one file that defines its
 * descriptor and one line in registry.c's table. The value parse fills is the extension's own
 * typed struct for the form `where` selects (tg/ext/<name>.h), passed as void *: the generic
 * code (the block check, the fuzz oracle, the registry test) only carries it from parse to emit
 * in a tg_ext_value; registry.c says why. */
typedef struct tg_ext_desc {
  uint16_t type;
  const char *name; /* the IANA name; tg_ext_type_name returns this one */
  /* Messages that may carry it in TLS 1.3 (RFC 8446 §4.2); 0 for extensions TLS 1.3 does not
   * define, which a TLS 1.3 ClientHello may still carry (they are ignored by a 1.3 server). */
  unsigned allowed13;
  size_t value_size; /* sizeof the value parse fills; at most sizeof(tg_ext_value) */
  /* Parses the whole body in the form of that message into value, with every check the block
   * check applies to it (tg_extensions_check calls it); a failure names its alert. */
  TG_MUST_CHECK tg_status (*parse)(tg_bytes body, const tg_ext_where *where, void *value,
                                   tg_err *err);
  /* Appends the complete extension {type, extension_data} from a value parse filled for the
   * same where: the bytes parse read, exactly. */
  void (*emit)(tg_writer *w, const tg_ext_where *where, const void *value);
  /* Describes a body that parse accepted; NULL when there are no fields (the bytes are printed). */
  void (*describe)(tg_dump *d, tg_bytes body, const tg_ext_where *where);
} tg_ext_desc;

/* The descriptor of a type, or NULL for a type this library does not know. */
const tg_ext_desc *tg_ext_desc_of(uint16_t type);
/* The registry in order: the i-th descriptor, NULL past the last. */
const tg_ext_desc *tg_ext_desc_at(size_t i);

/* Validates the body of an extensions<..> vector (without its length prefix). */
TG_MUST_CHECK tg_status tg_extensions_check(tg_bytes block, const tg_ext_where *where, tg_err *err);
/* The same for a block inside the message `from` reads: its err, and its tolerate (the checks a
 * permissive engine lets through, tg_reader.tolerate). */
TG_MUST_CHECK tg_status tg_extensions_check_in(tg_bytes block, const tg_ext_where *where,
                                               const tg_reader *from);
/* Describes a checked block: a list of {extension_type, extension_data or fields}. */
void tg_extensions_describe(tg_dump *d, tg_bytes block, const tg_ext_where *where);

/* Iterates over a checked block. */
typedef struct tg_ext_iter {
  tg_reader r;
} tg_ext_iter;
void tg_ext_iter_init(tg_ext_iter *it, tg_bytes block);
/* The next extension; false at the end. */
bool tg_ext_next(tg_ext_iter *it, uint16_t *type, tg_bytes *data);
/* The body of the first extension of that type in a checked block. */
bool tg_ext_find(tg_bytes block, uint16_t type, tg_bytes *data);

/* Appends one extension {type, data} to w (inside an open extensions vector). */
void tg_ext_emit_raw(tg_writer *w, uint16_t type, tg_bytes data);

#endif
