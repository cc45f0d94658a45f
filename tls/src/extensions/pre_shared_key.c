/* pre_shared_key (RFC 8446 §4.2.11). That it is the last extension of the ClientHello
 * (illegal_parameter otherwise) is a property of the block, checked by the ClientHello parser. */
#include "tg/ext/pre_shared_key.h"
#include "tg/names.h"

/* struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; } PskIdentity; */
static tg_status read_identity(tg_reader *r, tg_psk_identity *out) {
  tg_reader v;
  TG_TRY(tg_read_vec(r, 2, 1, 65535, &v, "PskIdentity.identity"));
  out->identity = tg_reader_rest(&v);
  return tg_read_u32(r, &out->obfuscated_ticket_age, "PskIdentity.obfuscated_ticket_age");
}

/* opaque PskBinderEntry<32..255>; */
static tg_status read_binder(tg_reader *r, tg_bytes *out) {
  tg_reader v;
  TG_TRY(tg_read_vec(r, 1, 32, 255, &v, "PskBinderEntry"));
  *out = tg_reader_rest(&v);
  return TG_OK;
}

/* struct { PskIdentity identities<7..2^16-1>; PskBinderEntry binders<33..2^16-1>; } OfferedPsks; */
static tg_status read_ch(tg_reader *r, tg_pre_shared_key_ch *out) {
  tg_reader ids, binders;
  size_t n_binders = 0;
  TG_TRY(tg_read_vec(r, 2, 7, 65535, &ids, "OfferedPsks.identities"));
  out->identities = tg_reader_rest(&ids);
  out->count = 0;
  while (tg_left(&ids) > 0) {
    tg_psk_identity id;
    TG_TRY(read_identity(&ids, &id));
    out->count++;
  }
  TG_TRY(tg_read_vec(r, 2, 33, 65535, &binders, "OfferedPsks.binders"));
  out->binders = tg_reader_rest(&binders);
  out->binders_wire_len = 2 + out->binders.len;
  while (tg_left(&binders) > 0) {
    tg_bytes b;
    TG_TRY(read_binder(&binders, &b));
    n_binders++;
  }
  /* Decoding errors first, so the alert does not depend on where the body is broken. */
  TG_TRY(tg_read_done(r, "OfferedPsks"));
  /* RFC 8446 §4.2.11: binders are "one for each value in the identities list and in the same
   * order"; a different count is a value the RFC forbids. */
  TG_ENSURE(r->err, n_binders == out->count, illegal_parameter, TG_E_BAD_VALUE,
            "OfferedPsks has %zu identities but %zu binders", out->count, n_binders);
  return TG_OK;
}

/* ServerHello: uint16 selected_identity. Whether it is within the client's list is the client's
 * check (RFC 8446 §4.2.11, illegal_parameter), which needs the offer. */
static tg_status read_sh(tg_reader *r, tg_pre_shared_key_sh *out) {
  return tg_read_u16(r, &out->selected_identity, "PreSharedKeyExtension.selected_identity");
}

tg_status tg_pre_shared_key_parse_ch(tg_bytes body, tg_pre_shared_key_ch *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_ch(&r, out));
  return tg_read_done(&r, "OfferedPsks");
}

tg_status tg_pre_shared_key_parse_sh(tg_bytes body, tg_pre_shared_key_sh *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_sh(&r, out));
  return tg_read_done(&r, "PreSharedKeyExtension");
}

void tg_psk_iter_init(tg_psk_iter *it, const tg_pre_shared_key_ch *psk) {
  tg_reader_init(&it->identities, psk->identities.p, psk->identities.len, NULL);
  tg_reader_init(&it->binders, psk->binders.p, psk->binders.len, NULL);
}

bool tg_psk_next(tg_psk_iter *it, tg_psk_identity *identity, tg_bytes *binder) {
  return tg_left(&it->identities) > 0 && read_identity(&it->identities, identity) == TG_OK &&
         read_binder(&it->binders, binder) == TG_OK;
}

void tg_pre_shared_key_w_identity(tg_writer *w, const tg_psk_identity *identity) {
  tg_w_vec(w, 2, identity->identity);
  tg_w_u32(w, identity->obfuscated_ticket_age);
}

void tg_pre_shared_key_w_binder(tg_writer *w, tg_bytes binder) { tg_w_vec(w, 1, binder); }

void tg_pre_shared_key_emit_ch(tg_writer *w, const tg_pre_shared_key_ch *psk) {
  tg_w_u16(w, TG_EXT_pre_shared_key);
  size_t ext = tg_w_open(w, 2);
  tg_w_vec(w, 2, psk->identities);
  tg_w_vec(w, 2, psk->binders);
  tg_w_close(w, ext, 2, 65535, "pre_shared_key extension_data");
}

void tg_pre_shared_key_emit_sh(tg_writer *w, const tg_pre_shared_key_sh *psk) {
  tg_w_u16(w, TG_EXT_pre_shared_key);
  tg_w_u16(w, 2);
  tg_w_u16(w, psk->selected_identity);
}

/* The value of each form: the server's selected_identity, or the client's OfferedPsks (other
 * messages have no form; the allow table rules). */
typedef union pre_shared_key_value {
  tg_pre_shared_key_ch ch;
  tg_pre_shared_key_sh sh;
} pre_shared_key_value;

static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  pre_shared_key_value *v = value;
  if (where->ctx == TG_CTX_SH)
    return tg_pre_shared_key_parse_sh(body, &v->sh, err);
  return tg_pre_shared_key_parse_ch(body, &v->ch, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  const pre_shared_key_value *v = value;
  if (where->ctx == TG_CTX_SH)
    tg_pre_shared_key_emit_sh(w, &v->sh);
  else
    tg_pre_shared_key_emit_ch(w, &v->ch);
}

static void describe_ch(tg_dump *d, const tg_pre_shared_key_ch *ch) {
  tg_psk_iter it;
  tg_psk_identity id;
  tg_bytes binder;
  tg_dump_list(d, "identities");
  tg_psk_iter_init(&it, ch);
  while (tg_psk_next(&it, &id, &binder)) {
    tg_dump_begin(d, NULL);
    tg_dump_bytes(d, "identity", id.identity);
    tg_dump_uint(d, "obfuscated_ticket_age", id.obfuscated_ticket_age, NULL);
    tg_dump_end(d);
  }
  tg_dump_end(d);
  tg_dump_list(d, "binders");
  tg_psk_iter_init(&it, ch);
  while (tg_psk_next(&it, &id, &binder))
    tg_dump_bytes(d, NULL, binder);
  tg_dump_end(d);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_pre_shared_key_ch ch;
  tg_pre_shared_key_sh sh;
  if (where->ctx == TG_CTX_SH && tg_pre_shared_key_parse_sh(body, &sh, NULL) == TG_OK)
    tg_dump_uint(d, "selected_identity", sh.selected_identity, NULL);
  else if (where->ctx != TG_CTX_SH && tg_pre_shared_key_parse_ch(body, &ch, NULL) == TG_OK)
    describe_ch(d, &ch);
  else
    tg_dump_bytes(d, "extension_data", body);
}

const tg_ext_desc tg_ext_pre_shared_key_desc = {
    .type = TG_EXT_pre_shared_key,
    .name = "pre_shared_key",
    .allowed13 = TG_CTX_CH | TG_CTX_SH,
    .value_size = sizeof(pre_shared_key_value),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
