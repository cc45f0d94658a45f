/* The Handshake dispatcher, and every handshake message of the RFC 8448 traces: each decodes
 * through tg_handshake_decode, its fields hold the RFC's values, and it re-encodes byte for byte.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/extensions.h"
#include "tg/handshake.h"

static const tg_hs_ctx ctx13 = {TG_VERSION_TLS13, TG_KX_ECDHE, 32};

/* Decodes the whole vector file as one Handshake, checks its type and the exact re-encoding.
 * The message keeps views into *held, which the caller frees. */
static tg_handshake decode_vector(const char *rel, uint8_t msg_type, tt_buf *held) {
  tg_handshake m;
  tg_reader r;
  tg_err err = {0};
  tg_writer w;
  *held = tt_rfc8448(rel);
  tg_reader_init(&r, held->p, held->len, &err);
  cr_assert_eq(tg_handshake_decode(&r, &ctx13, &m), TG_OK, "%s: %s", rel, err.what);
  cr_assert_eq(tg_left(&r), 0, "%s", rel);
  cr_assert_eq(m.msg_type, msg_type, "%s", rel);
  tg_writer_init_dynamic(&w, &err);
  tg_handshake_encode(&w, &ctx13, &m);
  cr_assert_eq(tg_writer_status(&w), TG_OK, "%s: %s", rel, err.what);
  cr_expect(tg_bytes_eq(tg_writer_bytes(&w), tt_view(*held)), "%s does not re-encode", rel);
  tg_writer_free(&w);
  return m;
}

static void expect_vector_eq(tg_bytes got, const char *rel) {
  tt_buf want = tt_rfc8448(rel);
  cr_expect(tg_bytes_eq(got, tt_view(want)), "%s differs", rel);
  tt_free(&want);
}

/* The key_exchange of the first KeyShareEntry of a ClientHello key_share body. */
static tg_bytes first_client_share(tg_bytes ks, uint16_t *group) {
  cr_assert_geq(ks.len, 6);
  *group = (uint16_t)tt_get_be(ks.p + 2, 2);
  size_t len = tt_get_be(ks.p + 4, 2);
  cr_assert_leq(6 + len, ks.len);
  return tg_bytes_of(ks.p + 6, len);
}

Test(rfc8448, sec3_client_hello) {
  tt_buf b;
  tg_handshake m = decode_vector("sec3-simple-1rtt/client_hello", TG_HS_client_hello, &b);
  const tg_client_hello *ch = &m.u.client_hello;
  tg_bytes sni, ks;
  uint16_t group;
  cr_assert_eq(tg_u16s_count(ch->cipher_suites), 3);
  cr_expect_eq(tg_u16s_get(ch->cipher_suites, 0), 0x1301);
  cr_expect_eq(tg_u16s_get(ch->cipher_suites, 1), 0x1303);
  cr_expect_eq(tg_u16s_get(ch->cipher_suites, 2), 0x1302);
  /* ServerNameList { NameType host_name(0), HostName "server" } */
  cr_assert(tg_ext_find(ch->extensions, TG_EXT_server_name, &sni));
  cr_assert_eq(sni.len, 11);
  cr_expect_eq(sni.p[2], 0);
  cr_expect_eq(memcmp(sni.p + 5, "server", 6), 0);
  cr_assert(tg_ext_find(ch->extensions, TG_EXT_key_share, &ks));
  expect_vector_eq(first_client_share(ks, &group), "sec3-simple-1rtt/client_x25519_public");
  cr_expect_eq(group, TG_GROUP_x25519);
  cr_expect(tg_client_hello_offers_tls13(ch));
  tt_free(&b);
}

Test(rfc8448, sec3_server_hello) {
  tt_buf b;
  tg_handshake m = decode_vector("sec3-simple-1rtt/server_hello", TG_HS_server_hello, &b);
  const tg_server_hello *sh = &m.u.server_hello;
  tg_bytes ks;
  cr_expect_not(sh->is_hrr);
  cr_expect_eq(sh->cipher_suite, 0x1301);
  cr_expect_eq(tg_server_hello_selected_version(sh), TG_VERSION_TLS13);
  cr_assert(tg_ext_find(sh->extensions, TG_EXT_key_share, &ks));
  cr_assert_eq(ks.len, 36);
  cr_expect_eq(tt_get_be(ks.p, 2), TG_GROUP_x25519);
  expect_vector_eq(tg_bytes_of(ks.p + 4, 32), "sec3-simple-1rtt/server_x25519_public");
  tt_free(&b);
}

Test(rfc8448, sec3_encrypted_extensions) {
  tt_buf b;
  tg_handshake m =
      decode_vector("sec3-simple-1rtt/encrypted_extensions", TG_HS_encrypted_extensions, &b);
  tg_bytes data;
  cr_expect(tg_ext_find(m.u.encrypted_extensions.extensions, TG_EXT_supported_groups, &data));
  cr_expect(tg_ext_find(m.u.encrypted_extensions.extensions, TG_EXT_server_name, &data));
  cr_expect_eq(data.len, 0);
  tt_free(&b);
}

Test(rfc8448, sec3_certificate) {
  tt_buf b;
  tg_handshake m = decode_vector("sec3-simple-1rtt/certificate", TG_HS_certificate, &b);
  tg_certificate_iter it;
  tg_certificate_entry e;
  cr_expect_eq(m.u.certificate.certificate_request_context.len, 0);
  tg_certificate_iter_init(&it, m.u.certificate.certificate_list, TG_VERSION_TLS13);
  cr_assert(tg_certificate_next(&it, &e));
  cr_expect_eq(e.cert_data.len, 0x1b0);
  cr_expect_eq(e.cert_data.p[0], 0x30, "a DER SEQUENCE");
  cr_expect_eq(e.extensions.len, 0);
  cr_expect_not(tg_certificate_next(&it, &e), "one certificate");
  tt_free(&b);
}

Test(rfc8448, sec3_certificate_verify) {
  tt_buf b;
  tg_handshake m =
      decode_vector("sec3-simple-1rtt/certificate_verify", TG_HS_certificate_verify, &b);
  cr_expect_eq(m.u.certificate_verify.algorithm, 0x0804, "rsa_pss_rsae_sha256");
  cr_expect_eq(m.u.certificate_verify.signature.len, 128);
  tt_free(&b);
}

Test(rfc8448, sec3_finished) {
  tt_buf b;
  tg_handshake m = decode_vector("sec3-simple-1rtt/server_finished", TG_HS_finished, &b);
  expect_vector_eq(m.u.finished.verify_data, "sec3-simple-1rtt/server_finished_verify_data");
  tt_free(&b);
  m = decode_vector("sec3-simple-1rtt/client_finished", TG_HS_finished, &b);
  expect_vector_eq(m.u.finished.verify_data, "sec3-simple-1rtt/client_finished_verify_data");
  tt_free(&b);
}

Test(rfc8448, sec3_new_session_ticket) {
  tt_buf b;
  tg_handshake m =
      decode_vector("sec3-simple-1rtt/new_session_ticket", TG_HS_new_session_ticket, &b);
  const tg_new_session_ticket *t = &m.u.new_session_ticket;
  tg_bytes ed;
  cr_expect_eq(t->ticket_lifetime, 30);
  cr_expect_eq(t->ticket_age_add, 0xfad6aac5);
  cr_expect_eq(t->ticket_nonce.len, 2);
  cr_expect_eq(t->ticket.len, 0xb2);
  cr_assert(tg_ext_find(t->extensions, TG_EXT_early_data, &ed));
  cr_assert_eq(ed.len, 4);
  cr_expect_eq(tt_get_be(ed.p, 4), 0x400, "max_early_data_size");
  tt_free(&b);
}

/* The server's encrypted flight, read as a stream of Handshake messages. */
Test(rfc8448, sec3_server_flight_as_a_stream) {
  static const uint8_t want[] = {TG_HS_encrypted_extensions, TG_HS_certificate,
                                 TG_HS_certificate_verify, TG_HS_finished};
  tt_buf flight = tt_rfc8448("sec3-simple-1rtt/server_handshake_record_payload");
  tg_reader r;
  tg_err err = {0};
  tg_handshake m;
  tg_reader_init(&r, flight.p, flight.len, &err);
  for (size_t i = 0; i < sizeof want; i++) {
    cr_assert_eq(tg_handshake_decode(&r, &ctx13, &m), TG_OK, "message %zu: %s", i, err.what);
    cr_expect_eq(m.msg_type, want[i]);
  }
  cr_expect_eq(tg_left(&r), 0);
  tt_free(&flight);
}

Test(rfc8448, sec4_resumption_hello_and_end_of_early_data) {
  tt_buf b, prefix = tt_rfc8448("sec4-resumed-0rtt/client_hello_prefix");
  tg_handshake m = decode_vector("sec4-resumed-0rtt/client_hello", TG_HS_client_hello, &b);
  tg_ext_iter it;
  uint16_t type, last = 0;
  tg_bytes data, psk;
  tg_ext_iter_init(&it, m.u.client_hello.extensions);
  while (tg_ext_next(&it, &type, &data))
    last = type;
  cr_expect_eq(last, TG_EXT_pre_shared_key, "pre_shared_key is last");
  cr_assert(tg_ext_find(m.u.client_hello.extensions, TG_EXT_pre_shared_key, &psk));
  /* The binders (00 21 20 || binder) close the message that the prefix begins. */
  cr_expect_eq(memcmp(b.p, prefix.p, prefix.len), 0);
  cr_expect_eq(psk.p + psk.len, b.p + b.len);
  expect_vector_eq(tg_bytes_of(b.p + b.len - 32, 32), "sec4-resumed-0rtt/binder");
  tt_free(&b);
  tt_free(&prefix);
  decode_vector("sec4-resumed-0rtt/end_of_early_data", TG_HS_end_of_early_data, &b);
  tt_free(&b);
  decode_vector("sec4-resumed-0rtt/server_hello", TG_HS_server_hello, &b);
  tt_free(&b);
  decode_vector("sec4-resumed-0rtt/encrypted_extensions", TG_HS_encrypted_extensions, &b);
  tt_free(&b);
}

Test(rfc8448, sec5_hello_retry_request) {
  tt_buf hrr_b, ch1_b, ch2_b, sh_b;
  tg_handshake hrr = decode_vector("sec5-hrr/hello_retry_request", TG_HS_server_hello, &hrr_b);
  tg_handshake ch1 = decode_vector("sec5-hrr/client_hello_1", TG_HS_client_hello, &ch1_b);
  tg_handshake ch2 = decode_vector("sec5-hrr/client_hello_2", TG_HS_client_hello, &ch2_b);
  tg_handshake sh = decode_vector("sec5-hrr/server_hello", TG_HS_server_hello, &sh_b);
  tg_bytes ks, cookie_hrr, cookie_ch2;
  uint16_t group;
  cr_expect(hrr.u.server_hello.is_hrr);
  cr_expect_not(sh.u.server_hello.is_hrr);
  cr_assert(tg_ext_find(hrr.u.server_hello.extensions, TG_EXT_key_share, &ks));
  cr_expect_eq(tt_get_be(ks.p, 2), TG_GROUP_secp256r1);
  /* ClientHello2 echoes the cookie and keeps the random (RFC 8446 §4.1.2). */
  cr_assert(tg_ext_find(hrr.u.server_hello.extensions, TG_EXT_cookie, &cookie_hrr));
  cr_assert(tg_ext_find(ch2.u.client_hello.extensions, TG_EXT_cookie, &cookie_ch2));
  cr_expect(tg_bytes_eq(cookie_hrr, cookie_ch2));
  cr_expect_eq(memcmp(ch1.u.client_hello.random, ch2.u.client_hello.random, 32), 0);
  cr_assert(tg_ext_find(ch1.u.client_hello.extensions, TG_EXT_key_share, &ks));
  expect_vector_eq(first_client_share(ks, &group), "sec5-hrr/client_x25519_public");
  cr_assert(tg_ext_find(ch2.u.client_hello.extensions, TG_EXT_key_share, &ks));
  expect_vector_eq(first_client_share(ks, &group), "sec5-hrr/client_p256_public");
  cr_expect_eq(group, TG_GROUP_secp256r1);
  tt_free(&hrr_b);
  tt_free(&ch1_b);
  tt_free(&ch2_b);
  tt_free(&sh_b);
}

Test(rfc8448, sec6_client_authentication) {
  tt_buf b;
  tg_handshake m =
      decode_vector("sec6-client-auth/certificate_request", TG_HS_certificate_request, &b);
  tg_bytes sa;
  cr_expect_eq(m.u.certificate_request.certificate_request_context.len, 0);
  cr_assert(tg_ext_find(m.u.certificate_request.extensions, TG_EXT_signature_algorithms, &sa));
  cr_expect_eq(sa.len, 0x20);
  tt_free(&b);
  m = decode_vector("sec6-client-auth/client_certificate", TG_HS_certificate, &b);
  tg_certificate_iter it;
  tg_certificate_entry e;
  tg_certificate_iter_init(&it, m.u.certificate.certificate_list, TG_VERSION_TLS13);
  cr_assert(tg_certificate_next(&it, &e));
  cr_expect_eq(e.cert_data.len, 0x1b6);
  tt_free(&b);
  m = decode_vector("sec6-client-auth/certificate_verify", TG_HS_certificate_verify, &b);
  cr_expect_eq(m.u.certificate_verify.algorithm, 0x0403, "ecdsa_secp256r1_sha256");
  tt_free(&b);
  m = decode_vector("sec6-client-auth/client_certificate_verify", TG_HS_certificate_verify, &b);
  cr_expect_eq(m.u.certificate_verify.algorithm, 0x0804, "rsa_pss_rsae_sha256");
  tt_free(&b);
  decode_vector("sec6-client-auth/certificate", TG_HS_certificate, &b);
  tt_free(&b);
  decode_vector("sec6-client-auth/client_finished", TG_HS_finished, &b);
  tt_free(&b);
}

Test(rfc8448, sec7_compat_mode_session_id_is_echoed) {
  tt_buf chb, shb;
  tg_handshake ch = decode_vector("sec7-compat-mode/client_hello", TG_HS_client_hello, &chb);
  tg_handshake sh = decode_vector("sec7-compat-mode/server_hello", TG_HS_server_hello, &shb);
  cr_expect_eq(ch.u.client_hello.legacy_session_id.len, 32);
  cr_expect(
      tg_bytes_eq(ch.u.client_hello.legacy_session_id, sh.u.server_hello.legacy_session_id_echo));
  tt_free(&chb);
  tt_free(&shb);
  decode_vector("sec7-compat-mode/certificate", TG_HS_certificate, &chb);
  tt_free(&chb);
}

/* ---- the dispatcher itself --------------------------------------------------------------------
 */

TT_DECODER(decode_hs, handshake, &ctx13)

Test(handshake, unknown_msg_type_is_unexpected_message) {
  static const uint8_t types[] = {0, 3, 6, 21, 22, 23, 25, 253, 255};
  for (size_t i = 0; i < sizeof types; i++) {
    const uint8_t in[] = {types[i], 0, 0, 0};
    tg_err err = {0};
    tg_status st = decode_hs(in, sizeof in, &err);
    tt_expect_err("unknown msg_type", st, &err, TG_ALERT_unexpected_message, TG_E_UNKNOWN_TYPE,
                  "Handshake.msg_type");
  }
}

/* The §3 ClientHello with its Handshake header: length at 1 (0xc0). */
static const tt_row header_rows[] = {
    {"length +1", 1, 3, TT_ADD, 1, TG_ALERT_decode_error, TG_E_TRUNCATED, "Handshake.length"},
    {"length -1", 1, 3, TT_ADD, -1, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ClientHello.extensions"},
    {"length 0", 1, 3, TT_SET, 0, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "ClientHello.legacy_version"},
    {"length max", 1, 3, TT_SET, 0xffffff, TG_ALERT_decode_error, TG_E_TRUNCATED,
     "Handshake.length"},
    {"msg_type server_hello", 0, 1, TT_SET, TG_HS_server_hello, TG_ALERT_decode_error,
     TG_E_TRUNCATED, "ServerHello."},
};

Test(handshake, malformed_header) {
  tt_buf in = tt_rfc8448("sec3-simple-1rtt/client_hello");
  tt_run_rows(tt_view(in), header_rows, sizeof header_rows / sizeof header_rows[0], decode_hs);
  tt_run_truncations(tt_view(in), decode_hs, "Handshake.", NULL, 0);
  tt_free(&in);
}

/* A body longer than its message (a Finished of 33 bytes under a 32-byte hash) is rejected by
 * the message, never silently accepted by the dispatcher. */
Test(handshake, body_must_be_consumed) {
  uint8_t in[4 + 33] = {TG_HS_finished, 0, 0, 33};
  tg_err err = {0};
  tg_status st = decode_hs(in, sizeof in, &err);
  cr_expect_neq(st, TG_OK);
  cr_expect_eq(err.alert, TG_ALERT_decode_error, "%s", err.what);
}

Test(handshake, encode_of_unknown_type_fails) {
  tg_handshake m = {0};
  tg_writer w;
  tg_err err = {0};
  uint8_t buf[16];
  m.msg_type = TG_HS_hello_request;
  tg_writer_init(&w, buf, sizeof buf, &err);
  tg_handshake_encode(&w, &ctx13, &m);
  cr_expect_eq(tg_writer_status(&w), TG_E_USAGE);
  cr_expect_eq(w.len, 0);
}

Test(handshake, describe_has_type_length_and_fields) {
  tt_buf b;
  tg_handshake m = decode_vector("sec3-simple-1rtt/client_hello", TG_HS_client_hello, &b);
  tt_dump t;
  tt_dump_init(&t);
  tg_handshake_describe(&t.d, &ctx13, &m);
  cr_expect(strncmp(t.text, "={msg_type=1(client_hello) length=192 legacy_version=771", 56) == 0,
            "%s", t.text);
  cr_expect(strstr(t.text, "TLS_AES_128_GCM_SHA256") != NULL, "%s", t.text);
  tt_free(&b);
}

/* Every message type the dispatcher knows survives describe on its RFC 8448 example. */
Test(handshake, describe_every_rfc8448_message) {
  static const char *const files[] = {
      "sec3-simple-1rtt/client_hello",         "sec3-simple-1rtt/server_hello",
      "sec3-simple-1rtt/encrypted_extensions", "sec3-simple-1rtt/certificate",
      "sec3-simple-1rtt/certificate_verify",   "sec3-simple-1rtt/server_finished",
      "sec3-simple-1rtt/new_session_ticket",   "sec4-resumed-0rtt/end_of_early_data",
      "sec5-hrr/hello_retry_request",          "sec6-client-auth/certificate_request",
  };
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    tt_buf b = tt_rfc8448(files[i]);
    tg_reader r;
    tg_err err = {0};
    tg_handshake m;
    tt_dump t;
    char want[64];
    tg_reader_init(&r, b.p, b.len, &err);
    cr_assert_eq(tg_handshake_decode(&r, &ctx13, &m), TG_OK, "%s: %s", files[i], err.what);
    tt_dump_init(&t);
    tg_handshake_describe(&t.d, &ctx13, &m);
    snprintf(want, sizeof want, "length=%zu ", b.len - 4);
    cr_expect(strstr(t.text, want) != NULL, "%s: %s", files[i], t.text);
    tt_free(&b);
  }
}
