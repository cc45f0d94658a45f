/* Helpers for the ext_a_*_test.c files: RFC 8448 messages as extension blocks, one-extension
 * blocks through tg_extensions_check, tables of malformed bodies, and a text tg_dump. */
#ifndef TG_EXT_A_UTIL_H
#define TG_EXT_A_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "hs_testutil.h"
#include "tg/codec.h"
#include "tg/extensions.h"
#include "tg/names.h"

#define RFC8448 TG_SOURCE_DIR "/vectors/rfc8448/"

/* The extensions block (without its length) of a Handshake message: ClientHello,
 * EncryptedExtensions or CertificateRequest. Walked with the reader, as the handshake code does. */
static inline tg_bytes message_extensions(const uint8_t *msg, size_t len) {
  tg_reader r, body, v, ext;
  uint8_t type;
  uint32_t mlen;
  tg_bytes skip;
  tg_reader_init(&r, msg, len, NULL);
  cr_assert_eq(tg_read_u8(&r, &type, "msg_type"), TG_OK);
  cr_assert_eq(tg_read_u24(&r, &mlen, "length"), TG_OK);
  cr_assert_eq(tg_read_bytes(&r, mlen, &skip, "body"), TG_OK);
  tg_reader_init(&body, skip.p, skip.len, NULL);
  if (type == TG_HS_client_hello) {
    cr_assert_eq(tg_read_bytes(&body, 2 + 32, &skip, "legacy_version, random"), TG_OK);
    cr_assert_eq(tg_read_vec(&body, 1, 0, 32, &v, "legacy_session_id"), TG_OK);
    cr_assert_eq(tg_read_vec(&body, 2, 2, 65534, &v, "cipher_suites"), TG_OK);
    cr_assert_eq(tg_read_vec(&body, 1, 1, 255, &v, "legacy_compression_methods"), TG_OK);
  } else if (type == TG_HS_certificate_request) {
    cr_assert_eq(tg_read_vec(&body, 1, 0, 255, &v, "certificate_request_context"), TG_OK);
  } else {
    cr_assert_eq(type, TG_HS_encrypted_extensions);
  }
  cr_assert_eq(tg_read_vec(&body, 2, 0, 65535, &ext, "extensions"), TG_OK);
  cr_assert_eq(tg_left(&body), 0);
  return tg_reader_rest(&ext);
}

/* The body of extension `type` in the message of an RFC 8448 vector file. */
static inline tg_bytes vector_ext(const char *file, uint16_t type, uint8_t *buf, size_t cap) {
  size_t n = tt_load_hex(file, buf, cap);
  tg_bytes block = message_extensions(buf, n), data;
  cr_assert(tg_ext_find(block, type, &data), "%s has no extension %u", file, type);
  return data;
}

/* Asserts that w holds exactly one extension {type, body}. */
static inline void assert_emitted(const tg_writer *w, uint16_t type, tg_bytes body) {
  tg_reader r, data;
  uint16_t t;
  cr_assert_eq(tg_writer_status(w), TG_OK);
  tg_reader_init(&r, w->buf, w->len, NULL);
  cr_assert_eq(tg_read_u16(&r, &t, "type"), TG_OK);
  cr_assert_eq(t, type, "emitted type %u, want %u", t, type);
  cr_assert_eq(tg_read_vec(&r, 2, 0, 65535, &data, "data"), TG_OK);
  cr_assert_eq(tg_left(&r), 0, "bytes after the extension");
  cr_assert(tg_bytes_eq(tg_reader_rest(&data), body), "emitted body differs (%zu vs %zu bytes)",
            tg_left(&data), body.len);
}

/* Checks a block holding the one extension {type, body} as tg_extensions_check does. */
static inline tg_status check_one(uint16_t type, tg_bytes body, enum tg_ext_ctx ctx,
                                  uint16_t version, tg_err *err) {
  static uint8_t buf[70000];
  tg_writer w;
  tg_ext_where where = {ctx, version};
  tg_writer_init(&w, buf, sizeof buf, NULL);
  tg_ext_emit_raw(&w, type, body);
  cr_assert_eq(tg_writer_status(&w), TG_OK);
  tg_err_clear(err);
  return tg_extensions_check(tg_writer_bytes(&w), &where, err);
}

/* One malformed (or well-formed: alert 0) body per row, with the alert it must cause. */
typedef struct bad_row {
  const char *what;
  enum tg_ext_ctx ctx;
  const char *hex;
  int alert; /* -1: accepted */
} bad_row;
#define ACCEPTED (-1)

static inline void run_rows(uint16_t type, const bad_row *rows, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint8_t body[1024];
    tg_err err;
    size_t len = tt_unhex(rows[i].hex, body, sizeof body);
    tg_status st = check_one(type, tg_bytes_of(body, len), rows[i].ctx, TG_VERSION_TLS13, &err);
    if (rows[i].alert == ACCEPTED) {
      cr_expect_eq(st, TG_OK, "row \"%s\": rejected: %s", rows[i].what, err.what);
    } else {
      cr_expect_neq(st, TG_OK, "row \"%s\": accepted", rows[i].what);
      cr_expect_eq((int)err.alert, rows[i].alert, "row \"%s\": alert %s, want %s (%s)",
                   rows[i].what, tg_alert_name(err.alert), tg_alert_name(rows[i].alert), err.what);
      cr_expect(err.file != NULL && strstr(err.file, "tls/src/extensions/") == err.file,
                "row \"%s\": error located at %s", rows[i].what, err.file ? err.file : "?");
    }
  }
}

/* Every strict prefix of a well-formed body is a decode_error. */
static inline void assert_prefixes_fail(uint16_t type, tg_bytes body, enum tg_ext_ctx ctx) {
  for (size_t n = 0; n < body.len; n++) {
    tg_err err;
    tg_status st = check_one(type, tg_bytes_of(body.p, n), ctx, TG_VERSION_TLS13, &err);
    cr_expect_neq(st, TG_OK, "prefix of %zu bytes accepted", n);
    cr_expect_eq(err.alert, TG_ALERT_decode_error, "prefix of %zu: %s", n, err.what);
  }
}

/* A tg_dump that prints "key=value(name)" items separated by spaces, for substring checks. */
typedef struct text_dump {
  tg_dump d;
  char out[4096];
} text_dump;

static inline void td_put(tg_dump *d, const char *fmt, const char *key, const char *val) {
  text_dump *t = d->user;
  size_t used = strlen(t->out);
  snprintf(t->out + used, sizeof t->out - used, fmt, key ? key : "-", val);
}
static inline void td_begin(tg_dump *d, const char *key, int list) {
  td_put(d, "%s=%s ", key, list ? "[" : "{");
}
static inline void td_end(tg_dump *d) { td_put(d, "%s%s ", "", "}"); }
static inline void td_uint(tg_dump *d, const char *key, uint64_t v, const char *name) {
  char val[96];
  snprintf(val, sizeof val, "%llu(%s)", (unsigned long long)v, name ? name : "");
  td_put(d, "%s=%s ", key, val);
}
static inline void td_bytes(tg_dump *d, const char *key, tg_bytes v) {
  char val[96];
  snprintf(val, sizeof val, "<%zu bytes>", v.len);
  td_put(d, "%s=%s ", key, val);
}
static inline void td_text(tg_dump *d, const char *key, tg_bytes v) {
  char val[300];
  snprintf(val, sizeof val, "\"%.*s\"", (int)(v.len > 255 ? 255 : v.len), (const char *)v.p);
  td_put(d, "%s=%s ", key, val);
}
static inline void text_dump_init(text_dump *t) {
  t->d = (tg_dump){td_begin, td_end, td_uint, td_bytes, td_text, t};
  t->out[0] = 0;
}

/* Describes a one-extension block and returns the text. */
static inline const char *describe_one(text_dump *t, uint16_t type, tg_bytes body,
                                       enum tg_ext_ctx ctx) {
  static uint8_t buf[70000];
  tg_writer w;
  tg_ext_where where = {ctx, TG_VERSION_TLS13};
  tg_writer_init(&w, buf, sizeof buf, NULL);
  tg_ext_emit_raw(&w, type, body);
  text_dump_init(t);
  tg_extensions_describe(&t->d, tg_writer_bytes(&w), &where);
  return t->out;
}

#endif
