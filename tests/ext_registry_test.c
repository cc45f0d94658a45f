/* The extension registry (tls/src/extensions/registry.c) walked as data: every descriptor is
 * complete (name, contexts, parse, emit, a value that fits), its name is the one the names table
 * prints, its contexts are what the block check enforces, and parse then emit gives back every
 * sample byte for byte: the extension blocks of the RFC 8448 traces, plus a row below for each
 * extension or form those traces lack. A new registry line without a sample fails here. */
#include <criterion/criterion.h>
#include <string.h>

#include "../fuzz/ext_reemit.h"
#include "hs_testutil.h"
#include "tg/extensions.h"
#include "tg/names.h"

#define VEC(path) TG_SOURCE_DIR "/vectors/rfc8448/" path

static const unsigned all_ctx =
    TG_CTX_CH | TG_CTX_SH | TG_CTX_HRR | TG_CTX_EE | TG_CTX_CT | TG_CTX_CR | TG_CTX_NST;

/* The version a sample is read under: TLS 1.3 where RFC 8446 §4.2 allows the extension in that
 * message (and in every ClientHello), TLS 1.2 for a TLS 1.2 extension outside ClientHello. */
static tg_ext_where where_for(const tg_ext_desc *d, enum tg_ext_ctx ctx) {
  tg_ext_where where = {ctx, (d->allowed13 & ctx) || ctx == TG_CTX_CH ? TG_VERSION_TLS13
                                                                      : TG_VERSION_TLS12};
  return where;
}

static void every_descriptor_is_complete(void) {
  const tg_ext_desc *d;
  size_t n = 0;
  for (size_t i = 0; (d = tg_ext_desc_at(i)) != NULL; i++, n++) {
    cr_assert(d->name != NULL && d->name[0] != '\0', "descriptor %zu (type %u) has no name", i,
              d->type);
    cr_assert_not_null(d->parse, "%s has no parse", d->name);
    cr_assert_not_null(d->emit, "%s has no emit", d->name);
    cr_assert_eq(d->allowed13 & ~all_ctx, 0, "%s: contexts 0x%x are not messages", d->name,
                 d->allowed13);
    cr_assert_leq(d->value_size, sizeof(tg_ext_value), "%s: a %zu-byte value does not fit", d->name,
                  d->value_size);
    cr_assert_eq(tg_ext_desc_of(d->type), d, "%s: type %u finds another descriptor", d->name,
                 d->type);
    for (size_t j = 0; j < i; j++)
      cr_assert_str_neq(tg_ext_desc_at(j)->name, d->name, "two descriptors named %s", d->name);
  }
  cr_assert_geq(n, 1, "the registry is empty");
  cr_assert_null(tg_ext_desc_at(n + 1));
}

/* An engine extension's name lives in its descriptor only: the names table returns that very
 * string, and reads it back. */
static void names_come_from_the_descriptors(void) {
  const tg_ext_desc *d;
  for (size_t i = 0; (d = tg_ext_desc_at(i)) != NULL; i++) {
    unsigned v = 0;
    cr_assert_eq(tg_ext_type_name(d->type), d->name, "%s: tg_ext_type_name gives another string",
                 d->name);
    cr_assert(tg_ext_type_by_name(d->name, &v), "%s is not found by name", d->name);
    cr_assert_eq(v, d->type, "%s reads back as %u", d->name, v);
  }
  /* The IANA names of extensions the engine does not implement remain. */
  unsigned v = 0;
  cr_assert_null(tg_ext_desc_of(TG_EXT_compress_certificate));
  cr_assert_str_eq(tg_ext_type_name(TG_EXT_compress_certificate), "compress_certificate");
  cr_assert(tg_ext_type_by_name("encrypted_client_hello", &v) && v == 0xfe0d);
  cr_assert_str_eq(tg_ext_type_name(0x3a3a), "GREASE_3a3a");
  cr_assert_null(tg_ext_type_name(0x7777));
  cr_assert_null(tg_ext_type_name(0x10000));
}

/* A TLS 1.3 message outside a descriptor's contexts refuses the extension before its body is
 * read (illegal_parameter, RFC 8446 §4.2); a TLS 1.2 extension is let through in a TLS 1.3
 * ClientHello only. */
static void contexts_are_what_the_block_check_enforces(void) {
  static const enum tg_ext_ctx ctxs[] = {TG_CTX_CH, TG_CTX_SH, TG_CTX_HRR, TG_CTX_EE,
                                         TG_CTX_CT, TG_CTX_CR, TG_CTX_NST};
  const tg_ext_desc *d;
  for (size_t i = 0; (d = tg_ext_desc_at(i)) != NULL; i++) {
    for (size_t c = 0; c < sizeof ctxs / sizeof ctxs[0]; c++) {
      if ((d->allowed13 & ctxs[c]) || (d->allowed13 == 0 && ctxs[c] == TG_CTX_CH))
        continue;
      uint8_t blk[8];
      tg_writer w;
      tg_err err = {0};
      tg_writer_init(&w, blk, sizeof blk, NULL);
      tg_ext_emit_raw(&w, d->type, tg_bytes_of(NULL, 0));
      tg_ext_where where = {ctxs[c], TG_VERSION_TLS13};
      cr_assert_eq(tg_extensions_check(tg_writer_bytes(&w), &where, &err), TG_E_EXT_NOT_ALLOWED,
                   "%s in context 0x%x: %s", d->name, ctxs[c], err.what);
      cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
    }
  }
}

/* ---- samples
 * ----------------------------------------------------------------------------------------- */

/* Which descriptors a sample reached (indexes into the registry). */
static bool covered[256];

static size_t index_of(const tg_ext_desc *d) {
  const tg_ext_desc *e;
  for (size_t i = 0; (e = tg_ext_desc_at(i)) != NULL; i++)
    if (e == d)
      return i;
  cr_assert_fail("%s is not in the registry", d->name);
  return 0;
}

/* parse(body) then emit gives {type, body} again; the block check agrees with parse. */
static void round_trip(uint16_t type, tg_bytes body, const tg_ext_where *where, const char *from) {
  const tg_ext_desc *d = tg_ext_desc_of(type);
  uint8_t out[1100], raw[1100], blk[1100];
  tg_writer w, wr, wb;
  tg_err err = {0};
  tg_status st = TG_E_USAGE;
  char msg[300];
  if (d == NULL)
    return; /* an extension the engine does not implement */
  tg_writer_init(&w, out, sizeof out, NULL);
  cr_assert(tg_ext_reemit(type, where, body, &err, &w, &st));
  cr_assert_eq(st, TG_OK, "%s in %s does not parse: %s", d->name, from,
               tg_err_format(&err, msg, sizeof msg));
  cr_assert_eq(tg_writer_status(&w), TG_OK, "%s in %s: emit failed", d->name, from);
  tg_writer_init(&wr, raw, sizeof raw, NULL);
  tg_ext_emit_raw(&wr, type, body);
  cr_assert_eq(w.len, wr.len, "%s in %s: emitted %zu bytes, read %zu", d->name, from, w.len,
               wr.len);
  cr_assert_arr_eq(out, raw, wr.len, "%s in %s re-emits differently", d->name, from);
  tg_writer_init(&wb, blk, sizeof blk, NULL);
  tg_ext_emit_raw(&wb, type, body);
  tg_err_clear(&err);
  cr_assert_eq(tg_extensions_check(tg_writer_bytes(&wb), where, &err), TG_OK,
               "%s in %s: the block check refuses what parse accepts: %s", d->name, from, err.what);
  covered[index_of(d)] = true;
}

/* Every extension of every RFC 8448 message that has a block (a ServerHello that is a
 * HelloRetryRequest is read as one). */
static void rfc8448_samples(void) {
  static const struct {
    const char *path;
    enum tg_ext_ctx ctx;
  } rows[] = {
      {VEC("sec3-simple-1rtt/client_hello.hex"), TG_CTX_CH},
      {VEC("sec3-simple-1rtt/server_hello.hex"), TG_CTX_SH},
      {VEC("sec3-simple-1rtt/encrypted_extensions.hex"), TG_CTX_EE},
      {VEC("sec3-simple-1rtt/new_session_ticket.hex"), TG_CTX_NST},
      {VEC("sec4-resumed-0rtt/client_hello.hex"), TG_CTX_CH},
      {VEC("sec4-resumed-0rtt/server_hello.hex"), TG_CTX_SH},
      {VEC("sec4-resumed-0rtt/encrypted_extensions.hex"), TG_CTX_EE},
      {VEC("sec5-hrr/hello_retry_request.hex"), TG_CTX_HRR},
      {VEC("sec5-hrr/client_hello_2.hex"), TG_CTX_CH},
      {VEC("sec6-client-auth/certificate_request.hex"), TG_CTX_CR},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    uint8_t buf[1024];
    size_t len = tt_load_hex(rows[i].path, buf, sizeof buf);
    tg_bytes block = extensions_of(buf, len), body;
    tg_ext_iter it;
    uint16_t type;
    tg_ext_iter_init(&it, block);
    while (tg_ext_next(&it, &type, &body)) {
      const tg_ext_desc *d = tg_ext_desc_of(type);
      if (d != NULL) {
        tg_ext_where where = where_for(d, rows[i].ctx);
        round_trip(type, body, &where, rows[i].path);
      }
    }
  }
}

/* The extensions and forms the RFC 8448 traces do not have. */
static const struct {
  uint16_t type;
  enum tg_ext_ctx ctx;
  const char *hex;
} extra[] = {
    {TG_EXT_max_fragment_length, TG_CTX_CH, "02"},
    {TG_EXT_max_fragment_length, TG_CTX_EE, "04"},
    {TG_EXT_status_request, TG_CTX_CH, "01 0000 0000"},
    {TG_EXT_status_request, TG_CTX_CR, ""},
    {TG_EXT_status_request, TG_CTX_CT, "01 000003 308201"},
    {TG_EXT_status_request, TG_CTX_SH, ""},
    {TG_EXT_ec_point_formats, TG_CTX_CH, "03 00 01 02"},
    {TG_EXT_ec_point_formats, TG_CTX_SH, "01 00"},
    {TG_EXT_signature_algorithms_cert, TG_CTX_CH, "0004 0403 0804"},
    {TG_EXT_application_layer_protocol_negotiation, TG_CTX_CH, "000c 02 6832 08 687474702f312e31"},
    {TG_EXT_application_layer_protocol_negotiation, TG_CTX_EE, "0003 02 6832"},
    {TG_EXT_padding, TG_CTX_CH, "000000"},
    {TG_EXT_encrypt_then_mac, TG_CTX_CH, ""},
    {TG_EXT_encrypt_then_mac, TG_CTX_SH, ""},
    {TG_EXT_extended_master_secret, TG_CTX_CH, ""},
    {TG_EXT_extended_master_secret, TG_CTX_SH, ""},
    {TG_EXT_record_size_limit, TG_CTX_SH, "4000"},
    {TG_EXT_session_ticket, TG_CTX_SH, ""},
    {TG_EXT_renegotiation_info, TG_CTX_SH, "00"},
    {TG_EXT_certificate_authorities, TG_CTX_CR, "0009 0001 30 0004 30023100"},
    {TG_EXT_post_handshake_auth, TG_CTX_CH, ""},
    {TG_EXT_server_name, TG_CTX_SH, ""},
};

static void parse_then_emit_round_trips_on_every_extension(void) {
  const tg_ext_desc *d;
  rfc8448_samples();
  for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
    uint8_t in[256];
    const tg_ext_desc *e = tg_ext_desc_of(extra[i].type);
    cr_assert_not_null(e, "no descriptor for sample %zu (type %u)", i, extra[i].type);
    tg_ext_where where = where_for(e, extra[i].ctx);
    round_trip(extra[i].type, tg_bytes_of(in, tt_unhex(extra[i].hex, in, sizeof in)), &where,
               "the extra samples");
  }
  for (size_t i = 0; (d = tg_ext_desc_at(i)) != NULL; i++)
    cr_assert(covered[i], "%s has no sample: add a row to this file's extra[]", d->name);
}

/* A body the descriptor's parse refuses, the block check refuses with the same status and alert
 * (it runs that parse): trailing bytes, and record_size_limit's bounds, which depend on the
 * message and version the descriptor is given. */
static void parse_and_block_check_refuse_alike(void) {
  static const struct {
    uint16_t type;
    enum tg_ext_ctx ctx;
    const char *hex;
  } bad[] = {
      {TG_EXT_supported_versions, TG_CTX_SH, "0304 00"},
      {TG_EXT_key_share, TG_CTX_HRR, "001d 00"},
      {TG_EXT_encrypt_then_mac, TG_CTX_CH, "00"},
      {TG_EXT_record_size_limit, TG_CTX_EE, "4002"}, /* above 2^14+1 from a server */
      {TG_EXT_record_size_limit, TG_CTX_CH, "003f"}, /* below 64 */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    uint8_t in[64], blk[80];
    tg_writer w;
    tg_err e1 = {0}, e2 = {0};
    tg_status st = TG_OK;
    const tg_ext_desc *d = tg_ext_desc_of(bad[i].type);
    tg_ext_where where = where_for(d, bad[i].ctx);
    tg_bytes body = tg_bytes_of(in, tt_unhex(bad[i].hex, in, sizeof in));
    cr_assert(tg_ext_reemit(bad[i].type, &where, body, &e1, NULL, &st));
    cr_assert_neq(st, TG_OK, "%s row %zu accepted", d->name, i);
    tg_writer_init(&w, blk, sizeof blk, NULL);
    tg_ext_emit_raw(&w, bad[i].type, body);
    cr_assert_eq(tg_extensions_check(tg_writer_bytes(&w), &where, &e2), st, "%s row %zu", d->name,
                 i);
    cr_assert_eq(e1.alert, e2.alert, "%s row %zu", d->name, i);
  }
}

/* Two tests rather than five: each Criterion test is a process, and under ASan the start costs
 * more than these checks. */
Test(ext_registry, descriptors_are_complete_named_once_and_placed) {
  every_descriptor_is_complete();
  names_come_from_the_descriptors();
  contexts_are_what_the_block_check_enforces();
}

Test(ext_registry, samples_round_trip_and_refusals_agree) {
  parse_then_emit_round_trips_on_every_extension();
  parse_and_block_check_refuse_alike();
}
