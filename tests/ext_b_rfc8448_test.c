/* ext-b extensions on the RFC 8448 traces: each extension block of the example messages passes
 * tg_extensions_check in its message, each of our extensions parses to the values the RFC
 * prints, and emits back byte for byte. Also placement (RFC 8446 §4.2) through the descriptors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/ext/cookie.h"
#include "tg/ext/early_data.h"
#include "tg/ext/key_share.h"
#include "tg/ext/pre_shared_key.h"
#include "tg/ext/psk_key_exchange_modes.h"
#include "tg/ext/renegotiation_info.h"
#include "tg/ext/session_ticket.h"
#include "tg/ext/supported_versions.h"
#include "tg/extensions.h"
#include "tg/names.h"

#define VEC(path) TG_SOURCE_DIR "/vectors/rfc8448/" path

typedef struct msg {
  uint8_t buf[1024];
  size_t len;
  tg_bytes exts;
} msg;

static void load_msg(msg *m, const char *path) {
  m->len = tt_load_hex(path, m->buf, sizeof m->buf);
  m->exts = extensions_of(m->buf, m->len);
}

static tg_bytes body_of(const msg *m, uint16_t type) {
  tg_bytes body;
  cr_assert(tg_ext_find(m->exts, type, &body), "extension %u missing", type);
  return body;
}

/* The writer output of an emit must equal the extension as it sits in the message. */
static tg_writer w;
static uint8_t wbuf[1024];
static void start_emit(void) { tg_writer_init(&w, wbuf, sizeof wbuf, NULL); }
static void assert_emitted(uint16_t type, tg_bytes body) {
  uint8_t want[1024];
  tg_writer ww;
  tg_writer_init(&ww, want, sizeof want, NULL);
  tg_ext_emit_raw(&ww, type, body);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  cr_assert_eq(w.len, ww.len, "extension %u: emitted %zu bytes, want %zu", type, w.len, ww.len);
  cr_assert_arr_eq(wbuf, want, ww.len, "extension %u re-emits differently", type);
}

static tg_bytes file_bytes(const char *path, uint8_t *buf, size_t cap) {
  return tg_bytes_of(buf, tt_load_hex(path, buf, cap));
}

static const tg_ext_where CH13 = {TG_CTX_CH, TG_VERSION_TLS13};
static const tg_ext_where SH13 = {TG_CTX_SH, TG_VERSION_TLS13};
static const tg_ext_where HRR13 = {TG_CTX_HRR, TG_VERSION_TLS13};
static const tg_ext_where EE13 = {TG_CTX_EE, TG_VERSION_TLS13};
static const tg_ext_where NST13 = {TG_CTX_NST, TG_VERSION_TLS13};

Test(ext_b_rfc8448, every_block_passes_in_its_message) {
  static const struct {
    const char *path;
    const tg_ext_where *where;
  } rows[] = {
      {VEC("sec3-simple-1rtt/client_hello.hex"), &CH13},
      {VEC("sec3-simple-1rtt/server_hello.hex"), &SH13},
      {VEC("sec3-simple-1rtt/encrypted_extensions.hex"), &EE13},
      {VEC("sec3-simple-1rtt/new_session_ticket.hex"), &NST13},
      {VEC("sec4-resumed-0rtt/client_hello.hex"), &CH13},
      {VEC("sec4-resumed-0rtt/server_hello.hex"), &SH13},
      {VEC("sec4-resumed-0rtt/encrypted_extensions.hex"), &EE13},
      {VEC("sec5-hrr/hello_retry_request.hex"), &HRR13},
      {VEC("sec5-hrr/client_hello_2.hex"), &CH13},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    msg m;
    tg_err err = {0};
    char buf[300];
    load_msg(&m, rows[i].path);
    cr_assert_eq(tg_extensions_check(m.exts, rows[i].where, &err), TG_OK, "%s: %s", rows[i].path,
                 tg_err_format(&err, buf, sizeof buf));
  }
}

Test(ext_b_rfc8448, sec3_client_hello_key_share) {
  msg m;
  uint8_t pub[64];
  load_msg(&m, VEC("sec3-simple-1rtt/client_hello.hex"));
  tg_bytes x25519 = file_bytes(VEC("sec3-simple-1rtt/client_x25519_public.hex"), pub, sizeof pub);

  tg_key_share_ch ks;
  tg_key_share_entry e;
  tg_bytes body = body_of(&m, TG_EXT_key_share);
  cr_assert_eq(tg_key_share_parse_ch(body, &ks, NULL), TG_OK);
  cr_assert_eq(ks.count, 1);
  cr_assert(tg_key_share_find(&ks, TG_GROUP_x25519, &e));
  cr_assert(tg_bytes_eq(e.key_exchange, x25519));
  cr_assert_not(tg_key_share_find(&ks, TG_GROUP_secp256r1, &e));
  start_emit();
  tg_key_share_emit_ch(&w, &ks);
  assert_emitted(TG_EXT_key_share, body);
}

Test(ext_b_rfc8448, sec3_client_hello_supported_versions) {
  msg m;
  load_msg(&m, VEC("sec3-simple-1rtt/client_hello.hex"));
  tg_supported_versions_ch sv;
  tg_bytes body = body_of(&m, TG_EXT_supported_versions);
  cr_assert_eq(tg_supported_versions_parse_ch(body, &sv, NULL), TG_OK);
  cr_assert_eq(tg_u16s_count(sv.versions), 1);
  cr_assert_eq(tg_u16s_get(sv.versions, 0), TG_VERSION_TLS13);
  start_emit();
  tg_supported_versions_emit_ch(&w, &sv);
  assert_emitted(TG_EXT_supported_versions, body);
}

Test(ext_b_rfc8448, sec3_client_hello_psk_key_exchange_modes) {
  msg m;
  load_msg(&m, VEC("sec3-simple-1rtt/client_hello.hex"));
  tg_psk_key_exchange_modes pm;
  tg_bytes body = body_of(&m, TG_EXT_psk_key_exchange_modes);
  cr_assert_eq(tg_psk_key_exchange_modes_parse(body, &pm, NULL), TG_OK);
  cr_assert_eq(pm.ke_modes.len, 1);
  cr_assert(tg_psk_key_exchange_modes_has(&pm, TG_PSK_DHE_KE));
  cr_assert_not(tg_psk_key_exchange_modes_has(&pm, TG_PSK_KE));
  start_emit();
  tg_psk_key_exchange_modes_emit(&w, &pm);
  assert_emitted(TG_EXT_psk_key_exchange_modes, body);
}

Test(ext_b_rfc8448, sec3_client_hello_renegotiation_info_and_session_ticket) {
  msg m;
  load_msg(&m, VEC("sec3-simple-1rtt/client_hello.hex"));
  tg_renegotiation_info ri;
  tg_bytes body = body_of(&m, TG_EXT_renegotiation_info);
  cr_assert_eq(tg_renegotiation_info_parse(body, &ri, NULL), TG_OK);
  cr_assert_eq(ri.renegotiated_connection.len, 0);
  start_emit();
  tg_renegotiation_info_emit(&w, &ri);
  assert_emitted(TG_EXT_renegotiation_info, body);

  tg_session_ticket st;
  body = body_of(&m, TG_EXT_session_ticket);
  cr_assert_eq(tg_session_ticket_parse_ch(body, &st, NULL), TG_OK);
  cr_assert_eq(st.ticket.len, 0);
  start_emit();
  tg_session_ticket_emit_ch(&w, &st);
  assert_emitted(TG_EXT_session_ticket, body);
}

Test(ext_b_rfc8448, sec3_server_hello) {
  msg m;
  uint8_t pub[64];
  load_msg(&m, VEC("sec3-simple-1rtt/server_hello.hex"));
  tg_bytes x25519 = file_bytes(VEC("sec3-simple-1rtt/server_x25519_public.hex"), pub, sizeof pub);

  tg_key_share_sh ks;
  tg_bytes body = body_of(&m, TG_EXT_key_share);
  cr_assert_eq(tg_key_share_parse_sh(body, &ks, NULL), TG_OK);
  cr_assert_eq(ks.server_share.group, TG_GROUP_x25519);
  cr_assert(tg_bytes_eq(ks.server_share.key_exchange, x25519));
  start_emit();
  tg_key_share_emit_sh(&w, &ks);
  assert_emitted(TG_EXT_key_share, body);

  tg_supported_versions_sh sv;
  body = body_of(&m, TG_EXT_supported_versions);
  cr_assert_eq(tg_supported_versions_parse_sh(body, &sv, NULL), TG_OK);
  cr_assert_eq(sv.selected_version, TG_VERSION_TLS13);
  start_emit();
  tg_supported_versions_emit_sh(&w, &sv);
  assert_emitted(TG_EXT_supported_versions, body);
}

Test(ext_b_rfc8448, sec3_new_session_ticket_early_data) {
  msg m;
  tg_early_data_nst ed;
  load_msg(&m, VEC("sec3-simple-1rtt/new_session_ticket.hex"));
  tg_bytes body = body_of(&m, TG_EXT_early_data);
  cr_assert_eq(tg_early_data_parse_nst(body, &ed, NULL), TG_OK);
  cr_assert_eq(ed.max_early_data_size, 1024); /* RFC 8448 §3: 00 00 04 00 */
  start_emit();
  tg_early_data_emit_nst(&w, &ed);
  assert_emitted(TG_EXT_early_data, body);
}

/* The ticket of a NewSessionTicket, read independently of the extension code. */
static tg_bytes ticket_of(const msg *nst) {
  tg_reader r, v;
  tg_bytes skip;
  tg_reader_init(&r, nst->buf, nst->len, NULL);
  cr_assert_eq(tg_read_bytes(&r, 4 + 8, &skip, "header, lifetime, age_add"), TG_OK);
  cr_assert_eq(tg_read_vec(&r, 1, 0, 255, &v, "ticket_nonce"), TG_OK);
  cr_assert_eq(tg_read_vec(&r, 2, 1, 65535, &v, "ticket"), TG_OK);
  return tg_reader_rest(&v);
}

Test(ext_b_rfc8448, sec4_client_hello_pre_shared_key) {
  msg m, nst;
  uint8_t bbuf[64], prefix[1024];
  load_msg(&m, VEC("sec4-resumed-0rtt/client_hello.hex"));
  load_msg(&nst, VEC("sec3-simple-1rtt/new_session_ticket.hex"));
  tg_bytes binder_want = file_bytes(VEC("sec4-resumed-0rtt/binder.hex"), bbuf, sizeof bbuf);
  size_t prefix_len =
      tt_load_hex(VEC("sec4-resumed-0rtt/client_hello_prefix.hex"), prefix, sizeof prefix);

  tg_pre_shared_key_ch psk;
  tg_psk_iter it;
  tg_psk_identity id;
  tg_bytes binder;
  tg_bytes body = body_of(&m, TG_EXT_pre_shared_key);
  cr_assert_eq(tg_pre_shared_key_parse_ch(body, &psk, NULL), TG_OK);
  cr_assert_eq(psk.count, 1);
  tg_psk_iter_init(&it, &psk);
  cr_assert(tg_psk_next(&it, &id, &binder));
  cr_assert(tg_bytes_eq(id.identity, ticket_of(&nst)), "the identity is the section 3 ticket");
  /* ticket_age_add 0xfad6aac5 plus an age of 6 ms, per RFC 8448 §4. */
  cr_assert_eq(id.obfuscated_ticket_age, 0xfad6aacbu);
  cr_assert(tg_bytes_eq(binder, binder_want));
  cr_assert_not(tg_psk_next(&it, &id, &binder));
  /* The binders cover the ClientHello up to the binders list (RFC 8446 §4.2.11.2). */
  cr_assert_eq(m.len - psk.binders_wire_len, prefix_len);
  cr_assert_arr_eq(m.buf, prefix, prefix_len);
  start_emit();
  tg_pre_shared_key_emit_ch(&w, &psk);
  assert_emitted(TG_EXT_pre_shared_key, body);

  body = body_of(&m, TG_EXT_early_data);
  cr_assert_eq(tg_early_data_parse_empty(body, NULL), TG_OK);
  start_emit();
  tg_early_data_emit_empty(&w);
  assert_emitted(TG_EXT_early_data, body);
}

Test(ext_b_rfc8448, sec4_server_hello_and_encrypted_extensions) {
  msg sh, ee;
  tg_pre_shared_key_sh psk;
  load_msg(&sh, VEC("sec4-resumed-0rtt/server_hello.hex"));
  load_msg(&ee, VEC("sec4-resumed-0rtt/encrypted_extensions.hex"));
  tg_bytes body = body_of(&sh, TG_EXT_pre_shared_key);
  cr_assert_eq(tg_pre_shared_key_parse_sh(body, &psk, NULL), TG_OK);
  cr_assert_eq(psk.selected_identity, 0);
  start_emit();
  tg_pre_shared_key_emit_sh(&w, &psk);
  assert_emitted(TG_EXT_pre_shared_key, body);

  body = body_of(&ee, TG_EXT_early_data);
  cr_assert_eq(tg_early_data_parse_empty(body, NULL), TG_OK);
  start_emit();
  tg_early_data_emit_empty(&w);
  assert_emitted(TG_EXT_early_data, body);
}

Test(ext_b_rfc8448, sec5_hello_retry_request_and_second_client_hello) {
  msg hrr, ch2;
  uint8_t pub[128];
  load_msg(&hrr, VEC("sec5-hrr/hello_retry_request.hex"));
  load_msg(&ch2, VEC("sec5-hrr/client_hello_2.hex"));
  tg_bytes p256 = file_bytes(VEC("sec5-hrr/client_p256_public.hex"), pub, sizeof pub);

  tg_key_share_hrr ks;
  tg_bytes body = body_of(&hrr, TG_EXT_key_share);
  cr_assert_eq(tg_key_share_parse_hrr(body, &ks, NULL), TG_OK);
  cr_assert_eq(ks.selected_group, TG_GROUP_secp256r1);
  start_emit();
  tg_key_share_emit_hrr(&w, &ks);
  assert_emitted(TG_EXT_key_share, body);

  tg_cookie c1, c2;
  body = body_of(&hrr, TG_EXT_cookie);
  cr_assert_eq(tg_cookie_parse(body, &c1, NULL), TG_OK);
  cr_assert_eq(c1.cookie.len, 0x72);
  start_emit();
  tg_cookie_emit(&w, &c1);
  assert_emitted(TG_EXT_cookie, body);
  cr_assert_eq(tg_cookie_parse(body_of(&ch2, TG_EXT_cookie), &c2, NULL), TG_OK);
  cr_assert(tg_bytes_eq(c1.cookie, c2.cookie), "the client echoes the cookie");

  tg_supported_versions_sh sv;
  cr_assert_eq(tg_supported_versions_parse_sh(body_of(&hrr, TG_EXT_supported_versions), &sv, NULL),
               TG_OK);
  cr_assert_eq(sv.selected_version, TG_VERSION_TLS13);

  tg_key_share_ch ks2;
  tg_key_share_entry e;
  body = body_of(&ch2, TG_EXT_key_share);
  cr_assert_eq(tg_key_share_parse_ch(body, &ks2, NULL), TG_OK);
  cr_assert_eq(ks2.count, 1);
  cr_assert(tg_key_share_find(&ks2, TG_GROUP_secp256r1, &e));
  cr_assert(tg_bytes_eq(e.key_exchange, p256));
  start_emit();
  tg_key_share_emit_ch(&w, &ks2);
  assert_emitted(TG_EXT_key_share, body);
}
