/* The generic part of extension handling: the block walk, duplicate and placement rules. The
 * per-type rules live in one file per extension and are reached through its descriptor
 * (tg_ext_desc_of, registry.c). */
#include <string.h>

#include "engine/permissive.h"
#include "tg/extensions.h"
#include "tg/names.h"

static const char *ctx_name(enum tg_ext_ctx ctx) {
  switch (ctx) {
  case TG_CTX_CH: return "ClientHello";
  case TG_CTX_SH: return "ServerHello";
  case TG_CTX_HRR: return "HelloRetryRequest";
  case TG_CTX_EE: return "EncryptedExtensions";
  case TG_CTX_CT: return "Certificate";
  case TG_CTX_CR: return "CertificateRequest";
  case TG_CTX_NST: return "NewSessionTicket";
  }
  return "message";
}

/* RFC 8446 §4.2: "If an implementation receives an extension which it recognizes and which is
 * not specified for the message in which it appears, it MUST abort the handshake with an
 * "illegal_parameter" alert." Clients receiving an extension in ServerHello, HRR or EE that they
 * did not offer send unsupported_extension; that needs the offer and is the engine's check. */
static tg_status check_allowed(const tg_ext_desc *desc, const tg_ext_where *where,
                               const tg_reader *r) {
  if (where->version != TG_VERSION_TLS13 || desc == NULL)
    return TG_OK;
  if (desc->allowed13 == 0 && where->ctx == TG_CTX_CH)
    return TG_OK; /* a TLS 1.2 extension offered by a client that also offers 1.2 */
  TG_PEER_CHECK_IN(r->tolerate, r->err, (desc->allowed13 & where->ctx) != 0, illegal_parameter,
                   TG_E_EXT_NOT_ALLOWED,
                   "extension %s is not allowed in a TLS 1.3 %s (RFC 8446 4.2)", desc->name,
                   ctx_name(where->ctx));
  return TG_OK;
}

/* The descriptor's parse of one body, into a value that is dropped. Permissive
 * (engine/permissive.h): a body it refuses is counted and left alone, its failure kept out of err
 * (the engine's own parse of that extension, if it needs it, still fails). */
static tg_status check_body(const tg_ext_desc *desc, tg_reader *body, const tg_ext_where *where) {
  tg_ext_value value;
  tg_bytes data = tg_reader_rest(body);
  /* A descriptor whose value does not fit is a bug here, never the peer's (the registry test
   * checks every descriptor). */
  TG_ENSURE(body->err, desc->value_size <= sizeof value, internal_error, TG_E_INTERNAL,
            "extension %s has a %zu-byte value, more than tg_ext_value holds", desc->name,
            desc->value_size);
  if (!TG_TOLERATING(body->tolerate))
    return desc->parse(data, where, &value, body->err);
  tg_err scratch;
  tg_err_clear(&scratch);
  if (desc->parse(data, where, &value, &scratch) != TG_OK)
    tg_tolerate_record(body->tolerate, scratch.alert, scratch.code, scratch.file, scratch.line,
                       "%s", scratch.what);
  return TG_OK;
}

tg_status tg_extensions_check(tg_bytes block, const tg_ext_where *where, tg_err *err) {
  tg_reader from;
  tg_reader_init(&from, NULL, 0, err);
  return tg_extensions_check_in(block, where, &from);
}

tg_status tg_extensions_check_in(tg_bytes block, const tg_ext_where *where, const tg_reader *from) {
  tg_err *err = from->err;
  /* Types seen so far, as a bitmap over all 65536 values: duplicates are illegal_parameter in
   * every message (RFC 8446 §4.2: "There MUST NOT be more than one extension of the same type
   * in a given extension block"; RFC 5246 §7.4.1.4 likewise). */
  uint8_t seen[65536 / 8];
  memset(seen, 0, sizeof seen);
  tg_reader r;
  tg_reader_init(&r, block.p, block.len, err);
  r.tolerate = from->tolerate;
  while (tg_left(&r) > 0) {
    uint16_t type;
    tg_reader body;
    TG_TRY(tg_read_u16(&r, &type, "Extension.extension_type"));
    TG_TRY(tg_read_vec(&r, 2, 0, 65535, &body, "Extension.extension_data"));
    const tg_ext_desc *desc = tg_ext_desc_of(type);
    const char *name = desc ? desc->name : tg_ext_type_name(type);
    /* Permissive: the first of them is the one read (tg_ext_find). */
    TG_PEER_CHECK_IN(r.tolerate, err, !(seen[type / 8] & (1u << (type % 8))), illegal_parameter,
                     TG_E_DUPLICATE, "%s has a second %s extension (type %u)", ctx_name(where->ctx),
                     name ? name : "unknown", type);
    seen[type / 8] |= (uint8_t)(1u << (type % 8));
    TG_TRY(check_allowed(desc, where, &r));
    if (desc != NULL)
      TG_TRY(check_body(desc, &body, where));
  }
  return TG_OK;
}

void tg_extensions_describe(tg_dump *d, tg_bytes block, const tg_ext_where *where) {
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  tg_dump_list(d, "extensions");
  tg_ext_iter_init(&it, block);
  while (tg_ext_next(&it, &type, &data)) {
    const tg_ext_desc *desc = tg_ext_desc_of(type);
    tg_dump_begin(d, NULL);
    tg_dump_uint(d, "extension_type", type, desc ? desc->name : tg_ext_type_name(type));
    if (desc != NULL && desc->describe != NULL)
      desc->describe(d, data, where);
    else
      tg_dump_bytes(d, "extension_data", data);
    tg_dump_end(d);
  }
  tg_dump_end(d);
}

void tg_ext_iter_init(tg_ext_iter *it, tg_bytes block) {
  tg_reader_init(&it->r, block.p, block.len, NULL);
}

bool tg_ext_next(tg_ext_iter *it, uint16_t *type, tg_bytes *data) {
  tg_reader body;
  if (tg_left(&it->r) == 0 || tg_read_u16(&it->r, type, "extension_type") != TG_OK ||
      tg_read_vec(&it->r, 2, 0, 65535, &body, "extension_data") != TG_OK)
    return false;
  *data = tg_reader_rest(&body);
  return true;
}

bool tg_ext_find(tg_bytes block, uint16_t type, tg_bytes *data) {
  tg_ext_iter it;
  uint16_t t;
  tg_ext_iter_init(&it, block);
  while (tg_ext_next(&it, &t, data))
    if (t == type)
      return true;
  return false;
}

void tg_ext_emit_raw(tg_writer *w, uint16_t type, tg_bytes data) {
  tg_w_u16(w, type);
  tg_w_vec(w, 2, data);
}
