/* tg-peer-builtin's sessions, kept out of the adapter's main file: the session file of
 * --sess-in/--sess-out (its format is documented in builtin_sessions.c and peers/README.md) and
 * the TLS 1.2 session cache a server keeps for resumption by session_id, and the store of its
 * 0-RTT tickets (anti-replay). */
#ifndef TG_PEERS_BUILTIN_SESSIONS_H
#define TG_PEERS_BUILTIN_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "tg/engine.h"

/* The longest session file: a TLS 1.3 ticket of TG_TICKET_MAX_LEN bytes with a PSK of
 * TG_MAX_HASH_LEN, or a TLS 1.2 session with a 32-byte session id. */
#define BUILTIN_SESSION_MAX_LEN                                                                    \
  (1 + 2 + 1 + TG_MAX_HASH_LEN + 2 + TG_TICKET_MAX_LEN + 5 * 4 + 2 + 1 + 32 + 1)

/* Encodes t as a session file into out; returns its length (0 if cap is too small). The bytes
 * hold the resumption secret: the driver writes them mode 0600. */
size_t builtin_encode_session(const tg_ticket *t, uint8_t *out, size_t cap);
/* Reads a file of builtin_encode_session's bytes (format 1 or 2); false with msg filled. */
bool builtin_load_session(const char *path, tg_ticket *t, char *msg, size_t msglen);

/* tg_session_cache's put and get: a few sessions of this process, the oldest replaced. */
void builtin_cache_put(void *ctx, tg_bytes id, tg_bytes session);
size_t builtin_cache_get(void *ctx, tg_bytes id, uint8_t *out, size_t cap);

/* tg_ticket_store's issued and redeem (RFC 8446 §8.1, single-use tickets for 0-RTT): the
 * tickets of this process that allow 0-RTT and have not carried it yet, the oldest replaced. */
void builtin_ticket_issued(void *ctx, tg_bytes ticket);
bool builtin_ticket_redeem(void *ctx, tg_bytes ticket);

#endif
