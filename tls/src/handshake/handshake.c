/* The Handshake header (RFC 8446 §4) and the dispatch of a body to its message's codec. */
#include <string.h>

#include "tg/handshake.h"

/*
 * struct {
 *     HandshakeType msg_type;    // handshake type
 *     uint24 length;             // remaining bytes in message
 *     select (Handshake.msg_type) { ... };
 * } Handshake;
 */

typedef struct hs_ops {
  uint8_t msg_type;
  const char *name;
  tg_status (*decode)(tg_reader *body, const tg_hs_ctx *ctx, tg_handshake *m);
  void (*encode)(tg_writer *w, const tg_hs_ctx *ctx, const tg_handshake *m);
  void (*describe)(tg_dump *d, const tg_hs_ctx *ctx, const tg_handshake *m);
} hs_ops;

/* Adapters from the union to each message's typed functions. */
#define HS_ADAPT(NAME)                                                                             \
  static tg_status NAME##_decode(tg_reader *body, const tg_hs_ctx *ctx, tg_handshake *m) {         \
    return tg_##NAME##_decode(body, ctx, &m->u.NAME);                                              \
  }                                                                                                \
  static void NAME##_encode(tg_writer *w, const tg_hs_ctx *ctx, const tg_handshake *m) {           \
    tg_##NAME##_encode(w, ctx, &m->u.NAME);                                                        \
  }                                                                                                \
  static void NAME##_describe(tg_dump *d, const tg_hs_ctx *ctx, const tg_handshake *m) {           \
    tg_##NAME##_describe(d, ctx, &m->u.NAME);                                                      \
  }
#define HS_ROW(NAME)                                                                               \
  { TG_HS_##NAME, #NAME, NAME##_decode, NAME##_encode, NAME##_describe }

HS_ADAPT(client_hello)
HS_ADAPT(server_hello)
HS_ADAPT(new_session_ticket)
HS_ADAPT(end_of_early_data)
HS_ADAPT(encrypted_extensions)
HS_ADAPT(certificate)
HS_ADAPT(server_key_exchange)
HS_ADAPT(certificate_request)
HS_ADAPT(server_hello_done)
HS_ADAPT(certificate_verify)
HS_ADAPT(client_key_exchange)
HS_ADAPT(finished)
HS_ADAPT(key_update)
HS_ADAPT(message_hash)

static const hs_ops ops_table[] = {
    HS_ROW(client_hello),        HS_ROW(server_hello),         HS_ROW(new_session_ticket),
    HS_ROW(end_of_early_data),   HS_ROW(encrypted_extensions), HS_ROW(certificate),
    HS_ROW(server_key_exchange), HS_ROW(certificate_request),  HS_ROW(server_hello_done),
    HS_ROW(certificate_verify),  HS_ROW(client_key_exchange),  HS_ROW(finished),
    HS_ROW(key_update),          HS_ROW(message_hash),
};

/* What a caller that passes no context gets: TLS 1.3, either hash length. */
static const tg_hs_ctx default_ctx = {TG_VERSION_TLS13, TG_KX_ECDHE, 0};

static const hs_ops *ops_of(uint8_t msg_type) {
  for (size_t i = 0; i < sizeof ops_table / sizeof ops_table[0]; i++)
    if (ops_table[i].msg_type == msg_type)
      return &ops_table[i];
  return NULL;
}

tg_status tg_handshake_decode(tg_reader *r, const tg_hs_ctx *ctx, tg_handshake *out) {
  tg_reader body;
  const hs_ops *ops;
  if (ctx == NULL)
    ctx = &default_ctx;
  memset(out, 0, sizeof *out);
  TG_TRY(tg_read_u8(r, &out->msg_type, "Handshake.msg_type"));
  TG_TRY(tg_read_vec(r, 3, 0, 0xffffff, &body, "Handshake.length"));
  ops = ops_of(out->msg_type);
  /* RFC 8446 §4: "If an implementation receives an unexpected message type, it MUST abort the
   * handshake with an "unexpected_message" alert." (hello_request, certificate_status, ...). */
  if (ops == NULL) {
    const char *name = tg_hs_type_name(out->msg_type);
    return TG_FAIL(r->err, unexpected_message, TG_E_UNKNOWN_TYPE,
                   "Handshake.msg_type %u (%s) is not a message this library reads", out->msg_type,
                   name ? name : "unassigned");
  }
  TG_TRY(ops->decode(&body, ctx, out));
  /* Every decoder consumes its body; this guards the contract for all of them. */
  return tg_read_done(&body, ops->name);
}

void tg_handshake_encode(tg_writer *w, const tg_hs_ctx *ctx, const tg_handshake *m) {
  const hs_ops *ops = ops_of(m->msg_type);
  if (ops == NULL) {
    if (w->status == TG_OK)
      w->status = TG_FAIL(w->err, internal_error, TG_E_USAGE, "cannot encode Handshake.msg_type %u",
                          m->msg_type);
    return;
  }
  if (ctx == NULL)
    ctx = &default_ctx;
  tg_w_u8(w, m->msg_type);
  size_t mark = tg_w_open(w, 3);
  ops->encode(w, ctx, m);
  tg_w_close(w, mark, 3, 0xffffff, "Handshake.length");
}

/* The body length, for the dump: the message is encoded again, as the describe of a struct that
 * a hook edited must show what would be sent. */
static size_t body_length(const tg_hs_ctx *ctx, const tg_handshake *m, const hs_ops *ops) {
  tg_writer w;
  size_t len;
  tg_writer_init_dynamic(&w, NULL);
  ops->encode(&w, ctx, m);
  len = w.len;
  tg_writer_free(&w);
  return len;
}

void tg_handshake_describe(tg_dump *d, const tg_hs_ctx *ctx, const tg_handshake *m) {
  const hs_ops *ops = ops_of(m->msg_type);
  if (ctx == NULL)
    ctx = &default_ctx;
  tg_dump_begin(d, NULL);
  tg_dump_uint(d, "msg_type", m->msg_type, tg_hs_type_name(m->msg_type));
  if (ops != NULL) {
    tg_dump_uint(d, "length", body_length(ctx, m, ops), NULL);
    ops->describe(d, ctx, m);
  }
  tg_dump_end(d);
}
