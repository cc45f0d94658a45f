/* certificate_authorities (RFC 8446 §4.2.4). */
#include "tg/ext/certificate_authorities.h"
#include "tg/names.h"

/* opaque DistinguishedName<1..2^16-1>;
 * struct { DistinguishedName authorities<3..2^16-1>; } CertificateAuthoritiesExtension;
 * The names are DER but opaque here; the X.509 module decodes them when it needs to. */
static tg_status read_authorities(tg_reader *r, tg_certificate_authorities *out) {
  tg_reader list;
  TG_TRY(tg_read_vec(r, 2, 3, 65535, &list, "CertificateAuthoritiesExtension.authorities"));
  out->authorities = tg_reader_rest(&list);
  out->count = 0;
  while (tg_left(&list) > 0) {
    tg_reader name;
    TG_TRY(tg_read_vec(&list, 2, 1, 65535, &name, "DistinguishedName"));
    out->count++;
  }
  return TG_OK;
}

tg_status tg_certificate_authorities_parse(tg_bytes body, tg_certificate_authorities *out,
                                           tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  TG_TRY(read_authorities(&r, out));
  return tg_read_done(&r, "CertificateAuthoritiesExtension");
}

void tg_ca_iter_init(tg_ca_iter *it, const tg_certificate_authorities *ca) {
  tg_reader_init(&it->r, ca->authorities.p, ca->authorities.len, NULL);
}

bool tg_ca_next(tg_ca_iter *it, tg_bytes *name) {
  tg_reader v;
  if (tg_left(&it->r) == 0 || tg_read_vec(&it->r, 2, 0, 65535, &v, "DistinguishedName") != TG_OK)
    return false;
  *name = tg_reader_rest(&v);
  return true;
}

void tg_certificate_authorities_emit(tg_writer *w, const tg_certificate_authorities *ca) {
  tg_w_u16(w, TG_EXT_certificate_authorities);
  size_t ext = tg_w_open(w, 2);
  tg_w_vec(w, 2, ca->authorities);
  tg_w_close(w, ext, 2, 65535, "certificate_authorities extension_data");
}

void tg_certificate_authorities_w_name(tg_writer *w, tg_bytes name) { tg_w_vec(w, 2, name); }

/* One form, in ClientHello and CertificateRequest. */
static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  (void)where;
  return tg_certificate_authorities_parse(body, value, err);
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  (void)where;
  tg_certificate_authorities_emit(w, value);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  (void)where;
  tg_certificate_authorities ca;
  tg_ca_iter it;
  tg_bytes name;
  if (tg_certificate_authorities_parse(body, &ca, NULL) != TG_OK) {
    tg_dump_bytes(d, "extension_data", body);
    return;
  }
  tg_dump_list(d, "authorities");
  tg_ca_iter_init(&it, &ca);
  while (tg_ca_next(&it, &name))
    tg_dump_bytes(d, NULL, name);
  tg_dump_end(d);
}

const tg_ext_desc tg_ext_certificate_authorities_desc = {
    .type = TG_EXT_certificate_authorities,
    .name = "certificate_authorities",
    .allowed13 = TG_CTX_CH | TG_CTX_CR,
    .value_size = sizeof(tg_certificate_authorities),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
