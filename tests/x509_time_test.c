/* Validity times (RFC 5280 §4.1.2.5): conversion to seconds since the epoch, the UTCTime century
 * pivot, calendar limits, and the describe formatter. Expected values were computed with python3
 * calendar.timegm, not with this code. */
#include <criterion/criterion.h>

#include "x509/x509_internal.h"
#include "x509_util.h"

static tg_status read_time(uint8_t tag, const char *text, int64_t *t, tg_err *err) {
  uint8_t buf[64];
  size_t n = strlen(text);
  cr_assert_lt(n, 60);
  buf[0] = tag, buf[1] = (uint8_t)n;
  memcpy(buf + 2, text, n);
  tt_buf in = tt_copy(buf, n + 2);
  tg_reader r;
  tg_reader_init(&r, in.p, in.len, err);
  tg_status st = tg_x509_read_time(&r, t, "Validity.notBefore");
  if (st == TG_OK)
    cr_assert_eq(tg_left(&r), 0);
  tt_free(&in);
  return st;
}

Test(x509_time, conversions) {
  static const struct {
    uint8_t tag;
    const char *text;
    int64_t want;
  } rows[] = {
      {TG_DER_UTCTime, "700101000000Z", 0},
      {TG_DER_UTCTime, "500101000000Z", -631152000},           /* 50 is 1950 */
      {TG_DER_UTCTime, "491231235959Z", 2524607999},           /* 49 is 2049 */
      {TG_DER_UTCTime, "000229120000Z", 951825600},            /* 2000 is a leap year */
      {TG_DER_UTCTime, "160730012359Z", 1469841839},           /* RFC 8448 notBefore */
      {TG_DER_GeneralizedTime, "20800101000000Z", 3471292800}, /* gen.sh rsa_gentime */
      {TG_DER_GeneralizedTime, "19500101000000Z", -631152000},
      {TG_DER_GeneralizedTime, "99991231235959Z", 253402300799},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    int64_t t = 0;
    tg_err err = {0};
    cr_assert_eq(read_time(rows[i].tag, rows[i].text, &t, &err), TG_OK, "%s: %s", rows[i].text,
                 err.what);
    cr_expect_eq(t, rows[i].want, "%s: %lld, expected %lld", rows[i].text, (long long)t,
                 (long long)rows[i].want);
  }
}

Test(x509_time, calendar_limits) {
  static const struct {
    uint8_t tag;
    const char *text;
    const char *what;
  } rows[] = {
      {TG_DER_UTCTime, "010229000000Z", "day 29 in month 2 of 2001"},
      {TG_DER_GeneralizedTime, "19000229000000Z", "day 29 in month 2 of 1900"},
      {TG_DER_UTCTime, "250431000000Z", "day 31 in month 4"},
      {TG_DER_UTCTime, "250100000000Z", "day 0"},
      {TG_DER_UTCTime, "250101006000Z", "time of day"},
      {TG_DER_UTCTime, "2501010000 0Z", "has 10 digits, expected 12"},
      {TG_DER_UTCTime, "", "has 0 digits"},
      {TG_DER_GeneralizedTime, "20250101000000,5Z", "does not end in Z"},
      {TG_DER_GeneralizedTime, "20250101000000z", "does not end in Z"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    int64_t t;
    tg_err err = {0};
    cr_expect_neq(read_time(rows[i].tag, rows[i].text, &t, &err), TG_OK, "%s accepted",
                  rows[i].text);
    cr_expect_eq(err.alert, TG_ALERT_bad_certificate, "%s", rows[i].text);
    cr_expect(strstr(err.what, rows[i].what) != NULL, "'%s': '%s' does not say '%s'", rows[i].text,
              err.what, rows[i].what);
  }
}

/* The conversion verify --time shares with the parser: leap years counted, each field bounded. */
Test(x509_time, civil_time) {
  int64_t t = 0;
  cr_expect(tg_x509_civil_time(2000, 2, 29, 12, 0, 0, &t));
  cr_expect_eq(t, 951825600);
  cr_expect(tg_x509_civil_time(1969, 12, 31, 23, 59, 59, &t));
  cr_expect_eq(t, -1);
  cr_expect_not(tg_x509_civil_time(2023, 2, 29, 0, 0, 0, &t), "2023 is not a leap year");
  cr_expect_not(tg_x509_civil_time(1900, 2, 29, 0, 0, 0, &t), "1900 is not a leap year");
  cr_expect_not(tg_x509_civil_time(2024, 4, 31, 0, 0, 0, &t), "April has 30 days");
  cr_expect_not(tg_x509_civil_time(2024, 0, 1, 0, 0, 0, &t));
  cr_expect_not(tg_x509_civil_time(2024, 13, 1, 0, 0, 0, &t));
  cr_expect_not(tg_x509_civil_time(2024, 1, 1, 24, 0, 0, &t));
  cr_expect_not(tg_x509_civil_time(2024, 1, 1, 0, 60, 0, &t));
  cr_expect_not(tg_x509_civil_time(2024, 1, 1, 0, 0, 60, &t), "no leap seconds");
  cr_expect_not(tg_x509_civil_time(10000, 1, 1, 0, 0, 0, &t));
}

Test(x509_time, format_round_trip) {
  static const struct {
    int64_t t;
    const char *text;
  } rows[] = {
      {0, "1970-01-01T00:00:00Z"},         {-631152000, "1950-01-01T00:00:00Z"},
      {951825600, "2000-02-29T12:00:00Z"}, {1785374639, "2026-07-30T01:23:59Z"},
      {-1, "1969-12-31T23:59:59Z"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char buf[32];
    tg_x509_format_time(rows[i].t, buf, sizeof buf);
    cr_expect_str_eq(buf, rows[i].text);
  }
}
