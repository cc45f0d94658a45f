/* supported_versions (RFC 8446 §4.2.1). */
#include "tg/ext/supported_versions.h"
#include "tg/names.h"

/* ClientHello: struct { ProtocolVersion versions<2..254>; }
 * Unknown values (GREASE, drafts) are not an error: the server picks among those it knows. */
static tg_status read_ch(tg_reader *r, tg_supported_versions_ch *out) {
  tg_reader v;
  TG_TRY(tg_read_vec16s(r, 1, 2, 254, &v, "SupportedVersions.versions"));
  out->versions = tg_reader_rest(&v);
  return TG_OK;
}

/* ServerHello, HelloRetryRequest: struct { ProtocolVersion selected_version; }
 * A body that is not exactly one u16 (say, a ClientHello-style list) is a length error:
 * decode_error (RFC 8446 §6), as OpenSSL and BoringSSL answer too. */
static tg_status read_sh(tg_reader *r, tg_supported_versions_sh *out) {
  TG_TRY(tg_read_u16(r, &out->selected_version, "SupportedVersions.selected_version"));
  /* Decoding errors first: a list here must not be judged by its first two bytes. */
  TG_TRY(tg_read_done(r, "SupportedVersions"));
  /* RFC 8446 §4.2.1: "If the "supported_versions" extension in the ServerHello contains a
   * version not offered by the client or contains a version prior to TLS 1.3, the client MUST
   * abort the handshake with an "illegal_parameter" alert." The offer is the engine's check. */
  TG_ENSURE(r->err, out->selected_version >= TG_VERSION_TLS13, illegal_parameter, TG_E_BAD_VALUE,
            "SupportedVersions.selected_version 0x%04x is prior to TLS 1.3", out->selected_version);
  return TG_OK;
}

tg_status tg_supported_versions_parse_ch(tg_bytes body, tg_supported_versions_ch *out,
                                         tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_ch(&r, out));
  return tg_read_done(&r, "SupportedVersions");
}

tg_status tg_supported_versions_parse_sh(tg_bytes body, tg_supported_versions_sh *out,
                                         tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_sh(&r, out));
  return tg_read_done(&r, "SupportedVersions");
}

void tg_supported_versions_emit_ch(tg_writer *w, const tg_supported_versions_ch *sv) {
  tg_w_u16(w, TG_EXT_supported_versions);
  size_t ext = tg_w_open(w, 2);
  tg_w_vec(w, 1, sv->versions);
  tg_w_close(w, ext, 2, 65535, "supported_versions extension_data");
}

void tg_supported_versions_emit_sh(tg_writer *w, const tg_supported_versions_sh *sv) {
  tg_w_u16(w, TG_EXT_supported_versions);
  tg_w_u16(w, 2);
  tg_w_u16(w, sv->selected_version);
}

/* The value of each form: selected_version in ServerHello and HelloRetryRequest, the client's
 * list elsewhere (other messages have none; the 1.3 allow table rejects them first). */
typedef union supported_versions_value {
  tg_supported_versions_ch ch;
  tg_supported_versions_sh sh;
} supported_versions_value;

static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  supported_versions_value *v = value;
  if (where->ctx == TG_CTX_SH || where->ctx == TG_CTX_HRR)
    return tg_supported_versions_parse_sh(body, &v->sh, err);
  return tg_supported_versions_parse_ch(body, &v->ch, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  const supported_versions_value *v = value;
  if (where->ctx == TG_CTX_SH || where->ctx == TG_CTX_HRR)
    tg_supported_versions_emit_sh(w, &v->sh);
  else
    tg_supported_versions_emit_ch(w, &v->ch);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_supported_versions_ch ch;
  tg_supported_versions_sh sh;
  if (where->ctx == TG_CTX_SH || where->ctx == TG_CTX_HRR) {
    if (tg_supported_versions_parse_sh(body, &sh, NULL) == TG_OK) {
      tg_dump_uint(d, "selected_version", sh.selected_version,
                   tg_version_name(sh.selected_version));
      return;
    }
  } else if (tg_supported_versions_parse_ch(body, &ch, NULL) == TG_OK) {
    tg_dump_list(d, "versions");
    for (size_t i = 0; i < tg_u16s_count(ch.versions); i++)
      tg_dump_uint(d, NULL, tg_u16s_get(ch.versions, i),
                   tg_version_name(tg_u16s_get(ch.versions, i)));
    tg_dump_end(d);
    return;
  }
  tg_dump_bytes(d, "extension_data", body);
}

const tg_ext_desc tg_ext_supported_versions_desc = {
    .type = TG_EXT_supported_versions,
    .name = "supported_versions",
    .allowed13 = TG_CTX_CH | TG_CTX_SH | TG_CTX_HRR,
    .value_size = sizeof(supported_versions_value),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
