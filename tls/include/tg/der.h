/* A strict DER (X.690 §10) reader on tg_reader, and the few DER writers the engine needs.
 *
 * Every element is read with the tag the caller expects into a sub-reader over its contents, so
 * a parser walks ASN.1 the way it walks TLS vectors (STYLE rule 1): sub-readers must be consumed
 * exactly (tg_read_done), nothing is copied, values are views into the input.
 *
 * Strictness (X.690 §8.1, §10, §11): low tag numbers only, definite lengths only, lengths in the
 * minimal number of octets, INTEGER contents minimal, BOOLEAN 0x00 or 0xFF, BIT STRING unused
 * bits 0..7 and zero, OID sub-identifiers minimal, NULL empty.
 *
 * Alert: every failure here is a decode_error. The reader cannot know what the bytes are: a
 * malformed certificate is bad_certificate, a malformed ECDSA signature in CertificateVerify is
 * decrypt_error, a malformed key file is a configuration error. Callers map with tg_der_remap. */
#ifndef TG_DER_H
#define TG_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/error.h"

/* Identifier octets (X.690 §8.1.2) of the universal types the engine reads. */
enum tg_der_tag {
  TG_DER_BOOLEAN = 0x01,
  TG_DER_INTEGER = 0x02,
  TG_DER_BIT_STRING = 0x03,
  TG_DER_OCTET_STRING = 0x04,
  TG_DER_NULL = 0x05,
  TG_DER_OID = 0x06,
  TG_DER_ENUMERATED = 0x0a,
  TG_DER_UTF8String = 0x0c,
  TG_DER_PrintableString = 0x13,
  TG_DER_T61String = 0x14,
  TG_DER_IA5String = 0x16,
  TG_DER_UTCTime = 0x17,
  TG_DER_GeneralizedTime = 0x18,
  TG_DER_UniversalString = 0x1c,
  TG_DER_BMPString = 0x1e,
  TG_DER_SEQUENCE = 0x30,
  TG_DER_SET = 0x31,
};
/* [n] constructed (EXPLICIT, or IMPLICIT over a constructed type) and [n] primitive (IMPLICIT
 * over a primitive type); n < 31. */
#define TG_DER_CONTEXT(n) ((uint8_t)(0xa0 | (n)))
#define TG_DER_CONTEXT_PRIM(n) ((uint8_t)(0x80 | (n)))

/* One element of any tag: identifier octet, contents as a sub-reader, and the whole TLV (what
 * a signature covers, e.g. tbsCertificate). */
typedef struct tg_der_elem {
  uint8_t tag;
  tg_reader body;
  tg_bytes raw;
} tg_der_elem;

/* The next element, whatever its tag. */
TG_MUST_CHECK tg_status tg_der_read_any_at(tg_reader *r, tg_der_elem *e, const char *field,
                                           const char *file, int line);
/* The next element, which must have tag `tag`: its contents into body (may be NULL: skipped). */
TG_MUST_CHECK tg_status tg_der_read_tlv_at(tg_reader *r, uint8_t tag, tg_reader *body,
                                           const char *field, const char *file, int line);
/* OPTIONAL / DEFAULT elements: reads the element only if the next tag is `tag`. */
TG_MUST_CHECK tg_status tg_der_read_optional_at(tg_reader *r, uint8_t tag, tg_reader *body,
                                                bool *present, const char *field, const char *file,
                                                int line);
/* True when r has an element next and its identifier octet is tag. */
bool tg_der_peek(const tg_reader *r, uint8_t tag);

/* INTEGER: the minimal two's-complement contents as a view, and its sign. */
TG_MUST_CHECK tg_status tg_der_read_integer_at(tg_reader *r, tg_bytes *value, bool *negative,
                                               const char *field, const char *file, int line);
/* A non-negative INTEGER as its unsigned big-endian magnitude (the sign octet 0x00 dropped);
 * zero is one 0x00 octet. Negative is a decode_error. RSA numbers, ECDSA r and s. */
TG_MUST_CHECK tg_status tg_der_read_uint_at(tg_reader *r, tg_bytes *magnitude, const char *field,
                                            const char *file, int line);
/* A non-negative INTEGER that fits in 32 bits (versions, pathLenConstraint). */
TG_MUST_CHECK tg_status tg_der_read_small_at(tg_reader *r, uint32_t *v, const char *field,
                                             const char *file, int line);
TG_MUST_CHECK tg_status tg_der_read_bool_at(tg_reader *r, bool *v, const char *field,
                                            const char *file, int line);
TG_MUST_CHECK tg_status tg_der_read_null_at(tg_reader *r, const char *field, const char *file,
                                            int line);
/* OBJECT IDENTIFIER contents (compare with tg_der_oid_eq against the TG_OID_* constants). */
TG_MUST_CHECK tg_status tg_der_read_oid_at(tg_reader *r, tg_bytes *oid, const char *field,
                                           const char *file, int line);
/* BIT STRING: the bit octets and the number of unused bits in the last one (0..7). */
TG_MUST_CHECK tg_status tg_der_read_bits_at(tg_reader *r, tg_bytes *bits, unsigned *unused,
                                            const char *field, const char *file, int line);
/* A BIT STRING that holds whole octets (keys, signatures): unused bits must be 0. */
TG_MUST_CHECK tg_status tg_der_read_bit_octets_at(tg_reader *r, tg_bytes *octets, const char *field,
                                                  const char *file, int line);
TG_MUST_CHECK tg_status tg_der_read_octets_at(tg_reader *r, tg_bytes *octets, const char *field,
                                              const char *file, int line);

#define tg_der_read_any(r, e, field) tg_der_read_any_at((r), (e), (field), TG_HERE)
#define tg_der_read_tlv(r, tag, body, field)                                                       \
  tg_der_read_tlv_at((r), (tag), (body), (field), TG_HERE)
#define tg_der_read_seq(r, body, field)                                                            \
  tg_der_read_tlv_at((r), TG_DER_SEQUENCE, (body), (field), TG_HERE)
#define tg_der_read_optional(r, tag, body, present, field)                                         \
  tg_der_read_optional_at((r), (tag), (body), (present), (field), TG_HERE)
#define tg_der_read_integer(r, v, neg, field)                                                      \
  tg_der_read_integer_at((r), (v), (neg), (field), TG_HERE)
#define tg_der_read_uint(r, v, field) tg_der_read_uint_at((r), (v), (field), TG_HERE)
#define tg_der_read_small(r, v, field) tg_der_read_small_at((r), (v), (field), TG_HERE)
#define tg_der_read_bool(r, v, field) tg_der_read_bool_at((r), (v), (field), TG_HERE)
#define tg_der_read_null(r, field) tg_der_read_null_at((r), (field), TG_HERE)
#define tg_der_read_oid(r, v, field) tg_der_read_oid_at((r), (v), (field), TG_HERE)
#define tg_der_read_bits(r, v, unused, field)                                                      \
  tg_der_read_bits_at((r), (v), (unused), (field), TG_HERE)
#define tg_der_read_bit_octets(r, v, field) tg_der_read_bit_octets_at((r), (v), (field), TG_HERE)
#define tg_der_read_octets(r, v, field) tg_der_read_octets_at((r), (v), (field), TG_HERE)

/* After a failed DER read: the alert the caller's context implies (bad_certificate for a
 * certificate, decrypt_error for a signature). Only a decode_error recorded by the reader is
 * changed, so an internal error keeps its alert. Returns st. */
static inline tg_status tg_der_remap(tg_status st, tg_err *err, enum tg_alert alert) {
  if (st != TG_OK && err != NULL && err->alert == TG_ALERT_decode_error)
    err->alert = alert;
  return st;
}

/* ---- Object identifiers (contents octets) --------------------------------------------------- */

typedef struct tg_oid {
  const char *name; /* "rsaEncryption" */
  uint8_t len;
  uint8_t der[12];
} tg_oid;

extern const tg_oid TG_OID_rsaEncryption;  /* 1.2.840.113549.1.1.1 */
extern const tg_oid TG_OID_RSASSA_PSS;     /* 1.2.840.113549.1.1.10 */
extern const tg_oid TG_OID_id_ecPublicKey; /* 1.2.840.10045.2.1 */
extern const tg_oid TG_OID_secp256r1;      /* 1.2.840.10045.3.1.7 */
extern const tg_oid TG_OID_secp384r1;      /* 1.3.132.0.34 */
extern const tg_oid TG_OID_Ed25519;        /* 1.3.101.112 */
extern const tg_oid TG_OID_sha256;         /* 2.16.840.1.101.3.4.2.1 */
extern const tg_oid TG_OID_sha384;         /* 2.16.840.1.101.3.4.2.2 */
extern const tg_oid TG_OID_sha512;         /* 2.16.840.1.101.3.4.2.3 */

bool tg_der_oid_eq(tg_bytes oid, const tg_oid *want);

/* ---- Writer ---------------------------------------------------------------------------------- */

/* A TLV with a minimal length. */
void tg_der_w_tlv(tg_writer *w, uint8_t tag, tg_bytes contents);
/* A non-negative INTEGER from an unsigned big-endian magnitude (leading zeros dropped, a 0x00
 * sign octet added when the top bit is set). */
void tg_der_w_uint(tg_writer *w, tg_bytes magnitude);

#endif
