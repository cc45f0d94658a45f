/* ServerKeyExchange for ECDHE (RFC 8422 §5.4; the signature as in RFC 5246 §4.7 and §7.4.3). */
#include <string.h>

#include "tg/handshake.h"

/* RFC 8422 §5.4:
 *   enum { explicit_prime (1), explicit_char2 (2), named_curve (3), reserved(248..255) }
 *       ECCurveType;
 *   struct {
 *       ECCurveType    curve_type;
 *       select (curve_type) {
 *           case named_curve:
 *               NamedCurve namedcurve;
 *       };
 *   } ECParameters;
 *   struct { opaque point <1..2^8-1>; } ECPoint;
 *   struct {
 *       ECParameters    curve_params;
 *       ECPoint         public;
 *   } ServerECDHParams;
 */
static tg_status read_params(tg_reader *body, tg_server_key_exchange *out) {
  tg_reader point;
  TG_TRY(tg_read_u8(body, &out->curve_type, "ServerKeyExchange.curve_params.curve_type"));
  /* RFC 8422 §5.4: explicit_prime and explicit_char2 are deprecated and the reserved values are
   * not curve types; only named_curve may be sent. */
  TG_ENSURE(body->err, out->curve_type == TG_EC_named_curve, illegal_parameter, TG_E_BAD_VALUE,
            "ServerKeyExchange.curve_params.curve_type is %u, not named_curve(3) (RFC 8422 5.4)",
            out->curve_type);
  TG_TRY(tg_read_u16(body, &out->namedcurve, "ServerKeyExchange.curve_params.namedcurve"));
  TG_TRY(tg_read_vec(body, 1, 1, 0xff, &point, "ServerKeyExchange.public.point"));
  out->public_ = tg_reader_rest(&point);
  return TG_OK;
}

/* RFC 8422 §5.4 with RFC 5246 §4.7 (TLS 1.2 DigitallySigned):
 *   select (KeyExchangeAlgorithm) {
 *       case ec_diffie_hellman:
 *           ServerECDHParams    params;
 *           Signature           signed_params;
 *   } ServerKeyExchange;
 *   struct {
 *       SignatureAndHashAlgorithm algorithm;
 *       opaque signature<0..2^16-1>;
 *   } DigitallySigned;
 */
tg_status tg_server_key_exchange_decode(tg_reader *body, const tg_hs_ctx *ctx,
                                        tg_server_key_exchange *out) {
  tg_reader signature;
  memset(out, 0, sizeof *out);
  /* RFC 5246 §7.4.3: the server sends no ServerKeyExchange for plain RSA key exchange. */
  TG_ENSURE(body->err, ctx->kx == TG_KX_ECDHE, unexpected_message, TG_E_UNKNOWN_TYPE,
            "ServerKeyExchange is not sent with RSA key exchange (RFC 5246 7.4.3)");
  const uint8_t *start = body->p;
  TG_TRY(read_params(body, out));
  out->params = tg_bytes_of(start, (size_t)(body->p - start));
  TG_TRY(tg_read_u16(body, &out->algorithm, "ServerKeyExchange.signed_params.algorithm"));
  TG_TRY(tg_read_vec(body, 2, 0, 0xffff, &signature, "ServerKeyExchange.signed_params.signature"));
  TG_TRY(tg_read_done(body, "ServerKeyExchange"));
  out->signature = tg_reader_rest(&signature);
  return TG_OK;
}

void tg_server_ecdh_params_encode(tg_writer *w, const tg_server_key_exchange *m) {
  tg_w_u8(w, m->curve_type);
  tg_w_u16(w, m->namedcurve);
  size_t mark = tg_w_open(w, 1);
  tg_w_view(w, m->public_);
  tg_w_close(w, mark, 1, 0xff, "ServerKeyExchange.public.point");
}

void tg_server_key_exchange_encode(tg_writer *w, const tg_hs_ctx *ctx,
                                   const tg_server_key_exchange *m) {
  (void)ctx;
  tg_server_ecdh_params_encode(w, m);
  tg_w_u16(w, m->algorithm);
  size_t mark = tg_w_open(w, 2);
  tg_w_view(w, m->signature);
  tg_w_close(w, mark, 2, 0xffff, "ServerKeyExchange.signed_params.signature");
}

static const char *curve_type_name(unsigned type) {
  switch (type) {
  case TG_EC_explicit_prime: return "explicit_prime";
  case TG_EC_explicit_char2: return "explicit_char2";
  case TG_EC_named_curve: return "named_curve";
  }
  return NULL;
}

void tg_server_key_exchange_describe(tg_dump *d, const tg_hs_ctx *ctx,
                                     const tg_server_key_exchange *m) {
  (void)ctx;
  tg_dump_begin(d, "params");
  tg_dump_begin(d, "curve_params");
  tg_dump_uint(d, "curve_type", m->curve_type, curve_type_name(m->curve_type));
  tg_dump_uint(d, "namedcurve", m->namedcurve, tg_group_name(m->namedcurve));
  tg_dump_end(d);
  tg_dump_bytes(d, "public", m->public_);
  tg_dump_end(d);
  tg_dump_begin(d, "signed_params");
  tg_dump_uint(d, "algorithm", m->algorithm, tg_sig_scheme_name(m->algorithm));
  tg_dump_bytes(d, "signature", m->signature);
  tg_dump_end(d);
}
