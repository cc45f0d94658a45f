/* ClientHello: RFC 8448 hellos round-trip, field values, and one row per malformed field. */
#include <criterion/criterion.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/extensions.h"
#include "tg/hs/client_hello.h"

TT_DECODER(decode_ch, client_hello, NULL)

/* Encodes ch into out (a fixed buffer) and returns the bytes. */
static tg_bytes encode_ch(const tg_client_hello *ch, uint8_t *out, size_t cap) {
  tg_writer w;
  tg_err err = {0};
  tg_writer_init(&w, out, cap, &err);
  tg_client_hello_encode(&w, NULL, ch);
  cr_assert_eq(tg_writer_status(&w), TG_OK, "%s", err.what);
  return tg_writer_bytes(&w);
}

/* The sec3 body with one more extension appended (the extensions length is adjusted). */
static tt_buf ch_append_ext(tg_bytes body, uint16_t type, tg_bytes data) {
  tg_client_hello ch;
  tg_reader r;
  tg_err err = {0};
  uint8_t block[4096], out[8192];
  tg_writer w;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_client_hello_decode(&r, NULL, &ch), TG_OK, "%s", err.what);
  tg_writer_init(&w, block, sizeof block, &err);
  tg_w_view(&w, ch.extensions);
  tg_ext_emit_raw(&w, type, data);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  ch.extensions = tg_writer_bytes(&w);
  tg_bytes enc = encode_ch(&ch, out, sizeof out);
  return tt_copy(enc.p, enc.len);
}

static const char *const rfc8448_hellos[] = {
    "sec3-simple-1rtt/client_hello", "sec4-resumed-0rtt/client_hello",
    "sec5-hrr/client_hello_1",       "sec5-hrr/client_hello_2",
    "sec6-client-auth/client_hello", "sec7-compat-mode/client_hello",
};

Test(client_hello, rfc8448_hellos_reencode_byte_for_byte) {
  for (size_t i = 0; i < sizeof rfc8448_hellos / sizeof rfc8448_hellos[0]; i++) {
    tt_buf body = tt_rfc8448_body(rfc8448_hellos[i], TG_HS_client_hello);
    tg_client_hello ch;
    tg_reader r;
    tg_err err = {0};
    uint8_t out[1024];
    tg_reader_init(&r, body.p, body.len, &err);
    cr_assert_eq(tg_client_hello_decode(&r, NULL, &ch), TG_OK, "%s: %s", rfc8448_hellos[i],
                 err.what);
    cr_expect(tg_client_hello_offers_tls13(&ch), "%s", rfc8448_hellos[i]);
    cr_expect(tg_bytes_eq(encode_ch(&ch, out, sizeof out), tt_view(body)), "%s", rfc8448_hellos[i]);
    tt_free(&body);
  }
}

Test(client_hello, rfc8448_sec3_fields) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/client_hello", TG_HS_client_hello);
  tt_buf random = tt_from_hex("cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7");
  tg_client_hello ch;
  tg_reader r;
  tg_err err = {0};
  tg_bytes sni;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_client_hello_decode(&r, NULL, &ch), TG_OK, "%s", err.what);
  cr_expect_eq(ch.legacy_version, 0x0303);
  cr_expect_eq(memcmp(ch.random, random.p, 32), 0);
  cr_expect_eq(ch.legacy_session_id.len, 0);
  cr_assert_eq(tg_u16s_count(ch.cipher_suites), 3);
  cr_expect_eq(tg_u16s_get(ch.cipher_suites, 0), 0x1301);
  cr_expect_eq(tg_u16s_get(ch.cipher_suites, 1), 0x1303);
  cr_expect_eq(tg_u16s_get(ch.cipher_suites, 2), 0x1302);
  cr_expect_eq(ch.legacy_compression_methods.len, 1);
  cr_expect(ch.has_extensions);
  cr_expect_eq(ch.extensions.len, 145);
  cr_assert(tg_ext_find(ch.extensions, TG_EXT_server_name, &sni));
  cr_expect_eq(sni.len, 11);
  tt_free(&body);
  tt_free(&random);
}

Test(client_hello, rfc8448_sec7_echoes_a_32_byte_session_id) {
  tt_buf body = tt_rfc8448_body("sec7-compat-mode/client_hello", TG_HS_client_hello);
  tg_client_hello ch;
  tg_reader r;
  tg_err err = {0};
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_client_hello_decode(&r, NULL, &ch), TG_OK, "%s", err.what);
  cr_expect_eq(ch.legacy_session_id.len, 32);
  cr_expect_eq(ch.legacy_session_id.p[0], 0xa8);
  tt_free(&body);
}

Test(client_hello, struct_round_trips_through_encode_and_decode) {
  /* supported_versions {TLS 1.3, TLS 1.2} and an empty GREASE extension. */
  tt_buf ext = tt_from_hex("002b000504030403030a0a0000");
  tt_buf sid = tt_from_hex("0102030405");
  tt_buf suites = tt_from_hex("13011302c02f");
  const uint8_t comp[] = {0};
  tg_client_hello in = {0}, out;
  in.legacy_version = 0x0301; /* any legacy_version is read: the engine judges it */
  for (int i = 0; i < 32; i++)
    in.random[i] = (uint8_t)(i * 7);
  in.legacy_session_id = tt_view(sid);
  in.cipher_suites = tt_view(suites);
  in.legacy_compression_methods = tg_bytes_of(comp, 1);
  in.has_extensions = true;
  in.extensions = tt_view(ext);
  uint8_t buf[512];
  tg_bytes enc = encode_ch(&in, buf, sizeof buf);
  tg_reader r;
  tg_err err = {0};
  tg_reader_init(&r, enc.p, enc.len, &err);
  cr_assert_eq(tg_client_hello_decode(&r, NULL, &out), TG_OK, "%s", err.what);
  cr_expect_eq(out.legacy_version, in.legacy_version);
  cr_expect_eq(memcmp(out.random, in.random, 32), 0);
  cr_expect(tg_bytes_eq(out.legacy_session_id, in.legacy_session_id));
  cr_expect(tg_bytes_eq(out.cipher_suites, in.cipher_suites));
  cr_expect(tg_bytes_eq(out.legacy_compression_methods, in.legacy_compression_methods));
  cr_expect_eq(out.has_extensions, true);
  cr_expect(tg_bytes_eq(out.extensions, in.extensions));
  cr_expect(tg_client_hello_offers_tls13(&out));
  tt_free(&ext);
  tt_free(&sid);
  tt_free(&suites);
}

Test(client_hello, tls12_hello_without_extensions_round_trips) {
  /* RFC 5246 §7.4.1.2: extensions may be absent; compression {1 (DEFLATE), 0} is legal in 1.2. */
  tt_buf body = tt_from_hex("0303"
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                            "00"
                            "0004c02f009c"
                            "020100");
  tg_client_hello ch;
  tg_reader r;
  tg_err err = {0};
  uint8_t out[256];
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_client_hello_decode(&r, NULL, &ch), TG_OK, "%s", err.what);
  cr_expect_not(ch.has_extensions);
  cr_expect_not(tg_client_hello_offers_tls13(&ch));
  cr_expect_eq(ch.legacy_compression_methods.len, 2);
  cr_expect(tg_bytes_eq(encode_ch(&ch, out, sizeof out), tt_view(body)));
  tt_free(&body);
}

Test(client_hello, tls12_hello_with_empty_extensions_keeps_them) {
  tt_buf body = tt_from_hex("0303"
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                            "00"
                            "0002c02f"
                            "0100"
                            "0000");
  tg_client_hello ch;
  tg_reader r;
  tg_err err = {0};
  uint8_t out[256];
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_client_hello_decode(&r, NULL, &ch), TG_OK, "%s", err.what);
  cr_expect(ch.has_extensions);
  cr_expect_eq(ch.extensions.len, 0);
  cr_expect(tg_bytes_eq(encode_ch(&ch, out, sizeof out), tt_view(body)));
  tt_free(&body);
}

/* Offsets in the RFC 8448 §3 ClientHello body: legacy_session_id length at 34, cipher_suites
 * length at 35 (6), legacy_compression_methods length at 43 (1) and its byte at 44, extensions
 * length at 45 (145). */
static const tt_row sec3_rows[] = {
    {"session_id +1", 34, 1, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ClientHello.cipher_suites"},
    {"session_id 33", 34, 1, TT_SET, 33, TG_ALERT_decode_error, TG_E_LENGTH,
     "ClientHello.legacy_session_id"},
    {"session_id max", 34, 1, TT_SET, 255, TG_ALERT_decode_error, TG_E_LENGTH,
     "ClientHello.legacy_session_id"},
    {"cipher_suites +1", 35, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_ODD_LENGTH,
     "ClientHello.cipher_suites"},
    {"cipher_suites -1", 35, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_ODD_LENGTH,
     "ClientHello.cipher_suites"},
    {"cipher_suites +2", 35, 2, TT_ADD, 2, TG_ALERT_decode_error, TG_E_LENGTH,
     "ClientHello.legacy_compression_methods"},
    {"cipher_suites -2", 35, 2, TT_ADD, -2, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ClientHello.extensions"},
    {"cipher_suites 0", 35, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH,
     "ClientHello.cipher_suites"},
    {"cipher_suites max", 35, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_LENGTH,
     "ClientHello.cipher_suites"},
    {"cipher_suites 2^16-2", 35, 2, TT_SET, 0xfffe, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ClientHello.cipher_suites"},
    {"compression +1", 43, 1, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ClientHello.extensions"},
    {"compression 0", 43, 1, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH,
     "ClientHello.legacy_compression_methods"},
    {"compression max", 43, 1, TT_SET, 255, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ClientHello.legacy_compression_methods"},
    {"compression method 1", 44, 1, TT_SET, 1, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
     "ClientHello.legacy_compression_methods"},
    {"extensions +1", 45, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ClientHello.extensions"},
    {"extensions -1", 45, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING, "ClientHello"},
    {"extensions 0", 45, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING, "ClientHello"},
    {"extensions max", 45, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ClientHello.extensions"},
};

Test(client_hello, malformed_length_fields) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/client_hello", TG_HS_client_hello);
  cr_assert_eq(body.len, 192);
  tt_run_rows(tt_view(body), sec3_rows, sizeof sec3_rows / sizeof sec3_rows[0], decode_ch);
  tt_free(&body);
}

/* A GREASE extension (0xfafa, 3 bytes, unknown to every descriptor) appended to the §3 hello,
 * so the framing rows do not depend on any extension's own rules. Its length is at len-5. */
Test(client_hello, malformed_extension_framing) {
  tt_buf sec3 = tt_rfc8448_body("sec3-simple-1rtt/client_hello", TG_HS_client_hello);
  const uint8_t grease[] = {'a', 'b', 'c'};
  tt_buf body = ch_append_ext(tt_view(sec3), 0xfafa, tg_bytes_of(grease, 3));
  size_t at = body.len - 5;
  cr_assert_eq(decode_ch(body.p, body.len, &(tg_err){0}), TG_OK);
  const tt_row rows[] = {
      {"extension_data +1", at, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Extension.extension_data"},
      {"extension_data -1", at, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Extension.extension_type"},
      {"extension_data 0", at, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Extension.extension_data"},
      {"extension_data max", at, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Extension.extension_data"},
  };
  tt_run_rows(tt_view(body), rows, sizeof rows / sizeof rows[0], decode_ch);
  tt_free(&body);
  tt_free(&sec3);
}

Test(client_hello, truncation_at_every_offset) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/client_hello", TG_HS_client_hello);
  /* Ending right after legacy_compression_methods is a TLS 1.2 hello without extensions. */
  const size_t ok[] = {45};
  tt_run_truncations(tt_view(body), decode_ch, "ClientHello.", ok, 1);
  tt_free(&body);
}

Test(client_hello, duplicate_extension_is_illegal_parameter) {
  tt_buf sec3 = tt_rfc8448_body("sec3-simple-1rtt/client_hello", TG_HS_client_hello);
  const uint8_t sni[] = {0x00, 0x09, 0x00, 0x00, 0x06, 's', 'e', 'r', 'v', 'e', 'r'};
  tt_buf body = ch_append_ext(tt_view(sec3), TG_EXT_server_name, tg_bytes_of(sni, sizeof sni));
  tg_err err = {0};
  tg_status st = decode_ch(body.p, body.len, &err);
  tt_expect_err("duplicate server_name", st, &err, TG_ALERT_illegal_parameter, TG_E_DUPLICATE,
                "server_name");
  tt_free(&body);
  tt_free(&sec3);
}

/* Builds a hello with the given compression methods and extensions block. */
static tt_buf make_ch(const char *compression_hex, const char *extensions_hex) {
  tt_buf comp = tt_from_hex(compression_hex), ext = tt_from_hex(extensions_hex);
  const uint8_t suites[] = {0x13, 0x01};
  tg_client_hello ch = {0};
  uint8_t out[1024];
  ch.legacy_version = 0x0303;
  ch.cipher_suites = tg_bytes_of(suites, 2);
  ch.legacy_compression_methods = tt_view(comp);
  ch.has_extensions = true;
  ch.extensions = tt_view(ext);
  tg_bytes enc = encode_ch(&ch, out, sizeof out);
  tt_buf b = tt_copy(enc.p, enc.len);
  tt_free(&comp);
  tt_free(&ext);
  return b;
}

/* supported_versions offering TLS 1.3, and an empty GREASE extension to reach <8..>. */
#define SV13 "002b0003020304"
#define GREASE "0a0a0000"

Test(client_hello, tls13_compression_must_be_exactly_zero) {
  static const struct {
    const char *comp;
    enum tg_alert alert;
  } rows[] = {
      {"00", 0},
      {"01", TG_ALERT_illegal_parameter},
      {"0001", TG_ALERT_illegal_parameter},
      {"0100", TG_ALERT_illegal_parameter},
      {"0000", TG_ALERT_illegal_parameter},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tt_buf body = make_ch(rows[i].comp, SV13 GREASE);
    tg_err err = {0};
    tg_status st = decode_ch(body.p, body.len, &err);
    if (rows[i].alert == 0)
      cr_expect_eq(st, TG_OK, "%s: %s", rows[i].comp, err.what);
    else
      tt_expect_err(rows[i].comp, st, &err, rows[i].alert, TG_E_BAD_VALUE,
                    "ClientHello.legacy_compression_methods");
    tt_free(&body);
  }
}

Test(client_hello, tls12_hello_may_offer_compression) {
  /* supported_versions offering only TLS 1.2: the TLS 1.3 rule does not apply. */
  tt_buf body = make_ch("0100", "002b0003020303" GREASE);
  tg_err err = {0};
  cr_expect_eq(decode_ch(body.p, body.len, &err), TG_OK, "%s", err.what);
  tt_free(&body);
}

Test(client_hello, tls13_extensions_below_8_bytes_is_decode_error) {
  tt_buf body = make_ch("00", SV13);
  tg_err err = {0};
  tg_status st = decode_ch(body.p, body.len, &err);
  tt_expect_err("7-byte extensions", st, &err, TG_ALERT_decode_error, TG_E_LENGTH,
                "ClientHello.extensions");
  tt_free(&body);
}

/* RFC 8448 §4's hello with pre_shared_key moved before padding (the extension before it). */
Test(client_hello, pre_shared_key_not_last_is_illegal_parameter) {
  tt_buf sec4 = tt_rfc8448_body("sec4-resumed-0rtt/client_hello", TG_HS_client_hello);
  tg_client_hello ch;
  tg_reader r;
  tg_err err = {0};
  tg_reader_init(&r, sec4.p, sec4.len, &err);
  cr_assert_eq(tg_client_hello_decode(&r, NULL, &ch), TG_OK, "%s", err.what);
  uint8_t block[1024], out[1024];
  tg_writer w;
  tg_writer_init(&w, block, sizeof block, &err);
  tg_ext_iter it;
  uint16_t type, last_type = 0;
  tg_bytes data, psk = {0};
  tg_ext_iter_init(&it, ch.extensions);
  while (tg_ext_next(&it, &type, &data)) {
    if (type == TG_EXT_pre_shared_key)
      psk = data;
    last_type = type;
  }
  cr_assert_eq(last_type, TG_EXT_pre_shared_key, "RFC 8448 §4 has pre_shared_key last");
  tg_ext_iter_init(&it, ch.extensions);
  while (tg_ext_next(&it, &type, &data)) {
    if (type == TG_EXT_padding)
      tg_ext_emit_raw(&w, TG_EXT_pre_shared_key, psk);
    if (type != TG_EXT_pre_shared_key)
      tg_ext_emit_raw(&w, type, data);
  }
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  cr_assert_eq(w.len, ch.extensions.len);
  ch.extensions = tg_writer_bytes(&w);
  tg_bytes enc = encode_ch(&ch, out, sizeof out);
  tt_buf moved = tt_copy(enc.p, enc.len);
  tg_err err2 = {0};
  tg_status st = decode_ch(moved.p, moved.len, &err2);
  tt_expect_err("psk before padding", st, &err2, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
                "pre_shared_key");
  tt_free(&moved);
  tt_free(&sec4);
}

Test(client_hello, describe_names_fields_and_suites) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/client_hello", TG_HS_client_hello);
  tg_client_hello ch;
  tg_reader r;
  tg_err err = {0};
  tt_dump t;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_client_hello_decode(&r, NULL, &ch), TG_OK);
  tt_dump_init(&t);
  tg_client_hello_describe(&t.d, NULL, &ch);
  cr_expect(strstr(t.text, "legacy_version=771(TLS 1.2)") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "random=cb34ecb1") != NULL, "%s", t.text);
  cr_expect(strstr(t.text,
                   "cipher_suites=[=4865(TLS_AES_128_GCM_SHA256) "
                   "=4867(TLS_CHACHA20_POLY1305_SHA256) =4866(TLS_AES_256_GCM_SHA384) }") != NULL,
            "%s", t.text);
  cr_expect(strstr(t.text, "legacy_compression_methods=[=0(null) }") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "extension_type=0(server_name)") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "extension_type=51(key_share)") != NULL, "%s", t.text);
  tt_free(&body);
}
