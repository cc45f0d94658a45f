/* supported_groups, signature_algorithms, signature_algorithms_cert, ec_point_formats: lists of
 * code points. RFC 8448 gives the well-formed ClientHello, EncryptedExtensions and
 * CertificateRequest forms. */
#include "ext_a_util.h"
#include "tg/ext/ec_point_formats.h"
#include "tg/ext/signature_algorithms.h"
#include "tg/ext/signature_algorithms_cert.h"
#include "tg/ext/supported_groups.h"

static uint8_t vec[4096];

Test(ext_supported_groups, rfc8448_client_hello_parses_and_emits) {
  static const uint16_t want[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100,
                                  0x0101, 0x0102, 0x0103, 0x0104};
  const size_t n = sizeof want / sizeof want[0];
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex", TG_EXT_supported_groups,
                             vec, sizeof vec);
  tg_supported_groups sg;
  tg_err err = {0};
  cr_assert_eq(tg_supported_groups_parse(body, &sg, &err), TG_OK, "%s", err.what);
  cr_assert_eq(tg_u16s_count(sg.named_group_list), n);
  for (size_t i = 0; i < n; i++)
    cr_assert_eq(tg_u16s_get(sg.named_group_list, i), want[i], "item %zu", i);

  uint8_t out[64];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_supported_groups_emit(&w, &sg);
  assert_emitted(&w, TG_EXT_supported_groups, body);
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_supported_groups_emit_list(&w, want, n);
  assert_emitted(&w, TG_EXT_supported_groups, body);
}

Test(ext_supported_groups, rfc8448_encrypted_extensions_and_placement) {
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/encrypted_extensions.hex",
                             TG_EXT_supported_groups, vec, sizeof vec);
  tg_err err;
  cr_assert_eq(check_one(TG_EXT_supported_groups, body, TG_CTX_EE, TG_VERSION_TLS13, &err), TG_OK,
               "%s", err.what);
  /* RFC 8446 §4.2: supported_groups is CH, EE; a 1.3 ServerHello may not carry it. */
  cr_assert_eq(check_one(TG_EXT_supported_groups, body, TG_CTX_SH, TG_VERSION_TLS13, &err),
               TG_E_EXT_NOT_ALLOWED);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
}

Test(ext_supported_groups, truncation_at_every_offset) {
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex", TG_EXT_supported_groups,
                             vec, sizeof vec);
  assert_prefixes_fail(TG_EXT_supported_groups, body, TG_CTX_CH);
}

Test(ext_supported_groups, malformed_table) {
  static const bad_row rows[] = {
      {"one group", TG_CTX_CH, "0002001d", ACCEPTED},
      {"unknown group kept", TG_CTX_CH, "0004fafa001d", ACCEPTED},
      {"length +1", TG_CTX_CH, "0003001d", TG_ALERT_decode_error},
      {"length +2", TG_CTX_CH, "0004001d", TG_ALERT_decode_error},
      {"length -1 (odd)", TG_CTX_CH, "0001001d", TG_ALERT_decode_error},
      {"length 0", TG_CTX_CH, "0000", TG_ALERT_decode_error},
      {"length max", TG_CTX_CH, "ffff001d", TG_ALERT_decode_error},
      {"odd list", TG_CTX_CH, "0003001d00", TG_ALERT_decode_error},
      {"trailing byte", TG_CTX_CH, "0002001d00", TG_ALERT_decode_error},
      {"empty body", TG_CTX_CH, "", TG_ALERT_decode_error},
      {"one byte body", TG_CTX_EE, "00", TG_ALERT_decode_error},
  };
  run_rows(TG_EXT_supported_groups, rows, sizeof rows / sizeof rows[0]);
}

Test(ext_supported_groups, describe_names_groups) {
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex", TG_EXT_supported_groups,
                             vec, sizeof vec);
  text_dump t;
  const char *s = describe_one(&t, TG_EXT_supported_groups, body, TG_CTX_CH);
  cr_assert(strstr(s, "named_group_list=[ -=29(x25519) -=23(secp256r1)") != NULL, "%s", s);
  cr_assert(strstr(s, "-=260(ffdhe8192) }") != NULL, "%s", s);
}

/* The 15 schemes of RFC 8448 §3's ClientHello, in order. */
static const uint16_t rfc8448_schemes[] = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804,
                                           0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
                                           0x0201, 0x0402, 0x0502, 0x0602, 0x0202};
#define NSCHEMES (sizeof rfc8448_schemes / sizeof rfc8448_schemes[0])

static void assert_rfc8448_schemes(const tg_signature_scheme_list *sl) {
  cr_assert_eq(tg_u16s_count(sl->supported_signature_algorithms), NSCHEMES);
  for (size_t i = 0; i < NSCHEMES; i++)
    cr_assert_eq(tg_u16s_get(sl->supported_signature_algorithms, i), rfc8448_schemes[i]);
}

Test(ext_signature_algorithms, rfc8448_client_hello_parses_and_emits) {
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex",
                             TG_EXT_signature_algorithms, vec, sizeof vec);
  tg_signature_scheme_list sl;
  tg_err err = {0};
  cr_assert_eq(tg_signature_algorithms_parse(body, &sl, &err), TG_OK, "%s", err.what);
  assert_rfc8448_schemes(&sl);
  uint8_t out[64];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_signature_algorithms_emit(&w, &sl);
  assert_emitted(&w, TG_EXT_signature_algorithms, body);
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_signature_algorithms_emit_list(&w, rfc8448_schemes, NSCHEMES);
  assert_emitted(&w, TG_EXT_signature_algorithms, body);
}

Test(ext_signature_algorithms, rfc8448_certificate_request) {
  tg_bytes body = vector_ext(RFC8448 "sec6-client-auth/certificate_request.hex",
                             TG_EXT_signature_algorithms, vec, sizeof vec);
  tg_signature_scheme_list sl;
  tg_err err = {0};
  cr_assert_eq(tg_signature_algorithms_parse(body, &sl, &err), TG_OK, "%s", err.what);
  assert_rfc8448_schemes(&sl);
  cr_assert_eq(check_one(TG_EXT_signature_algorithms, body, TG_CTX_CR, TG_VERSION_TLS13, &err),
               TG_OK);
  /* RFC 8446 §4.2: CH, CR only. */
  cr_assert_eq(check_one(TG_EXT_signature_algorithms, body, TG_CTX_EE, TG_VERSION_TLS13, &err),
               TG_E_EXT_NOT_ALLOWED);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
}

Test(ext_signature_algorithms, truncation_at_every_offset) {
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex",
                             TG_EXT_signature_algorithms, vec, sizeof vec);
  assert_prefixes_fail(TG_EXT_signature_algorithms, body, TG_CTX_CH);
  assert_prefixes_fail(TG_EXT_signature_algorithms_cert, body, TG_CTX_CH);
}

static const bad_row sigalgs_rows[] = {
    {"one scheme", TG_CTX_CH, "00020804", ACCEPTED},
    {"unknown scheme kept", TG_CTX_CR, "0004fefe0804", ACCEPTED},
    {"length +1", TG_CTX_CH, "00030804", TG_ALERT_decode_error},
    {"length -1 (odd)", TG_CTX_CH, "00010804", TG_ALERT_decode_error},
    {"length 0", TG_CTX_CH, "0000", TG_ALERT_decode_error},
    {"length max", TG_CTX_CH, "ffff0804", TG_ALERT_decode_error},
    {"odd list", TG_CTX_CH, "0003080408", TG_ALERT_decode_error},
    {"trailing byte", TG_CTX_CH, "0002080400", TG_ALERT_decode_error},
    {"empty body", TG_CTX_CR, "", TG_ALERT_decode_error},
};

Test(ext_signature_algorithms, malformed_table) {
  run_rows(TG_EXT_signature_algorithms, sigalgs_rows, sizeof sigalgs_rows / sizeof sigalgs_rows[0]);
}

Test(ext_signature_algorithms_cert, malformed_table) {
  run_rows(TG_EXT_signature_algorithms_cert, sigalgs_rows,
           sizeof sigalgs_rows / sizeof sigalgs_rows[0]);
}

Test(ext_signature_algorithms_cert, same_body_own_type_and_name) {
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex",
                             TG_EXT_signature_algorithms, vec, sizeof vec);
  tg_signature_scheme_list sl;
  tg_err err = {0};
  cr_assert_eq(tg_signature_algorithms_cert_parse(body, &sl, &err), TG_OK, "%s", err.what);
  assert_rfc8448_schemes(&sl);
  uint8_t out[64];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_signature_algorithms_cert_emit(&w, &sl);
  assert_emitted(&w, TG_EXT_signature_algorithms_cert, body);
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_signature_algorithms_cert_emit_list(&w, rfc8448_schemes, NSCHEMES);
  assert_emitted(&w, TG_EXT_signature_algorithms_cert, body);

  const uint8_t odd[] = {0x00, 0x03, 0x08, 0x04, 0x08};
  cr_assert_eq(tg_signature_algorithms_cert_parse(tg_bytes_of(odd, sizeof odd), &sl, &err),
               TG_E_ODD_LENGTH);
  cr_assert(strstr(err.what, "signature_algorithms_cert") != NULL, "%s", err.what);
  cr_assert_eq(tg_ext_desc_of(TG_EXT_signature_algorithms_cert)->allowed13, TG_CTX_CH | TG_CTX_CR);
}

Test(ext_signature_algorithms, describe_names_schemes) {
  tg_bytes body = vector_ext(RFC8448 "sec3-simple-1rtt/client_hello.hex",
                             TG_EXT_signature_algorithms, vec, sizeof vec);
  text_dump t;
  const char *s = describe_one(&t, TG_EXT_signature_algorithms_cert, body, TG_CTX_CH);
  cr_assert(strstr(s, "(signature_algorithms_cert)") != NULL, "%s", s);
  cr_assert(strstr(s, "supported_signature_algorithms=[ -=1027(ecdsa_secp256r1_sha256)") != NULL,
            "%s", s);
  cr_assert(strstr(s, "-=2052(rsa_pss_rsae_sha256)") != NULL, "%s", s);
}

Test(ext_ec_point_formats, parses_emits_and_finds_uncompressed) {
  const uint8_t body[] = {0x03, 0x00, 0x01, 0x02}; /* the common TLS 1.2 ClientHello list */
  tg_ec_point_formats pf;
  tg_err err = {0};
  cr_assert_eq(tg_ec_point_formats_parse(tg_bytes_of(body, sizeof body), &pf, &err), TG_OK);
  cr_assert_eq(pf.ec_point_format_list.len, 3);
  cr_assert(tg_ec_point_formats_has(&pf, TG_EC_POINT_uncompressed));
  cr_assert(!tg_ec_point_formats_has(&pf, 7));
  uint8_t out[16];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_ec_point_formats_emit(&w, &pf);
  assert_emitted(&w, TG_EXT_ec_point_formats, tg_bytes_of(body, sizeof body));
  assert_prefixes_fail(TG_EXT_ec_point_formats, tg_bytes_of(body, sizeof body), TG_CTX_CH);
}

Test(ext_ec_point_formats, malformed_table) {
  static const bad_row rows[] = {
      {"uncompressed", TG_CTX_CH, "0100", ACCEPTED},
      {"unknown format kept", TG_CTX_CH, "02f800", ACCEPTED},
      {"length +1", TG_CTX_CH, "0200", TG_ALERT_decode_error},
      {"two formats", TG_CTX_CH, "020001", ACCEPTED},
      {"length -1", TG_CTX_CH, "010001", TG_ALERT_decode_error},
      {"length 0", TG_CTX_CH, "00", TG_ALERT_decode_error},
      {"length max", TG_CTX_CH, "ff00", TG_ALERT_decode_error},
      {"empty body", TG_CTX_CH, "", TG_ALERT_decode_error},
  };
  run_rows(TG_EXT_ec_point_formats, rows, sizeof rows / sizeof rows[0]);
}

Test(ext_ec_point_formats, tls12_only) {
  const uint8_t body[] = {0x01, 0x00};
  tg_err err;
  /* Not in RFC 8446 §4.2: tolerated in a 1.3 ClientHello (which may offer 1.2 too), not in
   * EncryptedExtensions; in a 1.2 ServerHello it is fine. */
  cr_assert_eq(
      check_one(TG_EXT_ec_point_formats, tg_bytes_of(body, 2), TG_CTX_CH, TG_VERSION_TLS13, &err),
      TG_OK);
  cr_assert_eq(
      check_one(TG_EXT_ec_point_formats, tg_bytes_of(body, 2), TG_CTX_EE, TG_VERSION_TLS13, &err),
      TG_E_EXT_NOT_ALLOWED);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert_eq(
      check_one(TG_EXT_ec_point_formats, tg_bytes_of(body, 2), TG_CTX_SH, TG_VERSION_TLS12, &err),
      TG_OK);
  text_dump t;
  const char *s = describe_one(&t, TG_EXT_ec_point_formats, tg_bytes_of(body, 2), TG_CTX_SH);
  cr_assert(strstr(s, "ec_point_format_list=[ -=0(uncompressed) }") != NULL, "%s", s);
}
