/* ServerHello and HelloRetryRequest: RFC 8448 round trips, HRR and downgrade detection, and one
 * row per malformed field. */
#include <criterion/criterion.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/extensions.h"
#include "tg/hs/server_hello.h"

TT_DECODER(decode_sh, server_hello, NULL)

static tg_bytes encode_sh(const tg_server_hello *sh, uint8_t *out, size_t cap) {
  tg_writer w;
  tg_err err = {0};
  tg_writer_init(&w, out, cap, &err);
  tg_server_hello_encode(&w, NULL, sh);
  cr_assert_eq(tg_writer_status(&w), TG_OK, "%s", err.what);
  return tg_writer_bytes(&w);
}

static void decode_ok(tt_buf body, tg_server_hello *sh) {
  tg_reader r;
  tg_err err = {0};
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_server_hello_decode(&r, NULL, sh), TG_OK, "%s", err.what);
}

static const char *const rfc8448_server_hellos[] = {
    "sec3-simple-1rtt/server_hello", "sec4-resumed-0rtt/server_hello",
    "sec5-hrr/hello_retry_request",  "sec5-hrr/server_hello",
    "sec6-client-auth/server_hello", "sec7-compat-mode/server_hello",
};

Test(server_hello, rfc8448_hellos_reencode_byte_for_byte) {
  for (size_t i = 0; i < sizeof rfc8448_server_hellos / sizeof rfc8448_server_hellos[0]; i++) {
    tt_buf body = tt_rfc8448_body(rfc8448_server_hellos[i], TG_HS_server_hello);
    tg_server_hello sh;
    uint8_t out[512];
    decode_ok(body, &sh);
    cr_expect_eq(tg_server_hello_selected_version(&sh), 0x0304, "%s", rfc8448_server_hellos[i]);
    cr_expect_eq(sh.is_hrr, strstr(rfc8448_server_hellos[i], "retry") != NULL, "%s",
                 rfc8448_server_hellos[i]);
    cr_expect(tg_bytes_eq(encode_sh(&sh, out, sizeof out), tt_view(body)), "%s",
              rfc8448_server_hellos[i]);
    tt_free(&body);
  }
}

Test(server_hello, rfc8448_sec3_fields) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/server_hello", TG_HS_server_hello);
  tt_buf pub = tt_rfc8448("sec3-simple-1rtt/server_x25519_public");
  tg_server_hello sh;
  tg_bytes ks;
  decode_ok(body, &sh);
  cr_expect_eq(sh.legacy_version, 0x0303);
  cr_expect_eq(sh.random[0], 0xa6);
  cr_expect_eq(sh.random[31], 0x28);
  cr_expect_eq(sh.legacy_session_id_echo.len, 0);
  cr_expect_eq(sh.cipher_suite, 0x1301);
  cr_expect_eq(sh.legacy_compression_method, 0);
  cr_expect_not(sh.is_hrr);
  cr_expect_eq(tg_server_hello_downgrade(&sh), TG_DOWNGRADE_NONE);
  /* KeyShareServerHello: group x25519, key_exchange<32> = the server's public key. */
  cr_assert(tg_ext_find(sh.extensions, TG_EXT_key_share, &ks));
  cr_assert_eq(ks.len, 4 + 32);
  cr_expect_eq(tt_get_be(ks.p, 2), TG_GROUP_x25519);
  cr_expect(tg_bytes_eq(tg_bytes_of(ks.p + 4, 32), tt_view(pub)));
  tt_free(&body);
  tt_free(&pub);
}

Test(server_hello, rfc8448_sec5_hello_retry_request) {
  tt_buf body = tt_rfc8448_body("sec5-hrr/hello_retry_request", TG_HS_server_hello);
  tg_server_hello sh;
  tg_bytes ks, cookie;
  decode_ok(body, &sh);
  cr_expect(sh.is_hrr);
  cr_expect_eq(memcmp(sh.random, tg_hrr_random, 32), 0);
  cr_assert(tg_ext_find(sh.extensions, TG_EXT_key_share, &ks));
  cr_assert_eq(ks.len, 2);
  cr_expect_eq(tt_get_be(ks.p, 2), TG_GROUP_secp256r1);
  cr_assert(tg_ext_find(sh.extensions, TG_EXT_cookie, &cookie));
  cr_expect_eq(cookie.len, 0x74);
  tt_free(&body);
}

Test(server_hello, struct_round_trips_through_encode_and_decode) {
  const uint8_t sid[] = {9, 8, 7};
  const uint8_t ext[] = {0x00, 0x2b, 0x00, 0x02, 0x03, 0x04};
  tg_server_hello in = {0}, out;
  uint8_t buf[256];
  in.legacy_version = 0x0303;
  memcpy(in.random, tg_hrr_random, 32);
  in.is_hrr = true;
  in.legacy_session_id_echo = tg_bytes_of(sid, sizeof sid);
  in.cipher_suite = 0x1302;
  in.has_extensions = true;
  in.extensions = tg_bytes_of(ext, sizeof ext);
  tg_bytes enc = encode_sh(&in, buf, sizeof buf);
  tg_reader r;
  tg_err err = {0};
  tg_reader_init(&r, enc.p, enc.len, &err);
  cr_assert_eq(tg_server_hello_decode(&r, NULL, &out), TG_OK, "%s", err.what);
  cr_expect_eq(out.legacy_version, in.legacy_version);
  cr_expect_eq(memcmp(out.random, in.random, 32), 0);
  cr_expect(tg_bytes_eq(out.legacy_session_id_echo, in.legacy_session_id_echo));
  cr_expect_eq(out.cipher_suite, in.cipher_suite);
  cr_expect_eq(out.legacy_compression_method, 0);
  cr_expect_eq(out.has_extensions, true);
  cr_expect(tg_bytes_eq(out.extensions, in.extensions));
  cr_expect_eq(out.is_hrr, true);
}

Test(server_hello, tls12_hello_without_extensions_round_trips) {
  tt_buf body = tt_from_hex("0303"
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                            "00c02f00");
  tg_server_hello sh;
  uint8_t out[128];
  decode_ok(body, &sh);
  cr_expect_not(sh.has_extensions);
  cr_expect_eq(tg_server_hello_selected_version(&sh), 0);
  cr_expect(tg_bytes_eq(encode_sh(&sh, out, sizeof out), tt_view(body)));
  tt_free(&body);
}

Test(server_hello, downgrade_sentinels_are_recognised) {
  static const struct {
    const char *tail;
    tg_downgrade want;
  } rows[] = {
      {"444f574e47524401", TG_DOWNGRADE_TLS12}, {"444f574e47524400", TG_DOWNGRADE_TLS11},
      {"444f574e47524402", TG_DOWNGRADE_NONE},  {"444f574e47524501", TG_DOWNGRADE_NONE},
      {"0000000000000000", TG_DOWNGRADE_NONE},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tt_buf tail = tt_from_hex(rows[i].tail);
    tg_server_hello sh = {0};
    memset(sh.random, 0x55, 32);
    memcpy(sh.random + 24, tail.p, 8);
    cr_expect_eq(tg_server_hello_downgrade(&sh), rows[i].want, "%s", rows[i].tail);
    tt_free(&tail);
  }
}

/* Offsets in the RFC 8448 §3 ServerHello body: legacy_session_id_echo length at 34,
 * cipher_suite at 35, legacy_compression_method at 37, extensions length at 38 (46). */
static const tt_row sec3_rows[] = {
    {"session_id_echo +1", 34, 1, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ServerHello.extensions"},
    {"session_id_echo 33", 34, 1, TT_SET, 33, TG_ALERT_decode_error, TG_E_LENGTH,
     "ServerHello.legacy_session_id_echo"},
    {"session_id_echo max", 34, 1, TT_SET, 255, TG_ALERT_decode_error, TG_E_LENGTH,
     "ServerHello.legacy_session_id_echo"},
    {"compression 1", 37, 1, TT_SET, 1, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
     "ServerHello.legacy_compression_method"},
    {"compression max", 37, 1, TT_SET, 255, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
     "ServerHello.legacy_compression_method"},
    {"extensions +1", 38, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ServerHello.extensions"},
    {"extensions -1", 38, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING, "ServerHello"},
    {"extensions 0", 38, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING, "ServerHello"},
    {"extensions max", 38, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ServerHello.extensions"},
    /* supported_versions is last (at 80): its length +1 runs past the block. */
    {"supported_versions +1", 82, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "Extension.extension_data"},
    {"supported_versions max", 82, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "Extension.extension_data"},
    /* The last extension renamed key_share: the duplicate is found before any body check. */
    {"duplicate key_share", 80, 2, TT_SET, TG_EXT_key_share, TG_ALERT_illegal_parameter,
     TG_E_DUPLICATE, "key_share"},
};

Test(server_hello, malformed_fields) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/server_hello", TG_HS_server_hello);
  cr_assert_eq(body.len, 86);
  cr_assert_eq(tt_get_be(body.p + 80, 2), TG_EXT_supported_versions);
  tt_run_rows(tt_view(body), sec3_rows, sizeof sec3_rows / sizeof sec3_rows[0], decode_sh);
  tt_free(&body);
}

Test(server_hello, hrr_malformed_fields) {
  tt_buf body = tt_rfc8448_body("sec5-hrr/hello_retry_request", TG_HS_server_hello);
  cr_assert_eq(tt_get_be(body.p + 166, 2), TG_EXT_supported_versions);
  /* HRR body: extensions length at 38 (0x84); key_share, cookie, supported_versions (at 166). */
  const tt_row rows[] = {
      {"hrr extensions +1", 38, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "ServerHello.extensions"},
      {"hrr extensions -1", 38, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING, "ServerHello"},
      {"hrr compression 1", 37, 1, TT_SET, 1, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
       "ServerHello.legacy_compression_method"},
      {"hrr duplicate cookie", 166, 2, TT_SET, TG_EXT_cookie, TG_ALERT_illegal_parameter,
       TG_E_DUPLICATE, "cookie"},
  };
  tt_run_rows(tt_view(body), rows, sizeof rows / sizeof rows[0], decode_sh);
  tt_free(&body);
}

Test(server_hello, truncation_at_every_offset) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/server_hello", TG_HS_server_hello);
  /* Ending after legacy_compression_method is a TLS 1.2 hello without extensions. */
  const size_t ok[] = {38};
  tt_run_truncations(tt_view(body), decode_sh, "ServerHello.", ok, 1);
  tt_free(&body);
}

/* RFC 8446 §4.2: an extension the table does not allow in ServerHello is illegal_parameter.
 * That needs the extension's descriptor (its allowed13), so the test waits for it. */
Test(server_hello, tls13_extension_not_allowed_is_illegal_parameter) {
  if (tg_ext_desc_of(TG_EXT_server_name) == NULL)
    cr_skip_test("no server_name descriptor yet");
  /* supported_versions selecting TLS 1.3, then an empty server_name. */
  tt_buf body = tt_from_hex("0303"
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                            "00130100"
                            "000a002b0002030400000000");
  tg_err err = {0};
  tg_status st = decode_sh(body.p, body.len, &err);
  tt_expect_err("server_name in ServerHello", st, &err, TG_ALERT_illegal_parameter,
                TG_E_EXT_NOT_ALLOWED, "server_name");
  tt_free(&body);
}

Test(server_hello, describe_names_fields) {
  tt_buf body = tt_rfc8448_body("sec5-hrr/hello_retry_request", TG_HS_server_hello);
  tg_server_hello sh;
  tt_dump t;
  decode_ok(body, &sh);
  tt_dump_init(&t);
  tg_server_hello_describe(&t.d, NULL, &sh);
  cr_expect(strstr(t.text, "legacy_version=771(TLS 1.2)") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "random=cf21ad74") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "hello_retry_request=1(HelloRetryRequest)") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "legacy_session_id_echo= ") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "cipher_suite=4865(TLS_AES_128_GCM_SHA256)") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "legacy_compression_method=0(null)") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "extension_type=44(cookie)") != NULL, "%s", t.text);
  tt_free(&body);
}
