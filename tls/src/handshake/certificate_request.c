/* CertificateRequest (RFC 8446 §4.3.2; TLS 1.2: RFC 5246 §7.4.4). */
#include <string.h>

#include "engine/permissive.h"
#include "tg/extensions.h"
#include "tg/handshake.h"

/* RFC 8446 §4.3.2:
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       Extension extensions<2..2^16-1>;
 *   } CertificateRequest;
 */
static tg_status decode13(tg_reader *body, tg_certificate_request *out) {
  tg_reader context, extensions;
  TG_TRY(tg_read_vec(body, 1, 0, 0xff, &context, "CertificateRequest.certificate_request_context"));
  TG_TRY(tg_read_vec(body, 2, 2, 0xffff, &extensions, "CertificateRequest.extensions"));
  TG_TRY(tg_read_done(body, "CertificateRequest"));
  out->certificate_request_context = tg_reader_rest(&context);
  out->extensions = tg_reader_rest(&extensions);
  const tg_ext_where where = {TG_CTX_CR, TG_VERSION_TLS13};
  TG_TRY(tg_extensions_check_in(out->extensions, &where, body));
  /* RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be specified"; a missing
   * mandatory extension is missing_extension (RFC 8446 §6.2). */
  tg_bytes sig_algs;
  TG_PEER_CHECK_IN(body->tolerate, body->err,
                   tg_ext_find(out->extensions, TG_EXT_signature_algorithms, &sig_algs),
                   missing_extension, TG_E_BAD_VALUE,
                   "CertificateRequest.extensions lacks signature_algorithms (RFC 8446 4.3.2)");
  return TG_OK;
}

/* RFC 5246 §7.4.4 (the bounds of supported_signature_algorithms from §7.4.1.4.1):
 *   opaque DistinguishedName<1..2^16-1>;
 *   struct {
 *       ClientCertificateType certificate_types<1..2^8-1>;
 *       SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>;
 *       DistinguishedName certificate_authorities<0..2^16-1>;
 *   } CertificateRequest;
 */
static tg_status decode12(tg_reader *body, tg_certificate_request *out) {
  tg_reader types, algs, cas, dn;
  TG_TRY(tg_read_vec(body, 1, 1, 0xff, &types, "CertificateRequest.certificate_types"));
  TG_TRY(tg_read_vec16s(body, 2, 2, 0xfffe, &algs,
                        "CertificateRequest.supported_signature_algorithms"));
  TG_TRY(tg_read_vec(body, 2, 0, 0xffff, &cas, "CertificateRequest.certificate_authorities"));
  TG_TRY(tg_read_done(body, "CertificateRequest"));
  out->certificate_types = tg_reader_rest(&types);
  out->supported_signature_algorithms = tg_reader_rest(&algs);
  out->certificate_authorities = tg_reader_rest(&cas);
  while (tg_left(&cas) > 0)
    TG_TRY(tg_read_vec(&cas, 2, 1, 0xffff, &dn, "CertificateRequest.DistinguishedName"));
  return TG_OK;
}

tg_status tg_certificate_request_decode(tg_reader *body, const tg_hs_ctx *ctx,
                                        tg_certificate_request *out) {
  memset(out, 0, sizeof *out);
  if (ctx->version == TG_VERSION_TLS13)
    return decode13(body, out);
  return decode12(body, out);
}

void tg_dn_iter_init(tg_dn_iter *it, tg_bytes certificate_authorities) {
  tg_reader_init(&it->r, certificate_authorities.p, certificate_authorities.len, NULL);
}

bool tg_dn_next(tg_dn_iter *it, tg_bytes *dn) {
  tg_reader sub;
  if (tg_left(&it->r) == 0 || tg_read_vec(&it->r, 2, 1, 0xffff, &sub, "DistinguishedName") != TG_OK)
    return false;
  *dn = tg_reader_rest(&sub);
  return true;
}

static void put_vec(tg_writer *w, unsigned prefix, size_t max, tg_bytes v, const char *field) {
  size_t mark = tg_w_open(w, prefix);
  tg_w_view(w, v);
  tg_w_close(w, mark, prefix, max, field);
}

void tg_certificate_request_encode(tg_writer *w, const tg_hs_ctx *ctx,
                                   const tg_certificate_request *m) {
  if (ctx->version == TG_VERSION_TLS13) {
    put_vec(w, 1, 0xff, m->certificate_request_context,
            "CertificateRequest.certificate_request_context");
    put_vec(w, 2, 0xffff, m->extensions, "CertificateRequest.extensions");
    return;
  }
  put_vec(w, 1, 0xff, m->certificate_types, "CertificateRequest.certificate_types");
  put_vec(w, 2, 0xffff, m->supported_signature_algorithms,
          "CertificateRequest.supported_signature_algorithms");
  put_vec(w, 2, 0xffff, m->certificate_authorities, "CertificateRequest.certificate_authorities");
}

static const char *certificate_type_name(unsigned type) {
  switch (type) {
  case TG_CCT_rsa_sign: return "rsa_sign";
  case TG_CCT_dss_sign: return "dss_sign";
  case TG_CCT_rsa_fixed_dh: return "rsa_fixed_dh";
  case TG_CCT_dss_fixed_dh: return "dss_fixed_dh";
  case TG_CCT_ecdsa_sign: return "ecdsa_sign";
  }
  return NULL;
}

static void describe12(tg_dump *d, const tg_certificate_request *m) {
  tg_dump_list(d, "certificate_types");
  for (size_t i = 0; i < m->certificate_types.len; i++) {
    unsigned type = m->certificate_types.p[i];
    tg_dump_uint(d, NULL, type, certificate_type_name(type));
  }
  tg_dump_end(d);
  tg_dump_list(d, "supported_signature_algorithms");
  for (size_t i = 0; i < tg_u16s_count(m->supported_signature_algorithms); i++) {
    uint16_t alg = tg_u16s_get(m->supported_signature_algorithms, i);
    tg_dump_uint(d, NULL, alg, tg_sig_scheme_name(alg));
  }
  tg_dump_end(d);
  tg_dump_list(d, "certificate_authorities");
  tg_dn_iter it;
  tg_bytes dn;
  tg_dn_iter_init(&it, m->certificate_authorities);
  while (tg_dn_next(&it, &dn))
    tg_dump_bytes(d, NULL, dn);
  tg_dump_end(d);
}

void tg_certificate_request_describe(tg_dump *d, const tg_hs_ctx *ctx,
                                     const tg_certificate_request *m) {
  if (ctx->version != TG_VERSION_TLS13) {
    describe12(d, m);
    return;
  }
  const tg_ext_where where = {TG_CTX_CR, TG_VERSION_TLS13};
  tg_dump_bytes(d, "certificate_request_context", m->certificate_request_context);
  tg_extensions_describe(d, m->extensions, &where);
}
