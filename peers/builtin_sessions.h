/* tg-peer-builtin's sessions, kept out of the adapter's main file: the session file of
 * --sess-in/--sess-out (its format is documented in builtin_sessions.c and peers/README.md) and
 * the TLS 1.2 session cache a server keeps for resumption by session_id. */
#ifndef TG_PEERS_BUILTIN_SESSIONS_H
#define TG_PEERS_BUILTIN_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "tg/engine.h"

/* Writes t to path (mode 0600: it holds the resumption secret); false with msg filled. */
bool builtin_save_session(const char *path, const tg_ticket *t, char *msg, size_t msglen);
/* Reads a file builtin_save_session wrote (format 1 or 2); false with msg filled. */
bool builtin_load_session(const char *path, tg_ticket *t, char *msg, size_t msglen);

/* tg_session_cache's put and get: a few sessions of this process, the oldest replaced. */
void builtin_cache_put(void *ctx, tg_bytes id, tg_bytes session);
size_t builtin_cache_get(void *ctx, tg_bytes id, uint8_t *out, size_t cap);

#endif
