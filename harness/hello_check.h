/* The second ClientHello of a target client, checked by the scripted server that asked for it
 * with a HelloRetryRequest (RFC 8446 4.1.2, 4.2.2, 4.2.8, 4.2.10; docs/scenarios.md "expect:
 * client_hello after: hello_retry_request").
 *
 * The runner hands it the scripted server's HelloRetryRequest as sent (after the deviations)
 * and each ClientHello received; it keeps copies of what a later comparison needs, and once the
 * second ClientHello is in, says for each check what is wrong with it, or nothing. */
#ifndef TG_HARNESS_HELLO_CHECK_H
#define TG_HARNESS_HELLO_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/engine.h"
#include "tg/handshake.h"

/* The checks, by bit (sc_step.hello_checks) and by index of hello_watch.problem. */
enum {
  HC_UNCHANGED = 0, /* 4.1.2: what may not change did not (fields, other extensions, order) */
  HC_COOKIE,        /* 4.2.2: the HelloRetryRequest's cookie echoed */
  HC_KEY_SHARE,     /* 4.2.8: one share, for the selected group (else the first hello's shares) */
  HC_NO_EARLY_DATA, /* 4.2.10: no early_data */
  HC_COUNT,
};

/* The check's name in a scenario (`check: [unchanged, cookie, key_share, no_early_data]`). */
const char *hello_check_name(unsigned check);
/* Its index by name, or -1. */
int hello_check_find(const char *name);

typedef struct hello_watch {
  uint8_t *first; /* the first ClientHello's fields, one allocation (see hello_check.c) */
  size_t first_len;
  tg_client_hello ch1; /* views into first */
  bool have_first;
  bool hrr_sent;
  uint16_t hrr_group;  /* the HelloRetryRequest's selected_group, 0: none */
  uint8_t cookie[512]; /* its cookie extension's body */
  size_t cookie_len;
  bool has_cookie;
  bool second;                 /* the second ClientHello arrived */
  char problem[HC_COUNT][256]; /* "" where its check holds */
} hello_watch;

void hello_watch_free(hello_watch *w);
/* A message the scripted server sends (a HelloRetryRequest is kept). */
void hello_watch_sent(hello_watch *w, const tg_handshake *m);
/* A message received: the first ClientHello is kept, the second checked. */
void hello_watch_received(hello_watch *w, const tg_handshake *m);

#endif
