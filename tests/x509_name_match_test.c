/* RFC 5280 §7.1 name matching (tg_x509_name_eq, tg_x509_name_within): what path building uses to
 * chain an issuer name to a subject, and directoryName subtrees to a name. Names are built here
 * as DER from (type, string tag, value) triples. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "tg/der.h"
#include "tg/x509.h"
#include "x509/x509_internal.h"

#define PRINTABLE 0x13
#define UTF8 0x0c
#define IA5 0x16
#define CN "\x55\x04\x03" /* 2.5.4.3 */
#define O "\x55\x04\x0a"  /* 2.5.4.10 */

typedef struct atv {
  const char *type; /* 3 octets of OID contents */
  uint8_t tag;
  const char *value;
  bool same_rdn; /* in the same RDN as the previous one (a multi-valued RDN) */
} atv;

typedef struct built {
  uint8_t der[512];
  tg_x509_name name;
} built;

/* Name ::= SEQUENCE OF SET OF SEQUENCE { OID, string } (short-form lengths only). */
static void build(built *b, const atv *attrs, size_t n) {
  uint8_t body[480];
  size_t len = 0;
  for (size_t i = 0; i < n;) {
    uint8_t set[240];
    size_t sl = 0;
    do {
      size_t vl = strlen(attrs[i].value);
      uint8_t *s = set + sl;
      s[0] = 0x30, s[1] = (uint8_t)(5 + 2 + vl), s[2] = 0x06, s[3] = 3;
      memcpy(s + 4, attrs[i].type, 3);
      s[7] = attrs[i].tag, s[8] = (uint8_t)vl;
      memcpy(s + 9, attrs[i].value, vl);
      sl += 9 + vl;
      i++;
    } while (i < n && attrs[i].same_rdn);
    body[len] = 0x31, body[len + 1] = (uint8_t)sl;
    memcpy(body + len + 2, set, sl);
    len += 2 + sl;
  }
  b->der[0] = 0x30, b->der[1] = (uint8_t)len;
  memcpy(b->der + 2, body, len);
  tg_reader r;
  tg_err err;
  tg_reader_init(&r, b->der, 2 + len, &err);
  cr_assert_eq(tg_x509_read_name(&r, &b->name, "Name"), TG_OK, "%s", err.what);
}

#define NAME(var, ...)                                                                             \
  built var;                                                                                       \
  do {                                                                                             \
    const atv var##_a[] = {__VA_ARGS__};                                                           \
    build(&var, var##_a, sizeof var##_a / sizeof var##_a[0]);                                      \
  } while (0)

Test(x509_name_match, equal_after_case_and_space_folding) {
  NAME(root, {O, PRINTABLE, "tlsgauntlet", false}, {CN, UTF8, "TG Chains ECDSA Root", false});
  NAME(upper, {O, PRINTABLE, "TLSGAUNTLET", false}, {CN, UTF8, "tg chains ecdsa ROOT", false});
  NAME(spaces, {O, PRINTABLE, "  tlsgauntlet ", false},
       {CN, UTF8, "TG  Chains   ECDSA Root", false});
  NAME(mixed, {O, UTF8, "tlsgauntlet", false}, {CN, PRINTABLE, "TG Chains ECDSA Root", false});
  cr_assert(tg_x509_name_eq(&root.name, &root.name));
  cr_assert(tg_x509_name_eq(&root.name, &upper.name), "caseIgnoreMatch");
  cr_assert(tg_x509_name_eq(&upper.name, &root.name));
  cr_assert(tg_x509_name_eq(&root.name, &spaces.name), "insignificant spaces");
  cr_assert(tg_x509_name_eq(&root.name, &mixed.name), "PrintableString and UTF8String alike");
}

Test(x509_name_match, different_names_differ) {
  NAME(root, {O, PRINTABLE, "tlsgauntlet", false}, {CN, UTF8, "TG Root", false});
  NAME(other, {O, PRINTABLE, "tlsgauntlet", false}, {CN, UTF8, "TG Root 2", false});
  NAME(inner, {O, PRINTABLE, "tlsgauntlet", false}, {CN, UTF8, "TGRoot", false});
  NAME(ia5, {O, IA5, "TLSGAUNTLET", false}, {CN, UTF8, "TG Root", false});
  NAME(shorter, {O, PRINTABLE, "tlsgauntlet", false});
  NAME(swapped, {CN, UTF8, "TG Root", false}, {O, PRINTABLE, "tlsgauntlet", false});
  NAME(type, {CN, PRINTABLE, "tlsgauntlet", false}, {CN, UTF8, "TG Root", false});
  NAME(multi, {O, PRINTABLE, "tlsgauntlet", false}, {CN, UTF8, "TG Root", true});
  cr_assert_not(tg_x509_name_eq(&root.name, &other.name));
  cr_assert_not(tg_x509_name_eq(&root.name, &inner.name), "an inner space is significant");
  cr_assert_not(tg_x509_name_eq(&root.name, &ia5.name), "IA5String is compared as bytes");
  cr_assert_not(tg_x509_name_eq(&root.name, &shorter.name));
  cr_assert_not(tg_x509_name_eq(&shorter.name, &root.name));
  cr_assert_not(tg_x509_name_eq(&root.name, &swapped.name), "RDNs in order");
  cr_assert_not(tg_x509_name_eq(&root.name, &type.name));
  cr_assert_not(tg_x509_name_eq(&root.name, &multi.name), "one multi-valued RDN is not two");
}

Test(x509_name_match, within_a_directory_subtree) {
  NAME(base, {O, PRINTABLE, "tlsgauntleT", false});
  NAME(name, {O, PRINTABLE, "tlsgauntlet", false}, {CN, UTF8, "www", false});
  NAME(outside, {O, PRINTABLE, "example", false}, {CN, UTF8, "www", false});
  NAME(multi, {O, PRINTABLE, "tlsgauntlet", false}, {CN, UTF8, "www", true});
  NAME(empty_base, {O, PRINTABLE, "", false});
  cr_assert(tg_x509_name_within(&name.name, &base.name), "folded as 7.1 says");
  cr_assert(tg_x509_name_within(&name.name, &name.name));
  cr_assert_not(tg_x509_name_within(&outside.name, &base.name));
  cr_assert_not(tg_x509_name_within(&base.name, &name.name), "a longer base");
  cr_assert_not(tg_x509_name_within(&multi.name, &base.name), "part of a multi-valued RDN");
  cr_assert_not(tg_x509_name_within(&name.name, &empty_base.name));
}
