/* The body shared by signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3):
 * a SignatureSchemeList. Defined in signature_algorithms.c; the two extensions differ only in
 * their type and in the names their errors carry. */
#ifndef TG_SIGALGS_COMMON_H
#define TG_SIGALGS_COMMON_H

#include "tg/ext/signature_algorithms.h"

/* Reads a SignatureSchemeList that fills r; list_field and body_field name the list and the
 * extension_data in errors. */
TG_MUST_CHECK tg_status tg_sigalgs_read(tg_reader *r, tg_signature_scheme_list *out,
                                        const char *list_field, const char *body_field);
void tg_sigalgs_emit(tg_writer *w, uint16_t type, tg_bytes supported_signature_algorithms);
void tg_sigalgs_emit_list(tg_writer *w, uint16_t type, const uint16_t *schemes, size_t n);
void tg_sigalgs_describe(tg_dump *d, tg_bytes body);

#endif
