/* Host-name matching (RFC 9525 §6.3, §6.4; RFC 6125 §6.4): one subjectAltName dNSName against a
 * reference name, IP literals, and whole certificates (SAN only, never the CN). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/x509_verify.h"

static const struct {
  const char *pattern, *reference;
  bool match;
  const char *why;
} dns_rows[] = {
    {"www.example.com", "www.example.com", true, "identical"},
    {"www.example.com", "WWW.EXAMPLE.COM", true, "ASCII case-insensitive (reference)"},
    {"WwW.ExAmPlE.cOm", "www.example.com", true, "ASCII case-insensitive (pattern)"},
    {"www.example.com", "www.example.com.", true, "absolute reference: trailing dot ignored"},
    {"www.example.com", "example.com", false, "fewer labels"},
    {"example.com", "www.example.com", false, "no implicit subdomains"},
    {"www.example.com", "www.example.co", false, "a shorter last label"},
    {"www.example.com", "www.example.comm", false, "a longer last label"},
    {"www.example.com", "wwwXexample.com", false, "a dot is not any character"},
    {"www.example.com", "", false, "empty reference"},
    {"www.example.com", ".", false, "the root alone"},
    {"www.example.com", "www..example.com", false, "empty label in the reference"},
    {"www.example.com", "www.example.com..", false, "two trailing dots"},
    {"", "www.example.com", false, "empty pattern"},
    {"*.example.com", "foo.example.com", true, "wildcard: one label"},
    {"*.example.com", "FOO.Example.Com", true, "wildcard, any case"},
    {"*.EXAMPLE.com", "foo.example.com", true, "wildcard pattern in upper case"},
    {"*.example.com", "a.b.example.com", false, "wildcard never spans two labels"},
    {"*.example.com", "example.com", false, "wildcard needs one label"},
    {"*.example.com", ".example.com", false, "wildcard does not match an empty label"},
    {"*.example.com", "foo.example.org", false, "wildcard base differs"},
    {"*.example.com", "foo.example.com.", true, "wildcard, absolute reference"},
    {"*.com", "example.com", false, "wildcard over a single-label base (*.com)"},
    {"*.com", "com", false, "*.com against the TLD itself"},
    {"*", "example", false, "a lone asterisk"},
    {"*.", "example.", false, "asterisk and dot"},
    {"a*.example.com", "abc.example.com", false, "partial wildcard (prefix) is not matched"},
    {"*a.example.com", "bba.example.com", false, "partial wildcard (suffix) is not matched"},
    {"a*c.example.com", "abc.example.com", false, "partial wildcard (inside) is not matched"},
    {"www.*.com", "www.example.com", false, "wildcard not in the left-most label"},
    {"*.*.example.com", "a.b.example.com", false, "two wildcards"},
    {"**.example.com", "ab.example.com", false, "double asterisk"},
    {"*.example.com", "*.example.com", false, "an asterisk in the reference never matches"},
    {"www.example.com", "*.example.com", false, "a wildcard reference never matches"},
    {"*.example.com", "xn--bcher-kva.example.com", true, "wildcard over an A-label"},
    {"xn--bcher-kva.example", "XN--BCHER-KVA.example", true, "A-labels compare as ASCII"},
    {"192.0.2.1", "192.0.2.1", true, "digits are a DNS name here (IP literals handled apart)"},
    {"under_score.example.com", "under_score.example.com", true, "underscore in a label"},
    {"www.example.com", "www example.com", false, "a space is not a host-name character"},
    {"www.example.com", "www.exam\xc3\xa9ple.com", false, "non-ASCII reference"},
    {"*.example.com", "-.example.com", true, "the label is checked as LDH, not as a hostname"},
};

Test(x509_hostname, dns_match_table) {
  for (size_t i = 0; i < sizeof dns_rows / sizeof dns_rows[0]; i++) {
    tg_bytes pattern = tg_bytes_of(dns_rows[i].pattern, strlen(dns_rows[i].pattern));
    tg_bytes reference = tg_bytes_of(dns_rows[i].reference, strlen(dns_rows[i].reference));
    cr_expect_eq(tg_x509_dns_match(pattern, reference), dns_rows[i].match,
                 "row %zu: \"%s\" vs \"%s\" (%s) should %smatch", i, dns_rows[i].pattern,
                 dns_rows[i].reference, dns_rows[i].why, dns_rows[i].match ? "" : "not ");
  }
}

/* A label of 64 octets or a name of more than 253 is not a DNS name (RFC 1035 §2.3.4). */
Test(x509_hostname, dns_length_limits) {
  char label63[80], label64[80], long_name[300];
  memset(label63, 'a', 63), strcpy(label63 + 63, ".com");
  memset(label64, 'a', 64), strcpy(label64 + 64, ".com");
  cr_expect(tg_x509_dns_match(tg_bytes_of(label63, strlen(label63)),
                              tg_bytes_of(label63, strlen(label63))));
  cr_expect_not(tg_x509_dns_match(tg_bytes_of(label64, strlen(label64)),
                                  tg_bytes_of(label64, strlen(label64))));
  for (size_t i = 0; i < 127; i++)
    memcpy(long_name + 2 * i, "a.", 2);
  strcpy(long_name + 254, "a"); /* 255 octets */
  cr_expect_not(tg_x509_dns_match(tg_bytes_of(long_name, 255), tg_bytes_of(long_name, 255)));
}

static const struct {
  const char *text;
  size_t len; /* 0: not an IP literal */
  uint8_t octets[16];
} ip_rows[] = {
    {"192.0.2.1", 4, {192, 0, 2, 1}},
    {"0.0.0.0", 4, {0}},
    {"255.255.255.255", 4, {255, 255, 255, 255}},
    {"2001:db8::1", 16, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}},
    {"::1", 16, {[15] = 1}},
    {"::ffff:192.0.2.1", 16, {[10] = 0xff, [11] = 0xff, [12] = 192, [13] = 0, [14] = 2, [15] = 1}},
    {"256.0.0.1", 0, {0}},
    {"192.0.2", 0, {0}},
    {"192.0.2.1.", 0, {0}},
    {"0x7f.0.0.1", 0, {0}},
    {"www.example.com", 0, {0}},
    {"2001:db8::1::2", 0, {0}},
    {"[2001:db8::1]", 0, {0}},
    {"", 0, {0}},
};

Test(x509_hostname, ip_literals) {
  for (size_t i = 0; i < sizeof ip_rows / sizeof ip_rows[0]; i++) {
    uint8_t out[16];
    size_t len = 0;
    bool ok = tg_x509_parse_ip(ip_rows[i].text, out, &len);
    cr_expect_eq(ok, ip_rows[i].len != 0, "\"%s\"", ip_rows[i].text);
    if (ok && ip_rows[i].len != 0) {
      cr_expect_eq(len, ip_rows[i].len, "\"%s\"", ip_rows[i].text);
      cr_expect_arr_eq(out, ip_rows[i].octets, len, "\"%s\"", ip_rows[i].text);
    }
  }
}

static tg_x509_store load(const char *file) {
  char path[512];
  snprintf(path, sizeof path, "%s/vectors/x509/chains/%s", TG_SOURCE_DIR, file);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  static char text[16384];
  size_t n = fread(text, 1, sizeof text, f);
  fclose(f);
  tg_x509_store s;
  tg_x509_store_init(&s);
  cr_assert_eq(tg_x509_store_add_pem(&s, tg_bytes_of(text, n), NULL), TG_OK, "%s", file);
  return s;
}

/* leaf_ip.pem: SAN iPAddress 192.0.2.10 and 2001:db8::10, dNSName "192.0.2.11". */
Test(x509_hostname, ip_only_against_ip_entries) {
  tg_x509_store s = load("leaf_ip.pem");
  const tg_x509_cert *c = tg_x509_store_get(&s, 0);
  cr_expect(tg_x509_matches_name(c, "192.0.2.10"));
  cr_expect(tg_x509_matches_name(c, "2001:db8::10"));
  cr_expect(tg_x509_matches_name(c, "2001:0db8:0:0::10"), "IPv6 compares as octets, not text");
  cr_expect_not(tg_x509_matches_name(c, "192.0.2.11"), "a dNSName never matches an IP literal");
  cr_expect_not(tg_x509_matches_name(c, "192.0.2.1"));
  cr_expect_not(tg_x509_matches_name(c, "::ffff:192.0.2.10"), "IPv4-mapped is another address");
  tg_x509_store_free(&s);
}

/* leaf_cn.pem: subject CN=www.example.com and no subjectAltName. */
Test(x509_hostname, common_name_is_never_used) {
  tg_x509_store s = load("leaf_cn.pem");
  const tg_x509_cert *c = tg_x509_store_get(&s, 0);
  tg_bytes cn;
  cr_assert(tg_x509_name_find(&c->subject, &TG_OID_commonName, &cn));
  cr_assert_eq(cn.len, strlen("www.example.com"));
  cr_expect_not(tg_x509_matches_name(c, "www.example.com"));
  tg_x509_store_free(&s);
}

/* leaf_wild.pem: SAN dNSName *.example.com only. */
Test(x509_hostname, certificate_wildcard) {
  tg_x509_store s = load("leaf_wild.pem");
  const tg_x509_cert *c = tg_x509_store_get(&s, 0);
  cr_expect(tg_x509_matches_name(c, "a.example.com"));
  cr_expect_not(tg_x509_matches_name(c, "example.com"));
  cr_expect_not(tg_x509_matches_name(c, "a.b.example.com"));
  cr_expect_not(tg_x509_matches_name(c, "192.0.2.10"));
  tg_x509_store_free(&s);
}
