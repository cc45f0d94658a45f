/* CertificateRequest (RFC 8446 §4.3.2; TLS 1.2: RFC 5246 §7.4.4). */
#include <criterion/criterion.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/extensions.h"
#include "tg/handshake.h"

static const tg_hs_ctx ctx13 = {TG_VERSION_TLS13, TG_KX_ECDHE, 32};
static const tg_hs_ctx ctx12 = {TG_VERSION_TLS12, TG_KX_ECDHE, 0};

TT_DECODER(dec13, certificate_request, &ctx13)
TT_DECODER(dec12, certificate_request, &ctx12)

static void expect_reencodes(const tg_hs_ctx *ctx, const tg_certificate_request *m, tg_bytes want) {
  tg_writer w;
  tg_err err = {0};
  tg_writer_init_dynamic(&w, &err);
  tg_certificate_request_encode(&w, ctx, m);
  cr_assert_eq(tg_writer_status(&w), TG_OK, "%s", err.what);
  cr_expect(tg_bytes_eq(tg_writer_bytes(&w), want), "re-encoding differs");
  tg_writer_free(&w);
}

/* ---- TLS 1.3 ----------------------------------------------------------------------------- */

Test(hs_certificate_request, rfc8448_tls13) {
  /* The 15 schemes RFC 8448 §6 prints in the server's signature_algorithms. */
  static const uint16_t schemes[] = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401,
                                     0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202};
  tt_buf body = tt_rfc8448_body("sec6-client-auth/certificate_request", TG_HS_certificate_request);
  tg_err err = {0};
  tg_reader r;
  tg_certificate_request m;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_certificate_request_decode(&r, &ctx13, &m), TG_OK, "%s", err.what);
  cr_expect_eq(m.certificate_request_context.len, 0);
  tg_bytes sig_algs;
  cr_assert(tg_ext_find(m.extensions, TG_EXT_signature_algorithms, &sig_algs));
  tg_reader sr, list;
  tg_reader_init(&sr, sig_algs.p, sig_algs.len, NULL);
  cr_assert_eq(tg_read_vec16s(&sr, 2, 2, 0xfffe, &list, "supported_signature_algorithms"), TG_OK);
  tg_bytes l = tg_reader_rest(&list);
  cr_assert_eq(tg_u16s_count(l), sizeof schemes / sizeof schemes[0]);
  for (size_t i = 0; i < tg_u16s_count(l); i++)
    cr_expect_eq(tg_u16s_get(l, i), schemes[i], "scheme %zu", i);
  expect_reencodes(&ctx13, &m, tt_view(body));
  tt_free(&body);
}

/* Offsets in the RFC 8448 §6 body: context length @0 (0), extensions length @1 (36), then
 * signature_algorithms: type @3, extension_data length @5 (32). */
Test(hs_certificate_request, tls13_malformed_lengths) {
  static const tt_row rows[] = {
      /* the context takes the 0x00 of the extensions length; 0x2400 then exceeds the rest */
      {"context +1", 0, 1, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateRequest.extensions"},
      {"context max", 0, 1, TT_SET, 0xff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateRequest.certificate_request_context"},
      {"extensions +1", 1, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateRequest.extensions"},
      {"extensions -1", 1, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING,
       "CertificateRequest has 1"},
      /* extensions<2..2^16-1>: an empty block is below the minimum */
      {"extensions 0", 1, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH,
       "CertificateRequest.extensions"},
      {"extensions 1", 1, 2, TT_SET, 1, TG_ALERT_decode_error, TG_E_LENGTH,
       "CertificateRequest.extensions"},
      {"extensions max", 1, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateRequest.extensions"},
      /* framing of the block, checked before any descriptor sees the body */
      {"extension_data +1", 5, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Extension.extension_data"},
      {"extension_data max", 5, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Extension.extension_data"},
  };
  tt_buf body = tt_rfc8448_body("sec6-client-auth/certificate_request", TG_HS_certificate_request);
  cr_assert_eq(tt_get_be(body.p + 1, 2), 36);
  cr_assert_eq(tt_get_be(body.p + 5, 2), 32);
  tt_run_rows(tt_view(body), rows, sizeof rows / sizeof rows[0], dec13);
  tt_run_truncations(tt_view(body), dec13, "CertificateRequest", NULL, 0);
  tt_free(&body);
}

static tt_buf cr13(tg_bytes context, tg_bytes extensions) {
  tg_certificate_request m = {0};
  m.certificate_request_context = context;
  m.extensions = extensions;
  tg_writer w;
  tg_writer_init_dynamic(&w, NULL);
  tg_certificate_request_encode(&w, &ctx13, &m);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  tt_buf out = tt_copy(w.buf, w.len);
  tg_writer_free(&w);
  return out;
}

Test(hs_certificate_request, tls13_signature_algorithms_required) {
  /* RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be specified". GREASE 0x0a0a
   * has no descriptor, so only the missing extension can fail. */
  static const uint8_t ext[] = {0x0a, 0x0a, 0x00, 0x00};
  tt_buf in = cr13(tg_bytes_of(NULL, 0), tg_bytes_of(ext, sizeof ext));
  tg_err err = {0};
  tt_expect_err("no signature_algorithms", dec13(in.p, in.len, &err), &err,
                TG_ALERT_missing_extension, TG_E_BAD_VALUE, "signature_algorithms");
  tt_free(&in);
}

Test(hs_certificate_request, tls13_duplicate_extension) {
  static const uint8_t ext[] = {0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03,
                                0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03};
  tt_buf in = cr13(tg_bytes_of(NULL, 0), tg_bytes_of(ext, sizeof ext));
  tg_err err = {0};
  tt_expect_err("duplicate", dec13(in.p, in.len, &err), &err, TG_ALERT_illegal_parameter,
                TG_E_DUPLICATE, "CertificateRequest");
  tt_free(&in);
}

Test(hs_certificate_request, tls13_round_trip_with_context) {
  static const uint8_t context[] = {0xc0, 0xff, 0xee};
  static const uint8_t ext[] = {0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x08, 0x04};
  tt_buf in = cr13(tg_bytes_of(context, sizeof context), tg_bytes_of(ext, sizeof ext));
  tg_err err = {0};
  tg_reader r;
  tg_certificate_request m;
  tg_reader_init(&r, in.p, in.len, &err);
  cr_assert_eq(tg_certificate_request_decode(&r, &ctx13, &m), TG_OK, "%s", err.what);
  cr_expect(tg_bytes_eq(m.certificate_request_context, tg_bytes_of(context, sizeof context)));
  cr_expect(tg_bytes_eq(m.extensions, tg_bytes_of(ext, sizeof ext)));
  expect_reencodes(&ctx13, &m, tt_view(in));
  tt_free(&in);
}

/* ---- TLS 1.2 ----------------------------------------------------------------------------- */

/* Written by hand from RFC 5246 §7.4.4. */
static const char cr12_hex[] = "02 01 40"       /* certificate_types: rsa_sign, ecdsa_sign */
                               "0004 0401 0403" /* supported_signature_algorithms */
                               "000a 0003 300100 0003 300101"; /* two DistinguishedNames */

Test(hs_certificate_request, tls12_decode) {
  tt_buf in = tt_from_hex(cr12_hex);
  tg_err err = {0};
  tg_reader r;
  tg_certificate_request m;
  tg_reader_init(&r, in.p, in.len, &err);
  cr_assert_eq(tg_certificate_request_decode(&r, &ctx12, &m), TG_OK, "%s", err.what);
  cr_expect_eq(m.certificate_types.len, 2);
  cr_expect_eq(m.certificate_types.p[1], TG_CCT_ecdsa_sign);
  cr_expect_eq(tg_u16s_count(m.supported_signature_algorithms), 2);
  cr_expect_eq(tg_u16s_get(m.supported_signature_algorithms, 1), 0x0403);
  tg_dn_iter it;
  tg_bytes dn;
  tg_dn_iter_init(&it, m.certificate_authorities);
  cr_assert(tg_dn_next(&it, &dn));
  cr_expect_eq(dn.len, 3);
  cr_expect_eq(dn.p[2], 0x00);
  cr_assert(tg_dn_next(&it, &dn));
  cr_expect_eq(dn.p[2], 0x01);
  cr_expect_not(tg_dn_next(&it, &dn));
  expect_reencodes(&ctx12, &m, tt_view(in));
  static tt_dump t;
  tt_dump_init(&t);
  tg_certificate_request_describe(&t.d, &ctx12, &m);
  cr_expect(strstr(t.text, "certificate_types=[=1(rsa_sign) =64(ecdsa_sign)") != NULL, "%s",
            t.text);
  cr_expect(strstr(t.text, "=1027(ecdsa_secp256r1_sha256)") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "certificate_authorities=[=300100 =300101 ") != NULL, "%s", t.text);
  tt_free(&in);
}

Test(hs_certificate_request, tls12_built_with_encoder_matches_hand_hex) {
  static const uint8_t types[] = {1, 64}, algs[] = {4, 1, 4, 3};
  static const uint8_t cas[] = {0, 3, 0x30, 1, 0, 0, 3, 0x30, 1, 1};
  tg_certificate_request m = {0};
  m.certificate_types = tg_bytes_of(types, sizeof types);
  m.supported_signature_algorithms = tg_bytes_of(algs, sizeof algs);
  m.certificate_authorities = tg_bytes_of(cas, sizeof cas);
  tt_buf want = tt_from_hex(cr12_hex);
  expect_reencodes(&ctx12, &m, tt_view(want));
  tt_free(&want);
}

Test(hs_certificate_request, tls12_empty_authorities_allowed) {
  static const uint8_t in[] = {0x01, 0x40, 0x00, 0x02, 0x04, 0x03, 0x00, 0x00};
  tg_err err = {0};
  cr_expect_eq(dec12(in, sizeof in, &err), TG_OK, "%s", err.what);
}

/* Offsets: certificate_types length @0 (2), supported_signature_algorithms length @3 (4),
 * certificate_authorities length @9 (10), first DistinguishedName length @11 (3). */
Test(hs_certificate_request, tls12_malformed_lengths) {
  static const tt_row rows[] = {
      /* types take the 0x00 of the next length: 0x0404 then exceeds the rest */
      {"types +1", 0, 1, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "supported_signature_algorithms"},
      /* types leave 0x40 00 as the next length */
      {"types -1", 0, 1, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "supported_signature_algorithms"},
      {"types 0", 0, 1, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH,
       "CertificateRequest.certificate_types"},
      {"types max", 0, 1, TT_SET, 0xff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateRequest.certificate_types"},
      {"algs +1", 3, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_ODD_LENGTH,
       "supported_signature_algorithms has odd length 5"},
      {"algs -1", 3, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_ODD_LENGTH,
       "supported_signature_algorithms has odd length 3"},
      {"algs 0", 3, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH,
       "supported_signature_algorithms"},
      /* <2..2^16-2>: 65535 is above the maximum */
      {"algs max", 3, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_LENGTH,
       "supported_signature_algorithms"},
      {"algs 2^16-2", 3, 2, TT_SET, 0xfffe, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "supported_signature_algorithms"},
      {"CAs +1", 9, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateRequest.certificate_authorities"},
      {"CAs -1", 9, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING,
       "CertificateRequest has 1"},
      {"CAs 0", 9, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING, "CertificateRequest has 10"},
      {"CAs max", 9, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateRequest.certificate_authorities"},
      /* DN 1 takes 4 bytes: the next length is 0x0330 */
      {"DN +1", 11, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED, "DistinguishedName"},
      /* DN 1 takes 2 bytes: the next length is 0x0000, below DistinguishedName<1..> */
      {"DN -1", 11, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_LENGTH, "DistinguishedName"},
      {"DN 0", 11, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH, "DistinguishedName"},
      {"DN max", 11, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED, "DistinguishedName"},
  };
  tt_buf in = tt_from_hex(cr12_hex);
  cr_assert_eq(in.len, 21);
  tt_run_rows(tt_view(in), rows, sizeof rows / sizeof rows[0], dec12);
  tt_run_truncations(tt_view(in), dec12, "CertificateRequest", NULL, 0);
  tt_free(&in);
}

Test(hs_certificate_request, tls13_describe) {
  tt_buf body = tt_rfc8448_body("sec6-client-auth/certificate_request", TG_HS_certificate_request);
  tg_reader r;
  tg_certificate_request m;
  tg_reader_init(&r, body.p, body.len, NULL);
  cr_assert_eq(tg_certificate_request_decode(&r, &ctx13, &m), TG_OK);
  static tt_dump t;
  tt_dump_init(&t);
  tg_certificate_request_describe(&t.d, &ctx13, &m);
  cr_expect(strstr(t.text, "certificate_request_context=") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "extension_type=13(signature_algorithms)") != NULL, "%s", t.text);
  tt_free(&body);
}
