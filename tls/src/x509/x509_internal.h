/* Shared by the X.509 parser's files (cert.c, name.c, time.c, extensions.c, general_name.c).
 * Each parses one part of RFC 5280 §4.1 from a reader positioned at it; failures are recorded
 * in the reader's tg_err (DER reader failures as decode_error, remapped by tg_x509_parse). */
#ifndef TG_X509_INTERNAL_H
#define TG_X509_INTERNAL_H

#include "tg/der.h"
#include "tg/x509.h"

/* Every check of this module fails with bad_certificate (RFC 8446 §6.2). */
#define X509_ENSURE(r, cond, code, ...)                                                            \
  TG_ENSURE((r)->err, cond, bad_certificate, code, __VA_ARGS__)
#define X509_FAIL(r, code, ...) TG_FAIL((r)->err, bad_certificate, code, __VA_ARGS__)

/* name.c: a Name; the directory string types checked (PrintableString charset, IA5 7-bit,
 * UTF-8 valid, BMPString even length, UniversalString multiple of four). */
TG_MUST_CHECK tg_status tg_x509_read_name(tg_reader *r, tg_x509_name *name, const char *field);
TG_MUST_CHECK tg_status tg_x509_check_string(tg_reader *r, uint8_t tag, tg_bytes value,
                                             const char *field);

/* time.c: Validity (RFC 5280 §4.1.2.5). */
TG_MUST_CHECK tg_status tg_x509_read_validity(tg_reader *r, tg_x509_cert *cert);
/* One Time (UTCTime or GeneralizedTime) as seconds since the epoch. */
TG_MUST_CHECK tg_status tg_x509_read_time(tg_reader *r, int64_t *t, const char *field);

/* extensions.c: [3] Extensions into cert (RFC 5280 §4.2). */
TG_MUST_CHECK tg_status tg_x509_read_extensions(tg_reader *r, tg_x509_cert *cert);

/* general_name.c */
TG_MUST_CHECK tg_status tg_x509_read_general_name(tg_reader *r, bool in_constraints,
                                                  tg_x509_general_name *gn, const char *field);
/* subjectAltName's extnValue (RFC 5280 §4.2.1.6). */
TG_MUST_CHECK tg_status tg_x509_parse_subject_alt_name(tg_reader *value, tg_x509_cert *cert);
/* nameConstraints' extnValue (RFC 5280 §4.2.1.10). */
TG_MUST_CHECK tg_status tg_x509_parse_name_constraints(tg_reader *value, tg_x509_cert *cert);

#endif
