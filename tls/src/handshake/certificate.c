/* Certificate (RFC 8446 §4.4.2; TLS 1.2: RFC 5246 §7.4.2). */
#include <string.h>

#include "tg/extensions.h"
#include "tg/handshake.h"

static bool is_tls13(const tg_hs_ctx *ctx) { return ctx->version == TG_VERSION_TLS13; }

/* RFC 8446 §4.4.2:
 *   struct {
 *       select (certificate_type) {
 *           case RawPublicKey: opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
 *           case X509:         opaque cert_data<1..2^24-1>;
 *       };
 *       Extension extensions<0..2^16-1>;
 *   } CertificateEntry;
 * RFC 5246 §7.4.2 (TLS 1.2 has no extensions per entry):
 *   opaque ASN.1Cert<1..2^24-1>;
 */
static tg_status read_entry(tg_reader *list, uint16_t version, tg_certificate_entry *entry) {
  tg_reader cert_data, extensions;
  memset(entry, 0, sizeof *entry);
  if (version != TG_VERSION_TLS13) {
    TG_TRY(tg_read_vec(list, 3, 1, 0xffffff, &cert_data, "Certificate.ASN.1Cert"));
    entry->cert_data = tg_reader_rest(&cert_data);
    return TG_OK;
  }
  TG_TRY(tg_read_vec(list, 3, 1, 0xffffff, &cert_data, "CertificateEntry.cert_data"));
  TG_TRY(tg_read_vec(list, 2, 0, 0xffff, &extensions, "CertificateEntry.extensions"));
  entry->cert_data = tg_reader_rest(&cert_data);
  entry->extensions = tg_reader_rest(&extensions);
  return TG_OK;
}

/* RFC 8446 §4.4.2:
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       CertificateEntry certificate_list<0..2^24-1>;
 *   } Certificate;
 * RFC 5246 §7.4.2:
 *   struct {
 *       ASN.1Cert certificate_list<0..2^24-1>;
 *   } Certificate;
 */
tg_status tg_certificate_decode(tg_reader *body, const tg_hs_ctx *ctx, tg_certificate *out) {
  tg_reader context, list;
  memset(out, 0, sizeof *out);
  if (is_tls13(ctx)) {
    TG_TRY(tg_read_vec(body, 1, 0, 0xff, &context, "Certificate.certificate_request_context"));
    out->certificate_request_context = tg_reader_rest(&context);
  }
  TG_TRY(tg_read_vec(body, 3, 0, 0xffffff, &list, "Certificate.certificate_list"));
  out->certificate_list = tg_reader_rest(&list);
  TG_TRY(tg_read_done(body, "Certificate"));
  /* Each entry must be well formed; in TLS 1.3 its extensions are those RFC 8446 §4.2 allows in
   * a Certificate ("CT": status_request, signed_certificate_timestamp), without duplicates. */
  const tg_ext_where where = {TG_CTX_CT, ctx->version};
  while (tg_left(&list) > 0) {
    tg_certificate_entry entry;
    TG_TRY(read_entry(&list, ctx->version, &entry));
    if (is_tls13(ctx))
      TG_TRY(tg_extensions_check_in(entry.extensions, &where, body));
  }
  return TG_OK;
}

void tg_certificate_iter_init(tg_certificate_iter *it, tg_bytes certificate_list,
                              uint16_t version) {
  tg_reader_init(&it->r, certificate_list.p, certificate_list.len, NULL);
  it->version = version;
}

bool tg_certificate_next(tg_certificate_iter *it, tg_certificate_entry *entry) {
  return tg_left(&it->r) > 0 && read_entry(&it->r, it->version, entry) == TG_OK;
}

void tg_certificate_entry_emit(tg_writer *w, uint16_t version, const tg_certificate_entry *entry) {
  size_t mark = tg_w_open(w, 3);
  tg_w_view(w, entry->cert_data);
  tg_w_close(w, mark, 3, 0xffffff, "CertificateEntry.cert_data");
  if (version != TG_VERSION_TLS13)
    return;
  mark = tg_w_open(w, 2);
  tg_w_view(w, entry->extensions);
  tg_w_close(w, mark, 2, 0xffff, "CertificateEntry.extensions");
}

void tg_certificate_encode(tg_writer *w, const tg_hs_ctx *ctx, const tg_certificate *m) {
  size_t mark;
  if (is_tls13(ctx)) {
    mark = tg_w_open(w, 1);
    tg_w_view(w, m->certificate_request_context);
    tg_w_close(w, mark, 1, 0xff, "Certificate.certificate_request_context");
  }
  mark = tg_w_open(w, 3);
  tg_w_view(w, m->certificate_list);
  tg_w_close(w, mark, 3, 0xffffff, "Certificate.certificate_list");
}

void tg_certificate_describe(tg_dump *d, const tg_hs_ctx *ctx, const tg_certificate *m) {
  const tg_ext_where where = {TG_CTX_CT, ctx->version};
  tg_certificate_iter it;
  tg_certificate_entry entry;
  if (is_tls13(ctx))
    tg_dump_bytes(d, "certificate_request_context", m->certificate_request_context);
  tg_dump_list(d, "certificate_list");
  tg_certificate_iter_init(&it, m->certificate_list, ctx->version);
  while (tg_certificate_next(&it, &entry)) {
    tg_dump_begin(d, NULL);
    tg_dump_bytes(d, "cert_data", entry.cert_data);
    if (is_tls13(ctx))
      tg_extensions_describe(d, entry.extensions, &where);
    tg_dump_end(d);
  }
  tg_dump_end(d);
}
