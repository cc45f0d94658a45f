/* The connection: buffers, the byte API (feed, output, read, write, close), records in and out,
 * alerts, and the failure path. Handshake messages go to the dispatcher (table.c). */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "tg/names.h"

/* The largest handshake message accepted: a certificate chain of several large certificates
 * fits; RFC 8446 sets no bound below 2^24. */
#define TG_MAX_HS_MESSAGE (128u * 1024u)

static void writer_reset(tg_writer *w) {
  w->len = 0;
  w->status = TG_OK;
}

/* Drops the first n bytes of w (consumed input, sent output, read data). */
static void writer_drop(tg_writer *w, size_t n) {
  if (n >= w->len) {
    writer_reset(w);
    return;
  }
  memmove(w->buf, w->buf + n, w->len - n);
  w->len -= n;
}

void tg_conn_random(tg_conn *c, uint8_t *out, size_t len) {
  c->cfg->rng.fill(c->cfg->rng.ctx, out, len);
}

/* ---- Lifetime ------------------------------------------------------------------------------ */

static tg_status check_config(const tg_config *cfg, bool is_server, tg_err *err) {
  TG_ENSURE(err, cfg != NULL, internal_error, TG_E_USAGE, "tg_conn_new: no configuration");
  TG_ENSURE(err, cfg->rng.fill != NULL, internal_error, TG_E_USAGE,
            "tg_config.rng is required (the engine has no RNG of its own)");
  TG_ENSURE(err, !is_server || (cfg->chain != NULL && cfg->chain->len > 0 && cfg->chain->key),
            internal_error, TG_E_USAGE, "a server needs tg_config.chain with a key");
  bool known = (cfg->max_version == 0 || cfg->max_version == TG_VERSION_TLS12 ||
                cfg->max_version == TG_VERSION_TLS13) &&
               (cfg->min_version == 0 || cfg->min_version == TG_VERSION_TLS12 ||
                cfg->min_version == TG_VERSION_TLS13);
  TG_ENSURE(err, known && tg_cfg_min_version(cfg) <= tg_cfg_max_version(cfg), protocol_version,
            TG_E_USAGE,
            "versions 0x%04x..0x%04x: TLS 1.2 (0x0303) and 1.3 (0x0304) are implemented",
            cfg->min_version, cfg->max_version);
  TG_ENSURE(err,
            cfg->cipher_suites.len % 2 == 0 && cfg->groups.len % 2 == 0 &&
                cfg->sig_schemes.len % 2 == 0 && cfg->key_share_groups.len % 2 == 0,
            internal_error, TG_E_ODD_LENGTH, "a tg_config list has an odd length");
  TG_ENSURE(err, cfg->ticket_key.len == 0 || cfg->ticket_key.len == 16, internal_error, TG_E_USAGE,
            "tg_config.ticket_key must be 16 bytes (AES-128-GCM), not %zu", cfg->ticket_key.len);
  /* RFC 8446 §8: no 0-RTT without anti-replay (engine.h "Early data"). */
  TG_ENSURE(err,
            !is_server || cfg->max_early_data_size == 0 ||
                (cfg->ticket_store != NULL && cfg->ticket_store->redeem != NULL),
            internal_error, TG_E_USAGE,
            "tg_config.max_early_data_size needs a tg_config.ticket_store (RFC 8446 8.1)");
  /* RFC 8449 §4: "Endpoints MUST NOT send a "record_size_limit" extension with a value smaller
   * than 64"; 2^14+1 is TLS 1.3's largest. */
  TG_ENSURE(err,
            cfg->record_size_limit == 0 ||
                (cfg->record_size_limit >= 64 && cfg->record_size_limit <= TG_MAX_INNER_PLAINTEXT),
            internal_error, TG_E_USAGE, "tg_config.record_size_limit %u is outside 64..%u",
            cfg->record_size_limit, TG_MAX_INNER_PLAINTEXT);
  return TG_OK;
}

tg_conn *tg_conn_new(const tg_config *cfg, bool is_server, tg_err *err) {
  if (check_config(cfg, is_server, err) != TG_OK)
    return NULL;
  size_t rec_cap = TG_MAX_CIPHERTEXT12, reasm_cap = TG_MAX_HS_MESSAGE + TG_MAX_PLAINTEXT + 1;
  tg_conn *c = calloc(1, sizeof *c + rec_cap + reasm_cap);
  if (c == NULL) {
    (void)TG_FAIL(err, internal_error, TG_E_NOMEM, "tg_conn_new: out of memory");
    return NULL;
  }
  uint8_t *bufs = (uint8_t *)(c + 1);
  c->cfg = cfg;
  c->is_server = is_server;
  c->state = is_server ? TG_ST_S_WAIT_CH : TG_ST_C_START;
  c->info.phase = TG_PHASE_HANDSHAKE;
  c->info.alert_sent = c->info.alert_received = c->info.warning_received = -1;
  c->recbuf = bufs;
  c->recbuf_cap = rec_cap;
  tg_hs_reasm_init(&c->reasm, bufs + rec_cap, reasm_cap, TG_MAX_HS_MESSAGE);
  tg_writer *ws[] = {&c->in,  &c->out,    &c->app, &c->flight, &c->msg,
                     &c->ext, &c->cookie, &c->t12, &c->early};
  for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
    tg_writer_init_dynamic(ws[i], &c->err);
  c->t12_on = tg_allows12(cfg);
  c->rd_prot = tg_prot13_protection(&c->rd);
  c->wr_prot = tg_prot13_protection(&c->wr);
  tg_transcript_init(c);
  return c;
}

void tg_conn_free(tg_conn *c) {
  if (c == NULL)
    return;
  tg_public_key_free(c->peer_key);
  tg_writer *ws[] = {&c->in,  &c->out,    &c->app, &c->flight, &c->msg,
                     &c->ext, &c->cookie, &c->t12, &c->early};
  for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
    tg_writer_free(ws[i]);
  explicit_bzero(c, sizeof *c); /* secrets, keys, scalars */
  free(c);
}

const struct tg_conn_info *tg_conn_info(const tg_conn *c) { return &c->info; }
bool tg_conn_is_server(const tg_conn *c) { return c->is_server; }

/* ---- Failure ------------------------------------------------------------------------------- */

static void send_alert(tg_conn *c, uint8_t level, uint8_t description) {
  uint8_t buf[2];
  tg_writer w;
  tg_writer_init(&w, buf, sizeof buf, NULL);
  tg_alert_write(&w, level, description);
  /* Best effort: the connection has failed already, a full buffer changes nothing. */
  if (tg_conn_send_record(c, TG_CT_alert, tg_writer_bytes(&w)) != TG_OK)
    return;
}

tg_status tg_conn_fail(tg_conn *c, tg_status st) {
  if (st == TG_OK || c->info.phase == TG_PHASE_FAILED)
    return st;
  if (c->err.code == TG_OK) /* a path that failed without recording why: still an error */
    (void)TG_FAIL(&c->err, internal_error, TG_E_INTERNAL, "failure %d without details", st);
  c->info.err = c->err;
  c->info.phase = TG_PHASE_FAILED;
  /* Permissive mode (permissive.h): what it cannot go on from ends the connection without an
   * alert, which would count as a rejection. */
  if (!c->peer_alerted && !TG_PERMISSIVE(c)) {
    /* RFC 8446 §6.2: errors are reported with a fatal alert, then the connection is closed. */
    c->info.alert_sent = (int)c->err.alert;
    send_alert(c, TG_ALERT_LEVEL_fatal, (uint8_t)c->err.alert);
  }
  return st;
}

/* ---- Records out --------------------------------------------------------------------------- */

tg_status tg_conn_send_record(tg_conn *c, uint8_t type, tg_bytes data) {
  /* RFC 8446 §5.1: 0x0303 everywhere but the initial ClientHello, which may (and, as RFC 8448
   * and most clients do, here does) use 0x0301 for middleboxes that expect TLS 1.0. */
  bool initial_ch = c->state == TG_ST_C_START && type == TG_CT_handshake;
  /* RFC 8446 §5: change_cipher_spec is never protected (in TLS 1.2 it precedes the keys). */
  bool protect = c->wr_on && type != TG_CT_change_cipher_spec;
  bool is13 = !tg_is12(c);
  tg_record_out r = {
      .type = protect && is13 ? (uint8_t)TG_CT_application_data : type,
      .legacy_record_version = initial_ch ? TG_VERSION_TLS10 : TG_VERSION_TLS12,
      .inner_type = type,
      .padding = protect && is13 ? c->cfg->record_padding : 0,
      .fragment = data,
      .protect = protect,
  };
  const tg_hooks *h = c->cfg->hooks;
  if (h != NULL && h->record != NULL && h->record(h->ctx, c, &r) == TG_HOOK_SKIP)
    return TG_OK;
  if (!r.protect || !c->wr_on) {
    tg_record_write(&c->out, r.type, r.legacy_record_version, r.fragment);
    return tg_writer_status(&c->out);
  }
  /* A hook that changed the outer type has it sealed too: the header is the additional data,
   * so the record authenticates and the peer judges the type it reads. */
  tg_record_sender s = {.version = is13 ? TG_VERSION_TLS13 : TG_VERSION_TLS12,
                        .legacy_record_version = r.legacy_record_version,
                        .prot = &c->wr_prot,
                        .max_fragment = r.fragment.len,
                        .padding = r.padding,
                        .set_outer_type =
                            r.type != (is13 ? (uint8_t)TG_CT_application_data : r.inner_type),
                        .outer_type = r.type};
  return tg_record_send(&s, r.inner_type, r.fragment, &c->out, &c->err);
}

tg_status tg_conn_inject_record(tg_conn *c, uint8_t type, uint16_t legacy_record_version,
                                tg_bytes data, bool protect) {
  static const uint8_t none[1];
  uint16_t version = legacy_record_version ? legacy_record_version : TG_VERSION_TLS12;
  if (data.p == NULL) /* an empty record: the reader and memcpy want a pointer all the same */
    data = tg_bytes_of(none, 0);
  if (!protect || !c->wr_on) {
    tg_record_write(&c->out, type, version, data);
    return tg_writer_status(&c->out);
  }
  tg_record_sender s = {.version = tg_is12(c) ? TG_VERSION_TLS12 : TG_VERSION_TLS13,
                        .legacy_record_version = version,
                        .prot = &c->wr_prot,
                        .max_fragment = data.len ? data.len : 1,
                        .padding = 0};
  return tg_record_send(&s, type, data, &c->out, &c->err);
}

tg_status tg_conn_inject_raw(tg_conn *c, tg_bytes data) {
  if (data.len > 0)
    tg_w_view(&c->out, data);
  return tg_writer_status(&c->out);
}

bool tg_conn_write_protected(const tg_conn *c) { return c->wr_on; }

tg_status tg_send_warning(tg_conn *c, uint8_t description) {
  uint8_t buf[2] = {TG_ALERT_LEVEL_warning, description};
  if (TG_PERMISSIVE(c)) /* permissive.h: no alert at all, a warning neither */
    return TG_OK;
  return tg_conn_send_record(c, TG_CT_alert, tg_bytes_of(buf, 2));
}

tg_status tg_send_compat_ccs(tg_conn *c) {
  static const uint8_t ccs[] = {1};
  if (c->ccs_sent)
    return TG_OK;
  c->ccs_sent = true;
  return tg_conn_send_record(c, TG_CT_change_cipher_spec, tg_bytes_of(ccs, 1));
}

tg_status tg_conn_send_content(tg_conn *c, uint8_t type, tg_bytes data) {
  size_t max = tg_send_fragment_max(c);
  tg_reader r;
  tg_reader_init(&r, data.p, data.len, &c->err);
  do {
    tg_bytes chunk;
    TG_TRY(tg_read_bytes(&r, tg_left(&r) < max ? tg_left(&r) : max, &chunk, "content"));
    if (type == TG_CT_application_data)
      TG_TRY(tg_update_if_needed(c));
    TG_TRY(tg_conn_send_record(c, type, chunk));
  } while (tg_left(&r) > 0);
  return TG_OK;
}

/* ---- Records in ---------------------------------------------------------------------------- */

/* A server that has sent its ServerHello reads protected records, but a client that rejects the
 * ServerHello has no keys and can only send its alert in the clear. So until the first protected
 * record from the client opens, a plaintext alert is read as one (a receive-side leniency: RFC
 * 8446 §5 has every record after the key change protected, but refusing the alert would lose the
 * client's verdict, which is what a conformance run asks for). */
static bool plaintext_alert_allowed(const tg_conn *c, tg_bytes in) {
  return c->is_server && !tg_is12(c) && c->rd_on && !c->rd_seen_protected && in.len > 0 &&
         in.p[0] == TG_CT_alert;
}

static tg_record_rules read_rules(const tg_conn *c, tg_bytes in) {
  tg_record_rules rules = {
      .version = tg_is12(c) ? TG_VERSION_TLS12 : TG_VERSION_TLS13,
      .protected_records = c->rd_on && !plaintext_alert_allowed(c, in),
      .initial_client_hello = c->state == TG_ST_S_WAIT_CH,
      .record_size_limit = tg_read_size_limit(c),
      /* Permissive (permissive.h): legacy_record_version is not looked at. */
      .version_check = TG_PERMISSIVE(c) ? TG_RECVER_ANY : TG_RECVER_MAJOR3,
  };
  return rules;
}

static tg_status on_alert(tg_conn *c, tg_bytes data) {
  tg_alert_msg a;
  TG_TRY(tg_alert_parse(data, &a, &c->err));
  if (a.description == TG_ALERT_close_notify) {
    /* RFC 8446 §6.1: no more data from the peer; what follows is ignored. (permissive.h: the
     * connection goes on, reading and writing.) */
    c->info.peer_closed = true;
    if (!TG_PERMISSIVE(c))
      c->info.phase = TG_PHASE_CLOSED;
    return TG_OK;
  }
  /* RFC 8446 §6.1: a close_notify follows user_canceled. RFC 5246 §7.2: in TLS 1.2 a warning
   * alert leaves the connection up (e.g. no_renegotiation, the answer to a renegotiation
   * attempt, §7.2.2). Either is noted, with its level, for whoever watches the peer. */
  if (a.description == TG_ALERT_user_canceled ||
      (tg_is12(c) && a.level == TG_ALERT_LEVEL_warning)) {
    c->info.warning_received = a.description;
    c->info.warning_level = a.level;
    c->info.warnings_received++;
    return TG_OK;
  }
  /* RFC 8446 §6: every other alert is an error alert, whatever its level says. */
  if (TG_PERMISSIVE(c)) { /* permissive.h: ignored, the connection goes on */
    tg_tolerate_record(TG_TOLERATED(c), (enum tg_alert)a.description, TG_E_BAD_VALUE, TG_HERE,
                       "the peer sent alert %u (level %u)", a.description, a.level);
    return TG_OK;
  }
  c->peer_alerted = true;
  c->info.alert_received = a.description;
  const char *name = tg_alert_name(a.description);
  return tg_fail(&c->err, (enum tg_alert)a.description, TG_E_BAD_VALUE, TG_HERE,
                 "the peer sent a fatal alert %s (%u)", name ? name : "unknown", a.description);
}

static tg_status on_ccs(tg_conn *c) {
  /* RFC 5246 §7.1: in TLS 1.2 change_cipher_spec is part of the handshake: the table says when
   * it may come (table.c), and its handler switches the read keys. */
  if (tg_is12(c) || !tg_allows13(c->cfg)) /* a TLS 1.2-only endpoint: no TLS 1.3 leniency */
    return tg_dispatch_ccs(c);
  /* RFC 8446 §5: "An implementation may receive an unencrypted record of type change_cipher_spec
   * consisting of the single byte value 0x01 at any time after the first ClientHello message
   * has been sent or received and before the peer's Finished message has been received and MUST
   * simply drop it"; any other is unexpected_message. */
  bool window =
      c->state != TG_ST_C_START && c->state != TG_ST_S_WAIT_CH && c->state != TG_ST_CONNECTED;
  TG_PEER_CHECK_OR(c, &c->err, window, return TG_OK, unexpected_message, TG_E_BAD_VALUE,
                   "change_cipher_spec outside the handshake (RFC 8446 5)");
  c->ccs_received = true;
  return TG_OK;
}

/* Accepted 0-RTT data, kept apart (tg_conn_read_early). RFC 8446 §4.6.1: "A server receiving
 * more than max_early_data_size bytes of 0-RTT data SHOULD terminate the connection with an
 * "unexpected_message" alert" (only the application data counts, not padding or the type). */
static tg_status on_early_data(tg_conn *c, tg_bytes data) {
  TG_PEER_CHECK(c, &c->err, data.len <= c->early_left, unexpected_message, TG_E_BAD_VALUE,
                "more than max_early_data_size bytes of 0-RTT data (RFC 8446 4.6.1)");
  c->early_left -= data.len <= c->early_left ? data.len : c->early_left;
  tg_w_view(&c->early, data);
  return tg_writer_status(&c->early);
}

static tg_status on_application_data(tg_conn *c, tg_bytes data) {
  if (tg_state_takes_early_data(c))
    return on_early_data(c, data);
  /* RFC 8446 §2: application data is only sent under application traffic keys. */
  TG_PEER_CHECK(c, &c->err, c->state == TG_ST_CONNECTED, unexpected_message, TG_E_BAD_VALUE,
                "application_data record during the handshake (state %s)", tg_state_name(c->state));
  tg_w_view(&c->app, data);
  return tg_writer_status(&c->app);
}

static tg_status on_handshake(tg_conn *c, tg_bytes data) {
  /* RFC 5246 §7.1: where a change_cipher_spec must come, a handshake record is out of order
   * (whatever its bytes claim: without the CCS they are still the peer's ciphertext). */
  TG_PEER_CHECK_OR(c, &c->err, c->state != TG_ST_C12_WAIT_CCS && c->state != TG_ST_S12_WAIT_CCS,
                   return TG_OK, unexpected_message, TG_E_BAD_VALUE,
                   "a handshake record where change_cipher_spec must come (RFC 5246 7.1)");
  TG_TRY(tg_hs_reasm_push(&c->reasm, data, &c->err));
  for (;;) {
    tg_bytes msg;
    tg_status st = tg_hs_reasm_pop(&c->reasm, &msg, &c->err);
    if (st == TG_E_NEED_MORE)
      return TG_OK;
    TG_TRY(st);
    TG_TRY(tg_dispatch(c, msg));
  }
}

/* RFC 8446 §4.2.10, a server that rejects 0-RTT: "skip all records with an external content
 * type of "application_data" ... discarding them" after a HelloRetryRequest; otherwise "skips past
 * early data by attempting to deprotect received records using the handshake traffic key,
 * discarding records which fail deprotection", both "up to the configured max_early_data_size"
 * (engine.h TG_EARLY_DATA_SKIP_MAX). True when rec is skipped (st: how it opened, or TG_OK). */
static bool skip_early_data(tg_conn *c, const tg_record *rec, tg_status st) {
  if (c->early_skip_left < rec->raw.len) {
    c->early_skip_left = 0;
    return false;
  }
  bool skip = false;
  if (c->state == TG_ST_S_WAIT_CH2)
    skip = rec->type == TG_CT_application_data;
  else if (c->state == TG_ST_S_WAIT_CERT || c->state == TG_ST_S_WAIT_FINISHED)
    skip = st == TG_E_BAD_RECORD_MAC && rec->type == TG_CT_application_data;
  if (!skip) {
    /* A record that opens (or another record type) ends the early data; the second ClientHello
     * may still be preceded by it, and the change_cipher_spec of compatibility mode, which a
     * client sends right after its ClientHello when it sends early data (RFC 8446 Appendix
     * D.4), comes before it. */
    if (c->state != TG_ST_S_WAIT_CH2 && st == TG_OK && rec->type != TG_CT_change_cipher_spec)
      c->early_skip_left = 0;
    return false;
  }
  c->early_skip_left -= rec->raw.len;
  tg_err_clear(&c->err);
  return true;
}

static tg_status process_record(tg_conn *c, const tg_record *rec) {
  tg_record_rules rules = read_rules(c, rec->raw);
  tg_content ct = {0};
  if (c->early_skip_left > 0 && c->state == TG_ST_S_WAIT_CH2 && skip_early_data(c, rec, TG_OK))
    return TG_OK;
  tg_status st = tg_record_open(rec, &rules, rules.protected_records ? &c->rd_prot : NULL,
                                c->recbuf, c->recbuf_cap, &ct, &c->err);
  if (c->early_skip_left > 0 && skip_early_data(c, rec, st))
    return TG_OK;
  /* Permissive: a record that does not open or breaks a content rule (a bad MAC, an empty or
   * oversize fragment, a change_cipher_spec of another value) is dropped. A failed open consumed
   * no sequence number, so the next record still opens. */
  if (st != TG_OK)
    return TG_TOLERATE(c, st);
  c->rd_seen_protected |= rules.protected_records;
  /* Permissive: another record inside a fragmented handshake message is read as it is; the
   * fragment stays buffered. */
  if (ct.type != TG_CT_handshake)
    TG_TRY(TG_TOLERATE(c, tg_hs_reasm_other_record(&c->reasm, ct.type, &c->err)));
  switch (ct.type) {
  case TG_CT_handshake: return on_handshake(c, ct.data);
  case TG_CT_alert: return on_alert(c, ct.data);
  case TG_CT_change_cipher_spec: return on_ccs(c);
  case TG_CT_application_data: return on_application_data(c, ct.data);
  }
  TG_PEER_CHECK_OR(c, &c->err, false, return TG_OK, unexpected_message, TG_E_UNKNOWN_TYPE,
                   "record of unknown ContentType %u (RFC 8446 5)", ct.type);
  return TG_OK;
}

/* Permissive: a record whose header fails a check (an unknown or unexpected type, an oversize
 * length) is skipped whole, by the length its header gives, once all of it is there (until then
 * TG_E_NEED_MORE: it stays buffered). Otherwise st, the failure of tg_record_read. */
static tg_status skip_bad_record(tg_conn *c, tg_reader *r, tg_status st) {
  tg_reader h;
  uint8_t type;
  uint16_t version, length;
  tg_bytes skipped;
  if (!TG_PERMISSIVE(c) || st == TG_E_NEED_MORE || c->err.alert == TG_ALERT_internal_error)
    return st;
  tg_reader_init(&h, r->p, tg_left(r), NULL);
  if (tg_read_u8(&h, &type, "TLSPlaintext.type") != TG_OK ||
      tg_read_u16(&h, &version, "TLSPlaintext.legacy_record_version") != TG_OK ||
      tg_read_u16(&h, &length, "TLSPlaintext.length") != TG_OK || tg_left(&h) < length) {
    tg_err_clear(&c->err);
    return TG_E_NEED_MORE;
  }
  TG_TRY(TG_TOLERATE(c, st));
  return tg_read_bytes(r, TG_RECORD_HEADER_LEN + (size_t)length, &skipped, "record");
}

/* RFC 8446 §6.1: data after close_notify is ignored (permissive.h: read all the same). */
static bool ignores_input(const tg_conn *c) { return c->info.peer_closed && !TG_PERMISSIVE(c); }

static bool usable(const tg_conn *c) {
  return c->info.phase != TG_PHASE_FAILED && !ignores_input(c);
}

tg_status tg_conn_feed(tg_conn *c, tg_bytes in) {
  if (c->info.phase == TG_PHASE_FAILED)
    return c->info.err.code;
  if (ignores_input(c))
    return TG_OK;
  tg_err_clear(&c->err);
  c->peer_alerted = false;
  tg_w_view(&c->in, in);
  TG_TRY(tg_conn_fail(c, tg_writer_status(&c->in)));
  tg_reader r;
  tg_reader_init(&r, c->in.buf, c->in.len, &c->err);
  tg_status st = TG_OK;
  while (st == TG_OK && usable(c)) {
    tg_record rec;
    tg_bytes skip;
    size_t used;
    tg_record_rules rules = read_rules(c, tg_reader_rest(&r)); /* keys change between records */
    st = tg_record_read(tg_reader_rest(&r), &rules, &rec, &used, &c->err);
    if (st != TG_OK && st != TG_E_NEED_MORE) {
      st = skip_bad_record(c, &r, st);
      if (st == TG_OK)
        continue;
    }
    if (st == TG_E_NEED_MORE) {
      st = TG_OK; /* a partial record stays buffered */
      break;
    }
    if (st == TG_OK)
      st = tg_read_bytes(&r, used, &skip, "record");
    if (st == TG_OK)
      st = process_record(c, &rec);
  }
  writer_drop(&c->in, ignores_input(c) ? c->in.len : c->in.len - tg_left(&r));
  return tg_conn_fail(c, st);
}

/* ---- The caller's side --------------------------------------------------------------------- */

tg_bytes tg_conn_output(const tg_conn *c) { return tg_writer_bytes(&c->out); }

void tg_conn_output_consumed(tg_conn *c, size_t n) { writer_drop(&c->out, n); }

tg_status tg_conn_start(tg_conn *c) {
  tg_err_clear(&c->err);
  if (c->is_server)
    return TG_OK;
  TG_ENSURE(&c->err, c->state == TG_ST_C_START, internal_error, TG_E_USAGE,
            "tg_conn_start called twice");
  return tg_conn_fail(c, tg_dispatch(c, tg_bytes_of(NULL, 0)));
}

tg_status tg_conn_write(tg_conn *c, tg_bytes data) {
  tg_err_clear(&c->err);
  TG_ENSURE(&c->err, c->info.phase == TG_PHASE_ESTABLISHED, internal_error, TG_E_USAGE,
            "tg_conn_write: the connection is not established");
  return tg_conn_fail(c, tg_conn_send_content(c, TG_CT_application_data, data));
}

size_t tg_conn_read(tg_conn *c, uint8_t *buf, size_t cap) {
  size_t n = c->app.len < cap ? c->app.len : cap;
  if (n > 0)
    memcpy(buf, c->app.buf, n);
  writer_drop(&c->app, n);
  return n;
}

size_t tg_conn_read_early(tg_conn *c, uint8_t *buf, size_t cap) {
  size_t n = c->early.len < cap ? c->early.len : cap;
  if (n > 0)
    memcpy(buf, c->early.buf, n);
  writer_drop(&c->early, n);
  return n;
}

tg_status tg_conn_close(tg_conn *c) {
  tg_err_clear(&c->err);
  TG_ENSURE(&c->err, c->info.phase != TG_PHASE_FAILED, internal_error, TG_E_USAGE,
            "tg_conn_close: the connection failed");
  if (c->close_sent)
    return TG_OK;
  c->close_sent = true;
  /* RFC 8446 §6.1: close_notify, then nothing more is sent. */
  uint8_t buf[2];
  tg_writer w;
  tg_writer_init(&w, buf, sizeof buf, NULL);
  tg_alert_write(&w, TG_ALERT_LEVEL_warning, TG_ALERT_close_notify);
  tg_status st = tg_conn_send_record(c, TG_CT_alert, tg_writer_bytes(&w));
  if (st == TG_OK)
    c->info.phase = TG_PHASE_CLOSED;
  return tg_conn_fail(c, st);
}
