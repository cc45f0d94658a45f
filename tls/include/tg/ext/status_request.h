/* status_request (RFC 6066 §8; in TLS 1.3 RFC 8446 §4.4.2.1): OCSP stapling.
 *
 *   enum { ocsp(1), (255) } CertificateStatusType;
 *   opaque ResponderID<1..2^16-1>;
 *   opaque Extensions<0..2^16-1>;
 *   struct { ResponderID responder_id_list<0..2^16-1>;
 *            Extensions  request_extensions; } OCSPStatusRequest;
 *   struct { CertificateStatusType status_type;
 *            select (status_type) { case ocsp: OCSPStatusRequest; } request;
 *   } CertificateStatusRequest;
 *   opaque OCSPResponse<1..2^24-1>;
 *   struct { CertificateStatusType status_type;
 *            select (status_type) { case ocsp: OCSPResponse; } response; } CertificateStatus;
 *
 * Forms: ClientHello a CertificateStatusRequest; CertificateRequest (1.3) empty as RFC 8446
 * §4.4.2.1 says, a CertificateStatusRequest also accepted; CertificateEntry (1.3) a
 * CertificateStatus; ServerHello (1.2) empty.
 */
#ifndef TG_EXT_STATUS_REQUEST_H
#define TG_EXT_STATUS_REQUEST_H

#include <stdbool.h>

#include "tg/extensions.h"

enum tg_certificate_status_type { TG_STATUS_OCSP = 1 };

/* CertificateStatusRequest. A status_type other than ocsp has no defined body: its request is
 * kept as opaque bytes and the receiver ignores it (RFC 6066 §8 defines ocsp only). */
typedef struct tg_status_request_ch {
  bool empty; /* the empty CertificateRequest form: no fields below */
  uint8_t status_type;
  tg_bytes responder_id_list;  /* ocsp: the entries as wire bytes, without the list length */
  tg_bytes request_extensions; /* ocsp: DER Extensions, without the length */
  tg_bytes request;            /* not ocsp: everything after status_type */
} tg_status_request_ch;

/* CertificateStatus (in a CertificateEntry). */
typedef struct tg_status_request_ct {
  uint8_t status_type;    /* ocsp */
  tg_bytes ocsp_response; /* DER OCSPResponse, without its length */
} tg_status_request_ct;

extern const tg_ext_desc tg_ext_status_request_desc;

TG_MUST_CHECK tg_status tg_status_request_parse_ch(tg_bytes body, tg_status_request_ch *out,
                                                   tg_err *err);
/* CertificateRequest form: empty (out->empty) or as in the ClientHello. */
TG_MUST_CHECK tg_status tg_status_request_parse_cr(tg_bytes body, tg_status_request_ch *out,
                                                   tg_err *err);
/* A status_type other than ocsp is illegal_parameter: nothing else can have been requested. */
TG_MUST_CHECK tg_status tg_status_request_parse_ct(tg_bytes body, tg_status_request_ct *out,
                                                   tg_err *err);
/* ServerHello form (TLS 1.2): empty. */
TG_MUST_CHECK tg_status tg_status_request_parse_sh(tg_bytes body, tg_err *err);

/* Iterates over a checked responder_id_list. */
typedef struct tg_responder_id_iter {
  tg_reader r;
} tg_responder_id_iter;
void tg_responder_id_iter_init(tg_responder_id_iter *it, tg_bytes responder_id_list);
bool tg_responder_id_next(tg_responder_id_iter *it, tg_bytes *responder_id);

/* The request (status_type ocsp: the two lists; another: request as it is), or the empty
 * form when sr->empty. */
void tg_status_request_emit_ch(tg_writer *w, const tg_status_request_ch *sr);
void tg_status_request_emit_ct(tg_writer *w, const tg_status_request_ct *cs);
/* The empty form: ServerHello (1.2), CertificateRequest (1.3). */
void tg_status_request_emit_empty(tg_writer *w);

#endif
