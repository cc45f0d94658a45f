/* Names (RFC 5280 §4.1.2.4) and the character sets of their directory strings (X.680 §41). */
#include "x509_internal.h"

/* X.680 §41.4 Table 10: PrintableString is letters, digits, space and ' ( ) + , - . / : = ? */
static bool printable_char(uint8_t c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
    return true;
  switch (c) {
  case ' ':
  case '\'':
  case '(':
  case ')':
  case '+':
  case ',':
  case '-':
  case '.':
  case '/':
  case ':':
  case '=':
  case '?': return true;
  default: return false;
  }
}

/* RFC 3629 §4: the UTF-8 syntax, without overlong forms, surrogates or values above U+10FFFF. */
static tg_status check_utf8(tg_reader *s, tg_reader *r, const char *field) {
  while (tg_left(s) > 0) {
    uint8_t c, lo = 0x80, hi = 0xbf;
    unsigned more;
    TG_TRY(tg_read_u8(s, &c, field));
    if (c < 0x80)
      continue;
    if (c >= 0xc2 && c <= 0xdf)
      more = 1;
    else if (c >= 0xe0 && c <= 0xef)
      more = 2, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4)
      more = 3, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    else
      return X509_FAIL(r, TG_E_BAD_VALUE, "%s UTF8String has an invalid lead octet 0x%02x", field,
                       c);
    for (unsigned i = 0; i < more; i++) {
      uint8_t b;
      if (tg_read_u8(s, &b, field) != TG_OK || b < lo || b > hi)
        return X509_FAIL(r, TG_E_BAD_VALUE, "%s UTF8String is not valid UTF-8", field);
      lo = 0x80, hi = 0xbf;
    }
  }
  return TG_OK;
}

tg_status tg_x509_check_string(tg_reader *r, uint8_t tag, tg_bytes value, const char *field) {
  tg_reader s;
  tg_reader_init(&s, value.p, value.len, NULL);
  switch (tag) {
  case TG_DER_UTF8String: return check_utf8(&s, r, field);
  case TG_DER_PrintableString:
  case TG_DER_IA5String:
    while (tg_left(&s) > 0) {
      uint8_t c;
      TG_TRY(tg_read_u8(&s, &c, field));
      X509_ENSURE(r, tag != TG_DER_PrintableString || printable_char(c), TG_E_BAD_VALUE,
                  "%s PrintableString has the character 0x%02x outside its set (X.680 §41.4)",
                  field, c);
      X509_ENSURE(r, c < 0x80, TG_E_BAD_VALUE, "%s IA5String has the non-ASCII octet 0x%02x", field,
                  c);
    }
    return TG_OK;
  case TG_DER_BMPString:
    /* X.680 §41.16: two octets per character (UCS-2). */
    X509_ENSURE(r, value.len % 2 == 0, TG_E_ODD_LENGTH, "%s BMPString has odd length %zu", field,
                value.len);
    return TG_OK;
  case TG_DER_UniversalString:
    X509_ENSURE(r, value.len % 4 == 0, TG_E_LENGTH,
                "%s UniversalString length %zu is not a multiple of 4", field, value.len);
    return TG_OK;
  default:
    /* TeletexString (T61) has no usable charset definition in practice (RFC 5280 §4.1.2.4 keeps
     * it for legacy only): accepted as opaque octets, like any non-string value. */
    return TG_OK;
  }
}

/* AttributeTypeAndValue ::= SEQUENCE { type AttributeType, value AttributeValue } */
static tg_status read_attr(tg_reader *set, const char *field) {
  tg_reader atv;
  tg_bytes type;
  tg_der_elem value;
  TG_TRY(tg_der_read_seq(set, &atv, "AttributeTypeAndValue"));
  TG_TRY(tg_der_read_oid(&atv, &type, "AttributeTypeAndValue.type"));
  TG_TRY(tg_der_read_any(&atv, &value, "AttributeTypeAndValue.value"));
  TG_TRY(tg_read_done(&atv, "AttributeTypeAndValue"));
  return tg_x509_check_string(set, value.tag, tg_reader_rest(&value.body), field);
}

/* Name ::= CHOICE { rdnSequence RDNSequence }
 * RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
 * RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue */
tg_status tg_x509_read_name(tg_reader *r, tg_x509_name *name, const char *field) {
  tg_der_elem e;
  const uint8_t *start = r->p;
  TG_TRY(tg_der_read_any(r, &e, field));
  if (e.tag != TG_DER_SEQUENCE) {
    r->p = start;
    return X509_FAIL(r, TG_E_BAD_VALUE, "%s has tag 0x%02x, expected SEQUENCE (RDNSequence)", field,
                     e.tag);
  }
  name->raw = e.raw;
  name->rdns = tg_reader_rest(&e.body);
  while (tg_left(&e.body) > 0) {
    tg_reader set;
    TG_TRY(tg_der_read_tlv(&e.body, TG_DER_SET, &set, "RelativeDistinguishedName"));
    /* RFC 5280 §4.1.2.4: SET SIZE (1..MAX). */
    X509_ENSURE(r, tg_left(&set) > 0, TG_E_LENGTH, "%s has an empty RelativeDistinguishedName",
                field);
    while (tg_left(&set) > 0)
      TG_TRY(read_attr(&set, field));
  }
  return TG_OK;
}

void tg_x509_name_iter_init(tg_x509_name_iter *it, const tg_x509_name *name) {
  tg_reader_init(&it->rdns, name->rdns.p, name->rdns.len, NULL);
  tg_reader_init(&it->set, NULL, 0, NULL);
  it->rdn = 0;
}

bool tg_x509_name_next(tg_x509_name_iter *it, tg_x509_attr *attr) {
  tg_reader atv;
  tg_der_elem value;
  if (tg_left(&it->set) == 0) {
    if (tg_left(&it->rdns) == 0 || tg_der_read_tlv(&it->rdns, TG_DER_SET, &it->set, "RDN") != TG_OK)
      return false;
    it->rdn++; /* RDNs opened so far */
  }
  if (tg_der_read_seq(&it->set, &atv, "ATV") != TG_OK ||
      tg_der_read_oid(&atv, &attr->type, "type") != TG_OK ||
      tg_der_read_any(&atv, &value, "value") != TG_OK)
    return false;
  attr->tag = value.tag;
  attr->value = tg_reader_rest(&value.body);
  attr->rdn = it->rdn - 1;
  return true;
}

bool tg_x509_name_find(const tg_x509_name *name, const tg_oid *type, tg_bytes *value) {
  tg_x509_name_iter it;
  tg_x509_attr a;
  tg_x509_name_iter_init(&it, name);
  while (tg_x509_name_next(&it, &a))
    if (tg_der_oid_eq(a.type, type)) {
      *value = a.value;
      return true;
    }
  return false;
}

/* ---- Name matching (RFC 5280 §7.1) ----------------------------------------------------------- */

static bool folded_type(uint8_t tag) {
  return tag == TG_DER_PrintableString || tag == TG_DER_UTF8String;
}

/* The next character of v from *i after insignificant-space handling and ASCII case folding, or
 * -1 at the end. The caller has skipped the leading spaces; a run of spaces is one space unless
 * only spaces follow it. */
static int next_folded(tg_bytes v, size_t *i) {
  if (*i >= v.len)
    return -1;
  if (v.p[*i] == ' ') {
    while (*i < v.len && v.p[*i] == ' ')
      (*i)++;
    return *i < v.len ? ' ' : -1;
  }
  uint8_t c = v.p[(*i)++];
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool value_eq(const tg_x509_attr *a, const tg_x509_attr *b) {
  if (a->tag == b->tag && tg_bytes_eq(a->value, b->value))
    return true;
  if (!folded_type(a->tag) || !folded_type(b->tag))
    return false;
  size_t i = 0, j = 0;
  while (i < a->value.len && a->value.p[i] == ' ')
    i++;
  while (j < b->value.len && b->value.p[j] == ' ')
    j++;
  for (;;) {
    int ca = next_folded(a->value, &i), cb = next_folded(b->value, &j);
    if (ca != cb)
      return false;
    if (ca < 0)
      return true;
  }
}

static bool attr_eq(const tg_x509_attr *a, const tg_x509_attr *b) {
  return a->rdn == b->rdn && tg_bytes_eq(a->type, b->type) && value_eq(a, b);
}

bool tg_x509_name_within(const tg_x509_name *name, const tg_x509_name *base) {
  tg_x509_name_iter in, ib;
  tg_x509_attr an, ab;
  bool any = false;
  tg_x509_name_iter_init(&in, name);
  tg_x509_name_iter_init(&ib, base);
  while (tg_x509_name_next(&ib, &ab)) {
    if (!tg_x509_name_next(&in, &an) || !attr_eq(&an, &ab))
      return false;
    any = true;
  }
  /* base's last RDN must be all of name's RDN at that place, not part of a multi-valued one. */
  return !any || !tg_x509_name_next(&in, &an) || an.rdn != ab.rdn;
}

bool tg_x509_name_eq(const tg_x509_name *a, const tg_x509_name *b) {
  if (tg_bytes_eq(a->raw, b->raw))
    return true;
  tg_x509_name_iter ia, ib;
  tg_x509_attr xa, xb;
  tg_x509_name_iter_init(&ia, a);
  tg_x509_name_iter_init(&ib, b);
  for (;;) {
    bool more_a = tg_x509_name_next(&ia, &xa), more_b = tg_x509_name_next(&ib, &xb);
    if (more_a != more_b)
      return false;
    if (!more_a)
      return true;
    if (!attr_eq(&xa, &xb))
      return false;
  }
}
