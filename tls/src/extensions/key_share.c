/* key_share (RFC 8446 §4.2.8). */
#include <string.h>

#include "tg/ext/key_share.h"
#include "tg/names.h"

/* struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry; */
static tg_status read_entry(tg_reader *r, tg_key_share_entry *e) {
  tg_reader v;
  TG_TRY(tg_read_u16(r, &e->group, "KeyShareEntry.group"));
  TG_TRY(tg_read_vec(r, 2, 1, 65535, &v, "KeyShareEntry.key_exchange"));
  e->key_exchange = tg_reader_rest(&v);
  return TG_OK;
}

/* struct { KeyShareEntry client_shares<0..2^16-1>; } KeyShareClientHello; */
static tg_status read_ch(tg_reader *r, tg_key_share_ch *out) {
  /* Groups seen so far, a bitmap over all 65536 values: a list can hold ~13000 entries, too many
   * to compare pairwise on hostile input. */
  uint8_t seen[65536 / 8];
  tg_reader list;
  bool dup = false;
  uint16_t dup_group = 0;
  memset(seen, 0, sizeof seen);
  TG_TRY(tg_read_vec(r, 2, 0, 65535, &list, "KeyShareClientHello.client_shares"));
  out->client_shares = tg_reader_rest(&list);
  out->count = 0;
  while (tg_left(&list) > 0) {
    tg_key_share_entry e;
    TG_TRY(read_entry(&list, &e));
    if (!dup && (seen[e.group / 8] & (1u << (e.group % 8)))) {
      dup = true;
      dup_group = e.group;
    }
    seen[e.group / 8] |= (uint8_t)(1u << (e.group % 8));
    out->count++;
  }
  /* Decoding errors first, so the alert does not depend on where a list is broken. */
  TG_TRY(tg_read_done(r, "KeyShareClientHello"));
  /* RFC 8446 §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same
   * group." A violation is a value the RFC forbids: illegal_parameter. */
  TG_ENSURE(r->err, !dup, illegal_parameter, TG_E_DUPLICATE,
            "KeyShareClientHello.client_shares offers group %s (0x%04x) twice",
            tg_group_name(dup_group) ? tg_group_name(dup_group) : "unknown", dup_group);
  return TG_OK;
}

/* struct { NamedGroup selected_group; } KeyShareHelloRetryRequest; */
static tg_status read_hrr(tg_reader *r, tg_key_share_hrr *out) {
  return tg_read_u16(r, &out->selected_group, "KeyShareHelloRetryRequest.selected_group");
}

/* struct { KeyShareEntry server_share; } KeyShareServerHello; */
static tg_status read_sh(tg_reader *r, tg_key_share_sh *out) {
  return read_entry(r, &out->server_share);
}

tg_status tg_key_share_parse_ch(tg_bytes body, tg_key_share_ch *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_ch(&r, out));
  return tg_read_done(&r, "KeyShareClientHello");
}

tg_status tg_key_share_parse_hrr(tg_bytes body, tg_key_share_hrr *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_hrr(&r, out));
  return tg_read_done(&r, "KeyShareHelloRetryRequest");
}

tg_status tg_key_share_parse_sh(tg_bytes body, tg_key_share_sh *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_sh(&r, out));
  return tg_read_done(&r, "KeyShareServerHello");
}

void tg_key_share_iter_init(tg_key_share_iter *it, const tg_key_share_ch *ks) {
  tg_reader_init(&it->r, ks->client_shares.p, ks->client_shares.len, NULL);
}

bool tg_key_share_next(tg_key_share_iter *it, tg_key_share_entry *entry) {
  return tg_left(&it->r) > 0 && read_entry(&it->r, entry) == TG_OK;
}

bool tg_key_share_find(const tg_key_share_ch *ks, uint16_t group, tg_key_share_entry *entry) {
  tg_key_share_iter it;
  tg_key_share_iter_init(&it, ks);
  while (tg_key_share_next(&it, entry))
    if (entry->group == group)
      return true;
  return false;
}

void tg_key_share_w_entry(tg_writer *w, const tg_key_share_entry *entry) {
  tg_w_u16(w, entry->group);
  tg_w_vec(w, 2, entry->key_exchange);
}

void tg_key_share_emit_ch(tg_writer *w, const tg_key_share_ch *ks) {
  tg_w_u16(w, TG_EXT_key_share);
  size_t ext = tg_w_open(w, 2);
  tg_w_vec(w, 2, ks->client_shares);
  tg_w_close(w, ext, 2, 65535, "key_share extension_data");
}

void tg_key_share_emit_hrr(tg_writer *w, const tg_key_share_hrr *ks) {
  tg_w_u16(w, TG_EXT_key_share);
  tg_w_u16(w, 2);
  tg_w_u16(w, ks->selected_group);
}

void tg_key_share_emit_sh(tg_writer *w, const tg_key_share_sh *ks) {
  tg_w_u16(w, TG_EXT_key_share);
  size_t ext = tg_w_open(w, 2);
  tg_key_share_w_entry(w, &ks->server_share);
  tg_w_close(w, ext, 2, 65535, "key_share extension_data");
}

/* The value of each form: ServerHello's server_share, HelloRetryRequest's selected_group, the
 * client's list elsewhere (other messages have no form; the allow table rules). */
typedef union key_share_value {
  tg_key_share_ch ch;
  tg_key_share_sh sh;
  tg_key_share_hrr hrr;
} key_share_value;

static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  key_share_value *v = value;
  switch (where->ctx) {
  case TG_CTX_SH: return tg_key_share_parse_sh(body, &v->sh, err);
  case TG_CTX_HRR: return tg_key_share_parse_hrr(body, &v->hrr, err);
  default: return tg_key_share_parse_ch(body, &v->ch, err);
  }
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  const key_share_value *v = value;
  switch (where->ctx) {
  case TG_CTX_SH: tg_key_share_emit_sh(w, &v->sh); break;
  case TG_CTX_HRR: tg_key_share_emit_hrr(w, &v->hrr); break;
  default: tg_key_share_emit_ch(w, &v->ch); break;
  }
}

static void describe_entry(tg_dump *d, const char *key, const tg_key_share_entry *e) {
  tg_dump_begin(d, key);
  tg_dump_uint(d, "group", e->group, tg_group_name(e->group));
  tg_dump_bytes(d, "key_exchange", e->key_exchange);
  tg_dump_end(d);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_key_share_ch ch;
  tg_key_share_hrr hrr;
  tg_key_share_sh sh;
  if (where->ctx == TG_CTX_SH && tg_key_share_parse_sh(body, &sh, NULL) == TG_OK) {
    describe_entry(d, "server_share", &sh.server_share);
  } else if (where->ctx == TG_CTX_HRR && tg_key_share_parse_hrr(body, &hrr, NULL) == TG_OK) {
    tg_dump_uint(d, "selected_group", hrr.selected_group, tg_group_name(hrr.selected_group));
  } else if (where->ctx != TG_CTX_SH && where->ctx != TG_CTX_HRR &&
             tg_key_share_parse_ch(body, &ch, NULL) == TG_OK) {
    tg_key_share_iter it;
    tg_key_share_entry e;
    tg_dump_list(d, "client_shares");
    tg_key_share_iter_init(&it, &ch);
    while (tg_key_share_next(&it, &e))
      describe_entry(d, NULL, &e);
    tg_dump_end(d);
  } else {
    tg_dump_bytes(d, "extension_data", body);
  }
}

const tg_ext_desc tg_ext_key_share_desc = {
    .type = TG_EXT_key_share,
    .name = "key_share",
    .allowed13 = TG_CTX_CH | TG_CTX_SH | TG_CTX_HRR,
    .value_size = sizeof(key_share_value),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
