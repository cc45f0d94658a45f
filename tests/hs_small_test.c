/* The small messages: Finished (RFC 8446 §4.4.4, RFC 5246 §7.4.9), KeyUpdate (RFC 8446 §4.6.3),
 * EndOfEarlyData (RFC 8446 §4.5), ServerHelloDone (RFC 5246 §7.4.5) and message_hash
 * (RFC 8446 §4.4.1). */
#include <criterion/criterion.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/handshake.h"

static const tg_hs_ctx ctx13_sha256 = {TG_VERSION_TLS13, TG_KX_ECDHE, 32};
static const tg_hs_ctx ctx13_sha384 = {TG_VERSION_TLS13, TG_KX_ECDHE, 48};
static const tg_hs_ctx ctx13_any = {TG_VERSION_TLS13, TG_KX_ECDHE, 0};
static const tg_hs_ctx ctx12 = {TG_VERSION_TLS12, TG_KX_ECDHE, 0};

/* ---- Finished ---------------------------------------------------------------------------- */

static tg_status finished(const tg_hs_ctx *ctx, const uint8_t *p, size_t len, tg_err *err) {
  tg_reader r;
  tg_finished m;
  tg_reader_init(&r, p, len, err);
  return tg_finished_decode(&r, ctx, &m);
}
static tg_status dec_fin32(const uint8_t *p, size_t len, tg_err *err) {
  return finished(&ctx13_sha256, p, len, err);
}
static tg_status dec_fin12(const uint8_t *p, size_t len, tg_err *err) {
  return finished(&ctx12, p, len, err);
}

Test(hs_finished, rfc8448_server_finished) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/server_finished", TG_HS_finished);
  tt_buf want = tt_rfc8448("sec3-simple-1rtt/server_finished_verify_data");
  const tg_hs_ctx *ctxs[] = {&ctx13_sha256, &ctx13_any};
  for (size_t i = 0; i < 2; i++) {
    tg_err err = {0};
    tg_reader r;
    tg_finished m;
    tg_reader_init(&r, body.p, body.len, &err);
    cr_assert_eq(tg_finished_decode(&r, ctxs[i], &m), TG_OK, "%s", err.what);
    cr_expect(tg_bytes_eq(m.verify_data, tt_view(want)));
    tg_writer w;
    tg_writer_init_dynamic(&w, &err);
    tg_finished_encode(&w, ctxs[i], &m);
    cr_expect(tg_bytes_eq(tg_writer_bytes(&w), tt_view(body)));
    tg_writer_free(&w);
  }
  tt_free(&want);
  tt_free(&body);
}

Test(hs_finished, rfc8448_client_finished) {
  tt_buf body = tt_rfc8448_body("sec6-client-auth/client_finished", TG_HS_finished);
  tg_err err = {0};
  cr_expect_eq(dec_fin32(body.p, body.len, &err), TG_OK, "%s", err.what);
  tt_free(&body);
}

/* verify_data has no length prefix: the body length is the field, so each row is a length. */
Test(hs_finished, lengths_by_context) {
  static const struct {
    const char *name;
    const tg_hs_ctx *ctx;
    size_t len;
    bool ok;
  } table[] = {
      {"1.3 sha256 32", &ctx13_sha256, 32, true},
      {"1.3 sha256 31", &ctx13_sha256, 31, false},
      {"1.3 sha256 33", &ctx13_sha256, 33, false},
      {"1.3 sha256 48", &ctx13_sha256, 48, false},
      {"1.3 sha256 0", &ctx13_sha256, 0, false},
      {"1.3 sha384 48", &ctx13_sha384, 48, true},
      {"1.3 sha384 32", &ctx13_sha384, 32, false},
      {"1.3 any 32", &ctx13_any, 32, true},
      {"1.3 any 48", &ctx13_any, 48, true},
      {"1.3 any 12", &ctx13_any, 12, false},
      {"1.3 any 40", &ctx13_any, 40, false},
      {"1.2 12", &ctx12, 12, true},
      {"1.2 11", &ctx12, 11, false},
      {"1.2 13", &ctx12, 13, false},
      {"1.2 32", &ctx12, 32, false},
  };
  static uint8_t data[64];
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    tt_buf in = tt_copy(data, table[i].len);
    tg_err err = {0};
    tg_status st = finished(table[i].ctx, in.p, in.len, &err);
    if (table[i].ok)
      cr_expect_eq(st, TG_OK, "%s: %s", table[i].name, err.what);
    else
      tt_expect_err(table[i].name, st, &err, TG_ALERT_decode_error, TG_E_LENGTH,
                    "Finished.verify_data");
    tt_free(&in);
  }
}

Test(hs_finished, truncations) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/server_finished", TG_HS_finished);
  tt_run_truncations(tt_view(body), dec_fin32, "Finished.verify_data", NULL, 0);
  static const uint8_t v12[12] = {1};
  tt_run_truncations(tg_bytes_of(v12, sizeof v12), dec_fin12, "Finished.verify_data", NULL, 0);
  tt_free(&body);
}

Test(hs_finished, round_trip_and_describe) {
  static const uint8_t v[48] = {0xaa, 0xbb};
  tg_finished m = {tg_bytes_of(v, sizeof v)}, back;
  tg_writer w;
  tg_err err = {0};
  tg_writer_init_dynamic(&w, &err);
  tg_finished_encode(&w, &ctx13_sha384, &m);
  tg_reader r;
  tg_reader_init(&r, w.buf, w.len, &err);
  cr_assert_eq(tg_finished_decode(&r, &ctx13_sha384, &back), TG_OK, "%s", err.what);
  cr_expect(tg_bytes_eq(back.verify_data, m.verify_data));
  static tt_dump t;
  tt_dump_init(&t);
  tg_finished_describe(&t.d, &ctx13_sha384, &back);
  cr_expect(strncmp(t.text, "verify_data=aabb0000", 20) == 0, "%s", t.text);
  tg_writer_free(&w);
}

/* ---- KeyUpdate --------------------------------------------------------------------------- */

TT_DECODER(dec_ku, key_update, &ctx13_sha256)

Test(hs_key_update, request_update_values) {
  /* RFC 8446 §4.6.3: 0 and 1 are defined; "any other value" is illegal_parameter. */
  for (unsigned v = 0; v < 256; v++) {
    uint8_t b = (uint8_t)v;
    tg_err err = {0};
    tg_reader r;
    tg_key_update m;
    tg_reader_init(&r, &b, 1, &err);
    tg_status st = tg_key_update_decode(&r, &ctx13_sha256, &m);
    if (v <= 1) {
      cr_expect_eq(st, TG_OK, "%u: %s", v, err.what);
      cr_expect_eq(m.request_update, v);
      tg_writer w;
      tg_writer_init_dynamic(&w, &err);
      tg_key_update_encode(&w, &ctx13_sha256, &m);
      cr_expect(tg_bytes_eq(tg_writer_bytes(&w), tg_bytes_of(&b, 1)));
      tg_writer_free(&w);
    } else {
      tt_expect_err("request_update", st, &err, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
                    "KeyUpdate.request_update");
    }
  }
}

Test(hs_key_update, malformed_length) {
  static const uint8_t two[] = {0x01, 0x00};
  tg_err err = {0};
  tt_expect_err("empty", dec_ku(two, 0, &err), &err, TG_ALERT_decode_error, TG_E_TRUNCATED,
                "KeyUpdate.request_update");
  tt_buf in = tt_copy(two, sizeof two);
  tg_err_clear(&err);
  tt_expect_err("two bytes", dec_ku(in.p, in.len, &err), &err, TG_ALERT_decode_error, TG_E_TRAILING,
                "KeyUpdate has 1");
  tt_free(&in);
}

Test(hs_key_update, describe) {
  tg_key_update m = {TG_KEY_UPDATE_update_requested};
  static tt_dump t;
  tt_dump_init(&t);
  tg_key_update_describe(&t.d, &ctx13_sha256, &m);
  cr_expect_str_eq(t.text, "request_update=1(update_requested) ");
}

/* ---- EndOfEarlyData and ServerHelloDone ---------------------------------------------------- */

TT_DECODER(dec_eoed, end_of_early_data, &ctx13_sha256)
TT_DECODER(dec_shd, server_hello_done, &ctx12)

Test(hs_end_of_early_data, rfc8448_empty_body) {
  tt_buf body = tt_rfc8448_body("sec4-resumed-0rtt/end_of_early_data", TG_HS_end_of_early_data);
  cr_assert_eq(body.len, 0);
  tg_err err = {0};
  cr_expect_eq(dec_eoed(body.p, body.len, &err), TG_OK, "%s", err.what);
  tg_end_of_early_data m = {0};
  tg_writer w;
  tg_writer_init_dynamic(&w, &err);
  tg_end_of_early_data_encode(&w, &ctx13_sha256, &m);
  cr_expect_eq(w.len, 0);
  cr_expect_eq(tg_writer_status(&w), TG_OK);
  tg_writer_free(&w);
  tt_free(&body);
}

Test(hs_end_of_early_data, any_byte_is_decode_error) {
  static const uint8_t bodies[][3] = {{0x00}, {0xff, 0x00}, {0, 0, 0}};
  static const size_t lens[] = {1, 2, 3};
  for (size_t i = 0; i < 3; i++) {
    tt_buf in = tt_copy(bodies[i], lens[i]);
    tg_err err = {0};
    tt_expect_err("EndOfEarlyData", dec_eoed(in.p, in.len, &err), &err, TG_ALERT_decode_error,
                  TG_E_TRAILING, "EndOfEarlyData has");
    tg_err_clear(&err);
    tt_expect_err("ServerHelloDone", dec_shd(in.p, in.len, &err), &err, TG_ALERT_decode_error,
                  TG_E_TRAILING, "ServerHelloDone has");
    tt_free(&in);
  }
}

Test(hs_server_hello_done, empty_body) {
  tg_err err = {0};
  tt_buf in = tt_copy(NULL, 0);
  cr_expect_eq(dec_shd(in.p, 0, &err), TG_OK, "%s", err.what);
  tg_server_hello_done m = {0};
  tg_writer w;
  tg_writer_init_dynamic(&w, &err);
  tg_server_hello_done_encode(&w, &ctx12, &m);
  cr_expect_eq(w.len, 0);
  tg_writer_free(&w);
  tt_free(&in);
}

/* ---- message_hash ------------------------------------------------------------------------ */

Test(hs_message_hash, lengths_by_context) {
  static const struct {
    const tg_hs_ctx *ctx;
    size_t len;
    bool ok;
  } table[] = {
      {&ctx13_sha256, 32, true},  {&ctx13_sha256, 31, false}, {&ctx13_sha256, 33, false},
      {&ctx13_sha256, 48, false}, {&ctx13_sha384, 48, true},  {&ctx13_sha384, 47, false},
      {&ctx13_any, 32, true},     {&ctx13_any, 48, true},     {&ctx13_any, 0, false},
      {&ctx13_any, 64, false},
  };
  static uint8_t hash[64] = {0x5a};
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    tt_buf in = tt_copy(hash, table[i].len);
    tg_err err = {0};
    tg_reader r;
    tg_message_hash m;
    tg_reader_init(&r, in.p, in.len, &err);
    tg_status st = tg_message_hash_decode(&r, table[i].ctx, &m);
    if (table[i].ok) {
      cr_expect_eq(st, TG_OK, "row %zu: %s", i, err.what);
      cr_expect(tg_bytes_eq(m.hash, tt_view(in)));
      tg_writer w;
      tg_writer_init_dynamic(&w, &err);
      tg_message_hash_encode(&w, table[i].ctx, &m);
      cr_expect(tg_bytes_eq(tg_writer_bytes(&w), tt_view(in)));
      tg_writer_free(&w);
    } else {
      char name[32];
      snprintf(name, sizeof name, "row %zu", i);
      tt_expect_err(name, st, &err, TG_ALERT_decode_error, TG_E_LENGTH, "message_hash");
    }
    tt_free(&in);
  }
}

Test(hs_message_hash, describe) {
  static const uint8_t h[32] = {0x01, 0x02};
  tg_message_hash m = {tg_bytes_of(h, sizeof h)};
  static tt_dump t;
  tt_dump_init(&t);
  tg_message_hash_describe(&t.d, &ctx13_sha256, &m);
  cr_expect(strncmp(t.text, "hash=0102", 9) == 0, "%s", t.text);
}
