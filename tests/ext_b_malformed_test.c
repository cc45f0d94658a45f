/* ext-b extensions, table-driven: well-formed bodies that round-trip, malformed bodies with the
 * alert each must produce (through the structured parse and through tg_extensions_check with a
 * one-extension block), truncation at every offset, every length field set to ±1, 0 and max,
 * placement by RFC 8446 §4.2, and describe. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../fuzz/ext_reemit.h"
#include "hs_testutil.h"
#include "tg/extensions.h"
#include "tg/names.h"

/* The message and version a body is read in. The 1.3 allow table does not apply to the TLS 1.2
 * extensions outside ClientHello, so those are read under TLS 1.2. */
static tg_ext_where where_for(uint16_t type, enum tg_ext_ctx ctx) {
  const tg_ext_desc *desc = tg_ext_desc_of(type);
  cr_assert_not_null(desc, "no descriptor for %u", type);
  tg_ext_where where = {ctx, (desc->allowed13 & ctx) || ctx == TG_CTX_CH ? TG_VERSION_TLS13
                                                                         : TG_VERSION_TLS12};
  return where;
}

/* The structured parse of (type, message) through the descriptor; for a body that parses, the
 * emit from the parsed value into w (when w is not NULL). The fuzz oracle's (fuzz/ext_reemit.h). */
static tg_status parse_emit(uint16_t type, enum tg_ext_ctx ctx, tg_bytes b, tg_err *err,
                            tg_writer *w) {
  tg_status st = TG_E_USAGE;
  tg_ext_where where = where_for(type, ctx);
  return tg_ext_reemit(type, &where, b, err, w, &st) ? st : TG_E_USAGE;
}

/* tg_extensions_check on the block holding just {type, body}. */
static tg_status check_block(uint16_t type, enum tg_ext_ctx ctx, tg_bytes body, tg_err *err) {
  uint8_t buf[70000];
  tg_writer w;
  tg_writer_init(&w, buf, sizeof buf, NULL);
  tg_ext_emit_raw(&w, type, body);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  tg_ext_where where = where_for(type, ctx);
  return tg_extensions_check(tg_writer_bytes(&w), &where, err);
}

/* ---- well-formed bodies ------------------------------------------------------------------------
 */

typedef struct good {
  const char *what;
  uint16_t type;
  enum tg_ext_ctx ctx;
  const char *hex;
  /* Offsets and sizes of the length fields in the body, mutated one at a time. */
  struct {
    unsigned off, size;
  } lens[4];
} good;

static const good goods[] = {
    {"session_ticket CH with a ticket", TG_EXT_session_ticket, TG_CTX_CH, "0102030405", {{0, 0}}},
    {"session_ticket CH empty", TG_EXT_session_ticket, TG_CTX_CH, "", {{0, 0}}},
    {"session_ticket SH", TG_EXT_session_ticket, TG_CTX_SH, "", {{0, 0}}},
    {"pre_shared_key CH two PSKs",
     TG_EXT_pre_shared_key,
     TG_CTX_CH,
     "0010 0001 aa 00000001 0003 bbbbbb 00000002"
     "0042 20 1111111111111111111111111111111111111111111111111111111111111111"
     "     20 2222222222222222222222222222222222222222222222222222222222222222",
     {{0, 2}, {2, 2}, {18, 2}, {20, 1}}},
    {"pre_shared_key SH", TG_EXT_pre_shared_key, TG_CTX_SH, "0001", {{0, 0}}},
    {"early_data CH", TG_EXT_early_data, TG_CTX_CH, "", {{0, 0}}},
    {"early_data EE", TG_EXT_early_data, TG_CTX_EE, "", {{0, 0}}},
    {"early_data NST", TG_EXT_early_data, TG_CTX_NST, "ffffffff", {{0, 0}}},
    {"supported_versions CH with GREASE",
     TG_EXT_supported_versions,
     TG_CTX_CH,
     "06 0a0a 0304 0303",
     {{0, 1}}},
    {"supported_versions HRR", TG_EXT_supported_versions, TG_CTX_HRR, "0304", {{0, 0}}},
    {"cookie of one byte", TG_EXT_cookie, TG_CTX_CH, "0001 00", {{0, 2}}},
    {"psk_key_exchange_modes with an unknown mode",
     TG_EXT_psk_key_exchange_modes,
     TG_CTX_CH,
     "03 00 01 ff",
     {{0, 1}}},
    {"certificate_authorities two names",
     TG_EXT_certificate_authorities,
     TG_CTX_CR,
     "0009 0001 30 0004 30023100",
     {{0, 2}, {2, 2}, {5, 2}}},
    {"certificate_authorities in CH",
     TG_EXT_certificate_authorities,
     TG_CTX_CH,
     "0003 0001 30",
     {{0, 2}, {2, 2}}},
    {"post_handshake_auth", TG_EXT_post_handshake_auth, TG_CTX_CH, "", {{0, 0}}},
    {"key_share CH empty (asking for HRR)", TG_EXT_key_share, TG_CTX_CH, "0000", {{0, 0}}},
    {"key_share CH two groups",
     TG_EXT_key_share,
     TG_CTX_CH,
     "000b 001d 0002 abcd 0017 0001 04",
     {{0, 2}, {4, 2}}},
    {"key_share SH", TG_EXT_key_share, TG_CTX_SH, "001d 0003 010203", {{2, 2}}},
    {"key_share HRR unknown group", TG_EXT_key_share, TG_CTX_HRR, "fefe", {{0, 0}}},
    {"renegotiation_info with verify_data",
     TG_EXT_renegotiation_info,
     TG_CTX_SH,
     "18 000102030405060708090a0b 0c0d0e0f1011121314151617",
     {{0, 1}}},
};

Test(ext_b, well_formed_parse_check_and_reemit) {
  for (size_t i = 0; i < sizeof goods / sizeof goods[0]; i++) {
    const good *g = &goods[i];
    uint8_t in[512], out[600], raw[600];
    tg_err err = {0};
    char msg[300];
    tg_bytes body = tg_bytes_of(in, tt_unhex(g->hex, in, sizeof in));
    tg_writer w, wr;
    tg_writer_init(&w, out, sizeof out, NULL);
    cr_assert_eq(parse_emit(g->type, g->ctx, body, &err, &w), TG_OK, "%s: %s", g->what,
                 tg_err_format(&err, msg, sizeof msg));
    cr_assert_eq(check_block(g->type, g->ctx, body, &err), TG_OK, "%s: %s", g->what,
                 tg_err_format(&err, msg, sizeof msg));
    tg_writer_init(&wr, raw, sizeof raw, NULL);
    tg_ext_emit_raw(&wr, g->type, body);
    cr_assert_eq(tg_writer_status(&w), TG_OK);
    cr_assert_eq(w.len, wr.len, "%s: re-emitted length", g->what);
    cr_assert_arr_eq(out, raw, wr.len, "%s: re-emitted bytes", g->what);
  }
}

/* Every proper prefix of a well-formed body that has a length field is too short for it. */
Test(ext_b, truncation_at_every_offset_is_decode_error) {
  for (size_t i = 0; i < sizeof goods / sizeof goods[0]; i++) {
    const good *g = &goods[i];
    uint8_t in[512];
    size_t len = tt_unhex(g->hex, in, sizeof in);
    if (g->type == TG_EXT_session_ticket) /* the ticket is the whole body: any prefix is one */
      continue;
    for (size_t cut = 0; cut < len; cut++) {
      tg_err err = {0};
      tg_status st = parse_emit(g->type, g->ctx, tg_bytes_of(in, cut), &err, NULL);
      cr_assert_neq(st, TG_OK, "%s cut at %zu accepted", g->what, cut);
      cr_assert_eq(err.alert, TG_ALERT_decode_error, "%s cut at %zu: %s", g->what, cut, err.what);
      tg_err_clear(&err);
      cr_assert_eq(check_block(g->type, g->ctx, tg_bytes_of(in, cut), &err), st);
      cr_assert_eq(err.alert, TG_ALERT_decode_error);
    }
  }
}

/* A body that is one byte longer than its structure has trailing bytes. */
Test(ext_b, trailing_byte_is_decode_error) {
  for (size_t i = 0; i < sizeof goods / sizeof goods[0]; i++) {
    const good *g = &goods[i];
    uint8_t in[512];
    size_t len = tt_unhex(g->hex, in, sizeof in);
    if (g->type == TG_EXT_session_ticket && g->ctx == TG_CTX_CH)
      continue;
    in[len++] = 0;
    tg_err err = {0};
    cr_assert_eq(parse_emit(g->type, g->ctx, tg_bytes_of(in, len), &err, NULL), TG_E_TRAILING, "%s",
                 g->what);
    cr_assert_eq(err.alert, TG_ALERT_decode_error);
    tg_err_clear(&err);
    cr_assert_eq(check_block(g->type, g->ctx, tg_bytes_of(in, len), &err), TG_E_TRAILING, "%s",
                 g->what);
  }
}

static void set_len(uint8_t *p, unsigned size, unsigned v) {
  for (unsigned k = 0; k < size; k++)
    p[k] = (uint8_t)(v >> (8 * (size - 1 - k)));
}

static unsigned get_len(const uint8_t *p, unsigned size) {
  unsigned v = 0;
  for (unsigned k = 0; k < size; k++)
    v = (v << 8) | p[k];
  return v;
}

/* Each length field set to its value ±1, to 0 and to its maximum no longer agrees with the
 * bytes around it: decode_error, whichever check notices first. */
Test(ext_b, length_fields_plus_minus_zero_max_are_decode_error) {
  for (size_t i = 0; i < sizeof goods / sizeof goods[0]; i++) {
    const good *g = &goods[i];
    for (size_t f = 0; f < 4 && g->lens[f].size != 0; f++) {
      uint8_t in[512];
      size_t len = tt_unhex(g->hex, in, sizeof in);
      unsigned off = g->lens[f].off, size = g->lens[f].size;
      unsigned orig = get_len(in + off, size), max = (1u << (8 * size)) - 1;
      const unsigned muts[] = {orig + 1, orig - 1, 0, max};
      for (size_t m = 0; m < 4; m++) {
        if ((muts[m] & max) == orig)
          continue;
        tg_err err = {0};
        set_len(in + off, size, muts[m] & max);
        tg_status st = parse_emit(g->type, g->ctx, tg_bytes_of(in, len), &err, NULL);
        cr_assert_neq(st, TG_OK, "%s: length at %u set to %u accepted", g->what, off,
                      muts[m] & max);
        cr_assert_eq(err.alert, TG_ALERT_decode_error, "%s: length at %u set to %u: %s", g->what,
                     off, muts[m] & max, err.what);
        tg_err_clear(&err);
        cr_assert_eq(check_block(g->type, g->ctx, tg_bytes_of(in, len), &err), st);
        set_len(in + off, size, orig);
      }
    }
  }
}

/* ---- malformed bodies: one field wrong per row, with the alert it must produce
 * ------------------- */

typedef struct bad {
  const char *what;
  uint16_t type;
  enum tg_ext_ctx ctx;
  const char *hex;
  tg_status code;
  enum tg_alert alert;
  const char *field; /* the RFC name the message must mention */
} bad;

#define DEC(c) (c), TG_ALERT_decode_error
#define ILL(c) (c), TG_ALERT_illegal_parameter
#define B32 "0000000000000000000000000000000000000000000000000000000000000000"

static const bad bads[] = {
    {"session_ticket SH not empty", TG_EXT_session_ticket, TG_CTX_SH, "00", DEC(TG_E_TRAILING),
     "session_ticket"},
    {"pre_shared_key CH 2 identities 1 binder", TG_EXT_pre_shared_key, TG_CTX_CH,
     "000e 0001 aa 00000000 0001 bb 00000000 0021 20" B32, ILL(TG_E_BAD_VALUE), "binders"},
    {"pre_shared_key CH 1 identity 2 binders", TG_EXT_pre_shared_key, TG_CTX_CH,
     "0007 0001 aa 00000000 0042 20" B32 "20" B32, ILL(TG_E_BAD_VALUE), "identities"},
    {"pre_shared_key CH counts differ, then a trailing byte", TG_EXT_pre_shared_key, TG_CTX_CH,
     "0007 0001 aa 00000000 0042 20" B32 "20" B32 "00", DEC(TG_E_TRAILING), "OfferedPsks"},
    {"pre_shared_key CH identities empty", TG_EXT_pre_shared_key, TG_CTX_CH, "0000 0021 20" B32,
     DEC(TG_E_LENGTH), "OfferedPsks.identities"},
    {"pre_shared_key CH identity empty", TG_EXT_pre_shared_key, TG_CTX_CH,
     "0007 0000 0000000000 0021 20" B32, DEC(TG_E_LENGTH), "PskIdentity.identity"},
    {"pre_shared_key CH binder of 31 bytes", TG_EXT_pre_shared_key, TG_CTX_CH,
     "0007 0001 aa 00000000 0021 1f" B32, DEC(TG_E_LENGTH), "PskBinderEntry"},
    {"pre_shared_key CH binders empty", TG_EXT_pre_shared_key, TG_CTX_CH,
     "0007 0001 aa 00000000 0000", DEC(TG_E_LENGTH), "OfferedPsks.binders"},
    {"pre_shared_key CH binders missing", TG_EXT_pre_shared_key, TG_CTX_CH, "0007 0001 aa 00000000",
     DEC(TG_E_TRUNCATED), "OfferedPsks.binders"},
    {"pre_shared_key SH one byte", TG_EXT_pre_shared_key, TG_CTX_SH, "00", DEC(TG_E_TRUNCATED),
     "selected_identity"},
    {"early_data CH not empty", TG_EXT_early_data, TG_CTX_CH, "00000000", DEC(TG_E_TRAILING),
     "EarlyDataIndication"},
    {"early_data EE not empty", TG_EXT_early_data, TG_CTX_EE, "00", DEC(TG_E_TRAILING),
     "EarlyDataIndication"},
    {"early_data NST empty", TG_EXT_early_data, TG_CTX_NST, "", DEC(TG_E_TRUNCATED),
     "max_early_data_size"},
    {"supported_versions CH empty list", TG_EXT_supported_versions, TG_CTX_CH, "00",
     DEC(TG_E_LENGTH), "SupportedVersions.versions"},
    {"supported_versions CH odd list", TG_EXT_supported_versions, TG_CTX_CH, "03 0304 03",
     DEC(TG_E_ODD_LENGTH), "SupportedVersions.versions"},
    {"supported_versions CH list of 255", TG_EXT_supported_versions, TG_CTX_CH, "ff",
     DEC(TG_E_LENGTH), "SupportedVersions.versions"},
    {"supported_versions SH as a list", TG_EXT_supported_versions, TG_CTX_SH, "02 0304",
     DEC(TG_E_TRAILING), "SupportedVersions"},
    {"supported_versions SH TLS 1.2", TG_EXT_supported_versions, TG_CTX_SH, "0303",
     ILL(TG_E_BAD_VALUE), "selected_version"},
    {"supported_versions HRR TLS 1.0", TG_EXT_supported_versions, TG_CTX_HRR, "0301",
     ILL(TG_E_BAD_VALUE), "selected_version"},
    {"cookie empty", TG_EXT_cookie, TG_CTX_HRR, "0000", DEC(TG_E_LENGTH), "Cookie.cookie"},
    {"psk_key_exchange_modes empty", TG_EXT_psk_key_exchange_modes, TG_CTX_CH, "00",
     DEC(TG_E_LENGTH), "ke_modes"},
    {"certificate_authorities list of 2", TG_EXT_certificate_authorities, TG_CTX_CR, "0002 0000",
     DEC(TG_E_LENGTH), "authorities"},
    {"certificate_authorities empty name", TG_EXT_certificate_authorities, TG_CTX_CR,
     "0004 0000 0000", DEC(TG_E_LENGTH), "DistinguishedName"},
    {"post_handshake_auth not empty", TG_EXT_post_handshake_auth, TG_CTX_CH, "00",
     DEC(TG_E_TRAILING), "post_handshake_auth"},
    {"key_share CH duplicate group", TG_EXT_key_share, TG_CTX_CH, "000a 001d 0001 aa 001d 0001 bb",
     ILL(TG_E_DUPLICATE), "client_shares"},
    {"key_share CH duplicate unknown group", TG_EXT_key_share, TG_CTX_CH,
     "000f 1234 0001 aa 0017 0001 04 1234 0001 bb", ILL(TG_E_DUPLICATE), "client_shares"},
    {"key_share CH duplicate group, then a broken entry", TG_EXT_key_share, TG_CTX_CH,
     "000b 001d 0001 aa 001d 0001 bb 00", DEC(TG_E_TRUNCATED), "KeyShareEntry.group"},
    {"key_share CH duplicate group, then a trailing byte", TG_EXT_key_share, TG_CTX_CH,
     "000a 001d 0001 aa 001d 0001 bb 00", DEC(TG_E_TRAILING), "KeyShareClientHello"},
    {"key_share CH empty key_exchange", TG_EXT_key_share, TG_CTX_CH, "0004 001d 0000",
     DEC(TG_E_LENGTH), "KeyShareEntry.key_exchange"},
    {"key_share SH empty key_exchange", TG_EXT_key_share, TG_CTX_SH, "001d 0000", DEC(TG_E_LENGTH),
     "KeyShareEntry.key_exchange"},
    {"key_share SH a client_shares list", TG_EXT_key_share, TG_CTX_SH, "0005 001d 0001 aa",
     DEC(TG_E_TRUNCATED), "key_exchange"},
    {"key_share HRR a KeyShareEntry", TG_EXT_key_share, TG_CTX_HRR, "0017 0001 04",
     DEC(TG_E_TRAILING), "KeyShareHelloRetryRequest"},
    {"renegotiation_info empty body", TG_EXT_renegotiation_info, TG_CTX_CH, "", DEC(TG_E_TRUNCATED),
     "renegotiated_connection"},
};

Test(ext_b, malformed_rows_name_their_alert) {
  for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
    const bad *b = &bads[i];
    uint8_t in[512];
    tg_err err = {0};
    tg_bytes body = tg_bytes_of(in, tt_unhex(b->hex, in, sizeof in));
    cr_assert_eq(parse_emit(b->type, b->ctx, body, &err, NULL), b->code, "%s: got %s (%s)", b->what,
                 tg_code_name(err.code), err.what);
    cr_assert_eq(err.alert, b->alert, "%s: alert %s", b->what, tg_alert_name(err.alert));
    cr_assert(strstr(err.what, b->field) != NULL, "%s: message '%s' lacks '%s'", b->what, err.what,
              b->field);
    cr_assert(strncmp(err.file, "tls/src/extensions/", 19) == 0, "%s: located at %s", b->what,
              err.file);
    tg_err_clear(&err);
    cr_assert_eq(check_block(b->type, b->ctx, body, &err), b->code, "%s through the block: %s",
                 b->what, err.what);
    cr_assert_eq(err.alert, b->alert, "%s through the block", b->what);
  }
}

Test(ext_b, duplicate_group_error_names_group_and_file) {
  uint8_t in[32];
  tg_err err = {0};
  tg_bytes body = tg_bytes_of(in, tt_unhex("000a 0017 0001 04 0017 0001 04", in, sizeof in));
  cr_assert_eq(check_block(TG_EXT_key_share, TG_CTX_CH, body, &err), TG_E_DUPLICATE);
  cr_assert_str_eq(err.file, "tls/src/extensions/key_share.c");
  cr_assert(strstr(err.what, "secp256r1") != NULL, "%s", err.what);
}

/* ---- descriptors and placement
 * --------------------------------------------------------------------- */

/* RFC 8446 §4.2's table; 0 for the TLS 1.2 extensions. */
Test(ext_b, descriptors_are_wired_with_the_rfc_8446_table) {
  static const struct {
    uint16_t type;
    const char *name;
    unsigned allowed13;
  } rows[] = {
      {TG_EXT_session_ticket, "session_ticket", 0},
      {TG_EXT_pre_shared_key, "pre_shared_key", TG_CTX_CH | TG_CTX_SH},
      {TG_EXT_early_data, "early_data", TG_CTX_CH | TG_CTX_EE | TG_CTX_NST},
      {TG_EXT_supported_versions, "supported_versions", TG_CTX_CH | TG_CTX_SH | TG_CTX_HRR},
      {TG_EXT_cookie, "cookie", TG_CTX_CH | TG_CTX_HRR},
      {TG_EXT_psk_key_exchange_modes, "psk_key_exchange_modes", TG_CTX_CH},
      {TG_EXT_certificate_authorities, "certificate_authorities", TG_CTX_CH | TG_CTX_CR},
      {TG_EXT_post_handshake_auth, "post_handshake_auth", TG_CTX_CH},
      {TG_EXT_key_share, "key_share", TG_CTX_CH | TG_CTX_SH | TG_CTX_HRR},
      {TG_EXT_renegotiation_info, "renegotiation_info", 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const tg_ext_desc *d = tg_ext_desc_of(rows[i].type);
    cr_assert_not_null(d, "%s has no descriptor", rows[i].name);
    cr_assert_str_eq(d->name, rows[i].name);
    cr_assert_str_eq(d->name, tg_ext_type_name(rows[i].type), "the IANA name");
    cr_assert_eq(d->allowed13, rows[i].allowed13, "%s", rows[i].name);
  }
}

Test(ext_b, placement_in_tls13_messages) {
  static const struct {
    const char *what;
    uint16_t type;
    enum tg_ext_ctx ctx;
    const char *hex;
    tg_status code;
  } rows[] = {
      {"key_share in EncryptedExtensions", TG_EXT_key_share, TG_CTX_EE, "001d 0001 aa",
       TG_E_EXT_NOT_ALLOWED},
      {"cookie in ServerHello", TG_EXT_cookie, TG_CTX_SH, "0001 00", TG_E_EXT_NOT_ALLOWED},
      {"early_data in ServerHello", TG_EXT_early_data, TG_CTX_SH, "", TG_E_EXT_NOT_ALLOWED},
      {"pre_shared_key in HelloRetryRequest", TG_EXT_pre_shared_key, TG_CTX_HRR, "0000",
       TG_E_EXT_NOT_ALLOWED},
      {"session_ticket in ServerHello", TG_EXT_session_ticket, TG_CTX_SH, "", TG_E_EXT_NOT_ALLOWED},
      {"post_handshake_auth in CertificateRequest", TG_EXT_post_handshake_auth, TG_CTX_CR, "",
       TG_E_EXT_NOT_ALLOWED},
      {"renegotiation_info in ClientHello", TG_EXT_renegotiation_info, TG_CTX_CH, "00", TG_OK},
      {"session_ticket in ClientHello", TG_EXT_session_ticket, TG_CTX_CH, "abcd", TG_OK},
      {"certificate_authorities in CertificateRequest", TG_EXT_certificate_authorities, TG_CTX_CR,
       "0003 0001 30", TG_OK},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    uint8_t in[64], blk[80];
    tg_err err = {0};
    tg_writer w;
    tg_writer_init(&w, blk, sizeof blk, NULL);
    tg_ext_emit_raw(&w, rows[i].type, tg_bytes_of(in, tt_unhex(rows[i].hex, in, sizeof in)));
    tg_ext_where where = {rows[i].ctx, TG_VERSION_TLS13};
    cr_assert_eq(tg_extensions_check(tg_writer_bytes(&w), &where, &err), rows[i].code, "%s: %s",
                 rows[i].what, err.what);
    if (rows[i].code != TG_OK)
      cr_assert_eq(err.alert, TG_ALERT_illegal_parameter, "%s", rows[i].what);
  }
}

/* ---- describe
 * ---------------------------------------------------------------------------------------- */

/* A dump that prints "key=value(name)" items, one per line, into a buffer. */
typedef struct rec {
  tg_dump d;
  char out[2048];
  size_t len;
} rec;

static void rec_put(rec *r, const char *key, const char *fmt, unsigned long long v,
                    const char *name) {
  int n = snprintf(r->out + r->len, sizeof r->out - r->len, "%s=", key ? key : "-");
  r->len += (size_t)n;
  n = snprintf(r->out + r->len, sizeof r->out - r->len, fmt, v);
  r->len += (size_t)n;
  n = snprintf(r->out + r->len, sizeof r->out - r->len, "(%s)\n", name ? name : "");
  r->len += (size_t)n;
}
static void rec_begin(tg_dump *d, const char *key, int list) {
  rec_put((rec *)d, key, list ? "[%llu" : "{%llu", 0, NULL);
}
static void rec_end(tg_dump *d) { rec_put((rec *)d, "end", "%llu", 0, NULL); }
static void rec_uint(tg_dump *d, const char *key, uint64_t v, const char *name) {
  rec_put((rec *)d, key, "%llu", v, name);
}
static void rec_bytes(tg_dump *d, const char *key, tg_bytes v) {
  rec_put((rec *)d, key, "%llu bytes", v.len, NULL);
}
static void rec_text(tg_dump *d, const char *key, tg_bytes v) {
  rec_put((rec *)d, key, "%llu chars", v.len, NULL);
}

static const char *describe_one(rec *r, uint16_t type, enum tg_ext_ctx ctx, const char *hex) {
  uint8_t in[256], blk[300];
  tg_writer w;
  memset(r, 0, sizeof *r);
  r->d = (tg_dump){rec_begin, rec_end, rec_uint, rec_bytes, rec_text, NULL};
  tg_writer_init(&w, blk, sizeof blk, NULL);
  tg_ext_emit_raw(&w, type, tg_bytes_of(in, tt_unhex(hex, in, sizeof in)));
  tg_ext_where where = {ctx, TG_VERSION_TLS13};
  tg_extensions_describe(&r->d, tg_writer_bytes(&w), &where);
  return r->out;
}

Test(ext_b, describe_uses_rfc_field_names_and_iana_names) {
  static const struct {
    uint16_t type;
    enum tg_ext_ctx ctx;
    const char *hex;
    const char *want;
  } rows[] = {
      {TG_EXT_key_share, TG_CTX_CH, "0006 001d 0002 abcd",
       "client_shares=[0()\n-={0()\ngroup=29(x25519)\nkey_exchange=2 bytes()\n"},
      {TG_EXT_key_share, TG_CTX_HRR, "0017", "selected_group=23(secp256r1)\n"},
      {TG_EXT_key_share, TG_CTX_SH, "0018 0001 04",
       "server_share={0()\ngroup=24(secp384r1)\nkey_exchange=1 bytes()\n"},
      {TG_EXT_supported_versions, TG_CTX_CH, "04 0304 0303",
       "versions=[0()\n-=772(TLS 1.3)\n-=771(TLS 1.2)\nend=0()\n"},
      {TG_EXT_supported_versions, TG_CTX_SH, "0304", "selected_version=772(TLS 1.3)\n"},
      {TG_EXT_psk_key_exchange_modes, TG_CTX_CH, "02 01 00",
       "ke_modes=[0()\n-=1(psk_dhe_ke)\n-=0(psk_ke)\nend=0()\n"},
      {TG_EXT_pre_shared_key, TG_CTX_SH, "0002", "selected_identity=2()\n"},
      {TG_EXT_pre_shared_key, TG_CTX_CH, "0007 0001 aa 00000005 0021 20" B32,
       "identities=[0()\n-={0()\nidentity=1 bytes()\nobfuscated_ticket_age=5()\nend=0()\nend=0()\n"
       "binders=[0()\n-=32 bytes()\nend=0()\n"},
      {TG_EXT_early_data, TG_CTX_NST, "00004000", "max_early_data_size=16384()\n"},
      {TG_EXT_cookie, TG_CTX_HRR, "0003 010203", "cookie=3 bytes()\n"},
      {TG_EXT_certificate_authorities, TG_CTX_CR, "0007 0001 30 0002 3000",
       "authorities=[0()\n-=1 bytes()\n-=2 bytes()\nend=0()\n"},
      {TG_EXT_renegotiation_info, TG_CTX_CH, "02 abcd", "renegotiated_connection=2 bytes()\n"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    rec r;
    const char *out = describe_one(&r, rows[i].type, rows[i].ctx, rows[i].hex);
    cr_assert(strstr(out, rows[i].want) != NULL, "row %zu: want\n%s\nin\n%s", i, rows[i].want, out);
    cr_assert(strstr(out, tg_ext_type_name(rows[i].type)) != NULL, "row %zu names the type", i);
  }
}
