/* GeneralName (RFC 5280 §4.2.1.6), subjectAltName and nameConstraints (§4.2.1.10). */
#include "x509_internal.h"

static const char *const gn_names[] = {"otherName",
                                       "rfc822Name",
                                       "dNSName",
                                       "x400Address",
                                       "directoryName",
                                       "ediPartyName",
                                       "uniformResourceIdentifier",
                                       "iPAddress",
                                       "registeredID"};

const char *tg_x509_gn_type_name(tg_x509_gn_type type) {
  return (unsigned)type < sizeof gn_names / sizeof gn_names[0] ? gn_names[type] : "unknown";
}

/* An IMPLICIT OBJECT IDENTIFIER's contents, by the rules of X.690 §8.19 that tg_der_read_oid
 * applies to a universal one: not empty, minimal sub-identifiers, none cut short. */
static tg_status check_oid(tg_reader *r, tg_bytes oid, const char *field) {
  tg_reader s;
  bool at_start = true;
  tg_reader_init(&s, oid.p, oid.len, NULL);
  X509_ENSURE(r, oid.len > 0, TG_E_LENGTH, "%s registeredID is empty", field);
  while (tg_left(&s) > 0) {
    uint8_t b;
    TG_TRY(tg_read_u8(&s, &b, field));
    X509_ENSURE(r, !at_start || b != 0x80, TG_E_BAD_VALUE,
                "%s registeredID has a non-minimal sub-identifier", field);
    at_start = (b & 0x80) == 0;
  }
  X509_ENSURE(r, at_start, TG_E_TRUNCATED, "%s registeredID ends inside a sub-identifier", field);
  return TG_OK;
}

/* An iPAddress constraint "MUST contain eight (8) octets [or 32], encoded in the style of RFC
 * 4632 (CIDR)" (RFC 5280 §4.2.1.10): the mask is leading ones then zeros. A wrong length or a
 * mask with a hole breaks that MUST on the encoding of the extension itself, whatever names
 * lie below, so the certificate is malformed (bad_certificate), as Go refuses it when parsing;
 * read as a bit mask anyway, 255.0.255.0 would stand for ranges a CIDR constraint cannot state. */
static bool cidr_mask(tg_bytes mask) {
  bool ones = true;
  for (size_t i = 0; i < mask.len; i++)
    for (int bit = 7; bit >= 0; bit--) {
      bool set = (mask.p[i] >> bit) & 1;
      if (set && !ones)
        return false;
      ones = set;
    }
  return true;
}

/* GeneralName ::= CHOICE {
 *      otherName                 [0] OtherName,           -- constructed (IMPLICIT SEQUENCE)
 *      rfc822Name                [1] IA5String,
 *      dNSName                   [2] IA5String,
 *      x400Address               [3] ORAddress,           -- constructed
 *      directoryName             [4] Name,                -- EXPLICIT (Name is a CHOICE)
 *      ediPartyName              [5] EDIPartyName,        -- constructed
 *      uniformResourceIdentifier [6] IA5String,
 *      iPAddress                 [7] OCTET STRING,
 *      registeredID              [8] OBJECT IDENTIFIER }
 * The module is IMPLICIT TAGS, so each tag replaces the type's own. */
tg_status tg_x509_read_general_name(tg_reader *r, bool in_constraints, tg_x509_general_name *gn,
                                    const char *field) {
  tg_der_elem e;
  const uint8_t *start = r->p;
  TG_TRY(tg_der_read_any(r, &e, field));
  unsigned n = e.tag & 0x1f;
  bool constructed = n == 0 || n == 3 || n == 4 || n == 5;
  uint8_t want = constructed ? TG_DER_CONTEXT(n) : TG_DER_CONTEXT_PRIM(n);
  if (n > 8 || e.tag != want) {
    r->p = start;
    return X509_FAIL(r, TG_E_BAD_VALUE, "%s has tag 0x%02x, not a GeneralName", field, e.tag);
  }
  gn->type = (tg_x509_gn_type)n;
  gn->value = tg_reader_rest(&e.body);
  gn->raw = e.raw;
  gn->name = (tg_x509_name){{NULL, 0}, {NULL, 0}};
  switch (gn->type) {
  case TG_GN_rfc822Name:
  case TG_GN_dNSName:
  case TG_GN_uniformResourceIdentifier:
    return tg_x509_check_string(r, TG_DER_IA5String, gn->value, field);
  case TG_GN_iPAddress:
    /* RFC 5280 §4.2.1.6: four octets (IPv4) or sixteen (IPv6); §4.2.1.10: twice that in name
     * constraints, the address followed by its mask. */
    if (in_constraints) {
      X509_ENSURE(r, gn->value.len == 8 || gn->value.len == 32, TG_E_LENGTH,
                  "%s iPAddress constraint has %zu octets, expected 8 or 32", field, gn->value.len);
      X509_ENSURE(r, cidr_mask(tg_bytes_of(gn->value.p + gn->value.len / 2, gn->value.len / 2)),
                  TG_E_BAD_VALUE, "%s iPAddress constraint's mask is not a CIDR prefix", field);
    } else
      X509_ENSURE(r, gn->value.len == 4 || gn->value.len == 16, TG_E_LENGTH,
                  "%s iPAddress has %zu octets, expected 4 or 16", field, gn->value.len);
    return TG_OK;
  case TG_GN_directoryName:
    TG_TRY(tg_x509_read_name(&e.body, &gn->name, field));
    return tg_read_done(&e.body, "GeneralName.directoryName");
  case TG_GN_registeredID: return check_oid(r, gn->value, field);
  default: return TG_OK;
  }
}

/* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName */
static tg_status read_general_names(tg_reader *r, bool in_constraints, tg_bytes *out,
                                    const char *field) {
  tg_reader seq;
  TG_TRY(tg_der_read_seq(r, &seq, field));
  X509_ENSURE(r, tg_left(&seq) > 0, TG_E_LENGTH, "%s is empty (SIZE (1..MAX))", field);
  *out = tg_reader_rest(&seq);
  while (tg_left(&seq) > 0) {
    tg_x509_general_name gn;
    TG_TRY(tg_x509_read_general_name(&seq, in_constraints, &gn, field));
  }
  return TG_OK;
}

/* SubjectAltName ::= GeneralNames. An empty subject needs a critical subjectAltName (RFC 5280
 * §4.2.1.6); that is a profile rule for the validator, not syntax. */
tg_status tg_x509_parse_subject_alt_name(tg_reader *value, tg_x509_cert *cert) {
  TG_TRY(read_general_names(value, false, &cert->subject_alt_name, "subjectAltName"));
  cert->has_subject_alt_name = true;
  return TG_OK;
}

/* GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
 * GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] BaseDistance DEFAULT 0,
 *                               maximum [1] BaseDistance OPTIONAL } */
static tg_status read_subtrees(tg_reader *body, tg_bytes *out, const char *field) {
  X509_ENSURE(body, tg_left(body) > 0, TG_E_LENGTH, "%s is empty (SIZE (1..MAX))", field);
  *out = tg_reader_rest(body);
  while (tg_left(body) > 0) {
    tg_reader subtree;
    tg_x509_general_name base;
    TG_TRY(tg_der_read_seq(body, &subtree, "GeneralSubtree"));
    TG_TRY(tg_x509_read_general_name(&subtree, true, &base, "GeneralSubtree.base"));
    /* RFC 5280 §4.2.1.10: "the minimum and maximum fields are not used ... minimum MUST be
     * zero, and maximum MUST be absent"; DER omits a DEFAULT, so both are absent. */
    X509_ENSURE(body, tg_left(&subtree) == 0, TG_E_BAD_VALUE,
                "%s GeneralSubtree has minimum or maximum (RFC 5280 §4.2.1.10: MUST be absent)",
                field);
  }
  return TG_OK;
}

/* NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 *                                excludedSubtrees  [1] GeneralSubtrees OPTIONAL } */
tg_status tg_x509_parse_name_constraints(tg_reader *value, tg_x509_cert *cert) {
  tg_reader seq, sub;
  bool present;
  TG_TRY(tg_der_read_seq(value, &seq, "nameConstraints"));
  /* RFC 5280 §4.2.1.10: "MUST NOT issue certificates where name constraints is an empty
   * sequence". */
  X509_ENSURE(value, tg_left(&seq) > 0, TG_E_LENGTH,
              "nameConstraints is an empty SEQUENCE (RFC 5280 §4.2.1.10)");
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT(0), &sub, &present,
                              "NameConstraints.permittedSubtrees"));
  if (present)
    TG_TRY(read_subtrees(&sub, &cert->permitted_subtrees, "NameConstraints.permittedSubtrees"));
  TG_TRY(tg_der_read_optional(&seq, TG_DER_CONTEXT(1), &sub, &present,
                              "NameConstraints.excludedSubtrees"));
  if (present)
    TG_TRY(read_subtrees(&sub, &cert->excluded_subtrees, "NameConstraints.excludedSubtrees"));
  TG_TRY(tg_read_done(&seq, "NameConstraints"));
  cert->has_name_constraints = true;
  return TG_OK;
}

void tg_x509_gn_iter_init(tg_x509_gn_iter *it, tg_bytes general_names) {
  tg_reader_init(&it->r, general_names.p, general_names.len, NULL);
  it->subtrees = false;
}

void tg_x509_subtrees_iter_init(tg_x509_gn_iter *it, tg_bytes general_subtrees) {
  tg_reader_init(&it->r, general_subtrees.p, general_subtrees.len, NULL);
  it->subtrees = true;
}

bool tg_x509_gn_next(tg_x509_gn_iter *it, tg_x509_general_name *gn) {
  if (tg_left(&it->r) == 0)
    return false;
  if (!it->subtrees)
    return tg_x509_read_general_name(&it->r, false, gn, "GeneralName") == TG_OK;
  tg_reader subtree;
  return tg_der_read_seq(&it->r, &subtree, "GeneralSubtree") == TG_OK &&
         tg_x509_read_general_name(&subtree, true, gn, "GeneralSubtree.base") == TG_OK;
}
