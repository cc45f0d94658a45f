/* The fixed-size and empty extensions: max_fragment_length (RFC 6066 §4), record_size_limit
 * (RFC 8449), padding (RFC 7685), encrypt_then_mac (RFC 7366), extended_master_secret
 * (RFC 7627). */
#include "ext_a_util.h"
#include "tg/ext/encrypt_then_mac.h"
#include "tg/ext/extended_master_secret.h"
#include "tg/ext/max_fragment_length.h"
#include "tg/ext/padding.h"
#include "tg/ext/record_size_limit.h"

static uint8_t vec[4096];

Test(ext_max_fragment_length, values_and_emit) {
  static const unsigned bytes[] = {0, 512, 1024, 2048, 4096, 0};
  for (uint8_t v = 0; v <= 5; v++)
    cr_assert_eq(tg_max_fragment_length_bytes(v), bytes[v], "value %u", v);
  const uint8_t body[] = {0x03};
  tg_max_fragment_length mfl;
  tg_err err = {0};
  cr_assert_eq(tg_max_fragment_length_parse(tg_bytes_of(body, 1), &mfl, &err), TG_OK);
  cr_assert_eq(mfl.max_fragment_length, 3);
  uint8_t out[8];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_max_fragment_length_emit(&w, &mfl);
  assert_emitted(&w, TG_EXT_max_fragment_length, tg_bytes_of(body, 1));
}

Test(ext_max_fragment_length, malformed_table) {
  static const bad_row rows[] = {
      {"2^9", TG_CTX_CH, "01", ACCEPTED},
      {"2^12 in EncryptedExtensions", TG_CTX_EE, "04", ACCEPTED},
      {"value 0", TG_CTX_CH, "00", TG_ALERT_illegal_parameter},
      {"value 5", TG_CTX_CH, "05", TG_ALERT_illegal_parameter},
      {"value 255", TG_CTX_EE, "ff", TG_ALERT_illegal_parameter},
      {"empty", TG_CTX_CH, "", TG_ALERT_decode_error},
      {"two bytes", TG_CTX_CH, "0101", TG_ALERT_decode_error},
  };
  run_rows(TG_EXT_max_fragment_length, rows, sizeof rows / sizeof rows[0]);
}

Test(ext_record_size_limit, rfc8448_client_hello_and_encrypted_extensions) {
  tg_record_size_limit rsl;
  tg_err err = {0};
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex", TG_EXT_record_size_limit,
                             vec, sizeof vec);
  cr_assert_eq(tg_record_size_limit_parse(body, &rsl, &err), TG_OK);
  cr_assert_eq(rsl.record_size_limit, 16385); /* 2^14 + 1: TLS 1.3's "no limit" */
  uint8_t out[8];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_record_size_limit_emit(&w, &rsl);
  assert_emitted(&w, TG_EXT_record_size_limit, body);
  assert_prefixes_fail(TG_EXT_record_size_limit, body, TG_CTX_CH);

  body = vector_ext(RFC8448 "sec3-simple-1rtt/encrypted_extensions.hex", TG_EXT_record_size_limit,
                    vec, sizeof vec);
  cr_assert_eq(check_one(TG_EXT_record_size_limit, body, TG_CTX_EE, TG_VERSION_TLS13, &err), TG_OK,
               "%s", err.what);
  /* RFC 8449 §5 / the registry: CH, EE. Not in a 1.3 CertificateRequest. */
  cr_assert_eq(check_one(TG_EXT_record_size_limit, body, TG_CTX_CR, TG_VERSION_TLS13, &err),
               TG_E_EXT_NOT_ALLOWED);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
}

Test(ext_record_size_limit, malformed_table) {
  static const bad_row rows[] = {
      {"64", TG_CTX_CH, "0040", ACCEPTED},
      {"63", TG_CTX_CH, "003f", TG_ALERT_illegal_parameter},
      {"0", TG_CTX_EE, "0000", TG_ALERT_illegal_parameter},
      {"65535 from a client", TG_CTX_CH, "ffff", ACCEPTED},
      {"2^14+1 from a 1.3 server", TG_CTX_EE, "4001", ACCEPTED},
      {"2^14+2 from a 1.3 server", TG_CTX_EE, "4002", TG_ALERT_illegal_parameter},
      {"empty", TG_CTX_CH, "", TG_ALERT_decode_error},
      {"one byte", TG_CTX_CH, "40", TG_ALERT_decode_error},
      {"three bytes", TG_CTX_CH, "400100", TG_ALERT_decode_error},
  };
  run_rows(TG_EXT_record_size_limit, rows, sizeof rows / sizeof rows[0]);
}

Test(ext_record_size_limit, tls12_server_maximum_is_2_14) {
  const uint8_t v16384[] = {0x40, 0x00}, v16385[] = {0x40, 0x01};
  tg_err err;
  cr_assert_eq(check_one(TG_EXT_record_size_limit, tg_bytes_of(v16384, 2), TG_CTX_SH,
                         TG_VERSION_TLS12, &err),
               TG_OK);
  cr_assert_eq(check_one(TG_EXT_record_size_limit, tg_bytes_of(v16385, 2), TG_CTX_SH,
                         TG_VERSION_TLS12, &err),
               TG_E_BAD_VALUE);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
}

Test(ext_padding, zeros_parse_and_emit) {
  static uint8_t zeros[600];
  tg_padding p;
  tg_err err = {0};
  cr_assert_eq(tg_padding_parse(tg_bytes_of(zeros, sizeof zeros), &p, &err), TG_OK);
  cr_assert_eq(p.padding_len, sizeof zeros);
  cr_assert_eq(tg_padding_parse(tg_bytes_of(zeros, 0), &p, &err), TG_OK, "may be empty");
  cr_assert_eq(p.padding_len, 0);
  static uint8_t out[700];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  p.padding_len = sizeof zeros;
  tg_padding_emit(&w, &p);
  assert_emitted(&w, TG_EXT_padding, tg_bytes_of(zeros, sizeof zeros));
}

Test(ext_padding, nonzero_byte_at_any_offset_is_illegal_parameter) {
  uint8_t body[32] = {0};
  for (size_t i = 0; i < sizeof body; i++) {
    tg_err err;
    body[i] = 0x01;
    cr_assert_eq(check_one(TG_EXT_padding, tg_bytes_of(body, sizeof body), TG_CTX_CH,
                           TG_VERSION_TLS13, &err),
                 TG_E_BAD_VALUE, "offset %zu", i);
    cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
    body[i] = 0;
  }
}

Test(ext_padding, client_hello_only_in_tls13) {
  uint8_t body[4] = {0};
  tg_err err;
  cr_assert_eq(check_one(TG_EXT_padding, tg_bytes_of(body, 4), TG_CTX_CH, TG_VERSION_TLS13, &err),
               TG_OK);
  cr_assert_eq(check_one(TG_EXT_padding, tg_bytes_of(body, 4), TG_CTX_EE, TG_VERSION_TLS13, &err),
               TG_E_EXT_NOT_ALLOWED);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
}

Test(ext_empty, encrypt_then_mac_and_extended_master_secret) {
  static const struct {
    uint16_t type;
    tg_status (*parse)(tg_bytes, tg_err *);
    void (*emit)(tg_writer *);
  } exts[] = {
      {TG_EXT_encrypt_then_mac, tg_encrypt_then_mac_parse, tg_encrypt_then_mac_emit},
      {TG_EXT_extended_master_secret, tg_extended_master_secret_parse,
       tg_extended_master_secret_emit},
  };
  const uint8_t one[] = {0x00};
  for (size_t i = 0; i < 2; i++) {
    tg_err err = {0};
    cr_assert_eq(exts[i].parse(tg_bytes_of(one, 0), &err), TG_OK);
    cr_assert_eq(exts[i].parse(tg_bytes_of(one, 1), &err), TG_E_TRAILING);
    cr_assert_eq(err.alert, TG_ALERT_decode_error);
    cr_assert_eq(check_one(exts[i].type, tg_bytes_of(one, 1), TG_CTX_SH, TG_VERSION_TLS12, &err),
                 TG_E_TRAILING);
    cr_assert_eq(err.alert, TG_ALERT_decode_error);
    /* Not in RFC 8446 §4.2: tolerated in a 1.3 ClientHello, illegal in a 1.3 ServerHello. */
    cr_assert_eq(check_one(exts[i].type, tg_bytes_of(one, 0), TG_CTX_CH, TG_VERSION_TLS13, &err),
                 TG_OK);
    cr_assert_eq(check_one(exts[i].type, tg_bytes_of(one, 0), TG_CTX_SH, TG_VERSION_TLS13, &err),
                 TG_E_EXT_NOT_ALLOWED);
    uint8_t out[8];
    tg_writer w;
    tg_writer_init(&w, out, sizeof out, NULL);
    exts[i].emit(&w);
    assert_emitted(&w, exts[i].type, tg_bytes_of(one, 0));
  }
}

Test(ext_small, describe) {
  const uint8_t mfl[] = {0x02}, rsl[] = {0x40, 0x01}, pad[] = {0, 0, 0};
  text_dump t;
  const char *s = describe_one(&t, TG_EXT_max_fragment_length, tg_bytes_of(mfl, 1), TG_CTX_CH);
  cr_assert(strstr(s, "max_fragment_length=2(2^10)") != NULL, "%s", s);
  s = describe_one(&t, TG_EXT_record_size_limit, tg_bytes_of(rsl, 2), TG_CTX_CH);
  cr_assert(strstr(s, "record_size_limit=16385()") != NULL, "%s", s);
  s = describe_one(&t, TG_EXT_padding, tg_bytes_of(pad, 3), TG_CTX_CH);
  cr_assert(strstr(s, "padding_length=3()") != NULL, "%s", s);
  s = describe_one(&t, TG_EXT_extended_master_secret, tg_bytes_of(pad, 0), TG_CTX_CH);
  cr_assert(strstr(s, "extension_type=23(extended_master_secret) extension_data=<0 bytes> }") !=
                NULL,
            "%s", s);
}
