/* What TLS 1.2 AEAD protection (protection12.c) and CBC protection (protection_cbc.c) share: the
 * header and sequence-number checks before a record is sealed or opened, and the step after. */
#ifndef TG_RECORD_PROT12_INTERNAL_H
#define TG_RECORD_PROT12_INTERNAL_H

#include "tg/protection.h"

/* A 5-byte header, and a sequence number left (RFC 5246 §6.1: never wraps); what: "open"/"seal". */
tg_status tg_prot12_check(const tg_prot12 *p, tg_bytes header, const char *what, tg_err *err);
/* The next sequence number, or exhausted after 2^64 - 1. */
void tg_prot12_advance(tg_prot12 *p);

#endif
