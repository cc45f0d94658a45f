/* A parsed certificate as a structure for tg_dump (tlsgauntlet decode --as certificate). Keys are
 * the RFC 5280 field names; OIDs carry their names where this module knows them. */
#include <string.h>

#include "x509_internal.h"

static const tg_oid *const attr_types[] = {&TG_OID_commonName,       &TG_OID_countryName,
                                           &TG_OID_organizationName, &TG_OID_organizationalUnitName,
                                           &TG_OID_localityName,     &TG_OID_stateOrProvinceName,
                                           &TG_OID_serialNumber,     &TG_OID_emailAddress};

static bool is_text(uint8_t tag) {
  return tag == TG_DER_UTF8String || tag == TG_DER_PrintableString || tag == TG_DER_IA5String ||
         tag == TG_DER_T61String;
}

static void describe_name(tg_dump *d, const char *key, const tg_x509_name *name) {
  tg_x509_name_iter it;
  tg_x509_attr a;
  tg_dump_list(d, key);
  tg_x509_name_iter_init(&it, name);
  while (tg_x509_name_next(&it, &a)) {
    const char *type = NULL;
    for (size_t i = 0; i < sizeof attr_types / sizeof attr_types[0]; i++)
      if (tg_der_oid_eq(a.type, attr_types[i]))
        type = attr_types[i]->name;
    tg_dump_begin(d, NULL);
    tg_dump_uint(d, "rdn", a.rdn, NULL);
    tg_dump_bytes(d, "type", a.type);
    if (type != NULL)
      tg_dump_text(d, "type_name", tg_bytes_of(type, strlen(type)));
    tg_dump_uint(d, "tag", a.tag, NULL);
    if (is_text(a.tag))
      tg_dump_text(d, "value", a.value);
    else
      tg_dump_bytes(d, "value", a.value);
    tg_dump_end(d);
  }
  tg_dump_end(d);
}

static void describe_general_names(tg_dump *d, const char *key, tg_x509_gn_iter *it) {
  tg_x509_general_name gn;
  tg_dump_list(d, key);
  while (tg_x509_gn_next(it, &gn)) {
    tg_dump_begin(d, NULL);
    tg_dump_uint(d, "type", gn.type, tg_x509_gn_type_name(gn.type));
    if (gn.type == TG_GN_directoryName)
      describe_name(d, "directoryName", &gn.name);
    else if (gn.type == TG_GN_dNSName || gn.type == TG_GN_rfc822Name ||
             gn.type == TG_GN_uniformResourceIdentifier)
      tg_dump_text(d, "value", gn.value);
    else
      tg_dump_bytes(d, "value", gn.value);
    tg_dump_end(d);
  }
  tg_dump_end(d);
}

static void describe_decoded(tg_dump *d, const tg_x509_cert *c, tg_x509_ext_kind kind) {
  tg_x509_gn_iter it;
  switch (kind) {
  case TG_X509_EXT_basicConstraints:
    tg_dump_uint(d, "cA", c->ca, c->ca ? "TRUE" : "FALSE");
    if (c->has_path_len)
      tg_dump_uint(d, "pathLenConstraint", c->path_len, NULL);
    break;
  case TG_X509_EXT_keyUsage: tg_dump_uint(d, "keyUsage", c->key_usage, NULL); break;
  case TG_X509_EXT_extKeyUsage: tg_dump_uint(d, "extKeyUsage", c->ext_key_usage, NULL); break;
  case TG_X509_EXT_subjectAltName:
    tg_x509_gn_iter_init(&it, c->subject_alt_name);
    describe_general_names(d, "subjectAltName", &it);
    break;
  case TG_X509_EXT_nameConstraints:
    tg_x509_subtrees_iter_init(&it, c->permitted_subtrees);
    describe_general_names(d, "permittedSubtrees", &it);
    tg_x509_subtrees_iter_init(&it, c->excluded_subtrees);
    describe_general_names(d, "excludedSubtrees", &it);
    break;
  case TG_X509_EXT_authorityKeyIdentifier:
    tg_dump_bytes(d, "keyIdentifier", c->authority_key_id);
    break;
  case TG_X509_EXT_subjectKeyIdentifier:
    tg_dump_bytes(d, "keyIdentifier", c->subject_key_id);
    break;
  default: break;
  }
}

static void describe_extensions(tg_dump *d, const tg_x509_cert *c) {
  tg_x509_ext_iter it;
  tg_x509_ext e;
  tg_dump_list(d, "extensions");
  tg_x509_ext_iter_init(&it, c);
  while (tg_x509_ext_next(&it, &e)) {
    tg_dump_begin(d, NULL);
    tg_dump_bytes(d, "extnID", e.extn_id);
    tg_dump_uint(d, "kind", e.kind, tg_x509_ext_kind_name(e.kind));
    tg_dump_uint(d, "critical", e.critical, e.critical ? "TRUE" : "FALSE");
    tg_dump_bytes(d, "extnValue", e.extn_value);
    describe_decoded(d, c, e.kind);
    tg_dump_end(d);
  }
  tg_dump_end(d);
}

void tg_x509_describe(tg_dump *d, const tg_x509_cert *c) {
  tg_dump_begin(d, "Certificate");
  tg_dump_uint(d, "version", c->version, NULL);
  tg_dump_bytes(d, "serialNumber", c->serial);
  if (c->serial_lenient)
    tg_dump_uint(d, "serialNumber_lenient", 1, NULL);
  tg_dump_uint(d, "signature", c->sig_alg, tg_x509_sig_alg_name(c->sig_alg));
  describe_name(d, "issuer", &c->issuer);
  tg_dump_begin(d, "validity");
  char when[32];
  tg_x509_format_time(c->not_before, when, sizeof when);
  tg_dump_text(d, "notBefore", tg_bytes_of(when, strlen(when)));
  tg_x509_format_time(c->not_after, when, sizeof when);
  tg_dump_text(d, "notAfter", tg_bytes_of(when, strlen(when)));
  tg_dump_end(d);
  describe_name(d, "subject", &c->subject);
  tg_dump_begin(d, "subjectPublicKeyInfo");
  tg_dump_bytes(d, "algorithm", c->key_algorithm);
  tg_dump_uint(d, "key_type", c->key_type, tg_key_type_name(c->key_type));
  tg_dump_bytes(d, "subjectPublicKey", c->subject_public_key);
  tg_dump_end(d);
  if (c->extensions_raw.len > 0)
    describe_extensions(d, c);
  tg_dump_bytes(d, "signatureValue", c->signature_value);
  tg_dump_end(d);
}
