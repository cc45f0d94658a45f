/* Validity (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ and GeneralizedTime YYYYMMDDHHMMSSZ, exactly;
 * no fractional seconds, no offsets, seconds present. Converted to seconds since the epoch. */
#include <stdio.h>

#include "x509_internal.h"

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil), so no libc time function (and no time zone) is involved. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

bool tg_x509_civil_time(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                        int64_t *t) {
  if (y < 0 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
      mi > 59 || s > 59)
    return false;
  *t = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + s;
  return true;
}

/* n decimal digits as a number. */
static tg_status digits(tg_reader *s, tg_reader *r, unsigned n, unsigned *v, const char *field) {
  *v = 0;
  for (unsigned i = 0; i < n; i++) {
    uint8_t c;
    TG_TRY(tg_read_u8(s, &c, field));
    X509_ENSURE(r, c >= '0' && c <= '9', TG_E_BAD_VALUE, "%s has the non-digit 0x%02x", field, c);
    *v = *v * 10 + (unsigned)(c - '0');
  }
  return TG_OK;
}

/* The shape before the values: a specific message for each common deviation. */
static tg_status check_shape(tg_reader *r, tg_bytes text, unsigned ndigits, const char *type,
                             const char *field) {
  tg_reader s;
  unsigned count = 0;
  uint8_t c = 0;
  tg_reader_init(&s, text.p, text.len, NULL);
  while (tg_read_u8(&s, &c, field) == TG_OK && c >= '0' && c <= '9')
    count++;
  bool ended = count == text.len;
  /* RFC 5280 §4.1.2.5.2: "MUST NOT include fractional seconds". */
  X509_ENSURE(r, ended || c != '.', TG_E_BAD_VALUE,
              "%s %s has fractional seconds (RFC 5280 §4.1.2.5)", field, type);
  X509_ENSURE(r, count == ndigits, TG_E_LENGTH,
              "%s %s has %u digits, expected %u (RFC 5280 §4.1.2.5)", field, type, count, ndigits);
  /* RFC 5280 §4.1.2.5.1 and .2: "MUST be expressed in Greenwich Mean Time (Zulu)". */
  X509_ENSURE(r, !ended && c == 'Z', TG_E_BAD_VALUE,
              "%s %s does not end in Z (RFC 5280 §4.1.2.5: Zulu time)", field, type);
  X509_ENSURE(r, tg_left(&s) == 0, TG_E_TRAILING, "%s %s has characters after Z", field, type);
  return TG_OK;
}

tg_status tg_x509_read_time(tg_reader *r, int64_t *t, const char *field) {
  tg_der_elem e;
  const uint8_t *start = r->p;
  TG_TRY(tg_der_read_any(r, &e, field));
  bool utc = e.tag == TG_DER_UTCTime;
  if (!utc && e.tag != TG_DER_GeneralizedTime) {
    r->p = start;
    return X509_FAIL(r, TG_E_BAD_VALUE, "%s has tag 0x%02x, expected UTCTime or GeneralizedTime",
                     field, e.tag);
  }
  const char *type = utc ? "UTCTime" : "GeneralizedTime";
  TG_TRY(check_shape(r, tg_reader_rest(&e.body), utc ? 12 : 14, type, field));
  unsigned year, month, day, hour, minute, second;
  TG_TRY(digits(&e.body, r, utc ? 2 : 4, &year, field));
  /* RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY, YY < 50 is 20YY. */
  if (utc)
    year += year >= 50 ? 1900 : 2000;
  TG_TRY(digits(&e.body, r, 2, &month, field));
  TG_TRY(digits(&e.body, r, 2, &day, field));
  TG_TRY(digits(&e.body, r, 2, &hour, field));
  TG_TRY(digits(&e.body, r, 2, &minute, field));
  TG_TRY(digits(&e.body, r, 2, &second, field));
  X509_ENSURE(r, month >= 1 && month <= 12, TG_E_BAD_VALUE, "%s %s has month %u", field, type,
              month);
  X509_ENSURE(r, day >= 1 && day <= days_in_month(year, month), TG_E_BAD_VALUE,
              "%s %s has day %u in month %u of %u", field, type, day, month, year);
  X509_ENSURE(r, tg_x509_civil_time(year, month, day, hour, minute, second, t), TG_E_BAD_VALUE,
              "%s %s has time of day %02u:%02u:%02u", field, type, hour, minute, second);
  return TG_OK;
}

/* Validity ::= SEQUENCE { notBefore Time, notAfter Time }
 * Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }
 * notBefore after notAfter is syntactically fine: such a certificate is never valid, which is
 * the validator's verdict (certificate_expired / not yet valid), not a parse error. */
tg_status tg_x509_read_validity(tg_reader *r, tg_x509_cert *cert) {
  tg_der_elem e;
  const uint8_t *start = r->p;
  TG_TRY(tg_der_read_any(r, &e, "TBSCertificate.validity"));
  if (e.tag != TG_DER_SEQUENCE) {
    r->p = start;
    return X509_FAIL(r, TG_E_BAD_VALUE, "TBSCertificate.validity has tag 0x%02x, expected SEQUENCE",
                     e.tag);
  }
  cert->validity_raw = e.raw;
  TG_TRY(tg_x509_read_time(&e.body, &cert->not_before, "Validity.notBefore"));
  TG_TRY(tg_x509_read_time(&e.body, &cert->not_after, "Validity.notAfter"));
  return tg_read_done(&e.body, "Validity");
}

/* The inverse of days_from_civil (H. Hinnant's civil_from_days). */
void tg_x509_format_time(int64_t t, char *out, size_t len) {
  int64_t days = t / 86400, secs = t % 86400;
  if (secs < 0)
    secs += 86400, days--;
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  unsigned doe = (unsigned)(days - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
  snprintf(out, len, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, m, d,
           (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
}
