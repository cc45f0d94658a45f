/* TLS 1.2 key exchange messages: ServerKeyExchange for ECDHE (RFC 8422 §5.4, RFC 5246 §7.4.3)
 * and ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7). */
#include <criterion/criterion.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/handshake.h"

static const tg_hs_ctx ecdhe = {TG_VERSION_TLS12, TG_KX_ECDHE, 0};
static const tg_hs_ctx rsa = {TG_VERSION_TLS12, TG_KX_RSA, 0};

/* Written by hand from RFC 8422 §5.4: x25519 with RFC 8448's server key, an 8-byte "signature". */
static const char ske_hex[] = "03 001d" /* curve_params: named_curve, x25519 */
                              "20 c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f"
                              "0403" /* signed_params.algorithm: ecdsa_secp256r1_sha256 */
                              "0008 0102030405060708";

TT_DECODER(dec_ske, server_key_exchange, &ecdhe)
TT_DECODER(dec_cke_ecdhe, client_key_exchange, &ecdhe)
TT_DECODER(dec_cke_rsa, client_key_exchange, &rsa)

/* ---- ServerKeyExchange ------------------------------------------------------------------- */

Test(hs_server_key_exchange, decode_and_reencode) {
  tt_buf in = tt_from_hex(ske_hex);
  tt_buf point = tt_rfc8448("sec3-simple-1rtt/server_x25519_public");
  tg_err err = {0};
  tg_reader r;
  tg_server_key_exchange m;
  tg_reader_init(&r, in.p, in.len, &err);
  cr_assert_eq(tg_server_key_exchange_decode(&r, &ecdhe, &m), TG_OK, "%s", err.what);
  cr_expect_eq(m.curve_type, TG_EC_named_curve);
  cr_expect_eq(m.namedcurve, TG_GROUP_x25519);
  cr_expect(tg_bytes_eq(m.public_, tt_view(point)));
  cr_expect_eq(m.algorithm, 0x0403);
  cr_expect_eq(m.signature.len, 8);
  /* The signature covers ServerECDHParams: curve_type, namedcurve, the point with its length. */
  cr_expect(tg_bytes_eq(m.params, tg_bytes_of(in.p, 1 + 2 + 1 + 32)));
  tg_writer w;
  tg_writer_init_dynamic(&w, &err);
  tg_server_ecdh_params_encode(&w, &m);
  cr_expect(tg_bytes_eq(tg_writer_bytes(&w), m.params));
  tg_writer_free(&w);
  tg_writer_init_dynamic(&w, &err);
  tg_server_key_exchange_encode(&w, &ecdhe, &m);
  cr_expect(tg_bytes_eq(tg_writer_bytes(&w), tt_view(in)));
  tg_writer_free(&w);
  tt_free(&point);
  tt_free(&in);
}

Test(hs_server_key_exchange, round_trip_struct) {
  static const uint8_t pt[65] = {4, 1, 2, 3}, sig[72] = {0x30};
  tg_server_key_exchange m = {0}, back;
  m.curve_type = TG_EC_named_curve;
  m.namedcurve = TG_GROUP_secp256r1;
  m.public_ = tg_bytes_of(pt, sizeof pt);
  m.algorithm = 0x0403;
  m.signature = tg_bytes_of(sig, sizeof sig);
  tg_writer w;
  tg_err err = {0};
  tg_writer_init_dynamic(&w, &err);
  tg_server_key_exchange_encode(&w, &ecdhe, &m);
  tg_reader r;
  tg_reader_init(&r, w.buf, w.len, &err);
  cr_assert_eq(tg_server_key_exchange_decode(&r, &ecdhe, &back), TG_OK, "%s", err.what);
  cr_expect_eq(back.curve_type, m.curve_type);
  cr_expect_eq(back.namedcurve, m.namedcurve);
  cr_expect(tg_bytes_eq(back.public_, m.public_));
  cr_expect_eq(back.algorithm, m.algorithm);
  cr_expect(tg_bytes_eq(back.signature, m.signature));
  cr_expect_eq(back.params.len, 1 + 2 + 1 + 65);
  tg_writer_free(&w);
}

/* Offsets: curve_type @0, namedcurve @1, point length @3 (32), algorithm @36, signature
 * length @38 (8). */
Test(hs_server_key_exchange, malformed) {
  static const tt_row rows[] = {
      /* RFC 8422 §5.4: only named_curve; explicit curves are deprecated */
      {"explicit_prime", 0, 1, TT_SET, 1, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
       "curve_params.curve_type is 1"},
      {"explicit_char2", 0, 1, TT_SET, 2, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
       "curve_params.curve_type is 2"},
      {"curve_type 0", 0, 1, TT_SET, 0, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE, "curve_type"},
      {"curve_type 255", 0, 1, TT_SET, 255, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
       "curve_type"},
      /* the point takes the 0x04 of the algorithm: the signature length becomes 0x0801 */
      {"point +1", 3, 1, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "signed_params.signature"},
      /* the point leaves 0x0f 0x04 as algorithm and 0x0300 as the signature length */
      {"point -1", 3, 1, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "signed_params.signature"},
      {"point 0", 3, 1, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH, "public.point"},
      {"point max", 3, 1, TT_SET, 0xff, TG_ALERT_decode_error, TG_E_TRUNCATED, "public.point"},
      {"signature +1", 38, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "signed_params.signature"},
      {"signature -1", 38, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING,
       "ServerKeyExchange has 1"},
      {"signature 0", 38, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING,
       "ServerKeyExchange has 8"},
      {"signature max", 38, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "signed_params.signature"},
  };
  tt_buf in = tt_from_hex(ske_hex);
  cr_assert_eq(in.len, 48);
  tt_run_rows(tt_view(in), rows, sizeof rows / sizeof rows[0], dec_ske);
  tt_run_truncations(tt_view(in), dec_ske, "ServerKeyExchange", NULL, 0);
  tt_free(&in);
}

Test(hs_server_key_exchange, not_sent_with_rsa_key_exchange) {
  tt_buf in = tt_from_hex(ske_hex);
  tg_err err = {0};
  tg_reader r;
  tg_server_key_exchange m;
  tg_reader_init(&r, in.p, in.len, &err);
  tt_expect_err("rsa", tg_server_key_exchange_decode(&r, &rsa, &m), &err,
                TG_ALERT_unexpected_message, TG_E_UNKNOWN_TYPE, "ServerKeyExchange");
  tt_free(&in);
}

Test(hs_server_key_exchange, describe) {
  tt_buf in = tt_from_hex(ske_hex);
  tg_reader r;
  tg_server_key_exchange m;
  tg_reader_init(&r, in.p, in.len, NULL);
  cr_assert_eq(tg_server_key_exchange_decode(&r, &ecdhe, &m), TG_OK);
  static tt_dump t;
  tt_dump_init(&t);
  tg_server_key_exchange_describe(&t.d, &ecdhe, &m);
  cr_expect(strstr(t.text, "curve_type=3(named_curve) namedcurve=29(x25519) ") != NULL, "%s",
            t.text);
  cr_expect(strstr(t.text, "public=c9828876") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "algorithm=1027(ecdsa_secp256r1_sha256) signature=0102030405060708") !=
                NULL,
            "%s", t.text);
  tt_free(&in);
}

/* ---- ClientKeyExchange ------------------------------------------------------------------- */

static const char cke_ecdhe_hex[] =
    "20 99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c";
static const char cke_rsa_hex[] = "0010 000102030405060708090a0b0c0d0e0f";

Test(hs_client_key_exchange, ecdhe_decode_and_reencode) {
  tt_buf in = tt_from_hex(cke_ecdhe_hex);
  tt_buf point = tt_rfc8448("sec3-simple-1rtt/client_x25519_public");
  tg_err err = {0};
  tg_reader r;
  tg_client_key_exchange m;
  tg_reader_init(&r, in.p, in.len, &err);
  cr_assert_eq(tg_client_key_exchange_decode(&r, &ecdhe, &m), TG_OK, "%s", err.what);
  cr_expect(tg_bytes_eq(m.ecdh_Yc, tt_view(point)));
  cr_expect_eq(m.encrypted_pre_master_secret.len, 0);
  tg_writer w;
  tg_writer_init_dynamic(&w, &err);
  tg_client_key_exchange_encode(&w, &ecdhe, &m);
  cr_expect(tg_bytes_eq(tg_writer_bytes(&w), tt_view(in)));
  tg_writer_free(&w);
  static tt_dump t;
  tt_dump_init(&t);
  tg_client_key_exchange_describe(&t.d, &ecdhe, &m);
  cr_expect(strstr(t.text, "ecdh_Yc=99381de5") != NULL, "%s", t.text);
  tt_free(&point);
  tt_free(&in);
}

Test(hs_client_key_exchange, rsa_decode_and_reencode) {
  tt_buf in = tt_from_hex(cke_rsa_hex);
  tg_err err = {0};
  tg_reader r;
  tg_client_key_exchange m;
  tg_reader_init(&r, in.p, in.len, &err);
  cr_assert_eq(tg_client_key_exchange_decode(&r, &rsa, &m), TG_OK, "%s", err.what);
  cr_expect_eq(m.encrypted_pre_master_secret.len, 16);
  cr_expect_eq(m.encrypted_pre_master_secret.p[15], 0x0f);
  tg_writer w;
  tg_writer_init_dynamic(&w, &err);
  tg_client_key_exchange_encode(&w, &rsa, &m);
  cr_expect(tg_bytes_eq(tg_writer_bytes(&w), tt_view(in)));
  tg_writer_free(&w);
  tt_free(&in);
}

Test(hs_client_key_exchange, round_trip_struct) {
  static const uint8_t y[255] = {4}, pms[256] = {1, 2};
  for (int k = 0; k < 2; k++) {
    const tg_hs_ctx *ctx = k ? &rsa : &ecdhe;
    tg_client_key_exchange m = {0}, back;
    if (k)
      m.encrypted_pre_master_secret = tg_bytes_of(pms, sizeof pms);
    else
      m.ecdh_Yc = tg_bytes_of(y, sizeof y);
    tg_writer w;
    tg_err err = {0};
    tg_writer_init_dynamic(&w, &err);
    tg_client_key_exchange_encode(&w, ctx, &m);
    tg_reader r;
    tg_reader_init(&r, w.buf, w.len, &err);
    cr_assert_eq(tg_client_key_exchange_decode(&r, ctx, &back), TG_OK, "%s", err.what);
    cr_expect(tg_bytes_eq(back.ecdh_Yc, m.ecdh_Yc));
    cr_expect(tg_bytes_eq(back.encrypted_pre_master_secret, m.encrypted_pre_master_secret));
    tg_writer_free(&w);
  }
}

Test(hs_client_key_exchange, ecdhe_malformed) {
  static const tt_row rows[] = {
      {"ecdh_Yc +1", 0, 1, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "ClientKeyExchange.ecdh_Yc"},
      {"ecdh_Yc -1", 0, 1, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING,
       "ClientKeyExchange has 1"},
      /* ECPoint point<1..2^8-1> */
      {"ecdh_Yc 0", 0, 1, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH,
       "ClientKeyExchange.ecdh_Yc"},
      {"ecdh_Yc max", 0, 1, TT_SET, 0xff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "ClientKeyExchange.ecdh_Yc"},
  };
  tt_buf in = tt_from_hex(cke_ecdhe_hex);
  tt_run_rows(tt_view(in), rows, sizeof rows / sizeof rows[0], dec_cke_ecdhe);
  tt_run_truncations(tt_view(in), dec_cke_ecdhe, "ClientKeyExchange", NULL, 0);
  tt_free(&in);
}

Test(hs_client_key_exchange, rsa_malformed) {
  static const tt_row rows[] = {
      {"pms +1", 0, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "ClientKeyExchange.EncryptedPreMasterSecret"},
      {"pms -1", 0, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING, "ClientKeyExchange has 1"},
      {"pms 0", 0, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING, "ClientKeyExchange has 16"},
      {"pms max", 0, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "ClientKeyExchange.EncryptedPreMasterSecret"},
  };
  tt_buf in = tt_from_hex(cke_rsa_hex);
  tt_run_rows(tt_view(in), rows, sizeof rows / sizeof rows[0], dec_cke_rsa);
  tt_run_truncations(tt_view(in), dec_cke_rsa, "ClientKeyExchange", NULL, 0);
  tt_free(&in);
}

Test(hs_client_key_exchange, form_follows_kx) {
  /* The same bytes mean different things: an ECDHE point read as RSA has a bad length. */
  tt_buf in = tt_from_hex(cke_ecdhe_hex);
  tg_err err = {0};
  cr_expect_neq(dec_cke_rsa(in.p, in.len, &err), TG_OK);
  cr_expect_eq(err.alert, TG_ALERT_decode_error);
  tt_free(&in);
}
