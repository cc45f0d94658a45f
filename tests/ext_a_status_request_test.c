/* status_request (RFC 6066 §8, RFC 8446 §4.4.2.1): the ClientHello, CertificateRequest,
 * CertificateEntry and TLS 1.2 ServerHello forms. RFC 8448 has none; the ClientHello body
 * "01 0000 0000" is what every browser sends. */
#include "ext_a_util.h"
#include "tg/ext/status_request.h"

/* ocsp, responder_id_list {0xdeadbeef, 0x01}, request_extensions 0x3000 */
static const char ch_hex[] = "0100090004deadbeef00010100023000";

Test(ext_status_request, client_hello_parses_and_emits) {
  uint8_t body[64];
  size_t len = tt_unhex(ch_hex, body, sizeof body);
  tg_status_request_ch sr;
  tg_err err = {0};
  cr_assert_eq(tg_status_request_parse_ch(tg_bytes_of(body, len), &sr, &err), TG_OK, "%s",
               err.what);
  cr_assert_eq(sr.status_type, TG_STATUS_OCSP);
  cr_assert_eq(sr.responder_id_list.len, 9);
  const uint8_t ext[] = {0x30, 0x00};
  cr_assert(tg_bytes_eq(sr.request_extensions, tg_bytes_of(ext, 2)));

  tg_responder_id_iter it;
  tg_bytes id;
  tg_responder_id_iter_init(&it, sr.responder_id_list);
  cr_assert(tg_responder_id_next(&it, &id));
  cr_assert_eq(id.len, 4);
  cr_assert_eq(id.p[0], 0xde);
  cr_assert(tg_responder_id_next(&it, &id));
  cr_assert_eq(id.len, 1);
  cr_assert(!tg_responder_id_next(&it, &id));

  uint8_t out[64];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_status_request_emit_ch(&w, &sr);
  assert_emitted(&w, TG_EXT_status_request, tg_bytes_of(body, len));
  assert_prefixes_fail(TG_EXT_status_request, tg_bytes_of(body, len), TG_CTX_CH);
}

Test(ext_status_request, unknown_status_type_is_kept) {
  const uint8_t body[] = {0x02, 0xaa, 0xbb};
  tg_status_request_ch sr;
  tg_err err = {0};
  cr_assert_eq(tg_status_request_parse_ch(tg_bytes_of(body, 3), &sr, &err), TG_OK, "%s", err.what);
  cr_assert_eq(sr.status_type, 2);
  cr_assert_eq(sr.request.len, 2);
  uint8_t out[16];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_status_request_emit_ch(&w, &sr);
  assert_emitted(&w, TG_EXT_status_request, tg_bytes_of(body, 3));
}

Test(ext_status_request, certificate_entry_form) {
  const uint8_t body[] = {0x01, 0x00, 0x00, 0x03, 0x30, 0x01, 0x00};
  tg_status_request_ct cs;
  tg_err err = {0};
  cr_assert_eq(tg_status_request_parse_ct(tg_bytes_of(body, sizeof body), &cs, &err), TG_OK);
  cr_assert_eq(cs.status_type, TG_STATUS_OCSP);
  cr_assert_eq(cs.ocsp_response.len, 3);
  uint8_t out[16];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_status_request_emit_ct(&w, &cs);
  assert_emitted(&w, TG_EXT_status_request, tg_bytes_of(body, sizeof body));
  assert_prefixes_fail(TG_EXT_status_request, tg_bytes_of(body, sizeof body), TG_CTX_CT);
}

Test(ext_status_request, empty_forms) {
  tg_status_request_ch sr;
  tg_err err = {0};
  uint8_t none[1] = {0};
  cr_assert_eq(tg_status_request_parse_cr(tg_bytes_of(none, 0), &sr, &err), TG_OK);
  cr_assert(sr.empty);
  /* status_type 0 (not ocsp) with no request is not the empty form, and re-emits as itself. */
  cr_assert_eq(tg_status_request_parse_cr(tg_bytes_of(none, 1), &sr, &err), TG_OK);
  cr_assert(!sr.empty);
  cr_assert_eq(sr.status_type, 0);
  tg_writer w0;
  uint8_t out0[8];
  tg_writer_init(&w0, out0, sizeof out0, NULL);
  tg_status_request_emit_ch(&w0, &sr);
  assert_emitted(&w0, TG_EXT_status_request, tg_bytes_of(none, 1));
  cr_assert_eq(tg_status_request_parse_sh(tg_bytes_of(none, 0), &err), TG_OK);
  cr_assert_eq(tg_status_request_parse_sh(tg_bytes_of(none, 1), &err), TG_E_TRAILING);
  uint8_t out[8];
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, NULL);
  tg_status_request_emit_empty(&w);
  assert_emitted(&w, TG_EXT_status_request, tg_bytes_of(none, 0));
}

Test(ext_status_request, malformed_table) {
  static const bad_row rows[] = {
      {"ocsp, empty lists", TG_CTX_CH, "0100000000", ACCEPTED},
      {"CertificateRequest empty", TG_CTX_CR, "", ACCEPTED},
      {"CertificateRequest as ClientHello", TG_CTX_CR, "0100000000", ACCEPTED},
      {"ClientHello empty", TG_CTX_CH, "", TG_ALERT_decode_error},
      {"responder_id_list length +1", TG_CTX_CH, "0100010000", TG_ALERT_decode_error},
      {"responder_id_list length max", TG_CTX_CH, "01ffff0000", TG_ALERT_decode_error},
      {"ResponderID length 0", TG_CTX_CH, "010002000000", TG_ALERT_decode_error},
      {"ResponderID length +1", TG_CTX_CH, "01000300020000", TG_ALERT_decode_error},
      {"ResponderID length -1", TG_CTX_CH, "0100030000aa0000", TG_ALERT_decode_error},
      {"request_extensions length +1", TG_CTX_CH, "010000000230", TG_ALERT_decode_error},
      {"request_extensions length -1", TG_CTX_CH, "0100000001300000", TG_ALERT_decode_error},
      {"request_extensions missing", TG_CTX_CH, "010000", TG_ALERT_decode_error},
      {"trailing byte", TG_CTX_CH, "010000000000", TG_ALERT_decode_error},
      {"ocsp response", TG_CTX_CT, "0100000130", ACCEPTED},
      {"ocsp response length 0", TG_CTX_CT, "01000000", TG_ALERT_decode_error},
      {"ocsp response length +1", TG_CTX_CT, "0100000230", TG_ALERT_decode_error},
      {"ocsp response length -1", TG_CTX_CT, "010000003030", TG_ALERT_decode_error},
      {"ocsp response length max", TG_CTX_CT, "01ffffff30", TG_ALERT_decode_error},
      {"CertificateStatus status_type 2", TG_CTX_CT, "0200000130", TG_ALERT_illegal_parameter},
      {"CertificateStatus status_type 0", TG_CTX_CT, "0000000130", TG_ALERT_illegal_parameter},
      {"Certificate empty", TG_CTX_CT, "", TG_ALERT_decode_error},
  };
  run_rows(TG_EXT_status_request, rows, sizeof rows / sizeof rows[0]);
}

Test(ext_status_request, placement_and_describe) {
  const uint8_t body[] = {0x01, 0x00, 0x00, 0x00, 0x00};
  tg_err err;
  /* RFC 8446 §4.2: CH, CR, CT; TLS 1.3 servers do not answer in EncryptedExtensions. */
  cr_assert_eq(
      check_one(TG_EXT_status_request, tg_bytes_of(body, 0), TG_CTX_EE, TG_VERSION_TLS13, &err),
      TG_E_EXT_NOT_ALLOWED);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert_eq(
      check_one(TG_EXT_status_request, tg_bytes_of(body, 0), TG_CTX_SH, TG_VERSION_TLS12, &err),
      TG_OK);
  text_dump t;
  const char *s = describe_one(&t, TG_EXT_status_request, tg_bytes_of(body, 5), TG_CTX_CH);
  cr_assert(strstr(s, "status_type=1(ocsp) responder_id_list=[ } request_extensions=<0 bytes>") !=
                NULL,
            "%s", s);
}
