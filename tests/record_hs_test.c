/* Handshake reassembly and fragmentation of the record layer: coalesced and fragmented handshake
 * messages, the key-change and interleaving rules, size limits, and tg_record_send splitting. The
 * RFC 8448 §3 server flight (EncryptedExtensions..Finished) is the ground truth. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/record.h"

#define SEC3 TG_SOURCE_DIR "/vectors/rfc8448/sec3-simple-1rtt/"

/* The server flight, and the four messages it must reassemble into. */
static uint8_t flight[1024];
static size_t flight_len;
static uint8_t msgs[4][1024];
static size_t msg_len[4];
static const char *msg_files[4] = {SEC3 "encrypted_extensions.hex", SEC3 "certificate.hex",
                                   SEC3 "certificate_verify.hex", SEC3 "server_finished.hex"};

static void load_flight(void) {
  flight_len = tt_load_hex(SEC3 "server_handshake_record_payload.hex", flight, sizeof flight);
  for (int i = 0; i < 4; i++)
    msg_len[i] = tt_load_hex(msg_files[i], msgs[i], sizeof msgs[i]);
}

/* Pops every complete message and checks it against the next expected one. */
static void pop_expected(tg_hs_reasm *h, int *next) {
  tg_bytes m;
  tg_err err = {0};
  tg_status st;
  while ((st = tg_hs_reasm_pop(h, &m, &err)) == TG_OK) {
    cr_assert_lt(*next, 4, "more messages than the flight has");
    cr_assert(tg_bytes_eq(m, tg_bytes_of(msgs[*next], msg_len[*next])), "message %d differs",
              *next);
    (*next)++;
  }
  cr_assert_eq(st, TG_E_NEED_MORE);
  cr_assert_eq(err.code, TG_OK, "NEED_MORE is not recorded");
}

Test(reassembly, coalesced_flight_in_one_record, .init = load_flight) {
  uint8_t buf[2048];
  tg_hs_reasm h;
  tg_err err = {0};
  int next = 0;
  tg_hs_reasm_init(&h, buf, sizeof buf, 0);
  cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(flight, flight_len), &err), TG_OK, "%s", err.what);
  pop_expected(&h, &next);
  cr_assert_eq(next, 4);
  cr_assert(!tg_hs_reasm_pending(&h));
  cr_assert_eq(tg_hs_reasm_key_change(&h, &err), TG_OK);
}

/* Writes two plaintext handshake records split at k, then reads, opens and reassembles them. */
static void split_through_records(size_t k, tg_hs_reasm *h, int *next) {
  uint8_t wire[2048];
  tg_err err = {0};
  tg_writer w;
  tg_writer_init(&w, wire, sizeof wire, &err);
  tg_record_write(&w, TG_CT_handshake, 0x0303, tg_bytes_of(flight, k));
  tg_record_write(&w, TG_CT_handshake, 0x0303, tg_bytes_of(flight + k, flight_len - k));
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  const tg_record_rules rules = {.version = TG_VERSION_TLS13};
  size_t off = 0;
  for (int i = 0; i < 2; i++) {
    tg_record rec;
    tg_content c;
    size_t used;
    cr_assert_eq(tg_record_read(tg_bytes_of(wire + off, w.len - off), &rules, &rec, &used, &err),
                 TG_OK, "k=%zu", k);
    cr_assert_eq(tg_record_open(&rec, &rules, NULL, NULL, 0, &c, &err), TG_OK);
    cr_assert_eq(tg_hs_reasm_push(h, c.data, &err), TG_OK, "k=%zu", k);
    pop_expected(h, next);
    off += used;
  }
  cr_assert_eq(off, w.len);
}

Test(reassembly, flight_split_at_every_offset, .init = load_flight) {
  uint8_t buf[2048];
  for (size_t k = 1; k < flight_len; k++) {
    tg_hs_reasm h;
    int next = 0;
    tg_hs_reasm_init(&h, buf, sizeof buf, 0);
    split_through_records(k, &h, &next);
    cr_assert_eq(next, 4, "split at %zu", k);
    cr_assert(!tg_hs_reasm_pending(&h));
  }
}

Test(reassembly, one_byte_records, .init = load_flight) {
  uint8_t buf[2048];
  tg_hs_reasm h;
  tg_err err = {0};
  int next = 0;
  tg_hs_reasm_init(&h, buf, sizeof buf, 0);
  for (size_t k = 0; k < flight_len; k++) {
    cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(flight + k, 1), &err), TG_OK);
    pop_expected(&h, &next);
  }
  cr_assert_eq(next, 4);
}

Test(reassembly, tight_buffer_is_enough, .init = load_flight) {
  /* The largest message (Certificate) plus one record: records of 100 bytes. */
  size_t cap = msg_len[1] + 100;
  uint8_t buf[1024];
  tg_hs_reasm h;
  tg_err err = {0};
  int next = 0;
  tg_hs_reasm_init(&h, buf, cap, msg_len[1]);
  for (size_t off = 0; off < flight_len; off += 100) {
    size_t n = flight_len - off < 100 ? flight_len - off : 100;
    cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(flight + off, n), &err), TG_OK, "%s", err.what);
    pop_expected(&h, &next);
  }
  cr_assert_eq(next, 4);
}

Test(reassembly, key_change_with_partial_message, .init = load_flight) {
  uint8_t buf[2048];
  tg_hs_reasm h;
  tg_err err = {0};
  int next = 0;
  tg_hs_reasm_init(&h, buf, sizeof buf, 0);
  /* EncryptedExtensions and the first 10 bytes of Certificate. */
  cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(flight, msg_len[0] + 10), &err), TG_OK);
  pop_expected(&h, &next);
  cr_assert_eq(next, 1);
  cr_assert_eq(tg_hs_reasm_key_change(&h, &err), TG_E_SPANS_KEY_CHANGE);
  cr_assert_eq(err.alert, TG_ALERT_unexpected_message);
}

Test(reassembly, key_change_with_complete_message_in_same_record, .init = load_flight) {
  uint8_t buf[2048];
  tg_hs_reasm h;
  tg_bytes m;
  tg_err err = {0};
  tg_hs_reasm_init(&h, buf, sizeof buf, 0);
  /* A record holding EE + Certificate; the key changes after EE: Certificate does not align. */
  cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(flight, msg_len[0] + msg_len[1]), &err), TG_OK);
  cr_assert_eq(tg_hs_reasm_pop(&h, &m, &err), TG_OK);
  cr_assert_eq(tg_hs_reasm_key_change(&h, &err), TG_E_SPANS_KEY_CHANGE);
  tg_err_clear(&err);
  cr_assert_eq(tg_hs_reasm_pop(&h, &m, &err), TG_OK);
  cr_assert_eq(tg_hs_reasm_key_change(&h, &err), TG_OK, "aligned after the last pop");
}

Test(reassembly, interleaved_record_inside_fragmented_message, .init = load_flight) {
  uint8_t buf[2048];
  tg_hs_reasm h;
  tg_bytes m;
  tg_err err = {0};
  tg_hs_reasm_init(&h, buf, sizeof buf, 0);
  cr_assert_eq(tg_hs_reasm_other_record(&h, TG_CT_alert, &err), TG_OK, "nothing buffered");
  cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(flight, 3), &err), TG_OK);
  cr_assert_eq(tg_hs_reasm_other_record(&h, TG_CT_application_data, &err), TG_E_INTERLEAVED);
  cr_assert_eq(err.alert, TG_ALERT_unexpected_message);
  cr_assert(strstr(err.what, "application_data"), "%s", err.what);
  tg_err_clear(&err);
  /* A complete but unpopped message is not interleaving. */
  cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(flight + 3, msg_len[0] - 3), &err), TG_OK);
  cr_assert_eq(tg_hs_reasm_other_record(&h, TG_CT_change_cipher_spec, &err), TG_OK);
  cr_assert_eq(tg_hs_reasm_pop(&h, &m, &err), TG_OK);
  cr_assert_eq(m.len, msg_len[0]);
}

Test(reassembly, zero_length_push_is_unexpected_message) {
  uint8_t buf[64];
  const uint8_t one = 0;
  tg_hs_reasm h;
  tg_err err = {0};
  tg_hs_reasm_init(&h, buf, sizeof buf, 0);
  cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(&one, 0), &err), TG_E_EMPTY_FRAGMENT);
  cr_assert_eq(err.alert, TG_ALERT_unexpected_message);
}

Test(reassembly, max_message_size_boundary) {
  /* max_message 100 = 4-byte header + 96-byte body. */
  static const struct {
    uint32_t length;
    tg_status code;
  } rows[] = {
      {0, TG_OK}, {95, TG_OK}, {96, TG_OK}, {97, TG_E_TOO_LARGE}, {0xffffff, TG_E_TOO_LARGE}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    uint8_t buf[256];
    uint8_t hdr[4] = {TG_HS_certificate, (uint8_t)(rows[i].length >> 16),
                      (uint8_t)(rows[i].length >> 8), (uint8_t)rows[i].length};
    tg_hs_reasm h;
    tg_err err = {0};
    tg_hs_reasm_init(&h, buf, sizeof buf, 100);
    /* Refused when the header arrives, before the body fills the buffer. */
    tg_status st = tg_hs_reasm_push(&h, tg_bytes_of(hdr, 4), &err);
    cr_assert_eq(st, rows[i].code, "length %u", rows[i].length);
    if (st != TG_OK)
      cr_assert_eq(err.alert, TG_ALERT_illegal_parameter);
  }
}

Test(reassembly, empty_body_message_pops) {
  uint8_t buf[64];
  const uint8_t eoed[] = {TG_HS_end_of_early_data, 0, 0, 0, TG_HS_key_update, 0, 0, 1, 0};
  tg_hs_reasm h;
  tg_bytes m;
  tg_err err = {0};
  tg_hs_reasm_init(&h, buf, sizeof buf, 0);
  cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(eoed, sizeof eoed), &err), TG_OK);
  cr_assert_eq(tg_hs_reasm_pop(&h, &m, &err), TG_OK);
  cr_assert_eq(m.len, 4);
  cr_assert_eq(tg_hs_reasm_pop(&h, &m, &err), TG_OK);
  cr_assert_eq(m.len, 5);
  cr_assert_eq(tg_hs_reasm_pop(&h, &m, &err), TG_E_NEED_MORE);
}

Test(reassembly, buffer_full_is_internal_error) {
  uint8_t buf[8];
  const uint8_t data[10] = {TG_HS_finished, 0, 0, 6};
  tg_hs_reasm h;
  tg_err err = {0};
  tg_hs_reasm_init(&h, buf, sizeof buf, 1000);
  cr_assert_eq(tg_hs_reasm_push(&h, tg_bytes_of(data, sizeof data), &err), TG_E_BUFFER_FULL);
  cr_assert_eq(err.alert, TG_ALERT_internal_error);
}

/* ---- fragmentation on send ----------------------------------------------------------------- */

Test(fragmentation, send_splits_and_records_reassemble, .init = load_flight) {
  static uint8_t out[16384];
  const size_t sizes[] = {1, 2, 3, 7, 64, 100, 656, 657, 658, 16384, 0};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    tg_err err = {0};
    tg_writer w;
    tg_writer_init(&w, out, sizeof out, &err);
    tg_record_sender s = {.legacy_record_version = 0x0303, .max_fragment = sizes[i]};
    cr_assert_eq(tg_record_send(&s, TG_CT_handshake, tg_bytes_of(flight, flight_len), &w, &err),
                 TG_OK, "size %zu: %s", sizes[i], err.what);
    size_t max = sizes[i] ? sizes[i] : 16384;
    size_t want_records = (flight_len + max - 1) / max;
    /* Read the records back: each at most N bytes, all full but the last, through reassembly. */
    uint8_t hbuf[2048];
    tg_hs_reasm h;
    tg_hs_reasm_init(&h, hbuf, sizeof hbuf, 0);
    tg_record_rules rules = {.version = TG_VERSION_TLS13};
    size_t off = 0, count = 0;
    int next = 0;
    while (off < w.len) {
      tg_record rec;
      size_t used;
      cr_assert_eq(tg_record_read(tg_bytes_of(out + off, w.len - off), &rules, &rec, &used, &err),
                   TG_OK);
      cr_assert_eq(rec.type, TG_CT_handshake);
      cr_assert_leq(rec.fragment.len, max);
      if (off + used < w.len)
        cr_assert_eq(rec.fragment.len, max, "only the last record is short");
      cr_assert_eq(tg_hs_reasm_push(&h, rec.fragment, &err), TG_OK);
      pop_expected(&h, &next);
      off += used;
      count++;
    }
    cr_assert_eq(count, want_records, "size %zu", sizes[i]);
    cr_assert_eq(next, 4);
  }
}

Test(fragmentation, empty_payload_is_one_empty_record) {
  uint8_t out[16];
  const uint8_t none = 0;
  tg_err err = {0};
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, &err);
  tg_record_sender s = {.legacy_record_version = 0x0303, .max_fragment = 4};
  cr_assert_eq(tg_record_send(&s, TG_CT_application_data, tg_bytes_of(&none, 0), &w, &err), TG_OK);
  const uint8_t want[] = {TG_CT_application_data, 3, 3, 0, 0};
  cr_assert_eq(w.len, sizeof want);
  cr_assert_arr_eq(out, want, sizeof want);
}

Test(fragmentation, oversize_records_can_be_written_on_purpose) {
  static uint8_t payload[16385], out[16400];
  tg_err err = {0};
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, &err);
  tg_record_sender s = {.legacy_record_version = 0x0303, .max_fragment = sizeof payload};
  cr_assert_eq(tg_record_send(&s, TG_CT_handshake, tg_bytes_of(payload, sizeof payload), &w, &err),
               TG_OK);
  tg_record rec;
  size_t used;
  tg_record_rules rules = {0};
  cr_assert_eq(tg_record_read(tg_writer_bytes(&w), &rules, &rec, &used, &err), TG_E_RECORD_OVERFLOW,
               "the reader catches what the writer was told to write");
}

Test(fragmentation, full_writer_is_reported) {
  uint8_t out[8];
  const uint8_t data[8] = {0};
  tg_err err = {0};
  tg_writer w;
  tg_writer_init(&w, out, sizeof out, &err);
  tg_record_sender s = {.legacy_record_version = 0x0303};
  cr_assert_eq(tg_record_send(&s, TG_CT_application_data, tg_bytes_of(data, 8), &w, &err),
               TG_E_BUFFER_FULL);
}
