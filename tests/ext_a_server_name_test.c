/* server_name (RFC 6066 §3): the RFC 8448 forms, emission, malformed bodies, placement. */
#include "ext_a_util.h"
#include "tg/ext/server_name.h"

static uint8_t vec[4096];

Test(ext_server_name, rfc8448_client_hello_parses_and_emits) {
  tg_bytes body =
      vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex", TG_EXT_server_name, vec, sizeof vec);
  tg_server_name_ch sn;
  tg_err err = {0};
  cr_assert_eq(tg_server_name_parse_ch(body, &sn, &err), TG_OK, "%s", err.what);
  cr_assert(tg_bytes_eq(sn.host_name, tg_bytes_of("server", 6)));
  cr_assert_eq(sn.server_name_list.len, body.len - 2);

  tg_server_name_iter it;
  uint8_t name_type;
  tg_bytes name;
  tg_server_name_iter_init(&it, sn.server_name_list);
  cr_assert(tg_server_name_next(&it, &name_type, &name));
  cr_assert_eq(name_type, TG_HOST_NAME);
  cr_assert(!tg_server_name_next(&it, &name_type, &name), "one entry only");

  uint8_t out[64];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_server_name_emit_host_name(&w, sn.host_name);
  assert_emitted(&w, TG_EXT_server_name, body);
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_server_name_emit_ch(&w, &sn);
  assert_emitted(&w, TG_EXT_server_name, body);
  cr_assert_eq(check_one(TG_EXT_server_name, body, TG_CTX_CH, TG_VERSION_TLS13, &err), TG_OK);
}

Test(ext_server_name, rfc8448_encrypted_extensions_is_empty) {
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/encrypted_extensions.hex",
                             TG_EXT_server_name, vec, sizeof vec);
  tg_err err = {0};
  cr_assert_eq(body.len, 0);
  cr_assert_eq(tg_server_name_parse_sh(body, &err), TG_OK);
  cr_assert_eq(check_one(TG_EXT_server_name, body, TG_CTX_EE, TG_VERSION_TLS13, &err), TG_OK);
  uint8_t out[8];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_server_name_emit_sh(&w);
  assert_emitted(&w, TG_EXT_server_name, body);
}

Test(ext_server_name, truncation_at_every_offset) {
  tg_bytes body =
      vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex", TG_EXT_server_name, vec, sizeof vec);
  assert_prefixes_fail(TG_EXT_server_name, body, TG_CTX_CH);
}

Test(ext_server_name, malformed_table) {
  static const bad_row rows[] = {
      {"well-formed", TG_CTX_CH, "0009000006736572766572", ACCEPTED},
      {"list length +1", TG_CTX_CH, "000a000006736572766572", TG_ALERT_decode_error},
      {"list length -1", TG_CTX_CH, "0008000006736572766572", TG_ALERT_decode_error},
      {"list length 0", TG_CTX_CH, "0000", TG_ALERT_decode_error},
      {"list length max", TG_CTX_CH, "ffff000006736572766572", TG_ALERT_decode_error},
      {"host_name length +1", TG_CTX_CH, "0009000007736572766572", TG_ALERT_decode_error},
      {"host_name length -1", TG_CTX_CH, "0009000005736572766572", TG_ALERT_decode_error},
      {"host_name length 0", TG_CTX_CH, "0003000000", TG_ALERT_decode_error},
      {"host_name length max", TG_CTX_CH, "00090000ff736572766572", TG_ALERT_decode_error},
      {"trailing byte after list", TG_CTX_CH, "0009000006736572766572ff", TG_ALERT_decode_error},
      {"empty body in ClientHello", TG_CTX_CH, "", TG_ALERT_decode_error},
      {"duplicate host_name", TG_CTX_CH, "00080000016100000162", TG_ALERT_illegal_parameter},
      {"duplicate unknown name_type", TG_CTX_CH, "00080700016107000162",
       TG_ALERT_illegal_parameter},
      {"host_name and another type", TG_CTX_CH, "00080000016107000162", ACCEPTED},
      {"non-empty in EncryptedExtensions", TG_CTX_EE, "0009000006736572766572",
       TG_ALERT_decode_error},
      {"one byte in EncryptedExtensions", TG_CTX_EE, "00", TG_ALERT_decode_error},
  };
  run_rows(TG_EXT_server_name, rows, sizeof rows / sizeof rows[0]);
}

Test(ext_server_name, duplicate_name_type_message_names_field) {
  uint8_t body[] = {0x00, 0x08, 0x00, 0x00, 0x01, 'a', 0x00, 0x00, 0x01, 'b'};
  tg_server_name_ch sn;
  tg_err err = {0};
  cr_assert_eq(tg_server_name_parse_ch(tg_bytes_of(body, sizeof body), &sn, &err), TG_E_DUPLICATE);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert(strstr(err.what, "server_name_list") != NULL, "%s", err.what);
}

Test(ext_server_name, unknown_name_type_is_kept_and_host_name_found) {
  uint8_t fixed[] = {0x00, 0x0b, 0x07, 0x00, 0x02, 'x', 'y', 0x00, 0x00, 0x03, 'a', '.', 'b'};
  tg_server_name_ch sn;
  tg_err err = {0};
  cr_assert_eq(tg_server_name_parse_ch(tg_bytes_of(fixed, sizeof fixed), &sn, &err), TG_OK, "%s",
               err.what);
  cr_assert(tg_bytes_eq(sn.host_name, tg_bytes_of("a.b", 3)));
}

Test(ext_server_name, not_allowed_in_tls13_server_hello_or_certificate_request) {
  tg_err err;
  uint8_t empty[1] = {0};
  cr_assert_eq(
      check_one(TG_EXT_server_name, tg_bytes_of(empty, 0), TG_CTX_SH, TG_VERSION_TLS13, &err),
      TG_E_EXT_NOT_ALLOWED);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert_eq(
      check_one(TG_EXT_server_name, tg_bytes_of(empty, 0), TG_CTX_CR, TG_VERSION_TLS13, &err),
      TG_E_EXT_NOT_ALLOWED);
  /* TLS 1.2 has no allow table: the empty ServerHello form is fine there. */
  cr_assert_eq(
      check_one(TG_EXT_server_name, tg_bytes_of(empty, 0), TG_CTX_SH, TG_VERSION_TLS12, &err),
      TG_OK, "%s", err.what);
}

Test(ext_server_name, describe_prints_host_name_as_text) {
  tg_bytes body =
      vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex", TG_EXT_server_name, vec, sizeof vec);
  text_dump t;
  const char *s = describe_one(&t, TG_EXT_server_name, body, TG_CTX_CH);
  cr_assert(strstr(s, "extension_type=0(server_name)") != NULL, "%s", s);
  cr_assert(strstr(s, "name_type=0(host_name)") != NULL, "%s", s);
  cr_assert(strstr(s, "host_name=\"server\"") != NULL, "%s", s);
}
