/* status_request (RFC 6066 §8; RFC 8446 §4.4.2.1 for TLS 1.3). */
#include "tg/ext/status_request.h"
#include "tg/names.h"

#define BODY_FIELD "status_request extension_data"

static tg_status read_ocsp_request(tg_reader *r, tg_status_request_ch *out) {
  tg_reader ids, exts;
  /* RFC 6066 §8: ResponderID responder_id_list<0..2^16-1>, opaque ResponderID<1..2^16-1>,
   * Extensions request_extensions (opaque<0..2^16-1>). The DER inside is not ours to judge. */
  TG_TRY(tg_read_vec(r, 2, 0, 65535, &ids, "OCSPStatusRequest.responder_id_list"));
  out->responder_id_list = tg_reader_rest(&ids);
  while (tg_left(&ids) > 0) {
    tg_reader id;
    TG_TRY(tg_read_vec(&ids, 2, 1, 65535, &id, "ResponderID"));
  }
  TG_TRY(tg_read_vec(r, 2, 0, 65535, &exts, "OCSPStatusRequest.request_extensions"));
  out->request_extensions = tg_reader_rest(&exts);
  return TG_OK;
}

/* A CertificateStatusRequest that fills r. */
static tg_status read_request(tg_reader *r, tg_status_request_ch *out) {
  *out = (tg_status_request_ch){0};
  TG_TRY(tg_read_u8(r, &out->status_type, "CertificateStatusRequest.status_type"));
  out->request = tg_reader_rest(r);
  if (out->status_type == TG_STATUS_OCSP)
    TG_TRY(read_ocsp_request(r, out));
  else /* no body is defined for it: kept whole, and ignored by the receiver */
    TG_TRY(tg_read_bytes(r, tg_left(r), &out->request, "CertificateStatusRequest.request"));
  return tg_read_done(r, BODY_FIELD);
}

/* RFC 8446 §4.4.2.1: "A server MAY request that a client present an OCSP response with its
 * certificate by sending an empty "status_request" extension in its CertificateRequest
 * message." A CertificateStatusRequest (the ClientHello form) is accepted there too. */
static tg_status read_cr(tg_reader *r, tg_status_request_ch *out) {
  *out = (tg_status_request_ch){0};
  out->empty = tg_left(r) == 0;
  if (out->empty)
    return TG_OK;
  return read_request(r, out);
}

static tg_status read_ct(tg_reader *r, tg_status_request_ct *out) {
  tg_reader resp;
  TG_TRY(tg_read_u8(r, &out->status_type, "CertificateStatus.status_type"));
  /* RFC 8446 §4.4.2.1: the body "MUST be a CertificateStatus structure as defined in
   * [RFC6066]", which defines the ocsp response only; a type that was not requested is a
   * forbidden value. */
  TG_ENSURE(r->err, out->status_type == TG_STATUS_OCSP, illegal_parameter, TG_E_BAD_VALUE,
            "CertificateStatus.status_type %u is not ocsp(1)", out->status_type);
  /* RFC 6066 §8: opaque OCSPResponse<1..2^24-1>. */
  TG_TRY(tg_read_vec(r, 3, 1, 0xffffff, &resp, "CertificateStatus.ocsp_response"));
  out->ocsp_response = tg_reader_rest(&resp);
  return tg_read_done(r, BODY_FIELD);
}

/* RFC 6066 §8: the TLS 1.2 server's answer has "empty "extension_data"". */
static tg_status read_empty(tg_reader *r) {
  return tg_read_done(r, "status_request extension_data (ServerHello)");
}

tg_status tg_status_request_parse_ch(tg_bytes body, tg_status_request_ch *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_request(&r, out);
}

tg_status tg_status_request_parse_cr(tg_bytes body, tg_status_request_ch *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_cr(&r, out);
}

tg_status tg_status_request_parse_ct(tg_bytes body, tg_status_request_ct *out, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_ct(&r, out);
}

tg_status tg_status_request_parse_sh(tg_bytes body, tg_err *err) {
  tg_reader r;
  tg_reader_init(&r, body.p, body.len, err);
  return read_empty(&r);
}

void tg_responder_id_iter_init(tg_responder_id_iter *it, tg_bytes responder_id_list) {
  tg_reader_init(&it->r, responder_id_list.p, responder_id_list.len, NULL);
}

bool tg_responder_id_next(tg_responder_id_iter *it, tg_bytes *responder_id) {
  tg_reader id;
  if (tg_left(&it->r) == 0 || tg_read_vec(&it->r, 2, 1, 65535, &id, "ResponderID") != TG_OK)
    return false;
  *responder_id = tg_reader_rest(&id);
  return true;
}

void tg_status_request_emit_ch(tg_writer *w, const tg_status_request_ch *sr) {
  tg_w_u16(w, TG_EXT_status_request);
  size_t ext = tg_w_open(w, 2);
  if (!sr->empty) {
    tg_w_u8(w, sr->status_type);
    if (sr->status_type == TG_STATUS_OCSP) {
      tg_w_vec(w, 2, sr->responder_id_list);
      tg_w_vec(w, 2, sr->request_extensions);
    } else {
      tg_w_view(w, sr->request);
    }
  }
  tg_w_close(w, ext, 2, 65535, BODY_FIELD);
}

void tg_status_request_emit_ct(tg_writer *w, const tg_status_request_ct *cs) {
  tg_w_u16(w, TG_EXT_status_request);
  size_t ext = tg_w_open(w, 2);
  tg_w_u8(w, cs->status_type);
  tg_w_vec(w, 3, cs->ocsp_response);
  tg_w_close(w, ext, 2, 65535, BODY_FIELD);
}

void tg_status_request_emit_empty(tg_writer *w) {
  tg_ext_emit_raw(w, TG_EXT_status_request, tg_bytes_of(NULL, 0));
}

/* The value of each form: a request in ClientHello and CertificateRequest, a status in a
 * CertificateEntry; ServerHello's body is empty. */
typedef union status_request_value {
  tg_status_request_ch request;
  tg_status_request_ct status;
} status_request_value;

static tg_status parse(tg_bytes body, const tg_ext_where *where, void *value, tg_err *err) {
  status_request_value *v = value;
  switch (where->ctx) {
  case TG_CTX_CH: return tg_status_request_parse_ch(body, &v->request, err);
  case TG_CTX_CR: return tg_status_request_parse_cr(body, &v->request, err);
  case TG_CTX_CT: return tg_status_request_parse_ct(body, &v->status, err);
  default: return tg_status_request_parse_sh(body, err);
  }
}

static void emit(tg_writer *w, const tg_ext_where *where, const void *value) {
  const status_request_value *v = value;
  switch (where->ctx) {
  case TG_CTX_CH:
  case TG_CTX_CR: tg_status_request_emit_ch(w, &v->request); break;
  case TG_CTX_CT: tg_status_request_emit_ct(w, &v->status); break;
  default: tg_status_request_emit_empty(w); break;
  }
}

static void describe_request(tg_dump *d, const tg_status_request_ch *sr) {
  tg_dump_uint(d, "status_type", sr->status_type,
               sr->status_type == TG_STATUS_OCSP ? "ocsp" : NULL);
  if (sr->status_type != TG_STATUS_OCSP) {
    tg_dump_bytes(d, "request", sr->request);
    return;
  }
  tg_responder_id_iter it;
  tg_bytes id;
  tg_dump_list(d, "responder_id_list");
  tg_responder_id_iter_init(&it, sr->responder_id_list);
  while (tg_responder_id_next(&it, &id))
    tg_dump_bytes(d, NULL, id);
  tg_dump_end(d);
  tg_dump_bytes(d, "request_extensions", sr->request_extensions);
}

static void describe(tg_dump *d, tg_bytes body, const tg_ext_where *where) {
  tg_status_request_ch sr;
  tg_status_request_ct cs;
  if (where->ctx == TG_CTX_CT) {
    if (tg_status_request_parse_ct(body, &cs, NULL) != TG_OK)
      return;
    tg_dump_uint(d, "status_type", cs.status_type, "ocsp");
    tg_dump_bytes(d, "ocsp_response", cs.ocsp_response);
  } else if (body.len > 0 && tg_status_request_parse_ch(body, &sr, NULL) == TG_OK) {
    describe_request(d, &sr);
  }
}

/* RFC 8446 §4.2: CH, CR, CT. */
const tg_ext_desc tg_ext_status_request_desc = {
    .type = TG_EXT_status_request,
    .name = "status_request",
    .allowed13 = TG_CTX_CH | TG_CTX_CR | TG_CTX_CT,
    .value_size = sizeof(status_request_value),
    .parse = parse,
    .emit = emit,
    .describe = describe,
};
