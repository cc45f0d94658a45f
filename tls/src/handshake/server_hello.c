/* ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3). */
#include <string.h>

#include "engine/permissive.h"
#include "tg/ext/supported_versions.h"
#include "tg/extensions.h"
#include "tg/hs/server_hello.h"
#include "tg/names.h"

const uint8_t tg_hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.3 server's random when it negotiates less. */
static const uint8_t downgrade_prefix[7] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44};

tg_downgrade tg_server_hello_downgrade(const tg_server_hello *m) {
  const uint8_t *tail = m->random + sizeof m->random - 8;
  if (memcmp(tail, downgrade_prefix, sizeof downgrade_prefix) != 0)
    return TG_DOWNGRADE_NONE;
  if (tail[7] == 0x01)
    return TG_DOWNGRADE_TLS12;
  if (tail[7] == 0x00)
    return TG_DOWNGRADE_TLS11;
  return TG_DOWNGRADE_NONE;
}

/* The version supported_versions selects, or 0. Errors are not recorded here: the extension's
 * descriptor validates the body when the block is checked. */
uint16_t tg_server_hello_selected_version(const tg_server_hello *m) {
  tg_bytes data;
  tg_supported_versions_sh sv;
  if (!m->has_extensions || !tg_ext_find(m->extensions, TG_EXT_supported_versions, &data) ||
      tg_supported_versions_parse_sh(data, &sv, NULL) != TG_OK)
    return 0;
  return sv.selected_version;
}

static tg_ext_where where_of(const tg_server_hello *m) {
  tg_ext_where where = {m->is_hrr ? TG_CTX_HRR : TG_CTX_SH, TG_VERSION_TLS12};
  if (tg_server_hello_selected_version(m) == TG_VERSION_TLS13)
    where.version = TG_VERSION_TLS13;
  return where;
}

/*
 * struct {
 *     ProtocolVersion legacy_version = 0x0303;    // TLS v1.2
 *     Random random;
 *     opaque legacy_session_id_echo<0..32>;
 *     CipherSuite cipher_suite;
 *     uint8 legacy_compression_method = 0;
 *     Extension extensions<6..2^16-1>;            // TLS 1.2: optional, <0..2^16-1>
 * } ServerHello;
 */
tg_status tg_server_hello_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                 tg_server_hello *out) {
  tg_reader v;
  (void)ctx; /* a ServerHello says its own version, in supported_versions */
  memset(out, 0, sizeof *out);
  TG_TRY(tg_read_u16(body, &out->legacy_version, "ServerHello.legacy_version"));
  TG_TRY(tg_read_copy(body, out->random, sizeof out->random, "ServerHello.random"));
  out->is_hrr = memcmp(out->random, tg_hrr_random, sizeof tg_hrr_random) == 0;
  TG_TRY(tg_read_vec(body, 1, 0, 32, &v, "ServerHello.legacy_session_id_echo"));
  out->legacy_session_id_echo = tg_reader_rest(&v);
  TG_TRY(tg_read_u16(body, &out->cipher_suite, "ServerHello.cipher_suite"));
  TG_TRY(
      tg_read_u8(body, &out->legacy_compression_method, "ServerHello.legacy_compression_method"));
  /* RFC 5246 §7.4.1.3: extensions are optional in a TLS 1.2 ServerHello. */
  if (tg_left(body) > 0) {
    TG_TRY(tg_read_vec(body, 2, 0, 65535, &v, "ServerHello.extensions"));
    out->has_extensions = true;
    out->extensions = tg_reader_rest(&v);
  }
  TG_TRY(tg_read_done(body, "ServerHello"));
  /* RFC 8446 §4.1.3: "legacy_compression_method: A single byte which MUST have the value 0."
   * Compression is also gone from TLS 1.2 in practice (RFC 7457 §2.6, CRIME). */
  TG_PEER_CHECK_IN(body->tolerate, body->err, out->legacy_compression_method == 0,
                   illegal_parameter, TG_E_BAD_VALUE,
                   "ServerHello.legacy_compression_method is %u, must be 0",
                   out->legacy_compression_method);
  if (!out->has_extensions)
    return TG_OK;
  tg_ext_where where = where_of(out);
  return tg_extensions_check_in(out->extensions, &where, body);
}

void tg_server_hello_encode(tg_writer *w, const struct tg_hs_ctx *ctx, const tg_server_hello *m) {
  (void)ctx;
  tg_w_u16(w, m->legacy_version);
  tg_w_bytes(w, m->random, sizeof m->random);
  tg_w_vec(w, 1, m->legacy_session_id_echo);
  tg_w_u16(w, m->cipher_suite);
  tg_w_u8(w, m->legacy_compression_method);
  if (m->has_extensions)
    tg_w_vec(w, 2, m->extensions);
}

void tg_server_hello_describe(tg_dump *d, const struct tg_hs_ctx *ctx, const tg_server_hello *m) {
  static const char *const downgrade_names[] = {NULL, "TLS 1.2", "TLS 1.1"};
  tg_downgrade down = tg_server_hello_downgrade(m);
  (void)ctx;
  tg_dump_uint(d, "legacy_version", m->legacy_version, tg_version_name(m->legacy_version));
  tg_dump_bytes(d, "random", tg_bytes_of(m->random, sizeof m->random));
  /* Not fields of their own, but what a reader of the dump needs to know about the random. */
  if (m->is_hrr)
    tg_dump_uint(d, "hello_retry_request", 1, "HelloRetryRequest");
  if (down != TG_DOWNGRADE_NONE)
    tg_dump_uint(d, "downgrade_sentinel", down, downgrade_names[down]);
  tg_dump_bytes(d, "legacy_session_id_echo", m->legacy_session_id_echo);
  tg_dump_uint(d, "cipher_suite", m->cipher_suite, tg_cipher_suite_name(m->cipher_suite));
  tg_dump_uint(d, "legacy_compression_method", m->legacy_compression_method,
               m->legacy_compression_method == 0 ? "null" : NULL);
  if (m->has_extensions) {
    tg_ext_where where = where_of(m);
    tg_extensions_describe(d, m->extensions, &where);
  }
}
