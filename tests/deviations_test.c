/* The named deviations (tg/deviations.h): the table and its parser, then each deviation between
 * two engines, proving it does what its name says (the message types and records the deviating
 * side put on the wire) and what the built-in peer answers (the alert, or an established
 * connection for deviations a peer must tolerate).
 *
 * Both sides use the pass-through AEAD of engine/fuzzmode.h unless a row needs real keys, so the
 * protected handshake messages can be read back from the wire. */
#include "engine/fuzzmode.h"
#include "engine_pair.h"
#include "tg/deviations.h"
#include "tg/extensions.h"

/* ---- Reading back what a side sent ---------------------------------------------------------- */

typedef struct wire {
  tg_writer bytes; /* every byte the side sent, in order */
} wire;

/* pump() of engine_pair.h, keeping a copy of each side's output. */
static void pump_record(pair *p, wire *cw, wire *sw) {
  for (int round = 0; round < 64; round++) {
    tg_bytes co = tg_conn_output(p->c), so = tg_conn_output(p->s);
    if (co.len == 0 && so.len == 0)
      return;
    if (co.len) {
      tt_buf copy = tt_copy(co.p, co.len);
      tg_conn_output_consumed(p->c, co.len);
      tg_w_view(&cw->bytes, tt_view(copy));
      p->sst = tg_conn_feed(p->s, tt_view(copy));
      tt_free(&copy);
    }
    if (so.len) {
      tt_buf copy = tt_copy(so.p, so.len);
      tg_conn_output_consumed(p->s, so.len);
      tg_w_view(&sw->bytes, tt_view(copy));
      p->cst = tg_conn_feed(p->c, tt_view(copy));
      tt_free(&copy);
    }
  }
  cr_assert_fail("the connections never went quiet");
}

typedef struct record_view {
  uint8_t type;
  uint16_t version;
  tg_bytes fragment;
} record_view;

/* The records of a stream: at most cap, *n set to how many. */
static void records_of(tg_bytes stream, record_view *out, size_t cap, size_t *n) {
  tg_reader r;
  tg_reader_init(&r, stream.p, stream.len, NULL);
  *n = 0;
  while (tg_left(&r) > 0 && *n < cap) {
    record_view *v = &out[*n];
    tg_reader body;
    cr_assert_eq(tg_read_u8(&r, &v->type, "type"), TG_OK);
    cr_assert_eq(tg_read_u16(&r, &v->version, "version"), TG_OK);
    cr_assert_eq(tg_read_vec(&r, 2, 0, 65535, &body, "fragment"), TG_OK);
    v->fragment = tg_reader_rest(&body);
    (*n)++;
  }
}

/* With the pass-through AEAD, a protected record is TLSInnerPlaintext then 16 zero bytes: the
 * content type is the last non-zero byte before the tag. */
static bool inner_of(tg_bytes frag, uint8_t *type, tg_bytes *content) {
  if (frag.len <= TG_AEAD_TAG_LEN)
    return false;
  size_t i = frag.len - TG_AEAD_TAG_LEN;
  while (i > 0 && frag.p[i - 1] == 0)
    i--;
  if (i == 0)
    return false;
  *type = frag.p[i - 1];
  *content = tg_bytes_of(frag.p, i - 1);
  return true;
}

/* The handshake message types a side sent, in order, as a string "2,8,11,15,20" (records that
 * do not parse as expected are skipped: a deviation may make them unreadable). */
static void msg_types(tg_bytes stream, char *out, size_t cap) {
  record_view recs[64];
  size_t n;
  records_of(stream, recs, 64, &n);
  tg_writer hs;
  tg_writer_init_dynamic(&hs, NULL);
  for (size_t i = 0; i < n; i++) {
    uint8_t type = recs[i].type;
    tg_bytes content = recs[i].fragment;
    if (type == TG_CT_application_data && !inner_of(recs[i].fragment, &type, &content))
      continue;
    if (type == TG_CT_handshake)
      tg_w_view(&hs, content);
  }
  tg_reader r;
  tg_reader_init(&r, hs.buf, hs.len, NULL);
  out[0] = '\0';
  uint8_t t;
  tg_reader body;
  while (tg_read_u8(&r, &t, "msg_type") == TG_OK &&
         tg_read_vec(&r, 3, 0, 1 << 24, &body, "body") == TG_OK) {
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "%s%u", len ? "," : "", t);
  }
  tg_writer_free(&hs);
}

/* ---- One run: a deviation on one side, both engines, the wire kept -------------------------- */

typedef struct run {
  pair p;
  tg_deviation_set set;
  tg_deviation *dev;
  wire cw, sw;
} run;

static void run_start(run *r, const char *spec, bool on_server, bool real_aead) {
  tg_err err;
  pair_init(&r->p, &keys[0]);
  if (!real_aead) {
    r->p.ccfg.find_suite = tg_passthrough_find_suite;
    r->p.scfg.find_suite = tg_passthrough_find_suite;
  }
  tg_deviation_set_init(&r->set);
  cr_assert_eq(tg_deviation_set_add(&r->set, spec, &r->dev, &err), TG_OK, "%s: %s", spec, err.what);
  tg_deviation_set_attach(&r->set, on_server ? &r->p.scfg : &r->p.ccfg);
  tg_writer_init_dynamic(&r->cw.bytes, NULL);
  tg_writer_init_dynamic(&r->sw.bytes, NULL);
}

static void run_go(run *r) {
  pair_start(&r->p);
  pump_record(&r->p, &r->cw, &r->sw);
}

static void run_free(run *r) {
  pair_free(&r->p);
  tg_deviation_set_free(&r->set);
  tg_writer_free(&r->cw.bytes);
  tg_writer_free(&r->sw.bytes);
}

/* ---- The table and the parser --------------------------------------------------------------- */

Test(deviations, table_names_are_unique_and_found) {
  size_t n;
  const tg_dev_def *t = tg_deviation_list(&n);
  cr_assert_geq(n, 15);
  for (size_t i = 0; i < n; i++) {
    cr_expect_not_null(t[i].description);
    cr_expect_not_null(t[i].install);
    cr_expect_eq(tg_deviation_find(t[i].name), &t[i], "%s", t[i].name);
    for (size_t j = i + 1; j < n; j++)
      cr_expect_str_neq(t[i].name, t[j].name);
  }
  cr_expect_null(tg_deviation_find("no_such_deviation"));
}

Test(deviations, bad_spellings_are_usage_errors) {
  static const char *bad[] = {
      "frobnicate",
      "skip",                      /* needs a message */
      "skip:hello_there",          /* not a HandshakeType */
      "reorder:certificate",       /* needs two */
      "reorder:finished:finished", /* the same twice */
      "inject:",                   /* empty */
      "inject:abc",                /* odd hex */
      "inject:zz",                 /* not hex */
      "corrupt_finished:1",        /* takes nothing */
      "record_type:256",           /* a uint8 */
      "record_type:x",
      "record_version:03",                        /* two bytes */
      "fragment:0",                               /* positive */
      "drop_extension:no_such_ext",               /* unknown name */
      "add_extension:key_share",                  /* needs :HEX */
      "set_field:client_hello.legacy_version:03", /* a uint16 needs two bytes */
      "set_field:client_hello.no_such_field:00",
      "skip:finished@certificate", /* no selector for skip */
      "record_type:23@no_such_message",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    tg_deviation_set s;
    tg_err err;
    tg_err_clear(&err);
    tg_deviation_set_init(&s);
    cr_expect_eq(tg_deviation_set_add(&s, bad[i], NULL, &err), TG_E_USAGE, "'%s' accepted", bad[i]);
    cr_expect_eq(s.n, 0, "'%s' left a deviation installed", bad[i]);
    cr_expect_neq(err.what[0], '\0', "'%s' without a message", bad[i]);
    tg_deviation_set_free(&s);
  }
}

Test(deviations, good_spellings_parse_their_parameters) {
  tg_deviation_set s;
  tg_deviation *d;
  tg_err err;
  tg_deviation_set_init(&s);
  cr_assert_eq(tg_deviation_set_add(&s, "reorder:certificate:certificate_verify", &d, &err), TG_OK);
  cr_expect_eq(d->msg[0], TG_HS_certificate);
  cr_expect_eq(d->msg[1], TG_HS_certificate_verify);
  cr_assert_eq(tg_deviation_set_add(&s, "record_version:0200@finished", &d, &err), TG_OK);
  cr_expect_eq(d->number, 0x0200);
  cr_expect_eq(d->at_msg, TG_HS_finished);
  cr_assert_eq(tg_deviation_set_add(&s, "add_extension:65000:0a0B", &d, &err), TG_OK);
  cr_expect_eq(d->number, 65000);
  cr_expect_eq(d->hex_len, 2);
  cr_expect_eq(d->hex[1], 0x0b);
  cr_assert_eq(tg_deviation_set_add(&s, "drop_extension:key_share", &d, &err), TG_OK);
  cr_expect_eq(d->number, TG_EXT_key_share);
  cr_assert_eq(tg_deviation_set_add(&s, "set_field:client_hello.cipher_suites:", &d, &err), TG_OK);
  cr_expect_eq(d->hex_len, 0);
  cr_assert_eq(tg_deviation_set_add(&s, "skip_record@change_cipher_spec", &d, &err), TG_OK);
  cr_expect_eq(d->at_msg, TG_DEV_AT_CCS);
  cr_expect_neq(tg_deviation_set_add(&s, "skip:finished@change_cipher_spec", &d, &err), TG_OK,
                "only record deviations select the change_cipher_spec record");
  cr_expect_eq(s.n, 6);
  tg_deviation_set_free(&s);
}

/* A hex parameter is allocated to its size, up to TG_DEV_MAX_HEX bytes; one byte more is a
 * usage error that names the limit. */
Test(deviations, long_hex_parameters) {
  size_t n = TG_DEV_MAX_HEX;
  char *spec = malloc(2 * n + 64);
  cr_assert_not_null(spec);
  for (size_t extra = 0; extra < 2; extra++) {
    int k = sprintf(spec, "add_extension:65000:");
    for (size_t i = 0; i < n + extra; i++)
      k += sprintf(spec + k, "%02x", (unsigned)(i & 0xff));
    tg_deviation_set s;
    tg_deviation *d = NULL;
    tg_err err;
    tg_err_clear(&err);
    tg_deviation_set_init(&s);
    tg_status r = tg_deviation_set_add(&s, spec, &d, &err);
    if (extra == 0) {
      cr_assert_eq(r, TG_OK, "%s", err.what);
      cr_expect_eq(d->hex_len, n);
      cr_expect_eq(d->hex[n - 1], (uint8_t)((n - 1) & 0xff));
    } else {
      cr_expect_eq(r, TG_E_USAGE);
      cr_expect_eq(s.n, 0);
      cr_expect(strstr(err.what, "at most 65535 bytes") != NULL, "%s", err.what);
    }
    tg_deviation_set_free(&s);
  }
  free(spec);
}

Test(deviations, a_full_set_refuses_more) {
  tg_deviation_set s;
  tg_err err;
  tg_deviation_set_init(&s);
  for (int i = 0; i < TG_DEV_MAX; i++)
    cr_assert_eq(tg_deviation_set_add(&s, "corrupt_finished", NULL, &err), TG_OK);
  cr_expect_eq(tg_deviation_set_add(&s, "corrupt_finished", NULL, &err), TG_E_USAGE);
  tg_deviation_set_free(&s);
}

/* ---- Each deviation against the built-in peer ----------------------------------------------- */

enum { NO_ALERT = -1 };

typedef struct dev_row {
  const char *spec;
  bool on_server;   /* the deviating side */
  bool real_aead;   /* real AES-GCM (the peer's decryption is part of what is checked) */
  const char *sent; /* the message types the deviating side sent, or NULL: not checked */
  int alert;        /* what the built-in peer sends, or NO_ALERT: neither side fails */
  /* The deviating side cannot read the alert: it is protected with keys the deviating side does
   * not share (corrupt_key_share). (A plaintext alert answering a ServerHello is read: the
   * built-in server accepts one until the client's first protected record.) */
  bool alert_unreadable;
} dev_row;

/* Without deviations the server sends 2,8,11,15,20 (ServerHello, EncryptedExtensions,
 * Certificate, CertificateVerify, Finished) and the client 1,20. */
static const dev_row rows[] = {
    /* RFC 8446 §4.3.1: EncryptedExtensions comes right after ServerHello. */
    {"skip:encrypted_extensions", true, false, "2,11,15,20", TG_ALERT_unexpected_message, false},
    /* §4.4.3: a Certificate is followed by CertificateVerify. */
    {"skip:certificate_verify", true, false, "2,8,11,20", TG_ALERT_unexpected_message, false},
    {"skip:finished", false, false, "1", NO_ALERT, false}, /* the server waits (checked below) */
    {"duplicate:certificate", true, false, "2,8,11,11,15,20", TG_ALERT_unexpected_message, false},
    {"duplicate:encrypted_extensions", true, false, "2,8,8,11,15,20", TG_ALERT_unexpected_message,
     false},
    {"reorder:certificate:certificate_verify", true, false, "2,8,15,11,20",
     TG_ALERT_unexpected_message, false},
    /* A KeyUpdate inside the handshake flight (§4.6.3: only after the handshake). */
    {"inject:1800000100@encrypted_extensions", true, false, "2,8,24,11,15,20",
     TG_ALERT_unexpected_message, false},
    /* §4.4.4: a Finished that does not verify is decrypt_error, either way. */
    {"corrupt_finished", true, true, NULL, TG_ALERT_decrypt_error, false},
    {"corrupt_finished", false, true, NULL, TG_ALERT_decrypt_error, false},
    /* §4.4.3: a CertificateVerify signature that does not verify is decrypt_error. */
    {"corrupt_signature", true, false, "2,8,11,15,20", TG_ALERT_decrypt_error, false},
    /* §4.1.2: legacy_compression_methods must be exactly {0} in a TLS 1.3 ClientHello. */
    {"set_field:client_hello.legacy_compression_methods:01", false, false, "1",
     TG_ALERT_illegal_parameter, false},
    /* §4.1.3: the server echoes the legacy_session_id that was sent, and the client checks the
     * echo against that one, not the one it would have sent. */
    {"set_field:client_hello.legacy_session_id:"
     "0000000000000000000000000000000000000000000000000000000000000000",
     false, false, "1,20", NO_ALERT, false},
    {"set_field:client_hello.legacy_session_id:", false, false, "1,20", NO_ALERT, false},
    /* §4.1.2 presentation language: cipher_suites<2..2^16-2>. */
    {"set_field:client_hello.cipher_suites:", false, false, "1", TG_ALERT_decode_error, false},
    /* §4.1.3: a cipher suite the client did not offer is illegal_parameter. */
    {"set_field:server_hello.cipher_suite:1399", true, false, "2,8,11,15,20",
     TG_ALERT_illegal_parameter, false},
    /* §4.1.3: legacy_compression_method must be 0. */
    {"set_field:server_hello.legacy_compression_method:01", true, false, "2,8,11,15,20",
     TG_ALERT_illegal_parameter, false},
    /* §4.4.3: a scheme the client did not offer is illegal_parameter. */
    {"set_field:certificate_verify.algorithm:0401", true, false, "2,8,11,15,20",
     TG_ALERT_illegal_parameter, false},
    /* §9.2: a ClientHello without supported_versions is not TLS 1.3; this server is 1.3 only. */
    {"drop_extension:supported_versions", false, false, "1", TG_ALERT_protocol_version, false},
    /* §9.2: "supported_groups" without "key_share" is missing_extension. */
    {"drop_extension:key_share@client_hello", false, false, "1", TG_ALERT_missing_extension, false},
    /* §4.2: "There MUST NOT be more than one extension of the same type". */
    {"duplicate_extension:supported_groups", false, false, "1", TG_ALERT_illegal_parameter, false},
    /* §4.1.2: servers ignore extensions they do not recognise. */
    {"add_extension:65000:abcd", false, false, "1,20", NO_ALERT, false},
    /* §4.2: early_data is not allowed in a ServerHello. */
    {"add_extension:early_data:", true, false, "2,8,11,15,20", TG_ALERT_illegal_parameter, false},
    /* §5.1: an x25519 share changed to another point: the secrets differ, so the client cannot
     * open the server's first protected record. */
    {"corrupt_key_share", true, true, NULL, TG_ALERT_bad_record_mac, true},
    {"corrupt_key_share", false, true, NULL, TG_ALERT_bad_record_mac, true},
    /* §5: an unknown record type is unexpected_message. */
    {"record_type:25", false, false, NULL, TG_ALERT_unexpected_message, false},
    /* §5.2: the outer type of a protected record must be application_data. */
    {"record_type:22@finished", false, false, NULL, TG_ALERT_unexpected_message, false},
    {"record_version:0200", false, false, NULL, TG_ALERT_protocol_version, false},
    /* §5.1: legacy_record_version is otherwise ignored. */
    {"record_version:0301", true, false, "2,8,11,15,20", NO_ALERT, false},
    {"fragment:7", true, false, "2,8,11,15,20", NO_ALERT, false},
    /* §5.1: no zero-length fragments of Handshake types. */
    {"zero_length_record@client_hello", false, false, "", TG_ALERT_unexpected_message, false},
    /* §5.1/§5.2: plaintext over 2^14, inner plaintext over 2^14 + 1 bytes. */
    {"oversize_record@client_hello", false, false, NULL, TG_ALERT_record_overflow, false},
    {"oversize_record@finished", false, false, NULL, TG_ALERT_record_overflow, false},
    {"record_padding:300", true, false, "2,8,11,15,20", NO_ALERT, false},
    /* §5: after the key change, handshake records must be protected. */
    {"plaintext_after_keys@finished", false, false, "1,20", TG_ALERT_unexpected_message, false},
    {"skip_record@encrypted_extensions", true, false, "2", NO_ALERT, false},
    /* §4.1.2: a ClientHello cut short (its header agreeing) is decode_error. */
    {"truncate:client_hello:10", false, false, "1", TG_ALERT_decode_error, false},
    /* legacy_session_id's length byte (offset 4 + 2 + 32) claiming 255 bytes: decode_error. */
    {"patch:client_hello:38:ff", false, false, "1", TG_ALERT_decode_error, false},
    /* §4: bytes after the last field of a message are decode_error. */
    {"append:client_hello:00", false, false, "1", TG_ALERT_decode_error, false},
    /* §2: application data before the client's Finished (under the handshake keys). */
    {"inject_record:23:41@finished", false, false, NULL, TG_ALERT_unexpected_message, false},
};

/* The side that must answer (the one without the deviation) sent `alert` and the deviating side
 * received it; or both are established. */
static void expect_outcome(run *r, const dev_row *row) {
  tg_conn *dev = row->on_server ? r->p.s : r->p.c, *peer = row->on_server ? r->p.c : r->p.s;
  if (row->alert == NO_ALERT) {
    cr_expect_neq(tg_conn_info(peer)->phase, TG_PHASE_FAILED, "%s: the peer failed: %s", row->spec,
                  tg_conn_info(peer)->err.what);
    cr_expect_neq(tg_conn_info(dev)->phase, TG_PHASE_FAILED, "%s: the deviating side failed: %s",
                  row->spec, tg_conn_info(dev)->err.what);
    return;
  }
  if (!row->alert_unreadable) {
    expect_alert(peer, dev, row->alert, row->spec);
    return;
  }
  /* The alert is on the wire but the deviating side cannot read it (see the rows). */
  const struct tg_conn_info *pi = tg_conn_info(peer);
  cr_expect_eq(pi->phase, TG_PHASE_FAILED, "%s: the peer did not fail", row->spec);
  cr_expect_eq(pi->alert_sent, row->alert, "%s: sent %s, want %s (%s)", row->spec,
               tg_alert_name((unsigned)pi->alert_sent), tg_alert_name((unsigned)row->alert),
               pi->err.what);
  cr_expect_eq(tg_conn_info(dev)->phase, TG_PHASE_FAILED, "%s: the deviating side went on",
               row->spec);
}

Test(deviations, each_deviation_and_the_peers_answer) {
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const dev_row *row = &rows[i];
    run r;
    run_start(&r, row->spec, row->on_server, row->real_aead);
    run_go(&r);
    cr_expect_gt(r.dev->hits, 0, "%s: never applied", row->spec);
    if (row->sent != NULL) {
      char types[128];
      msg_types(tg_writer_bytes(row->on_server ? &r.sw.bytes : &r.cw.bytes), types, sizeof types);
      cr_expect_str_eq(types, row->sent, "%s: sent %s, want %s", row->spec, types, row->sent);
    }
    expect_outcome(&r, row);
    run_free(&r);
  }
}

/* ---- What the table cannot show ---------------------------------------------------------------
 */

Test(deviations, skip_finished_leaves_the_server_waiting) {
  run r;
  run_start(&r, "skip:finished", false, false);
  run_go(&r);
  cr_expect_eq(tg_conn_info(r.p.c)->phase, TG_PHASE_ESTABLISHED);
  cr_expect_eq(tg_conn_info(r.p.s)->phase, TG_PHASE_HANDSHAKE);
  /* Application data under the client's application key is not what the server expects. */
  cr_assert_eq(tg_conn_write(r.p.c, tg_bytes_of("x", 1)), TG_OK);
  pump_record(&r.p, &r.cw, &r.sw);
  expect_alert(r.p.s, r.p.c, TG_ALERT_unexpected_message, "data instead of Finished");
  run_free(&r);
}

Test(deviations, fragment_splits_every_record) {
  run r;
  run_start(&r, "fragment:7", true, false);
  run_go(&r);
  record_view recs[256];
  size_t n;
  records_of(tg_writer_bytes(&r.sw.bytes), recs, 256, &n);
  cr_expect_gt(n, 20, "only %zu records", n);
  for (size_t i = 0; i < n; i++) {
    uint8_t type;
    tg_bytes content = recs[i].fragment;
    if (recs[i].type == TG_CT_application_data)
      cr_assert(inner_of(recs[i].fragment, &type, &content));
    cr_expect_leq(content.len, 7, "record %zu carries %zu bytes", i, content.len);
  }
  expect_established(&r.p);
  run_free(&r);
}

Test(deviations, record_version_and_type_change_the_header) {
  run r;
  run_start(&r, "record_version:0301", true, false);
  run_go(&r);
  record_view recs[32];
  size_t n;
  records_of(tg_writer_bytes(&r.sw.bytes), recs, 32, &n);
  cr_assert_gt(n, 1);
  for (size_t i = 0; i < n; i++)
    cr_expect_eq(recs[i].version, 0x0301);
  run_free(&r);

  run_start(&r, "record_type:25", false, false);
  run_go(&r);
  records_of(tg_writer_bytes(&r.cw.bytes), recs, 32, &n);
  cr_assert_geq(n, 1);
  cr_expect_eq(recs[0].type, 25);
  run_free(&r);
}

Test(deviations, padding_and_oversize_grow_the_records) {
  run r;
  run_start(&r, "record_padding:300", true, false);
  run_go(&r);
  record_view recs[32];
  size_t n;
  records_of(tg_writer_bytes(&r.sw.bytes), recs, 32, &n);
  size_t protected_records = 0;
  for (size_t i = 0; i < n; i++) {
    if (recs[i].type != TG_CT_application_data)
      continue;
    protected_records++;
    /* content, type, 300 zeros, the tag */
    cr_expect_geq(recs[i].fragment.len, 300 + 1 + TG_AEAD_TAG_LEN);
  }
  cr_expect_geq(protected_records, 1);
  run_free(&r);

  run_start(&r, "oversize_record@client_hello", false, false);
  run_go(&r);
  records_of(tg_writer_bytes(&r.cw.bytes), recs, 32, &n);
  cr_assert_geq(n, 1);
  cr_expect_eq(recs[0].fragment.len, TG_MAX_PLAINTEXT + 1);
  run_free(&r);
}

Test(deviations, set_field_and_extensions_edit_the_client_hello) {
  run r;
  tg_deviation *drop, *add;
  tg_err err;
  run_start(&r, "set_field:client_hello.legacy_version:0302", false, false);
  cr_assert_eq(tg_deviation_set_add(&r.set, "drop_extension:server_name", &drop, &err), TG_OK);
  cr_assert_eq(tg_deviation_set_add(&r.set, "add_extension:65001:0102", &add, &err), TG_OK);
  r.p.ccfg.server_name = "example.com";
  pair_start(&r.p);
  tt_buf ch = take_output(r.p.c);
  record_view rec;
  size_t n;
  records_of(tt_view(ch), &rec, 1, &n);
  cr_assert_eq(n, 1);
  tg_reader rd;
  tg_reader_init(&rd, rec.fragment.p, rec.fragment.len, NULL);
  tg_handshake m;
  tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
  cr_assert_eq(tg_handshake_decode(&rd, &ctx, &m), TG_OK);
  cr_expect_eq(m.u.client_hello.legacy_version, 0x0302);
  tg_bytes data;
  cr_expect_not(tg_ext_find(m.u.client_hello.extensions, TG_EXT_server_name, &data));
  cr_assert(tg_ext_find(m.u.client_hello.extensions, 65001, &data));
  cr_expect(tg_bytes_eq(data, tg_bytes_of("\x01\x02", 2)));
  cr_expect(tg_ext_find(m.u.client_hello.extensions, TG_EXT_key_share, &data));
  cr_expect_eq(drop->hits, 1);
  cr_expect_eq(add->hits, 1);
  tt_free(&ch);
  run_free(&r);
}

Test(deviations, one_set_runs_several_deviations) {
  run r;
  tg_deviation *second;
  tg_err err;
  run_start(&r, "record_padding:10", true, false);
  cr_assert_eq(tg_deviation_set_add(&r.set, "duplicate:certificate", &second, &err), TG_OK);
  run_go(&r);
  cr_expect_gt(r.dev->hits, 0);
  cr_expect_eq(second->hits, 1);
  char types[128];
  msg_types(tg_writer_bytes(&r.sw.bytes), types, sizeof types);
  cr_expect_str_eq(types, "2,8,11,11,15,20");
  expect_alert(r.p.c, r.p.s, TG_ALERT_unexpected_message, "padded, certificate twice");
  run_free(&r);
}

/* ---- A HelloRetryRequest exchange: "/hrr" and "/retry" ------------------------------------- */

Test(deviations, hrr_suffixes_parse) {
  static const char *bad[] = {
      "skip:finished/later",        /* not a moment */
      "record_type:23/retry",       /* a record deviation */
      "corrupt_finished/hrr",       /* not one message's edit */
      "reorder:finished:certificate/retry",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    tg_deviation_set s;
    tg_err err;
    tg_err_clear(&err);
    tg_deviation_set_init(&s);
    cr_expect_eq(tg_deviation_set_add(&s, bad[i], NULL, &err), TG_E_USAGE, "'%s' accepted", bad[i]);
    cr_expect_eq(s.n, 0, "'%s' left a deviation installed", bad[i]);
    tg_deviation_set_free(&s);
  }
  tg_deviation_set s;
  tg_deviation *d;
  tg_err err;
  tg_deviation_set_init(&s);
  cr_assert_eq(tg_deviation_set_add(&s, "drop_extension:cookie@client_hello/retry", &d, &err),
               TG_OK, "%s", err.what);
  cr_expect_eq(d->when, TG_DEV_WHEN_RETRY);
  cr_expect_eq(d->at_msg, TG_HS_client_hello);
  cr_expect_eq(d->number, TG_EXT_cookie);
  cr_assert_eq(tg_deviation_set_add(&s, "set_field:server_hello.cipher_suite:1302/hrr", &d, &err),
               TG_OK, "%s", err.what);
  cr_expect_eq(d->when, TG_DEV_WHEN_HRR);
  cr_expect_eq(d->hex_len, 2);
  cr_assert_eq(tg_deviation_set_add(&s, "skip:finished", &d, &err), TG_OK);
  cr_expect_eq(d->when, TG_DEV_WHEN_ANY);
  tg_deviation_set_free(&s);
}

/* The ClientHellos a client sent, decoded: at most 2. */
static size_t client_hellos(tg_bytes stream, tg_handshake *out) {
  record_view recs[16];
  size_t n, found = 0;
  records_of(stream, recs, 16, &n);
  for (size_t i = 0; i < n && found < 2; i++) {
    tg_bytes f = recs[i].fragment;
    if (recs[i].type != TG_CT_handshake || f.len == 0 || f.p[0] != TG_HS_client_hello)
      continue;
    tg_reader rd;
    tg_reader_init(&rd, f.p, f.len, NULL);
    tg_hs_ctx ctx = {.version = TG_VERSION_TLS13};
    cr_assert_eq(tg_handshake_decode(&rd, &ctx, &out[found]), TG_OK);
    found++;
  }
  return found;
}

/* Each row forces a HelloRetryRequest (the server has only secp256r1, the client's share is
 * x25519) unless no_hrr; the deviation must change only the message its moment names. */
typedef struct hrr_row {
  const char *spec;
  bool on_server;
  bool no_hrr;
  unsigned hits;
  int alert; /* what the peer of the deviating side sends, or NO_ALERT */
} hrr_row;

static const hrr_row hrr_rows[] = {
    /* An unknown extension in the second ClientHello only: ignored, and counted once. */
    {"add_extension:65001:01@client_hello/retry", false, false, 1, NO_ALERT},
    /* Without a HelloRetryRequest there is no second ClientHello to edit. */
    {"add_extension:65001:01@client_hello/retry", false, true, 0, NO_ALERT},
    /* RFC 8446 4.1.4: the suite of the HelloRetryRequest is the one negotiated. The second
     * ClientHello offers only another suite (the first, unedited, let the server pick 1301). */
    {"set_field:client_hello.cipher_suites:1302/retry", false, false, 1,
     TG_ALERT_illegal_parameter},
    /* RFC 8446 4.1.4: the ServerHello's suite differs from the HelloRetryRequest's: only the
     * ServerHello is edited (an edited HelloRetryRequest too would agree with it). */
    {"set_field:server_hello.cipher_suite:1302/retry", true, false, 1, TG_ALERT_illegal_parameter},
    /* ... and the other way round: only the HelloRetryRequest. */
    {"set_field:server_hello.cipher_suite:1302/hrr", true, false, 1, TG_ALERT_illegal_parameter},
    /* A HelloRetryRequest that changes nothing (RFC 8446 4.1.4): its key_share dropped. */
    {"drop_extension:key_share@server_hello/hrr", true, false, 1, TG_ALERT_illegal_parameter},
};

Test(deviations, hrr_moments_edit_only_their_message) {
  for (size_t i = 0; i < sizeof hrr_rows / sizeof hrr_rows[0]; i++) {
    const hrr_row *row = &hrr_rows[i];
    run r;
    run_start(&r, row->spec, row->on_server, false);
    if (!row->no_hrr)
      pair_force_hrr(&r.p);
    run_go(&r);
    cr_expect_eq(r.dev->hits, row->hits, "%s (row %zu): applied %u times", row->spec, i,
                 r.dev->hits);
    cr_expect_eq(tg_conn_info(r.p.s)->hello_retry, !row->no_hrr, "row %zu", i);
    tg_conn *dev = row->on_server ? r.p.s : r.p.c, *peer = row->on_server ? r.p.c : r.p.s;
    if (row->alert == NO_ALERT)
      expect_established(&r.p);
    else
      expect_alert(peer, dev, row->alert, row->spec);
    run_free(&r);
  }
}

/* The second ClientHello carries the added extension; the first does not. */
Test(deviations, retry_leaves_the_first_client_hello_alone) {
  run r;
  run_start(&r, "add_extension:65001:01@client_hello/retry", false, false);
  pair_force_hrr(&r.p);
  run_go(&r);
  tg_handshake ch[2];
  cr_assert_eq(client_hellos(tg_writer_bytes(&r.cw.bytes), ch), 2);
  tg_bytes data;
  cr_expect_not(tg_ext_find(ch[0].u.client_hello.extensions, 65001, &data));
  cr_expect(tg_ext_find(ch[1].u.client_hello.extensions, 65001, &data));
  expect_established(&r.p);
  run_free(&r);
}

/* A deviation added to the table without a row above fails here. */
/* @change_cipher_spec selects the change_cipher_spec record: a middlebox-compatible client
 * (RFC 8446 D.4) with skip_record@change_cipher_spec sends none, which a TLS 1.3 peer does not
 * need; and record_type:21@change_cipher_spec sends it as an alert record instead. */
Test(deviations, the_change_cipher_spec_selector) {
  static const struct {
    const char *spec;
    uint8_t first_after_hello; /* the type of the client's second record */
    bool peer_fails;
  } cases[] = {
      {"skip_record@change_cipher_spec", TG_CT_application_data, false},
      {"record_type:21@change_cipher_spec", TG_CT_alert, true},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    run r;
    run_start(&r, cases[i].spec, false, true);
    r.p.ccfg.middlebox_compat = true;
    run_go(&r);
    cr_expect_eq(r.dev->hits, 1, "%s: applied %u times", cases[i].spec, r.dev->hits);
    record_view recs[16];
    size_t n;
    records_of(tg_writer_bytes(&r.cw.bytes), recs, 16, &n);
    cr_assert_gt(n, 1, "%s: the client sent %zu records", cases[i].spec, n);
    cr_expect_eq(recs[1].type, cases[i].first_after_hello, "%s: second record type %u",
                 cases[i].spec, recs[1].type);
    for (size_t k = 0; k < n; k++)
      cr_expect_neq(recs[k].type, TG_CT_change_cipher_spec, "%s: a CCS went out", cases[i].spec);
    cr_expect_eq(tg_conn_info(r.p.s)->phase == TG_PHASE_FAILED, cases[i].peer_fails, "%s: %s",
                 cases[i].spec, tg_conn_info(r.p.s)->err.what);
    run_free(&r);
  }
}

Test(deviations, every_deviation_has_a_row) {
  size_t n;
  const tg_dev_def *t = tg_deviation_list(&n);
  for (size_t i = 0; i < n; i++) {
    bool found = false;
    size_t len = strlen(t[i].name);
    if (strncmp(t[i].name, "cbc_", 4) == 0)
      continue; /* TLS 1.2 CBC records only: each has its row in tests/cbc_engine_test.c */
    if (strncmp(t[i].name, "premaster_", 10) == 0)
      continue; /* TLS 1.2 RSA key transport only: the_rsa_premaster_deviations below */
    for (size_t j = 0; j < sizeof rows / sizeof rows[0] && !found; j++)
      found = strncmp(rows[j].spec, t[i].name, len) == 0 &&
              (rows[j].spec[len] == '\0' || rows[j].spec[len] == ':' || rows[j].spec[len] == '@');
    cr_expect(found, "%s has no row in each_deviation_and_the_peers_answer", t[i].name);
  }
}

/* ---- The RSA premaster (TLS 1.2 RSA key transport) ------------------------------------------ */

/* RFC 5246 7.4.7.1: whatever is wrong with the premaster (its version bytes, its length, its
 * PKCS #1 block), the built-in server says nothing at the ClientKeyExchange, goes on with a
 * random premaster, and the client's Finished (keyed from what the client sent) does not
 * decrypt: bad_record_mac. Each deviation fires once; without one, the handshake completes. */
Test(deviations, the_rsa_premaster_deviations) {
  static const uint8_t rsa_suite[] = {0x00, 0x9c}; /* TLS_RSA_WITH_AES_128_GCM_SHA256 */
  static const char *const specs[] = {
      NULL,
      "premaster_version:0303", /* the right bytes: goes through */
      "premaster_version:0301",
      "premaster_version:0000",
      "premaster_length:47",
      "premaster_length:49",
      "premaster_padding:1",
      "premaster_padding:2",
      "premaster_padding:3",
      "premaster_padding:4",
  };
  for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
    tg_deviation_set set;
    tg_deviation *d = NULL;
    tg_err err;
    tg_deviation_set_init(&set);
    if (specs[i] != NULL)
      cr_assert_eq(tg_deviation_set_add(&set, specs[i], &d, &err), TG_OK, "%s", err.what);
    pair p;
    pair_init(&p, &keys[2]); /* an RSA server key */
    p.ccfg.max_version = p.scfg.max_version = TG_VERSION_TLS12;
    p.ccfg.cipher_suites = tg_bytes_of(rsa_suite, 2);
    p.ccfg.rsa_key_exchange = p.scfg.rsa_key_exchange = true;
    tg_deviation_set_attach(&set, &p.ccfg);
    pair_start(&p);
    pump(&p);
    const char *what = specs[i] ? specs[i] : "no deviation";
    if (i < 2) {
      cr_expect_eq(tg_conn_info(p.s)->phase, TG_PHASE_ESTABLISHED, "%s: %s", what,
                   tg_conn_info(p.s)->err.what);
    } else {
      expect_alert(p.s, p.c, TG_ALERT_bad_record_mac, what);
    }
    if (d != NULL)
      cr_expect_eq(d->hits, 1, "%s fired %u times", what, d->hits);
    pair_free(&p);
    tg_deviation_set_free(&set);
  }
}

/* The premaster deviations' parameters: a 2-byte version, a length from 1 to 1024, a padding
 * flaw from 1 to 4. */
Test(deviations, rsa_premaster_parameters) {
  static const char *const bad[] = {
      "premaster_version:03",   "premaster_version",
      "premaster_length:0",     "premaster_length:1025",
      "premaster_padding:0",    "premaster_padding:5",
      "premaster_padding:nope", "premaster_length:47@finished",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    tg_deviation_set s;
    tg_err err;
    tg_deviation_set_init(&s);
    cr_expect_eq(tg_deviation_set_add(&s, bad[i], NULL, &err), TG_E_USAGE, "'%s' accepted", bad[i]);
    tg_deviation_set_free(&s);
  }
}
