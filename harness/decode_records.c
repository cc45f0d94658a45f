/* tlsgauntlet decode --as record: a stream of records; the handshake messages they carry are
 * reassembled and decoded under each record that completes one. Protected records are shown as
 * opaque bytes (decode has no keys). */
#include <stdlib.h>

#include "decode.h"
#include "tg/record.h"

/* The largest handshake message (uint24 length) plus one record of content. */
#define REASM_CAP ((size_t)(1u << 24) + 4 + TG_MAX_PLAINTEXT + 1)

static int fail_at(decode_state *s, size_t offset) {
  s->failed_at = offset;
  return -1;
}

/* Pushes one handshake fragment and decodes every message it completes. */
static int handshake_content(decode_state *s, tg_hs_reasm *h, tg_bytes data, size_t offset) {
  tg_bytes msg;
  tg_status st;
  if (tg_hs_reasm_push(h, data, &s->err) != TG_OK)
    return fail_at(s, offset);
  tg_dump_list(s->dump, "messages");
  while ((st = tg_hs_reasm_pop(h, &msg, &s->err)) == TG_OK) {
    if (decode_handshakes(s, msg) != 0) {
      tg_dump_end(s->dump);
      return fail_at(s, offset);
    }
  }
  tg_dump_end(s->dump);
  return st == TG_E_NEED_MORE ? 0 : fail_at(s, offset);
}

static int one_record(decode_state *s, tg_hs_reasm *h, const tg_record *rec, size_t offset) {
  tg_dump_begin(s->dump, NULL);
  tg_record_describe(s->dump, rec);
  int rc = 0;
  if (rec->type != TG_CT_handshake && tg_hs_reasm_other_record(h, rec->type, &s->err) != TG_OK)
    rc = fail_at(s, offset);
  else if (rec->type == TG_CT_handshake)
    rc = handshake_content(s, h, rec->fragment, offset);
  else if (rec->type != TG_CT_application_data &&
           tg_content_check(rec->type, rec->fragment, s->ctx.version, &s->err) != TG_OK)
    rc = fail_at(s, offset);
  tg_dump_end(s->dump);
  return rc;
}

int decode_records(decode_state *s, tg_bytes in) {
  /* A capture mixes plaintext and protected records: the TLS 1.2 protected rules accept every
   * content type and the largest lengths (2^14 + 2048), and legacy_record_version is only shown. */
  tg_record_rules rules = {
      .version = TG_VERSION_TLS12, .protected_records = true, .version_check = TG_RECVER_MAJOR3};
  tg_hs_reasm h;
  uint8_t *buf = malloc(REASM_CAP);
  if (buf == NULL) {
    (void)TG_FAIL(&s->err, internal_error, TG_E_NOMEM, "out of memory");
    return fail_at(s, 0);
  }
  tg_hs_reasm_init(&h, buf, REASM_CAP, 0);
  size_t off = 0;
  int rc = 0;
  while (rc == 0 && off < in.len) {
    tg_record rec;
    size_t used = 0;
    tg_status st =
        tg_record_read(tg_bytes_of(in.p + off, in.len - off), &rules, &rec, &used, &s->err);
    if (st == TG_E_NEED_MORE) {
      (void)TG_FAIL(&s->err, decode_error, TG_E_TRUNCATED,
                    "the record at offset %zu is truncated (%zu bytes left)", off, in.len - off);
      rc = fail_at(s, off);
    } else if (st != TG_OK) {
      rc = fail_at(s, off);
    } else {
      rc = one_record(s, &h, &rec, off);
      off += used;
    }
  }
  if (rc == 0 && tg_hs_reasm_pending(&h)) {
    (void)TG_FAIL(&s->err, decode_error, TG_E_TRUNCATED,
                  "a handshake message is incomplete at the end of the input");
    rc = fail_at(s, in.len);
  }
  free(buf);
  return rc;
}
