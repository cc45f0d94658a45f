/* The reader, the writer and the error record. */
#include <criterion/criterion.h>
#include <string.h>

#include "tg/codec.h"
#include "tg/names.h"

Test(codec, reads_integers_big_endian) {
  const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
  tg_err err = {0};
  tg_reader r;
  uint8_t a;
  uint16_t b;
  uint32_t c, d;
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_read_u8(&r, &a, "a"), TG_OK);
  cr_assert_eq(tg_read_u16(&r, &b, "b"), TG_OK);
  cr_assert_eq(tg_read_u24(&r, &c, "c"), TG_OK);
  cr_assert_eq(tg_read_u32(&r, &d, "d"), TG_OK);
  cr_assert_eq(a, 0x01);
  cr_assert_eq(b, 0x0203);
  cr_assert_eq(c, 0x040506);
  cr_assert_eq(d, 0x0708090a);
  cr_assert_eq(tg_left(&r), 0);
  cr_assert_eq(tg_read_done(&r, "all"), TG_OK);
}

Test(codec, truncation_is_decode_error_with_location) {
  const uint8_t in[] = {0x01};
  tg_err err = {0};
  tg_reader r;
  uint16_t v;
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_read_u16(&r, &v, "Thing.field"), TG_E_TRUNCATED);
  cr_assert_eq(err.alert, TG_ALERT_decode_error);
  cr_assert_str_eq(err.file, "tests/codec_test.c");
  cr_assert(strstr(err.what, "Thing.field") != NULL);
  cr_assert_eq(tg_left(&r), 1, "a failed read consumes nothing");
}

Test(codec, vector_bounds) {
  const uint8_t in[] = {0x00, 0x03, 0xaa, 0xbb, 0xcc};
  tg_err err = {0};
  tg_reader r, sub;
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_read_vec(&r, 2, 1, 3, &sub, "v"), TG_OK);
  cr_assert_eq(tg_left(&sub), 3);
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_read_vec(&r, 2, 4, 10, &sub, "v"), TG_E_LENGTH);
  tg_err_clear(&err);
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_read_vec(&r, 2, 0, 2, &sub, "v"), TG_E_LENGTH);
  tg_err_clear(&err);
  tg_reader_init(&r, in, 4, &err);
  cr_assert_eq(tg_read_vec(&r, 2, 0, 10, &sub, "v"), TG_E_TRUNCATED);
  cr_assert_eq(err.alert, TG_ALERT_decode_error);
}

Test(codec, vec16s_rejects_odd_length) {
  const uint8_t in[] = {0x00, 0x03, 0x13, 0x01, 0x13};
  tg_err err = {0};
  tg_reader r, sub;
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_read_vec16s(&r, 2, 2, 65534, &sub, "cipher_suites"), TG_E_ODD_LENGTH);
  cr_assert(strstr(err.what, "odd length 3") != NULL, "%s", err.what);
}

Test(codec, read_done_reports_trailing) {
  const uint8_t in[] = {0x00, 0x00};
  tg_err err = {0};
  tg_reader r;
  uint8_t v;
  tg_reader_init(&r, in, sizeof in, &err);
  cr_assert_eq(tg_read_u8(&r, &v, "x"), TG_OK);
  cr_assert_eq(tg_read_done(&r, "S"), TG_E_TRAILING);
  cr_assert_eq(err.alert, TG_ALERT_decode_error);
}

Test(codec, first_failure_wins) {
  tg_err err = {0};
  cr_assert_eq(TG_FAIL(&err, illegal_parameter, TG_E_BAD_VALUE, "inner"), TG_E_BAD_VALUE);
  cr_assert_eq(TG_FAIL(&err, decode_error, TG_E_TRAILING, "outer"), TG_E_TRAILING);
  cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  cr_assert_str_eq(err.what, "inner");
  char buf[256];
  cr_assert(strncmp(tg_err_format(&err, buf, sizeof buf),
                    "illegal_parameter: inner (tests/codec_test.c:", 45) == 0,
            "%s", buf);
}

Test(codec, writer_fills_length_prefixes) {
  uint8_t buf[16];
  tg_err err = {0};
  tg_writer w;
  tg_writer_init(&w, buf, sizeof buf, &err);
  size_t m = tg_w_open(&w, 2);
  tg_w_u8(&w, 0xaa);
  size_t m2 = tg_w_open(&w, 3);
  tg_w_u16(&w, 0x0102);
  tg_w_close(&w, m2, 3, 100, "inner");
  tg_w_close(&w, m, 2, 100, "outer");
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  const uint8_t want[] = {0x00, 0x06, 0xaa, 0x00, 0x00, 0x02, 0x01, 0x02};
  cr_assert_eq(w.len, sizeof want);
  cr_assert_arr_eq(buf, want, sizeof want);
}

Test(codec, writer_overflow_is_sticky) {
  uint8_t buf[3];
  tg_err err = {0};
  tg_writer w;
  tg_writer_init(&w, buf, sizeof buf, &err);
  tg_w_u16(&w, 1);
  tg_w_u16(&w, 2);
  tg_w_u8(&w, 3);
  cr_assert_eq(tg_writer_status(&w), TG_E_BUFFER_FULL);
  cr_assert_eq(w.len, 2);
}

Test(codec, writer_rejects_vector_over_max) {
  uint8_t buf[16];
  tg_err err = {0};
  tg_writer w;
  tg_writer_init(&w, buf, sizeof buf, &err);
  size_t m = tg_w_open(&w, 1);
  tg_w_u32(&w, 0);
  tg_w_close(&w, m, 1, 3, "v");
  cr_assert_eq(tg_writer_status(&w), TG_E_LENGTH);
}

Test(codec, dynamic_writer_grows) {
  tg_writer w;
  tg_writer_init_dynamic(&w, NULL);
  for (int i = 0; i < 100000; i++)
    tg_w_u8(&w, (uint8_t)i);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  cr_assert_eq(w.len, 100000);
  cr_assert_eq(w.buf[99999], (uint8_t)99999);
  tg_writer_free(&w);
}

Test(codec, constant_time_compare) {
  const uint8_t a[] = {1, 2, 3, 4}, b[] = {1, 2, 3, 5};
  cr_assert_eq(tg_ct_eq(a, a, 4), 1);
  cr_assert_eq(tg_ct_eq(a, b, 4), 0);
  cr_assert_eq(tg_ct_eq(a, b, 3), 1);
  cr_assert_eq(tg_ct_eq(a, b, 0), 1);
}

Test(names, lookups_both_ways) {
  unsigned v;
  cr_assert_str_eq(tg_cipher_suite_name(0x1301), "TLS_AES_128_GCM_SHA256");
  cr_assert_str_eq(tg_group_name(0x001d), "x25519");
  cr_assert_str_eq(tg_sig_scheme_name(0x0804), "rsa_pss_rsae_sha256");
  cr_assert_str_eq(tg_alert_name(50), "decode_error");
  cr_assert_str_eq(tg_ext_type_name(0xff01), "renegotiation_info");
  cr_assert_null(tg_group_name(0x9999));
  cr_assert(tg_group_by_name("secp256r1", &v) && v == 0x17);
  cr_assert(tg_cipher_suite_by_name("TLS_CHACHA20_POLY1305_SHA256", &v) && v == 0x1303);
  cr_assert(!tg_sig_scheme_by_name("rsa_pss_sha256", &v));
}

Test(codec, rtrim_zeros) {
  const uint8_t a[] = {0x17, 0x00, 0x00}, b[] = {0x00, 0x00}, c[] = {0x01, 0x00, 0x02};
  cr_assert_eq(tg_bytes_rtrim_zeros(tg_bytes_of(a, sizeof a)), 1);
  cr_assert_eq(tg_bytes_rtrim_zeros(tg_bytes_of(b, sizeof b)), 0);
  cr_assert_eq(tg_bytes_rtrim_zeros(tg_bytes_of(c, sizeof c)), 3);
  cr_assert_eq(tg_bytes_rtrim_zeros(tg_bytes_of(a, 0)), 0);
}

/* A reader over no bytes at all (NULL, 0): an empty record payload (found by fuzz_hunt: a
 * zero_length_record deviation sent one). Reading nothing succeeds and never does arithmetic
 * on the NULL pointer (UBSan in the sanitizer build). */
Test(codec, empty_reads_over_no_bytes) {
  tg_reader r;
  tg_reader_init(&r, NULL, 0, NULL);
  tg_bytes b;
  uint8_t out[1] = {7};
  cr_assert_eq(tg_read_bytes(&r, 0, &b, "payload"), TG_OK);
  cr_assert_eq(b.len, 0);
  cr_assert_eq(tg_read_copy(&r, out, 0, "payload"), TG_OK);
  cr_assert_eq(out[0], 7);
  cr_assert_eq(tg_left(&r), 0);
  cr_assert_neq(tg_read_bytes(&r, 1, &b, "payload"), TG_OK);
}
