/* State shared by the decode command's record and handshake walkers. */
#ifndef TG_HARNESS_DECODE_H
#define TG_HARNESS_DECODE_H

#include <stddef.h>

#include "dump_render.h"
#include "tg/handshake.h"

enum decode_kind { DECODE_GUESS, DECODE_RECORD, DECODE_HANDSHAKE, DECODE_CERTIFICATE };

typedef struct decode_state {
  enum decode_kind kind;
  tg_hs_ctx ctx;
  int version_fixed; /* --version given: a ServerHello does not change ctx.version */
  tg_bytes input;
  tg_dump *dump;
  json_dump json;
  tg_err err;
  size_t failed_at; /* offset into input of the unit that failed */
} decode_state;

/* Each returns 0, or -1 with s->err and s->failed_at set. */
int decode_handshakes(decode_state *s, tg_bytes in);
int decode_records(decode_state *s, tg_bytes in);
/* DER, or PEM text with one or more CERTIFICATE blocks. */
int decode_certificates(decode_state *s, tg_bytes in);

#endif
