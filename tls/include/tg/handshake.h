/* Handshake messages: the Handshake header (RFC 8446 §4), one struct per message, and a dispatcher
 * that decodes, encodes and describes any of them.
 *
 * Each message NAME has its own header tg/hs/NAME.h and source tls/src/handshake/NAME.c with
 *   tg_status tg_NAME_decode(tg_reader *body, const tg_hs_ctx *ctx, tg_NAME *out);
 *   void      tg_NAME_encode(tg_writer *w, const tg_hs_ctx *ctx, const tg_NAME *m);   (body only)
 *   void      tg_NAME_describe(tg_dump *d, const tg_hs_ctx *ctx, const tg_NAME *m);
 * Decoders consume the body exactly (trailing bytes are a decode_error) and keep views into the
 * input: the input must outlive the struct. Encoders write what the struct says, so a decoded
 * message re-encodes to its input bytes, and a struct a test or a deviation hook edits encodes
 * as edited.
 */
#ifndef TG_HANDSHAKE_H
#define TG_HANDSHAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "tg/codec.h"
#include "tg/dump.h"
#include "tg/names.h"

/* Key exchange of a TLS 1.2 cipher suite: selects the ClientKeyExchange form. */
typedef enum tg_kx { TG_KX_ECDHE = 0, TG_KX_RSA = 1 } tg_kx;

/* What a message cannot tell about itself: the version it is read under (which form of
 * Certificate, CertificateRequest, NewSessionTicket), the TLS 1.2 key exchange, and the hash
 * length of the cipher suite for Finished and message_hash (0: accept 32 or 48 in TLS 1.3). */
typedef struct tg_hs_ctx {
  uint16_t version; /* TG_VERSION_TLS13 or TG_VERSION_TLS12 */
  tg_kx kx;
  uint8_t hash_len;
} tg_hs_ctx;

#include "tg/hs/certificate.h"
#include "tg/hs/certificate_request.h"
#include "tg/hs/certificate_verify.h"
#include "tg/hs/client_hello.h"
#include "tg/hs/client_key_exchange.h"
#include "tg/hs/encrypted_extensions.h"
#include "tg/hs/end_of_early_data.h"
#include "tg/hs/finished.h"
#include "tg/hs/key_update.h"
#include "tg/hs/message_hash.h"
#include "tg/hs/new_session_ticket.h"
#include "tg/hs/server_hello.h"
#include "tg/hs/server_hello_done.h"
#include "tg/hs/server_key_exchange.h"

/* Any handshake message. msg_type selects the member; a ServerHello that is a HelloRetryRequest
 * is a server_hello with is_hrr set. */
typedef struct tg_handshake {
  uint8_t msg_type; /* enum tg_hs_type */
  union {
    tg_client_hello client_hello;
    tg_server_hello server_hello;
    tg_encrypted_extensions encrypted_extensions;
    tg_certificate certificate;
    tg_certificate_request certificate_request;
    tg_certificate_verify certificate_verify;
    tg_finished finished;
    tg_new_session_ticket new_session_ticket;
    tg_key_update key_update;
    tg_end_of_early_data end_of_early_data;
    tg_server_key_exchange server_key_exchange;
    tg_server_hello_done server_hello_done;
    tg_client_key_exchange client_key_exchange;
    tg_message_hash message_hash;
  } u;
} tg_handshake;

/* Reads one Handshake {msg_type, uint24 length, body} from r and decodes its body. An unknown
 * msg_type is an unexpected_message (RFC 8446 §4: never a known message). */
TG_MUST_CHECK tg_status tg_handshake_decode(tg_reader *r, const tg_hs_ctx *ctx, tg_handshake *out);
/* Writes the header and the body. */
void tg_handshake_encode(tg_writer *w, const tg_hs_ctx *ctx, const tg_handshake *m);
/* {msg_type, length, fields...} */
void tg_handshake_describe(tg_dump *d, const tg_hs_ctx *ctx, const tg_handshake *m);

#endif
