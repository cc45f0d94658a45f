/* PEM (RFC 7468): finds "-----BEGIN label-----" ... "-----END label-----" blocks in a text and
 * decodes their base64 strictly. A file may hold several blocks (a certificate chain, a key and
 * its certificate); text between blocks is ignored (RFC 7468 §2 allows explanatory text).
 *
 * Strict means: only the base64 alphabet inside a block (whitespace at line ends tolerated),
 * '=' padding only at the very end and only to a multiple of four characters, zero pad bits,
 * no RFC 1421 headers (encrypted "Proc-Type" keys are refused with a clear error), and the END
 * label equal to the BEGIN label. Errors name the line (1-based) of the text.
 *
 * Failures are decode_error: a configuration file is not a TLS message, the alert only says
 * "malformed". The text is read through tg_reader like any untrusted input. */
#ifndef TG_PEM_H
#define TG_PEM_H

#include <stdbool.h>
#include <stddef.h>

#include "tg/codec.h"
#include "tg/error.h"

typedef struct tg_pem_block {
  tg_bytes label;    /* "CERTIFICATE", a view into the text */
  tg_bytes body;     /* the base64 lines between BEGIN and END, a view into the text */
  size_t begin_line; /* line number of the BEGIN line */
} tg_pem_block;

/* Finds the next block in text (a reader over the whole text, advanced past the block).
 * *found is false, with TG_OK, when no further BEGIN line exists. A BEGIN without its END is a
 * decode_error. line counts lines consumed so far (start it at 0). */
TG_MUST_CHECK tg_status tg_pem_next(tg_reader *text, size_t *line, tg_pem_block *block, bool *found,
                                    tg_err *err);

/* Decodes the block's base64 into w. */
TG_MUST_CHECK tg_status tg_pem_decode(const tg_pem_block *block, tg_writer *w, tg_err *err);

/* True when the block's label is label. */
bool tg_pem_label_is(const tg_pem_block *block, const char *label);

#endif
