/* application_layer_protocol_negotiation (RFC 7301 §3.1). RFC 8448 has no ALPN, so the bodies
 * are the RFC 7301 example names "h2" and "http/1.1". */
#include "ext_a_util.h"
#include "tg/ext/alpn.h"

/* protocol_name_list { "h2", "http/1.1" } */
static const char ch_hex[] = "000c02683208687474702f312e31";

Test(ext_alpn, client_hello_parses_iterates_and_emits) {
  uint8_t body[64];
  size_t len = tt_unhex(ch_hex, body, sizeof body);
  tg_alpn_ch a;
  tg_err err = {0};
  cr_assert_eq(tg_alpn_parse_ch(tg_bytes_of(body, len), &a, &err), TG_OK, "%s", err.what);
  cr_assert_eq(a.protocol_name_list.len, 12);

  tg_bytes names[4];
  size_t n = 0;
  tg_alpn_iter it;
  tg_alpn_iter_init(&it, a.protocol_name_list);
  while (n < 4 && tg_alpn_next(&it, &names[n]))
    n++;
  cr_assert_eq(n, 2);
  cr_assert(tg_bytes_eq(names[0], tg_bytes_of("h2", 2)));
  cr_assert(tg_bytes_eq(names[1], tg_bytes_of("http/1.1", 8)));
  cr_assert(tg_alpn_offers(&a, tg_bytes_of("http/1.1", 8)));
  cr_assert(!tg_alpn_offers(&a, tg_bytes_of("http/1", 6)));

  uint8_t out[64];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_alpn_emit_names(&w, names, n);
  assert_emitted(&w, TG_EXT_application_layer_protocol_negotiation, tg_bytes_of(body, len));
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_alpn_emit_ch(&w, &a);
  assert_emitted(&w, TG_EXT_application_layer_protocol_negotiation, tg_bytes_of(body, len));
}

Test(ext_alpn, server_form_is_exactly_one_name) {
  const uint8_t one[] = {0x00, 0x03, 0x02, 'h', '2'};
  tg_alpn_sh sh;
  tg_err err = {0};
  cr_assert_eq(tg_alpn_parse_sh(tg_bytes_of(one, sizeof one), &sh, &err), TG_OK, "%s", err.what);
  cr_assert(tg_bytes_eq(sh.protocol_name, tg_bytes_of("h2", 2)));
  uint8_t out[16];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_alpn_emit_sh(&w, &sh);
  assert_emitted(&w, TG_EXT_application_layer_protocol_negotiation, tg_bytes_of(one, sizeof one));

  uint8_t two[64];
  size_t len = tt_unhex(ch_hex, two, sizeof two);
  cr_assert_eq(tg_alpn_parse_sh(tg_bytes_of(two, len), &sh, &err), TG_E_BAD_VALUE);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert(strstr(err.what, "2 names") != NULL, "%s", err.what);
}

Test(ext_alpn, truncation_at_every_offset) {
  uint8_t body[64];
  size_t len = tt_unhex(ch_hex, body, sizeof body);
  assert_prefixes_fail(TG_EXT_application_layer_protocol_negotiation, tg_bytes_of(body, len),
                       TG_CTX_CH);
  assert_prefixes_fail(TG_EXT_application_layer_protocol_negotiation,
                       tg_bytes_of(body, 5) /* {"h2"} as a list of 3 */, TG_CTX_EE);
}

Test(ext_alpn, malformed_table) {
  static const bad_row rows[] = {
      {"two names", TG_CTX_CH, "000c02683208687474702f312e31", ACCEPTED},
      {"one name in ClientHello", TG_CTX_CH, "0003026832", ACCEPTED},
      {"one name in EncryptedExtensions", TG_CTX_EE, "0003026832", ACCEPTED},
      {"two names in EncryptedExtensions", TG_CTX_EE, "000c02683208687474702f312e31",
       TG_ALERT_illegal_parameter},
      {"list length +1", TG_CTX_CH, "0004026832", TG_ALERT_decode_error},
      {"list length -1", TG_CTX_CH, "0002026832", TG_ALERT_decode_error},
      {"list length 0", TG_CTX_CH, "0000", TG_ALERT_decode_error},
      {"list length 1 (below 2)", TG_CTX_CH, "000100", TG_ALERT_decode_error},
      {"list length max", TG_CTX_CH, "ffff026832", TG_ALERT_decode_error},
      {"name length +1", TG_CTX_CH, "0003036832", TG_ALERT_decode_error},
      {"name length -1", TG_CTX_CH, "0003016832", TG_ALERT_decode_error},
      {"empty name", TG_CTX_CH, "00020000", TG_ALERT_decode_error},
      {"empty name after a name", TG_CTX_CH, "000402683200", TG_ALERT_decode_error},
      {"name length max", TG_CTX_CH, "0003ff6832", TG_ALERT_decode_error},
      {"trailing byte", TG_CTX_CH, "000302683200", TG_ALERT_decode_error},
      {"empty body", TG_CTX_EE, "", TG_ALERT_decode_error},
  };
  run_rows(TG_EXT_application_layer_protocol_negotiation, rows, sizeof rows / sizeof rows[0]);
}

Test(ext_alpn, placement_and_describe) {
  const uint8_t one[] = {0x00, 0x03, 0x02, 'h', '2'};
  tg_err err;
  /* RFC 8446 §4.2: CH, EE; in TLS 1.3 the server's answer is in EncryptedExtensions. */
  cr_assert_eq(check_one(TG_EXT_application_layer_protocol_negotiation, tg_bytes_of(one, 5),
                         TG_CTX_SH, TG_VERSION_TLS13, &err),
               TG_E_EXT_NOT_ALLOWED);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert_eq(check_one(TG_EXT_application_layer_protocol_negotiation, tg_bytes_of(one, 5),
                         TG_CTX_SH, TG_VERSION_TLS12, &err),
               TG_OK);
  uint8_t body[64];
  size_t len = tt_unhex(ch_hex, body, sizeof body);
  text_dump t;
  const char *s = describe_one(&t, TG_EXT_application_layer_protocol_negotiation,
                               tg_bytes_of(body, len), TG_CTX_CH);
  cr_assert(strstr(s, "protocol_name_list=[ -=\"h2\" -=\"http/1.1\" }") != NULL, "%s", s);
}
