/* The generic extension code: the registry, the block walk, duplicates and placement. */
#include <criterion/criterion.h>
#include <string.h>

#include "tg/extensions.h"
#include "tg/names.h"

static const char *const all_extensions[] = {
    "server_name",
    "max_fragment_length",
    "status_request",
    "supported_groups",
    "ec_point_formats",
    "signature_algorithms",
    "signature_algorithms_cert",
    "application_layer_protocol_negotiation",
    "padding",
    "encrypt_then_mac",
    "extended_master_secret",
    "record_size_limit",
    "session_ticket",
    "pre_shared_key",
    "early_data",
    "supported_versions",
    "cookie",
    "psk_key_exchange_modes",
    "certificate_authorities",
    "post_handshake_auth",
    "key_share",
    "renegotiation_info",
};

Test(extensions, registry_has_every_extension) {
  for (size_t i = 0; i < sizeof all_extensions / sizeof all_extensions[0]; i++) {
    unsigned type;
    cr_assert(tg_ext_type_by_name(all_extensions[i], &type), "%s has no code point",
              all_extensions[i]);
    const tg_ext_desc *d = tg_ext_desc_of((uint16_t)type);
    cr_assert_not_null(d, "%s has no descriptor", all_extensions[i]);
    cr_assert_str_eq(d->name, all_extensions[i]);
    cr_assert_eq(d->type, type);
    cr_assert_not_null(d->parse, "%s has no parse", all_extensions[i]);
    cr_assert_not_null(d->emit, "%s has no emit", all_extensions[i]);
  }
  cr_assert_null(tg_ext_desc_of(0x0a0a), "GREASE is unknown");
}

Test(extensions, unknown_types_are_kept_and_iterated) {
  /* {0x0a0a, "ab"}, {0x1234, ""} */
  const uint8_t block[] = {0x0a, 0x0a, 0x00, 0x02, 'a', 'b', 0x12, 0x34, 0x00, 0x00};
  tg_ext_where where = {TG_CTX_EE, TG_VERSION_TLS13};
  tg_err err = {0};
  cr_assert_eq(tg_extensions_check(tg_bytes_of(block, sizeof block), &where, &err), TG_OK);
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  tg_ext_iter_init(&it, tg_bytes_of(block, sizeof block));
  cr_assert(tg_ext_next(&it, &type, &data));
  cr_assert_eq(type, 0x0a0a);
  cr_assert_eq(data.len, 2);
  cr_assert(tg_ext_next(&it, &type, &data));
  cr_assert_eq(type, 0x1234);
  cr_assert_eq(data.len, 0);
  cr_assert(!tg_ext_next(&it, &type, &data));
  cr_assert(tg_ext_find(tg_bytes_of(block, sizeof block), 0x1234, &data));
  cr_assert(!tg_ext_find(tg_bytes_of(block, sizeof block), 0x0000, &data));
}

Test(extensions, duplicate_unknown_type_is_illegal_parameter) {
  const uint8_t block[] = {0x0a, 0x0a, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x00};
  tg_ext_where where = {TG_CTX_CH, TG_VERSION_TLS12};
  tg_err err = {0};
  cr_assert_eq(tg_extensions_check(tg_bytes_of(block, sizeof block), &where, &err), TG_E_DUPLICATE);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert_str_eq(err.file, "tls/src/extensions/extensions.c");
}

Test(extensions, framing_errors_are_decode_error) {
  static const struct {
    uint8_t bytes[8];
    size_t len;
    tg_code code;
  } rows[] = {
      {{0x00}, 1, TG_E_TRUNCATED},                         /* half a type */
      {{0x0a, 0x0a, 0x00}, 3, TG_E_TRUNCATED},             /* half a length */
      {{0x0a, 0x0a, 0x00, 0x02, 0x00}, 5, TG_E_TRUNCATED}, /* body shorter than its length */
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tg_ext_where where = {TG_CTX_CH, TG_VERSION_TLS13};
    tg_err err = {0};
    cr_assert_eq(tg_extensions_check(tg_bytes_of(rows[i].bytes, rows[i].len), &where, &err),
                 rows[i].code, "row %zu", i);
    cr_assert_eq(err.alert, TG_ALERT_decode_error, "row %zu", i);
  }
}

Test(extensions, placement_names_the_extension_and_message) {
  /* supported_groups (CH, EE in TLS 1.3) in a ServerHello. */
  const uint8_t block[] = {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d};
  tg_ext_where where = {TG_CTX_SH, TG_VERSION_TLS13};
  tg_err err = {0};
  cr_assert_eq(tg_extensions_check(tg_bytes_of(block, sizeof block), &where, &err),
               TG_E_EXT_NOT_ALLOWED);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert_str_eq(
      err.what,
      "extension supported_groups is not allowed in a TLS 1.3 ServerHello (RFC 8446 4.2)");
  where.version = TG_VERSION_TLS12;
  tg_err_clear(&err);
  cr_assert_eq(tg_extensions_check(tg_bytes_of(block, sizeof block), &where, &err), TG_OK,
               "TLS 1.2 has no per-message table");
}
