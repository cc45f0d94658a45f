/* ClientHello (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2 for the TLS 1.2 form). */
#include <string.h>

#include "engine/permissive.h"
#include "tg/ext/supported_versions.h"
#include "tg/extensions.h"
#include "tg/hs/client_hello.h"
#include "tg/names.h"

/* Whether supported_versions (RFC 8446 §4.2.1) lists TLS 1.3. Errors are not recorded here: the
 * extension's descriptor validates the body when the block is checked. */
static bool offers_tls13(tg_bytes extensions) {
  tg_bytes data;
  tg_supported_versions_ch sv;
  return tg_ext_find(extensions, TG_EXT_supported_versions, &data) &&
         tg_supported_versions_parse_ch(data, &sv, NULL) == TG_OK &&
         tg_u16s_contains(sv.versions, TG_VERSION_TLS13);
}

bool tg_client_hello_offers_tls13(const tg_client_hello *m) {
  return m->has_extensions && offers_tls13(m->extensions);
}

static tg_ext_where where_of(const tg_client_hello *m) {
  tg_ext_where where = {TG_CTX_CH, TG_VERSION_TLS12};
  if (tg_client_hello_offers_tls13(m))
    where.version = TG_VERSION_TLS13;
  return where;
}

/* RFC 8446 §4.2.11: "The "pre_shared_key" extension MUST be the last extension in the
 * ClientHello ... Servers MUST check that it is the last extension and otherwise fail the
 * handshake with an "illegal_parameter" alert." */
static tg_status check_psk_last(tg_bytes extensions, const tg_reader *body) {
  tg_ext_iter it;
  uint16_t type;
  tg_bytes data;
  bool seen_psk = false;
  tg_ext_iter_init(&it, extensions);
  while (tg_ext_next(&it, &type, &data)) {
    /* Permissive (engine/permissive.h): the binders are then not the message's last bytes, and
     * the server checks none (psk.c). */
    TG_PEER_CHECK_IN(body->tolerate, body->err, !seen_psk, illegal_parameter, TG_E_BAD_VALUE,
                     "ClientHello.extensions has %s after pre_shared_key, which must be last",
                     tg_ext_type_name(type) ? tg_ext_type_name(type) : "an extension");
    seen_psk = type == TG_EXT_pre_shared_key;
  }
  return TG_OK;
}

/* The rules that hold only for a hello offering TLS 1.3. */
static tg_status check_tls13(const tg_client_hello *m, const tg_reader *body) {
  tg_err *err = body->err;
  tg_reader r;
  uint8_t method = 0;
  /* RFC 8446 §4.1.2: Extension extensions<8..2^16-1> in a TLS 1.3 ClientHello. */
  TG_ENSURE(err, m->extensions.len >= 8, decode_error, TG_E_LENGTH,
            "ClientHello.extensions has length %zu outside <8..65535>", m->extensions.len);
  /* RFC 8446 §4.1.2: "For every TLS 1.3 ClientHello, this vector MUST contain exactly one byte,
   * set to zero ... the server MUST abort the handshake with an "illegal_parameter" alert." */
  tg_reader_init(&r, m->legacy_compression_methods.p, m->legacy_compression_methods.len, err);
  if (m->legacy_compression_methods.len == 1)
    TG_TRY(tg_read_u8(&r, &method, "ClientHello.legacy_compression_methods"));
  TG_PEER_CHECK_IN(body->tolerate, err, m->legacy_compression_methods.len == 1 && method == 0,
                   illegal_parameter, TG_E_BAD_VALUE,
                   "ClientHello.legacy_compression_methods must be exactly {0} in TLS 1.3 (%zu "
                   "bytes)",
                   m->legacy_compression_methods.len);
  return check_psk_last(m->extensions, body);
}

/*
 * struct {
 *     ProtocolVersion legacy_version = 0x0303;    // TLS v1.2
 *     Random random;
 *     opaque legacy_session_id<0..32>;
 *     CipherSuite cipher_suites<2..2^16-2>;
 *     opaque legacy_compression_methods<1..2^8-1>;
 *     Extension extensions<8..2^16-1>;            // TLS 1.2: optional, <0..2^16-1>
 * } ClientHello;
 */
tg_status tg_client_hello_decode(tg_reader *body, const struct tg_hs_ctx *ctx,
                                 tg_client_hello *out) {
  tg_reader v;
  (void)ctx; /* a ClientHello says its own version, in supported_versions */
  memset(out, 0, sizeof *out);
  TG_TRY(tg_read_u16(body, &out->legacy_version, "ClientHello.legacy_version"));
  TG_TRY(tg_read_copy(body, out->random, sizeof out->random, "ClientHello.random"));
  TG_TRY(tg_read_vec(body, 1, 0, 32, &v, "ClientHello.legacy_session_id"));
  out->legacy_session_id = tg_reader_rest(&v);
  TG_TRY(tg_read_vec16s(body, 2, 2, 65534, &v, "ClientHello.cipher_suites"));
  out->cipher_suites = tg_reader_rest(&v);
  TG_TRY(tg_read_vec(body, 1, 1, 255, &v, "ClientHello.legacy_compression_methods"));
  out->legacy_compression_methods = tg_reader_rest(&v);
  /* RFC 5246 §7.4.1.2: a TLS 1.2 hello may end here ("the presence of extensions can be
   * detected by determining whether there are bytes following the compression_methods"). */
  if (tg_left(body) > 0) {
    TG_TRY(tg_read_vec(body, 2, 0, 65535, &v, "ClientHello.extensions"));
    out->has_extensions = true;
    out->extensions = tg_reader_rest(&v);
  }
  TG_TRY(tg_read_done(body, "ClientHello"));
  if (!out->has_extensions)
    return TG_OK;
  tg_ext_where where = where_of(out);
  TG_TRY(tg_extensions_check_in(out->extensions, &where, body));
  if (where.version == TG_VERSION_TLS13)
    TG_TRY(check_tls13(out, body));
  return TG_OK;
}

void tg_client_hello_encode(tg_writer *w, const struct tg_hs_ctx *ctx, const tg_client_hello *m) {
  (void)ctx;
  /* Only the prefix widths limit the lengths: a deviation may send what the RFC forbids. */
  tg_w_u16(w, m->legacy_version);
  tg_w_bytes(w, m->random, sizeof m->random);
  tg_w_vec(w, 1, m->legacy_session_id);
  tg_w_vec(w, 2, m->cipher_suites);
  tg_w_vec(w, 1, m->legacy_compression_methods);
  if (m->has_extensions)
    tg_w_vec(w, 2, m->extensions);
}

static void describe_suites(tg_dump *d, tg_bytes suites) {
  tg_dump_list(d, "cipher_suites");
  for (size_t i = 0; i < tg_u16s_count(suites); i++) {
    uint16_t s = tg_u16s_get(suites, i);
    tg_dump_uint(d, NULL, s, tg_cipher_suite_name(s));
  }
  tg_dump_end(d);
}

void tg_client_hello_describe(tg_dump *d, const struct tg_hs_ctx *ctx, const tg_client_hello *m) {
  (void)ctx;
  tg_dump_uint(d, "legacy_version", m->legacy_version, tg_version_name(m->legacy_version));
  tg_dump_bytes(d, "random", tg_bytes_of(m->random, sizeof m->random));
  tg_dump_bytes(d, "legacy_session_id", m->legacy_session_id);
  describe_suites(d, m->cipher_suites);
  tg_dump_list(d, "legacy_compression_methods");
  tg_reader r;
  uint8_t method;
  tg_reader_init(&r, m->legacy_compression_methods.p, m->legacy_compression_methods.len, NULL);
  while (tg_read_u8(&r, &method, "legacy_compression_methods") == TG_OK)
    tg_dump_uint(d, NULL, method, method == 0 ? "null" : NULL);
  tg_dump_end(d);
  if (m->has_extensions) {
    tg_ext_where where = where_of(m);
    tg_extensions_describe(d, m->extensions, &where);
  }
}
