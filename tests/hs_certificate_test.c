/* Certificate (RFC 8446 §4.4.2, RFC 5246 §7.4.2) and CertificateVerify (RFC 8446 §4.4.3). */
#include <criterion/criterion.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/extensions.h"
#include "tg/handshake.h"

static const tg_hs_ctx ctx13 = {TG_VERSION_TLS13, TG_KX_ECDHE, 32};
static const tg_hs_ctx ctx12 = {TG_VERSION_TLS12, TG_KX_ECDHE, 0};

TT_DECODER(dec_cert13, certificate, &ctx13)
TT_DECODER(dec_cert12, certificate, &ctx12)
TT_DECODER(dec_cv, certificate_verify, &ctx13)

/* The body re-encodes byte for byte. */
static void expect_reencodes(const tg_hs_ctx *ctx, const tg_certificate *m, tg_bytes want) {
  tg_writer w;
  tg_err err = {0};
  tg_writer_init_dynamic(&w, &err);
  tg_certificate_encode(&w, ctx, m);
  cr_assert_eq(tg_writer_status(&w), TG_OK, "%s", err.what);
  cr_expect(tg_bytes_eq(tg_writer_bytes(&w), want), "re-encoding differs (%zu vs %zu bytes)", w.len,
            want.len);
  tg_writer_free(&w);
}

/* ---- Certificate, TLS 1.3 ---------------------------------------------------------------- */

Test(hs_certificate, rfc8448_server_certificate) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/certificate", TG_HS_certificate);
  tg_err err = {0};
  tg_reader r;
  tg_certificate m;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_certificate_decode(&r, &ctx13, &m), TG_OK, "%s", err.what);
  cr_expect_eq(m.certificate_request_context.len, 0);
  tg_certificate_iter it;
  tg_certificate_entry e;
  tg_certificate_iter_init(&it, m.certificate_list, TG_VERSION_TLS13);
  cr_assert(tg_certificate_next(&it, &e));
  cr_expect_eq(e.cert_data.len, 432, "RFC 8448 prints a 432-octet certificate");
  cr_expect_eq(e.cert_data.p[0], 0x30, "cert_data is a DER SEQUENCE");
  cr_expect_eq(e.extensions.len, 0);
  cr_expect_not(tg_certificate_next(&it, &e), "one entry only");
  expect_reencodes(&ctx13, &m, tt_view(body));
  tt_free(&body);
}

Test(hs_certificate, rfc8448_client_certificate) {
  tt_buf body = tt_rfc8448_body("sec6-client-auth/client_certificate", TG_HS_certificate);
  tg_err err = {0};
  tg_reader r;
  tg_certificate m;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_certificate_decode(&r, &ctx13, &m), TG_OK, "%s", err.what);
  /* The CertificateRequest of section 6 has an empty context, which the client echoes. */
  cr_expect_eq(m.certificate_request_context.len, 0);
  tg_certificate_iter it;
  tg_certificate_entry e;
  size_t n = 0;
  tg_certificate_iter_init(&it, m.certificate_list, TG_VERSION_TLS13);
  while (tg_certificate_next(&it, &e))
    n++;
  cr_expect_eq(n, 1);
  expect_reencodes(&ctx13, &m, tt_view(body));
  tt_free(&body);
}

/* Offsets in the RFC 8448 §3 body: context length @0, certificate_list length @1 (437),
 * cert_data length @4 (432), extensions length @439 (0). */
Test(hs_certificate, tls13_malformed_lengths) {
  static const tt_row rows[] = {
      {"context +1", 0, 1, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Certificate.certificate_list"},
      /* the context swallows 255 bytes; the list length then comes from inside the cert */
      {"context max", 0, 1, TT_SET, 0xff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Certificate.certificate_list"},
      {"list +1", 1, 3, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Certificate.certificate_list"},
      {"list -1", 1, 3, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING, "Certificate has 1"},
      {"list 0", 1, 3, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING, "Certificate has 437"},
      {"list max", 1, 3, TT_SET, 0xffffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Certificate.certificate_list"},
      {"cert_data +1", 4, 3, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateEntry.extensions"},
      /* the extensions length then reads the cert's last byte (0xe1) and 0x00 */
      {"cert_data -1", 4, 3, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateEntry.extensions"},
      {"cert_data 0", 4, 3, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH,
       "CertificateEntry.cert_data"},
      {"cert_data max", 4, 3, TT_SET, 0xffffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateEntry.cert_data"},
      {"extensions +1", 439, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateEntry.extensions"},
      {"extensions max", 439, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateEntry.extensions"},
  };
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/certificate", TG_HS_certificate);
  cr_assert_eq(tt_get_be(body.p + 1, 3), 437);
  cr_assert_eq(tt_get_be(body.p + 4, 3), 432);
  cr_assert_eq(tt_get_be(body.p + 439, 2), 0);
  tt_run_rows(tt_view(body), rows, sizeof rows / sizeof rows[0], dec_cert13);
  tt_free(&body);
}

Test(hs_certificate, tls13_truncated_and_trailing) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/certificate", TG_HS_certificate);
  tt_run_truncations(tt_view(body), dec_cert13, "Certificate", NULL, 0);
  tt_buf longer = {malloc(body.len + 1), body.len + 1};
  tg_err err = {0};
  cr_assert_not_null(longer.p);
  memcpy(longer.p, body.p, body.len);
  longer.p[body.len] = 0;
  tt_expect_err("trailing byte", dec_cert13(longer.p, longer.len, &err), &err,
                TG_ALERT_decode_error, TG_E_TRAILING, "Certificate has 1 trailing");
  tt_free(&longer);
  tt_free(&body);
}

/* One entry whose extensions block is ext (wire bytes), encoded with the encoders. */
static tt_buf cert13_with_extensions(tg_bytes ext) {
  static const uint8_t der[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  tg_certificate_entry e = {tg_bytes_of(der, sizeof der), ext};
  tg_writer list, msg;
  tg_writer_init_dynamic(&list, NULL);
  tg_certificate_entry_emit(&list, TG_VERSION_TLS13, &e);
  tg_certificate m = {tg_bytes_of(NULL, 0), tg_writer_bytes(&list)};
  tg_writer_init_dynamic(&msg, NULL);
  tg_certificate_encode(&msg, &ctx13, &m);
  cr_assert_eq(tg_writer_status(&msg), TG_OK);
  tt_buf out = tt_copy(msg.buf, msg.len);
  tg_writer_free(&list);
  tg_writer_free(&msg);
  return out;
}

Test(hs_certificate, tls13_duplicate_entry_extension) {
  /* RFC 8446 §4.2: no two extensions of one type in a block → illegal_parameter. Type 0xfafa
   * (a GREASE value) has no descriptor, so this holds whatever descriptors exist. */
  static const uint8_t ext[] = {0xfa, 0xfa, 0x00, 0x00, 0xfa, 0xfa, 0x00, 0x00};
  tt_buf in = cert13_with_extensions(tg_bytes_of(ext, sizeof ext));
  tg_err err = {0};
  tt_expect_err("duplicate", dec_cert13(in.p, in.len, &err), &err, TG_ALERT_illegal_parameter,
                TG_E_DUPLICATE, "Certificate");
  tt_free(&in);
}

Test(hs_certificate, tls13_unknown_entry_extension_is_kept) {
  static const uint8_t ext[] = {0xfa, 0xfa, 0x00, 0x02, 0xab, 0xcd};
  tt_buf in = cert13_with_extensions(tg_bytes_of(ext, sizeof ext));
  tg_err err = {0};
  tg_reader r;
  tg_certificate m;
  tg_certificate_iter it;
  tg_certificate_entry e;
  tg_reader_init(&r, in.p, in.len, &err);
  cr_assert_eq(tg_certificate_decode(&r, &ctx13, &m), TG_OK, "%s", err.what);
  tg_certificate_iter_init(&it, m.certificate_list, TG_VERSION_TLS13);
  cr_assert(tg_certificate_next(&it, &e));
  cr_expect(tg_bytes_eq(e.extensions, tg_bytes_of(ext, sizeof ext)));
  expect_reencodes(&ctx13, &m, tt_view(in));
  tt_free(&in);
}

Test(hs_certificate, tls13_entry_extension_not_allowed) {
  /* key_share is a ClientHello/ServerHello/HRR extension: in a CertificateEntry it is an
   * illegal_parameter (RFC 8446 §4.2). Needs key_share's descriptor to know its placement. */
  if (tg_ext_desc_of(TG_EXT_key_share) == NULL)
    cr_skip_test("key_share descriptor not in the library yet");
  static const uint8_t ext[] = {0x00, 0x33, 0x00, 0x00};
  tt_buf in = cert13_with_extensions(tg_bytes_of(ext, sizeof ext));
  tg_err err = {0};
  tt_expect_err("key_share", dec_cert13(in.p, in.len, &err), &err, TG_ALERT_illegal_parameter,
                TG_E_EXT_NOT_ALLOWED, "Certificate");
  tt_free(&in);
}

/* ---- Certificate, TLS 1.2 ---------------------------------------------------------------- */

/* certificate_list<0..2^24-1> of two ASN.1Cert<1..2^24-1>, written by hand from RFC 5246 §7.4.2 */
static const char cert12_hex[] = "00000d"            /* certificate_list length 13 */
                                 "000005 3003020101" /* ASN.1Cert, 5 bytes */
                                 "000002 3000";      /* ASN.1Cert, 2 bytes */

Test(hs_certificate, tls12_decode_and_reencode) {
  tt_buf in = tt_from_hex(cert12_hex);
  tg_err err = {0};
  tg_reader r;
  tg_certificate m;
  tg_reader_init(&r, in.p, in.len, &err);
  cr_assert_eq(tg_certificate_decode(&r, &ctx12, &m), TG_OK, "%s", err.what);
  tg_certificate_iter it;
  tg_certificate_entry e;
  tg_certificate_iter_init(&it, m.certificate_list, TG_VERSION_TLS12);
  cr_assert(tg_certificate_next(&it, &e));
  cr_expect_eq(e.cert_data.len, 5);
  cr_expect_eq(e.extensions.len, 0);
  cr_assert(tg_certificate_next(&it, &e));
  cr_expect_eq(e.cert_data.len, 2);
  cr_expect_eq(e.cert_data.p[0], 0x30);
  cr_expect_not(tg_certificate_next(&it, &e));
  expect_reencodes(&ctx12, &m, tt_view(in));
  tt_free(&in);
}

Test(hs_certificate, tls12_built_with_encoder_matches_hand_hex) {
  static const uint8_t c1[] = {0x30, 0x03, 0x02, 0x01, 0x01}, c2[] = {0x30, 0x00};
  tg_certificate_entry e1 = {tg_bytes_of(c1, sizeof c1), {NULL, 0}};
  tg_certificate_entry e2 = {tg_bytes_of(c2, sizeof c2), {NULL, 0}};
  tg_writer list, msg;
  tg_writer_init_dynamic(&list, NULL);
  tg_certificate_entry_emit(&list, TG_VERSION_TLS12, &e1);
  tg_certificate_entry_emit(&list, TG_VERSION_TLS12, &e2);
  tg_certificate m = {{NULL, 0}, tg_writer_bytes(&list)};
  tg_writer_init_dynamic(&msg, NULL);
  tg_certificate_encode(&msg, &ctx12, &m);
  tt_buf want = tt_from_hex(cert12_hex);
  cr_expect(tg_bytes_eq(tg_writer_bytes(&msg), tt_view(want)));
  tt_free(&want);
  tg_writer_free(&list);
  tg_writer_free(&msg);
}

Test(hs_certificate, tls12_empty_list_is_allowed) {
  /* RFC 5246 §7.4.6: a client without a suitable certificate sends an empty list. */
  static const uint8_t in[] = {0x00, 0x00, 0x00};
  tg_err err = {0};
  cr_expect_eq(dec_cert12(in, sizeof in, &err), TG_OK, "%s", err.what);
}

Test(hs_certificate, tls12_malformed_lengths) {
  static const tt_row rows[] = {
      {"list +1", 0, 3, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Certificate.certificate_list"},
      {"list -1", 0, 3, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING, "Certificate has 1"},
      {"list 0", 0, 3, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING, "Certificate has 13"},
      {"list max", 0, 3, TT_SET, 0xffffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Certificate.certificate_list"},
      /* cert 1 takes 6 bytes: the next length is 00 02 30, more than the 2 bytes left */
      {"cert +1", 3, 3, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED, "Certificate.ASN.1Cert"},
      /* cert 1 takes 4 bytes: the next length is 01 00 00 */
      {"cert -1", 3, 3, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRUNCATED, "Certificate.ASN.1Cert"},
      {"cert 0", 3, 3, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH, "Certificate.ASN.1Cert"},
      {"cert max", 3, 3, TT_SET, 0xffffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Certificate.ASN.1Cert"},
  };
  tt_buf in = tt_from_hex(cert12_hex);
  tt_run_rows(tt_view(in), rows, sizeof rows / sizeof rows[0], dec_cert12);
  tt_run_truncations(tt_view(in), dec_cert12, "Certificate", NULL, 0);
  tt_free(&in);
}

Test(hs_certificate, round_trip_struct) {
  /* decode(encode(m)) == m, for both forms */
  static const uint8_t context[] = {1, 2, 3, 4};
  static const uint8_t c1[] = {0x30, 0x01, 0x00};
  static const uint8_t ext[] = {0xfa, 0xfa, 0x00, 0x01, 0x07};
  for (int v = 0; v < 2; v++) {
    const tg_hs_ctx *ctx = v ? &ctx12 : &ctx13;
    tg_certificate_entry e = {tg_bytes_of(c1, sizeof c1), tg_bytes_of(ext, v ? 0 : sizeof ext)};
    tg_writer list, msg;
    tg_writer_init_dynamic(&list, NULL);
    tg_certificate_entry_emit(&list, ctx->version, &e);
    tg_certificate_entry_emit(&list, ctx->version, &e);
    tg_certificate m = {tg_bytes_of(context, v ? 0 : sizeof context), tg_writer_bytes(&list)};
    tg_writer_init_dynamic(&msg, NULL);
    tg_certificate_encode(&msg, ctx, &m);
    cr_assert_eq(tg_writer_status(&msg), TG_OK);
    tg_err err = {0};
    tg_reader r;
    tg_certificate back;
    tg_reader_init(&r, msg.buf, msg.len, &err);
    cr_assert_eq(tg_certificate_decode(&r, ctx, &back), TG_OK, "%s", err.what);
    cr_expect(tg_bytes_eq(back.certificate_request_context, m.certificate_request_context));
    cr_expect(tg_bytes_eq(back.certificate_list, m.certificate_list));
    tg_writer_free(&list);
    tg_writer_free(&msg);
  }
}

Test(hs_certificate, encoder_rejects_oversized_context) {
  static uint8_t big[256];
  tg_certificate m = {tg_bytes_of(big, sizeof big), {NULL, 0}};
  tg_err err = {0};
  tg_writer w;
  tg_writer_init_dynamic(&w, &err);
  tg_certificate_encode(&w, &ctx13, &m);
  cr_expect_eq(tg_writer_status(&w), TG_E_LENGTH);
  cr_expect(strstr(err.what, "certificate_request_context") != NULL, "%s", err.what);
  tg_writer_free(&w);
}

Test(hs_certificate, describe_names_fields) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/certificate", TG_HS_certificate);
  tg_reader r;
  tg_certificate m;
  tg_reader_init(&r, body.p, body.len, NULL);
  cr_assert_eq(tg_certificate_decode(&r, &ctx13, &m), TG_OK);
  static tt_dump t;
  tt_dump_init(&t);
  tg_certificate_describe(&t.d, &ctx13, &m);
  cr_expect(strstr(t.text, "certificate_request_context= ") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "certificate_list=[={cert_data=308201ac") != NULL, "%.80s", t.text);
  cr_expect(strstr(t.text, "extensions=[") != NULL);
  tt_free(&body);
}

/* ---- CertificateVerify ------------------------------------------------------------------- */

Test(hs_certificate_verify, rfc8448_server_rsa_pss) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/certificate_verify", TG_HS_certificate_verify);
  tg_err err = {0};
  tg_reader r;
  tg_certificate_verify m;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_certificate_verify_decode(&r, &ctx13, &m), TG_OK, "%s", err.what);
  cr_expect_eq(m.algorithm, 0x0804, "rsa_pss_rsae_sha256");
  cr_expect_eq(m.signature.len, 128, "a 1024-bit RSA signature");
  tg_writer w;
  tg_writer_init_dynamic(&w, &err);
  tg_certificate_verify_encode(&w, &ctx13, &m);
  cr_expect(tg_bytes_eq(tg_writer_bytes(&w), tt_view(body)));
  tg_writer_free(&w);
  static tt_dump t;
  tt_dump_init(&t);
  tg_certificate_verify_describe(&t.d, &ctx13, &m);
  cr_expect(strstr(t.text, "algorithm=2052(rsa_pss_rsae_sha256)") != NULL, "%s", t.text);
  tt_free(&body);
}

Test(hs_certificate_verify, rfc8448_server_ecdsa) {
  tt_buf body = tt_rfc8448_body("sec6-client-auth/certificate_verify", TG_HS_certificate_verify);
  tg_err err = {0};
  tg_reader r;
  tg_certificate_verify m;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_certificate_verify_decode(&r, &ctx13, &m), TG_OK, "%s", err.what);
  cr_expect_eq(m.algorithm, 0x0403, "ecdsa_secp256r1_sha256");
  cr_expect_eq(m.signature.len, 71);
  cr_expect_eq(m.signature.p[0], 0x30, "an ECDSA signature is a DER SEQUENCE");
  tt_free(&body);
}

Test(hs_certificate_verify, malformed) {
  static const tt_row rows[] = {
      {"signature +1", 2, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateVerify.signature"},
      {"signature -1", 2, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING,
       "CertificateVerify has 1"},
      {"signature 0", 2, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING,
       "CertificateVerify has 128"},
      {"signature max", 2, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "CertificateVerify.signature"},
  };
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/certificate_verify", TG_HS_certificate_verify);
  tt_run_rows(tt_view(body), rows, sizeof rows / sizeof rows[0], dec_cv);
  tt_run_truncations(tt_view(body), dec_cv, "CertificateVerify", NULL, 0);
  tt_free(&body);
}

Test(hs_certificate_verify, round_trip_struct_empty_signature) {
  /* signature<0..2^16-1>: empty is well formed (the engine rejects it as a bad signature) */
  tg_certificate_verify m = {0x0807, {NULL, 0}}, back;
  tg_writer w;
  tg_err err = {0};
  tg_writer_init_dynamic(&w, &err);
  tg_certificate_verify_encode(&w, &ctx13, &m);
  cr_assert_eq(w.len, 4);
  tg_reader r;
  tg_reader_init(&r, w.buf, w.len, &err);
  cr_assert_eq(tg_certificate_verify_decode(&r, &ctx13, &back), TG_OK, "%s", err.what);
  cr_expect_eq(back.algorithm, 0x0807);
  cr_expect_eq(back.signature.len, 0);
  tg_writer_free(&w);
}
