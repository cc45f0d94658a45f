/* NewSessionTicket (RFC 8446 §4.6.1; TLS 1.2: RFC 5077 §3.3). */
#include <criterion/criterion.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/extensions.h"
#include "tg/handshake.h"

static const tg_hs_ctx ctx13 = {TG_VERSION_TLS13, TG_KX_ECDHE, 32};
static const tg_hs_ctx ctx12 = {TG_VERSION_TLS12, TG_KX_ECDHE, 0};

TT_DECODER(dec13, new_session_ticket, &ctx13)
TT_DECODER(dec12, new_session_ticket, &ctx12)

static tt_buf encode(const tg_hs_ctx *ctx, const tg_new_session_ticket *m) {
  tg_writer w;
  tg_err err = {0};
  tg_writer_init_dynamic(&w, &err);
  tg_new_session_ticket_encode(&w, ctx, m);
  cr_assert_eq(tg_writer_status(&w), TG_OK, "%s", err.what);
  tt_buf out = tt_copy(w.buf, w.len);
  tg_writer_free(&w);
  return out;
}

static bool contains(tg_bytes hay, tg_bytes needle) {
  for (size_t i = 0; needle.len <= hay.len && i <= hay.len - needle.len; i++)
    if (memcmp(hay.p + i, needle.p, needle.len) == 0)
      return true;
  return false;
}

/* ---- TLS 1.3 ----------------------------------------------------------------------------- */

Test(hs_new_session_ticket, rfc8448_tls13) {
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/new_session_ticket", TG_HS_new_session_ticket);
  tg_err err = {0};
  tg_reader r;
  tg_new_session_ticket m;
  tg_reader_init(&r, body.p, body.len, &err);
  cr_assert_eq(tg_new_session_ticket_decode(&r, &ctx13, &m), TG_OK, "%s", err.what);
  cr_expect_eq(m.ticket_lifetime, 30);
  cr_expect_eq(m.ticket_age_add, 0xfad6aac5);
  cr_expect_eq(m.ticket_nonce.len, 2);
  cr_expect_eq(m.ticket.len, 178);
  /* The ticket is what the §4 client presents as its PSK identity. */
  tt_buf ch = tt_rfc8448("sec4-resumed-0rtt/client_hello");
  cr_expect(contains(tt_view(ch), m.ticket), "ticket not found in the resumed ClientHello");
  tt_free(&ch);
  /* extensions: early_data carrying max_early_data_size 0x400 */
  tg_bytes early;
  cr_assert(tg_ext_find(m.extensions, TG_EXT_early_data, &early));
  cr_expect_eq(early.len, 4);
  cr_expect_eq(tt_get_be(early.p, 4), 0x400);
  tt_buf again = encode(&ctx13, &m);
  cr_expect(tg_bytes_eq(tt_view(again), tt_view(body)), "re-encoding differs");
  tt_free(&again);
  static tt_dump t;
  tt_dump_init(&t);
  tg_new_session_ticket_describe(&t.d, &ctx13, &m);
  cr_expect(strstr(t.text, "ticket_lifetime=30 ") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "ticket_nonce=0000 ") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "extension_type=42(early_data)") != NULL, "%s", t.text);
  tt_free(&body);
}

/* Offsets in the RFC 8448 §3 body: ticket_nonce length @8 (2), ticket length @11 (178),
 * extensions length @191 (8), early_data's extension_data length @195 (4). */
Test(hs_new_session_ticket, tls13_malformed_lengths) {
  static const tt_row rows[] = {
      /* the nonce takes the first byte of the ticket length: 0xb2xx exceeds the rest */
      {"nonce +1", 8, 1, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "NewSessionTicket.ticket "},
      /* the nonce leaves 00 00 as the ticket length, below ticket<1..> */
      {"nonce -1", 8, 1, TT_ADD, -1, TG_ALERT_decode_error, TG_E_LENGTH,
       "NewSessionTicket.ticket "},
      {"nonce 0", 8, 1, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH, "NewSessionTicket.ticket "},
      {"nonce max", 8, 1, TT_SET, 0xff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "NewSessionTicket.ticket_nonce"},
      /* the ticket takes the 0x00 of the extensions length: 0x0800 then exceeds the rest */
      {"ticket +1", 11, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "NewSessionTicket.extensions"},
      /* the ticket leaves its last byte (0x57) and 0x00 as the extensions length */
      {"ticket -1", 11, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "NewSessionTicket.extensions"},
      {"ticket 0", 11, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_LENGTH,
       "NewSessionTicket.ticket "},
      {"ticket max", 11, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "NewSessionTicket.ticket "},
      {"extensions +1", 191, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "NewSessionTicket.extensions"},
      {"extensions -1", 191, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING,
       "NewSessionTicket has 1"},
      {"extensions 0", 191, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING,
       "NewSessionTicket has 8"},
      /* extensions<0..2^16-2> */
      {"extensions max", 191, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_LENGTH,
       "NewSessionTicket.extensions"},
      {"extensions 2^16-2", 191, 2, TT_SET, 0xfffe, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "NewSessionTicket.extensions"},
      {"extension_data +1", 195, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Extension.extension_data"},
      {"extension_data max", 195, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "Extension.extension_data"},
  };
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/new_session_ticket", TG_HS_new_session_ticket);
  cr_assert_eq(tt_get_be(body.p + 11, 2), 178);
  cr_assert_eq(tt_get_be(body.p + 191, 2), 8);
  tt_run_rows(tt_view(body), rows, sizeof rows / sizeof rows[0], dec13);
  tt_run_truncations(tt_view(body), dec13, "NewSessionTicket", NULL, 0);
  tt_free(&body);
}

Test(hs_new_session_ticket, tls13_lifetime_limit) {
  /* RFC 8446 §4.6.1: "Servers MUST NOT use any value greater than 604800 seconds". */
  static const struct {
    uint32_t lifetime;
    tg_status want;
  } table[] = {{0, TG_OK}, {604800, TG_OK}, {604801, TG_E_BAD_VALUE}, {0xffffffff, TG_E_BAD_VALUE}};
  tt_buf body = tt_rfc8448_body("sec3-simple-1rtt/new_session_ticket", TG_HS_new_session_ticket);
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    tt_put_be(body.p, 4, table[i].lifetime);
    tg_err err = {0};
    tg_status st = dec13(body.p, body.len, &err);
    cr_expect_eq(st, table[i].want, "lifetime %u: %s", table[i].lifetime, err.what);
    if (table[i].want != TG_OK)
      tt_expect_err("lifetime", st, &err, TG_ALERT_illegal_parameter, TG_E_BAD_VALUE,
                    "NewSessionTicket.ticket_lifetime");
  }
  tt_free(&body);
}

Test(hs_new_session_ticket, tls13_duplicate_extension) {
  static const uint8_t ticket[] = {1}, ext[] = {0xfa, 0xfa, 0, 0, 0xfa, 0xfa, 0, 0};
  tg_new_session_ticket m = {0};
  m.ticket = tg_bytes_of(ticket, sizeof ticket);
  m.extensions = tg_bytes_of(ext, sizeof ext);
  tt_buf in = encode(&ctx13, &m);
  tg_err err = {0};
  tt_expect_err("duplicate", dec13(in.p, in.len, &err), &err, TG_ALERT_illegal_parameter,
                TG_E_DUPLICATE, "NewSessionTicket");
  tt_free(&in);
}

Test(hs_new_session_ticket, tls13_round_trip_struct) {
  static const uint8_t nonce[255] = {9}, ticket[300] = {7}, ext[] = {0xfa, 0xfa, 0, 1, 5};
  tg_new_session_ticket m = {0}, back;
  m.ticket_lifetime = 604800;
  m.ticket_age_add = 0x01020304;
  m.ticket_nonce = tg_bytes_of(nonce, sizeof nonce);
  m.ticket = tg_bytes_of(ticket, sizeof ticket);
  m.extensions = tg_bytes_of(ext, sizeof ext);
  tt_buf in = encode(&ctx13, &m);
  tg_err err = {0};
  tg_reader r;
  tg_reader_init(&r, in.p, in.len, &err);
  cr_assert_eq(tg_new_session_ticket_decode(&r, &ctx13, &back), TG_OK, "%s", err.what);
  cr_expect_eq(back.ticket_lifetime, m.ticket_lifetime);
  cr_expect_eq(back.ticket_age_add, m.ticket_age_add);
  cr_expect(tg_bytes_eq(back.ticket_nonce, m.ticket_nonce));
  cr_expect(tg_bytes_eq(back.ticket, m.ticket));
  cr_expect(tg_bytes_eq(back.extensions, m.extensions));
  tt_free(&in);
}

/* ---- TLS 1.2 (RFC 5077) ------------------------------------------------------------------ */

static const char nst12_hex[] = "00001c20"       /* ticket_lifetime_hint 7200 */
                                "0004 deadbeef"; /* ticket */

Test(hs_new_session_ticket, tls12_decode_and_reencode) {
  tt_buf in = tt_from_hex(nst12_hex);
  tg_err err = {0};
  tg_reader r;
  tg_new_session_ticket m;
  tg_reader_init(&r, in.p, in.len, &err);
  cr_assert_eq(tg_new_session_ticket_decode(&r, &ctx12, &m), TG_OK, "%s", err.what);
  cr_expect_eq(m.ticket_lifetime_hint, 7200);
  cr_expect_eq(m.ticket.len, 4);
  cr_expect_eq(m.ticket.p[0], 0xde);
  tt_buf again = encode(&ctx12, &m);
  cr_expect(tg_bytes_eq(tt_view(again), tt_view(in)));
  tt_free(&again);
  tt_free(&in);
}

Test(hs_new_session_ticket, tls12_lifetime_hint_is_not_limited) {
  /* RFC 5077 §3.3 sets no upper bound on the hint; the 604800 rule is TLS 1.3's. */
  static const uint8_t in[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0xaa};
  tg_err err = {0};
  cr_expect_eq(dec12(in, sizeof in, &err), TG_OK, "%s", err.what);
}

Test(hs_new_session_ticket, tls12_empty_ticket_allowed) {
  /* RFC 5077 §3.3: a server that cannot issue a ticket after all sends a zero-length one. */
  static const uint8_t in[] = {0, 0, 0, 0, 0, 0};
  tg_err err = {0};
  cr_expect_eq(dec12(in, sizeof in, &err), TG_OK, "%s", err.what);
}

Test(hs_new_session_ticket, tls12_malformed_lengths) {
  static const tt_row rows[] = {
      {"ticket +1", 4, 2, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "NewSessionTicket.ticket"},
      {"ticket -1", 4, 2, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRAILING,
       "NewSessionTicket has 1"},
      {"ticket 0", 4, 2, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRAILING, "NewSessionTicket has 4"},
      {"ticket max", 4, 2, TT_SET, 0xffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
       "NewSessionTicket.ticket"},
  };
  tt_buf in = tt_from_hex(nst12_hex);
  tt_run_rows(tt_view(in), rows, sizeof rows / sizeof rows[0], dec12);
  tt_run_truncations(tt_view(in), dec12, "NewSessionTicket", NULL, 0);
  tt_free(&in);
}

Test(hs_new_session_ticket, tls12_describe) {
  tt_buf in = tt_from_hex(nst12_hex);
  tg_reader r;
  tg_new_session_ticket m;
  tg_reader_init(&r, in.p, in.len, NULL);
  cr_assert_eq(tg_new_session_ticket_decode(&r, &ctx12, &m), TG_OK);
  static tt_dump t;
  tt_dump_init(&t);
  tg_new_session_ticket_describe(&t.d, &ctx12, &m);
  cr_expect(strstr(t.text, "ticket_lifetime_hint=7200 ticket=deadbeef ") != NULL, "%s", t.text);
  cr_expect(strstr(t.text, "ticket_nonce") == NULL, "no TLS 1.3 fields: %s", t.text);
  tt_free(&in);
}
