/* Captures: one pcap and one SSLKEYLOGFILE per run, so Wireshark (or tshark) shows the run's
 * handshake decrypted.
 *
 * The runner talks over a socketpair, so there is no real TCP to capture: the capture writes
 * synthetic TCP/IPv4 framing around the bytes each side sent (a three-way handshake, then one
 * segment per write with correct sequence and acknowledgement numbers and checksums, then FIN
 * both ways). The client is 127.0.0.1, the server 127.0.0.2:443, so tshark dissects TLS
 * without a "decode as". The keylog lines come from tg_config.keylog of the scripted endpoint,
 * whose client_random is the connection's either way. */
#ifndef TG_HARNESS_CAPTURE_H
#define TG_HARNESS_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tg/codec.h"

typedef struct capture capture;

/* Creates DIR/NAME.pcap and DIR/NAME.keys (DIR must exist; NAME is used as given, the caller
 * makes it a safe file name). NULL with err filled on failure. */
capture *capture_open(const char *dir, const char *name, char *err, size_t errlen);
/* Bytes one side wrote, in the order they were written. */
void capture_data(capture *c, bool from_client, const uint8_t *p, size_t n);
/* Has the signature of tg_config.keylog: writes "LABEL <client_random hex> <secret hex>". */
void capture_keylog(void *ctx, const char *label, tg_bytes client_random, tg_bytes secret);
/* Writes the closing FINs and closes both files; c may be NULL. */
void capture_close(capture *c);

/* "client-hello/x[group=x25519]" -> "client-hello_x_group_x25519_" plus the implementation:
 * a name safe for any file system. */
void capture_safe_name(char *out, size_t cap, const char *scenario_id, const char *impl);

#endif
