/* EncryptedExtensions: RFC 8448 round trips and one row per malformed field. */
#include <criterion/criterion.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/extensions.h"
#include "tg/hs/encrypted_extensions.h"

TT_DECODER(decode_ee, encrypted_extensions, NULL)

static const char *const rfc8448_ee[] = {
    "sec3-simple-1rtt/encrypted_extensions", "sec4-resumed-0rtt/encrypted_extensions",
    "sec5-hrr/encrypted_extensions",         "sec6-client-auth/encrypted_extensions",
    "sec7-compat-mode/encrypted_extensions",
};

Test(encrypted_extensions, rfc8448_reencode_byte_for_byte) {
  for (size_t i = 0; i < sizeof rfc8448_ee / sizeof rfc8448_ee[0]; i++) {
    tt_buf body = tt_rfc8448_body(rfc8448_ee[i], TG_HS_encrypted_extensions);
    tg_encrypted_extensions ee;
    tg_reader r;
    tg_err err = {0};
    uint8_t out[256];
    tg_writer w;
    tg_reader_init(&r, body.p, body.len, &err);
    cr_assert_eq(tg_encrypted_extensions_decode(&r, NULL, &ee), TG_OK, "%s: %s", rfc8448_ee[i],
                 err.what);
    tg_writer_init(&w, out, sizeof out, &err);
    tg_encrypted_extensions_encode(&w, NULL, &ee);
    cr_assert_eq(tg_writer_status(&w), TG_OK);
    cr_expect(tg_bytes_eq(tg_writer_bytes(&w), tt_view(body)), "%s", rfc8448_ee[i]);
    tt_free(&body);
  }
}

Test(encrypted_extensions, rfc8448_sec3_fields) {
  tt_buf body =
      tt_rfc8448_body("sec3-simple-1rtt/encrypted_extensions", TG_HS_encrypted_extensions);
  tg_encrypted_extensions ee;
  tg_reader r;
  tg_err err = {0};
  tg_bytes data;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_encrypted_extensions_decode(&r, NULL, &ee), TG_OK, "%s", err.what);
  cr_expect_eq(ee.extensions.len, 34);
  cr_assert(tg_ext_find(ee.extensions, TG_EXT_record_size_limit, &data));
  cr_expect_eq(tt_get_be(data.p, 2), 0x4001);
  cr_assert(tg_ext_find(ee.extensions, TG_EXT_server_name, &data));
  cr_expect_eq(data.len, 0);
  cr_expect(tg_ext_find(ee.extensions, TG_EXT_supported_groups, &data));
  tt_free(&body);
}

Test(encrypted_extensions, empty_and_struct_round_trip) {
  static const uint8_t ext[] = {0x0a, 0x0a, 0x00, 0x01, 0x7f}; /* GREASE, one byte */
  static const tg_bytes blocks[] = {{NULL, 0}, {ext, sizeof ext}};
  for (size_t i = 0; i < 2; i++) {
    tg_encrypted_extensions in = {blocks[i]}, out;
    uint8_t buf[64];
    tg_writer w;
    tg_reader r;
    tg_err err = {0};
    tg_writer_init(&w, buf, sizeof buf, &err);
    tg_encrypted_extensions_encode(&w, NULL, &in);
    cr_assert_eq(tg_writer_status(&w), TG_OK);
    cr_expect_eq(w.len, 2 + blocks[i].len);
    tg_reader_init(&r, buf, w.len, &err);
    cr_assert_eq(tg_encrypted_extensions_decode(&r, NULL, &out), TG_OK, "%s", err.what);
    cr_expect(tg_bytes_eq(out.extensions, in.extensions));
  }
}

/* The §3 body: extensions length at 0 (34); server_name is last, empty, its length at 34. */
static const tt_row sec3_rows[] = {
    {"extensions +1", 0, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "EncryptedExtensions.extensions"},
    {"extensions -1", 0, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING,
     "EncryptedExtensions"},
    {"extensions 0", 0, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING, "EncryptedExtensions"},
    {"extensions max", 0, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "EncryptedExtensions.extensions"},
    {"server_name +1", 34, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "Extension.extension_data"},
    {"server_name max", 34, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "Extension.extension_data"},
    /* The last extension renamed record_size_limit: found before any body check. */
    {"duplicate record_size_limit", 32, 2, TT_SET, TG_EXT_record_size_limit,
     TG_ALERT_illegal_parameter, TG_E_DUPLICATE, "record_size_limit"},
};

Test(encrypted_extensions, malformed_fields) {
  tt_buf body =
      tt_rfc8448_body("sec3-simple-1rtt/encrypted_extensions", TG_HS_encrypted_extensions);
  cr_assert_eq(body.len, 36);
  cr_assert_eq(tt_get_be(body.p + 26, 2), TG_EXT_record_size_limit);
  cr_assert_eq(tt_get_be(body.p + 32, 2), TG_EXT_server_name);
  tt_run_rows(tt_view(body), sec3_rows, sizeof sec3_rows / sizeof sec3_rows[0], decode_ee);
  tt_free(&body);
}

Test(encrypted_extensions, truncation_at_every_offset) {
  tt_buf body =
      tt_rfc8448_body("sec3-simple-1rtt/encrypted_extensions", TG_HS_encrypted_extensions);
  tt_run_truncations(tt_view(body), decode_ee, "EncryptedExtensions.", NULL, 0);
  tt_free(&body);
}

/* RFC 8446 §4.2: supported_versions may appear only in CH, SH and HRR. Needs its descriptor. */
Test(encrypted_extensions, extension_not_allowed_is_illegal_parameter) {
  if (tg_ext_desc_of(TG_EXT_supported_versions) == NULL)
    cr_skip_test("no supported_versions descriptor yet");
  tt_buf body = tt_from_hex("0006002b00020304");
  tg_err err = {0};
  tg_status st = decode_ee(body.p, body.len, &err);
  tt_expect_err("supported_versions in EE", st, &err, TG_ALERT_illegal_parameter,
                TG_E_EXT_NOT_ALLOWED, "supported_versions");
  tt_free(&body);
}

Test(encrypted_extensions, describe_lists_extensions) {
  tt_buf body =
      tt_rfc8448_body("sec3-simple-1rtt/encrypted_extensions", TG_HS_encrypted_extensions);
  tg_encrypted_extensions ee;
  tg_reader r;
  tg_err err = {0};
  tt_dump t;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_encrypted_extensions_decode(&r, NULL, &ee), TG_OK);
  tt_dump_init(&t);
  tg_encrypted_extensions_describe(&t.d, NULL, &ee);
  cr_expect(strncmp(t.text, "extensions=[", 12) == 0, "%s", t.text);
  cr_expect(strstr(t.text, "extension_type=10(supported_groups)") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "extension_type=28(record_size_limit)") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "extension_type=0(server_name)") != NULL, "%s", t.text);
  tt_free(&body);
}
