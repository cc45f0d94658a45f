/* tg-peer-builtin's sessions: the --sess-in/--sess-out file format, the in-process TLS 1.2
 * session cache of a server and its 0-RTT ticket store (builtin_sessions.h). */
#include "builtin_sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer_common.h"

/* ---- Session files (--sess-in, --sess-out) ----------------------------------------------------
 * One tg_ticket, in TLS presentation language (peers/README.md documents it too):
 *   struct {
 *     uint8  format_version;        = 1
 *     uint16 cipher_suite;          the suite of the connection that issued it
 *     opaque psk<1..2^8-1>;         the resumption PSK (RFC 8446 §4.6.1), Hash.length bytes
 *     opaque ticket<1..2^16-1>;     NewSessionTicket.ticket, as received
 *     uint32 ticket_lifetime;
 *     uint32 ticket_age_add;
 *     uint32 max_early_data_size;
 *     uint32 received[2];           the client's clock at arrival: int64 seconds, high word first
 *     uint16 version;               format 2: 0x0304, or 0x0303 for a TLS 1.2 session, whose
 *                                   psk is its master_secret (48 bytes) and whose ticket may
 *                                   be empty (resumption by session_id)
 *     opaque session_id<0..32>;     format 2: the TLS 1.2 session's id
 *     uint8  ems;                   format 2: the session used the extended master secret
 *   } SessionFile;
 * Format 1 files (TLS 1.3 tickets, without the last three fields) are still read. The PSK is a
 * secret: the file is created mode 0600 (peer_driver.c). */
#define SESS_FORMAT_VERSION 2

size_t builtin_encode_session(const tg_ticket *t, uint8_t *out, size_t cap) {
  tg_writer w;
  tg_writer_init(&w, out, cap, NULL);
  tg_w_u8(&w, SESS_FORMAT_VERSION);
  tg_w_u16(&w, t->cipher_suite);
  tg_w_vec(&w, 1, tg_bytes_of(t->psk, t->psk_len));
  tg_w_vec(&w, 2, tg_bytes_of(t->ticket, t->ticket_len));
  tg_w_u32(&w, t->ticket_lifetime);
  tg_w_u32(&w, t->ticket_age_add);
  tg_w_u32(&w, t->max_early_data_size);
  tg_w_u32(&w, (uint32_t)((uint64_t)t->received >> 32));
  tg_w_u32(&w, (uint32_t)(uint64_t)t->received);
  tg_w_u16(&w, t->version ? t->version : TG_VERSION_TLS13);
  tg_w_vec(&w, 1, tg_bytes_of(t->session_id, t->session_id_len));
  tg_w_u8(&w, t->ems);
  return tg_writer_status(&w) == TG_OK ? w.len : 0;
}

/* Format 2's version, session_id and ems. */
static tg_status read_v2_fields(tg_reader *r, tg_ticket *t) {
  tg_reader id;
  uint8_t ems;
  TG_TRY(tg_read_u16(r, &t->version, "SessionFile.version"));
  TG_TRY(tg_read_vec(r, 1, 0, 32, &id, "SessionFile.session_id"));
  TG_TRY(tg_read_u8(r, &ems, "SessionFile.ems"));
  t->ems = ems != 0;
  t->session_id_len = tg_left(&id);
  return tg_read_copy(&id, t->session_id, t->session_id_len, "SessionFile.session_id");
}

static tg_status parse_ticket(tg_bytes in, tg_ticket *t, tg_err *err) {
  tg_reader r, psk, ticket;
  tg_reader_init(&r, in.p, in.len, err);
  uint8_t version;
  uint32_t high, low;
  memset(t, 0, sizeof *t);
  TG_TRY(tg_read_u8(&r, &version, "SessionFile.format_version"));
  TG_ENSURE(err, version == 1 || version == SESS_FORMAT_VERSION, decode_error, TG_E_BAD_VALUE,
            "SessionFile.format_version is %u, not 1 or %d", version, SESS_FORMAT_VERSION);
  TG_TRY(tg_read_u16(&r, &t->cipher_suite, "SessionFile.cipher_suite"));
  TG_TRY(tg_read_vec(&r, 1, 1, TG_MAX_HASH_LEN, &psk, "SessionFile.psk"));
  TG_TRY(tg_read_vec(&r, 2, version == 1, TG_TICKET_MAX_LEN, &ticket, "SessionFile.ticket"));
  TG_TRY(tg_read_u32(&r, &t->ticket_lifetime, "SessionFile.ticket_lifetime"));
  TG_TRY(tg_read_u32(&r, &t->ticket_age_add, "SessionFile.ticket_age_add"));
  TG_TRY(tg_read_u32(&r, &t->max_early_data_size, "SessionFile.max_early_data_size"));
  TG_TRY(tg_read_u32(&r, &high, "SessionFile.received"));
  TG_TRY(tg_read_u32(&r, &low, "SessionFile.received"));
  t->version = TG_VERSION_TLS13;
  if (version == SESS_FORMAT_VERSION)
    TG_TRY(read_v2_fields(&r, t));
  TG_TRY(tg_read_done(&r, "SessionFile"));
  t->psk_len = tg_left(&psk);
  TG_TRY(tg_read_copy(&psk, t->psk, t->psk_len, "SessionFile.psk"));
  t->ticket_len = tg_left(&ticket);
  TG_TRY(tg_read_copy(&ticket, t->ticket, t->ticket_len, "SessionFile.ticket"));
  t->received = (int64_t)((uint64_t)high << 32 | low);
  /* The PSK is the output of the suite's hash (RFC 8446 §4.6.1): a file that disagrees is
   * not one this adapter wrote. */
  const tg_cipher_suite *cs = tg_cipher_suite_find(t->cipher_suite);
  size_t want = t->version == TG_VERSION_TLS12 ? 48 : cs ? cs->hash->digest_len : 0;
  TG_ENSURE(err, cs != NULL && want == t->psk_len, illegal_parameter, TG_E_BAD_VALUE,
            "SessionFile.psk: %zu bytes do not fit cipher_suite 0x%04x", t->psk_len,
            t->cipher_suite);
  return TG_OK;
}

bool builtin_load_session(const char *path, tg_ticket *t, char *msg, size_t msglen) {
  size_t len;
  uint8_t *data = peer_load_file(path, &len, msg, msglen);
  if (data == NULL)
    return false;
  tg_err err;
  tg_err_clear(&err);
  tg_status st = parse_ticket(tg_bytes_of(data, len), t, &err);
  free(data);
  if (st != TG_OK) {
    char buf[256];
    snprintf(msg, msglen, "--sess-in %s: %s", path, tg_err_format(&err, buf, sizeof buf));
    return false;
  }
  return true;
}

/* ---- TLS 1.2 session cache (server): a few sessions of this process, oldest replaced ------- */

#define CACHE_SLOTS 64
static struct cache_slot {
  uint8_t id[32];
  size_t id_len;
  uint8_t session[TG_SESSION_MAX_LEN];
  size_t len;
} cache_slots[CACHE_SLOTS];
static size_t cache_next;

void builtin_cache_put(void *ctx, tg_bytes id, tg_bytes session) {
  (void)ctx;
  struct cache_slot *slot = &cache_slots[cache_next++ % CACHE_SLOTS];
  if (id.len > sizeof slot->id || session.len > sizeof slot->session)
    return;
  memcpy(slot->id, id.p, id.len);
  slot->id_len = id.len;
  memcpy(slot->session, session.p, session.len);
  slot->len = session.len;
}

size_t builtin_cache_get(void *ctx, tg_bytes id, uint8_t *out, size_t cap) {
  (void)ctx;
  for (size_t i = 0; i < CACHE_SLOTS; i++) {
    struct cache_slot *slot = &cache_slots[i];
    if (slot->len > 0 && slot->len <= cap && tg_bytes_eq(id, tg_bytes_of(slot->id, slot->id_len))) {
      memcpy(out, slot->session, slot->len);
      return slot->len;
    }
  }
  return 0;
}

/* ---- 0-RTT tickets (server, --max-early-data): outstanding until used once (RFC 8446 §8.1) -- */

#define TICKET_SLOTS 64
#define TICKET_SLOT_LEN 256 /* the engine's tickets are about 100 bytes; longer: never redeemed */
static struct ticket_slot {
  uint8_t ticket[TICKET_SLOT_LEN];
  size_t len; /* 0: free */
} ticket_slots[TICKET_SLOTS];
static size_t ticket_next;

void builtin_ticket_issued(void *ctx, tg_bytes ticket) {
  (void)ctx;
  if (ticket.len == 0 || ticket.len > TICKET_SLOT_LEN)
    return;
  struct ticket_slot *slot = &ticket_slots[ticket_next++ % TICKET_SLOTS];
  memcpy(slot->ticket, ticket.p, ticket.len);
  slot->len = ticket.len;
}

bool builtin_ticket_redeem(void *ctx, tg_bytes ticket) {
  (void)ctx;
  for (size_t i = 0; i < TICKET_SLOTS; i++) {
    struct ticket_slot *slot = &ticket_slots[i];
    if (slot->len > 0 && tg_bytes_eq(ticket, tg_bytes_of(slot->ticket, slot->len))) {
      slot->len = 0; /* forgotten: the ticket carries 0-RTT once */
      return true;
    }
  }
  return false;
}
