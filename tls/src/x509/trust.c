/* Trust stores (certificates loaded from DER or PEM), Names as text, and the rejection record
 * shared by the validator's files. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tg/pem.h"
#include "x509_verify_internal.h"

/* ---- Rejections ------------------------------------------------------------------------------ */

tg_status tg_x509_reject(tg_err *err, tg_x509_reason *out, tg_x509_reason reason, const char *file,
                         int line, const char *fmt, ...) {
  char what[sizeof err->what];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (out != NULL)
    *out = reason;
  tg_code code = reason == TG_X509_PATH_TOO_LONG ? TG_E_TOO_LARGE : TG_E_BAD_VALUE;
  return tg_fail(err, tg_x509_reason_alert(reason), code, file, line, "%s", what);
}

/* ---- Names as text --------------------------------------------------------------------------- */

static const struct {
  const tg_oid *oid;
  const char *short_name; /* RFC 4514 §3 */
} attr_names[] = {
    {&TG_OID_commonName, "CN"},
    {&TG_OID_countryName, "C"},
    {&TG_OID_organizationName, "O"},
    {&TG_OID_organizationalUnitName, "OU"},
    {&TG_OID_localityName, "L"},
    {&TG_OID_stateOrProvinceName, "ST"},
    {&TG_OID_serialNumber, "serialNumber"},
    {&TG_OID_emailAddress, "emailAddress"},
};

static void append(char *out, size_t len, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *out, size_t len, size_t *pos, const char *fmt, ...) {
  va_list ap;
  if (*pos >= len)
    return;
  va_start(ap, fmt);
  int n = vsnprintf(out + *pos, len - *pos, fmt, ap);
  va_end(ap);
  *pos = n < 0 ? len : *pos + (size_t)n;
}

static void append_attr(char *out, size_t len, size_t *pos, const tg_x509_attr *a) {
  const char *type = "?";
  for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
    if (tg_der_oid_eq(a->type, attr_names[i].oid))
      type = attr_names[i].short_name;
  append(out, len, pos, "%s=", type);
  for (size_t i = 0; i < a->value.len; i++) {
    uint8_t c = a->value.p[i];
    /* Printable ASCII as is, ',' escaped (RFC 4514 §2.4), anything else as \XX. */
    if (c == ',' || c == '\\')
      append(out, len, pos, "\\%c", c);
    else if (c >= 0x20 && c < 0x7f)
      append(out, len, pos, "%c", c);
    else
      append(out, len, pos, "\\%02X", c);
  }
}

void tg_x509_name_format(const tg_x509_name *name, char *out, size_t len) {
  tg_x509_name_iter it;
  tg_x509_attr a;
  size_t pos = 0, rdns = 0;
  if (len == 0)
    return;
  out[0] = '\0';
  tg_x509_name_iter_init(&it, name);
  while (tg_x509_name_next(&it, &a))
    rdns = a.rdn + 1;
  /* RFC 4514 §2.1: the last RDN first; attributes of one RDN joined with '+'. */
  for (size_t r = rdns; r-- > 0;) {
    bool first = true;
    tg_x509_name_iter_init(&it, name);
    while (tg_x509_name_next(&it, &a)) {
      if (a.rdn != r)
        continue;
      append(out, len, &pos, "%s", first ? (r + 1 == rdns ? "" : ", ") : "+");
      append_attr(out, len, &pos, &a);
      first = false;
    }
  }
}

/* ---- The store ------------------------------------------------------------------------------- */

void tg_x509_store_init(tg_x509_store *s) {
  tg_writer_init_dynamic(&s->der, NULL);
  tg_writer_init_dynamic(&s->certs, NULL);
  s->count = 0;
}

void tg_x509_store_free(tg_x509_store *s) {
  tg_writer_free(&s->der);
  tg_writer_free(&s->certs);
  s->count = 0;
}

const tg_x509_cert *tg_x509_store_get(const tg_x509_store *s, size_t i) {
  if (i >= s->count)
    return NULL;
  /* The certs buffer comes from malloc/realloc: aligned for any object. */
  return (const tg_x509_cert *)(const void *)s->certs.buf + i;
}

bool tg_x509_store_contains(const tg_x509_store *s, const tg_x509_cert *cert) {
  for (size_t i = 0; i < s->count; i++)
    if (tg_bytes_eq(tg_x509_store_get(s, i)->raw, cert->raw))
      return true;
  return false;
}

/* The der buffer may have moved: parse every certificate again into the certs array. Each was
 * parsed before it was added, so this cannot fail short of memory. */
static tg_status reindex(tg_x509_store *s, size_t count, tg_err *err) {
  tg_reader r;
  s->certs.len = 0;
  uint8_t *p = tg_w_reserve(&s->certs, count * sizeof(tg_x509_cert));
  TG_ENSURE(err, p != NULL && tg_writer_status(&s->certs) == TG_OK, internal_error, TG_E_NOMEM,
            "out of memory for %zu trust anchors", count);
  tg_x509_cert *certs = (tg_x509_cert *)(void *)p;
  tg_reader_init(&r, s->der.buf, s->der.len, err);
  for (size_t i = 0; i < count; i++) {
    tg_der_elem e;
    TG_TRY(tg_der_read_any(&r, &e, "Certificate"));
    TG_TRY(tg_x509_parse(e.raw, &certs[i], err));
  }
  s->count = count;
  return TG_OK;
}

/* Appends bytes of n certificates, each already parsed once, and reindexes. */
static tg_status append_certs(tg_x509_store *s, tg_bytes der, size_t n, tg_err *err) {
  size_t old = s->der.len;
  tg_w_view(&s->der, der);
  if (tg_writer_status(&s->der) != TG_OK) {
    s->der.len = old;
    return TG_FAIL(err, internal_error, TG_E_NOMEM, "out of memory for trust anchors");
  }
  return reindex(s, s->count + n, err);
}

tg_status tg_x509_store_add_der(tg_x509_store *s, tg_bytes der, tg_err *err) {
  tg_x509_cert c;
  TG_TRY(tg_x509_parse(der, &c, err));
  return append_certs(s, der, 1, err);
}

/* One PEM block decoded into all and parsed; a failure names the block's line. */
static tg_status add_block(const tg_pem_block *block, tg_writer *all, tg_err *err) {
  tg_err local;
  tg_x509_cert c;
  size_t start = all->len;
  tg_err_clear(&local);
  tg_status st = tg_pem_decode(block, all, &local);
  if (st == TG_OK)
    st = tg_x509_parse(tg_bytes_of(all->buf + start, all->len - start), &c, &local);
  if (st != TG_OK)
    (void)tg_fail(err, local.alert, local.code, local.file, local.line,
            "CERTIFICATE block at line %zu: %s", block->begin_line, local.what);
  return st;
}

tg_status tg_x509_store_add_pem(tg_x509_store *s, tg_bytes text, tg_err *err) {
  tg_reader r;
  tg_writer all;
  size_t line = 0, n = 0;
  tg_status st = TG_OK;
  tg_reader_init(&r, text.p, text.len, err);
  tg_writer_init_dynamic(&all, err);
  for (;;) {
    tg_pem_block block;
    bool found;
    st = tg_pem_next(&r, &line, &block, &found, err);
    if (st != TG_OK || !found)
      break;
    if (!tg_pem_label_is(&block, "CERTIFICATE"))
      continue; /* keys beside the certificates are not trust anchors */
    st = add_block(&block, &all, err);
    if (st != TG_OK)
      break;
    n++;
  }
  if (st == TG_OK && n == 0)
    st = TG_FAIL(err, decode_error, TG_E_BAD_VALUE, "no CERTIFICATE block in the PEM text");
  if (st == TG_OK)
    st = append_certs(s, tg_writer_bytes(&all), n, err);
  tg_writer_free(&all);
  return st;
}
